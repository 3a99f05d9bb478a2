"""Writing papers: merge-on-write, sightings and beat matches. What imports and refreshes run.

Nothing here writes ``triage`` or ``paper_tags``: an import or a refresh can never change what
the reader decided about a paper.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from river_tui.domain import (
    Beat,
    BeatMatch,
    Discovery,
    ItemKind,
    Paper,
    Sighting,
    classify,
    normalize_title,
)
from river_tui.domain.ids import provisional_id
from river_tui.domain.merge import best_title_match
from river_tui.domain.papers import HF_LISTING_DATE
from river_tui.domain.text import clean_line
from river_tui.store.db import now
from river_tui.store.evidence import recheck_claims
from river_tui.store.rows import hits_json, paper_columns


class Outcome(StrEnum):
    """What storing a paper did to the library."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class PaperWrite:
    """What storing one paper did: its row, its id and whether it was new or changed."""

    pk: int
    id: str
    outcome: Outcome
    new_version: bool = False


class TitleIndex:
    """Normalized titles of the papers a paper may merge into, loaded once per write batch.

    ``arxiv_only``: every paper written through it carries an arXiv id (a bulk import), so
    only the titles of papers without one are kept (the only ones such a paper may absorb):
    its memory stays the size of those, however many papers the import brings."""

    def __init__(self, conn: sqlite3.Connection, arxiv_only: bool = False) -> None:
        self._any: dict[int, str] = {}
        self._without_arxiv: dict[int, str] = {}
        self.arxiv_only = arxiv_only
        sql = "SELECT pk, title_key, arxiv_id FROM papers WHERE kind = 'paper'"
        rows = conn.execute(sql + (" AND arxiv_id IS NULL" if arxiv_only else ""))
        for pk, key, arxiv_id in rows:
            self.add(pk, key, arxiv_id)

    def add(self, pk: int, key: str, arxiv_id: str | None) -> None:
        if arxiv_id is not None and self.arxiv_only:
            self._without_arxiv.pop(pk, None)
            return
        self._any[pk] = key
        if arxiv_id is None:
            self._without_arxiv[pk] = key
        else:
            self._without_arxiv.pop(pk, None)

    def find(self, paper: Paper) -> int | None:
        # A paper with an arXiv id may only absorb a paper that has none.
        if self.arxiv_only and not paper.arxiv:
            raise ValueError("a title index for arXiv papers only was given one without an id")
        pool = self._without_arxiv if paper.arxiv else self._any
        return best_title_match(paper.title, pool)


def _find_existing(conn: sqlite3.Connection, paper: Paper, titles: TitleIndex) -> int | None:
    if paper.kind is ItemKind.WEB:
        # A web item is its URL: it never merges with a paper that shares its title.
        row = conn.execute("SELECT pk FROM papers WHERE id = ?", (paper.id,)).fetchone()
        return row[0] if row else None
    if paper.arxiv:
        row = conn.execute(
            "SELECT pk FROM papers WHERE arxiv_id = ? UNION ALL "
            "SELECT paper_pk FROM paper_aliases WHERE alias = ? LIMIT 1",
            (paper.arxiv.canonical, paper.arxiv.canonical),
        ).fetchone()
        if row:
            return row[0]
    row = conn.execute(
        "SELECT pk FROM papers WHERE id = ? UNION ALL "
        "SELECT paper_pk FROM paper_aliases WHERE alias = ? LIMIT 1",
        (provisional_id(paper.title),) * 2,
    ).fetchone()
    if row and not _conflicting_arxiv(conn, row[0], paper):
        return row[0]
    return titles.find(paper)


def _conflicting_arxiv(conn: sqlite3.Connection, pk: int, paper: Paper) -> bool:
    stored = conn.execute("SELECT arxiv_id FROM papers WHERE pk = ?", (pk,)).fetchone()[0]
    return bool(stored and paper.arxiv and stored != paper.arxiv.canonical)


SIGNALS = frozenset({"upvotes", "organization"})


def _older_listing(old: sqlite3.Row, paper: Paper) -> bool:
    """True when ``paper`` comes from a listing older than the one the stored signals came from."""
    incoming = paper.extra.get(HF_LISTING_DATE)
    stored = json.loads(old["extra"]).get(HF_LISTING_DATE)
    return bool(incoming and stored and str(incoming) < str(stored))


def _merge(old: sqlite3.Row, incoming: dict[str, object], authoritative: bool) -> dict[str, object]:
    """Column values after merging ``incoming`` into the stored row.

    An authoritative sighting (one that carries an arXiv id, at the same or a newer version)
    replaces every field it provides; a title-only sighting fills empty fields and refreshes
    its own signals (upvotes, organization), so it never degrades arXiv metadata.
    """
    merged: dict[str, object] = {}
    for column, value in incoming.items():
        empty = value in (None, "", "[]", "{}")
        if column == "extra":
            combined = {**json.loads(str(old["extra"])), **json.loads(str(value))}
            merged[column] = json.dumps(combined, ensure_ascii=False, sort_keys=True)
        elif empty:
            merged[column] = old[column]
        elif authoritative or column in SIGNALS or old[column] in (None, "", "[]"):
            merged[column] = value
        else:
            merged[column] = old[column]
    return merged


def upsert_paper(
    conn: sqlite3.Connection,
    paper: Paper,
    discovery: Discovery,
    beats: list[Beat],
    titles: TitleIndex,
) -> PaperWrite:
    """Insert or merge one paper, record the sighting and classify it. Call inside a
    transaction."""
    stamp = now()
    columns = paper_columns(paper)
    pk = _find_existing(conn, paper, titles)
    new_version = False
    if pk is None:
        columns |= {
            "id": paper.id,
            "title_key": normalize_title(paper.title),
            "first_seen": stamp,
            "last_seen": stamp,
        }
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        pk = conn.execute(
            f"INSERT INTO papers ({names}) VALUES ({marks})", tuple(columns.values())
        ).lastrowid
        assert pk is not None
        outcome = Outcome.NEW
        paper_id = paper.id
    else:
        old = conn.execute("SELECT * FROM papers WHERE pk = ?", (pk,)).fetchone()
        old_version = old["version"] or 0
        incoming_version = paper.version or 0
        authoritative = paper.arxiv is not None and incoming_version >= old_version
        new_version = bool(old["arxiv_id"]) and incoming_version > old_version
        if paper.arxiv and old["arxiv_id"] and incoming_version < old_version:
            columns = {k: v for k, v in columns.items() if k in SIGNALS}
        if _older_listing(old, paper):
            # Signals (upvotes then) follow the newest listing, whatever order pages arrive in.
            columns = {k: v for k, v in columns.items() if k not in SIGNALS and k != "extra"}
        merged = _merge(old, columns, authoritative)
        paper_id = old["id"]
        if paper.arxiv and not old["arxiv_id"]:
            # A provisional paper learns its arXiv id: it keeps its row (and so its user
            # state) and its old id stays reachable as an alias.
            conn.execute(
                "INSERT OR IGNORE INTO paper_aliases(alias, paper_pk) VALUES (?, ?)", (paper_id, pk)
            )
            paper_id = paper.arxiv.canonical
            merged |= {"id": paper_id, "arxiv_id": paper_id, "version": paper.version}
        if "title" in merged:  # an older version brings only its signals, not a title
            merged["title_key"] = normalize_title(str(merged["title"]))
        changed = {k: v for k, v in merged.items() if old[k] != v}
        if changed:
            assignments = ", ".join(f"{k} = ?" for k in changed)
            conn.execute(
                f"UPDATE papers SET {assignments}, last_seen = ? WHERE pk = ?",
                (*changed.values(), stamp, pk),
            )
        outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
    row = conn.execute(
        "SELECT title, title_key, abstract, arxiv_id, kind FROM papers WHERE pk = ?", (pk,)
    )
    title, title_key, abstract, arxiv_id, kind = row.fetchone()
    if kind == ItemKind.PAPER:
        titles.add(pk, title_key, arxiv_id)
    conn.execute(
        "INSERT OR IGNORE INTO discoveries(paper_pk, source, origin, seen_at, signal) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            pk,
            discovery.source,
            discovery.origin,
            discovery.seen_at.isoformat(timespec="seconds"),
            json.dumps(discovery.signal, sort_keys=True),
        ),
    )
    write_matches(conn, pk, classify(beats, title, abstract))
    if paper.arxiv is not None and paper.version is not None:
        comment = paper.extra.get("comment")
        comment = clean_line(comment) if isinstance(comment, str) else ""
        keep_version(conn, pk, paper, comment, discovery, stamp)
        if new_version:
            on = discovery.seen_at.date()
            recheck_claims(conn, paper_id, paper.version, abstract, comment, on)
    return PaperWrite(pk, paper_id, outcome, new_version)


def keep_version(
    conn: sqlite3.Connection,
    pk: int,
    paper: Paper,
    comment: str,
    discovery: Discovery,
    stamp: str,
) -> None:
    """Keep this arXiv version of the paper as its source gave it (``comment``: arXiv's,
    made a line), the first time it is seen (a version is a fixed text: a later sighting
    changes nothing)."""
    assert paper.version is not None
    dated = paper.updated or paper.published
    conn.execute(
        "INSERT OR IGNORE INTO paper_versions(paper_pk, version, dated, title, abstract, "
        "comment, source, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            pk,
            paper.version,
            dated.isoformat() if dated else None,
            paper.title,
            paper.abstract,
            comment,
            discovery.source,
            stamp,
        ),
    )


def write_matches(conn: sqlite3.Connection, pk: int, matches: list[BeatMatch]) -> None:
    conn.execute("DELETE FROM beat_matches WHERE paper_pk = ?", (pk,))
    conn.executemany(
        "INSERT INTO beat_matches(paper_pk, beat, verdict, score, hits, excluded_by) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (pk, m.beat, str(m.verdict), m.score, hits_json(m.hits), hits_json(m.excluded_by))
            for m in matches
        ],
    )


def reclassify_all(conn: sqlite3.Connection, beats: list[Beat]) -> int:
    """Recompute every paper's beat matches (after the beats changed). Inside a transaction."""
    rows = conn.execute("SELECT pk, title, abstract FROM papers").fetchall()
    for pk, title, abstract in rows:
        write_matches(conn, pk, classify(beats, title, abstract))
    return len(rows)


def outcome_counts(outcomes: Mapping[Outcome, int]) -> str:
    """``1,204 new, 3 updated, 0 unchanged papers``: what storing papers did, in words."""
    new, updated, unchanged = (outcomes.get(o, 0) for o in Outcome)
    return f"{new:,} new, {updated:,} updated, {unchanged:,} unchanged papers"


@dataclass
class BatchWrite:
    """What storing a batch of papers did: how many of each outcome, the new versions, the
    rows that changed and the papers listed under a claim as new evidence."""

    outcomes: Counter[Outcome] = field(default_factory=Counter)
    new_versions: int = 0
    landed: list[int] = field(default_factory=list)
    leads: int = 0


def upsert_batch(
    conn: sqlite3.Connection,
    sightings: Iterable[Sighting],
    discovery: Discovery,
    beats: list[Beat],
    titles: TitleIndex,
) -> tuple[BatchWrite, list[int]]:
    """Store every sighting, each recorded as ``discovery`` with its own signal. Returns what
    happened and the rows of the new papers. Call inside a transaction."""
    done, new = BatchWrite(), []
    for sighting in sightings:
        seen = replace(discovery, signal=sighting.signal)
        written = upsert_paper(conn, sighting.paper, seen, beats, titles)
        done.outcomes[written.outcome] += 1
        done.new_versions += int(written.new_version)
        if written.outcome is not Outcome.UNCHANGED:
            done.landed.append(written.pk)
        if written.outcome is Outcome.NEW:
            new.append(written.pk)
    return done, new
