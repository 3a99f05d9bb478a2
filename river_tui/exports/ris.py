"""RIS, the tagged format reference managers import (Zotero, EndNote, Mendeley): one record
per paper, as Zotero writes a preprint (``TY  - GEN``; a web item is ``ELEC``), each name
``Family, Given``, the arXiv id as the accession number in the arXiv database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from river_tui.domain import Paper
from river_tui.domain.citation import doi, split_name, url
from river_tui.domain.papers import ItemKind
from river_tui.exports.bibtex import cited_version


def _line(tag: str, value: str) -> str:
    """``TAG  - value``, the value on one line."""
    return f"{tag}  - {' '.join(value.split())}"


def ris_record(key: str, paper: Paper, version: int | None = None) -> str:
    """One record, ``TY`` to ``ER``. ``version``: the arXiv version cited, named by the
    ``UR`` link."""
    lines = [
        _line("TY", "ELEC" if paper.kind is ItemKind.WEB else "GEN"),
        _line("ID", key),
        _line("TI", paper.title),
    ]
    lines += [_line("AU", split_name(name).inverted()) for name in paper.authors]
    if day := paper.published:
        lines.append(_line("PY", f"{day.year:04d}"))
        lines.append(_line("DA", f"{day.year:04d}/{day.month:02d}/{day.day:02d}/"))
    if paper.abstract:
        lines.append(_line("AB", paper.abstract))
    if paper.arxiv:
        lines.append(_line("DB", "arXiv"))
        lines.append(_line("AN", f"arXiv:{paper.arxiv.canonical}"))
    if link := url(paper, version):
        lines.append(_line("UR", link))
    if found := doi(paper):
        lines.append(_line("DO", found))
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def render_ris(cited: Iterable[tuple[str, Paper]], quoted: Mapping[str, int] | None = None) -> str:
    """Records in the given order, each under its key (``ID``), a blank line between."""
    return "\n".join(ris_record(key, paper, cited_version(paper, quoted)) for key, paper in cited)
