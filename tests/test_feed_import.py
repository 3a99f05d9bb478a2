"""``river import`` of a feed file: read as a stream, stored batch by batch, any size."""

from __future__ import annotations

import io
import itertools
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from river_tui import feed_import
from river_tui.bulk_progress import Quiet, count_bar
from river_tui.feed_import import import_feed_file
from river_tui.importing import import_bytes, import_file
from river_tui.settings import BEATS_FILE, bundled_data_dir, read_beats
from river_tui.sources import ImportFailure
from river_tui.store.library import Library

from conftest import run_river

BEATS = read_beats(bundled_data_dir() / BEATS_FILE)
HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>Lab</title><id>urn:lab</id>\n"
)


def entry(i: int, extra: str = "") -> str:
    return (
        f"<entry><title>Post {i} on LLM agents and tool use</title>"
        f'<link href="https://lab.example.org/posts/{i}"/><id>urn:post:{i}</id>'
        f"<published>2026-05-{1 + i % 28:02d}T09:00:00Z</published>"
        f"<author><name>Author {i}</name></author>"
        f"<summary>Post {i}: chain-of-thought reasoning {extra}</summary></entry>\n"
    )


def feed(path: Path, count: int, tail: str = "</feed>\n", middle: str = "") -> Path:
    path.write_text(
        HEAD + "".join(entry(i) for i in range(count)) + middle + tail, encoding="utf-8"
    )
    return path


def papers(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0]


def test_a_feed_lands_batch_by_batch_and_says_how_far_it_got(tmp_path: Path) -> None:
    path = feed(tmp_path / "feed.xml", 25)
    told: list[tuple[int, int, int]] = []
    with Library.open(tmp_path / "library.db", BEATS) as library:
        report = import_feed_file(
            library, path, "feed.xml", path.stat().st_size, lambda *a: told.append(a), batch=10
        )
        assert report.summary() == "feed.xml: feed, 25 new, 0 updated, 0 unchanged papers"
        again = import_feed_file(library, path, "feed.xml", path.stat().st_size, batch=10)
        assert again.summary() == "feed.xml: feed, 0 new, 0 updated, 25 unchanged papers"
    assert [papers for papers, _read, _total in told] == [10, 20, 25]
    assert told[-1][1] == told[-1][2] == path.stat().st_size
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(told))
    assert papers(tmp_path / "library.db") == 25


def test_a_streamed_feed_stores_what_a_whole_one_stores(tmp_path: Path) -> None:
    """A feed read whole (as a pasted document is) and read as a stream, batch by batch."""
    path = feed(tmp_path / "feed.xml", 12, middle="<entry><title>No link</title></entry>")
    with Library.open(tmp_path / "stream.db", BEATS) as library:
        streamed = import_feed_file(library, path, "feed.xml", path.stat().st_size, batch=5)
    with Library.open(tmp_path / "whole.db", BEATS) as library:
        whole = import_bytes(library, path.read_bytes(), "feed.xml", date(2026, 6, 1))
    assert streamed.summary() == whole.summary()
    query = "SELECT id, title, abstract, authors, published, organization, url FROM papers"
    matches = "SELECT paper_pk, beat, verdict, score, hits FROM beat_matches"
    sightings = "SELECT paper_pk, source, origin FROM discoveries"
    for sql in (query + " ORDER BY id", matches + " ORDER BY 1, 2", sightings + " ORDER BY 1"):
        with (
            sqlite3.connect(tmp_path / "stream.db") as a,
            sqlite3.connect(tmp_path / "whole.db") as b,
        ):
            assert a.execute(sql).fetchall() == b.execute(sql).fetchall()


def test_a_malformed_feed_is_read_by_feedparser(tmp_path: Path) -> None:
    path = feed(tmp_path / "feed.xml", 3, middle="<entry><title>&nbsp;Fine</title></entry>")
    result = run_river("import", "--db", str(tmp_path / "library.db"), str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(
        "feed, 3 new, 0 updated, 0 unchanged papers (not well-formed XML (undefined entity), "
        "read leniently, 1 entry without a web link left out)"
    )


def test_a_large_malformed_feed_stops_where_it_breaks_and_keeps_what_landed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feed_import, "MAX_IMPORT_BYTES", 2**20)  # larger: only as a stream
    path = tmp_path / "feed.xml"
    entries = "".join(entry(i, extra="long " * 10_000) for i in range(25))
    path.write_text(HEAD + entries + "<entry><title>Broken</entry></feed>", encoding="utf-8")
    assert path.stat().st_size > 2**20
    with (
        Library.open(tmp_path / "library.db", BEATS) as library,
        pytest.raises(ImportFailure) as failure,
    ):
        import_feed_file(library, path, "feed.xml", path.stat().st_size, batch=10)
    said = str(failure.value)
    assert said.startswith("feed.xml: not read to its end: ")
    assert "(River reads a feed over 1 MiB only when it is well-formed RSS 2.0 or Atom 1.0" in said
    assert said.endswith("(20 papers before that were imported)")
    assert papers(tmp_path / "library.db") == 20


def test_a_feed_over_50_mib_imports_as_one_file(tmp_path: Path) -> None:
    # Comments fill the file past the 50 MiB a document read whole may have.
    filler = "".join(f"<!-- {'.' * 5_000_000} -->\n" for _ in range(11))
    path = feed(tmp_path / "big.xml", 3, middle=filler)
    assert path.stat().st_size > 50 * 2**20
    result = run_river("import", "--db", str(tmp_path / "library.db"), str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{path}: feed, 3 new, 0 updated, 0 unchanged papers"


def test_a_file_over_50_mib_that_is_not_a_feed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    with path.open("wb") as handle:
        handle.truncate(51 * 2**20)
    result = run_river("import", "--db", str(tmp_path / "library.db"), str(path))
    assert result.returncode != 0
    assert result.stderr.strip() == (
        f"river: {path}: larger than 50 MiB, not imported (River reads a larger file only "
        "when it is an RSS or Atom feed)"
    )


def test_import_file_streams_a_feed_and_reads_other_files_whole(tmp_path: Path) -> None:
    path = feed(tmp_path / "feed.xml", 2)
    told: list[tuple[int, int, int]] = []
    with Library.open(tmp_path / "library.db", BEATS) as library:
        report = import_file(library, path, progress=lambda *a: told.append(a))
    assert report.summary().endswith("feed, 2 new, 0 updated, 0 unchanged papers")
    assert told == [(path.stat().st_size, path.stat().st_size, 2)]


def test_no_bar_unless_standard_error_is_a_terminal() -> None:
    with count_bar("feed.xml", "records", io.StringIO()) as bar:
        assert isinstance(bar, Quiet)
