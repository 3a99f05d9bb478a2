"""Hostile input through the real parsers and `river import`: it lands as inert text, or it is
refused with one clear line; either way nothing else in the library changes."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from datetime import date
from pathlib import Path

import pytest
from reliability import hostile
from reliability.libcheck import (
    inert_problem,
    integrity,
    library_not_inert,
    snapshot,
)

from river_tui.importing import ImportFailure, ImportReport, import_file
from river_tui.refresh import Refresher, Source, plan
from river_tui.settings import FeedConfig, SourceSettings
from river_tui.sources.http import Fetcher, HttpSettings
from river_tui.store.library import Library

from httpserver import FakeClock, LocalServer, Reply, local_server

__all__ = ["local_server"]

AS_OF = date(2026, 11, 22)


def unchanged_except_additions(before: dict, after: dict) -> list[str]:
    """Rows that were there before and are gone or changed now (additions are fine)."""
    problems = []
    for table, rows in before.items():
        missing = set(rows) - set(after[table])
        if missing:
            problems.append(f"{table}: {len(missing)} rows changed or gone, e.g. {min(missing)}")
    return problems


def import_hostile(db: Path, tmp_path: Path, fmt: str, data: bytes) -> ImportReport | str:
    path = tmp_path / f"hostile-{fmt}{hostile.SUFFIX.get(fmt, '.txt')}"
    path.write_bytes(data)
    with Library.open(db) as lib:
        try:
            return import_file(lib, path, AS_OF)
        except ImportFailure as exc:
            return str(exc)


def landed(report: ImportReport) -> int:
    return sum(report.papers.values()) + report.posts_new + report.dossiers_new


VARIANTS = ["payloads", "invalid-utf8", "xml-legal", "huge"]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("fmt", sorted(hostile.FORMATS))
def test_hostile_text_lands_inert_or_is_refused_in_one_line(
    db: Path, tmp_path: Path, fmt: str, variant: str
) -> None:
    build = hostile.FORMATS[fmt]
    if variant == "huge":
        if fmt in ("dossier", "river-page", "hf-page"):
            pytest.skip("no author list in this shape; the 1 MB text is tested in the others")
        abstract = (hostile.HOSTILE + " ") * (2**20 // len(hostile.HOSTILE) + 1)
        strings = hostile.Strings(
            "Hostile title huge", abstract, tuple(f"Author {k}" for k in range(10_000)), "x"
        )
        if fmt in hostile.XML_FORMATS:
            strings = hostile.Strings(
                strings.title, (hostile.XML_LEGAL + " ") * 40_000, strings.authors, "x"
            )
        data = build(strings)
    elif variant == "xml-legal":
        data = build(hostile.Strings.of(hostile.XML_LEGAL))
    else:
        data = build(hostile.Strings.of(hostile.HOSTILE))
        if variant == "invalid-utf8":
            data = hostile.with_invalid_utf8(data)
    before = snapshot(db)

    outcome = import_hostile(db, tmp_path, fmt, data)

    assert integrity(db) == ["ok"]
    if isinstance(outcome, str):
        # Refused: one inert line naming the file, and the library exactly as it was. Only
        # raw control bytes in XML (not well-formed) may be refused.
        assert fmt in hostile.XML_FORMATS and variant in ("payloads", "invalid-utf8"), outcome
        assert "\n" not in outcome and inert_problem(outcome) is None
        assert f"hostile-{fmt}" in outcome
        assert snapshot(db) == before
        return
    assert landed(outcome) >= 1, outcome.summary()
    assert library_not_inert(db) == []
    after = snapshot(db)
    assert unchanged_except_additions(before, after) == []
    if variant == "huge":
        return
    # Rich markup is kept as the literal characters it was: it is text, never rendered.
    texts = "\n".join(str(cell) for rows in after.values() for row in rows for cell in row)
    assert hostile.MARKUP in texts


def test_river_import_list_and_show_print_only_inert_text(db: Path, tmp_path: Path) -> None:
    files = []
    for fmt, build in sorted(hostile.FORMATS.items()):
        data = build(
            hostile.Strings.of(hostile.XML_LEGAL if fmt in hostile.XML_FORMATS else hostile.HOSTILE)
        )
        path = tmp_path / f"hostile-{fmt}{hostile.SUFFIX.get(fmt, '.txt')}"
        path.write_bytes(data)
        files.append(str(path))
    env = os.environ.copy()

    def river(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "river_tui", "--db", str(db), *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            errors="surrogateescape",
        )

    imported = river("import", *files)
    assert imported.returncode == 0, imported.stderr
    assert len(imported.stdout.splitlines()) == len(files)
    listed = river("list", "--query", "hostile")
    shown = river("show", "2612.00001")
    as_json = river("show", "2612.00002", "--json")
    for result in (imported, listed, shown, as_json):
        assert result.returncode == 0, result.stderr
        for line in (result.stdout + result.stderr).splitlines():
            assert inert_problem(line) is None, line
    assert "Hostile title" in listed.stdout
    assert hostile.MARKUP in shown.stdout


@pytest.mark.parametrize("attack", sorted(hostile.ENTITY_ATTACKS))
def test_xml_entity_attacks_are_refused_by_river_import(
    db: Path, tmp_path: Path, attack: str
) -> None:
    path = tmp_path / f"{attack}.xml"
    path.write_bytes(hostile.ENTITY_ATTACKS[attack])
    before = snapshot(db)
    result = subprocess.run(
        [sys.executable, "-m", "river_tui", "--db", str(db), "import", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert str(path) in lines[0]
    assert "refused: the document declares XML entities" in lines[0]
    assert snapshot(db) == before


def test_a_feed_read_leniently_has_its_author_fields_cut_too(db: Path, tmp_path: Path) -> None:
    """The author field feedparser's e-mail expression takes quadratic time over (xmlcaps) is
    cut before the parser sees it, in a feed that is not well-formed as in any other."""
    run = b"a" * 100_000
    data = (
        b'<!-- <span>comment</span> -->\n<rss version="2.0"><channel><title>Lab&nbsp;news'
        b"</title><item><title>Caf&eacute;</title><link>https://lab.example.org/cafe</link>"
        b"<author>" + run + b"@example.org</author></item></channel></rss>"
    )
    outcome = import_hostile(db, tmp_path, "lenient-feed", data)
    assert isinstance(outcome, ImportReport), outcome
    assert outcome.summary().endswith(
        ": feed, 1 new, 0 updated, 0 unchanged papers (not well-formed XML (undefined entity), "
        "read leniently, 1 overlong field cut)"
    )


# -- hostile answers to a refresh, end to end through Refresher ----------------------------------


def gzip_bomb() -> bytes:
    """50 MB of zeros in about 50 KB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(2**20)
    return b"".join(compressor.compress(zeros) for _ in range(50)) + compressor.flush()


ANSWERS = {
    "gzip bomb": (Reply(200, gzip_bomb(), {"Content-Encoding": "gzip"}), "more than 1 MB"),
    "body over the cap": (Reply(200, b"[" + b" " * (2**20 + 10) + b"]"), "more than 1 MB"),
    "truncated body": (Reply(200, b'[{"paper": {"id": "2612.0000' * 50, truncate_at=300), ""),
    "html, not JSON": (
        Reply(200, b"<html><body>Sign in</body></html>", {"Content-Type": "text/html"}),
        "not JSON",
    ),
    "redirect loop": (Reply(302, headers={"Location": "/api/daily_papers"}), "redirect"),
    "billion laughs": (Reply(200, hostile.BILLION_LAUGHS), "declares XML entities"),
    "external entity": (Reply(200, hostile.XXE), "declares XML entities"),
    "external entity, EBCDIC": (Reply(200, hostile.XXE_EBCDIC), "declares XML entities"),
    "hostile JSON": (Reply(200, hostile.hf_json(hostile.Strings.of(hostile.HOSTILE))), None),
}


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_a_hostile_answer_to_a_refresh_changes_nothing_but_the_fetch_log(
    db: Path, local_server: LocalServer, answer: str
) -> None:
    reply, needle = ANSWERS[answer]
    xml = needle == "declares XML entities"
    path = "/feed.xml" if xml else "/api/daily_papers"
    local_server.route_fn(path, lambda _request: reply)
    feeds = (FeedConfig(url=f"{local_server.url}/feed.xml", name="Lab"),) if xml else ()
    settings = SourceSettings(hf_url=local_server.url, contact="t@example.org", feeds=feeds)
    fetcher = Fetcher(
        HttpSettings(user_agent="River-test", max_bytes=2**20, deadline=10, max_retries=0),
        clock=FakeClock(),
    )
    before = snapshot(db)

    with Library.open(db) as lib, fetcher:
        report = Refresher(lib, fetcher, settings).run(
            plan([], settings, source=Source.FEED if xml else Source.HF)
        )

    (result,) = report.results
    after = snapshot(db)
    assert integrity(db) == ["ok"]
    if needle is None:  # inert, and landed
        assert result.error is None and result.new == 1
        assert library_not_inert(db) == []
        assert unchanged_except_additions(before, after) == []
        return
    assert result.error is not None and needle in result.error
    assert "\n" not in result.error and inert_problem(result.error) is None
    after.pop("fetches"), before.pop("fetches")
    assert after == before
