"""BibTeX for a set of papers: one ``@misc`` entry each, with unique, stable keys."""

from __future__ import annotations

from collections.abc import Iterable

from river_tui.domain import Paper
from river_tui.domain.bibtex import bibtex_entry, citekey


def render_bibtex(papers: Iterable[Paper]) -> str:
    """Entries in the given order; a key used twice gets ``b``, ``c``… appended."""
    used: dict[str, int] = {}
    entries = []
    for paper in papers:
        key = citekey(paper)
        count = used.get(key, 0)
        used[key] = count + 1
        if count:
            key += "abcdefghijklmnopqrstuvwxyz"[min(count, 25)]
        entries.append(bibtex_entry(paper, key))
    return "\n".join(entries)
