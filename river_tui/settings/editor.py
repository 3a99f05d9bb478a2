"""Editing beats.toml: a term appended to a beat's ``include`` or ``exclude`` list, with
tomlkit, so the rest of the file (comments, layout, quoting, line endings) stays as it was.

The text is edited here; the file is written by whoever calls (atomically:
:mod:`river_tui.beat_terms`). A user without a beats.toml of their own gets a copy of the
bundled one first (:func:`user_beats_text`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Array, Table

from river_tui.domain.beats import Beat
from river_tui.domain.text import clean_line
from river_tui.settings.tables import read_beats
from river_tui.settings.toml import SettingsError, TomlFile


def user_beats_text(paths_beats: Path, config_dir: Path, name: str) -> tuple[Path, str, bool]:
    """The user's beats file, its text, and whether it is new: when the config folder has no
    ``name`` yet, the text of the beats file in use (``paths_beats``, the bundled one) is
    what the user's file starts from (written by the caller)."""
    target = config_dir / name
    source = target if target.is_file() else paths_beats
    try:
        text = source.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{source}: cannot read: {exc}") from None
    return target, text, source != target


def add_term(text: str, path: Path, beat: str, key: str, term: str) -> str:
    """``text`` (beats.toml at ``path``) with ``term`` appended to the ``key`` list
    (``include`` or ``exclude``) of the ``[[beat]]`` named ``beat``: one element added to the
    array where it is; if the beat has no such list, the key is added after its others.
    Raises :class:`SettingsError` when the text is not TOML or has no such beat."""
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise SettingsError(f"{path}: {exc}") from None
    table = _beat_table(document.get("beat"), beat)
    if table is None:
        raise SettingsError(f"{path}: no [[beat]] named {beat!r}")
    current = table.get(key)
    if current is None:
        values = tomlkit.array()
        values.append(term)
        table.append(key, values)
    elif isinstance(current, Array):
        current.append(term)
    else:
        raise SettingsError(f"{path}: beat {beat!r}: {key} is not a list")
    return tomlkit.dumps(document)


def _beat_table(tables: object, name: str) -> Table | None:
    """The ``[[beat]]`` whose name reads as ``name`` (names are cleaned as they are read)."""
    if not isinstance(tables, AoT | list):
        return None
    for table in tables:
        if isinstance(table, Table | dict) and clean_line(str(table.get("name", ""))) == name:
            return table  # type: ignore[return-value]
    return None


def beats_of(path: Path, text: str) -> list[Beat]:
    """The beats of ``text`` (beats.toml at ``path``) as River reads them at start, with the
    same checks."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: {exc}") from None
    return read_beats(TomlFile(path, data, text))
