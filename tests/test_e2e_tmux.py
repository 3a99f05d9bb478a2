"""What a person sees: River in a real terminal (tmux), opened on an empty library."""

from __future__ import annotations

import shutil
import subprocess
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


def reader_command(db: Path) -> str:
    """The shell command that opens River on ``db`` in the test's data and config folders, in
    a terminal of tmux's size (no COLUMNS or LINES from the test's environment)."""
    reader = reader_command(db)
    control = r"printf '\033]0;CONTROL-PWNED\007\033]52;c;Q09OVFJPTA==\007'; echo printed"

    def run(socket: str, command: str, needle: str) -> tuple[str, str, str]:
        """The pane's title, tmux's buffers and the screen once ``needle`` shows."""

        def on(*args: str) -> str:
            return tmux("-L", socket, *args)

        session = "s"
        on("-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "160", "-y", "48")
        try:
            on("set-option", "-s", "set-clipboard", "on")
            on("respawn-pane", "-k", "-t", session, f"{command}; sleep 30")
            end = time.monotonic() + 30
            screen = ""
            while time.monotonic() < end and needle not in screen:
                time.sleep(0.2)
                screen = on("capture-pane", "-p", "-t", session)
            assert needle in screen, screen
            time.sleep(1.0)  # the detail pane follows the cursor after a rest
            screen = on("capture-pane", "-p", "-t", session)
            title = on("display-message", "-p", "-t", session, "#{pane_title}")
            return title, on("list-buffers"), screen
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)

    tag = uuid.uuid4().hex[:8]
    title, buffers, _ = run(f"river-control-{tag}", control, "printed")
    assert "CONTROL-PWNED" in title and buffers.strip(), "tmux did not obey the control run"

    title, buffers, screen = run(f"river-hostile-{tag}", reader, "https://github.com/x/y")
    assert "PWNED" not in title
    assert buffers.strip() == ""
    assert "Title T X" in screen  # the planted titles are shown, without their sequences
    assert "PWNED" not in screen and "]52;" not in screen and "]0;" not in screen
    assert "Traceback" not in screen
