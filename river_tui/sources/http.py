"""Polite HTTP for River's sources: one connection, rate limited across processes, bounded.

arXiv asks for at most one request every 3 seconds over a single connection, counted across all of a
user's programs, and signals overload with 429/503 (``Retry-After``). httpx's timeouts are per
socket operation and its transport retries never cover 429/503, so this module adds:

* :class:`RateLimiter`: one request per ``min_interval`` per host, shared by every River process
  through a state file (time of the last request) and an exclusive ``flock`` held for the whole
  slot, so two processes never talk to the host at the same time;
* :class:`Fetcher`: conditional GETs, retries of 429/503 (``Retry-After`` or exponential backoff),
  an overall deadline, and a byte cap applied to the *decoded* body while it streams in (gzip is
  decoded here, in bounded steps, so a gzip bomb never inflates past the cap);
* one :class:`~river_tui.sources.SourceError` subclass per way a fetch can fail, each with a
  one-line message naming the host.

Time comes from an injectable :class:`Clock` so that tests never really sleep.
"""

from __future__ import annotations

import fcntl
import math
import os
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Protocol

import httpx

from river_tui.sources import SourceError

RETRIED_STATUSES = frozenset({429, 503})
_LOCK_POLL = 0.05  # seconds between two tries of a lock held by another thread or process


class Clock(Protocol):
    """Wall-clock time and sleeping, injectable so that tests run on a fake clock."""

    def time(self) -> float:
        """Seconds since the epoch, like :func:`time.time`."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# --- errors -------------------------------------------------------------------------------------


class FetchError(SourceError):
    """Base of every HTTP failure below."""


class HttpStatusError(FetchError):
    """A 4xx/5xx answer (other than a 429/503 that is retried). ``body`` keeps what the server
    sent, e.g. arXiv's Atom error feed for a malformed id (at most ``max_bytes`` of it)."""

    def __init__(self, status: int, url: str, body: bytes) -> None:
        self.status = status
        self.url = url
        self.body = body
        host = httpx.URL(url).host or url
        reason = httpx.codes.get_reason_phrase(status)
        super().__init__(f"{host} answered HTTP {status} {reason}".rstrip())


class RateLimitedError(FetchError):
    """The host kept answering 429/503, or asked us to wait longer than we are willing to.

    ``retry_at`` is the clock time from which trying again makes sense, when the host said so."""

    def __init__(self, message: str, retry_at: float | None = None, status: int = 429) -> None:
        super().__init__(message)
        self.retry_at = retry_at
        self.status = status


class OfflineError(FetchError):
    """The host could not be reached at all (DNS, refused or timed-out connection)."""


class DeadlineError(FetchError):
    """The request took longer than allowed (overall deadline, or the host stopped answering)."""


class _TurnTimeout(DeadlineError):
    """Raised by :class:`RateLimiter` (which does not know the host) when the deadline passes."""


class TooLargeError(FetchError):
    """The decoded body grew past ``max_bytes``."""


class ContentError(FetchError):
    """The answer was malformed: truncated body, broken encoding, or too many redirects."""


# --- rate limiting ------------------------------------------------------------------------------


class RateLimiter:
    """At most one request per ``min_interval`` seconds, across threads and, with a ``state_path``,
    across every process on the machine.

    ``with limiter.slot(): ...`` takes the lock (a thread lock, plus an exclusive ``flock`` on
    ``<state_path>.lock`` when a state path is given), sleeps until ``min_interval`` after the end
    of the previous request, runs the request while still holding the lock, then records the
    current time as the end of this request. A missing or unreadable state file means "no previous
    request". The state file is replaced atomically, so a reader never sees half a number.
    """

    def __init__(self, min_interval: float, state_path: Path | None, clock: Clock) -> None:
        self.min_interval = min_interval
        self.state_path = state_path
        self._clock = clock
        self._thread_lock = threading.Lock()
        self._last: float | None = None  # used when there is no state file

    @contextmanager
    def slot(self, deadline: float | None = None) -> Iterator[None]:
        """Wait for our turn, hold it while the caller talks to the host, then record the time.

        ``deadline`` (clock time) bounds the wait: past it, :class:`DeadlineError` is raised
        without making the request."""
        with self._locked(deadline):
            last = self._read_last()
            if last is not None:
                # A last time in the future (clock moved back, odd file) costs one interval at most.
                wait = min(last + self.min_interval - self._clock.time(), self.min_interval)
                if wait > 0:
                    if deadline is not None and self._clock.time() + wait > deadline:
                        raise _TurnTimeout("the deadline would pass while waiting for our turn")
                    self._clock.sleep(wait)
            try:
                yield
            finally:
                self._write_last(self._clock.time())

    @contextmanager
    def _locked(self, deadline: float | None) -> Iterator[None]:
        """Hold the thread lock and, with a state file, the lock file; poll so that ``deadline``
        (and a River process suspended while holding the lock) cannot block us forever."""
        fd: int | None = None
        if self.state_path is not None:
            self.state_path.parent.mkdir(parents=True, exist_ok=True)
            lock_path = self.state_path.with_name(self.state_path.name + ".lock")
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            while not self._try_lock(fd):
                if deadline is not None and self._clock.time() >= deadline:
                    raise _TurnTimeout("another River request held the connection too long")
                self._clock.sleep(_LOCK_POLL)
            try:
                yield
            finally:
                if fd is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                self._thread_lock.release()
        finally:
            if fd is not None:
                os.close(fd)

    def _try_lock(self, fd: int | None) -> bool:
        if not self._thread_lock.acquire(blocking=False):
            return False
        if fd is None:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._thread_lock.release()
            return False
        return True

    def _read_last(self) -> float | None:
        if self.state_path is None:
            return self._last
        try:
            value = float(self.state_path.read_text(encoding="ascii").strip())
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        return value if math.isfinite(value) else None

    def _write_last(self, when: float) -> None:
        if self.state_path is None:
            self._last = when
            return
        # Only the lock holder writes; a crash mid-write leaves at worst a stray temporary file.
        temporary = self.state_path.with_name(f"{self.state_path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(f"{when!r}\n", encoding="ascii")
            os.replace(temporary, self.state_path)
        except OSError:
            pass  # not being able to record slows nobody down; the next reader sees "no request"


# --- fetching -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpSettings:
    """Identity and limits of every request. Times are in seconds."""

    user_agent: str
    connect_timeout: float = 10
    read_timeout: float = 20
    deadline: float = 60  # overall, per ``get``, including waits for our turn and retries
    max_bytes: int = 20 * 2**20  # of the decoded body
    max_retries: int = 4  # of a 429/503
    backoff: float = 3.0  # first wait when there is no Retry-After; doubles each time
    min_wait: float = 3.0  # no retry sooner than this after a 429/503, whatever Retry-After says
    max_wait: float = 300  # a longer Retry-After fails at once instead of sleeping


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    content: bytes  # decoded; empty for a 304
    not_modified: bool
    etag: str | None
    last_modified: str | None


VALIDATOR_MAX = 512


def validator(value: str | None) -> str | None:
    """An ``ETag`` or ``Last-Modified`` worth keeping and sending back: printable ASCII, at
    most :data:`VALIDATOR_MAX` characters. Anything else (a server's ``"\xff\x1b[31m"``) is
    dropped: it could not be sent as a header, and it is not stored."""
    if not value or len(value) > VALIDATOR_MAX:
        return None
    return value if all(" " <= ch <= "~" for ch in value) else None


class Fetcher:
    """GETs with arXiv manners. One instance per program; safe to share between threads."""

    def __init__(
        self,
        settings: HttpSettings,
        clock: Clock | None = None,
        limiters: dict[str, RateLimiter] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._limiters = dict(limiters or {})
        self._client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip"},
            limits=httpx.Limits(max_connections=1),
            follow_redirects=True,
            max_redirects=5,
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        params: Mapping[str, str | int | float] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Response:
        """Fetch ``url``; a 304 comes back as ``not_modified=True``, any other failure raises."""
        settings = self.settings
        deadline = self._clock.time() + settings.deadline
        headers: dict[str, str] = {}
        etag, last_modified = validator(etag), validator(last_modified)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            host = httpx.URL(url).host or url
        except httpx.InvalidURL as error:
            raise FetchError(f"not a web address: {url[:80]} ({error})") from None
        for attempt in range(settings.max_retries + 1):
            result = self._attempt(url, params, headers, host, deadline)
            if isinstance(result, Response):
                if result.not_modified:  # a 304 may omit the validators: the cached ones hold
                    result = replace(
                        result,
                        etag=result.etag or etag,
                        last_modified=result.last_modified or last_modified,
                    )
                return result
            status, retry_after = result
            wait = retry_after if retry_after is not None else settings.backoff * 2**attempt
            wait = max(wait, settings.min_wait)
            retry_at = self._clock.time() + wait if retry_after is not None else None
            busy = f"{host} is busy (HTTP {status})"
            if attempt == settings.max_retries:
                attempts = settings.max_retries + 1
                later = f"in {_duration(retry_after)}" if retry_after is not None else "later"
                raise RateLimitedError(
                    f"{busy} after {attempts} attempts; try again {later}", retry_at, status
                )
            if wait > settings.max_wait or self._clock.time() + wait > deadline:
                raise RateLimitedError(f"{busy}; try again in {_duration(wait)}", retry_at, status)
            if wait > 0:
                self._clock.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(
        self,
        url: str,
        params: Mapping[str, str | int | float] | None,
        headers: dict[str, str],
        host: str,
        deadline: float,
    ) -> Response | tuple[int, float | None]:
        """One request in the host's slot: a Response, or (status, Retry-After) to retry."""
        limiter = self._limiters.get(host)
        try:
            if limiter is None:
                return self._request(url, params, headers, host, deadline)
            with limiter.slot(deadline):
                return self._request(url, params, headers, host, deadline)
        except _TurnTimeout as error:
            raise DeadlineError(f"gave up on {host}: {error}") from None

    def _request(
        self,
        url: str,
        params: Mapping[str, str | int | float] | None,
        headers: dict[str, str],
        host: str,
        deadline: float,
    ) -> Response | tuple[int, float | None]:
        settings = self.settings
        remaining = deadline - self._clock.time()
        if remaining <= 0:
            raise DeadlineError(f"gave up on {host} after {settings.deadline:g} s")
        timeout = httpx.Timeout(
            connect=min(settings.connect_timeout, remaining),
            read=min(settings.read_timeout, remaining),
            write=min(settings.read_timeout, remaining),
            pool=remaining,
        )
        request = self._client.build_request(
            "GET", url, params=params, headers=headers, timeout=timeout
        )
        try:
            response = self._client.send(request, stream=True)
            try:
                status = response.status_code
                if status in RETRIED_STATUSES:
                    return status, _retry_after(response.headers.get("retry-after"), self._clock)
                failed = status >= 300 and status != 304
                body = b"" if status == 304 else self._read_body(response, host, deadline, failed)
            finally:
                response.close()
        except httpx.HTTPError as error:
            raise _translate(error, host, timeout) from error
        final_url = str(response.url)
        if failed:
            raise HttpStatusError(status, final_url, body)
        return Response(
            url=final_url,
            status=status,
            headers=dict(response.headers.items()),
            content=body,
            not_modified=status == 304,
            etag=validator(response.headers.get("etag")),
            last_modified=validator(response.headers.get("last-modified")),
        )

    def _read_body(
        self, response: httpx.Response, host: str, deadline: float, truncate: bool
    ) -> bytes:
        """The decoded body, stopped at ``max_bytes`` (``truncate``: cut it there, for error
        pages; otherwise :class:`TooLargeError`) and at the deadline."""
        limit = self.settings.max_bytes
        too_large = TooLargeError(f"{host} sent more than {_size(limit)}; stopped reading")
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            decoder: zlib._Decompress | None = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            decoder = zlib.decompressobj()
        elif encoding in ("", "identity"):
            decoder = None
        else:
            raise ContentError(f"{host} sent an unsupported encoding: {encoding[:40]}")
        body = bytearray()
        for raw in response.iter_raw():
            if self._clock.time() > deadline:
                raise DeadlineError(f"{host} was still sending after {self.settings.deadline:g} s")
            try:
                # Never inflate more than one byte past the cap, whatever the ratio.
                chunk = raw if decoder is None else decoder.decompress(raw, limit + 1 - len(body))
            except zlib.error as error:
                raise ContentError(f"{host} sent a corrupt {encoding} body: {error}") from None
            body += chunk
            if len(body) > limit:
                if truncate:
                    return bytes(body[:limit])
                raise too_large
        if decoder is not None and not decoder.eof:
            raise ContentError(f"{host} sent an incomplete {encoding} body")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and response.num_bytes_downloaded < int(declared):
            raise ContentError(
                f"{host} sent {response.num_bytes_downloaded} of {declared} bytes (truncated)"
            )
        return bytes(body)


def _translate(error: httpx.HTTPError, host: str, timeout: httpx.Timeout) -> FetchError:
    """One clear line for an httpx failure (``timeout``: the limits this attempt ran with)."""
    detail = str(error) or type(error).__name__
    if isinstance(error, httpx.ConnectTimeout):
        return OfflineError(f"cannot reach {host}: no answer within {_duration(timeout.connect)}")
    if isinstance(error, httpx.TimeoutException):
        return DeadlineError(f"{host} did not answer within {_duration(timeout.read)}")
    if isinstance(error, httpx.ConnectError):
        return OfflineError(f"cannot reach {host}: {detail}")
    if isinstance(error, httpx.TooManyRedirects):
        return ContentError(f"{host} redirected too many times (a redirect loop?)")
    if isinstance(error, httpx.RemoteProtocolError):
        return ContentError(f"{host} broke off the answer: {detail}")
    if isinstance(error, httpx.NetworkError):
        return OfflineError(f"lost the connection to {host}: {detail}")
    return FetchError(f"cannot fetch from {host}: {detail}")


MAX_RETRY_AFTER = 365 * 24 * 3600
"""A ``Retry-After`` further ahead than a year is no wait a server means (``1e12``, a date in the
year 9999): it counts as none."""


def _retry_after(value: str | None, clock: Clock) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, as RFC 9110 writes it: a whole number of
    seconds (ASCII digits only) or an HTTP date. Anything else (``-5``, ``1.5``, ``NaN``,
    ``1e12``, ``soon``), a date already past and a wait of more than :data:`MAX_RETRY_AFTER`
    are no ``Retry-After`` at all: the caller backs off as without one."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        digits = value.lstrip("0") or "0"
        # Past 12 digits (31,000 years) it is past the limit, and int() refuses 4,300 digits.
        seconds = float(int(digits)) if len(digits) <= 12 else math.inf
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:  # "-0000": UTC by RFC 5322
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - clock.time()
    return seconds if 0 <= seconds <= MAX_RETRY_AFTER else None


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "no limit"
    if seconds < 90:
        return f"{math.ceil(seconds)} s"
    if seconds < 90 * 60:
        return f"{math.ceil(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


def _size(count: int) -> str:
    return f"{count / 2**20:g} MB" if count >= 2**20 else f"{count} bytes"
