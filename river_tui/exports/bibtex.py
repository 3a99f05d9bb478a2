"""BibTeX for a set of papers: one ``@misc`` entry each, under the keys given."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from river_tui.domain import Paper
from river_tui.domain.bibtex import bibtex_entry


def cited_version(paper: Paper, quoted: Mapping[str, int] | None) -> int | None:
    """The arXiv version of ``paper`` a dossier's claims quote (``quoted``: by arXiv id)."""
    return (quoted or {}).get(paper.arxiv.canonical) if paper.arxiv else None


def render_bibtex(
    cited: Iterable[tuple[str, Paper]],
    quoted: Mapping[str, int] | None = None,
    notes: Mapping[str, str] | None = None,
) -> str:
    """Entries in the given order, each under its key (``Library.citation_keys``, or
    :func:`river_tui.domain.citation.keyed` outside a library). ``quoted``: the arXiv version
    a dossier's claims quote of each paper (by arXiv id), cited in its ``url``. ``notes``: the
    reader's note of each paper, by key, in its ``note``."""
    notes = notes or {}
    return "\n".join(
        bibtex_entry(paper, key, cited_version(paper, quoted), notes.get(key, ""))
        for key, paper in cited
    )
