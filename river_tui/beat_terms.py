"""A term added to a beat, and the preview before: the papers it would move, by the beat's rule.

Shared by ``river beats add`` and the reader's term suggestions (``T``). Adding a term edits
the user's beats.toml (a copy of the bundled one first, when there is none), reads the beats
back from it, and makes the beat's matches again in one transaction
(:meth:`~river_tui.store.library.Library.sync_beat`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from river_tui.domain.beat_terms import (
    FIRST,
    Mover,
    Preview,
    TermKind,
    TermRefused,
    checked_term,
    may_hold,
    moves,
    with_term,
)
from river_tui.domain.beats import Beat, folded_texts
from river_tui.exports.atomic import write_atomic
from river_tui.settings import BEATS_FILE, Settings
from river_tui.settings.editor import add_term as edited
from river_tui.settings.editor import beats_of, user_beats_text
from river_tui.settings.toml import SettingsError
from river_tui.store.library import Library, LibraryError

TITLE = 300
"""Characters of a moving paper's title a preview keeps."""


def find_beat(beats: list[Beat], name: str) -> Beat:
    """The beat named ``name`` (exactly, else ignoring case); :class:`TermRefused` if none."""
    found = next((b for b in beats if b.name == name), None)
    found = found or next((b for b in beats if b.name.casefold() == name.casefold()), None)
    if found is None:
        known = ", ".join(b.name for b in beats)
        raise TermRefused(f"no beat named {name!r} (beats: {known})")
    return found


def preview(
    library: Library, beat_name: str, kind: TermKind, term: str, first: int = FIRST
) -> Preview:
    """Every paper of ``library`` that adding ``term`` to ``beat_name`` would move, counted;
    the first ``first`` of each direction listed, each with the reader's decision on it.
    Raises :class:`TermRefused` for a term the beat cannot take."""
    beat = find_beat(library.beats, beat_name)
    term = checked_term(beat, kind, term)
    after = with_term(beat, kind, term)
    labels = library.decision_labels()
    hand, _tagged = library.beat_decisions(beat)
    found = Preview(beat.name, kind, term, first=first)
    for pk, paper_id, title, abstract in library.rule_rows():
        folded = folded_texts(title, abstract)
        if not may_hold(term, folded):
            continue  # the term is not in it: nothing changes for it
        if direction := moves(beat, after, title, abstract, folded):
            short = " ".join(title[:TITLE].split())
            found.add(Mover(pk, paper_id, short, labels.get(pk), pk in hand), direction)
    return found


@dataclass(frozen=True, slots=True)
class Added:
    """A term added: the settings now in force, the file written, whether it was first
    copied from the bundled beats, and the papers reclassified."""

    settings: Settings
    path: Path
    copied: bool
    reclassified: int

    beat: str = ""
    kind: TermKind = TermKind.INCLUDE
    term: str = ""

    @property
    def line(self) -> str:
        """``added include term “x” to Beat in PATH`` (and whether the file was copied)."""
        copied = " (a copy of the bundled beats, made for you)" if self.copied else ""
        return f"added {self.kind} term “{self.term}” to {self.beat} in {self.path}{copied}"


def add_term(
    settings: Settings, library: Library, beat_name: str, kind: TermKind, term: str
) -> Added:
    """Append ``term`` to the ``kind`` list of ``beat_name`` in the user's beats.toml, then
    reclassify the library for that beat. Raises :class:`TermRefused` (the term or beat),
    :class:`SettingsError` (the file) or :class:`LibraryError` (a read-only library), each
    before anything is written."""
    beat = find_beat(settings.beats, beat_name)
    term = checked_term(beat, kind, term)
    if library.read_only:
        raise LibraryError(f"{library.path}: the library is read-only; nothing was changed")
    paths = settings.paths
    path, text, copied = user_beats_text(paths.beats, paths.config_dir, BEATS_FILE)
    new_text = edited(text, path, beat.name, str(kind), term)
    beats = beats_of(path, new_text)
    if term not in getattr(find_beat(beats, beat.name), str(kind)):
        raise SettingsError(f"{path}: the term did not land in {beat.name}'s {kind} list")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, new_text, force=True)
    count = library.sync_beat(beats, beat.name)
    now = replace(settings, beats=beats, paths=replace(paths, beats=path))
    return Added(now, path, copied, count, beat.name, kind, term)
