"""What the reader's paper actions decide, without Textual: toggles, links, sort order and undo
messages (tag suggestions: :mod:`river_tui.ui.tags`). The screens call these and do the I/O."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from river_tui.domain import PaperSummary, TriageState
from river_tui.domain.links import is_web_url
from river_tui.store.papers import Sort

if TYPE_CHECKING:  # the triage log and full records load when first used, not at start
    from river_tui.domain.papers import PaperRecord
    from river_tui.domain.triage import Decision

ARXIV_ABS = "https://arxiv.org/abs/"
ARXIV_PDF = "https://arxiv.org/pdf/"
SORTS: tuple[Sort, ...] = (Sort.NEWEST, Sort.UPVOTES, Sort.RELEVANCE, Sort.FOR_YOU)


def summary_of(record: PaperRecord) -> PaperSummary:
    """The stream's row for ``record`` (as the listing would return it)."""
    paper = record.paper
    return PaperSummary(
        record.pk,
        record.id,
        paper.title,
        paper.published,
        paper.upvotes,
        paper.byline,
        record.state,
        record.starred,
        paper.authors,
    )


def toggled(current: TriageState, target: TriageState) -> TriageState:
    """``target``, or back to new when the paper is already there (``r`` on a read paper)."""
    return TriageState.NEW if current is target else target


def next_sort(sort: Sort) -> Sort:
    """newest → upvotes → relevance → for you → newest."""
    return SORTS[(SORTS.index(sort) + 1) % len(SORTS)]


def _first_web(urls: Sequence[str]) -> str | None:
    """The first web link of ``urls``; if none is one, the first of them (which the reader
    refuses to open or copy, saying why); None when there is none."""
    return next((url for url in urls if is_web_url(url)), urls[0] if urls else None)


def abstract_url(record: PaperRecord) -> str | None:
    """The page about the paper: arXiv's abstract page, a web item's own URL, else its first
    link (the first of these that is a web link)."""
    paper = record.paper
    if paper.arxiv:
        return ARXIV_ABS + paper.arxiv.canonical
    return _first_web([url for url in (paper.url, *(x.url for x in paper.links)) if url])


def pdf_url(record: PaperRecord) -> str | None:
    """The PDF: arXiv's for an arXiv paper, else a link labelled ``pdf`` or ending in .pdf
    (the first of these that is a web link)."""
    paper = record.paper
    if paper.arxiv:
        return ARXIV_PDF + paper.arxiv.canonical
    return _first_web(
        [
            link.url
            for link in paper.links
            if link.label.casefold() == "pdf" or link.url.casefold().split("?")[0].endswith(".pdf")
        ]
    )


def undo_message(decisions: Sequence[Decision], title: str = "") -> str:
    """What an undo went back to: ``Undone: back to read (it was skipped) · “Title”``, or
    ``Undone: 12 papers back to new (they were read)`` for a batch."""
    if not decisions:
        return "Nothing to undo."
    first = decisions[0]
    if len(decisions) > 1:
        return f"Undone: {first.undone(len(decisions))}"
    text = f"Undone: {first.undone()}"
    if title:
        text += f" · “{shorten(title, 60)}”"
    return text


def refocus_pk(decisions: Sequence[Decision]) -> int | None:
    """The paper the cursor should go back to after an undo (one paper: that one)."""
    pks = {d.paper_pk for d in decisions}
    return next(iter(pks)) if len(pks) == 1 else None


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
