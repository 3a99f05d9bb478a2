"""The Hugging Face Papers API parser, against a recorded /api/daily_papers response."""

from __future__ import annotations

import json
from datetime import date

import pytest

from river_tui.domain import ItemKind, Link, Sighting
from river_tui.domain.papers import HF_LISTING_DATE
from river_tui.sources import ParseError, SourceError
from river_tui.sources.hf_api import HFResult, parse_daily_papers

from conftest import FIXTURES

LISTING = FIXTURES / "hf_daily_papers_2026-06-12_sotawhat.json"


@pytest.fixture(scope="module")
def listing() -> HFResult:
    return parse_daily_papers(LISTING.read_bytes())


def by_id(result: HFResult, arxiv_id: str) -> Sighting:
    (found,) = [s for s in result.sightings if s.paper.id == arxiv_id]
    return found


def test_every_item_of_the_listing(listing: HFResult) -> None:
    assert len(listing.sightings) == 30
    assert listing.skipped == 0
    assert listing.problems == ()
    assert list(listing) == list(listing.sightings)  # iterating gives the sightings
    assert len(listing) == 30
    assert all(s.paper.kind is ItemKind.PAPER for s in listing)
    assert len({s.paper.id for s in listing}) == 30
    # The recorded order is kept.
    assert listing.sightings[0].paper.id == "2606.00467"
    assert listing.sightings[-1].paper.id == "2606.13106"


def test_minimax_sparse_attention(listing: HFResult) -> None:
    sighting = by_id(listing, "2606.13392")
    paper = sighting.paper
    assert paper.arxiv is not None and paper.arxiv.canonical == "2606.13392"
    assert paper.version is None  # the Hub names no version
    assert paper.title == "MiniMax Sparse Attention"
    assert paper.abstract.startswith("Ultra-long-context capability is becoming indispensable")
    assert paper.upvotes == 103
    assert paper.organization == "MiniMax"
    assert paper.author_count == 11
    assert paper.authors[0] == "Xunhao Lai"
    assert paper.authors[-1] == "Pengyu Zhao"
    # arXiv date versus the day of the listing: they differ.
    assert paper.published == date(2026, 6, 11)
    assert paper.extra[HF_LISTING_DATE] == "2026-06-12"
    assert paper.extra["ai_keywords"][:3] == [
        "sparse attention",
        "Grouped Query Attention",
        "Top-k selection",
    ]
    assert str(paper.extra["ai_summary"]).startswith("MiniMax Sparse Attention enables")
    assert paper.extra["github_stars"] == 251
    assert paper.extra["num_comments"] == 4
    assert paper.extra["submitted_on_daily_at"] == "2026-06-12T00:00:00.000Z"
    assert paper.links == (
        Link("abs", "https://arxiv.org/abs/2606.13392"),
        Link("pdf", "https://arxiv.org/pdf/2606.13392"),
        Link("code", "https://github.com/MiniMax-AI/MSA"),
        Link("hf", "https://huggingface.co/papers/2606.13392"),
    )
    assert sighting.signal == {"upvotes": 103, "comments": 4, "listed": "2026-06-12"}


def test_listing_date_is_the_daily_submission_not_the_item_published_at(
    listing: HFResult,
) -> None:
    raw = json.loads(LISTING.read_bytes())[0]
    assert raw["paper"]["id"] == "2606.00467"
    # The recorded item carries three timestamps.
    assert raw["paper"]["publishedAt"] == "2026-05-30T00:00:00.000Z"  # the arXiv date
    assert raw["publishedAt"] == "2026-05-29T20:00:00.000Z"  # before the arXiv date!
    assert raw["paper"]["submittedOnDailyAt"] == "2026-06-12T00:00:00.000Z"  # the listing

    paper = by_id(listing, "2606.00467").paper
    assert paper.published == date(2026, 5, 30)
    assert paper.extra[HF_LISTING_DATE] == "2026-06-12"
    assert paper.published != date.fromisoformat(str(paper.extra[HF_LISTING_DATE]))
    # Every item of this response was listed on the day it was fetched.
    assert {s.paper.extra[HF_LISTING_DATE] for s in listing} == {"2026-06-12"}


def test_a_paper_without_code_or_project(listing: HFResult) -> None:
    sighting = by_id(listing, "2606.00467")
    paper = sighting.paper
    assert paper.title == (
        "On the Limits of LLM Adaptability: Impact of Model-Internalized Priors on "
        "Annotation Task Performance"
    )
    assert paper.upvotes == 0
    assert paper.organization == "California institute of technology"  # fullname, not "caltech"
    assert paper.authors == ("Etienne Casanova", "Rafal Kocielnik", "R. Michael Alvarez")
    assert [link.label for link in paper.links] == ["abs", "pdf", "hf"]
    assert "github_stars" not in paper.extra
    assert paper.extra["ai_keywords"][:2] == ["zero-shot annotation", "LLM-as-a-judge"]
    assert sighting.signal == {"upvotes": 0, "comments": 2, "listed": "2026-06-12"}


def test_evoarena_code_and_project_page(listing: HFResult) -> None:
    paper = by_id(listing, "2606.13681").paper
    assert paper.title == (
        "EvoArena: Tracking Memory Evolution for Robust LLM Agents in Dynamic Environments"
    )
    assert paper.upvotes == 118
    assert paper.organization == "Massachusetts Institute of Technology"
    assert paper.author_count == 14
    assert paper.published == date(2026, 6, 11)
    assert paper.extra[HF_LISTING_DATE] == "2026-06-12"
    links = {link.label: link.url for link in paper.links}
    assert links["code"] == "https://github.com/Aiden0526/EvoArena"
    assert links["project"] == "https://aiden0526.github.io/EvoArena/"
    assert paper.extra["github_stars"] == 9


def test_no_organization_is_none(listing: HFResult) -> None:
    paper = by_id(listing, "2606.12730").paper
    assert paper.organization is None
    assert paper.byline == "Rafal Kocielnik et al."


def test_abstract_paragraphs_survive(listing: HFResult) -> None:
    abstract = by_id(listing, "2606.09446").paper.abstract
    paragraphs = abstract.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[1].startswith("Our contributions are twofold.")
    assert "\n" not in paragraphs[0]


def _item(paper_id: str = "2401.00001", **paper: object) -> dict[str, object]:
    return {
        "paper": {
            "id": paper_id,
            "title": "A Title",
            "summary": "An abstract.",
            "upvotes": 3,
            "authors": [{"name": "Ada Lovelace"}, {"name": ""}, {"name": "  "}, {"_id": "x"}],
            "publishedAt": "2024-01-01T00:00:00.000Z",
            **paper,
        },
        "numComments": 1,
        "publishedAt": "2023-12-31T20:00:00.000Z",
    }


def test_empty_author_names_are_skipped() -> None:
    (sighting,) = parse_daily_papers(json.dumps([_item()]).encode())
    assert sighting.paper.authors == ("Ada Lovelace",)
    assert HF_LISTING_DATE not in sighting.paper.extra  # no submittedOnDailyAt, no listing day
    assert sighting.signal == {"upvotes": 3, "comments": 1}


def test_hard_wrapped_title_is_one_line() -> None:
    data = json.dumps([_item(title="Scaling for\n  Contrastive Loss")]).encode()
    (sighting,) = parse_daily_papers(data)
    assert sighting.paper.title == "Scaling for Contrastive Loss"


def test_item_organization_when_the_paper_has_none() -> None:
    item = _item()
    item["organization"] = {"name": "acme", "fullname": ""}
    (sighting,) = parse_daily_papers(json.dumps([item]).encode())
    assert sighting.paper.organization == "acme"


def test_one_malformed_item_is_skipped_and_counted() -> None:
    items = [
        _item("2401.00001"),
        {"paper": {"id": "not an id", "title": "x"}},
        7,
        _item("2401.00002"),
    ]
    result = parse_daily_papers(json.dumps(items).encode())
    assert [s.paper.id for s in result] == ["2401.00001", "2401.00002"]
    assert result.skipped == 2
    assert len(result.problems) == 2
    assert result.problems[0].startswith("item 1: no arXiv id")


def test_single_unwrapped_paper_object() -> None:
    paper = _item("2606.13392v2")["paper"]
    result = parse_daily_papers(json.dumps(paper).encode())
    (sighting,) = result.sightings
    assert sighting.paper.id == "2606.13392"
    assert sighting.paper.version == 2
    assert sighting.paper.published == date(2024, 1, 1)


def test_search_results_use_the_same_wrapper() -> None:
    result = parse_daily_papers(json.dumps([_item("2401.00003")]).encode())
    assert [s.paper.id for s in result] == ["2401.00003"]


def test_empty_list_is_no_papers() -> None:
    result = parse_daily_papers(b"[]")
    assert result.sightings == () and result.skipped == 0


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<html><body>Bad gateway</body></html>",
        b'[{"paper": ',
        b"\xff\xfe\x00garbage",
        b"42",
        b'"a string"',
        b'{"total": 1, "data": []}',
        b"[1, 2, 3]",
        b'[{"paper": "2401.00001"}]',
    ],
)
def test_garbage_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        parse_daily_papers(data)
    message = str(info.value)
    assert message.startswith("Hugging Face: ")
    assert "\n" not in message


def test_hub_error_body_is_a_source_error() -> None:
    with pytest.raises(SourceError, match=r"^Hugging Face: Paper not found$") as info:
        parse_daily_papers(b'{"error": "Paper not found"}')
    assert not isinstance(info.value, ParseError)
