"""BibTeX entries for papers, with arXiv's eprint fields (as arXiv's own export writes them)."""

from __future__ import annotations

import re

from river_tui.domain import citation
from river_tui.domain.citation import citekey
from river_tui.domain.papers import Paper

__all__ = ["bibtex_entry", "citekey", "escape"]

# Characters with a meaning in BibTeX/LaTeX, escaped so a title cannot break the entry.
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_AND = re.compile(r"\sand\s", re.IGNORECASE)


def escape(text: str) -> str:
    return "".join(_SPECIAL.get(ch, ch) for ch in text)


def _author(name: str) -> str:
    """One name of ``author``: braced whole if it holds the word "and", which would split it."""
    text = escape(name)
    return "{" + text + "}" if _AND.search(text) else text


def bibtex_entry(
    paper: Paper, key: str | None = None, version: int | None = None, note: str = ""
) -> str:
    """One ``@misc`` entry; arXiv papers get ``eprint``, ``archivePrefix`` and
    ``primaryClass``, and every paper its ``doi`` and ``url`` when known
    (:mod:`river_tui.domain.citation`). ``version``: the arXiv version cited (a claim quotes
    it): the ``url`` names it, as arXiv asks a reference to a version to (``eprint`` stays the
    bare id, as arXiv's own BibTeX writes it). A paper with no author known has no ``author``
    (a Hugging Face organization is no author: it is the ``organization``). ``note``: the
    reader's note on the paper, its ``note`` field."""
    fields: list[tuple[str, str]] = [("title", "{" + escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_author(name) for name in paper.authors)))
    elif paper.organization:
        fields.append(("organization", escape(paper.organization)))
    if paper.published:
        fields.append(("year", str(paper.published.year)))
        fields.append(("month", paper.published.strftime("%b").lower()))
    if doi := citation.doi(paper):
        fields.append(("doi", doi))  # a DOI is verbatim: citation.doi admits no brace
    if paper.arxiv:
        fields.append(("eprint", paper.arxiv.canonical))
        fields.append(("archivePrefix", "arXiv"))
        if paper.primary_category:
            fields.append(("primaryClass", escape(paper.primary_category)))
    if url := citation.url(paper, version):
        fields.append(("url", url))
        if not paper.arxiv:
            fields.append(("howpublished", "\\url{" + url + "}"))
    if note.strip():
        fields.append(("note", escape(note.strip())))
    key = re.sub(r"[^\w:\-]", "", key or citekey(paper)) or "paper"
    body = ",\n".join(f"  {name} = {_braced(value)}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def _braced(value: str) -> str:
    return value if value.isdigit() else "{" + value + "}"
