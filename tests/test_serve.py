"""`briefbot serve` as a real process: signed requests, stalled clients, SIGTERM, and two processes
sharing one database that must answer each Slack event exactly once.

No test measures how long anything took. Where a limit matters, the test sets it small
(``BRIEFBOT_WEB_TIMEOUT``, ``BRIEFBOT_STOP_GRACE``) and checks what happens when it runs
out; a client timeout or ``wait(timeout=...)`` only turns a hang into a failure."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.slack.server import (
    ANSWER_GRACE_SECONDS,
    STOP_SECONDS,
    WEB_TIMEOUT_SECONDS,
    answer_grace,
    stop_seconds,
)
from conftest import _SETTING_VARS, make_settings, run_briefbot, settings_env
from slackkit import BOT_TOKEN, SIGNING_SECRET, SlackDriver, next_ts
from standins import OpenAIStandIn, SlackAPIStandIn

#: Short limits for the tests that wait for one to run out (the defaults are 10 s and 5 s).
#: The stalled connections must outlast a /healthz, a mention and its answer: 2 s.
SHORT_WEB_TIMEOUT = 2
SHORT_GRACE = 0.1
#: What platforms usually allow between SIGTERM and SIGKILL: a stop that takes longer
#: fails the test (a stop that waited on a hang would take 15 s or more).
PLATFORM_LIMIT = 10
QUESTION = "What does the memorandum commit the countries to?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def api() -> Iterator[SlackAPIStandIn]:
    with SlackAPIStandIn() as server:
        yield server


def serve_env(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> dict[str, str]:
    """The environment for ``serve`` on a database already holding the bundled corpus
    (filled here, where the tokenizer is loaded already, not by each process at start)."""
    settings = make_settings(database_url, tmp_path)
    Briefing.open(settings).close()
    env = settings_env(settings)
    env.update(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": api.url,
        }
    )
    return env


@dataclass
class Served:
    """A running ``briefbot serve``; its output is read as it comes, line by line."""

    proc: subprocess.Popen[str]
    port: int
    lines: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    reader: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Where Slack posts events."""
        return f"http://127.0.0.1:{self.port}/slack/events"

    @property
    def output(self) -> str:
        with self.changed:
            return "".join(self.lines)

    def read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.lines.append("")  # the end of the output
            self.changed.notify_all()

    def stop(self, timeout: float = PLATFORM_LIMIT) -> int:
        """SIGTERM; the exit status (a stop that takes over ``timeout`` s fails the test).
        Afterwards :attr:`output` is complete."""
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=timeout)
        if self.reader is not None:
            self.reader.join(timeout=10)
        return code


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:
            return bool(r.read() == b"ok")
    except OSError:
        return False


def start_serve(env: dict[str, str]) -> Served:
    """Start ``briefbot serve`` on a free port (not yet listening: see :func:`serving`)."""
    port = free_port()
    base = {k: v for k, v in os.environ.items() if k not in _SETTING_VARS}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "briefbot"), "serve"],
        env={**base, **env, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(proc, port)
    served.reader = threading.Thread(target=served.read, daemon=True)
    served.reader.start()
    return served


def wait_healthy(served: Served) -> None:
    deadline = time.monotonic() + 60
    while not _healthy(served.port):
        if served.proc.poll() is not None:
            if served.reader is not None:
                served.reader.join(timeout=10)
            raise AssertionError(f"serve exited early:\n{served.output}")
        if time.monotonic() > deadline:
            raise AssertionError(f"serve did not become healthy:\n{served.output}")
        time.sleep(0.01)


@contextmanager
def serving_all(env: dict[str, str], count: int) -> Iterator[list[Served]]:
    """``count`` processes of ``briefbot serve``, started at once, each on a free port,
    once they all listen and answer /healthz; killed at the end if still running."""
    started = [start_serve(env) for _ in range(count)]
    try:
        for served in started:
            wait_healthy(served)
        yield started
    finally:
        for served in started:
            if served.proc.poll() is None:
                served.proc.kill()
                served.proc.wait()


@contextmanager
def serving(env: dict[str, str]) -> Iterator[Served]:
    """``briefbot serve`` on a free port, once it listens and answers /healthz."""
    with serving_all(env, 1) as (served,):
        yield served


@pytest.mark.slow
def test_missing_slack_secrets_are_named(database_url: str, tmp_path: Path) -> None:
    env = settings_env(make_settings(database_url, tmp_path))
    result = run_briefbot("serve", env=env)
    assert result.code == 2
    assert result.err.strip() == (
        "error: SLACK_BOT_TOKEN is not set; `briefbot serve` needs it to talk to Slack."
    )
    result = run_briefbot("serve", env={**env, "SLACK_BOT_TOKEN": BOT_TOKEN})
    assert "SLACK_SIGNING_SECRET is not set" in result.err


@pytest.mark.slow
def test_http_server_answers_and_stops_on_sigterm(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    with serving(serve_env(database_url, tmp_path, api)) as served:
        slack = SlackDriver(served.url)
        response, ts = slack.mention("What does the memorandum commit the countries to?")
        assert response.status == 200
        post = api.wait_for("chat.postMessage", timeout=20)[0]
        assert post.params["thread_ts"] == ts
        unsigned = slack.post('{"type": "event_callback"}', "application/json", signed=False)
        assert unsigned.status == 401
        assert served.stop() == 0
        output = served.output
        assert "shutting down before" not in output, output  # no answer was cut short
        assert BOT_TOKEN not in output and SIGNING_SECRET not in output


def test_the_default_stop_ends_inside_10_seconds() -> None:
    """The watchdog's limit with the default grace, and the grace a setting gives."""
    assert STOP_SECONDS == stop_seconds(ANSWER_GRACE_SECONDS) < PLATFORM_LIMIT
    assert answer_grace(Settings.isolated()) == ANSWER_GRACE_SECONDS == 5
    assert answer_grace(Settings.isolated(stop_grace=SHORT_GRACE)) == SHORT_GRACE
    assert stop_seconds(SHORT_GRACE) < STOP_SECONDS
    assert Settings.isolated().web_timeout == WEB_TIMEOUT_SECONDS == 10


@pytest.mark.slow
def test_sigterm_tells_whoever_is_still_waiting_and_stops_in_time(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, llm: OpenAIStandIn
) -> None:
    """The answer in hand gets the grace, then its asker is told and the process ends,
    without waiting for the LLM call (which would take three 20 s timeouts). The question
    is in the conversation log under the id the apology shows, the apology its answer."""
    llm.hang(seconds=120, times=None)
    env = serve_env(database_url, tmp_path, api)
    env.update(
        OPENAI_BASE_URL=llm.base_url,
        OPENAI_API_KEY="sk-test-0123456789",
        BRIEFBOT_MODEL="gpt-4o-mini",
        BRIEFBOT_LLM_TIMEOUT="20",
        BRIEFBOT_STOP_GRACE=str(SHORT_GRACE),
    )
    with serving(env) as served:
        _, ts = SlackDriver(served.url).mention(QUESTION)
        llm.wait_for("chat", timeout=20)  # the answer is being written
        assert served.stop() == 0
        assert served.output.count("shutting down before answering was done") == 1
    told = api.wait_for("chat.postMessage", timeout=5)[0]
    assert told.params["thread_ts"] == ts
    assert "restarted before it finished answering; please try again" in told.params["text"]
    log_id = re.search(r"The log id is ([0-9a-f]{12})", told.params["text"])
    assert log_id, told.params["text"]
    with Briefing.open(make_settings(database_url, tmp_path)) as briefing:
        row = briefing.log.get(log_id.group(1))
    assert row is not None, "the question cut off is not in the conversation log"
    assert (row.question, row.surface) == (QUESTION, "slack_mention")
    assert (row.answer, row.mode) == (told.params["text"], "interrupted")
    assert row.latency_ms is not None and row.error and row.error.startswith("interrupted")


@pytest.mark.slow
def test_two_processes_answer_each_event_once(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    env = serve_env(database_url, tmp_path, api)
    with serving_all(env, 2) as (first, second):
        drivers = [SlackDriver(first.url), SlackDriver(second.url)]
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
        # A SIGTERM lets every job in hand finish (or tells its asker, which would log),
        # so once both processes have ended, every post either would make has been made.
        for served in (first, second):
            assert served.stop() == 0
            assert "shutting down before" not in served.output, served.output
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


def short_web_timeout(env: dict[str, str], seconds: int = SHORT_WEB_TIMEOUT) -> dict[str, str]:
    return {**env, "BRIEFBOT_WEB_TIMEOUT": str(seconds)}


@pytest.mark.slow
def test_stalled_connections_keep_nobody_waiting(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """100 connections that stall (mid-body, mid-headers, or silent) are more than the
    request threads; /healthz and a signed mention are still answered while they stay
    open, and the server closes them once their time (BRIEFBOT_WEB_TIMEOUT) is up."""
    with serving(short_web_timeout(serve_env(database_url, tmp_path, api))) as served:
        stalled = [
            _stalled(served.port, ("body", "headers", "silent")[n % 3]) for n in range(STALLED)
        ]
        try:
            health = served.url.replace("/slack/events", "/healthz")
            with urllib.request.urlopen(health, timeout=5) as r:
                assert r.read() == b"ok"
            response, ts = SlackDriver(served.url).mention("What does the memorandum commit to?")
            assert response.status == 200
            assert all(_still_open(s) for s in stalled)  # it was answered while they waited
            assert api.wait_for("chat.postMessage", timeout=20)[0].params["thread_ts"] == ts
            # Idle for the timeout, or no whole request that long after it began: the
            # server closes them itself (the bound only turns a hang into a failure).
            assert all(_closed_by_server(s, within=25) for s in stalled)
        finally:
            for s in stalled:
                s.close()
        assert served.proc.poll() is None


@pytest.mark.slow
def test_a_trickle_of_header_bytes_is_cut_off(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """A client that sends a header byte every tenth of a second is never idle, but a
    request that has not arrived whole within BRIEFBOT_WEB_TIMEOUT is closed."""
    # The trickle's gaps (0.1 s) are a tenth of the timeout: only the request limit applies.
    with serving(short_web_timeout(serve_env(database_url, tmp_path, api), 1)) as served:
        sock = socket.create_connection(("127.0.0.1", served.port), timeout=5)
        sock.sendall(b"POST /slack/events HTTP/1.1\r\n")
        closed = threading.Event()

        def trickle() -> None:
            for _ in range(400):
                try:
                    sock.sendall(b"X")
                except OSError:
                    closed.set()
                    return
                if closed.wait(0.1):
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


@pytest.mark.slow
def test_acks_never_wait_on_a_web_api_that_hangs(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """Once the token is checked at start, every ack is independent of the Web API: with
    every Web API call hanging, mentions, DMs, slash commands and clicks are all acked
    (within the driver's 10 s timeout; the Web API client's is 15 s)."""
    env = {**serve_env(database_url, tmp_path, api), "BRIEFBOT_STOP_GRACE": str(SHORT_GRACE)}
    with serving(env) as served:
        api.hang("*", seconds=60, times=None)
        slack = SlackDriver(served.url)
        statuses = [
            slack.mention("What does the memorandum commit to?")[0].status,
            slack.message("Who criticised the deal?", channel="D1", channel_type="im")[0].status,
            slack.command("/brief", "What does the memorandum say?", api.response_url()).status,
            slack.command("/quote", "non-binding", api.response_url()).status,
            slack.click("feedback_up", "nope", api.response_url()).status,
        ]
        assert statuses == [200] * 5
        api.wait_for("chat.postMessage", timeout=20)  # the answer path did reach the API
        assert served.stop() == 0
    assert [c.method for c in api.calls()].count("auth.test") == 1  # once, at start


@pytest.mark.parametrize(
    ("fault", "code", "message"),
    [
        ("invalid_auth", 2, "error: SLACK_BOT_TOKEN was refused by Slack (invalid_auth); copy"),
        ("down", 1, "error: Cannot reach Slack's Web API at http://127.0.0.1:"),
        # Slack failing is no refusal of the token: an outage's exit, and said so
        ("outage", 1, "error: Slack's Web API at http://127.0.0.1:"),
    ],
)
@pytest.mark.slow
def test_the_token_is_checked_at_start(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, fault: str, code: int, message: str
) -> None:
    env = serve_env(database_url, tmp_path, api)
    if fault == "down":
        env["SLACK_API_URL"] = f"http://127.0.0.1:{free_port()}/api/"
    elif fault == "outage":
        api.fail("auth.test", status=503, times=None)
    else:
        api.error("auth.test", fault, times=None)
    result = run_briefbot("serve", env={**env, "PORT": str(free_port())}, timeout=60)
    assert result.code == code, result.err
    assert result.err.startswith(message) and result.err.count("\n") == 1, result.err


@pytest.mark.slow
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
    ('payload={"type":"block_actions","actions":[]}', "application/x-www-form-urlencoded"),
    ('payload={"type":"block_actions","actions":{}}', "application/x-www-form-urlencoded"),
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


@pytest.mark.slow
def test_malformed_requests_are_refused_in_one_line(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """Unsigned or badly signed: 401. Signed but malformed: 400, or an empty 200 for an
    interactivity payload (a form's ``payload``: another answer shows the person who
    clicked an error). Each with one short log line, never a traceback, and never
    gunicorn's HTML page."""
    with serving(serve_env(database_url, tmp_path, api)) as served:
        url = served.url
        slack = SlackDriver(url)
        for body, kind in MALFORMED:
            assert slack.post(body, kind, signed=False).status == 401
            assert slack.post(body, kind, secret="not-the-secret").status == 401
            signed = slack.post(body, kind)
            assert signed.status == (200 if body.startswith("payload=") else 400), body
        for timestamp in ("soon", "-1", "1e3", "²³", "9" * 40):
            headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=ab"}
            assert slack.post("{}", "application/json", headers=headers, signed=False).status == 401
        for signature in ("v0=\xe9", "v0=\xff" * 32):  # not ASCII: compare_digest would raise
            headers = {"X-Slack-Request-Timestamp": str(int(time.time())),
                       "X-Slack-Signature": signature}  # fmt: skip
            assert slack.post("{}", "application/json", headers=headers, signed=False).status == 401
        assert _post_signed_bytes(url, b'{"type": "\xff"}').status == 400  # not UTF-8
        assert served.stop() == 0
        output = served.output
    refused = [line for line in output.splitlines() if "refused" in line or "cannot read" in line]
    assert len(refused) == 3 * len(MALFORMED) + 5 + 2 + 1, output
    assert "Traceback" not in output and "<html" not in output.lower()


# ---------------------------------------------------------------------------- SIGTERM


@pytest.mark.slow
def test_sigterm_ends_well_inside_10_seconds_whatever_hangs(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """Stalled clients, answers in flight against a Web API that hangs (so the apologies
    hang too): once the grace is over the askers are told and the process ends, with
    status 0, without waiting for any of it (the Web API client alone would take 15 s).
    The default grace's limit is checked above."""
    env = {**serve_env(database_url, tmp_path, api), "BRIEFBOT_STOP_GRACE": str(SHORT_GRACE)}
    with serving(env) as served:
        api.hang("*", seconds=60, times=None)
        slack = SlackDriver(served.url)
        for n in range(3):
            assert slack.mention(f"What does the memorandum commit to? ({n})")[0].status == 200
        api.wait_for("chat.postMessage", timeout=20)  # an answer is stuck posting
        stalled = [_stalled(served.port, ("body", "headers", "silent")[n % 3]) for n in range(30)]
        try:
            assert served.stop() == 0
            assert "shutting down before answering was done" in served.output, served.output
        finally:
            for s in stalled:
                s.close()
