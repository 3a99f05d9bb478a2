"""River pages (seed 000)."""

from __future__ import annotations

import pytest

from river_tui.domain.claims import SourceKind
from river_tui.sources import ParseError
from river_tui.sources.river_page import RiverPage, looks_like_river_page, parse_river_page

from conftest import seed

BEATS = ("Frontier capability", "Agent reliability")


def _text() -> str:
    return seed("000").read_text(encoding="utf-8")


@pytest.fixture(params=[BEATS, ()], ids=["with-beats", "without-beats"])
def page(request: pytest.FixtureRequest) -> RiverPage:
    return parse_river_page(_text(), beat_names=request.param)


def test_tag_and_count(page: RiverPage) -> None:
    assert page.tag == "credit-assignment"
    assert len(page.posts) == 2


def test_headers(page: RiverPage) -> None:
    for post in page.posts:
        assert post.tag == "credit-assignment"
        assert post.author == "Juno"
        assert post.handle == "juno"
        assert post.beat == "Frontier capability"
        assert post.age == "4d"
        assert post.badge == "caveat"


def test_first_post(page: RiverPage) -> None:
    post = page.posts[0]
    assert post.headline == (
        "A 7B-parameter model just beat GPT-4o. The training method is the story."
    )
    assert post.body.startswith(post.headline + "\n\nLambda Labs presented AgentFlow")
    assert post.body.endswith(
        "The ceiling on small-model capability is higher than anyone priced in."
    )
    assert len(post.body.split("\n\n")) == 6
    assert "🐎" not in post.body
    assert "lambda.ai" not in post.body
    (source,) = post.sources
    assert source.kind is SourceKind.WEB
    assert source.label == (
        "ICLR 2026: 12 papers on making AI systems reliable, efficient, and secure"
    )
    assert source.url == "https://lambda.ai/blog/iclr-2026-12-papers"
    assert source.paper_id is None


def test_second_post(page: RiverPage) -> None:
    post = page.posts[1]
    assert post.headline == (
        "The standard recipe for training reasoning models is provably leaving capability "
        "on the table."
    )
    assert post.body.endswith("rich feedback breaks through it.")
    assert len(post.body.split("\n\n")) == 5
    (source,) = post.sources
    assert source.kind is SourceKind.PAPER
    assert source.label == "Reinforcement Learning from Rich Feedback with Distributional DAgger"
    assert source.url == "https://arxiv.org/abs/2606.05152"
    assert source.paper_id == "2606.05152"


def test_footer_is_not_part_of_the_last_post(page: RiverPage) -> None:
    for post in page.posts:
        assert "Collagen River" not in post.body
        assert "private, local knowledge feed" not in post.body


def test_beat_names_split_multiword_authors() -> None:
    text = (
        "#agents\n\n1 post · newest first\n\n🦊\nAda Lovelace Agent reliability @ada · 2h claim\n\n"
    )
    text += "Body line.\n\nA blog example.com/post web\n"
    text += "A paper https://arxiv.org/abs/2601.00001v2 paper"
    (post,) = parse_river_page(text, beat_names=BEATS).posts
    assert (post.author, post.beat, post.handle) == ("Ada Lovelace", "Agent reliability", "ada")
    assert post.body == "Body line."
    assert [s.url for s in post.sources] == [
        "https://example.com/post",
        "https://arxiv.org/abs/2601.00001v2",
    ]
    assert post.sources[1].paper_id == "2601.00001"
    # Without beat names the first word is the author.
    (post,) = parse_river_page(text).posts
    assert (post.author, post.beat) == ("Ada", "Lovelace Agent reliability")


def test_post_without_sources_and_footer() -> None:
    text = (
        "#agents\n\n1 posts · newest first · all tags\n\n🦊\nAda Agents @ada · 1d claim\n\n"
        "Only a body, reading about the web.\n\n"
        "The Collagen River — a private, local knowledge feed."
    )
    (post,) = parse_river_page(text).posts
    assert post.body == "Only a body, reading about the web."
    assert post.sources == []


def test_count_mismatch_raises() -> None:
    text = _text().replace("2 posts", "3 posts", 1)
    with pytest.raises(ParseError, match="3 posts"):
        parse_river_page(text)


@pytest.mark.parametrize("text", ["", "just prose\n\nmore prose", "#tag\n\nnothing here"])
def test_garbage_raises(text: str) -> None:
    with pytest.raises(ParseError):
        parse_river_page(text)


def test_detection() -> None:
    assert looks_like_river_page(_text())
    for prefix in ("001", "002", "003", "004"):
        assert not looks_like_river_page(seed(prefix).read_text(encoding="utf-8"))
    assert not looks_like_river_page("# A heading\n\n2 posts · newest first")
    assert not looks_like_river_page("")
