"""The settings River runs with, as one frozen object. Each default is written here, once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from river_tui import __version__
from river_tui.domain.badges import BadgeVocabulary
from river_tui.domain.beats import Beat


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """A web feed to follow (a ``[[feed]]`` table): its name, its URL and, when known, the
    address of the site it belongs to (``site``: an OPML outline's ``htmlUrl``)."""

    name: str
    url: str
    site: str = ""


@dataclass(frozen=True, slots=True)
class SourceSettings:
    """Where, how and how often a refresh asks the sources: ``[sources]`` (and their
    variables), ``[refresh]`` and the ``[[feed]]`` tables."""

    hf_url: str = "https://huggingface.co"
    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    arxiv_rss_url: str = "https://rss.arxiv.org/rss"
    arxiv_oai_url: str = "https://oaipmh.arxiv.org/oai"
    """arXiv's OAI-PMH interface, which ``river harvest`` asks."""
    contact: str = ""
    interval_minutes: int = 60
    """The reader refreshes this often (0: never)."""
    max_results: int = 100
    """At most this many papers per arXiv query and refresh."""
    feeds: tuple[FeedConfig, ...] = ()

    @property
    def user_agent(self) -> str:
        contact = f"; mailto:{self.contact}" if self.contact else ""
        return f"River/{__version__} (local research-paper reader{contact})"


@dataclass(frozen=True, slots=True)
class ReaderSettings:
    """How the reader behaves (``[reader]``) and the keys remapped (``[keys]``)."""

    mark_read_after_seconds: float = 3.0
    """Opening a paper marks it read after this long (0: never)."""
    move_on: bool = True
    """After read, skip or archive, the cursor goes to the next paper, in every view."""
    keys: Mapping[str, str] = field(default_factory=dict)
    """Binding id -> keys, applied with ``App.set_keymap``; read-only."""
    note_editor: str = "editor"
    """Where ``e`` edits a paper's note: ``editor``, the reader's own (:attr:`editor`;
    River's when there is none), or ``in-app``, always River's."""
    editor: tuple[str, ...] = ()
    """The reader's editor: ``$VISUAL``, else ``$EDITOR``, split as a shell splits it
    (``code --wait``); empty when neither is set."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", MappingProxyType(dict(self.keys)))


@dataclass(frozen=True, slots=True)
class Paths:
    """Where River keeps things, as the environment and the command line chose."""

    config_dir: Path
    """The config folder: beats.toml and config.toml (``RIVER_CONFIG_DIR``)."""
    data_dir: Path
    """The data folder: the library by default, and what River remembers
    (``RIVER_DATA_DIR``; see :mod:`river_tui.remembered`)."""
    db: Path
    """The library: ``--db``, else ``RIVER_DB``, else ``library.db`` in the data folder."""
    beats: Path
    """The beats file read: the user's, else the bundled one."""
    config: Path | None
    """config.toml, when there is one."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything River runs with: beats.toml, config.toml, the environment and ``--db``."""

    beats: list[Beat]
    paths: Paths
    badges: BadgeVocabulary = field(default_factory=BadgeVocabulary)
    sources: SourceSettings = field(default_factory=SourceSettings)
    reader: ReaderSettings = field(default_factory=ReaderSettings)
