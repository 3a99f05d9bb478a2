"""The authors of the highlighted paper, following them, and the view of one author's papers.

No Textual: the chooser (``ui/components/authors.py``) draws an :class:`AuthorList` and sends
its keys here. Each follow or unfollow is one transaction, then the session's one change signal
(:meth:`~river_tui.reader.session.ReaderSession.changed`) draws the rows and the detail again
with the new marks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from river_tui.domain.authors import Following, new_by_followed
from river_tui.reader.views import NavKind, NavTarget
from river_tui.store.library import LibraryError

if TYPE_CHECKING:
    from river_tui.domain import PaperSummary
    from river_tui.reader.session import ReaderSession

AUTHORS_SHOWN = 50
"""The most names the chooser lists of one paper ("… N more" says the rest)."""


@dataclass(frozen=True, slots=True)
class AuthorList:
    """A paper's authors as the chooser lists them."""

    title: str
    names: tuple[str, ...]
    more: int
    """Authors of the paper past ``names``."""


class Authors:
    """The followed authors as the session shows them, and the keys about authors."""

    def __init__(self, session: ReaderSession) -> None:
        self.session = session
        self.following: Following = session.library.following()
        """The followed authors' keys (read again on every change of the library)."""

    def reload(self) -> None:
        self.following = self.session.library.following()

    def marked(self, paper: PaperSummary) -> bool:
        """The stream row's mark: a new paper by a followed author."""
        return new_by_followed(paper, self.following)

    def followed_in(self, names: Sequence[str]) -> list[str]:
        return self.following.names_in(names)

    def is_followed(self, name: str) -> bool:
        return self.following.match(name) is not None

    def of_highlighted(self) -> AuthorList | None:
        """The highlighted paper's authors (None, said why, when there is no paper or it
        names no author)."""
        record = self.session.record()
        if record is None:
            return None
        names = record.paper.authors[:AUTHORS_SHOWN]
        if not names:
            self.session.say("No author is known for this paper.", "warning")
            return None
        total = max(record.paper.author_count or 0, record.size("authors"), len(names))
        return AuthorList(record.paper.title, tuple(names), total - len(names))

    def toggle(self, name: str) -> bool | None:
        """Follow ``name``, or stop following it if it is followed (every followed author it
        can be). Returns whether it is followed now (None: the library could not be written,
        said why)."""
        library = self.session.library
        try:
            if self.is_followed(name):
                gone = library.unfollow(name)
                self.session.say(f"No longer following {', '.join(a.name for a in gone)}.")
                now = False
            else:
                library.follow(name)
                self.session.say(f"Following {name}: their new papers are marked ✦.")
                now = True
        except (LibraryError, ValueError) as exc:
            self.session.say(f"Could not change who is followed: {exc}", "error")
            return None
        self.session.changed()  # reads the followed authors again, redraws the marks
        return now

    def follow_highlighted(self) -> AuthorList | None:
        """``f`` on a paper: follow (or unfollow) its only author; a paper of several authors
        gives them back, to choose from."""
        authors = self.of_highlighted()
        if authors is None:
            return None
        if len(authors.names) == 1 and not authors.more:
            self.toggle(authors.names[0])
            return None
        return authors

    def show(self, name: str) -> bool:
        """Show the papers of ``name`` in the library (False: it could not be shown)."""
        return self.session.show_view(NavTarget(NavKind.AUTHOR, name))
