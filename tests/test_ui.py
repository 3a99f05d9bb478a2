"""The reader, driven by keys as a person would."""

from __future__ import annotations

import atexit
import functools
import io
import shutil
import sqlite3
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from rich.console import Console
from test_ui_support import (
    nav_text,
    quiet_config,
    screen_lines,
    settle,
    settled_reader,
    workers_done,
)
from textual import events
from textual.app import App
from textual.content import Content
from textual.geometry import Region

from river_tui.domain import Discovery, Paper, PaperSummary
from river_tui.domain.claims import Post, SourceLink
from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.store.library import Library, PaperFilter
from river_tui.ui.app import RiverApp
from river_tui.ui.components.detail import DetailPane
from river_tui.ui.components.help import HelpScreen
from river_tui.ui.components.nav import NavKind, NavPane, NavTarget
from river_tui.ui.components.reader import ReaderScreen
from river_tui.ui.components.stream import PaperStream
from river_tui.ui.keys import bindings_of

from conftest import SEEDS, detail_shown

SIZE = (160, 48)
AS_OF = date(2026, 11, 22)
BEAT = "Frontier capability"
CAPO = "CAPO: Towards Enhancing LLM Reasoning through Verifiable Generative Credit Assignment"
EVIL_TITLE = "[bold red]Evil[/] [link=x]t"
EVIL_TAG = "[red]x[/]"


def seeded_library(tmp_path: Path) -> Path:
    """A library of every seed, this test's own: a copy of one imported once per test
    process (five imports, each parsed in a child process, cost more than the copy)."""
    path = tmp_path / "lib.db"
    with sqlite3.connect(_seeded_template()) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    return path


@functools.cache
def _seeded_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="river-seeded-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "lib.db"
    with Library.open(path, load_settings().beats) as lib:
        for seed in sorted(SEEDS.glob("*.txt")):
            import_file(lib, seed, as_of=AS_OF)
    return path


def stream_of(app: App[None]) -> PaperStream:
    return app.screen.query_one(PaperStream)


def nav_of(app: App[None]) -> NavPane:
    return app.screen.query_one(NavPane)


def detail_of(app: App[None]) -> DetailPane:
    return app.screen.query_one(DetailPane)


def row_text(stream: PaperStream, index: int) -> str:
    """What the stream draws for row ``index`` (which must be on screen)."""
    return stream.render_line(index - stream.scroll_offset.y).text


def rendered_rows(stream: PaperStream) -> list[PaperSummary]:
    rows = [stream.rows.paper_at(i) for i in range(stream.rows.count)]
    assert all(rows)
    return rows  # type: ignore[return-value]


async def press_until(pilot, key: str, done, limit: int = 100) -> None:
    for _ in range(limit):
        if done():
            return
        await pilot.press(key)
    assert done(), f"pressed {key!r} {limit} times without getting there"


async def test_stream_beat_and_detail_by_keys(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = RiverApp(db_path=db, config=load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        stream = stream_of(app)
        assert isinstance(app.screen, ReaderScreen)
        assert app.focused is stream
        await settle(app, pilot)  # the view's count (50+ until its job answers)
        assert stream.rows.count == 68
        assert str(stream.border_title) == "Inbox · 68 (68 new)"
        rows = rendered_rows(stream)
        dates = [r.published for r in rows if r.published]
        assert dates == sorted(dates, reverse=True)
        assert row_text(stream, 0).startswith("●  " + rows[0].published.isoformat())
        assert rows[0].title[:30] in row_text(stream, 0)

        # The detail follows the cursor.
        detail = detail_of(app)
        assert rows[0].title in detail.text()
        await pilot.press("j", "j", "down")
        assert stream.cursor == 3
        await detail_shown(pilot)
        assert rows[3].title in detail.text()
        await pilot.press("k")
        assert stream.cursor == 2
        await detail_shown(pilot)
        assert rows[2].title in detail.text()

        # Tab round to the navigation (stream -> detail -> nav), down to the beat, Enter.
        await pilot.press("tab")
        assert app.focused is detail
        await pilot.press("tab")
        nav = nav_of(app)
        assert app.focused is nav
        await press_until(
            pilot, "down", lambda: (t := nav.highlighted_target) is not None and t.value == BEAT
        )
        await pilot.press("enter")
        assert app.focused is stream
        with Library.open(db, load_settings().beats) as lib:
            expected = [p.pk for p in lib.papers(PaperFilter(beat=BEAT))]
        assert stream.rows.count == len(expected) == 44
        assert [r.pk for r in rendered_rows(stream)] == expected
        assert str(stream.border_title) == f"{BEAT} · 44 (44 new)"

        await press_until(pilot, "j", lambda: stream.highlighted.title == CAPO)
        await detail_shown(pilot)
        text = detail.text()
        assert text.startswith(CAPO)
        assert "Credit Assignment Policy Optimization (CAPO)" in text
        assert f"✓ {BEAT}" in text and "why: matched" in text
        assert CAPO[:30] in row_text(stream, stream.cursor)

        # Enter opens the paper: focus moves to the detail; Escape comes back.
        await pilot.press("enter")
        assert app.focused is detail
        await pilot.press("escape")
        assert app.focused is stream
        await pilot.press("G")
        assert stream.cursor == 43
        assert stream.highlighted.title[:30] in row_text(stream, 43)  # the last row, drawn
        await pilot.press("g")
        assert stream.cursor == 0
        assert len(stream.children) == 0  # rows are drawn, not widgets

        # A view with no papers says so.
        assert app.reader.session.show_view(NavTarget(NavKind.ARCHIVED))
        await pilot.pause()
        assert stream.highlighted is None
        assert "No papers in this view." in stream.render_line(0).text


async def test_a_held_key_moves_the_cursor_and_the_detail_follows_once(tmp_path: Path) -> None:
    """A cursor move repaints its two rows at once; the detail pane is filled once, when the
    cursor rests, not for every row a held-down key passes."""
    db = seeded_library(tmp_path)
    app = RiverApp(db_path=db, config=load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await detail_shown(pilot)
        stream, detail = stream_of(app), detail_of(app)
        shown: list[int | None] = []
        show_paper = detail.show_paper
        detail.show_paper = lambda record, **kw: (  # type: ignore[method-assign]
            shown.append(record and record.pk),
            show_paper(record, **kw),
        )[-1]
        repainted: list[Region | None] = []  # None: the whole pane
        refresh = stream.refresh

        def counted_refresh(*regions: Region, **kw: bool) -> PaperStream:
            repainted.extend(regions or [None])
            return refresh(*regions, **kw)

        stream.refresh = counted_refresh  # type: ignore[method-assign]
        app.simulate_key("j")  # no wait between keys: a key held down
        app.simulate_key("j")
        app.simulate_key("j")
        await pilot.pause()
        assert stream.cursor == 3
        # Only the rows the cursor left and reached were asked to repaint: never the whole pane.
        assert None not in repainted
        assert {region.y for region in repainted} <= {0, 1, 2, 3}
        await detail_shown(pilot)
        assert shown == [stream.rows.paper_at(3).pk]
        assert stream.rows.paper_at(3).title in detail.text()


async def test_rows_are_rendered_once_and_redrawn_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from river_tui.ui.components import stream as stream_module

    rendered: list[int] = []
    paper_row = stream_module.paper_row

    def rendering(paper: PaperSummary, width: int, *rest: bool):  # type: ignore[no-untyped-def]
        rendered.append(paper.pk)
        return paper_row(paper, width, *rest)

    monkeypatch.setattr(stream_module, "paper_row", rendering)
    db = seeded_library(tmp_path)
    app = RiverApp(db_path=db, config=load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        stream = stream_of(app)
        before = row_text(stream, 5)
        rendered.clear()
        assert row_text(stream, 5) == before
        assert rendered == []  # the same row again: from the cache
        # A change of state renders the row anew (the key is the whole summary).
        await pilot.press("j", "j", "j", "j", "j", "s")
        assert stream.rows.paper_at(5).starred
        assert "★" in row_text(stream, 5) and "★" not in before


async def test_dossier_and_river(tmp_path: Path) -> None:
    app = RiverApp(db_path=seeded_library(tmp_path), config=load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the navigation's counts are in
        nav, detail = nav_of(app), detail_of(app)
        await pilot.press("shift+tab")
        assert app.focused is nav
        await pilot.press("G")  # the last entry: the River of #credit-assignment
        assert nav.highlighted_target.kind is NavKind.RIVER
        await pilot.press("k")
        assert nav.highlighted_target.kind is NavKind.DOSSIER
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is detail
        text = detail.text()
        assert text.startswith("The capability frontier is shifting from model scale")
        for label, value in (
            ("agent", "Juno"),
            ("model", "claude-opus-4-8"),
            ("oversight", "human-on-loop"),
        ):
            assert f"{label:<13}{value}" in text
        assert "status       seedling" in text and "importance   5/10" in text
        assert "canonical    /dossier/training-methodology-frontier-shift" in text
        cards = [c.content.plain for c in detail.query(".card")]
        assert len(cards) == 3
        assert all(card.startswith("[caveat]  claim") for card in cards)
        assert cards[0].count("2026-06-04  asserted as caveat — First asserted.") == 1
        assert "Lambda Labs presented AgentFlow" in cards[0]

        await pilot.press("tab")  # detail -> nav
        await pilot.press("G", "enter")
        await pilot.pause()
        assert str(detail.border_title) == "River #credit-assignment · 2"
        posts = [c.content.plain for c in detail.query(".card")]
        assert len(posts) == 2
        assert all(p.startswith("[caveat] Juno @juno\nFrontier capability · 4d") for p in posts)
        assert "web   ICLR 2026: 12 papers" in posts[0]
        assert (
            "paper Reinforcement Learning from Rich Feedback with Distributional DAgger"
            in (posts[1])
        )
        assert "https://arxiv.org/abs/2606.05152" in posts[1]


async def test_empty_library_gets_the_sample(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    Library.open(db, load_settings().beats).close()
    app = RiverApp(db_path=db, config=load_settings())
    async with app.run_test(size=SIZE) as pilot:
        # The reader is the first screen (no empty default screen beneath it to compose), and
        # the app's work that needs it mounted (the sample, here) waits for it to be ready.
        assert app.screen_stack == [app.reader]
        await workers_done(app)
        await pilot.pause()
        stream = stream_of(app)
        assert stream.rows.count == 68
        assert str(stream.border_title) == "Inbox · 68 (68 new)"
        assert stream.highlighted is not None
        await detail_shown(pilot)
        assert stream.highlighted.title in detail_of(app).text()
        nav = nav_of(app)
        kinds = {t.kind for t in nav.targets}
        assert {NavKind.DOSSIER, NavKind.RIVER} <= kinds
        assert "Dossiers" in nav_text(nav)
    assert app.library is None  # closed on unmount


async def test_a_commit_seen_once_the_reader_closes_is_ignored(tmp_path: Path) -> None:
    """The library watch may fire while River quits, some panes already gone (seen in CI as
    `NoMatches: PaperStream`, then as `NoMatches: #detail-body`): Textual stops the app, then
    removes its screens; once the app has stopped running, a commit seen does nothing."""
    db = seeded_library(tmp_path)
    app = RiverApp(db_path=db, config=load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session is not None
    with Library.open(db, load_settings().beats) as other:  # another process commits
        other.set_starred(other.papers(limit=1)[0].pk, True)
    assert not app.is_running and app.session is None
    app.check_other_writers()  # no exception: nothing to show it in


async def test_markup_in_titles_is_inert(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    with Library.open(db, load_settings().beats) as lib:
        lib.upsert_paper(
            Paper(title=EVIL_TITLE, abstract="[i]a[/i]"), Discovery("test", datetime.now(UTC))
        )
        post = Post(EVIL_TAG, "[b]Mallory", "[i]m", "[red]beat", "1d", "caveat", "[blink]body")
        post.sources.append(SourceLink.make("web", "http://e/[x]", "[link=http://e]label"))
        lib.save_posts(EVIL_TAG, [post])
    app = RiverApp(db_path=db, config=load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the navigation's counts are in
        stream = stream_of(app)
        await pilot.press("end")  # undated papers come last, the newest of them first
        await press_until(pilot, "k", lambda: stream.highlighted.title == EVIL_TITLE, limit=10)
        strip = stream.render_line(stream.cursor - stream.scroll_offset.y)
        assert EVIL_TITLE in strip.text
        assert all(seg.style is None or not seg.style.link for seg in strip)
        await detail_shown(pilot)  # the pane follows the cursor once it rests
        text = detail_of(app).text()
        assert text.startswith(EVIL_TITLE + "\n")
        assert "[i]a[/i]" in text
        body = detail_of(app).body.visual
        assert not any("link" in str(span.style) for span in body.spans)

        # A river whose tag, author and body look like markup.
        nav = nav_of(app)
        target = next(t for t in nav.targets if t.value == EVIL_TAG)
        index = nav.get_option_index(target.key)
        console = Console(width=40, record=True, file=io.StringIO())
        console.print(nav.get_option_at_index(index).prompt)
        assert "#" + EVIL_TAG in console.export_text()
        await pilot.press("shift+tab")
        nav.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        (card,) = detail_of(app).query(".card")
        plain = card.content.plain
        for literal in (
            "[b]Mallory @[i]m",
            "[red]beat · 1d",
            "[blink]body",
            "[link=http://e]label",
        ):
            assert literal in plain
        # border_title reads back as markup: escaped, so it shows the brackets.
        title = Content.from_markup(detail_of(app).border_title).plain
        assert title == f"River #{EVIL_TAG} · 1"


async def test_help_lists_the_search_keys_in_one_place_before_and_after_the_bar_is_built(
    tmp_path: Path,
) -> None:
    """The search bar is built the first time '/' opens it; the help lists its keys before
    that too, between the navigation pane's and the stream's (where the bar is)."""
    app = RiverApp(db_path=seeded_library(tmp_path), config=load_settings())

    async def help_titles(pilot) -> list[str]:  # type: ignore[no-untyped-def]
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        titles = [title for title, _rows in app.screen.sections]
        await pilot.press("escape")
        await pilot.pause()
        return titles

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.search_bar is None
        before = await help_titles(pilot)
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert reader.search_bar is not None
        assert await help_titles(pilot) == before
        at = before.index("Search")
        assert before[at - 1 : at + 2] == ["Navigation pane", "Search", "Paper stream"]


async def test_a_narrow_footer_shows_no_stray_letter(tmp_path: Path) -> None:
    """At 80 columns the footer's keys run on under the palette's key, docked right: the last
    column showed one of their letters ('^p Command palettep'), which Textual's compact footer
    left uncovered."""
    app = RiverApp(db_path=seeded_library(tmp_path), config=quiet_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for pane in ("stream", "detail"):
            app.screen.query_one(f"#{pane}").focus()
            await pilot.pause()
            await pilot.pause()
            footer = screen_lines(app)[-1]
            assert footer.rstrip().endswith("^p Command palette"), (pane, footer)


async def test_the_footer_is_hidden_under_a_dialog(tmp_path: Path) -> None:
    """The footer lists the reader's keys, which do not reach a dialog: under one (the tagger,
    the help) its row is left blank, and the keys come back with the reader."""
    from textual.widgets import Footer

    async with settled_reader(seeded_library(tmp_path)) as (app, pilot, reader):
        footer = reader.query_one(Footer)
        assert footer.visible
        for opener in ("t", "question_mark"):
            await pilot.press(opener)
            await pilot.pause()
            assert app.screen is not reader and not footer.visible, opener
            footer_row = screen_lines(app)[-1]
            assert "Read/unread" not in footer_row, opener
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is reader and footer.visible, opener


@pytest.mark.parametrize("quit_key", ["q", "Q"])
async def test_q_quits_from_the_help_and_the_pickers_too(tmp_path: Path, quit_key: str) -> None:
    """The app's ordinary bindings do not reach a modal screen: each dialog without a text
    field binds 'q' again, with the app's id, so it quits there too, and ``[keys]`` remaps it
    there as well (a second reading found 'q' did not quit from them once it was an ordinary
    binding). The help lists it once, under the app's keys."""
    db = seeded_library(tmp_path)
    keys = {} if quit_key == "q" else {"quit": quit_key}
    for opener in ("question_mark", "D", "b"):
        app = RiverApp(db_path=db, config=quiet_config(keys=keys))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press(opener)
            await pilot.pause()
            assert not isinstance(app.screen, ReaderScreen), opener
            if opener == "question_mark":
                text = app.screen.query_one("#help-text").content.plain
                assert [line.split()[-1:] for line in text.splitlines()].count(["quit"]) == 1
            if quit_key != "q":
                await pilot.press("q")
                await pilot.pause()
                assert app.is_running and not isinstance(app.screen, ReaderScreen), opener
            await pilot.press(quit_key)
            await pilot.pause()
            assert not app.is_running, opener


async def test_help_lists_every_binding_and_q_quits(tmp_path: Path) -> None:
    app = RiverApp(db_path=seeded_library(tmp_path), config=load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#help-text").content.plain
        lines = [line.split() for line in text.splitlines()]
        assert ["^q", "/", "q", "Quit", "quit"] in lines
        assert ["?", "Help", "help"] in lines
        assert ["esc", "/", "?", "Close", "help", "help.close"] in lines
        reader = app.screen_stack[-2]
        widgets = (app, reader, *reader.query("NavPane, PaperStream, DetailPane"))
        ids = [[b.id] for widget in widgets for b in bindings_of(widget) if b.id]
        # A long description wraps in its column, under itself: read it without the ids.
        lines = [line.split() for line in text.splitlines()]
        words = " ".join(w for line in lines for w in (line[:-1] if line[-1:] in ids else line))
        for widget in widgets:
            for binding in bindings_of(widget):
                if binding.id:  # the ids are what [keys] remaps: every one is listed
                    assert binding.description in words, binding
                    assert binding.id in text, binding
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_a_key_typed_before_the_reader_is_built_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader mounts on its own (it is Textual's default screen): a `q` typed ahead, before
    its panes exist, quits once they do, not halfway through building them (a traceback)."""
    apply_keys = RiverApp.apply_keys

    def typed_ahead(self: RiverApp) -> None:
        apply_keys(self)
        self.post_message(events.Key("q", "q"))

    monkeypatch.setattr(RiverApp, "apply_keys", typed_ahead)
    app = RiverApp(db_path=seeded_library(tmp_path), config=load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_code == 0
    assert app.reader is not None and app.reader.ready.is_set()
