"""The reader's views, sort and search: what each shows is what the library selects."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest
from test_ui import BEAT, SIZE, seeded_library
from test_ui_support import (
    ARXIV_TITLE,
    DOSSIER_SLUG,
    add_linked_papers,
    choose,
    nav_text,
    open_library,
    quiet_config,
    reader_of,
    settle,
    settled_reader,
    title_of,
    type_text,
    until,
)
from textual.strip import Strip
from textual.widgets import OptionList

from river_tui.domain import TriageState
from river_tui.reader.rows import PAGE
from river_tui.reader.session import ReaderSession
from river_tui.reader.views import INBOX, NavKind, NavTarget
from river_tui.remembered import SAVED_SEARCHES, load_searches, save_search
from river_tui.store.library import PaperFilter
from river_tui.ui.app import RiverApp
from river_tui.ui.components.dialogs import ConfirmScreen, NameScreen
from river_tui.ui.components.reader import ReaderScreen
from river_tui.ui.components.search import SearchBar
from river_tui.ui.components.stream import PaperStream
from river_tui.ui.render import count_title

from conftest import detail_shown

FIRST_ROWS = 5


def decide_some(db: Path) -> None:
    """Two starred papers, one skipped, one archived, one read and one user tag."""
    with open_library(db) as lib:
        pks = [p.pk for p in lib.papers(limit=8)]
        lib.set_starred(pks[0], True)
        lib.set_starred(pks[5], True)
        lib.set_state(pks[1], TriageState.SKIPPED)
        lib.set_state(pks[2], TriageState.ARCHIVED)
        lib.set_state(pks[3], TriageState.READ)
        lib.add_tag(pks[4], "to-cite")
        save_search(lib, "Policies", "policy optimization")


def expected_view(db: Path, flt: PaperFilter) -> tuple[int, int, list[int]]:
    with open_library(db) as lib:
        count = lib.count(flt)
        if flt.state is None:
            unread = lib.count(dataclasses.replace(flt, state=TriageState.NEW))
        else:
            unread = count if flt.state is TriageState.NEW else 0
        return count, unread, [p.pk for p in lib.papers(flt, limit=FIRST_ROWS)]


async def test_every_view_is_listed_with_its_count(tmp_path: Path) -> None:
    """The pane lists every kind of view, each with its count, the Inbox chosen (what each
    view then shows: test_reader_session)."""
    db = seeded_library(tmp_path)
    add_linked_papers(db)
    decide_some(db)
    app = RiverApp(db_path=db, config=quiet_config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        reader = reader_of(app)
        stream = reader.stream
        # The reader opens on the inbox.
        assert stream.rows.label == "Inbox" and stream.rows.filter.state is TriageState.NEW
        assert reader.nav.highlighted_target == NavTarget(NavKind.INBOX)
        # What a beat's rules leave out is listed once the beat has a model (test_ui_learning);
        # an author's papers open from a paper (w), a view of similar papers by m; the claims
        # under review while there are any (test_ui_review).
        # A feed's papers are listed once feeds are configured (test_ui_feeds).
        kinds = set(NavKind) - {
            NavKind.HIDDEN,
            NavKind.AUTHOR,
            NavKind.SIMILAR,
            NavKind.REVIEW,
            NavKind.FEED,
        }
        assert {t.kind for t in reader.nav.targets} == kinds
        # A view chosen in the pane fills the stream.
        await choose(pilot, app, NavTarget(NavKind.STARRED))
        count, unread, first = expected_view(db, PaperFilter(starred=True))
        assert stream.rows.count == count == 2 and stream.highlighted.pk == first[0]
        assert title_of(stream) == count_title("Starred", count, unread).plain

        # Each view in the pane is listed with its count.
        lines = [line.split() for line in nav_text(reader.nav).splitlines()]
        for line in (
            ["Inbox", "67", "new"],
            ["Starred", "2"],
            ["Skipped", "1"],
            ["Archived", "1"],
            ["All", "papers", "70", "·", "67", "new"],
            ["⌕", "Policies", "21"],
            ["#to-cite", "1"],
            ["1", "claim", "·", "2", "papers", "cited"],
        ):
            assert line in lines, line


async def test_a_dossier_shows_its_claims_and_the_papers_it_cites(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    add_linked_papers(db)
    app = RiverApp(db_path=db, config=quiet_config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        reader = reader_of(app)
        await choose(pilot, app, NavTarget(NavKind.DOSSIER, DOSSIER_SLUG))
        assert app.focused is reader.detail
        assert reader.detail.text().startswith("A dossier that cites two papers")
        assert reader.stream.rows.count == 2
        title = "Cited by “A dossier that cites two pa…” · 2 (2 new)"
        assert title_of(reader.stream) == title
        assert reader.stream.highlighted.title == ARXIV_TITLE
        # Moving in the stream shows the papers.
        await pilot.press("escape", "j")
        await detail_shown(pilot)
        assert reader.detail.text() != "" and "A dossier" not in reader.detail.text()
        await pilot.press("k")
        await detail_shown(pilot)
        assert reader.detail.text().startswith(ARXIV_TITLE)


async def search_for(pilot, app: RiverApp, text: str) -> SearchBar:
    reader = reader_of(app)
    await pilot.press("slash")
    bar = reader.search_bar
    assert bar is not None and app.focused is bar.input
    await type_text(pilot, text)
    return bar


async def test_search_as_you_type_then_keep_or_clear(tmp_path: Path) -> None:
    """'/' opens the bar, typing shows the papers found, Enter keeps the query and goes back to
    them, '/' shows the query kept, Escape clears it (the results of many queries, and a
    search within a view: test_reader_session)."""
    db = seeded_library(tmp_path)
    app = RiverApp(db_path=db, config=quiet_config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        reader = reader_of(app)
        stream = reader.stream
        await choose(pilot, app, NavTarget(NavKind.ALL))
        query = "policy optimization"
        bar = await search_for(pilot, app, query)
        typed = PaperFilter(query=query, type_ahead=True)
        # The first page shows first; a full page is counted a moment later.
        await until(pilot, lambda: stream.rows.filter == typed and not stream.rows.counting)
        count, unread, first = expected_view(db, typed)
        assert 0 < count < 68
        assert stream.highlighted.pk == first[0]
        assert title_of(stream) == str(count_title("All papers", count, unread, query))
        # Enter keeps the filter (the query as a whole) and goes back to the papers.
        await pilot.press("enter")
        final = PaperFilter(query=query)
        await until(pilot, lambda: stream.rows.filter == final and not stream.rows.counting)
        assert not bar.display and app.focused is stream
        # / again shows the text kept; Escape clears it.
        await pilot.press("slash")
        assert bar.input.value == query
        await pilot.press("escape")
        await settle(app, pilot)
        assert stream.rows.filter == PaperFilter() and stream.rows.count == 68
        assert not bar.display and bar.input.value == "" and app.focused is stream


async def test_a_bad_query_says_what_is_wrong_and_where(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = RiverApp(db_path=db, config=quiet_config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        reader = reader_of(app)
        stream = reader.stream
        bar = await search_for(pilot, app, "credit")
        await until(pilot, lambda: stream.rows.filter.query == "credit")
        shown = [p.pk for p in map(stream.rows.paper_at, range(stream.rows.count)) if p]
        bar.input.insert_text_at_cursor(" foo:bar")  # pasted: one change, no query on the way
        await until(pilot, lambda: bool(bar.error))
        assert bar.error.startswith("✗ unknown field 'foo:' (at character 8)")
        await until(pilot, lambda: not stream.rows.counting)  # the last good results stay
        assert stream.rows.filter.query == "credit"
        assert [stream.rows.paper_at(i).pk for i in range(len(shown))] == shown  # type: ignore[union-attr]
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert bar.display and app.focused is bar.input  # Enter does not keep a bad query
        await pilot.press(*["backspace"] * 8)
        await until(pilot, lambda: not bar.error)


async def test_saved_searches_are_named_listed_chosen_and_deleted(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = RiverApp(db_path=db, config=quiet_config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        reader = reader_of(app)
        await search_for(pilot, app, "credit")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*["backspace"] * 6)
        await type_text(pilot, "Credit work")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReaderScreen)
        with open_library(db) as lib:
            assert load_searches(lib) == {"Credit work": "credit"}
            expected = lib.count(PaperFilter(query="credit"))
        target = NavTarget(NavKind.SEARCH, "Credit work")
        assert target in reader.nav.targets
        assert ("Credit work", "credit", expected) in reader.session.counts.searches

        await choose(pilot, app, target)
        assert reader.stream.rows.count == expected
        assert reader.stream.rows.filter == PaperFilter(query="credit")
        assert title_of(reader.stream).startswith("Credit work ⌕ credit · ")

        await choose(pilot, app, target)
        reader.nav.focus()
        await pilot.press("d")  # asks first (no undo brings a saved search back): no keeps it
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Credit work" in str(app.screen.question) and "credit" in str(app.screen.question)
        await pilot.press("n")
        await settle(app, pilot)
        with open_library(db) as lib:
            assert load_searches(lib) == {"Credit work": "credit"}
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        with open_library(db) as lib:
            assert load_searches(lib) == {}
        assert target not in reader.nav.targets
        assert reader.stream.rows.label == "Inbox"


@pytest.mark.parametrize(
    "raw", ["{not json", pytest.param("[" * 50_000 + "]" * 50_000, id="nested-50000-deep")]
)
async def test_damaged_saved_searches_read_as_none(tmp_path: Path, raw: str) -> None:
    """The library keeps the saved searches as JSON: a damaged value (nested too deeply for
    Python's JSON decoder: a RecursionError) is no saved search, and the reader opens."""
    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        lib.set_meta(SAVED_SEARCHES, raw)
        assert load_searches(lib) == {}
    async with settled_reader(db) as (_app, _pilot, reader):
        assert "⌕" not in nav_text(reader.nav)
        assert "Inbox" in nav_text(reader.nav)


async def test_saving_a_search_under_a_name_taken_asks_first(tmp_path: Path) -> None:
    """A saved search's name given again for another query: River asks before replacing it
    (it replaced it without a word); 'n' asks for another name."""
    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        save_search(lib, "memory", "memory")
    async with settled_reader(db) as (app, pilot, _reader):

        async def save_as(name: str) -> None:
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, NameScreen)
            await pilot.press(*["backspace"] * 12)
            await type_text(pilot, name)
            await pilot.press("enter")
            await pilot.pause()

        await search_for(pilot, app, "agent")
        await save_as("memory")
        assert isinstance(app.screen, ConfirmScreen)
        assert "“memory” (memory) with agent" in str(app.screen.question)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)  # another name, then
        await pilot.press("escape")
        await settle(app, pilot)
        with open_library(db) as lib:
            assert load_searches(lib) == {"memory": "memory"}
        await save_as("memory")
        await pilot.press("y")
        await settle(app, pilot)
        await save_as("agents")  # a new name: no question
        await settle(app, pilot)
        with open_library(db) as lib:
            assert load_searches(lib) == {"memory": "agent", "agents": "agent"}


async def test_names_that_look_like_markup_stay_text(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        pk = lib.papers(PaperFilter(state=TriageState.NEW), limit=1)[0].pk
        lib.add_tag(pk, "[b]bold[/b]")
        save_search(lib, "[red]Evil[/]", "credit")
    app = RiverApp(db_path=db, config=quiet_config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        reader = reader_of(app)
        text = nav_text(reader.nav)
        assert "#[b]bold[/b]" in text and "⌕ [red]Evil[/]" in text

        # The tagger lists the paper's own tag as written.
        await pilot.press("t")
        prompts = [
            app.screen.query_one("OptionList").get_option_at_index(i).prompt.plain
            for i in range(app.screen.query_one("OptionList").option_count)
        ]
        assert "− #[b]bold[/b]  remove from this paper" in prompts
        await pilot.press("escape")

        # The palette too.
        await pilot.press("ctrl+p")
        await type_text(pilot, "go to search")
        await pilot.pause(0.3)
        commands = app.screen.query_one("CommandList", OptionList)
        shown = [commands.get_option_at_index(i).prompt.plain for i in range(commands.option_count)]
        assert any("Go to search [red]Evil[/]" in line for line in shown), shown
        await pilot.press("enter")
        await until(pilot, lambda: reader.stream.rows.label == "[red]Evil[/]")
        assert title_of(reader.stream).startswith("[red]Evil[/] ⌕ credit · ")


async def test_the_navigation_lists_views_and_beats_while_counting() -> None:
    from textual.app import App, ComposeResult

    from river_tui.reader.views import NavCounts
    from river_tui.ui.components.nav import NavPane

    chosen: list[NavTarget] = []

    class NavApp(App[None]):
        def compose(self) -> ComposeResult:
            yield NavPane(chosen.append)

    app = NavApp()
    async with app.run_test(size=(40, 30)) as pilot:
        nav = app.query_one(NavPane)
        nav.show_counts(NavCounts.counting([BEAT]))
        await pilot.pause()
        lines = [line.split() for line in nav_text(nav).splitlines()]
        assert ["Inbox", "…"] in lines and [*BEAT.split(), "…"] in lines
        assert lines.count(["counting…"]) == 4
        assert nav.highlighted_target == NavTarget(NavKind.INBOX)
        nav.focus()
        await pilot.press("down", "down", "enter")
        assert chosen == [NavTarget(NavKind.STARRED)]


async def test_keys_typed_ahead_of_the_search_bar_go_into_it(tmp_path: Path) -> None:
    """'/' and a query arriving at once (over SSH, from a fast typist): the keys after '/'
    reached the stream before '/' had moved the focus to the search bar, and ran as the
    papers' keys: '/asxr' archived, starred, skipped and read papers, '/q…' quit. They are the
    query's, in the order typed, and so is a paste."""
    from textual import events

    db = seeded_library(tmp_path)

    def decisions() -> list[tuple[int, TriageState, bool]]:
        with open_library(db) as lib:
            return [(p.pk, p.state, p.starred) for p in lib.papers(PaperFilter())]

    before = decisions()
    async with settled_reader(db) as (app, pilot, reader):
        for key in ("slash", "q", "a", "s", "x", "r"):
            app.post_message(events.Key(key, "/" if key == "slash" else key))  # all queued
        await until(pilot, lambda: reader.stream.rows.filter.query == "qasxr")
        bar = reader.search_bar
        assert bar is not None and bar.input.value == "qasxr" and app.focused is bar.input
        assert app.is_running
        await pilot.press("escape")
        app.post_message(events.Key("slash", "/"))
        app.post_message(events.Paste("credit"))
        await until(pilot, lambda: reader.stream.rows.filter.query == "credit")
        assert bar.input.value == "credit"
    assert decisions() == before


async def test_a_slash_is_typed_in_the_search_bar(tmp_path: Path) -> None:
    """'/' opens the bar and, in it, is typed: a tag such as 'a/b' can be made, so it can be
    searched for. It was lost: Textual cannot turn the key name 'slash' back into '/', so the
    input did not claim it ahead of the reader's priority binding."""
    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        pk = lib.papers(PaperFilter())[3].pk
        lib.add_tag(pk, "a/b")
    async with settled_reader(db) as (app, pilot, reader):
        await pilot.press("slash")
        await type_text(pilot, "tag:a/b")
        await pilot.press("enter")
        await settle(app, pilot)
        assert reader.search_bar is not None and reader.search_bar.input.value == "tag:a/b"
        stream = reader.stream
        assert stream.rows.count == 1 and stream.highlighted.pk == pk


async def test_keys_typed_with_a_key_that_moves_the_focus_follow_it(tmp_path: Path) -> None:
    """'h j ⏎' arriving at once (over SSH): 'h' takes the focus to the left pane, so 'j' and
    Enter choose the view under the Inbox there (For you). They had moved the stream's cursor
    and opened the second paper (marking it read after the delay): the focus moved behind them.
    'l j' from the left pane moves the stream's cursor, not the left pane's."""
    from textual import events

    db = seeded_library(tmp_path)
    async with settled_reader(db) as (app, pilot, reader):
        stream = reader.stream
        for key, character in (("h", "h"), ("j", "j"), ("enter", None)):
            app.post_message(events.Key(key, character))  # all queued before any is handled
        await until(pilot, lambda: reader.session.view == NavTarget(NavKind.FOR_YOU))
        await settle(app, pilot)
        assert app.focused is stream and stream.cursor == 0
        await pilot.press("h", "k", "enter")
        await settle(app, pilot)
        assert reader.session.view == INBOX and app.focused is stream
        await pilot.press("h")
        highlighted = reader.nav.highlighted
        for key in ("l", "j"):
            app.post_message(events.Key(key, key))
        await until(pilot, lambda: stream.cursor == 1)
        assert app.focused is stream and reader.nav.highlighted == highlighted
        # Enter on a view and 'x' at once: 'x' skips the first paper of the view chosen. It
        # skipped the paper under the cursor of the view left (the view was chosen through a
        # message, after 'x' had been handled).
        left = stream.highlighted
        await pilot.press("h", "j", "j", "j", "j", "j")  # All papers
        for key, character in (("enter", None), ("x", "x")):
            app.post_message(events.Key(key, character))
        await until(pilot, lambda: reader.session.view == NavTarget(NavKind.ALL))
        await settle(app, pilot)
        with open_library(db) as lib:
            first = lib.papers(PaperFilter())[0]
            assert lib.record(first.pk).state is TriageState.SKIPPED
            assert lib.record(left.pk).state is TriageState.NEW
        assert left.pk != first.pk and app.focused is stream
        # Enter on a paper and 'j' at once: the paper opens in the detail pane, which scrolls;
        # the stream's cursor stays (it moved to the next paper, the detail pane following).
        cursor = stream.cursor
        for key, character in (("enter", None), ("j", "j")):
            app.post_message(events.Key(key, character))
        await until(pilot, lambda: app.focused is reader.detail)
        await settle(app, pilot)
        assert stream.cursor == cursor and reader.detail_pk == stream.highlighted.pk
        # Back from the detail pane and 'j' at once: the stream's cursor moves.
        for key in ("h", "j"):
            app.post_message(events.Key(key, key))
        await until(pilot, lambda: stream.cursor == cursor + 1)
        assert app.focused is stream


async def test_keys_typed_right_after_enter_in_the_search_bar_are_the_papers(
    tmp_path: Path,
) -> None:
    """A query, Enter and more keys arriving at once (over SSH): the keys after Enter are the
    papers', once the search's last page is shown. They had gone into the query ('credit⏎js'
    searched for 'creditjs' and starred nothing)."""
    from textual import events

    db = seeded_library(tmp_path)
    async with settled_reader(db) as (app, pilot, reader):
        stream = reader.stream
        await search_for(pilot, app, "credit")
        await until(pilot, lambda: stream.rows.filter.query == "credit")
        for key in ("enter", "j", "s"):
            app.post_message(events.Key(key, None if key == "enter" else key))  # all queued
        final = PaperFilter(state=TriageState.NEW, query="credit")
        await until(pilot, lambda: stream.rows.filter == final and stream.cursor == 1)
        await settle(app, pilot)
        assert app.focused is stream and reader.search_bar is not None
        assert reader.search_bar.input.value == "credit"
        with open_library(db) as lib:
            second = lib.papers(final)[1]
            assert (lib.record(second.pk) or second).starred
            archived = lib.count(PaperFilter(state=TriageState.ARCHIVED))
        # A paste right after Enter is not the query's either.
        await pilot.press("slash")
        for event in (events.Key("enter", None), events.Paste("xyz"), events.Key("k", "k")):
            app.post_message(event)
        await until(pilot, lambda: stream.rows.filter == final and stream.cursor == 0)
        await settle(app, pilot)
        assert reader.search_bar.input.value == "credit" and app.focused is stream
        # Once the bar is built: '/', a query and Enter at once. The keys before Enter are
        # the query's ('a' is also the papers' Archive: it must not be taken for one).
        await pilot.press("escape")
        for key in ("slash", *"agents", "enter"):
            app.post_message(events.Key(key, {"slash": "/", "enter": None}.get(key, key)))
        agents = PaperFilter(state=TriageState.NEW, query="agents")
        await until(pilot, lambda: stream.rows.filter == agents and app.focused is stream)
        await settle(app, pilot)
        with open_library(db) as lib:
            assert lib.count(PaperFilter(state=TriageState.ARCHIVED)) == archived


async def test_the_first_screen_is_drawn_before_the_view_is_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Inbox's counting thread starts once its first page is drawn: opening its connection
    would share the interpreter with the drawing of the first screen (7 ms of it)."""
    db = seeded_library(tmp_path)
    events: list[str] = []
    count_view, render_line = ReaderSession.count_view, PaperStream.render_line

    def counting(self: ReaderSession) -> None:
        events.append("count")
        count_view(self)

    def drawing(self: PaperStream, y: int) -> Strip:
        if self.rows.paper_at(self.scroll_offset.y + y) is not None and "frame" not in events:
            events.append("frame")  # a row of the first page is drawn
        return render_line(self, y)

    monkeypatch.setattr(ReaderSession, "count_view", counting)
    monkeypatch.setattr(PaperStream, "render_line", drawing)
    app = RiverApp(db_path=db, config=quiet_config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        stream = reader_of(app).stream
        assert not stream.rows.counting and stream.rows.count > PAGE
    assert events[:2] == ["frame", "count"]


async def test_a_view_is_counted_though_a_dialog_came_and_went_before_it_was_drawn(
    tmp_path: Path,
) -> None:
    """The count starts after the page is drawn: Textual hands that callback to the screen on
    top, and drops it if that screen closes before it is drawn. A timer starts it then (a
    second reading found the title left at "50+" for good)."""
    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        total = lib.count()
    async with settled_reader(db) as (app, pilot, reader):
        stream = reader.stream
        assert reader.session.show_view(NavTarget(NavKind.ALL))
        app.push_screen(ConfirmScreen("Delete?"))  # before the reader hands the callback on
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        app.pop_screen()  # before it is drawn
        await until(pilot, lambda: not stream.rows.counting)
        assert stream.rows.count == total
