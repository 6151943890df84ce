"""Stage 3: the event — title, kind, dates and venue.

Contract: :func:`extract_event` reads the header fields found by :mod:`note_extract.layout.layout`. The title
is the ``title`` field with markup gone and whitespace collapsed; the kind is the earliest kind word of
``data/event_kinds.jsonl`` in it. Dates come from the date field (``date_venue`` or ``date``) through
:func:`note_extract.event.dates.find_dates`; venue parts are what the field holds besides the date: the last
part that is a country gives the country, the part before it the city, anything earlier the place.
Words of ``data/venue.jsonl`` mark a virtual event. With no header date, the first date the text
says the event "took place" or "was held" on is used and ``found_in`` is ``text``; the venue is then
read from that sentence ("travelled to Georgetown, Guyana") and the sentence is returned as the
:class:`EventContext` for the roles stage. It never invents a value: what is missing stays null and
becomes a finding.

The stage works in clean text alone: it returns an :class:`EventDraft` (clean spans) and its
:class:`~note_extract.core.findings.Finding` list; the assembly step maps spans and words the issues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from note_extract.core.findings import Finding, finding
from note_extract.core.models import EventKind, Precision
from note_extract.core.spans import CleanSpan
from note_extract.event.dates import DateSpan, NumericDate, find_dates, find_numeric_date
from note_extract.event.places import find_venue
from note_extract.event.prose import ProseEvent, read_prose
from note_extract.event.venue_parts import lead_words, split_country_tail, unaccounted
from note_extract.event.vocab import kind_pattern, virtual_pattern
from note_extract.event.whole import WholeDate, whole_date
from note_extract.layout.layout import HeaderField, Layout
from note_extract.lexicon.countries import CountryIndex
from note_extract.lexicon.entities import Hit
from note_extract.lexicon.gazetteer import gazetteer
from note_extract.rules.bundle import Rules

_QUOTES = "\"'"


def event_kind(rules: Rules, title: str | None) -> EventKind:
    """The kind named earliest in the title, or ``other``."""
    if not title:
        return "other"
    pattern, table = kind_pattern(rules)
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
_VENUE_PIECE = re.compile(r"[^,;\n()]+")


@dataclass(frozen=True, slots=True)
class EventContext:
    """Where a note's event was read from its prose: the clean-text sentence that reports it, the venue
    found (all ``[start, end)`` in clean text), the sentences that speak of the event, those where
    participants may be named, and the venue's country (for the roles stage)."""

    sentence: CleanSpan
    venue: CleanSpan | None
    related: tuple[CleanSpan, ...] = ()
    reported: tuple[CleanSpan, ...] = ()
    venue_country: str | None = None


@dataclass(frozen=True, slots=True)
class VenueDraft:
    """The venue in clean text (the record's ``text`` is the raw text at ``span``)."""

    span: CleanSpan | None = None
    place: str | None = None
    city: str | None = None
    country: str | None = None
    country_code: str | None = None
    country_source: Literal["written", "gazetteer", "government"] | None = None
    virtual: bool = False

    @property
    def named(self) -> bool:
        """True when the venue names a city or a country."""
        return self.city is not None or self.country is not None


@dataclass(frozen=True, slots=True)
class EventDates:
    """The event's dates and where they are written."""

    start: date
    end: date | None
    days: tuple[date, ...]
    precision: Precision
    year_inferred: bool
    text: str
    span: CleanSpan


@dataclass(frozen=True, slots=True)
class EventDraft:
    """The event as the stage found it, in clean text; see the module docstring."""

    title: str | None
    title_span: CleanSpan | None
    kind: EventKind
    venue: VenueDraft
    found_in: Literal["header", "text", "none"]
    dates: EventDates | None = None
    context: EventContext | None = None
    """Set when the event was read from prose: what the roles stage reads there."""


def _read_date(
    rules: Rules, text: str, field: HeaderField, languages: tuple[str, ...]
) -> tuple[_DateChoice | None, Finding | None]:
    """The first date of one header field, and the finding for a numeric date that reads two ways."""
    value = text[field.value_start : field.value_end]
    found = find_dates(rules, value, languages=languages)
    span = found[0] if found else None
    if span is None:
        numeric = find_numeric_date(value)
        if numeric is None:
            return None, None
        if numeric.span is None:
            return None, _ambiguous_date(field.value_start, numeric)
        span = numeric.span
    # a value listing stops ("2-3 October, Port Moresby; 5 October, Suva") is read in the date's stop
    lo, hi = value.rfind(";", 0, span.start) + 1, value.find(";", span.end) % (len(value) + 1)
    bounds = CleanSpan(field.value_start + lo, field.value_start + hi)
    whole = whole_date(rules, text, span, bounds, languages, offset=field.value_start, elsewhere=True)
    choice = _DateChoice(whole.span, field.value_start, "header", _open_end(value, whole.span))
    return choice, _partial_date(value, field.value_start, whole)


def _partial_date(value: str, offset: int, whole: WholeDate) -> Finding | None:
    """The finding for date material of a field's value that the date read did not consume."""
    if not whole.leftover:
        return None
    left = " ... ".join(" ".join(value[a:b].split()) for a, b in whole.leftover)
    span = CleanSpan(offset, offset + len(value.rstrip()))
    return finding("date-partial", span, read=" ".join(whole.span.text.split()), left=left)


def _open_end(value: str, span: DateSpan) -> bool:
    """True for a single day followed by a range connector and nothing readable ("14 March 2016 -",
    "14 March 2016 - ?"); a connector before words is a separator ("14 March 2016 - Vienna")."""
    return span.start_date == span.end_date and _DANGLING_RANGE.match(value, span.end) is not None


def _start_end(
    rules: Rules, text: str, layout: Layout, languages: tuple[str, ...]
) -> tuple[_DateChoice | None, CleanSpan | None, Finding | None]:
    """Separate ``Start date`` and ``End date`` fields read as one range; their bounds are returned only
    when no date could be read (they hold no venue)."""
    first, last = layout.first("start_date"), layout.first("end_date")
    if first is None:
        return None, None, None
    begin, doubt = _read_date(rules, text, first, languages)
    if begin is None:
        return None, CleanSpan(first.value_start, (last or first).value_end), doubt
    end, end_doubt = _read_date(rules, text, last, languages) if last is not None else (None, None)
    if end is None or end.span.end_date < begin.span.start_date:
        return _DateChoice(begin.span, begin.offset, "header", True), None, doubt or end_doubt
    a = begin.offset + begin.span.start
    b = end.offset + end.span.end
    span = DateSpan(
        0, b - a, text[a:b], begin.span.start_date, end.span.end_date, (), "day", False, begin.span.language
    )
    written = f"{begin.span.text} - {end.span.text}"
    return _DateChoice(span, a, "header", text=" ".join(written.split())), None, doubt or end_doubt


def _header_date(
    rules: Rules, text: str, layout: Layout, languages: tuple[str, ...]
) -> tuple[_DateChoice | None, CleanSpan | None, Finding | None]:
    """The header's date, the bounds of its field, and the finding for a numeric date that reads two
    ways ("11/05/2015")."""
    field = layout.first("date_venue") or layout.first("date")
    if field is None:
        return _start_end(rules, text, layout, languages)
    choice, doubt = _read_date(rules, text, field, languages)
    return choice, CleanSpan(field.value_start, field.value_end), doubt


def _ambiguous_date(offset: int, numeric: NumericDate) -> Finding | None:
    """The finding for a header date whose day and month can swap."""
    if numeric.ambiguous is None:
        return None
    day_first, month_first = numeric.ambiguous
    span = CleanSpan(offset + numeric.start, offset + numeric.end)
    return finding(
        "date-ambiguous", span, day_first=day_first.isoformat(), month_first=month_first.isoformat()
    )


def _venue_segment(text: str, bounds: CleanSpan, date: _DateChoice | None) -> CleanSpan:
    """The part of a venue value that belongs to the event's date: values listing several stops
    ("2-3 October, Port Moresby, Papua New Guinea; 5 October, Suva, Fiji") are cut at ";" and the
    part holding the date (else the first) is read."""
    start, end = bounds
    cuts = [m.start() for m in re.finditer(";", text[start:end])]
    if not cuts:
        return bounds
    edges = [start, *(start + c for c in cuts), end]
    segments = [CleanSpan(edges[i] + (i > 0), edges[i + 1]) for i in range(len(edges) - 1)]
    if date is not None and date.found_in == "header":
        at = date.offset + date.span.start
        for segment in segments:
            if segment.start <= at < segment.end:
                return segment
    return next((segment for segment in segments if text[segment.start : segment.end].strip()), bounds)


def _venue_parts(
    text: str, start: int, end: int, removed: list[CleanSpan], lead: re.Pattern[str]
) -> list[CleanSpan]:
    """The comma-separated parts of a venue value, less the removed spans (its date, "online"), each
    trimmed of punctuation and of the words that open it without naming a place (``lead``: "in Lima",
    "From" left by a date); only parts that start with a capital are kept."""
    parts: list[CleanSpan] = []
    cursor = start
    for a, b in [*sorted(removed), CleanSpan(end, end)]:
        for piece in _VENUE_PIECE.finditer(text, cursor, max(cursor, a)):
            pa, pb = piece.span()
            while pa < pb and text[pa] in " .-()\"'":
                pa += 1
            while pb > pa and text[pb - 1] in " .-()\"':":
                pb -= 1
            joiner = _TRAILING_JOINER.search(text, pa, pb)  # "Barbados and" [online]
            if joiner is not None:
                pb = joiner.start()
            opener = lead.match(text, pa, pb)
            if opener is not None and (opener.end() >= pb or text[opener.end()].isupper()):
                pa = opener.end()
            if pb > pa and text[pa].isupper():
                parts.append(CleanSpan(pa, pb))
        cursor = max(cursor, b)
    return parts


def _country_part(
    text: str, parts: list[CleanSpan], hits: list[Hit], countries: CountryIndex
) -> tuple[int | None, str | None]:
    """The index of the last part that is a country (by name, or covered by a country hit), and its
    code."""
    for index in range(len(parts) - 1, -1, -1):
        a, b = parts[index]
        code = countries.lookup(text[a:b])
        if code is None:
            covering = [h for h in hits if h.kind == "country" and h.start <= a + 1 and b - 1 <= h.end]
            code = covering[0].key if covering else None
        if code is not None:
            return index, code
    return None, None


def _header_venue(
    rules: Rules,
    text: str,
    bounds: CleanSpan | None,
    date: _DateChoice | None,
    hits: list[Hit],
    countries: CountryIndex,
    layout: Layout,
) -> tuple[VenueDraft, bool]:
    """The venue of the header, and whether the value names other places besides it."""
    venue_field = layout.first("venue")
    if venue_field is not None:
        bounds = CleanSpan(venue_field.value_start, venue_field.value_end)
    if bounds is None:
        return VenueDraft(), False
    start, end = _venue_segment(text, bounds, date)
    elsewhere = any(
        h.kind == "country" and bounds[0] <= h.start < bounds[1] and not start <= h.start < end for h in hits
    )
    removed: list[CleanSpan] = []
    if date is not None and date.found_in == "header" and start <= date.offset + date.span.start < end:
        removed.append(CleanSpan(date.offset + date.span.start, date.offset + date.span.end))
    virtual = False
    for match in virtual_pattern(rules).finditer(text, start, end):
        virtual = True
        removed.append(CleanSpan(*match.span()))
    parts = _venue_parts(text, start, end, removed, lead_words(rules))
    parts = split_country_tail(text, parts, hits, countries)
    if not parts:
        return VenueDraft(virtual=virtual), elsewhere
    return _venue_of_parts(text, parts, hits, countries, virtual), elsewhere


def _venue_of_parts(
    text: str, parts: list[CleanSpan], hits: list[Hit], countries: CountryIndex, virtual: bool
) -> VenueDraft:
    """The venue the parts of a header value name: the last country part gives the country, the part
    before it the city ("Kenya, Nairobi": the part after), anything earlier the place."""
    country_index, code = _country_part(text, parts, hits, countries)
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
    return VenueDraft(
        span=CleanSpan(parts[0][0], last_end),
        place=place,
        city=city,
        country=countries.name(code) if code else None,
        country_code=code,
        virtual=virtual,
    )


def _venue_partial(rules: Rules, text: str, venue: VenueDraft, hits: list[Hit]) -> list[Finding]:
    """The finding for a header venue whose city part names a country too ("Peru and Quito" read as
    the city of "Lima, Peru and Quito, Ecuador"): the value names more than the venue read."""
    if venue.span is None or venue.city is None:
        return []
    a, b = venue.span
    at = text.find(venue.city.split()[0], a, b)
    end = at + len(venue.city.split()[-1])
    for word in venue.city.split()[1:]:
        end = text.find(word, end - len(word) if word == venue.city.split()[0] else end) + len(word)
    city = CleanSpan(at, end) if at >= 0 and end <= b else None
    left = unaccounted(text, city, hits, venue.city in gazetteer(rules))
    if left is None:
        return []
    return [finding("venue-partial", venue.span, city=venue.city, country=venue.country or "none", left=left)]


def _prose_venue(
    rules: Rules, text: str, prose: ProseEvent, hits: list[Hit], countries: CountryIndex
) -> tuple[VenueDraft, Finding | None]:
    """The venue the event's sentences give, and the finding when the gazetteer or the government
    supplied the country."""
    assert prose.sentence is not None
    virtual = virtual_pattern(rules).search(text, *prose.sentence) is not None
    found = find_venue(rules, text, prose.place_sentences(), hits, countries)
    if found is None or (found.city is None and found.country is None and found.country_code is None):
        return VenueDraft(virtual=virtual), None
    parts = [p for p in (found.city, found.country) if p is not None]
    if found.city is not None and found.country is not None and _apart(found.city, found.country):
        parts = [found.city]  # the city named apart from its country ("gathered in Lusaka"): the city
    span = CleanSpan(min(p[0] for p in parts), max(p[1] for p in parts))
    code = found.country_code
    city = " ".join(text[found.city[0] : found.city[1]].split()) if found.city else None
    if city is not None and city.isupper():  # a dateline's "NAIROBI"
        city = city.title()
    country = countries.name(code) if code else None
    venue = VenueDraft(
        span=span,
        city=city,
        country=country,
        country_code=code,
        country_source=found.country_method if code else None,
        virtual=virtual,
    )
    doubt = None
    if found.country_method in ("gazetteer", "government") and code is not None:
        doubt = finding(
            "venue-country-inferred", span, variant=found.country_method, city=city, country=country
        )
    return venue, doubt


_VENUE_REACH = 40
"""City and country further apart than this are not one venue as written."""


def _apart(a: CleanSpan, b: CleanSpan) -> bool:
    return max(a[0], b[0]) - min(a[1], b[1]) > _VENUE_REACH


def _prose_date(prose: ProseEvent) -> tuple[_DateChoice | None, list[Finding]]:
    """The event date read from prose, and the findings that say how it was read."""
    if prose.date is None:
        if prose.year_unknown is None:
            return None, []
        return None, [
            finding("date-year-unknown", CleanSpan(prose.year_unknown.start, prose.year_unknown.end))
        ]
    span = CleanSpan(prose.date.start, prose.date.end)
    found = [finding("date-from-text", span)]
    if prose.year_source not in (None, "written"):
        found.append(
            finding("date-year-inferred", span, year=prose.date.start_date.year, source=prose.year_source)
        )
    if prose.duration_days is not None:
        found.append(finding("date-end-from-duration", span, days=prose.duration_days))
    return _DateChoice(prose.date, 0, "text"), found


_PROSE_REACH = 160
"""How far around a date read in prose its run of date material is looked for."""


def _whole_prose_date(
    rules: Rules, text: str, date: _DateChoice, languages: tuple[str, ...], found: list[Finding]
) -> _DateChoice:
    """The date read from prose widened to the whole expression it stands in ("14-15 and 17 May 2019"
    read as "15 and 17 May 2019"), or kept with a ``date-partial`` finding naming what no reading
    consumed."""
    span = date.span
    bounds = CleanSpan(max(0, span.start - _PROSE_REACH), min(len(text), span.end + _PROSE_REACH))
    whole = whole_date(rules, text, span, bounds, languages)
    if whole.leftover:
        a = min(span.start, whole.leftover[0][0])
        b = max(span.end, whole.leftover[-1][1])
        left = WholeDate(span, tuple(CleanSpan(x - a, y - a) for x, y in whole.leftover))
        found.extend(f for f in (_partial_date(text[a:b], a, left),) if f is not None)
    if whole.span is span:
        return date
    return replace(date, span=whole.span)


def _header_title(text: str, layout: Layout) -> tuple[str | None, CleanSpan | None]:
    """The title field's value, quotes gone and whitespace collapsed, and its span."""
    title_field = layout.first("title")
    if title_field is None or title_field.value_end <= title_field.value_start:
        return None, None
    a, b = title_field.value_start, title_field.value_end
    while a < b and text[a] in _QUOTES:
        a += 1
    while b > a and text[b - 1] in _QUOTES:
        b -= 1
    title = " ".join(text[a:b].split()) or None
    return title, CleanSpan(a, b)


def _prose_start(date: _DateChoice | None, layout: Layout) -> int | None:
    """Where the event's prose is read from, or None when the header says enough: after the header
    when it gives no date; from the top when it labels only dates and place ("Start Date: ...",
    "Location: ..."), or names neither title nor organizers (its text reports the rest)."""
    dates_only = date is not None and all(f.field in _DATE_FIELDS for f in layout.fields)
    unnamed = layout.first("title") is None and layout.first("organizers") is None
    if dates_only or unnamed:
        return 0
    return layout.header_end if date is None else None


def _venue_findings(venue: VenueDraft, bounds: CleanSpan | None) -> list[Finding]:
    """What the venue lacks: a place at all, or its country."""
    if not venue.named and not venue.virtual:
        return [finding("venue-missing", bounds)]
    if venue.country is None and not venue.virtual:
        return [finding("venue-country-missing", venue.span)]
    return []


def _event_dates(text: str, date: _DateChoice) -> EventDates:
    """The record's dates from the chosen date."""
    d = date.span
    span = CleanSpan(date.offset + d.start, date.offset + d.end)
    return EventDates(
        start=d.start_date,
        end=None if date.open_end else d.end_date,
        days=d.days if len(d.days) > 2 else (),
        precision=d.precision,
        year_inferred=d.year_inferred,
        text=date.text or " ".join(text[span.start : span.end].split()),
        span=span,
    )


def extract_event(
    rules: Rules,
    text: str,
    layout: Layout,
    hits: list[Hit],
    countries: CountryIndex,
    languages: tuple[str, ...],
) -> tuple[EventDraft, list[Finding]]:
    """The event of a note's clean ``text`` and the findings about it; see the module docstring."""
    found: list[Finding] = []
    title, title_span = _header_title(text, layout)
    date, bounds, ambiguous = _header_date(rules, text, layout, languages)
    if ambiguous is not None:
        found.append(ambiguous)
    elif date is None and bounds is not None:
        found.append(finding("date-unparsed", bounds))
    prose = None
    prose_start = _prose_start(date, layout)
    if prose_start is not None:
        prose, date, title, title_span = _read_from_prose(
            rules, text, prose_start, languages, hits, _Known(date, title, title_span), found
        )
    if title is None:
        found.insert(0, finding("title-missing"))
    if date is None and bounds is None and (prose is None or prose.year_unknown is None):
        found.append(finding("date-missing"))
    venue, context = _venue_and_context(rules, text, bounds, date, hits, countries, layout, prose, found)
    kind = event_kind(rules, title)
    if kind == "other" and context is not None:
        kind = event_kind(rules, text[context.sentence[0] : context.sentence[1]])
    if date is not None and date.open_end:
        span = CleanSpan(date.offset + date.span.start, date.offset + date.span.end)
        found.append(finding("date-range-end-missing", span))
    found_in: Literal["header", "text", "none"] = (
        date.found_in if date is not None else ("header" if layout.fields else "none")
    )
    event = EventDraft(
        title=title,
        title_span=title_span,
        kind=kind,
        venue=venue,
        found_in=found_in,
        dates=_event_dates(text, date) if date is not None else None,
        context=context,
    )
    return event, found


@dataclass(frozen=True, slots=True)
class _Known:
    """What the header gave before the prose is read: its date and its title."""

    date: _DateChoice | None
    title: str | None
    title_span: CleanSpan | None


def _read_from_prose(
    rules: Rules,
    text: str,
    prose_start: int,
    languages: tuple[str, ...],
    hits: list[Hit],
    known: _Known,
    found: list[Finding],
) -> tuple[ProseEvent, _DateChoice | None, str | None, CleanSpan | None]:
    """Read the prose from ``prose_start``; it gives the date and the title the header did not give
    (the findings about the date are appended to ``found``)."""
    date, title, title_span = known.date, known.title, known.title_span
    orgs = tuple(h.span for h in hits if h.kind == "org")
    prose = read_prose(rules, text, prose_start, languages, orgs)
    if date is None:
        date, prose_findings = _prose_date(prose)
        found.extend(prose_findings)
        if date is not None:
            date = _whole_prose_date(rules, text, date, languages, found)
    if title is None and prose.title is not None:
        title_span = prose.title
        title = " ".join(text[title_span.start : title_span.end].split())
    return prose, date, title, title_span


def _venue_and_context(
    rules: Rules,
    text: str,
    bounds: CleanSpan | None,
    date: _DateChoice | None,
    hits: list[Hit],
    countries: CountryIndex,
    layout: Layout,
    prose: ProseEvent | None,
    found: list[Finding],
) -> tuple[VenueDraft, EventContext | None]:
    """The venue (the header's, else the prose's when the header names none) and the prose context for
    the roles stage; the findings about the venue are appended to ``found``."""
    venue, elsewhere = _header_venue(rules, text, bounds, date, hits, countries, layout)
    if elsewhere and venue.span is not None:
        found.append(finding("venue-several", venue.span))
    found.extend(_venue_partial(rules, text, venue, hits))
    context = None
    if prose is not None and prose.sentence is not None:
        prose_venue = None
        if venue.span is None and not venue.virtual and layout.first("venue") is None:
            venue, doubt = _prose_venue(rules, text, prose, hits, countries)
            found.extend([doubt] if doubt is not None else [])
            prose_venue = venue.span
        context = EventContext(prose.sentence, prose_venue, prose.related, prose.reported, venue.country_code)
    found.extend(_venue_findings(venue, bounds))
    return venue, context
