"""The views of the left pane: what each entry selects, what it is called, and its counts.

No Textual here: :func:`collect_counts` runs in a worker thread on a library of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from river_tui.domain import QueryError, Source, TriageState
from river_tui.reader.actions import shorten
from river_tui.remembered import load_searches
from river_tui.settings import FeedConfig
from river_tui.store.library import Library
from river_tui.store.papers import PaperFilter, Sort

if TYPE_CHECKING:  # the claims modules load when the counts first list dossiers
    from river_tui.domain.claims import Dossier, Post
    from river_tui.store.claims import DossierSummary

DOSSIER_LABEL = 28
"""A dossier's title in the stream's title is cut to this many characters."""
AUTHOR_LABEL = 40
"""An author's name in the stream's title is cut to this many characters."""
SIMILAR_LABEL = 28
"""A paper's title in the title of the view of papers like it is cut to this many characters."""


class NavKind(StrEnum):
    INBOX = "inbox"
    FOR_YOU = "for-you"
    """The new papers, in the order learned from the reader's decisions."""
    STARRED = "starred"
    SKIPPED = "skipped"
    ARCHIVED = "archived"
    ALL = "all"
    SEARCH = "search"
    BEAT = "beat"
    TAG = "tag"
    DOSSIER = "dossier"
    DOSSIERS = "dossiers"
    """The list of every dossier (a dialog, not a view of papers)."""
    RIVER = "river"
    HIDDEN = "hidden"
    """What a beat's rules leave out that its model scores above 0 (the value: the beat)."""
    AUTHOR = "author"
    """The papers of one author (value: the name, matched as river_tui.domain.authors says)."""
    SIMILAR = "similar"
    """The papers most like one (``value``: its row key), best first: ``m`` opens it."""
    REVIEW = "review"
    """The claims a newer version of a cited paper put under review (shown as cards)."""
    FEED = "feed"
    """The papers one configured feed brought (value: its URL)."""


VIEW_LABELS = {
    NavKind.INBOX: "Inbox",
    NavKind.FOR_YOU: "For you",
    NavKind.STARRED: "Starred",
    NavKind.SKIPPED: "Skipped",
    NavKind.ARCHIVED: "Archived",
    NavKind.ALL: "All papers",
}
"""The fixed views, in the order the pane lists them."""


@dataclass(frozen=True, slots=True)
class NavTarget:
    """One entry of the pane: what choosing it shows."""

    kind: NavKind
    value: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


INBOX = NavTarget(NavKind.INBOX)

REMEMBERED = frozenset({*VIEW_LABELS, NavKind.BEAT, NavKind.TAG})
"""The views a start may open where the reader quit (others need what the first screen does
not load: the claims, a search's query, a paper)."""


def remembered_view(key: str, beats: Sequence[str]) -> NavTarget:
    """The view named by a remembered ``kind:value`` key, if it can still be shown at start
    (a beat of ``beats``, any tag); else the Inbox."""
    kind, _, value = key.partition(":")
    if kind not in {str(k) for k in REMEMBERED}:
        return INBOX
    target = NavTarget(NavKind(kind), value if kind in ("beat", "tag") else "")
    if (target.kind is NavKind.BEAT and value not in beats) or (
        target.kind is NavKind.TAG and not value
    ):
        return INBOX
    return target


@dataclass(frozen=True)
class NavCounts:
    """Everything the pane lists, with counts."""

    total: int = 0
    unread: int = 0
    starred: int = 0
    skipped: int = 0
    archived: int = 0
    searches: list[tuple[str, str, int | None]] = field(default_factory=list)
    """(name, query, papers; None when the query no longer parses), in the order saved."""
    beats: list[tuple[str, int]] = field(default_factory=list)
    """(beat name, unread papers), in the order of the beats file."""
    tags: list[tuple[str, int]] = field(default_factory=list)
    """(tag, unread papers)."""
    hidden: list[tuple[str, int]] = field(default_factory=list)
    """(beat, papers its rules leave out that its model scores above 0), for each beat with
    a model of its own, in the order of the beats file."""
    dossiers: list[DossierSummary] = field(default_factory=list)
    cited: dict[str, int] = field(default_factory=dict)
    """dossier slug -> papers in the library its claims cite."""
    rivers: list[tuple[str, int]] = field(default_factory=list)
    """(tag, cards): the river's active claims and its imported posts, as it shows them."""
    review: int = 0
    """Active claims under review."""
    feeds: list[tuple[str, str, int]] = field(default_factory=list)
    """(name, URL, unread papers it brought) of each configured feed, in the config's order."""
    pending: bool = False
    """Not counted yet: the pane lists the views and beats, without numbers."""
    partial: bool = False
    """Counted but for the saved searches and what the beats' rules leave out (listed, their
    numbers to follow: :func:`count_the_rest`)."""
    capped: int | None = None
    """The saved searches and what the beats' rules leave out were counted up to this many
    papers: a number above it stands for more (:meth:`shown`) until they are counted whole."""

    @classmethod
    def counting(cls, beats: list[str]) -> NavCounts:
        """What the pane shows while the first count runs."""
        return cls(beats=[(name, 0) for name in beats], pending=True)

    def keeping(self, before: NavCounts) -> NavCounts:
        """These counts, partial, with the numbers ``before`` had for the entries still to
        count (the same search, the same beat's left-out papers) until they are counted: a
        count again after a decision does not blank them for the seconds that takes."""
        if not self.partial or before.partial or before.pending:
            return self
        searches = {(name, query): found for name, query, found in before.searches}
        hidden = dict(before.hidden)
        return replace(
            self,
            searches=[(n, q, searches.get((n, q), found)) for n, q, found in self.searches],
            hidden=[(name, hidden.get(name, found)) for name, found in self.hidden],
            capped=before.capped,
            partial=not (
                all((n, q) in searches for n, q, _ in self.searches)
                and all(name in hidden for name, _ in self.hidden)
            ),
        )

    def shown(self, found: int) -> str:
        """A saved search's or left-out papers' count as the pane says it: ``10000+`` for
        one over :attr:`capped`."""
        return f"{self.capped}+" if self.capped is not None and found > self.capped else str(found)

    def view_count(self, kind: NavKind) -> int:
        return {
            NavKind.INBOX: self.unread,
            NavKind.FOR_YOU: self.unread,
            NavKind.STARRED: self.starred,
            NavKind.SKIPPED: self.skipped,
            NavKind.ARCHIVED: self.archived,
            NavKind.ALL: self.total,
        }.get(kind, 0)

    def query_of(self, name: str) -> str | None:
        return next((q for n, q, _count in self.searches if n == name), None)

    def feed_name(self, url: str) -> str:
        """The name of the feed at ``url`` (its URL when it is not configured)."""
        return next((name for name, u, _unread in self.feeds if u == url), url)


ORDERED: dict[NavKind, str] = {
    NavKind.FOR_YOU: "For you is ordered by what you keep",
    NavKind.HIDDEN: "What a beat leaves out is ordered by its model",
    NavKind.SIMILAR: "Similar papers are listed most alike first",
}
"""Views whose order is what they are, and why: the sort chosen (``S``) does not apply to
them, and their title does not name it."""


PAGED = frozenset({NavKind.DOSSIER, NavKind.RIVER, NavKind.REVIEW})
"""Views with a page of their own (a dossier's claims, a river's posts, the claims under
review), shown beside their papers until the cursor moves."""


def view_filter(target: NavTarget, counts: NavCounts) -> PaperFilter | None:
    """The stream's filter for ``target`` (None: the list of dossiers, a dialog). A river
    lists the papers with its tag, Needs review those its claims cite or may draw on."""
    kind = target.kind
    if kind is NavKind.INBOX:
        return PaperFilter(state=TriageState.NEW)
    if kind is NavKind.FOR_YOU:
        return PaperFilter(state=TriageState.NEW, sort=Sort.FOR_YOU)
    if kind is NavKind.HIDDEN:
        return PaperFilter(hidden_by=target.value, sort=Sort.FOR_YOU)
    if kind is NavKind.STARRED:
        return PaperFilter(starred=True)
    if kind is NavKind.SKIPPED:
        return PaperFilter(state=TriageState.SKIPPED)
    if kind is NavKind.ARCHIVED:
        return PaperFilter(state=TriageState.ARCHIVED)
    if kind is NavKind.ALL:
        return PaperFilter()
    if kind is NavKind.BEAT:
        return PaperFilter(beat=target.value)
    if kind is NavKind.TAG:
        return PaperFilter(tag=target.value)
    if kind is NavKind.DOSSIER:
        return PaperFilter(dossier=target.value)
    if kind is NavKind.RIVER:
        return PaperFilter(tag=target.value)
    if kind is NavKind.REVIEW:
        return PaperFilter(under_review=True)
    if kind is NavKind.SEARCH:
        return PaperFilter(query=counts.query_of(target.value) or "")
    if kind is NavKind.AUTHOR:
        return PaperFilter(author=target.value)
    if kind is NavKind.FEED:
        return PaperFilter(feed=target.value)
    if kind is NavKind.SIMILAR and target.value.isdigit():
        return PaperFilter(similar_to=int(target.value))
    return None


def view_label(target: NavTarget, counts: NavCounts) -> str:
    """The stream's title for ``target`` (before its counts)."""
    if target.kind in VIEW_LABELS:
        return VIEW_LABELS[target.kind]
    if target.kind is NavKind.TAG:
        return "#" + target.value
    if target.kind is NavKind.RIVER:
        return f"River #{target.value}"
    if target.kind is NavKind.REVIEW:
        return "Papers of the claims under review"
    if target.kind is NavKind.HIDDEN:
        return f"What “{shorten(target.value, DOSSIER_LABEL)}” leaves out"
    if target.kind is NavKind.DOSSIER:
        title = next((d.title for d in counts.dossiers if d.slug == target.value), target.value)
        return f"Cited by “{shorten(title, DOSSIER_LABEL)}”"
    if target.kind is NavKind.AUTHOR:
        return f"Papers by {shorten(target.value, AUTHOR_LABEL)}"
    if target.kind is NavKind.FEED:
        return f"Feed “{shorten(counts.feed_name(target.value), AUTHOR_LABEL)}”"
    if target.kind is NavKind.SIMILAR:
        return "Similar papers"  # the session names the paper: similar_label
    return target.value


def similar_label(title: str) -> str:
    """The title of the view of the papers most like the paper titled ``title``."""
    return f"Like “{shorten(title, SIMILAR_LABEL)}”"


def collect_counts(library: Library, feeds: Sequence[FeedConfig] = ()) -> NavCounts:
    """Every count the pane shows but the slowest (a few dozen queries: run it off the UI
    thread), with the feeds of the config: the saved searches and what each beat's rules
    leave out are listed uncounted (``partial``) until :func:`count_the_rest` counts them."""
    by_feed = library.feed_counts() if feeds else {}
    beats = library.beat_counts()
    models = library.learned.models()
    dossiers = library.dossiers()
    rivers = sorted(library.post_counts().items())
    full = full_dossiers(library) if rivers and dossiers else []
    return NavCounts(
        total=library.count(),
        unread=library.count(PaperFilter(state=TriageState.NEW)),
        starred=library.count(PaperFilter(starred=True)),
        skipped=library.count(PaperFilter(state=TriageState.SKIPPED)),
        archived=library.count(PaperFilter(state=TriageState.ARCHIVED)),
        searches=[(name, query, 0) for name, query in load_searches(library).items()],
        beats=[(beat.name, beats.get(beat.name, (0, 0))[1]) for beat in library.beats],
        tags=[(tag, unread) for tag, (_total, unread) in library.tag_counts(beats).items()],
        hidden=[(beat.name, 0) for beat in library.beats if beat.name in models],
        dossiers=dossiers,
        cited={d.slug: library.count(PaperFilter(dossier=d.slug)) for d in dossiers},
        rivers=[(tag, len(river_claims(library, tag, full)) + posts) for tag, posts in rivers],
        review=library.count_under_review(),
        feeds=[
            (feed.name, feed.url, by_feed.get(Source.FEED.key(feed.url), (0, 0))[1])
            for feed in feeds
        ],
        partial=True,
    )


def count_the_rest(library: Library, counts: NavCounts, most: int | None = None) -> NavCounts:
    """``counts`` with what :func:`collect_counts` leaves uncounted counted: each saved search,
    and the papers each beat's rules leave out that its model scores above 0. Each is a count
    of its own over the library (at a million papers, half a second and more each), so they
    follow the others. With ``most``, each reads no further than that many papers and one
    more (20 ms), and the counts are :attr:`NavCounts.capped` if one is over it; without,
    the counts over ``counts.capped`` are counted whole (the others are kept)."""

    def count(flt: PaperFilter, before: int | None) -> int | None:
        """None: the saved query no longer parses (a beat renamed)."""
        try:
            if most is not None:
                found = library.count_view_up_to(flt, most)
                return most + 1 if found is None else found[0]
            if counts.capped is not None and before is not None and before <= counts.capped:
                return before  # counted whole already
            return library.count(flt)
        except QueryError:
            return None

    searches = [(n, q, count(PaperFilter(query=q), found)) for n, q, found in counts.searches]
    hidden = [(n, count(PaperFilter(hidden_by=n), found) or 0) for n, found in counts.hidden]
    numbers = [found for _, _, found in searches if found is not None] + [f for _, f in hidden]
    over = most is not None and any(found > most for found in numbers)
    return replace(
        counts, searches=searches, hidden=hidden, partial=False, capped=most if over else None
    )


def full_dossiers(library: Library) -> list[Dossier]:
    """Every dossier with its claims, sources and events."""
    return [d for s in library.dossiers() if (d := library.dossier(s.slug)) is not None]


def river_claims(
    library: Library,
    tag: str,
    dossiers: list[Dossier] | None = None,
    include_inactive: bool = False,
) -> list[Post]:
    """The claim cards of river ``tag``: the claims of the dossiers citing papers with the tag
    (see :func:`river_tui.reader.claims.claim_posts`)."""
    # The claims seam (tests/test_layers.py): the counts load it after the first frame.
    from river_tui.reader.claims import claim_posts

    def tags_of(paper_id: str) -> tuple[str, ...]:
        record = library.find(paper_id)
        return record.tags if record is not None else ()

    found = full_dossiers(library) if dossiers is None else dossiers
    return claim_posts(tag, found, tags_of, include_inactive=include_inactive)


def river_cards(library: Library, tag: str, include_inactive: bool = False) -> list[Post]:
    """River ``tag`` as the reader and its export show it: the claim cards (their paper
    sources as real links: :func:`river_tui.reader.claims.public_dossier`) and the saved
    posts, newest first (a card with no known time last, in its order)."""
    from river_tui.reader.claims import public_dossier

    dossiers = [public_dossier(d, library.find) for d in full_dossiers(library)]
    cards = river_claims(library, tag, dossiers, include_inactive) + library.posts(tag)
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(cards, key=lambda card: card.posted or oldest, reverse=True)
