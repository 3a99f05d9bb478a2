"""``config.toml``: badges, sources, refresh and feeds. Every key is optional.

```toml
[badges]
vocabulary = ["claim", "caveat", "supported", "contested", "refuted"]

[sources]
contact = "you@example.org"                 # sent in the User-Agent, as arXiv asks
hf_url = "https://huggingface.co"
arxiv_api_url = "https://export.arxiv.org/api/query"
arxiv_rss_url = "https://rss.arxiv.org/rss"

[refresh]
interval_minutes = 60                       # the reader refreshes this often (0: never)
max_results = 100                           # per arXiv query and refresh

[[feed]]
name = "A lab's blog"
url = "https://example.org/blog/feed.xml"

[reader]
mark_read_after_seconds = 3                 # opening a paper marks it read after this; 0: never

[keys]                                      # binding id = keys (comma-separated); `?` lists ids
"stream.star" = "s,f"
```

The environment overrides the source URLs: ``RIVER_HF_URL``, ``RIVER_ARXIV_API_URL``,
``RIVER_ARXIV_RSS_URL``, and the contact: ``RIVER_CONTACT``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from river_tui import __version__
from river_tui.domain.badges import DEFAULT_BADGES, BadgeVocabulary
from river_tui.domain.links import web_url
from river_tui.domain.text import clean_line
from river_tui.settings.toml import Key, SettingsError, TomlFile, read_toml

__all__ = ["SettingsError", "read_toml"]


class Source(StrEnum):
    """The sources a refresh can ask (``[sources]`` configures them), by the name
    ``river refresh --source`` takes."""

    HF = "hf"
    ARXIV = "arxiv"
    ARXIV_RSS = "arxiv-rss"
    FEED = "feed"

    @property
    def discovery(self) -> str:
        """The name a sighting from this source is recorded under."""
        return {"hf": "hf-api", "arxiv": "arxiv-api", "arxiv-rss": "arxiv-rss", "feed": "feed"}[
            self.value
        ]


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """A web feed to follow (a ``[[feed]]`` table): its name and URL."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class SourceSettings:
    """Where and how a refresh asks the sources (``[sources]``)."""

    hf_url: str = "https://huggingface.co"
    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    arxiv_rss_url: str = "https://rss.arxiv.org/rss"
    contact: str = ""
    interval_minutes: int = 60
    max_results: int = 100
    feeds: tuple[FeedConfig, ...] = ()

    @property
    def user_agent(self) -> str:
        contact = f"; mailto:{self.contact}" if self.contact else ""
        return f"River/{__version__} (local research-paper reader{contact})"


DEFAULT_MARK_READ_AFTER = 3.0


@dataclass(frozen=True, slots=True)
class ReaderSettings:
    """How the reader behaves (``[reader]``) and the keys remapped (``[keys]``)."""

    mark_read_after_seconds: float = DEFAULT_MARK_READ_AFTER
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, applied with ``App.set_keymap``."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything config.toml sets, with the defaults for what it leaves out."""

    badges: BadgeVocabulary = field(default_factory=BadgeVocabulary)
    sources: SourceSettings = field(default_factory=SourceSettings)
    reader: ReaderSettings = field(default_factory=ReaderSettings)
    path: Path | None = None


ENV = {
    "hf_url": "RIVER_HF_URL",
    "arxiv_api_url": "RIVER_ARXIV_API_URL",
    "arxiv_rss_url": "RIVER_ARXIV_RSS_URL",
    "contact": "RIVER_CONTACT",
}


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


class _Reader:
    """Reads values out of one parsed config file, with errors that name its lines."""

    __slots__ = ("file",)

    def __init__(self, file: TomlFile) -> None:
        self.file = file

    def error(self, key: Key, problem: str) -> SettingsError:
        return self.file.error(key, problem)

    def table(self, data: dict, key: str) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.error((key,), "expected a table")
        return value

    def string(self, table: dict, prefix: Key, key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise self.error((*prefix, key), "expected a string")
        return value.strip()

    def url(self, table: dict, prefix: Key, key: str, default: str) -> str:
        value = self.string(table, prefix, key, default)
        if not web_address(value):
            raise self.error((*prefix, key), f"{URL_EXPECTED}, got {value!r}")
        return value.rstrip("/")

    def known(self, table: dict, prefix: Key, keys: frozenset[str]) -> None:
        """A key River does not read is a mistake (``hf_ulr``): say so, as beats.toml does."""
        for key in table:
            if key not in keys:
                raise self.error((*prefix, key), f"unknown; known here: {', '.join(sorted(keys))}")

    def count(self, table: dict, prefix: Key, key: str, default: int, low: int, high: int) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error((*prefix, key), f"expected a whole number from {low} to {high}")
        return value


def load_settings(path: Path) -> Settings:
    """Read ``path`` if it exists (defaults otherwise), then apply the environment."""
    if path.exists() and not path.is_file():
        raise SettingsError(f"{path}: not a file")
    file = read_toml(path) if path.is_file() else TomlFile(path, {}, "")
    data = file.data
    read = _Reader(file)
    read.known(data, (), frozenset({"badges", "sources", "refresh", "feed", "reader", "keys"}))

    badges = read.table(data, "badges")
    read.known(badges, ("badges",), frozenset({"vocabulary"}))
    vocabulary = badges.get("vocabulary", list(DEFAULT_BADGES))
    if (
        not isinstance(vocabulary, list)
        or not vocabulary
        or not all(isinstance(v, str) and v.strip() for v in vocabulary)
    ):
        raise read.error(("badges", "vocabulary"), "expected a list of non-empty strings")

    sources = read.table(data, "sources")
    read.known(sources, ("sources",), frozenset(ENV))
    refresh = read.table(data, "refresh")
    read.known(refresh, ("refresh",), frozenset({"interval_minutes", "max_results"}))
    defaults = SourceSettings()
    values = {
        "hf_url": read.url(sources, ("sources",), "hf_url", defaults.hf_url),
        "arxiv_api_url": read.url(sources, ("sources",), "arxiv_api_url", defaults.arxiv_api_url),
        "arxiv_rss_url": read.url(sources, ("sources",), "arxiv_rss_url", defaults.arxiv_rss_url),
        "contact": read.string(sources, ("sources",), "contact", defaults.contact),
    }
    if not header_text(values["contact"]):
        raise read.error(("sources", "contact"), CONTACT_EXPECTED)
    for key, variable in ENV.items():
        if not (value := os.environ.get(variable, "").strip()):
            continue
        if key == "contact":
            if not header_text(value):
                raise SettingsError(f"{variable}: {CONTACT_EXPECTED}")
        elif web_address(value):
            value = value.rstrip("/")
        else:
            raise SettingsError(f"{variable}: {URL_EXPECTED}, got {value!r}")
        values[key] = value
    feeds = data.get("feed", [])
    if not isinstance(feeds, list):
        raise read.error(("feed",), "expected [[feed]] tables")
    feed_configs = []
    for index, table in enumerate(feeds):
        if not isinstance(table, dict):
            raise read.error(("feed", index), f"feed #{index + 1}: expected a table")
        read.known(table, ("feed", index), frozenset({"name", "url"}))
        # Shown in the progress of a refresh and in its errors: made inert as it is read
        # (control characters and escape sequences dropped, whitespace folded), as a beat's is.
        name = clean_line(read.string(table, ("feed", index), "name", ""))
        url = read.url(table, ("feed", index), "url", "")
        feed_configs.append(FeedConfig(name or url, url))
    source_settings = SourceSettings(
        **values,
        interval_minutes=read.count(refresh, ("refresh",), "interval_minutes", 60, 0, 7 * 24 * 60),
        max_results=read.count(refresh, ("refresh",), "max_results", 100, 1, 2000),
        feeds=tuple(feed_configs),
    )
    reader = read.table(data, "reader")
    read.known(reader, ("reader",), frozenset({"mark_read_after_seconds"}))
    delay = reader.get("mark_read_after_seconds", DEFAULT_MARK_READ_AFTER)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= 3600:
        raise read.error(("reader", "mark_read_after_seconds"), "expected seconds from 0 to 3600")
    keys = read.table(data, "keys")
    for binding, value in keys.items():
        if not isinstance(value, str) or not value.strip() or not key_list(value):
            raise read.error(("keys", binding), 'expected keys like "r" or "r,ctrl+r"')
    return Settings(
        badges=BadgeVocabulary(tuple(v.strip().casefold() for v in vocabulary)),
        sources=source_settings,
        reader=ReaderSettings(float(delay), {k: v.strip() for k, v in keys.items()}),
        path=path if path.is_file() else None,
    )
