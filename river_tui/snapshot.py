"""``river import`` of arXiv's metadata snapshot: a file of any size, in constant memory.

The snapshot (Cornell's ``arxiv-metadata-oai-snapshot.json``, some GB, one paper a line) is
never read whole: lines are read one at a time (each at most :data:`MAX_LINE` bytes; a longer
one is skipped, unread, as an unreadable record), gathered into batches of
:data:`BATCH_LINES` lines or :data:`BATCH_BYTES` bytes, and each batch is read in the sandbox
(:func:`river_tui.sources.arxiv_snapshot.read_snapshot_lines`, which keeps only the papers
whose categories match) and stored in one transaction (``Library.upsert_papers``). What the
import holds at any time is one batch, and the titles of the library's papers without an arXiv
id (the only ones a paper of the snapshot may merge into by title).

Interrupted (Ctrl-C), the batches stored stay; importing the file again adds nothing twice.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from river_tui.domain import Discovery
from river_tui.sources import ImportFailure, SourceError
from river_tui.sources.arxiv_snapshot import (
    SOURCE,
    SnapshotBatch,
    looks_like_snapshot,
    read_snapshot_lines,
)
from river_tui.sources.notes import Note, describe
from river_tui.sources.sandbox import budget, read_isolated
from river_tui.store.ingest import Outcome, TitleIndex, outcome_counts
from river_tui.store.leads import ClaimTerms
from river_tui.store.library import Library, LibraryError

MAX_LINE = 16 * 2**20
"""Bytes of one line at most: a record of 5,000 authors takes about 1 MB."""
BATCH_LINES = 5_000
BATCH_BYTES = 8 * 2**20
_HEAD = 64 * 1024
_UNREADABLE = b"\x00\n"
"""What stands for a line too long to read: a line the parser counts as unreadable."""


@dataclass(frozen=True, slots=True)
class SnapshotProgress:
    """How far an import is: bytes read of the file's size, records read and matched."""

    done: int
    total: int
    records: int
    matched: int


@dataclass
class SnapshotReport:
    path: str
    patterns: tuple[str, ...] = ()
    records: int = 0
    """Lines that held a record."""
    matched: int = 0
    """Records whose categories matched (every record, without patterns)."""
    papers: Counter[Outcome] = field(default_factory=Counter)
    new_versions: int = 0
    leads: int = 0
    unreadable: int = 0
    first_unreadable: int | None = None
    notes: Counter[str] = field(default_factory=Counter)
    interrupted: bool = False

    def summary(self) -> str:
        kept = f", {self.matched:,} in {', '.join(self.patterns)}" if self.patterns else ""
        text = f"{self.path}: arXiv metadata snapshot, {self.records:,} records{kept}: "
        text += outcome_counts(self.papers)
        if self.leads:
            text += f", {self.leads} may bear on a claim"
        said = describe(self.notes)
        if self.first_unreadable is not None:
            said += f"{', ' if said else ''}the first on line {self.first_unreadable:,}"
        text += f" ({said})" if said else ""
        return text + ("; interrupted: importing it again goes on" if self.interrupted else "")


def is_snapshot(path: Path) -> bool:
    """The file at ``path`` starts with a record of the snapshot (only its first line is read)."""
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            if not handle.read(_HEAD).lstrip(b"\xef\xbb\xbf \t").startswith(b"{"):
                return False
            handle.seek(0)
            line = handle.readline(MAX_LINE + 1)
    except OSError:
        return False
    return looks_like_snapshot(line.decode("utf-8", errors="replace"))


def import_snapshot(
    library: Library,
    path: Path,
    name: str,
    patterns: tuple[str, ...] = (),
    on_progress: Callable[[SnapshotProgress], None] | None = None,
) -> SnapshotReport:
    """Import the snapshot at ``path`` (``name``: how messages name it), keeping the papers
    with a category that matches one of ``patterns`` (every paper without any), one
    transaction per batch. Raises :class:`ImportFailure` (one line, saying what landed) when
    the file or the library fails."""
    report = SnapshotReport(name, tuple(p for p in patterns if p.strip()))
    digest = hashlib.sha256()
    try:
        total = path.stat().st_size
        origin = f"{name}|{total}|{path.stat().st_mtime_ns}"
        with path.open("rb") as handle:
            _import(library, handle, origin, digest, report, total, on_progress)
        library.record_import(digest.hexdigest(), name, SOURCE)
    except KeyboardInterrupt:
        report.interrupted = True
    except OSError as exc:
        message = f"{name}: cannot read: {exc.strerror or exc}; {_landed(report)}"
        raise ImportFailure(message) from None
    except SourceError as exc:
        raise ImportFailure(f"{name}: {exc}; {_landed(report)}") from None
    except LibraryError as exc:
        raise ImportFailure(f"{name}: not imported: {exc}; {_landed(report)}") from None
    return report


def _landed(report: SnapshotReport) -> str:
    stored = report.papers.total()
    return f"{stored:,} papers had landed" if stored else "nothing landed"


def _import(
    library: Library,
    handle: BinaryIO,
    origin: str,
    digest: hashlib._Hash,
    report: SnapshotReport,
    total: int,
    on_progress: Callable[[SnapshotProgress], None] | None,
) -> None:
    titles = library.title_index(arxiv_only=True)
    claims = library.claim_terms()  # read once, outside the batches' transactions
    batches = _batches(handle, digest)
    # One batch is read (in its child process) while the one before it is stored.
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshot-reader")
    try:
        pending = _read_next(reader, batches, report)
        while pending is not None:
            reading, end = pending
            batch, notes = reading.result()
            pending = _read_next(reader, batches, report)
            _store(library, batch, notes, origin, titles, claims, report)
            if on_progress is not None:
                on_progress(SnapshotProgress(end, total, report.records, report.matched))
    finally:
        reader.shutdown(wait=False, cancel_futures=True)


def _read_next(
    reader: ThreadPoolExecutor, batches: Iterator[tuple[int, bytes, int]], report: SnapshotReport
) -> tuple[Future[tuple[SnapshotBatch, Counter[Note]]], int] | None:
    """The next batch, being read in the sandbox, and the offset in the file where it ends;
    None at the end of the file."""
    found = next(batches, None)
    if found is None:
        return None
    first, data, end = found
    reading = reader.submit(
        read_isolated,
        read_snapshot_lines,
        data,
        report.patterns,
        first,
        what=f"{report.path}, lines {first:,} on",
        timeout=budget(len(data)),
    )
    return reading, end


def _store(
    library: Library,
    batch: SnapshotBatch,
    notes: Counter[Note],
    origin: str,
    titles: TitleIndex,
    claims: list[ClaimTerms],
    report: SnapshotReport,
) -> None:
    """One batch's papers, in one transaction, and what they add to the report."""
    if batch.sightings:
        seen = Discovery(SOURCE, datetime.now(UTC), origin)
        done = library.upsert_papers(batch.sightings, seen, titles, claims)
        report.papers.update(done.outcomes)
        report.new_versions += done.new_versions
        report.leads += done.leads
    report.records += batch.records
    report.matched += batch.matched
    report.unreadable += batch.unreadable
    if report.first_unreadable is None:
        report.first_unreadable = batch.first_unreadable
    report.notes.update(notes)


def _batches(handle: BinaryIO, digest: hashlib._Hash) -> Iterator[tuple[int, bytes, int]]:
    """The file's lines in batches: (the number of the batch's first line, its bytes, the
    offset in the file where it ends)."""
    lines: list[bytes] = []
    size, number, first = 0, 0, 1
    while line := handle.readline(MAX_LINE + 1):
        digest.update(line)
        number += 1
        if len(line) > MAX_LINE:  # the rest of it is read and dropped, a part at a time
            while not line.endswith(b"\n") and (line := handle.readline(MAX_LINE)):
                digest.update(line)
            line = _UNREADABLE
        lines.append(line if line.endswith(b"\n") else line + b"\n")
        size += len(lines[-1])
        if len(lines) >= BATCH_LINES or size >= BATCH_BYTES:
            yield first, b"".join(lines), handle.tell()
            lines, size, first = [], 0, number + 1
    if lines:
        yield first, b"".join(lines), handle.tell()
