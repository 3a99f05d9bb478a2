"""River's reader: a Textual app over one library file."""

from __future__ import annotations

import contextlib
import gc
import weakref
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from river_tui.exports.atomic import ExportError
from river_tui.reader.views import INBOX, NavTarget, remembered_view
from river_tui.remembered import load_reading, load_theme, save_reading, save_theme
from river_tui.settings import Settings
from river_tui.store.library import Library
from river_tui.store.papers import Sort
from river_tui.ui.components.detail import DetailPane
from river_tui.ui.components.nav import NavPane
from river_tui.ui.components.reader import ReaderScreen
from river_tui.ui.components.stream import PaperStream
from river_tui.ui.keys import binding_ids
from river_tui.ui.opener import Browser, system_browser
from river_tui.ui.render import INERT_LINES

if TYPE_CHECKING:  # the refresh (httpx, the parsers) and the importers load when first used
    from textual.command import Provider
    from textual.filter import LineFilter

    from river_tui.reader.session import ReaderSession
    from river_tui.refresh import Event, RefreshReport


def river_commands() -> type[Provider]:
    """The palette's River commands: loaded when the palette first opens (Textual calls this)."""
    from river_tui.ui.components.palette import RiverCommands

    return RiverCommands


def dialog_classes() -> list[type[Screen[object]]]:
    """Every dialog with keys of its own (the help lists them, ``[keys]`` remaps them). They
    are imported here, when first needed, not before the first screen."""
    from river_tui.ui.components.authors import AuthorsScreen
    from river_tui.ui.components.claim_editor import ClaimEditor
    from river_tui.ui.components.dialogs import BeatScreen, ConfirmScreen, NameScreen, PickScreen
    from river_tui.ui.components.dossiers import ClaimTextScreen, DossierListScreen
    from river_tui.ui.components.feeds import FeedsScreen
    from river_tui.ui.components.note_editor import NoteEditor
    from river_tui.ui.components.suggestions import SuggestScreen
    from river_tui.ui.components.tagger import TagScreen

    return [
        TagScreen,
        BeatScreen,
        NameScreen,
        ClaimEditor,
        PickScreen,
        ConfirmScreen,
        DossierListScreen,
        ClaimTextScreen,
        NoteEditor,
        SuggestScreen,
        AuthorsScreen,
        FeedsScreen,
    ]


SEED_GROUP = "seed-sample"
REFRESH_GROUP = "refresh"
WATCH_SECONDS = 1.0
"""How often the reader looks for commits by other processes."""


class RiverApp(App[None]):
    """Three panes over the library at ``db_path``; imports the sample into an empty one."""

    CSS_PATH = "river.tcss"
    TITLE = "River"
    HELP_GROUP = "Everywhere"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),  # and on each dialog without text: QUIT
        Binding("question_mark", "help", "Help", id="help"),
        Binding("R", "refresh", "Refresh", id="refresh"),
        Binding(
            "ctrl+p", "command_palette", "Command palette", show=False, priority=True, id="palette"
        ),
    ]
    COMMANDS = App.COMMANDS | {river_commands}

    class SampleSeeded(Message):
        """The bundled sample was imported by the seeding worker."""

        def __init__(self, papers: int) -> None:
            super().__init__()
            self.papers = papers

    class RefreshProgress(Message):
        """A refresh job started or finished (posted from the refresh worker's thread)."""

        def __init__(self, event: Event) -> None:
            super().__init__()
            self.event = event

    class RefreshDone(Message):
        def __init__(self, report: RefreshReport) -> None:
            super().__init__()
            self.report = report

    def __init__(
        self,
        db_path: Path,
        config: Settings,
        state_dir: Path | None = None,
        library: Library | None = None,
        browser: Browser | None = None,
    ) -> None:
        """``library``: the library at ``db_path``, already open (the app closes it when it
        quits); by default the app opens it. ``browser``: what opens a web link (by default
        the system's, through :mod:`webbrowser`)."""
        super().__init__()
        self.browser: Browser = browser or system_browser
        """Opens a web link and says whether a browser took it; called off the UI thread, only
        with links that pass the link rule (:mod:`river_tui.domain.links`)."""
        self.db_path = db_path
        self.config = config
        self.state_dir = state_dir
        """Where the cross-process arXiv rate limit lives (None: this process only)."""
        self.library: Library | None = library
        self.reader: ReaderScreen | None = None
        self._sent_to: weakref.WeakKeyDictionary[events.Key, object] = weakref.WeakKeyDictionary()
        """Where each key was sent (the widget focused when it arrived); see :meth:`on_key`."""
        self._remembered_theme: str | None = None
        if state_dir is not None:
            theme = load_theme(state_dir)
            if theme in self.available_themes:
                self._remembered_theme = theme
                self.theme = theme

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then River's output boundary (``render.InertLines``): every line
        any widget draws is made inert before it is written to the terminal."""
        return [*super().get_line_filters(), INERT_LINES]

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._sent_to[event] = self.focused  # Textual sends it there now
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """A key back from the widget it was sent to, for the bindings. If the focus moved in
        between, a key before it moved the focus ('t' to the tagger) and this one was typed
        ahead, for where the focus is now: 'tasx' arriving at once (over SSH, from a fast
        typist) is a tag, not an archive, a star and a skip of papers. It is sent there again,
        instead of to the bindings of the pane it left. ('/' is a priority binding: the app
        opens the search bar before it takes the next key, and this is not needed.)"""
        sent_to = self._sent_to.pop(event, self.focused)
        if sent_to is not self.focused:
            event.prevent_default()
            self.post_message(events.Key(event.key, event.character).set_sender(self))

    def watch_theme(self, theme: str) -> None:
        """A theme chosen (the palette's *Theme*) is the one River opens with next time."""
        if self.state_dir is None or theme == self._remembered_theme:
            return
        try:
            save_theme(self.state_dir, theme)
        except ExportError as exc:
            self.notify(f"The theme is not remembered: {exc}", severity="warning", markup=False)
            return
        self._remembered_theme = theme

    def get_default_screen(self) -> Screen[None]:
        """The reader is the first screen on the stack, instead of being pushed over Textual's
        empty default one: one screen fewer to compose, style and show before the first frame
        (13-19 ms of the start-up)."""
        if self.library is None:
            self.library = Library.open(self.db_path, self.config.beats)
        self.reader = ReaderScreen(
            self.library,
            self.config.reader.mark_read_after_seconds,
            self.config.badges.badges,
            move_on=self.config.reader.move_on,
            start=self._start(),
            feeds=self.config.sources.feeds,
        )
        return self.reader

    async def on_mount(self) -> None:
        self.apply_keys()
        assert self.library is not None and self.reader is not None
        # The reader mounts on its own (the app's mount may come first): wait for it, so that
        # what follows finds its panes and keys typed meanwhile (a `q`) wait for it too.
        await self.reader.ready.wait()
        self.call_after_refresh(self._after_first_frame)
        if self.library.is_empty():
            self.reader.set_activity("importing the bundled sample…")
            self.notify("The library is empty: importing the bundled sample…", markup=False)
            self.reader.session.own_write_started()
            self.import_sample()
        self.set_interval(WATCH_SECONDS, self.check_other_writers)

    def _after_first_frame(self) -> None:
        self.collector_on()
        self.schedule_refresh()

    def collector_on(self) -> None:
        """``river`` starts with the cycle collector off (:mod:`river_tui.launch`) and froze
        what its imports made before the reader ran (``cli.cmd_tui``): with the first frame
        painted, the collector is turned on. Mounting the panes with it on cost some 50
        collections, 6 ms; the garbage mounting leaves is not frozen, so the collector frees
        it."""
        if not gc.isenabled():
            gc.enable()

    def schedule_refresh(self) -> None:
        """Refresh every ``interval_minutes``, and now if the last refresh is older than that.
        Called once the first screen is painted: a refresh's thread loads the network and
        parser modules, and would hold the interpreter's lock while the first frame is drawn."""
        assert self.library is not None
        minutes = self.config.sources.interval_minutes
        if minutes:
            self.set_interval(minutes * 60, self.action_refresh)
            last = self.library.last_refresh()
            if last is None or datetime.now(UTC) - last > timedelta(minutes=minutes):
                self.action_refresh()

    def apply_keys(self) -> None:
        """Remap bindings by id from ``[keys]`` in config.toml; report unknown ids once."""
        keys = self.config.reader.keys
        if not keys:
            return  # nothing to remap: the dialogs and the help load when first opened
        from river_tui.ui.components.help import HelpScreen  # a seam: the dialogs

        panes = [type(self), ReaderScreen, NavPane, PaperStream, DetailPane]
        known = binding_ids([*panes, *ReaderScreen.built_later(), HelpScreen, *dialog_classes()])
        unknown = sorted(set(keys) - known)
        self.set_keymap({k: v for k, v in keys.items() if k in known})
        if unknown:
            names = ", ".join(unknown)
            self.notify(
                f"[keys] in config.toml: no binding has the id {names} (? lists the ids).",
                title="Unknown key binding",
                severity="warning",
                timeout=10,
                markup=False,
            )

    def beats_changed(self, config: Settings) -> None:
        """The beats were edited from the reader (a term added): the refresh and the imports
        open the library with these from now on (with the old ones, it would match the papers
        by the old terms again)."""
        self.config = config

    def feeds_changed(self, config: Settings) -> None:
        """A feed was added, renamed or removed from the reader: the next refresh asks the
        feeds of ``config``, and the navigation lists them."""
        self.config = config
        if self.session is not None:
            self.session.feeds = config.sources.feeds
            self.session.refresh_counts()

    @property
    def session(self) -> ReaderSession | None:
        """The reader's session while River runs (None once it quits: its panes are going)."""
        return self.reader.session if self.reader is not None and self.is_running else None

    def check_other_writers(self) -> None:
        """Another process committed (a `river refresh` from cron, a second reader): show it.
        River's own writes announce themselves, and are not taken for another's."""
        if self.session is not None:
            self.session.other_writers()

    def _start(self) -> tuple[NavTarget, Sort]:
        """The view and sort shown when the reader last quit, if they still hold."""
        if self.state_dir is None:
            return INBOX, Sort.NEWEST
        view, sort = load_reading(self.state_dir)
        beats = [b.name for b in self.config.beats]
        return remembered_view(view, beats), Sort(sort) if sort in set(Sort) else Sort.NEWEST

    def on_unmount(self) -> None:
        if self.state_dir is not None and self.reader is not None:
            session = self.reader.session
            with contextlib.suppress(ExportError):  # a preference, not data: never in the way
                save_reading(self.state_dir, session.view.key, str(session.sort))
        if self.library is not None:
            self.library.close()
            self.library = None

    @work(thread=True, exclusive=True, exit_on_error=False, group=SEED_GROUP)
    def import_sample(self) -> None:
        """Fill the empty library from a thread, through a connection of its own."""
        from river_tui.importing import seed_sample  # a seam: the parsers
        from river_tui.store.ingest import Outcome

        worker = get_current_worker()
        with Library.open(self.db_path, self.config.beats) as library:
            reports = seed_sample(library)
        if not worker.is_cancelled:
            papers = sum(report.papers[Outcome.NEW] for report in reports)
            self.post_message(self.SampleSeeded(papers))

    @on(SampleSeeded)
    def _sample_seeded(self, event: SampleSeeded) -> None:
        if self.session is not None and self.reader is not None:
            self.session.changed()
            self.session.own_write_ended()
            self.reader.set_activity("")
        self.notify(f"Imported the bundled sample: {event.papers} papers.", markup=False)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == REFRESH_GROUP and event.state is WorkerState.ERROR:
            if self.session is not None and self.reader is not None:
                self.session.own_write_ended()
                self.reader.set_activity("")
            self.notify(f"Refresh failed: {event.worker.error}", severity="error", markup=False)
        if event.worker.group == SEED_GROUP and event.state is WorkerState.ERROR:
            if self.session is not None and self.reader is not None:
                self.session.own_write_ended()
                self.reader.set_activity("the sample could not be imported")
            self.notify(
                f"Could not import the sample: {event.worker.error}",
                severity="error",
                markup=False,  # the error may quote the file it choked on
            )

    # -- the background refresh -------------------------------------------------------------------
    def action_refresh(self) -> None:
        """Refresh now (a refresh already running is left to finish)."""
        if any(w.group == REFRESH_GROUP and w.is_running for w in self.workers):
            self.notify("A refresh is already running.", markup=False)
            return
        if self.session is not None:
            self.session.own_write_started()  # each landed job announces itself
        self.run_refresh()

    @work(thread=True, exclusive=True, exit_on_error=False, group=REFRESH_GROUP)
    def run_refresh(self) -> None:
        """Fetch and store from a thread, through a connection and a client of its own."""
        from river_tui.refresh import Refresher, make_fetcher, plan

        worker = get_current_worker()
        sources = self.config.sources
        with (
            Library.open(self.db_path, self.config.beats) as library,
            make_fetcher(sources, self.state_dir) as fetcher,
        ):
            jobs = plan(self.config.beats, sources, watched=library.watched())
            report = Refresher(library, fetcher, sources).run(
                jobs,
                on_event=lambda event: self.post_message(self.RefreshProgress(event)),
                cancelled=lambda: worker.is_cancelled,
            )
        if not worker.is_cancelled:
            self.post_message(self.RefreshDone(report))

    @on(RefreshProgress)
    def _refresh_progress(self, message: RefreshProgress) -> None:
        from river_tui.refresh import JobStarted  # loaded by the refresh already

        event = message.event
        if self.reader is None or self.session is None:
            return
        if isinstance(event, JobStarted):
            self.reader.set_activity(
                f"refreshing {event.index + 1}/{event.total}: {event.job.label}"
            )
        elif event.result.landed:
            self.session.changed()  # new papers appear; the cursor keeps its paper

    @on(RefreshDone)
    def _refresh_done(self, message: RefreshDone) -> None:
        report = message.report
        if self.session is not None and self.reader is not None:
            self.session.own_write_ended()
            self.reader.set_activity("")
        if report.offline:
            self.notify("Offline: no source could be reached.", severity="warning", markup=False)
            return
        # Jobs that failed alike (a host asked to wait, so its other jobs were not sent) are
        # said once: "B0 · Hugging Face and 2 more: …".
        failed: dict[str, list[str]] = {}
        for result in report.results:
            if result.error:
                failed.setdefault(result.error, []).append(result.job.label)
        for error, labels in failed.items():
            who = labels[0] + (f" and {len(labels) - 1} more" if len(labels) > 1 else "")
            self.notify(f"{who}: {error}", severity="error", markup=False)
        new = sum(r.new for r in report.results)
        if new:
            self.notify(f"{new} new papers.", markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Textual's key panel: River's help replaces it
                yield command
        yield SystemCommand("Keys", "Every key, as configured, with its id", self.action_help)
        yield SystemCommand(
            "Refresh", "Fetch new papers from every source now", self.action_refresh
        )

    def action_help(self) -> None:
        from river_tui.ui.components.help import (  # a seam: the dialogs
            HelpScreen,
            binding_sections,
            dialog_sections,
        )

        if not isinstance(self.screen, HelpScreen):
            screen = self.screen
            later = screen.built_later() if isinstance(screen, ReaderScreen) else {}
            sections = binding_sections(self, screen, later)
            sections += dialog_sections(self, dialog_classes())
            self.push_screen(HelpScreen(sections))
