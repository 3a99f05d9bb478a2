"""Triage decisions in the library: every action, its undo, and undo after a restart."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from river_tui.domain import TriageState
from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.store.library import Library, LibraryError, PaperFilter

from conftest import seed

AS_OF = date(2026, 11, 22)
BEAT = "Frontier capability"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with Library.open(path, load_settings().beats) as lib:
        import_file(lib, seed("002"), AS_OF)
    return path


def open_library(db: Path) -> Library:
    return Library.open(db, load_settings().beats)


def first_pk(lib: Library, query: str) -> int:
    return lib.papers(PaperFilter(query=query))[0].pk


def test_each_action_and_its_undo(db: Path) -> None:
    with open_library(db) as lib:
        pk = first_pk(lib, "TempFlow")
        record = lambda: lib.record(pk)  # noqa: E731
        assert lib.set_state(pk, TriageState.READ)
        assert lib.set_starred(pk, True)
        assert lib.add_tag(pk, "#Flow Models")
        assert lib.assign_beat(pk, "Interpretability")
        assert lib.set_state(pk, TriageState.SKIPPED)
        r = record()
        assert (r.state, r.starred, r.user_tags) == (TriageState.SKIPPED, True, ("flow-models",))
        assert lib.count(PaperFilter(beat="Interpretability")) >= 1

        undone = [d.describe() for _ in range(5) for d in lib.undo()]
        assert undone == [
            "read → skipped",
            "put on Interpretability",
            "tagged #flow-models",
            "starred",
            "new → read",
        ]
        r = record()
        assert (r.state, r.starred, r.user_tags) == (TriageState.NEW, False, ())
        assert lib.undo() == []  # nothing left to undo


def test_undo_works_after_a_restart(db: Path) -> None:
    with open_library(db) as lib:
        pk = first_pk(lib, "CAPO")
        lib.set_state(pk, TriageState.ARCHIVED)
        lib.set_starred(pk, True)
    with open_library(db) as lib:  # a new process would see the same file
        assert [d.describe() for d in lib.undo()] == ["starred"]
    with open_library(db) as lib:
        assert [d.describe() for d in lib.undo()] == ["new → archived"]
        record = lib.record(pk)
        assert (record.state, record.starred) == (TriageState.NEW, False)


def test_mark_all_is_one_undoable_action(db: Path) -> None:
    with open_library(db) as lib:
        lone = first_pk(lib, "CAPO")
        lib.set_state(lone, TriageState.ARCHIVED)
        changed = lib.mark_all(PaperFilter(), TriageState.READ)
        assert changed == 6
        assert lib.count(PaperFilter(state=TriageState.READ)) == 6
        assert len(lib.undo()) == 6
        assert lib.count(PaperFilter(state=TriageState.NEW)) == 5
        assert lib.record(lone).state is TriageState.ARCHIVED  # the earlier action stands
        assert [d.describe() for d in lib.undo()] == ["new → archived"]


def test_a_no_op_is_not_logged_and_removals_are(db: Path) -> None:
    with open_library(db) as lib:
        pk = first_pk(lib, "CAPO")
        assert not lib.set_state(pk, TriageState.NEW)
        assert not lib.remove_tag(pk, "absent")
        assert lib.add_tag(pk, "x") and not lib.add_tag(pk, "X")
        assert lib.remove_tag(pk, "x")
        assert [d.describe() for d in lib.undo()] == ["untagged #x"]
        assert lib.record(pk).user_tags == ("x",)


def test_unknown_beat_is_refused(db: Path) -> None:
    with open_library(db) as lib, pytest.raises(LibraryError, match="no beat named 'Nope'"):
        lib.assign_beat(first_pk(lib, "CAPO"), "Nope")


def test_the_decision_log_is_append_only(db: Path) -> None:
    with open_library(db) as lib:
        lib.set_state(first_pk(lib, "CAPO"), TriageState.READ)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            lib.conn.execute("UPDATE decisions SET after = 'skipped'")
        lib.undo()
        rows = lib.conn.execute("SELECT before, after, undoes FROM decisions ORDER BY id")
        assert [tuple(r) for r in rows] == [("new", "read", None), ("read", "new", 1)]


def test_a_beat_assigned_by_hand_counts_and_shows(db: Path) -> None:
    with open_library(db) as lib:
        pk = first_pk(lib, "TempFlow")
        before = lib.beat_counts().get("Interpretability", (0, 0))
        lib.assign_beat(pk, "Interpretability")
        assert lib.beat_counts()["Interpretability"] == (before[0] + 1, before[1] + 1)
        record = lib.record(pk)
        assert "Interpretability" in record.beats
        assert record.manual_beats == ("Interpretability",)
        assert "interpretability" in record.tags


def test_view_counts_agree_with_the_rows_they_count(db: Path) -> None:
    """``count_view`` answers state-only views from the triage table and every other view in
    one query; both must give what listing the view gives, including papers whose decision was
    undone back to new (a triage row that says ``new``)."""
    with open_library(db) as lib:
        pks = [p.pk for p in lib.papers()]
        lib.set_state(pks[0], TriageState.READ)
        lib.set_state(pks[1], TriageState.SKIPPED)
        lib.set_state(pks[2], TriageState.ARCHIVED)
        lib.set_state(pks[3], TriageState.READ)
        lib.set_starred(pks[4], True)
        lib.set_state(pks[5], TriageState.READ)
        lib.undo()  # pks[5] has a triage row again saying new
        assert lib.record(pks[5]).state is TriageState.NEW
        views = [PaperFilter(), PaperFilter(starred=True), PaperFilter(beat=BEAT)]
        views += [PaperFilter(state=state) for state in TriageState]
        views += [PaperFilter(state=TriageState.NEW, query="model")]
        for flt in views:
            rows = lib.papers(flt)
            new = sum(p.state is TriageState.NEW for p in rows)
            assert lib.count_view(flt) == (len(rows), new), flt
            assert lib.count(flt) == len(rows), flt
        assert lib.count_view(PaperFilter(state=TriageState.NEW)) == (len(pks) - 4, len(pks) - 4)
        assert lib.count_view(PaperFilter(state=TriageState.READ)) == (2, 0)
