"""River's search language: the parser on its own, then every operator on a real library built
from the seeds plus four papers of our own, then `river list --query` as a real process."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from river_tui.domain import Discovery, Paper, QueryError, TriageState, parse_arxiv_id
from river_tui.domain.claims import Claim, ClaimEvent, Dossier, SourceKind, SourceLink
from river_tui.domain.query import MAX_LENGTH, MAX_TERMS, AnyOf, Field, Term, parse
from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.store.library import Library, PaperFilter
from river_tui.store.search import compile_query

from conftest import SEEDS, run_river

AS_OF = date(2026, 11, 22)
BRAZIL = "Three-Currency HJM for Brazilian Credit Markets"
CAPO = "CAPO: Towards Enhancing LLM Reasoning through Verifiable Generative Credit Assignment"

# Four papers of our own, with words no seed uses (quokka, marmot, ...), so that every result
# set below can be asserted exactly.
Q1 = "Quokka Policies for Sparse Rewards"
Q2 = "A Quokka Policy Gradient"
Q3 = "Marmot Benchmarks for Hallucination"
Q4 = "Quokka Field Notes"
OURS = [
    Paper(
        Q1,
        abstract="Credit assignment for quokka foraging over long horizons.",
        arxiv=parse_arxiv_id("2603.00001"),
        authors=("Ada Lovelace", "Alan Turing"),
        published=date(2026, 3, 10),
        categories=("cs.LG", "stat.ML"),
        primary_category="cs.LG",
    ),
    Paper(
        Q2,
        abstract="We assign credit to quokka actions with a marmot baseline.",
        arxiv=parse_arxiv_id("2512.00002"),
        authors=("Grace Hopper",),
        published=date(2025, 12, 31),
        categories=("cs.AI",),
        primary_category="cs.AI",
    ),
    Paper(
        Q3,
        abstract="We measure hallucination in marmot vision models.",
        arxiv=parse_arxiv_id("2406.00003"),
        authors=("Alan Smithee",),
        published=date(2024, 6, 1),
        categories=("cs.CV",),
        primary_category="cs.CV",
    ),
    # No arXiv id, no authors, no categories, no date.
    Paper(Q4, abstract="Observations of marsupial behaviour, written down by Ada."),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    home = tmp_path_factory.mktemp("query-home")
    with pytest.MonkeyPatch.context() as env:
        # The bundled beats, whatever the machine's own config folder holds.
        env.setenv("RIVER_CONFIG_DIR", str(home / "config"))
        beats = load_settings().beats
    lib = Library.open(home / "lib.db", beats)
    for path in sorted(SEEDS.glob("*.txt")):
        import_file(lib, path, AS_OF)
    pks = {}
    for paper in OURS:
        pks[paper.title] = lib.upsert_paper(paper, Discovery("test", datetime.now(UTC))).pk
    lib.set_state(pks[Q1], TriageState.READ)
    lib.set_state(pks[Q2], TriageState.SKIPPED)
    lib.set_state(pks[Q3], TriageState.ARCHIVED)
    lib.set_starred(pks[Q3], True)
    lib.set_starred(pks[Q4], True)
    lib.add_tag(pks[Q3], "Field Work")
    lib.add_tag(pks[Q4], "#evals")  # also the tag of the "Evaluation and benchmarks" beat
    lib.assign_beat(pks[Q4], "Interpretability")  # by hand: no include term of it occurs
    # Q2 is cited by a claim (by arXiv URL, with a version); a web source promotes nothing.
    source = SourceLink(SourceKind.PAPER, "https://arxiv.org/abs/2512.00002v1")
    web = SourceLink(SourceKind.WEB, "https://example.org/2406.00003")
    event = ClaimEvent(date(2026, 1, 2), "asserted", "claim")
    claim = Claim("Quokkas assign credit.", "claim", [source, web], [event])
    lib.save_dossier(Dossier("quokkas", "Quokkas", claims=[claim]))
    yield lib
    lib.close()


def titles(library: Library, query: str, type_ahead: bool = False) -> set[str]:
    found = library.papers(PaperFilter(query=query, type_ahead=type_ahead))
    assert library.count(PaperFilter(query=query, type_ahead=type_ahead)) == len(found)
    return {p.title for p in found}


# -- the parser ------------------------------------------------------------------------------


def test_parse_builds_terms_and_or_groups() -> None:
    query = parse('credit -"credit risk" ti:policy OR au:"Grace Hopper" is:READ since:2026')
    assert query.clauses == (
        Term(Field.ANY, "credit", position=1),
        Term(Field.ANY, "credit risk", negated=True, phrase=True, position=8),
        AnyOf(
            (
                Term(Field.TITLE, "policy", position=23),
                Term(Field.AUTHORS, "Grace Hopper", phrase=True, position=36),
            )
        ),
        Term(Field.IS, "read", position=54),
        Term(Field.SINCE, "2026-01-01", position=62),
    )
    assert str(query) == (
        'credit -"credit risk" ti:policy OR au:"Grace Hopper" is:read since:2026-01-01'
    )


def test_keywords_ignore_case_and_values_are_normalized() -> None:
    query = parse("TI:x Is:Starred a or b TAG:#Field_Work before:2026-06 BEAT:Frontier")
    assert [str(c) for c in query.clauses] == [
        "ti:x",
        "is:starred",
        "a OR b",
        "tag:field-work",
        "before:2026-06-01",
        "beat:Frontier",
    ]


def test_empty_query_and_wordless_terms_match_everything() -> None:
    assert parse("").is_empty and parse("   ").is_empty
    assert parse("— & -…").is_empty
    assert parse("a OR — b").clauses == (
        Term(Field.ANY, "a", position=1),
        Term(Field.ANY, "b", position=8),
    )


def test_a_word_ending_in_a_colon_is_a_word() -> None:
    assert parse("CAPO: Towards").clauses == (
        Term(Field.ANY, "CAPO:", position=1),
        Term(Field.ANY, "Towards", position=7),
    )


def test_only_exclusions_is_a_valid_query() -> None:
    assert parse("-is:read -x").clauses == (
        Term(Field.IS, "read", negated=True, position=1),
        Term(Field.ANY, "x", negated=True, position=10),
    )


def test_prefix_is_for_the_word_being_typed_only() -> None:
    assert [t.prefix for t in parse("credit assign", prefix_last=True).terms()] == [False, True]
    assert [t.prefix for t in parse("credit assign", prefix_last=False).terms()] == [False, False]
    # A space after the last word: it is finished.
    assert not any(t.prefix for t in parse("credit assign ", prefix_last=True).terms())
    # A closed phrase is exact; an exclusion is never widened; a field's text word is typed too.
    assert not any(t.prefix for t in parse('"credit assign"', prefix_last=True).terms())
    assert not any(t.prefix for t in parse("credit -assign", prefix_last=True).terms())
    assert parse("ti:assi", prefix_last=True).clauses == (
        Term(Field.TITLE, "assi", prefix=True, position=1),
    )


def test_type_ahead_forgives_what_is_not_finished() -> None:
    assert parse('credit "assign', prefix_last=True).clauses[-1] == Term(
        Field.ANY, "assign", phrase=True, prefix=True, position=8
    )
    for text in ("credit OR", "credit -", "credit ti:", "credit or"):
        assert str(parse(text, prefix_last=True)) == "credit", text


def test_type_ahead_waits_for_an_is_value_or_a_date_being_typed() -> None:
    # "is:sta" on its way to "is:starred", "since:2026-0" to a month: no error flashes by.
    for text in ("credit is:sta", "credit is:s", "credit since:2026-0", "credit before:20"):
        assert str(parse(text, prefix_last=True)) == "credit", text
    assert str(parse("credit is:starred", prefix_last=True)) == "credit is:starred"
    assert str(parse("since:2026", prefix_last=True)) == "since:2026-01-01"
    for text in ("since:2026-1", "since:2026-04-3", "before:2026-01-"):
        assert str(parse(text, prefix_last=True)) == "", text
    # Finished (a space after it, or Enter), the same text is an error.
    for text in ("is:sta ", "since:2026-0 "):
        with pytest.raises(QueryError):
            parse(text, prefix_last=True)
    # So is a date no more typing can make one: it shows at once, rather than a filter that
    # looks applied and is not (a month 13, February 30).
    for text in ("since:2026-13", "since:2026-13-01", "since:2026-02-30", "before:2026-02-3"):
        with pytest.raises(QueryError, match="is not a date"):
            parse(text, prefix_last=True)
    for text in ("since:2026-00", "since:20-1", "since:2026-1-", "since:2026-²", "since:²"):
        with pytest.raises(QueryError, match="is not a date"):
            parse(text, prefix_last=True)
    with pytest.raises(QueryError, match="is:sta is unknown"):
        parse("is:sta")


def test_and_and_not_in_capitals_are_what_a_space_and_a_dash_do() -> None:
    assert str(parse("credit AND agent")) == "credit agent"
    assert str(parse("credit NOT risk")) == "credit -risk"
    assert str(parse('NOT ti:"credit card" a OR b')) == '-ti:"credit card" a OR b'
    # In lower case they are words, as in a title: "Attention is not Explanation".
    assert str(parse("attention is not explanation")) == "attention is not explanation"
    assert str(parse("credit and")) == "credit and"
    # Being typed, a trailing one waits for its term.
    for text in ("credit AND", "credit NOT", "credit AND "):
        assert str(parse(text, prefix_last=True)) == "credit", text


def test_a_word_being_typed_narrows_from_its_second_letter() -> None:
    # One letter as a prefix matches nearly every paper: it waits for the next letter.
    for text in ("credit a", "credit ti:a", 'credit "a'):
        assert str(parse(text, prefix_last=True)) == "credit", text
    assert str(parse("c", prefix_last=True)) == ""
    assert str(parse("credit as", prefix_last=True)) == "credit as*"
    # Finished words and exclusions of one letter stay what they say.
    assert str(parse("credit a ", prefix_last=True)) == "credit a"
    assert str(parse("credit -a", prefix_last=True)) == "credit -a"
    assert str(parse("credit a", prefix_last=False)) == "credit a"


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("foo:bar", "unknown field 'foo:'", 1),
        ("x -Foo:bar", "unknown field 'Foo:'", 4),
        ('credit "risk', "unterminated quote", 8),
        ('ti:"credit', "unterminated quote", 4),
        ("is:maybe", "is:maybe is unknown", 4),
        ("since:2026-13-01", "'2026-13-01' is not a date", 7),
        ("before:soon", "'soon' is not a date", 8),
        ("a OR", "OR needs a term on both sides", 3),
        ("OR a", "OR needs a term on both sides", 1),
        ("a OR or b", "OR needs a term on both sides", 6),
        ("a - b", "'-' needs a term right after it", 3),
        ("a AND", "AND needs a term on both sides", 3),
        ("AND a", "AND needs a term on both sides", 1),
        ("a AND OR b", "OR needs a term on both sides", 7),
        ("a OR AND b", "AND needs a term on both sides", 6),
        ("a NOT", "NOT needs a term right after it", 3),
        ("a NOT OR b", "NOT needs a term right after it", 3),
        ("NOT -a", "NOT needs a term right after it", 1),
        ("x ti: credit", "ti: needs a value right after it", 3),
        ("tag:#", "tag: needs a value right after it", 1),
        ('beat:""', "beat: needs a value right after it", 1),
    ],
)
def test_parse_errors_say_what_and_where(text: str, message: str, position: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert (caught.value.message, caught.value.position) == (message, position)
    assert str(caught.value).startswith(f"{message} at {position}")


def test_errors_carry_a_hint_on_what_is_right() -> None:
    with pytest.raises(QueryError, match="is: takes new, read, skipped, archived, starred or "):
        parse("is:maybe")
    with pytest.raises(QueryError, match="since: takes a date like 2026-06-01"):
        parse("since:yesterday")
    with pytest.raises(QueryError, match=r"fields are ti:, au:, abs:, cat:, tag:, beat:"):
        parse("foo:bar")


def test_type_ahead_still_refuses_what_is_wrong() -> None:
    with pytest.raises(QueryError, match="OR needs a term on both sides at 1"):
        parse("OR credit", prefix_last=True)
    with pytest.raises(QueryError, match="is:x is unknown"):
        parse("is:x", prefix_last=True)


def test_a_query_has_a_limit_on_terms_and_length() -> None:
    assert len(list(parse(" ".join(f"cat:c{i}" for i in range(MAX_TERMS))).terms())) == MAX_TERMS
    many = " ".join(f"w{i}" for i in range(MAX_TERMS + 1))
    for typing in (False, True):
        with pytest.raises(QueryError) as caught:
            parse(many, prefix_last=typing)
        assert caught.value.message == f"a query holds at most {MAX_TERMS} terms"
        assert caught.value.position == many.index(f"w{MAX_TERMS}") + 1  # the first one too many
    # Words with nothing to search for are not terms, and do not count.
    assert len(list(parse(" ".join(["—"] * 1000 + ["credit"])).terms())) == 1
    parse("q" * MAX_LENGTH)
    too_long = f"a query is at most 10,000 characters at {MAX_LENGTH + 1}"
    with pytest.raises(QueryError, match=too_long):
        parse("q" * (MAX_LENGTH + 1), prefix_last=True)


# Every kind of term, for the shapes of query at the limit below.
SHAPES = [
    "cat:c{i}", "-cat:c{i}", "tag:evals", "-tag:t{i}", "beat:frontier", "-beat:frontier",
    "is:promoted", "-is:new", "since:2020", "-before:2020", "ti:w{i}", "-au:w{i}",
    '"w{i} x"', '-"w{i} x"', "w{i}",
]  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
def test_every_query_within_the_limits_runs(library: Library, shape: str) -> None:
    """At the limit, AND or OR, typed ahead or not, inside a view of every narrowing: no query
    reaches one of SQLite's limits (990 ``cat:`` terms did: "Expression tree is too large")."""
    view = {"beat": "Frontier capability", "tag": "evals", "state": TriageState.NEW,
            "starred": False, "dossier": "quokkas"}  # fmt: skip
    for join in (" ", " OR "):
        for typing in (False, True):
            terms = [shape.format(i=i) for i in range(MAX_TERMS - typing)]
            query = join.join([*terms, "quok"] if typing else terms)
            for narrowed in ({}, view):
                flt = PaperFilter(query=query, type_ahead=typing, **narrowed)
                assert library.count(flt) == len(library.papers(flt))


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(" ".join(f"cat:c{i}" for i in range(995)), id="995-cat"),
        pytest.param(" ".join(f"tag:t{i}" for i in range(990)), id="990-tag"),
        pytest.param(" OR ".join(f"is:new since:20{i % 100:02}" for i in range(500)), id="or"),
        # Typed, a LIKE pattern over SQLite's 50,000 bytes ("pattern too complex").
        pytest.param("cat:" + "q" * 100_000, id="100KB-category"),
        pytest.param("credit " + "é" * 20_000, id="40KB-word"),
    ],
)
def test_a_query_over_the_limits_is_an_error_not_a_failure(library: Library, query: str) -> None:
    for typing in (False, True):
        with pytest.raises(QueryError, match=r"a query (holds|is) at most"):
            library.papers(PaperFilter(query=query, type_ahead=typing))


def test_fts_syntax_never_leaks(library: Library) -> None:
    sql, params = compile_query(parse('a"b NEAR(x y) {title}x ^q* "c""d" "AND" "NOT"'), [])
    assert sql.count("MATCH ?") == 1
    assert params == [
        '"a""b" AND "NEAR(x" AND "y)" AND "{title}x" AND "^q*" AND "c" AND "d" AND "AND" AND "NOT"'
    ]
    for text in ('quokka* ^marmot "', "NEAR(quokka marmot)", "quokka:", "*", '"OR"', "a AND"):
        library.papers(PaperFilter(query=text, type_ahead=True))  # no sqlite3 error


# -- every operator, on a real library -----------------------------------------------------------


def test_bare_words_all_must_match_in_title_abstract_or_authors(library: Library) -> None:
    assert titles(library, "quokka") == {Q1, Q2, Q4}
    assert titles(library, "marmot") == {Q2, Q3}
    assert titles(library, "quokka marmot") == {Q2}
    assert titles(library, "ada") == {Q1, Q4}  # an author of Q1, a word of Q4's abstract
    assert titles(library, "Brazilian") == {BRAZIL}
    assert titles(library, "CAPO: Towards") == {CAPO}


def test_phrases_are_words_together_in_order(library: Library) -> None:
    assert titles(library, "quokka credit assignment") == {Q1, Q2}  # Q2: "assign credit"
    assert titles(library, 'quokka "credit assignment"') == {Q1}
    assert titles(library, "credit foraging") == {Q1}
    assert titles(library, '"credit foraging"') == set()
    # Stemmed in phrases too: Q2 says "assign credit".
    assert titles(library, 'quokka "assignment credit"') == {Q2}


def test_stemming_finds_other_forms(library: Library) -> None:
    assert titles(library, "quokka policies") == titles(library, "quokka policy") == {Q1, Q2}
    assert titles(library, "policies") == titles(library, "policy")
    assert len(titles(library, "policy")) > 20


def test_exclusion(library: Library) -> None:
    assert titles(library, "quokka -marmot") == {Q1, Q4}
    assert titles(library, 'quokka -"credit assignment"') == {Q2, Q4}
    assert titles(library, "quokka -ti:policy") == {Q4}
    assert titles(library, "quokka -is:read -is:skipped") == {Q4}
    with_credit = titles(library, "credit")
    assert titles(library, 'credit -"credit assignment"') == with_credit - titles(
        library, '"credit assignment"'
    )
    assert BRAZIL in titles(library, 'credit -"credit assignment"')
    assert CAPO not in titles(library, 'credit -"credit assignment"')


def test_only_exclusions_mean_everything_except(library: Library) -> None:
    everything = {p.title for p in library.papers()}
    assert len(everything) == 72
    assert titles(library, "-quokka") == everything - {Q1, Q2, Q4}
    assert titles(library, "-is:new") == {Q1, Q2, Q3}
    assert titles(library, "-marmot -quokka -credit") == everything - {Q1, Q2, Q3, Q4} - titles(
        library, "credit"
    )


@pytest.mark.parametrize(
    "term",
    [
        "quokka",
        '"credit assignment"',
        "au:alan",
        "cat:cs.LG",
        "tag:evals",
        "beat:frontier",
        "is:new",
        "is:read",
        "is:starred",
        "is:promoted",
        "since:2026",
        "before:2025-06-01",
    ],
)
def test_a_term_and_its_exclusion_split_the_library(library: Library, term: str) -> None:
    everything = {p.title for p in library.papers()}
    assert titles(library, term) | titles(library, "-" + term) == everything
    assert not titles(library, term) & titles(library, "-" + term)


def test_or(library: Library) -> None:
    assert titles(library, "lovelace OR hopper") == {Q1, Q2}
    assert titles(library, "lovelace or hopper or smithee") == {Q1, Q2, Q3}
    assert titles(library, "marmot OR lovelace quokka") == {Q1, Q2}  # (marmot OR lovelace) quokka
    assert titles(library, "is:starred OR is:promoted") == {Q2, Q3, Q4}
    assert titles(library, "ti:field OR cat:cs.ai") == {Q2, Q4}
    assert titles(library, "quokka -marmot OR is:read") == {Q1, Q4}
    assert titles(library, "quokka -cat:cs.LG OR -cat:cs.AI") == {Q1, Q2, Q4}


def test_field_prefixes(library: Library) -> None:
    assert titles(library, "ti:quokka") == {Q1, Q2, Q4}
    assert titles(library, "abs:quokka") == {Q1, Q2}
    assert titles(library, "abs:marmot") == {Q2, Q3}
    assert titles(library, "au:ada") == {Q1}
    assert titles(library, "au:alan") == {Q1, Q3}
    assert titles(library, 'au:"grace hopper"') == {Q2}
    assert titles(library, 'au:"hopper grace"') == set()
    assert titles(library, 'abs:"credit assignment" quokka') == {Q1}
    assert titles(library, 'ti:"credit assignment" quokka') == set()
    assert CAPO in titles(library, 'ti:"credit assignment"')


def test_categories(library: Library) -> None:
    assert titles(library, "cat:cs.LG") == {Q1}
    assert titles(library, "cat:STAT.ml") == {Q1}  # not the primary one; any case
    assert titles(library, "cat:cs.AI OR cat:cs.CV") == {Q2, Q3}
    assert titles(library, "cat:cs") == set()  # a category, not a prefix
    # ... unless it is being typed: then it matches as a prefix, as a word does.
    assert titles(library, "cat:cs", type_ahead=True) == {Q1, Q2, Q3}
    assert titles(library, "cat:stat.m", type_ahead=True) == {Q1}
    assert titles(library, "cat:cs.l", type_ahead=True) == {Q1}
    assert titles(library, "cat:cs_", type_ahead=True) == set()  # _ is no wildcard
    assert titles(library, "quokka -cat:cs.L", type_ahead=True) == {Q1, Q2, Q4}  # no prefix
    assert titles(library, "quokka -cat:cs.LG") == {Q2, Q4}


def test_each_is_value(library: Library) -> None:
    assert titles(library, "is:read") == {Q1}
    assert titles(library, "is:skipped") == {Q2}
    assert titles(library, "is:archived") == {Q3}
    assert titles(library, "is:starred") == {Q3, Q4}
    assert titles(library, "is:promoted") == {Q2}
    assert titles(library, "is:new quokka") == {Q4}
    assert len(titles(library, "is:new")) == 69  # 68 seeds, never triaged, and Q4
    assert titles(library, "IS:NEW") == titles(library, "is:new")
    assert titles(library, "quokka -is:starred") == {Q1, Q2}


def test_dates(library: Library) -> None:
    assert titles(library, "since:2026-03-10 before:2026-03-11") == {Q1}
    assert titles(library, "since:2025-12-31 before:2026") == {Q2}
    assert titles(library, "since:2000 quokka") == {Q1, Q2}  # Q4 has no date
    assert titles(library, "-since:2026 quokka") == {Q2, Q4}  # ... so it is on the other side
    assert titles(library, "before:2024-06-02 since:2024-06") == {Q3}
    dated = [p for p in library.papers(PaperFilter(query="since:2026-06")) if p.published]
    assert dated and all(p.published >= date(2026, 6, 1) for p in dated)
    assert not titles(library, "before:2021-10-21")


def test_tags_are_the_readers_and_the_beats(library: Library) -> None:
    assert titles(library, "tag:field-work") == {Q3}
    assert titles(library, 'tag:"Field Work"') == {Q3}
    assert titles(library, "tag:#FIELD_WORK") == {Q3}
    # "evals" is the tag of the "Evaluation and benchmarks" beat (Q3 is on it by its
    # "hallucination") and the reader's own tag on Q4.
    on_beat = {p.title for p in library.papers(PaperFilter(beat="Evaluation and benchmarks"))}
    assert Q3 in on_beat and Q4 not in on_beat
    assert titles(library, "tag:evals") == on_beat | {Q4}
    assert titles(library, "tag:evals marmot OR quokka") == {Q3, Q4}
    assert titles(library, "-tag:evals quokka") == {Q1, Q2}
    assert titles(library, "tag:evals") == {
        p.title for p in library.papers(PaperFilter(tag="evals"))
    }


def test_beats_by_name_prefix_or_slug(library: Library) -> None:
    frontier = {p.title for p in library.papers(PaperFilter(beat="Frontier capability"))}
    assert {Q1, Q2} <= frontier and len(frontier) == 46
    for text in ('beat:"Frontier capability"', "beat:frontier", "beat:FRONT", "beat:frontier-cap"):
        assert titles(library, text) == frontier, text
    assert titles(library, "beat:frontier quokka") == {Q1, Q2}
    assert titles(library, "-beat:frontier quokka") == {Q4}
    assert titles(library, "beat:eval marmot") == {Q3}
    assert titles(library, "beat:evaluation-and-benchmarks") == titles(library, "beat:eval")


def test_a_beat_assigned_by_hand_counts_for_beat_and_its_tags(library: Library) -> None:
    assert titles(library, "beat:interp quokka") == {Q4}
    assert titles(library, "tag:interpretability quokka") == {Q4}
    assert Q4 in {p.title for p in library.papers(PaperFilter(beat="Interpretability"))}
    assert Q4 in {p.title for p in library.papers(PaperFilter(tag="interpretability"))}


def test_beat_errors_name_the_beat_and_list_the_beats(library: Library) -> None:
    with pytest.raises(QueryError) as caught:
        library.papers(PaperFilter(query="quokka beat:nope"))
    assert caught.value.position == 8
    assert str(caught.value) == (
        "no beat named 'nope' at 8; beats: Frontier capability, Agents and tool use, "
        "Reasoning and post-training, Alignment and safety, Interpretability, "
        "Evaluation and benchmarks"
    )
    with pytest.raises(QueryError, match="beat:a names more than one beat at 1; it could be "):
        library.count(PaperFilter(query="beat:a"))


def test_type_ahead_matches_the_last_word_as_a_prefix(library: Library) -> None:
    assert titles(library, "quok") == set()
    assert titles(library, "quok", type_ahead=True) == {Q1, Q2, Q4}
    assert titles(library, "marmot lovel", type_ahead=True) == set()
    assert titles(library, "quokka lovel", type_ahead=True) == {Q1}
    assert titles(library, "ti:quok", type_ahead=True) == {Q1, Q2, Q4}
    assert titles(library, "au:hop", type_ahead=True) == {Q2}
    assert titles(library, "quokka lovel ", type_ahead=True) == set()  # finished word
    assert titles(library, "lovel quokka", type_ahead=True) == set()  # only the last word
    assert titles(library, 'quokka "credit assig', type_ahead=True) == {Q1}


def test_type_ahead_finds_words_whose_stem_the_prefix_has_passed(library: Library) -> None:
    # "assignment" is indexed as its stem "assign": "assignm"* alone would find nothing.
    for typed in ("assig", "assign", "assignm", "assignmen", "assignment"):
        expected = {Q1, Q2} if len(typed) <= 6 or typed == "assignment" else {Q1}
        assert titles(library, f"quokka {typed}", type_ahead=True) == expected, typed
    # Typed "reasoni": the papers with a word that starts so (not those with only "reason").
    having = {
        r.paper.title
        for p in library.papers()
        if (r := library.record(p.pk)) and "reasoni" in (r.paper.title + r.paper.abstract).lower()
    }
    assert having and having < titles(library, "reasoning")
    assert titles(library, "reasoni", type_ahead=True) == having
    assert titles(library, "reasonin", type_ahead=True) == having


# -- the command line ----------------------------------------------------------------------------


def river(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_river("--db", db, *args)


@pytest.mark.parametrize(
    "query",
    [
        "quokka -marmot",
        'abs:"credit assignment" OR au:hopper',
        "beat:frontier -is:new",
        "tag:evals OR is:promoted since:2024",
        "policies -cat:cs.LG",
        "-is:read",
    ],
)
def test_river_list_query_gives_the_same_papers_as_the_library(
    library: Library, query: str
) -> None:
    result = river(library.path, "list", f"--query={query}", "--json")
    assert result.returncode == 0, result.stderr
    expected = [p.id for p in library.papers(PaperFilter(query=query))]
    assert expected
    assert [p["id"] for p in json.loads(result.stdout)] == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo:bar", "unknown field 'foo:' at 1"),
        ('credit "risk', "unterminated quote at 8"),
        ("beat:nope", "no beat named 'nope' at 1"),
        pytest.param(
            " ".join(f"cat:c{i}" for i in range(995)),
            "a query holds at most 300 terms at 2591",  # the first one too many
            id="995-cat-terms",
        ),
    ],
)
def test_a_bad_query_is_one_line_and_a_failure(library: Library, query: str, message: str) -> None:
    result = river(library.path, "list", f"--query={query}", "--json")
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
