"""The predicates a view is made of, without the search language: papers on a beat, with a
tag, in a triage state, starred or promoted, with a note. :mod:`river_tui.store.search`
compiles queries out of these too."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from river_tui.domain.beats import Beat, Source, normalize_tag, slugify
from river_tui.domain.errors import QueryError

Sql = tuple[str, list[object]]
"""A boolean SQL expression over ``p`` (papers) and ``t`` (triage), and its parameters."""


@dataclass
class Probing:
    """How the predicates written within :func:`probing` look papers up."""

    text: bool = False
    """Look each paper up in the full-text index too, where that is cheap (:func:`matched`)."""
    text_looked_up: bool = False
    """A predicate written looks papers up in the full-text index."""


_PROBING: ContextVar[Probing | None] = ContextVar("river_probing", default=None)


@contextmanager
def probing(text: bool = False) -> Iterator[Probing]:
    """Within it, :func:`member` (and, with ``text``, :func:`matched`) looks each paper up
    instead of gathering its table's rows first: what a page read along the sort's index
    wants when the view holds much of the library (the first page of a beat of 200,000 papers
    out of a million: 0.3 ms instead of 190), and not a count, which starts from the rows
    gathered (4 times slower probing)."""
    probe = Probing(text=text)
    token = _PROBING.set(probe)
    try:
        yield probe
    finally:
        _PROBING.reset(token)


def member(table: str, where: str) -> str:
    """The papers with a row of ``table`` (keyed by ``paper_pk``) where ``where`` holds."""
    if _PROBING.get() is not None:
        return f"EXISTS (SELECT 1 FROM {table} WHERE paper_pk = p.pk AND {where})"
    return f"p.pk IN (SELECT paper_pk FROM {table} WHERE {where})"


def matched(cheap: bool) -> str:
    """The papers the full-text index ``papers_fts`` matches with an expression (the
    parameter). Gathered: every matching paper read from the index first (at a million
    papers, a word nine papers in ten have: 110 ms). Looked up paper by paper when probing
    text and ``cheap``: words, phrases and two-letter prefixes (the index keeps those) cost
    10-20 µs a paper; a longer prefix merges every word it starts at each lookup (40 ms)."""
    probe = _PROBING.get()
    if probe is not None and probe.text and cheap:
        probe.text_looked_up = True
        return "EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND rowid = p.pk)"
    return "p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"


UNDER_REVIEW = "review IS NOT NULL AND status = 'active'"
"""The claims under review (over ``claims``): a newer version of a cited paper changed a
quote (store/evidence.py), or new papers may bear on them (store/leads.py)."""


def under_review_predicate() -> Sql:
    """Papers that active claims under review cite, or list as new evidence."""
    cited = (
        "SELECT cs.paper_id FROM claim_sources cs JOIN claims c ON c.id = cs.claim_id "
        f"WHERE {UNDER_REVIEW} AND cs.paper_id IS NOT NULL AND cs.removed_on IS NULL"
    )
    listed = (
        "SELECT l.paper_pk FROM claim_leads l JOIN claims c ON c.id = l.claim_id "
        f"WHERE {UNDER_REVIEW} AND l.decided IS NULL"
    )
    return f"(p.id IN ({cited}) OR p.pk IN ({listed}))", []


def feed_predicate(url: str) -> Sql:
    """Papers the feed at ``url`` brought: sighted by a refresh of it, whose fetch-log key is
    the sightings' origin (``discoveries`` has one row per paper, source and origin)."""
    return (
        "p.pk IN (SELECT paper_pk FROM discoveries WHERE source = ? AND origin = ?)",
        [Source.FEED.discovery, Source.FEED.key(url)],
    )


def beat_predicate(beat: str) -> Sql:
    """Papers on the beat named exactly ``beat``: matched by its rule, or assigned by hand."""
    return _on_beats([beat])


def _on_beats(names: list[str]) -> Sql:
    marks = ", ".join("?" for _ in names) or "NULL"
    matched = member("beat_matches", f"verdict = 'match' AND beat IN ({marks})")
    return f"({matched} OR {member('manual_beats', f'beat IN ({marks})')})", [*names, *names]


def tag_predicate(tag: str, beats: Sequence[Beat]) -> Sql:
    """Papers with ``tag``: the reader's, or a tag of a beat the paper is on."""
    tag = normalize_tag(tag)
    names = [b.name for b in beats if tag in {normalize_tag(t) for t in b.tags}]
    on_beats, params = _on_beats(names)
    sql = f"({member('paper_tags', 'tag = ?')} OR {on_beats})"
    return sql, [tag, *params]


def state_predicate(state: str) -> Sql:
    """Papers in triage state ``state`` (a paper never triaged is ``new``)."""
    if state == "new":
        return "COALESCE(t.state, 'new') = 'new'", []
    return member("triage", "state = ?"), [state]


def is_predicate(value: str) -> Sql:
    """Papers that are ``value``: a triage state, ``starred`` or ``promoted``."""
    if value == "starred":
        return member("triage", "starred = 1"), []
    if value == "promoted":
        # Cited by a claim: claim_sources.paper_id is the canonical arXiv id the URL names,
        # which is the paper's id (or an alias of it, when two records were merged). A source
        # removed from its claim cites nothing any more (its row stays, for the history).
        return (
            "p.pk IN (SELECT pp.pk FROM claim_sources cs JOIN papers pp ON pp.id = cs.paper_id "
            "WHERE cs.removed_on IS NULL UNION SELECT a.paper_pk FROM claim_sources cs "
            "JOIN paper_aliases a ON a.alias = cs.paper_id WHERE cs.removed_on IS NULL)"
        ), []
    return state_predicate(value)


def has_predicate(value: str) -> Sql:
    """Papers that have ``value``: ``note`` (the reader wrote one)."""
    if value != "note":
        raise ValueError(f"has:{value} is not a predicate")
    return "p.pk IN (SELECT paper_pk FROM paper_notes)", []


def resolve_beat(value: str, beats: Sequence[Beat], position: int = 1) -> Beat:
    """The beat ``value`` names: its name or slug (any case), else a unique prefix of either."""
    key, slug = value.strip().casefold(), slugify(value)
    for beat in beats:
        if beat.name.casefold() == key or beat.slug == slug:
            return beat
    found = [b for b in beats if b.name.casefold().startswith(key) or b.slug.startswith(slug)]
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(b.name for b in found)
        raise QueryError(f"beat:{value} names more than one beat", position, f"it could be {names}")
    known = ", ".join(b.name for b in beats) or "none configured"
    raise QueryError(f"no beat named {value!r}", position, f"beats: {known}")
