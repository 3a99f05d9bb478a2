"""A dossier exported as Markdown: a title, an authoring line, metadata, then claims.

::

    # Title
    > 🤖 Authored by an AI agent — **Juno** (model, operated by X, accountable: Y, oversight). …
    - **status:** seedling  ·  **importance:** 5/10
    - **created:** 2026-06-04  ·  **last tended:** 2026-06-04
    - **canonical:** /dossier/some-slug
    ## Claims
    ### [caveat] Claim text
    **Provenance history** (how this claim ripened):
    - `2026-06-04` **asserted as caveat** — First asserted.

Bad metadata values raise :class:`ParseError` naming the line and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from river_tui.domain import slugify
from river_tui.domain.claims import (
    Authorship,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Dossier,
    DossierStatus,
    Quote,
    SourceLink,
)
from river_tui.domain.text import clean_text
from river_tui.sources import ParseError, inert

_TITLE = re.compile(r"^#\s+(?P<title>.+)$")
_CLAIMS_HEADING = re.compile(r"^##\s+Claims\s*$", re.IGNORECASE)
_CLAIM = re.compile(r"^###\s+(?:\[(?P<badge>[^\]]+)\]\s*)?(?P<text>.*)$")
_AUTHORED = re.compile(r"^>.*?\bAuthored by\b.*?\*\*(?P<agent>[^*]+)\*\*\s*(?P<rest>.*)$")
_FIELD = re.compile(r"\*\*(?P<key>[^*:]+):\*\*\s*(?P<value>.*?)(?=\s+·\s+\*\*|\s*$)")
_EVENT = re.compile(
    r"^[-*]\s+`(?P<on>[^`]+)`\s+\*\*(?P<headline>[^*]+)\*\*(?:\s*[—–-]+\s*(?P<note>.*))?$"
)
_HISTORY = re.compile(r"^\*\*Provenance history\*\*", re.IGNORECASE)
_SOURCES = re.compile(r"^\*\*Sources:?\*\*:?\s*$", re.IGNORECASE)
_SOURCE = re.compile(
    r"^[-*]\s+`(?P<kind>paper|web)`\s+(?:\*(?P<relation>supports|contradicts|context)\*\s+)?"
    r"\[(?P<label>(?:\\.|[^\]\\])*)\]"
    r"(?:\((?P<url>[^)\s]+)\)|\s+(?P<fence>`+)(?P<code>.+?)(?P=fence))"
    r"(?:\s+—\s+“(?P<quote>.*)”(?:\s+\(arXiv:[^\s()]+?v(?P<version>\d+)\))?)?$"
)
"""A source: ``- `web` [label](url)`` (``- `paper` *contradicts* [label](url)`` when attached
as new evidence with a relation), or an address that is not a web link as a code span,
``- `paper` [label] `river:x``` (the export writes it so, :mod:`river_tui.exports.dossier_md`)."""
_IMPORTANCE = re.compile(r"^(?P<value>\d+)(?:\s*/\s*10)?$")
_DEFAULT_BADGE = "claim"


@dataclass(slots=True)
class _Fields:
    status: DossierStatus = DossierStatus.SEEDLING
    importance: int = 5
    created: date | None = None
    last_tended: date | None = None
    canonical: str = ""
    authorship: Authorship = field(default_factory=Authorship)


def looks_like_dossier(text: str) -> bool:
    """A ``## Claims`` section, or a ``# Title`` with an authoring line or dossier metadata."""
    lines = [line.strip() for line in text.splitlines()]
    if any(_CLAIMS_HEADING.match(line) for line in lines):
        return True
    has_title = any(_TITLE.match(line) for line in lines)
    has_meta = any(
        _AUTHORED.match(line) or line.startswith(("- **status:**", "- **canonical:**"))
        for line in lines
    )
    return has_title and has_meta


def parse_dossier(text: str) -> Dossier:
    """The dossier in ``text``. Raises :class:`ParseError` for bad values or a non-dossier."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    title: str | None = None
    seen_claims_heading = False
    fields = _Fields()
    claims: list[Claim] = []
    current: Claim | None = None
    extra: list[str] = []  # text lines of the current claim after its heading
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        if title is None and not seen_claims_heading and (match := _TITLE.match(line)):
            title = match["title"].strip()
        elif line.startswith("## "):
            _finish(current, extra)
            current = None
            seen_claims_heading = seen_claims_heading or bool(_CLAIMS_HEADING.match(line))
        elif seen_claims_heading and (match := _CLAIM.match(line)):
            _finish(current, extra)
            badge = (match["badge"] or _DEFAULT_BADGE).strip().casefold()
            current = Claim(text=match["text"], badge=badge)
            claims.append(current)
        elif current is not None:
            if match := _EVENT.match(line):
                current.events.append(_event(match, number))
            elif match := _SOURCE.match(line):
                current.sources.append(_source(match))
            elif not (_HISTORY.match(line) or _SOURCES.match(line)):
                extra.append(line)
        elif match := _AUTHORED.match(line):
            fields.authorship = _authorship(match["agent"], match["rest"])
        elif line.startswith(("-", "*")) and "**" in line:
            for field_match in _FIELD.finditer(line):
                _set_field(fields, field_match["key"], field_match["value"], number)
    _finish(current, extra)
    if title is None and not seen_claims_heading:
        raise ParseError("not a dossier: no '# ' title and no '## Claims' section")
    return inert.dossier(_dossier(title or "", fields, claims))


def _dossier(title: str, fields: _Fields, claims: list[Claim]) -> Dossier:
    segment = fields.canonical.rstrip("/").rsplit("/", 1)[-1].strip()
    return Dossier(
        slug=segment or slugify(title),
        title=title,
        status=fields.status,
        importance=fields.importance,
        created=fields.created,
        last_tended=fields.last_tended,
        canonical=fields.canonical,
        authorship=fields.authorship,
        claims=claims,
    )


def _finish(claim: Claim | None, extra: list[str]) -> None:
    """Close a claim: extra text lines join its text; its status follows its history."""
    if claim is None:
        return
    if extra:
        claim.text = clean_text("\n\n".join([claim.text, *extra]))
        extra.clear()
    for event in reversed(claim.events):
        if event.action in (ClaimStatus.RETRACTED, ClaimStatus.SUPERSEDED):
            claim.status = ClaimStatus(event.action)
            break


def _set_field(fields: _Fields, key: str, value: str, number: int) -> None:
    key = key.strip().casefold()
    value = value.strip()
    if key == "status":
        try:
            fields.status = DossierStatus(value.casefold())
        except ValueError:
            known = ", ".join(s.value for s in DossierStatus)
            raise ParseError(f"line {number}: bad status {value!r} (known: {known})") from None
    elif key == "importance":
        match = _IMPORTANCE.match(value)
        if not match or not 0 <= int(match["value"]) <= 10:
            raise ParseError(f"line {number}: bad importance {value!r} (expected 0-10)")
        fields.importance = int(match["value"])
    elif key == "created":
        fields.created = _date(value, number, key)
    elif key == "last tended":
        fields.last_tended = _date(value, number, key)
    elif key == "canonical":
        fields.canonical = value


def _date(value: str, number: int, key: str) -> date:
    try:
        return date.fromisoformat(value.strip("`"))
    except ValueError:
        raise ParseError(f"line {number}: bad {key} {value!r} (expected YYYY-MM-DD)") from None


def _event(match: re.Match[str], number: int) -> ClaimEvent:
    on = _date(match["on"], number, "provenance date")
    headline = match["headline"].strip()
    action, separator, badge = headline.rpartition(" as ")
    if not separator:
        action, badge = headline, ""
    return ClaimEvent(
        on=on,
        action=action.strip().casefold(),
        badge=badge.strip().casefold() or None,
        note=(match["note"] or "").strip(),
    )


def _source(match: re.Match[str]) -> SourceLink:
    """``- `paper` [label](url) — “quote”`` (label brackets escaped with a backslash)."""
    label = re.sub(r"\\(.)", r"\1", match["label"])
    version = int(match["version"]) if match["version"] else None
    quote = Quote(match["quote"], version=version) if match["quote"] else None
    url = match["url"]
    if url is None:  # a code span: one space either side is padding when both are there
        code = match["code"]
        url = code[1:-1] if len(code) > 2 and code[0] == code[-1] == " " else code
    return SourceLink.make(match["kind"], url, label, quote, match["relation"])


def _authorship(agent: str, rest: str) -> Authorship:
    """``**Juno** (model, operated by X (Y), accountable: Z, human-on-loop)``."""
    inner = _parenthesized(rest)
    model = operator = accountable = oversight = ""
    plain: list[str] = []
    for part in _split_top_level(inner):
        lowered = part.casefold()
        if lowered.startswith("operated by "):
            operator = part[len("operated by ") :].strip()
        elif lowered.startswith("accountable:"):
            accountable = part[len("accountable:") :].strip()
        elif lowered.startswith("model:"):
            model = part[len("model:") :].strip()
        elif lowered.startswith("oversight:"):
            oversight = part[len("oversight:") :].strip()
        elif part:
            plain.append(part)
    # Unlabelled parts: the model comes first, the oversight mode last.
    if plain and not model:
        model = plain.pop(0)
    if plain and not oversight:
        oversight = plain.pop()
    return Authorship(
        agent=agent.strip(),
        model=model,
        operator=operator,
        accountable=accountable,
        oversight=oversight,
    )


def _parenthesized(text: str) -> str:
    """The contents of the first balanced ``( … )`` group at the start of ``text``."""
    text = text.lstrip()
    if not text.startswith("("):
        return ""
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return text[1:index]
    return text[1:]


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]
