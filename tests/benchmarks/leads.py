"""New evidence: what comparing new papers with the active claims adds to a refresh.

    .venv/bin/python tests/benchmarks/leads.py LIBRARY [--claims 10] [--runs 5] [--json OUT]

In one transaction that is rolled back at the end (the library is left as it was):
``--claims`` claims are asserted, each the text of one seed dossier claim (700-1,000
characters) followed by a sentence of a paper, so no two are alike. Then, for each of
``--runs`` pages of 50 papers (the newest first, as a refresh lands them):

1. ``terms``: ``Library.claim_terms()``, every active claim as weighted terms (each term's
   document count read from the index): what a refresh reads once, before its first page.
2. ``compare``: ``store.leads.find_leads`` for the page's 50 papers against those terms,
   what a refresh adds to each page's transaction.
3. ``store``: the floor, in the same run: the page's 50 papers written again by
   ``Library.upsert_paper`` (each unchanged, so merged and re-matched to the beats), the work
   each page's transaction does without the comparison.

Reported: median and worst of each, in wall time, and the ratio of the medians of ``compare``
and ``store``. Targets at 100,000 papers: ``compare`` at most 100 ms (the page's write
transaction is held that much longer: a decision made meanwhile waits at most that), and
``terms`` at most 2 s (read outside any transaction, while the first request is on its way).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from _common import ROOT, isolate_env, library_size, load_average, machine, summary, write_result

SEED = ROOT / "data" / "sample" / "dossier-training-methodology-frontier-shift.md"


def _page(library, page: list[int], beats, titles) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The three timings of one page of 50 papers (module docstring), in ms."""
    from river_tui.domain import Discovery
    from river_tui.store import leads
    from river_tui.store.ingest import upsert_paper

    conn = library.conn
    start = time.perf_counter()
    terms = leads.claim_terms(conn)
    read = time.perf_counter()
    leads.find_leads(conn, page, date(2026, 12, 7), terms)
    compared = time.perf_counter()
    records = [library.record(pk) for pk in page]
    seen = datetime.now(UTC)
    stored_from = time.perf_counter()
    for record in records:
        upsert_paper(conn, record.paper, Discovery("bench", seen), beats, titles)
    stored = time.perf_counter()
    return {
        "terms": (read - start) * 1000,
        "compare": (compared - read) * 1000,
        "store": (stored - stored_from) * 1000,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--claims", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    isolate_env()
    from river_tui.settings import load_settings
    from river_tui.store import tending

    texts = re.findall(r"^### \[[^\]]+\] (.+)$", SEED.read_text(encoding="utf-8"), re.M)
    path = args.library.resolve()
    times: dict[str, list[float]] = {"terms": [], "compare": [], "store": []}
    beats = load_settings().beats
    from river_tui.store.library import Library

    with Library.open(path, beats) as library:
        conn = library.conn
        titles = library.title_index()
        pks = [
            r[0]
            for r in conn.execute(
                "SELECT pk FROM papers ORDER BY pk DESC LIMIT ?", (50 * args.runs,)
            )
        ]
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT INTO dossiers(slug, title, status, importance) "
                "VALUES ('bench', 'Bench', 'seedling', 5)"
            )
            for n in range(args.claims):
                (sentence,) = conn.execute(
                    "SELECT substr(abstract, 1, 200) FROM papers WHERE pk = ?", (pks[-1 - n],)
                ).fetchone()
                text = f"{texts[n % len(texts)]} {sentence}"
                tending.assert_claim(conn, "bench", text, "caveat", [], date(2026, 12, 7))
            for run in range(args.runs):
                page = pks[run * 50 : (run + 1) * 50]
                for name, ms in _page(library, page, beats, titles).items():
                    times[name].append(ms)
            listed = conn.execute("SELECT COUNT(*) FROM claim_leads").fetchone()[0]
        finally:
            conn.execute("ROLLBACK")
    medians = {k: summary(v)["median"] for k, v in times.items()}
    result = {
        "benchmark": "leads",
        "library": str(path),
        "papers": library_size(path),
        "claims": args.claims,
        "pages": args.runs,
        "listed": listed,
        "ms": {
            k: {"median": round(summary(v)["median"], 1), "max": round(max(v), 1)}
            for k, v in times.items()
        },
        "compare_over_store": round(medians["compare"] / medians["store"], 2),
        "load": load_average(),
        "machine": machine(),
    }
    write_result(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
