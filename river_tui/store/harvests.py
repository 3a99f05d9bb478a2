"""Where an OAI-PMH harvest stands, so that one cut short (a kill, a lost connection, arXiv
asking to wait) goes on from its last stored page.

One row of ``meta`` per unfinished harvest, keyed by what was asked (the server, set, from,
until and format: :attr:`HarvestState.key`), its value the state as JSON. It is written in the
transaction that stores the page it follows (:mod:`river_tui.refresh.harvest`), so the library
never holds a page without the token after it, nor a token past a page it lacks; the last page
deletes it. No schema step: ``meta`` is the library's key-value table.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass

PREFIX = "harvest|"
"""Meta keys of the harvests under way."""


@dataclass(frozen=True, slots=True)
class HarvestState:
    """A harvest under way: what it asks, and the resumption token of its next page."""

    base_url: str
    set: str | None
    since: str | None
    until: str | None
    format: str
    token: str
    pages: int = 0
    """Pages stored so far."""
    records: int = 0
    """Records stored so far."""
    cursor: int | None = None
    complete: int | None = None
    """The list's size and this page's place in it, as the server last said."""
    started: str = ""
    """When the harvest began (ISO 8601)."""

    @property
    def key(self) -> str:
        return harvest_key(self.base_url, self.set, self.since, self.until, self.format)


def harvest_key(
    base_url: str, set_spec: str | None, since: str | None, until: str | None, fmt: str
) -> str:
    """The name of a harvest: the same arguments continue the same harvest."""
    return (
        f"{PREFIX}{base_url}|set={set_spec or ''}|from={since or ''}|until={until or ''}"
        f"|format={fmt}"
    )


def get_harvest(conn: sqlite3.Connection, key: str) -> HarvestState | None:
    """The harvest under way by that name; None when there is none (or its row is not one)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    try:
        return HarvestState(**json.loads(row[0]))
    except (ValueError, TypeError):
        return None  # written by another program: the harvest starts over


def save_harvest(conn: sqlite3.Connection, state: HarvestState) -> None:
    """Record where the harvest stands. Call inside the page's transaction."""
    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
        (state.key, json.dumps(asdict(state), ensure_ascii=False, sort_keys=True)),
    )


def clear_harvest(conn: sqlite3.Connection, key: str) -> None:
    """The harvest is over (or starts over): forget where it stood."""
    conn.execute("DELETE FROM meta WHERE key = ?", (key,))


def unfinished(conn: sqlite3.Connection) -> list[HarvestState]:
    """Every harvest under way, oldest first."""
    rows = conn.execute("SELECT key FROM meta WHERE key LIKE ? ORDER BY key", (PREFIX + "%",))
    found = [get_harvest(conn, key) for (key,) in rows]
    return sorted((s for s in found if s is not None), key=lambda s: s.started)
