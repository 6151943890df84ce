"""A date value is read whole, or its leftover is named: never a part read as the whole."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from note_extract.event.dates import find_dates
from note_extract.event.whole import whole_date
from note_extract.pipeline import Pipeline
from note_extract.rules.bundle import shipped_rules

from .conftest import extract

RULES = shipped_rules()


def _event(pipeline: Pipeline, value: str) -> tuple[str | None, str | None, list[str]]:
    record = extract(pipeline, f"Event: Workshop on X\n\nOrganizers: OAS\n\nDate and venue: {value}\n")
    start, end = record.event.start_date, record.event.end_date
    return (
        start.isoformat() if start else None,
        end.isoformat() if end else None,
        [i.code for i in record.issues],
    )


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("14-15 and 17 May 2019, Lima, Peru", "2019-05-14", "2019-05-17"),
        ("14.-16. May 2019, Lima, Peru", "2019-05-14", "2019-05-16"),
        ("14, 15, 16 May 2019, Lima, Peru", "2019-05-14", "2019-05-16"),
        ("14 15 16 May 2019, Lima, Peru", "2019-05-14", "2019-05-16"),
        ("14 May 2019 and 16 May 2019, Lima, Peru", "2019-05-14", "2019-05-16"),
        ("14 May 2019, 16 May 2019, Lima, Peru", "2019-05-14", "2019-05-16"),
        ("14-16 May 2019 and 3 June 2019, Lima, Peru", "2019-05-14", "2019-06-03"),
        ("Lima, Peru, 30 June and the 1st of July 2015", "2015-06-30", "2015-07-01"),
        ("Dakar, Sénégal, le 30 juin et le 2 juillet 2015", "2015-06-30", "2015-07-02"),
        ("Lima, Perú, el 30 de junio y el 2 de julio de 2015", "2015-06-30", "2015-07-02"),
    ],
)
def test_a_form_the_scanner_reads_in_part_is_read_whole(
    pipeline: Pipeline, value: str, start: str, end: str
) -> None:
    got_start, got_end, codes = _event(pipeline, value)
    assert (got_start, got_end) == (start, end)
    assert "date-partial" not in codes


@pytest.mark.parametrize(
    ("value", "left"),
    [
        ("14-16 May 2019 / 20 May 2019, Lima, Peru", "20 May 2019"),
        ("14 May 2019 (postponed to 20-21 May 2019), Lima, Peru", "20-21 May 2019"),
        ("14 May 2019, Lima, Peru, report of 16 May 2019", "16 May 2019"),
        ("Lima, 2019, Peru, 14 May 2019", "2019"),
    ],
)
def test_date_material_no_reading_consumes_is_named(pipeline: Pipeline, value: str, left: str) -> None:
    record = extract(pipeline, f"Event: Workshop on X\n\nOrganizers: OAS\n\nDate and venue: {value}\n")
    issues = [i for i in record.issues if i.code == "date-partial"]
    assert len(issues) == 1
    assert f'"{left}" was left over' in issues[0].message


@pytest.mark.parametrize(
    "value",
    [
        "Room 3, 14 May 2019, Lima, Peru",
        "14 May 2019, 3 Main Street, Lima, Peru",
        "30 November - 2 December 2019, Nairobi, Kenya",
        "Wednesday, December 5 - Thursday, December 6, 2012, Lima, Peru",
        "9 al 11 de noviembre de 2015, Lima, Perú",
        "28 Feb.-1 March 2018, Lima, Peru",
    ],
)
def test_numbers_that_are_no_date_and_whole_readings_stay_as_read(pipeline: Pipeline, value: str) -> None:
    before = find_dates(RULES, value, languages=("en", "fr", "es"))[0]
    start, end, codes = _event(pipeline, value)
    assert (start, end) == (before.start_date.isoformat(), before.end_date.isoformat())
    assert "date-partial" not in codes


def test_prose_date_is_widened_to_its_expression(pipeline: Pipeline) -> None:
    text = (
        "Press release\n\nThe United Nations Office for Disarmament Affairs (UNODA) held a workshop on "
        "resolution 1540 (2004) from 14-15 and 17 May 2019 in Lima, Peru.\n"
    )
    event = extract(pipeline, text).event
    assert (event.start_date, event.end_date) == (date(2019, 5, 14), date(2019, 5, 17))
    assert event.date_text == "14-15 and 17 May 2019"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September")


def _written(first: date, last: date, style: int) -> str:
    """A range in one of the forms the scanner reads only in part."""
    a, b = first.day, last.day
    if style == 0:  # every day listed with commas
        days = [first + timedelta(n) for n in range((last - first).days + 1)]
        return ", ".join(str(d.day) for d in days) + f" {_MONTHS[last.month - 1]} {last.year}"
    if style == 1:  # both ends written in full, joined by "and"
        return f"{a} {_MONTHS[first.month - 1]} {first.year} and {b} {_MONTHS[last.month - 1]} {last.year}"
    return f"{a}.-{b}. {_MONTHS[last.month - 1]} {last.year}"  # day numbers with dots


def test_generated_ranges_are_read_whole(pipeline: Pipeline) -> None:
    rng = random.Random(18)
    for _ in range(30):
        first = date(rng.randint(2000, 2024), rng.randint(1, 9), rng.randint(1, 24))
        last = first + timedelta(rng.randint(1, 3))
        style = rng.randrange(3)
        if style != 1 and last.month != first.month:
            continue
        value = f"{_written(first, last, style)}, Lima, Peru"
        start, end, codes = _event(pipeline, value)
        assert (start, end) == (first.isoformat(), last.isoformat()), value
        assert "date-partial" not in codes, value


def test_whole_date_keeps_offsets_relative_to_the_value() -> None:
    text = "Date: 14-15 and 17 May 2019, Lima"
    value_start = len("Date: ")
    span = find_dates(RULES, text[value_start:], languages=("en",))[0]
    whole = whole_date(RULES, text, span, (value_start, len(text)), ("en",), offset=value_start)
    assert text[value_start + whole.span.start : value_start + whole.span.end] == "14-15 and 17 May 2019"
    assert whole.span.days == (date(2019, 5, 14), date(2019, 5, 15), date(2019, 5, 17))
    assert whole.leftover == ()
