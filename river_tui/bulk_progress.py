"""The progress of the bulk commands, ``river import`` of a snapshot and ``river harvest``: on
a terminal, a Rich bar on stderr with the count, the rate and the time left (when the size of
the whole is known); nothing when stderr is not a terminal (a pipe, a log, a test).

The bar writes its own escape sequences to the terminal itself, not through the command line's
inert stream (:mod:`river_tui.terminal`); the one text it is given from outside, a file's name,
is made inert first (:func:`~river_tui.domain.text.display_line`).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from river_tui.domain.text import display_line
from river_tui.terminal import underlying


class CountBar:
    """A bar over ``total`` units (bytes of a file, records of a list; None: not known),
    showing a count of records and their rate."""

    def __init__(self, stream: TextIO, description: str, noun: str) -> None:
        self.noun = noun
        self.started = time.monotonic()
        console = Console(file=stream, markup=False, highlight=False)
        self.progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[count]}", markup=False),
            TextColumn("{task.fields[rate]}", markup=False),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        label = display_line(description)
        self.task = self.progress.add_task(label, total=None, count="", rate="")

    def __enter__(self) -> CountBar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def show(self, done: int | None, total: int | None, count: int) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.progress.update(
            self.task,
            completed=done or 0,
            total=total,
            count=f"{count:,} {self.noun}",
            rate=f"{count / elapsed:,.0f}/s",
        )


class Quiet:
    """What stands for the bar when stderr is not a terminal: nothing is shown."""

    def __enter__(self) -> Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def show(self, done: int | None, total: int | None, count: int) -> None:
        return None


def count_bar(description: str, noun: str, stream: TextIO | None = None) -> CountBar | Quiet:
    """The bar on a terminal (written to it directly), nothing otherwise. ``stream``: where
    it goes (default: standard error as it is now)."""
    terminal = underlying(sys.stderr if stream is None else stream)
    return CountBar(terminal, description, noun) if terminal.isatty() else Quiet()
