"""Pure renderings of domain objects as ``rich.text.Text`` (a stream row: as segments).

Everything shown here came from outside (page titles, abstracts, author names, post bodies), so
it is only ever *appended* to ``Text`` objects: never formatted into a markup string. A title
such as ``[bold red]x[/]`` therefore shows those characters literally.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.filter import LineFilter

from river_tui.domain import PaperSummary, TriageState, Verdict
from river_tui.domain.links import is_web_url
from river_tui.domain.papers import DETAIL, TEXT_FIELDS, Bounds, PaperRecord, Rest
from river_tui.domain.text import clean_line, clean_text, counted, display_line
from river_tui.reader.actions import shorten

if TYPE_CHECKING:  # claims and full records load with the first one shown, not at start
    from textual.color import Color

    from river_tui.domain.claims import Claim, Dossier, Lead, Post, SourceLink
    from river_tui.domain.interest import Reason

BADGE_STYLES = {
    "claim": "bold black on #5fafff",
    "caveat": "bold black on #d7af00",
    "supported": "bold black on #5fd75f",
    "contested": "bold black on #ff8700",
    "refuted": "bold white on #d70000",
}
BADGE_COLOURS = {
    "claim": "bold #5fafff",
    "caveat": "bold #d7af00",
    "supported": "bold #5fd75f",
    "contested": "bold #ff8700",
    "refuted": "bold #ff5f5f",
}
LABEL = "bold #87afd7"
DIM = "#8a8a8a"
INACTIVE = "dim"
"""Laid over a superseded or retracted claim, its colours kept."""
HEADING = "bold underline"
CUT = "bold #d7af00"
"""What a paper's detail says it cut."""
UPVOTES = "#5fd75f"
STAR = "#ffd700"
FOLLOWED = "bold #d787ff"
FOLLOWED_MARK = "✦"
"""The marker of a new paper by a followed author in its stream row (in place of ``●``; one
cell in every terminal: not of East Asian ambiguous width), and the detail's mark of each
followed author."""
DATE_WIDTH = 10
UPVOTE_WIDTH = 4
DATE_FROM = 44
"""A stream row this wide or wider shows the date; a narrower one gives its room to the
title (at 80 columns the stream is some 32 wide: a title of 23 characters, not 11)."""


def badge_prompt(name: str) -> Text:
    """A badge's name in its colour, as the pickers list it."""
    return Text(name, style=BADGE_COLOURS.get(name, "bold"))


def badge(name: str) -> Text:
    """``[caveat]`` in the badge's colour (the brackets are plain characters)."""
    return Text(f"[{name}]", style=BADGE_STYLES.get(name.casefold(), "bold reverse"))


class InertLines(LineFilter):
    """The reader's output boundary: the last step of every line it draws (``RiverApp`` adds
    it to Textual's line filters, which every widget's lines pass: panes, cells, border titles,
    notifications, dialogs, the palette). Each segment's text is made inert by
    :func:`~river_tui.domain.text.display_line`, so no control character, escape sequence or format
    character reaches the terminal, whatever drew it and from whatever a library holds; a
    newline or tab, which has no place inside a line, becomes a space. Each segment keeps the
    cells it was laid out with (what was removed is made up with spaces at its end; a space
    where Rich counted none cuts it): the line keeps its width."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        out: list[Segment] | None = None
        for index, segment in enumerate(segments):
            text = segment.text
            shown = display_line(text)
            if shown is text or segment.control:
                if out is not None:
                    out.append(segment)
                continue
            if out is None:
                out = segments[:index]
            out.append(Segment(set_cell_size(shown, cell_len(text)), segment.style))
        return segments if out is None else out


INERT_LINES = InertLines()


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells (ending in an ellipsis) and padded to exactly that width,
    as ``Text.truncate(width, overflow="ellipsis", pad=True)`` does. A long text is measured by
    its first ``2 * width`` characters (no character is wider than 2 cells), so a title of a
    megabyte costs what a short one does; only if they fit (zero-width combining marks) is the
    rest measured too."""
    if width <= 0:
        return ""
    head = text[: 2 * width]
    if len(head) < len(text) and cell_len(head) <= width:
        head = text
    if cell_len(head) > width:
        return set_cell_size(head, width - 1) + "…"
    return set_cell_size(head, width)


# -- the stream -----------------------------------------------------------------------------------
_NEW_MARKER = Style.parse("bold #5fafff")
_DIM = Style.parse(DIM)
_STAR = Style.parse(STAR)
_FOLLOWED = Style.parse(FOLLOWED)
_NEW_TITLE = Style.parse("bold")
_UPVOTES = Style.parse(UPVOTES)
_BYLINE = Style.parse(f"italic {DIM}")
_PLAIN = Style()


def byline_width(width: int) -> int:
    """How wide the byline column is for a row ``width`` cells wide (0: no byline column)."""
    return min(18, max(0, (width - 50) // 2))


def paper_row(summary: PaperSummary, width: int, followed: bool = False) -> list[Segment]:
    """One stream row, exactly ``width`` cells: marker, star, date (from :data:`DATE_FROM`
    cells), title, upvotes, byline;
    ``followed``: a new paper by a followed author (:func:`river_tui.domain.authors.
    new_by_followed`), whose marker is :data:`FOLLOWED_MARK` instead of the new paper's ``●``.

    Built as segments, not as a ``Text`` to render: the stream draws a row for every line
    scrolled into view, and this is four times faster (the segments are those the ``Text``
    would render to; ``tests/test_render.py`` holds the two side by side)."""
    new = summary.state is TriageState.NEW
    published = summary.published.isoformat() if summary.published else "—"
    marker = Segment(summary.state.marker, _NEW_MARKER if new else _DIM)
    segments = [
        Segment(FOLLOWED_MARK, _FOLLOWED) if followed and new else marker,
        Segment("★" if summary.starred else " ", _STAR),
        Segment(" ", _PLAIN),
    ]
    if width >= DATE_FROM:
        segments += [Segment(f"{published:<{DATE_WIDTH}}", _DIM), Segment("  ", _PLAIN)]
    by_width = byline_width(width)
    used = sum(segment.cell_length for segment in segments)
    title_width = width - used - 1 - UPVOTE_WIDTH - (by_width + 2 if by_width else 0)
    segments.append(Segment(_fit(summary.title, title_width), _NEW_TITLE if new else _PLAIN))
    segments.append(Segment(" ", _PLAIN))
    votes = f"▲{summary.upvotes}" if summary.upvotes else ""
    segments.append(Segment(f"{votes:>{UPVOTE_WIDTH}}", _UPVOTES))
    if by_width:
        segments.append(Segment("  ", _PLAIN))
        segments.append(Segment(_fit(summary.byline, by_width), _BYLINE))
    if title_width >= 0 and len(votes) <= UPVOTE_WIDTH:
        return segments  # every part was cut or padded to its width: the row is exactly `width`
    return list(Segment.adjust_line_length(segments, width))


# -- the navigation pane --------------------------------------------------------------------------
Piece = tuple[str, Style]
"""Text in one style: a navigation line's count is one piece or more (``12 · `` ``3 new``)."""


def nav_line(label: str, count: Sequence[Piece], width: int) -> list[Segment]:
    """One entry of the navigation pane, exactly ``width`` cells: ``label`` (made inert, and cut
    with an ellipsis to make room) and ``count`` flush right after a space. As segments, what a
    ``Text`` truncated to those widths renders to (``tests/test_render.py`` holds the two side
    by side): the pane draws every entry on the first screen. Beat names come from the config
    and tags and search names from typing: a control character or escape sequence in one
    (kept by a library written before they were made inert as they are read or typed) is
    dropped here rather than written to the terminal."""
    label = clean_line(label)
    count_width = sum(cell_len(text) for text, _ in count)
    segments = [Segment(_fit(label, max(width - count_width - 1, 0)), _PLAIN), Segment(" ", _PLAIN)]
    segments += [Segment(text, style) for text, style in count]
    if count_width + 1 < width:
        return segments  # the label was padded to the room left: exactly `width`
    return list(Segment.adjust_line_length(segments, width))


# -- a paper ----------------------------------------------------------------------------------
NOT_WEB = "  (not a web link: not opened or copied)"


def link_text(url: str) -> Text:
    """A link as the detail shows it: plain text (never a terminal hyperlink), said to be no
    web link when the link rule (:mod:`river_tui.domain.links`) says it is not one."""
    out = Text(url)
    if not is_web_url(url):
        out.append(NOT_WEB, style=DIM)
    return out


def for_you_line(why: Sequence[Reason], followed: Sequence[str] = ()) -> Text:
    """``for you: + "credit assignment"  + author R. Sutton  − "credit risk"``: the features
    that moved a paper most, up in green, down in red; first, ``✦ followed NAME`` for each
    followed author of the paper."""
    out = Text("for you: ", style=LABEL)
    for name in followed:
        out.append("✦ followed ", style=UPVOTES)
        out.append(clean_line(name))
        out.append("  ")
    if not why and not followed:
        out.append("nothing it learned is in this paper", style=DIM)
    for n, reason in enumerate(why):
        if n:
            out.append("  ")
        up = reason.weight > 0  # a no-break space: a sign is not wrapped away from its feature
        out.append("+\u00a0" if up else "−\u00a0", style=UPVOTES if up else "#ff5f5f")
        out.append(clean_line(reason.feature))
    return out


LABEL_WIDTH = 13
"""The column of a field's label (``published``, ``categories``) in the detail pane."""
NARROWEST = 12
"""The narrowest column a field's value is wrapped in beside its label."""
_WRAPPER = Console(width=1000, file=io.StringIO(), color_system=None, legacy_windows=False)
"""Wraps a field's value to its column (Rich needs a console for the cells' widths)."""


def _field(out: Text, label: str, value: str | Text, width: int | None = None) -> None:
    """``label`` in its column, then ``value``; ``width``: the pane's, so that a value too
    long for its column wraps within it, under itself, never under the label (in a pane
    too narrow for a column, the value goes under its label, indented)."""
    if not value:
        return
    text = value if isinstance(value, Text) else Text(value)
    indent = LABEL_WIDTH
    if (
        width is not None
        and width - LABEL_WIDTH < NARROWEST
        and LABEL_WIDTH + text.cell_len > width
    ):
        out.append(label + "\n", style=LABEL)
        indent = 2
        out.append(" " * indent)
    else:
        out.append(f"{label:<{LABEL_WIDTH}}", style=LABEL)
    if width is None or indent + text.cell_len <= width or width - indent < 4:
        out.append_text(text)
        out.append("\n")
        return
    for n, line in enumerate(text.wrap(_WRAPPER, width - indent, overflow="fold")):
        line.rstrip()
        out.append(" " * indent if n else "")
        out.append_text(line)
        out.append("\n")


def _authors(record: PaperRecord, bounds: Bounds, followed: Sequence[str] = ()) -> Text:
    """The authors line: each followed one marked (:data:`FOLLOWED_MARK`), then the count."""
    paper = record.paper
    shown = paper.authors[: bounds.authors]
    marked = set(followed)
    out = Text()
    for index, name in enumerate(shown):
        if index:
            out.append(", ")
        if name in marked:
            out.append(f"{FOLLOWED_MARK} ", style=FOLLOWED)
            out.append(name, style=FOLLOWED)
        else:
            out.append(name)
    count = max(paper.author_count or 0, record.size("authors"))
    if count and count > len(shown):
        out.append(" … " if shown else "")
        out.append(counted(count, "author"))
    elif count > 1:
        out.append(f" ({count} authors)")
    return out


def byte_size(size: int) -> str:
    """``512 bytes``, ``25 kB``, ``4.0 MB``."""
    if size < 1_000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1_000:.0f} kB"
    return f"{size / 1_000_000:.1f} MB"


def cut_notice(record: PaperRecord, bounds: Bounds) -> str:
    """``✂ Cut to fit: title (1.0 MB) · authors 100 of 50,000 · …`` ("": nothing was cut):
    what the read (``PaperRecord.sizes``) or the drawing (``bounds``) left out."""
    paper = record.paper
    limits = {"title": bounds.title, "organization": bounds.title, "abstract": bounds.abstract}
    limits |= {"authors": bounds.authors}
    cuts = []
    for name in ("title", "organization", "authors", "abstract", "links", "categories"):
        limit = limits.get(name, bounds.items)
        have = len(getattr(paper, name) or "")
        if name not in record.sizes and have <= limit:
            continue
        if name in TEXT_FIELDS:
            cuts.append(f"{name} ({byte_size(record.size(name))})")
        else:
            cuts.append(f"{name} {min(have, limit):,} of {record.size(name):,}")
    if record.sizes.keys() & {"aliases", "discoveries"}:
        cuts.append("sightings and other ids")
    if not cuts:
        return ""
    more = "+ shows more; " if record.rests() else ""
    return f"✂ Cut to fit: {' · '.join(cuts)}. {more}river show {record.id} prints it all."


def part_card(rest: Rest, part: str | list[str]) -> Text:
    """More of a cut field (:class:`Rest`): a heading saying which part, then the part."""
    out = Text(f"{rest.field.capitalize()}, continued", style=HEADING)
    if isinstance(part, list):
        end = rest.start + len(part)
        out.append(f"  {rest.start + 1:,}-{end:,} of {rest.total:,}", style=DIM)
        text = ", ".join(clean_line(name) for name in part)
    else:
        end = rest.start + len(part.encode("utf-8"))
        out.append(f"  to {byte_size(end)} of {byte_size(rest.total)}", style=DIM)
        text = clean_text(part) if rest.field == "abstract" else clean_line(part)
    out.append("\n")
    out.append(text)
    return out


def _note(out: Text, record: PaperRecord, bounds: Bounds) -> None:
    """The reader's note, as typed (plain text: its Markdown is not read, and no markup in it
    either), under its heading; cut to ``bounds.note`` characters, saying so."""
    if not record.note:
        return
    out.append("\nNote", style=HEADING)
    out.append("  e edits it\n", style=DIM)
    out.append(record.note[: bounds.note])
    whole = record.sizes.get("note", len(record.note))
    if whole > bounds.note:
        out.append(f" … ({whole:,} characters: e shows it whole)", style=DIM)
    out.append("\n")


def paper_detail(
    record: PaperRecord,
    bounds: Bounds | None = None,
    followed: Sequence[str] = (),
    why: Sequence[Reason] | None = None,
    width: int | None = None,
) -> Text:
    """Everything about one paper: metadata, state, tags, beats with why, and the abstract
    (``followed``: the names of its authors that are followed, marked).
    Each long field is cut to ``bounds`` (by default the detail pane's, ``DETAIL``) before any
    ``Text`` is built of it, so a record of megabytes draws as fast as any, and what was cut
    is said (:func:`cut_notice`). ``why``: what placed the paper in the for-you order, shown
    under its title."""
    bounds = bounds or DETAIL
    paper = record.paper
    out = Text()
    out.append(paper.title[: bounds.title], style="bold")
    if len(paper.title) > bounds.title or "title" in record.sizes:
        out.append(" …", style=DIM)
    out.append("\n\n")
    for citation in record.cited_by:  # first: the reader's own claims rest on it
        out.append("cited by ", style=LABEL)
        out.append(f"claim #{citation.claim} of {citation.dossier} ")
        out.append_text(badge(citation.badge))
        out.append(f" {shorten(citation.text, 80)}\n", style=DIM)
    if record.cited_by:
        out.append("\n")
    if why is not None:
        out.append_text(for_you_line(why, followed))
        out.append("\n\n")
    if notice := cut_notice(record, bounds):
        out.append(notice + "\n\n", style=CUT)
    ident = Text(record.id)
    if paper.version:
        ident.append(f" (v{paper.version})", style=DIM)
    if record.aliases:
        ident.append("  also ", style=DIM)
        ident.append(", ".join(record.aliases[: bounds.items]))
    _field(out, "id", ident, width)
    _field(out, "published", paper.published.isoformat() if paper.published else "", width)
    _field(out, "updated", paper.updated.isoformat() if paper.updated else "", width)
    _field(out, "authors", _authors(record, bounds, followed), width)
    _field(out, "organization", (paper.organization or "")[: bounds.title], width)
    _field(out, "upvotes", Text(f"▲{paper.upvotes}", style=UPVOTES) if paper.upvotes else "", width)
    _field(out, "categories", ", ".join(paper.categories[: bounds.items]), width)
    for link in paper.links[: bounds.items]:
        _field(out, link.label or "link", link_text(link.url), width)
    state = Text(f"{record.state.marker} {record.state}")
    if record.starred:
        state.append("  ★ starred", style=STAR)
    _field(out, "state", state, width)
    _field(out, "tags", " ".join("#" + t for t in record.tags), width)
    _note(out, record, bounds)
    out.append("\nBeats\n", style=HEADING)
    if not record.matches and not record.manual_beats:
        out.append("  no beat's terms occur in this paper\n", style=DIM)
    for beat in record.manual_beats:
        out.append("  ✓ ", style=UPVOTES)
        out.append(beat, style="bold")
        out.append("  put on this beat by hand\n", style=DIM)
    for match in record.matches:
        matched = match.verdict is Verdict.MATCH
        out.append("  ✓ " if matched else "  ✗ ", style=UPVOTES if matched else "#ff5f5f")
        out.append(match.beat, style="bold")
        # The verdict and score on their own line: beside a long beat name, a narrow pane
        # would put "score" on one line and its number under the beat.
        out.append(f"\n    {match.verdict} · score {match.score:g}\n", style=DIM)
        out.append("    why: ", style=DIM)
        out.append(match.reason)
        out.append("\n")
    out.append("\nAbstract\n", style=HEADING)
    out.append(paper.abstract[: bounds.abstract] or "(no abstract)")
    if len(paper.abstract) > bounds.abstract or "abstract" in record.sizes:
        out.append(" …", style=DIM)
    return out


# -- dossiers, claims and posts --------------------------------------------------------------------
def dossier_header(dossier: Dossier) -> Text:
    """A dossier's title, who wrote it and who answers for it, and its status line."""
    a = dossier.authorship
    out = Text()
    out.append(dossier.title, style="bold")
    out.append("\n\n")
    authoring = [
        ("agent", a.agent),
        ("model", a.model),
        ("operator", a.operator),
        ("accountable", a.accountable),
        ("oversight", a.oversight),
    ]
    for label, value in authoring:
        _field(out, label, value or "—")
    out.append("\n")
    _field(out, "status", str(dossier.status))
    _field(out, "importance", f"{dossier.importance}/10")
    _field(out, "created", dossier.created.isoformat() if dossier.created else "—")
    _field(out, "last tended", dossier.last_tended.isoformat() if dossier.last_tended else "—")
    _field(out, "canonical", dossier.canonical or "—")
    out.append("\n" + counted(len(dossier.claims), "claim"), style=HEADING)
    return out


def _sources(out: Text, sources: Iterable[SourceLink]) -> None:
    for source in sources:
        out.append("\n  ")
        out.append(f"{source.kind:<5}", style="bold #d787ff")
        out.append(" ")
        if source.relation:
            out.append(str(source.relation), style="italic #ffd75f")
            out.append(" ")
        if source.label:
            out.append(source.label)
            out.append("  ")
        out.append(source.url, style=f"underline {DIM}" if is_web_url(source.url) else DIM)
        if source.quote is not None:
            out.append(f"\n    “{source.quote.exact}”", style="italic")
            if source.quote.version:
                out.append(f" (v{source.quote.version})", style=DIM)


def claim_card(number: int, claim: Claim) -> Text:
    """One claim: badge, text, sources and its history, oldest event first. A superseded or
    retracted claim is dimmed throughout."""
    out = Text()
    out.append_text(badge(claim.badge))
    out.append(f"  claim {number}", style=DIM)
    if not claim.active:
        out.append(f" · {claim.status}", style="bold #ff8700")
    elif claim.review:
        out.append(f" · needs review: {claim.review}", style="bold #ff8700")
    out.append("\n")
    out.append(claim.text)
    if claim.sources:
        out.append("\n\nSources", style=LABEL)
        _sources(out, claim.sources)
    if claim.leads and claim.active:
        _leads(out, claim.leads)
    if claim.events:
        out.append("\n\nHistory", style=LABEL)
    for event in claim.events:
        out.append("\n  ")
        out.append(event.on.isoformat(), style=DIM)
        out.append("  ")
        out.append(event.action)
        if event.badge:
            out.append(" as ")
            out.append(event.badge, style=BADGE_COLOURS.get(event.badge.casefold(), "bold"))
        if event.actor == "river":
            out.append(" by River", style="bold")
        if event.note:
            out.append(" — ")
            out.append_text(_river_note(event.note) if event.actor == "river" else Text(event.note))
    if not claim.active:
        out.stylize(INACTIVE)
    return out


LEADS_SHOWN = 5
"""The papers listed under a claim as new evidence, best first (``river claims --json``: all)."""


def _leads(out: Text, leads: Sequence[Lead]) -> None:
    """New papers that may bear on the claim: title, the share of the claim they hold, the
    words they share, and their sentence sharing most."""
    out.append(f"\n\nMay bear on this claim ({len(leads)} new)", style=LABEL)
    out.append("  share of the claim's words · W attaches or dismisses", style=DIM)
    for lead in leads[:LEADS_SHOWN]:
        out.append("\n  ")
        out.append(f"{lead.score:.0%} ", style="bold #ffd75f")
        out.append(lead.title)
        out.append(f"  {lead.paper_id}", style=DIM)
        if lead.shared:
            out.append("\n    shares: " + ", ".join(lead.shared), style=DIM)
        if lead.sentence:
            out.append(f"\n    “{lead.sentence}”", style="italic")
    if len(leads) > LEADS_SHOWN:
        out.append(f"\n  and {len(leads) - LEADS_SHOWN} more", style=DIM)


REMOVED = "strike #ff5f5f"
ADDED = "bold #87d787"


def _river_note(note: str) -> Text:
    """River's note on a re-checked quote; for a changed sentence, the new sentence with the
    words it lost struck through in red and the words it gained in green."""
    from river_tui.domain.quotes import changed_in, word_diff  # the claims seam: rapidfuzz

    found = changed_in(note)
    if found is None:
        return Text(note)
    lead, old, new = found
    out = Text(lead)
    out.append("“")
    for n, change in enumerate(word_diff(old, new)):
        out.append(" " if n else "")
        style = {"-": REMOVED, "+": ADDED}.get(change.op, "")
        out.append(change.words, style=style)
    out.append("”")
    return out


def post_card(post: Post, dim: bool = False, now: datetime | None = None) -> Text:
    """One river post: badge, author, @handle, beat and age (at ``now``: by default, now),
    then its body and sources; ``dim``: all of it dimmed (a superseded or retracted claim)."""
    out = badge(post.badge)
    out.append(" ")
    out.append(post.author, style="bold")
    out.append(f" @{post.handle}" if post.handle else "", style="#5fafff")
    out.append("\n")
    age = post.age_at(now or datetime.now(UTC))
    out.append(" · ".join(part for part in (post.beat, age) if part), style=DIM)
    out.append("\n\n")
    out.append(post.body)
    if post.sources:
        out.append("\n")
        _sources(out, post.sources)
    if dim:
        out.stylize(INACTIVE)
    return out


def count_title(
    label: str, total: int | str, unread: int | None = None, query: str = "", sort: str = ""
) -> Text:
    """A pane title such as ``Papers · 68 (68 new)``, ``Inbox ⌕ credit · 3 (3 new) · by
    upvotes``."""
    out = Text(label)
    if query:
        out.append(" ⌕ ")
        out.append(query, style="italic")
    out.append(f" · {total}")
    if unread is not None:
        out.append(f" ({unread} new)")
    if sort:
        out.append(f" · by {sort}")
    return out
