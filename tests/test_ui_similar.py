"""``m``: the papers most like the highlighted one, best first, with the words they share;
triage works there as anywhere; Esc goes back to the view it was pressed in."""

from __future__ import annotations

from pathlib import Path

from test_ui import seeded_library
from test_ui_support import choose, messages, open_library, settle, settled_reader, title_of

from river_tui.domain import TriageState
from river_tui.reader.views import NavKind, NavTarget
from river_tui.store.library import PaperFilter
from river_tui.ui.render import count_title

from conftest import detail_shown

DELTA = (
    "DelTA: Discriminative Token Credit Assignment for Reinforcement Learning from Verifiable "
    "Rewards"
)


async def test_m_lists_similar_papers_best_first_then_esc_goes_back(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        (delta,) = [p.pk for p in lib.papers() if p.title == DELTA]
        like = lib.similar(delta, 50)
        row = lib.position(PaperFilter(), delta)
    assert row is not None and len(like) > 10
    async with settled_reader(db) as (app, pilot, reader):
        session, stream = reader.session, reader.stream
        await choose(pilot, app, NavTarget(NavKind.ALL))
        session.move_to(row)
        await pilot.press("m")
        await settle(app, pilot)
        assert session.view == NavTarget(NavKind.SIMILAR, str(delta))
        assert app.focused is stream
        shown = [stream.rows.paper_at(i).pk for i in range(stream.rows.count)]
        assert shown == [s.pk for s in like]
        assert title_of(stream) == str(
            count_title("Like “DelTA: Discriminative Token…”", len(like), len(like))
        )
        # The detail pane says what the paper shares with DelTA.
        await detail_shown(pilot)
        assert f"shared: {', '.join(like[0].shared)}" in reader.detail.text()
        # Triage works in the view: the papers stay on their rows; x moves on, k comes back.
        await pilot.press("s", "j", "x", "k")
        await settle(app, pilot)
        with open_library(db) as lib:
            first, second = lib.record(like[0].pk), lib.record(like[1].pk)
        assert first.starred and second.state is TriageState.SKIPPED
        assert [stream.rows.paper_at(i).pk for i in range(stream.rows.count)] == shown
        assert stream.highlighted.pk == like[1].pk
        # S does not sort it: the order is the similarity's.
        await pilot.press("S")
        await settle(app, pilot)
        assert "Similar papers are listed most alike first: S sorts the other views." in messages(
            app
        )
        assert [stream.rows.paper_at(i).pk for i in range(stream.rows.count)] == shown
        # m again, from a similar paper; Esc goes back to it, then to All papers, on DelTA.
        await pilot.press("m")
        await settle(app, pilot)
        assert session.view == NavTarget(NavKind.SIMILAR, str(like[1].pk))
        await pilot.press("escape")
        await settle(app, pilot)
        assert session.view == NavTarget(NavKind.SIMILAR, str(delta))
        assert stream.highlighted.pk == like[1].pk
        await pilot.press("escape")
        await settle(app, pilot)
        assert session.view == NavTarget(NavKind.ALL)
        assert stream.highlighted.pk == delta
        assert stream.rows.filter == PaperFilter()
        assert "shared:" not in reader.detail.text()
        # Esc elsewhere is not taken by the stream: nothing changes.
        await pilot.press("escape")
        await settle(app, pilot)
        assert session.view == NavTarget(NavKind.ALL) and stream.highlighted.pk == delta
