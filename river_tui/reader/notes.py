"""Editing a paper's note in the reader's own editor (``$VISUAL``, else ``$EDITOR``, as the
settings read them: ``ReaderSettings.editor``): a file for it, the editor run on it, and what
it left there. No Textual here: the reader hands the terminal over (``App.suspend``) around
:func:`edit_in_editor`, and ``river note --edit`` calls it as it is."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from river_tui.domain.text import display_line

Run = Callable[[Sequence[str]], int]
"""Runs a command to its end, in the terminal, and returns its exit status."""


class EditorError(Exception):
    """The editor could not be started, or did not end well: the note is not changed."""


def _run(command: Sequence[str]) -> int:
    return subprocess.run(list(command), check=False).returncode


def edit_in_editor(text: str, command: Sequence[str], run: Run = _run) -> str:
    """``text`` written to a file of its own (``river-note-….md``, readable by its owner
    only), ``command`` run on that file, and what the file holds when the command ends.
    The file is removed. Raises :class:`EditorError` when the command cannot be started or
    ends with another status than 0 (most editors' way to say "do not save"); the note is then
    not changed."""
    fd, name = tempfile.mkstemp(prefix="river-note-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text + "\n" if text else "")
        program = display_line(command[0])
        try:
            status = run([*command, str(path)])
        except OSError as exc:
            raise EditorError(
                f"could not start the editor {program!r}: {exc.strerror or exc}"
            ) from None
        if status != 0:
            raise EditorError(f"the editor {program!r} ended with status {status}")
        return path.read_text(encoding="utf-8", errors="replace")
    finally:
        path.unlink(missing_ok=True)
