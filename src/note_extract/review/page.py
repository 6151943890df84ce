"""One note's review page: the raw text, a summary of the record, and every extracted span highlighted.

Contract: :func:`highlights` lists the spans a record names — title, date, venue, each role,
participant groups and members, every mention, and issue spans — one :class:`Highlight` per distinct
``[start, end)``, carrying every field that names it (its colour is that of its first visible kind in
:data:`KINDS` order). :func:`note_page` writes the page: the raw text once, HTML-escaped (a carriage
return as ``&#13;`` so the browser keeps it), and one JSON table (``<script type="application/json">``,
``<`` written ``\\u003c``; a kind is its number in :data:`KINDS`, which ``note.js`` lists in the same
order) of the page's entities (name, id, acronym, type, once per identity) and of
its highlights in order (``[start - previous start, length, kinds, entity, words, ...]``: one triple per thing
said of the span, ``kinds`` a kind's number or a list of them, ``entity`` -1 for none, ``words`` a
number in the words table, or for an issue (entity -2) its number in the page's issue list).
``assets/note.js`` turns the table into nested ``<mark>`` elements (a span that crosses another is
split into pieces sharing ``data-h``; the first piece has ``id="h-START-END"`` for issue and proposal
links) and shows a highlight's details next to it, inside the viewport, on hover, focus and tap.
The summary lists the record's fields and every role with its ids (and confidence where the record
has one); the legend lists only the kinds present, with counts, as toggles. Every word a person reads
is written for a person ("not in the registry; nearest: OSCE Forum (60%)"), never an internal value.
The page links the record file (``record_href``) instead of copying it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

from note_extract.core.models import EntityRef, Event, NoteRecord
from note_extract.core.text import name_key

KINDS: tuple[tuple[str, str], ...] = (
    ("title", "title"),
    ("date", "event date"),
    ("venue", "venue"),
    ("organizer", "organizer"),
    ("sponsor", "sponsor"),
    ("host", "host"),
    ("observer", "observer"),
    ("participant", "participant"),
    ("org", "organization mention"),
    ("country", "country mention"),
    ("resolution", "resolution"),
    ("mdate", "date mention"),
    ("email", "e-mail"),
    ("issue", "issue"),
)
"""Highlight kinds, in the order that decides a shared span's colour, with their legend names."""
_RANK = {kind: rank for rank, (kind, _name) in enumerate(KINDS)}
_LABEL = dict(KINDS)
_METHOD_WORDS = {
    "exact": "",
    "alias": "registry acronym/alias",
    "rule": "found by a rule",
}


def confidence(obj: object, key: str | None = None) -> float | None:
    """The confidence an object carries (``obj.confidence``, or its ``key`` entry), or None when absent."""
    value = getattr(obj, "confidence", None)
    if key is not None and value is not None:
        value = value.get(key) if isinstance(value, dict) else getattr(value, key, None)
    return float(value) if isinstance(value, int | float) else None


def _conf_words(value: float | None) -> str:
    return f" · confidence {value:.2f}" if value is not None else ""


def least_confident(record: NoteRecord) -> tuple[float, str] | None:
    """The record's least confident field and its confidence, or None when it carries none."""
    found: list[tuple[float, str]] = []
    for key in ("title", "start_date", "end_date", "city", "country"):
        value = confidence(record.event, key)
        if value is not None:
            found.append((value, key.replace("_", " ")))
    for role, refs in record.parties():
        found.extend((v, role) for v in (confidence(ref) for ref in refs) if v is not None)
    for group in record.participants:
        found.extend((v, "participant") for v in (confidence(ref) for ref in group.members) if v is not None)
    return min(found) if found else None


@dataclass
class Highlight:
    """One distinct span and every field of the record that names it."""

    start: int
    end: int
    kinds: list[str] = field(default_factory=list)
    items: list[tuple[str, int, str | int]] = field(default_factory=list)
    """(kind, entity index or -1, words) per field that names the span; an issue's words are its index
    in the record's issues (the page lists them once)."""

    @property
    def kind(self) -> str:
        """The kind that colours it when every kind is shown."""
        return min(self.kinds, key=_RANK.__getitem__)

    @property
    def anchor(self) -> str:
        """The id of its first piece."""
        return f"h-{self.start}-{self.end}"


class Entities:
    """The page's entity table: one row per identity (registry id, or the name as written): ``[name,
    id, acronym (when the name does not hold it)]``, a country's id ``country:XX`` written ``=XX``."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self._index: dict[str, int] = {}

    def add(self, ref: EntityRef) -> int:
        """The row of ``ref``'s identity, added when new."""
        key = ref.id or "?" + name_key(ref.text)
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self.rows)
            short = ref.id.replace("country:", "=", 1) if ref.id and ref.id.startswith("country:") else ref.id
            row = [ref.name or ref.text, short or ""]
            if ref.acronym and ref.acronym not in row[0]:
                row.append(ref.acronym)
            self.rows.append(row)
        return found


UNRESOLVED = "not in the registry"
"""How an unresolved name's details start; the page's words table writes it ``?``."""


def match_words(ref: EntityRef) -> str:
    """How a name was tied to its identity, for a person (empty for the registry's own name; a role's
    confidence is in the page's role lists, and the script adds it to the details)."""
    match = ref.match
    if match.method == "unresolved":
        words = UNRESOLVED
        if match.candidates:
            nearest = match.candidates[0]
            words += f"; nearest: {nearest.name} ({nearest.score:.0f}%)"
    elif match.method == "fuzzy":
        words = f"similar spelling ({match.score:.0f}%)"
    else:
        words = _METHOD_WORDS[match.method]
    return words


def _date_words(event: Event) -> str:
    start, end = event.start_date, event.end_date
    words = f"{start or '?'}" + (f" to {end}" if end and end != start else "")
    if event.year_inferred:
        words += " · year not written (inferred)"
    values = [v for v in (confidence(event, "start_date"), confidence(event, "end_date")) if v is not None]
    return words + _conf_words(min(values) if values else None)


_COUNTRY_SOURCE = {
    "gazetteer": " · country from the city (the note does not name it)",
    "government": " · country of the government that held it (no place written)",
}


def _venue_words(event: Event) -> str:
    venue = event.venue
    words = ", ".join(v for v in (venue.place, venue.city, venue.country) if v) or "no place"
    if venue.virtual:
        words += " (online)"
    words += _COUNTRY_SOURCE.get(venue.country_source or "", "")
    values = [v for v in (confidence(event, "city"), confidence(event, "country")) if v is not None]
    return words + _conf_words(min(values) if values else None)


class _Collector:
    def __init__(self) -> None:
        self.found: dict[tuple[int, int], Highlight] = {}
        self.entities = Entities()

    def add(
        self, span: tuple[int, int] | None, kind: str, words: str | int, ref: EntityRef | None = None
    ) -> None:
        if span is None or span[0] >= span[1]:
            return
        item = self.found.setdefault(span, Highlight(span[0], span[1]))
        if kind not in item.kinds:
            item.kinds.append(kind)
        item.items.append((kind, self.entities.add(ref) if ref is not None else -1, words))

    def refs(self, kind: str, refs: list[EntityRef], prefix: str = "") -> None:
        for ref in refs:
            self.add(ref.span, kind, prefix + match_words(ref), ref)


def collect(record: NoteRecord) -> tuple[list[Highlight], Entities]:
    """Every span the record names, grouped by span, and the page's entity table."""
    found = _Collector()
    event = record.event
    found.add(event.title_span, "title", _conf_words(confidence(event, "title")).removeprefix(" · "))
    found.add(event.date_span, "date", "")  # the summary's dates and venue say it: the script reads them
    found.add(event.venue.span, "venue", "")
    for kind, refs in record.parties():
        found.refs(kind, refs)
    for group in record.participants:
        found.add(group.label_span, "participant", f"group label \u201c{group.label}\u201d")
        found.refs("participant", group.members, f"{group.label} · " if group.label else "")
    mentions = record.mentions
    found.refs("org", mentions.organizations)
    found.refs("country", mentions.countries)
    for res in mentions.resolutions:
        year = "year unknown"
        if res.year:
            year = f"{res.year}" + (", year not written" if res.year_inferred else "")
        found.add(res.span, "resolution", f"{res.number} ({year})")
    for date in mentions.dates:
        span_words = f"{date.start_date}"
        if date.end_date != date.start_date:
            span_words += f" to {date.end_date}"
        inferred = " · year not written (inferred)" if date.year_inferred else ""
        precision = f" (to the {date.precision})" if date.precision != "day" else ""
        found.add(date.span, "mdate", f"{span_words}{precision}{inferred}")
    for email in mentions.emails:
        found.add(email.span, "email", email.address)
    for number, issue in enumerate(record.issues):
        found.add(issue.span, "issue", number)
    items = sorted(found.found.values(), key=lambda h: (h.start, -h.end))
    return items, found.entities


def highlights(record: NoteRecord) -> list[Highlight]:
    """Every span the record names, grouped by span; see the module docstring."""
    return collect(record)[0]


def _text(raw: str) -> str:
    return escape(raw, quote=False).replace("\r", "&#13;")


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def summary(record: NoteRecord, record_href: str) -> str:
    """The record's event fields as a definition list (its roles, with ids and confidence, are drawn
    from the page's table into ``#roles``)."""
    event = record.event
    rows = [
        ("note", f'{escape(record.id)} · <a href="{escape(record_href)}">record</a>'),
        ("kind", escape(event.kind)),
        ("dates", escape(_date_words(event))),
        ("venue", escape(_venue_words(event))),
        ("language", escape(record.language)),
    ]
    least = least_confident(record)
    if least is not None:
        rows.append(("least confident", f"{escape(least[1])} {least[0]:.2f}"))
    cells = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return f'<dl class="meta">{cells}</dl>'


def _role_lists(record: NoteRecord, entities: Entities, at: dict[tuple[int, int], int]) -> list[list[object]]:
    """Every role of the record: the organizers, sponsors, hosts and observers as lists of
    ``[entity, highlight, confidence (when present)]``, then each participant group as
    ``[label, [refs]]``."""
    lists: list[list[object]] = []

    def ref_row(ref: EntityRef) -> list[object]:
        row: list[object] = [entities.add(ref), at.get(ref.span, -1)]
        value = confidence(ref)
        return [*row, round(value, 3)] if value is not None else row

    def refs(label: str, found: list[EntityRef]) -> None:
        lists.append([label, [ref_row(r) for r in found]])

    for _role, found in record.parties():  # organizers, sponsors, hosts, observers: the script names them
        lists.append([ref_row(r) for r in found])
    for group in record.participants:
        where = " (from the text)" if group.found_in == "text" else ""
        refs(f"participants: {group.label or 'no group'}{where}", group.members)
    if not record.participants:
        refs("participants", [])
    return lists


def page_data(record: NoteRecord, items: list[Highlight], entities: Entities) -> str:
    """The page's table of kinds, entities, words, highlights and roles as script-safe JSON; see the
    module docstring."""
    rank = _RANK
    words: dict[str, int] = {}
    rows = []
    previous = 0
    for h in items:
        said: dict[tuple[int, int], list[int]] = {}
        for kind, entity, text in h.items:
            if isinstance(text, int):
                key = (-2, text)
            else:
                short = "?" + text.removeprefix(UNRESOLVED) if text.startswith(UNRESOLVED) else text
                key = (entity, words.setdefault(short, len(words)))
            kinds_of = said.setdefault(key, [])
            if rank[kind] not in kinds_of:
                kinds_of.append(rank[kind])
        flat: list[object] = [h.start - previous, h.end - h.start]
        previous = h.start
        for (e, w), ks in said.items():
            flat += [ks[0] if len(ks) == 1 else ks, e, w]
        rows.append(flat)
    roles = _role_lists(record, entities, {(h.start, h.end): n for n, h in enumerate(items)})
    return _script_json({"e": entities.rows, "w": list(words), "h": rows, "r": roles})


def _issues(record: NoteRecord) -> str:
    """The issue list; the script links each issue with a span to its highlight."""
    issues = []
    for issue in record.issues:
        head = f"<b>{escape(issue.code)}</b>"
        hint = f"<small>{escape(issue.hint)}</small>" if issue.hint else ""
        issues.append(f"<li class={issue.severity}>{head}: {escape(issue.message)}{hint}</li>")
    return f'<ol class="issues">{"".join(issues)}</ol>' if issues else "<p>No issues.</p>"


def note_page(
    record: NoteRecord,
    raw: str | None,
    problem: str | None,
    record_href: str,
    nav: tuple[str | None, str | None],
    assets: str = "../assets/",
) -> str:
    """The whole review page of one note; see the module docstring."""
    event = record.event
    items, entities = collect(record) if raw is not None else ([], Entities())
    if raw is not None:
        body = (
            # a newline right after <pre> is dropped by HTML parsers: one is written so the text's own stays
            f"<pre id=raw class=raw>\n{_text(raw)}</pre>"
            f"<script id=data type=application/json>{page_data(record, items, entities)}</script>"
        )
    else:
        body = f'<p class="problem" role="alert">No raw text: {escape(problem or "unknown reason")}.</p>'
    prev_link, next_link = nav
    links = [
        "<a href=../index.html>index</a>",
        f"<a href={escape(prev_link)} rel=prev>previous</a>" if prev_link else "",  # names are [A-Za-z0-9._-]
        f"<a href={escape(next_link)} rel=next>next</a>" if next_link else "",
    ]
    title = event.title or record.id
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel=stylesheet href={assets}site.css></head>
<body>
<header><nav>{" ".join(link for link in links if link)}</nav>
<h1>{escape(title)}</h1></header>
<main>
<section>{body}</section>
<aside>{summary(record, record_href)}
<h2>Issues ({len(record.issues)})</h2>{_issues(record)}
</aside></main>
<script src={assets}note.js></script>
</body></html>
"""
