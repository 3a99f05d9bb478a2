"""Two real processes writing one library at once, and SIGKILL at random moments.

The workers live in ``tests/reliability/``; docs/reliability.md gives the longer runs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from river_tui.store import db as store_db
from river_tui.store.library import Library, LibraryError

HERE = Path(__file__).resolve().parent / "reliability"


def run_json(*args: str, timeout: float) -> tuple[int, dict]:
    result = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("roles", "counted"),
    [
        (("triage", "claims"), {"decisions": 1000, "claim_events": 1000}),
        (("triage", "refresh"), {"decisions": 1000, "papers": 1000}),
    ],
)
def test_two_processes_each_land_1000_changes(
    tmp_path: Path, roles: tuple[str, str], counted: dict[str, int]
) -> None:
    status, outcome = run_json(
        str(HERE / "contention.py"),
        "--db",
        str(tmp_path / "library.db"),
        "--roles",
        ",".join(roles),
        "--count",
        "1000",
        timeout=180,
    )

    assert status == 0, outcome
    for report in outcome["reports"]:
        assert (report["exit"], report["done"], report["errors"]) == (0, 1000, [])
        assert report["stderr"] == ""
    assert not outcome["locked_surfaced"]
    before, after = outcome["before"], outcome["after"]
    for table, added in counted.items():
        assert after[table] - before[table] == added
    assert after["integrity_ok"]
    # They really ran at the same time: each started before the other finished.
    first, second = outcome["reports"]
    assert first["began"] < second["ended"] and second["began"] < first["ended"]


def test_kill_9_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    kills = int(os.environ.get("RIVER_CRASH_KILLS", "50"))
    seed = os.environ.get("RIVER_CRASH_SEED", "20260601")
    status, summary = run_json(
        str(HERE / "crash.py"),
        "--kills",
        str(kills),
        "--seed",
        seed,
        "--dir",
        str(tmp_path / "crash"),
        timeout=60 + kills,
    )

    assert status == 0, summary
    assert summary["lost"] == 0 and summary["problems"] == []
    assert summary["writers_that_died_on_their_own"] == 0
    assert summary["kills"] == 2 * kills  # the editor and the refresher, every round
    # Something was acknowledged to be lost; kills landed inside transactions (a page begun
    # and not acknowledged); the library had a WAL to recover after them. (Typical figures for
    # 50 rounds: 600 edits, 680 pages, 48 pages cut, 50 recoveries; the bounds allow a slow CI.)
    assert summary["acknowledged_edits"] >= kills // 5
    assert summary["acknowledged_pages"] >= kills // 5
    assert summary["pages_cut_by_a_kill"] >= kills // 5
    assert summary["reopened_with_a_wal_to_recover"] >= kills // 5


# -- the write lock: waiting for it, and giving up on it -----------------------------------------


@pytest.fixture
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(store_db, "WRITE_LOCK_PATIENCE_S", 1.0)


def hold_write_lock(db: Path, seconds: float) -> threading.Thread:
    ready = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait(5)
    return thread


def test_a_writer_waits_past_the_busy_timeout_for_the_lock(tmp_path: Path, short_waits) -> None:
    db = tmp_path / "library.db"
    with Library.open(db) as lib:
        holder = hold_write_lock(db, 0.6)  # six busy timeouts
        started = time.monotonic()
        lib.set_meta("written", "yes")  # waits, asks again, gets the lock
        waited = time.monotonic() - started
        holder.join()
        assert lib.get_meta("written") == "yes"
    assert waited > 0.4  # several busy timeouts: it asked again, and got it


def test_a_lock_held_too_long_is_one_clear_error(tmp_path: Path, short_waits) -> None:
    db = tmp_path / "library.db"
    with Library.open(db) as lib:
        holder = hold_write_lock(db, 1.6)
        with pytest.raises(LibraryError) as error:
            lib.set_meta("written", "yes")
        holder.join()
        assert lib.get_meta("written") is None
    message = str(error.value)
    assert message == (
        f"{db}: the library is busy: another River process held it locked for too long; "
        "nothing was changed"
    )
