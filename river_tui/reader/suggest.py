"""The term suggestions of a beat, as the reader shows them (``T`` in a beat's view) and
``river beats`` prints them: no Textual here.

:class:`SuggestState` is the dialog's state: the beat, its suggestions (when found), the one
chosen and its preview. The work (finding them, previewing, adding) is done by the caller off
the UI thread; this module says what is shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from river_tui.domain.beat_terms import Mover, Preview, Suggestion
from river_tui.reader.actions import shorten
from river_tui.reader.views import NavKind, NavTarget

NOT_A_BEAT = "Term suggestions are for a beat's view"
TITLE = 70
"""Characters of a moving paper's title in a preview line."""


def beat_of(view: NavTarget) -> str | None:
    """The beat a view shows (None: the view is not a beat's)."""
    return view.value if view.kind is NavKind.BEAT else None


def decision(mover: Mover) -> str:
    if mover.kept is None:
        return "-"
    return "kept" if mover.kept else "let go"


def mover_line(mover: Mover, width: int = TITLE) -> str:
    """``2606.05152  kept    A title…  (by hand)``"""
    hand = "  (on the beat by hand)" if mover.by_hand else ""
    return f"{mover.id:<14} {decision(mover):<7} {shorten(mover.title, width)}{hand}"


def preview_lines(preview: Preview, width: int = TITLE) -> list[str]:
    """The preview as lines: the summary, then the papers that join and those that leave
    (the first of each, and how many more)."""
    lines = [preview.summary()]
    for label, count, movers in (
        ("join", preview.joining, preview.joins),
        ("leave", preview.leaving, preview.leaves),
    ):
        if not count:
            continue
        lines.append(f"{count} would {label}:")
        lines += ["  " + mover_line(m, width) for m in movers]
        if count > len(movers):
            lines.append(f"  … and {count - len(movers)} more")
    return lines


def suggestion_json(s: Suggestion) -> dict[str, object]:
    return {
        "beat": s.beat,
        "kind": str(s.kind),
        "term": s.term,
        "kept": s.kept,
        "let_go": s.let_go,
        "usefulness": s.usefulness,
    }


@dataclass
class SuggestState:
    """The suggestions dialog of one beat: what it lists, and the preview shown (if any)."""

    beat: str
    suggestions: list[Suggestion] | None = None
    """None until found."""
    error: str = ""
    """Why there are none (too few decisions, a failure), one line."""
    chosen: Suggestion | None = None
    preview: Preview | None = None
    added: list[str] = field(default_factory=list)
    """The terms added from this dialog."""

    @property
    def previewing(self) -> bool:
        return self.chosen is not None

    def found(self, suggestions: list[Suggestion]) -> None:
        self.suggestions = suggestions
        if not suggestions:
            self.error = (
                f"No term to suggest for {self.beat} yet: star, tag, skip or put papers on "
                "it by hand, then ask again."
            )

    def choose(self, index: int) -> Suggestion | None:
        """Preview suggestion ``index`` (its papers are read by the caller)."""
        if not self.suggestions or not 0 <= index < len(self.suggestions):
            return None
        self.chosen, self.preview = self.suggestions[index], None
        return self.chosen

    def back(self) -> bool:
        """From the preview to the list (False: the list was shown: close)."""
        if self.chosen is None:
            return False
        self.chosen = self.preview = None
        return True

    def heading(self) -> str:
        if self.suggestions is None:
            return f"Looking for terms for {self.beat}…"
        if self.chosen is None:
            return f"Terms for {self.beat}: Enter previews · Esc closes"
        return f"Preview of {self.chosen.describe()}"
