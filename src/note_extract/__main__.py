"""``python -m note_extract``: the same commands as ``note-extract``."""

from .cli import app

app(prog_name="note-extract")
