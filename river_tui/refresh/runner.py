"""Fetch, then store: run the planned jobs politely and record what each one brought.

A refresh writes paper metadata, sightings and the fetch log only; it never touches triage,
tags or claims. Each page of results lands in one transaction. A failing job is reported and
the others go on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from river_tui.domain import Sighting, Source
from river_tui.refresh.jobs import PAGE_SIZE, Job
from river_tui.settings import SourceSettings
from river_tui.sources import SourceError
from river_tui.sources.arxiv_api import arxiv_error
from river_tui.sources.documents import read_answer, read_arxiv_page
from river_tui.sources.http import (
    Fetcher,
    HttpStatusError,
    OfflineError,
    RateLimitedError,
    Response,
)
from river_tui.sources.sandbox import budget, read_isolated
from river_tui.store.fetches import FetchRecord
from river_tui.store.ingest import Outcome, TitleIndex
from river_tui.store.leads import ClaimTerms
from river_tui.store.library import Library

T = TypeVar("T")


@dataclass
class JobResult:
    job: Job
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    new_versions: int = 0
    skipped: bool = False  # already answered today
    not_modified: bool = False  # the server said 304
    error: str | None = None
    offline: bool = False
    rate_limited: bool = False  # the host asked us to wait longer than the refresh would
    landed: list[int] = field(default_factory=list)  # rows written, for the UI
    leads: int = 0  # new papers listed under a claim as may bearing on it (store.leads)
    notes: Counter[str] = field(default_factory=Counter)  # what reading cut (sources.notes)


@dataclass(frozen=True, slots=True)
class JobStarted:
    job: Job
    index: int
    total: int


@dataclass(frozen=True, slots=True)
class JobFinished:
    result: JobResult
    index: int
    total: int


Event = JobStarted | JobFinished


@dataclass
class SourceSummary:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    new_versions: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class RefreshReport:
    results: list[JobResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.error is None for r in self.results)

    @property
    def offline(self) -> bool:
        """Every job that was tried failed because no source could be reached."""
        tried = [r for r in self.results if not r.skipped]
        return bool(tried) and all(r.offline for r in tried)

    def by_source(self) -> dict[Source, SourceSummary]:
        out: dict[Source, SourceSummary] = {}
        for r in self.results:
            s = out.setdefault(r.job.source, SourceSummary())
            s.new += r.new
            s.updated += r.updated
            s.unchanged += r.unchanged
            s.new_versions += r.new_versions
            s.skipped += int(r.skipped)
            if r.error:
                s.errors.append(f"{r.job.label}: {r.error}")
        return out


def _utcnow() -> datetime:
    return datetime.now(UTC)


MAX_KEPT_WAIT = timedelta(days=7)
"""The longest Retry-After kept for later refreshes: a server asking for more (a proxy's
misconfiguration, a year) is asked again after a week."""


def site_of(url: str) -> str:
    """Who a wait is owed to: the host, but one arXiv for its API and RSS hosts (they share
    one rate limit, :mod:`river_tui.sources.http`)."""
    host = urlsplit(url).hostname or url
    return "arxiv.org" if host == "arxiv.org" or host.endswith(".arxiv.org") else host


def kept_wait(retry_at: float | None, now: datetime) -> datetime | None:
    """The time a host asked not to be asked again before (a ``time.time()`` value, as the
    fetcher's clock gives it), as the fetch log keeps it: at most :data:`MAX_KEPT_WAIT` ahead."""
    if retry_at is None:
        return None
    cap = now.astimezone(UTC) + MAX_KEPT_WAIT
    try:
        until = datetime.fromtimestamp(retry_at, UTC)
    except (OverflowError, ValueError, OSError):  # past the year 9999
        return cap
    return min(until, cap)


class Refresher:
    """Runs jobs against one library through one fetcher (which keeps the rate limits)."""

    def __init__(
        self,
        library: Library,
        fetcher: Fetcher,
        settings: SourceSettings,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.library = library
        self.fetcher = fetcher
        self.settings = settings
        self.now = now
        self.claims: list[ClaimTerms] | None = None
        """The active claims as new papers are compared with them: read once per run, before
        the first answer that brings papers (none is read for a run that brings nothing)."""

    def run(
        self,
        jobs: list[Job],
        force: bool = False,
        on_event: Callable[[Event], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> RefreshReport:
        report = RefreshReport()
        titles = self.library.title_index()
        self.claims = None
        unreachable: dict[str, str] = {}  # host -> why, so an offline host costs one try
        resting: dict[str, str] = {}  # site -> what it said, when it asked us to wait
        for url, until in self.library.waits(self.now()):
            site = site_of(url)
            resting[site] = (
                f"{site} asked not to be asked again before {until:%Y-%m-%d %H:%M:%S} UTC"
            )
        for index, job in enumerate(jobs):
            if cancelled():
                break
            if on_event:
                on_event(JobStarted(job, index, len(jobs)))
            host = urlsplit(job.url).hostname or job.url
            site = site_of(job.url)
            if host in unreachable:
                result = JobResult(job, error=unreachable[host], offline=True)
            elif site in resting:
                # Honour Retry-After for the whole run, and after it until the time it gave.
                result = JobResult(job, error=resting[site], rate_limited=True)
            else:
                result = self._run_job(job, force, titles)
                if result.offline and result.error:
                    unreachable[host] = result.error
                if result.rate_limited and result.error:
                    resting[site] = (
                        f"{site} asked to wait, so not asked again in this refresh ({result.error})"
                    )
            report.results.append(result)
            if on_event:
                on_event(JobFinished(result, index, len(jobs)))
        return report

    # -- one job ----------------------------------------------------------------------------------
    def _run_job(self, job: Job, force: bool, titles: TitleIndex) -> JobResult:
        result = JobResult(job)
        previous = self.library.fetch_record(job.key)
        started = self.now()
        if not force and previous and previous.ok_at and previous.ok_at.date() == started.date():
            result.skipped = True
            return result
        status: int | None = None
        retry_at: datetime | None = None
        validators: tuple[str | None, str | None] = (None, None)
        try:
            if job.source is Source.ARXIV:
                status, validators = self._arxiv(job, previous, result, titles)
            else:
                response = self.fetcher.get(
                    job.url,
                    params=dict(job.params),
                    etag=previous.etag if previous and not force else None,
                    last_modified=previous.last_modified if previous and not force else None,
                )
                status, validators = response.status, (response.etag, response.last_modified)
                if response.not_modified:
                    result.not_modified = True
                else:
                    self._store(job, self._parse(job, response, result), result, titles)
        except OfflineError as exc:
            # Offline changes nothing, not even the fetch log.
            result.error, result.offline = str(exc), True
            return result
        except RateLimitedError as exc:
            result.error, result.rate_limited, status = str(exc), True, exc.status
            retry_at = kept_wait(exc.retry_at, self.now())
        except SourceError as exc:
            result.error = str(exc)
            cause = exc if isinstance(exc, HttpStatusError) else exc.__cause__
            status = cause.status if isinstance(cause, HttpStatusError) else None
        self.library.record_fetch(
            FetchRecord(
                key=job.key,
                source=str(job.source),
                url=job.url,
                fetched_at=self.now(),
                ok_at=None if result.error else started,
                status=status,
                etag=validators[0],
                last_modified=validators[1],
                items=result.new + result.updated + result.unchanged,
                error=result.error,
                retry_at=retry_at,
            )
        )
        return result

    def _parse(self, job: Job, response: Response, result: JobResult) -> list[Sighting]:
        content = response.content
        return list(self._isolated(job, result, read_answer, str(job.source), content, job.url))

    def _isolated(self, job: Job, result: JobResult, read: Callable[..., T], *args: object) -> T:
        """``read(*args)`` in the sandbox (a child process, within a time budget set by the
        size of the answer among ``args``), its notes kept in ``result``."""
        size = sum(len(a) for a in args if isinstance(a, bytes))
        value, notes = read_isolated(read, *args, what=job.label, timeout=budget(size))
        result.notes.update(notes)
        return value

    def _arxiv(
        self, job: Job, previous: FetchRecord | None, result: JobResult, titles: TitleIndex
    ) -> tuple[int, tuple[None, None]]:
        """Page through an arXiv query; after a first success, only the days since then."""
        params = dict(job.params)
        if job.watch is not None:  # the watch asks by id: one request, every paper
            response = self._arxiv_get(job, params)
            feed = self._isolated(job, result, read_arxiv_page, response.content)
            self._store(job, list(feed.sightings), result, titles)
            return response.status, (None, None)
        if previous and previous.ok_at:
            since = (previous.ok_at - timedelta(days=1)).strftime("%Y%m%d0000")
            until = (self.now() + timedelta(days=1)).strftime("%Y%m%d2359")
            params["search_query"] = (
                f"({params['search_query']}) AND submittedDate:[{since} TO {until}]"
            )
        start, status = 0, 200
        while start < self.settings.max_results:
            page_size = min(PAGE_SIZE, self.settings.max_results - start)
            query = params | {"start": str(start), "max_results": str(page_size)}
            response = self._arxiv_get(job, query)
            status = response.status
            feed = self._isolated(job, result, read_arxiv_page, response.content)
            self._store(job, list(feed.sightings), result, titles)
            start += len(feed.sightings) + feed.skipped
            if not (feed.sightings or feed.skipped) or start >= feed.total:
                break
        return status, (None, None)

    def _arxiv_get(self, job: Job, params: dict[str, str]) -> Response:
        try:
            return self.fetcher.get(job.url, params=params)
        except HttpStatusError as exc:
            message = arxiv_error(exc.body)
            raise SourceError(f"arXiv: {message}" if message else str(exc)) from exc

    def _store(
        self, job: Job, sightings: list[Sighting], result: JobResult, titles: TitleIndex
    ) -> None:
        seen_at = self.now()
        new: list[int] = []
        if sightings and self.claims is None:  # read outside the page's write transaction
            self.claims = self.library.claim_terms()
        with self.library.transaction():
            source = job.source.discovery
            for written in self.library.store_batch(sightings, source, job.key, seen_at, titles):
                if written.outcome is Outcome.NEW:
                    result.new += 1
                elif written.outcome is Outcome.UPDATED:
                    result.updated += 1
                else:
                    result.unchanged += 1
                result.new_versions += int(written.new_version)
                if written.outcome is not Outcome.UNCHANGED:
                    result.landed.append(written.pk)
                if written.outcome is Outcome.NEW:
                    new.append(written.pk)
            result.leads += self.library.find_leads(new, seen_at.date(), self.claims)
