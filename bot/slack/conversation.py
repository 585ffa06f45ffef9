"""Answering a Slack message: the one piece of logic every surface shares.

A listener acks, then hands the message to :func:`answer_message_job` on the work pool.
The job claims the message (exactly once, across processes), reads the thread's history
for follow-ups, asks the briefing core, and delivers the answer through a
:class:`ThreadReply`: streamed while an LLM writes it (``chat.startStream`` /
``appendStream`` / ``stopStream``), or posted and then updated where streaming is not
available, and finally replaced by the guarded answer as Block Kit.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.models import Answer, ExchangeContext, Turn
from bot.errors import BriefbotError, apology, restart_apology
from bot.slack.blocks import answer_message, escape, escape_markdown, section
from storage.exchanges import new_exchange_id

log = logging.getLogger(__name__)

SLACK_ERRORS = (SlackApiError, SlackRequestError, URLError, OSError)
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
HISTORY_LIMIT = 12
#: How long a shutdown waits for its apologies to reach Slack, all sent at once.
TELL_SECONDS = 1.5


Apologise = Callable[[str], Any]


@contextmanager
def apologising(apologise: Apologise | None, what: str, doing: str = "answering") -> Iterator[None]:
    """Turn any failure inside the block into a log entry with a fresh log id and, when
    ``apologise`` is given, an apology carrying that id ("Sorry, something went wrong
    while {doing}..."). Never raises: a failure to apologise is logged too."""
    try:
        yield
    except Exception:
        log_id = new_exchange_id()
        log.exception("%s failed (log id %s)", what, log_id)
        tell(apologise, apology(log_id, doing), log_id)


def tell(apologise: Apologise | None, text: str, log_id: str) -> None:
    """Give the user ``text`` through ``apologise``; if even that fails, log it. Never
    raises."""
    if apologise is None:
        return
    try:
        apologise(text)
    except Exception:
        log.exception("could not tell the user about failure %s", log_id)


def in_thread(client: WebClient, channel: str, thread_ts: str | None) -> Apologise:
    """Post a plain message in a conversation (or a thread of it); for apologies."""

    def post(text: str) -> None:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)

    return post


class AcksFirst:
    """Acks before answers: background work waits (briefly) while requests are in flight.

    Answers are CPU work under the same GIL as the request threads, so a burst of mentions
    would otherwise slow every ack behind the answers already being written. The HTTP layer
    counts requests in flight; a job waits until there are none, but never longer than
    ``max_wait`` seconds, so steady traffic cannot starve answers.
    """

    def __init__(self, max_wait: float = 0.25) -> None:
        self.max_wait = max_wait
        self._in_flight = 0
        self._quiet = threading.Condition()

    def started(self) -> None:
        with self._quiet:
            self._in_flight += 1

    def finished(self) -> None:
        with self._quiet:
            self._in_flight -= 1
            if self._in_flight <= 0:
                self._quiet.notify_all()

    def wait(self) -> None:
        with self._quiet:
            self._quiet.wait_for(lambda: self._in_flight <= 0, timeout=self.max_wait)


@dataclass(eq=False)  # compared and hashed by identity: a process keeps a set of them
class Services:
    """What the listeners share: settings, the briefing core and a pool for slow work.

    Every job is tracked from submission to its end, with the apology it would need, so
    that a shutdown (:meth:`shutdown`, :func:`shutdown_all`) can let running answers
    finish for a while and then tell everyone still waiting, instead of leaving them with
    nothing when the process goes away.
    """

    settings: Settings
    briefing: Briefing
    work: Executor
    acks: AcksFirst = field(default_factory=AcksFirst)
    _pending: dict[int, tuple[Apologise | None, str]] = field(default_factory=dict)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _next_job: itertools.count[int] = field(default_factory=itertools.count)

    def __post_init__(self) -> None:
        _live.add(self)

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        apologise: Apologise | None = None,
        doing: str = "answering",
        **kwargs: Any,
    ) -> Future[Any]:
        """Run ``fn`` after the ack, on the work pool. A failure is logged with a log id,
        and ``apologise`` (when given) tells the user, so nobody is left waiting."""

        job = next(self._next_job)
        with self._changed:
            self._pending[job] = (apologise, doing)

        def run() -> Any:
            try:
                with self._changed:
                    if job not in self._pending:  # shut down, and told, before it started
                        return None
                self.acks.wait()
                with apologising(apologise, getattr(fn, "__name__", str(fn)), doing):
                    return fn(*args, **kwargs)
                return None
            finally:
                with self._changed:
                    self._pending.pop(job, None)
                    self._changed.notify_all()

        return self.work.submit(run)

    def drain(self, grace: float) -> list[tuple[Apologise | None, str]]:
        """Give the jobs in hand up to ``grace`` seconds; return (and forget) those that
        have not finished. A forgotten job that has not started never runs."""
        with self._changed:
            self._changed.wait_for(lambda: not self._pending, timeout=max(0.0, grace))
            left = list(self._pending.values())
            self._pending.clear()
        return left

    def shutdown(self, grace: float, tell_within: float = TELL_SECONDS) -> int:
        """:meth:`drain`, then apologise to everyone whose job has not finished (its
        thread may still be running; the process is going away). Returns how many were
        told."""
        return tell_restarted(self.drain(grace), tell_within)

    def first_delivery(self, context: Mapping[str, Any]) -> bool:
        """Claim the current Events API delivery; False if it was already handled."""
        event_id = context.get("event_id")
        if not event_id:
            return True
        if self.briefing.claim(f"event:{event_id}"):
            return True
        log.info("event %s already handled; ignoring this delivery", event_id)
        return False

    def submit_event(
        self,
        context: Mapping[str, Any],
        fn: Callable[..., Any],
        *args: Any,
        apologise: Apologise | None = None,
        doing: str = "answering",
        **kwargs: Any,
    ) -> Future[Any]:
        """Like :meth:`submit`, for an event: the job runs only for its first delivery."""

        def once() -> Any:
            return fn(*args, **kwargs) if self.first_delivery(context) else None

        once.__name__ = getattr(fn, "__name__", "event job")
        return self.submit(once, apologise=apologise, doing=doing)


_live: weakref.WeakSet[Services] = weakref.WeakSet()


def tell_restarted(left: list[tuple[Apologise | None, str]], within: float) -> int:
    """Tell each person in ``left`` that briefbot restarted before it was done.

    The apologies go out at once, each in its own thread, and are waited for at most
    ``within`` seconds in all: a Slack Web API that hangs must not hold up a stop that
    has to end within Slack's and the platform's limits. Returns ``len(left)``.
    """
    threads = []
    for apologise, doing in left:
        log_id = new_exchange_id()
        log.warning("shutting down before %s was done (log id %s)", doing, log_id)
        thread = threading.Thread(
            target=tell,
            args=(apologise, restart_apology(log_id, doing), log_id),
            name="restart-apology",
            daemon=True,
        )
        thread.start()
        threads.append(thread)
    deadline = time.monotonic() + within
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return len(left)


def shutdown_all(grace: float, tell_within: float = TELL_SECONDS) -> int:
    """:meth:`Services.shutdown` for every set of services in this process, sharing one
    ``grace`` period and one ``tell_within``; returns how many users were told their
    answer was cut short. Takes at most ``grace + tell_within`` seconds."""
    deadline = time.monotonic() + grace
    left: list[tuple[Apologise | None, str]] = []
    for services in list(_live):
        left.extend(services.drain(deadline - time.monotonic()))
    return tell_restarted(left, tell_within)


def unescape_slack(text: str) -> str:
    """Slack's entities (``&amp;``, ``&lt;``, ``&gt;``) turned back into characters, so a
    question about "AT&T" is searched as typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def clean_question(text: str) -> str:
    """The question without @-mentions and with Slack's entities turned back into text."""
    return " ".join(unescape_slack(MENTION.sub(" ", text or "")).split())


def answer_view(answer: Answer) -> dict[str, Any]:
    """An answer in the shape of a logged exchange, which is what Block Kit renders."""
    return {
        "id": answer.exchange_id,
        "answer": answer.answer,
        "answered": answer.answered,
        "citations": [c.as_dict() for c in answer.citations],
        "note": answer.note,
        "mode": answer.mode,
        "written_by": answer.written_by,
    }


def thread_history(
    client: WebClient, channel: str, thread_ts: str, before_ts: str, bot_user_id: str | None
) -> list[Turn]:
    """Earlier turns of a thread, oldest first: the bot's answers and people's questions."""
    try:
        response = client.conversations_replies(channel=channel, ts=thread_ts, limit=50)
    except SLACK_ERRORS as exc:
        log.warning("could not read thread history (%s); answering without it", exc)
        return []
    turns: list[Turn] = []
    for message in response.get("messages") or []:
        ts = str(message.get("ts") or "")
        if not ts or float(ts) >= float(before_ts):
            continue
        text = clean_question(str(message.get("text") or ""))
        if not text:
            continue
        from_bot = bool(message.get("bot_id")) or (
            bot_user_id is not None and message.get("user") == bot_user_id
        )
        turns.append(Turn("assistant" if from_bot else "user", text))
    return turns[-HISTORY_LIMIT:]


class ThreadReply:
    """Delivers one answer to a channel (in a thread when ``thread_ts`` is given).

    ``on_text`` may be called many times from the answering thread while an LLM streams;
    ``finish`` posts or replaces the message with the final blocks.
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
        self._mode = "stream" if thread_ts else "update"
        self._last_update = 0.0
        self._lock = threading.Lock()

    def on_text(self, piece: str) -> None:
        with self._lock:
            self._text += piece
            try:
                if self._mode == "stream":
                    self._append_stream()
                else:
                    self._post_or_update()
            except SLACK_ERRORS as exc:
                log.info("streaming unavailable (%s); posting and updating instead", exc)
                self._mode = "update"
                self._post_or_update(quiet=True)

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

    def _post_or_update(self, *, quiet: bool = False) -> None:
        """Show the draft so far: post it first, then update it at most once a second."""
        now = time.monotonic()
        if self.ts is not None and now - self._last_update < self.UPDATE_EVERY:
            return
        text = escape(self._text) + " …"
        try:
            if self.ts is None:
                self._post(text)
            else:
                self.client.chat_update(channel=self.channel, ts=self.ts, text=text)
            self._last_update = now
        except SLACK_ERRORS:
            if not quiet:
                raise
            log.warning("could not show the answer while it was being written", exc_info=True)

    def _post(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        response = self.client.chat_postMessage(
            channel=self.channel,
            thread_ts=self.thread_ts,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
        self.ts = str(response["ts"])

    def finish(self, text: str, blocks: list[dict[str, Any]]) -> str | None:
        """Show the final message; returns its ts. Never raises.

        The draft shown while the model wrote has not been through the citation guard.
        If it cannot be replaced by the final answer, it is deleted and the answer posted
        afresh (as text alone if Slack refuses the blocks), so an unchecked draft does not
        stay in the thread.
        """
        with self._lock:
            if self._stream is not None:
                try:
                    self._stream.stop()
                    self.ts = self._stream.ts or self.ts
                except SLACK_ERRORS as exc:
                    log.info("could not stop the stream cleanly (%s)", exc)
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
                except SLACK_ERRORS:
                    log.exception("could not post the answer in %s", self.channel)
            return None


def answer_message_job(
    services: Services,
    client: WebClient,
    *,
    question: str,
    channel: str,
    message_ts: str,
    thread_ts: str | None,
    user: str | None,
    team: str | None,
    surface: str,
    bot_user_id: str | None,
    with_history: bool,
    on_start: Callable[[], None] | None = None,
) -> Answer | None:
    """Claim, answer and deliver one message. Returns the answer (None if not answered).

    Never raises: an unexpected failure replaces whatever was shown (a streamed draft
    included) with an apology that carries a log id.
    """
    reply = ThreadReply(client, channel, thread_ts, team_id=team, user_id=user)

    def finish_with(text: str) -> None:
        reply.finish(text, section(escape(text)))

    with apologising(finish_with, f"answering message {message_ts} in {channel}"):
        if not services.briefing.claim(f"msg:{channel}:{message_ts}"):
            log.info("message %s in %s already claimed; not answering twice", message_ts, channel)
            return None
        if on_start is not None:
            on_start()
        text = clean_question(question)
        if not text:
            finish_with(f"{services.briefing.profile.hint()}.")
            return None
        history: list[Turn] = []
        if with_history and thread_ts and thread_ts != message_ts:
            history = thread_history(client, channel, thread_ts, message_ts, bot_user_id)
        context = ExchangeContext(
            surface=surface,
            workspace=team,
            channel=channel,
            user=user,
            thread_ts=thread_ts,
            message_ts=message_ts,
        )
        try:
            answer = services.briefing.ask(
                text, history=history, context=context, on_text=reply.on_text
            )
        except BriefbotError as exc:  # AnswerFailed included: its message has the log id
            finish_with(exc.message)
            return None
        try:
            rendered_text, blocks = answer_message(answer_view(answer))
        except Exception:
            log_id = answer.exchange_id or new_exchange_id()
            log.exception("could not render answer %s", log_id)
            rendered_text = apology(log_id)
            blocks = section(rendered_text)
            if answer.exchange_id:
                services.briefing.note_error(answer.exchange_id, "slack: rendering failed")
        if reply.finish(rendered_text, blocks) is None and answer.exchange_id:
            services.briefing.note_error(answer.exchange_id, "slack: delivery failed")
        return answer
    return None
