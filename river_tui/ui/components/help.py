"""The help screen: every key binding of the app and its widgets, read from the bindings as the
user's ``[keys]`` remapped them, each with the id to remap it by."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from river_tui.ui.components.dialogs import QUIT
from river_tui.ui.keys import bindings_of, keyed
from river_tui.ui.render import DIM


@dataclass(frozen=True, slots=True)
class Row:
    keys: str
    description: str
    ids: str


Section = tuple[str, list[Row]]
"""A titled list of rows."""


def dialog_sections(app: App[object], dialogs: Iterable[type[DOMNode]]) -> list[Section]:
    """Sections for screens not open now (the tagger, the beat picker), from their classes."""
    sections = []
    for dialog in dialogs:
        title = getattr(dialog, "HELP_GROUP", dialog.__name__)
        sections.append(describe(app, title, _own(app, keyed(dialog._merge_bindings(), app))))
    return [(title, rows) for title, rows in sections if rows]


def _own(app: App[object], bindings: Iterable[Binding]) -> list[Binding]:
    """``bindings`` less those the app's section lists (a dialog's 'q' is the app's quit)."""
    everywhere = {binding.id for binding in bindings_of(app) if binding.id}
    return [binding for binding in bindings if binding.id not in everywhere]


def help_group(node: DOMNode, binding: Binding) -> str:
    """The section a binding is listed under: the node's ``help_group_of(binding)`` if it has
    one, else its ``HELP_GROUP``, else its class name."""
    of = getattr(node, "help_group_of", None)
    if callable(of):
        return str(of(binding))
    return getattr(node, "HELP_GROUP", type(node).__name__)


def describe(app: App[object], title: str, bindings: Iterable[Binding]) -> Section:
    """Group bindings by action: ``Row("↓ / j", "Down", "stream.down")``.

    Only actions with an id are listed (the ids are what ``[keys]`` remaps); a binding without
    one joins the row of an id'd binding of the same action (``^q`` beside ``q``)."""
    grouped: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for binding in bindings:
        description = binding.description or binding.action.replace("_", " ").capitalize()
        keys, ids = grouped.setdefault((binding.action, description), ([], []))
        display = app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
        if binding.id and binding.id not in ids:
            ids.append(binding.id)
    rows = [
        Row(" / ".join(keys), description, ", ".join(ids))
        for (_a, description), (keys, ids) in grouped.items()
        if ids
    ]
    return title, rows


def binding_sections(
    app: App[object],
    screen: Screen[object],
    later: Mapping[type[Widget], type[Widget]] | None = None,
) -> list[Section]:
    """Sections for the app, ``screen`` and every focusable widget on it with bindings.

    ``later``: widgets ``screen`` builds when first used (the reader's search bar), each with
    the kind of widget it is built before: listed there, built yet or not. Bindings of widgets
    that can never have focus (the footer's) never fire, so they are left out."""
    later = dict(later or {})
    nodes: list[DOMNode | type[Widget]] = [app, screen]
    for widget in screen.walk_children(Widget):
        if widget.can_focus and type(widget) not in later:
            nodes += [c for c, before in later.items() if before is type(widget) and c not in nodes]
            nodes.append(widget)
    nodes += [widget_class for widget_class in later if widget_class not in nodes]
    by_title: dict[str, list[Binding]] = {}
    seen_types: set[type[DOMNode]] = set()
    for node in nodes:
        if isinstance(node, type):
            title = getattr(node, "HELP_GROUP", node.__name__)
            by_title.setdefault(title, []).extend(keyed(node._merge_bindings(), app))
            continue
        if type(node) in seen_types:
            continue
        seen_types.add(type(node))
        for binding in bindings_of(node):
            by_title.setdefault(help_group(node, binding), []).append(binding)
    sections = [describe(app, title, bindings) for title, bindings in by_title.items()]
    return [(title, rows) for title, rows in sections if rows]


def help_text(sections: Iterable[Section], width: int | None = None) -> Text:
    """The sections as aligned columns: keys, description, ids. In ``width`` cells, a
    description too long for what the other columns leave wraps under itself."""
    sections = list(sections)
    rows = [row for _t, section in sections for row in section]
    keys_width = max((len(r.keys) for r in rows), default=8)
    text_width = max((len(r.description) for r in rows), default=8)
    ids_width = max((len(r.ids) for r in rows), default=8)
    if width is not None:  # 2 + keys + 2 + text + 2 + ids fits the width
        text_width = max(12, min(text_width, width - keys_width - ids_width - 6))
    out = Text()
    for number, (title, section) in enumerate(sections):
        if number:
            out.append("\n")
        out.append(title + "\n", style="bold #87afd7")
        for row in section:
            lines = textwrap.wrap(row.description, text_width) or [""]
            out.append(f"  {row.keys:<{keys_width}}  ", style="bold")
            out.append(f"{lines[0]:<{text_width}}  ")
            out.append(row.ids + "\n", style=DIM)
            for more in lines[1:]:
                out.append(" " * (keys_width + 4) + more + "\n")
    return out


class HelpScreen(ModalScreen[None]):
    """Lists the keys. Escape closes it."""

    HELP_GROUP = "Help screen"
    BINDINGS: ClassVar[list[BindingType]] = [
        QUIT,
        Binding("escape,question_mark", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, sections: list[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        own = _own(self.app, bindings_of(self))
        sections = [*self.sections, describe(self.app, self.HELP_GROUP, own)]
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = Text("grey: the ids [keys] in config.toml remaps · Esc closes")
            yield Static(help_text(sections), id="help-text", markup=False)
        self._all = sections

    def on_resize(self) -> None:
        """The columns fit the box: a long description wraps rather than pushing its id onto a
        line of its own."""
        box = self.query_one("#help-box")
        self.query_one("#help-text", Static).update(
            help_text(self._all, box.scrollable_content_region.width)
        )
