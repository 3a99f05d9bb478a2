"""The in-app editor of a paper's note (``e`` with no ``$VISUAL``/``$EDITOR``, or
``[reader] note_editor = "in-app"``): a text area; Ctrl+S saves, Esc cancels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from river_tui.domain.notes import NoteTooLong, clean_note
from river_tui.reader.actions import shorten
from river_tui.ui.components.dialogs import ConfirmScreen


class NoteEditor(ModalScreen[str | None]):
    """Paper ``title``'s note, starting from ``value``: Ctrl+S gives the text ("" clears the
    note; a note over 100 kB is refused here, the editor stays open), Escape None (asking
    first when the text was changed). ``said``: a line to show above the text (why this editor
    and not the reader's own)."""

    HELP_GROUP = "Note editor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save the note", priority=True, id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, title: str, value: str = "", said: str = "") -> None:
        super().__init__()
        self.paper_title = title
        self.value = value
        self.said = said

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="dialog") as box:
            box.border_title = "Note"
            box.border_subtitle = "Markdown · Ctrl+S saves · Esc cancels · F7 selects all"
            yield Static(Text(shorten(self.paper_title, 200), style="bold"), markup=False)
            if self.said:
                yield Static(Text(self.said, style="italic"), markup=False, id="note-said")
            yield TextArea(self.value, tab_behavior="focus", soft_wrap=True, id="note-text")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)
        area.focus()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        try:
            clean_note(self.text)
        except NoteTooLong as exc:
            self.notify(f"Not saved: {exc}. Shorten it first.", severity="error", markup=False)
            return
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        if self.text.strip() == self.value.strip():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the changes to this note?"), answered)
