"""Slack's assistant pane, through Bolt's ``Assistant``: suggested prompts, a status while
briefbot works, a thread title, and answers that follow the thread."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Assistant, Say, SetStatus, SetSuggestedPrompts, SetTitle
from slack_bolt.context import BoltContext
from slack_sdk import WebClient

from bot.slack.blocks import digest_text, escape
from bot.slack.conversation import Services, answer_message_job, thread_history

SUGGESTED_PROMPTS = [
    "What does the agreement commit to?",
    "What do critics say?",
    "This week's digest",
]
GREETING = (
    "Hi! I brief you on the US–Central America border-security memorandum and the "
    "criticism of it, from the stored articles, with sources. What would you like to know?"
)
STATUS = "is reading the sources…"


def is_digest_request(text: str) -> bool:
    return "digest" in text.lower().split() or text.strip().lower().rstrip(".!?") in (
        "this week's digest",
        "this weeks digest",
    )


def build_assistant(services: Services) -> Assistant:
    assistant = Assistant()

    @assistant.thread_started
    def started(say: Say, set_suggested_prompts: SetSuggestedPrompts, context: BoltContext) -> None:
        if not services.first_delivery(context):
            return
        say(GREETING)
        set_suggested_prompts(prompts=SUGGESTED_PROMPTS, title="Try asking")

    @assistant.user_message
    def user_message(
        payload: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        set_status: SetStatus,
        set_title: SetTitle,
    ) -> None:
        services.submit_event(
            context, respond_in_thread, payload, context, client, set_status, set_title
        )

    def respond_in_thread(
        payload: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        set_status: SetStatus,
        set_title: SetTitle,
    ) -> None:
        text = str(payload.get("text") or "")
        channel = str(payload["channel"])
        thread_ts = str(payload.get("thread_ts") or payload["ts"])
        message_ts = str(payload["ts"])
        set_status(STATUS)
        first = not thread_history(client, channel, thread_ts, message_ts, context.bot_user_id)
        if first and text.strip():
            set_title(escape(" ".join(text.split()))[:80])
        if is_digest_request(text):
            if services.briefing.claim(f"msg:{channel}:{message_ts}"):
                client.chat_postMessage(
                    channel=channel,
                    thread_ts=thread_ts,
                    text=digest_text(services.briefing.digest()),
                    unfurl_links=False,
                )
            return
        answer_message_job(
            services,
            client,
            question=text,
            channel=channel,
            message_ts=message_ts,
            thread_ts=thread_ts,
            user=payload.get("user"),
            team=context.team_id,
            surface="slack_assistant",
            bot_user_id=context.bot_user_id,
            with_history=not first,
        )

    return assistant


def register(app: App, services: Services) -> None:
    app.assistant(build_assistant(services))
