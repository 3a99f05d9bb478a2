"""The paper stream: the session's rows, drawn as a virtual list of only the rows on screen.

The rows, their pages and the cursor are the session's (:class:`~river_tui.reader.rows.ViewRows`
reads them from the library a page at a time); this widget draws them, keeps the cursor in
sight and sends the keys that move it to the session."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from river_tui.domain import PaperSummary
from river_tui.reader.actions import shorten
from river_tui.reader.rows import ViewRows
from river_tui.reader.session import ReaderSession
from river_tui.store.papers import Sort
from river_tui.ui.render import count_title, paper_row

MARKED = "+"
"""The first cell of a marked row (a paper's state marker otherwise)."""
CACHED_ROWS = 512
"""Rendered rows kept, keyed by what they show: a scroll by one row renders one new row."""


def rows_title(
    rows: ViewRows, own_order: bool = False, marked: int = 0, width: int | None = None
) -> Text:
    """``Inbox · 68 (68 new)``; ``All papers · 50+`` while the view is counted; the sort
    named unless it is the newest first or the view's ``own_order`` (its name says it);
    ``· 3 marked`` while papers are marked. ``width``: the cells the title has; a search's
    query is cut to fit first, so the count is never what the border hides."""
    flt = rows.filter
    sort = "" if flt.sort is Sort.NEWEST or own_order else str(flt.sort).replace("-", " ")
    query = rows.filter.query or ""
    total, unread = (f"{rows.count}+", None) if rows.counting else (rows.count, rows.unread)

    def title(query: str) -> Text:
        out = count_title(rows.label, total, unread, query, sort)
        if marked:
            out.append(f" · {marked} marked", style="bold")
        return out

    whole = title(query)
    if width is None or not query or whole.cell_len <= width:
        return whole
    room = width - (whole.cell_len - len(query))
    return title(shorten(query, max(room, 2)))


class PaperStream(ScrollView, can_focus=True):
    """Papers newest first, one line each, with a cursor."""

    HELP_GROUP = "Paper stream"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="stream.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="stream.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="stream.page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="stream.page-up"),
        Binding("home,g", "first", "First paper", show=False, id="stream.first"),
        Binding("end,G", "last", "Last paper", show=False, id="stream.last"),
        Binding("enter", "open", "Open", id="stream.open"),
        Binding("space", "mark", "Mark (r s x a t: all marked)", show=False, id="stream.mark"),
        Binding("shift+down", "mark_down", "Mark down", show=False, id="stream.mark-down"),
        Binding("shift+up", "mark_up", "Mark up", show=False, id="stream.mark-up"),
        Binding(
            "left,h", "screen.focus_pane('nav')", "To navigation", show=False, id="stream.left"
        ),
        Binding(
            "right,l", "screen.focus_pane('detail')", "To detail", show=False, id="stream.right"
        ),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-stream--cursor",
        "paper-stream--empty",
        "paper-stream--marked",
    }

    def __init__(self, session: ReaderSession, *, id: str | None = None) -> None:
        self._rendered: LRUCache[tuple[PaperSummary, int, bool, bool, bool, bool], Strip] = (
            LRUCache(CACHED_ROWS)
        )
        self._base: Style | None = None
        """The rows' base style while a frame is drawn (:meth:`render_lines`)."""
        super().__init__(id=id)
        self.session = session
        self.opener: Callable[[PaperSummary], None] | None = None
        """Opens a paper (the reader's: the detail pane shows it and takes the focus), called as
        Enter is handled rather than posted, so a key typed in the same instant (``⏎ j``) is
        the detail pane's. None: Enter does nothing."""

    @property
    def rows(self) -> ViewRows:
        """The rows drawn (the session's)."""
        return self.session.rows

    @property
    def cursor(self) -> int:
        """The row under the cursor (the session's)."""
        return self.session.cursor

    @cursor.setter
    def cursor(self, index: int) -> None:
        self.session.move_to(index)

    @property
    def highlighted(self) -> PaperSummary | None:
        return self.session.highlighted

    def on_resize(self) -> None:
        self._show_title()

    def _show_title(self) -> None:
        """The title of the rows shown, fitted to the cells the border leaves it (none
        before the first layout)."""
        room = self.size.width - 6 if self.size.width else None
        session = self.session
        self.border_title = rows_title(session.rows, session.own_order, len(session.marked), room)

    # -- what the session changed ---------------------------------------------------------
    def view_shown(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)
        self.rows_changed()

    def rows_changed(self, kept_from: int | None = None) -> None:
        """Draw the rows again; ``kept_from``: the cursor's paper stood on that row, and stays
        at the same height on screen, however many papers arrived above it."""
        rows = self.session.rows
        if kept_from is not None:
            screen_row = kept_from - self.scroll_offset.y
            self.scroll_to(y=max(0, self.cursor - screen_row), animate=False, immediate=True)
        self.virtual_size = Size(0, rows.count)
        self._show_title()
        self._cursor_in_sight()
        self.refresh()

    def row_changed(self, index: int) -> None:
        self._show_title()
        self.refresh_line(index)

    def cursor_moved(self, old: int) -> None:
        """A cursor move repaints only the two rows it changes, not the whole stream."""
        self.refresh_line(old)
        self.refresh_line(self.cursor)
        self._cursor_in_sight()

    def _cursor_in_sight(self) -> None:
        if self.session.rows.count:
            self.scroll_to_region(
                Region(0, self.cursor, 1, 1), animate=False, force=True, immediate=True
            )

    # -- keys -------------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.session.rows.count - 1

    def action_mark(self) -> None:
        self.session.toggle_mark()

    def action_mark_down(self) -> None:
        self.session.toggle_mark(1, extend=True)

    def action_mark_up(self) -> None:
        self.session.toggle_mark(-1, extend=True)

    def action_open(self) -> None:
        if (paper := self.highlighted) is not None and self.opener is not None:
            self.opener(paper)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.cursor = self.scroll_offset.y + offset.y

    # -- rendering ------------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # The rows' base style is worked out once a frame, not once a row: it walks up the DOM
        # for the background, and the first screen draws some 45 rows.
        self._base = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._base = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        rows, cursor = self.session.rows, self.cursor
        paper = rows.paper_at(index)
        followed = paper is not None and self.session.authors.marked(paper)
        marked = paper is not None and paper.pk in self.session.marked
        if paper is not None:
            # A summary is frozen: equal summaries render alike (the row shows nothing else
            # but the mark of a followed author and its own mark, which are in the key).
            key = (paper, width, index == cursor, self.has_focus, followed, marked)
            if (strip := self._rendered.get(key)) is not None:
                return strip  # most rows of a scroll: no style to work out
        base = self._base if self._base is not None else self.rich_style
        if rows.count == 0 and y == 0:
            empty = self.get_component_rich_style("paper-stream--empty")
            return Strip([Segment(" No papers in this view.", empty)]).extend_cell_length(
                width, base
            )
        if paper is None:
            return Strip.blank(width, base)
        segments = paper_row(paper, width, followed)
        if marked:
            style = self.get_component_rich_style("paper-stream--marked")
            segments = [Segment(MARKED, style), *segments[1:]]  # the mark takes the state's
            segments = Segment.apply_style(segments, post_style=style)
        if index == cursor:
            # The cursor's colours win over the row's own, so it reads as one solid bar.
            style = self.get_component_rich_style("paper-stream--cursor")
            segments = Segment.apply_style(segments, post_style=style)
        strip = Strip(segments).crop_extend(0, width, base).apply_style(base)
        self._rendered[(paper, width, index == cursor, self.has_focus, followed, marked)] = strip
        return strip

    def notify_style_update(self) -> None:
        # A new theme or stylesheet: rows rendered with the old colours are stale.
        self._rendered.clear()
        super().notify_style_update()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
