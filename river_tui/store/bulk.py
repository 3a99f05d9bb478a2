"""Storing many sightings at once: what an import and a refresh run for each batch they read.

:func:`~river_tui.store.ingest.upsert_paper` stores one paper in about 0.7 ms: a look-up, an
insert whose trigger indexes the paper for search (0.3 ms), the beat classifier (0.3 ms) and a
few small writes. :func:`store_batch` stores the same rows for a batch, faster, in the caller's
transaction:

* **New web items** (a feed's items, named by their URL) are inserted together
  (``executemany``). The full-text index's insert trigger is set aside meanwhile and the batch's
  rows are indexed by one ``INSERT ... SELECT`` (six times cheaper a row), then the trigger is
  made again from its stored SQL, all in the same transaction: another connection never sees
  the library without it, and a batch that fails leaves the trigger as it was. Their beat
  matches come from :class:`~river_tui.domain.beat_scan.BeatScanner` (the same matches
  :func:`~river_tui.domain.classify` gives) and are written together, as are their sightings.
* **Web items River has, unchanged** by this sighting (a feed imported again) get the same
  writes as through ``upsert_paper`` (their sighting, the beat matches of their stored text),
  together.
* **Everything else** (a paper that may merge by title or arXiv id, a web item this sighting
  changes, an item listed twice) goes through :func:`~river_tui.store.ingest.upsert_paper`,
  after the others, in the batch's order.

The rows are those ``upsert_paper`` would write for the same sightings (timestamps aside):
``tests/test_bulk_store.py`` compares the two.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from river_tui.domain import Beat, BeatMatch, Discovery, ItemKind, Sighting, normalize_title
from river_tui.domain.beat_scan import BeatScanner
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
from river_tui.store.rows import hits_json, paper_columns

FTS_INSERT_TRIGGER = "papers_fts_ai"
"""The trigger that indexes each inserted paper for search (``store/migrations.py``)."""
_LOOKUP = 500
"""Ids looked up in one statement (SQLite allows 32,766 parameters)."""


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
    ids = [s.paper.id for s in sightings]
    web = [ids[i] for i, s in enumerate(sightings) if s.paper.kind is ItemKind.WEB]
    known = _known_rows(conn, web)
    fresh: dict[str, int] = {}  # id -> index of its first sighting, for new web items
    for index, sighting in enumerate(sightings):
        paper_id = ids[index]
        if sighting.paper.kind is ItemKind.WEB and paper_id not in known and paper_id not in fresh:
            fresh[paper_id] = index
    writes: list[PaperWrite | None] = [None] * len(sightings)
    if fresh:
        new = [(paper_id, sightings[i]) for paper_id, i in fresh.items()]
        inserted = _insert_new(conn, new, source, origin, seen_at)
        scanner = BeatScanner(beats) if matches is None else None
        rows = []
        for paper_id, index in fresh.items():
            paper = sightings[index].paper
            pk = inserted[paper_id]
            writes[index] = PaperWrite(pk, paper_id, Outcome.NEW)
            found = scanner.classify(paper.title, paper.abstract) if scanner else matches[index]
            rows += _match_rows(pk, found)
        conn.executemany(_INSERT_MATCH, rows)
    _store_unchanged(conn, sightings, ids, known, writes, source, origin, seen_at, beats)
    for index, sighting in enumerate(sightings):
        if writes[index] is None:
            discovery = Discovery(source, seen_at, origin, sighting.signal)
            writes[index] = upsert_paper(conn, sighting.paper, discovery, beats, titles)
    return [write for write in writes if write is not None]


_INSERT_MATCH = (
    "INSERT INTO beat_matches(paper_pk, beat, verdict, score, hits, excluded_by) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def _match_rows(pk: int, matches: list[BeatMatch]) -> list[tuple[object, ...]]:
    """The ``beat_matches`` rows of paper ``pk`` (as ``write_matches`` writes them)."""
    return [
        (pk, m.beat, str(m.verdict), m.score, hits_json(m.hits), hits_json(m.excluded_by))
        for m in matches
    ]


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
    sightings: Sequence[Sighting],
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
    for index, sighting in enumerate(sightings):
        paper, old = sighting.paper, known.get(ids[index])
        if writes[index] is not None or old is None or old["kind"] != str(ItemKind.WEB):
            continue
        if paper.kind is not ItemKind.WEB or paper.arxiv is not None or ids[index] in twice:
            continue  # listed twice: one by one, each seeing what the one before wrote
        columns = paper_columns(paper)
        if older_listing(old, paper):
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
        [
            (old["pk"], source, origin, seen, json.dumps(sightings[i].signal, sort_keys=True))
            for i, old in same
        ],
    )
    scanner = BeatScanner(beats)
    pks = [old["pk"] for _i, old in same]
    conn.executemany("DELETE FROM beat_matches WHERE paper_pk = ?", [(pk,) for pk in pks])
    conn.executemany(
        _INSERT_MATCH,
        [
            row
            for _i, old in same
            for row in _match_rows(old["pk"], scanner.classify(old["title"], old["abstract"]))
        ],
    )
    for index, old in same:
        writes[index] = PaperWrite(old["pk"], old["id"], Outcome.UNCHANGED)


def _insert_new(
    conn: sqlite3.Connection,
    new: list[tuple[str, Sighting]],
    source: str,
    origin: str,
    seen_at: datetime,
) -> dict[str, int]:
    """Insert papers River does not have (by id), indexed for search and with their sightings
    (and arXiv versions); their pks by id."""
    stamp = now()
    rows = []
    for paper_id, sighting in new:
        paper = sighting.paper
        columns = paper_columns(paper)
        columns |= {
            "id": paper_id,
            "title_key": normalize_title(paper.title),
            "first_seen": stamp,
            "last_seen": stamp,
        }
        rows.append(tuple(columns.values()))
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    before = conn.execute("SELECT COALESCE(MAX(pk), 0) FROM papers").fetchone()[0]
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (FTS_INSERT_TRIGGER,)
    ).fetchone()
    if trigger is not None:
        conn.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
    conn.executemany(f"INSERT INTO papers ({names}) VALUES ({marks})", rows)
    if trigger is not None:
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
        [
            (pks[paper_id], source, origin, seen, json.dumps(s.signal, sort_keys=True))
            for paper_id, s in new
        ],
    )
    for paper_id, sighting in new:
        paper = sighting.paper
        if paper.arxiv is not None and paper.version is not None:
            comment = paper.extra.get("comment")
            comment = clean_line(comment) if isinstance(comment, str) else ""
            discovery = Discovery(source, seen_at, origin)
            keep_version(conn, pks[paper_id], paper, comment, discovery, stamp)
    return pks
