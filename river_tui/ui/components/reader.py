"""The reader: navigation, paper stream (with its search bar) and detail side by side."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer
from textual.worker import Worker, WorkerState, get_current_worker

from river_tui.domain import QueryError, TriageState
from river_tui.domain.badges import DEFAULT_BADGES
from river_tui.remembered import delete_search, load_searches, save_search, search_name
from river_tui.store.library import Library, LibraryError
from river_tui.store.papers import PaperFilter, Sort
from river_tui.ui.actions import next_sort, summary_of
from river_tui.ui.components.detail import DetailPane
from river_tui.ui.components.nav import NavPane
from river_tui.ui.components.status import StatusLine
from river_tui.ui.components.stream import PAGE, PaperStream, ViewPage, locate
from river_tui.ui.components.tending import ClaimTending, name_screen
from river_tui.ui.components.triage import PaperActions
from river_tui.ui.views import (
    INBOX,
    NavCounts,
    NavKind,
    NavTarget,
    collect_counts,
    river_claims,
    view_filter,
    view_label,
)

if TYPE_CHECKING:
    from river_tui.domain import PaperSummary
    from river_tui.domain.claims import Post
    from river_tui.ui.components.claim_editor import Saved
    from river_tui.ui.components.search import SearchBar

T = TypeVar("T")

COUNTS_GROUP = "counts"
VIEW_COUNT_GROUP = "view-count"
RELOAD_GROUP = "reload"
COUNT_AT_LATEST = 0.5
"""Seconds after a view is shown by which its counting starts, painted or not."""
DETAIL_DELAY = 0.05
"""Seconds the cursor rests on a paper before the detail pane shows it. The cursor's own
repaint comes first, in its own frame; a held-down key updates the detail once, at the end."""


class ReaderScreen(ClaimTending, PaperActions):
    """Reads through ``library`` (opened on the UI thread); writes only the reader's decisions."""

    HELP_GROUP = "Panes"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next pane", show=False, id="focus-next"),
        Binding(
            "shift+tab", "app.focus_previous", "Previous pane", show=False, id="focus-previous"
        ),
        Binding("p", "promote", "Promote to a claim", show=False, id="stream.promote"),
    ]

    class CountsReady(Message):
        """The counts worker finished."""

        def __init__(self, counts: NavCounts) -> None:
            super().__init__()
            self.counts = counts

    class Located(Message):
        """The reload worker counted the stream's view and found the paper to keep."""

        def __init__(
            self,
            filter: PaperFilter,
            count: int,
            unread: int,
            index: int | None,
            token: int,
        ) -> None:
            super().__init__()
            self.filter = filter
            self.count = count
            self.unread = unread
            self.index = index
            self.token = token

    class ViewCounted(Message):
        """The view counting worker counted ``filter``, as the stream's version ``token``."""

        def __init__(self, filter: PaperFilter, count: int, unread: int, token: int) -> None:
            super().__init__()
            self.filter = filter
            self.count = count
            self.unread = unread
            self.token = token

    def __init__(
        self,
        library: Library,
        mark_read_after: float = 0.0,
        badges: Sequence[str] = DEFAULT_BADGES,
    ) -> None:
        super().__init__()
        self.ready = asyncio.Event()
        """Set once the reader is mounted and shows its first view (the app waits for it)."""
        self.library = library
        self.badges = tuple(badges)
        """The claim badges of the config, offered by the claim editor and the re-badging."""
        self.dossier_slug: str | None = None
        """The dossier the detail pane shows (None: a paper, a river or nothing)."""
        self.mark_read_after = mark_read_after
        """Seconds after opening a paper before it is marked read (0: never)."""
        self.counts = NavCounts()
        self.view: NavTarget = INBOX
        self.view_filter = PaperFilter(state=TriageState.NEW)
        """The chosen view, sorted: the stream shows it, narrowed by a search if one is kept."""
        self.view_label = "Inbox"
        self.sort = Sort.NEWEST
        self.detail_pk: int | None = None
        """The paper the detail pane shows (None: a dossier, a river or nothing)."""
        self._keep_detail = False
        self._read_timer: Timer | None = None
        self._detail_timer: Timer | None = None
        self._counting = False
        self._counts_stale = False
        self._search_bar: SearchBar | None = None
        self._view_count: tuple[PaperFilter, int] = (self.view_filter, 0)
        """The view the counting worker counts, and for which version of the stream."""
        self._reloading: tuple[PaperFilter, tuple[int | None, ...], bool, int] = (
            self.view_filter,
            (),
            False,
            0,
        )
        """What the reload worker was asked (see ``PaperStream.reload``)."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield NavPane(self.choose, id="nav")
            with Vertical(id="middle"):
                yield PaperStream(id="stream")
            detail = DetailPane(id="detail")
            detail.part_reader = self.library.paper_part
            yield detail
        yield StatusLine(self.library.path, id="status")
        yield Footer(compact=True)

    @property
    def nav(self) -> NavPane:
        return self.query_one(NavPane)

    @property
    def search_bar(self) -> SearchBar | None:
        """The search bar, once ``/`` has opened it: it is not built before (an input fewer to
        load, compose, style and draw before the first screen)."""
        return self._search_bar

    def action_focus_pane(self, pane: str) -> None:
        """Focus ``nav``, ``stream`` or ``detail``."""
        self._focus(self.query_one(f"#{pane}", Widget))

    def _focus(self, widget: Widget) -> None:
        """Focus ``widget`` now. ``Widget.focus`` waits its turn in the app's queue, behind keys
        typed with the one that moved it: ``h j ⏎`` at once would move the stream's cursor and
        open a paper (marking it read) instead of choosing the next view in the left pane."""
        self.set_focus(widget)

    def on_mount(self) -> None:
        try:
            self.nav.border_title = Text("River")
            # Counting every view takes a while in a big library: the first screen does not
            # wait, and the counting thread starts once it is painted (it loads the claims
            # modules, which would hold the interpreter's lock while the first frame is drawn).
            self.show_counts(NavCounts.counting([beat.name for beat in self.library.beats]))
            self.call_after_refresh(self.refresh_counts)
            self.stream.loader = self._load_view
            self.stream.opener = self._open_paper
            self.show_view(INBOX)
            self.stream.focus()
        finally:
            self.ready.set()  # even when this failed: the app is not left waiting

    def on_screen_suspend(self) -> None:
        """A dialog is on top: the footer's keys are the reader's, which do not reach it, so
        the footer is hidden under the dialog (its row kept), not left advertising them."""
        self.query_one(Footer).visible = False

    def on_screen_resume(self) -> None:
        self.query_one(Footer).visible = True

    # -- counts ---------------------------------------------------------------------------------
    def show_counts(self, counts: NavCounts) -> None:
        self.counts = counts
        self.nav.show_counts(counts)

    def refresh_counts(self) -> None:
        """Count every view again, off the UI thread. Requests coalesce: one counting thread at
        a time, and one more after it if anything changed meanwhile (a burst of keys costs at
        most two counts)."""
        self._counts_stale = True
        if not self._counting:
            self._start_counting()

    def _start_counting(self) -> None:
        self._counts_stale = False
        self._counting = True
        self._count()

    @work(thread=True, exit_on_error=False, group=COUNTS_GROUP)
    def _count(self) -> None:
        with Library.open(self.library.path, self.library.beats) as library:
            counts = collect_counts(library)
        self.post_message(self.CountsReady(counts))

    @on(CountsReady)
    def _counts_ready(self, message: CountsReady) -> None:
        self._counting = False
        self.show_counts(message.counts)
        if self._counts_stale:
            self._start_counting()

    @on(Worker.StateChanged)
    def _count_failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == COUNTS_GROUP and event.state is WorkerState.ERROR:
            self._counting = False
        if event.worker.group == VIEW_COUNT_GROUP and event.state is WorkerState.ERROR:
            self._view_count_failed()
        if event.worker.group == RELOAD_GROUP and event.state is WorkerState.ERROR:
            self._locate_failed()

    def known_tags(self) -> list[str]:
        return [tag for tag, _unread in self.counts.tags]

    def reload(self) -> None:
        """The library changed underneath (a refresh landed): counts, stream and detail."""
        if not self.app.is_running:
            return  # River is quitting and removing its panes: nothing to show it in
        self.refresh_after(None)

    def refresh_after(self, pk: int | None, focus_pk: int | None = None) -> None:
        shown = self.detail_pk
        record = self.shown_record(pk) if pk is not None and focus_pk is None else None
        if record is not None:
            self.stream.paper_changed(summary_of(record))  # one row: no refetch of the view
        else:
            self.stream.reload(focus_pk=focus_pk)
        if shown is not None and (pk is None or pk == shown):
            self.detail.show_paper(record or self.shown_record(shown), keep_scroll=True)
        self.refresh_counts()

    def set_activity(self, activity: str) -> None:
        self.query_one(StatusLine).set_activity(activity)

    # -- views ----------------------------------------------------------------------------------
    def show_view(self, target: NavTarget) -> bool:
        """Fill the stream with the papers of ``target`` (False: it has none to show)."""
        flt = view_filter(target, self.counts)
        if flt is None:
            return False
        flt = replace(flt, sort=self.sort)
        try:
            page = ViewPage.of(self.library.papers(flt, limit=PAGE))
        except QueryError as exc:  # a saved search that no longer holds (a beat renamed)
            self.notify(f"Search {target.value}: {exc}", severity="error", markup=False)
            return False
        self.view, self.view_filter = target, flt
        self.view_label = view_label(target, self.counts)
        if self.search_bar:
            self.search_bar.close(clear=True)
        self._show_page(flt, self.view_label, page)
        return True

    def _show_page(self, flt: PaperFilter, label: str, page: ViewPage | None = None) -> None:
        """Show view ``flt`` from its first page (fetched here if not given); a full page
        shows at once and the view is counted off the UI thread (the title says "50+" until
        then): counting a broad view of a big library takes a while. The counting thread
        starts once the page is painted: opening its connection would otherwise share the
        interpreter with the drawing of the page (7 ms longer to the first screen). Textual
        runs an after-refresh callback on the screen on top when it is handed over, and drops
        it if that screen closes before it is drawn: a timer makes sure the count starts."""
        if page is None:
            page = ViewPage.of(self.library.papers(flt, limit=PAGE))
        self.stream.show(self.library, flt, label, page)
        if page.count is None:
            start = partial(self._count_if_shown, flt, self.stream.version)
            self.call_after_refresh(start)
            self.set_timer(COUNT_AT_LATEST, start)

    def _count_if_shown(self, flt: PaperFilter, token: int) -> None:
        if self._view_count == (flt, token):
            return  # started already (after the refresh, or by the timer)
        if self.stream.counting and self.stream.filter == flt:  # not another view since
            self._start_view_count(flt, token)  # (rows changed since: it is asked again)

    def _start_view_count(self, flt: PaperFilter, token: int) -> None:
        self._view_count = (flt, token)
        self._count_view(flt, token)

    @on(PaperStream.CountWanted)
    def _count_again(self, message: PaperStream.CountWanted) -> None:
        self._start_view_count(message.filter, message.token)

    @work(thread=True, exclusive=True, exit_on_error=False, group=VIEW_COUNT_GROUP)
    def _count_view(self, flt: PaperFilter, token: int) -> None:
        counts = self._on_own_connection(lambda library: library.count_view(flt))
        if counts is not None:
            self.post_message(self.ViewCounted(flt, *counts, token))

    def _on_own_connection(self, job: Callable[[Library], T]) -> T | None:
        """Run ``job`` in this worker's thread on a connection of its own, abandoned as soon as
        the worker is cancelled (a newer view or reload took over): None then."""
        worker = get_current_worker()
        try:
            with Library.open(self.library.path, self.library.beats) as library:
                library.interrupt_when(lambda: worker.is_cancelled)
                result = job(library)
        except Exception:
            if worker.is_cancelled:
                return None  # interrupted
            raise
        return None if worker.is_cancelled else result

    def _load_view(
        self, flt: PaperFilter, pks: tuple[int | None, ...], near_end: bool, token: int
    ) -> None:
        self._reloading = (flt, pks, near_end, token)
        self._locate(flt, pks, near_end, token)

    @work(thread=True, exclusive=True, exit_on_error=False, group=RELOAD_GROUP)
    def _locate(
        self, flt: PaperFilter, pks: tuple[int | None, ...], near_end: bool, token: int
    ) -> None:
        """A reload's counting and finding, through a connection of its own: a broad view of
        100,000 papers takes 100-250 ms."""
        found = self._on_own_connection(lambda library: locate(library, flt, pks, near_end))
        if found is not None:
            self.post_message(self.Located(flt, *found, token))

    @on(Located)
    def _located(self, message: Located) -> None:
        self.stream.reloaded(
            message.filter, message.count, message.unread, message.index, message.token
        )

    def _locate_failed(self) -> None:
        """The reload worker failed: do its work here rather than leave the stream as it was."""
        flt, pks, near_end, token = self._reloading
        try:
            count, unread, index = locate(self.library, flt, pks, near_end)
        except LibraryError as exc:
            self.notify(f"Could not reload this view: {exc}", severity="error", markup=False)
            self.stream.reload_failed(token)
            return
        self.stream.reloaded(flt, count, unread, index, token)

    @on(ViewCounted)
    def _view_counted(self, message: ViewCounted) -> None:
        self.stream.counted(message.filter, message.count, message.unread, message.token)

    def _view_count_failed(self) -> None:
        """The counting worker failed: count here rather than leave the view at its first page
        ("50+", the cursor held to it)."""
        flt, _token = self._view_count
        try:
            count, unread = self.library.count_view(flt)
        except LibraryError as exc:
            self.notify(f"Could not count this view: {exc}", severity="error", markup=False)
            return
        self.stream.counted(flt, count, unread, self.stream.version)  # counted just now

    def choose(self, target: NavTarget) -> None:
        """Show what a navigation entry stands for."""
        if target.kind is NavKind.DOSSIERS:
            self.action_dossiers()  # a dialog: the pane keeps what it shows until one is chosen
            return
        if self._detail_timer is not None:  # the pane is about to show something else
            self._detail_timer.stop()
            self._detail_timer = None
        if target.kind is NavKind.RIVER:
            self.detail_pk = None
            self.dossier_slug = None
            self.detail.show_posts(target.value, self.river_posts(target.value))
            self._focus(self.detail)
            return
        if not self.show_view(target):
            return
        if target.kind is NavKind.DOSSIER:
            # The stream lists the papers it cites; the detail shows the dossier until the
            # cursor moves.
            self._keep_detail = True
            self.detail_pk = None
            if not self.show_dossier(target.value):
                self.dossier_slug = None
                self.detail.show_message("Dossier", "This dossier is no longer in the library.")
            self._focus(self.detail)
            return
        self._focus(self.stream)

    def river_posts(self, tag: str) -> list[Post]:
        """The cards of river ``tag``: the active claims (all of them with ``river_history``) of
        the dossiers that cite papers with the tag, then the imported posts."""
        claims = river_claims(self.library, tag, include_inactive=self.river_history)
        return claims + self.library.posts(tag)

    def jump(self, target: NavTarget) -> None:
        """Highlight ``target`` in the navigation and show it (the command palette's jumps)."""
        self.nav.highlight(target)
        self.choose(target)

    # -- the paper shown ------------------------------------------------------------------------
    @on(PaperStream.Highlighted)
    def _highlighted(self, event: PaperStream.Highlighted) -> None:
        if self._keep_detail:
            self._keep_detail = False
            return
        if not event.moved and self.dossier_slug is not None:
            return  # the dossier being tended stays shown while its cited papers change
        self._cancel_read_timer()
        self.dossier_slug = None
        self.detail_pk = event.paper.pk if event.paper is not None else None
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self._show_highlighted)

    def _show_highlighted(self) -> None:
        """Show the paper the cursor rests on (``detail_pk``) in the detail pane."""
        self._detail_timer = None
        if self.dossier_slug is not None:
            return  # a dossier was chosen meanwhile
        if self.detail_pk is None:
            self.detail.show_message("Paper", "No papers in this view.")
        else:
            self.detail.show_paper(self.shown_record(self.detail_pk))

    def _show_detail_now(self) -> None:
        """Show a pending highlight at once (before an action reads or replaces the pane)."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._show_highlighted()

    def _open_paper(self, paper: PaperSummary) -> None:
        """Enter on a paper (the stream's ``opener``): the detail pane shows it and takes the
        focus; it is marked read after the delay if it is still shown then."""
        self._show_detail_now()
        if self.detail_pk != paper.pk:
            self.dossier_slug = None
            self.detail_pk = paper.pk
            self.detail.show_paper(self.shown_record(paper.pk))
        self._focus(self.detail)
        self._cancel_read_timer()
        if self.mark_read_after > 0 and paper.state is TriageState.NEW:
            self._read_timer = self.set_timer(
                self.mark_read_after, partial(self._opened_long_enough, paper.pk)
            )

    def _opened_long_enough(self, pk: int) -> None:
        """Mark an opened paper read if it is still the one shown. The row repaints in place and
        stays in the view (the inbox included) until the next reload, so what is being read
        does not jump away."""
        self._read_timer = None
        if self.detail_pk != pk or self.busy:
            return
        record = self.shown_record(pk)
        if record is None or record.state is not TriageState.NEW:
            return
        try:
            self.library.set_state(pk, TriageState.READ)
        except LibraryError:
            return
        self.decided()
        self.stream.patch(pk, state=TriageState.READ)
        self.detail.show_paper(self.shown_record(pk), keep_scroll=True)
        self.refresh_counts()

    def _cancel_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None

    def paper_acted_on(self, pk: int) -> None:
        self._cancel_read_timer()

    # -- claims -------------------------------------------------------------------------------
    def action_promote(self) -> None:
        """Open the claim editor on the highlighted paper."""
        from river_tui.ui.components.claim_editor import ClaimEditor  # loads on first use

        record = self._record()
        if record is None or not self._writable():
            return
        self.paper_acted_on(record.pk)
        editor = ClaimEditor(self.library, record, self.badges, date.today())
        self.app.push_screen(editor, partial(self._promoted, record.pk))

    def _promoted(self, pk: int, saved: Saved | None) -> None:
        if saved is None:
            return
        self.notify(f"Claim saved to {saved.title}", markup=False)
        self.dossier_changed()
        self.refresh_after(pk)
        if self.dossier_slug == saved.slug:
            self.show_dossier(saved.slug, self.dossier_as_page, keep_scroll=True)

    # -- sort and search ------------------------------------------------------------------------
    def action_cycle_sort(self) -> None:
        self.set_sort(next_sort(self.sort))

    def set_sort(self, sort: Sort) -> None:
        self.sort = sort
        self.view_filter = replace(self.view_filter, sort=sort)
        if self.search_bar:
            self.search_bar.base = self.view_filter
        self.stream.refilter(replace(self.stream.filter, sort=sort))

    @classmethod
    def built_later(cls) -> dict[type[Widget], type[Widget]]:
        """The reader's parts with keys of their own that it builds when first used, each with
        the pane it is built above (the help lists their keys all the same, in that place)."""
        from river_tui.ui.components.search import SearchInput

        return {SearchInput: PaperStream}

    async def action_search(self) -> None:
        if self._search_bar is None:
            from river_tui.ui.components.search import SearchBar

            bar = SearchBar(self.library.path, self.library.beats, id="search")
            # Keys typed meanwhile wait: the app runs this action before it takes the next key.
            await self.query_one("#middle").mount(bar, before=self.stream)
            self._search_bar = bar
        self._search_bar.open(self.view_filter)

    def on_search_bar_applied(self, message: SearchBar.Applied) -> None:
        self.stream.show(self.library, message.filter, self.view_label, message.page)
        if message.final:
            self._leave_search(clear=False)

    def on_search_bar_counted(self, message: SearchBar.Counted) -> None:
        self.stream.counted(message.filter, message.count, message.unread)

    def action_clear_search(self) -> None:
        self._leave_search(clear=True)
        self._show_page(self.view_filter, self.view_label)

    def _leave_search(self, clear: bool) -> None:
        """Back to the papers: the stream takes the focus first, so that the keys the search
        input held since Enter go there when the bar closes."""
        self._focus(self.stream)
        if self.search_bar:
            self.search_bar.close(clear=clear)

    def action_save_search(self) -> None:
        query = self.search_bar.text if self.search_bar else ""
        if not query:
            self.notify("Type a search first, then ctrl+s saves it.", markup=False)
            return
        if self.search_bar and self.search_bar.error:
            self.notify("This query has an error: fix it before saving.", markup=False)
            return

        def named(name: str | None) -> None:
            if not name or not (name := search_name(name)):
                return
            kept = load_searches(self.library).get(name)
            if kept is None or kept == query.strip():
                self._save_search(name, query)
                return
            from river_tui.ui.components.dialogs import ConfirmScreen  # loads on first use

            def answered(yes: bool | None) -> None:
                if yes:
                    self._save_search(name, query)
                else:
                    ask(name)  # another name, then

            question = f"Replace the saved search “{name}” ({kept}) with {query}?"
            self.app.push_screen(ConfirmScreen(question), answered)

        def ask(value: str) -> None:
            about = Text("Name for the search ")
            about.append(query, style="italic")
            self.app.push_screen(name_screen("Save the search", about, value=value), named)

        ask(query)

    def _save_search(self, name: str, query: str) -> None:
        try:
            save_search(self.library, name, query)
        except LibraryError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(f"Saved the search “{name}”: {query}", markup=False)
        self.refresh_counts()

    @on(NavPane.DeleteSearch)
    def _delete_search(self, event: NavPane.DeleteSearch) -> None:
        """Asks first: the undo key takes back triage decisions, and a saved search is none."""
        from river_tui.ui.components.dialogs import ConfirmScreen  # loads on first use

        name = event.name
        query = next((q for n, q, _count in self.counts.searches if n == name), "")
        question = f"Delete the saved search “{name}”" + (f" ({query})?" if query else "?")

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_saved(name)

        self.app.push_screen(ConfirmScreen(question), answered)

    def _delete_saved(self, name: str) -> None:
        try:
            deleted = delete_search(self.library, name)
        except LibraryError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if deleted:
            self.notify(f"Deleted the saved search “{name}”.", markup=False)
        if self.view == NavTarget(NavKind.SEARCH, name):
            self.show_view(INBOX)
            self.nav.highlight(INBOX)
        self.refresh_counts()
