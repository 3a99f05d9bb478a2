"""A model of the reader: TF-IDF features of a paper, logistic regression on the decisions.

A paper is four kinds of evidence: its words (title and abstract, single words and two-word
phrases), its authors, its categories and its organization. Each kind is a TF-IDF vectorizer
of scikit-learn; a logistic regression with balanced class weights is fitted on the papers the
reader kept (positive) and let go (negative). A paper's score is the regression's decision
value; its *why* is the features whose weight times value moved it most, up and down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from river_tui.domain.interest import Example, Reason

MIN_EACH = 3
"""Decisions of each kind (kept, let go) the model needs before it orders anything."""


class NothingToLearn(Exception):
    """No paper has a word, an author, a category or an organization to tell it by."""

    def __init__(self) -> None:
        super().__init__(
            "for you has nothing to learn from: no paper has a word, an author, a category or "
            "an organization to tell it by"
        )


class TooFewDecisions(Exception):
    """Fewer than :data:`MIN_EACH` papers kept or let go: nothing to learn from yet."""

    def __init__(self, kept: int, let_go: int) -> None:
        super().__init__(
            f"for you needs {MIN_EACH} papers kept (starred, tagged, put on a beat or "
            f"promoted) and {MIN_EACH} let go (skipped or archived); there are {kept} and {let_go}"
        )
        self.kept = kept
        self.let_go = let_go


def _tokens(values: Sequence[str]) -> list[str]:
    """Whole values as tokens (an author's name is one feature, not three words)."""
    return [v.strip() for v in values if v.strip()]


KINDS: dict[str, Callable[[Example], Sequence[str]]] = {
    "words": lambda e: (f"{e.title}\n{e.abstract}",),
    "author": lambda e: e.authors,
    "category": lambda e: e.categories,
    "organization": lambda e: (e.organization,) if e.organization else (),
}
"""The kinds of evidence a paper holds, each read by a vectorizer of its own."""
VOCABULARY = 100_000
"""Words and two-word phrases kept at most (the most frequent): the model's size is bounded
whatever the library's."""


def vectorizer_for(kind: str, documents: int) -> TfidfVectorizer:
    """A new vectorizer for one kind of evidence, for a library of ``documents`` papers."""
    if kind == "words":
        return TfidfVectorizer(
            ngram_range=(1, 2),
            stop_words="english",
            sublinear_tf=True,
            # A word in more than half the papers says nothing; in a handful, "half" is noise.
            max_df=0.5 if documents >= 20 else 1.0,
            max_features=VOCABULARY,
        )
    return TfidfVectorizer(analyzer=_tokens)


class ReaderModel:
    """Learned from one reader's decisions; scores and explains any paper."""

    def __init__(self) -> None:
        self.kinds: dict[str, TfidfVectorizer] = {}
        """A fitted vectorizer per kind of evidence the library has (see :data:`KINDS`)."""
        self.regression = LogisticRegression(class_weight="balanced", C=1.0, max_iter=1000)
        self.names: list[str] = []

    @classmethod
    def fit(
        cls, examples: Sequence[Example], kept: Sequence[bool], corpus: Sequence[Example] = ()
    ) -> ReaderModel:
        """A model of ``examples`` labelled by ``kept``. The vectorizers' vocabulary and
        document frequencies come from ``corpus`` too (the whole library, unlabelled), so a
        word's weight reflects how rare it is in the library, not in the few decisions.
        Raises :class:`TooFewDecisions`, or :class:`NothingToLearn` when no paper has a word,
        an author, a category or an organization to tell it by."""
        kept_count = sum(kept)
        if kept_count < MIN_EACH or len(kept) - kept_count < MIN_EACH:
            raise TooFewDecisions(kept_count, len(kept) - kept_count)
        model = cls()
        everything = [*examples, *corpus]
        for kind in KINDS:
            vectorizer = vectorizer_for(kind, len(everything))
            try:
                vectorizer.fit(documents(kind, everything))
            except ValueError:  # no word left (stop words only, or every one too common)
                continue
            model.kinds[kind] = vectorizer
            prefix = '"{}"' if kind == "words" else kind + " {}"
            model.names += [prefix.format(v) for v in vectorizer.get_feature_names_out()]
        if not model.kinds:
            raise NothingToLearn
        model.regression.fit(model.features(examples), np.asarray(kept, dtype=bool))
        return model

    def features(self, examples: Sequence[Example]) -> sparse.csr_matrix:
        parts = [v.transform(documents(kind, examples)) for kind, v in self.kinds.items()]
        return sparse.hstack(parts, format="csr")

    def scores(self, examples: Sequence[Example]) -> np.ndarray:
        """The decision value of each paper: above 0, more like what the reader keeps."""
        if not examples:
            return np.zeros(0)
        return self.regression.decision_function(self.features(examples))

    def why(self, example: Example, most: int = 3) -> list[Reason]:
        """The features that moved ``example``'s score most: up to ``most`` up, then down
        (weights to four significant digits)."""
        row = self.features([example]).tocoo()
        parts = row.data * self.regression.coef_[0][row.col]
        order = np.argsort(parts)
        up = [i for i in order[::-1][:most] if parts[i] > 0]
        down = [i for i in order[:most] if parts[i] < 0]
        return [Reason(self.names[row.col[i]], float(f"{parts[i]:.4g}")) for i in up + down]


def documents(kind: str, examples: Sequence[Example]) -> list[str] | list[Sequence[str]]:
    """What the vectorizer of ``kind`` reads of each of ``examples``."""
    values = KINDS[kind]
    if kind == "words":
        return [values(e)[0] for e in examples]
    return [values(e) for e in examples]
