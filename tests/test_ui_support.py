"""Helpers shared by the reader tests (no tests here: the name keeps it with them)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import html
import io
import re
import time
import unicodedata
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console
from textual import events
from textual.app import App
from textual.content import Content
from textual.keys import KEY_NAME_REPLACEMENTS
from textual.pilot import Pilot
from textual.widget import Widget
from textual.worker import WorkerCancelled, WorkerError, WorkerState

from river_tui.domain import Discovery, ItemKind, Link, Paper, parse_arxiv_id
from river_tui.domain.claims import Claim, Dossier, SourceLink
from river_tui.reader.views import NavTarget
from river_tui.settings import ReaderSettings, Settings, load_settings
from river_tui.store.library import Library
from river_tui.ui.app import RiverApp
from river_tui.ui.components.nav import NavPane
from river_tui.ui.components.reader import ReaderScreen

ARXIV_ID = "2612.00001"
ARXIV_TITLE = "A Newest Paper With an arXiv Id"
WEB_URL = "https://lab.example.org/blog/credit-post"
WEB_TITLE = "A Lab Post About Credit"
DOSSIER_SLUG = "cited-dossier"


def quiet_config(
    mark_read_after: float = 0.0, keys: dict[str, str] | None = None, move_on: bool = True
) -> Settings:
    """The test config without the background refresh, with the reader settings given."""
    config = load_settings()
    return dataclasses.replace(
        config,
        sources=dataclasses.replace(config.sources, interval_minutes=0),
        reader=ReaderSettings(mark_read_after, move_on, keys=keys or {}),
    )


def open_library(db: Path) -> Library:
    """A fresh connection, to see what the app wrote."""
    return Library.open(db, load_settings().beats)


def add_linked_papers(db: Path) -> None:
    """An arXiv paper and a web item newer than every seed (so they lead the inbox), and a
    dossier that cites the arXiv paper and one seed paper."""
    with open_library(db) as lib:
        seen = Discovery("test", datetime.now(UTC))
        arxiv = parse_arxiv_id(ARXIV_ID + "v2")
        lib.upsert_paper(
            Paper(
                title=ARXIV_TITLE,
                abstract="Credit assignment, tested.",
                arxiv=arxiv,
                authors=("Ada Lovelace", "Alan Turing"),
                published=date(2026, 12, 2),
                links=(Link("abs", f"https://arxiv.org/abs/{ARXIV_ID}v2"),),
            ),
            seen,
        )
        lib.upsert_paper(
            Paper(
                title=WEB_TITLE,
                kind=ItemKind.WEB,
                url=WEB_URL,
                published=date(2026, 12, 1),
                links=(Link("web", WEB_URL),),
            ),
            seen,
        )
        seed_paper = lib.papers(limit=3)[-1]
        lib.save_dossier(
            Dossier(
                slug=DOSSIER_SLUG,
                title="A dossier that cites two papers",
                claims=[
                    Claim(
                        "A claim.",
                        "claim",
                        sources=[
                            SourceLink.make("paper", f"https://arxiv.org/abs/{ARXIV_ID}"),
                            SourceLink.make("paper", f"river:{seed_paper.id}"),
                        ],
                    )
                ],
            )
        )


@dataclasses.dataclass(frozen=True)
class Note:
    message: str
    severity: str


_HEARD: weakref.WeakKeyDictionary[App[object], list[Note]] = weakref.WeakKeyDictionary()


def listening(app: RiverApp) -> RiverApp:
    """``app``, each notification it shows written down (``App.notify`` wrapped: Textual
    forgets a notification once its few seconds are up)."""
    heard: list[Note] = []
    notify = app.notify

    def noted(message: str, **kwargs: object) -> None:
        heard.append(Note(str(message), str(kwargs.get("severity", "information"))))
        notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = noted  # type: ignore[method-assign]
    _HEARD[app] = heard
    return app


def heard(app: App[object]) -> list[Note]:
    """What ``app`` (made with :func:`listening`) has notified, in order."""
    return _HEARD[app]


def messages(app: App[object]) -> list[str]:
    return [note.message for note in heard(app)]


def reader_of(app: RiverApp) -> ReaderScreen:
    assert app.reader is not None
    return app.reader


async def until(pilot: Pilot, done: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until ``done()`` (workers and timers included)."""
    steps = int(timeout / 0.02)
    for _ in range(steps):
        if done():
            return
        await pilot.pause(0.02)
    assert done(), "the app never got there"


async def handled_within(
    app: RiverApp, key: str, handled: Callable[[], bool], timeout: float = 10.0
) -> float:
    """Seconds from ``key`` arriving (as a terminal's key does: a Key event posted to the
    app) until ``handled()`` holds; it must within ``timeout``. Unlike ``pilot.press``, which
    also waits for the whole app to fall idle, this times the key alone."""
    started = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    while not handled():
        if time.perf_counter() - started > timeout:
            raise AssertionError(f"{key!r} was not handled within {timeout} s")
        await asyncio.sleep(0.001)
    return time.perf_counter() - started


@asynccontextmanager
async def settled_reader(
    db: Path, config: Settings | None = None, size: tuple[int, int] = (160, 48)
) -> AsyncIterator[tuple[RiverApp, Pilot, ReaderScreen]]:
    """River on ``db`` (the quiet config by default), its first counts in: the app, its pilot
    and the reader."""
    app = listening(RiverApp(db_path=db, config=config or quiet_config()))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield app, pilot, reader_of(app)


async def workers_done(app: App[object]) -> None:
    """Wait for every worker the app has now to finish. One cancelled (a newer job of its lane
    replaced it) is no error; one that failed is (``WorkerFailed``)."""
    for worker in list(app.workers):
        with contextlib.suppress(WorkerCancelled, WorkerError):  # WorkerError: not started yet
            await worker.wait()


async def settle(app: RiverApp, pilot: Pilot) -> None:
    """Wait for every worker, then for the messages they posted, and again for the workers
    those messages started (a write's worker, then the reload it asks for, then its result),
    until nothing is left running. The reader's first counts are waited for first: they start
    after the first frame, and a worker not started yet cannot be waited for."""
    if app.reader is not None:
        await first_counts(app, pilot)
    for _ in range(20):
        await workers_done(app)
        await pilot.pause()
        if not any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
            await pilot.pause()
            return
    raise AssertionError("the app never settled: workers kept starting")


async def first_counts(app: RiverApp, pilot: Pilot) -> None:
    """Until the navigation pane lists its first counts (and so every entry: rivers and
    dossiers come with them). They start once the first frame is painted, or half a second
    after the reader is shown at the latest (``reader.COUNT_AT_LATEST``): a worker that has not
    started yet cannot be waited for."""
    await until(
        pilot,
        lambda: app.reader is not None and not app.reader.session.counts.pending,
        timeout=10.0,
    )


async def choose(pilot: Pilot, app: RiverApp, target: NavTarget) -> None:
    """Choose ``target`` in the navigation pane: focus it, highlight the entry, Enter. (Moving
    the highlight by keys is tested in test_ui.py; here it would only be slow.)"""
    nav = app.screen.query_one(NavPane)
    await settle(app, pilot)  # the counts (and so every entry) are in
    nav.focus()
    assert target in nav.targets, f"{target} is not in the navigation"
    nav.highlight(target)
    await pilot.press("enter")
    await pilot.pause()


def nav_text(nav: NavPane) -> str:
    """Every entry of the navigation pane as plain text."""
    console = Console(width=40, record=True, file=io.StringIO())
    for index in range(nav.option_count):
        console.print(nav.get_option_at_index(index).prompt)
    return console.export_text()


def title_of(widget: Widget) -> str:
    """A pane's title as shown (Textual keeps a ``Text`` title as escaped markup)."""
    return Content.from_markup(widget.border_title or "").plain


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` as a terminal sends a burst of keys: every key posted to the app as the
    driver posts it, then the app left to handle them, in order. (``pilot.press`` waits for
    the whole app to fall idle after each key: a sentence took seconds.)"""
    for ch in text:
        pilot.app.post_message(events.Key(key_name(ch), ch))
    await pilot.pause()


def key_name(ch: str) -> str:
    """The key Textual names for the character ``ch`` (``a``, ``space``, ``full_stop``)."""
    if ch.isalnum():
        return ch
    name = unicodedata.name(ch, ch).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


_SVG_TEXT = re.compile(
    r'<text [^>]*?x="([\d.]+)"[^>]*?textLength="([\d.]+)"'
    r'[^>]*?clip-path="url\(#[^)]*?-line-(\d+)\)"[^>]*>(.*?)</text>'
)


def screen_lines(app: App[object]) -> list[str]:
    """What the terminal shows, line by line (read back from Textual's SVG screenshot)."""
    lines: dict[int, dict[int, str]] = {}
    for x, length, y, raw in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(raw).replace("\xa0", " ")  # the export writes a space so
        cell = float(length) / len(text)
        lines.setdefault(int(y), {})[round(float(x) / cell)] = text
    out = []
    for y in range(app.size.height):
        line = ""
        for x, text in sorted(lines.get(y, {}).items()):
            line = line.ljust(x) + text
        out.append(line)
    return out
