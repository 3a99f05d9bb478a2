"""Which of the known document shapes a piece of pasted or saved text is."""

from __future__ import annotations

import re
from enum import StrEnum

from river_tui.sources.arxiv_snapshot import looks_like_snapshot
from river_tui.sources.backup import looks_like_backup
from river_tui.sources.dossier_md import looks_like_dossier
from river_tui.sources.hf_page import looks_like_hf_page
from river_tui.sources.river_page import looks_like_river_page

# How much of a document the cheap checks below look at.
_HEAD = 64 * 1024
# The root element: the first tag that is not a declaration, comment or processing instruction.
_ROOT = re.compile(r"<(?![?!/])([A-Za-z_][\w.:-]*)")
_HF_PAPER = re.compile(r'"paper"\s*:\s*\{')
_HF_KEYS = tuple(re.compile(rf'"{key}"\s*:') for key in ("title", "summary", "upvotes"))
# The API lists a paper's authors first: 10,000 of them push every other key past the head.
_HF_AUTHORS_FIRST = re.compile(r'"id"\s*:\s*"\d{4}\.\d{4,5}"\s*,\s*"authors"\s*:\s*\[')
_ARXIV_NS = "http://arxiv.org/schemas/atom"
_ATOM_NS = "http://www.w3.org/2005/Atom"


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


def detect_shape(text: str) -> Shape | None:
    """The shape of ``text``, or ``None`` when it is none of the known ones.

    Dossiers and river pages are checked first: their markers are the most specific. Then the
    pasted pages, then API responses and feeds, by cheap string checks on the start of the text
    (no full parse).
    """
    if looks_like_backup(text):
        return Shape.BACKUP
    if looks_like_dossier(text):
        return Shape.DOSSIER
    if looks_like_river_page(text):
        return Shape.RIVER_PAGE
    if looks_like_hf_page(text):
        return Shape.HF_PAGE
    head = text[:_HEAD].lstrip("\ufeff \t\r\n")
    if head.startswith("{") and looks_like_snapshot(_first_line(head)):
        return Shape.ARXIV_SNAPSHOT
    if head.startswith(("[", "{")):
        return Shape.HF_JSON if _looks_like_hf_json(head) else None
    if head.startswith("<"):
        return _xml_shape(head)
    return None


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


def _xml_shape(head: str) -> Shape | None:
    root = _ROOT.search(head)
    if root is None:
        return None
    name = root.group(1).rsplit(":", 1)[-1].lower()
    arxiv_announcements = "oai:arXiv.org:" in head or "rss.arxiv.org" in head
    if name == "feed" and _ATOM_NS in head:
        if "totalResults" in head:  # opensearch: only the API pages its results
            return Shape.ARXIV_ATOM
        if arxiv_announcements:
            return Shape.ARXIV_RSS  # the Atom edition of the announcement feeds
        return Shape.ARXIV_ATOM if _ARXIV_NS in head else Shape.FEED
    if name == "oai-pmh" and "arxiv.org" in head.lower():
        return Shape.ARXIV_OAI  # a saved answer of arXiv's OAI-PMH interface
    if name in ("rss", "rdf"):
        if arxiv_announcements or _ARXIV_NS in head:
            return Shape.ARXIV_RSS
        return Shape.FEED
    return None
