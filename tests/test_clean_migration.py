"""Schema step 9: a library written by an older River (raw text in its rows) is cleaned once,
when this River first opens it (issue 16, finding 3)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from reliability import planted
from reliability.libcheck import integrity, library_not_inert, snapshot

from river_tui import cli
from river_tui.store.library import Library, PaperFilter

from conftest import STEP_10

RAW = "Raw\x1b]0;OLD-PWNED\x07 \u202etext\x85\U000e0041"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return planted.build(tmp_path_factory.mktemp("planted") / "base.db")


def as_schema_8(db: Path) -> Path:
    """The library as River 8 left it: step 9 changes no table, only the rows' text; step 10's
    tables (what River learned) are not there yet."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM meta WHERE key LIKE 'migration.9%'")
    conn.executescript(STEP_10)
    conn.execute("PRAGMA user_version = 8")
    conn.close()
    return db


def execute(db: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    conn = sqlite3.connect(db)
    with conn:
        for sql, args in statements:
            conn.execute(sql, args)
    conn.close()


def rows(db: Path, sql: str, *args: object) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_an_old_librarys_raw_text_is_cleaned_once_when_it_is_opened(
    base: Path, tmp_path: Path
) -> None:
    db = as_schema_8(planted.copy(base, tmp_path / "library.db"))
    planted.plant(db, RAW)
    assert library_not_inert(db) != []  # what the older River left
    with Library.open(db) as lib:
        assert lib.migration_backup is not None
        assert lib.migration_backup.name == "library.db.v8.bak"
        summary = lib.get_meta("migration.9.cleaned")
    assert library_not_inert(db) == []
    assert integrity(db) == ["ok"]
    assert summary is not None and summary.startswith(tuple("123456789"))
    assert library_not_inert(tmp_path / "library.db.v8.bak") != []  # the copy is as it was
    # Cleaned as text is cleaned on the way in; the search index follows the titles.
    (title,) = rows(db, "SELECT title FROM papers WHERE id = ?", planted.PAPER)[0]
    assert title == "Title Raw text"
    with Library.open(db) as lib:
        assert [s.id for s in lib.papers(PaperFilter(query='ti:"raw text"'))] != []
    # Once: opening it again changes nothing.
    before = snapshot(db)
    with Library.open(db) as lib:
        assert lib.migration_backup is None
    assert snapshot(db) == before


def test_a_clean_library_is_left_as_it_was(base: Path, tmp_path: Path) -> None:
    db = as_schema_8(planted.copy(base, tmp_path / "library.db"))
    before = snapshot(db)
    with Library.open(db):
        pass
    after = snapshot(db)
    # Columns later steps add come last in a row (step 13: a claim's review, an event's
    # actor, a source's quoted version): the columns of schema 8 are compared.
    kept = {
        k: [row[: len(before[k][0])] for row in after[k]] if before[k] else after[k]
        for k in before
        if k != "meta"
    }
    assert kept == {k: v for k, v in before.items() if k != "meta"}
    assert all(after[k] == [] for k in set(after) - set(before))  # step 10's tables, empty
    assert "migration.9.cleaned" in dict(rows(db, "SELECT key, value FROM meta"))
    assert dict(rows(db, "SELECT key, value FROM meta"))["migration.9.cleaned"].startswith("0 rows")


def test_a_slug_and_the_claims_naming_it_are_cleaned_together(base: Path, tmp_path: Path) -> None:
    db = as_schema_8(planted.copy(base, tmp_path / "library.db"))
    dirty = planted.DOSSIER + "\x1b[31m"
    execute(
        db,
        ("PRAGMA foreign_keys = OFF", ()),
        ("UPDATE dossiers SET slug = ?", (dirty,)),
        ("UPDATE claims SET dossier_slug = ?", (dirty,)),
    )
    with Library.open(db) as lib:
        dossier = lib.dossier(planted.DOSSIER)
    assert dossier is not None and dossier.claims
    assert rows(db, "PRAGMA foreign_key_check") == []
    assert integrity(db) == ["ok"]


def test_rows_that_cleaning_makes_equal(base: Path, tmp_path: Path) -> None:
    """Two tags of one paper that differ only by an escape sequence become one; two dossiers
    whose slugs differ only so keep both: the dirty one keeps its slug (and its claims follow
    it), the rest of its text is cleaned."""
    db = as_schema_8(planted.copy(base, tmp_path / "library.db"))
    ((pk,),) = rows(db, "SELECT pk FROM papers WHERE id = ?", planted.PAPER)
    twin = planted.DOSSIER + "\x07"
    execute(
        db,
        ("PRAGMA foreign_keys = OFF", ()),
        ("INSERT INTO paper_tags VALUES (?, ?, '2026-01-01')", (pk, planted.TAG + "\x1b[0m")),
        (
            "INSERT INTO dossiers(slug, title, status, importance) VALUES (?, ?, 'seedling', 1)",
            (twin, "Twin\u202e"),
        ),
        (
            "INSERT INTO claims(dossier_slug, position, text, badge) VALUES (?, 1, ?, 'claim')",
            (twin, "A claim\x9b2J"),
        ),
    )
    with Library.open(db) as lib:
        assert lib.record(pk).user_tags.count(planted.TAG) == 1  # type: ignore[union-attr]
        assert lib.dossier(planted.DOSSIER) is not None
        kept = lib.dossier(twin)
        assert kept is not None and kept.title == "Twin"
        assert [c.text for c in kept.claims] == ["A claim"]
        summary = lib.get_meta("migration.9.cleaned")
    assert summary is not None and "1 merged, 1 kept their key" in summary
    assert rows(db, "PRAGMA foreign_key_check") == []


def test_the_append_only_logs_stay_append_only(base: Path, tmp_path: Path) -> None:
    db = as_schema_8(planted.copy(base, tmp_path / "library.db"))
    planted.plant(db, RAW)
    # Those of the tables a schema-8 library has (schema step 15 adds the notes' own).
    of_schema_8 = (
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' "
        "AND name NOT LIKE 'notes_fts%' ORDER BY 1"
    )
    triggers = rows(db, of_schema_8)
    with Library.open(db):
        pass
    assert rows(db, of_schema_8) == triggers
    for sql in ("UPDATE claim_events SET note = 'x'", "UPDATE decisions SET after = 'x'"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            execute(db, (sql, ()))
    # The planted event was cleaned, not dropped.
    assert ("Raw text",) in rows(db, "SELECT note FROM claim_events")


def test_every_text_column_has_its_rule(base: Path) -> None:
    """A text column step 9 had no rule for would only lose its controls (its rule unknown):
    every column of the schema it cleans is named in ``clean_rows.COLUMNS``."""
    from river_tui.store.clean_rows import COLUMNS

    conn = sqlite3.connect(base)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'papers_fts%' "
                "AND name NOT LIKE 'notes_fts%'"
            )
        ]
        for table in tables:
            text = {
                r[1] for r in conn.execute(f"PRAGMA table_info({table})") if "TEXT" in r[2].upper()
            }
            assert text <= set(COLUMNS.get(table, {})), (table, text - set(COLUMNS[table]))
    finally:
        conn.close()


def test_river_show_on_an_old_library_prints_the_link_clean(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report's case end to end: an older River's library, opened by ``river show``."""
    db = as_schema_8(planted.copy(base, tmp_path / "library.db"))
    planted.plant(db, RAW)
    assert cli.main(["--db", str(db), "show", planted.PAPER]) == 0
    out = capsys.readouterr().out
    assert "https://github.com/x/y\n" in out
    ((links,),) = rows(db, "SELECT links FROM papers WHERE id = ?", planted.PAPER)
    assert '"url": "https://github.com/x/y"' in links  # stored clean
