"""Label cells are read by their shape wherever they stand (layout/shapes.py): table cells, field lists,
front matter keys, speaker-prefixed chat lines; a stray label in prose is left alone."""

from __future__ import annotations

from note_extract.layout.layout import split_layout
from note_extract.layout.shapes import read_label_cells
from note_extract.layout.tables import rebuild_tables
from note_extract.read.normalize import Normalized, normalize
from note_extract.rules.bundle import shipped_rules

RULES = shipped_rules()


def _read(raw: str) -> Normalized:
    return read_label_cells(RULES, rebuild_tables(RULES, normalize(RULES, raw)))


def fields(raw: str) -> dict[str, str]:
    note = _read(raw)
    return {
        f.field: " ".join(note.text[f.value_start : f.value_end].split())
        for f in split_layout(RULES, note).fields
    }


def assert_kept(raw: str) -> None:
    """Every character of the rewritten text that is not glue maps to the same raw character."""
    note = _read(raw)
    for index, char in enumerate(note.text):
        start, end = note.clean.starts[index], note.clean.ends[index]
        if end - start == 1 and char.isalnum():
            assert note.raw[start] == char, (index, char, note.raw[start])


WIKI = """{| class="wikitable"
|-
! scope="row" style="width:20%" | Manifestation
| Séminaire sous-régional sur les contrôles
aux frontières
|-
! scope="row" | Organisé par
| Bureau des affaires de désarmement
|-
! scope="row" | Date et lieu
| 3-5 mars 2021, Dakar, Sénégal
|}

1. Contexte
"""


def test_wiki_table_label_above_value() -> None:
    got = fields(WIKI)
    assert got["title"] == "Séminaire sous-régional sur les contrôles aux frontières"
    assert got["organizers"] == "Bureau des affaires de désarmement"
    assert got["date_venue"] == "3-5 mars 2021, Dakar, Sénégal"
    assert_kept(WIKI)


CONFLUENCE = """||Evento|Curso regional sobre control de exportaciones|
||Organizado por|Oficina de Asuntos de Desarme|
||Fecha y lugar|[[Lima]], 2-4 de junio de 2020|
"""


def test_pipe_cells_on_one_line_and_links() -> None:
    got = fields(CONFLUENCE)
    assert got["title"] == "Curso regional sobre control de exportaciones"
    assert got["organizers"] == "Oficina de Asuntos de Desarme"
    assert got["date_venue"] == "Lima, 2-4 de junio de 2020"


ASCIIDOC = """|===
|Event
|Workshop on border controls

|Organizers
|Office for Disarmament Affairs

|Date and venue
|9 May 2022, Accra, Ghana
|===
"""


def test_pipe_cells_label_and_value_on_separate_lines() -> None:
    got = fields(ASCIIDOC)
    assert got["title"] == "Workshop on border controls"
    assert got["date_venue"] == "9 May 2022, Accra, Ghana"


LATEX = r"""\begin{tabular}{|l|p{10cm}|}
\hline
\textbf{Event} & Workshop on the national action plan \\ \hline
\textbf{Organizers} & Office for Disarmament Affairs & 0.97 \\ \hline
\textbf{Date and venue} & 9 May 2022,
   Accra, Ghana \\ \hline
\end{tabular}
"""


def test_latex_tabular_rows_and_score_cells() -> None:
    got = fields(LATEX)
    assert got["title"] == "Workshop on the national action plan"
    assert got["organizers"] == "Office for Disarmament Affairs"
    assert got["date_venue"] == "9 May 2022, Accra, Ghana"


FIELD_LIST = """:Evento: Taller nacional sobre la aplicación de
   la resolución 1540 (2004)
:Organizadores:
   Oficina de Asuntos de Desarme
:Fecha y lugar: 1 de julio de 2019, Quito, Ecuador
"""


def test_field_list_with_indented_continuation() -> None:
    got = fields(FIELD_LIST)
    assert got["title"] == "Taller nacional sobre la aplicación de la resolución 1540 (2004)"
    assert got["organizers"] == "Oficina de Asuntos de Desarme"


TOML = """+++
event_title = "Regional workshop on export controls"
organized_by = ["Office for Disarmament Affairs", "African Union"]
fundedBy = 'European Union'
date_and_venue = "1-3 June 2021, Nairobi, Kenya"
+++

Some text of the note.
"""


def test_front_matter_keys_lists_and_quotes() -> None:
    got = fields(TOML)
    assert got["title"] == "Regional workshop on export controls"
    assert got["organizers"] == "Office for Disarmament Affairs; African Union"
    assert got["sponsors"] == "European Union"
    assert got["date_venue"] == "1-3 June 2021, Nairobi, Kenya"
    assert_kept(TOML)


YAML = """---
titre: Atelier sur les rapports nationaux
organisateurs:
  - Bureau des affaires de désarmement
  - Union africaine
date_et_lieu: 4 mai 2018, Lomé, Togo
---
"""


def test_yaml_snake_case_keys_and_item_lists() -> None:
    got = fields(YAML)
    assert got["title"] == "Atelier sur les rapports nationaux"
    assert got["date_venue"] == "4 mai 2018, Lomé, Togo"


CHAT = """[09:12] Ana Ruiz: Evento: Taller sobre controles fronterizos
[09:13] desk: Organizado por: Oficina de Asuntos de Desarme
[09:13] Ana Ruiz: Fecha y lugar: 2 de mayo de 2019, Lima, Perú
[09:14] desk: thanks, posting the rest later

1. Antecedentes
El taller reunió a funcionarios de aduanas.
Siguió una visita al puerto.
"""


def test_speaker_prefixes_before_label_lines() -> None:
    got = fields(CHAT)
    assert got["title"] == "Taller sobre controles fronterizos"
    assert got["organizers"] == "Oficina de Asuntos de Desarme"
    assert got["date_venue"] == "2 de mayo de 2019, Lima, Perú"


def test_one_stray_label_cell_in_prose_is_no_header() -> None:
    prose = "The meeting was long.\n| Event | a list of talks |\nIt ended well.\n"
    assert read_label_cells(RULES, normalize(RULES, prose)).text == normalize(RULES, prose).text


def test_plain_labelled_lines_are_left_as_written() -> None:
    plain = "Event: Workshop on controls\nOrganizers: UNODA\nDate: 1 May 2019\n"
    note = normalize(RULES, plain)
    assert read_label_cells(RULES, note) is note


def test_label_in_two_languages() -> None:
    raw = "| Evento | Taller |\n| Fecha y lugar / Date and venue | 3 y 4 de abril de 2019, Tegucigalpa |\n"
    assert fields(raw)["date_venue"] == "3 y 4 de abril de 2019, Tegucigalpa"
