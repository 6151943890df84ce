"""OCR repair reads confusable tokens as the known word they spell, and says where."""

from __future__ import annotations

import pytest

from note_extract.core.spans import CleanSpan
from note_extract.pipeline import Pipeline
from note_extract.read.normalize import normalize
from note_extract.read.ocr import OcrRepairer
from note_extract.rules.bundle import shipped_rules

from .conftest import extract

RULES = shipped_rules()


@pytest.fixture(scope="module")
def repairer() -> OcrRepairer:
    return OcrRepairer(RULES, ["Committee", "Office", "WCO", "INTERPOL", "UNODA"])


@pytest.mark.parametrize(
    ("token", "word"),
    [
        ("0rganizers", "Organizers"),
        ("l540", "1540"),
        ("Comrnittee", "Committee"),
        ("Of\ufb01ce", "Office"),
        ("Septernber", "September"),
        ("Auqust", "August"),
        ("WC0", "WCO"),
        ("lNTERPOL", "INTERPOL"),
        ("20l8", "2018"),
        ("l2", "12"),
        ("2O16", "2016"),
    ],
)
def test_a_damaged_token_is_read_as_its_known_word(repairer: OcrRepairer, token: str, word: str) -> None:
    assert repairer.word_for(token) == word


@pytest.mark.parametrize(
    "token", ["Government", "Modern", "Iraq", "Committee", "1540", "Eastern", "WC9", "CO2", "Il", "lOl"]
)
def test_known_or_unknown_words_are_never_rewritten(repairer: OcrRepairer, token: str) -> None:
    assert repairer.word_for(token) is None


def test_repairs_keep_offsets_and_name_what_was_written(repairer: OcrRepairer) -> None:
    raw = "Event: Workshop on resolution l540\n0rganizers: UN0DA\n"
    note, repairs = repairer.repair(normalize(RULES, raw))
    assert "resolution 1540" in note.text and "Organizers: UNODA" in note.text
    assert [(raw[slice(*r.span)], r.word) for r in repairs] == [
        ("l540", "1540"),
        ("0rganizers", "Organizers"),
        ("UN0DA", "UNODA"),
    ]
    at = note.text.index("UNODA")
    assert note.clean.to_raw(CleanSpan(at, at + 5)) == (raw.index("UN0DA"), raw.index("UN0DA") + 5)


def test_the_record_reports_each_repair_as_an_info_issue(pipeline: Pipeline) -> None:
    raw = "Event: A workshop\n0rganizers: UNODA\nDate and venue: 3 Septernber 2019, Amman, Jordan\n"
    record = extract(pipeline, raw)
    repaired = [i for i in record.issues if i.code == "ocr-repaired"]
    assert [raw[i.span[0] : i.span[1]] for i in repaired if i.span] == ["0rganizers", "Septernber"]
    assert all(i.severity == "info" for i in repaired)
    assert [r.id for r in record.organizers] == ["unoda"]
    assert str(record.event.start_date) == "2019-09-03"


def test_country_names_are_known_words_too(pipeline: Pipeline) -> None:
    record = extract(pipeline, "Event: A workshop\nOrganizers: UNODA\nDate and venue: 3 June 2019, Bo1ivia\n")
    assert record.event.venue.country_code == "BO"
