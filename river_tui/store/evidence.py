"""Claims follow their evidence: when a newer arXiv version of a paper lands, every quote an
active claim takes from it is checked again (:func:`river_tui.domain.quotes.recheck`). An
outcome other than ``kept`` appends an event written by River (``actor = 'river'``) naming the
versions and the sentences, and puts the claim under review (``claims.review``); the badge
never changes by itself. Runs inside the transaction that stores the version."""

from __future__ import annotations

import sqlite3
from datetime import date

from river_tui.domain.claims import ClaimAction, Quote
from river_tui.domain.quotes import Recheck, history_note, recheck, withdraws
from river_tui.store.db import now

QUOTED = (
    "SELECT cs.claim_id, cs.quote_exact, cs.quote_prefix, cs.quote_suffix, cs.quote_start, "
    "cs.quote_end, cs.quoted_version FROM claim_sources cs JOIN claims c ON c.id = cs.claim_id "
    "WHERE cs.paper_id = ? AND cs.removed_on IS NULL AND c.status = 'active' "
    "AND cs.quote_exact IS NOT NULL AND COALESCE(cs.quoted_version, 0) < ? ORDER BY cs.id"
)


def recheck_claims(
    conn: sqlite3.Connection, paper_id: str, version: int, abstract: str, comment: str, on: date
) -> list[tuple[int, Recheck]]:
    """Check every quote active claims take from ``paper_id`` (a version before ``version``)
    against ``version``'s ``abstract``; record what needs review. Returns (claim, outcome)
    for each quote checked."""
    gone = withdraws(comment, abstract)
    checked = []
    for claim_id, exact, prefix, suffix, start, end, quoted in conn.execute(
        QUOTED, (paper_id, version)
    ).fetchall():
        quote = Quote(exact, prefix or "", suffix or "", start, end)
        found = recheck(quote, abstract, withdrawn=gone)
        checked.append((claim_id, found))
        if found.needs_review:
            note = history_note(found, quoted, version, comment)
            conn.execute(
                "INSERT INTO claim_events(claim_id, on_date, action, badge, note, recorded_at, "
                "actor) VALUES (?, ?, ?, NULL, ?, ?, 'river')",
                (claim_id, on.isoformat(), str(ClaimAction.RECHECKED), note, now()),
            )
            conn.execute(
                "UPDATE claims SET review = ? WHERE id = ?", (str(found.outcome), claim_id)
            )
    return checked
