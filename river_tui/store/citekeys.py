"""Citation keys, the same in every export: each paper's ``author-year-word`` key
(:func:`river_tui.domain.citation.key_of`), told apart from the library's other papers with
that key by the order they came into it (``pk``: the first keeps the key, the next get
``b``, ``c``…; :func:`river_tui.domain.citation.assign_keys`).

A key needs only the papers that could have it: those of its year whose normalized title
(``title_key``) holds its word as a word, or holds a character that is not a lower-case ASCII
letter, digit or space (its word could be that token spelled in ASCII: "øresund" is
"oresund"). They are found by one pass over the index of ``title_key``, in SQL for a few
keys, in Python for many at once."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator

from river_tui.domain.citation import assign_keys, key_of, title_word
from river_tui.domain.text import clean_line

FEW = 4
"""Asked for keys of more (year, word) pairs than this, the indexes of titles and dates are
read once for all of them, instead of a query for each."""
_COLUMNS = "SELECT pk, json_extract(authors, '$[0]'), published, title_key FROM papers"
_IRREGULAR = "instr(title_key, '_') OR length(CAST(title_key AS BLOB)) != length(title_key)"
"""A normalized title with a character not a lower-case ASCII letter, digit or space (what
normalize_title keeps is letters, digits and ``_``; a non-ASCII one is more than a byte)."""


def _year(published: str | None) -> int | None:
    head = (published or "")[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None


def _first_author(conn: sqlite3.Connection, pk: int, first: object) -> str | None:
    """The first name of a row's authors as its paper reads it (cleaned; empty ones
    skipped)."""
    if isinstance(first, str) and first.isascii() and first.isprintable() and first.strip():
        return " ".join(first.split())  # what clean_line makes of it, sooner
    if isinstance(first, str) and (name := clean_line(first)):
        return name
    (authors,) = conn.execute("SELECT authors FROM papers WHERE pk = ?", (pk,)).fetchone()
    try:
        names = json.loads(authors)
    except ValueError:
        return None
    if not isinstance(names, list):
        return None
    return next((n for n in (clean_line(str(x)) for x in names if x is not None) if n), None)


def _key(conn: sqlite3.Connection, row: tuple) -> str:
    """A row's key before any suffix (a row of :data:`_COLUMNS`)."""
    pk, first, published, title_key = row
    return key_of(_first_author(conn, pk, first), _year(published), title_key or "")


def citation_keys(conn: sqlite3.Connection, pks: Iterable[int]) -> dict[int, str]:
    """The final key of each paper of ``pks`` (a ``pk`` not in the library: left out)."""
    asked = _rows(conn, list(dict.fromkeys(pks)))
    own = {row[0]: _key(conn, row) for row in asked}
    groups: dict[tuple[int | None, str], set[str]] = {}
    for row in asked:
        groups.setdefault((_year(row[2]), title_word(row[3] or "")), set()).add(own[row[0]])
    keys = set(own.values())
    if len(groups) <= FEW:
        rows: dict[int, tuple] = {}
        for year, word in groups:
            where, args = _candidates(year, word)
            rows |= {row[0]: row for row in conn.execute(f"{_COLUMNS} WHERE {where}", args)}
        others = [row for pk, row in rows.items() if pk not in own]
    else:
        others = _rows(conn, [pk for pk in _candidate_pks(conn, groups) if pk not in own])
    # Every paper holding one of the keys is among those read: each key's order is whole.
    holders = ((row[0], _key(conn, row)) for row in others)
    found = assign_keys([*own.items(), *((pk, key) for pk, key in holders if key in keys)])
    return {pk: found[pk] for pk in own}


def _chunks(pks: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(pks), size):
        yield pks[start : start + size]


def _rows(conn: sqlite3.Connection, pks: list[int]) -> list[tuple]:
    rows = []
    for chunk in _chunks(pks):
        marks = ",".join("?" * len(chunk))
        rows += conn.execute(f"{_COLUMNS} WHERE pk IN ({marks})", chunk).fetchall()
    return rows


def _candidate_pks(
    conn: sqlite3.Connection, groups: dict[tuple[int | None, str], set[str]]
) -> list[int]:
    """The papers whose key could be one of ``groups``' (year, word) pairs, found in one
    pass over the index of titles (what :func:`_candidates` asks of SQL, asked in Python for
    many pairs at once)."""
    words: dict[int | None, set[str]] = {}
    for year, word in groups:
        words.setdefault(year, set()).add(word)
    any_year = words.pop(None, set())
    by_year = {year: asked | any_year for year, asked in words.items()}
    year_of: dict[int, int] = {}
    for year in by_year:
        span = (f"{year:04d}", f"{year + 1:04d}")
        rows = conn.execute("SELECT pk FROM papers WHERE published >= ? AND published < ?", span)
        year_of |= dict.fromkeys((pk for (pk,) in rows), year)
    found = []
    for pk, title_key in conn.execute(
        "SELECT pk, title_key FROM papers INDEXED BY papers_title_key"
    ):
        year = year_of.get(pk)
        asked = by_year[year] if year is not None else any_year
        if not asked:
            continue
        title_key = title_key or ""
        irregular = not title_key.isascii() or "_" in title_key
        if irregular or "" in asked or not asked.isdisjoint(title_key.split()):
            found.append(pk)
    return found


def _candidates(year: int | None, word: str) -> tuple[str, list[object]]:
    """SQL over ``papers``: the papers whose key could be one of this year and word (more,
    never fewer: a key without a year is looked for in every year)."""
    parts: list[str] = []
    args: list[object] = []
    if year is not None:
        parts.append("published >= ? AND published < ?")
        args += [f"{year:04d}", f"{year + 1:04d}"]
    if word:  # the title's index read first: the papers whose title can give the word
        parts.append(
            "pk IN (SELECT pk FROM papers WHERE (instr(title_key, ?) "
            f"AND instr(' ' || title_key || ' ', ?)) OR {_IRREGULAR})"
        )
        args += [word, f" {word} "]
    return " AND ".join(parts) or "1", args
