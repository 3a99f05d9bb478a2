"""The reader's decisions: state, star, tags, hand-assigned beats, notes, and undo.

Every change is applied and logged in the same transaction; undo appends the inverse decision
(``undoes`` = the one it reverses), so the log is append-only and undo survives a restart.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from river_tui.domain import TriageState, normalize_tag
from river_tui.domain.notes import clean_note
from river_tui.domain.triage import Action, Decision
from river_tui.store.db import now


def _state_of(conn: sqlite3.Connection, pk: int) -> tuple[str, str]:
    row = conn.execute("SELECT state, starred FROM triage WHERE paper_pk = ?", (pk,)).fetchone()
    return (row[0], str(row[1])) if row else ("new", "0")


def note_of(conn: sqlite3.Connection, pk: int) -> str:
    """Paper ``pk``'s note, whole ("" for none)."""
    row = conn.execute("SELECT text FROM paper_notes WHERE paper_pk = ?", (pk,)).fetchone()
    return str(row[0]) if row else ""


def _current(conn: sqlite3.Connection, action: Action, pk: int, value: str) -> str:
    """The value ``action`` has now for ``pk`` (for tags and beats: ``value`` or "")."""
    if action is Action.STATE:
        return _state_of(conn, pk)[0]
    if action is Action.STAR:
        return _state_of(conn, pk)[1]
    if action is Action.NOTE:
        return note_of(conn, pk)
    table = "paper_tags" if action is Action.TAG else "manual_beats"
    column = "tag" if action is Action.TAG else "beat"
    row = conn.execute(
        f"SELECT 1 FROM {table} WHERE paper_pk = ? AND {column} = ?", (pk, value)
    ).fetchone()
    return value if row else ""


def _apply(conn: sqlite3.Connection, action: Action, pk: int, old: str, new: str) -> None:
    stamp = now()
    if action in (Action.STATE, Action.STAR):
        column = "state" if action is Action.STATE else "starred"
        value: object = new if action is Action.STATE else int(new)
        conn.execute(
            f"INSERT INTO triage(paper_pk, {column}, updated_at) VALUES (?, ?, ?) "
            f"ON CONFLICT(paper_pk) DO UPDATE SET {column} = excluded.{column}, "
            "updated_at = excluded.updated_at",
            (pk, value, stamp),
        )
        return
    if action is Action.NOTE:
        if new:
            conn.execute(
                "INSERT INTO paper_notes(paper_pk, text, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(paper_pk) DO UPDATE SET text = excluded.text, "
                "updated_at = excluded.updated_at",
                (pk, new, stamp),
            )
        else:
            conn.execute("DELETE FROM paper_notes WHERE paper_pk = ?", (pk,))
        return
    table = "paper_tags" if action is Action.TAG else "manual_beats"
    column, stamp_column = ("tag", "created_at")
    if action is Action.BEAT:
        column = "beat"
    if new:
        conn.execute(
            f"INSERT OR IGNORE INTO {table}(paper_pk, {column}, {stamp_column}) VALUES (?, ?, ?)",
            (pk, new, stamp),
        )
    else:
        conn.execute(f"DELETE FROM {table} WHERE paper_pk = ? AND {column} = ?", (pk, old))


def _log(
    conn: sqlite3.Connection,
    action: Action,
    pk: int,
    before: str,
    after: str,
    batch: int | None = None,
    undoes: int | None = None,
) -> int:
    cursor = conn.execute(
        "INSERT INTO decisions(at, action, paper_pk, before, after, batch, undoes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (now(), str(action), pk, before, after, batch, undoes),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def decide(
    conn: sqlite3.Connection, action: Action, pk: int, after: str, batch: int | None = None
) -> bool:
    """Apply and log one decision (inside a transaction). False when it changes nothing."""
    key = after
    if action in (Action.TAG, Action.BEAT) and not after:
        raise ValueError("use undecide() to remove a tag or a beat")
    if action is Action.TAG:
        key = after = normalize_tag(after)
    before = _current(conn, action, pk, key)
    if before == after:
        return False
    _apply(conn, action, pk, before, after)
    _log(conn, action, pk, before, after, batch)
    return True


def undecide(
    conn: sqlite3.Connection, action: Action, pk: int, value: str, batch: int | None = None
) -> bool:
    """Remove a tag or a hand-assigned beat, logged. False when it was not there."""
    if action is Action.TAG:
        value = normalize_tag(value)
    before = _current(conn, action, pk, value)
    if not before:
        return False
    _apply(conn, action, pk, before, "")
    _log(conn, action, pk, before, "", batch)
    return True


def set_state(conn: sqlite3.Connection, pk: int, state: TriageState) -> bool:
    return decide(conn, Action.STATE, pk, str(TriageState(state)))


def set_starred(conn: sqlite3.Connection, pk: int, starred: bool) -> bool:
    return decide(conn, Action.STAR, pk, "1" if starred else "0")


def set_note(conn: sqlite3.Connection, pk: int, text: str, batch: int | None = None) -> bool:
    """Paper ``pk``'s note becomes ``text`` made inert ("" clears it), logged. False when that
    is the note it has. Raises :class:`~river_tui.domain.notes.NoteTooLong`."""
    return decide(conn, Action.NOTE, pk, clean_note(text), batch)


def new_batch(conn: sqlite3.Connection) -> int:
    """An id grouping several decisions into one undoable action."""
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM decisions").fetchone()[0])


def mark(
    conn: sqlite3.Connection,
    pks: Iterable[int],
    state: TriageState | None = None,
    starred: bool | None = None,
) -> int:
    """One undoable action over many papers: their state, their star, or both. Returns how
    many decisions changed something."""
    batch = new_batch(conn)
    changed = 0
    for pk in pks:
        if state is not None:
            changed += decide(conn, Action.STATE, pk, str(TriageState(state)), batch)
        if starred is not None:
            changed += decide(conn, Action.STAR, pk, "1" if starred else "0", batch)
    return changed


def tag_all(conn: sqlite3.Connection, pks: Iterable[int], tag: str, remove: bool = False) -> int:
    """Tag (or untag) several papers, as one undoable action. Returns how many changed."""
    batch = new_batch(conn)
    if remove:
        return sum(undecide(conn, Action.TAG, pk, tag, batch) for pk in pks)
    return sum(decide(conn, Action.TAG, pk, tag, batch) for pk in pks)


def mark_all(conn: sqlite3.Connection, pks: Iterable[int], state: TriageState) -> int:
    """One undoable decision over many papers. Returns how many changed."""
    batch = new_batch(conn)
    return sum(decide(conn, Action.STATE, pk, str(state), batch) for pk in pks)


def restore(
    conn: sqlite3.Connection,
    pk: int,
    state: TriageState,
    starred: bool,
    tags: Iterable[str],
    beats: Iterable[str],
    batch: int,
    note: str = "",
) -> int:
    """Bring a paper's user state to a backup's (adding tags and beats, removing none; its
    note, if it has one, replaces the paper's), as part of the undoable action ``batch``.
    Returns how many decisions it took."""
    changed = decide(conn, Action.STATE, pk, str(state), batch)
    changed += decide(conn, Action.STAR, pk, "1" if starred else "0", batch)
    changed += sum(decide(conn, Action.TAG, pk, tag, batch) for tag in tags)
    changed += sum(decide(conn, Action.BEAT, pk, beat, batch) for beat in beats)
    if note:
        changed += set_note(conn, pk, note, batch)
    return changed


def _row_to_decision(row: sqlite3.Row) -> Decision:
    return Decision(
        id=row["id"],
        at=datetime.fromisoformat(row["at"]),
        action=Action(row["action"]),
        paper_pk=row["paper_pk"],
        before=row["before"],
        after=row["after"],
        batch=row["batch"],
        undoes=row["undoes"],
    )


_OPEN = (
    "SELECT * FROM decisions d WHERE d.undoes IS NULL AND NOT EXISTS "
    "(SELECT 1 FROM decisions u WHERE u.undoes = d.id)"
)


def last_undoable(conn: sqlite3.Connection) -> list[Decision]:
    """The most recent user action not yet undone (several decisions for a batch)."""
    row = conn.execute(_OPEN + " ORDER BY d.id DESC LIMIT 1").fetchone()
    if row is None:
        return []
    if row["batch"] is None:
        return [_row_to_decision(row)]
    rows = conn.execute(_OPEN + " AND d.batch = ? ORDER BY d.id", (row["batch"],))
    return [_row_to_decision(r) for r in rows]


def undo(conn: sqlite3.Connection) -> list[Decision]:
    """Reverse the last user action (inside a transaction). Returns what was undone."""
    decisions = last_undoable(conn)
    for d in decisions:
        current = _current(conn, d.action, d.paper_pk, d.after or d.before)
        _apply(conn, d.action, d.paper_pk, current, d.before)
        _log(conn, d.action, d.paper_pk, current, d.before, d.batch, undoes=d.id)
    return decisions
