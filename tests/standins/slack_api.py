"""A loopback stand-in for the Slack Web API (plus ``response_url`` endpoints).

Point a real ``slack_sdk.WebClient(base_url=stand_in.url)`` (or a ``slack_bolt.App`` built on
such a client) at it. Every request is recorded as a :class:`Call`; canned ``ok`` responses
are returned for the methods briefbot uses, and misbehaviour (HTTP errors, 429s, ``ok: false``
errors, hangs) can be scheduled per method.

Body encodings seen from ``slack_sdk`` 3.x's ``WebClient``:

* ``json=`` methods (``chat.postMessage``, ``chat.update``, ``chat.postEphemeral``,
  ``chat.*Stream``, ``views.publish``, ``assistant.threads.setStatus`` /
  ``setSuggestedPrompts``) are sent as ``application/json;charset=utf-8``;
* ``params=`` methods (``auth.test``, ``chat.delete``, ``conversations.replies``,
  ``conversations.history``,
  ``users.info``, ``assistant.threads.setTitle``) are sent as a form-encoded POST body, even
  when the SDK declares ``http_verb="GET"`` (booleans become ``"1"``/``"0"``, lists/dicts
  are JSON strings); form values are therefore recorded as strings;
* the token always travels in ``Authorization: Bearer ...``, never in the body.

Like Slack, every successful response to a request with a token carries the token's
granted scopes in an ``x-oauth-scopes`` header (comma-separated). They are the bot scopes
of the repository's ``slack-manifest.yml`` unless a test sets :attr:`SlackAPIStandIn.scopes`
(None sends no header).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

from . import (
    REDACTED,
    FaultPlan,
    StandInHandler,
    StandInServer,
    redact_headers,
    wait_until,
)

__all__ = ["Call", "SlackAPIStandIn"]

TEAM_ID = "T1"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
BOT_NAME = "briefbot"

Responder = Callable[["Call"], dict[str, Any]]
MANIFEST = Path(__file__).resolve().parents[2] / "slack-manifest.yml"


def manifest_scopes() -> list[str]:
    """The bot scopes the app's manifest asks for (what an installed app is granted)."""
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return [str(s) for s in manifest["oauth_config"]["scopes"]["bot"]]


@dataclass(repr=False)
class Call:
    """One request received by the Slack stand-in.

    ``method`` is the Web API method (``"chat.postMessage"``) or ``"response_url:<name>"``.
    ``params`` merges query-string and body parameters (JSON bodies keep their types; form
    values are strings). ``headers`` has lower-cased names and *includes* the Authorization
    header; ``repr()`` and :meth:`redacted` hide it. ``fault`` names the misbehaviour that was
    injected for this request (``None`` for a normal answer).
    """

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    time: float
    fault: str | None = None
    content_type: str = field(default="", compare=False)

    @property
    def token(self) -> str | None:
        """The bearer token the client sent, if any (do not print it)."""
        auth = self.headers.get("authorization", "")
        return auth[7:] if auth.lower().startswith("bearer ") else None

    def redacted(self) -> Call:
        """A copy that is safe to print: credential headers and ``token`` params masked."""
        params = {k: (REDACTED if k == "token" else v) for k, v in self.params.items()}
        return replace(self, params=params, headers=redact_headers(self.headers))

    def json_param(self, name: str) -> Any:
        """Return ``params[name]`` decoded from JSON if it arrived as a form string."""
        value = self.params[name]
        return json.loads(value) if isinstance(value, str) else value

    def __repr__(self) -> str:
        """Token-free representation."""
        safe = self.redacted()
        fault = f", fault={self.fault!r}" if self.fault else ""
        return f"Call(method={safe.method!r}, params={safe.params!r}{fault})"


class SlackAPIStandIn(StandInServer):
    """Fake Slack Web API on 127.0.0.1 that records calls and can misbehave on demand.

    Use ``.url`` (``http://127.0.0.1:<port>/api/``) as ``WebClient(base_url=...)``. The SDK's
    default is ``"https://slack.com/api/"``; it appends a missing trailing slash and then
    ``urljoin``-s the method name, so the base must include the ``/api`` segment.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        """Create a stopped stand-in; call :meth:`start` or use it as a context manager."""
        super().__init__(host)
        self._cond = threading.Condition()
        self._calls: list[Call] = []
        self._faults = FaultPlan()
        self._ts_lock = threading.Lock()
        self._ts_counter = 0
        self._replies: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._users: dict[str, dict[str, Any]] = {}
        self._overrides: dict[str, Responder] = {}
        #: Scopes reported in ``x-oauth-scopes`` (None: no header).
        self.scopes: list[str] | None = manifest_scopes()
        self._history: dict[str, list[dict[str, Any]]] = {}
        #: method -> (error, HTTP status) for calls whose blocks are refused
        self._refused_blocks: dict[str, tuple[str, int]] = {}

    # -- addressing ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL for ``slack_sdk.WebClient(base_url=...)``, ending with ``/api/``."""
        return f"{self.root}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A URL to hand out as a Slack ``response_url``; posts are recorded as
        ``"response_url:<name>"`` calls."""
        return f"{self.root}/response/{name}"

    # -- recorded calls --------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Snapshot of recorded calls, optionally only those of one ``method``."""
        with self._cond:
            return [c for c in self._calls if method is None or c.method == method]

    def methods(self) -> list[str]:
        """Method names of all recorded calls, in arrival order."""
        with self._cond:
            return [c.method for c in self._calls]

    def last(self, method: str) -> Call:
        """The most recent call of ``method``; AssertionError if there is none."""
        found = self.calls(method)
        if not found:
            raise AssertionError(f"no {method!r} call recorded; got {self.methods()!r}")
        return found[-1]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until at least ``count`` calls of ``method`` were recorded and return them.

        Raises AssertionError (listing the recorded method names) after ``timeout`` seconds.
        """

        def found() -> list[Call]:
            return [c for c in self._calls if c.method == method]

        return wait_until(
            self._cond,
            lambda: calls if len(calls := found()) >= count else None,
            timeout,
            lambda: (
                f"expected {count} {method!r} call(s) within {timeout}s, got "
                f"{len(found())}; recorded methods: {[c.method for c in self._calls]!r}"
            ),
        )

    def redacted(self) -> list[Call]:
        """All recorded calls with credentials masked (safe to print or log)."""
        return [c.redacted() for c in self.calls()]

    def clear(self) -> None:
        """Forget recorded calls (scheduled faults and canned data stay)."""
        with self._cond:
            self._calls.clear()

    def reset(self) -> None:
        """Back to a fresh state: abort in-flight hangs, forget calls, faults, canned
        replies/users and response overrides, and restart the ``ts`` sequence."""
        self.cancel_pauses()
        self.clear()
        self._faults.clear()
        with self._cond:
            self._replies.clear()
            self._users.clear()
            self._overrides.clear()
            self._history.clear()
            self._refused_blocks.clear()
        self.scopes = manifest_scopes()
        with self._ts_lock:
            self._ts_counter = 0

    # -- canned data -----------------------------------------------------------------------

    def set_replies(self, channel: str, thread_ts: str, messages: list[dict[str, Any]]) -> None:
        """Messages returned by ``conversations.replies`` for ``(channel, ts=thread_ts)``."""
        with self._cond:
            self._replies[(channel, thread_ts)] = copy.deepcopy(messages)

    def set_user(self, user_id: str, **fields: Any) -> None:
        """Override/extend the ``user`` object that ``users.info`` returns for ``user_id``."""
        with self._cond:
            self._users.setdefault(user_id, {}).update(fields)

    def set_response(self, method: str, response: dict[str, Any] | Responder) -> None:
        """Replace the default response body of ``method`` (dict or ``fn(call) -> dict``)."""
        body = response
        responder: Responder = body if callable(body) else (lambda _c: copy.deepcopy(body))
        with self._cond:
            self._overrides[method] = responder

    def next_ts(self) -> str:
        """Allocate the next message timestamp (``"1700000000.000100"``, then ``...200``)."""
        with self._ts_lock:
            self._ts_counter += 1
            micros = self._ts_counter * 100
        return f"{1_700_000_000 + micros // 1_000_000}.{micros % 1_000_000:06d}"

    # -- misbehaviour ----------------------------------------------------------------------

    def fail(self, method: str, status: int = 500, times: int | None = 1) -> None:
        """Answer ``method`` with HTTP ``status`` (body ``{"ok": false, ...}``)."""
        self._faults.add(method, "fail", times, status=status)

    def rate_limit(self, method: str, retry_after: int | str = 1, times: int | None = 1) -> None:
        """Answer ``method`` with HTTP 429, ``Retry-After: <retry_after>`` and
        ``{"ok": false, "error": "ratelimited"}``. (slack_sdk parses the header with
        ``int()``; a text ``retry_after`` is sent as it is, an HTTP date or garbage.)"""
        value = retry_after if isinstance(retry_after, str) else int(retry_after)
        self._faults.add(method, "rate_limit", times, retry_after=value)

    def error(
        self,
        method: str,
        error: str = "channel_not_found",
        times: int | None = 1,
        *,
        carried_out: bool = False,
    ) -> None:
        """Answer ``method`` with HTTP 200 and ``{"ok": false, "error": error}``; with
        ``carried_out``, after carrying it out (a post lands), as Slack's ``fatal_error``
        and ``internal_error`` may."""
        self._faults.add(method, "error", times, error=error, carried_out=carried_out)

    def hang(self, method: str, seconds: float = 10, times: int | None = 1) -> None:
        """Delay the answer to ``method`` by ``seconds``; stop() or reset() aborts the request."""
        self._faults.add(method, "hang", times, seconds=float(seconds))

    def drop(self, method: str, times: int | None = 1) -> None:
        """Carry out ``method`` (a post lands), then drop the connection without answering:
        the client cannot tell whether it landed."""
        self._faults.add(method, "drop", times)

    def refuse_blocks(self, method: str, error: str = "invalid_blocks", status: int = 200) -> None:
        """Answer every call of ``method`` that carries ``blocks`` with HTTP ``status`` and
        ``{"ok": false, "error": error}``, as Slack refuses a message's form
        (``invalid_blocks``, ``msg_blocks_too_long``); the same message without blocks is
        taken. Recorded calls so refused have the fault ``"refuse_blocks"``. Until
        :meth:`reset`."""
        with self._cond:
            self._refused_blocks[method] = (error, status)

    def pending_faults(self) -> dict[str, list[tuple[str, int | None]]]:
        """Faults not yet consumed: ``{method: [(kind, remaining), ...]}``."""
        return self._faults.pending()

    # -- request handling ------------------------------------------------------------------

    def _handle(self, handler: StandInHandler) -> None:
        split = urlsplit(handler.path)
        path = split.path
        if path.startswith("/api/") and len(path) > len("/api/"):
            method = unquote(path[len("/api/") :])
        elif path.startswith("/response/") and len(path) > len("/response/"):
            method = "response_url:" + unquote(path[len("/response/") :])
        else:
            handler.read_body()
            handler.send_json(404, {"ok": False, "error": "unknown_path", "path": path})
            return

        headers = handler.header_dict()
        raw = handler.read_body()
        content_type = headers.get("content-type", "")
        params: dict[str, Any] = dict(parse_qsl(split.query, keep_blank_values=True))
        params.update(_parse_body(raw, content_type))

        with self._cond:
            refusal = self._refused_blocks.get(method) if params.get("blocks") else None
        fault = self._faults.take(method) if refusal is None else None
        call = Call(
            method=method,
            params=params,
            headers=headers,
            time=time.time(),
            fault="refuse_blocks" if refusal else fault.kind if fault else None,
            content_type=content_type,
        )
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

        if refusal is not None:
            error, status = refusal
            handler.send_json(status, {"ok": False, "error": error})
            return
        if fault is not None:
            if fault.kind == "fail":
                status = int(fault.options["status"])
                handler.send_json(status, {"ok": False, "error": "internal_error"})
                return
            if fault.kind == "rate_limit":
                retry = str(fault.options["retry_after"])
                handler.send_json(
                    429, {"ok": False, "error": "ratelimited"}, {"Retry-After": retry}
                )
                return
            if fault.kind == "error":
                if fault.options.get("carried_out"):
                    self._respond(call)
                handler.send_json(200, {"ok": False, "error": fault.options["error"]})
                return
            if fault.kind == "hang" and not self.pause(float(fault.options["seconds"])):
                handler.abort()
                return
            if fault.kind == "drop":
                self._respond(call)
                handler.abort()
                return

        scopes = self.scopes
        granted = {"x-oauth-scopes": ",".join(scopes)} if scopes is not None and call.token else {}
        handler.send_json(200, self._respond(call), granted)

    def _respond(self, call: Call) -> dict[str, Any]:
        with self._cond:
            override = self._overrides.get(call.method)
        if override is not None:
            return override(call)
        builder = _DEFAULTS.get(call.method)
        return builder(self, call) if builder else {"ok": True}

    # -- default responses -----------------------------------------------------------------

    def _auth_test(self, call: Call) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://briefbot-test.slack.com/",
            "team": "Briefbot Test",
            "user": BOT_NAME,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _message(self, call: Call, ts: str) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "team": TEAM_ID,
            "ts": ts,
            "text": call.params.get("text", ""),
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if call.params.get(key) is not None:
                msg[key] = call.params[key]
        return msg

    def _post_message(self, call: Call) -> dict[str, Any]:
        ts = self.next_ts()
        channel = call.params.get("channel", "")
        message = self._message(call, ts)
        with self._cond:
            self._history.setdefault(str(channel), []).append(copy.deepcopy(message))
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def history(self, channel: str) -> list[dict[str, Any]]:
        """Messages posted to ``channel`` with chat.postMessage (or started with
        chat.startStream), oldest first."""
        with self._cond:
            return copy.deepcopy(self._history.get(channel, []))

    def _conversations_history(self, call: Call) -> dict[str, Any]:
        # Newest first, as Slack returns them. ``oldest``/``latest`` are not applied: the
        # stand-in's ts values are a counter, not the time, so filtering by time would
        # hide messages a test just posted. Metadata is returned only when asked for.
        with self._cond:
            messages = copy.deepcopy(self._history.get(str(call.params.get("channel", "")), []))
        wants_metadata = str(call.params.get("include_all_metadata", "")).lower() in ("1", "true")
        for m in messages:
            if not wants_metadata:
                m.pop("metadata", None)
        return {
            "ok": True,
            "messages": list(reversed(messages)),
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        }

    def _post_ephemeral(self, call: Call) -> dict[str, Any]:
        ts = self.next_ts()
        return {"ok": True, "channel": call.params.get("channel", ""), "ts": ts, "message_ts": ts}

    def _existing_ts(self, call: Call) -> str:
        ts = call.params.get("ts")
        return str(ts) if ts else self.next_ts()

    def _update(self, call: Call) -> dict[str, Any]:
        ts = self._existing_ts(call)
        return {
            "ok": True,
            "channel": call.params.get("channel", ""),
            "ts": ts,
            "text": call.params.get("text", ""),
            "message": self._message(call, ts),
        }

    def _echo_ts(self, call: Call) -> dict[str, Any]:
        return {
            "ok": True,
            "channel": call.params.get("channel", ""),
            "ts": self._existing_ts(call),
        }

    def _start_stream(self, call: Call) -> dict[str, Any]:
        """Start a streamed message; it is in :meth:`history` from then on, its text the
        markdown it started with (carried out before a ``drop`` or a ``hang``, too)."""
        ts = self.next_ts()
        channel = str(call.params.get("channel", ""))
        message = self._message(call, ts)
        chunks = call.params.get("chunks")
        if isinstance(chunks, str):
            chunks = json.loads(chunks)
        message["text"] = "".join(
            str(c.get("text", "")) for c in chunks or [] if c.get("type") == "markdown_text"
        ) or str(call.params.get("markdown_text", ""))
        with self._cond:
            self._history.setdefault(channel, []).append(copy.deepcopy(message))
        return {"ok": True, "channel": channel, "ts": ts}

    def _stop_stream(self, call: Call) -> dict[str, Any]:
        ts = self._existing_ts(call)
        body = {"ok": True, "channel": call.params.get("channel", ""), "ts": ts}
        body["message"] = self._message(call, ts)
        return body

    def _views_publish(self, call: Call) -> dict[str, Any]:
        view = call.params.get("view") or {}
        if isinstance(view, str):
            view = json.loads(view)
        return {
            "ok": True,
            "view": {
                "id": "V" + self.next_ts().replace(".", ""),
                "team_id": TEAM_ID,
                "type": view.get("type", "home"),
                "blocks": view.get("blocks", []),
                "hash": "hash." + self.next_ts(),
                "bot_id": BOT_ID,
            },
        }

    def _replies_for(self, call: Call) -> dict[str, Any]:
        """A thread's messages oldest first, ``limit`` at a time (Slack's default 1000),
        with a cursor to the next page, as Slack pages them."""
        key = (str(call.params.get("channel", "")), str(call.params.get("ts", "")))
        with self._cond:
            messages = copy.deepcopy(self._replies.get(key, []))
        start = int(str(call.params.get("cursor") or "0"))
        limit = int(str(call.params.get("limit") or "1000"))
        page = messages[start : start + limit]
        more = start + limit < len(messages)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _users_info(self, call: Call) -> dict[str, Any]:
        user_id = str(call.params.get("user", "U1"))
        is_bot = user_id == BOT_USER_ID
        name = BOT_NAME if is_bot else f"user_{user_id.lower()}"
        real = "Briefbot" if is_bot else f"User {user_id}"
        user: dict[str, Any] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": real,
            "deleted": False,
            "is_bot": is_bot,
            "tz": "Europe/London",
            "tz_label": "Greenwich Mean Time",
            "tz_offset": 0,
            "profile": {"real_name": real, "display_name": name},
        }
        with self._cond:
            user.update(copy.deepcopy(self._users.get(user_id, {})))
        return {"ok": True, "user": user}


def _parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    """Decode a JSON or form body into a dict (other bodies are kept under ``_raw_body``)."""
    if not raw:
        return {}
    text = raw.decode("utf-8", errors="replace")
    ctype = content_type.lower()
    if "json" in ctype or (not ctype and text.lstrip().startswith("{")):
        try:
            decoded = json.loads(text)
        except ValueError:
            return {"_raw_body": text}
        return decoded if isinstance(decoded, dict) else {"_json": decoded}
    if "x-www-form-urlencoded" in ctype or not ctype:
        return dict(parse_qsl(text, keep_blank_values=True))
    return {"_raw_body": text}


_DEFAULTS: dict[str, Callable[[SlackAPIStandIn, Call], dict[str, Any]]] = {
    "auth.test": SlackAPIStandIn._auth_test,
    "chat.postMessage": SlackAPIStandIn._post_message,
    "chat.postEphemeral": SlackAPIStandIn._post_ephemeral,
    "chat.update": SlackAPIStandIn._update,
    "chat.delete": SlackAPIStandIn._echo_ts,
    "chat.startStream": SlackAPIStandIn._start_stream,
    "chat.appendStream": SlackAPIStandIn._echo_ts,
    "chat.stopStream": SlackAPIStandIn._stop_stream,
    "views.publish": SlackAPIStandIn._views_publish,
    "conversations.replies": SlackAPIStandIn._replies_for,
    "conversations.history": SlackAPIStandIn._conversations_history,
    "users.info": SlackAPIStandIn._users_info,
}
