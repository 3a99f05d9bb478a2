"""The whole library as one JSON document (``river export json``); read back by
:mod:`river_tui.sources.backup`.

The document is deterministic (sorted, no export timestamp), so exporting a library, importing
the file into an empty one and exporting again gives the same bytes. User state is restored as
one undoable action.
"""

from __future__ import annotations

from typing import Any

from river_tui.domain import PaperRecord
from river_tui.domain.claims import Dossier, Post, SourceLink
from river_tui.domain.text import display_json
from river_tui.sources.backup import FORMAT, VERSION


def _source(s: SourceLink) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": str(s.kind), "url": s.url, "label": s.label}
    if s.quote is not None:
        q = s.quote
        out["quote"] = {
            "exact": q.exact,
            "prefix": q.prefix,
            "suffix": q.suffix,
            "start": q.start,
            "end": q.end,
        }
        if q.version is not None:  # the arXiv version quoted (schema step 13)
            out["quote"]["version"] = q.version
    if s.relation is not None:  # attached as new evidence (schema step 14)
        out["relation"] = str(s.relation)
    return out


def _paper(record: PaperRecord) -> dict[str, Any]:
    p = record.paper
    out: dict[str, Any] = {
        "id": record.id,
        "aliases": sorted(record.aliases),
        "kind": str(p.kind),
        "url": p.url,
        "arxiv": {"id": p.arxiv.canonical, "version": p.arxiv.version} if p.arxiv else None,
        "title": p.title,
        "abstract": p.abstract,
        "authors": list(p.authors),
        "author_count": p.author_count,
        "published": p.published.isoformat() if p.published else None,
        "updated": p.updated.isoformat() if p.updated else None,
        "categories": list(p.categories),
        "primary_category": p.primary_category,
        "links": [{"label": x.label, "url": x.url} for x in p.links],
        "upvotes": p.upvotes,
        "organization": p.organization,
        "extra": p.extra,
        "state": str(record.state),
        "starred": record.starred,
        "tags": sorted(record.user_tags),
        "manual_beats": sorted(record.manual_beats),
        "discoveries": [
            {
                "source": d.source,
                "seen_at": d.seen_at.isoformat(),
                "origin": d.origin,
                "signal": d.signal,
            }
            for d in record.discoveries
        ],
    }
    if record.note:  # the reader's note (schema step 15); a paper without one has no key
        out["note"] = record.note
    return out


def _dossier(d: Dossier) -> dict[str, Any]:
    a = d.authorship
    return {
        "slug": d.slug,
        "title": d.title,
        "status": str(d.status),
        "importance": d.importance,
        "created": d.created.isoformat() if d.created else None,
        "last_tended": d.last_tended.isoformat() if d.last_tended else None,
        "canonical": d.canonical,
        "authorship": {
            "agent": a.agent,
            "model": a.model,
            "operator": a.operator,
            "accountable": a.accountable,
            "oversight": a.oversight,
        },
        "claims": [
            {
                "text": c.text,
                "badge": c.badge,
                "status": str(c.status),
                "sources": [_source(s) for s in c.sources],
                "events": [
                    {"on": e.on.isoformat(), "action": e.action, "badge": e.badge, "note": e.note}
                    for e in c.events
                ],
            }
            for c in d.claims
        ],
    }


def _post(p: Post) -> dict[str, Any]:
    return {
        "tag": p.tag,
        "author": p.author,
        "handle": p.handle,
        "beat": p.beat,
        "age": p.age,
        "badge": p.badge,
        "body": p.body,
        "avatar": p.avatar,
        "sources": [_source(s) for s in p.sources],
    }


def render_backup(papers: list[PaperRecord], dossiers: list[Dossier], posts: list[Post]) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "papers": sorted((_paper(r) for r in papers), key=lambda p: p["id"]),
        "dossiers": sorted((_dossier(d) for d in dossiers), key=lambda d: d["slug"]),
        "posts": [_post(p) for p in posts],
    }
    return display_json(document, indent=1, sort_keys=True) + "\n"
