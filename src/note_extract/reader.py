"""Reading note files: bytes in, text and provenance out.

Contract: :func:`read_note` returns the decoded text and a :class:`~note_extract.models.Source`. The
bytes are decoded as UTF-8 (a BOM is dropped and recorded as encoding ``utf-8-sig``), else UTF-16 when
a UTF-16 BOM is present, else Windows-1252, else Latin-1, which never fails. Newlines are kept as
they are, so offsets in the record index the text exactly as stored. An unreadable file raises
:class:`~note_extract.errors.InputError` naming the path and the reason. A ``.pdf`` file is read from
its text layer by :func:`note_extract.pdf.read_pdf`.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from .errors import InputError
from .models import Source


def decode(data: bytes) -> tuple[str, str]:
    """Decode note bytes; returns (text, encoding)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def read_note(path: Path, display_path: str | None = None) -> tuple[str, Source]:
    """Read and decode one note; ``display_path`` is what the record stores as its path."""
    if path.suffix.lower() == ".pdf":
        from .pdf import read_pdf

        return read_pdf(path, display_path)
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory, not a note file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{path}: looks like a binary file (NUL bytes), not a text note")
    text, encoding = decode(data)
    source = Source(
        path=display_path if display_path is not None else path.as_posix(),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=encoding,
    )
    return text, source
