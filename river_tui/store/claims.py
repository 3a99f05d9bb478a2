"""Dossiers, claims, their append-only events, and river posts.

Events are appended, never rewritten: importing a dossier again adds only the events that are
not there yet, and the database itself refuses UPDATE and DELETE on ``claim_events``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from river_tui.domain.claims import (
    Authorship,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Dossier,
    DossierStatus,
    Lead,
    Post,
    Quote,
    Relation,
    SourceKind,
    SourceLink,
    age_delta,
)
from river_tui.domain.ids import parse_arxiv_id
from river_tui.store.db import now
from river_tui.store.predicates import UNDER_REVIEW
from river_tui.store.rows import iso, to_date, to_datetime


@dataclass(frozen=True, slots=True)
class DossierWrite:
    slug: str
    new: bool
    claims_new: int
    events_new: int


@dataclass(frozen=True, slots=True)
class DossierSummary:
    slug: str
    title: str
    status: DossierStatus
    importance: int
    claims: int
    last_tended: str | None


INSERT_DOSSIER = (
    "INSERT INTO dossiers(slug, title, status, importance, created, last_tended, canonical, "
    "agent, model, operator, accountable, oversight) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
)


def dossier_row(dossier: Dossier, last_tended: date | None) -> tuple[object, ...]:
    """The values of :data:`INSERT_DOSSIER` for ``dossier``."""
    a = dossier.authorship
    return (
        dossier.slug,
        dossier.title,
        str(dossier.status),
        dossier.importance,
        iso(dossier.created),
        iso(last_tended),
        dossier.canonical,
        a.agent,
        a.model,
        a.operator,
        a.accountable,
        a.oversight,
    )


def save_dossier(conn: sqlite3.Connection, dossier: Dossier) -> DossierWrite:
    """Insert or update a dossier and append what is new in its claims. Inside a transaction."""
    exists = conn.execute("SELECT 1 FROM dossiers WHERE slug = ?", (dossier.slug,)).fetchone()
    conn.execute(
        INSERT_DOSSIER + " "
        "ON CONFLICT(slug) DO UPDATE SET title=excluded.title, status=excluded.status, "
        "importance=excluded.importance, created=COALESCE(dossiers.created, excluded.created), "
        "last_tended=MAX(COALESCE(dossiers.last_tended, ''), COALESCE(excluded.last_tended, '')), "
        "canonical=excluded.canonical, agent=excluded.agent, model=excluded.model, "
        "operator=excluded.operator, accountable=excluded.accountable, "
        "oversight=excluded.oversight",
        dossier_row(dossier, dossier.last_tended),
    )
    claims_new = events_new = 0
    for position, claim in enumerate(dossier.claims, start=1):
        row = conn.execute(
            "SELECT id, status FROM claims WHERE dossier_slug = ? AND position = ?",
            (dossier.slug, position),
        ).fetchone()
        if row is None:
            claim_id = conn.execute(
                "INSERT INTO claims(dossier_slug, position, text, badge, status) "
                "VALUES (?, ?, ?, ?, ?)",
                (dossier.slug, position, claim.text, claim.badge, str(claim.status)),
            ).lastrowid
            assert claim_id is not None
            claims_new += 1
            events_new += _append_events(conn, claim_id, claim.events)
        else:
            # A claim the library has: the file's text, badge and status replace the library's
            # only with an event the library has not seen (the claim was tended elsewhere). An
            # older or cut-short copy carries none, and must not undo tending recorded here.
            # A claim retracted or superseded here stays as it was (text, badge and status):
            # it is history, tended no more; the file's events are still kept.
            claim_id, stored = row[0], row[1]
            added = _append_events(conn, claim_id, claim.events)
            if added and stored == str(ClaimStatus.ACTIVE):
                conn.execute(
                    "UPDATE claims SET text = ?, badge = ?, status = ? WHERE id = ?",
                    (claim.text, claim.badge, str(claim.status), claim_id),
                )
            events_new += added
        save_sources(conn, claim_id, claim.sources)
    return DossierWrite(dossier.slug, exists is None, claims_new, events_new)


def save_sources(conn: sqlite3.Connection, claim_id: int, sources: list[SourceLink]) -> None:
    known = {
        (r["kind"], r["url"], r["quote_exact"])
        for r in conn.execute("SELECT * FROM claim_sources WHERE claim_id = ?", (claim_id,))
    }
    position = len(known)
    for source in sources:
        quote = source.quote
        key = (str(source.kind), source.url, quote.exact if quote else None)
        if key in known:
            continue
        position += 1
        conn.execute(
            "INSERT INTO claim_sources(claim_id, position, kind, url, label, paper_id, "
            "quote_exact, quote_prefix, quote_suffix, quote_start, quote_end, quoted_version, "
            "relation) "
            # A quote names its version, or is of the paper as River holds it now (newest).
            "VALUES (?,?,?,?,?,?,?,?,?,?,?, CASE WHEN ?7 IS NULL THEN NULL "
            "ELSE COALESCE(?12, (SELECT version FROM papers WHERE id = ?6)) END, ?13)",
            (
                claim_id,
                position,
                str(source.kind),
                source.url,
                source.label,
                source.paper_id,
                quote.exact if quote else None,
                quote.prefix if quote else None,
                quote.suffix if quote else None,
                quote.start if quote else None,
                quote.end if quote else None,
                quote.version if quote else None,
                str(source.relation) if source.relation else None,
            ),
        )


def _append_events(conn: sqlite3.Connection, claim_id: int, events: list[ClaimEvent]) -> int:
    """Append the events not yet recorded (matched by date, action, badge and note)."""
    recorded = [
        (r["on_date"], r["action"], r["badge"], r["note"])
        for r in conn.execute(
            "SELECT on_date, action, badge, note FROM claim_events WHERE claim_id = ? ORDER BY id",
            (claim_id,),
        )
    ]
    added = 0
    for event in events:
        key = (event.on.isoformat(), event.action, event.badge, event.note)
        if key in recorded:
            recorded.remove(key)
            continue
        conn.execute(
            "INSERT INTO claim_events(claim_id, on_date, action, badge, note, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (claim_id, *key, now()),
        )
        added += 1
    return added


def under_review(conn: sqlite3.Connection) -> list[tuple[str, Claim]]:
    """(dossier slug, claim) for every claim under review, by dossier and place."""
    rows = conn.execute(
        f"SELECT * FROM claims WHERE {UNDER_REVIEW} ORDER BY dossier_slug, position"
    ).fetchall()
    return [(row["dossier_slug"], _load_claim(conn, row)) for row in rows]


def watched(conn: sqlite3.Connection) -> list[str]:
    """The arXiv ids (without version) of the papers active claims cite, sorted: the refresh
    checks them for new versions and withdrawals (:mod:`river_tui.refresh.jobs`)."""
    rows = conn.execute(
        "SELECT DISTINCT cs.paper_id FROM claim_sources cs JOIN claims c ON c.id = cs.claim_id "
        "WHERE c.status = 'active' AND cs.removed_on IS NULL AND cs.kind = 'paper' "
        "AND cs.paper_id IS NOT NULL"
    ).fetchall()
    ids = {found.canonical for (paper_id,) in rows if (found := parse_arxiv_id(paper_id))}
    return sorted(ids)


def count_under_review(conn: sqlite3.Connection) -> int:
    row = conn.execute(f"SELECT COUNT(*) FROM claims WHERE {UNDER_REVIEW}").fetchone()
    return int(row[0])


def list_dossiers(conn: sqlite3.Connection) -> list[DossierSummary]:
    rows = conn.execute(
        "SELECT d.slug, d.title, d.status, d.importance, d.last_tended, "
        "(SELECT COUNT(*) FROM claims c WHERE c.dossier_slug = d.slug) AS claims "
        "FROM dossiers d ORDER BY d.importance DESC, d.last_tended DESC, d.title"
    )
    return [
        DossierSummary(
            r["slug"],
            r["title"],
            DossierStatus(r["status"]),
            r["importance"],
            r["claims"],
            r["last_tended"],
        )
        for r in rows
    ]


def get_dossier(conn: sqlite3.Connection, slug: str) -> Dossier | None:
    row = conn.execute("SELECT * FROM dossiers WHERE slug = ?", (slug,)).fetchone()
    if row is None:
        return None
    claims = [
        _load_claim(conn, c)
        for c in conn.execute(
            "SELECT * FROM claims WHERE dossier_slug = ? ORDER BY position", (slug,)
        )
    ]
    return Dossier(
        slug=row["slug"],
        title=row["title"],
        status=DossierStatus(row["status"]),
        importance=row["importance"],
        created=to_date(row["created"]),
        last_tended=to_date(row["last_tended"]),
        canonical=row["canonical"],
        authorship=Authorship(
            row["agent"], row["model"], row["operator"], row["accountable"], row["oversight"]
        ),
        claims=claims,
    )


def active_sources(conn: sqlite3.Connection, claim_id: int) -> list[SourceLink]:
    """A claim's sources that were not removed, in order, with their quotes."""
    rows = conn.execute(
        "SELECT * FROM claim_sources WHERE claim_id = ? AND removed_on IS NULL ORDER BY position",
        (claim_id,),
    )
    return [
        SourceLink(
            SourceKind(r["kind"]),
            r["url"],
            r["label"],
            Quote(
                r["quote_exact"],
                r["quote_prefix"] or "",
                r["quote_suffix"] or "",
                r["quote_start"],
                r["quote_end"],
                r["quoted_version"],
            )
            if r["quote_exact"] is not None
            else None,
            Relation(r["relation"]) if r["relation"] else None,
        )
        for r in rows
    ]


def _load_claim(conn: sqlite3.Connection, row: sqlite3.Row) -> Claim:
    sources = active_sources(conn, row["id"])
    events = [
        ClaimEvent(date.fromisoformat(e["on_date"]), e["action"], e["badge"], e["note"], e["actor"])
        for e in conn.execute(
            "SELECT * FROM claim_events WHERE claim_id = ? ORDER BY id", (row["id"],)
        )
    ]
    return Claim(
        text=row["text"],
        badge=row["badge"],
        sources=sources,
        events=events,
        status=ClaimStatus(row["status"]),
        id=row["id"],
        review=row["review"],
        leads=open_leads(conn, row["id"]),
    )


def get_claim(conn: sqlite3.Connection, claim_id: int) -> Claim | None:
    row = conn.execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone()
    return None if row is None else _load_claim(conn, row)


def open_leads(conn: sqlite3.Connection, claim_id: int) -> list[Lead]:
    """The papers that may bear on a claim, neither attached nor dismissed, best first."""
    rows = conn.execute(
        "SELECT l.paper_pk, p.id, p.title, l.score, l.sentence, l.shared, l.found_on "
        "FROM claim_leads l JOIN papers p ON p.pk = l.paper_pk "
        "WHERE l.claim_id = ? AND l.decided IS NULL ORDER BY l.score DESC, l.paper_pk",
        (claim_id,),
    ).fetchall()
    return [
        Lead(pk, paper, title, score, sentence, tuple(json.loads(words)), date.fromisoformat(on))
        for pk, paper, title, score, sentence, words, on in rows
    ]


def post_id(post: Post, tag: str) -> str:
    key = "\x1f".join((tag, post.handle, post.body))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def save_posts(conn: sqlite3.Connection, tag: str, posts: list[Post]) -> int:
    """Insert the posts of a river page not seen before. Returns how many were new."""
    added = 0
    base = conn.execute("SELECT COUNT(*) FROM posts WHERE tag = ?", (tag,)).fetchone()[0]
    for post in posts:
        pid = post_id(post, tag)
        if conn.execute("SELECT 1 FROM posts WHERE id = ?", (pid,)).fetchone():
            continue
        added += 1
        conn.execute(
            "INSERT INTO posts(id, tag, position, author, handle, beat, age, badge, body, "
            "imported_at, avatar) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                pid,
                tag,
                base + added,
                post.author,
                post.handle,
                post.beat,
                post.age,
                post.badge,
                post.body,
                now(),
                post.avatar,
            ),
        )
        conn.executemany(
            "INSERT INTO post_sources(post_id, position, kind, url, label, paper_id) "
            "VALUES (?,?,?,?,?,?)",
            [
                (pid, i, str(s.kind), s.url, s.label, s.paper_id)
                for i, s in enumerate(post.sources, start=1)
            ],
        )
    return added


def list_posts(conn: sqlite3.Connection, tag: str | None = None) -> list[Post]:
    """Posts in page order (as imported: newest first), optionally for one tag."""
    sql = "SELECT * FROM posts" + (" WHERE tag = ?" if tag else "") + " ORDER BY tag, position"
    posts = []
    for r in conn.execute(sql, (tag,) if tag else ()):
        sources = [
            SourceLink(SourceKind(s["kind"]), s["url"], s["label"])
            for s in conn.execute(
                "SELECT * FROM post_sources WHERE post_id = ? ORDER BY position", (r["id"],)
            )
        ]
        posts.append(
            Post(
                r["tag"],
                r["author"],
                r["handle"],
                r["beat"],
                r["age"],
                r["badge"],
                r["body"],
                sources,
                r["avatar"],
                posted_at(r["age"], r["imported_at"]),
            )
        )
    return posts


def posted_at(age: str, imported_at: str) -> datetime | None:
    """When a saved page's post was posted: the page's import time less the age it showed."""
    delta, saved = age_delta(age), to_datetime(imported_at)
    return saved - delta if delta is not None and saved is not None else None


def post_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: n for t, n in conn.execute("SELECT tag, COUNT(*) FROM posts GROUP BY tag")}
