"""The reader learns from decisions made by keys: the For you order changes and says why."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import OFF_TOPIC, RL_CREDIT_ASSIGNMENT, river
from test_ui import seeded_library
from test_ui_support import choose, open_library, settle, settled_reader, until

from river_tui.reader.views import NavKind, NavTarget
from river_tui.store.papers import Sort

FOR_YOU = NavTarget(NavKind.FOR_YOU)
ALL = NavTarget(NavKind.ALL)


def titles(session: object, first: int) -> list[str]:
    rows = session.rows  # type: ignore[attr-defined]
    return [p.title for i in range(min(first, rows.count)) if (p := rows.paper_at(i))]


async def test_decisions_by_keys_reorder_for_you_and_the_detail_says_why(tmp_path: Path) -> None:
    db = seeded_library(tmp_path)
    async with settled_reader(db) as (app, pilot, reader):
        session = reader.session
        await choose(pilot, app, FOR_YOU)
        await settle(app, pilot)
        before = titles(session, 10)
        assert session.rows.filter.sort is Sort.FOR_YOU
        assert not session.learner.trained  # no decision yet: the beats' score orders it

        await choose(pilot, app, ALL)
        reader.stream.focus()
        everything = titles(session, session.rows.count)
        starred = [t for t in everything if t in RL_CREDIT_ASSIGNMENT][:3]
        skipped = [t for t in everything if t in OFF_TOPIC][:3]
        assert len(starred) == len(skipped) == 3
        for title, key in [*((t, "s") for t in starred), *((t, "x") for t in skipped)]:
            session.move_to(titles(session, session.rows.count).index(title))
            await pilot.press(key)
        await until(pilot, lambda: session.learner.trained, timeout=60)

        await choose(pilot, app, FOR_YOU)
        await settle(app, pilot)
        after = titles(session, 10)
        assert after != before
        # What the reader kept comes first; what they let go is not new any more.
        assert set(after[:3]) == set(starred), after
        assert not set(skipped) & set(titles(session, session.rows.count))
        # The detail pane says why the paper under the cursor stands where it does.
        await pilot.press("enter")
        await until(pilot, lambda: "for you: +" in reader.detail.text())
        assert "learned from 3 kept and 3 let go" in session.learner.status

        # Another process marks a paper: the reader learns from it too, and its order is the
        # command line's, paper for paper.
        another = next(t for t in everything if t in RL_CREDIT_ASSIGNMENT and t not in starred)
        with open_library(db) as lib:
            paper_id = next(p.id for p in lib.papers() if p.title == another)
        done = river("mark", paper_id, "--star", db=db)
        assert done.returncode == 0, done.stderr
        await until(pilot, lambda: "4 kept" in session.learner.status, timeout=60)
        await settle(app, pilot)
        listed = river("list", "--state", "new", "--sort", "for-you", "--json", db=db)
        assert listed.returncode == 0, listed.stderr
        order = [paper["title"] for paper in json.loads(listed.stdout)]
        assert titles(session, session.rows.count) == order
