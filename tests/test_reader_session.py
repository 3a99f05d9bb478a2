"""The reader session without Textual: views, counts, reloads, triage and undo, sort and search,
and the one change signal. Each test drives a session over a real library file, its background
work run step by step in the test's thread (test_reader_support.StepExecutor)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_reader_support import Recorder, StepExecutor, open_library, session_on
from test_ui import BEAT, seeded_library

from river_tui.domain import TriageState
from river_tui.reader.executor import Lane
from river_tui.reader.rows import PAGE
from river_tui.reader.session import ReaderSession
from river_tui.reader.views import INBOX, NavKind, NavTarget
from river_tui.store.library import Library, LibraryError, PaperFilter
from river_tui.store.papers import Sort
from river_tui.ui.components.stream import rows_title
from river_tui.ui.render import count_title

NEW, READ, SKIPPED, ARCHIVED = (
    TriageState.NEW,
    TriageState.READ,
    TriageState.SKIPPED,
    TriageState.ARCHIVED,
)
ALL = NavTarget(NavKind.ALL)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The seeds imported once for the module (each test works on a copy)."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("RIVER_CONFIG_DIR", str(home / "config"))
        env.setenv("RIVER_DATA_DIR", str(home / "data"))
        yield seeded_library(tmp_path_factory.mktemp("seeded"))


@pytest.fixture
def db(seeded: Path, tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with open_library(seeded) as lib:
        lib.backup(path)
    return path


def title(session: ReaderSession) -> str:
    return rows_title(session.rows, session.own_order).plain


def state_of(db: Path, pk: int) -> tuple[TriageState, bool]:
    with open_library(db) as lib:
        record = lib.record(pk)
        assert record is not None
        return record.state, record.starred


def pks(session: ReaderSession) -> list[int]:
    rows = session.rows
    return [paper.pk for i in range(rows.count) if (paper := rows.paper_at(i)) is not None]


def refuse_here(library: Library, *methods: str) -> None:
    """Make ``methods`` of the session's own library fail: its background work uses
    connections of its own, so only a call on the session's thread reaches these."""

    def refuse(*_args: object) -> None:
        raise AssertionError(f"{', '.join(methods)} ran on the session's thread")

    for method in methods:
        setattr(library, method, refuse)


# -- views and their counts -------------------------------------------------------------------
def test_a_view_shows_its_first_page_and_is_counted_off_the_session_thread(db: Path) -> None:
    """Choosing a view fills the rows from its first page at once ("50+" in the title); the
    view is counted by a job on a connection of its own, never on the session's thread (a
    broad view of 100,000 papers takes 100 ms and more to count); leaving a search restores
    the view the same way."""
    with open_library(db) as lib:
        total = lib.count()
    assert total > PAGE
    with session_on(db) as (session, executor, _recorder):
        refuse_here(session.library, "count_view", "count")
        assert session.show_view(ALL)
        assert session.rows.counting and session.rows.count == PAGE
        assert title(session) == f"All papers · {PAGE}+"
        session.move_to(total - 1)
        assert session.cursor == PAGE - 1  # as far as the rows fetched, until counted
        session.count_view()
        executor.run_all()
        assert not session.rows.counting and session.rows.count == total
        assert title(session) == count_title("All papers", total, total).plain
        session.move_to(total - 1)
        assert session.cursor == total - 1
        session.search.type("policy")
        executor.run_all()
        assert session.rows.filter.query == "policy"
        session.clear_search()
        assert session.rows.filter == session.view_filter
        session.count_view()
        executor.run_all()
        assert session.rows.count == total


def test_counts_are_taken_only_for_the_rows_they_were_asked_for(db: Path) -> None:
    """Counts come a moment after the page. Another view's are ignored; if the rows changed
    meanwhile (a paper starred, or gone from the view), a count taken before may be one too
    many and would shift the pages read from the end: it is asked for again, for the rows as
    they are, and only that one is taken."""
    with session_on(db) as (session, executor, _recorder):
        assert session.show_view(ALL)
        flt, asked = session.rows.filter, session.rows.version
        session.take_counts(PaperFilter(query="other"), asked, (5, 5))  # another view's
        assert session.rows.counting and session.rows.count == PAGE
        session.move_to(3)
        session.decisions.star()
        assert session.rows.version != asked
        executor.lanes.clear()
        session.take_counts(flt, asked, (1000, 500))  # asked before the star
        assert session.rows.counting and session.rows.count == PAGE
        assert executor.lanes == [Lane.VIEW]  # asked again, for the rows as they are
        executor.run_all()
        assert not session.rows.counting and session.rows.count == 70 - 2


def test_a_view_of_more_papers_than_counted_at_once_says_so_first(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view bigger than ``COUNT_FIRST`` (ten thousand papers; 60 here) says "60+" as soon
    as its first 60 are counted, its rows reaching that far, then takes its whole count; one
    no bigger is counted in one go."""
    from river_tui.reader import session as session_module

    monkeypatch.setattr(session_module, "COUNT_FIRST", 60)
    with session_on(db) as (session, executor, recorder):
        titles: list[str] = []
        recorder.rows_changed = lambda kept_from=None: titles.append(title(session))
        assert session.show_view(ALL)
        session.search.type("-zzzz")  # every paper, counted as a search
        executor.run_all()
        total = session.library.count()
        assert total > 60 and session.rows.counting

        executor.held = []
        session.count_view()
        executor.run_next()
        more_than, whole = executor.held  # what the counting job sends, in turn
        executor.held = None
        more_than()
        assert titles[-1] == "All papers ⌕ -zzzz · 60+" and session.rows.counting
        session.move_to(59)
        assert session.cursor == 59  # the rows reach that far
        whole()
        assert titles[-1] == count_title("All papers", total, total, "-zzzz").plain
        assert not session.rows.counting and session.rows.count == total
        titles.clear()
        session.search.type("model")  # 56 papers: counted in one go
        executor.run_all()
        session.count_view()
        executor.run_all()
        assert titles == [count_title("All papers", 56, 56, "model").plain]


def test_the_navigation_is_counted_in_two_goes_and_keeps_its_numbers_meanwhile(
    db: Path,
) -> None:
    """The pane's counts come in two goes: every view's, then the saved searches' (each a
    count over the library of its own). Counted again after a decision, the first go keeps
    the numbers the searches had until theirs are in."""
    with session_on(db) as (session, executor, _recorder):
        with open_library(db) as lib:
            found = lib.count(PaperFilter(query="credit"))
            unread = lib.count(PaperFilter(state=NEW))
        executor.held = []
        session.search.save("credit work", "credit")
        executor.run_next(Lane.COUNTS)
        views, rest = executor.held
        views()
        counts = session.counts
        assert counts.partial and counts.unread == unread
        assert ("credit work", "credit") in [(name, q) for name, q, _found in counts.searches]
        rest()
        assert not session.counts.partial
        assert ("credit work", "credit", found) in session.counts.searches
        executor.held.clear()
        session.decisions.toggle_state(SKIPPED)  # one paper leaves the Inbox
        assert executor.pending(Lane.COUNTS) == 1
        executor.run_next(Lane.COUNTS)
        views, rest = executor.held[-2:]
        views()
        assert session.counts.unread == unread - 1 and not session.counts.partial
        assert ("credit work", "credit", found) in session.counts.searches  # kept meanwhile
        rest()
        assert ("credit work", "credit", found) in session.counts.searches


def test_a_saved_search_of_more_papers_than_counted_at_once_says_so_first(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A saved search of more than ``COUNT_FIRST`` papers (ten thousand; 5 here) is listed as
    "5+" as soon as its first papers are counted, then with its whole count; a smaller one is
    counted whole at once and kept meanwhile."""
    from river_tui.reader import session as session_module

    monkeypatch.setattr(session_module, "COUNT_FIRST", 5)
    with session_on(db) as (session, executor, _recorder):
        with open_library(db) as lib:
            broad = lib.count(PaperFilter(query="credit"))
            narrow = lib.count(PaperFilter(query="robot"))
        assert broad > 5 >= narrow > 0
        executor.held = []
        session.search.save("credit work", "credit")
        session.search.save("robots", "robot")
        executor.run_next(Lane.COUNTS)
        views, first, whole = executor.held
        views()
        first()
        counts = session.counts
        assert not counts.partial and counts.capped == 5
        shown = {name: counts.shown(found) for name, _q, found in counts.searches if found}
        assert shown == {"credit work": "5+", "robots": str(narrow)}
        whole()
        counts = session.counts
        assert counts.capped is None
        assert counts.searches == [("credit work", "credit", broad), ("robots", "robot", narrow)]
        assert counts.shown(broad) == str(broad)


def test_a_view_whose_count_fails_is_counted_here(db: Path) -> None:
    """If the counting job fails, the view is counted where it is shown rather than left at
    its first page ("50+", the cursor held to it); if a paper left the view while it was being
    counted, it is counted again."""
    with open_library(db) as lib:
        total = lib.count()
    with session_on(db) as (session, executor, _recorder):
        mine = session.library
        original = Library.count_view

        def only_here(self: Library, flt: PaperFilter) -> tuple[int, int]:
            if self is not mine:
                raise LibraryError("the disk said no")
            return original(self, flt)

        Library.count_view = only_here  # type: ignore[method-assign]
        try:
            assert session.show_view(ALL)
            session.count_view()
            executor.run_all()
        finally:
            Library.count_view = original  # type: ignore[method-assign]
        assert not session.rows.counting and session.rows.count == total

        # The Inbox, counted by the job; a paper leaves it meanwhile (skipped elsewhere).
        assert session.show_view(INBOX)
        session.count_view()
        first = session.rows.paper_at(0)
        assert first is not None
        mine.set_state(first.pk, SKIPPED)
        session.changed(first.pk)
        executor.run_all()
        with open_library(db) as lib:
            inbox = lib.count(PaperFilter(state=NEW))
        assert not session.rows.counting and session.rows.count == inbox


def test_every_view_shows_its_count_and_first_rows(db: Path) -> None:
    from datetime import UTC, datetime

    from test_ui_support import WEB_TITLE, WEB_URL, add_linked_papers
    from test_ui_views import FIRST_ROWS, decide_some, expected_view

    from river_tui.domain import Discovery, ItemKind, Paper, Source
    from river_tui.reader.views import view_filter

    add_linked_papers(db)
    decide_some(db)
    feed = "https://lab.example.org/blog/feed.xml"
    with open_library(db) as lib:  # the web item, sighted again by a refresh of a feed
        seen = Discovery(Source.FEED.discovery, datetime.now(UTC), Source.FEED.key(feed))
        lib.upsert_paper(Paper(title=WEB_TITLE, kind=ItemKind.WEB, url=WEB_URL), seen)
        assert lib.count(PaperFilter(feed=feed)) == 1
    with session_on(db) as (session, executor, _recorder):
        assert session.rows.label == "Inbox" and session.rows.filter.state is NEW
        counts = session.counts
        expected_counts = {
            NavKind.INBOX: 70 - 3,  # skipped, archived and read leave the inbox
            NavKind.FOR_YOU: 70 - 3,
            NavKind.STARRED: 2,
            NavKind.SKIPPED: 1,
            NavKind.ARCHIVED: 1,
            NavKind.ALL: 70,
        }
        for kind, count in expected_counts.items():
            assert counts.view_count(kind) == count, kind
        assert ("to-cite", 1) in counts.tags
        assert counts.cited == {"cited-dossier": 2, "training-methodology-frontier-shift": 0}
        targets = [
            *(NavTarget(kind) for kind in expected_counts),
            *(NavTarget(NavKind.SEARCH, name) for name, _query, _found in counts.searches),
            *(NavTarget(NavKind.BEAT, name) for name, _unread in counts.beats),
            *(NavTarget(NavKind.HIDDEN, name) for name, _unread in counts.beats),
            *(NavTarget(NavKind.TAG, tag) for tag, _unread in counts.tags),
            *(NavTarget(NavKind.DOSSIER, d.slug) for d in counts.dossiers),
            NavTarget(NavKind.AUTHOR, "R. Sutton"),
            NavTarget(NavKind.FEED, feed),
        ]
        # A view of similar papers is opened by `m` on a paper (test_ui_similar), not listed;
        # the claims under review are cards, as a river's posts are (test_ui_review).
        listed = set(NavKind) - {NavKind.RIVER, NavKind.DOSSIERS, NavKind.SIMILAR, NavKind.REVIEW}
        assert {t.kind for t in targets} == listed
        for target in targets:
            assert session.show_view(target)
            session.count_view()
            executor.run_all()
            flt = view_filter(target, counts)
            assert flt is not None
            count, unread, first = expected_view(db, flt)
            assert session.rows.count == count, target
            assert pks(session)[:FIRST_ROWS] == first
            assert (
                title(session)
                == count_title(session.rows.label, count, unread, flt.query or "").plain
            )


# -- reloads ----------------------------------------------------------------------------------
def test_a_reload_while_an_undo_finds_its_paper_keeps_that_paper(db: Path) -> None:
    """An undo's reload takes the cursor to the paper undone; a second reload asked for before
    the first is answered (another process's commit, a refresh landing) keeps going there.
    Before, it answered for the paper under the cursor instead, and the undo's move was lost
    (a test failed 1 time in 6 on it)."""
    with session_on(db) as (session, executor, _recorder):
        target = session.rows.paper_at(5)
        assert target is not None
        session.reload(focus_pk=target.pk)  # as an undo asks
        session.reload()  # asked before the first is answered
        executor.run_all()
        assert session.cursor == 5 and session.highlighted == target
        session.reload()  # once there, a reload keeps the cursor where it is
        executor.run_all()
        assert session.cursor == 5
        session.reload(focus_pk=target.pk)
        assert session.show_view(ALL)  # another view: nothing is pending
        session.reload()
        executor.run_all()
        assert session.cursor == 0


def test_a_cursor_move_while_a_reload_is_on_its_way_is_kept(db: Path) -> None:
    """A key that moves the cursor while a reload finds the paper to keep (a refresh landing,
    another process's commit) is not undone when the reload arrives: the paper kept is the one
    under the cursor then. Before, the cursor went back to the paper it was on when the reload
    was asked, and the key was lost (a Pilot test waited 10 s for its ``j``)."""
    with session_on(db) as (session, executor, _recorder):
        session.move_to(2)
        session.reload()
        session.move_to(3)  # the key, before the reload's answer
        moved_to = session.highlighted
        executor.run_all()
        assert session.cursor == 3 and session.highlighted == moved_to
        target = session.rows.paper_at(6)
        assert target is not None
        session.reload(focus_pk=target.pk)  # an undo's reload goes to its paper all the same
        session.move_to(1)
        executor.run_all()
        assert session.highlighted == target


def test_a_reload_that_failed_leaves_nothing_pending(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reload that could not be done (an error said) does not take the cursor, at the next
    reload, to where it was to go."""
    from river_tui.reader import session as session_module

    with session_on(db) as (session, executor, recorder):
        target = session.rows.paper_at(5)
        assert target is not None
        locate = session_module.locate

        def failing(*args: object, **kwargs: object) -> None:
            raise LibraryError("the disk went away")

        monkeypatch.setattr(session_module, "locate", failing)
        session.reload(focus_pk=target.pk)  # fails in the job, then here
        executor.run_all()
        assert any("Could not reload" in note for note in recorder.notes)
        monkeypatch.setattr(session_module, "locate", locate)
        session.move_to(2)
        session.reload()
        executor.run_all()
        assert session.cursor == 2


def test_a_reload_counts_and_finds_the_paper_off_the_session_thread(db: Path) -> None:
    """An undo reads the rows again: the view is counted and the paper found by a job, never on
    the session's thread (in a broad view of 100,000 papers that took 100-250 ms); the rows
    shown stay until the result arrives, then the cursor is on the paper the undo brought
    back, at the row it left."""
    with session_on(db) as (session, executor, _recorder):
        refuse_here(session.library, "count_view", "position")
        session.move_to(2)
        skipped = session.highlighted
        assert skipped is not None
        inbox = session.rows.count
        session.decisions.toggle_state(SKIPPED)
        assert session.rows.count == inbox - 1 and session.highlighted != skipped
        session.decisions.undo()
        executor.run_next(Lane.WRITE)
        assert session.rows.count == inbox - 1  # the rows shown stay until the reload is in
        executor.run_all()
        assert session.rows.count == inbox
        assert session.highlighted is not None and session.highlighted.pk == skipped.pk
        assert session.cursor == 2
        with open_library(db) as lib:
            assert [p.pk for p in lib.papers(session.rows.filter, limit=PAGE)] == pks(session)[
                :PAGE
            ]


# -- triage and undo --------------------------------------------------------------------------
def test_inbox_triage_moves_on_and_undo_brings_the_paper_back(db: Path) -> None:
    with session_on(db) as (session, executor, recorder):
        first, second = session.rows.paper_at(0), session.rows.paper_at(1)
        assert first is not None and second is not None
        session.decisions.toggle_state(SKIPPED)
        assert state_of(db, first.pk) == (SKIPPED, False)
        assert session.highlighted == second  # skipped papers leave the inbox
        assert title(session) == "Inbox · 67 (67 new)"
        assert ("highlighted", (second, False)) in recorder.events
        executor.run_all()
        assert session.counts.unread == 67 and session.counts.skipped == 1
        session.decisions.undo()
        executor.run_all()
        assert state_of(db, first.pk) == (NEW, False)
        assert session.highlighted == first  # the cursor goes back to the paper undone
        assert title(session) == "Inbox · 68 (68 new)"
        said = f"Undone: back to new (it was skipped) · “{first.title[:59].rstrip()}…”"
        assert recorder.notes[-1] == said


def test_read_star_skip_archive_toggle_and_undo_in_order(db: Path) -> None:
    with session_on(db) as (session, executor, recorder):
        session.decisions.move_on = False  # [reader] move_on = false: the toggles stay on it
        assert session.show_view(ALL)
        session.move_to(2)
        paper = session.highlighted
        assert paper is not None
        expected = [
            (session.decisions.toggle_state, READ, (READ, False)),
            (session.decisions.toggle_state, READ, (NEW, False)),
            (session.decisions.star, None, (NEW, True)),
            (session.decisions.toggle_state, SKIPPED, (SKIPPED, True)),
            (session.decisions.toggle_state, SKIPPED, (NEW, True)),
            (session.decisions.toggle_state, ARCHIVED, (ARCHIVED, True)),
            (session.decisions.toggle_state, ARCHIVED, (NEW, True)),
            (session.decisions.star, None, (NEW, False)),
        ]
        for action, state, after in expected:
            action(state) if state else action()  # type: ignore[operator]
            highlighted = session.highlighted
            assert highlighted is not None and highlighted.pk == paper.pk  # All keeps it there
            assert state_of(db, paper.pk) == after
            assert (highlighted.state, highlighted.starred) == after
        # u walks the log back, newest first, one action per press.
        for before in reversed([(NEW, False), *(after for _a, _s, after in expected[:-1])]):
            session.decisions.undo()
            executor.run_all()
            assert state_of(db, paper.pk) == before
        assert recorder.notes[-1].startswith("Undone: back to new (it was read) · “")
        session.decisions.undo()
        executor.run_all()
        assert recorder.notes[-1] == "Nothing to undo."


def test_a_decision_moves_on_in_every_view_unless_told_not_to(db: Path) -> None:
    """r, x and a go to the next paper in a view that keeps the paper (All papers) as in one
    it leaves (the Inbox); s stays; with ``move_on`` off the cursor stays on it."""
    with session_on(db) as (session, _executor, _recorder):
        assert session.show_view(ALL)
        for state in (READ, SKIPPED, ARCHIVED):
            at = session.cursor
            session.decisions.toggle_state(state)
            assert session.cursor == at + 1
        session.decisions.star()
        assert session.cursor == 3
        session.decisions.move_on = False
        session.decisions.toggle_state(READ)
        assert session.cursor == 3


def test_undo_keys_pressed_in_quick_succession_each_undo_one(db: Path) -> None:
    """'u u u': an undo pressed while another is being written waits its turn (it was
    refused: "Still undoing")."""
    with session_on(db) as (session, executor, recorder):
        skipped = [paper.pk for i in range(3) if (paper := session.rows.paper_at(i))]
        for _ in range(3):
            session.decisions.toggle_state(SKIPPED)
        assert [state_of(db, pk)[0] for pk in skipped] == [SKIPPED] * 3
        for _ in range(3):
            session.decisions.undo()  # all before the first is written
        assert session.decisions.undos_waiting == 2
        executor.run_all()
        assert [state_of(db, pk)[0] for pk in skipped] == [NEW] * 3
        assert not any("Still undoing" in note for note in recorder.notes)
        assert session.highlighted is not None and session.highlighted.pk == skipped[0]
        assert session.counts.skipped == 0


def test_undos_waiting_when_a_claim_was_tended_are_dropped(db: Path) -> None:
    """An undo pressed while a write runs waits for it; if a claim was tended meanwhile, the
    undo only warns (see test_ui_tending), and the undos still waiting are dropped with it.
    One had stayed counted and undid the next 'mark all read' as soon as it was written."""
    with session_on(db) as (session, executor, recorder):
        session.decisions.mark_all_read()  # a write in the background, not run yet
        assert session.decisions.busy
        session.decisions.undo()
        session.decisions.undo()
        assert session.decisions.undos_waiting == 2
        session.decisions.claim_changed()  # a claim tended while the write ran
        executor.run_all()
        assert "u undoes paper decisions" in recorder.notes[-1]
        assert session.decisions.undos_waiting == 0
        session.decisions.toggle_state(SKIPPED)  # a new paper decision, then another write
        session.decisions.mark_all_read()
        executor.run_all()
        assert not any(note.startswith("Undone") for note in recorder.notes)


def test_a_paper_marked_read_on_opening_is_the_decision_undo_takes_back(db: Path) -> None:
    """Opened long enough, a paper is marked read: that is a paper decision, so the undo that
    follows takes it back, even right after a claim was saved (it warned instead). Its row
    stays in the Inbox, read, until the next reload."""
    with session_on(db) as (session, executor, recorder):
        paper = session.highlighted
        assert paper is not None
        session.decisions.claim_changed()  # a claim saved just before
        executor.run_all()
        session.decisions.mark_opened_read(paper.pk)
        assert state_of(db, paper.pk)[0] is READ
        assert session.highlighted is not None and session.highlighted.state is READ
        assert title(session) == "Inbox · 68 (67 new)"  # the rows shown, one of them read
        session.decisions.undo()
        executor.run_all()
        assert recorder.notes[-1].startswith("Undone: back to new (it was read)")
        assert state_of(db, paper.pk)[0] is NEW


def test_mark_the_view_read_then_undo(db: Path) -> None:
    with session_on(db) as (session, executor, recorder):
        assert session.show_view(NavTarget(NavKind.BEAT, BEAT))
        session.count_view()
        executor.run_all()
        skipped = session.highlighted  # one paper of the beat is skipped first: A leaves it
        assert skipped is not None
        session.decisions.toggle_state(SKIPPED)
        session.decisions.mark_all_read()
        executor.run_all()
        assert recorder.notes[-1] == f"Marked 43 papers in {BEAT} read. u undoes it."
        with open_library(db) as lib:
            assert lib.count(PaperFilter(beat=BEAT, state=NEW)) == 0
            assert lib.count(PaperFilter(beat=BEAT, state=READ)) == 43
            assert state_of(db, skipped.pk)[0] is SKIPPED
            assert lib.count(PaperFilter(state=NEW)) == 68 - 44
        assert title(session) == f"{BEAT} · 44 (0 new)"
        assert session.counts.unread == 24
        session.decisions.mark_all_read()
        assert recorder.notes[-1] == "Nothing to mark: no unread paper in this view."
        session.decisions.undo()
        executor.run_all()
        assert recorder.notes[-1] == "Undone: 43 papers back to new (they were read)"
        with open_library(db) as lib:
            assert lib.count(PaperFilter(beat=BEAT, state=NEW)) == 43
        assert state_of(db, skipped.pk)[0] is SKIPPED
        assert title(session) == f"{BEAT} · 44 (43 new)"


def test_one_paper_changed_changes_its_row_without_reading_the_view(db: Path) -> None:
    with session_on(db) as (session, executor, _recorder):
        fetched: list[tuple[int, int]] = []
        listing = session.library.papers

        def counting(flt=None, limit=-1, offset=0, from_end=False):  # type: ignore[no-untyped-def]
            fetched.append((limit, offset))
            return listing(flt, limit, offset, from_end=from_end)

        session.library.papers = counting  # type: ignore[method-assign]

        def rows_match() -> bool:
            with open_library(db) as lib:
                return pks(session) == [p.pk for p in lib.papers(session.rows.filter)]

        # The inbox: a skipped paper leaves; the next one is under the cursor; nothing fetched.
        session.move_to(3)
        nxt = session.rows.paper_at(4)
        assert nxt is not None
        session.decisions.toggle_state(SKIPPED)
        session.decisions.star()
        assert fetched == []
        assert session.highlighted is not None and session.highlighted.pk == nxt.pk
        assert session.highlighted.starred
        assert title(session) == "Inbox · 67 (67 new)"
        # The last row of the first page, then the rows after it: the cut page is read again.
        session.move_to(session.rows.count - 1)
        fetched.clear()
        session.move_to(49)
        session.decisions.toggle_state(READ)
        assert session.rows.count == 66
        assert rows_match()
        executor.run_all()
        assert session.counts.unread == 66


# -- sort and search --------------------------------------------------------------------------
def test_sort_cycles_newest_upvotes_relevance_for_you(db: Path) -> None:
    with session_on(db) as (session, executor, recorder):
        assert session.show_view(NavTarget(NavKind.BEAT, BEAT))
        session.count_view()
        executor.run_all()
        assert session.highlighted is not None
        session.move_to(5)
        for sort, suffix in (
            (Sort.UPVOTES, " · by upvotes"),
            (Sort.RELEVANCE, " · by relevance"),
            (Sort.FOR_YOU, " · by for you"),
            (Sort.NEWEST, ""),
        ):
            session.cycle_sort()
            executor.run_all()
            assert title(session) == f"{BEAT} · 44 (44 new){suffix}"
            with open_library(db) as lib:
                assert [p.pk for p in lib.papers(PaperFilter(beat=BEAT, sort=sort))] == pks(session)
            # A new order shows its top: the cursor on its first row.
            assert session.cursor == 0 and session.highlighted.pk == pks(session)[0]
            session.move_to(5)
        # The sort follows the reader to another view.
        session.cycle_sort()
        assert session.show_view(ALL)
        assert session.rows.filter.sort is Sort.UPVOTES
        assert title(session).endswith(" · by upvotes")
        # ... but not into a view whose order is what it is: S there says so and sorts nothing.
        assert session.show_view(NavTarget(NavKind.FOR_YOU))
        assert session.rows.filter.sort is Sort.FOR_YOU and " · by" not in title(session)
        session.cycle_sort()
        assert session.rows.filter.sort is Sort.FOR_YOU and " · by" not in title(session)
        said = recorder.messages[-1][0]
        assert said == "For you is ordered by what you keep: S sorts the other views."


def test_search_as_you_type_then_keep_or_clear(db: Path) -> None:
    from test_ui_views import expected_view

    with session_on(db) as (session, executor, recorder):
        assert session.show_view(ALL)
        search = session.search
        for kept, query in enumerate(
            ("credit", "policy optimization", "reward -hacking", "au:zhang OR tag:rlvr"), 1
        ):
            search.type(query)
            typed = PaperFilter(query=query, type_ahead=True)
            # The first page shows first; a full page is counted once drawn, in the search's
            # lane (the next key abandons the count).
            executor.run_all()
            assert session.rows.filter == typed
            session.count_view()  # (the screen asks once the page is drawn)
            assert executor.pending(Lane.SEARCH) == int(session.rows.counting)
            executor.run_all()
            assert not session.rows.counting
            count, unread, _first = expected_view(db, typed)
            with open_library(db) as lib:
                assert pks(session) == [p.pk for p in lib.papers(typed)]
            assert 0 < count < 68, query
            assert title(session) == count_title("All papers", count, unread, query).plain
            # Enter keeps the filter (the query as a whole) and goes back to the papers.
            search.submit()
            executor.run_all()
            session.count_view()
            executor.run_all()
            final = PaperFilter(query=query)
            assert session.rows.filter == final and not session.rows.counting
            assert recorder.told("search_kept") == kept  # back to the papers
            with open_library(db) as lib:
                assert pks(session) == [p.pk for p in lib.papers(final)]
            assert search.text == query  # shown again by the next '/'
            resets = recorder.told("search_reset")
            session.clear_search()
            session.count_view()  # (the screen asks once the page is drawn)
            executor.run_all()
            assert session.rows.filter == PaperFilter() and session.rows.count == 68
            assert search.text == "" and recorder.told("search_reset") == resets + 1
        # Searching within a view narrows that view.
        assert session.show_view(NavTarget(NavKind.BEAT, BEAT))
        search.type("agent")
        executor.run_all()
        narrowed = PaperFilter(beat=BEAT, query="agent", type_ahead=True)
        assert session.rows.filter == narrowed
        assert session.rows.count == expected_view(db, narrowed)[0] < 44


def test_text_typed_while_a_page_is_on_its_way_makes_one_query(db: Path) -> None:
    """No waiting for a pause in the typing: the first key searches at once; text typed while
    its page is on its way is searched together, once, for the text as it then is."""
    with session_on(db) as (session, executor, _recorder):
        search = session.search
        asked: list[str | None] = []
        search.type("p")
        asked.append(search.filter_for(False).query)
        assert executor.pending(Lane.SEARCH) == 1  # the first key searched at once
        for typed in ("po", "pol", "poli", "polic", "policy"):
            search.type(typed)
        assert executor.pending(Lane.SEARCH) == 1  # nothing more while that page is on its way
        executor.run_next(Lane.SEARCH)
        assert executor.pending(Lane.SEARCH) == 1  # then one query, for all that was typed
        executor.run_all()
        assert session.rows.filter.query == "policy" and not session.rows.counting
        with open_library(db) as lib:
            expected = [p.pk for p in lib.papers(PaperFilter(query="policy", type_ahead=True))]
        assert pks(session) == expected


def test_a_search_left_while_its_page_is_on_its_way_searches_again_next_time(db: Path) -> None:
    """Esc (or another view) while a search's page was on its way left the search waiting for
    that page, which was then ignored: the next search typed never ran (until Enter)."""
    with session_on(db) as (session, executor, _recorder):
        session.search.type("a")
        session.clear_search()  # before the page for "a" arrives
        executor.run_all()
        session.search.type("credit")
        executor.run_all()
        assert session.rows.filter.query == "credit"


def test_a_bad_query_says_what_is_wrong_and_the_last_good_results_stay(db: Path) -> None:
    """The results shown stay, counted: the next key's job took the lane of their count, and
    when it fails they are counted again."""
    with session_on(db) as (session, executor, recorder):
        from test_ui_views import expected_view

        search = session.search
        search.type("model")
        executor.run_all()
        assert session.rows.counting and session.rows.count == PAGE
        session.count_view()  # the screen asks once the page is drawn; not run yet
        search.type("model foo:bar")
        executor.run_all()
        assert search.error.startswith("unknown field 'foo:' (at character 7)")
        assert recorder.told("search_failed") == 1
        model = dataclasses.replace(session.view_filter, query="model", type_ahead=True)
        shown = expected_view(db, model)
        assert session.rows.filter.query == "model" and not session.rows.counting
        assert session.rows.count == shown[0] > PAGE
        search.submit()
        executor.run_all()
        assert recorder.events[-1] == ("search_failed", ())  # Enter does not keep a bad query
        search.type("credit")
        executor.run_all()
        assert not search.error


# -- one change signal ------------------------------------------------------------------------
def test_one_triage_action_reloads_the_view_once(db: Path) -> None:
    """Each write reaches the rows shown once: a paper skipped changes its row in place (no
    reading of the view), marking the view read reads the rows again once (it did twice), and
    the watcher of other processes' commits does not take this process's writes for theirs."""
    with session_on(db) as (session, executor, recorder):
        session.decisions.toggle_state(SKIPPED)
        executor.run_all()
        assert recorder.told("library_changed") == 1 and session.reloads == 0
        session.other_writers()  # the watcher's turn: the decision was written here
        assert session.reloads == 0
        session.decisions.mark_all_read()
        session.other_writers()  # while it is written: not another process's commit
        executor.run_all()
        session.other_writers()
        assert recorder.told("library_changed") == 2 and session.reloads == 1
        assert executor.lanes.count(Lane.WRITE) == 1


def test_another_process_s_commit_reloads_the_view_once(db: Path) -> None:
    with session_on(db) as (session, executor, recorder):
        with open_library(db) as other:
            other.set_starred(other.papers(limit=1)[0].pk, True)
        session.other_writers()
        session.other_writers()  # seen once
        executor.run_all()
        assert session.reloads == 1 and recorder.told("library_changed") == 1
        highlighted = session.highlighted
        assert highlighted is not None and highlighted.starred


def test_a_background_write_of_this_process_announces_itself_once(db: Path) -> None:
    """A refresh (or the sample's import) writes on connections of its own: each landed write
    announces itself; the watcher, meanwhile, is not misled by them; what was written without
    an announcement (the fetch log), or by another process meanwhile, is read once at the
    end."""
    with session_on(db) as (session, executor, _recorder):
        session.own_write_started()
        with open_library(db) as refresh:  # a job lands
            refresh.set_starred(refresh.papers(limit=1)[0].pk, True)
        session.other_writers()
        assert session.reloads == 0
        session.changed()  # it announces itself
        executor.run_all()
        session.own_write_ended()
        session.other_writers()
        assert session.reloads == 1
        session.own_write_started()
        with open_library(db) as refresh:  # a job that lands nothing, but writes its log
            refresh.set_meta("test.fetched", "1")
        session.other_writers()
        assert session.reloads == 1
        session.own_write_ended()
        session.other_writers()
        assert session.reloads == 2


def test_the_listener_hears_each_view_once(db: Path) -> None:
    """A recorder is enough to draw the session: one view shown, its highlight, its count."""
    with open_library(db) as library:
        executor, recorder = StepExecutor(), Recorder()
        session = ReaderSession(library, executor, recorder)
        assert session.show_view(INBOX)
        shown = ["search_reset", "view_shown", "highlighted"]
        assert [event for event, _args in recorder.events] == shown
        session.count_view()
        session.count_view()  # asked once
        assert executor.pending(Lane.VIEW) == 1
        executor.run_all()
        assert recorder.events[-1] == ("rows_changed", (None,))
        assert dataclasses.replace(session.rows.filter) == PaperFilter(state=NEW)


def test_undo_after_restarting(db: Path) -> None:
    """The decisions are logged in the library: a new session undoes what an earlier one
    decided, and its cursor goes to that paper."""
    with session_on(db) as (session, _executor, _recorder):
        paper = session.highlighted
        assert paper is not None
        session.decisions.toggle_state(ARCHIVED)
    assert state_of(db, paper.pk) == (ARCHIVED, False)
    with session_on(db) as (again, executor, recorder):
        again.decisions.undo()
        executor.run_all()
        assert state_of(db, paper.pk) == (NEW, False)
        assert recorder.notes[-1].startswith("Undone: back to new (it was archived) · “")
        assert again.highlighted is not None and again.highlighted.pk == paper.pk


def test_a_query_too_big_for_the_library_says_so(db: Path) -> None:
    """995 ``cat:`` terms, pasted: the search says what the limit is (it stayed silent,
    unfiltered, when SQLite refused the expression)."""
    with session_on(db) as (session, executor, _recorder):
        session.search.type("credit")
        executor.run_all()
        assert session.rows.filter.query == "credit"
        session.search.type("credit" + "".join(f" cat:c{i}" for i in range(995)))
        executor.run_all()
        assert session.search.error.startswith("a query holds at most 300 terms (at character ")
