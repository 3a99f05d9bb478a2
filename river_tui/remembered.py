"""What River remembers between runs: not settings (the user writes those,
:mod:`river_tui.settings`), but choices made in the reader, kept where they belong.

=================  =============================================  ===============================
what               where, in what form                            a damaged or missing one
=================  =============================================  ===============================
the theme          ``ui.json`` in the data folder:                reads as nothing remembered (not
                   ``{"theme": "nord", …}``, written atomically,  JSON, not UTF-8, nested too
                   other keys kept                                deeply, a theme River no longer
                                                                  has); one that cannot be
                                                                  written is said, and the theme
                                                                  is still used
the view and sort  ``ui.json`` too: ``"view": "beat:Frontier      reads as the Inbox, newest
shown at quit      capability"``, ``"sort": "upvotes"``, written  first (a view that is no longer
                   when the reader quits                          there, a sort River does not
                                                                  have); one that cannot be
                                                                  written is left unsaid
saved searches     the library's ``meta`` table, key              reads as no saved searches (not
                   ``saved_searches``: ``{"name": "query", …}``   JSON, not an object, nested too
                   in the order saved; they travel with the       deeply); entries that are not
                   library file                                   name -> text are left out
=================  =============================================  ===============================

(The library also keeps what
River itself needs, not choices: the fetch log, ``sample.seeded`` (the sample is imported
once), the beats last matched with; and the data folder the arXiv rate limit's state, shared
by River's processes.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from river_tui.domain.text import clean_line
from river_tui.exports.atomic import ExportError, write_atomic

UI_STATE = "ui.json"
"""The file in the data folder that keeps the theme."""
SAVED_SEARCHES = "saved_searches"
"""The library's ``meta`` key that keeps the saved searches."""


# -- the theme: ui.json in the data folder ---------------------------------------------------


def _ui_state(folder: Path) -> dict:
    try:
        data = json.loads((folder / UI_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: [[[…]]], too deep
        return {}
    return data if isinstance(data, dict) else {}


def load_theme(folder: Path) -> str | None:
    """The theme remembered in ``folder``, if any."""
    theme = _ui_state(folder).get("theme")
    return theme if isinstance(theme, str) and theme else None


def save_theme(folder: Path, theme: str) -> None:
    """Remember ``theme`` (what else the file holds is kept). Raises :class:`ExportError`
    with one line for the user when it cannot be written."""
    data = _ui_state(folder)
    data["theme"] = theme
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{folder}: cannot write: {exc.strerror or exc}") from None
    write_atomic(folder / UI_STATE, json.dumps(data, indent=2) + "\n", force=True)


def load_reading(folder: Path) -> tuple[str, str]:
    """The view (its ``kind:value`` key) and the sort shown when the reader last quit, as
    written; "" for what is not remembered. The reader checks that they still hold."""
    data = _ui_state(folder)
    view, sort = data.get("view"), data.get("sort")
    return (view if isinstance(view, str) else "", sort if isinstance(sort, str) else "")


def save_reading(folder: Path, view: str, sort: str) -> None:
    """Remember the view (its key) and the sort shown (what else the file holds is kept).
    Raises :class:`ExportError` when it cannot be written."""
    data = _ui_state(folder)
    data["view"], data["sort"] = view, sort
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{folder}: cannot write: {exc.strerror or exc}") from None
    write_atomic(folder / UI_STATE, json.dumps(data, indent=2) + "\n", force=True)


# -- saved searches: the library's meta table ------------------------------------------------


class MetaStore(Protocol):
    """What the saved searches need of the library (``Library`` satisfies it)."""

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...


def load_searches(store: MetaStore) -> dict[str, str]:
    """name -> query, in the order they were saved. A damaged value reads as none."""
    raw = store.get_meta(SAVED_SEARCHES)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, RecursionError):  # RecursionError: [[[…]]], too deep
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str) and str(k).strip()}


def search_name(name: str) -> str:
    """A saved search's name as it is kept: inert (no control character or escape sequence),
    runs of spaces as one, none at the ends."""
    return clean_line(name)


def save_search(store: MetaStore, name: str, query: str) -> None:
    """Save (or replace) the search ``name``."""
    name = search_name(name)
    if not name:
        raise ValueError("a saved search needs a name")
    searches = load_searches(store)
    searches[name] = query.strip()
    store.set_meta(SAVED_SEARCHES, json.dumps(searches, ensure_ascii=False))


def delete_search(store: MetaStore, name: str) -> bool:
    searches = load_searches(store)
    if searches.pop(name, None) is None:
        return False
    store.set_meta(SAVED_SEARCHES, json.dumps(searches, ensure_ascii=False))
    return True
