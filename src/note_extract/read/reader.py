"""Reading note files: bytes in, text and provenance out.

Contract: :func:`read_note` returns the decoded text and a :class:`~note_extract.core.models.Source`.
Only a regular file (or a link to one) is read: a device (``/dev/zero``), a FIFO or a socket is
refused without waiting for it. A file larger than ``limit`` bytes is refused before it is read, and
the limit holds while reading too (a file that grows is never read past it). Bytes that are not text
are refused by :func:`binary_kind`: a PDF, office document, archive or image by its signature (an RTF
document is text: its control words are read off by :mod:`~note_extract.read.containers`),
anything else by a NUL byte anywhere (UTF-16 or UTF-32 with a BOM aside); the error's hint says what
to do with that kind of file. Text is decoded by :func:`decode`: UTF-8 (a BOM is dropped and recorded
as encoding ``utf-8-sig``), else UTF-32 or UTF-16 when its BOM is present (a stray byte is replaced by
U+FFFD, so it is reported as ``invalid-bytes``, never read as another encoding); bytes that are
overwhelmingly UTF-8 but hold a few invalid sequences are decoded as UTF-8 with each bad sequence
replaced by U+FFFD (:func:`replaced_spans` finds them, and the pipeline reports them as an issue)
rather than read whole as another encoding; else Windows-1252, else Latin-1, which never fails.
Newlines are kept as they are, so offsets in the record index the text exactly as stored. A file that
cannot be read raises :class:`~note_extract.core.errors.InputError` naming the path and the reason.
A PDF (by its ``.pdf`` name, or a file of another name that starts with ``%PDF-``) is read from its
text layer by :func:`note_extract.read.pdf.read_pdf`, without the byte limit of text notes: the
limit applies to the text it holds instead.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from pathlib import Path

from note_extract.core.display import path_text
from note_extract.core.errors import InputError
from note_extract.core.models import Source
from note_extract.core.spans import RawSpan

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX, ODT, ...)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE document (DOC, XLS, MSG, ...)"),
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


_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_HINTS = {
    "a ZIP archive (DOCX, XLSX, ODT, ...)": "save a document as plain text (.txt) or PDF; unpack an archive",
    "an OLE document (DOC, XLS, MSG, ...)": "save it as plain text (.txt) or PDF",
    "a PNG image": "run OCR on the image and save the text as .txt",
    "a JPEG image": "run OCR on the image and save the text as .txt",
    "a GIF image": "run OCR on the image and save the text as .txt",
    "a TIFF image": "run OCR on the image and save the text as .txt",
    "a gzip file": "unpack it first",
    "a 7-Zip archive": "unpack it first",
    "a RAR archive": "unpack it first",
    "an executable": "leave it out of the notes folder (or narrow --glob)",
    BINARY: "leave it out of the notes folder (or narrow --glob); a text note has no NUL bytes",
}


def binary_kind(data: bytes, pdf_name: bool = True) -> str | None:
    """What a file that is not text is (:data:`PDF`, ``"a ZIP archive (...)"``, :data:`BINARY`),
    or None for text. The one place that tells text from other files: a reader for another format
    hooks in where this returns its kind. A file named ``.pdf`` (``pdf_name``) is a PDF when
    ``%PDF-`` stands in its first 1 KiB, as PDF readers take it; any other file only when it starts
    with it (a text note may mention "%PDF-")."""
    if b"%PDF-" in data[:PDF_SIGNATURE_WINDOW] if pdf_name else data.lstrip()[:5] == b"%PDF-":
        return PDF
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if b"\x00" in data and not data.startswith(_WIDE_BOMS):
        return BINARY
    return None


def _read_pdf(path: Path, display_path: str | None, data: bytes, limit: int | None) -> tuple[str, Source]:
    from note_extract.read.pdf import read_pdf  # lazy: start-up (pypdfium2 is loaded only when a PDF comes)

    return read_pdf(path, display_path, data=data, limit=limit)


def _not_text_message(kind: str) -> str:
    if kind == BINARY:
        return f"looks like {kind}, not a text note"
    return f"this is {kind}, not a text note"


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
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32")):
        if data.startswith(bom):  # before UTF-16: a UTF-32 LE BOM starts like a UTF-16 LE one
            return data.decode(encoding, errors="replace"), encoding
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
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


def _size_error(shown: str, size: int | None, limit: int) -> InputError:
    amount = f"{size:,} bytes, more" if size is not None else "more"
    return InputError(
        f"{shown}: {amount} than the limit of {limit:,} bytes",
        hint="a note is rarely over 50 KB; raise max_note_bytes in [tool.note_extract] if it is one",
    )


def read_bytes(path: Path, shown: str, limit: int | None) -> bytes:
    """The bytes of the regular file ``path``, never more than ``limit``; see the module docstring."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the open
    except OSError as exc:
        raise InputError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{shown}: is a directory, not a note file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"{shown}: is not a regular file (a device, FIFO or socket); only note files are read",
                hint="give a note file, not a device or a pipe",
            )
        if limit is not None and info.st_size > limit:
            raise _size_error(shown, info.st_size, limit)
        try:
            data = handle.read(limit + 1 if limit is not None else -1)
        except OSError as exc:
            raise InputError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    if limit is not None and len(data) > limit:  # it grew between stat and read
        raise _size_error(shown, None, limit)
    return data


def read_note(path: Path, display_path: str | None = None, *, limit: int | None = None) -> tuple[str, Source]:
    """Read and decode one note; ``display_path`` is what the record stores as its path, and what error
    messages name. ``limit`` is the largest size accepted, in bytes (of the text, for a PDF)."""
    shown = display_path if display_path is not None else path_text(path)
    named_pdf = path.suffix.lower() == ".pdf"
    data = read_bytes(path, shown, None if named_pdf else limit)
    if named_pdf:
        return _read_pdf(path, display_path, data, limit)
    kind = binary_kind(data, pdf_name=False)
    if kind == PDF:
        return _read_pdf(path, display_path, data, limit)
    if kind is not None:
        raise InputError(f"{shown}: {_not_text_message(kind)}", hint=_HINTS.get(kind))
    text, encoding = decode(data)
    source = Source(
        path=shown,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=encoding,
    )
    return text, source
