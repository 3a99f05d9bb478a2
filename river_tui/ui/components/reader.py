"""The reader: navigation, paper stream (with its search bar) and detail side by side.

The screen draws a :class:`~river_tui.reader.session.ReaderSession` and sends it the keys; it
hears what to draw again as the session's listener. The paper keys that open dialogs or reach
outside (a browser, the clipboard) are :class:`~river_tui.ui.components.triage.PaperKeys`; the
dossier keys are :class:`~river_tui.ui.components.tending.Tending`."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer

from river_tui.domain import TriageState
from river_tui.domain.badges import DEFAULT_BADGES
from river_tui.reader.session import ReaderSession, Severity
from river_tui.reader.views import INBOX, PAGED, NavKind, NavTarget
from river_tui.remembered import load_searches, search_name
from river_tui.settings import FeedConfig
from river_tui.store.library import Library
from river_tui.store.papers import Sort
from river_tui.ui.components.detail import DetailPane
from river_tui.ui.components.nav import NavPane
from river_tui.ui.components.search import SearchBar, SearchInput
from river_tui.ui.components.status import StatusLine
from river_tui.ui.components.stream import PaperStream
from river_tui.ui.components.triage import PAPER_BINDINGS, PAPER_HELP, PaperKeys
from river_tui.ui.keys import DOSSIER_HELP, TENDING_BINDINGS
from river_tui.ui.workers import WorkerExecutor

if TYPE_CHECKING:
    from textual.widgets import Markdown

    from river_tui.domain import PaperSummary
    from river_tui.domain.papers import PaperRecord
    from river_tui.ui.components.feeds import FeedKeeper
    from river_tui.ui.components.tending import Tending

COUNT_AT_LATEST = 0.5
"""Seconds after a view is shown by which its counting starts, painted or not."""
COUNT_WHEN_RESTING = 0.3
"""Seconds a search's results stay without another key before they are counted: counting a
broad search takes seconds in a library of a million papers, and a count started at every
key took the cores from the next key's search (its query cannot be stopped halfway)."""
DETAIL_DELAY = 0.05
"""Seconds the cursor rests on a paper before the detail pane shows it. The cursor's own
repaint comes first, in its own frame; a held-down key updates the detail once, at the end."""


class ReaderScreen(Screen[None]):
    """Reads through ``library`` (opened on the UI thread); writes only the reader's decisions."""

    HELP_GROUP = "Panes"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next pane", show=False, id="focus-next"),
        Binding(
            "shift+tab", "app.focus_previous", "Previous pane", show=False, id="focus-previous"
        ),
        *PAPER_BINDINGS,
        *TENDING_BINDINGS,
        Binding("F", "feeds", "Feeds: add, rename, remove", show=False, id="feeds.open"),
    ]

    def __init__(
        self,
        library: Library,
        mark_read_after: float = 0.0,
        badges: Sequence[str] = DEFAULT_BADGES,
        move_on: bool = True,
        start: tuple[NavTarget, Sort] = (INBOX, Sort.NEWEST),
        feeds: tuple[FeedConfig, ...] = (),
    ) -> None:
        super().__init__()
        self.ready = asyncio.Event()
        """Set once the reader is mounted and shows its first view (the app waits for it)."""
        self.library = library
        self.badges = tuple(badges)
        """The claim badges of the config, offered by the claim editor and the re-badging."""
        self.mark_read_after = mark_read_after
        """Seconds after opening a paper before it is marked read (0: never)."""
        self.session = ReaderSession(library, WorkerExecutor(self), self)
        self.session.decisions.move_on = move_on
        self.session.feeds = feeds
        self.start = start
        """The view and the sort the reader opens on (where it was when it last quit)."""
        self.papers = PaperKeys(self, self.session, self.badges)
        self._tending: Tending | None = None
        self._feeds: FeedKeeper | None = None
        self.detail_pk: int | None = None
        """The paper the detail pane shows, or is about to (None: a dossier, a river or
        nothing)."""
        self.dossier_slug: str | None = None
        """The dossier the detail pane shows (None: a paper, a river or nothing)."""
        self.pinned = False
        """The detail pane shows the view's own page (a dossier, a river's posts, the claims
        under review) until the cursor moves, not the paper under the cursor."""
        self.dossier_as_page = False
        """The dossier shown is shown as its page (its Markdown export), not as cards."""
        self._read_timer: Timer | None = None
        self._detail_timer: Timer | None = None
        self._count_timer: Timer | None = None
        """Counts a search's results once the typing rests (:data:`COUNT_WHEN_RESTING`)."""
        self._painted = False
        """The first frame is painted (until then the detail pane waits: see on_mount)."""
        self._search_bar: SearchBar | None = None
        self._nav_placed = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield NavPane(self.choose, id="nav")
            with Vertical(id="middle"):
                yield PaperStream(self.session, id="stream")
            detail = DetailPane(id="detail")
            detail.part_reader = self.library.paper_part
            detail.followed_in = self.session.authors.followed_in
            detail.note_for = self._shared_note
            yield detail
        yield StatusLine(self.library.path, id="status")
        yield Footer(compact=True)

    @property
    def tending(self) -> Tending:
        """The dossier keys. A seam (tests/test_layers.py): they and the claims modules load
        with the first dossier shown or key pressed."""
        if self._tending is None:
            from river_tui.ui.components.tending import Tending

            self._tending = Tending(self)
        return self._tending

    @property
    def feeds(self) -> FeedKeeper:
        """The Feeds dialog and the changes made from it (a seam: it loads tomlkit)."""
        if self._feeds is None:
            from river_tui.ui.components.feeds import FeedKeeper

            self._feeds = FeedKeeper(self)
        return self._feeds

    @property
    def nav(self) -> NavPane:
        return self.query_one(NavPane)

    @property
    def stream(self) -> PaperStream:
        return self.query_one(PaperStream)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def search_bar(self) -> SearchBar | None:
        """The search bar, once ``/`` has opened it: it is not built before (an input fewer to
        load, compose, style and draw before the first screen)."""
        return self._search_bar

    @property
    def detail_caught_up(self) -> bool:
        """The detail pane shows the paper the cursor rests on (it follows the cursor after a
        short rest, :data:`DETAIL_DELAY`)."""
        return self._detail_timer is None

    def on_mount(self) -> None:
        try:
            self.nav.border_title = Text("River")
            # Counting every view takes a while in a big library: the first screen does not
            # wait, and the counting thread starts once it is painted (it loads the claims
            # modules, which would hold the interpreter's lock while the first frame is drawn).
            self.nav.show_counts(self.session.counts)
            self.call_after_refresh(self.session.refresh_counts)
            # So does the detail pane: the first paper's full record loads its modules (ids,
            # papers, hashlib). A dialog closed before it is drawn drops the callback: the
            # timer makes sure.
            self.call_after_refresh(self._first_frame_painted)
            self.set_timer(COUNT_AT_LATEST, self._first_frame_painted)
            self.stream.opener = self._open_paper
            view, self.session.sort = self.start
            if view != INBOX:
                self.nav.highlight(view)
            if not self.session.show_view(view):
                self.session.show_view(INBOX)
            self.stream.focus()
        finally:
            self.ready.set()  # even when this failed: the app is not left waiting

    def on_screen_suspend(self) -> None:
        """A dialog is on top: the footer's keys are the reader's, which do not reach it, so
        the footer is hidden under the dialog (its row kept), not left advertising them."""
        self.query_one(Footer).visible = False

    def on_screen_resume(self) -> None:
        self.query_one(Footer).visible = True

    def set_activity(self, activity: str) -> None:
        self.query_one(StatusLine).set_activity(activity)

    def help_group_of(self, binding: Binding) -> str:
        """The help's section for one of the screen's bindings."""
        if binding.id and binding.id.startswith("stream."):
            return PAPER_HELP
        if binding.id and binding.id.startswith(("dossier.", "river.")):
            return DOSSIER_HELP
        if binding.id and binding.id.startswith("feeds."):
            return "Feeds"
        return "Panes"

    @classmethod
    def built_later(cls) -> dict[type[Widget], type[Widget]]:
        """The reader's parts with keys of their own that it builds when first used, each with
        the pane it is built above (the help lists their keys all the same, in that place)."""
        return {SearchInput: PaperStream}

    # -- focus ----------------------------------------------------------------------------------
    def action_focus_pane(self, pane: str) -> None:
        """Focus ``nav``, ``stream`` or ``detail``. Back to the stream from a dossier's page
        (which hides it) shows the dossier's claim cards beside it again."""
        hidden = not self.query_one("#middle").display
        if pane == "stream" and hidden and self.dossier_slug is not None:
            self.show_dossier(self.dossier_slug, page=False, keep_scroll=False)
        self._focus(self.query_one(f"#{pane}", Widget))

    def _focus(self, widget: Widget) -> None:
        """Focus ``widget`` now. ``Widget.focus`` waits its turn in the app's queue, behind keys
        typed with the one that moved it: ``h j ⏎`` at once would move the stream's cursor and
        open a paper (marking it read) instead of choosing the next view in the left pane."""
        self.set_focus(widget)

    # -- what the session changed (its listener) -------------------------------------------
    def view_shown(self) -> None:
        self.stream.view_shown()
        if self._count_timer is not None:
            self._count_timer.stop()  # for the rows shown before
            self._count_timer = None
        if self.session.rows.counting and self.session.searching():
            self._count_timer = self.set_timer(COUNT_WHEN_RESTING, self.session.count_view)
        elif self.session.rows.counting:
            # The count starts once the page is painted: opening its connection would share
            # the interpreter with the drawing of the page (7 ms longer to the first screen).
            # Textual runs an after-refresh callback on the screen on top when it is handed
            # over, and drops it if that screen closes before it is drawn: a timer makes sure.
            self.call_after_refresh(self.session.count_view)
            self.set_timer(COUNT_AT_LATEST, self.session.count_view)

    def rows_changed(self, kept_from: int | None = None) -> None:
        self.stream.rows_changed(kept_from)

    def row_changed(self, index: int) -> None:
        self.stream.row_changed(index)

    def cursor_moved(self, old: int) -> None:
        self.stream.cursor_moved(old)

    def highlighted(self, paper: PaperSummary | None, moved: bool) -> None:
        """The detail pane follows the cursor once it rests (:data:`DETAIL_DELAY`)."""
        if not moved and self.pinned:
            return  # the view's page (a dossier being tended) stays while its papers change
        self._cancel_read_timer()
        self.dossier_slug, self.pinned = None, False
        self.detail_pk = paper.pk if paper is not None else None
        self._stop_detail_timer()
        self._detail_timer = self.set_timer(
            DETAIL_DELAY, self._show_highlighted, pause=not self._painted
        )

    def _first_frame_painted(self) -> None:
        if not self._painted:
            self._painted = True
            if self._detail_timer is not None:
                self._detail_timer.resume()

    def counts_changed(self) -> None:
        self.nav.show_counts(self.session.counts)
        if not self._nav_placed:  # a tag's entry is listed once counted: the start's view
            self._nav_placed = True
            self.nav.highlight(self.session.view)
        self.session.learner.start()  # the first screen is up: learning may begin

    def library_changed(self, pk: int | None, record: PaperRecord | None) -> None:
        shown = self.detail_pk
        if shown is not None and (pk is None or pk == shown):
            self.detail.show_paper(
                record or self.session.shown_record(shown),
                keep_scroll=True,
                why=self.session.why(shown),
            )

    def acted_on(self, pk: int) -> None:
        self._cancel_read_timer()

    def said(self, message: str, severity: Severity) -> None:
        self.notify(message, severity=severity, markup=False)

    def search_found(self) -> None:
        if self._search_bar is not None:
            self._search_bar.show_error()

    def search_failed(self) -> None:
        if self._search_bar is not None:
            self._search_bar.show_error()
            self._search_bar.input.release()  # the bar stays: the keys are the query's

    def search_kept(self) -> None:
        self._leave_search(clear=False)

    def search_reset(self) -> None:
        if self._search_bar is not None:
            self._search_bar.close(clear=True)

    # -- views ----------------------------------------------------------------------------------
    def choose(self, target: NavTarget) -> None:
        """Show what a navigation entry stands for."""
        if target.kind is NavKind.DOSSIERS:
            self.tending.dossiers()  # a dialog: the pane keeps what it shows until one is chosen
            return
        self._stop_detail_timer()  # the pane is about to show something else
        if not self.session.show_view(target):
            return
        self._page_wide(False)
        self.dossier_as_page = False
        if target.kind not in PAGED:
            self._focus(self.stream)
            return
        # The stream lists the view's papers (a dossier's or a river's cited papers, those of
        # the claims under review); the detail shows its page until the cursor moves.
        self._stop_detail_timer()
        self.detail_pk, self.dossier_slug, self.pinned = None, None, True
        if target.kind is NavKind.RIVER:
            self.detail.show_posts(target.value, self.session.river_posts(target.value))
        elif target.kind is NavKind.REVIEW:
            self.detail.show_review(self.library.under_review())
        elif not self.show_dossier(target.value):
            self.detail.show_message("Dossier", "This dossier is no longer in the library.")
        self._focus(self.detail)

    def jump(self, target: NavTarget) -> None:
        """Highlight ``target`` in the navigation and show it (the command palette's jumps)."""
        self.nav.highlight(target)
        self.choose(target)

    def show_dossier(self, slug: str, page: bool = False, keep_scroll: bool = False) -> bool:
        """Show dossier ``slug`` in the detail pane, as claim cards or as its page (False: it is
        not in the library)."""
        dossier = self.library.dossier(slug)
        if dossier is None:
            return False
        self.dossier_slug, self.dossier_as_page = dossier.slug, page
        self._page_wide(page)
        if page:
            from river_tui.exports.dossier_md import render_dossier  # the claims seam
            from river_tui.reader.claims import public_dossier

            markdown = render_dossier(public_dossier(dossier, self.library.find))
            self.detail.show_dossier_page(markdown, keep_scroll)
            self._focus(self.detail)
        else:
            self.detail.show_dossier(dossier, keep_scroll)
        return True

    def _page_wide(self, page: bool) -> None:
        """A dossier's page takes the stream's width too (the stream returns with the cards or
        any other view)."""
        self.query_one("#middle").display = not page

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """A link of a dossier page: opened as ``o`` opens one (web links only)."""
        event.stop()
        self.papers.open_url(event.href)

    def dossier_saved(self, slug: str) -> None:
        """A claim was saved to dossier ``slug``: if it is shown, show it again."""
        if self.dossier_slug == slug:
            self.show_dossier(slug, self.dossier_as_page, keep_scroll=True)

    # -- the paper shown ------------------------------------------------------------------------
    def _shared_note(self, pk: int) -> str:
        """What the detail pane says above a paper in a view of similar papers."""
        shared = self.session.shared_words(pk)
        return f"shared: {', '.join(shared)}" if shared else ""

    def _show_highlighted(self) -> None:
        """Show the paper the cursor rests on (``detail_pk``) in the detail pane."""
        self._detail_timer = None
        if self.pinned:
            return  # a view with a page of its own was chosen meanwhile
        if self.detail_pk is None:
            self.detail.show_message("Paper", "No papers in this view.")
        else:
            pk = self.detail_pk
            self.detail.show_paper(self.session.shown_record(pk), why=self.session.why(pk))

    def _stop_detail_timer(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None

    def _open_paper(self, paper: PaperSummary) -> None:
        """Enter on a paper (the stream's ``opener``): the detail pane shows it and takes the
        focus; it is marked read after the delay if it is still shown then."""
        if self._detail_timer is not None:  # a pending highlight first
            self._stop_detail_timer()
            self._show_highlighted()
        if self.detail_pk != paper.pk:
            self.dossier_slug, self.pinned = None, False
            self.detail_pk = paper.pk
            self.detail.show_paper(
                self.session.shown_record(paper.pk), why=self.session.why(paper.pk)
            )
        self._focus(self.detail)
        self._cancel_read_timer()
        if self.mark_read_after > 0 and paper.state is TriageState.NEW:
            self._read_timer = self.set_timer(
                self.mark_read_after, partial(self._opened_long_enough, paper.pk)
            )

    def _opened_long_enough(self, pk: int) -> None:
        """Mark an opened paper read if it is still the one shown."""
        self._read_timer = None
        if self.detail_pk == pk:
            self.session.decisions.mark_opened_read(pk)

    def _cancel_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None

    # -- the keys -------------------------------------------------------------------------------
    def action_toggle_state(self, state: str) -> None:
        self.session.decisions.toggle_state(TriageState(state))

    def action_star(self) -> None:
        self.session.decisions.star()

    def action_undo(self) -> None:
        self.session.decisions.undo()

    def action_mark_all_read(self) -> None:
        self.session.decisions.mark_all_read()

    def action_cycle_sort(self) -> None:
        self.session.cycle_sort()

    def action_similar(self) -> None:
        if self.session.show_similar():
            self._focus(self.stream)

    def action_back(self) -> None:
        if self.session.narrowed():
            self.session.clear_narrowing()
            self._focus(self.stream)
        elif self.session.back():
            self._focus(self.stream)

    def action_next_unread(self) -> None:
        self.session.next_unread()

    def action_previous_unread(self) -> None:
        self.session.next_unread(forward=False)

    def action_toggle_unread(self) -> None:
        self.session.toggle_unread_only()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc clears a search or the unread filter, or goes back from a view of similar
        papers, and is not taken anywhere else."""
        if action == "back":
            return self.session.narrowed() or self.session.view.kind is NavKind.SIMILAR
        return True

    def action_tag(self) -> None:
        self.papers.tag()

    def action_beat(self) -> None:
        self.papers.beat()

    def action_note(self) -> None:
        self.papers.note()

    def action_open_page(self) -> None:
        self.papers.open_page()

    def action_open_pdf(self) -> None:
        self.papers.open_pdf()

    def action_copy_link(self) -> None:
        self.papers.copy_link()

    def action_copy_bibtex(self) -> None:
        self.papers.copy_bibtex()

    def action_promote(self) -> None:
        self.papers.promote()

    def action_suggest(self) -> None:
        self.papers.suggest()

    def action_authors(self) -> None:
        self.papers.authors()

    def action_follow(self) -> None:
        self.papers.follow()

    def action_feeds(self) -> None:
        self.feeds.open()

    def action_dossiers(self) -> None:
        self.tending.dossiers()

    def action_toggle_page(self) -> None:
        self.tending.toggle_page()

    def action_toggle_history(self) -> None:
        self.tending.toggle_history()

    def action_rebadge(self) -> None:
        self.tending.rebadge()

    def action_requote(self) -> None:
        self.tending.requote()

    def action_weigh(self) -> None:
        self.tending.weigh()

    def action_edit_claim(self) -> None:
        self.tending.edit_claim()

    def action_add_source(self) -> None:
        self.tending.add_source()

    def action_remove_source(self) -> None:
        self.tending.remove_source()

    def action_supersede(self) -> None:
        self.tending.supersede()

    def action_retract(self) -> None:
        self.tending.retract()

    # -- search ---------------------------------------------------------------------------------
    async def action_search(self) -> None:
        if self._search_bar is None:
            bar = SearchBar(self.session.search, id="search")
            # Keys typed meanwhile wait: the app runs this action before it takes the next key.
            await self.query_one("#middle").mount(bar, before=self.stream)
            self._search_bar = bar
        self._search_bar.open()

    def action_clear_search(self) -> None:
        self._focus(self.stream)  # first: the keys the input held go there
        self.session.clear_search()

    def _leave_search(self, clear: bool) -> None:
        """Back to the papers: the stream takes the focus first, so that the keys the search
        input held since Enter go there when the bar closes."""
        self._focus(self.stream)
        if self._search_bar is not None:
            self._search_bar.close(clear=clear)

    def action_save_search(self) -> None:
        search = self.session.search
        query = search.text
        if not query:
            self.notify("Type a search first, then ctrl+s saves it.", markup=False)
            return
        if search.error:
            self.notify("This query has an error: fix it before saving.", markup=False)
            return

        def named(name: str | None) -> None:
            if not name or not (name := search_name(name)):
                return
            kept = load_searches(self.library).get(name)
            if kept is None or kept == query.strip():
                self.session.search.save(name, query)
                return
            from river_tui.ui.components.dialogs import ConfirmScreen  # a seam: the dialogs

            def answered(yes: bool | None) -> None:
                if yes:
                    self.session.search.save(name, query)
                else:
                    ask(name)  # another name, then

            question = f"Replace the saved search “{name}” ({kept}) with {query}?"
            self.app.push_screen(ConfirmScreen(question), answered)

        def ask(value: str) -> None:
            about = Text("Name for the search ")
            about.append(query, style="italic")
            from river_tui.ui.components.dialogs import NameScreen  # a seam: the dialogs

            self.app.push_screen(NameScreen("Save the search", about, value=value), named)

        ask(query)

    @on(NavPane.DeleteSearch)
    def _delete_search(self, event: NavPane.DeleteSearch) -> None:
        """Asks first: the undo key takes back triage decisions, and a saved search is none."""
        from river_tui.ui.components.dialogs import ConfirmScreen  # a seam: the dialogs

        name = event.name
        query = self.session.counts.query_of(name) or ""
        question = f"Delete the saved search “{name}”" + (f" ({query})?" if query else "?")

        def answered(yes: bool | None) -> None:
            if yes:
                shown = self.session.view
                self.session.search.delete(name)
                if self.session.view != shown:
                    self.nav.highlight(self.session.view)

        self.app.push_screen(ConfirmScreen(question), answered)
