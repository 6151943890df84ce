"""Flat tables from records, for spreadsheets and databases: CSV, JSON Lines, Parquet or SQLite.

Contract: :func:`read_records` takes a folder of records as ``note-extract run`` writes them (``*.json``,
recursive; files whose name starts with "." or "_" and hidden folders skipped) or one JSON Lines file as
``run -o -`` writes it, and validates every record with :class:`NoteRecord`. A file that is not a valid
record raises :class:`~note_extract.core.errors.InputError` naming the file (and line) and the first
validation error; nothing is written until every record has been read, so an export is never half made.

:func:`flatten` turns the records into the tables of :data:`TABLES`. Every child table refers to
``events.note_id`` (the record ``id``, which must therefore be unique in one export). Columns come in a
fixed order; rows are sorted by note id, then role/kind in the order listed below, then position
(the index in the record's own list, from 0). Spans become ``span_start``/``span_end`` (``[start, end)``
in characters of the decoded note).

- ``events``: one row per note, with its organizers' names and registry ids (``organizer_names``,
  ``organizer_ids``: "; "-separated, in the record's order; an unresolved organizer's id is empty);
  ``<field>_confidence`` for title, start and end date, city and country, and ``least_confidence``, the
  lowest confidence of any of the note's values (event fields and parties).
- ``organizations``: one row per note x role x organization, roles in the order organizer, sponsor,
  host, observer, participant. Participants are the members of the note's participant groups
  (``role = 'participant'``; ``group_label`` and ``group_position`` name their group, ``position`` runs
  across all groups of the note). Rows with other roles leave both group columns empty. ``confidence``
  is the probability that the party holds the role.
- ``participant_groups``: one row per participant group (label, country, member count, found_in); the
  participant rows of ``organizations`` point to it by ``(note_id, group_position)``.
- ``mentions``: every organization, country, resolution, date and e-mail address mentioned, in that
  order of ``kind``. ``value`` is the identity as text (org id, ``country:XX`` id, "1540 (2004)",
  ISO date or "start/end" for a range, the address); the typed columns ``resolution_number``,
  ``resolution_year``, ``start_date`` and ``end_date`` are filled where they apply.
- ``issues`` and ``sections``: one row per issue and per section.

The writers (:func:`export`): ``csv`` and ``jsonl`` write one file per table into a folder, byte for
byte the same for the same records; in ``csv`` every row is one line (a line break inside a text is
written as a space; JSON Lines and Parquet keep it), and a text cell that starts like a spreadsheet formula
(``= + - @``, tab, carriage return) gets a leading ``'`` unless ``neutralize`` is off;
``parquet`` writes one file per table with an explicit schema
(needs pyarrow: ``pip install note_extract[parquet]``); ``sqlite`` writes one database file with typed
columns, primary and foreign keys and indexes, built in a temporary file and renamed over the target.
Folder outputs are written to a temporary folder first and each file renamed into place. A target
that cannot be written, or a disk that fills, is one :class:`~note_extract.core.errors.OutputError`
(or ``ExportError`` for the database), never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import ValidationError

from note_extract.batch.output import file_mode, output_errors, temporary_name
from note_extract.core.errors import InputError, NoteExtractError
from note_extract.core.models import EntityRef, NoteRecord, PartyRole

ColumnType = Literal["str", "int", "float", "bool", "date"]
Value = str | int | float | bool | date | None
Row = tuple[Value, ...]

PARQUET_HINT = (
    "parquet export needs pyarrow: install note_extract[parquet] (pip install 'note_extract[parquet]')"
)


class ExportFormat(StrEnum):
    """The formats :func:`export` writes."""

    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"
    SQLITE = "sqlite"


class MissingDependencyError(NoteExtractError):
    """An optional dependency the chosen format needs is not installed."""


class ExportError(NoteExtractError):
    """The target cannot be written (wrong kind of path, duplicate note ids)."""


@dataclass(frozen=True)
class Column:
    """One column: name, type, and whether it may be empty."""

    name: str
    type: ColumnType
    nullable: bool = True


@dataclass(frozen=True)
class TableSpec:
    """A table: columns in order, primary key, foreign keys, indexes (SQLite)."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> list[str]:
        """Column names in order."""
        return [c.name for c in self.columns]


def _c(name: str, type_: ColumnType = "str", nullable: bool = True) -> Column:
    return Column(name, type_, nullable)


_NOTE_FK = ((("note_id",), "events", ("note_id",)),)
_SPAN = (_c("span_start", "int"), _c("span_end", "int"))

EVENTS = TableSpec(
    "events",
    (
        _c("note_id", nullable=False),
        _c("source_path", nullable=False),
        _c("source_sha256", nullable=False),
        _c("language", nullable=False),
        _c("title"),
        _c("kind", nullable=False),
        _c("start_date", "date"),
        _c("end_date", "date"),
        _c("date_text"),
        _c("date_precision"),
        _c("year_inferred", "bool", nullable=False),
        _c("venue_place"),
        _c("venue_city"),
        _c("venue_country"),
        _c("venue_country_code"),
        _c("virtual", "bool", nullable=False),
        _c("found_in", nullable=False),
        _c("organizer_count", "int", nullable=False),
        _c("organizer_names"),
        _c("organizer_ids"),
        _c("participant_count", "int", nullable=False),
        _c("issue_count", "int", nullable=False),
        _c("schema_version", nullable=False),
        _c("title_confidence", "float"),
        _c("start_date_confidence", "float"),
        _c("end_date_confidence", "float"),
        _c("city_confidence", "float"),
        _c("country_confidence", "float"),
        _c("least_confidence", "float"),
    ),
    primary_key=("note_id",),
)
ORGANIZATIONS = TableSpec(
    "organizations",
    (
        _c("note_id", nullable=False),
        _c("role", nullable=False),
        _c("group_label"),
        _c("group_position", "int"),
        _c("position", "int", nullable=False),
        _c("text", nullable=False),
        *_SPAN,
        _c("org_id"),
        _c("name"),
        _c("acronym"),
        _c("type"),
        _c("country_code"),
        _c("parent"),
        _c("match_method", nullable=False),
        _c("match_score", "float", nullable=False),
        _c("confidence", "float"),
    ),
    primary_key=("note_id", "role", "position"),
    foreign_keys=(
        *_NOTE_FK,
        (("note_id", "group_position"), "participant_groups", ("note_id", "position")),
    ),
    indexes=(("note_id",), ("org_id",)),
)
PARTICIPANT_GROUPS = TableSpec(
    "participant_groups",
    (
        _c("note_id", nullable=False),
        _c("position", "int", nullable=False),
        _c("label"),
        _c("country_code"),
        _c("member_count", "int", nullable=False),
        _c("found_in", nullable=False),
    ),
    primary_key=("note_id", "position"),
    foreign_keys=_NOTE_FK,
    indexes=(("note_id",),),
)
MENTIONS = TableSpec(
    "mentions",
    (
        _c("note_id", nullable=False),
        _c("kind", nullable=False),
        _c("position", "int", nullable=False),
        _c("text", nullable=False),
        *_SPAN,
        _c("value"),
        _c("resolution_number", "int"),
        _c("resolution_year", "int"),
        _c("start_date", "date"),
        _c("end_date", "date"),
    ),
    primary_key=("note_id", "kind", "position"),
    foreign_keys=_NOTE_FK,
    indexes=(("note_id",), ("kind", "value")),
)
ISSUES = TableSpec(
    "issues",
    (
        _c("note_id", nullable=False),
        _c("position", "int", nullable=False),
        _c("code", nullable=False),
        _c("severity", nullable=False),
        _c("message", nullable=False),
        _c("hint"),
        *_SPAN,
    ),
    primary_key=("note_id", "position"),
    foreign_keys=_NOTE_FK,
    indexes=(("note_id",), ("code",)),
)
SECTIONS = TableSpec(
    "sections",
    (
        _c("note_id", nullable=False),
        _c("position", "int", nullable=False),
        _c("number"),
        _c("heading"),
        _c("text", nullable=False),
        _c("span_start", "int", nullable=False),
        _c("span_end", "int", nullable=False),
    ),
    primary_key=("note_id", "position"),
    foreign_keys=_NOTE_FK,
    indexes=(("note_id",),),
)

TABLES: tuple[TableSpec, ...] = (EVENTS, PARTICIPANT_GROUPS, ORGANIZATIONS, MENTIONS, ISSUES, SECTIONS)
"""Every table, parents first: the order tables are created, filled and reported in."""

ROLES: tuple[PartyRole, ...] = get_args(PartyRole)
MENTION_KINDS = ("organization", "country", "resolution", "date", "email")


# ---------------------------------------------------------------- reading


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    if not errors:
        return str(exc)
    first = errors[0]
    loc = ".".join(str(part) for part in first.get("loc", ()))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return (f"{loc}: " if loc else "") + str(first.get("msg", "invalid")) + more


def _validate(text: str | bytes, where: str) -> NoteRecord:
    try:
        return NoteRecord.model_validate_json(text)
    except ValidationError as exc:
        raise InputError(f"{where}: not a valid record: {_first_error(exc)}") from None


def record_files(folder: Path) -> list[Path]:
    """Record files under ``folder``, sorted; names starting with '.' or '_' and hidden folders skipped."""
    files = []
    for path in folder.rglob("*.json"):
        rel = path.relative_to(folder)
        if path.name.startswith((".", "_")) or any(part.startswith(".") for part in rel.parts[:-1]):
            continue
        if path.is_file():
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def read_records(source: Path) -> list[NoteRecord]:
    """Every record in a folder of ``*.json`` records or in a JSON Lines file, validated."""
    records: list[NoteRecord] = []
    if source.is_dir():
        files = record_files(source)
        if not files:
            raise InputError(f"{source}: no records (*.json) found; write some with: note-extract run")
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
            records.append(_validate(data, str(path)))
        return records
    if not source.is_file():
        raise InputError(f"{source}: no such folder or file")
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{source}: cannot read as UTF-8 JSON Lines: {exc}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            records.append(_validate(line, f"{source}:{number}"))
    if not records:
        raise InputError(f"{source}: no records in the file")
    return records


# ---------------------------------------------------------------- flattening


@dataclass
class Tables:
    """Rows by table name, in the columns of :data:`TABLES`."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {t.name: [] for t in TABLES})

    def counts(self) -> dict[str, int]:
        """Row count by table, in table order."""
        return {t.name: len(self.rows[t.name]) for t in TABLES}


def _ref_row(note_id: str, role: str, group: tuple[str | None, int] | None, pos: int, ref: EntityRef) -> Row:
    return (
        note_id,
        role,
        group[0] if group else None,
        group[1] if group else None,
        pos,
        ref.text,
        ref.span[0],
        ref.span[1],
        ref.id,
        ref.name,
        ref.acronym,
        ref.type,
        ref.country_code,
        ref.parent,
        ref.match.method,
        float(ref.match.score),
        ref.confidence,
    )


def _event_confidence(record: NoteRecord) -> tuple[float | None, ...]:
    """The five event fields' confidences, then the least confidence of the note's values (the event
    fields and every party): the value a reviewer sorts by."""
    confidence = record.event.confidence
    fields = (
        (confidence.title, confidence.start_date, confidence.end_date, confidence.city, confidence.country)
        if confidence is not None
        else (None,) * 5
    )
    return (*fields, record.least_confidence())


ITEM_SEPARATOR = "; "
"""Between the items of a list cell (``organizer_names``, ``organizer_ids``); an unresolved organizer's
id is empty, so both lists keep the organizers' order and length."""


def _joined(items: Iterable[str]) -> str | None:
    """A list cell: the items joined by :data:`ITEM_SEPARATOR`, whitespace in each as one space; None
    when there are none."""
    cells = [" ".join(item.split()) for item in items]
    return ITEM_SEPARATOR.join(cells) if cells else None


def _organizer_cells(record: NoteRecord) -> tuple[str | None, str | None]:
    """The events row's ``organizer_names`` and ``organizer_ids``."""
    names = _joined(ref.name or ref.text for ref in record.organizers)
    return names, _joined(ref.id or "" for ref in record.organizers)


def _note_rows(record: NoteRecord) -> dict[str, list[Row]]:
    nid = record.id
    event, venue = record.event, record.event.venue
    members = sum(len(g.members) for g in record.participants)
    out: dict[str, list[Row]] = {t.name: [] for t in TABLES}
    out["events"].append(
        (
            nid,
            record.source.path,
            record.source.sha256,
            record.language,
            event.title,
            event.kind,
            event.start_date,
            event.end_date,
            event.date_text,
            event.date_precision,
            event.year_inferred,
            venue.place,
            venue.city,
            venue.country,
            venue.country_code,
            venue.virtual,
            event.found_in,
            len(record.organizers),
            *_organizer_cells(record),
            members,
            len(record.issues),
            record.schema_version,
            *_event_confidence(record),
        )
    )
    orgs = out["organizations"]
    for role, refs in record.parties():
        orgs.extend(_ref_row(nid, role, None, i, ref) for i, ref in enumerate(refs))
    pos = 0
    for g, group in enumerate(record.participants):
        out["participant_groups"].append(
            (nid, g, group.label, group.country_code, len(group.members), group.found_in)
        )
        for ref in group.members:
            orgs.append(_ref_row(nid, "participant", (group.label, g), pos, ref))
            pos += 1
    m = record.mentions
    mentions = out["mentions"]
    for kind, refs in (("organization", m.organizations), ("country", m.countries)):
        mentions.extend(
            (nid, kind, i, r.text, r.span[0], r.span[1], r.id, None, None, None, None)
            for i, r in enumerate(refs)
        )
    for i, res in enumerate(m.resolutions):
        value = f"{res.number} ({res.year})" if res.year is not None else str(res.number)
        mentions.append(
            (
                nid,
                "resolution",
                i,
                res.text,
                res.span[0],
                res.span[1],
                value,
                res.number,
                res.year,
                None,
                None,
            )
        )
    for i, d in enumerate(m.dates):
        value = d.start_date.isoformat() if d.start_date == d.end_date else f"{d.start_date}/{d.end_date}"
        mentions.append(
            (nid, "date", i, d.text, d.span[0], d.span[1], value, None, None, d.start_date, d.end_date)
        )
    mentions.extend(
        (nid, "email", i, e.address, e.span[0], e.span[1], e.address, None, None, None, None)
        for i, e in enumerate(m.emails)
    )
    out["issues"].extend(
        (
            nid,
            i,
            issue.code,
            issue.severity,
            issue.message,
            issue.hint,
            issue.span[0] if issue.span else None,
            issue.span[1] if issue.span else None,
        )
        for i, issue in enumerate(record.issues)
    )
    out["sections"].extend(
        (nid, i, s.number, s.heading, s.text, s.span[0], s.span[1]) for i, s in enumerate(record.sections)
    )
    return out


def flatten(records: Iterable[NoteRecord]) -> Tables:
    """The flat tables for ``records`` (sorted by note id; duplicate ids are an :class:`ExportError`)."""
    by_id: dict[str, NoteRecord] = {}
    for record in records:
        seen = by_id.get(record.id)
        if seen is not None:
            raise ExportError(
                f"two records have the id {record.id!r} ({seen.source.path} and {record.source.path}); "
                "note ids must be unique in one export"
            )
        by_id[record.id] = record
    tables = Tables()
    widths = {t.name: len(t.columns) for t in TABLES}
    for note_id in sorted(by_id):
        for name, rows in _note_rows(by_id[note_id]).items():
            if any(len(row) != widths[name] for row in rows):  # a row builder out of step with its columns
                raise AssertionError(f"{name}: row width differs from its {widths[name]} columns")
            tables.rows[name].extend(rows)
    return tables


# ---------------------------------------------------------------- writers


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json_value(value: Value) -> str | int | float | bool | None:
    return value.isoformat() if isinstance(value, date) else value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may take as the start of a formula in a text cell."""


def neutralize_formula(cell: str) -> str:
    """``cell`` with a leading ``'`` when it starts like a formula, so a spreadsheet shows it as text
    (OWASP's advice for CSV injection); any other cell unchanged."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


_CSV_SPECIAL = re.compile(r'[,"\r\n]')


def csv_cell(cell: str) -> str:
    """One CSV field: quoted (quotes doubled) when it holds a comma, a quote, or a line break of
    either kind (a bare carriage return too: a spreadsheet starts a new row at it), else as it is."""
    return '"' + cell.replace('"', '""') + '"' if _CSV_SPECIAL.search(cell) else cell


LINE_BREAK = re.compile(r"[ \t]*(?:\r\n|[\r\n\v\f\x85\u2028\u2029])[ \t]*")


def one_line(cell: str) -> str:
    """``cell`` with each line break (and the blanks around it) written as one space: a CSV row is one
    line, whatever a reader does with quoted line breaks. JSON Lines and Parquet keep the text as is."""
    return LINE_BREAK.sub(" ", cell)


AS_WRITTEN = frozenset(("note_id", "source_path"))
"""Columns that name a file: their CSV cells keep every character (a line break in one is quoted)."""


def _cell(value: Value, flat: bool) -> str:
    text = _text(value)
    return one_line(text) if flat else text


def csv_text(spec: TableSpec, rows: Sequence[Row], *, neutralize: bool = True) -> str:
    """One table as CSV: header row, minimal quoting (:func:`csv_cell`), "\\n" line ends, one line per
        row (a line break inside a text cell is written as a space, :func:`one_line`, except in the columns
    that name a file, :data:`AS_WRITTEN`); empty cells for null.
        With ``neutralize``, text columns go through :func:`neutralize_formula` (numbers, dates and booleans
        never start like a formula that runs)."""
    text_columns = [c.type == "str" and neutralize for c in spec.columns]
    flat = [c.name not in AS_WRITTEN for c in spec.columns]
    lines = [",".join(csv_cell(name) for name in spec.column_names)]
    lines.extend(
        ",".join(
            csv_cell(neutralize_formula(_cell(v, one)) if is_text else _cell(v, one))
            for v, is_text, one in zip(row, text_columns, flat, strict=True)
        )
        for row in rows
    )
    return "".join(line + "\n" for line in lines)


def jsonl_text(spec: TableSpec, rows: Sequence[Row]) -> str:
    """One table as JSON Lines: one flat object per row, keys in column order, dates as ISO text."""
    names = spec.column_names
    return "".join(
        json.dumps(
            {n: _json_value(v) for n, v in zip(names, row, strict=True)},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + "\n"
        for row in rows
    )


def _write_text(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def _import_pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]  # optional: parquet extra
        import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]  # optional: parquet extra
    except ImportError:
        raise MissingDependencyError(PARQUET_HINT) from None
    return pa, pq


def require_format(fmt: ExportFormat) -> None:
    """Raise :class:`MissingDependencyError` early when ``fmt`` needs a package that is not installed."""
    if fmt is ExportFormat.PARQUET:
        _import_pyarrow()


def arrow_schema(spec: TableSpec) -> Any:
    """The explicit pyarrow schema of one table (strings, int64, float64, bool, date32)."""
    pa, _ = _import_pyarrow()
    types = {
        "str": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
    }
    return pa.schema([pa.field(c.name, types[c.type], nullable=c.nullable) for c in spec.columns])


def _write_parquet(path: Path, spec: TableSpec, rows: Sequence[Row]) -> None:
    pa, pq = _import_pyarrow()
    schema = arrow_schema(spec)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in spec.columns]
    arrays = [pa.array(list(col), type=f.type) for col, f in zip(columns, schema, strict=True)]
    table = pa.Table.from_arrays(arrays, schema=schema)
    pq.write_table(table, str(path))


FolderWriter = Callable[[Path, TableSpec, Sequence[Row]], None]
_FOLDER_WRITERS: dict[ExportFormat, tuple[str, FolderWriter]] = {
    ExportFormat.CSV: (".csv", lambda p, s, r: _write_text(p, csv_text(s, r))),
    ExportFormat.JSONL: (".jsonl", lambda p, s, r: _write_text(p, jsonl_text(s, r))),
    ExportFormat.PARQUET: (".parquet", _write_parquet),
}


def _write_folder(target: Path, tables: Tables, fmt: ExportFormat, *, neutralize: bool = True) -> list[Path]:
    if target.exists() and not target.is_dir():
        raise ExportError(
            f"{target}: exists and is not a folder ({fmt.value} export writes one file per table)"
        )
    suffix, write = _FOLDER_WRITERS[fmt]
    if fmt is ExportFormat.CSV and not neutralize:
        write = lambda p, s, r: _write_text(p, csv_text(s, r, neutralize=False))  # noqa: E731
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=target))
    try:
        for spec in TABLES:
            write(staging / f"{spec.name}{suffix}", spec, tables.rows[spec.name])
        written = []
        for spec in TABLES:
            final = target / f"{spec.name}{suffix}"
            (staging / final.name).replace(final)
            written.append(final)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


_SQL_TYPES: dict[ColumnType, str] = {
    "str": "TEXT",
    "int": "INTEGER",
    "float": "REAL",
    "bool": "INTEGER",
    "date": "TEXT",
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_ddl(spec: TableSpec) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements for one table (dates as ISO text, booleans as 0/1)."""
    parts = []
    for c in spec.columns:
        col = f"{_q(c.name)} {_SQL_TYPES[c.type]}" + ("" if c.nullable else " NOT NULL")
        if c.type == "bool":
            col += f" CHECK ({_q(c.name)} IN (0, 1))"
        parts.append(col)
    parts.append(f"PRIMARY KEY ({', '.join(map(_q, spec.primary_key))})")
    parts.extend(
        f"FOREIGN KEY ({', '.join(map(_q, cols))}) REFERENCES {_q(parent)} ({', '.join(map(_q, ref))})"
        for cols, parent, ref in spec.foreign_keys
    )
    statements = [f"CREATE TABLE {_q(spec.name)} (\n  " + ",\n  ".join(parts) + "\n)"]
    statements.extend(
        f"CREATE INDEX {_q('idx_' + spec.name + '_' + '_'.join(cols))} ON {_q(spec.name)} "
        f"({', '.join(map(_q, cols))})"
        for cols in spec.indexes
    )
    return statements


def _sql_value(value: Value) -> str | int | float | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _write_sqlite(target: Path, tables: Tables) -> list[Path]:
    if target.is_dir():
        raise ExportError(f"{target}: is a folder; sqlite export writes one database file")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / temporary_name(target.name)
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode(target)))
    tmp.chmod(file_mode(target))  # the mode a normal write gives, whatever the umask did to it
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            with conn:
                for spec in TABLES:
                    for statement in sqlite_ddl(spec):
                        conn.execute(statement)
                    marks = ", ".join("?" for _ in spec.columns)
                    conn.executemany(
                        f"INSERT INTO {_q(spec.name)} VALUES ({marks})",
                        ([_sql_value(v) for v in row] for row in tables.rows[spec.name]),
                    )
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise ExportError(f"{target}: foreign key check failed: {problems[:3]}")
        except sqlite3.Error as exc:  # a full disk or a folder that cannot be written
            raise ExportError(f"{target}: cannot write the database: {exc}") from None
        finally:
            conn.close()
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return [target]


# ---------------------------------------------------------------- entry point


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    format: ExportFormat
    notes: int
    counts: dict[str, int]
    paths: list[Path]

    def line(self, target: Path) -> str:
        """A one-line summary: notes, format, target and rows per table."""
        tables = ", ".join(f"{name} {n}" for name, n in self.counts.items())
        return f"exported {self.notes} notes as {self.format.value} -> {target}: {tables}"


def export_records(
    records: Iterable[NoteRecord], fmt: ExportFormat, target: Path, *, neutralize: bool = True
) -> ExportSummary:
    """Flatten ``records`` and write them to ``target`` in ``fmt`` (``neutralize``: see :func:`csv_text`)."""
    require_format(fmt)
    tables = flatten(records)
    with output_errors(target):
        if fmt is ExportFormat.SQLITE:
            paths = _write_sqlite(target, tables)
        else:
            paths = _write_folder(target, tables, fmt, neutralize=neutralize)
    counts = tables.counts()
    return ExportSummary(fmt, counts["events"], counts, paths)


def export(source: Path, fmt: ExportFormat, target: Path, *, neutralize: bool = True) -> ExportSummary:
    """Read and validate every record in ``source`` (folder or JSON Lines file), then write the export."""
    require_format(fmt)
    return export_records(read_records(source), fmt, target, neutralize=neutralize)
