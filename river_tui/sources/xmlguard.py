"""Refuse XML documents that declare entities, before any XML parser sees them.

A DOCTYPE with ``<!ENTITY`` declarations is how "billion laughs" (exponential entity expansion)
and external-entity (XXE: ``<!ENTITY x SYSTEM "file:///etc/passwd">``) attacks are delivered.
No feed River reads needs entity declarations, so River refuses such documents outright rather
than trusting the parser's own limits.

The check looks at the prolog (everything before the root element, however long) and at the
first 64 KiB, case-insensitively and across line breaks. The document is scanned both as an
ASCII-compatible text and, when it names one, in its declared or byte-order-marked encoding, so
UTF-16 or UTF-7 cannot disguise the markup.
"""

from __future__ import annotations

import codecs
import contextlib
import re

from river_tui.sources import ParseError

HEAD_BYTES = 64 * 1024
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENCODING_DECL = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# The first four bytes of ``<?xm`` or ``<roo`` in the wide encodings, without a BOM.
_WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)


def check_xml(data: bytes, what: str) -> None:
    """Raise :class:`ParseError` when ``data`` declares XML entities (a DOCTYPE with ``<!ENTITY``).

    ``what`` names the source in the message (``"arXiv"``, ``"feed https://..."``).
    """
    for text in _views(data):
        if _declares_entities(text):
            raise ParseError(
                f"{what}: refused: the document declares XML entities (<!DOCTYPE ... <!ENTITY>), "
                "which River never accepts"
            )


def _views(data: bytes) -> list[str]:
    """The document decoded every way an XML parser might read it."""
    views = [data.decode("latin-1")]  # ASCII-compatible: markup bytes are where they are
    encoding = _sniff(data)
    if encoding is None:
        match = _ENCODING_DECL.match(views[0][:1024])
        encoding = match.group(1) if match else None
    if encoding:
        # An unknown codec: no parser will read the document that way either.
        with contextlib.suppress(LookupError, ValueError):
            views.append(data.decode(encoding, errors="replace"))
    return views


def _sniff(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    for start, encoding in _WIDE_STARTS:
        if data.startswith(start):
            return encoding
    return None


def _declares_entities(text: str) -> bool:
    if _ENTITY.search(text, 0, _prolog_end(text)):
        return True
    head = text[:HEAD_BYTES]
    return bool(_DOCTYPE.search(head) and _ENTITY.search(head))


def _prolog_end(text: str) -> int:
    """Where the root element starts (or the end of the text): comments, processing
    instructions and the DOCTYPE (quoted literals and internal subset included) are skipped."""
    end = len(text)
    i = 0
    while True:
        i = text.find("<", i)
        if i < 0:
            return end
        if text.startswith("<?", i):
            i = _after(text, "?>", i + 2)
        elif text.startswith("<!--", i):
            i = _after(text, "-->", i + 4)
        elif text[i : i + 9].upper() == "<!DOCTYPE":
            i = _skip_doctype(text, i + 9)
        elif text.startswith("<!", i):
            i += 2
        else:
            return i


def _after(text: str, marker: str, start: int) -> int:
    found = text.find(marker, start)
    return len(text) if found < 0 else found + len(marker)


def _skip_doctype(text: str, i: int) -> int:
    """The index after the DOCTYPE declaration that starts before ``i``."""
    end = len(text)
    depth = 0  # inside the internal subset ``[...]``
    while i < end:
        ch = text[i]
        if ch in "\"'":
            i = _after(text, ch, i + 1)
            continue
        if depth and text.startswith("<!--", i):
            i = _after(text, "-->", i + 4)
            continue
        if depth and text.startswith("<?", i):
            i = _after(text, "?>", i + 2)
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(depth - 1, 0)
        elif ch == ">" and not depth:
            return i + 1
        i += 1
    return end
