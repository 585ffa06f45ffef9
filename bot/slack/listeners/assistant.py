"""Slack's assistant pane, through Bolt's ``Assistant``: suggested prompts, a status while
briefbot works, a thread title, and answers that follow the thread."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import App, Assistant, SetStatus, SetSuggestedPrompts, SetTitle
from slack_bolt.context import BoltContext
from slack_sdk import WebClient

from bot.slack.conversation import SlackMessage, answer_message_job, thread_history
from bot.slack.digest_blocks import digest_message
from bot.slack.jobs import apologising
from bot.slack.mrkdwn import plain_question
from bot.slack.reply import in_thread, post_message
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)

STATUS = "is reading the sources…"
#: Slack's assistant.threads.setSuggestedPrompts takes "up to four" prompts, and refuses
#: the whole call for more.
MAX_PROMPTS = 4


# The words a request for the digest is made of; anything else makes it a question.
_DIGEST_WORDS = frozenset(
    """digest show me give send post see get the this that week's weeks week weekly latest
    new for please pls can could you i want what's whats is in it of a let's read""".split()
)


def is_digest_request(text: str) -> bool:
    """True when a message only asks for the digest: "This week's digest", "digest pls",
    "Show me the digest for this week", "What's in the digest?". Every word must be one a
    digest request is made of, so a question that merely uses the word ("What did the
    digest say about asylum?") is a question, and is answered as one."""
    normal = text.lower().replace("’", "'")
    found = re.findall(r"[a-z']+", normal)
    return "digest" in found and len(found) <= 10 and all(w in _DIGEST_WORDS for w in found)


def thread_title(text: str) -> str:
    """The first 80 characters of the first question, as plain text: Slack sends message
    text with ``&``, ``<`` and ``>`` escaped and mentions as ``<@U123>``, and a title is
    not mrkdwn."""
    plain = plain_question(text)
    return plain if len(plain) <= 80 else plain[:79] + "…"


def build_assistant(services: SlackServices) -> Assistant:
    assistant = Assistant()

    @assistant.thread_started
    def started(
        payload: dict[str, Any],
        client: WebClient,
        set_suggested_prompts: SetSuggestedPrompts,
        context: BoltContext,
    ) -> None:
        # (the front refuses a thread without its channel_id or thread_ts)
        thread = payload["assistant_thread"]
        channel, thread_ts = str(thread["channel_id"]), str(thread["thread_ts"])

        # after the ack, on the job pool, like every listener's Web API calls
        def greet() -> None:
            # Posted as any message, not with Bolt's say(), which adds the thread's context
            # as metadata (briefbot never reads it) and fails if the context is not an
            # object: the greeting and the prompts were lost.
            profile = services.briefing.profile
            post_message(client, channel, profile.greeting, thread_ts=thread_ts)
            prompts = list(profile.suggested_prompts) or list(profile.examples[:3])
            prompts = prompts[:MAX_PROMPTS]
            if prompts:
                set_suggested_prompts(prompts=prompts, title="Try asking")

        services.submit_event(context, greet, doing="greeting")

    @assistant.user_message
    def user_message(
        payload: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        set_status: SetStatus,
        set_title: SetTitle,
    ) -> None:
        text = str(payload.get("text") or "")
        if not payload.get("channel") or not payload.get("ts"):
            log.warning("ignored an assistant message without a channel or a ts")
            return
        channel = str(payload["channel"])
        thread_ts = str(payload.get("thread_ts") or payload["ts"])
        message_ts = str(payload["ts"])

        def respond_in_thread() -> None:
            # The status and the title are courtesies: if Slack refuses them, answer anyway.
            with apologising(None, "setting the assistant status"):
                set_status(STATUS)
            history = thread_history(client, channel, thread_ts, message_ts, context.bot_user_id)
            # the thread opens with briefbot's greeting: the first question is the first
            # turn of a person's, and only a person's earlier turns make it a follow-up
            asked_before = any(turn.role == "user" for turn in history)
            title = thread_title(text)
            if not asked_before and title:  # not one of only spaces or invisible characters
                with apologising(None, "setting the assistant thread title"):
                    set_title(title)
            if is_digest_request(plain_question(text)):
                if services.deliveries.claim(f"msg:{channel}:{message_ts}"):
                    digest_text, blocks = digest_message(services.briefing.digests.digest())
                    post_message(client, channel, digest_text, blocks, thread_ts=thread_ts)
                return
            message = SlackMessage.of(
                payload,
                context,
                surface="slack_assistant",
                thread_ts=thread_ts,
                with_history=asked_before,
            )
            # the turns were read above: not again (one more Web API call, or five pages)
            answer_message_job(services, client, message, history if asked_before else [])

        services.submit_event(
            context, respond_in_thread, apologise=in_thread(client, channel, thread_ts)
        )

    @assistant.thread_context_changed
    def context_changed() -> None:
        """The person moved to another channel with the pane open. briefbot never reads a
        thread's context, so there is nothing to keep: the event is acked and left alone.
        (Bolt's default keeps it in the greeting's metadata: conversations.replies and
        chat.update from Bolt's listener threads, on every move, failing when the event
        has no context or the greeting no blocks.)"""

    return assistant


def register(app: App, services: SlackServices) -> None:
    app.assistant(build_assistant(services))
