"""The navigation pane: views, beats, feeds, tags, dossiers and rivers, each with its count."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from textwrap import shorten
from typing import TYPE_CHECKING, ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.css.styles import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from river_tui.domain.text import counted
from river_tui.reader.views import INBOX, VIEW_LABELS, NavCounts, NavKind, NavTarget
from river_tui.ui.render import DIM, Piece, nav_line

if TYPE_CHECKING:  # the claims modules load when the counts first list dossiers
    from river_tui.store.claims import DossierSummary

__all__ = ["NavCounts", "NavKind", "NavPane", "NavTarget"]

DOSSIER_TITLE = 56
"""Dossier titles are long sentences: the pane shows about two lines of one."""


_DIM = Style.parse(DIM)
_BOLD = Style(bold=True)
_BAD = Style.parse("#ff5f5f")
_REVIEW = Style.parse("bold #ff8700")
_PLAIN = Style()
_WAITING: tuple[Piece, ...] = (("…", _DIM),)


class _Entry(Visual):
    """An entry of the pane (:func:`river_tui.ui.render.nav_line`): a label and its count flush
    right, at whatever width the pane gives. A Textual ``Visual`` that makes its strip itself:
    a Rich renderable is rendered by a Rich console twice (once to measure its height), which
    made this pane the slowest part of the first screen to draw."""

    def __init__(self, label: str, count: Sequence[Piece]) -> None:
        self.label, self.count = label, count

    def render_strips(
        self, width: int, height: int | None, style: VisualStyle, options: RenderOptions
    ) -> list[Strip]:
        segments = nav_line(self.label, self.count, width)
        return [Strip(Segment.apply_style(segments, style=style.rich_style))]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Printed by Rich as the pane draws it (the tests read the pane's entries so)."""
        yield from nav_line(self.label, self.count, options.max_width)
        yield Segment.line()


def _note(text: str, style: str = DIM) -> Option:
    """A line that is not an entry (a section's title, "counting…"): never highlighted, and
    wrapped when the pane is narrow ("none yet (/ then ^s)" keeps its hint)."""
    return Option(Text(text, style=style), disabled=True)


def _unread(count: int) -> tuple[Piece, ...]:
    return ((str(count), _BOLD if count else _DIM),)


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
            options.append(_note(title, "bold #87afd7"))

        def add(target: NavTarget, prompt: _Entry | Table) -> None:
            self._targets[target.key] = target
            options.append(Option(prompt, id=target.key))

        def entry(target: NavTarget, label: str, count: Sequence[Piece]) -> None:
            add(target, _Entry(label, count))

        def counting() -> None:
            options.append(_note("  counting…"))

        section("Views")
        for kind, label in VIEW_LABELS.items():
            count = counts.view_count(kind)
            shown: Sequence[Piece]
            if counts.pending:
                shown = _WAITING
            elif kind is NavKind.ALL:
                new = (f"{counts.unread} new", _BOLD if counts.unread else _DIM)
                shown = ((f"{count} · ", _PLAIN), new)
            elif kind is NavKind.INBOX:
                shown = ((f"{count} new", _BOLD if count else _DIM),)
            else:
                shown = ((str(count), _PLAIN if count else _DIM),)
            entry(NavTarget(kind), label, shown)
        section("Searches")
        for name, _query, found in counts.searches:
            shown = (("bad query", _BAD),) if found is None else ((counts.shown(found), _PLAIN),)
            shown = _WAITING if counts.partial else shown
            entry(NavTarget(NavKind.SEARCH, name), "⌕ " + name, shown)
        if counts.pending:
            counting()
        elif not counts.searches:
            options.append(_note("  none yet (/ then ^s)"))
        section("Beats")
        for name, unread in counts.beats:
            entry(
                NavTarget(NavKind.BEAT, name), name, _WAITING if counts.pending else _unread(unread)
            )
        if counts.feeds:
            section("Feeds")
        for name, url, unread in counts.feeds:
            entry(NavTarget(NavKind.FEED, url), name, _unread(unread))
        if counts.hidden:
            section("Left out by the rules")
        for name, found in counts.hidden:
            shown = (
                _WAITING if counts.partial else ((counts.shown(found), _PLAIN if found else _DIM),)
            )
            entry(NavTarget(NavKind.HIDDEN, name), name, shown)
        section("Tags")
        for tag, unread in counts.tags:
            entry(NavTarget(NavKind.TAG, tag), "#" + tag, _unread(unread))
        if counts.pending:
            counting()
        section("Dossiers")
        if counts.review:
            entry(NavTarget(NavKind.REVIEW), "⚑ Needs review", ((str(counts.review), _REVIEW),))
        if counts.dossiers:
            listed = ((str(len(counts.dossiers)), _DIM),)
            entry(NavTarget(NavKind.DOSSIERS), "≡ All dossiers", listed)
        for dossier in counts.dossiers:
            cited = counts.cited.get(dossier.slug, 0)
            add(NavTarget(NavKind.DOSSIER, dossier.slug), _dossier(dossier, cited))
        if counts.pending:
            counting()
        elif not counts.dossiers:
            options.append(_note("  none yet"))
        section("River")
        for tag, posts in counts.rivers:
            entry(NavTarget(NavKind.RIVER, tag), "#" + tag, ((counted(posts, "post"), _PLAIN),))
        if counts.pending:
            counting()
        elif not counts.rivers:
            options.append(_note("  none yet"))
        self.set_options(options)
        keep = current.key if current and current.key in self._targets else INBOX.key
        self.highlighted = self.get_option_index(keep)

    @property
    def targets(self) -> list[NavTarget]:
        """Every entry that can be chosen, in the order listed."""
        return list(self._targets.values())

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
