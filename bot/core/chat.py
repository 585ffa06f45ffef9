"""One chat model behind an OpenAI-compatible server: the client, and a completion under
briefbot's failure policy.

It speaks the Chat Completions API (OpenAI, Ollama, vLLM, llama.cpp's server all do),
always streams and always sends ``max_tokens``. Failure policy, for every call:

* timeouts, connection errors, auth errors, other HTTP errors: no retry;
* 429: retried after ``Retry-After`` when that fits in the per-request timeout and the
  overall deadline (at most :data:`RATE_LIMIT_RETRIES` times); otherwise a failure;
* 5xx: retried once, if time remains;
* a malformed reply (not JSON, no choices, empty text, or longer than
  :data:`MAX_REPLY_CHARS`: a server that ignores ``max_tokens``) is a failure of its own
  kind. A lone surrogate in the reply (a server that split a character) is read as
  U+FFFD, so the text can be printed and stored. Token counts the server reports that
  are not counts (text, a negative or fractional number, one past a 32-bit integer) are
  read as unknown: a reply is not lost over its accounting, and the log can store it.

Every failure is an :class:`LLMFailure` with a note for the reader; the caller falls
back to the extractive answer with it.
"""

from __future__ import annotations

import email.utils
import logging
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import httpx2
import openai
from openai.types.chat import ChatCompletionMessageParam

from bot.config import Settings
from bot.core.model_choice import (
    CONTENT_FILTER,
    KEY_REFUSED,
    UNREACHABLE,
    UNREADABLE,
    ModelListFailed,
)
from bot.core.timing import REAL_TIME, Timing
from bot.core.writer import OnText

log = logging.getLogger(__name__)

SERVER_ERROR_RETRIES = 1
#: Seconds before a 5xx is retried.
SERVER_ERROR_WAIT = 0.2
#: A 429 is retried (after its Retry-After, at least MIN_RATE_LIMIT_WAIT seconds) at most
#: this many times per call, so "Retry-After: 0" cannot turn into a flood of requests.
RATE_LIMIT_RETRIES = 2
MIN_RATE_LIMIT_WAIT = 0.2


class LLMFailure(Exception):
    """The model did not give a usable answer. ``note`` is for the reader, ``detail`` for
    the log, ``reason`` the short phrase shown after "extractive"."""

    def __init__(self, note: str, detail: str) -> None:
        super().__init__(detail)
        self.note = note
        self.detail = detail

    @property
    def reason(self) -> str:
        return _REASONS.get(self.note, UNREACHABLE)


@dataclass(frozen=True)
class Completion:
    text: str
    finish_reason: str | None
    prompt_tokens: int | None
    completion_tokens: int | None


def make_client(settings: Settings, *, max_retries: int = 0) -> openai.OpenAI:
    """A client for ``OPENAI_BASE_URL`` (OpenAI itself when unset).

    Local servers (Ollama, vLLM, llama.cpp) ignore the key, so a placeholder stands in when
    none is configured. Retries are ours (see the module docstring), so the client's own are
    off by default.
    """
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return openai.OpenAI(
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout,
        max_retries=max_retries,
    )


def list_models(settings: Settings) -> list[str]:
    """The model ids the server lists (``GET /v1/models``), in one request of at most one
    timeout. Raises :class:`~bot.core.model_choice.ModelListFailed` with the reason."""
    client = make_client(settings)
    try:
        page = client.models.list(timeout=settings.llm_timeout)
        return [str(m.id) for m in page.data]
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        raise ModelListFailed(KEY_REFUSED, f"HTTP {exc.status_code}") from exc
    except openai.APIStatusError as exc:
        if exc.status_code in (404, 405, 501):
            raise ModelListFailed("no list", f"HTTP {exc.status_code}") from exc
        raise ModelListFailed(UNREACHABLE, f"HTTP {exc.status_code}") from exc
    except openai.APITimeoutError as exc:
        raise ModelListFailed(UNREACHABLE, "timed out") from exc
    except openai.APIConnectionError as exc:
        raise ModelListFailed(UNREACHABLE, "could not connect") from exc
    except (openai.APIError, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise ModelListFailed(UNREADABLE, f"malformed reply ({type(exc).__name__})") from exc


def tiny_completion(settings: Settings, model: str) -> str:
    """One very short, non-streamed completion within one timeout (``briefbot doctor``);
    returns what the model said. Raises :class:`LLMFailure`."""
    client = make_client(settings)
    try:
        done = client.chat.completions.create(
            model=model,
            messages=[{"role": "user", "content": "Reply with the single word OK."}],
            max_tokens=5,
            timeout=settings.llm_timeout,
        )
        if not done.choices:
            raise ValueError("no choices")
        return str(done.choices[0].message.content or "")
    except openai.APITimeoutError as exc:
        raise LLMFailure(TIMEOUT_NOTE, "timed out") from exc
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        raise LLMFailure(AUTH_NOTE, f"authentication failed (HTTP {exc.status_code})") from exc
    except openai.APIStatusError as exc:
        raise LLMFailure(DOWN_NOTE, f"HTTP {exc.status_code}: {_server_message(exc)}") from exc
    except openai.APIConnectionError as exc:
        raise LLMFailure(DOWN_NOTE, "could not connect") from exc
    except (openai.APIError, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise LLMFailure(MALFORMED_NOTE, f"malformed reply ({type(exc).__name__})") from exc


def _server_message(exc: openai.APIStatusError) -> str:
    """The server's own one-line message ("The model 'x' does not exist"), shortened."""
    body = exc.body if isinstance(exc.body, dict) else {}
    message = body.get("message") or (body.get("error") or {}).get("message") or ""
    return " ".join(str(message).split())[:200] or "no message"


def retry_after(response: Any) -> float | None:
    """Seconds from a response's ``Retry-After`` (or ``retry-after-ms``) header: a number
    of seconds or an HTTP date. None when there is none, or when it is not a usable time
    ("soon", a negative number, NaN): the caller then treats the 429 as final."""
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    millis = _seconds(headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000
    value = headers.get("retry-after")
    if not value:
        return None
    seconds = _seconds(value)
    if seconds is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC with no zone given
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _seconds(value: str | None) -> float | None:
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return seconds if seconds is not None and math.isfinite(seconds) and seconds >= 0 else None


def complete(
    client: openai.OpenAI,
    model: str,
    messages: list[dict[str, str]],
    *,
    deadline: float,
    max_tokens: int,
    timeout: float,
    on_text: OnText | None = None,
    timing: Timing = REAL_TIME,
) -> Completion:
    """One streamed completion under the failure policy of the module docstring: each
    request within ``timeout``, the whole by ``deadline`` (a time of ``timing.clock``);
    ``on_text`` gets each piece as it arrives; waits before a retry are
    ``timing.sleep``s. Raises :class:`LLMFailure`."""
    clock = timing.clock
    server_errors = rate_limits = 0
    while True:
        remaining = deadline - clock()
        if remaining <= 0.05:
            raise LLMFailure(TIMEOUT_NOTE, "deadline passed before the model answered")
        try:
            stream = client.chat.completions.create(
                model=model,
                messages=cast("list[ChatCompletionMessageParam]", messages),
                max_tokens=max_tokens,
                stream=True,
                stream_options={"include_usage": True},
                timeout=min(timeout, remaining),
            )
            return _read(stream, on_text, deadline, clock)
        except openai.RateLimitError as exc:
            wait = retry_after(exc.response)
            if wait is not None:
                wait = max(wait, MIN_RATE_LIMIT_WAIT)
            budget = min(timeout, deadline - clock() - 0.5)
            if wait is not None and wait <= budget and rate_limits < RATE_LIMIT_RETRIES:
                rate_limits += 1
                log.info("rate limited; retrying after %.1fs", wait)
                timing.sleep(wait)
                continue
            raise LLMFailure(RATE_NOTE, f"429 rate limited (retry-after {wait})") from exc
        except openai.InternalServerError as exc:
            if server_errors < SERVER_ERROR_RETRIES and deadline - clock() > 1:
                server_errors += 1
                timing.sleep(SERVER_ERROR_WAIT)
                continue
            raise LLMFailure(DOWN_NOTE, f"server error {exc.status_code}") from exc
        except openai.APITimeoutError as exc:
            raise LLMFailure(TIMEOUT_NOTE, "request timed out") from exc
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            raise LLMFailure(AUTH_NOTE, f"authentication failed ({exc.status_code})") from exc
        except openai.APIConnectionError as exc:
            raise LLMFailure(DOWN_NOTE, "could not connect to the model server") from exc
        except openai.APIStatusError as exc:
            raise LLMFailure(DOWN_NOTE, f"HTTP {exc.status_code}") from exc
        except (openai.APIError, ValueError, TypeError, AttributeError, KeyError) as exc:
            raise LLMFailure(MALFORMED_NOTE, f"malformed response ({type(exc).__name__})") from exc


#: The longest reply read: about ten thousand tokens, far more than ``max_tokens`` allows
#: any answer or digest.
MAX_REPLY_CHARS = 40_000
_SURROGATE = re.compile("[\ud800-\udfff]")


#: The largest token count read from a server: the log stores counts as 32-bit integers.
MAX_TOKEN_COUNT = 2**31 - 1


def _token_count(value: Any) -> int | None:
    """A token count as the server reported it, if it is one; else None (unknown)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_TOKEN_COUNT:
        return value
    return None


def _read(
    stream: Any, on_text: OnText | None, deadline: float, clock: Callable[[], float]
) -> Completion:
    parts: list[str] = []
    size = 0
    finish: str | None = None
    prompt_tokens = completion_tokens = None
    _watch_bytes(stream, deadline, clock)
    with stream:
        for chunk in _guarded_iter(stream):
            if clock() > deadline:
                raise LLMFailure(TIMEOUT_NOTE, "the stream ran past the deadline")
            usage = getattr(chunk, "usage", None)
            if usage is not None:
                prompt_tokens = _token_count(getattr(usage, "prompt_tokens", None))
                completion_tokens = _token_count(getattr(usage, "completion_tokens", None))
            if not chunk.choices:
                continue
            choice = chunk.choices[0]
            piece = choice.delta.content if choice.delta is not None else None
            if piece:
                piece = _SURROGATE.sub("\ufffd", piece)
                size += len(piece)
                if size > MAX_REPLY_CHARS:
                    raise LLMFailure(
                        MALFORMED_NOTE, f"the reply ran past {MAX_REPLY_CHARS} characters"
                    )
                parts.append(piece)
                if on_text is not None:
                    on_text(piece)
            if choice.finish_reason:
                finish = choice.finish_reason
    text = "".join(parts)
    if not text.strip() and finish != "content_filter":
        raise LLMFailure(MALFORMED_NOTE, "the model returned no text")
    return Completion(text, finish, prompt_tokens, completion_tokens)


class _DeadlinedBytes(httpx2.SyncByteStream):
    """A response's bytes, each read checked against the deadline."""

    def __init__(
        self, inner: httpx2.SyncByteStream, deadline: float, clock: Callable[[], float]
    ) -> None:
        self.inner, self.deadline, self.clock = inner, deadline, clock

    def __iter__(self) -> Iterator[bytes]:
        for data in self.inner:
            if self.clock() > self.deadline:
                raise LLMFailure(TIMEOUT_NOTE, "the stream ran past the deadline")
            yield data

    def close(self) -> None:
        self.inner.close()


def _watch_bytes(stream: Any, deadline: float, clock: Callable[[], float]) -> None:
    """Look at the clock at every read of the stream's bytes, not only at every chunk
    :func:`_read` is given: a server that sends SSE comments (``: keep-alive``, as some
    proxies do while a model is queued) and nothing else is never silent long enough for
    the read timeout, and the SSE reader gives no chunk for a comment, so the deadline
    would never be looked at and the answer would wait as long as the server went on.
    (Before the stream is read: the response reads its ``stream`` when iterated.)"""
    response = getattr(stream, "response", None)
    inner = getattr(response, "stream", None)
    if response is not None and isinstance(inner, httpx2.SyncByteStream):
        response.stream = _DeadlinedBytes(inner, deadline, clock)


_EXTRACTIVE = "so this is an extractive answer."
TIMEOUT_NOTE = f"The language model did not answer in time, {_EXTRACTIVE}"
DOWN_NOTE = f"The language model is unavailable, {_EXTRACTIVE}"
MALFORMED_NOTE = f"The language model sent an unreadable reply, {_EXTRACTIVE}"
BROKEN_NOTE = f"The language model's reply broke off, {_EXTRACTIVE}"
RATE_NOTE = f"The language model is rate-limited right now, {_EXTRACTIVE}"
AUTH_NOTE = f"briefbot could not sign in to the language model, {_EXTRACTIVE}"
FILTERED_NOTE = f"The language model's content filter stopped its answer, {_EXTRACTIVE}"
FILTERED_ERROR = "llm: finish_reason=content_filter"
UNCITED_NOTE = f"The language model's answer cited no source it was given, {_EXTRACTIVE}"
LANGUAGE_NOTE = f"The language model did not answer in English, {_EXTRACTIVE}"
#: The reason shown after "extractive" for each failure (any other: unreachable).
_REASONS = {AUTH_NOTE: KEY_REFUSED, MALFORMED_NOTE: UNREADABLE, FILTERED_NOTE: CONTENT_FILTER}


def _guarded_iter(stream: Any) -> Iterator[Any]:
    """The stream's chunks; a connection lost mid-reply is a failure of its own kind."""
    iterator = iter(stream)
    while True:
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except openai.APITimeoutError as exc:
            raise LLMFailure(TIMEOUT_NOTE, "the stream stalled past the timeout") from exc
        except openai.APIConnectionError as exc:
            raise LLMFailure(BROKEN_NOTE, "the stream broke off") from exc
        yield chunk
