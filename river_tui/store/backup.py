"""Copies of the library file made with SQLite's online backup API, never by copying bytes.

A copy is written to a temporary file beside its destination, checked, synced, then renamed
into place: a crash leaves the old file or the new one, never half of one. The copy is a
one-file database (``journal_mode=DELETE``): it needs no ``-wal`` beside it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from pathlib import Path

from river_tui.store.db import (
    SQLITE_CANTOPEN,
    SQLITE_FULL,
    SQLITE_IOERR,
    SQLITE_READONLY,
    LibraryError,
    cap_pages,
    describe,
    error_code,
)

SQLITE_IOERR_READ, SQLITE_IOERR_SHORT_READ = 266, 522
SIDECARS = ("-wal", "-shm", "-journal")
_SIDECAR_NAMES = {
    "-wal": "write-ahead log",
    "-shm": "shared-memory index",
    "-journal": "rollback journal",
}


def part_of_library(library: Path | str, dest: Path | str) -> str | None:
    """Why ``dest`` must not be written: it is the library file or one of the files SQLite
    keeps beside it (a copy written there would be read as the library's log and damage it),
    by path, symlink or hard link. None: it is none of them."""
    library, dest = Path(library).expanduser(), Path(dest).expanduser()
    if _same_file(library, dest) or _same_path(library, dest):
        return "is the library itself"
    for suffix in SIDECARS:
        sidecar = Path(f"{library}{suffix}")
        if _same_file(sidecar, dest) or _same_path(sidecar, dest):
            return f"is the library's {_SIDECAR_NAMES[suffix]} ({sidecar.name})"
    return None


def backup_to(
    conn: sqlite3.Connection, source: Path | str, dest: Path, force: bool = False
) -> Path:
    """Copy the library open on ``conn`` (the file ``source``) to ``dest``. Returns ``dest``.

    Refuses to replace an existing file unless ``force``, and refuses a destination that has a
    ``-wal``, ``-shm`` or ``-journal`` file beside it (SQLite could apply it to the copy)."""
    dest = Path(dest).expanduser()
    if dest.is_dir():
        raise LibraryError(f"{dest}: is a folder; give the backup's file name")
    if (why := part_of_library(source, dest)) is not None:
        raise LibraryError(f"{dest}: {why}; choose another file")
    if dest.exists() and not dest.is_file():  # a device or a pipe: whatever --force says
        raise LibraryError(f"{dest}: not a regular file; give the backup's file name")
    if dest.exists() and not force:
        raise LibraryError(f"{dest}: already exists (use --force to replace it)")
    for suffix in SIDECARS:
        sidecar = Path(f"{dest}{suffix}")
        if sidecar.exists():
            raise LibraryError(
                f"{dest}: {sidecar.name} exists beside it (is it open in River?); "
                "close it or choose another file"
            )
    if not dest.parent.is_dir():
        raise LibraryError(f"{dest}: no such folder {dest.parent}")
    tmp = dest.parent / f".{dest.name}.{os.getpid()}.tmp"
    try:
        _copy(conn, tmp)
        _fsync(tmp)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    except OSError as exc:
        raise LibraryError(f"{dest}: cannot write the backup: {_os_fault(exc)}") from exc
    except sqlite3.Error as exc:
        raise LibraryError(f"{dest}: cannot write the backup: {_copy_fault(exc)}") from exc
    finally:
        for leftover in (tmp, *(Path(f"{tmp}{s}") for s in SIDECARS)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return dest


UNCHANGED = "the library is unchanged"
"""Said with every failure to write a copy: a backup only reads the library."""
_SOURCE_READS = frozenset({SQLITE_IOERR_READ, SQLITE_IOERR_SHORT_READ})


def _copy_fault(exc: sqlite3.Error) -> str:
    """A SQLite fault while copying, said of the copy being written (:func:`describe` speaks of
    the library, which only faults of reading it are)."""
    code = error_code(exc)
    if code == SQLITE_FULL:
        return f"no space left on its disk; {UNCHANGED}"
    if code == SQLITE_IOERR and getattr(exc, "sqlite_errorcode", None) not in _SOURCE_READS:
        return f"a disk I/O error writing it (its disk full, over a quota, or failing); {UNCHANGED}"
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN):
        return f"cannot create it there; {UNCHANGED}"
    return describe(exc)


def _os_fault(exc: OSError) -> str:
    reason = {
        errno.ENOSPC: "no space left on its disk",
        errno.EDQUOT: "over its disk quota",
        errno.EFBIG: "larger than a file may grow there",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return f"{reason}; {UNCHANGED}"


def _copy(conn: sqlite3.Connection, tmp: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    target = sqlite3.connect(tmp, isolation_level=None)
    try:
        cap_pages(target)  # RIVER_MAX_PAGE_COUNT: a full disk here too
        conn.backup(target)  # one step: a consistent snapshot even while others write
        target.execute("PRAGMA journal_mode = DELETE")
        problems = [row[0] for row in target.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise LibraryError(f"the copy failed its check: {'; '.join(problems[:3])}")
    finally:
        target.close()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _same_path(a: Path, b: Path) -> bool:
    """The same place, whether or not a file is there yet (symlinked folders resolved)."""
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can sync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def before_migration_path(library: Path, version: int) -> Path:
    """Where the copy made before upgrading a schema from ``version`` goes: ``<db>.v<N>.bak``
    beside the library (``<db>.v<N>.2.bak`` and so on when that name is taken)."""
    return free_name(Path(f"{library}.v{version}.bak"))


def free_name(base: Path) -> Path:
    """``base`` if it is free, else ``<stem>.2<suffix>``, ``.3``, ... beside it."""
    if not base.exists():
        return base
    number = 2
    while True:
        candidate = base.with_name(f"{base.stem}.{number}{base.suffix}")
        if not candidate.exists():
            return candidate
        number += 1
