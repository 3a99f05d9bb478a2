"""A model of the reader: hashed TF-IDF features of a paper, logistic regression on decisions.

A paper is four kinds of evidence: its words (title and abstract, single words and two-word
phrases, English stop words left out), its authors, its categories and its organization. Each
piece is hashed to a column of one fixed space (:data:`SPACES`), so a paper's features depend on
its own text only: they are computed once, when the paper is first seen, and kept
(:func:`encode`). What depends on the whole library is each column's rarity (:class:`Weighting`,
from the document frequencies), recomputed when papers arrive, and what depends on the decisions
is the regression (:class:`ReaderModel`). A row's value is ``(1 + ln count) * idf``, each kind
normalized to unit length and weighed (:data:`~river_tui.domain.interest.WEIGHTS`); a paper's
score is the regression's decision value; its *why* is the features whose weight times value
moved it most (:func:`river_tui.domain.interest.explain`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils import murmurhash3_32

from river_tui.domain.interest import (
    FEATURES,
    MIN_EACH,
    SPACES,
    WEIGHTS,
    Example,
    NothingToLearn,
    TooFewDecisions,
    author_feature,
    decode,
)

__all__ = ["MIN_EACH", "NothingToLearn", "ReaderModel", "TooFewDecisions", "Weighting"]

_WORDS = HashingVectorizer(
    ngram_range=(1, 2),
    stop_words="english",
    alternate_sign=False,
    norm=None,
    n_features=SPACES["words"][1],
    dtype=np.float32,
)
_ANALYZE = _WORDS.build_analyzer()


def _text(example: Example) -> str:
    return f"{example.title}\n{example.abstract}"


def _pieces(example: Example) -> Iterator[tuple[int, str]]:
    """The whole-value pieces of a paper (an author's name is one feature, not three words):
    the column of each and how a reader reads it (``author R. Sutton``)."""
    given = [
        *(("author", a, author_feature(a)) for a in example.authors),
        *(("category", c, c.strip().casefold()) for c in example.categories),
        ("organization", example.organization, example.organization.strip().casefold()),
    ]
    for kind, shown, value in given:
        if value:
            yield _column(kind, value), f"{kind} {shown.strip()}"


def _column(kind: str, value: str) -> int:
    start, size = SPACES[kind]
    return start + murmurhash3_32(value, seed=0, positive=True) % size


def encode(examples: Sequence[Example]) -> list[bytes]:
    """Each paper's features as stored: its column numbers (little-endian int32, ascending)
    then how often each occurs (one byte each, at most 255)."""
    if not examples:
        return []
    words = _WORDS.transform([_text(e) for e in examples]).tocsr()
    out = []
    for row, example in enumerate(examples):
        found = dict(
            zip(
                words.indices[words.indptr[row] : words.indptr[row + 1]].tolist(),
                words.data[words.indptr[row] : words.indptr[row + 1]].tolist(),
                strict=True,
            )
        )
        for column, _shown in _pieces(example):
            found[column] = found.get(column, 0) + 1
        columns = np.fromiter(sorted(found), dtype="<i4", count=len(found))
        counts = np.fromiter(
            (min(int(found[c]), 255) for c in columns.tolist()), dtype=np.uint8, count=len(found)
        )
        out.append(columns.tobytes() + counts.tobytes())
    return out


def names(examples: Iterable[Example]) -> dict[int, str]:
    """Column -> the feature a reader reads there (``"credit assignment"``, ``author R. Sutton``),
    from ``examples``' own text: the first piece seen for each column."""
    found: dict[int, str] = {}
    size = SPACES["words"][1]
    for example in examples:
        for token in _ANALYZE(_text(example)):
            # As HashingVectorizer places it: the signed hash's absolute value.
            found.setdefault(abs(murmurhash3_32(token, seed=0)) % size, f'"{token}"')
        for column, shown in _pieces(example):
            found.setdefault(column, shown)
    return found


@dataclass(frozen=True)
class Weighting:
    """How rare each column is in the library: its inverse document frequency
    (``ln((1 + n) / (1 + df)) + 1``, scikit-learn's smooth idf). A word or phrase in more than
    half of 20 or more papers says nothing about a paper and weighs 0."""

    papers: int
    idf: np.ndarray

    @classmethod
    def of(cls, papers: int, frequencies: np.ndarray) -> Weighting:
        idf = (np.log((1 + papers) / (1 + frequencies)) + 1).astype(np.float32)
        if papers >= 20:
            words = SPACES["words"][1]
            idf[:words][frequencies[:words] > papers / 2] = 0
        return cls(papers, idf)

    @staticmethod
    def frequencies(rows: Iterable[bytes]) -> np.ndarray:
        """How many of ``rows`` (stored features) hold each column."""
        df = np.zeros(FEATURES, dtype=np.int64)
        batch: list[np.ndarray] = []
        for row in rows:
            batch.append(np.frombuffer(decode(row)[0], dtype="<i4"))
            if len(batch) == 5000:
                df += np.bincount(np.concatenate(batch), minlength=FEATURES)
                batch = []
        if batch:
            df += np.bincount(np.concatenate(batch), minlength=FEATURES)
        return df

    def matrix(self, rows: Sequence[bytes]) -> sparse.csr_matrix:
        """``rows`` (stored features) as the model reads them."""
        decoded = [decode(r) for r in rows]
        lengths = [len(n) for _, n in decoded]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        if not decoded or indptr[-1] == 0:
            return sparse.csr_matrix((len(rows), FEATURES), dtype=np.float32)
        columns = np.concatenate([np.frombuffer(c, dtype="<i4") for c, _ in decoded])
        counts = np.concatenate([np.frombuffer(n, dtype=np.uint8) for _, n in decoded])
        values = (1 + np.log(counts.astype(np.float32))) * self.idf[columns]
        # Each kind of evidence to unit length, so many authors do not outweigh the words.
        row_of = np.repeat(np.arange(len(rows)), lengths)
        kind_of = np.searchsorted(_STARTS, columns, side="right") - 1
        group = row_of * len(_STARTS) + kind_of
        norms = np.sqrt(np.bincount(group, weights=values**2, minlength=len(rows) * 4))
        values = np.divide(values, norms[group], out=np.zeros_like(values), where=norms[group] > 0)
        values *= _KIND_WEIGHTS[kind_of]
        return sparse.csr_matrix((values, columns, indptr), shape=(len(rows), FEATURES))


_STARTS = np.array(sorted(start for start, _ in SPACES.values()))
_KIND_WEIGHTS = np.array(
    [WEIGHTS[k] for k, _ in sorted(SPACES.items(), key=lambda item: item[1][0])], dtype=np.float32
)


class ReaderModel:
    """Learned from one reader's decisions over a library's weighting; scores any paper."""

    def __init__(self, weighting: Weighting, coef: np.ndarray, intercept: float) -> None:
        self.weighting = weighting
        self.coef = coef
        """One weight per column: > 0 pushes a paper up."""
        self.intercept = intercept

    @classmethod
    def fit(cls, weighting: Weighting, rows: Sequence[bytes], kept: Sequence[bool]) -> ReaderModel:
        """A model of the papers whose stored features are ``rows``, labelled by ``kept``.
        Raises :class:`TooFewDecisions`, or :class:`NothingToLearn` when no decided paper has
        a word, an author, a category or an organization left to tell it by."""
        kept_count = sum(kept)
        if kept_count < MIN_EACH or len(kept) - kept_count < MIN_EACH:
            raise TooFewDecisions(kept_count, len(kept) - kept_count)
        features = weighting.matrix(rows)
        if features.nnz == 0:
            raise NothingToLearn
        # Only the columns the decided papers hold can get a weight (the others' gradient is
        # 0 from start to end): fitting on those alone gives the same model, and L-BFGS works
        # in thousands of dimensions instead of a million.
        used = np.unique(features.indices)
        regression = LogisticRegression(class_weight="balanced", C=1.0, max_iter=1000)
        regression.fit(features[:, used], np.asarray(kept, dtype=bool))
        coef = np.zeros(FEATURES, dtype=np.float32)
        coef[used] = regression.coef_[0]
        return cls(weighting, coef, float(regression.intercept_[0]))

    def scores(self, rows: Sequence[bytes]) -> np.ndarray:
        """The decision value of each paper: above 0, more like what the reader keeps."""
        if not rows:
            return np.zeros(0)
        return self.weighting.matrix(rows) @ self.coef + self.intercept

    def weights(self, names: dict[int, str]) -> list[tuple[int, str, float]]:
        """(column, name, weight) of every column the model weighs and ``names`` names: what
        a paper's why is read from."""
        return [
            (column, names[column], float(self.coef[column]))
            for column in np.flatnonzero(self.coef).tolist()
            if column in names
        ]
