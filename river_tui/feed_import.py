"""``river import`` of an RSS or Atom file of any size: read as a stream, stored batch by batch.

The file is read in the sandbox (:func:`~river_tui.sources.sandbox.stream_isolated`, by
:func:`~river_tui.sources.feed_file.read_feed_file`), which sends its records in batches of
2,000 while it reads on: parsing and storing run side by side, in two processes, and neither
holds more than a few batches, whatever the file's size. A batch holds the rows the library
stores, worked out in the child. Each batch is stored in one transaction
(:meth:`~river_tui.store.library.Library.store_rows`, the connection set for bulk writes
meanwhile: :meth:`~river_tui.store.library.Library.bulk_writing`): a file of up to 2,000
entries lands whole or not at all, as any other file; a larger one lands batch by batch, each
whole or not at all, so a reader using the library meanwhile waits for one batch at most
(about a second), never for the whole file. Importing the same file again adds nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from pathlib import Path

from river_tui.importing import MAX_IMPORT_BYTES, ImportReport
from river_tui.sources import ImportFailure, SourceError
from river_tui.sources.detect import Shape
from river_tui.sources.documents import SOURCE_OF_SHAPE
from river_tui.sources.feed_file import BATCH, Batch, Digest, read_feed_file
from river_tui.sources.notes import Note
from river_tui.sources.sandbox import budget, stream_isolated
from river_tui.store.ingest import Outcome
from river_tui.store.library import Library, LibraryError

Progress = Callable[[int, int, int], None]
"""Told after each batch is stored: papers stored so far, bytes read, bytes in all."""


def import_feed_file(
    library: Library,
    path: Path,
    name: str,
    size: int,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> ImportReport:
    """Import the feed file at ``path`` (``size`` bytes; ``name``: how messages name it),
    ``batch`` records a transaction."""
    report = ImportReport(name, Shape.FEED)
    stream = stream_isolated(
        read_feed_file,
        str(path),
        path.resolve().as_uri(),
        MAX_IMPORT_BYTES,
        library.beats,
        batch,
        what=name,
        timeout=budget(size),
    )
    try:
        with library.bulk_writing():
            notes = _store_all(library, stream, report, size, progress)
    except SourceError as exc:
        message = str(exc)
        said = message if message.startswith(name) else f"{name}: {message}"
        raise ImportFailure(said + _landed(report)) from None
    except LibraryError as exc:
        raise ImportFailure(f"{name}: not imported: {exc}{_landed(report)}") from None
    finally:
        stream.close()
    report.notes = dict(notes)
    return report


def _store_all(
    library: Library,
    stream: Generator[Digest | Batch, None, Counter[Note]],
    report: ImportReport,
    size: int,
    progress: Progress | None,
) -> Counter[Note]:
    """Store every batch the stream sends; the notes it made."""
    source = SOURCE_OF_SHAPE[Shape.FEED]
    seen_at = datetime.now(UTC)
    titles = library.title_index()
    claims = library.claim_terms()  # read outside the batches' write transactions
    digest: str | None = None
    papers = 0
    while True:
        try:
            item = next(stream)
        except StopIteration as stop:
            notes = stop.value
            break
        if isinstance(item, Digest):
            if papers == 0:  # the digest the first stored batch was recorded under
                digest = item.value
            continue
        assert isinstance(item, Batch) and digest is not None
        with library.transaction():
            new = []
            writes = library.store_rows(
                item.rows, item.signals, item.matches, source, digest, seen_at, titles
            )
            for written in writes:
                report.papers[written.outcome] += 1
                if written.outcome is Outcome.NEW:
                    new.append(written.pk)
            report.leads += library.find_leads(new, seen_at.date(), claims)
        papers += len(item)
        if progress is not None:
            progress(papers, item.read, size)
    if digest is not None:
        library.record_import(digest, report.path, str(Shape.FEED))
    return notes


def _landed(report: ImportReport) -> str:
    """What of the file is in the library despite the error (each batch landed whole)."""
    landed = sum(report.papers.values())
    return f" ({landed:,} papers before that were imported)" if landed else ""
