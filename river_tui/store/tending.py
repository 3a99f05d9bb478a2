"""Tending claims: every change appends an event with a short reason; nothing is deleted.

A superseded or retracted claim keeps its row and its history; a removed source keeps its row
with the date it was removed. The events table refuses UPDATE and DELETE in the database.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from river_tui.domain.claims import (
    DECIDES_REVIEW,
    FIRST_ASSERTED,
    NEW_EVIDENCE,
    ClaimAction,
    ClaimStatus,
    Dossier,
    SourceLink,
)
from river_tui.store import leads
from river_tui.store.claims import INSERT_DOSSIER, active_sources, dossier_row, save_sources
from river_tui.store.db import LibraryError, now


def create_dossier(conn: sqlite3.Connection, dossier: Dossier) -> None:
    """A new, empty dossier. Its slug must be free."""
    if conn.execute("SELECT 1 FROM dossiers WHERE slug = ?", (dossier.slug,)).fetchone():
        raise LibraryError(f"a dossier with the slug {dossier.slug!r} already exists")
    conn.execute(INSERT_DOSSIER, dossier_row(dossier, dossier.last_tended or dossier.created))


def _event(
    conn: sqlite3.Connection,
    claim_id: int,
    on: date,
    action: ClaimAction,
    badge: str | None = None,
    note: str = "",
    text: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO claim_events(claim_id, on_date, action, badge, note, recorded_at, text) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (claim_id, on.isoformat(), str(action), badge, note.strip(), now(), text),
    )
    conn.execute(
        "UPDATE dossiers SET last_tended = MAX(COALESCE(last_tended, ''), ?) WHERE slug = "
        "(SELECT dossier_slug FROM claims WHERE id = ?)",
        (on.isoformat(), claim_id),
    )
    if action in DECIDES_REVIEW:  # what is left to review: new evidence not yet decided
        conn.execute(
            "UPDATE claims SET review = CASE WHEN EXISTS (SELECT 1 FROM claim_leads WHERE "
            "claim_id = ?1 AND decided IS NULL) THEN ?2 END WHERE id = ?1",
            (claim_id, NEW_EVIDENCE),
        )


def _claim(conn: sqlite3.Connection, claim_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        raise LibraryError(f"no claim {claim_id}")
    return row


def _active(conn: sqlite3.Connection, claim_id: int) -> sqlite3.Row:
    row = _claim(conn, claim_id)
    if row["status"] != ClaimStatus.ACTIVE:
        raise LibraryError(f"claim {claim_id} is {row['status']}: tend its successor instead")
    return row


def assert_claim(
    conn: sqlite3.Connection,
    slug: str,
    text: str,
    badge: str,
    sources: list[SourceLink],
    on: date,
    note: str = FIRST_ASSERTED,
) -> int:
    """A new claim at the end of dossier ``slug``, with its first event. Returns its id."""
    if not conn.execute("SELECT 1 FROM dossiers WHERE slug = ?", (slug,)).fetchone():
        raise LibraryError(f"no dossier {slug!r}")
    text = text.strip()
    if not text:
        raise LibraryError("a claim needs its text")
    (position,) = conn.execute(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM claims WHERE dossier_slug = ?", (slug,)
    ).fetchone()
    claim_id = conn.execute(
        "INSERT INTO claims(dossier_slug, position, text, badge, status) VALUES (?,?,?,?,?)",
        (slug, position, text, badge, str(ClaimStatus.ACTIVE)),
    ).lastrowid
    assert claim_id is not None
    save_sources(conn, claim_id, sources)
    _event(conn, claim_id, on, ClaimAction.ASSERTED, badge, note, text)
    return claim_id


def rebadge(conn: sqlite3.Connection, claim_id: int, badge: str, reason: str, on: date) -> None:
    if _active(conn, claim_id)["badge"] == badge:
        raise LibraryError(f"claim {claim_id} is already {badge}")
    conn.execute("UPDATE claims SET badge = ? WHERE id = ?", (badge, claim_id))
    _event(conn, claim_id, on, ClaimAction.REBADGED, badge, reason)


def edit(conn: sqlite3.Connection, claim_id: int, text: str, reason: str, on: date) -> None:
    text = text.strip()
    if not text or _active(conn, claim_id)["text"] == text:
        raise LibraryError("the new text is empty or the same as before")
    conn.execute("UPDATE claims SET text = ? WHERE id = ?", (text, claim_id))
    _event(conn, claim_id, on, ClaimAction.EDITED, None, reason, text)


def add_source(
    conn: sqlite3.Connection, claim_id: int, source: SourceLink, reason: str, on: date
) -> None:
    """Add ``source``; one the claim already cites is refused, one removed earlier comes back
    (its removal stays in the history)."""
    _active(conn, claim_id)
    if not _cite(conn, claim_id, source):
        raise LibraryError(f"claim {claim_id} already cites {source.url}")
    _event(conn, claim_id, on, ClaimAction.SOURCED, None, reason or source.label or source.url)


def _cite(conn: sqlite3.Connection, claim_id: int, source: SourceLink) -> bool:
    """Cite ``source`` (its address and quote): a new row, or one removed earlier brought
    back; False, and nothing written, when the claim cites it already."""
    quote = source.quote
    known = conn.execute(
        "SELECT id, removed_on FROM claim_sources WHERE claim_id = ? AND kind = ? AND url = ? "
        "AND quote_exact IS ?",
        (claim_id, str(source.kind), source.url, quote.exact if quote else None),
    ).fetchone()
    if known is None:
        save_sources(conn, claim_id, [source])
    elif known["removed_on"] is None:
        return False
    else:
        conn.execute(
            "UPDATE claim_sources SET removed_on = NULL, label = ?, "
            "quoted_version = COALESCE(?, quoted_version) WHERE id = ?",
            (source.label, quote.version if quote else None, known["id"]),
        )
    return True


def remove_source(conn: sqlite3.Connection, claim_id: int, url: str, reason: str, on: date) -> None:
    _active(conn, claim_id)
    changed = conn.execute(
        "UPDATE claim_sources SET removed_on = ? WHERE claim_id = ? AND url = ? "
        "AND removed_on IS NULL",
        (on.isoformat(), claim_id, url),
    ).rowcount
    if not changed:
        raise LibraryError(f"claim {claim_id} has no source {url}")
    _event(conn, claim_id, on, ClaimAction.UNSOURCED, None, reason or url)


def requote(
    conn: sqlite3.Connection,
    claim_id: int,
    old: SourceLink,
    new: SourceLink,
    reason: str,
    on: date,
) -> None:
    """Replace the quote ``old`` by ``new`` (a sentence of the same paper): the old source row
    is kept, marked removed that day (the claim's other quotes stay); an event says so."""
    _active(conn, claim_id)
    assert old.quote is not None and new.quote is not None
    changed = conn.execute(
        "UPDATE claim_sources SET removed_on = ? WHERE claim_id = ? AND url = ? "
        "AND quote_exact = ? AND removed_on IS NULL",
        (on.isoformat(), claim_id, old.url, old.quote.exact),
    ).rowcount
    if not changed:
        raise LibraryError(f"claim {claim_id} has no such quote of {old.url}")
    if not _cite(conn, claim_id, new):
        raise LibraryError(f"claim {claim_id} quotes that sentence already")
    version = f"v{new.quote.version}" if new.quote.version else "the paper"
    _event(conn, claim_id, on, ClaimAction.REQUOTED, None, reason or f"quotes {version} now")


def attach(conn: sqlite3.Connection, claim_id: int, pk: int, source: SourceLink, on: date) -> None:
    """Attach paper ``pk``, listed under the claim as new evidence, as ``source`` (a quote of
    it and its relation): an event; the paper is no longer listed."""
    _active(conn, claim_id)
    if not leads.decide(conn, claim_id, pk, "attached"):
        raise LibraryError(f"that paper is not listed under claim #{claim_id} as new evidence")
    _cite(conn, claim_id, source)  # one the claim cites already is attached all the same
    _event(conn, claim_id, on, ClaimAction.ATTACHED, None, f"{source.relation}: {source.label}")


def dismiss(conn: sqlite3.Connection, claim_id: int, pk: int) -> None:
    """Dismiss paper ``pk`` listed under the claim: never listed for it again."""
    _claim(conn, claim_id)
    if not leads.decide(conn, claim_id, pk, "dismissed"):
        raise LibraryError(f"that paper is not listed under claim #{claim_id} as new evidence")


def accept(conn: sqlite3.Connection, claim_id: int, reason: str, on: date) -> None:
    """Keep a claim under review as it is (an event); refused when it is not under review."""
    row = _active(conn, claim_id)
    if not row["review"]:
        raise LibraryError(f"claim #{claim_id} is not under review")
    note = reason or f"kept as it is ({row['review']})"
    _event(conn, claim_id, on, ClaimAction.ACCEPTED, None, note)


def retract(conn: sqlite3.Connection, claim_id: int, reason: str, on: date) -> None:
    _active(conn, claim_id)
    conn.execute(
        "UPDATE claims SET status = ? WHERE id = ?", (str(ClaimStatus.RETRACTED), claim_id)
    )
    _event(conn, claim_id, on, ClaimAction.RETRACTED, None, reason)


def supersede(
    conn: sqlite3.Connection,
    claim_id: int,
    text: str,
    badge: str,
    reason: str,
    on: date,
) -> int:
    """Replace a claim by a new one (same dossier, same sources); the old one stays in history."""
    old = _active(conn, claim_id)
    conn.execute(
        "UPDATE claims SET status = ? WHERE id = ?", (str(ClaimStatus.SUPERSEDED), claim_id)
    )
    _event(conn, claim_id, on, ClaimAction.SUPERSEDED, None, reason)
    sources = active_sources(conn, claim_id)
    return assert_claim(
        conn,
        old["dossier_slug"],
        text,
        badge,
        sources,
        on,
        f"Supersedes an earlier claim: {reason}",
    )
