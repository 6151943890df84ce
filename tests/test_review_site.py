"""The review site without a browser: highlight markup, escaping, missing notes, determinism."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from note_extract.batch.batch import run_batch
from note_extract.batch.records import load_batch
from note_extract.core.errors import InputError
from note_extract.core.settings import Settings
from note_extract.pipeline import Pipeline
from note_extract.review.page import KINDS, highlights, match_words
from note_extract.review.site import build_site

from .conftest import SEEDS


def _page_parts(page: str) -> tuple[str, dict[str, Any]]:
    """A note page's raw text (as the browser reads it) and its table."""
    pre = re.search(r"<pre id=raw class=raw>\n(.*?)</pre>", page, re.S)
    data = re.search(r"<script id=data type=application/json>(.*?)</script>", page, re.S)
    assert pre is not None and data is not None
    return html.unescape(pre.group(1)), json.loads(data.group(1))


def test_a_page_holds_the_raw_text_once_and_a_table_of_every_span(tmp_path: Path) -> None:
    raw = "Event: Alpha <Beta> & Gamma\r\nOrganizers: UNODA\r\nDate and venue: 3 May 2016, Lima, Peru\r\n"
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_bytes(raw.encode())
    out = tmp_path / "out"
    assert run_batch(notes, out, Settings(), workers=1).count("failed") == 0
    build_site(out, tmp_path / "site", Pipeline(Settings()).resolver)
    page = (tmp_path / "site" / "notes" / "a.html").read_text(encoding="utf-8")
    assert "&#13;" in page and "\r" not in page and "<Beta>" not in page
    text, data = _page_parts(page)
    assert text == raw
    record = load_batch(out)[0].record
    expected = {(h.start, h.end) for h in highlights(record)}
    spans, start = set(), 0
    for row in data["h"]:
        start += row[0]
        spans.add((start, start + row[1]))
    assert spans == expected
    for row in data["h"]:
        for n in range(2, len(row), 3):
            kinds = row[n] if isinstance(row[n], list) else [row[n]]
            assert all(0 <= k < len(KINDS) for k in kinds)
            assert row[n + 1] in (-1, -2) or 0 <= row[n + 1] < len(data["e"])
    unoda = next(e for e in data["e"] if e[1] == "unoda")
    assert unoda[0] == "United Nations Office for Disarmament Affairs"
    organizers, _sponsors, _hosts, _observers = data["r"][:4]
    assert [data["e"][ref[0]][1] for ref in organizers] == [o.id or "" for o in record.organizers]


def test_tooltip_words_are_for_a_person() -> None:
    from note_extract.core.models import Candidate, EntityRef, Match

    ref = EntityRef(
        text="OSCE Forum",
        span=(0, 10),
        id=None,
        name=None,
        match=Match(
            method="unresolved", score=0, candidates=[Candidate(id="osce-fsc", name="OSCE Forum", score=60)]
        ),
    )
    assert match_words(ref) == "not in the registry; nearest: OSCE Forum (60%)"
    fuzzy = ref.model_copy(
        update={"id": "osce-fsc", "name": "OSCE Forum", "match": Match(method="fuzzy", score=92.4)}
    )
    assert match_words(fuzzy) == "similar spelling (92%)"


def test_user_text_is_escaped_everywhere(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    evil = '<script>alert("x")</script> & "quoted" <img src=x onerror=alert(1)>'
    (notes / "evil.txt").write_text(
        f"Event: Workshop 1 < 2 {evil}\nOrganizers: {evil}\n"
        f"Date and Venue: 3 May 2016, Lima, Peru\n\n1. Body\n{evil}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert run_batch(notes, out, Settings(), workers=1).count("failed") == 0
    site = tmp_path / "site"
    build_site(out, site, Pipeline(Settings()).resolver, (notes,))
    for page in [site / "index.html", site / "proposals.html", *site.glob("notes/*.html")]:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img" not in text, page
        inline = re.findall(r"<script id=data type=application/json>(.*?)</script>", text, re.S)
        assert len(re.findall(r"<script", text)) == len(re.findall(r"<script src=", text)) + len(inline), page
        assert all("<" not in table for table in inline), page
    data = (site / "assets" / "notes.js").read_text(encoding="utf-8")
    assert "<" not in data and "\\u003c" in data
    page = (site / "notes" / "evil.html").read_text(encoding="utf-8")
    assert html.escape(evil, quote=False) in page


def test_a_missing_or_changed_note_gets_a_page_that_says_so(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, notes / seed.name)
    out = tmp_path / "out"
    assert run_batch(notes, out, Settings(), workers=1).count("failed") == 0
    (notes / SEEDS[0].name).write_text("changed", encoding="utf-8")
    (notes / SEEDS[1].name).unlink()
    site = tmp_path / "site"
    summary = build_site(out, site, Pipeline(Settings()).resolver, (notes,))
    assert len(summary.missing_text) == 2
    changed = (site / "notes" / f"{SEEDS[0].stem}.html").read_text(encoding="utf-8")
    gone = (site / "notes" / f"{SEEDS[1].stem}.html").read_text(encoding="utf-8")
    assert "differs from the one the record was made from" in changed and "id=data" not in changed
    assert "not found" in gone and "id=data" not in gone
    link = re.search(r'<a href="([^"]+)">record</a>', gone)
    assert link is not None and (site / "notes" / link.group(1)).resolve() == (out / f"{SEEDS[1].stem}.json")
    assert not (site / "records").exists()


def test_the_same_batch_gives_the_same_site(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, notes / seed.name)
    out = tmp_path / "out"
    run_batch(notes, out, Settings(), workers=1)
    resolver = Pipeline(Settings()).resolver
    build_site(out, tmp_path / "a", resolver, (notes,))
    build_site(out, tmp_path / "b", resolver, (notes,))
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 3 + len(SEEDS) + 4  # index, proposals and the site marker
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_an_empty_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no records"):
        build_site(tmp_path, tmp_path / "site", Pipeline(Settings()).resolver)


def test_bench_times_the_review_site(tmp_path: Path) -> None:
    from dataclasses import replace

    from note_extract.bench.bench import generate_corpus
    from note_extract.bench.review import time_review
    from note_extract.cli.bench import format_result

    files = generate_corpus(SEEDS[0].parent, tmp_path / "corpus", 6, 7)
    notes, seconds = time_review([Path(f) for f in files], Settings(), notes=4)
    assert notes == 4 and seconds > 0
    from note_extract.bench.bench import BenchResult

    base = BenchResult(
        notes=6, seed=7, source="s", corpus=None, cpus=1, generate_s=0, setup_s=0, pipeline_s=1,
        pipeline_notes_per_s=1, pipeline_failed=0, tokenizer="t", tokenizer_s=1, tokenizer_notes_per_s=1,
        ratio=1, batches=(), peak_rss_main_mb=1, peak_rss_worker_mb=1, total_s=1, profile=None,
    )  # fmt: skip
    assert "review site" not in format_result(base)
    assert "review site: 4 notes in 0.5 s" in format_result(replace(base, review_notes=4, review_s=0.5))


def _site_cost(notes_dirs: tuple[Path, ...], tmp_path: Path) -> tuple[int, int, int]:
    """(text bytes of the notes, bytes the site spends per note: pages and index rows, whole site)."""
    out = tmp_path / "out"
    for folder in notes_dirs:
        assert run_batch(folder, out, Settings(), workers=1, force=True).count("failed") == 0
    site = tmp_path / "site"
    build_site(out, site, Pipeline(Settings()).resolver, notes_dirs)
    text = sum(
        (folder / item.record.source.path).stat().st_size
        for item in load_batch(out)
        for folder in notes_dirs
        if (folder / item.record.source.path).is_file()
    )
    per_note = (
        sum(p.stat().st_size for p in (site / "notes").iterdir())
        + (site / "assets" / "notes.js").stat().st_size
    )
    whole = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return text, per_note, whole


SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "notes"


@pytest.mark.skipif(
    not SHARED_CORPUS.is_dir(), reason="the shared evaluation corpus is not beside the project"
)
def test_the_site_of_the_shared_corpus_costs_at_most_three_times_the_text_per_note(tmp_path: Path) -> None:
    text, per_note, _whole = _site_cost((SHARED_CORPUS,), tmp_path)
    assert per_note <= 3 * text, (per_note, text)


def test_the_site_of_the_seeds_costs_at_most_three_and_a_half_times_the_text_per_note(tmp_path: Path) -> None:
    """Header notes are short and list many parties: the page's fixed part weighs more than in reports."""
    from .conftest import NOTES_DIR, RAW_DIR

    text, per_note, _whole = _site_cost((RAW_DIR, NOTES_DIR), tmp_path)
    assert per_note <= 3.5 * text, (per_note, text)


def test_every_kind_has_its_own_fill() -> None:
    from importlib import resources

    css = resources.files("note_extract.review.assets").joinpath("site.css").read_text(encoding="utf-8")
    fills = dict(re.findall(r"^\.k-([a-z]+) \{ background: (#[0-9A-Fa-f]+);", css, re.M))
    painted = [kind for kind, _name in KINDS if kind not in ("issue", "email")]
    assert set(painted) <= set(fills)
    assert len({fills[k] for k in painted}) == len(painted)
    assert "has-issue" in css and "text-decoration: underline wavy" not in css


def test_record_files_are_streamed_in_the_order_they_are_listed(tmp_path: Path) -> None:
    from note_extract.batch.records import iter_record_files, record_files

    for rel in (
        "b.json",
        "a/c.json",
        "a.json",
        "a-b/d.json",
        "_skip.json",
        ".hidden/e.json",
        "a/.f.json",
        "z.txt",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}", encoding="utf-8")
    assert list(iter_record_files(tmp_path)) == list(record_files(tmp_path).items())
    assert [rel for rel, _path in iter_record_files(tmp_path)] == ["a/c", "a-b/d", "a", "b"]
