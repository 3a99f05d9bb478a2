"""What the reader session tells whoever shows it (the reader screen; a recorder in tests)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from river_tui.domain import PaperSummary
    from river_tui.domain.papers import PaperRecord

Severity = Literal["information", "warning", "error"]


class Listener(Protocol):
    """What the session tells whoever shows it (the reader screen)."""

    def view_shown(self) -> None:
        """Another view (or a search's page) fills the rows, the cursor on its first row."""

    def rows_changed(self, kept_from: int | None = None) -> None:
        """The rows or their counts changed. ``kept_from``: a reload found the paper under the
        cursor, which stood on that row before (keep it at the same height on screen)."""

    def row_changed(self, index: int) -> None:
        """Row ``index`` changed in place (the counts may have too)."""

    def cursor_moved(self, old: int) -> None:
        """The cursor moved from row ``old`` (a key), the rows unchanged."""

    def highlighted(self, paper: PaperSummary | None, moved: bool) -> None:
        """Another paper is under the cursor (None: the view is empty). ``moved``: the cursor
        moved or a view was shown; False: the rows changed under a cursor that stayed."""

    def counts_changed(self) -> None:
        """The navigation's counts (:attr:`ReaderSession.counts`) changed."""

    def library_changed(self, pk: int | None, record: PaperRecord | None) -> None:
        """Paper ``pk`` (None: any) changed in the library: what shows it shows it again
        (``record``: the paper as read just now, if it was)."""

    def acted_on(self, pk: int) -> None:
        """A key acted on paper ``pk`` (a pending mark-as-read is moot)."""

    def said(self, message: str, severity: Severity) -> None:
        """Something to tell the reader (one line, plain text)."""

    def search_found(self) -> None:
        """The query typed was searched: its page is shown."""

    def search_failed(self) -> None:
        """The query typed could not be searched (:attr:`Search.error` says why, if it can):
        the keys held since Enter are the query's again."""

    def search_kept(self) -> None:
        """Enter's search is shown: back to the papers, the query kept."""

    def search_reset(self) -> None:
        """The query was cleared (another view was chosen)."""
