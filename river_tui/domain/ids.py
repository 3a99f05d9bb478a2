"""Paper identifiers: arXiv ids (new and old style, versions kept apart) and provisional ids."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

_NEW_STYLE = r"(?P<new>\d{4}\.\d{4,5})"
_OLD_STYLE = r"(?P<old>[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})"
_VERSION = r"(?:v(?P<version>\d+))?"
_EXACT = re.compile(rf"^(?:arxiv:)?(?:{_NEW_STYLE}|{_OLD_STYLE}){_VERSION}$", re.IGNORECASE)
# Where an id sits inside a URL or an OAI identifier.
_IN_TEXT = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html)/|oai:arxiv\.org:|arxiv:\s*)"
    rf"(?:{_NEW_STYLE}|{_OLD_STYLE}){_VERSION}",
    re.IGNORECASE,
)
PROVISIONAL_PREFIX = "prov:"
WEB_PREFIX = "web:"


@dataclass(frozen=True, slots=True)
class ArxivId:
    """An arXiv identifier split into its canonical part and its version."""

    canonical: str
    version: int | None = None

    def __str__(self) -> str:
        return self.canonical if self.version is None else f"{self.canonical}v{self.version}"


def _from_match(match: re.Match[str]) -> ArxivId:
    canonical = match.group("new") or match.group("old")
    version = match.group("version")
    return ArxivId(canonical, int(version) if version else None)


def parse_arxiv_id(value: str) -> ArxivId | None:
    """Parse a bare id (``2606.05152v2``, ``astro-ph/0601001``, ``arXiv:2606.05152``).

    Also accepts arXiv abs/pdf URLs and OAI identifiers. Returns ``None`` for anything else.
    """
    value = value.strip()
    match = _EXACT.match(value)
    if match:
        return _from_match(match)
    return find_arxiv_id(value) if "/" in value or ":" in value else None


def find_arxiv_id(text: str) -> ArxivId | None:
    """The first arXiv id named by a URL or OAI identifier inside ``text``, if any."""
    match = _IN_TEXT.search(text)
    return _from_match(match) if match else None


@functools.lru_cache(maxsize=4096)
def normalize_title(title: str) -> str:
    """A key for comparing titles: case-folded, accents and punctuation dropped, spaces folded.
    Kept for the titles met last: writing a paper asks for its key three times."""
    if title.isascii():  # no accent to drop, and \w is [A-Za-z0-9_]: no regex either
        return " ".join(title.lower().translate(_ASCII_NON_WORD).split())
    text = unicodedata.normalize("NFKD", title).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text).split())


_NON_WORD = re.compile(r"[^\w]+")
_ASCII_NON_WORD = {
    code: " " for code in range(128) if not (chr(code).isalnum() or chr(code) == "_")
}
"""Every ASCII character ``\\w`` does not match, made a space."""


def provisional_id(title: str) -> str:
    """A stable id for a paper known only by its title (``prov:`` + 12 hex digits)."""
    digest = hashlib.sha1(normalize_title(title).encode("utf-8")).hexdigest()
    return PROVISIONAL_PREFIX + digest[:12]


def is_provisional(paper_id: str) -> bool:
    return paper_id.startswith(PROVISIONAL_PREFIX)


def web_id(url: str) -> str:
    """A stable id for a web feed item (``web:`` + 12 hex digits of its URL's SHA-1)."""
    key = url.strip().removesuffix("/")
    return WEB_PREFIX + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
