"""``river import``: read files in the shapes River knows, chosen by content, into the library.

Each file is one transaction: it lands whole or not at all. Importing the same file again adds
nothing (papers merge, posts are keyed by content, claim events are appended only when new).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from river_tui.domain import BadgeVocabulary, Discovery, Dossier, Sighting
from river_tui.domain.text import clean_line
from river_tui.paths import sample_dir
from river_tui.sources import ImportFailure, ParseError, SourceError, backup
from river_tui.sources.arxiv_api import parse_arxiv_feed
from river_tui.sources.arxiv_rss import parse_arxiv_rss
from river_tui.sources.detect import Shape, detect_shape
from river_tui.sources.dossier_md import parse_dossier
from river_tui.sources.feed import parse_feed
from river_tui.sources.hf_api import parse_daily_papers
from river_tui.sources.hf_page import parse_hf_page
from river_tui.sources.river_page import parse_river_page
from river_tui.store.ingest import Outcome
from river_tui.store.library import Library, LibraryError

MAX_IMPORT_BYTES = 50 * 1024 * 1024
SAMPLE_SEEDED = "sample.seeded"


PAPER_SHAPES = {
    Shape.HF_PAGE: "Hugging Face page",
    Shape.HF_JSON: "Hugging Face API response",
    Shape.ARXIV_ATOM: "arXiv API response",
    Shape.ARXIV_RSS: "arXiv RSS feed",
    Shape.FEED: "feed",
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

    def summary(self) -> str:
        if self.shape in PAPER_SHAPES:
            p = self.papers
            return (
                f"{self.path}: {PAPER_SHAPES[self.shape]}, {p[Outcome.NEW]} new, "
                f"{p[Outcome.UPDATED]} updated, {p[Outcome.UNCHANGED]} unchanged papers"
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


def read_text(path: Path) -> str:
    try:
        if path.is_dir():
            raise ImportFailure(f"{path}: is a folder, not a file")
        if path.exists() and not path.is_file():  # a device or a pipe: endless, or never ends
            raise ImportFailure(f"{path}: not a regular file, not imported")
        too_large = ImportFailure(
            f"{path}: larger than {MAX_IMPORT_BYTES // 2**20} MiB, not imported"
        )
        if path.stat().st_size > MAX_IMPORT_BYTES:  # refused before reading any of it
            raise too_large
        with path.open("rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)  # a file still growing is cut off too
        if len(data) > MAX_IMPORT_BYTES:
            raise too_large
    except FileNotFoundError:
        raise ImportFailure(f"{path}: no such file") from None
    except PermissionError:
        raise ImportFailure(f"{path}: permission denied") from None
    except OSError as exc:
        raise ImportFailure(f"{path}: cannot read: {exc.strerror or exc}") from None
    return data.decode("utf-8", errors="replace")


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


def import_text(
    library: Library,
    text: str,
    name: str,
    as_of: date,
    origin: str | None = None,
    badges: BadgeVocabulary | None = None,
) -> ImportReport:
    """Import one document's text. ``as_of`` dates a Hugging Face page that omits the year."""
    shape = detect_shape(text)
    if shape is None:
        raise ImportFailure(
            f"{name}: not a shape River can import "
            "(expected a saved Hugging Face page or API response, an arXiv API response or RSS "
            "feed, an RSS/Atom feed, a river page or a dossier)"
        )
    origin = origin or hashlib.sha256(text.encode("utf-8")).hexdigest()
    report = ImportReport(name, shape)
    try:
        with library.transaction():
            if shape is Shape.HF_PAGE:
                _import_hf_page(library, text, as_of, origin, report)
            elif shape is Shape.RIVER_PAGE:
                page = parse_river_page(text, [b.name for b in library.beats])
                report.posts_new = library.save_posts(page.tag, list(page.posts))
            elif shape is Shape.BACKUP:
                _import_backup(library, text, report)
            elif shape is Shape.DOSSIER:
                dossier = parse_dossier(text)
                if badges is not None:
                    check_badges(dossier, badges)
                written = library.save_dossier(dossier)
                report.dossiers_new = int(written.new)
                report.claims_new = written.claims_new
                report.events_new = written.events_new
            else:
                sightings, source = _parse_saved_response(shape, text, name)
                _store_sightings(library, sightings, source, origin, report)
            library.record_import(origin, name, str(shape))
    except SourceError as exc:
        message = str(exc)
        raise ImportFailure(message if message.startswith(name) else f"{name}: {message}") from None
    except (ValueError, OverflowError, RecursionError) as exc:
        # What a parser did not foresee (a number of 5,000 digits): this file is not imported
        # (its transaction rolled back), and the others still are.
        raise ImportFailure(f"{name}: could not read it: {clean_line(str(exc))[:300]}") from None
    except LibraryError as exc:
        # A full disk, a read-only library, a lock held too long: the transaction was rolled
        # back, so nothing of this file landed.
        raise ImportFailure(f"{name}: not imported: {exc}") from None
    return report


def _import_backup(library: Library, text: str, report: ImportReport) -> None:
    """Papers merge, user state is restored as one undoable action, events are appended."""
    document = backup.load_backup(text)
    titles = library.title_index()
    batch = library.new_batch()
    for data in document.get("papers", ()):
        paper, discoveries = backup.parse_paper(data)
        outcomes = []
        for discovery in discoveries or [Discovery("backup", datetime.now(UTC))]:
            written = library.upsert_paper(paper, discovery, titles)
            outcomes.append(written.outcome)
        report.papers[min(outcomes, key=list(Outcome).index)] += 1
        library.add_aliases(written.pk, backup.parse_aliases(data))
        state, starred, tags, beats = backup.parse_state(data)
        report.states_restored += library.restore_state(
            written.pk, state, starred, tags, beats, batch
        )
    for data in document.get("dossiers", ()):
        written_dossier = library.save_dossier(backup.parse_dossier(data))
        report.dossiers_new += int(written_dossier.new)
        report.claims_new += written_dossier.claims_new
        report.events_new += written_dossier.events_new
    posts = [backup.parse_post(p) for p in document.get("posts", ())]
    for tag in dict.fromkeys(p.tag for p in posts):
        report.posts_new += library.save_posts(tag, [p for p in posts if p.tag == tag])


def _parse_saved_response(shape: Shape, text: str, name: str) -> tuple[list[Sighting], str]:
    """Sightings from a saved source response, and the source they count as."""
    data = text.encode("utf-8")
    if shape is Shape.HF_JSON:
        return list(parse_daily_papers(data)), "hf-api"
    if shape is Shape.ARXIV_ATOM:
        return list(parse_arxiv_feed(data).sightings), "arxiv-api"
    if shape is Shape.ARXIV_RSS:
        return list(parse_arxiv_rss(data)), "arxiv-rss"
    return list(parse_feed(data, Path(name).resolve().as_uri()).items), "feed"


def _store_sightings(
    library: Library, sightings: list[Sighting], source: str, origin: str, report: ImportReport
) -> None:
    titles = library.title_index()
    seen_at = datetime.now(UTC)
    for sighting in sightings:
        discovery = Discovery(source, seen_at, origin, sighting.signal)
        written = library.upsert_paper(sighting.paper, discovery, titles)
        report.papers[written.outcome] += 1


def _import_hf_page(
    library: Library, text: str, as_of: date, origin: str, report: ImportReport
) -> None:
    page = parse_hf_page(text, as_of)
    signal: dict[str, object] = {}
    if page.listing_date:
        signal["listed"] = page.listing_date.isoformat()
    sightings = [Sighting(p, {"upvotes": p.upvotes, **signal}) for p in page.papers]
    _store_sightings(library, sightings, "hf-page", origin, report)


def import_file(
    library: Library,
    path: Path,
    as_of: date | None = None,
    badges: BadgeVocabulary | None = None,
) -> ImportReport:
    """Import one file. Without ``as_of``, a page's missing year is read against the file's
    modification date. With ``badges``, a dossier's badges must be in that vocabulary."""
    text = read_text(path)
    if as_of is None:
        as_of = datetime.fromtimestamp(path.stat().st_mtime).date()
    return import_text(library, text, str(path), as_of, badges=badges)


def sample_as_of() -> date:
    """The date the bundled sample pages were saved (``data/sample/manifest.toml``)."""
    with (sample_dir() / "manifest.toml").open("rb") as handle:
        return date.fromisoformat(str(tomllib.load(handle)["as_of"]))


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
