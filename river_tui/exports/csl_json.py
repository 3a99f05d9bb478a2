"""CSL-JSON, the citation data pandoc and Zotero read (the Citation Style Language's input
schema, ``tests/fixtures/csl/csl-data.json``): an array of items. An arXiv paper is written as
Zotero writes a preprint: type ``article``, ``publisher`` "arXiv", ``number`` "arXiv:ID"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from river_tui.domain import Paper
from river_tui.domain.citation import date_parts, doi, split_name, url
from river_tui.domain.papers import ItemKind
from river_tui.domain.text import display_json
from river_tui.exports.bibtex import cited_version


def csl_item(key: str, paper: Paper, version: int | None = None) -> dict[str, object]:
    """One item, its ``id`` the key. ``version``: the arXiv version cited, named by ``URL``."""
    item: dict[str, object] = {
        "id": key,
        "type": "webpage" if paper.kind is ItemKind.WEB else "article",
        "title": paper.title,
    }
    if paper.authors:
        item["author"] = [split_name(name).csl() for name in paper.authors]
    if parts := date_parts(paper.published):
        item["issued"] = {"date-parts": [parts]}
    if paper.abstract:
        item["abstract"] = paper.abstract
    if paper.arxiv:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{paper.arxiv.canonical}"
    if found := doi(paper):
        item["DOI"] = found
    if link := url(paper, version):
        item["URL"] = link
    return item


def render_csl_json(
    cited: Iterable[tuple[str, Paper]], quoted: Mapping[str, int] | None = None
) -> str:
    """The items in the given order, as inert JSON (:func:`display_json`)."""
    items = [csl_item(key, paper, cited_version(paper, quoted)) for key, paper in cited]
    return display_json(items, indent=2) + "\n"
