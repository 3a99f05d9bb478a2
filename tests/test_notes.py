"""A paper's note (schema step 15): stored as user state, undone like a decision, searched
with ``note:`` and ``has:note``, carried by the JSON backup, shown and written by the command
line. The reader's keys for it: test_ui_notes.py."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from test_reader_support import session_on

from river_tui.domain import ArxivId, Discovery, Paper, QueryError, TriageState
from river_tui.domain.notes import NOTE_MAX_BYTES, NoteTooLong, clean_note
from river_tui.domain.papers import DETAIL
from river_tui.domain.query import Field, Term, parse
from river_tui.domain.triage import Action
from river_tui.reader.notes import EditorError, edit_in_editor
from river_tui.settings import SettingsError, editor_command, load_settings
from river_tui.sources import ParseError
from river_tui.sources.backup import read_backup
from river_tui.store import ingest, migrations, triage
from river_tui.store.db import connect, transaction
from river_tui.store.library import Library, PaperFilter

from conftest import one_line, run_river

QUOKKA = "2601.00001"
MARMOT = "2601.00002"
PLAIN = "2601.00003"
NOTE = "Revisit the *assignments*:\n\n    policies = look_wrong()\n\n- check the baseline"


def paper(number: str, title: str, abstract: str = "") -> Paper:
    return Paper(title, abstract=abstract, arxiv=ArxivId(number, 1), published=date(2026, 1, 2))


PAPERS = (
    paper(QUOKKA, "Quokka Policies", "Credit assignment for quokkas."),
    paper(MARMOT, "Marmot Baselines", "A baseline for marmots."),
    paper(PLAIN, "A Plain Paper", "Nothing here is noted, revisit nothing."),
)


def seen() -> Discovery:
    return Discovery("test", datetime.now(UTC), origin="test")


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.db", load_settings().beats) as lib:
        for p in PAPERS:
            lib.upsert_paper(p, seen())
        yield lib


def pk_of(lib: Library, paper_id: str) -> int:
    pk = lib.resolve(paper_id)
    assert pk is not None
    return pk


def ids(lib: Library, query: str, type_ahead: bool = False) -> list[str]:
    flt = PaperFilter(query=query, type_ahead=type_ahead)
    found = [p.id for p in lib.papers(flt)]
    assert lib.count(flt) == len(found)
    return sorted(found)


# -- the note as stored --------------------------------------------------------------------------


def test_a_note_is_kept_as_typed_but_inert() -> None:
    typed = "\n\n  indented first line\x1b]0;PWNED\x07\n\n\tand a tab \u202eend  \n\n\n"
    assert clean_note(typed) == "  indented first line\n\n\tand a tab end"
    assert clean_note("   \n\t\n") == ""
    assert clean_note("e\u0301") == "\u00e9"  # NFC: one code point
    assert clean_note("x" * NOTE_MAX_BYTES) == "x" * NOTE_MAX_BYTES
    with pytest.raises(NoteTooLong, match="at most 100 kB and this one is 101 kB"):
        clean_note("é" * (NOTE_MAX_BYTES // 2 + 1))  # characters of two bytes each


def test_written_read_cleared_and_each_save_undone(library: Library) -> None:
    pk = pk_of(library, QUOKKA)
    assert library.note(pk) == "" and library.record(pk).note == ""
    assert library.set_note(pk, NOTE + "\n\n")
    assert library.note(pk) == NOTE and library.record(pk).note == NOTE
    assert not library.set_note(pk, NOTE)  # the same note: nothing written, nothing logged
    assert library.set_note(pk, "Second thoughts.")
    assert library.set_note(pk, "")
    assert library.conn.execute("SELECT COUNT(*) FROM paper_notes").fetchone()[0] == 0
    # Each save is a decision; u takes them back one at a time, newest first.
    (cleared,) = library.undo()
    assert (cleared.action, cleared.undone()) == (Action.NOTE, "note put back")
    assert library.note(pk) == "Second thoughts."
    (edited,) = library.undo()
    assert (edited.describe(), edited.undone()) == ("note edited", "note back as it was")
    assert library.note(pk) == NOTE
    (written,) = library.undo()
    assert (written.describe(), written.undone()) == ("note written", "note removed again")
    assert library.note(pk) == ""
    library.conn.execute("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')")


def test_a_note_too_long_writes_nothing(library: Library) -> None:
    pk = pk_of(library, QUOKKA)
    library.set_note(pk, "Kept.")
    with pytest.raises(NoteTooLong):
        library.set_note(pk, "x" * (NOTE_MAX_BYTES + 1))
    assert library.note(pk) == "Kept."
    assert [d.describe() for d in library.last_undoable()] == ["note written"]


def test_a_refresh_never_touches_a_note(library: Library) -> None:
    pk = pk_of(library, QUOKKA)
    library.set_note(pk, NOTE)
    newer = Paper(
        "Quokka Policies, Revised",
        abstract="A new abstract.",
        arxiv=ArxivId(QUOKKA, 2),
        published=date(2026, 1, 2),
    )
    assert library.upsert_paper(newer, seen()).pk == pk
    record = library.record(pk)
    assert (record.paper.version, record.note) == (2, NOTE)


def test_the_detail_reads_a_huge_note_in_part(library: Library) -> None:
    """A note of a megabyte (written with sqlite3: River saves at most 100 kB) is read cut
    for the detail pane, which says how long it is; a whole read has it all."""
    pk = pk_of(library, QUOKKA)
    huge = "word " * 200_000
    with library.transaction():
        library.conn.execute(
            "INSERT INTO paper_notes(paper_pk, text, updated_at) VALUES (?, ?, 'now')", (pk, huge)
        )
    shown = library.record(pk, DETAIL)
    assert len(shown.note) == DETAIL.note and shown.sizes["note"] == len(huge)
    assert library.record(pk).note == huge


# -- schema step 15 ----------------------------------------------------------------------------


def test_a_step_14_library_keeps_its_decisions_and_takes_notes(tmp_path: Path) -> None:
    """Step 15 copies the decision log into a table that also takes notes: every row is kept
    as it was (ids, undos), it stays append-only, and an old decision is still undone."""
    path = tmp_path / "lib.db"
    conn = connect(path)
    assert migrations.migrate(conn, upto=14) == 14
    with transaction(conn):
        titles = ingest.TitleIndex(conn)
        pks = [ingest.upsert_paper(conn, p, seen(), [], titles).pk for p in PAPERS]
        triage.set_state(conn, pks[0], TriageState.READ)
        triage.decide(conn, Action.TAG, pks[1], "later")
        triage.mark(conn, pks, starred=True)
    with transaction(conn):
        triage.undo(conn)  # the batch of stars
    before = conn.execute("SELECT * FROM decisions ORDER BY id").fetchall()
    conn.close()

    with Library.open(path) as lib:
        assert lib.health().schema_version == migrations.LATEST
        after = lib.conn.execute("SELECT * FROM decisions ORDER BY id").fetchall()
        assert [tuple(r) for r in after] == [tuple(r) for r in before]
        assert lib.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            lib.conn.execute("UPDATE decisions SET after = 'x'")
        assert lib.set_note(pks[2], "A note.")
        assert [d.describe() for d in lib.undo()] == ["note written"]
        assert [d.describe() for d in lib.undo()] == ["tagged #later"]  # from before step 15
        assert lib.record(pks[1]).user_tags == ()
    assert (tmp_path / "lib.db.v14.bak").exists()


def test_the_reader_saves_says_and_refuses_in_one_line(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session's side of ``e`` (the editor itself: test_ui_notes.py)."""
    pk = pk_of(library, MARMOT)
    with session_on(Path(library.path)) as (session, executor, recorder):
        assert session.decisions.save_note(pk, "A thought.")
        assert session.decisions.save_note(pk, "A second thought.")
        assert not session.decisions.save_note(pk, "A second thought.\n")
        assert not session.decisions.save_note(pk, "x" * (NOTE_MAX_BYTES + 1))
        assert session.decisions.save_note(pk, "  ")
        assert recorder.notes == [
            "Note written. u undoes it.",
            "Note saved. u undoes it.",
            "The note is unchanged.",
            "Not saved: a note is at most 100 kB and this one is 101 kB.",
            "Note cleared. u undoes it.",
        ]
        assert recorder.told("library_changed") == 3  # the detail pane shows each save
        session.decisions.undo()
        executor.run_all()
        assert recorder.notes[-1].startswith("Undone: note put back")
    assert library.note(pk) == "A second thought."
    monkeypatch.setenv("RIVER_READ_ONLY", "1")
    with session_on(Path(library.path)) as (session, _executor, recorder):
        assert not session.decisions.save_note(pk, "Anything.")
        assert recorder.messages[-1] == (
            f"{library.path}: the library is read-only; nothing was changed",
            "error",
        )
    assert library.note(pk) == "A second thought."


# -- the search language -------------------------------------------------------------------------


def test_note_and_has_note_parse() -> None:
    assert parse('note:policies -note:"look wrong" has:NOTE').clauses == (
        Term(Field.NOTE, "policies", position=1),
        Term(Field.NOTE, "look wrong", negated=True, phrase=True, position=15),
        Term(Field.HAS, "note", position=34),
    )
    assert parse("note:assi", prefix_last=True).clauses == (
        Term(Field.NOTE, "assi", prefix=True, position=1),
    )
    assert str(parse("x has:no", prefix_last=True)) == "x"  # on its way to has:note
    assert str(parse("x note:—")) == "x"  # nothing to search for
    with pytest.raises(QueryError, match="has:nothing is unknown at 5; has: takes note"):
        parse("has:nothing")


def test_note_searches_notes_only_and_a_bare_word_never_does(library: Library) -> None:
    quokka, marmot = pk_of(library, QUOKKA), pk_of(library, MARMOT)
    library.set_note(quokka, NOTE)
    library.set_note(marmot, "Compare with the quokka paper.")
    assert ids(library, "note:policy") == [QUOKKA]  # stemmed, as a bare word is
    assert ids(library, 'note:"look wrong"') == [QUOKKA]
    assert ids(library, "note:quokka") == [MARMOT]  # its note, not its title
    assert ids(library, "-note:quokka") == [QUOKKA, PLAIN]
    assert ids(library, "note:quokka OR note:baseline") == [QUOKKA, MARMOT]
    assert ids(library, "revisit") == [PLAIN]  # the quokka paper's note says it too
    assert ids(library, "has:note") == [QUOKKA, MARMOT]
    assert ids(library, "-has:note") == [PLAIN]
    assert ids(library, "note:revisit -has:note") == []
    # As typed: the word under the cursor is a prefix, past a stem too ("assignm"*).
    assert ids(library, "note:revi", type_ahead=True) == [QUOKKA]
    assert ids(library, "note:assignm", type_ahead=True) == [QUOKKA]
    library.set_note(quokka, "")
    assert ids(library, "note:policy") == []


def test_river_list_query_takes_note(library: Library) -> None:
    library.set_note(pk_of(library, MARMOT), "read again")
    result = run_river("--db", library.path, "list", "--query", "note:again", "--json")
    assert result.returncode == 0, result.stderr
    assert [p["id"] for p in json.loads(result.stdout)] == [MARMOT]


# -- the JSON backup -----------------------------------------------------------------------------


def test_a_note_round_trips_through_the_json_backup(library: Library, tmp_path: Path) -> None:
    library.set_note(pk_of(library, QUOKKA), NOTE)
    first = run_river("--db", library.path, "export", "json")
    assert first.returncode == 0, first.stderr
    papers = {p["id"]: p for p in json.loads(first.stdout)["papers"]}
    assert papers[QUOKKA]["note"] == NOTE and "note" not in papers[PLAIN]
    backup = tmp_path / "backup.json"
    backup.write_text(first.stdout, encoding="utf-8")

    other = tmp_path / "other.db"
    with Library.open(other) as lib:  # a note there already: the backup's replaces it
        lib.upsert_paper(PAPERS[0], seen())
        lib.set_note(pk_of(lib, QUOKKA), "An older thought.")
    restored = run_river("--db", str(other), "import", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert run_river("--db", str(other), "export", "json").stdout == first.stdout
    with Library.open(other) as lib:
        assert lib.note(pk_of(lib, QUOKKA)) == NOTE
        assert lib.note(pk_of(lib, PLAIN)) == ""
        assert "note edited" in [d.describe() for d in lib.last_undoable()]  # one action
        lib.undo()
        assert lib.note(pk_of(lib, QUOKKA)) == "An older thought."


def test_a_note_is_the_bibtex_entrys_note(library: Library) -> None:
    """``river export bibtex`` writes the reader's note in its entry's ``note``, read back by
    bibtexparser; a paper without one has none."""
    import bibtexparser

    library.set_note(pk_of(library, QUOKKA), "Read {this} twice: 50% & more.")
    exported = run_river("--db", library.path, "export", "bibtex")
    assert exported.returncode == 0, exported.stderr
    entries = {e["eprint"]: e for e in bibtexparser.parse_string(exported.stdout).entries}
    assert entries[QUOKKA]["note"] == r"Read \{this\} twice: 50\% \& more."
    assert "note" not in entries[PLAIN].fields_dict


@pytest.mark.parametrize(
    ("note", "said"),
    [(["a list"], "note is not a string"), ("x" * (NOTE_MAX_BYTES + 1), "at most 100 kB")],
    ids=["not-text", "too-long"],
)
def test_a_backup_with_a_bad_note_is_refused_whole(
    library: Library, note: object, said: str
) -> None:
    document = json.loads(run_river("--db", library.path, "export", "json").stdout)
    document["papers"][0]["note"] = note
    with pytest.raises(ParseError, match=f"not a valid River backup: a bad paper note .*{said}"):
        read_backup(json.dumps(document))


# -- the command line ------------------------------------------------------------------------------


def test_river_note_writes_prints_reads_stdin_and_clears(library: Library) -> None:
    db = library.path
    empty = run_river("--db", db, "note", QUOKKA)
    assert (empty.returncode, empty.stdout, empty.stderr) == (
        0,
        "",
        f"river: {QUOKKA} has no note\n",
    )
    written = run_river("--db", db, "note", QUOKKA, "First *thought*.")
    assert written.returncode == 0, written.stderr
    assert written.stdout == (
        f"Note on {QUOKKA} written: 16 characters (u in the reader undoes it).\n"
    )
    assert run_river("--db", db, "note", f"arXiv:{QUOKKA}v1").stdout == "First *thought*.\n"
    piped = run_river("--db", db, "note", QUOKKA, "-", stdin=NOTE + "\n")
    assert piped.stdout.startswith(f"Note on {QUOKKA} saved: ")
    assert run_river("--db", db, "note", QUOKKA).stdout == NOTE + "\n"
    same = run_river("--db", db, "note", QUOKKA, "-", stdin=NOTE)
    assert same.stdout == f"The note on {QUOKKA} is unchanged.\n"
    shown = run_river("--db", db, "show", QUOKKA)
    assert "\nNote\n  Revisit the *assignments*:\n\n      policies = look_wrong()\n" in shown.stdout
    as_json = json.loads(run_river("--db", db, "show", QUOKKA, "--json").stdout)
    assert as_json["note"] == NOTE
    cleared = run_river("--db", db, "note", QUOKKA, "--clear")
    assert cleared.stdout == f"Note on {QUOKKA} cleared (u in the reader undoes it).\n"
    assert "\nNote\n" not in run_river("--db", db, "show", QUOKKA).stdout
    assert library.note(pk_of(library, QUOKKA)) == ""
    assert [d.describe() for d in library.undo()] == ["note cleared"]


def test_river_note_refuses_in_one_line_and_changes_nothing(library: Library) -> None:
    db = library.path
    run_river("--db", db, "note", QUOKKA, "Kept.")
    unknown = run_river("--db", db, "note", "2601.99999", "x")
    assert unknown.returncode == 2
    assert one_line(unknown.stderr).startswith("river: no paper with id '2601.99999'")
    huge = run_river("--db", db, "note", QUOKKA, "-", stdin="x" * (NOTE_MAX_BYTES + 1))
    assert huge.returncode == 2
    assert one_line(huge.stderr) == (
        "river: a note is at most 100 kB and this one is 101 kB; nothing changed"
    )
    both = run_river("--db", db, "note", QUOKKA, "x", "--clear")
    assert both.returncode == 2 and "not allowed with" in both.stderr
    no_editor = run_river("--db", db, "note", QUOKKA, "--edit", env={"VISUAL": "", "EDITOR": ""})
    assert one_line(no_editor.stderr) == "river: --edit needs $VISUAL or $EDITOR; nothing changed"
    assert library.note(pk_of(library, QUOKKA)) == "Kept."


APPEND = ["sh", "-c", 'printf "and more\\n" >> "$1"', "editor"]
"""An editor that adds a line to the file it is given."""


def test_river_note_edit_runs_the_readers_editor(library: Library) -> None:
    db = library.path
    run_river("--db", db, "note", QUOKKA, "One line.")
    editor = " ".join(f"'{word}'" for word in APPEND)
    edited = run_river("--db", db, "note", QUOKKA, "--edit", env={"VISUAL": editor})
    assert edited.returncode == 0, edited.stderr
    assert library.note(pk_of(library, QUOKKA)) == "One line.\nand more"
    failing = run_river("--db", db, "note", QUOKKA, "--edit", env={"VISUAL": "false"})
    assert failing.returncode == 1
    assert one_line(failing.stderr) == (
        "river: the editor 'false' ended with status 1; the note is unchanged"
    )


# -- the reader's editor -------------------------------------------------------------------------


def test_the_editor_command_is_visual_then_editor_split_as_a_shell_does() -> None:
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vi"}) == ("code", "--wait")
    assert editor_command({"VISUAL": " ", "EDITOR": "'my editor' -n"}) == ("my editor", "-n")
    assert editor_command({"EDITOR": "vi 'unclosed"}) == ("vi 'unclosed",)
    assert editor_command({}) == ()


def test_note_editor_setting_is_editor_or_in_app(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    env = {"RIVER_CONFIG_DIR": str(config), "RIVER_DATA_DIR": str(tmp_path), "EDITOR": "vi"}
    assert load_settings(env=env).reader.note_editor == "editor"
    (config / "config.toml").write_text('[reader]\nnote_editor = "in-app"\n', encoding="utf-8")
    reader = load_settings(env=env).reader
    assert (reader.note_editor, reader.editor) == ("in-app", ("vi",))
    (config / "config.toml").write_text('[reader]\n\nnote_editor = "vim"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"config.toml:3: key 'reader.note_editor': expected "):
        load_settings(env=env)


def test_edit_in_editor_gives_back_what_the_editor_left(tmp_path: Path) -> None:
    assert edit_in_editor("One line.", APPEND) == "One line.\nand more\n"
    seen_files: list[str] = []

    def run(command: list[str]) -> int:
        seen_files.append(command[-1])
        return 1

    with pytest.raises(EditorError, match="ended with status 1"):
        edit_in_editor("text", ["vi"], run)
    assert not Path(seen_files[0]).exists()  # the file is removed, whatever happened
    with pytest.raises(EditorError, match="could not start the editor 'no-such-editor-x'"):
        edit_in_editor("text", ["no-such-editor-x"])
