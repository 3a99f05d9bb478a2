"""What the reader's paper actions decide, without Textual: toggles, links, sort order, undo
messages and tag suggestions. The screens call these and do the I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from river_tui.domain import PaperRecord, PaperSummary, TriageState, normalize_tag
from river_tui.store.papers import Sort

if TYPE_CHECKING:  # the triage log loads with the first decision
    from river_tui.domain.triage import Decision

ARXIV_ABS = "https://arxiv.org/abs/"
ARXIV_PDF = "https://arxiv.org/pdf/"
TYPO_CUTOFF = 80
"""rapidfuzz WRatio a tag must reach to be offered for a misspelling."""
SORTS: tuple[Sort, ...] = (Sort.NEWEST, Sort.UPVOTES, Sort.RELEVANCE)


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
    )


def toggled(current: TriageState, target: TriageState) -> TriageState:
    """``target``, or back to new when the paper is already there (``r`` on a read paper)."""
    return TriageState.NEW if current is target else target


def next_sort(sort: Sort) -> Sort:
    """newest → upvotes → relevance → newest."""
    return SORTS[(SORTS.index(sort) + 1) % len(SORTS)]


def abstract_url(record: PaperRecord) -> str | None:
    """The page about the paper: arXiv's abstract page, a web item's own URL, else its first
    link."""
    paper = record.paper
    if paper.arxiv:
        return ARXIV_ABS + paper.arxiv.canonical
    if paper.url:
        return paper.url
    return paper.links[0].url if paper.links else None


def pdf_url(record: PaperRecord) -> str | None:
    """The PDF: arXiv's for an arXiv paper, else a link labelled ``pdf`` or ending in .pdf."""
    paper = record.paper
    if paper.arxiv:
        return ARXIV_PDF + paper.arxiv.canonical
    for link in paper.links:
        if link.label.casefold() == "pdf" or link.url.casefold().split("?")[0].endswith(".pdf"):
            return link.url
    return None


def undo_message(decisions: Sequence[Decision], title: str = "") -> str:
    """``Undid: read → skipped · “Title”`` (or ``… on 12 papers`` for a batch)."""
    if not decisions:
        return "Nothing to undo."
    first = decisions[0]
    if len(decisions) > 1:
        return f"Undid: {first.describe()} on {len(decisions)} papers"
    text = f"Undid: {first.describe()}"
    if title:
        text += f" · “{shorten(title, 60)}”"
    return text


def refocus_pk(decisions: Sequence[Decision]) -> int | None:
    """The paper the cursor should go back to after an undo (one paper: that one)."""
    pks = {d.paper_pk for d in decisions}
    return next(iter(pks)) if len(pks) == 1 else None


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _subsequence(text: str, name: str) -> bool:
    """Every character of ``text`` occurs in ``name``, in order (``crdit`` in ``credit``)."""
    rest = iter(name)
    return all(ch in rest for ch in text)


def suggest_tags(typed: str, known: Iterable[str], limit: int = 8) -> list[str]:
    """Known tags that fit what is typed, best first: prefixes, substrings, the letters in
    order (``crdit``), then near misses by rapidfuzz (``reasonign``). Nothing typed: every known
    tag, in order."""
    names = list(dict.fromkeys(known))
    text = normalize_tag(typed)
    if not text:
        return names[:limit]
    tiers: list[list[str]] = [[], [], [], []]
    for name in names:
        if name.startswith(text):
            tiers[0].append(name)
        elif text in name:
            tiers[1].append(name)
        elif _subsequence(text, name):
            tiers[2].append(name)
        else:
            tiers[3].append(name)
    from rapidfuzz import process, utils  # loaded when first used, not before the first screen
    from rapidfuzz.fuzz import WRatio

    typos = process.extract(
        text,
        tiers[3],
        scorer=WRatio,
        processor=utils.default_process,
        score_cutoff=TYPO_CUTOFF,
        limit=limit,
    )
    ranked = [*tiers[0], *tiers[1], *tiers[2], *(name for name, _score, _index in typos)]
    return ranked[:limit]


@dataclass(frozen=True, slots=True)
class TagChoice:
    """What the tagger offers: put ``tag`` on the paper, or take it off (``remove``)."""

    tag: str
    remove: bool = False
    new: bool = False
    """No paper has this tag yet."""


def typed_tag(typed: str) -> tuple[str, bool]:
    """The tag what is typed names (``""``: none, as for ``#`` or ``-``), and whether it is to
    be removed (``-tag``)."""
    raw = typed.strip()
    remove = raw.startswith("-")
    return normalize_tag(raw[1:] if remove else raw), remove


def tag_choices(typed: str, own: Sequence[str], known: Sequence[str]) -> list[TagChoice]:
    """The tagger's list for what is typed, the first entry being what Enter does.

    ``foo``: add #foo, then known tags like it. ``-foo``: remove the paper's own tags like foo.
    Nothing typed: the paper's own tags to remove, then the known tags to add."""
    text, remove = typed_tag(typed)
    if remove:
        return [TagChoice(tag, remove=True) for tag in suggest_tags(text, own)]
    if text:
        choices = [TagChoice(text, new=text not in known)]
    else:
        choices = [TagChoice(tag, remove=True) for tag in own]
    choices += [TagChoice(tag) for tag in suggest_tags(text, known) if tag not in (text, *own)]
    return choices
