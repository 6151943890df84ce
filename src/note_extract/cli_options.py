"""Options shared by every command: the settings file and how it is found.

Contract: :data:`ConfigOption` is the ``--config`` option; :func:`settings_for` loads the settings it
names, or ``./pyproject.toml`` when that file has a ``[tool.note_extract]`` table, or the defaults.
It raises :class:`~note_extract.errors.ConfigError` for a file that cannot be read or is invalid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .settings import Settings, load_settings

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help=(
            "A pyproject.toml with [tool.note_extract], or a TOML settings file. "
            "Default: ./pyproject.toml if it has the table."
        ),
        dir_okay=False,
    ),
]


def settings_for(config: Path | None) -> Settings:
    """The settings in force; see the module docstring."""
    if config is None:
        default = Path("pyproject.toml")
        if default.is_file() and b"[tool.note_extract" in default.read_bytes():
            config = default
    return load_settings(config)
