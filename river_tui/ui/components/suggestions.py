"""The term suggestions of a beat (``T`` in a beat's view): the list, with how many kept and
let-go papers each term would move; Enter previews one (the papers that join and leave); ``y``
adds it to the user's beats.toml; Esc goes back.

The dialog's state is :class:`~river_tui.reader.suggest.SuggestState`; finding, previewing
and adding run in threads, each on a connection of its own. It dismisses with what was added
(:class:`~river_tui.beat_terms.Added`), or None."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from river_tui.beat_terms import Added, add_term, preview
from river_tui.domain.beat_terms import Suggestion, TermKind, TermRefused
from river_tui.domain.beats import Beat
from river_tui.reader.suggest import SuggestState, preview_lines
from river_tui.settings import Settings, SettingsError
from river_tui.store.library import Library, LibraryError
from river_tui.ui.components.dialogs import QUIT, OptionPicker
from river_tui.ui.render import DIM

SUGGEST_GROUP = "suggest"
PREVIEW_WIDTH = 52
"""Characters of a moving paper's title in the preview."""


def suggestion_prompt(s: Suggestion) -> Text:
    """``+ "tool calling"  brings in 4 kept, 1 let go`` (the term as plain text)."""
    include = s.kind is TermKind.INCLUDE
    out = Text("+ " if include else "− ", style="bold #5fd75f" if include else "bold #ff8700")
    out.append(f"“{s.term}”")
    verb = "brings in" if include else "drops"
    out.append(f"  {verb} {s.kept} kept, {s.let_go} let go", style=DIM)
    return out


class SuggestScreen(OptionPicker[Added | None]):
    """The suggestions for beat ``beat`` of the library at ``path`` (opened with ``beats``);
    ``settings`` say where the user's beats.toml is (None: terms cannot be added)."""

    HELP_GROUP = "Term suggestions"
    BINDINGS: ClassVar[list[BindingType]] = [
        QUIT,
        Binding("escape", "back", "Back (or close)", id="suggest.back"),
        Binding("y", "add", "Add the term previewed", id="suggest.add"),
        Binding("j", "move(1)", "Down", show=False, id="suggest.down"),
        Binding("k", "move(-1)", "Up", show=False, id="suggest.up"),
    ]

    def __init__(self, path: str, beats: list[Beat], beat: str, settings: Settings | None) -> None:
        super().__init__()
        self.path = path
        self.beats = beats
        self.settings = settings
        self.state = SuggestState(beat)
        self.busy = False
        """A preview or an addition is on its way (keys wait for it)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="suggest-box", classes="dialog") as box:
            box.border_title = f"Term suggestions: {self.state.beat}"
            box.border_subtitle = "Enter previews · y adds · Esc back"
            yield Static(Text(self.state.heading(), style="bold"), id="suggest-heading")
            yield OptionList(id="suggest-list", markup=False)
            yield Static("", id="suggest-preview")

    def on_mount(self) -> None:
        self.query_one("#suggest-preview").display = False
        self.run_worker(self._find, thread=True, group=SUGGEST_GROUP)

    # -- work in threads -------------------------------------------------------------------------
    def _find(self) -> None:
        # A seam: scikit-learn (tests/test_layers.py), loaded when suggestions are first asked.
        from river_tui.learning.suggest import suggest

        try:
            with Library.open(self.path, self.beats) as library:
                beat = next(b for b in library.beats if b.name == self.state.beat)
                found = suggest(library, beat)
        except (LibraryError, StopIteration) as exc:
            self.app.call_from_thread(self._failed, f"No suggestions: {exc or 'no such beat'}")
            return
        self.app.call_from_thread(self._found, found)

    def _preview(self, chosen: Suggestion) -> None:
        try:
            with Library.open(self.path, self.beats) as library:
                shown = preview(library, chosen.beat, chosen.kind, chosen.term)
        except (LibraryError, TermRefused) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._previewed, chosen, shown)

    def _add(self, chosen: Suggestion, settings: Settings) -> None:
        try:
            with Library.open(self.path, self.beats) as library:
                added = add_term(settings, library, chosen.beat, chosen.kind, chosen.term)
        except (LibraryError, SettingsError, TermRefused, OSError) as exc:
            self.app.call_from_thread(self._failed, f"The term was not added: {exc}")
            return
        self.app.call_from_thread(self.dismiss, added)

    # -- what the threads found ------------------------------------------------------------------
    def _found(self, found: list[Suggestion]) -> None:
        self.state.found(found)
        options = self.query_one("#suggest-list", OptionList)
        options.set_options(Option(suggestion_prompt(s)) for s in found)
        if found:
            options.highlighted = 0
        self._show()

    def _previewed(self, chosen: Suggestion, shown: object) -> None:
        self.busy = False
        if self.state.chosen is chosen:
            self.state.preview = shown  # type: ignore[assignment]
            self._show()

    def _failed(self, message: str) -> None:
        self.busy = False
        self.state.error = message
        self._show()

    def _show(self) -> None:
        """Draw the state: the list, or the preview of the term chosen."""
        state = self.state
        heading = state.error if state.error and not state.previewing else state.heading()
        self.query_one("#suggest-heading", Static).update(Text(heading, style="bold"))
        options = self.query_one("#suggest-list", OptionList)
        pane = self.query_one("#suggest-preview", Static)
        options.display = not state.previewing and bool(state.suggestions)
        pane.display = state.previewing
        if state.previewing:
            lines = (
                preview_lines(state.preview, PREVIEW_WIDTH)
                if state.preview is not None
                else [state.error or "Reading the papers it would move…"]
            )
            pane.update(Text("\n".join(lines)))
        else:
            options.focus()

    # -- the keys ---------------------------------------------------------------------------------
    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.busy or (chosen := self.state.choose(event.option_index)) is None:
            return
        self.busy = True
        self.state.error = ""
        self._show()
        self.run_worker(lambda: self._preview(chosen), thread=True, group=SUGGEST_GROUP)

    def action_back(self) -> None:
        if self.busy and not self.state.previewing:
            return
        self.busy = False
        self.state.error = ""
        if not self.state.back():
            self.dismiss(None)
            return
        self._show()

    def action_add(self) -> None:
        chosen = self.state.chosen
        if chosen is None or self.state.preview is None or self.busy:
            return
        if self.settings is None:
            self.notify("Terms cannot be added here: no settings to edit.", markup=False)
            return
        self.busy = True
        self.state.error = ""
        self.query_one("#suggest-heading", Static).update(
            Text(f"Adding “{chosen.term}” to {chosen.beat}…", style="bold")
        )
        settings = self.settings
        self.run_worker(lambda: self._add(chosen, settings), thread=True, group=SUGGEST_GROUP)
