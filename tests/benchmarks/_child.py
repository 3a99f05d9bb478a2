"""What a measured child process needs before River starts, and nothing more.

A benchmark child that times River's start-up imports only this module (``os`` and ``pathlib``,
both of which Textual imports anyway), so that no module of the harness (``statistics``,
``subprocess``, ``platform``...) is counted in River's start-up, nor in the empty app's.
``_common`` re-exports everything here.
"""

from __future__ import annotations

import os
from pathlib import Path

SIZE = (160, 48)
"""The terminal every UI benchmark runs in (columns, rows)."""

CONFIG_TOML = """\
# Written by River's benchmarks: no background refresh while measuring.
[refresh]
interval_minutes = 0
"""


def bench_home() -> Path:
    """Where benchmark state lives: ``RIVER_BENCH_HOME`` (``child_env`` always sets it for a
    child), else ``river-bench`` in the temporary folder, as ``_common`` has it."""
    if home := os.environ.get("RIVER_BENCH_HOME"):
        return Path(home)
    import tempfile  # not in a measured child: its environment names the folder

    return Path(tempfile.gettempdir()) / "river-bench"


def isolate_env() -> Path:
    """Point River at a benchmark-only config and data folder; fix the terminal's colours.

    Call before importing River or Textual. Returns the benchmark home folder."""
    home = bench_home()
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
