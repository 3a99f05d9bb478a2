"""The "for you" order: the reader's model, fitted on their decisions, over a set of papers."""

from __future__ import annotations

from collections.abc import Sequence

from river_tui.domain.interest import Ranked
from river_tui.learning.model import ReaderModel
from river_tui.store.library import Library


def train(library: Library) -> ReaderModel:
    """The reader's model, fitted on every decision in ``library``; its vocabulary is the
    whole library's. Raises :class:`~river_tui.learning.model.TooFewDecisions`."""
    labels = library.decision_labels()
    decided = library.examples(labels)
    return ReaderModel.fit(
        decided,
        [labels[e.pk] for e in decided],
        corpus=[e for e in library.examples() if e.pk not in labels],
    )


def for_you(
    library: Library, pks: Sequence[int], limit: int = -1, model: ReaderModel | None = None
) -> list[Ranked]:
    """``pks`` best first by ``model`` (trained on ``library`` when None), the first ``limit``
    of them (all when negative), each with its why. Papers of equal score keep their order."""
    model = model or train(library)
    examples = {e.pk: e for e in library.examples(pks)}
    present = [pk for pk in pks if pk in examples]
    scores = model.scores([examples[pk] for pk in present])
    ranked = sorted(zip(present, scores, strict=True), key=lambda pair: -pair[1])
    if limit >= 0:
        ranked = ranked[:limit]
    return [
        Ranked(pk, round(float(score), 4), tuple(model.why(examples[pk]))) for pk, score in ranked
    ]
