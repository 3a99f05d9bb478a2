"""arXiv's OAI-PMH interface: one ``ListRecords`` answer, in the ``arXivRaw`` or ``arXiv``
metadata format, read into papers and the token that asks for the next page.

``arXivRaw`` lists every version with its date (``<version version="v2"><date>Tue, 2 Apr 2013
01:50:08 GMT</date>...``) and the authors as submitted (``Joshua Berger, Maxim Perelstein and
Michael Saelim``, TeX accents and all); ``arXiv`` gives the authors apart (``keyname``,
``forenames``, ``suffix``) but only the first and latest dates (``created``, ``updated``) and no
version number. River asks for ``arXivRaw`` unless told otherwise.

A page ends with a ``resumptionToken``: its text asks for the next page; empty (or absent), the
list is complete. ``completeListSize`` and ``cursor``, when the server gives them, say how far
the harvest is. A deleted record (``<header status="deleted">``) carries no metadata: it is
left out and counted (:data:`~river_tui.sources.notes.Note.DELETED`).

An ``<error>`` answer: ``noRecordsMatch`` is an empty list (nothing changed in the set since
``from``); any other code (``badResumptionToken``, ``badArgument``, ``cannotDisseminateFormat``,
...) is a :class:`~river_tui.sources.SourceError` quoting arXiv's message.

The bytes pass :func:`~river_tui.sources.xmlguard.check_xml` (no entity declarations) before
the standard library's parser reads them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

from river_tui.domain import Paper, Sighting
from river_tui.domain.text import clean_line
from river_tui.sources import ParseError, SourceError
from river_tui.sources.arxiv_meta import arxiv_paper, first_doi, name_from_tex, versions_of
from river_tui.sources.arxiv_rss import split_creators
from river_tui.sources.feed import parse_date
from river_tui.sources.notes import Note, note
from river_tui.sources.xmlguard import check_xml

WHAT = "arXiv OAI-PMH"
SOURCE = "arxiv-oai"
"""The discovery source of the papers a harvest brings."""
FORMATS = ("arXivRaw", "arXiv")
OAI = "{http://www.openarchives.org/OAI/2.0/}"
_METADATA = {
    "arXivRaw": "{http://arxiv.org/OAI/arXivRaw/}",
    "arXiv": "{http://arxiv.org/OAI/arXiv/}",
}
NO_RECORDS = "noRecordsMatch"
BAD_TOKEN = "badResumptionToken"


@dataclass(frozen=True, slots=True)
class OaiPage:
    """One page of a ``ListRecords`` list: its papers, and where the list goes on."""

    sightings: tuple[Sighting, ...]
    token: str | None = None
    """The next page's resumption token; None when this page is the last."""
    cursor: int | None = None
    """How many records of the list came before this page, if the server says."""
    complete: int | None = None
    """How many records the whole list holds, if the server says."""
    deleted: int = 0


class OaiError(SourceError):
    """The server answered with an OAI-PMH error other than ``noRecordsMatch``."""


def parse_list_records(data: bytes) -> OaiPage:
    """The papers of one ``ListRecords`` answer and its resumption token."""
    check_xml(data, WHAT)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ParseError(f"{WHAT}: not XML ({exc})") from None
    if root.tag != f"{OAI}OAI-PMH":
        raise ParseError(f"{WHAT}: not an OAI-PMH answer (its root is <{_local(root.tag)}>)")
    error = root.find(f"{OAI}error")
    if error is not None:
        code = clean_line(error.get("code")) or "error"
        if code == NO_RECORDS:
            return OaiPage(())
        message = clean_line(error.text) or "no message"
        if code == BAD_TOKEN:
            raise OaiError(f"{WHAT}: {code}: {message} (the harvest's place was lost)")
        raise OaiError(f"{WHAT}: {code}: {message}")
    listing = root.find(f"{OAI}ListRecords")
    if listing is None:
        raise ParseError(f"{WHAT}: not a ListRecords answer")
    sightings: list[Sighting] = []
    deleted = 0
    for record in listing.iterfind(f"{OAI}record"):
        header = record.find(f"{OAI}header")
        if header is not None and header.get("status") == "deleted":
            deleted += 1
            continue
        paper = _paper(record)
        if paper is not None:
            sightings.append(Sighting(paper, {"version": paper.version}))
    note(Note.DELETED, deleted)
    token, cursor, complete = _resumption(listing.find(f"{OAI}resumptionToken"))
    return OaiPage(tuple(sightings), token, cursor, complete, deleted)


def _resumption(element: ET.Element | None) -> tuple[str | None, int | None, int | None]:
    if element is None:
        return None, None, None
    token = (element.text or "").strip() or None
    return token, _count(element.get("cursor")), _count(element.get("completeListSize"))


def _count(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 13 else None


def _paper(record: ET.Element) -> Paper | None:
    metadata = record.find(f"{OAI}metadata")
    if metadata is None:
        return None
    for element in metadata:
        if element.tag == f"{_METADATA['arXivRaw']}arXivRaw":
            return _raw_paper(element, _METADATA["arXivRaw"])
        if element.tag == f"{_METADATA['arXiv']}arXiv":
            return _arxiv_paper(element, _METADATA["arXiv"])
    return None


def _raw_paper(meta: ET.Element, ns: str) -> Paper | None:
    pairs = [(v.get("version"), v.findtext(f"{ns}date")) for v in meta.iterfind(f"{ns}version")]
    written = _text(meta, ns, "authors") or ""
    return arxiv_paper(
        _text(meta, ns, "id") or "",
        title=_text(meta, ns, "title") or "",
        abstract=_text(meta, ns, "abstract") or "",
        authors=[name_from_tex(name) for name in split_creators(written)],
        categories=_text(meta, ns, "categories") or "",
        versions=versions_of(pairs),
        comment=_text(meta, ns, "comments"),
        journal_ref=_text(meta, ns, "journal-ref"),
        doi=first_doi(_text(meta, ns, "doi")),
    )


def _arxiv_paper(meta: ET.Element, ns: str) -> Paper | None:
    authors = []
    for author in meta.iterfind(f"{ns}authors/{ns}author"):
        parts = [_text(author, ns, key) for key in ("forenames", "keyname", "suffix")]
        authors.append(" ".join(p for p in parts if p))
    created, updated = _day(meta, ns, "created"), _day(meta, ns, "updated")
    return arxiv_paper(
        _text(meta, ns, "id") or "",
        title=_text(meta, ns, "title") or "",
        abstract=_text(meta, ns, "abstract") or "",
        authors=[a for a in authors if a],
        categories=_text(meta, ns, "categories") or "",
        comment=_text(meta, ns, "comments"),
        journal_ref=_text(meta, ns, "journal-ref"),
        doi=first_doi(_text(meta, ns, "doi")),
        published=created,
        updated=updated or created,
    )


def _day(meta: ET.Element, ns: str, key: str) -> datetime | None:
    written = _text(meta, ns, key)
    day = parse_date(written)
    if day is None:
        if written:
            note(Note.DATE)
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _text(element: ET.Element, ns: str, key: str) -> str | None:
    found = element.find(f"{ns}{key}")
    if found is None:
        return None
    return "".join(found.itertext()).strip() or None


def _local(tag: str) -> str:
    return clean_line(tag.rsplit("}", 1)[-1])[:40]
