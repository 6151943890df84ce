"""Roles read from prose cue phrases (prose_roles.py), on hand-built sentences."""

from __future__ import annotations

from note_extract.pipeline import Pipeline

from .conftest import extract, member_ids, ref_ids


def test_organized_by_in_cooperation_with_and_funded_by(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "The workshop, held in Lusaka, Zambia on 4-5 May 2015, was organized by UNODA in cooperation with "
        "the Government of Zambia, with funding from the European Union and Norway.",
    )
    assert ref_ids(record.organizers) == ["unoda", "country:ZM"]
    assert ref_ids(record.sponsors) == ["eu", "country:NO"]
    assert record.hosts == []


def test_parties_before_a_backward_cue_less_what_forward_cues_took(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "On 4 May 2015, the OSCE, in partnership with UNODA and with the financial support of Germany, "
        "convened a seminar in Vienna, Austria.",
    )
    assert ref_ids(record.organizers) == ["osce", "unoda"]
    assert ref_ids(record.sponsors) == ["country:DE"]


def test_one_host_alone_and_several_cohosts(pipeline: Pipeline) -> None:
    one = extract(pipeline, "The Government of Ghana hosted a workshop in Accra on 4 May 2015.")
    assert ref_ids(one.hosts) == ["country:GH"] and one.organizers == []
    two = extract(pipeline, "UNREC and the Government of Togo hosted a workshop in Lomé, Togo on 4 May 2015.")
    assert ref_ids(two.organizers) == ["unrec", "country:TG"]
    assert ref_ids(two.hosts) == ["country:TG"]


def test_a_ministry_that_organizes_stands_for_its_country(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "On 4 May 2015 the Seminar on Export Controls was organized by the Croatian Ministry of Foreign "
        "Affairs in Zagreb, Croatia.",
    )
    assert ref_ids(record.organizers) == ["country:HR"]
    assert record.organizers[0].text == "Croatian Ministry of Foreign Affairs"


def test_a_demonym_before_government_is_the_country(pipeline: Pipeline) -> None:
    record = extract(pipeline, "On 4 May 2015, UNLIREC and the Ecuadorian Government held a course in Quito.")
    assert ref_ids(record.organizers) == ["unlirec", "country:EC"]


def test_participants_by_cue_with_unknown_bodies_of_the_venue_state(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "On 4 May 2015 UNODA held a workshop in Accra, Ghana. "
        "Officials from Togo, Benin and Niger took part, "
        "together with representatives of the National Fire Service, the Ghana Atomic Energy Commission "
        "and the Port Authority.",
    )
    members = member_ids(record)
    # a government body named without its State, in a sentence naming several, is the venue's
    for expected in ("country:TG", "country:BJ", "country:NE", "national:gh:port-authority", "unoda"):
        assert expected in members
    assert "national:gh:national-fire-service" in members
    assert not any(str(m).casefold() in {"officials", "representatives", "the"} for m in members)


def test_french_and_spanish_cues(pipeline: Pipeline) -> None:
    fr = extract(
        pipeline,
        "Un atelier organisé par l'UNREC avec l'appui financier de l'Union européenne s'est tenu à Lomé "
        "du 3 au 5 mai 2016.",
    )
    assert ref_ids(fr.organizers) == ["unrec"]
    assert ref_ids(fr.sponsors) == ["eu"]
    es = extract(
        pipeline,
        "El taller, organizado por UNLIREC con el financiamiento de Canadá, se celebró en Lima el 3 de mayo "
        "de 2016.",
    )
    assert ref_ids(es.organizers) == ["unlirec"]
    assert ref_ids(es.sponsors) == ["country:CA"]


def test_a_country_after_a_place_word_is_no_party(pipeline: Pipeline) -> None:
    record = extract(
        pipeline, ("On 4 May 2015 UNODA held a workshop in Nairobi, Kenya for experts from Uganda.")
    )
    assert ref_ids(record.organizers) == ["unoda"]
    assert "country:KE" not in ref_ids(record.organizers)


def test_background_sentences_give_no_roles(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "On 4 May 2015 UNODA held a workshop in Accra, Ghana. The previous workshop, hosted by Nigeria, "
        "was funded by Japan.",
    )
    assert record.hosts == [] and record.sponsors == []


def test_the_publisher_in_a_dateline_is_no_party(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "BRIDGETOWN, 4 March 2019 (UNLIREC) - Barbados hosted a national workshop today on resolution 1540.",
    )
    assert ref_ids(record.hosts) == ["country:BB"]
    assert record.organizers == []


def test_cue_forms_an_adverb_a_contracted_de_and_a_clause_inside_a_name(pipeline: Pipeline) -> None:
    french = (
        "Du 28 au 30 juin 2022 s'est tenu à Dakar un atelier, organisé conjointement par l'UNREC et "
        "l'OPCW, avec le soutien financier de l'Union européenne."
    )
    record = extract(pipeline, french)
    assert ref_ids(record.organizers) == ["unrec", "opcw"]
    assert ref_ids(record.sponsors) == ["eu"]
    spanish = (
        "El 9 de octubre de 2018 se realizó en San José un taller organizado por el Centro Regional de las "
        "Naciones Unidas para la Paz, el Desarme y el Desarrollo en América Latina y el Caribe y la OPAQ, "
        "con el apoyo financiero del Gobierno de Alemania."
    )
    record = extract(pipeline, spanish)
    assert ref_ids(record.organizers) == ["unlirec", "opcw"]
    assert ref_ids(record.sponsors) == ["country:DE"]


def test_a_unit_named_after_its_organization_is_no_party_of_its_own(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "A round table took place in Bishkek, Kyrgyzstan on 22 and 23 May 2023, organized by the OSCE "
        "Programme Office in Bishkek in partnership with UNODA.",
    )
    assert ref_ids(record.organizers) == ["osce", "unoda"]


def test_a_foreign_affairs_department_without_its_country_stands_for_the_venue_country(
    pipeline: Pipeline,
) -> None:
    record = extract(
        pipeline,
        "The Department of Foreign Affairs organized, in partnership with UNRCPD, a national workshop "
        "on 13-14 February 2024 in Manila, Philippines.",
    )
    assert ref_ids(record.organizers) == ["country:PH", "unrcpd"]
