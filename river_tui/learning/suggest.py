"""Term suggestions for a beat, from the reader's decisions.

Candidates are the words and two-word phrases (scikit-learn's ``CountVectorizer``, English
stop words left out) of the few decided papers of the beat:

- **include**: common in the kept papers of the beat (put on it by hand, or tagged with one
  of its tags) that its rule leaves out, and rare in the let-go papers it leaves out (those an
  include term could bring in);
- **exclude**: common in the let-go papers the rule puts on the beat, and rare in the kept
  papers it puts there.

Each candidate is then counted exactly by the beat's own rule over every decided paper
(:func:`river_tui.domain.beat_terms.tally`), and only those that move more decisions the way
the reader made them than against it are suggested, the most useful first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from river_tui.domain.beat_terms import (
    RuleText,
    Suggestion,
    TermKind,
    TermRefused,
    checked_term,
    on_by_rule,
    tally,
)
from river_tui.domain.beats import Beat
from river_tui.store.library import Library

MOST = 10
"""Suggestions listed at most."""
CANDIDATES = 40
"""Phrases of each kind counted exactly (the best by document frequencies)."""
DOCUMENTS = 2_000
"""Decided papers of each side the vectorizer reads at most (the counts read them all)."""
TEXT_CHARS = 8_000
"""Characters of a paper the vectorizer reads (the counts read the whole paper, as the rule)."""


def suggest(library: Library, beat: Beat, most: int = MOST) -> list[Suggestion]:
    """Up to ``most`` terms for ``beat``, include and exclude together, most useful first."""
    labels = library.decision_labels()
    by_hand, tagged = library.beat_decisions(beat)
    texts = {pk: RuleText.of(t, a) for pk, _id, t, a in library.rule_rows(sorted(labels))}
    on = {pk: on_by_rule(beat, t.title, t.abstract, t.folded) for pk, t in texts.items()}
    kept = [pk for pk in texts if labels[pk]]
    let_go = [pk for pk in texts if not labels[pk]]
    ours = by_hand | tagged
    sides = {
        TermKind.INCLUDE: (
            [pk for pk in kept if pk in ours and not on[pk]],
            [pk for pk in let_go if not on[pk]],
        ),
        TermKind.EXCLUDE: ([pk for pk in let_go if on[pk]], [pk for pk in kept if on[pk]]),
    }
    # The share of the decided papers a term could move that it moves the right way by
    # chance: kept among those the rule leaves out, let go among those it puts on the beat.
    outside = [pk for pk in texts if not on[pk]]
    inside = [pk for pk in texts if on[pk]]
    chance = {
        TermKind.INCLUDE: _share(sum(labels[pk] for pk in outside), len(outside)),
        TermKind.EXCLUDE: _share(sum(not labels[pk] for pk in inside), len(inside)),
    }
    found: list[Suggestion] = []
    for kind, (common, rare) in sides.items():
        for phrase in candidates(texts, common, rare):
            try:
                term = checked_term(beat, kind, phrase)
            except TermRefused:
                continue  # the beat has it already
            moved_kept, moved_let_go = tally(beat, kind, term, texts, labels)
            suggestion = Suggestion(beat.name, kind, term, moved_kept, moved_let_go)
            if useful(suggestion, chance[kind]):
                found.append(suggestion)
    found.sort(key=rank)
    return _without_echoes(found)[:most]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def useful(s: Suggestion, chance: float) -> bool:
    """It moves more decisions the reader's way than against it; and it goes against none,
    or leans their way more than a slice of those papers drawn at random would (when three in
    four papers on a beat were let go, a common word drops three let-go papers for each kept
    one, and says nothing)."""
    return s.usefulness > 0 and (s.wrong == 0 or s.right / (s.right + s.wrong) > chance)


def _without_echoes(found: list[Suggestion]) -> list[Suggestion]:
    """A word left out when a two-word phrase with it moves the same decided papers: the
    phrase says the same and moves fewer papers nobody decided on."""
    phrases = {
        (s.kind, s.kept, s.let_go, w) for s in found if " " in s.term for w in s.term.split()
    }
    return [s for s in found if " " in s.term or (s.kind, s.kept, s.let_go, s.term) not in phrases]


def rank(s: Suggestion) -> tuple[int, int, int, str]:
    """Most useful first; of two as useful, the one that goes against fewer decisions, then
    the one that moves more, then the shorter phrase."""
    return (-s.usefulness, s.wrong, -s.right, s.term)


def candidates(
    texts: Mapping[int, RuleText], common: Sequence[int], rare: Sequence[int]
) -> list[str]:
    """Up to :data:`CANDIDATES` words and two-word phrases found in at least two papers of
    ``common`` (one, when it has one paper), best first by the share of ``common`` that has
    it minus the share of ``rare`` that has it. A phrase as common in ``rare`` stays a
    candidate: the exact counts decide (with few decisions, one let-go paper is a large
    share)."""
    common, rare = list(common)[:DOCUMENTS], list(rare)[:DOCUMENTS]
    if not common:
        return []
    vectorizer = CountVectorizer(ngram_range=(1, 2), stop_words="english", binary=True)
    documents = [_document(texts[pk]) for pk in (*common, *rare)]
    try:
        counts = vectorizer.fit_transform(documents)
    except ValueError:  # no word left (stop words only)
        return []
    names = vectorizer.get_feature_names_out()
    in_common = np.asarray(counts[: len(common)].sum(axis=0)).ravel()
    in_rare = np.asarray(counts[len(common) :].sum(axis=0)).ravel()
    share = in_common / len(common) - in_rare / max(len(rare), 1)
    least = min(2, len(common))
    order = np.lexsort((names, -in_common, -share))
    chosen = [
        str(names[i])
        for i in order
        if in_common[i] >= least and not str(names[i]).replace(" ", "").isdigit()
    ]
    return chosen[:CANDIDATES]


def _document(text: RuleText) -> str:
    return f"{text.title[:500]}\n{text.abstract[:TEXT_CHARS]}"
