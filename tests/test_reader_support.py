"""Helpers for the reader session's tests (no tests here: the name keeps it with them).

The session runs its background work through the executor it is given: here one that runs the
jobs when the test says so, in the test's thread, with the semantics of the reader's own (an
exclusive lane's new job cancels the one before; a cancelled job's results never arrive)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from river_tui.domain import PaperSummary
from river_tui.domain.papers import PaperRecord
from river_tui.reader.executor import Job, Lane
from river_tui.reader.session import ReaderSession, Severity
from river_tui.settings import load_settings
from river_tui.store.library import Library


@dataclass
class Submitted:
    lane: Lane
    job: Job
    failed: Callable[[Exception], None]
    cancelled: bool = False


@dataclass
class StepTask:
    submitted: Submitted
    held: list[Callable[[], None]] | None = None
    """Where what the job sends waits to be delivered, when the test holds it."""

    def cancelled(self) -> bool:
        return self.submitted.cancelled

    def deliver(self, callback: Callable[[Any], None], value: object) -> None:
        def delivered() -> None:
            if not self.submitted.cancelled:
                callback(value)

        if self.held is None:
            delivered()
        else:
            self.held.append(delivered)


@dataclass
class StepExecutor:
    """Keeps the jobs submitted until :meth:`run_next` or :meth:`run_all` runs them."""

    waiting: list[Submitted] = field(default_factory=list)
    lanes: list[Lane] = field(default_factory=list)
    """Every lane a job was submitted to, in order (what the session asked for)."""
    running: Submitted | None = None
    held: list[Callable[[], None]] | None = None
    """Not None: what the jobs run send is kept here, in order, for the test to deliver
    (each a call), instead of delivered at once."""

    def submit(self, lane: Lane, job: Job, failed: Callable[[Exception], None]) -> None:
        if lane.exclusive:
            for other in [*self.waiting, self.running]:
                if other is not None and other.lane is lane:
                    other.cancelled = True
        self.waiting.append(Submitted(lane, job, failed))
        self.lanes.append(lane)

    def pending(self, lane: Lane | None = None) -> int:
        return sum(1 for s in self.waiting if not s.cancelled and lane in (None, s.lane))

    def run_next(self, lane: Lane | None = None) -> None:
        """Run the first job waiting (of ``lane``); cancelled ones are dropped."""
        self.waiting = [s for s in self.waiting if not s.cancelled]
        job = next(s for s in self.waiting if lane in (None, s.lane))
        self.waiting.remove(job)
        self.running = job
        try:
            job.job(StepTask(job, self.held))
        except Exception as exc:
            if not job.cancelled:
                job.failed(exc)
        finally:
            self.running = None

    def run_all(self) -> None:
        """Run jobs until none is waiting (the jobs their results start too)."""
        while self.pending():
            self.run_next()


class Recorder:
    """A listener that writes down what the session told it."""

    def __init__(self) -> None:
        self.events: list[tuple[str, tuple[object, ...]]] = []
        self.messages: list[tuple[str, Severity]] = []

    def told(self, name: str) -> int:
        """How many times the session said ``name`` (a listener method)."""
        return sum(1 for event, _args in self.events if event == name)

    @property
    def notes(self) -> list[str]:
        """What the session said, in order."""
        return [message for message, _severity in self.messages]

    def said(self, message: str, severity: Severity) -> None:
        self.messages.append((message, severity))

    def view_shown(self) -> None:
        self.events.append(("view_shown", ()))

    def rows_changed(self, kept_from: int | None = None) -> None:
        self.events.append(("rows_changed", (kept_from,)))

    def row_changed(self, index: int) -> None:
        self.events.append(("row_changed", (index,)))

    def cursor_moved(self, old: int) -> None:
        self.events.append(("cursor_moved", (old,)))

    def highlighted(self, paper: PaperSummary | None, moved: bool) -> None:
        self.events.append(("highlighted", (paper, moved)))

    def counts_changed(self) -> None:
        self.events.append(("counts_changed", ()))

    def library_changed(self, pk: int | None, record: PaperRecord | None) -> None:
        self.events.append(("library_changed", (pk, record)))

    def acted_on(self, pk: int) -> None:
        self.events.append(("acted_on", (pk,)))

    def search_found(self) -> None:
        self.events.append(("search_found", ()))

    def search_failed(self) -> None:
        self.events.append(("search_failed", ()))

    def search_kept(self) -> None:
        self.events.append(("search_kept", ()))

    def search_reset(self) -> None:
        self.events.append(("search_reset", ()))


def open_library(db: Path) -> Library:
    return Library.open(db, load_settings().beats)


@contextmanager
def session_on(db: Path) -> Iterator[tuple[ReaderSession, StepExecutor, Recorder]]:
    """A session over the library at ``db`` (the Inbox shown, its counts in), its executor and
    what it told its listener."""
    with open_library(db) as library:
        executor, recorder = StepExecutor(), Recorder()
        session = ReaderSession(library, executor, recorder)
        session.show_view(session.view)
        session.count_view()
        session.refresh_counts()
        executor.run_all()
        yield session, executor, recorder
