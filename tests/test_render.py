"""The stream's row, built as segments, against the ``Text`` it stands for.

``paper_row`` builds its segments directly because the stream draws one for every line scrolled
into view. What it must draw is what this ``Text`` (the row as it was first written) renders
to: the same characters in the same styles, exactly ``width`` cells, whatever the title."""

from __future__ import annotations

from datetime import date

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from river_tui.domain import PaperSummary, TriageState
from river_tui.domain.claims import Claim, Dossier
from river_tui.domain.text import clean_line, counted
from river_tui.ui.render import (
    DATE_FROM,
    DATE_WIDTH,
    DIM,
    STAR,
    UPVOTE_WIDTH,
    UPVOTES,
    byline_width,
    dossier_header,
    nav_line,
    paper_row,
)

CONSOLE = Console(width=400, color_system="truecolor", legacy_windows=False)


def text_row(summary: PaperSummary, width: int) -> Text:
    """The row as a ``Text``: the reference ``paper_row`` is held to."""

    def fit(text: str, cells: int, style: str) -> Text:
        out = Text(text, style=style, no_wrap=True, end="")
        out.truncate(max(cells, 0), overflow="ellipsis", pad=True)
        return out

    new = summary.state is TriageState.NEW
    row = Text(no_wrap=True, end="")
    row.append(summary.state.marker, style="bold #5fafff" if new else DIM)
    row.append("★" if summary.starred else " ", style=STAR)
    row.append(" ")
    published = summary.published.isoformat() if summary.published else "—"
    if width >= DATE_FROM:
        row.append(f"{published:<{DATE_WIDTH}}", style=DIM)
        row.append("  ")
    by_width = byline_width(width)
    title_width = width - row.cell_len - 1 - UPVOTE_WIDTH - (by_width + 2 if by_width else 0)
    row.append_text(fit(summary.title, title_width, "bold" if new else ""))
    row.append(" ")
    votes = f"▲{summary.upvotes}" if summary.upvotes else ""
    row.append(f"{votes:>{UPVOTE_WIDTH}}", style=UPVOTES)
    if by_width:
        row.append("  ")
        row.append_text(fit(summary.byline, by_width, f"italic {DIM}"))
    row.truncate(width, pad=True)
    return row


def cells(segments: list[Segment]) -> list[tuple[str, Style]]:
    """Each cell's character and style: equal for two renderings that look the same."""
    out: list[tuple[str, Style]] = []
    for text, style, _control in segments:
        out.extend((ch, style or Style()) for ch in text)
    return out


def summary(title: str, byline: str = "Org", **changes: object) -> PaperSummary:
    values: dict[str, object] = {
        "pk": 1,
        "id": "2601.00001",
        "title": clean_line(title),
        "published": date(2026, 1, 2),
        "upvotes": 12,
        "byline": clean_line(byline),
        "state": TriageState.NEW,
        "starred": False,
    }
    values.update(changes)
    return PaperSummary(**values)  # type: ignore[arg-type]


# Widths from the narrowest row that still has a title column to a wide terminal.
WIDTHS = st.integers(min_value=21, max_value=240)
TITLES = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("漢字😀 …é"), max_size=300
)


@settings(max_examples=300, deadline=None, derandomize=True)
@example(  # combining marks take no cell: a title longer than twice its room may still fit
    title="0" * 20 + "\u0300" * 60,
    byline="",
    width=60,
    state=TriageState.NEW,
    starred=False,
    upvotes=None,
    published=None,
)
@given(
    title=TITLES,
    byline=TITLES,
    width=WIDTHS,
    state=st.sampled_from(TriageState),
    starred=st.booleans(),
    upvotes=st.none() | st.integers(min_value=0, max_value=99_999),
    published=st.none() | st.dates(),
)
def test_a_row_draws_what_its_text_renders(
    title: str,
    byline: str,
    width: int,
    state: TriageState,
    starred: bool,
    upvotes: int | None,
    published: date | None,
) -> None:
    paper = summary(
        title, byline, state=state, starred=starred, upvotes=upvotes, published=published
    )
    row = paper_row(paper, width)
    expected = list(text_row(paper, width).render(CONSOLE))
    assert Strip(row).cell_length == width
    assert cells(row) == cells(expected)


def text_nav_line(label: str, count: list[tuple[str, str]], width: int) -> Text:
    """A navigation entry as the ``Text`` it was first drawn as: the reference of ``nav_line``."""
    line = Text(label, end="", no_wrap=True)
    shown = Text()
    for text, style in count:
        shown.append(text, style=style)
    line.truncate(max(width - shown.cell_len - 1, 0), overflow="ellipsis", pad=True)
    line.append(" ")
    line.append_text(shown)
    line.truncate(width)
    return line


STYLES = st.sampled_from(["", "bold", DIM, "#ff5f5f"])


@settings(max_examples=300, deadline=None, derandomize=True)
# Combining marks take no cell: a label longer than twice its room may still fit (found by a
# random run of this test).
@example(label="00000" + "\u0300" * 6, count=[], width=6)
@given(
    label=TITLES,
    count=st.lists(st.tuples(TITLES.map(lambda t: t[:12]), STYLES), max_size=2),
    width=st.integers(min_value=1, max_value=60),
)
def test_a_navigation_entry_draws_what_its_text_renders(
    label: str, count: list[tuple[str, str]], width: int
) -> None:
    """An entry is exactly ``width`` cells: its label cut with an ellipsis, its count flush
    right. (Where the count leaves the label no cell at all, Rich's ``truncate(0)`` would still
    show an ellipsis and push the count off: ``nav_line`` shows the count.)"""
    label = clean_line(label)
    count = [(clean_line(text), style) for text, style in count]
    assume(sum(cell_len(text) for text, _ in count) + 1 < width)
    line = nav_line(label, [(text, Style.parse(style)) for text, style in count], width)
    reference = text_nav_line(label, count, width)
    expected = list(CONSOLE.render(reference, CONSOLE.options.update(width=200)))
    assert cells(line) == cells(expected)
    assert Strip(line).cell_length == width


def test_a_navigation_entry_writes_no_control_character_to_the_terminal() -> None:
    """A beat's name comes from the config, a tag's or a search's from typing: a carriage
    return, a backspace, a bell, a tab or an escape sequence in one is dropped, so it can
    neither overwrite the pane's border nor move the count past it."""
    for name in ("CR\rX back", "Tab\there", "bell\a\bname", "red \x1b[31mname", "bidi\u202e"):
        line = Strip(nav_line(name, [("11", Style())], 30))
        assert line.cell_length == 30
        assert all(ch.isprintable() for ch in line.text), repr(line.text)


def test_a_long_title_ends_in_an_ellipsis_and_the_byline_keeps_its_column() -> None:
    row = Strip(paper_row(summary("A" * 300, byline="Some Lab"), 120)).text
    assert len(row) == 120
    assert "A…" in row and row.rstrip().endswith("Some Lab")
    assert row.startswith("●  2026-01-02  AAA")
    assert "▲12" in row


def test_a_row_too_narrow_for_a_title_is_still_exactly_its_width() -> None:
    """Below 9 cells there is no room for the title: the row is cut, never wider."""
    paper = summary("漢字 title", byline="Lab")
    for width in range(1, 9):
        row = Strip(paper_row(paper, width))
        assert row.cell_length == width
        assert "title" not in row.text


def test_a_narrow_row_gives_the_dates_room_to_the_title() -> None:
    """At 80 columns the stream is about 32 cells: the title shows 23 characters, not 11."""
    paper = summary("Hierarchical Advantage Weighting for Online RL", byline="Lab")
    narrow = Strip(paper_row(paper, DATE_FROM - 12)).text
    assert "2026-01-02" not in narrow and "Hierarchical Advantage" in narrow
    wide = Strip(paper_row(paper, DATE_FROM)).text
    assert wide.startswith("●  2026-01-02  Hierarchical")


def test_the_readers_own_symbols_are_one_cell_wide_everywhere() -> None:
    """A symbol Rich counts as two cells but a terminal draws in one (``☰``: tmux) shifts the
    rest of its line and leaves a stray border character. Every non-ASCII character in the
    reader's source is one cell for Rich and not East Asian wide or fullwidth."""
    import unicodedata
    from pathlib import Path

    from rich.cells import cell_len

    import river_tui.ui

    folder = Path(river_tui.ui.__file__).parent
    found = {
        ch: path.name
        for path in sorted(folder.rglob("*.py"))
        for ch in path.read_text(encoding="utf-8")
        if ord(ch) > 127
    }
    assert "⌕" in found  # the scan reads the reader's symbols
    wide = {
        ch: name
        for ch, name in found.items()
        if cell_len(ch) != 1 or unicodedata.east_asian_width(ch) in "WF"
    }
    assert wide == {}


def test_counts_of_one_are_singular() -> None:
    """A dossier of one claim said "1 claims" (found driving River in tmux)."""
    assert [counted(n, "claim") for n in (0, 1, 2)] == ["0 claims", "1 claim", "2 claims"]
    one = Dossier("one", "One claim", claims=[Claim("A thing holds.", "claim")])
    assert dossier_header(one).plain.endswith("\n1 claim")
    assert dossier_header(Dossier("none", "No claim")).plain.endswith("\n0 claims")
