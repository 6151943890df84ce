"""Normalization cleans converter debris and sets furniture apart, never losing offsets."""

from __future__ import annotations

from note_extract.core.spans import CleanSpan
from note_extract.read.normalize import normalize
from note_extract.rules.bundle import shipped_rules

RULES = shipped_rules()


def test_html_tags_and_entity_debris_are_removed() -> None:
    raw = (
        "Note<sup>1</sup>\n\n"
        "<sup>&</sup>lt;sup>1</sup> For information \u2013 not an official report. The views.\n"
    )
    note = normalize(RULES, raw)
    assert "sup" not in note.text
    kinds = [f.kind for f in note.furniture]
    assert "footnote_marker" in kinds and "disclaimer" in kinds


def test_footnote_dropped_mid_sentence_is_removed_and_the_sentence_rejoined() -> None:
    raw = (
        "the proliferation of weapons of mass\n\n"
        "¹ For information \u2013 not an official report. The views expressed here do not represent.\n\n"
        "destruction as well as other measures"
    )
    note = normalize(RULES, raw)
    assert "weapons of mass destruction as well" in note.text
    disclaimer = next(f for f in note.furniture if f.kind == "disclaimer")
    assert raw[disclaimer.span.start : disclaimer.span.end].startswith("¹ For information")


def test_footnote_between_paragraphs_keeps_the_paragraph_break() -> None:
    raw = "End of a sentence.\n\n¹ For information - not an official report.\n\nNext paragraph."
    assert normalize(RULES, raw).text == "End of a sentence.\n\nNext paragraph."


def test_markdown_emphasis_links_and_escapes() -> None:
    note = normalize(RULES, "**Organizers**: *UN* at [1540experts@un.org](mailto:1540experts@un.org) \\- x")
    assert note.text == "Organizers: UN at 1540experts@un.org - x"


def test_unicode_spaces_dashes_quotes_and_crlf() -> None:
    raw = "20\u00a0\u2013\u00a021 February\r\n\u201cQuoted\u201d\u200b text\u2019s"
    note = normalize(RULES, raw)
    assert note.text == '20 - 21 February\n"Quoted" text\'s'
    start = note.text.index("February")
    a, b = note.clean.to_raw(CleanSpan(start, start + len("February")))
    assert raw[a:b] == "February"


def test_mojibake_is_repaired() -> None:
    note = normalize(RULES, "9 \u00e2\u20ac\u201c 11 November")
    assert note.text == "9 - 11 November"


def test_words_hyphenated_across_lines_are_joined() -> None:
    assert normalize(RULES, "non-prolif-\neration and x").text == "non-proliferation and x"


def test_page_numbers_and_page_breaks_become_furniture() -> None:
    raw = "First page text\n\n2\n\n---\n\nsecond page"
    note = normalize(RULES, raw)
    assert [f.kind for f in note.furniture] == ["page_number", "page_break"]
    assert note.text == "First page text second page"


def test_every_furniture_span_covers_what_was_set_apart() -> None:
    raw = (
        "## **Information Note**<sup>1</sup>\n\nText\n\n"
        "<sup>1</sup> For information - not an official report."
    )
    note = normalize(RULES, raw)
    assert [(f.kind, raw[f.span.start : f.span.end]) for f in note.furniture] == [
        ("document_title", "## **Information Note"),
        ("footnote_marker", "<sup>1</sup>"),
        ("footnote_marker", "<sup>1</sup>"),
        ("disclaimer", " For information - not an official report."),
    ]
