"""Proof that the loopback stand-ins work with the real ``slack_sdk`` / ``openai`` clients.

Every test talks HTTP over 127.0.0.1 to a freshly started stand-in; nothing is mocked on the
client side. Timings are kept short (sub-second timeouts, ``Retry-After: 0``) so the whole
file runs in a few seconds, and nothing is timed: a hang is shown by the error the client's
timeout raises, a delay by holding the request (``wait_pauses``) and letting it go
(``release_pauses``).
"""

from __future__ import annotations

import json
import queue
import re
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from . import FaultPlan
from .openai_api import DEFAULT_REPLY, OpenAIStandIn, cosine, embed_text
from .slack_api import SlackAPIStandIn

TOKEN = "xoxb-test-not-a-secret"
MESSAGES: list[ChatCompletionMessageParam] = [
    {"role": "system", "content": "Answer using the numbered sources."},
    {"role": "user", "content": "What do the sources say about migration?"},
]


# --------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------


# The servers are tests/conftest.py's (one per run; `api` and `llm` reset them before and
# after each test, which also aborts any hang still in flight). The OpenAI client, whose
# construction costs ~50 ms, is shared by the module. Tests that stop a server start their
# own.


@pytest.fixture
def slack(api: SlackAPIStandIn) -> SlackAPIStandIn:
    """The Slack stand-in, freshly reset for this test (conftest's ``api``)."""
    return api


@pytest.fixture
def web(slack: SlackAPIStandIn) -> WebClient:
    """A real WebClient aimed at the Slack stand-in (short timeout)."""
    return WebClient(token=TOKEN, base_url=slack.url, timeout=2)


@pytest.fixture(scope="module")
def ai(llm_server: OpenAIStandIn) -> Iterator[openai.OpenAI]:
    """A real OpenAI client aimed at the stand-in, without retries, with a short timeout."""
    client = openai.OpenAI(base_url=llm_server.base_url, api_key="test", max_retries=0, timeout=5)
    yield client
    client.close()


# --------------------------------------------------------------------------------------------
# shared core
# --------------------------------------------------------------------------------------------


def test_fault_plan_counts_fifo_wildcard_and_forever() -> None:
    """Faults are consumed FIFO per key, ``*`` is a fallback, ``None`` never runs out."""
    plan = FaultPlan()
    plan.add("a", "fail", 2)
    plan.add("a", "hang", 1, seconds=1)
    plan.add("*", "error", None)
    kinds = [getattr(plan.take("a"), "kind", None) for _ in range(5)]
    assert kinds == ["fail", "fail", "hang", "error", "error"]
    assert getattr(plan.take("zzz"), "kind", None) == "error"
    assert plan.pending() == {"*": [("error", None)]}
    with pytest.raises(ValueError):
        plan.add("a", "fail", 0)


def test_fault_plan_is_thread_safe() -> None:
    """Under contention exactly ``times`` requests see the fault."""
    plan = FaultPlan()
    plan.add("m", "fail", 50)
    hits: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(20):
            hit = plan.take("m") is not None
            with lock:
                hits.append(hit)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(hits) == 200
    assert sum(hits) == 50


# --------------------------------------------------------------------------------------------
# Slack stand-in
# --------------------------------------------------------------------------------------------


def test_slack_url_shape(slack: SlackAPIStandIn) -> None:
    """``url`` is an http loopback base ending in /api/, like ``https://slack.com/api/``."""
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/", slack.url)
    assert slack.response_url("abc") == slack.url.replace("/api/", "/response/abc")


def test_post_message_is_recorded_with_json_body_and_auth(
    slack: SlackAPIStandIn, web: WebClient
) -> None:
    """chat.postMessage goes out as JSON; the call keeps typed params and the bearer token."""
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    resp = web.chat_postMessage(channel="C1", text="hello", thread_ts="1.0", blocks=blocks)
    assert resp["ok"] is True
    assert resp["channel"] == "C1"
    assert re.fullmatch(r"\d{10}\.\d{6}", resp["ts"])
    assert resp["message"]["text"] == "hello"

    (call,) = slack.calls("chat.postMessage")
    assert call.params["channel"] == "C1"
    assert call.params["thread_ts"] == "1.0"
    assert call.params["blocks"] == blocks  # JSON body: structure preserved
    assert call.content_type.startswith("application/json")
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert call.token == TOKEN
    assert call.fault is None
    assert call.time == pytest.approx(time.time(), abs=5)


def test_recorded_calls_never_print_tokens(slack: SlackAPIStandIn, web: WebClient) -> None:
    """repr() and redacted() mask the Authorization header."""
    web.chat_postMessage(channel="C1", text="x")
    call = slack.last("chat.postMessage")
    assert TOKEN not in repr(call)
    assert TOKEN not in repr(slack.calls())
    assert TOKEN not in repr(slack.redacted()[0].headers)
    assert call.redacted().headers["authorization"] == "<redacted>"
    assert call.headers["authorization"].endswith(TOKEN)  # original untouched


def test_form_encoded_methods(slack: SlackAPIStandIn, web: WebClient) -> None:
    """params= methods arrive form-encoded; their values are recorded as strings."""
    auth = web.auth_test()
    assert (auth["user_id"], auth["bot_id"], auth["team_id"], auth["user"]) == (
        "UBOT",
        "BBOT",
        "T1",
        "briefbot",
    )
    assert auth["url"].startswith("https://")

    deleted = web.chat_delete(channel="C9", ts="1700000000.000900")
    assert deleted["ts"] == "1700000000.000900"
    call = slack.last("chat.delete")
    assert call.content_type == "application/x-www-form-urlencoded"
    assert call.params == {"channel": "C9", "ts": "1700000000.000900"}

    web.assistant_threads_setTitle(channel_id="D1", thread_ts="2.0", title="Brief")
    assert slack.last("assistant.threads.setTitle").params["title"] == "Brief"

    web.users_info(user="U7", include_locale=True)
    assert slack.last("users.info").params == {"user": "U7", "include_locale": "1"}
    web.api_call("dialog.open", params={"dialog": json.dumps({"title": "t"})})
    assert slack.last("dialog.open").json_param("dialog") == {"title": "t"}


def test_set_response_overrides_a_method(slack: SlackAPIStandIn, web: WebClient) -> None:
    """set_response() replaces a default body, statically or computed from the call."""
    slack.set_response("auth.test", {"ok": True, "user_id": "UOTHER"})
    assert web.auth_test()["user_id"] == "UOTHER"
    slack.set_response("chat.postMessage", lambda call: {"ok": True, "echo": call.params["text"]})
    assert web.chat_postMessage(channel="C1", text="ping")["echo"] == "ping"
    slack.reset()
    assert web.auth_test()["user_id"] == "UBOT"


def test_ts_is_monotonic_and_update_keeps_ts(web: WebClient) -> None:
    """New messages get increasing ts; chat.update/delete echo the ts they target."""
    stamps = [web.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(3)]
    stamps.append(web.chat_postEphemeral(channel="C1", user="U1", text="e")["message_ts"])
    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 4
    assert stamps[0] == "1700000000.000100"
    updated = web.chat_update(channel="C1", ts=stamps[0], text="edited")
    assert updated["ts"] == stamps[0]
    assert updated["text"] == "edited"


def test_conversations_replies_and_users_info(slack: SlackAPIStandIn, web: WebClient) -> None:
    """conversations.replies serves what the test configured; users.info is overridable."""
    assert web.conversations_replies(channel="C1", ts="5.0")["messages"] == []
    thread = [
        {"type": "message", "user": "U1", "text": "question", "ts": "5.0"},
        {"type": "message", "user": "UBOT", "text": "answer", "ts": "5.1", "thread_ts": "5.0"},
    ]
    slack.set_replies("C1", "5.0", thread)
    resp = web.conversations_replies(channel="C1", ts="5.0")
    assert [m["text"] for m in resp["messages"]] == ["question", "answer"]
    assert resp["has_more"] is False

    user = web.users_info(user="U7")["user"]
    assert user["id"] == "U7" and user["is_bot"] is False
    slack.set_user("U7", real_name="Ada Lovelace", tz="Europe/Paris")
    user = web.users_info(user="U7")["user"]
    assert (user["real_name"], user["tz"], user["id"]) == ("Ada Lovelace", "Europe/Paris", "U7")


def test_stream_assistant_views_and_unknown_methods(slack: SlackAPIStandIn, web: WebClient) -> None:
    """The SDK's chat_stream helper, assistant.threads.*, views.publish and unknown methods."""
    streamer = web.chat_stream(
        channel="D1",
        thread_ts="9.0",
        recipient_team_id="T1",
        recipient_user_id="U1",
        buffer_size=5,
    )
    streamer.append(markdown_text="hello ")  # >= buffer_size: startStream
    streamer.append(markdown_text="world")  # appendStream
    stopped = streamer.stop()
    assert slack.methods() == ["chat.startStream", "chat.appendStream", "chat.stopStream"]
    stream_ts = "1700000000.000100"
    assert slack.last("chat.startStream").params["thread_ts"] == "9.0"
    assert slack.last("chat.appendStream").params["ts"] == stream_ts
    assert slack.last("chat.appendStream").params["chunks"][0]["text"] == "world"
    assert stopped["ts"] == stream_ts

    web.assistant_threads_setStatus(channel_id="D1", thread_ts="9.0", status="is thinking...")
    web.assistant_threads_setSuggestedPrompts(
        channel_id="D1", thread_ts="9.0", prompts=[{"title": "Brief me", "message": "brief"}]
    )
    assert slack.last("assistant.threads.setStatus").params["status"] == "is thinking..."
    prompts = slack.last("assistant.threads.setSuggestedPrompts").params["prompts"]
    assert prompts == [{"title": "Brief me", "message": "brief"}]

    view = web.views_publish(user_id="U1", view={"type": "home", "blocks": []})["view"]
    assert view["type"] == "home" and view["id"].startswith("V")
    assert web.api_call("made.up.method", params={"x": "1"}).data == {"ok": True}
    assert slack.last("made.up.method").params == {"x": "1"}


def test_response_url_posts_are_recorded(slack: SlackAPIStandIn) -> None:
    """A Slack response_url pointed at the stand-in records the JSON that was posted."""
    resp = WebhookClient(slack.response_url("cmd1")).send(text="done", response_type="ephemeral")
    assert resp.status_code == 200
    assert json.loads(resp.body) == {"ok": True}
    (call,) = slack.wait_for("response_url:cmd1")
    assert call.params == {"text": "done", "response_type": "ephemeral"}


def test_bolt_app_uses_stand_in_for_auth_test(slack: SlackAPIStandIn) -> None:
    """slack_bolt.App verifies its token with auth.test on construction."""
    from slack_bolt import App

    client = WebClient(token=TOKEN, base_url=slack.url)
    app = App(client=client, signing_secret="s3cret")
    assert slack.calls("auth.test")
    assert app.client.base_url == slack.url


def test_rate_limit_is_retried_by_rate_limit_handler(
    slack: SlackAPIStandIn, web: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """429 + Retry-After: the SDK's RateLimitErrorRetryHandler sleeps and retries. Its
    sleep (Retry-After plus up to a second of jitter) is recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=slept.append))
    web.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    slack.rate_limit("chat.postMessage", retry_after=7)
    resp = web.chat_postMessage(channel="C1", text="hi")
    assert resp["ok"] is True
    assert len(slept) == 1 and 7 <= slept[0] < 8
    calls = slack.calls("chat.postMessage")
    assert [c.fault for c in calls] == ["rate_limit", None]
    assert slack.pending_faults() == {}


def test_rate_limit_without_handler_raises(slack: SlackAPIStandIn, web: WebClient) -> None:
    """Without a retry handler the 429 surfaces as SlackApiError with the header."""
    slack.rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as info:
        web.chat_postMessage(channel="C1", text="hi")
    assert info.value.response.status_code == 429
    assert info.value.response["error"] == "ratelimited"
    assert info.value.response.headers["Retry-After"] == "7"


def test_fail_and_error_modes_count_down(slack: SlackAPIStandIn, web: WebClient) -> None:
    """fail(status, times) and error(error, times) hit exactly ``times`` calls, in order."""
    slack.fail("chat.postMessage", status=503, times=2)
    slack.error("chat.postMessage", error="not_in_channel")
    statuses = []
    for _ in range(2):
        with pytest.raises(SlackApiError) as info:
            web.chat_postMessage(channel="C1", text="x")
        statuses.append(info.value.response.status_code)
    assert statuses == [503, 503]
    with pytest.raises(SlackApiError) as info:
        web.chat_postMessage(channel="C1", text="x")
    assert info.value.response.status_code == 200
    assert info.value.response["error"] == "not_in_channel"
    assert web.chat_postMessage(channel="C1", text="x")["ok"] is True
    assert web.auth_test()["ok"] is True  # other methods unaffected


def test_refuse_blocks_refuses_only_messages_with_blocks(
    slack: SlackAPIStandIn, web: WebClient
) -> None:
    """refuse_blocks() refuses every call carrying blocks, as Slack refuses a message's
    form; the same message as text alone is taken; reset() ends it."""
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]
    slack.refuse_blocks("chat.postMessage", "msg_blocks_too_long")
    for _ in range(2):
        with pytest.raises(SlackApiError) as info:
            web.chat_postMessage(channel="C1", text="x", blocks=blocks)
        assert info.value.response["error"] == "msg_blocks_too_long"
    assert web.chat_postMessage(channel="C1", text="x")["ok"] is True
    assert [c.fault for c in slack.calls("chat.postMessage")] == [
        "refuse_blocks",
        "refuse_blocks",
        None,
    ]
    assert [m["text"] for m in slack.history("C1")] == ["x"]
    slack.refuse_blocks("response_url:r", status=400)
    refused = WebhookClient(slack.response_url("r")).send(text="x", blocks=blocks)
    assert refused.status_code == 400 and json.loads(refused.body)["error"] == "invalid_blocks"
    assert WebhookClient(slack.response_url("r")).send(text="x").status_code == 200
    slack.reset()
    assert web.chat_postMessage(channel="C1", text="x", blocks=blocks)["ok"] is True


def test_error_forever(slack: SlackAPIStandIn, web: WebClient) -> None:
    """times=None keeps failing until reset()."""
    slack.error("users.info", error="user_not_found", times=None)
    for _ in range(3):
        with pytest.raises(SlackApiError):
            web.users_info(user="U1")
    slack.reset()
    assert web.users_info(user="U1")["ok"] is True
    assert slack.calls() == [slack.last("users.info")]


def test_hang_times_out_client_then_recovers(slack: SlackAPIStandIn) -> None:
    """hang() outlasts a short client timeout (the TimeoutError is the client's: the hang
    would answer only after 30 s); the next call is answered normally."""
    # WebClient's timeout is annotated int, but urllib happily takes a float.
    quick = WebClient(token=TOKEN, base_url=slack.url, timeout=0.3)  # type: ignore[arg-type]
    slack.hang("chat.postMessage", seconds=30)
    with pytest.raises(TimeoutError):
        quick.chat_postMessage(channel="C1", text="x")
    assert quick.chat_postMessage(channel="C1", text="y")["ok"] is True


def test_wait_for_blocks_until_calls_arrive(slack: SlackAPIStandIn, web: WebClient) -> None:
    """wait_for() returns once enough calls arrived and explains itself on timeout."""
    timer = threading.Timer(0.1, lambda: web.chat_postMessage(channel="C1", text="late"))
    timer.start()
    try:
        calls = slack.wait_for("chat.postMessage", timeout=3)
    finally:
        timer.join()
    assert calls[0].params["text"] == "late"
    with pytest.raises(AssertionError, match=r"views\.publish.*chat\.postMessage"):
        slack.wait_for("views.publish", timeout=0.01)
    slack.clear()
    assert slack.calls() == []


def test_slack_stop_is_quick_with_hanging_request() -> None:
    """stop() interrupts a hang instead of waiting it out: the call fails at once, not
    after the hang (an hour) or the client's timeout (20 s; the join's bound only turns
    such a wait into a failure)."""
    slack = SlackAPIStandIn().start()
    slack.hang("auth.test", seconds=3600)
    errors: list[Exception] = []

    def call() -> None:
        try:
            WebClient(token=TOKEN, base_url=slack.url, timeout=20, retry_handlers=[]).auth_test()
        except OSError as exc:  # RemoteDisconnected / URLError / ConnectionResetError
            errors.append(exc)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    slack.wait_for("auth.test")
    slack.stop()
    thread.join(5)
    assert not thread.is_alive()
    assert errors, "the in-flight call should fail once the server stops"


# --------------------------------------------------------------------------------------------
# OpenAI stand-in
# --------------------------------------------------------------------------------------------


def test_openai_base_url_shape(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """base_url ends in /v1 and the client posts to <base_url>/chat/completions."""
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", llm.base_url)
    ai.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert llm.last_request().path == "/v1/chat/completions"


def test_chat_completion_non_streaming(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """A proper ChatCompletion comes back and the request is recorded."""
    completion = ai.chat.completions.create(
        model="gpt-4o-mini",
        messages=MESSAGES,
        temperature=0.2,
    )
    assert completion.object == "chat.completion"
    assert completion.model == "gpt-4o-mini"
    assert completion.id.startswith("chatcmpl-")
    choice = completion.choices[0]
    assert (choice.index, choice.finish_reason) == (0, "stop")
    assert choice.message.role == "assistant"
    assert choice.message.content == DEFAULT_REPLY
    assert "[1]" in DEFAULT_REPLY
    usage = completion.usage
    assert usage is not None
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens

    request = llm.last_request("chat")
    assert request.body["temperature"] == 0.2
    assert request.messages == MESSAGES
    assert "migration" in request.prompt_text
    assert request.headers["authorization"] == "Bearer test"
    assert "Bearer test" not in repr(request)
    assert request.redacted().headers["authorization"] == "<redacted>"


def test_chat_completion_streaming_with_usage(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """stream=True with include_usage parses chunk by chunk, ending with a usage chunk."""
    llm.reply("Migration rose in 2023 [1], while returns fell [2].")
    stream = ai.chat.completions.create(
        model="gpt-4o-mini",
        messages=MESSAGES,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert len({c.id for c in chunks}) == 1
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Migration rose in 2023 [1], while returns fell [2]."
    assert chunks[0].choices[0].delta.role == "assistant"
    content_chunks = [c for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(content_chunks) > 3  # really streamed in pieces
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens > 0
    assert all(c.usage is None for c in chunks[:-1])
    assert llm.last_request().stream is True


def test_streaming_wire_format_is_openai_sse(llm: OpenAIStandIn) -> None:
    """Raw bytes: ``data: {json}\\n\\n`` events, usage last, then ``data: [DONE]``."""
    body = json.dumps({"model": "m", "messages": MESSAGES, "stream": True}).encode()
    request = urllib.request.Request(
        llm.base_url + "/chat/completions",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": "Bearer test"},
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert resp.headers["Content-Type"].startswith("text/event-stream")
        raw = resp.read().decode()
    events = raw.split("\n\n")
    assert events[-1] == ""
    assert events[-2] == "data: [DONE]"
    payloads = [json.loads(e.removeprefix("data: ")) for e in events[:-2]]
    assert all(e.startswith("data: ") for e in events[:-1])
    assert payloads[-1]["choices"][0]["finish_reason"] == "stop"
    assert "usage" not in payloads[-1]  # no include_usage requested
    assert "".join(p["choices"][0]["delta"].get("content", "") for p in payloads) == DEFAULT_REPLY


def test_reply_programming_precedence(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """queue() beats reply_with() beats reply(); reply_with sees the request JSON."""

    def ask(question: str) -> str | None:
        completion = ai.chat.completions.create(
            model="m", messages=[{"role": "user", "content": question}]
        )
        return completion.choices[0].message.content

    llm.reply("fixed")
    assert ask("a") == "fixed"
    llm.reply_with(lambda req: "echo: " + req["messages"][-1]["content"])
    assert ask("b") == "echo: b"
    llm.queue("first", "second")
    assert [ask("c"), ask("d"), ask("e")] == ["first", "second", "echo: e"]
    llm.reply_with(lambda req: 1 / 0)  # type: ignore[arg-type,return-value]
    with pytest.raises(openai.InternalServerError, match="ZeroDivisionError"):
        ask("f")
    llm.reset()
    assert ask("g") == DEFAULT_REPLY


def test_embeddings_shape_determinism_and_similarity(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """List and string inputs; unit vectors; overlapping texts are closer than unrelated."""
    texts = [
        "Migrants crossing the Channel in small boats",
        "Migration across the channel by boat rose",
        "Quarterly earnings of semiconductor firms",
    ]
    result = ai.embeddings.create(model="text-embedding-3-small", input=texts)
    vectors = [d.embedding for d in result.data]
    assert [d.index for d in result.data] == [0, 1, 2]
    assert all(len(v) == 256 for v in vectors)
    assert all(abs(sum(x * x for x in v) - 1.0) < 1e-4 for v in vectors)
    assert cosine(vectors[0], vectors[1]) > 0.5
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.3
    assert result.usage.prompt_tokens > 0
    assert vectors[0] == pytest.approx(embed_text(texts[0]), abs=1e-6)

    single = ai.embeddings.create(model="text-embedding-3-small", input=texts[0])
    assert single.data[0].embedding == pytest.approx(vectors[0], abs=1e-6)
    assert llm.embedded_inputs == 4
    assert llm.embedded_texts().count(texts[0]) == 2
    assert llm.last_request("embeddings").body["encoding_format"] == "base64"  # client default
    raw = ai.embeddings.with_raw_response.create(model="text-embedding-3-small", input=texts[2])
    wire = raw.http_response.json()["data"][0]["embedding"]
    assert isinstance(wire, str)  # base64 of little-endian float32, as the real API sends
    assert raw.parse().data[0].embedding == pytest.approx(vectors[2], abs=1e-6)


def test_embeddings_float_format_and_dimensions(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """encoding_format="float" and the dimensions parameter are honoured."""
    result = ai.embeddings.create(
        model="text-embedding-3-small", input="hello world", encoding_format="float", dimensions=64
    )
    assert len(result.data[0].embedding) == 64
    with pytest.raises(openai.BadRequestError):
        ai.embeddings.create(model="text-embedding-3-small", input="")
    assert llm.embedded_inputs == 1


def test_models_list(ai: openai.OpenAI) -> None:
    """GET /v1/models lists a few model ids; unknown model ids are 404s."""
    ids = [m.id for m in ai.models.list()]
    assert "gpt-4o-mini" in ids and "text-embedding-3-small" in ids
    assert ai.models.retrieve("gpt-4o-mini").id == "gpt-4o-mini"
    with pytest.raises(openai.NotFoundError):
        ai.models.retrieve("nope")


@pytest.mark.parametrize(
    ("arrange", "expected"),
    [
        (lambda s: s.fail(), openai.InternalServerError),
        (lambda s: s.fail(status=400), openai.BadRequestError),
        (lambda s: s.fail(status=503), openai.InternalServerError),
        (lambda s: s.rate_limit(retry_after=3), openai.RateLimitError),
        (lambda s: s.auth_error(), openai.AuthenticationError),
    ],
    ids=["500", "400", "503", "429", "401"],
)
def test_status_faults_raise_client_errors(
    llm: OpenAIStandIn,
    ai: openai.OpenAI,
    arrange: Callable[[OpenAIStandIn], None],
    expected: type[Exception],
) -> None:
    """HTTP-status faults surface as the matching APIStatusError subclass."""
    arrange(llm)
    with pytest.raises(expected) as info:
        ai.chat.completions.create(model="m", messages=MESSAGES)
    err = info.value
    assert isinstance(err, openai.APIStatusError)
    assert isinstance(err.body, dict) and "message" in err.body
    if err.status_code == 429:
        assert err.response.headers["retry-after"] == "3"
        assert err.code == "rate_limit_exceeded"
    if err.status_code == 401:
        assert err.code == "invalid_api_key"
        assert "test" not in err.message  # key not echoed back


def test_rate_limit_is_retried_by_openai_client(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """The client honours a fractional Retry-After and retries once."""
    client = ai.with_options(max_retries=1)
    llm.rate_limit(retry_after=0.05)
    completion = client.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices[0].message.content == DEFAULT_REPLY
    requests = llm.requests_for("chat")
    assert [r.fault for r in requests] == ["rate_limit", None]
    assert [r.headers["x-stainless-retry-count"] for r in requests] == ["0", "1"]


def test_fault_times_and_paths(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """Faults count down per path; an embeddings fault leaves chat alone; None = forever."""
    llm.fail(times=2, path="embeddings")
    assert ai.chat.completions.create(model="m", messages=MESSAGES).choices
    for _ in range(2):
        with pytest.raises(openai.InternalServerError):
            ai.embeddings.create(model="e", input="x")
    assert ai.embeddings.create(model="e", input="x").data
    llm.auth_error()  # default: forever, every path
    for _ in range(2):
        with pytest.raises(openai.AuthenticationError):
            ai.models.list()
    assert llm.pending_faults() == {"*": [("auth_error", None)]}


def test_hang_gives_api_timeout_error(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """hang() beyond the client timeout raises APITimeoutError (the client's own: the
    hang would answer only after 30 s)."""
    llm.hang(seconds=30)
    with pytest.raises(openai.APITimeoutError):
        ai.with_options(timeout=0.3).chat.completions.create(
            model="m",
            messages=MESSAGES,
        )
    assert ai.chat.completions.create(model="m", messages=MESSAGES).choices


def test_short_hang_then_answer(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """A hang that ends before the client's timeout just delays the normal answer: no
    answer while it lasts, the normal one once it is over."""
    llm.hang(seconds=30)  # ended below, by release_pauses(), well before it is up
    begun = llm.pauses_begun
    answers: list[Any] = []
    thread = threading.Thread(
        target=lambda: answers.append(ai.chat.completions.create(model="m", messages=MESSAGES)),
        daemon=True,
    )
    thread.start()
    llm.wait_pauses(begun + 1)  # the request is held
    assert thread.is_alive() and answers == []
    llm.release_pauses()
    thread.join(5)
    assert answers[0].choices[0].message.content == DEFAULT_REPLY


def test_openai_stop_is_quick_with_hanging_request() -> None:
    """stop() aborts an hour-long hang at once; the in-flight client call fails then,
    not after its 20 s timeout (the join's bound only turns such a wait into a failure)."""
    llm = OpenAIStandIn().start()
    client = openai.OpenAI(base_url=llm.base_url, api_key="test", max_retries=0, timeout=20)
    llm.hang(seconds=3600)
    errors: list[Exception] = []

    def call() -> None:
        try:
            client.chat.completions.create(model="m", messages=MESSAGES)
        except openai.APIError as exc:
            errors.append(exc)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    llm.wait_for("chat")
    llm.stop()
    thread.join(5)
    assert not thread.is_alive()
    assert len(errors) == 1
    assert isinstance(errors[0], openai.APIConnectionError)


def test_reset_aborts_a_hang_in_flight(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """reset() wakes a hanging handler and drops its connection, so a hang left over from
    one test can neither block nor answer during the next."""
    llm.hang(seconds=30)
    errors: list[Exception] = []

    def call() -> None:
        try:
            ai.with_options(timeout=20).chat.completions.create(model="m", messages=MESSAGES)
        except openai.APIError as exc:
            errors.append(exc)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    llm.wait_for("chat")
    llm.reset()
    thread.join(2)
    assert not thread.is_alive()
    assert len(errors) == 1
    assert isinstance(errors[0], openai.APIConnectionError)
    assert ai.chat.completions.create(model="m", messages=MESSAGES).choices


def test_malformed_not_json(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """A 200 with broken JSON: the client lets json.JSONDecodeError escape (not OpenAIError)."""
    llm.malformed(kind="not_json")
    with pytest.raises(json.JSONDecodeError):
        ai.chat.completions.create(model="m", messages=MESSAGES)
    llm.malformed(kind="not_json")
    stream = ai.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    with pytest.raises(json.JSONDecodeError):
        list(stream)


def test_malformed_no_choices(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """Valid JSON without choices: the client does not validate, ``choices`` is None."""
    llm.malformed(kind="no_choices")
    completion = ai.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices is None
    llm.malformed(kind="no_choices", path="embeddings")
    with pytest.raises(ValueError, match="No embedding data"):
        ai.embeddings.create(model="e", input="x")
    with pytest.raises(ValueError):
        llm.malformed(kind="bogus")


def test_content_filter(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """finish_reason content_filter with empty/partial content; parse() raises on it."""
    llm.reply("one two three four five six")
    llm.content_filter()
    choice = ai.chat.completions.create(model="m", messages=MESSAGES).choices[0]
    assert (choice.finish_reason, choice.message.content) == ("content_filter", "")
    llm.content_filter(partial=True)
    stream = ai.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "one two three"
    assert chunks[-1].choices[0].finish_reason == "content_filter"
    llm.content_filter()
    with pytest.raises(openai.ContentFilterFinishReasonError):
        ai.chat.completions.parse(model="m", messages=MESSAGES)


def test_stream_then_break(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """The stream delivers a couple of chunks, then an APIConnectionError."""
    llm.reply("alpha beta gamma delta epsilon")
    llm.stream_then_break(after_chunks=2)
    received: list[str] = []
    stream = ai.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    with pytest.raises(openai.APIConnectionError):
        for chunk in stream:
            received.append(chunk.choices[0].delta.content or "")
    assert "".join(received) == "alpha beta "
    llm.stream_then_break()
    with pytest.raises(openai.APIConnectionError):
        ai.chat.completions.create(model="m", messages=MESSAGES)
    # and the server is fine afterwards
    assert ai.chat.completions.create(model="m", messages=MESSAGES).choices


def test_stream_delay_spaces_chunks(llm: OpenAIStandIn, ai: openai.OpenAI) -> None:
    """stream_delay() makes chunks arrive over time (observable streaming): after each
    chunk the stream waits, and the client has that chunk and nothing more."""
    llm.reply("a b c")
    llm.stream_delay(30)  # each wait is ended below, by release_pauses()
    begun = llm.pauses_begun
    arrived: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        stream = ai.chat.completions.create(model="m", messages=MESSAGES, stream=True)
        for chunk in stream:
            arrived.put(chunk.choices[0].delta.content or "")
        arrived.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    texts = []
    for n in range(5):  # the role, "a ", "b ", "c", the finish: each followed by a wait
        llm.wait_pauses(begun + n + 1)
        texts.append(arrived.get(timeout=5))
        assert arrived.empty()  # the next chunk waits for the delay
        llm.release_pauses()
    assert arrived.get(timeout=5) is None
    reader.join(5)
    assert texts == ["", "a ", "b ", "c", ""]


def test_last_request_and_wait_for_explain_absence(llm: OpenAIStandIn) -> None:
    """Helpful AssertionErrors when nothing was recorded."""
    with pytest.raises(AssertionError, match="no chat request"):
        llm.last_request("chat")
    with pytest.raises(AssertionError, match="expected 1 'embeddings'"):
        llm.wait_for("embeddings", timeout=0.01)
