"""The parts of a header venue value accounted for: words around the place names, and a country written
without a comma.

Contract: the event stage cuts a venue value into comma-separated parts (clean-text spans); these
functions refine them and say what no reading accounts for, from the text alone:

* :func:`lead_words`: a pattern for the words a part may open with that name no place: the place words
  of ``data/prose.jsonl`` ("in", "at", "à") and the range openers and filler words of
  ``data/date_words.jsonl`` left when the date is taken out ("From 14 to 16 May 2019 in Lima": "From",
  "in Lima");
* :func:`split_country_tail`: a part that ends in a country name joined by a space, a dash or a slash
  ("Lima-Peru", "Lima/Peru", "Dakar Senegal") is two parts, city and country, when no part is a country;
* :func:`unaccounted`: the text of a city part that itself names a country ("Peru and Quito" in
  "Lima, Peru and Quito, Ecuador"): the value names more than the venue read, and the record says so.

Nothing here reads dates or raises because of the text.
"""

from __future__ import annotations

import re

from note_extract.core.spans import CleanSpan
from note_extract.event.dates import date_words
from note_extract.event.prose import prose_rules
from note_extract.lexicon.countries import CountryIndex
from note_extract.lexicon.entities import Hit
from note_extract.rules.bundle import Rules, derived

_JOIN = re.compile(r"[ \t]*[-/\u2013\u2014]?[ \t]*\(?")


@derived
def lead_words(rules: Rules) -> re.Pattern[str]:
    """Words that open a venue part without naming a place, with the space after them."""
    words = {w.lower() for w in prose_rules(rules).words["place"] if " " not in w and w[-1].isalpha()}
    for row in date_words(rules).values():
        words |= {w.lower() for w in row.range_openers if w[0].isalpha() and " " not in w}
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:(?:{alternation})(?:[ \t]+|$))+", re.IGNORECASE)


def split_country_tail(
    text: str, parts: list[CleanSpan], hits: list[Hit], countries: CountryIndex
) -> list[CleanSpan]:
    """``parts`` with a part that ends in a country name written without a comma cut in two (see the
    module docstring); unchanged when some part is a country already."""
    if any(countries.lookup(text[a:b]) is not None for a, b in parts):
        return parts
    out: list[CleanSpan] = []
    for part in parts:
        a, b = part
        tail = next(
            (
                h
                for h in hits
                if h.kind == "country" and a < h.start and b - 1 <= h.end <= b + 1 and not h.acronym
            ),
            None,
        )
        if tail is None:
            out.append(part)
            continue
        cut = tail.start
        while cut > a and text[cut - 1] in " \t-/\u2013\u2014(":
            cut -= 1
        if cut == a or _JOIN.fullmatch(text, cut, tail.start) is None:
            out.append(part)
            continue
        out += [CleanSpan(a, cut), CleanSpan(tail.start, min(b, tail.end))]
    return out


def unaccounted(text: str, city: CleanSpan | None, hits: list[Hit], in_gazetteer: bool) -> str | None:
    """The city part's text when it names a country besides being a city the gazetteer knows."""
    if city is None or in_gazetteer:
        return None
    a, b = city
    inside = [h for h in hits if h.kind == "country" and a <= h.start and h.end <= b and h.span != city]
    return " ".join(text[a:b].split()) if inside else None
