"""The library: one SQLite file. The only door to the data for the UI, the CLI and refresh."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from river_tui.domain import (
    Beat,
    BeatMatch,
    Discovery,
    Paper,
    PaperRecord,
    PaperSummary,
    Sighting,
    TriageState,
)
from river_tui.domain.authors import Following
from river_tui.domain.interest import Example
from river_tui.domain.papers import Bounds, PaperVersion
from river_tui.domain.triage import Decision
from river_tui.store import (
    authors,
    backup,
    beat_terms,
    citekeys,
    counts,
    fetches,
    harvests,
    learning,
    papers,
    triage,
)
from river_tui.store import similar as likeness
from river_tui.store.authors import FollowedAuthor
from river_tui.store.db import (
    LibraryError,
    bulk_writing,
    connect,
    describe,
    is_read_only,
    now,
    transaction,
)
from river_tui.store.fetches import FetchRecord
from river_tui.store.harvests import HarvestState
from river_tui.store.health import Health, check
from river_tui.store.learned import Learned
from river_tui.store.migrations import LATEST, current_version, migrate
from river_tui.store.papers import PaperFilter

if TYPE_CHECKING:  # the claims and writing seams: see where each is used below
    from river_tui.domain.claims import Claim, Dossier, Post, SourceLink
    from river_tui.domain.rows import MatchRow, PaperRow
    from river_tui.store.claims import DossierSummary, DossierWrite
    from river_tui.store.ingest import BatchWrite, PaperWrite, TitleIndex
    from river_tui.store.leads import ClaimTerms

__all__ = ["Library", "LibraryError", "PaperFilter"]

BEATS_KEY = "beats.key"
"""Meta: :func:`beats_key` of the beats the stored matches were made with."""
BEATS_FINGERPRINT = "beats.fingerprint"
"""Meta of libraries matched before ``beats.key`` was kept: the SHA-256 of that key."""
log = logging.getLogger(__name__)


def beats_key(beats: list[Beat]) -> str:
    """Everything that decides beat membership, as text. It is stored and compared as it is:
    a digest would load ``hashlib`` (OpenSSL) at every start for a few hundred bytes."""
    return json.dumps(
        [[b.name, list(b.tags), list(b.include), list(b.exclude)] for b in beats],
        ensure_ascii=False,
    )


def _digest_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Library:
    """One open library. Use one per thread (SQLite connections belong to their thread)."""

    def __init__(self, conn: sqlite3.Connection, path: str, beats: list[Beat]) -> None:
        self.conn = conn
        self.path = path
        self.beats = beats
        self.read_only = is_read_only(conn)
        self.migration_backup: Path | None = None
        """The copy made before this open upgraded the schema, if it did."""

    @classmethod
    def open(
        cls, path: Path | str, beats: list[Beat] | None = None, read_only: bool | None = None
    ) -> Library:
        """Open (creating, or upgrading, if needed) the library at ``path``.

        Before upgrading the schema of a library that holds data, a copy is written beside it
        (``<db>.v<N>.bak``, with SQLite's backup API). A library River cannot write (or
        ``read_only=True``, or ``RIVER_READ_ONLY=1``) opens read-only: reads work, writes raise
        :class:`LibraryError` ("the library is read-only")."""
        conn = connect(path, read_only)
        backup: Path | None = None
        try:
            if is_read_only(conn):
                _check_readable_version(conn, path)
            else:
                backup = _backup_before_migration(conn, Path(path))
                if backup is not None:  # some steps rebuild an index: seconds in a big library
                    log.warning("upgrading %s to schema v%d…", path, LATEST)
                migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise LibraryError(f"{path}: not a usable River library: {describe(exc)}") from exc
        except LibraryError:
            conn.close()
            raise
        library = cls(conn, str(path), beats or [])
        library.migration_backup = backup
        if beats is not None and not library.read_only:
            library.sync_beats()
        return library

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """``with library.transaction():`` groups writes into one ``BEGIN IMMEDIATE``."""
        if self.read_only:
            raise LibraryError(f"{self.path}: the library is read-only; nothing was changed")
        return transaction(self.conn)

    def bulk_writing(self) -> AbstractContextManager[None]:
        """``with library.bulk_writing():`` around many write transactions in a row (an
        import): a larger page cache, the WAL copied into the library less often
        (:func:`~river_tui.store.db.bulk_writing`)."""
        if self.read_only:
            return nullcontext()
        return bulk_writing(self.conn)

    def backup(self, dest: Path | str, force: bool = False) -> Path:
        """Copy the library to ``dest`` with SQLite's online backup API (consistent even while
        another process writes). Refuses to replace ``dest`` unless ``force``."""
        return backup.backup_to(self.conn, self.path, Path(dest), force)

    # -- meta ---------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- papers: writing (store/ingest.py) and reading (store/papers.py) -----------------------
    def title_index(self, arxiv_only: bool = False) -> TitleIndex:
        """The titles papers may merge into by title (``arxiv_only``: for a batch of papers
        that all carry an arXiv id, only those of papers without one: see ``TitleIndex``)."""
        from river_tui.store import ingest  # a seam: writing papers

        return ingest.TitleIndex(self.conn, arxiv_only)

    def upsert_paper(
        self, paper: Paper, discovery: Discovery, titles: TitleIndex | None = None
    ) -> PaperWrite:
        from river_tui.store import ingest  # a seam: writing papers

        with self.transaction():
            return ingest.upsert_paper(
                self.conn, paper, discovery, self.beats, titles or self.title_index()
            )

    def upsert_papers(
        self,
        sightings: Iterable[Sighting],
        discovery: Discovery,
        titles: TitleIndex | None = None,
        claims: list[ClaimTerms] | None = None,
    ) -> BatchWrite:
        """Store many papers in one transaction (the caller's, if one is open): each sighting
        recorded as ``discovery`` with its own signal, and each new paper listed under the
        active claims it may bear on (``claims``: read when not given)."""
        from river_tui.store import ingest, leads  # a seam: writing papers

        titles = self.title_index() if titles is None else titles
        with self.transaction():
            done, new = ingest.upsert_batch(self.conn, sightings, discovery, self.beats, titles)
            done.leads = leads.find_leads(self.conn, new, discovery.seen_at.date(), claims)
        return done

    def store_rows(
        self,
        rows: Sequence[PaperRow],
        signals: Sequence[str],
        matches: Sequence[Sequence[MatchRow]] | None,
        source: str,
        origin: str,
        seen_at: datetime,
        titles: TitleIndex | None = None,
    ) -> list[PaperWrite]:
        """:meth:`store_batch` of sightings sent as rows (a feed import's batches: the rows
        of :func:`~river_tui.domain.rows.paper_row`, signals and matches as rows)."""
        from river_tui.store import bulk  # a seam: writing papers

        with self.transaction():
            return bulk.store_rows(
                self.conn,
                rows,
                signals,
                matches,
                source,
                origin,
                seen_at,
                self.beats,
                titles or self.title_index(),
            )

    def store_batch(
        self,
        sightings: Sequence[Sighting],
        source: str,
        origin: str,
        seen_at: datetime,
        titles: TitleIndex | None = None,
        matches: Sequence[list[BeatMatch]] | None = None,
    ) -> list[PaperWrite]:
        """Store many sightings in one transaction, the new web items together
        (:mod:`river_tui.store.bulk`); what each write did, in order. ``matches``: each
        paper's matches to this library's beats, when the caller has them."""
        from river_tui.store import bulk  # a seam: writing papers

        with self.transaction():
            return bulk.store_batch(
                self.conn,
                sightings,
                source,
                origin,
                seen_at,
                self.beats,
                titles or self.title_index(),
                matches,
            )

    def add_aliases(self, pk: int, aliases: Iterable[str]) -> None:
        """Old ids that should keep naming paper ``pk`` (from a backup)."""
        with self.transaction():
            self.conn.executemany(
                "INSERT OR IGNORE INTO paper_aliases(alias, paper_pk) SELECT ?, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM papers WHERE id = ?)",
                [(alias, pk, alias) for alias in aliases],
            )

    def reclassify(self) -> int:
        from river_tui.store import ingest  # a seam: writing papers

        with self.transaction():
            return ingest.reclassify_all(self.conn, self.beats)

    def sync_beats(self) -> bool:
        """Reclassify every paper when the beats differ from those the matches were made with.

        Returns True when it reclassified."""
        key = beats_key(self.beats)
        if self._beats_kept(key):
            return False
        with self.transaction():
            if self._beats_kept(key):  # another process has just synced them
                return False
            # A digest is written only by a River older than beats.key, and only by it: when
            # there is one, that River matched the papers last (after a downgrade too).
            digest = self.get_meta(BEATS_FINGERPRINT)
            reclassify = digest is None or digest != _digest_of(key)
            if reclassify:
                from river_tui.store import ingest  # a seam: writing papers

                ingest.reclassify_all(self.conn, self.beats)
            self.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (BEATS_KEY, key)
            )
            self.conn.execute("DELETE FROM meta WHERE key = ?", (BEATS_FINGERPRINT,))
        return reclassify

    def _beats_kept(self, key: str) -> bool:
        """The matches were made with the beats ``key`` stands for (read only)."""
        return self.get_meta(BEATS_FINGERPRINT) is None and self.get_meta(BEATS_KEY) == key

    def papers(
        self,
        flt: PaperFilter | None = None,
        limit: int = -1,
        offset: int = 0,
        in_order: bool = False,
        from_end: bool = False,
    ) -> list[PaperSummary]:
        """A page of the view ``flt`` (``in_order``, ``from_end``: see
        :func:`papers.list_papers`)."""
        flt = flt or PaperFilter()
        return papers.list_papers(self.conn, flt, self.beats, limit, offset, in_order, from_end)

    def interrupt_when(self, cancelled: Callable[[], bool]) -> None:
        """Abandon any query on this connection as soon as ``cancelled()`` is true (a search
        overtaken by newer typing): the query raises ``sqlite3.OperationalError``."""
        self.conn.set_progress_handler(lambda: int(cancelled()), 20_000)

    def count(self, flt: PaperFilter | None = None) -> int:
        return papers.count_papers(self.conn, flt or PaperFilter(), self.beats)

    def count_view(self, flt: PaperFilter) -> tuple[int, int]:
        """How many papers ``flt`` selects, and how many of them are new (one query)."""
        return papers.count_view(self.conn, flt, self.beats)

    def count_view_up_to(self, flt: PaperFilter, most: int) -> tuple[int, int] | None:
        """:meth:`count_view` if ``flt`` selects at most ``most`` papers (or is counted from a
        table of its own), else None (read no further than that)."""
        return papers.count_view_up_to(self.conn, flt, self.beats, most)

    def contains(self, flt: PaperFilter, pk: int) -> bool:
        """Whether paper ``pk`` is in the view ``flt`` (cheaper than its :meth:`position`)."""
        return papers.contains(self.conn, flt, self.beats, pk)

    def position(self, flt: PaperFilter, pk: int, total: int | None = None) -> int | None:
        """Index of paper ``pk`` in the view ``flt``, or None if not in it (``total``: the
        view's count, to count from its end: see :func:`papers.position`)."""
        return papers.position(self.conn, flt, self.beats, pk, total)

    def next_unread(self, flt: PaperFilter, pk: int | None, forward: bool = True) -> int | None:
        """The next (or previous) unread paper of the view after paper ``pk``, if any."""
        return papers.next_unread(self.conn, flt, self.beats, pk, forward)

    def similar(self, pk: int, limit: int = 10) -> list[likeness.Similar]:
        """The papers most like paper ``pk``, best first, each with the words it shares with
        it (:func:`river_tui.store.similar.similar`: a "more like this" query over the
        full-text index)."""
        return likeness.similar(self.conn, pk, limit)

    def similar_view(self, pk: int) -> tuple[likeness.Similar, ...]:
        """The papers the reader's view of papers like ``pk`` lists (kept between calls until
        the library has a new paper: :func:`river_tui.store.similar.ranked`)."""
        return likeness.ranked(self.conn, pk)

    def resolve(self, paper_id: str) -> int | None:
        return papers.resolve(self.conn, paper_id)

    def record(self, pk: int, bounds: Bounds | None = None) -> PaperRecord | None:
        """Paper ``pk``, whole; with ``bounds``, its long fields cut to them (what a view can
        show of a paper of megabytes: ``PaperRecord.sizes`` says what was cut)."""
        return papers.get_record(self.conn, pk, self.beats, bounds)

    def citation_keys(self, pks: Iterable[int]) -> dict[int, str]:
        """The citation key of each paper of ``pks``, the same whatever else is cited with it
        (:mod:`river_tui.store.citekeys`)."""
        return citekeys.citation_keys(self.conn, pks)

    def versions(self, pk: int) -> list[PaperVersion]:
        """The arXiv versions of paper ``pk`` River has seen, oldest first."""
        return papers.versions(self.conn, pk)

    def paper_part(self, pk: int, field: str, start: int, size: int) -> list[str] | str:
        """At most ``size`` bytes of paper ``pk``'s title or abstract from byte ``start`` (0 is
        the first), or ``size`` of its authors: the rest of a field a bounded read cut."""
        return papers.paper_part(self.conn, pk, field, start, size)

    def find(self, paper_id: str) -> PaperRecord | None:
        pk = self.resolve(paper_id)
        return self.record(pk) if pk is not None else None

    def beat_counts(self) -> dict[str, tuple[int, int]]:
        return counts.beat_counts(self.conn)

    def feed_counts(self) -> dict[str, tuple[int, int]]:
        """Each feed's fetch-log key -> (papers, unread papers) its refreshes brought."""
        return papers.feed_counts(self.conn)

    def tag_counts(
        self, on_beats: dict[str, tuple[int, int]] | None = None
    ) -> dict[str, tuple[int, int]]:
        """tag -> (papers, unread papers); ``on_beats``: :meth:`beat_counts`, if known."""
        return counts.tag_counts(self.conn, self.beats, on_beats)

    # -- user state: triage, tags, hand-assigned beats, notes, undo -------------------------------
    # Never written by imports or refreshes. Every change is logged, so `undo` works after a
    # restart too.
    def set_state(self, pk: int, state: TriageState) -> bool:
        with self.transaction():
            return triage.set_state(self.conn, pk, state)

    def set_starred(self, pk: int, starred: bool) -> bool:
        with self.transaction():
            return triage.set_starred(self.conn, pk, starred)

    def note(self, pk: int) -> str:
        """Paper ``pk``'s note, whole ("" for none)."""
        return triage.note_of(self.conn, pk)

    def set_note(self, pk: int, text: str) -> bool:
        """Paper ``pk``'s note becomes ``text`` (made inert; "" clears it), one undoable
        decision. False when it is the note already there. Raises
        :class:`~river_tui.domain.notes.NoteTooLong` (a ValueError) for a note over 100 kB,
        before anything is written."""
        with self.transaction():
            return triage.set_note(self.conn, pk, text)

    def add_tag(self, pk: int, tag: str) -> bool:
        with self.transaction():
            return triage.decide(self.conn, triage.Action.TAG, pk, tag)

    def remove_tag(self, pk: int, tag: str) -> bool:
        with self.transaction():
            return triage.undecide(self.conn, triage.Action.TAG, pk, tag)

    def assign_beat(self, pk: int, beat: str) -> bool:
        if beat not in {b.name for b in self.beats}:
            raise LibraryError(f"no beat named {beat!r}")
        with self.transaction():
            return triage.decide(self.conn, triage.Action.BEAT, pk, beat)

    def unassign_beat(self, pk: int, beat: str) -> bool:
        with self.transaction():
            return triage.undecide(self.conn, triage.Action.BEAT, pk, beat)

    def mark_all(self, flt: PaperFilter, state: TriageState = TriageState.READ) -> int:
        """Set ``state`` on every paper in the view ``flt``, as one undoable action."""
        with self.transaction():
            pks = [s.pk for s in papers.list_papers(self.conn, flt, self.beats)]
            return triage.mark_all(self.conn, pks, state)

    def mark(
        self, pks: Iterable[int], state: TriageState | None = None, starred: bool | None = None
    ) -> int:
        """Set the state or the star (or both) of several papers, as one undoable action."""
        with self.transaction():
            return triage.mark(self.conn, pks, state, starred)

    def tag_all(self, pks: Iterable[int], tag: str, remove: bool = False) -> int:
        """Tag (or untag) several papers, as one undoable action."""
        with self.transaction():
            return triage.tag_all(self.conn, pks, tag, remove)

    # -- what the reader's model learns from (river_tui.learning) -----------------------------
    def decision_labels(self) -> dict[int, bool]:
        """paper pk -> kept (True) or let go (False): see :mod:`river_tui.store.learning`."""
        return learning.labels(self.conn)

    @cached_property
    def learned(self) -> Learned:
        """What River learned from the decisions, as kept here (:mod:`river_tui.store.learned`)."""
        return Learned(self.conn, self.transaction)

    def examples(self, pks: Iterable[int] | None = None) -> list[Example]:
        """Papers as the model reads them (every paper when ``pks`` is None)."""
        return list(learning.examples(self.conn, pks))

    # -- a beat's term suggestions (river_tui.beat_terms, river_tui.learning.suggest) ---------
    def rule_rows(self, pks: Iterable[int] | None = None) -> Iterator[beat_terms.RuleRow]:
        """Papers as a beat's rule reads them: pk, id, title, abstract (all when ``pks`` is
        None), one at a time."""
        return beat_terms.rule_rows(self.conn, pks)

    def beat_decisions(self, beat: Beat) -> tuple[set[int], set[int]]:
        """The papers the reader put on ``beat`` by hand, and those tagged with its tags."""
        return beat_terms.by_hand(self.conn, beat.name), beat_terms.tagged(self.conn, beat.tags)

    def sync_beat(self, beats: list[Beat], name: str) -> int:
        """The beats are now ``beats`` (beat ``name``'s terms changed): its matches are made
        again and the beats recorded, in one transaction. Every paper's matches are made again
        instead if another beat changed too, or the stored matches were not made with the
        beats this library had. Returns the papers reclassified."""
        (beat,) = [b for b in beats if b.name == name]
        others = beats_key([b for b in beats if b.name != name])
        alone = others == beats_key([b for b in self.beats if b.name != name])
        per_beat = alone and self._beats_kept(beats_key(self.beats))
        with self.transaction():
            if per_beat:
                count = beat_terms.reclassify_beat(self.conn, beat)
            else:
                from river_tui.store import ingest  # a seam: writing papers

                count = ingest.reclassify_all(self.conn, beats)
            self.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                (BEATS_KEY, beats_key(beats)),
            )
            self.conn.execute("DELETE FROM meta WHERE key = ?", (BEATS_FINGERPRINT,))
        self.beats = beats
        return count

    def new_batch(self) -> int:
        """An id that groups the decisions of one user action (see :meth:`restore_state`)."""
        return triage.new_batch(self.conn)

    def restore_state(
        self,
        pk: int,
        state: TriageState,
        starred: bool,
        tags: Iterable[str],
        beats: Iterable[str],
        batch: int,
        note: str = "",
    ) -> int:
        """Bring a paper's user state to a backup's, as part of the undoable action ``batch``."""
        known = {b.name for b in self.beats}
        with self.transaction():
            return triage.restore(
                self.conn, pk, state, starred, tags, [b for b in beats if b in known], batch, note
            )

    def undo(self) -> list[Decision]:
        """Reverse the last action not yet undone; repeatable. Returns what was undone."""
        with self.transaction():
            return triage.undo(self.conn)

    def last_undoable(self) -> list[Decision]:
        return triage.last_undoable(self.conn)

    # -- followed authors (store/authors.py) ---------------------------------------------------
    def follow(self, name: str) -> FollowedAuthor | None:
        """Follow ``name``; returns the followed author it already is (None: it was added).
        Raises ValueError for a name with no letter or digit."""
        with self.transaction():
            return authors.follow(self.conn, name)

    def unfollow(self, name: str) -> list[FollowedAuthor]:
        """Stop following every followed author ``name`` can be; returns them."""
        with self.transaction():
            return authors.unfollow(self.conn, name)

    def followed(self) -> list[FollowedAuthor]:
        """The followed authors, in the order followed."""
        return authors.followed(self.conn)

    def following(self) -> Following:
        """The followed authors' keys, to ask which names of a paper are followed."""
        return Following(authors.followed_keys(self.conn))

    def papers_by(self, name: str, limit: int = -1) -> list[PaperSummary]:
        """The papers with an author who can be ``name``, newest first."""
        return self.papers(PaperFilter(author=name), limit=limit)

    # -- dossiers, claims, posts ---------------------------------------------------------------
    # A seam (tests/test_layers.py, tests/benchmarks/import_seams.py): the claims modules load
    # with the first dossier read or written; the reader's first screen needs none of them.
    def save_dossier(self, dossier: Dossier) -> DossierWrite:
        from river_tui.store import claims

        with self.transaction():
            return claims.save_dossier(self.conn, dossier)

    def create_dossier(self, dossier: Dossier) -> None:
        from river_tui.store import tending

        with self.transaction():
            tending.create_dossier(self.conn, dossier)

    def assert_claim(
        self, slug: str, text: str, badge: str, sources: list[SourceLink], on: date
    ) -> int:
        """A new claim with its first event ("asserted as <badge> — First asserted.")."""
        from river_tui.store import tending

        with self.transaction():
            return tending.assert_claim(self.conn, slug, text, badge, sources, on)

    def rebadge(self, claim_id: int, badge: str, reason: str, on: date) -> None:
        from river_tui.store import tending

        with self.transaction():
            tending.rebadge(self.conn, claim_id, badge, reason, on)

    def edit_claim(self, claim_id: int, text: str, reason: str, on: date) -> None:
        from river_tui.store import tending

        with self.transaction():
            tending.edit(self.conn, claim_id, text, reason, on)

    def add_source(self, claim_id: int, source: SourceLink, reason: str, on: date) -> None:
        from river_tui.store import tending

        with self.transaction():
            tending.add_source(self.conn, claim_id, source, reason, on)

    def remove_source(self, claim_id: int, url: str, reason: str, on: date) -> None:
        from river_tui.store import tending

        with self.transaction():
            tending.remove_source(self.conn, claim_id, url, reason, on)

    def requote(
        self, claim_id: int, old: SourceLink, new: SourceLink, reason: str, on: date
    ) -> None:
        """Quote another sentence of a source's paper (its newer version) instead of the
        quote ``old``: one transaction."""
        from river_tui.store import tending

        with self.transaction():
            tending.requote(self.conn, claim_id, old, new, reason, on)

    def claim_terms(self) -> list[ClaimTerms]:
        """Every active claim as weighted terms (store.leads): what new papers are compared
        with. Read once per refresh, outside its write transactions."""
        from river_tui.store import leads

        return leads.claim_terms(self.conn)

    def find_leads(
        self, pks: Iterable[int], on: date, claims: list[ClaimTerms] | None = None
    ) -> int:
        """List the newly arrived papers ``pks`` that may bear on an active claim under it."""
        from river_tui.store import leads

        with self.transaction():
            return leads.find_leads(self.conn, pks, on, claims)

    def attach(self, claim_id: int, pk: int, source: SourceLink, on: date) -> None:
        """Attach a paper listed under the claim as new evidence, as ``source``."""
        from river_tui.store import tending

        with self.transaction():
            tending.attach(self.conn, claim_id, pk, source, on)

    def dismiss(self, claim_id: int, pk: int) -> None:
        """Dismiss a paper listed under the claim: it is never listed for it again."""
        from river_tui.store import tending

        with self.transaction():
            tending.dismiss(self.conn, claim_id, pk)

    def accept(self, claim_id: int, reason: str, on: date) -> None:
        """Keep a claim under review as it is: an event; the review is answered."""
        from river_tui.store import tending

        with self.transaction():
            tending.accept(self.conn, claim_id, reason, on)

    def retract(self, claim_id: int, reason: str, on: date) -> None:
        from river_tui.store import tending

        with self.transaction():
            tending.retract(self.conn, claim_id, reason, on)

    def supersede(self, claim_id: int, text: str, badge: str, reason: str, on: date) -> int:
        from river_tui.store import tending

        with self.transaction():
            return tending.supersede(self.conn, claim_id, text, badge, reason, on)

    def claim(self, claim_id: int) -> Claim | None:
        """One claim, with its sources, history and the papers listed as new evidence."""
        from river_tui.store import claims

        return claims.get_claim(self.conn, claim_id)

    def under_review(self) -> list[tuple[str, Claim]]:
        """(dossier, claim) for each active claim under review (store.evidence)."""
        from river_tui.store import claims

        return claims.under_review(self.conn)

    def watched(self) -> list[str]:
        """The arXiv ids active claims cite (a refresh checks them once a day)."""
        from river_tui.store import claims

        return claims.watched(self.conn)

    def count_under_review(self) -> int:
        from river_tui.store import claims

        return claims.count_under_review(self.conn)

    def dossiers(self) -> list[DossierSummary]:
        from river_tui.store import claims

        return claims.list_dossiers(self.conn)

    def dossier(self, slug: str) -> Dossier | None:
        from river_tui.store import claims

        return claims.get_dossier(self.conn, slug)

    def save_posts(self, tag: str, posts: list[Post]) -> int:
        from river_tui.store import claims

        with self.transaction():
            return claims.save_posts(self.conn, tag, posts)

    def posts(self, tag: str | None = None) -> list[Post]:
        from river_tui.store import claims

        return claims.list_posts(self.conn, tag)

    def post_counts(self) -> dict[str, int]:
        from river_tui.store import claims

        return claims.post_counts(self.conn)

    # -- the fetch log -------------------------------------------------------------------------
    def fetch_record(self, key: str) -> FetchRecord | None:
        return fetches.get_fetch(self.conn, key)

    def record_fetch(self, record: FetchRecord) -> None:
        with self.transaction():
            fetches.record_fetch(self.conn, record)

    def waits(self, now: datetime) -> list[tuple[str, datetime]]:
        """Requests whose host asked to be left alone until a time after ``now``
        (Retry-After): (URL, that time)."""
        return fetches.waits(self.conn, now)

    def last_refresh(self) -> datetime | None:
        return fetches.last_success(self.conn)

    def data_version(self) -> int:
        """Changes whenever another connection commits (``PRAGMA data_version``)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # -- harvests under way (store/harvests.py) --------------------------------------------------
    def harvest_state(self, key: str) -> HarvestState | None:
        return harvests.get_harvest(self.conn, key)

    def save_harvest(self, state: HarvestState) -> None:
        """Where a harvest stands; in the transaction of the page it follows, if one is open."""
        with self.transaction():
            harvests.save_harvest(self.conn, state)

    def clear_harvest(self, key: str) -> None:
        with self.transaction():
            harvests.clear_harvest(self.conn, key)

    def unfinished_harvests(self) -> list[HarvestState]:
        return harvests.unfinished(self.conn)

    # -- imports --------------------------------------------------------------------------------
    def record_import(self, sha256: str, path: str, shape: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR IGNORE INTO imports(sha256, path, shape, imported_at) "
                "VALUES (?, ?, ?, ?)",
                (sha256, path, shape, now()),
            )

    def is_empty(self) -> bool:
        return not self.conn.execute(
            "SELECT 1 FROM papers UNION ALL SELECT 1 FROM dossiers UNION ALL "
            "SELECT 1 FROM posts LIMIT 1"
        ).fetchone()

    # -- health ---------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        import sqlite_utils  # only `river doctor` needs it: the reader starts without it

        db = sqlite_utils.Database(self.conn)
        tables = (
            "papers",
            "discoveries",
            "beat_matches",
            "triage",
            "paper_tags",
            "dossiers",
            "claims",
            "claim_events",
            "posts",
            "imports",
            "fetches",
            "decisions",
        )
        return {name: db.table(name).count for name in tables}

    def health(self) -> Health:
        """Schema version, ``integrity_check``, row counts and the backups made before
        upgrades (:func:`river_tui.store.health.check`)."""
        return check(self)


def _has_data(conn: sqlite3.Connection) -> bool:
    """Whether a library (of any schema version) holds anything a reader would miss."""
    tables = ("papers", "triage", "paper_tags", "dossiers", "posts")
    known = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    return any(
        conn.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone() for name in tables if name in known
    )


def _backup_before_migration(conn: sqlite3.Connection, path: Path) -> Path | None:
    """Copy an older library that holds data to ``<db>.v<N>.bak`` before its schema changes."""
    version = current_version(conn)
    if not 0 < version < LATEST or not _has_data(conn):
        return None
    dest = backup.before_migration_path(path, version)
    backup.backup_to(conn, path, dest)
    log.warning("backed up %s (schema v%d) to %s before upgrading it", path, version, dest)
    return dest


def _check_readable_version(conn: sqlite3.Connection, path: Path | str) -> None:
    """A read-only library cannot be upgraded: it must already have this River's schema."""
    version = current_version(conn)
    if version > LATEST:
        raise LibraryError(
            f"this library has schema version {version}, newer than this River ({LATEST}): "
            "upgrade River"
        )
    if version == 0:
        raise LibraryError(f"{path}: the library is read-only and is not a River library")
    if version < LATEST:
        raise LibraryError(
            f"{path}: the library is read-only and has schema version {version} (this River "
            f"needs {LATEST}): open it once where River can write it, to upgrade it"
        )
