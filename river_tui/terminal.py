"""The command line's output boundary: every line ``river`` prints passes :func:`display`.

Summaries, errors, doctor, the plain progress of a refresh, exports written to stdout,
argparse's own messages: whatever reaches ``sys.stdout`` or ``sys.stderr`` while a command runs
goes through :class:`InertStream`, so no control character, escape sequence or format character
(bidi override) from a stored field, a file name, the config or an error message reaches the
terminal. The one writer that must send escape sequences, the Rich progress bar of
``river refresh``, writes to the stream underneath (:func:`underlying`) and makes its own text
inert (``river_tui.progress``).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TextIO

from river_tui.domain.text import display


class InertStream(io.TextIOBase):
    """A text stream that writes what it is given to ``stream``, made inert by :func:`display`.

    Every piece is cleaned on its own: an escape sequence cut between two writes loses its ESC
    in the first (a lone ESC is removed), so its rest arrives as plain characters. Closing it
    (or losing it) leaves ``stream`` open."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(display(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.stream, "errors", None)


def underlying(stream: TextIO) -> TextIO:
    """The stream an :class:`InertStream` writes to (``stream`` itself if it is not one)."""
    return stream.stream if isinstance(stream, InertStream) else stream


@contextmanager
def inert_output() -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` made inert while the block runs."""
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = InertStream(stdout), InertStream(stderr)
    try:
        yield
    finally:
        for wrapper in (sys.stdout, sys.stderr):
            # A reader that went away (`river list | head`), or a stream closed under it.
            with suppress(OSError, ValueError):
                wrapper.flush()
        sys.stdout, sys.stderr = stdout, stderr
