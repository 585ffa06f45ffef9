"""The Bolt app factory. No side effects at import; ``build_app`` wires the listeners.

Choices made here:

* One execution model, sync. Listeners ack first; slow work (retrieval, the LLM, Slack
  calls) goes to our own work pool, so acks never queue behind answers. Fetching pages
  and feeds added from Slack goes to a small pool of its own, one fetch in flight per
  user (:mod:`bot.slack.source_fetches`), so slow sites never hold up the answers.
* Signatures are always verified (Bolt's default; never turned off).
* Exactly once: every Events API delivery is claimed by its ``event_id`` in the database
  before its listener does anything, so Slack's retries (``X-Slack-Retry-Num``) and
  duplicate deliveries are acked and dropped, even across several ``briefbot serve``
  processes. The claim runs after the ack, so the ack never waits on the database. Answers
  are also claimed per message, because one @-mention arrives as two events.
* The Web API client retries rate limits (honouring ``Retry-After``), connection errors
  and 5xx responses with slack_sdk's own retry handlers, waiting as they do, through a
  ``sleep`` that can be given (:func:`retry_handlers`). A post (``chat.postMessage``,
  ``chat.postEphemeral``, ``chat.startStream``, ``chat.appendStream``: ``reply.POSTS``)
  is repeated only when Slack surely did not take it: a rate limit, a 503, or a
  connection that was never made. After a dropped connection or a 500 it may have
  landed, and a second post would show the message (or the streamed text) twice.
* Acks never wait on Slack's Web API. Bolt's default single-workspace authorization
  calls ``auth.test`` on the first request when the token was not verified at start, and
  a Web API that is down or hangs then fails or stalls that request (and every later one
  while it fails). Instead the token is checked once, at start (:func:`check_token`, with
  a clear message when Slack refuses it), and the bot's identity is kept
  (:class:`BotIdentity`); ``authorize`` hands Bolt that identity with no network call.
  Later Web API failures show up in the log and in the answer path (an apology), never
  in an ack.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.errors import BriefbotError, ConfigError
from bot.slack import source_fetches
from bot.slack.deliveries import Deliveries
from bot.slack.jobs import AcksFirst, JobRuntime
from bot.slack.listeners import actions, assistant, commands, digest, events
from bot.slack.reply import POSTS, never_sent, slack_error, taken_despite
from bot.slack.services import SlackServices
from bot.slack.source_fetches import SourceFetches

log = logging.getLogger(__name__)


Sleep = Callable[[float], None]


class _WaitsThrough:
    """A slack_sdk retry handler whose wait before the next attempt goes through
    ``sleep``: the interval calculator's, as slack_sdk computes it, unless
    :meth:`wait_for` says otherwise."""

    sleep: Sleep
    interval_calculator: RetryIntervalCalculator

    def __init__(self, max_retry_count: int, sleep: Sleep = time.sleep) -> None:
        super().__init__(max_retry_count=max_retry_count)  # type: ignore[call-arg]
        self.sleep = sleep

    def wait_for(
        self, state: RetryState, response: HttpResponse | None, error: Exception | None
    ) -> float:
        return self.interval_calculator.calculate_sleep_duration(state.current_attempt)

    def allows(
        self, request: HttpRequest, response: HttpResponse | None, error: Exception | None
    ) -> bool:
        """May this request be sent again at all? (A post that Slack may have taken may
        not: see the module docstring.)"""
        return True

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not self.allows(request, response, error):
            return False
        can: bool = super()._can_retry(  # type: ignore[misc]
            state=state, request=request, response=response, error=error
        )
        return can

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        self.sleep(self.wait_for(state, response, error))
        state.increment_current_attempt()


def _method(request: HttpRequest) -> str:
    return request.url.split("?", 1)[0].rsplit("/", 1)[-1]


class ConnectionErrorRetry(_WaitsThrough, ConnectionErrorRetryHandler):
    """slack_sdk's retry of connection errors (exponential backoff with jitter); a post
    only when it never reached Slack."""

    def allows(
        self, request: HttpRequest, response: HttpResponse | None, error: Exception | None
    ) -> bool:
        return _method(request) not in POSTS or never_sent(error)


class ServerErrorRetry(_WaitsThrough, ServerErrorRetryHandler):
    """slack_sdk's retry of HTTP 500 and 503 (exponential backoff with jitter); a post
    only after a 503 (not taken), not a 500 (perhaps taken)."""

    def allows(
        self, request: HttpRequest, response: HttpResponse | None, error: Exception | None
    ) -> bool:
        return _method(request) not in POSTS or (
            response is not None and not taken_despite(response.status_code)
        )


#: The longest ``Retry-After`` the Web API client waits out. Slack asks for seconds; a
#: 429 asking for more is the call's answer at once: its caller says it failed (an
#: apology, "slack: delivery failed", a digest retried by the next run) rather than hold a
#: worker, and a stopping process, for as long as Slack says, three times over.
MAX_RATE_LIMIT_WAIT = 30


def retry_after(response: HttpResponse) -> float:
    """The seconds a 429's ``Retry-After`` asks to wait: one without the header or with
    one that is not a number of seconds (an HTTP date, as HTTP allows; slack_sdk's
    ``int()`` raised ValueError on it, and on "1.5", out of the retry handler and past
    every handler of Slack's errors)."""
    after = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), None)
    value = after[0] if isinstance(after, list | tuple) and after else after
    try:
        seconds = float(str(value).strip()) if value else 1.0
    except ValueError:
        return 1.0
    return seconds if 0 <= seconds < float("inf") else 1.0


class RateLimitRetry(_WaitsThrough, RateLimitErrorRetryHandler):
    """slack_sdk's retry of HTTP 429: it waits ``Retry-After`` seconds (one without the
    header, or with one that is no number) plus up to a second of jitter, as slack_sdk
    does, through ``sleep``; not when Slack asks for more than
    :data:`MAX_RATE_LIMIT_WAIT`."""

    def allows(
        self, request: HttpRequest, response: HttpResponse | None, error: Exception | None
    ) -> bool:
        if response is None or response.status_code != 429:
            return True
        return retry_after(response) <= MAX_RATE_LIMIT_WAIT

    def wait_for(
        self, state: RetryState, response: HttpResponse | None, error: Exception | None
    ) -> float:
        if response is None:
            raise error or RuntimeError("a rate-limit retry without a response")
        return retry_after(response) + random.random()


def retry_handlers(sleep: Sleep = time.sleep) -> list[RetryHandler]:
    """The Web API client's retries: connection errors and 5xx twice, rate limits three
    times. ``sleep`` takes every wait between attempts (tests give one that records the
    waits and returns at once)."""
    return [
        ConnectionErrorRetry(max_retry_count=2, sleep=sleep),
        RateLimitRetry(max_retry_count=3, sleep=sleep),
        ServerErrorRetry(max_retry_count=2, sleep=sleep),
    ]


def make_web_client(
    settings: Settings, command: str = "briefbot serve", *, sleep: Sleep = time.sleep
) -> WebClient:
    """The Web API client, with :func:`retry_handlers` waiting through ``sleep``;
    ``command`` is named if the bot token is missing."""
    settings.require_bot_token(command)
    assert settings.slack_bot_token is not None
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=retry_handlers(sleep),
    )


class SlackUnreachable(BriefbotError):
    """Slack's Web API could not be reached to check the token at start."""


def signed_in(client: WebClient) -> WebClient:
    """``client``, after :func:`check_token`, for a command that only posts (``briefbot
    clock``, ``briefbot digest --post``): a token Slack refuses stops it with the same
    one-line error as ``serve`` (exit 2), instead of a failure per channel every run.
    A Web API that cannot be reached now may be back by the time it posts: a warning."""
    try:
        check_token(client)
    except SlackUnreachable as exc:
        log.warning("%s; posting will be tried all the same", exc)
    return client


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is in its workspace, from ``auth.test`` at start."""

    team_id: str | None
    bot_user_id: str | None
    bot_id: str | None
    enterprise_id: str | None = None
    scopes: str | None = None


#: How long start-up waits for ``auth.test``: a Web API that hangs must not hang the start.
CHECK_TIMEOUT = 10
_QUIET = logging.getLogger("bot.slack.token_check")
_QUIET.disabled = True


def check_token(client: WebClient) -> BotIdentity:
    """Check the bot token with ``auth.test`` (once, without retries) and return the bot's
    identity. A token Slack refuses is a :class:`~bot.errors.ConfigError` naming
    SLACK_BOT_TOKEN; a Web API that cannot be reached is :class:`SlackUnreachable`."""
    response = _checked_at_start(
        client,
        lambda checker: checker.auth_test(),
        "SLACK_BOT_TOKEN",
        fix="copy the Bot User OAuth Token (xoxb-...) from the app's settings.",
        purpose="check SLACK_BOT_TOKEN",
        token=client.token,
    )
    assert response is not None  # (None only where waiting is allowed)
    return BotIdentity(
        team_id=response.get("team_id"),
        bot_user_id=response.get("user_id"),
        bot_id=response.get("bot_id"),
        enterprise_id=response.get("enterprise_id"),
        scopes=response.headers.get("x-oauth-scopes"),
    )


def socket_mode_url(client: WebClient, app_token: str) -> str | None:
    """A Socket Mode WebSocket URL from ``apps.connections.open`` (once, without retries,
    quietly): the start-up check of SLACK_APP_TOKEN. A token Slack refuses is a
    :class:`~bot.errors.ConfigError` naming SLACK_APP_TOKEN; a Web API that cannot be
    reached is :class:`SlackUnreachable`. None when Slack asks to wait (rate limited):
    the Socket Mode client then opens the connection itself, waiting as Slack says."""
    response = _checked_at_start(
        client,
        lambda checker: checker.apps_connections_open(app_token=app_token),
        "SLACK_APP_TOKEN",
        fix="create an app-level token (xapp-...) with connections:write under Basic "
        "Information → App-Level Tokens, or unset SLACK_APP_TOKEN for HTTP mode.",
        purpose="open a Socket Mode connection",
        may_wait=True,
    )
    url = response.get("url") if response is not None else None
    return url if isinstance(url, str) and url else None


#: What Slack answers when it failed, not the token: an outage is no refusal.
_OUTAGES = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})


def _checked_at_start(
    client: WebClient,
    call: Callable[[WebClient], SlackResponse],
    setting: str,
    *,
    fix: str,
    purpose: str,
    token: str | None = None,
    may_wait: bool = False,
) -> SlackResponse | None:
    """One start-up call of ``client``'s Web API that checks the token ``setting`` names:
    once, without retries, quietly (a failure is reported once, by the caller, not also
    by slack_sdk). Slack refusing it is a :class:`~bot.errors.ConfigError` naming the
    setting and how to ``fix`` it; Slack failing (HTTP 5xx, ``internal_error``,
    ``fatal_error`` ...: the token may be fine) or not answering at all is
    :class:`SlackUnreachable`. None when Slack asks to wait and ``may_wait``."""
    checker = WebClient(
        token=token,
        base_url=client.base_url,
        timeout=CHECK_TIMEOUT,
        retry_handlers=[],
        logger=_QUIET,
    )
    try:
        return call(checker)
    except SlackApiError as exc:
        error = slack_error(exc)
        status = exc.response.status_code
        if may_wait and error == "ratelimited":
            return None
        if status >= 500 or error in _OUTAGES:
            raise SlackUnreachable(
                f"Slack's Web API at {client.base_url} failed while checking {setting} "
                f"({error or f'HTTP {status}'}); try again later."
            ) from exc
        raise ConfigError(f"{setting} was refused by Slack ({error or status}); {fix}") from exc
    except Exception as exc:  # URLError, a timeout, a malformed reply
        raise SlackUnreachable(
            f"Cannot reach Slack's Web API at {client.base_url} to {purpose}: "
            f"{getattr(exc, 'reason', None) or exc}"
        ) from exc


def _authorize_with(identity: BotIdentity, token: str) -> Any:
    """Bolt's ``authorize``: the identity kept from start, for every request."""

    def authorize(user_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(
            enterprise_id=identity.enterprise_id,
            team_id=identity.team_id,
            bot_id=identity.bot_id,
            bot_user_id=identity.bot_user_id,
            bot_token=token,
            bot_scopes=identity.scopes,
            user_id=user_id,
        )

    return authorize


class _NotTheTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself and warns that the client
    given to it wins; that is the point (see :func:`build_app`), so the warning goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_BOLT_LOG = logging.getLogger("bot.slack.bolt")
_BOLT_LOG.addFilter(_NotTheTokenWarning())


def remember_event_id(body: dict[str, Any], context: BoltContext, next: Any) -> None:
    """Middleware: keep the Events API ``event_id`` for the listener's claim.

    The claim itself is a database write, so it happens after the ack, at the start of the
    listener's background work (see ``SlackServices.submit_event``), not here.
    """
    if body.get("type") == "event_callback" and body.get("event_id"):
        context["event_id"] = str(body["event_id"])
    next()


def build_app(
    settings: Settings,
    briefing: Briefing,
    *,
    client: WebClient | None = None,
    work: Executor | None = None,
    fetch_work: Executor | None = None,
    listener_executor: Executor | None = None,
    acks: AcksFirst | None = None,
    identity: BotIdentity | None = None,
) -> App:
    """The Bolt app for ``settings``, answering from ``briefing``.

    ``identity`` is the bot's, from :func:`check_token` at start; without it the token is
    checked here (so building the app is the start-up check). ``work`` writes the answers;
    ``fetch_work`` fetches the pages and feeds added from Slack, apart from them (see
    :mod:`bot.slack.source_fetches`).
    """
    settings.require_slack()
    assert settings.slack_signing_secret is not None
    client = client or make_web_client(settings)
    token = client.token
    assert token is not None
    identity = identity or check_token(client)
    acks = acks or AcksFirst()
    services = SlackServices(
        settings=settings,
        briefing=briefing,
        deliveries=Deliveries(briefing.db),
        jobs=JobRuntime(
            work=work or ThreadPoolExecutor(settings.answer_workers, thread_name_prefix="answer"),
            acks=acks,
        ),
        fetches=SourceFetches(
            JobRuntime(
                work=fetch_work
                or ThreadPoolExecutor(source_fetches.WORKERS, thread_name_prefix="fetch"),
                acks=acks,
            )
        ),
    )
    app = App(
        # Bolt copies this client for each request and gives the copy the token from
        # ``authorize``; a client with a token would make Bolt authorize with auth.test.
        client=WebClient(
            token=None,
            base_url=client.base_url,
            timeout=client.timeout,
            retry_handlers=client.retry_handlers,
        ),
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        authorize=_authorize_with(identity, token),
        listener_executor=listener_executor or ThreadPoolExecutor(8, thread_name_prefix="bolt"),
        logger=_BOLT_LOG,
        # A request no listener takes goes to ``on_error`` (a quiet 200), not to Bolt's
        # default: a 404 and a warning with a code suggestion (see :func:`unhandled`).
        raise_error_for_unhandled_request=True,
    )
    app.middleware(remember_event_id)
    for surface in (assistant, events, commands, actions, digest):
        surface.register(app, services)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        if isinstance(error, BoltUnhandledRequestError):
            return unhandled(body)
        log.error("listener failed on a %s request: %s", body.get("type"), error, exc_info=error)
        return None

    return app


def unhandled(body: dict[str, Any]) -> BoltResponse:
    """The answer to a signed request that no listener takes: a 200 and one log line.

    Slack sends ``app_rate_limited`` to every app, whatever it subscribes to; an app's
    settings may subscribe to events briefbot does not use (``tokens_revoked``); a click
    can come from a button of a message an older briefbot posted. Bolt would answer 404:
    Slack then retries the event and counts a failed delivery (it disables the
    subscriptions of an app that fails too often), and the person who clicked sees an
    error.
    """
    kind = body.get("type")
    event = body.get("event")
    actions = body.get("actions")
    view = body.get("view")
    if isinstance(event, dict):
        what = f"{kind} ({event.get('type')!r:.60})"
    elif isinstance(actions, list) and actions and isinstance(actions[0], dict):
        what = f"{kind} ({actions[0].get('action_id')!r:.60})"
    elif isinstance(view, dict):
        what = f"{kind} ({view.get('callback_id')!r:.60})"
    else:
        what = f"{kind!r:.60}"
    log.info("acked a signed %s request that briefbot does not handle", what)
    return BoltResponse(status=200, body="")
