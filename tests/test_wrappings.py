"""A wrapped note gives the note's own record: the wrapping generator (tests/wrappings.py) and the
decoration pass (read/decorate.py, read/containers.py)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from note_extract.core.models import Source
from note_extract.core.spans import CleanSpan
from note_extract.pipeline import Pipeline
from note_extract.read.containers import json_text, quoted_printable, rtf
from note_extract.read.decorate import strip_prefixes, unescape
from note_extract.read.mapped import MappedText
from note_extract.read.normalize import normalize
from note_extract.read.reader import read_note
from note_extract.rules.bundle import shipped_rules
from tests.conftest import ALL_NOTES, ROOT
from tests.reshapes import EVERY
from tests.wrappings import FIELDS, HELD_OUT, KINDS, signature, wrap

COMBINATIONS = 60
FLOOR = 0.9


def _signature(pipeline: Pipeline, text: str, name: str) -> dict[str, object]:
    source = Source(path=name, sha256="0" * 64, size=len(text), encoding="utf-8")
    record = json.loads(pipeline.extract_text(text, source, name).model_dump_json())
    assert isinstance(record, dict)
    return signature(record)


def _sets() -> list[Path]:
    folders = [ROOT / "tests" / name / "notes" for name in ("heldout", "heldout2", "reports")]
    return ALL_NOTES + sorted(p for folder in folders for p in folder.iterdir())


@pytest.mark.slow
def test_wrapped_notes_give_the_notes_record(pipeline: Pipeline) -> None:
    """Over seeded combinations of the decorations used in development, every field agrees with the
    unwrapped note's record in at least nine combinations out of ten."""
    rng = random.Random(1540)
    notes = _sets()
    dev = tuple(kind for kind in KINDS if kind.name not in HELD_OUT)
    agree = dict.fromkeys(FIELDS, 0)
    misses: list[str] = []
    for _ in range(COMBINATIONS):
        note = rng.choice(notes)
        text = read_note(note)[0]
        wrapped, names = wrap(text, rng.randrange(2**31), dev)
        want, got = _signature(pipeline, text, note.stem), _signature(pipeline, wrapped, note.stem)
        for field in FIELDS:
            agree[field] += want[field] == got[field]
        if want != got:
            misses.append(f"{note.name} {'+'.join(names)}")
    low = {field: n / COMBINATIONS for field, n in agree.items() if n < FLOOR * COMBINATIONS}
    assert not low, (low, misses)


def test_every_decoration_changes_a_labelled_note() -> None:
    """Each decoration of the generator does something to a note with a labelled header."""
    text = (ROOT / "tests" / "heldout" / "notes" / "h03_in_plain_wrapped_windhoek.txt").read_text(
        encoding="utf-8"
    )
    for kind in EVERY:
        assert kind.apply(text, random.Random(0)) != text, kind.name


def _clean(raw: str) -> str:
    return normalize(shipped_rules(), raw).text


def test_offsets_map_back_into_the_raw_text() -> None:
    raw = (
        "> Event: Atelier r=C3=A9gional sur la mise en =\n=C5=93uvre\n"
        "> Date: 14 May 2019\n> Venue: Lom=C3=A9, Togo\n"
    )
    note = normalize(shipped_rules(), raw)
    at = note.text.index("Lomé")
    span = note.clean.to_raw(CleanSpan(at, at + 4))
    assert raw[span[0] : span[1]] == "Lom=C3=A9"
    assert note.text.splitlines()[0] == "Event: Atelier régional sur la mise en œuvre"


def test_quote_marks_chat_prefixes_and_line_numbers_are_taken_off() -> None:
    lines = ["Event: Regional Workshop", "Date: 3 June 2019", "Venue: Lima, Peru", "", "1. Background"]
    for prefixed in (
        [f"> > {line}" for line in lines],
        [f"[09:1{i}] J. Smith: {line}" for i, line in enumerate(lines)],
        [f"{i + 1:4d} | {line}" for i, line in enumerate(lines)],
    ):
        text = strip_prefixes(MappedText.identity("\n".join(prefixed))).text
        assert text.splitlines()[:3] == lines[:3], prefixed


def test_numbers_that_do_not_count_lines_are_kept() -> None:
    text = "2019 was the year\n12  participants came\n7 experts spoke\n"
    assert strip_prefixes(MappedText.identity(text)).text == text


def test_json_object_json_lines_and_rtf_give_their_text() -> None:
    body = 'Event: Atelier régional\nDate: 14 May 2019 "draft"'
    assert json_text(MappedText.identity(json.dumps({"id": "x", "text": body}))).text == body
    lines = "\n".join(json.dumps({"n": i, "text": s}) for i, s in enumerate(body.split("\n")))
    assert json_text(MappedText.identity(lines)).text == body
    fields = json_text(MappedText.identity(json.dumps({"event": "Atelier", "venue": "Lomé, Togo"}))).text
    assert fields == "event: Atelier\nvenue: Lomé, Togo"
    doc = (
        "{\\rtf1\\ansi{\\fonttbl{\\f0 Times;}}\\f0 Event: Atelier r\\'e9gional\\par\nLieu : Lom\\'e9\\par\n}"
    )
    assert rtf(MappedText.identity(doc)).text == "Event: Atelier régional\nLieu : Lomé\n"


def test_plain_text_is_no_container() -> None:
    for text in ("Event: A = B\nDate: 3=4", "{not json", "[1] reference"):
        identity = MappedText.identity(text)
        assert quoted_printable(identity).text == text
        assert json_text(identity).text == text


def test_escapes_and_commands() -> None:
    text = "\\textbf{Event:} Atelier r\\u00e9gional \\\\\nVenue: Lom\\'e9 \\(Togo\\)"
    assert unescape(MappedText.identity(text)).text == "Event: Atelier régional\nVenue: Lomé \\(Togo\\)"


def test_mail_headers_placeholders_and_score_columns_are_taken_off() -> None:
    raw = (
        "From: Desk <desk@example.org>\nDate: Fri, 5 Feb 2021 16:02\nSubject: Note\n\n"
        "-----Original Message-----\n"
        "Event: Regional Workshop\t0.93\t12.5000\nDate: 3 June 2019\t0.88\t-4.1000\n"
        "Observers: N/A\nRemarks: [insert text]\nVenue: Lima, Peru\n"
    )
    assert _clean(raw).strip().split("\n") == [
        "Event: Regional Workshop",
        "Date: 3 June 2019",
        "Venue: Lima, Peru",
    ]


def test_labels_behind_marks_and_in_csv_rows() -> None:
    raw = '"Event","Regional ""Dialogue"""\n"Date","3 June 2019"\n\n- Venue = Lima, Peru\n'
    assert _clean(raw).split("\n")[:4] == [
        'Event: Regional "Dialogue"',
        "Date: 3 June 2019",
        "",
        "Venue = Lima, Peru",
    ]
    headings = "### Event\n\nRegional Workshop\n\n### Dates\n\n3 June 2019\n\n### Venue\n\nLima, Peru\n"
    assert _clean(headings).split("\n")[:3] == ["Event:", "", "Regional Workshop"]


def test_labels_alone_in_capitals_get_their_colon() -> None:
    raw = (
        " VENUE\n        Austria, Vienna\n DATE(S)\n        22 to 24 May 2017\n EVENT\n        Round Table\n"
    )
    lines = [line.strip() for line in _clean(raw).split("\n")]
    assert lines[:4] == ["VENUE:", "Austria, Vienna", "DATE(S):", "22 to 24 May 2017"]
    one = "Participants\n\nThe participants came from ten States.\n"  # one section named like a label
    assert _clean(one) == one
