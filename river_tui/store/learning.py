"""What the reader's model learns from: each paper's text and metadata, and the reader's
decisions as labels.

A paper is **kept** when the reader starred it, tagged it, put it on a beat by hand or cited it
in a claim; it is **let go** when it is skipped or archived and none of those. A paper only
read is neither: reading is how a reader finds out, so it says nothing yet about the paper.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator

from river_tui.domain.interest import Example
from river_tui.store.db import rows_in
from river_tui.store.predicates import is_predicate

TEXT_CHARS = 8_000
"""Characters of an abstract the model reads (a title: 500): bounded work for any row."""
VALUES = 50
"""Authors (and categories) of a paper the model reads, in order, each cut to 200 characters."""


def _first(column: str) -> str:
    return (
        f"(SELECT json_group_array(substr(value, 1, 200)) FROM (SELECT value FROM "
        f"json_each(CASE WHEN json_valid({column}) THEN {column} ELSE '[]' END) LIMIT {VALUES}))"
    )


_EXAMPLE = f"""
SELECT p.pk, substr(p.title, 1, 500), substr(p.abstract, 1, {TEXT_CHARS}),
       {_first("p.authors")}, {_first("p.categories")},
       COALESCE(substr(p.organization, 1, 200), '')
FROM papers p"""


def examples(conn: sqlite3.Connection, pks: Iterable[int] | None = None) -> Iterator[Example]:
    """Papers as the model reads them: every paper, or those of ``pks`` (in no set order)."""
    if pks is None:
        rows: Iterable[tuple] = conn.execute(_EXAMPLE + " WHERE p.kind = 'paper'")
    else:
        rows = rows_in(conn, _EXAMPLE + " WHERE p.pk IN ({marks})", pks)
    for pk, title, abstract, authors, categories, organization in rows:
        yield Example(
            pk=pk,
            title=title or "",
            abstract=abstract or "",
            authors=tuple(str(a) for a in json.loads(authors)),
            categories=tuple(str(c) for c in json.loads(categories)),
            organization=organization,
        )


def labels(conn: sqlite3.Connection) -> dict[int, bool]:
    """paper pk -> kept (True) or let go (False), for every paper the reader decided on."""
    promoted, _ = is_predicate("promoted")
    kept = {
        pk
        for (pk,) in conn.execute(
            "SELECT paper_pk FROM triage WHERE starred = 1 "
            "UNION SELECT paper_pk FROM paper_tags UNION SELECT paper_pk FROM manual_beats "
            f"UNION SELECT p.pk FROM papers p WHERE {promoted}"
        )
    }
    let_go = {
        pk
        for (pk,) in conn.execute(
            "SELECT paper_pk FROM triage WHERE state IN ('skipped', 'archived')"
        )
    }
    return {**dict.fromkeys(let_go - kept, False), **dict.fromkeys(kept, True)}
