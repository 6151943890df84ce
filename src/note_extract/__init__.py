"""note_extract: UN Security Council 1540 Committee information notes to validated JSON records.

The public API (see :mod:`note_extract.api`)::

    from note_extract import extract, extract_file, extract_folder, Pipeline

    record = extract_file("data/raw/004_c564594f294c2866.txt")
    print(record.event.title, record.event.start_date, [o.name for o in record.organizers])
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import extract, extract_file, extract_folder, pipeline_for
from .batch import NoteResult
from .errors import NoteExtractError
from .models import NoteRecord
from .pipeline import Pipeline
from .settings import Settings, load_settings

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
