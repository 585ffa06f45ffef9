"""Nothing lost in the log: characters the database cannot store (NUL, which PostgreSQL's
text cannot hold, and lone surrogates) never cost an exchange its row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_llm import cite_first_source, llm_settings

from bot.core.briefing import Briefing
from bot.core.models import ExchangeContext, Turn
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
    quotes = briefing.quote("non-\x00binding")
    exchange_id = briefing.log_quotes("non-\x00binding", quotes, ExchangeContext())
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
