"""The last step of every parser: nothing it returns can drive a terminal or break a write.

:class:`~river_tui.domain.Paper` and friends clean their main text fields (titles, abstracts,
authors) themselves; this cleans everything else a source controls too: categories, links,
``extra`` and signal values, badges, tags, notes, quotes, slugs, with the rules of
:mod:`river_tui.domain.text` (escape sequences, controls and format characters removed; lone
UTF-16 surrogates, a JSON ``"\\ud800"`` that SQLite cannot store, become U+FFFD). Whole numbers
SQLite cannot store (an upvote count of 10**30) become unknown (None).

It also bounds what one record can hold, so that no document stores a field no reader can use
(a 1 MB title, 50,000 authors): a line is cut to :data:`MAX_LINE` characters, a text to
:data:`MAX_TEXT`, a string inside ``extra`` to :data:`MAX_VALUE`, and a paper keeps its first
:data:`MAX_AUTHORS` names (its author count still says how many there are). Each field cut is
a :data:`~river_tui.sources.notes.Note.CUT`, said once per document.

Every function is idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from river_tui.domain import ArxivId, ItemKind, Link, Paper
from river_tui.domain.beats import slugify
from river_tui.domain.claims import Authorship, Claim, ClaimEvent, Dossier, Post, Quote, SourceLink
from river_tui.domain.papers import Sighting
from river_tui.domain.text import clean_line, clean_text, strip_controls
from river_tui.sources.notes import Note, note

MAX_LINE = 2_000
"""Characters of a title, a name, a label or a link (real titles stay under 400)."""
MAX_TEXT = 100_000
"""Characters of an abstract, a post's body or a note (arXiv's abstracts stay under 2,000)."""
MAX_VALUE = 20_000
"""Characters of one string in a paper's ``extra`` or a sighting's signal."""
MAX_AUTHORS = 10_000
"""Author names kept for one paper (the largest collaborations list about 5,000)."""

_INT64 = 2**63
T = TypeVar("T")


def line(text: object) -> str:
    """Inert single-line text of at most :data:`MAX_LINE` characters (``""`` for anything
    that is not a string)."""
    return _capped(clean_line(text), MAX_LINE) if isinstance(text, str) else ""


def text(value: object) -> str:
    """Inert paragraph text of at most :data:`MAX_TEXT` characters (``""`` for anything that
    is not a string)."""
    return _capped(clean_text(value), MAX_TEXT) if isinstance(value, str) else ""


def _capped(value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    note(Note.CUT)
    return value[: limit - 1].rstrip() + "…"


def number(value: object) -> int | None:
    """A whole number SQLite can store, else None (bools are not numbers here)."""
    if isinstance(value, int) and not isinstance(value, bool) and -_INT64 <= value < _INT64:
        return value
    return None


def optional_line(value: str | None) -> str | None:
    return (line(value) or None) if value is not None else None


def value(data: Any) -> Any:
    """A JSON-like value with every string (keys too) made inert; other scalars kept."""
    if isinstance(data, str):
        return _capped(strip_controls(data), MAX_VALUE)
    if isinstance(data, dict):
        return {value(str(k)): value(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [value(v) for v in data]
    return data


def paper(p: Paper) -> Paper:
    p.title = line(p.title)
    p.abstract = text(p.abstract)
    named = [a for a in (line(name) for name in p.authors) if a]
    if len(named) > MAX_AUTHORS:
        note(Note.CUT)
        p.author_count = max(number(p.author_count) or 0, len(named))
        named = named[:MAX_AUTHORS]
    p.authors = tuple(named)
    p.organization = optional_line(p.organization)
    p.url = optional_line(p.url)
    p.categories = tuple(dict.fromkeys(c for c in (line(c) for c in p.categories) if c))
    p.primary_category = optional_line(p.primary_category)
    p.links = tuple(Link(line(x.label), line(x.url)) for x in p.links if line(x.url))
    p.extra = value(p.extra)
    p.upvotes, p.author_count = number(p.upvotes), number(p.author_count)
    if p.arxiv is not None and p.arxiv.version is not None and number(p.arxiv.version) is None:
        p.arxiv = ArxivId(p.arxiv.canonical, None)
    return p


def web_item(
    url: str,
    title: str,
    abstract: str,
    authors: Iterable[str],
    published: date | None,
    organization: str,
    feed: str,
) -> Paper:
    """A feed's item (``feed`` the feed's address) as :func:`paper` makes it inert: the same
    :class:`~river_tui.domain.Paper` as ``paper(Paper(kind=WEB, url=url, title=title, ...,
    links=(Link("web", url),), extra={"feed": feed}))``, each field cleaned and capped once
    (cleaning is idempotent, so the second pass that makes changes nothing), and the same
    notes made."""
    address = clean_line(url)
    if not address or len(address) > MAX_LINE:  # as the long way says it (the link cut twice)
        item = Paper(
            kind=ItemKind.WEB,
            url=url,
            title=title,
            abstract=abstract,
            authors=tuple(authors),
            published=published,
            organization=organization,
            links=(Link("web", url),),
            extra={"feed": feed},
        )
        return paper(item)
    named = [a for a in map(line, authors) if a]
    count = len(named) or None
    if len(named) > MAX_AUTHORS:
        note(Note.CUT)
        named = named[:MAX_AUTHORS]
    return Paper.cleaned(
        kind=ItemKind.WEB,
        url=address,
        title=line(title),
        abstract=text(abstract),
        authors=tuple(named),
        author_count=count,
        published=published,
        organization=line(organization) or None,
        links=(Link("web", address),),
        extra=value({"feed": feed}),
    )


def sighting(s: Sighting) -> Sighting:
    return Sighting(paper(s.paper), value(s.signal))


def quote(q: Quote | None) -> Quote | None:
    if q is None:
        return None
    return Quote(
        text(q.exact),
        text(q.prefix),
        text(q.suffix),
        number(q.start),
        number(q.end),
        number(q.version),
    )


def source(s: SourceLink) -> SourceLink:
    return SourceLink(s.kind, line(s.url), line(s.label), quote(s.quote), s.relation)


def post(p: Post) -> Post:
    p.tag, p.author, p.handle, p.beat = line(p.tag), line(p.author), line(p.handle), line(p.beat)
    p.age, p.badge, p.body = line(p.age), line(p.badge), text(p.body)
    p.avatar = line(p.avatar)[:8]
    p.sources = [source(s) for s in p.sources]
    return p


def event(e: ClaimEvent) -> ClaimEvent:
    return ClaimEvent(e.on, line(e.action), optional_line(e.badge), text(e.note))


def claim(c: Claim) -> Claim:
    c.text, c.badge = text(c.text), line(c.badge)
    c.sources = [source(s) for s in c.sources]
    c.events = [event(e) for e in c.events]
    return c


def dossier(d: Dossier) -> Dossier:
    d.title, d.canonical = line(d.title), line(d.canonical)
    d.slug = line(d.slug) or slugify(d.title)
    a = d.authorship
    d.authorship = Authorship(
        line(a.agent), line(a.model), line(a.operator), line(a.accountable), line(a.oversight)
    )
    d.claims = [claim(c) for c in d.claims]
    return d


def each(items: list[T] | tuple[T, ...], clean: Any) -> tuple[T, ...]:
    return tuple(clean(item) for item in items)
