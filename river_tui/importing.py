"""``river import``: read files in the shapes River knows, chosen by content, into the library.

Each file is one transaction: it lands whole or not at all; an RSS or Atom file, read as a
stream at any size, lands in batches of 2,000 entries, each whole or not at all
(:mod:`river_tui.feed_import`). Importing the same file again adds nothing (papers merge, posts
are keyed by content, claim events are appended only when new).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from river_tui.domain import BadgeVocabulary, Discovery
from river_tui.domain.claims import Dossier
from river_tui.domain.text import display_line
from river_tui.settings import SettingsError, read_toml, sample_dir
from river_tui.snapshot import SnapshotReport, import_snapshot, is_snapshot
from river_tui.sources import ImportFailure, ParseError, SourceError
from river_tui.sources.backup import Backup
from river_tui.sources.detect import Shape, is_feed_head, might_be_xml
from river_tui.sources.documents import SOURCE_OF_SHAPE, Document, read_document
from river_tui.sources.notes import describe
from river_tui.sources.sandbox import budget, read_isolated
from river_tui.store.ingest import Outcome
from river_tui.store.library import Library, LibraryError

MAX_IMPORT_BYTES = 50 * 1024 * 1024
"""The largest file River reads whole; an RSS or Atom feed is read as a stream, at any size."""
Progress = Callable[[int, int | None, int], None]
"""How far a streamed import is: bytes read, of the file's size, and records read."""
HEAD_BYTES = 64 * 1024
SAMPLE_SEEDED = "sample.seeded"


PAPER_SHAPES = {
    Shape.HF_PAGE: "Hugging Face page",
    Shape.HF_JSON: "Hugging Face API response",
    Shape.ARXIV_ATOM: "arXiv API response",
    Shape.ARXIV_RSS: "arXiv RSS feed",
    Shape.FEED: "feed",
    Shape.ARXIV_SNAPSHOT: "arXiv metadata snapshot",
    Shape.ARXIV_OAI: "arXiv OAI-PMH answer",
}


@dataclass
class ImportReport:
    path: str
    shape: Shape
    papers: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    posts_new: int = 0
    states_restored: int = 0
    dossiers_new: int = 0
    claims_new: int = 0
    events_new: int = 0
    leads: int = 0
    """New papers listed under a claim they may bear on (:mod:`river_tui.store.leads`)."""
    notes: dict[str, int] = field(default_factory=dict)
    """What reading the file cut or left out (:mod:`river_tui.sources.notes`)."""

    def summary(self) -> str:
        said = describe(self.notes)
        return self._counts() + (f" ({said})" if said else "")

    def _counts(self) -> str:
        if self.shape in PAPER_SHAPES:
            p = self.papers
            leads = f", {self.leads} may bear on a claim" if self.leads else ""
            return (
                f"{self.path}: {PAPER_SHAPES[self.shape]}, {p[Outcome.NEW]} new, "
                f"{p[Outcome.UPDATED]} updated, {p[Outcome.UNCHANGED]} unchanged papers{leads}"
            )
        if self.shape is Shape.RIVER_PAGE:
            return f"{self.path}: river page, {self.posts_new} new posts"
        if self.shape is Shape.BACKUP:
            p = self.papers
            return (
                f"{self.path}: River backup, {p[Outcome.NEW]} new, {p[Outcome.UPDATED]} updated, "
                f"{p[Outcome.UNCHANGED]} unchanged papers, {self.states_restored} decisions "
                f"restored (u undoes them), {self.dossiers_new} new dossiers, "
                f"{self.claims_new} new claims, {self.events_new} new events, "
                f"{self.posts_new} new posts"
            )
        return (
            f"{self.path}: dossier, {'new' if self.dossiers_new else 'known'}, "
            f"{self.claims_new} new claims, {self.events_new} new events"
        )


def read_bytes(path: Path, name: str, head: bool = False) -> bytes:
    """The file's bytes: at most :data:`MAX_IMPORT_BYTES`, and only from a regular file.
    ``name`` is how messages name it. With ``head``, the first :data:`HEAD_BYTES` of a file
    of any size (to tell whether it is a feed, which River reads as a stream)."""
    try:
        if path.is_dir():
            raise ImportFailure(f"{name}: is a folder, not a file")
        if path.exists() and not path.is_file():  # a device or a pipe: endless, or never ends
            raise ImportFailure(f"{name}: not a regular file, not imported")
        too_large = ImportFailure(
            f"{name}: larger than {MAX_IMPORT_BYTES // 2**20} MiB, not imported (River reads a "
            "larger file only when it is an RSS or Atom feed)"
        )
        if path.stat().st_size > MAX_IMPORT_BYTES and not head:  # refused before reading it
            raise too_large
        with path.open("rb") as handle:
            data = handle.read(HEAD_BYTES if head else MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:  # a file still growing is cut off too
            raise too_large
    except FileNotFoundError:
        raise ImportFailure(f"{name}: no such file") from None
    except PermissionError:
        raise ImportFailure(f"{name}: permission denied") from None
    except OSError as exc:
        raise ImportFailure(f"{name}: cannot read: {exc.strerror or exc}") from None
    return data


def check_badges(dossier: Dossier, badges: BadgeVocabulary) -> None:
    """Every claim's badge (and every event's) must be in the configured vocabulary."""
    for number, claim in enumerate(dossier.claims, start=1):
        used = [claim.badge] + [e.badge for e in claim.events if e.badge]
        for badge in used:
            if badge not in badges:
                raise ParseError(
                    f"claim {number} uses the badge {badge!r}, which is not in the vocabulary "
                    f"({', '.join(badges.badges)}); add it to [badges] vocabulary in config.toml"
                )


def import_bytes(
    library: Library,
    data: bytes,
    name: str,
    as_of: date,
    badges: BadgeVocabulary | None = None,
    url: str | None = None,
) -> ImportReport:
    """Import one document: read in the sandbox (a child process, within its time budget),
    then stored in one transaction. ``as_of`` dates a Hugging Face page that omits the year;
    ``url`` is where a feed's relative links point (default: ``name`` as a file)."""
    beat_names = tuple(b.name for b in library.beats)
    url = url or Path(name).resolve().as_uri()
    try:
        document, notes = read_isolated(
            read_document, data, as_of, beat_names, url, what=name, timeout=budget(len(data))
        )
    except SourceError as exc:
        message = str(exc)
        raise ImportFailure(message if message.startswith(name) else f"{name}: {message}") from None
    report = ImportReport(name, document.shape, notes=dict(notes))
    try:
        with library.transaction():
            _store(library, document, badges, report)
            library.record_import(document.digest, name, str(document.shape))
    except ParseError as exc:  # a dossier's badge outside the vocabulary
        raise ImportFailure(f"{name}: {exc}") from None
    except LibraryError as exc:
        # A full disk, a read-only library, a lock held too long: the transaction was rolled
        # back, so nothing of this file landed.
        raise ImportFailure(f"{name}: not imported: {exc}") from None
    return report


def _store(
    library: Library, document: Document, badges: BadgeVocabulary | None, report: ImportReport
) -> None:
    if document.river is not None:
        report.posts_new = library.save_posts(document.river.tag, list(document.river.posts))
    elif document.dossier is not None:
        if badges is not None:
            check_badges(document.dossier, badges)
        _store_dossier(library, document.dossier, report)
    elif document.backup is not None:
        _store_backup(library, document.backup, report)
    else:
        source = SOURCE_OF_SHAPE[document.shape]
        seen_at = datetime.now(UTC)
        new = []
        for written in library.store_batch(document.sightings, source, document.digest, seen_at):
            report.papers[written.outcome] += 1
            if written.outcome is Outcome.NEW:
                new.append(written.pk)
        report.leads = library.find_leads(new, seen_at.date())


def _store_dossier(library: Library, dossier: Dossier, report: ImportReport) -> None:
    written = library.save_dossier(dossier)
    report.dossiers_new += int(written.new)
    report.claims_new += written.claims_new
    report.events_new += written.events_new


def _store_backup(library: Library, backup: Backup, report: ImportReport) -> None:
    """Papers merge, user state is restored as one undoable action, events are appended."""
    titles = library.title_index()
    batch = library.new_batch()
    for item in backup.papers:
        outcomes = []
        for discovery in item.discoveries or (Discovery("backup", datetime.now(UTC)),):
            written = library.upsert_paper(item.paper, discovery, titles)
            outcomes.append(written.outcome)
        report.papers[min(outcomes, key=list(Outcome).index)] += 1
        library.add_aliases(written.pk, list(item.aliases))
        report.states_restored += library.restore_state(
            written.pk,
            item.state,
            item.starred,
            list(item.tags),
            list(item.manual_beats),
            batch,
            item.note,
        )
    for dossier in backup.dossiers:
        _store_dossier(library, dossier, report)
    posts = list(backup.posts)
    for tag in dict.fromkeys(p.tag for p in posts):
        report.posts_new += library.save_posts(tag, [p for p in posts if p.tag == tag])


def import_file(
    library: Library,
    path: Path,
    as_of: date | None = None,
    badges: BadgeVocabulary | None = None,
    categories: tuple[str, ...] = (),
    progress: Progress | None = None,
) -> ImportReport | SnapshotReport:
    """Import one file. Without ``as_of``, a page's missing year is read against the file's
    modification date. With ``badges``, a dossier's badges must be in that vocabulary. An RSS
    or Atom file, of any size, is read as a stream (:mod:`river_tui.feed_import`); so is
    arXiv's metadata snapshot (a file whose first line is one of its records:
    :mod:`river_tui.snapshot`), of which only the papers with a category matching one of
    ``categories`` (shell patterns) are kept (``categories`` given for any other file is an
    error). For either, ``progress`` hears after each batch how far it is: ``(bytes read, the
    file's size, records read)``.

    The file is opened by its name as given (any bytes); it is named in messages and in the
    ``imports`` table in a printable form: what the terminal would obey dropped, bytes that are
    not UTF-8 shown as U+FFFD (:func:`~river_tui.domain.text.display_line`)."""
    name = display_line(str(path))
    if is_snapshot(path):
        told = None if progress is None else (lambda p: progress(p.done, p.total, p.records))
        return import_snapshot(library, path, name, categories, told)
    if categories:
        raise ImportFailure(
            f"{name}: --category keeps some papers of arXiv's metadata snapshot; "
            "this file is not one, so it was not imported"
        )
    if _is_feed(read_bytes(path, name, head=True), name):
        from river_tui.feed_import import import_feed_file  # a seam: streamed, any size

        stored = None if progress is None else (lambda n, done, size: progress(done, size, n))
        return import_feed_file(library, path, name, path.stat().st_size, stored)
    data = read_bytes(path, name)
    if as_of is None:
        as_of = datetime.fromtimestamp(path.stat().st_mtime).date()
    return import_bytes(library, data, name, as_of, badges=badges, url=path.resolve().as_uri())


def _is_feed(head: bytes, name: str) -> bool:
    """The file ``name`` whose first :data:`HEAD_BYTES` are ``head`` is an RSS or Atom feed:
    decided in the sandbox (the start is parsed), for a start that may be XML."""
    if not might_be_xml(head):
        return False
    found, _notes = read_isolated(is_feed_head, head, what=name, timeout=budget(len(head)))
    return found


def sample_as_of() -> date:
    """The date the bundled sample pages were saved (``data/sample/manifest.toml``). Raises
    :class:`ImportFailure`, one line naming the file, when it cannot be read."""
    path = sample_dir() / "manifest.toml"
    try:
        return date.fromisoformat(str(read_toml(path).data["as_of"]))
    except SettingsError as exc:
        raise ImportFailure(str(exc)) from None
    except (KeyError, ValueError):
        raise ImportFailure(f"{path}: expected as_of = the date the pages were saved") from None


def seed_sample(library: Library) -> list[ImportReport]:
    """Fill an empty library with the bundled sample, once. Returns what was imported."""
    if library.read_only or library.get_meta(SAMPLE_SEEDED) or not library.is_empty():
        return []
    as_of = sample_as_of()
    reports = [
        import_file(library, path, as_of)
        for path in sorted(sample_dir().iterdir())
        if path.suffix in {".txt", ".md"} and path.name != "README.md"
    ]
    library.set_meta(SAMPLE_SEEDED, datetime.now(UTC).isoformat(timespec="seconds"))
    return reports
