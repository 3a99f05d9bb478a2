"""Keyboard triage: the actions on the highlighted paper, as a base of the reader screen.

Single-paper decisions are one small transaction each, written on the UI thread; marking a whole
view and undo (which may reverse such a batch) run in a thread worker on a library connection of
their own. Every decision goes through the library's log, so undo works after a restart too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from river_tui.domain import PaperSummary, TriageState
from river_tui.domain.links import is_web_url
from river_tui.domain.text import counted
from river_tui.reader.actions import (
    abstract_url,
    pdf_url,
    refocus_pk,
    toggled,
    undo_message,
)
from river_tui.store.library import Library, LibraryError
from river_tui.ui.components.detail import DetailPane
from river_tui.ui.components.stream import PaperStream
from river_tui.ui.opener import (
    Browser,
    Outcome,
    no_browser,
    open_link,
    refused,
    shown,
    system_browser,
)

if TYPE_CHECKING:  # loaded when first used, not at start
    from river_tui.domain.papers import PaperRecord
    from river_tui.ui.components.dialogs import BeatChoice
    from river_tui.ui.tags import TagChoice

WRITE_GROUP = "write"
BROWSER_GROUP = "browser"
PAPER_HELP = "Papers (from any pane)"

PAPER_BINDINGS: list[BindingType] = [
    Binding("r", "toggle_state('read')", "Read/unread", id="stream.read"),
    Binding("s", "star", "Star", id="stream.star"),
    Binding("x", "toggle_state('skipped')", "Skip", id="stream.skip"),
    Binding("a", "toggle_state('archived')", "Archive", id="stream.archive"),
    Binding("t", "tag", "Tag", id="stream.tag"),
    Binding("b", "beat", "Put on a beat", show=False, id="stream.beat"),
    Binding("u", "undo", "Undo", id="stream.undo"),
    Binding("o", "open_page", "Open the abstract page", show=False, id="stream.open-page"),
    Binding("O", "open_pdf", "Open the PDF", show=False, id="stream.open-pdf"),
    Binding("y", "copy_link", "Copy the link", show=False, id="stream.copy-link"),
    Binding("Y", "copy_bibtex", "Copy a BibTeX entry", show=False, id="stream.copy-bibtex"),
    Binding("A", "mark_all_read", "Mark the view read", show=False, id="stream.mark-all-read"),
    Binding("S", "cycle_sort", "Sort", show=False, id="stream.sort"),
    # A priority binding: the app opens the search bar (and gives it the focus) before it takes
    # the next key, so keys typed right after '/' are the query's, a 'q' too. In the bar, '/'
    # is typed: an input takes the printable keys before priority bindings (for '/', see
    # SearchInput.check_consume_key).
    Binding("slash", "search", "Search", id="stream.search", priority=True),
]


class PaperActions(Screen[None]):
    """What the keys do to the paper under the stream's cursor. The reader screen supplies the
    panes, the known tags and :meth:`refresh_after`."""

    BINDINGS: ClassVar[list[BindingType]] = PAPER_BINDINGS

    library: Library

    class WriteDone(Message):
        """A background write finished: ``done(result)`` runs on the UI thread."""

        def __init__(self, done: Callable[[Any], None], result: Any) -> None:
            super().__init__()
            self.done = done
            self.result = result

    def __init__(self) -> None:
        super().__init__()
        self.busy = ""
        """What a background write is doing ("" when none is running)."""
        self._undos_waiting = 0
        """Undo keys pressed while a write was running: each runs after it, in turn."""
        self._dossier_changed = False
        """A claim was saved or tended since the last paper decision (see :meth:`action_undo`)."""

    # -- supplied by the reader ------------------------------------------------------------------
    @property
    def stream(self) -> PaperStream:
        return self.query_one(PaperStream)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    def known_tags(self) -> list[str]:
        return []

    def refresh_after(self, pk: int | None, focus_pk: int | None = None) -> None:
        """The library changed (paper ``pk``, or many when None): repaint rows and counts."""

    def paper_acted_on(self, pk: int) -> None:
        """The reader acted on paper ``pk`` by hand (a pending mark-as-read is moot)."""

    def dossier_changed(self) -> None:
        """A claim was saved or tended: the next undo says it undoes a paper decision instead."""
        self._dossier_changed = True

    def decided(self) -> None:
        """A paper decision was written (the one an undo takes back now)."""
        self._dossier_changed = False

    def help_group_of(self, binding: Binding) -> str:
        return PAPER_HELP if binding.id and binding.id.startswith("stream.") else "Panes"

    # -- helpers -----------------------------------------------------------------------------
    def _paper(self) -> PaperSummary | None:
        paper = self.stream.highlighted
        if paper is None:
            self.notify("No paper is highlighted.", severity="warning", markup=False)
        return paper

    def shown_record(self, pk: int) -> PaperRecord | None:
        """Paper ``pk`` as the detail pane shows it: its long fields cut to ``DETAIL`` (a paper
        of megabytes is read and drawn as fast as any)."""
        from river_tui.domain.papers import DETAIL

        return self.library.record(pk, DETAIL)

    def _record(self, whole: bool = False) -> PaperRecord | None:
        """The highlighted paper, as shown (``whole``: every field whole, for a BibTeX entry)."""
        paper = self._paper()
        if paper is None:
            return None
        record = self.library.record(paper.pk) if whole else self.shown_record(paper.pk)
        if record is None:
            self.notify("That paper is no longer in the library.", markup=False)
        return record

    def _writable(self) -> bool:
        if self.busy:
            self.notify(f"Still {self.busy}: try again in a moment.", markup=False)
        return not self.busy

    def _write(self, pk: int, change: Callable[[], bool]) -> bool:
        """Run one decision on paper ``pk`` and repaint; False when it changed nothing."""
        if not self._writable():
            return False
        try:
            changed = change()
        except LibraryError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        self.paper_acted_on(pk)
        if changed:
            self.decided()
            self.refresh_after(pk)
        return changed

    def run_write(
        self, doing: str, job: Callable[[Library], Any], done: Callable[[Any], None]
    ) -> None:
        """Run ``job`` on a library of its own in a thread; then ``done(result)`` here."""
        if not self._writable():
            return
        self.busy = doing
        self.decided()
        self._write_worker(job, done)

    @work(thread=True, exit_on_error=False, group=WRITE_GROUP)
    def _write_worker(self, job: Callable[[Library], Any], done: Callable[[Any], None]) -> None:
        with Library.open(self.library.path, self.library.beats) as library:
            result = job(library)
        self.post_message(self.WriteDone(done, result))

    @on(WriteDone)
    def _write_done(self, message: WriteDone) -> None:
        self.busy = ""
        message.done(message.result)
        if self._undos_waiting:
            self._undos_waiting -= 1
            self.action_undo()

    @on(Worker.StateChanged)
    def _write_failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == WRITE_GROUP and event.state is WorkerState.ERROR:
            self.busy = ""
            self._undos_waiting = 0  # undoing on after a failed write would undo blindly
            self.notify(f"Could not write: {event.worker.error}", severity="error", markup=False)

    # -- state, star, tags, beats --------------------------------------------------------------
    def action_toggle_state(self, state: str) -> None:
        if (paper := self._paper()) is None:
            return
        target = toggled(paper.state, TriageState(state))
        self._write(paper.pk, partial(self.library.set_state, paper.pk, target))

    def action_star(self) -> None:
        if (paper := self._paper()) is None:
            return
        self._write(paper.pk, partial(self.library.set_starred, paper.pk, not paper.starred))

    def action_tag(self) -> None:
        from river_tui.ui.components.tagger import TagScreen  # loads on first use

        if (record := self._record()) is None or not self._writable():
            return

        def tagged(choice: TagChoice | None) -> None:
            if choice is None:
                return
            if choice.remove:
                change = partial(self.library.remove_tag, record.pk, choice.tag)
                done, undone = f"Untagged #{choice.tag}", f"#{choice.tag} is not on this paper"
            else:
                change = partial(self.library.add_tag, record.pk, choice.tag)
                done, undone = f"Tagged #{choice.tag}", f"Already tagged #{choice.tag}"
            changed = self._write(record.pk, change)
            self.notify(done if changed else undone, markup=False)

        self.app.push_screen(
            TagScreen(record.paper.title, record.user_tags, self.known_tags()), tagged
        )

    def action_beat(self) -> None:
        if (record := self._record()) is None or not self._writable():
            return
        names = [beat.name for beat in self.library.beats]

        def chosen(choice: BeatChoice | None) -> None:
            if choice is None:
                return
            if choice.remove:
                change = partial(self.library.unassign_beat, record.pk, choice.beat)
                done = f"Taken off {choice.beat}"
            else:
                change = partial(self.library.assign_beat, record.pk, choice.beat)
                done = f"Put on {choice.beat}"
            changed = self._write(record.pk, change)
            self.notify(done if changed else f"Already on {choice.beat}", markup=False)

        from river_tui.ui.components.dialogs import BeatScreen  # loaded when first opened

        screen = BeatScreen(record.paper.title, names, record.manual_beats, record.beats)
        self.app.push_screen(screen, chosen)

    # -- undo and the whole view -------------------------------------------------------------
    def action_undo(self) -> None:
        """Undo the last decision. Pressed while a write is running (``u u u`` in quick
        succession: each undo is one), it waits its turn instead of being refused."""
        if self.busy:
            self._undos_waiting += 1
            return
        if self._dossier_changed:
            # A claim's history only grows: the last change, to a dossier, stays; say so rather
            # than undo an older paper decision, maybe of a paper out of sight, unannounced.
            # Undos still waiting were pressed before that change: they are dropped too.
            self._dossier_changed = False
            self._undos_waiting = 0
            self.notify(
                "The last change, to a dossier, stays in its claim's history: u undoes paper "
                "decisions. Press u again to undo the last of those.",
                severity="warning",
                markup=False,
            )
            return
        self.run_write("undoing", lambda library: library.undo(), self._undone)

    def _undone(self, decisions: list[Any]) -> None:
        pk = refocus_pk(decisions)
        record = self.shown_record(pk) if pk is not None else None
        self.notify(undo_message(decisions, record.paper.title if record else ""), markup=False)
        if decisions:
            self.refresh_after(None, focus_pk=pk)

    def action_mark_all_read(self) -> None:
        flt = self.stream.filter
        if flt.state is None:
            flt = replace(flt, state=TriageState.NEW)  # skipped and archived papers stay so
        if (
            flt.state is TriageState.READ
            or self.stream.row_count == 0
            or (flt.state is TriageState.NEW and self.stream.unread == 0)
        ):
            self.notify("Nothing to mark: no unread paper in this view.", markup=False)
            return
        label = self.stream.label

        def marked(count: int) -> None:
            papers = counted(count, "paper")
            self.notify(f"Marked {papers} in {label} read. u undoes it.", markup=False)
            self.refresh_after(None)

        self.run_write(
            "marking papers read",
            lambda library: library.mark_all(flt, TriageState.READ),
            marked,
        )

    # -- links ------------------------------------------------------------------------------------
    def action_open_page(self) -> None:
        if (record := self._record()) is None:
            return
        self._open(abstract_url(record), "This paper has no link.")

    def action_open_pdf(self) -> None:
        if (record := self._record()) is None:
            return
        self._open(pdf_url(record), "No PDF is known for this paper.")

    def _open(self, url: str | None, missing: str) -> None:
        """Open ``url`` if it is a web link (the link rule), in a thread: a browser can take
        seconds to start. What happened is said when the browser answers."""
        if url is None:
            self.notify(missing, severity="warning", markup=False)
            return
        if not is_web_url(url):
            self.notify(refused(url, "opened"), severity="warning", markup=False)
            return
        self.notify(f"Opening {shown(url)}", markup=False)
        # RiverApp.browser (the seam tests replace); any other app: the system's browser.
        self._browse(url, getattr(self.app, "browser", system_browser))

    @work(thread=True, exit_on_error=False, group=BROWSER_GROUP)
    def _browse(self, url: str, browser: Browser) -> None:
        try:
            outcome = open_link(url, browser)
        except Exception as exc:  # the browser's own failure, said rather than raised
            self.app.call_from_thread(
                self.notify, f"Could not open {shown(url)}: {exc}", severity="error", markup=False
            )
            return
        if outcome is not Outcome.OPENED:
            said = refused(url, "opened") if outcome is Outcome.REFUSED else no_browser(url)
            self.app.call_from_thread(self.notify, said, severity="warning", markup=False)

    def action_copy_link(self) -> None:
        if (record := self._record()) is None:
            return
        url = abstract_url(record)
        if url is None:
            self.notify("This paper has no link.", severity="warning", markup=False)
            return
        if not is_web_url(url):
            self.notify(refused(url, "copied"), severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(url)
        self.notify(f"Copied {shown(url)}", markup=False)

    def action_copy_bibtex(self) -> None:
        if (record := self._record(whole=True)) is None:
            return
        from river_tui.domain.bibtex import bibtex_entry

        entry = bibtex_entry(record.paper)
        self.app.copy_to_clipboard(entry)
        self.notify(f"Copied a BibTeX entry: {entry.splitlines()[0]}", markup=False)
