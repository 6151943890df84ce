"""Stage 6: everything mentioned anywhere in the note.

Contract: :func:`extract_mentions` returns organizations and countries (one reference per phrase-matcher
hit, in order), Security Council resolutions (a 3-4 digit number followed by its year in brackets,
``1540 (2004)``, or after a keyword of ``data/mentions.jsonl``, ``resolution 1540``, ``Resolution
(UNSCR) 1540``, and the numbers listed after it, ``UNSCRs 1540 and 1810``; never a bare number such as
"the 1540 Committee"); a number written without its year takes the year of ``data/resolutions.jsonl``
(the 1540 family) when it is listed there, every date found by
:func:`~note_extract.event.dates.find_dates`, and
e-mail addresses. Every span is clean text; the assembly step maps them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from note_extract.core.spans import CleanSpan
from note_extract.event.dates import DateSpan, find_dates
from note_extract.event.prose import known_resolutions
from note_extract.lexicon.entities import Hit
from note_extract.parties.refs import Ref, RefBuilder
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import MentionRow

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


@dataclass(frozen=True, slots=True)
class Cited:
    """A Security Council resolution cited in the text."""

    number: int
    year: int | None
    year_inferred: bool
    span: CleanSpan


@dataclass(frozen=True, slots=True)
class Email:
    """An e-mail address (lower-cased) and where it is written."""

    address: str
    span: CleanSpan


@dataclass(frozen=True, slots=True)
class Mentioned:
    """Everything the text mentions, in order of appearance, in clean-text coordinates."""

    organizations: list[Ref]
    countries: list[Ref]
    resolutions: list[Cited]
    dates: list[DateSpan]
    emails: list[Email]


def find_resolutions(rules: Rules, text: str) -> list[Cited]:
    """Resolutions cited in the text, in order."""
    found: dict[int, Cited] = {}
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
        if a not in found:
            found[a] = Cited(
                number=number,
                year=int(year) if year else known.get(number),
                year_inferred=not year and number in known,
                span=CleanSpan(a, b),
            )
    return [found[k] for k in sorted(found)]


def extract_mentions(
    rules: Rules,
    text: str,
    hits: list[Hit],
    refs: RefBuilder,
    languages: tuple[str, ...],
    default_year: int | None,
) -> Mentioned:
    """Every organization, country, resolution, date and e-mail address in the clean ``text``."""
    return Mentioned(
        organizations=[refs.from_hit(h) for h in hits if h.kind == "org"],
        countries=[refs.from_hit(h) for h in hits if h.kind == "country"],
        resolutions=find_resolutions(rules, text),
        dates=find_dates(rules, text, languages=languages, default_year=default_year),
        emails=[Email(m.group(0).lower(), CleanSpan(*m.span())) for m in _EMAIL.finditer(text)],
    )
