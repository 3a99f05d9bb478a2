"""Reading a paper's row no further than a view can show (:class:`~river_tui.domain.papers.Bounds`).

A library written by an older River, or edited with sqlite3, can hold a paper of megabytes (a
title of 1 MB, an abstract of 4 MB, 50,000 authors). The reader's detail pane reads such a row
through here, and only what it shows reaches Python:

* the long text columns (title, organization, abstract) through SQLite's incremental blob I/O:
  their size in bytes is in the row's header, and only the first bytes are read;
* the JSON lists (authors, links, categories) whole when they are small, else their first
  items, decoded one by one (``json.JSONDecoder.raw_decode``) from the first 64 KB; how many
  there are in all is then not counted (a parse of the whole list): the paper's
  ``author_count`` stands for it;
* ``extra`` (which no view shows) only when it is small.

Sizes of text are in bytes of UTF-8 (what the file holds), of lists in items.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from river_tui.domain.links import MAX_URL
from river_tui.domain.papers import Bounds

WHOLE_JSON = 65_536
"""A JSON column of at most this many bytes is read whole (and cut in Python); a longer one is
cut by SQLite."""
TEXTS = ("title", "organization", "abstract")
LISTS = ("authors", "links", "categories")
_ROW = (
    "SELECT p.pk, p.id, p.arxiv_id, p.version, p.author_count, p.published, p.updated, "
    "p.primary_category, p.upvotes, p.kind, p.first_seen, p.last_seen, "
    "p.organization IS NULL AS no_organization, substr(p.url, 1, ?) AS url, "
    "COALESCE(t.state, 'new') AS state, COALESCE(t.starred, 0) AS starred "
    "FROM papers p LEFT JOIN triage t ON t.paper_pk = p.pk WHERE p.pk = ?"
)
_DECODER = json.JSONDecoder()


def first_items(text: str, limit: int) -> list[Any]:
    """The first ``limit`` items of the JSON array ``text`` begins (it may be cut anywhere
    after them), each decoded by :mod:`json`; fewer if ``text`` ends first."""
    items: list[Any] = []
    at = text.find("[") + 1
    while len(items) < limit and 0 < at < len(text):
        while at < len(text) and text[at] in " \t\r\n,":
            at += 1
        if at >= len(text) or text[at] == "]":
            break
        try:
            item, at = _DECODER.raw_decode(text, at)
        except ValueError:  # cut inside this item
            break
        items.append(item)
    return items


def complete(data: bytes) -> int:
    """How many bytes of ``data`` (UTF-8 cut anywhere) make whole characters: a character cut
    at the end is left for the next read."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:  # ASCII: whole
            return len(data) - back + 1
        if byte >= 0xC0:  # the lead byte of a character of 2, 3 or 4 bytes
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) if back >= need else len(data) - back
    return len(data)


def read_text(
    conn: sqlite3.Connection, pk: int, column: str, start: int, size: int
) -> tuple[bytes, int]:
    """At most ``size`` bytes of column ``column`` of paper ``pk`` from byte ``start``, ending
    on a whole character (b"" for NULL or past the end), and the column's whole size in bytes
    (from the row's header: nothing more is read)."""
    try:
        with conn.blobopen("papers", column, pk, readonly=True) as blob:
            total = len(blob)
            blob.seek(min(start, total))
            data = blob.read(size) if size else b""
    except sqlite3.OperationalError:  # NULL, or no such paper
        return b"", 0
    return data[: complete(data)], total


def paper_row(
    conn: sqlite3.Connection, pk: int, bounds: Bounds
) -> tuple[dict[str, Any], dict[str, int], dict[str, int]] | None:
    """Paper ``pk``'s row with its long fields cut to ``bounds`` (the columns ``SELECT p.*``
    gives, as :func:`river_tui.store.rows.row_to_paper` reads them, and the triage state);
    the whole size of each field that was cut, and how much of it was read (bytes of a text
    column, items of a list: where the rest starts). None: no such paper."""
    # A web item's address: one character over the longest web link, so a longer one stays
    # no web link (cut, it could pass for one) and a web link is never cut.
    cursor = conn.execute(_ROW, (MAX_URL + 1, pk))
    found = cursor.fetchone()
    if found is None:
        return None
    row = dict(zip([d[0] for d in cursor.description], found, strict=True))
    sizes: dict[str, int] = {}
    read: dict[str, int] = {}
    chars = {"title": bounds.title, "organization": bounds.title, "abstract": bounds.abstract}
    for column in TEXTS:
        data, size = read_text(conn, pk, column, 0, 4 * chars[column])  # <= 4 bytes a char
        text = data.decode("utf-8", errors="replace")[: chars[column]]
        if size > (taken := len(text.encode("utf-8"))):
            sizes[column], read[column] = size, taken
        row[column] = text
    if row.pop("no_organization"):
        row["organization"] = None
    items = {"authors": bounds.authors, "links": bounds.items, "categories": bounds.items}
    for column in LISTS:
        data, size = read_text(conn, pk, column, 0, WHOLE_JSON)
        text = data.decode("utf-8", errors="replace")
        if size <= WHOLE_JSON:
            values = json.loads(text)
            total = len(values)
        else:  # not counted: the stored count, or "more than shown"
            values = first_items(text, items[column])
            stored = row["author_count"] if column == "authors" else None
            total = max(stored or 0, len(values) + 1)
        if total > items[column] or size > WHOLE_JSON:
            sizes[column], read[column] = total, min(len(values), items[column])
        row[column] = json.dumps(values[: items[column]], ensure_ascii=False)
    if (extra := read_text(conn, pk, "extra", 0, 0)[1]) <= WHOLE_JSON:
        row["extra"] = conn.execute("SELECT extra FROM papers WHERE pk = ?", (pk,)).fetchone()[0]
    else:
        row["extra"], sizes["extra"] = "{}", extra
    return row, sizes, read
