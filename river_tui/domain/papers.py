"""Papers as sources report them, where they were seen, and everything River knows of one.
The stream's row of a paper (its summary and triage state) is :mod:`river_tui.domain.summary`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from river_tui.domain.beats import BeatMatch, Verdict
from river_tui.domain.ids import ArxivId, provisional_id, web_id
from river_tui.domain.summary import TriageState, byline
from river_tui.domain.text import clean_line, clean_text

HF_LISTING_DATE = "hf_listing_date"
"""Key in ``Paper.extra``: the day of the Hugging Face listing the signals were read from."""


class ItemKind(StrEnum):
    """A research paper, or an item of a web feed (a lab's blog post) that can be cited."""

    PAPER = "paper"
    WEB = "web"


@dataclass(frozen=True, slots=True)
class Citation:
    """An active claim citing a paper: its dossier, number, badge and text."""

    dossier: str
    claim: int
    badge: str
    text: str


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

    @classmethod
    def cleaned(
        cls,
        title: str,
        abstract: str = "",
        arxiv: ArxivId | None = None,
        authors: tuple[str, ...] = (),
        author_count: int | None = None,
        published: date | None = None,
        updated: date | None = None,
        categories: tuple[str, ...] = (),
        primary_category: str | None = None,
        links: tuple[Link, ...] = (),
        upvotes: int | None = None,
        organization: str | None = None,
        extra: dict[str, object] | None = None,
        kind: ItemKind = ItemKind.PAPER,
        url: str | None = None,
    ) -> Paper:
        """A paper of values already as :meth:`__post_init__` leaves them (made inert by
        :mod:`river_tui.sources.inert`, or read back from the library): kept as given, not
        cleaned a second time."""
        paper = object.__new__(cls)
        paper.title, paper.abstract, paper.arxiv = title, abstract, arxiv
        paper.authors, paper.author_count = authors, author_count
        paper.published, paper.updated = published, updated
        paper.categories, paper.primary_category = categories, primary_category
        paper.links, paper.upvotes, paper.organization = links, upvotes, organization
        paper.extra = {} if extra is None else extra
        paper.kind, paper.url = kind, url
        return paper

    @property
    def id(self) -> str:
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
class PaperVersion:
    """One arXiv version of a paper, as River first saw it: its number, its date, its text,
    arXiv's comment on it, and the source that brought it."""

    number: int
    dated: date | None
    title: str
    abstract: str
    comment: str
    source: str
    seen_at: str


@dataclass(frozen=True, slots=True)
class Sighting:
    """What a source reports about one paper, with the signals it showed then."""

    paper: Paper
    signal: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Bounds:
    """How much of a paper's longest fields one read takes: characters of the title, the
    organization and the abstract; authors, links and categories by count. A real paper fits
    in :data:`DETAIL` whole; a record made huge (by an older River, or sqlite3) is cut."""

    title: int = 2_000
    abstract: int = 20_000
    authors: int = 200
    items: int = 100
    """Links, categories, aliases and sightings, each."""
    note: int = 100_000
    """Characters of the reader's note (a note River saves is at most 100 kB)."""


DETAIL = Bounds(title=500, abstract=5_000, authors=100, note=20_000)
"""What the reader's detail pane reads and draws of a paper at first (arXiv caps an abstract
at 1,920 characters and a title well under 500)."""
MORE_FIELDS = ("abstract", "authors", "title")
"""The fields the detail pane can show the rest of, in the order it shows them (under the
abstract, the abstract first)."""
TEXT_FIELDS = ("title", "organization", "abstract")
"""The fields whose size is counted in bytes of UTF-8 (the others: in items)."""
MORE_BYTES = 20_000
"""What each ``more`` step adds of a cut title or abstract (the detail pane's key)."""
MORE_AUTHORS = 1_000
"""What each ``more`` step adds of a cut list of authors."""


@dataclass(frozen=True, slots=True)
class Rest:
    """The part of a field a view did not show: from ``start`` (a byte of a text field, or an
    author, counted from 0) to ``total``."""

    field: str
    start: int
    total: int

    @property
    def step(self) -> int:
        """How much the next part shows at most: :data:`MORE_BYTES` or :data:`MORE_AUTHORS`."""
        return MORE_BYTES if self.field in TEXT_FIELDS else MORE_AUTHORS

    def after(self, shown: int) -> Rest | None:
        """What is left once ``shown`` more were shown (None: nothing; a part shorter than
        :attr:`step` was the last, whatever ``total`` said)."""
        start = self.start + shown
        if shown < self.step - 3 or start >= self.total:  # 3: a character cut at the end
            return None
        return Rest(self.field, start, self.total)


@dataclass(slots=True)
class PaperRecord:
    """Everything River knows about one paper: metadata, user state (the note too), beats and
    sightings."""

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
    cited_by: tuple[Citation, ...] = ()
    """The active claims that cite the paper."""
    note: str = ""
    """The reader's note on the paper (Markdown, inert: :mod:`river_tui.domain.notes`); ""
    for none. A bounded read (``sizes``) may cut it: ``sizes["note"]`` is then its whole
    length in characters."""
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    sizes: dict[str, int] = field(default_factory=dict)
    """The whole size of each field a bounded read cut: ``title``, ``organization`` and
    ``abstract`` in bytes of UTF-8, ``authors``, ``links``, ``categories``, ``aliases`` and
    ``discoveries`` in items, ``extra`` (not read) in bytes. Empty: the record is whole."""
    read: dict[str, int] = field(default_factory=dict)
    """How much of each cut field the read took, as :attr:`sizes` counts (bytes of the stored
    text, before it was made inert): where its rest starts."""

    def size(self, name: str) -> int:
        """The whole size of field ``name`` (what was read, if the read did not cut it)."""
        if name in self.sizes:
            return self.sizes[name]
        if name in ("aliases", "discoveries"):
            return len(getattr(self, name))
        value = getattr(self.paper, name) or ""
        return len(value.encode("utf-8")) if name in TEXT_FIELDS else len(value)

    def rests(self) -> list[Rest]:
        """What the read left of the fields a view can show more of (:data:`MORE_FIELDS`)."""
        return [
            Rest(name, self.read[name], self.sizes[name])
            for name in MORE_FIELDS
            if name in self.sizes and name in self.read
        ]

    @property
    def beats(self) -> tuple[str, ...]:
        matched = [m.beat for m in self.matches if m.verdict is Verdict.MATCH]
        return tuple(matched + [b for b in self.manual_beats if b not in matched])

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.user_tags) | set(self.beat_tags)))
