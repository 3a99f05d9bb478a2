"""Time to first screen: from process start to the stream's first rows painted.

    .venv/bin/python tests/benchmarks/first_screen.py LIBRARY [--runs 5] [--json OUT]

Each run is a fresh Python process (no warm imports). The parent reads the monotonic clock
(``CLOCK_MONOTONIC``, shared by every process) just before it starts the child; the child stops
the clock when the first frame in which ``PaperStream.render_line`` drew a row *with a paper* has
been turned into terminal output. So the figure includes the interpreter's start-up, every
import, reading the config, opening the library (twice, as ``river`` does: once in
``cli.cmd_tui`` to fail early, once in ``RiverApp.on_mount``), composing the three panes,
the first queries and the first full frame.

The child runs what the ``river`` command runs (``river_tui.launch.main``: the cycle collector
off, then ``river_tui.cli.main(["--db", LIBRARY])``, which parses the arguments, reads the
config, opens the library, builds the app, turns the collector back on and runs it), with
``RiverApp`` patched on its class to run at 160x48, with a driver that is not headless but
throws the output away (``_common.null_driver_class``): Textual's headless
mode skips rendering frames to escape sequences, which is part of showing a screen.

The baseline is an empty ``textual.app.App`` measured the same way (its first frame), in turns
with River (one River run, one empty run, ...) so that both see the same machine; one
unmeasured round first fills the bytecode cache (see ``_common.child_env``) and the page cache.
Reports the median of the runs, and each run's phases (interpreter start, imports, app
constructed, first frame). ``cpu_ms`` is the CPU time the process used up to that frame
(``time.process_time``, every thread): on a shared virtual machine it is inflated by other
work too, if less than the wall time.

``--profile OUT`` instead runs one River start-up under ``cProfile`` (after one unmeasured run),
saves the stats to ``OUT`` and prints the top of them.
"""

from __future__ import annotations

import time

T_SCRIPT = time.monotonic_ns()  # before anything heavy is imported

import argparse  # noqa: E402
import gc  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from _common import (  # noqa: E402
    SIZE,
    child_env,
    isolate_env,
    library_size,
    load_average,
    machine,
    null_driver_class,
    run_child,
    write_result,
)

SPAWN_ENV = "RIVER_BENCH_SPAWN_NS"


def _ms(start: int, end: int) -> float:
    return round((end - start) / 1e6, 2)


def child(kind: str, path: str | None) -> dict[str, object]:
    """One measured start-up, in this (fresh) process."""
    spawned = int(os.environ[SPAWN_ENV])
    isolate_env()
    marks: dict[str, int] = {}
    painted: dict[str, int] = {}
    state = {"rows": False}
    if kind == "river":
        assert path is not None
        # What the `river` command does (river_tui.launch.main): the collector off, the CLI
        # imported, then `river --db PATH` (which opens the library, builds the app, turns the
        # collector back on and runs it). The app is reached through its class, patched below.
        gc.disable()
        from river_tui import cli
        from river_tui.ui.app import RiverApp
        from river_tui.ui.components.stream import PaperStream

        marks["imported"] = time.monotonic_ns()
        made: list[RiverApp] = []
        init, run = RiverApp.__init__, RiverApp.run

        def constructed(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            init(self, *args, **kwargs)
            marks["constructed"] = time.monotonic_ns()
            made.append(self)
            instrument(self)

        def sized_run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return run(self, *args, **{**kwargs, "size": SIZE})

        RiverApp.__init__ = constructed  # type: ignore[method-assign]
        RiverApp.run = sized_run  # type: ignore[method-assign]

        render_line = PaperStream.render_line

        def counting_render_line(self: PaperStream, y: int):  # type: ignore[no-untyped-def]
            strip = render_line(self, y)
            if self.row_count and self.scroll_offset.y + y < self.row_count:
                state["rows"] = True
            return strip

        PaperStream.render_line = counting_render_line  # type: ignore[method-assign]

    def instrument(app) -> None:  # type: ignore[no-untyped-def]
        app.driver_class = null_driver_class()
        display = app._display

        def timed_display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
            display(screen, renderable)
            if renderable is not None and state["rows"] and "frame" not in painted:
                painted["frame"] = time.monotonic_ns()
                painted["cpu"] = time.process_time_ns()
                app.exit()

        app._display = timed_display

    if kind == "river":
        cli.main(["--db", str(path)])
        if not made:
            raise SystemExit("river did not start its reader")
    else:
        from textual.app import App

        marks["imported"] = time.monotonic_ns()
        app = App()
        marks["constructed"] = time.monotonic_ns()
        state["rows"] = True  # an empty app's first frame is its first screen
        instrument(app)
        app.run(size=SIZE)  # not headless: the driver above is used
    if "frame" not in painted:
        raise SystemExit("the app exited before painting the stream")
    frame = painted["frame"]
    return {
        "kind": kind,
        "first_screen_ms": _ms(spawned, frame),
        "cpu_ms": _ms(0, painted["cpu"]),
        "interpreter_ms": _ms(spawned, T_SCRIPT),
        "imports_ms": _ms(T_SCRIPT, marks["imported"]),
        "construct_ms": _ms(marks["imported"], marks["constructed"]),
        "mount_to_frame_ms": _ms(marks["constructed"], frame),
    }


def measure(path: str, runs: int) -> tuple[dict[str, object], dict[str, object]]:
    """``runs`` measured start-ups of River and of the empty app, taken in turns (so both see
    the same machine), after one unmeasured round (it fills the bytecode cache and brings the
    library file into the page cache)."""
    samples: dict[str, list[dict]] = {"river": [], "empty": []}
    for run in range(runs + 1):
        for kind, args in (
            ("river", [__file__, "--child", "river", path]),
            ("empty", [__file__, "--child", "empty"]),
        ):
            sample = run_child(args, child_env({SPAWN_ENV: str(time.monotonic_ns())}))
            if run:
                samples[kind].append(sample)

    def report(kind: str) -> dict[str, object]:
        taken = samples[kind]
        phases = [k for k in taken[0] if k.endswith("_ms")]
        return {
            "runs": runs,
            "median": {k: round(statistics.median(s[k] for s in taken), 2) for k in phases},
            "samples": taken,
        }

    return report("river"), report("empty")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", nargs="?", help="the library file")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument(
        "--profile",
        metavar="OUT",
        help="instead: one start-up under cProfile, stats saved to OUT (.pstats), top printed",
    )
    parser.add_argument("--child", choices=("river", "empty"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        import json

        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            result = profiler.runcall(child, args.child, args.library)
            profiler.dump_stats(args.profile)
            stats = pstats.Stats(args.profile, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(40)
        else:
            result = child(args.child, args.library)
        print(json.dumps(result))
        return 0
    if args.profile:
        library = str(Path(args.library).resolve())
        command = [__file__, "--child", "river", library, "--profile", args.profile]
        run_child(command, child_env({SPAWN_ENV: str(time.monotonic_ns())}))  # warm-up
        env = child_env({SPAWN_ENV: str(time.monotonic_ns())})
        done = subprocess.run([sys.executable, *command], env=env, text=True, check=True)
        return done.returncode
    if not args.library:
        parser.error("the library file is required")
    library = str(Path(args.library).resolve())
    river, empty = measure(library, args.runs)
    write_result(
        args.json,
        {
            "benchmark": "first_screen",
            "library": library,
            "papers": library_size(Path(library)),
            "size": SIZE,
            "first_screen_s": round(river["median"]["first_screen_ms"] / 1000, 3),
            "empty_app_s": round(empty["median"]["first_screen_ms"] / 1000, 3),
            "first_screen_cpu_s": round(river["median"]["cpu_ms"] / 1000, 3),
            "empty_app_cpu_s": round(empty["median"]["cpu_ms"] / 1000, 3),
            "river": river,
            "empty_app": empty,
            "machine": machine(),
            "load_average": load_average(),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
