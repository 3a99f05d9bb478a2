"""The reader's decisions on papers: one paper at a time, a whole view, and undo.

Single-paper decisions are one small transaction each, written on the session's thread;
marking a whole view and undo (which may reverse such a batch) run off it, on a connection of
their own, one at a time (:attr:`Decisions.busy`). Every decision goes through the library's
log, so undo works after a restart too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from river_tui.domain import PaperRecord, TriageState
from river_tui.domain.notes import NoteTooLong, clean_note
from river_tui.domain.papers import DETAIL
from river_tui.domain.text import counted
from river_tui.reader.actions import refocus_pk, toggled, undo_message
from river_tui.reader.executor import Lane
from river_tui.store.library import Library, LibraryError

if TYPE_CHECKING:
    from river_tui.domain.triage import Decision
    from river_tui.reader.session import ReaderSession

T = TypeVar("T")

_DONE = {
    TriageState.NEW: "Marked new",
    TriageState.READ: "Marked read",
    TriageState.SKIPPED: "Skipped",
    TriageState.ARCHIVED: "Archived",
}
"""What a decision on the marked papers says it did."""


class Decisions:
    """What the paper keys decide, and the undo and busy state."""

    def __init__(self, session: ReaderSession) -> None:
        self.session = session
        self.busy = ""
        """What a background write is doing ("" when none is running)."""
        self.undos_waiting = 0
        """Undo keys pressed while a write was running: each runs after it, in turn."""
        self._dossier_changed = False
        """A claim was saved or tended since the last paper decision (see :meth:`undo`)."""
        self.move_on = True
        """After read, skip or archive, the cursor goes to the next paper (``[reader]
        move_on``): in a view the paper leaves (the Inbox) it is there already; in one it stays
        in (a beat's), the cursor moves down a row."""

    @property
    def library(self) -> Library:
        return self.session.library

    def writable(self) -> bool:
        if self.busy:
            self.session.say(f"Still {self.busy}: try again in a moment.")
        return not self.busy

    def decide(self, pk: int, change: Callable[[], bool]) -> bool:
        """Write one decision on paper ``pk`` (one small transaction, here) and show it;
        False when it changed nothing."""
        if not self.writable():
            return False
        try:
            changed = change()
        except LibraryError as exc:
            self.session.say(str(exc), "error")
            return False
        self.session.listener.acted_on(pk)
        if changed:
            self._dossier_changed = False  # the decision an undo takes back now
            self.session.changed(pk)
        return changed

    def toggle_state(self, state: TriageState) -> None:
        """``state`` for the paper under the cursor, or back to new if it is there already;
        with papers marked, for all of them (back to new if all are in it already)."""
        if self.session.marked:
            marked = self._marked()
            target = TriageState.NEW if all(p.state is state for p in marked) else state
            self._decide_marked(
                f"{_DONE[target]} {counted(len(marked), 'paper')}",
                lambda lib: lib.mark([p.pk for p in marked], state=target),
            )
            return
        if (paper := self.session.paper()) is None:
            return
        target = toggled(paper.state, state)
        if self.decide(paper.pk, lambda: self.library.set_state(paper.pk, target)):
            self._move_on(paper.pk)

    def _move_on(self, pk: int) -> None:
        """Paper ``pk`` was decided: if it is still under the cursor (its view keeps it) and
        :attr:`move_on` holds, the cursor goes down a row."""
        session = self.session
        shown = session.highlighted
        if self.move_on and shown is not None and shown.pk == pk:
            session.move_to(session.cursor + 1)

    def star(self) -> None:
        if self.session.marked:
            marked = self._marked()
            starred = not all(p.starred for p in marked)
            self._decide_marked(
                f"{'Starred' if starred else 'Unstarred'} {counted(len(marked), 'paper')}",
                lambda lib: lib.mark([p.pk for p in marked], starred=starred),
            )
            return
        if (paper := self.session.paper()) is None:
            return
        self.decide(paper.pk, lambda: self.library.set_starred(paper.pk, not paper.starred))

    def tag(self, pk: int, tag: str, remove: bool = False) -> None:
        """Tag paper ``pk`` (or untag it); with papers marked, all of them instead."""
        if self.session.marked:
            pks = sorted(self.session.marked)
            done = f"{'Untagged' if remove else 'Tagged'} {counted(len(pks), 'paper')} #{tag}"
            self._decide_marked(done, lambda lib: lib.tag_all(pks, tag, remove))
            return
        if remove:
            change = lambda: self.library.remove_tag(pk, tag)  # noqa: E731
            done, undone = f"Untagged #{tag}", f"#{tag} is not on this paper"
        else:
            change = lambda: self.library.add_tag(pk, tag)  # noqa: E731
            done, undone = f"Tagged #{tag}", f"Already tagged #{tag}"
        self.session.say(done if self.decide(pk, change) else undone)

    def put_on_beat(self, pk: int, beat: str, remove: bool = False) -> None:
        if remove:
            change = lambda: self.library.unassign_beat(pk, beat)  # noqa: E731
            done = f"Taken off {beat}"
        else:
            change = lambda: self.library.assign_beat(pk, beat)  # noqa: E731
            done = f"Put on {beat}"
        self.session.say(done if self.decide(pk, change) else f"Already on {beat}")

    def save_note(self, pk: int, text: str) -> bool:
        """Paper ``pk``'s note becomes ``text`` ("" clears it): one small transaction here,
        said, and undoable. False when nothing was written: the same note, a note over 100 kB
        or a write that failed (each said)."""
        try:
            note = clean_note(text)
        except NoteTooLong as exc:
            self.session.say(f"Not saved: {exc}.", "error")
            return False
        before = self.library.note(pk)
        if note == before:
            self.session.say("The note is unchanged.")
            return False
        if not self.decide(pk, lambda: self.library.set_note(pk, note)):
            return False
        done = "Note cleared" if not note else "Note saved" if before else "Note written"
        self.session.say(f"{done}. u undoes it.")
        return True

    def mark_opened_read(self, pk: int) -> None:
        """Paper ``pk`` was opened long enough: mark it read. Its row changes in place and
        stays in the view (the Inbox too) until the next reload, so what is being read does
        not jump away."""
        if self.busy:
            return
        record = self.session.shown_record(pk)
        if record is None or record.state is not TriageState.NEW:
            return
        try:
            self.library.set_state(pk, TriageState.READ)
        except LibraryError:
            return
        self._dossier_changed = False
        self.session.listener.library_changed(pk, self.session.shown_record(pk))
        if (row := self.session.rows.patch(pk, state=TriageState.READ)) is not None:
            self.session.listener.row_changed(row)
        self.session.refresh_counts()

    def claim_changed(self, pk: int | None = None) -> None:
        """A claim was saved or tended (citing paper ``pk``, if one): the next undo says it
        undoes a paper decision instead (a claim's history only grows)."""
        self._dossier_changed = True
        self.session.changed(pk)

    def _marked(self) -> list[PaperRecord]:
        """The marked papers as they are now (one read of each, their long fields cut)."""
        found = (self.library.record(pk, DETAIL) for pk in sorted(self.session.marked))
        return [p for p in found if p is not None]

    def _decide_marked(self, done: str, job: Callable[[Library], int]) -> None:
        """One decision on every marked paper, written off this thread as one undoable
        action; the marks are cleared once it is written."""

        def written(_changed: int) -> None:
            self.session.marked.clear()
            self.session.say(f"{done}. u undoes it.")
            self.session.changed()

        self._write("deciding for the marked papers", job, written)

    def mark_all_read(self) -> None:
        """Mark every new paper of the rows shown read (skipped and archived ones stay so)."""
        rows = self.session.rows
        flt = rows.filter
        if flt.state is None:
            flt = replace(flt, state=TriageState.NEW)
        if (
            flt.state is TriageState.READ
            or rows.count == 0
            or (flt.state is TriageState.NEW and rows.unread == 0)
        ):
            self.session.say("Nothing to mark: no unread paper in this view.")
            return
        label = rows.label

        def marked(count: int) -> None:
            self.session.say(f"Marked {counted(count, 'paper')} in {label} read. u undoes it.")
            self.session.changed()

        self._write("marking papers read", lambda lib: lib.mark_all(flt, TriageState.READ), marked)

    def undo(self) -> None:
        """Undo the last decision. Pressed while a write is running (``u u u`` in quick
        succession: each undo is one), it waits its turn instead of being refused."""
        if self.busy:
            self.undos_waiting += 1
            return
        if self._dossier_changed:
            # A claim's history only grows: the last change, to a dossier, stays; say so rather
            # than undo an older paper decision, maybe of a paper out of sight, unannounced.
            # Undos still waiting were pressed before that change: they are dropped too.
            self._dossier_changed = False
            self.undos_waiting = 0
            self.session.say(
                "The last change, to a dossier, stays in its claim's history: u undoes paper "
                "decisions. Press u again to undo the last of those.",
                "warning",
            )
            return
        self._write("undoing", lambda lib: lib.undo(), self._undone)

    def _undone(self, decisions: list[Decision]) -> None:
        pk = refocus_pk(decisions)
        record = self.session.shown_record(pk) if pk is not None else None
        self.session.say(undo_message(decisions, record.paper.title if record else ""))
        if decisions:
            self.session.changed(focus_pk=pk)

    def _write(self, doing: str, job: Callable[[Library], T], done: Callable[[T], None]) -> None:
        """Run ``job`` on a connection of its own, off this thread; then ``done(result)``."""
        if not self.writable():
            return
        self.busy = doing
        self._dossier_changed = False
        self.session.own_write_started()
        written = lambda result: self._written(done, result)  # noqa: E731
        self.session.executor.submit(
            Lane.WRITE, self.session.on_own_connection(job, written), self._not_written
        )

    def _written(self, done: Callable[[T], None], result: T) -> None:
        self.busy = ""
        done(result)
        self.session.own_write_ended()
        if self.undos_waiting:
            self.undos_waiting -= 1
            self.undo()

    def _not_written(self, error: Exception) -> None:
        self.busy = ""
        self.undos_waiting = 0  # undoing on after a failed write would undo blindly
        self.session.say(f"Could not write: {error}", "error")
        self.session.own_write_ended()
