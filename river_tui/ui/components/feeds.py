"""The Feeds dialog (``F``): every feed followed with its last fetch; Enter shows the papers a
feed brought, ``a`` adds one (its URL is fetched once, in a thread, to check it is a feed),
``r`` renames and ``d`` removes one (after a question). The rules and the edits of config.toml
are :mod:`river_tui.feeds`; :class:`FeedKeeper` runs them for the reader."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from river_tui.domain.text import counted
from river_tui.exports.atomic import ExportError
from river_tui.feeds import (
    Changed,
    FeedRefused,
    FeedStatus,
    add_feed,
    addable,
    checked_feed,
    current_feeds,
    remove,
    rename,
    statuses,
)
from river_tui.reader.actions import shorten
from river_tui.reader.views import NavKind, NavTarget
from river_tui.settings import SettingsError
from river_tui.ui.components.dialogs import QUIT, ConfirmScreen, NameScreen, OptionPicker
from river_tui.ui.render import DIM

if TYPE_CHECKING:
    from river_tui.ui.app import RiverApp
    from river_tui.ui.components.reader import ReaderScreen

CHECK_GROUP = "feed-check"
NAME_WIDTH = 60
LINE_WIDTH = 300
BAD = "#ff5f5f"
REFUSED = (FeedRefused, SettingsError, ExportError)
"""What a change of the feeds can be refused with (one line each; nothing written)."""


class FeedsScreen(OptionPicker[None]):
    """The feeds followed, each with its URL and its last fetch."""

    HELP_GROUP = "Feeds"
    BINDINGS: ClassVar[list[BindingType]] = [
        QUIT,
        Binding("escape", "dismiss", "Close", id="feeds.close"),
        Binding("a", "add", "Add a feed", id="feeds.add"),
        Binding("r", "rename", "Rename", id="feeds.rename"),
        Binding("d,delete", "remove", "Remove", id="feeds.remove"),
        Binding("j", "move(1)", "Down", show=False, id="feeds.down"),
        Binding("k", "move(-1)", "Up", show=False, id="feeds.up"),
    ]

    def __init__(self, keeper: FeedKeeper) -> None:
        super().__init__()
        self.keeper = keeper
        self.rows: list[FeedStatus] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="feeds-box", classes="dialog") as box:
            box.border_title = "Feeds"
            box.border_subtitle = "Enter its papers · a add · r rename · d remove · Esc closes"
            yield Static(id="feeds-about", markup=False)
            yield OptionList(markup=False)

    def start_list(self) -> None:
        self.show_rows()
        self.query_one(OptionList).focus()

    def show_rows(self, highlight: str | None = None) -> None:
        """List the feeds as config.toml has them now, the highlight on the feed at URL
        ``highlight`` (else where it was)."""
        options = self.query_one(OptionList)
        was = options.highlighted
        self.rows = self.keeper.statuses()
        about = self.query_one("#feeds-about", Static)
        if self.rows:
            about.update(Text(f"{counted(len(self.rows), 'feed')} followed", style=DIM))
        else:
            about.update(Text("No feed is followed yet: a adds one by its address."))
        options.set_options(Option(self._prompt(row)) for row in self.rows)
        urls = [row.feed.url for row in self.rows]
        if highlight in urls:
            options.highlighted = urls.index(highlight)
        elif self.rows:
            options.highlighted = min(was or 0, len(self.rows) - 1)

    @staticmethod
    def _prompt(row: FeedStatus) -> Text:
        out = Text(shorten(row.feed.name, NAME_WIDTH), style="bold")
        if row.papers:
            out.append(f"  {counted(row.papers, 'paper')}, {row.unread} new", style=DIM)
        out.append(f"\n  {shorten(row.feed.url, LINE_WIDTH)}", style=DIM)  # wrapped if long
        style = BAD if row.error else DIM
        out.append(f"\n  {shorten(row.outcome, LINE_WIDTH)}", style=style)
        return out

    def _highlighted(self) -> FeedStatus | None:
        index = self.query_one(OptionList).highlighted
        return self.rows[index] if index is not None and index < len(self.rows) else None

    def action_add(self) -> None:
        self.keeper.ask_add()

    def action_rename(self) -> None:
        if (row := self._highlighted()) is not None:
            self.keeper.ask_rename(row.feed.name, row.feed.url)

    def action_remove(self) -> None:
        if (row := self._highlighted()) is not None:
            self.keeper.ask_remove(row.feed.name, row.feed.url)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.rows):
            url = self.rows[event.option_index].feed.url
            self.dismiss()
            self.keeper.show(url)


class FeedKeeper:
    """The reader's feeds: the dialog, and each change made to config.toml, the settings in
    force, the session's feeds and the navigation after it."""

    def __init__(self, reader: ReaderScreen) -> None:
        self.reader = reader
        self.screen: FeedsScreen | None = None

    @property
    def app(self) -> RiverApp:
        return self.reader.app  # type: ignore[return-value]

    def open(self) -> None:
        self.screen = FeedsScreen(self)
        self.app.push_screen(self.screen, lambda _none: self._closed())

    def _closed(self) -> None:
        self.screen = None

    def statuses(self) -> list[FeedStatus]:
        try:
            feeds = current_feeds(self.app.config)
        except SettingsError as exc:
            self.app.notify(str(exc), severity="error", markup=False)
            feeds = self.app.config.sources.feeds
        return statuses(feeds, self.reader.library)

    def show(self, url: str) -> None:
        """The papers the feed at ``url`` brought, in the stream."""
        self.reader.jump(NavTarget(NavKind.FEED, url))

    # -- add ------------------------------------------------------------------------------
    def ask_add(self) -> None:
        about = "The feed's address (RSS or Atom). River fetches it once to check it."
        self.app.push_screen(
            NameScreen("Add a feed", about, placeholder="https://…/feed.xml"), self._add
        )

    def _add(self, url: str | None) -> None:
        if not url:
            return
        config = self.app.config
        try:
            url = addable(config, url)
        except REFUSED as exc:
            self._refused(exc)
            return
        if any(w.group == CHECK_GROUP and w.is_running for w in self.reader.workers):
            self.app.notify("A feed is being checked: wait for it first.", markup=False)
            return
        self.reader.set_activity(f"checking {shorten(url, 80)}…")

        def check() -> None:
            try:
                changed = add_feed(config, url, checked=checked_feed(url, config))
            except REFUSED as exc:
                self.app.call_from_thread(self._refused, exc)
                return
            except Exception as exc:  # a bug (the parser crashed): said, not left "checking"
                failed = FeedRefused(f"{url}: could not check it ({type(exc).__name__}: {exc})")
                self.app.call_from_thread(self._refused, failed)
                return
            self.app.call_from_thread(self._added, changed, url)

        self.reader.run_worker(check, thread=True, group=CHECK_GROUP, exit_on_error=False)

    def _added(self, changed: Changed, url: str) -> None:
        self._changed(changed, url)
        self.reader.set_activity(f"added feed “{shorten(changed.name, 40)}” · R fetches its papers")

    # -- rename and remove -----------------------------------------------------------------
    def ask_rename(self, name: str, url: str) -> None:
        def named(new: str | None) -> None:
            if new and new != name:
                self._edit(lambda: rename(self.app.config, url, new), url)

        about = Text("A new name for ")
        about.append(name, style="bold")
        self.app.push_screen(NameScreen("Rename the feed", about, value=name), named)

    def ask_remove(self, name: str, url: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._edit(lambda: remove(self.app.config, url), None)

        question = f"Stop following the feed “{name}”? The papers it brought stay."
        self.app.push_screen(ConfirmScreen(question), answered)

    def _edit(self, change: Callable[[], Changed], url: str | None) -> None:
        try:
            changed = change()
        except REFUSED as exc:
            self._refused(exc)
            return
        self._changed(changed, url)
        self.reader.set_activity(changed.line)

    # -- after a change ----------------------------------------------------------------------
    def _changed(self, changed: Changed, url: str | None) -> None:
        self.app.feeds_changed(changed.settings)
        self.app.notify(changed.line, markup=False)
        if self.screen is not None and self.screen.is_attached:
            self.screen.show_rows(highlight=url)

    def _refused(self, exc: Exception) -> None:
        self.reader.set_activity("")
        self.app.notify(f"{exc}; nothing changed", severity="error", markup=False)
