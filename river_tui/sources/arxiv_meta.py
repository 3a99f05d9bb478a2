"""arXiv's own metadata, as its bulk sources give it: the metadata snapshot and OAI-PMH.

Both say, for every version of a paper, when it was submitted (``"Mon, 2 Apr 2007 19:18:42
GMT"``), which the API does only for the first and the latest. :func:`arxiv_paper` makes the
one :class:`~river_tui.domain.Paper` both sources give: the arXiv id at its latest version,
``published`` the first version's day, ``updated`` the latest's, and every version's date in
``extra["versions"]`` (``[{"version": 1, "date": "2007-04-02T19:18:42+00:00"}, ...]``). The
library keeps each version's text as River first saw it (``paper_versions``); a bulk source
brings only the latest text, so the older versions are kept as their dates.

Categories are filtered with shell patterns (:func:`category_matcher`), as ``river import
--category 'cs.*'`` takes them.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from river_tui.domain import Paper, parse_arxiv_id
from river_tui.sources import inert
from river_tui.sources.arxiv_api import arxiv_links, unwrap_abstract
from river_tui.sources.feed import plausible
from river_tui.sources.notes import Note, note

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text

VERSIONS = "versions"
"""Key in ``Paper.extra``: every version's number and submission time (ISO 8601, UTC)."""
_VERSION = re.compile(r"v?(\d{1,6})", re.IGNORECASE)
_TEX_NAME_MAX = 300
"""Names longer than this are kept as written rather than read as TeX."""


@dataclass(frozen=True, slots=True, order=True)
class Version:
    """One version of a paper: its number and when it was submitted."""

    number: int
    submitted: datetime


def versions_of(pairs: Iterable[tuple[object, object]]) -> tuple[Version, ...]:
    """The versions among ``(number, date)`` pairs as the sources write them (``"v2"``,
    ``"Tue, 24 Jul 2007 20:10:27 GMT"``), by number, each once. A pair that cannot be read is
    left out, as a :data:`~river_tui.sources.notes.Note.DATE`."""
    found: dict[int, Version] = {}
    for number, written in pairs:
        version = _version(number, written)
        if version is None:
            note(Note.DATE)
        else:
            found.setdefault(version.number, version)
    return tuple(sorted(found.values()))


def _version(number: object, written: object) -> Version | None:
    match = _VERSION.fullmatch(number.strip()) if isinstance(number, str) else None
    if match is None or not isinstance(written, str):
        return None
    try:
        when = parsedate_to_datetime(written.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    if plausible(when.date()) is None or int(match.group(1)) < 1:
        return None
    return Version(int(match.group(1)), when.astimezone(UTC))


def first_doi(value: object) -> str | None:
    """arXiv lists a paper's DOIs apart by spaces: the first one."""
    parts = value.split() if isinstance(value, str) else []
    return parts[0] if parts else None


def arxiv_paper(
    identifier: str,
    *,
    title: str,
    abstract: str,
    authors: Sequence[str],
    categories: str,
    versions: Sequence[Version] = (),
    comment: str | None = None,
    journal_ref: str | None = None,
    doi: str | None = None,
    published: datetime | None = None,
    updated: datetime | None = None,
) -> Paper | None:
    """The paper arXiv describes, or None when it names no arXiv id or has no title.

    ``categories`` is arXiv's space-separated list, the primary first. Without ``versions``
    (the ``arXiv`` OAI format gives none), ``published`` and ``updated`` date the paper."""
    arxiv = parse_arxiv_id(identifier)
    if arxiv is None or not title.strip():
        return None
    if versions:
        arxiv = type(arxiv)(arxiv.canonical, versions[-1].number)
        published, updated = versions[0].submitted, versions[-1].submitted
    extra: dict[str, object] = {}
    for key, value in (("comment", comment), ("journal_ref", journal_ref), ("doi", doi)):
        if value and value.strip():
            extra[key] = " ".join(value.split())
    if versions:
        extra[VERSIONS] = [
            {"version": v.number, "date": v.submitted.isoformat(timespec="seconds")}
            for v in versions
        ]
    listed = tuple(dict.fromkeys(categories.split()))
    links = arxiv_links(arxiv.canonical, doi=extra.get("doi"))
    paper = Paper(
        arxiv=arxiv,
        title=title,
        abstract=unwrap_abstract(abstract),
        authors=tuple(authors),
        published=published.date() if published else None,
        updated=updated.date() if updated else None,
        categories=listed,
        primary_category=listed[0] if listed else None,
        links=tuple(links),
        extra=extra,
    )
    return inert.paper(paper)


def category_matcher(patterns: Iterable[str]) -> Callable[[Sequence[str]], bool] | None:
    """Whether any of a paper's categories matches any of ``patterns``: shell patterns
    (``cs.*``, ``math.?O``, ``hep-th``), each of which may list several apart by commas,
    compared without regard to case. None when no pattern is given (every paper matches)."""
    wanted = [p.strip() for pattern in patterns for p in pattern.split(",") if p.strip()]
    if not wanted:
        return None
    regex = re.compile("|".join(fnmatch.translate(p) for p in wanted), re.IGNORECASE)
    return lambda categories: any(regex.match(c) for c in categories)


def name_from_tex(name: str) -> str:
    """An author's name as arXiv's submitters write it (``P\\'eter E. Frenkel``), in Unicode
    (``Péter E. Frenkel``), as the API gives it. A name without TeX is returned as it is."""
    if ("\\" not in name and "{" not in name) or len(name) > _TEX_NAME_MAX:
        return name
    return _decoded(name)


@functools.lru_cache(maxsize=16_384)
def _decoded(name: str) -> str:
    try:
        text = _tex_reader().latex_to_text(name)
    except Exception:  # pylatexenc raises its own errors on broken TeX: keep what was written
        return name
    return " ".join(text.split()) or name


@functools.cache
def _tex_reader() -> LatexNodes2Text:
    from pylatexenc.latex2text import LatexNodes2Text  # only names with TeX need it

    return LatexNodes2Text(math_mode="verbatim")
