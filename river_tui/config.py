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


def _read_toml(path: Path) -> tuple[dict, str]:
    try:
        return read_toml(path)
    except SettingsError as exc:
        raise ConfigError(str(exc)) from None


def _line_of(text: str, needle: str, after: int = 0) -> int:
    """1-based number of the first line at or after ``after`` that mentions ``needle``."""
    lines = text.splitlines()
    for number in range(after, len(lines)):
        if needle in lines[number]:
            return number + 1
    return after + 1 if after else 1


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def load_beats(path: Path | None = None) -> tuple[list[Beat], Path]:
    path = path or beats_path()
    data, text = _read_toml(path)
    tables = data.get("beat", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{path}:1: key 'beat': expected one or more [[beat]] tables")
    beats: list[Beat] = []
    start = 0
    for index, table in enumerate(tables, start=1):
        start = _line_of(text, "[[beat]]", start)
        beat = _BeatReader(path, text, index, start).read(table)
        if any(b.name == beat.name for b in beats):
            raise _BeatReader(path, text, index, start).error("name", "defined twice")
        beats.append(beat)
    return beats, path


class _BeatReader:
    """Validates one [[beat]] table; errors name the file, line and key. (A plain class: a
    dataclass costs 0.5 ms to create at every start, for nothing it would add.)"""

    __slots__ = ("index", "path", "start", "text")

    def __init__(self, path: Path, text: str, index: int, start: int) -> None:
        self.path, self.text, self.index, self.start = path, text, index, start

    def error(self, key: str, problem: str) -> ConfigError:
        line = _line_of(self.text, key, self.start - 1)
        return ConfigError(f"{self.path}:{line}: beat #{self.index}, key '{key}': {problem}")

    def read(self, table: object) -> Beat:
        if not isinstance(table, dict):
            raise self.error("beat", "expected a table")
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
                unknown[0], f"unknown source (known: {', '.join(sorted(QUERY_SOURCES))})"
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
