"""Countries: ISO 3166 identities from pycountry plus the names notes actually use.

Contract: :class:`CountryIndex` maps a written country name (pycountry's ``name``, ``common_name``
and ``official_name`` in English, and their French and Spanish translations from pycountry's own
message catalogues, the variants in ``data/countries.jsonl``, with or without a leading "the") to an
ISO 3166-1 alpha-2 code, and gives each code one display name. A translated name that another country
already uses, or that ``data/countries.jsonl`` lists under ``not_names`` (a French "Maurice" is more
often a person), is left out. It also maps the demonyms of ``data/demonyms.jsonl`` ("Peruvian") to
their code, for callers that read them next to a government word. Lookup is exact on a folded key
(case, accents and punctuation ignored); it never guesses.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass

import pycountry

from note_extract.core.errors import RuleFileError
from note_extract.core.text import fold
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import CountryRow, DemonymRow

TRANSLATED_LANGUAGES = ("fr", "es")
"""Languages whose country names come from pycountry's catalogues."""


@dataclass(frozen=True)
class CountryIndex:
    """Names and acronyms of every country, and a display name per code."""

    by_key: dict[str, str]
    names: dict[str, tuple[str, ...]]
    acronyms: dict[str, tuple[str, ...]]
    display: dict[str, str]
    demonyms: dict[str, str]
    """Folded demonym ("peruvian") to alpha-2 code."""

    def lookup(self, text: str) -> str | None:
        """The alpha-2 code for a written name, or ``None``."""
        key = fold(text)
        if key.startswith("the "):
            key = key[4:]
        return self.by_key.get(key)

    def name(self, code: str) -> str:
        """The display name of a code."""
        return self.display[code]

    def demonym(self, word: str) -> str | None:
        """The alpha-2 code a demonym ("Peruvian", "chilena") stands for, or ``None``."""
        return self.demonyms.get(fold(word))


@derived
def country_index(rules: Rules) -> CountryIndex:
    """Build the index once per rule bundle."""
    names: dict[str, list[str]] = {}
    display: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        written = [country.name]
        for attr in ("common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                written.append(value)
        names[code] = [w for w in written if "," not in w]
        display[code] = getattr(country, "common_name", None) or country.name
    acronyms: dict[str, tuple[str, ...]] = {}
    not_names: set[str] = set()
    source = rules.path("countries.jsonl")
    for row in rules.rows("countries.jsonl", CountryRow):
        if row.code not in names:
            raise RuleFileError(f"{source}: unknown ISO 3166-1 code {row.code!r}")
        names[row.code].extend(row.names)
        acronyms[row.code] = row.acronyms
        not_names.update(fold(n) for n in row.not_names)
        if row.display:
            display[row.code] = row.display
    by_key: dict[str, str] = {}
    for code, written in names.items():
        for name in written:
            key = _key(name)
            other = by_key.setdefault(key, code)
            if other != code:
                raise RuleFileError(f"{source}: name {name!r} given to both {other} and {code}")
    for code, name in _translated_names():
        key = _key(name)
        if key in not_names or by_key.setdefault(key, code) != code:
            continue
        names[code].append(name)
    frozen = {code: tuple(dict.fromkeys(written)) for code, written in names.items()}
    return CountryIndex(by_key, frozen, acronyms, display, _demonyms(rules))


def _key(name: str) -> str:
    key = fold(name)
    return key[4:] if key.startswith("the ") else key


def _translated_names() -> list[tuple[str, str]]:
    """(code, name) for the French and Spanish names of every country, commas-inverted forms left out."""
    found: list[tuple[str, str]] = []
    for language in TRANSLATED_LANGUAGES:
        catalogue = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if not value:
                    continue
                translated = catalogue.gettext(value)
                if translated != value and "," not in translated:
                    found.append((country.alpha_2, translated))
    return found


def _demonyms(rules: Rules) -> dict[str, str]:
    source = rules.path("demonyms.jsonl")
    table: dict[str, str] = {}
    for row in rules.rows("demonyms.jsonl", DemonymRow):
        for word in row.words:
            other = table.setdefault(fold(word), row.code)
            if other != row.code:
                raise RuleFileError(f"{source}: demonym {word!r} given to both {other} and {row.code}")
    return table
