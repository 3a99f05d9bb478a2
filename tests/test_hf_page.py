"""Saved Hugging Face Daily Papers pages (seeds 001-003)."""

from __future__ import annotations

from datetime import date

import pytest

from river_tui.domain import Paper
from river_tui.sources import ParseError
from river_tui.sources.hf_page import HFPage, looks_like_hf_page, parse_hf_page

from conftest import seed

AS_OF = date(2026, 11, 22)


def _page(prefix: str) -> HFPage:
    return parse_hf_page(seed(prefix).read_text(encoding="utf-8"), AS_OF)


def _find(page: HFPage, title_start: str) -> Paper:
    (paper,) = [p for p in page.papers if p.title.startswith(title_start)]
    return paper


@pytest.mark.parametrize(
    ("prefix", "listing", "count", "without_meta"),
    [
        ("001", date(2026, 6, 16), 60, 5),
        ("002", date(2026, 2, 24), 6, 2),
        ("003", date(2026, 6, 2), 30, 3),
    ],
)
def test_counts_and_listing_date(prefix: str, listing: date, count: int, without_meta: int) -> None:
    page = _page(prefix)
    assert page.listing_date == listing
    assert len(page.papers) == count
    assert sum(p.upvotes is None for p in page.papers) == without_meta
    for paper in page.papers:
        assert paper.title and paper.abstract
        assert "\n" not in paper.title
        assert paper.extra["hf_listing_date"] == listing.isoformat()
        assert paper.published is None or paper.published <= listing


def test_first_and_last_papers_of_001() -> None:
    page = _page("001")
    first, last = page.papers[0], page.papers[-1]
    assert first.title == (
        "From Reasoning to Agentic: Credit Assignment in Reinforcement Learning "
        "for Large Language Models"
    )
    assert first.abstract.startswith("Reinforcement learning (RL) for large language models")
    assert (first.author_count, first.published, first.upvotes) == (1, date(2026, 4, 12), 2)
    assert last.title == "Verifiable Process Rewards for Agentic Reasoning"
    assert (last.author_count, last.published, last.upvotes) == (9, date(2026, 5, 10), 1)


def test_organization_paper() -> None:
    paper = _find(_page("001"), "A^2TGPO")
    assert paper.title == (
        "A^2TGPO: Agentic Turn-Group Policy Optimization with Adaptive Turn-level Clipping"
    )
    assert paper.organization == "Tencent"
    assert paper.author_count is None
    assert paper.published == date(2026, 5, 6)
    assert paper.upvotes == 4
    assert paper.byline == "Tencent"


@pytest.mark.parametrize(
    ("title_start", "organization", "published", "upvotes"),
    [
        ("MA-RLHF", "BAIDU", date(2024, 10, 3), 2),
        ("How Does Reasoning Flow?", "alibaba", date(2026, 6, 9), 2),
        ("F-GRPO", "McAuley-Lab", date(2026, 5, 12), 1),
    ],
)
def test_organization_display_name(
    title_start: str, organization: str, published: date, upvotes: int
) -> None:
    paper = _find(_page("001"), title_start)
    assert (paper.organization, paper.published, paper.upvotes) == (
        organization,
        published,
        upvotes,
    )


def test_author_count_paper_without_upvotes() -> None:
    paper = _find(_page("001"), "Assessing the Zero-Shot Capabilities")
    assert paper.author_count == 7
    assert paper.organization is None
    assert paper.published == date(2024, 9, 19)
    assert paper.upvotes == 0


def test_year_and_upvotes_together() -> None:
    paper = _find(_page("001"), "Online Information Acquisition")
    assert (paper.author_count, paper.published, paper.upvotes) == (3, date(2023, 7, 12), 1)


@pytest.mark.parametrize("title_start", ["MatchTIR", "PBSD", "InT:", "GTAlign"])
def test_paper_without_metadata(title_start: str) -> None:
    page = _page("001")
    paper = _find(page, title_start)
    assert paper.abstract
    assert paper.author_count is None
    assert paper.upvotes is None
    assert paper.published is None
    assert paper.organization is None
    # The paper after it is parsed normally.
    following = page.papers[page.papers.index(paper) + 1]
    assert following.title and following.abstract


def test_matchtir_then_next_title_in_002() -> None:
    titles = [p.title.split(":")[0] for p in _page("002").papers]
    assert titles == [
        "TempFlow-GRPO",
        "Annotated History of Modern AI and Deep Learning",
        "CAPO",
        "MatchTIR",
        "InT",
        "Assessing the Zero-Shot Capabilities of LLMs for Action Evaluation in RL",
    ]


def _tiny_page(listing: str, paper_date: str) -> str:
    return "\n\n".join(
        [
            "new",
            "Get trending papers in your email inbox!",
            "Subscribe",
            "Daily Papers",
            "byAK and the research community",
            listing,
            "A Title",
            "An abstract.",
            f"  • 2 authors\n·\n{paper_date}",
        ]
    )


def test_year_inference() -> None:
    page = parse_hf_page(_tiny_page("Feb 24", "Mar 6"), AS_OF)
    assert page.listing_date == date(2026, 2, 24)
    assert page.papers[0].published == date(2025, 3, 6)
    assert page.papers[0].upvotes == 0
    same_year = parse_hf_page(_tiny_page("Feb 24", "Feb 3 7"), AS_OF)
    assert same_year.papers[0].published == date(2026, 2, 3)
    assert same_year.papers[0].upvotes == 7


def test_listing_date_after_as_of_goes_back_a_year() -> None:
    page = parse_hf_page(_tiny_page("Dec 1", "Nov 30"), AS_OF)
    assert page.listing_date == date(2025, 12, 1)
    assert page.papers[0].published == date(2025, 11, 30)


def test_no_listing_date_uses_as_of() -> None:
    text = "Daily Papers\n\nA Title\n\nAn abstract.\n\n  • 2 authors\n·\nDec 1"
    page = parse_hf_page(text, AS_OF)
    assert page.listing_date is None
    assert page.papers[0].published == date(2025, 12, 1)
    assert "hf_listing_date" not in page.papers[0].extra


def test_footer_and_stray_blocks_do_not_crash() -> None:
    text = _tiny_page("Jun 16", "May 6 4") + "\n\nSystem theme\n\n  • 3 authors\n·\n"
    page = parse_hf_page(text, AS_OF)
    assert [p.title for p in page.papers] == ["A Title"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "Daily Papers\n\nbyAK and the research community\n\nJun 16",
        "  • 2 authors\n·\nMay 6\n\n  • 3 authors\n·\nMay 7",
    ],
)
def test_garbage_raises(text: str) -> None:
    with pytest.raises(ParseError, match="no papers found"):
        parse_hf_page(text, AS_OF)


@pytest.mark.parametrize("prefix", ["001", "002", "003"])
def test_detects_hf_pages(prefix: str) -> None:
    assert looks_like_hf_page(seed(prefix).read_text(encoding="utf-8"))


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_other_shapes_are_not_hf_pages(prefix: str) -> None:
    assert not looks_like_hf_page(seed(prefix).read_text(encoding="utf-8"))


def test_prose_is_not_an_hf_page() -> None:
    assert not looks_like_hf_page("I read the Daily Papers every morning.\n\nMay 6")
    assert not looks_like_hf_page("")
