"""Promoting a paper to a claim, and re-badging a claim, by keys only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from test_ui import seeded_library
from test_ui_support import (
    choose,
    heard,
    listening,
    open_library,
    quiet_config,
    settle,
    type_text,
    until,
)
from textual.widgets import OptionList, SelectionList, Static, TextArea

from river_tui.domain.claims import (
    RIVER_SCHEME,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Dossier,
    SourceLink,
)
from river_tui.domain.quotes import Sentence, quote_of, split_sentences
from river_tui.reader.claims import claim_posts, new_dossier, paper_url
from river_tui.reader.views import NavKind, NavTarget
from river_tui.store.papers import PaperFilter
from river_tui.ui.app import RiverApp
from river_tui.ui.components.claim_editor import ClaimEditor
from river_tui.ui.components.dialogs import ConfirmScreen
from river_tui.ui.components.reader import ReaderScreen

SIZE = (160, 48)
SLUG = "training-methodology-frontier-shift"
CLAIM = "CAPO gives token level credit"
REASON = "replicated twice"
RIVER_TAG = "credit-assignment"


def test_sentences_keep_their_offsets() -> None:
    text = 'We study X, e.g. credit. It works!  Does it? "Yes." Then 3.5 points et al. say so. End'
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "We study X, e.g. credit.",
        "It works!",
        "Does it?",
        '"Yes."',
        "Then 3.5 points et al. say so.",
        "End",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert split_sentences("") == [] and split_sentences("  ") == []


def test_a_quote_keeps_forty_characters_either_side() -> None:
    abstract = "a" * 49 + ". The middle. " + "B" * 50
    sentence = next(s for s in split_sentences(abstract) if s.text == "The middle.")
    quote = quote_of(abstract, sentence)
    assert (quote.exact, quote.start, quote.end) == ("The middle.", 51, 62)
    assert quote.prefix == abstract[11:51] and len(quote.prefix) == 40
    assert quote.suffix == " " + "B" * 39
    short = quote_of("Only.", Sentence("Only.", 0, 5))
    assert (short.prefix, short.suffix) == ("", "")


def test_a_new_dossier_is_a_seedling_at_its_canonical_path() -> None:
    dossier = new_dossier("Credit, Assigned!", date(2026, 11, 22))
    assert dossier.slug == "credit-assigned"
    assert dossier.canonical == "/dossier/credit-assigned"
    assert (str(dossier.status), dossier.importance) == ("seedling", 5)
    assert dossier.created == date(2026, 11, 22)


def reader_of(app: RiverApp) -> ReaderScreen:
    assert app.reader is not None
    return app.reader


async def search_capo(app: RiverApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    await type_text(pilot, "CAPO")
    await pilot.press("enter")
    await settle(app, pilot)
    paper = reader_of(app).stream.highlighted
    assert paper is not None and paper.title.startswith("CAPO:")


async def test_promote_a_paper_then_rebadge_the_claim(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = reader_of(app)
        await search_capo(app, pilot)
        capo = reader.stream.highlighted
        assert capo is not None
        record = reader.library.record(capo.pk)
        assert record is not None
        abstract = record.paper.abstract

        await pilot.press("p")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ClaimEditor)
        dossiers = editor.query_one("#claim-dossier", OptionList)
        assert app.focused is dossiers
        index = next(i for i, d in enumerate(editor.dossiers) if d.slug == SLUG)
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")  # this dossier: on to the evidence
        evidence = editor.query_one("#claim-evidence", SelectionList)
        assert app.focused is evidence
        await pilot.press("down", "space")  # tick the second sentence
        assert evidence.selected == [1]
        await pilot.pause()
        # The list cuts a sentence to its width; the one ticked is shown whole under it.
        second = editor.sentences[1].text
        quoted = editor.query_one("#claim-quoted", Static).render()
        assert str(quoted) == f"“{second}”"
        await pilot.press("tab")
        assert app.focused is editor.query_one("#claim-text", TextArea)
        await type_text(pilot, CLAIM)
        await pilot.press("tab")
        assert app.focused is editor.query_one("#claim-badge", OptionList)
        await pilot.press("down")  # claim → caveat
        assert editor.badge == "caveat"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is reader
        await settle(app, pilot)
        assert any("Claim saved to " in n.message for n in heard(app))
        promoted = reader.library.papers(PaperFilter(query="is:promoted"))
        assert capo.pk in {p.pk for p in promoted}

        # Re-badge it from the dossier view: claim, badge, reason.
        await choose(pilot, app, NavTarget(NavKind.DOSSIER, SLUG))
        assert reader.dossier_slug == SLUG
        await pilot.press("B")
        await pilot.pause()
        await pilot.press("end", "enter")  # our claim is the last one
        await pilot.pause()
        badges = [b for b in reader.badges if b != "caveat"]
        for _ in range(badges.index("supported")):
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, REASON)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is reader
        assert f"rebadged as supported — {REASON}" in reader.detail.text()
        await pilot.press("q")

    # A restart shows the history, in order, from the file.
    sentence = split_sentences(abstract)[1]
    with open_library(db) as lib:
        dossier = lib.dossier(SLUG)
        assert dossier is not None
        assert RIVER_TAG in record.tags
        claim = dossier.claims[-1]
        assert (claim.text, claim.badge) == (CLAIM, "supported")
        assert [e.headline for e in claim.events] == ["asserted as caveat", "rebadged as supported"]
        assert [e.note for e in claim.events] == ["First asserted.", REASON]
        (source,) = claim.sources
        assert source.url == paper_url(record) and source.label == record.paper.title
        assert source.quote is not None
        quote = source.quote
        assert (quote.exact, quote.start, quote.end) == (
            sentence.text,
            sentence.start,
            sentence.end,
        )
        assert quote.start is not None and quote.end is not None
        assert abstract[quote.start : quote.end] == quote.exact
        assert quote.prefix == abstract[max(0, quote.start - 40) : quote.start]

    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await choose(pilot, app, NavTarget(NavKind.DOSSIER, SLUG))
        text = reader_of(app).detail.text()
        first = text.index("asserted as caveat — First asserted.")
        assert text.index(f"rebadged as supported — {REASON}") > first
        assert CLAIM in text
        # The river of a tag the cited paper carries shows the claim with its new badge.
        await choose(pilot, app, NavTarget(NavKind.RIVER, RIVER_TAG))
        river = reader_of(app).detail.text()
        assert f"[supported] {dossier.title}" in river
        assert CLAIM in river
        # Newest first: the claim made today, then the posts the saved page dated 4 days back.
        assert river.index(CLAIM) < river.index("Juno @juno")


async def test_escape_asks_before_discarding(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reader = reader_of(app)
        # Nothing entered: Escape just closes.
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ClaimEditor)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is reader
        # An empty claim does not save.
        await pilot.press("p")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ClaimEditor)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor
        assert any("empty claim" in n.message for n in heard(app))
        # Something typed: Escape asks; n keeps the editor, y discards, q does not quit.
        assert app.focused is editor.query_one("#claim-text", TextArea)
        await type_text(pilot, "half a thought")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("q")  # not a quit: the question guards the text
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is editor
        assert editor.text == "half a thought"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: app.screen is reader)
    with open_library(db) as lib:
        assert lib.count(PaperFilter(query="is:promoted")) == 0
        dossier = lib.dossier(SLUG)
        assert dossier is not None
        assert all(c.text != "half a thought" for c in dossier.claims)


async def test_in_a_short_terminal_the_editor_scrolls_each_part_into_view(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ClaimEditor)
        box = editor.query_one("#claim-box")
        assert box.region.bottom <= 30  # the editor fits the screen; its parts scroll in it
        for part in ("#claim-evidence", "#claim-text", "#claim-badge", "#claim-dossier"):
            await pilot.press("tab")
            await pilot.pause()
            widget = editor.query_one(part)
            assert app.focused is widget
            assert box.region.contains_region(widget.region), part


async def test_only_a_ticked_sentence_shows_an_x(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    app = listening(RiverApp(db_path=db, config=quiet_config()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p", "tab", "space")  # tick the first sentence
        await pilot.pause()
        evidence = app.screen.query_one("#claim-evidence", SelectionList)
        assert list(evidence.selected) == [0]

        def x_shows(row: int) -> bool:
            (x,) = [seg for seg in evidence.render_line(row) if seg.text == "X"]
            assert x.style is not None
            return x.style.color != x.style.bgcolor

        assert x_shows(0) and not x_shows(1) and not x_shows(2)


def test_a_paper_without_an_arxiv_id_is_cited_by_river_id(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        records = [lib.record(p.pk) for p in lib.papers(limit=500)]
    web = next(r for r in records if r is not None and r.paper.arxiv is None)
    assert paper_url(web) == RIVER_SCHEME + web.id


def test_a_river_shows_the_claims_of_dossiers_citing_its_papers() -> None:
    cites = SourceLink.make("paper", "https://arxiv.org/abs/2501.00001", "A paper")
    elsewhere = SourceLink.make("paper", "river:web-1", "A web item")
    on = date(2026, 11, 22)
    active = Claim("It holds.", "caveat", [cites], [ClaimEvent(on, "asserted", "caveat")], id=1)
    gone = Claim("Old.", "claim", [], status=ClaimStatus.RETRACTED, id=2)
    other = Claim("Unrelated.", "claim", [elsewhere], id=3)
    dossiers = [
        Dossier("a", "Dossier A", claims=[active, gone]),
        Dossier("b", "Dossier B", claims=[other]),
    ]
    tags = {"2501.00001": ("credit-assignment",), "web-1": ("agents",)}
    (post,) = claim_posts("credit-assignment", dossiers, lambda pid: tags.get(pid, ()))
    assert (post.author, post.badge, post.body) == ("Dossier A", "caveat", "It holds.")
    assert post.beat == "claim #1 · asserted as caveat" and post.handle == "you"
    assert post.age_at(datetime(2026, 11, 22, 18, tzinfo=UTC)) == "today"
    assert post.age_at(datetime(2026, 12, 6, 1, tzinfo=UTC)) == "2w"
    assert post.sources == [cites]
