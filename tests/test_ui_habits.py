"""A day's reading without friction (issue 20), tested from what a person sees on the screen."""

from __future__ import annotations

from pathlib import Path

from test_ui import seeded_library, stream_of
from test_ui_support import screen_lines, settle, settled_reader


async def test_a_new_order_shows_its_top(tmp_path: Path) -> None:
    """Thirty rows down the Inbox, S sorts by upvotes: the screen shows the most upvoted
    papers from the top, the cursor on the first, not the cursor's old paper mid-list."""
    async with settled_reader(seeded_library(tmp_path), size=(140, 42)) as (app, pilot, reader):
        stream = stream_of(app)
        for _ in range(30):
            await pilot.press("j")
        await settle(app, pilot)
        assert stream.cursor == 30
        await pilot.press("S")
        await settle(app, pilot)
        assert "by upvotes" in str(stream.border_title)
        assert stream.cursor == 0
        # The stream's rows, from the top of the pane: its most upvoted papers first.
        rows = [line.split("││")[1] for line in screen_lines(app)[1:] if "││●" in line]
        votes = [int(row.split("▲")[1].split()[0]) for row in rows if "▲" in row]
        most = max(p.upvotes or 0 for p in reader.library.papers())
        assert votes[0] == most and votes == sorted(votes, reverse=True), votes


async def test_a_river_shows_its_papers_and_keys_act_on_them(tmp_path: Path) -> None:
    """Choosing a river: the middle pane lists the river's papers (its tag's) under the
    river's name, the right pane its posts; s stars the paper the middle pane highlights, one
    of the river's, not an Inbox paper out of sight."""
    from test_ui_support import choose

    from river_tui.reader.views import NavKind, NavTarget

    db = seeded_library(tmp_path)
    async with settled_reader(db, size=(140, 42)) as (app, pilot, reader):
        await choose(pilot, app, NavTarget(NavKind.RIVER, "credit-assignment"))
        await settle(app, pilot)
        top = screen_lines(app)[0]
        assert top.count("River #credit-assignment") == 2, top  # the stream's, the posts'
        assert "2 posts" in reader.detail.text()
        stream = stream_of(app)
        shown = stream.highlighted
        assert shown is not None and stream.rows.count == 44
        await pilot.press("s")
        await settle(app, pilot)
        starred = [p for p in reader.library.papers() if p.starred]
        assert [p.pk for p in starred] == [shown.pk]
        assert "credit-assignment" in reader.library.record(shown.pk).tags


async def test_a_decision_moves_on_in_a_beats_view_too(tmp_path: Path) -> None:
    """In a beat's view the skipped paper stays, marked ✗, and the cursor is on the next."""
    from test_ui_support import choose

    from river_tui.reader.views import NavKind, NavTarget

    db = seeded_library(tmp_path)
    async with settled_reader(db, size=(140, 42)) as (app, pilot, _reader):
        await choose(pilot, app, NavTarget(NavKind.BEAT, "Frontier capability"))
        stream = stream_of(app)
        first = stream.highlighted
        await pilot.press("j", "x")
        await settle(app, pilot)
        assert stream.cursor == 2
        rows = [line.split("││")[1] for line in screen_lines(app)[1:] if "││" in line]
        assert rows[1].lstrip().startswith("✗") and not rows[0].lstrip().startswith("✗")
        assert stream.highlighted is not None and stream.highlighted.pk != first.pk


async def test_n_and_p_go_to_the_next_and_previous_unread_paper(tmp_path: Path) -> None:
    """In All papers, with rows 1 and 2 read: n from row 0 lands on row 3; P from there comes
    back to row 0. In a view with no unread paper, n goes to the Inbox and says so."""
    from test_ui_support import choose, messages

    from river_tui.domain import TriageState
    from river_tui.reader.views import NavKind, NavTarget

    db = seeded_library(tmp_path)
    async with settled_reader(db, size=(140, 42)) as (app, pilot, reader):
        await choose(pilot, app, NavTarget(NavKind.ALL))
        stream = stream_of(app)
        for row in (1, 2):
            paper = stream.rows.paper_at(row)
            reader.library.set_state(paper.pk, TriageState.READ)
        reader.session.changed()
        await settle(app, pilot)
        await pilot.press("n")
        assert stream.cursor == 3
        rows = [line.split("││")[1] for line in screen_lines(app)[1:] if "││" in line]
        assert [row.lstrip()[:1] for row in rows[:4]] == ["●", "·", "·", "●"]
        await pilot.press("P")
        assert stream.cursor == 0
        await choose(pilot, app, NavTarget(NavKind.SKIPPED))  # empty: no unread paper
        await pilot.press("n")
        await settle(app, pilot)
        assert reader.session.view.kind is NavKind.INBOX
        assert "No unread paper left in that view: the Inbox." in messages(app)


async def test_v_shows_unread_papers_only_and_esc_clears_a_search_then_it(
    tmp_path: Path,
) -> None:
    from test_ui_support import choose, title_of, type_text

    from river_tui.domain import TriageState
    from river_tui.reader.views import NavKind, NavTarget

    db = seeded_library(tmp_path)
    async with settled_reader(db, size=(140, 42)) as (app, pilot, reader):
        await choose(pilot, app, NavTarget(NavKind.ALL))
        stream = stream_of(app)
        reader.library.set_state(stream.rows.paper_at(0).pk, TriageState.SKIPPED)
        reader.session.changed()
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        assert "All papers · unread · 67" in title_of(stream)
        await pilot.press("slash")
        await type_text(pilot, "credit")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "⌕ credit" in title_of(stream)
        await pilot.press("escape")  # the search first
        await settle(app, pilot)
        assert "⌕" not in title_of(stream) and "unread" in title_of(stream)
        await pilot.press("escape")  # then the filter
        await settle(app, pilot)
        assert "unread" not in title_of(stream) and "68" in title_of(stream)


async def test_the_view_and_sort_are_where_the_reader_quit(tmp_path: Path) -> None:
    from test_ui_support import choose, listening, quiet_config

    from river_tui.reader.views import NavKind, NavTarget
    from river_tui.ui.app import RiverApp

    db = seeded_library(tmp_path)
    state = tmp_path / "data"
    app = listening(RiverApp(db_path=db, config=quiet_config(), state_dir=state))
    async with app.run_test(size=(140, 42)) as pilot:
        await settle(app, pilot)
        await choose(pilot, app, NavTarget(NavKind.BEAT, "Frontier capability"))
        await pilot.press("S")
        await settle(app, pilot)
    again = listening(RiverApp(db_path=db, config=quiet_config(), state_dir=state))
    async with again.run_test(size=(140, 42)) as pilot:
        await settle(again, pilot)
        top = screen_lines(again)[0]
        assert "Frontier capability · 44 (44 new) · by upvotes" in top, top


async def test_marked_papers_are_decided_at_once_and_undone_at_once(tmp_path: Path) -> None:
    """space marks a paper and moves on, shift+down marks a range; the rows show + and the
    title the count; x skips the three marked papers, and one u brings all three back."""
    from test_ui_support import choose, messages, title_of

    from river_tui.domain import TriageState
    from river_tui.reader.views import NavKind, NavTarget

    db = seeded_library(tmp_path)
    async with settled_reader(db, size=(140, 42)) as (app, pilot, reader):
        await choose(pilot, app, NavTarget(NavKind.ALL))
        stream = stream_of(app)
        wanted = [stream.rows.paper_at(i).pk for i in (0, 2, 3)]
        await pilot.press("space", "j", "shift+down")
        await settle(app, pilot)
        assert title_of(stream).endswith("· 3 marked")
        rows = [line.split("││")[1] for line in screen_lines(app)[1:] if "││" in line]
        assert [row.lstrip()[:1] for row in rows[:4]] == ["+", "●", "+", "+"]
        await pilot.press("x")
        await settle(app, pilot)
        assert "Skipped 3 papers. u undoes it." in messages(app)
        states = {pk: reader.library.record(pk).state for pk in wanted}
        assert set(states.values()) == {TriageState.SKIPPED}
        assert "marked" not in title_of(stream)
        await pilot.press("u")
        await settle(app, pilot)
        assert {reader.library.record(pk).state for pk in wanted} == {TriageState.NEW}
        # Esc drops marks before anything else.
        await pilot.press("space")
        await settle(app, pilot)
        assert title_of(stream).endswith("· 1 marked")
        await pilot.press("escape")
        await settle(app, pilot)
        assert "marked" not in title_of(stream)


async def test_at_80x24_titles_have_room_and_a_search_title_keeps_its_count(
    tmp_path: Path,
) -> None:
    """At 80x24 the stream's rows give the date's room to the title; a long search shows its
    count, the query cut instead."""
    from test_ui_support import type_text

    db = seeded_library(tmp_path)
    async with settled_reader(db, size=(80, 24)) as (app, pilot, _reader):
        rows = [line.split("││")[1] for line in screen_lines(app)[1:] if "││●" in line]
        assert rows and "2026-" not in rows[0]
        assert "Hierarchical Advantage" in rows[0], rows[0]
        # The detail pane: a value too long beside its label goes under it, whole.
        await settle(app, pilot)
        detail = [line.rsplit("││", 1)[1].strip(" │") for line in screen_lines(app)[1:-3]]
        assert "9 authors" in detail and "authors" in detail, detail
        await pilot.press("slash")
        await type_text(pilot, 'abs:"credit assignment" -risk is:new')
        await pilot.press("enter")
        await settle(app, pilot)
        top = screen_lines(app)[0]
        stream_title = top.split("╮╭")[1]
        assert "⌕" in stream_title and "…" in stream_title, stream_title
        assert "(" in stream_title and " new)" in stream_title, stream_title  # the count shows


async def test_the_palette_reaches_a_river_and_its_entries_are_one_line(tmp_path: Path) -> None:
    """Ctrl+P: a paper command reads 'Star  (s)' on one line, no stray 'key s' under it; and
    'river credit' jumps to the river, its papers in the stream."""
    from test_ui_support import type_text

    db = seeded_library(tmp_path)
    async with settled_reader(db, size=(140, 42)) as (app, pilot, reader):
        await pilot.press("ctrl+p")
        await type_text(pilot, "Star")
        await pilot.pause(0.3)
        shown = "\n".join(screen_lines(app))
        assert "Star  (s)" in shown and "key s" not in shown
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await type_text(pilot, "river credit")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert reader.stream.rows.label == "River #credit-assignment"
        assert "2 posts" in reader.detail.text()


async def test_a_papers_detail_and_river_show_say_which_claims_cite_it(tmp_path: Path) -> None:
    from test_ui_support import choose
    from test_versions import AS_OF, lattice_v1

    from river_tui.reader.views import NavKind, NavTarget
    from river_tui.store.library import Library

    from conftest import run_river

    db = tmp_path / "lib.db"
    with Library.open(db, []) as lib:
        source, _kept = lattice_v1(lib)
        lib.assert_claim("lattice", "Heat-bath walks mix fast.", "caveat", [source], AS_OF)
    async with settled_reader(db, size=(140, 42)) as (app, pilot, _reader):
        await choose(pilot, app, NavTarget(NavKind.ALL))
        await pilot.press("enter")
        await settle(app, pilot)
        lines = [line.rsplit("││", 1)[1].strip(" │") for line in screen_lines(app)[1:6]]
        at = lines.index("cited by claim #1 of lattice [caveat]")  # under the title, on top
        assert lines[at + 1] == "Heat-bath walks mix fast.", lines
    shown = run_river("--db", str(db), "show", "1605.08386").stdout.splitlines()
    assert shown[2] == "cited by claim #1 of lattice [caveat]: Heat-bath walks mix fast."


async def test_at_80x24_the_help_keeps_each_keys_id_on_its_line(tmp_path: Path) -> None:
    """The help's three columns fit 80 columns: a long description wraps under itself, and no
    id is pushed onto a line of its own."""
    from river_tui.ui.components.reader import ReaderScreen
    from river_tui.ui.keys import binding_ids

    db = seeded_library(tmp_path)
    ids = binding_ids([ReaderScreen])
    async with settled_reader(db, size=(80, 24)) as (app, pilot, _reader):
        await pilot.press("question_mark")
        await settle(app, pilot)
        seen: set[str] = set()
        for _page in range(20):
            for line in screen_lines(app)[3:-3]:
                words = line.strip(" │╭╮╰╯─").split()
                assert not (len(words) == 1 and words[0] in ids), line  # an id alone
                seen.update(word for word in words[2:] if word in ids)
            await pilot.press("pagedown")
            await pilot.pause()
        assert "stream.previous-unread" in seen
