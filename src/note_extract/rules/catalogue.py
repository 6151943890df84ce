"""The catalogue of findings: the wording and check severity of every issue, from data.

Contract: ``data/findings.jsonl`` holds one :class:`~note_extract.rules.rows.IssueKind` per code of
:data:`~note_extract.core.findings.FindingCode`: the severity the record gives it, the message
template, the hint, and what ``note-extract check`` makes of it. It is a rule file like the others,
checked at load (:func:`~note_extract.rules.checks.check_catalogue`: no code missing or repeated, every
template parses), so ``--rules DIR`` may reword it. :func:`catalogue` gives the catalogue of a rule
bundle; :func:`load_catalogue` reads one file. :meth:`Catalogue.render` fills a template; the assembly
step (:mod:`note_extract.record.assemble`) is its one caller for records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from note_extract.core.findings import RAW_FIELD, Finding
from note_extract.core.models import Severity
from note_extract.core.resources import data_path, numbered_rows
from note_extract.rules.bundle import FINDINGS_FILE, Rules, derived
from note_extract.rules.checks import checked_catalogue
from note_extract.rules.rows import IssueKind


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
    return Catalogue(checked_catalogue(source, numbered_rows(source, IssueKind)), source)


@derived
def catalogue(rules: Rules) -> Catalogue:
    """The catalogue of the rules in force."""
    kinds: dict[str, IssueKind] = {row.code: row for row in rules.rows(FINDINGS_FILE, IssueKind)}
    return Catalogue(kinds, rules.path(FINDINGS_FILE))
