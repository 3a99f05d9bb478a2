"""Reading a River backup (``river export json``) back into domain records.

Pure: a parsed JSON document in, domain objects out. The library decides how they merge.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from river_tui.domain import (
    ArxivId,
    Authorship,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Discovery,
    Dossier,
    DossierStatus,
    ItemKind,
    Link,
    Paper,
    Post,
    Quote,
    SourceLink,
    TriageState,
)
from river_tui.sources import ParseError

FORMAT = "river-backup"
VERSION = 1


def load_backup(text: str) -> dict[str, Any]:
    """The backup document, checked for its format and version."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ParseError("not a River backup")
    if document.get("version") != VERSION:
        raise ParseError(f"a River backup of version {document.get('version')}, not {VERSION}")
    return document


def looks_like_backup(text: str) -> bool:
    return text.lstrip().startswith("{") and f'"format": "{FORMAT}"' in text


def _link(data: dict[str, Any]) -> SourceLink:
    q = data.get("quote")
    quote = (
        Quote(q["exact"], q.get("prefix", ""), q.get("suffix", ""), q.get("start"), q.get("end"))
        if q
        else None
    )
    return SourceLink.make(data["kind"], data["url"], data.get("label", ""), quote)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def parse_paper(data: dict[str, Any]) -> tuple[Paper, list[Discovery]]:
    arxiv = data.get("arxiv")
    paper = Paper(
        title=data["title"],
        abstract=data.get("abstract", ""),
        arxiv=ArxivId(arxiv["id"], arxiv.get("version")) if arxiv else None,
        authors=tuple(data.get("authors", ())),
        author_count=data.get("author_count"),
        published=_date(data.get("published")),
        updated=_date(data.get("updated")),
        categories=tuple(data.get("categories", ())),
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
            d["source"],
            datetime.fromisoformat(d["seen_at"]),
            d.get("origin", ""),
            dict(d.get("signal") or {}),
        )
        for d in data.get("discoveries", ())
    ]
    return paper, discoveries


def parse_state(data: dict[str, Any]) -> tuple[TriageState, bool, list[str], list[str]]:
    return (
        TriageState(data.get("state", "new")),
        bool(data.get("starred", False)),
        list(data.get("tags", ())),
        list(data.get("manual_beats", ())),
    )


def parse_dossier(data: dict[str, Any]) -> Dossier:
    a = data.get("authorship") or {}
    return Dossier(
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


def parse_post(data: dict[str, Any]) -> Post:
    return Post(
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
