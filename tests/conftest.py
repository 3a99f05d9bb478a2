"""Shared fixtures. No test touches the user's real library or config."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
# Every fixture lives in the repository (tests/fixtures/SOURCES.md says where each came from).
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "real"
SAMPLE = ROOT / "data" / "sample"


PROPERTY_EXAMPLES = 1000
PROPERTY = settings(
    max_examples=PROPERTY_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""The settings of the property tests: 1,000 cases each, the same ones every run (`make test`
has 4 minutes on 2 cores; 2,000 cost 20 s more)."""


def seed(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (``"001"``)."""
    (path,) = SEEDS.glob(f"{prefix}_*")
    return path


@pytest.fixture(autouse=True)
def _isolate_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point River's data and config folders at temporary ones for every test."""
    home = tmp_path_factory.mktemp("river-home")
    monkeypatch.setenv("RIVER_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("RIVER_CONFIG_DIR", str(home / "config"))
    monkeypatch.delenv("RIVER_DB", raising=False)
    # No test may reach the internet: every source points at a closed local port unless a test
    # points it at its own local server.
    for variable in (
        "RIVER_HF_URL",
        "RIVER_ARXIV_API_URL",
        "RIVER_ARXIV_RSS_URL",
        "RIVER_ARXIV_OAI_URL",
    ):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")
    yield


@pytest.fixture
def seeds_dir() -> Path:
    assert SEEDS.is_dir(), f"the seed documents are missing: {SEEDS}"
    return SEEDS


async def detail_shown(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the reader's detail pane shows the paper the cursor rests on (it follows the
    cursor after a short rest, ``reader.DETAIL_DELAY``)."""
    for _ in range(300):
        if pilot.app.reader.detail_caught_up:
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError("the detail pane never caught up with the cursor")


# -- the reliability tests' library ----------------------------------------------------------
@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library with every kind of row (tests/reliability/libcheck.py), built once."""
    from reliability.libcheck import build_library

    return build_library(tmp_path_factory.mktemp("built") / "library.db")


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built library for one test (a module may define its own ``db``)."""
    from river_tui.store.library import Library

    path = tmp_path / "library.db"
    with Library.open(built) as lib:
        lib.backup(path)
    return path


def run_river(
    *args: str, env: Mapping[str, str] | None = None, stdin: str | bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """``river ARGS`` run in this process as ``python -m river_tui ARGS`` runs it
    (``launch.main``), with ``env`` added to the environment and ``stdin`` as its standard
    input: its exit status and what it wrote. A new interpreter per command cost 0.2-0.6 s of
    CPU; the tests of the entry point itself still start one (test_cli.py)."""
    from river_tui.launch import main

    argv = list(args)
    raw = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
    given = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with _environment(env or {}), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        before, sys.stdin = sys.stdin, given
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse's usage errors and --help
            status = exc.code if isinstance(exc.code, int) else 1
        finally:
            sys.stdin = before
    return subprocess.CompletedProcess(argv, status, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def one_line(stderr: str) -> str:
    """What a command wrote to stderr, which must be one line and no traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


STEP_16 = "DROP TABLE learned_best;"
"""Back to before schema step 16 (each model's best-scored papers)."""
STEP_15 = STEP_16 + "DROP TABLE notes_fts; DROP TABLE paper_notes;"
"""Back to before schema steps 15 (notes; the decisions table, which step 15 copies into one
that also takes notes, may stay as it is: it takes every decision an older River writes) and
16."""
STEP_14 = STEP_15 + "DROP TABLE claim_leads; ALTER TABLE claim_sources DROP COLUMN relation;"
"""Back to before schema steps 14 (new evidence for claims) and 15."""
STEP_13 = STEP_14 + (
    "DROP TABLE paper_versions; ALTER TABLE claim_sources DROP COLUMN quoted_version; "
    "ALTER TABLE claim_events DROP COLUMN actor; ALTER TABLE claims DROP COLUMN review;"
)
"""Back to before schema steps 13 (the arXiv versions of each paper; claims follow them), 14
and 15."""
STEP_10 = (
    "DROP TABLE learned_scores; DROP TABLE learned_weights; DROP TABLE learned; "
    "DROP TABLE learned_idf; DROP TABLE paper_features; DROP TABLE followed_authors; " + STEP_13
)
"""Back to before schema step 10 (what River learned), 11 (followed authors) and 13 (step 12
only added and dropped indexes)."""
