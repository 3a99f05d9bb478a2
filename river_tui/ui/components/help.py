"""The help screen: every key binding of the app and its widgets, read from the bindings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

Section = tuple[str, list[tuple[str, str]]]
"""A titled list of (keys, description)."""


def bindings_of(node: DOMNode) -> list[Binding]:
    """The bindings a node answers to, with the user's keymap applied.

    Textual keeps them in ``_bindings`` (what key dispatch itself reads); there is no public
    accessor for a node's merged bindings.
    """
    return [binding for _key, binding in node._bindings]


def describe(app: App[object], title: str, bindings: Iterable[Binding]) -> Section:
    """Group a node's bindings by action: ``("↓ / j", "Down")``."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for binding in bindings:
        description = binding.description or binding.action.replace("_", " ").capitalize()
        keys = grouped.setdefault((binding.action, description), [])
        display = app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
    return title, [(" / ".join(keys), description) for (_a, description), keys in grouped.items()]


def binding_sections(app: App[object], screen: Screen[object]) -> list[Section]:
    """Sections for the app, ``screen`` and every focusable widget on it with bindings.

    Bindings of widgets that can never have focus (the footer's) never fire, so they are left
    out.
    """
    widgets = [w for w in screen.walk_children(Widget) if w.can_focus]
    nodes: list[DOMNode] = [app, screen, *widgets]
    sections: list[Section] = []
    seen: set[str] = set()
    for node in nodes:
        bindings = bindings_of(node)
        title = getattr(node, "HELP_GROUP", type(node).__name__)
        if bindings and title not in seen:
            seen.add(title)
            sections.append(describe(app, title, bindings))
    return sections


def help_text(sections: Iterable[Section]) -> Text:
    sections = list(sections)
    width = max((len(keys) for _t, rows in sections for keys, _d in rows), default=8)
    out = Text()
    for number, (title, rows) in enumerate(sections):
        if number:
            out.append("\n")
        out.append(title + "\n", style="bold #87afd7")
        for keys, description in rows:
            out.append(f"  {keys:<{width}}  ", style="bold")
            out.append(description + "\n")
    return out


class HelpScreen(ModalScreen[None]):
    """Lists the keys. Escape closes it."""

    HELP_GROUP = "Help screen"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, sections: list[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        sections = [*self.sections, describe(self.app, self.HELP_GROUP, bindings_of(self))]
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Escape closes"
            yield Static(help_text(sections), id="help-text", markup=False)
