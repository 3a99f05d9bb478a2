"""Keyboard triage in the reader: every action and its undo, by keys, checked in the library
file through a connection of its own."""

from __future__ import annotations

from pathlib import Path

from test_ui import BEAT, SIZE, seeded_library
from test_ui_support import (
    ARXIV_ID,
    ARXIV_TITLE,
    WEB_TITLE,
    WEB_URL,
    add_linked_papers,
    choose,
    heard,
    listening,
    messages,
    open_library,
    quiet_config,
    reader_of,
    settle,
    settled_reader,
    title_of,
    type_text,
    until,
)

from river_tui.domain import TriageState
from river_tui.reader.views import NavKind, NavTarget
from river_tui.ui.app import RiverApp
from river_tui.ui.components.dialogs import BeatScreen
from river_tui.ui.components.help import HelpScreen
from river_tui.ui.components.reader import ReaderScreen
from river_tui.ui.components.tagger import TagScreen

from conftest import detail_shown

NEW, READ, SKIPPED, ARCHIVED = (
    TriageState.NEW,
    TriageState.READ,
    TriageState.SKIPPED,
    TriageState.ARCHIVED,
)


def state_of(db: Path, pk: int) -> tuple[TriageState, bool]:
    with open_library(db) as lib:
        record = lib.record(pk)
        assert record is not None
        return record.state, record.starred


async def test_read_star_skip_archive_keys_redraw_the_row(tmp_path: Path) -> None:
    """Each key writes its decision and the row under the cursor shows it at once (undoing
    them in order: test_reader_session). With ``move_on = false``: the cursor stays."""
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config(move_on=False)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        reader = reader_of(app)
        await choose(pilot, app, NavTarget(NavKind.ALL))
        stream = reader.stream
        assert app.focused is stream
        await pilot.press("j", "j")
        paper = stream.highlighted
        assert paper is not None
        pk = paper.pk

        expected = [
            ("r", (READ, False), "·"),
            ("r", (NEW, False), "●"),
            ("s", (NEW, True), "●★"),
            ("x", (SKIPPED, True), "✗★"),
            ("x", (NEW, True), "●★"),
            ("a", (ARCHIVED, True), "▣★"),
            ("a", (NEW, True), "●★"),
            ("s", (NEW, False), "● "),
        ]
        for key, state, marker in expected:
            await pilot.press(key)
            assert stream.highlighted.pk == pk, key  # the All view keeps the paper in place
            assert state_of(db, pk) == state, key
            row = stream.render_line(stream.cursor - stream.scroll_offset.y).text
            assert row.startswith(marker), (key, row)
        assert state[0].value in reader.detail.text()


async def test_inbox_triage_moves_on_and_the_detail_follows(tmp_path: Path) -> None:
    """'x' in the Inbox: the next paper is under the cursor and in the detail pane (the undo
    that brings the paper back: test_reader_session)."""
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        reader = reader_of(app)
        stream = reader.stream
        first, second = stream.rows.paper_at(0), stream.rows.paper_at(1)
        await pilot.press("x")
        assert state_of(db, first.pk) == (SKIPPED, False)
        assert stream.highlighted.pk == second.pk  # skipped papers leave the inbox
        assert str(stream.border_title) == "Inbox · 67 (67 new)"
        await detail_shown(pilot)
        assert second.title in reader.detail.text()
        await settle(app, pilot)
        assert reader.session.counts.unread == 67 and reader.session.counts.skipped == 1


async def test_tag_with_completion_remove_and_undo(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        reader = reader_of(app)
        pk = reader.stream.highlighted.pk

        # A new tag, typed in full.
        await pilot.press("t")
        assert isinstance(app.screen, TagScreen)
        await type_text(pilot, "My Tag")
        assert app.screen.choices[0].tag == "my-tag" and app.screen.choices[0].new
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        with open_library(db) as lib:
            assert lib.record(pk).user_tags == ("my-tag",)
        assert "#my-tag" in reader.detail.text()
        assert messages(app)[-1] == "Tagged #my-tag"

        # An existing tag, misspelt, completed fuzzily with Tab.
        await pilot.press("t")
        await type_text(pilot, "reasonign")
        screen = app.screen
        assert isinstance(screen, TagScreen)
        assert [c.tag for c in screen.choices[:2]] == ["reasonign", "reasoning"]
        await pilot.press("down", "tab")
        assert screen.query_one("Input").value == "reasoning"
        await pilot.press("enter")
        await pilot.pause()
        with open_library(db) as lib:
            assert lib.record(pk).user_tags == ("my-tag", "reasoning")

        # -tag removes one of the paper's own tags.
        await pilot.press("t")
        await type_text(pilot, "-my")
        assert [(c.tag, c.remove) for c in app.screen.choices] == [("my-tag", True)]
        await pilot.press("enter")
        await pilot.pause()
        with open_library(db) as lib:
            assert lib.record(pk).user_tags == ("reasoning",)
        assert messages(app)[-1] == "Untagged #my-tag"

        # What names no tag ("#", "-", "-#") changes nothing; a tag the paper does not have
        # of its own is said so, and the box stays open.
        for typed in ("#", "###", "-", "-#"):
            await pilot.press("t")
            await type_text(pilot, typed)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen), typed
        with open_library(db) as lib:
            assert lib.record(pk).user_tags == ("reasoning",)
        assert messages(app)[-1] == "Untagged #my-tag"
        await pilot.press("t")
        await type_text(pilot, "-zzz")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TagScreen)
        assert messages(app)[-1] == "#zzz is not one of this paper's own tags"
        await pilot.press("escape")
        await pilot.pause()

        # With nothing typed the paper's own tags are offered for removal; Escape cancels.
        await pilot.press("t")
        own = [(c.tag, c.remove) for c in app.screen.choices if c.remove]
        assert own == [("reasoning", True)]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)

        await pilot.press("u")
        await settle(app, pilot)
        with open_library(db) as lib:
            assert lib.record(pk).user_tags == ("my-tag", "reasoning")
        assert messages(app)[-1].startswith("Undone: #my-tag put back")
        # The tag is listed in the navigation once the counts are in.
        assert "my-tag" in reader.session.known_tags()


async def test_keys_typed_ahead_of_the_tagger_go_into_it(tmp_path: Path) -> None:
    """'t' and a tag arriving at once (over SSH, from a fast typist): the keys after 't' are
    the tag's ('tasx' had archived, starred and skipped papers), a 'q' among them too (it had
    quit River: 'q' was a priority binding, checked as the key arrived, before the tagger had
    the focus)."""
    from textual import events

    db = seeded_library(tmp_path)
    async with settled_reader(db) as (app, pilot, reader):
        paper = reader.stream.highlighted
        for key in ("t", "q", "a", "s", "x"):
            app.post_message(events.Key(key, key))  # all queued before any is handled
        await until(pilot, lambda: isinstance(app.screen, TagScreen))
        await until(pilot, lambda: getattr(app.focused, "value", None) == "qasx")
        assert app.is_running
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReaderScreen)
        with open_library(db) as lib:
            record = lib.record(paper.pk)
            assert record is not None and "qasx" in record.tags
            assert (record.state, record.starred) == (TriageState.NEW, False)


async def test_beat_by_hand_and_back(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        reader = reader_of(app)
        pk = reader.stream.highlighted.pk
        target = "Evaluation and benchmarks"
        await pilot.press("b")
        screen = app.screen
        assert isinstance(screen, BeatScreen)
        for _ in range(len(screen.beats)):
            if screen.beats[screen.query_one("OptionList").highlighted] == target:
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        with open_library(db) as lib:
            assert lib.record(pk).manual_beats == (target,)
        assert "put on this beat by hand" in reader.detail.text()
        assert messages(app)[-1] == f"Put on {target}"

        await pilot.press("b")
        screen = app.screen
        index = screen.beats.index(target)
        screen.query_one("OptionList").highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        with open_library(db) as lib:
            assert lib.record(pk).manual_beats == ()
        assert messages(app)[-1] == f"Taken off {target}"
        await pilot.press("u")
        await settle(app, pilot)
        with open_library(db) as lib:
            assert lib.record(pk).manual_beats == (target,)


async def test_open_copy_link_and_bibtex(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    add_linked_papers(db)
    opened: list[str] = []
    app = listening(
        RiverApp(db_path=db, config=quiet_config(), browser=lambda url: not opened.append(url))
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        stream = reader_of(app).stream
        assert stream.highlighted.title == ARXIV_TITLE
        await pilot.press("o", "O")
        await settle(app, pilot)  # the browser is called off the UI thread
        assert opened == [
            f"https://arxiv.org/abs/{ARXIV_ID}",
            f"https://arxiv.org/pdf/{ARXIV_ID}",
        ]
        await pilot.press("y")
        assert app.clipboard == f"https://arxiv.org/abs/{ARXIV_ID}"
        assert messages(app)[-1] == f"Copied https://arxiv.org/abs/{ARXIV_ID}"
        await pilot.press("Y")
        await settle(app, pilot)  # the key is read off the UI thread
        assert app.clipboard.startswith("@misc{lovelace2026newest,\n")
        assert f"eprint = {{{ARXIV_ID}}}" in app.clipboard
        assert "archivePrefix = {arXiv}" in app.clipboard

        await pilot.press("j")  # the web item: its own URL
        assert stream.highlighted.title == WEB_TITLE
        await pilot.press("o", "y")
        await settle(app, pilot)
        assert opened[-1] == WEB_URL and app.clipboard == WEB_URL
        await pilot.press("O")
        assert messages(app)[-1] == "No PDF is known for this paper."

        await pilot.press("j")  # a seed paper, known only by its title
        await pilot.press("o")
        assert messages(app)[-1] == "This paper has no link."
        assert len(opened) == 3


async def test_opening_a_paper_marks_it_read_after_the_delay(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    # Opened, then left for another paper before the delay: stays new. The delay is long
    # enough for three key presses however loaded the machine (2 s failed in a full run).
    delay = 5.0
    app = listening(RiverApp(db_path=db, config=quiet_config(mark_read_after=delay)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        moved_away = reader_of(app).stream.highlighted.pk
        await pilot.press("enter", "escape", "j")
        await pilot.pause(delay + 0.2)
        assert state_of(db, moved_away) == (NEW, False)

    # Opened and still shown when the delay is up: read, logged, and still in the inbox
    # (so the text being read does not jump away).
    app = listening(RiverApp(db_path=db, config=quiet_config(mark_read_after=0.3)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = reader_of(app)
        stream = reader.stream
        await pilot.press("j")
        opened = stream.highlighted.pk
        await pilot.press("enter")
        assert app.focused is reader.detail
        await until(pilot, lambda: state_of(db, opened)[0] is READ)
        await settle(app, pilot)
        assert stream.highlighted.pk == opened
        assert stream.render_line(stream.cursor - stream.scroll_offset.y).text.startswith("·")
        assert "· read" in reader.detail.text()
        assert title_of(stream) == "Inbox · 68 (67 new)"  # the rows shown, one of them read
        assert reader.session.counts.unread == 67
        with open_library(db) as lib:
            (decision,) = lib.last_undoable()
            assert (decision.paper_pk, decision.describe()) == (opened, "new → read")


async def test_opening_never_marks_read_when_the_delay_is_zero(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config(mark_read_after=0)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        pk = reader_of(app).stream.highlighted.pk
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert state_of(db, pk) == (NEW, False)


async def test_keys_remapped_by_id_and_shown_in_help(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    keys = {"stream.star": "f", "refresh": "ctrl+r", "no.such-binding": "z"}
    app = listening(RiverApp(db_path=db, config=quiet_config(keys=keys)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        warnings = [n for n in heard(app) if n.severity == "warning"]
        assert len(warnings) == 1 and "no.such-binding" in warnings[0].message
        pk = reader_of(app).stream.highlighted.pk
        await pilot.press("f")
        assert state_of(db, pk) == (NEW, True)
        await pilot.press("s")  # no longer bound
        assert state_of(db, pk) == (NEW, True)

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#help-text").content.plain
        lines = [line.split() for line in text.splitlines()]
        assert ["f", "Star", "stream.star"] in lines
        assert ["^r", "Refresh", "refresh"] in lines
        assert ["s", "Star", "stream.star"] not in lines
        assert ["r", "Read/unread", "stream.read"] in lines
        assert ["tab", "Complete", "tag.complete"] in lines  # the tagger's keys too


async def test_palette_runs_refresh_and_jumps_to_a_beat(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    refreshed: list[bool] = []
    app.action_refresh = lambda: refreshed.append(True)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the first counts are in
        reader = reader_of(app)

        await pilot.press("ctrl+p")
        await type_text(pilot, "Refresh")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: bool(refreshed))
        await until(pilot, lambda: app.screen is reader)

        await pilot.press("ctrl+p")
        await type_text(pilot, "beat frontier")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: reader.stream.rows.label == BEAT)
        assert reader.stream.rows.count == 44
        assert reader.nav.highlighted_target == NavTarget(NavKind.BEAT, BEAT)

        await pilot.press("ctrl+p")
        await type_text(pilot, "star")
        await pilot.pause(0.3)
        await pilot.press("enter")
        pk = reader.stream.highlighted.pk
        await until(pilot, lambda: state_of(db, pk) == (NEW, True))


def test_toggles_sorts_links_and_undo_messages() -> None:
    from datetime import datetime

    from river_tui.domain import ItemKind, Link, Paper, PaperRecord, parse_arxiv_id
    from river_tui.domain.triage import Action, Decision
    from river_tui.reader.actions import (
        abstract_url,
        next_sort,
        pdf_url,
        toggled,
        undo_message,
    )
    from river_tui.store.papers import Sort

    assert toggled(NEW, READ) is READ and toggled(READ, READ) is NEW
    assert toggled(SKIPPED, ARCHIVED) is ARCHIVED and toggled(SKIPPED, SKIPPED) is NEW
    assert [next_sort(s) for s in Sort] == [Sort.UPVOTES, Sort.RELEVANCE, Sort.FOR_YOU, Sort.NEWEST]

    def record(paper: Paper) -> PaperRecord:
        return PaperRecord(pk=1, id=paper.id, paper=paper)

    arxiv = record(Paper(title="A", arxiv=parse_arxiv_id("2606.05152v3")))
    assert abstract_url(arxiv) == "https://arxiv.org/abs/2606.05152"
    assert pdf_url(arxiv) == "https://arxiv.org/pdf/2606.05152"
    web = record(Paper(title="W", kind=ItemKind.WEB, url="https://e.org/post"))
    assert (abstract_url(web), pdf_url(web)) == ("https://e.org/post", None)
    linked = record(
        Paper(title="L", links=(Link("code", "https://c.org"), Link("x", "https://p.org/a.pdf")))
    )
    assert (abstract_url(linked), pdf_url(linked)) == ("https://c.org", "https://p.org/a.pdf")
    assert abstract_url(record(Paper(title="N"))) is None

    now = datetime(2026, 1, 1)
    one = Decision(1, now, Action.STATE, 7, "read", "skipped")
    assert undo_message([one], "T") == "Undone: back to read (it was skipped) · “T”"
    batch = [Decision(i, now, Action.STATE, i, "new", "read", batch=1) for i in range(3)]
    assert undo_message(batch) == "Undone: 3 papers back to new (they were read)"
    assert undo_message([]) == "Nothing to undo."


def test_tag_suggestions_and_choices() -> None:
    from river_tui.ui.tags import TagChoice, suggest_tags, tag_choices

    known = ["agents", "credit-assignment", "interpretability", "reasoning", "rlvr"]
    assert suggest_tags("cred", known) == ["credit-assignment"]
    assert suggest_tags("crdit", known) == ["credit-assignment"]  # letters in order
    assert suggest_tags("reasonign", known) == ["reasoning"]  # a typo, by rapidfuzz
    assert suggest_tags("", known, limit=2) == ["agents", "credit-assignment"]
    assert suggest_tags("zzz", known) == []

    assert tag_choices("Credit Ass", ["mine"], known) == [
        TagChoice("credit-ass", new=True),
        TagChoice("credit-assignment"),
    ]
    assert tag_choices("-mi", ["mine", "other"], known) == [TagChoice("mine", remove=True)]
    assert tag_choices("", ["mine"], known[:1]) == [
        TagChoice("mine", remove=True),
        TagChoice("agents"),
    ]


def test_saved_searches_survive_a_damaged_value(tmp_path: Path) -> None:
    from river_tui.remembered import SAVED_SEARCHES, delete_search, load_searches, save_search

    with open_library(tmp_path / "lib.db") as lib:
        assert load_searches(lib) == {}
        save_search(lib, "  Two   words ", " credit ")
        save_search(lib, "b", "rl")
        save_search(lib, "red\x1b[31m name\a", "x")  # made inert: shown in the left pane
        assert load_searches(lib) == {"Two words": "credit", "b": "rl", "red name": "x"}
        assert delete_search(lib, "red name")
        assert delete_search(lib, "b") and not delete_search(lib, "b")
        lib.set_meta(SAVED_SEARCHES, "{not json")
        assert load_searches(lib) == {}
