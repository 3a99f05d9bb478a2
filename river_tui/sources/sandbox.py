"""Read an untrusted document in a child process, within a deadline.

Every document River imports or fetches is parsed here, for three reasons:

* **A deadline that covers parsing.** A parse running in River's own process cannot be
  stopped; a child process can be killed. A document that takes longer than its budget
  (:func:`budget`) is refused with one line, and nothing of it is stored.
* **The reader keeps answering keys.** A parser spends long stretches inside single C calls (a
  regular expression, ``json.loads``) that hold Python's interpreter lock; in a thread of the
  reader they would freeze its UI thread for as long. A child process has its own lock.
* **Memory comes back.** feedparser keeps a whole document as dictionaries (hundreds of MB for
  a 40 MB feed); the child's memory is returned when it exits.

Children are forked from a *forkserver* started once per River process (about 0.2 s, off the
UI thread), which has already imported the parsers: a document costs about 10 ms more than a
parse in place. A child's standard output and error go to ``/dev/null``, so a library's
warning cannot draw over the reader.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
import types
import warnings
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from river_tui.sources import ParseError, SourceError, parse_with
from river_tui.sources.notes import collect

T = TypeVar("T")

BASE_SECONDS = 20.0
SECONDS_PER_MIB = 2.0
PRELOAD = ["river_tui.sources.documents", "river_tui.sources.feed_file"]
"""What the forkserver imports once, so that each child starts with the parsers loaded."""

_lock = threading.Lock()
_context: multiprocessing.context.ForkServerContext | None = None


class ReaderCrashed(RuntimeError):
    """The parser raised what no document should make it raise: a bug in River. The message
    carries the child's traceback."""


def budget(size: int) -> float:
    """Seconds a document of ``size`` bytes may take to read: generous for any real document
    (feedparser reads 1-3 MB a second on this kind of machine), bounded for a hostile one."""
    return BASE_SECONDS + SECONDS_PER_MIB * size / 2**20


def read_isolated(
    read: Callable[..., T], *args: Any, what: str, timeout: float
) -> tuple[T, Counter[str]]:
    """``read(*args)`` in a child process, and the notes it made (:mod:`.notes`).

    ``read`` must be a module-level function (it is sent to the child by name) and its
    arguments and result picklable. Raises the :class:`~river_tui.sources.SourceError` the
    reader raised (a :class:`ParseError` for what it did not foresee, as
    :func:`~river_tui.sources.parse_with` makes it), :class:`ParseError` naming ``what`` when
    the child runs past ``timeout`` seconds or dies, and :class:`ReaderCrashed` for a bug.
    """
    context = _start_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, read, args), daemon=True)
    with _bare_main():
        child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ParseError(f"{what}: took more than {timeout:.0f} s to read, so it was not")
        message = receiver.recv()
    except EOFError:
        raise _stopped(child, what) from None
    finally:
        _reap(child, receiver)
    kind, *rest = message
    if kind == "ok":
        value, notes = rest
        return value, Counter(notes)
    if kind == "error":
        raise SourceError(rest[0]) if rest[1] == "source" else ParseError(rest[0])
    raise ReaderCrashed(rest[0])


def stream_isolated(
    read: Callable[..., Iterator[Any]], *args: Any, what: str, timeout: float
) -> Generator[Any, None, Counter[str]]:
    """What ``read(*args)`` yields in a child process, item by item as it yields them (each
    sent over a pipe: the child waits while the pipe is full, so neither side holds more than a
    few items), then the notes it made. A document of any size is read in constant memory.

    ``timeout`` bounds the time spent waiting for the child in all (the time the caller spends
    on each item does not count). Raises as :func:`read_isolated` does; the child is stopped
    when the caller stops early (an exception, or the generator closed)."""
    context = _start_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_stream_child, args=(sender, read, args), daemon=True)
    with _bare_main():
        child.start()
    sender.close()
    left = timeout
    try:
        while True:
            waited = time.monotonic()
            if not receiver.poll(max(left, 0)):
                raise ParseError(f"{what}: took more than {timeout:.0f} s to read, so it was not")
            message = receiver.recv()
            left -= time.monotonic() - waited
            kind, *rest = message
            if kind == "item":
                yield rest[0]
            elif kind == "ok":
                return Counter(rest[0])
            elif kind == "error":
                raise SourceError(rest[0]) if rest[1] == "source" else ParseError(rest[0])
            else:
                raise ReaderCrashed(rest[0])
    except EOFError:
        raise _stopped(child, what) from None
    finally:
        _reap(child, receiver)


def _stopped(child: multiprocessing.process.BaseProcess, what: str) -> ParseError:
    """The error of a child that ended without an answer: how it ended."""
    child.join(5)
    return ParseError(f"{what}: the parser stopped ({_how_it_ended(child.exitcode)})")


def _reap(child: multiprocessing.process.BaseProcess, receiver: Connection) -> None:
    """The pipe closed and the child gone, killed if it still runs."""
    receiver.close()
    if child.is_alive():
        child.kill()
    child.join(5)


def _start_context() -> multiprocessing.context.ForkServerContext:
    """The forkserver context, its server started on first use.

    The server and its resource tracker are started with standard error on ``/dev/null``:
    multiprocessing passes on ``sys.stderr``'s file descriptor, which inside the reader is
    Textual's capture of prints (no descriptor at all: the start failed), and nothing they
    might print belongs on the reader's screen."""
    global _context
    with _lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            with (
                open(os.devnull, "w") as devnull,
                contextlib.redirect_stderr(devnull),
                _bare_main(),
            ):
                forkserver.ensure_running()
            _context = context
        return _context


@contextlib.contextmanager
def _bare_main() -> Iterator[None]:
    """No main module while a process is started. multiprocessing would have each child run
    the parent's main module again (a script's top level, unless it guards it with ``if
    __name__ == "__main__"``): a child needs River's parsers, which it imports by name, and
    nothing of the program that uses them."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _child(sender: Connection, read: Callable[..., Any], args: tuple[Any, ...]) -> None:
    _quiet()
    try:
        with collect() as notes:
            value = parse_with(read, *args)
        message: tuple[Any, ...] = ("ok", value, dict(notes))
    except ParseError as exc:
        message = ("error", str(exc), "parse")
    except SourceError as exc:
        message = ("error", str(exc), "source")
    except MemoryError:
        message = ("error", "the document needs more memory than this machine has", "parse")
    except BaseException:
        message = ("crash", traceback.format_exc())
    try:
        sender.send(message)
    except Exception:  # a result that cannot be pickled: River's bug, said as such
        sender.send(("crash", traceback.format_exc()))
    finally:
        sender.close()


def _stream_child(sender: Connection, read: Callable[..., Any], args: tuple[Any, ...]) -> None:
    _quiet()
    try:
        with collect() as notes:
            items = parse_with(read, *args)
            while True:
                try:
                    item = parse_with(next, items)
                except StopIteration:
                    break
                sender.send(("item", item))
        message: tuple[Any, ...] = ("ok", dict(notes))
    except ParseError as exc:
        message = ("error", str(exc), "parse")
    except SourceError as exc:
        message = ("error", str(exc), "source")
    except MemoryError:
        message = ("error", "the document needs more memory than this machine has", "parse")
    except BrokenPipeError:  # the parent stopped reading: nobody to tell
        return
    except BaseException:
        message = ("crash", traceback.format_exc())
    try:
        sender.send(message)
    except Exception:
        with contextlib.suppress(Exception):
            sender.send(("crash", traceback.format_exc()))
    finally:
        sender.close()


def _quiet() -> None:
    """Nothing a child prints may reach the terminal (it would draw over the reader)."""
    warnings.simplefilter("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"
