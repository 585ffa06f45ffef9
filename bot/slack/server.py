"""Running the Slack app: HTTP under gunicorn, or Socket Mode when SLACK_APP_TOKEN is set.

HTTP: ``POST /slack/events`` takes events, slash commands and interactivity; ``GET
/healthz`` answers ``ok``. One gunicorn process with a pool of threads (``gthread``); run
more processes, sharing one PostgreSQL, to scale out.

SIGTERM stops gracefully, in both modes: no new requests; answers in hand get
``ANSWER_GRACE_SECONDS`` to finish; whoever is still waiting after that is told that
briefbot restarted and to ask again (:func:`bot.slack.conversation.shutdown_all`), and the
process exits without waiting for answers still running (an LLM call may take three
timeouts). Under gunicorn the whole stop takes under ``GRACEFUL_SECONDS`` (gunicorn's
graceful timeout); in Socket Mode, about ``ANSWER_GRACE_SECONDS`` after the socket closes.

``serve`` only serves: scheduled work (log retention, the weekly digest) runs in the clock
process, ``briefbot clock`` (:mod:`bot.clock`).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterable
from typing import Any

from bot.config import Settings
from bot.core.briefing import Briefing

log = logging.getLogger(__name__)

GRACEFUL_SECONDS = 10
ANSWER_GRACE_SECONDS = 6
EVENTS_PATH = "/slack/events"

StartResponse = Callable[..., Any]


def secrets_of(settings: Settings) -> list[str | None]:
    return [
        s.get_secret_value() if s is not None else None
        for s in (
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
            settings.openai_api_key,
        )
    ]


def make_wsgi(settings: Settings) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The WSGI application: Bolt at /slack/events, a health check, 404 elsewhere."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.slack.app import build_app
    from bot.slack.conversation import AcksFirst

    briefing = Briefing.open(settings)
    acks = AcksFirst()
    handler = SlackRequestHandler(build_app(settings, briefing, acks=acks), path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        acks.started()
        try:
            return handler(environ, start_response)
        finally:
            acks.finished()

    return application


def _stop_answering() -> None:
    """Drain and apologise (see the module docstring), then leave at once: the answer
    threads still running are not waited for, and everyone waiting has been told."""
    from bot.slack.conversation import shutdown_all

    told = shutdown_all(ANSWER_GRACE_SECONDS)
    log.info("stopped; %d unfinished job(s) were told to try again", told)
    logging.shutdown()
    os._exit(0)


def _worker_exit(server: Any, worker: Any) -> None:
    """gunicorn's hook in the worker process, after it stopped taking requests."""
    _stop_answering()


def serve_http(settings: Settings, port: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": f"0.0.0.0:{port}",
                "workers": 1,
                "worker_class": "gthread",
                "threads": settings.web_threads,
                "timeout": 30,
                "graceful_timeout": GRACEFUL_SECONDS,
                "control_socket_disable": True,
                "worker_exit": _worker_exit,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "info",
            }
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            # Runs in the worker process, so its database connections are its own.
            return make_wsgi(settings)

    Server().run()


def serve_socket_mode(settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import build_app

    assert settings.slack_app_token is not None
    briefing = Briefing.open(settings)
    app = build_app(settings, briefing)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    handler = SocketModeHandler(app, app_token=settings.slack_app_token.get_secret_value())
    handler.connect()  # type: ignore[no-untyped-call]
    log.info("connected to Slack in Socket Mode")
    stop.wait()
    log.info("stopping")
    handler.close()  # type: ignore[no-untyped-call]
    _stop_answering()  # no new events came in after close()


def serve(settings: Settings, port: int | None = None) -> None:
    """Check configuration and the database, then serve until SIGTERM."""
    settings.require_slack()
    # Fail here, with one line, rather than in a worker: reach and migrate the database.
    Briefing.open(settings).close()
    if settings.slack_app_token is not None:
        serve_socket_mode(settings)
    else:
        serve_http(settings, port or settings.port)
