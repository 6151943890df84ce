"""Export: records to flat CSV, JSON Lines, Parquet and SQLite tables keyed by note id."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from note_extract.batch.export import TABLES, ExportFormat, export_records, flatten, read_records
from note_extract.batch.output import record_json, record_line
from note_extract.cli.main import app
from note_extract.core.models import (
    DateMention,
    EmailMention,
    EntityRef,
    Event,
    Extractor,
    Issue,
    Match,
    Mentions,
    NoteRecord,
    ParticipantGroup,
    Resolution,
    Section,
    Source,
    Venue,
)
from note_extract.pipeline import Pipeline

from .conftest import RAW_DIR

runner = CliRunner()

TABLE_NAMES = [t.name for t in TABLES]


def _ref(text: str, start: int, org_id: str | None, **extra: object) -> EntityRef:
    method = "unresolved" if org_id is None else str(extra.pop("method", "alias"))
    return EntityRef.model_validate(
        {
            "text": text,
            "span": (start, start + len(text)),
            "id": org_id,
            "name": None if org_id is None else str(extra.pop("name", text)),
            "match": Match.model_validate({"method": method, "score": 100.0 if org_id else 0.0}),
            **extra,
        }
    )


def make_record(note_id: str, *, with_everything: bool = True) -> NoteRecord:
    """A hand-built record; ``with_everything`` fills every list, otherwise they are empty."""
    unoda = _ref("UNODA", 100, "unoda", name="United Nations Office for Disarmament Affairs", type="un_body")
    lirec = _ref(
        "UN LIREC", 120, "unlirec", name="UNLIREC", parent="unoda", type="un_body", acronym="UNLIREC"
    )
    peru = _ref("Perú", 140, "country:PE", method="rule", name="Peru", type="country", country_code="PE")
    odd = _ref('Comité "Ñandú", Lima\nSur', 160, None)
    full = with_everything
    return NoteRecord(
        id=note_id,
        source=Source(path=f"raw/{note_id}.txt", sha256="a" * 64, size=1234, encoding="utf-8"),
        extractor=Extractor(version="0.1.0", rules_sha256="b" * 64),
        language="es" if full else "en",
        event=Event(
            title="Taller nacional sobre la resolución 1540, «Perú»" if full else None,
            kind="workshop" if full else "other",
            start_date=date(2024, 5, 14) if full else None,
            end_date=date(2024, 5, 16) if full else None,
            date_precision="day" if full else None,
            date_text="14-16 May 2024" if full else None,
            venue=Venue(
                text="Lima, Peru" if full else None,
                place="Hotel Bolívar" if full else None,
                city="Lima" if full else None,
                country="Peru" if full else None,
                country_code="PE" if full else None,
                virtual=full,
            ),
            found_in="header" if full else "none",
        ),
        organizers=[unoda, lirec] if full else [],
        sponsors=[_ref("European Union", 200, "eu", type="intergovernmental")] if full else [],
        hosts=[peru] if full else [],
        observers=[odd] if full else [],
        participants=(
            [
                ParticipantGroup(
                    label="Peru:", label_span=(300, 305), country_code="PE", members=[peru, odd]
                ),
                ParticipantGroup(label=None, members=[unoda]),
            ]
            if full
            else []
        ),
        sections=(
            [
                Section(number=None, heading=None, text="Intro, with a comma", span=(0, 19)),
                Section(number="1", heading="Background", text='Line one\nline "two"', span=(20, 60)),
            ]
            if full
            else []
        ),
        mentions=Mentions(
            organizations=[unoda, lirec, odd] if full else [],
            countries=[peru] if full else [],
            resolutions=(
                [
                    Resolution(number=1540, year=2004, text="1540 (2004)", span=(400, 411)),
                    Resolution(number=2325, year=None, text="2325", span=(420, 424)),
                ]
                if full
                else []
            ),
            dates=(
                [
                    DateMention(
                        text="14-16 May 2024",
                        span=(450, 464),
                        start_date=date(2024, 5, 14),
                        end_date=date(2024, 5, 16),
                        precision="day",
                        year_inferred=False,
                    ),
                    DateMention(
                        text="1 June",
                        span=(470, 476),
                        start_date=date(2024, 6, 1),
                        end_date=date(2024, 6, 1),
                        precision="day",
                        year_inferred=True,
                    ),
                ]
                if full
                else []
            ),
            emails=[EmailMention(address="1540@un.org", span=(500, 511))] if full else [],
        ),
        furniture=[],
        issues=(
            [
                Issue(
                    code="venue-doubtful",
                    severity="warning",
                    message="Venue, maybe",
                    span=(5, 9),
                    hint="Check",
                )
            ]
            if full
            else [Issue(code="title-missing", severity="error", message="No title")]
        ),
    )


RECORDS = [make_record("b_full"), make_record("a_empty", with_everything=False)]


@pytest.fixture
def records_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    (folder / "sub").mkdir(parents=True)
    (folder / "b_full.json").write_text(record_json(RECORDS[0]), encoding="utf-8")
    (folder / "sub" / "a_empty.json").write_text(record_json(RECORDS[1]), encoding="utf-8")
    (folder / "_manifest.json").write_text("{}", encoding="utf-8")  # skipped: not a record
    (folder / ".partial.json").write_text("{", encoding="utf-8")  # skipped
    (folder / "notes.txt").write_text("not json", encoding="utf-8")  # not *.json
    return folder


def _invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, ["export", *map(str, args)])
    return result.exit_code, result.output


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_flatten_gives_rows_sorted_by_note_then_role_then_position() -> None:
    tables = flatten(RECORDS)
    assert tables.counts() == {
        "events": 2,
        "participant_groups": 2,
        "organizations": 8,
        "mentions": 9,
        "issues": 2,
        "sections": 2,
    }
    assert [r[0] for r in tables.rows["events"]] == ["a_empty", "b_full"]
    orgs = tables.rows["organizations"]
    assert [(r[1], r[4]) for r in orgs] == [
        ("organizer", 0),
        ("organizer", 1),
        ("sponsor", 0),
        ("host", 0),
        ("observer", 0),
        ("participant", 0),
        ("participant", 1),
        ("participant", 2),
    ]
    # participants point to their group; position runs across the note's groups
    assert [(r[2], r[3]) for r in orgs[5:]] == [("Peru:", 0), ("Peru:", 0), (None, 1)]


def test_csv_export_round_trips_every_table_with_foreign_keys(records_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "csv"
    code, output = _invoke(records_dir, "--to", "csv", "-o", target)
    assert code == 0, output
    assert "exported 2 notes as csv" in output
    assert "organizations 8" in output
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{n}.csv" for n in TABLE_NAMES)
    tables = {spec.name: _read_csv(target / f"{spec.name}.csv") for spec in TABLES}
    for spec in TABLES:
        header = (target / f"{spec.name}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(",") == spec.column_names
    events = {row["note_id"]: row for row in tables["events"]}
    assert list(events) == ["a_empty", "b_full"]
    full = events["b_full"]
    assert full["title"] == "Taller nacional sobre la resolución 1540, «Perú»"
    assert (full["start_date"], full["end_date"], full["virtual"]) == ("2024-05-14", "2024-05-16", "true")
    assert (full["organizer_count"], full["participant_count"], full["issue_count"]) == ("2", "3", "1")
    assert full["organizer_names"].count("; ") == 1 and full["organizer_ids"].count("; ") == 1
    assert events["a_empty"]["title"] == ""
    for name in TABLE_NAMES[1:]:
        assert {row["note_id"] for row in tables[name]} <= set(events), name
    odd = next(r for r in tables["organizations"] if r["role"] == "observer")
    assert odd["text"] == 'Comité "Ñandú", Lima Sur'
    assert (odd["org_id"], odd["match_method"], odd["span_start"]) == ("", "unresolved", "160")
    section = tables["sections"][1]
    assert (section["number"], section["text"]) == ("1", 'Line one line "two"')
    for spec in TABLES:
        lines = (target / f"{spec.name}.csv").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1 + len(tables[spec.name]), spec.name
    raw = (target / "sections.csv").read_bytes()
    assert b"\r" not in raw
    assert raw.endswith(b"\n")


def test_jsonl_export_writes_flat_typed_rows(records_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "jsonl"
    code, output = _invoke(records_dir, "--to", "jsonl", "-o", target)
    assert code == 0, output
    tables = {
        spec.name: [
            json.loads(line)
            for line in (target / f"{spec.name}.jsonl").read_text(encoding="utf-8").splitlines()
        ]
        for spec in TABLES
    }
    for spec in TABLES:
        for row in tables[spec.name]:
            assert list(row) == spec.column_names
    mentions = {(m["note_id"], m["kind"], m["position"]): m for m in tables["mentions"]}
    assert [m["kind"] for m in tables["mentions"]] == [
        *["organization"] * 3,
        "country",
        "resolution",
        "resolution",
        "date",
        "date",
        "email",
    ]
    res = mentions["b_full", "resolution", 0]
    assert (res["value"], res["resolution_number"], res["resolution_year"]) == ("1540 (2004)", 1540, 2004)
    assert mentions["b_full", "resolution", 1]["value"] == "2325"
    assert mentions["b_full", "date", 0]["value"] == "2024-05-14/2024-05-16"
    assert mentions["b_full", "date", 1]["value"] == "2024-06-01"
    assert mentions["b_full", "date", 0]["end_date"] == "2024-05-16"
    assert mentions["b_full", "email", 0]["value"] == "1540@un.org"
    assert mentions["b_full", "country", 0]["value"] == "country:PE"
    assert mentions["b_full", "organization", 2]["value"] is None
    issues = tables["issues"]
    assert issues[0] == {
        "note_id": "a_empty",
        "position": 0,
        "code": "title-missing",
        "severity": "error",
        "message": "No title",
        "hint": None,
        "span_start": None,
        "span_end": None,
    }
    assert tables["events"][1]["virtual"] is True
    assert tables["organizations"][0]["match_score"] == 100.0


def test_sqlite_export_has_typed_columns_keys_and_indexes(records_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "db" / "notes.sqlite"
    code, output = _invoke(records_dir, "--to", "sqlite", "-o", target)
    assert code == 0, output
    conn = sqlite3.connect(target)
    try:
        names = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        assert names == sorted(TABLE_NAMES)
        for spec in TABLES:
            info = conn.execute(f"PRAGMA table_info({spec.name})").fetchall()
            assert [r[1] for r in info] == spec.column_names
        types = {r[1]: r[2] for r in conn.execute("PRAGMA table_info(events)")}
        assert (types["note_id"], types["organizer_count"], types["virtual"]) == (
            "TEXT",
            "INTEGER",
            "INTEGER",
        )
        pk = [r[1] for r in conn.execute("PRAGMA table_info(events)") if r[5]]
        assert pk == ["note_id"]
        for spec in TABLES[1:]:
            parents = {r[2] for r in conn.execute(f"PRAGMA foreign_key_list({spec.name})")}
            assert "events" in parents, spec.name
        indexed = {
            (table, col)
            for table in TABLE_NAMES
            for idx in conn.execute(f"PRAGMA index_list({table})")
            for col in [r[2] for r in conn.execute(f"PRAGMA index_info({idx[1]})")]
        }
        assert ("organizations", "org_id") in indexed
        assert ("mentions", "note_id") in indexed
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLE_NAMES}
        assert counts == flatten(RECORDS).counts()
        rows = conn.execute(
            "SELECT o.org_id, g.label, e.venue_city FROM organizations o "
            "JOIN participant_groups g ON g.note_id = o.note_id AND g.position = o.group_position "
            "JOIN events e ON e.note_id = o.note_id WHERE o.role = 'participant' ORDER BY o.position"
        ).fetchall()
        assert rows == [("country:PE", "Peru:", "Lima"), (None, "Peru:", "Lima"), ("unoda", None, "Lima")]
        virtual, start = conn.execute(
            "SELECT virtual, start_date FROM events WHERE note_id='b_full'"
        ).fetchone()
        assert (virtual, start) == (1, "2024-05-14")
        conn.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO issues VALUES ('nope', 0, 'x', 'info', 'm', NULL, NULL, NULL)")
    finally:
        conn.close()


def test_sqlite_export_replaces_an_existing_database(tmp_path: Path) -> None:
    target = tmp_path / "notes.sqlite"
    export_records(RECORDS, ExportFormat.SQLITE, target)
    export_records(RECORDS[:1], ExportFormat.SQLITE, target)
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT note_id FROM events").fetchall() == [("b_full",)]
    conn.close()
    assert [p.name for p in tmp_path.iterdir()] == ["notes.sqlite"]


def test_parquet_export_has_explicit_schemas(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "parquet"
    summary = export_records(RECORDS, ExportFormat.PARQUET, target)
    assert summary.counts["organizations"] == 8
    for spec in TABLES:
        table = pq.read_table(target / f"{spec.name}.parquet")
        assert table.column_names == spec.column_names
        assert table.num_rows == summary.counts[spec.name]
    events = pq.read_table(target / "events.parquet")
    assert events.schema.field("start_date").type == pa.date32()
    assert events.schema.field("organizer_count").type == pa.int64()
    assert events.schema.field("virtual").type == pa.bool_()
    assert not events.schema.field("note_id").nullable
    rows = events.to_pylist()
    assert [r["note_id"] for r in rows] == ["a_empty", "b_full"]
    assert rows[1]["start_date"] == date(2024, 5, 14)
    assert rows[0]["start_date"] is None
    mentions = pq.read_table(target / "mentions.parquet")
    assert mentions.schema.field("resolution_number").type == pa.int64()
    orgs = pq.read_table(target / "organizations.parquet").to_pylist()
    assert {r["note_id"] for r in orgs} <= {r["note_id"] for r in rows}
    assert orgs[0]["match_score"] == 100.0


def test_missing_pyarrow_asks_for_the_parquet_extra(
    records_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    code, output = _invoke(records_dir, "--to", "parquet", "-o", tmp_path / "pq")
    assert code == 2
    assert "install note_extract[parquet]" in output
    assert not (tmp_path / "pq").exists()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_csv_and_jsonl_exports_are_byte_identical_whatever_the_input_order(
    records_dir: Path, tmp_path: Path, fmt: str
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert _invoke(records_dir, "--to", fmt, "-o", first)[0] == 0
    lines = tmp_path / "records.jsonl"
    lines.write_text("".join(record_line(r) for r in reversed(RECORDS)), encoding="utf-8")
    assert _invoke(lines, "--to", fmt, "-o", second)[0] == 0
    assert _invoke(records_dir, "--to", fmt, "-o", second)[0] == 0
    for spec in TABLES:
        name = f"{spec.name}.{fmt}"
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert sorted(p.name for p in second.iterdir()) == sorted(p.name for p in first.iterdir())


def test_a_json_lines_file_of_records_is_accepted(tmp_path: Path) -> None:
    lines = tmp_path / "records.jsonl"
    lines.write_text("".join(record_line(r) for r in RECORDS) + "\n", encoding="utf-8")
    assert [r.id for r in read_records(lines)] == ["b_full", "a_empty"]


def test_an_invalid_record_file_is_named_and_nothing_is_written(records_dir: Path, tmp_path: Path) -> None:
    bad = json.loads(record_json(RECORDS[0]))
    bad["id"] = "c_bad"
    bad["event"]["kind"] = "party"
    (records_dir / "sub" / "c_bad.json").write_text(json.dumps(bad), encoding="utf-8")
    target = tmp_path / "out.sqlite"
    code, output = _invoke(records_dir, "--to", "sqlite", "-o", target)
    assert code == 2
    assert "c_bad.json" in output
    assert "event.kind" in output
    assert not target.exists()
    assert list(tmp_path.glob(".out.sqlite*")) == []


def test_a_file_that_is_not_json_is_named(records_dir: Path, tmp_path: Path) -> None:
    (records_dir / "broken.json").write_text('{"id": ', encoding="utf-8")
    code, output = _invoke(records_dir, "--to", "csv", "-o", tmp_path / "csv")
    assert code == 2
    assert "broken.json" in output
    assert "not a valid record" in output
    assert not (tmp_path / "csv").exists()


def test_a_bad_line_in_a_json_lines_file_is_named_with_its_line(tmp_path: Path) -> None:
    lines = tmp_path / "records.jsonl"
    lines.write_text(record_line(RECORDS[0]) + '{"id": "x"}\n', encoding="utf-8")
    code, output = _invoke(lines, "--to", "jsonl", "-o", tmp_path / "out")
    assert code == 2
    assert "records.jsonl:2" in output


def test_an_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, output = _invoke(empty, "--to", "csv", "-o", tmp_path / "csv")
    assert code == 2
    assert "no records" in output
    assert not (tmp_path / "csv").exists()


def test_duplicate_note_ids_are_refused(records_dir: Path, tmp_path: Path) -> None:
    (records_dir / "sub" / "again.json").write_text(record_json(RECORDS[0]), encoding="utf-8")
    code, output = _invoke(records_dir, "--to", "jsonl", "-o", tmp_path / "out")
    assert code == 2
    assert "b_full" in output
    assert "unique" in output


def test_a_folder_format_refuses_a_file_target_and_sqlite_a_folder(records_dir: Path, tmp_path: Path) -> None:
    file_target = tmp_path / "file.txt"
    file_target.write_text("keep", encoding="utf-8")
    code, output = _invoke(records_dir, "--to", "csv", "-o", file_target)
    assert code == 2
    assert "not a folder" in output
    assert file_target.read_text(encoding="utf-8") == "keep"
    code, output = _invoke(records_dir, "--to", "sqlite", "-o", tmp_path)
    assert code == 2
    assert "is a folder" in output


def test_records_from_the_real_pipeline_export_to_every_format(tmp_path: Path, pipeline: Pipeline) -> None:
    records = [pipeline.extract_file(path, f"data/raw/{path.name}") for path in sorted(RAW_DIR.glob("*.txt"))]
    assert records
    folder = tmp_path / "records"
    folder.mkdir()
    for record in records:
        (folder / f"{record.id}.json").write_text(record_json(record), encoding="utf-8")
    formats = ["csv", "jsonl", "sqlite"]
    try:
        import pyarrow  # type: ignore[import-untyped,unused-ignore]  # noqa: F401

        formats.append("parquet")
    except ImportError:
        pass
    for fmt in formats:
        target = tmp_path / ("notes.sqlite" if fmt == "sqlite" else fmt)
        code, output = _invoke(folder, "--to", fmt, "-o", target)
        assert code == 0, output
        assert f"exported {len(records)} notes" in output
    expected = flatten(records).counts()
    assert expected["organizations"] > 0
    assert expected["mentions"] > 0
    conn = sqlite3.connect(tmp_path / "notes.sqlite")
    try:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLE_NAMES}
        assert counts == expected
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        titles = dict(conn.execute("SELECT note_id, title FROM events"))
        assert titles == {r.id: r.event.title for r in records}
    finally:
        conn.close()
    with (tmp_path / "csv" / "organizations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == expected["organizations"]
    assert all(r["text"] for r in rows)
