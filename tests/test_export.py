"""Exports: the seed dossier round-trips, files are written safely, BibTeX parses."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import bibtexparser
import pytest

from river_tui.domain import TriageState
from river_tui.domain.citation import keyed
from river_tui.domain.claims import ClaimEvent
from river_tui.exports.atomic import ExportError, write_atomic
from river_tui.exports.bibtex import render_bibtex
from river_tui.exports.dossier_md import render_dossier
from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.sources.dossier_md import parse_dossier
from river_tui.store.library import Library, PaperFilter

from conftest import FIXTURES, SEEDS, run_river, seed

SLUG = "training-methodology-frontier-shift"
AS_OF = date(2026, 11, 22)


def river(*args: str) -> subprocess.CompletedProcess[str]:
    return run_river(*args)


def test_the_seed_dossier_round_trips_through_the_library_byte_for_byte(tmp_path: Path) -> None:
    with Library.open(tmp_path / "a.db", load_settings().beats) as lib:
        import_file(lib, seed("004"), AS_OF)
        exported = render_dossier(lib.dossier(SLUG))
    assert exported == seed("004").read_text(encoding="utf-8")

    # Export, import into a new library, export again: identical.
    path = tmp_path / "dossier.md"
    path.write_text(exported, encoding="utf-8")
    with Library.open(tmp_path / "b.db", load_settings().beats) as lib:
        import_file(lib, path, AS_OF)
        assert render_dossier(lib.dossier(SLUG)) == exported


def test_a_changed_dossier_appends_events_and_rewrites_none(tmp_path: Path) -> None:
    with Library.open(tmp_path / "a.db", load_settings().beats) as lib:
        import_file(lib, seed("004"), AS_OF)
        dossier = lib.dossier(SLUG)
        dossier.claims[0].badge = "supported"
        dossier.claims[0].events.append(
            ClaimEvent(date(2026, 6, 10), "rebadged", "supported", "Replicated by a second lab.")
        )
        changed = tmp_path / "changed.md"
        changed.write_text(render_dossier(dossier), encoding="utf-8")
        report = import_file(lib, changed, AS_OF)
        assert (report.claims_new, report.events_new) == (0, 1)
        again = lib.dossier(SLUG)
        history = [(e.on, e.headline) for e in again.claims[0].events]
        assert history == [
            (date(2026, 6, 4), "asserted as caveat"),
            (date(2026, 6, 10), "rebadged as supported"),
        ]
        assert again.claims[0].badge == "supported"
        assert import_file(lib, changed, AS_OF).events_new == 0


def test_export_command_writes_atomically_and_never_overwrites(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    assert river("--db", str(db), "import", str(seed("004"))).returncode == 0
    out = tmp_path / "d.md"
    first = river("--db", str(db), "export", "dossier", SLUG, "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert out.read_text(encoding="utf-8") == seed("004").read_text(encoding="utf-8")
    out.write_text("my edits")
    refused = river("--db", str(db), "export", "dossier", SLUG, "-o", str(out))
    assert refused.returncode == 1 and "already exists (use --force" in refused.stderr
    assert out.read_text() == "my edits"
    forced = river("--db", str(db), "export", "dossier", SLUG, "-o", str(out), "--force")
    assert forced.returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# The capability frontier")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".d.md")] == []


def test_atomic_write_leaves_no_partial_file(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no such folder"):
        write_atomic(tmp_path / "missing" / "x.md", "text")
    target = tmp_path / "x.md"
    write_atomic(target, "one")
    write_atomic(target, "two", force=True)
    assert target.read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md"]


def test_bibtex_of_the_sample_parses_with_a_bibtex_parser(tmp_path: Path) -> None:
    with Library.open(tmp_path / "a.db", load_settings().beats) as lib:
        for path in sorted(SEEDS.glob("*.txt")):
            import_file(lib, path, AS_OF)
        for name in (
            "arxiv_api_query_id_oldstyle_astro-ph_0601001.xml",
            "hf_daily_papers_2026-06-12_sotawhat.json",
        ):
            import_file(lib, FIXTURES / name, AS_OF)
        papers = [lib.record(s.pk).paper for s in lib.papers(PaperFilter())]
    text = render_bibtex(keyed(papers))
    parsed = bibtexparser.parse_string(text)
    assert parsed.failed_blocks == []
    assert len(parsed.entries) == len(papers) == 68 + 1 + 30
    keys = [e.key for e in parsed.entries]
    assert len(set(keys)) == len(keys)
    by_eprint = {
        e.fields_dict["eprint"].value: e for e in parsed.entries if "eprint" in e.fields_dict
    }
    assert len(by_eprint) == 31
    old = by_eprint["astro-ph/0601001"]
    assert old.fields_dict["archivePrefix"].value == "arXiv"
    assert old.fields_dict["primaryClass"].value == "astro-ph"
    assert "Gould" in old.fields_dict["author"].value


def test_dossier_markdown_sources_round_trip() -> None:
    text = (
        seed("004")
        .read_text(encoding="utf-8")
        .replace(
            "**Provenance history**",
            "**Sources:**\n- `paper` [Rich \\[feedback\\]](https://arxiv.org/abs/2606.05152) — “We "
            "prove it.”\n- `web` [ICLR 2026](https://lambda.ai/blog/iclr)\n\n"
            "**Provenance history**",
            1,
        )
    )
    dossier = parse_dossier(text)
    sources = dossier.claims[0].sources
    assert [(s.kind, s.label, s.paper_id) for s in sources] == [
        ("paper", "Rich [feedback]", "2606.05152"),
        ("web", "ICLR 2026", None),
    ]
    assert sources[0].quote is not None and sources[0].quote.exact == "We prove it."
    assert render_dossier(dossier) == text


@pytest.mark.parametrize(
    "which", [("--tag", "#credit-assignment"), ("--beat", "Frontier capability")]
)
def test_the_seed_river_page_round_trips(tmp_path: Path, which: tuple[str, str]) -> None:
    db = tmp_path / "x.db"
    assert river("--db", str(db), "import", str(seed("000"))).returncode == 0
    result = river("--db", str(db), "export", "river", *which)
    assert result.returncode == 0, result.stderr
    assert result.stdout == seed("000").read_text(encoding="utf-8")
    again = tmp_path / "river.txt"
    again.write_text(result.stdout, encoding="utf-8")
    db2 = tmp_path / "y.db"
    assert river("--db", str(db2), "import", str(again)).returncode == 0
    assert river("--db", str(db2), "export", "river", *which).stdout == result.stdout


def test_json_backup_round_trips_user_state_claims_and_posts(tmp_path: Path) -> None:
    beats = load_settings().beats
    with Library.open(tmp_path / "a.db", beats) as lib:
        for path in sorted(SEEDS.glob("*.txt")):
            import_file(lib, path, AS_OF)
        import_file(lib, FIXTURES / "arxiv_api_query_id_oldstyle_astro-ph_0601001.xml", AS_OF)
        capo = lib.papers(PaperFilter(query="CAPO"))[0].pk
        lib.set_state(capo, TriageState.ARCHIVED)
        lib.set_starred(capo, True)
        lib.add_tag(capo, "to-cite")
        lib.assign_beat(capo, "Interpretability")
        claim = lib.dossier(SLUG).claims[0].id
        lib.rebadge(claim, "supported", "Replicated.", date(2026, 6, 10))
    first = river("--db", str(tmp_path / "a.db"), "export", "json")
    assert first.returncode == 0, first.stderr
    backup = tmp_path / "backup.json"
    backup.write_text(first.stdout, encoding="utf-8")

    restored = river("--db", str(tmp_path / "b.db"), "import", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "69 new, 0 updated, 0 unchanged papers" in restored.stdout
    second = river("--db", str(tmp_path / "b.db"), "export", "json")
    assert second.stdout == first.stdout  # byte for byte
    with Library.open(tmp_path / "b.db", beats) as lib:
        record = lib.find(lib.record(lib.papers(PaperFilter(query="CAPO"))[0].pk).id)
        assert (record.state, record.starred, record.user_tags, record.manual_beats) == (
            TriageState.ARCHIVED,
            True,
            ("to-cite",),
            ("Interpretability",),
        )
        assert [e.headline for e in lib.dossier(SLUG).claims[0].events] == [
            "asserted as caveat",
            "rebadged as supported",
        ]
        # The restore is one action: u would take it all back.
        assert len(lib.last_undoable()) == 4
    again = river("--db", str(tmp_path / "b.db"), "import", str(backup))
    assert "0 new, 0 updated, 69 unchanged papers, 0 decisions restored" in again.stdout


def test_a_damaged_backup_is_refused_whole(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "river-backup", "version": 1, "papers": [{"title": ')
    result = river("--db", str(tmp_path / "x.db"), "import", str(bad))
    assert result.returncode == 1
    assert "bad.json: not valid JSON" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("slug", ["nope", ""])
def test_bibtex_of_a_dossier_that_does_not_exist_is_an_error(tmp_path: Path, slug: str) -> None:
    """As `river export dossier nope` is (it exited 0 with nothing; "" exported every paper)."""
    db = tmp_path / "x.db"
    assert river("--db", str(db), "import", str(seed("004")), str(seed("001"))).returncode == 0
    result = river("--db", str(db), "export", "bibtex", "--dossier", slug)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"river: no dossier {slug!r} (dossiers: {SLUG})\n"
    found = river("--db", str(db), "export", "bibtex", "--dossier", SLUG)
    assert found.returncode == 0 and found.stderr == ""
