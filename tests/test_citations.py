"""Citations: BibTeX of the library, read back with bibtexparser, under keys that are the same
in every export; ``Y`` in the reader copies one entry."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import bibtexparser
import pytest
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

from conftest import FIXTURES, run_river

HF_JSON = FIXTURES / "hf_daily_papers_2026-06-12_sotawhat.json"
ARXIV_OLD = FIXTURES / "arxiv_api_query_id_oldstyle_astro-ph_0601001.xml"
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


def exported(db: Path, *args: str) -> str:
    """What ``river export bibtex ARGS`` printed."""
    result = run_river("--db", str(db), "export", "bibtex", *args)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout


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


def test_the_sample_bibtex_parses_and_every_arxiv_paper_has_its_authors_and_eprint(
    sample: Path,
) -> None:
    bib = bibtex_entries(exported(sample))
    assert len(bib) == SAMPLE_PAPERS + 30 + 1

    arxiv = {key: entry["eprint"] for key, entry in bib.items() if "eprint" in entry}
    assert len(arxiv) == 31
    for key, eprint in arxiv.items():
        entry = bib[key]
        assert entry["author"] and entry["archivePrefix"] == "arXiv", key
        assert entry["url"] == f"https://arxiv.org/abs/{eprint}"
        assert entry["doi"] == f"10.48550/arXiv.{eprint}"
    old = bib["gould2006frequency"]
    assert (old["eprint"], old["primaryClass"]) == ("astro-ph/0601001", "astro-ph")
    assert old["author"] == "Andrew Gould and Susan Dorsher and B. Scott Gaudi and Andrzej Udalski"
    assert "Niccolò Biondi" in bib["biondi2026stationary"]["author"]

    # The saved pages name no author: no entry makes one up (an organization is not one).
    saved = [key for key in bib if key not in arxiv]
    assert len(saved) == SAMPLE_PAPERS
    assert all("author" not in bib[k] for k in saved)
    assert bib["anon2026how"]["organization"] == "alibaba"


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
    before = bibtex_entries(exported(db))
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
    entry = bibtex_entries(exported(db, "--query", "Adaptability"))["casanova2026limits"]
    assert entry["author"] == "Etienne Casanova and Rafal Kocielnik and R. Michael Alvarez"
    assert (entry["eprint"], entry["archivePrefix"]) == ("2606.00467", "arXiv")
    assert "organization" not in entry


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


def test_special_characters_stay_text_in_bibtex(tmp_path: Path) -> None:
    """BibTeX's special characters are escaped and come back as written; a name with "and"
    in it stays one name."""
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
    (entry,) = bibtex_entries(exported(tmp_path / "lib.db")).values()
    assert (
        entry["title"]
        == "{" + r"50\% of \{LaTeX\} \& \$x\_1\^{}2\$ \#tags \~{} \textbackslash{}emph, naïve" + "}"
    )
    assert (
        entry["author"] == "Ludwig van Beethoven and José Ñúñez and {Research and Development Team}"
    )
    assert entry["doi"] == "10.48550/arXiv.2606.00001"


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
