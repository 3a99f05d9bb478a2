"""The `river` command, run as a real process against real library files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, SEEDS, run_river, seed

RL_CREDIT_ASSIGNMENT = {
    "CAPO: Towards Enhancing LLM Reasoning through Verifiable Generative Credit Assignment",
    "InT: Self-Proposed Interventions Enable Credit Assignment in LLM Reasoning",
    "MatchTIR: Fine-Grained Supervision for Tool-Integrated Reasoning via Bipartite Matching",
    "Latent Reward: LLM-Empowered Credit Assignment in Episodic Reinforcement Learning",
    "Group-in-Group Policy Optimization for LLM Agent Training",
    "From Reasoning to Agentic: Credit Assignment in Reinforcement Learning for Large Language "
    "Models",
    "Assessing the Zero-Shot Capabilities of LLMs for Action Evaluation in RL",
    "TempFlow-GRPO: When Timing Matters for GRPO in Flow Models",
    "Stop Summation: Min-Form Credit Assignment Is All Process Reward Model Needs for Reasoning",
    "DelTA: Discriminative Token Credit Assignment for Reinforcement Learning from Verifiable "
    "Rewards",
}
OFF_TOPIC = {
    # credit risk
    "An Information-Theoretic Framework for Credit Risk Modeling: Unifying Industry Practice "
    "with Statistical Theory for Fair and Interpretable Scorecards",
    "Fair and Explainable Credit-Scoring under Concept Drift: Adaptive Explanation Frameworks "
    "for Evolving Populations",
    # P2P lending
    "Credit Risk Meets Large Language Models: Building a Risk Indicator from Loan Descriptions "
    "in P2P Lending",
    # Brazilian credit market
    "Three-Currency HJM for Brazilian Credit Markets",
    # disaster recovery, measured with credit-card transactions
    "Data-driven Tracking of the Bounce-back Path after Disasters: Critical Milestones of "
    "Population Activity Recovery and Their Spatial Inequality",
    # credit-card fraud data
    "Empirical study of Machine Learning Classifier Evaluation Metrics behavior in Massively "
    "Imbalanced and Noisy data",
}


def river(
    *args: str,
    db: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    return run_river(*(["--db", str(db)] if db is not None else []), *args, env=env, stdin=stdin)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "x.db"
    result = river("import", *sorted(str(p) for p in SEEDS.glob("*.txt")), db=db)
    assert result.returncode == 0, result.stderr
    return db


def test_import_of_all_seeds_gives_one_entry_per_distinct_paper(seeded: Path) -> None:
    result = river("list", "--json", db=seeded)
    assert result.returncode == 0, result.stderr
    papers = json.loads(result.stdout)
    # 60 + 6 + 30 listings on the three Hugging Face pages, 68 distinct papers.
    assert len(papers) == 68
    assert len({p["id"] for p in papers}) == 68
    assert len({p["title"].casefold() for p in papers}) == 68
    for paper in papers:
        assert {"id", "title", "published", "beats", "tags", "state"} <= set(paper)
        assert paper["state"] == "new"
    capo = next(p for p in papers if p["title"].startswith("CAPO:"))
    assert capo["published"] == "2025-08-04"
    assert "Frontier capability" in capo["beats"]
    assert "credit-assignment" in capo["tags"]


def test_import_holds_one_dossier_three_claims_and_two_posts(seeded: Path) -> None:
    result = river("doctor", "--json", db=seeded)
    assert result.returncode == 0, result.stdout + result.stderr
    health = json.loads(result.stdout)
    assert health["ok"] is True
    assert health["integrity"] == ["ok"]
    counts = health["counts"]
    assert (counts["dossiers"], counts["claims"], counts["claim_events"]) == (1, 3, 3)
    assert counts["posts"] == 2


def test_reimport_adds_nothing(seeded: Path) -> None:
    before = river("list", "--json", db=seeded).stdout
    again = river("import", *sorted(str(p) for p in SEEDS.glob("*.txt")), db=seeded)
    assert again.returncode == 0
    assert " 0 new," in again.stdout and "0 new posts" in again.stdout
    assert "0 new claims, 0 new events" in again.stdout
    assert river("list", "--json", db=seeded).stdout == before
    counts = json.loads(river("doctor", "--json", db=seeded).stdout)["counts"]
    assert (counts["claim_events"], counts["posts"]) == (3, 2)


def test_frontier_beat_keeps_rl_credit_assignment_and_drops_credit_finance(seeded: Path) -> None:
    result = river("list", "--beat", "Frontier capability", "--json", db=seeded)
    assert result.returncode == 0, result.stderr
    titles = {p["title"] for p in json.loads(result.stdout)}
    assert titles >= RL_CREDIT_ASSIGNMENT
    assert not OFF_TOPIC & titles
    tagged = {
        p["title"]
        for p in json.loads(river("list", "--tag", "credit-assignment", "--json", db=seeded).stdout)
    }
    assert tagged == titles


def test_show_says_why_a_paper_is_on_a_beat(seeded: Path) -> None:
    papers = json.loads(river("list", "--query", "CAPO", "--json", db=seeded).stdout)
    capo = next(p for p in papers if p["title"].startswith("CAPO:"))
    shown = river("show", capo["id"], db=seeded)
    assert shown.returncode == 0, shown.stderr
    assert "✓ Frontier capability" in shown.stdout
    assert "“credit assignment” in title" in shown.stdout
    assert "Credit Assignment Policy Optimization (CAPO)" in shown.stdout
    full = json.loads(river("show", capo["id"], "--json", db=seeded).stdout)
    match = next(m for m in full["beat_matches"] if m["beat"] == "Frontier capability")
    assert match["verdict"] == "match"
    assert {"term": "credit assignment", "field": "title", "count": 1} in match["hits"]
    assert len(full["discoveries"]) == 3  # listed on all three pages


def test_list_filters_by_state_and_query(seeded: Path) -> None:
    new = json.loads(river("list", "--state", "new", "--json", db=seeded).stdout)
    assert len(new) == 68
    assert json.loads(river("list", "--state", "read", "--json", db=seeded).stdout) == []
    hits = json.loads(river("list", "--query", "Brazilian", "--json", db=seeded).stdout)
    assert [p["title"] for p in hits] == ["Three-Currency HJM for Brazilian Credit Markets"]
    plain = river("list", "--limit", "3", db=seeded)
    assert len(plain.stdout.splitlines()) == 3


def test_unknown_shape_is_one_line_naming_the_file(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("Just some notes.\n\nNothing River knows.\n")
    result = river("import", str(junk), db=tmp_path / "x.db")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert str(junk) in result.stderr and "not a shape River can import" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    result = river("import", str(tmp_path / "missing.txt"), str(seed("002")), db=tmp_path / "x.db")
    assert result.returncode == 1
    assert "missing.txt: no such file" in result.stderr
    assert "6 new" in result.stdout


@pytest.mark.parametrize(
    ("args", "needle", "status"),
    [
        (("show", "2601.99999"), "no paper with id '2601.99999'", 2),
        (("list", "--beat", "Nope"), "no beat named 'Nope'", 2),
        (("list", "--beat", "a"), "'a' names several beats: Agents and tool use, Alignment", 2),
    ],
)
def test_user_errors_are_one_line_without_traceback(
    tmp_path: Path, args: tuple[str, ...], needle: str, status: int
) -> None:
    assert river("import", str(seed("002")), db=tmp_path / "x.db").returncode == 0
    result = river(*args, db=tmp_path / "x.db")
    assert result.returncode == status
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args", [("list",), ("show", "2601.00001"), ("export", "json", "-o", "out.json")]
)
def test_reading_a_library_that_is_not_there_creates_nothing(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    db = tmp_path / "typo" / "librray.db"
    result = river(*args, db=db)
    assert result.returncode == 1
    assert f"{db}: no library here yet" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(tmp_path.iterdir()) == []


@pytest.mark.parametrize("limit", ["99999999999999999999", "-5", "many"])
def test_a_bad_limit_is_a_usage_error(seeded: Path, limit: str) -> None:
    result = river("list", "--limit", limit, db=seeded)
    assert result.returncode == 2
    assert "--limit" in result.stderr and "Traceback" not in result.stderr


def test_a_number_python_cannot_read_fails_its_file_only(tmp_path: Path) -> None:
    real = FIXTURES / "hf_daily_papers_2026-06-12_sotawhat.json"
    bad = tmp_path / "huge.json"
    bad.write_text(real.read_text().replace('"upvotes":', '"upvotes":' + "9" * 5000, 1))
    result = river("import", str(bad), str(seed("002")), db=tmp_path / "x.db")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"river: {bad}: ") and "could not read it" in line
    assert len(river("list", db=tmp_path / "x.db").stdout.splitlines()) == 6


def test_import_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # reading it would wait forever for a writer
    result = river("import", str(fifo), "/dev/zero", db=tmp_path / "x.db")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"river: {fifo}: not a regular file, not imported",
        "river: /dev/zero: not a regular file, not imported",
    ]


def test_corrupt_library_is_a_clear_error_and_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "broken.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = db.read_bytes()
    for args in (("list",), ("doctor",)):
        result = river(*args, db=db)
        assert result.returncode == 1
        assert "broken.db" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (
            '[[beat]]\nname = "Fine"\ninclude = ["x"]\n\n'
            '[[beat]]\nname = "Broken"\ninclude = "x"\n',
            ":7: beat #2, key 'include'",
        ),
        (
            '[[beat]]\nname = "A"\ninclude = ["x"]\n[beat.queries]\nhff = "credit"\n',
            ":5: beat #1, key 'hff': unknown source",
        ),
    ],
)
def test_bad_beats_config_names_file_line_and_key(tmp_path: Path, text: str, needle: str) -> None:
    config = Path(os.environ["RIVER_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "beats.toml").write_text(text)
    result = river("refresh", db=tmp_path / "x.db")
    assert result.returncode == 1
    assert f"{config / 'beats.toml'}{needle}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_beat_name_is_made_inert_and_a_name_of_control_characters_is_an_error(
    tmp_path: Path,
) -> None:
    """A beat's name is shown in the panes, the palette and the stream's title: an escape
    sequence or a control character in it is dropped, as in text from a source; a name of
    nothing else is the error an empty name is."""
    from river_tui.settings import load_settings

    config = Path(os.environ["RIVER_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    beats = config / "beats.toml"
    beats.write_text('[[beat]]\nname = "Red\\u001b[31m  beat\\r\\u202e"\ninclude = ["x"]\n')
    assert [b.name for b in load_settings().beats] == ["Red beat"]
    beats.write_text('[[beat]]\nname = "\\u001b[31m\\u0007"\ninclude = ["x"]\n')
    result = river("list", db=tmp_path / "x.db")
    assert result.returncode == 1
    assert f"{beats}:2: beat #1, key 'name': every beat needs a non-empty name" in result.stderr


@pytest.mark.parametrize("name", ["config.toml", "beats.toml"])
def test_a_folder_where_a_config_file_belongs_is_an_error(tmp_path: Path, name: str) -> None:
    config = Path(os.environ["RIVER_CONFIG_DIR"])
    (config / name).mkdir(parents=True)
    result = river("list", db=tmp_path / "x.db")
    assert result.returncode == 1
    assert result.stderr.strip() == f"river: {config / name}: not a file"


def test_a_config_folder_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    folder.write_text("not a folder")
    result = river("list", db=tmp_path / "x.db", env={"RIVER_CONFIG_DIR": str(folder)})
    assert result.returncode == 1
    assert result.stderr.strip() == f"river: {folder}: the config folder is not a folder"


def test_a_folder_given_as_the_library_is_named_so(tmp_path: Path) -> None:
    result = river("import", str(seed("002")), db=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == f"river: {tmp_path}: is a folder; give the library's file name"


def test_db_option_works_after_the_command_and_via_environment(tmp_path: Path) -> None:
    db = tmp_path / "after.db"
    assert river("import", str(seed("002")), "--db", str(db)).returncode == 0
    env_list = subprocess.run(
        [sys.executable, "-m", "river_tui", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "RIVER_DB": str(db)},
    )
    assert len(env_list.stdout.splitlines()) == 6


def test_doctor_on_a_missing_library_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "nothing.db"
    result = river("doctor", db=db)
    assert result.returncode == 0
    assert "not created yet" in result.stdout
    as_json = json.loads(river("doctor", "--json", db=db).stdout)
    assert as_json["library"] is None and as_json["paths"]["library"] == str(db)
    assert as_json["paths"]["theme"].endswith("ui.json")
    assert not db.exists()


def test_dossier_badges_must_be_in_the_configured_vocabulary(tmp_path: Path) -> None:
    config = Path(os.environ["RIVER_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text('[badges]\nvocabulary = ["claim", "supported"]\n')
    db = tmp_path / "x.db"
    result = river("import", str(seed("004")), db=db)
    assert result.returncode == 1
    assert str(seed("004")) in result.stderr
    assert "claim 1 uses the badge 'caveat', which is not in the vocabulary" in result.stderr
    counts = json.loads(river("doctor", "--json", db=db).stdout)["counts"]
    assert counts["dossiers"] == counts["claims"] == 0  # nothing half-imported


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ('[sources]\ncontact = "a@b.c"\nhf_url = "ftp://x"\n', 3, "sources.hf_url"),
        ("[refresh]\n\ninterval_minutes = -5\n", 3, "refresh.interval_minutes"),
        ('[badges]\nvocabulary = "caveat"\n', 2, "badges.vocabulary"),
        ('[sources]\nhf_url = "http://[::1"\n', 2, "sources.hf_url"),
        ('[sources]\nhf_url = "http://"\n', 2, "sources.hf_url"),
        ('[sources]\ncontact = "a@b.c\\r\\nX-Evil: 1"\n', 2, "sources.contact"),
        ('[sources]\ncontact = "Jörg Müller <j@example.org>"\n', 2, "sources.contact"),
        ('[sources]\nhf_ulr = "https://x.org"\n', 2, "sources.hf_ulr"),
        ('[sourcse]\nhf_url = "https://x.org"\n', 1, "sourcse"),
        ('[keys]\n"stream.star" = "notakey+++"\n', 2, "keys.stream.star"),
        ('[keys]\nrefresh = ",,,"\n', 2, "keys.refresh"),
    ],
)
def test_bad_settings_name_file_line_and_key(
    tmp_path: Path, text: str, line: int, key: str
) -> None:
    config = Path(os.environ["RIVER_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(text)
    result = river("list", db=tmp_path / "x.db")
    assert result.returncode == 1
    assert f"{config / 'config.toml'}:{line}: key '{key}'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["http://[::1", "ftp://example.org", "https://"])
def test_a_bad_source_url_in_the_environment_is_one_line(tmp_path: Path, value: str) -> None:
    result = river("refresh", db=tmp_path / "x.db", env={"RIVER_HF_URL": value})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"river: RIVER_HF_URL: expected an http(s) URL with a host, got {value!r}"
    )
    assert not (tmp_path / "x.db").exists()


def test_the_reader_freezes_start_up_and_turns_the_collector_on_after_its_first_frame(
    seeded: Path,
) -> None:
    """``river_tui.launch``: the collector is off while River starts. Before the reader runs,
    what start-up made is frozen (out of the collector's sight); the collector stays off up to
    the reader's first frame, then is on again, and the garbage made meanwhile is not frozen
    (the collector frees it). Other commands turn it on at once."""
    script = (
        "import gc, sys\n"
        "from textual.app import App\n"
        "from river_tui.ui.app import RiverApp\n"
        "seen = {}\n"
        "def run(self, *args, **kwargs):\n"
        "    seen.update(at_run=gc.isenabled(), frozen=gc.get_freeze_count())\n"
        "    return App.run(self, headless=True, size=(120, 40))\n"
        "collector_on = RiverApp.collector_on\n"
        "def on(self):\n"
        "    seen.update(before=gc.isenabled(), painted=self.screen.stream.rows.count > 0)\n"
        "    collector_on(self)\n"
        "    seen.update(enabled=gc.isenabled(), freed=gc.collect())\n"
        "    self.exit()\n"
        "RiverApp.run = run\n"
        "RiverApp.collector_on = on\n"
        "from river_tui.launch import main\n"
        "status = main(['--db', sys.argv[1]])\n"
        "print(status, seen['at_run'], seen['frozen'] > 10_000, seen['before'], seen['painted'],"
        " seen['enabled'], seen['freed'] > 1_000, gc.isenabled())\n"
        "gc.unfreeze()\n"
        "status = main(['--db', sys.argv[1], 'list', '--limit', '1'])\n"
        "print(status, gc.isenabled(), gc.get_freeze_count())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(seeded)],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "0 False True False True True True True"
    assert lines[-1] == "0 True 0"  # `river list`: nothing frozen, the collector on


def test_another_programs_sqlite_file_is_left_alone(tmp_path: Path) -> None:
    import sqlite3

    foreign = tmp_path / "contacts.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE contacts(name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada')")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    for args in (("list",), ("import", str(seed("002"))), ("doctor",)):
        result = river(*args, db=foreign)
        assert result.returncode == 1, args
        assert f"{foreign}: not a River library" in result.stderr and "contacts" in result.stderr
        assert "Traceback" not in result.stderr
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.db"]  # no -wal, no .bak


@pytest.mark.parametrize(
    ("argv", "code", "shown"),
    [
        (["--help"], 0, "backup"),  # the help lists the commands
        (["--db", "lib.db", "-h"], 0, "doctor"),
        (["--version"], 0, "river "),
        (["bogus"], 2, "invalid choice: 'bogus'"),
        (["--bogus"], 2, "unrecognized arguments: --bogus"),
        (["--db"], 2, "expected one argument"),
        (["--db", "-x"], 2, "expected one argument"),
        (["--db", "a.db", "b.db"], 2, "invalid choice: 'b.db'"),
    ],
)
def test_help_version_and_bad_arguments_without_a_command(
    argv: list[str], code: int, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from river_tui.cli import parse_args

    with pytest.raises(SystemExit) as exited:
        parse_args(argv)
    assert exited.value.code == code
    out, err = capsys.readouterr()
    assert shown in out + err


def test_list_takes_a_beat_in_any_case_or_by_its_start_and_starred(tmp_path: Path) -> None:
    """``--beat frontier`` and ``--beat "frontier capability"`` both name Frontier
    capability; ``--state starred`` lists the starred papers; a list with no paper says so
    on stderr and exits 0."""
    db = tmp_path / "x.db"
    assert river("import", str(seed("002")), db=db).returncode == 0
    whole = river("list", "--beat", "Frontier capability", db=db).stdout
    assert whole
    for name in ("frontier", "frontier capability", "FRONTIER  Capability"):
        assert river("list", "--beat", name, db=db).stdout == whole
    first = json.loads(river("list", "--beat", "front", "--json", db=db).stdout)[0]["id"]
    assert river("mark", first, "--star", db=db).returncode == 0
    starred = json.loads(river("list", "--state", "starred", "--json", db=db).stdout)
    assert [p["id"] for p in starred] == [first]
    none = river("list", "--query", "zzzz-no-such-word", db=db)
    assert (none.returncode, none.stdout, none.stderr) == (0, "", "river: no paper matches\n")


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "lib.db"],
        ["--db=lib.db"],
        ["--db", "list"],
        ["--db", "my library/lib.db"],
        ["--db", "lib.db", "list"],
        ["list", "--db", "lib.db"],
        ["--db="],
        ["--db=", "list"],
        ["list"],
    ],
)
def test_the_readers_command_line_is_read_as_the_whole_parser_reads_it(argv: list[str]) -> None:
    """``river`` and ``river --db PATH`` are read without building the whole parser (it costs
    the first screen 5 ms); every command line reads the same either way."""
    from river_tui import cli

    assert vars(cli.parse_args(argv)) == vars(cli.build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["--db"], ["--db", "-x"], ["--help"], ["--version"]])
def test_a_readers_command_line_the_parser_refuses_is_refused_as_before(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from river_tui import cli

    with pytest.raises(SystemExit) as by_parser:
        cli.build_parser().parse_args(argv)
    said = capsys.readouterr()
    with pytest.raises(SystemExit) as by_river:
        cli.parse_args(argv)
    assert by_river.value.code == by_parser.value.code
    assert capsys.readouterr() == said
