"""Which of the known document shapes a piece of pasted or saved text is."""

from __future__ import annotations

from enum import StrEnum

from river_tui.sources.dossier_md import looks_like_dossier
from river_tui.sources.hf_page import looks_like_hf_page
from river_tui.sources.river_page import looks_like_river_page


class Shape(StrEnum):
    HF_PAGE = "hf-page"
    RIVER_PAGE = "river-page"
    DOSSIER = "dossier"


def detect_shape(text: str) -> Shape | None:
    """The shape of ``text``, or ``None`` when it is none of the known ones.

    Dossiers and river pages are checked first: their markers are the most specific.
    """
    if looks_like_dossier(text):
        return Shape.DOSSIER
    if looks_like_river_page(text):
        return Shape.RIVER_PAGE
    if looks_like_hf_page(text):
        return Shape.HF_PAGE
    return None
