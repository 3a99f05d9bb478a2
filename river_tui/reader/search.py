"""The query typed over the view: searched as it is typed, without ever blocking the keys.

Each change of the text runs the query as a job with a library connection of its own: its first
page, shown at once. A full page's view is counted like any view, once the page is on screen
(:meth:`ReaderSession.count_view`), in the search's lane: the next key abandons that count
with the page job it starts. There is no waiting for a pause in the typing; instead one page is
asked for at a time: text typed while it is on its way is searched together, by one query for
the text as it is when that page arrives. A job still running then is abandoned (its lane is
exclusive: its SQL is interrupted), and only the answer to the latest text is ever shown."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from river_tui.domain import QueryError
from river_tui.reader.executor import Job, Lane, Task
from river_tui.reader.rows import PAGE, ViewPage
from river_tui.reader.views import INBOX, NavKind, NavTarget
from river_tui.remembered import delete_search, save_search
from river_tui.store.library import Library, LibraryError
from river_tui.store.papers import PaperFilter

if TYPE_CHECKING:
    from river_tui.reader.session import ReaderSession


def query_error_text(error: QueryError) -> str:
    """``unknown field 'foo:' (at character 8); fields are …``"""
    text = f"{error.message} (at character {error.position})"
    return f"{text}; {error.hint}" if error.hint else text


class Search:
    """The query typed over the session's view, and its answers."""

    def __init__(self, session: ReaderSession) -> None:
        self.session = session
        self.text = ""
        """The query typed (stripped)."""
        self.error = ""
        """What is wrong with it, or why it could not run ("" when it ran)."""
        self._wanted: PaperFilter | None = None
        """The filter of the last search run, until it is kept or left."""
        self._paging = False
        """A page was asked for and has not arrived: text typed meanwhile waits for it."""
        self._typed_since = False
        """The text changed while a page was on its way: search again when it arrives."""

    @property
    def paging(self) -> bool:
        """A page was asked for and has not arrived: the rows shown are about to change."""
        return self._paging

    def filter_for(self, final: bool) -> PaperFilter:
        """The view narrowed by the text typed (a saved search's own query comes first);
        ``final``: Enter was pressed (as you type, the last word is a prefix)."""
        base = self.session.view_filter
        query = " ".join(q for q in (base.query, self.text) if q)
        return replace(base, query=query or None, type_ahead=bool(self.text) and not final)

    def type(self, text: str) -> None:
        """The text typed is now ``text``."""
        self.text = text.strip()
        if self._paging:
            self._typed_since = True  # searched for when the page on its way arrives
        else:
            self._run(final=False)

    def submit(self) -> None:
        """Enter: search for the query as a whole; its page is shown and the search kept."""
        self._run(final=True)

    def reset(self) -> None:
        """Clear the query (another view, or Esc); a page on its way is not waited for."""
        self._done()
        self.text = self.error = ""
        self.session.listener.search_reset()

    def _done(self) -> None:
        self._typed_since = False
        self._wanted = None
        self._paging = False

    def _run(self, final: bool) -> None:
        flt = self.filter_for(final)
        self._wanted = flt
        self._paging, self._typed_since = True, False
        self.session.executor.submit(Lane.SEARCH, self._job(flt, final), self._broke)

    def _job(self, flt: PaperFilter, final: bool) -> Job:
        path, beats = self.session.library.path, self.session.library.beats

        def run(task: Task) -> None:
            try:
                with Library.open(path, beats) as library:
                    library.interrupt_when(task.cancelled)
                    # The page walks the sort's index: a broad match fills it at once.
                    page = ViewPage.of(library.papers(flt, limit=PAGE, in_order=True))
                    task.deliver(lambda page: self._found(flt, page, final), page)
            except QueryError as exc:
                task.deliver(lambda error: self._failed(flt, error), query_error_text(exc))
            except LibraryError as exc:
                error = f"the search could not run: {exc}"
                task.deliver(lambda error: self._failed(flt, error), error)

        return run

    def _page_arrived(self) -> None:
        """The latest page (or its error) is in: search for what was typed meanwhile."""
        self._paging = False
        if self._typed_since and self._wanted is not None:
            self._run(final=False)

    def _found(self, flt: PaperFilter, page: ViewPage, final: bool) -> None:
        if flt != self._wanted:
            return  # typing went on: a newer query is on its way
        self.error = ""
        self._page_arrived()
        session = self.session
        session.show(flt, session.view_label, page)
        session.listener.search_found()
        if final:
            self._done()
            session.listener.search_kept()

    def _failed(self, flt: PaperFilter, error: str) -> None:
        if flt == self._wanted:
            self.error = error
            self._page_arrived()
            self._rows_stay()
            self.session.listener.search_failed()

    def _broke(self, error: Exception) -> None:
        """The job failed before its page: do not wait for it."""
        if self._paging:
            self._page_arrived()
            self._rows_stay()
            self.session.listener.search_failed()

    def _rows_stay(self) -> None:
        """No new page comes: the rows shown stay, and are counted if the job that failed
        replaced their count (it shares their lane)."""
        if not self._paging:
            self.session.count_view(again=True)

    # -- saved searches ---------------------------------------------------------------------
    def save(self, name: str, query: str) -> None:
        """Keep ``query`` under ``name`` (the navigation lists it)."""
        try:
            save_search(self.session.library, name, query)
        except LibraryError as exc:
            self.session.say(str(exc), "error")
            return
        self.session.say(f"Saved the search “{name}”: {query}")
        self.session.refresh_counts()

    def delete(self, name: str) -> None:
        """Delete saved search ``name``; if it is the view shown, the Inbox is shown instead."""
        try:
            deleted = delete_search(self.session.library, name)
        except LibraryError as exc:
            self.session.say(str(exc), "error")
            return
        if deleted:
            self.session.say(f"Deleted the saved search “{name}”.")
        if self.session.view == NavTarget(NavKind.SEARCH, name):
            self.session.show_view(INBOX)
        self.session.refresh_counts()
