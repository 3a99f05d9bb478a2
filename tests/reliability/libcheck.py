"""Helpers shared by the reliability tests: build a library, snapshot it, check text is inert."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from river_tui.domain import TriageState
from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.store.library import Library, PaperFilter

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
AS_OF = date(2026, 11, 22)

# What must never reach the library (or a terminal): C0 controls but tab and newline, DEL, C1
# controls (ESC is 0x1b, so ESC/CSI/OSC/DCS introducers are covered), lone surrogates, format
# characters (bidi embeddings, overrides, isolates and marks, zero-width characters, tag
# characters, U+180E, ...) and the unassigned default-ignorable code points. Worked out from
# unicodedata here, not taken from River. ZWNJ and ZWJ may stay inside a word (between letters,
# marks, numbers or symbols) only.
UNASSIGNED_IGNORABLE = ((0x2065, 0x2065), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF))
JOINERS = "\u200c\u200d"


def must_not_show(cp: int) -> bool:
    category = unicodedata.category(chr(cp))
    if category == "Cc":
        return cp not in (0x09, 0x0A)
    if category == "Cf":
        return chr(cp) not in JOINERS
    if category == "Cn":
        return any(a <= cp <= b for a, b in UNASSIGNED_IGNORABLE)
    return category == "Cs"


def _class(test: Callable[[int], bool]) -> str:
    ranges: list[list[int]] = []
    for cp in range(0x110000):
        if test(cp):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges)


FORBIDDEN = re.compile(f"[{_class(must_not_show)}]")
_JOINER = re.compile(f"[{JOINERS}]")


def _in_word(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LMN" or category in ("So", "Sk")


def inert_problem(text: str) -> str | None:
    """Why ``text`` is not inert, or None."""
    found = FORBIDDEN.search(text)
    if found:
        return f"U+{ord(found.group()):04X} at {found.start()} in {text[:80]!r}"
    for joiner in _JOINER.finditer(text):
        at = joiner.start()
        if not (0 < at < len(text) - 1 and _in_word(text[at - 1]) and _in_word(text[at + 1])):
            return f"U+{ord(joiner.group()):04X} outside a word at {at} in {text[:80]!r}"
    return None


def strings(value: object) -> Iterator[str]:
    """Every string inside a JSON-like value (dict keys too), and inside objects' fields."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(k)
            yield from strings(v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from strings(v)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from strings(getattr(value, name))


def not_inert(value: object) -> list[str]:
    return [p for s in strings(value) if (p := inert_problem(s))]


def tables(conn: sqlite3.Connection) -> list[str]:
    """The library's own tables (no FTS shadow tables, no SQLite internals)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'papers_fts%' AND name NOT LIKE 'notes_fts%' ORDER BY name"
    )
    return [r[0] for r in rows]


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: equal snapshots, equal libraries."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {
            name: sorted(conn.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
            for name in tables(conn)
        }
    finally:
        conn.close()


def library_not_inert(db: Path) -> list[str]:
    """Every text value in the library that is not inert (JSON columns decoded first)."""
    problems = []
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        for name in tables(conn):
            for row in conn.execute(f"SELECT * FROM {name}"):
                for cell in row:
                    if not isinstance(cell, str):
                        continue
                    values: list[object] = [cell]
                    if cell[:1] in "[{":
                        with contextlib.suppress(ValueError):
                            values.append(json.loads(cell))
                    problems += [f"{name}: {p}" for p in not_inert(values)]
    finally:
        conn.close()
    return problems


def integrity(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def build_library(db: Path) -> Path:
    """A library with every seed imported and some user state: states, stars, tags, undo log."""
    with Library.open(db, load_settings().beats) as lib:
        for path in sorted(SEEDS.glob("*.txt")):
            import_file(lib, path, AS_OF)
        summaries = lib.papers(PaperFilter())
        for k, summary in enumerate(summaries[:12]):
            lib.set_state(summary.pk, list(TriageState)[k % 4])
            if k % 3 == 0:
                lib.set_starred(summary.pk, True)
            lib.add_tag(summary.pk, f"kept-{k}")
    return db
