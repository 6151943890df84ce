"""The event: title, kind, dates and venue, from every header form; issues where they are missing."""

from __future__ import annotations

import pytest

from note_extract.event.event import event_kind
from note_extract.pipeline import Pipeline
from note_extract.rules.bundle import shipped_rules

from .conftest import extract

RULES = shipped_rules()


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("National Action Plan Workshop on Strengthening", "workshop"),
        ("Meeting to assist Panama in the development of a plan", "meeting"),
        ("Regional Seminar on resolution 1540", "seminar"),
        ("Facilitation Event for UN Security Council Resolution 1540 (2004)", "event"),
        ("Country visit to Kenya", "visit"),
        ("Tabletop exercise", "exercise"),
        ("Peer review between Croatia and Poland", "peer_review"),
        ("Something else", "other"),
        (None, "other"),
    ],
)
def test_kind_is_the_earliest_kind_word_in_the_title(title: str | None, kind: str) -> None:
    assert event_kind(RULES, title) == kind


@pytest.mark.parametrize(
    ("value", "place", "city", "code", "virtual"),
    [
        ("28-29 July 2016, Panama City, Panama.", None, "Panama City", "PA", False),
        ("Georgetown, Guyana, 4 October 2017", None, "Georgetown", "GY", False),
        ("UN House, Bangkok, Thailand, 3 May 2019", "UN House", "Bangkok", "TH", False),
        ("4 May 2019, Kenya", None, None, "KE", False),
        ("4 May 2019, virtual meeting", None, None, None, True),
        ("4 May 2019, Vienna, Austria (hybrid)", None, "Vienna", "AT", True),
        (", , 6-7 April 2016", None, None, None, False),
        ("Kenya, Nairobi, 2 December 2019", None, "Nairobi", "KE", False),
        ("Lom\u00e9 (Togo), du 3 au 5 juin 2019", None, "Lom\u00e9", "TG", False),
        (
            "Vienna International Centre (VIC), Vienna, Austria",
            "Vienna International Centre, VIC",
            "Vienna",
            "AT",
            False,
        ),
        ("Georgetown, Guyana, 4 October 2017", None, "Georgetown", "GY", False),
        ("Georgetown, Malaysia, 4 October 2017", None, "Georgetown", "MY", False),
    ],
)
def test_venue_forms(
    pipeline: Pipeline, value: str, place: str | None, city: str | None, code: str | None, virtual: bool
) -> None:
    venue = extract(pipeline, f"Event: X\n\nOrganizers: OAS\n\nDate and venue: {value}\n").event.venue
    assert (venue.place, venue.city, venue.country_code, venue.virtual) == (place, city, code, virtual)


def test_a_city_without_its_country_is_not_given_one(pipeline: Pipeline) -> None:
    record = extract(pipeline, "Event: X\n\nOrganizers: OAS\n\nDate and venue: 4 October 2017, Georgetown\n")
    assert (record.event.venue.city, record.event.venue.country_code) == ("Georgetown", None)
    assert [i.code for i in record.issues] == ["venue-country-missing"]


def test_separate_date_and_venue_fields(pipeline: Pipeline) -> None:
    event = extract(pipeline, "Event: X\n\nVenue: Lima, Peru\n\nDates: 30 November - 2 December 2019\n").event
    assert (event.venue.city, event.venue.country_code) == ("Lima", "PE")
    assert (str(event.start_date), str(event.end_date)) == ("2019-11-30", "2019-12-02")


def test_missing_date_and_venue_are_issues(pipeline: Pipeline) -> None:
    record = extract(pipeline, "Event: X\n\nOrganizers: OAS\n")
    codes = {i.code for i in record.issues}
    assert {"date-missing", "venue-missing"} <= codes
    assert record.event.start_date is None and record.event.venue.city is None


def test_unreadable_date_is_an_issue_with_its_place(pipeline: Pipeline) -> None:
    raw = "Event: X\n\nOrganizers: OAS\n\nDate and venue: sometime soon, Lima, Peru\n"
    record = extract(pipeline, raw)
    issue = next(i for i in record.issues if i.code == "date-unparsed")
    assert issue.span is not None and "sometime soon" in raw[issue.span[0] : issue.span[1]]


def test_without_a_header_the_date_comes_from_the_text(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "On 17 January 2017 a letter was sent. The workshop took place on 4 October 2017 in Georgetown.\n",
    )
    assert str(record.event.start_date) == "2017-10-04"
    assert record.event.found_in == "text"
    assert "header-missing" in {i.code for i in record.issues}


def test_a_title_wrapped_over_lines_is_one_line(pipeline: Pipeline) -> None:
    record = extract(pipeline, 'Event: "A workshop on\n\nexport control"\n\nOrganizers: OAS\n')
    assert record.event.title == "A workshop on export control"
    assert record.event.title_span is not None


def test_a_venue_line_with_several_stops_keeps_the_one_of_the_date(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: Visit\n\nOrganizers: UNODA\n\nDate and venue: 2-3 October 2023, Port Moresby, "
        "Papua New Guinea; 5 October 2023, Suva, Fiji\n",
    )
    venue = record.event.venue
    assert (venue.city, venue.country_code) == ("Port Moresby", "PG")
    assert (str(record.event.start_date), str(record.event.end_date)) == ("2023-10-02", "2023-10-03")
    assert [i.code for i in record.issues] == ["venue-several"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-05-11", "2015-05-11"),
        ("25/05/2015", "2015-05-25"),
        ("05/25/2015", "2015-05-25"),
        ("7.7.2016", "2016-07-07"),
    ],
)
def test_numeric_header_dates_that_read_one_way(pipeline: Pipeline, value: str, expected: str) -> None:
    record = extract(pipeline, f"Event: X\n\nOrganizers: OAS\n\nDate: {value}\n\nVenue: Lima, Peru\n")
    assert (str(record.event.start_date), str(record.event.end_date)) == (expected, expected)
    assert record.issues == []


def test_a_numeric_date_that_reads_two_ways_is_an_issue_not_a_guess(pipeline: Pipeline) -> None:
    raw = "Event: X\n\nOrganizers: OAS\n\nDate: 11/05/2015\n\nVenue: Lima, Peru\n"
    record = extract(pipeline, raw)
    assert record.event.start_date is None
    [issue] = record.issues
    assert issue.code == "date-ambiguous" and issue.span is not None
    assert raw[issue.span[0] : issue.span[1]] == "11/05/2015"
    assert "2015-05-11 (day first) or 2015-11-05 (month first)" in issue.message


def test_a_range_whose_end_is_lost_is_an_issue_not_a_one_day_event(pipeline: Pipeline) -> None:
    record = extract(
        pipeline, "Event: A workshop\nOrganizers: UNODA\nDate: 14 March 2016 -\nVenue: Vienna, Austria\n"
    )
    assert str(record.event.start_date) == "2016-03-14" and record.event.end_date is None
    assert "date-range-end-missing" in [i.code for i in record.issues]


def test_separate_start_and_end_fields_make_one_range(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A workshop\nOrganizers: UNODA\nStart date: 5 December 2016\nEnd date: 2016-12-07\n"
        "Venue: Bishkek, Kyrgyzstan\n",
    )
    assert (str(record.event.start_date), str(record.event.end_date)) == ("2016-12-05", "2016-12-07")
    assert record.event.date_text == "5 December 2016 - 2016-12-07"
    assert not [i for i in record.issues if i.code.startswith("date")]


def test_a_start_date_without_an_end_is_reported(pipeline: Pipeline) -> None:
    record = extract(pipeline, "Event: A workshop\nOrganizers: UNODA\nStart date: 5 December 2016\n")
    assert record.event.end_date is None
    assert "date-range-end-missing" in [i.code for i in record.issues]


def test_hybrid_venue_keeps_city_country_and_virtual(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A dialogue\nOrganizers: UNODA\nDate: 8 March 2022\nVenue: Bridgetown, Barbados and online\n",
    )
    venue = record.event.venue
    assert (venue.city, venue.country_code, venue.virtual) == ("Bridgetown", "BB", True)


@pytest.mark.parametrize(
    ("written", "city", "code"),
    [
        ("siège de l'UNREC, Lomé (Togo)", "Lomé", "TG"),
        ("La Paz, Estado Plurinacional de Bolivia", "La Paz", "BO"),
        ("Austria, Vienna", "Vienna", "AT"),
        ("Federation House, FICCI, Tansen Marg, New Delhi, India", "New Delhi", "IN"),
    ],
)
def test_header_venue_forms(pipeline: Pipeline, written: str, city: str, code: str) -> None:
    record = extract(
        pipeline, f"Event: A workshop\nOrganizers: UNODA\nDate: 8 March 2022\nVenue: {written}\n"
    )
    assert (record.event.venue.city, record.event.venue.country_code) == (city, code)


def test_a_page_labelling_only_its_dates_is_read_from_its_text_for_the_rest(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "National Roundtable on Export Controls\nStart Date: Dec 6, 2022\nEnd Date: Dec 8, 2022\n"
        "Group photo of participants at the roundtable, 6th - 8th December, 2022\n"
        "On 6-8 December 2022, UNODA held a national roundtable in Ulaanbaatar, Mongolia, in cooperation "
        "with the OSCE.\n",
    )
    assert (str(record.event.start_date), str(record.event.end_date)) == ("2022-12-06", "2022-12-08")
    assert (record.event.venue.city, record.event.venue.country_code) == ("Ulaanbaatar", "MN")
    assert record.event.venue.virtual is False
    assert [r.id for r in record.organizers] == ["unoda", "osce"]


def test_a_dash_between_a_date_and_its_venue_is_no_open_range(pipeline: Pipeline) -> None:
    record = extract(
        pipeline, "Event: A workshop\nOrganizers: UNODA\nDate and venue: 14 March 2016 - Vienna, Austria\n"
    )
    assert (str(record.event.start_date), str(record.event.end_date)) == ("2016-03-14", "2016-03-14")
    assert record.event.venue.city == "Vienna"
    assert "date-range-end-missing" not in [i.code for i in record.issues]
