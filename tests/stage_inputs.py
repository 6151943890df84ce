"""Hand-built inputs for the stages: clean text with its layout and its entity hits, made here without
normalizing, laying out or matching anything, so a stage test fails only for the stage it tests."""

from __future__ import annotations

import re
from functools import cache

from note_extract.layout.layout import HeaderField, Layout
from note_extract.lexicon.countries import CountryIndex, country_index
from note_extract.lexicon.entities import Hit, HitKind
from note_extract.lexicon.registry import Registry, rules_registry
from note_extract.lexicon.resolve import Resolver
from note_extract.parties.refs import RefBuilder
from note_extract.rules.bundle import Rules, shipped_rules
from note_extract.rules.rows import FieldName

RULES: Rules = shipped_rules()
"""The shipped rules, which every stage takes first."""

Line = tuple[FieldName, str, str]
"""One header line: the field, its label as written, and its value."""


def header(*lines: Line, body: str = "") -> tuple[str, Layout]:
    """The clean text of ``Label: value`` lines followed by ``body``, and its layout: every field's
    offsets are counted here, and the header ends where the body starts."""
    text = ""
    fields = []
    for field, label, value in lines:
        start = len(text)
        text += f"{label}: "
        fields.append(HeaderField(field, label, start, len(text), len(text) + len(value)))
        text += value + "\n"
    header_end = len(text)
    if body:
        text += "\n" + body
    return text, Layout(tuple(fields), header_end, (), ())


def hits(text: str, *names: tuple[str, HitKind, str]) -> list[Hit]:
    """A hit at every whole-word occurrence of each (written name, kind, registry id or country code)."""
    found = [
        Hit(m.start(), m.end(), kind, key, written.isupper())
        for written, kind, key in names
        for m in re.finditer(rf"(?<!\w){re.escape(written)}(?!\w)", text)
    ]
    return sorted(found, key=lambda h: (h.start, h.end))


@cache
def _tables() -> tuple[Registry, CountryIndex, Resolver]:
    registry = rules_registry(RULES)
    return registry, country_index(RULES), Resolver(registry, 90.0, 3.0)


def countries() -> CountryIndex:
    """The shipped country table."""
    return _tables()[1]


def refs(text: str) -> RefBuilder:
    """References over ``text`` with the shipped registry and default fuzzy thresholds."""
    registry, index, resolver = _tables()
    return RefBuilder(RULES, text, registry, index, resolver)
