"""Telling the seed document shapes apart."""

from __future__ import annotations

from datetime import date

import pytest

from river_tui.sources.detect import Shape, detect_shape, is_feed_head, might_be_xml
from river_tui.sources.documents import read_document

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


ATOM_NS = 'xmlns="http://www.w3.org/2005/Atom"'
ARXIV_NS = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'
OPENSEARCH_NS = 'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        # A comment before the root that quotes markup (feedparser's tests all start so).
        (
            "<!--\nDescription: a title with '<span>' in it\n-->\n"
            '<rss version="2.0"><channel><title>t</title></channel></rss>',
            Shape.FEED,
        ),
        # Declaration, processing instruction, comment and doctype, then the root.
        (
            '<?xml version="1.0"?>\n<?xml-stylesheet href="s.xsl"?><!-- <feed> -->'
            '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"/>',
            Shape.FEED,
        ),
        # Atom 0.3 and one of its draft namespaces; an Atom feed with no namespace.
        ('<feed version="0.3" xmlns="http://purl.org/atom/ns#"></feed>', Shape.FEED),
        ('<feed xmlns="http://purl.org/echo/"/>', Shape.FEED),
        ("<feed><title>t</title></feed>", Shape.FEED),
        # Userland's namespaced RSS; CDF.
        ('<rss xmlns="http://backend.userland.com/rss2" version="2.0"/>', Shape.FEED),
        ('<CHANNEL HREF="http://example.com/"><TITLE>t</TITLE></CHANNEL>', Shape.FEED),
        # HTML's named entities, no DTD: not well-formed, still a feed (read leniently).
        ("<rss><channel><title>caf&eacute;</title></channel></rss>", Shape.FEED),
        # A prolog expat cannot read (a comment before the declaration): feedparser decides.
        ('<!-- c -->\n<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', Shape.FEED),
        ('<!-- c -->\n<?xml version="1.0"?>\n<html><body>no feed</body></html>', None),
        # A root that is no feed's, whatever the text mentions.
        ('<html><body><rss version="2.0"/> http://www.w3.org/2005/Atom</body></html>', None),
        ('<svg xmlns="http://www.w3.org/2000/svg"><!-- <feed> --></svg>', None),
    ],
)
def test_an_xml_document_is_told_by_its_root_element(text: str, shape: Shape | None) -> None:
    assert detect_shape(text) is shape


@pytest.mark.parametrize(
    ("root", "shape"),
    [
        # The arXiv API: Atom with the arXiv and OpenSearch namespaces (its totalResults).
        (f"<feed {OPENSEARCH_NS} {ARXIV_NS} {ATOM_NS}>", Shape.ARXIV_ATOM),
        # Any other Atom feed that uses arXiv's namespace is a feed (issue 21)...
        (f"<feed {ATOM_NS} {ARXIV_NS}>", Shape.FEED),
        # ...and so is a search engine's Atom page with OpenSearch fields.
        (f"<feed {ATOM_NS} {OPENSEARCH_NS}>", Shape.FEED),
        # An RSS feed that declares arXiv's namespace is a feed unless it is arXiv's.
        (f'<rss version="2.0" {ARXIV_NS}>', Shape.FEED),
    ],
)
def test_an_arxiv_api_page_declares_arxiv_and_opensearch(root: str, shape: Shape) -> None:
    end = "</feed>" if root.startswith("<feed") else "</rss>"
    body = (
        "<title>Papers we read</title><id>https://lab.example.org/reading</id>"
        "<entry><title>A paper</title><id>https://arxiv.org/abs/2604.21952v1</id>"
        '<link href="https://arxiv.org/abs/2604.21952v1"/>'
        "<arxiv:primary_category term='cs.LG'/></entry>"
    )
    if OPENSEARCH_NS in root:
        body = "<opensearch:totalResults>1</opensearch:totalResults>" + body
    assert detect_shape(f'<?xml version="1.0"?>\n{root}{body}{end}') is shape


def test_an_atom_feed_in_arxivs_namespace_without_opensearch_imports_as_a_feed() -> None:
    """Issue 21: it was refused as ``arXiv: not an API response``."""
    data = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed {ATOM_NS} {ARXIV_NS}>'
        "<title>Papers we read</title><id>https://lab.example.org/reading</id>"
        "<updated>2026-05-02T12:00:00Z</updated>"
        "<entry><title>Sparse attention, read</title>"
        '<link href="https://lab.example.org/reading/sparse"/>'
        "<id>https://lab.example.org/reading/sparse</id><updated>2026-05-01T00:00:00Z</updated>"
        "<arxiv:comment>cites 2604.21952</arxiv:comment></entry></feed>"
    ).encode()
    document = read_document(data, date(2026, 5, 2), (), "https://lab.example.org/reading.xml")
    assert document.shape is Shape.FEED
    assert [(s.paper.title, s.paper.url) for s in document.sightings] == [
        ("Sparse attention, read", "https://lab.example.org/reading/sparse")
    ]


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-be", "utf-32", "iso-8859-1", "windows-1251", "shift_jis"]
)
def test_a_feed_in_any_declared_encoding_is_read_in_it(encoding: str) -> None:
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<!-- <b>comment</b> -->\n'
        '<rss version="2.0"><channel><title>t</title><item><title>{title}</title>'
        "<link>https://a.example/1</link></item></channel></rss>"
    )
    title = {"shift_jis": "論文", "windows-1251": "Статья"}.get(encoding, "Café")
    data = text.replace("{title}", title).encode(encoding)
    document = read_document(data, date(2026, 5, 2), (), "https://a.example/feed")
    assert document.shape is Shape.FEED
    assert [s.paper.title for s in document.sightings] == [title]


@pytest.mark.parametrize(
    ("head", "xml"),
    [
        (b'<?xml version="1.0"?><rss version="2.0">', True),
        (b'\xef\xbb\xbf \r\n<feed xmlns="http://www.w3.org/2005/Atom">', True),
        ('<rss version="2.0">'.encode("utf-16"), True),
        (b"# Dossier: credit assignment\n", False),
        (b'{"id": "2401.00001", "title": "x"}', False),
        (b"", False),
    ],
)
def test_only_a_start_that_may_be_xml_is_sent_to_be_parsed(head: bytes, xml: bool) -> None:
    assert might_be_xml(head) is xml


@pytest.mark.parametrize(
    ("head", "feed"),
    [
        (b'<rss version="2.0"><channel><title>Cut here', True),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry>', True),
        (b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><!-- export.arxiv.org -->', False),
        (b"<html><body>not a feed</body></html>", False),
        (b'<!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0">', False),
    ],
)
def test_a_files_start_tells_a_feed_and_a_refused_start_is_none(head: bytes, feed: bool) -> None:
    assert is_feed_head(head) is feed
