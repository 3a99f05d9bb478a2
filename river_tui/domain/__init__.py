"""Dataclasses and pure rules. No I/O, no SQL, no Textual.

The names of :mod:`river_tui.domain.claims` (dossiers, claims, posts), of
:mod:`river_tui.domain.papers` (a paper's metadata, sightings and full record) and of
:mod:`river_tui.domain.ids` (arXiv ids, provisional ids) are exported too, but those modules
load when one of their names is first asked for: the reader's first screen needs none of them
(:func:`__getattr__`), only the stream's rows (:mod:`river_tui.domain.summary`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from river_tui.domain.badges import DEFAULT_BADGES, BadgeError, BadgeVocabulary
from river_tui.domain.beats import (
    Beat,
    BeatMatch,
    Hit,
    Source,
    Verdict,
    classify,
    normalize_tag,
    slugify,
)
from river_tui.domain.errors import QueryError
from river_tui.domain.summary import PaperSummary, TriageState

__all__ = [
    "DEFAULT_BADGES",
    "FIRST_ASSERTED",
    "ArxivId",
    "Authorship",
    "BadgeError",
    "BadgeVocabulary",
    "Beat",
    "BeatMatch",
    "Claim",
    "ClaimAction",
    "ClaimEvent",
    "ClaimStatus",
    "Discovery",
    "Dossier",
    "DossierStatus",
    "Hit",
    "ItemKind",
    "Link",
    "Paper",
    "PaperRecord",
    "PaperSummary",
    "Post",
    "QueryError",
    "Quote",
    "Sighting",
    "Source",
    "SourceKind",
    "SourceLink",
    "TriageState",
    "Verdict",
    "classify",
    "normalize_tag",
    "normalize_title",
    "parse_arxiv_id",
    "provisional_id",
    "slugify",
]

if TYPE_CHECKING:
    from river_tui.domain.claims import (
        FIRST_ASSERTED,
        Authorship,
        Claim,
        ClaimAction,
        ClaimEvent,
        ClaimStatus,
        Dossier,
        DossierStatus,
        Post,
        Quote,
        SourceKind,
        SourceLink,
    )
    from river_tui.domain.ids import ArxivId, normalize_title, parse_arxiv_id, provisional_id
    from river_tui.domain.papers import Discovery, ItemKind, Link, Paper, PaperRecord, Sighting


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


_FROM_IDS = frozenset({"ArxivId", "normalize_title", "parse_arxiv_id", "provisional_id"})
_FROM_PAPERS = frozenset({"Discovery", "ItemKind", "Link", "Paper", "PaperRecord", "Sighting"})


def __getattr__(name: str) -> Any:
    """``from river_tui.domain import Claim`` loads the claims module then, ``ArxivId`` the ids
    module and ``Paper`` the papers module (PEP 562)."""
    if name in _FROM_IDS:
        from river_tui.domain import ids

        return getattr(ids, name)
    if name in _FROM_PAPERS:
        from river_tui.domain import papers

        return getattr(papers, name)
    if name in __all__:  # exported but not bound above: one of the claims module's names
        from river_tui.domain import claims

        return getattr(claims, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
