"""The polite HTTP layer against a real server on 127.0.0.1 (a fake clock where timing matters)."""

from __future__ import annotations

import itertools
import socket
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest

from river_tui.sources import SourceError
from river_tui.sources.http import (
    ContentError,
    DeadlineError,
    Fetcher,
    HttpSettings,
    HttpStatusError,
    OfflineError,
    RateLimitedError,
    RateLimiter,
    SystemClock,
    TooLargeError,
)

from conftest import FIXTURES, ROOT
from httpserver import FakeClock, LocalServer, Reply, local_server

__all__ = ["local_server"]  # the fixture, imported for pytest

UA = "River/0.1 (+mailto:tests@example.org)"
ARXIV_ENTRY = FIXTURES / "arxiv_api_query_id_1605.08386.xml"
ARXIV_ERROR = FIXTURES / "arxiv_api_query_error_400_bad_id.xml"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours proxy variables: keep every request (and child process) on 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_fetcher(clock: FakeClock | SystemClock, limiter: RateLimiter | None = None, **limits):
    limiters = {"127.0.0.1": limiter} if limiter else None
    return Fetcher(HttpSettings(user_agent=UA, **limits), clock=clock, limiters=limiters)


@pytest.fixture
def fetcher(clock: FakeClock) -> Iterator[Fetcher]:
    with make_fetcher(clock) as fetcher:
        yield fetcher


# --- headers and validators ---------------------------------------------------------------------


def test_sends_user_agent_and_captures_validators(
    local_server: LocalServer, fetcher: Fetcher
) -> None:
    validators = {"ETag": '"abc"', "Last-Modified": "Mon, 27 Apr 2026 04:00:00 GMT"}
    local_server.route_file("/api/query", ARXIV_ENTRY, headers=validators)

    response = fetcher.get(f"{local_server.url}/api/query", params={"id_list": "1605.08386"})

    assert response.status == 200
    assert response.content == ARXIV_ENTRY.read_bytes()
    assert response.etag == '"abc"'
    assert response.last_modified == "Mon, 27 Apr 2026 04:00:00 GMT"
    assert response.headers["content-type"].startswith("application/xml")
    assert not response.not_modified
    (request,) = local_server.requests
    assert request.headers["user-agent"] == UA
    assert request.headers["accept-encoding"] == "gzip"
    assert request.query == {"id_list": "1605.08386"}
    assert "if-none-match" not in request.headers
    assert "if-modified-since" not in request.headers


def test_conditional_get_gives_not_modified(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.route("/feed", 304, headers={"ETag": '"v2"'})
    since = "Mon, 27 Apr 2026 04:00:00 GMT"

    response = fetcher.get(f"{local_server.url}/feed", etag='"v1"', last_modified=since)

    assert response.not_modified and response.status == 304
    assert response.content == b""
    assert response.etag == '"v2"'  # the server's, when it sends one
    assert response.last_modified == since  # else the cached validator still holds
    (request,) = local_server.requests
    assert request.headers["if-none-match"] == '"v1"'
    assert request.headers["if-modified-since"] == since


def test_a_validator_that_is_not_printable_ascii_is_dropped(
    local_server: LocalServer, fetcher: Fetcher
) -> None:
    # A server's ETag with a byte over 127 and an escape: it could not be sent back as a
    # header (every later refresh failed), nor is it inert text to store.
    local_server.route("/feed", 200, b"<feed/>", headers={"ETag": '"\xff\x1b[31m"'})
    assert fetcher.get(f"{local_server.url}/feed").etag is None
    # One stored by an older River is not sent.
    response = fetcher.get(
        f"{local_server.url}/feed", etag='"\xff\x1b[31m"', last_modified="x" * 600
    )
    assert response.status == 200
    assert "if-none-match" not in local_server.requests[-1].headers
    assert "if-modified-since" not in local_server.requests[-1].headers


def test_gzip_body_is_decoded(local_server: LocalServer, fetcher: Fetcher) -> None:
    body = ARXIV_ENTRY.read_bytes()
    local_server.route("/gz", body=body, gzip=True)

    response = fetcher.get(f"{local_server.url}/gz")

    assert response.headers["content-encoding"] == "gzip"
    assert response.content == body


def test_redirect_is_followed(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.route("/old", 301, headers={"Location": "/new"})
    local_server.route("/new", body=b"here")

    response = fetcher.get(f"{local_server.url}/old")

    assert response.content == b"here"
    assert response.url == f"{local_server.url}/new"


def test_query_specific_routes(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.route("/api/query", body=b"first page")
    local_server.route("/api/query", body=b"second page", query={"start": "10"})

    assert fetcher.get(f"{local_server.url}/api/query").content == b"first page"
    second = fetcher.get(f"{local_server.url}/api/query", params={"start": 10, "q": "x"})
    assert second.content == b"second page"


# --- rate limiting ------------------------------------------------------------------------------


@pytest.mark.parametrize("shared", [False, True], ids=["in-process", "state-file"])
def test_requests_to_a_host_are_spaced(
    local_server: LocalServer, clock: FakeClock, tmp_path: Path, shared: bool
) -> None:
    local_server.clock = clock.time
    local_server.route("/api/query", body=b"ok")
    limiter = RateLimiter(3.0, tmp_path / "arxiv.last" if shared else None, clock)

    with make_fetcher(clock, limiter) as fetcher:
        fetcher.get(f"{local_server.url}/api/query")
        assert clock.sleeps == []  # the first request does not wait
        fetcher.get(f"{local_server.url}/api/query")
        fetcher.get(f"{local_server.url}/api/query")

    times = [request.time for request in local_server.requests]
    assert len(times) == 3
    assert all(later - earlier >= 3.0 for earlier, later in itertools.pairwise(times))


def test_limiter_reads_the_state_file(clock: FakeClock, tmp_path: Path) -> None:
    state = tmp_path / "state" / "arxiv.last"
    state.parent.mkdir()
    state.write_text(f"{clock.time() - 1.0}\n")
    limiter = RateLimiter(3.0, state, clock)

    with limiter.slot():
        pass

    assert clock.sleeps == [pytest.approx(2.0)]
    assert float(state.read_text()) == clock.time()


@pytest.mark.parametrize("content", ["", "garbage", "nan", "\xff"])
def test_unreadable_state_means_no_previous_request(
    clock: FakeClock, tmp_path: Path, content: str
) -> None:
    state = tmp_path / "arxiv.last"
    state.write_text(content, encoding="latin-1")

    with RateLimiter(3.0, state, clock).slot():
        pass

    assert clock.sleeps == []


def test_a_last_request_in_the_future_costs_one_interval_at_most(
    clock: FakeClock, tmp_path: Path
) -> None:
    state = tmp_path / "arxiv.last"
    state.write_text(f"{clock.time() + 86_400}")

    with RateLimiter(3.0, state, clock).slot():
        pass

    assert clock.sleeps == [3.0]


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from river_tui.sources.http import Fetcher, HttpSettings, RateLimiter, SystemClock

    url, state, name = sys.argv[1:]
    clock = SystemClock()
    limiter = RateLimiter(1.0, Path(state), clock)
    with Fetcher(HttpSettings(user_agent="River/test"), clock, {"127.0.0.1": limiter}) as fetcher:
        print("ready", flush=True)
        sys.stdin.readline()  # wait until both processes are ready
        for n in range(2):
            fetcher.get(url, params={"who": name, "n": n})
    """
)


def test_the_limit_holds_across_processes(local_server: LocalServer, tmp_path: Path) -> None:
    local_server.route("/api/query", body=b"ok")
    state = tmp_path / "arxiv.last"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, f"{local_server.url}/api/query", str(state), name],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        codes = [child.wait(timeout=15) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()

    assert codes == [0, 0]
    times = sorted(request.time for request in local_server.requests)
    assert len(times) == 4
    assert {request.query["who"] for request in local_server.requests} == {"a", "b"}
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 0.95, gaps


# --- 429 / 503 ----------------------------------------------------------------------------------


def test_retry_after_seconds_is_honoured(local_server: LocalServer, clock: FakeClock) -> None:
    local_server.clock = clock.time
    local_server.route_sequence(
        "/busy", [Reply(429, headers={"Retry-After": "7"}), Reply(body=b"fine")]
    )

    with make_fetcher(clock) as fetcher:
        response = fetcher.get(f"{local_server.url}/busy")

    assert response.status == 200 and response.content == b"fine"
    assert clock.sleeps == [7.0]
    first, second = local_server.requests
    assert second.time - first.time == 7.0


def test_retry_after_http_date_is_honoured(local_server: LocalServer, clock: FakeClock) -> None:
    when = format_datetime(datetime.fromtimestamp(clock.time() + 7, UTC), usegmt=True)
    local_server.route_sequence(
        "/busy", [Reply(503, headers={"Retry-After": when}), Reply(body=b"fine")]
    )

    with make_fetcher(clock) as fetcher:
        response = fetcher.get(f"{local_server.url}/busy")

    assert response.content == b"fine"
    assert clock.sleeps == [pytest.approx(7.0)]


def test_503_without_retry_after_backs_off(local_server: LocalServer, clock: FakeClock) -> None:
    local_server.route_sequence(
        "/busy", [Reply(503), Reply(503, headers={"Retry-After": "soon"}), Reply(body=b"fine")]
    )

    with make_fetcher(clock) as fetcher:
        response = fetcher.get(f"{local_server.url}/busy")

    assert response.content == b"fine"
    assert clock.sleeps == [3.0, 6.0]  # an unreadable Retry-After counts as none


def test_a_429_that_never_clears(local_server: LocalServer, clock: FakeClock) -> None:
    local_server.route("/busy", 429)

    with make_fetcher(clock, max_retries=4) as fetcher, pytest.raises(RateLimitedError) as error:
        fetcher.get(f"{local_server.url}/busy")

    assert clock.sleeps == [3.0, 6.0, 12.0, 24.0]
    assert len(local_server.requests) == 5
    assert "127.0.0.1" in str(error.value) and "429" in str(error.value)


def test_a_long_retry_after_fails_at_once(local_server: LocalServer, clock: FakeClock) -> None:
    local_server.route("/busy", 429, headers={"Retry-After": "3600"})

    with make_fetcher(clock) as fetcher, pytest.raises(RateLimitedError) as error:
        fetcher.get(f"{local_server.url}/busy")

    assert clock.sleeps == []
    assert len(local_server.requests) == 1
    assert error.value.retry_at == clock.time() + 3600
    assert "try again in 60 min" in str(error.value)


def test_every_retry_waits_for_the_limiter(local_server: LocalServer, clock: FakeClock) -> None:
    local_server.clock = clock.time
    local_server.route_sequence(
        "/busy", [Reply(503, headers={"Retry-After": "4"}), Reply(body=b"fine")]
    )
    limiter = RateLimiter(5.0, None, clock)

    with make_fetcher(clock, limiter) as fetcher:
        fetcher.get(f"{local_server.url}/busy")

    assert clock.sleeps == [4.0, 1.0]  # Retry-After, then the rest of the 5 s interval
    first, second = local_server.requests
    assert second.time - first.time == 5.0


NO_WAIT = [
    "-5",
    "-0",
    "1.5",
    "NaN",
    "inf",
    "-inf",
    "1e12",
    "0x10",
    "+7",
    "1_000",  # float() reads it
    "soon",
    "9" * 5000,  # more digits than int() converts
    str(400 * 24 * 3600),  # more than a year
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",  # past
]


@pytest.mark.parametrize("value", NO_WAIT, ids=lambda v: v[:20])
def test_a_retry_after_that_is_no_wait_counts_as_none(
    local_server: LocalServer, clock: FakeClock, value: str
) -> None:
    """Negative, not a whole number of seconds, NaN, absurd or past: the backoff, as without
    one (``-5`` sent five requests back to back)."""
    local_server.clock = clock.time
    local_server.route("/busy", 429, headers={"Retry-After": value})

    with make_fetcher(clock) as fetcher, pytest.raises(RateLimitedError) as error:
        fetcher.get(f"{local_server.url}/busy")

    assert clock.sleeps == [3.0, 6.0, 12.0, 24.0]
    times = [r.time for r in local_server.requests]
    assert [b - a for a, b in itertools.pairwise(times)] == [3.0, 6.0, 12.0, 24.0]
    assert error.value.retry_at is None and "try again later" in str(error.value)


@pytest.mark.parametrize("limited", [False, True])
def test_no_retry_comes_sooner_than_3_s_whatever_the_header_says(
    local_server: LocalServer, clock: FakeClock, limited: bool
) -> None:
    local_server.clock = clock.time
    local_server.route_sequence(
        "/busy",
        [Reply(503, headers={"Retry-After": wait}) for wait in ("0", "1", "2")]
        + [Reply(body=b"fine")],
    )
    limiter = RateLimiter(3.0, None, clock) if limited else None

    with make_fetcher(clock, limiter) as fetcher:
        assert fetcher.get(f"{local_server.url}/busy").content == b"fine"

    times = [r.time for r in local_server.requests]
    assert [b - a for a, b in itertools.pairwise(times)] == [3.0, 3.0, 3.0]


# --- bounded and failing fetches ----------------------------------------------------------------


def test_a_body_over_the_cap(local_server: LocalServer, clock: FakeClock) -> None:
    local_server.route("/exact", body=b"x" * 1000)
    local_server.route("/big", body=b"x" * 1001)

    with make_fetcher(clock, max_bytes=1000) as fetcher:
        assert len(fetcher.get(f"{local_server.url}/exact").content) == 1000
        with pytest.raises(TooLargeError, match=r"127\.0\.0\.1"):
            fetcher.get(f"{local_server.url}/big")


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """50 MB of zeros, gzip-compressed to about 50 KB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(2**20)
    bomb = b"".join(compressor.compress(zeros) for _ in range(50)) + compressor.flush()
    assert len(bomb) < 100_000
    return bomb


def test_a_gzip_bomb_is_defused(
    local_server: LocalServer, clock: FakeClock, gzip_bomb: bytes
) -> None:
    local_server.route("/bomb", body=gzip_bomb, headers={"Content-Encoding": "gzip"})

    tracemalloc.start()
    try:
        with make_fetcher(clock, max_bytes=2**20) as fetcher, pytest.raises(TooLargeError):
            fetcher.get(f"{local_server.url}/bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 8 * 2**20  # never inflated much past the 1 MB cap


def test_a_truncated_body(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.route("/short", body=b"x" * 1000, truncate_at=100)

    with pytest.raises(ContentError, match=r"127\.0\.0\.1"):
        fetcher.get(f"{local_server.url}/short")


def test_a_redirect_loop(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.route("/loop", 302, headers={"Location": "/loop"})

    with pytest.raises(ContentError, match="redirect"):
        fetcher.get(f"{local_server.url}/loop")

    assert len(local_server.requests) == 6  # the request and five redirects


def test_a_closed_port_is_offline(fetcher: Fetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # nothing listens on the port any more

    with pytest.raises(OfflineError, match=r"cannot reach 127\.0\.0\.1"):
        fetcher.get(f"http://127.0.0.1:{port}/api/query")


def test_a_hanging_server_hits_the_deadline(local_server: LocalServer) -> None:
    local_server.route("/hang", body=b"late", delay=5.0)
    started = time.monotonic()

    with make_fetcher(SystemClock(), deadline=1.0) as fetcher, pytest.raises(DeadlineError):
        fetcher.get(f"{local_server.url}/hang")

    assert time.monotonic() - started < 4.5  # the deadline (1 s), not the server's 5 s


def test_a_400_carries_the_body(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.route("/api/query", 400, ARXIV_ERROR.read_bytes(), {"Content-Type": "text/xml"})

    with pytest.raises(HttpStatusError) as error:
        fetcher.get(f"{local_server.url}/api/query", params={"id_list": "bad"})

    assert error.value.status == 400
    assert error.value.body == ARXIV_ERROR.read_bytes()
    assert error.value.url.endswith("/api/query?id_list=bad")
    assert str(error.value) == "127.0.0.1 answered HTTP 400 Bad Request"
    assert isinstance(error.value, SourceError)


def test_a_large_error_page_is_cut_not_refused(local_server: LocalServer, clock: FakeClock) -> None:
    local_server.route("/gone", 404, b"y" * 5000)

    with make_fetcher(clock, max_bytes=1000) as fetcher, pytest.raises(HttpStatusError) as error:
        fetcher.get(f"{local_server.url}/gone")

    assert error.value.status == 404 and error.value.body == b"y" * 1000


def test_waiting_for_a_turn_counts_towards_the_deadline(
    local_server: LocalServer, clock: FakeClock
) -> None:
    local_server.route("/api/query", body=b"ok")
    limiter = RateLimiter(3.0, None, clock)

    with make_fetcher(clock, limiter, deadline=2.0) as fetcher:
        fetcher.get(f"{local_server.url}/api/query")
        with pytest.raises(DeadlineError, match=r"gave up on 127\.0\.0\.1"):
            fetcher.get(f"{local_server.url}/api/query")

    assert clock.sleeps == []
    assert len(local_server.requests) == 1


def test_a_backoff_past_the_deadline_fails_at_once(
    local_server: LocalServer, clock: FakeClock
) -> None:
    local_server.route("/busy", 503)

    with make_fetcher(clock, deadline=5.0) as fetcher, pytest.raises(RateLimitedError):
        fetcher.get(f"{local_server.url}/busy")

    assert clock.sleeps == [3.0]  # the next wait (6 s) would end after the deadline
    assert len(local_server.requests) == 2
