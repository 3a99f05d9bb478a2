"""How long a key waits while a refresh parses a hostile feed (budget: 100 ms).

    .venv/bin/python tests/benchmarks/keys_during_refresh.py [--runs 3] [--json OUT]

The scenario of ``tests/test_ui_refresh.py::test_keys_are_answered_while_a_hostile_feed_is_parsed``
(which holds only a liveness bound): River on the seed library, its one feed served by a local
server, 20,000 items then one whose ``author`` is 300 KB (the input that made feedparser's
e-mail regex quadratic); ``R``, then ``j``/``k`` every 20 ms while the refresh runs, each key's
wait until the cursor moved. The parse runs in a child process (``sources/sandbox.py``), so
the reader's thread keeps the interpreter's lock. Each run is a fresh River in this process;
reports every run's key count, median, p95 and slowest wait, and the slowest over all runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from _child import isolate_env  # noqa: E402
from _common import load_average, machine, write_result  # noqa: E402
from test_ui_refresh import hostile_refresh_app, key_waits_during_a_hostile_refresh  # noqa: E402

from httpserver import LocalServer  # noqa: E402

BUDGET_MS = 100.0


def one_run() -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        server = LocalServer()
        try:
            app = hostile_refresh_app(Path(folder), server)
            return asyncio.run(key_waits_during_a_hostile_refresh(app, server))
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    isolate_env()
    runs = []
    for _ in range(args.runs):
        waits = sorted(w * 1000 for w in one_run())
        runs.append(
            {
                "keys": len(waits),
                "median_ms": round(statistics.median(waits), 1),
                "p95_ms": round(waits[int(0.95 * (len(waits) - 1))], 1),
                "slowest_ms": round(waits[-1], 1),
            }
        )
    slowest = max(r["slowest_ms"] for r in runs)
    result = {
        "benchmark": "keys_during_refresh",
        "budget_ms": BUDGET_MS,
        "slowest_ms": slowest,
        "within_budget": slowest <= BUDGET_MS,
        "runs": runs,
        "load_average": load_average(),
        "machine": machine(),
    }
    write_result(str(args.json) if args.json else None, result)


if __name__ == "__main__":
    main()
