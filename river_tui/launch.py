"""The ``river`` command: :func:`river_tui.cli.main`, started without the collector's pauses.

Starting River builds a few hundred thousand long-lived objects (modules, classes, styles,
widgets) and next to no garbage, yet Python's cycle collector walks them several times while
they are made, and once more in full (30-60 ms) just before the reader's first frame. So the
collector is off while River starts. The CLI turns it back on once a command other than the
reader is chosen. For the reader it moves everything made so far out of the collector's sight
(:func:`gc.freeze`) and leaves it off until the first frame is painted
(``RiverApp.collector_on``). Should the reader fail before that, it is turned on here.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    gc.disable()
    try:
        from river_tui.cli import main as cli_main

        return cli_main(argv)
    finally:
        gc.enable()
