"""Dates: every written form the notes use, the traps from public bug reports, and span integrity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from note_extract.core.errors import ConfigError, RuleFileError
from note_extract.core.resources import load_rows
from note_extract.event.dates import DateSpan, date_words, find_dates
from note_extract.rules.bundle import shipped_rules
from note_extract.rules.rows import DateWordsRow

RULES = shipped_rules()

RAW_DIR = Path(__file__).resolve().parent.parent / "data" / "raw"


def only(text: str, languages: Sequence[str] = ("en",), default_year: int | None = None) -> DateSpan:
    """The single date in ``text``, checked to slice back into it."""
    spans = find_dates(RULES, text, languages=languages, default_year=default_year)
    assert len(spans) == 1, spans
    span = spans[0]
    assert text[span.start : span.end] == span.text
    return span


# (text, the span's text, "start end", the days) with ISO dates.
DAY_CASES: list[tuple[str, str, str, str]] = [
    ("28-29 July 2016", "28-29 July 2016", "2016-07-28 2016-07-29", "2016-07-28 2016-07-29"),
    ("9 -11 November 2010, Lima", "9 -11 November 2010", "2010-11-09 2010-11-11", "2010-11-09 2010-11-11"),
    ("20 \u2013 21 February 2024", "20 \u2013 21 February 2024", "2024-02-20 2024-02-21",
     "2024-02-20 2024-02-21"),
    ("Georgetown, Guyana, 4 October 2017", "4 October 2017", "2017-10-04 2017-10-04", "2017-10-04"),
    ("Panama City, Panama, 5 May 2010", "5 May 2010", "2010-05-05 2010-05-05", "2010-05-05"),
    ("30 November \u2013 2 December 2019", "30 November \u2013 2 December 2019", "2019-11-30 2019-12-02",
     "2019-11-30 2019-12-02"),
    ("28 Feb.-1 March 2018", "28 Feb.-1 March 2018", "2018-02-28 2018-03-01", "2018-02-28 2018-03-01"),
    ("1, 8 and 15 December 2020", "1, 8 and 15 December 2020", "2020-12-01 2020-12-15",
     "2020-12-01 2020-12-08 2020-12-15"),
    ("30 December 2019 - 2 January 2020", "30 December 2019 - 2 January 2020", "2019-12-30 2020-01-02",
     "2019-12-30 2020-01-02"),
    ("30 December - 2 January 2020", "30 December - 2 January 2020", "2019-12-30 2020-01-02",
     "2019-12-30 2020-01-02"),
    ("Tuesday, 4 October 2017", "Tuesday, 4 October 2017", "2017-10-04 2017-10-04", "2017-10-04"),
    ("Tuesday 4 October 2017", "Tuesday 4 October 2017", "2017-10-04 2017-10-04", "2017-10-04"),
    ("May 5, 2010", "May 5, 2010", "2010-05-05 2010-05-05", "2010-05-05"),
    ("November 9-11, 2010", "November 9-11, 2010", "2010-11-09 2010-11-11", "2010-11-09 2010-11-11"),
    ("September 30 \u2013 October 2, 2019", "September 30 \u2013 October 2, 2019", "2019-09-30 2019-10-02",
     "2019-09-30 2019-10-02"),
    ("December 30, 2019 \u2013 January 2, 2020", "December 30, 2019 \u2013 January 2, 2020",
     "2019-12-30 2020-01-02", "2019-12-30 2020-01-02"),
    ("December 1, 8 and 15, 2020", "December 1, 8 and 15, 2020", "2020-12-01 2020-12-15",
     "2020-12-01 2020-12-08 2020-12-15"),
    ("between 6 and 7 April 2016", "6 and 7 April 2016", "2016-04-06 2016-04-07", "2016-04-06 2016-04-07"),
    ("Venue and Date: , , 6-7 April 2016", "6-7 April 2016", "2016-04-06 2016-04-07",
     "2016-04-06 2016-04-07"),
    ("4th October 2017", "4th October 2017", "2017-10-04 2017-10-04", "2017-10-04"),
    ("October 4th, 2017", "October 4th, 2017", "2017-10-04 2017-10-04", "2017-10-04"),
    ("the 4th of October 2017", "4th of October 2017", "2017-10-04 2017-10-04", "2017-10-04"),
    ("on 5 May and 3 June 2010", "5 May and 3 June 2010", "2010-05-05 2010-06-03", "2010-05-05 2010-06-03"),
    ("Monday 30 November to Wednesday 2 December 2019", "Monday 30 November to Wednesday 2 December 2019",
     "2019-11-30 2019-12-02", "2019-11-30 2019-12-02"),
    ("Sept. 30 \u2013 Oct. 2, 2019", "Sept. 30 \u2013 Oct. 2, 2019", "2019-09-30 2019-10-02",
     "2019-09-30 2019-10-02"),
    ("5th\u20137th May 2014", "5th\u20137th May 2014", "2014-05-05 2014-05-07", "2014-05-05 2014-05-07"),
    ("4 OCTOBER 2017", "4 OCTOBER 2017", "2017-10-04 2017-10-04", "2017-10-04"),
]  # fmt: skip


def isos(value: str) -> tuple[date, ...]:
    return tuple(date.fromisoformat(part) for part in value.split())


@pytest.mark.parametrize(("text", "written", "bounds", "days"), DAY_CASES)
def test_day_forms_give_exact_dates_and_a_span_that_slices_back(
    text: str, written: str, bounds: str, days: str
) -> None:
    span = only(text)
    assert (span.text, (span.start_date, span.end_date), span.days) == (written, isos(bounds), isos(days))
    assert span.precision == "day"
    assert span.year_inferred is False
    assert span.language == "en"


def test_range_openers_are_left_out_of_the_span() -> None:
    span = only("from 9 to 10 November 2006")
    assert span.text == "9 to 10 November 2006"
    assert (span.start, span.end) == (5, 26)
    assert (span.start_date, span.end_date) == (date(2006, 11, 9), date(2006, 11, 10))
    assert span.days == (date(2006, 11, 9), date(2006, 11, 10))


def test_month_range_has_month_precision_and_no_days() -> None:
    span = only("December 2019 \u2013 January 2020")
    assert (span.start_date, span.end_date, span.days, span.precision) == (
        date(2019, 12, 1), date(2020, 1, 31), (), "month"
    )  # fmt: skip


def test_month_and_year_is_the_whole_month() -> None:
    span = only("in December 2019 the plan")
    assert (span.text, span.start_date, span.end_date, span.precision) == (
        "December 2019", date(2019, 12, 1), date(2019, 12, 31), "month"
    )  # fmt: skip
    assert only("February 2024").end_date == date(2024, 2, 29)
    assert only("November\u2013December 2019").start_date == date(2019, 11, 1)


def test_a_day_without_year_takes_the_default_year_and_says_so() -> None:
    span = only("11 to 13 September", default_year=2019)
    assert (span.start_date, span.end_date) == (date(2019, 9, 11), date(2019, 9, 13))
    assert span.end_date.day == 13  # inclusive end, not the 14th
    assert span.year_inferred is True
    assert find_dates(RULES, "11 to 13 September") == []


def test_an_inferred_range_over_new_year_ends_in_the_next_year() -> None:
    span = only("30 December - 2 January", default_year=2019)
    assert (span.start_date, span.end_date) == (date(2019, 12, 30), date(2020, 1, 2))
    assert span.year_inferred is True


def test_two_dates_in_a_sentence_are_two_single_days() -> None:
    text = (
        "presented their voluntary National Implementation Action Plans (NAPs) "
        "on 30 May 2014 and 21 November 2014 respectively."
    )
    spans = find_dates(RULES, text)
    assert [(s.text, s.days) for s in spans] == [
        ("30 May 2014", (date(2014, 5, 30),)),
        ("21 November 2014", (date(2014, 11, 21),)),
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)


@pytest.mark.parametrize(
    "text",
    [
        "implementation of resolution 1540 (2004)",
        "resolution 2325 (2016) urges States",
        "The Calendar currently includes 4000 activities",
        "some States may require assistance in implementing",
        "up to 5 may attend",
        "Operative paragraph 19 of resolution 2325 (2016)",
        "Resolutions 1977 (2011) and 2325 (2016) encourage",
        "as stated in 1977 (2011)",
        "took place in May\n2. Background",
        "e-mail at 1540experts@un.org.",
        "Date: 2016-07-28",
        "Tuesday",
        "version 1.5 May",
    ],
)
def test_bare_numbers_and_common_words_are_never_dates(text: str) -> None:
    assert find_dates(RULES, text, default_year=2019) == []


@pytest.mark.parametrize(
    "text",
    ["31 February 2020", "31 April 2019", "5 May 1900", "5 May 2101", "13 to 11 September 2019", "in 1900"],
)
def test_impossible_dates_and_years_out_of_range_are_dropped(text: str) -> None:
    assert find_dates(RULES, text) == []


def test_an_impossible_date_does_not_hide_the_next_one() -> None:
    assert [s.text for s in find_dates(RULES, "30 February 2019 and 4 March 2019")] == ["4 March 2019"]


def test_a_number_before_a_comma_is_not_a_listed_day() -> None:
    assert [s.text for s in find_dates(RULES, "Table 3, 5 May 2010")] == ["5 May 2010"]


def test_may_without_a_year_must_be_capitalized() -> None:
    assert only("on 5 May", default_year=2010).start_date == date(2010, 5, 5)
    assert only("on May 5", default_year=2010).start_date == date(2010, 5, 5)
    assert find_dates(RULES, "at most 5 may attend", default_year=2010) == []
    assert only("5 may 2010").start_date == date(2010, 5, 5)


def test_a_year_alone_is_a_date_only_after_a_cue_word() -> None:
    spans = find_dates(RULES, "building on the success of similar meetings held in 2019 and 2022.")
    assert [(s.text, s.start_date, s.end_date, s.precision, s.days) for s in spans] == [
        ("2019", date(2019, 1, 1), date(2019, 12, 31), "year", ()),
        ("2022", date(2022, 1, 1), date(2022, 12, 31), "year", ()),
    ]
    cued = find_dates(RULES, "In 2010, the Committee decided; since 2005 it has")
    assert [s.text for s in cued] == ["2010", "2005"]
    assert find_dates(RULES, "the Calendar for 2024 and the 2019 meeting") == []


def test_a_cued_year_range() -> None:
    span = only("seminars in Latin America and the Caribbean from 2005 to 2009, with")
    assert (span.text, span.start_date, span.end_date, span.precision) == (
        "2005 to 2009", date(2005, 1, 1), date(2009, 12, 31), "year"
    )  # fmt: skip
    assert only("between 2005 and 2009").text == "2005 and 2009"
    assert only("in 2010-2011").end_date == date(2011, 12, 31)


def test_french_forms() -> None:
    fr = ("fr",)
    span = only("du 9 au 11 novembre 2010", fr)
    assert (span.text, span.start_date, span.end_date, span.language) == (
        "9 au 11 novembre 2010", date(2010, 11, 9), date(2010, 11, 11), "fr"
    )  # fmt: skip
    assert only("le 1er décembre 2020", fr).days == (date(2020, 12, 1),)
    assert only("le 1er décembre 2020", fr).text == "1er décembre 2020"
    assert only("4 octobre 2017", fr).start_date == date(2017, 10, 4)
    assert only("mardi 4 octobre 2017", fr).text == "mardi 4 octobre 2017"
    assert only("30 novembre au 2 décembre 2019", fr).end_date == date(2019, 12, 2)
    assert only("20 févr. 2024", fr).start_date == date(2024, 2, 20)
    assert [s.text for s in find_dates(RULES, "entre 2005 et 2009, puis en 2010", languages=fr)] == [
        "2005 et 2009",
        "2010",
    ]


def test_spanish_forms() -> None:
    es = ("es",)
    span = only("del 9 al 11 de noviembre de 2010", es)
    assert (span.text, span.start_date, span.end_date, span.language) == (
        "9 al 11 de noviembre de 2010", date(2010, 11, 9), date(2010, 11, 11), "es"
    )  # fmt: skip
    assert only("4 de octubre de 2017", es).days == (date(2017, 10, 4),)
    assert only("1 y 2 de marzo de 2021", es).days == (date(2021, 3, 1), date(2021, 3, 2))
    assert only("15 de setiembre de 2015", es).start_date == date(2015, 9, 15)
    assert only("1.º de diciembre del 2020", es).start_date == date(2020, 12, 1)
    assert only("octubre de 2017", es).precision == "month"
    assert only("desde 2005", es).start_date == date(2005, 1, 1)


def test_several_languages_at_once_report_the_language_that_matched() -> None:
    text = "4 October 2017; 4 octobre 2017; 4 de octubre de 2017"
    spans = find_dates(RULES, text, languages=("en", "fr", "es"))
    assert [(s.text, s.language) for s in spans] == [
        ("4 October 2017", "en"),
        ("4 octobre 2017", "fr"),
        ("4 de octubre de 2017", "es"),
    ]
    assert {s.start_date for s in spans} == {date(2017, 10, 4)}


def test_english_only_ignores_french_and_spanish_months() -> None:
    assert find_dates(RULES, "4 octobre 2017 y 4 de octubre de 2017") == []


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("20\u00a0February 2024", "20\u00a0February 2024"),
        ("20 \u2013\u00a021 February\n2024", "20 \u2013\u00a021 February\n2024"),
        ("28-29 July\r\n2016, Panama City", "28-29 July\r\n2016"),
        ("Date and venue: 4\nOctober 2017", "4\nOctober 2017"),
    ],
)
def test_non_breaking_spaces_and_line_breaks_between_tokens(text: str, written: str) -> None:
    span = only(text)
    assert span.text == written
    assert span.year_inferred is False


def test_a_blank_line_ends_a_date() -> None:
    assert only("4 October\n\n2017 was busy", default_year=2016).text == "4 October"


def test_a_trailing_abbreviation_dot_is_left_out() -> None:
    assert only("on 28 Feb.", default_year=2018).text == "28 Feb"


def test_text_whose_lower_case_changes_length_keeps_offsets() -> None:
    text = "\u0130stanbul \u0130, 4 October 2017"  # "İ".lower() is two characters
    span = only(text)
    assert (span.text, span.start_date) == ("4 October 2017", date(2017, 10, 4))


def test_seed_notes() -> None:
    expected = {
        "000": ["28-29 July 2016", "30 May 2014", "21 November 2014", "18 December 2014"],
        "001": ["5 May 2010"],
        "002": ["20 \u2013 21 February 2024", "17 January 2024", "6 February 2024", "2019", "2022"],
        "003": ["4 October 2017", "4 October 2017"],
        "004": ["9 -11 November 2010", "2005 to 2009", "2010"],
    }
    for path in sorted(RAW_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = find_dates(RULES, text)
        assert [s.text for s in spans] == expected[path.stem[:3]], path.name
        assert all(text[s.start : s.end] == s.text for s in spans)


def test_the_rule_file_has_a_row_per_language() -> None:
    rows = date_words(RULES)
    assert {"en", "fr", "es"} <= set(rows)
    assert "through" in rows["en"].range
    assert "de" in rows["es"].month_year_links


def test_a_bad_rule_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "date_words.jsonl"
    path.write_text(
        '# comment\n{"language": "en", "orders": ["dmy"], "range": ["-"], "list_joiners": [","]}\n'
        '{"language": "xx", "orders": ["ymd"], "range": ["-"], "list_joiners": [","]}\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match=r"date_words\.jsonl:3: orders"):
        load_rows(path, DateWordsRow)


def test_an_unknown_language_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="klingon"):
        find_dates(RULES, "4 October 2017", languages=("klingon",))
    with pytest.raises(ConfigError):
        find_dates(RULES, "4 October 2017", languages=())


TOKENS = ["May", "may", "December", "décembre", "Sept.", "Tuesday", "1er", "th", "2019"]
CONNECTORS = ["de", "and", "to", "in", "from", "al", "y"]
ALPHABET = st.sampled_from([*"0123456789 ,.-\u2013\u00a0\n()/", *TOKENS, *CONNECTORS])
DATEISH = st.lists(ALPHABET, max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(), DATEISH.map(" ".join), DATEISH.map("".join)),
    st.one_of(st.none(), st.integers(min_value=-5, max_value=10_000)),
)
def test_any_text_gives_well_formed_spans(text: str, default_year: int | None) -> None:
    spans = find_dates(RULES, text, languages=("en", "fr", "es"), default_year=default_year)
    previous_end = 0
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.start >= previous_end
        assert span.start < span.end
        assert span.start_date <= span.end_date
        assert all(span.start_date <= d <= span.end_date for d in span.days)
        previous_end = span.end


def test_numeric_dates_are_read_only_when_they_read_one_way() -> None:
    from note_extract.event.dates import find_numeric_date

    same = find_numeric_date("on 05/05/2015 in Lima")
    assert same is not None and same.span is not None and same.span.start_date == date(2015, 5, 5)
    assert (same.start, same.end, same.span.text) == (3, 13, "05/05/2015")
    swap = find_numeric_date("11/05/2015")
    assert swap is not None and swap.span is None
    assert swap.ambiguous == (date(2015, 5, 11), date(2015, 11, 5))
    assert find_numeric_date("31/02/2016") is None
    assert find_numeric_date("2016-13-01") is None
    assert find_numeric_date("S/RES/1540 and 1/2/3") is None
    assert find_numeric_date("3/4/1200") is None


def test_a_numeric_header_range_reads_both_ends_in_one_order() -> None:
    from note_extract.event.dates import find_numeric_date

    found = find_numeric_date("27.10.2014 - 28.10.2014")
    assert found is not None and found.span is not None
    assert (found.span.start_date, found.span.end_date) == (date(2014, 10, 27), date(2014, 10, 28))
    assert found.span.text == "27.10.2014 - 28.10.2014"
    both_ways = find_numeric_date("11/05/2015 - 12/05/2015")
    assert both_ways is not None and both_ways.span is None and both_ways.ambiguous is not None


def test_a_range_of_days_before_a_numeric_date_is_read_whole() -> None:
    from note_extract.event.dates import find_numeric_date

    found = find_numeric_date("14-16.05.2019, Vienna")
    assert found is not None and found.span is not None
    assert (found.span.start_date, found.span.end_date) == (date(2019, 5, 14), date(2019, 5, 16))
    assert found.span.text == "14-16.05.2019"
    single = find_numeric_date("20-16.05.2019")  # a first day after the last is no range
    assert single is not None and single.span is not None and single.span.start_date == date(2019, 5, 16)


def test_a_double_hyphen_joins_a_range() -> None:
    found = find_dates(RULES, "28 June -- 30 June 2016")
    assert [(s.start_date, s.end_date) for s in found] == [(date(2016, 6, 28), date(2016, 6, 30))]
