"""Stage 3: the event — title, kind, dates and venue.

Contract: :func:`extract_event` reads the header fields found by :mod:`note_extract.layout`. The title
is the ``title`` field with markup gone and whitespace collapsed; the kind is the earliest kind word of
``data/event_kinds.jsonl`` in it. Dates come from the date field (``date_venue`` or ``date``) through
:func:`note_extract.dates.find_dates`; venue parts are what the field holds besides the date: the last
part that is a country gives the country, the part before it the city, anything earlier the place.
Words of ``data/venue.jsonl`` mark a virtual event. With no header date, the first date the text
says the event "took place" or "was held" on is used and ``found_in`` is ``text``; the venue is then
read from that sentence ("travelled to Georgetown, Guyana") and the sentence is returned as the
:class:`EventContext` for the roles stage. It never invents a value: what is missing stays null and
becomes an issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .dates import DateSpan, NumericDate, find_dates, find_numeric_date
from .entities import Hit
from .layout import HeaderField, Layout
from .models import Event, EventKind, Issue, Venue
from .normalize import Normalized
from .places import find_venue
from .prose import ProseEvent, read_prose
from .refs import RefMaker
from .rules import Rules, derived


class KindRow(BaseModel):
    """One row of ``data/event_kinds.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: EventKind
    words: tuple[str, ...]


class VenueRow(BaseModel):
    """One row of ``data/venue.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["virtual"]
    words: tuple[str, ...]


@derived
def _kind_pattern(rules: Rules) -> tuple[re.Pattern[str], dict[str, EventKind]]:
    table: dict[str, EventKind] = {}
    for row in rules.rows("event_kinds.jsonl", KindRow):
        for word in row.words:
            table.setdefault(word.casefold(), row.kind)
    words = sorted(table, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE), table


@derived
def _virtual_pattern(rules: Rules) -> re.Pattern[str]:
    words = [w for row in rules.rows("venue.jsonl", VenueRow) for w in row.words]
    return re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )


class NarrativeRow(BaseModel):
    """One row of ``data/narrative.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    weight: int
    words: tuple[str, ...]


def kind_words(rules: Rules) -> dict[str, EventKind]:
    """Every event-kind word of ``data/event_kinds.jsonl`` (case-folded) and its kind."""
    return _kind_pattern(rules)[1]


@derived
def narrative_cues(rules: Rules) -> tuple[tuple[re.Pattern[str], int], ...]:
    """The weighted cue patterns of ``data/narrative.jsonl``."""
    rows = rules.rows("narrative.jsonl", NarrativeRow)
    return tuple(
        (re.compile(r"\b(?:" + "|".join(re.escape(w) for w in row.words) + r")\b", re.IGNORECASE), row.weight)
        for row in rows
    )


_QUOTES = "\"'"


def event_kind(rules: Rules, title: str | None) -> EventKind:
    """The kind named earliest in the title, or ``other``."""
    if not title:
        return "other"
    pattern, table = _kind_pattern(rules)
    match = pattern.search(title)
    return table[match.group(0).casefold()] if match else "other"


@dataclass(frozen=True, slots=True)
class _DateChoice:
    span: DateSpan
    offset: int
    found_in: Literal["header", "text"]
    open_end: bool = False
    """A range whose end could not be read: the end date is left empty and reported."""
    text: str | None = None
    """The date as written when it is not one stretch of text (separate start and end fields)."""


_DATE_FIELDS = frozenset({"date", "start_date", "end_date"})
_TRAILING_JOINER = re.compile(r"\s+(?:and|or|et|ou|y|o|e)$", re.IGNORECASE)
_DANGLING_RANGE = re.compile(
    r"[ \t]*(?:-{1,2}|to|until|till|through|au|jusqu'au|al|hasta)[ \t]*(?:$|[^\w\s(])", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class EventContext:
    """Where a note's event was read from its prose: the clean-text sentence that reports it, the venue
    found (all ``[start, end)`` in clean text), the sentences that speak of the event, those where
    participants may be named, and the venue's country (for the roles stage)."""

    sentence: tuple[int, int]
    venue: tuple[int, int] | None
    related: tuple[tuple[int, int], ...] = ()
    reported: tuple[tuple[int, int], ...] = ()
    venue_country: str | None = None


def _read_date(
    rules: Rules, note: Normalized, field: HeaderField, languages: tuple[str, ...]
) -> tuple[_DateChoice | None, Issue | None]:
    """The first date of one header field, and the issue for a numeric date that reads two ways."""
    value = note.text[field.value_start : field.value_end]
    found = find_dates(rules, value, languages=languages)
    if found:
        return _DateChoice(found[0], field.value_start, "header", _open_end(value, found[0])), None
    numeric = find_numeric_date(value)
    if numeric is None:
        return None, None
    if numeric.span is not None:
        return _DateChoice(numeric.span, field.value_start, "header", _open_end(value, numeric.span)), None
    return None, _ambiguous_date(note, field.value_start, numeric)


def _open_end(value: str, span: DateSpan) -> bool:
    """True for a single day followed by a range connector and nothing readable ("14 March 2016 -",
    "14 March 2016 - ?"); a connector before words is a separator ("14 March 2016 - Vienna")."""
    return span.start_date == span.end_date and _DANGLING_RANGE.match(value, span.end) is not None


def _start_end(
    rules: Rules, note: Normalized, layout: Layout, languages: tuple[str, ...]
) -> tuple[_DateChoice | None, tuple[int, int] | None, Issue | None]:
    """Separate ``Start date`` and ``End date`` fields read as one range; their bounds are returned only
    when no date could be read (they hold no venue)."""
    first, last = layout.first("start_date"), layout.first("end_date")
    if first is None:
        return None, None, None
    begin, issue = _read_date(rules, note, first, languages)
    if begin is None:
        return None, (first.value_start, (last or first).value_end), issue
    end, end_issue = _read_date(rules, note, last, languages) if last is not None else (None, None)
    if end is None or end.span.end_date < begin.span.start_date:
        return _DateChoice(begin.span, begin.offset, "header", True), None, issue or end_issue
    a = begin.offset + begin.span.start
    b = end.offset + end.span.end
    text = note.text[a:b]
    span = DateSpan(
        0, b - a, text, begin.span.start_date, end.span.end_date, (), "day", False, begin.span.language
    )
    written = f"{begin.span.text} - {end.span.text}"
    return _DateChoice(span, a, "header", text=" ".join(written.split())), None, None


def _header_date(
    rules: Rules, note: Normalized, layout: Layout, languages: tuple[str, ...]
) -> tuple[_DateChoice | None, tuple[int, int] | None, Issue | None]:
    """The header's date, the bounds of its field, and the issue for a numeric date that reads two
    ways ("11/05/2015")."""
    field = layout.first("date_venue") or layout.first("date")
    if field is None:
        return _start_end(rules, note, layout, languages)
    choice, issue = _read_date(rules, note, field, languages)
    return choice, (field.value_start, field.value_end), issue


def _ambiguous_date(note: Normalized, offset: int, numeric: NumericDate) -> Issue | None:
    """The issue for a header date whose day and month can swap."""
    if numeric.ambiguous is None:
        return None
    day_first, month_first = numeric.ambiguous
    span = note.raw_span(offset + numeric.start, offset + numeric.end)
    return Issue(
        code="date-ambiguous",
        severity="error",
        span=span,
        message=f'"{note.raw[span[0] : span[1]]}" reads as {day_first.isoformat()} (day first) or '
        f"{month_first.isoformat()} (month first)",
        hint="write the month as a word, e.g. 11 May 2015",
    )


def _venue_segment(text: str, bounds: tuple[int, int], date: _DateChoice | None) -> tuple[int, int]:
    """The part of a venue value that belongs to the event's date: values listing several stops
    ("2-3 October, Port Moresby, Papua New Guinea; 5 October, Suva, Fiji") are cut at ";" and the
    part holding the date (else the first) is read."""
    start, end = bounds
    cuts = [m.start() for m in re.finditer(";", text[start:end])]
    if not cuts:
        return bounds
    edges = [start, *(start + c for c in cuts), end]
    segments = [(edges[i] + (i > 0), edges[i + 1]) for i in range(len(edges) - 1)]
    if date is not None and date.found_in == "header":
        at = date.offset + date.span.start
        for a, b in segments:
            if a <= at < b:
                return a, b
    return next(((a, b) for a, b in segments if text[a:b].strip()), bounds)


def _venue(
    rules: Rules,
    note: Normalized,
    bounds: tuple[int, int] | None,
    date: _DateChoice | None,
    hits: list[Hit],
    maker: RefMaker,
    layout: Layout,
) -> tuple[Venue, bool]:
    """The venue, and whether the value names other places besides it."""
    venue_field = layout.first("venue")
    if venue_field is not None:
        bounds = (venue_field.value_start, venue_field.value_end)
    if bounds is None:
        return Venue(text=None), False
    text = note.text
    start, end = _venue_segment(text, bounds, date)
    elsewhere = any(
        h.kind == "country" and bounds[0] <= h.start < bounds[1] and not start <= h.start < end for h in hits
    )
    removed: list[tuple[int, int]] = []
    if date is not None and date.found_in == "header" and start <= date.offset + date.span.start < end:
        removed.append((date.offset + date.span.start, date.offset + date.span.end))
    virtual = False
    for match in _virtual_pattern(rules).finditer(text, start, end):
        virtual = True
        removed.append(match.span())
    parts: list[tuple[int, int]] = []
    cursor = start
    for a, b in [*sorted(removed), (end, end)]:
        for piece in re.finditer(r"[^,;\n()]+", text[cursor:a]):
            pa, pb = cursor + piece.start(), cursor + piece.end()
            while pa < pb and text[pa] in " .-()\"'":
                pa += 1
            while pb > pa and text[pb - 1] in " .-()\"':":
                pb -= 1
            joiner = _TRAILING_JOINER.search(text, pa, pb)  # "Barbados and" [online]
            if joiner is not None:
                pb = joiner.start()
            if pb > pa and text[pa].isupper():
                parts.append((pa, pb))
        cursor = max(cursor, b)
    if not parts:
        return Venue(text=None, virtual=virtual), elsewhere
    country_index = None
    code = None
    for index in range(len(parts) - 1, -1, -1):
        a, b = parts[index]
        code = maker.countries.lookup(text[a:b])
        if code is None:
            covering = [h for h in hits if h.kind == "country" and h.start <= a + 1 and b - 1 <= h.end]
            code = covering[0].key if covering else None
        if code is not None:
            country_index = index
            break
    city = place = None
    city_index = len(parts) - 1 if country_index is None else country_index - 1
    if country_index == 0 and len(parts) > 1:  # "Kenya, Nairobi": the city follows its country
        city_index = 1
    if city_index >= 0:
        city = " ".join(text[parts[city_index][0] : parts[city_index][1]].split())
        if city_index > 0 and country_index != 0:
            place = ", ".join(" ".join(text[a:b].split()) for a, b in parts[:city_index])
    last_end = parts[-1][1]
    if text[last_end : last_end + 1] == ")" and text.count("(", parts[0][0], last_end) > text.count(
        ")", parts[0][0], last_end
    ):  # "Lomé (Togo)": the closing parenthesis belongs to the venue as written
        last_end += 1
    raw_start, raw_end = note.raw_span(parts[0][0], last_end)
    venue = Venue(
        text=note.raw[raw_start:raw_end],
        span=(raw_start, raw_end),
        place=place,
        city=city,
        country=maker.countries.name(code) if code else None,
        country_code=code,
        virtual=virtual,
    )
    return venue, elsewhere


def _prose_venue(
    rules: Rules, note: Normalized, prose: ProseEvent, hits: list[Hit], maker: RefMaker
) -> tuple[Venue, tuple[int, int] | None, Issue | None]:
    """The venue the event's sentences give, its clean span, and the info issue when the gazetteer
    supplied the country."""
    assert prose.sentence is not None
    sentences = prose.place_sentences()
    virtual = _virtual_pattern(rules).search(note.text, *prose.sentence) is not None
    found = find_venue(rules, note.text, sentences, hits, maker.countries)
    if found is None or (found.city is None and found.country is None and found.country_code is None):
        return Venue(text=None, virtual=virtual), None, None
    parts = [p for p in (found.city, found.country) if p is not None]
    start, end = min(p[0] for p in parts), max(p[1] for p in parts)
    raw_start, raw_end = note.raw_span(start, end)
    code = found.country_code
    city = " ".join(note.text[found.city[0] : found.city[1]].split()) if found.city else None
    if city is not None and city.isupper():  # a dateline's "NAIROBI"
        city = city.title()
    venue = Venue(
        text=note.raw[raw_start:raw_end],
        span=(raw_start, raw_end),
        city=city,
        country=maker.countries.name(code) if code else None,
        country_code=code,
        country_source=found.country_method if code else None,
        virtual=virtual,
    )
    issue = None
    if found.country_method in ("gazetteer", "government") and code is not None:
        why = (
            f'the text names the city "{city}" without its country; {maker.countries.name(code)} was taken '
            "from the gazetteer"
            if found.country_method == "gazetteer"
            else f"the text names no place; {maker.countries.name(code)} is the country of the government "
            "that held the event"
        )
        issue = Issue(
            code="venue-country-inferred",
            severity="info",
            span=(raw_start, raw_end),
            message=why,
            hint="write the venue as City, Country",
        )
    return venue, (start, end), issue


def _prose_date(note: Normalized, prose: ProseEvent) -> tuple[_DateChoice | None, list[Issue]]:
    """The event date read from prose, and the issues that say how it was read."""
    if prose.date is None:
        if prose.year_unknown is None:
            return None, []
        span = note.raw_span(prose.year_unknown.start, prose.year_unknown.end)
        return None, [
            Issue(
                code="date-year-unknown",
                severity="warning",
                span=span,
                message=f'the event date "{note.raw[span[0] : span[1]]}" has no year, and the text gives no '
                "way to know it; the date is left empty",
                hint="write the year with the date",
            )
        ]
    span = note.raw_span(prose.date.start, prose.date.end)
    issues = [
        Issue(
            code="date-from-text",
            severity="warning",
            span=span,
            message="the header gives no date; the event date was taken from the text",
            hint='add a "Date and venue:" line to the header',
        )
    ]
    if prose.year_source not in (None, "written"):
        issues.append(
            Issue(
                code="date-year-inferred",
                severity="info",
                span=span,
                message=f"the event date has no year; {prose.date.start_date.year} was taken from the "
                f"{prose.year_source}",
                hint="write the year with the date",
            )
        )
    if prose.duration_days is not None:
        issues.append(
            Issue(
                code="date-end-from-duration",
                severity="info",
                span=span,
                message=f"the end date was counted from the stated duration ({prose.duration_days} days)",
            )
        )
    return _DateChoice(prose.date, 0, "text"), issues


def extract_event(
    rules: Rules,
    note: Normalized,
    layout: Layout,
    hits: list[Hit],
    maker: RefMaker,
    languages: tuple[str, ...],
) -> tuple[Event, list[Issue], EventContext | None]:
    """Build the event and the issues about it; see the module docstring."""
    issues: list[Issue] = []
    title_field = layout.first("title")
    title = title_span = None
    if title_field is not None and title_field.value_end > title_field.value_start:
        a, b = title_field.value_start, title_field.value_end
        while a < b and note.text[a] in _QUOTES:
            a += 1
        while b > a and note.text[b - 1] in _QUOTES:
            b -= 1
        title = " ".join(note.text[a:b].split()) or None
        title_span = note.raw_span(a, b)
    if title is None:
        issues.append(
            Issue(
                code="title-missing",
                severity="error",
                message="the note gives no event title",
                hint='add an "Event:" line to the header',
            )
        )
    date, bounds, ambiguous = _header_date(rules, note, layout, languages)
    if ambiguous is not None:
        issues.append(ambiguous)
    elif date is None and bounds is not None:
        raw_bounds = note.raw_span(*bounds)
        issues.append(
            Issue(
                code="date-unparsed",
                severity="error",
                span=raw_bounds,
                message=f'no date could be read in "{note.raw[raw_bounds[0] : raw_bounds[1]]}"',
                hint="write the date as e.g. 9-11 November 2010",
            )
        )
    prose = None
    # a page that labels only its dates and place ("Start Date: ...", "Location: ...") reports the event,
    # its name and its parties in its text
    dates_only = date is not None and all(f.field in _DATE_FIELDS for f in layout.fields)
    unnamed = layout.first("title") is None and layout.first("organizers") is None
    if date is None or dates_only or unnamed:
        orgs = tuple((h.start, h.end) for h in hits if h.kind == "org")
        prose = read_prose(
            rules, note.text, 0 if dates_only or unnamed else layout.header_end, languages, orgs
        )
        if date is None:
            date, prose_issues = _prose_date(note, prose)
            issues.extend(prose_issues)
        if title is None and prose.title is not None:
            a, b = prose.title
            title = " ".join(note.text[a:b].split())
            title_span = note.raw_span(a, b)
            issues = [i for i in issues if i.code != "title-missing"]
    if date is None and bounds is None and (prose is None or prose.year_unknown is None):
        issues.append(
            Issue(
                code="date-missing",
                severity="error",
                message="the note gives no event date",
                hint='add a "Date and venue:" line to the header',
            )
        )
    venue, elsewhere = _venue(rules, note, bounds, date, hits, maker, layout)
    if elsewhere:
        issues.append(
            Issue(
                code="venue-several",
                severity="info",
                span=venue.span,
                message=f'the note names more than one place; the venue recorded is "{venue.text}", '
                "where the event's date is",
                hint="write one venue per note, or check the recorded one",
            )
        )
    context = None
    if prose is not None and prose.sentence is not None:
        clean_venue = None
        if venue.text is None and not venue.virtual and layout.first("venue") is None:
            venue, clean_venue, venue_issue = _prose_venue(rules, note, prose, hits, maker)
            if venue_issue is not None:
                issues.append(venue_issue)
        context = EventContext(prose.sentence, clean_venue, prose.related, prose.reported, venue.country_code)
    if venue.city is None and venue.country is None and not venue.virtual:
        issues.append(
            Issue(
                code="venue-missing",
                severity="warning",
                span=note.raw_span(*bounds) if bounds else None,
                message="the note gives no venue",
                hint="add the city and country to the date and venue line, or say the event was virtual",
            )
        )
    elif venue.country is None and not venue.virtual:
        issues.append(
            Issue(
                code="venue-country-missing",
                severity="warning",
                span=venue.span,
                message=f'no country found in the venue "{venue.text}"',
                hint="write the venue as City, Country",
            )
        )
    found_in: Literal["header", "text", "none"] = (
        date.found_in if date is not None else ("header" if layout.fields else "none")
    )
    kind = event_kind(rules, title)
    if kind == "other" and context is not None:
        kind = event_kind(rules, note.text[context.sentence[0] : context.sentence[1]])
    event = Event(title=title, title_span=title_span, kind=kind, venue=venue, found_in=found_in)
    if date is not None and date.open_end:
        raw_span = note.raw_span(date.offset + date.span.start, date.offset + date.span.end)
        issues.append(
            Issue(
                code="date-range-end-missing",
                severity="warning",
                span=raw_span,
                message=f'the date "{note.raw[raw_span[0] : raw_span[1]]}" opens a range whose end '
                "could not be read; the end date is left empty",
                hint="write both ends, e.g. 14-16 March 2016",
            )
        )
    if date is not None:
        d = date.span
        raw_span = note.raw_span(date.offset + d.start, date.offset + d.end)
        event = event.model_copy(
            update={
                "start_date": d.start_date,
                "end_date": None if date.open_end else d.end_date,
                "days": list(d.days) if len(d.days) > 2 else [],
                "date_precision": d.precision,
                "year_inferred": d.year_inferred,
                "date_text": date.text
                or " ".join(note.text[date.offset + d.start : date.offset + d.end].split()),
                "date_span": raw_span,
            }
        )
    return event, issues, context
