"""Clause shapes in English, French and Spanish, each on a sentence written for this test: relative
clauses, participles with an adverb, "co-organized with", "on behalf of", "funded through", lists over a
line break, acronyms before names, "the Government of X, as host,", inserted phrases between a fronted
phrase and the subject, and the reflexive passive. Each case names the role read and the parties it
must hold, in the order written."""

from __future__ import annotations

import pytest

from note_extract.core.models import NoteRecord
from note_extract.pipeline import Pipeline

from .conftest import extract

Case = tuple[str, str, list[str]]

CASES: list[Case] = [
    # relative clauses
    (
        "The regional workshop, which was organized by UNODA and the OPCW, took place in Accra, Ghana, on "
        "12-14 June 2018.",
        "organizers",
        ["unoda", "opcw"],
    ),
    (
        "A national round-table, which was hosted by the Government of Bhutan, was held in Thimphu on 9 May "
        "2018.",
        "hosts",
        ["country:BT"],
    ),
    (
        "The course, which was funded by the European Union and Japan, was held in Lima, Peru, from 3 to 5 "
        "April 2019.",
        "sponsors",
        ["eu", "country:JP"],
    ),
    (
        "L'atelier, qui a été organisé par l'UNREC et l'Union africaine, s'est tenu à Lomé, Togo, du 3 au 5 "
        "juin 2019.",
        "organizers",
        ["unrec", "au"],
    ),
    (
        "El taller, que fue organizado por UNLIREC y la OEA, se realizó en Quito, Ecuador, el 3 de mayo de "
        "2019.",
        "organizers",
        ["unlirec", "oas"],
    ),
    # participles with an adverb, co-organized by / with
    (
        "A training course organized jointly by UNLIREC and the OAS took place in Kingston, Jamaica, on 3-5 "
        "April 2019.",
        "organizers",
        ["unlirec", "oas"],
    ),
    (
        "Un atelier organisé conjointement par l'UNREC et la CEEAC s'est tenu à Libreville, Gabon, du 3 au 5 "
        "juin 2019.",
        "organizers",
        ["unrec", "eccas"],
    ),
    (
        "Un curso organizado conjuntamente por UNLIREC y el CICTE se realizó en Bogotá, Colombia, el 3 de "
        "mayo de 2019.",
        "organizers",
        ["unlirec", "cicte"],
    ),
    (
        "A seminar co-organized by INTERPOL and the WCO was held in Nairobi, Kenya, on 7-8 March 2022.",
        "organizers",
        ["interpol", "wco"],
    ),
    (
        "UNODA co-organized with the OSCE a regional workshop in Vienna, Austria, on 4-5 June 2019.",
        "organizers",
        ["unoda", "osce"],
    ),
    (
        "The IAEA co-organized the workshop with INTERPOL in Bangkok, Thailand, on 4-6 June 2019.",
        "organizers",
        ["iaea", "interpol"],
    ),
    (
        "L'UNREC a co-organisé avec la CEDEAO un atelier à Abuja, Nigeria, du 3 au 5 juin 2019.",
        "organizers",
        ["unrec", "ecowas"],
    ),
    (
        "UNLIREC coorganizó con la OEA un taller en Lima, Perú, el 3 de mayo de 2019.",
        "organizers",
        ["unlirec", "oas"],
    ),
    # on behalf of: the principal takes part, the one acting organizes
    (
        "On behalf of the 1540 Committee, UNODA organized a workshop in Windhoek, Namibia, on 2 May 2019.",
        "organizers",
        ["unoda"],
    ),
    (
        "Au nom du Comité 1540, l'UNODA a organisé un atelier à Dakar, Sénégal, le 4 avril 2019.",
        "organizers",
        ["unoda"],
    ),
    (
        "En nombre del Comité 1540, UNLIREC organizó un taller en Asunción, Paraguay, el 4 de junio de 2019.",
        "organizers",
        ["unlirec"],
    ),
    (
        "The United Nations Office on Drugs and Crime (UNODC), acting on behalf of the Government of Kenya, "
        "convened a seminar in Nairobi, Kenya, on 3 May 2019.",
        "organizers",
        ["unodc"],
    ),
    # funded through
    (
        "The workshop was held in Tbilisi, Georgia, on 6-7 May 2019. It was funded through a contribution "
        "from the United Kingdom.",
        "sponsors",
        ["country:GB"],
    ),
    (
        "L'atelier, financé par l'Union européenne et le Japon, s'est tenu à Rabat, Maroc, le 4 avril 2019.",
        "sponsors",
        ["eu", "country:JP"],
    ),
    (
        "El taller fue financiado a través de una contribución del Gobierno de Canadá y se realizó en Lima, "
        "Perú, el 4 de junio de 2019.",
        "sponsors",
        ["country:CA"],
    ),
    # lists spanning a line break, acronyms before and after names
    (
        "The workshop was organized by UNODA, the IAEA,\nINTERPOL and the WCO in Manila, Philippines, on 3-4 "
        "May 2019.",
        "organizers",
        ["unoda", "iaea", "interpol", "wco"],
    ),
    (
        "The OPCW, UNODA and the BWC Implementation Support Unit organized a workshop in The Hague, "
        "Netherlands, on 3 May 2019.",
        "organizers",
        ["opcw", "unoda", "bwc-isu"],
    ),
    (
        "The course was held in Lima, Peru, on 3 May 2019. Participants included representatives of Chile, "
        "Peru,\nBolivia and Ecuador.",
        "participants",
        ["country:CL", "country:PE", "country:BO", "country:EC"],
    ),
    (
        "L'atelier s'est tenu à Libreville, Gabon, le 4 avril 2019. Ont participé des représentants du "
        "Cameroun, du Tchad,\ndu Congo et du Gabon.",
        "participants",
        ["country:CM", "country:TD", "country:CG", "country:GA"],
    ),
    (
        "El taller se realizó en Quito, Ecuador, el 4 de junio de 2019. Participaron representantes de "
        "Chile, Perú,\nBolivia y Ecuador.",
        "participants",
        ["country:CL", "country:PE", "country:BO", "country:EC"],
    ),
    # the Government of X, as host
    (
        "The Government of Kazakhstan, as host, welcomed participants to the workshop in Astana on 3-4 June "
        "2019.",
        "hosts",
        ["country:KZ"],
    ),
    (
        "UNLIREC and the Government of Jamaica, as host, organized a workshop in Kingston, Jamaica, on 3 May "
        "2019.",
        "hosts",
        ["country:JM"],
    ),
    (
        "The Government of Togo, as the host country, opened the workshop in Lomé, Togo, on 3 May 2019, "
        "which was organized by UNREC.",
        "hosts",
        ["country:TG"],
    ),
    (
        "Le Gouvernement du Gabon, en tant que pays hôte, a accueilli l'atelier à Libreville le 4 avril "
        "2019.",
        "hosts",
        ["country:GA"],
    ),
    (
        "El Gobierno de Panamá, como anfitrión, organizó junto con UNLIREC un taller en Ciudad de Panamá el "
        "4 de junio de 2019.",
        "hosts",
        ["country:PA"],
    ),
    # a fronted phrase, then the subject, then an inserted phrase
    (
        "With the financial support of the Government of Norway, UNODA, in cooperation with the African "
        "Union, organized a workshop in Addis Ababa, Ethiopia, on 3 May 2019.",
        "organizers",
        ["unoda", "au"],
    ),
    (
        "With the financial support of the Government of Norway, UNODA, in cooperation with the African "
        "Union, organized a workshop in Addis Ababa, Ethiopia, on 3 May 2019.",
        "sponsors",
        ["country:NO"],
    ),
    (
        "Con el apoyo financiero de Canadá, UNLIREC, en colaboración con la OEA, organizó un curso en Lima, "
        "Perú, el 3 de mayo de 2019.",
        "organizers",
        ["unlirec", "oas"],
    ),
    (
        "Avec l'appui financier du Japon, l'UNREC, en collaboration avec la CEEAC, a organisé un atelier à "
        "Libreville, Gabon, le 4 avril 2019.",
        "organizers",
        ["unrec", "eccas"],
    ),
    (
        "UNODA and the OPCW, with funding from Canada, organized a course in Nairobi, Kenya, on 3 May 2019.",
        "organizers",
        ["unoda", "opcw"],
    ),
    # a place phrase between the verb and its object
    (
        "On 21 February 2019, UNLIREC and the Government of Peru jointly held in Lima, Peru, a national "
        "workshop on biological weapons.",
        "organizers",
        ["unlirec", "country:PE"],
    ),
    (
        "UNRCPD organized in Kathmandu, Nepal, a national round-table on 3-4 June 2019.",
        "organizers",
        ["unrcpd"],
    ),
    (
        "The workshop, held at the invitation of the Government of Viet Nam, was organized by UNRCPD in "
        "Hanoi on 3 May 2019.",
        "hosts",
        ["country:VN"],
    ),
]


def _role(record: NoteRecord, role: str) -> list[str]:
    if role == "participants":
        return [m.id or m.text for g in record.participants for m in g.members]
    return [r.id or r.text for r in getattr(record, role)]


@pytest.mark.parametrize(
    ("sentence", "role", "expected"), CASES, ids=[f"{i:02d}-{c[1]}" for i, c in enumerate(CASES)]
)
def test_clause_shape(pipeline: Pipeline, sentence: str, role: str, expected: list[str]) -> None:
    found = _role(extract(pipeline, sentence), role)
    if role == "participants":
        assert [p for p in found if p in expected] == expected
    else:
        assert found == expected


def test_the_principal_of_on_behalf_of_takes_part_without_organizing(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "On behalf of the 1540 Committee, UNODA organized a workshop in Windhoek, Namibia, on 2 May 2019.",
    )
    assert "committee-1540" in _role(record, "participants")
    assert "committee-1540" not in _role(record, "organizers")


def test_the_reflexive_passive_names_no_subject(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "El taller fue financiado por el Gobierno de Canadá y se realizó en Lima, Perú, el 4 de junio de "
        "2019.",
    )
    assert _role(record, "organizers") == []
    assert _role(record, "sponsors") == ["country:CA"]


def test_an_apposition_outside_commas_gives_no_role(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "UNODA, which served as host of earlier meetings, organized a workshop in Lima, Peru, on 3 May 2019.",
    )
    assert _role(record, "hosts") == []


def test_a_passive_before_a_place_phrase_names_no_organizer(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "The Government of Peru said the workshop was held in Lima, Peru, a city of ten million, on 21 "
        "February 2019.",
    )
    assert _role(record, "organizers") == []


def test_a_country_name_written_in_lower_case_is_a_common_word(pipeline: Pipeline) -> None:
    english = extract(
        pipeline,
        "The meeting was organized by UNODA and attended by experts on turkey farming and chad grass in "
        "Nairobi, Kenya, on 3 May 2019.",
    )
    assert _role(english, "participants") == ["unoda"]
    french = extract(
        pipeline,
        "Une réunion organisée par l'UNREC et la Gendarmerie nationale s'est tenue à Lomé, Togo, le 3 mai "
        "2019.",
    )
    assert "country:RE" not in _role(french, "organizers") + _role(french, "participants")
    capital = extract(
        pipeline,
        "The workshop took place in Nassau on 3 May 2019. Officials from the Bahamas took part.",
    )
    assert "country:BS" in _role(capital, "participants")
