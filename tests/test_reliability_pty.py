"""No escape sequence a source sent ever reaches the terminal: the bytes River writes to a real
pseudo-terminal, read back and searched for every hostile payload."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

from reliability import hostile

from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.store.library import Library

# What a payload would look like on the wire if it got through (River's own output uses CSI
# for colours and cursor moves, so look for the hostile sequences themselves).
FORBIDDEN = [
    b"\x1b]52;",  # OSC 52: write the clipboard
    b"\x1b]8;;https://evil",  # OSC 8 link to the payload's address
    b"\x1b]0;owned",  # OSC 0: the window title
    b"\x1bP+q",  # DCS: request a terminal capability
    b"\x1b_apc",
    b"\x1b^pm",
    b"\x1bXsos",
    b"\x1b[6n",  # makes the terminal answer
    b"\xc2\x9b",  # 8-bit CSI (UTF-8 encoded C1)
    b"\xc2\x9d",  # 8-bit OSC
    b"\xe2\x80\xae",  # right-to-left override
]


def read_for(fd: int, seconds: float) -> bytes:
    out = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


def test_the_reader_writes_no_hostile_byte_to_a_real_terminal(tmp_path: Path) -> None:
    db = tmp_path / "hostile.db"
    strings = hostile.Strings.of(hostile.HOSTILE)
    with Library.open(db, load_settings().beats) as library:
        for name, build in (
            ("page.txt", hostile.hf_page),
            ("feed.xml", hostile.arxiv_rss),
            ("dossier.md", hostile.dossier),
            ("river.txt", hostile.river_page),
        ):
            path = tmp_path / name
            path.write_bytes(build(strings))
            try:
                import_file(library, path)
            except Exception as exc:  # a refused document is fine; a crash is not
                assert "ImportFailure" in type(exc).__name__, exc
        assert library.count() >= 1
    env = os.environ | {
        "RIVER_DB": str(db),
        "TERM": "xterm-256color",
        "COLUMNS": "160",
        "LINES": "48",
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: River on the pseudo-terminal
        os.execve(sys.executable, [sys.executable, "-m", "river_tui"], env)
    try:
        screen = read_for(fd, 6.0)  # the first screen, the paper's detail on the right
        for key in (b"\t", b"\t", b"j", b"\r", b"j", b"\r"):  # through the nav: dossier, river
            os.write(fd, key)
            screen += read_for(fd, 0.8)
        os.write(fd, b"q")
        screen += read_for(fd, 3.0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    assert b"Hostile title" in screen  # the hostile paper was on screen
    found = [marker for marker in FORBIDDEN if marker in screen]
    assert found == [], f"hostile bytes reached the terminal: {found}"
