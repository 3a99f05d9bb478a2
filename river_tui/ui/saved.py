"""Named saved searches, kept in the library's ``meta`` table as one JSON object.

``config.toml`` has no place for them yet; they belong to the library (like the triage log), so
they travel with the file."""

from __future__ import annotations

import json
from typing import Protocol

from river_tui.domain.text import clean_line

SAVED_SEARCHES = "saved_searches"
"""The ``meta`` key: ``{"name": "query", ...}``."""


class MetaStore(Protocol):
    """What this module needs of the library (``Library`` satisfies it)."""

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
