"""Names River did not get from a source: the config's names and queries, file names, the
command line's arguments (issue 16, findings 4 and 5).

Each is made inert as it is read (a feed's name, a beat's queries) or as it is shown and
stored (a file's name), and no argument, whatever its bytes, ends in an internal error.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from reliability.libcheck import inert_problem

from river_tui import cli
from river_tui.settings import load_settings

from conftest import FIXTURES, seed

ESCAPE = "\\u001b]0;{}-PWNED\\u0007"  # as written in TOML


def config_dir() -> Path:
    folder = Path(os.environ["RIVER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def assert_inert(text: str) -> None:
    for line in text.splitlines():
        assert inert_problem(line) is None, line
    assert "PWNED" not in text


# -- finding 4: names from the config and file names --------------------------------------------
def write_config() -> None:
    folder = config_dir()
    (folder / "config.toml").write_text(
        f'[[feed]]\nname = "Lab {ESCAPE.format("FEED")}\\u202e blog"\n'
        'url = "http://127.0.0.1:9/feed.xml"\n',
        encoding="utf-8",
    )
    (folder / "beats.toml").write_text(
        '[[beat]]\nname = "Testing"\ninclude = ["testing"]\n'
        f'[beat.queries]\narxiv_rss = "cs.LG{ESCAPE.format("QUERY")}"\n'
        f'hf = "agents {ESCAPE.format("HF")}"\n',
        encoding="utf-8",
    )


def test_a_feeds_name_and_a_beats_queries_are_made_inert_as_they_are_read() -> None:
    write_config()
    config = load_settings()
    assert [f.name for f in config.sources.feeds] == ["Lab blog"]
    assert config.beats[0].queries == {"arxiv-rss": "cs.LG", "hf": "agents"}


def test_refresh_progress_shows_config_names_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report's case: a ``[[feed]] name`` and an ``arxiv_rss`` query with an OSC 0 were
    printed raw in ``river refresh``'s progress (every source here is a closed port)."""
    write_config()
    status = cli.main(["--db", str(tmp_path / "lib.db"), "refresh"])
    out, err = capsys.readouterr()
    assert status == cli.EXIT_ERROR
    assert "Lab blog" in err and "arXiv RSS cs.LG" in err
    assert_inert(out + err)


def test_a_file_name_with_an_escape_sequence_is_shown_and_stored_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``fn<ESC>]0;FN-PWNED<BEL>.json`` was printed raw by ``river import``."""
    path = tmp_path / "fn\x1b]0;FN-PWNED\x07\u202e.json"
    shutil.copyfile(FIXTURES / "hf_daily_papers_2026-06-12_sotawhat.json", path)
    db = tmp_path / "lib.db"
    assert cli.main(["--db", str(db), "import", str(path)]) == 0
    out, err = capsys.readouterr()
    assert_inert(out + err)
    assert f"{tmp_path}/fn.json: Hugging Face" in out
    conn = sqlite3.connect(db)
    try:
        (stored,) = conn.execute("SELECT path FROM imports").fetchone()
    finally:
        conn.close()
    assert stored == f"{tmp_path}/fn.json"


# -- finding 5: bytes that are not UTF-8 ---------------------------------------------------------
LATIN1 = os.fsdecode(b"caf\xe9.json")  # how Python gives such a name: "caf\udce9.json"


def test_a_file_name_that_is_not_utf8_is_imported_and_named_printably(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its name was written to the ``imports`` table as it came (a lone surrogate SQLite
    refuses): the import failed. The file is opened by its bytes; its name is shown and kept
    with U+FFFD for the byte that is not UTF-8."""
    path = tmp_path / LATIN1
    shutil.copyfile(FIXTURES / "hf_daily_papers_2026-06-12_sotawhat.json", path)
    db = tmp_path / "lib.db"
    assert cli.main(["--db", str(db), "import", str(path)]) == 0
    out, err = capsys.readouterr()
    assert f"{tmp_path}/caf\ufffd.json: Hugging Face" in out, err
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT path FROM imports").fetchone() == (
            f"{tmp_path}/caf\ufffd.json",
        )
    finally:
        conn.close()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    db = tmp_path / "lib.db"
    assert cli.main(["--db", str(db), "import", str(seed("004")), str(seed("003"))]) == 0
    return db


@pytest.mark.parametrize(
    "args",
    [
        ["list", "-q", b"cat:\xff"],
        ["list", "--query", b"\xff\xfe caf\xe9"],
        ["list", "--tag", b"\xff"],
        ["list", "--beat", b"\xff"],
        ["list", "--state", b"\xff"],
        ["show", b"\xff"],
        ["show", b"\xff", "--json"],
        ["export", "dossier", b"\xff"],
        ["export", "river", "--tag", b"\xff"],
        ["export", "bibtex", "-q", b"ti:\xff"],
        ["refresh", "--beat", b"\xff"],
        ["list", "--limit", b"\xff"],
        ["import", "--as-of", b"\xff", "x.json"],
        [b"\xff"],
    ],
    ids=lambda a: " ".join(x if isinstance(x, str) else repr(x) for x in a),
)
def test_no_argument_ends_in_an_internal_error(
    library: Path, capsys: pytest.CaptureFixture[str], args: list[str | bytes]
) -> None:
    """Python gives such arguments with surrogateescape; they ended in ``internal error:
    UnicodeEncodeError`` (exit 70). A text argument gets U+FFFD for each byte that is not
    UTF-8: the command runs, or says in one line what it cannot do."""
    argv = ["--db", str(library), *(os.fsdecode(a) for a in args)]
    try:
        status = cli.main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert status in (cli.EXIT_OK, cli.EXIT_ERROR, cli.EXIT_USAGE), err
    assert "internal error" not in err and "Traceback" not in err
    assert_inert(out + err)
    if status:  # one line saying what is wrong (argparse: after its usage lines)
        assert err.strip().splitlines()[-1].startswith("river"), err
        assert "\\udc" in err or "\ufffd" in err, err  # the argument named (as repr, or U+FFFD)


def test_a_library_whose_path_is_not_utf8_opens_and_is_named_printably(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / os.fsdecode(b"lib\xff.db")
    assert cli.main(["--db", str(db), "import", str(seed("003"))]) == 0
    assert cli.main(["--db", str(db), "list", "--limit", "1"]) == 0
    assert cli.main(["--db", str(db), "doctor"]) == 0
    out, err = capsys.readouterr()
    assert_inert(out + err)
    assert f"{tmp_path}/lib\ufffd.db" in out
    assert os.path.exists(os.fsencode(tmp_path) + b"/lib\xff.db")
