"""The entity guard in every encoding an XML document can be written in: a document that
declares entities is refused before any parser sees it, whatever its encoding; the same
document without them imports as before."""

from __future__ import annotations

import codecs
import encodings
import pkgutil

import pytest

from river_tui.sources import ParseError
from river_tui.sources.feed import parse_feed

FEED_URL = "https://lab.example/feed"
DECLARATION = '<?xml version="1.0" encoding="{name}"?>\n'
ENTITIES = '<!DOCTYPE rss [<!ENTITY host SYSTEM "file:///etc/hostname">]>\n'
BODY = (
    '<rss version="2.0"><channel><title>Lab</title><link>https://lab.example/</link>\n'
    "<item><title>Post {title}</title><link>https://lab.example/p</link></item></channel></rss>\n"
)


def document(name: str | None, hostile: bool) -> str:
    """The feed, declaring ``name`` (None: no XML declaration), with or without entities."""
    head = "" if name is None else DECLARATION.format(name=name)
    return head + (ENTITIES if hostile else "") + BODY.format(title="&host;" if hostile else "one")


def _encodes(name: str) -> bool:
    """Whether the codec ``name`` writes both documents so that they read back the same, and
    its ``<?xm`` starts as XML 1.0 Appendix F knows a document can (so a parser can find the
    declaration)."""
    try:
        texts = [document(name, hostile) for hostile in (True, False)]
        written = [t.encode(name) for t in texts]  # base64, rot13, ...: LookupError
        if any(w.decode(name) != t for w, t in zip(written, texts, strict=True)):
            return False
    except (LookupError, UnicodeError, TypeError, ValueError):
        return False
    for bom in BOMS:
        written[0] = written[0].removeprefix(bom)
    return written[0][:4] in STARTS


# "<?xm" in each family of Appendix F.
STARTS = {
    "<?xm".encode(c)[:4] for c in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
}
STARTS |= {b"\x4c\x6f\xa7\x94"}  # EBCDIC
BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)

PYTHON_CODECS = sorted(m.name for m in pkgutil.iter_modules(encodings.__path__))
CODECS = [name for name in PYTHON_CODECS if _encodes(name) and name != "punycode"]
# Mac Arabic and Mac Farsi write '<' as 0xBC (their right-to-left copy of it): no parser can
# find their markup (see test_what_no_parser_can_read_is_not_a_feed).
UNREADABLE = ["mac_arabic", "mac_farsi"]


def ucs4(text: str, order: tuple[int, int, int, int]) -> bytes:
    """``text`` in UCS-4 with its bytes in an unusual order (2143 or 3412), no codec having it."""
    big = text.encode("utf-32-be")
    return bytes(big[i + k] for i in range(0, len(big), 4) for k in order)


def wide_variants(hostile: bool) -> dict[str, bytes]:
    """UTF-16 and UTF-32 with and without a byte-order mark, declared or not."""
    declared = document("UTF-16", hostile)
    declared32 = document("ISO-10646-UCS-4", hostile)
    bare = document(None, hostile)
    variants = {
        "utf-16 bom, declared": declared.encode("utf-16"),
        "utf-16-le bom": codecs.BOM_UTF16_LE + declared.encode("utf-16-le"),
        "utf-16-be bom": codecs.BOM_UTF16_BE + declared.encode("utf-16-be"),
        "utf-16-le, no bom": declared.encode("utf-16-le"),
        "utf-16-be, no bom": declared.encode("utf-16-be"),
        "utf-32-le bom": codecs.BOM_UTF32_LE + declared32.encode("utf-32-le"),
        "utf-32-be bom": codecs.BOM_UTF32_BE + declared32.encode("utf-32-be"),
        "utf-32-le, no bom": declared32.encode("utf-32-le"),
        "utf-32-be, no bom": declared32.encode("utf-32-be"),
        "utf-8 bom": document("UTF-8", hostile).encode("utf-8-sig"),
        # The declaration in ASCII, the rest in the EBCDIC it names.
        "ascii declaration, cp500 body": DECLARATION.format(name="cp500").encode()
        + document(None, hostile).encode("cp500"),
    }
    if hostile:  # feedparser reads none of these (not even without entities); the guard does
        variants["utf-16-le, no declaration"] = bare.encode("utf-16-le")
        variants["utf-16-be bom, no declaration"] = codecs.BOM_UTF16_BE + bare.encode("utf-16-be")
        variants["utf-32-be, no declaration"] = bare.encode("utf-32-be")
        variants["ucs-4 2143"] = ucs4(declared32, (1, 0, 3, 2))
        variants["ucs-4 3412"] = ucs4(declared32, (2, 3, 0, 1))
        variants["ucs-4 2143 bom"] = ucs4("\ufeff" + declared32, (1, 0, 3, 2))
    return variants


def test_the_codecs_tried_are_many() -> None:
    assert len(CODECS) >= 100
    families = {"cp037", "cp500", "cp1140", "cp273", "cp1026", "utf_7", "utf_16", "utf_32"}
    assert families <= set(CODECS)


@pytest.mark.parametrize("name", CODECS)
def test_entities_are_refused_in_every_encoding(name: str) -> None:
    with pytest.raises(ParseError, match="refused: the document declares XML entities"):
        parse_feed(document(name, True).encode(name), FEED_URL)


@pytest.mark.parametrize("variant", list(wide_variants(True)))
def test_entities_are_refused_with_or_without_a_byte_order_mark(variant: str) -> None:
    with pytest.raises(ParseError, match="refused: the document declares XML entities"):
        parse_feed(wide_variants(True)[variant], FEED_URL)


@pytest.mark.parametrize("name", CODECS)
def test_the_same_documents_without_entities_still_import(name: str) -> None:
    feed = parse_feed(document(name, False).encode(name), FEED_URL)
    assert [item.paper.title for item in feed.items] == ["Post one"]


@pytest.mark.parametrize("variant", list(wide_variants(False)))
def test_wide_documents_without_entities_still_import(variant: str) -> None:
    feed = parse_feed(wide_variants(False)[variant], FEED_URL)
    assert [item.paper.title for item in feed.items] == ["Post one"]


@pytest.mark.parametrize("name", UNREADABLE)
def test_what_no_parser_can_read_is_not_a_feed(name: str) -> None:
    """No parser finds markup in these codecs' bytes, entities or not: nothing of them lands."""
    assert name in PYTHON_CODECS and not _encodes(name)
    for hostile in (True, False):
        with pytest.raises(ParseError, match="not an RSS or Atom feed"):
            parse_feed(document(name, hostile).encode(name), FEED_URL)


def test_a_document_in_punycode_is_refused() -> None:
    """Decoding punycode takes time growing with the square of the length (400 KB: 6 s, in
    feedparser too); no document is written in it."""
    data = DECLARATION.format(name="punycode").encode() + b"-" + b"ba" * 200_000
    with pytest.raises(ParseError, match="declares the encoding 'punycode', which River never"):
        parse_feed(data, FEED_URL)
