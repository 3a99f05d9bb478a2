"""Where the store's time goes, and what the suggested SQL fixes would save.

    .venv/bin/python tests/benchmarks/store_probe.py LIBRARY [--fts-prefix] [--json OUT]

Times, on the library as River leaves it, the queries behind the first screen and paging
(the first and the last 50-row page of "All papers" and of the Inbox, the navigation counts),
with each listing's query plan; then, on a *copy* in a temporary folder (the library itself is
only read), the same with the suggested fixes:

* an index on exactly the stream's sort keys, ``((published IS NULL), COALESCE(published, '')
  DESC, pk DESC)`` (``river_tui.store.papers._NEWEST``), so a page needs no sort of the whole
  view (River has since ordered by the expressions of ``papers_newest`` instead, commit
  a10b1eb: ``sorts_whole_view`` shows whether a listing still sorts the whole view);
* ``tag_counts`` as one ``GROUP BY`` query (like ``beat_counts``) instead of two counts per
  tag, checked to give the same answer;
* with ``--fts-prefix``: the full-text index rebuilt with ``prefix='1 2 3'`` and the type-ahead
  prefixes timed against both (adds a few hundred MB to the copy).

Each time is the median of ``--repeat`` runs on one warm connection.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import isolate_env, library_size, load_average, machine, write_result

PAGE = 50
NEWEST_KEY_INDEX = (
    "CREATE INDEX bench_papers_newest_key ON papers("
    "(published IS NULL), COALESCE(published, '') DESC, pk DESC)"
)


def _timed(repeat: int, call) -> float:  # type: ignore[no-untyped-def]
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 2)


def listings(library, repeat: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from river_tui.domain import TriageState
    from river_tui.store import papers
    from river_tui.store.papers import PaperFilter

    out: dict[str, object] = {}
    for name, flt in (("all", PaperFilter()), ("inbox", PaperFilter(state=TriageState.NEW))):
        count = library.count(flt)
        last = max(0, count - PAGE)
        where, params = papers._where(flt, library.beats)
        order, order_params = papers._order_by(flt)
        plan = [
            row[3]
            for row in library.conn.execute(
                "EXPLAIN QUERY PLAN " + papers._SUMMARY + where + order + " LIMIT ? OFFSET ?",
                (*params, *order_params, PAGE, 0),
            )
        ]
        out[name] = {
            "rows": count,
            "count_ms": _timed(repeat, lambda f=flt: library.count(f)),
            "first_page_ms": _timed(repeat, lambda f=flt: library.papers(f, limit=PAGE)),
            "last_page_ms": _timed(
                repeat, lambda f=flt, o=last: library.papers(f, limit=PAGE, offset=o)
            ),
            "plan": plan,
            "sorts_whole_view": any("TEMP B-TREE" in step for step in plan),
        }
    return out


def tag_counts_one_query(library) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """``Library.tag_counts`` as one query (the suggested rewrite)."""
    from river_tui.domain import normalize_tag

    pairs = [(b.name, normalize_tag(t)) for b in library.beats for t in b.tags]
    values = ", ".join("(?, ?)" for _ in pairs) or "(NULL, NULL)"
    sql = (
        f"WITH beat_tags(beat, tag) AS (VALUES {values}), "
        "tagged(paper_pk, tag) AS ("
        " SELECT paper_pk, tag FROM paper_tags"
        " UNION SELECT bm.paper_pk, bt.tag FROM beat_matches bm"
        "  JOIN beat_tags bt ON bt.beat = bm.beat WHERE bm.verdict = 'match'"
        " UNION SELECT mb.paper_pk, bt.tag FROM manual_beats mb"
        "  JOIN beat_tags bt ON bt.beat = mb.beat) "
        "SELECT x.tag, COUNT(*), SUM(COALESCE(t.state, 'new') = 'new') FROM tagged x "
        "LEFT JOIN triage t ON t.paper_pk = x.paper_pk GROUP BY x.tag"
    )
    params = [v for pair in pairs for v in pair]
    found = {tag: (n, unread) for tag, n, unread in library.conn.execute(sql, params)}
    for _beat, tag in pairs:
        found.setdefault(tag, (0, 0))
    return found


def counts(library, repeat: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    tags = library.tag_counts()
    out: dict[str, object] = {}
    try:
        from river_tui.reader.views import collect_counts  # what the reader counts at start-up
    except ImportError:
        pass
    else:
        out["collect_counts_ms"] = _timed(max(1, repeat // 3), lambda: collect_counts(library))
    return out | {
        "tag_counts_ms": _timed(max(1, repeat // 3), library.tag_counts),
        "tag_counts_one_query_ms": _timed(repeat, lambda: tag_counts_one_query(library)),
        "tag_counts_one_query_same": tag_counts_one_query(library) == tags,
        "beat_counts_ms": _timed(repeat, library.beat_counts),
        "tags": len(tags),
    }


def fts_prefixes(conn: sqlite3.Connection, repeat: int) -> dict[str, object]:
    conn.execute(
        "CREATE VIRTUAL TABLE bench_fts_prefix USING fts5(title, abstract, authors, "
        "content='papers', content_rowid='pk', "
        "tokenize='porter unicode61 remove_diacritics 2', prefix='1 2 3')"
    )
    start = time.perf_counter()
    conn.execute("INSERT INTO bench_fts_prefix(bench_fts_prefix) VALUES ('rebuild')")
    conn.commit()
    out: dict[str, object] = {"build_s": round(time.perf_counter() - start, 1)}
    for expression in ('"c"*', '"cr"*', '"cre"*', '"credit" "ass"*'):
        row = {}
        for table in ("papers_fts", "bench_fts_prefix"):
            sql = f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?"
            row[table + "_ms"] = _timed(repeat, lambda s=sql, e=expression: conn.execute(s, (e,)))
        out[expression] = row
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fts-prefix", action="store_true")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    isolate_env()
    from river_tui.settings import load_settings
    from river_tui.store.library import Library

    beats = load_settings().beats
    path = args.library.resolve()
    result: dict[str, object] = {"benchmark": "store_probe", "papers": library_size(path)}
    with Library.open(path, beats) as library:
        result["as_is"] = {"listings": listings(library, args.repeat)}
        result["as_is"]["counts"] = counts(library, args.repeat)  # type: ignore[index]
    with tempfile.TemporaryDirectory(prefix="river-probe-") as folder:
        copy = Path(folder) / path.name
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        with sqlite3.connect(copy) as target:
            source.backup(target)
        source.close()
        with Library.open(copy, beats) as library:
            start = time.perf_counter()
            library.conn.execute(NEWEST_KEY_INDEX)
            index_s = round(time.perf_counter() - start, 2)
            result["with_sort_key_index"] = {
                "index_build_s": index_s,
                "listings": listings(library, args.repeat),
            }
            if args.fts_prefix:
                result["fts_prefix"] = fts_prefixes(library.conn, args.repeat)
    result |= {"machine": machine(), "load_average": load_average()}
    write_result(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
