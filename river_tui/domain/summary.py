"""A paper as the stream lists it: its row (:class:`PaperSummary`), where the reader stands with
it (:class:`TriageState`) and its byline (the full record and what sources report are
:mod:`river_tui.domain.papers`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from river_tui.domain.ids import is_provisional
from river_tui.domain.text import counted


def byline(organization: str | None, authors: Sequence[str], author_count: int | None) -> str:
    """Organization if shown, else the first author, else the author count."""
    if organization:
        return organization
    if authors:
        return authors[0] + (" et al." if len(authors) > 1 else "")
    if author_count:
        return counted(author_count, "author")
    return ""


class TriageState(StrEnum):
    """Where a paper stands with the reader. Starring is independent of the state."""

    NEW = "new"
    READ = "read"
    SKIPPED = "skipped"
    ARCHIVED = "archived"

    @property
    def marker(self) -> str:
        return {"new": "●", "read": "·", "skipped": "✗", "archived": "▣"}[self.value]


@dataclass(frozen=True, slots=True)
class PaperSummary:
    """One row of the paper stream."""

    pk: int
    id: str
    title: str
    published: date | None
    upvotes: int | None
    byline: str
    state: TriageState
    starred: bool
    authors: tuple[str, ...] = ()
    """The authors the row read: a list up to 4 KB whole, of a longer one the first name (for
    the mark of a followed author, :func:`river_tui.domain.authors.new_by_followed`)."""

    @property
    def provisional(self) -> bool:
        return is_provisional(self.id)
