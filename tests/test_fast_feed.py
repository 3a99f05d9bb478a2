"""The fast feed reader gives the records feedparser gives, or hands the document back.

``parse_feed_fast`` (lxml, streamed) and ``parse_feed_slow`` (feedparser) must agree on every
feed fixture, on the benchmark's synthetic feed, on variants made to hit each of the fast
reader's rules, and on generated titles and summaries; where the fast reader declines, the
caller's ``parse_feed`` still gives feedparser's records. Entries the fast reader leaves to
feedparser are counted and kept few.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from river_tui.domain.rows import paper_row
from river_tui.sources import ParseError
from river_tui.sources.fast_feed import Decline, FeedReader, parse_feed_fast
from river_tui.sources.feed import parse_feed, parse_feed_slow
from river_tui.sources.notes import collect

from conftest import FIXTURES

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from make_feed import HEAD, entry
from make_library import generate

URL = "https://lab.example.org/feed.xml"
SUITE = FIXTURES.parent / "feedparser"
"""feedparser's own test documents (test_conformance.py): read here in one test."""
FEED_FIXTURES = sorted(p for p in FIXTURES.parent.rglob("*.xml") if SUITE not in p.parents)


def both(data: bytes, url: str = URL) -> tuple[object, object]:
    """(fast, slow): each reader's records and notes; ``fast`` is "declined" when it declines."""
    with collect() as slow_notes:
        slow = parse_feed_slow(data, url)
    with collect() as fast_notes:
        try:
            fast = parse_feed_fast(data, url)
        except Decline:
            return "declined", (slow, dict(slow_notes))
    return (fast, dict(fast_notes)), (slow, dict(slow_notes))


def by_feedparser(data: bytes) -> int:
    reader = FeedReader(io.BytesIO(data), URL, len(data))
    for _ in reader.entries():
        pass
    return reader.by_feedparser


def agree(data: bytes) -> bool:
    """The fast reader gives feedparser's records and notes for ``data``, or declines, or
    both refuse it (a document that is no feed: an OAI-PMH page); False: it read it
    otherwise. Either way ``parse_feed`` gives feedparser's records."""
    try:
        fast, slow = both(data)
    except ParseError:
        with pytest.raises((ParseError, Decline)):
            parse_feed_fast(data, URL)
        return True
    assert parse_feed(data, URL) == slow[0]
    if fast == slow:  # and its rows, as an import stores them, are those of feedparser's
        assert rows_of(data) == [paper_row(s.paper) for s in slow[0].items]
    return fast in ("declined", slow)


@pytest.mark.parametrize("path", FEED_FIXTURES, ids=lambda p: p.name)
def test_every_feed_fixture_gives_feedparsers_records(path: Path) -> None:
    assert agree(path.read_bytes())


def read_fast(data: bytes) -> bool:
    """The fast reader reads ``data`` (it neither declines nor refuses it)."""
    try:
        parse_feed_fast(data, URL)
    except (Decline, ParseError):
        return False
    return True


def test_feedparsers_own_suite_is_read_as_feedparser_reads_it_or_handed_back() -> None:
    """Each of feedparser's 2,106 test documents: the fast reader gives feedparser's records,
    or hands it back (it reads only well-formed RSS 2.0 and Atom 1.0 in UTF-8: 33 of them);
    what it hands back, ``parse_feed`` reads with feedparser alone."""
    read = [data for p in sorted(SUITE.rglob("*.xml")) if read_fast(data := p.read_bytes())]
    assert len(read) >= 30
    assert all(agree(data) for data in read)


def test_few_fixture_entries_are_left_to_feedparser() -> None:
    entries = declined = 0
    for path in FEED_FIXTURES:
        data = path.read_bytes()
        try:
            entries += len(parse_feed_slow(data, URL).items)
        except ParseError:  # not a feed (an OAI-PMH page)
            continue
        declined += by_feedparser(data)
    assert entries >= 40
    assert declined <= entries // 10, f"{declined} of {entries} entries read by feedparser"


def synthetic(n: int) -> bytes:
    return (HEAD + "".join(entry(item) for item in generate(n)) + "</feed>\n").encode()


def test_the_benchmark_feed_gives_feedparsers_records_entry_for_entry() -> None:
    data = synthetic(150)
    fast, slow = both(data)
    assert fast == slow
    assert len(fast[0].items) == 150
    assert by_feedparser(data) == 0
    assert rows_of(data) == [paper_row(s.paper) for s in slow[0].items]


RSS_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:media="http://search.yahoo.com/mrss/" xmlns:x="urn:example:x">'
    "<channel><title>{title}</title><link>https://lab.example.org/</link>"
)
ATOM_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
    'xmlns:x="urn:example:x" xmlns:media="http://search.yahoo.com/mrss/">'
    "<title{kind}>{title}</title><id>urn:x</id>"
)


def rss(items: str, title: str = "Lab &amp; Co") -> bytes:
    return (RSS_HEAD.format(title=title) + items + "</channel></rss>").encode()


def atom(entries: str, title: str = "Lab", kind: str = "") -> bytes:
    return (ATOM_HEAD.format(title=title, kind=kind) + entries + "</feed>").encode()


VARIANTS = {
    "rss plain": rss(
        "<item><title>A title</title><link>https://x.org/a?b=1&amp;c=2</link>"
        "<description>&lt;p&gt;Some &lt;b&gt;HTML&lt;/b&gt;&lt;/p&gt;</description>"
        "<pubDate>Sat, 13 Jun 2026 10:00:00 GMT</pubDate><guid>https://x.org/a</guid>"
        "<category>ml</category><comments>https://x.org/a#c</comments></item>"
    ),
    "rss html title and entities": rss(
        "<item><title>Fast &lt;i&gt;and&lt;/i&gt; loose &amp;amp; more</title>"
        "<link>https://x.org/b</link></item>"
        "<item><title>A &amp;lt; B</title><link>https://x.org/c</link></item>"
    ),
    "rss cdata and content": rss(
        "<item><title><![CDATA[Cdata <b>title</b>]]></title><link>https://x.org/d</link>"
        "<content:encoded><![CDATA[<p>Full <em>text</em></p>]]></content:encoded></item>"
        "<item><title>Both</title><link>https://x.org/e</link>"
        "<content:encoded>&lt;p&gt;content&lt;/p&gt;</content:encoded>"
        "<description>the description</description></item>"
    ),
    "rss guid as link": rss(
        "<item><title>Permalink</title><guid>https://x.org/f</guid></item>"
        '<item><title>Not one</title><guid isPermaLink="false">https://x.org/g</guid></item>'
        "<item><title>Empty link</title><link></link><guid>https://x.org/h</guid></item>"
        "<item><title>Relative</title><link>/posts/i</link></item>"
        "<item><title>Slashes</title><link>https:///x.org/j</link></item>"
    ),
    "rss authors": rss(
        "<item><title>Mail</title><link>https://x.org/k</link>"
        "<author>ada@example.org (Ada Lovelace)</author><dc:creator>Charles</dc:creator>"
        "<dc:creator>only@example.org</dc:creator></item>"
        "<item><title>Mail only</title><link>https://x.org/l</link>"
        "<author>only@example.org</author></item>"
    ),
    "rss dates": rss(
        "<item><title>D1</title><link>https://x.org/m</link><dc:date>2026-02-30</dc:date></item>"
        "<item><title>D2</title><link>https://x.org/n</link><pubDate>June 3rd</pubDate></item>"
        "<item><title>D3</title><link>https://x.org/o</link>"
        "<pubDate>2026-06-11T10:00:00+09:00</pubDate></item>"
        "<item><title>D4</title><link>https://x.org/p</link><pubDate>20260611</pubDate></item>"
    ),
    "rss repairs": rss(
        "<item><title>Caf\u00c3\u00a9 \u0093quoted\u0094</title><link>https://x.org/q</link>"
        "<description>na\u00c3\u00afve \u0085 text</description></item>"
    ),
    "rss unknown elements": rss(
        "<item><title>Extra</title><link>https://x.org/r</link><x:score>3</x:score>"
        '<x:meta a="1"/><media:title>Other title</media:title></item>'
        '<item><title>Source</title><link>https://x.org/s</link><source url="https://y">Y'
        "</source></item><item><title>No link</title></item>"
    ),
    "atom html and links": atom(
        '<entry><title type="html">A &lt;b&gt;bold&lt;/b&gt; title</title>'
        '<link rel="alternate" type="text/html" href="https://x.org/1"/>'
        '<link rel="alternate" href="https://x.org/2"/>'
        '<link rel="related" href="https://x.org/3"/>'
        '<link rel="alternate" type="application/pdf" href="https://x.org/4.pdf"/>'
        "<id>urn:one</id><author><name> Ada </name><email>a@x.org</email></author>"
        '<summary type="html">&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;</summary></entry>',
        title="Lab &lt;b&gt;HTML&lt;/b&gt;",
        kind=' type="html"',
    ),
    "atom id as link and content": atom(
        "<entry><title>Id link</title><id>https://x.org/5</id>"
        '<content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry>'
        "<entry><title>Content text</title><id>https://x.org/6</id>"
        '<content type="text">Plain body</content><summary>Short</summary></entry>'
        "<entry><title>Nothing</title><id>urn:seven</id></entry>"
    ),
    "atom xhtml and others": atom(
        '<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X</div></title>'
        '<link href="https://x.org/8"/></entry>'
        '<entry><title>Email author</title><link href="https://x.org/9"/>'
        "<author><email>e@x.org</email></author><x:note>n</x:note></entry>"
        '<entry><title>Src</title><link href="https://x.org/10"/>'
        '<content src="https://x.org/10.txt"/></entry>'
        '<entry xml:base="https://base.example/"><title>Base</title><link href="rel"/></entry>'
    ),
    "atom contributor and rights": atom(
        '<entry><title>Rights</title><link href="https://x.org/11"/><rights>CC</rights>'
        "<contributor><name>Helper</name></contributor><category term='ml'/>"
        "<published>2026-05-01T09:30:00+02:00</published>"
        "<updated>2026-05-02T12:00:00Z</updated></entry>"
    ),
    "no declaration": rss("<item><title>T</title><link>https://x.org/12</link></item>")[39:],
    "declared latin-1": rss(
        "<item><title>T\u00e9</title><link>https://x.org/13</link></item>"
    ).replace(b"utf-8", b"iso-8859-1"),
    "doctype": rss("<item><title>T</title><link>https://x.org/14</link></item>").replace(
        b"<rss", b'<!DOCTYPE rss SYSTEM "http://x/rss.dtd">\n<rss', 1
    ),
    "title after entries": atom("<entry><title>T</title><link href='https://x.org/15'/></entry>")
    .replace(b"<title>Lab</title>", b"")
    .replace(b"</feed>", b"<title>Late</title></feed>"),
    "empty feed title": rss("<item><title>T</title><link>https://x.org/16</link></item>", ""),
    "not well-formed": rss("<item><title>T</title><link>https://x.org/17</link></item>")[:-20],
    "undefined entity": rss("<item><title>T&nbsp;</title><link>https://x.org/18</link></item>"),
    "rss 1.0": (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns="http://purl.org/rss/1.0/"><channel><title>R</title></channel>'
        b"<item><title>T</title><link>https://x.org/19</link></item></rdf:RDF>"
    ),
    "atom 0.3": b'<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">'
    b"<title>Old</title><entry><title>T</title><link href='https://x.org/20'/></entry></feed>",
}
DECLINED = {"declared latin-1", "doctype", "title after entries", "empty feed title"}
DECLINED |= {"not well-formed", "undefined entity", "rss 1.0", "atom 0.3"}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variants_give_feedparsers_records(name: str) -> None:
    data = VARIANTS[name]
    try:
        fast, slow = both(data)
    except ParseError:  # feedparser reads nothing either: the fast reader must not say more
        with pytest.raises((ParseError, Decline)):
            parse_feed_fast(data, URL)
        return
    if name in DECLINED:
        assert fast == "declined"
    else:
        assert fast == slow
    assert parse_feed(data, URL) == slow[0]


def test_entries_the_fast_reader_does_not_know_are_read_by_feedparser() -> None:
    assert by_feedparser(VARIANTS["atom xhtml and others"]) == 4
    assert by_feedparser(VARIANTS["rss unknown elements"]) == 2  # media:title, source
    assert by_feedparser(VARIANTS["rss plain"]) == 0


def test_a_document_declaring_entities_is_refused_by_both() -> None:
    data = VARIANTS["doctype"].replace(b"rss.dtd", b'rss.dtd" [<!ENTITY e "x">] "')
    with pytest.raises(ParseError, match="declares XML entities"):
        parse_feed(data, URL)
    with pytest.raises(ParseError, match="declares XML entities"):
        FeedReader(io.BytesIO(data), URL)


TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"),
    max_size=60,
).map(lambda t: "".join(c for c in t if c in "\t\n\r" or ord(c) >= 0x20))
MARKUP = st.sampled_from(["", "<b>", "</b>", "&amp;", "&lt;", "&#169;", "<p>", "</p>", "  "])
PIECE = st.lists(st.one_of(TEXT, MARKUP), max_size=6).map("".join)


@settings(max_examples=90, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=PIECE,
    summary=PIECE,
    name=TEXT,
    kind=st.sampled_from(["rss", "atom html", "atom text"]),
    published=st.sampled_from(["2026-06-11T00:00:00Z", "2026-02-30", "", " x ", "2026"]),
)
def test_generated_texts_read_alike(
    title: str, summary: str, name: str, kind: str, published: str
) -> None:
    if kind == "atom text":  # what the fast reader reads straight into a row, when it is plain
        data = atom(
            f'<entry><id>https://x.org/{escape(published)}</id><title>{escape(title)}</title>'
            f"<published>{escape(published)}</published><summary>{escape(summary)}</summary>"
            f'<author><name>{escape(name)}</name></author><category term="a"/></entry>'
        )
    elif kind == "rss":
        data = rss(
            f"<item><title>{escape(title)}</title><link>https://x.org/p</link>"
            f"<description>{escape(summary)}</description>"
            f"<dc:creator>{escape(name)}</dc:creator></item>"
        )
    else:
        data = atom(
            f'<entry><title type="html">{escape(title)}</title><link href="https://x.org/p"/>'
            f"<summary>{escape(summary)}</summary>"
            f"<author><name>{escape(name)}</name></author></entry>"
        )
    fast, slow = both(data)
    if fast != "declined":
        assert fast == slow
        assert rows_of(data) == [paper_row(s.paper) for s in slow[0].items]
    assert parse_feed(data, URL) == slow[0]


def rows_of(data: bytes) -> list:
    """The rows the fast reader gives (an import's), entries without a link left out."""
    reader = FeedReader(io.BytesIO(data), URL, len(data))
    return [row for row in reader.rows() if row is not None]
