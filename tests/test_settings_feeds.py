"""The ``[[feed]]`` tables of config.toml edited in place: what is added, renamed or removed
changes; every other byte of the file stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from river_tui.settings import FeedConfig, SettingsError
from river_tui.settings.feeds import add_feeds, feeds_of, remove_feed, rename_feed

PATH = Path("config.toml")
MINE = """# my settings
[refresh]
interval_minutes = 30   # every half hour

# the blogs I read
[[feed]]
name = "BAIR"   # Berkeley
url = "https://bair.berkeley.edu/blog/feed.xml"

[[feed]]
url = "https://distill.pub/rss.xml"

[reader]
move_on = false
"""
NEW = FeedConfig(
    "Lil'Log", "https://lilianweng.github.io/index.xml", "https://lilianweng.github.io/"
)


def test_a_feed_added_goes_after_the_last_one() -> None:
    text = add_feeds(MINE, PATH, [NEW])
    assert text == MINE.replace(
        'url = "https://distill.pub/rss.xml"\n',
        'url = "https://distill.pub/rss.xml"\n\n[[feed]]\nname = "Lil\'Log"\n'
        'url = "https://lilianweng.github.io/index.xml"\n'
        'site = "https://lilianweng.github.io/"\n',
    )
    assert feeds_of(PATH, text)[-1] == NEW


def test_the_first_feed_of_a_file_and_of_no_file() -> None:
    assert add_feeds("", PATH, [NEW]).startswith('[[feed]]\nname = "Lil\'Log"\n')
    settings = "[reader]\nmove_on = false\n"
    text = add_feeds(settings, PATH, [NEW, FeedConfig("x", "https://x.example.org/f")])
    assert text.startswith(settings + "\n[[feed]]\n")
    assert [f.name for f in feeds_of(PATH, text)] == ["Lil'Log", "x"]
    assert text.endswith('url = "https://x.example.org/f"\n')  # one newline at the end


def test_inline_feeds_get_one_more_inline_table() -> None:
    text = add_feeds('feed = [{ name = "A", url = "https://a.example.org/f" }]\n', PATH, [NEW])
    assert text.startswith('feed = [{ name = "A", url = "https://a.example.org/f" }, {name = ')
    assert [f.url for f in feeds_of(PATH, text)] == ["https://a.example.org/f", NEW.url]


def test_rename_and_remove_touch_only_their_feed() -> None:
    renamed = rename_feed(MINE, PATH, 0, "Berkeley AI")
    assert renamed == MINE.replace(
        'name = "BAIR"   # Berkeley', 'name = "Berkeley AI"   # Berkeley'
    )
    removed = remove_feed(MINE, PATH, 1)
    assert removed == MINE.replace('[[feed]]\nurl = "https://distill.pub/rss.xml"\n\n', "")
    both = remove_feed(removed, PATH, 0)
    assert "feed" not in both.replace("# the blogs I read", "")  # no empty `feed = []` left
    assert both.startswith("# my settings\n[refresh]\n") and both.endswith("move_on = false\n")
    assert feeds_of(PATH, both) == ()


def test_a_site_that_is_no_web_link_is_one_line_naming_its_key() -> None:
    text = '[[feed]]\nurl = "https://a.example.org/f"\nsite = "javascript:alert(1)"\n'
    with pytest.raises(SettingsError) as caught:
        feeds_of(PATH, text)
    assert str(caught.value) == (
        "config.toml:3: feed #1, key 'site': expected an http(s) URL with a host, "
        "got 'javascript:alert(1)'"
    )
