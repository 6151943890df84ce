"""The committed JSON Schema matches the models, and every record validates against it."""

from __future__ import annotations

import json

import jsonschema

from note_extract.batch.output import record_json
from note_extract.core.models import NoteRecord
from note_extract.record.schema import SCHEMA_FILE, schema_text

from .conftest import ROOT


def test_committed_schema_has_not_drifted_from_the_models() -> None:
    committed = (ROOT / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(), "schemas/ is out of date: run `make schema` and review the diff"


def test_every_seed_record_validates_against_the_schema(seed_records: dict[str, NoteRecord]) -> None:
    schema = json.loads((ROOT / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for record in seed_records.values():
        errors = list(validator.iter_errors(json.loads(record_json(record))))
        assert not errors, errors[0].message


def test_schema_documents_every_field() -> None:
    schema = json.loads(schema_text())
    event = schema["$defs"]["Event"]["properties"]
    assert "description" in event["end_date"]
    assert schema["properties"]["schema_version"]["const"] == "1.3.0"
