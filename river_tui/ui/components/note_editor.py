"""The in-app editor of a paper's note (``e`` with no ``$VISUAL``/``$EDITOR``, or
``[reader] note_editor = "in-app"``): a text area; Ctrl+S saves, Esc cancels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from river_tui.domain.notes import NoteTooLong, clean_note
from river_tui.reader.actions import shorten
from river_tui.ui.components.dialogs import TextDialog


class NoteEditor(TextDialog):
    """Paper ``title``'s note, starting from ``value``: Ctrl+S gives the text ("" clears the
    note; a note over 100 kB is refused here, the editor stays open), Escape None (asking
    first when the text was changed). ``said``: a line to show above the text (why this editor
    and not the reader's own)."""

    HELP_GROUP = "Note editor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save the note", priority=True, id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]
    BOX_ID = "note-box"
    AREA_ID = "note-text"
    SUBTITLE = "Markdown · Ctrl+S saves · Esc cancels · F7 selects all"
    DISCARD = "Discard the changes to this note?"

    def __init__(self, title: str, value: str = "", said: str = "") -> None:
        super().__init__(value)
        self.paper_title = title
        self.said = said

    def box_title(self) -> str:
        return "Note"

    def heading(self) -> ComposeResult:
        yield Static(Text(shorten(self.paper_title, 200), style="bold"), markup=False)
        if self.said:
            yield Static(Text(self.said, style="italic"), markup=False, id="note-said")

    def accepted(self, text: str) -> str | None:
        try:
            clean_note(text)
        except NoteTooLong as exc:
            self.notify(f"Not saved: {exc}. Shorten it first.", severity="error", markup=False)
            return None
        return text
