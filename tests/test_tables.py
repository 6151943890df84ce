"""Table-like header blocks are rebuilt as labelled lines, every kept character mapped to its raw twin."""

from __future__ import annotations

from note_extract.core.spans import CleanSpan
from note_extract.layout.layout import split_layout
from note_extract.layout.tables import rebuild_tables
from note_extract.read.normalize import Normalized, normalize
from note_extract.rules.bundle import shipped_rules

RULES = shipped_rules()


def rebuilt(raw: str) -> Normalized:
    return rebuild_tables(RULES, normalize(RULES, raw))


def fields(raw: str) -> dict[str, str]:
    note = rebuilt(raw)
    return {
        f.field: " ".join(note.text[f.value_start : f.value_end].split())
        for f in split_layout(RULES, note).fields
    }


def assert_mapped(note: Normalized) -> None:
    """Every character that is not glue maps to the same character of the raw text."""
    for index, char in enumerate(note.text):
        start, end = note.clean.starts[index], note.clean.ends[index]
        if end - start == 1 and not char.isspace() and char not in ":":
            assert note.raw[start] == char, (index, char, note.raw[start])


GRID = """+-------------+-----------------------------+
| Event:      | Regional Training Course on |
|             | Resolution 1540 (2004)      |
+=============+=============================+
| Organizers: | United Nations Office for   |
|             | Disarmament Affairs, Com-   |
|             | mittee experts              |
+-------------+-----------------------------+
| With the    | European Union              |
| financial   |                             |
| support of: |                             |
+-------------+-----------------------------+

1. Background

Text.
"""


def test_grid_table_cells_wrapped_over_rows_become_one_value_each() -> None:
    assert fields(GRID) == {
        "title": "Regional Training Course on Resolution 1540 (2004)",
        "organizers": "United Nations Office for Disarmament Affairs, Committee experts",
        "sponsors": "European Union",
    }
    assert_mapped(rebuilt(GRID))


def test_boxed_table_drawn_with_box_characters() -> None:
    raw = (
        "┌──────────┬──────────────────────┐\n"
        "│ Title    │ Subregional Workshop │\n"
        "│          │ on Trade Controls    │\n"
        "├──────────┼──────────────────────┤\n"
        "│ Location │ Bangkok, Thailand    │\n"
        "└──────────┴──────────────────────┘\n\n1. Background\n\nText.\n"
    )
    assert fields(raw) == {"title": "Subregional Workshop on Trade Controls", "venue": "Bangkok, Thailand"}


def test_pipe_table_row_with_an_empty_first_cell_continues_the_row_above() -> None:
    raw = (
        "| Event: | National Round-Table on the |\n| | Implementation of Resolution 1540 |\n"
        "| Date: | 9 May 2016 |\n"
    )
    assert fields(raw) == {
        "title": "National Round-Table on the Implementation of Resolution 1540",
        "date": "9 May 2016",
    }


def test_html_cell_broken_by_a_line_break_stays_one_cell() -> None:
    raw = "<table><tr><td>Event</td><td>Workshop for<br>Customs Officials</td></tr></table>"
    assert fields(raw) == {"title": "Workshop for Customs Officials"}


def test_two_columns_with_a_wrapped_label_and_a_hyphenated_name() -> None:
    raw = (
        "Event:              Regional Workshop on Biosecurity\n"
        "                    for States of Eastern Africa\n"
        "With the financial  European Union and the 1540 Com-\n"
        "support of:         mittee\n"
        "Participants:       Kenya, Uganda\n\n1. Background\n\nText.\n"
    )
    assert fields(raw) == {
        "title": "Regional Workshop on Biosecurity for States of Eastern Africa",
        "sponsors": "European Union and the 1540 Committee",
        "participants": "Kenya, Uganda",
    }
    assert_mapped(rebuilt(raw))


def test_tab_separated_labels_and_values() -> None:
    raw = "Title\tA Workshop\nStart date\t2021-11-16\nHost country\tJamaica\n\n1. Background\n\nText.\n"
    assert fields(raw) == {"title": "A Workshop", "start_date": "2021-11-16", "hosts": "Jamaica"}


def test_column_by_column_dump_pairs_labels_with_values_in_order() -> None:
    raw = (
        "Event:\nDate:\nVenue:\n\nA Workshop\n24-25 September 2015\nTbilisi, Georgia"
        "\n\n1. Background\n\nText.\n"
    )
    assert fields(raw) == {"title": "A Workshop", "date": "24-25 September 2015", "venue": "Tbilisi, Georgia"}


def test_dump_with_a_different_number_of_values_is_left_alone() -> None:
    raw = "Event:\nDate:\nVenue:\n\nA Workshop\n24-25 September 2015\n\nText.\n"
    note = rebuilt(raw)
    assert note.text == normalize(RULES, raw).text


def test_a_table_without_header_labels_is_left_as_written() -> None:
    raw = "Some text.\n\n| Country | Reports |\n|---|---|\n| Peru | 3 |\n| Chile | 2 |\n"
    assert rebuilt(raw).text == normalize(RULES, raw).text


def test_rebuilt_spans_map_back_to_the_raw_cell_text() -> None:
    note = rebuilt(GRID)
    at = note.text.index("European Union")
    start, end = note.clean.to_raw(CleanSpan(at, at + len("European Union")))
    assert note.raw[start:end] == "European Union"


def test_dump_whose_values_wrap_pairs_labels_with_paragraphs() -> None:
    raw = (
        "Event:\n\nDate:\n\nVenue:\n\nNational Workshop on Resolution 1540 (2004) in\nMongolia\n\n"
        "12-13 May 2019\n\nUlaanbaatar, Mongolia\n\n1. Background\n\nText.\n"
    )
    assert fields(raw) == {
        "title": "National Workshop on Resolution 1540 (2004) in Mongolia",
        "date": "12-13 May 2019",
        "venue": "Ulaanbaatar, Mongolia",
    }


def test_grid_rows_not_parted_by_rules_still_part_at_each_label() -> None:
    raw = (
        "+---------+----------------------+\n"
        "| Title   | Regional Workshop on |\n"
        "|         | Resolution 1540      |\n"
        "+---------+----------------------+\n"
        "| Date(s) | 16 April 2018        |\n"
        "| Venue   | Jakarta, Indonesia   |\n"
        "+---------+----------------------+\n\n1. Background\n\nText.\n"
    )
    assert fields(raw) == {
        "title": "Regional Workshop on Resolution 1540",
        "date": "16 April 2018",
        "venue": "Jakarta, Indonesia",
    }


def test_label_and_value_parted_by_a_bar_without_table_borders() -> None:
    raw = "Event | A Workshop\nVenue | Lima, Peru\n\n1. Background\n\nText.\n"
    assert fields(raw) == {"title": "A Workshop", "venue": "Lima, Peru"}


def test_html_cells_holding_paragraphs_and_rows_written_over_several_lines() -> None:
    raw = (
        "<table>\n<tr>\n<td><p><b>Event:</b></p></td>\n"
        "<td><p>Regional Workshop</p><p>for West Africa</p></td>\n"
        "</tr>\n<tr><td><p>Co-organized by:</p></td><td><p>UNREC and ECOWAS</p></td></tr>\n</table>\n"
        "<h2>1. Background</h2><p>Text.</p>"
    )
    assert fields(raw) == {"title": "Regional Workshop for West Africa", "organizers": "UNREC and ECOWAS"}
    assert_mapped(rebuilt(raw))


def test_a_table_laid_out_across_pairs_each_label_with_its_column() -> None:
    raw = (
        "| Event | Date | Venue |\n|---|---|---|\n| Regional Workshop | 3-4 June 2019 | Lima, Peru |\n\n"
        "1. Background\n\nText.\n"
    )
    assert fields(raw) == {"title": "Regional Workshop", "date": "3-4 June 2019", "venue": "Lima, Peru"}


def test_pandoc_simple_table_between_rule_lines() -> None:
    raw = (
        "  ---------------------------------------------------------------\n"
        "  Event:            Regional Workshop on Resolution 1540\n"
        "                    (2004) for Central Asia\n"
        "  Date and venue:   5-6 May 2016, Almaty, Kazakhstan\n"
        "  Organizers:       OSCE, UNODA\n"
        "  ---------------------------------------------------------------\n\n1. Background\n\nText.\n"
    )
    assert fields(raw) == {
        "title": "Regional Workshop on Resolution 1540 (2004) for Central Asia",
        "date_venue": "5-6 May 2016, Almaty, Kazakhstan",
        "organizers": "OSCE, UNODA",
    }


def test_columns_go_on_across_blank_lines_and_a_label_wrapped_at_the_top_of_a_row() -> None:
    raw = (
        "Event:                 Regional Seminar on National\n"
        "                       Action Plans\n"
        "\n"
        "Hosted by:             Government of Montenegro\n"
        "\n"
        "Date and               9 - 11 October 2019\n"
        "venue:                 Hotel Ramada, Podgorica, Montenegro\n"
        "\n"
        "1. Background\n"
    )
    note = rebuilt(raw)
    assert "Hosted by: Government of Montenegro" in note.text
    assert "Date and venue: 9 - 11 October 2019 Hotel Ramada, Podgorica, Montenegro" in note.text
