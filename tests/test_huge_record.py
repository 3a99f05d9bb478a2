"""A paper of megabytes (a 1 MB title, a 4 MB abstract, 50,000 authors), as a library written
by an older River or edited with sqlite3 can hold it: the reader draws what fits, says what it
cut, and shows the rest on demand (``+`` in the detail pane)."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from test_ui_support import quiet_config, settle

from river_tui.domain import Discovery, Paper
from river_tui.settings import load_settings
from river_tui.store.library import Library
from river_tui.ui.app import RiverApp
from river_tui.ui.components.detail import DetailPane
from river_tui.ui.components.stream import PaperStream

from conftest import detail_shown

AUTHORS = 50_000


def words(prefix: str, chars: int) -> str:
    """About ``chars`` characters of numbered words (each one different)."""
    out, size, n = [], 0, 0
    while size < chars:
        word = f"{prefix}{n}"
        out.append(word)
        size += len(word) + 1
        n += 1
    return " ".join(out)


def huge_library(tmp_path: Path) -> tuple[Path, str]:
    """Two ordinary papers and, newest, a huge one; returns the library and its abstract."""
    db = tmp_path / "lib.db"
    seen = Discovery("test", datetime.now(UTC))
    with Library.open(db, load_settings().beats) as lib:
        for n in range(2):
            lib.upsert_paper(
                Paper(title=f"Ordinary paper {n}", published=date(2026, 1, n + 1)), seen
            )
        lib.upsert_paper(Paper(title="Soon huge", published=date(2026, 2, 1)), seen)
        pk = lib.papers(limit=1)[0].pk
    abstract = words("w", 4_000_000)
    names = json.dumps([f"Author{k} Surname{k}" for k in range(AUTHORS)])
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE papers SET title = ?, abstract = ?, authors = ?, author_count = ? WHERE pk = ?",
            (words("t", 1_000_000), abstract, names, AUTHORS, pk),
        )
    conn.close()
    return db, abstract


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def test_the_detail_shows_the_cut_and_the_rest_on_demand(tmp_path: Path) -> None:
    db, abstract = huge_library(tmp_path)
    app = RiverApp(db_path=db, config=quiet_config())
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await detail_shown(pilot)
        stream = app.screen.query_one(PaperStream)
        detail = app.screen.query_one(DetailPane)
        assert stream.highlighted is not None and stream.highlighted.title.startswith("t0 t1 ")
        assert stream.render_line(0).text.rstrip().endswith("…")  # the row: cut, and said
        assert len(stream.highlighted.title) <= 500  # the store read no more for the row

        shown = detail.text()
        assert (
            "✂ Cut to fit: title (1.0 MB) · authors 100 of 50,000 · abstract (4.0 MB). "
            "+ shows more; river show " in shown
        )
        assert "Author99 Surname99 … 50000 authors" in " ".join(shown.split())  # wrapped
        assert "Author100 " not in shown
        assert len(shown) < 10_000  # what fits, not megabytes
        drawn = shown.split("\nAbstract\n", 1)[1].removesuffix(" …")
        assert squeezed(abstract).startswith(squeezed(drawn)) and len(drawn) == 5_000

        await pilot.press("l")  # to the detail pane
        assert app.focused is detail
        await pilot.press("+")
        await pilot.pause()
        text = detail.text()
        assert "Abstract, continued  to 25 kB of 4.0 MB\n" in text
        first = text.split("Abstract, continued  to 25 kB of 4.0 MB\n", 1)[1]
        assert squeezed(abstract).startswith(squeezed(drawn + first))
        assert 19_000 < len(first) <= 20_000

        await pilot.press("+")
        await pilot.pause()
        second = detail.text().split("Abstract, continued  to 45 kB of 4.0 MB\n", 1)[1]
        assert squeezed(abstract).startswith(squeezed(drawn + first + second))


async def test_more_goes_on_to_the_authors_then_stops(tmp_path: Path) -> None:
    """The abstract's rest first, then the authors' in steps of 1,000, then nothing more."""
    db, _ = huge_library(tmp_path)
    names = json.dumps([f"Author{k} Surname{k}" for k in range(2_100)])  # 50 kB: read whole
    with sqlite3.connect(db) as conn:  # an abstract just over what the detail draws at first
        conn.execute(
            "UPDATE papers SET abstract = ?, title = ?, authors = ?, author_count = NULL "
            "WHERE title LIKE 't0 %'",
            (words("w", 5_100), "A short title", names),
        )
    conn.close()
    app = RiverApp(db_path=db, config=quiet_config())
    messages: list[str] = []
    notify = app.notify

    def recording(message: str, *args: object, **kwargs: object) -> None:
        messages.append(message)
        notify(message, *args, **kwargs)  # type: ignore[arg-type]

    app.notify = recording  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await detail_shown(pilot)
        detail = app.screen.query_one(DetailPane)
        assert "✂ Cut to fit: authors 100 of 2,100 · abstract (5 kB)." in detail.text()
        await pilot.press("l", "+")  # the rest of the abstract: the last part
        await pilot.pause()
        assert "Abstract, continued  to 5 kB of 5 kB\n" in detail.text()
        await pilot.press("+")
        await pilot.pause()
        text = detail.text()
        assert "Authors, continued  101-1,100 of 2,100\nAuthor100 Surname100, " in text
        assert text.rstrip().endswith("Author1099 Surname1099")
        await pilot.press("+")
        await pilot.pause()
        text = detail.text()
        assert "Authors, continued  1,101-2,100 of 2,100\nAuthor1100 Surname1100, " in text
        assert text.rstrip().endswith("Author2099 Surname2099")
        await pilot.press("+")
        await pilot.pause()
        assert messages[-1] == "Nothing more to show."


def test_a_bounded_read_reads_what_it_shows_and_says_what_it_cut(tmp_path: Path) -> None:
    from river_tui.domain.papers import DETAIL

    db, abstract = huge_library(tmp_path)
    with Library.open(db, load_settings().beats) as lib:
        pk = lib.papers(limit=1)[0].pk
        record = lib.record(pk, DETAIL)
        assert record is not None
        assert 490 < len(record.paper.title) <= 500 and len(record.paper.abstract) == 5_000
        assert record.paper.authors[-1] == "Author99 Surname99" and len(record.paper.authors) == 100
        assert record.sizes == {
            "title": len(words("t", 1_000_000)),
            "abstract": len(abstract),
            "authors": AUTHORS,
        }
        assert lib.paper_part(pk, "abstract", 5_000, 10) == abstract[5_000:5_010]
        assert lib.paper_part(pk, "authors", 49_999, 5) == ["Author49999 Surname49999"]
        whole = lib.record(pk)  # river show, and a BibTeX entry: everything
        assert whole is not None and whole.paper.abstract == abstract and not whole.sizes
        assert len(whole.paper.authors) == AUTHORS
