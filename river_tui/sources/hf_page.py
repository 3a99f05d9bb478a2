"""Saved Hugging Face Daily Papers pages (copied as text from the browser).

The page is blocks separated by blank lines: a header (``Daily Papers``, ``byAK and the
research community``, the listing date such as ``Jun 16``), then for each paper a one-line title
block, an abstract block and an optional metadata block of three lines::

      • 7 authors            (or an organization line: ``tencent Tencent``)
    ·
    Sep 19, 2024             (or ``May 6 4``: no year, 4 upvotes)

Dates without a year get the latest year that does not put them after a reference date: the
listing date's reference is ``as_of``, a paper's reference is the listing date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from river_tui.domain import Paper
from river_tui.domain.papers import HF_LISTING_DATE
from river_tui.sources import ParseError, inert

_HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
    }
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DATE = re.compile(
    r"^(?P<month>[A-Za-z]{3,9})\.? (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?(?: (?P<upvotes>\d+))?$"
)
_AUTHORS = re.compile(r"^•\s*(?P<count>\d+)\s+authors?$")
_BLOCK_SPLIT = re.compile(r"\n[ \t\u00a0]*\n")
_META_IN_TEXT = re.compile(r"^[ \t]*·[ \t]*\n[ \t]*[A-Za-z]{3,9}\.? \d{1,2}\b", re.MULTILINE)
_MAX_TITLE = 400
_YEARS_BACK = 8


@dataclass(frozen=True, slots=True)
class HFPage:
    listing_date: date | None
    papers: tuple[Paper, ...]


@dataclass(frozen=True, slots=True)
class _Meta:
    published: date | None
    upvotes: int
    author_count: int | None
    organization: str | None


def looks_like_hf_page(text: str) -> bool:
    """A ``Daily Papers`` header line plus a ``·`` metadata block or the ``byAK`` line."""
    lines = {line.strip().casefold() for line in text.splitlines()}
    if "daily papers" not in lines:
        return False
    return "byak and the research community" in lines or bool(_META_IN_TEXT.search(text))


def parse_hf_page(text: str, as_of: date) -> HFPage:
    """Every paper of a saved Daily Papers page. Raises :class:`ParseError` if there is none."""
    blocks = [b.strip() for b in _BLOCK_SPLIT.split(text.replace("\r\n", "\n")) if b.strip()]
    index, listing_date = _skip_header(blocks, as_of)
    reference = listing_date or as_of
    papers: list[Paper] = []
    while index < len(blocks):
        title, rest = blocks[index], blocks[index + 1 : index + 3]
        if not _is_title(title) or not rest or not _is_abstract(rest[0]):
            index += 1  # not a paper: a footer, stray text or a broken block
            continue
        meta = _parse_meta(rest[1], reference) if len(rest) > 1 else None
        paper = inert.paper(_paper(title, rest[0], meta, listing_date))
        if paper.title and paper.abstract:  # both can be empty once control bytes are gone
            papers.append(paper)
        index += 3 if meta else 2
    if not papers:
        raise ParseError("not a Hugging Face Daily Papers page: no papers found")
    return HFPage(listing_date, tuple(papers))


def _skip_header(blocks: list[str], as_of: date) -> tuple[int, date | None]:
    """Index of the first block after the header, and the listing date if the header has one."""
    index = 0
    while index < len(blocks) and blocks[index].casefold() in _HEADER_LINES:
        index += 1
    found = _parse_date(blocks[index], as_of) if index < len(blocks) else None
    if found is None or found[1] is not None:  # "May 6 4" (with upvotes) is no listing date
        return index, None
    return index + 1, found[0]


def _is_title(block: str) -> bool:
    return "\n" not in block and len(block) <= _MAX_TITLE and not _looks_like_meta(block)


def _is_abstract(block: str) -> bool:
    return not _looks_like_meta(block)


def _looks_like_meta(block: str) -> bool:
    lines = [line.strip() for line in block.splitlines()]
    return "·" in lines or bool(_AUTHORS.match(lines[0]))


def _parse_meta(block: str, reference: date) -> _Meta | None:
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if "·" not in lines:
        return None
    dot = lines.index("·")
    if dot > 1 or dot + 2 != len(lines):
        return None
    found = _parse_date(lines[dot + 1], reference)
    if found is None:
        return None
    published, upvotes = found
    author_count = organization = None
    if dot == 1:
        byline = lines[0]
        if match := _AUTHORS.match(byline):
            author_count = int(match["count"])
        else:
            slug, _, display = byline.partition(" ")
            organization = display.strip() or slug
    return _Meta(published, upvotes or 0, author_count, organization)


def _parse_date(line: str, reference: date) -> tuple[date, int | None] | None:
    """``Sep 19, 2024`` / ``May 6 4`` -> (date, upvotes or None); None if not a date."""
    match = _DATE.match(line.strip())
    if not match:
        return None
    month = _MONTHS.get(match["month"][:3].casefold())
    if month is None:
        return None
    day = int(match["day"])
    upvotes = int(match["upvotes"]) if match["upvotes"] else None
    if match["year"]:
        try:
            return date(int(match["year"]), month, day), upvotes
        except ValueError:
            return None
    found = _latest_on_or_before(month, day, reference)
    return (found, upvotes) if found else None


def _latest_on_or_before(month: int, day: int, reference: date) -> date | None:
    """The latest ``month``/``day`` date that is not after ``reference``."""
    for year in range(reference.year, reference.year - _YEARS_BACK, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:  # Feb 29 in a common year, or Feb 30
            continue
        if candidate <= reference:
            return candidate
    return None


def _paper(title: str, abstract: str, meta: _Meta | None, listing_date: date | None) -> Paper:
    extra: dict[str, object] = {}
    if listing_date:
        extra[HF_LISTING_DATE] = listing_date.isoformat()
    return Paper(
        title=title,
        abstract=abstract,
        published=meta.published if meta else None,
        author_count=meta.author_count if meta else None,
        upvotes=meta.upvotes if meta else None,
        organization=meta.organization if meta else None,
        extra=extra,
    )
