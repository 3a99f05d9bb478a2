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

from river_tui.domain import TriageState

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


def reader_command(db: Path, config: Path | None = None) -> str:
    """The shell command that opens River on ``db`` in the test's data and config folders
    (``config``: another), in a terminal of tmux's size (no COLUMNS or LINES from the test's
    environment)."""
    env = {
        "RIVER_DB": str(db),
        "RIVER_DATA_DIR": os.environ["RIVER_DATA_DIR"],
        "RIVER_CONFIG_DIR": str(config) if config else os.environ["RIVER_CONFIG_DIR"],
        "TERM": "xterm-256color",
    }
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    return f"env -u COLUMNS -u LINES {exports} {shlex.quote(sys.executable)} -m river_tui"


def test_river_opens_on_the_sample_library_and_quits(tmp_path: Path) -> None:
    session = f"river-{uuid.uuid4().hex[:8]}"
    db = tmp_path / "library.db"
    command = f"{reader_command(db)}; sleep 30"
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


def test_a_library_holding_escape_sequences_sets_no_title_or_clipboard(tmp_path: Path) -> None:
    """Issue 16, finding 3, as a person sees it: a library holding OSC 0 (the terminal's title)
    and OSC 52 (the clipboard: tmux's paste buffer, with ``set-clipboard on``) in its titles,
    links and every other field, written with sqlite3. The reader is opened on it in tmux:
    the pane's title and tmux's buffers stay as they were and the screen shows no payload.
    A control run (the same sequences printed by ``printf``) shows tmux would have obeyed."""
    from reliability import planted

    db = planted.build(tmp_path / "library.db")
    planted.plant(db, "T\x1b]0;FIELD-PWNED\x07\x1b]52;c;RklFTEQtUFdORUQ=\x07 X")
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


def test_the_reader_learns_in_a_real_terminal_and_says_why(tmp_path: Path) -> None:
    """Inside a terminal, Textual stands in for sys.stdout and sys.stderr: the child that
    learns failed to start there (while it started under Pilot), and For you stayed in the
    beats' order with no why. Here three papers starred and three skipped by `river mark`,
    the reader opened in tmux: For you shows the why of its first paper."""
    from test_cli import OFF_TOPIC, RL_CREDIT_ASSIGNMENT
    from test_ui import seeded_library

    from river_tui.settings import load_settings
    from river_tui.store.library import Library

    db = seeded_library(tmp_path)
    with Library.open(db, load_settings().beats) as lib:
        papers = lib.papers()
        lib.mark([p.pk for p in papers if p.title in RL_CREDIT_ASSIGNMENT][:3], starred=True)
        skipped = [p.pk for p in papers if p.title in OFF_TOPIC][:3]
        lib.mark(skipped, state=TriageState.SKIPPED)
    session = f"river-{uuid.uuid4().hex[:8]}"
    tmux("new-session", "-d", "-s", session, "-x", "140", "-y", "42")
    try:
        tmux("respawn-pane", "-k", "-t", session, f"{reader_command(db)}; sleep 60")
        wait_for(session, "Inbox · 65 (65 new)")
        tmux("send-keys", "-t", session, "h", "g", "j", "Enter")
        screen = wait_for(session, "for you: +", deadline=60)
        assert "For you · 65 (65 new)" in screen and "Traceback" not in screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
