"""The library file: schema, transactions, append-only events, merging, user state kept apart."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from river_tui.domain import ArxivId, Beat, Discovery, Paper, TriageState
from river_tui.domain.claims import Claim, Dossier, SourceLink
from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.store import papers
from river_tui.store.db import connect
from river_tui.store.ingest import Outcome
from river_tui.store.library import Library, LibraryError
from river_tui.store.migrations import LATEST
from river_tui.store.papers import PaperFilter, Sort

from conftest import STEP_10, seed

AS_OF = date(2026, 11, 22)


@pytest.fixture
def library(tmp_path: Path):
    lib = Library.open(tmp_path / "lib.db", load_settings().beats)
    yield lib
    lib.close()


def seen(source: str = "test") -> Discovery:
    return Discovery(source, datetime.now(UTC), origin=source)


def test_new_file_is_migrated_to_the_latest_schema_in_wal_mode(library: Library) -> None:
    conn = library.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert library.health().ok


def test_reopening_does_not_migrate_again(tmp_path: Path) -> None:
    Library.open(tmp_path / "a.db").close()
    with Library.open(tmp_path / "a.db") as lib:
        assert lib.get_meta("migration.1") is not None
        assert lib.health().schema_version == LATEST


V6_FTS = """
CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, abstract, authors, content='papers', content_rowid='pk',
    tokenize='porter unicode61 remove_diacritics 2'
)
"""
"""The full-text index as schema v6 had it (migration 1), without a prefix index."""


def test_the_prefix_index_migration_answers_every_search_as_before(tmp_path: Path) -> None:
    """Migration 7 rebuilds the full-text index with two-letter prefixes from the papers: a v6
    library with data answers every search as it did, and the insert trigger still feeds it."""
    path = tmp_path / "v6.db"
    with Library.open(path, load_settings().beats) as lib:
        for prefix in ("001", "002"):
            import_file(lib, seed(prefix), AS_OF)
    conn = sqlite3.connect(path)
    conn.executescript(  # back to v6: the old index, and no column of migration 8
        f"DROP TABLE papers_fts; {V6_FTS};"
        "INSERT INTO papers_fts(papers_fts) VALUES ('rebuild');"
        f"ALTER TABLE fetches DROP COLUMN retry_at; {STEP_10} PRAGMA user_version = 6;"
    )
    conn.close()
    queries = ["in", "re", "cr", "credit", "reinforcement learn", "ti:agent", "au:zh", "zzzz"]

    def answers(lib: Library) -> dict[tuple[str, bool], list[str]]:
        return {
            (q, typed): [p.id for p in lib.papers(PaperFilter(query=q, type_ahead=typed))]
            for q in queries
            for typed in (False, True)
        }

    with Library(connect(path), str(path), load_settings().beats) as old:  # not migrated
        before = answers(old)
    assert all(before[q, False] for q in ("credit", "reinforcement learn"))
    assert before["in", True] and not before["zzzz", True]
    with Library.open(path, load_settings().beats) as lib:
        assert lib.health().schema_version == LATEST
        sql = lib.conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'papers_fts'")
        assert "prefix='2'" in sql.fetchone()[0]
        assert answers(lib) == before
        lib.conn.execute("INSERT INTO papers_fts(papers_fts) VALUES ('integrity-check')")
        known = {p.pk for p in lib.papers()}
        import_file(lib, seed("003"), AS_OF)  # new papers go through the insert trigger
        added = [p for p in lib.papers() if p.pk not in known]
        assert added
        for paper in added:
            word = next(w for w in paper.title.split() if len(w) > 3 and w.isalpha())
            typed = PaperFilter(query=word[:2], type_ahead=True)
            assert paper.pk in {p.pk for p in lib.papers(typed)}, word


def test_a_step_another_river_ran_meanwhile_is_not_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two Rivers open an old library at once: the second read the version before the first
    upgraded it, then waited for the write lock. It checks again under the lock and does not
    run the step a second time (migration 7 would rebuild the full-text index again)."""
    from river_tui.store import migrations

    path = tmp_path / "lib.db"
    Library.open(path).close()
    conn = connect(path)
    conn.execute("UPDATE meta SET value = 'the first run' WHERE key = 'migration.7'")
    reads = iter([LATEST - 1])  # the version as read before the lock; then the real one
    real = migrations.current_version
    monkeypatch.setattr(migrations, "current_version", lambda c: next(reads, None) or real(c))
    assert migrations.migrate(conn) == LATEST
    row = conn.execute("SELECT value FROM meta WHERE key = 'migration.7'").fetchone()
    conn.close()
    assert row[0] == "the first run"


def test_a_library_a_newer_river_upgraded_meanwhile_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from river_tui.store import migrations

    path = tmp_path / "lib.db"
    Library.open(path).close()
    conn = connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")  # what the newer River left
    reads = iter([LATEST - 1])  # as read before the lock
    real = migrations.current_version
    monkeypatch.setattr(migrations, "current_version", lambda c: next(reads, None) or real(c))
    with pytest.raises(LibraryError, match="newer than this River"):
        migrations.migrate(conn)
    conn.close()


def test_a_library_from_a_newer_river_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Library.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(LibraryError, match="newer than this River") as refused:
        Library.open(path)
    assert str(refused.value).startswith(f"{path}: this library has schema version")


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(LibraryError, match=r"notes\.db"):
        Library.open(path)
    assert path.read_text().startswith("these are my notes")


def test_claim_events_refuse_update_and_delete(library: Library) -> None:
    import_file(library, seed("004"), AS_OF)
    conn = library.conn
    (count,) = conn.execute("SELECT COUNT(*) FROM claim_events").fetchone()
    assert count == 3
    with pytest.raises(sqlite3.IntegrityError, match="append-only: UPDATE refused"):
        conn.execute("UPDATE claim_events SET note = 'rewritten'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only: DELETE refused"):
        conn.execute("DELETE FROM claim_events")
    notes = {r[0] for r in conn.execute("SELECT note FROM claim_events")}
    assert notes == {"First asserted."}


def test_a_failed_write_rolls_back_whole(library: Library) -> None:
    with pytest.raises(RuntimeError), library.transaction():
        library.upsert_paper(Paper(title="Half a batch", abstract="x"), seen())
        raise RuntimeError("crash mid-import")
    assert library.count() == 0


def test_provisional_paper_learns_its_arxiv_id_and_keeps_user_state(library: Library) -> None:
    first = library.upsert_paper(
        Paper(
            title="Online Process Reward Leanring for Agentic Reinforcement Learning",
            abstract="From a saved page.",
            upvotes=3,
        ),
        seen("hf-page"),
    )
    assert first.id.startswith("prov:")
    library.set_starred(first.pk, True)
    library.set_state(first.pk, TriageState.READ)
    library.add_tag(first.pk, "#To Read")

    arrived = library.upsert_paper(
        Paper(
            title="Online Process Reward Learning for Agentic Reinforcement Learning",
            abstract="The arXiv abstract.",
            arxiv=ArxivId("2509.19199", 2),
            authors=("A. Author", "B. Author"),
        ),
        seen("arxiv-api"),
    )
    assert arrived.pk == first.pk
    assert arrived.outcome is Outcome.UPDATED
    assert library.count() == 1
    record = library.find("2509.19199v1")
    assert record is not None
    assert record.id == "2509.19199" and record.paper.version == 2
    assert record.aliases == (first.id,)
    assert library.find(first.id).pk == first.pk  # the old id still resolves
    assert record.paper.abstract == "The arXiv abstract."
    assert record.paper.upvotes == 3  # signals from the page survive
    assert (record.state, record.starred, record.user_tags) == (
        TriageState.READ,
        True,
        ("to-read",),
    )
    assert [d.source for d in record.discoveries] == ["hf-page", "arxiv-api"]


def test_a_title_only_sighting_never_degrades_arxiv_metadata(library: Library) -> None:
    library.upsert_paper(
        Paper(title="Exact arXiv Title", abstract="Full abstract.", arxiv=ArxivId("2601.00001", 1)),
        seen("arxiv-api"),
    )
    write = library.upsert_paper(
        Paper(title="Exact arXiv title", abstract="Truncated…", upvotes=9), seen("hf-page")
    )
    record = library.find("2601.00001")
    assert write.outcome is Outcome.UPDATED
    assert record.paper.abstract == "Full abstract."
    assert record.paper.upvotes == 9


def test_different_arxiv_ids_never_merge_on_title(library: Library) -> None:
    library.upsert_paper(Paper(title="Same Title", arxiv=ArxivId("2601.00001")), seen())
    library.upsert_paper(Paper(title="Same Title", arxiv=ArxivId("2601.00002")), seen())
    assert library.count() == 2


def test_reimporting_seeds_changes_nothing_and_never_touches_user_state(library: Library) -> None:
    paths = sorted(seed(p) for p in ("000", "001", "002", "003", "004"))
    for path in paths:
        import_file(library, path, AS_OF)
    pk = library.papers(PaperFilter(query="CAPO"))[0].pk
    library.set_state(pk, TriageState.ARCHIVED)
    library.set_starred(pk, True)
    library.add_tag(pk, "keep")

    def snapshot() -> list[tuple]:
        tables = [
            "papers",
            "beat_matches",
            "triage",
            "paper_tags",
            "dossiers",
            "claims",
            "claim_events",
            "posts",
            "post_sources",
            "paper_aliases",
        ]
        return [tuple(library.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")) for t in tables]

    before = snapshot()
    reports = [import_file(library, path, AS_OF) for path in paths]
    assert snapshot() == before
    assert all(r.papers[Outcome.NEW] == 0 and r.papers[Outcome.UPDATED] == 0 for r in reports)
    assert sum(r.posts_new + r.claims_new + r.events_new for r in reports) == 0
    record = library.record(pk)
    assert (record.state, record.starred, record.user_tags) == (
        TriageState.ARCHIVED,
        True,
        ("keep",),
    )


def test_upvotes_follow_the_newest_listing_in_any_import_order(tmp_path: Path) -> None:
    beats = load_settings().beats
    results = []
    for order in (("001", "003"), ("003", "001")):
        with Library.open(tmp_path / f"{'-'.join(order)}.db", beats) as lib:
            for prefix in order:
                import_file(lib, seed(prefix), AS_OF)
            record = lib.find(lib.papers(PaperFilter(query="Temporal Scheduling RLVR"))[0].id)
            results.append(record.paper.upvotes)
    # Listed with 1 upvote on Jun 2 (003) and 2 upvotes on Jun 16 (001): Jun 16 wins.
    assert results == [2, 2]


def test_listing_filters_and_counts(library: Library) -> None:
    for prefix in ("001", "002", "003"):
        import_file(library, seed(prefix), AS_OF)
    everything = library.papers()
    assert len(everything) == library.count() == 68
    dates = [p.published for p in everything if p.published]
    assert dates == sorted(dates, reverse=True)
    beat = library.papers(PaperFilter(beat="Frontier capability"))
    tagged = library.papers(PaperFilter(tag="#credit-assignment"))
    assert [p.pk for p in beat] == [p.pk for p in tagged]
    assert library.beat_counts()["Frontier capability"] == (len(beat), len(beat))
    page = library.papers(limit=10, offset=10)
    assert [p.pk for p in page] == [p.pk for p in everything[10:20]]
    found = library.papers(PaperFilter(query='credit "risk"'))
    assert {p.title for p in found} >= {
        "Credit Risk Meets Large Language Models: Building a Risk Indicator from Loan "
        "Descriptions in P2P Lending"
    }
    library.set_state(everything[0].pk, TriageState.READ)
    assert library.count(PaperFilter(state=TriageState.NEW)) == 67


def test_the_navigations_counts_are_each_views_own(library: Library) -> None:
    """The tags' counts (one pass over what is tagged) and the starred papers' (read from the
    decisions) are what counting each view paper by paper says: a paper tagged by the reader
    and through a beat, or on a beat by rule and by hand, counted once."""
    for prefix in ("001", "002", "003"):
        import_file(library, seed(prefix), AS_OF)
    everything = library.papers()
    beat = library.beats[0]
    tag = beat.tags[0]
    on_beat = library.papers(PaperFilter(beat=beat.name))
    off_beat = [p for p in everything if p not in on_beat]
    assert on_beat and len(off_beat) >= 3 and tag
    library.add_tag(on_beat[0].pk, tag)  # tagged by the reader too
    library.add_tag(off_beat[0].pk, tag)
    library.add_tag(off_beat[1].pk, "mine")
    library.assign_beat(on_beat[1].pk, beat.name)  # on the beat by rule and by hand
    library.assign_beat(off_beat[2].pk, beat.name)
    library.set_state(on_beat[0].pk, TriageState.READ)
    library.set_starred(everything[0].pk, True)
    library.set_starred(everything[1].pk, True)
    library.set_state(everything[1].pk, TriageState.ARCHIVED)
    counts = library.tag_counts()
    assert counts == {t: library.count_view(PaperFilter(tag=t)) for t in counts}
    assert {"mine", tag} <= set(counts)
    assert counts[tag][0] == len(library.papers(PaperFilter(tag=tag))) == len(on_beat) + 2
    # A tag two beats carry (and the reader gave too): each paper counted once.
    first, second, *rest = library.beats
    sharing = [replace(first, tags=(*first.tags, "both")), replace(second, tags=("both",))]
    shared = Library(library.conn, library.path, [*sharing, *rest])
    shared.add_tag(on_beat[0].pk, "both")
    counts = shared.tag_counts()
    assert counts == {t: shared.count_view(PaperFilter(tag=t)) for t in counts}
    on_second = shared.count(PaperFilter(beat=second.name))
    assert counts["both"][0] == len(shared.papers(PaperFilter(tag="both")))
    assert max(len(on_beat) + 1, on_second) < counts["both"][0] < len(on_beat) + 1 + on_second
    starred = library.papers(PaperFilter(starred=True))
    unread = sum(p.state is TriageState.NEW for p in starred)
    assert library.count_view(PaperFilter(starred=True)) == (len(starred), unread)
    assert len(starred) == 2 and unread < 2
    assert library.count(PaperFilter(starred=True, state=TriageState.ARCHIVED)) == 1


def test_a_view_counted_up_to_a_number_is_counted_or_said_bigger(library: Library) -> None:
    """``count_view_up_to`` gives a view's counts when it holds at most that many papers,
    else None; a view counted from a table of its own (a state) is counted whole anyway."""
    for prefix in ("001", "002", "003"):
        import_file(library, seed(prefix), AS_OF)
    library.set_state(library.papers()[0].pk, TriageState.READ)
    views = [PaperFilter(query="credit"), PaperFilter(beat=library.beats[0].name)]
    views += [PaperFilter(query="-zzzz", state=TriageState.NEW), PaperFilter(tag="nobody")]
    for flt in views:
        counts = library.count_view(flt)
        for most in {0, 1, counts[0] - 1, counts[0], counts[0] + 1} - {-1}:
            expected = counts if counts[0] <= most else None
            assert library.count_view_up_to(flt, most) == expected, (flt, most)
    inbox = library.count_view(PaperFilter(state=TriageState.NEW))
    assert library.count_view_up_to(PaperFilter(state=TriageState.NEW), 1) == inbox


def test_changed_beats_reclassify_every_paper_on_open(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    beats = load_settings().beats
    with Library.open(path, beats) as lib:
        import_file(lib, seed("003"), AS_OF)
        before = lib.count(PaperFilter(beat="Frontier capability"))
        assert before > 0
    narrowed = [
        Beat(
            "Frontier capability",
            tags=("credit-assignment",),
            include=("credit assignment",),
            exclude=("reasoning",),
        ),
        Beat("Finance", include=("credit",)),
    ]
    with Library.open(path, narrowed) as lib:
        after = lib.count(PaperFilter(beat="Frontier capability"))
        finance = {p.title for p in lib.papers(PaperFilter(beat="Finance"))}
        assert 0 < after < before
        assert "Three-Currency HJM for Brazilian Credit Markets" in finance
        assert lib.sync_beats() is False  # nothing changed since the open


def test_beats_matched_by_an_older_river_are_recognised_by_its_digest(tmp_path: Path) -> None:
    """An older River keeps only the SHA-256 of the beats' key (``beats.fingerprint``) and never
    touches ``beats.key``. Its digest decides whenever it is there: the same beats reclassify
    nothing (the first start after an upgrade), other beats reclassify (also after a downgrade
    and an upgrade again, when a stale ``beats.key`` is still there); then only the key is
    kept."""
    path = tmp_path / "lib.db"
    beats = load_settings().beats
    with Library.open(path, beats) as lib:
        import_file(lib, seed("003"), AS_OF)
        key = lib.get_meta("beats.key")
        assert key is not None

    def as_left_by_an_older_river(matched_with: str, stale_key: str | None) -> None:
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("DELETE FROM meta WHERE key LIKE 'beats.%'")
            digest = hashlib.sha256(matched_with.encode("utf-8")).hexdigest()
            conn.execute("INSERT INTO meta(key, value) VALUES ('beats.fingerprint', ?)", (digest,))
            if stale_key is not None:
                conn.execute("INSERT INTO meta(key, value) VALUES ('beats.key', ?)", (stale_key,))
            conn.execute("DELETE FROM beat_matches")  # so a reclassification would show
        conn.close()

    def opened() -> tuple[int, str | None, str | None]:
        with Library.open(path, beats) as lib:
            on_beat = lib.count(PaperFilter(beat="Frontier capability"))
            return on_beat, lib.get_meta("beats.key"), lib.get_meta("beats.fingerprint")

    as_left_by_an_older_river(key, stale_key=None)
    assert opened() == (0, key, None)  # the same beats: not reclassified
    as_left_by_an_older_river(key + " (other beats)", stale_key=None)
    on_beat, kept, digest = opened()
    assert on_beat > 0 and (kept, digest) == (key, None)
    as_left_by_an_older_river(key + " (other beats)", stale_key=key)  # downgraded, upgraded
    on_beat, kept, digest = opened()
    assert on_beat > 0 and (kept, digest) == (key, None)
    as_left_by_an_older_river(key, stale_key=key + " (beats before the downgrade)")
    assert opened() == (0, key, None)


@pytest.mark.parametrize("sort", list(Sort))
@pytest.mark.parametrize("beat", [None, "Frontier capability"])
def test_position_agrees_with_the_listing_for_every_sort(
    library: Library, sort: Sort, beat: str | None
) -> None:
    for prefix in ("001", "002", "003"):
        import_file(library, seed(prefix), AS_OF)
    flt = PaperFilter(beat=beat, sort=sort)
    rows = library.papers(flt)
    assert rows
    assert [library.position(flt, r.pk) for r in rows] == list(range(len(rows)))
    if sort is Sort.UPVOTES:
        votes = [r.upvotes if r.upvotes is not None else -1 for r in rows]
        assert votes == sorted(votes, reverse=True)
    outside = library.papers(PaperFilter(query="Brazilian"))[0].pk
    assert library.position(PaperFilter(beat="Frontier capability", sort=sort), outside) is None


@pytest.mark.parametrize("sort", list(Sort))
def test_a_page_read_in_index_order_is_the_same_page(library: Library, sort: Sort) -> None:
    """``in_order`` changes how SQLite finds the page (walking the sort's index), never which
    papers it holds or their order."""
    for prefix in ("001", "002", "003"):
        import_file(library, seed(prefix), AS_OF)
    library.set_state(library.papers()[3].pk, TriageState.READ)
    queries = [None, "credit", "reinforcement learn", "-is:read", "tag:rlvr OR au:zhang", "zzzz"]
    for query in queries:
        for type_ahead in (False, True):
            flt = PaperFilter(query=query, type_ahead=type_ahead and bool(query), sort=sort)
            for limit, offset in ((10, 0), (10, 10), (-1, 0)):
                expected = library.papers(flt, limit=limit, offset=offset)
                got = library.papers(flt, limit=limit, offset=offset, in_order=True)
                assert got == expected, (query, type_ahead, limit, offset)


@pytest.mark.parametrize("walk", [3, 12, 40])
def test_a_first_page_looked_up_along_the_newest_papers_is_the_same_page(
    library: Library, monkeypatch: pytest.MonkeyPatch, walk: int
) -> None:
    """The first page newest first of a view of beats, tags, states or words looks each of
    the newest papers up (``papers.WALK`` of them, ``TEXT_WALK`` when it looks them up in the
    full-text index, made small here) instead of gathering the view's rows: the same papers
    in the same order, whether the walk fills the page or the view is too rare for it and
    its rows are gathered after all."""
    monkeypatch.setattr(papers, "WALK", walk)
    monkeypatch.setattr(papers, "TEXT_WALK", walk)
    for prefix in ("001", "002", "003"):
        import_file(library, seed(prefix), AS_OF)
    everything = library.papers()
    for paper in everything[1:40:3]:
        library.set_state(paper.pk, TriageState.READ)
    for paper in everything[2:30:5]:
        library.set_starred(paper.pk, True)
    library.add_tag(everything[0].pk, "mine")
    library.add_tag(everything[-1].pk, "mine")
    beat = library.beats[0].name
    library.assign_beat(everything[5].pk, beat)
    views = [PaperFilter(beat=beat), PaperFilter(tag="mine"), PaperFilter(starred=True)]
    views += [PaperFilter(state=state) for state in TriageState]
    queries = [
        f"tag:{library.beats[0].tags[0]}",
        "is:read",
        "-is:read credit",
        "is:starred OR tag:mine",
        "-tag:mine",
        "tag:nobody",
        "beat:frontier reinforcement learn",
        "reinforcement learning",
        "reinforcement le",
        "re",
        "learning",
        "credit OR agent",
        '"credit assignment"',
        "ti:agent au:a",
        "-credit policy",
        "zzzz",
    ]
    views += [PaperFilter(query=q, type_ahead=typed) for q in queries for typed in (False, True)]
    views += [replace(v, state=TriageState.NEW) for v in views if v.state is None]
    walked = 0
    for view in views:
        for limit in (2, 5, 50):
            expected = library.papers(view, limit=limit)
            got = library.papers(view, limit=limit, in_order=True)
            assert got == expected, (view, limit)
            walked += len(expected) == limit
    assert walked > 10  # pages the walk filled, and others it left to the gathered rows


@pytest.mark.parametrize("sort", list(Sort))
def test_a_page_read_from_the_end_is_the_same_page(library: Library, sort: Sort) -> None:
    """``from_end`` walks the view backwards; the rows it returns, and their order, are those
    the same slice read from the start holds."""
    for prefix in ("001", "002", "003"):
        import_file(library, seed(prefix), AS_OF)
    library.set_state(library.papers()[3].pk, TriageState.READ)
    for query in (None, "credit", "-is:read", "zzzz"):
        flt = PaperFilter(query=query, sort=sort)
        whole = library.papers(flt)
        assert library.papers(flt, from_end=True) == whole
        total = len(whole)
        for limit, offset in ((10, 0), (10, 7), (3, total - 3), (10, total), (50, 0)):
            start = max(0, total - offset - limit)
            expected = whole[start : max(start, total - offset)]
            got = library.papers(flt, limit=limit, offset=offset, from_end=True)
            assert got == expected, (query, limit, offset)


def test_contains_agrees_with_position(library: Library) -> None:
    for prefix in ("001", "002", "003"):
        import_file(library, seed(prefix), AS_OF)
    library.set_state(library.papers()[3].pk, TriageState.SKIPPED)
    pks = [p.pk for p in library.papers()]
    views = [
        PaperFilter(),
        PaperFilter(state=TriageState.NEW),
        PaperFilter(beat="Frontier capability"),
        PaperFilter(query="credit"),
        PaperFilter(query="reinforcement lea", type_ahead=True),
    ]
    for flt in views:
        inside = [pk for pk in pks if library.contains(flt, pk)]
        assert inside == [pk for pk in pks if library.position(flt, pk) is not None]
        assert set(inside) == {p.pk for p in library.papers(flt)}


@pytest.mark.parametrize("sort", list(Sort))
def test_position_counted_from_the_end_is_the_same(library: Library, sort: Sort) -> None:
    for prefix in ("001", "002", "003"):
        import_file(library, seed(prefix), AS_OF)
    for flt in (PaperFilter(sort=sort), PaperFilter(query="credit", sort=sort)):
        listed = [p.pk for p in library.papers(flt)]
        total = len(listed)
        for index, pk in enumerate(listed):
            assert library.position(flt, pk, total) == index == library.position(flt, pk)


def test_relevance_puts_the_strongest_match_first(library: Library) -> None:
    import_file(library, seed("001"), AS_OF)
    flt = PaperFilter(beat="Frontier capability", sort=Sort.RELEVANCE)
    scores = []
    for row in library.papers(flt):
        record = library.record(row.pk)
        scores.append(next(m.score for m in record.matches if m.beat == "Frontier capability"))
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]


def test_papers_cited_by_a_dossier(library: Library) -> None:
    library.upsert_paper(
        Paper(title="Distributional DAgger", arxiv=ArxivId("2606.05152", 1)), seen()
    )
    library.upsert_paper(Paper(title="Uncited", arxiv=ArxivId("2606.00001", 1)), seen())
    library.save_dossier(
        Dossier(
            slug="d",
            title="D",
            claims=[
                Claim(
                    "A claim.",
                    "caveat",
                    sources=[SourceLink.make("paper", "https://arxiv.org/abs/2606.05152v1")],
                )
            ],
        )
    )
    assert [p.id for p in library.papers(PaperFilter(dossier="d"))] == ["2606.05152"]
    assert library.papers(PaperFilter(dossier="other")) == []


def test_a_new_library_in_a_folder_river_cannot_write_is_named_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import river_tui.store.db as db

    # Root writes anywhere: the folder's permission is what os.access would say for a user.
    monkeypatch.setattr(db.os, "access", lambda path, mode: False)
    with pytest.raises(LibraryError, match=r"cannot create a library there: .* is read-only"):
        db.connect(tmp_path / "new.db")
    assert not (tmp_path / "new.db").exists()
