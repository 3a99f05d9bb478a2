"""The reader under the link rule: o, O and y on links a hostile backup brought, and o when
no browser can be started. The browser is the system's (webbrowser.open, replaced here), or
the one given to RiverApp."""

from __future__ import annotations

import json
import webbrowser
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_ui_support import quiet_config, settle

from river_tui.domain import Discovery, ItemKind, Link, Paper
from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.store.library import Library
from river_tui.ui.app import RiverApp

HOSTILE = (
    "--renderer-cmd-prefix=touch /tmp/PWNED",
    "file:///etc/shadow",
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
)
GOOD = "https://lab.example.org/posts/credit"
ONLY = " (only http and https links are)."


def hostile_backup(path: Path) -> Path:
    """A River backup of one web item per hostile address: its own URL and a ``pdf`` link."""
    papers = [
        {
            "kind": "web",
            "url": url,
            "title": f"Hostile item {n}",
            "published": f"2026-12-0{9 - n}",
            "links": [{"label": "pdf", "url": url}],
        }
        for n, url in enumerate(HOSTILE)
    ]
    document = {"format": "river-backup", "version": 1, "papers": papers}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def hostile_library(tmp_path: Path) -> Path:
    db = tmp_path / "lib.db"
    with Library.open(db, load_settings().beats) as lib:
        import_file(lib, hostile_backup(tmp_path / "backup.json"))
    return db


# -- the reader ---------------------------------------------------------------------------------
class Browser:
    """Stands in for a browser: records what it was given, answers ``works``."""

    def __init__(self, works: bool) -> None:
        self.works = works
        self.given: list[str] = []

    def __call__(self, url: str, *args: object, **kwargs: object) -> bool:
        self.given.append(url)
        return self.works


@pytest.fixture
def system_browser(monkeypatch: pytest.MonkeyPatch) -> Browser:
    """The system's browser as River reaches it by default (``webbrowser.open``), replaced."""
    browser = Browser(works=True)
    monkeypatch.setattr(webbrowser, "open", browser)
    return browser


def said(app: RiverApp) -> list[str]:
    """Every message the app shows from now on (through its public ``notify``)."""
    messages: list[str] = []
    notify = app.notify

    def recording(message: str, *args: object, **kwargs: object) -> None:
        messages.append(str(message))
        notify(message, *args, **kwargs)  # type: ignore[arg-type]

    app.notify = recording  # type: ignore[method-assign]
    return messages


def web_item_library(tmp_path: Path) -> Path:
    db = tmp_path / "lib.db"
    with Library.open(db, load_settings().beats) as lib:
        lib.upsert_paper(
            Paper(title="A post", kind=ItemKind.WEB, url=GOOD, links=(Link("web", GOOD),)),
            Discovery("test", datetime.now(UTC)),
        )
    return db


async def test_o_O_and_y_refuse_hostile_links_and_never_call_the_opener(
    tmp_path: Path, system_browser: Browser
) -> None:
    app = RiverApp(db_path=hostile_library(tmp_path), config=quiet_config())
    messages = said(app)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        for n, url in enumerate(HOSTILE):
            if n:
                await pilot.press("j")
            clipboard = app.clipboard
            await pilot.press("o")
            await settle(app, pilot)
            assert system_browser.given == []
            assert messages[-1] == f"Not opened: {url} is not a web link{ONLY}"
            await pilot.press("O")
            await settle(app, pilot)
            assert system_browser.given == []
            assert messages[-1] == f"Not opened: {url} is not a web link{ONLY}"
            await pilot.press("y")
            assert messages[-1] == f"Not copied: {url} is not a web link{ONLY}"
            assert app.clipboard == clipboard
            await pilot.press("Y")  # the BibTeX entry: no url in it
            await settle(app, pilot)
            assert url not in app.clipboard and "url =" not in app.clipboard
        assert not [m for m in messages if m.startswith("Opening")]
        detail = app.screen.query_one("#detail").text()
        squeezed = "".join(detail.split())  # the value wraps in its column, even mid-word
        refused = "".join(f"pdf {HOSTILE[-1]} (not a web link: not opened or copied)".split())
        assert refused in squeezed


async def test_a_good_link_with_no_browser_says_so_and_offers_to_copy_it(
    tmp_path: Path, system_browser: Browser
) -> None:
    """No browser starts: River says so and asks whether to copy the link instead; y copies
    it (the clipboard is not touched unasked)."""
    from river_tui.ui.components.dialogs import ConfirmScreen

    system_browser.works = False
    app = RiverApp(db_path=web_item_library(tmp_path), config=quiet_config())
    messages = said(app)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        clipboard = app.clipboard
        await pilot.press("o")
        await settle(app, pilot)
        assert system_browser.given == [GOOD]
        assert messages[-2:] == [f"Opening {GOOD}", f"No browser could be started for {GOOD}."]
        assert isinstance(app.screen, ConfirmScreen) and app.clipboard == clipboard
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == GOOD and messages[-1] == f"Copied {GOOD}"


async def test_the_browser_is_a_public_seam(tmp_path: Path, system_browser: Browser) -> None:
    """RiverApp(browser=…) replaces the system's browser; a browser that fails is said."""
    given = Browser(works=True)
    app = RiverApp(db_path=web_item_library(tmp_path), config=quiet_config(), browser=given)
    messages = said(app)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert given.given == [GOOD] and system_browser.given == []
        assert messages[-1] == f"Opening {GOOD}"

        def broken(url: str) -> bool:
            raise OSError("no such program: firefox")

        app.browser = broken
        await pilot.press("o")
        await settle(app, pilot)
        assert messages[-1] == f"Could not open {GOOD}: no such program: firefox"


async def test_a_dossier_pages_links_follow_the_link_rule(
    tmp_path: Path, system_browser: Browser
) -> None:
    """A dossier's page is rendered Markdown: a link on it, clicked, opens only if it is a web
    link (the claim's text is the reader's, or a file's: it may hold any link)."""
    from datetime import date

    from textual.widgets import Markdown

    from river_tui.domain.claims import Dossier
    from river_tui.reader.views import NavKind, NavTarget

    db = web_item_library(tmp_path)
    text = f"See [this]({GOOD}) and [that]({HOSTILE[2]})."
    with Library.open(db, load_settings().beats) as lib:
        lib.create_dossier(Dossier("links", "Links"))
        lib.assert_claim("links", text, "caveat", [], date(2026, 12, 1))
    app = RiverApp(db_path=db, config=quiet_config())
    messages = said(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.screen.jump(NavTarget(NavKind.DOSSIER, "links"))
        await pilot.press("M")
        await settle(app, pilot)
        page = app.screen.query_one(Markdown)
        assert text in page.source
        for href in (HOSTILE[2], GOOD):  # what a click on each link posts
            page.post_message(Markdown.LinkClicked(page, href))
            await settle(app, pilot)
        assert messages[-2] == f"Not opened: {HOSTILE[2]} is not a web link{ONLY}"
        assert system_browser.given == [GOOD]
