"""What River prints or draws from a library that holds raw text (issue 16, finding 3).

A library written before text was made inert on the way in, or edited with sqlite3, holds
escape sequences, C1 controls and bidi overrides. River's output boundary makes them inert:
every line the CLI prints (``river_tui.terminal``), JSON (escaped, so it still round-trips) and
every line the reader draws (``render.InertLines``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reliability import planted
from reliability.libcheck import inert_problem
from test_ui_support import workers_done

from river_tui import cli
from river_tui.settings import load_settings
from river_tui.ui.app import RiverApp

from conftest import detail_shown

# An OSC 0 (the terminal's title), an RLO, a C1 control, a tag character, an 8-bit CSI.
TEXT = "T\x1b]0;FIELD-PWNED\x07\u202eX\x85\U000e0041\x9b2J"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return planted.build(tmp_path_factory.mktemp("planted") / "base.db")


@pytest.fixture
def db(base: Path, tmp_path: Path) -> Path:
    path = planted.copy(base, tmp_path / "library.db")
    planted.plant(path, TEXT)
    return path


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return status, out, err


def assert_inert(text: str) -> None:
    for line in text.splitlines():
        assert inert_problem(line) is None, line
    assert "\r" not in text


PLAIN = [
    ["list"],
    ["show", planted.PAPER],
    ["doctor"],
    ["export", "dossier", planted.DOSSIER],
    ["export", "river", "--tag", planted.TAG],
    ["export", "bibtex"],
    ["export", "ris"],
    ["export", "csl-json"],
]


@pytest.mark.parametrize("args", PLAIN, ids=lambda a: " ".join(a[:2]))
def test_what_the_cli_prints_from_a_raw_library_is_inert(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    status, out, err = run(db, capsys, *args)
    assert status == 0, err
    assert out
    assert_inert(out + err)
    assert "PWNED" not in out  # the whole escape sequence went, not only its ESC


def test_river_show_prints_the_old_github_link_without_its_escapes(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report's case: an HF ``githubRepo`` link holding an OSC 0 and an OSC 52."""
    status, out, _ = run(db, capsys, "show", planted.PAPER)
    assert status == 0
    # The escapes are dropped on the way out; the link rule still knows it held them.
    assert "https://github.com/x/y  (not a web link)\n" in out
    assert "PWNED" not in out and "]52;" not in out


@pytest.mark.parametrize(
    "args",
    [["list", "--json"], ["show", planted.PAPER, "--json"], ["export", "json"]],
    ids=lambda a: " ".join(a),
)
def test_json_output_escapes_what_is_stored_and_round_trips(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """``json.dumps(ensure_ascii=False)`` writes C1 controls and bidi overrides raw; River's JSON
    escapes them (``\\u202e``): inert, valid, and it loads back to exactly what is stored."""
    status, out, err = run(db, capsys, *args)
    assert status == 0, err
    assert_inert(out)
    assert "\\u202e" in out and "\\u0085" in out and "\\udb40\\udc41" in out
    document = json.loads(out)
    texts = json.dumps(document, ensure_ascii=False)
    assert TEXT in texts or json.dumps(TEXT, ensure_ascii=False)[1:-1] in texts
    if args[0] == "show":
        assert document["links"][0]["url"] == planted.PAYLOAD


def test_an_export_written_to_a_file_is_inert(
    db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for what, extra in (("dossier", [planted.DOSSIER]), ("river", ["--tag", planted.TAG])):
        target = tmp_path / f"{what}.md"
        status, _, err = run(db, capsys, "export", what, *extra, "-o", str(target))
        assert status == 0, err
        assert_inert(target.read_text(encoding="utf-8"))
    target = tmp_path / "backup.json"
    assert run(db, capsys, "export", "json", "-o", str(target))[0] == 0
    assert_inert(target.read_text(encoding="utf-8"))


def test_error_messages_quoting_stored_or_typed_text_are_inert(
    db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The known dossiers are listed (one's slug is TEXT).
    status, out, err = run(db, capsys, "export", "dossier", "nope")
    assert status == cli.EXIT_USAGE
    assert_inert(out + err)
    assert "nope" in err
    # A library path with an escape sequence in it, quoted by the error.
    missing = tmp_path / "x\x1b]0;DB-PWNED\x07" / "lib.db"
    status, out, err = run(missing, capsys, "list")
    assert status == cli.EXIT_ERROR
    assert_inert(out + err)
    assert "PWNED" not in err


def test_argparse_messages_are_inert(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["list", "stray\x1b]0;ARG-PWNED\x07"])  # "unrecognized arguments: …"
    out, err = capsys.readouterr()
    assert_inert(out + err)
    assert "PWNED" not in err


async def test_the_reader_draws_a_raw_library_inert(db: Path) -> None:
    """Titles in the stream, the detail pane (the githubRepo link of finding 3), the river's
    and the dossier's names in the navigation, a notification quoting a link: nothing the
    reader draws carries a control, escape or format character."""
    app = RiverApp(db_path=db, config=load_settings())
    async with app.run_test(size=(160, 48)) as pilot:
        await workers_done(app)
        await pilot.pause()
        await detail_shown(pilot)
        await pilot.press("y")  # copies the link: "Copied …" quotes it
        await pilot.pause()
        screen = app.export_screenshot().replace("&#160;", " ")
    assert "Title T" in screen  # the planted papers are shown
    assert "https://github.com/x/y" in screen
    assert "PWNED" not in screen
    for char in ("\x1b", "\x07", "\x85", "\x9b", "\u202e", "\U000e0041"):
        assert char not in screen, repr(char)


def test_every_line_the_reader_draws_passes_the_inert_filter() -> None:
    """``render.InertLines`` (the reader's output boundary) on segments as any widget makes
    them: escape sequences, controls and format characters go, a newline or tab inside a line
    becomes a space, and every segment keeps its cells, so the line keeps its width."""
    from rich.cells import cell_len
    from rich.segment import Segment
    from rich.style import Style

    from river_tui.ui.render import INERT_LINES

    bold = Style(bold=True)
    segments = [
        Segment("ok ", bold),
        Segment("a\x1b]0;PWNED\x07b\u202ec\U000e0041", None),
        Segment("x\ny\tz", bold),
        Segment("\x9b2Jend", None),
    ]
    out = INERT_LINES.apply(segments, None)  # type: ignore[arg-type]
    assert [s.text.rstrip(" ") for s in out] == ["ok", "abc", "x y", "end"]
    assert [s.style for s in out] == [s.style for s in segments]
    assert [cell_len(s.text) for s in out] == [cell_len(s.text) for s in segments]
    clean = [Segment("nothing to do", bold)]
    assert INERT_LINES.apply(clean, None) is clean  # type: ignore[arg-type]


class Terminal:
    """A stream that says it is a terminal (so ``river refresh`` draws its bar)."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("tty", [True, False], ids=["bar", "plain"])
def test_refresh_progress_is_inert_on_a_terminal_and_in_a_pipe(tty: bool) -> None:
    import io

    from river_tui.domain import Source
    from river_tui.progress import BarProgress, PlainProgress, progress_for
    from river_tui.refresh.jobs import Job
    from river_tui.refresh.runner import JobFinished, JobResult, JobStarted
    from river_tui.terminal import InertStream

    job = Job(Source.FEED, "Feed\x1b]0;LABEL-PWNED\x07\u202e", "https://example.org/feed")
    result = JobResult(job, error="server said \x1b]52;c;RVJST1I=\x07")
    underneath = Terminal() if tty else io.StringIO()
    stream = InertStream(underneath)  # sys.stderr while a command runs
    progress = progress_for(stream)
    assert isinstance(progress, BarProgress if tty else PlainProgress)
    with progress:
        progress(JobStarted(job, 0, 1))
        progress(JobFinished(result, 0, 1))
    written = "".join(underneath.written) if tty else underneath.getvalue()
    assert "Feed" in written and "server said" in written
    assert "PWNED" not in written and "]0;" not in written and "]52;" not in written
    assert "\u202e" not in written
