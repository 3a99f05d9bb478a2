"""The reader's model: learned from decisions, it finds what a reader keeps and says why; the
command line marks papers (one undoable action) and lists them in the model's order."""

from __future__ import annotations

import contextlib
import io
import json
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from test_cli import OFF_TOPIC, RL_CREDIT_ASSIGNMENT

from river_tui import cli
from river_tui.domain import Discovery, Paper, TriageState
from river_tui.domain.interest import MIN_EACH, Example, TooFewDecisions
from river_tui.importing import import_file
from river_tui.learning.ranking import rank
from river_tui.settings import load_settings
from river_tui.store.library import Library
from river_tui.store.papers import PaperFilter, Sort

from conftest import ROOT, SEEDS, STEP_16

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
        top = rank(examples, {examples[i].pk: k for i, k in zip(drawn, kept, strict=True)})[:20]
        precisions.append(sum(liked[pk] for pk in top) / 20)
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
        rank(examples[:10], dict(zip(range(5), [True, True, False, False, False], strict=True)))


def river(
    *args: str, db: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``river ARGS`` in this process (what ``river_process`` runs as a child, without a new
    interpreter and its imports each time): its exit status, standard output and error."""
    argv = [*(["--db", str(db)] if db is not None else []), *args]
    out, err = io.StringIO(), io.StringIO()
    given = io.TextIOWrapper(io.BytesIO((stdin or "").encode()), encoding="utf-8")
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        patched_stdin(given),
    ):
        status = cli.main(argv)
    return subprocess.CompletedProcess(argv, status, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def patched_stdin(stream: io.TextIOWrapper) -> Iterator[None]:
    before, sys.stdin = sys.stdin, stream
    try:
        yield
    finally:
        sys.stdin = before


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


def test_what_was_learned_is_kept_and_learned_again_only_when_stale(db: Path) -> None:
    """The model is kept in the library: a second update has nothing to do; a new decision
    makes the reader's model (and that paper's beats' models) stale; reading a paper is not
    a decision; ``river learn --reset`` forgets it all and keeps every decision."""
    from river_tui.learning.train import update

    rl, off = ids_of(db, RL_CREDIT_ASSIGNMENT), ids_of(db, OFF_TOPIC)
    assert river("mark", *rl[:3], "--star", db=db).returncode == 0
    assert river("mark", *off[:3], "--skip", db=db).returncode == 0
    with Library.open(db, load_settings().beats) as lib:
        first = update(lib)
        assert first.encoded == lib.count() and first.trained[""] == (3, 3)
        assert not update(lib).changed  # nothing stale: nothing done
        before = {pk: lib.learned.score("", pk) for pk in lib.learned.labels_by_model([])[""]}
        lib.mark([lib.resolve(rl[3])], state=TriageState.READ)
        assert not update(lib).changed  # a paper only read says nothing yet
        lib.mark([lib.resolve(rl[3])], starred=True)
        again = update(lib)
        assert again.encoded == 0 and again.trained[""] == (4, 3)
        after = {pk: lib.learned.score("", pk) for pk in before}
        assert after != before
    done = river("learn", db=db)
    assert done.returncode == 0, done.stderr
    assert "for you: up to date, from 4 kept and 3 let go" in done.stdout
    assert "beat Interpretability: not learned: needs 3 papers kept" in done.stdout
    done = river("learn", "--reset", db=db)
    assert done.returncode == 0 and "your decisions are kept" in done.stdout
    with Library.open(db, load_settings().beats) as lib:
        assert lib.learned.models() == {} and len(lib.decision_labels()) == 7
    assert "for you: learned again, from 4 kept" in river("learn", db=db).stdout


def test_each_papers_why_adds_up_to_its_score(db: Path) -> None:
    """The why is the score taken apart: every feature's part (as the detail pane computes
    it, without the model) and the intercept add up to the stored score."""
    from river_tui.learning.train import update

    rl, off = ids_of(db, RL_CREDIT_ASSIGNMENT), ids_of(db, OFF_TOPIC)
    assert river("mark", *rl[:3], "--star", db=db).returncode == 0
    assert river("mark", *off[:3], "--skip", db=db).returncode == 0
    with Library.open(db, load_settings().beats) as lib:
        update(lib)
        intercept = lib.learned.models()[""].intercept
        for paper in lib.papers(limit=20):
            parts = lib.learned.why("", paper.pk, most=100_000)
            total = intercept + sum(r.weight for r in parts)
            assert abs(total - lib.learned.score("", paper.pk)) < 1e-3 * (1 + len(parts))


def test_forgetting_in_a_read_only_library_is_refused_in_one_line(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIVER_READ_ONLY", "1")
    done = river("learn", "--reset", db=db)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip() == f"river: {db}: the library is read-only; nothing was changed"


def test_what_a_beats_rules_leave_out_that_its_model_keeps(db: Path) -> None:
    """A beat whose papers the reader kept and let go has a model of its own; the papers its
    rules leave out that the model scores above 0 are a view, best first, each with a why."""
    from river_tui.learning.train import update

    beat = "Frontier capability"
    with Library.open(db, load_settings().beats) as lib:
        on_beat = [s.pk for s in lib.papers(PaperFilter(beat=beat))]
        kept = [pk for pk in on_beat if lib.record(pk).paper.title in RL_CREDIT_ASSIGNMENT]
        let_go = [pk for pk in on_beat if pk not in kept]
        assert len(kept) >= 3 and len(let_go) >= 3
        lib.mark(kept[:3], starred=True)
        lib.mark(let_go[:3], state=TriageState.SKIPPED)
        assert update(lib).trained[beat] == (3, 3)
        hidden = lib.papers(PaperFilter(hidden_by=beat, sort=Sort.FOR_YOU))
        assert hidden and not set(on_beat) & {s.pk for s in hidden}
        scores = [lib.learned.score(beat, s.pk) for s in hidden]
        assert all(score > 0 for score in scores) and scores == sorted(scores, reverse=True)
        assert lib.learned.why(beat, hidden[0].pk)[0].weight > 0
        # Counted from the scores' side (not paper by paper), the view's count is its rows'.
        lib.mark([hidden[1].pk], state=TriageState.READ)
        lib.assign_beat(hidden[2].pk, beat)  # on the beat by hand: no longer left out
        rows = lib.papers(PaperFilter(hidden_by=beat))
        assert {s.pk for s in rows} == {s.pk for s in hidden} - {hidden[2].pk}
        unread = [s for s in rows if s.state is TriageState.NEW]
        assert lib.count_view(PaperFilter(hidden_by=beat)) == (len(rows), len(unread))
        most = len(rows)  # counted up to a bound, as the pane counts them first
        assert lib.count_view_up_to(PaperFilter(hidden_by=beat), most) == (most, len(unread))
        assert lib.count_view_up_to(PaperFilter(hidden_by=beat), most - 1) is None
        assert lib.count(PaperFilter(hidden_by=beat, state=TriageState.READ)) == 1
        lib.mark([kept[0]], state=TriageState.READ)
        starred = lib.papers(PaperFilter(starred=True))
        assert lib.count_view(PaperFilter(starred=True)) == (len(starred), 2) == (3, 2)
        assert lib.count(PaperFilter(starred=True, state=TriageState.READ)) == 1
        # In the beat's own view the order is the beat's model's.
        order = [s.pk for s in lib.papers(PaperFilter(beat=beat, sort=Sort.FOR_YOU))]
        beat_scores = [lib.learned.score(beat, pk) for pk in order]
        assert beat_scores == sorted(beat_scores, reverse=True)


# -- what no input may do ---------------------------------------------------------------------
def all_scores(lib: Library, model: str) -> dict[int, float | None]:
    return {s.pk: lib.learned.score(model, s.pk) for s in lib.papers()}


def test_the_visible_views_model_first_and_held_features_score_as_read_ones(db: Path) -> None:
    """What the reader's learning child does after a decision: the models the visible view
    is ordered by first (``only``), the others in the next update; the features it holds
    between updates give the scores an update that reads them gives, and papers that arrive
    meanwhile are read and scored."""
    from river_tui.learning.train import Held, update

    beat = "Frontier capability"
    held = Held()
    with Library.open(db, load_settings().beats) as lib:
        on_beat = [s.pk for s in lib.papers(PaperFilter(beat=beat))]
        kept = [pk for pk in on_beat if lib.record(pk).paper.title in RL_CREDIT_ASSIGNMENT]
        let_go = [pk for pk in on_beat if pk not in kept]
        lib.mark(kept[:3], starred=True)
        lib.mark(let_go[:3], state=TriageState.SKIPPED)
        assert set(update(lib, held=held).trained) == {"", beat}
        assert held.chunks  # the library's features, kept for the next update
        lib.mark([kept[3]], starred=True)  # on the beat: both models are stale
        first = update(lib, held=held, only={""})
        assert set(first.trained) == {""}
        assert set(lib.learned.stale(lib.learned.labels_by_model(lib.beats))) == {beat}
        assert set(update(lib, held=held).trained) == {beat}
        from_held = {m: all_scores(lib, m) for m in ("", beat)}
        assert set(update(lib, force=True).trained) == {"", beat}  # features read again
        for model, scores in from_held.items():
            read = all_scores(lib, model)
            assert None not in read.values()
            assert all(abs(scores[pk] - read[pk]) < 1e-5 for pk in read), model
        arrived = Paper(title="Credit assignment in long-horizon agents", abstract="x")
        lib.upsert_paper(arrived, Discovery("test", datetime.now(UTC), origin="test"))
        update(lib, held=held)
        (new,) = [s.pk for s in lib.papers() if s.title == arrived.title]
        held_score = lib.learned.score("", new)
        update(lib, force=True)
        assert held_score is not None and abs(held_score - lib.learned.score("", new)) < 1e-5


def in_the_for_you_order(lib: Library, flt: PaperFilter, model: str) -> list[int]:
    """The papers of ``flt`` as the for-you order ranks them, worked out here: by ``model``'s
    score, best first; then the papers it has not scored; ties newest first (undated last)."""
    rows = lib.papers(replace(flt, sort=Sort.NEWEST))  # newest first: the ties' order
    scores = {s.pk: lib.learned.score(model, s.pk) for s in rows}
    rows.sort(key=lambda s: (scores[s.pk] is None, -(scores[s.pk] or 0.0)))
    return [s.pk for s in rows]


@pytest.mark.parametrize("best", [12, 5000])
def test_every_page_of_the_for_you_order_is_its_best_walked_or_not(
    db: Path, monkeypatch: pytest.MonkeyPatch, best: int
) -> None:
    """The first pages are read from each model's best-scored papers (``learned_best``), the
    rest as before: page after page, every view gives its papers in the order, whether its
    page lies within the best or past them (12 of 70 papers: most pages do), papers with the
    same score newest first, and papers not scored yet last."""
    from river_tui.learning.train import update
    from river_tui.store import learned

    monkeypatch.setattr(learned, "BEST", best)
    beat = "Frontier capability"
    with Library.open(db, load_settings().beats) as lib:
        for n, day in enumerate((3, None, 9, 1)):  # no word a model weighs: the same score
            dated = None if day is None else date(2026, 5, day)
            tied = Paper(title=f"Qzx vbnm {n}", abstract="Wq", published=dated)
            lib.upsert_paper(tied, Discovery("test", datetime.now(UTC), origin="test"))
        on_beat = [s.pk for s in lib.papers(PaperFilter(beat=beat))]
        kept = [pk for pk in on_beat if lib.record(pk).paper.title in RL_CREDIT_ASSIGNMENT]
        let_go = [pk for pk in on_beat if pk not in kept]
        lib.mark(kept[:3], starred=True)
        lib.mark(let_go[:3], state=TriageState.SKIPPED)
        assert set(update(lib).trained) == {"", beat}
        tied_scores = {lib.learned.score("", s.pk) for s in lib.papers(PaperFilter(query="qzx"))}
        assert len(tied_scores) == 1, tied_scores
        arrived = Paper(title="Credit assignment in long-horizon agents", abstract="x")
        lib.upsert_paper(arrived, Discovery("test", datetime.now(UTC), origin="test"))
        (new,) = [s.pk for s in lib.papers() if s.title == arrived.title]
        assert lib.learned.score("", new) is None  # not scored until the next update
        views = [
            (PaperFilter(), ""),
            (PaperFilter(state=TriageState.NEW), ""),
            (PaperFilter(beat=beat), beat),
            (PaperFilter(tag="agents"), ""),
            (PaperFilter(query="learning"), ""),
            (PaperFilter(hidden_by=beat), beat),
        ]
        for flt, model in views:
            flt = replace(flt, sort=Sort.FOR_YOU)
            expected = in_the_for_you_order(lib, flt, model)
            assert expected, flt
            for limit in (5, 50):
                pages = [
                    [s.pk for s in lib.papers(flt, limit=limit, offset=offset)]
                    for offset in range(0, len(expected) + limit, limit)
                ]
                assert [pk for page in pages for pk in page] == expected, (flt, limit)


def test_a_step_15_library_keeps_its_models_best_once_upgraded(db: Path) -> None:
    """Schema step 16 writes the best-scored papers of the models a library holds: the
    for-you order reads them from the first time the library opens."""
    from river_tui.learning.train import update

    rl, off = ids_of(db, RL_CREDIT_ASSIGNMENT), ids_of(db, OFF_TOPIC)
    assert river("mark", *rl[:3], "--star", db=db).returncode == 0
    assert river("mark", *off[:3], "--skip", db=db).returncode == 0
    with Library.open(db, load_settings().beats) as lib:
        update(lib)
    conn = sqlite3.connect(db)
    conn.executescript(f"{STEP_16} PRAGMA user_version = 15;")
    conn.close()
    with Library.open(db, load_settings().beats) as lib:
        assert lib.health().schema_version == 16
        best = "SELECT model, paper_pk, score FROM learned_best ORDER BY model, paper_pk"
        scores = "SELECT model, paper_pk, score FROM learned_scores ORDER BY model, paper_pk"
        # Fewer papers than BEST: every score is among the best.
        assert [tuple(r) for r in lib.conn.execute(best)] == [
            tuple(r) for r in lib.conn.execute(scores)
        ]
        flt = PaperFilter(state=TriageState.NEW, sort=Sort.FOR_YOU)
        assert [s.pk for s in lib.papers(flt)] == in_the_for_you_order(lib, flt, "")
    assert Path(f"{db}.v15.bak").exists()


def test_features_larger_than_may_be_held_are_read_each_time(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from river_tui.learning import train

    monkeypatch.setattr(train, "HOLD", 1000)
    held = train.Held()
    rl, off = ids_of(db, RL_CREDIT_ASSIGNMENT), ids_of(db, OFF_TOPIC)
    assert river("mark", *rl[:3], "--star", db=db).returncode == 0
    assert river("mark", *off[:3], "--skip", db=db).returncode == 0
    with Library.open(db, load_settings().beats) as lib:
        assert train.update(lib, held=held).trained[""] == (3, 3)
        assert held.key is None and held.chunks == []
        assert None not in all_scores(lib, "").values()


def library_of(path: Path, papers: list[Paper]) -> Path:
    with Library.open(path, load_settings().beats) as lib:
        for paper in papers:
            lib.upsert_paper(paper, Discovery("test", datetime.now(UTC), origin="test"))
    return path


def test_the_why_of_a_paper_by_a_followed_author_says_so(tmp_path: Path) -> None:
    from river_tui.ui.render import for_you_line

    words = ["credit assignment for agents", "credit risk of loans"]
    papers = [
        Paper(title=f"{words[n % 2]} {n}", authors=("Richard S. Sutton",) if n == 6 else ())
        for n in range(8)
    ]
    db = library_of(tmp_path / "lib.db", papers)
    with Library.open(db, load_settings().beats) as lib:
        pks = {s.title: s.pk for s in lib.papers()}
        lib.mark([pks[f"{words[0]} {n}"] for n in (0, 2, 4)], starred=True)
        lib.mark([pks[f"{words[1]} {n}"] for n in (1, 3, 5)], state=TriageState.SKIPPED)
    assert river("follow", "R. Sutton", db=db).returncode == 0
    papers = listed(db, "--sort", "for-you", "--state", "new")
    by_title = {p["title"]: p for p in papers}
    assert by_title[f"{words[0]} 6"]["followed"] == ["Richard S. Sutton"]
    assert by_title[f"{words[1]} 7"]["followed"] == []
    line = for_you_line([], ["Richard S. Sutton"]).plain
    assert line == "for you: ✦ followed Richard S. Sutton  "


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
