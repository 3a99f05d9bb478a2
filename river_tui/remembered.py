"""What River remembers between runs that belongs to neither the library nor config.toml: the
theme last chosen in the reader. One small JSON file in the data folder (``ui.json``), written
atomically; a file that is missing, damaged (not JSON, not UTF-8, nested too deeply) or names a
theme River no longer has reads as nothing remembered."""

from __future__ import annotations

import json
from pathlib import Path

from river_tui.exports.atomic import ExportError, write_atomic

UI_STATE = "ui.json"


def load_theme(folder: Path) -> str | None:
    """The theme remembered in ``folder``, if any."""
    try:
        data = json.loads((folder / UI_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: [[[…]]], too deep
        return None
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme if isinstance(theme, str) and theme else None


def save_theme(folder: Path, theme: str) -> None:
    """Remember ``theme`` (what else the file holds is kept). Raises :class:`ExportError`
    with one line for the user when it cannot be written."""
    path = folder / UI_STATE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: [[[…]]], too deep
        data = {}
    if not isinstance(data, dict):
        data = {}
    data["theme"] = theme
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{folder}: cannot write: {exc.strerror or exc}") from None
    write_atomic(path, json.dumps(data, indent=2) + "\n", force=True)
