"""Hand-built notes in tests/notes/, one per input form the five seeds do not show.

Each is written the way the notes of other regions and years come out of PDF converters; its golden
record in tests/golden/ was reviewed by eye. These tests name what each note exists to prove.
"""

from __future__ import annotations

from datetime import date

import pytest

from note_extract.core.models import EntityRef, NoteRecord


def ids(refs: list[EntityRef]) -> list[str | None]:
    return [r.id for r in refs]


def codes(record: NoteRecord) -> list[str]:
    return [i.code for i in record.issues]


@pytest.fixture(scope="module")
def wild(note_records: dict[str, NoteRecord]) -> dict[str, NoteRecord]:
    return {stem[:3]: record for stem, record in note_records.items() if stem[0] == "1"}


def test_101_markdown_footnotes_running_header_and_country_city_order(wild: dict[str, NoteRecord]) -> None:
    r = wild["101"]
    assert r.event.title is not None and r.event.title.startswith("Regional Seminar on the Implementation")
    assert (r.event.start_date, r.event.end_date) == (date(2019, 11, 30), date(2019, 12, 2))
    assert (r.event.venue.city, r.event.venue.country_code) == ("Nairobi", "KE")
    assert ids(r.organizers) == ["auc", "unoda", "iss-africa"]  # "Organised by" and "Co-organizers"
    assert ids(r.sponsors) == ["eu"]
    assert [g.label for g in r.participants] == ["States", "International organizations", "1540 Committee"]
    assert "country:DJ" in ids(r.participants[0].members)  # a zero-width space inside "Djibouti"
    assert ids(r.participants[2].members) == ["committee-1540", "1540-experts"]
    kinds = [f.kind for f in r.furniture]
    assert {"document_title", "footnote_marker", "running_header", "disclaimer", "contact"} <= set(kinds)
    background = r.sections[0].text
    assert "implementation of resolution 1540" in background  # hyphenated over a line end
    assert "Page 1" not in background and "Information Note" not in background
    assert "the\nAfrican Union" not in background  # line wrapping undone
    assert r.issues == []


def test_102_labels_alone_on_their_line_building_before_city_and_parent_child_name(
    wild: dict[str, NoteRecord],
) -> None:
    r = wild["102"]
    assert (r.event.start_date, r.event.end_date) == (date(2018, 2, 28), date(2018, 3, 1))
    venue = r.event.venue
    assert (venue.place, venue.city, venue.country_code) == ("UN House", "Bangkok", "TH")
    assert ids(r.organizers) == ["unrcpd", "exbs"]  # not the State Department and EXBS as two parties
    assert ids(r.hosts) == ["country:TH"]
    assert ids(r.observers) == ["country:KR"]
    assert r.issues == []


def test_103_html_export_list_of_days_and_virtual_venue(wild: dict[str, NoteRecord]) -> None:
    r = wild["103"]
    assert (r.event.start_date, r.event.end_date) == (date(2020, 12, 1), date(2020, 12, 15))
    assert r.event.days == [date(2020, 12, 1), date(2020, 12, 8), date(2020, 12, 15)]
    assert r.event.venue.virtual and r.event.venue.city is None
    assert ids(r.organizers) == ["unlirec", "country:JM"]  # "&amp;" between them
    assert "caricom-impacs" in ids(r.participants[0].members)
    assert "caricom" not in ids(r.participants[0].members)
    assert r.issues == []


def test_104_empty_venue_values_and_crlf(wild: dict[str, NoteRecord]) -> None:
    r = wild["104"]
    assert (r.event.start_date, r.event.end_date) == (date(2016, 4, 6), date(2016, 4, 7))
    assert r.event.venue.city is None and r.event.venue.country is None
    assert codes(r) == ["venue-missing"]
    assert ids(r.organizers) == ["osce"]


def test_105_no_header_event_read_from_the_narrative(wild: dict[str, NoteRecord]) -> None:
    r = wild["105"]
    assert r.event.found_in == "text"
    assert r.event.start_date == date(2017, 10, 4)
    assert (r.event.venue.city, r.event.venue.country_code) == ("Georgetown", "GY")
    assert ids(r.organizers) == ["unlirec", "country:GY"]
    assert {"header-missing", "date-from-text", "organizers-from-text", "title-missing"} == set(codes(r))


def test_106_french_note_with_a_bom(wild: dict[str, NoteRecord]) -> None:
    r = wild["106"]
    assert r.language == "fr" and r.source.encoding == "utf-8-sig"
    assert (r.event.start_date, r.event.end_date) == (date(2018, 3, 12), date(2018, 3, 13))
    assert (r.event.venue.city, r.event.venue.country_code) == ("Abidjan", "CI")
    assert r.event.kind == "workshop"
    assert ids(r.organizers) == ["country:CI", "unoda"]
    assert ids(r.participants[0].members) == ["country:CI", "1540-experts", "iaea", "opcw"]


def test_107_spanish_note_in_windows_1252(wild: dict[str, NoteRecord]) -> None:
    r = wild["107"]
    assert r.language == "es" and r.source.encoding == "cp1252"
    assert (r.event.start_date, r.event.end_date) == (date(2015, 11, 9), date(2015, 11, 11))
    assert (r.event.venue.city, r.event.venue.country_code) == ("Ciudad de Guatemala", "GT")
    assert r.event.title is not None and "implementación" in r.event.title


def test_108_mojibake_us_month_first_dates_with_weekdays(wild: dict[str, NoteRecord]) -> None:
    r = wild["108"]
    assert r.event.title == "Seminar on Biosecurity and Resolution 1540 (2004) - Central Asia"
    assert (r.event.start_date, r.event.end_date) == (date(2012, 12, 5), date(2012, 12, 6))
    assert '"Best Practice Guide"' in r.sections[0].text
    assert ids(r.organizers) == ["osce", "unoda"]
    assert {"who", "bwc-isu"} <= set(ids(r.participants[0].members))


def test_109_table_header_month_range_and_letter_date_not_the_event(wild: dict[str, NoteRecord]) -> None:
    r = wild["109"]
    assert r.event.kind == "visit"
    assert (r.event.start_date, r.event.end_date) == (date(2019, 12, 1), date(2020, 1, 31))
    assert r.event.date_precision == "month"
    assert (r.event.venue.city, r.event.venue.country_code) == ("Ulaanbaatar", "MN")
    assert ids(r.hosts) == ["country:MN"]
