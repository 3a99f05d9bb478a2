"""A beat's term suggestions: found from the reader's decisions, counted exactly by the beat's
rule, previewed, and added to the user's beats.toml (comments kept) with the library
reclassified for that beat."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_cli import river

from river_tui.beat_terms import add_term, preview
from river_tui.domain import Discovery, Paper, TriageState, parse_arxiv_id
from river_tui.domain.beat_terms import (
    Suggestion,
    TermKind,
    TermRefused,
    checked_term,
    moves,
    with_term,
)
from river_tui.domain.beats import Beat
from river_tui.learning.suggest import suggest
from river_tui.settings import load_settings
from river_tui.settings.editor import add_term as edited
from river_tui.store.library import Library
from river_tui.store.papers import PaperFilter

BEATS_TOML = """\
# My beats: every comment here stays as it is.

[[beat]]
name = "Credit"   # the beat's name
tags = ["credit"]
include = [
    "credit assignment",  # the core
]
exclude = [
    "loan",  # money, not RL
]
[beat.queries]
hf = "credit assignment"

# Another beat.
[[beat]]
name = "Agents"
include = ["agent"]
"""

PAPERS = {
    # kept: put on Credit by hand; its rule leaves them out
    "K1": ("Reward shaping for sparse tasks", "We study reward shaping in grid worlds."),
    "K2": ("Reward shaping with potentials", "Potential-based reward shaping, revisited."),
    "K3": ("Learning reward shaping online", "Reward shaping learned while acting."),
    # let go, off the beat
    "L1": ("Reward shaping in robotics", "Reward shaping for a robot arm."),
    "L2": ("Graph neural networks", "Message passing over graphs."),
    # let go, on the beat by its rule
    "B1": ("Credit assignment in portfolio management", "Credit assignment for portfolio trading."),
    "B2": ("Portfolio credit assignment", "Credit assignment across a portfolio of trades."),
    "B3": ("Credit assignment and portfolios", "A portfolio view of credit assignment."),
    # kept, on the beat by its rule
    "G1": ("Credit assignment for LLM agents", "Token-level credit assignment in reasoning."),
    "G2": ("Temporal credit assignment", "Credit assignment over long horizons."),
    # undecided
    "U1": ("Reward shaping revisited", "Reward shaping, again."),
    "U2": ("A survey of reward-shaping", "Reward-shaping methods surveyed."),
    "U3": ("Credit assignment for a portfolio", "Credit assignment in one portfolio."),
}


def paper_id(name: str) -> str:
    return f"2601.{list(PAPERS).index(name) + 1:05d}"


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "beats.toml").write_text(BEATS_TOML, encoding="utf-8")
    (folder / "config.toml").write_text("[refresh]\ninterval_minutes = 0\n", encoding="utf-8")
    return folder


def settings_for(config_dir: Path, db: Path):  # type: ignore[no-untyped-def]
    return load_settings(db, env={"RIVER_CONFIG_DIR": str(config_dir), "RIVER_DATA_DIR": "/x"})


def build(db: Path, beats: list[Beat]) -> dict[str, int]:
    """The papers above, with the reader's decisions on them; name -> pk."""
    pks = {}
    with Library.open(db, beats) as lib:
        seen = Discovery("test", datetime.now(UTC))
        for name, (title, abstract) in PAPERS.items():
            arxiv = parse_arxiv_id(paper_id(name))
            pks[name] = lib.upsert_paper(
                Paper(title=title, abstract=abstract, arxiv=arxiv), seen
            ).pk
        for name in ("K1", "K2", "K3"):
            lib.assign_beat(pks[name], "Credit")
        for name in ("L1", "L2", "B1", "B2", "B3"):
            lib.set_state(pks[name], TriageState.SKIPPED)
        for name in ("G1", "G2"):
            lib.set_starred(pks[name], True)
    return pks


@pytest.fixture
def library(tmp_path: Path, config_dir: Path) -> Path:
    db = tmp_path / "lib.db"
    build(db, settings_for(config_dir, db).beats)
    return db


CREDIT = Beat("Credit", tags=("credit",), include=("credit assignment",), exclude=("loan",))


def test_a_term_moves_papers_by_the_beats_own_rule() -> None:
    shaping = with_term(CREDIT, TermKind.INCLUDE, "reward shaping")
    assert moves(CREDIT, shaping, "Reward-Shaping, revisited", "") == 1  # hyphen, case
    assert moves(CREDIT, shaping, "Loan reward shaping", "") == 0  # still excluded
    portfolio = with_term(CREDIT, TermKind.EXCLUDE, "portfolio")
    assert moves(CREDIT, portfolio, "Credit assignment", "for portfolios") == -1  # plural
    assert moves(CREDIT, portfolio, "Portfolio theory", "") == 0  # was never on


@pytest.mark.parametrize(
    ("kind", "term", "why"),
    [
        (TermKind.INCLUDE, "Credit-Assignment", "already in its include list"),
        (TermKind.EXCLUDE, "credit  assignment", "already an include term"),
        (TermKind.INCLUDE, "LOAN", "already an exclude term"),
        (TermKind.INCLUDE, "   ", "at least one letter"),
        (TermKind.INCLUDE, "--", "no letter or digit"),
        (TermKind.INCLUDE, "x" * 81, "at most 80 characters"),
        (TermKind.INCLUDE, "a b c d e f g", "at most 6 words"),
    ],
)
def test_a_term_that_is_invalid_or_there_already_is_refused_in_one_line(
    kind: TermKind, term: str, why: str
) -> None:
    with pytest.raises(TermRefused, match=why) as refused:
        checked_term(CREDIT, kind, term)
    assert "\n" not in str(refused.value)


def test_suggestions_come_with_exact_counts_most_useful_first(library: Path) -> None:
    with Library.open(library, [CREDIT]) as lib:
        found = suggest(lib, CREDIT)
    by_term = {(s.kind, s.term): s for s in found}
    shaping = by_term[TermKind.INCLUDE, "reward shaping"]
    assert (shaping.kept, shaping.let_go, shaping.usefulness) == (3, 1, 2)
    portfolio = by_term[TermKind.EXCLUDE, "portfolio"]
    assert (portfolio.kept, portfolio.let_go, portfolio.usefulness) == (0, 3, 3)
    assert all(s.usefulness > 0 for s in found)
    assert [s.usefulness for s in found] == sorted((s.usefulness for s in found), reverse=True)
    assert not any(s.term in {"credit assignment", "loan"} for s in found)


def test_usefulness_is_right_minus_wrong() -> None:
    include = Suggestion("B", TermKind.INCLUDE, "t", kept=5, let_go=2)
    exclude = Suggestion("B", TermKind.EXCLUDE, "t", kept=1, let_go=4)
    assert (include.right, include.wrong, include.usefulness) == (5, 2, 3)
    assert (exclude.right, exclude.wrong, exclude.usefulness) == (4, 1, 3)
    assert include.describe() == "+ “t”: brings in 5 kept, 2 let go"


def test_the_preview_lists_every_paper_that_joins_decided_or_not(library: Path) -> None:
    with Library.open(library, [CREDIT]) as lib:
        shown = preview(lib, "Credit", TermKind.INCLUDE, "reward shaping", first=4)
    assert (shown.joining, shown.leaving, shown.kept, shown.let_go) == (6, 0, 3, 1)
    assert len(shown.joins) == 4  # the first four listed; all six counted
    by_hand = {m.id for m in shown.joins if m.by_hand}
    assert by_hand <= {paper_id(n) for n in ("K1", "K2", "K3")}

    with Library.open(library, [CREDIT]) as lib:
        shown = preview(lib, "Credit", TermKind.EXCLUDE, "portfolio")
    assert (shown.joining, shown.leaving, shown.kept, shown.let_go) == (0, 4, 0, 3)
    assert {m.id for m in shown.leaves} == {paper_id(n) for n in ("B1", "B2", "B3", "U3")}


def test_the_editor_adds_one_line_and_keeps_every_comment(tmp_path: Path) -> None:
    path = tmp_path / "beats.toml"
    after = edited(BEATS_TOML, path, "Credit", "include", "reward shaping")
    added = [line for line in after.splitlines() if line not in BEATS_TOML.splitlines()]
    assert added == ['    "reward shaping",']
    assert after.replace('    "reward shaping",\n', "") == BEATS_TOML
    # An inline list changes on its own line only.
    after = edited(BEATS_TOML, path, "Agents", "include", "tool use")
    assert after == BEATS_TOML.replace('["agent"]', '["agent", "tool use"]')
    # CRLF files keep their line endings.
    crlf = BEATS_TOML.replace("\n", "\r\n")
    after = edited(crlf, path, "Credit", "exclude", "portfolio")
    assert after.replace('    "portfolio",\r\n', "") == crlf


def test_adding_a_term_writes_the_file_and_reclassifies_that_beat(
    library: Path, config_dir: Path
) -> None:
    config = settings_for(config_dir, library)
    with Library.open(library, config.beats) as lib:
        before = lib.count(PaperFilter(beat="Agents"))
        added = add_term(config, lib, "Credit", TermKind.EXCLUDE, "portfolio")
        assert not added.copied
        assert lib.count(PaperFilter(beat="Credit")) == 5  # G1, G2 and K1-K3 (by hand)
        assert lib.count(PaperFilter(beat="Agents")) == before
    text = (config_dir / "beats.toml").read_text(encoding="utf-8")
    assert text == BEATS_TOML.replace(
        '    "loan",  # money, not RL\n', '    "loan",  # money, not RL\n    "portfolio",\n'
    )
    reread = settings_for(config_dir, library)
    assert reread.beats == added.settings.beats
    # Opened again with the file's beats, nothing is reclassified: the library kept up.
    with Library.open(library, reread.beats) as lib:
        assert not lib.sync_beats()
        assert lib.count(PaperFilter(beat="Credit")) == 5


def test_with_no_beats_file_the_bundled_one_is_copied_first(tmp_path: Path) -> None:
    config_dir = tmp_path / "fresh-config"
    db = tmp_path / "lib.db"
    config = settings_for(config_dir, db)
    assert not (config_dir / "beats.toml").exists()
    bundled = config.paths.beats.read_text(encoding="utf-8")
    with Library.open(db, config.beats) as lib:
        added = add_term(config, lib, "Agents and tool use", TermKind.INCLUDE, "function calling")
    assert added.copied and added.path == config_dir / "beats.toml"
    assert added.line.endswith("(a copy of the bundled beats, made for you)")
    text = added.path.read_text(encoding="utf-8")
    assert text == bundled.replace('"computer-use"]', '"computer-use", "function calling"]')


def test_the_command_line_suggests_previews_and_adds(library: Path, config_dir: Path) -> None:
    env = {"RIVER_CONFIG_DIR": str(config_dir)}
    result = river("beats", "suggest", "Credit", "--json", db=library, env=env)
    assert result.returncode == 0, result.stderr
    listed = {(s["kind"], s["term"]): s for s in json.loads(result.stdout)}
    assert listed["exclude", "portfolio"] == {
        "beat": "Credit",
        "kind": "exclude",
        "term": "portfolio",
        "kept": 0,
        "let_go": 3,
        "usefulness": 3,
    }
    result = river("beats", "suggest", "Credit", db=library, env=env)
    assert "− “portfolio”: drops 0 kept, 3 let go  (usefulness 3)" in result.stdout

    dry = river(
        "beats", "add", "Credit", "--exclude", "portfolio", "--dry-run", db=library, env=env
    )
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[:2] == [
        "exclude “portfolio” on Credit: none join, 4 leave (0 kept, 3 let go among them)",
        "4 would leave:",
    ]
    assert (config_dir / "beats.toml").read_text(encoding="utf-8") == BEATS_TOML

    done = river("beats", "add", "Credit", "--exclude", "portfolio", db=library, env=env)
    assert done.returncode == 0, done.stderr
    assert f"added exclude term “portfolio” to Credit in {config_dir / 'beats.toml'}" in done.stdout
    again = river("beats", "add", "Credit", "--exclude", "Portfolio", db=library, env=env)
    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == [
        "river: Credit: 'portfolio' is already in its exclude list; nothing changed"
    ]
    listed = json.loads(river("list", "--beat", "Credit", "--json", db=library, env=env).stdout)
    assert paper_id("B1") not in {p["id"] for p in listed}
    unknown = river("beats", "suggest", "Nope", db=library, env=env)
    assert unknown.returncode == 2 and "no beat named 'Nope'" in unknown.stderr
