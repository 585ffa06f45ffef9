"""Answering a Slack message: the one job every surface that takes messages shares.

A listener acks, then hands the message to :func:`answer_message_job` on the job runtime.
The job claims the message (exactly once, across processes), reads the thread's history
for follow-ups, asks the briefing core, and delivers the answer through a
:class:`~bot.slack.reply.ThreadReply`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt.context import BoltContext
from slack_sdk import WebClient

from bot.core.briefing import QuestionDeclined
from bot.core.models import Answer, ExchangeContext, Turn
from bot.core.profile import Profile
from bot.errors import BriefbotError, InputError, apology, new_log_id
from bot.slack.answer_blocks import answer_message
from bot.slack.blocks import section
from bot.slack.jobs import apologising
from bot.slack.mrkdwn import escape, plain_question
from bot.slack.reply import SLACK_ERRORS, ThreadReply
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)

#: The log's note on a message in a followed thread that got no reply (chatter): its
#: row keeps no answer (see :meth:`~bot.core.exchange_log.ExchangeLog.note_not_sent`).
CHATTER_NOTE = "no reply sent: chatter in a thread briefbot follows"
HISTORY_LIMIT = 12
#: A thread's replies are read in pages of this many messages, at most this many pages.
REPLY_PAGE = 200
REPLY_PAGES = 5


def thread_history(
    client: WebClient, channel: str, thread_ts: str, before_ts: str, bot_user_id: str | None
) -> list[Turn]:
    """The latest turns of a thread before ``before_ts``, oldest first: the bot's answers
    and people's questions (at most ``HISTORY_LIMIT``). Other apps' posts in the thread
    (a CI bot, a poll) are neither, nor is what Slack leaves of a deleted message that
    had replies (a "tombstone": "This message was deleted.").

    Slack gives a thread's replies oldest first, a page at a time: the pages are followed
    (up to ``REPLY_PAGES`` of ``REPLY_PAGE`` messages), so that in a long thread the turns
    just before the question are the ones read, not the thread's first."""
    messages: list[dict[str, Any]] = []
    cursor: str | None = None
    try:
        for _ in range(REPLY_PAGES):
            response = client.conversations_replies(
                channel=channel, ts=thread_ts, limit=REPLY_PAGE, cursor=cursor
            )
            messages.extend(response.get("messages") or [])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or cursor is None:
                break
    except SLACK_ERRORS as exc:
        log.warning("could not read thread history (%s); answering without it", exc)
        if not messages:
            return []
    turns: list[Turn] = []
    for message in messages:
        ts = str(message.get("ts") or "")
        if not ts or float(ts) >= float(before_ts) or message.get("subtype") == "tombstone":
            continue
        text = plain_question(str(message.get("text") or ""))
        if not text:
            continue
        ours = bot_user_id is not None and message.get("user") == bot_user_id
        if not ours and (message.get("bot_id") or message.get("subtype") == "bot_message"):
            if bot_user_id is not None:
                continue  # another app's post: neither a question nor briefbot's answer
            ours = True  # who briefbot is is unknown: a bot's post is read as its own
        turns.append(Turn("assistant" if ours else "user", text))
    return turns[-HISTORY_LIMIT:]


@dataclass(frozen=True)
class SlackMessage:
    """A message to answer: what was said, where, by whom, and where the answer goes."""

    text: str
    channel: str
    ts: str
    #: The thread the answer goes in (None: the conversation itself, as in a DM).
    thread_ts: str | None
    user: str | None
    team: str | None
    bot_user_id: str | None
    #: How it reached briefbot, for the log: slack_mention, slack_dm, slack_thread...
    surface: str
    #: Read the thread's earlier turns, for a follow-up.
    with_history: bool
    #: The team of the person who wrote it: a streamed answer goes to them, and in a Slack
    #: Connect channel they may belong to another workspace than briefbot's (``team``).
    user_team: str | None = None
    #: Files came with it (an upload or a shared file): Slack lists them in the event's
    #: ``files``, on a ``message`` of subtype ``file_share`` and on an ``app_mention``.
    has_files: bool = False

    @classmethod
    def of(
        cls,
        event: Mapping[str, Any],
        context: BoltContext,
        *,
        surface: str,
        thread_ts: str | None,
        with_history: bool,
    ) -> SlackMessage:
        """The message of an Events API ``message`` or ``app_mention`` event (or of the
        assistant pane's message payload)."""
        return cls(
            text=str(event.get("text") or ""),
            channel=str(event.get("channel") or ""),
            ts=str(event.get("ts") or ""),
            thread_ts=thread_ts,
            user=event.get("user"),
            team=context.team_id,
            bot_user_id=context.bot_user_id,
            surface=surface,
            with_history=with_history,
            user_team=event.get("user_team") or event.get("team") or context.team_id,
            has_files=bool(event.get("files")),
        )


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def files_only_reply(profile: Profile) -> str:
    """The reply to a message that brings files and no words (an uploaded PDF): briefbot
    answers from its stored articles and reads no attachment, so it says so, and how to
    ask, rather than give the hint an empty message gets as if nothing had been sent."""
    return f"I answer from the stored articles and cannot read attached files.\n{profile.hint()}."


def answer_message_job(
    services: SlackServices,
    client: WebClient,
    message: SlackMessage,
    history: list[Turn] | None = None,
) -> Answer | None:
    """Claim, answer and deliver one message. Returns the answer (None if not answered).
    ``history`` is the thread's earlier turns when the caller has read them already (the
    assistant pane does, to title the thread); otherwise they are read here.

    Never raises: an unexpected failure replaces whatever was shown (a streamed draft
    included) with an apology that carries a log id.
    """
    m = message
    reply = ThreadReply(client, m.channel, m.thread_ts, team_id=m.user_team, user_id=m.user)

    def finish_with(text: str) -> None:
        reply.finish(text, section(escape(text)))

    # A message in a thread briefbot follows was not addressed to it: it gets an answer
    # or a refusal, but not the hint or the help text that chatter would draw.
    unaddressed = m.surface == "slack_thread"
    with apologising(finish_with, f"answering message {m.ts} in {m.channel}"):
        if not services.deliveries.claim(f"msg:{m.channel}:{m.ts}"):
            log.info("message %s in %s already claimed; not answering twice", m.ts, m.channel)
            return None
        if m.thread_ts:
            # Followed from now on, not once the answer is logged: a follow-up sent while
            # this answer is still being written is answered too.
            services.deliveries.follow(m.channel, m.thread_ts)
        text = plain_question(m.text)
        if not text:
            # Not a question, so not logged as one. Files alone dropped in a thread
            # briefbot follows are for the people there, like any chatter.
            if unaddressed:
                return None
            profile = services.briefing.profile
            if m.has_files:
                log.info("message %s in %s has files and no words", m.ts, m.channel)
                finish_with(files_only_reply(profile))
            else:
                finish_with(f"{profile.hint()}.")
            return None
        if history is None:
            history = []
            if m.with_history and m.thread_ts and m.thread_ts != m.ts:
                history = thread_history(client, m.channel, m.thread_ts, m.ts, m.bot_user_id)
        context = ExchangeContext(
            surface=m.surface,
            workspace=m.team,
            channel=m.channel,
            user=m.user,
            thread_ts=m.thread_ts,
            message_ts=m.ts,
        )
        try:
            answer = services.ask(text, context, history=history, on_text=reply.on_text)
        except BriefbotError as exc:  # AnswerFailed included: its message has the log id
            if unaddressed and isinstance(exc, InputError) and not _has_words(text):
                # an emoji, punctuation: chatter, not a question
                if isinstance(exc, QuestionDeclined) and exc.exchange_id:
                    services.briefing.log.note_not_sent(exc.exchange_id, CHATTER_NOTE)
                return None
            finish_with(exc.message)  # a question too long is still a question: say so
            return None
        if unaddressed and answer.mode == "help":
            log.info("not answering chatter in a followed thread (%s in %s)", m.ts, m.channel)
            if answer.exchange_id:
                services.briefing.log.note_not_sent(answer.exchange_id, CHATTER_NOTE)
            return answer
        try:
            rendered_text, blocks = answer_message(answer)
        except Exception:
            log_id = answer.exchange_id or new_log_id()
            log.exception("could not render answer %s", log_id)
            rendered_text = apology(log_id)
            blocks = section(rendered_text)
            if answer.exchange_id:
                services.briefing.log.note_error(answer.exchange_id, "slack: rendering failed")
        if reply.finish(rendered_text, blocks) is None and answer.exchange_id:
            services.briefing.log.note_error(answer.exchange_id, "slack: delivery failed")
        return answer
    return None
