"""Dossiers, claims, their append-only history, their sources, and river posts.

The badge vocabulary is in :mod:`river_tui.domain.badges`: the config reads it at every start,
while this module loads only when claims are first needed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from river_tui.domain.ids import find_arxiv_id, provisional_id
from river_tui.domain.links import searched_title
from river_tui.domain.text import clean_line, clean_text


class DossierStatus(StrEnum):
    SEEDLING = "seedling"
    BUDDING = "budding"
    EVERGREEN = "evergreen"


class ClaimStatus(StrEnum):
    """Lifecycle: a claim is never deleted, only superseded or retracted."""

    ACTIVE = "active"
    SUPERSEDED = "superseded"
    RETRACTED = "retracted"


class ClaimAction(StrEnum):
    """What an event did to a claim. ``asserted`` and ``rebadged`` carry a badge."""

    ASSERTED = "asserted"
    EDITED = "edited"
    REBADGED = "rebadged"
    SOURCED = "sourced"
    UNSOURCED = "unsourced"
    SUPERSEDED = "superseded"
    RETRACTED = "retracted"
    RECHECKED = "rechecked"
    """River checked a quote against a newer version of its paper (its note says what it
    found); written by River, never by the reader."""
    ACCEPTED = "accepted"
    """The reader kept a claim under review as it is."""
    REQUOTED = "requoted"
    """The reader replaced a source's quote by a sentence of the paper's newer version."""
    ATTACHED = "attached"
    """The reader attached a paper River found (new evidence) as a source, with a relation."""


DECIDES_REVIEW = frozenset(
    {
        ClaimAction.ACCEPTED,
        ClaimAction.REQUOTED,
        ClaimAction.REBADGED,
        ClaimAction.SUPERSEDED,
        ClaimAction.RETRACTED,
    }
)
"""The reader's actions that answer a review: a claim under review is no longer after one."""


FIRST_ASSERTED = "First asserted."
RIVER_SCHEME = "river:"
"""``river:<paper id>`` cites a paper by River's id when it has no arXiv id yet."""


class SourceKind(StrEnum):
    PAPER = "paper"
    WEB = "web"


class Relation(StrEnum):
    """How a source attached from new evidence bears on its claim (a source cited when the
    claim was made has none: it is what the claim rests on)."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    CONTEXT = "context"


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted span of a source (W3C TextQuoteSelector + TextPositionSelector)."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    version: int | None = None
    """The arXiv version of the paper the quote was taken from (None: not known)."""


@dataclass(frozen=True, slots=True)
class SourceLink:
    """Where a claim or post comes from: a paper (by arXiv id when known) or a web page."""

    kind: SourceKind
    url: str
    label: str = ""
    quote: Quote | None = None
    relation: Relation | None = None

    @property
    def paper_id(self) -> str | None:
        """The cited paper's River id: its arXiv id; the id of ``river:<id>``; the provisional
        id of the title an arXiv title search looks for (what an export cites a paper known
        only by its title with)."""
        if self.kind is not SourceKind.PAPER:
            return None
        if self.url.startswith(RIVER_SCHEME):
            return self.url.removeprefix(RIVER_SCHEME) or None
        if title := searched_title(self.url):
            return provisional_id(title)
        found = find_arxiv_id(self.url)
        return found.canonical if found else None

    @staticmethod
    def make(
        kind: str,
        url: str,
        label: str = "",
        quote: Quote | None = None,
        relation: str | None = None,
    ) -> SourceLink:
        return SourceLink(
            SourceKind(kind),
            clean_line(url),
            clean_line(label),
            quote,
            Relation(relation) if relation else None,
        )


@dataclass(frozen=True, slots=True)
class ClaimEvent:
    """One entry of a claim's history: ``2026-06-04 asserted as caveat — First asserted.``"""

    on: date
    action: str
    badge: str | None = None
    note: str = ""
    actor: str = "you"
    """Who wrote it: ``you`` (the reader) or ``river``."""

    @property
    def headline(self) -> str:
        head = f"{self.action} as {self.badge}" if self.badge else self.action
        return f"{head} by River" if self.actor == "river" else head


NEW_EVIDENCE = "new-evidence"
"""A claim's review when papers that may bear on it have arrived (:class:`Lead`)."""


@dataclass(frozen=True, slots=True)
class Lead:
    """A newly arrived paper that may bear on a claim (``river_tui.store.leads``): how much of
    the claim's weighted words it shares (0-1), the words, and its sentence sharing most."""

    paper_pk: int
    paper_id: str
    title: str
    score: float
    sentence: str
    shared: tuple[str, ...]
    found_on: date


@dataclass(slots=True)
class Claim:
    """One idea, with a badge, its sources and its history (oldest event first)."""

    text: str
    badge: str
    sources: list[SourceLink] = field(default_factory=list)
    events: list[ClaimEvent] = field(default_factory=list)
    status: ClaimStatus = ClaimStatus.ACTIVE
    id: int | None = None
    review: str | None = None
    """What River found that waits for the reader (a quote ``moved``, ``changed``, ``gone``
    or ``withdrawn`` in a newer version, or ``new-evidence``); None when nothing does."""
    leads: list[Lead] = field(default_factory=list)
    """Newly arrived papers that may bear on the claim, not yet attached or dismissed."""

    def __post_init__(self) -> None:
        self.text = clean_text(self.text)

    @property
    def active(self) -> bool:
        """Neither superseded nor retracted: it can be tended."""
        return self.status is ClaimStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class Authorship:
    """Who wrote a dossier and who answers for it (W3C PROV ``actedOnBehalfOf``)."""

    agent: str = ""
    model: str = ""
    operator: str = ""
    accountable: str = ""
    oversight: str = ""


@dataclass(slots=True)
class Dossier:
    slug: str
    title: str
    status: DossierStatus = DossierStatus.SEEDLING
    importance: int = 5
    created: date | None = None
    last_tended: date | None = None
    canonical: str = ""
    authorship: Authorship = field(default_factory=Authorship)
    claims: list[Claim] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.title = clean_line(self.title)
        if not 0 <= self.importance <= 10:
            raise ValueError(f"importance must be 0-10, got {self.importance}")
        self.status = DossierStatus(self.status)


@dataclass(slots=True)
class Post:
    """A card on a beat's river: author, beat, handle, age, badge, body and linked sources."""

    tag: str
    author: str
    handle: str
    beat: str
    age: str
    badge: str
    body: str
    sources: list[SourceLink] = field(default_factory=list)
    avatar: str = ""
    posted: datetime | None = None
    """When it was posted, if known: a saved page's time less the age it showed, a claim's
    last event. Its age is then counted from it (:meth:`age_at`), not frozen."""

    def __post_init__(self) -> None:
        self.avatar = clean_line(self.avatar)[:8]
        self.author = clean_line(self.author)
        self.handle = clean_line(self.handle)
        self.beat = clean_line(self.beat)
        self.body = clean_text(self.body)

    @property
    def headline(self) -> str:
        return self.body.split("\n", 1)[0]

    def age_at(self, now: datetime) -> str:
        """Its age at ``now`` (``4d``) when :attr:`posted` is known, else the age it came with."""
        return age_since(self.posted, now) if self.posted is not None else self.age


_AGE = re.compile(r"^(\d{1,6})(mo|[smhdwy])$")
_SECONDS = {"y": 365 * 86400, "mo": 30 * 86400, "w": 7 * 86400, "d": 86400, "h": 3600, "m": 60}


def age_delta(age: str) -> timedelta | None:
    """How long ago an age such as ``4d``, ``3h``, ``2w``, ``5mo`` or ``1y`` is; None for text
    that is not one."""
    match = _AGE.match(age.strip())
    if match is None:
        return None
    return timedelta(seconds=int(match[1]) * _SECONDS.get(match[2], 1))


def age_since(posted: datetime, now: datetime) -> str:
    """The time from ``posted`` to ``now`` in its largest whole unit (``45m``, ``3h``, ``4d``,
    ``2w``, ``5mo``, ``1y``); ``now`` under a minute (or a ``posted`` in the future)."""
    if posted.tzinfo is None:
        posted = posted.replace(tzinfo=UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    seconds = (now - posted).total_seconds()
    for unit, size in _SECONDS.items():
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return "now"


def event_time(on: date) -> datetime:
    """A history entry's day as a time (midnight UTC), to count an age from."""
    return datetime(on.year, on.month, on.day, tzinfo=UTC)
