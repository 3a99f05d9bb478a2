"""Pure rules: ids, inert text, beats."""

from __future__ import annotations

from datetime import date

import pytest

from river_tui.domain import Beat, Paper, Verdict, normalize_tag, parse_arxiv_id, provisional_id
from river_tui.domain.ids import find_arxiv_id, is_provisional
from river_tui.domain.text import clean_line, clean_text


@pytest.mark.parametrize(
    ("raw", "canonical", "version"),
    [
        ("2606.05152", "2606.05152", None),
        ("2606.05152v3", "2606.05152", 3),
        ("arXiv:1605.08386v1", "1605.08386", 1),
        ("0808.0539", "0808.0539", None),
        ("astro-ph/0601001", "astro-ph/0601001", None),
        ("quant-ph/0201082v1", "quant-ph/0201082", 1),
        ("math.GT/0309136", "math.GT/0309136", None),
        ("http://arxiv.org/abs/2606.05152v2", "2606.05152", 2),
        ("https://arxiv.org/pdf/2606.05152", "2606.05152", None),
        ("oai:arXiv.org:2604.21987v1", "2604.21987", 1),
    ],
)
def test_arxiv_ids_keep_the_version_apart(raw: str, canonical: str, version: int | None) -> None:
    parsed = parse_arxiv_id(raw)
    assert parsed is not None
    assert (parsed.canonical, parsed.version) == (canonical, version)


@pytest.mark.parametrize("raw", ["", "abc", "12.345", "hello world", "2606.05"])
def test_non_ids_are_rejected(raw: str) -> None:
    assert parse_arxiv_id(raw) is None


def test_arxiv_id_inside_a_bare_link() -> None:
    assert find_arxiv_id("see arxiv.org/abs/2606.05152 paper").canonical == "2606.05152"


def test_provisional_ids_are_stable_and_ignore_layout() -> None:
    a = provisional_id("Annotated History of Modern AI and Deep Learning")
    b = provisional_id("  annotated history of modern AI\n and deep-learning ")
    assert a == b
    assert is_provisional(a)
    assert a != provisional_id("Annotated History of Modern AI")
    assert Paper(title="Annotated History of Modern AI and Deep Learning").id == a


def test_clean_text_strips_escapes_controls_and_bidi() -> None:
    hostile = (
        "Ti\x1b[31mtle\x1b[0m\x1b]52;c;aGk=\x07 \x1b]0;pwned\x1b\\ok\x9b2J"
        "\x07\x00\u202eevil\u200b \x1bP+q\x1b\\end"
    )
    assert clean_line(hostile) == "Title okevil end"


def test_clean_text_keeps_paragraphs_and_markup_characters() -> None:
    text = "First [bold]line[/]\r\nsecond   line\n\n\n\nNext paragraph\t tab"
    assert clean_text(text) == "First [bold]line[/]\nsecond line\n\nNext paragraph tab"


def test_paper_cleans_what_it_is_given() -> None:
    paper = Paper(title="A\nhard-wrapped\n  title", authors=("Ada\x1b[2J", "", "Bo"))
    assert paper.title == "A hard-wrapped title"
    assert paper.authors == ("Ada", "Bo")
    assert paper.author_count == 2
    assert paper.byline == "Ada et al."


def test_normalize_tag() -> None:
    assert normalize_tag("#Credit Assignment") == "credit-assignment"
    assert normalize_tag("credit-assignment") == "credit-assignment"
    # Shown in the panes and the palette: no control character or escape sequence survives.
    assert normalize_tag("#Red\x1b[31m tag\a\u202e") == "red-tag"


BEAT = Beat(
    name="Frontier capability",
    tags=("credit-assignment",),
    include=("credit assignment", "agent"),
    exclude=("credit risk", "loan"),
)


def test_beat_says_which_terms_matched_where() -> None:
    match = BEAT.classify(
        "Credit Assignment for LLM agents",
        "We study credit-assignment. Agents learn; credit assignments matter.",
    )
    assert match is not None and match.verdict is Verdict.MATCH
    found = {(h.term, str(h.field), h.count) for h in match.hits}
    assert found == {
        ("credit assignment", "title", 1),
        ("credit assignment", "abstract", 2),
        ("agent", "title", 1),
        ("agent", "abstract", 1),
    }
    assert match.score == 3 + 2 + 3 + 1
    assert "“credit assignment” in title" in match.reason


def test_beat_exclusion_is_recorded_with_its_reason() -> None:
    match = BEAT.classify("Credit risk and credit assignment", "Loans to borrowers.")
    assert match is not None and match.verdict is Verdict.EXCLUDED
    assert {h.term for h in match.excluded_by} == {"credit risk", "loan"}
    assert "excluded by “credit risk” in title" in match.reason


def test_beat_needs_whole_words() -> None:
    assert BEAT.classify("Agentic credits", "creditworthiness of an agency") is None


# -- the substring shortcut in beat matching ----------------------------------------------------
def _every_regex(beat: Beat, title: str, abstract: str):  # type: ignore[no-untyped-def]
    """The verdict with the substring shortcut turned off: every pattern runs."""
    return beat.classify(title, abstract, folded=(None, None))


def _configured_beats() -> list[Beat]:
    from river_tui.settings import load_settings

    return load_settings().beats


def test_the_substring_shortcut_never_changes_a_verdict_on_the_seed_papers() -> None:
    from river_tui.sources.hf_page import parse_hf_page

    from conftest import SEEDS

    beats = _configured_beats()
    pages = [parse_hf_page(s.read_text(), date(2026, 11, 22)) for s in SEEDS.glob("00[123]_*")]
    papers = [paper for page in pages for paper in page.papers]
    assert len(papers) > 60
    matched = 0
    for paper in papers:
        for beat in beats:
            expected = _every_regex(beat, paper.title, paper.abstract)
            assert beat.classify(paper.title, paper.abstract) == expected, (beat.name, paper.title)
            matched += expected is not None
    assert matched > 40


@pytest.mark.parametrize(
    "text",
    [
        "Temporal Credit-Assignment for agents",
        "temporal  credit \u00a0 ASSIGNMENT",
        "credit -- assignment",
        "CREDIT ASSIGNMENTS in RL",
        "Stra\u00dfe credit assignment",  # ß: folding changes the length, no shortcut
        "\u0130nterpretability and credit assignment",  # İ
        "credit-risk scoring with credit assignment",
        "nothing of the sort",
    ],
)
def test_the_substring_shortcut_agrees_on_spacing_case_and_hyphens(text: str) -> None:
    for beat in _configured_beats():
        assert beat.classify(text, text) == _every_regex(beat, text, text), beat.name
