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
is gone (left by a run that was killed mid-write), and never those of a run still going.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def temporary_name(name: str) -> str:
    """A hidden temporary file name for ``name``, carrying this process's id."""
    return f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (see the module docstring)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / temporary_name(path.name)
    mode = file_mode(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            os.fchmod(fd, mode)
            handle.write(text)
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
