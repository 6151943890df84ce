"""The real notes and the hand-built ones: what users need from each, plus golden records.

Golden records in tests/golden/ are reviewed by eye against each note; regenerate them with
``make golden`` only after reading the diff.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from note_extract.batch.output import record_json
from note_extract.core.models import EntityRef, NoteRecord
from note_extract.pipeline import Pipeline
from note_extract.read.reader import read_note

from .conftest import ALL_NOTES, GOLDEN_DIR, display


def ids(refs: list[EntityRef]) -> list[str | None]:
    return [r.id for r in refs]


def test_004_lima_facilitation_event(seed_records: dict[str, NoteRecord]) -> None:
    record = seed_records["004"]
    event = record.event
    assert (str(event.start_date), str(event.end_date)) == ("2010-11-09", "2010-11-11")
    assert (event.venue.city, event.venue.country, event.venue.country_code) == ("Lima", "Peru", "PE")
    assert ids(record.organizers) == ["unoda", "unlirec", "committee-1540"]
    assert record.organizers[1].text.startswith("UN Regional Center for Peace")
    assert ids(record.sponsors) == ["country:US"]
    assert ids(record.hosts) == ["country:PE"]
    labels = [g.label for g in record.participants]
    assert labels == [
        "States",
        "International, regional, and sub-regional organizations",
        "Non-government Organizations",
    ]
    assert ids(record.participants[0].members) == [
        "country:AR",
        "country:BR",
        "country:CR",
        "country:PE",
        "country:US",
    ]
    orgs = ids(record.participants[1].members)
    assert "unlirec" in orgs and "iaea" in orgs and "1540-experts" in orgs
    lirec = [m for m in record.participants[1].members if m.id == "unlirec"]
    assert [m.text for m in lirec] == ["UN LIREC"]
    assert ids(record.participants[2].members) == ["cits-uga", "vertic"]


def test_004_unlirec_spellings_resolve_to_one_identity(seed_records: dict[str, NoteRecord]) -> None:
    spellings = {m.text for r in seed_records.values() for m in r.mentions.organizations if m.id == "unlirec"}
    assert {"UNLIREC", "UN LIREC"} <= spellings
    assert any("LiREC" in s for s in spellings)


def test_003_venue_and_date_in_reverse_order(seed_records: dict[str, NoteRecord]) -> None:
    event = seed_records["003"].event
    assert (event.venue.city, event.venue.country_code, str(event.start_date), str(event.end_date)) == (
        "Georgetown",
        "GY",
        "2017-10-04",
        "2017-10-04",
    )
    assert event.title is not None and event.title.startswith("National Action Plan Workshop")
    assert event.kind == "workshop"
    assert ids(seed_records["003"].organizers) == ["country:GY", "unlirec"]


def test_002_no_venue_is_an_issue_not_a_guess(seed_records: dict[str, NoteRecord]) -> None:
    record = seed_records["002"]
    event = record.event
    assert (str(event.start_date), str(event.end_date)) == ("2024-02-20", "2024-02-21")
    assert (event.venue.city, event.venue.country, event.venue.country_code) == (None, None, None)
    assert "venue-missing" in [i.code for i in record.issues]
    assert ids(record.organizers) == ["cicte"]
    assert [g.label for g in record.participants] == [
        "International organizations",
        "Regional organizations",
        "National agencies",
        "Non-governmental organizations",
    ]
    assert all(m.id is not None for g in record.participants for m in g.members)
    assert {(r.number, r.year) for r in record.mentions.resolutions} == {
        (1540, 2004),
        (2325, 2016),
        (2663, 2022),
    }


def test_002_letter_dates_in_the_body_are_not_the_event_date(seed_records: dict[str, NoteRecord]) -> None:
    record = seed_records["002"]
    assert "2024-01-17" in [str(d.start_date) for d in record.mentions.dates]
    assert str(record.event.start_date) == "2024-02-20"


def test_001_footnote_removed_and_sentence_whole(seed_records: dict[str, NoteRecord]) -> None:
    record = seed_records["001"]
    text = " ".join(s.text for s in record.sections)
    assert "weapons of mass destruction as well" in text
    assert "not an official report" not in text
    assert "disclaimer" in [f.kind for f in record.furniture]
    assert ids(record.organizers) == ["sica", "oas", "stanley-foundation", "stimson"]
    assert (record.event.venue.city, record.event.venue.country_code, str(record.event.start_date)) == (
        "Panama City",
        "PA",
        "2010-05-05",
    )


def test_000_table_header_participant_group_and_observer(seed_records: dict[str, NoteRecord]) -> None:
    record = seed_records["000"]
    assert (str(record.event.start_date), str(record.event.end_date)) == ("2016-07-28", "2016-07-29")
    assert (record.event.venue.city, record.event.venue.country_code) == ("Panama City", "PA")
    assert ids(record.organizers) == ["country:PA", "cicte"]
    group = record.participants[0]
    assert (group.label, group.country_code) == ("Panama", "PA")
    assert len(group.members) == 11
    assert all(m.country_code == "PA" and m.match.method == "rule" for m in group.members)
    assert "country:US" in ids(record.observers)
    assert "country:PA" not in ids(record.observers)


def test_contact_line_is_furniture_not_section_text(seed_records: dict[str, NoteRecord]) -> None:
    for record in seed_records.values():
        assert "contact" in [f.kind for f in record.furniture]
        assert all("For further information" not in s.text for s in record.sections)
        assert [e.address for e in record.mentions.emails] == ["1540experts@un.org"]


def _spans(value: Any) -> Iterator[tuple[dict[str, Any], str]]:
    """Every (object, span key) pair in a record; a section's text is cleaned, so its span is kept apart."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in {"span", "title_span", "date_span", "label_span"} and item is not None:
                yield value, key
            else:
                yield from _spans(item)
    elif isinstance(value, list):
        for item in value:
            yield from _spans(item)


@pytest.mark.parametrize("path", ALL_NOTES, ids=lambda p: p.stem)
def test_every_span_slices_back_to_its_text(note_records: dict[str, NoteRecord], path: Any) -> None:
    raw, _source = read_note(path)
    data = note_records[path.stem].model_dump(mode="json")
    checked = 0
    for owner, key in _spans(data):
        start, end = owner[key]
        assert 0 <= start <= end <= len(raw)
        if key == "span" and "text" in owner and "heading" not in owner:
            assert raw[start:end] == owner["text"], owner
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("path", ALL_NOTES, ids=lambda p: p.stem)
def test_output_is_byte_identical_across_runs(note_records: dict[str, NoteRecord], path: Any) -> None:
    from note_extract.core.settings import Settings

    first = record_json(note_records[path.stem])
    second = record_json(Pipeline(Settings()).extract_file(path, display(path)))
    assert first == second


@pytest.mark.parametrize("path", ALL_NOTES, ids=lambda p: p.stem)
def test_record_matches_reviewed_golden_file(note_records: dict[str, NoteRecord], path: Any) -> None:
    golden = GOLDEN_DIR / f"{path.stem}.json"
    assert golden.is_file(), f"missing {golden}; create it with make golden and review it"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    actual = json.loads(record_json(note_records[path.stem]))
    for volatile in ("extractor",):
        expected.pop(volatile, None)
        actual.pop(volatile, None)
    assert actual == expected
