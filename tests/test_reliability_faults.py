"""Faults: a full disk, a damaged or truncated file, a read-only library, a bad config.

Each is one clear line (no traceback), and nothing already stored changes. A network that is
down or a source that hangs are covered in tests/test_refresh.py and tests/test_http.py.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from reliability.libcheck import integrity, snapshot

from river_tui import cli
from river_tui.domain import ArxivId, Discovery, Paper, TriageState
from river_tui.importing import ImportFailure, import_file
from river_tui.refresh import Refresher, Source, make_fetcher, plan
from river_tui.settings import SourceSettings
from river_tui.store.library import Library, LibraryError

from conftest import FIXTURES, one_line, run_river, seed
from httpserver import FakeClock, LocalServer, local_server

__all__ = ["local_server"]

NEW_FILES = [
    FIXTURES / "arxiv_api_query_cat_cs.LG_OR_cs.AI_20_entries.xml",
    FIXTURES / "hf_daily_papers_2026-06-12_sotawhat.json",
]


def river(*args: str, db: Path, env: dict[str, str] | None = None):
    return run_river("--db", str(db), *args, env=env)


def page_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()


# -- a full disk ---------------------------------------------------------------------------------


def test_a_full_disk_during_river_import_is_one_line_per_file_and_changes_nothing(
    db: Path,
) -> None:
    before = snapshot(db)
    full = {"RIVER_MAX_PAGE_COUNT": str(page_count(db))}

    result = river("import", *map(str, NEW_FILES), db=db, env=full)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(NEW_FILES) and "Traceback" not in result.stderr
    for path, line in zip(NEW_FILES, lines, strict=True):
        assert line == (
            f"river: {path}: not imported: {db}: the library is full: no space left on its disk "
            "(or its size limit is reached); nothing was changed"
        )
    assert snapshot(db) == before
    assert integrity(db) == ["ok"]
    # With room again, the same files import: they were fine, the disk was not.
    again = river("import", *map(str, NEW_FILES), db=db)
    assert again.returncode == 0, again.stderr
    assert "20 new" in again.stdout


def test_a_full_disk_during_a_refresh_stops_it_and_changes_nothing(
    db: Path, tmp_path: Path, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    local_server.route_file("/api/daily_papers", NEW_FILES[1])
    settings = SourceSettings(hf_url=local_server.url, contact="tests@example.org")
    before = snapshot(db)
    monkeypatch.setenv("RIVER_MAX_PAGE_COUNT", str(page_count(db)))

    with (
        Library.open(db) as lib,
        make_fetcher(settings, tmp_path, FakeClock()) as fetcher,
        pytest.raises(LibraryError, match="the library is full"),
    ):
        Refresher(lib, fetcher, settings).run(plan([], settings, source=Source.HF))

    assert snapshot(db) == before


def test_a_full_disk_in_a_reader_action_is_a_library_error(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIVER_MAX_PAGE_COUNT", str(page_count(db)))
    with Library.open(db) as lib:
        pk = lib.papers()[0].pk
        before = snapshot(db)
        # One action that needs room: a long run of tags in one transaction.
        with pytest.raises(LibraryError, match="the library is full"), lib.transaction():
            for k in range(2000):
                lib.add_tag(pk, f"a-long-tag-to-fill-the-page-{k:05d}-" + "x" * 40)
        assert lib.find(lib.papers()[0].id).user_tags == before_tags(before, pk)
        lib.set_state(pk, TriageState.SKIPPED)  # the library still works for small writes
    assert snapshot(db)["decisions"] != before["decisions"]


def before_tags(snap: dict[str, list[tuple]], pk: int) -> tuple[str, ...]:
    return tuple(sorted(row[1] for row in snap["paper_tags"] if row[0] == pk))


# -- a damaged or truncated file -----------------------------------------------------------------


def papers_pages(path: Path) -> tuple[int, list[int]]:
    """The page size, and the pages of the papers table: its root first, then the rest in order."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'papers'").fetchone()
        rows = conn.execute("SELECT pageno FROM dbstat WHERE name = 'papers' ORDER BY pageno")
        return size, [root[0], *(page for (page,) in rows if page != root[0])]
    finally:
        conn.close()


def damaged(source: Path, target: Path, how: str) -> Path:
    data = bytearray(source.read_bytes())
    rng = random.Random(how)
    if how == "garbage after a valid header":
        data = data[:100] + bytes(rng.randrange(256) for _ in range(64 * 1024))
    elif how.startswith("truncated to "):
        keep = {"half": len(data) // 2, "a tenth": len(data) // 10, "one page": 4096}
        data = data[: keep[how.removeprefix("truncated to ")]]
    elif how == "pages of the papers table overwritten":
        # Its root (every lookup of a paper goes through it) and four pages from the middle of
        # its rows. Damage elsewhere, in the full-text index say, goes unnoticed by a command
        # that does not read it (`river doctor` reads every page).
        size, pages = papers_pages(source)
        middle = len(pages) // 2
        for page in [pages[0], *pages[middle : middle + 4]]:
            data[(page - 1) * size : page * size] = bytes(rng.randrange(256) for _ in range(size))
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("journal", ["wal", "delete"])
@pytest.mark.parametrize(
    "how",
    [
        "garbage after a valid header",
        "truncated to half",
        "truncated to a tenth",
        "truncated to one page",
        "pages of the papers table overwritten",
    ],
)
def test_a_damaged_library_is_one_line_and_left_alone(
    db: Path, tmp_path: Path, how: str, journal: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``journal``: a library River has used (WAL), or a copy ``river backup`` made (rollback
    journal: River would switch it to WAL, rewriting its header, if it did not check first)."""
    if journal == "wal":
        Library.open(db).close()
    broken = damaged(db, tmp_path / "broken.db", how)
    before = broken.read_bytes()

    for args in (["list"], ["doctor"], ["show", "2601.00001"]):
        status = cli.main(["--db", str(broken), *args])
        out, err = capsys.readouterr()
        assert status != 0, (args, out, err)
        assert "Traceback" not in err and "internal error" not in err
        if args[0] == "show" and "no paper with id" in err:
            pass  # the pages this lookup read were intact: a plain "not found"
        elif err.strip():
            line = one_line(err)
            assert str(broken) in line and "damaged" in line
        else:  # `river doctor` could open it, and reports what integrity_check found
            assert args == ["doctor"] and "UNHEALTHY" in out
        assert broken.read_bytes() == before, args


# -- a read-only library -------------------------------------------------------------------------


def check_read_only_cli(db: Path, env: dict[str, str] | None = None) -> None:
    """Reads work as usual; a write is one line saying the library is read-only."""
    listed = river("list", db=db, env=env)
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) > 50
    first_id = river("list", "--json", "--limit", "1", db=db, env=env)
    shown = river("show", first_id.stdout.split('"id": "')[1].split('"')[0], db=db, env=env)
    assert shown.returncode == 0, shown.stderr

    imported = river("import", str(NEW_FILES[0]), db=db, env=env)

    assert imported.returncode == 1
    assert one_line(imported.stderr) == (
        f"river: {NEW_FILES[0]}: not imported: {db}: the library is read-only; nothing was changed"
    )
    doctor = river("doctor", "--json", db=db, env=env)
    assert '"read_only": true' in doctor.stdout


def test_river_read_only_env_opens_the_library_read_only(db: Path) -> None:
    before = db.read_bytes()
    check_read_only_cli(db, {"RIVER_READ_ONLY": "1"})
    assert db.read_bytes() == before


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``chattr +i``: not even root may write it. Skips the test where that is not possible."""
    if shutil.which("chattr") is None:
        pytest.skip("no chattr here")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not allowed here (no CAP_LINUX_IMMUTABLE, or the filesystem)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_library_file_nobody_may_write_opens_read_only(db: Path) -> None:
    before = db.read_bytes()
    with immutable(db):
        check_read_only_cli(db)
    assert db.read_bytes() == before


def test_a_library_in_a_folder_nobody_may_write_opens_read_only(tmp_path: Path, db: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    moved = folder / "library.db"
    shutil.move(db, moved)
    before = moved.read_bytes()
    with immutable(folder):
        check_read_only_cli(moved)
    assert moved.read_bytes() == before


def test_a_library_river_may_not_write_is_opened_read_only(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(db)
    monkeypatch.setattr(os, "access", lambda _path, _mode: False)
    with Library.open(db) as lib:
        assert lib.read_only
        pk = lib.papers()[0].pk
        assert lib.record(pk) is not None
        with pytest.raises(LibraryError, match="the library is read-only; nothing was changed"):
            lib.set_state(pk, TriageState.ARCHIVED)
        with pytest.raises(ImportFailure, match="the library is read-only"):
            import_file(lib, seed("002"), date(2026, 11, 22))
    assert snapshot(db) == before


def test_a_read_only_library_from_an_older_river_is_a_clear_error(tmp_path: Path) -> None:
    from river_tui.store.db import connect
    from river_tui.store.migrations import migrate

    path = tmp_path / "old.db"
    conn = connect(path)
    migrate(conn, upto=2)
    conn.close()
    with pytest.raises(LibraryError, match=r"read-only and has schema version 2 \(this River"):
        Library.open(path, read_only=True)


# -- a missing or malformed config ---------------------------------------------------------------


def config_dir() -> Path:
    folder = Path(os.environ["RIVER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_no_config_at_all_means_the_defaults(tmp_path: Path) -> None:
    shutil.rmtree(os.environ["RIVER_CONFIG_DIR"], ignore_errors=True)
    result = river("doctor", db=tmp_path / "x.db")
    assert (result.returncode, result.stderr) == (0, "")
    assert "data/beats.toml" in result.stdout  # the bundled beats


DEEP = 50_000
DEEP_TOML = {  # tomllib recurses into each level: a RecursionError, an internal error before
    "arrays": b"x = " + b"[" * DEEP + b"]" * DEEP + b"\n",
    "inline-tables": b"x = " + b"{a = " * DEEP + b"1" + b"}" * DEEP + b"\n",
    "in-a-beat": b'[[beat]]\nname = "A"\ninclude = ' + b"[" * DEEP + b"]" * DEEP + b"\n",
}


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("beats.toml", b'[[beat]]\nname = "A"\nbroken line\n', "(at line 3, column 8)"),
        ("beats.toml", b"", "beats.toml:1: key 'beat': expected one or more [[beat]] tables"),
        ("beats.toml", b'[[beat]]\nname = "\xff"\n', "not UTF-8 text"),
        ("config.toml", b"[sources\ncontact = 1\n", "(at line 1, column 9)"),
        ("config.toml", b'[badges]\nvocabulary = ["\xc3"]\n', "not UTF-8 text"),
        *[
            pytest.param(name, content, "arrays or tables nested too deeply", id=f"{name}-{shape}")
            for name in ("beats.toml", "config.toml")
            for shape, content in DEEP_TOML.items()
        ],
    ],
)
def test_a_malformed_config_is_one_line_naming_the_file(
    tmp_path: Path, name: str, content: bytes, needle: str
) -> None:
    path = config_dir() / name
    path.write_bytes(content)
    result = river("list", db=tmp_path / "x.db")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert str(path) in line and needle in line
    assert not (tmp_path / "x.db").exists()  # nothing was opened, let alone created


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        pytest.param(DEEP_TOML["arrays"], "arrays or tables nested too deeply", id="deep"),
        pytest.param(b'as_of = "someday"\n', "expected as_of = the date", id="not-a-date"),
        pytest.param(b"", "expected as_of = the date the pages were saved", id="empty"),
        pytest.param(b"as_of = [\n", "Invalid value (at end of document)", id="not-toml"),
    ],
)
def test_a_damaged_sample_manifest_is_one_line_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, needle: str
) -> None:
    """The manifest dates the bundled sample pages; the reader imports them into an empty
    library and shows what failed in one line."""
    from river_tui import importing

    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "manifest.toml").write_bytes(content)
    monkeypatch.setattr(importing, "sample_dir", lambda: sample)
    with Library.open(tmp_path / "x.db") as lib, pytest.raises(ImportFailure) as caught:
        importing.seed_sample(lib)
    line = str(caught.value)
    assert line.startswith(f"{sample / 'manifest.toml'}: ") and needle in line
    assert "\n" not in line


# -- a regression found by the crash test ---------------------------------------------------------


def test_a_sighting_of_an_older_version_updates_signals_only(tmp_path: Path) -> None:
    """An HF sighting (no version) of a paper River has at v2 from arXiv used to raise
    KeyError('title') in the upsert: only the signals may change, and now do."""
    seen = Discovery("test", datetime.now(UTC))
    with Library.open(tmp_path / "lib.db") as lib:
        lib.upsert_paper(Paper(title="A paper", arxiv=ArxivId("2606.00001", 2)), seen)
        lib.upsert_paper(
            Paper(title="Another title", arxiv=ArxivId("2606.00001", None), upvotes=5), seen
        )
        record = lib.find("2606.00001")
    assert (record.paper.title, record.paper.upvotes, record.paper.version) == ("A paper", 5, 2)
