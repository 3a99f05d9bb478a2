"""The refresh: plan jobs from the beats, fetch politely, store, and report progress.

Importing it loads httpx and the parsers (about 100 ms): its users import it when a refresh
starts (see ``tests/test_layers.py``, the seams)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from river_tui.domain import Source
from river_tui.refresh.jobs import Job, plan
from river_tui.refresh.runner import (
    Event,
    JobFinished,
    JobResult,
    JobStarted,
    Refresher,
    RefreshReport,
    SourceSummary,
)
from river_tui.settings import SourceSettings
from river_tui.sources.http import Clock, Fetcher, HttpSettings, RateLimiter, SystemClock

ARXIV_INTERVAL = 3.0
"""arXiv's terms: no more than one request every 3 seconds, on one connection."""
HF_INTERVAL = 0.6
"""Hugging Face allows about 500 anonymous requests per 5 minutes: stay well under."""

__all__ = [
    "Event",
    "Job",
    "JobFinished",
    "JobResult",
    "JobStarted",
    "RefreshReport",
    "Refresher",
    "Source",
    "SourceSummary",
    "make_fetcher",
    "plan",
]


def make_fetcher(
    settings: SourceSettings,
    state_dir: Path | None,
    clock: Clock | None = None,
    **limits: float,
) -> Fetcher:
    """A fetcher with River's User-Agent and rate limits (``limits``: other
    :class:`~river_tui.sources.http.HttpSettings` than the defaults, e.g. a longer deadline).

    The arXiv limit is shared by every River process on the machine through a state file in
    ``state_dir`` (the user data folder); ``None`` keeps it in this process only.
    """
    clock = clock or SystemClock()
    limiters: dict[str, RateLimiter] = {}
    hf_host = urlsplit(settings.hf_url).hostname or ""
    limiters[hf_host] = RateLimiter(HF_INTERVAL, None, clock)
    state = state_dir / "arxiv-rate-limit" if state_dir else None
    arxiv = RateLimiter(ARXIV_INTERVAL, state, clock)
    for url in (settings.arxiv_api_url, settings.arxiv_rss_url, settings.arxiv_oai_url):
        limiters[urlsplit(url).hostname or ""] = arxiv  # one limiter for every arXiv host
    http = HttpSettings(user_agent=settings.user_agent, **limits)  # type: ignore[arg-type]
    return Fetcher(http, clock=clock, limiters=limiters)
