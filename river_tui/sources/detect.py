"""Which of the known document shapes a piece of pasted or saved text is."""

from __future__ import annotations

import re
from enum import StrEnum

from river_tui.sources import ParseError
from river_tui.sources.arxiv_api import ARXIV_NS, ATOM_NS, OPENSEARCH_NS
from river_tui.sources.arxiv_snapshot import looks_like_snapshot
from river_tui.sources.backup import looks_like_backup
from river_tui.sources.dossier_md import looks_like_dossier
from river_tui.sources.feed import read_feed
from river_tui.sources.hf_page import looks_like_hf_page
from river_tui.sources.river_page import looks_like_river_page
from river_tui.sources.xmlguard import as_ascii_compatible
from river_tui.sources.xmlroot import find_root

# How much of a document the cheap checks below look at.
_HEAD = 64 * 1024
_BLANK = "\ufeff \t\r\n"
_HF_PAPER = re.compile(r'"paper"\s*:\s*\{')
_HF_KEYS = tuple(re.compile(rf'"{key}"\s*:') for key in ("title", "summary", "upvotes"))
# The API lists a paper's authors first: 10,000 of them push every other key past the head.
_HF_AUTHORS_FIRST = re.compile(r'"id"\s*:\s*"\d{4}\.\d{4,5}"\s*,\s*"authors"\s*:\s*\[')
# Root elements of feeds, by local name: RSS 0.9x and 2.0 (``rss``), RSS 0.90 and 1.0 (RDF),
# Atom 1.0, 0.3 and its drafts (``feed``, whatever its namespace), CDF (``CHANNEL``).
_FEED_ROOTS = frozenset({"rss", "rdf", "feed", "channel"})
_API_NAMESPACES = frozenset({ARXIV_NS, OPENSEARCH_NS})


class Shape(StrEnum):
    BACKUP = "river-backup"
    HF_PAGE = "hf-page"
    RIVER_PAGE = "river-page"
    DOSSIER = "dossier"
    HF_JSON = "hf-json"
    ARXIV_ATOM = "arxiv-atom"
    ARXIV_RSS = "arxiv-rss"
    FEED = "feed"
    ARXIV_SNAPSHOT = "arxiv-snapshot"
    ARXIV_OAI = "arxiv-oai"


def detect_shape(text: str, xml: bytes | None = None) -> Shape | None:
    """The shape of ``text``, or ``None`` when it is none of the known ones.

    ``xml`` is the document as an XML parser should read it, when that is not ``text`` in
    UTF-8 (a file in UTF-16 or Latin-1: its own bytes).

    Dossiers and river pages are checked first: their markers are the most specific. Then the
    pasted pages and JSON by cheap string checks on the start of the text. An XML document is
    told by its root element as expat finds it (:mod:`.xmlroot`): an RSS, RDF, Atom (any
    namespace: 1.0, 0.3 and its drafts) or CDF root is a feed, the parser reading it confirms.
    When expat cannot reach the root (a prolog that is not well-formed), feedparser's lenient
    reading decides: a document it gives a version is a feed. That reading is guarded as every
    other (:func:`~river_tui.sources.feed.read_feed`), so it may raise
    :class:`~river_tui.sources.ParseError` for a document River refuses.
    """
    if looks_like_backup(text):
        return Shape.BACKUP
    if looks_like_dossier(text):
        return Shape.DOSSIER
    if looks_like_river_page(text):
        return Shape.RIVER_PAGE
    if looks_like_hf_page(text):
        return Shape.HF_PAGE
    head = text[:_HEAD].lstrip(_BLANK)
    if head.startswith("{") and looks_like_snapshot(_first_line(head)):
        return Shape.ARXIV_SNAPSHOT
    if head.startswith(("[", "{")):
        return Shape.HF_JSON if _looks_like_hf_json(head) else None
    xml = text.encode("utf-8", errors="replace") if xml is None else xml
    xml_head = as_ascii_compatible(xml[: _HEAD * 4]).decode("utf-8", errors="replace")
    if xml_head.lstrip(_BLANK).startswith("<"):
        return _xml_shape(xml_head, xml)
    return None


def might_be_xml(head: bytes) -> bool:
    """Whether a file that starts with ``head`` may be XML (its first mark, past a byte order
    mark and blanks, is ``<``, in whatever family of encodings it is written): a cheap check,
    made before :func:`is_feed_head` is asked in a child process."""
    return as_ascii_compatible(head[: _HEAD * 4]).lstrip(_BLANK.encode()).startswith(b"<")


def is_feed_head(head: bytes) -> bool:
    """Whether a file that starts with ``head`` is an RSS or Atom feed, as :func:`detect_shape`
    tells one by its start. It may run expat, and feedparser when expat cannot reach the root:
    call it in the sandbox (:func:`~river_tui.sources.sandbox.read_isolated`). A start River
    refuses to read is not a feed's (the whole file is then read, and refused, as any other)."""
    try:
        return detect_shape(head.decode("utf-8", errors="replace")) is Shape.FEED
    except ParseError:
        return False


def _first_line(head: str) -> str:
    end = head.find("\n")
    return head if end < 0 else head[:end]


def _looks_like_hf_json(head: str) -> bool:
    """Listing items wrap a ``"paper"`` object; a lone paper has a title, summary and upvotes."""
    if _HF_PAPER.search(head) and _HF_KEYS[2].search(head):
        return True
    if _HF_AUTHORS_FIRST.search(head):
        return True
    return all(key.search(head) for key in _HF_KEYS)


def _xml_shape(head: str, xml: bytes) -> Shape | None:
    root = find_root(head)
    if root is None:
        if not read_feed(xml, "XML document").get("version"):
            return None
    elif root.name.lower() == "oai-pmh" and "arxiv.org" in head.lower():
        return Shape.ARXIV_OAI  # a saved answer of arXiv's OAI-PMH interface
    elif root.name.lower() not in _FEED_ROOTS:
        return None
    elif (root.namespace, root.name) == (ATOM_NS, "feed") and root.namespaces >= _API_NAMESPACES:
        return Shape.ARXIV_ATOM  # the API declares opensearch for its totalResults
    if "oai:arXiv.org:" in head[:_HEAD] or "rss.arxiv.org" in head[:_HEAD]:
        return Shape.ARXIV_RSS  # the announcement feeds, RSS or Atom
    return Shape.FEED
