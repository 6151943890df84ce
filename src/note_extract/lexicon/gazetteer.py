"""The city gazetteer: which country a city name may stand for, and when that is safe to say.

Contract: :func:`gazetteer` loads ``data/cities.tsv.gz`` (built by ``scripts/build_gazetteer.py`` from
GeoNames' places of 15,000+ people, CC BY 4.0; see ``data/NOTICE.md``) once per rule bundle, lazily, and
answers :meth:`Gazetteer.places` (every place a written name can be, in English, French, Spanish or any
other Latin-script name) and :meth:`Gazetteer.country_for` (the country a city name points to). A
country is given only when the name is unambiguous enough: one country has it, or one place of that
name is far the largest (``dominance`` times the runner-up), or exactly one of its places lies in a
country the caller says the text names, or it is a capital at least twice the size of the runner-up.
Places whose own name is the one written (spaces aside) are preferred to places that merely have it as
another name (Portland was once "Bridgetown"). "Georgetown" (Guyana's capital, and George Town in
Malaysia of similar size) gets no country. Lookup is on a folded key (case, accents, punctuation
ignored).
"""

from __future__ import annotations

import gzip
from collections.abc import Collection
from dataclasses import dataclass

from note_extract.core.errors import RuleFileError
from note_extract.core.text import fold
from note_extract.rules.bundle import GAZETTEER_FILE, Rules, derived


@dataclass(frozen=True, slots=True)
class Place:
    """One populated place: its main name, country, population and whether it is the capital."""

    name: str
    country: str
    population: int
    capital: bool


@dataclass(frozen=True, slots=True)
class CountryGuess:
    """The country a city name stands for, and why: ``only`` (one country has the name), ``largest``
        (far the largest place of the name), ``capital`` (a capital clearly larger than any other place of
    the name) or ``context`` (the one in a country the text names)."""

    country: str
    place: Place
    reason: str


class Gazetteer:
    """City names to places."""

    def __init__(
        self, places: dict[str, tuple[Place, ...]], dominance: float = 3.0, capital_dominance: float = 2.0
    ) -> None:
        self._places = places
        self.dominance = dominance
        self.capital_dominance = capital_dominance

    def places(self, name: str) -> tuple[Place, ...]:
        """The places ``name`` names, largest first: those whose own name it is, else any that has it
        as another name."""
        key = fold(name)
        found = self._places.get(key, ())
        compact = key.replace(" ", "")
        own = tuple(p for p in found if fold(p.name).replace(" ", "") == compact)
        return own or found

    def __contains__(self, name: str) -> bool:
        return fold(name) in self._places

    def country_for(self, name: str, named: Collection[str] = ()) -> CountryGuess | None:
        """The country ``name`` stands for, or None when the gazetteer cannot say safely.

        ``named`` are the countries the text itself names; a place in one of them wins when it is the
        only such place.
        """
        places = self.places(name)
        if not places:
            return None
        countries = {p.country for p in places}
        if len(countries) == 1:
            return CountryGuess(places[0].country, places[0], "only")
        in_named = [p for p in places if p.country in named]
        if len({p.country for p in in_named}) == 1:
            return CountryGuess(in_named[0].country, in_named[0], "context")
        first, second = places[0], places[1]
        factor = self.capital_dominance if first.capital else self.dominance
        if first.population >= factor * max(second.population, 1):
            return CountryGuess(first.country, first, "capital" if first.capital else "largest")
        return None


@derived
def gazetteer(rules: Rules) -> Gazetteer:
    """Load the bundle's gazetteer on first use (it is large: not read with the other rules)."""
    path = rules.path(GAZETTEER_FILE)
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: cannot read the gazetteer: {exc}") from exc
    found: dict[str, list[Place]] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 5 or not cells[2].isdigit() or cells[3] not in {"0", "1"}:
            raise RuleFileError(f"{path}:{lineno}: expected name, country, population, capital, aliases")
        place = Place(cells[0], cells[1], int(cells[2]), cells[3] == "1")
        found.setdefault(fold(cells[0]), []).append(place)
        for key in cells[4].split("|"):
            if key:
                found.setdefault(key, []).append(place)
    places = {
        key: tuple(sorted(set(group), key=lambda p: (-p.population, p.country, p.name)))
        for key, group in found.items()
    }
    return Gazetteer(places)
