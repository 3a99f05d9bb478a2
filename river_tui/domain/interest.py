"""What the reader's model reads of a paper, and why a paper scored as it did.

The model itself (scikit-learn) is :mod:`river_tui.learning.model`; these are its plain inputs
and outputs, so the store and the reader can name them without loading it."""

from __future__ import annotations

import math
import sys
import unicodedata
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ENCODING = "words(1,2)-english+author-full+category+organization/2^20"
"""What :func:`river_tui.learning.model.encode` computes, named: features stored by another
encoding are computed again (:func:`river_tui.learning.train.update`)."""
MIN_EACH = 3
"""Decisions of each kind (kept, let go) a model needs before it orders anything."""

SPACES: dict[str, tuple[int, int]] = {
    "words": (0, 1 << 20),
    "author": (1 << 20, 1 << 17),
    "category": ((1 << 20) + (1 << 17), 1 << 12),
    "organization": ((1 << 20) + (1 << 17) + (1 << 12), 1 << 15),
}
"""Each kind of evidence's columns: (first column, how many). Words and phrases are hashed to
one of about a million columns, so two rarely share one; a model never grows with the library."""
FEATURES = sum(SPACES["organization"])
WEIGHTS: dict[str, float] = {"words": 1.0, "author": 0.5, "category": 1.0, "organization": 1.0}
"""How much each kind of evidence counts, each kind first made unit length. A paper's authors
count half as much as its words: at full weight they lowered precision at 20 on 2,000 real
arXiv records (astro-ph 0.95 against 1.00 with words alone), at half they cost nothing there
(docs/performance.md, "How well for you ranks"), and in a reader's own library, where authors
recur, they are evidence the words do not hold."""


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


class NothingToLearn(Exception):
    """No decided paper has a word, an author, a category or an organization to tell it by
    (the caller names the model)."""

    def __init__(self) -> None:
        super().__init__(
            "has nothing to learn from: no paper has a word, an author, a category or an "
            "organization to tell it by"
        )


class TooFewDecisions(Exception):
    """Fewer than :data:`MIN_EACH` papers kept or let go: nothing to learn from yet. The
    message says what the model needs; the caller names the model ("for you", a beat)."""

    def __init__(self, kept: int, let_go: int) -> None:
        super().__init__(
            f"needs {MIN_EACH} papers kept (starred, tagged, put on a beat or promoted) and "
            f"{MIN_EACH} let go (skipped or archived); there are {kept} and {let_go}"
        )
        self.kept = kept
        self.let_go = let_go


def author_feature(name: str) -> str:
    """One author as a feature: the name with accents, case, dots and order set aside, so
    ``Gödel, Kurt`` and ``Kurt Godel`` are one column (``K. Gödel`` is another: initials are
    not guessed at, and two people who share a surname and an initial stay two)."""
    plain = unicodedata.normalize("NFKD", name[:200])
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    if "," in plain:
        surname, _, given = plain.partition(",")
        plain = f"{given} {surname}"
    return " ".join(plain.replace(".", " ").split())


def decode(row: bytes) -> tuple[bytes, bytes]:
    """A paper's stored features: its column numbers (little-endian int32) and their counts
    (one byte each)."""
    n = len(row) // 5
    return row[: 4 * n], row[4 * n : 5 * n]


_STARTS = sorted(start for start, _ in SPACES.values())
_KIND_WEIGHTS = [WEIGHTS[k] for k, _ in sorted(SPACES.items(), key=lambda item: item[1][0])]


def numbers(raw: bytes, typecode: str) -> array:
    """Little-endian numbers as stored (``"i"``: int32 columns, ``"f"``: float32 idf)."""
    out = array(typecode)
    out.frombytes(raw)
    if sys.byteorder == "big":
        out.byteswap()
    return out


def explain(
    row: bytes,
    idf: Sequence[float],
    weights: Mapping[int, tuple[str, float]],
    most: int = 3,
) -> list[Reason]:
    """The features that moved a paper's score most (up to ``most`` up, then down, weights
    to four significant digits), from its stored features ``row``, the library's ``idf`` per
    column and the model's ``weights`` (column -> (name, weight)). Plain arithmetic: the
    reader explains a paper without loading the model's library."""
    raw, counts = decode(row)
    columns = numbers(raw, "i")
    values = [
        (1 + math.log(n)) * idf[c] if n else 0.0 for c, n in zip(columns, counts, strict=True)
    ]
    norms = [0.0] * len(_STARTS)
    kinds = [_kind(c) for c in columns]
    for value, kind in zip(values, kinds, strict=True):
        norms[kind] += value * value
    parts = []
    for column, value, kind in zip(columns, values, kinds, strict=True):
        if column in weights and norms[kind] > 0 and value:
            name, weight = weights[column]
            parts.append((value / math.sqrt(norms[kind]) * _KIND_WEIGHTS[kind] * weight, name))
    parts.sort(key=lambda p: p[0])
    up = [p for p in parts[::-1][:most] if p[0] > 0]
    down = [p for p in parts[:most] if p[0] < 0]
    return [Reason(name, float(f"{part:.4g}")) for part, name in up + down]


def _kind(column: int) -> int:
    kind = 0
    while kind + 1 < len(_STARTS) and column >= _STARTS[kind + 1]:
        kind += 1
    return kind
