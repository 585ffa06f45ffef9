"""A loopback stand-in for Slack's Socket Mode server (a minimal RFC 6455 WebSocket server).

The real ``slack_bolt.adapter.socket_mode.SocketModeHandler`` (built on
``slack_sdk.socket_mode.builtin.SocketModeClient``) connects in two steps:

1. it calls the Web API method ``apps.connections.open`` with the app-level token, on the
   ``base_url`` of the app's ``WebClient`` -- :meth:`SocketModeStandIn.install` makes a
   :class:`~standins.slack_api.SlackAPIStandIn` answer it with this server's URL;
2. it opens a WebSocket to the returned ``url``, and Slack greets it with a ``hello`` message.

Events, slash commands and interactions then arrive as JSON *envelopes*; the client answers
each with an acknowledgement ``{"envelope_id": ..., "payload": ...}`` (``payload`` only when
the app acked with a body). This stand-in sends envelopes exactly as Slack shapes them and
records the acknowledgements.

Quirks of ``slack_sdk`` 3.48's builtin client that shaped this module:

* **No TLS on loopback.** The client decides between TLS and a plain socket by *port*, not by
  scheme: any port other than 443 gets a plain TCP socket (``"only for library testing"``),
  and the scheme only picks the default port (``wss`` -> 443, anything else -> 80). So
  ``ws://127.0.0.1:<port>/...`` (and even ``wss://127.0.0.1:<port>/...``) works without
  certificates. Exception: when a proxy is configured (``proxy=`` or the ``HTTPS_PROXY`` /
  ``HTTP_PROXY`` environment variables, which the client reads and which ignore
  ``NO_PROXY``) it always tunnels with ``CONNECT`` and wraps the socket in TLS -- tests must
  make sure no proxy variable is set.
* **Server frames must be unmasked** (as RFC 6455 requires): the client's unmasking code path
  for masked server frames is broken. Client frames are always masked.
* **Never send a frame of two bytes or less** (an empty ping, a close frame without a status
  code): when a ``recv`` returns <= 2 bytes the client blocks for more and, on its 3-second
  socket timeout, silently drops what it had. Pings therefore carry a payload and close frames
  always carry a status code here.
* **Large messages are fine up to ~1 MB**: the client reassembles a frame recursively, one
  level per ``recv`` of ``receive_buffer_size`` (1024) bytes, so very large frames would hit
  the recursion limit. A few hundred KB works.
* **Slow close.** The client's plain socket has a 3-second timeout and its reader thread holds
  a lock while blocked in ``recv``; ``SocketModeClient.close()`` / ``disconnect()`` need that
  lock, so they can take up to ~3 s unless the server sends something. ``server_ping_interval``
  (default 0.2 s) makes this stand-in ping every connection regularly, as Slack does, which
  keeps ``handler.close()`` fast.
* **Reconnection.** A ``{"type": "disconnect"}`` message makes the client call
  ``apps.connections.open`` again at once and open a second connection (the old one is closed
  by the client after the new handshake). A close frame (or a dropped TCP connection) is only
  noticed by the client's monitor thread, which runs every ``ping_interval`` seconds (10 s by
  default in Bolt's handler), so tests of that path should pass a small ``ping_interval``.

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

import base64
import contextlib
import copy
import hashlib
import json
import logging
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

from . import wait_until

if TYPE_CHECKING:
    from .slack_api import Call, SlackAPIStandIn

__all__ = ["Handshake", "SocketModeStandIn"]

log = logging.getLogger(__name__)

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
APP_ID = "A1"

OP_CONTINUATION = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA

MAX_HANDSHAKE_BYTES = 64 * 1024
MAX_MESSAGE_BYTES = 16 * 1024 * 1024

# Interactive payload types for which Slack lets the app answer in the acknowledgement.
_RESPONDING_INTERACTIONS = frozenset({"view_submission", "block_suggestion", "dialog_suggestion"})


def accept_key(sec_websocket_key: str) -> str:
    """The ``Sec-WebSocket-Accept`` value for a client's ``Sec-WebSocket-Key`` (RFC 6455 4.2.2)."""
    raw = (sec_websocket_key.strip() + WS_GUID).encode("ascii")
    digest = hashlib.sha1(raw, usedforsecurity=False).digest()
    return base64.b64encode(digest).decode("ascii")


def encode_frame(opcode: int, payload: bytes, mask: bytes | None = None) -> bytes:
    """One final (FIN) frame; ``mask`` (4 bytes) only for client-to-server frames."""
    length = len(payload)
    head = bytes([0x80 | opcode])
    mask_bit = 0x80 if mask is not None else 0
    if length <= 125:
        head += bytes([mask_bit | length])
    elif length <= 0xFFFF:
        head += struct.pack("!BH", mask_bit | 126, length)
    else:
        head += struct.pack("!BQ", mask_bit | 127, length)
    if mask is None:
        return head + payload
    return head + mask + apply_mask(payload, mask)


def apply_mask(data: bytes, mask: bytes) -> bytes:
    """XOR ``data`` with the 4-byte ``mask`` (masking and unmasking are the same operation)."""
    if not data:
        return b""
    repeated = (mask * (len(data) // 4 + 1))[: len(data)]
    return (int.from_bytes(data, "big") ^ int.from_bytes(repeated, "big")).to_bytes(
        len(data), "big"
    )


@dataclass(frozen=True)
class Handshake:
    """One accepted WebSocket connection: request path, ticket and lower-cased headers."""

    index: int
    path: str
    ticket: str | None
    headers: dict[str, str] = field(repr=False)
    opened_at: float


class _ConnectionClosedError(Exception):
    """The peer went away (EOF, reset, or the stand-in is stopping)."""


class _Conn:
    """Server side of one WebSocket connection: socket, send lock and reader state."""

    def __init__(self, sock: socket.socket, index: int) -> None:
        self.sock = sock
        self.index = index
        self.send_lock = threading.Lock()
        self.buffer = b""
        self.handshake: Handshake | None = None
        self.open = False  # handshake done and no close seen/sent yet
        self.close_sent = False
        self.thread: threading.Thread | None = None

    def recv_exact(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buffer)))
            if not chunk:
                raise _ConnectionClosedError
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def recv_until(self, marker: bytes, limit: int) -> bytes:
        while marker not in self.buffer:
            if len(self.buffer) > limit:
                raise _ConnectionClosedError
            chunk = self.sock.recv(4096)
            if not chunk:
                raise _ConnectionClosedError
            self.buffer += chunk
        head, _, self.buffer = self.buffer.partition(marker)
        return head

    def send_raw(self, data: bytes) -> None:
        with self.send_lock:
            self.sock.sendall(data)

    def shutdown(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)


class SocketModeStandIn:
    """Fake Slack Socket Mode server on 127.0.0.1 (plain ``ws://``, stdlib only).

    Each ``apps.connections.open`` answered through :meth:`install` hands out a fresh ticket
    (``t1``, ``t2``, ...). Envelopes go to the most recently opened live connection, as a real
    Slack server would use any of them. Everything is thread-safe.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        app_id: str = APP_ID,
        server_ping_interval: float | None = 0.2,
    ) -> None:
        """Create a stopped stand-in.

        ``server_ping_interval`` (seconds, ``None`` to disable) makes the server ping every
        open connection, like Slack does; besides realism this keeps the builtin client's
        ``close()`` from waiting out its 3-second socket timeout.
        """
        self._host = host
        self._app_id = app_id
        self._server_ping_interval = server_ping_interval
        self._cond = threading.Condition()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._conns: list[_Conn] = []
        self._handshakes: list[Handshake] = []
        self._messages: list[dict[str, Any]] = []
        self._sent: list[dict[str, Any]] = []
        self._pings: list[bytes] = []
        self._pongs: list[bytes] = []
        self._client_closes: list[tuple[int, str]] = []
        self._tickets = 0

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind to a free port and accept connections in a daemon thread; returns ``self``."""
        if self._listener is not None:
            return self
        self._stopping = threading.Event()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self._host, 0))
        listener.listen(16)
        listener.settimeout(0.05)
        self._listener = listener
        self._spawn(self._accept_loop, f"SocketModeStandIn:{self.port}:accept")
        if self._server_ping_interval:
            self._spawn(self._ping_loop, f"SocketModeStandIn:{self.port}:ping")
        return self

    def stop(self) -> None:
        """Stop accepting, sever every connection (no close frame) and join the threads."""
        listener = self._listener
        if listener is None:
            return
        self._stopping.set()
        with self._cond:
            conns = list(self._conns)
            self._cond.notify_all()
        for conn in conns:
            conn.shutdown()
        with self._cond:
            threads = [*self._threads, *(c.thread for c in conns if c.thread)]
        for thread in threads:
            thread.join(timeout=5)
        listener.close()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.sock.close()
        with self._cond:
            self._conns.clear()
            self._threads.clear()
        self._listener = None

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
        if self._listener is None:
            raise RuntimeError("SocketModeStandIn is not started")
        return int(self._listener.getsockname()[1])

    @property
    def ws_url(self) -> str:
        """``ws://127.0.0.1:<port>/link/?ticket=t1`` -- the URL for the first connection."""
        return self.url_for_ticket("t1")

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
        """Make ``slack_api`` answer ``apps.connections.open`` with ``{"ok": true, "url": ...}``.

        Every call gets a fresh ticket; the first is :attr:`ws_url`.
        """

        def respond(_call: Call) -> dict[str, Any]:
            return {"ok": True, "url": self.next_url()}

        slack_api.set_response("apps.connections.open", respond)

    # -- connection state ------------------------------------------------------------------

    def connections(self) -> list[Handshake]:
        """Every connection accepted so far (open or closed), oldest first."""
        with self._cond:
            return list(self._handshakes)

    @property
    def active_count(self) -> int:
        """Number of connections currently open."""
        with self._cond:
            return sum(1 for c in self._conns if c.open)

    def wait_connected(self, timeout: float = 5.0, count: int = 1) -> Handshake:
        """Block until ``count`` connections were accepted in total and one is open.

        Returns the newest open connection's :class:`Handshake`; AssertionError on timeout.
        """

        def live() -> list[_Conn]:
            return [c for c in self._conns if c.open and c.handshake]

        def newest() -> Handshake | None:
            open_now = live()
            return open_now[-1].handshake if len(self._handshakes) >= count and open_now else None

        return wait_until(
            self._cond,
            newest,
            timeout,
            lambda: (
                f"expected {count} Socket Mode connection(s) within {timeout}s; "
                f"accepted {len(self._handshakes)}, open {len(live())}"
            ),
        )

    def wait_disconnected(self, timeout: float = 5.0) -> None:
        """Block until no connection is open (the client closed or went away)."""
        self._wait(lambda: not any(c.open for c in self._conns), timeout, "all connections closed")

    # -- sending ---------------------------------------------------------------------------

    def send_json(self, message: dict[str, Any]) -> None:
        """Send ``message`` as a text frame on the newest open connection."""
        conn = self._current()
        data = json.dumps(message).encode("utf-8")
        with self._cond:
            self._sent.append(copy.deepcopy(message))
        conn.send_raw(encode_frame(OP_TEXT, data))

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
        message: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": type_,
            "accepts_response_payload": accepts_response_payload,
            **extra,
        }
        self.send_json(message)
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
        """Ask the client to reconnect, as Slack does before recycling a connection.

        Sends ``{"type": "disconnect", "reason": ...}``; the builtin client then calls
        ``apps.connections.open`` again and opens a new connection. The old connection is
        closed (close frame 1001) by the server once the new one is up, or by the client.
        """
        old = self._current()
        self.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": "stand-in"}})
        self._spawn(
            lambda: self._close_when_replaced(old), f"SocketModeStandIn:{self.port}:recycle"
        )

    def close_connection(self, code: int = 1001, reason: str = "going away") -> None:
        """Send a close frame on the newest open connection, then close it.

        The builtin client does *not* reconnect at once on a close frame: its monitor thread
        notices the dead connection within ``ping_interval`` seconds and reconnects then.
        """
        self._send_close(self._current(), code, reason)

    def drop(self) -> None:
        """Cut the newest open connection abruptly (no close frame), like a network failure."""
        conn = self._current()
        with self._cond:
            conn.open = False
            self._cond.notify_all()
        conn.shutdown()

    def ping(self, payload: bytes = b"stand-in") -> None:
        """Send a ping frame (non-empty payload, see the module notes) on the newest
        connection; the client's pong is recorded in :meth:`pongs`."""
        self._current().send_raw(encode_frame(OP_PING, payload))

    # -- recorded traffic ------------------------------------------------------------------

    def sent(self) -> list[dict[str, Any]]:
        """Every JSON message the server sent (hello, envelopes, disconnects), in order."""
        with self._cond:
            return copy.deepcopy(self._sent)

    def messages(self) -> list[dict[str, Any]]:
        """Every text message received from clients, JSON-decoded, in arrival order."""
        with self._cond:
            return copy.deepcopy(self._messages)

    def acks(self) -> list[dict[str, Any]]:
        """The received acknowledgements (messages carrying an ``envelope_id``)."""
        return [m for m in self.messages() if "envelope_id" in m]

    def pings(self) -> list[bytes]:
        """Payloads of the pings clients sent (each was answered with a pong)."""
        with self._cond:
            return list(self._pings)

    def pongs(self) -> list[bytes]:
        """Payloads of the pongs clients sent in answer to the server's pings."""
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
            self._messages.clear()
            self._sent.clear()
            self._pings.clear()
            self._pongs.clear()
            self._client_closes.clear()

    # -- internals -------------------------------------------------------------------------

    def _spawn(self, target: Any, name: str) -> threading.Thread:
        thread = threading.Thread(target=target, name=name, daemon=True)
        with self._cond:
            self._threads.append(thread)
        thread.start()
        return thread

    def _wait(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        def failure() -> str:
            got = [m.get("envelope_id", m.get("type")) for m in self._messages]
            return f"expected {what} within {timeout}s; messages received: {got!r}"

        wait_until(self._cond, lambda: True if predicate() else None, timeout, failure)

    def _current(self) -> _Conn:
        with self._cond:
            for conn in reversed(self._conns):
                if conn.open:
                    return conn
        raise AssertionError("no open Socket Mode connection (did the client connect?)")

    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
        while not self._stopping.is_set():
            try:
                sock, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._cond:
                conn = _Conn(sock, len(self._conns) + 1)
                self._conns.append(conn)
            conn.thread = threading.Thread(
                target=self._serve, args=(conn,), name=f"SocketModeStandIn:conn{conn.index}"
            )
            conn.thread.daemon = True
            conn.thread.start()

    def _ping_loop(self) -> None:
        interval = float(self._server_ping_interval or 0)
        while not self._stopping.wait(interval):
            with self._cond:
                live = [c for c in self._conns if c.open]
            for conn in live:
                with contextlib.suppress(OSError):
                    conn.send_raw(encode_frame(OP_PING, b"stand-in-keepalive"))

    def _close_when_replaced(self, old: _Conn) -> None:
        """After a ``disconnect`` message: close ``old`` once a newer connection is open."""
        deadline = time.monotonic() + 10
        with self._cond:
            while old.open and not self._stopping.is_set():
                if any(c.open and c.index > old.index for c in self._conns):
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(min(remaining, 0.1))
            still_open = old.open
        if still_open:
            self._send_close(old, 1001, "connection recycled")

    def _send_close(self, conn: _Conn, code: int, reason: str) -> None:
        with self._cond:
            if conn.close_sent:
                return
            conn.close_sent = True
            conn.open = False
            self._cond.notify_all()
        with contextlib.suppress(OSError):
            conn.send_raw(encode_frame(OP_CLOSE, struct.pack("!H", code) + reason.encode()))
            conn.sock.shutdown(socket.SHUT_WR)

    def _serve(self, conn: _Conn) -> None:
        try:
            if self._handshake(conn):
                self._read_frames(conn)
        except (_ConnectionClosedError, OSError):
            pass
        except Exception:  # pragma: no cover - a bug in the stand-in, made loud
            log.exception("SocketModeStandIn connection %d failed", conn.index)
        finally:
            with self._cond:
                conn.open = False
                self._cond.notify_all()
            conn.shutdown()
            with contextlib.suppress(OSError):
                conn.sock.close()

    def _handshake(self, conn: _Conn) -> bool:
        raw = conn.recv_until(b"\r\n\r\n", MAX_HANDSHAKE_BYTES).decode("latin-1")
        request_line, *header_lines = raw.split("\r\n")
        headers: dict[str, str] = {}
        for line in header_lines:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        parts = request_line.split(" ")
        key = headers.get("sec-websocket-key", "")
        if (
            len(parts) != 3
            or parts[0] != "GET"
            or headers.get("upgrade", "").lower() != "websocket"
            or not key
        ):
            body = b"not a WebSocket upgrade"
            conn.send_raw(
                b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
                + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            return False
        path = parts[1]
        ticket = None
        if "?" in path:
            for pair in path.split("?", 1)[1].split("&"):
                name, _, value = pair.partition("=")
                if name == "ticket":
                    ticket = value
        conn.send_raw(
            (
                "HTTP/1.1 101 Switching Protocols\r\n"
                "Upgrade: websocket\r\n"
                "Connection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept_key(key)}\r\n\r\n"
            ).encode("ascii")
        )
        with self._cond:
            handshake = Handshake(
                index=conn.index,
                path=path,
                ticket=ticket,
                headers=headers,
                opened_at=time.time(),
            )
            conn.handshake = handshake
            self._handshakes.append(handshake)
            conn.open = True
            num = sum(1 for c in self._conns if c.open)
            hello = {
                "type": "hello",
                "num_connections": num,
                "debug_info": {
                    "host": "applink-stand-in",
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": self._app_id},
            }
            self._sent.append(copy.deepcopy(hello))
        conn.send_raw(encode_frame(OP_TEXT, json.dumps(hello).encode("utf-8")))
        with self._cond:
            self._cond.notify_all()
        return True

    def _read_frame(self, conn: _Conn) -> tuple[bool, int, bytes]:
        b1, b2 = conn.recv_exact(2)
        fin, opcode = bool(b1 & 0x80), b1 & 0x0F
        masked, length = bool(b2 & 0x80), b2 & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", conn.recv_exact(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", conn.recv_exact(8))
        if length > MAX_MESSAGE_BYTES:
            raise _ConnectionClosedError
        mask = conn.recv_exact(4) if masked else None
        data = conn.recv_exact(length)
        if mask is not None:
            data = apply_mask(data, mask)
        else:
            log.warning("SocketModeStandIn: unmasked client frame (RFC 6455 requires masking)")
        return fin, opcode, data

    def _read_frames(self, conn: _Conn) -> None:
        fragments: list[bytes] = []
        fragment_opcode = OP_TEXT
        while not self._stopping.is_set():
            fin, opcode, data = self._read_frame(conn)
            if opcode == OP_PING:
                with self._cond:
                    self._pings.append(data)
                if not conn.close_sent:
                    conn.send_raw(encode_frame(OP_PONG, data))
            elif opcode == OP_PONG:
                with self._cond:
                    if data != b"stand-in-keepalive":
                        self._pongs.append(data)
                    self._cond.notify_all()
            elif opcode == OP_CLOSE:
                code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
                with self._cond:
                    self._client_closes.append((code, data[2:].decode("utf-8", "replace")))
                    conn.open = False
                    self._cond.notify_all()
                if not conn.close_sent:
                    conn.close_sent = True
                    with contextlib.suppress(OSError):
                        conn.send_raw(encode_frame(OP_CLOSE, struct.pack("!H", code)))
                return
            elif opcode in (OP_TEXT, OP_BINARY, OP_CONTINUATION):
                if opcode != OP_CONTINUATION:
                    fragments, fragment_opcode = [], opcode
                fragments.append(data)
                if fin:
                    self._record(b"".join(fragments), fragment_opcode)
                    fragments = []

    def _record(self, data: bytes, opcode: int) -> None:
        text = data.decode("utf-8", "replace")
        try:
            message = json.loads(text)
        except ValueError:
            message = {"_raw": text}
        if not isinstance(message, dict):
            message = {"_json": message}
        if opcode == OP_BINARY:
            message = {"_binary": text}
        with self._cond:
            self._messages.append(message)
            self._cond.notify_all()
