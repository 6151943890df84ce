"""The event stage alone: layouts and hits built by hand (see ``stage_inputs``)."""

from __future__ import annotations

from datetime import date

from note_extract.core.findings import Finding
from note_extract.core.spans import CleanSpan
from note_extract.event.event import extract_event

from .stage_inputs import RULES, countries, header, hits

EN = ("en",)


def _codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_title_kind_dates_and_venue_come_from_the_header() -> None:
    text, layout = header(
        ("title", "Event", '"National workshop on resolution 1540"'),
        ("date_venue", "Date and venue", "4-6 October 2017, Nairobi, Kenya"),
    )
    event, findings = extract_event(
        RULES, text, layout, hits(text, ("Kenya", "country", "KE")), countries(), EN
    )
    assert event.title == "National workshop on resolution 1540" and event.kind == "workshop"
    assert event.title_span is not None and text[slice(*event.title_span)] == event.title
    assert event.dates is not None
    assert (event.dates.start, event.dates.end) == (date(2017, 10, 4), date(2017, 10, 6))
    assert isinstance(event.dates.span, CleanSpan) and text[slice(*event.dates.span)] == "4-6 October 2017"
    venue = event.venue
    assert (venue.city, venue.country, venue.country_code, venue.virtual) == ("Nairobi", "Kenya", "KE", False)
    assert venue.span is not None and text[slice(*venue.span)] == "Nairobi, Kenya"
    assert event.found_in == "header" and event.context is None
    assert findings == []


def test_what_the_header_lacks_is_a_finding_and_never_a_guess() -> None:
    text, layout = header(("organizers", "Organizers", "UNODA"))
    event, findings = extract_event(RULES, text, layout, [], countries(), EN)
    assert (event.title, event.dates, event.venue.span) == (None, None, None)
    assert _codes(findings) == ["title-missing", "date-missing", "venue-missing"]


def test_a_date_that_cannot_be_read_is_reported_at_its_field() -> None:
    text, layout = header(("title", "Event", "A seminar"), ("date", "Date", "sometime soon"))
    event, findings = extract_event(RULES, text, layout, [], countries(), EN)
    assert event.dates is None
    unparsed = next(f for f in findings if f.code == "date-unparsed")
    assert unparsed.span is not None and text[slice(*unparsed.span)] == "sometime soon"


def test_a_numeric_date_that_reads_two_ways_is_a_finding_with_both_readings() -> None:
    text, layout = header(("title", "Event", "A seminar"), ("date", "Date", "11/05/2015"))
    event, findings = extract_event(RULES, text, layout, [], countries(), EN)
    assert event.dates is None
    [ambiguous] = [f for f in findings if f.code == "date-ambiguous"]
    assert dict(ambiguous.fields) == {"day_first": "2015-05-11", "month_first": "2015-11-05"}


def test_a_range_whose_end_is_lost_keeps_no_end_and_says_so() -> None:
    text, layout = header(
        ("title", "Event", "A seminar"), ("date_venue", "Date and venue", "14 March 2016 -")
    )
    event, findings = extract_event(RULES, text, layout, [], countries(), EN)
    assert event.dates is not None and (event.dates.start, event.dates.end) == (date(2016, 3, 14), None)
    assert "date-range-end-missing" in _codes(findings)


def test_separate_start_and_end_fields_make_one_range() -> None:
    text, layout = header(
        ("title", "Event", "A seminar"),
        ("start_date", "Start date", "14 March 2016"),
        ("end_date", "End date", "16 March 2016"),
        ("venue", "Venue", "Vienna, Austria"),
    )
    event, _ = extract_event(RULES, text, layout, hits(text, ("Austria", "country", "AT")), countries(), EN)
    assert event.dates is not None
    assert (event.dates.start, event.dates.end, event.dates.text) == (
        date(2016, 3, 14),
        date(2016, 3, 16),
        "14 March 2016 - 16 March 2016",
    )
    assert (event.venue.city, event.venue.country_code) == ("Vienna", "AT")


def test_a_venue_with_several_stops_keeps_the_stop_of_the_date() -> None:
    value = "2-3 October 2017, Port Moresby, Papua New Guinea; 5 October 2017, Suva, Fiji"
    text, layout = header(("title", "Event", "A visit"), ("date_venue", "Date and venue", value))
    found = hits(text, ("Papua New Guinea", "country", "PG"), ("Fiji", "country", "FJ"))
    event, findings = extract_event(RULES, text, layout, found, countries(), EN)
    assert (event.venue.city, event.venue.country_code) == ("Port Moresby", "PG")
    several = next(f for f in findings if f.code == "venue-several")
    assert several.span == event.venue.span


def test_a_hybrid_venue_keeps_its_place_and_is_virtual() -> None:
    value = "8 March 2022, Bridgetown, Barbados and online"
    text, layout = header(("title", "Event", "A dialogue"), ("date_venue", "Date and venue", value))
    event, findings = extract_event(
        RULES, text, layout, hits(text, ("Barbados", "country", "BB")), countries(), EN
    )
    assert (event.venue.city, event.venue.country_code, event.venue.virtual) == ("Bridgetown", "BB", True)
    assert findings == []


def test_a_city_without_its_country_gets_none_and_a_finding() -> None:
    text, layout = header(
        ("title", "Event", "A seminar"), ("date_venue", "Date and venue", "4 May 2017, Springfield")
    )
    event, findings = extract_event(RULES, text, layout, [], countries(), EN)
    assert (event.venue.city, event.venue.country) == ("Springfield", None)
    assert _codes(findings) == ["venue-country-missing"]


def test_without_a_header_date_the_event_is_read_from_its_prose() -> None:
    body = (
        "The Committee adopted its programme of work in 2016.\n\n"
        "A national workshop on resolution 1540 took place on 4 and 5 October 2017 in Nairobi, Kenya."
    )
    text, layout = header(("organizers", "Organizers", "UNODA"), body=body)
    found = hits(text, ("UNODA", "org", "unoda"), ("Kenya", "country", "KE"))
    event, findings = extract_event(RULES, text, layout, found, countries(), EN)
    assert event.found_in == "text"
    assert event.dates is not None and (event.dates.start, event.dates.end) == (
        date(2017, 10, 4),
        date(2017, 10, 5),
    )
    assert (event.venue.city, event.venue.country_code, event.venue.country_source) == (
        "Nairobi",
        "KE",
        "written",
    )
    assert event.context is not None
    sentence = text[slice(*event.context.sentence)]
    assert sentence.startswith("A national workshop") and event.context.venue_country == "KE"
    date_finding = next(f for f in findings if f.code == "date-from-text")
    assert date_finding.span == event.dates.span
