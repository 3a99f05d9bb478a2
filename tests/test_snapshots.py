"""What the reader looks like: SVG snapshots of the main screen, a search and a dossier's page at
80x24 and 140x42, and help, the palette and a claim under review at 140x42.

Update them after an intended change with ``make test PYTEST_ARGS="--snapshot-update"``, look at
the SVGs, and copy them to ``docs/screens/`` for the user guide (``DOCS`` names each copy; a test
checks the copies are the snapshots).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ui import seeded_library
from test_ui_support import quiet_config, workers_done
from textual.pilot import Pilot
from textual.widgets import Input

from river_tui.ui.app import RiverApp

from conftest import detail_shown

SIZE = (140, 42)
SIZES = {"80x24": (80, 24), "140x42": SIZE}
SNAPSHOTS = Path(__file__).parent / "__snapshots__" / "test_snapshots"
DOCS = Path(__file__).parent.parent / "docs" / "screens"
SHOWN = {  # the user guide's copy: the snapshot it is
    "main-screen-80x24.svg": "test_main_screen[80x24].svg",
    "main-screen-140x42.svg": "test_main_screen[140x42].svg",
    "search-80x24.svg": "test_search[80x24].svg",
    "search-140x42.svg": "test_search[140x42].svg",
    "dossier-page-80x24.svg": "test_dossier_page[80x24].svg",
    "dossier-page-140x42.svg": "test_dossier_page[140x42].svg",
    "help.svg": "test_help.svg",
    "palette.svg": "test_palette.svg",
    "claim-under-review.svg": "test_claim_under_review.svg",
}


@pytest.fixture(autouse=True)
def _in_own_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each snapshot's library is ``lib.db`` in its test's own folder, the working directory:
    the status line shows the same path in every run, and tests on other workers never share
    the file."""
    monkeypatch.chdir(tmp_path)


def app_for(tmp_path: Path) -> RiverApp:
    """The reader on the seed library (``lib.db``, relative: the status line shows it)."""
    seeded_library(tmp_path)
    return RiverApp(db_path=Path("lib.db"), config=quiet_config())


async def settle(pilot: Pilot) -> None:
    await workers_done(pilot.app)
    await pilot.pause()
    await workers_done(pilot.app)
    # A blinking text cursor is on or off depending on the moment: hold it still.
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, tmp_path: Path, size: str) -> None:
    async def shown(pilot: Pilot) -> None:
        await settle(pilot)
        await detail_shown(pilot)
        await settle(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=SIZES[size], run_before=shown)


@pytest.mark.parametrize("size", SIZES)
def test_search(snap_compare, tmp_path: Path, size: str) -> None:
    async def search(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"credit assignment")
        await pilot.pause(0.3)
        await settle(pilot)
        await detail_shown(pilot)  # the cursor's paper, whenever its short timer fires
        await settle(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=SIZES[size], run_before=search)


@pytest.mark.parametrize("size", SIZES)
def test_dossier_page(snap_compare, tmp_path: Path, size: str) -> None:
    """The seed dossier's page, rendered, over the stream's width and the detail's."""

    async def page(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("D")  # the list waits for a choice: its worker ends with it
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=SIZES[size], run_before=page)


def test_the_user_guides_screens_are_the_snapshots() -> None:
    """docs/screens holds copies of the snapshots, so the guide shows the reader as it is."""
    assert sorted(p.name for p in DOCS.glob("*.svg")) == sorted(SHOWN)
    for shown, snapshot in SHOWN.items():
        assert (DOCS / shown).read_bytes() == (SNAPSHOTS / snapshot).read_bytes(), shown


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

    db = Path("lib.db")
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
