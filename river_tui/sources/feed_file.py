"""A feed file of any size, read as a stream of batches: what ``river import`` runs in the
sandbox (:func:`~river_tui.sources.sandbox.stream_isolated`) for an RSS or Atom file.

The file is read twice, side by side: by a thread for its digest (the origin of its sightings,
known before the first batch is sent), and by the fast reader
(:mod:`river_tui.sources.fast_feed`), entry by entry in constant memory. Its records are sent
in batches of :data:`BATCH`, each paper once (a repeat is a
:data:`~river_tui.sources.notes.Note.REPEAT`, as in a whole document).

A file the fast reader declines (not well-formed, another encoding, ...) is read by feedparser
whole, as :func:`~river_tui.sources.documents.read_document` reads any document, when it is at
most ``whole_limit`` bytes; the records of entries already sent are not sent again. A larger
one is refused with the reason, after the batches already sent.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from river_tui.domain import Beat
from river_tui.domain.beat_scan import BeatScanner
from river_tui.domain.rows import (
    PAPER_COLUMNS,
    MatchRow,
    PaperRow,
    match_rows,
    paper_row,
    signal_json,
)
from river_tui.sources import ParseError
from river_tui.sources.documents import once_each
from river_tui.sources.fast_feed import Decline, FeedReader
from river_tui.sources.feed import parse_feed_slow
from river_tui.sources.notes import Note, collect, note

BATCH = 2_000
"""Records in one batch: one write transaction in the library (about 4 MB of feed)."""
CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Digest:
    """The SHA-256 of the file's text (as :func:`read_document` computes it): sent first."""

    value: str
    size: int


@dataclass(frozen=True, slots=True)
class Batch:
    """Records to store, as the rows the library stores them as (worked out here, beside the
    parser, so that the process that stores them has little more to do than hand them to
    SQLite): each paper's row (:func:`~river_tui.domain.rows.paper_row`), its signal as JSON,
    its beat matches as rows; and how many bytes of the file were read once they were. Plain
    tuples of strings and numbers, sent through the pipe by :mod:`marshal` (a quarter of the
    time pickle takes to write them, as quick to read)."""

    rows: tuple[PaperRow, ...]
    signals: tuple[str, ...]
    matches: tuple[tuple[MatchRow, ...], ...]
    read: int

    def __len__(self) -> int:
        return len(self.rows)

    def __reduce__(self) -> tuple[Any, tuple[bytes, int]]:
        return _unmarshalled, (marshal.dumps((self.rows, self.signals, self.matches)), self.read)


def _unmarshalled(payload: bytes, read: int) -> Batch:
    """A :class:`Batch` from :meth:`Batch.__reduce__`'s bytes (River's own, from the child it
    started: strings, numbers and tuples only)."""
    rows, signals, matches = marshal.loads(payload)
    return Batch(rows, signals, matches, read)


def _batch(rows: list[PaperRow], scanner: BeatScanner, read: int) -> Batch:
    """Rows of feed items (their signal is empty) as a batch, with their beat matches."""
    return Batch(
        tuple(rows),
        (_NO_SIGNAL,) * len(rows),
        tuple(match_rows(scanner.classify(row[_TITLE], row[_ABSTRACT])) for row in rows),
        read,
    )


_NO_SIGNAL = signal_json({})
_TITLE, _ABSTRACT = PAPER_COLUMNS.index("title"), PAPER_COLUMNS.index("abstract")


def read_feed_file(
    path: str, url: str, whole_limit: int, beats: list[Beat], batch: int = BATCH
) -> Iterator[Digest | Batch]:
    """The :class:`Digest` of the feed file at ``path``, then its records in :class:`Batch`
    es of ``batch`` records, with their matches to ``beats``. ``url`` is where its relative
    links point."""
    scanner = BeatScanner(beats)
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ParseError("not a regular file")
        digest = _FileDigest(handle.fileno())
        try:
            yield from _read(handle, url, whole_limit, digest, scanner, batch)
        finally:
            digest.join()


def _read(
    handle: BinaryIO,
    url: str,
    whole_limit: int,
    digest: _FileDigest,
    scanner: BeatScanner,
    batch: int,
) -> Iterator[Digest | Batch]:
    sent: set[str] = set()
    try:
        with collect() as made:  # kept only if the fast reader reads it all
            yield from _fast(handle, url, digest, sent, scanner, batch)
    except Decline as exc:
        size = digest.result().size
        if size > whole_limit:
            raise ParseError(
                f"not read to its end: {exc} (River reads a feed over "
                f"{whole_limit // 2**20} MiB only when it is well-formed RSS 2.0 or Atom "
                "1.0 in UTF-8)"
            ) from None
        handle.seek(0)
        yield from _whole(handle.read(), url, sent, scanner, batch)
        return
    for kind, count in made.items():
        note(kind, count)


class _FileDigest:
    """The :class:`Digest` of an open file, worked out by a thread of its own while the first
    batch is read (hashlib and the reads let go of the interpreter's lock, so it takes the
    core the storing process does not use yet). It reads with ``pread``: the reader's
    position in the file is its own."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._found: Digest | None = None
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="river-digest", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        digest, size = hashlib.sha256(), 0
        try:
            while chunk := os.pread(self._fd, CHUNK, size):
                digest.update(chunk)
                size += len(chunk)
        except OSError as exc:
            self._error = exc
            return
        self._found = Digest(digest.hexdigest(), size)

    def result(self) -> Digest:
        """The digest, once the whole file is read (raises what reading it raised)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._found is not None
        return self._found

    def join(self) -> None:
        self._thread.join()


def _fast(
    handle: BinaryIO,
    url: str,
    digest: _FileDigest,
    sent: set[str],
    scanner: BeatScanner,
    batch_size: int,
) -> Iterator[Digest | Batch]:
    """The fast reader's batches, after the file's digest (the fast reader's text is the
    file's bytes); ``sent`` gets the ids of those sent."""
    reader = FeedReader(handle, url)
    told = False
    batch: dict[str, PaperRow] = {}
    for row in reader.rows():
        if row is None:
            note(Note.NO_LINK)  # as parse_feed says it
            continue
        paper_id = row[0]
        if paper_id in sent or paper_id in batch:
            note(Note.REPEAT)
            continue
        batch[paper_id] = row
        if len(batch) >= batch_size:
            if not told:
                yield digest.result()
                told = True
            sent.update(batch)
            yield _batch(list(batch.values()), scanner, handle.tell())
            batch = {}
    found = digest.result()
    if not told:
        yield found
    sent.update(batch)
    yield _batch(list(batch.values()), scanner, found.size)


def _whole(
    data: bytes, url: str, sent: set[str], scanner: BeatScanner, batch_size: int
) -> Iterator[Digest | Batch]:
    """feedparser's reading of the whole file, as :func:`read_document` reads a feed."""
    text = data.decode("utf-8", errors="replace")
    encoded = text.encode("utf-8")
    if not sent:  # nothing stored yet: the digest of the text, as read_document's
        yield Digest(hashlib.sha256(encoded).hexdigest(), len(data))
    items = once_each(list(parse_feed_slow(encoded, url).items))
    left = [paper_row(s.paper) for s in items if s.paper.id not in sent]
    for start in range(0, max(len(left), 1), batch_size):
        yield _batch(left[start : start + batch_size], scanner, len(data))
