"""note_extract: UN Security Council 1540 Committee information notes to validated JSON records.

The public API (see :mod:`note_extract.api`)::

    from note_extract import extract, extract_file, extract_folder, Pipeline

    record = extract_file("data/raw/004_c564594f294c2866.txt")
    print(record.event.title, record.event.start_date, [o.name for o in record.organizers])

The names are imported on first use, so that a command that needs none of them (``note-extract
--help``) does not pay for spaCy and pydantic at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from note_extract.core.about import __version__

if TYPE_CHECKING:
    from note_extract.batch.convert import NoteResult
    from note_extract.core.errors import NoteExtractError
    from note_extract.core.models import NoteRecord
    from note_extract.core.settings import Settings, load_settings

    from .api import extract, extract_file, extract_folder, pipeline_for
    from .pipeline import Pipeline

_EXPORTS = {
    "extract": "api",
    "extract_file": "api",
    "extract_folder": "api",
    "pipeline_for": "api",
    "NoteResult": "batch.convert",
    "NoteExtractError": "core.errors",
    "NoteRecord": "core.models",
    "Pipeline": "pipeline",
    "Settings": "core.settings",
    "load_settings": "core.settings",
}

__all__ = [
    "NoteExtractError",
    "NoteRecord",
    "NoteResult",
    "Pipeline",
    "Settings",
    "__version__",
    "extract",
    "extract_file",
    "extract_folder",
    "load_settings",
    "pipeline_for",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'note_extract' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
