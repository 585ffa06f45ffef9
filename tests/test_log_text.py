"""Nothing lost in the log: characters the database cannot store (NUL, which PostgreSQL's
text cannot hold, and lone surrogates) never cost an exchange its row."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_llm import cite_first_source, llm_settings

from bot.core.briefing import AnswerFailed, Briefing
from bot.core.models import ExchangeContext, Turn
from bot.errors import InputError
from bot.slack.deliveries import Deliveries
from standins import OpenAIStandIn
from storage.cleaning import storable

QUESTION = "What does the memorandum\x00 commit the countries to?"


def test_a_question_with_nul_is_answered_and_logged(briefing: Briefing) -> None:
    answer = briefing.ask(QUESTION, history=[Turn("user", "Who signed\x00 it?")])
    assert answer.answered and answer.exchange_id is not None
    row = briefing.log.get(answer.exchange_id)
    assert row is not None
    assert row.question == "What does the memorandum commit the countries to?"


def test_a_quote_topic_with_nul_is_logged(briefing: Briefing) -> None:
    _, exchange_id = briefing.quote_logged("non-\x00binding")
    assert exchange_id is not None
    row = briefing.log.get(exchange_id)
    assert row is not None and row.question == "non- binding"


def test_every_logged_field_is_made_storable(briefing: Briefing) -> None:
    """Context from Slack and text from a model reach the log too; whatever they hold,
    the exchange is stored, with U+FFFD where a character could not be."""
    context = ExchangeContext(
        surface="slack_mention", channel="C\x001", user="U\ud8001", thread_ts="1.0\x00"
    )
    answer = briefing.ask("Who criticised the deal?", context=context)
    assert answer.exchange_id is not None
    row = briefing.log.get(answer.exchange_id)
    assert row is not None
    assert (row.channel, row.user, row.thread_ts) == ("C\ufffd1", "U\ufffd1", "1.0\ufffd")
    briefing.log.note_error(answer.exchange_id, "slack: \x00 failed")
    assert briefing.log.feedback(answer.exchange_id, 1, "U\x00")
    row = briefing.log.get(answer.exchange_id)
    assert row is not None and row.error == "slack: \ufffd failed"
    assert Deliveries(briefing.db).thread_known("C\x001", "1.0\x00")


def test_a_model_answer_with_nul_is_logged(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    def with_nul(body: dict[str, Any]) -> str:
        return cite_first_source(body).replace("The source", "The\x00 source")

    llm.reply_with(with_nul)
    with Briefing.open(llm_settings(database_url, tmp_path, llm)) as smart:
        answer = smart.ask("What does the memorandum commit the countries to?")
        assert answer.mode == "llm" and answer.exchange_id is not None
        exported = smart.log.export()
    assert [row["id"] for row in exported] == [answer.exchange_id]
    json.dumps(exported, default=str)


def test_storable_reaches_into_json_values() -> None:
    value = {"a\x00": ["x\x00", {"y": "\udcff"}], "n": 1}
    assert storable(value) == {"a\ufffd": ["x\ufffd", {"y": "\ufffd"}], "n": 1}
    assert storable("plain") == "plain"


def test_quotes_are_logged_with_their_latency(briefing: Briefing) -> None:
    quotes, exchange_id = briefing.quote_logged("non-binding", 2)
    row = briefing.log.get(str(exchange_id))
    assert row is not None and quotes and row.latency_ms is not None and row.latency_ms >= 0
    assert row.answered and len(row.citations) == len(quotes)


def test_quotes_that_fail_are_logged_with_the_error(
    briefing: Briefing, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("index corrupted")

    monkeypatch.setattr("bot.core.briefing.find_quotes", broken)
    with pytest.raises(AnswerFailed) as failed:
        briefing.quote_logged("non-binding")
    row = briefing.log.get(failed.value.exchange_id)
    assert row is not None and not row.answered and row.latency_ms is not None
    assert row.error == "RuntimeError: index corrupted"


@pytest.mark.parametrize("question", ["", "?!", "x" * 2_500, "bad \ud800 text"])
def test_a_question_briefbot_declines_is_logged_with_its_reply(
    briefing: Briefing, question: str
) -> None:
    """Every question asked is in the log: one briefbot cannot read (empty, punctuation,
    over-long, not text) too, with the reply the user got, as mode "declined", and it is
    no question of the digest's."""
    for ask in (briefing.ask, briefing.quote_logged):
        with pytest.raises(InputError) as declined:
            ask(question)
        row = briefing.log.export()[-1]
        assert row["mode"] == "declined" and row["answer"] == declined.value.message
        assert not row["answered"] and row["latency_ms"] is not None
        assert len(row["question"]) <= 4_001
    # the log's week, as the digest a week later sees it: no question asked
    week = briefing.digests.digest(now=datetime.now(UTC) + timedelta(days=7))
    assert week.questions.asked == 0
