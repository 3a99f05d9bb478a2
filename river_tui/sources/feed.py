"""Any RSS or Atom feed (a lab's blog): each item with a link becomes a web item.

Also the feedparser helpers the arXiv parsers share: reading a document safely
(:func:`read_feed`), finding a namespaced key whatever prefix the document chose
(:func:`ns_key`), dates as the source wrote them (:func:`entry_date`) and HTML to plain text
(:func:`html_to_text`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXParseException

import feedparser

from river_tui.domain import Sighting
from river_tui.domain.links import quoted_web_url, web_url
from river_tui.sources import ParseError, inert
from river_tui.sources.notes import Note, note, remark
from river_tui.sources.xmlcaps import cap_author_fields
from river_tui.sources.xmlguard import as_ascii_compatible, check_xml

# Bozo reasons that do not mean the document is broken.
_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass(frozen=True, slots=True)
class WebFeed:
    """A feed's title and its items (``kind=WEB``). ``skipped`` counts items without a link;
    ``site``: the web page the feed says it belongs to ("" when none)."""

    title: str
    items: tuple[Sighting, ...]
    skipped: int = 0
    site: str = ""


def parse_feed(data: bytes, feed_url: str) -> WebFeed:
    """Every linked item of an RSS or Atom document fetched from ``feed_url``.

    An item's web link is its link, else its id when that is a web link (RSS 1.0 names an
    item by its ``rdf:about``). Summaries are reduced to plain text; relative item links are
    resolved against the feed URL and only http(s) links are kept. A document feedparser gives
    a version is a feed, even with no item; one that is not well-formed is read as feedparser
    reads it leniently, and that is said once (:data:`~river_tui.sources.notes.Note.LENIENT`,
    with the parser's reason). One with no version and no item raises :class:`ParseError`
    with the parser's reason.
    """
    from river_tui.sources import fast_feed  # the fast reader, for well-formed RSS 2.0 and Atom

    with contextlib.suppress(fast_feed.Decline):
        return fast_feed.parse_feed_fast(data, feed_url)
    return parse_feed_slow(data, feed_url)


def parse_feed_slow(data: bytes, feed_url: str) -> WebFeed:
    """:func:`parse_feed` by feedparser alone: any feed, malformed ones too."""
    what = f"feed {feed_url}"
    parsed = read_feed(data, what)
    title = feed_title(parsed.feed, feed_url)
    items: list[Sighting] = []
    skipped = 0
    for entry in parsed.entries:
        sighting = entry_sighting(entry, feed_url, title)
        if sighting is None:
            skipped += 1
        else:
            items.append(sighting)
    if not items and not parsed.get("version"):
        raise ParseError(f"{what}: not an RSS or Atom feed ({bozo_reason(parsed)})")
    note_if_lenient(parsed)
    note(Note.NO_LINK, skipped)
    site = item_url(parsed.feed, feed_url) or ""  # the feed's own <link>, as an item's
    return WebFeed(title, tuple(items), skipped, site)


def feed_title(feed: Mapping[str, Any], feed_url: str) -> str:
    """The feed's title as its items' organization (its host, else its URL, when it has none).
    ``feed``: what feedparser read of the feed itself, or the same keys."""
    return inert.line(_text_of(feed, "title") or urlsplit(feed_url).netloc or feed_url)


def entry_sighting(entry: Mapping[str, Any], feed_url: str, title: str) -> Sighting | None:
    """The web item of one feed entry (as feedparser reads it, or the same keys), or None when
    it has no link."""
    url = item_url(entry, feed_url)
    if url is None:
        return None
    paper = inert.web_item(
        url,
        title=_text_of(entry, "title") or url,
        abstract=_summary_text(entry),
        authors=author_names(entry),
        published=entry_date(entry, "published", "updated", "created"),
        organization=title,
        feed=feed_url,
    )
    return Sighting(paper)


def read_feed(data: bytes, what: str) -> feedparser.FeedParserDict:
    """Guard then parse ``data`` with feedparser, leaving text as the document wrote it.

    HTML is neither sanitized nor rewritten here: River keeps plain text only
    (:func:`html_to_text`), and feedparser's sanitizer mangles a bare ``<`` in plain text.
    """
    if not isinstance(data, bytes | bytearray):
        raise ParseError(f"{what}: expected the response bytes")
    data = bytes(data)
    check_xml(data, what)
    # feedparser's author regex is quadratic (xmlcaps), whatever the encoding
    data = cap_author_fields(as_ascii_compatible(data))
    try:
        return feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:
        # feedparser's loose parser can fail on hostile input (``&#xD800;`` raises
        # UnicodeEncodeError): the document is unreadable, which is the source's fault.
        raise ParseError(f"{what}: unreadable ({type(exc).__name__})") from None


def bozo_reason(parsed: Mapping[str, Any]) -> str:
    """One line saying why feedparser found the document malformed."""
    exc = parsed.get("bozo_exception")
    if exc is None or isinstance(exc, _HARMLESS_BOZO):
        return "no feed found"
    return inert.line(str(exc))[:200] or type(exc).__name__


def malformed(parsed: Mapping[str, Any]) -> bool:
    """True when feedparser met a real syntax error (not just an encoding remark)."""
    return bool(parsed.get("bozo")) and not isinstance(parsed.get("bozo_exception"), _HARMLESS_BOZO)


def note_if_lenient(parsed: Mapping[str, Any]) -> None:
    """Say once why the document was read leniently, when it is not well-formed: the XML
    parser's reason (``undefined entity``). Not where: feedparser reports the line and column
    in the document as it rewrote it (an XML declaration added, the DOCTYPE taken out)."""
    if not malformed(parsed):
        return
    exc = parsed.get("bozo_exception")
    reason = exc.getMessage() if isinstance(exc, SAXParseException) else bozo_reason(parsed)
    remark(Note.LENIENT, inert.line(str(reason))[:200])


def ns_key(parsed: Mapping[str, Any], uri: str, name: str, default_prefix: str) -> str:
    """The key feedparser files ``<{uri}name>`` under: the document's own prefix for ``uri``."""
    namespaces = parsed.get("namespaces") or {}
    for prefix, value in namespaces.items():
        if value == uri and prefix:
            return f"{prefix}_{name}".lower()
    return f"{default_prefix}_{name}".lower()


def entry_date(entry: Mapping[str, Any], *keys: str) -> date | None:
    """The calendar date of the first of ``keys`` that holds a date, as the source wrote it.

    The date is taken in the timestamp's own offset (arXiv RSS announces ``00:00 -0400``: that
    is the 27th, not the 27th at 04:00 UTC), falling back to feedparser's UTC reading for the
    formats :func:`parse_date` does not know. A date written in a format it knows but
    impossible (``2026-02-30``, the year ``0000``) is no date: feedparser would roll it over
    (to 2026-03-02) or read it as another year (2000). An entry that wrote a date and has none
    is a :data:`~river_tui.sources.notes.Note.DATE`.
    """
    written = False
    for key in keys:
        raw = entry.get(key)
        found = parse_date(raw)
        if found is None and not _known_format(raw):
            parsed = entry.get(f"{key}_parsed")
            if parsed:
                with contextlib.suppress(ValueError):
                    found = plausible(date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday))
        if found is not None:
            return found
        written = written or (isinstance(raw, str) and bool(raw.strip()))
    if written:
        note(Note.DATE)
    return None


EARLIEST = date(1900, 1, 1)


def plausible(day: date | None) -> date | None:
    """``day``, unless no paper can have it: before 1900, or more than a year from now
    (feedparser reads ``99999-99-99`` as 9999-11-01, which would sort first forever)."""
    if day is None or not day >= EARLIEST:
        return None
    global _latest
    if day > _latest:  # a day not known to be plausible yet: ask the clock again
        _latest = date.today() + timedelta(days=366)
        if day > _latest:
            return None
    return day


_latest = EARLIEST
"""The latest plausible day when the clock was last asked (it only grows)."""


# The two formats feeds use: ISO 8601 (``2026-06-11T00:00:00Z``) and RFC 822
# (``Sat, 13 Jun 2026 10:00:00 GMT``), whose year email.utils reads as two digits when small.
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)")
_RFC822_DAY = re.compile(r"(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+(\d{2,4})\b")


def parse_date(value: object) -> date | None:
    """The date of an ISO 8601 or RFC 822 timestamp (``2026-06-11T00:00:00.000Z``), else None
    (an impossible day, a year before 1900 or far ahead included)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return plausible(datetime.fromisoformat(text).date())
    except ValueError:
        pass
    if _ISO_DAY.match(text):
        return None  # an ISO day fromisoformat refused: 2026-02-30
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    year = _RFC822_DAY.match(text)
    if year and len(year.group(1)) == 4 and int(year.group(1)) != when.year:
        return None  # "0000" read as 2000
    return plausible(when.date())


def written_date(value: object) -> date | None:
    """:func:`parse_date`, noting a date that was written but could not be read."""
    found = parse_date(value)
    if found is None and isinstance(value, str) and value.strip():
        note(Note.DATE)
    return found


def _known_format(value: object) -> bool:
    """``value`` is written as an ISO 8601 or RFC 822 date (readable or not)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(_ISO_DAY.match(text) or _RFC822_DAY.match(text))


def author_names(entry: Mapping[str, Any]) -> Iterable[str]:
    """The names of an entry's authors, in order, empty ones skipped."""
    authors = entry.get("authors") or []
    names = [a.get("name") for a in authors if isinstance(a, Mapping)]
    if not names and entry.get("author"):
        names = [entry.get("author")]
    return [name.strip() for name in names if isinstance(name, str) and name.strip()]


def tag_terms(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """The ``term`` of each category of an entry, in order, without repeats."""
    terms = (tag.get("term") for tag in entry.get("tags") or [])
    return tuple(dict.fromkeys(t.strip() for t in terms if isinstance(t, str) and t.strip()))


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, blocks on new lines."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()


def _text_of(entry: Mapping[str, Any], key: str) -> str:
    """``entry[key]`` as plain text, converting HTML when the feed says it is HTML."""
    detail = entry.get(f"{key}_detail")
    if isinstance(detail, Mapping):
        return _as_text(detail.get("value"), detail.get("type"))
    return _as_text(entry.get(key), "text/html")


def _summary_text(entry: Mapping[str, Any]) -> str:
    """The summary, else the first non-empty content (feedparser may copy content into
    ``summary`` without saying its type)."""
    if isinstance(entry.get("summary_detail"), Mapping):
        return _text_of(entry, "summary")
    for content in entry.get("content") or []:
        if text := _as_text(content.get("value"), content.get("type")):
            return text
    return _text_of(entry, "summary")


def _as_text(value: object, content_type: object) -> str:
    if not isinstance(value, str):
        return ""
    return html_to_text(value) if "html" in str(content_type) else value.strip()


def item_url(entry: Mapping[str, Any], feed_url: str) -> str | None:
    """The item's link resolved against the feed's URL, else its id if that is a web link (an
    id is a name, never resolved)."""
    link, entry_id = entry.get("link"), entry.get("id")
    if isinstance(link, str) and link.strip():
        try:
            url = quoted_web_url(_joined(feed_url, link.strip()))
        except ValueError:  # an address urllib cannot take apart (a bad IPv6 host)
            url = None
        if url is not None:
            return url
    if isinstance(entry_id, str) and entry_id.strip():
        return web_url(entry_id.strip())
    return None


_WEB_SCHEME = re.compile(r"https?:", re.IGNORECASE)


def _joined(base: str, link: str) -> str:
    """``urljoin(base, link)``, without taking either apart when ``link`` is a web address
    and ``base`` is not (a file's links: urljoin then gives ``link`` as it is)."""
    scheme = _WEB_SCHEME.match(link)
    if scheme and base[: scheme.end()].lower() != scheme.group().lower():
        return link
    return urljoin(base, link)


_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption"}
    | {"figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main"}
    | {"nav", "ol", "p", "pre", "section", "table", "tr", "ul"}
)
_HIDDEN = frozenset({"script", "style", "template", "head", "title"})
_PARAGRAPH = re.compile(r"\n{2,}")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self._parts.append("\n\n" if tag != "br" else "\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        elif tag in _BLOCKS:
            self._parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            # Source line breaks inside a paragraph are not breaks in the rendered text.
            self._parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        text = "".join(self._parts)
        lines = [line.strip() for line in text.split("\n")]
        return _PARAGRAPH.sub("\n\n", "\n".join(lines)).strip()
