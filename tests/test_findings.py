"""The catalogue of findings: every code worded once, every template fillable."""

from __future__ import annotations

from typing import get_args

import pytest

from note_extract.core.findings import FindingCode, finding
from note_extract.core.spans import CleanSpan
from note_extract.rules.catalogue import load_catalogue
from note_extract.rules.checks import template_fields


def test_every_code_has_one_row_and_every_template_fills_from_its_fields() -> None:
    catalogue = load_catalogue()
    assert set(catalogue.kinds) == set(get_args(FindingCode))
    for code, kind in catalogue.kinds.items():
        variants = list(kind.message) if isinstance(kind.message, dict) else [None]
        for variant in variants:
            names = {n for t in kind.templates() for n in template_fields(t)} - {"raw"}
            found = finding(code, CleanSpan(0, 1), variant=variant, **{n: f"<{n}>" for n in names})
            severity, message, hint = catalogue.render(found, "<raw>")
            assert severity == kind.severity
            assert "{" not in message and "}" not in message, (code, message)
            assert hint is None or "{" not in hint


def test_a_finding_without_a_field_its_message_needs_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="org-fuzzy: the finding gives no value for 'entry'"):
        load_catalogue().render(finding("org-fuzzy", name="X", score="91.0"), None)


def test_fields_fill_message_and_hint_and_raw_is_the_written_text() -> None:
    catalogue = load_catalogue()
    _, message, hint = catalogue.render(finding("ocr-repaired", word="1540"), "l540")
    assert (message, hint) == ('"l540" was read as "1540" (characters OCR confuses)', 'write "1540"')
