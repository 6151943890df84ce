"""The review site: a static, offline HTML site over a batch of records.

Contract: :func:`build_site` reads the records under an output folder one at a time
(:func:`~note_extract.batch.records.batch_files`, :func:`~note_extract.batch.records.load_record`), so
its memory does not grow with the batch, and the raw note of each
(:func:`~note_extract.batch.records.read_source`: ``NOTES_DIR/source.path`` for each notes folder given,
else for each input folder the batch remembered, else ``source.path`` as written; a note whose file is
missing or changed gets a page that says so, without highlights), and writes into ``site_dir``:

- ``index.html``: overview charts (inline SVG: events per year, venue country, kind, top organizers,
  issues by code; a bar filters the table), the notes table (paged, sortable, filterable by text —
  title, venue, organizer names, acronyms and ids, note id — kind, issue code, severity, organizer,
  country, year and least confidence; the filters live in the URL's fragment; drawn by
  ``assets/index.js`` from ``assets/notes.js``, a script that assigns the rows, so it loads from
  ``file://`` without a server) and a link to the proposals;
- ``notes/<page>.html``: one page per note (:mod:`note_extract.review.page`), linking its record file
  in the output folder by a relative path (records are not copied);
- ``proposals.html``: the registry proposals of :class:`~note_extract.review.suggest.Collector`;
- ``assets/``: the style sheet and scripts shipped in ``note_extract/review/assets``.

``site_dir`` is marked as the site's own by the file ``.note-extract-site``
(:data:`~note_extract.batch.records.SITE_MARKER`); a folder that holds anything without that mark is
refused (:class:`~note_extract.core.errors.OutputError`) before anything is written, as is a
``notes``, ``records`` or ``assets`` entry that is a symbolic link or a file. The ``notes``,
``records`` (written by earlier versions) and ``assets`` folders of a marked ``site_dir`` are
replaced on every run, so pages of
notes no longer in the batch do not linger; nothing else in ``site_dir`` is touched. A folder that
cannot be written, or a disk that fills, is one ``OutputError``. A site inside the records folder is
never read back as records (:func:`~note_extract.batch.records.load_batch` skips a marked folder).

Nothing is fetched from anywhere. Every user-controlled string is escaped (HTML, or JSON inside a
script with ``<`` written as ``\\u003c``). The same records and notes give byte-identical files.
Raises :class:`~note_extract.core.errors.InputError` for an output folder with no records.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from pathlib import Path

from note_extract.batch.output import claim_folder, output_errors, write_atomic
from note_extract.batch.records import SITE_MARKER, iter_record_files, load_record, notes_folders, read_source
from note_extract.core.errors import InputError
from note_extract.core.models import NoteRecord
from note_extract.lexicon.resolve import Resolver
from note_extract.review.page import least_confident, note_page
from note_extract.review.suggest import Collector, Proposal
from note_extract.review.svg import bar_chart
from note_extract.rules.bundle import Rules

ASSETS = ("site.css", "index.js", "note.js")
OWNED = ("notes", "records", "assets")
"""The folders of a site that each run replaces."""
TOP = 15


@dataclass(frozen=True, slots=True)
class SiteSummary:
    """What :func:`build_site` wrote."""

    notes: int
    missing_text: list[str]
    """Problems of the notes whose raw text could not be had, one line each (the first 1,000)."""
    proposals: int
    site_dir: Path
    missing: int = 0
    """How many notes had no raw text."""


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _search_keys(record: NoteRecord) -> str:
    """The acronyms and registry ids of the note's organizers, sponsors, hosts and observers, for the
    index's text filter (names and the note id are in the row already)."""
    keys: dict[str, str] = {}
    for _role, refs in record.parties():
        for ref in refs:
            for key in (ref.acronym, ref.id):
                if key and not key.startswith(("country:", "national:")):
                    keys.setdefault(key.casefold(), key)
    return " ".join(sorted(keys.values()))


def _row(record: NoteRecord, page: str, has_text: bool) -> dict[str, object]:
    """One note's row of the index (keys left out when they hold their default, to keep it small:
    ``page`` the note id, ``end`` the start, ``conf`` none, ``text`` true)."""
    event = record.event
    severities = Counter(issue.severity for issue in record.issues)
    start = event.start_date.isoformat() if event.start_date else ""
    end = event.end_date.isoformat() if event.end_date else ""
    least = least_confident(record)
    row: dict[str, object] = {
        "id": record.id,
        "title": event.title or "",
        "kind": event.kind,
        "start": start,
        "venue": ", ".join(v for v in (event.venue.city, event.venue.country) if v),
        "country": event.venue.country_code or "",
        "organizers": sorted({ref.name or ref.text for ref in record.organizers}),
        "keys": _search_keys(record),
        "codes": dict(sorted(Counter(issue.code for issue in record.issues).items())),
        "sev": [severities.get(s, 0) for s in ("error", "warning", "info")],
    }
    if page != record.id:
        row["page"] = page
    if end != start:
        row["end"] = end
    if least is not None:
        row["conf"] = [round(least[0], 3), least[1]]
    if not has_text:
        row["text"] = False
    return row


@dataclass
class _Tally:
    """The chart counts, kept as the records stream past."""

    years: Counter[str] = field(default_factory=Counter)
    countries: Counter[tuple[str, str]] = field(default_factory=Counter)
    organizers: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, record: NoteRecord) -> None:
        event = record.event
        if event.start_date:
            self.years[str(event.start_date.year)] += 1
        if event.venue.country_code:
            self.countries[(event.venue.country or event.venue.country_code, event.venue.country_code)] += 1
        self.organizers.update({ref.name or ref.text for ref in record.organizers})
        self.codes.update(issue.code for issue in record.issues)
        self.kinds[event.kind] += 1

    def charts(self) -> str:
        def top(counter: Counter[str]) -> list[tuple[str, int]]:
            return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]

        countries = sorted(self.countries.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
        return "".join(
            (
                bar_chart("Events per year", sorted(self.years.items()), "#0072B2", "f-year"),
                bar_chart(
                    f"Events per venue country (top {TOP})",
                    [(name, n) for (name, _code), n in countries],
                    "#009E73",
                    "f-country",
                    [code for (_name, code), _n in countries],
                ),
                bar_chart("Events per kind", top(self.kinds), "#CC79A7", "f-kind"),
                bar_chart(f"Top organizers (top {TOP})", top(self.organizers), "#E69F00", "f-org"),
                bar_chart("Issues by code (notes \u00d7 issues)", top(self.codes), "#D55E00", "f-code"),
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
on the ones to leave out, then <code>note-extract orgs add suggestions.jsonl --registry my_orgs.jsonl</code>
(a registry file that does not exist yet starts as a copy of the shipped one) and run again with
<code>--registry my_orgs.jsonl</code>.</p></header>
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
<label>text <input type="search" id="f-text" placeholder="title, venue, organizer, acronym, id"></label>
<label>kind <select id="f-kind"><option value="">any</option></select></label>
<label>issue code <select id="f-code"><option value="">any</option></select></label>
<label>severity <select id="f-sev"><option value="">any</option><option value="error">error</option>
<option value="warning">warning</option><option value="info">info</option></select></label>
<label>organizer <select id="f-org"><option value="">any</option></select></label>
<label>country <select id="f-country"><option value="">any</option></select></label>
<label>year <select id="f-year"><option value="">any</option></select></label>
<label class="conf">confidence <select id="f-conf"><option value="">any</option>
<option value="0.5">below 0.5</option><option value="0.8">below 0.8</option></select></label>
<button type="reset" id="f-reset">clear</button>
</form>
<p id="count" aria-live="polite"></p>
<table id="notes" class="notes"><thead><tr>
<th scope="col"><button data-sort="title">title</button></th>
<th scope="col"><button data-sort="kind">kind</button></th>
<th scope="col"><button data-sort="start">dates</button></th>
<th scope="col"><button data-sort="venue">venue</button></th>
<th scope="col"><button data-sort="organizers">organizers</button></th>
<th scope="col" class="conf"><button data-sort="conf">least confident</button></th>
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


def _record_href(record_file: Path, site_dir: Path) -> str:
    """The record file as a link from a note page (relative, so site and output can move together)."""
    target = record_file.resolve()
    return Path(os.path.relpath(target, (site_dir / "notes").resolve())).as_posix()


MISSING_KEPT = 1000
"""Lines kept about notes without raw text (the rest are counted): memory stays flat."""


def _named(files: Iterable[tuple[str, Path]]) -> Iterator[tuple[str, Path, str]]:
    """Each record file with a distinct, file-system-safe page name."""
    taken: set[str] = set()
    for rel, path in files:
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", rel).strip("._") or "note"
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.casefold())
        yield rel, path, name


def _neighbours(
    items: Iterator[tuple[str, Path, str]],
) -> Iterator[tuple[str | None, tuple[str, Path, str], str | None]]:
    """Each item with the page names before and after it (one item of look-ahead)."""
    before: str | None = None
    current = next(items, None)
    while current is not None:
        after = next(items, None)
        yield before, current, after[2] if after is not None else None
        before, current = current[2], after


def build_site(
    out_dir: Path,
    site_dir: Path,
    resolver: Resolver,
    notes_dirs: Sequence[Path] = (),
    on_note: Callable[[str], None] | None = None,
    rules: Rules | None = None,
) -> SiteSummary:
    """Write the review site of the records under ``out_dir``; see the module docstring."""
    files = _neighbours(_named(iter_record_files(out_dir)))
    first = next(files, None)
    if first is None:
        raise InputError(f"{out_dir}: no records (*.json) found; write some with: note-extract run")
    claim_folder(site_dir, SITE_MARKER, OWNED)
    with output_errors(site_dir):
        return _write_site(first, files, out_dir, site_dir, resolver, notes_dirs, on_note, rules)


Named = tuple[str | None, tuple[str, Path, str], str | None]


def _write_site(
    first: Named,
    files: Iterator[Named],
    out_dir: Path,
    site_dir: Path,
    resolver: Resolver,
    notes_dirs: Sequence[Path],
    on_note: Callable[[str], None] | None,
    rules: Rules | None,
) -> SiteSummary:
    """Write the site's files into the claimed ``site_dir``, one record at a time."""
    folders = notes_folders(out_dir, notes_dirs)
    for folder in OWNED:
        target = site_dir / folder
        if target.exists():
            shutil.rmtree(target)
    for folder in ("notes", "assets"):
        (site_dir / folder).mkdir(parents=True)
    assets = resources.files("note_extract.review.assets")
    for asset in ASSETS:
        (site_dir / "assets" / asset).write_text(
            assets.joinpath(asset).read_text(encoding="utf-8"), encoding="utf-8"
        )
    missing: list[str] = []
    missing_count = count = 0
    pages: dict[str, str] = {}
    tally = _Tally()
    proposals_in = Collector(resolver, rules=rules)
    with (site_dir / "assets" / "notes.js").open("w", encoding="utf-8") as rows:
        rows.write("window.NOTES = [")
        for before, (rel, path, name), after in itertools.chain([first], files):
            record = load_record(path)
            source = read_source(record, folders)
            if source.text is None:
                missing_count += 1
                if len(missing) < MISSING_KEPT:
                    missing.append(f"{rel}: {source.problem}")
            nav = (f"{before}.html" if before else None, f"{after}.html" if after else None)
            html = note_page(record, source.text, source.problem, _record_href(path, site_dir), nav)
            (site_dir / "notes" / f"{name}.html").write_text(html, encoding="utf-8")
            row = _row(record, name, source.text is not None)
            rows.write(("," if count else "") + "\n" + _script_json(row))
            count += 1
            tally.add(record)
            if proposals_in.add(record, source.text):
                pages.setdefault(record.id, f"notes/{name}.html")
            if on_note is not None:
                on_note(rel)
        rows.write("];\n")
    proposals = proposals_in.proposals()
    write_atomic(site_dir / "proposals.html", _proposals_page(proposals, pages))
    index_html = _index_page(count, tally.charts(), len(proposals), missing_count)
    write_atomic(site_dir / "index.html", index_html)
    return SiteSummary(
        notes=count, missing_text=missing, proposals=len(proposals), site_dir=site_dir, missing=missing_count
    )
