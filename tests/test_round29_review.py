"""The twenty-ninth round's review: each test is a hole a hostile user or environment
would have found; see the commit that fixed it."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.llm import DEADLINE_TIMEOUTS
from bot.core.period import Period
from bot.slack.digest_blocks import digest_message
from conftest import WallClock, make_settings
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


def test_an_undated_article_is_shown_added_on_the_team_s_day_not_utc_s(
    settings: Settings, tmp_path: Path
) -> None:
    """An undated article is filed by its ingestion time in BRIEFBOT_TIMEZONE, but the
    digest showed the day it was added in UTC: one added on Sunday evening in New York
    (Monday 02:00 UTC) was listed in the digest of "25 Mar – 31 Mar 2019" as "undated
    (added 2019-04-01)", a day outside the week it was filed in (and in Tokyo, Monday
    morning's article read as added on the Sunday before its week). The day shown is
    the team's, as the period is."""
    clock = WallClock()
    (tmp_path / "late-sunday.txt").write_text(
        "Late Sunday\n\nA late report on the new bridge that opened on the river.\n",
        encoding="utf-8",
    )
    ny = Period(date(2019, 3, 25), date(2019, 4, 1), "America/New_York")
    with Briefing.open(settings, clock=clock) as briefing:
        with clock.at(datetime(2019, 4, 1, 2, tzinfo=UTC)):
            briefing.ingest([tmp_path / "late-sunday.txt"])
        digest = briefing.digests.digest(ny)
    assert [a.title for a in digest.articles] == ["Late Sunday"]
    assert "undated (added 2019-03-31)" in digest.text, digest.text
    text, blocks = digest_message(digest)
    shown = text + str(blocks)
    assert "2019-04-01" not in shown and "added 2019-03-31" in shown
