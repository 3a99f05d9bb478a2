"""Time to first screen: from process start to the stream's first rows painted.

    .venv/bin/python tests/benchmarks/first_screen.py LIBRARY [--runs 9] [--json OUT]

Each run is a fresh Python process (no warm imports). The parent reads the monotonic clock
(``CLOCK_MONOTONIC``, shared by every process) just before it starts the child; the child stops
the clock when the first frame in which ``PaperStream.render_line`` drew a row *with a paper* has
been turned into terminal output. So the figure includes the interpreter's start-up, every
import, reading the config, opening the library (in ``cli.cmd_tui``, to fail early; the
reader then uses that connection), composing the three panes, the first queries and the
first full frame.

The child (``_first_screen_child.py``) imports nothing of the harness before River but the
small ``_child`` module, so no harness import is counted. It runs what the ``river`` command
runs (``river_tui.launch.main``: the cycle collector off, then
``river_tui.cli.main(["--db", LIBRARY])``, which parses the arguments, reads the config, opens
the library, builds the app, freezes what start-up made and runs the app, which turns the
collector on after its first frame), with ``RiverApp`` patched on its class to run at 160x48,
with a driver that is not headless but throws the
output away (``_child.null_driver_class``): Textual's headless mode skips rendering frames to
escape sequences, which is part of showing a screen.

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

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import (
    HERE,
    SIZE,
    child_env,
    library_size,
    load_average,
    machine,
    run_child,
    write_result,
)

SPAWN_ENV = "RIVER_BENCH_SPAWN_NS"
CHILD = str(HERE / "_first_screen_child.py")
"""The measured process: it imports nothing of the harness but ``_child`` (see its docstring)."""


def measure(path: str, runs: int) -> tuple[dict[str, object], dict[str, object]]:
    """``runs`` measured start-ups of River and of the empty app, taken in turns (so both see
    the same machine), after one unmeasured round (it fills the bytecode cache and brings the
    library file into the page cache)."""
    samples: dict[str, list[dict]] = {"river": [], "empty": []}
    for run in range(runs + 1):
        for kind, args in (
            ("river", [CHILD, "river", path]),
            ("empty", [CHILD, "empty"]),
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
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument(
        "--profile",
        metavar="OUT",
        help="instead: one start-up under cProfile, stats saved to OUT (.pstats), top printed",
    )
    args = parser.parse_args(argv)
    if args.profile:
        library = str(Path(args.library).resolve())
        command = [CHILD, "river", library, "--profile", args.profile]
        run_child(command, child_env({SPAWN_ENV: str(time.monotonic_ns())}))  # warm-up
        env = child_env({SPAWN_ENV: str(time.monotonic_ns())})
        done = subprocess.run([sys.executable, *command], env=env, text=True, check=True)
        return done.returncode
    if not args.library:
        parser.error("the library file is required")
    library = str(Path(args.library).resolve())
    river, empty = measure(library, args.runs)
    pairs = [
        r["first_screen_ms"] - e["first_screen_ms"]
        for r, e in zip(river["samples"], empty["samples"], strict=True)
    ]
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
            # What River adds to an empty Textual app, run by run (each River run with the
            # empty app's run right after it): steadier than either figure on a machine whose
            # speed varies from one second to the next.
            "river_minus_empty_ms": round(statistics.median(pairs), 1),
            "fastest_s": round(min(s["first_screen_ms"] for s in river["samples"]) / 1000, 3),
            "empty_app_fastest_s": round(
                min(s["first_screen_ms"] for s in empty["samples"]) / 1000, 3
            ),
            "river": river,
            "empty_app": empty,
            "machine": machine(),
            "load_average": load_average(),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
