"""The reader's model, kept up to date in the background while the reader reads.

After the first screen is up (:meth:`Learner.start`), every change to the library asks for an
update (:meth:`Learner.request`): one runs at a time, from the LEARN lane, in a child process
(:class:`LearningChild`: started at the first update, it loads scikit-learn once and lives as
long as the reader), and one more after it if anything changed meanwhile. An update with
nothing to fit (fewer than three papers kept and three let go, and no model stored) returns
before loading anything; one that wrote announces itself like any background write
(:meth:`ReaderSession.own_write_ended`), so the views ordered for you read their rows again."""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.process
import os
import sys
import threading
import types
import warnings
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from river_tui.domain.beats import Beat
from river_tui.domain.interest import MIN_EACH
from river_tui.reader.executor import Lane
from river_tui.store.learned import READER
from river_tui.store.library import Library
from river_tui.store.papers import PaperFilter, Sort

if TYPE_CHECKING:
    from river_tui.learning.train import Held
    from river_tui.reader.session import ReaderSession


class Learner:
    """Asks for updates of the learned data, one at a time; knows what the last one found."""

    def __init__(self, session: ReaderSession) -> None:
        self.session = session
        self.started = False
        self.running = False
        self.stale = False
        self.decided: tuple[int, int] = (0, 0)
        """(kept, let go) among the reader's decisions, as of the last update."""
        self.trained = False
        """The reader's model exists (the for-you order is learned, not the beats' score)."""
        self.updates = 0
        """Updates finished (what a test waits for)."""
        self.rest = False
        """The next update fits every model, not only the visible view's."""
        self.child = LearningChild()

    def start(self) -> None:
        """Begin keeping the model up to date (the first screen is up)."""
        if not self.started:
            self.started = True
            self.request()

    def request(self) -> None:
        if not self.started:
            return
        self.stale = True
        if not self.running:
            self._run()

    def _run(self) -> None:
        session = self.session
        # The models the visible view is ordered by are fitted first (after a decision, that
        # order is shown one model's write sooner), the others in the update after it.
        only = None if self.rest else _ordering(session.rows.filter)
        self.stale, self.rest = False, only is not None
        self.running = True
        session.own_write_started()

        def learn(library: Library) -> tuple[tuple[tuple[int, int], bool], bool]:
            wanted = library.learned.labels_by_model(library.beats)
            if library.learned.up_to_date(wanted):  # the child is not started (or woken)
                return _found(library, wanted[READER]), False
            return self.child.learn(library.path, library.beats, only), True

        job = session.on_own_connection(learn, self._done)
        session.executor.submit(Lane.LEARN, job, self._failed)

    def _done(self, result: tuple[tuple[tuple[int, int], bool], bool]) -> None:
        (self.decided, self.trained), learned = result
        self.rest = self.rest and learned  # nothing was stale: nothing is left for a second
        self._finished()

    def _failed(self, error: Exception) -> None:
        self.session.say(f"Could not learn from your decisions: {error}", "warning")
        self.rest = False
        self._finished()

    def _finished(self) -> None:
        self.running = False
        self.updates += 1
        self.session.own_write_ended()
        if self.stale or self.rest:
            self._run()

    @property
    def status(self) -> str:
        """What orders the for-you views now, in a few words."""
        kept, let_go = self.decided
        if self.trained:
            return f"learned from {kept} kept and {let_go} let go"
        return (
            f"needs {MIN_EACH} kept and {MIN_EACH} let go (there are {kept} and {let_go}): "
            "by the beats' score"
        )


TIMEOUT = 900.0
"""Seconds an update may take (the first of a library of 100,000 papers takes about 40)."""


class LearningChild:
    """A process of its own that updates what River learned, one library at a time: the
    model's imports (scikit-learn: 1.2 s, 130 MB), the features it reads and the scores it
    computes never take the reader's memory or its interpreter lock. Started on first use
    (spawned: a fresh interpreter, not a fork of the reader's threads); ended with River."""

    def __init__(self) -> None:
        self.process: multiprocessing.process.BaseProcess | None = None
        self.pipe: Connection | None = None
        self.lock = threading.Lock()

    def learn(
        self, path: str, beats: list[Beat], only: frozenset[str] | None = None
    ) -> tuple[tuple[int, int], bool]:
        """:func:`learn_at` in the child. Raises :class:`RuntimeError` with the child's one
        line when it failed, or when it ran past :data:`TIMEOUT` or died (the next call
        starts another)."""
        with self.lock:
            pipe = self._running()
            pipe.send((path, beats, only))
            try:
                if not pipe.poll(TIMEOUT):
                    raise RuntimeError(f"it took more than {TIMEOUT:.0f} s")
                kind, value = pipe.recv()
            except (EOFError, OSError, RuntimeError):
                self._stop()
                raise
            if kind == "error":
                raise RuntimeError(value)
            return value

    def _running(self) -> Connection:
        if self.process is None or not self.process.is_alive() or self.pipe is None:
            context = multiprocessing.get_context("spawn")
            self.pipe, theirs = context.Pipe()
            self.process = context.Process(target=_serve, args=(theirs,), daemon=True)
            main = sys.modules["__main__"]  # the child is not to run the program's top level
            sys.modules["__main__"] = types.ModuleType("__main__")
            # Inside the reader, sys.stdout and sys.stderr are Textual's captures of prints,
            # with no file descriptor to hand on: the start would fail.
            try:
                with (
                    open(os.devnull, "w") as devnull,
                    contextlib.redirect_stdout(devnull),
                    contextlib.redirect_stderr(devnull),
                ):
                    self.process.start()
            finally:
                sys.modules["__main__"] = main
            theirs.close()
        return self.pipe

    def _stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
        self.process = self.pipe = None


def _serve(pipe: Connection) -> None:
    """The child: learn for each library sent, answer ("ok", result) or ("error", line). It
    keeps the last library's weighted features between updates (``learning.train.Held``):
    after a decision, scoring every paper again is one matrix product."""
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (nothing may reach the reader's terminal)
    warnings.simplefilter("ignore")
    from river_tui.learning.train import Held  # a seam: scikit-learn, in the child

    held: tuple[str, Held] | None = None
    while True:
        try:
            path, beats, only = pipe.recv()
        except EOFError:
            return
        if held is None or held[0] != path:
            held = (path, Held())
        try:
            pipe.send(("ok", learn_at(path, beats, held[1], only)))
        except Exception as exc:
            pipe.send(("error", str(exc) or type(exc).__name__))


def learn_at(
    path: str,
    beats: list[Beat],
    held: Held | None = None,
    only: frozenset[str] | None = None,
) -> tuple[tuple[int, int], bool]:
    """Update the learned data of the library at ``path``, in the process it runs in (the
    reader runs it in a child: scikit-learn, the features read and the scores computed never
    take the reader's memory or its interpreter lock); ``held``: what that process keeps
    between updates; ``only``: the models to fit now (``learning.train.update``)."""
    with Library.open(path, beats) as library:
        from river_tui.learning.train import update  # a seam: scikit-learn, in the child

        update(library, held=held, only=only)
        return _found(library, library.decision_labels())


def _ordering(flt: PaperFilter) -> frozenset[str] | None:
    """The models a view ``flt`` is ordered by (its beat's and the reader's, which orders it
    while the beat has none); None when it is not ordered for you."""
    if flt.sort is not Sort.FOR_YOU:
        return None
    return frozenset({READER, flt.beat or flt.hidden_by or READER})


def _found(library: Library, mine: dict[int, bool]) -> tuple[tuple[int, int], bool]:
    """(kept, let go) among the reader's decisions ``mine``, and whether the reader's model
    exists."""
    kept = sum(mine.values())
    return (kept, len(mine) - kept), READER in library.learned.models()
