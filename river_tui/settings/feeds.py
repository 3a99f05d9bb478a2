"""Editing the ``[[feed]]`` tables of config.toml with tomlkit: feeds appended after the last
one, renamed or removed where they are, so the rest of the file (comments, layout, quoting,
the other tables) stays as it was.

The text is edited here and read back with River's own rules (:func:`feeds_of`); the file is
written by whoever calls (atomically: :mod:`river_tui.feeds`). Feeds are named by their
position among the file's feeds, in the order River reads them."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Array, InlineTable, Table
from tomlkit.toml_document import TOMLDocument

from river_tui.settings.model import FeedConfig
from river_tui.settings.tables import read_config
from river_tui.settings.toml import SettingsError, TomlFile

FEED = "feed"


def config_text(path: Path) -> str:
    """The text of config.toml at ``path``; ``""`` when there is none yet (the first feed
    added makes it)."""
    if not path.exists():
        return ""
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read: {exc}") from None


def feeds_of(path: Path, text: str) -> tuple[FeedConfig, ...]:
    """The feeds of ``text`` (config.toml at ``path``) as River reads them at start, with the
    same checks on the whole file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: {exc}") from None
    _badges, sources, _reader = read_config(TomlFile(path, data, text))
    return sources.feeds


def add_feeds(text: str, path: Path, feeds: Sequence[FeedConfig]) -> str:
    """``text`` with a ``[[feed]]`` table for each of ``feeds`` after the file's last feed
    (at the end of a file that has none): ``name`` (unless it is the URL, as River names a
    feed without one), ``url`` and, when known, ``site``."""
    document = _parse(text, path)
    tables = document.get(FEED)
    if tables is None:  # the first [[feed]]: tomlkit puts a blank line between the tables
        created = tomlkit.aot()
        for feed in feeds:
            created.append(_table(feed))
        document.append(FEED, created)
    elif isinstance(tables, AoT):  # after the last one, each followed by a blank line
        if len(tables) and not tables[-1].as_string().endswith("\n\n"):
            tables[-1].add(tomlkit.nl())
        for feed in feeds:
            table = _table(feed)
            table.add(tomlkit.nl())
            tables.append(table)
    elif isinstance(tables, Array):  # feed = [{ … }, …]: inline tables
        for feed in feeds:
            inline = tomlkit.inline_table()
            inline.update(_values(feed))
            tables.append(inline)
    else:
        raise SettingsError(f"{path}: 'feed' is not a list of [[feed]] tables")
    out = tomlkit.dumps(document)
    if not text.strip():
        out = out.lstrip("\n")
    if out.endswith("\n\n") and not text.endswith("\n\n"):
        out = out[:-1]  # the last table added ends the file: no blank line after it
    return out


def _values(feed: FeedConfig) -> dict[str, str]:
    values = {"name": feed.name} if feed.name != feed.url else {}  # unnamed: its URL
    return values | {"url": feed.url} | ({"site": feed.site} if feed.site else {})


def _table(feed: FeedConfig) -> Table:
    table = tomlkit.table()
    for key, value in _values(feed).items():
        table.add(key, value)
    return table


def rename_feed(text: str, path: Path, index: int, name: str) -> str:
    """``text`` with the ``index``-th feed's ``name`` set to ``name`` (its comments kept)."""
    document = _parse(text, path)
    _entry(document, path, index)["name"] = name
    return tomlkit.dumps(document)


def remove_feed(text: str, path: Path, index: int) -> str:
    """``text`` without the ``index``-th feed's table (and the comments inside it); the key
    goes too when it was the last feed."""
    document = _parse(text, path)
    tables = _tables(document, path)
    _entry(document, path, index)
    del tables[index]
    if not len(tables):
        del document[FEED]
    return tomlkit.dumps(document)


def _parse(text: str, path: Path) -> TOMLDocument:
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise SettingsError(f"{path}: {exc}") from None


def _tables(document: TOMLDocument, path: Path) -> AoT | Array:
    tables = document.get(FEED)
    if not isinstance(tables, AoT | Array):
        raise SettingsError(f"{path}: no [[feed]] tables")
    return tables


def _entry(document: TOMLDocument, path: Path, index: int) -> Table | InlineTable:
    tables = _tables(document, path)
    if not 0 <= index < len(tables):
        raise SettingsError(f"{path}: no feed #{index + 1}")
    entry = tables[index]
    if not isinstance(entry, Table | InlineTable):
        raise SettingsError(f"{path}: feed #{index + 1} is not a table")
    return entry
