"""When two sightings are the same paper.

Sources without an arXiv id (saved Hugging Face pages, blog feeds) can only be matched by title.
Exact normalized titles merge first; otherwise a fuzzy ratio at or above
:data:`TITLE_MATCH_THRESHOLD` merges. The threshold is justified in
``tests/test_merge.py``: real re-listings of a paper (hard wraps, a fixed typo, changed
punctuation or casing, a dropped subtitle marker) score 95 or more, while distinct papers from
the seed pages that share a topic and half their words score 66 at most. Titles whose numbers
differ never merge on a fuzzy score.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rapidfuzz import fuzz, process

from river_tui.domain.ids import normalize_title

TITLE_MATCH_THRESHOLD = 93.0


def title_similarity(a: str, b: str) -> float:
    """0-100 similarity of two titles after normalization."""
    return fuzz.ratio(normalize_title(a), normalize_title(b))


def _numbers(key: str) -> list[str]:
    return re.findall(r"\d+", key)


def best_title_match(title: str, candidates: Mapping[int, str]) -> int | None:
    """The key of the candidate that is the same paper, if any.

    ``candidates`` maps a key (a paper's row id) to its *normalized* title. Titles that differ in
    their numbers ("... Part 2", "GPT-4" vs "GPT-5") never merge by fuzzy score alone.
    """
    if not candidates:
        return None
    key = normalize_title(title)
    if not key:
        return None
    found = process.extract(
        key, candidates, scorer=fuzz.ratio, score_cutoff=TITLE_MATCH_THRESHOLD, limit=5
    )
    for _choice, _score, candidate in found:
        if _numbers(candidates[candidate]) == _numbers(key):
            return candidate
    return None
