"""arXiv's metadata snapshot: the JSON-lines file Cornell publishes for bulk use
(``arxiv-metadata-oai-snapshot.json``), one paper a line.

Each line is an object with ``id``, ``submitter``, ``authors`` (as submitted, TeX accents
and all), ``authors_parsed`` (``[last, first, suffix]`` each, accents decoded), ``title``,
``comments``, ``journal-ref``, ``doi`` (several apart by spaces), ``report-no``,
``categories`` (apart by spaces, the primary first), ``license``, ``abstract``, ``versions``
(``[{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}, ...]``) and
``update_date``. Pure: lines in, papers out (:mod:`river_tui.sources.arxiv_meta` makes
each); ``river import`` streams the file through :func:`read_snapshot_lines` batch by batch
(:mod:`river_tui.snapshot`).

A line that is not such an object is skipped and counted
(:data:`~river_tui.sources.notes.Note.UNREADABLE`): one bad line of millions loses nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from river_tui.domain import Paper, Sighting
from river_tui.sources.arxiv_meta import (
    arxiv_paper,
    category_matcher,
    first_doi,
    name_from_tex,
    versions_of,
)
from river_tui.sources.arxiv_rss import split_creators
from river_tui.sources.notes import Note, note

SOURCE = "arxiv-snapshot"
"""The discovery source of the papers a snapshot brings."""
_KEYS = ("id", "title", "abstract", "categories", "versions")


@dataclass(frozen=True, slots=True)
class SnapshotBatch:
    """What some lines of a snapshot hold: the papers whose categories matched, how many
    lines held a record, how many of those matched, and the lines that held none (counted,
    with the number of the first)."""

    sightings: tuple[Sighting, ...]
    records: int = 0
    matched: int = 0
    unreadable: int = 0
    first_unreadable: int | None = None


def looks_like_snapshot(line: str) -> bool:
    """``line`` (a document's first line) is a record of the snapshot."""
    if not line.lstrip("\ufeff \t").startswith("{"):
        return False
    record = _record(line.lstrip("\ufeff"))
    return record is not None and isinstance(record.get("versions"), list)


def _record(line: str) -> Mapping[str, Any] | None:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or not all(isinstance(record.get(k), str) for k in _KEYS[:4]):
        return None
    return record


def read_snapshot_lines(data: bytes, patterns: tuple[str, ...], first_line: int) -> SnapshotBatch:
    """The papers of the snapshot lines in ``data`` (line ``first_line`` of the file first)
    whose categories match ``patterns`` (all of them when there are none). Blank lines are
    skipped, unread. Runs in the sandbox (:func:`river_tui.sources.sandbox.read_isolated`)."""
    matches = category_matcher(patterns)
    sightings: list[Sighting] = []
    records = matched = unreadable = 0
    first_bad: int | None = None
    for number, raw in enumerate(data.split(b"\n"), start=first_line):
        if not raw.strip():
            continue
        record = _record(raw.decode("utf-8", errors="replace"))
        wanted = record is not None and (matches is None or matches(record["categories"].split()))
        paper = paper_of(record) if wanted and record is not None else None
        if record is None or (wanted and paper is None):
            unreadable += 1
            first_bad = number if first_bad is None else first_bad
            continue
        records += 1
        if paper is not None:  # only the records that match are made papers: the rest is skipped
            matched += 1
            sightings.append(Sighting(paper, {"version": paper.version}))
    note(Note.UNREADABLE, unreadable)
    return SnapshotBatch(tuple(sightings), records, matched, unreadable, first_bad)


def parse_snapshot(text: str) -> list[Sighting]:
    """Every paper of a whole snapshot document (a small one: ``river import`` streams files)."""
    return list(read_snapshot_lines(text.encode("utf-8"), (), 1).sightings)


def paper_of(record: Mapping[str, Any]) -> Paper | None:
    """The paper one record describes (None: it names no arXiv id or no title)."""
    listed = record.get("versions")
    pairs = [
        (v.get("version"), v.get("created"))
        for v in (listed if isinstance(listed, list) else [])
        if isinstance(v, dict)
    ]
    return arxiv_paper(
        str(record["id"]),
        title=str(record["title"]),
        abstract=str(record["abstract"]),
        authors=_authors(record),
        categories=str(record["categories"]),
        versions=versions_of(pairs),
        comment=_text(record.get("comments")),
        journal_ref=_text(record.get("journal-ref")),
        doi=first_doi(record.get("doi")),
    )


def _authors(record: Mapping[str, Any]) -> list[str]:
    """``authors_parsed`` as names (``first last suffix``); the ``authors`` string, split and
    its TeX read, when that is missing."""
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for parts in parsed:
            if isinstance(parts, list):
                last, first, suffix = ([*parts, "", "", ""])[:3]
                words = [p for p in (first, last, suffix) if isinstance(p, str) and p.strip()]
                names.append(" ".join(words))
        return [n for n in names if n]
    written = record.get("authors")
    return [name_from_tex(n) for n in split_creators(written)] if isinstance(written, str) else []


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
