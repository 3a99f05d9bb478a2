"""Cut an XML feed's author fields to what a parser reads in linear time, before it reads them.

feedparser looks for an e-mail address in the text of every author-like element (RSS
``author``, ``managingEditor``, ``webMaster``, Dublin Core ``creator`` and ``publisher``, iTunes
``author``) with a regular expression that backtracks over each run of e-mail characters
(``[A-Za-z0-9_.+-]``, numeric character references included): its time grows with the square
of the longest run. A 100 KB author took 37 s; 300 KB did not finish in 150 s
(kurtmckee/feedparser#562, still open). No name or address has a run of more than 64
characters (RFC 5321's longest local part), so this module cuts such runs to
:data:`MAX_RUN` characters, and an author-like element's text to :data:`MAX_AUTHOR_TEXT`; the
parser's work on author fields is then linear in the document's size. Each field cut is a
:data:`~river_tui.sources.notes.Note.CUT`.

The scan works on the document's bytes in any ASCII-compatible encoding (UTF-8, Latin-1, ...);
:func:`cap_author_fields` is given such bytes: a UTF-16, UTF-32, EBCDIC or UTF-7 document is
written as UTF-8 first (:func:`river_tui.sources.xmlguard.as_ascii_compatible`).
Every search moves forward, so the scan itself is linear too.
"""

from __future__ import annotations

import re

from river_tui.sources.notes import Note, note

MAX_RUN = 100
"""The longest run of e-mail characters kept in an author field."""
MAX_AUTHOR_TEXT = 256 * 1024
"""The most bytes of text kept in one author-like element (a collaboration of 3,000 authors in
one ``dc:creator`` takes about 60 KB)."""

_AUTHORISH = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(?:author|creator|managingeditor|webmaster|publisher)"
    rb"(?=[\s/>])[^<>]*>",
    re.IGNORECASE,
)
# A run as the e-mail expression sees it once references are decoded. The alternatives start
# with different characters, so matching it is linear.
_RUN = re.compile(rb"(?:[A-Za-z0-9_.+-]|&#[0-9]{1,8};|&#[xX][0-9A-Fa-f]{1,8};)+")
_TOKEN = re.compile(rb"&#[0-9]{1,8};|&#[xX][0-9A-Fa-f]{1,8};|.", re.DOTALL)
_CDATA, _CDATA_END = b"<![CDATA[", b"]]>"
_COMMENT, _COMMENT_END = b"<!--", b"-->"


def cap_author_fields(data: bytes) -> bytes:
    """``data`` with the author fields cut as the module says (the same bytes when none is)."""
    if len(data) <= MAX_RUN:
        return data
    cuts: list[tuple[int, int, bytes]] = []  # (start, end, replacement), in document order
    done = 0  # every text before this offset was looked at already
    for match in _AUTHORISH.finditer(data):
        if match.group().endswith(b"/>") or match.end() < done:
            continue
        fields_cut = 0
        for start, end in _texts(data, match.end()):
            replacement = _capped(data[start:end])
            if replacement is not None:
                cuts.append((start, end, replacement))
                fields_cut = 1
            done = end
        note(Note.CUT, fields_cut)
    if not cuts:
        return data
    out, at = [], 0
    for start, end, replacement in cuts:
        out += [data[at:start], replacement]
        at = end
    out.append(data[at:])
    return b"".join(out)


def _texts(data: bytes, at: int) -> list[tuple[int, int]]:
    """The spans of character data of the element whose content starts at ``at``, up to its
    first child element or end tag: plain text and CDATA sections (comments skipped)."""
    spans = []
    while True:
        lt = data.find(b"<", at)
        end = len(data) if lt < 0 else lt
        if end > at:
            spans.append((at, end))
        if lt < 0:
            return spans
        if data.startswith(_CDATA, lt):
            close = data.find(_CDATA_END, lt + len(_CDATA))
            content_end = len(data) if close < 0 else close
            spans.append((lt + len(_CDATA), content_end))
            if close < 0:
                return spans
            at = close + len(_CDATA_END)
        elif data.startswith(_COMMENT, lt):
            close = data.find(_COMMENT_END, lt + len(_COMMENT))
            if close < 0:
                return spans
            at = close + len(_COMMENT_END)
        else:
            return spans


def _capped(text: bytes) -> bytes | None:
    """``text`` with long runs cut and its length capped, or None when it needs neither."""
    changed = False
    if len(text) > MAX_AUTHOR_TEXT:
        text, changed = _cut_at_boundary(text, MAX_AUTHOR_TEXT), True
    if len(text) <= MAX_RUN:
        return text if changed else None
    pieces, at = [], 0
    for run in _RUN.finditer(text):
        if run.end() - run.start() <= MAX_RUN:
            continue
        kept = run.group()
        kept = b"".join(_TOKEN.findall(kept)[:MAX_RUN]) if b"&" in kept else kept[:MAX_RUN]
        if len(kept) < run.end() - run.start():
            pieces += [text[at : run.start()], kept]
            at = run.end()
    if not pieces:
        return text if changed else None
    pieces.append(text[at:])
    return b"".join(pieces)


def _cut_at_boundary(text: bytes, size: int) -> bytes:
    """The first ``size`` bytes of ``text`` or a little fewer, so that neither a character
    reference nor a UTF-8 sequence is cut in two."""
    cut = text[:size]
    amp = cut.rfind(b"&", max(0, size - 12))
    if amp >= 0 and b";" not in cut[amp:]:
        cut = cut[:amp]
    lead, back = len(cut) - 1, 0
    while lead >= 0 and back < 3 and 0x80 <= cut[lead] <= 0xBF:  # continuation bytes
        lead, back = lead - 1, back + 1
    if lead >= 0 and cut[lead] >= 0xC0:  # a lead byte: is its sequence whole?
        needed = 2 if cut[lead] < 0xE0 else 3 if cut[lead] < 0xF0 else 4
        if back + 1 < needed:
            cut = cut[:lead]
    return cut
