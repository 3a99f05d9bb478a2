"""What an export cites and dates (issue 20, items 12 and 13): a claim's paper source is a real
link (arXiv's abstract page, the paper's own page, or arXiv's search for the title of a paper
known only by its title), never ``river:prov:…``, and a dossier read back from it cites the same
paper; a river page shows the cards the reader shows, their ages counted, not frozen."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from test_ui import seeded_library

from river_tui.domain import PaperRecord
from river_tui.domain.claims import Post, SourceLink, age_delta, age_since
from river_tui.domain.ids import provisional_id
from river_tui.domain.links import searched_title, title_search_url
from river_tui.reader.claims import public_source

from conftest import run_river

SLUG = "training-methodology-frontier-shift"
TITLE = "Stop Summation: Min-Form Credit Assignment Is All Process Reward Model Needs for Reasoning"


def test_a_title_search_link_names_its_paper_back() -> None:
    url = title_search_url("Stop Summation: Min-Form  Credit Assignment")
    assert url.startswith("https://arxiv.org/search/?searchtype=title&query=Stop%20Summation")
    assert searched_title(url) == "Stop Summation: Min-Form Credit Assignment"
    source = SourceLink.make("paper", url, "anything")
    assert source.paper_id == provisional_id("Stop Summation: Min-Form Credit Assignment")
    assert searched_title("https://arxiv.org/abs/2401.00001") is None


def test_a_river_source_becomes_the_papers_own_link(tmp_path: Path) -> None:
    from river_tui.domain import Paper, parse_arxiv_id

    title_only = SourceLink.make("paper", "river:prov:0123456789ab", "A Title Only Paper")
    assert public_source(title_only, None).url == title_search_url("A Title Only Paper")
    arxiv = PaperRecord(1, "2401.00001", Paper("T", arxiv=parse_arxiv_id("2401.00001")))
    assert public_source(title_only, arxiv).url == "https://arxiv.org/abs/2401.00001"
    web = PaperRecord(2, "web:1", Paper("T", url="https://example.org/paper"))
    assert public_source(title_only, web).url == "https://example.org/paper"
    page = SourceLink.make("web", "https://example.org/post", "A post")
    assert public_source(page, None) is page


def test_ages_are_counted_from_when_a_post_was_posted() -> None:
    assert age_delta("4d") == timedelta(days=4)
    assert age_delta("5mo") == timedelta(days=150)
    assert age_delta("yesterday") is None
    posted = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert age_since(posted, posted + timedelta(seconds=30)) == "now"
    assert age_since(posted, posted + timedelta(minutes=45)) == "45m"
    assert age_since(posted, posted + timedelta(days=3, hours=5)) == "3d"
    assert age_since(posted, posted + timedelta(days=15)) == "2w"
    assert age_since(posted, posted + timedelta(days=400)) == "1y"
    frozen = Post("t", "Juno", "juno", "Beat", "4d", "caveat", "Body")
    assert frozen.age_at(posted) == "4d"  # no time known: the age it came with


def _claimed(tmp_path: Path) -> Path:
    """The seeded library with a claim quoting the first sentence of a paper River knows only
    by its title (a saved Hugging Face page gave no arXiv id)."""
    db = seeded_library(tmp_path)
    shown = run_river("--db", str(db), "show", provisional_id(TITLE), "--json")
    assert shown.returncode == 0, shown.stderr
    abstract = re.search(r'"abstract": "(.*?[.])\s', shown.stdout)
    assert abstract is not None
    added = run_river(
        "--db", str(db), "claim", "add", "--dossier", SLUG, "--paper", provisional_id(TITLE),
        "--quote", abstract[1], "--badge", "caveat", "--text", "Min-form credit holds up.",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    return db


def test_a_dossier_export_cites_real_links_and_reads_back_to_the_paper(tmp_path: Path) -> None:
    db = _claimed(tmp_path)
    out = tmp_path / "dossier.md"
    exported = run_river("--db", str(db), "export", "dossier", SLUG, "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    text = out.read_text(encoding="utf-8")
    assert "river:" not in text
    assert f"[{TITLE}]({title_search_url(TITLE)})" in text
    # Read back into a library that has the paper: the claim cites that paper again.
    (tmp_path / "again").mkdir()
    again = seeded_library(tmp_path / "again")
    assert run_river("--db", str(again), "import", str(out)).returncode == 0
    shown = run_river("--db", str(again), "show", provisional_id(TITLE))
    assert "Min-form credit holds up." in shown.stdout


def test_a_river_page_shows_the_readers_cards_with_ages_counted(tmp_path: Path) -> None:
    db = _claimed(tmp_path)
    with sqlite3.connect(db) as conn:  # the saved page was imported two days ago
        two_days_ago = (datetime.now(UTC) - timedelta(days=2)).isoformat(timespec="seconds")
        conn.execute("UPDATE posts SET imported_at = ?", (two_days_ago,))
    river = run_river("--db", str(db), "export", "river", "--tag", "credit-assignment")
    assert river.returncode == 0, river.stderr
    lines = river.stdout.splitlines()
    headers = [line for line in lines if " @" in line and " · " in line]
    # The new claim (today) first, then the two posts the page dated 4 days before its import.
    assert "claim #4 · asserted as caveat @juno · today caveat" in headers[0]
    assert headers[1:3] == ["Juno Frontier capability @juno · 6d caveat"] * 2
    assert f"{TITLE} {title_search_url(TITLE).removeprefix('https://')} paper" in lines
    assert "river:" not in river.stdout
    assert lines[2].startswith(f"{len(headers)} posts · newest first")
