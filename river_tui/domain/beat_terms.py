"""A term a beat could add: whether it can be added, the beat with it, and the papers it moves.

A paper *moves* when the beat's own rule (:meth:`Beat.classify`) gives it another verdict once
the term is added. An include term can only bring papers onto the beat (they *join*); an
exclude term can only take papers off it (they *leave*). A paper put on the beat by hand stays
in the beat's view either way: it moves by the rule all the same, and is marked so.

A suggestion counts the papers it moves among the reader's decisions (``labels``: kept or let
go, :func:`river_tui.store.learning.labels`): moved the way the reader decided (a kept paper
joining, a let-go paper leaving) or against it (a let-go paper joining, a kept one leaving).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from river_tui.domain.beats import Beat, Verdict, folded_texts
from river_tui.domain.text import clean_line

MAX_TERM = 80
"""Characters a term may have (the longest of the bundled beats has 22)."""
MAX_WORDS = 6
FIRST = 20
"""Papers a preview lists of those that join, and of those that leave (it counts them all)."""


class TermKind(StrEnum):
    INCLUDE = "include"
    EXCLUDE = "exclude"


class TermRefused(ValueError):
    """A term that cannot be added to a beat: one line saying why."""


def term_key(term: str) -> str:
    """How the rule reads a term: case-folded, each run of spaces and hyphens one space."""
    return re.sub(r"[\s\-]+", " ", term.casefold()).strip()


def checked_term(beat: Beat, kind: TermKind, term: str) -> str:
    """``term`` as it would be added to ``beat``'s ``kind`` list (spaces folded); raises
    :class:`TermRefused` when it is empty, too long, has no letter or digit, or the beat has it
    already (as an include or an exclude term, in any case or spelling of its gaps)."""
    cleaned = clean_line(term)
    if not cleaned:
        raise TermRefused("a term needs at least one letter or digit")
    if len(cleaned) > MAX_TERM:
        raise TermRefused(f"a term has at most {MAX_TERM} characters")
    if not any(c.isalnum() for c in cleaned):
        raise TermRefused(f"{cleaned!r} has no letter or digit to match")
    if len(cleaned.split()) > MAX_WORDS:
        raise TermRefused(f"a term has at most {MAX_WORDS} words")
    key = term_key(cleaned)
    for other, terms in ((TermKind.INCLUDE, beat.include), (TermKind.EXCLUDE, beat.exclude)):
        for existing in terms:
            if term_key(existing) == key:
                where = "already" if other is kind else f"already an {other} term:"
                raise TermRefused(f"{beat.name}: {existing!r} is {where} in its {other} list")
    return cleaned


def with_term(beat: Beat, kind: TermKind, term: str) -> Beat:
    """``beat`` with ``term`` added at the end of its ``kind`` list."""
    if kind is TermKind.INCLUDE:
        return replace(beat, include=(*beat.include, term))
    return replace(beat, exclude=(*beat.exclude, term))


Folded = tuple[str | None, str | None]
"""A paper's title and abstract as the rule folds them (:func:`folded_texts`)."""


def on_by_rule(beat: Beat, title: str, abstract: str, folded: Folded | None = None) -> bool:
    """The beat's rule puts the paper on it (a match, not excluded)."""
    found = beat.classify(title, abstract, folded)
    return found is not None and found.verdict is Verdict.MATCH


def may_hold(term: str, folded: Folded) -> bool:
    """False when ``term`` occurs in neither text (the rule's own shortcut): adding it then
    moves nothing."""
    key = term_key(term)
    return any(text is None or key in text for text in folded)


def moves(
    before: Beat, after: Beat, title: str, abstract: str, folded: Folded | None = None
) -> int:
    """+1: the paper joins the beat by its rule; -1: it leaves; 0: it stays as it was."""
    folded = folded or folded_texts(title, abstract)
    return int(on_by_rule(after, title, abstract, folded)) - int(
        on_by_rule(before, title, abstract, folded)
    )


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A term to add to a beat, and how many of the reader's decided papers it moves."""

    beat: str
    kind: TermKind
    term: str
    kept: int
    """Kept papers it moves (joining for an include term, leaving for an exclude term)."""
    let_go: int
    """Let-go papers it moves."""

    @property
    def right(self) -> int:
        """Papers it moves the way the reader decided."""
        return self.kept if self.kind is TermKind.INCLUDE else self.let_go

    @property
    def wrong(self) -> int:
        """Papers it moves against the reader's decisions."""
        return self.let_go if self.kind is TermKind.INCLUDE else self.kept

    @property
    def usefulness(self) -> int:
        """Decisions it agrees with minus decisions it goes against."""
        return self.right - self.wrong

    def describe(self) -> str:
        """``+ "tool calling": brings in 4 kept, 1 let go`` (one line)."""
        sign, verb = ("+", "brings in") if self.kind is TermKind.INCLUDE else ("−", "drops")
        return f"{sign} “{self.term}”: {verb} {self.kept} kept, {self.let_go} let go"


@dataclass(frozen=True, slots=True)
class RuleText:
    """A paper as the rule reads it, folded once for the many terms tried on it."""

    title: str
    abstract: str
    folded: Folded

    @classmethod
    def of(cls, title: str, abstract: str) -> RuleText:
        return cls(title, abstract, folded_texts(title, abstract))


def tally(
    before: Beat,
    kind: TermKind,
    term: str,
    texts: Mapping[int, RuleText],
    labels: Mapping[int, bool],
) -> tuple[int, int]:
    """(kept, let go): the papers of ``texts`` (the decided ones) that adding ``term`` to
    ``before``'s ``kind`` list moves, by ``labels``."""
    after = with_term(before, kind, term)
    kept = let_go = 0
    for pk, text in texts.items():
        if pk not in labels or not may_hold(term, text.folded):
            continue
        if moves(before, after, text.title, text.abstract, text.folded):
            if labels[pk]:
                kept += 1
            else:
                let_go += 1
    return kept, let_go


@dataclass(frozen=True, slots=True)
class Mover:
    """A paper a term would move: its id and title, the reader's decision on it (None: none),
    and whether it is on the beat by hand (then it stays in the beat's view)."""

    pk: int
    id: str
    title: str
    kept: bool | None
    by_hand: bool


@dataclass
class Preview:
    """The papers a term would move: all of them counted, the first :data:`FIRST` of each
    direction listed."""

    beat: str
    kind: TermKind
    term: str
    joining: int = 0
    leaving: int = 0
    kept: int = 0
    let_go: int = 0
    joins: list[Mover] = field(default_factory=list)
    leaves: list[Mover] = field(default_factory=list)
    first: int = FIRST

    def add(self, mover: Mover, direction: int) -> None:
        """Count ``mover`` (``direction``: +1 joins, -1 leaves)."""
        if mover.kept is not None:
            if mover.kept:
                self.kept += 1
            else:
                self.let_go += 1
        if direction > 0:
            self.joining += 1
            if len(self.joins) < self.first:
                self.joins.append(mover)
        else:
            self.leaving += 1
            if len(self.leaves) < self.first:
                self.leaves.append(mover)

    def summary(self) -> str:
        """``"tool calling" on Agents: 12 papers join (4 kept, 1 let go), none leave``."""
        join = f"{self.joining} join" if self.joining else "none join"
        leave = f"{self.leaving} leave" if self.leaving else "none leave"
        return (
            f"{self.kind} “{self.term}” on {self.beat}: {join}, {leave} "
            f"({self.kept} kept, {self.let_go} let go among them)"
        )
