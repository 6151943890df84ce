"""Whole headers re-shaped the way other markups and channels write them, one function per shape:
a MediaWiki table, pipe-cell tables (one row per field, or label and value on lines of their own), a
LaTeX tabular, an rST field list, TOML/YAML/INI front matter, a chat export where each label line was
posted after a time stamp and a speaker.

Each takes the note's text and a seeded :class:`random.Random` and returns the re-shaped text, like
the decorations of :mod:`tests.wrappings`; a note whose header holds fewer than two labelled lines is
left as it is. All of them are held out (:data:`HELD_OUT`): chosen before the reader that reads them
was written, their figure measures it.
"""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from tests.wrappings import _LABEL_LINE, KINDS, Kind, _header_end
from tests.wrappings import HELD_OUT as WRAPPING_HELD_OUT


@dataclass(frozen=True)
class _Header:
    """A note's labelled header cut out: the text before it, its fields, the text after it."""

    before: str
    fields: list[tuple[str, list[str]]]
    after: str


def _header(text: str) -> _Header | None:
    """The run of ``Label: value`` lines (and the lines their values wrap onto) before the body."""
    end = _header_end(text)
    matches = list(_LABEL_LINE.finditer(text, 0, end))
    if len(matches) < 2:
        return None
    fields: list[tuple[str, list[str]]] = []
    stop = matches[0].start()
    for i, m in enumerate(matches):
        nxt = matches[i + 1].start() if i + 1 < len(matches) else end
        values = [m["value"].strip()]
        stop = m.end()
        for line in text[m.end() : nxt].split("\n")[1:]:
            if not line.strip() and i + 1 == len(matches):
                break  # the last value ends at a blank line; others run to the next label
            values.append(line.strip())
            stop += len(line) + 1
        fields.append((m["label"].strip(), [v.replace("**", "") for v in values if v]))
    if len(fields) < 2:
        return None
    return _Header(text[: matches[0].start()], fields, text[stop:])


def _reshape(text: str, render: Callable[[_Header], str]) -> str:
    header = _header(text)
    return text if header is None else render(header)


def wiki_table(text: str, rng: random.Random) -> str:
    """A MediaWiki table: ``! scope="row" | Label`` then ``| value``, rows parted by ``|-``."""
    form = rng.choice(["scope", "bang", "inline"])

    def row(label: str, values: list[str]) -> str:
        if form == "scope":
            return f'! scope="row" | {label}\n| ' + "\n".join(values)
        if form == "bang":
            return f"! {label}\n| " + "<br>".join(values)
        return f"| '''{label}''' || " + " ".join(values)

    def render(h: _Header) -> str:
        rows = "\n|-\n".join(row(label, values) for label, values in h.fields)
        return f'{h.before}{{| class="wikitable"\n|-\n{rows}\n|}}\n{h.after}'

    return _reshape(text, render)


def pipe_cells(text: str, rng: random.Random) -> str:
    """Pipe-cell tables: ``||Label|value|`` rows, or each cell on its own line (``|Label`` then
    ``|value``) between ``|===`` fences."""
    form = rng.choice(["confluence", "asciidoc", "stacked"])

    def render(h: _Header) -> str:
        if form == "confluence":
            body = "\n".join(f"||{label}|{' '.join(values)}|" for label, values in h.fields)
            return f"{h.before}{body}\n{h.after}"
        if form == "asciidoc":
            cells = "\n\n".join(f"|{label}\n|" + "\n".join(values) for label, values in h.fields)
            return f'{h.before}[cols="1,3"]\n|===\n{cells}\n|===\n{h.after}'
        cells = "\n".join(f"| {label} |\n| {' '.join(values)} |" for label, values in h.fields)
        return f"{h.before}{cells}\n{h.after}"

    return _reshape(text, render)


def latex_tabular(text: str, rng: random.Random) -> str:
    """A LaTeX tabular: ``\\textbf{Label} & value \\\\`` rows, ``\\hline`` between them."""
    command = rng.choice(["\\textbf{{{}}}", "\\textsc{{{}}}", "{}", "\\textbf{{{}:}}"])

    def render(h: _Header) -> str:
        rows = "\n".join(
            f"{command.format(label)} & " + "\n  ".join(values) + " \\\\ \\hline"
            for label, values in h.fields
        )
        return f"{h.before}\\begin{{tabular}}{{|l|p{{11cm}}|}}\n\\hline\n{rows}\n\\end{{tabular}}\n{h.after}"

    return _reshape(text, render)


def field_list(text: str, rng: random.Random) -> str:
    """An rST field list: ``:Label: value``, long values wrapped onto indented lines."""
    below = rng.random() < 0.3

    def render(h: _Header) -> str:
        out = []
        for label, values in h.fields:
            wrapped = textwrap.wrap(" ".join(values), 50, break_long_words=False, break_on_hyphens=False)
            if below:
                out.append(f":{label}:\n" + "\n".join("   " + w for w in wrapped))
            else:
                out.append(f":{label}: " + "\n   ".join(wrapped))
        return h.before + "\n".join(out) + "\n" + h.after

    return _reshape(text, render)


def _key_name(label: str, style: str) -> str:
    words: list[str] = re.findall(r"[^\W_]+", label)
    if style == "camel":
        return words[0].lower() + "".join(w.capitalize() for w in words[1:])
    return "_".join(w.lower() for w in words)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(text: str, rng: random.Random) -> str:
    """The header as TOML (``+++``, ``key = "value"``, lists ``["a", "b"]``), YAML (``---``, lists of
    ``- item`` lines) or INI (``[event]``, ``key = value``) front matter, keys in snake or camel case."""
    form = rng.choice(["toml", "yaml", "ini"])
    style = rng.choice(["snake", "camel"])

    def value_of(values: list[str]) -> list[str]:
        joined = " ".join(values)
        parts = [p.strip() for p in joined.split(";") if p.strip()]
        return parts if len(parts) > 1 and len(values) == 1 else [joined]

    def render(h: _Header) -> str:
        lines: list[str] = []
        for label, values in h.fields:
            key, items = _key_name(label, style), value_of(values)
            if form == "toml":
                shown = _quoted(items[0]) if len(items) == 1 else "[" + ", ".join(map(_quoted, items)) + "]"
                lines.append(f"{key} = {shown}")
            elif form == "yaml":
                if len(items) == 1:
                    lines.append(f"{key}: {_quoted(items[0]) if ':' in items[0] else items[0]}")
                else:
                    lines.append(f"{key}:\n" + "\n".join(f"  - {item}" for item in items))
            else:
                lines.append(f"{key} = {'; '.join(items)}")
        fence = {"toml": "+++", "yaml": "---", "ini": ""}[form]
        block = "\n".join(lines)
        head = f"{fence}\n{block}\n{fence}\n" if fence else f"[event]\n{block}\n"
        return f"{head}\n{h.before}{h.after}"

    return _reshape(text, render)


def speaker_chat(text: str, rng: random.Random) -> str:
    """A chat export where the header was posted line by line: each label line after a time stamp and
    a speaker, the lines a value wraps onto and the body pasted without one."""
    people = rng.sample(["alice", "J. Smith", "ops-bot", "M. Diallo", "desk"], 2)
    hour = rng.randrange(8, 18)

    def render(h: _Header) -> str:
        out = []
        for i, (label, values) in enumerate(h.fields):
            stamp = f"[{hour:02d}:{i:02d}] {people[i % 2]}: "
            out.append(stamp + f"{label}: {values[0]}")
            out.extend(values[1:])
        return h.before + "\n".join(out) + "\n" + h.after

    return _reshape(text, render)


RESHAPES: tuple[Kind, ...] = (
    Kind("wiki_table", 0, wiki_table),
    Kind("pipe_cells", 0, pipe_cells),
    Kind("latex_tabular", 0, latex_tabular),
    Kind("field_list", 0, field_list),
    Kind("front_matter", 0, front_matter),
    Kind("speaker_chat", 0, speaker_chat),
)
"""Drawn by the evaluation beside :data:`tests.wrappings.KINDS` (the confidence training draws from
those alone)."""
EVERY = KINDS + RESHAPES
"""Every decoration the evaluation draws from."""
BY_NAME = {kind.name: kind for kind in EVERY}
HELD_OUT = WRAPPING_HELD_OUT | {kind.name for kind in RESHAPES}
