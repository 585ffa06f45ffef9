"""Running the Slack app: an HTTP server, or Socket Mode when SLACK_APP_TOKEN is set.

Start-up checks what it can before taking a request: the Slack secrets are set, the
database answers and is migrated, the bot token is accepted by Slack (``auth.test``,
whose answer, the bot's identity, is kept: acks never wait on the Web API), and the port
is free. Each failure is one ``error:`` line.

HTTP: ``POST /slack/events`` takes events, slash commands and interactivity; ``GET
/healthz`` answers ``ok`` (see :mod:`bot.slack.front`). The server is waitress, chosen
because it reads every request whole in its event loop before a request thread sees it:
a client that sends part of its headers or body and stalls (or trickles bytes) holds a
connection, never one of the ``BRIEFBOT_WEB_THREADS`` request threads, so it cannot
keep anyone else waiting. Its limits:

* up to :data:`CONNECTION_LIMIT` open connections (many more than threads);
* a connection silent for ``BRIEFBOT_WEB_TIMEOUT`` seconds (10) is closed, and so is one
  that has not sent a whole request that long after it began (trickled headers);
* headers up to :data:`MAX_HEADER_BYTES`, bodies up to ``MAX_BODY_BYTES`` (413 beyond).

One process; run more, sharing one PostgreSQL, to scale out. In front of it a
deployment should put what any public endpoint needs: TLS termination and a reverse
proxy or load balancer that buffers requests and caps connections per client (Slack's
own requests come from Slack's servers and take milliseconds).

SIGTERM (or SIGINT) stops gracefully, in both modes, within :func:`stop_seconds` (8 s,
:data:`STOP_SECONDS`, with the default grace: under the 10 seconds platforms usually
allow): no new connections; requests already received are answered (at most
:data:`DRAIN_SECONDS`); answers in hand get until the grace (``BRIEFBOT_STOP_GRACE``, by
default :data:`ANSWER_GRACE_SECONDS`) after the signal; whoever is still waiting is then
told that briefbot restarted and to ask again (all at once, for at most
``TELL_SECONDS``; see :func:`bot.slack.jobs.shutdown_all`); and the process exits
without waiting for threads still running (an LLM call may take three timeouts, a
hanging Web API 15 s). A watchdog ends the process at :func:`stop_seconds` whatever else
hangs.

``serve`` only serves: scheduled work (log retention, the weekly digest, feed polling)
runs in the clock process, ``briefbot clock`` (:mod:`bot.clock`).
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.errors import ConfigError
from bot.slack.jobs import TELL_SECONDS, shutdown_all

if TYPE_CHECKING:  # Bolt and waitress are imported when serving, not by every command
    from bot.slack.app import BotIdentity
    from bot.slack.front import SlackFront

log = logging.getLogger(__name__)

CONNECTION_LIMIT = 500
#: BRIEFBOT_WEB_TIMEOUT's default: how long a connection may be silent, or take to send
#: one whole request.
WEB_TIMEOUT_SECONDS = 10
MAX_HEADER_BYTES = 64 * 1024
#: How often the event loop looks at its connections' deadlines and at the stop flag.
TICK_SECONDS = 0.25

DRAIN_SECONDS = 1.5
#: BRIEFBOT_STOP_GRACE's default for serve: how long answers in hand get after SIGTERM.
ANSWER_GRACE_SECONDS = 5.0


def stop_seconds(grace: float) -> float:
    """The watchdog's limit after SIGTERM: ``grace`` and the apologies, plus time for the
    rest of the stop."""
    return grace + TELL_SECONDS + 1.5


#: The watchdog's limit with the default grace.
STOP_SECONDS = stop_seconds(ANSWER_GRACE_SECONDS)


def answer_grace(settings: Settings) -> float:
    """How long answers in hand get after SIGTERM: ``BRIEFBOT_STOP_GRACE`` or
    :data:`ANSWER_GRACE_SECONDS`."""
    return settings.grace(ANSWER_GRACE_SECONDS)


def make_front(settings: Settings, briefing: Briefing, identity: BotIdentity) -> SlackFront:
    """The WSGI application: Bolt behind the request checks of :mod:`bot.slack.front`."""
    from bot.slack.app import build_app
    from bot.slack.front import SlackFront
    from bot.slack.jobs import AcksFirst

    assert settings.slack_signing_secret is not None
    acks = AcksFirst()
    app = build_app(settings, briefing, acks=acks, identity=identity)
    return SlackFront(app, settings.slack_signing_secret.get_secret_value(), acks)


# ------------------------------------------------------------------ the HTTP server


def http_server(
    front: SlackFront | Callable[..., Any],
    port: int,
    threads: int,
    socket_map: dict[int, Any],
    timeout: int = WEB_TIMEOUT_SECONDS,
) -> Any:
    """A waitress server for the WSGI application ``front`` on ``port`` (see the module
    docstring), bound and listening; ``wasyncore.loop(map=socket_map)`` runs it. A
    connection silent for ``timeout`` seconds, or still reading one request that long
    after it began, is closed. (``bench/peer_bolt_app.py`` serves its bare Bolt app with
    it too.)"""
    from waitress.adjustments import Adjustments
    from waitress.channel import HTTPChannel
    from waitress.server import TcpWSGIServer
    from waitress.task import ThreadedTaskDispatcher

    from bot.slack.front import MAX_BODY_BYTES

    class Channel(HTTPChannel):
        """A connection that remembers when the request it is reading began."""

        reading_since: float | None = None

        def received(self, data: bytes) -> bool:
            if self.request is None and data:
                self.reading_since = time.monotonic()
            done = bool(super().received(data))
            if self.request is None:
                self.reading_since = None
            return done

    class Server(TcpWSGIServer):
        channel_class = Channel

        def maintenance(self, now: int) -> None:
            """waitress closes connections idle for ``channel_timeout``; this closes
            those still reading one request ``timeout`` seconds after it began too."""
            super().maintenance(now)
            cutoff = time.monotonic() - timeout
            channels = cast("dict[int, Any]", self.active_channels)  # the stubs say otherwise
            for channel in list(channels.values()):
                since = getattr(channel, "reading_since", None)
                if channel.request is not None and since is not None and since < cutoff:
                    channel.will_close = True

    adjustments = Adjustments(
        host="0.0.0.0",  # noqa: S104 (a server: it listens where the platform routes)
        port=port,
        threads=threads,
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=timeout,
        cleanup_interval=1,
        max_request_header_size=MAX_HEADER_BYTES,
        max_request_body_size=MAX_BODY_BYTES,
        backlog=1024,
        # The request thread sends its response itself, at once, instead of leaving it to
        # the event loop: under a burst the loop competes for the GIL with answers being
        # written, and an ack must not wait for it.
        send_bytes=1,
        asyncore_use_poll=True,  # select() cannot watch more than 1024 sockets
        ident="briefbot",
    )
    dispatcher = ThreadedTaskDispatcher()
    try:
        server = Server(front, map=socket_map, adj=adjustments, dispatcher=dispatcher)
    except OSError as exc:
        why = "it is in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise ConfigError(f"cannot listen on port {port}: {why} (set PORT or --port)") from exc
    dispatcher.set_thread_count(threads)  # only once the port is ours
    return server


def _busy(socket_map: dict[int, Any]) -> bool:
    """Whether a connection has a request received and not yet answered in full."""
    from waitress.channel import HTTPChannel

    return any(
        isinstance(channel, HTTPChannel) and (channel.requests or channel.total_outbufs_len)
        for channel in list(socket_map.values())
    )


def serve_http(settings: Settings, briefing: Briefing, identity: BotIdentity, port: int) -> None:
    from waitress import wasyncore

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a burst queues; that is fine
    socket_map: dict[int, Any] = {}
    server = http_server(
        make_front(settings, briefing, identity),
        port,
        settings.web_threads,
        socket_map,
        timeout=settings.web_timeout,
    )
    stop = _stop_on_signals()
    log.info("listening on port %d with %d request threads", port, settings.web_threads)
    while not stop.is_set():
        wasyncore.loop(timeout=TICK_SECONDS, map=socket_map, use_poll=True, count=1)
    started = time.monotonic()
    grace = answer_grace(settings)
    _watchdog(started, stop_seconds(grace))
    wasyncore.dispatcher.close(server)  # refuse new connections (the trigger stays open)
    until = started + DRAIN_SECONDS
    while _busy(socket_map) and time.monotonic() < until:
        wasyncore.loop(timeout=0.05, map=socket_map, use_poll=True, count=1)
    _stop_answering(started, grace)


# ------------------------------------------------------------------ Socket Mode


def serve_socket_mode(settings: Settings, briefing: Briefing, identity: BotIdentity) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import build_app, socket_mode_url

    assert settings.slack_app_token is not None
    app_token = settings.slack_app_token.get_secret_value()
    app = build_app(settings, briefing, identity=identity)
    # The app token is checked here, as the bot token was: a token Slack refuses is one
    # line naming it, not the Socket Mode client's SlackApiError (the URL is then used).
    url = socket_mode_url(app.client, app_token)
    stop = _stop_on_signals()
    handler = SocketModeHandler(app, app_token=app_token)
    if url is not None:
        handler.client.wss_uri = url
    handler.connect()  # type: ignore[no-untyped-call]
    log.info("connected to Slack in Socket Mode")
    while not stop.is_set():  # not stop.wait(): see _stop_on_signals
        time.sleep(TICK_SECONDS)
    started = time.monotonic()
    grace = answer_grace(settings)
    _watchdog(started, stop_seconds(grace))
    log.info("stopping")
    handler.close()  # type: ignore[no-untyped-call]
    _stop_answering(started, grace)  # no new events came in after close()


# ------------------------------------------------------------------ stopping


def _stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT (the handler only sets it: the serving loop
    notices within :data:`TICK_SECONDS`). The main thread, where the handler runs, must
    only poll it (``is_set``), never ``wait()`` on it: a signal landing while ``wait()``
    holds the event's lock would have the handler wait for that lock forever."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _watchdog(started: float, limit: float) -> None:
    """End the process ``limit`` seconds after the signal, whatever still hangs."""

    def expire() -> None:
        os._exit(0)

    timer = threading.Timer(max(0.0, started + limit - time.monotonic()), expire)
    timer.daemon = True
    timer.start()


def _stop_answering(started: float, grace: float) -> None:
    """Answers in hand get until ``grace`` seconds after the signal; whoever is still
    waiting is told (see the module docstring). Then leave at once: the threads still
    running are not waited for, and everyone waiting has been told."""
    told = shutdown_all(started + grace - time.monotonic(), TELL_SECONDS)
    log.info("stopped; %d unfinished job(s) were told to try again", told)
    logging.shutdown()
    os._exit(0)


def serve(settings: Settings, port: int | None = None) -> None:
    """Check what can be checked (see the module docstring), then serve until SIGTERM."""
    from bot.slack.app import check_token, make_web_client

    settings.require_slack()
    briefing = Briefing.open(settings)  # reach and migrate the database, or fail here
    try:
        identity = check_token(make_web_client(settings))
    except BaseException:
        briefing.close()
        raise
    log.info("signed in to Slack as bot user %s in team %s", identity.bot_user_id, identity.team_id)
    if settings.slack_app_token is not None:
        serve_socket_mode(settings, briefing, identity)
    else:
        serve_http(settings, briefing, identity, port or settings.port)
