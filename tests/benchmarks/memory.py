"""Memory: River's resident set size with a library open.

    .venv/bin/python tests/benchmarks/memory.py LIBRARY [--rows 1000] [--json OUT]

River runs in this fresh process through ``App.run_test`` at 160x48 (driver not headless,
output discarded). Resident memory is ``VmRSS`` from ``/proc/self/status`` (``VmHWM``: the
peak), in MB of 10^6 bytes, read:

* after the imports, before the app starts;
* at the first screen: the stream has painted its rows and start-up work (the navigation
  counts, the first detail) has settled (1 s);
* after scrolling ``--rows`` rows: ``j`` sent that many times back to back, as a held-down key
  repeats (so the stream fetches and drops pages through its 8-page cache), then settled.

For comparison the same is read for an empty ``textual.app.App`` (in a child process).
"""

from __future__ import annotations

import argparse
import asyncio
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
    proc_status_mb,
    run_child,
    write_result,
)


def _rss() -> float:
    return round(proc_status_mb("VmRSS"), 1)


async def _wait_idle(app, quiet: float = 0.3, limit: float = 600) -> None:  # type: ignore[no-untyped-def]
    """Until the UI thread has been (nearly) idle for ``quiet`` seconds."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        busy = time.thread_time()
        await asyncio.sleep(quiet)
        if time.thread_time() - busy < quiet * 0.05:
            return


async def river(path: Path, rows: int) -> dict[str, object]:
    from textual import events

    from river_tui.settings import load_settings
    from river_tui.ui.app import RiverApp
    from river_tui.ui.components.stream import PaperStream

    out: dict[str, object] = {"after_imports_mb": _rss()}
    app = RiverApp(db_path=path, config=load_settings())
    app.driver_class = null_driver_class()
    async with app.run_test(size=SIZE, headless=False) as pilot:
        await pilot.pause()
        await asyncio.sleep(1.0)
        await _wait_idle(app)
        stream = app.screen.query_one(PaperStream)
        stream.focus()
        await pilot.pause()
        out["first_screen_mb"] = _rss()
        out["rows_in_view"] = stream.rows.count
        start = time.perf_counter()
        for _ in range(rows):
            event = events.Key("j", "j")
            event.set_sender(app)
            app._driver.send_message(event)
        await asyncio.sleep(0.5)
        await _wait_idle(app)
        out["scroll_seconds"] = round(time.perf_counter() - start, 2)
        out["cursor"] = stream.cursor
        out["after_scroll_mb"] = _rss()
        out["peak_mb"] = round(proc_status_mb("VmHWM"), 1)
    return out


async def empty() -> dict[str, object]:
    from textual.app import App

    out: dict[str, object] = {"after_imports_mb": _rss()}
    app = App()
    app.driver_class = null_driver_class()
    async with app.run_test(size=SIZE, headless=False) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.5)
        out["first_screen_mb"] = _rss()
        out["peak_mb"] = round(proc_status_mb("VmHWM"), 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", type=Path, nargs="?")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--child", choices=("empty",), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    isolate_env()
    if args.child:
        import json

        print(json.dumps(asyncio.run(empty())))
        return 0
    if args.library is None:
        parser.error("the library file is required")
    path = args.library.resolve()
    baseline = run_child([__file__, "--child", "empty"])
    result = asyncio.run(river(path, args.rows))
    if result["cursor"] != args.rows:
        raise SystemExit(f"the cursor reached row {result['cursor']}, not {args.rows}")
    write_result(
        args.json,
        {
            "benchmark": "memory",
            "library": str(path),
            "papers": library_size(path),
            "size": SIZE,
            "rows_scrolled": args.rows,
            "first_screen_mb": result["first_screen_mb"],
            "after_scroll_mb": result["after_scroll_mb"],
            "river": result,
            "empty_app": baseline,
            "machine": machine(),
            "load_average": load_average(),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
