"""The twenty-ninth round's review: each test is a hole a hostile user or environment
would have found; see the commit that fixed it."""

from __future__ import annotations

import time
from pathlib import Path

from bot.core.briefing import Briefing
from bot.core.llm import DEADLINE_TIMEOUTS
from conftest import make_settings
from standins import OpenAIStandIn

QUESTION = "What does the memorandum commit the countries to?"


def test_a_server_that_only_keeps_the_stream_alive_is_cut_at_the_deadline(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    """A server that sends SSE comments (": keep-alive", as OpenRouter does while a model
    is queued) and nothing else is never silent for a read timeout, and the SSE reader
    yields no chunk for a comment, so the deadline was never looked at: the answer waited
    as long as the server kept the stream open (forever, for a stuck upstream), holding
    an answer worker, or the clock's digest run. The bytes are checked against the
    deadline as they arrive."""
    timeout = 0.3
    settings = make_settings(
        database_url,
        tmp_path,
        openai_base_url=llm.base_url,
        openai_api_key="sk-test-secret",
        model="gpt-4o-mini",
        llm_timeout=timeout,
    )
    llm.keep_alive(seconds=20, every=0.05)
    with Briefing.open(settings) as briefing:
        started = time.monotonic()
        answer = briefing.ask(QUESTION)
        took = time.monotonic() - started
        row = briefing.log.export()[-1]
    assert took < DEADLINE_TIMEOUTS * timeout + 2, took
    assert answer.mode == "extractive" and answer.note and "in time" in answer.note
    assert row["question"] == QUESTION and row["error"].startswith("llm: ")
