"""Events: @-mentions, thread follow-ups, direct messages and the App Home."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_bolt.context import BoltContext
from slack_sdk import WebClient

from bot.slack.blocks import section
from bot.slack.conversation import SlackMessage, answer_message_job
from bot.slack.digest_blocks import home_view
from bot.slack.mrkdwn import mentioned
from bot.slack.reply import in_thread
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)

# Message subtypes that are not somebody asking something (edits, joins, bot posts...).
_IGNORED_SUBTYPES = frozenset({"bot_message", "message_changed", "message_deleted", "channel_join"})
#: Message subtypes that are somebody writing, as a plain message is (None): with a file
#: attached, a thread reply also sent to the channel, or a ``/me`` message.
_PEOPLE_S_SUBTYPES = frozenset({None, "file_share", "thread_broadcast", "me_message"})


#: Slackbot's user id: its posts (auto-responses, reminders) carry no ``bot_id``.
SLACKBOT = "USLACKBOT"


def _from_a_bot(event: dict[str, Any]) -> bool:
    return (
        bool(event.get("bot_id") or event.get("bot_profile"))
        or event.get("subtype") == "bot_message"
        or event.get("user") == SLACKBOT
    )


def register(app: App, services: SlackServices) -> None:
    def answer(context: BoltContext, client: WebClient, message: SlackMessage) -> None:
        """Answer ``message`` after the ack, once per delivery; a failure is apologised
        for where the answer would have gone."""
        services.submit_event(
            context,
            answer_message_job,
            services,
            client,
            message,
            apologise=in_thread(client, message.channel, message.thread_ts),
        )

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """Answer in the mention's thread; in an existing thread, with its history."""
        if _from_a_bot(event) or event.get("subtype") in _IGNORED_SUBTYPES:
            return
        if not event.get("ts") or not event.get("channel"):
            log.warning("ignored an app_mention without a channel or a ts")
            return
        thread_ts = str(event.get("thread_ts") or event["ts"])
        message = SlackMessage.of(
            event, context, surface="slack_mention", thread_ts=thread_ts, with_history=True
        )
        answer(context, client, message)

    @app.event("message")
    def on_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """Direct messages, and later messages in channel threads briefbot answered in.

        A message that mentions briefbot is left to ``app_mention``; threaded DMs are the
        assistant pane's (see listeners/assistant.py), but for the subtypes Bolt's
        assistant leaves here, which are answered in their thread. In a thread it follows, briefbot
        answers what is said to the thread, not a message that @-mentions someone else,
        and it does not reply to chatter there with its hint or its help text ("thanks!",
        an emoji): see ``answer_message_job``.
        """
        if _from_a_bot(event) or event.get("subtype") not in _PEOPLE_S_SUBTYPES:
            return
        if not event.get("ts") or not event.get("channel"):
            log.warning("ignored a message without a channel or a ts")
            return
        thread_ts = event.get("thread_ts")
        if event.get("channel_type") == "im":
            # A DM thread's messages are the assistant pane's, but Bolt's assistant takes
            # only those with no subtype or a file: a thread reply also sent to the DM
            # (thread_broadcast) or a /me message in the thread comes here. Whatever its
            # subtype, a message in a thread is answered in that thread, as a follow-up:
            # the person is reading the thread, not the DM's top level.
            message = SlackMessage.of(
                event,
                context,
                surface="slack_dm",
                thread_ts=str(thread_ts) if thread_ts else None,
                with_history=bool(thread_ts),
            )
            answer(context, client, message)
            return
        text = str(event.get("text") or "")
        # Any mention decides: briefbot's is app_mention's, anyone else's (a person's or a
        # user group's) is not for briefbot.
        if not thread_ts or mentioned(text):
            return
        message = SlackMessage.of(
            event, context, surface="slack_thread", thread_ts=str(thread_ts), with_history=True
        )

        def follow_up() -> None:
            if services.deliveries.thread_known(message.channel, str(thread_ts)):
                answer_message_job(services, client, message)

        # No apology if this fails: until the thread is known to be ours, briefbot must
        # not speak in it.
        services.submit_event(context, follow_up)

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        if not event.get("user"):
            log.warning("ignored an app_home_opened without a user")
            return
        user = str(event["user"])

        def publish() -> None:
            briefing = services.briefing
            view = home_view(briefing.digests.digest(), briefing.sources(), briefing.profile)
            client.views_publish(user_id=user, view=view)

        def apologise(text: str) -> None:
            client.views_publish(user_id=user, view={"type": "home", "blocks": section(text)})

        services.submit_event(context, publish, apologise=apologise, doing="loading this page")
