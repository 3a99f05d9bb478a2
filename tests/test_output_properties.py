"""The output boundary, as a property (Hypothesis): whatever text a library holds, nothing River
prints or draws from it carries a C0 control but newline and tab, a C1 control, ESC, a bidi
control or another format character, or a lone surrogate (issue 16, must-show 2).

Each case plants one generated hostile string with sqlite3, bypassing River's cleaning (as an
older River or a user with sqlite3 would), into every stored field River shows (papers: title,
abstract, authors, organization, url, links, categories, extra, aliases, sightings; beats and
their matches; tags; dossiers, claims, sources, events; posts and their sources; saved searches;
the fetch log's errors; import names: ``reliability/planted.py``). Then one command of the CLI
runs in-process with its output captured (the cases cycle through ``list``, ``list --json``,
``show``, ``show --json``, ``doctor``, ``doctor --json``, ``export dossier``, ``export river``,
``export json``, ``export bibtex`` and two errors that quote stored text), and every render
function of the reader draws the library's records, through the filter the reader applies to
every line (``render.InertLines``). Every line is checked.

1,000 derandomized cases, the same on every run: each of the 12 commands meets about 80 hostile
strings, each planted in every field at once (2,000 cost 30-60 s of the 4 minutes `make test`
may take).
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability import hostile, planted
from reliability.libcheck import inert_problem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from river_tui import cli
from river_tui.exports.dossier_md import render_dossier
from river_tui.settings import bundled_data_dir, read_beats
from river_tui.store.library import Library, PaperFilter
from river_tui.ui.render import (
    INERT_LINES,
    claim_card,
    count_title,
    dossier_header,
    nav_line,
    paper_detail,
    paper_row,
    post_card,
)

from conftest import PROPERTY

# Every kind of character a terminal obeys or a reader misreads, and the escape sequences
# built from them; then anything else (no lone surrogate: SQLite cannot store one).
HOSTILE_CHARACTERS = (
    [chr(c) for c in range(0x00, 0x20)]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + list("\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u2060\u2065\ufeff")
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x2070)]
    + ["\ufff0", "\ufff9", "\U000e0001", "\U000e0041", "\U000e007f", "\U000e0fff", "\U0001d173"]
)
SEQUENCES = (
    "\x1b]0;PWNED\x07",
    "\x1b]52;c;UFdORUQ=\x07",
    "\x1b]8;;https://evil.example/\x1b\\",
    "\x1b[31m",
    "\x1b[2J\x1b[H",
    "\x1bP+q\x1b\\",
    "\x9b31m",
    "\x9d0;x\x9c",
    "\x1b",
    "\x1b]",
    "\r\n",
    "[bold]",
    "\U0001f468\u200d\U0001f469",
    "می\u200cخواهم",
)
pieces = st.one_of(
    st.sampled_from(HOSTILE_CHARACTERS),
    st.sampled_from(SEQUENCES),
    st.sampled_from(list(hostile.PAYLOADS.values())),
    st.text(st.characters(codec="utf-8"), max_size=8),
)
texts = st.lists(pieces, min_size=1, max_size=6).map("".join)

COMMANDS = (
    ("list",),
    ("list", "--json"),
    ("show", planted.PAPER),
    ("show", planted.PAPER, "--json"),
    ("doctor",),
    ("doctor", "--json"),
    ("export", "dossier", planted.DOSSIER),
    ("export", "river", "--tag", planted.TAG),
    ("export", "json"),
    ("export", "bibtex"),
    ("export", "dossier", "no-such-dossier"),  # the error lists every dossier's slug
    ("list", "--beat", "no-such-beat"),  # the error lists the beats
)
WIDTHS = (20, 60, 120)
BEATS = read_beats(bundled_data_dir() / "beats.toml")  # what the tests' config gives
CONSOLE = Console(width=100, file=io.StringIO(), color_system="truecolor", legacy_windows=False)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return planted.build(tmp_path_factory.mktemp("planted") / "base.db")


def check(where: str, text: str) -> None:
    for line in text.split("\n"):
        problem = inert_problem(line)
        assert problem is None, f"{where}: {problem}"


def drawn(renderable: Text) -> list[str]:
    """What the reader writes for ``renderable``: its lines (unwrapped: wrapping only moves
    where a line ends), each through ``InertLines``."""
    lines = Segment.split_lines(renderable.render(CONSOLE))
    return ["".join(s.text for s in INERT_LINES.apply(line, None)) for line in lines]  # type: ignore[arg-type]


def run_cli(db: Path, args: tuple[str, ...]) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["--db", str(db), *args])
    assert status in (cli.EXIT_OK, cli.EXIT_ERROR, cli.EXIT_USAGE), err.getvalue()
    assert "internal error" not in err.getvalue()
    return out.getvalue() + err.getvalue()


def reader_lines(db: Path) -> list[str]:
    """Every render function of the reader over what the library holds: each paper's row at
    three widths, the first paper's detail (the one with tags, beats by hand and aliases) and
    title, the navigation's entries (its tags, beats and rivers, the dossiers' titles), each
    dossier's header, page and claim cards, and every river post."""
    lines: list[str] = []
    with Library.open(db, BEATS) as lib:
        summaries = lib.papers(PaperFilter())
        for summary in summaries:
            for width in WIDTHS:
                segments = INERT_LINES.apply(paper_row(summary, width), None)  # type: ignore[arg-type]
                lines.append("".join(s.text for s in segments))
        record = lib.find(planted.PAPER)
        assert record is not None
        lines += drawn(paper_detail(record))
        lines += drawn(count_title(record.paper.title, 3, 1, query=summaries[0].byline))
        names = [*record.tags, *record.beats, *record.manual_beats, planted.TAG]
        posts = lib.posts()
        names += [post.tag for post in posts]
        for dossier_summary in lib.dossiers():
            names.append(dossier_summary.title)
            dossier = lib.dossier(dossier_summary.slug)
            assert dossier is not None
            lines += drawn(dossier_header(dossier))
            lines += drawn(Text(render_dossier(dossier)))  # the page the reader renders
            for number, claim in enumerate(dossier.claims, start=1):
                lines += drawn(claim_card(number, claim))
        for post in posts:
            lines += drawn(post_card(post))
        for name in names:
            segments = nav_line(name, [(" 3", Style())], 40)
            lines.append("".join(s.text for s in INERT_LINES.apply(segments, None)))  # type: ignore[arg-type]
    return lines


@settings(PROPERTY, max_examples=1000)
@given(text=texts, command=st.sampled_from(COMMANDS))
def test_nothing_river_prints_or_draws_from_a_library_is_live(
    base: Path, text: str, command: tuple[str, ...]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = planted.copy(base, Path(folder) / "library.db")
        planted.plant(db, text)
        check(" ".join(command), run_cli(db, command))
        for line in reader_lines(db):
            check("reader", line)
            assert "\n" not in line and "\t" not in line, repr(line)
