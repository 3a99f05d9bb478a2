"""The feeds as an OPML 2.0 document, as feed readers exchange them (``river feeds export``).

Each feed is one ``<outline type="rss">`` with its name as ``text`` and ``title``, its URL as
``xmlUrl`` and its site as ``htmlUrl`` when known. The document carries no date: the same
feeds always give the same bytes, so an export, an import and another export agree. Written
by the standard library's ElementTree, which escapes every attribute."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from river_tui.settings.model import FeedConfig

TITLE = "River feeds"


def render_opml(feeds: Sequence[FeedConfig], title: str = TITLE) -> str:
    """``feeds`` as an OPML 2.0 document (UTF-8 text, ending with a newline)."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    body = SubElement(root, "body")
    for feed in feeds:
        outline = SubElement(
            body, "outline", type="rss", text=feed.name, title=feed.name, xmlUrl=feed.url
        )
        if feed.site:
            outline.set("htmlUrl", feed.site)
    if not feeds:
        body.text = ""  # <body></body>, not <body />: some readers want the pair
    indent(root, space="  ")
    xml = tostring(root, encoding="unicode", xml_declaration=False)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n'
