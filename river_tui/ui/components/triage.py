"""The paper keys that need more than the session: the tagger and the beat picker, the links
(a browser, the clipboard), the claim editor and the note's editor.

The decisions themselves are the session's (:class:`~river_tui.reader.session.ReaderSession`):
single-paper decisions are one small transaction each, written on the UI thread; marking a
whole view and undo run off it. Every decision goes through the library's log, so undo works
after a restart too."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel

from river_tui.domain.bibtex import bibtex_entry
from river_tui.domain.links import is_web_url
from river_tui.domain.text import display, display_line
from river_tui.reader.actions import abstract_url, pdf_url
from river_tui.reader.executor import Lane
from river_tui.reader.session import ReaderSession
from river_tui.ui.opener import (
    Browser,
    Outcome,
    no_browser,
    open_link,
    refused,
    shown,
    system_browser,
)

if TYPE_CHECKING:  # loaded when first used, not at start
    from river_tui.beat_terms import Added
    from river_tui.domain import PaperRecord
    from river_tui.reader.authors import AuthorList
    from river_tui.ui.components.claim_editor import Saved
    from river_tui.ui.components.dialogs import BeatChoice
    from river_tui.ui.components.reader import ReaderScreen
    from river_tui.ui.tags import TagChoice

BROWSER_GROUP = "browser"
PAPER_HELP = "Papers (from any pane)"

PAPER_BINDINGS: list[BindingType] = [
    Binding("r", "toggle_state('read')", "Read/unread", id="stream.read"),
    Binding("s", "star", "Star", id="stream.star"),
    Binding("x", "toggle_state('skipped')", "Skip", id="stream.skip"),
    Binding("a", "toggle_state('archived')", "Archive", id="stream.archive"),
    Binding("t", "tag", "Tag", id="stream.tag"),
    Binding("b", "beat", "Put on a beat", show=False, id="stream.beat"),
    Binding("e", "note", "Write or edit the paper's note", show=False, id="stream.note"),
    Binding("u", "undo", "Undo", id="stream.undo"),
    Binding("o", "open_page", "Open the abstract page", show=False, id="stream.open-page"),
    Binding("O", "open_pdf", "Open the PDF", show=False, id="stream.open-pdf"),
    Binding("y", "copy_link", "Copy the link", show=False, id="stream.copy-link"),
    Binding("Y", "copy_bibtex", "Copy a BibTeX entry", show=False, id="stream.copy-bibtex"),
    Binding("A", "mark_all_read", "Mark the view read", show=False, id="stream.mark-all-read"),
    Binding("S", "cycle_sort", "Sort", show=False, id="stream.sort"),
    Binding("n", "next_unread", "Next unread paper", show=False, id="stream.next-unread"),
    Binding(
        "P", "previous_unread", "Previous unread paper", show=False, id="stream.previous-unread"
    ),
    Binding("v", "toggle_unread", "Unread papers only, or all", show=False, id="stream.unread"),
    # A priority binding: the app opens the search bar (and gives it the focus) before it takes
    # the next key, so keys typed right after '/' are the query's, a 'q' too. In the bar, '/'
    # is typed: an input takes the printable keys before priority bindings (for '/', see
    # SearchInput.check_consume_key).
    Binding("slash", "search", "Search", id="stream.search", priority=True),
    Binding("p", "promote", "Promote to a claim", show=False, id="stream.promote"),
    Binding("T", "suggest", "Term suggestions (a beat's view)", show=False, id="stream.suggest"),
    Binding("w", "authors", "Authors", show=False, id="stream.authors"),
    Binding("f", "follow", "Follow the author", show=False, id="stream.follow"),
    Binding("m", "similar", "Similar papers", show=False, id="stream.similar"),
    # Only with a search or the unread filter shown, or in a view of similar papers
    # (ReaderScreen.check_action): elsewhere Esc is not taken.
    Binding(
        "escape",
        "back",
        "Clear the search or the unread filter; back from similar papers",
        show=False,
        id="stream.back",
    ),
]


class PaperKeys:
    """The dialogs and the outside world of the paper keys, over the reader ``screen``."""

    def __init__(
        self, screen: ReaderScreen, session: ReaderSession, badges: tuple[str, ...]
    ) -> None:
        self.screen = screen
        self.session = session
        self.badges = badges
        """The claim badges of the config, offered by the claim editor."""

    @property
    def app(self) -> App[object]:
        return self.screen.app

    def notify(self, message: str, severity: SeverityLevel = "information") -> None:
        self.screen.notify(message, severity=severity, markup=False)

    # -- dialogs --------------------------------------------------------------------------------
    def tag(self) -> None:
        from river_tui.ui.components.tagger import TagScreen  # a seam: the dialogs

        session = self.session
        if (record := session.record()) is None or not session.decisions.writable():
            return

        def tagged(choice: TagChoice | None) -> None:
            if choice is not None:
                session.decisions.tag(record.pk, choice.tag, remove=choice.remove)

        if session.marked:  # the tag goes on every marked paper (Decisions.tag)
            about, tags = f"{len(session.marked)} marked papers", ()
        else:
            about, tags = record.paper.title, record.user_tags
        screen = TagScreen(about, tags, session.known_tags())
        self.app.push_screen(screen, tagged)

    def beat(self) -> None:
        from river_tui.ui.components.dialogs import BeatScreen  # a seam: the dialogs

        session = self.session
        if (record := session.record()) is None or not session.decisions.writable():
            return

        def chosen(choice: BeatChoice | None) -> None:
            if choice is not None:
                session.decisions.put_on_beat(record.pk, choice.beat, remove=choice.remove)

        names = [beat.name for beat in session.library.beats]
        screen = BeatScreen(record.paper.title, names, record.manual_beats, record.beats)
        self.app.push_screen(screen, chosen)

    def note(self) -> None:
        """``e``: the highlighted paper's note, in the reader's own editor (``$VISUAL``, else
        ``$EDITOR``, with the terminal handed over to it), else in River's."""
        from river_tui.reader.notes import EditorError, edit_in_editor  # a note edited only

        session = self.session
        if (record := session.record()) is None or not session.decisions.writable():
            return
        self.screen.acted_on(record.pk)
        text = session.library.note(record.pk)
        # RiverApp's settings: [reader] note_editor, and $VISUAL or $EDITOR.
        config = getattr(self.app, "config", None)
        reader = config.reader if config is not None else None
        command = reader.editor if reader and reader.note_editor != "in-app" else ()
        if not command:
            self._edit_note(record, text)
            return
        try:
            with self.app.suspend():
                edited = edit_in_editor(text, command)
        except SuspendNotSupported:
            said = "This terminal cannot be handed to your editor: River's own, then."
            self.notify(said, "warning")
            self._edit_note(record, text, said)
            return
        except EditorError as exc:
            self.notify(f"The note is unchanged: {exc}.", "warning")
            return
        self._save_note(record, edited)

    def _edit_note(self, record: PaperRecord, text: str, said: str = "") -> None:
        from river_tui.ui.components.note_editor import NoteEditor  # a seam: the dialogs

        def edited(value: str | None) -> None:
            if value is not None:
                self._save_note(record, value)

        self.app.push_screen(NoteEditor(record.paper.title, text, said), edited)

    def _save_note(self, record: PaperRecord, text: str) -> None:
        """Save ``text`` as the paper's note. What could not be saved (a note over 100 kB from
        the reader's editor, a write the library refused) opens in River's editor, to try
        again, rather than being lost."""
        from river_tui.domain.notes import NoteTooLong, clean_note

        try:
            note = clean_note(text)
        except NoteTooLong as exc:
            said = f"Not saved: {exc}. Shorten it, then Ctrl+S."
            self.notify(said, "error")
            self._edit_note(record, text, said)
            return
        saved = self.session.decisions.save_note(record.pk, text)
        if not saved and self.session.library.note(record.pk) != note:  # the write failed
            self._edit_note(record, text, "Not saved (the message says why): it is still here.")

    def promote(self) -> None:
        """Open the claim editor on the highlighted paper."""
        from river_tui.ui.components.claim_editor import ClaimEditor  # a seam: the dialogs

        session = self.session
        record = session.record()
        if record is None or not session.decisions.writable():
            return
        self.screen.acted_on(record.pk)
        editor = ClaimEditor(session.library, record, self.badges, date.today())
        self.app.push_screen(editor, partial(self._promoted, record.pk))

    def _promoted(self, pk: int, saved: Saved | None) -> None:
        if saved is None:
            return
        self.notify(f"Claim saved to {saved.title}")
        self.session.decisions.claim_changed(pk)
        self.screen.dossier_saved(saved.slug)

    def suggest(self) -> None:
        """The term suggestions of the beat shown (``T``); elsewhere, one line says so."""
        from river_tui.reader.suggest import NOT_A_BEAT, beat_of

        session = self.session
        beat = beat_of(session.view)
        if beat is None:
            self.notify(NOT_A_BEAT + ".")
            return
        from river_tui.ui.components.suggestions import SuggestScreen  # a seam: the dialogs

        library = session.library
        config = getattr(self.app, "config", None)  # RiverApp's settings: where beats.toml is
        screen = SuggestScreen(library.path, library.beats, beat, config)
        self.app.push_screen(screen, self._term_added)

    def _term_added(self, added: Added | None) -> None:
        """A suggested term was added: River runs with the beats read back from the file."""
        if added is None:
            return
        beats_changed = getattr(self.app, "beats_changed", None)
        if beats_changed is not None:
            beats_changed(added.settings)
        self.session.library.beats = added.settings.beats
        self.notify(added.line)
        self.session.changed()

    # -- authors --------------------------------------------------------------------------------
    def authors(self) -> None:
        """``w``: the chooser of the highlighted paper's authors."""
        if (authors := self.session.authors.of_highlighted()) is not None:
            self._choose_author(authors)

    def follow(self) -> None:
        """``f``: follow (or unfollow) the paper's only author, else choose among them."""
        if (authors := self.session.authors.follow_highlighted()) is not None:
            self._choose_author(authors)

    def _choose_author(self, authors: AuthorList) -> None:
        from river_tui.ui.components.authors import AuthorsScreen  # a seam: the dialogs

        keys = self.session.authors

        def chosen(name: str | None) -> None:
            if name is not None and keys.show(name):
                self.screen.action_focus_pane("stream")

        self.app.push_screen(AuthorsScreen(authors, keys.is_followed, keys.toggle), chosen)

    # -- links ------------------------------------------------------------------------------------
    def open_page(self) -> None:
        if (record := self.session.record()) is not None:
            self._open(abstract_url(record), "This paper has no link.")

    def open_pdf(self) -> None:
        if (record := self.session.record()) is not None:
            self._open(pdf_url(record), "No PDF is known for this paper.")

    def open_url(self, url: str) -> None:
        """Open a link shown in a pane (a dossier page's), by the link rule, as ``o`` does."""
        self._open(url, "")

    def _open(self, url: str | None, missing: str) -> None:
        """Open ``url`` if it is a web link (the link rule), in a thread: a browser can take
        seconds to start. What happened is said when the browser answers."""
        if url is None:
            self.notify(missing, "warning")
            return
        if not is_web_url(url):
            self.notify(refused(url, "opened"), "warning")
            return
        self.notify(f"Opening {shown(url)}")
        # RiverApp.browser (the seam tests replace); any other app: the system's browser.
        browser: Browser = getattr(self.app, "browser", system_browser)
        self.screen.run_worker(
            partial(self._browse, url, browser), thread=True, group=BROWSER_GROUP
        )

    def _browse(self, url: str, browser: Browser) -> None:
        try:
            outcome = open_link(url, browser)
        except Exception as exc:  # the browser's own failure, said rather than raised
            self.app.call_from_thread(self.notify, f"Could not open {shown(url)}: {exc}", "error")
            return
        if outcome is Outcome.REFUSED:
            self.app.call_from_thread(self.notify, refused(url, "opened"), "warning")
        elif outcome is not Outcome.OPENED:
            self.app.call_from_thread(self._offer_copy, url)

    def _offer_copy(self, url: str) -> None:
        """No browser took ``url``: say so and offer to copy it instead (``y``)."""
        from river_tui.ui.components.dialogs import ConfirmScreen  # a seam: the dialogs

        def answered(copy: bool | None) -> None:
            if copy:
                self.app.copy_to_clipboard(url)
                self.notify(f"Copied {shown(url)}")

        self.notify(no_browser(url), "warning")
        self.app.push_screen(ConfirmScreen(f"{no_browser(url)} Copy it instead?"), answered)

    def copy_link(self) -> None:
        if (record := self.session.record()) is None:
            return
        url = abstract_url(record)
        if url is None:
            self.notify("This paper has no link.", "warning")
            return
        if not is_web_url(url):
            self.notify(refused(url, "copied"), "warning")
            return
        self.app.copy_to_clipboard(url)
        self.notify(f"Copied {shown(url)}")

    def copy_bibtex(self) -> None:
        """The paper's one BibTeX entry, under the key every export gives it (read off the UI
        thread: the key depends on the library's other papers of its year)."""
        if (record := self.session.record(whole=True)) is None:
            return

        def copy(keys: dict[int, str]) -> None:
            entry = display(bibtex_entry(record.paper, keys.get(record.pk), note=record.note))
            self.app.copy_to_clipboard(entry)
            self.notify(f"Copied a BibTeX entry: {entry.splitlines()[0]}")

        def failed(error: Exception) -> None:
            self.notify(display_line(f"Could not copy the BibTeX entry: {error}"), "error")

        keys = self.session.on_own_connection(lambda lib: lib.citation_keys([record.pk]), copy)
        self.session.executor.submit(Lane.CITE, keys, failed)
