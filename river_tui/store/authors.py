"""Followed authors (table ``followed_authors``, schema step 11) and "papers by NAME".

A name is matched by the rule of :mod:`river_tui.domain.authors`: the full-text index narrows
the library to the papers whose authors hold the name's surname (``{authors} : "sutton"``), and
the SQL function ``river_author_matches`` (registered on every connection by
:mod:`river_tui.store.db`) confirms each, so a view, its count and its pages agree. A name
whose first given name is spelled out narrows by it too: "Ibrahim Davis" reads the papers with
"davis" and "ibrahim" or "i" among their authors' words (a paper whose author is "Davis" alone
is not read: the view does not list it, though the rule would match it)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from river_tui.domain.authors import (
    AUTHORS_CHECKED,
    NAME_MAX,
    AuthorKey,
    author_key,
    keys_match,
    parse_key,
)
from river_tui.domain.text import clean_line
from river_tui.store.db import now

LIST_BYTES = 262_144
"""A list of authors longer than this (bytes of JSON) is read by its first
:data:`~river_tui.domain.authors.AUTHORS_CHECKED` names."""
_BOUNDED = (
    f"CASE WHEN length(CAST(p.authors AS BLOB)) <= {LIST_BYTES} THEN p.authors "
    "ELSE (SELECT json_group_array(value) FROM "
    f"(SELECT value FROM json_each(p.authors) LIMIT {AUTHORS_CHECKED})) END"
)


@dataclass(frozen=True, slots=True)
class FollowedAuthor:
    name: str
    key: str
    followed_at: str


def author_predicate(name: str) -> tuple[str, list[object]]:
    """SQL over ``p`` (papers): true for the papers with an author who can be ``name``. A name
    with no letter or digit matches nothing."""
    key = author_key(name)
    if key is None:
        return "0", []
    return (
        "(p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?) "
        f"AND river_author_matches({_BOUNDED}, ?))",
        [_narrowed(key), name[:NAME_MAX]],
    )


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _narrowed(key: AuthorKey) -> str:
    """The full-text query that finds every paper an author ``key`` can be on, and few others:
    the surname's last word, and a first given name of two letters or more or its initial
    (a paper whose author is named by an initial, or the full name)."""
    query = "{authors} : " + _quoted(key.last)
    if key.given and len(first := key.given[0]) > 1:
        query += " AND {authors} : (" + _quoted(first[0]) + " OR " + _quoted(first) + ")"
    return query


def followed(conn: sqlite3.Connection) -> list[FollowedAuthor]:
    """Every followed author, in the order followed."""
    rows = conn.execute(
        "SELECT name, key, followed_at FROM followed_authors ORDER BY followed_at, rowid"
    )
    return [FollowedAuthor(*row) for row in rows]


def followed_keys(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT key FROM followed_authors")]


def matching(conn: sqlite3.Connection, name: str) -> list[FollowedAuthor]:
    """The followed authors ``name`` can be."""
    key = author_key(name)
    if key is None:
        return []
    return [
        author
        for author in followed(conn)
        if (kept := parse_key(author.key)) is not None and keys_match(kept, key)
    ]


def follow(conn: sqlite3.Connection, name: str) -> FollowedAuthor | None:
    """Follow ``name`` (in the caller's transaction). Returns the followed author it already
    is (None: it was added). Raises ValueError for a name with no letter or digit."""
    name = clean_line(name[:NAME_MAX]).strip()
    key = author_key(name)
    if key is None:
        raise ValueError("an author's name needs a letter or a digit")
    if already := matching(conn, name):
        return already[0]
    conn.execute(
        "INSERT INTO followed_authors(key, name, followed_at) VALUES (?, ?, ?)",
        (str(key), name, now()),
    )
    return None


def unfollow(conn: sqlite3.Connection, name: str) -> list[FollowedAuthor]:
    """Stop following every followed author ``name`` can be (in the caller's transaction).
    Returns them (empty: none was followed)."""
    found = matching(conn, name)
    conn.executemany("DELETE FROM followed_authors WHERE key = ?", [(a.key,) for a in found])
    return found
