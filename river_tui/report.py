"""Plain-text and JSON renderings of papers and library health, for the command line."""

from __future__ import annotations

import textwrap

from river_tui.domain import PaperRecord, PaperSummary, Verdict
from river_tui.domain.links import is_web_url
from river_tui.store.health import Health


def paper_json(record: PaperRecord, full: bool = False) -> dict[str, object]:
    """The JSON object of ``river list --json`` (and, with ``full``, ``river show --json``)."""
    paper = record.paper
    out: dict[str, object] = {
        "id": record.id,
        "title": paper.title,
        "published": paper.published.isoformat() if paper.published else None,
        "beats": list(record.beats),
        "tags": list(record.tags),
        "state": str(record.state),
        "starred": record.starred,
        "upvotes": paper.upvotes,
        "organization": paper.organization,
        "authors": list(paper.authors),
        "author_count": paper.author_count,
    }
    if full:
        out |= {
            "version": paper.version,
            "aliases": list(record.aliases),
            "abstract": paper.abstract,
            "updated": paper.updated.isoformat() if paper.updated else None,
            "categories": list(paper.categories),
            "primary_category": paper.primary_category,
            "links": [{"label": x.label, "url": x.url} for x in paper.links],
            "note": record.note,
            "user_tags": list(record.user_tags),
            "manual_beats": list(record.manual_beats),
            "cited_by": [
                {"dossier": c.dossier, "claim": c.claim, "badge": c.badge, "text": c.text}
                for c in record.cited_by
            ],
            "beat_matches": [
                {
                    "beat": m.beat,
                    "verdict": str(m.verdict),
                    "score": m.score,
                    "reason": m.reason,
                    "hits": [
                        {"term": h.term, "field": str(h.field), "count": h.count} for h in m.hits
                    ],
                    "excluded_by": [
                        {"term": h.term, "field": str(h.field), "count": h.count}
                        for h in m.excluded_by
                    ],
                }
                for m in record.matches
            ],
            "discoveries": [
                {
                    "source": d.source,
                    "seen_at": d.seen_at.isoformat(),
                    "origin": d.origin,
                    "signal": d.signal,
                }
                for d in record.discoveries
            ],
            "extra": paper.extra,
        }
    return out


def render_summary_line(s: PaperSummary) -> str:
    published = s.published.isoformat() if s.published else "----------"
    star = "★" if s.starred else " "
    return f"{s.state.marker}{star} {published}  {s.id:<18} {s.title}"


def render_record(record: PaperRecord) -> str:
    p = record.paper
    lines = [p.title, ""]
    for c in record.cited_by:  # first: what the reader's own claims rest on it
        lines.append(f"cited by claim #{c.claim} of {c.dossier} [{c.badge}]: {c.text}")
    if record.cited_by:
        lines.append("")

    def row(label: str, value: object) -> None:
        if value not in (None, "", (), []):
            lines.append(f"{label:<13} {value}")

    row("id", record.id + (f" (v{p.version})" if p.version else ""))
    row("also known as", ", ".join(record.aliases))
    row("published", p.published)
    row("updated", p.updated)
    authors = ", ".join(p.authors)
    if p.author_count and len(p.authors) < p.author_count:
        authors = (authors + " … " if authors else "") + f"{p.author_count} authors"
    row("authors", authors)
    row("organization", p.organization)
    row("upvotes", p.upvotes)
    row("categories", ", ".join(p.categories))
    for link in p.links:
        row(link.label, link.url + ("" if is_web_url(link.url) else "  (not a web link)"))
    row("state", f"{record.state}{' · starred' if record.starred else ''}")
    row("tags", " ".join("#" + t for t in record.tags))
    if record.note:
        lines += ["", "Note"] + [f"  {line}".rstrip() for line in record.note.split("\n")]
    lines += ["", "Beats"]
    if not record.matches and not record.manual_beats:
        lines.append("  (no beat's terms occur in this paper)")
    for m in record.matches:
        mark = "✓" if m.verdict is Verdict.MATCH else "✗"
        lines.append(f"  {mark} {m.beat} (score {m.score:g}): {m.reason}")
    for beat in record.manual_beats:
        lines.append(f"  ✓ {beat}: put on this beat by hand")
    lines += ["", "Seen"]
    for d in record.discoveries:
        signal = ", ".join(f"{k} {v}" for k, v in d.signal.items() if v is not None)
        lines.append(
            f"  {d.seen_at:%Y-%m-%d %H:%M} {d.source}" + (f" ({signal})" if signal else "")
        )
    lines += ["", "Abstract"]
    for paragraph in (p.abstract or "(none)").split("\n"):
        lines += textwrap.wrap(paragraph, 96, initial_indent="  ", subsequent_indent="  ") or [""]
    return "\n".join(lines)


def render_health(paths: dict[str, str], health: Health | None, beats: int) -> str:
    lines = [f"{k:<14} {v}" for k, v in paths.items()]
    lines.append(f"{'beats defined':<14} {beats}")
    if health is None:
        return "\n".join(lines)
    lines.append(f"{'schema':<14} version {health.schema_version} (latest {health.latest_version})")
    lines.append(f"{'integrity':<14} {'; '.join(health.integrity)}")
    for table, count in health.counts.items():
        lines.append(f"  {table:<12} {count}")
    lines.append("healthy" if health.ok else "UNHEALTHY")
    return "\n".join(lines)
