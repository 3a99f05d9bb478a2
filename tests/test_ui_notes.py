"""A paper's note in the reader: ``e`` opens it, River's own editor writes it, the detail pane
shows it as typed, ``note:`` finds it and ``u`` takes it back (the store, the search language,
the backup and the command line: test_notes.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from test_ui import SIZE, seeded_library
from test_ui_support import (
    listening,
    messages,
    open_library,
    quiet_config,
    reader_of,
    screen_lines,
    settle,
    type_text,
    until,
)
from test_ui_views import search_for

from river_tui.settings import ReaderSettings
from river_tui.ui.app import RiverApp
from river_tui.ui.components.dialogs import ConfirmScreen
from river_tui.ui.components.note_editor import NoteEditor
from river_tui.ui.components.reader import ReaderScreen

from conftest import detail_shown

TYPED = "Compare with [b]quokka[/b] baselines"


async def test_e_writes_a_note_the_detail_shows_a_search_finds_and_u_undoes(
    tmp_path: Path,
) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = reader_of(app)
        pk = reader.stream.highlighted.pk

        await pilot.press("e")  # no $VISUAL or $EDITOR in the config: River's own editor
        await until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await type_text(pilot, TYPED)
        await pilot.press("enter")
        await type_text(pilot, "  - quokkas")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert messages(app)[-1] == "Note written. u undoes it."
        with open_library(db) as lib:
            assert lib.note(pk) == f"{TYPED}\n  - quokkas"
        await detail_shown(pilot)
        text = reader.detail.text()
        assert f"Note  e edits it\n{TYPED}\n  - quokkas\n" in text  # as typed, markup and all
        assert any(TYPED in line for line in screen_lines(app))

        # e again opens the note as saved; Esc after a change asks first, n keeps editing.
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor))
        editor = app.screen
        assert editor.text == f"{TYPED}\n  - quokkas"
        await type_text(pilot, "!")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: app.screen is editor)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        with open_library(db) as lib:
            assert lib.note(pk) == f"{TYPED}\n  - quokkas"

        # note:WORD finds it, by its stem; a bare word does not search notes.
        stream = reader.stream
        await search_for(pilot, app, "note:quokka")
        await until(
            pilot,
            lambda: stream.rows.filter.query == "note:quokka" and not stream.rows.counting,
        )
        assert stream.rows.count == 1 and stream.highlighted.pk == pk
        await pilot.press("escape")
        await settle(app, pilot)
        assert stream.rows.filter.query is None

        await pilot.press("u")
        await settle(app, pilot)
        assert messages(app)[-1].startswith("Undone: note removed again")
        with open_library(db) as lib:
            assert lib.note(pk) == ""
        await detail_shown(pilot)
        assert "Note  e edits it" not in reader.detail.text()


async def test_with_no_terminal_to_hand_over_the_editor_is_rivers_own(tmp_path: Path) -> None:
    """$EDITOR set, but the terminal cannot be handed to it (a headless run cannot suspend):
    River's own editor opens instead, and says why."""
    db = seeded_library(tmp_path)
    config = quiet_config()
    reader_settings = ReaderSettings(0.0, editor=("sh", "-c", 'echo changed > "$1"', "editor"))
    config = dataclasses.replace(config, reader=reader_settings)
    app = listening(RiverApp(db_path=db, config=config))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pk = reader_of(app).stream.highlighted.pk
        with open_library(db) as lib:
            lib.set_note(pk, "Kept as it was.")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor))
        said = "This terminal cannot be handed to your editor: River's own, then."
        assert messages(app)[-1] == said
        assert app.screen.text == "Kept as it was."
        assert any(said in line for line in screen_lines(app))
        await pilot.press("escape")  # nothing changed: no question
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        with open_library(db) as lib:
            assert lib.note(pk) == "Kept as it was."
