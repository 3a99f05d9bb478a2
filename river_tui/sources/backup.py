"""Reading a River backup (``river export json``) back into domain records.

Pure: a parsed JSON document in, domain objects out. The library decides how they merge.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from river_tui.domain import ArxivId, Discovery, ItemKind, Link, Paper, TriageState, parse_arxiv_id
from river_tui.domain.claims import (
    Authorship,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Dossier,
    DossierStatus,
    Post,
    Quote,
    SourceLink,
)
from river_tui.domain.notes import clean_note
from river_tui.sources import ParseError, inert

FORMAT = "river-backup"
VERSION = 1
F = TypeVar("F", bound=Callable[..., Any])


def _checked(what: str) -> Callable[[F], F]:
    """A record of the wrong shape (a missing key, a list where a string goes, a bad date) is a
    :class:`ParseError` naming ``what``, never a KeyError or TypeError."""

    def wrap(parse: F) -> F:
        @functools.wraps(parse)
        def checked(*args: Any, **kwargs: Any) -> Any:
            try:
                return parse(*args, **kwargs)
            except ParseError:
                raise
            except (
                KeyError,
                TypeError,
                ValueError,
                AttributeError,
                IndexError,
                OverflowError,
            ) as exc:
                detail = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
                raise ParseError(
                    f"not a valid River backup: a bad {what} ({detail:.120})"
                ) from None

        return checked  # type: ignore[return-value]

    return wrap


def _strings(value: object, what: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{what} is not a list of strings")
    return list(value)


def load_backup(text: str) -> dict[str, Any]:
    """The backup document, checked for its format and version."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise ParseError("not a River backup River can read (nested too deeply)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ParseError("not a River backup")
    if document.get("version") != VERSION:
        raise ParseError(
            f"a River backup of version {document.get('version')!r:.40}, not {VERSION}"
        )
    for key in ("papers", "dossiers", "posts"):
        if not isinstance(document.get(key, []), list):
            raise ParseError(f"not a valid River backup: {key!r} is not a list")
    return document


def looks_like_backup(text: str) -> bool:
    return text.lstrip().startswith("{") and f'"format": "{FORMAT}"' in text


def _arxiv(data: object) -> ArxivId | None:
    if not data:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise TypeError("arxiv is not an object with an id")
    found = parse_arxiv_id(data["id"])
    if found is None:
        raise ValueError(f"{data['id']!r:.40} is not an arXiv id")
    version = data.get("version")
    if version is not None and not isinstance(version, int):
        raise TypeError("arxiv.version is not a number")
    return ArxivId(found.canonical, version)


def _link(data: dict[str, Any]) -> SourceLink:
    q = data.get("quote")
    quote = (
        Quote(
            q["exact"],
            q.get("prefix", ""),
            q.get("suffix", ""),
            q.get("start"),
            q.get("end"),
            q.get("version"),
        )
        if q
        else None
    )
    return SourceLink.make(
        data["kind"], data["url"], data.get("label", ""), quote, data.get("relation")
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@_checked("paper")
def parse_paper(data: dict[str, Any]) -> tuple[Paper, list[Discovery]]:
    paper = Paper(
        title=data["title"],
        abstract=data.get("abstract", ""),
        arxiv=_arxiv(data.get("arxiv")),
        authors=tuple(_strings(data.get("authors", ()), "authors")),
        author_count=data.get("author_count"),
        published=_date(data.get("published")),
        updated=_date(data.get("updated")),
        categories=tuple(_strings(data.get("categories", ()), "categories")),
        primary_category=data.get("primary_category"),
        links=tuple(Link(x["label"], x["url"]) for x in data.get("links", ())),
        upvotes=data.get("upvotes"),
        organization=data.get("organization"),
        extra=dict(data.get("extra") or {}),
        kind=ItemKind(data.get("kind", "paper")),
        url=data.get("url"),
    )
    discoveries = [
        Discovery(
            inert.line(d["source"]),
            datetime.fromisoformat(d["seen_at"]),
            inert.line(d.get("origin", "")),
            inert.value(dict(d.get("signal") or {})),
        )
        for d in data.get("discoveries", ())
    ]
    return inert.paper(paper), discoveries


@_checked("paper")
def parse_aliases(data: dict[str, Any]) -> list[str]:
    """Old ids that name the paper (kept when two records were merged)."""
    return [a for a in (inert.line(x) for x in _strings(data.get("aliases", ()), "aliases")) if a]


@_checked("paper state")
def parse_state(data: dict[str, Any]) -> tuple[TriageState, bool, list[str], list[str]]:
    tags = [inert.line(t) for t in _strings(data.get("tags", ()), "tags")]
    beats = [inert.line(b) for b in _strings(data.get("manual_beats", ()), "manual_beats")]
    return (
        TriageState(data.get("state", "new")),
        bool(data.get("starred", False)),
        [t for t in tags if t],
        [b for b in beats if b],
    )


@_checked("paper note")
def parse_note(data: dict[str, Any]) -> str:
    """The reader's note on the paper, made inert ("" for none). A note over 100 kB (which no
    River saves) makes the backup invalid, as any bad record does."""
    note = data.get("note", "")
    if not isinstance(note, str):
        raise TypeError("note is not a string")
    return clean_note(note)


@_checked("dossier")
def parse_dossier(data: dict[str, Any]) -> Dossier:
    a = data.get("authorship") or {}
    dossier = Dossier(
        slug=data["slug"],
        title=data["title"],
        status=DossierStatus(data.get("status", "seedling")),
        importance=int(data.get("importance", 5)),
        created=_date(data.get("created")),
        last_tended=_date(data.get("last_tended")),
        canonical=data.get("canonical", ""),
        authorship=Authorship(
            **{k: a.get(k, "") for k in ("agent", "model", "operator", "accountable", "oversight")}
        ),
        claims=[
            Claim(
                text=c["text"],
                badge=c["badge"],
                status=ClaimStatus(c.get("status", "active")),
                sources=[_link(s) for s in c.get("sources", ())],
                events=[
                    ClaimEvent(
                        date.fromisoformat(e["on"]), e["action"], e.get("badge"), e.get("note", "")
                    )
                    for e in c.get("events", ())
                ],
            )
            for c in data.get("claims", ())
        ],
    )
    return inert.dossier(dossier)


@_checked("post")
def parse_post(data: dict[str, Any]) -> Post:
    post = Post(
        tag=data["tag"],
        author=data["author"],
        handle=data["handle"],
        beat=data["beat"],
        age=data["age"],
        badge=data["badge"],
        body=data["body"],
        sources=[_link(s) for s in data.get("sources", ())],
        avatar=data.get("avatar", ""),
    )
    return inert.post(post)


@dataclass(frozen=True, slots=True)
class BackupPaper:
    """A paper of a backup with the reader's state it carried."""

    paper: Paper
    discoveries: tuple[Discovery, ...]
    aliases: tuple[str, ...]
    state: TriageState
    starred: bool
    tags: tuple[str, ...]
    manual_beats: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Backup:
    """Everything a River backup holds, read and made inert (nothing stored yet)."""

    papers: tuple[BackupPaper, ...]
    dossiers: tuple[Dossier, ...]
    posts: tuple[Post, ...]


def read_backup(text: str) -> Backup:
    """The whole backup ``text`` as records; raises :class:`ParseError` for the first bad one."""
    document = load_backup(text)
    papers = []
    for data in document.get("papers", ()):
        paper, discoveries = parse_paper(data)
        state, starred, tags, beats = parse_state(data)
        papers.append(
            BackupPaper(
                paper,
                tuple(discoveries),
                tuple(parse_aliases(data)),
                state,
                starred,
                tuple(tags),
                tuple(beats),
                parse_note(data),
            )
        )
    return Backup(
        tuple(papers),
        tuple(parse_dossier(d) for d in document.get("dossiers", ())),
        tuple(parse_post(p) for p in document.get("posts", ())),
    )
