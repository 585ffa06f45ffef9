"""Replying in Slack: what briefbot posts, in a conversation or to one person.

Messages are never unfurled (:func:`post_message`). An answer is delivered while it is
written (:class:`ThreadReply`): in a thread the draft is streamed (``chat.startStream`` /
``appendStream`` / ``stopStream``); where streaming is not available (a DM, or Slack
refuses it) the draft is posted and then updated. Either way the guarded answer, as Block
Kit, replaces it.
"""

from __future__ import annotations

import html
import json
import logging
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.error import URLError

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.webhook import WebhookClient, WebhookResponse

from bot.slack.blocks import as_text, context
from bot.slack.jobs import Apologise
from bot.slack.mrkdwn import escape, escape_markdown

log = logging.getLogger(__name__)

#: What a Web API call raises when Slack refuses it or cannot be reached.
SLACK_ERRORS = (SlackApiError, SlackRequestError, URLError, OSError)


def in_thread(client: WebClient, channel: str, thread_ts: str | None) -> Apologise:
    """Post a plain message in a conversation (or a thread of it); for apologies."""

    def post(text: str) -> None:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)

    return post


#: Web API methods that must not be sent twice: each call posts a message
#: (``chat.startStream`` too) or adds to one (``chat.appendStream``: sent again, its text
#: would show twice).
POSTS = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.startStream", "chat.appendStream"}
)


def never_sent(error: BaseException | None) -> bool:
    """Did a Web API call fail before reaching Slack (the connection refused, the host
    unknown)? Then it cannot have been carried out, and sending it again repeats nothing."""
    reason = error.reason if isinstance(error, URLError) else error
    return isinstance(reason, ConnectionRefusedError | socket.gaierror)


def taken_despite(status: int) -> bool:
    """May Slack have carried out a post it answered with HTTP ``status``? After a server
    error (500, 502, 504) it may; not after a 503 (not taken), a 429 or an ``ok: false``
    refusal (200)."""
    return status >= 500 and status != 503


#: The message metadata of a posted draft (with its answer's id), to find it again.
DRAFT_METADATA = "briefbot_draft"
#: What replaces a half answer a lost ``chat.startStream`` left, if it cannot be deleted;
#: and what the answer says when that half answer cannot be found.
CUT_OFF = "_This draft was cut off; the whole answer is below._"
CUT_OFF_NOTE = (
    "A draft of this answer may have been left above, cut off mid-sentence; this is the "
    "whole answer."
)
#: How many letters and digits of a lost stream's start must open a message to be it.
_START_MATCH = 40

#: Slack's refusals of a message's form, which the text alone may pass: every other
#: refusal (not_in_channel, is_archived, ratelimited ...) would refuse it again.
#: ``msg_blocks_too_long``: chat.postMessage refuses blocks whose text adds up to more
#: than about 12,000 characters, each block within its own limit.
REFUSED_FORM = frozenset(
    [
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_blocks_too_long",
        "msg_too_long",
        "too_many_attachments",
    ]
)


#: Slack's ``ok: false`` errors (with HTTP 200) that do not mean "not done": Slack
#: documents ``fatal_error`` and ``internal_error`` as "some aspect of the operation may
#: have succeeded before the error was raised". A post answered so may have landed.
PERHAPS_CARRIED_OUT = frozenset({"fatal_error", "internal_error"})


def maybe_taken(exc: SlackApiError) -> bool:
    """May Slack have carried out the Web API call that failed with ``exc``: after a
    server error (:func:`taken_despite`), or an answer (HTTP 200) naming an error Slack
    says may have been carried out (:data:`PERHAPS_CARRIED_OUT`). Any other ``ok: false``
    is a refusal; so is a 503 or a 429 whatever its body names, since the status says
    the call was not taken."""
    if exc.response is None:
        return False
    status = exc.response.status_code
    return taken_despite(status) or (status == 200 and slack_error(exc) in PERHAPS_CARRIED_OUT)


def slack_error(exc: SlackApiError) -> str | None:
    """The ``error`` Slack named in its answer, if it named one."""
    data = exc.response.data if exc.response is not None else None
    error = data.get("error") if isinstance(data, dict) else None
    return str(error) if error else None


def may_have_landed(error: BaseException) -> bool:
    """Did a post fail without Slack saying whether it took it: a server error, a
    ``fatal_error``, a timeout, a dropped connection? Then it may have landed, and must
    not be sent again. (A refusal, a rate limit, a 503 or a connection never made: it
    did not land.)"""
    if isinstance(error, SlackApiError):
        return maybe_taken(error)
    return isinstance(error, URLError | OSError) and not never_sent(error)


def post_message(
    client: WebClient,
    channel: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    **more: Any,
) -> Any:
    """Post a message briefbot wrote (its fallback ``text`` and ``blocks``), never
    unfurled: a link in an article must not grow a preview in the channel."""
    return client.chat_postMessage(
        channel=channel, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False, **more
    )


#: A response_url's refusals that say the url can take nothing more (too old, or used
#: five times already): a shorter reply through it would be refused too.
URL_SPENT = frozenset({"expired_url", "used_url"})
_ERROR_NAME = re.compile(r"[A-Za-z0-9_]{1,60}")


@dataclass(frozen=True)
class Refusal:
    """A response_url's answer that was not a yes: its HTTP status and the error it
    named (only a short word: the body itself is not logged)."""

    status: int
    error: str | None

    def __str__(self) -> str:
        return f"{self.error} (HTTP {self.status})" if self.error else f"HTTP {self.status}"


def refusal(response: WebhookResponse) -> Refusal | None:
    """None if the response_url took the reply (HTTP 200, and no ``"ok": false``);
    otherwise what it said. Slack answers a refused reply with a non-200 status, or a
    JSON body ``{"ok": false, "error": ...}``, or a bare error word."""
    body = (response.body or "").strip()
    error: str | None = None
    ok = response.status_code == 200
    try:
        data = json.loads(body) if body.startswith("{") else None
    except ValueError:
        data = None
    if isinstance(data, dict):
        if data.get("ok") is False:
            ok = False
            error = str(data.get("error") or "") or None
    elif not ok:
        error = body
    if ok:
        return None
    return Refusal(response.status_code, error if error and _ERROR_NAME.fullmatch(error) else None)


def respond_checked(
    respond: Respond,
    text: str,
    blocks: list[Any] | None = None,
    *,
    replace: bool,
    what: str,
    shorter: str | None = None,
) -> bool:
    """Reply privately through ``respond``'s response_url (``replace``: in place of the
    message acted on), and check that it was taken; True if it was.

    Bolt's ``respond`` returns the response_url's answer rather than raising, so a reply
    it refuses (an expired or used-up url, blocks it will not take, a reply too big) was
    dropped without a word. A refusal is logged (with ``what`` the reply was, the HTTP
    status and the error Slack named: never the url, which lets anyone holding it post
    as briefbot, nor the reply), and, unless the url is spent (:data:`URL_SPENT`), the
    reply is sent once more in its shorter form: ``shorter`` if given, else the text of
    ``blocks`` alone (:func:`~bot.slack.blocks.as_text`). After a server error a reply
    that adds a message is not sent again (it may have landed); one that replaces the
    message acted on may be. No answer at all (a timeout) is logged and not retried; nor
    is a dropped connection, for a reply that adds a message (:func:`send_once`: Bolt's
    ``respond`` would send it again, and it would show twice).
    """
    attempts: list[tuple[str, list[Any] | None]] = [(text, blocks)]
    if blocks or shorter is not None:
        attempts.append((shorter if shorter is not None else as_text(blocks or []) or text, None))
    # sent again, a reply that replaces the message acted on replaces it again: Bolt's
    # retry is fine for it
    send: Callable[..., WebhookResponse] = respond if replace else partial(send_once, respond)
    for number, (attempt, attempt_blocks) in enumerate(attempts, start=1):
        try:
            response = send(
                response_type="ephemeral",
                replace_original=replace,
                text=attempt,
                blocks=attempt_blocks,
            )
        except SLACK_ERRORS as exc:
            log.warning("no answer from the response_url to %s (%s)", what, type(exc).__name__)
            return False
        refused = refusal(response)
        if refused is None:
            if number > 1:
                log.info("%s was sent in its shorter form", what)
            return True
        log.warning("the response_url refused %s: %s", what, refused)
        if refused.error in URL_SPENT or (taken_despite(refused.status) and not replace):
            return False
    return False


def log_refusal(response: WebhookResponse, what: str) -> bool:
    """Log a response_url's refusal of ``what`` (see :func:`respond_checked`); True if
    it was taken."""
    refused = refusal(response)
    if refused is not None:
        log.warning("the response_url refused %s: %s", what, refused)
    return refused is None


def privately(respond: Respond, *, replace: bool) -> Apologise:
    """Tell only the person who typed the command or clicked the button; ``replace``
    replaces the message they acted on (a "working on it" reply) instead of adding one.
    A refusal is logged (:func:`respond_checked`)."""

    def say(text: str) -> None:
        respond_checked(respond, text, replace=replace, what="a private reply")

    return say


def send_once(respond: Respond, **message: Any) -> WebhookResponse:
    """Send ``message`` through ``respond``'s response_url once.

    Bolt's ``respond`` sends with a WebhookClient that retries a connection error, and
    after a dropped connection a reply that adds a message may have landed: sent again,
    it would show twice. This client retries nothing; the caller decides, by
    :func:`may_have_landed` and :func:`taken_despite`, whether to try again.
    """
    if not respond.response_url:
        raise ValueError("respond is unsupported here as there is no response_url")
    webhook = WebhookClient(
        respond.response_url, proxy=respond.proxy, ssl=respond.ssl, retry_handlers=[]
    )
    return webhook.send(**message)


def in_channel(respond: Respond, text: str, blocks: list[Any] | None = None) -> WebhookResponse:
    """Post for everyone in the conversation through ``respond``'s response_url, once
    (:func:`send_once`), never unfurled (like :func:`post_message`)."""
    return send_once(
        respond,
        text=text,
        blocks=blocks,
        response_type="in_channel",
        replace_original=False,
        unfurl_links=False,
        unfurl_media=False,
    )


class ThreadReply:
    """Delivers one answer to a channel (in a thread when ``thread_ts`` is given).

    ``on_text`` may be called many times from the answering thread while an LLM streams;
    ``finish`` posts or replaces the message with the final blocks.

    Drafts are a courtesy: the first draft post or update that fails ends them for this
    answer, which :meth:`finish` then shows. Trying again with every piece the model
    streams would cost a rate-limited Web API hundreds of calls, each with the client's
    ``Retry-After`` waits, and a draft post Slack did not answer may have landed: posted
    again, two drafts would show. Such a post carries :data:`DRAFT_METADATA`, so
    ``finish`` can find it in the conversation and replace it with the answer.
    """

    STREAM_BUFFER = 160
    UPDATE_EVERY = 1.0

    def __init__(
        self,
        client: WebClient,
        channel: str,
        thread_ts: str | None,
        *,
        team_id: str | None = None,
        user_id: str | None = None,
    ) -> None:
        self.client = client
        self.channel = channel
        self.thread_ts = thread_ts
        self.team_id = team_id
        self.user_id = user_id
        self.ts: str | None = None
        self._text = ""
        self._stream: Any = None
        self._streamed = 0  # characters of escaped text already appended to the stream
        #: "stream", "update" (post the draft, then update it) or "final" (no more drafts)
        self._mode = "stream" if thread_ts else "update"
        self._last_update = 0.0
        self._draft_id = uuid.uuid4().hex
        #: When a draft post went unanswered (it may have landed; see the class docstring)
        self._unanswered_at: float | None = None
        #: The escaped text a stream was started with, as last sent
        self._sent = ""
        #: (when, with what text) a ``chat.startStream`` went unanswered: see _give_up
        self._lost_start: tuple[float, str] | None = None
        self._lock = threading.Lock()

    def on_text(self, piece: str) -> None:
        with self._lock:
            self._text += piece
            if self._mode == "stream":
                try:
                    self._append_stream()
                    return
                except SLACK_ERRORS as exc:
                    log.info("streaming unavailable (%s); posting and updating instead", exc)
                    self._give_up_streaming(exc)
            if self._mode == "update":
                self._post_or_update()

    def _give_up_streaming(self, error: BaseException) -> None:
        """Post and update the draft from now on.

        A stream that never started (Slack refused ``chat.startStream``) is dropped:
        stopping it in :meth:`finish` would start it, a second message beside the posted
        draft, and the draft, never replaced, would stay. A stream that did start is the
        draft itself (its ts is ``self.ts``), and ``finish`` still stops it. A start
        Slack did not answer (a timeout, a dropped connection, a server error) may have
        started the message all the same, whose ts never came back: ``finish`` looks for
        it by the text it started with (:meth:`_end_lost_start`).
        """
        self._mode = "update"
        if self._stream is not None and self._stream.ts is None:
            self._stream = None
            if may_have_landed(error):
                self._lost_start = (time.time(), self._sent)

    def _append_stream(self) -> None:
        """Append what is new of the escaped text, up to its last whitespace.

        Models stream pieces of words ("@", "channel"; "https", "://"), and escaping works
        on whole words, so a piece is never escaped alone: the text so far is escaped up to
        its last whitespace (escaping never looks across whitespace, so that prefix stays
        a prefix of the escaped whole) and only the part not yet sent is appended. The
        held-back word arrives with the next piece, or in the final message.
        """
        boundary = max(self._text.rfind(ch) for ch in " \n\t")
        if boundary < 0:
            return
        escaped = escape_markdown(self._text[: boundary + 1])
        if len(escaped) <= self._streamed:
            return
        self._sent = escaped
        if self._stream is None:
            self._stream = self.client.chat_stream(
                channel=self.channel,
                thread_ts=self.thread_ts or "",
                recipient_team_id=self.team_id,
                recipient_user_id=self.user_id,
                buffer_size=self.STREAM_BUFFER,
            )
        self._stream.append(markdown_text=escaped[self._streamed :])
        self._streamed = len(escaped)
        self.ts = self._stream.ts or self.ts

    def _post_or_update(self) -> None:
        """Show the draft so far: post it first, then update it at most once a second.
        The first failure ends the drafts (see the class docstring)."""
        now = time.monotonic()
        if self.ts is not None and now - self._last_update < self.UPDATE_EVERY:
            return
        text = escape(self._text) + " …"
        try:
            if self.ts is None:
                draft = {"event_type": DRAFT_METADATA, "event_payload": {"draft": self._draft_id}}
                self._post(text, metadata=draft)
            else:
                self.client.chat_update(channel=self.channel, ts=self.ts, text=text)
            self._last_update = now
        except SLACK_ERRORS as exc:
            self._mode = "final"
            if self.ts is None and may_have_landed(exc):
                self._unanswered_at = time.time()
            log.warning(
                "could not show the answer in %s while it was being written (%s); it is "
                "shown when done",
                self.channel,
                exc,
            )

    def _post(self, text: str, blocks: list[dict[str, Any]] | None = None, **more: Any) -> None:
        response = post_message(
            self.client, self.channel, text, blocks, thread_ts=self.thread_ts, **more
        )
        self.ts = str(response["ts"])

    def _find_draft(self, since: float) -> str | None:
        """The ts of the draft whose post Slack did not answer, if it landed (found by its
        metadata among the conversation's, or the thread's, latest messages); None if it
        is not there or cannot be looked for (the answer is then posted)."""
        oldest = f"{since - 60:.6f}"  # a minute early, for the clocks' difference
        try:
            if self.thread_ts:
                found = self.client.conversations_replies(
                    channel=self.channel,
                    ts=self.thread_ts,
                    oldest=oldest,
                    limit=100,
                    include_all_metadata=True,
                )
            else:
                found = self.client.conversations_history(
                    channel=self.channel, oldest=oldest, limit=100, include_all_metadata=True
                )
        except SLACK_ERRORS as exc:
            log.warning("could not look for an unanswered draft in %s (%s)", self.channel, exc)
            return None
        for message in found.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == DRAFT_METADATA and payload.get("draft") == (
                self._draft_id
            ):
                return str(message.get("ts"))
        return None

    def _end_lost_start(self, since: float, started: str) -> bool:
        """Remove the half answer a ``chat.startStream`` Slack did not answer may have
        left: the thread's message from briefbot's bot, posted since, that opens with the
        text the stream was started with (its letters and digits, so that the markup Slack
        renders does not matter). It is stopped (it was never stopped) and deleted; if it
        cannot be deleted it is replaced by :data:`CUT_OFF`. True if it was found and
        dealt with, or the start carried no text to leave."""
        opening = _letters(started)[:_START_MATCH]
        if not opening:
            return True
        try:
            found = self.client.conversations_replies(
                channel=self.channel, ts=self.thread_ts or "", oldest=f"{since - 60:.6f}", limit=100
            )
        except SLACK_ERRORS as exc:
            log.warning("could not look for a lost stream in %s (%s)", self.channel, exc)
            return False
        for message in found.get("messages") or []:
            ts = str(message.get("ts") or "")
            if (
                ts
                and ts not in (self.ts, self.thread_ts)
                and message.get("bot_id")
                and _letters(str(message.get("text") or "")).startswith(opening)
            ):
                return self._remove_lost(ts)
        log.warning("a lost stream's message was not found in %s", self.channel)
        return False

    def _remove_lost(self, ts: str) -> bool:
        """Stop and delete the message a lost stream started, or mark it cut off."""
        try:
            self.client.chat_stopStream(channel=self.channel, ts=ts)
        except SLACK_ERRORS as exc:
            log.info("could not stop the lost stream in %s (%s)", self.channel, exc)
        try:
            self.client.chat_delete(channel=self.channel, ts=ts)
            return True
        except SLACK_ERRORS as exc:
            log.warning("could not delete the lost stream in %s (%s)", self.channel, exc)
        try:
            self.client.chat_update(channel=self.channel, ts=ts, text=CUT_OFF)
            return True
        except SLACK_ERRORS as exc:
            log.warning("could not mark the lost stream in %s cut off (%s)", self.channel, exc)
            return False

    def _stop_stream(self) -> None:
        """Stop the stream, and take its ts whether or not that succeeds: a short answer
        still in the stream's buffer is started by ``stop()`` itself, and if
        ``chat.stopStream`` then fails, the started message must still be replaced (or
        deleted) by :meth:`finish`, not left beside an answer posted afresh."""
        try:
            self._stream.stop()
        except SLACK_ERRORS as exc:
            log.info("could not stop the stream cleanly (%s)", exc)
        finally:
            self.ts = self._stream.ts or self.ts

    def finish(self, text: str, blocks: list[dict[str, Any]]) -> str | None:
        """Show the final message; returns its ts. Never raises.

        The draft shown while the model wrote has not been through the citation guard.
        A stream whose start Slack did not answer is looked for and removed
        (:meth:`_end_lost_start`); if it cannot be found, the answer ends with
        :data:`CUT_OFF_NOTE`. If the draft cannot be replaced by the final answer, it is
        deleted and the answer posted afresh (as text alone if Slack refuses the blocks),
        so an unchecked draft does not stay in the thread. A post that Slack does not
        answer (a timeout, a dropped connection) is not repeated: it may have landed.
        """
        with self._lock:
            if self._stream is not None:
                self._stop_stream()
            lost = self._lost_start is not None and not self._end_lost_start(*self._lost_start)
            if lost and len(blocks) < 50:  # the half answer may be there: say so
                blocks = [*blocks, context(CUT_OFF_NOTE)]
            if self.ts is None and self._unanswered_at is not None:
                self.ts = self._find_draft(self._unanswered_at)
            if self.ts is not None:
                try:
                    self.client.chat_update(
                        channel=self.channel, ts=self.ts, text=text, blocks=blocks
                    )
                    return self.ts
                except SLACK_ERRORS:
                    log.exception("could not replace the draft in %s", self.channel)
                try:
                    self.client.chat_delete(channel=self.channel, ts=self.ts)
                except SLACK_ERRORS:
                    log.exception("could not delete the draft in %s", self.channel)
            for attempt in (blocks, None):  # the blocks, then the text alone
                try:
                    self._post(text, attempt)
                    return self.ts
                except SlackApiError as exc:
                    if maybe_taken(exc):
                        log.exception(
                            "could not post the answer in %s (%s: it may have landed, so "
                            "it is not posted again)",
                            self.channel,
                            slack_error(exc) or "a server error",
                        )
                        return None
                    # Slack refused it: nothing was posted. The text alone is worth a try
                    # only when what Slack refused is the message's form.
                    error = slack_error(exc)
                    log.warning("Slack refused the answer in %s: %s", self.channel, error)
                    if error not in REFUSED_FORM:
                        return None
                except SLACK_ERRORS:
                    # No answer in time (or none at all): the post may have landed, and
                    # posting again would show the answer twice.
                    log.exception(
                        "could not post the answer in %s (no reply from Slack: it is not "
                        "posted again)",
                        self.channel,
                    )
                    return None
            return None


def _letters(text: str) -> str:
    """The letters and digits of ``text`` (its entities read), lower case: what a message
    says whatever markup Slack renders it with."""
    return "".join(ch for ch in html.unescape(text).lower() if ch.isalnum())
