"""Reading papers: the stream's views (filters, sorts, pages, counts) and full records.
Writes are in :mod:`river_tui.store.ingest`."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from river_tui.domain import (
    Beat,
    PaperSummary,
    Source,
    TriageState,
    normalize_tag,
    parse_arxiv_id,
)
from river_tui.domain.papers import Bounds, Citation, Discovery, PaperRecord, PaperVersion
from river_tui.domain.query import parse as parse_query
from river_tui.store import authors, bounded, predicates, search, similar
from river_tui.store.rows import (
    row_to_match,
    row_to_paper,
    row_to_summary,
    to_date,
    to_datetime,
)


class Sort(StrEnum):
    """The stream's order. Ties fall back to newest first."""

    NEWEST = "newest"
    UPVOTES = "upvotes"
    RELEVANCE = "relevance"  # the beat's score (the best beat's when no beat is chosen)
    FOR_YOU = "for-you"
    """The score learned from the reader's decisions (river_tui.learning): in a beat's view the
    beat's own model when it has one. Papers not scored yet follow, by the beats' score; with no
    model at all that is the whole order."""


@dataclass(frozen=True, slots=True)
class PaperFilter:
    """What the stream shows. Every field narrows; ``None`` means no constraint."""

    beat: str | None = None
    tag: str | None = None
    state: TriageState | None = None
    query: str | None = None
    """A query in River's search language (:mod:`river_tui.domain.query`)."""
    starred: bool | None = None
    type_ahead: bool = False
    """``query`` is still being typed: its last word matches as a prefix."""
    dossier: str | None = None
    """Only papers a claim of this dossier (slug) cites."""
    sort: Sort = Sort.NEWEST
    hidden_by: str | None = None
    """Only papers beat ``hidden_by``'s rules leave out that its model scores above 0."""
    author: str | None = None
    """Only papers with an author who can be this name (:mod:`river_tui.domain.authors`)."""
    under_review: bool = False
    """Only papers that active claims under review cite, or list as new evidence."""
    similar_to: int | None = None
    """Only the papers most like this one (its row key), in that order, whatever ``sort``
    says (:func:`river_tui.store.similar.ranked`)."""
    feed: str | None = None
    """Only the papers the configured feed at this URL brought (its refreshes' sightings)."""


def _where(
    flt: PaperFilter, beats: list[Beat], conn: sqlite3.Connection | None = None
) -> tuple[str, list[object]]:
    """The WHERE part of a listing over ``p`` (papers) and ``t`` (triage). Raises
    :class:`QueryError` for a query that does not parse or names no beat. ``conn``: for
    ``similar_to``."""
    parts: list[tuple[str, list[object]]] = []
    if flt.similar_to is not None:
        parts.append((f"p.pk IN ({','.join(map(str, _similar_pks(conn, flt)))})", []))
    if flt.beat:
        parts.append(predicates.beat_predicate(flt.beat))
    if flt.tag:
        parts.append(predicates.tag_predicate(flt.tag, beats))
    if flt.state:
        parts.append(predicates.state_predicate(str(flt.state)))
    if flt.starred is not None:
        parts.append(("COALESCE(t.starred, 0) = ?", [int(flt.starred)]))
    if flt.dossier:
        cited = (
            "SELECT cs.paper_id FROM claim_sources cs JOIN claims c ON c.id = cs.claim_id "
            "WHERE c.dossier_slug = ? AND cs.paper_id IS NOT NULL AND cs.removed_on IS NULL"
        )
        parts.append(
            (
                f"(p.id IN ({cited}) OR p.pk IN "
                f"(SELECT paper_pk FROM paper_aliases WHERE alias IN ({cited})))",
                [flt.dossier, flt.dossier],
            )
        )
    if flt.under_review:
        parts.append(predicates.under_review_predicate())
    if flt.hidden_by:
        on_beat, beat_params = predicates.beat_predicate(flt.hidden_by)
        scored = predicates.member("learned_scores", "model = ? AND score > 0")
        parts.append((f"{scored} AND NOT {on_beat}", [flt.hidden_by, *beat_params]))
    if flt.feed is not None:
        parts.append(predicates.feed_predicate(flt.feed))
    if flt.author is not None:
        parts.append(authors.author_predicate(flt.author))
    if flt.query:
        sql, params = search.compile_query(parse_query(flt.query, flt.type_ahead), beats)
        if sql:
            parts.append((sql, params))
    if not parts:
        return "", []
    return " WHERE " + " AND ".join(s for s, _ in parts), [p for _, ps in parts for p in ps]


ROW_TITLE = 500
"""The most of a title a stream row reads (characters): wider than any row is drawn."""
ROW_NAME = 200
"""The most of an organization's or the first author's name a row's byline reads."""
_FIRST = f"substr(json_extract(p.authors, '$[0]'), 1, {ROW_NAME})"
_SUMMARY = (
    f"SELECT p.pk, p.id, substr(p.title, 1, {ROW_TITLE}) AS title, p.published, p.upvotes, "
    f"substr(p.organization, 1, {ROW_NAME}) AS organization, "
    # The byline needs the first author and whether there are more: a list of megabytes
    # (50,000 authors) is not read out of SQLite for that.
    f"CASE WHEN length(CAST(p.authors AS BLOB)) <= 4096 THEN p.authors "
    f"WHEN json_array_length(p.authors) > 1 THEN json_array({_FIRST}, '') "
    f"ELSE json_array({_FIRST}) END AS authors, "
    "p.author_count, COALESCE(t.state, 'new') AS state, COALESCE(t.starred, 0) AS starred "
    "FROM papers p LEFT JOIN triage t ON t.paper_pk = p.pk"
)
_PUBLISHED = "COALESCE(p.published, '')"
_NEWEST: list[tuple[str, str, list[object]]] = [
    ("(p.published IS NULL)", "ASC", []),
    (_PUBLISHED, "DESC", []),
    ("p.pk", "DESC", []),
]


def _similar_pks(conn: sqlite3.Connection | None, flt: PaperFilter) -> list[int]:
    """The papers like ``flt.similar_to``, best first (row keys: integers, written into the
    SQL as they are)."""
    assert conn is not None and flt.similar_to is not None
    return [int(s.pk) for s in similar.ranked(conn, flt.similar_to)]


def _sort_keys(
    flt: PaperFilter, conn: sqlite3.Connection | None = None
) -> list[tuple[str, str, list[object]]]:
    """The ORDER BY keys of a view (never NULL, so they compare): each expression, its
    direction and its parameters."""
    if flt.similar_to is not None:  # their rank: each paper's place in the list
        ranks = " ".join(f"WHEN {pk} THEN {n}" for n, pk in enumerate(_similar_pks(conn, flt)))
        # An empty list: a constant key (not the literal 0, which would name a column).
        rank = f"(CASE p.pk {ranks} ELSE 0 END)" if ranks else "(p.pk * 0)"
        return [(rank, "ASC", []), ("p.pk", "DESC", [])]
    if flt.sort is Sort.UPVOTES:
        return [("COALESCE(p.upvotes, -1)", "DESC", []), *_NEWEST]
    relevance = (
        "COALESCE((SELECT MAX(bm.score) FROM beat_matches bm WHERE bm.paper_pk = p.pk "
        "AND bm.verdict = 'match'" + (" AND bm.beat = ?" if flt.beat else "") + "), 0)",
        "DESC",
        [flt.beat] if flt.beat else [],
    )
    if flt.sort is Sort.RELEVANCE:
        return [relevance, *_NEWEST]
    if flt.sort is Sort.FOR_YOU:
        model = _model(conn, flt) if conn is not None else None
        if model is None:  # the beats' score, as it says
            return [relevance, *_NEWEST]
        # Papers that arrived since the last update have no score yet: last, newest first.
        return [(_LEARNED, "DESC", [model]), *_NEWEST]
    return list(_NEWEST)


def _model(conn: sqlite3.Connection, flt: PaperFilter) -> str | None:
    """The model a view in the for-you order is ordered by: its beat's (or the beat whose
    left-out papers it lists) if that beat has one, else the reader's; None when neither
    does."""
    row = conn.execute(
        "SELECT model FROM learned WHERE model IN (?, '') ORDER BY model = '' LIMIT 1",
        (flt.beat or flt.hidden_by or "",),
    ).fetchone()
    return None if row is None else str(row[0])


_LEARNED = (
    "COALESCE((SELECT s.score FROM learned_scores s WHERE s.paper_pk = p.pk AND s.model = ?), "
    "-1e308)"
)
"""A paper's score under a model; below every score when it has none."""


def _order_by(
    flt: PaperFilter, reverse: bool = False, conn: sqlite3.Connection | None = None
) -> tuple[str, list[object]]:
    """The view's ORDER BY (``reverse``: from its last row to its first)."""
    keys = _sort_keys(flt, conn)
    if reverse:
        keys = [(expr, "ASC" if way == "DESC" else "DESC", ps) for expr, way, ps in keys]
    # Within the undated group every date is NULL, so ordering by the bare column is the same
    # order as by its COALESCE, and it is the expression the papers_newest index is built on:
    # the newest page is read from the index instead of sorting the whole view.
    order = [("p.published" if expr == _PUBLISHED else expr, way) for expr, way, _ in keys]
    params = [p for _, _, ps in keys for p in ps]
    return " ORDER BY " + ", ".join(f"{expr} {way}" for expr, way in order), params


_ORDER_INDEX = {Sort.NEWEST: "papers_newest", Sort.UPVOTES: "papers_upvotes"}
"""The index each sort's ORDER BY is built on (the relevance sort has none)."""


def list_papers(
    conn: sqlite3.Connection,
    flt: PaperFilter,
    beats: list[Beat],
    limit: int = -1,
    offset: int = 0,
    in_order: bool = False,
    from_end: bool = False,
) -> list[PaperSummary]:
    """A page of the view ``flt``.

    ``from_end``: ``offset`` counts from the view's last row, the rows still come in the view's
    order. SQLite walks the sort's index backwards, so the last page of 100,000 papers is read
    at once instead of after skipping the 99,950 before it (the keys end with ``pk``: the order
    is total, and its reverse exact).

    ``in_order``: walk the sort's index and test each paper against the filter until the page
    is full, instead of letting SQLite collect every match and sort it. For the first page of a
    search that matches much of the library this is 5-10 times faster (92,000 matches of
    100,000: 26 ms instead of 142 ms); for a rare match it reads further (a query with no
    match at all: the whole index, 17 ms at 100,000 papers), so it bounds the worst case. The
    first page newest first of a view with tables to look its papers up in (a beat, a tag, a
    state) first walks the newest papers only, looking each up (:func:`_newest_walked`); a
    view too rare to fill its page there is read along the index as above, unless it holds
    no paper at all (typing ``tag:reading-group``, ``tag:r`` walked all the million papers:
    190 ms)."""
    if flt.sort is Sort.FOR_YOU and flt.similar_to is None and not from_end and limit >= 0:
        page = _best_walked(conn, flt, beats, limit, offset)
        if page is not None:
            return page
    where, params = _where(flt, beats, conn)
    first = in_order and not offset and not from_end and limit >= 0
    if first and flt.sort is Sort.NEWEST and flt.similar_to is None:
        with predicates.probing(text=True) as probe:
            looked_up, looked_up_params = _where(flt, beats, conn)
        if looked_up != where:  # the view has tables to look its papers up in
            walk = TEXT_WALK if probe.text_looked_up else WALK
            page = _newest_walked(conn, looked_up, looked_up_params, limit, walk)
            if page is not None:
                return page
            if "MATCH" not in where and not _any(conn, where, params):
                return []  # not a paper to walk the whole index for (a tag being typed)
    order, order_params = _order_by(flt, reverse=from_end, conn=conn)
    source = _SUMMARY
    if in_order and flt.similar_to is None and (index := _ORDER_INDEX.get(flt.sort)):
        source = _SUMMARY.replace("FROM papers p", f"FROM papers p INDEXED BY {index}", 1)
    rows = conn.execute(
        source + where + order + " LIMIT ? OFFSET ?", (*params, *order_params, limit, offset)
    )
    page = [row_to_summary(r) for r in rows]
    return page[::-1] if from_end else page


def _any(conn: sqlite3.Connection, where: str, params: list[object]) -> bool:
    """Whether the view holds a paper. Without a full-text match, SQLite looks for one from
    the rows of the view's tables (a tag nobody has: none, at once)."""
    sql = "SELECT 1 FROM papers p LEFT JOIN triage t ON t.paper_pk = p.pk" + where + " LIMIT 1"
    return conn.execute(sql, params).fetchone() is not None


WALK = 5_000
"""How many of the newest papers a first page looks up one by one before it reads the view
otherwise: a view of fewer than 1 paper in 100 of them (:func:`_newest_walked`)."""
TEXT_WALK = 100
"""The same for a view whose papers are looked up in the full-text index too (15-50 µs a
paper), and those of the same date as the last (at a million papers, a day's 900): a search
of fewer than half of them at 100,000 papers, of 1 in 18 at a million, is gathered instead."""


def _newest_walked(
    conn: sqlite3.Connection, where: str, params: list[object], limit: int, walk: int
) -> list[PaperSummary] | None:
    """The first page (newest first) of the view ``where`` (written with its papers looked
    up: :func:`predicates.probing`) from the ``walk`` newest papers (and those of the same
    date as the last); None when they hold less than a page (or the library has fewer dated
    papers).

    Gathering the rows of a view first costs as many rows as it holds: a beat of 200,000
    papers, 190 ms; a word nine papers in ten have, at a million papers, 110 ms. Along the
    index of the newest papers, each looked up, such a view fills its page within the first
    hundred (4 ms). The walk is bounded by the date of the ``walk``-th newest paper (an index
    range, so a rare view does not walk the whole library), and the rows before that bound
    are the view's first rows: the page is exact. A prefix of more than two letters is
    gathered either way: looked up paper by paper, it costs 40 ms a paper."""
    bound = conn.execute(
        "SELECT published FROM papers INDEXED BY papers_newest WHERE (published IS NULL) = 0 "
        "ORDER BY published DESC, pk DESC LIMIT 1 OFFSET ?",
        (walk - 1,),
    ).fetchone()
    if bound is None:  # fewer dated papers than that: read along the index, as fast
        return None
    # The leading key of the index is fixed to the dated papers, so ORDER BY the rest of it
    # reads the range in order and stops at the page.
    sql = (
        _SUMMARY.replace("FROM papers p", "FROM papers p INDEXED BY papers_newest", 1)
        + where
        + " AND (p.published IS NULL) = 0 AND p.published >= ?"
        + " ORDER BY p.published DESC, p.pk DESC LIMIT ?"
    )
    page = [row_to_summary(r) for r in conn.execute(sql, (*params, bound[0], limit))]
    return page if len(page) == limit else None


def _best_walked(
    conn: sqlite3.Connection, flt: PaperFilter, beats: list[Beat], limit: int, offset: int
) -> list[PaperSummary] | None:
    """A page of the view ``flt`` in the for-you order, read from its model's best-scored
    papers (``learned_best``: :data:`~river_tui.store.learned.BEST` of them, best first),
    each looked up; None when the view has no model or they do not hold the page (a view of
    fewer than 1 paper in 100 of them, or a page further down).

    The order sorts every paper's score (a million papers: 2.45 s for the Inbox); along the
    best, each looked up, a view of a tenth of the library fills its first page within 500
    of them. ``learned_best`` holds every paper scored at least as high as its last (ties
    included), so the rows it gives are the view's first rows: the page is exact. Papers
    with no score come after every scored one: a page that reaches them is read otherwise."""
    model = _model(conn, flt)
    if model is None:
        return None
    with predicates.probing():
        where, params = _where(flt, beats, conn)
    source = _SUMMARY.replace(
        "FROM papers p", "FROM learned_best b CROSS JOIN papers p ON p.pk = b.paper_pk", 1
    )
    # CROSS JOIN: the best are the outer loop, so SQLite reads them in order and stops at the
    # page; only papers tied on a score are sorted (by date, as the order says).
    sql = (
        source
        + " WHERE b.model = ?"
        + (" AND " + where.removeprefix(" WHERE ") if where else "")
        + " ORDER BY b.score DESC, (p.published IS NULL), p.published DESC, p.pk DESC"
        + " LIMIT ? OFFSET ?"
    )
    page = [row_to_summary(r) for r in conn.execute(sql, (model, *params, limit, offset))]
    return page if len(page) == limit else None


def count_papers(conn: sqlite3.Connection, flt: PaperFilter, beats: list[Beat]) -> int:
    if _state_only(flt) or _counted_aside(flt):
        return count_view(conn, flt, beats)[0]
    where, params = _where(flt, beats, conn)
    sql = "SELECT COUNT(*) FROM papers p LEFT JOIN triage t ON t.paper_pk = p.pk" + where
    return int(conn.execute(sql, params).fetchone()[0])


def _state_only(flt: PaperFilter) -> bool:
    """``flt`` narrows by nothing but the triage state (it may be sorted any way)."""
    return replace(flt, state=None, sort=Sort.NEWEST) == PaperFilter()


def _counted_aside(flt: PaperFilter) -> bool:
    """``flt`` is the starred papers, or the papers a beat's model would bring back
    (``hidden_by``), perhaps of one state: counted from the table that holds them, without
    visiting every paper (at a million papers, 0.3-3 s each the other way)."""
    starred = flt.starred and replace(flt, starred=None, state=None, sort=Sort.NEWEST)
    hidden = flt.hidden_by and replace(flt, hidden_by=None, state=None, sort=Sort.NEWEST)
    return PaperFilter() in (starred, hidden)


def _aside(flt: PaperFilter) -> tuple[str, list[object]]:
    """Whether each paper of a view :func:`_counted_aside` holds is new (a column ``new``),
    read from the table that holds them: what :func:`count_view` counts."""
    state = "COALESCE(t.state, 'new')"
    if flt.starred:
        sql = f"SELECT {state} = 'new' AS new FROM triage t WHERE t.starred = 1"
        params: list[object] = []
    else:  # what _where says of hidden_by, read from the scores
        on_beat = (
            "SELECT 1 FROM beat_matches bm WHERE bm.paper_pk = s.paper_pk AND bm.beat = s.model "
            "AND bm.verdict = 'match' UNION ALL SELECT 1 FROM manual_beats mb "
            "WHERE mb.paper_pk = s.paper_pk AND mb.beat = s.model"
        )
        sql = (
            f"SELECT {state} = 'new' AS new FROM learned_scores s "
            "LEFT JOIN triage t ON t.paper_pk = s.paper_pk "
            f"WHERE s.model = ? AND s.score > 0 AND NOT EXISTS ({on_beat})"
        )
        params = [flt.hidden_by]
    if flt.state is not None:
        sql += f" AND {state} = ?"
        params.append(str(flt.state))
    return sql, params


_COUNTED = "SELECT COUNT(*), COALESCE(SUM(new), 0) FROM ({})"
"""The papers of a view and the new ones among them, over a query with a column ``new``."""


def count_view(conn: sqlite3.Connection, flt: PaperFilter, beats: list[Beat]) -> tuple[int, int]:
    """How many papers ``flt`` selects, and how many of them are new, in one pass.

    A view narrowed by nothing but its state (the Inbox, "All papers") is counted from the
    triage table: every paper without a decision is new, so the Inbox is all papers minus the
    decided ones, without visiting each paper."""
    if _state_only(flt):
        total = int(conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0])
        decided = dict(
            conn.execute("SELECT state, COUNT(*) FROM triage WHERE state != 'new' GROUP BY state")
        )
        new = total - sum(decided.values())
        if flt.state is None:
            return total, new
        if flt.state is TriageState.NEW:
            return new, new
        return int(decided.get(flt.state.value, 0)), 0
    if _counted_aside(flt):
        sql, params = _aside(flt)
        count, new = conn.execute(_COUNTED.format(sql), params).fetchone()
        return int(count), int(new)
    where, params = _where(flt, beats, conn)
    sql = (
        "SELECT COUNT(*), COALESCE(SUM(COALESCE(t.state, 'new') = 'new'), 0) "
        "FROM papers p LEFT JOIN triage t ON t.paper_pk = p.pk" + where
    )
    count, new = conn.execute(sql, params).fetchone()
    return int(count), int(new)


def count_view_up_to(
    conn: sqlite3.Connection, flt: PaperFilter, beats: list[Beat], most: int
) -> tuple[int, int] | None:
    """:func:`count_view` for a view of at most ``most`` papers, or one narrowed by nothing
    but its state (counted from the triage table: as quick whatever its number); None,
    having read no further than one paper more, for a bigger one (at a million papers a
    broad search takes seconds to count, and its first ten thousand papers a tenth of that;
    what a beat's rules leave out, half a second, and 20 ms)."""
    if _state_only(flt):
        return count_view(conn, flt, beats)
    if _counted_aside(flt):
        sql, params = _aside(flt)
    else:
        where, params = _where(flt, beats, conn)
        sql = (
            "SELECT COALESCE(t.state, 'new') = 'new' AS new "
            f"FROM papers p LEFT JOIN triage t ON t.paper_pk = p.pk{where}"
        )
    count, new = conn.execute(_COUNTED.format(sql + " LIMIT ?"), (*params, most + 1)).fetchone()
    return (int(count), int(new)) if count <= most else None


def contains(conn: sqlite3.Connection, flt: PaperFilter, beats: list[Beat], pk: int) -> bool:
    """Whether paper ``pk`` is in the view ``flt``: one row looked up, nothing counted."""
    return _in_view(conn, *_where(flt, beats, conn), pk)


def _in_view(conn: sqlite3.Connection, where: str, params: list[object], pk: int) -> bool:
    sql = "SELECT 1 FROM papers p LEFT JOIN triage t ON t.paper_pk = p.pk"
    sql += (where + " AND" if where else " WHERE") + " p.pk = ?"
    return conn.execute(sql, (*params, pk)).fetchone() is not None


def position(
    conn: sqlite3.Connection,
    flt: PaperFilter,
    beats: list[Beat],
    pk: int,
    total: int | None = None,
) -> int | None:
    """Where paper ``pk`` stands in the view ``flt`` (None: not in the view).

    Counts the rows whose sort keys come before the paper's, so it uses the same indexes as the
    listing instead of numbering the whole view. Given the view's ``total``, counts the rows
    after it instead: cheaper for a paper in the second half (at the end of an Inbox of 70,000
    papers, 62 ms the one way)."""
    where, params = _where(flt, beats, conn)
    if not _in_view(conn, where, params, pk):
        return None
    base = "SELECT {} FROM papers p LEFT JOIN triage t ON t.paper_pk = p.pk"
    clause, clause_params = _beyond(flt, conn, pk, later=total is not None)
    sql = base.format("COUNT(*)") + (where + " AND " if where else " WHERE ") + clause
    counted = int(conn.execute(sql, (*params, *clause_params)).fetchone()[0])
    return counted if total is None else total - 1 - counted


def _beyond(
    flt: PaperFilter, conn: sqlite3.Connection, pk: int, later: bool
) -> tuple[str, list[object]]:
    """The rows that come after paper ``pk`` in the view's order (``later``), or before it."""
    keys = _sort_keys(flt, conn)
    exprs = ", ".join(expr for expr, _, _ in keys)
    target = conn.execute(
        f"SELECT {exprs} FROM papers p WHERE p.pk = ?",
        [*(p for _, _, ps in keys for p in ps), pk],
    ).fetchone()
    # (k1 before t1) OR (k1 = t1 AND ((k2 before t2) OR (k2 = t2 AND ...)))
    clause, clause_params = "0", []
    for (expr, way, expr_params), value in reversed(list(zip(keys, target, strict=True))):
        past = ">" if (way == "ASC") == later else "<"
        clause = f"({expr} {past} ? OR ({expr} = ? AND {clause}))"
        clause_params = [*expr_params, value, *expr_params, value, *clause_params]
    return clause, clause_params


def next_unread(
    conn: sqlite3.Connection,
    flt: PaperFilter,
    beats: list[Beat],
    pk: int | None,
    forward: bool = True,
) -> int | None:
    """The first unread (new) paper of the view ``flt`` after paper ``pk`` in its order
    (``forward``), or before it; from the view's start (or end) when ``pk`` is None. None
    when there is none. One query, over the sort's index."""
    if flt.state not in (None, TriageState.NEW):
        return None
    where, params = _where(replace(flt, state=TriageState.NEW), beats, conn)
    clauses, clause_params = [where.removeprefix(" WHERE ")] if where else [], list(params)
    if pk is not None and conn.execute("SELECT 1 FROM papers WHERE pk = ?", (pk,)).fetchone():
        clause, extra = _beyond(flt, conn, pk, later=forward)
        clauses.append(clause)
        clause_params += extra
    order, order_params = _order_by(flt, reverse=not forward, conn=conn)
    sql = (
        "SELECT p.pk FROM papers p LEFT JOIN triage t ON t.paper_pk = p.pk"
        + (" WHERE " + " AND ".join(clauses) if clauses else "")
        + order
        + " LIMIT 1"
    )
    row = conn.execute(sql, (*clause_params, *order_params)).fetchone()
    return int(row[0]) if row else None


def resolve(conn: sqlite3.Connection, paper_id: str) -> int | None:
    """The row of a paper named by its id, arXiv id (any version), alias or row number."""
    parsed = parse_arxiv_id(paper_id)
    key = parsed.canonical if parsed else paper_id.strip()
    row = conn.execute(
        "SELECT pk FROM papers WHERE id = ? UNION ALL "
        "SELECT paper_pk FROM paper_aliases WHERE alias = ? LIMIT 1",
        (key, key),
    ).fetchone()
    return row[0] if row else None


def get_record(
    conn: sqlite3.Connection, pk: int, beats: list[Beat], bounds: Bounds | None = None
) -> PaperRecord | None:
    """Everything River knows of paper ``pk``; with ``bounds``, its long fields cut to them
    (:mod:`river_tui.store.bounded`; ``PaperRecord.sizes`` says what was cut)."""
    sizes: dict[str, int] = {}
    read: dict[str, int] = {}
    if bounds is None:
        row = conn.execute(
            "SELECT p.*, COALESCE(t.state, 'new') AS state, COALESCE(t.starred, 0) AS starred "
            "FROM papers p LEFT JOIN triage t ON t.paper_pk = p.pk WHERE p.pk = ?",
            (pk,),
        ).fetchone()
    else:
        found = bounded.paper_row(conn, pk, bounds)
        row, sizes, read = found if found is not None else (None, {}, {})
    if row is None:
        return None
    limit = -1 if bounds is None else bounds.items
    matches = tuple(
        row_to_match(m)
        for m in conn.execute(
            "SELECT * FROM beat_matches WHERE paper_pk = ? ORDER BY verdict, score DESC", (pk,)
        )
    )
    user_tags = tuple(
        r[0]
        for r in conn.execute("SELECT tag FROM paper_tags WHERE paper_pk = ? ORDER BY tag", (pk,))
    )
    manual = tuple(
        r[0]
        for r in conn.execute(
            "SELECT beat FROM manual_beats WHERE paper_pk = ? ORDER BY beat", (pk,)
        )
    )
    matched = {m.beat for m in matches if str(m.verdict) == "match"} | set(manual)
    beat_tags = tuple(
        sorted({normalize_tag(t) for b in beats if b.name in matched for t in b.tags})
    )
    discoveries = tuple(
        Discovery(
            d["source"], datetime.fromisoformat(d["seen_at"]), d["origin"], json.loads(d["signal"])
        )
        for d in conn.execute(
            "SELECT * FROM discoveries WHERE paper_pk = ? ORDER BY id LIMIT ?", (pk, limit)
        )
    )
    aliases = tuple(
        r[0]
        for r in conn.execute(
            "SELECT alias FROM paper_aliases WHERE paper_pk = ? LIMIT ?", (pk, limit)
        )
    )
    cited_by = tuple(
        Citation(slug, claim, badge, text)
        for slug, claim, badge, text in conn.execute(
            "SELECT DISTINCT c.dossier_slug, c.id, c.badge, substr(c.text, 1, 300) FROM claims c "
            "JOIN claim_sources cs ON cs.claim_id = c.id WHERE c.status = 'active' "
            "AND cs.removed_on IS NULL AND (cs.paper_id = ?1 OR cs.paper_id IN "
            "(SELECT alias FROM paper_aliases WHERE paper_pk = ?2)) ORDER BY c.dossier_slug, "
            "c.position LIMIT ?3",
            (row["id"], pk, limit),
        )
    )
    note = _note(conn, pk, bounds, sizes)
    tables = (("discoveries", discoveries), ("paper_aliases", aliases))
    for table, got in tables if bounds is not None else ():
        if len(got) == limit:  # as many as the bound: count them all
            total = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE paper_pk = ?", (pk,))
            if (count := total.fetchone()[0]) > limit:
                sizes[table.removeprefix("paper_")] = count
    return PaperRecord(
        pk=pk,
        id=row["id"],
        paper=row_to_paper(row),
        state=TriageState(row["state"]),
        starred=bool(row["starred"]),
        user_tags=user_tags,
        beat_tags=beat_tags,
        matches=matches,
        discoveries=discoveries,
        aliases=aliases,
        manual_beats=manual,
        cited_by=cited_by,
        note=note,
        first_seen=to_datetime(row["first_seen"]),
        last_seen=to_datetime(row["last_seen"]),
        sizes=sizes,
        read=read,
    )


def _note(conn: sqlite3.Connection, pk: int, bounds: Bounds | None, sizes: dict[str, int]) -> str:
    """Paper ``pk``'s note ("" for none); with ``bounds``, cut to ``bounds.note`` characters
    (its whole length then goes in ``sizes["note"]``)."""
    limit = None if bounds is None else bounds.note
    row = conn.execute(
        "SELECT CASE WHEN ?1 IS NULL THEN text ELSE substr(text, 1, ?1) END, length(text) "
        "FROM paper_notes WHERE paper_pk = ?2",
        (limit, pk),
    ).fetchone()
    if row is None:
        return ""
    text, length = row
    if limit is not None and length > limit:
        sizes["note"] = length
    return str(text)


_AUTHORS = (
    "SELECT json_group_array(value) FROM (SELECT value FROM papers p, json_each(p.authors) "
    "WHERE p.pk = ? LIMIT ? OFFSET ?)"
)


def paper_part(
    conn: sqlite3.Connection, pk: int, field: str, start: int, size: int
) -> str | list[str]:
    """Part of a long field of paper ``pk``: at most ``size`` bytes of its title or abstract
    from byte ``start`` (0 is the first; whole characters only, so a part may be a few bytes
    short), or ``size`` authors from the ``start``-th. Only that part is read out of SQLite
    ("" or [] past the end, or for no such paper)."""
    if field == "authors":
        row = conn.execute(_AUTHORS, (pk, size, start)).fetchone()
        return [str(name) for name in json.loads(row[0])] if row and row[0] else []
    if field not in bounded.TEXTS:
        raise ValueError(f"no part of {field!r} can be read")
    return bounded.read_text(conn, pk, field, start, size)[0].decode("utf-8", errors="replace")


def feed_counts(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Each feed's fetch-log key (``feed|URL|``) -> (papers, unread papers) it brought: one
    pass over the feeds' sightings, whatever the number of feeds."""
    rows = conn.execute(
        "SELECT d.origin, COUNT(*), SUM(COALESCE(t.state, 'new') = 'new') FROM discoveries d "
        "LEFT JOIN triage t ON t.paper_pk = d.paper_pk WHERE d.source = ? GROUP BY d.origin",
        [Source.FEED.discovery],
    )
    return {origin: (total, unread or 0) for origin, total, unread in rows}


def versions(conn: sqlite3.Connection, pk: int) -> list[PaperVersion]:
    """The arXiv versions of paper ``pk`` River has seen (schema step 13), oldest first."""
    rows = conn.execute(
        "SELECT version, dated, title, abstract, comment, source, seen_at FROM paper_versions "
        "WHERE paper_pk = ? ORDER BY version",
        (pk,),
    )
    return [
        PaperVersion(number, to_date(dated), title, abstract, comment, source, seen_at)
        for number, dated, title, abstract, comment, source, seen_at in rows
    ]
