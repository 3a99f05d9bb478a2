"""BibTeX for a set of papers: one ``@misc`` entry each, with unique, stable keys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from river_tui.domain import Paper
from river_tui.domain.bibtex import bibtex_entry, citekey


def render_bibtex(papers: Iterable[Paper], quoted: Mapping[str, int] | None = None) -> str:
    """Entries in the given order; a key used twice gets ``b``, ``c``… appended. ``quoted``:
    the arXiv version a dossier's claims quote of each paper (by arXiv id), cited in its
    ``url``."""
    used: dict[str, int] = {}
    entries = []
    for paper in papers:
        key = citekey(paper)
        count = used.get(key, 0)
        used[key] = count + 1
        if count:
            key += "abcdefghijklmnopqrstuvwxyz"[min(count, 25)]
        version = (quoted or {}).get(paper.arxiv.canonical) if paper.arxiv else None
        entries.append(bibtex_entry(paper, key, version))
    return "\n".join(entries)
