"""The roles stage alone: layouts, hits and event contexts built by hand (see ``stage_inputs``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from note_extract.core.spans import CleanSpan
from note_extract.event.event import EventContext
from note_extract.layout.layout import Layout, SectionPart
from note_extract.parties.refs import Ref
from note_extract.parties.roles import extract_roles

from .stage_inputs import RULES, header, hits, refs


def _ids(found: Sequence[Ref]) -> list[str | None]:
    return [r.id for r in found]


def test_cues_inside_a_field_switch_its_role() -> None:
    value = "UNODA, in cooperation with the OPCW; sponsored by Japan and hosted by the Government of Kenya"
    text, layout = header(("organizers", "Organizers", value))
    found = hits(text, ("UNODA", "org", "unoda"), ("OPCW", "org", "opcw"), ("Japan", "country", "JP"),
                 ("Kenya", "country", "KE"))  # fmt: skip
    roles, findings = extract_roles(RULES, layout, found, refs(text))
    assert (_ids(roles.organizers), _ids(roles.sponsors), _ids(roles.hosts)) == (
        ["unoda", "opcw"],
        ["country:JP"],
        ["country:KE"],
    )
    assert findings == []


def test_each_role_field_fills_its_role_and_spans_are_clean_text() -> None:
    text, layout = header(
        ("organizers", "Organizer", "OSCE"),
        ("sponsors", "Sponsors", "European Union"),
        ("hosts", "Host", "Austria"),
        ("observers", "Observers", "INTERPOL"),
    )
    found = hits(text, ("OSCE", "org", "osce"), ("European Union", "org", "eu"), ("Austria", "country", "AT"),
                 ("INTERPOL", "org", "interpol"))  # fmt: skip
    roles, _ = extract_roles(RULES, layout, found, refs(text))
    assert _ids(roles.organizers) == ["osce"] and _ids(roles.sponsors) == ["eu"]
    assert _ids(roles.hosts) == ["country:AT"] and _ids(roles.observers) == ["interpol"]
    sponsor = roles.sponsors[0]
    assert isinstance(sponsor.span, CleanSpan) and text[slice(*sponsor.span)] == "European Union"


def test_members_of_a_country_group_are_its_national_bodies() -> None:
    value = "Kenya: Ministry of Health, National Police Service, University of Nairobi"
    text, layout = header(("participants", "Participants", value))
    roles, findings = extract_roles(RULES, layout, hits(text, ("Kenya", "country", "KE")), refs(text))
    [group] = roles.participants
    assert (group.label, group.country_code) == ("Kenya", "KE")
    assert group.label_span is not None and text[slice(*group.label_span)] == "Kenya"
    assert _ids(group.members) == [
        "national:ke:ministry-of-health",
        "national:ke:national-police-service",
        "national:ke:university-of-nairobi",
    ]
    assert [m.type for m in group.members] == ["government", "government", "academic"]
    assert [f.code for f in findings] == ["organizers-missing"]


def test_an_unknown_name_is_unresolved_and_its_finding_points_at_it() -> None:
    text, layout = header(("organizers", "Organizers", "Zorblax Peace Institute (ZPI)"))
    roles, findings = extract_roles(RULES, layout, [], refs(text))
    [ref] = roles.organizers
    assert ref.id is None and ref.match.method == "unresolved" and ref.acronym == "ZPI"
    assert text[slice(*ref.span)] == "Zorblax Peace Institute (ZPI)"
    [doubt] = findings
    assert doubt.code == "org-unresolved" and doubt.span == ref.span
    assert dict(doubt.fields)["name"] == "Zorblax Peace Institute"


def test_a_ministry_stands_for_its_state_as_organizer_or_host_but_not_as_participant() -> None:
    text, layout = header(
        ("organizers", "Organizers", "Ministry of Foreign Affairs of the Republic of Korea, UNODA"),
        ("hosts", "Hosted by", "Ministry of External Affairs of India"),
        ("participants", "Participants", "Ministry of Defence of Kenya"),
    )
    found = hits(text, ("Republic of Korea", "country", "KR"), ("UNODA", "org", "unoda"),
                 ("India", "country", "IN"), ("Kenya", "country", "KE"))  # fmt: skip
    roles, _ = extract_roles(RULES, layout, found, refs(text))
    assert _ids(roles.organizers) == ["country:KR", "unoda"]
    assert _ids(roles.hosts) == ["country:IN"]
    assert [m.id for g in roles.participants for m in g.members] == [
        "national:ke:ministry-of-defence-of-kenya"
    ]


def test_co_hosts_organize_and_the_venue_state_also_hosts() -> None:
    text, layout = header(("cohosts", "Co-hosted by", "Government of Barbados, UNODA"))
    found = hits(text, ("Barbados", "country", "BB"), ("UNODA", "org", "unoda"))
    roles, _ = extract_roles(RULES, layout, found, refs(text), venue_country="BB")
    assert _ids(roles.organizers) == ["country:BB", "unoda"]
    assert _ids(roles.hosts) == ["country:BB"]
    elsewhere, _ = extract_roles(RULES, layout, found, refs(text), venue_country="JM")
    assert _ids(elsewhere.hosts) == []


def test_a_country_after_an_embassy_is_a_place_not_a_party() -> None:
    text, layout = header(("observers", "Observer", "Advisor (United States Embassy, Panama)"))
    found = hits(text, ("United States", "country", "US"), ("Panama", "country", "PA"))
    roles, _ = extract_roles(RULES, layout, found, refs(text))
    assert _ids(roles.observers) == ["country:US"]


def test_a_party_named_twice_is_listed_once() -> None:
    text, layout = header(
        ("organizers", "Organizers", "UNODA and the United Nations Office for Disarmament Affairs")
    )
    found = hits(
        text, ("UNODA", "org", "unoda"), ("United Nations Office for Disarmament Affairs", "org", "unoda")
    )
    roles, _ = extract_roles(RULES, layout, found, refs(text))
    assert _ids(roles.organizers) == ["unoda"]


def test_roles_a_header_leaves_empty_are_read_from_the_event_sentences() -> None:
    sentence = "The workshop was organized by UNODA and hosted by the Government of Kenya in Nairobi."
    text, layout = header(("title", "Event", "A workshop"), body=sentence)
    at = text.index(sentence)
    context = EventContext(sentence=CleanSpan(at, at + len(sentence)), venue=None, venue_country="KE")
    found = hits(text, ("UNODA", "org", "unoda"), ("Kenya", "country", "KE"))
    roles, findings = extract_roles(RULES, layout, found, refs(text), context, "KE")
    assert _ids(roles.organizers) == ["unoda"] and _ids(roles.hosts) == ["country:KE"]
    [group] = roles.participants
    assert group.label is None and _ids(group.members) == ["unoda", "country:KE"]
    assert [(f.code, f.span) for f in findings] == [("organizers-from-text", (at, at + len(sentence)))]


def test_a_header_organizer_is_not_replaced_by_the_prose() -> None:
    sentence = "The workshop was organized by the OPCW in Nairobi."
    text, layout = header(("organizers", "Organizers", "UNODA"), body=sentence)
    at = text.index(sentence)
    context = EventContext(sentence=CleanSpan(at, at + len(sentence)), venue=None)
    found = hits(text, ("UNODA", "org", "unoda"), ("OPCW", "org", "opcw"))
    roles, findings = extract_roles(RULES, layout, found, refs(text), context)
    assert _ids(roles.organizers) == ["unoda"]
    assert findings == []


def test_no_organizer_at_all_is_a_finding() -> None:
    text, layout = header(("title", "Event", "A meeting"))
    roles, findings = extract_roles(RULES, layout, [], refs(text))
    assert roles.organizers == [] and [f.code for f in findings] == ["organizers-missing"]


def test_a_ministry_in_parentheses_after_its_state_is_no_party_when_the_state_pays() -> None:
    text, layout = header(
        ("sponsors", "Sponsor", "Germany (Federal Foreign Office)"),
        ("participants", "Participants", "Germany (Federal Foreign Office)"),
    )
    found = hits(text, ("Germany", "country", "DE"), ("Federal Foreign Office", "org", "de-ffo"))
    roles, _ = extract_roles(RULES, layout, found, refs(text))
    assert _ids(roles.sponsors) == ["country:DE"]
    assert [m.id for g in roles.participants for m in g.members] == ["de-ffo"]


def test_a_name_wrapped_over_lines_and_an_acronym_after_a_hit_are_one_party_each() -> None:
    value = (
        "OSCE Conflict Prevention Centre (CPC) and the Ministry of International Relations and\n\nCooperation"
    )
    text, layout = header(("organizers", "Organizers", value))
    found = hits(text, ("OSCE Conflict Prevention Centre", "org", "osce-cpc"))
    roles, findings = extract_roles(RULES, layout, found, refs(text))
    assert [r.text for r in roles.organizers] == [
        "OSCE Conflict Prevention Centre",
        "Ministry of International Relations and\n\nCooperation",
    ]
    # a ministry with no State named and no venue: said so, with no other State's ministry as nearest
    assert [f.code for f in findings] == ["national-body-stateless"]


def test_a_header_note_without_participants_takes_those_its_body_says_took_part() -> None:
    body = (
        "1. Background\n\nColombia presented its national plan in 2014.\n\n"
        "2. Proceedings\n\nExperts from the IAEA presented the guidance. Kenya took part in the course held "
        "on 3 March 2016."
    )
    days = (date(2017, 5, 4), date(2017, 5, 5))
    names = (("Colombia", "country", "CO"), ("IAEA", "org", "iaea"), ("Kenya", "country", "KE"))
    text, layout = header(("title", "Event", "A workshop"), body=body)
    layout = Layout(layout.fields, layout.header_end, _sections(text), ())
    roles, findings = extract_roles(RULES, layout, hits(text, *names), refs(text), days=days)
    # not Colombia (a background section) nor Kenya (another event's date)
    assert [(g.found_in, _ids(g.members)) for g in roles.participants] == [("text", ["iaea"])]
    assert [f.code for f in findings] == ["organizers-missing"]
    listed, layout = header(
        ("title", "Event", "A workshop"), ("participants", "Participants", "Uganda"), body=body
    )
    layout = Layout(layout.fields, layout.header_end, _sections(listed), ())
    found = hits(listed, *names, ("Uganda", "country", "UG"))
    roles, _ = extract_roles(RULES, layout, found, refs(listed), days=days)
    assert [(g.found_in, _ids(g.members)) for g in roles.participants] == [("header", ["country:UG"])]


def _sections(text: str) -> tuple[SectionPart, ...]:
    """The two numbered sections of the body, bounds counted here."""
    first, second = text.index("1. Background"), text.index("2. Proceedings")
    return (
        SectionPart("1", "Background", first, second, ()),
        SectionPart("2", "Proceedings", second, len(text), ()),
    )
