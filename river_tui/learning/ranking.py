"""The "for you" order: the reader's model, fitted on their decisions, over a set of papers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from river_tui.domain.interest import Example, Ranked
from river_tui.learning.model import ReaderModel
from river_tui.store.library import Library


def train(examples: Sequence[Example], labels: Mapping[int, bool]) -> ReaderModel:
    """The reader's model, fitted on the papers of ``examples`` (the whole library, as the
    model reads it) that ``labels`` names, with the whole library's vocabulary. Raises
    :class:`~river_tui.learning.model.TooFewDecisions`."""
    decided = [e for e in examples if e.pk in labels]
    return ReaderModel.fit(
        decided,
        [labels[e.pk] for e in decided],
        corpus=[e for e in examples if e.pk not in labels],
    )


def for_you(library: Library, pks: Sequence[int], limit: int = -1) -> list[Ranked]:
    """``pks`` best first by the model of ``library``'s decisions, the first ``limit`` of
    them (all when negative), each with its why. Papers of equal score keep their order.
    The library is read once: the model learns from it and scores from the same rows."""
    examples = library.examples()
    model = train(examples, library.decision_labels())
    by_pk = {e.pk: e for e in examples}
    present = [pk for pk in pks if pk in by_pk]
    scores = model.scores([by_pk[pk] for pk in present])
    ranked = sorted(zip(present, scores, strict=True), key=lambda pair: -pair[1])
    if limit >= 0:
        ranked = ranked[:limit]
    return [Ranked(pk, round(float(score), 4), tuple(model.why(by_pk[pk]))) for pk, score in ranked]
