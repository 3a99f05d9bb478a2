"""A paper's row, as a feed import's child works it out: the values the store wrote before
(``json.dumps``), and a row read back gives the paper it was made from."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from river_tui.domain import ArxivId, Hit, ItemKind, Link, Paper
from river_tui.domain.beats import BeatMatch, Field, Verdict
from river_tui.domain.rows import METADATA, match_rows, metadata, paper_row, row_paper

TEXT = st.text(max_size=30)
EXTRA = st.dictionaries(TEXT, TEXT | st.integers() | st.lists(TEXT, max_size=2), max_size=3)


def dumped(paper: Paper) -> dict[str, object]:
    """The metadata columns as the store wrote them with ``json.dumps``."""
    return {
        "arxiv_id": paper.arxiv.canonical if paper.arxiv else None,
        "version": paper.version,
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": json.dumps(list(paper.authors), ensure_ascii=False),
        "author_count": paper.author_count,
        "published": paper.published.isoformat() if paper.published else None,
        "updated": paper.updated.isoformat() if paper.updated else None,
        "categories": json.dumps(list(paper.categories)),
        "primary_category": paper.primary_category,
        "links": json.dumps([{"label": x.label, "url": x.url} for x in paper.links]),
        "upvotes": paper.upvotes,
        "organization": paper.organization,
        "extra": json.dumps(paper.extra, ensure_ascii=False, sort_keys=True),
        "kind": str(paper.kind),
        "url": paper.url,
    }


PAPERS = st.builds(
    Paper,
    title=TEXT,
    abstract=TEXT,
    arxiv=st.none() | st.builds(ArxivId, st.just("2601.00001"), st.none() | st.integers(1, 9)),
    authors=st.lists(TEXT, max_size=4).map(tuple),
    published=st.none() | st.dates(date(1990, 1, 1), date(2030, 1, 1)),
    categories=st.lists(TEXT, max_size=3).map(tuple),
    links=st.lists(st.builds(Link, TEXT, TEXT), max_size=3).map(tuple),
    upvotes=st.none() | st.integers(0, 10**6),
    organization=st.none() | TEXT,
    extra=EXTRA,
)


@settings(max_examples=400, deadline=None)
@given(PAPERS)
def test_a_row_holds_what_json_dumps_wrote_and_reads_back(paper: Paper) -> None:
    assert dict(zip(METADATA, metadata(paper), strict=True)) == dumped(paper)
    assert row_paper(paper_row(paper)) == paper


def test_a_web_item_reads_back_as_it_was() -> None:
    url = "https://lab.example.org/é \"quoted\""
    paper = Paper(
        kind=ItemKind.WEB, url=url, title="T", links=(Link("web", url),), extra={"feed": "f"}
    )
    row = paper_row(paper)
    assert row[0] == paper.id and row_paper(row) == paper


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(TEXT, st.sampled_from(list(Field)), st.integers(0, 10**20)), max_size=3
    ),
    st.sampled_from(list(Verdict)),
)
def test_match_rows_hold_what_json_dumps_wrote(hits: list, verdict: Verdict) -> None:
    found = tuple(Hit(term, field, count) for term, field, count in hits)
    match = BeatMatch("Beat", verdict, 2.0, found, found[:1])
    as_dumped = json.dumps(
        [{"term": h.term, "field": str(h.field), "count": h.count} for h in found]
    )
    excluded = json.dumps(
        [{"term": h.term, "field": str(h.field), "count": h.count} for h in found[:1]]
    )
    assert match_rows([match]) == (("Beat", str(verdict), 2.0, as_dumped, excluded),)
