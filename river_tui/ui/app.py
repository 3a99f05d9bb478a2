"""River's reader: a Textual app over one library file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from river_tui.config import Config
from river_tui.importing import seed_sample
from river_tui.store.library import Library
from river_tui.store.papers import Outcome
from river_tui.ui.components.help import HelpScreen, binding_sections
from river_tui.ui.components.reader import ReaderScreen

SEED_GROUP = "seed-sample"


class RiverApp(App[None]):
    """Three panes over the library at ``db_path``; imports the sample into an empty one."""

    CSS_PATH = "river.tcss"
    TITLE = "River"
    HELP_GROUP = "Everywhere"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", priority=True, id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    @dataclass
    class SampleSeeded(Message):
        """The bundled sample was imported by the seeding worker."""

        papers: int

    def __init__(self, db_path: Path, config: Config) -> None:
        super().__init__()
        self.db_path = db_path
        self.config = config
        self.library: Library | None = None
        self.reader: ReaderScreen | None = None

    async def on_mount(self) -> None:
        self.library = Library.open(self.db_path, self.config.beats)
        self.reader = ReaderScreen(self.library)
        await self.push_screen(self.reader)
        if self.library.is_empty():
            self.reader.set_activity("importing the bundled sample…")
            self.notify("The library is empty: importing the bundled sample…", markup=False)
            self.import_sample()

    def on_unmount(self) -> None:
        if self.library is not None:
            self.library.close()
            self.library = None

    @work(thread=True, exclusive=True, exit_on_error=False, group=SEED_GROUP)
    def import_sample(self) -> None:
        """Fill the empty library from a thread, through a connection of its own."""
        worker = get_current_worker()
        with Library.open(self.db_path, self.config.beats) as library:
            reports = seed_sample(library)
        if not worker.is_cancelled:
            papers = sum(report.papers[Outcome.NEW] for report in reports)
            self.post_message(self.SampleSeeded(papers))

    @on(SampleSeeded)
    def _sample_seeded(self, event: SampleSeeded) -> None:
        if self.reader is not None:
            self.reader.reload()
            self.reader.set_activity("")
        self.notify(f"Imported the bundled sample: {event.papers} papers.", markup=False)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == SEED_GROUP and event.state is WorkerState.ERROR:
            if self.reader is not None:
                self.reader.set_activity("the sample could not be imported")
            self.notify(
                f"Could not import the sample: {event.worker.error}",
                severity="error",
                markup=False,  # the error may quote the file it choked on
            )

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(binding_sections(self, self.screen)))
