"""A beat's term suggestions in the reader: decisions made by keys in the beat's view, ``T``
lists a term with its counts, Enter previews it, ``y`` adds it to beats.toml (its comments
kept) and the view changes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

from test_suggest import BEATS_TOML, PAPERS, paper_id, settings_for
from test_ui_support import choose, listening, messages, reader_of, settle, until

from river_tui.domain import Discovery, Paper, parse_arxiv_id
from river_tui.domain.beat_terms import TermKind
from river_tui.reader.suggest import NOT_A_BEAT
from river_tui.reader.views import NavKind, NavTarget
from river_tui.settings import ReaderSettings
from river_tui.store.library import Library
from river_tui.ui.app import RiverApp
from river_tui.ui.components.suggestions import SuggestScreen

CREDIT = NavTarget(NavKind.BEAT, "Credit")


def library_and_config(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The papers of test_suggest, undecided but K1-K3 (put on Credit by hand), each a day
    apart; the settings of a temporary config folder holding a beats.toml with comments."""
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "beats.toml").write_text(BEATS_TOML, encoding="utf-8")
    (config_dir / "config.toml").write_text("[refresh]\ninterval_minutes = 0\n", encoding="utf-8")
    db = tmp_path / "lib.db"
    config = settings_for(config_dir, db)
    with Library.open(db, config.beats) as lib:
        seen = Discovery("test", datetime.now(UTC))
        for n, (name, (title, abstract)) in enumerate(PAPERS.items()):
            paper = Paper(
                title=title,
                abstract=abstract,
                arxiv=parse_arxiv_id(paper_id(name)),
                published=date(2026, 1, 1 + n),
            )
            pk = lib.upsert_paper(paper, seen).pk
            if name in ("K1", "K2", "K3"):
                lib.assign_beat(pk, "Credit")
    return db, config_dir, dataclasses.replace(config, reader=ReaderSettings(0.0))


async def press_on(pilot, app: RiverApp, title: str, key: str) -> None:  # type: ignore[no-untyped-def]
    """Move the stream's cursor to the paper titled ``title`` by keys, then press ``key``."""
    session = reader_of(app).session
    session.move_to(0)
    for _ in range(session.rows.count):
        paper = session.highlighted
        if paper is not None and paper.title == title:
            await pilot.press(key)
            await settle(app, pilot)
            return
        await pilot.press("j")
    raise AssertionError(f"{title!r} is not in the view")


async def test_t_lists_previews_and_adds_a_term_to_the_beat(tmp_path: Path) -> None:
    db, config_dir, config = library_and_config(tmp_path)
    app = listening(RiverApp(db_path=db, config=config))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("T")  # in the Inbox: not a beat's view
        await pilot.pause()
        assert f"{NOT_A_BEAT}." in messages(app)
        assert not isinstance(app.screen, SuggestScreen)

        await choose(pilot, app, CREDIT)
        await settle(app, pilot)
        session = reader_of(app).session
        assert session.rows.count == 9  # six by its rule, three by hand
        for name in ("G1", "G2"):
            await press_on(pilot, app, PAPERS[name][0], "s")
        for name in ("B1", "B2", "B3"):
            await press_on(pilot, app, PAPERS[name][0], "x")

        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, SuggestScreen))
        dialog = app.screen
        assert isinstance(dialog, SuggestScreen)
        await until(pilot, lambda: dialog.state.suggestions is not None)
        found = dialog.state.suggestions or []
        terms = [(s.kind, s.term) for s in found]
        assert (TermKind.EXCLUDE, "portfolio") in terms
        portfolio = found[terms.index((TermKind.EXCLUDE, "portfolio"))]
        assert (portfolio.kept, portfolio.let_go) == (0, 3)
        shaping = found[terms.index((TermKind.INCLUDE, "reward shaping"))]
        assert (shaping.kept, shaping.let_go) == (3, 0)

        for _ in range(terms.index((TermKind.EXCLUDE, "portfolio"))):
            await pilot.press("j")
        await pilot.press("enter")
        await until(pilot, lambda: dialog.state.preview is not None)
        shown = dialog.state.preview
        assert shown is not None
        assert (shown.joining, shown.leaving, shown.kept, shown.let_go) == (0, 4, 0, 3)
        assert {m.id for m in shown.leaves} == {paper_id(n) for n in ("B1", "B2", "B3", "U3")}

        await pilot.press("escape")  # back to the list
        await pilot.pause()
        assert dialog.state.chosen is None and app.screen is dialog
        await pilot.press("enter")  # the same term again
        await until(pilot, lambda: dialog.state.preview is not None)
        await pilot.press("y")
        await until(pilot, lambda: app.screen is not dialog, timeout=10)
        await settle(app, pilot)

        text = (config_dir / "beats.toml").read_text(encoding="utf-8")
        kept = '    "loan",  # money, not RL\n'
        assert text == BEATS_TOML.replace(kept, kept + '    "portfolio",\n')
        assert any(m.startswith("added exclude term “portfolio” to Credit") for m in messages(app))
        assert session.rows.count == 5  # G1, G2, K1-K3: the portfolio papers left
        titles = {session.rows.paper_at(i).title for i in range(session.rows.count)}  # type: ignore[union-attr]
        assert PAPERS["B1"][0] not in titles
        assert "portfolio" in app.config.beats[0].exclude  # the refresh uses them from now on
