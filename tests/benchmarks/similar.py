"""Similar papers: how long ``m`` (and ``river similar``) takes to find the papers like one.

    .venv/bin/python tests/benchmarks/similar.py LIBRARY [--papers 50] [--json OUT]

For ``--papers`` papers drawn at random (the same ones for the same library), on one
connection as the reader's (``Library.open``, warmed by one call first):

1. ``similar``: ``Library.similar(pk, 10)``, what ``river similar ID`` runs: the paper's
   distinctive words probed in the index, the OR query ranked by BM25, the shared words found.
2. ``view``: the first page of the view ``m`` opens, ``Library.papers(PaperFilter(
   similar_to=pk), limit=50)``: the 50 papers found as above, then listed as rows.
3. ``plain``: the floor, in the same run: the search language's first page for one word of the
   paper's title (its longest), ``Library.papers(PaperFilter(query=word), limit=50)``, what a
   search typed in the reader runs.

Each is timed in wall time and in the thread's CPU time (which other work on the machine does
not inflate); reported: median, p95 and worst over the papers, and the ratio of the medians of
``view`` and ``plain``. Target: ``view`` at most 100 ms at 100,000 papers.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

from _common import isolate_env, library_size, load_average, machine, summary, write_result


def _timed(call) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(wall ms, CPU ms) of ``call()``."""
    start, cpu = time.perf_counter(), time.thread_time()
    call()
    return (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000


def _rounded(values: list[float]) -> dict[str, float]:
    return {k: round(v, 2) for k, v in summary(values).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--papers", type=int, default=50)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    isolate_env()
    from river_tui.settings import load_settings
    from river_tui.store.library import Library
    from river_tui.store.papers import PaperFilter

    path = args.library.resolve()
    times: dict[str, list[float]] = {k: [] for k in ("similar", "view", "plain")}
    cpu: dict[str, list[float]] = {k: [] for k in times}
    found = 0
    with Library.open(path, load_settings().beats) as library:
        pks = [int(r[0]) for r in library.conn.execute("SELECT pk FROM papers ORDER BY pk")]
        chosen = random.Random(7).sample(pks, min(args.papers, len(pks)))
        library.similar(pks[0])  # the tokenizer's table, made once per thread
        for pk in chosen:
            title = library.record(pk).paper.title  # type: ignore[union-attr]
            word = max(re.findall(r"[^\W\d_]+", title), key=len, default="paper")
            calls = {
                "similar": lambda pk=pk: library.similar(pk, 10),
                "view": lambda pk=pk: library.papers(PaperFilter(similar_to=pk), limit=50),
                "plain": lambda word=word: library.papers(PaperFilter(query=word), limit=50),
            }
            for name, call in calls.items():
                wall, used = _timed(call)
                times[name].append(wall)
                cpu[name].append(used)
            found += len(library.similar_view(pk))
    result = {
        "benchmark": "similar",
        "library": str(path),
        "papers": library_size(path),
        "measured": len(chosen),
        "found_per_paper": round(found / max(1, len(chosen)), 1),
        **{f"{name}_ms": _rounded(values) for name, values in times.items()},
        **{f"{name}_cpu_ms": _rounded(values) for name, values in cpu.items()},
        "view_over_plain": round(
            summary(times["view"])["median"] / max(summary(times["plain"])["median"], 1e-6), 2
        ),
        "machine": machine(),
        "load_average": load_average(),
    }
    write_result(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
