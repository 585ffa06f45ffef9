"""Events: @-mentions, thread follow-ups, direct messages and the App Home."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context import BoltContext
from slack_sdk import WebClient

from bot.slack.blocks import home_view, section
from bot.slack.conversation import Services, answer_message_job, in_thread

# Message subtypes that are not somebody asking something (edits, joins, bot posts...).
_IGNORED_SUBTYPES = frozenset({"bot_message", "message_changed", "message_deleted", "channel_join"})


def _from_a_bot(event: dict[str, Any]) -> bool:
    return (
        bool(event.get("bot_id") or event.get("bot_profile"))
        or event.get("subtype") == "bot_message"
    )


def register(app: App, services: Services) -> None:
    @app.event("app_mention")
    def on_mention(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """Answer in the mention's thread; in an existing thread, with its history."""
        if _from_a_bot(event) or event.get("subtype") in _IGNORED_SUBTYPES:
            return
        channel = str(event["channel"])
        thread_ts = str(event.get("thread_ts") or event["ts"])
        services.submit_event(
            context,
            answer_message_job,
            services,
            client,
            apologise=in_thread(client, channel, thread_ts),
            question=str(event.get("text") or ""),
            channel=channel,
            message_ts=str(event["ts"]),
            thread_ts=thread_ts,
            user=event.get("user"),
            team=context.team_id,
            surface="slack_mention",
            bot_user_id=context.bot_user_id,
            with_history=True,
        )

    @app.event("message")
    def on_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """Direct messages, and later messages in channel threads briefbot answered in.

        A message that mentions briefbot is left to ``app_mention``; threaded DMs are the
        assistant pane's (see listeners/assistant.py).
        """
        if _from_a_bot(event) or event.get("subtype"):
            return
        text = str(event.get("text") or "")
        channel = str(event.get("channel") or "")
        ts = str(event.get("ts") or "")
        thread_ts = event.get("thread_ts")
        if event.get("channel_type") == "im":
            services.submit_event(
                context,
                answer_message_job,
                services,
                client,
                apologise=in_thread(client, channel, None),
                question=text,
                channel=channel,
                message_ts=ts,
                thread_ts=None,
                user=event.get("user"),
                team=context.team_id,
                surface="slack_dm",
                bot_user_id=context.bot_user_id,
                with_history=False,
            )
            return
        mentioned = context.bot_user_id is not None and f"<@{context.bot_user_id}" in text
        if not thread_ts or mentioned:
            return

        def follow_up() -> None:
            if services.briefing.thread_known(channel, str(thread_ts)):
                answer_message_job(
                    services,
                    client,
                    question=text,
                    channel=channel,
                    message_ts=ts,
                    thread_ts=str(thread_ts),
                    user=event.get("user"),
                    team=context.team_id,
                    surface="slack_thread",
                    bot_user_id=context.bot_user_id,
                    with_history=True,
                )

        # No apology if this fails: until the thread is known to be ours, briefbot must
        # not speak in it.
        services.submit_event(context, follow_up)

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event["user"])

        def publish() -> None:
            sources = [s.as_dict() for s in services.briefing.sources()]
            client.views_publish(
                user_id=user,
                view=home_view(services.briefing.digest(), sources, services.briefing.profile),
            )

        def apologise(text: str) -> None:
            client.views_publish(user_id=user, view={"type": "home", "blocks": section(text)})

        services.submit_event(context, publish, apologise=apologise, doing="loading this page")
