"""Which model writes the answers, through the OpenAI stand-in and the real openai client,
and that every answer (CLI, JSON, log, Slack) says which way it was written."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_llm import QUESTION, cite_first_source
from test_slack_app import block_text, run_app, slack_settings

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.model_choice import DEFAULT_MODEL, ModelResolver, choose_without_asking
from bot.errors import ConfigError
from conftest import FakeTime, make_settings
from standins import OpenAIStandIn, SlackAPIStandIn


def closed_port_url() -> str:
    """A base URL on loopback where nothing listens (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def chat_models(llm: OpenAIStandIn) -> list[str]:
    return [r.body.get("model") for r in llm.requests_for("chat")]


def open_with(database_url: str, tmp_path: Path, **values: Any) -> Briefing:
    """A briefing on these settings whose model clients wait for nothing (a retry's wait
    is recorded by a FakeTime, not spent)."""
    settings = make_settings(database_url, tmp_path, llm_timeout=2, **values)
    return Briefing.open(settings, timing=FakeTime().timing)


# ---------------------------------------------------------------------------- deciding


def test_a_key_and_no_model_sends_the_default_model(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    llm.reply_with(cite_first_source)
    with open_with(
        database_url, tmp_path, openai_api_key="sk-test-key-123", openai_base_url=llm.base_url
    ) as b:
        answer = b.ask(QUESTION)
    assert chat_models(llm) == [DEFAULT_MODEL]
    assert answer.mode == "llm" and answer.written_by == DEFAULT_MODEL


def test_a_key_alone_means_openai_and_the_default_without_asking() -> None:
    asked: list[Settings] = []
    settings = Settings.isolated(openai_api_key="sk-test-key-123")
    resolver = ModelResolver(settings, lambda s: asked.append(s) or [])
    assert resolver.choice().model == DEFAULT_MODEL
    assert asked == []  # OpenAI's own list is long and known to hold the default


def test_a_server_with_one_model_has_it_used(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    llm.models = ["llama3.1:8b"]
    llm.reply_with(cite_first_source)
    with open_with(database_url, tmp_path, openai_base_url=llm.base_url) as b:
        assert not llm.requests_for("models")  # opening asks nothing
        first, second = b.ask(QUESTION), b.ask(QUESTION)
        logged = b.log.export()[-1]
    assert chat_models(llm) == ["llama3.1:8b", "llama3.1:8b"]
    assert len(llm.requests_for("models")) == 1  # asked once per process
    assert first.written_by == second.written_by == "llama3.1:8b"
    assert logged["written_by"] == "llama3.1:8b" and logged["model"] == "llama3.1:8b"


def test_a_server_with_several_models_is_an_error_that_names_them(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn, cli
) -> None:
    llm.models = ["qwen2.5:7b", "llama3.1:8b", "mistral:7b"]
    with (
        open_with(database_url, tmp_path, openai_base_url=llm.base_url) as b,
        pytest.raises(ConfigError) as caught,
    ):
        b.ask(QUESTION)
    message = caught.value.message
    assert "llama3.1:8b, mistral:7b, qwen2.5:7b" in message
    assert "BRIEFBOT_MODEL" in message and "\n" not in message
    assert not llm.requests_for("chat")

    result = cli("ask", QUESTION, env={"OPENAI_BASE_URL": llm.base_url})
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("error: OPENAI_BASE_URL")
    assert "llama3.1:8b, mistral:7b, qwen2.5:7b" in result.err


def test_a_question_no_single_model_can_answer_is_still_logged(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    """The settings and the server name no single model: the asker is told to set
    BRIEFBOT_MODEL, and the question is in the log all the same, with that error (every
    question asked is logged, an answer that failed included)."""
    llm.models = ["qwen2.5:7b", "llama3.1:8b"]
    with open_with(database_url, tmp_path, openai_base_url=llm.base_url) as b:
        with pytest.raises(ConfigError) as caught:
            b.ask(QUESTION)
        rows = b.log.export()
    assert [r["question"] for r in rows] == [QUESTION]
    assert rows[0]["answered"] is False and rows[0]["latency_ms"] is not None
    assert rows[0]["error"] == f"ConfigError: {caught.value.message}"


def test_several_models_with_the_default_among_them_use_the_default(llm: OpenAIStandIn) -> None:
    llm.models = ["text-embedding-3-small", DEFAULT_MODEL, "gpt-4.1"]
    settings = Settings.isolated(openai_api_key="sk-test-key-123", openai_base_url=llm.base_url)
    assert ModelResolver(settings).choice().model == DEFAULT_MODEL


def test_many_models_are_named_in_one_line(llm: OpenAIStandIn) -> None:
    llm.models = [f"model-{i:02d}" for i in range(25)]
    with pytest.raises(ConfigError) as caught:
        ModelResolver(Settings.isolated(openai_base_url=llm.base_url)).choice()
    assert "serves 25 models (model-00, " in caught.value.message
    assert "model-09 and 15 more" in caught.value.message


def test_a_server_that_lists_no_models(llm: OpenAIStandIn) -> None:
    llm.models = []
    with pytest.raises(ConfigError, match="lists no models; set BRIEFBOT_MODEL"):
        ModelResolver(Settings.isolated(openai_base_url=llm.base_url)).choice()


def test_a_server_without_a_model_list(llm: OpenAIStandIn) -> None:
    llm.fail(status=404, times=None, path="models")
    with pytest.raises(ConfigError, match="does not list its models"):
        ModelResolver(Settings.isolated(openai_base_url=llm.base_url)).choice()
    with_key = Settings.isolated(openai_base_url=llm.base_url, openai_api_key="sk-test-key-1")
    assert ModelResolver(with_key).choice().model == DEFAULT_MODEL


def test_model_none_forces_extractive(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    with open_with(
        database_url,
        tmp_path,
        openai_api_key="sk-test-key-123",
        openai_base_url=llm.base_url,
        model="None",
    ) as b:
        answer = b.ask(QUESTION)
    assert llm.requests == []
    assert answer.mode == "extractive" and answer.answered
    assert answer.written_by == "extractive (BRIEFBOT_MODEL=none)"


def test_no_key_says_so(briefing: Briefing) -> None:
    answer = briefing.ask(QUESTION)
    assert answer.written_by == "extractive (no key)"
    assert briefing.log.export()[-1]["written_by"] == "extractive (no key)"


def test_a_named_model_without_a_key_or_server_is_extractive_for_want_of_a_key() -> None:
    decided = choose_without_asking(Settings.isolated(model="gpt-4.1"))
    assert decided is not None and decided.model is None and decided.reason == "no key"


def test_an_unreachable_server_is_asked_again_later() -> None:
    now = [100.0]
    calls: list[int] = []
    settings = Settings.isolated(openai_base_url=closed_port_url(), llm_timeout=2)

    def listing(s: Settings) -> list[str]:
        calls.append(1)
        if len(calls) < 3:
            from bot.core.chat import list_models

            return list_models(s)  # refused: nothing listens there
        return ["llama3.1"]

    resolver = ModelResolver(settings, listing, retry_seconds=30, clock=lambda: now[0])
    assert resolver.choice().reason == "model unreachable"
    now[0] += 10
    assert resolver.choice().reason == "model unreachable" and len(calls) == 1
    now[0] += 25
    assert resolver.choice().reason == "model unreachable" and len(calls) == 2
    now[0] += 31
    assert resolver.choice().model == "llama3.1" and len(calls) == 3
    now[0] += 1000
    assert resolver.choice().model == "llama3.1" and len(calls) == 3


def test_an_unreachable_server_gives_extractive_answers_that_say_why(
    database_url: str, tmp_path: Path
) -> None:
    with open_with(database_url, tmp_path, openai_base_url=closed_port_url()) as b:
        answer = b.ask(QUESTION)
    assert answer.answered and answer.mode == "extractive"
    assert answer.written_by == "extractive (model unreachable)"


def test_a_refused_key_says_so(database_url: str, tmp_path: Path, llm: OpenAIStandIn) -> None:
    llm.auth_error()
    with open_with(
        database_url, tmp_path, openai_api_key="sk-wrong-key-1", openai_base_url=llm.base_url
    ) as b:
        answer = b.ask(QUESTION)
    assert answer.written_by == "extractive (model refused the key)"


# ---------------------------------------------------------------------------- saying so


def test_model_failures_and_the_guard_say_why_the_answer_is_extractive(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    with open_with(database_url, tmp_path, openai_base_url=llm.base_url, model="gpt-4o-mini") as b:
        llm.fail(status=503, times=None)
        down = b.ask(QUESTION)
        llm.reset()
        llm.reply("The memorandum says many things, none of them cited.")
        uncited = b.ask(QUESTION)
        llm.reply("Not a real answer [1")
        llm.content_filter()
        filtered = b.ask(QUESTION)
        rows = b.log.export()
    assert down.written_by == "extractive (model unreachable)"
    assert uncited.written_by == "extractive (guard fallback)"
    assert filtered.written_by == "extractive (content filter)"
    assert [r["written_by"] for r in rows] == [
        "extractive (model unreachable)",
        "extractive (guard fallback)",
        "extractive (content filter)",
    ]


def test_an_out_of_scope_question_is_not_sent_to_the_model(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    with open_with(database_url, tmp_path, openai_base_url=llm.base_url, model="m") as b:
        answer = b.ask("What is the capital of France?")
    assert not answer.answered and not llm.requests_for("chat")
    assert answer.written_by == "extractive (not sent to the model)"


def test_the_cli_says_which_way_it_was_written(cli, llm: OpenAIStandIn) -> None:
    plain = cli("ask", QUESTION)
    assert plain.code == 0
    last = plain.out.rstrip().splitlines()[-1]
    assert last.startswith("— extractive (no key): set OPENAI_API_KEY")
    data = json.loads(cli("ask", QUESTION, "--json").out)
    assert data["written_by"] == "extractive (no key)" and data["extractive_reason"] == "no key"

    llm.models = ["llama3.1:8b"]
    llm.reply_with(cite_first_source)
    env = {"OPENAI_BASE_URL": llm.base_url}
    smart = cli("ask", QUESTION, env=env)
    assert smart.code == 0, smart.err
    assert smart.out.rstrip().splitlines()[-1] == "— written by llama3.1:8b"
    data = json.loads(cli("ask", QUESTION, "--json", env=env).out)
    assert data["written_by"] == "llama3.1:8b" and "extractive_reason" not in data


@pytest.fixture
def slack_with_model(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, llm: OpenAIStandIn
) -> Iterator[Any]:
    llm.models = ["llama3.1:8b"]
    llm.reply_with(cite_first_source)
    settings = slack_settings(
        database_url, tmp_path, api, openai_base_url=llm.base_url, llm_timeout=5
    )
    yield from run_app(settings, api)


def test_slack_answers_say_which_model_wrote_them(slack_with_model: Any) -> None:
    slack_with_model.slack.mention(QUESTION)
    final = slack_with_model.api.wait_for("chat.update")[-1]
    text = block_text(final.json_param("blocks"))
    row = slack_with_model.briefing.log.export()[-1]
    assert f"written by llama3.1:8b · log id {row['id']}" in text


def test_slack_extractive_answers_say_why(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    for running in run_app(slack_settings(database_url, tmp_path, api), api):
        running.slack.command("/brief", QUESTION, api.response_url("brief"))
        reply = running.api.wait_for("response_url:brief")[0]
        assert "extractive (no key) · log id" in block_text(reply.params["blocks"])


def test_the_embedding_model_is_not_a_chat_model_choice(llm: OpenAIStandIn) -> None:
    llm.models = ["llama3.1:8b", "nomic-embed-text"]
    settings = Settings.isolated(openai_base_url=llm.base_url, embedding_model="nomic-embed-text")
    assert ModelResolver(settings).choice().model == "llama3.1:8b"


def test_a_server_there_for_the_embeddings_alone_gives_extractive_answers(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    llm.models = ["nomic-embed-text"]
    with open_with(
        database_url, tmp_path, openai_base_url=llm.base_url, embedding_model="nomic-embed-text"
    ) as b:
        answer = b.ask(QUESTION)
    assert answer.answered and answer.written_by == "extractive (no chat model named)"
    assert llm.requests_for("embeddings") and not llm.requests_for("chat")

    llm.fail(status=404, times=None, path="models")
    settings = Settings.isolated(openai_base_url=llm.base_url, embedding_model="nomic-embed-text")
    assert ModelResolver(settings).choice().reason == "no chat model named"
