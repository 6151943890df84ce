"""The catalogue of findings: every issue a record or a check can report, loaded from data.

Contract: a stage that doubts or misses something returns a :class:`Finding` beside its value — a
code of :data:`FindingCode`, a span (clean or raw) and the fields its message needs — and never
builds the record's issue itself. ``data/findings.jsonl`` holds one :class:`IssueKind` per code: the
severity the record gives it, the message template, the hint, and what ``note-extract check`` makes
of it. :func:`load_catalogue` refuses a catalogue that lacks a code, repeats one, names one the code
does not know, or writes a template that cannot be parsed, naming file and line; so a code cannot be
emitted without its wording, and a wording cannot outlive its code. The catalogue is a rule file like
the others (:func:`catalogue` reads it from a :class:`~note_extract.rules.Rules`, which checks it
with :func:`check_catalogue` at load, so ``--rules DIR`` may reword it). :meth:`Catalogue.render`
fills a template; the assembly step (:mod:`note_extract.assemble`) is its one caller for records.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from .errors import RuleFileError
from .models import Severity
from .resources import data_path, numbered_rows
from .rules import Rules, derived
from .settings import RuleSeverity
from .spans import CleanSpan, RawSpan

FINDINGS_FILE = "findings.jsonl"

FindingCode = Literal[
    "unreadable",
    "internal-error",
    "header-missing",
    "title-missing",
    "date-missing",
    "date-unparsed",
    "date-ambiguous",
    "date-from-text",
    "date-year-unknown",
    "date-year-inferred",
    "date-end-from-duration",
    "date-range-end-missing",
    "venue-missing",
    "venue-country-missing",
    "venue-several",
    "venue-country-inferred",
    "organizers-missing",
    "organizers-from-text",
    "org-unresolved",
    "org-ambiguous",
    "org-fuzzy",
    "pdf-page-no-text",
    "invalid-bytes",
    "ocr-repaired",
]
"""Every code the extractor and the checker emit; ``data/findings.jsonl`` must word each of them."""

RAW_FIELD = "raw"
"""The template field that stands for the note's text at the finding's span."""


@dataclass(frozen=True, slots=True)
class Finding:
    """Something a stage could not do or doubts, before it is worded: the record's issue to be."""

    code: FindingCode
    span: CleanSpan | RawSpan | None = None
    fields: tuple[tuple[str, str], ...] = ()
    """The values the message and hint templates name, in a stable order."""
    variant: str | None = None
    """Which wording, for a code with several (``venue-country-inferred``: gazetteer or government)."""


def finding(
    code: FindingCode,
    span: CleanSpan | RawSpan | None = None,
    *,
    variant: str | None = None,
    **fields: object,
) -> Finding:
    """A :class:`Finding` with its template fields given as keywords (values shown with ``str``)."""
    return Finding(code, span, tuple((name, str(value)) for name, value in sorted(fields.items())), variant)


class IssueKind(BaseModel):
    """One row of ``data/findings.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: FindingCode
    severity: Severity = Field(description="The severity the record's issue has.")
    message: str | dict[str, str] = Field(description="Template, or templates by variant.")
    hint: str | None = Field(default=None, description="What the record suggests; may use the fields.")
    check: RuleSeverity = Field(description="Default severity of `note-extract check` for publication.")
    requires: str = Field(min_length=1, description="What a publishable note must have.")
    fix: str = Field(min_length=1, description="What to do when a note does not have it.")

    def templates(self) -> list[str]:
        """Every template of the row: its message or messages, and its hint."""
        messages = list(self.message.values()) if isinstance(self.message, dict) else [self.message]
        return messages + ([self.hint] if self.hint else [])


def template_fields(template: str) -> set[str]:
    """The field names a ``str.format`` template uses (ValueError when it cannot be parsed)."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}


@dataclass(frozen=True)
class Catalogue:
    """The issue kinds by code, in file order."""

    kinds: dict[str, IssueKind]
    source: Path

    def render(self, found: Finding, raw: str | None) -> tuple[Severity, str, str | None]:
        """Severity, message and hint of a finding; ``raw`` is the note's text at its span."""
        kind = self.kinds[found.code]
        values = dict(found.fields)
        if raw is not None:
            values[RAW_FIELD] = raw
        if isinstance(kind.message, dict):
            if found.variant not in kind.message:
                raise ValueError(f"{found.code}: no wording for variant {found.variant!r}")
            message = kind.message[found.variant]
        else:
            message = kind.message
        try:
            return kind.severity, message.format(**values), kind.hint.format(**values) if kind.hint else None
        except KeyError as exc:
            raise ValueError(f"{found.code}: the finding gives no value for {exc}") from exc


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The catalogue at ``path`` (default: the shipped one), checked; see the module docstring."""
    source = path if path is not None else data_path(FINDINGS_FILE)
    return Catalogue(_checked(source, numbered_rows(source, IssueKind)), source)


def check_catalogue(path: Path, rows: Sequence[Any]) -> None:
    """Refuse a catalogue that lacks a code, repeats one, or has a template that cannot be parsed
    (the check :class:`~note_extract.rules.Rules` runs on the rows it loaded from ``findings.jsonl``;
    the file is read again only to name the line of a fault)."""
    try:
        _checked(path, [(None, row) for row in rows])
    except RuleFileError:
        _checked(path, numbered_rows(path, IssueKind))
        raise


@derived
def catalogue(rules: Rules) -> Catalogue:
    """The catalogue of the rules in force."""
    kinds: dict[str, IssueKind] = {row.code: row for row in rules.rows(FINDINGS_FILE, IssueKind)}
    return Catalogue(kinds, rules.path(FINDINGS_FILE))


def _checked(source: Path, rows: Sequence[tuple[int | None, IssueKind]]) -> dict[str, IssueKind]:
    kinds: dict[str, IssueKind] = {}
    for lineno, row in rows:
        where = f"{source}:{lineno}" if lineno is not None else str(source)
        if row.code in kinds:
            raise RuleFileError(f"{where}: code {row.code!r} is already listed")
        for template in row.templates():
            try:
                template_fields(template)
            except ValueError as exc:
                raise RuleFileError(f"{where}: template {template!r}: {exc}") from exc
        kinds[row.code] = row
    missing = [code for code in get_args(FindingCode) if code not in kinds]
    if missing:
        raise RuleFileError(f"{source}: no row for code {', '.join(repr(c) for c in missing)}")
    return kinds
