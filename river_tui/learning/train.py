"""Bring what River has learned up to date: features for new papers, the library's weighting,
the reader's model and each beat's, and every paper's score under each.

:func:`update` does only what is stale: a paper's features are computed once; a model is fitted
again when its decisions changed or papers arrived since it scored them. It runs in the
background (the reader's LEARN lane, or ``river list --sort for-you``), on a connection of its
own, with bounded memory: papers are read and scored a chunk at a time."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from river_tui.domain.interest import NothingToLearn, TooFewDecisions
from river_tui.learning.model import ReaderModel, Weighting, encode, names
from river_tui.store.learned import Learned, ModelInfo, digest, now
from river_tui.store.library import Library

CHUNK = 5_000
"""Papers scored at a time (a chunk of features is a few megabytes)."""
ENCODE = 1_000
"""Papers whose features are computed at a time (tokenizing holds Python objects per word)."""


@dataclass
class Outcome:
    """What an update did."""

    encoded: int = 0
    """Papers whose features were computed."""
    trained: dict[str, tuple[int, int]] = field(default_factory=dict)
    """model -> (kept, let go) it was fitted on."""
    untrained: dict[str, str] = field(default_factory=dict)
    """model -> why it has no model (too few decisions, nothing to learn from)."""

    @property
    def changed(self) -> bool:
        return bool(self.encoded or self.trained or self.untrained)

    def why_not(self, model: str, labels: Mapping[int, bool]) -> str:
        """Why ``model`` (its decisions ``labels``) has no model: what this update found, or
        that its decisions are too few (``needs 3 papers kept … there are 2 and 5``)."""
        kept = sum(labels.values())
        return self.untrained.get(model) or str(TooFewDecisions(kept, len(labels) - kept))


HOLD = 256 << 20
"""The most memory (bytes) a :class:`Held` matrix may take: 100,000 papers take 205 MB."""


class Held:
    """The library's features as the models read them, kept between updates by a process
    that makes many (the reader's learning child). After a decision, every paper's score is
    then one product of this matrix with the models' weights (100,000 papers: 0.05 s a model)
    instead of every paper's features read and weighted again (1.8 s). It is kept while the
    library has the same papers' features under the same weighting, and only while it takes
    at most :data:`HOLD` bytes; beyond that, each update reads the features again."""

    def __init__(self) -> None:
        self.key: tuple[object, ...] | None = None
        self.chunks: list[tuple[np.ndarray, sparse.csr_matrix]] = []
        """(papers' pks, their weighted features), a chunk at a time."""


def update(
    library: Library,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    held: Held | None = None,
    only: Collection[str] | None = None,
) -> Outcome:
    """Bring ``library``'s learned data up to date (``force``: fit every model again);
    ``held``: the matrix this process keeps between updates (none: read every time);
    ``only``: fit only these models now (the ones the visible view is ordered by: after a
    decision it is reordered first, and the other models follow in the next update)."""
    outcome = Outcome()
    if library.read_only:  # it keeps what was learned when it was last writable
        return outcome
    learned = library.learned
    say = progress or (lambda _message: None)
    wanted = learned.labels_by_model(library.beats)
    if not learned.to_learn(wanted):
        return outcome
    if not learned.encoded_as_now():
        learned.encode_again()
    last = 0
    while batch := learned.without_features(ENCODE, after=last):
        learned.save_features(zip((e.pk for e in batch), encode(batch), strict=True))
        outcome.encoded += len(batch)
        last = max(e.pk for e in batch)
        say(f"learning: features of {outcome.encoded:,} papers")
    stale = learned.stale(wanted, force)
    if only is not None:
        stale = {model: labels for model, labels in stale.items() if model in only}
    if not stale:
        return outcome
    papers = learned.papers()
    weighting = _weighting(learned, papers)
    fitted: dict[str, tuple[ReaderModel, dict[int, bool]]] = {}
    for model, labels in stale.items():
        decided = dict(learned.features(labels))
        pks = [pk for pk in labels if pk in decided]
        try:
            fitted[model] = (
                ReaderModel.fit(weighting, [decided[pk] for pk in pks], [labels[pk] for pk in pks]),
                labels,
            )
        except (TooFewDecisions, NothingToLearn) as exc:
            outcome.untrained[model] = str(exc)
    say(f"learning: scoring {papers:,} papers")
    scores = _score_all(learned, {m: f for m, (f, _) in fitted.items()}, held)
    decided = {pk for _fit, labels in fitted.values() for pk in labels}
    named = names(library.examples(decided)) if decided else {}
    trained = []
    for model, (fit, labels) in fitted.items():
        kept = sum(labels.values())
        info = ModelInfo(
            model, digest(labels), papers, kept, len(labels) - kept, fit.intercept, now()
        )
        trained.append((info, fit.weights(named)))
        outcome.trained[model] = (kept, len(labels) - kept)
    learned.save_models(trained, scores, dropped=list(outcome.untrained))
    return outcome


def _weighting(learned: Learned, papers: int) -> Weighting:
    """The library's weighting: as stored if it counted the papers there are, else counted
    again (one pass over every paper's features) and stored."""
    stored = learned.idf()
    if stored is not None and stored[0] == papers:
        return Weighting(papers, np.frombuffer(stored[1], dtype="<f4"))
    rows = (row for _pk, row in learned.features())
    weighting = Weighting.of(papers, Weighting.frequencies(rows))
    learned.save_idf(papers, weighting.idf.astype("<f4").tobytes())
    return weighting


def _score_all(
    learned: Learned, fitted: dict[str, ReaderModel], held: Held | None
) -> dict[str, Iterator[tuple[int, float]]]:
    """Every paper's score under each of ``fitted`` (model -> (pk, score) pairs), a chunk of
    papers at a time; kept as arrays (100,000 papers and seven models: 6 MB)."""
    if not fitted:
        return {}
    order = list(fitted)
    weighting = fitted[order[0]].weighting
    coefs = np.stack([fitted[m].coef for m in order], axis=1)
    intercepts = np.array([fitted[m].intercept for m in order])
    pks: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for chunk_pks, matrix in _weighted(learned, weighting, held):
        pks.append(chunk_pks)
        values.append(matrix @ coefs + intercepts)
    every_pk = np.concatenate(pks) if pks else np.zeros(0, dtype=np.int64)
    scores = np.round(np.concatenate(values), 6) if values else np.zeros((0, len(order)))
    return {
        model: zip(every_pk.tolist(), scores[:, column].tolist(), strict=True)
        for column, model in enumerate(order)
    }


def _weighted(
    learned: Learned, weighting: Weighting, held: Held | None
) -> Iterator[tuple[np.ndarray, sparse.csr_matrix]]:
    """Every paper's weighted features, a chunk at a time: from ``held`` when it holds
    these papers under this weighting, else read (and held, when it fits)."""
    key = (*learned.features_key(), weighting.papers, hash(weighting.idf.tobytes()))
    if held is not None and held.key == key:
        yield from held.chunks
        return
    keep: list[tuple[np.ndarray, sparse.csr_matrix]] | None = [] if held is not None else None
    size = 0
    rows = learned.features()
    while chunk := list(itertools.islice(rows, CHUNK)):
        pks = np.fromiter((pk for pk, _row in chunk), dtype=np.int64, count=len(chunk))
        matrix = weighting.matrix([row for _pk, row in chunk])
        size += pks.nbytes + matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes
        if keep is not None and size > HOLD:
            keep = None  # too big to hold: read every time
        if keep is not None:
            keep.append((pks, matrix))
        yield pks, matrix
    if held is not None:
        held.key, held.chunks = (key, keep) if keep is not None else (None, [])
