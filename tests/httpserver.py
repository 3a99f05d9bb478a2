"""A real HTTP server on 127.0.0.1 for tests, and a fake clock.

::

    from httpserver import FakeClock, LocalServer, Reply, local_server

    def test_x(local_server: LocalServer) -> None:
        local_server.route("/api/query", body=b"<feed/>", headers={"ETag": '"v1"'})
        local_server.route_sequence("/busy", [Reply(429, headers={"Retry-After": "7"}), Reply()])
        local_server.route_file("/feed", FIXTURES / "arxiv_rss_cs.LG_2026-04-27_3items.xml")
        ... fetch f"{local_server.url}/api/query" ...
        assert local_server.requests[0].headers["user-agent"].startswith("River/")

Routes are matched on the path, and optionally on query parameters (``query={"start": "10"}``);
the most recently registered matching route wins; anything else gets a 404. Every request is
recorded with the time given by ``server.clock`` (``time.monotonic`` unless a test sets it to a
fake clock's ``time``).
"""

from __future__ import annotations

import contextlib
import gzip
import mimetypes
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

MAX_DELAY = 5.0  # seconds: no handler ever sleeps longer, so a broken test cannot hang the suite


class FakeClock:
    """A clock whose ``sleep`` only moves ``time`` forward, at once, and is recorded."""

    def __init__(self, start: float = 1_780_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def time(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += max(seconds, 0.0)


@dataclass(frozen=True)
class Reply:
    """A canned response.

    ``gzip``: compress ``body`` and say so (Content-Encoding). ``truncate_at``: announce the full
    Content-Length but send only that many bytes, then close. ``delay``: sleep this long (at most
    ``MAX_DELAY``) before answering.
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False
    truncate_at: int | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    time: float


Responder = Callable[[RecordedRequest], "Reply | tuple[int, dict[str, str], bytes]"]


@dataclass
class _Route:
    path: str
    query: dict[str, str]
    respond: Responder


class LocalServer:
    """A ``ThreadingHTTPServer`` on an ephemeral port of 127.0.0.1, in a daemon thread."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.clock: Callable[[], float] = time.monotonic
        self._routes: list[_Route] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        host, port = self._httpd.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    # --- routes ---------------------------------------------------------------------------------

    def route(
        self,
        path: str,
        status: int = 200,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        *,
        query: dict[str, str] | None = None,
        gzip: bool = False,
        truncate_at: int | None = None,
        delay: float = 0.0,
    ) -> None:
        reply = Reply(status, body, dict(headers or {}), gzip, truncate_at, delay)
        self.route_fn(path, lambda _request: reply, query=query)

    def route_fn(self, path: str, fn: Responder, *, query: dict[str, str] | None = None) -> None:
        """``fn(request)`` returns a :class:`Reply` or ``(status, headers, body)``."""
        with self._lock:
            self._routes.append(_Route(path, dict(query or {}), fn))

    def route_sequence(
        self, path: str, replies: Sequence[Reply], *, query: dict[str, str] | None = None
    ) -> None:
        """Answer with ``replies`` in turn; once they run out, the last one repeats."""
        assert replies, "route_sequence needs at least one reply"
        remaining: Iterator[Reply] = iter(replies)
        lock = threading.Lock()

        def next_reply(_request: RecordedRequest) -> Reply:
            with lock:
                return next(remaining, replies[-1])

        self.route_fn(path, next_reply, query=query)

    def route_file(self, path: str, file: Path, headers: dict[str, str] | None = None) -> None:
        """Serve a file (e.g. from ``tests/fixtures/real/``) with a guessed Content-Type."""
        content_type = {".xml": "application/xml; charset=utf-8", ".json": "application/json"}.get(
            file.suffix, mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        )
        self.route(path, 200, file.read_bytes(), {"Content-Type": content_type, **(headers or {})})

    def stop(self) -> None:
        self._stopping.set()  # wakes delayed handlers
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # --- used by the handler --------------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _find(self, request: RecordedRequest) -> Responder | None:
        with self._lock:
            for route in reversed(self._routes):
                if route.path == request.path and route.query.items() <= request.query.items():
                    return route.respond
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for keep-alive connections or slow handlers
    owner: LocalServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real server
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: _Server

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        owner = self.server.owner
        url = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=url.path,
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in self.headers.items()},
            time=owner.clock(),
        )
        owner._record(request)
        respond = owner._find(request)
        reply = respond(request) if respond else Reply(404, b"no route\n")
        if isinstance(reply, tuple):
            status, headers, body = reply
            reply = Reply(status, body, dict(headers))
        if reply.delay:
            owner._stopping.wait(min(reply.delay, MAX_DELAY))
        body = gzip.compress(reply.body) if reply.gzip else reply.body
        headers = {"Content-Length": str(len(body)), **reply.headers}
        if reply.gzip:
            headers["Content-Encoding"] = "gzip"
        self.send_response(reply.status)
        for name, value in headers.items():
            self.send_header(name, value)
        if reply.truncate_at is not None:
            self.close_connection = True
        self.end_headers()
        if send_body and reply.status not in (204, 304):
            self.wfile.write(body if reply.truncate_at is None else body[: reply.truncate_at])
        self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet tests

    def handle(self) -> None:
        # The client may give up first (deadline tests): nothing to report then.
        with contextlib.suppress(ConnectionError, TimeoutError):
            super().handle()


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    yield server
    server.stop()
