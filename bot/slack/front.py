"""The HTTP front of the Slack app: the WSGI application ``briefbot serve`` runs.

``GET /healthz`` answers ``ok``. ``POST /slack/events`` is checked before Bolt sees it,
in this order, so that nobody can make briefbot do work, or write a traceback to its log,
without the signing secret:

1. the body: a ``Content-Length`` within :data:`MAX_BODY_BYTES` (else 411 or 413);
2. the signature: a numeric ``X-Slack-Request-Timestamp`` within five minutes and a valid
   ``X-Slack-Signature`` over the raw bytes, computed as Slack documents it (else 401,
   and one short log line; slack_sdk's verifier decodes the body first, so a body that
   is not UTF-8 made it raise);
3. the shape: UTF-8, and a JSON object, or a form, with a response_url if it is a slash
   command (else 400, and one short log line): Bolt parses the body before it checks the
   signature, and a truncated JSON body, ``[1]`` or ``null`` made it raise; a command
   without a response_url cannot be answered. A form whose ``payload`` is set is an
   interactivity payload (a click, a modal's submission): if it is not a JSON object of
   the shape Bolt reads before any listener runs (:func:`_check_interactivity`), it is
   acked with an empty 200 and one warning line, never a traceback. Slack does not retry
   interactivity, but it shows the person who clicked an error for any other answer, and
   Bolt failed on such payloads with a 500 (a ``view_submission`` whose ``view`` is null,
   a click whose action has no ``action_id``).

Then Bolt dispatches the request (a form that Bolt would read as empty, because the
word "payload" is in it, is given its fields: :func:`_bolt_request`), and its response
is returned as Bolt's own WSGI adapter returns it. Anything that still goes wrong is a
bug: it is logged with its traceback and answered with a plain-text 500.
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
from slack_bolt.context import BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context

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
        except Unread as unread:
            log.warning("acked a signed interactivity payload briefbot cannot read: %s", unread)
            return _plain(start_response, 200, "")
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
            request = _bolt_request(text, environ.get("QUERY_STRING", ""), headers)
        except Exception as exc:  # a JSON object whose fields have shapes Bolt cannot read
            if _is_interactivity(text, str(headers.get("content-type", ""))):
                log.warning(
                    "acked a signed interactivity payload briefbot cannot read: %s",
                    _one_line(exc),
                )
                return _plain(start_response, 200, "")
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


class Unread(Exception):
    """A signed interactivity payload of a shape briefbot cannot read: acked, with a
    warning saying why (see the module docstring)."""


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
        _check_event(data)
        try:  # Slack sends interactivity as a form; the same fields in JSON fail alike
            _check_fields(data, str(data.get("type")))
        except Unread as unread:
            raise Refused(400, f"a signed JSON body: {unread}") from None
    elif text:
        form = dict(parse_qsl(text, keep_blank_values=True))
        payload = form.get("payload")
        if payload is not None:
            try:
                data = json.loads(payload)
            except (json.JSONDecodeError, RecursionError):
                raise Unread("its payload is not valid JSON") from None
            _check_interactivity(data)
        elif "command" in form:
            # Slack sends every slash command with a response_url: all its answer but the
            # ack goes there, and without one the listener's work could only fail.
            url = form.get("response_url") or None
            if url is None or not _url_or_none(url):
                raise Refused(400, "a signed slash command without a response_url")
    return text


def _bolt_request(text: str, query: str, headers: dict[str, str | Sequence[str]]) -> BoltRequest:
    """The request as Bolt should read it.

    Bolt reads a form that has the word "payload" anywhere in it (a slash command's
    ``text=what is the payload``, a channel named ``payload-ops``) as an interactivity
    payload, and when the form has no ``payload`` field it reads it as empty
    (``slack_bolt.request.internals.parse_body``): the command matched no listener and
    its asker got no answer. Such a form gets its fields back; the raw body, which Bolt
    checks the signature against, is untouched.
    """
    request = BoltRequest(body=text, query=query, headers=headers)
    content_type = str(headers.get("content-type", ""))
    is_json = content_type.split(";")[0].strip().lower() == "application/json"
    if text and not is_json and not text.startswith("{") and "payload" in text:
        form = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" not in form:
            request.body = form
            request.context = build_context(BoltContext(), form)
    return request


def _is_interactivity(text: str, content_type: str) -> bool:
    """Is this body a form with a ``payload`` (as Bolt reads it: see :func:`_checked_shape`)?"""
    is_json = content_type.split(";")[0].strip().lower() == "application/json"
    if not text or is_json or text.startswith("{") or "payload" not in text:
        return False
    return "payload" in dict(parse_qsl(text, keep_blank_values=True))


#: Fields of an interactivity payload that Slack sends as objects (or null), and the ids in
#: them that Bolt and briefbot read as text. Bolt tests some of them with ``in``, which fails
#: on a number; briefbot's listeners call ``.get`` on them.
_OBJECTS: dict[str, tuple[str, ...]] = {
    "user": ("id", "team_id"),
    "team": ("id", "enterprise_id"),
    "enterprise": ("id",),
    "channel": ("id",),
    "container": ("channel_id",),
    "view": ("id", "team_id", "app_installed_team_id"),
    "message": (),
    "function_data": (),
}
#: Top-level fields read as text (matched against listeners, or a reply's address).
_TEXTS = ("callback_id", "action_id", "response_url", "trigger_id", "thread_ts")
#: What a response_url must start with for briefbot to reply through it.
_URL_SCHEMES = ("https://", "http://")
_VIEW_TYPES = frozenset({"view_submission", "view_closed"})
_WITH_ACTIONS = frozenset({"block_actions", "interactive_message"})


def _check_interactivity(data: Any) -> None:
    """An interactivity payload as Bolt reads it before any listener runs, and as
    briefbot's listeners read it: raises :class:`Unread` with the reason otherwise."""
    if not isinstance(data, dict):
        raise Unread("its payload is not a JSON object")
    kind = data.get("type")
    if not isinstance(kind, str) or not kind:
        raise Unread("a payload without a type")
    _check_fields(data, kind)
    try:
        _check_event(data)
    except Refused as refused:
        raise Unread(refused.reason) from None


def _check_fields(data: dict[str, Any], kind: str) -> None:
    """The fields of a request of type ``kind`` that Bolt reads before any listener runs,
    as it reads them: raises :class:`Unread` otherwise. The rules follow
    ``slack_bolt.request.internals`` (the context's ids) and
    ``slack_bolt.request.payload_utils`` (``to_action``, ``to_view``, ``to_step``, which run
    for every request, in the keyword arguments of the first middleware)."""
    for name, ids in _OBJECTS.items():
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, dict):
            raise Unread(f"a {kind:.40} payload whose {name} is not an object")
        for key in ids:
            if not isinstance(value.get(key), str | None):
                raise Unread(f"a {kind:.40} payload whose {name}.{key} is not text")
    for key in _TEXTS:
        if not isinstance(data.get(key), str | None):
            raise Unread(f"a {kind:.40} payload whose {key} is not text")
    if not _url_or_none(data.get("response_url")):
        raise Unread(f"a {kind:.40} payload whose response_url is not a URL")
    for name in ("authorizations", "response_urls"):
        listed = data.get(name)
        if listed is not None and not (
            isinstance(listed, list) and all(isinstance(item, dict) for item in listed)
        ):
            raise Unread(f"a {kind:.40} payload whose {name} is not a list of objects")
    for item in data.get("response_urls") or []:
        if not _url_or_none(item.get("response_url")):
            raise Unread(f"a {kind:.40} payload whose response_urls hold one that is not a URL")
    actions = data.get("actions")
    if kind in _WITH_ACTIONS or actions is not None:
        if not (isinstance(actions, list) and actions):
            raise Unread(f"a {kind:.40} payload without actions")
        if not all(isinstance(a, dict) for a in actions):
            raise Unread(f"a {kind:.40} payload whose actions are not objects")
        if kind == "block_actions" and not isinstance(actions[0].get("action_id"), str):
            raise Unread("a block_actions payload whose action has no action_id")
    view = data.get("view")
    if kind in _VIEW_TYPES and not (
        isinstance(view, dict)
        and isinstance(view.get("callback_id"), str)
        and isinstance(view.get("type"), str)
    ):
        raise Unread(f"a {kind} payload without a view that has a callback_id and a type")
    needs_step = kind == "workflow_step_edit" or (
        kind == "view_submission" and isinstance(view, dict) and view.get("type") == "workflow_step"
    )
    if needs_step and "workflow_step" not in data:
        raise Unread(f"a {kind} payload for a workflow step without its workflow_step")


#: Events whose listener Bolt sets up from fields it reads before any of ours runs (its
#: Assistant middleware): without them Bolt fails with a 500, and Slack retries.
_ASSISTANT_EVENTS = frozenset({"assistant_thread_started", "assistant_thread_context_changed"})


def _url_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.lower().startswith(_URL_SCHEMES))


def _check_event(body: dict[str, Any]) -> None:
    """An Events API body's ``event``, if any, as Bolt needs it: an object (Bolt reads
    ``body.get("event", {}).get(...)``, so even null fails), and an assistant thread
    event with its channel and thread."""
    if "event" not in body:
        return
    event = body["event"]
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
