"""A loopback stand-in for Slack's Socket Mode server, on the ``websockets`` library.

The real ``slack_bolt.adapter.socket_mode.SocketModeHandler`` (built on
``slack_sdk.socket_mode.builtin.SocketModeClient``) connects in two steps:

1. it calls the Web API method ``apps.connections.open`` with the app-level token, on the
   ``base_url`` of the app's ``WebClient``; :meth:`SocketModeStandIn.install` makes a
   :class:`~standins.slack_api.SlackAPIStandIn` answer it with this server's URL;
2. it opens a WebSocket to the returned ``url``, and Slack greets it with a ``hello``.

Events, slash commands and interactions then arrive as JSON *envelopes*; the client answers
each with an acknowledgement ``{"envelope_id": ..., "payload": ...}`` (``payload`` only when
the app acked with a body). This stand-in sends envelopes exactly as Slack shapes them and
records the acknowledgements, the pings and pongs, and any close frame a client sends.

What ``slack_sdk`` 3.48's builtin client needs from a server, and gets here:

* **No TLS on loopback.** It picks TLS by *port* (443), not by scheme, so ``ws://`` on
  another port works without certificates, unless a proxy variable (``HTTPS_PROXY``...) is
  set: then it tunnels and wraps the socket in TLS. Tests must unset them.
* **No frame of two bytes or less**: on such a ``recv`` it blocks for more and drops what
  it had after its 3-second timeout. ``websockets`` sends close frames with a code, and
  the pings here carry a payload.
* **Keep-alive pings.** Its reader holds a lock while blocked in ``recv`` (3-second
  timeout) and ``close()`` needs that lock; the server pings every connection every
  ``server_ping_interval`` seconds (as Slack does), which keeps ``handler.close()`` fast.
* **Reconnection.** After ``{"type": "disconnect"}`` it calls ``apps.connections.open``
  again at once and opens a second connection. A close frame or a dropped connection is
  noticed by its monitor thread, every ``ping_interval`` seconds (10 in Bolt's handler):
  tests of that path pass a small ``ping_interval``.

Typical use::

    with SlackAPIStandIn() as slack, SocketModeStandIn() as sm:
        sm.install(slack)
        app = App(client=WebClient(token="xoxb-test", base_url=slack.url),
                  token_verification_enabled=False)
        handler = SocketModeHandler(app, app_token="xapp-test"); handler.connect()
        sm.wait_connected()
        ack = sm.wait_for_ack(sm.send_event({...}))
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConcurrencyError, ConnectionClosed
from websockets.frames import Close, Frame, Opcode
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from . import wait_until

if TYPE_CHECKING:
    from .slack_api import Call, SlackAPIStandIn

__all__ = ["Handshake", "SocketModeStandIn"]

APP_ID = "A1"
KEEPALIVE = b"stand-in-keepalive"
MAX_MESSAGE_BYTES = 16 * 1024 * 1024

# Interactive payload types for which Slack lets the app answer in the acknowledgement.
_RESPONDING_INTERACTIONS = frozenset({"view_submission", "block_suggestion", "dialog_suggestion"})


@dataclass(frozen=True)
class Handshake:
    """One accepted WebSocket connection: request path, ticket and lower-cased headers."""

    index: int
    path: str
    ticket: str | None
    headers: dict[str, str] = field(repr=False)
    opened_at: float


@dataclass(eq=False)
class _Conn:
    handshake: Handshake
    ws: ServerConnection
    open: bool = True
    #: The client answered a keep-alive ping: its reader loop is running.
    reading: bool = False


class SocketModeStandIn:
    """Fake Slack Socket Mode server on 127.0.0.1 (plain ``ws://``).

    Each ``apps.connections.open`` answered through :meth:`install` hands out a fresh ticket
    (``t1``, ``t2``, ...). Envelopes go to the most recently opened live connection, as a real
    Slack server would use any of them. Everything is thread-safe.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        app_id: str = APP_ID,
        server_ping_interval: float | None = 0.01,
    ) -> None:
        """A stopped stand-in; ``server_ping_interval`` (None: no pings) is how often the
        server pings every open connection."""
        self._host = host
        self._app_id = app_id
        self._ping_every = server_ping_interval
        self._cond = threading.Condition()
        self._server: Server | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._conns: list[_Conn] = []
        self._messages: list[dict[str, Any]] = []
        self._sent: list[dict[str, Any]] = []
        self._pings: list[bytes] = []
        self._pongs: list[bytes] = []
        self._client_closes: list[tuple[int, str]] = []
        self._tickets = 0
        self._keepalives = itertools.count()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind to a free port and serve in a daemon thread; returns ``self``."""
        if self._server is not None:
            return self
        stand_in = self

        class Recording(ServerConnection):
            def process_event(self, event: Any) -> None:
                super().process_event(event)
                if isinstance(event, Frame):
                    stand_in._control(self, event)

        self._stopping = threading.Event()
        self._server = serve(
            self._serve,
            self._host,
            0,
            process_request=_websocket_only,
            compression=None,
            ping_interval=None,  # the server's own pings, below, carry a known payload
            close_timeout=1,
            max_size=MAX_MESSAGE_BYTES,
            create_connection=Recording,
        )
        self._spawn(self._server.serve_forever, f"SocketModeStandIn:{self.port}")
        if self._ping_every:
            self._spawn(self._ping_loop, f"SocketModeStandIn:{self.port}:ping")
        return self

    def stop(self) -> None:
        """Stop accepting, sever every connection (no close frame) and join the threads."""
        server = self._server
        if server is None:
            return
        self._stopping.set()
        with self._cond:
            conns = list(self._conns)
        for conn in conns:
            _sever(conn.ws)
        server.shutdown(close_connections=False)
        for thread in self._threads:
            thread.join(timeout=5)
        with self._cond:
            self._conns.clear()
            self._threads.clear()
        self._server = None

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
            raise RuntimeError("SocketModeStandIn is not started")
        return int(self._server.socket.getsockname()[1])

    def url_for_ticket(self, ticket: str) -> str:
        """The WebSocket URL carrying ``ticket`` (as ``apps.connections.open`` returns it)."""
        return f"ws://{self._host}:{self.port}/link/?ticket={ticket}"

    def next_url(self) -> str:
        """A URL with a fresh ticket (``t1``, ``t2``, ...), one per ``apps.connections.open``."""
        with self._cond:
            self._tickets += 1
            ticket = f"t{self._tickets}"
        return self.url_for_ticket(ticket)

    def install(self, slack_api: SlackAPIStandIn) -> None:
        """Make ``slack_api`` answer ``apps.connections.open`` with ``{"ok": true, "url": ...}``,
        a fresh ticket each time."""

        def respond(_call: Call) -> dict[str, Any]:
            return {"ok": True, "url": self.next_url()}

        slack_api.set_response("apps.connections.open", respond)

    # -- connection state ------------------------------------------------------------------

    def connections(self) -> list[Handshake]:
        """Every connection accepted so far (open or closed), oldest first."""
        with self._cond:
            return [c.handshake for c in self._conns]

    @property
    def active_count(self) -> int:
        """Number of connections currently open."""
        with self._cond:
            return sum(1 for c in self._conns if c.open)

    def wait_connected(self, timeout: float = 5.0, count: int = 1) -> Handshake:
        """Block until ``count`` connections were accepted in total and one is open; the
        newest open connection's :class:`Handshake` (AssertionError on timeout)."""

        def newest() -> Handshake | None:
            live = [c for c in self._conns if c.open]
            return live[-1].handshake if len(self._conns) >= count and live else None

        return wait_until(
            self._cond,
            newest,
            timeout,
            lambda: (
                f"expected {count} Socket Mode connection(s) within {timeout}s; accepted "
                f"{len(self._conns)}, open {sum(1 for c in self._conns if c.open)}"
            ),
        )

    def wait_reading(self, timeout: float = 5.0) -> Handshake:
        """Block until the newest open connection's client answered a keep-alive ping, so its
        reader loop is running; its :class:`Handshake`. (slack_sdk's builtin client closed
        before its reader starts can hang: the reader clears the client's "terminated" flag
        as it starts.) Needs ``server_ping_interval``."""

        def reading() -> Handshake | None:
            live = [c for c in self._conns if c.open]
            return live[-1].handshake if live and live[-1].reading else None

        return wait_until(
            self._cond, reading, timeout, lambda: f"no client answered a ping within {timeout}s"
        )

    def wait_disconnected(self, timeout: float = 5.0) -> None:
        """Block until no connection is open (the client closed or went away)."""
        self._wait(lambda: not any(c.open for c in self._conns), timeout, "all connections closed")

    # -- sending ---------------------------------------------------------------------------

    def send_json(self, message: dict[str, Any]) -> None:
        """Send ``message`` as a text frame on the newest open connection."""
        conn = self._current()
        with self._cond:
            self._sent.append(copy.deepcopy(message))
        conn.ws.send(json.dumps(message))

    def send_envelope(
        self,
        type_: str,
        payload: dict[str, Any],
        envelope_id: str | None = None,
        accepts_response_payload: bool = False,
        **extra: Any,
    ) -> str:
        """Send a generic envelope and return its ``envelope_id`` (a UUID if not given)."""
        envelope_id = envelope_id or str(uuid.uuid4())
        self.send_json(
            {
                "envelope_id": envelope_id,
                "payload": payload,
                "type": type_,
                "accepts_response_payload": accepts_response_payload,
                **extra,
            }
        )
        return envelope_id

    def send_event(
        self,
        payload: dict[str, Any],
        envelope_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Send an ``events_api`` envelope; ``payload`` is the full Events API body
        (``{"type": "event_callback", "event": {...}, ...}``). Returns the envelope id."""
        return self.send_envelope(
            "events_api",
            payload,
            envelope_id,
            accepts_response_payload=False,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )

    def send_command(self, payload: dict[str, Any], envelope_id: str | None = None) -> str:
        """Send a ``slash_commands`` envelope (the command's fields as a dict)."""
        return self.send_envelope(
            "slash_commands", payload, envelope_id, accepts_response_payload=True
        )

    def send_interactive(
        self,
        payload: dict[str, Any],
        envelope_id: str | None = None,
        accepts_response_payload: bool | None = None,
    ) -> str:
        """Send an ``interactive`` envelope (block actions, shortcuts, view submissions...).

        ``accepts_response_payload`` defaults to what Slack does: true only for payload types
        that can be answered in the ack (``view_submission``, ``block_suggestion``).
        """
        if accepts_response_payload is None:
            accepts_response_payload = payload.get("type") in _RESPONDING_INTERACTIONS
        return self.send_envelope(
            "interactive", payload, envelope_id, accepts_response_payload=accepts_response_payload
        )

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to reconnect, as Slack does before recycling a connection: sends
        ``{"type": "disconnect", ...}``, then closes the old connection (1001) once a newer
        one is open, unless the client closed it first."""
        old = self._current()
        self.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": "stand-in"}})
        self._spawn(
            lambda: self._close_when_replaced(old), f"SocketModeStandIn:{self.port}:recycle"
        )

    def close_connection(self, code: int = 1001, reason: str = "going away") -> None:
        """Send a close frame on the newest open connection, which then counts as closed.
        (The builtin client reconnects from its monitor thread, within ``ping_interval``.)"""
        conn = self._current()
        self._closed(conn)
        self._spawn(lambda: conn.ws.close(code, reason), f"SocketModeStandIn:{self.port}:close")

    def ping(self, payload: bytes = b"stand-in") -> None:
        """Ping the newest connection (a payload, see the module notes); the client's pong
        is recorded in :meth:`pongs`."""
        self._current().ws.ping(payload)

    # -- recorded traffic ------------------------------------------------------------------

    def sent(self) -> list[dict[str, Any]]:
        """Every JSON message the server sent (hello, envelopes, disconnects), in order."""
        with self._cond:
            return copy.deepcopy(self._sent)

    def pings(self) -> list[bytes]:
        """Payloads of the pings clients sent (each was answered with a pong)."""
        with self._cond:
            return list(self._pings)

    def pongs(self) -> list[bytes]:
        """Payloads of the pongs clients sent in answer to :meth:`ping`."""
        with self._cond:
            return list(self._pongs)

    def client_closes(self) -> list[tuple[int, str]]:
        """``(code, reason)`` of close frames clients sent (the builtin client sends none)."""
        with self._cond:
            return list(self._client_closes)

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """Block until the client acknowledged ``envelope_id`` and return the ack message
        (``{"envelope_id": ...}`` plus ``"payload"`` when the app acked with a body)."""
        found: list[dict[str, Any]] = []

        def acked() -> bool:
            found[:] = [m for m in self._messages if m.get("envelope_id") == envelope_id]
            return bool(found)

        self._wait(acked, timeout, f"an ack for envelope {envelope_id!r}")
        return copy.deepcopy(found[0])

    def wait_for_pong(self, count: int = 1, timeout: float = 5.0) -> list[bytes]:
        """Block until ``count`` pongs were received; returns their payloads."""
        self._wait(lambda: len(self._pongs) >= count, timeout, f"{count} pong(s)")
        return self.pongs()

    def clear(self) -> None:
        """Forget recorded traffic (connections stay open)."""
        with self._cond:
            for recorded in (self._messages, self._sent, self._pings, self._pongs):
                recorded.clear()
            self._client_closes.clear()

    # -- internals -------------------------------------------------------------------------

    def _serve(self, ws: ServerConnection) -> None:
        """One connection, from the opening handshake to its end: greet, then record."""
        request = ws.request
        assert request is not None
        with self._cond:
            handshake = Handshake(
                index=len(self._conns) + 1,
                path=request.path,
                ticket=parse_qs(urlsplit(request.path).query).get("ticket", [None])[0],
                headers={k.lower(): v for k, v in request.headers.raw_items()},
                opened_at=time.time(),
            )
            conn = _Conn(handshake, ws)
            self._conns.append(conn)
            live = sum(1 for c in self._conns if c.open)
            self._cond.notify_all()
        self.send_json(
            {
                "type": "hello",
                "num_connections": live,
                "debug_info": {
                    "host": "applink-stand-in",
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": self._app_id},
            }
        )
        try:
            for message in ws:
                self._record(message)
        except ConnectionClosed:
            pass
        finally:
            self._closed(conn)

    def _record(self, message: str | bytes) -> None:
        text = message if isinstance(message, str) else message.decode("utf-8", "replace")
        try:
            data = json.loads(text)
        except ValueError:
            data = {"_raw": text}
        if isinstance(message, bytes):
            data = {"_binary": text}
        elif not isinstance(data, dict):
            data = {"_json": data}
        with self._cond:
            self._messages.append(data)
            self._cond.notify_all()

    def _control(self, ws: ServerConnection, frame: Frame) -> None:
        """Record a client's ping, its pong to :meth:`ping` (or that it answered a
        keep-alive ping), and its close frame."""
        with self._cond:
            if frame.opcode is Opcode.PING:
                self._pings.append(bytes(frame.data))
            elif frame.opcode is Opcode.PONG and frame.data.startswith(KEEPALIVE):
                for conn in self._conns:
                    if conn.ws is ws:
                        conn.reading = True
            elif frame.opcode is Opcode.PONG:
                self._pongs.append(bytes(frame.data))
            elif frame.opcode is Opcode.CLOSE:
                close = Close.parse(bytes(frame.data)) if frame.data else Close(1005, "")
                self._client_closes.append((close.code, close.reason))
            self._cond.notify_all()

    def _closed(self, conn: _Conn) -> None:
        with self._cond:
            conn.open = False
            self._cond.notify_all()

    def _current(self) -> _Conn:
        with self._cond:
            for conn in reversed(self._conns):
                if conn.open:
                    return conn
        raise AssertionError("no open Socket Mode connection (did the client connect?)")

    def _spawn(self, target: Callable[[], object], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        with self._cond:
            self._threads.append(thread)
        thread.start()

    def _wait(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        def failure() -> str:
            got = [m.get("envelope_id", m.get("type")) for m in self._messages]
            return f"expected {what} within {timeout}s; messages received: {got!r}"

        wait_until(self._cond, lambda: True if predicate() else None, timeout, failure)

    def _ping_loop(self) -> None:
        while not self._stopping.wait(float(self._ping_every or 0)):
            with self._cond:
                live = [c.ws for c in self._conns if c.open]
            for ws in live:
                with contextlib.suppress(ConnectionClosed, ConcurrencyError, OSError):
                    ws.ping(KEEPALIVE + b"-%d" % next(self._keepalives))

    def _close_when_replaced(self, old: _Conn) -> None:
        """After a ``disconnect`` message: close ``old`` once a newer connection is open."""
        deadline = time.monotonic() + 10
        with self._cond:
            while old.open and not self._stopping.is_set():
                if any(c.open and c.handshake.index > old.handshake.index for c in self._conns):
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(min(remaining, 0.01))
            still_open = old.open
        if still_open:
            self._closed(old)
            with contextlib.suppress(ConnectionClosed, OSError):
                old.ws.close(1001, "connection recycled")


def _websocket_only(ws: ServerConnection, request: Request) -> Response | None:
    """Refuse (400) a request that is not a WebSocket upgrade."""
    if request.headers.get("Upgrade", "").lower() != "websocket":
        return ws.respond(HTTPStatus.BAD_REQUEST, "not a WebSocket upgrade\n")
    return None


def _sever(ws: ServerConnection) -> None:
    """Cut the TCP connection under ``ws``, with no close frame."""
    with contextlib.suppress(OSError):
        ws.socket.shutdown(socket.SHUT_RDWR)
