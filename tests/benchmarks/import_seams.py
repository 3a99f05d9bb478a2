"""What each import seam costs: the modules the reader's first screen does without.

    .venv/bin/python tests/benchmarks/import_seams.py [--runs 7] [--json OUT]

River defers an import only where it pays: at a seam that costs 10 ms or more on top of what
the reader's first screen loads anyway. ``tests/test_layers.py`` lists the seams
(``SEAMS``) and checks that the first screen loads none of them; this script
measures each one: a fresh interpreter imports the reader's modules (``river_tui.cli``,
``river_tui.ui.app``), then every module of the seam, and that import is timed (the median of
``--runs`` interpreters). A seam under 10 ms should be imported where it is used like any
other module.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from test_layers import SEAMS  # noqa: E402

READER = "import river_tui.cli, river_tui.ui.app, river_tui.ui.components.reader"
TARGET_MS = 10.0


def cost_ms(module: str) -> float:
    code = (
        f"import time\n{READER}\n"
        f"started = time.perf_counter()\nimport {module}\n"
        "print((time.perf_counter() - started) * 1000)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {}
    for seam, modules in SEAMS.items():
        runs = [cost_ms(", ".join(modules)) for _ in range(args.runs)]
        results[seam] = round(statistics.median(runs), 1)
        mark = "" if results[seam] >= TARGET_MS else "  (under 10 ms: not a seam)"
        print(f"{seam:50} {results[seam]:6.1f} ms{mark}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
