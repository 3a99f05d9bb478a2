"""Ingest: River's ``river import`` of one big Atom file beside newsboat's ``-x reload`` of it.

    .venv/bin/python tests/benchmarks/ingest.py [--entries 100000] [--runs 3] [--json OUT]
        [--feed PATH] [--river-only]

The largest resident memory of any one process of the run is recorded too (``peak_rss_mb``,
sampled likewise).

The feed is ``make_feed.py``'s (``--entries`` papers, about 2 KB each: 100,000 make 200 MB),
written once into the benchmark home (``river-bench`` in the temp folder) and reused. Each run
imports it with River, as a user would (``python -m river_tui import --db NEW FILE``, a fresh
library each time, the bundled beats), then reloads it with newsboat (``newsboat -u URLS -c
NEW_CACHE -C /dev/null -x reload``, a fresh cache each time, the file as a ``file://`` URL),
in turns, so both see the same load. It prints each program's wall time and CPU time
(user + system of every process of the run, River's parsing child included: sampled from
``/proc`` every 50 ms, so the last 50 ms of a process may be missed) and River's / newsboat's
ratio of the medians, with the load average before and after: the machine may be shared.

newsboat is the Debian package (``apt-get install newsboat``); without it, ``--river-only``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from _common import ROOT, child_env, isolate_env, load_average, machine, write_result

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE = 0.05


class SessionCpu:
    """The CPU time of every process of one session (a command started in a session of its
    own), sampled from ``/proc`` while it runs: each process counts with its last sample."""

    def __init__(self, sid: int) -> None:
        self.sid = sid
        self.last: dict[int, float] = {}
        self.peak: dict[int, int] = {}
        """Each process's largest resident set seen, in bytes."""
        self.others: set[int] = set()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.wait(SAMPLE):
            self.sample()

    def sample(self) -> None:
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            pid = int(name)
            if pid in self.others:
                continue
            try:
                with open(f"/proc/{pid}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            # after the name: state ppid pgrp session ... utime(12) stime(13)
            if int(fields[3]) != self.sid:
                self.others.add(pid)
                continue
            self.last[pid] = (int(fields[11]) + int(fields[12])) / TICKS
            resident = int(fields[21]) * PAGE  # rss, in pages
            self.peak[pid] = max(self.peak.get(pid, 0), resident)

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return sum(self.last.values())


def timed(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> dict:
    """Run ``command`` in a session of its own: its wall time, its CPU time and its output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    cpu = SessionCpu(process.pid)
    out, err = process.communicate()
    wall = time.perf_counter() - started
    cpu.sample()
    seconds = cpu.stop()
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode}): {err.decode()[-2000:]}")
    return {
        "wall": wall,
        "cpu": seconds,
        "peak_rss_mb": round(max(cpu.peak.values(), default=0) / 1e6, 1),
        "stdout": out.decode(),
        "stderr": err.decode(),
    }


def feed_path(entries: int, given: Path | None) -> Path:
    if given is not None:
        return given
    home = Path(os.environ["RIVER_BENCH_HOME"])
    path = home / f"feed-{entries}.xml"
    if not path.exists():
        sys.path.insert(0, str(Path(__file__).parent))
        from make_feed import write_feed

        print(f"writing {path} ({entries:,} entries)…", file=sys.stderr)
        write_feed(entries, path)
    return path


def river_run(feed: Path, work: Path) -> dict:
    db = work / "river.db"
    for leftover in work.glob("river.db*"):
        leftover.unlink()
    command = [sys.executable, "-m", "river_tui", "import", "--db", str(db), str(feed)]
    result = timed(command, env=child_env(), cwd=ROOT)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        result["papers"] = conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
    result["said"] = result.pop("stdout").strip()
    del result["stderr"]
    return result


def newsboat_run(feed: Path, work: Path, newsboat: str) -> dict:
    cache = work / "newsboat-cache.db"
    for leftover in work.glob("newsboat-cache.db*"):
        leftover.unlink()
    urls = work / "urls"
    urls.write_text(feed.resolve().as_uri() + "\n", encoding="utf-8")
    command = [newsboat, "-u", str(urls), "-c", str(cache), "-C", "/dev/null", "-x", "reload"]
    result = timed(command, cwd=work)
    with sqlite3.connect(f"file:{cache}?mode=ro", uri=True) as conn:
        result["items"] = conn.execute("SELECT COUNT(*) FROM rss_item").fetchone()[0]
    del result["stdout"], result["stderr"]
    return result


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--feed", type=Path, help="this feed file instead of make_feed.py's")
    parser.add_argument("--river-only", action="store_true", help="do not run newsboat")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    isolate_env()
    newsboat = None if args.river_only else shutil.which("newsboat")
    if not args.river_only and newsboat is None:
        raise SystemExit("newsboat is not installed (apt-get install newsboat), or --river-only")
    feed = feed_path(args.entries, args.feed)
    load_before = load_average()
    river: list[dict] = []
    other: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="river-ingest-") as folder:
        work = Path(folder)
        river_run(feed_path(10, None), work)  # unmeasured: fills the bytecode cache
        for _ in range(args.runs):
            river.append(river_run(feed, work))
            if newsboat:
                other.append(newsboat_run(feed, work, newsboat))
    report: dict[str, Any] = {
        "benchmark": "ingest",
        "feed": str(feed),
        "feed_bytes": feed.stat().st_size,
        "entries": args.entries,
        "runs": args.runs,
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "river": {
            "runs": river,
            "wall_median": median(river, "wall"),
            "cpu_median": median(river, "cpu"),
        },
        "machine": machine(),
    }
    lines = [
        f"{feed.name}: {feed.stat().st_size / 1e6:.0f} MB, {args.entries:,} entries; "
        f"load average {load_before} before, {report['load_average_after']} after",
        f"  river     wall {fmt(river, 'wall')}  cpu {fmt(river, 'cpu')}",
    ]
    if other:
        report["newsboat"] = {
            "runs": other,
            "wall_median": median(other, "wall"),
            "cpu_median": median(other, "cpu"),
        }
        report["ratio_wall"] = round(median(river, "wall") / median(other, "wall"), 3)
        report["ratio_cpu"] = round(median(river, "cpu") / median(other, "cpu"), 3)
        lines += [
            f"  newsboat  wall {fmt(other, 'wall')}  cpu {fmt(other, 'cpu')}",
            f"  river / newsboat (medians): wall {report['ratio_wall']:.2f}, "
            f"cpu {report['ratio_cpu']:.2f} (target <= 0.33)",
        ]
    write_result(args.json, report)
    print("\n".join(lines))
    return 0


def fmt(runs: list[dict], key: str) -> str:
    values = " ".join(f"{run[key]:6.2f}" for run in runs)
    return f"{median(runs, key):6.2f} s (runs: {values})"


if __name__ == "__main__":
    sys.exit(main())
