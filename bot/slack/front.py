"""The HTTP front of the Slack app: the WSGI application ``briefbot serve`` runs.

``GET /healthz`` answers ``ok``. ``POST /slack/events`` is checked before Bolt sees it,
in this order, so that nobody can make briefbot do work, or write a traceback to its log,
without the signing secret:

1. the body: a ``Content-Length`` within :data:`MAX_BODY_BYTES` (else 411 or 413);
2. the signature: a numeric ``X-Slack-Request-Timestamp`` within five minutes and a valid
   ``X-Slack-Signature`` over the raw bytes, computed as Slack documents it (else 401,
   and one short log line; slack_sdk's verifier decodes the body first, so a body that
   is not UTF-8 made it raise);
3. the shape: UTF-8, and a JSON object, or a form whose ``payload`` (if any) is a JSON
   object (else 400, and one short log line): Bolt parses the body before it checks the
   signature, and a truncated JSON body, ``[1]``, ``null`` or a broken ``payload`` made
   it raise.

Then Bolt dispatches the request, and its response is returned as Bolt's own WSGI
adapter returns it. Anything that still goes wrong is a bug: it is logged with its
traceback and answered with a plain-text 500.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from hashlib import sha256
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request import BoltRequest

from bot.slack.jobs import AcksFirst

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
#: Slack's requests are a few kilobytes; 1 MiB leaves room for large Block Kit payloads.
MAX_BODY_BYTES = 1024 * 1024
#: Slack's rule: a request whose timestamp is more than five minutes off is a replay.
MAX_CLOCK_SKEW = 5 * 60

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Refused(Exception):
    """A request answered with ``status`` and a one-line ``reason`` (logged, not sent)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class SlackFront:
    """The WSGI application: health check, request checks, then Bolt (see the module)."""

    def __init__(
        self,
        app: App,
        signing_secret: str,
        acks: AcksFirst | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.acks = acks or AcksFirst()
        self.clock = clock
        self.secret = signing_secret.encode()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH:
            return _plain(start_response, 200, "ok")
        if path != EVENTS_PATH:
            return _plain(start_response, 404, "Not Found")
        if method != "POST":
            return _plain(start_response, 405, "Method Not Allowed", [("Allow", "POST")])
        self.acks.started()
        try:
            return self._events(environ, start_response)
        finally:
            self.acks.finished()

    def _events(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        headers = _headers(environ)
        try:
            body = _body(environ)
            self._verify(body, headers)
            text = _checked_shape(body, str(headers.get("content-type", "")))
        except Refused as refused:
            log.warning(
                "refused a request to %s from %s: %s (%d)",
                EVENTS_PATH,
                environ.get("REMOTE_ADDR", "?"),
                refused.reason,
                refused.status,
            )
            return _plain(start_response, refused.status, _PHRASES[refused.status])
        try:
            request = BoltRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers)
        except Exception as exc:  # a JSON object whose fields have shapes Bolt cannot read
            log.warning("refused a signed request Bolt cannot read: %s (400)", _one_line(exc))
            return _plain(start_response, 400, "Bad Request")
        try:
            response = self.app.dispatch(request)
        except Exception:
            log.exception("a signed request to %s failed", EVENTS_PATH)
            return _plain(start_response, 500, "Internal Server Error")
        wsgi = WsgiHttpResponse(
            status=response.status, headers=response.headers, body=response.body
        )
        start_response(wsgi.status, wsgi.get_headers())
        return wsgi.get_body()

    def _verify(self, body: bytes, headers: dict[str, str | Sequence[str]]) -> None:
        timestamp = str(headers.get("x-slack-request-timestamp", ""))
        signature = str(headers.get("x-slack-signature", ""))
        if not timestamp or not signature:
            raise Refused(401, "not signed")
        if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
            raise Refused(401, "the timestamp is not a number")
        if abs(self.clock() - int(timestamp)) > MAX_CLOCK_SKEW:
            raise Refused(401, "the timestamp is more than five minutes off")
        expected = hmac.new(self.secret, b"v0:" + timestamp.encode() + b":" + body, sha256)
        # (compare_digest refuses str with non-ASCII characters: "v0=é" would raise)
        if not signature.isascii() or not hmac.compare_digest(
            f"v0={expected.hexdigest()}", signature
        ):
            raise Refused(401, "the signature does not match")


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0][:200] if lines else ''}"


_PHRASES = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Content Too Large",
    500: "Internal Server Error",
}


def _plain(
    start_response: StartResponse,
    status: int,
    text: str,
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    body = text.encode()
    start_response(
        f"{status} {_PHRASES[status]}",
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *(extra or []),
        ],
    )
    return [body]


def _headers(environ: dict[str, Any]) -> dict[str, str | Sequence[str]]:
    """The request's headers, lower-cased, as Bolt's WSGI adapter gives them to Bolt."""
    headers: dict[str, str | Sequence[str]] = {}
    for key, value in environ.items():
        if key in ("CONTENT_LENGTH", "CONTENT_TYPE"):
            headers[key.lower().replace("_", "-")] = str(value)
        elif key.startswith("HTTP_"):
            headers[key[5:].lower().replace("_", "-")] = str(value)
    return headers


def _body(environ: dict[str, Any]) -> bytes:
    raw = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not raw:
        raise Refused(411, "no Content-Length")
    if not raw.isascii() or not raw.isdigit():
        raise Refused(400, "the Content-Length is not a number")
    length = int(raw)
    if length > MAX_BODY_BYTES:
        raise Refused(413, f"a body of {length:,} bytes (the limit is {MAX_BODY_BYTES:,})")
    body = environ["wsgi.input"].read(length) if length else b""
    if len(body) != length:
        raise Refused(400, "the body is shorter than its Content-Length")
    return bytes(body)


def _checked_shape(body: bytes, content_type: str) -> str:
    """The body as text, if Bolt can parse it (see the module docstring). The rules are
    Bolt's own (``slack_bolt.request.internals.parse_body``): JSON when the content type
    says so or the body starts with ``{``; otherwise a form, whose ``payload`` is JSON."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "a signed body that is not UTF-8") from None
    is_json = content_type.split(";")[0].strip().lower() == "application/json"
    if text and (is_json or text.startswith("{")):
        data = _json(text)
        if not isinstance(data, dict):
            raise Refused(400, "a signed JSON body that is not an object")
        _check_event(data.get("event"))
    elif "payload" in text:
        payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
        if payload is None:
            return text
        data = _json(payload)
        if not isinstance(data, dict):
            raise Refused(400, "a signed form whose payload is not a JSON object")
        actions = data.get("actions")
        if data.get("type") == "block_actions" and not (
            isinstance(actions, list) and actions and all(isinstance(a, dict) for a in actions)
        ):  # Bolt reads actions[0] before any listener runs
            raise Refused(400, "a signed block_actions payload without actions")
    return text


#: Events whose listener Bolt sets up from fields it reads before any of ours runs (its
#: Assistant middleware): without them Bolt fails with a 500, and Slack retries.
_ASSISTANT_EVENTS = frozenset({"assistant_thread_started", "assistant_thread_context_changed"})


def _check_event(event: Any) -> None:
    """An Events API body's ``event``, if any, as Bolt needs it: an object, and an assistant
    thread event with its channel and thread."""
    if event is None:
        return
    if not isinstance(event, dict):
        raise Refused(400, "a signed event that is not an object")
    if event.get("type") in _ASSISTANT_EVENTS:
        thread = event.get("assistant_thread")
        if not (isinstance(thread, dict) and thread.get("channel_id") and thread.get("thread_ts")):
            raise Refused(400, "a signed assistant thread event without its channel or thread")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise Refused(400, "a signed body that is not valid JSON") from None
