"""Each arXiv version River sees is kept (schema step 13): the real response for 1605.08386v1,
then the same response edited as arXiv's v2 would be (tests/fixtures/SOURCES.md, ``edited/``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from river_tui.domain.claims import Dossier, Quote, SourceLink
from river_tui.domain.quotes import Outcome, quote_of, recheck, split_sentences
from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.store.library import Library, LibraryError

from conftest import FIXTURES, ROOT, STEP_13, run_river

V1 = FIXTURES / "arxiv_api_query_id_1605.08386.xml"
V2 = ROOT / "tests" / "fixtures" / "edited" / "arxiv_api_query_id_1605.08386v2_edited.xml"
AS_OF = date(2026, 12, 7)
CHANGED = "We show that the diameter of these graphs on fibers of a fixed integer matrix"


def open_library(path: Path) -> Library:
    return Library.open(path, load_settings().beats)


def test_each_version_is_kept_as_first_seen_and_the_paper_shows_the_newest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lib.db"
    with open_library(path) as lib:
        import_file(lib, V1, AS_OF)
        import_file(lib, V2, AS_OF)
        import_file(lib, V1, AS_OF)  # an older listing again: no version changes
        pk = lib.resolve("1605.08386")
        assert pk is not None
        v1, v2 = lib.versions(pk)
        record = lib.record(pk)
        assert record is not None
    assert (v1.number, v1.dated, v1.comment) == (1, date(2016, 5, 26), "20 pages, 3 figures")
    assert (v2.number, v2.dated) == (2, date(2016, 6, 20))
    assert v2.comment == "21 pages, 3 figures; the diameter bound made explicit"
    assert "bounded from above by a constant." in v1.abstract
    assert "a constant that depends only on the matrix." in v2.abstract
    assert record.paper.version == 2 and record.paper.abstract == v2.abstract
    assert v1.source == v2.source


def test_a_library_from_before_keeps_the_version_it_holds(tmp_path: Path) -> None:
    """Schema step 13 on a library that had no versions table: each arXiv paper's version,
    as its row holds it."""
    path = tmp_path / "lib.db"
    with open_library(path) as lib:
        import_file(lib, V1, AS_OF)
    conn = sqlite3.connect(path)
    conn.executescript(STEP_13 + "PRAGMA user_version = 12;")
    conn.close()
    with open_library(path) as lib:
        pk = lib.resolve("1605.08386")
        assert pk is not None
        (v1,) = lib.versions(pk)
    assert (v1.number, v1.comment, v1.source) == (1, "20 pages, 3 figures", "library")


def test_a_quote_of_v1_is_changed_in_v2_with_the_words_that_changed(tmp_path: Path) -> None:
    """The kept versions are what a claim's quote is checked against (domain.quotes)."""
    with open_library(tmp_path / "lib.db") as lib:
        import_file(lib, V1, AS_OF)
        import_file(lib, V2, AS_OF)
        pk = lib.resolve("1605.08386")
        assert pk is not None
        v1, v2 = lib.versions(pk)
    (quoted,) = [s for s in split_sentences(v1.abstract) if s.text.startswith(CHANGED)]
    check = recheck(quote_of(v1.abstract, quoted), v2.abstract)
    assert check.outcome is Outcome.CHANGED
    assert [(c.op, c.words) for c in check.diff if c.op != "="] == [
        ("-", "constant."),
        ("+", "constant that depends only on the matrix."),
    ]
    first = split_sentences(v1.abstract)[0]
    assert recheck(quote_of(v1.abstract, first), v2.abstract).outcome is Outcome.KEPT
    assert recheck(Quote(first.text), v2.abstract).outcome is Outcome.KEPT  # a bare quote


URL = "https://arxiv.org/abs/1605.08386"


def lattice_v1(lib: Library) -> tuple[SourceLink, SourceLink]:
    """v1 imported and the dossier ``lattice`` made: a source quoting v1's sentence that v2
    changes, and one quoting its first sentence, which v2 keeps."""
    import_file(lib, V1, AS_OF)
    pk = lib.resolve("1605.08386")
    assert pk is not None
    (v1,) = lib.versions(pk)
    sentences = split_sentences(v1.abstract)
    changed = next(s for s in sentences if s.text.startswith(CHANGED))
    lib.create_dossier(Dossier(slug="lattice", title="Lattice walks"))
    changed_source, kept_source = (
        SourceLink.make("paper", URL, "Lattice", quote_of(v1.abstract, s))
        for s in (changed, sentences[0])
    )
    return changed_source, kept_source


def test_a_new_version_puts_the_claims_whose_quote_changed_under_review(tmp_path: Path) -> None:
    """v2 changes one sentence of 1605.08386: the claim quoting it gets River's event (the
    versions, the old and the new sentence) and is under review, its badge untouched; the
    claim quoting an unchanged sentence and a retracted claim get nothing; the same v2 again
    adds nothing."""
    with open_library(tmp_path / "lib.db") as lib:
        on_changed_source, on_kept_source = lattice_v1(lib)
        on_changed = lib.assert_claim(
            "lattice", "The diameter is bounded.", "caveat", [on_changed_source], AS_OF
        )
        on_kept = lib.assert_claim("lattice", "Lattice graphs.", "caveat", [on_kept_source], AS_OF)
        retracted = lib.assert_claim("lattice", "Retracted.", "caveat", [on_changed_source], AS_OF)
        lib.retract(retracted, "misread", AS_OF)
        import_file(lib, V2, AS_OF)
        import_file(lib, V2, AS_OF)
        dossier = lib.dossier("lattice")
    assert dossier is not None
    claims = {c.id: c for c in dossier.claims}
    flagged = claims[on_changed]
    assert flagged.review == "changed" and flagged.badge == "caveat"
    *_, event = flagged.events
    assert (event.action, event.actor, event.headline) == (
        "rechecked",
        "river",
        "rechecked by River",
    )
    assert event.note.startswith("v1 → v2: the quoted sentence changed: “" + CHANGED)
    assert event.note.endswith("by a constant that depends only on the matrix.”")
    assert len(flagged.events) == 2  # asserted, then River's one event (v2 twice: once)
    assert claims[on_kept].review is None and len(claims[on_kept].events) == 1
    assert claims[retracted].review is None
    assert [e.action for e in claims[retracted].events] == ["asserted", "retracted"]


def test_river_claims_lists_what_needs_review_with_the_version_quoted(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    with open_library(db) as lib:
        changed, kept = lattice_v1(lib)
        lib.assert_claim("lattice", "Bounded.", "caveat", [changed], AS_OF)
        lib.assert_claim("lattice", "Studied.", "caveat", [kept], AS_OF)
        import_file(lib, V2, AS_OF)
    done = run_river("--db", str(db), "claims", "--needs-review", "--json")
    assert done.returncode == 0, done.stderr
    (claim,) = json.loads(done.stdout)
    assert (claim["dossier"], claim["text"], claim["review"]) == ("lattice", "Bounded.", "changed")
    (source,) = claim["sources"]
    assert changed.quote is not None
    assert (source["paper"], source["version"], source["quote"]) == (
        "1605.08386",
        1,
        changed.quote.exact,
    )
    assert [(e["action"], e["by"]) for e in claim["events"]] == [
        ("asserted", "you"),
        ("rechecked", "River"),
    ]
    lines = run_river("--db", str(db), "claims").stdout.splitlines()
    assert len(lines) == 2 and lines[0].endswith("Bounded.  (needs review: changed)")
    refused = run_river("--db", str(db), "claims", "--dossier", "nope")
    assert refused.returncode != 0
    assert refused.stderr.strip() == "river: no dossier 'nope' (dossiers: lattice)"


def flagged_library(db: Path) -> tuple[int, int]:
    """v1 imported, two claims quoting its changed sentence, v2 imported: both under review.
    Their ids."""
    with open_library(db) as lib:
        source, _kept = lattice_v1(lib)
        first = lib.assert_claim("lattice", "Bounded.", "caveat", [source], AS_OF)
        second = lib.assert_claim("lattice", "Bounded, twice.", "caveat", [source], AS_OF)
        import_file(lib, V2, AS_OF)
    return first, second


def test_river_claim_review_accepts_or_retracts_and_either_answers_it(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    first, second = flagged_library(db)
    listed = json.loads(run_river("--db", str(db), "claims", "--needs-review", "--json").stdout)
    assert [c["id"] for c in listed] == [first, second]  # two claims quoting one paper
    done = run_river("--db", str(db), "claim", "review", str(first), "--accept")
    assert (done.returncode, done.stdout) == (0, f"Claim #{first} kept as it is.\n")
    refused = run_river("--db", str(db), "claim", "review", str(second), "--retract")
    assert refused.returncode == 2
    assert refused.stderr == "river: a retraction needs a reason: --reason TEXT\n"
    done = run_river(
        "--db", str(db), "claim", "review", str(second), "--retract", "--reason", "v2 says less"
    )
    assert done.returncode == 0, done.stderr
    again = run_river("--db", str(db), "claim", "review", str(first), "--accept")
    assert again.returncode == 1
    assert again.stderr == f"river: claim #{first} is not under review\n"
    assert run_river("--db", str(db), "claims", "--needs-review").stdout == ""
    with open_library(db) as lib:
        dossier = lib.dossier("lattice")
    assert dossier is not None
    kept, retracted = dossier.claims
    assert [(e.action, e.actor) for e in kept.events] == [
        ("asserted", "you"),
        ("rechecked", "river"),
        ("accepted", "you"),
    ]
    assert kept.events[-1].note == "kept as it is (changed)" and kept.badge == "caveat"
    assert retracted.status == "retracted" and retracted.events[-1].note == "v2 says less"


def test_the_dossier_cites_the_version_quoted_and_reads_it_back(tmp_path: Path) -> None:
    """``— “…” (arXiv:1605.08386v1)`` in the dossier Markdown; imported again, the quote keeps
    its version (not the newest the library holds)."""
    from river_tui.exports.dossier_md import render_dossier
    from river_tui.sources.dossier_md import parse_dossier

    with open_library(tmp_path / "lib.db") as lib:
        changed, _kept = lattice_v1(lib)
        lib.assert_claim("lattice", "Bounded.", "caveat", [changed], AS_OF)
        import_file(lib, V2, AS_OF)
        dossier = lib.dossier("lattice")
    assert dossier is not None and changed.quote is not None
    text = render_dossier(dossier)
    assert f"“{changed.quote.exact}” (arXiv:1605.08386v1)" in text
    (claim,) = parse_dossier(text).claims
    (source,) = claim.sources
    assert source.quote is not None
    assert (source.quote.exact, source.quote.version) == (changed.quote.exact, 1)
    with open_library(tmp_path / "other.db") as lib:
        import_file(lib, V2, AS_OF)
        parsed = parse_dossier(text)
        lib.save_dossier(parsed)
        again = lib.dossier(parsed.slug)
    assert again is not None
    (saved,) = again.claims
    assert saved.sources[0].quote is not None and saved.sources[0].quote.version == 1


def test_bibtex_and_the_river_page_cite_the_version_quoted(tmp_path: Path) -> None:
    """A claim quoting v1 while the library holds v2: the dossier's BibTeX cites v1 in its
    ``url`` (``eprint`` is the bare id, as arXiv writes it), and the river page of a tag the
    paper carries lists the claim's card with its source at v1."""
    db = tmp_path / "lib.db"
    with open_library(db) as lib:
        changed, _kept = lattice_v1(lib)
        lib.assert_claim("lattice", "Bounded.", "caveat", [changed], AS_OF)
        import_file(lib, V2, AS_OF)
        pk = lib.resolve("1605.08386")
        assert pk is not None
        lib.add_tag(pk, "walks")
    bib = run_river("--db", str(db), "export", "bibtex", "--dossier", "lattice").stdout
    assert "  eprint = {1605.08386},\n" in bib
    assert "  url = {https://arxiv.org/abs/1605.08386v1}\n" in bib
    plain = run_river("--db", str(db), "export", "bibtex").stdout  # no claim: the paper's id
    assert "  url = {https://arxiv.org/abs/1605.08386}\n" in plain
    river = run_river("--db", str(db), "export", "river", "--tag", "walks")
    assert river.returncode == 0, river.stderr
    assert "Bounded." in river.stdout
    assert "Lattice arxiv.org/abs/1605.08386v1 paper" in river.stdout


def test_river_claim_add_quotes_a_sentence_of_the_abstract_and_nothing_else(
    tmp_path: Path,
) -> None:
    db = tmp_path / "lib.db"
    with open_library(db) as lib:
        lattice_v1(lib)
    pk_args = ("--db", str(db), "claim", "add", "--dossier", "lattice", "--paper", "1605.08386")
    sentence = "We then study the mixing behaviour of heat-bath random walks on these graphs."
    done = run_river(*pk_args, "--quote", sentence, "--badge", "caveat", "--text", "Mixing.")
    assert (done.returncode, done.stdout) == (0, "Claim #1 added to lattice.\n"), done.stderr
    refused = run_river(
        *pk_args, "--quote", "We show it is fast.", "--badge", "caveat", "--text", "No."
    )
    assert refused.returncode == 2
    assert refused.stderr == (
        "river: not a sentence of 1605.08386's abstract: 'We show it is fast.'\n"
    )
    bad_badge = run_river(*pk_args, "--quote", sentence, "--badge", "nope", "--text", "No.")
    assert bad_badge.returncode == 2 and bad_badge.stderr.startswith("river: unknown badge 'nope'")
    (claim,) = json.loads(run_river("--db", str(db), "claims", "--json").stdout)
    assert (claim["text"], claim["badge"]) == ("Mixing.", "caveat")
    (source,) = claim["sources"]
    assert (source["quote"], source["version"]) == (sentence, 1)


def test_requoting_one_quote_of_a_paper_keeps_the_claims_other_quotes(tmp_path: Path) -> None:
    """A claim quoting two sentences of 1605.08386: the changed one re-quoted from v2, the
    other stays cited; the old quote is kept, marked removed; the same sentence twice is
    refused and writes nothing."""
    with open_library(tmp_path / "lib.db") as lib:
        changed, kept = lattice_v1(lib)
        claim = lib.assert_claim("lattice", "Both.", "caveat", [changed, kept], AS_OF)
        import_file(lib, V2, AS_OF)
        pk = lib.resolve("1605.08386")
        assert pk is not None
        _v1, v2 = lib.versions(pk)
        now = next(s for s in split_sentences(v2.abstract) if s.text.startswith(CHANGED))
        new = SourceLink.make(
            "paper", URL, "Lattice", replace(quote_of(v2.abstract, now), version=2)
        )
        lib.requote(claim, changed, new, "", AS_OF)
        dossier = lib.dossier("lattice")
        assert dossier is not None
        (after,) = dossier.claims
        quotes = [(s.quote.exact, s.quote.version) for s in after.sources if s.quote]
        assert quotes == [(kept.quote.exact, 1), (now.text, 2)]  # type: ignore[union-attr]
        assert after.review is None and after.events[-1].note == "quotes v2 now"
        with pytest.raises(LibraryError, match="quotes that sentence already"):
            lib.requote(claim, kept, new, "", AS_OF)
        again = lib.dossier("lattice")
        assert again is not None and again.claims[0].sources == after.sources


@pytest.mark.parametrize(
    ("outcome", "edit"),
    [
        ("kept", lambda sentences: sentences),
        ("moved", lambda sentences: [*sentences[:1], *sentences[2:], sentences[1]]),
        ("gone", lambda sentences: [sentences[0], *sentences[2:]]),
    ],
)
def test_each_outcome_of_a_new_version_imported_from_a_file(
    tmp_path: Path, outcome: str, edit: Callable[[list[str]], list[str]]
) -> None:
    """The recorded v1 with its abstract edited as a v2 might be, written to a file and
    imported: the quoted (second) sentence kept, moved to the end, or dropped. Only a moved or
    a dropped one gets River's event and puts the claim under review."""
    raw = V1.read_text(encoding="utf-8")
    start, end = raw.index("<summary>") + len("<summary>"), raw.index("</summary>")
    sentences = [s.text for s in split_sentences(raw[start:end])]
    v2 = raw[:start] + " ".join(edit(sentences)) + raw[end:]
    edited = tmp_path / "v2.xml"
    edited.write_text(v2.replace("1605.08386v1", "1605.08386v2"), encoding="utf-8")
    with open_library(tmp_path / "lib.db") as lib:
        changed, _kept = lattice_v1(lib)
        claim_id = lib.assert_claim("lattice", "Bounded.", "caveat", [changed], AS_OF)
        import_file(lib, edited, AS_OF)
        claim = lib.claim(claim_id)
    assert claim is not None
    if outcome == "kept":
        assert claim.review is None and [e.action for e in claim.events] == ["asserted"]
    else:
        assert claim.review == outcome
        assert claim.events[-1].actor == "river"
        assert f"the quoted sentence {'moved' if outcome == 'moved' else 'is gone'}" in (
            claim.events[-1].note
        )
