"""Dataclasses and pure rules. No I/O, no SQL, no Textual.

The names every layer uses are here; a dossier's (claims, sources, events, posts) are in
:mod:`river_tui.domain.claims`, which the reader's first screen does without."""

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
from river_tui.domain.errors import QueryError
from river_tui.domain.ids import ArxivId, normalize_title, parse_arxiv_id, provisional_id
from river_tui.domain.papers import Discovery, ItemKind, Link, Paper, PaperRecord, Sighting
from river_tui.domain.summary import PaperSummary, TriageState

__all__ = [
    "DEFAULT_BADGES",
    "ArxivId",
    "BadgeError",
    "BadgeVocabulary",
    "Beat",
    "BeatMatch",
    "Discovery",
    "Hit",
    "ItemKind",
    "Link",
    "Paper",
    "PaperRecord",
    "PaperSummary",
    "QueryError",
    "Sighting",
    "Source",
    "TriageState",
    "Verdict",
    "classify",
    "normalize_tag",
    "normalize_title",
    "parse_arxiv_id",
    "provisional_id",
    "slugify",
]
