"""A venue value's city and country are both accounted for, or the record says what was left over."""

from __future__ import annotations

import pytest

from note_extract.pipeline import Pipeline

from .conftest import extract


def _venue(pipeline: Pipeline, value: str) -> tuple[str | None, str | None, list[str]]:
    record = extract(pipeline, f"Event: Workshop on X\n\nOrganizers: OAS\n\nDate and venue: {value}\n")
    return record.event.venue.city, record.event.venue.country_code, [i.code for i in record.issues]


@pytest.mark.parametrize(
    ("value", "city", "code"),
    [
        ("From 14 to 16 May 2019 in Lima (Peru)", "Lima", "PE"),
        ("14-16 May 2019, in Vienna, Austria", "Vienna", "AT"),
        ("Del 14 al 16 de mayo de 2019, en La Paz, Bolivia", "La Paz", "BO"),
        ("Lima-Peru, 14-16 May 2019", "Lima", "PE"),
        ("14-16 May 2019, Lima/Peru", "Lima", "PE"),
        ("14-16 May 2019, Lima - Peru", "Lima", "PE"),
        ("14 au 16 mai 2019 Dakar Senegal", "Dakar", "SN"),
    ],
)
def test_words_around_the_place_and_a_country_without_comma(
    pipeline: Pipeline, value: str, city: str, code: str
) -> None:
    got_city, got_code, codes = _venue(pipeline, value)
    assert (got_city, got_code) == (city, code)
    assert "venue-country-missing" not in codes and "venue-partial" not in codes


@pytest.mark.parametrize(
    ("value", "city", "code"),
    [
        ("14-16 May 2019, The Hague, Netherlands", "The Hague", "NL"),
        ("14-16 May 2019, Panama City, Panama", "Panama City", "PA"),
        ("14 May 2019, San Salvador, El Salvador", "San Salvador", "SV"),
        ("14 May 2019, Guatemala City, Guatemala", "Guatemala City", "GT"),
    ],
)
def test_names_that_hold_a_country_or_an_article_stay_whole(
    pipeline: Pipeline, value: str, city: str, code: str
) -> None:
    got_city, got_code, codes = _venue(pipeline, value)
    assert (got_city, got_code) == (city, code)
    assert "venue-partial" not in codes


def test_a_city_part_naming_another_country_is_reported(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: X\n\nOrganizers: OAS\n\nDate and venue: 14-16 May 2019, Lima, Peru and Quito, Ecuador\n",
    )
    issues = [i for i in record.issues if i.code == "venue-partial"]
    assert len(issues) == 1
    assert '"Peru and Quito" names another country' in issues[0].message
