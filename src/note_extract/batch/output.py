"""Writing records: deterministic JSON, written atomically, with the permissions of a normal write.

Contract: :func:`record_json` gives the same bytes for the same record (model field order, UTF-8
without escapes, two-space indent, trailing newline); ``source.pages`` and ``source.text``, which only
PDF notes have, are left out when absent, so a text note's record has the same shape as before them;
mentions carry no ``confidence`` (only parties in role lists do).
:func:`write_atomic` writes to a temporary file in
the target folder and renames it over the target, so a reader never sees half a record; the file ends
with the mode a plain ``open(path, "w")`` would give it (the existing file's mode, else 0666 less the
umask), not the 0600 of a temporary file. Temporary files are named by :func:`temporary_name`
(``.<name>.<pid>.<random>.tmp``); :func:`sweep_temporary` removes those under a folder whose process
is gone (left by a run that was killed mid-write), and never those of a run still going. A temporary
name never runs past the file system's limit of 255 bytes when the target's name fits: a long name is
shortened in the temporary name only.

Ownership: a file the tool did not write is never replaced. :func:`record_object` (and
:func:`written_record`) tells a record (a JSON object with the ``schema_version``, ``extractor`` and
``source`` of a record) from anything else at a record's path; :func:`claim_folder` makes a folder
a command writes whole (the review site) carry a marker file, and refuses a folder that holds
anything without it. :func:`output_errors` turns an ``OSError`` met while writing (a folder that
cannot be written, a full disk) into one :class:`~note_extract.core.errors.OutputError` naming the
target (:class:`~note_extract.core.errors.DiskFullError` for a full disk).
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from note_extract.core.display import path_text
from note_extract.core.errors import DiskFullError, OutputError

if TYPE_CHECKING:
    from note_extract.core.models import NoteRecord

_TEMPORARY = re.compile(r"\..+\.(?P<pid>[0-9]+)\.[0-9a-f]{8}\.tmp")
_LEGACY_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")  # mkstemp's names, kept by older versions
LEGACY_TEMPORARY_AGE_S = 3600.0
"""A temporary file without a process id in its name is removed once it is this old."""


_NO_CONFIDENCE = {"__all__": {"confidence"}}
_MENTIONS = {"organizations": _NO_CONFIDENCE, "countries": _NO_CONFIDENCE}


def _absent(record: NoteRecord) -> dict[str, Any]:
    """What the JSON leaves out: the PDF-only source fields this record lacks, and the confidence of
    mentions (only a party in a role list has one)."""
    absent = {key for key in ("pages", "text") if getattr(record.source, key) is None}
    return {"source": absent, "mentions": _MENTIONS} if absent else {"mentions": _MENTIONS}


def record_json(record: NoteRecord) -> str:
    """The record as deterministic JSON text (pydantic's serializer: model field order, no ASCII
    escapes, shortest round-trip floats)."""
    return record.model_dump_json(indent=2, exclude=_absent(record)) + "\n"


def record_line(record: NoteRecord) -> str:
    """The record as one JSON Lines line."""
    return record.model_dump_json(exclude=_absent(record)) + "\n"


@cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode(path: Path) -> int:
    """The mode a normal write of ``path`` leaves: the existing file's, else 0666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


NAME_MAX = 255
"""The longest file name, in bytes, most file systems take."""


def temporary_name(name: str) -> str:
    """A hidden temporary file name for ``name``, carrying this process's id; ``name`` is shortened
    (at a character boundary) so that the whole stays within :data:`NAME_MAX` bytes."""
    tail = f".{os.getpid()}.{secrets.token_hex(4)}.tmp"
    room = NAME_MAX - len(tail) - 1
    encoded = os.fsencode(name)
    if len(encoded) > room:
        name = os.fsdecode(encoded[:room].decode("utf-8", errors="ignore").encode("utf-8")) or "x"
    return f".{name}{tail}"


def record_object(path: Path) -> dict[str, Any] | None:
    """The JSON object at ``path`` when it is a record (an object with a record's ``schema_version``,
    ``extractor`` and ``source``: a file this tool wrote and may replace), else None."""
    try:
        with path.open("rb") as handle:
            value = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    if (
        isinstance(value, dict)
        and isinstance(value.get("schema_version"), str)
        and isinstance(value.get("extractor"), dict)
        and isinstance(value.get("source"), dict)
    ):
        return value
    return None


def written_record(path: Path) -> bool:
    """True when ``path`` holds a record (:func:`record_object`)."""
    return record_object(path) is not None


@contextmanager
def output_errors(target: Path, what: str = "cannot write") -> Iterator[None]:
    """Turn an ``OSError`` raised inside the block into one
    :class:`~note_extract.core.errors.OutputError`: ``TARGET: cannot write: REASON``
    (:class:`~note_extract.core.errors.DiskFullError` when the disk or quota is full)."""
    try:
        yield
    except OSError as exc:
        where = f" ({path_text(Path(exc.filename))})" if exc.filename and Path(exc.filename) != target else ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError(f"{path_text(target)}: {what}: the disk is full{where}") from None
        raise OutputError(f"{path_text(target)}: {what}: {exc.strerror or exc}{where}") from None


def claim_folder(folder: Path, marker: str, owned: tuple[str, ...]) -> None:
    """Make ``folder`` (created when missing) a folder this tool writes, marked by the file
    ``marker``; see the module docstring. Raises :class:`~note_extract.core.errors.OutputError` when it
    is a file, holds files without the marker, or when one of the ``owned`` entries it replaces is a
    symbolic link or a file instead of a folder."""
    shown = path_text(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{shown}: is a file, not a folder")
    with output_errors(folder):
        if not (folder / marker).is_file() and folder.is_dir() and any(folder.iterdir()):
            raise OutputError(
                f"{shown}: holds files this command did not write; give a new or empty folder "
                "(nothing was changed)"
            )
        for name in owned:
            entry = folder / name
            if entry.is_symlink() or (entry.exists() and not entry.is_dir()):
                raise OutputError(
                    f"{path_text(entry)}: is a symbolic link or a file, not a folder this command "
                    "wrote; remove it or give another folder (nothing was changed)"
                )
        folder.mkdir(parents=True, exist_ok=True)
        (folder / marker).write_text("note-extract\n", encoding="utf-8")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (see the module docstring)."""
    write_atomic_bytes(path, text.encode("utf-8"))


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _create(tmp: Path, mode: int) -> int:
    """A new file at ``tmp`` opened for writing with ``mode`` (its folders made only when missing: a
    batch pays for one ``mkdir`` per folder, not one per record). The umask is applied by ``open``;
    only a mode it would change (an existing file's mode with bits the umask clears) costs a ``chmod``."""
    try:
        fd = os.open(tmp, _CREATE, mode)
    except (FileNotFoundError, NotADirectoryError):
        tmp.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, _CREATE, mode)
    if mode & _umask():
        try:
            os.fchmod(fd, mode)
        except BaseException:
            os.close(fd)
            raise
    return fd


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (see the module docstring)."""
    tmp = path.parent / temporary_name(path.name)
    try:
        fd = _create(tmp, file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def sweep_temporary(folder: Path, now: float | None = None) -> int:
    """Remove stale temporary files under ``folder`` (see the module docstring); returns how many."""
    now = time.time() if now is None else now
    removed = 0
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            if not name.endswith(".tmp") or not name.startswith("."):
                continue
            path = Path(parent) / name
            if match := _TEMPORARY.fullmatch(name):
                stale = not _alive(int(match["pid"]))
            elif _LEGACY_TEMPORARY.fullmatch(name):
                try:
                    stale = now - path.stat().st_mtime > LEGACY_TEMPORARY_AGE_S
                except OSError:
                    continue
            else:
                continue
            if not stale:
                continue
            try:
                path.unlink()
            except OSError:  # gone already, or not ours to remove
                continue
            removed += 1
    return removed
