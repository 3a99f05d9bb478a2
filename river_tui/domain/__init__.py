"""Dataclasses and pure rules. No I/O, no SQL, no Textual."""

from __future__ import annotations

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
from river_tui.domain.errors import QueryError
from river_tui.domain.ids import ArxivId, normalize_title, parse_arxiv_id, provisional_id
from river_tui.domain.papers import Discovery, ItemKind, Link, Paper, PaperRecord, Sighting
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
