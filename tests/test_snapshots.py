"""What the reader looks like: SVG snapshots of the main screen, a search, help and the palette.

Update them after an intended change with ``make test PYTEST_ARGS="--snapshot-update"`` and look
at the SVGs (``docs/screens/`` keeps copies for the user guide).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from test_ui import seeded_library
from test_ui_support import quiet_config, workers_done
from textual.pilot import Pilot
from textual.widgets import Input

from river_tui.ui.app import RiverApp

SIZE = (140, 40)


FIXED = Path(tempfile.gettempdir()) / "river-snapshots"


def app_for(tmp_path: Path) -> RiverApp:
    """The reader on the seed library, at a fixed path: the status line shows the path."""
    shutil.rmtree(FIXED, ignore_errors=True)
    FIXED.mkdir(parents=True)
    return RiverApp(db_path=seeded_library(FIXED), config=quiet_config())


async def settle(pilot: Pilot) -> None:
    await workers_done(pilot.app)
    await pilot.pause()
    await workers_done(pilot.app)
    # A blinking text cursor is on or off depending on the moment: hold it still.
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_main_screen(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=SIZE, run_before=settle)


def test_search(snap_compare, tmp_path: Path) -> None:
    async def search(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"credit assignment")
        await pilot.pause(0.3)
        await settle(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=SIZE, run_before=search)


def test_help(snap_compare, tmp_path: Path) -> None:
    async def help_screen(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app_for(tmp_path), terminal_size=SIZE, run_before=help_screen)


def test_palette(snap_compare, tmp_path: Path) -> None:
    async def palette(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("ctrl+p", *"frontier")
        await pilot.pause(0.5)
        await settle(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=SIZE, run_before=palette)


def test_claim_under_review(snap_compare, tmp_path: Path) -> None:
    """The claim a newer version changed the quote of, under *Needs review*: River's event
    with the words v2 dropped struck through and those it added (docs/claims.md)."""
    from test_ui_support import choose
    from test_versions import AS_OF, V2, lattice_v1

    from river_tui.importing import import_file
    from river_tui.reader.views import NavKind, NavTarget
    from river_tui.store.library import Library

    shutil.rmtree(FIXED, ignore_errors=True)
    FIXED.mkdir(parents=True)
    db = FIXED / "lib.db"
    with Library.open(db, quiet_config().beats) as lib:
        changed, _kept = lattice_v1(lib)
        lib.assert_claim(
            "lattice",
            "Heat-bath walks on fibers have bounded diameter.",
            "caveat",
            [changed],
            AS_OF,
        )
        import_file(lib, V2, AS_OF)

    async def review(pilot: Pilot) -> None:
        await settle(pilot)
        await choose(pilot, pilot.app, NavTarget(NavKind.REVIEW))  # type: ignore[arg-type]
        await settle(pilot)

    app = RiverApp(db_path=db, config=quiet_config())
    assert snap_compare(app, terminal_size=SIZE, run_before=review)
