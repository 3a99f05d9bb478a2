"""Papers like a given one: TF-IDF cosine over the library's words, with the words they share.

The same words the reader's model reads (title and abstract, single words and two-word phrases,
weighted by how rare they are in the library); no decisions needed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from river_tui.domain.interest import Example


@dataclass(frozen=True, slots=True)
class Similar:
    """A paper like the one asked about: its cosine similarity and the words both share."""

    pk: int
    similarity: float
    shared: tuple[str, ...]


def similar(paper: Example, library: Sequence[Example], most: int = 10) -> list[Similar]:
    """The ``most`` papers of ``library`` most like ``paper`` (itself left out), best first,
    each with up to five shared words and phrases, the heaviest first. Papers that share no
    word are not listed."""
    others = [e for e in library if e.pk != paper.pk]
    if not others:
        return []
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2),
        stop_words="english",
        sublinear_tf=True,
        max_df=0.5 if len(others) >= 19 else 1.0,
        max_features=100_000,
    )
    try:
        matrix = vectorizer.fit_transform([f"{e.title}\n{e.abstract}" for e in [paper, *others]])
    except ValueError:  # no word left to compare by
        return []
    names = vectorizer.get_feature_names_out()
    scores = linear_kernel(matrix[0], matrix[1:]).ravel()
    found = []
    for i in np.argsort(-scores, kind="stable")[:most]:
        if scores[i] <= 0:
            break
        both = matrix[0].multiply(matrix[i + 1]).tocoo()
        heaviest = both.col[np.argsort(-both.data, kind="stable")[:5]]
        found.append(
            Similar(others[i].pk, float(f"{scores[i]:.4g}"), tuple(str(names[c]) for c in heaviest))
        )
    return found
