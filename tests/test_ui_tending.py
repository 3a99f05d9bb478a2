"""Tending a dossier's claims by keys, the list of dossiers, a dossier's page, and superseded and
retracted claims: dimmed in the dossier, hidden from the river, refused when tended again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from test_ui import CAPO, seeded_library
from test_ui_support import (
    choose,
    heard,
    listening,
    messages,
    open_library,
    quiet_config,
    reader_of,
    screen_lines,
    settle,
    settled_reader,
    type_text,
    until,
)
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from river_tui.domain import TriageState
from river_tui.domain.claims import (
    Claim,
    ClaimStatus,
    Dossier,
    SourceLink,
)
from river_tui.exports.dossier_md import render_dossier
from river_tui.reader.claims import ClaimPost, claim_posts, paper_url, typed_source
from river_tui.reader.views import NavKind, NavTarget
from river_tui.store.papers import PaperFilter
from river_tui.ui.app import RiverApp
from river_tui.ui.components.dialogs import NameScreen, PickScreen
from river_tui.ui.components.dossiers import ClaimTextScreen, DossierListScreen
from river_tui.ui.components.help import HelpScreen
from river_tui.ui.components.tending import TEND_GROUP
from river_tui.ui.render import claim_card

SIZE = (160, 48)
SLUG = "training-methodology-frontier-shift"
DOSSIER = NavTarget(NavKind.DOSSIER, SLUG)
RIVER = NavTarget(NavKind.RIVER, "credit-assignment")
EDITED = "Flow-GRPO gives each step of a long trajectory its share of the credit"
SUCCESSOR = "Step-level credit lets a 7B agent beat GPT-4o on search and math"
ARXIV = "https://arxiv.org/abs/2606.05152"
WEB = "https://example.org/post"


# -- helpers ---------------------------------------------------------------------------------------
def tending(app: RiverApp) -> bool:
    return any(w.group == TEND_GROUP and w.is_running for w in app.workers)


async def finished(app: RiverApp, pilot: Pilot) -> None:
    """Until the tending dialogs are closed and the flow has written (or given up)."""
    await until(pilot, lambda: app.screen is app.reader and not tending(app))
    await pilot.pause()


async def opened(app: RiverApp, pilot: Pilot, kind: type) -> None:
    await until(pilot, lambda: isinstance(app.screen, kind))


async def answer(app: RiverApp, pilot: Pilot, text: str) -> None:
    """Type ``text`` into the open one-line dialog and press Enter."""
    await opened(app, pilot, NameScreen)
    await type_text(pilot, text)
    await pilot.press("enter")


async def pick(app: RiverApp, pilot: Pilot, *keys: str) -> None:
    """In the open picker, press ``keys`` then Enter."""
    await opened(app, pilot, PickScreen)
    await pilot.press(*keys, "enter")


async def write_claim(app: RiverApp, pilot: Pilot, text: str) -> None:
    """Replace the text of the open claim text dialog with ``text`` and save it."""
    await opened(app, pilot, ClaimTextScreen)
    await pilot.press("f7")  # select all: typing replaces it
    await type_text(pilot, text)
    await pilot.press("ctrl+s")


def notes(app: RiverApp) -> list[str]:
    return messages(app)


def history(db: Path, claim_id: int) -> list[str]:
    with open_library(db) as lib:
        dossier = lib.dossier(SLUG)
        assert dossier is not None
        claim = next(c for c in dossier.claims if c.id == claim_id)
        return [f"{e.headline} — {e.note}" for e in claim.events]


def cards(app: RiverApp) -> list[Static]:
    return list(reader_of(app).detail.query(".card").results(Static))


def dimmed(text: Text) -> bool:
    """``text`` is dimmed from its first character to its last."""
    return any(
        span.start == 0 and span.end == len(text.plain) and str(span.style) == "dim"
        for span in text.spans
    )


def cite_capo(db: Path, *texts: str) -> list[int]:
    """Claims in the seed dossier citing the CAPO paper (its river is credit-assignment)."""
    with open_library(db) as lib:
        (capo,) = lib.papers(PaperFilter(query='ti:"CAPO"'))
        record = lib.record(capo.pk)
        assert record is not None and record.paper.title == CAPO
        source = SourceLink.make("paper", paper_url(record), CAPO)
        return [lib.assert_claim(SLUG, t, "claim", [source], date(2026, 11, 1)) for t in texts]


# -- tending, by keys --------------------------------------------------------------------------
async def test_every_tending_by_keys_appends_its_event_in_order(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        dossier = lib.dossier(SLUG)
        assert dossier is not None
        first, second, _third = (c.id for c in dossier.claims)
        assert first is not None and second is not None
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        reader = reader_of(app)
        await choose(pilot, app, DOSSIER)

        await pilot.press("E")  # edit: claim (the first active one is highlighted), text, reason
        await pick(app, pilot)
        await write_claim(app, pilot, EDITED)
        await answer(app, pilot, "sharper wording")
        await finished(app, pilot)
        assert f"Claim #{first} edited." in notes(app)

        await pilot.press("L")  # a paper source by its arXiv id; Enter alone: the label says why
        await pick(app, pilot)
        await pick(app, pilot)  # paper
        await answer(app, pilot, "arXiv:2606.05152v2")
        await answer(app, pilot, "Flow GRPO")
        await answer(app, pilot, "")
        await finished(app, pilot)

        await pilot.press("L")  # a web source, with a reason
        await pick(app, pilot)
        await pick(app, pilot, "down")  # web
        await answer(app, pilot, WEB)
        await answer(app, pilot, "A post")
        await answer(app, pilot, "more context")
        await finished(app, pilot)

        await pilot.press("U")  # remove the web source
        await pick(app, pilot)
        await pick(app, pilot, "down")
        await answer(app, pilot, "a repost")
        await finished(app, pilot)

        await pilot.press("B")  # re-badge: caveat → supported
        await pick(app, pilot)
        await pick(app, pilot, "j")  # claim, [supported], contested, refuted
        await answer(app, pilot, "replicated")
        await finished(app, pilot)

        await pilot.press("N")  # supersede: new text, badge (the current one is highlighted)
        await pick(app, pilot)
        await write_claim(app, pilot, SUCCESSOR)
        await pick(app, pilot)
        await answer(app, pilot, "new numbers")
        await finished(app, pilot)

        await pilot.press("X")  # retract: the first active claim is now the second
        await pick(app, pilot)
        await answer(app, pilot, "misread")
        await finished(app, pilot)
        assert f"Claim #{second} retracted." in notes(app)
        assert not [n for n in heard(app) if n.severity == "error"]
        assert reader.dossier_slug == SLUG
        shown = reader.detail.text()
        assert "retracted — misread" in shown and SUCCESSOR in shown
        await pilot.press("q")

    assert history(db, first) == [
        "asserted as caveat — First asserted.",
        "edited — sharper wording",
        "sourced — Flow GRPO",
        "sourced — more context",
        "unsourced — a repost",
        "rebadged as supported — replicated",
        "superseded — new numbers",
    ]
    assert history(db, second) == ["asserted as caveat — First asserted.", "retracted — misread"]
    with open_library(db) as lib:
        dossier = lib.dossier(SLUG)
        assert dossier is not None
        old, retracted, _third, new = dossier.claims
        assert (old.text, old.status, old.badge) == (EDITED, ClaimStatus.SUPERSEDED, "supported")
        assert retracted.status is ClaimStatus.RETRACTED
        assert (new.text, new.badge, new.status) == (SUCCESSOR, "supported", ClaimStatus.ACTIVE)
        assert [(s.kind, s.url, s.label) for s in new.sources] == [("paper", ARXIV, "Flow GRPO")]
        assert [f"{e.headline} — {e.note}" for e in new.events] == [
            "asserted as supported — Supersedes an earlier claim: new numbers"
        ]
        assert dossier.last_tended == date.today()

    # A restart shows it all, from the file, in order; the retired claims dimmed.
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, app, DOSSIER)
        text = reader_of(app).detail.text()
        lines = ["edited — sharper wording", "unsourced — a repost", "superseded — new numbers"]
        assert [text.index(line) for line in lines] == sorted(text.index(line) for line in lines)
        assert [("inactive" in card.classes) for card in cards(app)] == [True, True, False, False]


async def test_the_dossiers_papers_follow_a_source_added_and_removed(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        (capo,) = lib.papers(PaperFilter(query='ti:"CAPO"'))
        record = lib.record(capo.pk)
        assert record is not None
        url = paper_url(record)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        stream = reader_of(app).stream

        def shown() -> list[int]:
            return [p.pk for i in range(stream.rows.count) if (p := stream.rows.paper_at(i))]

        await choose(pilot, app, DOSSIER)  # its claims cite nothing yet
        assert shown() == []
        await pilot.press("L")
        await pick(app, pilot)
        await pick(app, pilot)  # paper
        await answer(app, pilot, url)
        await answer(app, pilot, "CAPO")
        await answer(app, pilot, "")
        await finished(app, pilot)
        await until(pilot, lambda: shown() == [capo.pk])
        assert reader_of(app).dossier_slug == SLUG  # the dossier stays shown as it is tended
        await pilot.press("U")
        await pick(app, pilot)
        await pick(app, pilot)
        await answer(app, pilot, "wrong paper")
        await finished(app, pilot)
        await until(pilot, lambda: shown() == [])
        assert not [n for n in heard(app) if n.severity == "error"]


async def test_an_undo_that_moves_the_cursor_shows_its_paper_not_the_dossier(
    tmp_path: Path,
) -> None:
    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        papers = lib.papers(PaperFilter(query="credit"), limit=2)
        sources = []
        for summary in papers:
            record = lib.record(summary.pk)
            assert record is not None
            sources.append(SourceLink.make("paper", paper_url(record), record.paper.title))
        lib.assert_claim(SLUG, "Two papers say so.", "claim", sources, date(2026, 11, 1))
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        reader = reader_of(app)
        await choose(pilot, app, DOSSIER)
        stream = reader.stream
        assert stream.rows.count == 2 and reader.dossier_slug == SLUG
        second = stream.rows.paper_at(1)
        assert second is not None
        stream.focus()
        await pilot.press("j", "r")  # the second paper read: the detail shows it
        await until(pilot, lambda: reader.detail_pk == second.pk)
        await pilot.press("k")  # back to the first, then the dossier again
        await choose(pilot, app, DOSSIER)
        assert reader.dossier_slug == SLUG and stream.cursor == 0
        stream.focus()
        await pilot.press("u")  # undoes the read: the cursor goes to that paper, the pane too
        await until(pilot, lambda: stream.cursor == 1)
        await until(pilot, lambda: reader.detail_pk == second.pk and reader.dossier_slug is None)


async def test_a_reason_is_needed_and_nothing_is_written_without_one(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("X")  # no dossier shown yet
        await finished(app, pilot)
        assert "Choose a dossier first (D lists them)." in notes(app)
        await choose(pilot, app, DOSSIER)
        await pilot.press("X")
        await pick(app, pilot)
        await answer(app, pilot, "")  # Enter alone
        await finished(app, pilot)
        assert "Not retracted: a reason is needed." in notes(app)
        await pilot.press("E")  # the same text again is no edit
        await pick(app, pilot)
        await opened(app, pilot, ClaimTextScreen)
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        assert "Not edited: the text is the same as before." in notes(app)
        await pilot.press("L")  # an address that is none
        await pick(app, pilot)
        await pick(app, pilot, "down")
        await answer(app, pilot, "not-a-url")
        await finished(app, pilot)
        assert "Not added: 'not-a-url' is not an http(s) URL" in notes(app)
    with open_library(db) as lib:
        dossier = lib.dossier(SLUG)
        assert dossier is not None
        assert all(len(c.events) == 1 and not c.sources for c in dossier.claims)


# -- the list of dossiers and a dossier's page ------------------------------------------------
async def test_the_dossier_list_and_a_page_equal_to_the_export(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        second = Dossier("second", "A [bold]second[/] dossier", importance=7)
        lib.create_dossier(second)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        reader = reader_of(app)
        await choose(pilot, app, NavTarget(NavKind.DOSSIERS))  # the navigation's entry
        await opened(app, pilot, DossierListScreen)
        await pilot.press("escape")
        await finished(app, pilot)

        await pilot.press("D")
        await opened(app, pilot, DossierListScreen)
        table = app.screen.query_one(DataTable)
        assert [Text.from_markup(str(c.label)).plain for c in table.columns.values()] == [
            "Title",
            "Status",
            "Importance",
            "Claims",
            "Last tended",
        ]
        rows = [[cell.plain for cell in table.get_row_at(n)] for n in range(table.row_count)]
        assert rows[0] == ["A [bold]second[/] dossier", "seedling", "7/10", "0", "—"]
        assert rows[1][1:] == ["seedling", "5/10", "3", "2026-06-04"]
        assert rows[1][0].startswith("The capability frontier is shifting")
        await pilot.press("j", "enter")
        await finished(app, pilot)

        assert (reader.dossier_slug, reader.dossier_as_page) == (SLUG, True)
        assert reader.nav.highlighted_target == DOSSIER
        with open_library(db) as lib:
            dossier = lib.dossier(SLUG)
        assert dossier is not None
        assert reader.detail.page_source == render_dossier(dossier)
        assert not cards(app)
        # Rendered, in the stream's width too: no Markdown marks, the stream's title gone.
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "Cited by" not in shown and "## Claims" not in shown and "**status:**" not in shown
        assert "status: seedling · importance: 5/10" in shown
        assert "The capability frontier is shifting from model scale to training" in shown

        await pilot.press("M")  # the claims as cards (the stream back), then the page again
        assert len(cards(app)) == 3 and not reader.dossier_as_page
        await pilot.pause()
        assert "Cited by" in "\n".join(screen_lines(app))
        await pilot.press("M")
        assert reader.dossier_as_page and not cards(app)

        # Tending works from the page, and the page follows.
        await pilot.press("X")
        await pick(app, pilot, "down")
        await answer(app, pilot, "misread")
        await finished(app, pilot)
        assert reader.dossier_as_page
        with open_library(db) as lib:
            dossier = lib.dossier(SLUG)
        assert dossier is not None
        page = reader.detail.page_source
        assert page == render_dossier(dossier)
        assert "- `" + date.today().isoformat() + "` **retracted** — misread" in page

        # Back to the papers (Esc): the stream returns, beside the dossier's cards.
        await pilot.press("escape")
        await pilot.pause()
        assert not reader.dossier_as_page and reader.stream.has_focus
        assert "Cited by" in "\n".join(screen_lines(app))


async def test_in_a_narrow_terminal_the_dossier_list_shows_every_column(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("D")
        await opened(app, pilot, DossierListScreen)
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        title = table.get_cell_at(Coordinate(0, 0))
        assert isinstance(title, Text) and title.plain.endswith("…")


# -- retired claims: dimmed, hidden from the river, refused ---------------------------------------
async def test_undo_after_tending_a_claim_says_what_it_undoes_first(tmp_path: Path) -> None:
    """A claim's history only grows, so undo takes back paper decisions. Right after a claim
    was tended, 'u' says so instead of undoing an older decision on a paper out of sight
    (found driving River in tmux); a second 'u' undoes it."""
    db = seeded_library(tmp_path)
    async with settled_reader(db) as (app, pilot, reader):
        skipped = reader.stream.highlighted
        await pilot.press("x")
        await settle(app, pilot)
        await choose(pilot, app, DOSSIER)
        await pilot.press("B")  # re-badge
        await pick(app, pilot)
        await pick(app, pilot)
        await answer(app, pilot, "replicated")
        await finished(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert "u undoes paper decisions" in notes(app)[-1]
        with open_library(db) as lib:
            assert lib.record(skipped.pk).state is TriageState.SKIPPED
        await pilot.press("u")
        await settle(app, pilot)
        assert notes(app)[-1].startswith("Undone: back to new (it was skipped)")
        with open_library(db) as lib:
            assert lib.record(skipped.pk).state is TriageState.NEW


async def test_a_retracted_claim_is_dimmed_hidden_from_the_river_and_refused(
    tmp_path: Path,
) -> None:
    db = seeded_library(tmp_path)
    keep, gone = cite_capo(db, "Credit assignment scales down.", "Verifiers are enough.")
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        reader = reader_of(app)
        await choose(pilot, app, RIVER)
        river = reader.detail.text()
        assert "Verifiers are enough." in river and "Credit assignment scales down." in river

        await choose(pilot, app, DOSSIER)
        await pilot.press("X")
        await pick(app, pilot, "end")  # the last claim
        await answer(app, pilot, "misread the table")
        await finished(app, pilot)
        last = cards(app)[-1]
        assert "inactive" in last.classes
        content = last.content
        assert isinstance(content, Text) and dimmed(content)
        assert "· retracted" in content.plain
        assert not any("inactive" in card.classes for card in cards(app)[:-1])

        # Hidden from the river by default; H shows it dimmed, H hides it again.
        await choose(pilot, app, RIVER)
        river = reader.detail.text()
        assert "Credit assignment scales down." in river
        assert "Verifiers are enough." not in river
        # The navigation counts what the river shows: its active claims and its posts.
        await settle(app, pilot)
        posts = dict(reader.session.counts.rivers)[RIVER.value]
        assert posts == len(cards(app)) == len(reader.session.river_posts(RIVER.value))
        with open_library(db) as lib:
            assert posts == lib.post_counts()[RIVER.value] + 4  # the seed dossier's 3, 1 here
        await pilot.press("H")
        river = reader.detail.text()
        assert "Verifiers are enough." in river and f"claim #{gone} · retracted" in river
        (shown,) = [c for c in cards(app) if "inactive" in c.classes]
        assert isinstance(shown.content, Text) and dimmed(shown.content)
        await pilot.press("H")
        assert "Verifiers are enough." not in reader.detail.text()

        # Tending it again is refused, with a message, and writes nothing.
        await choose(pilot, app, DOSSIER)
        await pilot.press("B")
        await pick(app, pilot, "end")
        await finished(app, pilot)
        assert any(f"Claim #{gone} is retracted" in n for n in notes(app))

        # A claim retracted elsewhere while its dialogs are open: the store refuses, the reader
        # says so (no traceback), and only the other retraction is recorded.
        await pilot.press("X")
        await pick(app, pilot, "end", "up")
        await opened(app, pilot, NameScreen)
        with open_library(db) as lib:
            lib.retract(keep, "retracted elsewhere", date.today())
        await answer(app, pilot, "mine")
        await finished(app, pilot)
        errors = [n.message for n in heard(app) if n.severity == "error"]
        assert errors == [f"Not changed: claim {keep} is retracted: tend its successor instead"]
        assert app.is_running
    assert history(db, gone) == [
        "asserted as claim — First asserted.",
        "retracted — misread the table",
    ]
    assert history(db, keep) == [
        "asserted as claim — First asserted.",
        "retracted — retracted elsewhere",
    ]


def test_the_river_leaves_out_retired_claims_unless_asked() -> None:
    cites = SourceLink.make("paper", ARXIV, "A paper")
    active = Claim("Holds.", "claim", [cites], id=1)
    superseded = Claim("Older.", "claim", [cites], status=ClaimStatus.SUPERSEDED, id=2)
    dossiers = [Dossier("a", "A", claims=[active, superseded])]
    tags = {"2606.05152": ("t",)}.get
    assert [p.body for p in claim_posts("t", dossiers, lambda pid: tags(pid, ()))] == ["Holds."]
    both = claim_posts("t", dossiers, lambda pid: tags(pid, ()), include_inactive=True)
    assert [(p.body, p.beat) for p in both] == [
        ("Holds.", "claim #1"),
        ("Older.", "claim #2 · superseded"),
    ]
    assert isinstance(both[1], ClaimPost) and both[1].status is ClaimStatus.SUPERSEDED
    assert dimmed(claim_card(2, superseded)) and not dimmed(claim_card(1, active))


def test_a_typed_source() -> None:
    assert typed_source("paper", "arXiv:2606.05152v2").url == ARXIV
    assert typed_source("paper", "https://arxiv.org/pdf/2606.05152v1").paper_id == "2606.05152"
    assert typed_source("paper", "river:prov:1f3a").paper_id == "prov:1f3a"
    assert typed_source("web", WEB, "A post").label == "A post"
    for kind, bad in (("web", "2606.05152"), ("paper", "nonsense"), ("web", "https://")):
        try:
            typed_source(kind, bad)
        except ValueError as exc:
            assert repr(bad) in str(exc)
        else:
            raise AssertionError(f"{bad!r} was taken as a {kind} source")


# -- the keys are listed and can be remapped ------------------------------------------------------
async def test_the_dossier_keys_are_in_help_and_remap_by_id(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config(keys={"dossier.retract": "ctrl+r"})))
    async with app.run_test(size=SIZE) as pilot:
        assert not any("no binding has the id" in n for n in notes(app))
        await pilot.press("question_mark")
        await opened(app, pilot, HelpScreen)
        help_text = str(app.screen.query_one("#help-text", Static).content)
        for binding_id in (
            "dossier.list",
            "dossier.page",
            "dossier.rebadge",
            "dossier.edit",
            "dossier.add-source",
            "dossier.remove-source",
            "dossier.supersede",
            "dossier.retract",
            "river.history",
        ):
            assert binding_id in help_text
        assert "Dossiers and the river" in help_text
        await pilot.press("escape")
        await pilot.press("ctrl+p")  # the dossier keys are commands too
        await type_text(pilot, "List the dossiers")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await opened(app, pilot, DossierListScreen)
        await pilot.press("escape")
        await finished(app, pilot)
        await choose(pilot, app, DOSSIER)
        await pilot.press("ctrl+r")
        await opened(app, pilot, PickScreen)
        assert app.screen.title_text == "Retract a claim"
        await pilot.press("escape")
        await finished(app, pilot)
