"""The theme chosen in the reader is the one it opens with next time (``ui.json`` in the data
folder); a damaged file or an unknown theme is ignored, and one that cannot be written is said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_ui import seeded_library
from test_ui_support import heard, listening, messages, quiet_config, settle, type_text, until

from river_tui.remembered import UI_STATE, load_theme, save_theme
from river_tui.ui.app import RiverApp

SIZE = (120, 40)


async def test_the_theme_chosen_in_the_palette_is_kept_for_the_next_start(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    state = tmp_path / "data"
    app = listening(RiverApp(db_path=db, config=quiet_config(), state_dir=state))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        default = app.theme
        assert default != "nord"
        await pilot.press("ctrl+p")
        await type_text(pilot, "Theme")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await type_text(pilot, "nord")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: app.theme == "nord")
    assert load_theme(state) == "nord"

    again = listening(RiverApp(db_path=db, config=quiet_config(), state_dir=state))
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.theme == "nord" and again.current_theme.name == "nord"


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '["nord"]',
        '{"theme": 7}',
        '{"theme": "no-such"}',
        pytest.param("[" * 50_000 + "]" * 50_000, id="nested-50000-deep"),
    ],
)
async def test_a_damaged_or_unknown_theme_is_ignored(tmp_path: Path, text: str) -> None:
    db = seeded_library(tmp_path)
    (tmp_path / UI_STATE).write_text(text, encoding="utf-8")
    default = RiverApp(db_path=db, config=quiet_config()).theme
    app = listening(RiverApp(db_path=db, config=quiet_config(), state_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == default
        assert not heard(app)


async def test_a_theme_that_cannot_be_remembered_is_said_and_still_used(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    state = tmp_path / "data"
    state.write_text("a file where the data folder should be", encoding="utf-8")
    app = listening(RiverApp(db_path=db, config=quiet_config(), state_dir=state))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        await pilot.pause()
        assert app.current_theme.name == "nord"
        (note,) = messages(app)
        assert note.startswith("The theme is not remembered: ")


def test_saving_keeps_what_else_the_file_holds(tmp_path: Path) -> None:
    (tmp_path / UI_STATE).write_text('{"other": 1, "theme": "nord"}', encoding="utf-8")
    save_theme(tmp_path, "gruvbox")
    assert json.loads((tmp_path / UI_STATE).read_text()) == {"other": 1, "theme": "gruvbox"}
    assert load_theme(tmp_path / "missing") is None


async def test_in_a_light_theme_the_unfocused_panes_show_their_borders(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = app.reader
        assert reader is not None
        for theme in ("textual-light", "textual-dark"):
            app.theme = theme
            await pilot.pause()
            surface = reader.nav.styles.background
            (_kind, border) = reader.nav.styles.border_top
            assert not reader.nav.has_focus
            # Visible: as far from the surface as the dark theme's border (0.17); the light
            # theme's lighter border was 0.13 from it, white on light grey.
            assert abs(border.brightness - surface.brightness) >= 0.15, (theme, border, surface)
