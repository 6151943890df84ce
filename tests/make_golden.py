"""Regenerate tests/golden/ from the pipeline. Review every diff against its note before committing."""

from __future__ import annotations

import json
from pathlib import Path

from note_extract.output import record_json
from note_extract.pipeline import Pipeline
from note_extract.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    pipeline = Pipeline(Settings())
    for path in sorted((ROOT / "data" / "raw").glob("*.txt")):
        data = json.loads(record_json(pipeline.extract_file(path, f"data/raw/{path.name}")))
        data.pop("extractor")
        target = ROOT / "tests" / "golden" / f"{path.stem}.json"
        target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
