"""note_extract: UN Security Council 1540 Committee information notes to validated JSON records."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
