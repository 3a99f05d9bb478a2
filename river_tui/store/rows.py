"""Turning rows into domain objects and domain values into column values."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

from river_tui.domain import (
    BeatMatch,
    Hit,
    Paper,
    PaperSummary,
    TriageState,
    Verdict,
)
from river_tui.domain.beats import Field
from river_tui.domain.rows import METADATA, metadata, stored_paper
from river_tui.domain.rows import hits_json as hits_json
from river_tui.domain.summary import byline


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def to_date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def to_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def paper_columns(paper: Paper) -> dict[str, object]:
    """The metadata columns of ``papers`` for one paper (no keys, no timestamps)."""
    return dict(zip(METADATA, metadata(paper), strict=True))


def row_to_paper(row: sqlite3.Row) -> Paper:
    """The paper a ``papers`` row holds, its text cleaned again (:func:`stored_paper`)."""
    return stored_paper(row)


def row_to_summary(row: sqlite3.Row) -> PaperSummary:
    authors = json.loads(row["authors"])
    return PaperSummary(
        pk=row["pk"],
        id=row["id"],
        title=row["title"],
        published=to_date(row["published"]),
        upvotes=row["upvotes"],
        byline=byline(row["organization"], authors, row["author_count"]),
        state=TriageState(row["state"]),
        starred=bool(row["starred"]),
        authors=tuple(name for name in authors if name),
    )


def hits_from_json(text: str) -> tuple[Hit, ...]:
    return tuple(Hit(h["term"], Field(h["field"]), h["count"]) for h in json.loads(text))


def row_to_match(row: sqlite3.Row) -> BeatMatch:
    return BeatMatch(
        beat=row["beat"],
        verdict=Verdict(row["verdict"]),
        score=row["score"],
        hits=hits_from_json(row["hits"]),
        excluded_by=hits_from_json(row["excluded_by"]),
    )
