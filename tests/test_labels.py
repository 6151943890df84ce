"""The label vocabulary matches labels as converters and OCR write them, in three languages."""

from __future__ import annotations

import pytest

from note_extract.core.resources import data_path, load_rows
from note_extract.layout.labels import field_of_label, label_key, label_regex, near_label
from note_extract.layout.layout import split_layout
from note_extract.read.normalize import normalize
from note_extract.rules.bundle import shipped_rules
from note_extract.rules.rows import LabelRow

RULES = shipped_rules()


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("ORGANIZERS", "organizers"),
        ("0rganizers", "organizers"),
        ("Date(s)", "date"),
        ("Date (s)", "date"),
        ("With the financial\n   support of", "sponsors"),
        ("Co-hosted by", "cohosts"),
        ("Co - sponsors", "sponsors"),
        ("Place and date", "date_venue"),
        ("Start date", "start_date"),
        ("End date", "end_date"),
        ("When", "date"),
        ("Where", "venue"),
        ("Platform", "venue"),
        ("Attendees", "participants"),
        ("In cooperation with", "organizers"),
        ("Lieu", "venue"),
        ("Avec l\u2019appui financier de", "sponsors"),
        ("Organisateurs", "organizers"),
        ("Lugar", "venue"),
        ("Con el financiamiento de", "sponsors"),
        ("Participantes", "participants"),
        ("Tit1e", "title"),
        ("Venue", "venue"),
        ("Attended by", "participants"),
        ("Co-organized by", "organizers"),
        ("Date & place", "date_venue"),
    ],
)
def test_a_label_is_found_and_mapped_to_its_field_whatever_its_spelling(written: str, field: str) -> None:
    match = label_regex(RULES).match(written)
    assert match is not None and match.group(0) == written
    assert field_of_label(RULES, match.group("label")) == field


def test_words_that_are_no_labels_are_not_labels() -> None:
    for text in ("Background", "Highlights", "States", "Committee", "Venue details"):
        assert field_of_label(RULES, text) is None


def test_no_two_fields_share_a_label_key() -> None:
    seen: dict[str, str] = {}
    for row in load_rows(data_path("labels.jsonl"), LabelRow):
        for label in row.labels:
            key = label_key(label)
            assert seen.setdefault(key, row.field) == row.field, label


@pytest.mark.parametrize(
    ("written", "field"),
    [("Partcipants", "participants"), ("Organsiers", "organizers"), ("Sponsord by", "sponsors"),
     ("Date and venu", "date_venue")],
)  # fmt: skip
def test_a_long_label_with_one_typo_is_still_its_field(written: str, field: str) -> None:
    assert near_label(RULES, written) == field


@pytest.mark.parametrize("written", ["Hots", "Evnet", "Backgroud", "Objectives", "Remarks"])
def test_short_labels_and_words_two_edits_away_are_no_label(written: str) -> None:
    assert near_label(RULES, written) is None


def test_a_header_line_with_a_misspelt_label_is_read_as_that_field() -> None:
    text = "Event: A workshop\nPartcipants: Fiji, Samoa\n\n1. Background\n\nText.\n"
    layout = split_layout(RULES, normalize(RULES, text))
    assert [(f.field, text[f.value_start : f.value_end]) for f in layout.fields] == [
        ("title", "A workshop"),
        ("participants", "Fiji, Samoa"),
    ]


def test_a_label_written_in_two_languages_is_read_as_its_field() -> None:
    text = "Evento: Taller\nFecha y lugar / Date and venue: 3 y 4 de abril de 2019, Tegucigalpa, Honduras\n"
    layout = split_layout(RULES, normalize(RULES, text))
    assert [f.field for f in layout.fields] == ["title", "date_venue"]
