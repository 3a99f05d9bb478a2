"""The reader's authors: ``w`` lists a paper's authors, Enter shows one's papers, ``f``
follows; a new paper by a followed author is marked in its row and its detail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from test_ui_support import (
    open_library,
    reader_of,
    screen_lines,
    settle,
    settled_reader,
    title_of,
    until,
)
from textual.widgets import OptionList

from river_tui.domain import Discovery, Paper, TriageState, parse_arxiv_id
from river_tui.reader.views import INBOX, NavKind, NavTarget
from river_tui.ui.components.authors import AuthorsScreen
from river_tui.ui.components.reader import ReaderScreen
from river_tui.ui.render import FOLLOWED_MARK

from conftest import detail_shown

PAPERS = [
    (1, "Temporal-difference learning", ["Richard S. Sutton", "Andrew G. Barto"], 20),
    (2, "Options between MDPs and semi-MDPs", ["Sutton, R.", "Precup, Doina"], 19),
    (3, "On formally undecidable propositions", ["Kurt Gödel"], 18),
    (4, "A paper by another", ["S. Sutton"], 17),
]


def add(db: Path, number: int, title: str, authors: list[str], day: int) -> int:
    with open_library(db) as lib:
        paper = Paper(
            title=title,
            abstract="An abstract.",
            arxiv=parse_arxiv_id(f"2601.{number:05d}"),
            authors=tuple(authors),
            published=date(2026, 1, day),
        )
        return lib.upsert_paper(paper, Discovery("test", datetime.now(UTC))).pk


def library(tmp_path: Path) -> Path:
    db = tmp_path / "lib.db"
    for paper in PAPERS:
        add(db, *paper)
    return db


def row_of(lines: list[str], title: str) -> str:
    """The stream's row of the paper whose title starts so (the middle pane of the line)."""
    rows = [line.split("││")[1] for line in lines if line.count("││") == 2]
    found = [row for row in rows if title in row]
    assert found, "\n".join(lines)
    return found[0]


def chooser_names(reader: ReaderScreen) -> list[str]:
    screen = reader.app.screen
    assert isinstance(screen, AuthorsScreen)
    options = screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_w_lists_the_authors_enter_shows_their_papers_f_follows(tmp_path: Path) -> None:
    db = library(tmp_path)
    async with settled_reader(db, size=(100, 30)) as (app, pilot, reader):
        assert reader.session.highlighted is not None
        assert reader.session.highlighted.title == PAPERS[0][1]
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, AuthorsScreen))
        assert [n.strip() for n in chooser_names(reader)] == PAPERS[0][2]
        await pilot.press("enter")  # the first author: Richard S. Sutton
        await settle(app, pilot)
        assert reader.session.view == NavTarget(NavKind.AUTHOR, "Richard S. Sutton")
        assert title_of(reader.stream).startswith("Papers by Richard S. Sutton · 2 (2 new)")
        titles = [reader.session.rows.paper_at(i).title for i in range(2)]  # type: ignore[union-attr]
        assert titles == [PAPERS[0][1], PAPERS[1][1]]

        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, AuthorsScreen))
        await pilot.press("f")  # follows the highlighted author, the chooser stays
        await pilot.pause()
        assert chooser_names(reader)[0] == f"{FOLLOWED_MARK} Richard S. Sutton  followed"
        await pilot.press("escape")
        await settle(app, pilot)
        with open_library(db) as lib:
            assert [a.name for a in lib.followed()] == ["Richard S. Sutton"]
        lines = screen_lines(app)
        assert FOLLOWED_MARK in row_of(lines, "Temporal-difference")
        assert FOLLOWED_MARK in row_of(lines, "Options between")  # "Sutton, R." is him too
        await detail_shown(pilot)
        shown = " ".join(reader.detail.text().split())  # the value wraps in its column
        assert f"{FOLLOWED_MARK} Richard S. Sutton, Andrew G. Barto" in shown

        # A refresh lands a new paper by him: the Inbox marks it, not the other Sutton's.
        add(db, 5, "A newer paper on eligibility traces", ["R. Sutton", "A. N. Other"], 25)
        reader.session.changed()
        reader.session.show_view(INBOX)
        await settle(app, pilot)
        lines = screen_lines(app)
        assert FOLLOWED_MARK in row_of(lines, "A newer paper on")
        assert FOLLOWED_MARK not in row_of(lines, "A paper by another")
        assert FOLLOWED_MARK not in row_of(lines, "On formally")
        # Read, it is no longer new: no mark.
        await pilot.press("r")
        await settle(app, pilot)
        with open_library(db) as lib:
            states = {p.title: p.state for p in lib.papers()}
        assert states["A newer paper on eligibility traces"] is TriageState.READ


async def test_f_on_a_paper_of_one_author_follows_and_again_unfollows(tmp_path: Path) -> None:
    db = library(tmp_path)
    async with settled_reader(db, size=(100, 30)) as (app, pilot, reader):
        await pilot.press("j", "j")  # On formally undecidable propositions: Kurt Gödel alone
        await pilot.pause()
        assert reader.session.highlighted is not None
        assert reader.session.highlighted.title == PAPERS[2][1]
        await pilot.press("f")
        await settle(app, pilot)
        assert FOLLOWED_MARK in row_of(screen_lines(app), "On formally")
        with open_library(db) as lib:
            assert [a.name for a in lib.followed()] == ["Kurt Gödel"]
        await pilot.press("f")
        await settle(app, pilot)
        assert FOLLOWED_MARK not in row_of(screen_lines(app), "On formally")
        with open_library(db) as lib:
            assert lib.followed() == []
        # On a paper of several authors, f opens the chooser.
        await pilot.press("g", "f")
        await until(pilot, lambda: isinstance(app.screen, AuthorsScreen))
        await pilot.press("escape")
        await pilot.pause()
        assert reader_of(app) is app.screen


async def test_a_paper_of_thousands_of_authors_lists_a_bounded_number(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    add(db, 1, "A big collaboration", [f"Author{i} Person{i}" for i in range(5_000)], 20)
    async with settled_reader(db, size=(100, 30)) as (app, pilot, reader):
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, AuthorsScreen))
        names = chooser_names(reader)
        assert len(names) == 51
        assert names[-1] == "… 4,950 more authors"
