"""The paper stream: a virtual list that renders only the rows on screen.

It never holds the whole library: it knows the row count (``source.count``) and fetches rows a
page at a time (``source.papers(limit=PAGE, offset=...)``) into a small LRU cache, the way
Toolong renders multi-gigabyte logs through the Line API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from river_tui.domain import PaperSummary, TriageState
from river_tui.store.papers import PaperFilter, Sort
from river_tui.ui.render import count_title, paper_row

PAGE = 50
"""Rows fetched per query."""
CACHED_PAGES = 8
"""Pages kept in memory; older ones are dropped and fetched again if scrolled back to."""
CACHED_ROWS = 512
"""Rendered rows kept, keyed by what they show: a scroll by one row renders one new row."""


class PaperSource(Protocol):
    """What the stream needs from the library (``Library`` satisfies it)."""

    def count(self, flt: PaperFilter | None = None) -> int: ...

    def papers(
        self,
        flt: PaperFilter | None = None,
        limit: int = -1,
        offset: int = 0,
        *,
        from_end: bool = False,
    ) -> list[PaperSummary]:
        """A page of the view (``from_end``: ``offset`` counts from its last row)."""
        ...

    def count_view(self, flt: PaperFilter) -> tuple[int, int]:
        """How many papers ``flt`` selects, and how many of them are new."""
        ...

    def contains(self, flt: PaperFilter, pk: int) -> bool: ...

    def position(self, flt: PaperFilter, pk: int, total: int | None = None) -> int | None:
        """Where ``pk`` stands in the view (``total``: its count, to count from its end)."""
        ...


@dataclass(frozen=True, slots=True)
class ViewPage:
    """A view's first page, fetched ahead (by the search worker), and its counts if known.

    ``count`` None: the page is full and the view is still being counted; the stream shows
    the page at once and takes the counts later (``PaperStream.counted``)."""

    rows: list[PaperSummary]
    count: int | None = None
    unread: int | None = None

    @classmethod
    def of(cls, rows: list[PaperSummary]) -> ViewPage:
        """The first page; a page that is not full is the whole view, so it is counted."""
        if len(rows) >= PAGE:
            return cls(rows)
        return cls(rows, len(rows), sum(r.state is TriageState.NEW for r in rows))


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
        Binding(
            "left,h", "screen.focus_pane('nav')", "To navigation", show=False, id="stream.left"
        ),
        Binding(
            "right,l", "screen.focus_pane('detail')", "To detail", show=False, id="stream.right"
        ),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"paper-stream--cursor", "paper-stream--empty"}

    cursor: reactive[int] = reactive(0, init=False, repaint=False)
    """Index of the highlighted row in the current view. A move repaints only the two rows it
    changes (``watch_cursor``), not the whole stream."""

    class Highlighted(Message):
        """The highlighted paper changed (``paper`` is None when the view is empty).

        ``moved``: the cursor moved, or a view was shown. False: the rows changed under a
        cursor that stayed (a reload, a paper leaving the view)."""

        def __init__(
            self,
            stream: PaperStream,
            paper: PaperSummary | None,
            moved: bool = True,
        ) -> None:
            super().__init__()
            self.stream = stream
            self.paper = paper
            self.moved = moved

        @property
        def control(self) -> PaperStream:
            return self.stream

    class CountWanted(Message):
        """Counts arrived for the view, but the stream changed rows itself since they were asked
        for (a paper left the view while it was counted): count ``filter`` again, for
        ``token``."""

        def __init__(self, stream: PaperStream, filter: PaperFilter, token: int) -> None:
            super().__init__()
            self.stream = stream
            self.filter = filter
            self.token = token

        @property
        def control(self) -> PaperStream:
            return self.stream

    def __init__(self, *, id: str | None = None) -> None:
        self._rows: LRUCache[tuple[PaperSummary, int, bool, bool], Strip] = LRUCache(CACHED_ROWS)
        self._base: Style | None = None
        """The rows' base style while a frame is drawn (:meth:`render_lines`)."""
        super().__init__(id=id)
        self._source: PaperSource | None = None
        self.filter = PaperFilter()
        self.label = "Papers"
        self.row_count = 0
        self.unread = 0
        self.counting = False
        """The view is still being counted: ``row_count`` is the rows fetched so far."""
        self._pages: LRUCache[int, list[PaperSummary]] = LRUCache(CACHED_PAGES)
        self._announced: int | None = -1
        """The pk last reported by ``Highlighted`` (-1: report whatever comes next)."""
        self.version = 0
        """Goes up whenever the rows change: a view shown or reloaded, a row changed in place.
        Counts are asked for a version and taken only for it (see :meth:`counted`)."""
        self._count_token = 0
        """The version the counts of the shown page were asked for (by the search worker)."""
        self.opener: Callable[[PaperSummary], None] | None = None
        """Opens a paper (the reader's: the detail pane shows it and takes the focus), called as
        Enter is handled rather than posted, so a key typed in the same instant (``⏎ j``) is
        the detail pane's. None: Enter does nothing."""
        self.loader: Callable[[PaperFilter, tuple[int | None, ...], bool, int], None] | None = None
        """Counts a view and finds a paper in it off the UI thread, then calls :meth:`reloaded`
        (the reader's worker); None: :meth:`reload` does it here."""
        self._reload_token = 0
        self._reload_version = 0
        self._reload_focus: int | None = None
        self._kept: dict[int, PaperSummary] = {}
        """Rows kept on screen whose papers the library no longer has in this view (a paper
        marked read after opening stays in the Inbox until the next reload), by row. Pages are
        read around them: the library's rows are the shown ones less these."""

    # -- data -----------------------------------------------------------------------------------
    def show(
        self,
        source: PaperSource,
        flt: PaperFilter,
        label: str,
        prefetched: ViewPage | None = None,
    ) -> None:
        """Show the papers ``flt`` selects from ``source``, cursor on the first.

        ``prefetched``: the counts and first page, already fetched (off the UI thread)."""
        self._source, self.filter, self.label = source, flt, label
        self._reload_token += 1  # a reload on its way was for what was shown before
        self._reload_focus = None
        self._recount(prefetched)
        self._count_token = self.version
        self.set_reactive(PaperStream.cursor, 0)
        self._announced = -1
        self.scroll_to(y=0, animate=False, immediate=True)
        self._cursor_moved()
        self.refresh()

    def refilter(self, flt: PaperFilter) -> None:
        """Show ``flt`` instead (another sort, say), the cursor staying on its paper."""
        self.filter = flt
        self.reload()

    def reload(self, focus_pk: int | None = None) -> None:
        """Fetch again (the library changed underneath).

        The cursor stays on the paper it was on (or goes to ``focus_pk``, or to where a reload
        still on its way was to take it: an undo's), at the same height on screen, however
        many papers arrived above it; if that paper left the view, the cursor keeps its row.
        With a ``loader`` (the reader's worker) the view is counted and the paper found off the
        UI thread, and :meth:`reloaded` shows the result; the rows shown stay until then."""
        if self._source is None:
            return
        if focus_pk is None:
            focus_pk = self._reload_focus  # a reload on its way was to go there: so does this
        keep = self.highlighted
        pks = (focus_pk, keep.pk if keep else None)
        self._reload_focus = focus_pk
        near_end = 2 * self.cursor > self.row_count  # fewer rows to count after the paper
        self._reload_token += 1
        self._reload_version = self.version
        if self.loader is not None:
            self.loader(self.filter, pks, near_end, self._reload_token)
            return
        count, unread, index = locate(self._source, self.filter, pks, near_end)
        self.reloaded(self.filter, count, unread, index, self._reload_token)

    def reloaded(
        self, flt: PaperFilter, count: int, unread: int, index: int | None, token: int
    ) -> None:
        """A reload's counts, and where the paper to keep under the cursor stands (None: it
        left the view). Ignored if another view or a newer reload came since; asked for again
        if the stream changed rows itself meanwhile."""
        if flt != self.filter or token != self._reload_token:
            return
        if self.version != self._reload_version:
            self.reload(self._reload_focus)  # rows changed meanwhile: find the paper again
            return
        screen_row = self.cursor - self.scroll_offset.y
        self._recount(counts=(count, unread))
        if index is None:
            self.set_reactive(PaperStream.cursor, max(min(self.cursor, self.row_count - 1), 0))
        else:
            self.set_reactive(PaperStream.cursor, index)
            self.scroll_to(y=max(0, index - screen_row), animate=False, immediate=True)
        # Announces only if the paper under the cursor changed: a move when the reload was
        # asked to go to a paper (an undo's), else the rows changed under a cursor that stayed.
        self._cursor_moved(moved=self._reload_focus is not None)
        self._reload_focus = None
        self.refresh()

    def reload_failed(self, token: int) -> None:
        """Reload ``token`` could not be done (an error was shown): nothing of it is pending,
        and a later reload does not take the cursor where it was to go."""
        if token == self._reload_token:
            self._reload_focus = None

    def patch(self, pk: int, **changes: object) -> None:
        """Change a cached row in place (``state=…``, ``starred=…``) without fetching: the row
        repaints and stays where it is until the next reload."""
        for number in list(self._pages.keys()):
            page = self._pages.get(number) or []
            for offset, paper in enumerate(page):
                if paper.pk != pk:
                    continue
                page[offset] = changed = replace(paper, **changes)  # type: ignore[arg-type]
                index = number * PAGE + offset
                if self._source is not None and not self._source.contains(self.filter, pk):
                    self._kept[index] = changed  # shown, though the view no longer holds it
                    self.version += 1  # a count asked before this would be one too many
                self.refresh_line(index)
                was_new = paper.state is TriageState.NEW
                if was_new != (changed.state is TriageState.NEW):
                    self.unread += -1 if was_new else 1  # the title stays true to the rows
                    self._update_title()
                return

    def _recount(
        self, prefetched: ViewPage | None = None, counts: tuple[int, int] | None = None
    ) -> None:
        self.version += 1
        self._kept.clear()
        self._pages.clear()
        self.counting = False
        if counts is not None:
            self.row_count, self.unread = counts
        elif prefetched is not None:
            self._pages[0] = rows = list(prefetched.rows)
            if prefetched.count is None or prefetched.unread is None:
                self.counting = True
                self.row_count = len(rows)
                self.unread = sum(r.state is TriageState.NEW for r in rows)
            else:
                self.row_count, self.unread = prefetched.count, prefetched.unread
        elif self._source is not None:
            self.row_count, self.unread = self._source.count_view(self.filter)
        else:
            self.row_count = self.unread = 0
        self.virtual_size = Size(0, self.row_count)
        self._update_title()

    def counted(self, flt: PaperFilter, count: int, unread: int, token: int | None = None) -> None:
        """The counts of view ``flt``, asked for at version ``token`` (None: when the page was
        shown), arrived. Ignored if the stream shows another view; asked for again
        (``CountWanted``) if the stream changed rows since: a count taken before a paper left
        the view would be one too many, and the pages read from the end would be shifted."""
        if not self.counting or flt != self.filter:
            return
        if (self._count_token if token is None else token) != self.version:
            self.post_message(self.CountWanted(self, flt, self.version))
            return
        self.counting = False
        kept_new = sum(paper.state is TriageState.NEW for paper in self._kept.values())
        self.row_count, self.unread = count + len(self._kept), unread + kept_new
        self.virtual_size = Size(0, self.row_count)
        self._update_title()
        self.refresh()

    def _update_title(self) -> None:
        flt = self.filter
        sort = "" if flt.sort is Sort.NEWEST else str(flt.sort)
        if self.counting:
            total: int | str = f"{self.row_count}+"
            unread = None
        else:
            total, unread = self.row_count, self.unread
        self.border_title = count_title(self.label, total, unread, flt.query or "", sort)

    def paper_at(self, index: int) -> PaperSummary | None:
        """The paper on row ``index``, fetching its page if it is not cached."""
        if self._source is None or not 0 <= index < self.row_count:
            return None
        number, offset = divmod(index, PAGE)
        page = self._pages.get(number)
        if page is None or (offset >= len(page) and len(page) < PAGE):
            # Not cached, or cut short when a paper left the view (see paper_changed).
            page = self._fetch(number)
            self._pages[number] = page
        return page[offset] if offset < len(page) else None

    def _fetch(self, number: int) -> list[PaperSummary]:
        """Page ``number``; one in the second half of a counted view is read from the end (the
        last page of 100,000 papers without skipping the 99,950 before it). Rows kept on screen
        (``_kept``) are not in the library's view: the page is read around them."""
        assert self._source is not None
        start = number * PAGE
        from_start = self.counting or 2 * start <= self.row_count
        end = start + PAGE if from_start else min(start + PAGE, self.row_count)
        first = start - sum(k < start for k in self._kept)  # the library's rows [first, last)
        last = end - sum(k < end for k in self._kept)
        if from_start:
            rows = self._source.papers(self.filter, limit=last - first, offset=first)
        else:
            total = self.row_count - len(self._kept)
            rows = self._source.papers(
                self.filter, limit=last - first, offset=total - last, from_end=True
            )
        for index in sorted(k for k in self._kept if start <= k < end):
            rows.insert(index - start, self._kept[index])
        return rows

    def _cached_index(self, pk: int) -> int | None:
        for number in list(self._pages.keys()):
            page = self._pages.get(number) or []
            for offset, paper in enumerate(page):
                if paper.pk == pk:
                    return number * PAGE + offset
        return None

    def paper_changed(self, paper: PaperSummary) -> None:
        """One paper changed (its state, star, tags or beats): repaint without fetching the
        view again when possible.

        Still in the view at the same row: that row is replaced. Gone from the view (skipped in
        the inbox, say): its row is taken out and the cursor stays on its row, now the next
        paper; the pages after it are dropped and fetched again when shown. Anything else
        (the paper moved, or joined the view) reloads."""
        if self._source is None:
            return
        old = self._cached_index(paper.pk)
        if old is None:
            self.reload()
            return
        self.version += 1
        number, offset = divmod(old, PAGE)
        page = self._pages.get(number) or []
        before = page[offset]
        if self.filter.sort is not Sort.RELEVANCE and _same_keys(before, paper):
            # A decision (read, star, skip, a tag) changes which views hold a paper, never its
            # date or upvotes: still in the view, it is still on its row. Counting the rows
            # before it instead took 15-60 ms in an Inbox of 70,000 papers, 90-160 ms in a
            # broad search.
            now = old if self._source.contains(self.filter, paper.pk) else None
        elif self._kept:
            self.reload()  # the library's positions no longer match the rows shown
            return
        else:
            now = self._source.position(self.filter, paper.pk)
        was_new = before.state is TriageState.NEW
        if now == old:
            self._kept.pop(old, None)  # back in the view (marked unread again, say)
            page[offset] = paper
            self.unread += (paper.state is TriageState.NEW) - was_new
            self.refresh_line(old)
        elif now is None:
            page.pop(offset)
            self._kept.pop(old, None)
            self._kept = {k - (k > old): kept for k, kept in self._kept.items()}
            for later in [n for n in list(self._pages.keys()) if n > number]:
                self._pages.discard(later)
            self.row_count -= 1
            self.unread -= was_new
            self.virtual_size = Size(0, self.row_count)
            cursor = self.cursor - 1 if old < self.cursor else self.cursor  # keeps its paper
            self.set_reactive(PaperStream.cursor, max(min(cursor, self.row_count - 1), 0))
            self._cursor_moved(moved=False)
            self.refresh()
        else:
            self.reload()
            return
        self._update_title()

    @property
    def highlighted(self) -> PaperSummary | None:
        return self.paper_at(self.cursor)

    # -- cursor ---------------------------------------------------------------------------------
    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, self.row_count - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._cursor_moved()

    def _cursor_moved(self, moved: bool = True) -> None:
        if self.row_count:
            self.scroll_to_region(
                Region(0, self.cursor, 1, 1), animate=False, force=True, immediate=True
            )
        paper = self.highlighted
        pk = paper.pk if paper else None
        if pk != self._announced:
            self._announced = pk
            self.post_message(self.Highlighted(self, paper, moved))

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
        self.cursor = self.row_count - 1

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
        paper = self.paper_at(index)
        if paper is not None:
            # A summary is frozen: equal summaries render alike (the row shows nothing else).
            key = (paper, width, index == self.cursor, self.has_focus)
            if (strip := self._rows.get(key)) is not None:
                return strip  # most rows of a scroll: no style to work out
        base = self._base if self._base is not None else self.rich_style
        if self.row_count == 0 and y == 0:
            empty = self.get_component_rich_style("paper-stream--empty")
            return Strip([Segment(" No papers in this view.", empty)]).extend_cell_length(
                width, base
            )
        if paper is None:
            return Strip.blank(width, base)
        segments = paper_row(paper, width)
        if index == self.cursor:
            # The cursor's colours win over the row's own, so it reads as one solid bar.
            cursor = self.get_component_rich_style("paper-stream--cursor")
            segments = Segment.apply_style(segments, post_style=cursor)
        strip = Strip(segments).crop_extend(0, width, base).apply_style(base)
        self._rows[(paper, width, index == self.cursor, self.has_focus)] = strip
        return strip

    def notify_style_update(self) -> None:
        # A new theme or stylesheet: rows rendered with the old colours are stale.
        self._rows.clear()
        super().notify_style_update()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


def _same_keys(before: PaperSummary, after: PaperSummary) -> bool:
    """The newest and upvotes sorts place the two alike (the relevance sort also reads beat
    scores, which a summary does not carry)."""
    return (before.pk, before.published, before.upvotes) == (
        after.pk,
        after.published,
        after.upvotes,
    )


def locate(
    source: PaperSource, flt: PaperFilter, pks: tuple[int | None, ...], near_end: bool
) -> tuple[int, int, int | None]:
    """What a reload needs: the view's counts, and the row of the first of ``pks`` still in it
    (``near_end``: count the rows after it, fewer for a paper in the second half)."""
    count, unread = source.count_view(flt)
    total = count if near_end else None
    for pk in pks:
        if pk is not None and (index := source.position(flt, pk, total)) is not None:
            return count, unread, index
    return count, unread, None
