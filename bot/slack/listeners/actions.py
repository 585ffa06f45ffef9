"""Buttons: show the cited passages, 👍/👎 feedback, and sharing a private answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.core.models import LoggedExchange
from bot.slack.answer_blocks import (
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    SHARE_ANSWER,
    SHARE_QUOTES,
    SHOW_QUOTES,
    answer_message,
    quotes_blocks,
    quotes_message,
)
from bot.slack.blocks import fit, within_text
from bot.slack.clicks import ClickReply, clicked_by, clicked_in
from bot.slack.reply import (
    PERHAPS_CARRIED_OUT,
    URL_SPENT,
    may_have_landed,
    refusal,
    taken_despite,
)
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)

GONE = "That answer is no longer in the log (it may have been purged)."
ELSEWHERE = "That answer was given in another conversation; rate it there."
NOT_YOURS = "Only the person who asked can share this, in the conversation where they asked."
NOT_FROM_HERE = "This can be shared only from the private answer itself, where you asked."
UNCONFIRMED = (
    "Slack did not confirm the share, so it may already be in the channel; it is not "
    "posted again. If it is not there, ask again and share the new answer."
)
REFUSED = (
    "Slack did not take the share, so it was not posted in the channel; your answer is "
    "still here. Click *Share in channel* again to try once more."
)
ALREADY_SHARED = (
    "This answer has already been shared, or Slack did not confirm the share; it is not "
    "posted again. If it is not in the channel, ask again and share the new answer."
)
SHAREABLE_SURFACES = frozenset({"slash_brief", "slash_quote"})


def _clicked_where_given(exchange: LoggedExchange, body: dict[str, Any]) -> bool:
    """The click comes from the conversation the answer was given in (anyone there may
    rate it): a click replayed from elsewhere with a log id seen in a message must not
    rate an answer given in somebody's DM."""
    return exchange.channel is None or exchange.channel == clicked_in(body)


def _may_share(exchange: LoggedExchange, body: dict[str, Any]) -> bool:
    """The clicking user asked this privately (a slash command) in this conversation."""
    return (
        exchange.surface in SHAREABLE_SURFACES
        and exchange.user is not None
        and exchange.user == clicked_by(body)
        and exchange.channel == clicked_in(body)
    )


def _unconfirmed(reply: ClickReply, key: str, why: object) -> None:
    """A share Slack did not answer: it stays claimed, and the person is told why."""
    log.warning(
        "%s: no answer from Slack (%s); it may have been posted, so it stays claimed", key, why
    )
    reply.tell(UNCONFIRMED)


Render = Callable[[LoggedExchange, str | None], tuple[str, list[Any]]]


Act = Callable[[LoggedExchange, dict[str, Any], ClickReply], None]


def register(app: App, services: SlackServices) -> None:
    """Every button acks at once and does its work (the log, Slack's response_url) on the
    job pool: Bolt's listener threads are few, and a slow database or Slack behind a
    burst of clicks must not hold up the 3-second ack of a slash command. Replies go
    through :class:`ClickReply`, which also answers a click that came without a
    response_url (the App Home tab, a modal)."""

    def on_exchange(what: str, doing: str, act: Act) -> Any:
        """A button whose value is an exchange id: ack, then, after the ack, read the
        exchange back from the log (or say it is gone) and ``act`` on it; a failure is
        apologised for, to the person who clicked."""

        def handler(
            ack: Ack,
            action: dict[str, Any],
            body: dict[str, Any],
            respond: Respond,
            client: WebClient,
        ) -> None:
            ack()
            reply = ClickReply(respond, client, body)

            def work() -> None:
                exchange = services.briefing.log.exchange(str(action.get("value")))
                if exchange is None:
                    reply.tell(GONE)
                    return
                act(exchange, body, reply)

            work.__name__ = what
            services.jobs.submit(work, apologise=reply.tell, doing=doing)

        return handler

    def show_quotes(exchange: LoggedExchange, _body: dict[str, Any], reply: ClickReply) -> None:
        # every passage with two links may add up to more than one message takes
        passages = quotes_blocks(
            exchange.citations, "*The cited passages, verbatim*", numbered=True
        )
        reply.privately("The cited passages, verbatim", within_text(fit(passages)))

    app.action(SHOW_QUOTES)(on_exchange("showing quotes", "showing the quotes", show_quotes))

    def feedback(value: int) -> Any:
        def handler(
            ack: Ack,
            action: dict[str, Any],
            body: dict[str, Any],
            respond: Respond,
            client: WebClient,
        ) -> None:
            ack()
            tell = ClickReply(respond, client, body).tell

            def store() -> None:
                log = services.briefing.log
                exchange = log.exchange(str(action.get("value")))
                if exchange is not None and not _clicked_where_given(exchange, body):
                    tell(ELSEWHERE)
                    return
                stored = exchange is not None and log.feedback(
                    exchange.exchange_id, value, clicked_by(body)
                )
                thanks = "Thanks, noted 👍" if value > 0 else "Thanks, noted 👎. We read every one."
                tell(thanks if stored else GONE)

            services.jobs.submit(store, apologise=tell, doing="saving your feedback")

        return handler

    app.action(FEEDBACK_UP)(feedback(+1))
    app.action(FEEDBACK_DOWN)(feedback(-1))

    def share(render: Render) -> Any:
        """Post a private answer (or quotes) publicly, then remove the private copy.

        Only what the clicking person asked privately, in this conversation, can be shared:
        the button's value is an exchange id, and a replayed or forged click must not post
        somebody else's answer, or a DM's, into a channel. Each exchange is shared once,
        however many times the button is clicked (claimed like an event). If Slack
        refuses the post (a status other than 200, or HTTP 200 with ``"ok": false``, as
        an expired url is refused: :func:`~bot.slack.reply.refusal`), the claim is
        released and the person is told it was not posted and may click again (by
        ``chat.postEphemeral`` when the url can take nothing more); if it never reaches
        Slack, the claim is released too. If Slack does not answer (a timeout, a dropped
        connection, a 500), the post may have landed: the claim is kept, so no click posts
        it again, and the person is told it may already be in the channel. The private
        copy is removed only once the public one is posted: a click on an answer already
        claimed is told so, and its private copy stays (the first share may not have
        landed).
        """

        def act(exchange: LoggedExchange, body: dict[str, Any], reply: ClickReply) -> None:
            if not _may_share(exchange, body):
                reply.tell(NOT_YOURS)
                return
            if not reply.can_post_publicly:
                reply.tell(NOT_FROM_HERE)
                return
            key = f"share:{exchange.exchange_id}"
            if not services.deliveries.claim(key):
                # Shared already (that click removed the private copy once the answer
                # was in the channel), or a share Slack did not answer: the private
                # copy stays, since the answer may be in no channel.
                reply.tell(ALREADY_SHARED)
                return
            try:
                text, blocks = render(exchange, clicked_by(body))
                posted = reply.publicly(text, blocks)
            except Exception as exc:
                if may_have_landed(exc):
                    _unconfirmed(reply, key, exc)
                    return
                services.deliveries.release(key)
                raise
            refused = refusal(posted)
            if refused is None:
                reply.delete_original()
            elif taken_despite(refused.status) or (
                refused.status == 200 and refused.error in PERHAPS_CARRIED_OUT
            ):
                _unconfirmed(reply, key, refused)
            else:
                services.deliveries.release(key)
                log.warning("%s: the response_url refused the shared message: %s", key, refused)
                reply.tell(REFUSED, url_spent=refused.error in URL_SPENT)

        return on_exchange("sharing", "sharing", act)

    app.action(SHARE_ANSWER)(share(lambda e, user: answer_message(e, shared_by=user)))
    app.action(SHARE_QUOTES)(
        share(lambda e, user: quotes_message(e.question, e.citations, None, shared_by=user))
    )
