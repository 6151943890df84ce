"""One note's review page: the raw text with every extracted span highlighted.

Contract: :func:`highlights` lists the spans a record names — title, date, venue, each role,
participant groups and members, every mention, and issue spans — one :class:`Highlight` per distinct
``[start, end)``, carrying every field that names it (its kind is the first in :data:`KINDS` order).
:func:`mark_up` renders the raw text as HTML with one ``<mark>`` per highlight: properly nested spans
nest; a span that crosses another is split into pieces that share ``data-h`` (their texts, joined in
document order, are the span's raw text); the first piece has ``id="h-START-END"`` so issues and
proposals can link to it. Every text and attribute is HTML-escaped, and a carriage return is written
as ``&#13;`` so the browser keeps it (a literal CR LF would be read as LF and shift nothing but lose
the CR from the highlight's text). :func:`note_page` is the whole page.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from html import escape

from note_extract.core.models import EntityRef, NoteRecord

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


@dataclass
class Highlight:
    """One distinct span and every field of the record that names it."""

    start: int
    end: int
    kinds: list[str] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The kind that colours it."""
        return min(self.kinds, key=_RANK.__getitem__)

    @property
    def anchor(self) -> str:
        """The id of its first piece."""
        return f"h-{self.start}-{self.end}"


def _ref_tip(field_name: str, ref: EntityRef) -> str:
    match = ref.match
    who = f"{ref.name} [{ref.id}]" if ref.id else "not in the registry"
    line = f"{field_name}: {who} · {match.method} {match.score:g}"
    if match.candidates and not ref.id:
        line += " · closest: " + ", ".join(f"{c.name} {c.score:g}" for c in match.candidates)
    return line


def highlights(record: NoteRecord) -> list[Highlight]:
    """Every span the record names, grouped by span; see the module docstring."""
    found: dict[tuple[int, int], Highlight] = {}

    def add(span: tuple[int, int] | None, kind: str, tip: str) -> None:
        if span is None or span[0] >= span[1]:
            return
        item = found.setdefault(span, Highlight(span[0], span[1]))
        item.kinds.append(kind)
        item.tips.append(tip)

    event = record.event
    add(event.title_span, "title", "title")
    add(event.date_span, "date", f"event date: {event.start_date or '?'} to {event.end_date or '?'}")
    venue = event.venue
    add(
        venue.span,
        "venue",
        f"venue: {venue.city or '-'}, {venue.country or '-'} [{venue.country_code or '-'}]",
    )
    for kind, refs in record.parties():
        for ref in refs:
            add(ref.span, kind, _ref_tip(kind, ref))
    for group in record.participants:
        add(group.label_span, "participant", f"participant group: {group.label}")
        for ref in group.members:
            add(ref.span, "participant", _ref_tip(f"participant ({group.label or 'no group'})", ref))
    mentions = record.mentions
    for ref in mentions.organizations:
        add(ref.span, "org", _ref_tip("organization mention", ref))
    for ref in mentions.countries:
        add(ref.span, "country", _ref_tip("country mention", ref))
    for res in mentions.resolutions:
        add(res.span, "resolution", f"resolution {res.number} ({res.year or 'year not written'})")
    for date in mentions.dates:
        add(date.span, "mdate", f"date mention: {date.start_date} to {date.end_date} ({date.precision})")
    for email in mentions.emails:
        add(email.span, "email", f"e-mail: {email.address}")
    for issue in record.issues:
        add(issue.span, "issue", f"issue {issue.severity} {issue.code}: {issue.message}")
    return sorted(found.values(), key=lambda h: (h.start, -h.end))


def _text(raw: str) -> str:
    return escape(raw, quote=False).replace("\r", "&#13;")


def _open(item: Highlight, first: bool) -> str:
    classes = f"k-{item.kind}" + (" has-issue" if "issue" in item.kinds and item.kind != "issue" else "")
    tip = escape("\n".join(item.tips))
    anchor = f' id="{item.anchor}"' if first else ""
    return (
        f'<mark{anchor} class="{classes}" tabindex="0" data-h="{item.anchor}" data-s="{item.start}" '
        f'data-e="{item.end}" data-kinds="{" ".join(item.kinds)}" data-tip="{tip}">'
    )


def mark_up(raw: str, items: list[Highlight]) -> str:
    """The raw text as HTML with nested ``<mark>`` elements; see the module docstring."""
    heap = [(h.start, -h.end, i) for i, h in enumerate(items) if 0 <= h.start < h.end <= len(raw)]
    heapq.heapify(heap)
    out: list[str] = []
    stack: list[int] = []
    pos = 0
    while heap:
        start, neg_end, index = heapq.heappop(heap)
        end = -neg_end
        while stack and stack[-1] <= start:
            closing = stack.pop()
            out.append(_text(raw[pos:closing]) + "</mark>")
            pos = closing
        out.append(_text(raw[pos:start]))
        pos = start
        if stack and end > stack[-1]:
            heapq.heappush(heap, (stack[-1], -end, index))
            end = stack[-1]
        out.append(_open(items[index], first=start == items[index].start))
        stack.append(end)
    while stack:
        closing = stack.pop()
        out.append(_text(raw[pos:closing]) + "</mark>")
        pos = closing
    out.append(_text(raw[pos:]))
    return "".join(out)


def legend() -> str:
    """The colour legend, one swatch per kind."""
    cells = "".join(f'<li><mark class="k-{kind} swatch">{escape(name)}</mark></li>' for kind, name in KINDS)
    return f'<ul class="legend" aria-label="Legend">{cells}</ul>'


def _names(refs: list[EntityRef]) -> str:
    return ", ".join(ref.name or ref.text for ref in refs) or "-"


def note_page(
    record: NoteRecord,
    raw: str | None,
    problem: str | None,
    record_href: str,
    nav: tuple[str | None, str | None],
    assets: str = "../assets/",
) -> str:
    """The whole review page of one note."""
    event = record.event
    items = highlights(record)
    dates = f"{event.start_date or '?'}" + (
        f" to {event.end_date}" if event.end_date and event.end_date != event.start_date else ""
    )
    venue = ", ".join(v for v in (event.venue.city, event.venue.country) if v) or "-"
    if event.venue.virtual:
        venue += " (virtual)"
    issues = []
    for issue in record.issues:
        head = f"{escape(issue.code)}"
        if issue.span is not None and raw is not None:
            head = f'<a href="#h-{issue.span[0]}-{issue.span[1]}" data-issue-link>{head}</a>'
        hint = f'<div class="hint">{escape(issue.hint)}</div>' if issue.hint else ""
        issues.append(
            f'<li class="sev-{issue.severity}"><span class="sev">{issue.severity}</span> {head}: '
            f"{escape(issue.message)}{hint}</li>"
        )
    issue_list = f'<ol class="issues">{"".join(issues)}</ol>' if issues else "<p>No issues.</p>"
    if raw is not None:
        body = f'<pre id="raw" class="raw">{mark_up(raw, items)}</pre>'
    else:
        body = f'<p class="problem" role="alert">No raw text: {escape(problem or "unknown reason")}.</p>'
    prev_link, next_link = nav
    nav_html = " ".join(
        link
        for link in (
            '<a href="../index.html">index</a>',
            f'<a href="{escape(prev_link)}" rel="prev">previous note</a>' if prev_link else "",
            f'<a href="{escape(next_link)}" rel="next">next note</a>' if next_link else "",
            f'<a href="{escape(record_href)}">record JSON</a>',
        )
        if link
    )
    title = event.title or record.id
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} — review</title>
<link rel="stylesheet" href="{assets}site.css"></head>
<body class="note">
<header><nav>{nav_html}</nav>
<h1>{escape(title)}</h1>
<dl class="meta"><dt>note</dt><dd>{escape(record.id)} ({escape(record.source.path)})</dd>
<dt>kind</dt><dd>{escape(event.kind)}</dd><dt>dates</dt><dd>{escape(dates)}</dd>
<dt>venue</dt><dd>{escape(venue)}</dd><dt>organizers</dt><dd>{escape(_names(record.organizers))}</dd>
<dt>language</dt><dd>{escape(record.language)}</dd></dl>
{legend()}
</header>
<main>
<section class="text" aria-label="Raw text">{body}</section>
<aside aria-label="Issues and details">
<h2>Issues ({len(record.issues)})</h2>{issue_list}
<h2>Highlight</h2><div id="tip" class="tip" aria-live="polite">Hover over or focus (Tab) a highlight.</div>
<p><a href="{escape(record_href)}">Open the record JSON</a></p>
</aside></main>
<script src="{assets}note.js"></script>
</body></html>
"""
