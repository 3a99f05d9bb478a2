"""Authors: one person's name across sources, following authors, "papers by NAME", and the
command line's `river list --author`, `river follow`, `river unfollow`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from river_tui.cli import main
from river_tui.domain import Discovery, Paper, TriageState, parse_arxiv_id
from river_tui.domain.authors import (
    AUTHORS_CHECKED,
    NAME_MAX,
    Following,
    author_key,
    authors_match,
    followed_in,
    new_by_followed,
    parse_key,
    same_author,
)
from river_tui.reader.actions import summary_of
from river_tui.store.library import Library, PaperFilter
from river_tui.store.migrations import LATEST

SAME = [
    ("R. Sutton", "Richard S. Sutton"),
    ("R. Sutton", "Richard Sutton"),
    ("Sutton, Richard", "Richard Sutton"),
    ("Sutton, R.", "R. Sutton"),
    ("Sutton, R. S.", "Richard S. Sutton"),
    ("RS Sutton", "Richard S. Sutton"),
    ("Kurt Gödel", "Godel, K."),
    ("Kurt Gödel", "KURT GODEL"),
    ("  richard   sutton ", "SUTTON,  Richard"),
    ("Jean-Pierre Serre", "J.-P. Serre"),
    ("Jean-Pierre Serre", "J. Serre"),
    ("A. Smith-Jones", "Smith-Jones, A."),
    ("Gabriel García Márquez", "García Márquez, G."),
    ("Ludwig van Beethoven", "Beethoven, Ludwig van"),
    ("Vincent Van Gogh", "van Gogh, V."),
    ("Le Song", "Song, Le"),
    ("Martin Luther King, Jr.", "M. L. King"),
    ("Conan O'Brien", "O'Brien, C."),
    ("Sutton", "Richard Sutton"),
    ("李伟", "李伟"),
]
DIFFERENT = [
    ("R. Sutton", "S. Sutton"),
    ("Li Wei", "Li Wen"),
    ("Richard S. Sutton", "Richard T. Sutton"),
    ("Richard Sutton", "Robert Sutton"),
    ("R. S. Sutton", "S. Sutton"),
    ("A. Jones", "A. Smith-Jones"),
    ("Conan O'Brien", "C. Brien"),
    ("Gabriel Márquez", "García Márquez, Gabriel"),
    ("Richard Sutton", "Richard Button"),
    ("Søren Kierkegaard", "Soren Kierkegaard"),  # ø has no decomposition: the index keeps it
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_names_of_one_person_match_both_ways(a: str, b: str) -> None:
    assert same_author(a, b)
    assert same_author(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_names_of_different_people_do_not_match_either_way(a: str, b: str) -> None:
    assert not same_author(a, b)
    assert not same_author(b, a)


def test_a_key_is_stored_as_text_and_read_back() -> None:
    key = author_key("Gabriel García Márquez")
    assert key is not None
    assert str(key) == "marquez|gabriel garcia"
    assert parse_key(str(key)) == key
    assert str(author_key("Sutton, R. S.")) == "sutton|r s"
    assert parse_key("") is None


def test_a_name_without_letters_has_no_key_and_matches_nothing() -> None:
    for name in ("", "   ", "...", "-, -"):
        assert author_key(name) is None
        assert not same_author(name, name)
    assert authors_match('["R. Sutton"]', "...") == 0


def test_work_on_a_name_is_bounded() -> None:
    huge = "Richard " * 1_000_000 + "Sutton"
    key = author_key(huge)
    assert key is not None
    assert len(str(key)) <= NAME_MAX  # read to NAME_MAX characters, whatever follows
    many = ["A. Nobody"] * (AUTHORS_CHECKED + 10) + ["R. Sutton"]
    assert followed_in(many, ["sutton|r"]) == []  # past the names a match reads
    assert authors_match(json.dumps(many), "R. Sutton") == 0
    assert authors_match(json.dumps(many[-5:]), "Richard Sutton") == 1
    assert authors_match("not json", "R. Sutton") == 0
    assert authors_match('{"a": 1}', "R. Sutton") == 0


def test_followed_in_names_the_followed_authors_of_a_paper_in_its_order() -> None:
    keys = [str(author_key("R. Sutton")), str(author_key("Gödel, Kurt"))]
    authors = ["Kurt Godel", "Ada Lovelace", "Richard S. Sutton", "Sam Sutton"]
    assert followed_in(authors, keys) == ["Kurt Godel", "Richard S. Sutton"]
    assert followed_in(authors, Following(keys)) == ["Kurt Godel", "Richard S. Sutton"]
    assert followed_in(authors, []) == []


# -- the library --------------------------------------------------------------------------------
def add(lib: Library, number: int, title: str, authors: list[str]) -> int:
    paper = Paper(
        title=title,
        abstract="An abstract.",
        arxiv=parse_arxiv_id(f"2601.{number:05d}"),
        authors=tuple(authors),
        published=date(2026, 1, number % 28 + 1),
    )
    discovery = Discovery("test", datetime(2026, 1, 1, tzinfo=UTC))
    return lib.upsert_paper(paper, discovery).pk


@pytest.fixture
def lib_path(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with Library.open(path) as lib:
        add(lib, 1, "Temporal-difference learning", ["Richard S. Sutton"])
        add(lib, 2, "Options", ["Sutton, R.", "Precup, Doina", "Singh, Satinder"])
        add(lib, 3, "Policy gradients", ["R. S. Sutton", "D. McAllester"])
        add(lib, 4, "A paper by another Sutton", ["S. Sutton"])
        add(lib, 5, "Incompleteness", ["Kurt Gödel"])
        add(lib, 6, "Sutton in the title only", ["A. Barto"])
    return path


def titles(lib: Library, flt: PaperFilter) -> set[str]:
    return {p.title for p in lib.papers(flt)}


def test_the_schema_has_the_followed_authors_table(lib_path: Path) -> None:
    assert LATEST >= 11
    with Library.open(lib_path) as lib:
        assert lib.health().schema_version == LATEST
        assert lib.followed() == []


def test_papers_by_a_name_match_it_across_sources_and_counts_agree(lib_path: Path) -> None:
    with Library.open(lib_path) as lib:
        by_sutton = {"Temporal-difference learning", "Options", "Policy gradients"}
        for name in ("R. Sutton", "Sutton, Richard", "richard sutton", "Richard S. Sutton"):
            flt = PaperFilter(author=name)
            assert titles(lib, flt) == by_sutton, name
            assert lib.count_view(flt) == (3, 3)
            assert lib.count(flt) == 3
        assert {p.title for p in lib.papers_by("S. Sutton")} == {"A paper by another Sutton"}
        assert titles(lib, PaperFilter(author="Godel")) == {"Incompleteness"}
        assert titles(lib, PaperFilter(author="Nobody")) == set()
        assert titles(lib, PaperFilter(author="...")) == set()
        # The filter narrows with the others: starred and by Sutton.
        pk = lib.papers(PaperFilter(author="R. Sutton"))[0].pk
        lib.set_starred(pk, True)
        assert len(lib.papers(PaperFilter(author="R. Sutton", starred=True))) == 1
        assert lib.position(PaperFilter(author="R. Sutton"), pk) == 0


def test_follow_unfollow_and_the_list(lib_path: Path) -> None:
    with Library.open(lib_path) as lib:
        assert lib.follow("Richard S. Sutton") is None
        already = lib.follow("Sutton, R.")  # a name the followed one matches
        assert already is not None and already.name == "Richard S. Sutton"
        assert lib.follow("Nobody Yet") is None  # followable before any paper of theirs
        assert [a.name for a in lib.followed()] == ["Richard S. Sutton", "Nobody Yet"]
        with pytest.raises(ValueError):
            lib.follow("...")
        following = lib.following()
        summaries = {p.title: p for p in lib.papers()}
        assert new_by_followed(summaries["Options"], following)
        assert not new_by_followed(summaries["A paper by another Sutton"], following)
        lib.set_state(summaries["Options"].pk, TriageState.READ)
        record = lib.record(summaries["Options"].pk)
        assert record is not None and not new_by_followed(summary_of(record), following)
        assert [a.name for a in lib.unfollow("R. Sutton")] == ["Richard S. Sutton"]
        assert lib.unfollow("R. Sutton") == []
        assert not lib.following().match("Richard S. Sutton")


def test_a_paper_of_many_authors_is_found_by_a_late_one_in_bounded_work(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    with Library.open(path) as lib:
        names = [f"Author{i} Person{i}" for i in range(5_000)]
        add(lib, 1, "A big collaboration", [*names[:100], "Richard Sutton", *names[100:]])
        add(lib, 2, "Sutton past what is read", [*names, "Richard Sutton"])
        assert titles(lib, PaperFilter(author="R. Sutton")) == {"A big collaboration"}


# -- the command line ---------------------------------------------------------------------------
def river(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_river_list_author_uses_the_same_rule(
    lib_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = river(capsys, lib_path, "list", "--author", "Sutton, Richard", "--json")
    assert code == 0
    assert {p["title"] for p in json.loads(out)} == {
        "Temporal-difference learning",
        "Options",
        "Policy gradients",
    }
    code, out, err = river(capsys, lib_path, "list", "--author", "?!")
    assert code == 2
    assert err.strip() == "river: not an author's name: '?!' (it needs a letter or a digit)"


def test_river_follow_and_unfollow_say_what_they_did_in_one_line(
    lib_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = river(capsys, lib_path, "follow", "R. Sutton")
    assert (code, out) == (0, "Following R. Sutton: 3 papers in the library, 3 new.\n")
    code, out, _ = river(capsys, lib_path, "follow", "Richard Sutton")
    assert (code, out) == (0, "Already following Richard Sutton (as R. Sutton).\n")
    code, out, _ = river(capsys, lib_path, "follow", "Ada Lovelace")
    assert (code, out) == (0, "Following Ada Lovelace: no paper in the library yet.\n")
    code, out, _ = river(capsys, lib_path, "follow", "--list")
    assert out == (
        "R. Sutton: 3 papers in the library, 3 new\nAda Lovelace: no paper in the library yet\n"
    )
    code, out, _ = river(capsys, lib_path, "unfollow", "Sutton, Richard S.")
    assert (code, out) == (0, "No longer following R. Sutton.\n")
    code, out, err = river(capsys, lib_path, "unfollow", "Sutton, Richard S.")
    assert (code, out) == (1, "")
    assert err == "river: not following Sutton, Richard S. (river follow --list)\n"
    code, _, err = river(capsys, lib_path, "follow")
    assert code == 2 and err == "river: give a NAME to follow, or --list (not both)\n"
    code, _, err = river(capsys, lib_path, "follow", "?!")
    assert code == 2 and "not an author's name" in err


def test_river_follow_list_with_nobody_followed(
    lib_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = river(capsys, lib_path, "follow", "--list")
    assert (code, out) == (0, "No author is followed (river follow NAME follows one).\n")
