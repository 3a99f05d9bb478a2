"""Citations: BibTeX, RIS and CSL-JSON of the library, read back with maintained parsers
(bibtexparser, rispy, the CSL-JSON schema with jsonschema, citeproc-py), under keys that are
the same in every export; ``Y`` in the reader copies one entry."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from test_ui_support import (
    ARXIV_ID,
    ARXIV_TITLE,
    WEB_TITLE,
    add_linked_papers,
    open_library,
    settle,
    settled_reader,
)

from river_tui.domain import Discovery, Paper, parse_arxiv_id
from river_tui.domain.citation import Name, citekey, keyed, split_name, suffixed
from river_tui.importing import import_file, seed_sample
from river_tui.settings import load_settings
from river_tui.store.citekeys import FEW
from river_tui.store.library import Library

from conftest import FIXTURES, ROOT, run_river

HF_JSON = FIXTURES / "hf_daily_papers_2026-06-12_sotawhat.json"
ARXIV_OLD = FIXTURES / "arxiv_api_query_id_oldstyle_astro-ph_0601001.xml"
SCHEMA = json.loads((ROOT / "tests/fixtures/csl/csl-data.json").read_text(encoding="utf-8"))
FORMATS = ("bibtex", "ris", "csl-json")
FOUND = Discovery("test", datetime(2026, 6, 16, tzinfo=UTC))
SAMPLE_PAPERS = 68
"""The papers of the bundled sample's three saved Hugging Face pages (no arXiv id, no names)."""


# -- parsing each format back -------------------------------------------------------------------
def bibtex_entries(text: str) -> dict[str, dict[str, str]]:
    """Each entry's fields, by key; no block may fail to parse."""
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert len({e.key for e in library.entries}) == len(library.entries)
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}


def ris_records(text: str) -> dict[str, dict]:
    records = rispy.loads(text)
    assert len({r["id"] for r in records}) == len(records)
    return {r["id"]: r for r in records}


def csl_items(text: str) -> dict[str, dict]:
    items = json.loads(text)
    jsonschema.validate(items, SCHEMA)
    return {item["id"]: item for item in items}


def rendered(items: dict[str, dict]) -> list[str]:
    """The bibliography a CSL processor makes of the items (citeproc-py's bundled style)."""
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(
        style, CiteProcJSON(list(items.values())), formatter.plain
    )
    for key in items:
        bibliography.register(Citation([CitationItem(key)]))
    return [str(entry) for entry in bibliography.bibliography()]


def exported(db: Path, *args: str) -> dict[str, str]:
    """``river export FORMAT ARGS`` in each format: what it printed."""
    out = {}
    for what in FORMATS:
        result = run_river("--db", str(db), "export", what, *args)
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        out[what] = result.stdout
    return out


# -- the sample library: must show 2 ------------------------------------------------------------
@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample as the reader imports it, then what a refresh brings: a day of
    Hugging Face papers (30, with arXiv ids and names) and an arXiv record of an old-style id."""
    db = tmp_path_factory.mktemp("sample") / "lib.db"
    with Library.open(db, load_settings().beats) as lib:
        assert seed_sample(lib)
        for path in (HF_JSON, ARXIV_OLD):
            import_file(lib, path, date(2026, 6, 16))
    return db


def test_the_sample_exports_parse_and_every_arxiv_paper_has_its_authors_and_eprint(
    sample: Path,
) -> None:
    out = exported(sample)
    bib, ris, csl = (
        bibtex_entries(out["bibtex"]),
        ris_records(out["ris"]),
        csl_items(out["csl-json"]),
    )
    # One entry per paper, under one key in every format.
    assert list(bib) == list(ris) == list(csl)
    assert len(bib) == SAMPLE_PAPERS + 30 + 1

    arxiv = {key: entry["eprint"] for key, entry in bib.items() if "eprint" in entry}
    assert len(arxiv) == 31
    for key, eprint in arxiv.items():
        entry, record, item = bib[key], ris[key], csl[key]
        assert entry["author"] and entry["archivePrefix"] == "arXiv", key
        assert entry["url"] == f"https://arxiv.org/abs/{eprint}"
        assert entry["doi"] == f"10.48550/arXiv.{eprint}"
        assert len(record["authors"]) == len(entry["author"].split(" and ")), key
        assert (record["name_of_database"], record["accession_number"]) == (
            "arXiv",
            f"arXiv:{eprint}",
        )
        assert record["urls"] == [entry["url"]] and record["doi"] == entry["doi"]
        assert all(name["family"] for name in item["author"]), key
        assert (item["type"], item["publisher"], item["number"]) == (
            "article",
            "arXiv",
            f"arXiv:{eprint}",
        )
        assert (item["URL"], item["DOI"]) == (entry["url"], entry["doi"])
    old = bib["gould2006frequency"]
    assert (old["eprint"], old["primaryClass"]) == ("astro-ph/0601001", "astro-ph")
    assert old["author"] == "Andrew Gould and Susan Dorsher and B. Scott Gaudi and Andrzej Udalski"
    assert csl["gould2006frequency"]["author"][2] == {"family": "Gaudi", "given": "B. Scott"}

    # A name in any script survives, in its parts.
    assert "Niccolò Biondi" in bib["biondi2026stationary"]["author"]
    assert ris["biondi2026stationary"]["authors"][0] == "Biondi, Niccolò"
    assert csl["biondi2026stationary"]["author"][0] == {"family": "Biondi", "given": "Niccolò"}

    # The saved pages name no author: no entry makes one up (an organization is not one).
    saved = [key for key in bib if key not in arxiv]
    assert len(saved) == SAMPLE_PAPERS
    assert all(
        "author" not in bib[k] and "authors" not in ris[k] and "author" not in csl[k] for k in saved
    )
    assert bib["anon2026how"]["organization"] == "alibaba"

    # A CSL processor reads every item: the arXiv papers come out under their authors.
    lines = rendered(csl)
    assert len(lines) == len(csl)
    assert any(line.startswith("Biondi, N. et al. (2026)") for line in lines)


# -- a saved page's paper learns its names --------------------------------------------------------
LIMITS = (
    "On the Limits of LLM Adaptability: Impact of Model-Internalized Priors on Annotation "
    "Task Performance"
)
SAVED_PAGE = f"""\
Daily Papers

byAK and the research community

Jun 12

{LIMITS}

Large Language Models (LLMs) are increasingly used for zero-shot annotation.

caltech California institute of technology
·
May 30 3
"""


def test_a_saved_pages_paper_gets_its_authors_and_eprint_when_its_arxiv_record_arrives(
    tmp_path: Path,
) -> None:
    """A saved page gives a title and an organization: the entry names no author. Once the
    paper's arXiv id is known (here a Hugging Face listing a refresh brings), it has them."""
    page = tmp_path / "saved.txt"
    page.write_text(SAVED_PAGE, encoding="utf-8")
    db = tmp_path / "lib.db"
    with Library.open(db, load_settings().beats) as lib:
        import_file(lib, page, date(2026, 6, 16))
        (summary,) = lib.papers()
    before = bibtex_entries(exported(db)["bibtex"])
    assert before == {
        "anon2026limits": {
            "title": "{" + LIMITS + "}",
            "organization": "California institute of technology",
            "year": "2026",
            "month": "may",
        }
    }

    with Library.open(db, load_settings().beats) as lib:
        import_file(lib, HF_JSON, date(2026, 6, 16))
        record = lib.find("2606.00467")
    assert record is not None and record.pk == summary.pk  # the same paper, not a second one
    assert record.paper.authors == ("Etienne Casanova", "Rafal Kocielnik", "R. Michael Alvarez")
    out = exported(db, "--query", "Adaptability")
    entry = bibtex_entries(out["bibtex"])["casanova2026limits"]
    assert entry["author"] == "Etienne Casanova and Rafal Kocielnik and R. Michael Alvarez"
    assert (entry["eprint"], entry["archivePrefix"]) == ("2606.00467", "arXiv")
    assert "organization" not in entry
    assert ris_records(out["ris"])["casanova2026limits"]["authors"][2] == "Alvarez, R. Michael"
    assert csl_items(out["csl-json"])["casanova2026limits"]["number"] == "arXiv:2606.00467"


# -- the filters of river list ------------------------------------------------------------------
@pytest.mark.parametrize(
    "choice",
    [
        ("--beat", "reasoning"),
        ("--tag", "credit-assignment"),
        ("--state", "new", "--query", "credit"),
        ("--query", "credit risk"),
        ("--author", "Haoran Xu"),
        ("--query", "credit", "--beat", "agents"),
    ],
    ids=lambda c: " ".join(c),
)
def test_exports_cite_the_papers_river_list_lists(sample: Path, choice: tuple[str, ...]) -> None:
    listed = run_river("--db", str(sample), "list", "--json", *choice)
    titles = [paper["title"] for paper in json.loads(listed.stdout)]
    assert 0 < len(titles) < SAMPLE_PAPERS
    out = exported(sample, *choice)
    csl = csl_items(out["csl-json"])
    assert [item["title"] for item in csl.values()] == titles
    assert list(bibtex_entries(out["bibtex"])) == list(ris_records(out["ris"])) == list(csl)


def test_a_filtered_export_keeps_each_papers_key(sample: Path) -> None:
    whole = csl_items(exported(sample)["csl-json"])
    keys = {item["title"]: key for key, item in whole.items()}
    for query in ("credit", "reasoning", "Biondi", "agents"):
        some = csl_items(run_river("--db", str(sample), "export", "csl-json", "-q", query).stdout)
        assert some and all(keys[item["title"]] == key for key, item in some.items())


@pytest.mark.parametrize("what", ["ris", "csl-json"])
def test_a_dossier_that_does_not_exist_is_an_error(sample: Path, what: str) -> None:
    result = run_river("--db", str(sample), "export", what, "--dossier", "nope")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("river: no dossier 'nope' (dossiers: ")


def test_the_citation_exports_write_a_file_as_the_others_do(sample: Path, tmp_path: Path) -> None:
    target = tmp_path / "refs.ris"
    first = run_river("--db", str(sample), "export", "ris", "-q", "Biondi", "-o", str(target))
    assert (first.returncode, first.stdout, first.stderr) == (0, "", f"wrote {target}\n")
    assert list(ris_records(target.read_text(encoding="utf-8"))) == ["biondi2026stationary"]
    refused = run_river("--db", str(sample), "export", "ris", "-o", str(target))
    assert refused.returncode == 1 and "already exists (use --force" in refused.stderr
    forced = run_river("--db", str(sample), "export", "ris", "-o", str(target), "--force")
    assert forced.returncode == 0
    assert len(ris_records(target.read_text(encoding="utf-8"))) == SAMPLE_PAPERS + 31


# -- keys ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("authors", "year", "title", "key"),
    [
        (
            ("Richard S. Sutton", "Andrew G. Barto"),
            2018,
            "Reinforcement Learning",
            "sutton2018reinforcement",
        ),
        (("Sutton, Richard S.",), 2018, "The Reinforcement of Learning", "sutton2018reinforcement"),
        (("Ludwig van Beethoven",), 1808, "On a Fifth Symphony", "beethoven1808fifth"),
        (("Martin Luther King Jr.",), 1963, "A Dream", "king1963dream"),
        (("Søren Østergaard",), 2026, "Über Alles", "ostergaard2026uber"),
        (("Zoë Müller-Lüdenscheidt",), 2026, "GPT-4o: a model", "mullerludenscheidt2026gpt"),
        (("García Márquez, Gabriel",), 1967, "Cien años", "garciamarquez1967cien"),
        (("李华",), 2026, "深度 Learning", "anon2026learning"),
        ((), None, "The", "anon"),
    ],
)
def test_keys_are_surname_year_and_first_significant_word(
    authors: tuple[str, ...], year: int | None, title: str, key: str
) -> None:
    paper = Paper(title=title, authors=authors, published=date(year, 1, 1) if year else None)
    assert citekey(paper) == key


def test_a_clash_gets_letters_that_never_run_out() -> None:
    assert [suffixed("k", n) for n in (0, 1, 2, 24, 25, 26, 27)] == [
        "k",
        "kb",
        "kc",
        "ky",
        "kz",
        "kaa",
        "kab",
    ]
    twins = [Paper(title="Heat", authors=("Ann Stanley",), published=date(2016, 1, 1))] * 3
    assert [key for key, _ in keyed(twins)] == [
        "stanley2016heat",
        "stanley2016heatb",
        "stanley2016heatc",
    ]


def add(lib: Library, title: str, author: str, day: date, arxiv: str | None = None) -> int:
    paper = Paper(
        title=title,
        authors=(author,),
        published=day,
        arxiv=parse_arxiv_id(arxiv) if arxiv else None,
    )
    return lib.upsert_paper(paper, FOUND).pk


def test_keys_hold_across_the_library_whatever_is_cited_with_them(tmp_path: Path) -> None:
    """Papers sharing a key are told apart by the order they came in: the first keeps it. The
    same key comes out asked for one paper or for all; a paper arriving later renames none;
    a title whose word is spelled in ASCII only in its key ("Øresund") is found too."""
    with Library.open(tmp_path / "lib.db", load_settings().beats) as lib:
        first = add(lib, "Øresund Bridges", "Zoë Müller", date(2026, 3, 1))
        second = add(lib, "Oresund, again", "Max Muller", date(2026, 5, 1), "2605.00001")
        third = add(lib, "The Øresund-Theory", "Muller, Anna", date(2026, 1, 1))
        other_year = add(lib, "Oresund", "Max Muller", date(2025, 5, 1))
        undated = lib.upsert_paper(Paper(title="Oresund notes", authors=("Muller",)), FOUND).pk
        # Enough other papers that keys asked with all of them are found in one pass.
        others = [
            add(lib, f"Topic{n} findings", f"Author{n} Person", date(2026, 1, 1 + n % 28))
            for n in range(FEW + 2)
        ]
        expected = {
            first: "muller2026oresund",
            second: "muller2026oresundb",
            third: "muller2026oresundc",
            other_year: "muller2025oresund",
        }
        assert {pk: lib.citation_keys([pk])[pk] for pk in expected} == expected
        # A key without a year is looked for in every year: each paper is counted once.
        assert lib.citation_keys([third, undated]) == {
            third: "muller2026oresundc",
            undated: "mulleroresund",
        }
        everything = lib.citation_keys([*expected, *others])
        assert {pk: everything[pk] for pk in expected} == expected
        assert len(set(everything.values())) == len(everything)
        later = add(lib, "Øresund, the sequel", "Max Müller", date(2026, 2, 1))
        assert lib.citation_keys([first, second, later]) == {
            first: "muller2026oresund",
            second: "muller2026oresundb",
            later: "muller2026oresundd",
        }


# -- names and special characters --------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Richard S. Sutton", Name("Sutton", "Richard S.")),
        ("Sutton, Richard S.", Name("Sutton", "Richard S.")),
        ("Ludwig van Beethoven", Name("Beethoven", "Ludwig", "van")),
        ("van Beethoven, Ludwig", Name("Beethoven", "Ludwig", "van")),
        ("Jean de la Fontaine", Name("Fontaine", "Jean", "de la")),
        ("Martin Luther King Jr.", Name("King", "Martin Luther", "", "Jr.")),
        ("King, Jr., Martin Luther", Name("King", "Martin Luther", "", "Jr.")),
        ("King, Martin Luther, Jr.", Name("King", "Martin Luther", "", "Jr.")),
        ("Sutton, Jr.", Name("Sutton", "", "", "Jr.")),
        ("Alberto Del Bimbo", Name("Bimbo", "Alberto Del")),
        ("Niccolò Biondi", Name("Biondi", "Niccolò")),
        ("Plato", Name("Plato")),
        ("李华", Name("李华")),
    ],
)
def test_names_split_as_bibtex_reads_them(name: str, parts: Name) -> None:
    assert split_name(name) == parts


def test_special_characters_stay_text_in_every_format(tmp_path: Path) -> None:
    """BibTeX's special characters are escaped and come back as written; a name with "and"
    in it stays one name; a line break in an abstract cannot end a RIS record."""
    title = r"50% of {LaTeX} & $x_1^2$ #tags ~ \emph, naïve"
    authors = ("Ludwig van Beethoven", "José Ñúñez", "Research and Development Team")
    with Library.open(tmp_path / "lib.db", load_settings().beats) as lib:
        lib.upsert_paper(
            Paper(
                title=title,
                abstract="First line.\nER  - not an end\nLast line.",
                authors=authors,
                published=date(2026, 6, 1),
                arxiv=parse_arxiv_id("2606.00001v1"),
                primary_category="cs.LG",
                extra={"doi": "10.1000/{bad}"},  # not a DOI River writes: arXiv's instead
            ),
            FOUND,
        )
    out = exported(tmp_path / "lib.db")
    (entry,) = bibtex_entries(out["bibtex"]).values()
    assert (
        entry["title"]
        == "{" + r"50\% of \{LaTeX\} \& \$x\_1\^{}2\$ \#tags \~{} \textbackslash{}emph, naïve" + "}"
    )
    assert (
        entry["author"] == "Ludwig van Beethoven and José Ñúñez and {Research and Development Team}"
    )
    assert entry["doi"] == "10.48550/arXiv.2606.00001"
    (record,) = ris_records(out["ris"]).values()
    assert record["title"] == title
    assert record["authors"] == [
        "van Beethoven, Ludwig",
        "Ñúñez, José",
        "Team, Research and Development",
    ]
    assert record["abstract"] == "First line. ER - not an end Last line."
    (item,) = csl_items(out["csl-json"]).values()
    assert item["title"] == title
    assert item["author"][0] == {
        "family": "Beethoven",
        "given": "Ludwig",
        "non-dropping-particle": "van",
    }


# -- Y in the reader ----------------------------------------------------------------------------
async def test_y_copies_the_papers_one_entry_under_its_library_key(tmp_path: Path) -> None:
    """The entry ``Y`` copies is the one ``river export bibtex`` writes for the paper, byte for
    byte: here a paper that came in earlier holds the plain key, so the cursor's is ``…b``."""
    from test_ui import seeded_library

    db = seeded_library(tmp_path)
    with open_library(db) as lib:
        add(lib, "Newest Ideas", "Ada Lovelace", date(2026, 1, 5))
    add_linked_papers(db)
    whole = run_river("--db", str(db), "export", "bibtex").stdout
    async with settled_reader(db) as (app, pilot, reader):
        assert reader.stream.highlighted.title == ARXIV_TITLE
        await pilot.press("Y")
        await settle(app, pilot)  # the key is read off the UI thread
        copied = app.clipboard
        ((key, entry),) = bibtex_entries(copied).items()
        assert key == "lovelace2026newestb"
        assert (entry["eprint"], entry["author"]) == (ARXIV_ID, "Ada Lovelace and Alan Turing")
        assert copied in [entry + "\n" for entry in whole.rstrip("\n").split("\n\n")]
        await pilot.press("j", "Y")  # the web item: one entry, its link
        await settle(app, pilot)
        assert reader.stream.highlighted.title == WEB_TITLE
        (entry,) = bibtex_entries(app.clipboard).values()
        assert entry["howpublished"].startswith("\\url{https://")
