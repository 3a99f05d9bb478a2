"""``river import`` of arXiv's metadata snapshot: 2,000 real records (tests/fixtures/corpus),
streamed, filtered by category, every version's date kept."""

from __future__ import annotations

import fnmatch
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from river_tui.bulk_progress import CountBar
from river_tui.sources.arxiv_snapshot import looks_like_snapshot, read_snapshot_lines
from river_tui.sources.detect import Shape, detect_shape
from river_tui.store.library import Library

from conftest import ROOT, one_line, run_river

CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "arxiv_snapshot_sample_2000.jsonl"


def records() -> list[dict]:
    with CORPUS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def expected_ids(*patterns: str) -> set[str]:
    """The ids whose categories match a pattern, worked out here from the JSON itself."""
    return {
        r["id"]
        for r in records()
        if any(
            fnmatch.fnmatch(c.lower(), p.lower()) for c in r["categories"].split() for p in patterns
        )
    }


def stored_ids(db: Path) -> set[str]:
    with Library.open(db, read_only=True) as library:
        return {s.id for s in library.papers()}


def test_category_keeps_exactly_the_matching_records(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    result = run_river("--db", str(db), "import", "--category", "cs.*", str(CORPUS))

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # not a terminal: no bar
    wanted = expected_ids("cs.*")
    assert len(wanted) == 82
    assert stored_ids(db) == wanted
    assert result.stdout.strip() == (
        f"{CORPUS}: arXiv metadata snapshot, 2,000 records, 82 in cs.*: "
        "82 new, 0 updated, 0 unchanged papers"
    )


def test_patterns_apart_by_commas_or_repeated_match_any_category(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    result = run_river(
        "--db", str(db), "import", "--category", "HEP-TH,math.C?", "--category", "q-bio.*",
        str(CORPUS),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    wanted = expected_ids("hep-th", "math.c?", "q-bio.*")
    assert stored_ids(db) == wanted
    # "any": a paper listed in math.CO only as its second category is kept.
    cross = [r for r in records() if r["categories"].split()[1:2] == ["math.CO"]]
    assert cross and cross[0]["id"] in wanted


def test_a_record_lands_field_by_field_with_every_version_date(tmp_path: Path) -> None:
    most = max(records(), key=lambda r: len(r["versions"]))  # eight, the most in the sample
    chosen = [r for r in records() if r["id"] in ("0704.0001", most["id"])]
    snapshot = tmp_path / "two.jsonl"
    snapshot.write_text("".join(json.dumps(r) + "\n" for r in chosen), encoding="utf-8")
    db = tmp_path / "lib.db"
    assert run_river("--db", str(db), "import", str(snapshot)).returncode == 0

    with Library.open(db, read_only=True) as library:
        assert library.count() == 2
        record = library.find("0704.0001")
        assert record is not None
        paper = record.paper
        assert paper.title == (
            "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
        )
        assert paper.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan")
        assert (str(paper.arxiv), paper.published, paper.updated) == (
            "0704.0001v2",
            date(2007, 4, 2),
            date(2007, 7, 24),
        )
        assert (paper.categories, paper.primary_category) == (("hep-ph",), "hep-ph")
        assert paper.extra["versions"] == [
            {"version": 1, "date": "2007-04-02T19:18:42+00:00"},
            {"version": 2, "date": "2007-07-24T20:10:27+00:00"},
        ]
        assert paper.extra["journal_ref"] == "Phys.Rev.D76:013009,2007"
        assert paper.extra["comment"] == "37 pages, 15 figures; published version"
        assert ("doi", "https://doi.org/10.1103/PhysRevD.76.013009") in [
            (link.label, link.url) for link in paper.links
        ]
        assert paper.abstract.startswith("A fully differential calculation in perturbative")
        assert "\n" not in paper.abstract  # arXiv's hard wraps undone, as for the API
        # The text River holds is the latest version's: kept as that version, dated.
        (version,) = library.versions(record.pk)
        assert (version.number, version.dated, version.source) == (
            2,
            date(2007, 7, 24),
            "arxiv-snapshot",
        )
        found = library.find(most["id"])
        assert found is not None
        assert [v["version"] for v in found.paper.extra["versions"]] == list(range(1, 9))


def test_importing_again_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    run_river("--db", str(db), "import", "--category", "q-fin.*", str(CORPUS))
    again = run_river("--db", str(db), "import", "--category", "q-fin.*", str(CORPUS))

    kept = len(expected_ids("q-fin.*"))
    assert kept > 5
    assert again.stdout.strip().endswith(f": 0 new, 0 updated, {kept} unchanged papers")


def test_a_bad_line_is_skipped_and_said_and_the_rest_lands(tmp_path: Path) -> None:
    lines = CORPUS.read_bytes().splitlines(keepends=True)[:10]
    broken = tmp_path / "snapshot.jsonl"
    broken.write_bytes(b"".join(lines[:4]) + b'{"id": "0704.0005", "tit\n' + b"".join(lines[4:]))
    db = tmp_path / "lib.db"

    result = run_river("--db", str(db), "import", str(broken))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(
        "10 records: 10 new, 0 updated, 0 unchanged papers "
        "(1 unreadable record skipped, the first on line 5)"
    )
    assert len(stored_ids(db)) == 10


def test_a_file_past_the_import_cap_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """Three lines of 20 MiB (more than a line may be) between real records: the file is past
    the 50 MiB cap of other imports, its long lines are skipped, and the importing process
    never holds more than a part of one."""
    lines = CORPUS.read_bytes().splitlines(keepends=True)
    huge = tmp_path / "snapshot.jsonl"
    with huge.open("wb") as out:
        out.write(lines[0])
        for line in lines[1:4]:
            out.write(b"x" * (20 * 2**20) + b"\n")
            out.write(line)
    assert huge.stat().st_size > 60 * 2**20
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from river_tui.importing import import_file\n"
        "from river_tui.store.library import Library\n"
        "with Library.open(sys.argv[2]) as library:\n"
        "    print(import_file(library, Path(sys.argv[1])).summary())\n"
        # VmHWM: this process's own peak (ru_maxrss keeps the forking process's across exec)
        "status = Path('/proc/self/status').read_text()\n"
        "print(int(status.split('VmHWM:')[1].split()[0]) // 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(huge), str(tmp_path / "lib.db")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    summary, peak_mib = result.stdout.splitlines()
    assert summary.endswith(
        "4 records: 4 new, 0 updated, 0 unchanged papers "
        "(3 unreadable records skipped, the first on line 2)"
    )
    assert int(peak_mib) < 200, peak_mib  # the file is 60 MiB; the process started at ~60


def test_category_for_a_file_that_is_not_a_snapshot_is_refused(tmp_path: Path) -> None:
    page = ROOT / "tests" / "fixtures" / "real" / "arxiv_api_query_id_1605.08386.xml"
    db = tmp_path / "lib.db"

    result = run_river("--db", str(db), "import", "--category", "cs.*", str(page))

    assert result.returncode == 1
    assert one_line(result.stderr) == (
        f"river: {page}: --category keeps some papers of arXiv's metadata snapshot; "
        "this file is not one, so it was not imported"
    )
    assert stored_ids(db) == set()


def test_a_snapshot_is_known_by_its_first_line() -> None:
    first = CORPUS.read_text(encoding="utf-8").split("\n", 1)[0]
    assert looks_like_snapshot(first)
    assert detect_shape(first + "\n") is Shape.ARXIV_SNAPSHOT
    assert not looks_like_snapshot('{"id": "0704.0001", "title": "T"}')
    assert (
        detect_shape('[{"paper": {"id": "2606.00001"}, "upvotes": 1}]') is not Shape.ARXIV_SNAPSHOT
    )


def test_a_record_that_names_no_arxiv_id_is_unreadable() -> None:
    record = records()[0] | {"id": "not an id"}
    batch = read_snapshot_lines(json.dumps(record).encode() + b"\n\n", (), 7)
    assert (batch.records, batch.unreadable, batch.first_unreadable) == (0, 1, 7)


def test_the_bar_shows_count_rate_and_time_left() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    with CountBar(screen, "snapshot.jsonl\x1b[31m", "records") as bar:
        bar.show(500, 1000, 12_345)
        bar.progress.refresh()
    drawn = screen.getvalue()
    assert "snapshot.jsonl" in drawn and "\x1b[31m" not in drawn
    assert "12,345 records" in drawn and "/s" in drawn and "50%" in drawn and "left" in drawn


@pytest.mark.parametrize("pattern", ["cs.*", "CS.AI"])
def test_patterns_ignore_case(pattern: str) -> None:
    data = CORPUS.read_bytes()
    batch = read_snapshot_lines(data, (pattern,), 1)
    assert batch.records == 2000
    assert {s.paper.id for s in batch.sightings} == expected_ids(pattern)
