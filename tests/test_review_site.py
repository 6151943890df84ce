"""The review site without a browser: highlight markup, escaping, missing notes, determinism."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from note_extract.batch.batch import run_batch
from note_extract.core.errors import InputError
from note_extract.core.settings import Settings
from note_extract.pipeline import Pipeline
from note_extract.review.page import Highlight, mark_up
from note_extract.review.site import build_site

from .conftest import SEEDS


class _Pieces(HTMLParser):
    """Text of every <mark> piece by its data-h, joined in document order, and the bare text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.pieces: dict[str, str] = {}
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self.open.append(dict(attrs)["data-h"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        for group in set(self.open):
            self.pieces[group] = self.pieces.get(group, "") + data


def _parse(markup: str) -> _Pieces:
    parser = _Pieces()
    parser.feed(markup)
    parser.close()
    return parser


def test_nested_and_crossing_spans_keep_their_text() -> None:
    raw = "Alpha <Beta> & Gamma\r\nDelta"
    items = [
        Highlight(0, 12, ["title"], ["t"]),
        Highlight(6, 12, ["org"], ["o"]),
        Highlight(9, 20, ["venue"], ["v"]),  # crosses the title's end
        Highlight(13, 27, ["issue"], ["i"]),
    ]
    markup = mark_up(raw, items)
    assert "&#13;" in markup and "\r" not in markup
    assert "<Beta>" not in markup
    parsed = _parse(markup.replace("&#13;", "\r"))
    assert parsed.text == raw
    for item in items:
        assert parsed.pieces[item.anchor] == raw[item.start : item.end]
    assert markup.count('id="h-9-20"') == 1 and markup.count('data-h="h-9-20"') == 2


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
        assert len(re.findall(r"<script", text)) == len(re.findall(r"<script src=", text)), page
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
    assert "differs from the one the record was made from" in changed and "data-h=" not in changed
    assert "not found" in gone and "data-h=" not in gone
    assert (site / "records" / f"{SEEDS[1].stem}.json").is_file()


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
    assert len(files) == 3 + 2 * len(SEEDS) + 4  # index, proposals and the site marker
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
