"""The last step of every parser: nothing it returns can drive a terminal or break a write.

:class:`~river_tui.domain.Paper` and friends clean their main text fields (titles, abstracts,
authors) themselves; this cleans everything else a source controls too: categories, links,
``extra`` and signal values, badges, tags, notes, quotes, slugs. It also removes what
:func:`~river_tui.domain.text.clean_text` keeps but must not be stored:

* lone UTF-16 surrogates (a JSON ``"\\ud800"``): SQLite cannot store them and a terminal cannot
  print them; they become U+FFFD;
* U+061C ARABIC LETTER MARK, the one bidi control character ``clean_text`` does not remove;
* whole numbers SQLite cannot store (an upvote count of 10**30): they become unknown (None).

Every function is idempotent.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from river_tui.domain import (
    ArxivId,
    Claim,
    ClaimEvent,
    Dossier,
    Link,
    Paper,
    Post,
    Quote,
    SourceLink,
)
from river_tui.domain.beats import slugify
from river_tui.domain.claims import Authorship
from river_tui.domain.papers import Sighting
from river_tui.domain.text import clean_line, clean_text, strip_controls

_SURROGATES = re.compile("[\ud800-\udfff]")
_ALM = "\u061c"
_INT64 = 2**63
T = TypeVar("T")


def scrub(text: str) -> str:
    """``text`` without lone surrogates (U+FFFD instead) or U+061C."""
    return _SURROGATES.sub("\ufffd", text).replace(_ALM, "")


def line(text: object) -> str:
    """Inert single-line text (``""`` for anything that is not a string)."""
    return scrub(clean_line(text)) if isinstance(text, str) else ""


def text(value: object) -> str:
    """Inert paragraph text (``""`` for anything that is not a string)."""
    return scrub(clean_text(value)) if isinstance(value, str) else ""


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
        return scrub(strip_controls(data))
    if isinstance(data, dict):
        return {value(str(k)): value(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [value(v) for v in data]
    return data


def paper(p: Paper) -> Paper:
    p.title = line(p.title)
    p.abstract = text(p.abstract)
    p.authors = tuple(a for a in (line(name) for name in p.authors) if a)
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


def sighting(s: Sighting) -> Sighting:
    return Sighting(paper(s.paper), value(s.signal))


def quote(q: Quote | None) -> Quote | None:
    if q is None:
        return None
    return Quote(text(q.exact), text(q.prefix), text(q.suffix), number(q.start), number(q.end))


def source(s: SourceLink) -> SourceLink:
    return SourceLink(s.kind, line(s.url), line(s.label), quote(s.quote))


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
