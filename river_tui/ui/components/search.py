"""The search bar above the stream: filters as you type, without ever blocking the keys.

Each keystroke runs the query in a thread worker with a library connection of its own: first
the first page, shown at once, then (if the page is full) the count and new count, which arrive
a moment later. There is no waiting for a pause in the typing; instead one page is asked for at
a time: keys typed while it is on its way are taken together, by one query for the text as it
is when that page arrives. A count still running then is abandoned (``exclusive=True``
interrupts its SQL), and only the answer to the latest text is ever shown."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from river_tui.domain import Beat, QueryError
from river_tui.store.library import Library, LibraryError
from river_tui.store.papers import PaperFilter
from river_tui.ui.components.stream import PAGE, ViewPage

SEARCH_GROUP = "search"
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


def query_error_text(error: QueryError) -> str:
    """``unknown field 'foo:' (at character 8); fields are …``"""
    text = f"{error.message} (at character {error.position})"
    return f"{text}; {error.hint}" if error.hint else text


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
        from river_tui.ui.components.help import bindings_of  # loaded with the first Enter

        return any(b.action == "submit" and b.key == key for b in bindings_of(self))

    def release(self) -> None:
        """Send what was held since Enter to the app again, in order: to whatever has the
        focus now (the papers, or this input if the search failed)."""
        held, self.held = self.held or [], None
        for event in held:
            self._resend(event)


class SearchBar(Vertical):
    """An input and, under it, what is wrong with the query (if anything). Hidden until ``/``."""

    class Applied(Message):
        """Results for the text typed: the stream should show ``page`` of ``filter``."""

        def __init__(
            self,
            bar: SearchBar,
            filter: PaperFilter,
            page: ViewPage,
            final: bool,
        ) -> None:
            super().__init__()
            self.bar = bar
            self.filter = filter
            self.page = page
            self.final = final
            """Enter was pressed: the search is kept and the reader goes back to the papers."""

    class Counted(Message):
        """How many papers ``filter`` selects (after its ``Applied``, when that page was full)."""

        def __init__(self, bar: SearchBar, filter: PaperFilter, count: int, unread: int) -> None:
            super().__init__()
            self.bar = bar
            self.filter = filter
            self.count = count
            self.unread = unread

    class _Counted(Message):
        def __init__(self, filter: PaperFilter, count: int, unread: int) -> None:
            super().__init__()
            self.filter = filter
            self.count = count
            self.unread = unread

    class _Found(Message):
        def __init__(self, filter: PaperFilter, page: ViewPage, final: bool) -> None:
            super().__init__()
            self.filter = filter
            self.page = page
            self.final = final

    class _Failed(Message):
        def __init__(self, filter: PaperFilter, error: str) -> None:
            super().__init__()
            self.filter = filter
            self.error = error

    def __init__(self, db_path: str, beats: list[Beat], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.db_path = db_path
        self.beats = beats
        self.base = PaperFilter()
        """The view being searched (its query is replaced by the text typed)."""
        self._wanted: PaperFilter | None = None
        self._paging = False
        """A page was asked for and has not arrived: keys typed meanwhile wait for it."""
        self._typed_since = False
        """The text changed while a page was on its way: search again when it arrives."""

    def compose(self) -> ComposeResult:
        field = SearchInput(placeholder='words, "a phrase", -word, OR, ti: au: tag: beat: is:new …')
        field.border_title = "Search"
        field.border_subtitle = "Enter keeps · Esc clears · ctrl+s saves"
        yield field
        yield Static("", id="search-error", markup=False)

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    @property
    def text(self) -> str:
        return self.input.value.strip()

    def open(self, base: PaperFilter) -> None:
        """Show the bar over the view ``base`` and focus it, keeping the text typed before."""
        self.base = base
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
        self._typed_since = False
        self._wanted = None  # a page still on its way is for nothing shown now: not waited for
        self._paging = False
        if clear:
            with self.prevent(Input.Changed):
                self.input.value = ""
            self._show_error("")
        self.display = False

    def filter_for(self, final: bool) -> PaperFilter:
        """The view narrowed by the text typed (a saved search's own query comes first)."""
        text = self.text
        query = " ".join(q for q in (self.base.query, text) if q)
        return replace(self.base, query=query or None, type_ahead=bool(text) and not final)

    # -- typing ---------------------------------------------------------------------------------
    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._paging:
            self._typed_since = True  # searched for when the page on its way arrives
        else:
            self.run_search(False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_search(True)

    def run_search(self, final: bool) -> None:
        flt = self.filter_for(final)
        self._wanted = flt
        self._paging, self._typed_since = True, False
        self._search(flt, final)

    def _page_arrived(self) -> None:
        """The latest page (or its error) is in: search for what was typed meanwhile."""
        self._paging = False
        if self._typed_since and self._wanted is not None:
            self.run_search(False)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == SEARCH_GROUP and event.state is WorkerState.ERROR and self._paging:
            self._page_arrived()  # it failed before its page: do not wait for it
            self.input.release()

    @work(thread=True, exclusive=True, exit_on_error=False, group=SEARCH_GROUP)
    def _search(self, flt: PaperFilter, final: bool) -> None:
        worker = get_current_worker()
        try:
            with Library.open(self.db_path, self.beats) as library:
                library.interrupt_when(lambda: worker.is_cancelled)
                # The page walks the sort's index: a broad match fills it at once.
                page = ViewPage.of(library.papers(flt, limit=PAGE, in_order=True))
                if worker.is_cancelled:
                    return
                self.post_message(self._Found(flt, page, final))
                if page.count is None:
                    count, unread = library.count_view(flt)
                    if not worker.is_cancelled:
                        self.post_message(self._Counted(flt, count, unread))
        except QueryError as exc:
            if not worker.is_cancelled:
                self.post_message(self._Failed(flt, query_error_text(exc)))
        except LibraryError as exc:
            if not worker.is_cancelled:
                self.post_message(self._Failed(flt, f"the search could not run: {exc}"))
        except Exception:
            if not worker.is_cancelled:  # else: interrupted, because newer typing overtook it
                raise

    @on(_Found)
    def _found(self, message: _Found) -> None:
        if message.filter != self._wanted:
            return  # typing went on: a newer query is on its way
        self._show_error("")
        self._page_arrived()
        self.post_message(self.Applied(self, message.filter, message.page, message.final))

    @on(_Counted)
    def _counted(self, message: _Counted) -> None:
        # Also once the bar is closed (Enter kept the query): the stream takes the counts of
        # the view it shows, and ignores any other.
        if self._wanted is None or message.filter == self._wanted:
            self.post_message(self.Counted(self, message.filter, message.count, message.unread))

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        if message.filter == self._wanted:
            self._show_error(message.error)
            self._page_arrived()
            self.input.release()  # the bar stays, with the error: the keys are the query's

    def _show_error(self, error: str) -> None:
        status = self.query_one("#search-error", Static)
        status.display = bool(error)
        if error:
            line = Text("✗ ", style="bold #ff5f5f")
            line.append(error)
            status.update(line)
        else:
            status.update("")

    @property
    def error(self) -> str:
        status = self.query_one("#search-error", Static)
        content = status.content
        return content.plain if isinstance(content, Text) else str(content)
