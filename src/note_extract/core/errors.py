"""Exceptions: the "cannot continue" channel.

Everything the pipeline raises derives from :class:`NoteExtractError`. What a note merely lacks or
gets wrong is never an exception: it becomes an ``Issue`` inside the record. Only the CLI turns these
exceptions into exit codes.
"""

from __future__ import annotations


class NoteExtractError(Exception):
    """Root of every error note_extract raises on purpose."""


class InputError(NoteExtractError):
    """A note file cannot be read or decoded (the message names the path and the reason); ``hint``,
    when given, says what to do about it (checks show it in place of the generic advice)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class RuleFileError(NoteExtractError):
    """A shipped or user-supplied rule file is malformed (the message names file and line)."""


class ConfigError(NoteExtractError):
    """Settings are invalid (unknown key, bad value)."""


class OutputError(NoteExtractError):
    """Records cannot be written where asked (the output folder is a file, or not writable)."""


class DiskFullError(OutputError):
    """The disk (or the user's quota) is full: no later note can be written either, so a batch stops
    with this one error instead of failing every note that follows."""
