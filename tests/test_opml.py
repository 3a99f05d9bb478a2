"""OPML in (any reader's export, newsboat's recorded) and out (River's, OPML 2.0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from river_tui.exports.opml import render_opml
from river_tui.settings import FeedConfig
from river_tui.sources import ParseError
from river_tui.sources.opml import Opml, OpmlFeed, parse_opml

OPML = Path(__file__).resolve().parent / "fixtures" / "opml"
NEWSBOAT = OPML / "newsboat-export.opml"


def test_a_newsboat_export_lists_its_feeds_in_order_with_their_names() -> None:
    opml = parse_opml(NEWSBOAT.read_bytes())
    assert opml.title == "newsboat - Exported Feeds"
    assert opml.skipped == 0
    assert [(f.url, f.name) for f in opml.feeds] == [
        ("https://bair.berkeley.edu/blog/feed.xml", "BAIR Blog"),
        ("https://huggingface.co/blog/feed.xml", ""),  # newsboat's title="" before a fetch
        ("https://rss.arxiv.org/rss/cs.LG", ""),
        (
            "https://export.arxiv.org/api/query?search_query=cat:cs.CL&sortBy=submittedDate",
            "arXiv cs.CL, newest",
        ),
        ("https://distill.pub/rss.xml", ""),
        ("https://lilianweng.github.io/index.xml", "Lil'Log"),
        ("https://www.alignmentforum.org/feed.xml?view=curated-rss", 'Q&A <curated> "AF"'),
    ]
    assert all(f.site == "" for f in opml.feeds)  # htmlUrl="": no site


def test_nested_categories_are_flattened_and_odd_outlines_skipped() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Zotero-like</title></head><body>
  <outline text="Labs">
    <outline text="Vision" title="Vision">
      <outline type="rss" text="A lab" xmlUrl="https://a.example.org/feed"
               htmlUrl="https://a.example.org/"/>
    </outline>
    <outline type="rss" text="B &#x9b;31mlab&#x202e;" xmlurl="https://b.example.org/rss.xml"/>
  </outline>
  <outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/>
  <outline type="rss" text="Script" xmlUrl="javascript:alert(1)"/>
  <outline type="rss" text="Again" xmlUrl="https://a.example.org/feed"/>
  <outline text="just a note"/>
</body></opml>"""
    assert parse_opml(data) == Opml(
        "Zotero-like",
        (
            OpmlFeed("https://a.example.org/feed", "A lab", "https://a.example.org/"),
            OpmlFeed("https://b.example.org/rss.xml", "B lab"),  # inert: the CSI and bidi go
        ),
        skipped=2,
    )


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"<opml><body><outline xmlUrl='https://x.org/f'>", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b"<html><body>a page</body></html>", "not OPML (its root element is <html>)"),
        (b"<opml version='2.0'><head/></opml>", "not OPML (no <body>)"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]>'
            b"<opml><body><outline text='&a;' xmlUrl='https://x.org/f'/></body></opml>",
            "declares XML entities",
        ),
    ],
)
def test_a_file_that_is_not_opml_is_one_line(data: bytes, says: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_opml(data, "feeds.opml")
    message = str(caught.value)
    assert message.startswith("feeds.opml: ") and says in message
    assert "\n" not in message


def test_river_writes_opml_2_that_reads_back_to_the_same_feeds() -> None:
    feeds = (
        FeedConfig(
            "BAIR Blog",
            "https://bair.berkeley.edu/blog/feed.xml",
            "https://bair.berkeley.edu/blog/",
        ),
        FeedConfig('Q&A <curated> "AF"', "https://x.example.org/feed?a=1&b=2"),
        FeedConfig("https://distill.pub/rss.xml", "https://distill.pub/rss.xml"),
    )
    text = render_opml(feeds)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "<title>River feeds</title>" in text
    assert (
        '<outline type="rss" text="BAIR Blog" title="BAIR Blog" '
        'xmlUrl="https://bair.berkeley.edu/blog/feed.xml" '
        'htmlUrl="https://bair.berkeley.edu/blog/" />'
    ) in text
    assert 'xmlUrl="https://x.example.org/feed?a=1&amp;b=2"' in text
    back = parse_opml(text.encode("utf-8"))
    assert [FeedConfig(f.name, f.url, f.site) for f in back.feeds] == list(feeds)
    assert render_opml(feeds) == text  # no date in it: the same feeds, the same bytes
    assert parse_opml(render_opml(()).encode()).feeds == ()
