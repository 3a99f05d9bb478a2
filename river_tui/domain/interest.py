"""What the reader's model reads of a paper, and why a paper scored as it did.

The model itself (scikit-learn) is :mod:`river_tui.learning.model`; these are its plain inputs
and outputs, so the store and the reader can name them without loading it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Example:
    """What the model reads of one paper."""

    pk: int
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    organization: str = ""


@dataclass(frozen=True, slots=True)
class Reason:
    """One feature's part in a score: ``weight`` > 0 pushed the paper up."""

    feature: str
    weight: float

    def __str__(self) -> str:
        return f"{'+' if self.weight > 0 else '−'} {self.feature}"


@dataclass(frozen=True, slots=True)
class Ranked:
    """One paper in the "for you" order: its score and the features that made it."""

    pk: int
    score: float
    why: tuple[Reason, ...]
