"""The navigation pane: views, beats, tags, dossiers and rivers, each with its count."""

from __future__ import annotations

from collections.abc import Callable
from textwrap import shorten
from typing import TYPE_CHECKING, ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from river_tui.domain.text import counted
from river_tui.ui.views import INBOX, VIEW_LABELS, NavCounts, NavKind, NavTarget

if TYPE_CHECKING:  # the claims modules load when the counts first list dossiers
    from river_tui.store.claims import DossierSummary

__all__ = ["NavCounts", "NavKind", "NavPane", "NavTarget"]

DIM = "#8a8a8a"
DOSSIER_TITLE = 56
"""Dossier titles are long sentences: the pane shows about two lines of one."""


class _Entry:
    """A label on the left and a count flush right, on one line, at whatever width the pane
    gives (the label cut with an ellipsis). What a two-column ``Table.grid`` draws, at a tenth
    of the cost: the navigation renders every entry on the first screen."""

    def __init__(self, label: Text, count: Text) -> None:
        self.label, self.count = label, count

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        line = self.label.copy()
        line.no_wrap = True
        line.truncate(max(width - self.count.cell_len - 1, 0), overflow="ellipsis", pad=True)
        line.append(" ")
        line.append_text(self.count)
        line.truncate(width)
        yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(options.max_width, options.max_width)


def _entry(label: Text | str, count: Text | str = "") -> _Entry:
    """A label on the left and a count flush right, on one line. Strings become ``Text``
    (never read as markup)."""
    return _Entry(
        Text(label) if isinstance(label, str) else label,
        Text(count) if isinstance(count, str) else count,
    )


def _unread(count: int) -> Text:
    return Text(str(count), style="bold" if count else DIM)


def _dossier(summary: DossierSummary, cited: int) -> Table:
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1, overflow="ellipsis")
    title = Text(shorten(summary.title, DOSSIER_TITLE, placeholder=" …"))
    grid.add_row(title)
    grid.add_row(Text(f"  {summary.status} · imp. {summary.importance}", style=DIM))
    claims = counted(summary.claims, "claim")
    grid.add_row(Text(f"  {claims} · {counted(cited, 'paper')} cited", style=DIM))
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
        Binding("delete,d", "delete_search", "Delete search", id="nav.delete-search"),
        Binding(
            "right,l", "screen.focus_pane('stream')", "To the papers", show=False, id="nav.right"
        ),
    ]

    class DeleteSearch(Message):
        """Delete was pressed on a saved search."""

        def __init__(self, nav: NavPane, name: str) -> None:
            super().__init__()
            self.nav = nav
            self.name = name

        @property
        def control(self) -> NavPane:
            return self.nav

    def __init__(self, chooser: Callable[[NavTarget], None], *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._targets: dict[str, NavTarget] = {}
        self.chooser = chooser
        """Shows what an entry stands for (the reader's ``choose``), called as Enter (or a click)
        is handled rather than posted: the focus has moved on before the next key is, so a key
        typed in the same instant ('⏎ x') is for the view chosen, not a paper of the one left."""

    def show_counts(self, counts: NavCounts) -> None:
        """Rebuild the entries, keeping the highlight on the same entry when it still exists."""
        current = self.highlighted_target
        self._targets.clear()
        options: list[Option] = []

        def section(title: str) -> None:
            options.append(Option(Text(title, style="bold #87afd7"), disabled=True))

        def add(target: NavTarget, prompt: _Entry | Table) -> None:
            self._targets[target.key] = target
            options.append(Option(prompt, id=target.key))

        waiting = Text("…", style=DIM)

        def counting() -> None:
            options.append(Option(Text("  counting…", style=DIM), disabled=True))

        section("Views")
        for kind, label in VIEW_LABELS.items():
            count = counts.view_count(kind)
            if counts.pending:
                shown = waiting
            elif kind is NavKind.ALL:
                shown = Text(f"{count} · ")
                shown.append(f"{counts.unread} new", style="bold" if counts.unread else DIM)
            elif kind is NavKind.INBOX:
                shown = Text(f"{count} new", style="bold" if count else DIM)
            else:
                shown = Text(str(count), style="" if count else DIM)
            add(NavTarget(kind), _entry(label, shown))
        section("Searches")
        for name, _query, found in counts.searches:
            shown = Text("bad query", style="#ff5f5f") if found is None else Text(str(found))
            add(NavTarget(NavKind.SEARCH, name), _entry(Text("⌕ " + name), shown))
        if counts.pending:
            counting()
        elif not counts.searches:
            options.append(Option(Text("  none yet (/ then ^s)", style=DIM), disabled=True))
        section("Beats")
        for name, unread in counts.beats:
            shown = waiting if counts.pending else _unread(unread)
            add(NavTarget(NavKind.BEAT, name), _entry(Text(name), shown))
        section("Tags")
        for tag, unread in counts.tags:
            add(NavTarget(NavKind.TAG, tag), _entry(Text("#" + tag), _unread(unread)))
        if counts.pending:
            counting()
        section("Dossiers")
        if counts.dossiers:
            listed = Text(str(len(counts.dossiers)), style=DIM)
            add(NavTarget(NavKind.DOSSIERS), _entry(Text("≡ All dossiers"), listed))
        for dossier in counts.dossiers:
            cited = counts.cited.get(dossier.slug, 0)
            add(NavTarget(NavKind.DOSSIER, dossier.slug), _dossier(dossier, cited))
        if counts.pending:
            counting()
        elif not counts.dossiers:
            options.append(Option(Text("  none yet", style=DIM), disabled=True))
        section("River")
        for tag, posts in counts.rivers:
            label = Text("#" + tag)
            add(NavTarget(NavKind.RIVER, tag), _entry(label, counted(posts, "post")))
        if counts.pending:
            counting()
        elif not counts.rivers:
            options.append(Option(Text("  none yet", style=DIM), disabled=True))
        self.set_options(options)
        keep = current.key if current and current.key in self._targets else INBOX.key
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_search":
            target = self.highlighted_target
            return target is not None and target.kind is NavKind.SEARCH
        return True

    def action_delete_search(self) -> None:
        target = self.highlighted_target
        if target is not None and target.kind is NavKind.SEARCH:
            self.post_message(self.DeleteSearch(self, target.value))

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.refresh_bindings()  # "Delete search" shows only on a saved search

    def action_select(self) -> None:
        """Enter, or a click (Textual's click calls this too): choose the highlighted entry."""
        target = self.highlighted_target
        if target is not None:
            self.chooser(target)
