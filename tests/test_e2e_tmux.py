"""What a person sees: River in a real terminal (tmux), opened on an empty library."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", *args], capture_output=True, text=True, check=True, timeout=30
    ).stdout


def wait_for(session: str, needle: str, deadline: float = 30.0) -> str:
    """Poll the pane until ``needle`` shows (a deadline against hangs, not a speed test)."""
    end = time.monotonic() + deadline
    screen = ""
    while time.monotonic() < end:
        screen = tmux("capture-pane", "-p", "-t", session)
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen}")


def test_river_opens_on_the_sample_library_and_quits(tmp_path: Path) -> None:
    session = f"river-{uuid.uuid4().hex[:8]}"
    db = tmp_path / "library.db"
    env = {
        "RIVER_DB": str(db),
        "RIVER_DATA_DIR": os.environ["RIVER_DATA_DIR"],
        "RIVER_CONFIG_DIR": os.environ["RIVER_CONFIG_DIR"],
        "TERM": "xterm-256color",
    }
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = (
        f"env -u COLUMNS -u LINES {exports} {shlex.quote(sys.executable)} -m river_tui; sleep 30"
    )
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "48", command)
    # A tmux server that is already running may keep its own default size: insist on ours.
    tmux("set-option", "-t", session, "window-size", "manual")
    tmux("resize-window", "-t", session, "-x", "160", "-y", "48")
    try:
        screen = wait_for(session, "Frontier capability")
        screen = wait_for(session, "CAPO")  # the sample's papers are in the stream
        # The reader opens on the inbox, which fills as the sample's files land (one
        # transaction each): wait for the last one.
        screen = wait_for(session, "Inbox · 68 (68 new)")
        tmux("send-keys", "-t", session, "q")
        end = time.monotonic() + 15
        while time.monotonic() < end:
            screen = tmux("capture-pane", "-p", "-t", session)
            if "Frontier capability" not in screen:
                break
            time.sleep(0.2)
        assert "Frontier capability" not in screen, "River did not quit on q"
        assert "Traceback" not in screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    listed = subprocess.run(
        [sys.executable, "-m", "river_tui", "--db", str(db), "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert len(listed.stdout.splitlines()) == 68
