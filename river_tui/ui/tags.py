"""What the tagger offers for what is typed, without Textual: known tags that fit it (prefixes,
substrings, letters in order, near misses) and whether it adds or removes. Loaded with the
tagger, not before the first screen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process, utils
from rapidfuzz.fuzz import WRatio

from river_tui.domain import normalize_tag

TYPO_CUTOFF = 80
"""rapidfuzz WRatio a tag must reach to be offered for a misspelling."""


def _subsequence(text: str, name: str) -> bool:
    """Every character of ``text`` occurs in ``name``, in order (``crdit`` in ``credit``)."""
    rest = iter(name)
    return all(ch in rest for ch in text)


def suggest_tags(typed: str, known: Iterable[str], limit: int = 8) -> list[str]:
    """Known tags that fit what is typed, best first: prefixes, substrings, the letters in
    order (``crdit``), then near misses by rapidfuzz (``reasonign``). Nothing typed: every known
    tag, in order."""
    names = list(dict.fromkeys(known))
    text = normalize_tag(typed)
    if not text:
        return names[:limit]
    tiers: list[list[str]] = [[], [], [], []]
    for name in names:
        if name.startswith(text):
            tiers[0].append(name)
        elif text in name:
            tiers[1].append(name)
        elif _subsequence(text, name):
            tiers[2].append(name)
        else:
            tiers[3].append(name)

    typos = process.extract(
        text,
        tiers[3],
        scorer=WRatio,
        processor=utils.default_process,
        score_cutoff=TYPO_CUTOFF,
        limit=limit,
    )
    ranked = [*tiers[0], *tiers[1], *tiers[2], *(name for name, _score, _index in typos)]
    return ranked[:limit]


@dataclass(frozen=True, slots=True)
class TagChoice:
    """What the tagger offers: put ``tag`` on the paper, or take it off (``remove``)."""

    tag: str
    remove: bool = False
    new: bool = False
    """No paper has this tag yet."""


def typed_tag(typed: str) -> tuple[str, bool]:
    """The tag what is typed names (``""``: none, as for ``#`` or ``-``), and whether it is to
    be removed (``-tag``)."""
    raw = typed.strip()
    remove = raw.startswith("-")
    return normalize_tag(raw[1:] if remove else raw), remove


def tag_choices(typed: str, own: Sequence[str], known: Sequence[str]) -> list[TagChoice]:
    """The tagger's list for what is typed, the first entry being what Enter does.

    ``foo``: add #foo, then known tags like it. ``-foo``: remove the paper's own tags like foo.
    Nothing typed: the paper's own tags to remove, then the known tags to add."""
    text, remove = typed_tag(typed)
    if remove:
        return [TagChoice(tag, remove=True) for tag in suggest_tags(text, own)]
    if text:
        choices = [TagChoice(text, new=text not in known)]
    else:
        choices = [TagChoice(tag, remove=True) for tag in own]
    choices += [TagChoice(tag) for tag in suggest_tags(text, known) if tag not in (text, *own)]
    return choices
