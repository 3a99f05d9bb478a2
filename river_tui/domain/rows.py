"""A paper as the ``papers`` table holds it: its column values, in one fixed order.

The store writes these values (:func:`river_tui.store.rows.paper_columns` is :func:`metadata`
by name); a feed import works them out beside the parser, in the sandbox's child process
(:mod:`river_tui.sources.feed_file`), and sends them as plain tuples, so that the process that
stores them only hands them to SQLite. :func:`row_paper` reads a row back into the
:class:`~river_tui.domain.Paper` it was made from (for the papers a batch cannot insert as
they are: one River has, one that may merge).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

from river_tui.domain.beats import BeatMatch, Hit
from river_tui.domain.ids import ArxivId, normalize_title
from river_tui.domain.papers import ItemKind, Link, Paper

METADATA = (
    "arxiv_id",
    "version",
    "title",
    "abstract",
    "authors",
    "author_count",
    "published",
    "updated",
    "categories",
    "primary_category",
    "links",
    "upvotes",
    "organization",
    "extra",
    "kind",
    "url",
)
"""The metadata columns of ``papers``, in the order :func:`metadata` gives their values."""
PAPER_COLUMNS = ("id", "title_key", *METADATA)
"""The columns of a :data:`PaperRow`: the paper's id and title key, then :data:`METADATA`."""

PaperRow = tuple[Any, ...]
"""A paper's values for :data:`PAPER_COLUMNS` (first seen and last seen are the store's)."""
MatchRow = tuple[str, str, float, str, str]
"""A ``beat_matches`` row without its paper: beat, verdict, score, hits and excluded_by as JSON."""

# One encoder each, made once: ``json.dumps`` with options makes a new one at every call.
_JSON_SORTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
_ASCII_JSON = json.JSONEncoder()
_SIGNAL_JSON = json.JSONEncoder(sort_keys=True)
_text = encode_basestring
"""A string as JSON, as ``ensure_ascii=False`` writes it."""
_ascii = encode_basestring_ascii
"""A string as JSON, as ``json.dumps`` writes it."""


def _strings(items: tuple[str, ...] | list[str], encode: Any) -> str:
    """A JSON array of strings, as the encoder writes it (``, `` between items)."""
    return "[" + ", ".join(map(encode, items)) + "]" if items else "[]"


def _object_json(extra: Mapping[str, object]) -> str:
    """``extra`` as :data:`_JSON_SORTED` encodes it; one of strings only without it."""
    if all(type(k) is str and type(v) is str for k, v in extra.items()):
        pairs = sorted(extra.items())
        return "{" + ", ".join(f"{_text(k)}: {_text(v)}" for k, v in pairs) + "}"
    return _JSON_SORTED.encode(extra)


def metadata(paper: Paper) -> tuple[Any, ...]:
    """The values of :data:`METADATA` for one paper."""
    arxiv = paper.arxiv
    return (
        arxiv.canonical if arxiv else None,
        arxiv.version if arxiv else None,
        paper.title,
        paper.abstract,
        _strings(paper.authors, _text),
        paper.author_count,
        paper.published.isoformat() if paper.published else None,
        paper.updated.isoformat() if paper.updated else None,
        _strings(paper.categories, _ascii),
        paper.primary_category,
        _links_json(paper.links),
        paper.upvotes,
        paper.organization,
        _object_json(paper.extra),
        paper.kind.value,
        paper.url,
    )


def _links_json(links: tuple[Link, ...]) -> str:
    parts = (f'{{"label": {_ascii(x.label)}, "url": {_ascii(x.url)}}}' for x in links)
    return "[" + ", ".join(parts) + "]"


def paper_row(paper: Paper) -> PaperRow:
    """The row of ``papers`` for one paper (:data:`PAPER_COLUMNS`)."""
    return (paper.id, normalize_title(paper.title), *metadata(paper))


def row_paper(row: PaperRow) -> Paper:
    """The paper a :func:`paper_row` was made from (its text is not cleaned again: it was
    when the paper was made)."""
    return stored_paper(dict(zip(PAPER_COLUMNS, row, strict=True)), made_here=True)


def stored_paper(values: Mapping[str, Any], made_here: bool = False) -> Paper:
    """The paper whose ``papers`` columns are ``values``, by name (a dict, or a row read
    from the library). Its text is cleaned again, as anything read back from a file any
    program may have written is, unless ``made_here``: values River's own reader made
    inert a moment ago (:func:`row_paper`)."""
    arxiv_id = values["arxiv_id"]
    make = Paper.cleaned if made_here else Paper
    return make(
        title=values["title"],
        abstract=values["abstract"],
        arxiv=ArxivId(arxiv_id, values["version"]) if arxiv_id else None,
        authors=tuple(json.loads(values["authors"])),
        author_count=values["author_count"],
        published=_day(values["published"]),
        updated=_day(values["updated"]),
        categories=tuple(json.loads(values["categories"])),
        primary_category=values["primary_category"],
        links=tuple(Link(x["label"], x["url"]) for x in json.loads(values["links"])),
        upvotes=values["upvotes"],
        organization=values["organization"],
        extra=json.loads(values["extra"]),
        kind=ItemKind(values["kind"]),
        url=values["url"],
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def signal_json(signal: Mapping[str, object]) -> str:
    """A sighting's signal as the ``discoveries`` table keeps it."""
    return _SIGNAL_JSON.encode(signal)


def hits_json(hits: tuple[Hit, ...]) -> str:
    """Beat hits as ``beat_matches`` keeps them (``hits``, ``excluded_by``): as
    ``json.dumps([{"term": ..., "field": ..., "count": ...}, ...])`` writes them."""
    if any(type(h.count) is not int for h in hits):
        return _ASCII_JSON.encode(
            [{"term": h.term, "field": h.field.value, "count": h.count} for h in hits]
        )
    parts = (
        f'{{"term": {_ascii(h.term)}, "field": {_ascii(h.field.value)}, "count": {int(h.count)}}}'
        for h in hits
    )
    return "[" + ", ".join(parts) + "]"


def match_rows(matches: list[BeatMatch]) -> tuple[MatchRow, ...]:
    """A paper's beat matches as ``beat_matches`` rows (without the paper's key)."""
    return tuple(
        (m.beat, m.verdict.value, m.score, hits_json(m.hits), hits_json(m.excluded_by))
        for m in matches
    )
