"""Loading of the rule files shipped in ``note_extract/data``.

Contract: every loader reads a JSON Lines file (one JSON object per line; blank lines and lines
starting with ``#`` are ignored), validates each row with a pydantic model and raises
:class:`~note_extract.core.errors.RuleFileError` naming the file and the 1-based line on the first bad row.
Nothing is cached here: :class:`~note_extract.rules.bundle.Rules` reads each file once and keeps its rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from note_extract.core.errors import RuleFileError

RowT = TypeVar("RowT", bound=BaseModel)

DATA_PACKAGE = "note_extract.data"


def data_path(name: str) -> Path:
    """Return the filesystem path of a shipped rule file."""
    return Path(str(resources.files(DATA_PACKAGE).joinpath(name)))


def _iter_rows(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(f"{path}: cannot read rule file: {exc.strerror or exc}") from exc
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise RuleFileError(f"{path}:{lineno}: invalid JSON: {exc.msg} (column {exc.colno})") from exc
        if not isinstance(value, dict):
            raise RuleFileError(f"{path}:{lineno}: expected a JSON object, got {type(value).__name__}")
        yield lineno, value


def load_rows(path: Path, model: type[RowT]) -> list[RowT]:
    """Read and validate every row of the JSON Lines file at ``path``."""
    return [row for _lineno, row in numbered_rows(path, model)]


def numbered_rows(path: Path, model: type[RowT]) -> list[tuple[int, RowT]]:
    """Every row of the JSON Lines file at ``path``, validated, with its 1-based line number."""
    rows: list[tuple[int, RowT]] = []
    for lineno, value in _iter_rows(path):
        try:
            rows.append((lineno, model.model_validate(value)))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "row"
            raise RuleFileError(f"{path}:{lineno}: {where}: {first['msg']}") from exc
    return rows
