"""Atomic file writes: a temporary file in the same folder, fsync, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import os
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


def write_atomic(path: Path, text: str, force: bool = False) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old file or the new one.

    Refuses to replace an existing file unless ``force``."""
    path = Path(path)
    if path.exists() and not force:
        raise ExportError(f"{path}: already exists (use --force to replace it)")
    if path.exists() and not path.is_file():
        # A device, a pipe or a folder: replacing it with a file is never what was meant.
        raise ExportError(f"{path}: not a regular file; choose a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{folder}: no such folder")
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
