"""What a beat's term suggestions read (papers as the beat's rule reads them, the papers the
reader put on the beat by hand or tagged with its tags), and the one beat's reclassification
once a term is added."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from river_tui.domain.beats import Beat
from river_tui.store.db import rows_in
from river_tui.store.rows import hits_json

RuleRow = tuple[int, str, str, str]
"""pk, id, title, abstract: a paper as a beat's rule reads it (the whole title and abstract,
as :func:`river_tui.store.ingest.reclassify_all` does)."""

_ROWS = "SELECT pk, id, COALESCE(title, ''), COALESCE(abstract, '') FROM papers"


def rule_rows(conn: sqlite3.Connection, pks: Iterable[int] | None = None) -> Iterator[RuleRow]:
    """Every paper (``pks``: those), one row at a time, in no set order."""
    if pks is None:
        yield from conn.execute(_ROWS)
        return
    yield from rows_in(conn, _ROWS + " WHERE pk IN ({marks})", pks)


def by_hand(conn: sqlite3.Connection, beat: str) -> set[int]:
    """The papers the reader put on ``beat`` by hand."""
    rows = conn.execute("SELECT paper_pk FROM manual_beats WHERE beat = ?", (beat,))
    return {pk for (pk,) in rows}


def tagged(conn: sqlite3.Connection, tags: Iterable[str]) -> set[int]:
    """The papers the reader tagged with any of ``tags`` (a beat's tags)."""
    wanted = list(tags)
    if not wanted:
        return set()
    rows = conn.execute(
        f"SELECT paper_pk FROM paper_tags WHERE tag IN ({', '.join('?' * len(wanted))})", wanted
    )
    return {pk for (pk,) in rows}


def reclassify_beat(conn: sqlite3.Connection, beat: Beat) -> int:
    """Recompute every paper's match for ``beat`` alone (its terms changed; the other beats'
    matches stay). Inside a transaction; returns the papers read."""
    conn.execute("DELETE FROM beat_matches WHERE beat = ?", (beat.name,))
    read = 0
    # Read one row at a time (the papers table is not written here): a library of 100,000
    # papers is not held in memory at once.
    rows = conn.execute("SELECT pk, COALESCE(title, ''), COALESCE(abstract, '') FROM papers")
    for pk, title, abstract in rows:
        read += 1
        found = beat.classify(title, abstract)
        if found is None:
            continue
        conn.execute(
            "INSERT INTO beat_matches(paper_pk, beat, verdict, score, hits, excluded_by) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                pk,
                found.beat,
                str(found.verdict),
                found.score,
                hits_json(found.hits),
                hits_json(found.excluded_by),
            ),
        )
    return read
