"""A claim under review in the reader (issue 19): v2 of a quoted paper lands from another
process, the navigation lists *Needs review* with its count, choosing it shows the claim with
River's event (the old and the new sentence) and its mark; accepting it (``river claim
review``) empties the entry."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from test_ui_refresh import HF, served_config
from test_ui_support import (
    choose,
    messages,
    nav_text,
    settle,
    settled_reader,
    title_of,
    until,
)
from test_ui_tending import answer, finished, pick
from test_versions import AS_OF, V2, flagged_library, lattice_v1

from river_tui.domain.claims import Claim, ClaimEvent
from river_tui.importing import import_file, seed_sample
from river_tui.reader.views import NavKind, NavTarget
from river_tui.store.library import Library
from river_tui.ui.render import ADDED, REMOVED, claim_card

from conftest import run_river
from httpserver import LocalServer, local_server

__all__ = ["local_server"]

REVIEW = NavTarget(NavKind.REVIEW)


async def test_needs_review_lists_the_claim_with_rivers_event(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    first, second = flagged_library(db)
    async with settled_reader(db) as (app, pilot, reader):
        assert "⚑ Needs review" in nav_text(reader.nav) and REVIEW in reader.nav.targets
        await choose(pilot, app, REVIEW)
        shown = reader.detail.text()
        assert title_of(reader.detail) == "Needs review · 2" and "2 claims" in shown
        assert "needs review: changed" in shown
        assert "rechecked by River — v1 → v2: the quoted sentence changed:" in shown
        # The diff: what v2 dropped struck through, what it added (test below: its styles).
        assert "by a constant. constant that depends only on the matrix.”" in shown
        assert run_river("--db", str(db), "claim", "review", str(first), "--accept").returncode == 0
        assert (
            run_river(
                "--db", str(db), "claim", "review", str(second), "--retract", "--reason", "no"
            ).returncode
            == 0
        )
        reader.session.other_writers()  # what the reader's watch does every few seconds
        await until(pilot, lambda: REVIEW not in reader.nav.targets)
        await settle(app, pilot)
        assert "Needs review" not in nav_text(reader.nav)


def test_an_import_of_v2_counts_the_claims_under_review(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    flagged_library(db)
    with Library.open(db) as lib:
        import_file(lib, V2, None)  # again: nothing more
        assert lib.count_under_review() == 2


async def test_v_quotes_the_new_version_by_keys_and_answers_the_review(tmp_path: Path) -> None:
    """In the dossier: V, the claim, the sentence River found closest (highlighted), Enter
    for no reason: the claim quotes v2, is no longer under review, and its history shows
    River's event and the reader's."""
    db = tmp_path / "lib.db"
    first, _second = flagged_library(db)
    async with settled_reader(db) as (app, pilot, reader):
        await choose(pilot, app, NavTarget(NavKind.DOSSIER, "lattice"))
        await pilot.press("V")
        await pick(app, pilot)  # the first claim
        await pick(app, pilot)  # the sentence highlighted: the changed one, as v2 has it
        await answer(app, pilot, "")
        await finished(app, pilot)
        assert f"Claim #{first} quotes v2 now." in messages(app)
        shown = reader.detail.text()
        assert "rechecked by River — v1 → v2" in shown and "requoted — quotes v2 now" in shown
    with Library.open(db) as lib:
        dossier = lib.dossier("lattice")
        waiting = lib.count_under_review()
    assert dossier is not None and waiting == 1  # the other claim still waits
    claim = next(c for c in dossier.claims if c.id == first)
    assert claim.review is None
    (source,) = claim.sources
    assert source.quote is not None and source.quote.version == 2
    assert source.quote.exact.endswith("by a constant that depends only on the matrix.")
    assert [(e.action, e.actor) for e in claim.events] == [
        ("asserted", "you"),
        ("rechecked", "river"),
        ("requoted", "you"),
    ]


def test_rivers_changed_note_shows_the_words_dropped_and_added() -> None:
    note = (
        "v1 → v2: the quoted sentence changed: “It is bounded by a constant.” → "
        "“It is bounded by a constant that depends only on the matrix.”"
    )
    event = ClaimEvent(date(2026, 12, 7), "rechecked", None, note, "river")
    card = claim_card(1, Claim("Bounded.", "caveat", events=[event]))
    plain = card.plain
    assert "rechecked by River — v1 → v2: the quoted sentence changed: “It is bounded by a" in plain

    def styled(words: str) -> str:
        start = plain.index(words)
        return " ".join(str(span.style) for span in card.spans if span.start <= start < span.end)

    assert REMOVED in styled("constant. ")
    assert ADDED in styled("constant that depends only on the matrix.")
    assert REMOVED not in styled("It is bounded") and ADDED not in styled("It is bounded")


async def test_w_attaches_new_evidence_with_a_relation_and_dismisses_another(
    tmp_path: Path,
) -> None:
    """The sample library (its dossier imported before its papers): Needs review lists the
    three seed claims with the papers that may bear on them. W on the first claim attaches its
    best paper as contradicting it; W on the Grok claim dismisses its one paper, which takes
    that claim out of Needs review."""
    db = tmp_path / "lib.db"
    with Library.open(db, []) as lib:
        seed_sample(lib)
    async with settled_reader(db) as (app, pilot, reader):
        assert REVIEW in reader.nav.targets
        await choose(pilot, app, REVIEW)
        shown = reader.detail.text()
        assert title_of(reader.detail) == "Needs review · 3"
        assert "needs review: new-evidence" in shown
        assert "May bear on this claim (28 new)" in shown and "and 23 more" in shown
        assert "Credit Risk" not in shown.split("May bear on this claim (12 new)")[0]
        await pilot.press("W")
        await pick(app, pilot)  # the first claim
        await pick(app, pilot)  # its best paper
        await pick(app, pilot, "down")  # contradicts
        await finished(app, pilot)
        assert "Attached to claim #1 as contradicts." in messages(app)
        shown = reader.detail.text()
        assert "May bear on this claim (27 new)" in shown
        assert "paper contradicts MatchTIR" in shown
        assert "attached — contradicts: MatchTIR" in shown
        await pilot.press("W")
        await pick(app, pilot, "down", "down")  # the Grok claim
        await pick(app, pilot)  # its one paper
        await pick(app, pilot, "down", "down", "down")  # dismiss
        await finished(app, pilot)
        assert "Dismissed for claim #3." in messages(app)
        await until(pilot, lambda: title_of(reader.detail) == "Needs review · 2")
    with Library.open(db) as lib:
        grok = lib.claim(3)
    assert grok is not None and grok.review is None and grok.leads == []


async def test_a_refresh_brings_v2_and_v_requotes_it_from_needs_review(
    tmp_path: Path, local_server: LocalServer
) -> None:
    """Issue 19's must-show: a claim quotes v1 of a paper; R refreshes, and the watch of the
    papers claims cite brings v2 with the quoted sentence changed (the local server answers
    with the edited recorded response); Needs review lists the claim with the word diff on
    screen; V, Enter (the sentence River found closest), Enter (no reason) re-quotes v2 and
    clears the review; the history shows River's event, then the reader's."""
    db = tmp_path / "lib.db"
    with Library.open(db, []) as lib:
        source, _kept = lattice_v1(lib)
        claim_id = lib.assert_claim("lattice", "Bounded.", "caveat", [source], AS_OF)
    local_server.route_file("/api/query", V2)
    local_server.route_file("/api/daily_papers", HF)
    served = served_config(local_server)  # no refresh at start: R asks for it
    config = dataclasses.replace(
        served, sources=dataclasses.replace(served.sources, interval_minutes=0)
    )
    async with settled_reader(db, config) as (app, pilot, reader):
        assert REVIEW not in reader.nav.targets
        await pilot.press("R")
        await until(pilot, lambda: REVIEW in reader.nav.targets)
        await settle(app, pilot)
        watched = [r for r in local_server.requests if r.path == "/api/query"]
        assert [r.query["id_list"] for r in watched] == ["1605.08386"]
        await choose(pilot, app, REVIEW)
        card = reader.detail.text()
        assert "needs review: changed" in card and "rechecked by River — v1 → v2" in card
        assert "by a constant. constant that depends only on the matrix.”" in card  # the diff
        await pilot.press("V")  # the only claim under review: no claim to pick
        await pick(app, pilot)  # the sentence River found closest, highlighted
        await answer(app, pilot, "")
        await finished(app, pilot)
        assert f"Claim #{claim_id} quotes v2 now." in messages(app)
        await settle(app, pilot)
    with Library.open(db) as lib:
        claim = lib.claim(claim_id)
    assert claim is not None
    assert claim.review is None
    assert [(e.action, e.actor) for e in claim.events] == [
        ("asserted", "you"),
        ("rechecked", "river"),
        ("requoted", "you"),
    ]
    assert claim.sources[0].quote is not None and claim.sources[0].quote.version == 2
