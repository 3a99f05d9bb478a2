"""Opening the library file: pragmas, one-writer transactions, and clear errors.

Faults SQLite reports while River writes (a full disk, a read-only or damaged file, a lock held
too long by another process) become one-line :class:`LibraryError` messages, and the
transaction is rolled back: what was stored before is left as it was.

Two environment variables exist for tests and for the curious (see ``docs/reliability.md``):

* ``RIVER_READ_ONLY=1`` opens the library read-only (``mode=ro``), as River does on its own when
  the file or its folder is not writable.
* ``RIVER_MAX_PAGE_COUNT=N`` caps the library at N pages (``PRAGMA max_page_count``): a way to
  make the disk "full" without filling one. SQLite never lowers the cap below the current size.
  The copies River writes of the library (``river backup``, the copy before a schema upgrade)
  are capped the same way: a full disk at the destination.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from river_tui.domain.authors import authors_match

BUSY_TIMEOUT_MS = 5000
# How long a writer keeps asking for the write lock in all (SQLite's own busy handler waits
# BUSY_TIMEOUT_MS per attempt; these are the extra attempts, see :func:`_begin_immediate`).
WRITE_LOCK_PATIENCE_S = 30.0

READ_ONLY_ENV = "RIVER_READ_ONLY"
MAX_PAGE_COUNT_ENV = "RIVER_MAX_PAGE_COUNT"

# Primary result codes (the low byte of an extended code).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26
FAULTS = frozenset(
    {
        SQLITE_BUSY,
        SQLITE_LOCKED,
        SQLITE_READONLY,
        SQLITE_IOERR,
        SQLITE_CORRUPT,
        SQLITE_FULL,
        SQLITE_CANTOPEN,
        SQLITE_NOTADB,
    }
)


class LibraryError(Exception):
    """The library cannot be opened or written: the message is one line for the user."""


def error_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of ``exc`` (None when it carries none)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def describe(exc: BaseException) -> str:
    """What a SQLite fault means for the reader, in one line."""
    code = error_code(exc)
    detail = " ".join(str(exc).split())
    if code == SQLITE_FULL:
        return "the library is full: no space left on its disk (or its size limit is reached)"
    if code == SQLITE_READONLY:
        return "the library is read-only"
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return "the library is busy: another River process held it locked for too long"
    if code == SQLITE_CORRUPT:
        return f"the library file is damaged ({detail}); restore it from a backup"
    if code == SQLITE_NOTADB:
        return f"not a library file, or a damaged one ({detail})"
    if code == SQLITE_IOERR:
        return f"cannot read or write the library file ({detail})"
    if code == SQLITE_CANTOPEN:
        return f"cannot open the library file ({detail})"
    return detail


def is_fault(exc: BaseException) -> bool:
    """A fault of the file or its disk (not a bug in a statement)."""
    return isinstance(exc, sqlite3.Error) and error_code(exc) in FAULTS


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "no", "false")


def writable(path: Path) -> bool:
    """Can River write this library: the file (when it exists) and its folder (for the WAL)."""
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(path.parent, os.W_OK)


def connect(path: Path | str, read_only: bool | None = None) -> sqlite3.Connection:
    """Open (creating if needed) a library file with River's pragmas.

    Autocommit mode: every write goes through :func:`transaction`, which starts with
    ``BEGIN IMMEDIATE`` so a writer takes the lock before it reads.

    ``read_only`` (default: when ``RIVER_READ_ONLY`` is set, or the file or its folder is not
    writable) opens an existing file with ``mode=ro`` and ``query_only``: reads work, every
    write fails with "the library is read-only" (see :func:`is_read_only`).
    """
    target = str(path)
    if target == ":memory:":
        return _configure(sqlite3.connect(target, isolation_level=None), target, False)
    resolved = Path(target).expanduser().resolve()
    if resolved.is_dir():
        raise LibraryError(f"{target}: is a folder; give the library's file name")
    if read_only is None:
        read_only = _env_flag(READ_ONLY_ENV) or (resolved.exists() and not writable(resolved))
    if read_only:
        if not resolved.is_file():
            raise LibraryError(f"{target}: no library here, and it cannot be created read-only")
        return _connect_read_only(resolved, target)
    parent = resolved.parent
    if not parent.is_dir():
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"cannot create the library folder {parent}: {exc}") from exc
    if not resolved.exists() and not os.access(parent, os.W_OK):
        raise LibraryError(f"{target}: cannot create a library there: {parent} is read-only")
    try:
        conn = sqlite3.connect(target, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise LibraryError(f"{target}: cannot open the library: {exc}") from exc
    return _configure(conn, target, False)


def _connect_read_only(resolved: Path, target: str) -> sqlite3.Connection:
    uri = resolved.as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("SELECT COUNT(*) FROM sqlite_schema").fetchone()
    except sqlite3.Error as exc:
        if error_code(exc) != SQLITE_CANTOPEN:
            raise LibraryError(f"{target}: cannot open the library: {describe(exc)}") from exc
        # A WAL library in a folder River cannot write, without its -shm file: SQLite can only
        # read it as immutable (nobody can be writing it: no one can create the WAL there).
        try:
            conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)
        except sqlite3.Error as again:
            raise LibraryError(f"{target}: cannot open the library: {describe(again)}") from again
    return _configure(conn, target, True)


def _configure(conn: sqlite3.Connection, target: str, read_only: bool) -> sqlite3.Connection:
    try:
        conn.row_factory = sqlite3.Row
        # "Papers by NAME" (store/authors.py): confirms what the full-text index narrowed to.
        conn.create_function("river_author_matches", 2, authors_match, deterministic=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if target != ":memory:":
            _check_is_library(conn, target)
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        elif target != ":memory:":
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                _check_before_converting(conn, target)
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                conn.close()
                raise LibraryError(f"{target}: could not switch the library to WAL mode ({mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
        cap_pages(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise LibraryError(f"{target}: cannot open the library: {describe(exc)}") from exc
    except LibraryError:
        conn.close()
        raise
    return conn


def cap_pages(conn: sqlite3.Connection) -> None:
    """Apply ``RIVER_MAX_PAGE_COUNT`` (a full disk, for tests) to ``conn``, when it is set."""
    limit = os.environ.get(MAX_PAGE_COUNT_ENV, "").strip()
    if limit.isdigit():
        conn.execute(f"PRAGMA max_page_count = {int(limit)}")


def _check_is_library(conn: sqlite3.Connection, target: str) -> None:
    """Refuse another program's SQLite file: River would add its tables, set the schema version
    and switch the file to WAL. A new, empty file is fine; River's own have ``meta`` and
    ``papers`` from their first migration on."""
    tables = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    if tables and not {"meta", "papers"} <= tables:
        listed = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise LibraryError(
            f"{target}: not a River library (an SQLite file with other tables: {listed}); "
            "River leaves it alone"
        )


def _check_before_converting(conn: sqlite3.Connection, target: str) -> None:
    """Switching to WAL rewrites the file's header: never do that to a damaged file (a copy made
    by ``river backup``, or a library from elsewhere, is in rollback-journal mode)."""
    if not conn.execute("PRAGMA page_count").fetchone()[0]:
        return  # a new, empty file
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        detail = " ".join(" ".join(problems).split())[:200]
        raise LibraryError(
            f"{target}: the library file is damaged ({detail}); restore it from a backup"
        )


def is_read_only(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("PRAGMA query_only").fetchone()[0])


def library_file(conn: sqlite3.Connection) -> str:
    """The file behind ``conn`` (empty for an in-memory library)."""
    try:
        for row in conn.execute("PRAGMA database_list"):
            if row[1] == "main":
                return str(row[2] or "")
    except sqlite3.Error:
        pass
    return ""


def fault(conn: sqlite3.Connection, exc: BaseException) -> LibraryError:
    """A SQLite fault while writing, as the one-line error the reader sees."""
    name = library_file(conn)
    message = describe(exc)
    if error_code(exc) in (SQLITE_FULL, SQLITE_READONLY, SQLITE_BUSY, SQLITE_LOCKED):
        message += "; nothing was changed"
    return LibraryError(f"{name}: {message}" if name else message)


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR, ...): a second
    # ROLLBACK would fail with "no transaction is active" and hide the real error.
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE``, asking again while another connection holds the write lock.

    SQLite's busy handler already waits up to ``BUSY_TIMEOUT_MS`` for the lock; a writer that
    holds it longer (a large import) would make that wait fail with "database is locked". Every
    write River makes is short and self-contained, so waiting a little longer is always right:
    keep asking until ``WRITE_LOCK_PATIENCE_S`` have passed.
    """
    deadline = time.monotonic() + WRITE_LOCK_PATIENCE_S
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if error_code(exc) not in (SQLITE_BUSY, SQLITE_LOCKED) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.001, 0.01))  # apart from the other waiters


def now() -> str:
    """The time a write is stamped with: UTC, to the second (ISO 8601)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: ``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error).

    A fault of the file or disk (full, read-only, damaged, locked) raises :class:`LibraryError`
    after the rollback; any other error is re-raised as it was.
    """
    if conn.in_transaction:
        # Nested use joins the outer transaction: the outer block commits or rolls back.
        yield conn
        return
    try:
        _begin_immediate(conn)
    except sqlite3.Error as exc:
        raise fault(conn, exc) from exc
    try:
        yield conn
    except sqlite3.Error as exc:
        _rollback(conn)
        if is_fault(exc):
            raise fault(conn, exc) from exc
        raise
    except BaseException:
        _rollback(conn)
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            raise fault(conn, exc) from exc


BULK_CACHE_KIB = 65_536
"""The page cache of a connection writing many batches in a row (an import): 64 MiB instead of
SQLite's 2 MiB, so that the indexes' pages stay in memory between batches."""
BULK_CHECKPOINT_PAGES = 20_000
"""WAL pages (80 MiB) after which such a connection's commit copies the WAL into the library
(1,000 by default): a checkpoint, and its two syncs, every few batches instead of each."""


@contextmanager
def bulk_writing(conn: sqlite3.Connection) -> Iterator[None]:
    """The connection set for many write transactions in a row, as :data:`BULK_CACHE_KIB` and
    :data:`BULK_CHECKPOINT_PAGES` say, then as it was, the WAL checkpointed once more. Each
    transaction stays what it was (``BEGIN IMMEDIATE``, WAL, ``synchronous = NORMAL``): only
    when its pages are copied into the library changes."""
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    checkpoint = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    conn.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")
        with suppress(sqlite3.Error):  # busy readers: the next commit's checkpoint does it
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


IN_BATCH = 500
"""Keys bound into one ``IN (…)`` at most: far under SQLite's limit of bound variables."""


def rows_in(
    conn: sqlite3.Connection, sql: str, keys: Iterable[object], before: Sequence[object] = ()
) -> Iterator[tuple]:
    """The rows of ``sql`` for each batch of ``keys`` (in no set order): ``sql`` holds
    ``{marks}`` where the batch's placeholders go, and ``before`` are its parameters ahead of
    them. A list of any length is read a batch at a time."""
    wanted = list(keys)
    for start in range(0, len(wanted), IN_BATCH):
        part = wanted[start : start + IN_BATCH]
        yield from conn.execute(sql.format(marks=", ".join("?" * len(part))), [*before, *part])
