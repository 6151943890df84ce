"""Dates: find every date, date range, list of days, month and cued year in a text.

Stage contract
--------------
Input: a text (normally the normalized note text, but any ``str`` works), the languages to read
(``"en"``, ``"fr"``, ``"es"``, or any language that has a row in ``data/date_words.jsonl`` and a
dateparser locale) and an optional ``default_year`` taken from the note itself (header date, file name).

Output: :class:`DateSpan` values, sorted by ``start``, never overlapping, each with
``text == searched_text[start:end]``. At one position the longest form wins
("30 November - 2 December 2019" is one span, not two).

What it never does:

* scan with ``dateparser.search_dates`` or parse with dateparser at run time: only dateparser's locale
  tables are read, once, for month and weekday names; dates are built from the captured numbers;
* read a bare number as a date (``1540``, ``(2004)``, ``4000``); a year alone is a date only right after
  a cue word ("in 2010", "since 2005", "from 2005 to 2009", "en 2010", "desde 2005");
* take a year from today's date: a date written without one uses ``default_year`` and says so
  (``year_inferred``), or is dropped when there is none;
* return an impossible date (31 February), a year outside 1945-2100 or a range that ends before it
  starts; such an expression is dropped whole, its pieces are not re-read as other dates (so
  "32 July 2016", "0 July 2016" and "15-32 July 2016" give nothing, never the month of July);
* raise on any text. Only a broken rule file (:class:`~note_extract.core.errors.RuleFileError`) or an
  unknown language (:class:`~note_extract.core.errors.ConfigError`) raise.

Span policy: a leading weekday is part of the span ("Tuesday, 4 October 2017"); range openers and
year cues are not ("from 9 to 10 November 2006" gives "9 to 10 November 2006", "in 2010" gives
"2010"); an abbreviation dot at the very end is not ("28 Feb." gives "28 Feb"). Each year of a cued
list is its own span ("held in 2019 and 2022" gives "2019" and "2022").

Not read by :func:`find_dates`, on purpose: numeric dates ("28/07/2016", "2016-07-28": in running
text a number pattern is too often something else); :func:`find_numeric_date` reads one in a header's
date field, where the label says it is a date: ISO ``2016-07-28``, and ``28/07/2016`` or ``28.07.2016``
only when the order cannot be mistaken (a first number above 12 is a day, a second above 12 makes
it month-first); ``11/05/2015`` is reported as ambiguous with both readings.
Also not read: a month
with neither day nor year ("in December"), two-digit years ("2005-09"), a list of days joined by commas
only ("Table 3, 5 May" is no list; "3 and 5 May" is), lists spanning more than two months, spelled-out
days ("the first of May") and relative dates ("last year").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from note_extract.core.errors import ConfigError, RuleFileError
from note_extract.core.models import Precision
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import DateWordsRow

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "DateLanguage",
    "DateSpan",
    "DateWordsRow",
    "NumericDate",
    "Precision",
    "date_language",
    "date_words",
    "find_dates",
    "find_numeric_date",
]

MIN_YEAR = 1945
MAX_YEAR = 2100
DATE_WORDS_FILE = "date_words.jsonl"

_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MIN_WEEKDAY_LEN = 3  # "we", "th", "di", "do" are words far more often than weekdays


@dataclass(frozen=True, slots=True)
class DateSpan:
    """One date expression found in a text (see the module docstring for the span policy)."""

    start: int
    end: int
    text: str
    start_date: date
    end_date: date
    days: tuple[date, ...]
    precision: Precision
    year_inferred: bool
    language: str


@derived
def date_words(rules: Rules) -> dict[str, DateWordsRow]:
    """The rows of ``date_words.jsonl``, keyed by language."""
    path = rules.path(DATE_WORDS_FILE)
    rows: dict[str, DateWordsRow] = {}
    for row in rules.rows(DATE_WORDS_FILE, DateWordsRow):
        if row.language in rows:
            raise RuleFileError(f"{path}: language {row.language!r} has more than one row")
        rows[row.language] = row
    return rows


# ---------------------------------------------------------------- regex building blocks

_H = r"[^\S\n]"  # horizontal white space, NBSP and CR included
_WS = rf"(?=\s)(?:{_H}*\n)?{_H}*"  # some white space, at most one line break
_OWS = rf"(?:{_H}*\n)?{_H}*"  # optional white space, at most one line break
_LETTER = r"[^\W\d_\u00b2\u00b3\u00b9\u2070-\u209f]"  # a letter (superscript footnote digits are not)
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?![0-9]|\.[0-9]|[)%])"
_YEAR = rf"[0-9]{{4}}(?![0-9]|\.[0-9]|{_LETTER})"
_CUED_YEAR = _YEAR + r"(?!\s*\(\s*[0-9]{4}\s*\))"  # "in 1977 (2011)" cites a resolution
_DIGITS = re.compile(r"[0-9]{1,4}")
_NUMBER_BEFORE = re.compile(rf"(?<![0-9]){_H}*[0-9]{{1,3}}{_H}*\Z")  # a day-like number right before
_MAX_LISTED = 12  # days or years in one list
_GROUP = "%G%"  # stands for a form's group-name prefix until the form gets its name


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    end: bool = False


def _trie(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (lower-cased; longest first), built as a trie for speed."""
    root = _Node()
    for word in words:
        node = root
        for char in word.lower():
            node = node.children.setdefault(char, _Node())
        node.end = True
    return _walk(root)


def _walk(node: _Node) -> str:
    alts = [_char(char) + _walk(child) for char, child in sorted(node.children.items())]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if node.end else body


def _char(char: str) -> str:
    if char in "'\u2019":  # apostrophe or right single quote
        return "['\u2019]"
    if char.isspace():
        return _WS
    return re.escape(char)


def _connector(words: Iterable[str], *, oxford_comma: bool = False) -> str:
    """Words need white space on both sides; symbols ("-", ",") may touch the numbers."""
    names = [w for w in words if w[0].isalpha()]
    symbols = [w for w in words if not w[0].isalpha()]
    alts: list[str] = []
    if names:
        lead = rf"(?:{_OWS},)?" if oxford_comma else ""
        alts.append(rf"{lead}{_WS}{_trie(names)}(?!{_LETTER}){_WS}")
    if symbols:
        alts.append(rf"{_OWS}{_trie(symbols)}{_OWS}")
    return "(?:" + "|".join(alts) + ")" if alts else "(?!)"


def _words(words: Iterable[str]) -> str:
    listed = list(words)
    return rf"{_trie(listed)}(?!{_LETTER})" if listed else "(?!)"


@dataclass(frozen=True, slots=True)
class _Lang:
    code: str
    months: dict[str, int]
    weekdays: tuple[str, ...]
    ambiguous: frozenset[str]
    row: DateWordsRow


def _load_lang(rules: Rules, code: str) -> _Lang:
    rows = date_words(rules)
    if code not in rows:
        raise ConfigError(
            f"no date words for language {code!r} in {DATE_WORDS_FILE} (have: {', '.join(rows)})"
        )
    from dateparser.languages.loader import default_loader  # lazy: start-up

    try:
        info = default_loader.get_locale(code).info
    except Exception as exc:  # dateparser raises several types for an unknown locale
        raise ConfigError(f"dateparser has no locale data for language {code!r}") from exc
    months: dict[str, int] = {}
    for number, key in enumerate(_MONTH_KEYS, start=1):
        for token in info.get(key, []):
            months.setdefault(str(token).lower(), number)
    weekdays = tuple(
        str(t).lower() for key in _WEEKDAY_KEYS for t in info.get(key, []) if len(str(t)) >= _MIN_WEEKDAY_LEN
    )
    row = rows[code]
    return _Lang(code, months, weekdays, frozenset(w.lower() for w in row.ambiguous_months), row)


DateLanguage = _Lang
"""One language's month numbers by name, weekday names and ``date_words.jsonl`` row."""


def date_language(rules: Rules, code: str) -> DateLanguage:
    """The month and weekday names and the connector words of language ``code`` (built once per bundle);
    raises ``ConfigError`` for a language with no row or no locale data."""
    return rules.memo((date_language, code), lambda: _load_lang(rules, code))


# Form kinds in priority order (longest first at one position), with shape and precision.
_KINDS: dict[str, tuple[Literal["single", "range", "list", "years"], Precision]] = {
    "dmy_range_x": ("range", "day"),
    "dmy_list_x": ("list", "day"),
    "dmy_range": ("range", "day"),
    "dmy_list": ("list", "day"),
    "dmy": ("single", "day"),
    "mdy_range_x": ("range", "day"),
    "mdy_range": ("range", "day"),
    "mdy_list": ("list", "day"),
    "mdy": ("single", "day"),
    "month_range": ("range", "month"),
    "month": ("single", "month"),
    "year_range": ("years", "year"),
    "year_list": ("years", "year"),
}


def _form_patterns(lang: _Lang) -> dict[str, str]:
    """The regex of every form of one language; group names start with the placeholder ``_GROUP``."""
    p = _GROUP
    row = lang.row
    mon_re = _trie(lang.months)
    wd = rf"(?:{_trie(lang.weekdays)}(?!{_LETTER})\.?(?:{_OWS},)?{_WS})?" if lang.weekdays else ""
    ordinal = rf"(?:{_trie(row.ordinal_suffixes)}(?!{_LETTER}))?" if row.ordinal_suffixes else ""
    rng = _connector(row.range)
    join = _connector(row.list_joiners, oxford_comma=True)
    # A list of days must end with a word ("3, 5 May" after "Table" is no list; "3 and 5 May" is).
    last_join = _connector([w for w in row.list_joiners if w != ","], oxford_comma=True)
    dm = rf"(?:{_WS}{_words(row.day_month_links)}{_WS}|{_OWS})" if row.day_month_links else _OWS
    links = rf"{_WS}{_words(row.month_year_links)}{_WS}|" if row.month_year_links else ""
    my = rf"(?:{_OWS},)?(?:{links}{_OWS})"
    ysep = rf"(?:{_OWS},{_OWS}|{_WS})"
    list_day = _DAY + ordinal
    # Commas possessively ({m,n}+: no backtracking, so "1, 1, 1, ..." stays linear), then the last joiner.
    comma = rf"{_OWS},{_OWS}" if "," in row.list_joiners else "(?!)"
    days = rf"(?P<{p}days>{list_day}(?:{comma}{list_day}){{0,{_MAX_LISTED - 2}}}+{last_join}{list_day})"

    def d(n: int) -> str:
        return rf"(?P<{p}d{n}>{_DAY}){ordinal}"

    def m(n: int) -> str:
        return rf"(?P<{p}m{n}>{mon_re})(?!{_LETTER})\.?"

    def y(n: int, year: str = _YEAR) -> str:
        return rf"(?P<{p}y{n}>{year})"

    forms: dict[str, str] = {}
    if "dmy" in row.orders:
        forms["dmy_range_x"] = rf"{wd}{d(1)}{dm}{m(1)}(?:{my}{y(1)})?{rng}{wd}{d(2)}{dm}{m(2)}(?:{my}{y(2)})?"
        forms["dmy_list_x"] = rf"{wd}{d(1)}{dm}{m(1)}{last_join}{d(2)}{dm}{m(2)}(?:{my}{y(2)})?"
        forms["dmy_range"] = rf"{wd}{d(1)}{rng}{wd}{d(2)}{dm}{m(2)}(?:{my}{y(2)})?"
        forms["dmy_list"] = rf"{wd}{days}{dm}{m(2)}(?:{my}{y(2)})?"
        forms["dmy"] = rf"{wd}{d(1)}{dm}{m(1)}(?:{my}{y(1)})?"
    if "mdy" in row.orders:  # month and day on one line: "in May\n2. Background" is no date
        forms["mdy_range_x"] = (
            rf"{wd}{m(1)}{_H}+{d(1)}(?:{ysep}{y(1)})?{rng}{wd}{m(2)}{_H}+{d(2)}(?:{ysep}{y(2)})?"
        )
        forms["mdy_range"] = rf"{wd}{m(1)}{_H}+{d(1)}{rng}{d(2)}(?:{ysep}{y(2)})?"
        forms["mdy_list"] = rf"{wd}{m(1)}{_H}+{days}(?:{ysep}{y(2)})?"
        forms["mdy"] = rf"{wd}{m(1)}{_H}+{d(1)}(?:{ysep}{y(1)})?"
    forms["month_range"] = rf"{m(1)}(?:{my}{y(1)})?{rng}{m(2)}{my}{y(2)}"
    forms["month"] = rf"{m(1)}{my}{y(1)}"
    if row.range_openers:
        forms["year_range"] = (
            rf"{_words(row.range_openers)}{_WS}{y(1, _CUED_YEAR)}(?:{rng}|{last_join}){y(2, _CUED_YEAR)}"
        )
    if row.year_cues:
        forms["year_list"] = (
            rf"{_words(row.year_cues)}{_WS}{y(1, _CUED_YEAR)}"
            rf"(?:{rng}{y(2, _CUED_YEAR)}|(?P<{p}more>(?:{join}{_CUED_YEAR}){{1,{_MAX_LISTED - 1}}}+))?"
        )
    return forms


@dataclass(frozen=True, slots=True)
class _Form:
    name: str
    kind: str
    lang: _Lang


@dataclass(frozen=True, slots=True)
class _Found:
    """The date expressions of one text, before they are read: each match and its form."""

    text: str
    matches: tuple[tuple[_Form, re.Match[str]], ...]


@dataclass(frozen=True, slots=True)
class _Scanner:
    lowered: re.Pattern[str]  # case-sensitive, run on ``text.lower()`` (about twice as fast)
    source: str  # compiled case-insensitive (on first use) for the rare text whose lower() changes length
    forms: dict[str, _Form]
    recent: list[_Found] = field(default_factory=list)
    """The last texts scanned: the event and the mentions read one text for several default years."""

    def scan(self, text: str) -> tuple[tuple[_Form, re.Match[str]], ...]:
        """Every date expression of ``text``, non-overlapping, in order (the default year plays no
        part in where they are)."""
        for found in self.recent[:]:
            if found.text == text:
                return found.matches
        lowered = text.lower()
        # lower() keeps offsets when it keeps the length (each character maps to at least one).
        haystack, regex = (lowered, self.lowered)
        if len(lowered) != len(text):
            haystack, regex = text, re.compile(self.source, re.IGNORECASE)
        matches: list[tuple[_Form, re.Match[str]]] = []
        pos = 0
        while (match := regex.search(haystack, pos)) is not None:
            form = self.forms.get(match.lastgroup or "")
            if form is not None:
                matches.append((form, match))
            pos = match.end()
        self.recent[:] = [*self.recent[-(_RECENT_TEXTS - 1) :], _Found(text, tuple(matches))]
        return tuple(matches)


_RECENT_TEXTS = 2


def _scanner(rules: Rules, languages: tuple[str, ...]) -> _Scanner:
    """One compiled regex for all forms of all ``languages`` (built once per bundle and language tuple)."""
    return rules.memo((_scanner, languages), lambda: _build_scanner(rules, languages))


def _build_scanner(rules: Rules, languages: tuple[str, ...]) -> _Scanner:
    if not languages:
        raise ConfigError("find_dates needs at least one language")
    langs = [_load_lang(rules, code) for code in dict.fromkeys(languages)]
    per_lang = [_form_patterns(lang) for lang in langs]
    branches: list[str] = []
    forms: dict[str, _Form] = {}
    for kind in _KINDS:
        for i, lang in enumerate(langs):
            if kind in per_lang[i]:
                name = f"L{i}_{kind}"
                branches.append(f"(?P<{name}>{per_lang[i][kind].replace(_GROUP, name + '_')})")
                forms[name] = _Form(name, kind, lang)
    word_set = {t for lang in langs for t in (*lang.months, *lang.weekdays)}
    cue_set = {w.lower() for lang in langs for w in (*lang.row.year_cues, *lang.row.range_openers)}
    first = re.escape("".join(sorted({w[0] for w in word_set | cue_set})))
    # Cheap checks first: a word start, a plausible first character, then a real first token.
    gate = (
        rf"\b(?<!/)(?=[0-9{first}])"
        rf"(?=(?<![0-9][.,]){_DAY}|{_trie(word_set)}(?!{_LETTER})|{_trie(cue_set)}(?!{_LETTER}){_WS}[0-9]{{4}})"
    )
    pattern = rf"{gate}(?:{'|'.join(branches)})"
    return _Scanner(re.compile(pattern), pattern, forms)


def find_dates(
    rules: Rules, text: str, *, languages: Sequence[str] = ("en",), default_year: int | None = None
) -> list[DateSpan]:
    """All date expressions in ``text``, non-overlapping, sorted by start, longest match preferred.

    ``languages`` selects the month names and connector words to read (rows of
    ``data/date_words.jsonl``); ``default_year`` completes dates written without a year (flagged
    ``year_inferred``); without it such dates are not returned. Raises ``ConfigError`` only for an
    unknown language; never raises because of the text.
    """
    found: list[DateSpan] = []
    for form, match in _scanner(rules, tuple(languages)).scan(text):
        found.extend(_resolve(form, match, text, default_year))
    return found


_ISO_DATE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")
_SLASH_DATE = re.compile(r"(?<![0-9/.])([0-9]{1,2})([/.])([0-9]{1,2})\2([0-9]{4})(?![0-9])")
_NUMERIC_RANGE = re.compile(r"[ \t]*(?:-{1,2}|to|au|al|a|until|hasta)[ \t]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NumericDate:
    """A numeric date in a header field: the date, or both readings when day and month can swap."""

    span: DateSpan | None
    ambiguous: tuple[date, date] | None
    start: int
    end: int


def _valid(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist or lies outside MIN_YEAR..MAX_YEAR."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _readings(match: re.Match[str]) -> tuple[date | None, date | None]:
    """(day-first, month-first) readings of a numeric date match; an ISO date reads one way."""
    if match.re is _ISO_DATE:
        found = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return found, found
    first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    return _valid(year, second, first), _valid(year, first, second)


def _first_numeric(text: str, start: int = 0) -> re.Match[str] | None:
    iso = _ISO_DATE.search(text, start)
    slash = _SLASH_DATE.search(text, start)
    if iso is not None and (slash is None or iso.start() < slash.start()):
        return iso
    return slash


def find_numeric_date(text: str) -> NumericDate | None:
    """The first numeric date in ``text`` (a header's date field), or the range it opens
    (``27.10.2014 - 28.10.2014``, both ends read in the same order); see the module docstring."""
    match = _first_numeric(text)
    if match is None:
        return None
    days = _day_range(text, match)
    if days is not None:
        return days
    day_first, month_first = _readings(match)
    tail = _NUMERIC_RANGE.match(text, match.end())
    second = _first_numeric(text, tail.end()) if tail is not None else None
    if tail is not None and second is not None and second.start() == tail.end():
        end_day_first, end_month_first = _readings(second)
        orders = [
            (a, b)
            for a, b in ((day_first, end_day_first), (month_first, end_month_first))
            if a is not None and b is not None and a <= b
        ]
        if len(set(orders)) == 1:
            begin, end = orders[0]
            span = _span(text, match.start(), second.end(), begin, end, (), "day", False, "")
            return NumericDate(span, None, match.start(), second.end())
    if day_first and month_first and day_first != month_first:
        return NumericDate(None, (day_first, month_first), match.start(), match.end())
    found = day_first or month_first
    return _numeric(match, found) if found else None


_FIRST_DAY = re.compile(r"(?<![0-9./])([0-9]{1,2})[ \t]*-{1,2}[ \t]*$")


def _day_range(text: str, match: re.Match[str]) -> NumericDate | None:
    """A range of days before one numeric date, day first (``14-16.05.2019``: 14 to 16 May 2019):
    the first day is part of the date, never left over."""
    if match.re is not _SLASH_DATE:
        return None
    first = _FIRST_DAY.search(text, 0, match.start())
    if first is None:
        return None
    end = _valid(int(match.group(4)), int(match.group(3)), int(match.group(1)))
    begin = _valid(int(match.group(4)), int(match.group(3)), int(first.group(1)))
    if begin is None or end is None or begin >= end:
        return None
    span = _span(text, first.start(1), match.end(), begin, end, (), "day", False, "")
    return NumericDate(span, None, first.start(1), match.end())


def _numeric(match: re.Match[str], found: date) -> NumericDate:
    span = _span(match.string, match.start(), match.end(), found, found, (found,), "day", False, "")
    return NumericDate(span, None, match.start(), match.end())


# ---------------------------------------------------------------- from a match to dates


def _group(match: re.Match[str], name: str, text: str) -> str | None:
    """The original text of a group (the match may have run on the lower-cased text)."""
    if name not in match.re.groupindex:
        return None
    start, end = match.span(name)
    return None if start < 0 else text[start:end]


def _span(
    text: str, start: int, end: int, first: date, last: date, days: tuple[date, ...],
    precision: Precision, inferred: bool, language: str,
) -> DateSpan:  # fmt: skip
    return DateSpan(start, end, text[start:end], first, last, days, precision, inferred, language)


def _resolve(form: _Form, match: re.Match[str], text: str, default_year: int | None) -> list[DateSpan]:
    shape, precision = _KINDS[form.kind]
    p = form.name + "_"
    if shape == "years":
        return _resolve_years(form, match, text, p)
    tok_a = _group(match, p + "m1", text) or _group(match, p + "m2", text) or ""
    tok_b = _group(match, p + "m2", text) or tok_a
    month_a, month_b = form.lang.months.get(tok_a.lower()), form.lang.months.get(tok_b.lower())
    if month_a is None or month_b is None:
        return []
    points = _points(match, text, p, shape, month_a, month_b)
    inferred = all(year is None for _, _, year in points)
    if inferred:
        doubtful = any(t.lower() in form.lang.ambiguous and not t[:1].isupper() for t in (tok_a, tok_b))
        if default_year is None or doubtful:
            return []
        points[0] = (points[0][0], points[0][1], default_year)
    dates = _calendar_dates(points)
    if dates is None:
        return []
    start, end = match.span(form.name)
    if precision == "month" and _NUMBER_BEFORE.search(text, max(0, start - 8), start):
        return []  # "32 July 2016": an impossible day, not the month
    if text[end - 1] == ".":
        end -= 1
    if shape == "range" and dates[0] > dates[-1]:
        return []
    first, last, days = _extent(dates, shape, precision)
    return [_span(text, start, end, first, last, days, precision, inferred, form.lang.code)]


def _points(
    match: re.Match[str], text: str, p: str, shape: str, month_a: int, month_b: int
) -> list[tuple[int, int, int | None]]:
    """The (month, day, year) points a day expression writes; a year not written is None."""
    year_a, year_b = _group(match, p + "y1", text), _group(match, p + "y2", text)
    if (listed := _group(match, p + "days", text)) is not None:
        numbers = [int(n) for n in _DIGITS.findall(listed)]
        last_year = year_b or year_a
        points: list[tuple[int, int, int | None]] = [(month_a, n, None) for n in numbers[:-1]]
        points.append((month_a, numbers[-1], int(last_year) if last_year else None))
        return points
    d1, d2 = _group(match, p + "d1", text), _group(match, p + "d2", text)
    points = [(month_a, int(d1 or 1), int(year_a) if year_a else None)]
    if shape != "single":
        points.append((month_b, int(d2 or 1), int(year_b) if year_b else None))
    return points


def _calendar_dates(points: list[tuple[int, int, int | None]]) -> list[date] | None:
    """The points as dates, their missing years filled in; None when a year is out of range or a day
    does not exist."""
    years = _fill_years(points)
    if any(not MIN_YEAR <= year <= MAX_YEAR for year in years):
        return None
    try:
        return [date(year, month, day) for (month, day, _), year in zip(points, years, strict=True)]
    except ValueError:
        return None


def _extent(dates: list[date], shape: str, precision: str) -> tuple[date, date, tuple[date, ...]]:
    """First and last day, and the days listed (a month's last day for month precision)."""
    first, last = min(dates), max(dates)
    if precision == "month":
        last = date(last.year, last.month, calendar.monthrange(last.year, last.month)[1])
        return first, last, ()
    if shape == "list":
        return first, last, tuple(sorted(set(dates)))
    return first, last, (first,) if first == last else (first, last)


def _fill_years(points: list[tuple[int, int, int | None]]) -> list[int]:
    """Complete missing years from the neighbours: the written year closes the expression
    ("30 December - 2 January 2020" starts in 2019), an earlier year carries forward; only a change
    to an earlier month crosses a year ("13 to 11 September 2019" stays a backward range)."""
    years = [year for _, _, year in points]
    for i in range(len(points) - 2, -1, -1):
        after = years[i + 1]
        if years[i] is None and after is not None:
            years[i] = after - (1 if points[i][0] > points[i + 1][0] else 0)
    for i in range(1, len(points)):
        before = years[i - 1]
        if years[i] is None and before is not None:
            years[i] = before + (1 if points[i][0] < points[i - 1][0] else 0)
    return [year if year is not None else 0 for year in years]


def _resolve_years(form: _Form, match: re.Match[str], text: str, p: str) -> list[DateSpan]:
    code = form.lang.code
    start, end = match.span(p + "y1")
    first = int(text[start:end])
    if (second := _group(match, p + "y2", text)) is not None:
        last = int(second)
        if not MIN_YEAR <= first <= last <= MAX_YEAR:
            return []
        end = match.end(p + "y2")
        return [_span(text, start, end, date(first, 1, 1), date(last, 12, 31), (), "year", False, code)]
    found = [(start, end)]
    if _group(match, p + "more", text) is not None:
        more_start, more_end = match.span(p + "more")
        found.extend(m.span() for m in _DIGITS.finditer(text, more_start, more_end))
    spans: list[DateSpan] = []
    for s, e in found:
        year = int(text[s:e])
        if MIN_YEAR <= year <= MAX_YEAR:
            spans.append(_span(text, s, e, date(year, 1, 1), date(year, 12, 31), (), "year", False, code))
    return spans
