"""The watch: the papers active claims cite are asked for by id (arXiv ``id_list``, at most
100 ids a request), once a day at most, so a new version or a withdrawal reaches the claims
quoting them. Served by the local test server from the recorded response and its edited
later versions (tests/fixtures/SOURCES.md)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from test_refresh import clock

from river_tui.domain import Beat
from river_tui.domain.claims import Claim, Dossier, SourceLink
from river_tui.domain.quotes import quote_of, split_sentences
from river_tui.importing import import_file
from river_tui.refresh import Refresher, RefreshReport, Source, make_fetcher, plan
from river_tui.refresh.jobs import WATCH_BATCH
from river_tui.settings import SourceSettings
from river_tui.store.library import Library

from conftest import FIXTURES, ROOT
from httpserver import FakeClock, LocalServer, RecordedRequest, Reply, local_server

__all__ = ["clock", "local_server"]

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
EDITED = ROOT / "tests" / "fixtures" / "edited"
V1 = FIXTURES / "arxiv_api_query_id_1605.08386.xml"
V2 = EDITED / "arxiv_api_query_id_1605.08386v2_edited.xml"
V3_WITHDRAWN = EDITED / "arxiv_api_query_id_1605.08386v3_withdrawn_edited.xml"
URL = "https://arxiv.org/abs/1605.08386"
CHANGED = "We show that the diameter"
"""The start of the sentence v2 changes."""


def settings_for(server: LocalServer) -> SourceSettings:
    return SourceSettings(
        hf_url=server.url,
        arxiv_api_url=f"{server.url}/api/query",
        arxiv_rss_url=f"{server.url}/rss",
        contact="tests@example.org",
    )


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.db", []) as lib:
        yield lib


def watch(library: Library, server: LocalServer, clock: FakeClock, state: Path) -> RefreshReport:
    """A refresh of the arXiv jobs, as the reader and ``river refresh`` plan it: no beat asks
    arXiv, so the watch is all there is."""
    settings = settings_for(server)
    jobs = plan([], settings, source=Source.ARXIV, watched=library.watched())
    now = lambda: datetime.fromtimestamp(clock.time(), UTC)  # noqa: E731
    with make_fetcher(settings, state, clock) as fetcher:
        return Refresher(library, fetcher, settings, now=now).run(jobs)


def quote_changed_sentence(library: Library, text: str = "Bounded.") -> int:
    """v1 imported, and a claim quoting the sentence v2 changes. The claim's id."""
    import_file(library, V1, NOW.date())
    pk = library.resolve("1605.08386")
    assert pk is not None
    (v1,) = library.versions(pk)
    sentence = next(s for s in split_sentences(v1.abstract) if s.text.startswith(CHANGED))
    source = SourceLink.make("paper", URL, "Lattice", quote_of(v1.abstract, sentence))
    if library.dossier("lattice") is None:
        library.create_dossier(Dossier(slug="lattice", title="Lattice walks"))
    return library.assert_claim("lattice", text, "caveat", [source], NOW.date())


def claim(library: Library, claim_id: int) -> Claim:
    dossier = library.dossier("lattice")
    assert dossier is not None
    return next(c for c in dossier.claims if c.id == claim_id)


def test_the_watch_is_planned_in_batches_of_at_most_100_ids() -> None:
    settings = SourceSettings(arxiv_api_url="https://export.arxiv.org/api/query")
    ids = [f"2606.{n:05d}" for n in range(250)]
    jobs = plan([], settings, source=Source.ARXIV, watched=ids)
    asked = [dict(j.params)["id_list"].split(",") for j in jobs]
    assert [len(a) for a in asked] == [WATCH_BATCH, WATCH_BATCH, 50] and WATCH_BATCH == 100
    assert [i for batch in asked for i in batch] == ids
    assert [j.key for j in jobs] == [f"arxiv|{settings.arxiv_api_url}|watch={n}" for n in (1, 2, 3)]
    assert [j.label for j in jobs][-1] == "papers claims cite · arXiv (3/3)"
    beat = Beat("One", include=("x",))
    assert plan([beat], settings, beat="One", watched=ids) == []  # a beat's refresh: no watch
    assert not [j for j in plan([], settings, source=Source.HF, watched=ids) if j.watch]


def test_only_active_claims_papers_are_watched(library: Library) -> None:
    kept = quote_changed_sentence(library)
    dropped = library.assert_claim(
        "lattice",
        "Another.",
        "caveat",
        [
            SourceLink.make("paper", "https://arxiv.org/abs/2606.05152v2"),
            SourceLink.make("web", "https://example.org/post"),
        ],
        NOW.date(),
    )
    assert library.watched() == ["1605.08386", "2606.05152"]
    library.retract(dropped, "wrong", NOW.date())
    assert library.watched() == ["1605.08386"]
    library.retract(kept, "wrong too", NOW.date())
    assert library.watched() == []


def test_the_watch_brings_v2_and_flags_the_claim_once_a_day(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """The cited paper is asked for by id; v2 puts its claim under review; the same day the
    watch is not sent again, the next day it is (and v2 again changes nothing)."""
    claim_id = quote_changed_sentence(library)
    local_server.route_file("/api/query", V2)
    report = watch(library, local_server, clock, tmp_path)
    (result,) = report.results
    assert (result.error, result.new_versions) == (None, 1)
    (request,) = local_server.requests
    assert request.query["id_list"] == "1605.08386"
    assert request.headers["user-agent"].startswith("River/")
    flagged = claim(library, claim_id)
    assert (flagged.review, flagged.badge) == ("changed", "caveat")
    assert flagged.events[-1].actor == "river"

    clock.sleep(3600)
    again = watch(library, local_server, clock, tmp_path)
    assert again.results[0].skipped and len(local_server.requests) == 1
    clock.sleep(24 * 3600)
    tomorrow = watch(library, local_server, clock, tmp_path)
    assert tomorrow.results[0].new_versions == 0 and len(local_server.requests) == 2
    assert len(claim(library, claim_id).events) == len(flagged.events)


def test_a_withdrawal_the_watch_brings_flags_the_claim_withdrawn(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    claim_id = quote_changed_sentence(library)
    local_server.route_file("/api/query", V3_WITHDRAWN)
    watch(library, local_server, clock, tmp_path)
    flagged = claim(library, claim_id)
    assert (flagged.review, flagged.badge, flagged.status) == ("withdrawn", "caveat", "active")
    note = flagged.events[-1].note
    assert "v3" in note and "withdrawn" in note.lower()
    pk = library.resolve("1605.08386")
    assert pk is not None
    assert [v.number for v in library.versions(pk)] == [1, 3]


def test_a_second_river_process_writing_during_the_watch_loses_nothing(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """While the watch's request is on the wire, another River process stars the paper and
    adds a second claim quoting the same sentence. Both writes survive the refresh, and the
    claim added meanwhile is re-checked too (the re-check reads the claims when v2 lands)."""
    first = quote_changed_sentence(library)
    db = tmp_path / "lib.db"
    pk = library.resolve("1605.08386")
    assert pk is not None
    (v1,) = library.versions(pk)
    sentence = next(s.text for s in split_sentences(v1.abstract) if s.text.startswith(CHANGED))
    written: list[subprocess.CompletedProcess[str]] = []

    def meanwhile(_request: RecordedRequest) -> Reply:
        for args in (
            ["mark", "1605.08386", "--star"],
            [
                *("claim", "add", "--dossier", "lattice", "--paper", "1605.08386"),
                *("--quote", sentence, "--badge", "caveat", "--text", "Bounded, twice."),
            ],
        ):
            written.append(
                subprocess.run(
                    [sys.executable, "-m", "river_tui", "--db", str(db), *args],
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
            )
        return Reply(200, V2.read_bytes())

    local_server.route_fn("/api/query", meanwhile)
    report = watch(library, local_server, clock, tmp_path)
    assert report.ok and [w.returncode for w in written] == [0, 0], [w.stderr for w in written]
    record = library.record(pk)
    assert record is not None and record.starred and record.paper.version == 2
    dossier = library.dossier("lattice")
    assert dossier is not None
    assert [(c.text, c.review) for c in dossier.claims] == [
        ("Bounded.", "changed"),
        ("Bounded, twice.", "changed"),
    ]
    assert claim(library, first).events[-1].actor == "river"


def test_a_claim_added_today_on_v2_is_not_flagged_by_the_watch(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """A quote of the newest version is not older than what the watch brings: nothing to
    review."""
    import_file(library, V1, NOW.date())
    import_file(library, V2, NOW.date())
    pk = library.resolve("1605.08386")
    assert pk is not None
    v2 = library.versions(pk)[-1]
    source = SourceLink.make(
        "paper", URL, "Lattice", quote_of(v2.abstract, split_sentences(v2.abstract)[1])
    )
    library.create_dossier(Dossier(slug="lattice", title="Lattice walks"))
    claim_id = library.assert_claim("lattice", "Bounded.", "caveat", [source], date(2026, 12, 7))
    local_server.route_file("/api/query", V2)
    watch(library, local_server, clock, tmp_path)
    assert claim(library, claim_id).review is None


def test_a_new_paper_a_refresh_brings_is_listed_under_the_claim_it_bears_on(
    library: Library, local_server: LocalServer, clock: FakeClock, tmp_path: Path
) -> None:
    """The refresh compares each new paper with the active claims, in the transaction that
    stores it; a claim on another subject gets nothing."""
    library.create_dossier(Dossier(slug="walks", title="Walks"))
    on_walks = library.assert_claim(
        "walks",
        "Heat-bath random walks on lattice points mix fast when the moves form a Markov basis.",
        "caveat",
        [],
        NOW.date(),
    )
    elsewhere = library.assert_claim(
        "walks", "Credit risk models of peer-to-peer lending.", "caveat", [], NOW.date()
    )
    local_server.route_file("/api/query", V1)
    settings = settings_for(local_server)
    beat = Beat("Walks", include=("walk",), queries={"arxiv": "id:1605.08386"})
    now = lambda: datetime.fromtimestamp(clock.time(), UTC)  # noqa: E731
    with make_fetcher(settings, tmp_path, clock) as fetcher:
        report = Refresher(library, fetcher, settings, now=now).run(
            plan([beat], settings, source=Source.ARXIV)
        )
    assert report.results[0].new == 1 and report.results[0].leads == 1
    (lead,) = claim_in(library, "walks", on_walks).leads
    assert lead.paper_id == "1605.08386" and lead.score >= 0.075
    assert "Markov bases" in lead.sentence or "heat-bath" in lead.sentence.casefold()
    assert claim_in(library, "walks", on_walks).review == "new-evidence"
    assert claim_in(library, "walks", elsewhere).leads == []


def claim_in(library: Library, slug: str, claim_id: int) -> Claim:
    dossier = library.dossier(slug)
    assert dossier is not None
    return next(c for c in dossier.claims if c.id == claim_id)
