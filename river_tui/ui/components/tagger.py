"""The tagger: type a tag (completed from the tags in use, fuzzily), or ``-tag`` to remove one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from river_tui.reader.actions import shorten
from river_tui.ui.render import DIM
from river_tui.ui.tags import TagChoice, tag_choices, typed_tag


def choice_prompt(choice: TagChoice) -> Text:
    """``+ #tag  new tag`` or ``− #tag  remove from this paper`` (the tag as plain text)."""
    out = Text("− " if choice.remove else "+ ", style="bold #ff8700" if choice.remove else "bold")
    out.append("#" + choice.tag)
    if choice.remove:
        out.append("  remove from this paper", style=DIM)
    elif choice.new:
        out.append("  new tag", style=DIM)
    return out


class TagScreen(ModalScreen[TagChoice | None]):
    """Dismisses with the chosen :class:`TagChoice`, or None (Escape)."""

    HELP_GROUP = "Tagging"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Cancel", id="tag.cancel"),
        Binding("down", "move(1)", "Next suggestion", id="tag.down"),
        Binding("up", "move(-1)", "Previous suggestion", id="tag.up"),
        Binding("tab", "complete", "Complete", id="tag.complete"),
    ]

    def __init__(self, title: str, own: Sequence[str], known: Sequence[str]) -> None:
        super().__init__()
        self.paper_title = title
        self.own = tuple(own)
        self.known = tuple(known)
        self.choices: list[TagChoice] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-box", classes="dialog") as box:
            box.border_title = "Tag"
            box.border_subtitle = "Enter applies · Tab completes · -tag removes · Esc cancels"
            yield Static(Text(shorten(self.paper_title, 200), style="bold"), markup=False)
            own = Text("tags: ", style=DIM)
            own.append(" ".join("#" + t for t in self.own) if self.own else "none of your own")
            yield Static(own, markup=False, id="tag-own")
            yield Input(placeholder="tag (new or existing), or -tag to remove", id="tag-input")
            options = OptionList(id="tag-options", markup=False)
            options.can_focus = False
            yield options

    def on_mount(self) -> None:
        self._offer("")
        self.query_one(Input).focus()

    @property
    def options(self) -> OptionList:
        return self.query_one("#tag-options", OptionList)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._offer(event.value)

    def _offer(self, typed: str) -> None:
        self.choices = tag_choices(typed, self.own, self.known)
        self.options.set_options(Option(choice_prompt(c)) for c in self.choices)
        # Enter applies the first suggestion only once a tag is named: "#" or "-" alone is not.
        named = typed_tag(typed)[0]
        self.options.highlighted = 0 if self.choices and named else None

    @property
    def highlighted(self) -> TagChoice | None:
        index = self.options.highlighted
        return self.choices[index] if index is not None and index < len(self.choices) else None

    def action_move(self, step: int) -> None:
        if not self.choices:
            return
        index = self.options.highlighted
        start = -1 if step > 0 else len(self.choices)
        self.options.highlighted = ((start if index is None else index) + step) % len(self.choices)

    def action_complete(self) -> None:
        """Put the highlighted suggestion (else the first) into the input."""
        choice = self.highlighted or (self.choices[0] if self.choices else None)
        if choice is not None:
            field = self.query_one(Input)
            field.value = ("-" if choice.remove else "") + choice.tag
            field.action_end()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        tag, remove = typed_tag(event.value)
        if self.highlighted is None and tag and remove:
            self.notify(f"#{tag} is not one of this paper's own tags", markup=False)
            return  # the box stays open for another try
        self.dismiss(self.highlighted)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])
