"""Proof that :class:`standins.socket_mode.SocketModeStandIn` works with the *real* clients.

A real ``slack_bolt.App`` on a real ``slack_sdk.WebClient`` (aimed at the Web API stand-in) is
connected through Bolt's builtin ``SocketModeHandler``: the handler calls
``apps.connections.open`` on the Web API stand-in, opens a WebSocket to the Socket Mode
stand-in and receives envelopes from it. Nothing is mocked on the client side.

The builtin client's own ``close()`` takes up to ~1 s: its message processor polls a queue
with a 1-second timeout and sees the close only then. :func:`close` wakes it instead, so a
handler closes at once; most tests still share one module-scoped handler, and only the
tests that break or close the connection build their own.
"""

from __future__ import annotations

import json
import queue
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from websockets.sync import client as ws_client

from standins.slack_api import SlackAPIStandIn
from standins.socket_mode import SocketModeStandIn

BOT_TOKEN = "xoxb-test"
APP_TOKEN = "xapp-test"
PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")


# --------------------------------------------------------------------------------------------
# the app under test
# --------------------------------------------------------------------------------------------


@dataclass
class Seen:
    """What the Bolt listeners observed (filled from Bolt's worker threads)."""

    events: queue.Queue[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=queue.Queue)
    commands: queue.Queue[tuple[dict[str, Any], dict[str, Any]]] = field(
        default_factory=queue.Queue
    )
    actions: queue.Queue[dict[str, Any]] = field(default_factory=queue.Queue)

    def clear(self) -> None:
        for q in (self.events, self.commands, self.actions):
            while not q.empty():
                q.get_nowait()


def take(q: queue.Queue[Any], timeout: float = 5.0) -> Any:
    """The next item of ``q``; AssertionError if none arrives within ``timeout`` seconds."""
    try:
        return q.get(timeout=timeout)
    except queue.Empty:
        raise AssertionError(f"listener did not run within {timeout}s") from None


def build_app(slack: SlackAPIStandIn, seen: Seen) -> App:
    """A Bolt app like briefbot's: a mention handler that replies, and a /brief command."""
    app = App(
        client=WebClient(token=BOT_TOKEN, base_url=slack.url, timeout=2),
        token_verification_enabled=False,
    )

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], client: WebClient, request: Any) -> None:
        seen.events.put((event, dict(request.headers)))
        client.chat_postMessage(
            channel=event["channel"],
            thread_ts=event["ts"],
            text=f"On it, <@{event['user']}>.",
        )

    @app.command("/brief")
    def on_brief(ack: Any, command: dict[str, Any], request: Any) -> None:
        ack(f"Briefing on: {command['text']}")
        seen.commands.put((command, dict(request.headers)))

    @app.action("refresh_brief")
    def on_refresh(ack: Any, body: dict[str, Any]) -> None:
        ack()
        seen.actions.put(body)

    return app


def mention_body(text: str = "<@UBOT> brief me", ts: str = "1700000000.000100") -> dict[str, Any]:
    """A full Events API body for an ``app_mention``, shaped like Slack's."""
    return {
        "token": "unused-verification-token",
        "team_id": "T1",
        "api_app_id": "A1",
        "event": {
            "type": "app_mention",
            "user": "U1",
            "text": text,
            "ts": ts,
            "channel": "C1",
            "event_ts": ts,
        },
        "type": "event_callback",
        "event_id": "Ev" + ts.replace(".", ""),
        "event_time": 1_700_000_000,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": "T1",
                "user_id": "UBOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
    }


def command_body(slack: SlackAPIStandIn, text: str) -> dict[str, Any]:
    """A ``/brief`` slash-command payload as Socket Mode delivers it (a JSON object)."""
    return {
        "token": "unused-verification-token",
        "team_id": "T1",
        "team_domain": "briefbot-test",
        "channel_id": "C1",
        "channel_name": "general",
        "user_id": "U1",
        "user_name": "alice",
        "command": "/brief",
        "text": text,
        "api_app_id": "A1",
        "is_enterprise_install": "false",
        "response_url": slack.response_url("brief"),
        "trigger_id": "1700000000.1.abc",
    }


def block_action_body(slack: SlackAPIStandIn) -> dict[str, Any]:
    """A ``block_actions`` payload for the ``refresh_brief`` button."""
    return {
        "type": "block_actions",
        "user": {"id": "U1", "username": "alice", "team_id": "T1"},
        "api_app_id": "A1",
        "token": "unused-verification-token",
        "container": {"type": "message", "message_ts": "1700000000.000200", "channel_id": "C1"},
        "trigger_id": "1700000000.2.def",
        "team": {"id": "T1", "domain": "briefbot-test"},
        "channel": {"id": "C1", "name": "general"},
        "response_url": slack.response_url("action"),
        "actions": [
            {
                "action_id": "refresh_brief",
                "block_id": "b1",
                "type": "button",
                "value": "story-1",
                "action_ts": "1700000000.3",
            }
        ],
    }


# --------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------


def close(handler: SocketModeHandler) -> None:
    """``handler.close()``, without waiting out the client's message processor: it blocks
    on its queue for up to a second and checks ``closed`` in between, so mark the client
    closed and wake the processor with an empty message (which it skips) first."""
    handler.client.closed = True
    handler.client.message_queue.put(None)
    handler.close()


@dataclass
class Rig:
    """The two stand-ins, the app's listener observations and a connected handler."""

    slack: SlackAPIStandIn
    sm: SocketModeStandIn
    seen: Seen
    handler: SocketModeHandler


@pytest.fixture(scope="module")
def shared_rig() -> Iterator[Rig]:
    """One connected handler for the read-only tests (closing a handler costs up to ~1 s)."""
    with pytest.MonkeyPatch.context() as mp:
        for name in PROXY_VARS:  # a proxy would make the client tunnel with TLS
            mp.delenv(name, raising=False)
        with SlackAPIStandIn() as slack, SocketModeStandIn() as sm:
            sm.install(slack)
            seen = Seen()
            handler = SocketModeHandler(build_app(slack, seen), app_token=APP_TOKEN)
            handler.connect()
            try:
                sm.wait_reading()
                yield Rig(slack, sm, seen, handler)
            finally:
                close(handler)


@pytest.fixture
def rig(shared_rig: Rig) -> Rig:
    """The shared rig with recorded traffic forgotten (the connection stays up)."""
    shared_rig.slack.clear()
    shared_rig.sm.clear()
    shared_rig.seen.clear()
    return shared_rig


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlackAPIStandIn]:
    """A Web API stand-in of this test's own (no proxy variables in the environment)."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    with SlackAPIStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def sm(slack: SlackAPIStandIn) -> Iterator[SocketModeStandIn]:
    """A Socket Mode stand-in of this test's own, installed on ``slack``."""
    with SocketModeStandIn() as stand_in:
        stand_in.install(slack)
        yield stand_in


@pytest.fixture
def connect(
    slack: SlackAPIStandIn, sm: SocketModeStandIn
) -> Iterator[Callable[..., tuple[SocketModeHandler, Seen]]]:
    """Factory: a freshly connected handler (closed at teardown if the test did not)."""
    handlers: list[SocketModeHandler] = []

    def make(**handler_kwargs: Any) -> tuple[SocketModeHandler, Seen]:
        seen = Seen()
        handler = SocketModeHandler(build_app(slack, seen), app_token=APP_TOKEN, **handler_kwargs)
        handlers.append(handler)
        handler.connect()
        sm.wait_reading()
        return handler, seen

    yield make
    for handler in handlers:
        if not handler.client.closed:
            close(handler)


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.01)


# --------------------------------------------------------------------------------------------
# connection
# --------------------------------------------------------------------------------------------


def test_handler_connects_via_apps_connections_open(rig: Rig) -> None:
    handshake = rig.sm.connections()[0]
    assert handshake.path == "/link/?ticket=t1"
    assert handshake.ticket == "t1"
    assert handshake.headers["upgrade"] == "websocket"
    assert handshake.headers["sec-websocket-version"] == "13"
    assert rig.sm.active_count == 1
    assert rig.handler.client.is_connected()


def test_hello_and_ping_pong(slack: SlackAPIStandIn, sm: SocketModeStandIn, connect: Any) -> None:
    handler, _ = connect()
    assert slack.last("apps.connections.open").token == APP_TOKEN
    assert handler.client.is_connected()

    hello = sm.sent()[0]
    assert hello["type"] == "hello"
    assert hello["num_connections"] == 1
    assert hello["connection_info"] == {"app_id": "A1"}
    assert set(hello["debug_info"]) >= {"host", "build_number", "approximate_connection_time"}

    # The builtin client pings right after the handshake ("<session id>:<unix time>"); the
    # stand-in pongs; and the client answers the stand-in's pings.
    wait_until(lambda: bool(sm.pings()), 2, "a ping from the client")
    assert re.fullmatch(rb"[0-9a-f-]{36}:\d+\.\d+", sm.pings()[0])
    session = handler.client.current_session  # the client noted our pong to its ping
    wait_until(lambda: session.last_ping_pong_time is not None, 2, "the client to see a pong")
    sm.ping(b"are-you-there")
    assert b"are-you-there" in sm.wait_for_pong()


# --------------------------------------------------------------------------------------------
# envelopes
# --------------------------------------------------------------------------------------------


def test_app_mention_runs_listener_acks_and_posts(rig: Rig) -> None:
    envelope_id = rig.sm.send_event(mention_body(ts="1700000000.000100"))

    sent = rig.sm.sent()[-1]
    assert sent == {
        "envelope_id": envelope_id,
        "payload": mention_body(ts="1700000000.000100"),
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
    }
    # Events are acked with the envelope id alone (no payload).
    assert rig.sm.wait_for_ack(envelope_id) == {"envelope_id": envelope_id}

    event, _headers = take(rig.seen.events)
    assert event["type"] == "app_mention"
    assert event["text"] == "<@UBOT> brief me"

    (post,) = rig.slack.wait_for("chat.postMessage")
    assert post.token == BOT_TOKEN
    assert post.params["channel"] == "C1"
    assert post.params["thread_ts"] == "1700000000.000100"
    assert post.params["text"] == "On it, <@U1>."


def test_slash_command_ack_carries_text(rig: Rig) -> None:
    envelope_id = rig.sm.send_command(command_body(rig.slack, "the migration story"))

    sent = rig.sm.sent()[-1]
    assert sent["type"] == "slash_commands"
    assert sent["accepts_response_payload"] is True
    assert "retry_attempt" not in sent

    ack = rig.sm.wait_for_ack(envelope_id)
    assert ack == {
        "envelope_id": envelope_id,
        "payload": {"text": "Briefing on: the migration story"},
    }
    command, headers = take(rig.seen.commands)
    assert command["command"] == "/brief"
    # No retry fields in the envelope => Bolt's socket mode adapter passes no headers at all.
    assert headers == {}


def test_large_messages_both_directions(rig: Rig) -> None:
    # ~300 KB each way: a 64-bit-length frame to the client, and a masked 64-bit-length
    # frame (the ack echoing the text) back from it.
    text = "".join(f"word{i} " for i in range(45_000))
    assert len(text) > 300_000
    envelope_id = rig.sm.send_command(command_body(rig.slack, text))
    ack = rig.sm.wait_for_ack(envelope_id)
    assert ack["payload"]["text"] == f"Briefing on: {text}"
    command, _ = take(rig.seen.commands)
    assert command["text"] == text


def test_retry_headers_reach_bolt(rig: Rig) -> None:
    # slack_bolt 1.30 (adapter/socket_mode/internals.build_headers) mirrors the envelope's
    # retry fields as HTTP-mode headers whenever they are present -- so a first delivery,
    # which Slack sends with retry_attempt 0 and retry_reason "", gets them too.
    first = rig.sm.send_event(mention_body(ts="1700000000.000300"))
    rig.sm.wait_for_ack(first)
    _, headers = take(rig.seen.events)
    assert headers == {"x-slack-retry-num": ["0"], "x-slack-retry-reason": [""]}

    retried = rig.sm.send_event(
        mention_body(ts="1700000000.000300"), retry_attempt=1, retry_reason="timeout"
    )
    assert rig.sm.sent()[-1]["retry_attempt"] == 1
    rig.sm.wait_for_ack(retried)
    event, headers = take(rig.seen.events)
    assert event["ts"] == "1700000000.000300"
    assert headers["x-slack-retry-num"] == ["1"]
    assert headers["x-slack-retry-reason"] == ["timeout"]


def test_block_action_is_acked_without_payload(rig: Rig) -> None:
    envelope_id = rig.sm.send_interactive(block_action_body(rig.slack))
    sent = rig.sm.sent()[-1]
    assert sent["type"] == "interactive"
    assert sent["accepts_response_payload"] is False
    assert rig.sm.wait_for_ack(envelope_id) == {"envelope_id": envelope_id}
    body = take(rig.seen.actions)
    assert body["actions"][0]["value"] == "story-1"


def test_unacked_envelope_times_out_loudly(rig: Rig) -> None:
    with pytest.raises(AssertionError, match="never-sent"):
        rig.sm.wait_for_ack("never-sent", timeout=0.01)


# --------------------------------------------------------------------------------------------
# reconnection and shutdown
# --------------------------------------------------------------------------------------------


def test_disconnect_message_makes_client_reconnect(
    slack: SlackAPIStandIn, sm: SocketModeStandIn, connect: Any
) -> None:
    _, seen = connect()
    sm.disconnect()

    newest = sm.wait_connected(count=2)
    assert newest.ticket == "t2"
    assert len(slack.calls("apps.connections.open")) == 2
    assert sm.sent()[-1]["type"] == "hello"
    assert sm.sent()[-2] == {
        "type": "disconnect",
        "reason": "refresh_requested",
        "debug_info": {"host": "stand-in"},
    }
    wait_until(lambda: sm.active_count == 1, 3, "the old connection to close")

    envelope_id = sm.send_event(mention_body(ts="1700000000.000400"))
    assert sm.wait_for_ack(envelope_id) == {"envelope_id": envelope_id}
    event, _ = take(seen.events)
    assert event["ts"] == "1700000000.000400"


def test_close_frame_reconnects_on_next_monitor_tick(
    slack: SlackAPIStandIn, sm: SocketModeStandIn, connect: Any
) -> None:
    # After a close frame the builtin client only reconnects from its monitor thread, which
    # runs every ping_interval seconds (Bolt's default is 10), hence the short interval.
    connect(ping_interval=0.3)
    sm.close_connection(code=1001, reason="going away")

    assert sm.wait_connected(count=2, timeout=3).ticket == "t2"
    assert sm.client_closes() == []  # the builtin client never echoes a close frame
    envelope_id = sm.send_event(mention_body(ts="1700000000.000500"))
    assert sm.wait_for_ack(envelope_id) == {"envelope_id": envelope_id}


def test_handler_close_ends_the_connection_promptly(sm: SocketModeStandIn, connect: Any) -> None:
    """The client's reader holds a lock while blocked in ``recv`` (3-second timeout) and
    ``close()`` needs it: the stand-in's keep-alive pings wake the reader, so the close
    does not wait out that timeout (the join's bound only turns such a wait into a
    failure; :func:`close` spares the message processor's own one-second poll)."""
    handler, _ = connect()
    closing = threading.Thread(target=close, args=(handler,), daemon=True)
    closing.start()
    closing.join(timeout=2)
    assert not closing.is_alive(), "handler.close() waited on the reader's recv timeout"
    sm.wait_disconnected(timeout=2)
    assert not handler.client.is_connected()


# --------------------------------------------------------------------------------------------
# another WebSocket client (the websockets library's)
# --------------------------------------------------------------------------------------------


def test_fragments_and_the_close_handshake(sm: SocketModeStandIn) -> None:
    with ws_client.connect(sm.url_for_ticket("raw"), compression=None) as ws:
        assert json.loads(ws.recv(timeout=2))["type"] == "hello"
        assert sm.wait_connected().ticket == "raw"
        message = json.dumps({"envelope_id": "e-raw", "payload": {"text": "x" * 70_000}})
        ws.send([message[:100], message[100:]])  # one message in two frames
        assert sm.wait_for_ack("e-raw")["payload"]["text"] == "x" * 70_000
        ws.close(1000, "bye")
        assert ws.close_code == 1000  # the server answered the close frame
    sm.wait_disconnected()  # the server answers before it records: wait for its end
    assert sm.client_closes() == [(1000, "bye")]


def test_non_websocket_request_is_refused(sm: SocketModeStandIn) -> None:
    with socket.create_connection(("127.0.0.1", sm.port), timeout=2) as sock:
        sock.sendall(b"GET /link/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 400 ")
    assert sm.connections() == []
