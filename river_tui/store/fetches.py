"""The fetch log: what River last asked each source, when, and the validators it got back.

It lets a refresh skip a query already answered today, send conditional GETs, and tell when the
library was last refreshed. It holds no paper data and no user state.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from river_tui.store.rows import to_datetime


@dataclass(frozen=True, slots=True)
class FetchRecord:
    key: str
    source: str
    url: str
    fetched_at: datetime
    ok_at: datetime | None = None
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    items: int = 0
    error: str | None = None
    retry_at: datetime | None = None
    """When the source asked to be asked again (429/503 with a Retry-After), if it did."""


def get_fetch(conn: sqlite3.Connection, key: str) -> FetchRecord | None:
    row = conn.execute("SELECT * FROM fetches WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    return FetchRecord(
        key=row["key"],
        source=row["source"],
        url=row["url"],
        fetched_at=to_datetime(row["fetched_at"]) or datetime.min,
        ok_at=to_datetime(row["ok_at"]),
        status=row["status"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        items=row["items"],
        error=row["error"],
        retry_at=to_datetime(row["retry_at"]),
    )


def record_fetch(conn: sqlite3.Connection, record: FetchRecord) -> None:
    """Store the latest outcome. A failure keeps the last success's time and validators."""
    conn.execute(
        "INSERT INTO fetches(key, source, url, fetched_at, ok_at, status, etag, last_modified, "
        "items, error, retry_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET "
        "fetched_at = excluded.fetched_at, status = excluded.status, error = excluded.error, "
        "retry_at = excluded.retry_at, "
        "ok_at = COALESCE(excluded.ok_at, fetches.ok_at), "
        "etag = CASE WHEN excluded.error IS NULL THEN excluded.etag ELSE fetches.etag END, "
        "last_modified = CASE WHEN excluded.error IS NULL THEN excluded.last_modified "
        "ELSE fetches.last_modified END, "
        "items = CASE WHEN excluded.error IS NULL THEN excluded.items ELSE fetches.items END",
        (
            record.key,
            record.source,
            record.url,
            record.fetched_at.isoformat(timespec="seconds"),
            record.ok_at.isoformat(timespec="seconds") if record.ok_at else None,
            record.status,
            record.etag,
            record.last_modified,
            record.items,
            record.error,
            record.retry_at.isoformat(timespec="seconds") if record.retry_at else None,
        ),
    )


def waits(conn: sqlite3.Connection, now: datetime) -> list[tuple[str, datetime]]:
    """The requests whose host asked not to be asked again before a time still to come:
    (URL, that time)."""
    out: list[tuple[str, datetime]] = []
    for url, retry_at in conn.execute(
        "SELECT url, retry_at FROM fetches WHERE retry_at IS NOT NULL"
    ):
        until = to_datetime(retry_at)
        if until is not None and until > now:
            out.append((url, until))
    return out


def last_success(conn: sqlite3.Connection) -> datetime | None:
    """When any source last answered successfully (None: never refreshed)."""
    (value,) = conn.execute("SELECT MAX(ok_at) FROM fetches").fetchone()
    return to_datetime(value)
