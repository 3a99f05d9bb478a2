"""The rules of each table of config.toml and beats.toml: what is known, what a value must be.

Each function takes a file as read (:class:`~river_tui.settings.toml.TomlFile`) and returns
typed values, or raises the file's error for the first bad key. No file is opened here:
:func:`river_tui.settings.load_settings` reads them.
"""

from __future__ import annotations

import re
from typing import Any

from river_tui.domain.badges import BadgeVocabulary
from river_tui.domain.beats import Beat, Source
from river_tui.domain.links import web_url
from river_tui.domain.text import clean_line
from river_tui.settings.model import FeedConfig, ReaderSettings, SourceSettings
from river_tui.settings.toml import Key, SettingsError, TomlFile

TABLES = frozenset({"badges", "sources", "refresh", "feed", "reader", "keys"})
SOURCE_KEYS = ("hf_url", "arxiv_api_url", "arxiv_rss_url", "arxiv_oai_url", "contact")
REFRESH_KEYS = frozenset({"interval_minutes", "max_results"})
FEED_KEYS = frozenset({"name", "url", "site"})
INTERVAL_RANGE = (0, 7 * 24 * 60)
MAX_RESULTS_RANGE = (1, 2000)
MARK_READ_RANGE = (0, 3600)
NOTE_EDITORS = ("editor", "in-app")
BEAT_KEYS = frozenset({"name", "description", "tags", "include", "exclude", "queries"})
QUERY_SOURCES = frozenset({Source.HF.value, Source.ARXIV.value, Source.ARXIV_RSS.value})
"""What a beat's ``[beat.queries]`` may ask (see :func:`river_tui.refresh.plan`)."""
FORMER_SPELLINGS = {"arxiv_rss": Source.ARXIV_RSS.value}
"""Query keys beats.toml files written for an earlier River use, read as today's name."""

URL_EXPECTED = "expected an http(s) URL with a host"
CONTACT_EXPECTED = "expected one line of ASCII text (it goes into the User-Agent header)"
_KEY_NAME = re.compile(r"[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*")


def header_text(value: str) -> bool:
    """``value`` can be sent in an HTTP header: printable ASCII, one line."""
    return value.isascii() and value.isprintable()


def web_address(value: str) -> bool:
    """``value`` is a web link by River's link rule (:func:`river_tui.domain.links.web_url`):
    an http(s) URL with a host (``http://[::1`` and ``https://`` are not)."""
    return web_url(value.strip()) is not None


def key_list(value: str) -> bool:
    """``value`` lists keys as Textual names them: ``r``, ``ctrl+r``, ``r,ctrl+r``, ``?``."""
    keys = [k.strip() for k in value.split(",")]
    return all(len(k) == 1 or _KEY_NAME.fullmatch(k) for k in keys) and all(keys)


def source_value(name: str, value: str) -> str:
    """A ``[sources]`` value as River uses it; :class:`ValueError` says what it must be."""
    value = value.strip()
    if name == "contact":
        if not header_text(value):
            raise ValueError(CONTACT_EXPECTED)
        return value
    if not web_address(value):
        raise ValueError(f"{URL_EXPECTED}, got {value!r}")
    return value.rstrip("/")


class _Table:
    """One table of a file: its values and errors that name their keys."""

    __slots__ = ("file", "key", "values")

    def __init__(self, file: TomlFile, key: Key, values: object) -> None:
        if not isinstance(values, dict):
            raise file.error(key, "expected a table")
        self.file, self.key, self.values = file, key, values

    def error(self, name: str, problem: str) -> SettingsError:
        return self.file.error((*self.key, name), problem)

    def known(self, names: frozenset[str]) -> None:
        """A key River does not read is a mistake (``hf_ulr``): say so."""
        for name in self.values:
            if name not in names:
                raise self.error(name, f"unknown; known here: {', '.join(sorted(names))}")

    def string(self, name: str, default: str) -> str:
        value = self.values.get(name, default)
        if not isinstance(value, str):
            raise self.error(name, "expected a string")
        return value.strip()

    def source(self, name: str, default: str) -> str:
        try:
            return source_value(name, self.string(name, default))
        except ValueError as exc:
            raise self.error(name, str(exc)) from None

    def count(self, name: str, default: int, bounds: tuple[int, int]) -> int:
        value = self.values.get(name, default)
        low, high = bounds
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(name, f"expected a whole number from {low} to {high}")
        return value

    def table(self, name: str) -> _Table:
        return _Table(self.file, (*self.key, name), self.values.get(name, {}))


def read_config(file: TomlFile) -> tuple[BadgeVocabulary, SourceSettings, ReaderSettings]:
    """config.toml's values, the defaults for what it leaves out (before the environment)."""
    root = _Table(file, (), file.data)
    root.known(TABLES)
    return _badges(root.table("badges")), _sources(root), _reader(root)


def _badges(table: _Table) -> BadgeVocabulary:
    table.known(frozenset({"vocabulary"}))
    vocabulary = table.values.get("vocabulary", list(BadgeVocabulary().badges))
    if (
        not isinstance(vocabulary, list)
        or not vocabulary
        or not all(isinstance(v, str) and v.strip() for v in vocabulary)
    ):
        raise table.error("vocabulary", "expected a list of non-empty strings")
    return BadgeVocabulary(tuple(v.strip().casefold() for v in vocabulary))


def _sources(root: _Table) -> SourceSettings:
    defaults = SourceSettings()
    sources = root.table("sources")
    sources.known(frozenset(SOURCE_KEYS))
    refresh = root.table("refresh")
    refresh.known(REFRESH_KEYS)
    return SourceSettings(
        **{name: sources.source(name, getattr(defaults, name)) for name in SOURCE_KEYS},
        interval_minutes=refresh.count(
            "interval_minutes", defaults.interval_minutes, INTERVAL_RANGE
        ),
        max_results=refresh.count("max_results", defaults.max_results, MAX_RESULTS_RANGE),
        feeds=_feeds(root.file),
    )


def _feeds(file: TomlFile) -> tuple[FeedConfig, ...]:
    feeds = file.data.get("feed", [])
    if not isinstance(feeds, list):
        raise file.error(("feed",), "expected [[feed]] tables")
    found = []
    for index, values in enumerate(feeds):
        table = _Table(file, ("feed", index), values)
        table.known(FEED_KEYS)
        # Shown in the progress of a refresh and in its errors: made inert as it is read
        # (control characters and escape sequences dropped, whitespace folded), as a beat's is.
        name = clean_line(table.string("name", ""))
        url = table.source("url", "")
        site = table.string("site", "")  # kept as written: it is never fetched
        if site and not web_address(site):
            raise table.error("site", f"{URL_EXPECTED}, got {site!r}")
        found.append(FeedConfig(name or url, url, site))
    return tuple(found)


def _reader(root: _Table) -> ReaderSettings:
    reader = root.table("reader")
    reader.known(frozenset({"mark_read_after_seconds", "move_on", "note_editor"}))
    delay = reader.values.get("mark_read_after_seconds", ReaderSettings().mark_read_after_seconds)
    low, high = MARK_READ_RANGE
    if isinstance(delay, bool) or not isinstance(delay, int | float) or not low <= delay <= high:
        raise reader.error("mark_read_after_seconds", f"expected seconds from {low} to {high}")
    move_on = reader.values.get("move_on", ReaderSettings().move_on)
    if not isinstance(move_on, bool):
        raise reader.error("move_on", "expected true or false")
    note_editor = reader.values.get("note_editor", ReaderSettings().note_editor)
    if note_editor not in NOTE_EDITORS:
        raise reader.error("note_editor", 'expected "editor" or "in-app"')
    keys = root.table("keys")
    for binding, value in keys.values.items():
        if not isinstance(value, str) or not value.strip() or not key_list(value):
            raise keys.error(binding, 'expected keys like "r" or "r,ctrl+r"')
    return ReaderSettings(
        float(delay),
        move_on,
        keys={k: v.strip() for k, v in keys.values.items()},
        note_editor=note_editor,
    )


def read_beats(file: TomlFile) -> list[Beat]:
    """beats.toml's ``[[beat]]`` tables, at least one, no two of the same name."""
    tables = file.data.get("beat", [])
    if not isinstance(tables, list) or not tables:
        raise file.error(("beat",), "expected one or more [[beat]] tables")
    beats: list[Beat] = []
    for index, values in enumerate(tables):
        table = _Table(file, ("beat", index), values)
        beat = _beat(table)
        if any(b.name == beat.name for b in beats):
            raise table.error("name", "defined twice")
        beats.append(beat)
    return beats


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _beat(table: _Table) -> Beat:
    values: dict[str, Any] = table.values
    if unknown := sorted(set(values) - BEAT_KEYS):
        raise table.error(unknown[0], f"unknown key (known: {', '.join(sorted(BEAT_KEYS))})")
    name = values.get("name")
    # Shown in the panes, the palette and the titles: made inert (control characters and
    # escape sequences dropped, whitespace folded) as text from a source is.
    name = clean_line(name) if isinstance(name, str) else ""
    if not name:
        raise table.error("name", "every beat needs a non-empty name")
    for key in ("tags", "include", "exclude"):
        if key in values and not _strings(values[key]):
            raise table.error(key, "expected a list of non-empty strings")
    if not values.get("include"):
        raise table.error("include", "a beat needs at least one include term or phrase")
    queries = _queries(table)
    description = values.get("description", "")
    if not isinstance(description, str):
        raise table.error("description", "expected a string")
    return Beat(
        name=name,
        tags=tuple(values.get("tags", ())),
        include=tuple(values["include"]),
        exclude=tuple(values.get("exclude", ())),
        description=description,
        queries=queries,
    )


def _queries(beat: _Table) -> dict[str, str]:
    """``[beat.queries]``: source -> query, each source by its one name (:class:`Source`)."""
    values = beat.values.get("queries", {})
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise beat.error("queries", 'expected a table of source = "query" strings')
    table = beat.table("queries")
    queries: dict[str, str] = {}
    for key, query in values.items():
        source = FORMER_SPELLINGS.get(key, key)
        if source not in QUERY_SOURCES:
            known = ", ".join(sorted(QUERY_SOURCES))
            raise table.error(key, f"unknown source (known: {known})")
        if source in queries:
            raise table.error(key, f"given twice: {key!r} is the former spelling of {source!r}")
        # A query is shown too (a refresh's progress names it) and is sent to a source: inert,
        # one line, like the name.
        queries[source] = clean_line(query)
    return queries
