"""River's settings: every file, variable and option that sets something, read into one frozen
:class:`Settings` by :func:`load_settings`. Nothing else in River reads them.

=======================  ==================================================================
where                    what it sets
=======================  ==================================================================
``--db PATH``            the library (``paths.db``); before ``RIVER_DB``
``RIVER_DB``             the library, when ``--db`` is not given
``RIVER_CONFIG_DIR``     the config folder (default: the platform's, e.g. ~/.config/river)
``RIVER_DATA_DIR``       the data folder (default: the platform's, e.g. ~/.local/share/river)
``RIVER_HF_URL``,        ``[sources]`` ``hf_url``, ``arxiv_api_url``, ``arxiv_rss_url``,
``RIVER_ARXIV_API_URL``, ``arxiv_oai_url`` and ``contact``, over config.toml's values
``RIVER_ARXIV_RSS_URL``,
``RIVER_ARXIV_OAI_URL``,
``RIVER_CONTACT``
``VISUAL``, ``EDITOR``   ``reader.editor``: the reader's editor, for a paper's note (``e``)
beats.toml               ``beats``: the ``[[beat]]`` tables (the config folder's file, else the
                         bundled ``data/beats.toml``)
config.toml              ``badges`` (``[badges]``), ``sources`` (``[sources]``, ``[refresh]``,
                         ``[[feed]]``), ``reader`` (``[reader]``, ``[keys]``); optional
=======================  ==================================================================

Each default is written once, in :mod:`river_tui.settings.model`; each table's rules are in
:mod:`river_tui.settings.tables`. A bad value is one :class:`SettingsError` line naming the
file, line and key (found from the TOML structure, :mod:`river_tui.settings.toml`), or the
variable.

Read elsewhere, on purpose: ``RIVER_READ_ONLY`` and ``RIVER_MAX_PAGE_COUNT`` by
:mod:`river_tui.store.db` as each connection opens (every connection must obey them, the
reader's background ones too); ``RIVER_DEBUG`` by :mod:`river_tui.cli` (it must work when the
settings themselves fail). What River remembers between runs (the theme, saved searches) is
not a setting: :mod:`river_tui.remembered`.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import platformdirs

from river_tui.domain.beats import Beat
from river_tui.settings.model import FeedConfig, Paths, ReaderSettings, Settings, SourceSettings
from river_tui.settings.tables import read_beats as _read_beats
from river_tui.settings.tables import read_config, source_value
from river_tui.settings.toml import SettingsError, TomlFile, read_toml

__all__ = [
    "FeedConfig",
    "Paths",
    "ReaderSettings",
    "Settings",
    "SettingsError",
    "SourceSettings",
    "TomlFile",
    "bundled_data_dir",
    "load_settings",
    "read_beats",
    "read_toml",
    "sample_dir",
]

APP = "river"
PACKAGE_DIR = Path(__file__).resolve().parent.parent
BEATS_FILE = "beats.toml"
CONFIG_FILE = "config.toml"
LIBRARY_FILE = "library.db"
SOURCE_VARIABLES = {
    "hf_url": "RIVER_HF_URL",
    "arxiv_api_url": "RIVER_ARXIV_API_URL",
    "arxiv_rss_url": "RIVER_ARXIV_RSS_URL",
    "arxiv_oai_url": "RIVER_ARXIV_OAI_URL",
    "contact": "RIVER_CONTACT",
}
"""The ``[sources]`` keys the environment overrides, and by which variable."""


def load_settings(db: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """The settings River runs with: ``db`` (``--db``) over the environment ``env`` (default:
    ``os.environ``) over beats.toml and config.toml over the defaults. Raises
    :class:`SettingsError`, one line for the user, at the first bad value."""
    env = os.environ if env is None else env
    config_dir = Path(env.get("RIVER_CONFIG_DIR") or platformdirs.user_config_dir(APP))
    data_dir = Path(env.get("RIVER_DATA_DIR") or platformdirs.user_data_dir(APP))
    if db is None:
        db = Path(env["RIVER_DB"]).expanduser() if env.get("RIVER_DB") else data_dir / LIBRARY_FILE
    beats_path = _user_file(config_dir, BEATS_FILE) or bundled_data_dir() / BEATS_FILE
    beats = _read_beats(read_toml(beats_path))
    config_path = _user_file(config_dir, CONFIG_FILE)
    config = read_toml(config_path) if config_path else TomlFile(config_dir / CONFIG_FILE, {}, "")
    badges, sources, reader = read_config(config)
    return Settings(
        beats=beats,
        paths=Paths(config_dir, data_dir, db, beats_path, config_path),
        badges=badges,
        sources=replace(sources, **_source_variables(env)),
        reader=replace(reader, editor=editor_command(env)),
    )


def _user_file(config_dir: Path, name: str) -> Path | None:
    """The user's file ``name``, if there is one. Something there that is not a file (a folder
    by that name, or a config folder that is a file) is an error, not a silent fall-back to
    the defaults."""
    if config_dir.exists() and not config_dir.is_dir():
        raise SettingsError(f"{config_dir}: the config folder is not a folder")
    path = config_dir / name
    if path.exists() and not path.is_file():
        raise SettingsError(f"{path}: not a file")
    return path if path.is_file() else None


def editor_command(env: Mapping[str, str]) -> tuple[str, ...]:
    """``$VISUAL``, else ``$EDITOR``, split as a shell splits it (``code --wait``; a value
    with an unclosed quote is one program's name); empty when neither names a program."""
    for variable in ("VISUAL", "EDITOR"):
        value = env.get(variable, "").strip()
        if not value:
            continue
        try:
            words = shlex.split(value)
        except ValueError:
            words = [value]
        if words:
            return tuple(words)
    return ()


def _source_variables(env: Mapping[str, str]) -> dict[str, str]:
    found = {}
    for name, variable in SOURCE_VARIABLES.items():
        if value := env.get(variable, "").strip():
            try:
                found[name] = source_value(name, value)
            except ValueError as exc:
                raise SettingsError(f"{variable}: {exc}") from None
    return found


def read_beats(path: Path) -> list[Beat]:
    """The beats of the beats file at ``path`` (:func:`load_settings` finds which file)."""
    return _read_beats(read_toml(path))


def bundled_data_dir() -> Path:
    """The shipped ``data/`` folder: inside the wheel, or beside the package in a checkout."""
    for candidate in (PACKAGE_DIR / "_data", PACKAGE_DIR.parent / "data"):
        if (candidate / BEATS_FILE).is_file():
            return candidate
    raise FileNotFoundError("River's bundled data folder is missing (data/beats.toml)")


def sample_dir() -> Path:
    """The bundled sample the reader imports into an empty library."""
    return bundled_data_dir() / "sample"
