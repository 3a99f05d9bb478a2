"""arXiv's daily announcement feeds (``rss.arxiv.org/rss/<cat>``), RSS 2.0 as of 2024.

An item carries the id and version in its ``guid`` (``oai:arXiv.org:2604.21952v1``), the
announcement kind in ``arxiv:announce_type`` (``new``, ``cross``, ``replace``,
``replace-cross``), ALL authors in one comma-separated ``dc:creator`` and a ``description`` of
the form ``arXiv:<id>vN Announce Type: new \\nAbstract: ...``. The channel is empty on
weekends and holidays: that is an empty list, not an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from river_tui.domain import Paper, Sighting, parse_arxiv_id
from river_tui.domain.links import web_url
from river_tui.sources import ParseError, inert
from river_tui.sources.arxiv_api import ARXIV_NS, arxiv_links, unwrap_abstract
from river_tui.sources.feed import (
    author_names,
    bozo_reason,
    entry_date,
    note_if_lenient,
    ns_key,
    read_feed,
    tag_terms,
)

WHAT = "arXiv RSS"

_PREAMBLE = re.compile(
    r"^\s*arXiv:(?P<id>\S+)\s+Announce\s+Type:\s*(?P<type>[\w-]+)\s*", re.IGNORECASE
)
_ABSTRACT = re.compile(r"^\s*Abstract:\s*", re.IGNORECASE)
# "A, B and C", "A, B, and C", "A and B": commas and a final "and" separate names.
_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_BRACKETED = re.compile(r"\([^()\[\]]*\)|\[[^()\[\]]*\]")
_HIDDEN = re.compile(r"\x00(\d+)\x00")
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."})


def parse_arxiv_rss(data: bytes) -> list[Sighting]:
    """Every paper of an arXiv RSS (or arXiv Atom) announcement feed, in feed order.

    Items without an arXiv id are skipped. Raises :class:`ParseError` when ``data`` is not a
    feed at all; one that is not well-formed is read leniently, and that is said once.
    """
    parsed = read_feed(data, WHAT)
    if not parsed.get("version") and not parsed.entries:
        raise ParseError(f"{WHAT}: not an RSS feed ({bozo_reason(parsed)})")
    note_if_lenient(parsed)
    sightings = []
    for entry in parsed.entries:
        sighting = _sighting(parsed, entry)
        if sighting is not None:
            sightings.append(sighting)
    return sightings


def split_creators(creators: str) -> list[str]:
    """Names from one ``dc:creator`` string.

    ``"A. Smith, B. Jones and C. Lee"`` gives three names; commas inside parentheses
    (affiliations) do not split, and ``Jr.``-like suffixes stay with the name before them.
    """
    hidden: list[str] = []

    def hide(match: re.Match[str]) -> str:
        hidden.append(match.group(0))
        return f"\x00{len(hidden) - 1}\x00"

    masked, count = creators, 1
    while count:  # innermost brackets first, so nested ones are hidden whole
        masked, count = _BRACKETED.subn(hide, masked)
    names: list[str] = []
    for piece in _SEPARATOR.split(masked):
        while _HIDDEN.search(piece):
            piece = _HIDDEN.sub(lambda m: hidden[int(m.group(1))], piece)
        name = " ".join(piece.split())
        if not name:
            continue
        if names and name.casefold() in _SUFFIXES:
            names[-1] = f"{names[-1]}, {name}"
        else:
            names.append(name)
    return names


def _sighting(parsed: Mapping[str, Any], entry: Mapping[str, Any]) -> Sighting | None:
    guid, link = str(entry.get("id", "")), str(entry.get("link", ""))
    arxiv = parse_arxiv_id(guid) or parse_arxiv_id(link)
    title = str(entry.get("title", "")).strip()
    if arxiv is None or not title:
        return None
    description = str(entry.get("summary", ""))
    preamble = _PREAMBLE.match(description)
    if preamble:
        description = description[preamble.end() :]
        described = parse_arxiv_id(preamble.group("id"))
        if arxiv.version is None and described and described.canonical == arxiv.canonical:
            arxiv = described
    description = _ABSTRACT.sub("", description, count=1)
    announce = entry.get(ns_key(parsed, ARXIV_NS, "announce_type", "arxiv"))
    announce_type = " ".join(str(announce).split()).lower() if announce else None
    if not announce_type and preamble:
        announce_type = preamble.group("type").lower()
    extra: dict[str, object] = {}
    for name, key in (("doi", "doi"), ("journal_reference", "journal_ref")):
        value = entry.get(ns_key(parsed, ARXIV_NS, name, "arxiv"))
        if isinstance(value, str) and value.strip():
            extra[key] = " ".join(value.split())
    if announce_type:
        extra["announce_type"] = announce_type
    authors = [name for creator in author_names(entry) for name in split_creators(creator)]
    links = arxiv_links(arxiv.canonical, web_url(link.strip()), extra.get("doi"))
    paper = Paper(
        arxiv=arxiv,
        title=title,
        abstract=unwrap_abstract(description),
        authors=tuple(authors),
        published=entry_date(entry, "published", "updated"),
        categories=tag_terms(entry),
        links=tuple(links),
        extra=extra,
    )
    signal = {"announce_type": announce_type, "version": arxiv.version}
    return inert.sighting(Sighting(paper, {k: v for k, v in signal.items() if v is not None}))
