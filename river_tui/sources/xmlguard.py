"""Refuse XML documents that declare entities, before any XML parser sees them.

A DOCTYPE with ``<!ENTITY`` declarations is how "billion laughs" (exponential entity expansion)
and external-entity (XXE: ``<!ENTITY x SYSTEM "file:///etc/passwd">``) attacks are delivered.
No feed River reads needs entity declarations, so River refuses such documents outright rather
than trusting the parser's own limits.

The check looks at the prolog (everything before the root element, however long) and at the
first 64 KiB, case-insensitively and across line breaks, in every reading a parser may make of
the bytes (:func:`_readings`):

* byte for byte (Latin-1): every ASCII-compatible encoding (UTF-8, ISO 8859, windows-125x,
  Shift-JIS, EUC, and feedparser's fallbacks) puts markup where these bytes are;
* the encoding family the first bytes show, as XML 1.0 Appendix F detects it: UTF-32 in its four
  byte orders and UTF-16 in its two, with or without a byte-order mark, UTF-8 with one, EBCDIC
  (``4C 6F A7 94``, ``<?xm``);
* the encoding the document declares, read in that family and byte for byte: the XML
  declaration's (what expat uses) and the last one on the first line (what feedparser uses),
  whatever codec it names (``cp500``, ``utf-7``, ``unicode_escape``). A document that declares
  ``punycode``, which no document is written in and whose decoding takes quadratic time, is
  refused.

defusedxml was considered: it hooks expat's entity handlers while a parse runs, so it guards
the stdlib parsers only, and only as they decode. River's feeds are read by feedparser, which
decodes the bytes itself, builds its own SAX parser and falls back to a loose parser that is not
expat; and defusedxml's last release is 0.7.1 (March 2021). So River keeps this check, which
needs no parser and refuses before one runs.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections import deque
from collections.abc import Iterator

from river_tui.sources import ParseError

HEAD_BYTES = 64 * 1024
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
# An encoding name (XML's EncName) after ``encoding=`` and a quote: any quote, since EBCDIC
# code pages put '"' at different bytes (cp1026's reads as 'Ü' in cp037, the family's codec).
_ENCODING = re.compile(r"encoding\s*=\s*[^A-Za-z0-9\s]([A-Za-z][A-Za-z0-9._-]*)")

# XML 1.0 Appendix F: the first bytes, the family's codec, and the length of a byte-order mark.
# "utf-32-2143" and "utf-32-3412" are the unusual UCS-4 orders (no Python codec: see _decode).
# A wide start is taken for "<" followed by anything (a root element without a declaration
# too), not only for "<?".
_FAMILIES = (
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\x00\x00\xff\xfe", "utf-32-2143", 4),
    (b"\xfe\xff\x00\x00", "utf-32-3412", 4),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
    (codecs.BOM_UTF8, "utf-8", 3),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00\x00<\x00", "utf-32-2143", 0),
    (b"\x00<\x00\x00", "utf-32-3412", 0),
    (b"\x00<", "utf-16-be", 0),
    (b"<\x00", "utf-16-le", 0),
    (b"\x4c\x6f\xa7\x94", "cp037", 0),
)
# Decoding takes time growing with the square of the length (400 KB: 6 s), in feedparser too;
# no document is written in it (it is for domain names).
_QUADRATIC = frozenset({"punycode"})
# Byte positions that turn each unusual UCS-4 order into big-endian.
_UCS4_ORDERS = {"utf-32-2143": (1, 0, 3, 2), "utf-32-3412": (2, 3, 0, 1)}


def check_xml(data: bytes, what: str) -> None:
    """Raise :class:`ParseError` when ``data`` declares XML entities (a DOCTYPE with ``<!ENTITY``)
    in any reading of :func:`_readings`.

    ``what`` names the source in the message (``"arXiv"``, ``"feed https://..."``).
    """
    try:
        for text in _readings(data):
            if _declares_entities(text):
                raise _Refused(
                    "the document declares XML entities (<!DOCTYPE ... <!ENTITY>), "
                    "which River never accepts"
                )
    except _Refused as refused:
        raise ParseError(f"{what}: refused: {refused}") from None


class _Refused(Exception):
    """Why a document is refused (:func:`check_xml` names the source)."""


def as_ascii_compatible(data: bytes) -> bytes:
    """``data`` with its markup and its ASCII text in the bytes they look like.

    A document whose family (UTF-16, UTF-32, EBCDIC) or declared encoding (``utf-7``) puts them
    elsewhere is decoded as an XML parser reads it (its family, then the encoding its XML
    declaration names) and written as UTF-8, its declaration saying so; any other document is
    returned as it is. Byte-level checks that come after (:mod:`river_tui.sources.xmlcaps`) then
    see what the parser will see."""
    family, bom = _family(data)
    body = data[bom:]
    declared = _declared(_decode(body[:4096], family))
    encoding = declared[0] if declared else family
    if family.startswith(("utf-16", "utf-32")) or _codec_name(encoding) in (None, *_QUADRATIC):
        # A wide family's byte order is in its first bytes, whatever the declaration says
        # ("UTF-16"); a codec no parser has, or the quadratic one the guard refuses, is not read.
        encoding = family
    if family in ("latin-1", "utf-8") and _ascii_compatible(encoding):
        return data
    try:
        text = _decode(body, encoding)
    except (LookupError, ValueError, TypeError):
        text = _decode(body, family)
    if text.startswith("<?"):
        end = _after(text, "?>", 2)
        text = _DECLARED_AS.sub(r'\1"utf-8"', text[:end], count=1) + text[end:]
    return text.encode("utf-8", errors="replace")


def xml_encoding(data: bytes) -> str:
    """The encoding an XML parser reads ``data`` in: the one its byte-order mark or its first
    bytes show for UTF-16, UTF-32 and UTF-8 with a mark, else the one its XML declaration
    names, else UTF-8 (EBCDIC's family without a declaration). A codec name (``"utf-16-le"``,
    ``"iso8859-1"``, ``"utf-8"``), or the declared name when Python has no codec of that name."""
    family, bom = _family(data)
    if family.startswith(("utf-16", "utf-32")) or bom:
        return family
    declared = _declared(_decode(data[:4096], family))
    if not declared:
        return "utf-8" if family == "latin-1" else family
    return _codec_name(declared[0]) or declared[0]


_DECLARED_AS = re.compile(r"""(encoding\s*=\s*)(["'])[^"']*\2""")
_ASCII_MARKUP = '<?xml version="1.0" encoding="x"?><a:b c=\'d\'>&#1; @.+-_~</a:b>\n'


@functools.cache
def _ascii_compatible(encoding: str) -> bool:
    """Markup and ASCII text are the same bytes in ``encoding`` as in ASCII."""
    try:
        return _ASCII_MARKUP.encode(encoding) == _ASCII_MARKUP.encode("ascii")
    except (LookupError, ValueError, TypeError):
        return False


def _readings(data: bytes) -> Iterator[str]:
    """The document decoded every way an XML parser might read it (see the module docstring),
    one at a time: each codec once, and none that does not exist."""
    family, bom = _family(data)
    body = data[bom:]
    seen: set[str] = set()
    declared: list[str] = []
    for encoding, source in (("latin-1", data), (family, body)):
        text = _read(encoding, source, seen)
        if text is not None:
            declared += _declared(text)
            yield text
    for encoding in dict.fromkeys(declared):
        if _codec_name(encoding) in _QUADRATIC:
            raise _Refused(
                f"the document declares the encoding {encoding!r}, which River never reads"
            )
        text = _read(encoding, body, seen)
        if text is not None:
            yield text


def _read(encoding: str, body: bytes, seen: set[str]) -> str | None:
    """``body`` decoded with ``encoding``, unless a codec of that name was read already (added
    to ``seen``) or there is none: then no parser reads the document that way either."""
    key = encoding if encoding in _UCS4_ORDERS else _codec_name(encoding)
    if key is None or key in seen:
        return None
    seen.add(key)
    try:
        return _decode(body, encoding)
    except (LookupError, ValueError, TypeError):
        return None  # not a text codec ("base64"), or one that cannot decode these bytes


def _codec_name(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _family(data: bytes) -> tuple[str, int]:
    """The family's codec and the length of the byte-order mark (Appendix F)."""
    for start, encoding, bom in _FAMILIES:
        if data.startswith(start):
            return encoding, bom
    return "latin-1", 0  # ASCII-compatible, or no XML declaration: UTF-8 or 8-bit


def _decode(body: bytes, encoding: str) -> str:
    order = _UCS4_ORDERS.get(encoding)
    if order is None:
        return body.decode(encoding, errors="replace")
    usable = len(body) - len(body) % 4
    big_endian = bytearray(usable)
    for position, source in enumerate(order):
        big_endian[position::4] = body[source:usable:4]
    return big_endian.decode("utf-32-be", errors="replace")


def _declared(text: str) -> list[str]:
    """The encodings ``text`` declares: in its XML declaration (the first ``encoding=`` before
    ``?>``, as expat reads it) and the last on its first line (as feedparser reads it)."""
    names = []
    if text.startswith("<?") and (match := _ENCODING.search(text, 0, _after(text, "?>", 2))):
        names.append(match.group(1))
    line_end = text.find("\n")
    end = len(text) if line_end < 0 else line_end
    names += [match.group(1) for match in deque(_ENCODING.finditer(text, 0, end), maxlen=1)]
    return names


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
