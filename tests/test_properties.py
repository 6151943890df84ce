"""Whatever the input, the pipeline returns a valid record whose spans all point into the raw text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from note_extract.batch.batch import run_batch
from note_extract.batch.convert import NoteResult
from note_extract.core.settings import Settings
from note_extract.pipeline import Pipeline
from note_extract.read.reader import decode

from .conftest import SEEDS, extract
from .test_seeds import _spans

FRAGMENTS = [
    "Event: ",
    "**Organizers**: ",
    "| Date and venue: | ",
    " |\n",
    "Participants: States - ",
    "UNLIREC",
    "UN LIREC",
    "(OAS/CICTE)",
    "9 -11 November 2010",
    "30 November \u2013 2 December 2019",
    ", Lima, Peru",
    "<sup>1</sup>",
    "&amp;",
    "\u00b9 For information \u2013 not an official report.",
    "\n\n",
    "1. Background\n",
    "resolution 1540 (2004)",
    "sponsored by the United States",
    "; ",
    "\r\n",
    "\u00a0",
    "Ministry of Health",
    "[^1]",
    "Organised by:\n",
    "On 4 October 2017, UNLIREC travelled to Georgetown, Guyana to co-host",
    "Kenya, Nairobi",
    "United States Department of State Export Control",
]

note_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=40).map("".join)


def check(pipeline: Pipeline, raw: str) -> None:
    data = extract(pipeline, raw).model_dump(mode="json")
    for owner, key in _spans(data):
        start, end = owner[key]
        assert 0 <= start <= end <= len(raw)
        if key == "span" and "text" in owner and "heading" not in owner:
            assert raw[start:end] == owner["text"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note_text)
def test_any_text_gives_a_record_with_grounded_spans(pipeline: Pipeline, raw: str) -> None:
    check(pipeline, raw)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_any_bytes_decode_and_give_a_record(pipeline: Pipeline, data: bytes) -> None:
    text, encoding = decode(data)
    assert encoding
    check(pipeline, text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_damaged_real_notes_still_give_records(pipeline: Pipeline, data: st.DataObject) -> None:
    raw = SEEDS[data.draw(st.integers(0, len(SEEDS) - 1))].read_text(encoding="utf-8")
    cut = data.draw(st.integers(0, len(raw)))
    insert = data.draw(st.sampled_from(FRAGMENTS))
    check(pipeline, raw[:cut] + insert + raw[cut:])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(max_size=300), min_size=1, max_size=5))
def test_a_batch_of_any_files_never_raises_and_accounts_for_every_file(
    tmp_path_factory: object, files: list[bytes]
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for index, data in enumerate(files):
            (root / f"note{index}.txt").write_bytes(data)
        results: list[NoteResult] = []
        summary = run_batch(root, root / "out", Settings(), workers=1, force=True, on_result=results.append)
        assert [r.path for r in results] == [f"note{i}.txt" for i in range(len(files))]
        assert summary.total == len(files) and len(summary.failures) == summary.count("failed")
        for result in results:
            assert result.status in {"converted", "failed"}
            assert (result.status == "failed") == (result.error is not None)
            written = root / "out" / Path(result.path).with_suffix(".json")
            assert written.is_file() == (result.status == "converted")


def test_a_very_large_note_gives_a_record(pipeline: Pipeline) -> None:
    raw = SEEDS[4].read_text(encoding="utf-8")
    big = raw + "\n\n" + "\n\n".join([raw.split("1. Background", 1)[-1]] * 300)
    assert len(big) > 1_000_000
    record = extract(pipeline, big)
    assert record.event.start_date is not None and record.event.venue.city == "Lima"
    assert len(record.mentions.resolutions) > 300
