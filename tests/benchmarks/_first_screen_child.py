"""The measured child of ``first_screen.py``: one start-up of River (or of an empty Textual
app), in this fresh process, timed from its spawn to its first frame with papers.

    python _first_screen_child.py river LIBRARY [--profile OUT]
    python _first_screen_child.py empty

Run by ``first_screen.py``, which sets ``RIVER_BENCH_SPAWN_NS`` just before starting it. The
only modules imported before River (or Textual) are ``time``, ``os``, ``sys``, ``gc`` and the
harness's ``_child`` (``os``, ``pathlib``): everything else counted is what River itself
imports. Prints the phases as one JSON line.
"""

from __future__ import annotations

import time

T_SCRIPT = time.monotonic_ns()  # before anything else is imported

import gc  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from _child import SIZE, isolate_env, null_driver_class  # noqa: E402

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
        # imported, then `river --db PATH` (which opens the library, builds the app, freezes what
        # start-up made and runs the app, which turns the collector on after its first frame).
        # The app is reached through its class, patched below.
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
            if self.rows.count and self.scroll_offset.y + y < self.rows.count:
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


def main(argv: list[str]) -> int:
    kind, path = argv[0], (argv[1] if len(argv) > 1 and argv[0] == "river" else None)
    if "--profile" in argv:
        import cProfile
        import pstats

        out = argv[argv.index("--profile") + 1]
        profiler = cProfile.Profile()
        result = profiler.runcall(child, kind, path)
        profiler.dump_stats(out)
        stats = pstats.Stats(out, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(40)
    else:
        result = child(kind, path)
    import json  # after the clock stopped

    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
