"""What a refresh asks for: one job per source query, planned from the beats and settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from river_tui.domain import Beat, Source
from river_tui.settings import SourceSettings

PAGE_SIZE = 50
WATCH_BATCH = 100
"""The most ids one arXiv ``id_list`` request of the watch asks for."""


@dataclass(frozen=True, slots=True)
class Job:
    """One request (arXiv queries page on from it) and the beat that asked for it."""

    source: Source
    label: str
    url: str
    params: tuple[tuple[str, str], ...] = ()
    beat: str | None = None
    watch: int | None = None
    """The batch number of a watch job (the papers claims cite, :func:`watch_jobs`)."""

    @property
    def key(self) -> str:
        """Stable across runs: the fetch log remembers each job under it. A watch batch is
        remembered by its number, so it is asked once a day whichever ids it holds."""
        if self.watch is not None:
            return f"{self.source}|{self.url}|watch={self.watch}"
        query = "&".join(f"{k}={v}" for k, v in sorted(self.params) if k not in {"start"})
        return self.source.key(self.url, query)


def watch_jobs(watched: Sequence[str], settings: SourceSettings) -> list[Job]:
    """The watch: the papers active claims cite (arXiv ids), asked for by id in batches of
    :data:`WATCH_BATCH`. arXiv answers each with its newest version, so a new version or a
    withdrawal reaches the claims quoting it (:mod:`river_tui.store.evidence`)."""
    batches = [watched[i : i + WATCH_BATCH] for i in range(0, len(watched), WATCH_BATCH)]
    return [
        Job(
            Source.ARXIV,
            f"papers claims cite · arXiv ({n}/{len(batches)})",
            settings.arxiv_api_url,
            (("id_list", ",".join(batch)), ("max_results", str(len(batch)))),
            watch=n,
        )
        for n, batch in enumerate(batches, 1)
    ]


def plan(
    beats: list[Beat],
    settings: SourceSettings,
    beat: str | None = None,
    source: Source | None = None,
    watched: Sequence[str] = (),
) -> list[Job]:
    """Every job of a refresh, optionally narrowed to one beat and/or one source.

    Hugging Face's daily listing, the configured feeds and the watch of ``watched`` (the
    arXiv ids claims cite) belong to no beat: they are left out when ``beat`` is given.
    """
    jobs: list[Job] = []
    if beat is None:
        jobs.append(
            Job(
                Source.HF,
                "Hugging Face daily papers",
                f"{settings.hf_url}/api/daily_papers",
                (("limit", str(PAGE_SIZE)),),
            )
        )
    for b in beats:
        if beat is not None and b.name != beat:
            continue
        if query := b.queries.get(Source.HF):
            jobs.append(
                Job(
                    Source.HF,
                    f"{b.name} · Hugging Face",
                    f"{settings.hf_url}/api/papers/search",
                    (("q", query), ("limit", str(PAGE_SIZE))),
                    b.name,
                )
            )
        if query := b.queries.get(Source.ARXIV):
            jobs.append(
                Job(
                    Source.ARXIV,
                    f"{b.name} · arXiv",
                    settings.arxiv_api_url,
                    (
                        ("search_query", query),
                        ("sortBy", "submittedDate"),
                        ("sortOrder", "descending"),
                    ),
                    b.name,
                )
            )
        if categories := b.queries.get(Source.ARXIV_RSS):
            jobs.append(
                Job(
                    Source.ARXIV_RSS,
                    f"{b.name} · arXiv RSS {categories}",
                    f"{settings.arxiv_rss_url}/{categories}",
                    (),
                    b.name,
                )
            )
    if beat is None:
        for feed in settings.feeds:
            jobs.append(Job(Source.FEED, feed.name, feed.url))
        jobs.extend(watch_jobs(watched, settings))
    unique: dict[str, Job] = {}
    for job in jobs:
        if source is None or job.source is source:
            unique.setdefault(job.key, job)  # two beats asking the same query: ask once
    return list(unique.values())
