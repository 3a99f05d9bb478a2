"""The arXiv API (``export.arxiv.org/api/query``): an Atom feed of papers, read by namespace.

Everything is read by element name and namespace, never by position (the 2025 backend reordered
the elements of an entry). Titles and abstracts come with hard wraps and indentation: titles are
folded to one line, abstracts keep their paragraphs (:func:`unwrap_abstract`).

A bad request comes back as HTTP 400 with an Atom feed holding one entry titled ``Error``:
:func:`arxiv_error` reads its message, and :func:`parse_arxiv_feed` raises it as a
:class:`SourceError`. An id that does not exist is simply absent (no error).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from river_tui.domain import Link, Paper, Sighting, parse_arxiv_id
from river_tui.domain.links import web_url
from river_tui.domain.text import clean_line
from river_tui.sources import ParseError, SourceError, inert
from river_tui.sources.feed import (
    author_names,
    bozo_reason,
    entry_date,
    malformed,
    ns_key,
    read_feed,
    tag_terms,
)

WHAT = "arXiv"
ATOM_NS = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
ABS_URL = "https://arxiv.org/abs/"
PDF_URL = "https://arxiv.org/pdf/"
DOI_URL = "https://doi.org/"



def arxiv_links(canonical: str, abs_url: str | None = None, doi: object = None) -> list[Link]:
    """An arXiv paper's links: its abstract page (arXiv's, unless the source gave ``abs_url``),
    its PDF, and its DOI's page when it has one."""
    links = [Link("abs", abs_url or ABS_URL + canonical), Link("pdf", PDF_URL + canonical)]
    if doi is not None:
        links.append(Link("doi", f"{DOI_URL}{doi}"))
    return links


# A paragraph starts after a blank line or on an indented line; other line breaks are wraps.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*|\n[ \t]+(?=\S)")


@dataclass(frozen=True, slots=True)
class ArxivFeed:
    """One page of results: ``total`` matches in all, this page starting at ``start``.

    ``skipped`` counts entries that were not papers (no arXiv id, no title): a pager should
    advance by ``len(sightings) + skipped``.
    """

    total: int
    start: int
    per_page: int
    sightings: tuple[Sighting, ...]
    skipped: int = 0


def unwrap_abstract(text: str | None) -> str:
    """An arXiv abstract without its hard wraps: one line per paragraph, paragraphs apart.

    arXiv marks a new paragraph by indenting its first line (``"\\n  Objective. ..."``); any
    other line break is a wrap.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def parse_arxiv_feed(data: bytes) -> ArxivFeed:
    """Every paper of an arXiv API response.

    Raises :class:`SourceError` with arXiv's message for an error feed, and
    :class:`ParseError` when ``data`` is not an arXiv Atom feed (or is cut short).
    """
    parsed = read_feed(data, WHAT)
    if not str(parsed.get("version", "")).startswith("atom"):
        raise ParseError(f"{WHAT}: not an Atom feed ({bozo_reason(parsed)})")
    message = _error_message(parsed)
    if message is not None:
        raise SourceError(f"{WHAT}: {message}")
    if malformed(parsed):
        raise ParseError(f"{WHAT}: malformed response ({bozo_reason(parsed)})")
    total = _opensearch_int(parsed, "totalResults")
    start = _opensearch_int(parsed, "startIndex")
    per_page = _opensearch_int(parsed, "itemsPerPage")
    affiliations = _affiliations(data)
    sightings: list[Sighting] = []
    skipped = 0
    for entry in parsed.entries:
        sighting = _sighting(parsed, entry, affiliations)
        if sighting is None:
            skipped += 1
        else:
            sightings.append(sighting)
    return ArxivFeed(total, start, per_page, tuple(sightings), skipped)


def arxiv_error(data: bytes) -> str | None:
    """arXiv's message when ``data`` is its error feed (``incorrect id format for abc``), else None.

    Never raises: for an HTTP layer turning a 400 body into a message.
    """
    try:
        parsed = read_feed(data, WHAT)
    except ParseError:
        return None
    return _error_message(parsed)


def _error_message(parsed: Mapping[str, Any]) -> str | None:
    for entry in parsed.get("entries") or []:
        title = clean_line(str(entry.get("title", "")))
        if title == "Error" and parse_arxiv_id(str(entry.get("id", ""))) is None:
            return clean_line(str(entry.get("summary", ""))) or "the query was refused"
    return None


def _opensearch_int(parsed: Mapping[str, Any], name: str) -> int:
    feed = parsed.get("feed") or {}
    value = feed.get(ns_key(parsed, OPENSEARCH_NS, name, "opensearch"))
    try:
        return int(str(value).strip())
    except ValueError:
        raise ParseError(f"{WHAT}: not an API response (no number in opensearch:{name})") from None


def _sighting(
    parsed: Mapping[str, Any],
    entry: Mapping[str, Any],
    affiliations: Mapping[str, dict[str, list[str]]],
) -> Sighting | None:
    entry_id = str(entry.get("id", ""))
    arxiv = parse_arxiv_id(entry_id)
    title = str(entry.get("title", "")).strip()
    if arxiv is None or not title:
        return None
    extra: dict[str, object] = {}
    for key in ("comment", "journal_ref", "doi"):
        value = entry.get(ns_key(parsed, ARXIV_NS, key, "arxiv"))
        if isinstance(value, str) and value.strip():
            extra[key] = " ".join(value.split())
    if entry_id in affiliations:
        extra["affiliations"] = affiliations[entry_id]
    primary = entry.get(ns_key(parsed, ARXIV_NS, "primary_category", "arxiv"))
    paper = Paper(
        arxiv=arxiv,
        title=title,
        abstract=unwrap_abstract(entry.get("summary")),
        authors=tuple(author_names(entry)),
        published=entry_date(entry, "published"),
        updated=entry_date(entry, "updated"),
        categories=tag_terms(entry),
        primary_category=primary.get("term") if isinstance(primary, Mapping) else None,
        links=_links(entry, str(arxiv), extra.get("doi")),
        extra=extra,
    )
    return inert.sighting(Sighting(paper, {"version": arxiv.version}))


def _links(entry: Mapping[str, Any], versioned_id: str, doi: object) -> tuple[Link, ...]:
    found: dict[str, str] = {}
    for link in entry.get("links") or []:
        href, rel, title = link.get("href"), link.get("rel"), link.get("title")
        if not isinstance(href, str) or not web_url(href):
            continue
        if rel == "alternate":
            label = "abs"
        elif title == "pdf" or link.get("type") == "application/pdf":
            label = "pdf"
        elif title == "doi":
            label = "doi"
        else:
            continue
        found.setdefault(label, href)
    found.setdefault("abs", ABS_URL + versioned_id)
    found.setdefault("pdf", PDF_URL + versioned_id)
    if isinstance(doi, str) and doi:
        found.setdefault("doi", f"{DOI_URL}{doi}")
    return tuple(Link(label, url) for label, url in found.items())


def _affiliations(data: bytes) -> dict[str, dict[str, list[str]]]:
    """``{entry id: {author name: [affiliations]}}``, for entries that name any.

    feedparser keeps only the last ``arxiv:affiliation`` of an entry, so these are read from
    the tree. ``data`` has passed :func:`check_xml` already.
    """
    if b"affiliation" not in data:
        return {}
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return {}
    result: dict[str, dict[str, list[str]]] = {}
    for entry in root.iter(f"{{{ATOM_NS}}}entry"):
        by_author: dict[str, list[str]] = {}
        for author in entry.iter(f"{{{ATOM_NS}}}author"):
            name = " ".join((author.findtext(f"{{{ATOM_NS}}}name") or "").split())
            places = [
                " ".join((a.text or "").split()) for a in author.iter(f"{{{ARXIV_NS}}}affiliation")
            ]
            places = [p for p in places if p]
            if name and places:
                by_author.setdefault(name, []).extend(places)
        entry_id = (entry.findtext(f"{{{ATOM_NS}}}id") or "").strip()
        if by_author and entry_id:
            result[entry_id] = by_author
    return result
