"""Triage decisions: every change the reader makes to a paper's state, star, tags, beats or
note.

Decisions are logged (append-only) so that undo works across restarts: undoing appends the
inverse decision, pointing at the one it undoes, and never deletes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Action(StrEnum):
    STATE = "state"  # before/after: new, read, skipped, archived
    STAR = "star"  # before/after: "0" or "1"
    TAG = "tag"  # before/after: "" (absent) or the tag
    BEAT = "beat"  # before/after: "" (absent) or the beat's name
    NOTE = "note"  # before/after: "" (no note) or the note's text (schema step 15)


@dataclass(frozen=True, slots=True)
class Decision:
    """One logged change to a paper (``before`` to ``after``), undoable by ``id``."""

    id: int
    at: datetime
    action: Action
    paper_pk: int
    before: str
    after: str
    batch: int | None = None
    undoes: int | None = None

    def describe(self) -> str:
        """``read → new``, ``starred``, ``tagged #x``, ``untagged #x``, ``put on Beat``,
        ``note written``."""
        if self.action is Action.STATE:
            return f"{self.before} → {self.after}"
        if self.action is Action.STAR:
            return "starred" if self.after == "1" else "unstarred"
        if self.action is Action.TAG:
            return f"tagged #{self.after}" if self.after else f"untagged #{self.before}"
        if self.action is Action.NOTE:
            if not self.after:
                return "note cleared"
            return "note edited" if self.before else "note written"
        return f"put on {self.after}" if self.after else f"taken off {self.before}"

    def undone(self, papers: int = 1) -> str:
        """What undoing it went back to: ``back to new (it was skipped)``, ``unstarred
        again``, ``#x taken off again``; of ``papers`` papers (a batch)."""
        if self.action is Action.STATE:
            if papers > 1:
                return f"{papers} papers back to {self.before} (they were {self.after})"
            return f"back to {self.before} (it was {self.after})"
        if self.action is Action.STAR:
            what = "unstarred again" if self.after == "1" else "starred again"
        elif self.action is Action.TAG:
            what = f"#{self.after} taken off again" if self.after else f"#{self.before} put back"
        elif self.action is Action.NOTE:
            if not self.before:
                what = "note removed again"
            else:
                what = "note put back" if not self.after else "note back as it was"
        else:
            what = f"taken off {self.after} again" if self.after else f"put back on {self.before}"
        return f"{papers} papers {what}" if papers > 1 else what
