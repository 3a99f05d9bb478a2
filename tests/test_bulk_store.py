"""Storing a batch at once writes the rows storing its papers one by one writes, and leaves the
search index whole."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from river_tui.domain import ArxivId, Discovery, ItemKind, Link, Paper, Sighting
from river_tui.domain.beat_scan import BeatScanner
from river_tui.domain.rows import match_rows, paper_row, signal_json
from river_tui.settings import BEATS_FILE, bundled_data_dir, read_beats
from river_tui.store.library import Library

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from make_library import generate

BEATS = read_beats(bundled_data_dir() / BEATS_FILE)
SEEN = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
FEED = "https://lab.example.org/feed.xml"


def web_item(item: dict, title: str | None = None) -> Sighting:
    url = f"https://lab.example.org/posts/{item['arxiv_id']}"
    paper = Paper(
        kind=ItemKind.WEB,
        url=url,
        title=title or item["title"],
        abstract=item["abstract"],
        authors=tuple(item["authors"]),
        published=item["published"],
        organization="Lab",
        links=(Link("web", url),),
        extra={"feed": FEED},
    )
    return Sighting(paper, {"rank": item["i"]})


def arxiv_paper(item: dict) -> Sighting:
    paper = Paper(
        title=item["title"],
        abstract=item["abstract"],
        arxiv=ArxivId(item["arxiv_id"], item["version"]),
        authors=tuple(item["authors"]),
        published=item["published"],
        categories=tuple(item["categories"]),
        extra={"comment": "12 pages"},
    )
    return Sighting(paper)


def batch() -> list[Sighting]:
    """300 new web items (a large batch: the index is given more memory), 10 arXiv papers."""
    items = list(generate(320))
    sightings = [web_item(item) for item in items[:300]]
    sightings += [arxiv_paper(item) for item in items[300:310]]
    sightings.append(web_item(items[3], title="The same post, listed twice"))
    return sightings


def tables(path: Path) -> dict[str, list[tuple]]:
    """What a program reads back, timestamps aside."""
    with sqlite3.connect(path) as conn:
        columns = [
            row[1]
            for row in conn.execute("PRAGMA table_info(papers)")
            if row[1] not in ("first_seen", "last_seen")
        ]
        names = ", ".join(columns)
        found = {
            "papers": conn.execute(f"SELECT {names} FROM papers ORDER BY id").fetchall(),
            "matches": conn.execute(
                "SELECT p.id, m.beat, m.verdict, m.score, m.hits, m.excluded_by "
                "FROM beat_matches m JOIN papers p ON p.pk = m.paper_pk ORDER BY p.id, m.beat"
            ).fetchall(),
            "discoveries": conn.execute(
                "SELECT p.id, d.source, d.origin, d.seen_at, d.signal FROM discoveries d "
                "JOIN papers p ON p.pk = d.paper_pk ORDER BY p.id, d.origin"
            ).fetchall(),
            "versions": conn.execute(
                "SELECT p.id, v.version, v.title, v.comment FROM paper_versions v "
                "JOIN papers p ON p.pk = v.paper_pk ORDER BY p.id"
            ).fetchall(),
        }
        for word in ("agents", "reasoning", "diffusion", "wang", "credit"):
            found[f"search {word}"] = conn.execute(
                "SELECT p.id FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid "
                "WHERE papers_fts MATCH ? ORDER BY p.id",
                (word,),
            ).fetchall()
        conn.execute("INSERT INTO papers_fts(papers_fts) VALUES ('integrity-check')")
        found["index settings"] = conn.execute(  # as they were (FTS5's defaults)
            "SELECT k, v FROM papers_fts_config WHERE k != 'version' AND NOT "
            "(k = 'hashsize' AND v = 1048576) AND NOT (k = 'automerge' AND v = 4)"
        ).fetchall()
        assert conn.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'papers_fts_ai'"
        ).fetchone() == (1,)
    return found


def one_by_one(library: Library, sightings: list[Sighting], origin: str) -> list:
    with library.transaction():
        titles = library.title_index()
        return [
            library.upsert_paper(s.paper, Discovery("feed", SEEN, origin, s.signal), titles)
            for s in sightings
        ]


def as_rows(library: Library, sightings: list[Sighting], origin: str) -> list:
    """The batch as a feed import sends it: rows, signals and matches worked out beforehand
    (each paper the batch does not insert as it is read back from its row)."""
    scanner = BeatScanner(BEATS)
    return library.store_rows(
        [paper_row(s.paper) for s in sightings],
        [signal_json(s.signal) for s in sightings],
        [match_rows(scanner.classify(s.paper.title, s.paper.abstract)) for s in sightings],
        "feed",
        origin,
        SEEN,
    )


def as_sightings(library: Library, sightings: list[Sighting], origin: str) -> list:
    return library.store_batch(sightings, "feed", origin, SEEN)


@pytest.mark.parametrize("store", [as_sightings, as_rows], ids=["sightings", "rows"])
def test_a_batch_writes_the_rows_one_by_one_writes(tmp_path: Path, store: Callable) -> None:
    first = list(generate(5))
    known = [web_item(item, title="An older title") for item in first[:2]]
    known.append(web_item({**first[2], "abstract": ""}))  # the batch fills its abstract in
    with (
        Library.open(tmp_path / "bulk.db", BEATS) as bulk,
        Library.open(tmp_path / "each.db", BEATS) as each,
    ):
        for library in (bulk, each):
            one_by_one(library, known, "before")
        written = store(bulk, batch(), "now")
        expected = one_by_one(each, batch(), "now")
        assert [(w.id, w.outcome, w.new_version) for w in written] == [
            (w.id, w.outcome, w.new_version) for w in expected
        ]
        assert [str(w.outcome) for w in written[:3]] == ["unchanged", "unchanged", "updated"]
        # and a second time: nothing new
        again = store(bulk, batch(), "again")
        assert {str(w.outcome) for w in again} == {"unchanged"}
        one_by_one(each, batch(), "again")
    assert tables(tmp_path / "bulk.db") == tables(tmp_path / "each.db")


def test_a_batch_that_fails_leaves_nothing_and_the_index_trigger_in_place(tmp_path: Path) -> None:
    with Library.open(tmp_path / "bulk.db", BEATS) as library:
        with pytest.raises(RuntimeError), library.transaction():
            library.store_batch(batch(), "feed", "now", SEEN)
            raise RuntimeError("the disk is full")
        assert library.is_empty()
        library.store_batch(batch()[:5], "feed", "now", SEEN)
        with library.transaction():  # a paper inserted one by one is indexed by the trigger
            library.upsert_paper(
                web_item(list(generate(200))[150]).paper, Discovery("feed", SEEN), None
            )
    found = tables(tmp_path / "bulk.db")
    assert len(found["papers"]) == 6
