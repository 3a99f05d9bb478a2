"""A beat's river page saved as text: a tag, a post count, then posts, then a footer.

Each post is an avatar line (an emoji), a header line
``Juno Frontier capability @juno · 4d caveat`` (author, beat, handle, age, badge), body
paragraphs, and a trailing run of source lines ``<label> <url> <paper|web>``. The page ends with
a footer paragraph that belongs to no post.

Handles are stored without the leading ``@``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from river_tui.domain import normalize_tag
from river_tui.domain.claims import Post, SourceLink
from river_tui.sources import ParseError, inert

_TAG = re.compile(r"^#(?![#\s])(?P<tag>.+)$")
_COUNT = re.compile(r"^(?P<count>\d+) posts?\b")
_HEADER = re.compile(
    r"^(?P<lead>.+?)\s+@(?P<handle>[\w.\-]+)\s+·\s+(?P<age>\S+)(?:\s+(?P<badge>\S+))?$"
)
_SOURCE = re.compile(r"^(?:(?P<label>.*?)\s+)?(?P<url>\S+)\s+(?P<kind>paper|web)$")
_URL = re.compile(r"^(?:https?://\S+|[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}(?:[/?#]\S*)?)$")
_FOOTER = re.compile(r"^The\b.*\bRiver\s+—")
_AVATAR_MAX = 12


@dataclass(frozen=True, slots=True)
class RiverPage:
    tag: str
    posts: tuple[Post, ...]


def looks_like_river_page(text: str) -> bool:
    """A ``#tag`` first line plus a ``N posts`` line or at least one post header line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or not _TAG.match(lines[0]):
        return False
    return any(_COUNT.match(line) or _HEADER.match(line) for line in lines[1:])


def parse_river_page(text: str, beat_names: Iterable[str] = ()) -> RiverPage:
    """Every post of a river page.

    ``beat_names`` helps split ``Juno Frontier capability`` into author and beat; without a
    matching name the first word is the author and the rest is the beat.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    nonblank = [line for line in lines if line]
    if not nonblank or not (tag_match := _TAG.match(nonblank[0])):
        raise ParseError("not a river page: the first line is not a #tag")
    tag = inert.line(normalize_tag(tag_match["tag"]))
    announced = next((int(m["count"]) for line in nonblank if (m := _COUNT.match(line))), None)
    beats = sorted({b.strip() for b in beat_names if b.strip()}, key=len, reverse=True)

    headers = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    posts: list[Post] = []
    for k, start in enumerate(headers):
        end = headers[k + 1] if k + 1 < len(headers) else len(lines)
        segment = lines[start + 1 : end]
        if k + 1 < len(headers):
            segment = _drop_avatar(segment)
        post = _post(tag, lines[start], segment, beats, last=k + 1 == len(headers))
        if start and _is_avatar(lines[start - 1]):
            post.avatar = lines[start - 1]
        posts.append(inert.post(post))

    if announced is not None and announced != len(posts):
        raise ParseError(f"river page announces {announced} posts but {len(posts)} were found")
    if announced is None and not posts:
        raise ParseError("not a river page: no posts found")
    return RiverPage(tag, tuple(posts))


def _drop_avatar(segment: list[str]) -> list[str]:
    """Remove the next post's avatar line (an emoji alone on its line) from the end."""
    while segment and not segment[-1]:
        segment = segment[:-1]
    if segment and _is_avatar(segment[-1]):
        segment = segment[:-1]
    return segment


def _is_avatar(line: str) -> bool:
    return len(line) <= _AVATAR_MAX and " " not in line and not any(c.isalnum() for c in line)


def _post(tag: str, header: str, segment: list[str], beats: list[str], last: bool) -> Post:
    match = _HEADER.match(header)
    assert match is not None  # headers were found with the same pattern
    author, beat = _split_lead(match["lead"], beats)
    paragraphs = _paragraphs(segment)
    if last:
        paragraphs = _drop_footer(paragraphs)
    body, sources = _split_sources(paragraphs)
    return Post(
        tag=tag,
        author=author,
        handle=match["handle"],
        beat=beat,
        age=match["age"],
        badge=(match["badge"] or "").casefold(),
        body="\n\n".join(" ".join(p) for p in body),
        sources=sources,
    )


def _split_lead(lead: str, beats: list[str]) -> tuple[str, str]:
    """``Juno Frontier capability`` -> (``Juno``, ``Frontier capability``)."""
    folded = lead.casefold()
    for beat in beats:
        if folded.endswith(" " + beat.casefold()):
            return lead[: -len(beat)].strip(), lead[-len(beat) :]
    author, _, beat = lead.partition(" ")
    return author, beat.strip()


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _source(line: str) -> SourceLink | None:
    match = _SOURCE.match(line)
    if not match or not _URL.match(match["url"]):
        return None
    url = match["url"]
    if "://" not in url:
        url = "https://" + url
    return SourceLink.make(match["kind"], url, match["label"] or "")


def _drop_footer(paragraphs: list[list[str]]) -> list[list[str]]:
    """The page footer: whatever follows the last post's sources, or a ``The … River —`` line."""
    for index in range(len(paragraphs) - 1, -1, -1):
        for line_no in range(len(paragraphs[index]) - 1, -1, -1):
            if _source(paragraphs[index][line_no]):
                return [*paragraphs[:index], paragraphs[index][: line_no + 1]]
    while paragraphs and _FOOTER.match(paragraphs[-1][0]):
        paragraphs = paragraphs[:-1]
    return paragraphs


def _split_sources(paragraphs: list[list[str]]) -> tuple[list[list[str]], list[SourceLink]]:
    """Body paragraphs, and the trailing run of source lines (blank lines may separate them)."""
    body = [list(p) for p in paragraphs]
    sources: list[SourceLink] = []
    while body and (found := _source(body[-1][-1])):
        sources.append(found)
        body[-1].pop()
        if not body[-1]:
            body.pop()
    sources.reverse()
    return body, sources
