"""The venue of an event told in prose: "held in Kingston, Jamaica", "à Addis-Abeba", a dateline.

Contract: :func:`find_venue` looks through the sentences it is given, in order (the event sentence
first, then the others that speak of the event), for a place word of ``data/prose.jsonl`` ("in", "at",
"to", "à", "en", "visit", …) followed by a capitalized name that is a country (a phrase-matcher hit)
or a city of the gazetteer, and for "City, Country" written together ("26-27 June 2014, Rakitje,
Croatia"). The first city wins; its country is the one written right after it, else a country the same
sentence names as a place that has a city of that name, else the gazetteer's answer
(:meth:`~note_extract.lexicon.gazetteer.Gazetteer.country_for`, told which countries the text names), marked
``gazetteer``. A sentence that names only a country gives the country, and its city is the first city
of that country the text names anywhere as a place (after a place word, or in a dateline). A dateline city
(``NAIROBI, 15 September —``) is used only when no sentence names a place; with no place at all, the
one national government the event sentence names ("UNLIREC and the Peruvian Government held …") gives
the country, marked ``government``, and the city is looked for the same way. Every span is clean text;
nothing here raises because of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from note_extract.core.spans import CleanSpan
from note_extract.event.prose import prose_rules
from note_extract.event.vocab import city_run, demonym_government, government_of, place_article
from note_extract.lexicon.countries import CountryIndex
from note_extract.lexicon.entities import Hit
from note_extract.lexicon.gazetteer import Gazetteer, gazetteer
from note_extract.rules.bundle import Rules, derived

CountryMethod = Literal["written", "gazetteer", "government"]


@dataclass(frozen=True, slots=True)
class ProseVenue:
    """A venue found in prose: the city and country spans (clean text) and the country code."""

    city: CleanSpan | None
    country: CleanSpan | None
    country_code: str | None
    country_method: CountryMethod | None


_NAME_WORD = r"[A-ZÀ-Þ][\w'\u2019.-]*"
_DATELINE_CITY = re.compile(r"^[ \t]*([A-Z][A-Za-zÀ-ÿ .'-]{1,30}?),[ \t]*(?=\S)", re.MULTILINE)


@derived
def _place_word(rules: Rules) -> re.Pattern[str]:
    words = sorted(set(prose_rules(rules).words["place"]), key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w'\u2019])(?:{alternation})(?:[ \t\n]+|(?<=')|(?<=\u2019))", re.IGNORECASE)


@derived
def _not_place(rules: Rules) -> re.Pattern[str]:
    words = sorted(set(prose_rules(rules).words.get("not_place", ())), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Found:
    city: CleanSpan | None
    country: CleanSpan | None
    code: str | None
    method: CountryMethod | None


class _Reader:
    def __init__(self, rules: Rules, text: str, hits: list[Hit], countries: CountryIndex) -> None:
        self.rules = rules
        self.text = text
        self.country_hits = [h for h in hits if h.kind == "country"]
        self.org_hits = [h for h in hits if h.kind == "org"]
        self.countries = countries
        self.named = frozenset(h.key for h in self.country_hits)

    @property
    def gazetteer(self) -> Gazetteer:
        return gazetteer(self.rules)

    def _country_at(self, position: int) -> Hit | None:
        return next((h for h in self.country_hits if h.start == position), None)

    def _inside_org(self, position: int) -> bool:
        return any(h.start <= position < h.end for h in self.org_hits)

    def _city_at(self, position: int, end: int) -> CleanSpan | None:
        """The longest gazetteer name starting at ``position`` (up to four words)."""
        match = city_run(self.rules).match(self.text, position, end)
        if match is None or self._inside_org(position):
            return None
        words = list(re.finditer(r"\S+", match.group(0)))
        for count in range(len(words), 0, -1):
            b = position + words[count - 1].end()
            name = self.text[position:b].rstrip(".\u2019'")
            if (name.isupper() and len(name) <= 5) or _not_place(self.rules).search(name):
                continue
            if name in self.gazetteer and self.countries.lookup(name) is None:
                return CleanSpan(position, position + len(name))
        return None

    def _country_after(self, city: CleanSpan) -> Hit | None:
        after = re.match(r"[ \t]*(?:,|\()[ \t\n]*(?:the[ \t]+)?", self.text[city[1] : city[1] + 12])
        return self._country_at(city[1] + after.end()) if after else None

    def _resolve(self, city: CleanSpan, sentence: CleanSpan) -> _Found:
        written = self._country_after(city)
        if written is not None:
            return _Found(city, written.span, written.key, "written")
        name = self.text[city[0] : city[1]]
        in_sentence = {h.key for h in self.country_hits if sentence[0] <= h.start < sentence[1]}
        here = [p for p in self.gazetteer.places(name) if p.country in in_sentence]
        if len({p.country for p in here}) == 1:
            return _Found(city, None, here[0].country, "gazetteer")
        guess = self.gazetteer.country_for(name, self.named)
        return _Found(city, None, guess.country if guess else None, "gazetteer" if guess else None)

    def in_sentence(self, sentence: CleanSpan) -> _Found | None:
        a, b = sentence
        country: Hit | None = None
        for match in _place_word(self.rules).finditer(self.text, a, b):
            position = match.end()
            article = place_article(self.rules).match(self.text, position, b)
            named = self._city_at(position, b) if article is not None else None
            if named is not None:  # "en la ciudad de La Paz", "au Havre": the article is the city's
                return self._resolve(named, sentence)
            if article is not None:
                position = article.end()
            hit = self._country_at(position)
            if hit is not None:
                country = country or hit
                after = re.match(r"[ \t]*,[ \t\n]*", self.text[hit.end : hit.end + 6])
                city = self._city_at(hit.end + after.end(), b) if after else None
                if city is not None:  # "Kenya, Nairobi": the city follows its country
                    return _Found(city, hit.span, hit.key, "written")
                continue
            city = self._city_at(position, b)
            if city is not None:
                return self._resolve(city, sentence)
        for hit in self.country_hits:  # "26-27 June 2014, Rakitje, Croatia"
            if not a <= hit.start < b:
                continue
            window = max(a, hit.start - 40)
            before = re.search(
                rf"(?:^|[,\d][ \t]*|\n)({_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}),[ \t]*$",
                self.text[window : hit.start],
            )
            if before is not None:
                start, end = window + before.start(1), window + before.end(1)
                if not self._inside_org(start) and self.countries.lookup(before.group(1)) is None:
                    return _Found(CleanSpan(start, end), hit.span, hit.key, "written")
        if country is not None:
            return _Found(None, country.span, country.key, "written")
        return None

    def government(self, sentence: CleanSpan) -> tuple[CleanSpan, str] | None:
        """The one national government the event sentence names ("the Peruvian Government", "the
        Government of Kazakhstan"), when it names exactly one."""
        a, b = sentence
        found: dict[str, CleanSpan] = {}
        for match in demonym_government(self.rules).finditer(self.text, a, b):
            code = self.countries.demonym(match.group(1))
            if code is not None:
                found.setdefault(code, CleanSpan(*match.span()))
        for hit in self.country_hits:
            if a <= hit.start < b and government_of(self.rules).search(
                self.text[max(a, hit.start - 30) : hit.start]
            ):
                found.setdefault(hit.key, hit.span)
        if len(found) != 1:
            return None
        code, span = next(iter(found.items()))
        return span, code

    def city_of(self, code: str) -> CleanSpan | None:
        """The first city of country ``code`` the text names anywhere as a place ("gathered in Lusaka
        this week", a headline's "Opens in Port of Spain", a dateline's "PORT OF SPAIN,")."""
        found: list[CleanSpan] = []
        for match in _place_word(self.rules).finditer(self.text):
            position = match.end()
            article = place_article(self.rules).match(self.text, position)
            city = self._city_at(article.end() if article else position, len(self.text))
            if city is not None and self._in_country(city, code):
                found.append(city)
                break
        for match in _DATELINE_CITY.finditer(self.text):
            name = " ".join(match.group(1).split())
            span = CleanSpan(*match.span(1))
            if name in self.gazetteer and self._in_country(span, code):
                found.append(span)
                break
        return min(found) if found else None

    def _in_country(self, city: CleanSpan, code: str) -> bool:
        return any(p.country == code for p in self.gazetteer.places(self.text[city[0] : city[1]]))

    def dateline(self, sentences: tuple[CleanSpan, ...]) -> _Found | None:
        for sentence in sentences:
            match = _DATELINE_CITY.match(self.text, *sentence)
            if match is None:
                continue
            name = " ".join(match.group(1).split())
            if name.isupper():
                name = name.title()
            if name in self.gazetteer and self.countries.lookup(name) is None:
                return self._resolve(CleanSpan(*match.span(1)), sentence)
        return None


def find_venue(
    rules: Rules, text: str, sentences: tuple[CleanSpan, ...], hits: list[Hit], countries: CountryIndex
) -> ProseVenue | None:
    """The venue the given sentences name; see the module docstring."""
    reader = _Reader(rules, text, hits, countries)
    country_only: _Found | None = None
    for sentence in sentences:
        found = reader.in_sentence(sentence)
        if found is None:
            continue
        if found.city is None:  # "Ciudad de Guatemala, 15 de mayo": the country is inside the city's name
            lead = reader.dateline((sentence,))
            if lead is not None and lead.code in (None, found.code):
                found = lead
        if found.city is not None:
            if country_only is not None and found.code not in (None, country_only.code):
                continue
            if found.code is None and country_only is not None:
                found = _Found(found.city, country_only.country, country_only.code, "written")
            return ProseVenue(found.city, found.country, found.code, found.method)
        country_only = country_only or found
    if country_only is not None and country_only.code is not None:
        city = reader.city_of(country_only.code)
        return ProseVenue(city, country_only.country, country_only.code, "written")
    found = reader.dateline(sentences)
    if found is not None:
        return ProseVenue(found.city, found.country, found.code, found.method)
    if sentences:
        government = reader.government(sentences[0])
        if government is not None:
            return ProseVenue(reader.city_of(government[1]), government[0], government[1], "government")
    return None
