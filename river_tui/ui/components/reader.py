"""The reader: navigation, paper stream and detail side by side."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from river_tui.domain import TriageState
from river_tui.store.library import Library
from river_tui.store.papers import PaperFilter
from river_tui.ui.components.detail import DetailPane
from river_tui.ui.components.nav import NavCounts, NavKind, NavPane, NavTarget
from river_tui.ui.components.status import StatusLine
from river_tui.ui.components.stream import PaperStream


class ReaderScreen(Screen[None]):
    """Reads through ``library`` (opened on the UI thread); never writes."""

    HELP_GROUP = "Panes"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next pane", id="focus-next"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", id="focus-previous"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield NavPane(id="nav")
            yield PaperStream(id="stream")
            yield DetailPane(id="detail")
        yield StatusLine(self.library.path, id="status")
        yield Footer()

    @property
    def nav(self) -> NavPane:
        return self.query_one(NavPane)

    @property
    def stream(self) -> PaperStream:
        return self.query_one(PaperStream)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    def action_focus_pane(self, pane: str) -> None:
        """Focus ``nav``, ``stream`` or ``detail``."""
        self.query_one(f"#{pane}").focus()

    def on_mount(self) -> None:
        self.nav.border_title = Text("River")
        self.nav.show_counts(self.counts())
        self.stream.show(self.library, PaperFilter(), "Papers")
        self.stream.focus()

    def reload(self) -> None:
        """The library changed underneath: refresh the counts and the stream."""
        self.nav.show_counts(self.counts())
        self.stream.reload()

    def set_activity(self, activity: str) -> None:
        self.query_one(StatusLine).set_activity(activity)

    def counts(self) -> NavCounts:
        lib = self.library
        beats = lib.beat_counts()
        return NavCounts(
            total=lib.count(),
            unread=lib.count(PaperFilter(state=TriageState.NEW)),
            beats=[(beat.name, beats.get(beat.name, (0, 0))[1]) for beat in lib.beats],
            tags=[(tag, unread) for tag, (_total, unread) in lib.tag_counts().items()],
            dossiers=lib.dossiers(),
            rivers=sorted(lib.post_counts().items()),
        )

    def choose(self, target: NavTarget) -> None:
        """Show what a navigation entry stands for."""
        if target.kind is NavKind.DOSSIER:
            dossier = self.library.dossier(target.value)
            if dossier is None:
                self.detail.show_message("Dossier", "This dossier is no longer in the library.")
            else:
                self.detail.show_dossier(dossier)
            self.detail.focus()
            return
        if target.kind is NavKind.RIVER:
            self.detail.show_posts(target.value, self.library.posts(target.value))
            self.detail.focus()
            return
        if target.kind is NavKind.BEAT:
            self.stream.show(self.library, PaperFilter(beat=target.value), target.value)
        elif target.kind is NavKind.TAG:
            self.stream.show(self.library, PaperFilter(tag=target.value), "#" + target.value)
        else:
            self.stream.show(self.library, PaperFilter(), "Papers")
        self.stream.focus()

    @on(NavPane.Chosen)
    def _chosen(self, event: NavPane.Chosen) -> None:
        self.choose(event.target)

    @on(PaperStream.Highlighted)
    def _highlighted(self, event: PaperStream.Highlighted) -> None:
        if event.paper is None:
            self.detail.show_message("Paper", "No papers in this view.")
        else:
            self.detail.show_paper(self.library.record(event.paper.pk))

    @on(PaperStream.Opened)
    def _opened(self) -> None:
        self.detail.focus()

    @on(DetailPane.Back)
    def _back(self) -> None:
        self.stream.focus()
