"""The layout stage finds header fields in every written form, and the sections."""

from __future__ import annotations

from note_extract.layout.layout import split_layout
from note_extract.read.normalize import normalize
from note_extract.rules.bundle import shipped_rules

RULES = shipped_rules()


def fields(raw: str) -> dict[str, str]:
    note = normalize(RULES, raw)
    layout = split_layout(RULES, note)
    return {f.field: " ".join(note.text[f.value_start : f.value_end].split()) for f in layout.fields}


def test_markdown_table_header() -> None:
    raw = (
        "| Event: | A workshop |\n|---|---|\n| Organizers: | UNODA |\n"
        "| Date and Venue: | 9 -11 November 2010, Lima, Peru |\n\n1. Objectives\n\nText."
    )
    assert fields(raw) == {
        "title": "A workshop",
        "organizers": "UNODA",
        "date_venue": "9 -11 November 2010, Lima, Peru",
    }


def test_bold_labels_with_colon_inside_or_outside() -> None:
    raw = "**Event:** A meeting\n\n**Organizers**: OAS\n\n### **Background**\n\nText."
    assert fields(raw) == {"title": "A meeting", "organizers": "OAS"}


def test_values_wrapped_over_several_lines() -> None:
    raw = (
        'Event: "National Action Plan Workshop on Strengthening the Implementation of\n\n'
        'United Nations Security Council Resolution 1540 (2004)"\n\n'
        "Organizers: Guyana, United Nations Regional Centre for Peace, Disarmament and\n\n"
        "Development in Latin America and the Caribbean (UNLIREC)\n\n"
        "Venue and Date: Georgetown, Guyana, 4 October 2017\n\n1. Background\n\nText."
    )
    found = fields(raw)
    assert found["title"].endswith('Resolution 1540 (2004)"')
    assert found["organizers"].endswith("(UNLIREC)")
    assert found["date_venue"] == "Georgetown, Guyana, 4 October 2017"


def test_label_alone_on_its_line() -> None:
    raw = "Event:\nA seminar on export control\n\nOrganised by:\nCARICOM\n\n1. Background\n\nText."
    assert fields(raw) == {"title": "A seminar on export control", "organizers": "CARICOM"}


def test_header_without_headings_stops_at_prose() -> None:
    raw = "Event: A visit.\n\nThe Committee visited the country. It met officials.\n"
    assert fields(raw) == {"title": "A visit."}


def test_participant_groups_stay_in_the_participants_field() -> None:
    raw = (
        "Participants: International organizations: IAEA, OPCW\n\n"
        "Regional organizations: OAS\n\n### Background\n\nText."
    )
    assert fields(raw)["participants"].endswith("Regional organizations: OAS")


def test_sections_numbered_hashed_and_bare_contact_set_apart() -> None:
    raw = (
        "Event: X\n\n## 1. Objectives\n\na) one;\n\n## 2. Background and overview\n\nText.\n\n"
        "### **Highlights**\n\nMore.\n\n3. Additional Comments\n\n"
        "For further information, please contact the 1540 Committee experts by e-mail at 1540experts@un.org."
    )
    note = normalize(RULES, raw)
    layout = split_layout(RULES, note)
    assert [(s.number, s.heading) for s in layout.sections] == [
        ("1", "Objectives"),
        ("2", "Background and overview"),
        (None, "Highlights"),
        ("3", "Additional Comments"),
    ]
    assert layout.sections[-1].paragraphs == ()
    assert len(layout.contacts) == 1


def test_a_long_numbered_sentence_is_not_a_heading() -> None:
    raw = (
        "Event: X\n\n1. Background\n\n"
        "2. The workshop took place in the capital and was attended by many officials.\n"
    )
    layout = split_layout(RULES, normalize(RULES, raw))
    assert [s.heading for s in layout.sections] == ["Background"]


def test_html_table_header_reads_like_a_markdown_table() -> None:
    raw = (
        "<table><tr><th>Event</th><td>Regional workshop on border controls</td></tr>"
        '<tr><td class="x"><b>Organizers</b></td><td>UNODC and WCO</td></tr>'
        "<tr><td>Date and venue</td><td>30 November to 2 December 2019, Almaty, Kazakhstan</td></tr></table>"
        "<p>1. Background</p><p>Text.</p>"
    )
    assert fields(raw) == {
        "title": "Regional workshop on border controls",
        "organizers": "UNODC and WCO",
        "date_venue": "30 November to 2 December 2019, Almaty, Kazakhstan",
    }


def test_a_value_ends_at_the_next_label_even_on_the_same_line() -> None:
    raw = (
        "Event: Regional Workshop for the Region 0rganizers: UNODA, LAS Funded by: European Union"
        "\n\n1. A\n\nB."
    )
    note = normalize(RULES, raw)
    found = [
        (f.field, f.label, note.text[f.value_start : f.value_end]) for f in split_layout(RULES, note).fields
    ]
    assert found == [
        ("title", "Event", "Regional Workshop for the Region"),
        ("organizers", "0rganizers", "UNODA, LAS"),
        ("sponsors", "Funded by", "European Union"),
    ]


def test_a_label_wrapped_over_two_lines_and_labels_in_capitals() -> None:
    raw = (
        "WHERE:\n    Manila, Philippines\nWith the financial\nsupport of: European Union"
        "\n\n1. Background\n\nText."
    )
    assert fields(raw) == {"venue": "Manila, Philippines", "sponsors": "European Union"}


def test_a_semicolon_read_for_a_colon_after_a_label_at_line_start() -> None:
    raw = "Event: A workshop\nOrganizers; UNLIREC\n\n1. Background\n\nText."
    assert fields(raw) == {"title": "A workshop", "organizers": "UNLIREC"}
