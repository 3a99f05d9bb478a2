"""Schema step 9: the text an older River stored, made inert as text is made now on the way in.

A library written before text was made inert as it came in (or edited with sqlite3) can hold
escape sequences, controls and format characters in any text column. This step runs every text
column of every table through the rules of :mod:`river_tui.domain.text` that the parsers apply
(``sources/inert.py``): single-line fields through ``clean_line``, paragraphs through
``clean_text``, JSON columns decoded, every string in them cleaned, and encoded again as River
writes them. A row none of whose text holds anything to remove (no control, escape or format
character; in a JSON column, no ``\\u`` escape) is left as it is, untouched. It runs once,
inside the migration's one transaction, reading rows in batches (its memory does not grow with
the library). Only rows that change are written.

* ``claim_events`` and ``decisions`` are append-only: their triggers refuse UPDATE. This step
  drops those triggers and creates them again, as they were, in the same transaction.
* Keys change with their references: a dossier's slug and the claims that name it, a post's id
  and its sources, are cleaned by the same function, with the foreign keys checked at COMMIT.
* Where cleaning makes two rows one (a tag, a hand-made beat, a beat match whose name differed
  only by a control character), the cleaned row already says it: the other is deleted. Where
  it would make a key collide anywhere else (two dossiers whose slugs differ only so), that
  row keeps its key as stored (the output boundary makes it inert when shown), and so do the
  rows that refer to it; its other columns are cleaned.
* A paper's ``title_key`` is worked out again from its cleaned title.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from river_tui.domain.ids import normalize_title
from river_tui.domain.notes import inert_note
from river_tui.domain.text import (
    clean_line,
    clean_text,
    clean_value,
    needs_cleaning,
    strip_controls,
)

log = logging.getLogger(__name__)

BATCH = 500
"""Rows read at a time."""

Clean = Callable[[str], str]


def _json(clean_data: Callable[[Any], Any], **dumps: Any) -> Clean:
    """A cleaner of a JSON column: decoded, cleaned, encoded as River writes that column. Text
    that is not JSON is cleaned as text (its controls removed, nothing else)."""

    def clean(raw: str) -> str:
        try:
            data = json.loads(raw)
        except ValueError:
            return strip_controls(raw)
        cleaned = clean_data(data)
        return raw if cleaned == data else json.dumps(cleaned, **dumps)

    return clean


def _names(data: Any) -> Any:
    """A JSON array of names (authors, categories): each one line, empty ones dropped."""
    if not isinstance(data, list):
        return clean_value(data)
    out = [clean_line(x) if isinstance(x, str) else clean_value(x) for x in data]
    return [x for x in out if x != ""]


def _links(data: Any) -> Any:
    """A JSON array of ``{label, url}``: each a line; a link left without a URL dropped."""
    if not isinstance(data, list):
        return clean_value(data)
    out = []
    for link in data:
        if isinstance(link, dict):
            link = {
                clean_line(str(k)): clean_line(v) if isinstance(v, str) else clean_value(v)
                for k, v in link.items()
            }
            if link.get("url") == "":
                continue
        out.append(link if isinstance(link, dict) else clean_value(link))
    return out


LINE: Clean = clean_line
TEXT: Clean = clean_text
NAMES = _json(_names, ensure_ascii=False)
NAMES_ASCII = _json(_names)  # categories: JSON-escaped, as store/rows.py (and search) wants
LINKS = _json(_links)
EXTRA = _json(clean_value, ensure_ascii=False, sort_keys=True)
SIGNAL = _json(clean_value, sort_keys=True)
HITS = _json(clean_value)
META = _json(clean_value, ensure_ascii=False)
JSON_RULES = frozenset({NAMES, NAMES_ASCII, LINKS, EXTRA, SIGNAL, HITS, META})
OTHER: Clean = strip_controls
"""A text column this step does not know (added by a later step): only its controls go."""

COLUMNS: dict[str, dict[str, Clean]] = {
    "meta": {"key": LINE, "value": META},
    "papers": {
        "id": LINE,
        "arxiv_id": LINE,
        "title": LINE,
        "title_key": LINE,  # worked out again from the cleaned title when that changes
        "abstract": TEXT,
        "authors": NAMES,
        "published": LINE,
        "updated": LINE,
        "categories": NAMES_ASCII,
        "primary_category": LINE,
        "links": LINKS,
        "organization": LINE,
        "extra": EXTRA,
        "first_seen": LINE,
        "last_seen": LINE,
        "kind": LINE,
        "url": LINE,
    },
    "paper_aliases": {"alias": LINE},
    "discoveries": {"source": LINE, "origin": LINE, "seen_at": LINE, "signal": SIGNAL},
    "beat_matches": {"beat": LINE, "verdict": LINE, "hits": HITS, "excluded_by": HITS},
    "triage": {"state": LINE, "updated_at": LINE},
    "paper_tags": {"tag": LINE, "created_at": LINE},
    "manual_beats": {"beat": LINE, "created_at": LINE},
    "decisions": {"at": LINE, "action": LINE, "before": LINE, "after": LINE},
    "dossiers": {
        "slug": LINE,
        "title": LINE,
        "status": LINE,
        "created": LINE,
        "last_tended": LINE,
        "canonical": LINE,
        "agent": LINE,
        "model": LINE,
        "operator": LINE,
        "accountable": LINE,
        "oversight": LINE,
    },
    "claims": {"dossier_slug": LINE, "text": TEXT, "badge": LINE, "status": LINE, "review": LINE},
    "claim_sources": {
        "kind": LINE,
        "url": LINE,
        "label": LINE,
        "paper_id": LINE,
        "quote_exact": TEXT,
        "quote_prefix": TEXT,
        "quote_suffix": TEXT,
        "removed_on": LINE,
        "relation": LINE,
    },
    "claim_events": {
        "on_date": LINE,
        "action": LINE,
        "badge": LINE,
        "note": TEXT,
        "recorded_at": LINE,
        "text": TEXT,
        "actor": LINE,
    },
    "posts": {
        "id": LINE,
        "tag": LINE,
        "author": LINE,
        "handle": LINE,
        "beat": LINE,
        "age": LINE,
        "badge": LINE,
        "body": TEXT,
        "imported_at": LINE,
        "avatar": LINE,
    },
    "post_sources": {"post_id": LINE, "kind": LINE, "url": LINE, "label": LINE, "paper_id": LINE},
    "imports": {"sha256": LINE, "path": LINE, "shape": LINE, "imported_at": LINE},
    # Step 10's tables (what River learned) come after this step; listed for completeness.
    "learned": {"model": LINE, "decisions": LINE, "trained": LINE},
    "learned_weights": {"model": LINE, "name": LINE},
    "learned_scores": {"model": LINE},
    "learned_best": {"model": LINE},
    "fetches": {
        "key": LINE,
        "source": LINE,
        "url": LINE,
        "fetched_at": LINE,
        "ok_at": LINE,
        "etag": LINE,
        "last_modified": LINE,
        "error": LINE,
        "retry_at": LINE,
    },
    # Tables of later steps: there when a library of this River is made to run step 9 again.
    "followed_authors": {"key": LINE, "name": LINE, "followed_at": LINE},
    "paper_versions": {
        "dated": LINE,
        "title": LINE,
        "abstract": TEXT,
        "comment": LINE,
        "source": LINE,
        "seen_at": LINE,
    },
    "paper_notes": {"text": inert_note, "updated_at": LINE},
    "claim_leads": {
        "sentence": TEXT,
        "shared": LINE,
        "found_on": LINE,
        "decided": LINE,
        "decided_at": LINE,
    },
}
"""Every text column of schema 8 and how it is cleaned (the rule its writer applies now)."""

KEYS: dict[str, tuple[str, ...]] = {
    "meta": ("key",),
    "papers": ("id", "arxiv_id"),
    "paper_aliases": ("alias",),
    "discoveries": ("source", "origin"),
    "dossiers": ("slug",),
    "claims": ("dossier_slug",),
    "posts": ("id",),
    "post_sources": ("post_id",),
    "imports": ("sha256",),
    "fetches": ("key",),
    "followed_authors": ("key",),
}
"""The text columns of each table's primary key or UNIQUE constraints: kept as stored where
cleaning them would collide with another row."""

MERGED = frozenset({"paper_tags", "manual_beats", "beat_matches"})
"""Tables of facts about a paper whose key is the whole fact: a row that cleaning makes equal to
another is deleted (the other says the same)."""

REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("claims", "dossier_slug"): ("dossiers", "slug"),
    ("post_sources", "post_id"): ("posts", "id"),
}
"""Foreign keys between text columns (the referenced tables are cleaned first): a row's
reference changes only to a key its parent now has."""

APPEND_ONLY = ("claim_events_no_update", "decisions_no_update")


@dataclass
class Cleaned:
    """What the step did: rows written, rows merged into an equal one, rows that kept a key."""

    rows: int = 0
    merged: int = 0
    kept_keys: int = 0
    by_table: dict[str, int] = field(default_factory=dict)


def clean_every_row(conn: sqlite3.Connection) -> Cleaned:
    """Make every stored text inert (see the module's docstring). Runs inside the caller's
    transaction."""
    conn.execute("PRAGMA defer_foreign_keys = ON")
    triggers = [
        row[0]
        for name in APPEND_ONLY
        for row in conn.execute(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?", (name,)
        )
    ]
    for name in APPEND_ONLY:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    done = Cleaned()
    kept: dict[tuple[str, str], set[str]] = {}
    for table in _tables(conn):
        _clean_table(conn, table, done, kept)
    for sql in triggers:
        conn.execute(sql)
    return done


def _tables(conn: sqlite3.Connection) -> list[str]:
    """River's tables, referenced ones first (dossiers before claims, posts before sources)."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'papers_fts%' AND name NOT LIKE 'notes_fts%' ORDER BY rowid"
        )
    ]
    first = [t for t in COLUMNS if t in names]
    return first + [t for t in names if t not in first]


def _text_columns(conn: sqlite3.Connection, table: str) -> dict[str, Clean]:
    known = COLUMNS.get(table, {})
    columns = {}
    for row in conn.execute(f"PRAGMA table_info({table})"):
        name, declared = row[1], (row[2] or "").upper()
        if name in known or "TEXT" in declared or not declared:
            columns[name] = known.get(name, OTHER)
    return columns


def _clean_table(
    conn: sqlite3.Connection, table: str, done: Cleaned, kept: dict[tuple[str, str], set[str]]
) -> None:
    columns = _text_columns(conn, table)
    if not columns:
        return
    names = list(columns)
    json_columns = {name for name, clean in columns.items() if clean in JSON_RULES}
    select = f"SELECT rowid, {', '.join(names)} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?"
    last = 0
    while batch := conn.execute(select, (last, BATCH)).fetchall():
        last = batch[-1][0]
        for rowid, *values in batch:
            old = dict(zip(names, values, strict=True))
            if not any(_dirty(value, name in json_columns) for name, value in old.items()):
                continue
            new = {
                name: _cleaned(conn, table, name, value, columns, kept)
                for name, value in old.items()
            }
            if table == "papers" and new.get("title") != old.get("title"):
                new["title_key"] = normalize_title(str(new["title"]))
            changed = {k: v for k, v in new.items() if v != old[k]}
            if changed:
                _write(conn, table, rowid, old, changed, done, kept)


def _dirty(value: object, json_column: bool) -> bool:
    """A value holding text to clean: a control, escape or format character, or (in a JSON
    column, where River's encoder escapes controls) a ``\\u`` escape that may stand for one."""
    if not isinstance(value, str):
        return False
    return needs_cleaning(value) or (json_column and "\\u" in value)


def _cleaned(
    conn: sqlite3.Connection,
    table: str,
    column: str,
    value: object,
    columns: dict[str, Clean],
    kept: dict[tuple[str, str], set[str]],
) -> object:
    """``value`` cleaned by its column's rule; as stored when it is not text, and when it
    refers to a key that was kept as stored or that cleaning would not find (a reference
    another program left dangling stays as it was: the foreign keys are checked at COMMIT)."""
    if not isinstance(value, str):
        return value
    cleaned = columns[column](value)
    target = REFERENCES.get((table, column))
    if target is None or cleaned == value:
        return cleaned
    parent, key = target
    if value in kept.get(target, ()):
        return value
    found = conn.execute(f"SELECT 1 FROM {parent} WHERE {key} = ?", (cleaned,)).fetchone()
    return cleaned if found else value


def _write(
    conn: sqlite3.Connection,
    table: str,
    rowid: int,
    old: dict[str, object],
    changed: dict[str, object],
    done: Cleaned,
    kept: dict[tuple[str, str], set[str]],
) -> None:
    try:
        _update(conn, table, rowid, changed)
    except sqlite3.IntegrityError:
        if table in MERGED:
            conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
            done.merged += 1
            return
        keys = KEYS.get(table, ())
        for key in keys:
            if key in changed:
                kept.setdefault((table, key), set()).add(str(old[key]))
        changed = {k: v for k, v in changed.items() if k not in keys}
        done.kept_keys += 1
        if not changed:
            return
        try:
            _update(conn, table, rowid, changed)
        except sqlite3.IntegrityError:
            log.warning("%s row %d: left as it was (cleaning it breaks a constraint)", table, rowid)
            return
    done.rows += 1
    done.by_table[table] = done.by_table.get(table, 0) + 1


def _update(conn: sqlite3.Connection, table: str, rowid: int, values: dict[str, object]) -> None:
    assignments = ", ".join(f"{name} = ?" for name in values)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE rowid = ?", (*values.values(), rowid))
