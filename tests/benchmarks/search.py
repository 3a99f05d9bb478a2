"""Search: how long a keystroke in the search bar takes to give its results.

    .venv/bin/python tests/benchmarks/search.py LIBRARY [--repeat 7] [--no-ui] [--json OUT]

1. The store, for each query (partial, as typed) and for each keystroke of two typed words:
   exactly what the session's search job runs per keystroke (``river_tui.reader.search``
   ``Search._job``) until the results show: ``Library.open`` (a connection of its own, so
   a cold SQLite page cache), then the first 50-row page of ``PaperFilter(query=q,
   type_ahead=True)`` read in index order. ``counted_ms``: until the title's count is known
   too (counted after the page, when the page is full; "10000+" for a bigger view, when River
   says that first); ``whole_count_ms``: until the whole count is. Reported: the median of
   ``--repeat`` runs per query, then the median and the worst over the queries (wall time;
   ``cpu_ms``: the thread's CPU time, which other work on the machine does not inflate).
   Measured over "All papers" (the figure compared with the 50 ms target) and over the Inbox
   (``is:new``, the view the reader opens on and so the one its search narrows); the
   warm-connection time (same connection, query repeated) is reported too.
2. Through the UI (when the reader has a search binding, ``/``): River runs in this process at
   160x48 (driver not headless, output discarded); for each query the bar is opened and the
   query typed one key at a time, each key sent as ``Pilot.press`` sends it; the time is taken
   from the key to the first frame drawn after the session showed the results
   (``ReaderScreen.search_found``); ``key_to_results_cpu_ms``: the process's CPU time over the
   same span (every thread: the UI's, the search's, a count still running). Each key waits
   for its results (plus 30 ms) before the next. An older River waited for a pause in the
   typing (``DEBOUNCE_SECONDS``): if the River measured has that setting, it is reported
   apart.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from _common import (
    SIZE,
    isolate_env,
    library_size,
    load_average,
    machine,
    null_driver_class,
    summary,
    write_result,
)

QUERIES = (
    "c",
    "cr",
    "credit",
    "credit ass",
    "ti:agent",
    "is:new",
    "-is:read credit",
    "beat:frontier",
    "tag:reading-group",
    "tag:agents",
    "reinforcement learning",
    "au:wang",
    "cat:cs.CL",
)
TYPED = ("credit assignment", "interpretability")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _page(library, flt):  # type: ignore[no-untyped-def]
    """What the search worker runs before the results show: the first page, read in the
    sort's index order (``ViewPage.of``); a page that is not full is the whole view."""
    from river_tui.reader.rows import PAGE, ViewPage

    return ViewPage.of(library.papers(flt, limit=PAGE, in_order=True))


def _count(library, flt, page, counted: list[float]):  # type: ignore[no-untyped-def]
    """What is counted after the results show, when the page was full. A River that says
    "10000+" first (``count_view_up_to``) appends the time that shows to ``counted`` before
    it counts the rest."""
    if page.count is not None:
        return page.count
    up_to = getattr(library, "count_view_up_to", None)
    if up_to is not None:
        from river_tui.reader.session import COUNT_FIRST

        if (counts := up_to(flt, COUNT_FIRST)) is not None:
            return counts[0]
        counted.append(time.perf_counter())
    return library.count_view(flt)[0]


def store_times(path: Path, base, queries: list[str], repeat: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from river_tui.settings import load_settings
    from river_tui.store.library import Library

    beats = load_settings().beats
    per_query: dict[str, dict[str, object]] = {}
    for q in queries:
        flt = replace(base, query=q.strip() or None, type_ahead=bool(q.strip()))
        fresh, fresh_cpu, warm, counted, whole = [], [], [], [], []
        count = 0
        for _ in range(repeat):
            start, cpu = time.perf_counter(), time.thread_time()
            with Library.open(path, beats) as library:
                page = _page(library, flt)
                fresh.append(time.perf_counter() - start)
                fresh_cpu.append(time.thread_time() - cpu)
                shown: list[float] = []
                count = _count(library, flt, page, shown)
                whole.append(time.perf_counter() - start)
                counted.append((shown[0] if shown else time.perf_counter()) - start)
        with Library.open(path, beats) as library:
            _page(library, flt)
            for _ in range(repeat):
                start = time.perf_counter()
                _page(library, flt)
                warm.append(time.perf_counter() - start)
        per_query[q] = {
            "matches": count,
            "ms": _ms(statistics.median(fresh)),
            "cpu_ms": _ms(statistics.median(fresh_cpu)),
            "warm_ms": _ms(statistics.median(warm)),
            "counted_ms": _ms(statistics.median(counted)),
            "whole_count_ms": _ms(statistics.median(whole)),
        }
    medians = [v["ms"] for v in per_query.values()]
    cpu_medians = [v["cpu_ms"] for v in per_query.values()]
    warm_medians = [v["warm_ms"] for v in per_query.values()]
    counted_medians = [v["counted_ms"] for v in per_query.values()]
    whole_medians = [v["whole_count_ms"] for v in per_query.values()]
    worst = max(per_query, key=lambda q: per_query[q]["ms"])  # type: ignore[arg-type,return-value]
    return {
        "median_ms": round(statistics.median(medians), 3),  # type: ignore[arg-type]
        "worst_ms": per_query[worst]["ms"],
        "worst_query": worst,
        "cpu_median_ms": round(statistics.median(cpu_medians), 3),  # type: ignore[arg-type]
        "cpu_worst_ms": max(cpu_medians),  # type: ignore[type-var]
        "warm_median_ms": round(statistics.median(warm_medians), 3),  # type: ignore[arg-type]
        "counted_median_ms": round(statistics.median(counted_medians), 3),  # type: ignore[arg-type]
        "counted_worst_ms": max(counted_medians),  # type: ignore[type-var]
        "whole_count_median_ms": round(statistics.median(whole_medians), 3),  # type: ignore[arg-type]
        "whole_count_worst_ms": max(whole_medians),  # type: ignore[type-var]
        "queries": per_query,
    }


def _prefixes(words: str) -> list[str]:
    return [words[:n] for n in range(1, len(words) + 1)]


async def ui_times(path: Path, queries: list[str]) -> dict[str, object]:
    from textual import events
    from textual.keys import _character_to_key

    from river_tui.settings import load_settings
    from river_tui.ui.app import RiverApp
    from river_tui.ui.components.reader import ReaderScreen

    applied: list[float] = []
    frames: list[tuple[float, float]] = []
    search_found = ReaderScreen.search_found

    def found(self: ReaderScreen) -> None:
        search_found(self)
        applied.append(time.perf_counter())

    ReaderScreen.search_found = found  # type: ignore[method-assign]

    app = RiverApp(db_path=path, config=load_settings())
    app.driver_class = null_driver_class()
    display = app._display

    def timed(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        display(screen, renderable)
        if renderable is not None:
            frames.append((time.perf_counter(), time.process_time()))

    app._display = timed  # type: ignore[method-assign]
    try:
        from river_tui.ui.components import search as search_module

        debounce = float(getattr(search_module, "DEBOUNCE_SECONDS", 0.0))
    except ImportError:
        debounce = 0.0
    results: dict[str, object] = {"debounce_ms": _ms(debounce)}
    async with app.run_test(size=SIZE, headless=False) as pilot:
        await pilot.pause()
        await asyncio.sleep(1.0)
        keys = [
            b.binding.key
            for b in app.active_bindings.values()
            if b.binding.action in ("search", "screen.search") or b.binding.id == "stream.search"
        ]
        if not keys:
            return {"skipped": "no search binding in this River"}
        open_key = keys[0]
        results["open_key"] = open_key

        async def send(key: str) -> float:
            char = key if len(key) == 1 else (" " if key == "space" else None)
            name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
            event = events.Key(name, char)
            event.set_sender(app)
            start = time.perf_counter(), time.process_time()
            app._driver.send_message(event)
            return start

        per_key: list[float] = []
        per_key_cpu: list[float] = []
        per_query: dict[str, object] = {}
        for q in queries:
            await send(open_key)
            await pilot.pause()
            times = []
            for char in q:
                applied.clear()
                frames.clear()
                start, start_cpu = await send(char)
                deadline = start + 3
                shown = None
                while time.perf_counter() < deadline:
                    await asyncio.sleep(0.005)
                    if applied:
                        later = [f for f in frames if f[0] >= applied[0]]
                        if later:
                            shown = later[0]
                            break
                if shown is None:
                    times.append(None)
                    continue
                times.append(shown[0] - start)
                per_key_cpu.append(shown[1] - start_cpu)
                await asyncio.sleep(0.03)
            got = [t for t in times if t is not None]
            per_key.extend(got)
            per_query[q] = {
                "keys": len(q),
                "answered": len(got),
                "median_ms": _ms(statistics.median(got)) if got else None,
                "worst_ms": _ms(max(got)) if got else None,
            }
            await send("escape")
            await pilot.pause()
            await asyncio.sleep(0.2)
        stats = {k: round(v * 1000, 3) for k, v in summary(per_key).items() if k != "n"}
        cpu = {k: round(v * 1000, 3) for k, v in summary(per_key_cpu).items() if k != "n"}
        results |= {
            "keystrokes": len(per_key),
            "key_to_results_ms": stats,
            "key_to_results_cpu_ms": cpu,
            "minus_debounce_median_ms": round(stats["median"] - debounce * 1000, 3),
            "minus_debounce_worst_ms": round(stats["max"] - debounce * 1000, 3),
            "queries": per_query,
        }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-ui", action="store_true", help="only the store queries")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    isolate_env()
    from river_tui.domain import TriageState
    from river_tui.store.papers import PaperFilter

    path = args.library.resolve()
    typed = [p for words in TYPED for p in _prefixes(words)]
    store = {
        "all_papers": store_times(path, PaperFilter(), list(QUERIES), args.repeat),
        "inbox": store_times(path, PaperFilter(state=TriageState.NEW), list(QUERIES), args.repeat),
        "typed_all_papers": store_times(path, PaperFilter(), typed, args.repeat),
    }
    result: dict[str, object] = {
        "benchmark": "search",
        "library": str(path),
        "papers": library_size(path),
        "store_median_ms": store["all_papers"]["median_ms"],
        "store_worst_ms": store["all_papers"]["worst_ms"],
        "store_worst_query": store["all_papers"]["worst_query"],
        "store": store,
    }
    if not args.no_ui:
        result["ui"] = asyncio.run(ui_times(path, list(QUERIES)))
    result |= {"machine": machine(), "load_average": load_average()}
    write_result(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
