"""The status line under the panes: where the library is and what River is doing."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    """One line: the library path, then the current activity (if any)."""

    def __init__(self, library_path: str, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self.library_path = library_path
        self.activity = ""

    def on_mount(self) -> None:
        self._render_line()

    def set_activity(self, activity: str) -> None:
        """Show what River is doing ("" clears it)."""
        self.activity = activity
        self._render_line()

    def _render_line(self) -> None:
        line = Text(" library ", style="dim")
        line.append(self.library_path)
        if self.activity:
            line.append("  ·  ", style="dim")
            line.append(self.activity, style="bold")
        self.update(line)
