"""The rule bundle: every rule file an extraction reads, loaded once, with a user override folder.

Contract: :meth:`Rules.load` reads every known rule file (:func:`rule_files`) eagerly and validates each
row with its row model; a row error raises :class:`~note_extract.core.errors.RuleFileError` naming the file
and the 1-based line. For each known name, the file of the same name in ``folder`` is used when there
is one, else the shipped file; a file in ``folder`` whose name is no known rule file is an error (a
misspelt name must not be ignored). ``registry`` (``Settings.registry``) replaces
``organizations.jsonl``, and wins over the folder. The city gazetteer (``cities.tsv.gz``) may be
overridden too, but it is large: only its path and digest are taken at load, it is parsed on first use
(a user's gazetteer is checked at load, so a bad one fails the load once, never each note).

A :class:`Rules` is immutable: it holds the validated rows and the path each file was read from, and
:attr:`Rules.digest` is a sha256 over the names and bytes of the files used (in name order), so an
override changes it. Tables derived from the rows (compiled patterns, indexes) are built once per
``Rules`` and kept on it (:func:`derived`, :meth:`Rules.memo`), never in a module-level cache: two
bundles in one process never mix. Nothing here knows a "current" bundle; the pipeline passes its own.
:func:`shipped_rules` is the shipped bundle, loaded once per process, for callers outside a pipeline.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from note_extract.core.errors import ConfigError, RuleFileError
from note_extract.core.resources import data_path, load_rows
from note_extract.rules.checks import check_catalogue, check_date_words, check_gazetteer, check_registry
from note_extract.rules.rows import (
    ConfidenceRow,
    CountryRow,
    DateWordsRow,
    DemonymRow,
    FurnitureRule,
    IssueKind,
    KindRow,
    KnownResolution,
    LabelRow,
    LanguageRow,
    MentionRow,
    NarrativeRow,
    OcrRow,
    OrgEntry,
    ProseRow,
    RoleRow,
    SectionRow,
    SuggestWordsRow,
    VenueRow,
    WordsRow,
    WrappingRow,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

    from note_extract.core.settings import Settings

T = TypeVar("T")
RowT = TypeVar("RowT", bound="BaseModel")

REGISTRY_FILE = "organizations.jsonl"
GAZETTEER_FILE = "cities.tsv.gz"
FINDINGS_FILE = "findings.jsonl"


@dataclass(frozen=True, slots=True)
class RuleFile:
    """How one known rule file is read."""

    model: type[BaseModel] | None
    """The row model of a JSON Lines file; None for a file read on first use by its own reader."""
    check: Callable[[Path, Sequence[Any]], None] | None = None
    """Checks across rows, run at load after every row is valid (raises RuleFileError)."""


@cache
def rule_files() -> Mapping[str, RuleFile]:
    """The known rule files by name: the one table :meth:`Rules.load` reads."""
    return {
        "confidence.jsonl": RuleFile(ConfidenceRow),
        "countries.jsonl": RuleFile(CountryRow),
        "date_words.jsonl": RuleFile(DateWordsRow, check_date_words),
        "demonyms.jsonl": RuleFile(DemonymRow),
        "event_kinds.jsonl": RuleFile(KindRow),
        FINDINGS_FILE: RuleFile(IssueKind, check_catalogue),
        "furniture.jsonl": RuleFile(FurnitureRule),
        "labels.jsonl": RuleFile(LabelRow),
        "languages.jsonl": RuleFile(LanguageRow),
        "mentions.jsonl": RuleFile(MentionRow),
        "narrative.jsonl": RuleFile(NarrativeRow),
        "ocr.jsonl": RuleFile(OcrRow),
        REGISTRY_FILE: RuleFile(OrgEntry, check_registry),
        "prose.jsonl": RuleFile(ProseRow),
        "resolutions.jsonl": RuleFile(KnownResolution),
        "roles.jsonl": RuleFile(RoleRow),
        "sections.jsonl": RuleFile(SectionRow),
        "suggest.jsonl": RuleFile(SuggestWordsRow),
        "venue.jsonl": RuleFile(VenueRow),
        "words.jsonl": RuleFile(WordsRow),
        "wrapping.jsonl": RuleFile(WrappingRow),
        GAZETTEER_FILE: RuleFile(None),
    }


class Rules:
    """Every rule file's validated rows and the path it was read from; see the module docstring."""

    __slots__ = ("_memo", "_rows", "digest", "paths")

    def __init__(self, paths: Mapping[str, Path], rows: Mapping[str, tuple[Any, ...]], digest: str) -> None:
        self.paths: Mapping[str, Path] = dict(paths)
        """Each known file's name and the path it was read from."""
        self._rows = dict(rows)
        self.digest = digest
        """sha256 over the name and bytes of every file used, in name order."""
        self._memo: dict[object, object] = {}

    @classmethod
    def load(cls, folder: Path | None = None, registry: Path | None = None) -> Rules:
        """Read every known rule file: from ``folder`` when it has one of that name, else the shipped
        one; ``registry`` replaces ``organizations.jsonl``. Raises RuleFileError on a missing folder,
        an unknown file name in it, or a bad row (with file and line)."""
        known = rule_files()
        paths = {name: data_path(name) for name in known}
        if folder is not None:
            if not folder.is_dir():
                raise RuleFileError(f"{folder}: no such rules folder")
            for path in sorted(folder.iterdir()):
                if path.name.startswith(".") or path.is_dir():
                    continue
                if path.name not in known:
                    raise RuleFileError(f"{path}: not a known rule file (known: {', '.join(sorted(known))})")
                paths[path.name] = path
        if registry is not None:
            paths[REGISTRY_FILE] = registry
        digest = hashlib.sha256()
        rows: dict[str, tuple[Any, ...]] = {}
        for name in sorted(paths):
            path = paths[name]
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise RuleFileError(f"{path}: cannot read rule file: {exc.strerror or exc}") from exc
            digest.update(name.encode())
            digest.update(data)
            spec = known[name]
            if name == GAZETTEER_FILE and path != data_path(name):
                check_gazetteer(path, data)  # a user's gazetteer fails here, not in every note
            if spec.model is None:
                continue
            loaded = load_rows(path, spec.model)
            if spec.check is not None:
                spec.check(path, loaded)
            rows[name] = tuple(loaded)
        return cls(paths, rows, digest.hexdigest())

    def rows(self, name: str, model: type[RowT]) -> tuple[RowT, ...]:
        """The validated rows of the rule file ``name`` (``model`` is its row model)."""
        if rule_files()[name].model is not model:
            raise TypeError(f"{name} holds {rule_files()[name].model}, not {model}")
        return cast("tuple[RowT, ...]", self._rows[name])

    def count(self, name: str) -> int | None:
        """The number of rows of ``name``; None for a file read on first use (the gazetteer)."""
        rows = self._rows.get(name)
        return None if rows is None else len(rows)

    def path(self, name: str) -> Path:
        """The path the rule file ``name`` was read from."""
        return self.paths[name]

    def overridden(self, name: str) -> bool:
        """True when ``name`` was not read from the shipped data."""
        return self.paths[name] != data_path(name)

    def memo(self, key: object, build: Callable[[], T]) -> T:
        """The value kept under ``key`` on this bundle, built by ``build()`` the first time."""
        try:
            return cast(T, self._memo[key])
        except KeyError:
            pass
        # Built without a lock (builds nest, and are pure): two threads may both build, one value stays.
        return cast(T, self._memo.setdefault(key, build()))

    def __repr__(self) -> str:
        changed = sorted(name for name in self.paths if self.overridden(name))
        return f"Rules(digest={self.digest[:12]}, overridden={changed})"


def derived(build: Callable[[Rules], T]) -> Callable[[Rules], T]:
    """Make ``build(rules)`` a table kept on each :class:`Rules`: built on first use, then reused."""

    @functools.wraps(build)
    def get(rules: Rules) -> T:
        try:
            return cast(T, rules._memo[get])
        except KeyError:
            return rules.memo(get, lambda: build(rules))

    return get


@cache
def shipped_rules() -> Rules:
    """The shipped rules, loaded once per process (for callers that run no pipeline, and tests)."""
    return Rules.load()


def rules_for(settings: Settings) -> Rules:
    """The rules ``settings`` ask for (its ``rules`` folder and ``registry``), with its languages
    checked against them; raises RuleFileError or ConfigError."""
    if settings.rules is None and settings.registry is None:
        rules = shipped_rules()
    else:
        rules = Rules.load(settings.rules, settings.registry)
    check_languages(rules, settings.languages)
    return rules


def check_languages(rules: Rules, languages: Sequence[str]) -> None:
    """Raise ConfigError unless every language has a row in ``date_words.jsonl``."""
    known = {row.language for row in rules.rows("date_words.jsonl", DateWordsRow)}
    unknown = [code for code in languages if code not in known]
    if unknown:
        names = ", ".join(repr(code) for code in unknown)
        raise ConfigError(
            f"[tool.note_extract] languages: unknown language {names} "
            f"(known: {', '.join(sorted(known))}, from {rules.path('date_words.jsonl')})"
        )
