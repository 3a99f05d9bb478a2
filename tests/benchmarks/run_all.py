"""Run every benchmark at 10,000 and 100,000 papers and print a markdown table.

    .venv/bin/python tests/benchmarks/run_all.py [--sizes 10000 100000] [--dir DIR] [--quick]
        [--learning] [--max-load L]

Libraries are built with ``make_library.py`` into ``DIR`` (default: ``river-bench/libs`` in
the temp folder) when missing, and reused after. Every measurement runs as its own process;
each writes its JSON into ``DIR/../results``. ``--quick``: fewer runs and presses (a smoke
test, not for the record). ``--learning``: ``learning.py`` too (on a copy of each library:
at a million papers that copy is 6 GB and the run a quarter of an hour).

``--sizes 1000000`` (``make bench-1m``) is long: the library alone takes 20-40 minutes to
build on two cores and 6.4 GB of disk; it is not run by CI.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import HERE, ROOT, child_env, load_average, machine

TARGETS = {
    "first_screen": (
        "First screen with the stream filled, River / the empty Textual app (median of 9 each)",
        "≤ 1.5×",
    ),
    "cursor": (
        "Cursor move, the app's work until the moved cursor is on screen (median)",
        "≤ 16 ms",
    ),
    "search": ("Search keystroke, store, until the results show (median / worst)", "≤ 50 ms"),
    "search_ui": (
        "Search through the UI, from the key to the results on screen (median / p95 of the "
        "keystrokes; process CPU median)",
        "≤ 50 / 150 ms",
    ),
    "memory": ("Resident memory (first screen / after 1,000 rows)", "≤ 150 MB"),
    "counts": (
        "View counts on screen after the first frame: the views', beats' and tags' / the "
        "saved searches' and what the beats leave out too (median of 3 starts)",
        "≤ 2 s",
    ),
    "similar": (
        "Similar papers (`m`): the view's first page, median / worst of 50 papers",
        "≤ 100 ms",
    ),
    "leads": (
        "New evidence, 10 claims: a page of 50 new papers compared (median / worst); "
        "the claims read once per refresh",
        "≤ 100 ms; ≤ 2 s",
    ),
}


def run(script: str, *args: str) -> dict:
    """Run one benchmark script in a fresh process; returns its JSON."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(HERE / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=child_env(),
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{script} {' '.join(args)} failed:\n{done.stderr}")
    print(f"  {script} done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return json.loads(done.stdout)


def library(directory: Path, n: int) -> Path:
    path = directory / f"papers-{n}.db"
    if not path.exists():
        print(f"building {path} ...", file=sys.stderr)
        report = run("make_library.py", str(n), str(path))
        print(f"  built {n} papers in {report['seconds']} s", file=sys.stderr)
    return path


def wait_for_quiet(max_load: float | None, limit: float = 3600) -> None:
    """Wait (up to ``limit`` seconds) until the 1-minute load average is at most ``max_load``:
    other work on a 2-core machine inflates every figure."""
    if max_load is None:
        return
    deadline = time.monotonic() + limit
    while load_average()[0] > max_load and time.monotonic() < deadline:
        time.sleep(15)


def measure(
    path: Path,
    results: Path,
    quick: bool,
    max_load: float | None = None,
    learning: bool = False,
) -> dict[str, dict]:
    n = path.stem.split("-")[-1]
    out: dict[str, dict] = {}
    jobs = {
        "first_screen": ("first_screen.py", ["--runs", "2" if quick else "9"]),
        "cursor": ("cursor_move.py", ["--presses", "20" if quick else "200"]),
        "search": ("search.py", ["--repeat", "2" if quick else "7"]),
        "memory": ("memory.py", ["--rows", "1000"]),
        "counts": ("counts.py", ["--runs", "1" if quick else "3"]),
        "similar": ("similar.py", ["--papers", "10" if quick else "50"]),
        "leads": ("leads.py", ["--runs", "2" if quick else "5"]),
    }
    if learning:
        jobs["learning"] = ("learning.py", [])
    for name, (script, extra) in jobs.items():
        wait_for_quiet(max_load)
        print(f"{name} at {n} papers (load average {load_average()})", file=sys.stderr)
        target = results / f"{name}-{n}.json"
        out[name] = run(script, str(path), *extra, "--json", str(target))
    out["file"] = {"bytes": path.stat().st_size, "papers": out["search"]["papers"]}
    return out


def _ok(value: float, limit: float) -> str:
    return "✅" if value <= limit else "❌"


def ratio(first_screen: dict) -> float:
    """River's first screen over the empty Textual app's, measured in turns in the same run."""
    return first_screen["first_screen_s"] / first_screen["empty_app_s"]


def _loads(measured: dict[str, dict]) -> tuple[float, float]:
    loads = [r["load_average"][0] for r in measured.values() if "load_average" in r]
    return (min(loads), max(loads)) if loads else (float("nan"), float("nan"))


def table(measured: dict[int, dict[str, dict]]) -> str:
    sizes = sorted(measured)
    head = "| Figure | Target | " + " | ".join(f"{n:,} papers" for n in sizes) + " |"
    rule = "|---|---|" + "---|" * len(sizes)
    rows = [head, rule]

    def row(key: str, cell) -> None:  # type: ignore[no-untyped-def]
        label, target = TARGETS[key]
        rows.append(
            f"| {label} | {target} | " + " | ".join(cell(measured[n]) for n in sizes) + " |"
        )

    row(
        "first_screen",
        lambda m: (
            f"{ratio(m['first_screen']):.2f}× ({m['first_screen']['first_screen_s']:.3f} s / "
            f"{m['first_screen']['empty_app_s']:.3f} s) " + _ok(ratio(m["first_screen"]), 1.5)
        ),
    )
    row(
        "cursor",
        lambda m: (
            f"{m['cursor']['move_work_median_ms']:.1f} ms "
            f"(p95 {m['cursor']['move_work_p95_ms']:.1f}) "
            + _ok(m["cursor"]["move_work_median_ms"], 16)
        ),
    )
    row(
        "search",
        lambda m: (
            f"{m['search']['store_median_ms']:.1f} / {m['search']['store_worst_ms']:.1f} ms "
            f"(`{m['search']['store_worst_query']}`) "
            + _ok(max(m["search"]["store_median_ms"], m["search"]["store_worst_ms"]), 50)
        ),
    )
    row(
        "search_ui",
        lambda m: (
            f"{m['search']['ui']['key_to_results_ms']['median']:.0f} / "
            f"{m['search']['ui']['key_to_results_ms']['p95']:.0f} ms "
            f"(CPU {m['search']['ui']['key_to_results_cpu_ms']['median']:.0f} ms) "
            + _ok(
                max(
                    m["search"]["ui"]["key_to_results_ms"]["median"] / 50,
                    m["search"]["ui"]["key_to_results_ms"]["p95"] / 150,
                ),
                1,
            )
            if "key_to_results_cpu_ms" in m["search"].get("ui", {})
            else "n/a"
        ),
    )
    row(
        "memory",
        lambda m: (
            f"{m['memory']['first_screen_mb']:.0f} / {m['memory']['after_scroll_mb']:.0f} MB "
            + _ok(max(m["memory"]["first_screen_mb"], m["memory"]["after_scroll_mb"]), 150)
        ),
    )
    row(
        "counts",
        lambda m: (
            f"{m['counts']['nav_counts_ms'] / 1000:.2f} / "
            f"{m['counts']['nav_all_counts_ms'] / 1000:.2f} s "
            f"(whole {m['counts'].get('nav_whole_counts_ms', float('nan')) / 1000:.2f} s; "
            f"the Inbox's title {m['counts']['view_count_ms'] / 1000:.2f} s) "
            + _ok(max(m["counts"]["nav_counts_ms"], m["counts"]["view_count_ms"]), 2000)
        ),
    )
    row(
        "similar",
        lambda m: (
            f"{m['similar']['view_ms']['median']:.1f} / {m['similar']['view_ms']['max']:.1f} ms "
            f"(plain search {m['similar']['plain_ms']['median']:.1f} ms) "
            + _ok(m["similar"]["view_ms"]["max"], 100)
        ),
    )
    row(
        "leads",
        lambda m: (
            f"{m['leads']['ms']['compare']['median']:.0f} / "
            f"{m['leads']['ms']['compare']['max']:.0f} ms "
            f"(storing the page: {m['leads']['ms']['store']['median']:.0f} ms); "
            f"{m['leads']['ms']['terms']['median'] / 1000:.2f} s "
            + _ok(
                max(
                    m["leads"]["ms"]["compare"]["max"] / 100,
                    m["leads"]["ms"]["terms"]["max"] / 2000,
                ),
                1,
            )
        ),
    )
    rows.append("")
    rows.append("| Context | | " + " | ".join(f"{n:,} papers" for n in sizes) + " |")
    rows.append(rule)

    def extra(label: str, cell) -> None:  # type: ignore[no-untyped-def]
        rows.append(f"| {label} | | " + " | ".join(cell(measured[n]) for n in sizes) + " |")

    extra(
        "First screen: River minus the empty app, run by run (median); fastest River / empty",
        lambda m: (
            f"{m['first_screen']['river_minus_empty_ms']:.0f} ms; "
            f"{m['first_screen']['fastest_s']:.2f} / "
            f"{m['first_screen']['empty_app_fastest_s']:.2f} s"
        ),
    )
    extra(
        "Cursor move and the detail pane that follows it once the cursor rests (work, median)",
        lambda m: f"{m['cursor']['work_median_ms']:.1f} ms",
    )
    extra(
        "`j` held down (30 keys a second): work per key; detail pane updates",
        lambda m: (
            f"{m['cursor']['held']['work_per_key_ms']:.1f} ms; "
            f"{m['cursor']['held']['detail_updates']} for {m['cursor']['held']['presses']} keys"
        ),
    )
    extra(
        "Search: until the title's count shows too (median / worst); the whole count",
        lambda m: (
            f"{m['search']['store']['all_papers']['counted_median_ms']:.0f} / "
            f"{m['search']['store']['all_papers']['counted_worst_ms']:.0f} ms; "
            f"{m['search']['store']['all_papers'].get('whole_count_median_ms', 0):.0f} / "
            f"{m['search']['store']['all_papers'].get('whole_count_worst_ms', 0):.0f} ms"
        ),
    )
    extra(
        "Cursor move, key to last frame (wall, median)",
        lambda m: f"{m['cursor']['top']['last_frame_ms']['median']:.1f} ms",
    )
    extra(
        "Cursor move at the end of the view (work, median)",
        lambda m: f"{m['cursor']['bottom_move_work_median_ms']:.1f} ms",
    )
    extra(
        "Load average (1 minute) as each benchmark ended: lowest–highest",
        lambda m: "{:.1f}–{:.1f}".format(*_loads(m)),
    )
    extra(
        "The library file: size, per paper",
        lambda m: (
            f"{m['file']['bytes'] / 1e9:.2f} GB, "
            f"{m['file']['bytes'] / m['file']['papers'] / 1e3:.1f} kB a paper"
        ),
    )
    extra(
        "Search, store, CPU of the search's thread (median / worst)",
        lambda m: (
            f"{m['search']['store']['all_papers']['cpu_median_ms']:.1f} / "
            f"{m['search']['store']['all_papers']['cpu_worst_ms']:.1f} ms"
        ),
    )
    if all("learning" in measured[n] for n in sizes):
        extra(
            "Learning: training and scoring everything from nothing held / the first update "
            "of a library (features of every paper) / the learning process's peak memory",
            lambda m: (
                f"{m['learning']['decisions_s']:.1f} s / {m['learning']['first_s']:.0f} s / "
                f"{m['learning']['rss_peak_mb']:.0f} MB"
            ),
        )
    extra(
        "Empty Textual app, memory",
        lambda m: f"{m['memory']['empty_app']['first_screen_mb']:.0f} MB",
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--dir", type=Path, default=Path(tempfile.gettempdir()) / "river-bench" / "libs"
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--learning", action="store_true", help="learning.py too (long at a million papers)"
    )
    parser.add_argument(
        "--max-load",
        type=float,
        help="before each benchmark, wait until the 1-minute load average is at most this",
    )
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    results = args.dir.parent / "results"
    results.mkdir(parents=True, exist_ok=True)
    measured = {
        n: measure(library(args.dir, n), results, args.quick, args.max_load, args.learning)
        for n in args.sizes
    }
    text = table(measured)
    (results / "table.md").write_text(text + "\n", encoding="utf-8")
    (results / "machine.json").write_text(json.dumps(machine(), indent=2) + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
