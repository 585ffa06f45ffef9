"""A button's click: who clicked, where, and how to answer them (:class:`ClickReply`)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookResponse

from bot.slack.reply import SLACK_ERRORS, in_channel, log_refusal, respond_checked

log = logging.getLogger(__name__)


def clicked_by(body: dict[str, Any]) -> str | None:
    """Who clicked the button of an interaction payload."""
    return (body.get("user") or {}).get("id")


def clicked_in(body: dict[str, Any]) -> str | None:
    """The conversation the clicked message is in."""
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


class ClickReply:
    """Answers the person who clicked a button, whatever the click came with.

    A click on a message comes with a ``response_url``, and the reply goes through it: an
    ephemeral message, one that replaces the message clicked, its deletion, or a public
    post. Slack omits the ``response_url`` for clicks in some surfaces (the App Home tab, a
    modal), and a signed payload may simply lack it; Bolt's ``respond`` then raises, and
    the click used to end in two tracebacks (the failure, then the failed apology) with
    nothing said to the user. Without one:

    * a private reply (:meth:`privately`, :meth:`tell`) goes by ``chat.postEphemeral`` to
      the person who clicked, in the conversation the click came from; a reply meant to
      replace the message clicked is sent as a new one, since only the response_url can
      replace an ephemeral message;
    * where there is no conversation (the App Home tab, a modal) or no user, or Slack
      refuses the ephemeral post (the bot is not in the channel), nobody can be told: the
      click's own work is still done (a vote is stored), and one line is logged at INFO or
      WARNING, without a traceback;
    * deleting the message clicked (:meth:`delete_original`) is skipped;
    * a public post (:meth:`publicly`) is not possible: :attr:`can_post_publicly` is False,
      and the caller says so to the user instead (sharing a private answer must also
      remove it, which needs the response_url).
    """

    def __init__(self, respond: Respond, client: WebClient, body: dict[str, Any]) -> None:
        url = respond.response_url
        self._respond = respond if isinstance(url, str) and url else None
        self._client = client
        self.user = clicked_by(body)
        self.channel = clicked_in(body)

    @property
    def can_post_publicly(self) -> bool:
        return self._respond is not None

    def privately(
        self, text: str, blocks: list[Any] | None = None, *, replace: bool = False
    ) -> None:
        """Tell only the person who clicked; ``replace`` replaces the message clicked
        (where the response_url allows it)."""
        if self._respond is not None:
            respond_checked(
                self._respond, text, blocks, replace=replace, what="the reply to a click"
            )
            return
        self._ephemeral(text, blocks)

    def _ephemeral(self, text: str, blocks: list[Any] | None) -> None:
        """Tell the person who clicked by ``chat.postEphemeral``, in the conversation
        clicked in; where that cannot be done, log one line."""
        if not (self.channel and self.user):
            log.info(
                "a click came without a usable response_url or a conversation; nobody to "
                "tell: %.80r",
                text,
            )
            return
        try:
            self._client.chat_postEphemeral(
                channel=self.channel, user=self.user, text=text, blocks=blocks
            )
        except SLACK_ERRORS as exc:
            log.warning(
                "could not reply to a click without a usable response_url in %s: %s",
                self.channel,
                _reason(exc),
            )

    def tell(self, text: str, *, url_spent: bool = False) -> None:
        """:meth:`privately`, as an ``Apologise``: a new message, never a replacement.
        ``url_spent``: the response_url refused a reply as expired or used up, so it
        would refuse this one too; it goes by ``chat.postEphemeral`` instead."""
        if url_spent:
            self._ephemeral(text, None)
        else:
            self.privately(text)

    def delete_original(self) -> None:
        """Delete the (ephemeral) message clicked, when the response_url allows it."""
        if self._respond is not None:
            try:
                deleted = self._respond(delete_original=True)
            except SLACK_ERRORS as exc:
                log.warning("no answer from the response_url to a deletion (%s)", _reason(exc))
                return
            log_refusal(deleted, "the deletion of the message clicked")

    def publicly(self, text: str, blocks: list[Any]) -> WebhookResponse:
        """Post in the conversation clicked in, through the response_url, once (never
        retried: see :func:`~bot.slack.reply.in_channel`); check
        :attr:`can_post_publicly` first."""
        if self._respond is None:
            raise RuntimeError("a public reply to a click needs its response_url")
        return in_channel(self._respond, text, blocks)


def _reason(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    error = response.get("error") if response is not None and hasattr(response, "get") else None
    return str(error or type(exc).__name__)
