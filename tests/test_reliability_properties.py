"""Property-based tests (Hypothesis) of every parser and of the query language.

Documents are built from fragments of the real fixtures and seeds, with hostile text put into
their fields and then mutated (bytes inserted, cut, repeated, truncated). Whatever comes in,
a parser returns only inert text or raises :class:`SourceError` (``ParseError`` is one) with an
inert one-line message; never any other exception. Any query string either parses or raises a
:class:`QueryError` pointing inside the string, and every parsed query runs in SQLite.

2,000 examples per property, derandomized: the same cases on every run.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reliability import hostile
from reliability.libcheck import inert_problem, not_inert

from river_tui.domain.query import QueryError, parse
from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.sources import SourceError, backup
from river_tui.sources.arxiv_api import parse_arxiv_feed
from river_tui.sources.arxiv_rss import parse_arxiv_rss
from river_tui.sources.dossier_md import parse_dossier
from river_tui.sources.feed import parse_feed
from river_tui.sources.hf_api import parse_daily_papers
from river_tui.sources.hf_page import parse_hf_page
from river_tui.sources.river_page import parse_river_page
from river_tui.store import search
from river_tui.store.library import Library, PaperFilter

from conftest import FIXTURES, PROPERTY, SEEDS, seed

# -- text: hostile pieces, real words, anything ---------------------------------------------------

SPECIALS = (
    "\x1b",
    "\x1b[",
    "\x1b]",
    "\x1bP",
    "\x07",
    "\x00",
    "\x9b",
    "\x9d",
    "\x9c",
    "\x85",
    "\r",
    "\r\n",
    "\n",
    "\n\n",
    "\t",
    "\x0b",
    "\x0c",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "\u061c",
    "\u2028",
    "·",
    "•",
    "[",
    "]",
    "[/]",
    "[bold]",
    "#",
    "@",
    "**",
    "`",
    "—",
    ":",
    '"',
    "<",
    ">",
    "&",
    "&amp;",
    "&#27;",
    "&#x9b;",
    "&#xD800;",
    "]]>",
    "<![CDATA[",
    "-->",
)
pieces = st.one_of(
    st.sampled_from(SPECIALS),
    st.sampled_from(list(hostile.PAYLOADS.values())),
    st.text(max_size=12),
)
# The part of each case Hypothesis generates (and shrinks): a short hostile text.
texts = st.lists(pieces, max_size=4).map("".join)
# Lone surrogates only reach a parser through JSON escapes ("\ud800"), never through a file.
json_texts = texts | st.text(st.characters(codec=None, categories=["Cs"]), min_size=1, max_size=2)
# The rest of each case is built by a seeded random.Random from the real fragments: drawing
# every choice from Hypothesis would cost ten times the parsing, and the budget is 1,000 cases.
seeds = st.integers(0, 2**32 - 1)

WORDS = ("Sep 19, 2024", "May 6 4", "Feb 29", "2026-06-04", "  • 4 authors", "·", "7", "x")
RANGES = (
    (0x00, 0x20),
    (0x7F, 0xA0),
    (0x20, 0x7F),
    (0x200B, 0x2070),
    (0x0300, 0x0370),
    (0x4E00, 0x4E10),
    (0x1F600, 0x1F610),
    (0xFFF0, 0x10000),
)


def noise(rng: random.Random, extra: str) -> str:
    """A few hostile pieces, real words, random characters, and Hypothesis's text."""
    out = []
    for _ in range(rng.randint(0, 5)):
        kind = rng.randrange(5)
        if kind == 0:
            out.append(rng.choice(SPECIALS))
        elif kind == 1:
            out.append(rng.choice(list(hostile.PAYLOADS.values())))
        elif kind == 2:
            out.append(rng.choice(WORDS))
        elif kind == 3:
            low, high = rng.choice(RANGES)
            out.append("".join(chr(rng.randrange(low, high)) for _ in range(rng.randint(1, 6))))
        else:
            out.append(extra)
    return "".join(out)


def mutate(rng: random.Random, document: str, extra: str) -> str:
    """``document`` with a few hostile edits: insertions, cuts, repeats, a truncation."""
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        at = rng.randint(0, len(document))
        op = rng.randrange(4)
        if op == 0:
            document = document[:at] + noise(rng, extra) + document[at:]
        elif op == 1:
            document = document[:at] + document[at + rng.randint(1, 40) :]
        elif op == 2:
            document = document[:at] + document[at : at + 200] * 2 + document[at + 200 :]
        else:
            document = document[:at]
    return document


def check_result(result: object) -> None:
    problems = not_inert(result)
    assert problems == [], problems[:3]


def check_error(exc: SourceError) -> None:
    message = str(exc)
    assert "\n" not in message and inert_problem(message) is None, repr(message)


def run(parse_fn: Callable[[], object]) -> None:
    try:
        result = parse_fn()
    except SourceError as exc:
        check_error(exc)
    else:
        check_result(result)


# -- the saved pages and dossiers (text) -----------------------------------------------------------


def blocks(path: Path) -> list[str]:
    return [b for b in path.read_text().split("\n\n") if b.strip()]


HF_BLOCKS = blocks(seed("001"))[:12] + blocks(seed("003"))[:12]
RIVER_LINES = seed("000").read_text().splitlines()
DOSSIER_LINES = seed("004").read_text().splitlines()


def pick(rng: random.Random, fragments: list[str], extra: str, most: int) -> list[str]:
    """Up to ``most`` real fragments in order, some replaced or joined by noise."""
    start = rng.randrange(len(fragments))
    chosen = fragments[start : start + rng.randint(1, most)]
    out = []
    for fragment in chosen:
        roll = rng.randrange(6)
        if roll == 0:
            out.append(noise(rng, extra))
        elif roll == 1:
            out += [fragment, noise(rng, extra)]
        else:
            out.append(fragment)
    return out


@PROPERTY
@given(seeds, texts, st.dates(date(1990, 1, 1), date(2100, 12, 31)))
def test_parse_hf_page(seed_: int, extra: str, as_of: date) -> None:
    rng = random.Random(seed_)
    text = mutate(rng, "\n\n".join(pick(rng, HF_BLOCKS, extra, 10)), extra)
    run(lambda: parse_hf_page(text, as_of))


@PROPERTY
@given(seeds, texts, st.lists(st.sampled_from(["Frontier capability", "", "x"]) | texts))
def test_parse_river_page(seed_: int, extra: str, beats: list[str]) -> None:
    rng = random.Random(seed_)
    first = rng.choice(["#credit-assignment", "#", "# x", "#\x1b[31m", "", "#" + extra])
    text = mutate(rng, "\n".join([first, *pick(rng, RIVER_LINES, extra, 20)]), extra)
    run(lambda: parse_river_page(text, beats))


KEYS = ("status", "importance", "created", "last tended")
FIELD_VALUES = ("seedling", "evergreen", "weird", "5/10", "11/10", "-1", "2026-06-04", "2026-02-30")


@PROPERTY
@given(seeds, texts)
def test_parse_dossier(seed_: int, extra: str) -> None:
    rng = random.Random(seed_)
    lines = pick(rng, DOSSIER_LINES, extra, 14)

    def value() -> str:
        return rng.choice([*FIELD_VALUES, extra, noise(rng, extra)])

    for _ in range(rng.randint(0, 4)):
        line = rng.choice(
            [
                f"- **{rng.choice(KEYS)}:** {value()}",
                f"- **canonical:** /dossier/{value()}",
                f"### [{value()}] {value()}",
                f"- `{value()}` **{value()} as {value()}** — {value()}",
                f"- `paper` [{value()}]({value()}) — “{value()}”",
                f"> Authored by **{value()}** ({value()}, operated by {value()})",
            ]
        )
        lines.insert(rng.randint(0, len(lines)), line)
    text = mutate(rng, "\n".join(lines), extra)
    run(lambda: parse_dossier(text))


# -- JSON: the Hugging Face API and River backups -----------------------------------------------

HF_ITEMS = json.loads((FIXTURES / "hf_daily_papers_2026-06-12_sotawhat.json").read_text())[:3]
BACKUP = json.loads(hostile.backup(hostile.Strings.of("plain text")).decode())


def any_json(rng: random.Random, extra: str, depth: int = 0) -> Any:
    roll = rng.randrange(9 if depth < 2 else 7)
    if roll == 0:
        return None
    if roll == 1:
        return rng.choice([True, False])
    if roll == 2:
        return rng.choice([0, -1, 7, 2**63, -(2**63) - 1, 10**30])
    if roll == 3:
        return rng.choice([0.5, 1e308, float("inf"), float("nan"), -0.0])
    if roll in (4, 5):
        return noise(rng, extra)
    if roll == 6:
        return extra
    if roll == 7:
        return [any_json(rng, extra, depth + 1) for _ in range(rng.randint(0, 3))]
    return {noise(rng, extra): any_json(rng, extra, depth + 1) for _ in range(rng.randint(0, 3))}


def altered(rng: random.Random, value: Any, extra: str) -> Any:
    """A real JSON value with some fields dropped, replaced by anything, or made hostile."""
    if isinstance(value, dict):
        out = {}
        for key, field in value.items():
            roll = rng.randrange(12)
            if roll == 0:
                continue
            out[key] = any_json(rng, extra) if roll == 1 else altered(rng, field, extra)
        return out
    if isinstance(value, list):
        return [altered(rng, v, extra) for v in value[: rng.randint(0, 3)]]
    if isinstance(value, str) and rng.randrange(3) == 0:
        return value + noise(rng, extra)
    return value


def encoded(rng: random.Random, document: Any, extra: str) -> str:
    return mutate(rng, json.dumps(document, ensure_ascii=rng.random() < 0.5), extra)


@PROPERTY
@given(seeds, json_texts)
def test_parse_daily_papers(seed_: int, extra: str) -> None:
    rng = random.Random(seed_)
    items = [altered(rng, rng.choice(HF_ITEMS), extra) for _ in range(rng.randint(0, 3))]
    shape = rng.randrange(4)
    if shape == 0:
        document: Any = items
    elif shape == 1:
        document = items[0] if items else {}
    elif shape == 2:
        document = items[0].get("paper", {}) if items else {"error": extra}
    else:
        document = any_json(rng, extra)
    data = encoded(rng, document, extra).encode("utf-8", "surrogatepass")
    run(lambda: parse_daily_papers(data))


@PROPERTY
@given(seeds, json_texts)
def test_load_backup_and_its_records(seed_: int, extra: str) -> None:
    rng = random.Random(seed_)
    document = altered(rng, BACKUP, extra)
    if rng.randrange(4) == 0:
        document = any_json(rng, extra)
    else:
        document |= {"format": "river-backup", "version": rng.choice([1, 1, 1, 2, "1"])}
    text = encoded(rng, document, extra)

    def read() -> list[object]:
        loaded = backup.load_backup(text)
        out: list[object] = []
        for paper in loaded.get("papers", ()):
            out += [backup.parse_paper(paper), backup.parse_state(paper)]
            out.append(backup.parse_aliases(paper))
        out += [backup.parse_dossier(d) for d in loaded.get("dossiers", ())]
        out += [backup.parse_post(p) for p in loaded.get("posts", ())]
        return out

    run(read)


# -- XML: the arXiv API, arXiv RSS, any feed ----------------------------------------------------


def fill(rng: random.Random, template: str, names: list[str], extra: str) -> str:
    values = {}
    for name in names:
        text = rng.choice([extra, noise(rng, extra), "2604.21952v1", "2026-06-10T00:00:00Z"])
        values[name] = escape(text) if rng.randrange(5) else text  # sometimes raw
    return template.format(**values)


def recorded_or_filled(
    rng: random.Random, recorded: list[str], template: str, names: list[str], extra: str
) -> bytes:
    """One case in five a recorded response, else ``template`` filled; then mutated."""
    as_recorded = rng.randrange(5) == 0
    document = rng.choice(recorded) if as_recorded else fill(rng, template, names, extra)
    return mutate(rng, document, extra).encode("utf-8", "surrogatepass")


ATOM_TEMPLATE = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
    "<id>https://arxiv.org/api/x</id><title>arXiv Query</title>\n"
    "<opensearch:itemsPerPage>{n}</opensearch:itemsPerPage>"
    "<opensearch:totalResults>1</opensearch:totalResults>"
    "<opensearch:startIndex>0</opensearch:startIndex>\n"
    "<entry><id>http://arxiv.org/abs/{id}</id><title>{title}</title>"
    "<updated>2016-05-26T17:59:46Z</updated>"
    '<link href="https://arxiv.org/abs/1605.08386v1" rel="alternate" type="text/html"/>'
    '<link href="{href}" rel="related" type="application/pdf" title="pdf"/>'
    "<summary>{summary}</summary>"
    '<category term="{cat}" scheme="http://arxiv.org/schemas/atom"/>'
    "<published>{date}</published><arxiv:comment>{comment}</arxiv:comment>"
    '<arxiv:primary_category term="{cat}"/>'
    "<author><name>{author}</name><arxiv:affiliation>{aff}</arxiv:affiliation></author>"
    "</entry></feed>\n"
)
ATOM_NAMES = ["n", "id", "title", "href", "summary", "cat", "date", "comment", "author", "aff"]
ARXIV_REAL = [p.read_text()[:6000] for p in sorted(FIXTURES.glob("arxiv_api_*.xml"))]


@PROPERTY
@given(seeds, texts)
def test_parse_arxiv_feed(seed_: int, extra: str) -> None:
    data = recorded_or_filled(random.Random(seed_), ARXIV_REAL, ATOM_TEMPLATE, ATOM_NAMES, extra)
    run(lambda: parse_arxiv_feed(data))


RSS_TEMPLATE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
    "<title>{chan}</title><link>http://rss.arxiv.org/rss/cs.LG</link>"
    "<item><title>{title}</title><link>{link}</link>"
    "<description>arXiv:{id} Announce Type: {kind} \nAbstract: {summary}</description>"
    '<guid isPermaLink="false">oai:arXiv.org:{id}</guid><category>{cat}</category>'
    "<pubDate>{date}</pubDate><arxiv:announce_type>{kind}</arxiv:announce_type>"
    "<arxiv:DOI>{doi}</arxiv:DOI><dc:creator>{creators}</dc:creator></item>"
    "</channel></rss>\n"
)
RSS_NAMES = ["chan", "title", "link", "id", "kind", "summary", "cat", "date", "doi", "creators"]
RSS_REAL = [p.read_text()[:6000] for p in sorted(FIXTURES.glob("arxiv_rss_*.xml"))]


@PROPERTY
@given(seeds, texts)
def test_parse_arxiv_rss(seed_: int, extra: str) -> None:
    data = recorded_or_filled(random.Random(seed_), RSS_REAL, RSS_TEMPLATE, RSS_NAMES, extra)
    run(lambda: parse_arxiv_rss(data))


FEED_TEMPLATES = (
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
    '<title type="{kind}">{chan}</title><entry><title type="{kind}">{title}</title>'
    '<link href="{link}"/><id>{id}</id><updated>{date}</updated>'
    '<summary type="{kind}">{summary}</summary><content type="html">{content}</content>'
    "<author><name>{author}</name></author></entry></feed>\n",
    '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>{chan}</title>'
    "<item><title>{title}</title><link>{link}</link><guid>{id}</guid>"
    "<pubDate>{date}</pubDate><description>{summary}</description>"
    "<author>{author}</author><category>{content}</category><x>{kind}</x></item>"
    "</channel></rss>\n",
)
FEED_NAMES = ["kind", "chan", "title", "link", "id", "date", "summary", "content", "author"]


@PROPERTY
@given(seeds, texts, st.sampled_from(["https://lab.example.org/feed", "file:///tmp/feed.xml"]))
def test_parse_feed(seed_: int, extra: str, url: str) -> None:
    rng = random.Random(seed_)
    document = fill(rng, rng.choice(FEED_TEMPLATES), FEED_NAMES, extra)
    data = mutate(rng, document, extra).encode("utf-8", "surrogatepass")
    run(lambda: parse_feed(data, url))


# -- the query language, parsed, compiled and run in SQLite ---------------------------------------

QUERY_TOKENS = (
    "OR",
    "or",
    "-",
    '"',
    ":",
    "*",
    "^",
    "(",
    ")",
    "{",
    "}",
    "+",
    "NEAR",
    "AND",
    "NOT",
    "ti:",
    "au:",
    "abs:",
    "cat:",
    "tag:",
    "beat:",
    "is:",
    "since:",
    "before:",
    "foo:",
    "CAPO:",
    "is:read",
    "is:starred",
    "is:bogus",
    "since:2026",
    "before:2026-13-01",
    "cat:cs.LG",
    "beat:frontier",
    "beat:f",
    "tag:kept-1",
    "credit",
    "assignment",
    "policies",
    "assignm",
    "'; DROP TABLE papers; --",
    "%",
    "_",
    "\\",
    "\x00",
    "\x1b[31m",
    "—",
    "é",
    "日本",
    " ",
    "  ",
    "\t",
    "\n",
)
queries = st.one_of(
    st.lists(st.sampled_from(QUERY_TOKENS) | st.text(max_size=6), max_size=8).map("".join),
    st.lists(st.sampled_from(QUERY_TOKENS), max_size=8).map(" ".join),
    st.text(max_size=30),
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Library:
    lib = Library.open(tmp_path_factory.mktemp("q") / "library.db", load_settings().beats)
    for path in sorted(SEEDS.glob("*.txt")):
        import_file(lib, path, date(2026, 11, 22))
    for k, summary in enumerate(lib.papers()[:10]):
        lib.set_starred(summary.pk, True)
        lib.add_tag(summary.pk, f"kept-{k}")
    yield lib
    lib.close()


def test_the_query_language(seeded: Library) -> None:
    @PROPERTY
    @given(queries, st.booleans())
    def check(text: str, typing: bool) -> None:
        try:
            query = parse(text, prefix_last=typing)
            search.compile_query(query, seeded.beats)
        except QueryError as exc:
            assert 1 <= exc.position <= len(text), (text, exc.position, str(exc))
            return
        flt = PaperFilter(query=text, type_ahead=typing)
        try:
            found = seeded.papers(flt, limit=50)
            assert seeded.count(flt) >= len(found)
        except sqlite3.Error as exc:  # pragma: no cover - the failure being looked for
            raise AssertionError(f"{text!r} (typing={typing}): SQL error {exc}") from exc
        if found:
            assert seeded.position(flt, found[0].pk) == 0

    check()
