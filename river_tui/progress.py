"""How ``river refresh`` reports: a progress bar on a terminal, plain lines when piped."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from river_tui.domain.text import display, display_line
from river_tui.refresh import Event, JobFinished, JobResult, JobStarted, RefreshReport
from river_tui.sources import notes
from river_tui.terminal import underlying


def describe(result: JobResult) -> str:
    if result.error:
        return f"error: {result.error}"
    if result.skipped:
        return "already asked today (use --force to ask again)"
    if result.not_modified:
        return "not modified since the last refresh"
    text = f"{result.new} new, {result.updated} updated, {result.unchanged} unchanged"
    if result.new_versions:
        text += f" ({result.new_versions} new versions)"
    if said := notes.describe(result.notes):
        text += f" ({said})"
    return text


class PlainProgress:
    """One line per finished job, for pipes and logs."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __call__(self, event: Event) -> None:
        if isinstance(event, JobFinished):
            line = f"[{event.index + 1}/{event.total}] {event.result.job.label}: "
            print(line + describe(event.result), file=self.stream, flush=True)


class BarProgress:
    """A Rich progress bar on stderr; finished jobs are printed above it.

    The bar writes its own escape sequences, so it writes to the terminal itself, not through
    the command line's inert stream (river_tui.terminal): the text it is given (labels from the
    user's beats and feeds, a source's error) is made inert here instead."""

    def __init__(self, stream: TextIO) -> None:
        # Labels come from the user's beats and feeds: print them as text, never as markup.
        self.console = Console(file=stream, markup=False, highlight=False)
        self.progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.task = self.progress.add_task("refreshing", total=None)

    def __enter__(self) -> BarProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, event: Event) -> None:
        if isinstance(event, JobStarted):
            label = display_line(event.job.label)
            self.progress.update(self.task, total=event.total, description=label)
        else:
            self.progress.advance(self.task)
            self.console.print(display(f"{event.result.job.label}: {describe(event.result)}"))


def progress_for(stream: TextIO = sys.stderr) -> PlainProgress | BarProgress:
    """The bar on a terminal (written to it directly), plain lines through ``stream`` else."""
    terminal = underlying(stream)
    return BarProgress(terminal) if terminal.isatty() else PlainProgress(stream)


def summary_table(report: RefreshReport) -> str:
    rows = [("source", "new", "updated", "unchanged", "skipped", "errors")]
    for source, s in report.by_source().items():
        rows.append(
            (
                str(source),
                str(s.new),
                str(s.updated),
                str(s.unchanged),
                str(s.skipped),
                str(len(s.errors)),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    for s in report.by_source().values():
        lines += [f"  {error}" for error in s.errors]
    return "\n".join(lines)
