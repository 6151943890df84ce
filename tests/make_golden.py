"""Regenerate tests/golden/ from the pipeline. Review every diff against its note before committing.

Covers the real notes in data/raw/ and the hand-built notes in tests/notes/ (one per input form the
seeds do not show).
"""

from __future__ import annotations

import json
from pathlib import Path

from note_extract.batch.batch import DEFAULT_PATTERNS, discover
from note_extract.batch.output import record_json
from note_extract.core.settings import Settings
from note_extract.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
NOTE_DIRS = (ROOT / "data" / "raw", ROOT / "tests" / "notes")


def main() -> None:
    pipeline = Pipeline(Settings())
    for folder in NOTE_DIRS:
        for path in discover(folder, DEFAULT_PATTERNS):
            display = path.relative_to(ROOT).as_posix()
            data = json.loads(record_json(pipeline.extract_file(path, display)))
            data.pop("extractor")
            target = ROOT / "tests" / "golden" / f"{path.stem}.json"
            target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
