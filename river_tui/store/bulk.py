"""Storing many sightings at once: what an import and a refresh run for each batch they read.

:func:`~river_tui.store.ingest.upsert_paper` stores one paper in about 0.7 ms: a look-up, an
insert whose trigger indexes the paper for search (0.3 ms), the beat classifier (0.3 ms) and a
few small writes. :func:`store_batch` stores the same rows for a batch, faster, in the caller's
transaction:

* **New web items** (a feed's items, named by their URL) are inserted together
  (``executemany``). The full-text index's insert trigger is set aside meanwhile and the batch's
  rows are indexed by one ``INSERT ... SELECT`` (six times cheaper a row), then the trigger is
  made again from its stored SQL, all in the same transaction: another connection never sees
  the library without it, and a batch that fails leaves the trigger as it was. For a large
  batch FTS5 is given a larger hash and merges more segments at a time during that statement
  (:data:`FTS_HASH_BYTES`, :data:`FTS_BULK_MERGE`), both set back before the transaction
  ends. Their beat matches come from :class:`~river_tui.domain.beat_scan.BeatScanner` (the
  same matches :func:`~river_tui.domain.classify` gives) and are written together, as are
  their sightings.
* **Web items River has, unchanged** by this sighting (a feed imported again) get the same
  writes as through ``upsert_paper`` (their sighting, the beat matches of their stored text),
  together.
* **Everything else** (a paper that may merge by title or arXiv id, a web item this sighting
  changes, an item listed twice) goes through :func:`~river_tui.store.ingest.upsert_paper`,
  after the others, in the batch's order.

A feed import sends its batches as rows (:func:`store_rows`: each paper's row, worked out
where it was read, :mod:`river_tui.domain.rows`); a paper that does not go in as a new row is
read back from it. The rows are those ``upsert_paper`` would write for the same sightings
(timestamps aside): ``tests/test_bulk_store.py`` compares the two, from sightings and from rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from river_tui.domain import Beat, BeatMatch, Discovery, ItemKind, Paper, Sighting, normalize_title
from river_tui.domain.beat_scan import BeatScanner
from river_tui.domain.rows import (
    METADATA,
    PAPER_COLUMNS,
    MatchRow,
    PaperRow,
    match_rows,
    paper_row,
    row_paper,
    signal_json,
)
from river_tui.domain.text import clean_line
from river_tui.store.db import now
from river_tui.store.ingest import (
    SIGNALS,
    Outcome,
    PaperWrite,
    TitleIndex,
    keep_version,
    upsert_paper,
)
from river_tui.store.ingest import _merge as merge_columns
from river_tui.store.ingest import _older_listing as older_listing

FTS_INSERT_TRIGGER = "papers_fts_ai"
"""The trigger that indexes each inserted paper for search (``store/migrations.py``)."""
_LOOKUP = 500
"""Ids looked up in one statement (SQLite allows 32,766 parameters)."""
FTS_HASH_BYTES = 64 << 20
"""The full-text index's memory for what a batch adds (FTS5's ``hashsize``, 1 MiB by default)
while a large batch is indexed: one segment written at the commit instead of one a MiB, and
fewer of them to merge (the index's insert takes about a fifth less time)."""
FTS_DEFAULT_HASH = 1 << 20
FTS_BULK_MERGE = 8
"""Segments of a level FTS5 merges into one while a large batch is indexed (``automerge``, 4
by default): the index's insert and merges take about a tenth less time; at 100,000 papers
it has 16 segments instead of 9 (searches measured the same), merged as later writes come."""
FTS_DEFAULT_MERGE = 4
_LARGE = 200
"""Papers in a batch from which the index is given :data:`FTS_HASH_BYTES`."""
_KIND = PAPER_COLUMNS.index("kind")
_ARXIV = PAPER_COLUMNS.index("arxiv_id")
_VERSION = PAPER_COLUMNS.index("version")
_TITLE = PAPER_COLUMNS.index("title")
_ABSTRACT = PAPER_COLUMNS.index("abstract")
_WEB = ItemKind.WEB.value


def store_batch(
    conn: sqlite3.Connection,
    sightings: Sequence[Sighting],
    source: str,
    origin: str,
    seen_at: datetime,
    beats: list[Beat],
    titles: TitleIndex,
    matches: Sequence[list[BeatMatch]] | None = None,
) -> list[PaperWrite]:
    """Store ``sightings`` (seen by ``source`` in ``origin`` at ``seen_at``) as the module says;
    what each write did, in the order given. ``matches``: each paper's matches to ``beats``,
    when the caller has them (:class:`~river_tui.domain.beat_scan.BeatScanner`'s). Call inside
    a transaction."""
    return store_rows(
        conn,
        [paper_row(s.paper) for s in sightings],
        [signal_json(s.signal) for s in sightings],
        None if matches is None else [match_rows(found) for found in matches],
        source,
        origin,
        seen_at,
        beats,
        titles,
        lambda index: sightings[index],
    )


def store_rows(
    conn: sqlite3.Connection,
    rows: Sequence[PaperRow],
    signals: Sequence[str],
    matches: Sequence[Sequence[MatchRow]] | None,
    source: str,
    origin: str,
    seen_at: datetime,
    beats: list[Beat],
    titles: TitleIndex,
    sighting: Callable[[int], Sighting] | None = None,
) -> list[PaperWrite]:
    """:func:`store_batch` of sightings as their rows (:func:`~river_tui.domain.rows.paper_row`),
    their signals as JSON and their matches as rows (worked out where they were read).
    ``sighting(i)``: the i-th sighting, if the caller has it (else it is read back from its
    row, for the few papers the batch does not insert as they are). Call inside a
    transaction."""

    def sighting_at(index: int) -> Sighting:
        if sighting is not None:
            return sighting(index)
        return Sighting(row_paper(rows[index]), json.loads(signals[index]))

    ids = [row[0] for row in rows]
    web = [row[0] for row in rows if row[_KIND] == _WEB]
    known = _known_rows(conn, web)
    fresh: dict[str, int] = {}  # id -> index of its first sighting, for new web items
    for index, row in enumerate(rows):
        paper_id = row[0]
        if row[_KIND] == _WEB and paper_id not in known and paper_id not in fresh:
            fresh[paper_id] = index
    writes: list[PaperWrite | None] = [None] * len(rows)
    if fresh:
        inserted = _insert_new(conn, rows, signals, fresh, source, origin, seen_at, sighting_at)
        scanner = BeatScanner(beats) if matches is None else None
        found: list[tuple[object, ...]] = []
        for paper_id, index in fresh.items():
            pk = inserted[paper_id]
            writes[index] = PaperWrite(pk, paper_id, Outcome.NEW)
            if scanner is not None:
                row = rows[index]
                paper_matches = match_rows(scanner.classify(row[_TITLE], row[_ABSTRACT]))
            else:
                assert matches is not None
                paper_matches = matches[index]
            found += [(pk, *match) for match in paper_matches]
        conn.executemany(_INSERT_MATCH, found)
    _store_unchanged(conn, rows, signals, ids, known, writes, source, origin, seen_at, beats)
    for index in range(len(rows)):
        if writes[index] is None:
            item = sighting_at(index)
            discovery = Discovery(source, seen_at, origin, item.signal)
            writes[index] = upsert_paper(conn, item.paper, discovery, beats, titles)
    return [write for write in writes if write is not None]


_INSERT_MATCH = (
    "INSERT INTO beat_matches(paper_pk, beat, verdict, score, hits, excluded_by) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def _known_rows(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, sqlite3.Row]:
    """The stored rows of the papers among ``ids`` River has, by id."""
    wanted = list(dict.fromkeys(ids))
    known: dict[str, sqlite3.Row] = {}
    for start in range(0, len(wanted), _LOOKUP):
        chunk = wanted[start : start + _LOOKUP]
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(f"SELECT * FROM papers WHERE id IN ({marks})", chunk):
            known[row["id"]] = row
    return known


def _store_unchanged(
    conn: sqlite3.Connection,
    rows: Sequence[PaperRow],
    signals: Sequence[str],
    ids: list[str],
    known: dict[str, sqlite3.Row],
    writes: list[PaperWrite | None],
    source: str,
    origin: str,
    seen_at: datetime,
    beats: list[Beat],
) -> None:
    """Web items River has, which this sighting does not change (a feed imported again): what
    ``upsert_paper`` writes for them (the sighting, the beat matches of the stored text),
    together. A sighting that changes its item is left to ``upsert_paper``."""
    same: list[tuple[int, sqlite3.Row]] = []
    twice = {paper_id for paper_id, count in Counter(ids).items() if count > 1}
    for index, row in enumerate(rows):
        old = known.get(ids[index])
        if writes[index] is not None or old is None or old["kind"] != _WEB:
            continue
        if row[_KIND] != _WEB or row[_ARXIV] is not None or ids[index] in twice:
            continue  # listed twice: one by one, each seeing what the one before wrote
        columns = dict(zip(METADATA, row[2:], strict=True))
        if older_listing(old, _Extra(columns["extra"])):
            columns = {k: v for k, v in columns.items() if k not in SIGNALS and k != "extra"}
        merged = merge_columns(old, columns, authoritative=False)
        if "title" in merged:
            merged["title_key"] = normalize_title(str(merged["title"]))
        if any(old[k] != v for k, v in merged.items()):
            continue
        same.append((index, old))
    if not same:
        return
    seen = seen_at.isoformat(timespec="seconds")
    conn.executemany(
        "INSERT OR IGNORE INTO discoveries(paper_pk, source, origin, seen_at, signal) "
        "VALUES (?, ?, ?, ?, ?)",
        [(old["pk"], source, origin, seen, signals[i]) for i, old in same],
    )
    scanner = BeatScanner(beats)
    pks = [old["pk"] for _i, old in same]
    conn.executemany("DELETE FROM beat_matches WHERE paper_pk = ?", [(pk,) for pk in pks])
    conn.executemany(
        _INSERT_MATCH,
        [
            (old["pk"], *match)
            for _i, old in same
            for match in match_rows(scanner.classify(old["title"], old["abstract"]))
        ],
    )
    for index, old in same:
        writes[index] = PaperWrite(old["pk"], old["id"], Outcome.UNCHANGED)


class _Extra:
    """What :func:`~river_tui.store.ingest._older_listing` reads of a paper: its ``extra``."""

    def __init__(self, extra: str) -> None:
        self.extra = json.loads(extra)


@contextmanager
def _fts_hash(conn: sqlite3.Connection, papers: int) -> Iterator[None]:
    """The full-text index set for ``papers`` (if many) added by one statement, and as it was
    again before the transaction ends (the settings are never left behind): given
    :data:`FTS_HASH_BYTES`, and merging its segments 8 at a time instead of 4
    (:data:`FTS_BULK_MERGE`)."""
    if papers < _LARGE:
        yield
        return
    stored = dict(
        conn.execute(
            "SELECT k, v FROM papers_fts_config WHERE k IN ('hashsize', 'automerge')"
        ).fetchall()
    )
    _set_fts(conn, "hashsize", FTS_HASH_BYTES)
    _set_fts(conn, "automerge", FTS_BULK_MERGE)
    yield
    _set_fts(conn, "hashsize", int(stored.get("hashsize", FTS_DEFAULT_HASH)))
    _set_fts(conn, "automerge", int(stored.get("automerge", FTS_DEFAULT_MERGE)))


def _set_fts(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute("INSERT INTO papers_fts(papers_fts, rank) VALUES (?, ?)", (key, value))


def _insert_new(
    conn: sqlite3.Connection,
    rows: Sequence[PaperRow],
    signals: Sequence[str],
    fresh: dict[str, int],
    source: str,
    origin: str,
    seen_at: datetime,
    sighting_at: Callable[[int], Sighting],
) -> dict[str, int]:
    """Insert the papers River does not have (``fresh``: the index of each in ``rows``, by
    id), indexed for search and with their sightings (and arXiv versions); their pks by id."""
    stamp = now()
    names = ", ".join((*PAPER_COLUMNS, "first_seen", "last_seen"))
    marks = ", ".join("?" * (len(PAPER_COLUMNS) + 2))
    before = conn.execute("SELECT COALESCE(MAX(pk), 0) FROM papers").fetchone()[0]
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (FTS_INSERT_TRIGGER,)
    ).fetchone()
    if trigger is not None:
        conn.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
    conn.executemany(
        f"INSERT INTO papers ({names}) VALUES ({marks})",
        [(*rows[index], stamp, stamp) for index in fresh.values()],
    )
    if trigger is not None:
        with _fts_hash(conn, len(fresh)):
            conn.execute(
                "INSERT INTO papers_fts(rowid, title, abstract, authors) "
                "SELECT pk, title, abstract, authors FROM papers WHERE pk > ?",
                (before,),
            )
        conn.execute(trigger[0])
    pks = dict(conn.execute("SELECT id, pk FROM papers WHERE pk > ?", (before,)).fetchall())
    seen = seen_at.isoformat(timespec="seconds")
    conn.executemany(
        "INSERT OR IGNORE INTO discoveries(paper_pk, source, origin, seen_at, signal) "
        "VALUES (?, ?, ?, ?, ?)",
        [(pks[paper_id], source, origin, seen, signals[i]) for paper_id, i in fresh.items()],
    )
    for paper_id, index in fresh.items():
        row = rows[index]
        if row[_ARXIV] is not None and row[_VERSION] is not None:
            paper: Paper = sighting_at(index).paper
            comment = paper.extra.get("comment")
            comment = clean_line(comment) if isinstance(comment, str) else ""
            discovery = Discovery(source, seen_at, origin)
            keep_version(conn, pks[paper_id], paper, comment, discovery, stamp)
    return pks
