"""The JSON Schema of the record, generated from the pydantic models.

Contract: :func:`record_schema` returns the schema as a dict (draft 2020-12, ``$id`` carrying the
major version), :func:`schema_text` its deterministic text, and :data:`SCHEMA_FILE` the file name under
``schemas/``. A test compares the committed file with this output, so the two never drift.
"""

from __future__ import annotations

import json
from typing import Any

from note_extract.core.models import SCHEMA_VERSION, NoteRecord

MAJOR = SCHEMA_VERSION.split(".")[0]
SCHEMA_FILE = f"note_record.v{MAJOR}.schema.json"


def record_schema() -> dict[str, Any]:
    """The record's JSON Schema."""
    schema = NoteRecord.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://note-extract.invalid/schemas/{SCHEMA_FILE}",
        "title": "note_extract record",
        "x-schema-version": SCHEMA_VERSION,
        **schema,
    }


def schema_text() -> str:
    """The schema as deterministic JSON text."""
    return json.dumps(record_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
