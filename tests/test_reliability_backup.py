"""`river backup` (SQLite's online backup API) and the copy made before any schema upgrade."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from reliability.libcheck import integrity, snapshot

from river_tui.store.db import connect
from river_tui.store.library import Library, LibraryError
from river_tui.store.migrations import LATEST, current_version, migrate

from conftest import one_line, run_river

ROOT = Path(__file__).resolve().parent.parent
CONTEND = ROOT / "tests" / "reliability" / "contend.py"


def river(*args: str, db: Path, env: dict[str, str] | None = None):
    return run_river("--db", str(db), *args, env=env)


# -- river backup --------------------------------------------------------------------------------


def test_river_backup_writes_a_valid_library_with_the_same_rows(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copies" / "copy.db"
    copy.parent.mkdir()

    result = river("backup", str(copy), db=db)

    assert result.returncode == 0, result.stderr
    assert str(copy) in result.stdout
    assert integrity(copy) == ["ok"]
    assert snapshot(copy) == snapshot(db)
    counts = {name: len(rows) for name, rows in snapshot(copy).items()}
    assert counts["papers"] > 50 and counts["decisions"] > 10 and counts["claim_events"] > 0
    conn = sqlite3.connect(copy)
    try:  # one self-contained file: no WAL to carry around
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    finally:
        conn.close()
    assert sorted(p.name for p in copy.parent.iterdir()) == ["copy.db"]  # no temp file left
    with Library.open(copy) as lib:  # and River opens it as a library
        assert lib.health().ok


def test_river_backup_refuses_to_overwrite_without_force(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(b"my precious file")

    refused = river("backup", str(copy), db=db)

    assert refused.returncode == 1
    assert "already exists (use --force to replace it)" in one_line(refused.stderr)
    assert copy.read_bytes() == b"my precious file"

    forced = river("backup", "--force", str(copy), db=db)
    assert forced.returncode == 0, forced.stderr
    assert snapshot(copy) == snapshot(db)


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda d: d / "missing-folder" / "copy.db", "no such folder"),
        (lambda d: d, "is a folder"),
        (lambda d: d / "library.db", "is the library itself"),
        (lambda d: d / "library.db-wal", "is the library's write-ahead log"),
        (lambda d: d / "library.db-shm", "is the library's shared-memory index"),
        (lambda d: d / "library.db-journal", "is the library's rollback journal"),
    ],
)
def test_river_backup_refuses_impossible_destinations(db: Path, make, needle: str) -> None:
    before = snapshot(db)
    result = river("backup", "--force", str(make(db.parent)), db=db)
    assert result.returncode == 1
    assert needle in one_line(result.stderr)
    assert snapshot(db) == before


@pytest.mark.parametrize("name", ["library.db", "library.db-wal", "library.db-journal"])
def test_river_export_never_writes_over_the_library_or_its_log(db: Path, name: str) -> None:
    before = snapshot(db)
    result = river("export", "json", "-o", str(db.parent / name), "--force", db=db)
    assert result.returncode == 1
    assert "is the library" in one_line(result.stderr)
    assert not Path(f"{db}-journal").exists()
    assert snapshot(db) == before and integrity(db) == ["ok"]


def test_export_and_backup_refuse_to_replace_what_is_not_a_regular_file(
    db: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for command in (["export", "bibtex", "-o"], ["backup"]):
        result = river(*command, str(fifo), "--force", db=db)
        assert result.returncode == 1
        assert "not a regular file" in one_line(result.stderr)
        assert fifo.is_fifo()


def pages(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()


def test_a_backup_onto_a_full_disk_says_so_and_leaves_the_library(db: Path, tmp_path: Path) -> None:
    """RIVER_MAX_PAGE_COUNT caps the copy too: its disk is full. It said "the library is full"."""
    copy = tmp_path / "copies" / "copy.db"
    copy.parent.mkdir()
    before = snapshot(db)
    result = river("backup", str(copy), db=db, env={"RIVER_MAX_PAGE_COUNT": str(pages(db) // 2)})
    assert result.returncode == 1
    assert one_line(result.stderr) == (
        f"river: {copy}: cannot write the backup: no space left on its disk; "
        "the library is unchanged"
    )
    assert list(copy.parent.iterdir()) == []  # no copy, no temporary file
    assert snapshot(db) == before and integrity(db) == ["ok"]


# `river backup`, with every file this process writes limited to LIMIT bytes (RLIMIT_FSIZE) and
# SIGXFSZ ignored: a write past it fails (EFBIG), as on a disk that will not take the copy.
LIMITED = """
import resource, runpy, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
sys.argv = ["river", *sys.argv[1:]]
runpy.run_module("river_tui", run_name="__main__")
"""


def test_a_disk_that_refuses_the_copy_is_the_copys_fault_not_the_librarys(
    db: Path, tmp_path: Path
) -> None:
    """A real write error from the operating system: it said "cannot read or write the library
    file"."""
    limit = 96 * 1024  # more than opening the library writes (its -shm), less than a copy
    assert db.stat().st_size > 2 * limit
    copy = tmp_path / "copies" / "copy.db"
    copy.parent.mkdir()
    before = snapshot(db)
    result = subprocess.run(
        [sys.executable, "-c", LIMITED.format(limit=limit), "--db", str(db), "backup", str(copy)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith(f"river: {copy}: cannot write the backup: a disk I/O error writing it")
    assert line.endswith("; the library is unchanged")
    assert list(copy.parent.iterdir()) == []  # no copy, no temporary file
    assert snapshot(db) == before and integrity(db) == ["ok"]


WRITERS = {
    "backup": ["backup"],
    "export json": ["export", "json", "-o"],
    "export bibtex": ["export", "bibtex", "-o"],
    "export dossier": ["export", "dossier", "any", "-o"],
    "export river": ["export", "river", "--tag", "kept-0", "-o"],
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_target_that_is_no_file_is_said_at_once(db: Path, tmp_path: Path, writer: str) -> None:
    """A folder is "is a folder" and a pipe "not a regular file", with or without --force: not
    "already exists (use --force ...)" first, and then that."""
    folder = tmp_path / "out"
    folder.mkdir()
    link = tmp_path / "link-to-out"
    link.symlink_to(folder)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    before = snapshot(db)
    for target, force, needle in [
        (folder, False, "is a folder"),
        (folder, True, "is a folder"),
        (link, False, "is a folder"),
        (fifo, False, "not a regular file"),
    ]:
        result = river(*WRITERS[writer], str(target), *(["--force"] * force), db=db)
        assert result.returncode == 1
        assert one_line(result.stderr).startswith(f"river: {target}: {needle}; ")
    assert list(folder.iterdir()) == [] and fifo.is_fifo()
    assert snapshot(db) == before


def test_a_destination_with_a_wal_beside_it_is_refused(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    Path(f"{copy}-wal").write_bytes(b"stale")
    result = river("backup", str(copy), db=db)
    assert result.returncode == 1
    assert "copy.db-wal exists beside it" in one_line(result.stderr)
    assert not copy.exists()


def test_backing_up_no_library_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    result = river("backup", str(tmp_path / "copy.db"), db=tmp_path / "none.db")
    assert result.returncode == 1
    assert f"{tmp_path / 'none.db'}: no library here yet" in one_line(result.stderr)
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_library_can_be_backed_up(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    result = river("backup", str(copy), db=db, env={"RIVER_READ_ONLY": "1"})
    assert result.returncode == 0, result.stderr
    assert snapshot(copy) == snapshot(db)


def test_a_backup_taken_while_another_process_writes_is_consistent(
    db: Path, tmp_path: Path
) -> None:
    writer = subprocess.Popen(
        [sys.executable, str(CONTEND), str(db), "triage", "3000"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout.readline().strip() == "ready"
    writer.stdin.write("\n")
    writer.stdin.flush()
    decisions = set()
    copy = tmp_path / "copy.db"
    with Library.open(db) as lib:
        while writer.poll() is None:
            lib.backup(copy, force=True)
            decisions.add(check_copy(copy))
    _out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert len(decisions) >= 2  # the copies were taken at different moments of the writing


def check_copy(copy: Path) -> int:
    """Each copy is one moment: every decision logged is applied, and nothing more. Returns how
    many decisions it holds."""
    assert integrity(copy) == ["ok"]
    conn = sqlite3.connect(copy)
    try:
        decisions = conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
        tags = conn.execute("SELECT COUNT(*) FROM paper_tags").fetchone()[0]
        tagged = conn.execute("SELECT COUNT(*) FROM decisions WHERE action = 'tag'").fetchone()[0]
        stale = conn.execute(
            "SELECT COUNT(*) FROM papers p LEFT JOIN triage t ON t.paper_pk = p.pk "
            "WHERE COALESCE(t.state, 'new') != COALESCE((SELECT after FROM decisions d "
            "WHERE d.paper_pk = p.pk AND d.action = 'state' ORDER BY d.id DESC LIMIT 1), 'new')"
        ).fetchone()[0]
    finally:
        conn.close()
    assert (tags, stale) == (tagged, 0)
    return decisions


# -- the copy made before a schema upgrade -------------------------------------------------------


def make_v1_library(path: Path) -> dict[str, list[tuple]]:
    """A library at schema version 1, with a paper, a reader's decisions and a claim."""
    conn = connect(path)
    try:
        assert migrate(conn, upto=1) == 1
        conn.execute(
            "INSERT INTO papers(id, arxiv_id, version, title, title_key, abstract, authors, "
            "first_seen, last_seen) VALUES ('2606.05152', '2606.05152', 2, 'Old Paper', "
            "'old paper', 'Kept.', '[\"A. Author\"]', '2026-06-01', '2026-06-02')"
        )
        conn.execute("INSERT INTO triage VALUES (1, 'read', 1, '2026-06-03')")
        conn.execute("INSERT INTO paper_tags VALUES (1, 'keep', '2026-06-03')")
        conn.execute(
            "INSERT INTO dossiers(slug, title, status, importance) "
            "VALUES ('d', 'Dossier', 'seedling', 5)"
        )
        conn.execute(
            "INSERT INTO claims(dossier_slug, position, text, badge) VALUES ('d', 1, 'C.', 'claim')"
        )
        conn.execute(
            "INSERT INTO claim_events(claim_id, on_date, action, badge, note, recorded_at) "
            "VALUES (1, '2026-06-03', 'asserted', 'claim', 'First asserted.', '2026-06-03')"
        )
    finally:
        conn.close()
    return snapshot(path)


def test_opening_a_v1_library_backs_it_up_before_migrating(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    v1 = make_v1_library(path)

    with Library.open(path) as lib:
        assert current_version(lib.conn) == LATEST
        backup = lib.migration_backup
        assert lib.find("2606.05152").user_tags == ("keep",)  # the data came along
        health = lib.health()

    assert backup == tmp_path / "old.db.v1.bak"
    assert health.backups == [str(backup)]
    assert integrity(backup) == ["ok"]
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        columns = {r[1] for r in conn.execute("PRAGMA table_info(papers)")}
        assert "kind" not in columns  # the old schema, untouched
        assert (
            conn.execute("SELECT name FROM sqlite_schema WHERE name = 'decisions'").fetchone()
            is None
        )
    finally:
        conn.close()
    assert snapshot(backup) == v1  # every row as it was

    with Library.open(path) as lib:  # already migrated: no second copy
        assert lib.migration_backup is None
    assert sorted(p.name for p in tmp_path.glob("*.bak")) == ["old.db.v1.bak"]


def test_a_second_upgrade_keeps_the_first_copy(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_v1_library(path)
    Path(f"{path}.v1.bak").write_bytes(b"an earlier copy")

    with Library.open(path) as lib:
        assert lib.migration_backup == tmp_path / "old.db.v1.2.bak"
    assert Path(f"{path}.v1.bak").read_bytes() == b"an earlier copy"
    assert integrity(tmp_path / "old.db.v1.2.bak") == ["ok"]


def test_an_empty_old_library_is_migrated_without_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    conn = connect(path)
    migrate(conn, upto=2)
    conn.close()
    with Library.open(path) as lib:
        assert lib.migration_backup is None
        assert current_version(lib.conn) == LATEST
    assert not list(tmp_path.glob("*.bak"))


def test_doctor_lists_the_copy_and_the_cli_says_it_was_made(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_v1_library(path)
    # A process of its own: what the upgrade logs reaches stderr through logging's last
    # resort, which pytest's own log handlers replace in this process.
    result = subprocess.run(
        [sys.executable, "-m", "river_tui", "--db", str(path), "doctor", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"backed up {path} (schema v1) to {path}.v1.bak" in result.stderr
    assert f"upgrading {path} to schema v{LATEST}…" in result.stderr
    assert f'"{path}.v1.bak"' in result.stdout


def test_a_failed_backup_stops_the_migration(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.db"
    v1 = make_v1_library(path)
    shutil.copy(path, tmp_path / "reference.db")

    def refuse(*_args, **_kwargs):
        raise LibraryError("the disk said no")

    monkeypatch.setattr("river_tui.store.backup.backup_to", refuse)
    with pytest.raises(LibraryError, match="the disk said no"):
        Library.open(path)
    assert snapshot(path) == v1  # still version 1: nothing migrated without its copy
