"""Review of the Slack surfaces: failing tests for bugs found by attacking them as
production traffic would (a Web API that drops a connection, refuses a call once, or
rate-limits). Each test's docstring names the bug it shows; none of them is fixed here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_slack_app import Running, run_app, slack_settings

from standins import OpenAIStandIn, SlackAPIStandIn

QUESTION = "What does the memorandum commit the countries to?"


@pytest.fixture
def running(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    yield from run_app(slack_settings(database_url, tmp_path, api), api)


@pytest.fixture
def streaming(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, llm_server: OpenAIStandIn
) -> Iterator[Running]:
    """The app with an LLM that streams its answer (as in test_slack_app.py)."""
    llm_server.reset()

    def reply(body: dict[str, Any]) -> str:
        user = body["messages"][-1]["content"]
        first = re.search(r'<source id="1">\n.*?\n(.*?)[.!?]', user, re.DOTALL)
        assert first
        return (
            f"According to the source, {first.group(1).strip()} [1]. "
            + "More detail here. " * 20
            + "[1]"
        )

    llm_server.reply_with(reply)
    llm_server.stream_delay(0.001)
    settings = slack_settings(
        database_url,
        tmp_path,
        api,
        openai_base_url=llm_server.base_url,
        openai_api_key="sk-test-0123456789",
        model="gpt-4o-mini",
        llm_timeout=5,
    )
    yield from run_app(settings, api)
    llm_server.reset()


# ------------------------------------------------------------- 4. Share posted twice


def test_a_share_whose_connection_drops_is_posted_once(running: Running) -> None:
    """Bug 4: *Share in channel* posts through the response_url with Bolt's ``respond``,
    whose WebhookClient keeps slack_sdk's default retry of connection errors: after a
    dropped connection (the post landed) it posts again, and the answer is shown twice
    in the channel. (The same goes for /brief subscribe's announcement.)"""
    running.slack.command("/brief", "Who criticised the deal?", running.api.response_url("b"))
    running.api.wait_for("response_url:b")
    exchange_id = str(running.briefing.log.export()[-1]["id"])
    running.api.drop("response_url:s1", times=1)
    running.slack.click("share_answer", exchange_id, running.api.response_url("s1"))
    running.settle()
    public = [
        c
        for c in running.api.calls("response_url:s1")
        if c.params.get("response_type") == "in_channel"
    ]
    assert len(public) == 1, f"the answer was posted publicly {len(public)} times"
