"""The event read from prose: sentences, the event sentence, year inference, durations, titles.

Every text here is written for the test; none is taken from the shared corpus.
"""

from __future__ import annotations

from note_extract.event.prose import read_prose, sentences
from note_extract.rules.bundle import shipped_rules

RULES = shipped_rules()


def _date(text: str, languages: tuple[str, ...] = ("en",)) -> tuple[str | None, str | None, str | None]:
    found = read_prose(RULES, text, 0, languages)
    if found.date is None:
        return None, None, found.year_source
    return str(found.date.start_date), str(found.date.end_date), found.year_source


def _title(text: str) -> str | None:
    found = read_prose(RULES, text, 0, ("en", "fr", "es"))
    return " ".join(text[found.title[0] : found.title[1]].split()) if found.title else None


def test_sentences_split_at_end_marks_not_after_abbreviations_or_initials() -> None:
    text = (
        "The U.S. Department of State and Mr. A. Smith spoke. Then the workshop closed.\n\nNEXT STEPS\nMore."
    )
    pieces = [text[a:b] for a, b in sentences(RULES, text)]
    assert pieces == [
        "The U.S. Department of State and Mr. A. Smith spoke.",
        "Then the workshop closed.",
        "NEXT STEPS",
        "More.",
    ]


def test_the_first_report_of_the_event_beats_a_later_background_mention() -> None:
    text = (
        "From 14 to 16 May 2019, the 1540 Committee convened a training course in Lusaka, Zambia. "
        "It builds on a seminar that was held in Pretoria on 3 and 4 March 2017."
    )
    assert _date(text) == ("2019-05-14", "2019-05-16", "written")


def test_a_dateline_gives_the_year_of_a_yearless_event_date() -> None:
    text = "LIMA, 2 December 2021 (UNLIREC) - A workshop was held on 30 November and 1 December in Lima."
    assert _date(text) == ("2021-11-30", "2021-12-01", "text date")


def test_a_page_date_alone_on_its_line_gives_the_nearest_year() -> None:
    text = (
        "Lunes, 8 de enero de 2024\nEl 18 y 19 de diciembre se "
        "realizó en Quito un taller sobre la resolución 1540."
    )
    assert _date(text, ("es", "en")) == ("2023-12-18", "2023-12-19", "text date")


def test_adopted_years_ago_counts_from_the_resolution_of_the_1540_family() -> None:
    text = (
        "From 2 to 4 July, officials gathered in Manila for a course on resolution 1540, adopted 15 years "
        "ago by the Security Council."
    )
    assert _date(text) == ("2019-07-02", "2019-07-04", "years after adoption")


def test_an_event_after_an_earlier_dated_event_takes_the_next_year_that_fits() -> None:
    text = (
        "On 10 and 11 February, the Committee convened its third regional course in Dakar. "
        "The second course was held in Abuja in October 2021."
    )
    assert _date(text) == ("2022-02-10", "2022-02-11", "after earlier event")


def test_no_year_to_be_had_leaves_the_date_empty() -> None:
    text = (
        "A regional workshop will be held in Accra, Ghana, from 5 to "
        "7 June. Resolution 1540 was adopted on 28 April 2004."
    )
    found = read_prose(RULES, text, 0, ("en",))
    assert found.date is None
    assert found.year_unknown is not None
    assert text[found.year_unknown.start : found.year_unknown.end] == "5 to 7 June"


def test_a_year_pushed_past_a_line_break_is_joined_to_its_date() -> None:
    text = "The seminar was held in Bogota on March 3-4,\n\n2015. Forty officials attended."
    assert _date(text) == ("2015-03-03", "2015-03-04", "written")


def test_a_stated_duration_gives_the_last_day() -> None:
    text = (
        "Kampala, 3 June 2016 - The EAC is holding a three-day workshop on border controls for its members."
    )
    assert _date(text) == ("2016-06-03", "2016-06-05", "written")


def test_a_quoted_event_name_is_the_title() -> None:
    text = (
        'On 9 May 2018 UNRCPD held the event "Strengthening Export Controls in South-East Asia" in Bangkok.'
    )
    assert _title(text) == "Strengthening Export Controls in South-East Asia"


def test_a_capitalized_event_name_in_the_sentence_is_the_title_and_stops_at_a_verb() -> None:
    text = (
        "The Regional Workshop on Border Security for Central Asian "
        "States took place in Almaty on 4 May 2015."
    )
    assert _title(text) == "Regional Workshop on Border Security for Central Asian States"


def test_a_headline_that_is_a_sentence_is_no_title() -> None:
    text = "Ghana to Host Workshop on Chemical Security\n\nA workshop will take place in Accra on 3 May 2016."
    assert _title(text) is None


def test_a_headline_that_names_the_event_is_the_title() -> None:
    text = (
        "Subregional Seminar on Implementing Resolution 1540 in the Sahel\n\n"
        "The Subregional Seminar on Implementing Resolution 1540 took place in Niamey on 4-5 June 2019."
    )
    assert _title(text) == "Subregional Seminar on Implementing Resolution 1540 in the Sahel"


def test_related_sentences_leave_out_other_dated_events() -> None:
    text = (
        "On 4 May 2015 the workshop opened in Almaty. The workshop was funded by Japan. "
        "The workshop of 3 March 2013 in Bishkek was hosted by Kyrgyzstan."
    )
    found = read_prose(RULES, text, 0, ("en",))
    related = [text[a:b] for a, b in found.related]
    assert related == ["On 4 May 2015 the workshop opened in Almaty.", "The workshop was funded by Japan."]


def test_a_dateline_ending_in_a_full_stop_gives_the_year() -> None:
    text = (
        "Ciudad de Guatemala, 15 de mayo de 2019. El Gobierno de Guatemala llevó a cabo los días 13 y 14 "
        "de mayo un taller nacional sobre la resolución 1540."
    )
    assert _date(text, ("es", "en")) == ("2019-05-13", "2019-05-14", "text date")


def test_a_dateline_with_its_article_is_the_texts_date_and_an_event_days_before_it_is_the_event() -> None:
    text = (
        "Lomé, le 5 juillet 2022 \u2013 Du 28 au 30 juin 2022 s'est tenu à Dakar un atelier "
        "sous-régional sur les contrôles aux frontières."
    )
    assert _date(text, ("fr",)) == ("2022-06-28", "2022-06-30", "written")


def test_an_event_months_before_the_texts_date_is_background() -> None:
    text = (
        "NAIROBI, 15 September 2015 \u2013 A regional workshop opens today in Nairobi, Kenya. It follows a "
        "national workshop held from 2 to 4 March 2015 in Mombasa."
    )
    assert _date(text)[0] == "2015-09-15"
