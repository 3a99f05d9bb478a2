"""OPML: the list of feeds readers exchange (newsboat's ``-e``, Zotero, every feed reader).

Each ``<outline>`` with an ``xmlUrl`` is a feed, however deep it is nested: the outlines around
it (categories, folders) are not kept. Its name is its ``title`` (else its ``text``), its site
its ``htmlUrl``. An ``xmlUrl`` that is not a web link (River's link rule,
:func:`river_tui.domain.links.web_url`) is counted as skipped.

The document is refused before any parser sees it if it declares entities
(:func:`river_tui.sources.xmlguard.check_xml`), then parsed by defusedxml, which refuses entities
and external references as expat meets them: no XML is read by hand here.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XmlError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from river_tui.domain.links import web_url
from river_tui.domain.text import clean_line
from river_tui.sources import ParseError
from river_tui.sources.xmlguard import check_xml

MAX_BYTES = 10 * 2**20
"""The largest OPML file read: a list of 100,000 feeds is well under it."""
MAX_NAME = 200
"""A feed's name is cut to this many characters."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed an OPML document lists: its URL, its name ("" when it gives none) and its
    site ("" when it gives none, or not a web link)."""

    url: str
    name: str = ""
    site: str = ""


@dataclass(frozen=True, slots=True)
class Opml:
    """The feeds of a document, in its order, each URL once; ``skipped``: outlines whose
    ``xmlUrl`` is not a web link."""

    title: str
    feeds: tuple[OpmlFeed, ...]
    skipped: int = 0


def parse_opml(data: bytes, what: str = "OPML") -> Opml:
    """The feeds of the OPML document ``data``. Raises :class:`ParseError` (one line, naming
    ``what``) for a document that is too large, not XML, declares entities, or is not OPML."""
    if len(data) > MAX_BYTES:
        raise ParseError(f"{what}: too large for an OPML file ({len(data):,} bytes)")
    check_xml(data, what)
    try:
        root = fromstring(data)
    except XmlError as exc:
        raise ParseError(f"{what}: not well-formed XML ({exc})") from None
    except DefusedXmlException as exc:
        raise ParseError(f"{what}: refused: {exc}") from None
    if _local(root.tag) != "opml":
        raise ParseError(f"{what}: not OPML (its root element is <{_local(root.tag)[:40]}>)")
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise ParseError(f"{what}: not OPML (no <body>)")
    head = next((child for child in root if _local(child.tag) == "head"), None)
    title = ""
    if head is not None:
        element = next((child for child in head if _local(child.tag) == "title"), None)
        title = clean_line(element.text or "") if element is not None else ""
    feeds: dict[str, OpmlFeed] = {}
    skipped = 0
    for outline in body.iter():
        if _local(outline.tag) != "outline":
            continue
        attributes = _attributes(outline)
        if "xmlurl" not in attributes:
            continue  # a category, or a plain outline
        url = web_url(attributes["xmlurl"].strip())
        if url is None:
            skipped += 1
            continue
        name = clean_line(attributes.get("title") or attributes.get("text") or "")[:MAX_NAME]
        site = web_url(attributes.get("htmlurl", "").strip()) or ""
        feeds.setdefault(url, OpmlFeed(url, name, site))
    return Opml(title, tuple(feeds.values()), skipped)


def _local(tag: object) -> str:
    """An element's name without its namespace (``{ns}outline`` is ``outline``)."""
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attributes(element: Element) -> dict[str, str]:
    """The attributes by lower-case name: exporters write ``xmlUrl``, ``xmlurl`` and
    ``xmlURL``."""
    return {name.rsplit("}", 1)[-1].lower(): value for name, value in element.attrib.items()}
