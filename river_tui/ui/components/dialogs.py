"""Small dialogs: put a paper on a beat by hand, and name a saved search (or type a reason)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from river_tui.ui.actions import shorten

DIM = "#8a8a8a"


@dataclass(frozen=True, slots=True)
class BeatChoice:
    beat: str
    remove: bool = False
    """The paper is on this beat by hand: choosing it takes it off."""


class BeatScreen(ModalScreen[BeatChoice | None]):
    """Every beat of the config; Enter puts the paper on the highlighted one (or takes it off
    when it was put there by hand)."""

    HELP_GROUP = "Beat picker"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Cancel", id="beat.cancel"),
        Binding("j", "move(1)", "Down", show=False, id="beat.down"),
        Binding("k", "move(-1)", "Up", show=False, id="beat.up"),
    ]

    def __init__(
        self, title: str, beats: Sequence[str], manual: Sequence[str], matched: Sequence[str]
    ) -> None:
        super().__init__()
        self.paper_title = title
        self.beats = list(beats)
        self.manual = set(manual)
        self.matched = set(matched) - self.manual

    def compose(self) -> ComposeResult:
        with Vertical(id="beat-box", classes="dialog") as box:
            box.border_title = "Put on a beat"
            box.border_subtitle = "Enter chooses · Esc cancels"
            yield Static(Text(shorten(self.paper_title, 200), style="bold"), markup=False)
            yield OptionList(*(Option(self._prompt(b)) for b in self.beats), markup=False)

    def _prompt(self, beat: str) -> Text:
        if beat in self.manual:
            out = Text("✓ ", style="bold #5fd75f")
            out.append(beat)
            out.append("  on it by hand: Enter takes it off", style=DIM)
        elif beat in self.matched:
            out = Text("· ", style=DIM)
            out.append(beat)
            out.append("  matched by its terms", style=DIM)
        else:
            out = Text("  ")
            out.append(beat)
        return out

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0 if self.beats else None
        options.focus()

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        beat = self.beats[event.option_index]
        self.dismiss(BeatChoice(beat, remove=beat in self.manual))


class NameScreen(ModalScreen[str | None]):
    """Asks for a name (Enter) or nothing (Escape). Enter on an empty field gives None too,
    unless ``allow_empty`` (then ``""``: only Escape cancels)."""

    HELP_GROUP = "Name"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Cancel", id="name.cancel"),
    ]

    def __init__(
        self,
        title: str,
        about: Text | str,
        value: str = "",
        placeholder: str = "name",
        allow_empty: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.about = about
        self.value = value
        self.placeholder = placeholder
        self.allow_empty = allow_empty

    def compose(self) -> ComposeResult:
        with Vertical(id="name-box", classes="dialog") as box:
            box.border_title = self.title_text
            box.border_subtitle = "Enter saves · Esc cancels"
            about = Text(self.about) if isinstance(self.about, str) else self.about
            yield Static(about, markup=False)
            yield Input(value=self.value, placeholder=self.placeholder)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(value if value or self.allow_empty else None)
