"""The review site: a static, offline HTML site over a batch of records.

Contract: :func:`build_site` reads every record under an output folder
(:func:`~note_extract.batch.records.load_batch`), the raw note of each
(:func:`~note_extract.batch.records.read_source`:
``NOTES_DIR/source.path`` for each notes folder given, or ``source.path`` as written; a note whose
file is missing or changed gets a page that says so, without highlights), and writes into ``site_dir``:

- ``index.html``: overview charts (inline SVG: events per year, per venue country, top organizers,
  issues by code), the notes table (paged, sortable, filterable by text, issue code, severity,
  organizer, country and year; drawn by ``assets/index.js`` from ``assets/notes.js``, a script that
  assigns the rows, so it loads from ``file://`` without a server) and a link to the proposals;
- ``notes/<page>.html``: one page per note (:mod:`note_extract.review.page`);
- ``records/<page>.json``: a copy of each record file, linked from its page;
- ``proposals.html``: the registry proposals of :func:`~note_extract.suggest.suggest` for the batch;
- ``assets/``: the style sheet and scripts shipped in ``note_extract/review/assets``.

``site_dir`` is marked as the site's own by the file ``.note-extract-site``
(:data:`~note_extract.batch.records.SITE_MARKER`); a folder that holds anything without that mark is
refused (:class:`~note_extract.core.errors.OutputError`) before anything is written, as is a
``notes``, ``records`` or ``assets`` entry that is a symbolic link or a file. The ``notes``,
``records`` and ``assets`` folders of a marked ``site_dir`` are replaced on every run, so pages of
notes no longer in the batch do not linger; nothing else in ``site_dir`` is touched. A folder that
cannot be written, or a disk that fills, is one ``OutputError``. A site inside the records folder is
never read back as records (:func:`~note_extract.batch.records.load_batch` skips a marked folder).

Nothing is fetched from anywhere. Every user-controlled string is escaped (HTML, or JSON inside a
script with ``<`` written as ``\\u003c``). The same records and notes give byte-identical files.
Raises :class:`~note_extract.core.errors.InputError` for an output folder with no records.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path

from note_extract.batch.output import claim_folder, output_errors, write_atomic
from note_extract.batch.records import SITE_MARKER, LoadedRecord, load_batch, read_source
from note_extract.core.errors import InputError
from note_extract.core.models import NoteRecord
from note_extract.lexicon.resolve import Resolver
from note_extract.review.page import note_page
from note_extract.review.suggest import Proposal, suggest
from note_extract.review.svg import bar_chart

ASSETS = ("site.css", "index.js", "note.js")
OWNED = ("notes", "records", "assets")
"""The folders of a site that each run replaces."""
TOP = 15


@dataclass(frozen=True, slots=True)
class SiteSummary:
    """What :func:`build_site` wrote."""

    notes: int
    missing_text: list[str]
    """Problems of the notes whose raw text could not be had, one line each."""
    proposals: int
    site_dir: Path


def _page_names(batch: list[LoadedRecord]) -> list[str]:
    """A distinct, file-system-safe page name per record."""
    names: list[str] = []
    taken: set[str] = set()
    for item in batch:
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", item.rel).strip("._") or "note"
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.casefold())
        names.append(name)
    return names


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _row(record: NoteRecord, page: str, has_text: bool) -> dict[str, object]:
    event = record.event
    severities = Counter(issue.severity for issue in record.issues)
    return {
        "page": f"notes/{page}.html",
        "id": record.id,
        "title": event.title or "",
        "start": event.start_date.isoformat() if event.start_date else "",
        "end": event.end_date.isoformat() if event.end_date else "",
        "year": str(event.start_date.year) if event.start_date else "",
        "venue": ", ".join(v for v in (event.venue.city, event.venue.country) if v),
        "country": event.venue.country_code or "",
        "organizers": sorted({ref.name or ref.text for ref in record.organizers}),
        "codes": dict(sorted(Counter(issue.code for issue in record.issues).items())),
        "sev": {s: severities.get(s, 0) for s in ("error", "warning", "info")},
        "text": has_text,
    }


def _charts(records: list[NoteRecord]) -> str:
    years = Counter(str(r.event.start_date.year) for r in records if r.event.start_date)
    countries = Counter(
        r.event.venue.country or r.event.venue.country_code or ""
        for r in records
        if r.event.venue.country_code
    )
    organizers = Counter(
        ref.name or ref.text for r in records for ref in {x.id or x.text: x for x in r.organizers}.values()
    )
    codes = Counter(issue.code for r in records for issue in r.issues)

    def top(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]

    return "".join(
        (
            bar_chart("Events per year", sorted(years.items()), "#0072B2"),
            bar_chart(f"Events per venue country (top {TOP})", top(countries), "#009E73"),
            bar_chart(f"Top organizers (top {TOP})", top(organizers), "#E69F00"),
            bar_chart("Issues by code (notes \u00d7 issues)", top(codes), "#D55E00"),
        )
    )


def _proposals_page(proposals: list[Proposal], pages: dict[str, str]) -> str:
    rows = []
    for p in proposals:
        evidence = ", ".join(
            (
                f'<a href="{escape(pages[e.note])}#h-{e.span[0]}-{e.span[1]}">{escape(e.note)}: '
                f"{escape(e.text)}</a>"
                if e.note in pages
                else f"{escape(e.note)}: {escape(e.text)}"
            )
            for e in p.evidence[:20]
        )
        more = f" and {len(p.evidence) - 20} more" if len(p.evidence) > 20 else ""
        spellings = ", ".join(f"{escape(t)} \u00d7{n}" for t, n in p.spellings.items())
        rows.append(
            f"<tr><td>{escape(p.action)}</td><td>{escape(p.id)}</td><td>{escape(p.name)}</td>"
            f"<td>{escape(', '.join(p.acronyms))}</td><td>{escape(', '.join(p.aliases))}</td>"
            f"<td>{spellings}</td><td>{evidence}{more}</td><td>{escape(p.reason)}</td></tr>"
        )
    table = (
        '<table class="proposals"><thead><tr><th scope="col">action</th><th scope="col">id</th>'
        '<th scope="col">name</th><th scope="col">acronyms</th><th scope="col">aliases</th>'
        '<th scope="col">spellings</th><th scope="col">evidence</th><th scope="col">to check</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>No proposals: every organization in the batch resolved.</p>"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Registry proposals — review</title><link rel="stylesheet" href="assets/site.css"></head>
<body><header><nav><a href="index.html">index</a></nav><h1>Registry proposals ({len(proposals)})</h1>
<p>Organizations the registry did not know (or matched only fuzzily), clustered by spelling. Write them
with <code>note-extract orgs suggest OUT_DIR -o suggestions.jsonl</code>, set <code>keep</code> to false
on the ones to leave out, then <code>note-extract orgs add suggestions.jsonl</code>.</p></header>
<main class="wide">{table}</main></body></html>
"""


def _index_page(count: int, charts: str, proposals: int, missing: int) -> str:
    missing_line = (
        f'<p class="problem">{missing} note(s) have no raw text on their page; see each page.</p>'
        if missing
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Review — {count} notes</title><link rel="stylesheet" href="assets/site.css"></head>
<body class="index"><header><h1>Review of {count} notes</h1>
<nav><a href="proposals.html">registry proposals ({proposals})</a></nav>{missing_line}</header>
<main class="wide">
<section aria-label="Overview" class="charts">{charts}</section>
<section aria-label="Notes">
<form id="filters" class="filters" role="search" onsubmit="return false">
<label>text <input type="search" id="f-text" placeholder="title, venue, organizer"></label>
<label>issue code <select id="f-code"><option value="">any</option></select></label>
<label>severity <select id="f-sev"><option value="">any</option><option value="error">error</option>
<option value="warning">warning</option><option value="info">info</option></select></label>
<label>organizer <select id="f-org"><option value="">any</option></select></label>
<label>country <select id="f-country"><option value="">any</option></select></label>
<label>year <select id="f-year"><option value="">any</option></select></label>
<button type="reset" id="f-reset">clear</button>
</form>
<p id="count" aria-live="polite"></p>
<table id="notes" class="notes"><thead><tr>
<th scope="col"><button data-sort="title">title</button></th>
<th scope="col"><button data-sort="start">dates</button></th>
<th scope="col"><button data-sort="venue">venue</button></th>
<th scope="col"><button data-sort="organizers">organizers</button></th>
<th scope="col"><button data-sort="error">errors</button></th>
<th scope="col"><button data-sort="warning">warnings</button></th>
<th scope="col"><button data-sort="info">info</button></th>
</tr></thead><tbody></tbody></table>
<nav class="pager" aria-label="Pages"><button id="prev">previous page</button> <span id="page"></span>
<button id="next">next page</button></nav>
<noscript><p>The notes table needs JavaScript; every note page is in the notes/ folder.</p></noscript>
</section></main>
<script src="assets/notes.js"></script><script src="assets/index.js"></script>
</body></html>
"""


def build_site(
    out_dir: Path,
    site_dir: Path,
    resolver: Resolver,
    notes_dirs: Sequence[Path] = (),
    on_note: Callable[[str], None] | None = None,
) -> SiteSummary:
    """Write the review site of the records under ``out_dir``; see the module docstring."""
    batch = load_batch(out_dir)
    if not batch:
        raise InputError(f"{out_dir}: no records (*.json) found; write some with: note-extract run")
    claim_folder(site_dir, SITE_MARKER, OWNED)
    with output_errors(site_dir):
        return _write_site(batch, out_dir, site_dir, resolver, notes_dirs, on_note)


def _write_site(
    batch: list[LoadedRecord],
    out_dir: Path,
    site_dir: Path,
    resolver: Resolver,
    notes_dirs: Sequence[Path],
    on_note: Callable[[str], None] | None,
) -> SiteSummary:
    """Write the site's files into the claimed ``site_dir``."""
    names = _page_names(batch)
    for folder in OWNED:
        target = site_dir / folder
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
    assets = resources.files("note_extract.review.assets")
    for asset in ASSETS:
        (site_dir / "assets" / asset).write_text(
            assets.joinpath(asset).read_text(encoding="utf-8"), encoding="utf-8"
        )
    rows: list[dict[str, object]] = []
    texts: list[str] = []
    missing: list[str] = []
    pages = {item.record.id: f"notes/{name}.html" for item, name in zip(batch, names, strict=True)}
    for index, (item, name) in enumerate(zip(batch, names, strict=True)):
        record = item.record
        source = read_source(record, notes_dirs)
        if source.text is None:
            missing.append(f"{item.rel}: {source.problem}")
        else:
            texts.append(source.text)
        shutil.copyfile(out_dir / f"{item.rel}.json", site_dir / "records" / f"{name}.json")
        nav = (
            f"{names[index - 1]}.html" if index > 0 else None,
            f"{names[index + 1]}.html" if index + 1 < len(names) else None,
        )
        html = note_page(record, source.text, source.problem, f"../records/{name}.json", nav)
        (site_dir / "notes" / f"{name}.html").write_text(html, encoding="utf-8")
        rows.append(_row(record, name, source.text is not None))
        if on_note is not None:
            on_note(item.rel)
    records = [item.record for item in batch]
    proposals = suggest(records, texts, resolver)
    (site_dir / "assets" / "notes.js").write_text(f"window.NOTES = {_script_json(rows)};\n", encoding="utf-8")
    write_atomic(site_dir / "proposals.html", _proposals_page(proposals, pages))
    write_atomic(
        site_dir / "index.html", _index_page(len(batch), _charts(records), len(proposals), len(missing))
    )
    return SiteSummary(notes=len(batch), missing_text=missing, proposals=len(proposals), site_dir=site_dir)
