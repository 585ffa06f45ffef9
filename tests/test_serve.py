"""`briefbot serve` as a real process: gunicorn, signed requests, SIGTERM, and two processes
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
