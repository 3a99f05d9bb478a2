"""The "for you" order over papers in memory: the path the benchmark and the tests of the
model's quality take, the same features, weighting and regression as the library's
(:mod:`river_tui.learning.train`), without a library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from river_tui.domain.interest import Example
from river_tui.learning.model import ReaderModel, Weighting, encode


def rank(examples: Sequence[Example], labels: Mapping[int, bool]) -> list[int]:
    """The pks of ``examples`` that ``labels`` does not name, best first by the model of the
    decisions ``labels`` holds (pk -> kept), with the weighting of all of ``examples``.
    Papers of equal score keep their order. Raises
    :class:`~river_tui.domain.interest.TooFewDecisions`."""
    rows = encode(examples)
    weighting = Weighting.of(len(rows), Weighting.frequencies(rows))
    decided = [i for i, e in enumerate(examples) if e.pk in labels]
    model = ReaderModel.fit(
        weighting, [rows[i] for i in decided], [labels[examples[i].pk] for i in decided]
    )
    rest = [i for i, e in enumerate(examples) if e.pk not in labels]
    scores = model.scores([rows[i] for i in rest])
    return [examples[rest[i]].pk for i in np.argsort(-scores, kind="stable")]
