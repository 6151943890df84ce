"""Roles read from the clause (prose_roles.py): the subject of a role verb across inserted phrases, the
agent of a passive, lists taken whole, nominal forms, partners after the object, national bodies. Every
sentence here is written for this test."""

from __future__ import annotations

from note_extract.core.spans import CleanSpan
from note_extract.pipeline import Pipeline

from .conftest import extract, member_ids, ref_ids

# --- the subject of an active role verb ----------------------------------------------------------------


def test_subject_across_acronym_and_inserted_cooperation_phrase(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "The United Nations Office for Disarmament Affairs (UNODA), in cooperation with the Organisation "
        "for the Prohibition of Chemical Weapons (OPCW), organized a regional workshop in Accra, Ghana, "
        "from 12 to 14 June 2018.",
    )
    assert ref_ids(record.organizers)[0] == "unoda"
    assert record.sponsors == []


def test_subject_after_fronted_funding_and_partnership_phrases(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "From 3 to 5 April 2019, with funding from the European Union and in partnership with the "
        "Government of Jamaica, the United Nations Regional Centre for Peace, Disarmament and Development "
        "in Latin America and the Caribbean (UNLIREC) conducted a training course in Kingston.",
    )
    assert ref_ids(record.sponsors) == ["eu"]
    assert set(ref_ids(record.organizers)) == {"unlirec", "country:JM"}


def test_subject_with_together_with_partners_all_organize(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "The Ministry of Foreign Affairs of Kenya, together with UNODA and the IAEA, organized a two-day "
        "course in Nairobi on 7-8 March 2022.",
    )
    assert set(ref_ids(record.organizers)) == {"country:KE", "unoda", "iaea"}


def test_spanish_subject_across_en_colaboracion_con(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "El 4 de junio de 2019, UNLIREC, en colaboración con el Gobierno de Paraguay, organizó un taller "
        "nacional en Asunción.",
    )
    assert ref_ids(record.organizers)[0] == "unlirec"


def test_progressive_verb_names_its_subject(pipeline: Pipeline) -> None:
    record = extract(
        pipeline, "UNRCPD is organizing a workshop for Asian States in Kathmandu, Nepal, on 3-4 June 2019."
    )
    assert ref_ids(record.organizers) == ["unrcpd"]


def test_progressive_convening_after_a_participation_phrase(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "With the participation of regional experts, the Government of Oman is convening the workshop in "
        "Muscat on 3-4 May 2019.",
    )
    assert ref_ids(record.organizers) == ["country:OM"]


# --- the agent of a passive -----------------------------------------------------------------------------


def test_passive_agent_list_in_english_french_spanish(pipeline: Pipeline) -> None:
    english = extract(
        pipeline,
        "A national workshop on export controls was organized by UNODA, the WCO and INTERPOL in Windhoek, "
        "Namibia, on 2 May 2019.",
    )
    assert ref_ids(english.organizers) == ["unoda", "wco", "interpol"]
    french = extract(
        pipeline,
        "Un atelier national sur la résolution 1540 a été organisé par l'UNREC et le Gouvernement du Togo "
        "à Lomé, du 3 au 5 juin 2019.",
    )
    assert ref_ids(french.organizers) == ["unrec", "country:TG"]
    spanish = extract(
        pipeline,
        "Un taller sobre la resolución 1540 fue organizado por UNLIREC y el Gobierno de Paraguay en "
        "Asunción, el 3 de junio de 2019.",
    )
    assert ref_ids(spanish.organizers) == ["unlirec", "country:PY"]


def test_passive_with_words_between_participle_and_agent(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "The seminar took place in Tbilisi, Georgia, on 6-7 May 2019. It was financed in full by the "
        "United Kingdom.",
    )
    assert ref_ids(record.sponsors) == ["country:GB"]


# --- partners after the object -----------------------------------------------------------------------


def test_cohost_an_event_with_a_ministry(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "On 9 May 2018, UNRCPD co-hosted a national round-table with the Ministry of Foreign Affairs in "
        "Thimphu, Bhutan.",
    )
    assert set(ref_ids(record.organizers)) == {"unrcpd", "country:BT"}
    assert ref_ids(record.hosts) == ["country:BT"]


def test_partnered_with_makes_both_organizers(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "UNODA partnered with INTERPOL to deliver a training course in Bangkok, Thailand on 4-6 June 2019.",
    )
    assert set(ref_ids(record.organizers)) == {"unoda", "interpol"}


# --- nominal forms ---------------------------------------------------------------------------------------


def test_at_the_invitation_of_and_with_the_participation_of(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "At the invitation of the Government of Mongolia, the 1540 Committee held a country visit in "
        "Ulaanbaatar on 3-4 June 2019, with the participation of the IAEA and INTERPOL.",
    )
    assert ref_ids(record.hosts) == ["country:MN"]
    assert {"iaea", "interpol"} <= set(member_ids(record))


def test_with_financial_support_of_without_article(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "With financial support of the Government of Canada, UNLIREC held a seminar in Belmopan, Belize on "
        "8 May 2019.",
    )
    assert ref_ids(record.sponsors) == ["country:CA"]
    assert ref_ids(record.organizers) == ["unlirec"]


def test_brought_together_and_officials_from_a_list(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "The course, held in Lima, Peru on 3 May 2019, brought together officials from Chile, Bolivia "
        "and Ecuador.",
    )
    assert {"country:CL", "country:BO", "country:EC"} <= set(member_ids(record))


def test_participant_lists_in_french_and_spanish(pipeline: Pipeline) -> None:
    french = extract(
        pipeline,
        "L'atelier s'est tenu à Cotonou, Bénin, le 3 mai 2019. Des représentants du Niger, du Mali et du "
        "Togo ont participé.",
    )
    assert {"country:NE", "country:ML", "country:TG"} <= set(member_ids(french))
    spanish = extract(
        pipeline,
        "El taller se realizó en Quito, Ecuador, el 3 de mayo de 2019. Participaron delegaciones de "
        "Bolivia, Colombia y Perú.",
    )
    assert {"country:BO", "country:CO", "country:PE"} <= set(member_ids(spanish))


# --- sentences before the dated one -------------------------------------------------------------------


def test_organizer_named_in_the_lead_before_the_dated_sentence(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "UNLIREC, in cooperation with the Government of Panama, organized a national workshop on "
        "resolution 1540. The workshop took place from 3 to 5 July 2019 in Panama City, Panama.",
    )
    assert ref_ids(record.organizers)[0] == "unlirec"


# --- national bodies -------------------------------------------------------------------------------------


def test_national_bodies_without_country_belong_to_the_venue(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "The workshop was held in Suva, Fiji on 3 May 2019. Officials from the Police Force, the Customs "
        "Department and the Ministry of Foreign Affairs took part.",
    )
    members = [m for g in record.participants for m in g.members]
    national = [m for m in members if (m.id or "").startswith("national:fj:")]
    assert len(national) == 3


# --- role evidence ---------------------------------------------------------------------------------------


def test_role_candidates_keep_how_they_were_found() -> None:
    from note_extract.event.event import EventContext
    from note_extract.parties.roles import extract_roles

    from .stage_inputs import RULES, header, hits, refs

    sentence = (
        "The IAEA, together with INTERPOL, convened a seminar in Nairobi with funding from Japan and "
        "was hosted by the Government of Kenya."
    )
    text, layout = header(("organizers", "Organizer", "UNODA"), body=sentence)
    at = text.index(sentence)
    context = EventContext(sentence=CleanSpan(at, at + len(sentence)), venue=None, venue_country="KE")
    found = hits(text, ("UNODA", "org", "unoda"), ("IAEA", "org", "iaea"), ("INTERPOL", "org", "interpol"),
                 ("Japan", "country", "JP"), ("Kenya", "country", "KE"))  # fmt: skip
    roles, _ = extract_roles(RULES, layout, found, refs(text), context, "KE")
    [organizer] = roles.organizers
    assert organizer.evidence is not None
    assert (organizer.evidence.source, organizer.evidence.relation) == ("header", "field")
    [sponsor] = roles.sponsors
    assert sponsor.evidence is not None and sponsor.evidence.source == "prose"
    assert (sponsor.evidence.cue, sponsor.evidence.relation) == ("with funding from", "object")
    [host] = roles.hosts
    assert host.evidence is not None and (host.evidence.relation, host.evidence.as_country) == (
        "agent",
        False,
    )


def test_subject_and_coagent_evidence_in_a_list(pipeline: Pipeline) -> None:
    from note_extract.parties.prose_roles import read_prose_roles

    from .stage_inputs import RULES, hits, refs

    text = "The IAEA, together with INTERPOL and the WCO, organized a course in Lima."
    found = hits(text, ("IAEA", "org", "iaea"), ("INTERPOL", "org", "interpol"), ("WCO", "org", "wco"))
    roles, _ = read_prose_roles(RULES, (CleanSpan(0, len(text)),), (), found, refs(text), None)
    relations = [(r.id, r.evidence.relation, r.evidence.list_size) for r in roles.organizers if r.evidence]
    assert relations == [("iaea", "subject", 3), ("interpol", "coagent", 3), ("wco", "coagent", 3)]


def test_agent_list_goes_on_past_names_with_pour_la_and_for_the(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "The course was held in Dakar, Senegal, on 3 May 2019. It was co-organized by the Fondation pour "
        "la Paix Régionale, the Centre for the Study of Arms Control and the Institute for Border "
        "Management.",
    )
    texts = [r.text for r in record.organizers]
    assert len(texts) == 3 and "Institute for Border Management" in texts[2]


def test_an_organizer_acting_through_its_regional_centre(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "The course was organized by UNODA, through its Regional Centre for Peace and Disarmament in "
        "Africa, in Lomé, Togo on 3 May 2019.",
    )
    assert ref_ids(record.organizers) == ["unoda", "unrec"]
