"""Papers as sources report them, where they were seen, and everything River knows of one.
The stream's row of a paper (its summary and triage state) is :mod:`river_tui.domain.summary`:
the reader's first screen needs only that, and this module loads after it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from river_tui.domain.beats import BeatMatch, Verdict
from river_tui.domain.summary import TriageState, byline
from river_tui.domain.text import clean_line, clean_text

if TYPE_CHECKING:  # ids (and hashlib) load with the first paper that needs one made
    from river_tui.domain.ids import ArxivId

HF_LISTING_DATE = "hf_listing_date"
"""Key in ``Paper.extra``: the day of the Hugging Face listing the signals were read from."""


class ItemKind(StrEnum):
    """A research paper, or an item of a web feed (a lab's blog post) that can be cited."""

    PAPER = "paper"
    WEB = "web"


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled URL belonging to a paper (abstract page, PDF, code, project page)."""

    label: str
    url: str


@dataclass(slots=True)
class Paper:
    """Paper metadata as a source reports it. Holds no user state.

    ``id`` is the canonical id: the arXiv id without version when known, else a provisional id
    derived from the title (see :func:`river_tui.domain.ids.provisional_id`). A web item
    (``kind=WEB``) is named by its URL instead (:func:`river_tui.domain.ids.web_id`) and never
    merges with a paper by title.
    """

    title: str
    abstract: str = ""
    arxiv: ArxivId | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    published: date | None = None
    updated: date | None = None
    categories: tuple[str, ...] = ()
    primary_category: str | None = None
    links: tuple[Link, ...] = ()
    upvotes: int | None = None
    organization: str | None = None
    extra: dict[str, object] = field(default_factory=dict)
    kind: ItemKind = ItemKind.PAPER
    url: str | None = None

    def __post_init__(self) -> None:
        self.kind = ItemKind(self.kind)
        if self.kind is ItemKind.WEB and not self.url:
            raise ValueError("a web item needs its URL")
        self.url = clean_line(self.url) or None
        self.title = clean_line(self.title)
        self.abstract = clean_text(self.abstract)
        self.authors = tuple(a for a in (clean_line(name) for name in self.authors) if a)
        if self.organization is not None:
            self.organization = clean_line(self.organization) or None
        if self.author_count is None and self.authors:
            self.author_count = len(self.authors)

    @property
    def id(self) -> str:
        from river_tui.domain.ids import provisional_id, web_id

        if self.kind is ItemKind.WEB and self.url:
            return web_id(self.url)
        return self.arxiv.canonical if self.arxiv else provisional_id(self.title)

    @property
    def version(self) -> int | None:
        return self.arxiv.version if self.arxiv else None

    @property
    def byline(self) -> str:
        return byline(self.organization, self.authors, self.author_count)


@dataclass(frozen=True, slots=True)
class Discovery:
    """One sighting of a paper: which source, when, and with what signal (upvotes, ...)."""

    source: str
    seen_at: datetime
    origin: str = ""
    signal: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sighting:
    """What a source reports about one paper, with the signals it showed then."""

    paper: Paper
    signal: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class PaperRecord:
    """Everything River knows about one paper: metadata, user state, beats and sightings."""

    pk: int
    id: str
    paper: Paper
    state: TriageState = TriageState.NEW
    starred: bool = False
    user_tags: tuple[str, ...] = ()
    beat_tags: tuple[str, ...] = ()
    matches: tuple[BeatMatch, ...] = ()
    discoveries: tuple[Discovery, ...] = ()
    aliases: tuple[str, ...] = ()
    manual_beats: tuple[str, ...] = ()
    """Beats the reader put the paper on by hand."""
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    @property
    def beats(self) -> tuple[str, ...]:
        matched = [m.beat for m in self.matches if m.verdict is Verdict.MATCH]
        return tuple(matched + [b for b in self.manual_beats if b not in matched])

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.user_tags) | set(self.beat_tags)))
