"""The reader's model: learned from decisions, it finds what a reader keeps and says why; the
command line marks papers (one undoable action) and lists them in the model's order."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from test_cli import OFF_TOPIC, RL_CREDIT_ASSIGNMENT, river

from river_tui.domain import Discovery, Paper, TriageState
from river_tui.domain.interest import Example
from river_tui.importing import import_file
from river_tui.learning.model import MIN_EACH, ReaderModel, TooFewDecisions
from river_tui.settings import load_settings
from river_tui.store.library import Library
from river_tui.store.papers import PaperFilter

from conftest import ROOT, SEEDS

CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "arxiv_snapshot_sample_2000.jsonl"


def corpus() -> tuple[list[Example], list[str]]:
    """The 2,000 real arXiv records as the model reads them, with their categories hidden
    (they are the interest the simulated reader has), and each one's primary category."""
    examples, primary = [], []
    for n, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines()):
        record = json.loads(line)
        names = record["authors"].replace(" and ", ", ").split(",")
        examples.append(
            Example(
                pk=n,
                title=record["title"],
                abstract=record["abstract"],
                authors=tuple(a.strip() for a in names if a.strip()),
            )
        )
        primary.append(record["categories"].split()[0])
    return examples, primary


def precision_at_20(interest: str, decisions: int, draws: int) -> tuple[float, float]:
    """A reader keeps the papers of ``interest`` (a primary category prefix) and lets go of
    the rest, deciding on ``decisions`` papers drawn at random; the model ranks the others.
    Returns (precision at 20, averaged over ``draws`` draws; the interest's base rate)."""
    examples, primary = corpus()
    liked = [c == interest or c.startswith(interest + ".") for c in primary]
    precisions, seed = [], 0
    while len(precisions) < draws:
        seed += 1
        drawn = random.Random(seed).sample(range(len(examples)), decisions)
        kept = [liked[i] for i in drawn]
        if sum(kept) < MIN_EACH:  # this reader had not met the interest yet
            continue
        chosen = set(drawn)
        rest = [e for e in examples if e.pk not in chosen]
        model = ReaderModel.fit([examples[i] for i in drawn], kept, corpus=rest)
        scores = model.scores(rest)
        top = sorted(range(len(rest)), key=lambda i: -scores[i])[:20]
        precisions.append(sum(liked[rest[i].pk] for i in top) / 20)
    return sum(precisions) / draws, sum(liked) / len(liked)


@pytest.mark.parametrize("interest", ["astro-ph", "quant-ph", "cs"])
def test_after_100_decisions_the_top_20_hold_three_times_the_interests_share(
    interest: str,
) -> None:
    """astro-ph is 20% of the corpus, quant-ph 5.4%, cs 3.8%."""
    precision, base = precision_at_20(interest, decisions=100, draws=3)
    assert precision >= 3 * base, (precision, base)


def test_too_few_decisions_is_said_not_guessed() -> None:
    examples, _ = corpus()
    with pytest.raises(TooFewDecisions, match="there are 2 and 3"):
        ReaderModel.fit(examples[:5], [True, True, False, False, False])


# -- the library and the command line ---------------------------------------------------------
@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    with Library.open(path, load_settings().beats) as lib:
        for source in sorted(SEEDS.glob("00[0-4]_*")):
            import_file(lib, source, date(2026, 6, 20))
    return path


def ids_of(db: Path, titles: set[str]) -> list[str]:
    with Library.open(db, load_settings().beats) as lib:
        return [s.id for s in lib.papers() if s.title in titles]


def listed(db: Path, *args: str) -> list[dict]:
    done = river("list", *args, "--json", db=db)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_mark_is_one_undoable_action_over_every_id(db: Path) -> None:
    kept = ids_of(db, RL_CREDIT_ASSIGNMENT)[:3]
    done = river("mark", *kept, "--star", db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("3 papers starred")
    with Library.open(db, load_settings().beats) as lib:
        assert {s.id for s in lib.papers() if s.starred} == set(kept)
        undone = lib.undo()
        assert len(undone) == 3
        assert not [s for s in lib.papers() if s.starred]


def test_mark_reads_ids_from_stdin_and_refuses_an_unknown_one_marking_nothing(
    db: Path,
) -> None:
    let_go = ids_of(db, OFF_TOPIC)[:2]
    done = river("mark", "-", "--skip", db=db, stdin="\n".join([*let_go, "2699.99999"]))
    assert done.returncode != 0
    assert done.stderr.strip() == (f"river: no paper with id '2699.99999' in {db}; nothing marked")
    with Library.open(db, load_settings().beats) as lib:
        assert not lib.papers(PaperFilter(state=TriageState.SKIPPED))
    done = river("mark", "-", "--skip", db=db, stdin="\n".join(let_go))
    assert done.returncode == 0, done.stderr
    assert "2 papers skipped" in done.stdout


def test_for_you_puts_what_the_reader_keeps_first_and_says_why(db: Path) -> None:
    """Three credit-assignment papers starred, three credit-risk papers skipped: of the
    papers left, every credit-assignment one comes before every credit-risk one."""
    rl, off = ids_of(db, RL_CREDIT_ASSIGNMENT), ids_of(db, OFF_TOPIC)
    assert river("mark", *rl[:3], "--star", db=db).returncode == 0
    assert river("mark", *off[:3], "--skip", db=db).returncode == 0
    papers = listed(db, "--sort", "for-you", "--state", "new")
    order = [p["id"] for p in papers]
    scores = [p["score"] for p in papers]
    assert scores == sorted(scores, reverse=True)
    last_rl = max(order.index(i) for i in rl[3:])
    first_off = min(order.index(i) for i in off[3:])
    assert last_rl < first_off, (last_rl, first_off, len(order))
    top = papers[0]
    assert top["why"] and all(set(w) == {"feature", "weight"} for w in top["why"])
    assert top["why"][0]["weight"] > 0


def test_for_you_with_too_few_decisions_orders_by_the_beats_and_says_so(db: Path) -> None:
    done = river("list", "--sort", "for-you", "--limit", "5", db=db)
    assert done.returncode == 0
    assert done.stderr.strip() == (
        "river: for you needs 3 papers kept (starred, tagged, put on a beat or promoted) and "
        "3 let go (skipped or archived); there are 0 and 0; ordered by the beats' score"
    )
    by_beats = river("list", "--sort", "relevance", "--limit", "5", db=db)
    assert done.stdout == by_beats.stdout


# -- what no input may do ---------------------------------------------------------------------
def library_of(path: Path, papers: list[Paper]) -> Path:
    with Library.open(path, load_settings().beats) as lib:
        for paper in papers:
            lib.upsert_paper(paper, Discovery("test", datetime.now(UTC), origin="test"))
    return path


def test_papers_with_no_word_to_learn_from_give_one_line_not_a_traceback(tmp_path: Path) -> None:
    titles = ["The", "Of", "And", "A", "An", "To"]
    db = library_of(tmp_path / "lib.db", [Paper(title=t) for t in titles])
    with Library.open(db, load_settings().beats) as lib:
        pks = [s.pk for s in lib.papers()]
        lib.mark(pks[:3], starred=True)
        lib.mark(pks[3:], state=TriageState.SKIPPED)
    done = river("list", "--sort", "for-you", db=db)
    assert done.returncode == 0
    assert done.stderr.strip() == (
        "river: for you has nothing to learn from: no paper has a word, an author, a category "
        "or an organization to tell it by; ordered by the beats' score"
    )


def test_the_model_reads_a_bounded_part_of_any_row(tmp_path: Path) -> None:
    """A 1 MB author name among 20,000 authors, 5,000 categories: 50 of each, 200 characters."""
    huge = Paper(
        title="Credit assignment at scale",
        abstract="word " * 100_000,
        authors=("N" * 1_000_000, *(f"Author {n}" for n in range(20_000))),
        categories=tuple(f"cs.X{n}" for n in range(5_000)),
    )
    db = library_of(tmp_path / "lib.db", [huge])
    with Library.open(db, load_settings().beats) as lib:
        (example,) = lib.examples()
    assert len(example.authors) == 50 and example.authors[0] == "N" * 200
    assert len(example.categories) == 50
    assert len(example.abstract) == 8_000


def test_mark_reads_bytes_that_are_not_utf8_as_replacement_characters(db: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "river_tui", "--db", str(db), "mark", "-", "--star"],
        input=b"prov:\xff\n",
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 2
    message = f"river: no paper with id 'prov:\ufffd' in {db}; nothing marked"
    assert done.stderr.decode().strip() == message


def test_marking_what_is_already_marked_changes_nothing_and_says_so(db: Path) -> None:
    (paper,) = ids_of(db, RL_CREDIT_ASSIGNMENT)[:1]
    assert river("mark", paper, "--star", db=db).returncode == 0
    done = river("mark", paper, "--star", db=db)
    assert done.stdout.strip() == "1 paper: already starred, nothing changed"
