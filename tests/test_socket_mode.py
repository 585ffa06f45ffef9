"""`briefbot serve` in Socket Mode (SLACK_APP_TOKEN set), against a Socket Mode stand-in."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.core.briefing import Briefing
from conftest import _SETTING_VARS, make_settings, settings_env
from slackkit import BOT_TOKEN, BOT_USER, SIGNING_SECRET, TEAM, next_ts
from standins import SlackAPIStandIn
from standins.socket_mode import SocketModeStandIn

PROXY_VARS = {"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"}
#: What platforms usually allow between SIGTERM and SIGKILL: a longer stop fails the test.
PLATFORM_LIMIT = 10
#: How long a step may take before the test calls it a hang.
HANG = 60


@pytest.mark.slow
def test_socket_mode_answers_mentions_and_stops_on_sigterm(
    database_url: str, tmp_path: Path
) -> None:
    with SlackAPIStandIn() as api, SocketModeStandIn() as sm:
        sm.install(api)
        settings = make_settings(database_url, tmp_path)
        Briefing.open(settings).close()  # the corpus is filled here, not at the process's start
        env = settings_env(settings)
        env.update(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_APP_TOKEN="xapp-1-test-app-token",
            SLACK_API_URL=api.url,
        )
        base = {k: v for k, v in os.environ.items() if k not in {*_SETTING_VARS, *PROXY_VARS}}
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "briefbot"), "serve"],
            env={**base, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            sm.wait_connected(timeout=60)
            opened = api.calls("apps.connections.open")
            assert opened and opened[0].token == "xapp-1-test-app-token"
            ts = next_ts()
            envelope = {
                "team_id": TEAM,
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": "EvSOCKET1",
                "event_time": int(time.time()),
                "event": {
                    "type": "app_mention",
                    "user": "U1",
                    "text": f"<@{BOT_USER}> Who criticised the deal?",
                    "ts": ts,
                    "channel": "C1",
                    "event_ts": ts,
                },
            }
            first = sm.send_event(envelope)
            # Generous waits: they guard against a hang, and a loaded CI machine starting a
            # fresh process (WordNet and the tokenizer read cold) may take seconds.
            assert sm.wait_for_ack(first, timeout=HANG)["envelope_id"] == first
            post = api.wait_for("chat.postMessage", timeout=HANG)[0]
            assert post.params["thread_ts"] == ts
            # Slack redelivers the same event: acked, not answered again.
            again = sm.send_event(envelope, retry_attempt=1, retry_reason="timeout")
            sm.wait_for_ack(again, timeout=HANG)
            # The stop lets every job in hand finish (or tells its asker, which would log
            # and post): once the process has ended, a second answer would have been posted.
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=PLATFORM_LIMIT) == 0
            assert len(api.calls("chat.postMessage")) == 1
            output = proc.stdout.read() if proc.stdout else ""
            assert "shutting down before" not in output, output
            assert "xapp-1-test-app-token" not in output and BOT_TOKEN not in output
            assert json.dumps(post.params)  # the answer was a real message
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
