"""The search bar above the stream: the query is typed here and searched by the session
(:class:`~river_tui.reader.search.Search`, as you type, never blocking the keys); the bar shows
what is wrong with it, and holds the keys typed after Enter for the papers."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from river_tui.reader.search import Search
from river_tui.ui.keys import bindings_of

Typed = events.Key | events.Paste
NAMED_CHARACTERS = {
    "plus": "+",
    "minus": "-",
    "slash": "/",
    "at": "@",
    "backslash": "\\",
    "underscore": "_",
}
"""Keys Textual names but cannot turn back into their character (``key_to_character("slash")``
is None: it looks for a character named SLASH, and '/' is SOLIDUS)."""


class SearchInput(Input):
    """The query being typed. Its keys are listed in the help.

    Keys typed after Enter, before the search's last page is shown and the papers have the
    focus again, are the papers' (over SSH, ``credit⏎x`` arrives at once): the input keeps
    them (:attr:`held`) instead of typing them, and the reader sends them on."""

    HELP_GROUP = "Search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Keep the filter, back to the papers", id="search.keep"),
        Binding("escape", "screen.clear_search", "Clear the search", id="search.clear"),
        Binding("ctrl+s", "screen.save_search", "Save the search under a name", id="search.save"),
    ]

    held: list[Typed] | None = None
    """Keys and pastes taken since Enter (None: Enter was not pressed, or its search is
    done)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """The input types every printable key, so no binding of the reader's takes it first:
        '/' (a priority binding, which opens this bar) is typed here, as in ``tag:a/b``. Textual
        asks with no character for the keys in :data:`NAMED_CHARACTERS`, and '/' was lost."""
        return super().check_consume_key(key, character or NAMED_CHARACTERS.get(key))

    async def on_key(self, event: events.Key) -> None:
        if self._not_the_querys(event, events.Key(event.key, event.character)):
            return
        if self._submits(event.key):
            # Submitted here, in the order the keys came, not when Enter is back up at the
            # app: the keys queued behind it are held from the first.
            event.stop()
            event.prevent_default()
            self.held = []
            await self.action_submit()

    def on_paste(self, event: events.Paste) -> None:
        self._not_the_querys(event, events.Paste(event.text))

    def on_blur(self) -> None:
        self.release()  # the focus went elsewhere (a click, the palette): so do the keys

    def _not_the_querys(self, event: Typed, again: Typed) -> bool:
        """Whether ``event`` is not for the query: sent here before the focus moved on (the
        search done, the bar closed), or typed after Enter. Then it is not typed: ``again``, a
        copy, is held until the search is done, or sent on now if the focus has moved."""
        focused = self.app.focused is self
        if focused and self.held is None:
            return False
        event.stop()
        event.prevent_default()
        if focused and self.held is not None:
            self.held.append(again)
        else:
            self._resend(again)
        return True

    def _resend(self, event: Typed) -> None:
        # From the app, as the driver sends them: an event bubbles up to its sender and no
        # further, and the app's bindings must see it.
        self.app.post_message(event.set_sender(self.app))

    def _submits(self, key: str) -> bool:
        """Whether ``key`` is Enter, or what ``[keys]`` made ``search.keep``."""

        return any(b.action == "submit" and b.key == key for b in bindings_of(self))

    def release(self) -> None:
        """Send what was held since Enter to the app again, in order: to whatever has the
        focus now (the papers, or this input if the search failed)."""
        held, self.held = self.held or [], None
        for event in held:
            self._resend(event)


class SearchBar(Vertical):
    """An input and, under it, what is wrong with the query (if anything). Hidden until ``/``."""

    def __init__(self, search: Search, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.search = search

    def compose(self) -> ComposeResult:
        field = SearchInput(placeholder='words, "a phrase", -word, OR, ti: au: tag: beat: is:new …')
        field.border_title = "Search"
        field.border_subtitle = "Enter keeps · Esc clears · ctrl+s saves"
        yield field
        yield Static("", id="search-error", markup=False)

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    def open(self) -> None:
        """Show the bar and focus it, keeping the text typed before."""
        self.display = True
        # At once, not after the keys already queued (Widget.focus waits its turn): keys typed
        # right after '/' are the query's ('/' is a priority binding: the app opens the bar
        # before it takes the next key).
        self.screen.set_focus(self.input)
        self.input.action_end()

    def close(self, clear: bool = False) -> None:
        """Hide the bar (``clear``: and empty it). Keys held since Enter are sent on; give the
        focus to where they belong first."""
        self.input.release()
        if clear:
            with self.prevent(Input.Changed):
                self.input.value = ""
            self.show_error()
        self.display = False

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search.type(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search.submit()

    def show_error(self) -> None:
        """Show what is wrong with the query (:attr:`Search.error`), or nothing."""
        error = self.search.error
        status = self.query_one("#search-error", Static)
        if status.display == bool(error) and self.error == error:
            return  # as shown: an update would lay the whole screen out again, at every key
        status.display = bool(error)
        if error:
            line = Text("✗ ", style="bold #ff5f5f")
            line.append(error)
            status.update(line)
        else:
            status.update("")

    @property
    def error(self) -> str:
        """The error as shown ("" when none)."""
        status = self.query_one("#search-error", Static)
        content = status.content
        return content.plain if isinstance(content, Text) else str(content)
