"""The rows of the view shown: read from the library a page at a time, never all of them.

The view knows its row count and reads rows ``PAGE`` at a time (``source.papers(limit=PAGE,
offset=...)``) into a small cache of pages, the way Toolong renders multi-gigabyte logs through
the Line API: the stream draws only the rows on screen, whatever the library holds."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from enum import Enum
from typing import Protocol

from river_tui.domain import PaperSummary, TriageState
from river_tui.store.papers import PaperFilter, Sort

PAGE = 50
"""Rows fetched per query."""
CACHED_PAGES = 8
"""Pages kept in memory; older ones are dropped and fetched again if scrolled back to."""


class PaperSource(Protocol):
    """What the rows need from the library (``Library`` satisfies it)."""

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
    """A view's first page, fetched ahead (by the search's worker), and its counts if known.

    ``count`` None: the page is full and the view is still being counted; the rows show the
    page at once and take the counts later (:meth:`ViewRows.counted`)."""

    rows: list[PaperSummary]
    count: int | None = None
    unread: int | None = None

    @classmethod
    def of(cls, rows: list[PaperSummary]) -> ViewPage:
        """The first page; a page that is not full is the whole view, so it is counted."""
        if len(rows) >= PAGE:
            return cls(rows)
        return cls(rows, len(rows), sum(r.state is TriageState.NEW for r in rows))


class Placed(Enum):
    """Where a changed paper's row is now (:meth:`ViewRows.paper_changed`)."""

    SAME_ROW = "same row"
    """Still in the view, on its row: that row was replaced."""
    LEFT = "left"
    """Gone from the view: its row was taken out, the rows after it moved up."""
    ELSEWHERE = "elsewhere"
    """It moved, or joined the view, or the rows shown no longer match the library's: the view
    must be read again (a reload)."""


class ViewRows:
    """The papers of one view (``filter``), as the stream shows them."""

    def __init__(self) -> None:
        self.source: PaperSource | None = None
        self.filter = PaperFilter()
        self.label = "Papers"
        self.count = 0
        """Rows shown: the view's papers, and the rows kept on screen (:attr:`kept`)."""
        self.unread = 0
        self.counting = False
        """The view is still being counted: ``count`` is the rows fetched so far."""
        self.version = 0
        """Goes up whenever the rows change: a view shown or reloaded, a row changed in place.
        Counts and reloads are asked for a version and taken only for it: one asked before a
        paper left the view would be one too many."""
        self._pages: OrderedDict[int, list[PaperSummary]] = OrderedDict()
        self.kept: dict[int, PaperSummary] = {}
        """Rows kept on screen whose papers the library no longer has in this view (a paper
        marked read after opening stays in the Inbox until the next reload), by row. Pages are
        read around them: the library's rows are the shown ones less these."""

    def show(
        self,
        source: PaperSource,
        flt: PaperFilter,
        label: str,
        first: ViewPage | None = None,
    ) -> None:
        """Show the papers ``flt`` selects from ``source``, from ``first`` (the first page,
        fetched already: a full one is counted later); without it the view is counted here."""
        self.source, self.filter, self.label = source, flt, label
        self._reset()
        if first is None:
            self.count, self.unread = source.count_view(flt)
            return
        self._pages[0] = rows = list(first.rows)
        if first.count is None or first.unread is None:
            self.counting = True
            self.count = len(rows)
            self.unread = sum(r.state is TriageState.NEW for r in rows)
        else:
            self.count, self.unread = first.count, first.unread

    def recounted(self, count: int, unread: int) -> None:
        """The view read again (a reload): its counts now; every page is read afresh."""
        self._reset()
        self.count, self.unread = count, unread

    def _reset(self) -> None:
        self.version += 1
        self.kept.clear()
        self._pages.clear()
        self.counting = False

    def at_least(self, count: int) -> None:
        """The view, still being counted, holds more than ``count`` papers: its rows reach that
        far (the title says "10000+") until the whole count is in."""
        self.count = max(self.count, count + len(self.kept))

    def counted(self, count: int, unread: int) -> None:
        """The view's counts, asked for at this version (the caller checks), arrived."""
        self.counting = False
        kept_new = sum(paper.state is TriageState.NEW for paper in self.kept.values())
        self.count, self.unread = count + len(self.kept), unread + kept_new

    def paper_at(self, index: int) -> PaperSummary | None:
        """The paper on row ``index``, fetching its page if it is not cached."""
        if self.source is None or not 0 <= index < self.count:
            return None
        number, offset = divmod(index, PAGE)
        page = self._page(number)
        if page is None or (offset >= len(page) and len(page) < PAGE):
            # Not cached, or cut short when a paper left the view (see paper_changed).
            page = self._fetch(number)
            self._pages[number] = page
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        return page[offset] if offset < len(page) else None

    def _page(self, number: int) -> list[PaperSummary] | None:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
        return page

    def _fetch(self, number: int) -> list[PaperSummary]:
        """Page ``number``; one in the second half of a counted view is read from the end (the
        last page of 100,000 papers without skipping the 99,950 before it). Rows kept on screen
        are not in the library's view: the page is read around them."""
        assert self.source is not None
        start = number * PAGE
        from_start = self.counting or 2 * start <= self.count
        end = start + PAGE if from_start else min(start + PAGE, self.count)
        first = start - sum(k < start for k in self.kept)  # the library's rows [first, last)
        last = end - sum(k < end for k in self.kept)
        if from_start:
            rows = self.source.papers(self.filter, limit=last - first, offset=first)
        else:
            total = self.count - len(self.kept)
            rows = self.source.papers(
                self.filter, limit=last - first, offset=total - last, from_end=True
            )
        for index in sorted(k for k in self.kept if start <= k < end):
            rows.insert(index - start, self.kept[index])
        return rows

    def index_of(self, pk: int) -> int | None:
        """The row of paper ``pk`` among the cached pages (None: not cached)."""
        for number, page in self._pages.items():
            for offset, paper in enumerate(page):
                if paper.pk == pk:
                    return number * PAGE + offset
        return None

    def patch(self, pk: int, **changes: object) -> int | None:
        """Change a cached row in place (``state=…``, ``starred=…``) without fetching: the row
        stays where it is until the next reload, kept on screen if the view no longer holds
        it. Its row (None: not cached)."""
        index = self.index_of(pk)
        if index is None or self.source is None:
            return None
        number, offset = divmod(index, PAGE)
        page = self._pages[number]
        paper = page[offset]
        page[offset] = changed = replace(paper, **changes)  # type: ignore[arg-type]
        if not self.source.contains(self.filter, pk):
            self.kept[index] = changed  # shown, though the view no longer holds it
            self.version += 1  # a count asked before this would be one too many
        was_new = paper.state is TriageState.NEW
        if was_new != (changed.state is TriageState.NEW):
            self.unread += -1 if was_new else 1  # the title stays true to the rows
        return index

    def paper_changed(self, paper: PaperSummary) -> tuple[Placed, int]:
        """One paper changed (its state, star, tags or beats): update its row without reading
        the view again when possible, and say where it is (with the row it was on).

        Still in the view at the same row: that row is replaced. Gone from the view (skipped in
        the inbox, say): its row is taken out; the pages after it are dropped and fetched again
        when shown. Anything else (the paper moved, or joined the view): ``ELSEWHERE``, and the
        caller reads the view again."""
        old = self.index_of(paper.pk) if self.source is not None else None
        if old is None or self.source is None:
            return Placed.ELSEWHERE, -1
        number, offset = divmod(old, PAGE)
        page = self._pages[number]
        before = page[offset]
        if self.filter.sort is not Sort.RELEVANCE and _same_keys(before, paper):
            # A decision (read, star, skip, a tag) changes which views hold a paper, never its
            # date or upvotes: still in the view, it is still on its row. Counting the rows
            # before it instead took 15-60 ms in an Inbox of 70,000 papers, 90-160 ms in a
            # broad search.
            now = old if self.source.contains(self.filter, paper.pk) else None
        elif self.kept:
            return Placed.ELSEWHERE, old  # the library's positions no longer match the rows
        else:
            now = self.source.position(self.filter, paper.pk)
        if now is not None and now != old:
            return Placed.ELSEWHERE, old
        self.version += 1
        was_new = before.state is TriageState.NEW
        if now == old:
            self.kept.pop(old, None)  # back in the view (marked unread again, say)
            page[offset] = paper
            self.unread += (paper.state is TriageState.NEW) - was_new
            return Placed.SAME_ROW, old
        page.pop(offset)
        self.kept.pop(old, None)
        self.kept = {k - (k > old): kept for k, kept in self.kept.items()}
        for later in [n for n in self._pages if n > number]:
            del self._pages[later]
        self.count -= 1
        self.unread -= was_new
        return Placed.LEFT, old


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
