"""The dialogs of the dossier keys: the list of every dossier, and a claim's text to write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from river_tui.reader.actions import shorten
from river_tui.store.claims import DossierSummary
from river_tui.ui.components.dialogs import PICK_BINDINGS, OptionPicker, TextDialog, as_text
from river_tui.ui.render import DIM

TITLE_WIDTH = 64
COLUMNS = ("Title", "Status", "Importance", "Claims", "Last tended")


BESIDE_TITLE = 9 + 10 + 6 + 11 + 2 * len(COLUMNS)
"""The columns after the title at their widest ("evergreen", "Importance", "Claims", "Last
tended"), and every column's padding."""


def title_width(screen_width: int) -> int:
    """The title column's width: what the list's box (``#dossier-list-box``: 120 cells, at most
    95% of the screen; border and padding 4) leaves beside the other columns."""
    inside = min(120, screen_width * 95 // 100) - 4
    return max(16, min(TITLE_WIDTH, inside - BESIDE_TITLE))


def dossier_row(summary: DossierSummary, width: int = TITLE_WIDTH) -> tuple[Text, ...]:
    """One row of the list, as plain text (a title is never read as markup)."""
    return (
        Text(shorten(summary.title, width), style="bold"),
        Text(str(summary.status)),
        Text(f"{summary.importance}/10", justify="right"),
        Text(str(summary.claims), justify="right"),
        Text(summary.last_tended or "—", style=DIM),
    )


class DossierListScreen(OptionPicker[str | None]):
    """Every dossier with its status, importance, claims and last tending; Enter gives the
    highlighted one's slug, Escape None. A picker whose list is a table."""

    HELP_GROUP = "Dossier list"
    BINDINGS: ClassVar[list[BindingType]] = PICK_BINDINGS
    LIST = DataTable

    def __init__(self, dossiers: Sequence[DossierSummary], current: str | None = None) -> None:
        super().__init__()
        self.dossiers = list(dossiers)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dossier-list-box", classes="dialog") as box:
            box.border_title = "Dossiers"
            box.border_subtitle = "Enter shows its page · Esc closes"
            if not self.dossiers:
                yield Static(Text("No dossiers yet: p on a paper starts one.", style=DIM))
            yield DataTable(cursor_type="row", zebra_stripes=True, id="dossier-table")

    def start_list(self) -> None:
        table = self.query_one(DataTable)
        for label in COLUMNS:
            table.add_column(Text(label, style="bold"), key=label.casefold())
        width = title_width(self.app.size.width)
        for summary in self.dossiers:
            table.add_row(*dossier_row(summary, width), key=summary.slug)
        slugs = [d.slug for d in self.dossiers]
        if self.current in slugs:
            table.move_cursor(row=slugs.index(self.current))
        table.focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(event.row_key.value)


class ClaimTextScreen(TextDialog):
    """A claim's text in a text area, starting from ``value``: Ctrl+S gives the text (stripped),
    Escape None (asking first when the text was changed)."""

    HELP_GROUP = "Claim text"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save the claim", priority=True, id="claim.save"),
        Binding("escape", "cancel", "Cancel", id="claim.cancel"),
    ]
    BOX_ID = "claim-text-box"
    AREA_ID = "claim-text-area"

    def __init__(self, title: str, about: Text | str, value: str = "") -> None:
        super().__init__(value)
        self.title_text = title
        self.about = about

    def box_title(self) -> str:
        return self.title_text

    def heading(self) -> ComposeResult:
        yield Static(as_text(self.about))

    def accepted(self, text: str) -> str | None:
        if not text.strip():
            self.notify("Write the claim first: an empty claim is not saved.", markup=False)
            return None
        return text.strip()
