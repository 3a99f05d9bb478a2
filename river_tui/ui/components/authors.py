"""The chooser of a paper's authors (``w``): Enter shows the papers of the one highlighted,
``f`` follows or unfollows it in place. The rules and the writes are the session's
(:class:`~river_tui.reader.authors.Authors`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from river_tui.reader.actions import shorten
from river_tui.reader.authors import AuthorList
from river_tui.ui.components.dialogs import QUIT, OptionPicker
from river_tui.ui.render import DIM, FOLLOWED, FOLLOWED_MARK


class AuthorsScreen(OptionPicker[str | None]):
    """A paper's authors, each marked when followed: Enter gives the name highlighted (its
    papers are shown), ``f`` follows or unfollows it (``toggle`` answers whether it is followed
    now; None: nothing changed)."""

    HELP_GROUP = "Authors"
    BINDINGS: ClassVar[list[BindingType]] = [
        QUIT,
        Binding("escape", "dismiss", "Cancel", id="authors.cancel"),
        Binding("f", "follow", "Follow/unfollow", id="authors.follow"),
        Binding("j", "move(1)", "Down", show=False, id="authors.down"),
        Binding("k", "move(-1)", "Up", show=False, id="authors.up"),
    ]

    def __init__(
        self,
        authors: AuthorList,
        is_followed: Callable[[str], bool],
        toggle: Callable[[str], bool | None],
    ) -> None:
        super().__init__()
        self.authors = authors
        self.is_followed = is_followed
        self.toggle = toggle

    def compose(self) -> ComposeResult:
        with Vertical(id="authors-box", classes="dialog") as box:
            box.border_title = "Authors"
            box.border_subtitle = "Enter their papers · f follow · Esc cancels"
            yield Static(Text(shorten(self.authors.title, 200), style="bold"), markup=False)
            options = [Option(self._prompt(name)) for name in self.authors.names]
            if self.authors.more:
                count = self.authors.more
                more = Text(f"… {count:,} more author{'s' if count > 1 else ''}", style=DIM)
                options.append(Option(more, disabled=True))
            yield OptionList(*options, markup=False)

    def _prompt(self, name: str, followed: bool | None = None) -> Text:
        if followed if followed is not None else self.is_followed(name):
            out = Text(f"{FOLLOWED_MARK} ", style=FOLLOWED)
            out.append(name, style=FOLLOWED)
            out.append("  followed", style=DIM)
            return out
        return Text("  " + name)

    def _highlighted(self) -> int | None:
        index = self.query_one(OptionList).highlighted
        return index if index is not None and index < len(self.authors.names) else None

    def action_follow(self) -> None:
        index = self._highlighted()
        if index is None:
            return
        name = self.authors.names[index]
        followed = self.toggle(name)
        if followed is not None:
            options = self.query_one(OptionList)
            options.replace_option_prompt_at_index(index, self._prompt(name, followed))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.authors.names):
            self.dismiss(self.authors.names[event.option_index])
