"""BibTeX entries for papers, with arXiv's eprint fields (as arXiv's own export writes them)."""

from __future__ import annotations

import re
import unicodedata

from river_tui.domain.ids import normalize_title
from river_tui.domain.links import web_url
from river_tui.domain.papers import Paper

_STOPWORDS = {"a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "from", "via"}
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


def escape(text: str) -> str:
    return "".join(_SPECIAL.get(ch, ch) for ch in text)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


def citekey(paper: Paper) -> str:
    """``surname + year + first significant title word``, e.g. ``stanley2016heat``."""
    surname = _ascii(paper.authors[0].split()[-1]).lower() if paper.authors else "anon"
    year = str(paper.published.year) if paper.published else ""
    words = [w for w in normalize_title(paper.title).split() if w not in _STOPWORDS]
    word = _ascii(words[0]).lower() if words else ""
    return (surname or "anon") + year + word


def bibtex_entry(paper: Paper, key: str | None = None, version: int | None = None) -> str:
    """One ``@misc`` entry; arXiv papers get ``eprint``, ``archivePrefix`` and
    ``primaryClass``, web items a ``url`` and ``howpublished``. ``version``: the arXiv version
    cited (a claim quotes it): the ``url`` names it, as arXiv asks a reference to a version to
    (``eprint`` stays the bare id, as arXiv's own BibTeX writes it)."""
    fields: list[tuple[str, str]] = [("title", "{" + escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", escape(" and ".join(paper.authors))))
    elif paper.organization:
        fields.append(("author", "{" + escape(paper.organization) + "}"))
    if paper.published:
        fields.append(("year", str(paper.published.year)))
        fields.append(("month", paper.published.strftime("%b").lower()))
    if paper.arxiv:
        fields.append(("eprint", paper.arxiv.canonical))
        fields.append(("archivePrefix", "arXiv"))
        if paper.primary_category:
            fields.append(("primaryClass", paper.primary_category))
        cited = f"v{version}" if version else ""
        fields.append(("url", f"https://arxiv.org/abs/{paper.arxiv.canonical}{cited}"))
    elif url := web_url(paper.url):  # a web item's address that is not a web link: none
        fields.append(("url", url))
        fields.append(("howpublished", "\\url{" + url + "}"))
    doi = paper.extra.get("doi")
    if isinstance(doi, str) and doi:
        fields.append(("doi", doi))
    key = re.sub(r"[^\w:\-]", "", key or citekey(paper)) or "paper"
    body = ",\n".join(f"  {name} = {_braced(value)}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def _braced(value: str) -> str:
    return value if value.isdigit() else "{" + value + "}"
