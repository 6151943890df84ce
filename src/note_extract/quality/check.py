"""Checking notes before publication: the rules, their severities, running them, and the reports.

Contract: the check rules are the catalogue of findings of the rules in force (``findings.jsonl``,
shipped or from ``--rules DIR``; see :mod:`note_extract.core.findings`): each code's default severity for
publication, what a publishable note must have, and what to do (``fix``; ``prose_fix`` for a prose
report, a note without a labelled header, where "add a header line" does not apply). A note that
cannot be read or processed gets the catalogue's ``unreadable`` or ``internal-error`` finding, worded
by the catalogue like every other.
:func:`severities` merges the ``[tool.note_extract] severity`` table over those defaults and raises
:class:`~note_extract.core.errors.ConfigError` naming any code it does not know. :func:`note_files` lists the
notes to check (files as given, folders searched recursively like :func:`~note_extract.batch.batch.discover`)
and raises :class:`CheckSetupError` for a path that does not exist. :class:`Checker` runs the pipeline
on each note without writing anything and turns its issues into :class:`CheckFinding` objects with a
1-based line and column computed from the issue's raw span (line 1, column 1 without a span); a note
that cannot be read gives one ``unreadable`` finding and the others are still checked. A code
switched ``off`` is dropped; a code the rules do not list keeps the pipeline's own severity; under
``strict`` every warning becomes an error. A finding whose check severity differs from the record's
issue says both (``error[venue-missing] ... (a warning in the record, an error for publication)``).
:func:`render` formats a :class:`CheckReport` as text, JSON,
GitHub workflow commands or JUnit XML; ``min_severity`` only hides findings, it never changes which
notes fail. With ``min_confidence`` P, every decided value whose confidence is below P (an event field,
a party of a role list) is one more finding, ``low-confidence``, at the value's span, naming the field,
the value and its confidence (:func:`low_confidence`). Output order is fixed: by path, then line,
column, code and message.
"""

from __future__ import annotations

import bisect
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from note_extract.batch.batch import DEFAULT_PATTERNS, discover
from note_extract.core.display import path_text, terminal_text
from note_extract.core.errors import ConfigError, InputError, NoteExtractError
from note_extract.core.findings import Finding, finding
from note_extract.core.models import EntityRef, Issue, NoteRecord, Severity, Span
from note_extract.core.settings import RuleSeverity, Settings
from note_extract.core.spans import RawSpan
from note_extract.pipeline import Pipeline
from note_extract.read.reader import read_note
from note_extract.rules.catalogue import catalogue
from note_extract.rules.rows import IssueKind

Format = Literal["text", "json", "github", "junit"]
LEVELS: tuple[Severity, ...] = ("error", "warning", "info")
FORMATS: tuple[Format, ...] = ("text", "json", "github", "junit")
DEFAULT_MIN_SEVERITY: Severity = "warning"

PROSE_MARK = "header-missing"
"""The issue of a note without a labelled header: a prose report, whose hints are its rules' prose_fix."""
_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
_GITHUB_COMMAND: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "notice"}


class CheckSetupError(NoteExtractError):
    """The check cannot start: a path does not exist or holds no notes."""


def severities(rules: Mapping[str, IssueKind], settings: Settings) -> dict[str, RuleSeverity]:
    """Each code's check severity: the rule's default, overridden by ``settings.severity``."""
    unknown = sorted(code for code in settings.severity if code not in rules)
    if unknown:
        known = ", ".join(sorted(rules))
        names = ", ".join(repr(code) for code in unknown)
        word = "code" if len(unknown) == 1 else "codes"
        raise ConfigError(f"[tool.note_extract] severity: unknown issue {word} {names} (known: {known})")
    merged: dict[str, RuleSeverity] = {code: rule.check for code, rule in rules.items()}
    merged.update(settings.severity)
    return merged


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


@dataclass(frozen=True, slots=True)
class CheckFinding:
    """One thing a note lacks or gets wrong, at a place in its file."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    hint: str | None = None
    record_severity: Severity | None = None
    """The severity the record's issue has, when it differs from the check's."""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """The output order: path, line, column, code, message."""
        return (self.path, self.line, self.column, self.code, self.message)

    def location(self) -> str:
        """``path:line:column``."""
        return f"{self.path}:{self.line}:{self.column}"

    def text(self) -> str:
        """The one-line form: ``path:line:col: severity[code] message — hint``."""
        body = f"{self.location()}: {self.severity}[{self.code}] {self.message}"
        if self.record_severity is not None:
            body += f" ({_a(self.record_severity)} in the record, {_a(self.severity)} for publication)"
        if self.hint:
            body += f" — {self.hint}"
        return terminal_text(_one_line(body))


@dataclass(frozen=True, slots=True)
class NoteCheck:
    """The findings for one note."""

    path: str
    findings: tuple[CheckFinding, ...]

    @property
    def failed(self) -> bool:
        """True when any finding is an error."""
        return any(f.severity == "error" for f in self.findings)


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The findings for every note checked, in output order."""

    notes: tuple[NoteCheck, ...]
    strict: bool = False

    @property
    def findings(self) -> list[CheckFinding]:
        """Every finding, sorted by path, line, column, code."""
        return sorted((f for note in self.notes for f in note.findings), key=CheckFinding.sort_key)

    @property
    def failed(self) -> bool:
        """True when any note failed."""
        return any(note.failed for note in self.notes)

    def count(self, severity: Severity) -> int:
        """How many findings have ``severity``."""
        return sum(1 for note in self.notes for f in note.findings if f.severity == severity)

    def shown(self, min_severity: Severity) -> list[CheckFinding]:
        """The findings at ``min_severity`` or above, in output order."""
        limit = _RANK[min_severity]
        return [f for f in self.findings if _RANK[f.severity] <= limit]

    def summary(self, min_severity: Severity = DEFAULT_MIN_SEVERITY) -> dict[str, object]:
        """Totals, as the JSON report gives them."""
        return {
            "notes": len(self.notes),
            "failed": sum(1 for note in self.notes if note.failed),
            "errors": self.count("error"),
            "warnings": self.count("warning"),
            "info": self.count("info"),
            "hidden": len(self.findings) - len(self.shown(min_severity)),
            "min_severity": min_severity,
            "strict": self.strict,
        }

    def exit_code(self) -> int:
        """0 when every note passed, 1 when any failed."""
        return 1 if self.failed else 0


class LineIndex:
    """Maps offsets of a text to 1-based (line, column); ``\\n``, ``\\r\\n`` and ``\\r`` end a line."""

    _BREAK = re.compile(r"\r\n|\r|\n")

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in self._BREAK.finditer(text))]

    def position(self, offset: int) -> tuple[int, int]:
        """The line and column (both from 1, column in characters) of ``offset``."""
        index = bisect.bisect_right(self.starts, max(offset, 0)) - 1
        return index + 1, offset - self.starts[index] + 1


def note_files(paths: Sequence[Path], patterns: Iterable[str] = DEFAULT_PATTERNS) -> list[tuple[Path, str]]:
    """The notes to check as (path, display path), sorted by display path, each once.

    Files are taken as given whatever their name; folders are searched recursively for ``patterns``.
    """
    patterns = tuple(patterns)
    found: dict[Path, tuple[Path, str]] = {}
    for given in paths:
        if not given.exists() and not given.is_symlink():  # a broken link is a note that cannot be read
            raise CheckSetupError(f"{path_text(given)}: no such file or directory")
        files = discover(given, patterns)
        if given.is_dir() and not files:
            raise CheckSetupError(f"{path_text(given)}: no note files matching {', '.join(patterns)}")
        for path in files:
            found.setdefault(path.resolve(), (path, path_text(path)))
    return sorted(found.values(), key=lambda item: item[1])


LowConfidence = tuple[str, str, float, Span | None]
"""A value below the threshold: its field, its value as shown, its confidence and its raw span."""


def _party_value(ref: EntityRef) -> str:
    return json.dumps(ref.name or ref.text, ensure_ascii=False)


def low_confidence(record: NoteRecord, threshold: float) -> list[LowConfidence]:
    """Every decided value of ``record`` whose confidence is below ``threshold``, in record order: the
    five event fields (an empty one shown as ``none found``), then each party of each role list."""
    out: list[LowConfidence] = []
    event = record.event
    if event.confidence is not None:
        venue = event.venue
        values: dict[str, tuple[object, Span | None]] = {
            "title": (event.title, event.title_span),
            "start_date": (event.start_date, event.date_span),
            "end_date": (event.end_date, event.date_span),
            "city": (venue.city, venue.span),
            "country": (venue.country_code, venue.span),
        }
        for name, (value, span) in values.items():
            p = getattr(event.confidence, name)
            if p < threshold:
                shown = "none found" if value is None else json.dumps(str(value), ensure_ascii=False)
                out.append((name, shown, p, span))
    roles = [(name + "s", refs) for name, refs in record.parties()]
    roles += [("participants", g.members) for g in record.participants]
    for role, refs in roles:
        for ref in refs:
            if ref.confidence is not None and ref.confidence < threshold:
                out.append((role[:-1], _party_value(ref), ref.confidence, ref.span))
    return out


class Checker:
    """Runs the pipeline on notes and judges the issues by the check rules (and, with
    ``min_confidence``, reports every value whose confidence is below it as ``low-confidence``)."""

    def __init__(
        self,
        settings: Settings,
        *,
        strict: bool = False,
        rules: Mapping[str, IssueKind] | None = None,
        pipeline: Pipeline | None = None,
        min_confidence: float | None = None,
    ) -> None:
        self.pipeline = pipeline if pipeline is not None else Pipeline(settings)
        self.catalogue = catalogue(self.pipeline.rules)
        self.rules = dict(rules) if rules is not None else dict(self.catalogue.kinds)
        self.severity = severities(self.rules, settings)
        self.strict = strict
        self.min_confidence = min_confidence

    def doubtful(self, record: NoteRecord, raw: str) -> list[Issue]:
        """The ``low-confidence`` issues of ``record`` (none without a threshold)."""
        if self.min_confidence is None:
            return []
        out = []
        words = self.pipeline.assembler.catalogue
        for name, value, p, span in low_confidence(record, self.min_confidence):
            found = finding(
                "low-confidence",
                RawSpan(*span) if span is not None else None,
                field=name.replace("_", " "),
                value=value,
                confidence=f"{p:.3f}",
                threshold=f"{self.min_confidence:g}",
            )
            severity, message, hint = words.render(found, raw[span[0] : span[1]] if span else None)
            out.append(Issue(code="low-confidence", severity=severity, message=message, span=span, hint=hint))
        return out

    def level(self, code: str, default: Severity) -> Severity | None:
        """The severity a finding with ``code`` gets, or None when the code is off."""
        chosen = self.severity.get(code, default)
        if chosen == "off":
            return None
        if self.strict and chosen == "warning":
            return "error"
        return chosen

    def _hint(self, code: str, hint: str | None, prose: bool = False) -> str | None:
        """What to do: for a prose report the rule's ``prose_fix`` when it has one (a header line
        cannot be added to a press release), else the issue's own hint, else the rule's ``fix``."""
        rule = self.rules.get(code)
        if prose and rule is not None and rule.prose_fix:
            return rule.prose_fix
        if hint:
            return hint
        return rule.fix if rule is not None else None

    def _whole_file(self, display: str, found: Finding, hint: str | None = None) -> tuple[CheckFinding, ...]:
        """The one finding of a note that could not be read or processed, worded by the catalogue (a
        reader's own hint for the file first)."""
        default, message, worded = self.catalogue.render(found, None)
        level = self.level(found.code, default)
        if level is None:
            return ()
        return (
            CheckFinding(display, 1, 1, level, found.code, message, self._hint(found.code, hint or worded)),
        )

    def findings(self, display: str, raw: str, issues: Iterable[Issue]) -> tuple[CheckFinding, ...]:
        """The findings for a note's issues, ``raw`` being the text the spans index."""
        index = LineIndex(raw)
        issues = list(issues)
        prose = any(issue.code == PROSE_MARK for issue in issues)
        out: list[CheckFinding] = []
        for issue in issues:
            level = self.level(issue.code, issue.severity)
            if level is None:
                continue
            line, column = index.position(issue.span[0]) if issue.span is not None else (1, 1)
            hint = self._hint(issue.code, issue.hint, prose)
            differs = issue.severity if issue.severity != level else None
            out.append(CheckFinding(display, line, column, level, issue.code, issue.message, hint, differs))
        return tuple(sorted(out, key=CheckFinding.sort_key))

    def check_file(self, path: Path, display: str | None = None) -> NoteCheck:
        """Check one note file; never raises for a bad note."""
        shown = display if display is not None else path_text(path)
        try:
            raw, source = read_note(path, shown, limit=self.pipeline.settings.max_note_bytes)
        except InputError as exc:
            reason = str(exc).removeprefix(f"{shown}: ")
            return NoteCheck(shown, self._whole_file(shown, finding("unreadable", reason=reason), exc.hint))
        try:
            record = self.pipeline.extract_text(raw, source, path.stem)
        except Exception as exc:  # one broken note must never stop the check of the others
            error = f"{type(exc).__name__}: {exc}"
            return NoteCheck(shown, self._whole_file(shown, finding("internal-error", error=error)))
        return NoteCheck(shown, self.findings(shown, raw, [*record.issues, *self.doubtful(record, raw)]))

    def run(self, files: Iterable[tuple[Path, str]]) -> CheckReport:
        """Check every (path, display path) and report in display-path order."""
        notes = [self.check_file(path, display) for path, display in files]
        return CheckReport(tuple(sorted(notes, key=lambda n: n.path)), strict=self.strict)


def _one_line(text: str) -> str:
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(report: CheckReport, min_severity: Severity = DEFAULT_MIN_SEVERITY) -> str:
    """E.g. ``3 notes checked: 1 failed, 2 errors, 1 warning``."""
    totals = report.summary(min_severity)
    parts = [f"{totals['failed']} failed", _plural(report.count("error"), "error")]
    parts.append(_plural(report.count("warning"), "warning"))
    if report.count("info"):
        parts.append(f"{report.count('info')} info")
    line = f"{_plural(len(report.notes), 'note')} checked: " + ", ".join(parts)
    if totals["hidden"]:
        line += f" ({totals['hidden']} below --min-severity {min_severity} not shown)"
    return line


def format_text(report: CheckReport, min_severity: Severity = DEFAULT_MIN_SEVERITY) -> str:
    """One line per finding shown, then the summary line."""
    lines = [f.text() for f in report.shown(min_severity)]
    lines.append(summary_line(report, min_severity))
    return "\n".join(lines) + "\n"


def format_json(report: CheckReport, min_severity: Severity = DEFAULT_MIN_SEVERITY) -> str:
    """``{"findings": [...], "notes": [...], "summary": {...}}`` as indented JSON."""
    data = {
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "severity": f.severity,
                "code": f.code,
                "message": f.message,
                "hint": f.hint,
                "record_severity": f.record_severity or f.severity,
            }
            for f in report.shown(min_severity)
        ],
        "notes": [
            {
                "path": note.path,
                "failed": note.failed,
                "errors": sum(1 for f in note.findings if f.severity == "error"),
                "warnings": sum(1 for f in note.findings if f.severity == "warning"),
                "info": sum(1 for f in note.findings if f.severity == "info"),
            }
            for note in report.notes
        ],
        "summary": report.summary(min_severity),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def github_escape_data(text: str) -> str:
    """Escape a workflow command's message: ``%``, ``\\r`` and ``\\n``."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """Escape a workflow command's property value: as the message, plus ``:`` and ``,``."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(report: CheckReport, min_severity: Severity = DEFAULT_MIN_SEVERITY) -> str:
    """One ``::error``/``::warning``/``::notice`` workflow command per finding shown, then the summary."""
    lines = []
    for f in report.shown(min_severity):
        props = ",".join(
            f"{key}={github_escape_property(value)}"
            for key, value in (
                ("file", f.path),
                ("line", str(f.line)),
                ("col", str(f.column)),
                ("title", f.code),
            )
        )
        message = f.message + (f" — {f.hint}" if f.hint else "")
        lines.append(f"::{_GITHUB_COMMAND[f.severity]} {props}::{github_escape_data(message)}")
    lines.append(summary_line(report, min_severity))
    return "\n".join(lines) + "\n"


_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def format_junit(report: CheckReport, min_severity: Severity = DEFAULT_MIN_SEVERITY) -> str:
    """A JUnit XML report: one testsuite, one testcase per note, a failure per error finding.

    Warnings and info at ``min_severity`` or above go into the testcase's ``system-out``. The
    ``failures`` attributes count failed notes (test cases), as JUnit consumers expect.
    """
    failed = sum(1 for note in report.notes if note.failed)
    counts = {"tests": str(len(report.notes)), "failures": str(failed), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "note-extract check", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "note-extract check", **counts})
    limit = _RANK[min_severity]
    for note in report.notes:
        name = _xml_text(note.path)
        case = ET.SubElement(
            suite, "testcase", {"classname": "note-extract.check", "name": name, "file": name}
        )
        findings = sorted(note.findings, key=CheckFinding.sort_key)
        for f in findings:
            if f.severity == "error":
                failure = ET.SubElement(
                    case,
                    "failure",
                    {"type": _xml_text(f.code), "message": _xml_text(f"{f.line}:{f.column}: {f.message}")},
                )
                failure.text = _xml_text(f.text())
        others = [f.text() for f in findings if f.severity != "error" and _RANK[f.severity] <= limit]
        if others:
            ET.SubElement(case, "system-out").text = _xml_text("\n".join(others) + "\n")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def render(report: CheckReport, fmt: Format, min_severity: Severity = DEFAULT_MIN_SEVERITY) -> str:
    """The report in ``fmt``."""
    formatters = {"text": format_text, "json": format_json, "github": format_github, "junit": format_junit}
    return formatters[fmt](report, min_severity)


def format_rules(rules: Mapping[str, IssueKind], effective: Mapping[str, RuleSeverity]) -> str:
    """The rules as a tab-separated table: code, severity in force, requirement, fix."""
    lines = [
        "\t".join((code, effective.get(code, rule.check), rule.requires, rule.fix))
        for code, rule in rules.items()
    ]
    return "\n".join(lines) + "\n"
