"""MappedText keeps every clean character tied to the raw text it came from."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from note_extract.core.spans import CleanSpan
from note_extract.read.mapped import MappedText


def test_identity_maps_each_character_to_itself() -> None:
    text = MappedText.identity("abc")
    assert text.to_raw(CleanSpan(0, 3)) == (0, 3)
    assert text.to_raw(CleanSpan(1, 2)) == (1, 2)


def test_deleting_markup_keeps_the_words_exact() -> None:
    raw = "a <i>Panama</i> b"
    text = MappedText.identity(raw).edit(re.compile(r"</?i>"), lambda m: "")
    assert text.text == "a Panama b"
    start = text.text.index("Panama")
    a, b = text.to_raw(CleanSpan(start, start + len("Panama")))
    assert raw[a:b] == "Panama"


def test_a_replacement_maps_to_the_whole_replaced_text() -> None:
    raw = "x &amp; y"
    text = MappedText.identity(raw).edit(re.compile(r"&amp;"), lambda m: "&")
    assert text.text == "x & y"
    assert text.to_raw(CleanSpan(2, 3)) == (2, 7)


def test_keeping_a_group_maps_its_characters_one_to_one() -> None:
    raw = "see [mail](mailto:a@b.org) now"
    text = MappedText.identity(raw).edit(re.compile(r"\[([^\]]+)\]\(([^)]+)\)"), lambda m: 1)
    assert text.text == "see mail now"
    assert raw[slice(*text.to_raw(CleanSpan(4, 8)))] == "mail"


def test_empty_span_maps_to_a_point() -> None:
    text = MappedText.identity("abc")
    assert text.to_raw(CleanSpan(1, 1)) == (1, 1)
    assert text.to_raw(CleanSpan(3, 3)) == (3, 3)


def test_delete_spans_with_glue() -> None:
    raw = "mass\n\nFOOTNOTE\n\ndestruction"
    text = MappedText.identity(raw).delete_spans([(4, 16)], lambda a, b: " ")
    assert text.text == "mass destruction"
    assert raw[slice(*text.to_raw(CleanSpan(5, 16)))] == "destruction"


@given(
    st.text(max_size=200), st.sampled_from([r"<[^>]*>", r"\s+", r"[aeiou]", r"&\w+;"]), st.text(max_size=3)
)
def test_any_edit_keeps_spans_inside_the_raw_text(raw: str, pattern: str, replacement: str) -> None:
    text = MappedText.identity(raw).edit(re.compile(pattern), lambda m: replacement)
    for i in range(len(text.text)):
        a, b = text.to_raw(CleanSpan(i, i + 1))
        assert 0 <= a < b <= len(raw)
    assert len(text.starts) == len(text.ends) == len(text.text)
