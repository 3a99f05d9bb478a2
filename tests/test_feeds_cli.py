"""``river feeds``: list, add (checked by one fetch), rename, remove, import and export OPML;
every change an edit of config.toml that keeps the rest of the file as it was."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from river_tui.settings import load_settings

from conftest import FIXTURES, run_river
from httpserver import LocalServer, local_server

__all__ = ["local_server"]

OPML = Path(__file__).resolve().parent / "fixtures" / "opml"
NEWSBOAT = OPML / "newsboat-export.opml"
RSS = FIXTURES / "arxiv_rss_cs.LG_2026-04-27_3items.xml"
RSS_TITLE = "cs.LG updates on arXiv.org"
HF_JSON = FIXTURES / "hf_daily_papers_2026-06-12_sotawhat.json"
APART = {
    variable: "http://sources.invalid:9"
    for variable in ("RIVER_HF_URL", "RIVER_ARXIV_API_URL", "RIVER_ARXIV_RSS_URL")
}
"""The sources on another host than the local server's feeds (never asked): the arXiv
limit of one request every 3 s is kept per host."""
SETTINGS = "# my settings\n[refresh]\ninterval_minutes = 0  # never\n\n[reader]\nmove_on = false\n"


def river(*args: str) -> subprocess.CompletedProcess[str]:
    return run_river(*args, env=APART)


def config_file(text: str | None = SETTINGS) -> Path:
    """The test's config.toml, with ``text`` (None: none yet)."""
    path = Path(os.environ["RIVER_CONFIG_DIR"]) / "config.toml"
    if text is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def test_an_opml_round_trip_changes_nothing(tmp_path: Path) -> None:
    config = config_file()
    first = river("feeds", "import", str(NEWSBOAT))
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        f"7 feeds added to {config}, 0 already there, 0 skipped",
        "river refresh --source feed brings their papers",
    ]
    after_import = config.read_bytes()
    assert after_import.startswith(SETTINGS.encode())  # comments and layout kept
    feeds = load_settings().sources.feeds
    assert [(f.name, f.url) for f in feeds][:2] == [
        ("BAIR Blog", "https://bair.berkeley.edu/blog/feed.xml"),
        # newsboat wrote title="": the feed is named by its URL, as config.toml reads it
        ("https://huggingface.co/blog/feed.xml", "https://huggingface.co/blog/feed.xml"),
    ]
    assert feeds[-1].name == 'Q&A <curated> "AF"'

    exported = tmp_path / "river.opml"
    wrote = river("feeds", "export", "-o", str(exported))
    assert (wrote.returncode, wrote.stderr) == (0, f"wrote {exported}\n")
    second = river("feeds", "import", str(exported))
    assert second.stdout == "0 feeds added, 7 already there, 0 skipped\n"
    assert config.read_bytes() == after_import  # byte for byte
    again = river("feeds", "export")
    assert again.stdout == exported.read_text(encoding="utf-8")
    # Once more from newsboat's file: every feed is there already.
    third = river("feeds", "import", str(NEWSBOAT))
    assert third.stdout == "0 feeds added, 7 already there, 0 skipped\n"
    assert config.read_bytes() == after_import


def test_a_file_that_is_not_opml_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    config = config_file()
    bad = tmp_path / "feeds.opml"
    bad.write_text("<opml><body><outline xmlUrl='https://x.org/f'>", encoding="utf-8")
    result = river("feeds", "import", str(bad))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"river: {bad}: not well-formed XML (")
    assert result.stderr.endswith("; nothing changed\n") and result.stderr.count("\n") == 1
    missing = river("feeds", "import", str(tmp_path / "none.opml"))
    assert missing.stderr.startswith(f"river: {tmp_path / 'none.opml'}: cannot read:")
    assert config.read_text(encoding="utf-8") == SETTINGS


def test_add_fetches_the_feed_once_and_names_it_by_its_title(local_server: LocalServer) -> None:
    local_server.route_file("/rss/cs.LG", RSS)
    url = f"{local_server.url}/rss/cs.LG"
    config = config_file(None)  # none yet: the first feed makes it
    result = river("feeds", "add", url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"added feed “{RSS_TITLE}”: {url} (3 items in it now) ({config})",
        "river refresh --source feed brings its papers",
    ]
    assert config.read_text(encoding="utf-8") == (
        f'[[feed]]\nname = "{RSS_TITLE}"\nurl = "{url}"\nsite = "http://rss.arxiv.org/rss/cs.LG"\n'
    )
    assert [r.path for r in local_server.requests] == ["/rss/cs.LG"]
    assert local_server.requests[0].headers["user-agent"].startswith("River/")

    again = river("feeds", "add", url + "/")  # River keeps URLs without the last slash
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr == f"river: already following {url} (as “{RSS_TITLE}”); nothing changed\n"
    assert len(local_server.requests) == 1  # refused before any fetch


def test_a_url_that_is_no_feed_or_cannot_be_fetched_writes_nothing(
    local_server: LocalServer,
) -> None:
    local_server.route_file("/api/daily_papers", HF_JSON)
    config = config_file()
    for path, says in (
        ("/api/daily_papers", "not an RSS or Atom feed"),
        ("/gone", "could not fetch it: 127.0.0.1 answered HTTP 404 Not Found"),
    ):
        url = f"{local_server.url}{path}"
        result = river("feeds", "add", url)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr == f"river: {url}: {says}; nothing changed\n"
    result = river("feeds", "add", "feed.example.org/rss")
    assert result.stderr == "river: not a web address: 'feed.example.org/rss'; nothing changed\n"
    assert config.read_text(encoding="utf-8") == SETTINGS


def test_list_rename_and_remove_after_a_refresh(local_server: LocalServer) -> None:
    local_server.route_file("/blog/feed.xml", RSS)
    lab, gone = f"{local_server.url}/blog/feed.xml", f"{local_server.url}/gone.xml"
    config = config_file()
    assert river("feeds", "list").stdout == (
        "No feed is followed (river feeds add URL, or river feeds import FILE.opml).\n"
    )
    assert river("feeds", "add", lab, "--name", "Lab").returncode == 0
    added = river("feeds", "add", gone, "--no-check")  # no fetch: offline, or later
    assert added.stdout.startswith(f"added feed “{gone}”: {gone} ({config})")
    assert river("refresh", "--source", "feed").returncode == 1  # the second one fails

    listed = river("feeds", "list").stdout.splitlines()
    when = r"fetched \d{4}-\d\d-\d\d \d\d:\d\d UTC"
    assert re.fullmatch(rf"Lab · {re.escape(lab)} · {when} · 3 items · OK", listed[0])
    assert re.fullmatch(
        rf"{re.escape(gone)} · {when} · error: 127.0.0.1 answered HTTP 404 Not Found", listed[1]
    )
    found = json.loads(river("feeds", "list", "--json").stdout)
    assert [(f["name"], f["items"], f["papers"], f["new"], f["error"]) for f in found] == [
        ("Lab", 3, 3, 3, None),
        (gone, 0, 0, 0, "127.0.0.1 answered HTTP 404 Not Found"),
    ]

    renamed = river("feeds", "rename", "Lab", "Lab news")
    assert renamed.stdout == f"renamed feed “Lab” to “Lab news” ({config})\n"
    clash = river("feeds", "rename", gone, "lab NEWS")
    assert clash.stderr == (
        "river: a feed is already named “lab NEWS”: choose another name; nothing changed\n"
    )
    removed = river("feeds", "remove", "lab news")  # a name in any case, or the URL
    assert removed.stdout == f"removed feed “Lab news” (its papers stay) ({config})\n"
    assert river("feeds", "remove", "Lab").stderr == (
        f"river: no feed named 'Lab' (feeds: {gone}); nothing changed\n"
    )
    assert config.read_text(encoding="utf-8") == f'{SETTINGS}\n[[feed]]\nurl = "{gone}"\n'
    assert len(river("list").stdout.splitlines()) == 3  # the papers it brought stay
