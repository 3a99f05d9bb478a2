"""Readers that misbehave, for the sandbox's tests (module-level: a child imports them)."""

from __future__ import annotations

import os
import signal
import sys
import time


def forever() -> None:
    """A parse that never ends."""
    while True:
        time.sleep(0.05)


def exits() -> None:
    os._exit(3)


def killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def noisy() -> str:
    """What a library's warning or a stray print would do."""
    print("NOISE on stdout")
    print("NOISE on stderr", file=sys.stderr)
    os.write(2, b"NOISE written to fd 2\n")
    return "read"


def buggy() -> None:
    {}["a key no document should make River look up"]
