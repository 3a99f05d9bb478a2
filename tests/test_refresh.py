"""Refresh end to end: the recorded real responses, served by a real server on 127.0.0.1."""

from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from river_tui.domain import ArxivId, Beat, Discovery, Paper, TriageState
from river_tui.progress import describe
from river_tui.refresh import Refresher, Source, make_fetcher, plan
from river_tui.refresh.runner import MAX_KEPT_WAIT, site_of
from river_tui.settings import FeedConfig, SourceSettings
from river_tui.store.fetches import FetchRecord
from river_tui.store.library import Library
from river_tui.store.papers import PaperFilter

from conftest import FIXTURES
from httpserver import FakeClock, LocalServer, RecordedRequest, Reply, local_server

__all__ = ["local_server"]

NOW = datetime(2026, 6, 12, 12, 0, tzinfo=UTC)
HF = FIXTURES / "hf_daily_papers_2026-06-12_sotawhat.json"

BEATS = [
    Beat("Testing", include=("testing",), queries={"arxiv": "testing", "arxiv-rss": "cs.LG"}),
    Beat("Learning", include=("learning",), queries={"arxiv": "cat:cs.LG OR cat:cs.AI"}),
    Beat("Old", include=("galaxy",), queries={"arxiv": "id:astro-ph/0601001"}),
    Beat("Broken", include=("x",), queries={"arxiv": "bad", "arxiv-rss": "cs.CL"}),
]


ARXIV_ANSWERS = {
    ("testing", "0"): (200, "arxiv_api_query_all_testing_10_entries.xml"),
    ("testing", "10"): (200, "arxiv_api_query_all_testing_page2_start10.xml"),
    ("cat:cs.LG OR cat:cs.AI", "0"): (200, "arxiv_api_query_cat_cs.LG_OR_cs.AI_20_entries.xml"),
    ("id:astro-ph/0601001", "0"): (200, "arxiv_api_query_id_oldstyle_astro-ph_0601001.xml"),
    ("bad", "0"): (400, "arxiv_api_query_error_400_bad_id.xml"),
}


def base_query(search_query: str) -> str:
    """The beat's query without the incremental ``submittedDate`` window River adds."""
    if " AND submittedDate:" in search_query:
        search_query = search_query.split(" AND submittedDate:")[0][1:-1]
    return search_query


def answer_arxiv(request: RecordedRequest) -> Reply:
    key = (base_query(request.query.get("search_query", "")), request.query.get("start", "0"))
    if key not in ARXIV_ANSWERS:
        return Reply(200, (FIXTURES / "arxiv_api_query_empty_id_0000.0000.xml").read_bytes())
    status, name = ARXIV_ANSWERS[key]
    return Reply(status, (FIXTURES / name).read_bytes())


def serve_fixtures(server: LocalServer) -> None:
    server.route_file("/api/daily_papers", HF)
    server.route_fn("/api/query", answer_arxiv)
    server.route_file("/rss/cs.LG", FIXTURES / "arxiv_rss_cs.LG_2026-04-27_3items.xml")
    server.route_file("/rss/cs.CL", FIXTURES / "arxiv_rss_cs.CL_weekend_empty.xml")


def settings_for(server: LocalServer, **overrides: object) -> SourceSettings:
    values: dict[str, object] = {
        "hf_url": server.url,
        "arxiv_api_url": f"{server.url}/api/query",
        "arxiv_rss_url": f"{server.url}/rss",
        "contact": "tests@example.org",
        "max_results": 20,
    }
    return SourceSettings(**(values | overrides))


@pytest.fixture
def clock(local_server: LocalServer) -> FakeClock:
    fake = FakeClock(NOW.timestamp())
    local_server.clock = fake.time
    return fake


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.db", BEATS) as lib:
        yield lib


def refresh(library, server, clock, tmp_path, force=False, beats=BEATS, source=None, **overrides):
    settings = settings_for(server, **overrides)
    now = lambda: datetime.fromtimestamp(clock.time(), UTC)  # noqa: E731
    with make_fetcher(settings, tmp_path, clock) as fetcher:
        return Refresher(library, fetcher, settings, now=now).run(
            plan(beats, settings, source=source), force=force
        )


def test_every_recorded_response_lands_field_by_field(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    serve_fixtures(local_server)
    report = refresh(library, local_server, clock, tmp_path)

    by_label = {r.job.label: r for r in report.results}
    assert by_label["Hugging Face daily papers"].new == 30
    assert by_label["Testing · arXiv"].new == 20  # two pages of ten
    assert by_label["Old · arXiv"].new == 1
    assert by_label["Testing · arXiv RSS cs.LG"].new == 3
    weekend = by_label["Broken · arXiv RSS cs.CL"]
    assert (weekend.error, weekend.new) == (None, 0)  # an empty weekend feed is fine
    assert by_label["Broken · arXiv"].error == "arXiv: incorrect id format for abc"
    assert not report.ok and not report.offline

    # Hugging Face: upvotes, organization and the two dates.
    hf = library.find("2606.00467")
    assert hf is not None
    assert hf.paper.published == date(2026, 5, 30)  # the arXiv date
    assert hf.paper.extra["hf_listing_date"] == "2026-06-12"  # the day it was listed
    assert hf.paper.upvotes is not None
    assert [d.source for d in hf.discoveries] == ["hf-api"]

    # arXiv: canonical ids with versions kept apart, old-style ids, affiliations, journal ref.
    old = library.find("astro-ph/0601001v1")
    assert old is not None and old.id == "astro-ph/0601001" and old.paper.version == 1
    assert old.paper.extra["journal_ref"] == "ActaAstron.56:1-50,2006"
    assert old.paper.extra["affiliations"]
    # RSS: announce type recorded as the sighting's signal.
    rss = [r for r in by_label["Testing · arXiv RSS cs.LG"].landed]
    record = library.record(rss[0])
    assert record is not None
    assert record.discoveries[0].signal["announce_type"] == "new"
    assert record.paper.version is not None

    # The 400 is recorded in the fetch log with arXiv's message; nothing else is lost.
    failed = [r for r in library.conn.execute("SELECT * FROM fetches WHERE error IS NOT NULL")]
    assert [r["error"] for r in failed] == ["arXiv: incorrect id format for abc"]
    assert failed[0]["status"] == 400


def test_arxiv_requests_are_three_seconds_apart(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    serve_fixtures(local_server)
    refresh(library, local_server, clock, tmp_path, beats=BEATS[:2])
    arxiv = [r.time for r in local_server.requests if r.path.startswith(("/api/query", "/rss"))]
    assert len(arxiv) == 4  # testing p1, p2, the cs.LG query, the RSS feed
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(arxiv))
    assert all(r.headers["user-agent"].startswith("River/") for r in local_server.requests)
    assert "mailto:tests@example.org" in local_server.requests[0].headers["user-agent"]


def test_retry_after_delays_the_retry_by_that_much(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    local_server.route_sequence(
        "/api/daily_papers",
        [Reply(429, headers={"Retry-After": "17"}), Reply(body=HF.read_bytes())],
    )
    report = refresh(library, local_server, clock, tmp_path, beats=[])
    assert report.ok and report.results[0].new == 30
    first, second = (r.time for r in local_server.requests)
    assert second - first >= 17


def test_a_host_that_asks_for_a_long_wait_is_not_asked_again_this_run(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    # Hugging Face says: come back in a week. Its other jobs (a beat's search) are not sent;
    # the arXiv RSS job on another host still runs. The fetch log keeps the 429.
    far = {"Retry-After": str(7 * 24 * 3600)}
    local_server.route("/api/daily_papers", 429, headers=far)
    local_server.route("/api/papers/search", 429, headers=far)
    local_server.route_file("/rss/cs.LG", FIXTURES / "arxiv_rss_cs.LG_2026-04-27_3items.xml")
    beat = [Beat("T", include=("x",), queries={"hf": "credit", "arxiv-rss": "cs.LG"})]
    # The same server under another name: another host, as far as River knows.
    rss = settings_for(local_server).arxiv_rss_url.replace("127.0.0.1", "localhost")
    assert "localhost" in rss
    report = refresh(library, local_server, clock, tmp_path, beats=beat, arxiv_rss_url=rss)
    paths = [r.path for r in local_server.requests]
    assert paths.count("/api/daily_papers") == 1 and "/api/papers/search" not in paths
    hf, search, rss = report.results
    assert "try again in" in (hf.error or "") and not rss.error
    assert search.error and "asked to wait" in search.error
    assert library.count() == 3
    statuses = dict(library.conn.execute("SELECT url, status FROM fetches"))
    assert statuses[hf.job.url] == 429


def test_a_wait_a_host_asked_for_holds_for_the_next_refresh_too(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    # Come back in two days: an hourly refresh asks nothing of that host until then.
    local_server.route_sequence(
        "/api/daily_papers",
        [Reply(429, headers={"Retry-After": str(2 * 24 * 3600)}), Reply(body=HF.read_bytes())],
    )
    first = refresh(library, local_server, clock, tmp_path, beats=[])
    assert first.results[0].error and len(local_server.requests) == 1
    clock.sleep(3600)
    second = refresh(library, local_server, clock, tmp_path, beats=[], force=True)
    assert len(local_server.requests) == 1  # not even --force asks before the time it gave
    assert "asked not to be asked again before" in (second.results[0].error or "")
    clock.sleep(2 * 24 * 3600)
    third = refresh(library, local_server, clock, tmp_path, beats=[])
    assert third.ok and third.results[0].new == 30 and len(local_server.requests) == 2
    (retry_at,) = library.conn.execute("SELECT retry_at FROM fetches").fetchone()
    assert retry_at is None  # an answer clears the wait


def test_a_wait_of_a_year_is_kept_for_a_week(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    # Longer than a year (or past the calendar, 1e12) is no wait at all: tests/test_http.py.
    asked = str(365 * 24 * 3600)
    local_server.route("/api/daily_papers", 429, headers={"Retry-After": asked})
    report = refresh(library, local_server, clock, tmp_path, beats=[])
    assert report.results[0].error  # one line for the job, not an error out of the refresh
    (kept,) = library.conn.execute("SELECT retry_at FROM fetches").fetchone()
    assert datetime.fromisoformat(kept) == datetime.fromtimestamp(clock.time(), UTC) + MAX_KEPT_WAIT


def test_arxiv_api_and_rss_owe_one_wait(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    # Both arXiv hosts share one rate limit: a wait the API asked for holds for the RSS too.
    library.record_fetch(
        FetchRecord(
            key="arxiv-earlier",
            source="arxiv",
            url="https://export.arxiv.org/api/query",
            fetched_at=NOW,
            status=429,
            error="busy",
            retry_at=NOW + timedelta(days=1),
        )
    )
    assert (
        site_of("https://rss.arxiv.org/rss")
        == site_of("https://export.arxiv.org/api")
        == ("arxiv.org")
    )
    beat = [Beat("T", include=("x",), queries={"arxiv-rss": "cs.LG"})]
    report = refresh(
        library,
        local_server,
        clock,
        tmp_path,
        beats=beat,
        source=Source.ARXIV_RSS,
        arxiv_rss_url="https://rss.arxiv.org/rss",
    )
    (result,) = report.results
    assert "arxiv.org asked not to be asked again before" in (result.error or "")
    assert local_server.requests == []


def test_refreshing_the_same_responses_twice_changes_nothing(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    serve_fixtures(local_server)
    refresh(library, local_server, clock, tmp_path)

    def snapshot() -> list[list[tuple]]:
        tables = ["papers", "paper_aliases", "discoveries", "beat_matches", "triage", "paper_tags"]
        return [
            [tuple(r) for r in library.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
            for t in tables
        ]

    before = snapshot()
    asked = len(local_server.requests)
    again = refresh(library, local_server, clock, tmp_path)
    failing = "Broken · arXiv"
    assert all(r.skipped for r in again.results if r.job.label != failing)
    # Answered today: not asked again. Only the query that failed is asked once more.
    assert len(local_server.requests) == asked + 1
    forced = refresh(library, local_server, clock, tmp_path, force=True)
    assert len(local_server.requests) > asked
    # After a first success, an arXiv query asks only for the days since then.
    windowed = [r.query.get("search_query") for r in local_server.requests[asked:]]
    assert "(testing) AND submittedDate:[202606110000 TO 202606132359]" in windowed
    assert sum(r.new + r.updated for r in forced.results) == 0
    assert snapshot() == before


def test_hf_and_arxiv_sightings_of_one_paper_are_one_row(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    # The same paper as Hugging Face lists it (2606.00467), then as an arXiv answer.
    local_server.route_file("/api/daily_papers", HF)
    hf_only = refresh(library, local_server, clock, tmp_path, beats=[])
    assert hf_only.results[0].new == 30
    record = library.find("2606.00467")
    assert record is not None
    entry = ARXIV_ENTRY_FOR_2606_00467(record.paper.title)
    local_server.route("/api/query", body=entry, query={"search_query": "id:2606.00467"})
    beat = [Beat("One", include=("x",), queries={"arxiv": "id:2606.00467"})]
    result = refresh(library, local_server, clock, tmp_path, beats=beat, source=Source.ARXIV)
    assert result.ok, result.results
    again = library.find("2606.00467")
    assert again is not None and again.pk == record.pk
    assert sorted(d.source for d in again.discoveries) == ["arxiv-api", "hf-api"]
    assert library.count(PaperFilter(query="2606.00467")) <= 1
    assert library.conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0] == 30


def test_a_new_version_keeps_stars_tags_and_state(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    library.upsert_paper(
        Paper(title="Old title", abstract="v1 abstract", arxiv=ArxivId("1605.08386", 1)),
        Discovery("test", NOW),
    )
    pk = library.resolve("1605.08386")
    assert pk is not None
    library.set_starred(pk, True)
    library.set_state(pk, TriageState.ARCHIVED)
    library.add_tag(pk, "keep")
    v2 = (FIXTURES / "arxiv_api_query_id_1605.08386.xml").read_bytes()
    v2 = v2.replace(b"1605.08386v1", b"1605.08386v2")
    local_server.route("/api/query", body=v2, query={"search_query": "id:1605.08386"})
    beat = [Beat("One", include=("x",), queries={"arxiv": "id:1605.08386"})]
    report = refresh(library, local_server, clock, tmp_path, beats=beat, source=Source.ARXIV)
    assert report.results[0].new_versions == 1 and report.results[0].updated == 1
    record = library.record(pk)
    assert record is not None
    assert record.paper.version == 2 and record.paper.title != "Old title"
    assert (record.starred, record.state, record.user_tags) == (
        True,
        TriageState.ARCHIVED,
        ("keep",),
    )


def test_a_refresh_that_brings_v2_puts_the_claim_quoting_it_under_review(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """The recorded v1 imported, a claim quoting its second sentence; the local server then
    answers the beat's query with v2 (tests/fixtures/edited/): the refresh stores v2, and the
    claim gets River's event and is under review, its badge untouched."""
    from river_tui.domain.claims import Dossier, SourceLink
    from river_tui.domain.quotes import quote_of, split_sentences
    from river_tui.importing import import_file

    import_file(library, FIXTURES / "arxiv_api_query_id_1605.08386.xml", NOW.date())
    pk = library.resolve("1605.08386")
    assert pk is not None
    (v1,) = library.versions(pk)
    second = split_sentences(v1.abstract)[1]
    source = SourceLink.make(
        "paper", "https://arxiv.org/abs/1605.08386", "Lattice", quote_of(v1.abstract, second)
    )
    library.create_dossier(Dossier(slug="lattice", title="Lattice walks"))
    claim = library.assert_claim("lattice", "Bounded.", "caveat", [source], NOW.date())
    v2 = FIXTURES.parent / "edited" / "arxiv_api_query_id_1605.08386v2_edited.xml"
    local_server.route("/api/query", body=v2.read_bytes(), query={"search_query": "id:1605.08386"})
    beat = [Beat("One", include=("x",), queries={"arxiv": "id:1605.08386"})]
    report = refresh(library, local_server, clock, tmp_path, beats=beat, source=Source.ARXIV)
    assert report.results[0].new_versions == 1
    assert [v.number for v in library.versions(pk)] == [1, 2]
    dossier = library.dossier("lattice")
    assert dossier is not None
    (flagged,) = [c for c in dossier.claims if c.id == claim]
    assert (flagged.review, flagged.badge) == ("changed", "caveat")
    assert flagged.events[-1].headline == "rechecked by River"
    assert flagged.events[-1].note.endswith("a constant that depends only on the matrix.”")


def test_offline_says_so_and_changes_nothing(
    library: Library, clock: FakeClock, tmp_path: Path
) -> None:
    closed = SourceSettings(
        hf_url="http://127.0.0.1:9",
        arxiv_api_url="http://127.0.0.1:9/api/query",
        arxiv_rss_url="http://127.0.0.1:9/rss",
    )
    before = library.conn.execute("PRAGMA data_version").fetchone()[0]
    with make_fetcher(closed, tmp_path, clock) as fetcher:
        report = Refresher(library, fetcher, closed).run(plan(BEATS, closed))
    assert report.offline
    assert library.conn.execute("SELECT COUNT(*) FROM fetches").fetchone()[0] == 0
    assert library.conn.execute("PRAGMA data_version").fetchone()[0] == before


def test_web_feed_items_are_browsable_and_never_merge_with_papers(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    rss = (FIXTURES / "arxiv_rss_cs.LG_2026-04-27_3items.xml").read_bytes()
    local_server.route("/blog/feed.xml", body=rss)
    local_server.route("/rss/cs.LG", body=rss)
    feeds = (FeedConfig("A blog", f"{local_server.url}/blog/feed.xml"),)
    beat = [Beat("T", include=("x",), queries={"arxiv-rss": "cs.LG"})]
    local_server.route("/api/daily_papers", body=b"[]")
    report = refresh(library, local_server, clock, tmp_path, beats=beat, feeds=feeds)
    assert report.ok, report.results
    kinds = dict(library.conn.execute("SELECT kind, COUNT(*) FROM papers GROUP BY kind"))
    assert kinds == {"paper": 3, "web": 3}  # same titles, kept apart


def test_a_feed_that_is_not_well_formed_lands_and_the_refresh_says_so_once(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """HTML's named entities with no DTD that defines them: feedparser reads the feed
    leniently, and so does River, saying why on the job's line."""
    blog = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        b"<title>Lab&nbsp;news</title><link>https://lab.example.org/</link>"
        b"<item><title>Caf&eacute; talk</title><link>https://lab.example.org/cafe</link></item>"
        b"<item><title>R&eacute;sum&eacute;s</title><link>https://lab.example.org/cv</link></item>"
        b"</channel></rss>"
    )
    local_server.route("/blog/feed.xml", body=blog)
    feeds = (FeedConfig("A blog", f"{local_server.url}/blog/feed.xml"),)
    report = refresh(
        library, local_server, clock, tmp_path, beats=[], source=Source.FEED, feeds=feeds
    )
    (result,) = report.results
    assert describe(result) == (
        "2 new, 0 updated, 0 unchanged (not well-formed XML (undefined entity), read leniently)"
    )
    titles = {p.title for p in library.papers()}
    assert titles == {"Café talk", "Résumés"}


def test_an_answer_no_parser_foresaw_fails_its_job_and_the_others_run(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    # Upvotes of 5,000 digits: Python refuses to make an int of them (a ValueError, not the
    # parser's own error). That job fails with one line; the arXiv RSS job still lands.
    huge = HF.read_text(encoding="utf-8").replace('"upvotes":', '"upvotes":' + "9" * 5000, 1)
    assert huge != HF.read_text(encoding="utf-8")
    local_server.route("/api/daily_papers", body=huge.encode("utf-8"))
    local_server.route_file("/rss/cs.LG", FIXTURES / "arxiv_rss_cs.LG_2026-04-27_3items.xml")
    beat = [Beat("T", include=("x",), queries={"arxiv-rss": "cs.LG"})]
    report = refresh(library, local_server, clock, tmp_path, beats=beat)
    failed = [r for r in report.results if r.error]
    assert [r.job.source for r in failed] == [Source.HF]
    assert "could not read it" in failed[0].error and len(failed[0].error) < 600
    assert library.count() == 3


def test_plan_narrows_by_beat_and_source() -> None:
    settings = SourceSettings()
    everything = plan(BEATS, settings)
    assert {j.source for j in everything} == set(Source) - {Source.FEED}
    only = plan(BEATS, settings, beat="Testing")
    assert {j.beat for j in only} == {"Testing"}
    assert {j.source for j in plan(BEATS, settings, source=Source.ARXIV)} == {Source.ARXIV}


def ARXIV_ENTRY_FOR_2606_00467(title: str) -> bytes:
    """The real arXiv answer for 1605.08386, re-addressed to the paper HF listed."""
    body = (FIXTURES / "arxiv_api_query_id_1605.08386.xml").read_text(encoding="utf-8")
    old_title = body.split("<entry>", 1)[1].split("<title>", 1)[1].split("</title>", 1)[0]
    body = body.replace("1605.08386", "2606.00467").replace(old_title, title)
    return body.encode("utf-8")


def test_fetch_log_is_a_table_the_store_owns(library: Library) -> None:
    assert isinstance(library.conn, sqlite3.Connection)
    assert library.last_refresh() is None


def test_river_refresh_command_reports_per_source(
    local_server: LocalServer, tmp_path: Path
) -> None:
    serve_fixtures(local_server)
    config = Path(os.environ["RIVER_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "beats.toml").write_text(
        '[[beat]]\nname = "Testing"\ninclude = ["testing"]\n'
        '[beat.queries]\narxiv = "testing"\narxiv_rss = "cs.LG"\n'
    )
    env = os.environ | {
        "RIVER_HF_URL": local_server.url,
        "RIVER_ARXIV_API_URL": f"{local_server.url}/api/query",
        "RIVER_ARXIV_RSS_URL": f"{local_server.url}/rss",
    }
    db = tmp_path / "x.db"
    command = [
        sys.executable,
        "-m",
        "river_tui",
        "--db",
        str(db),
        "refresh",
        "--source",
        "arxiv-rss",
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    # Piped: plain progress lines on stderr, then the summary on stdout.
    assert "[1/1] Testing · arXiv RSS cs.LG: 3 new, 0 updated, 0 unchanged" in result.stderr
    assert result.stdout.splitlines()[1].split() == ["arxiv-rss", "3", "0", "0", "0", "0"]
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert "already asked today" in again.stderr

    offline = subprocess.run(
        [sys.executable, "-m", "river_tui", "--db", str(db), "refresh"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert offline.returncode == 1
    assert offline.stderr.strip().splitlines()[-1] == (
        "river: offline: no source could be reached; nothing changed"
    )
    assert "Traceback" not in offline.stderr


SERVED_ARXIV = [
    # (fixture, expected (id, version) of every stored paper, total new)
    ("arxiv_api_query_id_1605.08386.xml", [("1605.08386", 1)]),
    ("arxiv_api_query_id_oldstyle_astro-ph_0601001.xml", [("astro-ph/0601001", 1)]),
    ("arxiv_api_query_id_oldstyle_versioned_quant-ph_0201082v1.xml", [("quant-ph/0201082", 1)]),
    ("arxiv_api_query_id_list_two_ids_one_missing.xml", [("1707.08567", 1)]),
    ("arxiv_api_query_empty_id_0000.0000.xml", []),
]


@pytest.mark.parametrize(("fixture", "expected"), SERVED_ARXIV)
def test_each_arxiv_answer_served_over_http_lands_as_recorded(
    library: Library,
    local_server: LocalServer,
    clock: FakeClock,
    tmp_path: Path,
    fixture: str,
    expected: list[tuple[str, int]],
) -> None:
    local_server.route_file("/api/query", FIXTURES / fixture)
    beat = [Beat("One", include=("x",), queries={"arxiv": "id:whatever"})]
    report = refresh(library, local_server, clock, tmp_path, beats=beat, source=Source.ARXIV)
    assert report.ok, report.results
    stored = [
        (row["id"], row["version"])
        for row in library.conn.execute("SELECT id, version FROM papers ORDER BY id")
    ]
    assert stored == expected
    assert report.results[0].new == len(expected)
    for paper_id, version in expected:
        record = library.find(f"{paper_id}v{version}")
        assert record is not None and record.id == paper_id
        assert record.discoveries[0].source == "arxiv-api"
        assert record.discoveries[0].signal == {"version": version}
        assert record.paper.title and record.paper.abstract and record.paper.authors
    request = local_server.requests[0]
    assert request.query["sortBy"] == "submittedDate" and request.query["start"] == "0"


def test_hf_listing_served_over_http_keeps_upvotes_organization_and_dates(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    local_server.route_file("/api/daily_papers", HF)
    report = refresh(library, local_server, clock, tmp_path, beats=[])
    assert report.results[0].new == 30
    minimax = library.find("2606.13392")
    assert minimax is not None
    assert (minimax.paper.upvotes, minimax.paper.organization) == (103, "MiniMax")
    assert minimax.discoveries[0].signal["upvotes"] == 103
    caltech = library.find("2606.00467")
    assert caltech is not None
    assert caltech.paper.organization == "California institute of technology"
    assert caltech.paper.published == date(2026, 5, 30)
    assert caltech.paper.extra["hf_listing_date"] == "2026-06-12"
    assert any(link.label == "pdf" for link in caltech.paper.links)
