"""Every feed feedparser reads, River reads: feedparser's own test suite as conformance.

The 2,106 documents of feedparser's tests/wellformed, illformed, entities and encoding
(tests/fixtures/feedparser, see tests/fixtures/SOURCES.md) go through :func:`read_document`,
the function ``river import`` runs in its sandbox, in place. For each document feedparser gives
a ``version``, River must read a feed; each entry feedparser gives a title and a link or an id
must land as a paper (found by its web address: its link resolved against the file's URL, or
its id); and River must say it read the document leniently exactly when feedparser found it
not well-formed. The documents where River deliberately differs are listed in
:data:`DIFFERENCES`, each with its reason, and must still differ (the list is kept honest).

``python tests/test_conformance.py`` prints the counts docs/sources.md quotes.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest

from river_tui.sources import SourceError
from river_tui.sources.detect import Shape
from river_tui.sources.documents import read_document
from river_tui.sources.feed import malformed
from river_tui.sources.notes import Note, collect

from conftest import one_line, run_river

SUITE = Path(__file__).resolve().parent / "fixtures" / "feedparser"
AS_OF = date(2026, 1, 1)

_ENTITIES = (
    "its DOCTYPE declares an XML entity: River refuses every such document (entity expansion "
    "and external entities are how billion-laughs and XXE attacks come), feedparser reads it"
)
DIFFERENCES = {
    "wellformed/rdf/doctype_contains_entity_decl.xml": _ENTITIES,
    "wellformed/rss/entity_in_doctype.xml": _ENTITIES,
    "wellformed/lang/http_content_language_entry_title_inherit_2.xml": (
        "its one entry's link and id are `1`, a relative address, and the file has no web "
        "address to resolve it against: River keeps a feed's entry by its web link (said as "
        "`1 entry without a web link left out`)"
    ),
}
"""Documents River reads differently from feedparser, on purpose, and why."""


def _folders() -> list[str]:
    """One test per folder of documents, so that the workers share them."""
    return sorted(
        str(folder.relative_to(SUITE))
        for folder in SUITE.rglob("*")
        if folder.is_dir() and any(folder.glob("*.xml"))
    )


@dataclass
class Counts:
    files: int = 0
    feedparser_feeds: int = 0
    river_feeds: int = 0
    all_entries: int = 0
    """Entries feedparser gives, in the documents it calls feeds."""
    entries: int = 0
    """Those with a title and a link or id."""
    landed: int = 0
    papers: int = 0
    """Papers River lands (an entry with a web link and no title lands too, named by it)."""
    lenient: int = 0
    """Feeds feedparser found not well-formed (and River said it read leniently)."""
    others_read: int = 0
    """Documents feedparser gives no version that River reads (CDF items with a link)."""
    problems: list[str] = field(default_factory=list)
    differences: dict[str, str] = field(default_factory=dict)


def read_folder(folder: str) -> Counts:
    """feedparser's and River's reading of each document of ``folder``, compared."""
    counts = Counts()
    for path in sorted((SUITE / folder).glob("*.xml")):
        name = path.relative_to(SUITE).as_posix()
        data = path.read_bytes()
        counts.files += 1
        reference = feedparser.parse(data)
        url = path.as_uri()
        if not reference.get("version"):
            counts.others_read += _reads(data, url)
            continue
        counts.feedparser_feeds += 1
        try:
            with collect() as notes:
                document = read_document(data, AS_OF, (), url)
        except SourceError as exc:
            _differs(counts, name, f"refused: {exc}")
            continue
        if document.shape is not Shape.FEED:
            _differs(counts, name, f"read as {document.shape}")
            continue
        counts.river_feeds += 1
        said_lenient = any(key.startswith(Note.LENIENT) for key in notes)
        if said_lenient != malformed(reference):
            counts.problems.append(f"{name}: lenient said {said_lenient}, feedparser bozo differs")
        counts.lenient += said_lenient
        addresses = {s.paper.url for s in document.sightings}
        counts.papers += len(addresses)
        counts.all_entries += len(reference.entries)
        for entry in reference.entries:
            link, entry_id = entry.get("link"), entry.get("id")
            if not (entry.get("title") and (link or entry_id)):
                continue
            counts.entries += 1
            if {urljoin(url, link or ""), entry_id} & addresses:
                counts.landed += 1
            else:
                _differs(counts, name, f"entry {entry.get('title')!r} ({link or entry_id}) lost")
    return counts


def _reads(data: bytes, url: str) -> bool:
    try:
        return bool(read_document(data, AS_OF, (), url).sightings)
    except SourceError:
        return False


def _differs(counts: Counts, name: str, how: str) -> None:
    if name in DIFFERENCES:
        counts.differences[name] = how
    else:
        counts.problems.append(f"{name}: {how}")


@pytest.mark.parametrize("folder", _folders())
def test_every_feed_feedparser_reads_river_reads(folder: str) -> None:
    counts = read_folder(folder)
    assert counts.problems == []
    expected = {name for name in DIFFERENCES if Path(name).parent.as_posix() == folder}
    assert set(counts.differences) == expected, "DIFFERENCES lists what no longer differs"
    assert counts.feedparser_feeds - counts.river_feeds == sum(
        1 for how in counts.differences.values() if not how.startswith("entry ")
    )


def test_the_suite_is_all_here() -> None:
    """2,106 documents, as feedparser's repository has them at the recorded commit."""
    assert sum(1 for _ in SUITE.rglob("*.xml")) == 2106
    assert (SUITE / "LICENSE").is_file()
    assert {name.split("/")[0] for name in _folders()} == {
        "encoding",
        "entities",
        "illformed",
        "wellformed",
    }


def test_river_import_reads_them_into_one_library(tmp_path: Path) -> None:
    """The same documents through ``river import`` (its sandbox, its library): each version,
    an entry named by its id only, a CDF item, one read leniently and said so, the same entry
    in Atom and in RSS merged into one paper, and a deliberate difference refused in one line."""
    names = [
        "wellformed/atom/atom_namespace_1.xml",  # Atom 0.3, no entry
        "wellformed/psc/atomsimplechapter.xml",  # Atom 1.0
        "wellformed/psc/rss2.0simplechapter.xml",  # RSS 2.0, the same entry
        "wellformed/rdf/rdf_item_title.xml",  # RSS 1.0, an item named by its rdf:about
        "entities/160.xml",  # ends with "</rss": read leniently
        "encoding/utf-16le-bom.xml",
        "wellformed/cdf/item_href_map_link.xml",
        "wellformed/rss/entity_in_doctype.xml",
    ]
    paths = [str(SUITE / name) for name in names]
    result = run_river("--db", str(tmp_path / "library.db"), "import", *paths)
    assert result.returncode == 1
    summaries = [line.split(": ", 1)[1] for line in result.stdout.splitlines()]
    papers = "feed, {} new, {} updated, 0 unchanged papers"
    assert summaries == [
        papers.format(0, 0),
        papers.format(1, 0),
        papers.format(0, 1),
        papers.format(1, 0),
        papers.format(0, 0) + " (not well-formed XML (unclosed token), read leniently)",
        papers.format(0, 0),
        papers.format(1, 0),
    ]
    refused = one_line(result.stderr)
    assert refused.startswith(f"river: {paths[-1]}: ")
    assert refused.endswith(
        "refused: the document declares XML entities (<!DOCTYPE ... "
        "<!ENTITY>), which River never accepts"
    )


def main() -> None:
    """Print the counts of the whole suite (for docs/sources.md)."""
    started = time.perf_counter()
    total = Counts()
    for folder in _folders():
        counts = read_folder(folder)
        for name in ("files", "feedparser_feeds", "river_feeds", "lenient", "others_read"):
            setattr(total, name, getattr(total, name) + getattr(counts, name))
        for name in ("all_entries", "entries", "landed", "papers"):
            setattr(total, name, getattr(total, name) + getattr(counts, name))
        total.problems += counts.problems
        total.differences |= counts.differences
    print(f"documents: {total.files}")
    print(f"feeds, by feedparser (a version): {total.feedparser_feeds}")
    print(f"feeds, by River: {total.river_feeds}")
    print(f"  of which not well-formed, read leniently: {total.lenient}")
    print(f"entries feedparser gives in them: {total.all_entries}")
    print(f"  with a title and a link or id: {total.entries}")
    print(f"    landed in River: {total.landed}")
    print(f"papers River lands from them: {total.papers}")
    others = total.files - total.feedparser_feeds
    print(f"documents feedparser gives no version: {others}, River reads {total.others_read}")
    for name, how in sorted(total.differences.items()):
        print(f"deliberate difference: {name}: {how}")
    for problem in total.problems:
        print(f"PROBLEM: {problem}")
    print(f"({time.perf_counter() - started:.1f} s)")
    sys.exit(1 if total.problems else 0)


if __name__ == "__main__":
    main()
