"""Bounded work: no document, however crafted, makes reading it take unbounded time or keeps
more than a reader can use. Each document is read in a child process within a time budget
(sources/sandbox.py); author fields are cut before feedparser's quadratic e-mail regex sees
them (sources/xmlcaps.py); overlong fields are cut, repeated entries merged and impossible
dates dropped, and the import or refresh says so once."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from river_tui.sources.feed import parse_date, parse_feed
from river_tui.sources.xmlcaps import MAX_RUN, cap_author_fields

from conftest import FIXTURES


def rss(item_extra: str, namespaces: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"{namespaces}><channel><title>Lab</title>'
        "<link>https://lab.example/</link><item><title>The hostile item</title>"
        f"<link>https://lab.example/x</link>{item_extra}</item></channel></rss>"
    ).encode()


DC = ' xmlns:dc="http://purl.org/dc/elements/1.1/"'


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Sat, 01 Jan 0000 00:00:00 GMT", None),
        ("2026-02-30", None),
        ("2026-13-01T00:00:00Z", None),
        ("Thu, 30 Feb 2026 10:00:00 GMT", None),
        ("27 Apr 26 00:00 GMT", "2026-04-27"),
        ("Mon, 27 Apr 2026 00:00:00 -0400", "2026-04-27"),
        ("2026-06-11T00:00:00.000Z", "2026-06-11"),
    ],
)
def test_parse_date(written: str, read: str | None) -> None:
    found = parse_date(written)
    assert (found.isoformat() if found else None) == read


# -- the caps themselves -------------------------------------------------------------------------
def test_a_feed_without_long_runs_is_passed_on_byte_for_byte() -> None:
    for path in sorted(FIXTURES.glob("*.xml")):
        data = path.read_bytes()
        assert cap_author_fields(data) is data, path.name


def test_a_collaboration_of_3000_authors_is_kept_whole() -> None:
    names = ", ".join(f"A. Author{n}-Name (Some University)" for n in range(3_000))
    data = rss(f"<dc:creator>{names}</dc:creator>", DC)
    assert cap_author_fields(data) is data


_NAMES = st.text(alphabet="ab.@-_ &#;x0<>é", max_size=400)


@settings(max_examples=400, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(author=_NAMES, run=st.integers(0, 3 * MAX_RUN))
def test_caps_leave_a_feed_that_parses_to_the_same_items(author: str, run: int) -> None:
    from xml.sax.saxutils import escape

    text = escape(author) + "L" * run
    data = rss(f"<author>{text}</author>")
    capped = cap_author_fields(data)
    before, after = (
        parse_feed(data, "https://lab.example/"),
        parse_feed(capped, "https://lab.example/"),
    )
    assert [s.paper.title for s in after.items] == [s.paper.title for s in before.items]
    assert [s.paper.url for s in after.items] == [s.paper.url for s in before.items]
    if run <= MAX_RUN and len(text.encode()) <= MAX_RUN:
        assert capped == data
