"""Write an Atom feed of N synthetic papers (the papers of ``make_library.py``), for the ingest
benchmark: River and newsboat read the same file.

    .venv/bin/python tests/benchmarks/make_feed.py 100000 /tmp/river-bench/feed-100000.xml

Each entry has a title, an arXiv abstract-page link and id, published and updated dates, 1-30
authors, categories and the abstract as its summary: about 2 KB an entry, 100,000 entries
about 200 MB. The same N gives the same file. It is a plain Atom 1.0 feed (no arXiv
namespace), as any site's feed of papers is.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from make_library import generate

HEAD = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Synthetic papers</title>
  <id>urn:river-bench:feed</id>
  <updated>2026-12-01T00:00:00Z</updated>
  <link href="https://example.org/papers" rel="alternate"/>
"""


def entry(item: dict) -> str:
    arxiv = item["arxiv_id"]
    url = f"https://arxiv.org/abs/{arxiv}v{item['version']}"
    published = item["published"].isoformat() + "T00:00:00Z"
    updated = (item["updated"] or item["published"]).isoformat() + "T00:00:00Z"
    authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in item["authors"])
    categories = "".join(f"<category term={quoteattr(c)}/>" for c in item["categories"])
    return (
        f"  <entry>\n    <id>{url}</id>\n    <title>{escape(item['title'])}</title>\n"
        f'    <link href={quoteattr(url)} rel="alternate"/>\n'
        f"    <published>{published}</published>\n    <updated>{updated}</updated>\n"
        f"    {authors}\n    {categories}\n"
        f"    <summary>{escape(item['abstract'])}</summary>\n  </entry>\n"
    )


def write_feed(n: int, path: Path) -> int:
    """Write the feed of ``n`` papers to ``path``; its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for item in generate(n):
            out.write(entry(item))
        out.write("</feed>\n")
    return path.stat().st_size


def main(argv: list[str]) -> int:
    n, path = int(argv[0]), Path(argv[1])
    size = write_feed(n, path)
    print(f"{path}: {n:,} entries, {size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
