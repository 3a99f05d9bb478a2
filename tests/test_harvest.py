"""``river harvest``: arXiv's OAI-PMH answers, recorded (tests/fixtures/SOURCES.md), served by
a real server on 127.0.0.1; a harvest killed after its first page and run again ends with the
same library as one never interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from river_tui.cli import HARVEST_FORMATS
from river_tui.refresh import make_fetcher
from river_tui.refresh.harvest import Harvester, HarvestReport, HarvestRequest
from river_tui.settings import SourceSettings
from river_tui.sources import SourceError
from river_tui.sources.oai_pmh import FORMATS, parse_list_records
from river_tui.store.ingest import Outcome
from river_tui.store.library import Library

from conftest import FIXTURES, ROOT, run_river
from httpserver import FakeClock, LocalServer, RecordedRequest, Reply, local_server

__all__ = ["local_server"]

EDITED = ROOT / "tests" / "fixtures" / "edited"
PAGE1 = FIXTURES / "arxiv_oai_listrecords_arXivRaw_from_2014-10-01_page1.xml"
PAGE2 = EDITED / "arxiv_oai_listrecords_arXivRaw_page2_edited.xml"
ARXIV_FORMAT = FIXTURES / "arxiv_oai_listrecords_arXiv_2015-01-01_2015-01-03.xml"
BUSY = FIXTURES / "arxiv_oai_503_retry_after_10.html"
TOKEN = "726959|1001"
PAGE1_IDS = ["0704.0471", "0704.0716", "0704.0874", "0704.1109", "0704.1114", "0704.1586"]
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def serve_pages(server: LocalServer, second: Reply | None = None) -> None:
    server.route_file("/oai", PAGE1)
    reply = second or Reply(200, PAGE2.read_bytes(), {"Content-Type": "text/xml"})
    server.route_fn("/oai", lambda _request: reply, query={"resumptionToken": TOKEN})


@pytest.fixture
def clock(local_server: LocalServer) -> FakeClock:
    fake = FakeClock(NOW.timestamp())
    local_server.clock = fake.time
    return fake


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.db") as lib:
        yield lib


def harvest(
    library: Library,
    server: LocalServer,
    clock: FakeClock,
    state_dir: Path,
    request: HarvestRequest | None = None,
    restart: bool = False,
) -> HarvestReport:
    settings = SourceSettings(arxiv_oai_url=f"{server.url}/oai", contact="tests@example.org")
    now = lambda: datetime.fromtimestamp(clock.time(), UTC)  # noqa: E731
    with make_fetcher(settings, state_dir, clock) as fetcher:
        harvester = Harvester(library, fetcher, settings, now=now)
        return harvester.run(request or HarvestRequest(since="2014-10-01"), restart=restart)


def contents(db: Path) -> list[tuple[object, ...]]:
    """Everything a library holds of its papers but the moments River wrote them."""
    out: list[tuple[object, ...]] = []
    with Library.open(db, read_only=True) as library:
        for summary in library.papers():
            record = library.record(summary.pk)
            assert record is not None
            seen = sorted((d.source, d.origin, str(d.signal)) for d in record.discoveries)
            versions = [
                (v.number, v.dated, v.title, v.abstract, v.comment, v.source)
                for v in library.versions(record.pk)
            ]
            out.append((record.id, repr(record.paper), seen, versions, record.beats))
    return sorted(out, key=lambda row: str(row[0]))


# -- the parser --------------------------------------------------------------------------------
def test_a_recorded_arxivraw_page_reads_field_by_field() -> None:
    page = parse_list_records(PAGE1.read_bytes())

    assert (page.token, page.cursor, page.complete) == (TOKEN, 0, 58011)
    assert [s.paper.id for s in page.sightings] == PAGE1_IDS
    paper = page.sightings[1].paper  # 0704.0716: four versions
    assert (str(paper.arxiv), paper.published, paper.updated) == (
        "0704.0716v4",
        date(2007, 4, 5),
        date(2008, 11, 14),
    )
    assert [v["date"] for v in paper.extra["versions"]] == [
        "2007-04-05T12:45:03+00:00",
        "2007-09-28T15:13:43+00:00",
        "2008-02-29T16:05:39+00:00",
        "2008-11-14T09:07:25+00:00",
    ]
    assert (paper.authors, paper.categories) == (("Christoph Richard",), ("math-ph", "math.MP"))
    assert paper.title == "Limit distributions and scaling functions"
    first = page.sightings[0].paper
    assert first.authors == ("D.V. Shetty", "S.J. Yennello", "G.A. Souliotis")
    assert first.extra["doi"] == "10.1103/PhysRevC.76.024606"  # the first of two
    assert first.extra["journal_ref"] == "Phys.Rev.C76:024606,2007; Erratum-ibid.C76:039902,2007"


def test_the_last_page_has_an_empty_token() -> None:
    page = parse_list_records(PAGE2.read_bytes())
    assert (page.token, [s.paper.id for s in page.sightings]) == (None, ["1302.2146"])


def test_the_arxiv_format_gives_its_authors_apart_and_two_dates() -> None:
    page = parse_list_records(ARXIV_FORMAT.read_bytes())
    first, second = (s.paper for s in page.sightings)
    assert (first.id, first.authors, first.arxiv.version if first.arxiv else 0) == (
        "1412.8544",
        ("Sander Uijlen", "Bas Westerbaan"),
        None,  # this format names no version
    )
    assert (first.published, first.extra["doi"]) == (date(2014, 12, 29), "10.4204/EPTCS.172.11")
    assert (second.id, second.authors) == ("hep-th/9504118", ("M. Requardt",))
    assert page.token is None


def test_arxivraw_authors_written_in_tex_are_read_as_unicode() -> None:
    data = PAGE2.read_bytes().replace(b"Maxim Perelstein", b"P\\'eter Frenkel and M{\\\"u}ller")
    paper = parse_list_records(data).sightings[0].paper
    assert paper.authors[:4] == ("Joshua Berger", "Péter Frenkel", "Müller", "Michael Saelim")


def test_oai_errors() -> None:
    empty = parse_list_records(
        (FIXTURES / "arxiv_oai_error_noRecordsMatch_set_moo.xml").read_bytes()
    )
    assert (empty.sightings, empty.token) == ((), None)
    with pytest.raises(SourceError, match="badResumptionToken: The resumptionToken supplied is"):
        parse_list_records((FIXTURES / "arxiv_oai_error_badResumptionToken.xml").read_bytes())
    with pytest.raises(SourceError, match="badArgument: Verb 'ListRecords', illegal argument"):
        parse_list_records((FIXTURES / "arxiv_oai_error_badArgument.xml").read_bytes())
    with pytest.raises(SourceError, match="refused: the document declares XML entities"):
        parse_list_records(b'<!DOCTYPE x [<!ENTITY a "b">]><OAI-PMH/>')
    with pytest.raises(SourceError, match="not an OAI-PMH answer"):
        parse_list_records(b"<html><body>Retry after 10 seconds</body></html>")


def test_a_deleted_record_is_left_out_and_counted() -> None:
    data = PAGE2.read_bytes().replace(b"<header>", b'<header status="deleted">')
    page = parse_list_records(data)
    assert (page.sightings, page.deleted) == ((), 1)


def test_the_command_line_and_the_parser_know_the_same_formats() -> None:
    assert HARVEST_FORMATS == FORMATS


# -- harvesting ----------------------------------------------------------------------------------
def test_a_harvest_pages_through_politely_and_forgets_its_place_when_done(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    serve_pages(local_server)

    report = harvest(
        library, local_server, clock, tmp_path, HarvestRequest("physics", "2014-10-01")
    )

    assert report.finished and report.error is None
    assert (report.pages, report.outcomes[Outcome.NEW]) == (2, 7)
    first, second = local_server.requests
    assert first.query == {
        "verb": "ListRecords",
        "metadataPrefix": "arXivRaw",
        "set": "physics",
        "from": "2014-10-01",
    }
    assert second.query == {"verb": "ListRecords", "resumptionToken": TOKEN}  # the token alone
    assert first.headers["user-agent"].startswith("River/")
    assert second.time - first.time >= 3.0  # arXiv's one request per 3 seconds
    assert library.unfinished_harvests() == []
    assert library.count() == 7
    record = library.find("1302.2146")
    assert record is not None
    assert [(d.source, d.signal) for d in record.discoveries] == [("arxiv-oai", {"version": 2})]
    assert report.summary() == (
        "harvest of set physics from 2014-10-01 (arXivRaw): 2 pages, 7 new, 0 updated, "
        "0 unchanged papers"
    )


def test_a_503_waits_as_retry_after_says(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    busy = Reply(503, BUSY.read_bytes(), {"Retry-After": "10", "Content-Type": "text/html"})
    local_server.route_sequence("/oai", [busy, Reply(200, PAGE2.read_bytes())])

    report = harvest(library, local_server, clock, tmp_path)

    assert report.finished and library.count() == 1
    assert 10 in clock.sleeps
    first, second = local_server.requests
    assert second.time - first.time >= 10


def test_a_harvest_cut_short_goes_on_from_its_last_page(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    serve_pages(local_server, second=Reply(500, b"oops"))
    cut = harvest(library, local_server, clock, tmp_path)
    assert not cut.finished and cut.error == "127.0.0.1 answered HTTP 500 Internal Server Error"
    (state,) = library.unfinished_harvests()
    assert (state.token, state.pages, state.records, state.complete) == (TOKEN, 1, 6, 58011)
    assert library.count() == 6

    serve_pages(local_server)
    went_on = harvest(library, local_server, clock, tmp_path)

    assert went_on.finished and went_on.resumed_at == 1
    assert local_server.requests[-1].query == {"verb": "ListRecords", "resumptionToken": TOKEN}
    assert (went_on.pages, went_on.outcomes[Outcome.NEW]) == (1, 1)
    assert library.count() == 7 and library.unfinished_harvests() == []
    assert "went on from page 2" in went_on.summary()


def test_a_lost_token_says_so_and_restart_starts_over(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    bad = (FIXTURES / "arxiv_oai_error_badResumptionToken.xml").read_bytes()
    serve_pages(local_server, second=Reply(200, bad))
    report = harvest(library, local_server, clock, tmp_path)
    assert report.error is not None and "badResumptionToken" in report.error
    assert len(library.unfinished_harvests()) == 1

    serve_pages(local_server)
    again = harvest(library, local_server, clock, tmp_path, restart=True)

    assert again.finished and again.resumed_at is None
    assert "resumptionToken" not in local_server.requests[-2].query
    assert (again.outcomes[Outcome.UNCHANGED], again.outcomes[Outcome.NEW]) == (6, 1)


def test_no_records_match_is_an_empty_harvest(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    local_server.route_file("/oai", FIXTURES / "arxiv_oai_error_noRecordsMatch_set_moo.xml")
    report = harvest(library, local_server, clock, tmp_path, HarvestRequest("moo"))
    assert report.finished and report.error is None and library.count() == 0


def test_river_harvest_prints_what_it_did(local_server: LocalServer, tmp_path: Path) -> None:
    local_server.route_file("/oai", PAGE2)
    env = {"RIVER_ARXIV_OAI_URL": f"{local_server.url}/oai"}

    result = run_river("--db", str(tmp_path / "lib.db"), "harvest", "--set", "physics", env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "harvest of set physics (arXivRaw): 1 page, 1 new, 0 updated, 0 unchanged papers"
    )
    assert result.stderr == ""  # not a terminal: no bar
    bad = run_river("--db", str(tmp_path / "lib.db"), "harvest", "--from", "May 1", env=env)
    assert bad.returncode == 2 and "not a day written YYYY-MM-DD: 'May 1'" in bad.stderr


# -- must show: killed after its first page, run again, the same library -----------------------
def test_a_harvest_killed_and_run_again_ends_as_one_never_interrupted(
    local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    first_running = threading.Event()

    def second_page(_request: RecordedRequest) -> Reply:
        # The first run waits 3 s (arXiv's pace) before it asks for the second page, and is
        # killed then; were it slower to be killed, its answer would come too late.
        return Reply(200, PAGE2.read_bytes(), delay=5.0 if first_running.is_set() else 0.0)

    local_server.route_file("/oai", PAGE1)
    local_server.route_fn("/oai", second_page, query={"resumptionToken": TOKEN})
    killed_db = tmp_path / "killed.db"
    env = os.environ | {"RIVER_ARXIV_OAI_URL": f"{local_server.url}/oai"}
    command = [sys.executable, "-m", "river_tui", "--db", str(killed_db), "harvest"]
    command += ["--from", "2014-10-01"]

    first_running.set()
    child = subprocess.Popen(
        command,
        env=env | {"RIVER_DATA_DIR": str(tmp_path / "first")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        state = _first_page_stored(killed_db, child)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        first_running.clear()
    assert child.returncode == -signal.SIGKILL
    assert (state.token, state.pages) == (TOKEN, 1)

    # Run again (its own rate-limit file: the first run's request was a moment ago).
    again = subprocess.run(
        command,
        env=env | {"RIVER_DATA_DIR": str(tmp_path / "second")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert "went on from page 2" in again.stdout
    assert local_server.requests[-1].query == {"verb": "ListRecords", "resumptionToken": TOKEN}

    whole_db = tmp_path / "whole.db"
    with Library.open(whole_db) as whole:
        report = harvest(whole, local_server, clock, tmp_path, HarvestRequest(since="2014-10-01"))
        assert report.finished and report.outcomes[Outcome.NEW] == 7

    assert contents(killed_db) == contents(whole_db)
    assert len(contents(killed_db)) == 7


def _first_page_stored(db: Path, child: subprocess.Popen[bytes]):  # type: ignore[no-untyped-def]
    """The harvest's stored state, once the child has stored its first page."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert child.poll() is None, "the harvest ended before it could be killed"
        if db.exists():
            try:
                with Library.open(db, read_only=True) as library:
                    found = library.unfinished_harvests()
            except Exception:  # the child is still creating the library
                found = []
            if found:
                return found[0]
        time.sleep(0.02)
    raise AssertionError("the first page was never stored")
