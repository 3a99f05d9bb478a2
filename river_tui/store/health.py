"""What ``river doctor`` checks in a library file: schema version, integrity, row counts and
the copies made before schema upgrades."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from river_tui.store.db import describe
from river_tui.store.migrations import LATEST, current_version

if TYPE_CHECKING:
    from river_tui.store.library import Library


@dataclass(frozen=True, slots=True)
class Health:
    """What ``river doctor`` reports about a library file."""

    path: str
    schema_version: int
    latest_version: int
    integrity: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    read_only: bool = False
    backups: list[str] = field(default_factory=list)
    """Copies River made before upgrading the schema (``<db>.v<N>.bak`` beside the library)."""

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and self.schema_version == self.latest_version


def check(library: Library) -> Health:
    """Schema version, ``integrity_check`` and row counts. A damaged file is reported in
    ``integrity`` (never raised), so ``river doctor`` can say what it found."""
    try:
        integrity = [r[0] for r in library.conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        integrity = [describe(exc)]
    try:
        counts = library.counts()
    except sqlite3.DatabaseError:
        counts = {}
    return Health(
        library.path,
        current_version(library.conn),
        LATEST,
        integrity,
        counts,
        library.read_only,
        [str(p) for p in migration_backups(Path(library.path))],
    )


def migration_backups(path: Path) -> list[Path]:
    """The copies made before schema upgrades (``<db>.v<N>.bak``), oldest version first."""
    return sorted(path.parent.glob(f"{_glob_escape(path.name)}.v*.bak"))


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)
