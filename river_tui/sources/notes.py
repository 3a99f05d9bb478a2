"""What reading a document changed or left out, counted and said once per document.

A parser that cuts an overlong field, cannot read a date or merges two entries of one paper
says so with :func:`note`; whoever reads the document (an import, a refresh job) collects the
notes with :func:`collect` and reports them in one line (:func:`describe`): ``2 overlong fields
cut, 1 unreadable date left out``. Outside :func:`collect`, a note is dropped: a parser called
on its own (a test, a property test) keeps no state between calls.

A note that needs its reason (a feed read leniently, and why) is made with :func:`remark`: the
reason is part of its key (``lenient: undefined entity``), so the notes
stay a counter of strings on their way from the sandbox, and the reason is said once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum


class Note(StrEnum):
    """A kind of change made while reading. The value is the phrase for one of them."""

    LENIENT = "lenient"
    CUT = "cut"
    DATE = "date"
    REPEAT = "repeat"
    NO_LINK = "no-link"
    UNREADABLE = "unreadable"
    DELETED = "deleted"


_PHRASES: dict[Note, tuple[str, str, str]] = {
    # singular noun, plural noun, what was done
    Note.CUT: ("overlong field", "overlong fields", "cut"),
    Note.DATE: ("unreadable date", "unreadable dates", "left out"),
    Note.REPEAT: ("repeated entry", "repeated entries", "merged"),
    Note.NO_LINK: ("entry without a web link", "entries without a web link", "left out"),
    Note.UNREADABLE: ("unreadable record", "unreadable records", "skipped"),
    Note.DELETED: ("deleted record", "deleted records", "left out"),
}
_REASONED = {Note.LENIENT: "not well-formed XML ({}), read leniently"}
_SEPARATOR = ": "

_current: ContextVar[Counter[str] | None] = ContextVar("river_reading_notes", default=None)


def note(kind: Note, count: int = 1) -> None:
    """Count ``count`` changes of ``kind`` in the document being read (if one is)."""
    found = _current.get()
    if found is not None and count > 0:
        found[kind] += count


def remark(kind: Note, reason: str) -> None:
    """Say once, with its reason, that the document being read had ``kind`` (if one is)."""
    found = _current.get()
    if found is not None:
        found[f"{kind}{_SEPARATOR}{' '.join(reason.split())}"] = 1


@contextmanager
def collect() -> Iterator[Counter[str]]:
    """The notes made while the ``with`` block reads a document."""
    found: Counter[str] = Counter()
    token = _current.set(found)
    try:
        yield found
    finally:
        _current.reset(token)


def describe(notes: Mapping[Note, int] | Mapping[str, int]) -> str:
    """``2 overlong fields cut, 1 unreadable date left out`` (empty when there are none)."""
    parts = []
    for kind in Note:
        if kind in _REASONED:
            prefix = f"{kind}{_SEPARATOR}"
            reasons = (key.removeprefix(prefix) for key in notes if key.startswith(prefix))
            parts += [_REASONED[kind].format(reason) for reason in reasons]
            continue
        count = notes.get(kind, 0)
        if count:
            one, many, done = _PHRASES[kind]
            parts.append(f"{count:,} {one if count == 1 else many} {done}")
    return ", ".join(parts)
