"""The feeds followed: added (after one fetch shows the URL is a feed), renamed, removed,
imported from OPML, exported as OPML, and listed with what their last fetch brought.

Shared by ``river feeds`` and the reader's Feeds dialog (``F``). Every change edits the
user's config.toml (:mod:`river_tui.settings.feeds`: comments and layout kept), reads the
feeds back from the new text with River's own rules, and writes the file atomically; it
returns the settings now in force. Each refuses with one line (:class:`FeedRefused`) before
anything is written. The feeds are always read from the file as it is now, not from the
settings River started with: another River may have changed it since."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from river_tui.domain import Source
from river_tui.domain.text import clean_line, counted
from river_tui.exports.atomic import write_atomic
from river_tui.settings import CONFIG_FILE, FeedConfig, Settings, SettingsError
from river_tui.settings.feeds import add_feeds, config_text, feeds_of, remove_feed, rename_feed
from river_tui.settings.tables import source_value
from river_tui.store.library import Library

MAX_NAME = 200
"""A feed's name is cut to this many characters."""
FEED_SHAPES = frozenset({"feed", "arxiv-rss", "arxiv-atom"})
"""What a URL may answer to be followed as a feed: any RSS or Atom document
(:class:`river_tui.sources.detect.Shape`: arXiv's are RSS and Atom too)."""


class FeedRefused(Exception):
    """A feed that cannot be added, renamed, removed or imported: one line; nothing written."""


@dataclass(frozen=True, slots=True)
class Changed:
    """The feeds changed: the settings now in force, the file written, and what to say."""

    settings: Settings
    path: Path
    line: str
    name: str = ""
    """The feed's name (its new name after a rename)."""


@dataclass(frozen=True, slots=True)
class Checked:
    """What fetching a feed's URL once found: its title, its site and how many items."""

    url: str
    title: str
    site: str
    items: int


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """A feed and what its last fetch did (``fetched_at`` None: never fetched), and the papers
    it brought to the library (and how many are new)."""

    feed: FeedConfig
    fetched_at: datetime | None = None
    ok_at: datetime | None = None
    items: int = 0
    error: str | None = None
    papers: int = 0
    unread: int = 0

    @property
    def outcome(self) -> str:
        """``never fetched``, ``fetched 2026-05-01 10:00 UTC · 12 items · OK`` or the error."""
        if self.fetched_at is None:
            return "never fetched"
        when = f"fetched {self.fetched_at:%Y-%m-%d %H:%M} UTC"
        if self.error:
            return f"{when} · error: {self.error}"
        return f"{when} · {counted(self.items, 'item')} · OK"


def config_path(settings: Settings) -> Path:
    """The user's config.toml (it is made by the first feed added)."""
    return settings.paths.config or settings.paths.config_dir / CONFIG_FILE


def current_feeds(settings: Settings) -> tuple[FeedConfig, ...]:
    """The feeds config.toml holds now."""
    path = config_path(settings)
    return feeds_of(path, config_text(path))


def feed_url(text: str) -> str:
    """``text`` as River keeps a feed's URL (as config.toml is read); :class:`FeedRefused`
    when it is not a web link."""
    try:
        return source_value("url", text)
    except ValueError:
        raise FeedRefused(f"not a web address: {clean_line(text)[:200]!r}") from None


def find_feed(feeds: Sequence[FeedConfig], name: str) -> int:
    """The position of the feed ``name`` names: its name, else its URL, else its name in any
    case. :class:`FeedRefused` when none does, or two do."""
    wanted = clean_line(name)
    for matches in (
        lambda f: f.name == wanted,
        lambda f: f.url == wanted.rstrip("/"),
        lambda f: f.name.casefold() == wanted.casefold(),
    ):
        found = [i for i, feed in enumerate(feeds) if matches(feed)]
        if len(found) > 1:
            raise FeedRefused(f"{len(found)} feeds are named {wanted!r}: give its URL instead")
        if found:
            return found[0]
    known = ", ".join(f.name for f in feeds) or "none yet"
    raise FeedRefused(f"no feed named {wanted!r} (feeds: {known})")


def checked_feed(url: str, settings: Settings) -> Checked:
    """Fetch ``url`` once, politely, and read it as River's refresh would: :class:`FeedRefused`
    (one line) when it cannot be reached or is not an RSS or Atom feed."""
    # A seam: httpx, the parsers and their sandbox load only when a feed is checked.
    from river_tui.refresh import make_fetcher
    from river_tui.sources import SourceError
    from river_tui.sources.detect import detect_shape
    from river_tui.sources.feed import parse_feed
    from river_tui.sources.sandbox import budget, read_isolated

    with make_fetcher(settings.sources, settings.paths.data_dir) as fetcher:
        try:
            response = fetcher.get(url)
        except SourceError as exc:
            raise FeedRefused(f"{url}: could not fetch it: {exc}") from None
    shape = detect_shape(response.content.decode("utf-8", errors="replace"))
    if shape is None or str(shape) not in FEED_SHAPES:
        raise FeedRefused(f"{url}: not an RSS or Atom feed")
    try:
        feed, _notes = read_isolated(
            parse_feed,
            response.content,
            url,
            what=url,
            timeout=budget(len(response.content)),
        )
    except SourceError as exc:
        raise FeedRefused(str(exc)) from None
    return Checked(url, clean_line(feed.title)[:MAX_NAME], feed.site, len(feed.items))


def _free_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``(3)``… when a feed has it already (in any case)."""
    candidate, n = name, 2
    while candidate.casefold() in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def _edit(settings: Settings, edit: Callable[[str, Path], str]) -> tuple[Settings, Path]:
    """Edit config.toml, read its feeds back, write it; the settings now in force."""
    path = config_path(settings)
    text = config_text(path)
    new_text = edit(text, path)
    feeds = feeds_of(path, new_text)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, new_text, force=True)
    now = replace(
        settings,
        sources=replace(settings.sources, feeds=feeds),
        paths=replace(settings.paths, config=path),
    )
    return now, path


def addable(settings: Settings, url: str, name: str | None = None) -> str:
    """``url`` as River keeps it, if a feed at it named ``name`` can be added (asked before
    the fetch that checks it): :class:`FeedRefused` when it is no web link, is followed
    already, or a feed has that name."""
    url = feed_url(url)
    feeds = current_feeds(settings)
    if (known := next((f for f in feeds if f.url == url), None)) is not None:
        raise FeedRefused(f"already following {url} (as “{known.name}”)")
    if name is not None:
        name = clean_line(name)[:MAX_NAME]
        if not name:
            raise FeedRefused("a feed's name needs a letter or a digit")
        if any(f.name.casefold() == name.casefold() for f in feeds):
            raise FeedRefused(f"a feed is already named “{name}”: choose another name")
    return url


def add_feed(
    settings: Settings, url: str, name: str | None = None, checked: Checked | None = None
) -> Changed:
    """Follow the feed at ``url`` (already checked by :func:`checked_feed`, or not when
    ``checked`` is None), named ``name``, else its title, else its URL."""
    url = addable(settings, url, name)
    taken = {f.name.casefold() for f in current_feeds(settings)}
    if name is not None:
        name = clean_line(name)[:MAX_NAME]
    else:
        name = _free_name((checked.title if checked else "") or url, taken)
    feed = FeedConfig(name, url, checked.site if checked else "")
    settings, path = _edit(settings, lambda text, p: add_feeds(text, p, [feed]))
    items = f" ({counted(checked.items, 'item')} in it now)" if checked else ""
    return Changed(settings, path, f"added feed “{name}”: {url}{items}", name)


def rename(settings: Settings, name: str, new: str) -> Changed:
    """Rename the feed ``name`` names (:func:`find_feed`) to ``new``."""
    feeds = current_feeds(settings)
    index = find_feed(feeds, name)
    new = clean_line(new)[:MAX_NAME]
    old = feeds[index].name
    if not new:
        raise FeedRefused("a feed's name needs a letter or a digit")
    if new == old:
        raise FeedRefused(f"the feed is already named “{new}”")
    if any(f.name.casefold() == new.casefold() for i, f in enumerate(feeds) if i != index):
        raise FeedRefused(f"a feed is already named “{new}”: choose another name")
    settings, path = _edit(settings, lambda text, p: rename_feed(text, p, index, new))
    return Changed(settings, path, f"renamed feed “{old}” to “{new}”", new)


def remove(settings: Settings, name: str) -> Changed:
    """Stop following the feed ``name`` names; the papers it brought stay in the library."""
    feeds = current_feeds(settings)
    index = find_feed(feeds, name)
    gone = feeds[index]
    settings, path = _edit(settings, lambda text, p: remove_feed(text, p, index))
    return Changed(settings, path, f"removed feed “{gone.name}” (its papers stay)", gone.name)


@dataclass(frozen=True, slots=True)
class Imported:
    """An OPML file imported: how many feeds were added, already followed, and skipped (an
    ``xmlUrl`` that is not a web link); ``changed`` is None when nothing was written."""

    added: int
    present: int
    skipped: int
    changed: Changed | None

    @property
    def line(self) -> str:
        where = f" to {self.changed.path}" if self.changed else ""
        return (
            f"{counted(self.added, 'feed')} added{where}, {self.present} already there, "
            f"{self.skipped} skipped"
        )


def import_opml(settings: Settings, file: Path) -> Imported:
    """Follow every feed the OPML ``file`` lists that is not followed yet (nested outlines
    and categories flattened)."""
    from river_tui.sources import ParseError
    from river_tui.sources.opml import parse_opml

    shown = clean_line(str(file))
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise FeedRefused(f"{shown}: cannot read: {exc.strerror or exc}") from None
    try:
        opml = parse_opml(data, shown)
    except ParseError as exc:
        raise FeedRefused(str(exc)) from None
    feeds = current_feeds(settings)
    urls = {f.url for f in feeds}
    taken = {f.name.casefold() for f in feeds}
    new: list[FeedConfig] = []
    present, skipped = 0, opml.skipped
    for outline in opml.feeds:
        try:
            url = source_value("url", outline.url)
        except ValueError:
            skipped += 1
            continue
        if url in urls:
            present += 1
            continue
        name = _free_name(outline.name or url, taken)
        urls.add(url)
        taken.add(name.casefold())
        new.append(FeedConfig(name, url, outline.site))
    if not new:
        return Imported(0, present, skipped, None)
    settings, path = _edit(settings, lambda text, p: add_feeds(text, p, new))
    return Imported(len(new), present, skipped, Changed(settings, path, ""))


def statuses(feeds: Sequence[FeedConfig], library: Library | None) -> list[FeedStatus]:
    """Each feed with its last fetch and its papers (``library`` None: none yet)."""
    if library is None:
        return [FeedStatus(feed) for feed in feeds]
    counts = library.feed_counts()
    found = []
    for feed in feeds:
        key = Source.FEED.key(feed.url)
        papers, unread = counts.get(key, (0, 0))
        record = library.fetch_record(key)
        if record is None:
            found.append(FeedStatus(feed, papers=papers, unread=unread))
            continue
        found.append(
            FeedStatus(
                feed,
                record.fetched_at,
                record.ok_at,
                record.items,
                record.error,
                papers,
                unread,
            )
        )
    return found


__all__ = [
    "Changed",
    "Checked",
    "FeedRefused",
    "FeedStatus",
    "SettingsError",
    "add_feed",
    "addable",
    "checked_feed",
    "current_feeds",
    "find_feed",
    "import_opml",
    "remove",
    "rename",
    "statuses",
]
