"""The venue of an event told in prose (places.py), on hand-built sentences."""

from __future__ import annotations

from note_extract.event.places import find_venue
from note_extract.event.prose import read_prose
from note_extract.pipeline import Pipeline


def _venue(pipeline: Pipeline, text: str) -> tuple[str | None, str | None, str | None]:
    hits = pipeline.finder.find(text)
    found = read_prose(pipeline.rules, text, 0, ("en", "fr", "es"))
    assert found.sentence is not None
    venue = find_venue(pipeline.rules, text, found.place_sentences(), hits, pipeline.countries)
    if venue is None:
        return None, None, None
    city = text[venue.city[0] : venue.city[1]] if venue.city else None
    return city, venue.country_code, venue.country_method


def test_city_and_country_written_together(pipeline: Pipeline) -> None:
    text = "The workshop was held in Lusaka, Zambia on 4 May 2015."
    assert _venue(pipeline, text) == ("Lusaka", "ZM", "written")


def test_a_city_alone_takes_its_country_from_the_gazetteer(pipeline: Pipeline) -> None:
    text = "On 4 May 2015 a seminar took place in Ouagadougou."
    assert _venue(pipeline, text) == ("Ouagadougou", "BF", "gazetteer")


def test_an_ambiguous_city_alone_gets_no_country(pipeline: Pipeline) -> None:
    text = "On 4 May 2015 a seminar took place in Georgetown."
    assert _venue(pipeline, text) == ("Georgetown", None, None)


def test_french_and_spanish_place_words(pipeline: Pipeline) -> None:
    french = "Un atelier s'est tenu à Libreville du 3 au 5 mai 2016."
    assert _venue(pipeline, french)[:2] == ("Libreville", "GA")
    spanish = "El taller se celebró en Montevideo el 3 de mayo de 2016."
    assert _venue(pipeline, spanish)[:2] == ("Montevideo", "UY")


def test_a_city_after_its_date(pipeline: Pipeline) -> None:
    text = "Seminar on Export Controls\n12-13 June 2014, Trogir, Croatia\nThe seminar gathered experts."
    assert _venue(pipeline, text)[:2] == ("Trogir", "HR")


def test_a_country_named_as_a_place_settles_the_city(pipeline: Pipeline) -> None:
    text = "UNLIREC works in Guyana; on 4 May 2015 it held a course in the capital, Georgetown."
    assert _venue(pipeline, text)[:2] == ("Georgetown", "GY")


def test_a_country_alone(pipeline: Pipeline) -> None:
    text = "The 1540 Committee paid a visit to Malawi on 4-6 May 2015."
    assert _venue(pipeline, text) == (None, "MW", "written")


def test_a_dateline_city_only_when_nothing_else_is_named(pipeline: Pipeline) -> None:
    text = "ACCRA, 5 May 2016 - The seminar on export controls is taking place today."
    assert _venue(pipeline, text)[:2] == ("ACCRA", "GH")
    text = "VIENNA, 5 May 2016 - The seminar held today in Lusaka, Zambia closed."
    assert _venue(pipeline, text)[:2] == ("Lusaka", "ZM")


def test_a_government_gives_the_country_when_no_place_is_named(pipeline: Pipeline) -> None:
    text = "On 4 May 2015 UNODA and the Bolivian Government held a training session on export controls."
    assert _venue(pipeline, text) == (None, "BO", "government")


def test_a_dateline_city_that_holds_its_country_name(pipeline: Pipeline) -> None:
    text = (
        "Ciudad de Guatemala, 15 de mayo de 2019. El Gobierno de Guatemala llevó a cabo los días 13 y 14 "
        "de mayo un taller nacional sobre la resolución 1540."
    )
    assert _venue(pipeline, text)[:2] == ("Ciudad de Guatemala", "GT")


def test_a_country_alone_takes_the_city_of_it_the_text_names_elsewhere(pipeline: Pipeline) -> None:
    text = (
        "Officials gathered in Windhoek this week.\n\n"
        "A national workshop on resolution 1540 took place in Namibia on 4 and 5 May 2015."
    )
    assert _venue(pipeline, text) == ("Windhoek", "NA", "written")


def test_a_government_venue_takes_a_city_of_its_country_only(pipeline: Pipeline) -> None:
    text = (
        "Delegates from Nairobi and Kampala flew in.\n\n"
        "On 4 May 2015 the Government of Uganda held a national workshop on resolution 1540."
    )
    assert _venue(pipeline, text) == (None, "UG", "government")
    named = "Minister speaks in Kampala on export controls\n\n" + text
    assert _venue(pipeline, named)[:2] == ("Kampala", "UG")


def test_a_city_whose_name_starts_with_an_article(pipeline: Pipeline) -> None:
    text = "El 31 de agosto de 2021 se llevó a cabo en la ciudad de La Paz un taller nacional."
    assert _venue(pipeline, text)[:2] == ("La Paz", "BO")
