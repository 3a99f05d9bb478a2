"""The reader's model, kept up to date in the background while the reader reads.

After the first screen is up (:meth:`Learner.start`), every change to the library asks for an
update (:meth:`Learner.request`): one runs at a time on the LEARN lane, on a connection of its
own, and one more after it if anything changed meanwhile. An update that has nothing to fit
(fewer than three papers kept and three let go, and no model stored) never loads
scikit-learn; one that wrote announces itself like any background write
(:meth:`ReaderSession.own_write_ended`), so the views ordered for you read their rows again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from river_tui.domain.interest import MIN_EACH
from river_tui.reader.executor import Lane, Task
from river_tui.store.learned import READER
from river_tui.store.library import Library

if TYPE_CHECKING:
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
        self.stale = False
        self.running = True
        session = self.session
        session.own_write_started()
        path, beats = session.library.path, session.library.beats

        def job(task: Task) -> None:
            with Library.open(path, beats) as library:
                library.interrupt_when(task.cancelled)
                found = _update(library)
            task.deliver(self._done, found)

        session.executor.submit(Lane.LEARN, job, self._failed)

    def _done(self, found: tuple[tuple[int, int], bool]) -> None:
        self.decided, self.trained = found
        self._finished()

    def _failed(self, error: Exception) -> None:
        self.session.say(f"Could not learn from your decisions: {error}", "warning")
        self._finished()

    def _finished(self) -> None:
        self.running = False
        self.updates += 1
        self.session.own_write_ended()
        if self.stale:
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


def _update(library: Library) -> tuple[tuple[int, int], bool]:
    """Update ``library``'s learned data if there is anything to learn; (kept, let go) among
    the reader's decisions, and whether the reader's model exists now."""
    labels = library.learned.labels_by_model(library.beats)
    enough = any(
        sum(v.values()) >= MIN_EACH and len(v) - sum(v.values()) >= MIN_EACH
        for v in labels.values()
    )
    if enough or library.learned.models():
        from river_tui.learning.train import update  # a seam: scikit-learn, off the UI thread

        update(library)
    mine = labels[READER]
    kept = sum(mine.values())
    return (kept, len(mine) - kept), READER in library.learned.models()
