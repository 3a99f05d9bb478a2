"""Reading the beats and the settings. Bad values are reported with file, line and key.

``beats.toml`` is read here; ``config.toml`` (badges, sources, refresh, feeds) in
:mod:`river_tui.settings`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from river_tui.domain.badges import BadgeVocabulary
from river_tui.domain.beats import Beat
from river_tui.domain.text import clean_line
from river_tui.paths import bundled_data_dir, config_dir
from river_tui.settings import (
    ReaderSettings,
    SettingsError,
    SourceSettings,
    load_settings,
    read_toml,
)
from river_tui.settings.toml import TomlFile

BEAT_KEYS = {"name", "description", "tags", "include", "exclude", "queries"}
QUERY_SOURCES = {"hf", "arxiv", "arxiv_rss"}
"""What a beat's ``[beat.queries]`` may ask (see :func:`river_tui.refresh.plan`)."""


class ConfigError(Exception):
    """A config file River cannot use: the message names the file, line and key."""


@dataclass(frozen=True)
class Config:
    """The beats (beats.toml) and the settings (config.toml) River runs with."""

    beats: list[Beat]
    beats_path: Path
    badges: BadgeVocabulary = field(default_factory=BadgeVocabulary)
    config_path: Path | None = None
    sources: SourceSettings = field(default_factory=SourceSettings)
    reader: ReaderSettings = field(default_factory=ReaderSettings)


def beats_path() -> Path:
    """The user's beats file if there is one, else the bundled default. Something there that
    is not a file (a folder by that name, or a config folder that is a file) is an error, not
    a silent fall-back to the defaults."""
    folder = config_dir()
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder}: the config folder is not a folder")
    user = folder / "beats.toml"
    if user.exists() and not user.is_file():
        raise ConfigError(f"{user}: not a file")
    return user if user.is_file() else bundled_data_dir() / "beats.toml"


def _read_toml(path: Path) -> TomlFile:
    try:
        return read_toml(path)
    except SettingsError as exc:
        raise ConfigError(str(exc)) from None


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def load_beats(path: Path | None = None) -> tuple[list[Beat], Path]:
    path = path or beats_path()
    file = _read_toml(path)
    tables = file.data.get("beat", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigError(str(file.error(("beat",), "expected one or more [[beat]] tables")))
    beats: list[Beat] = []
    for index, table in enumerate(tables):
        beat = _BeatReader(file, index).read(table)
        if any(b.name == beat.name for b in beats):
            raise _BeatReader(file, index).error("name", "defined twice")
        beats.append(beat)
    return beats, path


class _BeatReader:
    """Validates one [[beat]] table; errors name the file, line and key."""

    __slots__ = ("file", "index")

    def __init__(self, file: TomlFile, index: int) -> None:
        self.file, self.index = file, index

    def error(self, key: str, problem: str, *within: str) -> ConfigError:
        return ConfigError(str(self.file.error(("beat", self.index, *within, key), problem)))

    def read(self, table: object) -> Beat:
        if not isinstance(table, dict):
            raise ConfigError(str(self.file.error(("beat", self.index), "expected a table")))
        unknown = sorted(set(table) - BEAT_KEYS)
        if unknown:
            raise self.error(unknown[0], f"unknown key (known: {', '.join(sorted(BEAT_KEYS))})")
        name = table.get("name")
        # Shown in the panes, the palette and the titles: made inert (control characters and
        # escape sequences dropped, whitespace folded) as text from a source is.
        name = clean_line(name) if isinstance(name, str) else ""
        if not name:
            raise self.error("name", "every beat needs a non-empty name")
        for key in ("tags", "include", "exclude"):
            if key in table and not _strings(table[key]):
                raise self.error(key, "expected a list of non-empty strings")
        if not table.get("include"):
            raise self.error("include", "a beat needs at least one include term or phrase")
        queries = table.get("queries", {})
        if not isinstance(queries, dict) or not all(isinstance(v, str) for v in queries.values()):
            raise self.error("queries", 'expected a table of source = "query" strings')
        # A query is shown too (a refresh's progress names it) and is sent to a source: inert,
        # one line, like the name.
        queries = {source: clean_line(query) for source, query in queries.items()}
        if unknown := sorted(set(queries) - QUERY_SOURCES):
            raise self.error(
                unknown[0],
                f"unknown source (known: {', '.join(sorted(QUERY_SOURCES))})",
                "queries",
            )
        description = table.get("description", "")
        if not isinstance(description, str):
            raise self.error("description", "expected a string")
        return Beat(
            name=name,
            tags=tuple(table.get("tags", ())),
            include=tuple(table["include"]),
            exclude=tuple(table.get("exclude", ())),
            description=description,
            queries=dict(queries),
        )


def load_config() -> Config:
    beats, bpath = load_beats()
    try:
        settings = load_settings(config_dir() / "config.toml")
    except SettingsError as exc:
        raise ConfigError(str(exc)) from exc
    return Config(
        beats=beats,
        beats_path=bpath,
        badges=settings.badges,
        config_path=settings.path,
        sources=settings.sources,
        reader=settings.reader,
    )
