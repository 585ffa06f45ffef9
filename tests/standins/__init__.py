"""Loopback HTTP stand-ins for the Slack Web API and the OpenAI API.

Tests point the *real* clients (``slack_sdk.WebClient``, ``slack_bolt.App``, ``openai.OpenAI``)
at these servers over 127.0.0.1, so request encoding, retries, timeouts and response parsing
are all exercised for real, only the far end is fake.

This module holds the small shared core (the threaded server, the per-request handler helpers
and the thread-safe misbehaviour schedule); the stand-ins themselves live in
:mod:`.slack_api` and :mod:`.openai_api` and are re-exported at the bottom.

Typical use::

    with SlackAPIStandIn() as slack, OpenAIStandIn() as llm:
        web = slack_sdk.WebClient(token="xoxb-test", base_url=slack.url)
        ai = openai.OpenAI(api_key="test", base_url=llm.base_url, max_retries=0)
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self, TypeVar

__all__ = [
    "Call",
    "Fault",
    "FaultPlan",
    "OpenAIStandIn",
    "RecordedRequest",
    "SlackAPIStandIn",
    "StandInHandler",
    "StandInServer",
    "WebRequest",
    "WebStandIn",
    "cosine",
    "embed_text",
]

log = logging.getLogger(__name__)

# Header names whose values must never be printed (compared lower-case).
SECRET_HEADERS = frozenset({"authorization", "cookie", "x-slack-signature", "api-key"})
REDACTED = "<redacted>"
T = TypeVar("T")


def wait_until(
    cond: threading.Condition,
    ready: Callable[[], T | None],
    timeout: float,
    failure: Callable[[], str],
) -> T:
    """Wait on ``cond`` until ``ready()`` (called with ``cond`` held) returns something
    other than None, and return that. After ``timeout`` seconds raise AssertionError with
    ``failure()``, which should say what was expected and what was recorded instead."""
    deadline = time.monotonic() + timeout
    with cond:
        while (result := ready()) is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(failure())
            cond.wait(remaining)
        return result


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    """Return a copy of ``headers`` with credential-bearing values replaced by a marker."""
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


@dataclass(frozen=True)
class Fault:
    """One scheduled misbehaviour, as handed to a request handler.

    ``kind`` names the misbehaviour (e.g. ``"fail"``, ``"rate_limit"``, ``"hang"``) and
    ``options`` carries its parameters (status code, retry-after, seconds, ...).
    """

    kind: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Scheduled:
    """Internal mutable entry of a :class:`FaultPlan`: a fault plus its remaining count."""

    fault: Fault
    remaining: int | None  # None means "forever"


class FaultPlan:
    """Thread-safe, per-key FIFO schedule of misbehaviours.

    Keys are whatever the stand-in routes on (a Slack method name, an OpenAI path name).
    The key ``"*"`` matches any request that has no fault scheduled under its own key.
    Each :meth:`take` consumes one use of the first pending fault, so
    ``add("x", "fail", times=1)`` followed by ``add("x", "hang", times=1)`` makes the first
    request fail and the second hang. ``times=None`` never runs out (and therefore shadows
    anything queued after it under the same key).
    """

    def __init__(self) -> None:
        """Create an empty schedule."""
        self._lock = threading.Lock()
        self._entries: dict[str, list[_Scheduled]] = {}

    def add(self, key: str, kind: str, times: int | None = 1, /, **options: Any) -> None:
        """Schedule ``kind`` for the next ``times`` requests routed to ``key``."""
        if times is not None and times < 1:
            raise ValueError(f"times must be >= 1 or None, got {times!r}")
        with self._lock:
            self._entries.setdefault(key, []).append(_Scheduled(Fault(kind, dict(options)), times))

    def take(self, key: str) -> Fault | None:
        """Consume and return the fault due for a request to ``key`` (or ``None``)."""
        with self._lock:
            for candidate in (key, "*"):
                queue = self._entries.get(candidate)
                if not queue:
                    continue
                entry = queue[0]
                if entry.remaining is not None:
                    entry.remaining -= 1
                    if entry.remaining <= 0:
                        queue.pop(0)
                return entry.fault
        return None

    def pending(self) -> dict[str, list[tuple[str, int | None]]]:
        """Snapshot of what is still scheduled: ``{key: [(kind, remaining), ...]}``."""
        with self._lock:
            return {
                key: [(e.fault.kind, e.remaining) for e in queue]
                for key, queue in self._entries.items()
                if queue
            }

    def clear(self) -> None:
        """Drop every scheduled fault."""
        with self._lock:
            self._entries.clear()


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its stand-in and tracks open connections."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, stand_in: StandInServer, host: str) -> None:
        super().__init__((host, 0), StandInHandler)
        self.stand_in = stand_in
        self.conn_lock = threading.Lock()
        self.connections: set[socket.socket] = set()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that went away (timeouts, aborted streams)."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class StandInHandler(BaseHTTPRequestHandler):
    """Per-connection request handler; delegates every request to the owning stand-in.

    Speaks HTTP/1.1 with keep-alive (like the real services), so that a response which is cut
    short is detectable by the client as an incomplete body rather than a normal end of data.
    """

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: _Server

    def setup(self) -> None:
        """Register the connection so :meth:`StandInServer.stop` can sever it."""
        super().setup()
        with self.server.conn_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        """Unregister the connection."""
        with contextlib.suppress(OSError):
            super().finish()
        with self.server.conn_lock:
            self.server.connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request stderr logging."""

    def do_GET(self) -> None:
        """Route a GET request to the stand-in."""
        self._dispatch()

    def do_POST(self) -> None:
        """Route a POST request to the stand-in."""
        self._dispatch()

    def _dispatch(self) -> None:
        try:
            self.server.stand_in._handle(self)
        except OSError:
            self.close_connection = True
        except Exception as exc:  # pragma: no cover - a bug in a stand-in, made loud
            log.exception(
                "stand-in %s failed on %s %s",
                type(self.server.stand_in).__name__,
                self.command,
                self.path,
            )
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.send_json(500, {"ok": False, "error": {"message": f"stand-in bug: {exc!r}"}})

    # -- request helpers -------------------------------------------------------------------

    def read_body(self) -> bytes:
        """Read the request body (Content-Length or chunked transfer encoding)."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def header_dict(self) -> dict[str, str]:
        """Request headers as a plain dict with lower-cased names."""
        return {k.lower(): v for k, v in self.headers.items()}

    # -- response helpers ------------------------------------------------------------------

    def send_bytes(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Send a complete response with a Content-Length."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        """Send ``obj`` as a JSON response."""
        body = json.dumps(obj).encode("utf-8")
        self.send_bytes(status, body, "application/json; charset=utf-8", headers)

    def start_chunked(
        self, status: int, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        """Begin a ``Transfer-Encoding: chunked`` response (used for SSE streaming)."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()

    def write_chunk(self, data: bytes) -> None:
        """Write one HTTP chunk and flush it to the client immediately."""
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    def end_chunked(self) -> None:
        """Write the terminating zero-length chunk."""
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def abort(self) -> None:
        """Drop the connection abruptly (no further bytes, no terminating chunk)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)


class StandInServer:
    """Base class: a ThreadingHTTPServer on 127.0.0.1 with an ephemeral port.

    Runs ``serve_forever`` in a daemon thread. Usable as a context manager. Subclasses
    implement :meth:`_handle`. :meth:`pause` lets handlers sleep (``hang`` faults, slow
    streams) in a way that :meth:`stop` interrupts at once, and that a test can watch
    (:meth:`wait_pauses`) and end early (:meth:`release_pauses`) instead of timing it.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        """Prepare (but do not start) a server bound to ``host``."""
        self._host = host
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._pauses = threading.Condition()
        self._cancelled = 0  # bumped => every current pause() returns False (abort)
        self._released = 0  # bumped => every current pause() returns True (carry on)
        self._pauses_begun = 0

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind to a free port and start serving in a daemon thread; returns ``self``."""
        if self._server is not None:
            return self
        self._server = _Server(self, self._host)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"{type(self).__name__}:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake any sleeping handlers and sever open connections."""
        server = self._server
        if server is None:
            return
        self.cancel_pauses()
        server.shutdown()
        server.server_close()
        with server.conn_lock:
            conns = list(server.connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        """Start the server for the duration of a ``with`` block."""
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        """Stop the server at the end of a ``with`` block."""
        self.stop()

    # -- addressing ------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound TCP port (only valid while started)."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return int(self._server.server_address[1])

    @property
    def root(self) -> str:
        """``http://127.0.0.1:<port>`` without a trailing slash."""
        return f"http://{self._host}:{self.port}"

    # -- helpers for subclasses ------------------------------------------------------------

    def pause(self, seconds: float) -> bool:
        """Sleep up to ``seconds`` without blocking other requests.

        Returns ``False`` if the sleep was cut short by :meth:`stop` or
        :meth:`cancel_pauses`; the caller should then drop the connection. Cut short by
        :meth:`release_pauses`, it returns ``True``, as if the time were up.
        """
        with self._pauses:
            cancelled, released = self._cancelled, self._released
            self._pauses_begun += 1
            self._pauses.notify_all()
            if seconds > 0:
                self._pauses.wait_for(
                    lambda: (self._cancelled, self._released) != (cancelled, released), seconds
                )
            return self._cancelled == cancelled

    def cancel_pauses(self) -> None:
        """Wake every handler currently inside :meth:`pause` (hangs, slow streams).

        Those requests are aborted; later pauses sleep normally. Subclasses call this from
        ``reset()`` so a hang left over from one test cannot answer during the next one.
        """
        with self._pauses:
            self._cancelled += 1
            self._pauses.notify_all()

    def release_pauses(self) -> None:
        """End every current :meth:`pause` as if its time were up: those requests carry on
        normally (a hang answers, a slow stream sends its next chunk). Later pauses sleep
        normally. A test that holds a request with a long hang releases it here rather
        than waiting out a short one."""
        with self._pauses:
            self._released += 1
            self._pauses.notify_all()

    @property
    def pauses_begun(self) -> int:
        """How many pauses handlers have begun since the server was created."""
        with self._pauses:
            return self._pauses_begun

    def wait_pauses(self, count: int, timeout: float = 5.0) -> None:
        """Block until :attr:`pauses_begun` reaches ``count`` (a hang, or a slow stream's
        wait after each chunk): that request is held until its pause ends. AssertionError
        after ``timeout`` seconds."""
        wait_until(
            self._pauses,
            lambda: True if self._pauses_begun >= count else None,
            timeout,
            lambda: f"expected {count} pause(s) within {timeout}s, {self._pauses_begun} began",
        )

    def _handle(self, handler: StandInHandler) -> None:
        """Serve one request; implemented by subclasses."""
        raise NotImplementedError


# Re-exports. Kept at the bottom: the submodules import the shared core defined above.
from .openai_api import OpenAIStandIn, RecordedRequest, cosine, embed_text  # noqa: E402
from .slack_api import Call, SlackAPIStandIn  # noqa: E402
from .web import WebRequest, WebStandIn  # noqa: E402
