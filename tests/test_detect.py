"""Telling the seed document shapes apart."""

from __future__ import annotations

import pytest

from river_tui.sources.detect import Shape, detect_shape

from conftest import FIXTURES, seed


@pytest.mark.parametrize(
    ("prefix", "shape"),
    [
        ("000", Shape.RIVER_PAGE),
        ("001", Shape.HF_PAGE),
        ("002", Shape.HF_PAGE),
        ("003", Shape.HF_PAGE),
        ("004", Shape.DOSSIER),
    ],
)
def test_seed_shapes(prefix: str, shape: Shape) -> None:
    assert detect_shape(seed(prefix).read_text(encoding="utf-8")) is shape


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n",
        "The river was high this spring.\n\nWe walked along it for an hour.",
        "# Notes\n\nA heading and a paragraph are not a dossier.",
        "Daily Papers are fun to read.",
    ],
)
def test_unknown_text(text: str) -> None:
    assert detect_shape(text) is None


def test_shape_values() -> None:
    assert [s.value for s in Shape] == [
        "river-backup",
        "hf-page",
        "river-page",
        "dossier",
        "hf-json",
        "arxiv-atom",
        "arxiv-rss",
        "feed",
        "arxiv-snapshot",
        "arxiv-oai",
    ]


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("hf_daily_papers_2026-06-12_sotawhat.json", Shape.HF_JSON),
        ("arxiv_api_query_all_testing_10_entries.xml", Shape.ARXIV_ATOM),
        ("arxiv_api_query_all_testing_page2_start10.xml", Shape.ARXIV_ATOM),
        ("arxiv_api_query_cat_cs.LG_OR_cs.AI_20_entries.xml", Shape.ARXIV_ATOM),
        ("arxiv_api_query_empty_id_0000.0000.xml", Shape.ARXIV_ATOM),
        ("arxiv_api_query_error_400_bad_id.xml", Shape.ARXIV_ATOM),
        ("arxiv_api_query_id_1605.08386.xml", Shape.ARXIV_ATOM),
        ("arxiv_api_query_id_list_two_ids_one_missing.xml", Shape.ARXIV_ATOM),
        ("arxiv_api_query_id_oldstyle_astro-ph_0601001.xml", Shape.ARXIV_ATOM),
        ("arxiv_api_query_id_oldstyle_versioned_quant-ph_0201082v1.xml", Shape.ARXIV_ATOM),
        ("arxiv_rss_cs.LG_2026-04-27_3items.xml", Shape.ARXIV_RSS),
        ("arxiv_rss_cs.CL_weekend_empty.xml", Shape.ARXIV_RSS),
        ("arxiv_oai_listrecords_arXivRaw_from_2014-10-01_page1.xml", Shape.ARXIV_OAI),
        ("arxiv_oai_listrecords_arXiv_2015-01-01_2015-01-03.xml", Shape.ARXIV_OAI),
        ("arxiv_oai_error_badArgument.xml", Shape.ARXIV_OAI),
        ("arxiv_oai_error_badResumptionToken.xml", Shape.ARXIV_OAI),
        ("arxiv_oai_error_noRecordsMatch_set_moo.xml", Shape.ARXIV_OAI),
        # Semantic Scholar is no shape River reads (yet).
        ("semantic_scholar_paper_search_transformer.json", None),
    ],
)
def test_fixture_shapes(name: str, shape: Shape | None) -> None:
    assert detect_shape((FIXTURES / name).read_text(encoding="utf-8")) is shape


def test_every_fixture_is_covered() -> None:
    files = {p.name for p in FIXTURES.iterdir() if p.suffix in {".json", ".xml"}}
    covered = {name for name, _ in test_fixture_shapes.pytestmark[0].args[1]}
    assert files == covered


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        # A single paper object from /api/papers/{id}.
        ('{"id": "2401.00001", "title": "T", "summary": "S", "upvotes": 3}', Shape.HF_JSON),
        ('[{"title": "T", "summary": "S", "upvotes": 1}]', Shape.HF_JSON),
        ('[{"title": "T", "summary": "S"}]', None),
        ("[1, 2, 3]", None),
        (
            '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Lab blog</title></feed>",
            Shape.FEED,
        ),
        ('<rss version="2.0"><channel><title>Lab news</title></channel></rss>', Shape.FEED),
        (
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            ' xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>',
            Shape.FEED,
        ),
        # arXiv's announcement feeds in their Atom edition.
        (
            '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
            "<id>http://rss.arxiv.org/atom/cs.LG</id><entry><id>oai:arXiv.org:2604.21952v1</id>"
            "</entry></feed>",
            Shape.ARXIV_RSS,
        ),
        ("<html><body>Not a feed</body></html>", None),
        ("<", None),
    ],
)
def test_feed_and_json_shapes(text: str, shape: Shape | None) -> None:
    assert detect_shape(text) is shape


def test_a_river_backup_is_detected_before_anything_else() -> None:
    backup = '{"dossiers": [], "format": "river-backup", "papers": [], "version": 1}'
    assert detect_shape(backup) is Shape.BACKUP
    assert detect_shape('{"format": "something-else"}') is None
