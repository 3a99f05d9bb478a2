"""Authors: how long one author's view, its count, a follow and the stream's marks take.

    .venv/bin/python tests/benchmarks/authors.py LIBRARY [--repeat 7] [--json OUT]

Opens LIBRARY (migrating it to this River's schema: use a copy) and, for a few names (the
first author of the newest paper, that name as initial and surname, the same surname reversed
with a comma, and a name no paper has), measures on a fresh connection each time (a cold page
cache, as the session's view job has): the first 50-row page of ``PaperFilter(author=NAME)``
(what ``w`` then Enter shows first) and ``count_view`` (its title's counts). Then a follow and
an unfollow (one transaction each), and the marks of the stream: ``new_by_followed`` over a
page of 50 rows with 20 followed authors, per row. Medians of ``--repeat`` runs, in ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from _common import isolate_env, library_size, machine, write_result


def _ms(run, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("library", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    isolate_env()
    from river_tui.domain.authors import Following, author_key, new_by_followed
    from river_tui.store.library import Library, PaperFilter

    with Library.open(args.library) as lib:  # migrates once, outside the measures
        newest = lib.papers(limit=1)[0].pk
        record = lib.record(newest)
        assert record is not None and record.paper.authors
        first = record.paper.authors[0]
        given, surname = first.rsplit(" ", 1) if " " in first else ("", first)
        names = [first, f"{given[:1]}. {surname}", f"{surname}, {given}", "Nobody Atall"]
        page = lib.papers(limit=50)
        others = [a for p in lib.papers(limit=400) for a in p.authors][:20]

    views = {}
    for name in names:

        def first_page(name: str = name) -> None:
            with Library.open(args.library) as lib:
                lib.papers(PaperFilter(author=name), limit=50)

        def counted(name: str = name) -> None:
            with Library.open(args.library) as lib:
                lib.count_view(PaperFilter(author=name))

        with Library.open(args.library) as lib:
            total, new = lib.count_view(PaperFilter(author=name))
        views[name] = {
            "papers": total,
            "new": new,
            "first_page_ms": _ms(first_page, args.repeat),
            "count_ms": _ms(counted, args.repeat),
        }

    def follow_and_unfollow() -> None:
        with Library.open(args.library) as lib:
            lib.follow("Benchmark Q. Person")
            lib.unfollow("Benchmark Q. Person")

    following = Following(str(k) for k in map(author_key, others) if k is not None)

    def marks() -> None:
        for summary in page:
            new_by_followed(summary, following)

    marks()  # the names' keys are cached after the first page drawn, as in the reader
    result = {
        "benchmark": "authors",
        "library": str(args.library),
        "papers": library_size(args.library),
        "repeat": args.repeat,
        "views": views,
        "follow_and_unfollow_ms": _ms(follow_and_unfollow, args.repeat),
        "marks_per_row_us": round(_ms(marks, args.repeat) * 1000 / len(page), 2),
        "machine": machine(),
    }
    write_result(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
