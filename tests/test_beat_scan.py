"""Classifying many papers at once gives the verdicts ``classify`` gives, and ``classify`` still
gives what the beat rule says (written out here as it was first written: a substring test on
the folded text, then the term's pattern counted with ``findall``)."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from river_tui.domain import Beat, BeatMatch, Hit, Verdict, classify
from river_tui.domain.beat_scan import BeatScanner
from river_tui.domain.beats import ABSTRACT_WEIGHT, TITLE_WEIGHT, Field
from river_tui.settings import BEATS_FILE, bundled_data_dir, read_beats, sample_dir
from river_tui.sources.documents import read_document

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from make_library import generate

GAPS = re.compile(r"[\s\-]+")


def reference(beats: list[Beat], title: str, abstract: str) -> list[BeatMatch]:
    """The beat rule as River first wrote it."""

    def find(terms: tuple[str, ...]) -> tuple[Hit, ...]:
        hits = []
        for term in terms:
            body = r"[\s\-]+".join(re.escape(w) for w in term.casefold().split())
            pattern = re.compile(rf"(?<![\w-]){body}(?:s|es)?(?![\w])", re.IGNORECASE)
            key = GAPS.sub(" ", term.casefold())
            for field, text in ((Field.TITLE, title), (Field.ABSTRACT, abstract)):
                folded = text.casefold()
                if len(folded) == len(text) and key not in GAPS.sub(" ", folded):
                    continue
                count = len(pattern.findall(text))
                if count:
                    hits.append(Hit(term, field, count))
        return tuple(hits)

    matches = []
    for beat in beats:
        hits = find(beat.include)
        if not hits:
            continue
        weight = {Field.TITLE: TITLE_WEIGHT, Field.ABSTRACT: ABSTRACT_WEIGHT}
        score = sum(h.count * weight[h.field] for h in hits)
        excluded = find(beat.exclude)
        verdict = Verdict.EXCLUDED if excluded else Verdict.MATCH
        matches.append(BeatMatch(beat.name, verdict, score, hits, excluded))
    return matches


BEATS = read_beats(bundled_data_dir() / BEATS_FILE)  # the bundled beats
SCANNER = BeatScanner(BEATS)


def check(beats: list[Beat], scanner: BeatScanner, title: str, abstract: str) -> list[BeatMatch]:
    expected = reference(beats, title, abstract)
    assert classify(beats, title, abstract) == expected
    assert scanner.classify(title, abstract) == expected
    return expected


def test_the_sample_papers_get_the_same_verdicts() -> None:
    matched = 0
    for path in sorted(sample_dir().glob("hf-*.txt")):
        document = read_document(path.read_bytes(), date(2026, 6, 16), (), path.as_uri())
        for sighting in document.sightings:
            matched += len(check(BEATS, SCANNER, sighting.paper.title, sighting.paper.abstract))
    assert matched > 10


def test_synthetic_papers_get_the_same_verdicts() -> None:
    matched = sum(
        len(check(BEATS, SCANNER, item["title"], item["abstract"])) for item in generate(400)
    )
    assert matched > 100


TERMS = [term for beat in BEATS for term in beat.include + beat.exclude]
WORD = st.one_of(
    st.sampled_from(TERMS).map(str.upper),
    st.sampled_from(TERMS),
    st.sampled_from(TERMS).map(lambda t: t.replace(" ", "-") + "s"),
    st.sampled_from(TERMS).map(lambda t: "multi-" + t + "es"),
    st.sampled_from(["the", "agent", "of", "re", "ſtate", "ıt", "Straße", "İstanbul", "K"]),
    st.text(alphabet="abcdeſıKé-_ \n\t,.()", max_size=8),
)
TEXT = st.lists(WORD, max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(title=TEXT, abstract=TEXT)
def test_generated_texts_get_the_same_verdicts(title: str, abstract: str) -> None:
    check(BEATS, SCANNER, title, abstract)


ODD = [
    Beat("odd", include=("ſtate", "c++", "multi agent", "x", "İstanbul"), exclude=("-", "a b")),
    Beat("spaces", include=("  two  words ", "é"), exclude=()),
]


@settings(max_examples=200, deadline=None)
@given(title=TEXT, abstract=TEXT)
def test_odd_terms_get_the_same_verdicts(title: str, abstract: str) -> None:
    check(ODD, BeatScanner(ODD), title + " c++ x-ray", abstract)


def test_a_term_that_starts_with_a_hyphen_is_found_between_spaces() -> None:
    assert check(ODD, BeatScanner(ODD), "", "x - y")[0].verdict is Verdict.EXCLUDED


PUNCTUATED = st.lists(
    st.one_of(
        st.sampled_from(TERMS),
        st.sampled_from(TERMS).map(lambda t: t.replace(" ", "-")),
        st.sampled_from(["(", ")", "_", "-", "--", "1", ".", "/", "'", '"', " ", "\n", "s"]),
        st.sampled_from(["x", " - ", "c++", "multi agent", "a b", " two words "]),
        st.text(alphabet="abcXYZ09_-(). ", max_size=4),
    ),
    max_size=14,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(title=PUNCTUATED, abstract=PUNCTUATED)
def test_terms_next_to_any_ascii_character_get_the_same_verdicts(
    title: str, abstract: str
) -> None:
    """In ASCII text the scanner looks for terms where words start: a term glued to a letter,
    a digit, "_" or "-", or after any other character, is judged as the rule judges it."""
    check(BEATS, SCANNER, title, abstract)
    check(ODD, BeatScanner(ODD), title, abstract)
