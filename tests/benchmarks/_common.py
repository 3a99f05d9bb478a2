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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SIZE = (160, 48)
"""The terminal every UI benchmark runs in (columns, rows)."""

CONFIG_TOML = """\
# Written by River's benchmarks: no background refresh while measuring.
[refresh]
interval_minutes = 0
"""


def isolate_env() -> Path:
    """Point River at a benchmark-only config and data folder; fix the terminal's colours.

    Call before importing River or Textual. Returns the benchmark home folder."""
    home = Path(os.environ.get("RIVER_BENCH_HOME") or Path(tempfile.gettempdir()) / "river-bench")
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "data").mkdir(parents=True, exist_ok=True)
    config = home / "config" / "config.toml"
    if not config.is_file() or config.read_text(encoding="utf-8") != CONFIG_TOML:
        config.write_text(CONFIG_TOML, encoding="utf-8")
    os.environ["RIVER_CONFIG_DIR"] = str(home / "config")
    os.environ["RIVER_DATA_DIR"] = str(home / "data")
    os.environ.pop("RIVER_DB", None)
    for variable in ("RIVER_HF_URL", "RIVER_ARXIV_API_URL", "RIVER_ARXIV_RSS_URL"):
        os.environ[variable] = "http://127.0.0.1:9"
    # Textual picks its colour system from the environment: make it the same everywhere.
    os.environ["TERM"] = "xterm-256color"
    os.environ["COLORTERM"] = "truecolor"
    os.environ.pop("NO_COLOR", None)
    return home


def proc_status_mb(field: str) -> float:
    """A memory figure of this process from ``/proc/self/status`` (``VmRSS``, ``VmHWM``), in MB
    (10^6 bytes)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError(f"{field} not in /proc/self/status")


def null_driver_class() -> type:
    """A Textual driver that is *not* headless but throws the output away.

    Textual's headless driver makes ``App._display`` skip turning each frame into terminal
    escape sequences; this one keeps that work (so it is measured) and only drops the bytes,
    counting them. Imports Textual."""
    from textual.drivers.headless_driver import HeadlessDriver

    class NullTerminalDriver(HeadlessDriver):
        bytes_written = 0

        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            NullTerminalDriver.bytes_written += len(data)

    return NullTerminalDriver


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
    home = Path(env.get("RIVER_BENCH_HOME") or Path(tempfile.gettempdir()) / "river-bench")
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
