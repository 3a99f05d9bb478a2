"""A dossier as Markdown, in the shape River reads back (seed ``004_*``)."""

from __future__ import annotations

import re

from river_tui.domain.claims import Claim, ClaimEvent, Dossier, SourceLink
from river_tui.domain.ids import parse_arxiv_id
from river_tui.domain.links import is_web_url

BADGE_LINE = "Every claim carries a provenance badge and a public revision history."


def authoring_line(dossier: Dossier) -> str:
    a = dossier.authorship
    parts = [p for p in (a.model,) if p]
    if a.operator:
        parts.append(f"operated by {a.operator}")
    if a.accountable:
        parts.append(f"accountable: {a.accountable}")
    if a.oversight:
        parts.append(a.oversight)
    inner = f" ({', '.join(parts)})" if parts else ""
    return f"> 🤖 Authored by an AI agent — **{a.agent}**{inner}. {BADGE_LINE}"


def _link_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def code_span(text: str) -> str:
    """``text`` as a Markdown code span, which no renderer makes a link of: fenced by one
    backtick more than the longest run in it, padded with a space if it starts or ends with
    one (CommonMark's rule; :mod:`river_tui.sources.dossier_md` reads it back)."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def source_line(source: SourceLink) -> str:
    """``- `web` [label](url)`` for a web link; any other address (``river:<id>``, or what a
    backup or a file brought: ``file:…``) is written as text, ``- `paper` [label] `river:x```,
    never as a link."""
    kind = f"`{source.kind}` *{source.relation}*" if source.relation else f"`{source.kind}`"
    if not is_web_url(source.url):
        line = f"- {kind} [{_link_text(source.label)}] {code_span(source.url)}"
    else:
        line = f"- {kind} [{_link_text(source.label or source.url)}]({source.url})"
    if source.quote is not None:
        line += f" — “{source.quote.exact}”"
        if source.quote.version and (paper := parse_arxiv_id(source.paper_id or "")):
            line += f" (arXiv:{paper.canonical}v{source.quote.version})"  # the version quoted
    return line


def event_line(event: ClaimEvent) -> str:
    line = f"- `{event.on.isoformat()}` **{event.headline}**"
    return line + (f" — {event.note}" if event.note else "")


def claim_block(claim: Claim) -> list[str]:
    first, *rest = claim.text.split("\n\n")
    lines = [f"### [{claim.badge}] {first}", ""]
    for paragraph in rest:
        lines += [paragraph, ""]
    if claim.sources:
        lines += ["**Sources:**", *(source_line(s) for s in claim.sources), ""]
    lines.append("**Provenance history** (how this claim ripened):")
    lines += [event_line(e) for e in claim.events]
    lines.append("")
    return lines


def render_dossier(dossier: Dossier) -> str:
    # A date not known is left out, not written empty (which reads back as no date at all).
    dates = [
        f"**{name}:** {day.isoformat()}"
        for name, day in (("created", dossier.created), ("last tended", dossier.last_tended))
        if day
    ]
    lines = [f"# {dossier.title}", ""]
    if dossier.authorship.agent:
        lines += [authoring_line(dossier), ""]
    lines += [
        f"- **status:** {dossier.status}  ·  **importance:** {dossier.importance}/10",
        *([f"- {'  ·  '.join(dates)}"] if dates else []),
        f"- **canonical:** {dossier.canonical}",
        "",
        "## Claims",
        "",
    ]
    for claim in dossier.claims:
        lines += claim_block(claim)
    return "\n".join(lines) + "\n"
