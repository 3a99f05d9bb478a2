"""The arXiv announcement feed parser (rss.arxiv.org/rss/<cat>), against recorded feeds."""

from __future__ import annotations

from datetime import date

import pytest

from river_tui.domain import ArxivId, ItemKind, Link, Sighting
from river_tui.sources import ParseError
from river_tui.sources.arxiv_rss import parse_arxiv_rss, split_creators

from conftest import FIXTURES

CS_LG = FIXTURES / "arxiv_rss_cs.LG_2026-04-27_3items.xml"
WEEKEND = FIXTURES / "arxiv_rss_cs.CL_weekend_empty.xml"


@pytest.fixture(scope="module")
def cs_lg() -> list[Sighting]:
    return parse_arxiv_rss(CS_LG.read_bytes())


def test_three_items_in_feed_order(cs_lg: list[Sighting]) -> None:
    assert [s.paper.arxiv for s in cs_lg] == [
        ArxivId("2604.21952", 1),
        ArxivId("2604.21953", 1),
        ArxivId("2604.21956", 1),
    ]
    assert [s.signal for s in cs_lg] == [{"announce_type": "new", "version": 1}] * 3
    assert all(s.paper.kind is ItemKind.PAPER for s in cs_lg)
    assert all(s.paper.published == date(2026, 4, 27) for s in cs_lg)


def test_first_item_field_by_field(cs_lg: list[Sighting]) -> None:
    paper = cs_lg[0].paper
    assert paper.id == "2604.21952"
    assert paper.version == 1
    assert paper.title == (
        "Focus Session: Hardware and Software Techniques for Accelerating Multimodal "
        "Foundation Models"
    )
    # One dc:creator string, six names.
    assert paper.authors == (
        "Muhammad Shafique",
        "Abdul Basit",
        "Muhammad Abdullah Hanif",
        "Alberto Marchisio",
        "Rachmad Vidya Wicaksana Putra",
        "Minghao Shao",
    )
    # The description's preamble is gone: the abstract is the text after "Abstract:".
    assert paper.abstract.startswith(
        "This work presents a multi-layered methodology for efficiently accelerating"
    )
    assert "Announce Type" not in paper.abstract
    assert "arXiv:2604.21952" not in paper.abstract
    assert "visual resolution & stride" in paper.abstract  # "&amp;" decoded once
    assert paper.abstract.endswith("energy-efficient spiking-MFMs.")
    assert paper.categories == ("cs.LG", "cs.AI", "cs.AR", "cs.NE", "cs.RO")
    assert paper.primary_category is None  # the feed does not say which one is primary
    assert paper.published == date(2026, 4, 27)  # "Mon, 27 Apr 2026 00:00:00 -0400"
    assert paper.links == (
        Link("abs", "https://arxiv.org/abs/2604.21952"),
        Link("pdf", "https://arxiv.org/pdf/2604.21952"),
    )
    assert paper.extra == {"announce_type": "new"}


def test_second_and_third_items(cs_lg: list[Sighting]) -> None:
    athletics, clinical = cs_lg[1].paper, cs_lg[2].paper
    assert athletics.title == (
        "Performance Anomaly Detection in Athletics: A Benchmarking System with Visual Analytics"
    )
    assert athletics.authors == ("Blessed Madukoma", "Prasenjit Mitra")
    assert athletics.categories == ("cs.LG", "cs.CY")
    assert athletics.abstract.startswith("Anti-doping programs rely on biological testing")
    assert "costs over $800 per sample" in athletics.abstract
    assert clinical.authors == (
        "Michal Valko",
        "Hamed Valizadegan",
        "Branislav Kveton",
        "Gregory F. Cooper",
        "Milos Hauskrecht",
    )
    assert clinical.categories == ("cs.LG",)
    assert clinical.abstract.startswith("Timely detection of concerning events")


def test_weekend_feed_is_empty_not_an_error() -> None:
    assert parse_arxiv_rss(WEEKEND.read_bytes()) == []


def _variant(announce: str, extra: str = "") -> bytes:
    """The real feed with its first item turned into another announcement type."""
    text = CS_LG.read_text(encoding="utf-8")
    old = (
        "<arxiv:announce_type>new</arxiv:announce_type>\n"
        "      <dc:rights>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</dc:rights>"
    )
    assert text.count(old) == 2  # the first two items; replace the first only
    text = text.replace(old, f"<arxiv:announce_type>{announce}</arxiv:announce_type>{extra}", 1)
    text = text.replace(
        '<guid isPermaLink="false">oai:arXiv.org:2604.21952v1</guid>',
        '<guid isPermaLink="false">oai:arXiv.org:2604.21952v2</guid>',
    )
    text = text.replace(
        "arXiv:2604.21952v1 Announce Type: new", f"arXiv:2604.21952v2 Announce Type: {announce}"
    )
    return text.encode("utf-8")


@pytest.mark.parametrize("announce", ["replace", "cross", "replace-cross"])
def test_announce_type_is_read(announce: str) -> None:
    first, second, third = parse_arxiv_rss(_variant(announce))
    assert first.signal == {"announce_type": announce, "version": 2}
    assert first.paper.arxiv == ArxivId("2604.21952", 2)
    assert first.paper.extra["announce_type"] == announce
    assert first.paper.abstract.startswith("This work presents")
    assert second.signal == third.signal == {"announce_type": "new", "version": 1}


def test_doi_and_journal_reference() -> None:
    extra = (
        "<arxiv:DOI>10.1145/1234567.7654321</arxiv:DOI>"
        "<arxiv:journal_reference>Proc. XYZ 2026, pp. 1-10</arxiv:journal_reference>"
    )
    first = parse_arxiv_rss(_variant("replace", extra))[0].paper
    assert first.extra == {
        "doi": "10.1145/1234567.7654321",
        "journal_ref": "Proc. XYZ 2026, pp. 1-10",
        "announce_type": "replace",
    }
    assert Link("doi", "https://doi.org/10.1145/1234567.7654321") in first.links


@pytest.mark.parametrize(
    ("creators", "names"),
    [
        ("Ada Lovelace", ["Ada Lovelace"]),
        ("A. Smith, B. Jones", ["A. Smith", "B. Jones"]),
        ("A. Smith and B. Jones", ["A. Smith", "B. Jones"]),
        ("A. Smith, B. Jones and C. Lee", ["A. Smith", "B. Jones", "C. Lee"]),
        ("A. Smith, B. Jones, and C. Lee", ["A. Smith", "B. Jones", "C. Lee"]),
        ("Alexander Anderson, Sandra Andrews", ["Alexander Anderson", "Sandra Andrews"]),
        ("Martin King, Jr., Ada Lovelace", ["Martin King, Jr.", "Ada Lovelace"]),
        ("A. Smith (MIT, CSAIL), B. Jones", ["A. Smith (MIT, CSAIL)", "B. Jones"]),
        ("A. Smith (Univ. of X and Y), B. Jones", ["A. Smith (Univ. of X and Y)", "B. Jones"]),
        ("  A.  Smith ,\n B. Jones ,", ["A. Smith", "B. Jones"]),
        ("", []),
    ],
)
def test_split_creators(creators: str, names: list[str]) -> None:
    assert split_creators(creators) == names


@pytest.mark.parametrize("data", [b"", b"garbage", b"<html><body><p>Oops</p></body></html>"])
def test_not_a_feed_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError, match=r"^arXiv RSS: "):
        parse_arxiv_rss(data)
