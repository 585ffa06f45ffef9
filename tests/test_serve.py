"""`briefbot serve` as a real process: signed requests, stalled clients, SIGTERM, and two processes
sharing one database that must answer each Slack event exactly once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import _SETTING_VARS, make_settings, run_briefbot, settings_env
from slackkit import BOT_TOKEN, SIGNING_SECRET, SlackDriver, next_ts
from standins import OpenAIStandIn, SlackAPIStandIn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def api() -> Iterator[SlackAPIStandIn]:
    with SlackAPIStandIn() as server:
        yield server


def serve_env(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> dict[str, str]:
    env = settings_env(make_settings(database_url, tmp_path))
    env.update(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": api.url,
        }
    )
    return env


@contextmanager
def serving(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    base = {k: v for k, v in os.environ.items() if k not in _SETTING_VARS}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "briefbot"), "serve"],
        env={**base, **env, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(
                    f"serve exited early:\n{proc.stdout.read() if proc.stdout else ''}"
                )
            try:
                with urllib.request.urlopen(f"{root}/healthz", timeout=1) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("serve did not become healthy")
            time.sleep(0.1)
        yield proc, f"{root}/slack/events"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_missing_slack_secrets_are_named(database_url: str, tmp_path: Path) -> None:
    env = settings_env(make_settings(database_url, tmp_path))
    result = run_briefbot("serve", env=env)
    assert result.code == 2
    assert result.err.strip() == (
        "error: SLACK_BOT_TOKEN is not set; `briefbot serve` needs it to talk to Slack."
    )
    result = run_briefbot("serve", env={**env, "SLACK_BOT_TOKEN": BOT_TOKEN})
    assert "SLACK_SIGNING_SECRET is not set" in result.err


def test_http_server_answers_and_stops_on_sigterm(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    with serving(serve_env(database_url, tmp_path, api)) as (proc, url):
        slack = SlackDriver(url)
        response, ts = slack.mention("What does the memorandum commit the countries to?")
        assert response.status == 200
        post = api.wait_for("chat.postMessage", timeout=20)[0]
        assert post.params["thread_ts"] == ts
        unsigned = slack.post('{"type": "event_callback"}', "application/json", signed=False)
        assert unsigned.status == 401
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        assert time.monotonic() - started < 12
        output = proc.stdout.read() if proc.stdout else ""
        assert BOT_TOKEN not in output and SIGNING_SECRET not in output


def test_sigterm_tells_whoever_is_still_waiting_and_stops_in_time(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, llm: OpenAIStandIn
) -> None:
    llm.hang(seconds=120, times=None)  # every answer would take three 20 s timeouts
    env = serve_env(database_url, tmp_path, api)
    env.update(
        OPENAI_BASE_URL=llm.base_url,
        OPENAI_API_KEY="sk-test-0123456789",
        BRIEFBOT_MODEL="gpt-4o-mini",
        BRIEFBOT_LLM_TIMEOUT="20",
    )
    with serving(env) as (proc, url):
        _, ts = SlackDriver(url).mention("What does the memorandum commit the countries to?")
        llm.wait_for("chat", timeout=20)  # the answer is being written
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        assert time.monotonic() - started < 12
    told = api.wait_for("chat.postMessage", timeout=5)[0]
    assert told.params["thread_ts"] == ts
    assert "restarted before it finished answering; please try again" in told.params["text"]


def test_two_processes_answer_each_event_once(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    env = serve_env(database_url, tmp_path, api)
    with serving(env) as (_, first), serving(env) as (_, second):
        drivers = [SlackDriver(first), SlackDriver(second)]
        for n in range(5):
            ts = next_ts()
            event_id = f"EvTWO{n}"
            results: list[int] = []

            def deliver(
                driver: SlackDriver,
                retry: int | None,
                ts: str = ts,
                eid: str = event_id,
                out: list[int] = results,
            ) -> None:
                response, _ = driver.mention(
                    "Who criticised the deal?", ts=ts, event_id=eid, retry_num=retry
                )
                out.append(response.status)

            threads = [
                threading.Thread(target=deliver, args=(drivers[0], None)),
                threading.Thread(target=deliver, args=(drivers[1], None)),
                threading.Thread(target=deliver, args=(drivers[1], 1)),
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert results == [200, 200, 200]
        api.wait_for("chat.postMessage", count=5, timeout=30)
        time.sleep(1.5)  # give any duplicate time to show up
        posts = api.calls("chat.postMessage")
        assert len(posts) == 5
        assert len({p.params["thread_ts"] for p in posts}) == 5


# ---------------------------------------------------------------------------- stalled clients


#: How many stalled connections the server must shrug off (the issue's target).
STALLED = 100


def _stalled(port: int, kind: str) -> socket.socket:
    """A connection that stops halfway: after part of its body, part of its headers, or
    before sending anything."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if kind == "body":
        sock.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 5000\r\n\r\n{"type": "event_'
        )
    elif kind == "headers":
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slack-Sig")
    return sock


def _still_open(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        return sock.recv(65536) == b""  # or a 408/400 first: then the close follows
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_stalled_connections_keep_nobody_waiting(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """100 connections that stall (mid-body, mid-headers, or silent) are more than the
    request threads; /healthz and a signed mention are still answered while they stay
    open, and the server closes them once their time is up."""
    with serving(serve_env(database_url, tmp_path, api)) as (proc, url):
        port = int(url.split(":")[2].split("/")[0])
        stalled = [_stalled(port, ("body", "headers", "silent")[n % 3]) for n in range(STALLED)]
        try:
            with urllib.request.urlopen(url.replace("/slack/events", "/healthz"), timeout=5) as r:
                assert r.read() == b"ok"
            response, ts = SlackDriver(url).mention("What does the memorandum commit to?")
            assert response.status == 200
            assert api.wait_for("chat.postMessage", timeout=20)[0].params["thread_ts"] == ts
            assert all(_still_open(s) for s in stalled)  # it was answered while they waited
            # Idle for IDLE_SECONDS, or no whole request REQUEST_SECONDS after it began:
            # the server closes them itself (generous bound: 10 s limits, 1 s ticks).
            assert all(_closed_by_server(s, within=25) for s in stalled)
        finally:
            for s in stalled:
                s.close()
        assert proc.poll() is None


def test_a_trickle_of_header_bytes_is_cut_off(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """A client that sends a header byte every second is never idle, but a request that
    has not arrived whole within REQUEST_SECONDS is closed."""
    with serving(serve_env(database_url, tmp_path, api)) as (_, url):
        port = int(url.split(":")[2].split("/")[0])
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"POST /slack/events HTTP/1.1\r\n")
        closed = threading.Event()

        def trickle() -> None:
            for _ in range(40):
                try:
                    sock.sendall(b"X")
                except OSError:
                    closed.set()
                    return
                if closed.wait(1):
                    return

        sender = threading.Thread(target=trickle, daemon=True)
        sender.start()
        try:
            assert _closed_by_server(sock, within=30)
        finally:
            closed.set()
            sender.join()
            sock.close()


# ---------------------------------------------------------------------------- Slack's Web API


def test_acks_never_wait_on_a_web_api_that_hangs(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """Once the token is checked at start, every ack is independent of the Web API: with
    every Web API call hanging, mentions, DMs, slash commands and clicks are all acked
    (within the driver's 10 s timeout; the Web API client's is 15 s)."""
    with serving(serve_env(database_url, tmp_path, api)) as (proc, url):
        api.hang("*", seconds=60, times=None)
        slack = SlackDriver(url)
        statuses = [
            slack.mention("What does the memorandum commit to?")[0].status,
            slack.message("Who criticised the deal?", channel="D1", channel_type="im")[0].status,
            slack.command("/brief", "What does the memorandum say?", api.response_url()).status,
            slack.command("/quote", "non-binding", api.response_url()).status,
            slack.click("feedback_up", "nope", api.response_url()).status,
        ]
        assert statuses == [200] * 5
        api.wait_for("chat.postMessage", timeout=20)  # the answer path did reach the API
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    assert [c.method for c in api.calls()].count("auth.test") == 1  # once, at start


@pytest.mark.parametrize(
    ("fault", "code", "message"),
    [
        ("invalid_auth", 2, "error: SLACK_BOT_TOKEN was refused by Slack (invalid_auth); copy"),
        ("down", 1, "error: Cannot reach Slack's Web API at http://127.0.0.1:"),
    ],
)
def test_the_token_is_checked_at_start(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, fault: str, code: int, message: str
) -> None:
    env = serve_env(database_url, tmp_path, api)
    if fault == "down":
        env["SLACK_API_URL"] = f"http://127.0.0.1:{free_port()}/api/"
    else:
        api.error("auth.test", fault, times=None)
    result = run_briefbot("serve", env={**env, "PORT": str(free_port())}, timeout=60)
    assert result.code == code, result.err
    assert result.err.startswith(message) and result.err.count("\n") == 1, result.err


def test_a_port_in_use_is_one_line(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**serve_env(database_url, tmp_path, api), "PORT": str(port)}
        result = run_briefbot("serve", env=env, timeout=60)
    assert result.code == 2
    assert result.err == f"error: cannot listen on port {port}: it is in use (set PORT or --port)\n"


# ---------------------------------------------------------------------------- malformed requests

MALFORMED = [
    ('{"type": "event_callback", "event": {"type": "app_me', "application/json"),
    ("[1]", "application/json"),
    ("null", "application/json"),
    ('"text"', "application/json"),
    ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
    ("payload=%5B1%5D", "application/x-www-form-urlencoded"),
    ("payload=null", "application/x-www-form-urlencoded"),
]


def _post_signed_bytes(url: str, body: bytes) -> urllib.response.addinfourl | Any:
    import hashlib
    import hmac
    import urllib.error

    ts = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256)
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": f"v0={digest.hexdigest()}",
        },
    )
    try:
        return urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as exc:
        return exc


def test_malformed_requests_are_refused_in_one_line(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """Unsigned or badly signed: 401. Signed but malformed: 400. Each with one short log
    line, never a traceback, and never gunicorn's HTML page."""
    with serving(serve_env(database_url, tmp_path, api)) as (proc, url):
        slack = SlackDriver(url)
        for body, kind in MALFORMED:
            assert slack.post(body, kind, signed=False).status == 401
            assert slack.post(body, kind, secret="not-the-secret").status == 401
            assert slack.post(body, kind).status == 400, body
        for timestamp in ("soon", "-1", "1e3", "²³", "9" * 40):
            headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=ab"}
            assert slack.post("{}", "application/json", headers=headers, signed=False).status == 401
        assert _post_signed_bytes(url, b'{"type": "\xff"}').status == 400  # not UTF-8
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        output = proc.stdout.read() if proc.stdout else ""
    refused = [line for line in output.splitlines() if "refused" in line]
    assert len(refused) == 3 * len(MALFORMED) + 5 + 1, output
    assert "Traceback" not in output and "<html" not in output.lower()


# ---------------------------------------------------------------------------- SIGTERM


def test_sigterm_ends_well_inside_10_seconds_whatever_hangs(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """Stalled clients, answers in flight against a Web API that hangs (so the apologies
    hang too): the process still ends, with status 0, well inside 10 seconds."""
    with serving(serve_env(database_url, tmp_path, api)) as (proc, url):
        port = int(url.split(":")[2].split("/")[0])
        api.hang("*", seconds=60, times=None)
        slack = SlackDriver(url)
        for n in range(3):
            assert slack.mention(f"What does the memorandum commit to? ({n})")[0].status == 200
        api.wait_for("chat.postMessage", timeout=20)  # an answer is stuck posting
        stalled = [_stalled(port, ("body", "headers", "silent")[n % 3]) for n in range(30)]
        try:
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0
            assert time.monotonic() - started < 9.5
        finally:
            for s in stalled:
                s.close()
