"""The Bolt app factory. No side effects at import; ``build_app`` wires the listeners.

Choices made here:

* One execution model, sync. Listeners ack first; slow work (retrieval, the LLM, Slack
  calls) goes to our own work pool, so acks never queue behind answers.
* Signatures are always verified (Bolt's default; never turned off).
* Exactly once: every Events API delivery is claimed by its ``event_id`` in the database
  before its listener does anything, so Slack's retries (``X-Slack-Retry-Num``) and
  duplicate deliveries are acked and dropped, even across several ``briefbot serve``
  processes. The claim runs after the ack, so the ack never waits on the database. Answers
  are also claimed per message, because one @-mention arrives as two events.
* The Web API client retries rate limits (honouring ``Retry-After``), connection errors
  and 5xx responses with slack_sdk's own retry handlers.
"""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.slack.conversation import AcksFirst, Services
from bot.slack.listeners import actions, assistant, commands, digest, events

log = logging.getLogger(__name__)


def make_web_client(settings: Settings, command: str = "briefbot serve") -> WebClient:
    """The Web API client, with retries; ``command`` is named if the bot token is missing."""
    settings.require_bot_token(command)
    assert settings.slack_bot_token is not None
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def remember_event_id(body: dict[str, Any], context: BoltContext, next: Any) -> None:
    """Middleware: keep the Events API ``event_id`` for the listener's claim.

    The claim itself is a database write, so it happens after the ack, at the start of the
    listener's background work (see ``Services.submit_event``), not here.
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
    listener_executor: Executor | None = None,
    acks: AcksFirst | None = None,
) -> App:
    """The Bolt app for ``settings``, answering from ``briefing``."""
    settings.require_slack()
    assert settings.slack_signing_secret is not None
    services = Services(
        settings=settings,
        briefing=briefing,
        work=work or ThreadPoolExecutor(settings.answer_workers, thread_name_prefix="answer"),
        acks=acks or AcksFirst(),
    )
    app = App(
        client=client or make_web_client(settings),
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        token_verification_enabled=False,
        listener_executor=listener_executor or ThreadPoolExecutor(8, thread_name_prefix="bolt"),
        logger=logging.getLogger("bot.slack.bolt"),
    )
    app.middleware(remember_event_id)
    for surface in (assistant, events, commands, actions, digest):
        surface.register(app, services)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.error("listener failed on a %s request: %s", body.get("type"), error, exc_info=error)

    return app
