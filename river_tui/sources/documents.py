"""A whole document read into records: its shape chosen by its content, then its parser.

These are the functions :mod:`river_tui.sources.sandbox` runs in a child process: a file for
``river import`` (:func:`read_document`) and a source's answer for a refresh
(:func:`read_answer`, :func:`read_arxiv_page`). Pure: bytes in, records out; nothing is stored here.

A paper that a document lists more than once is kept once (its newest version), and the
others are counted as :data:`~river_tui.sources.notes.Note.REPEAT`: a file of 100,000 entries
of one paper is one paper to store, not 100,000 merges.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date

from river_tui.domain import Sighting
from river_tui.domain.claims import Dossier
from river_tui.sources import ParseError
from river_tui.sources.arxiv_api import ArxivFeed, parse_arxiv_feed
from river_tui.sources.arxiv_rss import parse_arxiv_rss
from river_tui.sources.arxiv_snapshot import parse_snapshot
from river_tui.sources.backup import Backup, read_backup
from river_tui.sources.detect import Shape, detect_shape
from river_tui.sources.dossier_md import parse_dossier
from river_tui.sources.feed import parse_feed
from river_tui.sources.hf_api import parse_daily_papers
from river_tui.sources.hf_page import parse_hf_page
from river_tui.sources.notes import Note, note
from river_tui.sources.oai_pmh import parse_list_records
from river_tui.sources.river_page import RiverPage, parse_river_page
from river_tui.sources.xmlguard import xml_encoding

NOT_A_SHAPE = (
    "not a shape River can import (expected a saved Hugging Face page or API response, an arXiv "
    "API response or RSS feed, arXiv's metadata snapshot or OAI-PMH answer, an RSS/Atom feed, a "
    "river page or a dossier)"
)

SOURCE_OF_SHAPE = {
    Shape.HF_PAGE: "hf-page",
    Shape.HF_JSON: "hf-api",
    Shape.ARXIV_ATOM: "arxiv-api",
    Shape.ARXIV_RSS: "arxiv-rss",
    Shape.FEED: "feed",
    Shape.ARXIV_SNAPSHOT: "arxiv-snapshot",
    Shape.ARXIV_OAI: "arxiv-oai",
}
"""The discovery source of the papers a document of each paper shape brings."""


@dataclass(frozen=True, slots=True)
class Document:
    """What one file holds. ``digest`` (SHA-256 of its text) is the origin of its sightings;
    exactly one of ``sightings``, ``river``, ``dossier`` and ``backup`` is filled, by shape."""

    shape: Shape
    digest: str
    sightings: tuple[Sighting, ...] = ()
    river: RiverPage | None = None
    dossier: Dossier | None = None
    backup: Backup | None = None


def read_document(data: bytes, as_of: date, beat_names: tuple[str, ...], url: str) -> Document:
    """The document in ``data`` (a file's bytes, decoded as UTF-8 with U+FFFD for bad bytes; an
    XML document that says it is in another encoding, by its byte-order mark or its
    declaration, is given to the XML parsers as it is).

    ``as_of`` dates a Hugging Face page that omits the year, ``beat_names`` help read a river
    page, and ``url`` is where a feed's relative links point (the file's ``file:`` URL).
    """
    text = data.decode("utf-8", errors="replace")
    xml = data if xml_encoding(data) != "utf-8" else text.encode("utf-8")
    shape = detect_shape(text, xml)
    if shape is None:
        raise ParseError(NOT_A_SHAPE)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if shape is Shape.RIVER_PAGE:
        return Document(shape, digest, river=parse_river_page(text, beat_names))
    if shape is Shape.DOSSIER:
        return Document(shape, digest, dossier=parse_dossier(text))
    if shape is Shape.BACKUP:
        return Document(shape, digest, backup=read_backup(text))
    if shape is Shape.HF_PAGE:
        page = parse_hf_page(text, as_of)
        listed = {"listed": page.listing_date.isoformat()} if page.listing_date else {}
        sightings = [Sighting(p, {"upvotes": p.upvotes, **listed}) for p in page.papers]
    elif shape is Shape.HF_JSON:
        sightings = list(parse_daily_papers(text.encode("utf-8")))
    elif shape is Shape.ARXIV_ATOM:
        sightings = list(parse_arxiv_feed(xml).sightings)
    elif shape is Shape.ARXIV_RSS:
        sightings = parse_arxiv_rss(xml)
    elif shape is Shape.ARXIV_SNAPSHOT:
        sightings = parse_snapshot(text)
    elif shape is Shape.ARXIV_OAI:
        sightings = list(parse_list_records(xml).sightings)
    else:
        sightings = list(parse_feed(xml, url).items)
    return Document(shape, digest, sightings=once_each(sightings))


def read_answer(source: str, data: bytes, url: str) -> tuple[Sighting, ...]:
    """The papers of a Hugging Face (``source`` ``hf``), arXiv RSS (``arxiv-rss``) or feed
    (``feed``) answer to a refresh; ``url`` is where the feed's relative links point."""
    if source == "hf":
        return once_each(list(parse_daily_papers(data)))
    if source == "arxiv-rss":
        return once_each(parse_arxiv_rss(data))
    return once_each(list(parse_feed(data, url).items))


def read_arxiv_page(data: bytes) -> ArxivFeed:
    """One page of an arXiv API answer; a repeated paper counts as skipped, for the pager."""
    feed = parse_arxiv_feed(data)
    kept = once_each(list(feed.sightings))
    return replace(feed, sightings=kept, skipped=feed.skipped + len(feed.sightings) - len(kept))


def once_each(sightings: list[Sighting]) -> tuple[Sighting, ...]:
    """Each paper once, in first-seen order, as its newest version (or its first sighting)."""
    kept: dict[str, Sighting] = {}
    for sighting in sightings:
        key = sighting.paper.id
        known = kept.get(key)
        if known is None or (sighting.paper.version or 0) > (known.paper.version or 0):
            kept[key] = sighting
    note(Note.REPEAT, len(sightings) - len(kept))
    return tuple(kept.values())
