"""Feeds in the reader, as a person sees them: each feed is a view in the left pane and in the
palette, its papers under a title that names it; ``F`` lists the feeds with their last fetch,
adds one (checked by a fetch in a thread: the reader keeps answering), renames and removes."""

from __future__ import annotations

import dataclasses
import os
import threading
from pathlib import Path

from test_ui import seeded_library
from test_ui_support import (
    choose,
    messages,
    screen_lines,
    settle,
    settled_reader,
    title_of,
    type_text,
    until,
)

from river_tui.domain import Source
from river_tui.reader.views import NavKind, NavTarget
from river_tui.refresh import Refresher, make_fetcher, plan
from river_tui.settings import Settings, load_settings
from river_tui.store.library import Library
from river_tui.ui.components.feeds import FeedsScreen

from conftest import FIXTURES
from httpserver import LocalServer, RecordedRequest, Reply, local_server

__all__ = ["local_server"]

RSS = FIXTURES / "arxiv_rss_cs.LG_2026-04-27_3items.xml"
RSS_TITLE = "cs.LG updates on arXiv.org"
HF_JSON = FIXTURES / "hf_daily_papers_2026-06-12_sotawhat.json"
ELSEWHERE = "http://sources.invalid:9"
"""The other sources: never asked, on another host than the feeds (the arXiv limit of one
request every 3 s is kept per host)."""


def config_with(feeds_toml: str) -> Settings:
    """The user's config.toml with ``feeds_toml``, as River reads it, without the background
    refresh and with the other sources elsewhere."""
    path = Path(os.environ["RIVER_CONFIG_DIR"]) / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# mine\n[refresh]\ninterval_minutes = 0\n{feeds_toml}", encoding="utf-8")
    config = load_settings()
    sources = dataclasses.replace(
        config.sources, hf_url=ELSEWHERE, arxiv_api_url=ELSEWHERE, arxiv_rss_url=ELSEWHERE
    )
    return dataclasses.replace(config, sources=sources)


def refreshed(db: Path, config: Settings) -> None:
    """One refresh of the feeds, as ``R`` runs it, before the reader opens."""
    with Library.open(db, config.beats) as library, make_fetcher(config.sources, None) as f:
        jobs = plan(config.beats, config.sources, source=Source.FEED)
        Refresher(library, f, config.sources).run(jobs)


def row_with(lines: list[str], text: str) -> str:
    found = [line for line in lines if text in line]
    assert found, f"{text!r} is not on the screen"
    return found[0]


def left_pane(lines: list[str]) -> list[str]:
    """The navigation pane's lines, as drawn (between the first two borders)."""
    return [line.split("│")[1].strip() for line in lines if line.startswith("│")]


async def test_each_feed_is_a_view_of_the_papers_it_brought(
    tmp_path: Path, local_server: LocalServer
) -> None:
    local_server.route_file("/lab/feed.xml", RSS)
    lab = f"{local_server.url}/lab/feed.xml"
    quiet = f"{local_server.url}/quiet.xml"
    config = config_with(
        f'\n[[feed]]\nname = "Lab"\nurl = "{lab}"\n\n[[feed]]\nname = "Quiet"\nurl = "{quiet}"\n'
    )
    db = seeded_library(tmp_path)
    refreshed(db, config)
    async with settled_reader(db, config) as (app, pilot, reader):
        pane = left_pane(screen_lines(app))
        at = pane.index("Feeds")
        assert [line.split() for line in pane[at + 1 : at + 3]] == [["Lab", "3"], ["Quiet", "0"]]

        # Chosen in the left pane: the stream lists its papers, its title names the feed.
        await choose(pilot, app, NavTarget(NavKind.FEED, lab))
        await settle(app, pilot)
        assert title_of(reader.stream).startswith("Feed “Lab” · 3 (3 new)")
        lines = screen_lines(app)
        for title in ("Focus Session: Hardware", "Performance Anomaly", "Conditional anomaly"):
            assert row_with(lines, title)
        assert not any("Self-Induced Outcome" in line for line in lines)  # a seed: not the feed's

        # And from the palette.
        await pilot.press("ctrl+p")
        await type_text(pilot, "Go to feed Quiet")
        await pilot.press("enter")
        await settle(app, pilot)
        assert title_of(reader.stream).startswith("Feed “Quiet” · 0")


async def test_f_lists_adds_renames_and_removes_feeds(
    tmp_path: Path, local_server: LocalServer
) -> None:
    check_seen = threading.Event()
    release = threading.Event()

    def held(_request: RecordedRequest) -> Reply:
        check_seen.set()
        release.wait(timeout=5)  # the check is under way while the keys below are pressed
        return Reply(200, RSS.read_bytes(), {"Content-Type": "application/rss+xml"})

    local_server.route_fn("/new/feed.xml", held)
    local_server.route_file("/page", HF_JSON)
    gone = f"{local_server.url}/gone.xml"
    config = config_with(f'\n[[feed]]\nname = "Gone"\nurl = "{gone}"  # the old one\n')
    db = seeded_library(tmp_path)
    refreshed(db, config)  # a 404: its error is listed
    config_file = Path(os.environ["RIVER_CONFIG_DIR"]) / "config.toml"
    async with settled_reader(db, config) as (app, pilot, reader):
        await pilot.press("F")
        await until(pilot, lambda: isinstance(app.screen, FeedsScreen))
        lines = screen_lines(app)
        assert "1 feed followed" in row_with(lines, "followed")
        assert row_with(lines, "Gone")
        assert row_with(lines, gone)
        assert "error: 127.0.0.1 answered HTTP 404 Not Found" in row_with(lines, "error:")

        # a: a URL that is not a feed is refused, in one line, and nothing is written.
        await pilot.press("a")
        await type_text(pilot, f"{local_server.url}/page")
        await pilot.press("enter")
        await settle(app, pilot)
        assert messages(app)[-1] == (
            f"{local_server.url}/page: not an RSS or Atom feed; nothing changed"
        )
        assert "/page" not in config_file.read_text(encoding="utf-8")

        # a: a feed. The check runs in a thread: the stream answers keys meanwhile.
        new = f"{local_server.url}/new/feed.xml"
        await pilot.press("a")
        await type_text(pilot, new)
        await pilot.press("enter")
        await until(pilot, check_seen.is_set)
        assert "checking" in screen_lines(app)[-2]  # the status line
        await pilot.press("escape")  # the Feeds dialog closes; the reader answers
        assert app.screen is reader
        cursor = reader.stream.cursor
        await pilot.press("j")
        assert reader.stream.cursor == cursor + 1
        release.set()
        await settle(app, pilot)
        status = screen_lines(app)[-2]
        assert f"added feed “{RSS_TITLE}”" in status and "R fetches its papers" in status
        pane = left_pane(screen_lines(app))
        assert pane[pane.index("Feeds") + 2].split()[:-1] == RSS_TITLE.split()  # 0 new yet
        text = config_file.read_text(encoding="utf-8")
        assert text.startswith('# mine\n[refresh]\ninterval_minutes = 0\n\n[[feed]]\nname = "Gone"')
        assert f'name = "{RSS_TITLE}"\nurl = "{new}"' in text
        assert [f.url for f in app.config.sources.feeds] == [gone, new]  # the next refresh's

        # r renames the highlighted feed; d removes it after a question.
        await pilot.press("F")
        await until(pilot, lambda: isinstance(app.screen, FeedsScreen))
        await pilot.press("r")
        await pilot.press("ctrl+u")  # the field holds the name: clear it
        await type_text(pilot, "Old lab")
        await pilot.press("enter")
        await settle(app, pilot)
        lines = screen_lines(app)
        assert row_with(lines, "Old lab")
        assert not any("Gone" in line for line in lines[:-2])  # the status line says it
        assert 'name = "Old lab"\nurl = "' in config_file.read_text(encoding="utf-8")
        assert "# the old one" in config_file.read_text(encoding="utf-8")  # comments kept
        await pilot.press("d")
        assert "Stop following the feed “Old lab”?" in " ".join(screen_lines(app))
        await pilot.press("y")
        await settle(app, pilot)
        assert "1 feed followed" in row_with(screen_lines(app), "followed")
        assert gone not in config_file.read_text(encoding="utf-8")
        assert [f.name for f in app.config.sources.feeds] == [RSS_TITLE]

        # Enter shows the papers the highlighted feed brought (none yet: R brings them).
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is reader
        assert title_of(reader.stream).startswith(f"Feed “{RSS_TITLE}” · 0")
