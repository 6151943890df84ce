"""The whole date a value writes: a date reading checked against the date material around it.

Contract: :func:`whole_date` takes a text, a :class:`~note_extract.event.dates.DateSpan` read in it and
the bounds of the value it belongs to (a header field's value, or a stretch of prose), and returns a
:class:`WholeDate`: the reading of the whole run of date material the span stands in, and what of
that run and (for a header field) of the rest of the value no reading consumed.

The run is the span widened over the tokens next to it that are date material (day numbers, month
names, years, numeric dates) or the connectors and filler words of ``data/date_words.jsonl`` (range
and list connectors, range openers, links, weekdays, ordinal suffixes). A number bound to a word
("Room 3", "3 participants") is not date material. When the run holds more date material than the
span, the run is read as one expression: points (day, month, year, in the language's orders) joined by
range and list connectors ("14-15 and 17 May 2019", "14, 15, 16 May 2019", "14.-16. May 2019",
"14 May 2019 and 16 May 2019", "30.06.-02.07.2015"); a month or a year not written is taken from
the next point that writes it, else from the one before. If that reading holds (real days, in order),
it replaces the span; if not, the span stays and the material it did not consume is the leftover.

What it never does: change a reading that already consumes its whole run (the common case costs one
tokenization of the value); invent a year (a run with no written year stays as read); raise because
of the text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from note_extract.core.spans import CleanSpan
from note_extract.event.dates import MAX_YEAR, MIN_YEAR, DateLanguage, DateSpan, date_language
from note_extract.rules.bundle import Rules

__all__ = ["WholeDate", "whole_date"]

Kind = Literal["iso", "num", "dm", "year", "day", "month", "range", "list", "comma", "skip", "stop"]
_MATERIAL = frozenset({"iso", "num", "dm", "year", "day", "month"})
_JOINING = frozenset({"range", "list", "comma", "skip"})
_MAX_DAYS = 31  # days one expression may list or a list's range may cover


@dataclass(frozen=True, slots=True)
class _Token:
    kind: Kind
    start: int
    end: int
    value: tuple[int, ...] = ()
    """Numbers the token writes: (year, month, day) of a numeric date, (day, month) of "30.06.", a day,
    a year or a month number."""
    capital: bool = False
    """A month name written with a capital, or a number that opens its line."""


@dataclass(frozen=True, slots=True)
class WholeDate:
    """The reading of a date's whole run, and the date material nothing read (spans relative to the
    offset the date's own span is relative to)."""

    span: DateSpan
    leftover: tuple[CleanSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class _Words:
    table: dict[str, Kind]
    months: dict[str, int]
    ambiguous: frozenset[str]
    pattern: re.Pattern[str]


def _words(rules: Rules, languages: tuple[str, ...]) -> _Words:
    return rules.memo((_words, languages), lambda: _build_words([date_language(rules, c) for c in languages]))


def _build_words(langs: Sequence[DateLanguage]) -> _Words:
    table: dict[str, Kind] = {}
    months: dict[str, int] = {}
    ambiguous: set[str] = set()
    suffixes: set[str] = set()
    for lang in langs:
        row = lang.row
        groups: tuple[tuple[Kind, tuple[str, ...]], ...] = (
            ("range", row.range),
            ("list", row.list_joiners),
            ("skip", (*row.range_openers, *row.day_month_links, *row.month_year_links, *row.filler)),
            ("skip", lang.weekdays),
        )
        for kind, words in groups:
            for phrase in words:
                word = phrase.lower().split()[0]  # "hasta el": the first word is the connector
                if word[0].isalpha():
                    table.setdefault(word.replace("\u2019", "'"), kind)
        for name, number in lang.months.items():
            months.setdefault(name.replace("\u2019", "'"), number)
        ambiguous |= lang.ambiguous
        suffixes |= {s.lower() for s in row.ordinal_suffixes}
    ordinal = "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True))
    pattern = re.compile(
        r"(?P<para>\n[ \t]*\n)"
        r"|(?P<iso>(?<!\d)\d{4}-\d{1,2}-\d{1,2})(?!\d)"
        r"|(?P<num>(?<![\d.])\d{1,2}(?P<sep>[./])\d{1,2}(?:(?P=sep)\d{4})?)(?![\d]|[./]\d)\.?"
        r"|(?P<year>(?<!\d)\d{4})(?![\d\w])"
        rf"|(?P<day>(?<!\d)\d{{1,2}})(?:{ordinal or '(?!)'})?(?![\d\w])\.?"
        r"|(?P<word>[^\W\d_][\w'\u2019]*)\.?"
        r"|(?P<sym>--|[-\u2013\u2014,&])"
        r"|(?P<other>\S)"
    )
    return _Words(table, months, frozenset(ambiguous), pattern)


def _tokens(words: _Words, text: str, lo: int, hi: int) -> list[_Token]:
    out: list[_Token] = []
    for m in words.pattern.finditer(text, lo, hi):
        group = m.lastgroup
        a, b = m.span()
        token = _Token("stop", a, b)
        if group in ("iso", "num"):
            token = _numeric(m, group)
        elif group in ("year", "day"):
            opens = not text[text.rfind("\n", lo, a) + 1 : a].strip()
            token = _Token("year" if group == "year" else "day", a, b, (int(m.group(group)),), opens)
        elif group == "word":
            token = _word(words, m.group("word"), a, b)
        elif group == "sym":
            sym = m.group("sym")
            token = _Token("comma" if sym == "," else "list" if sym == "&" else "range", a, b)
        out.append(token)
    return out


def _numeric(m: re.Match[str], group: str) -> _Token:
    a, b = m.span()
    numbers = [int(n) for n in re.findall(r"\d+", m.group(group))]
    if group == "iso":
        return _Token("iso", a, b, tuple(numbers))
    if len(numbers) == 3:  # day first: a month-first date is read by the header's numeric reader
        return _Token("num", a, b, (numbers[2], numbers[1], numbers[0]))
    return _Token("dm", a, b, (numbers[0], numbers[1]))


def _word(words: _Words, word: str, a: int, b: int) -> _Token:
    key = word.lower().replace("\u2019", "'")
    if key in words.months:
        return _Token("month", a, b, (words.months[key],), word[:1].isupper() or key not in words.ambiguous)
    kind = words.table.get(key)
    return _Token(kind or "stop", a, b)


def _bound(tokens: list[_Token], k: int, step: int) -> bool:
    """A number written right beside a word that is not date material ("Room 3", "3 participants"), or
    numbering its line ("5) Organizers")."""
    near = k + step
    if not 0 <= near < len(tokens) or tokens[k].kind not in ("day", "year"):
        return False
    other = tokens[near]
    gap = tokens[k].start - other.end if step < 0 else other.start - tokens[k].end
    if other.kind != "stop" or gap > 1:
        return False
    if other.end - other.start > 1:
        return True
    return step > 0 and gap == 0 and tokens[k].capital  # "5)" numbering a line


def _run(tokens: list[_Token], i: int, j: int) -> range:
    """Token indices [i, j) widened over date material and connectors, then trimmed to material."""
    while i > 0 and tokens[i - 1].kind in _MATERIAL | _JOINING and not _bound(tokens, i - 1, -1):
        i -= 1
    while j < len(tokens) and tokens[j].kind in _MATERIAL | _JOINING and not _bound(tokens, j, 1):
        j += 1
    while i < j and tokens[i].kind not in _MATERIAL:
        i += 1
    while j > i and tokens[j - 1].kind not in _MATERIAL:
        j -= 1
    return range(i, j)


@dataclass(slots=True)
class _Point:
    day: int | None = None
    month: int | None = None
    year: int | None = None

    @property
    def empty(self) -> bool:
        return self.day is None and self.month is None and self.year is None


def _points(tokens: Sequence[_Token], mdy: bool) -> tuple[list[_Point], list[str]] | None:
    """The points a run writes and the connectors between them ("range" or "list"), or None when the
    run is no one expression."""
    points: list[_Point] = [_Point()]
    joins: list[str] = []
    pending: str | None = None
    for index, token in enumerate(tokens):
        cur = points[-1]
        kind = token.kind
        if kind in ("range", "list") or (kind == "comma" and not _year_next(tokens, index)):
            if cur.empty:
                return None
            pending = pending if pending == "range" else ("range" if kind == "range" else "list")
            continue
        if kind in ("skip", "comma"):
            continue
        if kind == "year":
            if cur.year is not None or cur.empty:
                return None
            cur.year = token.value[0]
            continue
        if _starts_point(cur, token, mdy) or pending is not None:
            if cur.empty:
                return None
            joins.append(pending or "list")
            pending, cur = None, _Point()
            points.append(cur)
        if not _fill(cur, token):
            return None
    if pending is not None or points[-1].empty:
        return None
    return points, joins


def _year_next(tokens: Sequence[_Token], index: int) -> bool:
    return index + 1 < len(tokens) and tokens[index + 1].kind == "year"


def _starts_point(cur: _Point, token: _Token, mdy: bool) -> bool:
    """True when ``token`` cannot complete the current point (it writes what the point has)."""
    if cur.empty:
        return False
    if token.kind in ("iso", "num", "dm"):
        return True
    if token.kind == "month":
        return cur.month is not None or cur.year is not None
    # a day: after a day, or after a complete "14 May" (a month-first "May 14" takes its day)
    return cur.day is not None or cur.year is not None or not mdy


def _fill(cur: _Point, token: _Token) -> bool:
    v = token.value
    if token.kind == "iso" or token.kind == "num":
        cur.year, cur.month, cur.day = v
    elif token.kind == "dm":
        cur.day, cur.month = v
    elif token.kind == "month":
        cur.month = v[0]
    elif token.kind == "day":
        cur.day = v[0]
    else:
        return False
    return True


def _dates(points: list[_Point]) -> list[date] | None:
    """The points as dates: missing months and years from the next point that writes one, else the
    one before (a year crosses back when the month goes back); None if any is not a real day."""
    if any(p.day is None for p in points):
        return None
    months = _filled([p.month for p in points])
    years = _years([p.year for p in points], months)
    out: list[date] = []
    for p, month, year in zip(points, months, years, strict=True):
        if month is None or year is None or not MIN_YEAR <= year <= MAX_YEAR:
            return None
        try:
            out.append(date(year, month, p.day or 0))
        except ValueError:
            return None
    return out


def _filled(values: list[int | None]) -> list[int | None]:
    """Each missing value from the next one written, else the one before."""
    out = list(values)
    for i in range(len(out) - 2, -1, -1):
        out[i] = out[i] if out[i] is not None else out[i + 1]
    for i in range(1, len(out)):
        out[i] = out[i] if out[i] is not None else out[i - 1]
    return out


def _years(years: list[int | None], months: list[int | None]) -> list[int | None]:
    """Missing years from the neighbours, crossing a year where the month goes back."""
    out = list(years)
    for i in range(len(out) - 2, -1, -1):
        after = out[i + 1]
        if out[i] is None and after is not None:
            out[i] = after - ((months[i] or 0) > (months[i + 1] or 0))
    for i in range(1, len(out)):
        before = out[i - 1]
        if out[i] is None and before is not None:
            out[i] = before + ((months[i] or 0) < (months[i - 1] or 0))
    return out


def _read(
    tokens: Sequence[_Token], mdy: bool, default_year: int | None
) -> tuple[date, date, tuple[date, ...]] | None:
    """First day, last day and the days listed (empty for a plain range) of a run, or None; a run that
    writes no year takes ``default_year`` (the year the span read was given)."""
    found = _points(tokens, mdy)
    if found is None:
        return None
    points, joins = found
    if default_year is not None and all(p.year is None for p in points):
        points[0].year = default_year
    dates = _dates(points)
    if dates is None or any(b < a for a, b in itertools.pairwise(dates)):
        return None
    if len(dates) == 1:
        return dates[0], dates[0], ()
    if joins == ["range"]:
        return dates[0], dates[1], ()
    days: list[date] = []
    i = 0
    while i < len(dates):
        if i + 1 < len(dates) and joins[i] == "range":
            days.extend(dates[i] + timedelta(n) for n in range((dates[i + 1] - dates[i]).days + 1))
            i += 2
            if i < len(dates) and joins[i - 1] == "range":
                return None  # "1-3-5 May"
            continue
        days.append(dates[i])
        i += 1
    if len(days) > _MAX_DAYS:
        return None
    return dates[0], dates[-1], tuple(sorted(set(days)))


def _leftover_elsewhere(tokens: list[_Token], i: int, j: int) -> list[CleanSpan]:
    """The runs outside tokens [i, j) holding date material no reading could mistake for something
    else: a month name (capitalized when it is also a common word), a year, a numeric date."""
    runs: list[CleanSpan] = []
    for k, t in enumerate(tokens):
        if i <= k < j or (runs and t.start < runs[-1][1]):
            continue
        if (
            t.kind in ("iso", "num")
            or (t.kind == "month" and t.capital)
            or (t.kind == "year" and MIN_YEAR <= t.value[0] <= MAX_YEAR)
        ):
            run = _run(tokens, k, k + 1)
            a, b = (max(run.start, j), run.stop) if k >= j else (run.start, min(run.stop, i))
            runs.append(CleanSpan(tokens[a].start, tokens[b - 1].end))
    return runs


def whole_date(
    rules: Rules,
    text: str,
    span: DateSpan,
    bounds: CleanSpan,
    languages: Sequence[str],
    *,
    offset: int = 0,
    elsewhere: bool = False,
) -> WholeDate:
    """The whole reading of ``span`` (offsets relative to ``offset`` in ``text``) within ``bounds`` of
    ``text``; with ``elsewhere``, date material anywhere else in ``bounds`` is leftover too. The span
    returned and the leftover are relative to ``offset`` like the span given; see the module
    docstring."""
    words = _words(rules, tuple(dict.fromkeys(languages)))
    lo, hi = bounds
    tokens = _tokens(words, text, lo, hi)
    s, e = offset + span.start, offset + span.end
    inside = [k for k, t in enumerate(tokens) if t.start < e and t.end > s]
    if not inside:
        return WholeDate(span)
    run = _run(tokens, inside[0], inside[-1] + 1)
    i, j = min(run.start, inside[0]), max(run.stop, inside[-1] + 1)
    rest = _leftover_elsewhere(tokens, i, j) if elsewhere else []
    if tokens[i].start >= s and tokens[j - 1].end <= e + 1:  # the span reads its whole run
        return WholeDate(span, _relative(rest, offset))
    mdy = any("mdy" in date_language(rules, c).row.orders for c in languages)
    whole, left = _reread(
        text, span, tokens, (i, j, inside[0], inside[-1] + 1), mdy, offset, elsewhere=elsewhere
    )
    return WholeDate(whole, _relative([*left, *rest], offset))


def _reread(
    text: str,
    span: DateSpan,
    tokens: list[_Token],
    edges: tuple[int, int, int, int],
    mdy: bool,
    offset: int,
    *,
    elsewhere: bool,
) -> tuple[DateSpan, list[CleanSpan]]:
    """The run tokens[i:j] (the span read is tokens[k:m]) read as one expression, or the span and what
    of the run it leaves over."""
    i, j, k, m = edges
    default = span.start_date.year if span.year_inferred else None
    read = _read([t for t in tokens[i:j] if t.kind != "stop"], mdy, default)
    if read is None:
        pieces = (tokens[i:k], tokens[m:j])
        return span, [_extent(p) for p in pieces if _material(p) and (elsewhere or not _complete(p))]
    first, last, days = read
    if (first, last) == (span.start_date, span.end_date) and (not days or days == span.days):
        return span, []
    a, b = min(offset + span.start, tokens[i].start), max(offset + span.end, tokens[j - 1].end)
    b -= b > offset + span.end and text[b - 1] == "."
    listed = days or ((first,) if first == last else (first, last))
    whole = DateSpan(
        a - offset, b - offset, text[a:b], first, last, listed, "day", default is not None, span.language
    )
    return whole, []


def _material(tokens: Sequence[_Token]) -> bool:
    return any(t.kind in _MATERIAL for t in tokens)


def _complete(tokens: Sequence[_Token]) -> bool:
    """A piece that is a date of its own (it writes a month and a year): another expression."""
    kinds = {t.kind for t in tokens}
    return bool(kinds & {"iso", "num"}) or {"month", "year"} <= kinds


def _extent(tokens: Sequence[_Token]) -> CleanSpan:
    material = [t for t in tokens if t.kind in _MATERIAL]
    return CleanSpan(material[0].start, material[-1].end)


def _relative(spans: list[CleanSpan], offset: int) -> tuple[CleanSpan, ...]:
    return tuple(sorted(CleanSpan(a - offset, b - offset) for a, b in spans))
