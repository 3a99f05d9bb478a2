"""A claim's quote checked against a new version of its abstract (domain/quotes.py): kept,
moved, changed with a word diff, gone, withdrawn; and the threshold between changed and gone,
measured on the recorded arXiv abstracts."""

from __future__ import annotations

import re
from functools import cache

import pytest

from river_tui.domain.claims import Quote
from river_tui.domain.quotes import (
    CHANGED_AT,
    Change,
    Outcome,
    quote_of,
    recheck,
    split_sentences,
)
from river_tui.sources.arxiv_api import parse_arxiv_feed

from conftest import FIXTURES

ABSTRACT = (
    "We study credit assignment in long-horizon agents. Our method improves the success rate "
    "by 12% on ALFWorld and by 9% on WebShop. It needs no extra reward model. We release code."
)
QUOTED = "Our method improves the success rate by 12% on ALFWorld and by 9% on WebShop."


def quoted(abstract: str = ABSTRACT, text: str = QUOTED) -> Quote:
    """The quote the claim editor takes of ``text`` in ``abstract``."""
    (sentence,) = [s for s in split_sentences(abstract) if s.text == text]
    return quote_of(abstract, sentence)


def test_the_same_sentence_where_it_was_is_kept() -> None:
    check = recheck(quoted(), ABSTRACT)
    assert check.outcome is Outcome.KEPT and not check.needs_review
    assert check.now is not None and ABSTRACT[check.now.start : check.now.end] == QUOTED


def test_text_that_grew_far_before_it_leaves_it_kept() -> None:
    """An edit beyond the quote's context moves its offset, not the quote."""
    longer = "A new first sentence, written for the second version. " + ABSTRACT
    assert recheck(quoted(), longer).outcome is Outcome.KEPT


def test_the_same_sentence_elsewhere_is_moved() -> None:
    first, second, third, fourth = (s.text for s in split_sentences(ABSTRACT))
    reordered = " ".join([first, third, fourth, second])
    check = recheck(quoted(), reordered)
    assert check.outcome is Outcome.MOVED and check.needs_review
    assert check.now is not None and check.now.text == QUOTED


@pytest.mark.parametrize(
    "respaced",
    [
        ABSTRACT.replace("success rate", "success\n rate"),  # re-wrapped
        ABSTRACT.replace("ALFWorld and", "ALFWorld, and"),  # re-punctuated
    ],
)
def test_the_same_words_respaced_or_repunctuated_are_moved(respaced: str) -> None:
    check = recheck(quoted(), respaced)
    assert check.outcome is Outcome.MOVED
    assert check.now is not None and check.now.text.startswith("Our method improves")


def test_a_changed_number_is_changed_with_the_words_that_changed() -> None:
    check = recheck(quoted(), ABSTRACT.replace("12%", "15%"))
    assert check.outcome is Outcome.CHANGED and check.alike >= CHANGED_AT
    assert check.now is not None and "15%" in check.now.text
    assert [c for c in check.diff if c.op != "="] == [Change("-", "12%"), Change("+", "15%")]
    assert " ".join(c.words for c in check.diff if c.op != "+") == QUOTED


def test_a_dropped_sentence_is_gone() -> None:
    check = recheck(quoted(), ABSTRACT.replace(QUOTED + " ", ""))
    assert check.outcome is Outcome.GONE and check.now is None and check.alike < CHANGED_AT


def test_a_withdrawn_paper_withdraws_every_quote() -> None:
    withdrawn = "This paper has been withdrawn by the authors due to an error in Table 2."
    check = recheck(quoted(), withdrawn, withdrawn=True)
    assert check.outcome is Outcome.WITHDRAWN and check.now is None


# -- the threshold between changed and gone, on real abstracts -------------------------------
@cache
def real_abstracts() -> tuple[str, ...]:
    """Every recorded arXiv API abstract of two sentences or more."""
    out = []
    for path in sorted(FIXTURES.glob("arxiv_api_*.xml")):
        if "error" in path.name:
            continue
        for sighting in parse_arxiv_feed(path.read_bytes()).sightings:
            if len(split_sentences(sighting.paper.abstract)) >= 2:
                out.append(sighting.paper.abstract)
    return tuple(out)


def edits(sentence: str) -> list[str]:
    """What a new version does to a sentence it keeps: a number corrected (or a word replaced
    when there is none), a short clause added, and a quarter of its words dropped from the
    end (a clause cut)."""
    words = sentence.split()
    number = re.search(r"\d+(\.\d+)?", sentence)
    corrected = (
        sentence[: number.start()] + "97" + sentence[number.end() :]
        if number
        else " ".join([*words[:-2], "substantially", words[-1]])
    )
    added = sentence.rstrip(".") + ", in most of the settings we tried."
    cut = " ".join(words[: len(words) - max(1, len(words) // 4)]) + "."
    return [corrected, added, cut]


def test_real_edits_are_changed_and_other_sentences_of_the_abstract_are_not() -> None:
    """Every sentence of 8 words or more of the recorded abstracts, quoted as the claim
    editor quotes it and edited in place as above, is found ``changed`` (at least CHANGED_AT
    alike), the edited sentence and nothing else; no sentence is taken for another sentence of
    its abstract (each alone in a new version: ``gone``, below CHANGED_AT)."""
    abstracts = real_abstracts()
    assert len(abstracts) >= 25
    edited, unrelated = [], []
    for abstract in abstracts:
        sentences = split_sentences(abstract)
        for sentence in sentences:
            quote = quote_of(abstract, sentence)
            if len(sentence.text.split()) >= 8:
                for new in edits(sentence.text):
                    version = abstract[: sentence.start] + new + abstract[sentence.end :]
                    check = recheck(quote, version)
                    assert check.outcome is Outcome.CHANGED, (sentence.text, new, check.alike)
                    assert check.now is not None and check.now.text == new
                    edited.append(check.alike)
            for other in sentences:
                if other.text != sentence.text:
                    check = recheck(quote, other.text)
                    assert check.outcome is Outcome.GONE, (sentence.text, other, check.alike)
                    unrelated.append(check.alike)
    assert len(edited) >= 800 and len(unrelated) >= 2000
    assert min(edited) >= CHANGED_AT > max(unrelated)
