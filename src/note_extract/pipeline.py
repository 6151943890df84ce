"""The pipeline: raw note text in, validated :class:`~note_extract.models.NoteRecord` out.

Stages, each a function of its inputs: normalize → OCR repair → header tables rebuilt as labelled
lines → split layout → find entities → event (title, kind, dates, venue) → roles (organizers,
sponsors, hosts, observers, participants) → mentions → assemble and validate. :class:`Pipeline` holds
what is expensive to build (registry, countries, resolver, phrase matchers) and is safe to reuse for
any number of notes; building one costs a fraction of a second, so batch workers build one each.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .countries import country_index
from .entities import EntityFinder
from .event import extract_event
from .language import detect_language
from .layout import split_layout
from .mentions import extract_mentions
from .models import Extractor, Furniture, Issue, NoteRecord, Section, Source
from .normalize import normalize
from .ocr import OcrRepairer, registry_words
from .pdf import page_furniture, page_issues
from .reader import read_note, replaced_spans
from .refs import RefMaker, role_rules
from .registry import rules_registry
from .resolve import Resolver
from .roles import extract_roles
from .rules import rules_for
from .settings import OUTPUT_NEUTRAL, Settings
from .tables import rebuild_tables

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Pipeline:
    """A reusable, configured extractor (``Pipeline()`` uses the shipped rules; ``settings.rules`` and
    ``settings.registry`` replace them: one :class:`~note_extract.rules.Rules` is loaded and used)."""

    settings: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        self.rules = rules_for(self.settings)
        self.registry = rules_registry(self.rules)
        self.countries = country_index(self.rules)
        self.resolver = Resolver(self.registry, self.settings.fuzzy_cutoff, self.settings.fuzzy_margin)
        known = [n for e in self.registry.entries for n in (e.name, *e.acronyms, *e.aliases)]
        known += [n for names in self.countries.names.values() for n in names]
        self.ocr = OcrRepairer(self.rules, registry_words(known))
        self.finder = EntityFinder(self.registry, self.countries, role_rules(self.rules).filler)
        digest_input = self.rules.digest + self.settings.model_dump_json(exclude=OUTPUT_NEUTRAL)
        self.extractor = Extractor(
            version=__version__, rules_sha256=hashlib.sha256(digest_input.encode()).hexdigest()
        )

    def extract_text(self, raw: str, source: Source, note_id: str) -> NoteRecord:
        """Extract one note from its decoded text (for a PDF, the text :func:`read_note` gave)."""
        note, repairs = self.ocr.repair(
            normalize(self.rules, raw, page_furniture(raw, source.pages) if source.pages else ())
        )
        note = rebuild_tables(self.rules, note)
        layout = split_layout(self.rules, note)
        language = detect_language(self.rules, note.text)
        languages = (language, *(code for code in self.settings.languages if code != language))
        hits = self.finder.find(note.text)
        maker = RefMaker(note, self.registry, self.countries, self.resolver, self.rules)
        event, event_issues, context = extract_event(self.rules, note, layout, hits, maker, languages)
        roles = extract_roles(self.rules, layout, hits, maker, context, event.venue.country_code)
        default_year = event.start_date.year if event.start_date else None
        mentions = extract_mentions(self.rules, note, hits, maker, languages, default_year)
        sections = []
        for part in layout.sections:
            span = note.raw_span(part.start, part.end)
            text = "\n\n".join(_unwrap(note.text[a:b]) for a, b in part.paragraphs)
            sections.append(Section(number=part.number, heading=part.heading, text=text, span=span))
        furniture = list(note.furniture)
        for a, b in layout.contacts:
            span = note.raw_span(a, b)
            furniture.append(Furniture(kind="contact", text=raw[span[0] : span[1]], span=span))
        furniture.sort(key=lambda f: (f.span, f.kind))
        issues = event_issues + maker.issues + (page_issues(raw, source.pages) if source.pages else [])
        issues.extend(repair.issue() for repair in repairs)
        issues.extend(
            Issue(
                code="invalid-bytes",
                severity="warning",
                span=span,
                message="bytes that are not valid text here were replaced by U+FFFD",
                hint="re-export the note as UTF-8, or fix the bytes at this place",
            )
            for span in replaced_spans(raw)
        )
        if roles.organizers_from_text and context is not None:
            issues.append(
                Issue(
                    code="organizers-from-text",
                    severity="warning",
                    span=note.raw_span(*context.sentence),
                    message="the header names no organizer; organizers were read from the sentence "
                    "that reports the event",
                    hint='add an "Organizers:" line to the header',
                )
            )
        if not roles.organizers:
            issues.append(
                Issue(
                    code="organizers-missing",
                    severity="error",
                    message="the note names no organizer",
                    hint='add an "Organizers:" line to the header',
                )
            )
        if not layout.fields:
            issues.append(
                Issue(
                    code="header-missing",
                    severity="warning",
                    message="the note has no labelled header; event fields were looked for in the text",
                )
            )
        issues = _dedupe(issues)
        return NoteRecord(
            id=note_id,
            source=source,
            extractor=self.extractor,
            language=language,
            event=event,
            organizers=roles.organizers,
            sponsors=roles.sponsors,
            hosts=roles.hosts,
            observers=roles.observers,
            participants=roles.participants,
            sections=sections,
            mentions=mentions,
            furniture=furniture,
            issues=issues,
        )

    def extract_file(self, path: Path | str, display_path: str | None = None) -> NoteRecord:
        """Read and extract one note file (a PDF too); raises InputError when it cannot be read."""
        path = Path(path)
        raw, source = read_note(path, display_path, limit=self.settings.max_note_bytes)
        return self.extract_text(raw, source, path.stem)


_LIST_ITEM = re.compile(r"\s*(?:[-*|]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s")
_RUN_OF_SPACES = re.compile(r"[ \t]{2,}")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def _unwrap(text: str) -> str:
    """Each paragraph's lines joined with spaces (the converter's line wrapping undone), except before
    a list item or table row, which keeps its own line; paragraphs stay apart by one blank line."""
    paragraphs = []
    for paragraph in _BLANK_LINE.split(text.strip()):
        lines = [line.strip() for line in paragraph.split("\n")]
        out = lines[0]
        for line in lines[1:]:
            out += ("\n" if _LIST_ITEM.match(line + " ") else " ") + line
        paragraphs.append(_RUN_OF_SPACES.sub(" ", out))
    return "\n\n".join(paragraphs)


def _dedupe(issues: list[Issue]) -> list[Issue]:
    seen: set[tuple[str, tuple[int, int] | None, str]] = set()
    out = []
    for issue in issues:
        key = (issue.code, issue.span, issue.message)
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return sorted(out, key=lambda i: (i.span[0] if i.span else -1, _SEVERITY_ORDER[i.severity], i.code))
