"""Similar papers: a "more like this" query over the full-text index, with the words shared.

The sample library (the five seed files: 68 papers, most of them on reinforcement learning and
credit assignment, a few on credit risk) is the ground: the papers below are labelled by hand
from their titles and abstracts."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from test_cli import OFF_TOPIC, RL_CREDIT_ASSIGNMENT, river

from river_tui.domain import Discovery, Paper
from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.store import similar
from river_tui.store.library import Library
from river_tui.store.papers import PaperFilter, Sort
from river_tui.store.similar import Similar

from conftest import SEEDS

DELTA = (
    "DelTA: Discriminative Token Credit Assignment for Reinforcement Learning from Verifiable "
    "Rewards"
)
CAPO = "CAPO: Towards Enhancing LLM Reasoning through Verifiable Generative Credit Assignment"
PBSD = "PBSD: Privileged Bayesian Self-Distillation for Long-Horizon Credit Assignment"
CREDIT_RISK = (
    "An Information-Theoretic Framework for Credit Risk Modeling: Unifying Industry Practice "
    "with Statistical Theory for Fair and Interpretable Scorecards"
)
# Credit assignment in reinforcement learning, labelled by hand: the papers the credit-assignment
# beat was written for (test_cli.RL_CREDIT_ASSIGNMENT) and those whose title says it.
CREDIT_ASSIGNMENT = RL_CREDIT_ASSIGNMENT | {
    PBSD,
    "Self-Induced Outcome Potential: Turn-Level Credit Assignment for Agents without Verifiers",
}
CREDIT_MARKETS = {t for t in OFF_TOPIC if "Credit" in t}
"""Credit risk, credit scoring, lending, credit markets."""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample library; the tests of this module only read it."""
    path = tmp_path_factory.mktemp("similar") / "library.db"
    with Library.open(path, load_settings().beats) as lib:
        for source in sorted(SEEDS.glob("00[0-4]_*")):
            import_file(lib, source, date(2026, 6, 20))
    return path


def titles_like(db: Path, title: str, limit: int = 10) -> list[str]:
    with Library.open(db, load_settings().beats) as lib:
        (pk,) = [s.pk for s in lib.papers() if s.title == title]
        return [lib.record(s.pk).paper.title for s in lib.similar(pk, limit)]


@pytest.mark.parametrize("paper", [DELTA, CAPO, PBSD])
def test_a_credit_assignment_paper_is_led_by_credit_assignment_papers(
    sample: Path, paper: str
) -> None:
    """The word "credit" is in 53 of the 68 papers: the list follows the subject, not it."""
    found = titles_like(sample, paper)
    assert found[0] in CREDIT_ASSIGNMENT, found
    assert not set(found) & CREDIT_MARKETS, found
    assert paper not in found


def test_a_credit_risk_paper_is_led_by_credit_risk_papers(sample: Path) -> None:
    found = titles_like(sample, CREDIT_RISK)
    assert set(found[:2]) <= CREDIT_MARKETS, found
    assert not set(found[:2]) & CREDIT_ASSIGNMENT


def test_similar_papers_share_the_topic_not_the_word(sample: Path) -> None:
    """Like DelTA (token-level credit assignment in RL): CAPO among the first five, no paper on
    credit risk, lending or credit cards among the first ten, and each says what it shares."""
    (delta,) = [
        p["id"]
        for p in json.loads(river("list", "--json", db=sample).stdout)
        if p["title"] == DELTA
    ]
    done = river("similar", delta, "--json", db=sample)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert len(found) == 10
    titles = [p["title"] for p in found]
    assert CAPO in titles[:5], titles
    assert not set(titles) & OFF_TOPIC
    assert DELTA not in titles
    similarities = [p["similarity"] for p in found]
    assert similarities == sorted(similarities, reverse=True) and similarities[-1] > 0
    assert all(p["shared"] for p in found)


def test_the_shared_words_are_the_papers_own_words_as_it_spells_them(sample: Path) -> None:
    """Not the index's stems ("reinforc", "assign"): words and phrases of DelTA's title or
    abstract, in lower case but for those with capitals inside (RLVR)."""
    with Library.open(sample, load_settings().beats) as lib:
        (delta,) = [s.pk for s in lib.papers() if s.title == DELTA]
        record = lib.record(delta)
        text = f"{record.paper.title} {record.paper.abstract}"
        words = " ".join(re.findall(r"[^\W_]+", text))
        shared = {w for s in lib.similar(delta, 20) for w in s.shared}
    assert "RLVR" in shared and "token" in shared
    for word in shared:
        assert re.search(rf"\b{re.escape(word)}\b", words, re.IGNORECASE), word
        assert word == word.casefold() or any(c.isupper() for c in word[1:]), word


def test_counts_kept_from_paper_to_paper_give_the_answers_counted_afresh(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The words' document counts are kept for the next paper asked about, until the library
    has a new paper: the answers are those of counts read afresh for each paper."""
    arrived = Paper(title="Token credit assignment", abstract="Credit assignment. " * 5)

    def answers(path: Path, keep: int) -> tuple[list[list[Similar]], list[list[Similar]]]:
        """Papers like four of the sample's, then the same once a paper arrived."""
        monkeypatch.setattr(similar, "KEPT_COUNTS", keep)
        with Library.open(sample, load_settings().beats) as lib:
            lib.backup(path)
        with Library.open(path, load_settings().beats) as lib:
            asked = [s.pk for s in lib.papers() if s.title in (DELTA, CAPO, PBSD, CREDIT_RISK)]
            before = [lib.similar(pk, 20) for pk in asked]
            lib.upsert_paper(arrived, Discovery("test", datetime.now(UTC), origin="test"))
            return before, [lib.similar(pk, 20) for pk in asked]

    kept = answers(tmp_path / "kept.db", similar.KEPT_COUNTS)
    assert kept == answers(tmp_path / "afresh.db", 0)  # 0 kept: every count read
    before, after = kept
    assert before != after  # the new paper, and the counts it changed


def test_the_most_asked_for_is_capped_and_none_is_none(sample: Path) -> None:
    with Library.open(sample, load_settings().beats) as lib:
        (delta,) = [s.pk for s in lib.papers() if s.title == DELTA]
        assert len(lib.similar(delta, 10**9)) <= similar.MOST
        assert lib.similar(delta, 0) == []
        assert lib.similar(10**9) == []


def test_the_view_of_similar_papers_lists_them_best_first_and_pages_them(sample: Path) -> None:
    """``PaperFilter(similar_to=pk)``: the list's order whatever the sort, read from either end,
    counted, each paper's position and membership as the rows need them."""
    with Library.open(sample, load_settings().beats) as lib:
        (delta,) = [s.pk for s in lib.papers() if s.title == DELTA]
        ranked = [s.pk for s in lib.similar_view(delta)]
        assert ranked == [s.pk for s in lib.similar(delta, similar.VIEW)]
        assert 10 < len(ranked) <= similar.VIEW
        for sort in Sort:
            flt = PaperFilter(similar_to=delta, sort=sort)
            assert [s.pk for s in lib.papers(flt)] == ranked
        flt = PaperFilter(similar_to=delta)
        assert [s.pk for s in lib.papers(flt, limit=5, offset=0, from_end=True)] == ranked[-5:]
        assert lib.count_view(flt)[0] == len(ranked)
        assert lib.position(flt, ranked[7]) == 7
        assert lib.position(flt, ranked[7], total=len(ranked)) == 7
        assert lib.contains(flt, ranked[3]) and not lib.contains(flt, delta)
        narrowed = PaperFilter(similar_to=delta, query="GRPO")
        assert [s.pk for s in lib.papers(narrowed)] == [
            pk for pk in ranked if lib.contains(PaperFilter(query="GRPO"), pk)
        ]


def test_text_that_reads_as_search_syntax_is_only_words(tmp_path: Path) -> None:
    """Quotes, operators, column filters, a NUL and a megabyte abstract: inert, and bounded."""
    odd = 'NOT "credit" OR assign* ^title: NEAR(a b) {abstract}: AND - \x00 crédit-assignment'
    papers = [
        Paper(title=odd, abstract="credit assignment for agents " * 40_000),
        Paper(title="Credit assignment over long horizons", abstract=f"{odd} in agents"),
        Paper(title="Unrelated", abstract="galaxies and dark matter"),
    ]
    path = tmp_path / "lib.db"
    with Library.open(path, load_settings().beats) as lib:
        for paper in papers:
            lib.upsert_paper(paper, Discovery("test", datetime.now(UTC), origin="test"))
        pks = [s.pk for s in lib.papers()]
        assert len(pks) == 3
        found = {pk: lib.similar(pk) for pk in pks}
        lonely = PaperFilter(similar_to=max(pks))
        assert lib.papers(lonely) == [] and lib.count_view(lonely) == (0, 0)
        assert lib.papers(lonely, from_end=True) == [] and lib.position(lonely, pks[0]) is None
    first, second, third = sorted(pks)
    assert [s.pk for s in found[first]] == [second]
    assert {"credit", "assignment", "agents"} <= set(found[first][0].shared)
    assert found[third] == []


def test_similar_to_an_unknown_paper_is_one_line(sample: Path) -> None:
    done = river("similar", "2699.99999", db=sample)
    assert done.returncode == 2
    assert done.stderr.strip() == f"river: no paper with id '2699.99999' in {sample}"
