"""Driving the Slack app as Slack does: signed HTTP requests with real payload shapes.

``SlackDriver`` signs every request exactly as Slack signs it (``v0:timestamp:body``,
HMAC-SHA256 with the signing secret) and posts it over HTTP to a running app, which may be
in this process (``serve_in_thread``) or a ``briefbot serve`` subprocess.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

SIGNING_SECRET = "test-signing-secret-0123456789"
BOT_TOKEN = "xoxb-test-bot-token-0123456789"
TEAM = "T1"
BOT_USER = "UBOT"

_ids = itertools.count(1)


def sign(body: str, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Response:
    status: int
    body: str
    #: How long the answer took (for the benchmarks; tests check what was answered when).
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def next_ts() -> str:
    return f"{1_800_000_000 + next(_ids)}.000100"


def shared_file(name: str = "memo.pdf", user: str = "U1") -> dict[str, Any]:
    """A file as Slack lists it in a message event's ``files`` (an uploaded PDF): a
    message with files is a ``message`` of subtype ``file_share`` (with ``upload``), or an
    ``app_mention`` with the same ``files`` and no subtype; its ``text`` is only what was
    written with it, empty (or only the mention) when nothing was."""
    file_id = f"F{next(_ids):08d}"
    url = f"https://files.slack.com/files-pri/{TEAM}-{file_id}"
    return {
        "id": file_id,
        "created": int(time.time()),
        "timestamp": int(time.time()),
        "name": name,
        "title": name,
        "mimetype": "application/pdf",
        "filetype": "pdf",
        "pretty_type": "PDF",
        "user": user,
        "user_team": TEAM,
        "editable": False,
        "size": 48213,
        "mode": "hosted",
        "is_external": False,
        "external_type": "",
        "is_public": False,
        "public_url_shared": False,
        "display_as_bot": False,
        "username": "",
        "url_private": f"{url}/{name}",
        "url_private_download": f"{url}/download/{name}",
        "permalink": f"https://briefbot-test.slack.com/files/{user}/{file_id}/{name}",
        "has_rich_preview": False,
        "file_access": "visible",
    }


def _message_event(
    kind: str,
    text: str,
    channel: str,
    user: str,
    ts: str | None,
    thread_ts: str | None,
    fields: dict[str, Any],
) -> tuple[dict[str, Any], str]:
    """A message-shaped event (``app_mention`` or ``message``) and its ts."""
    ts = ts or next_ts()
    event = {
        "type": kind,
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "team": TEAM,
        **fields,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event, ts


class SlackDriver:
    """Posts signed Slack requests to ``url`` (the app's /slack/events)."""

    def __init__(self, url: str, secret: str = SIGNING_SECRET) -> None:
        self.url = url
        self.secret = secret

    def post(
        self,
        body: str,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        signed: bool = True,
        timestamp: int | None = None,
        secret: str | None = None,
    ) -> Response:
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if signed:
            all_headers.update(sign(body, secret or self.secret, timestamp))
        request = urllib.request.Request(
            self.url, data=body.encode(), headers=all_headers, method="POST"
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as exc:
            text = exc.read().decode()
            status = exc.code
        return Response(status, text, time.perf_counter() - started)

    # -- Events API -------------------------------------------------------------------------

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        **kwargs: Any,
    ) -> Response:
        envelope = {
            "token": "legacy-verification-token",
            "team_id": TEAM,
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "team_id": TEAM,
                    "user_id": BOT_USER,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        }
        headers = kwargs.pop("headers", {})
        if retry_num is not None:
            headers = {
                **headers,
                "X-Slack-Retry-Num": str(retry_num),
                "X-Slack-Retry-Reason": "http_timeout",
            }
        return self.post(json.dumps(envelope), "application/json", headers=headers, **kwargs)

    def mention(
        self,
        text: str,
        *,
        channel: str = "C1",
        user: str = "U1",
        ts: str | None = None,
        thread_ts: str | None = None,
        fields: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> tuple[Response, str]:
        """An app_mention; ``fields`` are more of the event's own (``user_team``)."""
        event, ts = _message_event(
            "app_mention", f"<@{BOT_USER}> {text}", channel, user, ts, thread_ts, fields or {}
        )
        return self.event(event, **kwargs), ts

    def message(
        self,
        text: str,
        *,
        channel: str = "C1",
        user: str = "U1",
        ts: str | None = None,
        thread_ts: str | None = None,
        channel_type: str = "channel",
        **fields: Any,
    ) -> tuple[Response, str]:
        event, ts = _message_event(
            "message", text, channel, user, ts, thread_ts, {"channel_type": channel_type, **fields}
        )
        return self.event(event), ts

    # -- commands and interactivity -----------------------------------------------------------

    def command(
        self,
        command: str,
        text: str,
        response_url: str,
        *,
        user: str = "U1",
        channel: str = "C1",
        channel_name: str = "general",
        **kwargs: Any,
    ) -> Response:
        form = {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "briefbot-test",
            "channel_id": channel,
            "channel_name": channel_name,
            "user_id": user,
            "user_name": "someone",
            "command": command,
            "text": text,
            "api_app_id": "A1",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": f"trig.{next(_ids)}",
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded", **kwargs)

    def click(self, action_id: str, value: str, response_url: str | None, **where: Any) -> Response:
        """A click on a button of a message (``where``: :func:`click_payload`'s user,
        channel, message_ts, in_home). Slack sends no ``response_url`` with a click in
        the App Home tab or a modal: pass None to leave it out."""
        return self.interaction(click_payload(action_id, value, response_url, **where))

    def interaction(self, payload: dict[str, Any]) -> Response:
        """Any interactivity payload, as Slack sends it: a form with a JSON ``payload``."""
        return self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )


def click_payload(
    action_id: str,
    value: str,
    response_url: str | None,
    user: str = "U1",
    channel: str = "C1",
    message_ts: str = "1800000000.000001",
    in_home: bool = False,
) -> dict[str, Any]:
    """A ``block_actions`` payload as Slack sends it: a click on a button of a message in
    ``channel``; or, ``in_home``, in the App Home tab (no conversation, no message)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": "someone", "name": "someone", "team_id": TEAM},
        "api_app_id": "A1",
        "token": "legacy",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": True,
        },
        "trigger_id": f"trig.{next(_ids)}",
        "team": {"id": TEAM, "domain": "briefbot-test"},
        "channel": {"id": channel, "name": "general"},
        "message": {"ts": message_ts, "text": "", "blocks": []},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "type": "button",
                "action_ts": str(time.time()),
            }
        ],
    }
    if response_url is None:
        del payload["response_url"]
    if in_home:
        del payload["channel"], payload["message"]
        payload["container"] = {"type": "view", "view_id": "VHOME"}
        payload["view"] = {"id": "VHOME", "type": "home", "callback_id": "", "blocks": []}
    return payload


def view_payload(kind: str = "view_submission", callback_id: str = "old") -> dict[str, Any]:
    """A modal's ``view_submission`` (or ``view_closed``) payload as Slack sends it."""
    return {
        "type": kind,
        "team": {"id": TEAM, "domain": "briefbot-test"},
        "user": {"id": "U1", "username": "someone", "name": "someone", "team_id": TEAM},
        "api_app_id": "A1",
        "token": "legacy",
        "trigger_id": f"trig.{next(_ids)}",
        "view": {
            "id": "V1",
            "team_id": TEAM,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": "",
            "state": {"values": {}},
            "app_id": "A1",
        },
        "response_urls": [
            {
                "block_id": "b1",
                "action_id": "a1",
                "channel_id": "C1",
                "response_url": "https://hooks.invalid/actions/T1/1/x",
            }
        ],
        "is_enterprise_install": False,
        "enterprise": None,
    }


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


#: How often an in-thread server looks for a shutdown request; ``shutdown()`` waits for it,
#: so socketserver's default of half a second would be spent at the end of every test.
POLL_SECONDS = 0.01


@contextmanager
def serve_in_thread(wsgi_app: Callable[..., Any]) -> Iterator[str]:
    """Serve ``wsgi_app`` on 127.0.0.1 in a thread; yields the /slack/events url."""
    server = make_server(
        "127.0.0.1", 0, wsgi_app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/slack/events"
    finally:
        server.shutdown()
        server.server_close()


def wait_until(check: Callable[[], Any], timeout: float = 5.0, message: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(message or "condition not met in time")


class Waits:
    """A ``sleep`` for the Slack client's retries in tests: it records each wait asked for
    and returns at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._asked: list[float] = []

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self._asked.append(seconds)

    @property
    def asked(self) -> list[float]:
        with self._lock:
            return list(self._asked)


class TrackingExecutor(ThreadPoolExecutor):
    """A thread pool that can wait until everything submitted (even by its own tasks) is done,
    so a test can assert that something did *not* happen; and that can hold back what is
    submitted (:meth:`held`), so a test can see what happened before any of it ran."""

    def __init__(self, workers: int = 4) -> None:
        super().__init__(workers)
        self._futures: set[Future[Any]] = set()
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._open.set()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        gate = self._open

        def when_open() -> Any:
            if not gate.wait(timeout=30):
                raise AssertionError("held work was never let go")
            return fn(*args, **kwargs)

        future = super().submit(when_open)
        with self._lock:
            self._futures.add(future)
        return future

    @contextmanager
    def held(self) -> Iterator[None]:
        """Work that has not started when the block begins, or is submitted in it, starts
        only when the block ends."""
        self._open.clear()
        try:
            yield
        finally:
            self._open.set()

    def drain(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                pending = [f for f in self._futures if not f.done()]
            if not pending:
                return
            wait(pending, timeout=max(0.0, deadline - time.monotonic()))
        raise AssertionError("background work did not finish in time")
