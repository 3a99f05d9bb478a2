"""View counts: how long after the first screen the reader shows how many papers each view holds.

    .venv/bin/python tests/benchmarks/counts.py LIBRARY [--runs 3] [--repeat 3] [--json OUT]

1. Through the UI, ``--runs`` times: River runs in this process at 160x48 (driver not headless,
   output discarded) on the Inbox, as ``river`` opens; the clock starts with the app. Reported
   (median of the runs): the first frame with the stream's rows, then, each from that frame,
   the navigation's counts shown (``ReaderScreen.counts_changed``: every view's, beat's and
   tag's, ``collect_counts``; ``nav_all``: the saved searches' and what the beats' rules
   leave out too, ``count_the_rest``, when the River measured counts them apart, "10000+"
   for one of more papers when it says so first; ``nav_whole``: until those are counted
   whole) and the Inbox's title counted (``ReaderSession.take_counts``). The target: within
   2 s.
2. At the store, ``--repeat`` times each on a connection of its own (what the counting threads
   open): ``collect_counts`` and ``count_the_rest`` (the navigation), ``count_view`` of the
   Inbox and of "All papers"; wall and thread CPU time (``cpu``), median.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import statistics
import sys
import time
from pathlib import Path

from _common import (
    SIZE,
    isolate_env,
    library_size,
    load_average,
    machine,
    null_driver_class,
    write_result,
)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


async def ui_run(path: Path, limit: float = 120) -> dict[str, float]:
    """One start of the reader: milliseconds from the app's start to its first frame with
    rows, and from that frame to the counts shown."""
    from river_tui.reader.session import ReaderSession
    from river_tui.settings import load_settings
    from river_tui.ui.app import RiverApp
    from river_tui.ui.components.reader import ReaderScreen
    from river_tui.ui.components.stream import PaperStream

    seen: dict[str, float] = {}
    counts_changed, take_counts = ReaderScreen.counts_changed, ReaderSession.take_counts
    render_line = PaperStream.render_line

    def counted_nav(self: ReaderScreen) -> None:
        counts_changed(self)
        seen.setdefault("nav", time.perf_counter())
        counts = self.session.counts
        if not getattr(counts, "partial", False):
            seen.setdefault("nav_all", time.perf_counter())
            if getattr(counts, "capped", None) is None:
                seen.setdefault("nav_whole", time.perf_counter())

    def counted_view(self: ReaderSession, *args: object) -> None:
        take_counts(self, *args)  # type: ignore[arg-type]
        if not self.rows.counting:
            seen.setdefault("view", time.perf_counter())

    def drawn(self: PaperStream, y: int):  # type: ignore[no-untyped-def]
        strip = render_line(self, y)
        if self.rows.count:
            seen.setdefault("rows", time.perf_counter())
        return strip

    ReaderScreen.counts_changed = counted_nav  # type: ignore[method-assign]
    ReaderSession.take_counts = counted_view  # type: ignore[method-assign]
    PaperStream.render_line = drawn  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        app = RiverApp(db_path=path, config=load_settings())
        app.driver_class = null_driver_class()
        async with app.run_test(size=SIZE, headless=False) as pilot:
            deadline = time.perf_counter() + limit
            wanted = {"rows", "nav", "nav_all", "nav_whole", "view"}
            while time.perf_counter() < deadline and not wanted <= set(seen):
                await asyncio.sleep(0.01)
            await pilot.pause()
    finally:
        ReaderScreen.counts_changed = counts_changed  # type: ignore[method-assign]
        ReaderSession.take_counts = take_counts  # type: ignore[method-assign]
        PaperStream.render_line = render_line  # type: ignore[method-assign]
    first = seen.get("rows", float("nan"))
    return {
        "first_rows_ms": _ms(first - start),
        "nav_counts_ms": _ms(seen.get("nav", float("nan")) - first),
        "nav_all_counts_ms": _ms(seen.get("nav_all", float("nan")) - first),
        "nav_whole_counts_ms": _ms(seen.get("nav_whole", float("nan")) - first),
        "view_count_ms": _ms(seen.get("view", float("nan")) - first),
    }


def store_times(path: Path, repeat: int) -> dict[str, dict[str, float]]:
    from river_tui.domain import TriageState
    from river_tui.reader import views
    from river_tui.settings import load_settings
    from river_tui.store.library import Library
    from river_tui.store.papers import PaperFilter

    beats = load_settings().beats
    rest = getattr(views, "count_the_rest", None)
    jobs = {
        "nav_counts": views.collect_counts,
        "nav_all": (lambda lib: rest(lib, views.collect_counts(lib))) if rest else None,
        "nav_all_capped": (
            (lambda lib: rest(lib, views.collect_counts(lib), most=10_000))
            if rest and "most" in inspect.signature(rest).parameters
            else None
        ),
        "inbox": lambda lib: lib.count_view(PaperFilter(state=TriageState.NEW)),
        "all_papers": lambda lib: lib.count_view(PaperFilter()),
    }
    out: dict[str, dict[str, float]] = {}
    for name, job in jobs.items():
        if job is None:
            continue
        wall, cpu = [], []
        for _ in range(repeat):
            start, thread = time.perf_counter(), time.thread_time()
            with Library.open(path, beats) as library:
                job(library)
            wall.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - thread)
        out[name] = {"ms": _ms(statistics.median(wall)), "cpu_ms": _ms(statistics.median(cpu))}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    isolate_env()
    path = args.library.resolve()
    load_before = load_average()
    runs = [asyncio.run(ui_run(path)) for _ in range(args.runs)]
    ui = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    result = {
        "benchmark": "counts",
        "library": str(path),
        "papers": library_size(path),
        "nav_counts_ms": ui["nav_counts_ms"],
        "nav_all_counts_ms": ui["nav_all_counts_ms"],
        "nav_whole_counts_ms": ui["nav_whole_counts_ms"],
        "view_count_ms": ui["view_count_ms"],
        "ui": {"median": ui, "runs": runs},
        "store": store_times(path, args.repeat),
        "machine": machine(),
        "load_before": load_before,
        "load_average": load_average(),
    }
    write_result(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
