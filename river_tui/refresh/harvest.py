"""``river harvest``: arXiv's metadata over OAI-PMH (``ListRecords``), page after page.

Each page is fetched through the refresh's polite client (one arXiv request per 3 s, shared
with every River process; a 429/503 waits as its ``Retry-After`` says), read in the sandbox
(:func:`river_tui.sources.oai_pmh.parse_list_records`), and stored in one transaction together
with where the harvest stands: the resumption token of the next page
(:mod:`river_tui.store.harvests`). A harvest cut short (killed, offline, told to wait longer
than a request may) goes on from that token when ``river harvest`` runs again with the same
arguments; the last page forgets it. Papers merge as a refresh's do, so a page stored twice
changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from river_tui.domain import Discovery
from river_tui.domain.text import counted
from river_tui.refresh.runner import kept_wait, site_of
from river_tui.settings import SourceSettings
from river_tui.sources import SourceError
from river_tui.sources.http import Fetcher, HttpStatusError, RateLimitedError
from river_tui.sources.notes import describe
from river_tui.sources.oai_pmh import FORMATS, SOURCE, OaiPage, parse_list_records
from river_tui.sources.sandbox import budget, read_isolated
from river_tui.store.fetches import FetchRecord
from river_tui.store.harvests import HarvestState, harvest_key
from river_tui.store.ingest import Outcome, TitleIndex, outcome_counts
from river_tui.store.leads import ClaimTerms
from river_tui.store.library import Library

LIMITS = {"deadline": 600.0, "read_timeout": 180.0, "max_bytes": 64 * 2**20}
"""A page of a thousand or more records takes arXiv a while to make and is megabytes long:
longer limits than a refresh's requests (:func:`river_tui.refresh.make_fetcher`)."""


@dataclass(frozen=True, slots=True)
class HarvestRequest:
    """What a harvest asks: a set (``cs``, ``physics:hep-th``; None: all of arXiv), the days
    of changes (``from``, ``until``: ``YYYY-MM-DD``) and the metadata format."""

    set: str | None = None
    since: str | None = None
    until: str | None = None
    format: str = "arXivRaw"

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"unknown metadata format {self.format!r}: {', '.join(FORMATS)}")

    def describe(self) -> str:
        parts = [f"set {self.set}" if self.set else "all of arXiv"]
        parts += [f"from {self.since}"] if self.since else []
        parts += [f"until {self.until}"] if self.until else []
        return " ".join(parts) + f" ({self.format})"


@dataclass(frozen=True, slots=True)
class HarvestProgress:
    """Where a harvest is after a page: pages and records stored, and, when the server says,
    how far through the list (``done`` of ``complete`` records)."""

    pages: int
    records: int
    done: int | None = None
    complete: int | None = None


@dataclass
class HarvestReport:
    request: HarvestRequest
    resumed_at: int | None = None
    """The page the harvest went on from (None: it started at the first)."""
    pages: int = 0
    records: int = 0
    """Pages and records of this run."""
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    new_versions: int = 0
    leads: int = 0
    notes: Counter[str] = field(default_factory=Counter)
    finished: bool = False
    error: str | None = None

    def summary(self) -> str:
        went_on = f", went on from page {self.resumed_at + 1}" if self.resumed_at else ""
        text = f"harvest of {self.request.describe()}{went_on}: {counted(self.pages, 'page')}, "
        text += outcome_counts(self.outcomes)
        if self.new_versions:
            text += f" ({self.new_versions} new versions)"
        if self.leads:
            text += f", {self.leads} may bear on a claim"
        if said := describe(self.notes):
            text += f" ({said})"
        return text + ("" if self.finished else "; not finished")


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _params(request: HarvestRequest, token: str) -> dict[str, str]:
    """A ``ListRecords`` request: the next page's token alone (OAI-PMH's rule), or the first
    page's arguments."""
    if token:
        return {"verb": "ListRecords", "resumptionToken": token}
    asked = {"set": request.set, "from": request.since, "until": request.until}
    return {
        "verb": "ListRecords",
        "metadataPrefix": request.format,
        **{name: value for name, value in asked.items() if value},
    }


class Harvester:
    """Runs harvests against one library through one fetcher (which keeps the rate limits)."""

    def __init__(
        self,
        library: Library,
        fetcher: Fetcher,
        settings: SourceSettings,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.library = library
        self.fetcher = fetcher
        self.base_url = settings.arxiv_oai_url
        self.now = now

    def key(self, request: HarvestRequest) -> str:
        return harvest_key(self.base_url, request.set, request.since, request.until, request.format)

    def run(
        self,
        request: HarvestRequest,
        restart: bool = False,
        on_page: Callable[[HarvestProgress], None] | None = None,
    ) -> HarvestReport:
        """Harvest until the list ends or a request fails (``report.error`` says why; what
        was stored stays, and the next run goes on from there). ``restart``: forget where a
        harvest with these arguments stood and start at its first page."""
        key = self.key(request)
        report = HarvestReport(request)
        if restart:
            self.library.clear_harvest(key)
        state = self.library.harvest_state(key)
        if state is not None:
            report.resumed_at = state.pages
        else:
            state = HarvestState(
                self.base_url,
                request.set,
                request.since,
                request.until,
                request.format,
                token="",
                started=self.now().isoformat(timespec="seconds"),
            )
        if (waiting := self._waiting()) is not None:
            report.error = waiting
            return report
        titles = self.library.title_index(arxiv_only=True)
        claims: list[ClaimTerms] | None = None
        started, status, retry_at = self.now(), None, None
        while True:
            try:
                page, status = self._page(_params(request, state.token), report)
            except RateLimitedError as exc:
                report.error, status = str(exc), exc.status
                retry_at = kept_wait(exc.retry_at, self.now())
                break
            except SourceError as exc:
                report.error = str(exc)
                cause = exc if isinstance(exc, HttpStatusError) else exc.__cause__
                status = cause.status if isinstance(cause, HttpStatusError) else None
                break
            if page.token and page.token == state.token:
                report.error = f"{self.base_url} sent the same page again; stopped"
                break
            if page.sightings and claims is None:  # read outside the page's transaction
                claims = self.library.claim_terms()
            state = self._store(key, state, page, report, titles, claims)
            if on_page is not None:
                done = None if page.cursor is None else page.cursor + len(page.sightings)
                on_page(HarvestProgress(state.pages, state.records, done, page.complete))
            if not page.token:
                report.finished = True
                break
        self._log(key, started, report, status, retry_at)
        return report

    def _page(self, params: dict[str, str], report: HarvestReport) -> tuple[OaiPage, int]:
        response = self.fetcher.get(self.base_url, params=params)
        what = f"{self.base_url} page {report.pages + (report.resumed_at or 0) + 1}"
        size = len(response.content)
        page, notes = read_isolated(
            parse_list_records, response.content, what=what, timeout=budget(size)
        )
        report.notes.update(notes)
        return page, response.status

    def _store(
        self,
        key: str,
        state: HarvestState,
        page: OaiPage,
        report: HarvestReport,
        titles: TitleIndex,
        claims: list[ClaimTerms] | None,
    ) -> HarvestState:
        """The page's papers and where the harvest stands after it, in one transaction."""
        seen = Discovery(SOURCE, self.now(), key)
        after = replace(
            state,
            token=page.token or "",
            pages=state.pages + 1,
            records=state.records + len(page.sightings),
            cursor=page.cursor,
            complete=page.complete,
        )
        with self.library.transaction():
            done = self.library.upsert_papers(page.sightings, seen, titles, claims)
            if page.token:
                self.library.save_harvest(after)
            else:
                self.library.clear_harvest(key)
        report.pages += 1
        report.records += len(page.sightings)
        report.outcomes.update(done.outcomes)
        report.new_versions += done.new_versions
        report.leads += done.leads
        return after

    def _waiting(self) -> str | None:
        """Why not to ask now: arXiv asked every River process to wait until a time to come."""
        site = site_of(self.base_url)
        for url, until in self.library.waits(self.now()):
            if site_of(url) == site:
                return f"{site} asked not to be asked again before {until:%Y-%m-%d %H:%M:%S} UTC"
        return None

    def _log(
        self,
        key: str,
        started: datetime,
        report: HarvestReport,
        status: int | None,
        retry_at: datetime | None,
    ) -> None:
        self.library.record_fetch(
            FetchRecord(
                key=key,
                source=SOURCE,
                url=self.base_url,
                fetched_at=self.now(),
                ok_at=None if report.error else started,
                status=status,
                items=report.records,
                error=report.error,
                retry_at=retry_at,
            )
        )
