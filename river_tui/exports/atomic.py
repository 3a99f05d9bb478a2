"""Atomic file writes: a temporary file in the same folder, fsync, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path


class ExportError(Exception):
    """A file River will not or cannot write; one line for the user."""


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def check_target(path: Path, force: bool = False) -> Path:
    """Why ``path`` cannot be written, as an :class:`ExportError` (one line); else the folder
    it goes in. A folder, a device or a pipe is refused whatever ``force`` says (replacing it
    with a file is never what was meant), so it is said at once, not after "use --force"; an
    existing file is replaced only with ``force``."""
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name to write")
    if path.exists() and not path.is_file():
        raise ExportError(f"{path}: not a regular file; choose a file name")
    if path.exists() and not force:
        raise ExportError(f"{path}: already exists (use --force to replace it)")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{folder}: no such folder")
    return folder


def write_atomic(path: Path, text: str, force: bool = False) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old file or the new one.

    Refuses what :func:`check_target` refuses."""
    path = Path(path)
    folder = check_target(path, force)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        # mkstemp makes the file private (0600): give it the mode a new file would get, or the
        # mode of the file it replaces.
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
    with contextlib.suppress(OSError):  # not every filesystem lets a folder be fsynced
        folder_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(folder_fd)
        finally:
            os.close(folder_fd)


def write_output(text: str, path: Path | None, force: bool = False) -> None:
    """A command's output: ``text`` on standard output, or, given a ``path``, written there
    atomically (:func:`write_atomic`) and said on standard error."""
    if path is None:
        sys.stdout.write(text)
        return
    write_atomic(path, text, force=force)
    print(f"wrote {path}", file=sys.stderr)
