"""The reader session: what the reader shows and what its keys do, without Textual.

A session owns the view shown (the navigation target, its filter, the query typed, the sort),
its rows (:class:`~river_tui.reader.rows.ViewRows`: the page cache and its version), the
cursor, the counts (the view's and the navigation's), the undo and busy state, and the
connections its background work opens. Its state changes only on one thread (Textual's, in the
reader); work that takes a while runs through the :class:`~river_tui.reader.executor.Executor`
it is given, and what the screen must draw again it hears through a :class:`Listener`.

Every write, by this process or another, reaches what is shown through one method,
:meth:`ReaderSession.changed`, once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from river_tui.domain import QueryError, TriageState
from river_tui.domain.papers import DETAIL, PaperRecord
from river_tui.reader.actions import next_sort, summary_of
from river_tui.reader.authors import Authors
from river_tui.reader.decisions import Decisions
from river_tui.reader.executor import Executor, Job, Lane, Task
from river_tui.reader.learner import Learner
from river_tui.reader.listener import Listener, Severity
from river_tui.reader.rows import PAGE, Placed, ViewPage, ViewRows, locate
from river_tui.reader.search import Search
from river_tui.reader.views import (
    INBOX,
    ORDERED,
    NavCounts,
    NavKind,
    NavTarget,
    collect_counts,
    count_the_rest,
    river_cards,
    similar_label,
    view_filter,
    view_label,
)
from river_tui.settings import FeedConfig
from river_tui.store.library import Library, LibraryError
from river_tui.store.papers import PaperFilter, Sort

if TYPE_CHECKING:  # full records and the claims load when first used
    from river_tui.domain import PaperSummary
    from river_tui.domain.claims import Post
    from river_tui.domain.interest import Reason

T = TypeVar("T")
COUNT_FIRST = 10_000
"""A view of more papers than this says so ("10000+") before its whole count, which at a
million papers takes seconds for a broad search; up to this many are counted at once."""
MAX_BACK = 20
"""The views of similar papers Esc can go back along."""
__all__ = ["Listener", "ReaderSession", "Severity"]


@dataclass(frozen=True, slots=True)
class _Reload:
    """A reload asked for: of which rows, and what it asked the worker."""

    filter: PaperFilter
    version: int
    focus_pk: int | None
    pks: tuple[int | None, ...]
    near_end: bool
    cursor: int
    """Where the cursor was: a key that moved it since wants the paper it is on now kept."""


UNREAD_ONLY = " · unread"
"""What a view's title adds while it shows its unread papers only."""


class ReaderSession:
    """The reader's state over ``library`` (a connection of the session's thread): it reads
    rows and records there and writes single decisions there; counting, reloading, searching
    and writes of many papers run through ``executor`` on connections of their own."""

    def __init__(self, library: Library, executor: Executor, listener: Listener) -> None:
        self.library = library
        self.executor = executor
        self.listener = listener
        self.view: NavTarget = INBOX
        self.view_filter = PaperFilter(state=TriageState.NEW)
        """The chosen view, sorted: the rows show it, narrowed by a search if one is kept."""
        self.view_label = "Inbox"
        self.sort = Sort.NEWEST
        self.rows = ViewRows()
        self.cursor = 0
        self.search = Search(self)
        """The query typed over the view."""
        self.decisions = Decisions(self)
        """The decisions on papers, and the undo and busy state."""
        self.learner = Learner(self)
        """What River learns from the decisions, kept up to date once the screen is up."""
        self.authors = Authors(self)
        """The followed authors (the rows' marks), and the keys about a paper's authors."""
        self.counts = NavCounts.counting([beat.name for beat in library.beats])
        """What the navigation lists (placeholders until the first count is in)."""
        self.feeds: tuple[FeedConfig, ...] = ()
        """The feeds of the config: each is a view (the papers it brought)."""
        self.river_history = False
        """Rivers show their superseded and retracted claims too (dimmed)."""
        self.marked: set[int] = set()
        """The papers marked (``space``) for a decision on all of them at once."""
        self.unread_only = False
        """Every view shows its unread papers only (``v``; Esc in the stream turns it off)."""
        self.reloads = 0
        """How many times the rows were read again (counted, the cursor's paper found)."""
        self._announced: int | None = -1
        """The paper last reported as highlighted (-1: report whatever comes next)."""
        self._counting = False
        self._counts_stale = False
        self._view_count: tuple[PaperFilter, int] | None = None
        """The rows the view count was asked for (filter, version)."""
        self._reload: _Reload | None = None
        self._own_writes = 0
        self._seen = library.data_version()
        """The library's ``data_version`` when the rows were last read again in full."""
        self._came_from: list[tuple[NavTarget, str, int]] = []
        """The views ``m`` left for a view of similar papers (view, its title, the paper
        ``m`` was pressed on), the latest last: Esc goes back along them."""

    # -- background work ----------------------------------------------------------------------
    def on_own_connection(self, job: Callable[[Library], T], done: Callable[[T], None]) -> Job:
        """``job`` on a connection of its own, abandoned as soon as its task is cancelled;
        ``done(result)`` on this thread."""
        path, beats = self.library.path, self.library.beats

        def run(task: Task) -> None:
            with Library.open(path, beats) as library:
                library.interrupt_when(task.cancelled)
                result = job(library)
            task.deliver(done, result)

        return run

    def say(self, message: str, severity: Severity = "information") -> None:
        self.listener.said(message, severity)

    # -- the view -----------------------------------------------------------------------------
    def show_view(self, target: NavTarget) -> bool:
        """Fill the rows with the papers of ``target`` (False: it has none to show)."""
        flt = view_filter(target, self.counts)
        if flt is None:
            return False
        if target.kind not in ORDERED:
            flt = replace(flt, sort=self.sort)
        label = view_label(target, self.counts)
        if self.unread_only and flt.state is None:
            flt, label = replace(flt, state=TriageState.NEW), f"{label}{UNREAD_ONLY}"
        try:
            page = ViewPage.of(self.library.papers(flt, limit=PAGE))
        except QueryError as exc:  # a saved search that no longer holds (a beat renamed)
            self.say(f"Search {target.value}: {exc}", "error")
            return False
        self.view, self.view_filter = target, flt
        self.view_label = label
        self.search.reset()
        self._came_from.clear()
        self.show(flt, self.view_label, page)
        return True

    def show(self, flt: PaperFilter, label: str, page: ViewPage | None = None) -> None:
        """Show ``flt`` from its first page (read here if not given), the cursor on its first
        row. A full page shows at once; the view is counted when :meth:`count_view` is called
        (the screen calls it once the page is painted)."""
        if page is None:
            page = ViewPage.of(self.library.papers(flt, limit=PAGE))
        self.rows.show(self.library, flt, label, page)
        self.marked.clear()  # marks are of the papers shown
        self._reload = None  # a reload on its way was for what was shown before
        self.cursor = 0
        self._announced = -1
        self.listener.view_shown()
        self._announce()

    def count_view(self, again: bool = False) -> None:
        """Count the view shown off this thread, if it is still being counted (its title says
        "50+" until then). A reload on its way counts it too; so does the next page of a
        search on its way, which replaces these rows. A search's results are counted in the
        search's lane: the next key abandons the count. ``again``: the count asked for may
        have been abandoned (the search that took its lane failed): ask again."""
        rows = self.rows
        if not rows.counting or self._reload is not None or self.search.paging:
            return
        asked = (rows.filter, rows.version)
        if self._view_count == asked and not again:
            return  # asked already
        self._view_count = asked
        lane = Lane.SEARCH if self.searching() else Lane.VIEW
        self.executor.submit(lane, self._count_job(*asked), self._view_count_failed)

    def _count_job(self, flt: PaperFilter, version: int) -> Job:
        """Count the view ``flt`` at ``version`` of the rows: a view of more than
        :data:`COUNT_FIRST` papers says so first, then its whole count."""
        path, beats = self.library.path, self.library.beats

        def run(task: Task) -> None:
            with Library.open(path, beats) as library:
                library.interrupt_when(task.cancelled)
                counts = library.count_view_up_to(flt, COUNT_FIRST)
                if counts is None:
                    task.deliver(lambda most: self._more_than(flt, version, most), COUNT_FIRST)
                    counts = library.count_view(flt)
            task.deliver(lambda counts: self.take_counts(flt, version, counts), counts)

        return run

    def _more_than(self, flt: PaperFilter, version: int, most: int) -> None:
        """The view being counted holds more than ``most`` papers (the rest is counted)."""
        rows = self.rows
        if rows.counting and (flt, version) == (rows.filter, rows.version):
            rows.at_least(most)
            self.listener.rows_changed()

    def take_counts(self, flt: PaperFilter, version: int, counts: tuple[int, int]) -> None:
        """Counts of ``flt`` asked at ``version``: taken if the rows are still that; asked for
        again if the rows changed since (a count taken before a paper left the view would be
        one too many, and the pages read from the end would be shifted)."""
        rows = self.rows
        if not rows.counting or flt != rows.filter:
            return
        if version != rows.version:
            self._view_count = None
            self.count_view()
            return
        rows.counted(*counts)
        self.listener.rows_changed()

    def _view_count_failed(self, error: Exception) -> None:
        """The counting worker failed: count here rather than leave the view at its first page
        ("50+", the cursor held to it)."""
        rows = self.rows
        if not rows.counting:
            return
        try:
            counts = self.library.count_view(rows.filter)
        except LibraryError as exc:
            self.say(f"Could not count this view: {exc}", "error")
            return
        rows.counted(*counts)
        self.listener.rows_changed()

    @property
    def own_order(self) -> bool:
        """The view shown is in an order of its own (``views.ORDERED``): ``S`` does not
        apply, and its title does not name the sort."""
        return self.view.kind in ORDERED

    def cycle_sort(self) -> None:
        if why := ORDERED.get(self.view.kind):
            self.say(f"{why}: S sorts the other views.")
            return
        self.set_sort(next_sort(self.sort))

    def set_sort(self, sort: Sort) -> None:
        """Sort the view (and the search shown) by ``sort``, shown from its top: a new order
        is read from its first row, the cursor on it (a cursor kept on its paper would leave
        the papers the order puts first above the screen)."""
        if sort is Sort.FOR_YOU and not self.learner.trained:
            self.say(f"For you {self.learner.status}.")
        self.sort = sort
        self.view_filter = replace(self.view_filter, sort=sort)
        self.show(replace(self.rows.filter, sort=sort), self.rows.label)

    def toggle_unread_only(self) -> None:
        """``v``: every view shows its unread papers only, or all of them again; the cursor
        stays on its paper if it is still shown."""
        if not self.unread_only and self.view_filter.state is not None:
            self.say(f"{self.view_label} lists papers of one state already.")
            return
        self.unread_only = not self.unread_only
        state = TriageState.NEW if self.unread_only else None
        label = self.view_label.removesuffix(UNREAD_ONLY)
        self.view_label = f"{label}{UNREAD_ONLY}" if self.unread_only else label
        self.view_filter = replace(self.view_filter, state=state)
        paper = self.highlighted
        self.show(replace(self.rows.filter, state=state), self.view_label)
        if paper is not None:
            self.reload(focus_pk=paper.pk)
        self.say("Unread papers only (v shows them all)." if self.unread_only else "All papers.")

    def narrowed(self) -> bool:
        """Marks, a search or the unread-only filter narrow the view shown (Esc clears them)."""
        return bool(self.marked) or self.unread_only or self.searching()

    def searching(self) -> bool:
        """A search is typed or shown over the view."""
        return self.rows.filter.query != self.view_filter.query or bool(self.search.text)

    def clear_narrowing(self) -> None:
        """Esc in the stream: the marks go; with none, the search shown is cleared; with none,
        the unread-only filter."""
        if self.marked:
            self.unmark_all()
        elif self.searching():
            self.clear_search()
        elif self.unread_only:
            self.toggle_unread_only()

    def clear_search(self) -> None:
        """Back to the view, the query cleared."""
        self.search.reset()
        self.show(self.view_filter, self.view_label)

    # -- similar papers -------------------------------------------------------------------------
    def show_similar(self) -> bool:
        """``m``: the papers most like the one under the cursor, best first (at most
        ``store.similar.VIEW``); :meth:`back` returns to the view shown before, on that paper.
        False, said why, when there is no paper or none like it."""
        paper = self.paper()
        if paper is None:
            return False
        target = NavTarget(NavKind.SIMILAR, str(paper.pk))
        flt = view_filter(target, self.counts)
        assert flt is not None
        flt = replace(flt, sort=self.sort)
        page = ViewPage.of(self.library.papers(flt, limit=PAGE))
        if not page.rows:
            self.say("No other paper shares a distinctive word with this one.", "warning")
            return False
        self._came_from = [
            *self._came_from[-(MAX_BACK - 1) :],
            (self.view, self.view_label, paper.pk),
        ]
        self.view, self.view_filter = target, flt
        self.view_label = similar_label(paper.title)
        self.search.reset()
        self.show(flt, self.view_label, page)
        return True

    def back(self) -> bool:
        """Esc in a view of similar papers: back to the view ``m`` was pressed in (a search
        typed over it is cleared), the cursor on the paper it was pressed on once the view is
        read. False when the view shown is not one of similar papers."""
        if self.view.kind is not NavKind.SIMILAR or not self._came_from:
            return False
        target, label, pk = self._came_from.pop()
        if target.kind is NavKind.SIMILAR:
            flt = view_filter(target, self.counts)
            assert flt is not None
            self.view, self.view_filter, self.view_label = target, flt, label
            self.search.reset()
            self.show(flt, label)
        elif not self.show_view(target):
            return False
        self.reload(focus_pk=pk)
        return True

    def shared_words(self, pk: int) -> tuple[str, ...]:
        """In a view of similar papers, the words paper ``pk`` shares with the paper the view
        is like, heaviest first; elsewhere, none."""
        if self.view.kind is not NavKind.SIMILAR:
            return ()
        ranked = self.library.similar_view(int(self.view.value))
        return next((s.shared for s in ranked if s.pk == pk), ())

    # -- marks: many papers, one decision ------------------------------------------------------
    def toggle_mark(self, step: int = 1, extend: bool = False) -> None:
        """``space``: mark the paper under the cursor (unmark it if it is marked), then move
        ``step`` rows; ``extend`` (``shift+down``/``shift+up``): mark it and the paper moved
        to, whatever they were: a range grows key by key."""
        paper = self.highlighted
        if paper is None:
            return
        if extend or paper.pk not in self.marked:
            self.marked.add(paper.pk)
        else:
            self.marked.discard(paper.pk)
        self.move_to(self.cursor + step)
        if extend and (moved := self.highlighted) is not None:
            self.marked.add(moved.pk)
        self.listener.rows_changed()

    def unmark_all(self) -> None:
        self.marked.clear()
        self.listener.rows_changed()

    # -- the cursor ---------------------------------------------------------------------------
    def next_unread(self, forward: bool = True) -> None:
        """``n`` (``P``: backwards): the cursor to the view's next unread paper after it; when
        the view has none, to the Inbox's first (or last) one; said when there is none."""
        paper = self.highlighted
        found = self.library.next_unread(self.rows.filter, paper.pk if paper else None, forward)
        if found is not None:
            index = self.rows.index_of(found)
            if index is None:
                index = self.library.position(self.rows.filter, found)
            if index is not None:
                self.move_to(index)
                return
        if self.view.kind is not NavKind.INBOX and self.counts.unread and self.show_view(INBOX):
            self.move_to(0 if forward else self.rows.count - 1)
            self.say("No unread paper left in that view: the Inbox.")
            return
        self.say("No unread paper.")

    @property
    def highlighted(self) -> PaperSummary | None:
        return self.rows.paper_at(self.cursor)

    def move_to(self, index: int) -> None:
        """Put the cursor on row ``index`` (held to the rows there are)."""
        old = self.cursor
        self.cursor = max(0, min(index, self.rows.count - 1))
        if self.cursor != old:
            self.listener.cursor_moved(old)
            self._announce()

    def _announce(self, moved: bool = True) -> None:
        """Tell the listener if another paper is under the cursor."""
        paper = self.highlighted
        pk = paper.pk if paper else None
        if pk != self._announced:
            self._announced = pk
            self.listener.highlighted(paper, moved)

    # -- the navigation's counts ------------------------------------------------------------
    def refresh_counts(self) -> None:
        """Count every view again, off this thread. Requests coalesce: one count at a time,
        and one more after it if anything changed meanwhile (a burst of keys costs at most
        two counts)."""
        self._counts_stale = True
        if not self._counting:
            self._count()

    def _count(self) -> None:
        self._counts_stale = False
        self._counting = True
        self.executor.submit(Lane.COUNTS, self._counts_job(), self._uncounted)

    def _counts_job(self) -> Job:
        """The navigation's counts in two goes: all but the slowest at once, then those
        (:func:`~river_tui.reader.views.count_the_rest`); each of those over
        :data:`COUNT_FIRST` papers says so ("10000+") before its whole count."""
        path, beats, feeds = self.library.path, self.library.beats, self.feeds

        def run(task: Task) -> None:
            with Library.open(path, beats) as library:
                library.interrupt_when(task.cancelled)
                counts = collect_counts(library, feeds)
                task.deliver(self._counted_but_the_rest, counts)
                counts = count_the_rest(library, counts, most=COUNT_FIRST)
                if counts.capped is not None:
                    task.deliver(self._counted_but_the_rest, counts)
                    counts = count_the_rest(library, counts)
                task.deliver(self._counted, counts)

        return run

    def _counted_but_the_rest(self, counts: NavCounts) -> None:
        self.counts = counts.keeping(self.counts)
        self.listener.counts_changed()

    def _counted(self, counts: NavCounts) -> None:
        self._counting = False
        self.counts = counts
        self.listener.counts_changed()
        if self._counts_stale:
            self._count()

    def _uncounted(self, error: Exception) -> None:
        self._counting = False

    def known_tags(self) -> list[str]:
        return [tag for tag, _unread in self.counts.tags]

    def river_posts(self, tag: str) -> list[Post]:
        """The cards of river ``tag``, newest first: the active claims (all of them with
        :attr:`river_history`) of the dossiers that cite papers with the tag, and the
        imported posts."""
        return river_cards(self.library, tag, include_inactive=self.river_history)

    # -- one change signal --------------------------------------------------------------------
    def changed(self, pk: int | None = None, focus_pk: int | None = None) -> None:
        """The library changed: paper ``pk``, or any when None (``focus_pk``: take the cursor
        to that paper, an undo's). Every write comes here once, whoever made it: a decision,
        a claim tended, a refresh or an import landing, another process's commit. The panes
        showing the paper show it again; one paper's row is patched in place, any other change
        reads the rows again; the navigation is counted again."""
        record = self.shown_record(pk) if pk is not None and focus_pk is None else None
        if pk is None:
            self.authors.reload()  # followed or unfollowed here, or by another process
        self.listener.library_changed(pk, record)
        if record is not None:
            self._paper_changed(summary_of(record))
        else:
            self.reload(focus_pk)
        self.refresh_counts()
        self.learner.request()

    def own_write_started(self) -> None:
        """This process writes in the background (a refresh, the sample import, a write of
        many papers): its commits are not another process's. Each announces itself through
        :meth:`changed`; :meth:`own_write_ended` says when it is over."""
        self._own_writes += 1

    def own_write_ended(self) -> None:
        """A background write is over. If the library changed since the rows were last read
        in full (a refresh's fetch log, a write that failed halfway, or another process's
        commit meanwhile: they cannot be told apart), the rows are read again, once."""
        self._own_writes = max(0, self._own_writes - 1)
        if not self._own_writes and self.library.data_version() != self._seen:
            self.changed()

    def other_writers(self) -> None:
        """Look for commits by other processes (a ``river refresh`` from cron, a second
        reader): ``PRAGMA data_version`` changes with every commit but this connection's own,
        so while this process writes in the background its own commits are left to announce
        themselves, and are not taken for another's."""
        if not self._own_writes and self.library.data_version() != self._seen:
            self.changed()

    def reload(self, focus_pk: int | None = None) -> None:
        """Read the rows again: the view is counted, and the paper to keep under the cursor
        found, off this thread (a broad view of 100,000 papers takes 100-250 ms); the rows
        shown stay until then. The cursor stays on its paper (or goes to ``focus_pk``, or to
        where a reload still on its way was to take it: an undo's); if that paper left the
        view, the cursor keeps its row."""
        rows = self.rows
        if rows.source is None:
            return
        self.reloads += 1
        self._seen = self.library.data_version()  # what is read from now on includes it
        if focus_pk is None and self._reload is not None:
            focus_pk = self._reload.focus_pk  # a reload on its way was to go there
        keep = self.highlighted
        pks = (focus_pk, keep.pk if keep else None)
        near_end = 2 * self.cursor > rows.count  # fewer rows to count after the paper
        asked = _Reload(rows.filter, rows.version, focus_pk, pks, near_end, self.cursor)
        self._reload = asked
        job = self.on_own_connection(
            lambda lib: locate(lib, asked.filter, pks, near_end), self._located
        )
        self.executor.submit(Lane.VIEW, job, self._locate_failed)

    def _located(self, found: tuple[int, int, int | None]) -> None:
        """A reload's counts, and where the paper to keep stands (None: it left the view).
        Ignored if another view was shown since; asked for again if the rows changed since, or
        a key moved the cursor to another paper (not to lose that key)."""
        asked, rows = self._reload, self.rows
        if asked is None or asked.filter != rows.filter:
            return
        moved = asked.focus_pk is None and self.cursor != asked.cursor
        if asked.version != rows.version or moved:
            self.reload()  # rows changed, or the cursor moved, meanwhile: find its paper again
            return
        self._reload = None
        count, unread, index = found
        old = self.cursor
        rows.recounted(count, unread)
        self.cursor = max(min(old if index is None else index, rows.count - 1), 0)
        self.listener.rows_changed(kept_from=None if index is None else old)
        # Announces only if the paper under the cursor changed: a move when the reload was to
        # go to a paper (an undo's), else the rows changed under a cursor that stayed.
        self._announce(moved=asked.focus_pk is not None)

    def _locate_failed(self, error: Exception) -> None:
        """The reload's worker failed: do its work here rather than leave the rows as they
        were; if that fails too, say so, and nothing of it is pending."""
        asked = self._reload
        if asked is None:
            return
        try:
            found = locate(self.library, asked.filter, asked.pks, asked.near_end)
        except LibraryError as exc:
            self._reload = None
            self.say(f"Could not reload this view: {exc}", "error")
            self.count_view()  # the rows may still wait for their count
            return
        self._located(found)

    def _paper_changed(self, paper: PaperSummary) -> None:
        placed, row = self.rows.paper_changed(paper)
        if placed is Placed.ELSEWHERE:
            self.reload()
        elif placed is Placed.SAME_ROW:
            self.listener.row_changed(row)
        else:  # it left the view: the cursor stays on its paper, or on its row
            cursor = self.cursor - 1 if row < self.cursor else self.cursor
            self.cursor = max(min(cursor, self.rows.count - 1), 0)
            self.listener.rows_changed()
            self._announce(moved=False)

    # -- papers -------------------------------------------------------------------------------
    def why(self, pk: int) -> list[Reason] | None:
        """Why paper ``pk`` stands where it does, when the rows are in the for-you order and a
        model made it (None: another order, or the beats' score)."""
        flt = self.rows.filter
        if flt.sort is not Sort.FOR_YOU:
            return None
        model = self.library.learned.model_for(flt.beat or flt.hidden_by)
        return None if model is None else self.library.learned.why(model, pk)

    def shown_record(self, pk: int) -> PaperRecord | None:
        """Paper ``pk`` as the detail pane shows it: its long fields cut to ``DETAIL`` (a paper
        of megabytes is read and drawn as fast as any)."""
        return self.library.record(pk, DETAIL)

    def paper(self) -> PaperSummary | None:
        """The paper under the cursor (None, said why, when there is none)."""
        paper = self.highlighted
        if paper is None:
            self.say("No paper is highlighted.", "warning")
        return paper

    def record(self, whole: bool = False) -> PaperRecord | None:
        """The paper under the cursor, as shown (``whole``: every field whole, for a BibTeX
        entry); None, said why, when there is none."""
        paper = self.paper()
        if paper is None:
            return None
        record = self.library.record(paper.pk) if whole else self.shown_record(paper.pk)
        if record is None:
            self.say("That paper is no longer in the library.")
        return record
