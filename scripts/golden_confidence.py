"""Refresh the confidence keys of the golden records (tests/golden/) and nothing else.

Usage: ``python scripts/golden_confidence.py`` (``make train`` runs it after a refit).

Each golden record is compared with the pipeline's record of its note, both with every ``confidence``
key left out: when they are equal, the golden file is rewritten with the new record's confidences (the
only change); when anything else differs, the file is left alone and named, since that difference needs
a person to read the note (``make golden``). Exit 1 when any file was left alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from note_extract.batch.batch import DEFAULT_PATTERNS, discover
from note_extract.batch.output import record_json
from note_extract.core.settings import Settings
from note_extract.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
NOTE_DIRS = (ROOT / "data" / "raw", ROOT / "tests" / "notes")
GOLDEN = ROOT / "tests" / "golden"


def strip(value: Any) -> Any:
    """``value`` with every ``confidence`` key left out, at any depth."""
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k != "confidence"}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def main() -> int:
    """Rewrite the confidences of every golden record whose other fields are unchanged."""
    pipeline = Pipeline(Settings())
    refused = []
    for folder in NOTE_DIRS:
        for path in discover(folder, DEFAULT_PATTERNS):
            target = GOLDEN / f"{path.stem}.json"
            if not target.is_file():
                continue
            expected = json.loads(target.read_text(encoding="utf-8"))
            actual = json.loads(record_json(pipeline.extract_file(path, path.relative_to(ROOT).as_posix())))
            actual.pop("extractor")
            expected.pop("extractor", None)
            if strip(actual) != strip(expected | {"schema_version": actual["schema_version"]}):
                refused.append(target.name)
                continue
            text = json.dumps(actual, ensure_ascii=False, indent=2) + "\n"
            if text != target.read_text(encoding="utf-8"):
                target.write_text(text, encoding="utf-8")
                print(f"confidences refreshed: {target.relative_to(ROOT)}")
    for name in refused:
        print(f"left alone (differs beyond confidences; read the note, then make golden): {name}")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
