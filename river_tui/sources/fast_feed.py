"""The fast reader of well-formed RSS 2.0 and Atom 1.0 feeds: the same records as feedparser's,
read as a stream, about 30 times faster.

feedparser (:mod:`river_tui.sources.feed`) reads any feed, malformed ones too, but it keeps the
whole document in memory and takes about 3 ms an entry. This module reads a well-formed feed
with lxml's ``iterparse``, one entry at a time in constant memory, and builds each entry's
record with the very functions :func:`~river_tui.sources.feed.parse_feed` uses, from the values
feedparser would have read: the first text of each element stripped, feedparser's repairs
(text that is UTF-8 read as Latin-1, the Windows-1252 range, ``&amp;`` in links), its rules for
which link is the item's, which title and summary count, and which author names an entry has.

It reads only what it knows it reads as feedparser does, and hands the rest back:

* **a document** it does not read (another encoding than UTF-8, a DOCTYPE, ``xml:base``, RSS
  1.0, Atom 0.3, a feed title after the first entry, ...) raises :class:`Decline` before any
  entry; a document that turns out not to be well-formed raises :class:`NotWellFormed`
  (a kind of :class:`Decline`), where the caller reads it with feedparser;
* **an entry** holding anything else than the elements listed here (an unknown element, XHTML
  content, an ``xml:base``, an author with only an e-mail address, ...) is read by feedparser
  alone, wrapped in a document of its own (:func:`_by_feedparser`): still the same record,
  still one entry's memory.

``tests/test_fast_feed.py`` checks that both readers give the same records on every feed
fixture, on the benchmark's feed and on variants made to hit each rule.

Protections: lxml is given ``resolve_entities=False``, ``no_network=True``, ``load_dtd=False``
and ``huge_tree=False`` (a text node over 10 MB is an error), and the document's head passes
:func:`~river_tui.sources.xmlguard.check_xml` first; every record then goes through
:mod:`river_tui.sources.inert`, which caps each field, as feedparser's do.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from lxml import etree

from river_tui.domain import Sighting
from river_tui.domain.rows import PaperRow, paper_row, row_paper
from river_tui.sources import ParseError, inert
from river_tui.sources.notes import Note, collect, note
from river_tui.sources.xmlguard import HEAD_BYTES, check_xml

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
XML = "{http://www.w3.org/XML/1998/namespace}"
XML_LANG = XML + "lang"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/html"})
_NAME = ATOM + "name"
_PERSON = (ATOM + "name", ATOM + "email", ATOM + "uri")
_LANG = frozenset({XML + "lang"})
_TEXT_ATTRIBUTES = frozenset({"type", XML + "lang"})
_LINK_ATTRIBUTES = frozenset({"rel", "type", "href", "hreflang", "title", "length", XML + "lang"})
_GUID_ATTRIBUTES = frozenset({"isPermaLink", XML + "lang"})
AUTHOR_TEXT = 100
"""An RSS author longer than this is left to feedparser, which reads it after
:func:`~river_tui.sources.xmlcaps.cap_author_fields` may have cut it."""

_URI_FIXER = re.compile("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")  # feedparser's _urifixer
_LINK_REFERENCE = re.compile("&([A-Za-z0-9_]+);")
_ROOT = re.compile(rb"<(?![?!/])([A-Za-z_][\w.:-]*)")
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_looks_like_html = _FeedParserMixin.looks_like_html


class Decline(Exception):
    """The fast reader does not read this document: feedparser does."""


class NotWellFormed(Decline):
    """The document is not well-formed XML (at the place the message says)."""


class _EntryDecline(Exception):
    """This entry holds something the fast reader leaves to feedparser."""


# -- the whole document ---------------------------------------------------------------------------
def parse_feed_fast(data: bytes, feed_url: str) -> Any:
    """:func:`~river_tui.sources.feed.parse_feed` of ``data``, or :class:`Decline`. Notes made
    while reading are kept only when it reads the document (else feedparser makes its own)."""
    from river_tui.sources.feed import WebFeed, feed_title

    with collect() as made:
        reader = FeedReader(io.BytesIO(data), feed_url, len(data))
        items: list[Sighting] = []
        skipped = 0
        for sighting in reader.entries():
            if sighting is None:
                skipped += 1
            else:
                items.append(sighting)
    for kind, count in made.items():
        note(kind, count)
    note(Note.NO_LINK, skipped)
    title = reader.title or feed_title({}, feed_url)  # no title: its host, as feedparser's
    return WebFeed(title, tuple(items), skipped, reader.site)


class FeedReader:
    """One feed read entry by entry from ``source`` (a binary file at its start). ``size`` is
    its length in bytes, if known: a prolog longer than the head is declined."""

    def __init__(self, source: BinaryIO, feed_url: str, size: int | None = None) -> None:
        self.source = source
        self.feed_url = feed_url
        self.title = ""
        """The feed's title as its items' organization, known once the first entry is read."""
        self.site = ""
        """The page the feed says it belongs to (its own link), known once an entry is read or
        the feed ends: as :attr:`~river_tui.sources.feed.WebFeed.site`."""
        self.by_feedparser = 0
        """Entries read by feedparser alone (:meth:`_by_feedparser`)."""
        self._head = source.read(HEAD_BYTES)
        check_xml(self._head, f"feed {feed_url}")
        self._kind = _kind_of(self._head)
        self._version = ""

    def entries(self) -> Iterator[Sighting | None]:
        """Each entry's record in document order (None: an entry without a link). Raises
        :class:`Decline` (:class:`NotWellFormed`) as the module says; :class:`ParseError` for
        a document River never reads (one declaring entities)."""
        for row in self.rows():
            yield None if row is None else Sighting(row_paper(row))

    def rows(self) -> Iterator[PaperRow | None]:
        """:meth:`entries` as the rows the library stores (:func:`~river_tui.domain.rows.
        paper_row`): an ordinary Atom entry is read straight into its row (:func:`_atom_row`),
        any other through feedparser's keys."""
        from river_tui.sources.feed import entry_sighting, feed_title

        atom = self._kind == "atom"
        entry_tag, title_tag = (ATOM + "entry", ATOM + "title") if atom else ("item", "title")
        stream = _Rejoined(self._head, self.source)
        events = etree.iterparse(
            stream,
            events=("end",),
            tag=(entry_tag, title_tag),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_blank_text=False,
        )
        read_entry = _atom_entry if atom else _rss_entry
        container: Any = None
        title_seen = False
        try:
            for _event, element in events:
                parent = element.getparent()
                if container is None:
                    container = self._container(element)
                if element.tag == title_tag:
                    if parent is container:
                        if title_seen:
                            raise Decline("a second feed title")
                        self.title = feed_title(self._feed_title(element), self.feed_url)
                        title_seen = True
                    continue
                if parent is not container:
                    raise Decline("an entry outside the feed")
                if not title_seen:
                    raise Decline("the feed's title is not before its first entry")
                if not self.site:  # the feed's own link comes before its entries
                    self.site = self._site(container)
                try:
                    if not atom:
                        raise _Unusual
                    yield _atom_row(element, self.feed_url, self.title)
                except _Unusual:
                    try:
                        entry = read_entry(element)
                    except _EntryDecline:
                        self.by_feedparser += 1
                        entry = self._by_feedparser(element)
                    sighting = entry_sighting(entry, self.feed_url, self.title) if entry else None
                    yield None if sighting is None else paper_row(sighting.paper)
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del container[0]
        except etree.XMLSyntaxError as exc:
            raise NotWellFormed(_said(exc)) from None
        if container is None:  # no entry and no feed title: say nothing, feedparser will
            raise Decline("no entry")
        if not self.site:
            self.site = self._site(container)

    def _site(self, container: Any) -> str:
        """The feed's own link (an RSS channel's ``link``, an Atom feed's alternate link) as
        an item's is read (:func:`~river_tui.sources.feed.item_url`)."""
        from river_tui.sources.feed import item_url

        found: dict[str, str] = {}
        for child in container:
            if self._kind == "atom" and child.tag == ATOM + "link" and "link" not in found:
                alternate = child.get("rel", "alternate").lower() == "alternate"
                if alternate and child.get("type", "text/html") in HTML_TYPES:
                    found["link"] = child.get("href") or ""
            elif self._kind == "atom" and child.tag == ATOM + "id":
                found.setdefault("id", (child.text or "").strip())
            elif self._kind != "atom" and child.tag == "link":
                found.setdefault("link", (child.text or "").strip() or child.get("href", ""))
        return item_url(found, self.feed_url) or ""

    def _container(self, element: Any) -> Any:
        """The element entries belong to (the feed, or the RSS channel), checked once."""
        root = element.getroottree().getroot()
        if self._kind == "atom":
            if root.tag != ATOM + "feed" or _attributes(root) - {XML_LANG}:
                raise Decline("not a plain Atom 1.0 feed")
            return root
        version = root.get("version", "")
        channels = [child for child in root if child.tag == "channel"]
        if root.tag != "rss" or len(channels) != 1 or not version.startswith(("2.", "0.9")):
            raise Decline("not a plain RSS 2.0 feed")
        if _attributes(root) - {"version"} or _attributes(channels[0]) - {XML_LANG}:
            raise Decline("attributes on the feed")
        self._version = version
        return channels[0]

    def _feed_title(self, element: Any) -> dict[str, Any]:
        """The feed's ``title``, as feedparser keeps it (an empty one is declined: feedparser
        would then take a later one)."""
        try:
            detail = _text_element(element, self._kind == "atom")
        except _EntryDecline as exc:
            raise Decline(f"the feed's title: {exc}") from None
        if not detail["value"]:
            raise Decline("an empty feed title")
        return {"title": detail["value"], "title_detail": detail}

    def _by_feedparser(self, element: Any) -> dict[str, Any] | None:
        """The entry as feedparser reads it, alone in a feed of its own; None when it has no
        link (feedparser's reading of it is then not needed)."""
        from river_tui.sources.feed import malformed, read_feed

        body = etree.tostring(element)
        if self._kind == "atom":
            wrapped = b'<feed xmlns="http://www.w3.org/2005/Atom">' + body + b"</feed>"
        else:
            version = self._version.encode("ascii", "replace")
            wrapped = b'<rss version="' + version + b'"><channel>' + body + b"</channel></rss>"
        parsed = read_feed(b'<?xml version="1.0" encoding="utf-8"?>\n' + wrapped, "entry")
        if len(parsed.entries) != 1 or malformed(parsed):
            raise Decline("an entry feedparser cannot read alone")
        return parsed.entries[0]


def _kind_of(head: bytes) -> str:
    """``atom`` or ``rss``, from the document's start: UTF-8 (declared or not), no DOCTYPE."""
    if head.startswith((b"\xef\xbb\xbf",)):
        head = head[3:]
    if head[:1] != b"<" and not head.lstrip()[:1] == b"<":
        raise Decline("not XML in UTF-8")
    declared = _DECLARED.match(head)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        raise Decline("an encoding other than UTF-8")
    if b"<!DOCTYPE" in head.upper() or b"\0" in head[:4]:
        raise Decline("a DOCTYPE")
    root = _ROOT.search(head)
    if root is None:
        raise Decline("no root element in the head")
    name = root.group(1)
    if name == b"feed":
        return "atom"
    if name == b"rss":
        return "rss"
    raise Decline("not RSS 2.0 or Atom 1.0")


class _Rejoined(io.RawIOBase):
    """The head already read, then the rest of the source: what lxml reads."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            chunk, self._head = self._head, b""
            return chunk
        return self._rest.read(size)


def _said(exc: etree.XMLSyntaxError) -> str:
    return str(exc.msg or exc).strip()


# -- one entry ------------------------------------------------------------------------------------
def _attributes(element: Any) -> set[str]:
    return set(element.keys())


def _only(element: Any, allowed: frozenset[str]) -> None:
    """Decline an element with an attribute outside ``allowed``."""
    for name in element.keys():  # noqa: SIM118 (iterating an element gives its children)
        if name not in allowed:
            raise _EntryDecline(f"the attribute {name}")


def _leaf_text(element: Any) -> str:
    """The text of an element that holds no element (a comment or processing instruction
    inside a text is declined: feedparser would join the pieces around it)."""
    if len(element):
        raise _EntryDecline("an element inside a text")
    return element.text or ""


def _repaired(text: str) -> str:
    """What feedparser makes of a text it keeps: stripped, UTF-8 read as Latin-1 decoded
    again, the Windows-1252 range mapped."""
    text = text.strip()
    if text.isascii():  # both repairs leave ASCII as it is
        return text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    return text.translate(_cp1252)


def _uri(text: str) -> str:
    """feedparser's ``resolve_uri`` without a base: extra slashes after ``scheme://`` dropped."""
    return _URI_FIXER.sub(r"\1\3", text) if ":///" in text else text


def _content_type(value: str | None, default: str) -> str:
    content_type = (value if value is not None else default).lower()
    return {"text": "text/plain", "plain": "text/plain", "html": "text/html"}.get(
        content_type, content_type
    )


def _text_element(element: Any, atom: bool) -> dict[str, str]:
    """A title as feedparser's ``title_detail``: its value and type."""
    if element.keys():
        _only(element, _TEXT_ATTRIBUTES)
    content_type = _content_type(element.get("type"), "text/plain")
    if content_type not in TEXT_TYPES or (not atom and element.get("type") is not None):
        raise _EntryDecline("a text that is not text or HTML")
    text = _leaf_text(element).strip()
    if not atom and content_type == "text/plain" and _looks_like_html(text):
        content_type = "text/html"
    return {"value": _repaired(text), "type": content_type}


def _once(entry: dict[str, Any], key: str, value: object) -> None:
    if key in entry:
        raise _EntryDecline(f"a second {key}")
    entry[key] = value


def _no_attributes(element: Any) -> None:
    if element.keys():
        _only(element, _LANG)


class _Entry(dict[str, Any]):
    """An entry's keys as feedparser's entry has them; a ``*_parsed`` date is worked out only
    when asked for (River's own reading of the date comes first)."""

    def get(self, key: str, default: Any = None) -> Any:
        value = super().get(key, default)
        return value.parsed() if isinstance(value, _LazyDate) else value


def _atom_entry(element: Any) -> dict[str, Any]:
    """The keys of feedparser's entry that :func:`~river_tui.sources.feed.entry_sighting` reads."""
    _no_attributes(element)
    entry = _Entry()
    authors: list[dict[str, str]] = []
    link: str | None = None
    id_link: str | None = None
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # a comment or a processing instruction between elements
        handler = _ATOM_CHILDREN.get(tag)
        if handler is None:
            _harmless(child)
            continue
        if tag == ATOM + "link":
            link = _atom_link(child, link)
        elif tag == ATOM + "id":
            _no_attributes(child)
            if id_link is not None:
                raise _EntryDecline("a second id")
            text = _leaf_text(child).strip()
            id_link = _repaired(_uri(text) if text else text)
        elif tag == ATOM + "author":
            authors.append(_atom_author(child))
        else:
            handler(entry, child)
    if link is None:
        link = id_link
    if link is not None:
        entry["link"] = link
    if authors:
        entry["authors"] = authors
    return entry


class _Unusual(Exception):
    """An entry :func:`_atom_row` leaves to the reading through feedparser's keys."""


_ROW_TEXT = frozenset({ATOM + "title", ATOM + "summary"})
_ROW_DATES = {ATOM + "published": 0, ATOM + "updated": 1}
_ROW_SKIPPED = frozenset({ATOM + "category"})
_LINK, _AUTHOR, _ID = ATOM + "link", ATOM + "author", ATOM + "id"


def _plain_name(author: Any) -> str:
    """The name of an author that is a name alone (``<author><name>N</name></author>``, no
    attribute, no other text): what :func:`_atom_author` reads of it; "" for any other
    author, which it reads."""
    if len(author) != 1 or author.keys():
        return ""
    part = author[0]
    if part.tag != _NAME or part.keys() or len(part):
        return ""
    text, tail = author.text, part.tail
    if (text and not text.isspace()) or (tail and not tail.isspace()):
        return ""
    return (part.text or "").strip()


def _atom_row(element: Any, feed_url: str, organization: str) -> PaperRow | None:
    """The row of an ordinary Atom entry, read straight from its elements: what
    :func:`_atom_entry`, :func:`~river_tui.sources.feed.entry_sighting` and
    :func:`~river_tui.domain.rows.paper_row` give, by the same rules, for an entry of an id,
    a title and a summary in plain ASCII text, links, authors, categories and dates written
    as :func:`~river_tui.sources.feed.parse_date` reads them (None: it has no web link).
    Anything else raises :class:`_Unusual` (before any note is made), and the entry is read
    the long way."""
    from river_tui.sources.feed import item_url, parse_date

    if element.keys():
        raise _Unusual
    texts: dict[str, str] = {}
    dates: list[str | None] = [None, None]
    names: list[str] = []
    link: str | None = None
    id_link: str | None = None
    try:
        for child in element:
            tag = child.tag
            if tag in _ROW_TEXT:
                if tag in texts or child.keys() or len(child):
                    raise _Unusual
                text = (child.text or "").strip()
                if not text.isascii():
                    raise _Unusual
                texts[tag] = text
            elif tag == _LINK:
                link = _atom_link(child, link)
            elif tag == _AUTHOR:
                names.append(_plain_name(child) or _atom_author(child)["name"])
            elif tag in _ROW_DATES:
                at = _ROW_DATES[tag]
                if dates[at] is not None or child.keys() or len(child):
                    raise _Unusual
                dates[at] = child.text or ""
            elif tag == _ID:
                if id_link is not None or child.keys() or len(child):
                    raise _Unusual
                text = (child.text or "").strip()
                id_link = _repaired(_uri(text) if text else text)
            elif tag in _ROW_SKIPPED:
                if len(child):
                    raise _Unusual
            else:
                raise _Unusual
    except _EntryDecline:
        raise _Unusual from None
    url = item_url({"link": link if link is not None else id_link}, feed_url)
    if url is None:
        return None
    published = None
    for written in dates:
        if written is not None:
            published = parse_date(_repaired(written))
            if published is None:  # feedparser's reading, and a note: the long way
                raise _Unusual
            break
    title = texts.get(ATOM + "title")
    paper = inert.web_item(
        url,
        title=title or url,
        abstract=texts.get(ATOM + "summary", ""),
        authors=names,
        published=published,
        organization=organization,
        feed=feed_url,
    )
    return paper_row(paper)


def _atom_link(child: Any, link: str | None) -> str | None:
    if len(child) or (child.text or "").strip():
        raise _EntryDecline("a link with content")
    _only(child, _LINK_ATTRIBUTES)
    href = child.get("href")
    if href is None:
        raise _EntryDecline("a link without href")
    rel = child.get("rel", "alternate").lower()
    default = "application/atom+xml" if rel == "self" else "text/html"
    if rel == "alternate" and _content_type(child.get("type"), default) in HTML_TYPES:
        return _uri(href)
    return link


def _atom_author(child: Any) -> dict[str, str]:
    _no_attributes(child)
    text = child.text
    if text and not text.isspace():
        raise _EntryDecline("an author's own text")
    name = None
    for part in child:
        tag, tail = part.tag, part.tail
        if tail and not tail.isspace():
            raise _EntryDecline("an author's text")
        if tag == _NAME:
            if name is not None:
                raise _EntryDecline("a second name")
            _no_attributes(part)
            name = _leaf_text(part).strip()  # feedparser keeps a name without its repairs
        elif tag in _PERSON:
            _no_attributes(part)
            _leaf_text(part)
        elif isinstance(tag, str):
            _harmless(part)
    if not name:
        raise _EntryDecline("an author without a name")
    return {"name": name}


def _atom_text(key: str) -> Callable[[dict[str, Any], Any], None]:
    def read(entry: dict[str, Any], child: Any) -> None:
        detail = _text_element(child, atom=True)
        _once(entry, f"{key}_detail", detail)
        entry[key] = detail["value"]

    return read


def _atom_content(entry: dict[str, Any], child: Any) -> None:
    if child.get("src") is not None:
        raise _EntryDecline("content elsewhere")
    detail = _text_element(child, atom=True)
    _once(entry, "content", [detail])


def _date(key: str) -> Callable[[dict[str, Any], Any], None]:
    def read(entry: dict[str, Any], child: Any) -> None:
        _no_attributes(child)
        value = _repaired(_leaf_text(child))
        _once(entry, key, value)
        entry[f"{key}_parsed"] = _LazyDate(value)

    return read


class _LazyDate:
    """feedparser's parsed date, worked out only when River's own reading finds none."""

    def __init__(self, value: str) -> None:
        self.value = value

    def parsed(self) -> Any:
        return _parse_date(self.value)


def _ignored(entry: dict[str, Any], child: Any) -> None:
    """An element feedparser keeps apart from what River reads (a category, rights)."""
    if len(child):
        raise _EntryDecline("an element inside")


def _contributor(entry: dict[str, Any], child: Any) -> None:
    for part in child:
        if isinstance(part.tag, str) and (part.tag not in _PERSON or len(part)):
            raise _EntryDecline("a contributor's element")


_KNOWN_NAMESPACES = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
_READ_KEYS = frozenset(
    {"title", "link", "summary", "content", "authors", "author", "published", "updated"}
    | {"created", "id", "source", "links", "tags"}
)
_harmless_keys: dict[tuple[str, str | None], bool] = {}


def _harmless(child: Any) -> None:
    """Decline an element unless feedparser keeps it apart from everything River reads: an
    element with no element inside, for which feedparser has no handler, whose key in
    feedparser's entry is none River reads (``arxiv:comment``, ``wfw:commentRss``)."""
    found = _harmless_keys.get((child.tag, child.prefix))
    if found is None:
        qname = etree.QName(child)
        namespace, local = qname.namespace, qname.localname.lower()
        if namespace is None:
            prefix: str | None = ""
        else:
            prefix = _KNOWN_NAMESPACES.get(namespace.lower(), (child.prefix or "").lower() or None)
        key = (f"{prefix}_{local}" if prefix else local) if prefix is not None else ""
        found = bool(key) and key not in _READ_KEYS
        found = found and not any(
            hasattr(_FeedParserMixin, f"_{side}_{key}") for side in ("start", "end")
        )
        _harmless_keys[(child.tag, child.prefix)] = found
    if not found or len(child):
        raise _EntryDecline(f"the element {child.tag}")


_ATOM_CHILDREN: dict[str, Callable[[dict[str, Any], Any], None]] = {
    ATOM + "title": _atom_text("title"),
    ATOM + "summary": _atom_text("summary"),
    ATOM + "content": _atom_content,
    ATOM + "published": _date("published"),
    ATOM + "updated": _date("updated"),
    ATOM + "category": _ignored,
    ATOM + "rights": _ignored,
    ATOM + "contributor": _contributor,
    ATOM + "link": _ignored,  # read in _atom_entry
    ATOM + "id": _ignored,
    ATOM + "author": _ignored,
}


def _rss_entry(element: Any) -> dict[str, Any]:
    """As :func:`_atom_entry`, for an RSS 2.0 item."""
    _no_attributes(element)
    entry = _Entry()
    authors: list[dict[str, str]] = []
    link: str | None = None
    guid_link: str | None = None
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == "link":
            _no_attributes(child)
            if link is not None:
                raise _EntryDecline("a second link")
            link = _rss_link(_leaf_text(child))
        elif tag == "guid":
            _only(child, _GUID_ATTRIBUTES)
            if guid_link is not None:
                raise _EntryDecline("a second guid")
            text = _leaf_text(child).strip()
            permalink = child.get("isPermaLink", "true") == "true"
            guid_link = _repaired(_uri(text) if text and permalink else text) if permalink else ""
            if text:  # feedparser's id: an item with no link is named by it, if a web link
                entry["id"] = _repaired(text)
        elif tag == "title":
            detail = _text_element(child, atom=False)
            _once(entry, "title_detail", detail)
            entry["title"] = detail["value"]
        elif tag == "description":
            _no_attributes(child)
            value = _repaired(_leaf_text(child))
            _once(entry, "summary_detail", {"value": value, "type": "text/html"})
            entry["summary"] = value
        elif tag == CONTENT + "encoded":
            _no_attributes(child)
            value = _repaired(_leaf_text(child))
            _once(entry, "content", [{"value": value, "type": "text/html"}])
        elif tag in ("author", DC + "creator"):
            _no_attributes(child)
            authors.append(_rss_author(entry, _leaf_text(child)))
        elif tag in _RSS_DATES:
            _date(_RSS_DATES[tag])(entry, child)
        elif tag in _RSS_IGNORED:
            _ignored(entry, child)
        else:
            _harmless(child)
    if link is None and guid_link:
        link = guid_link
    if link is not None:
        entry["link"] = link
    if authors:
        entry["authors"] = authors
    return entry


_RSS_DATES = {"pubDate": "published", DC + "date": "updated"}
_RSS_IGNORED = frozenset({"category", "comments", "enclosure", DC + "rights"})
_EMAIL = re.compile(
    r"(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"
    r"([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"
)


def _rss_link(text: str) -> str:
    output = text.strip()
    if output:
        output = _uri(output)
    output = _repaired(output).replace("&amp;", "&")
    return _LINK_REFERENCE.sub(r"&\g<1>", output)


def _rss_author(entry: dict[str, Any], text: str) -> dict[str, str]:
    """An RSS author or ``dc:creator`` (``mail@example.org (Name)``) as feedparser splits it;
    ``entry["author"]`` keeps the last one's text, as feedparser's does."""
    if len(text) > AUTHOR_TEXT:
        raise _EntryDecline("a long author field")
    author = _repaired(text)
    entry["author"] = author
    detail: dict[str, str] = {}
    email = None
    match = _EMAIL.search(author)
    if match:
        email = match.group(0)
        author = author.replace(email, "").replace("()", "").replace("<>", "")
        author = author.replace("&lt;&gt;", "").strip()
        if author and author[0] == "(":
            author = author[1:]
        if author and author[-1] == ")":
            author = author[:-1]
        author = author.strip()
    if author:
        detail["name"] = author
    if email:
        detail["email"] = email
    return detail


def parse_error_of(exc: Decline, what: str) -> ParseError:
    """The line a document the fast reader declined says when feedparser cannot read it either."""
    return ParseError(f"{what}: {exc}")
