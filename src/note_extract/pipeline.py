"""The pipeline: raw note text in, validated :class:`~note_extract.core.models.NoteRecord` out.

Stages, each a function of its inputs: normalize → OCR repair → header tables rebuilt as labelled
lines → split layout → find entities → event (title, kind, dates, venue) → roles (organizers,
sponsors, hosts, observers, participants) → mentions → assemble and validate. Every stage after
normalization works in clean-text offsets and returns its findings beside its value; only
:mod:`note_extract.record.assemble` maps offsets to the raw text and builds the record
(``docs/architecture.md`` draws it). :class:`Pipeline` holds
what is expensive to build (registry, countries, resolver, phrase matchers) and is safe to reuse for
any number of notes; building one costs a fraction of a second, so batch workers build one each.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from note_extract.core.about import __version__
from note_extract.core.findings import finding
from note_extract.core.models import Extractor, NoteRecord, Source
from note_extract.core.settings import OUTPUT_NEUTRAL, Settings
from note_extract.event.event import extract_event
from note_extract.layout.layout import split_layout
from note_extract.layout.shapes import read_label_cells
from note_extract.layout.tables import rebuild_tables
from note_extract.lexicon.countries import country_index
from note_extract.lexicon.entities import EntityFinder
from note_extract.lexicon.registry import rules_registry
from note_extract.lexicon.resolve import Resolver
from note_extract.parties.mentions import extract_mentions
from note_extract.parties.refs import RefBuilder, role_rules
from note_extract.parties.roles import extract_roles
from note_extract.read.language import detect_language
from note_extract.read.normalize import normalize
from note_extract.read.ocr import OcrRepairer, registry_words
from note_extract.read.pdf import page_findings, page_furniture, page_spans
from note_extract.read.reader import read_note, replaced_spans
from note_extract.record.assemble import Assembler, Parts
from note_extract.record.confidence import Scorer
from note_extract.rules.bundle import rules_for
from note_extract.rules.catalogue import catalogue


@dataclass
class Pipeline:
    """A reusable, configured extractor (``Pipeline()`` uses the shipped rules; ``settings.rules`` and
    ``settings.registry`` replace them: one :class:`~note_extract.rules.bundle.Rules` is loaded and used)."""

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
        self.assembler = Assembler(self.extractor, catalogue(self.rules), Scorer.of(self.rules))

    def extract_text(self, raw: str, source: Source, note_id: str) -> NoteRecord:
        """Extract one note from its decoded text (for a PDF, the text :func:`read_note` gave)."""
        return self.assembler.record(self.parts(raw, source, note_id))

    def parts(self, raw: str, source: Source, note_id: str) -> Parts:
        """Every stage's result for one note, before assembly (what the confidence model reads)."""
        pages = page_spans(source)
        rules = self.rules
        note, repairs = self.ocr.repair(normalize(rules, raw, page_furniture(raw, pages) if pages else ()))
        note = read_label_cells(rules, rebuild_tables(rules, note))
        text = note.text
        layout = split_layout(rules, note)
        language = detect_language(rules, text)
        languages = (language, *(code for code in self.settings.languages if code != language))
        hits = self.finder.find(text)
        refs = RefBuilder(rules, text, self.registry, self.countries, self.resolver)
        event, event_findings = extract_event(rules, text, layout, hits, self.countries, languages)
        days = (event.dates.start, event.dates.end or event.dates.start) if event.dates else None
        roles, role_findings = extract_roles(
            rules, layout, hits, refs, event.context, event.venue.country_code, days, languages
        )
        default_year = event.dates.start.year if event.dates else None
        mentions = extract_mentions(rules, text, hits, refs, languages, default_year)
        findings = [
            *event_findings,
            *role_findings,
            *page_findings(raw, pages),
            *(repair.finding() for repair in repairs),
            *(finding("invalid-bytes", span) for span in replaced_spans(raw)),
        ]
        if not layout.fields:
            findings.append(finding("header-missing"))
        return Parts(note_id, source, note, language, layout, event, roles, mentions, findings)

    def extract_file(self, path: Path | str, display_path: str | None = None) -> NoteRecord:
        """Read and extract one note file (a PDF too); raises InputError when it cannot be read."""
        path = Path(path)
        raw, source = read_note(path, display_path, limit=self.settings.max_note_bytes)
        return self.extract_text(raw, source, path.stem)
