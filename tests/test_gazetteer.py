"""The city gazetteer: a country only when the name is unambiguous enough."""

from __future__ import annotations

from note_extract.lexicon.gazetteer import gazetteer
from note_extract.rules.bundle import shipped_rules

RULES = shipped_rules()


def test_a_city_only_one_country_has() -> None:
    guess = gazetteer(RULES).country_for("Nairobi")
    assert guess is not None and (guess.country, guess.reason) == ("KE", "only")


def test_french_and_spanish_names_are_known() -> None:
    assert gazetteer(RULES).country_for("Addis-Abeba").country == "ET"  # type: ignore[union-attr]
    assert gazetteer(RULES).country_for("Ginebra").country == "CH"  # type: ignore[union-attr]


def test_a_capital_clearly_larger_than_its_namesakes() -> None:
    guess = gazetteer(RULES).country_for("Kingston")
    assert guess is not None and (guess.country, guess.reason) == ("JM", "capital")


def test_georgetown_alone_stays_without_a_country() -> None:
    assert gazetteer(RULES).country_for("Georgetown") is None


def test_a_country_the_text_names_settles_an_ambiguous_city() -> None:
    guess = gazetteer(RULES).country_for("Georgetown", {"GY"})
    assert guess is not None and (guess.country, guess.reason) == ("GY", "context")


def test_a_place_own_name_beats_an_old_alternate_name() -> None:
    guess = gazetteer(RULES).country_for("Bridgetown")
    assert guess is not None and guess.country == "BB"


def test_unknown_places_give_nothing() -> None:
    assert gazetteer(RULES).places("Atlantis-sur-Mer") == ()
