"""A paper's note: the reader's own Markdown about it, kept as typed and made inert.

A note is user state (schema step 15, ``paper_notes``): written only by the reader, one
transaction per save, logged like every decision (so ``u`` undoes a save). Its text is kept as
typed, indentation and blank lines included (Markdown needs them): only what could act on a
terminal goes (escape sequences, controls but newline and tab, format characters), and the
blank lines around it. It is shown as plain text, never as markup.
"""

from __future__ import annotations

import unicodedata

from river_tui.domain.text import strip_controls

NOTE_MAX_BYTES = 100_000
"""The most a note may hold, in bytes of UTF-8: some 30 pages of text, far more than a note
about a paper needs, and small enough to draw, search and log every save of."""


class NoteTooLong(ValueError):
    """A note over :data:`NOTE_MAX_BYTES`; nothing was saved."""

    def __init__(self, size: int) -> None:
        self.size = size
        super().__init__(
            f"a note is at most {NOTE_MAX_BYTES // 1000} kB and this one is {_kilobytes(size)} kB"
        )


def _kilobytes(size: int) -> str:
    """``101`` for 100,001 bytes: rounded up, so a note just over the bound never reads as
    exactly at it."""
    return str(-(-size // 1000))


def inert_note(text: str | None) -> str:
    """``text`` made inert (see the module), NFC, without the blank lines before it and the
    blanks after it (the first line keeps its indentation)."""
    if not text:
        return ""
    lines = unicodedata.normalize("NFC", strip_controls(text)).split("\n")
    while lines and not lines[0].strip():
        del lines[0]
    return "\n".join(lines).rstrip()


def clean_note(text: str | None) -> str:
    """The note to store for ``text`` ("" clears it). Raises :class:`NoteTooLong`."""
    note = inert_note(text)
    size = len(note.encode("utf-8"))
    if size > NOTE_MAX_BYTES:
        raise NoteTooLong(size)
    return note
