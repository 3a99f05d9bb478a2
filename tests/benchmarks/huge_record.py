"""The cursor landing on a huge record, against landing on an ordinary one, in the same run.

    .venv/bin/python tests/benchmarks/huge_record.py [--landings 10] [--json OUT]

Builds a library in a temporary folder: 200 ordinary papers written by River's own
``Library.upsert_paper``, then one of them made huge with sqlite3, as a library written by an
older River or edited by hand can hold it (River's import caps do not apply): a title of 1 MB,
an abstract of 4 MB and 50,000 authors, about 6 MB in all. The huge paper is the second row of
the Inbox.

River runs in this process at 160x48 with the output discarded (``cursor_move.py`` says how:
the same driver, frame timestamps and waits). The cursor starts on the first row; ``j`` lands
on the huge paper and ``k`` lands back on the ordinary first one, ``--landings`` times each.
Each press is measured as in ``cursor_move.py`` up to the moment the screen is quiet again,
which includes the detail pane showing the paper the cursor rests on (``reader.DETAIL_DELAY``
after the move): ``work_ms`` is the UI thread's CPU time for all of it, ``move_work_ms`` up to
the first frame (the cursor's own repaint). ``detail_ms`` is the wall time spent in the
reader's detail update (reading the record, rendering it, updating the pane).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _common import SIZE, isolate_env, load_average, machine, null_driver_class, summary
from _common import write_result as write_json
from cursor_move import SETTLE, Frames, Probe, press

ORDINARY = 200
TITLE_CHARS = 1_000_000
ABSTRACT_CHARS = 4_000_000
AUTHORS = 50_000
WORDS = "credit assignment for long horizon reasoning with verifiable generative rewards"


def _words(chars: int) -> str:
    """About ``chars`` characters of words separated by single spaces."""
    out: list[str] = []
    size = 0
    n = 0
    while size < chars:
        word = WORDS.split()[n % 10]
        out.append(word)
        size += len(word) + 1
        n += 1
    return " ".join(out)[:chars]


def build(path: Path) -> int:
    """The library at ``path``; returns the huge paper's row number (pk)."""
    from river_tui.domain import Discovery, Link, Paper, parse_arxiv_id
    from river_tui.settings import load_settings
    from river_tui.store.library import Library

    seen = Discovery("bench", datetime.now(UTC))
    start = date(2026, 1, 1)
    with Library.open(path, load_settings().beats) as lib:
        for n in range(ORDINARY):
            arxiv = parse_arxiv_id(f"2601.{n:05d}")
            lib.upsert_paper(
                Paper(
                    title=f"An ordinary paper number {n} on " + _words(40 + n % 40),
                    abstract=_words(1_500),
                    arxiv=arxiv,
                    authors=tuple(f"Author {n}-{k}" for k in range(1 + n % 12)),
                    published=start + timedelta(days=n % 300),
                    links=(Link("abs", f"https://arxiv.org/abs/2601.{n:05d}"),),
                ),
                seen,
            )
        # The second-newest paper becomes the huge one (the newest stays ordinary).
        pk = lib.papers(limit=2)[1].pk
    authors = json.dumps([f"Author Number{k} Surname{k}" for k in range(AUTHORS)])
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "UPDATE papers SET title = ?, abstract = ?, authors = ?, author_count = ? WHERE pk = ?",
            (_words(TITLE_CHARS), _words(ABSTRACT_CHARS), authors, AUTHORS, pk),
        )
    conn.close()
    return pk


async def run(path: Path, huge_pk: int, landings: int) -> dict[str, object]:
    from river_tui.settings import load_settings
    from river_tui.ui.app import RiverApp
    from river_tui.ui.components.stream import PaperStream

    app = RiverApp(db_path=path, config=load_settings())
    app.driver_class = null_driver_class()
    frames = Frames(app)
    async with app.run_test(size=SIZE, headless=False) as pilot:
        await pilot.pause()
        await asyncio.sleep(1.0)  # counts workers, first detail: let start-up finish
        stream = app.screen.query_one(PaperStream)
        stream.focus()
        await pilot.pause()
        probe = Probe()
        probe.timed(app.screen, "_show_highlighted", "show_paper")
        assert stream.rows.paper_at(1).pk == huge_pk, "the huge paper is not the second row"
        huge, ordinary = [], []
        for _ in range(landings):
            huge.append(await press(app, frames, probe, "j", SETTLE))
            assert stream.cursor == 1
            ordinary.append(await press(app, frames, probe, "k", SETTLE))
            assert stream.cursor == 0
    out: dict[str, object] = {}
    for name, samples in (("huge", huge), ("ordinary", ordinary)):
        out[name] = {
            key: {k: round(v, 3) for k, v in summary([s[key] for s in samples]).items()}
            for key in ("work_ms", "move_work_ms", "last_frame_ms", "show_paper_ms")
        }
    h, o = out["huge"], out["ordinary"]
    out["ratio_work_median"] = round(h["work_ms"]["median"] / o["work_ms"]["median"], 2)  # type: ignore[index]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--landings", type=int, default=10)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    isolate_env()
    with tempfile.TemporaryDirectory(prefix="river-huge-") as folder:
        path = Path(folder) / "huge.db"
        started = time.perf_counter()
        pk = build(path)
        built = round(time.perf_counter() - started, 1)
        results = asyncio.run(run(path, pk, args.landings))
    write_json(
        args.json,
        {
            "benchmark": "huge_record",
            "size": SIZE,
            "build_s": built,
            **results,
            "machine": machine(),
            "load_average": load_average(),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
