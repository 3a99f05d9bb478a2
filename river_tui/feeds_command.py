"""``river feeds``: list, add, rename, remove, import and export the feeds followed (the rules
and the edits of config.toml are :mod:`river_tui.feeds`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from river_tui.cli import EXIT_ERROR, EXIT_OK
from river_tui.domain.text import display_json
from river_tui.exports.atomic import check_target, write_output
from river_tui.exports.opml import render_opml
from river_tui.feeds import (
    FeedRefused,
    FeedStatus,
    add_feed,
    addable,
    checked_feed,
    current_feeds,
    import_opml,
    remove,
    rename,
    statuses,
)
from river_tui.settings import Settings
from river_tui.store.library import Library

NONE_YET = "No feed is followed (river feeds add URL, or river feeds import FILE.opml)."
REFRESH_HINT = "river refresh --source feed brings its papers"


def cmd_feeds(args: argparse.Namespace, config: Settings) -> int:
    """``river feeds ACTION``: a refusal is one line on stderr and changes nothing."""
    action = args.feeds_command
    try:
        if action == "list":
            return _list(args, config)
        if action == "export":
            return _export(args, config)
        if action == "add":
            url = addable(config, args.url, args.name)
            checked = None if args.no_check else checked_feed(url, config)
            changed = add_feed(config, url, args.name, checked)
        elif action == "rename":
            changed = rename(config, args.name, args.new)
        elif action == "remove":
            changed = remove(config, args.name)
        else:
            imported = import_opml(config, args.file)
            print(imported.line)
            if imported.added:
                print(REFRESH_HINT.replace("its", "their"))
            return EXIT_OK
    except FeedRefused as exc:
        print(f"river: {exc}; nothing changed", file=sys.stderr)
        return EXIT_ERROR
    print(f"{changed.line} ({changed.path})")
    if action == "add":
        print(REFRESH_HINT)
    return EXIT_OK


def _list(args: argparse.Namespace, config: Settings) -> int:
    feeds = current_feeds(config)
    if Path(args.db).exists():
        with Library.open(args.db, config.beats) as library:
            found = statuses(feeds, library)
    else:
        found = statuses(feeds, None)  # no library yet: nothing was fetched
    if args.json:
        print(display_json([_json(status) for status in found], indent=2))
    elif not found:
        print(NONE_YET)
    for status in [] if args.json else found:
        feed = status.feed
        named = f"{feed.name} · {feed.url}" if feed.name != feed.url else feed.url
        print(f"{named} · {status.outcome}")
    return EXIT_OK


def _json(status: FeedStatus) -> dict[str, object]:
    return {
        "name": status.feed.name,
        "url": status.feed.url,
        "site": status.feed.site or None,
        "fetched_at": status.fetched_at.isoformat() if status.fetched_at else None,
        "ok_at": status.ok_at.isoformat() if status.ok_at else None,
        "items": status.items,
        "error": status.error,
        "papers": status.papers,
        "new": status.unread,
    }


def _export(args: argparse.Namespace, config: Settings) -> int:
    if args.output is not None:
        check_target(args.output, args.force)
    text = render_opml(current_feeds(config))
    write_output(text, args.output, args.force)
    return EXIT_OK
