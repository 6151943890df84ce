"""Showing a record diff: text for a terminal, markdown for a pull request, JSON for tools.

Contract: pure functions of a :class:`~note_extract.quality.diff.DiffReport`. :func:`text_lines` gives
``(style, line)`` pairs, the style one of ``heading``, ``added``, ``removed``, ``changed`` or ``plain``
for a caller that colours them; every line is one line of plain text with control characters escaped
(:func:`~note_extract.core.display.terminal_text`). :func:`markdown` gives a GitHub-flavoured page: a
summary table (notes compared, unchanged, changed, added, removed, renamed), a table of the fields
changed by kind, then one section per note that differs (at most ``max_notes``), every value from a
record escaped so that it renders as the text it is and cannot break a table. :func:`json_text` is
:meth:`~note_extract.quality.diff.DiffReport.as_dict` as indented JSON. None of them prints.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from note_extract.core.display import terminal_text
from note_extract.quality.diff import Change, DiffReport, NoteDiff, Status

_STATUSES: tuple[Status, ...] = ("changed", "added", "removed", "renamed")


def value_text(value: Any) -> str:
    """A changed value as one line: an entity as ``text [id]`` (or ``text (unresolved)``), a group as
    its members, a list joined, null as ``-``."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        if "group" in value:  # the group's label is the change's ``where``
            return ", ".join(value_text(m) for m in value.get("members", [])) or "(no members)"
        if "text" in value:
            ident = value.get("id")
            return f"{value['text']} [{ident}]" if ident else f"{value['text']} (unresolved)"
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value) or "[]"
    return " ".join(str(value).split())


def change_text(change: Change) -> str:
    """One change as a sentence fragment: ``+ UNODA [unoda]``, ``2017-10-04 -> 2017-10-05`` ..."""
    if change.field == "issues":
        code = change.where or ""
        if change.op == "added":
            return f"+ {code}" + (f" x{change.new}" if change.new != 1 else "")
        if change.op == "removed":
            return f"- {code}" + (f" x{change.old}" if change.old != 1 else "")
        return f"{code} {change.old} -> {change.new}"
    if change.op == "added":
        return f"+ {value_text(change.new)}"
    if change.op == "removed":
        return f"- {value_text(change.old)}"
    if change.op in ("resolved", "unresolved"):
        return f"{value_text(change.old)} {change.op}: {value_text(change.new)}"
    return f"{value_text(change.old)} -> {value_text(change.new)}"


def field_text(change: Change) -> str:
    """The field of a change with what in it changed: ``participants [Delegations]``."""
    if change.where is None or change.field == "issues":
        return change.field
    return f"{change.field} [{change.where}]"


def _note_title(note: NoteDiff) -> str:
    if note.status == "renamed":
        return f"{note.old_note} -> {note.note}"
    return note.note


def _summary_value(summary: Mapping[str, Any] | None) -> str:
    if not summary:
        return ""
    start, end = summary.get("start_date"), summary.get("end_date")
    dates = f"{start} to {end}" if start and end and end != start else str(start or "-")
    place = ", ".join(str(summary[k]) for k in ("city", "country") if summary.get(k)) or "-"
    return f"{dates}  {place}  {value_text(summary.get('title'))}"


def summary_line(report: DiffReport) -> str:
    """One line: how many notes were compared and how they differ."""
    if not report.notes:
        return f"no semantic change: {report.compared} notes compared"
    counts = ", ".join(f"{report.count(s)} {s}" for s in _STATUSES)
    kinds = ", ".join(f"{k} {n}" for k, n in report.by_kind().items())
    line = f"{report.compared} notes compared: {counts}, {report.unchanged} unchanged"
    return line + (f"; fields changed: {kinds}" if kinds else "")


def text_lines(report: DiffReport) -> list[tuple[str, str]]:
    """The report for a terminal or a log; see the module docstring."""
    lines: list[tuple[str, str]] = []
    for note in report.notes:
        head = f"{note.status:<8} {_note_title(note)}"
        if note.summary:
            head += f"  {_summary_value(note.summary)}"
        lines.append(("heading" if note.status in ("changed", "renamed") else note.status, head))
        for change in note.changes:
            style = {"added": "added", "removed": "removed"}.get(change.op, "changed")
            lines.append((style, f"  {field_text(change)}: {change_text(change)}"))
    lines.append(("plain", summary_line(report)))
    return [(style, terminal_text(line)) for style, line in lines]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<#|~&$])")


def md_text(text: str) -> str:
    """``text`` as markdown that renders as that text, on one line: markdown punctuation escaped with
    a backslash, line breaks as spaces, control characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", terminal_text(" ".join(text.split())))


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _summary_tables(report: DiffReport) -> list[str]:
    lines = [
        _row("notes compared", "unchanged", *_STATUSES),
        _row(*(["---:"] * (2 + len(_STATUSES)))),
        _row(str(report.compared), str(report.unchanged), *(str(report.count(s)) for s in _STATUSES)),
        "",
    ]
    kinds = report.by_kind()
    if kinds:
        fields: dict[str, list[str]] = {}
        for change in report.changes():
            names = fields.setdefault(change.kind, [])
            if change.field not in names:
                names.append(change.field)
        lines += [_row("kind", "changes", "fields"), _row("---", "---:", "---")]
        lines += [_row(kind, str(n), md_text(", ".join(sorted(fields[kind])))) for kind, n in kinds.items()]
        lines.append("")
    return lines


def _note_section(note: NoteDiff) -> list[str]:
    lines = [f"### {md_text(_note_title(note))} ({note.status})", ""]
    if note.summary:
        lines += [md_text(_summary_value(note.summary)), ""]
    if note.status == "renamed" and not note.changes:
        lines += ["Renamed; the records mean the same.", ""]
    if note.changes:
        lines += [_row("field", "change"), _row("---", "---")]
        lines += [_row(md_text(field_text(c)), md_text(change_text(c))) for c in note.changes]
        lines.append("")
    return lines


def markdown(report: DiffReport, title: str = "Record diff", max_notes: int = 200) -> str:
    """The report as GitHub-flavoured markdown; see the module docstring."""
    lines = [f"## {md_text(title)}", ""]
    if not report.notes:
        return "\n".join([*lines, md_text(summary_line(report)), ""])
    lines += _summary_tables(report)
    for note in report.notes[:max_notes]:
        lines += _note_section(note)
    left = len(report.notes) - max_notes
    if left > 0:
        lines += [f"... and {left} more notes that differ (the JSON report lists them all).", ""]
    return "\n".join(lines)


def plain_text(report: DiffReport) -> str:
    """:func:`text_lines` as text, one line each, without styles."""
    return "".join(line + "\n" for _style, line in text_lines(report))


def json_text(report: DiffReport) -> str:
    """The report as indented JSON, ending with a newline."""
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
