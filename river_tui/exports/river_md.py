"""A tag's river as text, in the shape River reads back (seed ``000_*``)."""

from __future__ import annotations

from datetime import datetime

from river_tui.domain.claims import Post, SourceLink
from river_tui.domain.ids import parse_arxiv_id
from river_tui.domain.text import counted

FOOTER = (
    "The Collagen River — a private, local knowledge feed. Six beats, one reader. Every card "
    "carries an honest provenance badge; nothing here is a crowd."
)
DEFAULT_AVATAR = "🐎"


def source_line(source: SourceLink) -> str:
    """``label address kind``; an arXiv paper quoted at a known version is cited at it
    (``arxiv.org/abs/2606.05152v2``), as arXiv asks references to be."""
    url = source.url
    paper = parse_arxiv_id(source.paper_id or "")
    if paper and source.quote and source.quote.version:
        url = f"https://arxiv.org/abs/{paper.canonical}v{source.quote.version}"
    url = url.removeprefix("https://").removeprefix("http://")
    return f"{source.label} {url} {source.kind}".strip()


def post_block(post: Post, now: datetime) -> list[str]:
    header = f"{post.author} {post.beat} @{post.handle} · {post.age_at(now)}"
    lines = [post.avatar or DEFAULT_AVATAR, f"{header} {post.badge}".rstrip(), ""]
    for paragraph in post.body.split("\n\n"):
        lines += [paragraph, ""]
    lines += [source_line(s) for s in post.sources]
    return lines


def render_river(tag: str, posts: list[Post], now: datetime) -> str:
    """The page, each post's age counted at ``now``."""
    lines = [f"#{tag}", "", f"{counted(len(posts), 'post')} · newest first · all tags", ""]
    for post in posts:
        lines += post_block(post, now)
    if lines[-1]:
        lines.append("")
    lines.append(FOOTER)
    return "\n".join(lines)
