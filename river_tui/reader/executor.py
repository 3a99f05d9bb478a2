"""How the reader session has work done in the background, and hears back.

The session hands a job to an :class:`Executor`, on a :class:`Lane`. The screen gives it one
that runs each job in a thread and delivers what the job sends back on the UI thread
(``river_tui.ui.workers``); the tests give it one that runs the jobs when told, in their own
thread. Either way the session's state is only ever touched on one thread."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Protocol


class Lane(StrEnum):
    """What a job is for. In an exclusive lane a new job replaces the one before it: that one
    is cancelled (its SQL interrupted) and nothing it sends arrives any more."""

    COUNTS = "counts"
    """The navigation's counts (the session runs one at a time)."""
    VIEW = "view"
    """The view's count, or a reload's count and the row of the paper kept under the cursor."""
    SEARCH = "search"
    """A search's first page, then its count."""
    WRITE = "write"
    """A decision on many papers, or an undo (the session runs one at a time)."""
    LEARN = "learn"
    """Bringing what River learned from the decisions up to date (one at a time)."""
    CITE = "cite"
    """A paper's citation key, for the entry ``Y`` copies (it reads the library's papers of
    the paper's year: up to some 100 ms at 100,000 papers)."""

    @property
    def exclusive(self) -> bool:
        return self in (Lane.VIEW, Lane.SEARCH, Lane.CITE)


class Task(Protocol):
    """What a job sees of itself while it runs."""

    def cancelled(self) -> bool:
        """A newer job of the same exclusive lane replaced this one (or River is quitting)."""
        ...

    def deliver(self, callback: Callable[[Any], None], value: object) -> None:
        """Call ``callback(value)`` on the session's thread, unless the job is cancelled by
        then. May be called more than once (a search's page, then its count)."""
        ...


Job = Callable[[Task], None]
"""Work that runs off the session's thread and sends its results with ``Task.deliver``."""


class Executor(Protocol):
    def submit(self, lane: Lane, job: Job, failed: Callable[[Exception], None]) -> None:
        """Run ``job`` off the session's thread. If it raises, and is not cancelled,
        ``failed(error)`` is called on the session's thread."""
        ...
