"""The link rule (river_tui.domain.links): only web links are opened, copied or written as links,
whatever brought them; every other address is kept as inert text."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_ui_links import GOOD, HOSTILE, hostile_library

from river_tui.domain import ItemKind, Paper
from river_tui.domain.bibtex import bibtex_entry
from river_tui.domain.claims import Claim, Dossier, SourceLink
from river_tui.domain.links import MAX_URL, is_web_url, quoted_web_url, web_url
from river_tui.exports.dossier_md import render_dossier
from river_tui.reader.claims import typed_source
from river_tui.settings import load_settings
from river_tui.sources.dossier_md import parse_dossier
from river_tui.store.library import Library
from river_tui.ui.opener import Outcome, open_link


# -- the rule ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        *HOSTILE,
        "river:prov:1f3a",
        "ftp://example.org/x",
        "http://",
        "https:///path",
        "http:/example.org",
        "http:example.org",
        "https://exa mple.org/",
        "https://example.org/\u202eevil",
        "https://example.org/\u200b",
        "https://example.org/\x1b]8;;file:///etc/shadow\x07",
        "http://[::1",
        "http://example.org:99999/",
        'https://example.org/"><script>',
        "https://example.org\\@evil.example/",
        " https://example.org/",
        "https://example.org/" + "a" * MAX_URL,
    ],
)
def test_what_is_not_a_web_link(url: str) -> None:
    assert web_url(url) is None and not is_web_url(url)


@pytest.mark.parametrize(
    "url",
    [
        GOOD,
        "http://example.org",
        "HTTPS://EXAMPLE.ORG/A?b=c&d=%20#frag",
        "https://user:pw@example.org:8443/x",
        "http://[::1]:8080/",
        "https://de.wikipedia.org/wiki/Köln",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
    ],
)
def test_what_is_a_web_link(url: str) -> None:
    assert web_url(url) == url


def test_a_feed_link_with_a_space_is_percent_encoded() -> None:
    assert quoted_web_url("https://example.org/a post") == "https://example.org/a%20post"
    assert quoted_web_url("javascript:alert(1)") is None


SCHEMES = st.sampled_from(
    [
        *("http", "https", "HTTP", "hTtPs", "file", "javascript", "data", "ftp", "river"),
        *("-", "--", "htt", "httpx", "https+", "vbscript", "http ", " http", "chrome", ""),
    ]
)
SEPARATORS = st.sampled_from(["://", ":/", ":", ":///", "//", "", " ://", ":\\\\", "=", ":// "])
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40) | st.text(
    st.sampled_from("abc.-_/:?#[]@!$&'()*+,;=% \t\n\x00\x1b\x07\u202e\u200b\\\"<>`{|}^")
)


def _is_web(url: str) -> bool:
    """What reaching the browser requires, checked here independently of the rule."""
    if not url.lower().startswith(("http://", "https://")):
        return False
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in url):
        return False
    return bool(urlsplit(url).hostname)


@settings(
    max_examples=2500,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(st.one_of(TEXT, st.tuples(SCHEMES, SEPARATORS, TEXT).map("".join)))
def test_no_generated_url_that_is_not_http_reaches_the_opener(url: str) -> None:
    """The opener the reader calls gets a link only if it is http(s) with a host and nothing
    invisible; anything else is refused before it (2,500 derandomized cases)."""
    reached: list[str] = []

    def browser(link: str) -> bool:
        reached.append(link)
        return True

    outcome = open_link(url, browser)
    if reached:
        assert outcome is Outcome.OPENED and reached == [url]
        assert _is_web(url) and not url.startswith("-")
    else:
        assert outcome is Outcome.REFUSED


@settings(max_examples=500, derandomize=True, deadline=None, database=None)
@given(
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z]{2,8}){1,3}", fullmatch=True),
    st.from_regex(r"(/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,12}){0,4}", fullmatch=True),
)
def test_every_generated_web_link_reaches_the_opener(scheme: str, host: str, path: str) -> None:
    url = f"{scheme}://{host}{path}"
    reached: list[str] = []
    assert open_link(url, lambda link: reached.append(link) or True) is Outcome.OPENED
    assert reached == [url]


def rule_taken_apart(text: str) -> str | None:
    """The link rule as written, every link taken apart (``web_url`` skips that for links of
    a plain host): the reference it must agree with."""
    if not text or len(text) > MAX_URL:
        return None
    for char in text:
        if char.isascii():
            if char not in ALLOWED_ASCII:
                return None
        elif unicodedata.category(char)[0] in "CZ":
            return None
    scheme, separator, _rest = text.partition("://")
    if not separator or scheme.lower() not in ("http", "https"):
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018
    except ValueError:
        return None
    return text if parts.hostname else None


ALLOWED_ASCII = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
URL_PIECE = st.sampled_from(
    ["http", "HTTPS", "://", "/", ":", "80", ":99999", "@", "[", "]", "?", "#", "%", ".", "-"]
) | st.sampled_from(["a", "x.org", " ", "\u202e", "é", "\t", '"', "[::1]", "//", "-x"])


@settings(max_examples=1000, derandomize=True, deadline=None, database=None)
@given(st.lists(URL_PIECE, max_size=8).map("".join))
def test_the_link_rule_agrees_with_it_taken_apart(url: str) -> None:
    assert web_url(url) == rule_taken_apart(url)
    assert web_url("https://" + url) == rule_taken_apart("https://" + url)


# -- where links are kept, written and typed ----------------------------------------------------
def test_a_hostile_backup_is_kept_as_text(tmp_path: Path) -> None:
    """Nothing is lost: each address is stored as given; none is a web link."""
    with Library.open(hostile_library(tmp_path), load_settings().beats) as lib:
        records = [lib.record(p.pk) for p in lib.papers()]
    kept = [(r.paper.url, [x.url for x in r.paper.links]) for r in records if r]
    assert kept == [(url, [url]) for url in HOSTILE]


def test_bibtex_carries_only_a_web_link() -> None:
    for url in HOSTILE:
        entry = bibtex_entry(Paper(title="T", kind=ItemKind.WEB, url=url))
        assert "url" not in entry and url.split(":")[0] not in entry
    entry = bibtex_entry(Paper(title="T", kind=ItemKind.WEB, url=GOOD))
    assert f"url = {{{GOOD}}}" in entry and f"\\url{{{GOOD}}}" in entry


def test_a_dossier_writes_only_web_links_as_links_and_reads_them_all_back() -> None:
    urls = [*HOSTILE, "river:prov:1f3a", "file:///x`y``z", GOOD]
    sources = [SourceLink.make("web", url, f"label {n}") for n, url in enumerate(urls)]
    day = date(2026, 12, 1)
    claim = Claim("A claim.", "claim", sources=sources)
    dossier = Dossier(slug="d", title="D", created=day, last_tended=day, claims=[claim])
    text = render_dossier(dossier)
    assert f"[label 6]({GOOD})" in text
    for url in urls[:-1]:
        assert f"]({url}" not in text  # no Markdown link of it
    assert "- `web` [label 1] `file:///etc/shadow`" in text
    assert "- `web` [label 5] ```file:///x`y``z```" in text
    back = parse_dossier(text)
    assert [(s.url, s.label) for s in back.claims[0].sources] == [
        (url, f"label {n}") for n, url in enumerate(urls)
    ]


def test_a_typed_source_follows_the_rule() -> None:
    for url in [*HOSTILE[1:], "http://", "https://exa\u202emple.org"]:
        with pytest.raises(ValueError, match="is not an http"):
            typed_source("web", url)
    assert typed_source("web", GOOD).url == GOOD


def test_river_show_says_which_links_are_not_web_links(tmp_path: Path) -> None:
    db = hostile_library(tmp_path)
    with Library.open(db, load_settings().beats) as lib:
        paper_id = lib.papers()[1].id  # the file:///etc/shadow item
    result = subprocess.run(
        [sys.executable, "-m", "river_tui", "--db", str(db), "show", paper_id],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "pdf           file:///etc/shadow  (not a web link)" in result.stdout
