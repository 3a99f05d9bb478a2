"""Cursor move: how long River works between a key and the repainted screen.

    .venv/bin/python tests/benchmarks/cursor_move.py LIBRARY [--presses 200] [--json OUT]

River runs in this process through ``App.run_test`` at 160x48, with a driver that is not
headless but discards the output (``_common.null_driver_class``), so every frame is rendered
all the way to terminal escape sequences. ``App._display`` is wrapped to timestamp each frame.

For each key press the key event goes to the driver exactly as ``Pilot.press`` sends it
(``driver.send_message(events.Key(...))``); then the script only sleeps, until no frame has
come for 50 ms and the UI thread is idle, so next to nothing of the benchmark runs while River
works. Recorded
per press, from the moment the key was sent:

``work``
    CPU time of the UI thread (``time.thread_time``) up to the last frame the key caused: the
    key dispatch, the binding, the stream's cursor watcher and page fetches, the detail pane
    update that follows ``Highlighted``, layout, compositing and rendering the frame. Time the
    loop spends asleep waiting for Textual's 60 Hz update timer is not in it. This is the
    figure compared with the 16 ms target: the app's own work per move.
``first_frame`` / ``last_frame``
    Wall time to the first / last frame the key caused. These include the wait for Textual's
    update timer (up to one 1/60 s period, by design in Textual: ``Screen._update_timer``), so
    they are what a reader sees, give or take the terminal.

Scenarios: ``top``: ``j`` pressed ``--presses`` times from the first row (crosses a 50-row page
boundary every 50 rows, and the stream scrolls once the cursor reaches the bottom of the
pane); ``bottom``: ``G`` (to the last row) then ``k`` pressed ``--presses`` times (pages at
OFFSET ~N-50 ... N-250, the most expensive to fetch). Presses that fetched a page are also
reported apart. Finally ``pilot``: ``j`` through ``await pilot.press("j"); await pilot.pause()``
timed around, for comparison with measurements made that way (it includes Pilot's own
idle-waiting).

``--what-if`` patches River *in this process only* to show what a suggested fix would save
(nothing under ``river_tui/`` is changed): ``no-detail`` skips the detail pane's update on
each highlight (the upper bound of what deferring it until the cursor rests would save while a
key is held down); ``row-cache`` keeps rendered rows in an LRU cache keyed by what they show
(see ``cache_rows``).
"""

from __future__ import annotations

import argparse
import asyncio
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
    summary,
    write_result,
)

SETTLE = 0.02
QUIET = 0.05


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


class Frames:
    """Timestamps of every frame ``App._display`` renders."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.times: list[tuple[float, float]] = []
        display = app._display

        def timed(screen, renderable) -> None:  # type: ignore[no-untyped-def]
            display(screen, renderable)
            if renderable is not None:
                self.times.append((time.perf_counter(), time.thread_time()))

        app._display = timed


class Probe:
    """Wall time spent in the parts of a move, summed per key press (``timed`` wraps an
    attribute of one object: the wrapper adds well under a microsecond per call)."""

    PARTS = (
        "record",  # Library.record: the detail pane's paper, on every highlight
        "show_paper",  # DetailPane.show_paper: render the record, update the pane
        "page_fetch",  # Library.papers: the stream's 50-row pages
        "reflow",  # Textual: layout (compositor reflow) after a widget changed size
        "render",  # Textual: compositing the dirty regions, lines from widgets
        "stream_lines",  # PaperStream.render_line (inside render)
        "display",  # Textual: the frame to escape sequences (App._display)
    )

    def __init__(self) -> None:
        self.spent = dict.fromkeys(self.PARTS, 0.0)
        self.calls = dict.fromkeys(self.PARTS, 0)

    def reset(self) -> None:
        self.spent = dict.fromkeys(self.PARTS, 0.0)
        self.calls = dict.fromkeys(self.PARTS, 0)

    def timed(self, owner: object, name: str, part: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[part] += time.perf_counter() - start
                self.calls[part] += 1

        setattr(owner, name, wrapper)

    def snapshot(self) -> dict[str, float]:
        parts = {f"{k}_ms": _ms(v) for k, v in self.spent.items()}
        parts["stream_lines"] = self.calls["stream_lines"]
        parts["page_fetches"] = self.calls["page_fetch"]
        return parts


def _send(app, key: str) -> None:  # type: ignore[no-untyped-def]
    """Hand a key to the driver exactly as ``Pilot.press`` does."""
    from textual import events

    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)


async def _quiet(app, frames: Frames) -> None:  # type: ignore[no-untyped-def]
    """Wait for quiet: no new frame for QUIET seconds, the UI thread idle and no detail
    update pending (the reader fills the detail pane once the cursor rests)."""
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline:
        busy = time.thread_time()
        await asyncio.sleep(0.01)
        busy = time.thread_time() - busy
        pending = getattr(app.screen, "_detail_timer", None) is not None
        quiet = frames.times and time.perf_counter() - frames.times[-1][0] > QUIET
        if quiet and busy < 0.002 and not pending:
            return


async def press(app, frames: Frames, probe: Probe, key: str, settle: float) -> dict:  # type: ignore[no-untyped-def]
    frames.times.clear()
    probe.reset()
    wall, cpu = time.perf_counter(), time.thread_time()
    _send(app, key)
    await asyncio.sleep(settle)
    await _quiet(app, frames)
    if not frames.times:
        raise RuntimeError(f"no frame after {key!r}")
    first, last = frames.times[0], frames.times[-1]
    return {
        "work_ms": _ms(last[1] - cpu),
        "move_work_ms": _ms(first[1] - cpu),
        "first_frame_ms": _ms(first[0] - wall),
        "last_frame_ms": _ms(last[0] - wall),
        "frames": len(frames.times),
        **probe.snapshot(),
    }


async def hold(app, frames: Frames, probe: Probe, key: str, presses: int, stream) -> dict:  # type: ignore[no-untyped-def]
    """``key`` held down: sent every 1/30 s (a common key-repeat rate) ``presses`` times, then
    the time until the screen is quiet. Work is the UI thread's CPU time for the whole run."""
    frames.times.clear()
    probe.reset()
    start_cursor = stream.cursor
    wall, cpu = time.perf_counter(), time.thread_time()
    for _ in range(presses):
        _send(app, key)
        await asyncio.sleep(1 / 30)
    await _quiet(app, frames)
    work = time.thread_time() - cpu
    moved = abs(stream.cursor - start_cursor)
    assert moved == presses, f"{key!r} held {presses} times moved the cursor {moved} rows"
    return {
        "presses": presses,
        "work_per_key_ms": _ms(work / presses),
        "wall_s": round(time.perf_counter() - wall, 3),
        "frames": len(frames.times),
        "detail_updates": probe.calls["show_paper"],
        **probe.snapshot(),
    }


def _report(samples: list[dict]) -> dict:
    out: dict[str, object] = {"presses": len(samples)}
    for key in ("work_ms", "move_work_ms", "first_frame_ms", "last_frame_ms"):
        out[key] = {k: round(v, 3) for k, v in summary([s[key] for s in samples]).items()}
    out["breakdown_median_ms"] = {
        part: round(statistics.median(s[f"{part}_ms"] for s in samples), 3) for part in Probe.PARTS
    }
    out["stream_lines_median"] = statistics.median(s["stream_lines"] for s in samples)
    fetched = [s["work_ms"] for s in samples if s["page_fetches"]]
    if fetched:
        out["work_ms_when_a_page_was_fetched"] = {
            k: round(v, 3) for k, v in summary(fetched).items()
        }
    return out


WHAT_IFS = ("no-detail", "row-cache")


def cache_rows(stream) -> None:  # type: ignore[no-untyped-def]
    """What-if ``row-cache``: keep each rendered row (``Strip``) keyed by what it shows, so a
    scroll by one row renders one new row instead of every row on screen."""
    from textual.cache import LRUCache

    cache: LRUCache = LRUCache(1024)
    render_line = stream.render_line

    def cached(y: int):  # type: ignore[no-untyped-def]
        index = stream.scroll_offset.y + y
        key = (
            stream.rows.paper_at(index),
            stream.scrollable_content_region.width,
            index == stream.cursor,
            stream.has_focus,
        )
        strip = cache.get(key)
        if strip is None:
            strip = cache[key] = render_line(y)
        return strip

    stream.render_line = cached


async def run(
    path: Path, presses: int, settle: float, what_if: tuple[str, ...] = ()
) -> dict[str, object]:
    from river_tui.settings import load_settings
    from river_tui.ui.app import RiverApp
    from river_tui.ui.components.detail import DetailPane
    from river_tui.ui.components.stream import PaperStream

    app = RiverApp(db_path=path, config=load_settings())
    app.driver_class = null_driver_class()
    frames = Frames(app)
    results: dict[str, object] = {"what_if": list(what_if)}
    async with app.run_test(size=SIZE, headless=False) as pilot:
        await pilot.pause()
        await asyncio.sleep(1.0)  # counts workers, first detail: let start-up finish
        stream = app.screen.query_one(PaperStream)
        stream.focus()
        await pilot.pause()
        assert app.library is not None
        probe = Probe()
        probe.timed(app.library, "record", "record")
        probe.timed(app.library, "papers", "page_fetch")
        if "row-cache" in what_if:
            cache_rows(stream)
        detail = app.screen.query_one(DetailPane)
        if "no-detail" in what_if:
            detail.show_paper = lambda *args, **kwargs: None
        probe.timed(detail, "show_paper", "show_paper")
        compositor = app.screen._compositor
        probe.timed(compositor, "reflow", "reflow")
        probe.timed(compositor, "reflow_visible", "reflow")
        probe.timed(compositor, "render_update", "render")
        probe.timed(stream, "render_line", "stream_lines")
        probe.timed(app, "_display", "display")
        results["rows_in_view"] = stream.rows.count
        results["view"] = str(stream.rows.filter)

        top = []
        for _ in range(presses):
            before = stream.cursor
            top.append(await press(app, frames, probe, "j", settle))
            assert stream.cursor == before + 1, "j did not move the cursor down"
        results["top"] = _report(top)

        jump = await press(app, frames, probe, "G", settle * 3)
        assert stream.cursor == stream.rows.count - 1, "G did not go to the last row"
        results["jump_to_last"] = jump
        bottom = []
        for _ in range(presses):
            before = stream.cursor
            bottom.append(await press(app, frames, probe, "k", settle))
            assert stream.cursor == before - 1, "k did not move the cursor up"
        results["bottom"] = _report(bottom)

        await press(app, frames, probe, "g", settle * 3)
        results["held"] = await hold(app, frames, probe, "j", presses, stream)

        await press(app, frames, probe, "g", settle * 3)
        pilot_times = []
        for _ in range(min(presses, 50)):
            start = time.perf_counter()
            await pilot.press("j")
            await pilot.pause()
            pilot_times.append((time.perf_counter() - start) * 1000)
        results["pilot_round_trip_ms"] = {k: round(v, 3) for k, v in summary(pilot_times).items()}
        results["samples"] = {"top": top, "bottom": bottom}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--settle", type=float, default=SETTLE, help="seconds after each key")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument(
        "--what-if", action="append", choices=WHAT_IFS, default=[], help="patch River in memory"
    )
    args = parser.parse_args(argv)
    isolate_env()
    path = args.library.resolve()
    results = asyncio.run(run(path, args.presses, args.settle, tuple(args.what_if)))
    top, bottom = results["top"], results["bottom"]
    write_result(
        args.json,
        {
            "benchmark": "cursor_move",
            "library": str(path),
            "papers": library_size(path),
            "size": SIZE,
            "move_work_median_ms": top["move_work_ms"]["median"],  # type: ignore[index]
            "move_work_p95_ms": top["move_work_ms"]["p95"],  # type: ignore[index]
            "bottom_move_work_median_ms": bottom["move_work_ms"]["median"],  # type: ignore[index]
            "work_median_ms": top["work_ms"]["median"],  # type: ignore[index]
            "work_p95_ms": top["work_ms"]["p95"],  # type: ignore[index]
            "bottom_work_median_ms": bottom["work_ms"]["median"],  # type: ignore[index]
            "bottom_work_p95_ms": bottom["work_ms"]["p95"],  # type: ignore[index]
            **results,
            "machine": machine(),
            "load_average": load_average(),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
