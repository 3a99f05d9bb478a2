"""A dossier's page: its Markdown export, character for character, with colours laid over it.

The text is :func:`river_tui.exports.dossier_md.render_dossier`'s, untouched (so ``plain`` is
the export); styles are only spans over it, found from the same line builders the export uses.
Nothing in it is read as markup.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rich.text import Text

from river_tui.domain.claims import Claim, Dossier
from river_tui.exports.dossier_md import claim_block, event_line, render_dossier, source_line
from river_tui.ui.render import BADGE_STYLES, DIM, HEADING, INACTIVE, LABEL

KIND = "bold #d787ff"
_BOLD_LABEL = re.compile(r"\*\*[^*\n]+:\*\*")


def dossier_page(dossier: Dossier) -> Text:
    """The Markdown export of ``dossier`` as ``Text``: headings bold, badges in their colours,
    dates dim, superseded and retracted claims dimmed."""
    out = Text(render_dossier(dossier), end="")
    header = render_dossier(replace(dossier, claims=[]))
    _style_header(out, header)
    start = len(header)
    for claim in dossier.claims:
        block = "\n".join(claim_block(claim)) + "\n"
        _style_claim(out, start, block, claim)
        start += len(block)
    return out


def _lines(text: str, base: int) -> list[tuple[int, str]]:
    """Each line of ``text`` with its offset, ``base`` added."""
    out, offset = [], base
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _style_header(out: Text, header: str) -> None:
    for offset, line in _lines(header, 0):
        end = offset + len(line)
        if offset == 0:
            out.stylize("bold", offset, end)
        elif line.startswith("> "):
            out.stylize(f"italic {DIM}", offset, end)
        elif line.startswith("## "):
            out.stylize(HEADING, offset, end)
        elif line.startswith("- **"):
            for found in _BOLD_LABEL.finditer(line):
                out.stylize(LABEL, offset + found.start(), offset + found.end())


def _style_claim(out: Text, start: int, block: str, claim: Claim) -> None:
    """Style one claim's block of the page, which begins at ``start``."""

    def span(at: int, length: int, style: str) -> None:
        out.stylize(style, start + at, start + at + length)

    heading = block.split("\n", 1)[0]
    span(0, len(heading), "bold")
    span(
        len("### "), len(claim.badge) + 2, BADGE_STYLES.get(claim.badge.casefold(), "bold reverse")
    )
    cursor = len(heading)
    if claim.sources:
        cursor = _mark(out, start, block, "**Sources:**", cursor, LABEL)
    for source in claim.sources:
        line = source_line(source)  # - `paper` [label](url) — “quote”
        at = block.find(line, cursor)
        if at < 0:
            continue
        span(at + 2, len(source.kind) + 2, KIND)
        link = line.find(f"]({source.url})")
        if link >= 0:
            span(at + link + 2, len(source.url), f"underline {DIM}")
        cursor = at + len(line)
    cursor = _mark(out, start, block, "**Provenance history**", cursor, LABEL)
    for event in claim.events:
        line = event_line(event)  # - `2026-06-04` **asserted as caveat** — note
        at = block.find(line, cursor)
        if at < 0:
            continue
        span(at + 2, len(event.on.isoformat()) + 2, DIM)
        headline = f"**{event.headline}**"
        span(at + line.find(headline), len(headline), "bold")
        cursor = at + len(line)
    if not claim.active:
        span(0, len(block), INACTIVE)


def _mark(out: Text, start: int, block: str, needle: str, cursor: int, style: str) -> int:
    """Style the first ``needle`` in ``block`` from ``cursor``; the cursor after it."""
    at = block.find(needle, cursor)
    if at < 0:
        return cursor
    out.stylize(style, start + at, start + at + len(needle))
    return at + len(needle)
