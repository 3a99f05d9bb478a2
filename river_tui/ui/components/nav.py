"""The navigation pane: views, beats, tags, dossiers and rivers, each with its count."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from textwrap import shorten
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from river_tui.store.claims import DossierSummary

DIM = "#8a8a8a"
DOSSIER_TITLE = 56
"""Dossier titles are long sentences: the pane shows about two lines of one."""


class NavKind(StrEnum):
    ALL = "all"
    BEAT = "beat"
    TAG = "tag"
    DOSSIER = "dossier"
    RIVER = "river"


@dataclass(frozen=True, slots=True)
class NavTarget:
    """One entry of the pane: what choosing it shows."""

    kind: NavKind
    value: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


@dataclass(frozen=True)
class NavCounts:
    """Everything the pane lists, with counts (built by the screen from the library)."""

    total: int = 0
    unread: int = 0
    beats: list[tuple[str, int]] = field(default_factory=list)
    """(beat name, unread papers), in the order of the beats file."""
    tags: list[tuple[str, int]] = field(default_factory=list)
    """(tag, unread papers)."""
    dossiers: list[DossierSummary] = field(default_factory=list)
    rivers: list[tuple[str, int]] = field(default_factory=list)
    """(tag, posts)."""


def _entry(label: Text | str, count: Text | str = "") -> Table:
    """A label on the left and a count flush right, on one line.

    Strings become ``Text`` here: a ``Table`` would read a plain string as markup.
    """
    grid = Table.grid(expand=True, padding=(0, 0, 0, 1), pad_edge=False)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(
        Text(label) if isinstance(label, str) else label,
        Text(count) if isinstance(count, str) else count,
    )
    return grid


def _unread(count: int) -> Text:
    return Text(str(count), style="bold" if count else DIM)


def _dossier(summary: DossierSummary) -> Table:
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1, overflow="ellipsis")
    title = Text(shorten(summary.title, DOSSIER_TITLE, placeholder=" …"))
    grid.add_row(title)
    meta = Text(style=DIM)
    meta.append(f"  {summary.status} · imp. {summary.importance} · ")
    meta.append(f"{summary.claims} claim" + ("s" if summary.claims != 1 else ""))
    grid.add_row(meta)
    return grid


class NavPane(OptionList):
    """Sections of choosable entries. Enter (or a click) chooses the highlighted one."""

    HELP_GROUP = "Navigation pane"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="nav.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="nav.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="nav.page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="nav.page-up"),
        Binding("home,g", "first", "First entry", show=False, id="nav.first"),
        Binding("end,G", "last", "Last entry", show=False, id="nav.last"),
        Binding("enter", "select", "Open", id="nav.open"),
        Binding(
            "right,l", "screen.focus_pane('stream')", "To the papers", show=False, id="nav.right"
        ),
    ]

    @dataclass
    class Chosen(Message):
        """An entry was chosen."""

        nav: NavPane
        target: NavTarget

        @property
        def control(self) -> NavPane:
            return self.nav

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._targets: dict[str, NavTarget] = {}

    def show_counts(self, counts: NavCounts) -> None:
        """Rebuild the entries, keeping the highlight on the same entry when it still exists."""
        current = self.highlighted_target
        self._targets.clear()
        options: list[Option] = []

        def section(title: str) -> None:
            options.append(Option(Text(title, style="bold #87afd7"), disabled=True))

        def add(target: NavTarget, prompt: Table) -> None:
            self._targets[target.key] = target
            options.append(Option(prompt, id=target.key))

        section("Views")
        everything = Text(f"{counts.total} · ")
        everything.append(f"{counts.unread} new", style="bold" if counts.unread else DIM)
        add(NavTarget(NavKind.ALL), _entry("All papers", everything))
        section("Beats")
        for name, unread in counts.beats:
            add(NavTarget(NavKind.BEAT, name), _entry(Text(name), _unread(unread)))
        section("Tags")
        for tag, unread in counts.tags:
            add(NavTarget(NavKind.TAG, tag), _entry(Text("#" + tag), _unread(unread)))
        section("Dossiers")
        for dossier in counts.dossiers:
            add(NavTarget(NavKind.DOSSIER, dossier.slug), _dossier(dossier))
        if not counts.dossiers:
            options.append(Option(Text("  none yet", style=DIM), disabled=True))
        section("River")
        for tag, posts in counts.rivers:
            label = Text("#" + tag)
            add(NavTarget(NavKind.RIVER, tag), _entry(label, f"{posts} post{'s' * (posts != 1)}"))
        if not counts.rivers:
            options.append(Option(Text("  none yet", style=DIM), disabled=True))
        self.set_options(options)
        everything_key = NavTarget(NavKind.ALL).key
        keep = current.key if current and current.key in self._targets else everything_key
        self.highlighted = self.get_option_index(keep)

    @property
    def highlighted_target(self) -> NavTarget | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self._targets.get(option.id or "")

    def highlight(self, target: NavTarget) -> None:
        """Move the highlight to ``target`` (if it is listed)."""
        if target.key in self._targets:
            self.highlighted = self.get_option_index(target.key)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self._targets.get(event.option_id or "")
        if target is not None:
            self.post_message(self.Chosen(self, target))
