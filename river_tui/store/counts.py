"""The navigation's counts of the beats and the tags: each beat's papers and unread papers,
and each tag's, read from the small sides of a big library (the matches on their index, the
decisions, the reader's tags) rather than by counting each view paper by paper."""

from __future__ import annotations

import sqlite3

from river_tui.domain import Beat, normalize_tag


def beat_counts(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """beat -> (papers, unread papers), counting matches and beats assigned by hand.

    Counted from the small sides: each beat's matches on their index, less the decided papers
    among them (the decisions read first, each paper's matches looked up: a fraction of a big
    library), then the beats given by hand that no rule matched. At a million papers 0.5 s,
    where joining every match with its decision took 0.9 s."""
    counts: dict[str, list[int]] = {}
    for beat, total in conn.execute(
        "SELECT beat, COUNT(*) FROM beat_matches WHERE verdict = 'match' GROUP BY beat"
    ):
        counts[beat] = [total, total]
    decided = conn.execute(  # CROSS JOIN: SQLite reads the decisions first
        "SELECT bm.beat, COUNT(*) FROM triage t CROSS JOIN beat_matches bm "
        "ON bm.paper_pk = t.paper_pk WHERE t.state != 'new' AND bm.verdict = 'match' "
        "GROUP BY bm.beat"
    )
    for beat, count in decided:
        counts[beat][1] -= count
    by_hand = conn.execute(
        "SELECT mb.beat, COUNT(*), SUM(COALESCE(t.state, 'new') = 'new') FROM manual_beats mb "
        "LEFT JOIN triage t ON t.paper_pk = mb.paper_pk WHERE NOT EXISTS (SELECT 1 FROM "
        "beat_matches bm WHERE bm.paper_pk = mb.paper_pk AND bm.beat = mb.beat "
        "AND bm.verdict = 'match') GROUP BY mb.beat"
    )
    for beat, total, unread in by_hand:
        count = counts.setdefault(beat, [0, 0])
        count[0] += total
        count[1] += unread or 0
    return {beat: (total, unread) for beat, (total, unread) in counts.items()}


def tag_counts(
    conn: sqlite3.Connection,
    beats: list[Beat],
    on_beats: dict[str, tuple[int, int]] | None = None,
) -> dict[str, tuple[int, int]]:
    """tag -> (papers, unread papers), over user tags and the tags of the beats.

    A tag of one beat holds that beat's papers (``on_beats``: :func:`beat_counts`, counted here
    if not given) and those the reader tagged so off the beat; a tag of no beat, the papers
    tagged so. A tag of two beats or more is counted in one pass over every paper that has it
    however (a paper on both beats, or on one and tagged, counted once)."""
    on_beats = beat_counts(conn) if on_beats is None else on_beats
    carried: dict[str, list[str]] = {}
    for beat in beats:
        for tag in {normalize_tag(t) for t in beat.tags}:
            carried.setdefault(tag, []).append(beat.name)
    single = {tag: names[0] for tag, names in carried.items() if len(names) == 1}
    shared = {tag: names for tag, names in carried.items() if len(names) > 1}
    counts = {tag: on_beats.get(beat, (0, 0)) for tag, beat in single.items()}
    values = ", ".join("(?, ?)" for _ in single) or "(NULL, NULL)"
    off_beat = conn.execute(
        f"WITH beat_of(tag, beat) AS (VALUES {values}) "
        "SELECT pt.tag, COUNT(*), SUM(COALESCE(t.state, 'new') = 'new') FROM paper_tags pt "
        "LEFT JOIN beat_of b ON b.tag = pt.tag LEFT JOIN triage t ON t.paper_pk = pt.paper_pk "
        "WHERE b.beat IS NULL OR NOT (EXISTS (SELECT 1 FROM beat_matches bm WHERE "
        "bm.paper_pk = pt.paper_pk AND bm.beat = b.beat AND bm.verdict = 'match') OR EXISTS "
        "(SELECT 1 FROM manual_beats mb WHERE mb.paper_pk = pt.paper_pk AND mb.beat = b.beat)) "
        "GROUP BY pt.tag",
        [value for pair in single.items() for value in pair],
    )
    for tag, total, unread in off_beat:
        if tag not in shared:
            before = counts.get(tag, (0, 0))
            counts[tag] = (before[0] + total, before[1] + (unread or 0))
    if shared:
        counts |= _shared_tag_counts(conn, shared)
    return dict(sorted(counts.items()))


def _shared_tag_counts(
    conn: sqlite3.Connection, shared: dict[str, list[str]]
) -> dict[str, tuple[int, int]]:
    """The counts of the tags of two beats or more, in one pass over what has them."""
    pairs = [(beat, tag) for tag, names in shared.items() for beat in names]
    values = ", ".join("(?, ?)" for _ in pairs)
    marks = ", ".join("?" for _ in shared)
    rows = conn.execute(
        f"WITH beat_tags(beat, tag) AS (VALUES {values}), tagged(paper_pk, tag) AS ("
        f"SELECT paper_pk, tag FROM paper_tags WHERE tag IN ({marks}) "
        "UNION SELECT bm.paper_pk, bt.tag FROM beat_tags bt JOIN beat_matches bm "
        "ON bm.beat = bt.beat AND bm.verdict = 'match' "
        "UNION SELECT mb.paper_pk, bt.tag FROM beat_tags bt JOIN manual_beats mb "
        "ON mb.beat = bt.beat) "
        "SELECT x.tag, COUNT(*), SUM(COALESCE(t.state, 'new') = 'new') FROM tagged x "
        "LEFT JOIN triage t ON t.paper_pk = x.paper_pk GROUP BY x.tag",
        [*(value for pair in pairs for value in pair), *shared],
    )
    counts = dict.fromkeys(shared, (0, 0))
    return counts | {tag: (total, unread or 0) for tag, total, unread in rows}
