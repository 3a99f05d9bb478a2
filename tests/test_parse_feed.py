"""Any RSS or Atom feed becomes web items; the parsers' shared helpers."""

from __future__ import annotations

import re
from datetime import date

import pytest

from river_tui.domain import ItemKind, Link
from river_tui.domain.ids import web_id
from river_tui.sources import ParseError
from river_tui.sources.arxiv_api import arxiv_error, parse_arxiv_feed
from river_tui.sources.arxiv_rss import parse_arxiv_rss
from river_tui.sources.feed import WebFeed, html_to_text, parse_date, parse_feed
from river_tui.sources.notes import collect, describe
from river_tui.sources.xmlguard import check_xml

from conftest import FIXTURES

ATOM_URL = "https://lab.example.org/blog/atom.xml"
RSS_URL = "https://lab.example.org/news/rss"

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Lab Blog</title>
  <link href="https://lab.example.org/blog/"/>
  <updated>2026-05-02T12:00:00Z</updated>
  <id>urn:example:lab-blog</id>
  <entry>
    <title>Scaling sparse attention</title>
    <link rel="alternate" href="https://lab.example.org/blog/sparse-attention"/>
    <id>urn:example:post-2</id>
    <published>2026-05-01T09:30:00+02:00</published>
    <updated>2026-05-02T12:00:00Z</updated>
    <author><name>Ada Lovelace</name></author>
    <author><name>Charles Babbage</name></author>
    <summary type="html">&lt;p&gt;We trained a &lt;b&gt;bigger&lt;/b&gt; model &amp;amp; it
      worked.&lt;/p&gt;&lt;p&gt;Second paragraph&lt;br/&gt;with a break.&lt;/p&gt;
      &lt;script&gt;alert(1)&lt;/script&gt;</summary>
  </entry>
  <entry>
    <title>Relative link, content only</title>
    <link rel="alternate" href="/blog/relative"/>
    <id>urn:example:post-1</id>
    <updated>2026-04-20T08:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Only <em>content</em>.</p>
    </div></content>
  </entry>
  <entry>
    <title>No link at all</title>
    <id>urn:example:post-0</id>
    <updated>2026-04-01T08:00:00Z</updated>
  </entry>
</feed>
"""

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Example Lab News</title>
    <link>https://lab.example.org/news/</link>
    <description>News from the lab</description>
    <item>
      <title>A new dataset</title>
      <link>https://lab.example.org/news/dataset</link>
      <description>&lt;p&gt;Ten thousand &lt;a href="https://x.example"&gt;images&lt;/a&gt;,
        p &amp;lt; 0.05.&lt;/p&gt;</description>
      <pubDate>Tue, 28 Apr 2026 23:30:00 -0700</pubDate>
      <dc:creator>Grace Hopper</dc:creator>
      <guid>https://lab.example.org/news/dataset</guid>
    </item>
    <item>
      <title>Script link</title>
      <link>javascript:alert(1)</link>
      <description>never shown</description>
    </item>
  </channel>
</rss>
"""


def test_atom_blog() -> None:
    result = parse_feed(ATOM, ATOM_URL)
    assert isinstance(result, WebFeed)
    assert result.title == "Example Lab Blog"
    assert len(result.items) == 2
    assert result.skipped == 1  # the entry without a link

    post = result.items[0].paper
    assert post.kind is ItemKind.WEB
    assert post.url == "https://lab.example.org/blog/sparse-attention"
    assert post.id == web_id("https://lab.example.org/blog/sparse-attention")
    assert post.arxiv is None
    assert post.title == "Scaling sparse attention"
    assert post.abstract == (
        "We trained a bigger model & it worked.\n\nSecond paragraph\nwith a break."
    )
    assert post.authors == ("Ada Lovelace", "Charles Babbage")
    assert post.published == date(2026, 5, 1)  # the date in the feed's own offset
    assert post.organization == "Example Lab Blog"
    assert post.byline == "Example Lab Blog"
    assert post.links == (Link("web", "https://lab.example.org/blog/sparse-attention"),)
    assert post.extra == {"feed": ATOM_URL}
    assert result.items[0].signal == {}

    relative = result.items[1].paper
    assert relative.url == "https://lab.example.org/blog/relative"  # resolved against the feed
    assert relative.abstract == "Only content."
    assert relative.published == date(2026, 4, 20)  # no <published>: <updated>
    assert relative.authors == ()


def test_rss_blog() -> None:
    result = parse_feed(RSS, RSS_URL)
    assert result.title == "Example Lab News"
    (item,) = result.items
    assert result.skipped == 1  # the javascript: link is not followed
    paper = item.paper
    assert paper.kind is ItemKind.WEB
    assert paper.url == "https://lab.example.org/news/dataset"
    assert paper.title == "A new dataset"
    assert paper.abstract == "Ten thousand images, p < 0.05."
    assert paper.published == date(2026, 4, 28)  # not the 29th in UTC
    assert paper.authors == ("Grace Hopper",)
    assert paper.organization == "Example Lab News"
    assert paper.extra == {"feed": RSS_URL}


def test_arxiv_rss_is_also_a_generic_feed() -> None:
    url = "https://rss.arxiv.org/rss/cs.LG"
    result = parse_feed((FIXTURES / "arxiv_rss_cs.LG_2026-04-27_3items.xml").read_bytes(), url)
    assert result.title == "cs.LG updates on arXiv.org"
    assert [s.paper.url for s in result.items] == [
        "https://arxiv.org/abs/2604.21952",
        "https://arxiv.org/abs/2604.21953",
        "https://arxiv.org/abs/2604.21956",
    ]
    first = result.items[0].paper
    assert first.kind is ItemKind.WEB
    assert first.title.startswith("Focus Session: Hardware and Software Techniques")
    assert first.abstract.startswith("arXiv:2604.21952v1 Announce Type: new Abstract: This work")
    assert first.published == date(2026, 4, 27)
    assert first.organization == "cs.LG updates on arXiv.org"


def test_empty_channel_is_an_empty_feed() -> None:
    result = parse_feed((FIXTURES / "arxiv_rss_cs.CL_weekend_empty.xml").read_bytes(), RSS_URL)
    # the channel's <link> is the site it belongs to
    assert result == WebFeed(
        "cs.CL updates on arXiv.org", (), site="http://rss.arxiv.org/rss/cs.CL"
    )


def test_a_feed_broken_partway_keeps_what_parsed_and_says_so() -> None:
    broken = RSS.replace(b"</channel>\n</rss>", b"<item><title>cut")
    with collect() as notes:
        result = parse_feed(broken, RSS_URL)
    assert [s.paper.url for s in result.items] == ["https://lab.example.org/news/dataset"]
    said = describe(notes)
    # the javascript: link and the cut item
    assert said == (
        "not well-formed XML (no element found), read leniently, "
        "2 entries without a web link left out"
    )


def test_a_document_feedparser_gives_a_version_is_a_feed_even_with_no_item() -> None:
    """As feedparser reads it leniently: an RSS document with HTML's named entities and no
    DTD that defines them is a feed (feedparser's tests/entities), said once."""
    data = b"<rss><channel><title>caf&eacute; &amp; more</title></channel></rss>"
    with collect() as notes:
        result = parse_feed(data, RSS_URL)
    assert (result.title, result.items) == ("café & more", ())
    assert describe(notes) == "not well-formed XML (undefined entity), read leniently"


def test_an_entry_without_a_link_is_named_by_its_id_when_that_is_a_web_link() -> None:
    """RSS 1.0 names an item by its rdf:about (feedparser's id)."""
    data = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://a.example/"/>
      <item rdf:about="https://a.example/1"><title>One</title></item>
      <item rdf:about="urn:example:2"><title>Two</title></item></rdf:RDF>"""
    with collect() as notes:
        result = parse_feed(data, RSS_URL)
    assert [(s.paper.title, s.paper.url) for s in result.items] == [("One", "https://a.example/1")]
    assert describe(notes) == "1 entry without a web link left out"


@pytest.mark.parametrize(
    "data",
    [b"", b"this is not a feed", b"<html><body><p>cut", b'{"items": []}'],
)
def test_nothing_parsed_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(
        ParseError, match=rf"^feed {re.escape(RSS_URL)}: not an RSS or Atom feed"
    ) as info:
        parse_feed(data, RSS_URL)
    assert "\n" not in str(info.value)


def test_feed_without_title_is_named_by_its_host() -> None:
    data = (
        b'<rss version="2.0"><channel><item><link>https://a.example/1</link></item></channel></rss>'
    )
    result = parse_feed(data, "https://a.example/feed")
    assert result.title == "a.example"
    assert result.items[0].paper.title == "https://a.example/1"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("plain", "plain"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("a<br>b", "a\nb"),
        ("x &amp; y &lt;z&gt; &eacute;", "x & y <z> é"),
        ("<style>p{}</style><script>bad()</script>kept", "kept"),
        ("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"),
        ("wrapped\n   source   line", "wrapped source line"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-06-11T00:00:00.000Z", date(2026, 6, 11)),
        ("2026-05-29T20:00:00.000Z", date(2026, 5, 29)),
        ("Mon, 27 Apr 2026 00:00:00 -0400", date(2026, 4, 27)),
        ("2016-05-26T17:59:46Z", date(2016, 5, 26)),
        ("yesterday", None),
        ("9999-11-01", None),  # no paper is from so far ahead
        ("1066-10-14T09:00:00Z", None),
        ("", None),
        (None, None),
        (20260611, None),
    ],
)
def test_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_a_date_no_paper_can_have_is_unknown_not_read_leniently() -> None:
    # feedparser reads "99999-99-99" as 9999-11-01: such a paper sorted first forever. It is
    # skipped, and the entry's next date (updated) is taken.
    atom = ATOM.replace(b"2026-05-01T09:30:00+02:00", b"99999-99-99", 1)
    assert atom != ATOM
    assert parse_feed(atom, ATOM_URL).items[0].paper.published == date(2026, 5, 2)


# --- xmlguard: documents that declare entities are refused by every XML parser ---------------

BILLION_LAUGHS_ONE_LINE = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
    b'<rss version="2.0"><channel><title>&lol2;</title></channel></rss>'
)
BILLION_LAUGHS_MANY_LINES = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE
  feed
[
  <!-- lower case, on its own lines -->
  <!entity lol "lol">
  <!ENTITY
     lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"
      xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <opensearch:totalResults>1</opensearch:totalResults>
  <title>&lol1;</title>
</feed>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom"><channel><title>x</title>
<item><title>&xxe;</title><link>https://arxiv.org/abs/2604.21952</link>
<guid>oai:arXiv.org:2604.21952v1</guid></item></channel></rss>
"""
# The declaration pushed past the first 64 KiB by a long comment: still before the root.
LATE_DOCTYPE = (
    b'<?xml version="1.0"?><!--' + b"x" * 70_000 + b'--><!DOCTYPE r [<!ENTITY a "b">]><rss/>'
)
UTF16_ENTITY = BILLION_LAUGHS_MANY_LINES.decode("utf-8").replace("UTF-8", "UTF-16").encode("utf-16")
UTF7_ENTITY = (
    b'<?xml version="1.0" encoding="utf-7"?>'
    b"+ADw-!DOCTYPE r +AFs-+ADw-!ENTITY a +ACI-b+ACI-+AD4-+AF0-+AD4-<rss/>"
)
HOSTILE = {
    "billion laughs, one line": BILLION_LAUGHS_ONE_LINE,
    "billion laughs, many lines": BILLION_LAUGHS_MANY_LINES,
    "external entity": EXTERNAL_ENTITY,
    "after 64 KiB of prolog": LATE_DOCTYPE,
    "utf-16": UTF16_ENTITY,
    "utf-7": UTF7_ENTITY,
}


XML_PARSERS = {
    "arxiv_api": parse_arxiv_feed,
    "arxiv_rss": parse_arxiv_rss,
    "feed": lambda data: parse_feed(data, RSS_URL),
}


@pytest.mark.parametrize("parser", ["arxiv_api", "arxiv_rss", "feed"])
@pytest.mark.parametrize("document", list(HOSTILE))
def test_entity_declarations_are_refused(parser: str, document: str) -> None:
    with pytest.raises(ParseError, match="declares XML entities") as info:
        XML_PARSERS[parser](HOSTILE[document])
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("document", list(HOSTILE))
def test_arxiv_error_does_not_read_refused_documents(document: str) -> None:
    assert arxiv_error(HOSTILE[document]) is None


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.xml")))
def test_real_fixtures_pass_the_guard(name: str) -> None:
    check_xml((FIXTURES / name).read_bytes(), name)


@pytest.mark.parametrize(
    "data",
    [
        # A DTD reference without declarations (old RSS 0.91 feeds carry one).
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"/>',
        # The words in the body of a document that has no DOCTYPE.
        b"<rss><channel><description><![CDATA[an XXE primer: <!ENTITY x SYSTEM ...>]]>"
        b"</description></channel></rss>",
        b"",
        b"plain text",
    ],
)
def test_harmless_documents_pass_the_guard(data: bytes) -> None:
    check_xml(data, "test")
