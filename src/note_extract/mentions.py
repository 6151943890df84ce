"""Stage 6: everything mentioned anywhere in the note.

Contract: :func:`extract_mentions` returns organizations and countries (one reference per phrase-matcher
hit, in order), Security Council resolutions (a 3-4 digit number followed by its year in brackets,
``1540 (2004)``, or after a keyword of ``data/mentions.jsonl``, ``resolution 1540``, ``Resolution
(UNSCR) 1540``, and the numbers listed after it, ``UNSCRs 1540 and 1810``; never a bare number such as
"the 1540 Committee"); a number written without its year takes the year of ``data/resolutions.jsonl``
(the 1540 family) when it is listed there, every date found by :func:`note_extract.dates.find_dates`, and
e-mail addresses. All spans are raw offsets.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .dates import find_dates
from .entities import Hit
from .models import DateMention, EmailMention, Mentions, Resolution
from .normalize import Normalized
from .prose import known_resolutions
from .refs import RefMaker
from .rules import Rules, derived


class MentionRow(BaseModel):
    """One row of ``data/mentions.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["resolution_keyword"]
    words: tuple[str, ...]


# Starts only where a local part can start: a long run of letters is scanned once, not from each letter.
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# "1540 (2004)"; the lookbehind (no digit or slash before the number) follows the first digit so the
# regex engine can scan for digits quickly.
_NUMBER_YEAR = r"(?P<num>\d(?<![\d/]\d)\d{2,3})\s*\((?P<year>(?:19|20)\d\d)\)"


@derived
def _resolution_patterns(rules: Rules) -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = [w for row in rules.rows("mentions.jsonl", MentionRow) for w in row.words]
    keyword = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    with_year = re.compile(_NUMBER_YEAR)
    after_keyword = re.compile(
        r"(?<!\w)(?:" + keyword + r")\s*(?:\([A-Z]{2,6}\)\s*)?(?:No\.?\s*)?(?P<num>\d{3,4})(?!\d)"
        r"(?!\s*\((?:19|20)\d\d\))",
        re.IGNORECASE,
    )
    return with_year, after_keyword


_LISTED = re.compile(r"\s*(?:,|\band\b|&|\bet\b|\by\b)\s*(?P<num>\d{4})(?!\d)(?!\s*\((?:19|20)\d\d\))")


def find_resolutions(rules: Rules, note: Normalized) -> list[Resolution]:
    """Resolutions cited in the note, in order."""
    text = note.text
    found: dict[int, Resolution] = {}
    with_year, after_keyword = _resolution_patterns(rules)
    known = known_resolutions(rules)
    spans: list[tuple[int, int, int, str | None]] = []  # start, end, number, year as written
    for pattern in (with_year, after_keyword):
        for match in pattern.finditer(text):
            a, b = match.span("num") if pattern is after_keyword else match.span()
            spans.append((a, b, int(match.group("num")), match.groupdict().get("year")))
            end = match.end()
            while pattern is after_keyword and (more := _LISTED.match(text, end)) is not None:
                spans.append((*more.span("num"), int(more.group("num")), None))
                end = more.end()
    for a, b, number, year in spans:
        if a in found:
            continue
        raw = note.raw_span(a, b)
        found[a] = Resolution(
            number=number,
            year=int(year) if year else known.get(number),
            year_inferred=not year and number in known,
            text=note.raw[raw[0] : raw[1]],
            span=raw,
        )
    return [found[k] for k in sorted(found)]


def extract_mentions(
    rules: Rules,
    note: Normalized,
    hits: list[Hit],
    maker: RefMaker,
    languages: tuple[str, ...],
    default_year: int | None,
) -> Mentions:
    """Every organization, country, resolution, date and e-mail address in the note."""
    orgs = [maker.from_hit(h) for h in hits if h.kind == "org"]
    countries = [maker.from_hit(h) for h in hits if h.kind == "country"]
    dates = []
    for d in find_dates(rules, note.text, languages=languages, default_year=default_year):
        span = note.raw_span(d.start, d.end)
        dates.append(
            DateMention(
                text=note.raw[span[0] : span[1]],
                span=span,
                start_date=d.start_date,
                end_date=d.end_date,
                precision=d.precision,
                year_inferred=d.year_inferred,
            )
        )
    emails = []
    for match in _EMAIL.finditer(note.text):
        span = note.raw_span(*match.span())
        emails.append(EmailMention(address=match.group(0).lower(), span=span))
    return Mentions(
        organizations=orgs,
        countries=countries,
        resolutions=find_resolutions(rules, note),
        dates=dates,
        emails=emails,
    )
