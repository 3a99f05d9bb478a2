"""The arXiv API parser, against recorded export.arxiv.org responses (the 2025+ backend)."""

from __future__ import annotations

from datetime import date

import pytest

from river_tui.domain import ArxivId, ItemKind, Link, Sighting
from river_tui.sources import ParseError, SourceError
from river_tui.sources.arxiv_api import ArxivFeed, arxiv_error, parse_arxiv_feed, unwrap_abstract

from conftest import FIXTURES


def feed(name: str) -> ArxivFeed:
    return parse_arxiv_feed((FIXTURES / name).read_bytes())


def only(result: ArxivFeed) -> Sighting:
    (sighting,) = result.sightings
    return sighting


def test_ten_entries_for_testing() -> None:
    result = feed("arxiv_api_query_all_testing_10_entries.xml")
    assert (result.total, result.start, result.per_page) == (214881, 0, 10)
    assert len(result.sightings) == 10
    assert result.skipped == 0
    assert [str(s.paper.arxiv) for s in result.sightings] == [
        "2202.12139v1",
        "2405.13786v1",
        "2005.14124v2",
        "2204.08348v3",
        "2302.03287v3",
        "1202.4527v1",
        "2503.05378v2",
        "1205.1866v1",
        "2502.07719v2",
        "1812.11470v1",
    ]
    assert all(s.paper.kind is ItemKind.PAPER for s in result.sightings)

    first = result.sightings[0]
    paper = first.paper
    assert paper.id == "2202.12139" and paper.version == 1
    assert paper.title == (
        "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    )
    assert paper.abstract.startswith("Deep Learning (DL) has revolutionized")
    assert paper.authors == ("Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker")
    assert paper.categories == ("cs.SE", "cs.LG")
    assert paper.primary_category == "cs.SE"
    assert paper.published == date(2022, 2, 24)
    assert paper.updated == date(2022, 2, 24)
    assert paper.links == (
        Link("abs", "https://arxiv.org/abs/2202.12139v1"),
        Link("pdf", "https://arxiv.org/pdf/2202.12139v1"),
        Link("doi", "https://doi.org/10.1109/ICSTW55395.2022.00035"),
    )
    assert paper.extra == {
        "comment": "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022",
        "journal_ref": "Artificial Intelligence in Software Testing @ 2022 IEEE International "
        "Conference on Software Testing, Verification and Validation Workshops (ICSTW)",
        "doi": "10.1109/ICSTW55395.2022.00035",
    }
    assert first.signal == {"version": 1}


def test_a_revised_paper_has_two_dates() -> None:
    result = feed("arxiv_api_query_all_testing_10_entries.xml")
    fuzzing = result.sightings[2].paper
    assert fuzzing.arxiv == ArxivId("2005.14124", 2)
    assert fuzzing.published == date(2020, 5, 28)  # v1
    assert fuzzing.updated == date(2020, 7, 16)  # this version
    assert fuzzing.categories == ("cs.SE", "cs.CR", "cs.LG")
    assert result.sightings[2].signal == {"version": 2}
    # Entities are decoded once: "&amp;" in the XML is "&" in the title.
    assert result.sightings[4].paper.title == (
        "ChatGPT and Software Testing Education: Promises & Perils"
    )


def test_abstract_paragraphs_are_kept_and_wraps_dropped() -> None:
    review = feed("arxiv_api_query_all_testing_10_entries.xml").sightings[9].paper
    paragraphs = review.abstract.split("\n\n")
    assert [p.split(".")[0] for p in paragraphs] == [
        "Context",
        "Objective",
        "Results",
        "Conclusion",
    ]
    assert all("\n" not in p and "  " not in p for p in paragraphs)


def test_page_two_starts_at_ten() -> None:
    result = feed("arxiv_api_query_all_testing_page2_start10.xml")
    assert (result.total, result.start, result.per_page) == (214881, 10, 10)
    assert len(result.sightings) == 10
    first = result.sightings[0].paper
    assert first.arxiv == ArxivId("2403.16981", 2)
    assert first.primary_category == "math.ST"
    assert first.categories == ("math.ST", "cs.IT", "stat.ML")
    assert (first.published, first.updated) == (date(2024, 3, 25), date(2025, 5, 24))
    last = result.sightings[-1].paper
    assert last.arxiv == ArxivId("2202.06271", 1)
    assert last.title == "Model-based Testing of Scratch Programs"


def test_cs_lg_or_cs_ai_twenty_entries() -> None:
    result = feed("arxiv_api_query_cat_cs.LG_OR_cs.AI_20_entries.xml")
    assert (result.total, result.start, result.per_page) == (364218, 0, 20)
    assert len(result.sightings) == 20
    assert all(s.paper.published == date(2026, 4, 29) for s in result.sightings)
    first = result.sightings[0].paper
    assert first.arxiv == ArxivId("2604.26951", 1)
    assert first.primary_category == "cs.CL"  # not cs.LG: the primary need not be the query's
    assert first.categories == ("cs.CL", "cs.AI", "cs.LG")
    assert (
        first.extra["comment"] == "15 pages, 3 figures. Code: https://github.com/PKU-YuanGroup/TIDE"
    )

    (mann,) = [s.paper for s in result.sightings if s.paper.id == "2604.26888"]
    assert mann.authors == ("Janis Mohr", "Jörg Frochte")
    assert str(mann.extra["journal_ref"]).startswith("In: Bäck, T. et al. (eds.)")
    assert mann.extra["doi"] == "10.1007/978-3-031-85252-7_10"
    assert Link("doi", "https://doi.org/10.1007/978-3-031-85252-7_10") in mann.links

    primaries = {s.paper.primary_category for s in result.sightings}
    assert primaries >= {"cs.LG", "cs.CL", "math.OC", "eess.SP"}


def test_single_id_1605_08386() -> None:
    result = feed("arxiv_api_query_id_1605.08386.xml")
    assert (result.total, result.start, result.per_page) == (1, 0, 100)
    sighting = only(result)
    paper = sighting.paper
    assert paper.arxiv == ArxivId("1605.08386", 1)
    assert paper.title == "Heat-bath random walks with Markov bases"
    assert paper.published == date(2016, 5, 26)
    assert paper.updated == date(2016, 5, 26)
    assert paper.authors == ("Caprice Stanley", "Tobias Windisch")
    assert paper.categories == ("math.CO", "math.ST")
    assert paper.primary_category == "math.CO"
    assert paper.extra == {"comment": "20 pages, 3 figures"}
    assert sighting.signal == {"version": 1}


def test_old_style_id_with_affiliations_and_journal_ref() -> None:
    paper = only(feed("arxiv_api_query_id_oldstyle_astro-ph_0601001.xml")).paper
    assert paper.arxiv == ArxivId("astro-ph/0601001", 1)
    assert paper.id == "astro-ph/0601001"
    assert paper.title.startswith("Frequency of Hot Jupiters and Very Hot Jupiters")
    # Leading spaces gone; "&amp;" and "&lt;" decoded.
    assert paper.abstract.startswith("We derive the frequencies of hot Jupiters")
    assert "Gould & Morgan (2003)" in paper.abstract
    assert "V_max<17.5" in paper.abstract
    assert paper.authors == ("Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski")
    assert paper.extra["affiliations"] == {
        "Andrew Gould": ["Ohio State"],
        "Susan Dorsher": ["Ohio State"],
        "B. Scott Gaudi": ["CfA"],
        "Andrzej Udalski": ["Warsaw University Observatory"],
    }
    assert paper.extra["journal_ref"] == "ActaAstron.56:1-50,2006"
    assert "doi" not in paper.extra
    assert paper.categories == ("astro-ph",)
    assert paper.primary_category == "astro-ph"
    assert paper.published == paper.updated == date(2006, 1, 2)
    assert paper.links == (
        Link("abs", "https://arxiv.org/abs/astro-ph/0601001v1"),
        Link("pdf", "https://arxiv.org/pdf/astro-ph/0601001v1"),
    )


def test_old_style_versioned_quant_ph() -> None:
    sighting = only(feed("arxiv_api_query_id_oldstyle_versioned_quant-ph_0201082v1.xml"))
    paper = sighting.paper
    assert paper.arxiv == ArxivId("quant-ph/0201082", 1)
    assert paper.version == 1
    assert sighting.signal == {"version": 1}
    assert paper.authors == ("Stephen Blaha",)
    assert paper.categories == ("quant-ph", "cs.PL")
    assert paper.primary_category == "quant-ph"
    assert paper.published == date(2002, 1, 18)
    assert "affiliations" not in paper.extra


def test_two_ids_one_missing_gives_the_one_that_exists() -> None:
    data = (FIXTURES / "arxiv_api_query_id_list_two_ids_one_missing.xml").read_bytes()
    assert b"<id>http://arxiv.org/abs/1707.08567v1</id>" in data
    assert b"<id>http://arxiv.org/abs/0808.05394" not in data
    result = parse_arxiv_feed(data)
    assert result.total == 1
    paper = only(result).paper
    assert paper.arxiv == ArxivId("1707.08567", 1)
    assert paper.author_count == 34
    assert paper.authors[-2] == "Dirk Wübben"
    assert paper.primary_category == "cs.IT"


def test_empty_result_is_not_an_error() -> None:
    result = feed("arxiv_api_query_empty_id_0000.0000.xml")
    assert (result.total, result.start, result.per_page) == (0, 0, 100)
    assert result.sightings == ()
    assert arxiv_error((FIXTURES / "arxiv_api_query_empty_id_0000.0000.xml").read_bytes()) is None


def test_error_feed_raises_arxivs_message() -> None:
    data = (FIXTURES / "arxiv_api_query_error_400_bad_id.xml").read_bytes()
    assert b"<summary>incorrect id format for abc</summary>" in data
    with pytest.raises(SourceError) as info:
        parse_arxiv_feed(data)
    assert str(info.value) == "arXiv: incorrect id format for abc"
    assert not isinstance(info.value, ParseError)
    assert arxiv_error(data) == "incorrect id format for abc"


@pytest.mark.parametrize(
    "name",
    [
        "arxiv_api_query_all_testing_10_entries.xml",
        "arxiv_rss_cs.LG_2026-04-27_3items.xml",
        "hf_daily_papers_2026-06-12_sotawhat.json",
    ],
)
def test_arxiv_error_is_none_for_other_documents(name: str) -> None:
    assert arxiv_error((FIXTURES / name).read_bytes()) is None


@pytest.mark.parametrize("data", [b"", b"garbage", b"\x00\xff" * 20, b"<html><p>503</p></html>"])
def test_arxiv_error_never_raises(data: bytes) -> None:
    assert arxiv_error(data) is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not xml at all",
        b'{"paper": {}}',
        b"<html><head><title>503 Service Unavailable</title></head><body></body></html>",
        (FIXTURES / "arxiv_rss_cs.LG_2026-04-27_3items.xml").read_bytes(),  # RSS, not the API
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A blog</title></feed>',  # no opensearch
    ],
)
def test_not_an_api_response_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError, match=r"^arXiv: ") as info:
        parse_arxiv_feed(data)
    assert "\n" not in str(info.value)


def test_truncated_response_is_a_parse_error() -> None:
    data = (FIXTURES / "arxiv_api_query_all_testing_10_entries.xml").read_bytes()
    with pytest.raises(ParseError, match=r"^arXiv: malformed response"):
        parse_arxiv_feed(data[: len(data) // 2])


REORDERED = b"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:ax="http://arxiv.org/schemas/atom"
      xmlns:os="http://a9.com/-/spec/opensearch/1.1/">
  <os:startIndex>40</os:startIndex>
  <os:totalResults>41</os:totalResults>
  <entry>
    <author><name>B. Second</name><ax:affiliation>Lab B</ax:affiliation></author>
    <ax:primary_category term="stat.ML"/>
    <link href="https://arxiv.org/pdf/2401.01234v3" rel="related" type="application/pdf"
          title="pdf"/>
    <summary>  A first line that was
wrapped by the old backend.
  A second paragraph.</summary>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="stat.ML" scheme="http://arxiv.org/schemas/atom"/>
    <published>2024-01-03T10:00:00Z</published>
    <title>A Title
  Wrapped Twice</title>
    <author><name>A. First</name><ax:affiliation>Lab A</ax:affiliation>
      <ax:affiliation>Lab C</ax:affiliation></author>
    <updated>2024-03-01T09:00:00Z</updated>
    <ax:doi>10.1000/xyz</ax:doi>
    <id>http://arxiv.org/abs/2401.01234v3</id>
  </entry>
  <os:itemsPerPage>1</os:itemsPerPage>
</feed>
"""


def test_elements_are_read_by_name_and_namespace_not_position() -> None:
    result = parse_arxiv_feed(REORDERED)
    assert (result.total, result.start, result.per_page) == (41, 40, 1)
    sighting = only(result)
    paper = sighting.paper
    assert paper.arxiv == ArxivId("2401.01234", 3)
    assert paper.title == "A Title Wrapped Twice"
    assert (
        paper.abstract == "A first line that was wrapped by the old backend.\n\nA second paragraph."
    )
    assert paper.authors == ("B. Second", "A. First")
    assert paper.extra["affiliations"] == {"B. Second": ["Lab B"], "A. First": ["Lab A", "Lab C"]}
    assert paper.primary_category == "stat.ML"
    assert paper.categories == ("cs.LG", "stat.ML")
    assert (paper.published, paper.updated) == (date(2024, 1, 3), date(2024, 3, 1))
    assert paper.extra["doi"] == "10.1000/xyz"
    # No alternate link in the entry: the abs page is derived from the id.
    assert paper.links == (
        Link("pdf", "https://arxiv.org/pdf/2401.01234v3"),
        Link("abs", "https://arxiv.org/abs/2401.01234v3"),
        Link("doi", "https://doi.org/10.1000/xyz"),
    )
    assert sighting.signal == {"version": 3}


def test_an_entry_without_an_arxiv_id_is_skipped_and_counted() -> None:
    data = REORDERED.replace(
        b"<id>http://arxiv.org/abs/2401.01234v3</id>", b"<id>urn:uuid:nothing</id>"
    )
    result = parse_arxiv_feed(data)
    assert result.sightings == ()
    assert result.skipped == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("  One line.  ", "One line."),
        ("Wrapped\nline.", "Wrapped line."),
        ("First.\n  Second.", "First.\n\nSecond."),
        ("First.\n\nSecond.", "First.\n\nSecond."),
        ("A\r\n  B", "A\n\nB"),
    ],
)
def test_unwrap_abstract(text: str, expected: str) -> None:
    assert unwrap_abstract(text) == expected
