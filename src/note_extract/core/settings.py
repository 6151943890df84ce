"""Settings: everything that changes output besides the note itself.

Contract: :class:`Settings` is immutable and validated (``languages`` must be a non-empty list; that
each has a row in ``date_words.jsonl`` is checked against the rules in force when a pipeline loads them,
:func:`~note_extract.rules.bundle.rules_for`); :func:`load_settings` reads the
``[tool.note_extract]`` table of a ``pyproject.toml`` (or a standalone TOML file) and raises
:class:`~note_extract.core.errors.ConfigError` naming the file and the key on a bad value or unknown key.
Settings in :data:`OUTPUT_NEUTRAL` never change a record, so they are left out of the rules digest.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from note_extract.core.errors import ConfigError

RuleSeverity = Literal["error", "warning", "info", "off"]
DEFAULT_MAX_NOTE_BYTES = 2_000_000
OUTPUT_NEUTRAL = {"severity", "max_note_bytes"}
"""Settings that decide what is checked or refused, never what a record holds."""


class Settings(BaseModel):
    """Extraction and checking settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    registry: Path | None = Field(
        default=None, description="An organization registry to use instead of the shipped one."
    )
    rules: Path | None = Field(
        default=None,
        description="A folder of rule files that replace the shipped ones of the same name.",
    )
    fuzzy_cutoff: float = Field(
        default=90.0, ge=50.0, le=100.0, description="Lowest similarity accepted as a fuzzy match."
    )
    fuzzy_margin: float = Field(
        default=3.0, ge=0.0, le=50.0, description="How far a fuzzy match must beat the runner-up."
    )
    languages: tuple[str, ...] = Field(
        default=("en", "fr", "es"), description="Languages notes may be written in."
    )
    severity: dict[str, RuleSeverity] = Field(
        default_factory=dict, description="Per issue code, the severity `check` gives it (or 'off')."
    )
    max_note_bytes: int = Field(
        default=DEFAULT_MAX_NOTE_BYTES,
        ge=1,
        description="Largest note file read, in bytes; a larger file fails with its size (a note is "
        "rarely over 50 KB).",
    )

    @field_validator("languages")
    @classmethod
    def _some_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("give at least one language")
        return value


def _table(path: Path, data: dict[str, object]) -> dict[str, object] | None:
    """The ``[tool.note_extract]`` table of ``data`` (None when there is none), or the whole file
    when it has no ``tool`` table; raises ConfigError when one of them is not a table."""
    if "tool" not in data:
        return data
    tool = data["tool"]
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: tool is {type(tool).__name__}, not a table ([tool.note_extract])")
    table = tool.get("note_extract")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.note_extract] is {type(table).__name__}, not a table")
    return table


def load_settings(path: Path | None) -> Settings:
    """Settings from a TOML file: its ``[tool.note_extract]`` table, or the whole file if it has none."""
    if path is None:
        return Settings()
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read settings: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    table = _table(path, data)
    if table is None:
        return Settings()
    try:
        settings = Settings.model_validate(table)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{path}: [tool.note_extract] {where}: {message}") from exc
    for key in ("registry", "rules"):
        value = getattr(settings, key)
        if value is not None and not value.is_absolute():
            settings = Settings.model_validate(
                {**settings.model_dump(), key: (path.parent / value).resolve()}
            )
    return settings
