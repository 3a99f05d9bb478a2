"""River's commands in Textual's command palette (ctrl+p): every paper action, the dossier keys
(the list of dossiers, tending a claim), every view, beat, tag, dossier and saved search to jump
to, and the sorts.

Names and titles come from outside (a dossier's title, a tag), so every prompt is built as
``Content`` from plain text: the palette would read a plain string as markup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from river_tui.domain.text import counted
from river_tui.reader.actions import SORTS, shorten
from river_tui.reader.views import VIEW_LABELS, NavKind, NavTarget
from river_tui.ui.components.reader import ReaderScreen
from river_tui.ui.keys import bindings_of

COMMAND_IDS = ("stream.", "dossier.", "river.", "feeds.")
"""The bindings offered as commands, by the start of their id."""


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    text: str
    help: str
    run: Callable[[], object]
    discoverable: bool = True
    """Listed before anything is typed (jumps to beats, tags and dossiers are not)."""


def reader_commands(reader: ReaderScreen) -> list[PaletteCommand]:
    """The reader's commands, from its bindings (with their keys as remapped) and its counts."""
    app = reader.app
    commands: list[PaletteCommand] = []
    seen: set[str] = set()
    for binding in bindings_of(reader):
        if not binding.id or not binding.id.startswith(COMMAND_IDS) or binding.id in seen:
            continue
        seen.add(binding.id)
        keys = [app.get_key_display(b) for b in bindings_of(reader) if b.id == binding.id]
        commands.append(
            PaletteCommand(
                f"{binding.description}  ({' / '.join(keys)})",  # the key on the same line
                "",
                partial(reader.run_action, binding.action),
            )
        )
    for sort in SORTS:
        commands.append(
            PaletteCommand(
                f"Sort by {sort}", "the stream's order", partial(reader.session.set_sort, sort)
            )
        )

    def jump(text: str, help: str, target: NavTarget, listed: bool = False) -> None:
        commands.append(PaletteCommand(text, help, partial(reader.jump, target), listed))

    for kind, label in VIEW_LABELS.items():
        jump(f"Go to {label}", "view", NavTarget(kind), True)
    counts = reader.session.counts
    for name, query, _found in counts.searches:
        jump(f"Go to search {name}", query, NavTarget(NavKind.SEARCH, name), True)
    for beat, unread in counts.beats:
        jump(f"Go to beat {beat}", f"{unread} new", NavTarget(NavKind.BEAT, beat))
    for beat, found in counts.hidden:
        help = f"{found} papers its model scores high"
        jump(f"Go to what {beat} leaves out", help, NavTarget(NavKind.HIDDEN, beat))
    for tag, unread in counts.tags:
        jump(f"Go to tag #{tag}", f"{unread} new", NavTarget(NavKind.TAG, tag))
    for name, url, unread in counts.feeds:
        jump(f"Go to feed {name}", f"{unread} new · {url}", NavTarget(NavKind.FEED, url), True)
    for tag, cards in counts.rivers:
        help = f"{counted(cards, 'post')} and its papers"
        jump(f"Go to river #{tag}", help, NavTarget(NavKind.RIVER, tag))
    if counts.review:
        help = f"{counted(counts.review, 'claim')} waiting"
        jump("Go to Needs review", help, NavTarget(NavKind.REVIEW), True)
    for dossier in counts.dossiers:
        cited = counts.cited.get(dossier.slug, 0)
        help = f"{counted(dossier.claims, 'claim')} · {counted(cited, 'paper')} cited"
        target = NavTarget(NavKind.DOSSIER, dossier.slug)
        jump(f"Go to dossier {shorten(dossier.title, 70)}", help, target)
    return commands


def highlight(matcher: Matcher, text: str) -> Content:
    """``text`` as plain content with the matched characters styled (``Matcher.highlight``
    would parse ``text`` as markup)."""
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class RiverCommands(Provider):
    """Reads what it offers from the reader screen it was opened over (no I/O)."""

    commands: list[PaletteCommand]

    async def startup(self) -> None:
        screen = self.screen
        self.commands = reader_commands(screen) if isinstance(screen, ReaderScreen) else []

    async def discover(self) -> Hits:
        for command in self.commands:
            if command.discoverable:
                yield DiscoveryHit(
                    Content(command.text),
                    command.run,
                    text=command.text,
                    help=Content(command.help) if command.help else None,  # type: ignore[arg-type]
                )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands:
            score = matcher.match(command.text)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, command.text),
                    command.run,
                    text=command.text,
                    help=Content(command.help) if command.help else None,  # type: ignore[arg-type]
                )
