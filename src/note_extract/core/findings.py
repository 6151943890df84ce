"""Findings: what a stage could not do or doubts, before it is worded as the record's issue.

Contract: a stage that doubts or misses something returns a :class:`Finding` beside its value — a
code of :data:`FindingCode`, a span (clean or raw) and the fields its message needs — and never
builds the record's issue itself. The wording of each code lives in the catalogue of findings
(``data/findings.jsonl``, read by :mod:`note_extract.rules.catalogue`), which must word every code
listed here; the assembly step (:mod:`note_extract.record.assemble`) renders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from note_extract.core.spans import CleanSpan, RawSpan

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
    "date-partial",
    "venue-missing",
    "venue-country-missing",
    "venue-several",
    "venue-partial",
    "venue-country-inferred",
    "organizers-missing",
    "organizers-from-text",
    "org-unresolved",
    "org-ambiguous",
    "org-fuzzy",
    "national-body-stateless",
    "pdf-page-no-text",
    "invalid-bytes",
    "ocr-repaired",
    "low-confidence",
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
