"""The Hugging Face Papers API: ``/api/daily_papers``, ``/api/papers/search``, ``/api/papers/{id}``.

The listing endpoints send a JSON array of items that wrap the paper (``{"paper": {...},
"numComments": ..., ...}``); ``/api/papers/{id}`` sends one unwrapped paper object. Both shapes,
and a list mixing them, are read here.

Dates: ``paper.publishedAt`` is the arXiv date (``published``). The day of the Daily Papers
listing is ``paper.submittedOnDailyAt`` ("date paper appeared in daily papers on the Hub"), kept
as ``extra[HF_LISTING_DATE]``. The item's own ``publishedAt`` is NOT the listing day: in the
recorded response it is the arXiv submission time (``2026-05-29T20:00:00.000Z`` for a paper
dated 2026-05-30 and listed on 2026-06-12), so River does not use it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from river_tui.domain import Link, Paper, Sighting, parse_arxiv_id
from river_tui.domain.links import web_url
from river_tui.domain.papers import HF_LISTING_DATE
from river_tui.domain.text import clean_line
from river_tui.sources import ParseError, SourceError, inert
from river_tui.sources.arxiv_api import arxiv_links, unwrap_abstract
from river_tui.sources.feed import written_date

WHAT = "Hugging Face"
HF_PAPER_URL = "https://huggingface.co/papers/"


@dataclass(frozen=True, slots=True)
class HFResult:
    """The papers of one response, and how many items were skipped as malformed (and why).

    Iterating yields the sightings, so ``list(parse_daily_papers(data))`` is the papers.
    """

    sightings: tuple[Sighting, ...]
    skipped: int = 0
    problems: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Sighting]:
        return iter(self.sightings)

    def __len__(self) -> int:
        return len(self.sightings)


class _BadItem(Exception):
    """One listing item that is not a paper; the others are still read."""


def parse_daily_papers(data: bytes) -> HFResult:
    """Every paper of a Daily Papers listing, a search result or a single paper object.

    Raises :class:`ParseError` when ``data`` is not JSON or not one of these shapes (including
    a non-empty list in which no item is a paper), and :class:`SourceError` with the Hub's
    message for an ``{"error": ...}`` body. A malformed item among good ones is skipped and
    counted in :attr:`HFResult.skipped`.
    """
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"{WHAT}: not JSON ({_one_line(exc)})") from None
    except RecursionError:
        raise ParseError(f"{WHAT}: not JSON River can read (nested too deeply)") from None
    if isinstance(document, Mapping):
        if isinstance(document.get("error"), str) and "id" not in document:
            raise SourceError(f"{WHAT}: {_one_line(document['error'])}")
        if "paper" not in document and "id" not in document:
            keys = ", ".join(inert.line(k)[:40] for k in sorted(str(k) for k in document)[:5])
            raise ParseError(f"{WHAT}: expected a list of papers or one paper, got {{{keys}}}")
        items: list[Any] = [document]
    elif isinstance(document, list):
        items = document
    else:
        raise ParseError(f"{WHAT}: expected a list of papers, got {type(document).__name__}")
    sightings: list[Sighting] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        try:
            sightings.append(_sighting(item))
        except _BadItem as exc:
            problems.append(f"item {index}: {exc}")
    if problems and not sightings:
        raise ParseError(f"{WHAT}: no paper in the response ({problems[0]})")
    return HFResult(tuple(sightings), len(problems), tuple(problems))


def _sighting(item: object) -> Sighting:
    if not isinstance(item, Mapping):
        raise _BadItem(f"a {type(item).__name__}, not an object")
    wrapped = item.get("paper")
    if wrapped is not None and not isinstance(wrapped, Mapping):
        raise _BadItem("'paper' is not an object")
    paper: Mapping[str, Any] = wrapped if wrapped is not None else item
    raw_id = paper.get("id")
    arxiv = parse_arxiv_id(raw_id) if isinstance(raw_id, str) else None
    if arxiv is None:
        raise _BadItem(f"no arXiv id (id={raw_id!r:.60})")
    title = _str(paper.get("title")) or _str(item.get("title"))
    if not title:
        raise _BadItem(f"{arxiv}: no title")
    listed = written_date(paper.get("submittedOnDailyAt") or item.get("submittedOnDailyAt"))
    upvotes = _int(paper.get("upvotes"))
    comments = _int(item.get("numComments"))
    if comments is None:
        comments = _int(paper.get("numComments"))
    extra = _extra(paper, listed, comments)
    result = Paper(
        arxiv=arxiv,
        title=title,
        abstract=unwrap_abstract(_str(paper.get("summary")) or _str(item.get("summary"))),
        authors=tuple(_authors(paper.get("authors"))),
        published=written_date(paper.get("publishedAt")),
        upvotes=upvotes,
        organization=_organization(paper.get("organization"))
        or _organization(item.get("organization")),
        links=_links(arxiv.canonical, paper),
        extra=extra,
    )
    signal: dict[str, object] = {"upvotes": upvotes, "comments": comments}
    if listed is not None:
        signal["listed"] = listed.isoformat()
    return inert.sighting(Sighting(result, {k: v for k, v in signal.items() if v is not None}))


def _extra(paper: Mapping[str, Any], listed: date | None, comments: int | None) -> dict:
    extra: dict[str, object] = {}
    if listed is not None:
        extra[HF_LISTING_DATE] = listed.isoformat()
    keywords = paper.get("ai_keywords")
    if isinstance(keywords, list):
        kept = [" ".join(k.split()) for k in keywords if isinstance(k, str) and k.strip()]
        if kept:
            extra["ai_keywords"] = kept
    if summary := _str(paper.get("ai_summary")):
        extra["ai_summary"] = summary
    if (stars := _int(paper.get("githubStars"))) is not None:
        extra["github_stars"] = stars
    if comments is not None:
        extra["num_comments"] = comments
    if submitted := _str(paper.get("submittedOnDailyAt")):
        extra["submitted_on_daily_at"] = submitted
    return extra


def _links(canonical: str, paper: Mapping[str, Any]) -> tuple[Link, ...]:
    links = arxiv_links(canonical)
    for label, key in (("code", "githubRepo"), ("project", "projectPage")):
        if url := web_url(_str(paper.get(key))):
            links.append(Link(label, url))
    links.append(Link("hf", HF_PAPER_URL + canonical))
    return tuple(links)


def _authors(authors: object) -> list[str]:
    if not isinstance(authors, list):
        return []
    names = (a.get("name") if isinstance(a, Mapping) else a for a in authors)
    return [name for name in (_str(n) for n in names) if name]


def _organization(org: object) -> str | None:
    if isinstance(org, Mapping):
        return _str(org.get("fullname")) or _str(org.get("name")) or None
    return _str(org) or None


def _str(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _one_line(value: object) -> str:
    return clean_line(str(value))
