"""The provenance badges a claim may carry: the vocabulary the config names."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_BADGES: tuple[str, ...] = ("claim", "caveat", "supported", "contested", "refuted")


class BadgeError(ValueError):
    """A badge outside the configured vocabulary."""


@dataclass(frozen=True, slots=True)
class BadgeVocabulary:
    """The provenance badges a claim may carry. Configurable; the default includes ``caveat``."""

    badges: tuple[str, ...] = DEFAULT_BADGES

    def check(self, badge: str) -> str:
        badge = badge.strip().casefold()
        if badge not in self.badges:
            raise BadgeError(f"unknown badge {badge!r}; known: {', '.join(self.badges)}")
        return badge

    def __contains__(self, badge: object) -> bool:
        return isinstance(badge, str) and badge.casefold() in self.badges
