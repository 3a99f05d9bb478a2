"""The rows of a view: read a page at a time, never the whole library (no Textual here)."""

from __future__ import annotations

import dataclasses

import pytest

from river_tui.domain import PaperSummary, TriageState
from river_tui.reader.rows import PAGE, Placed, ViewPage, ViewRows, locate
from river_tui.store.library import PaperFilter
from river_tui.store.papers import Sort
from river_tui.ui.components.stream import rows_title

SCREEN = 28
"""Rows a stream of 30 lines shows."""


class FakeSource:
    """A library of ``size`` papers (pk ``i`` is "Paper i") that counts the queries made of
    it; the papers in ``gone`` have left the view."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.gone: set[int] = set()
        self.queries: list[tuple[int, int]] = []
        self.from_end: list[tuple[int, int]] = []
        """The queries whose offset counted from the end."""
        self.lookups: list[tuple[str, int]] = []
        """Where a paper stands: ``contains`` (one row) or ``position`` (counts rows)."""

    def _pks(self) -> list[int]:
        return [pk for pk in range(self.size) if pk not in self.gone]

    def count(self, flt: PaperFilter | None = None) -> int:
        if flt is not None and flt.state is TriageState.NEW:
            return self.size // 2
        return self.size - len(self.gone)

    def count_view(self, flt: PaperFilter) -> tuple[int, int]:
        return self.count(flt), self.count(PaperFilter(state=TriageState.NEW))

    def papers(
        self,
        flt: PaperFilter | None = None,
        limit: int = -1,
        offset: int = 0,
        *,
        from_end: bool = False,
    ) -> list[PaperSummary]:
        pks = self._pks()
        if from_end:
            self.from_end.append((limit, offset))
            offset = max(0, len(pks) - offset - (len(pks) if limit < 0 else limit))
        else:
            self.queries.append((limit, offset))
        end = len(pks) if limit < 0 else min(len(pks), offset + limit)
        return [
            PaperSummary(i, f"id{i}", f"Paper {i}", None, None, "", TriageState.NEW, False)
            for i in pks[offset:end]
        ]

    def contains(self, flt: PaperFilter, pk: int) -> bool:
        self.lookups.append(("contains", pk))
        return 0 <= pk < self.size and pk not in self.gone

    def position(self, flt: PaperFilter, pk: int, total: int | None = None) -> int | None:
        self.lookups.append(("position", pk))
        pks = self._pks()
        return pks.index(pk) if pk in pks else None


def shown(source: FakeSource, flt: PaperFilter | None = None) -> ViewRows:
    """The rows of ``flt`` (every paper), their first screen drawn."""
    rows = ViewRows()
    rows.show(source, flt or PaperFilter(), "Papers")
    for index in range(SCREEN):
        rows.paper_at(index)
    return rows


def title(rows: ViewRows) -> str:
    return rows_title(rows).plain


@pytest.mark.parametrize("size", [0, 1, 100_000])
def test_rows_fetch_pages_not_the_library(size: int) -> None:
    source = FakeSource(size)
    rows = shown(source)
    assert rows.count == size
    assert title(rows) == f"Papers · {size} ({size // 2} new)"
    assert all(limit == PAGE for limit, _offset in source.queries)
    if size == 0:
        assert rows.paper_at(0) is None
        return
    assert source.queries == [(PAGE, 0)]
    last = rows.paper_at(size - 1)
    assert last is not None and last.title == f"Paper {size - 1}"
    if size > 1:
        # The second half of the view is read from its end: no skipping 99,950 rows.
        rest = size - (size - 1) // PAGE * PAGE
        assert source.from_end == [(rest, 0)]
    for index in range(size - 1, max(-1, size - 2 - SCREEN), -1):  # a page up, and one more
        paper = rows.paper_at(index)
        assert paper is not None and paper.pk == index
    assert len(source.queries) + len(source.from_end) <= 4
    assert all(2 * offset <= size for _limit, offset in source.queries)


def search_page(rows: ViewRows, source: FakeSource) -> PaperFilter:
    """Show a search's first page as the search's job hands it over, before its count."""
    searched = PaperFilter(query="paper")
    rows.show(source, searched, "Papers", ViewPage.of(source.papers(limit=PAGE)))
    return searched


def test_a_search_page_shows_before_its_count() -> None:
    """The search's job hands over a full first page before the view is counted: the rows
    show it at once ("50+"), then take the counts (the session takes only its view's: see
    test_reader_session)."""
    source = FakeSource(1000)
    rows = ViewRows()
    search_page(rows, source)
    assert rows.counting and rows.count == PAGE
    assert title(rows) == f"Papers ⌕ paper · {PAGE}+"
    assert rows.paper_at(PAGE) is None  # as far as the rows fetched, until counted
    rows.counted(1000, 500)
    assert not rows.counting
    assert title(rows) == "Papers ⌕ paper · 1000 (500 new)"
    last = rows.paper_at(999)
    assert last is not None and last.title == "Paper 999"
    # A page that is not full is the whole view: counted on the spot.
    page = ViewPage.of(source.papers(limit=7))
    assert (page.count, page.unread) == (7, 7)
    rows.show(source, PaperFilter(query="paper"), "Papers", page)
    assert not rows.counting and rows.count == 7


def test_a_row_changed_makes_a_new_version() -> None:
    """Counts arrive a moment after the page, asked for a version of the rows: a row changed
    meanwhile (a paper left the view, or was patched) makes a new one, and a count asked
    before it is asked again (test_reader_session)."""
    source = FakeSource(1000)
    rows = ViewRows()
    search_page(rows, source)
    asked = rows.version
    starred = rows.paper_at(3)
    assert starred is not None
    assert rows.paper_changed(dataclasses.replace(starred, starred=True)) == (Placed.SAME_ROW, 3)
    assert rows.version != asked
    assert rows.counting and rows.count == PAGE


def test_a_row_kept_on_screen_leaves_the_other_rows_in_place() -> None:
    """A paper marked read after opening stays on its row in the Inbox until the next reload,
    though the library no longer has it there: pages read later, from the start or from the
    end, are read around it, and counts of the view count it."""
    source = FakeSource(1000)
    rows = shown(source)
    source.gone.add(10)  # the library no longer has it in this view
    assert rows.patch(10, state=TriageState.READ) == 10
    assert rows.count == 1000
    everything = list(range(1000))
    assert [rows.paper_at(i).pk for i in everything] == everything  # type: ignore[union-attr]
    assert [rows.paper_at(i).pk for i in reversed(everything)] == everything[::-1]  # type: ignore[union-attr]
    assert source.from_end  # the second half was read from the end
    # A paper after it leaves the view: the rows close up, the kept one stays.
    source.gone.add(20)
    left_paper = rows.paper_at(20)
    assert left_paper is not None
    changed = dataclasses.replace(left_paper, state=TriageState.SKIPPED)
    assert rows.paper_changed(changed) == (Placed.LEFT, 20)
    assert rows.count == 999
    left = [pk for pk in everything if pk != 20]
    assert [rows.paper_at(i).pk for i in range(999)] == left  # type: ignore[union-attr]
    assert [rows.paper_at(i).pk for i in reversed(range(999))] == left[::-1]  # type: ignore[union-attr]
    count, unread, _index = locate(source, rows.filter, (), False)  # the next reload
    rows.recounted(count, unread)  # lets it go
    assert rows.count == 998 and rows.paper_at(10).pk == 11  # type: ignore[union-attr]

    # Kept while the view is being counted: the patch makes a new version (a count asked
    # before is asked again), and the count that follows is one short of the rows shown.
    source.gone.clear()
    search_page(rows, source)
    asked = rows.version
    source.gone.add(10)
    rows.patch(10, state=TriageState.READ)
    assert rows.version != asked and rows.counting
    rows.counted(999, 499)
    assert not rows.counting and rows.count == 1000
    assert [rows.paper_at(i).pk for i in reversed(everything)] == everything[::-1]  # type: ignore[union-attr]


@pytest.mark.parametrize("sort", list(Sort))
def test_a_decision_on_a_paper_does_not_count_the_rows_before_it(sort: Sort) -> None:
    """Read, star, skip or a tag change which views hold a paper, never its date or upvotes:
    the rows ask whether the paper is still in the view (one row) instead of counting the
    rows before it, except where the order reads more than the row shows (relevance) or the
    row's keys changed."""
    source = FakeSource(1000)
    rows = shown(source, PaperFilter(sort=sort))
    paper = rows.paper_at(3)
    assert paper is not None
    source.lookups.clear()
    starred = dataclasses.replace(paper, starred=True)
    assert rows.paper_changed(starred) == (Placed.SAME_ROW, 3)
    lookup = "position" if sort is Sort.RELEVANCE else "contains"
    assert source.lookups == [(lookup, 3)]
    assert rows.paper_at(3) == starred
    source.lookups.clear()
    rows.paper_changed(dataclasses.replace(starred, upvotes=99))
    assert source.lookups == [("position", 3)]
