"""Shared helpers of River's speed benchmarks. Importing this module imports neither Textual
nor River, so a script can start its clock before either loads.

Every benchmark runs River against its own config folder (``isolate_env``): the bundled beats,
no background refresh (``interval_minutes = 0``) and every source URL pointed at a closed local
port, so no measurement ever includes a network request or a refresh thread.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Re-exported: what a measured child process needs lives in the lighter `_child`.
from _child import CONFIG_TOML as CONFIG_TOML
from _child import SIZE as SIZE
from _child import isolate_env as isolate_env
from _child import null_driver_class as null_driver_class

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# Every benchmark process (children included, through their environment) keeps its state here.
os.environ.setdefault("RIVER_BENCH_HOME", str(Path(tempfile.gettempdir()) / "river-bench"))


def proc_status_mb(field: str) -> float:
    """A memory figure of this process from ``/proc/self/status`` (``VmRSS``, ``VmHWM``), in MB
    (10^6 bytes)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError(f"{field} not in /proc/self/status")


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median, p95, mean, min and max of a sample."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "p95": p95,
        "mean": statistics.fmean(ordered),
        "min": ordered[0],
        "max": ordered[-1],
    }


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import textual

        textual_version = textual.__version__
    except (ImportError, AttributeError):
        textual_version = "unknown"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "textual": textual_version,
        "platform": platform.platform(),
        "code": code_state(),
    }


def code_state() -> dict[str, Any]:
    """Which River was measured: the commit, and a digest of ``river_tui`` as it is on disk
    (uncommitted changes included). Read-only git commands."""
    import hashlib

    digest = hashlib.sha256()
    for source in sorted((ROOT / "river_tui").rglob("*")):
        if source.is_file() and source.suffix in (".py", ".tcss"):
            digest.update(str(source.relative_to(ROOT)).encode())
            digest.update(source.read_bytes())

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "river_tui").splitlines()
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "river_tui_sha256": digest.hexdigest()[:16],
        "river_tui_uncommitted_files": len(changed),
    }


def library_size(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0])


def write_result(path: str | None, data: dict[str, Any]) -> None:
    """Print ``data`` as JSON and, when ``path`` is given, write it there too."""
    text = json.dumps(data, indent=2, sort_keys=True)
    print(text)
    if path:
        Path(path).write_text(text + "\n", encoding="utf-8")


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured child process.

    Bytecode is cached (in a folder of the benchmark home, via ``PYTHONPYCACHEPREFIX``, so
    nothing is written beside River's sources), as it is for an installed River: a checkout run
    with ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every River module at every
    start. Run a child once unmeasured first to fill the cache."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    home = Path(env["RIVER_BENCH_HOME"])
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    env.update(extra or {})
    return env


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run_child(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a benchmark script in a fresh Python process; its last stdout line is JSON."""
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env if env is not None else child_env(),
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])
