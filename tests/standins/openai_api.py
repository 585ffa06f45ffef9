"""A loopback, OpenAI-compatible stand-in: chat completions (plain and SSE), embeddings, models.

Point a real ``openai.OpenAI(base_url=stand_in.base_url, api_key="test")`` at it. The client
appends paths such as ``chat/completions`` to ``base_url`` (it enforces a trailing slash), so
``base_url`` must include the ``/v1`` prefix, exactly like the default
``https://api.openai.com/v1``.

Replies are programmable (:meth:`OpenAIStandIn.reply`, :meth:`~OpenAIStandIn.reply_with`,
:meth:`~OpenAIStandIn.queue`), embeddings are deterministic hashed bags of stemmed words
(:func:`embed_text`), every request is recorded, and failures can be scheduled per path:
``"chat"``, ``"embeddings"``, ``"models"`` or ``"*"`` for any.

Note: ``openai`` >= 1.x asks for ``encoding_format="base64"`` by default and decodes the
little-endian float32 payload itself; both ``base64`` and ``float`` are served.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import re
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from . import FaultPlan, StandInHandler, StandInServer, redact_headers, wait_until

__all__ = ["DEFAULT_REPLY", "OpenAIStandIn", "RecordedRequest", "cosine", "embed_text"]

DEFAULT_REPLY = "Short answer: the sources agree on this point [1]."
DEFAULT_DIMENSIONS = 256
DEFAULT_MODELS = ("gpt-4o-mini", "gpt-4.1-mini", "text-embedding-3-small")

ReplyFn = Callable[[dict[str, Any]], str]
log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------
# Deterministic embeddings
# --------------------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "do",
        "does",
        "did",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "too",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    )
)
# Longest first, so "ations" wins over "s".
_SUFFIXES = tuple(
    sorted(
        (
            "ational",
            "ations",
            "ation",
            "ators",
            "ator",
            "ings",
            "ing",
            "ments",
            "ment",
            "ants",
            "ant",
            "ents",
            "ent",
            "ions",
            "ion",
            "ists",
            "ist",
            "ives",
            "ive",
            "ness",
            "ers",
            "er",
            "ies",
            "ied",
            "ates",
            "ated",
            "ate",
            "es",
            "ed",
            "ly",
            "al",
            "s",
            "y",
        ),
        key=len,
        reverse=True,
    )
)
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    """Crude suffix stripping so that e.g. 'migrants', 'migration', 'migrate' share a stem."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _features(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for word in _WORD.findall(text.lower()):
        if word in _STOPWORDS:
            continue
        stem = _stem(word)
        counts[stem] = counts.get(stem, 0) + 1
    if not counts and text.strip():
        counts[text.strip().lower()] = 1
    return counts


def embed_text(text: str, dimensions: int = DEFAULT_DIMENSIONS) -> list[float]:
    """Deterministic, network-free embedding of ``text`` (what the stand-in serves).

    Lower-cased words minus stop-words are crudely stemmed, hashed (blake2b, signed feature
    hashing) into ``dimensions`` buckets weighted ``1 + log(tf)``, and L2-normalised. Texts
    sharing content words get high cosine similarity; unrelated texts land near 0.
    """
    vec = [0.0] * dimensions
    for stem, tf in _features(text).items():
        digest = int.from_bytes(hashlib.blake2b(stem.encode(), digest_size=8).digest(), "big")
        sign = 1.0 if (digest >> 40) & 1 else -1.0
        vec[digest % dimensions] += sign * (1.0 + math.log(tf))
    norm = math.sqrt(sum(v * v for v in vec))
    return [v / norm for v in vec] if norm else vec


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two vectors (0.0 if either is all zeros)."""
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def count_tokens(text: str) -> int:
    """The stand-in's token count, as it reports in ``usage``: words plus punctuation."""
    return len(re.findall(r"\w+|[^\w\s]", text))


def _message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


# --------------------------------------------------------------------------------------------
# Recording
# --------------------------------------------------------------------------------------------


@dataclass(repr=False)
class RecordedRequest:
    """One request received by the OpenAI stand-in.

    ``route`` is ``"chat"``, ``"embeddings"``, ``"models"`` or ``"other"``; ``path`` is the
    raw URL path; ``body`` is the parsed JSON body (``{}`` for GET or unparsable bodies);
    ``headers`` has lower-cased names and includes Authorization (hidden by ``repr``);
    ``fault`` names the misbehaviour injected for this request, if any.
    """

    route: str
    method: str
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    time: float
    fault: str | None = None

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat ``messages`` of the request (empty for other routes)."""
        messages = self.body.get("messages")
        return list(messages) if isinstance(messages, list) else []

    @property
    def prompt_text(self) -> str:
        """All message contents joined with newlines (handy for substring assertions)."""
        return "\n".join(_message_text(m) for m in self.messages if isinstance(m, dict))

    @property
    def stream(self) -> bool:
        """Whether the client asked for an SSE stream."""
        return bool(self.body.get("stream"))

    def redacted(self) -> RecordedRequest:
        """A copy with credential headers masked."""
        return replace(self, headers=redact_headers(self.headers))

    def __repr__(self) -> str:
        """Token-free representation."""
        fault = f", fault={self.fault!r}" if self.fault else ""
        return f"RecordedRequest({self.method} {self.path}, body={self.body!r}{fault})"


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------

_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
}


def _error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    kind, default_code = _ERROR_TYPES.get(status, ("server_error", None))
    return {
        "error": {"message": message, "type": kind, "param": None, "code": code or default_code}
    }


class OpenAIStandIn(StandInServer):
    """Fake OpenAI API on 127.0.0.1: records requests, serves programmable replies and
    deterministic embeddings, and misbehaves on demand.

    Reply precedence for each chat request: queued texts (:meth:`queue`, FIFO) first, then
    the ``reply_with`` function, then the fixed :meth:`reply` text (default
    :data:`DEFAULT_REPLY`). Scheduled faults take precedence over all of these and do not
    consume a queued reply, so a client retry receives it.
    """

    def __init__(self, host: str = "127.0.0.1", dimensions: int = DEFAULT_DIMENSIONS) -> None:
        """Create a stopped stand-in; ``dimensions`` is the default embedding size."""
        super().__init__(host)
        self.dimensions = dimensions
        self.models: list[str] = list(DEFAULT_MODELS)
        self._lock = threading.Condition()
        self._requests: list[RecordedRequest] = []
        self._faults = FaultPlan()
        self._queue: deque[str] = deque()
        self._reply_text = DEFAULT_REPLY
        self._reply_fn: ReplyFn | None = None
        self._stream_delay = 0.0
        self._stream_piece: int | None = None
        self._usage: dict[str, Any] | None = None
        self._embedded: list[str] = []
        self._counter = 0

    # -- addressing ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1`` for ``openai.OpenAI(base_url=...)``."""
        return f"{self.root}/v1"

    # -- programming replies ---------------------------------------------------------------

    def reply(self, text: str) -> None:
        """Answer every following chat request with ``text`` (clears ``reply_with``)."""
        with self._lock:
            self._reply_text = text
            self._reply_fn = None

    def reply_with(self, fn: ReplyFn) -> None:
        """Compute each chat reply as ``fn(request_json)``. If ``fn`` raises, the request
        gets an HTTP 500 whose message contains the exception."""
        with self._lock:
            self._reply_fn = fn

    def queue(self, *texts: str) -> None:
        """Answer the next ``len(texts)`` chat requests with these texts, in order."""
        with self._lock:
            self._queue.extend(texts)

    def stream_delay(self, seconds: float) -> None:
        """Pause between SSE chunks (to make streaming observable); 0 disables."""
        with self._lock:
            self._stream_delay = seconds

    def stream_pieces(self, size: int | None) -> None:
        """Stream the reply in pieces of ``size`` characters, cutting words as a real
        model's tokens do ("@", "chan", "nel"); None streams whole words."""
        with self._lock:
            self._stream_piece = size

    def report_usage(self, usage: dict[str, Any] | None) -> None:
        """Send ``usage`` as each chat reply's usage object, whatever it holds (a server
        that reports counts it did not make); None: the stand-in's own counts."""
        with self._lock:
            self._usage = usage

    # -- recorded requests -----------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Snapshot of every recorded request, in arrival order."""
        with self._lock:
            return list(self._requests)

    def requests_for(self, route: str) -> list[RecordedRequest]:
        """Recorded requests of one route (``"chat"``, ``"embeddings"``, ``"models"``)."""
        return [r for r in self.requests if r.route == route]

    def last_request(self, route: str | None = None) -> RecordedRequest:
        """The most recent request (optionally of ``route``); AssertionError if none."""
        found = self.requests if route is None else self.requests_for(route)
        if not found:
            raise AssertionError(f"no {route or 'any'} request recorded")
        return found[-1]

    def wait_for(
        self, route: str = "chat", count: int = 1, timeout: float = 5.0
    ) -> list[RecordedRequest]:
        """Block until ``count`` requests of ``route`` arrived; AssertionError on timeout."""

        def found() -> list[RecordedRequest]:
            return [r for r in self._requests if r.route == route]

        return wait_until(
            self._lock,
            lambda: requests if len(requests := found()) >= count else None,
            timeout,
            lambda: (
                f"expected {count} {route!r} request(s) within {timeout}s, "
                f"got {len(found())}; recorded: {[r.route for r in self._requests]!r}"
            ),
        )

    @property
    def embedded_inputs(self) -> int:
        """Total number of input strings embedded successfully so far."""
        with self._lock:
            return len(self._embedded)

    def embedded_texts(self) -> list[str]:
        """Every input string embedded so far, in order (duplicates kept)."""
        with self._lock:
            return list(self._embedded)

    def clear(self) -> None:
        """Forget recorded requests and the embedding tally (faults/replies stay)."""
        with self._lock:
            self._requests.clear()
            self._embedded.clear()

    def reset(self) -> None:
        """Back to defaults: abort in-flight hangs/streams; no requests, faults, queued or
        programmed replies, stream delay or piece size."""
        self.cancel_pauses()
        self.clear()
        self._faults.clear()
        with self._lock:
            self._queue.clear()
            self._reply_text = DEFAULT_REPLY
            self._reply_fn = None
            self._stream_delay = 0.0
            self._stream_piece = None
            self._usage = None
        self.models = list(DEFAULT_MODELS)

    # -- misbehaviour ----------------------------------------------------------------------

    def fail(self, status: int = 500, times: int | None = 1, path: str = "chat") -> None:
        """Answer ``path`` requests with HTTP ``status`` and an OpenAI-style error body."""
        self._faults.add(path, "fail", times, status=status)

    def rate_limit(
        self, retry_after: float | str = 1, times: int | None = 1, path: str = "chat"
    ) -> None:
        """HTTP 429 with ``Retry-After`` (the client honours fractional seconds) and an
        OpenAI-style ``rate_limit_exceeded`` error body. A string is sent as it is, to
        test what a server might send ("soon", an HTTP date)."""
        self._faults.add(path, "rate_limit", times, retry_after=retry_after)

    def hang(self, seconds: float = 30, times: int | None = 1, path: str = "chat") -> None:
        """Sleep ``seconds`` before answering normally; stop() or reset() aborts the request."""
        self._faults.add(path, "hang", times, seconds=seconds)

    def malformed(self, times: int | None = 1, kind: str = "not_json", path: str = "chat") -> None:
        """HTTP 200 with a broken body: ``kind="not_json"`` (truncated JSON / SSE data) or
        ``kind="no_choices"`` (valid JSON lacking ``choices``; ``data`` for embeddings)."""
        if kind not in ("not_json", "no_choices"):
            raise ValueError(f"kind must be 'not_json' or 'no_choices', got {kind!r}")
        self._faults.add(path, "malformed", times, kind=kind)

    def auth_error(self, times: int | None = None, path: str = "*") -> None:
        """HTTP 401 ``invalid_api_key`` (by default for every request, like a bad key)."""
        self._faults.add(path, "auth_error", times)

    def content_filter(self, times: int | None = 1, partial: bool = False) -> None:
        """Finish chat replies with ``finish_reason="content_filter"``; content is empty, or
        the first half of the reply when ``partial``."""
        self._faults.add("chat", "content_filter", times, partial=partial)

    def cut_at_length(self, times: int | None = 1) -> None:
        """Finish chat replies with ``finish_reason="length"``, as a model does when it
        reaches ``max_tokens`` (the reply's text is whatever ``reply_with`` gives)."""
        self._faults.add("chat", "cut_at_length", times)

    def stream_then_break(self, times: int | None = 1, after_chunks: int = 2) -> None:
        """Send the role chunk and ``after_chunks`` content chunks, then drop the connection
        without the terminating chunk (the client sees an incomplete body). A non-streaming
        request gets half of its JSON body before the drop."""
        self._faults.add("chat", "stream_then_break", times, after_chunks=after_chunks)

    def keep_alive(self, seconds: float = 30, every: float = 0.05, times: int | None = 1) -> None:
        """Start the SSE stream, then send only comments (``: keep-alive``, as OpenRouter
        and some proxies do while a model is queued) every ``every`` seconds for
        ``seconds``, then the reply. The connection is never silent long enough for a read
        timeout, and the SSE reader yields no chunk for a comment."""
        self._faults.add("chat", "keep_alive", times, seconds=seconds, every=every)

    def pending_faults(self) -> dict[str, list[tuple[str, int | None]]]:
        """Faults not yet consumed: ``{path: [(kind, remaining), ...]}``."""
        return self._faults.pending()

    # -- request handling ------------------------------------------------------------------

    def _handle(self, handler: StandInHandler) -> None:
        path = urlsplit(handler.path).path.rstrip("/")
        raw = handler.read_body()
        body: dict[str, Any] = {}
        if raw:
            try:
                decoded = json.loads(raw)
                body = decoded if isinstance(decoded, dict) else {"_json": decoded}
            except ValueError:
                body = {"_raw_body": raw.decode("utf-8", errors="replace")}

        if path == "/v1/chat/completions" and handler.command == "POST":
            route = "chat"
        elif path == "/v1/embeddings" and handler.command == "POST":
            route = "embeddings"
        elif path == "/v1/models" or path.startswith("/v1/models/"):
            route = "models"
        else:
            route = "other"

        fault = self._faults.take(route) if route != "other" else None
        record = RecordedRequest(
            route=route,
            method=handler.command,
            path=path,
            body=body,
            headers=handler.header_dict(),
            time=time.time(),
            fault=fault.kind if fault else None,
        )
        with self._lock:
            self._requests.append(record)
            self._lock.notify_all()

        if route == "other":
            handler.send_json(404, _error_body(404, f"Unknown path {handler.command} {path}"))
            return

        if fault is not None:
            if fault.kind == "hang":
                if not self.pause(float(fault.options["seconds"])):
                    handler.abort()
                    return
                fault = None
            elif self._send_fault(handler, fault.kind, fault.options, body, route):
                return

        if route == "models":
            self._serve_models(handler, path)
        elif route == "embeddings":
            self._serve_embeddings(handler, body)
        else:
            self._serve_chat(
                handler, body, fault.kind if fault else None, fault.options if fault else {}
            )

    def _send_fault(
        self,
        handler: StandInHandler,
        kind: str,
        options: dict[str, Any],
        body: dict[str, Any],
        route: str,
    ) -> bool:
        """Send an error-type fault; returns False for faults that shape a normal reply."""
        if kind == "fail":
            status = int(options["status"])
            message = (
                "The server had an error while processing your request. Sorry about that!"
                if status >= 500
                else f"Stand-in failure with status {status}."
            )
            handler.send_json(status, _error_body(status, message))
            return True
        if kind == "rate_limit":
            value = options["retry_after"]
            if isinstance(value, str):
                shown = value
            else:
                retry_after = float(value)
                shown = str(int(retry_after)) if retry_after.is_integer() else str(retry_after)
            message = (
                f"Rate limit reached for {body.get('model', 'model')}. "
                f"Please try again in {shown}s."
            )
            headers = {"Retry-After": shown, "x-ratelimit-remaining-requests": "0"}
            handler.send_json(429, _error_body(429, message), headers)
            return True
        if kind == "auth_error":
            message = (
                "Incorrect API key provided. You can find your API key at "
                "https://platform.openai.com/account/api-keys."
            )
            handler.send_json(401, _error_body(401, message))
            return True
        if kind == "malformed":
            self._send_malformed(handler, str(options["kind"]), body, route)
            return True
        return False

    def _send_malformed(
        self, handler: StandInHandler, kind: str, body: dict[str, Any], route: str
    ) -> None:
        if kind == "not_json":
            broken = b'{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{'
        else:
            stub = {"id": self._next_id(), "object": "chat.completion", "created": int(time.time())}
            if route == "embeddings":
                stub = {"object": "list", "model": body.get("model", "")}
            broken = json.dumps(stub).encode()
        if route == "chat" and body.get("stream"):
            handler.start_chunked(200, "text/event-stream; charset=utf-8")
            handler.write_chunk(b"data: " + broken + b"\n\n")
            handler.write_chunk(b"data: [DONE]\n\n")
            handler.end_chunked()
        else:
            handler.send_bytes(200, broken, "application/json")

    # -- chat ------------------------------------------------------------------------------

    def _next_id(self) -> str:
        with self._lock:
            self._counter += 1
            return f"chatcmpl-standin{self._counter:06d}"

    def _next_reply(self, body: dict[str, Any]) -> str:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            fn, text = self._reply_fn, self._reply_text
        return fn(body) if fn is not None else text

    def _serve_chat(
        self,
        handler: StandInHandler,
        body: dict[str, Any],
        fault: str | None,
        options: dict[str, Any],
    ) -> None:
        try:
            text = self._next_reply(body)
        except Exception as exc:
            log.exception("reply_with function raised")
            handler.send_json(500, _error_body(500, f"reply_with function raised {exc!r}"))
            return
        finish_reason = "length" if fault == "cut_at_length" else "stop"
        if fault == "content_filter":
            finish_reason = "content_filter"
            words = text.split(" ")
            text = " ".join(words[: len(words) // 2]) if options.get("partial") else ""
        break_after = int(options["after_chunks"]) if fault == "stream_then_break" else None
        keep_alive = (
            (float(options["seconds"]), float(options["every"])) if fault == "keep_alive" else None
        )

        messages = body.get("messages") if isinstance(body.get("messages"), list) else []
        prompt_tokens = sum(count_tokens(_message_text(m)) for m in messages or [])
        completion_tokens = count_tokens(text)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        }
        with self._lock:
            usage = self._usage if self._usage is not None else usage
        common = {
            "id": self._next_id(),
            "created": int(time.time()),
            "model": str(body.get("model", "gpt-4o-mini")),
            "system_fingerprint": "fp_standin",
            "service_tier": "default",
        }
        if body.get("stream"):
            self._stream_chat(
                handler, body, common, text, finish_reason, usage, break_after, keep_alive
            )
            return

        n = int(body.get("n") or 1)
        completion = {
            **common,
            "object": "chat.completion",
            "choices": [
                {
                    "index": i,
                    "message": {
                        "role": "assistant",
                        "content": text,
                        "refusal": None,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": finish_reason,
                }
                for i in range(n)
            ],
            "usage": usage,
        }
        if break_after is not None:
            payload = json.dumps(completion).encode()
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload[: len(payload) // 2])
            handler.abort()
            return
        handler.send_json(200, completion, {"x-request-id": f"req_{common['id']}"})

    def _stream_chat(
        self,
        handler: StandInHandler,
        body: dict[str, Any],
        common: dict[str, Any],
        text: str,
        finish_reason: str,
        usage: dict[str, Any],
        break_after: int | None,
        keep_alive: tuple[float, float] | None = None,
    ) -> None:
        stream_options = body.get("stream_options")
        include_usage = isinstance(stream_options, dict) and bool(
            stream_options.get("include_usage")
        )
        base: dict[str, Any] = {**common, "object": "chat.completion.chunk"}
        if include_usage:
            base["usage"] = None

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
            return {**base, "choices": [choice]}

        with self._lock:
            size = self._stream_piece
        if size:
            pieces = [text[i : i + size] for i in range(0, len(text), size)]
        else:
            pieces = re.findall(r"\S+\s*|\s+", text)
        events: list[dict[str, Any]] = [
            chunk({"role": "assistant", "content": "", "refusal": None})
        ]
        events += [chunk({"content": piece}) for piece in pieces]
        events.append(chunk({}, finish_reason))
        if include_usage:
            events.append({**base, "choices": [], "usage": usage})

        with self._lock:
            delay = self._stream_delay
        handler.start_chunked(
            200, "text/event-stream; charset=utf-8", {"x-request-id": f"req_{common['id']}"}
        )
        if keep_alive is not None:
            seconds, every = keep_alive
            until = time.monotonic() + seconds
            while time.monotonic() < until:
                try:
                    handler.write_chunk(b": keep-alive\n\n")
                except OSError:  # the client gave up
                    return
                if not self.pause(every):
                    handler.abort()
                    return
        for index, event in enumerate(events):
            if break_after is not None and index > break_after:
                handler.abort()
                return
            handler.write_chunk(b"data: " + json.dumps(event).encode() + b"\n\n")
            if delay and not self.pause(delay):
                handler.abort()
                return
        handler.write_chunk(b"data: [DONE]\n\n")
        handler.end_chunked()

    # -- embeddings ------------------------------------------------------------------------

    def _serve_embeddings(self, handler: StandInHandler, body: dict[str, Any]) -> None:
        raw_input = body.get("input")
        inputs: list[str]
        if isinstance(raw_input, str):
            inputs = [raw_input]
        elif isinstance(raw_input, list) and raw_input:
            inputs = [_input_text(item) for item in raw_input]
        else:
            handler.send_json(400, _error_body(400, "'input' is required (string or array)."))
            return
        if any(not text for text in inputs):
            handler.send_json(400, _error_body(400, "'$.input' is invalid: empty string."))
            return

        dims = body.get("dimensions")
        dimensions = int(dims) if isinstance(dims, int) and dims > 0 else self.dimensions
        as_base64 = body.get("encoding_format") == "base64"
        data = []
        for index, text in enumerate(inputs):
            vector = embed_text(text, dimensions)
            encoded: Any = vector
            if as_base64:
                encoded = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
            data.append({"object": "embedding", "index": index, "embedding": encoded})
        tokens = sum(count_tokens(text) for text in inputs)
        with self._lock:
            self._embedded.extend(inputs)
        handler.send_json(
            200,
            {
                "object": "list",
                "data": data,
                "model": str(body.get("model", "text-embedding-3-small")),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )

    # -- models ----------------------------------------------------------------------------

    def _serve_models(self, handler: StandInHandler, path: str) -> None:
        def model(model_id: str) -> dict[str, Any]:
            return {
                "id": model_id,
                "object": "model",
                "created": 1_700_000_000,
                "owned_by": "standin",
            }

        if path == "/v1/models":
            handler.send_json(200, {"object": "list", "data": [model(m) for m in self.models]})
            return
        model_id = path[len("/v1/models/") :]
        if model_id in self.models:
            handler.send_json(200, model(model_id))
        else:
            message = f"The model '{model_id}' does not exist"
            handler.send_json(404, _error_body(404, message))


def _input_text(item: Any) -> str:
    """An embeddings ``input`` element as text (token-id arrays become ``"t<id> ..."``)."""
    if isinstance(item, str):
        return item
    if isinstance(item, Iterable):
        return " ".join(f"t{token}" for token in item)
    return str(item)
