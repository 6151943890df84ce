"""What every command shares: the settings option and the one printer for messages and errors.

Contract: :data:`ConfigOption` is the ``--config`` option; :func:`settings_for` loads the settings it
names, or ``./pyproject.toml`` when that file has a ``[tool.note_extract]`` table, or the defaults.
It raises :class:`~note_extract.core.errors.ConfigError` for a file that cannot be read or is invalid.
:data:`RegistryOption` is ``--registry FILE``, a registry that replaces the shipped one (a file that does not
exist is a ConfigError), taken by every command that resolves names.
:data:`RulesOption` is ``--rules DIR``, a folder of rule files that replace the shipped ones of the
same name; given to :func:`settings_for`, it overrides the settings' ``rules`` (a folder that does not
exist is a ConfigError).

:func:`guard` sets the one error boundary of the command line: every command of the app has a
:class:`~note_extract.core.errors.NoteExtractError` (bad input, settings, rules, output) turned into
``error: MESSAGE`` and exit code 2 (:func:`errors_to_exit`); no command catches it again.

:func:`say` prints one line to stderr and :func:`fail` prints ``error: MESSAGE`` there and returns the
:class:`typer.Exit` to raise (code 2 unless told). Both print plain text, never markup, with control
characters and undecodable bytes escaped (:func:`~note_extract.core.display.terminal_text`), and never wrap
a line: whatever a note or a file name holds is shown as it is and cannot break the output.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from note_extract.core.display import terminal_text
from note_extract.core.errors import NoteExtractError

if TYPE_CHECKING:
    from note_extract.core.settings import Settings

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help=(
            "A pyproject.toml with [tool.note_extract], or a TOML settings file. "
            "Default: ./pyproject.toml if it has the table."
        ),
        dir_okay=False,
        metavar="FILE",
    ),
]

RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        help=(
            "A folder of rule files (labels.jsonl, ...) that replace the shipped ones of the same name. "
            "Default: the rules setting of [tool.note_extract], else the shipped rules."
        ),
        file_okay=False,
        metavar="DIR",
    ),
]


RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help=(
            "An organization registry (JSON Lines, as 'orgs add' writes) to use instead of the shipped one. "
            "Default: the registry setting of [tool.note_extract], else the shipped registry."
        ),
        dir_okay=False,
        metavar="FILE",
    ),
]


def settings_for(config: Path | None, rules: Path | None = None, registry: Path | None = None) -> Settings:
    """The settings in force, with ``rules`` (``--rules DIR``) replacing their rules folder and
    ``registry`` (``--registry FILE``) their registry when given; see the module docstring."""
    from note_extract.core.errors import ConfigError  # lazy: start-up
    from note_extract.core.settings import (
        load_settings,  # lazy: start-up (not at import time: --help needs no settings)
    )

    if config is None:
        default = Path("pyproject.toml")
        if default.is_file() and b"[tool.note_extract" in default.read_bytes():
            config = default
    settings = load_settings(config)
    if rules is not None:
        if not rules.is_dir():
            raise ConfigError(f"{rules}: --rules needs a folder of rule files, and there is none here")
        settings = type(settings).model_validate({**settings.model_dump(), "rules": rules.resolve()})
    if registry is not None:
        if not registry.is_file():
            raise ConfigError(
                f"{registry}: --registry needs a registry file, and there is none here "
                "(write one with: note-extract orgs add PROPOSALS --registry FILE)"
            )
        settings = type(settings).model_validate({**settings.model_dump(), "registry": registry.resolve()})
    return settings


def say(line: str) -> None:
    """Print one line to stderr as plain, escaped text."""
    typer.echo(terminal_text(line), err=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: MESSAGE`` to stderr; returns the exit to raise."""
    prefix = typer.style("error:", fg="red", bold=True)
    typer.echo(f"{prefix} {terminal_text(message)}", err=True)
    return typer.Exit(code)


P = ParamSpec("P")
R = TypeVar("R")


def errors_to_exit(command: Callable[P, R]) -> Callable[P, R]:
    """``command`` with a :class:`~note_extract.core.errors.NoteExtractError` turned into ``error:
    MESSAGE`` and exit code 2 (the signature is kept, so typer reads the same options)."""

    @functools.wraps(command)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except NoteExtractError as exc:
            raise fail(str(exc)) from None

    return guarded


def guard(app: typer.Typer) -> typer.Typer:
    """Put every command and callback of ``app`` (and of its sub-apps) behind :func:`errors_to_exit`:
    the command line's one error boundary. Called once, after every command is registered."""
    for info in app.registered_commands:
        if info.callback is not None:
            info.callback = errors_to_exit(info.callback)
    callback = app.registered_callback
    if callback is not None and callback.callback is not None:
        callback.callback = errors_to_exit(callback.callback)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            guard(group.typer_instance)
    return app
