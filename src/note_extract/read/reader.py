"""Reading note files: bytes in, text and provenance out.

Contract: :func:`read_note` returns the decoded text and a :class:`~note_extract.core.models.Source`. A file
larger than ``limit`` bytes is refused before it is read. Bytes that are not text are refused by
:func:`binary_kind`: a PDF, office document, archive or image by its signature, anything else by a
NUL byte anywhere (UTF-16 with a BOM aside). Text is decoded by :func:`decode`: UTF-8 (a BOM is dropped
and recorded as encoding ``utf-8-sig``), else UTF-16 when a UTF-16 BOM is present; bytes that are
overwhelmingly UTF-8 but hold a few invalid sequences are decoded as UTF-8 with each bad sequence
replaced by U+FFFD (:func:`replaced_spans` finds them, and the pipeline reports them as an issue)
rather than read whole as another encoding; else Windows-1252, else Latin-1, which never fails.
Newlines are kept as they are, so offsets in the record index the text exactly as stored. A file that
cannot be read raises :class:`~note_extract.core.errors.InputError` naming the path and the reason.
A PDF (by its ``.pdf`` name or its signature) is read from its text layer by
:func:`note_extract.read.pdf.read_pdf`, without the size limit of text notes.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from note_extract.core.display import path_text
from note_extract.core.errors import InputError
from note_extract.core.models import Source
from note_extract.core.spans import RawSpan

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX, ODT, ...)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE document (DOC, XLS, MSG, ...)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
)
PDF = "a PDF"
BINARY = "a binary file (NUL bytes)"
PDF_SIGNATURE_WINDOW = 1024
"""A PDF's ``%PDF-`` may follow other bytes; readers look for it in the first 1 KiB."""


def binary_kind(data: bytes) -> str | None:
    """What a file that is not text is (:data:`PDF`, ``"a ZIP archive (...)"``, :data:`BINARY`),
    or None for text. The one place that tells text from other files: a reader for another format
    hooks in where this returns its kind."""
    if b"%PDF-" in data[:PDF_SIGNATURE_WINDOW]:
        return PDF
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return BINARY
    return None


def _read_pdf(path: Path, display_path: str | None) -> tuple[str, Source]:
    from note_extract.read.pdf import read_pdf  # lazy: start-up (pypdfium2 is loaded only when a PDF comes)

    return read_pdf(path, display_path)


def _not_text_message(kind: str) -> str:
    if kind == BINARY:
        return f"looks like {kind}, not a text note"
    return f"this is {kind}, not a text note; convert it to text first"


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes hold at least as many valid multi-byte UTF-8 characters as invalid bytes:
    stray bytes in a UTF-8 file, not a file in another encoding (whose accented letters are nearly
    all invalid UTF-8, and valid by accident only in pairs such as "Â\xa0")."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    valid = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return valid > 0 and bad <= valid


def decode(data: bytes) -> tuple[str, str]:
    """Decode note bytes; returns (text, encoding). See the module docstring for the order."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        if _mostly_utf8(data):
            return data.decode("utf-8", errors="replace"), "utf-8"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


_REPLACED = re.compile("\ufffd+")


def replaced_spans(text: str) -> list[RawSpan]:
    """Where the raw ``text`` holds U+FFFD: bytes that could not be decoded (by this reader or by
    whatever converted the note before), as runs."""
    return [RawSpan(*m.span()) for m in _REPLACED.finditer(text)] if "\ufffd" in text else []


def read_note(path: Path, display_path: str | None = None, *, limit: int | None = None) -> tuple[str, Source]:
    """Read and decode one note; ``display_path`` is what the record stores as its path, and what error
    messages name. ``limit`` is the largest size accepted, in bytes."""
    shown = display_path if display_path is not None else path_text(path)
    if path.suffix.lower() == ".pdf":
        return _read_pdf(path, display_path)
    try:
        if limit is not None and (size := path.stat().st_size) > limit:
            raise InputError(
                f"{shown}: {size:,} bytes, more than the limit of {limit:,} "
                "(a note is rarely over 50 KB; raise max_note_bytes in [tool.note_extract] if it is one)"
            )
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError(f"{shown}: is a directory, not a note file") from exc
    except OSError as exc:
        raise InputError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    if limit is not None and len(data) > limit:  # it grew between stat and read
        raise InputError(f"{shown}: more than the limit of {limit:,} bytes")
    kind = binary_kind(data)
    if kind == PDF:
        return _read_pdf(path, display_path)
    if kind is not None:
        raise InputError(f"{shown}: {_not_text_message(kind)}")
    text, encoding = decode(data)
    source = Source(
        path=shown,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=encoding,
    )
    return text, source
