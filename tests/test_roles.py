"""Header parties: role cues, groups, national bodies, places, unknown names."""

from __future__ import annotations

from note_extract.pipeline import Pipeline

from .conftest import extract


def test_role_cues_switch_to_sponsors_and_hosts(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A workshop\n\nOrganizers: UNODA, in cooperation with the OPCW; sponsored by Japan and "
        "hosted by the Government of Kenya\n\nDate and venue: 4 October 2017, Nairobi, Kenya\n",
    )
    assert [r.id for r in record.organizers] == ["unoda", "opcw"]
    assert [r.id for r in record.sponsors] == ["country:JP"]
    assert [r.id for r in record.hosts] == ["country:KE"]


def test_separate_sponsor_host_and_observer_fields(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A seminar\n\nOrganizer: OSCE\n\nSponsors: European Union\n\nHost: Austria\n\n"
        "Observers: INTERPOL\n\nDate and venue: 6-7 April 2016, Vienna, Austria\n",
    )
    assert [r.id for r in record.organizers] == ["osce"]
    assert [r.id for r in record.sponsors] == ["eu"]
    assert [r.id for r in record.hosts] == ["country:AT"]
    assert [r.id for r in record.observers] == ["interpol"]


def test_country_group_members_become_national_bodies(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A visit\n\nOrganizers: UNODA\n\nParticipants: Kenya: Ministry of Health, National Police "
        "Service, University of Nairobi\n\nDate and venue: 4 October 2017, Nairobi, Kenya\n",
    )
    group = record.participants[0]
    assert (group.label, group.country_code) == ("Kenya", "KE")
    assert [m.id for m in group.members] == [
        "national:ke:ministry-of-health",
        "national:ke:national-police-service",
        "national:ke:university-of-nairobi",
    ]
    assert [m.type for m in group.members] == ["government", "government", "academic"]
    assert all(m.match.method == "rule" for m in group.members)


def test_an_unknown_organization_is_unresolved_with_an_issue(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A meeting\n\nOrganizers: Zorblax Peace Institute (ZPI)\n\nDate and venue: 4 May 2017\n",
    )
    [ref] = record.organizers
    assert ref.id is None and ref.match.method == "unresolved"
    assert ref.text == "Zorblax Peace Institute (ZPI)"
    issue = next(i for i in record.issues if i.code == "org-unresolved")
    assert issue.span == ref.span and "Zorblax Peace Institute" in issue.message


def test_a_misspelled_acronym_is_not_merged(pipeline: Pipeline) -> None:
    record = extract(pipeline, "Event: A meeting\n\nOrganizers: UN LIRECC\n\nDate and venue: 4 May 2017\n")
    [ref] = record.organizers
    assert ref.id is None
    assert ref.match.candidates and ref.match.candidates[0].id == "unlirec"


def test_a_misspelled_long_name_is_fuzzy_and_says_so(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A meeting\n\nOrganizers: Organisation for the Prohibition of Chemical Weapon\n\n"
        "Date and venue: 4 May 2017\n",
    )
    [ref] = record.organizers
    assert ref.id == "opcw" and ref.match.method in {"fuzzy", "alias", "exact"}
    if ref.match.method == "fuzzy":
        assert 90 <= ref.match.score < 100
        assert "org-fuzzy" in [i.code for i in record.issues]


def test_a_country_after_an_embassy_is_a_place(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: X\n\nOrganizers: OAS\n\nObserver: Advisor (United States Embassy, Panama)\n\n"
        "Date: 4 May 2017\n",
    )
    assert [r.id for r in record.observers] == ["country:US"]


def test_qualifier_before_an_organization_is_not_a_separate_party(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: X\n\nOrganizers: The Office of the Secretary General of the Organization of American States "
        "(OAS)\n\nDate: 4 May 2017\n",
    )
    assert [r.id for r in record.organizers] == ["oas"]
    assert not [i for i in record.issues if i.code == "org-unresolved"]


def test_a_party_is_listed_once_per_role(pipeline: Pipeline) -> None:
    record = extract(
        pipeline, "Event: X\n\nOrganizers: UNODA and the United Nations Office for Disarmament Affairs\n"
    )
    assert [r.id for r in record.organizers] == ["unoda"]


def test_title_label_variants_and_an_unlabelled_empty_participant_list(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "**Title of the event:** Peer review between Croatia and Poland\n"
        "**Organizers:** Croatia and Poland, with the support of UNODA\n"
        "**Date and place:** 12\u201314 September 2016, Zagreb, Croatia\n"
        "Participants: 25 participants from 12 States\n",
    )
    assert record.event.title == "Peer review between Croatia and Poland"
    assert record.event.kind == "peer_review"
    # "with the support of" names no money: a partner inside the organizers field stays an organizer
    assert [r.id for r in record.organizers] == ["country:HR", "country:PL", "unoda"]
    assert record.sponsors == []
    assert record.participants == []


def test_a_ministry_organizing_or_hosting_stands_for_its_state(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A workshop\nOrganizers: Ministry of Foreign Affairs of the Republic of Korea, UNODA\n"
        "Hosted by: Ministry of External Affairs of India\n"
        "Participants: Ministry of Defence of Kenya\n"
        "Date and venue: 4 October 2017, Seoul, Republic of Korea\n",
    )
    assert [r.id for r in record.organizers] == ["country:KR", "unoda"]
    assert [r.id for r in record.hosts] == ["country:IN"]
    assert [m.id for g in record.participants for m in g.members] == [
        "national:ke:ministry-of-defence-of-kenya"
    ]


def test_co_hosts_organize_and_the_venue_state_also_hosts(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A dialogue\nCo-hosted by: Government of Barbados, UNODA\n"
        "Date and venue: 8 March 2022, Bridgetown, Barbados\n",
    )
    assert [r.id for r in record.organizers] == ["country:BB", "unoda"]
    assert [r.id for r in record.hosts] == ["country:BB"]


def test_french_and_spanish_role_words_are_never_organizations(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Événement : Atelier national\nOrganisateurs : UNODA, avec l'appui financier de l'Union européenne\n"
        "Organizadores: UNLIREC, Con el financiamiento de Unión Europea\nDates : 7-8 novembre 2017\n",
    )
    assert [r.id for r in record.organizers] == ["unoda", "unlirec"]
    assert [r.id for r in record.sponsors] == ["eu"]


def test_a_country_written_before_its_own_programme_is_no_party(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A workshop\nOrganizers: United States Export Control and Related Border Security Program "
        "(EXBS)\nDate and venue: 4 October 2017, Manila, Philippines\n",
    )
    assert [r.id for r in record.organizers] == ["exbs"]


def test_a_line_opening_a_group_starts_a_new_participant_group(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A workshop\nOrganizers: UNLIREC\nParticipants: States: Argentina, Chile\n"
        "International organizations: IAEA, OPCW\n\n1. Background\n\nText.\n",
    )
    assert [g.label for g in record.participants] == ["States", "International organizations"]
    assert [[m.id for m in g.members] for g in record.participants] == [
        ["country:AR", "country:CL"],
        ["iaea", "opcw"],
    ]


def test_a_ministry_in_parentheses_after_its_state_is_no_party_of_its_own(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A workshop\nOrganizers: Government of Kenya (Ministry of Foreign Affairs), UNODA\n"
        "Date and venue: 3 June 2019, Nairobi, Kenya\n",
    )
    assert [r.id for r in record.organizers] == ["country:KE", "unoda"]
    assert "org-unresolved" not in [i.code for i in record.issues]


def test_a_head_word_written_after_an_organization_is_part_of_it(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: A workshop\nOrganizers: UNODA, ECCAS Secretariat\n"
        "Date and venue: 3 June 2019, Libreville, Gabon\n",
    )
    assert [r.id for r in record.organizers] == ["unoda", "eccas"]


def test_french_and_spanish_names_go_on_in_lower_case(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Event: Atelier national\n\nOrganisateurs : UNREC\n\n"
        "Lieu et date : Niamey, Niger, 12-13 septembre 2017\n\n"
        "Participants : Ministère des Affaires étrangères ; Haute Autorité nigérienne à l'énergie atomique ; "
        "Ministerio de Relaciones Exteriores\n",
    )
    names = [m.text for g in record.participants for m in g.members]
    assert "Ministère des Affaires étrangères" in names
    assert "Haute Autorité nigérienne à l'énergie atomique" in names
    assert "Ministerio de Relaciones Exteriores" in names
