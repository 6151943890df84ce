"""``python -m note_extract``: the same commands as ``note-extract``."""

from note_extract.cli.main import app

app(prog_name="note-extract")
