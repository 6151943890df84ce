"""A State's own body named without its State (a ministry, the police, customs) belongs to the State its
sentence, the venue or the name itself gives, in every role; with none, the record says so and names no
nearest registry entries. Every sentence here is written for this test."""

from __future__ import annotations

from note_extract.core.models import NoteRecord
from note_extract.core.spans import CleanSpan
from note_extract.pipeline import Pipeline

from .conftest import extract, member_ids, ref_ids


def _codes(record: NoteRecord) -> list[str]:
    return [i.code for i in record.issues]


def test_ministry_as_agent_belongs_to_the_place_of_the_sentence(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "The workshop was organized by the Ministry of Foreign Affairs and UNODA in Suva, Fiji, on 3-4 May "
        "2019.",
    )
    assert ref_ids(record.organizers) == ["country:FJ", "unoda"]
    [ministry] = [r for r in record.organizers if r.id == "country:FJ"]
    assert ministry.text == "Ministry of Foreign Affairs"
    assert "org-unresolved" not in _codes(record)


def test_police_and_customs_as_hosts_stand_for_the_venue_state(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "The seminar on border controls was hosted by the Police Force and the Customs Department in Apia, "
        "Samoa, from 6 to 8 June 2019.",
    )
    assert ref_ids(record.hosts) == ["country:WS"]
    assert "org-unresolved" not in _codes(record)


def test_a_body_named_of_its_state_belongs_to_it_not_to_the_venue(pipeline: Pipeline) -> None:
    spanish = extract(
        pipeline,
        "El curso se realizó en Quito, Ecuador, el 3 de mayo de 2019, con el apoyo financiero del "
        "Ministerio de Defensa de España.",
    )
    assert ref_ids(spanish.sponsors) == ["country:ES"]
    english = extract(
        pipeline,
        "The workshop took place in Accra, Ghana, on 4 June 2019. Officials from the Ministry of Health of "
        "Nigeria attended.",
    )
    assert "national:ng:ministry-of-health" in member_ids(english)
    assert not any((m or "").startswith("national:gh:") for m in member_ids(english))


def test_french_bodies_written_in_lower_case_as_subject_and_host(pipeline: Pipeline) -> None:
    subject = extract(
        pipeline,
        "Le Ministère de la Défense a organisé, avec l'appui de l'UNREC, un atelier national à Lomé, Togo, "
        "du 3 au 5 juin 2019.",
    )
    assert ref_ids(subject.organizers)[0] == "country:TG"
    host = extract(
        pipeline,
        "L'atelier, accueilli par la Direction générale des douanes, s'est tenu à Dakar, Sénégal, le 4 "
        "avril 2019.",
    )
    assert ref_ids(host.hosts) == ["country:SN"]
    assert host.hosts[0].text == "Direction générale des douanes"


def test_french_participants_keep_the_whole_lower_case_name(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Le séminaire s'est tenu à Dakar, Sénégal, le 4 avril 2019. Des représentants de la Direction "
        "générale des douanes et de la Police nationale ont participé.",
    )
    members = member_ids(record)
    assert "national:sn:direction-generale-des-douanes" in members
    assert "national:sn:police-nationale" in members


def test_spanish_national_directorate_as_subject_and_ministry_as_agent(pipeline: Pipeline) -> None:
    subject = extract(
        pipeline,
        "La Dirección Nacional de Aduanas, en colaboración con UNLIREC, organizó un taller en Asunción, "
        "Paraguay, el 4 de junio de 2019.",
    )
    assert ref_ids(subject.organizers) == ["country:PY", "unlirec"]
    assert subject.organizers[0].text == "La Dirección Nacional de Aduanas"
    agent = extract(
        pipeline,
        "El taller fue organizado por el Ministerio de Relaciones Exteriores y UNLIREC en Lima, Perú, el 3 "
        "de mayo de 2019.",
    )
    assert ref_ids(agent.organizers) == ["country:PE", "unlirec"]


def test_a_body_with_no_state_anywhere_says_so_without_nearest_names(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "A virtual workshop was organized by the Ministry of Foreign Affairs and UNODA on 3 May 2020.",
    )
    [ministry, unoda] = record.organizers
    assert (ministry.id, unoda.id) == (None, "unoda")
    assert ministry.match.method == "unresolved" and ministry.match.candidates == []
    [issue] = [i for i in record.issues if i.code == "national-body-stateless"]
    assert "Ministry of Foreign Affairs" in issue.message
    assert "org-unresolved" not in _codes(record)


def test_header_organizer_field_ministry_takes_the_venue_state(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: National workshop on resolution 1540\nDate: 3-4 May 2019\nVenue: Kathmandu, Nepal\n"
        "Organizers: Ministry of Home Affairs, UNRCPD\nParticipants: Ministry of Foreign Affairs, "
        "Department of Customs\n",
    )
    assert ref_ids(record.organizers) == ["country:NP", "unrcpd"]
    members = member_ids(record)
    assert {"national:np:ministry-of-foreign-affairs", "national:np:department-of-customs"} <= set(members)


def test_role_evidence_says_the_body_stands_for_its_state() -> None:
    from note_extract.parties.prose_roles import read_prose_roles

    from .stage_inputs import RULES, hits, refs

    text = "The Customs Administration, together with the WCO, organized a course in Maputo."
    found = hits(text, ("WCO", "org", "wco"))
    roles, findings = read_prose_roles(RULES, (CleanSpan(0, len(text)),), (), found, refs(text), "MZ")
    customs = roles.organizers[0]
    assert customs.id == "country:MZ" and customs.evidence is not None
    assert (customs.evidence.relation, customs.evidence.as_country) == ("subject", True)
    assert findings == []
