"""The LLM summariser: grounded, cited answers from any OpenAI-compatible server.

It speaks the Chat Completions API (OpenAI, Ollama, vLLM, llama.cpp's server all do), always
streams, always sends ``max_tokens``, and never trusts what comes back: the citation guard
(:mod:`bot.core.guard`) checks the complete text before it is returned.

Failure policy. Every failure gives the extractive answer with a short note, and the
failure is recorded on the answer (and so in the log):

* timeouts, connection errors, auth errors, other HTTP errors: no retry;
* 429: retried after ``Retry-After`` when that fits in the per-request timeout and the
  overall deadline; otherwise it is a failure;
* 5xx: retried once, if time remains;
* malformed responses (not JSON, no choices, empty text) and content-filter stops.

The whole answer (condensing a follow-up plus writing the answer) has a deadline of three
``BRIEFBOT_LLM_TIMEOUT``s; the stream is abandoned when it passes.
"""

from __future__ import annotations

import email.utils
import logging
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletionMessageParam

from bot.config import Settings
from bot.core.answer import NOT_IN_SOURCES, citation_for
from bot.core.embeddings import Embedder
from bot.core.guard import guard_answer
from bot.core.model_choice import (
    CONTENT_FILTER,
    GUARD_FALLBACK,
    KEY_REFUSED,
    UNREACHABLE,
    UNREADABLE,
    ModelListFailed,
)
from bot.core.models import Answer, Turn, Usage
from bot.core.prompts import Prompt, load_prompt
from bot.core.retrieve import Retrieval
from bot.core.summariser import Fallback, OnText
from bot.core.text import sentence_spans, squash, strip_footnote_markers
from bot.core.tokens import TokenCounter
from storage.articles import Passage

log = logging.getLogger(__name__)

REFUSAL_SENTINEL = "NOT_IN_SOURCES"
DEADLINE_TIMEOUTS = 3
SERVER_ERROR_RETRIES = 1
#: A 429 is retried (after its Retry-After, at least MIN_RATE_LIMIT_WAIT seconds) at most
#: this many times per call, so "Retry-After: 0" cannot turn into a flood of requests.
RATE_LIMIT_RETRIES = 2
MIN_RATE_LIMIT_WAIT = 0.2

#: USD per million tokens (prompt, completion) for well-known hosted models, as published
#: by OpenAI at the time of writing. An estimate only: set BRIEFBOT_PRICE_* to override.
#: Unknown models (local ones included) have no estimate unless prices are configured.
KNOWN_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
}


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
class PackedSource:
    """A passage as numbered in the prompt; ``text`` is a verbatim prefix of the passage,
    cut only between sentences."""

    marker: int
    passage: Passage
    text: str


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


def build_embedder(settings: Settings) -> Embedder | None:
    if not settings.embedding_model:
        return None
    return Embedder(make_client(settings, max_retries=1), settings.embedding_model)


def build_summariser(
    settings: Settings, counter: Callable[[], TokenCounter], model: str | None = None
) -> LLMSummariser | None:
    """The LLM summariser for ``model`` (default: ``BRIEFBOT_MODEL``), when a model may
    write answers (see :mod:`bot.core.model_choice`)."""
    model = model or settings.model
    if not settings.llm_enabled or not model:
        return None
    return LLMSummariser(settings, make_client(settings), counter, model=model)


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
        raise LLMFailure(_TIMEOUT_NOTE, "timed out") from exc
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        raise LLMFailure(_AUTH_NOTE, f"authentication failed (HTTP {exc.status_code})") from exc
    except openai.APIStatusError as exc:
        raise LLMFailure(_DOWN_NOTE, f"HTTP {exc.status_code}: {_server_message(exc)}") from exc
    except openai.APIConnectionError as exc:
        raise LLMFailure(_DOWN_NOTE, "could not connect") from exc
    except (openai.APIError, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise LLMFailure(_MALFORMED_NOTE, f"malformed reply ({type(exc).__name__})") from exc


def _server_message(exc: openai.APIStatusError) -> str:
    """The server's own one-line message ("The model 'x' does not exist"), shortened."""
    body = exc.body if isinstance(exc.body, dict) else {}
    message = body.get("message") or (body.get("error") or {}).get("message") or ""
    return " ".join(str(message).split())[:200] or "no message"


def pack_sources(
    passages: Sequence[Passage], counter: TokenCounter, budget: int
) -> list[PackedSource]:
    """Number passages in relevance order and fit them under ``budget`` tokens.

    The cost of a source is counted on its block exactly as the model will see it
    (:func:`source_block`: the ``<source>`` wrapper, the header, the escaped text), plus
    the blank line between blocks. A passage that does not fit whole keeps its leading
    sentences that do; a chunk is never cut mid-sentence. Packing stops at the first
    passage of which not even one sentence fits.
    """
    packed: list[PackedSource] = []
    used = 0
    for passage in passages:
        marker = len(packed) + 1
        separator = SEPARATOR_TOKENS if packed else 0
        text = passage.text
        spent = counter.count(source_block(marker, passage, text)) + separator
        if used + spent > budget:
            text = ""
            for span in sentence_spans(passage.text):
                candidate = passage.text[: span.end]
                cost = counter.count(source_block(marker, passage, candidate)) + separator
                if used + cost > budget:
                    break
                text, spent = candidate, cost
            if not text:
                break
        packed.append(PackedSource(marker, passage, text))
        used += spent
    return packed


#: The blank line between two source blocks ("\n\n"), in tokens.
SEPARATOR_TOKENS = 1


def source_header(marker: int, passage: Passage) -> str:
    meta = ", ".join(
        p
        for p in (passage.source, passage.published.isoformat() if passage.published else None)
        if p
    )
    return (
        f"[{marker}] {passage.title}"
        + (f" ({meta})" if meta else "")
        + f", paragraph {passage.paragraph}"
    )


def _escape_source(text: str) -> str:
    # An article cannot close its own <source> block and speak outside it.
    return text.replace("<", "‹").replace(">", "›")


def model_view(text: str) -> str:
    """A passage as the model sees it, and as the guard checks the model's quotes of it:
    it cannot close its ``<source>`` block, and the article's own footnote markers ("[2]")
    are gone, so the model cannot copy one that would read as a citation of source 2."""
    return _escape_source(strip_footnote_markers(text))


def source_block(marker: int, passage: Passage, text: str) -> str:
    """One numbered source as the model sees it."""
    header = _escape_source(source_header(marker, passage))
    return f'<source id="{marker}">\n{header}\n{model_view(text)}\n</source>'


def format_sources(packed: Sequence[PackedSource]) -> str:
    return "\n\n".join(source_block(p.marker, p.passage, p.text) for p in packed)


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


class LLMSummariser:
    """Writes answers with a chat model; see the module docstring for the guarantees."""

    def __init__(
        self,
        settings: Settings,
        client: openai.OpenAI,
        counter: Callable[[], TokenCounter],
        answer_prompt: Prompt | None = None,
        condense_prompt: Prompt | None = None,
        *,
        model: str | None = None,
    ) -> None:
        self.settings = settings
        self.client = client
        self.model = model or settings.model or ""
        self._counter = counter
        self.answer_prompt = answer_prompt or load_prompt("answer")
        self.condense_prompt = condense_prompt or load_prompt("condense")

    def deadline(self) -> float:
        return time.monotonic() + DEADLINE_TIMEOUTS * self.settings.llm_timeout

    # ------------------------------------------------------------------ follow-ups

    def condense(
        self, question: str, history: Sequence[Turn], deadline: float
    ) -> tuple[str | None, Usage | None]:
        """A standalone question (None if the model could not give one), and its usage.

        Condensing may take at most one timeout of the answer's deadline, so the answer
        itself always has time left.
        """
        lines = [
            f"{'User' if t.role == 'user' else 'Assistant'}: {squash(t.text)[:500]}"
            for t in history[-6:]
        ]
        messages = self.condense_prompt.render(history="\n".join(lines), question=question)
        own_deadline = min(deadline, time.monotonic() + self.settings.llm_timeout)
        try:
            done = self._complete(messages, None, own_deadline, max_tokens=100)
        except LLMFailure as failure:
            log.warning("condensing a follow-up failed: %s", failure.detail)
            return None, None
        usage = self._usage(done, self._counted(messages))
        text = squash(done.text.splitlines()[0] if done.text.strip() else "").strip("\"'“”")
        if not text or len(text) > self.settings.max_question_chars:
            return None, usage
        return text, usage

    # ------------------------------------------------------------------ answers

    def answer(
        self,
        question: str,
        standalone: str,
        retrieval: Retrieval,
        on_text: OnText | None,
        fallback: Fallback,
        deadline: float,
    ) -> Answer:
        counter = self._counter()
        packed = pack_sources(retrieval.passages, counter, self.settings.context_tokens)
        messages = self.answer_prompt.render(
            question=standalone,
            sources=format_sources(packed),
            today=datetime.now(UTC).date().isoformat(),
        )
        counted = self._counted(messages)
        try:
            done = self._complete(messages, on_text, deadline, self.settings.answer_tokens)
        except LLMFailure as failure:
            log.warning("LLM answer failed: %s", failure.detail)
            return self._stamp(
                fallback(failure.note),
                error=f"llm: {failure.detail}",
                extractive_reason=failure.reason,
            )
        usage = self._usage(done, counted)
        if done.finish_reason == "content_filter":
            return self._stamp(
                fallback(_FILTERED_NOTE),
                usage=usage,
                error=_FILTERED_ERROR,
                extractive_reason=CONTENT_FILTER,
            )
        if done.text.strip().startswith(REFUSAL_SENTINEL):
            refusal = Answer(
                question,
                NOT_IN_SOURCES,
                False,
                "llm",
                standalone_question=standalone,
                refusal={
                    **retrieval.verdict.as_dict(),
                    "decision": "refuse",
                    "reason": "the model found no answer in the passages it was shown",
                },
            )
            return self._stamp(refusal, usage=usage)
        guarded = guard_answer(done.text, {p.marker: model_view(p.text) for p in packed})
        if not guarded.has_citations:
            return self._stamp(
                fallback(_UNCITED_NOTE),
                extractive_reason=GUARD_FALLBACK,
                guard=guarded.report,
                usage=usage,
                error="llm: the answer had no valid citation",
            )
        by_marker = {p.marker: p for p in packed}
        cited = [(new, by_marker[old]) for new, old in sorted(guarded.used.items())]
        answer = Answer(
            question=question,
            answer=guarded.text,
            answered=True,
            mode="llm",
            citations=tuple(citation_for(new, p.passage, p.text) for new, p in cited),
            standalone_question=standalone,
        )
        return self._stamp(answer, guard=guarded.report, usage=usage)

    def _stamp(self, answer: Answer, **changes: Any) -> Answer:
        """Record which model and prompt were involved, whatever the outcome."""
        return replace(
            answer,
            model=self.model,
            prompt_name=self.answer_prompt.name,
            prompt_hash=self.answer_prompt.sha256,
            **changes,
        )

    def _counted(self, messages: list[dict[str, str]]) -> int:
        """Our count of the prompt's tokens (content, plus the chat format's overhead)."""
        counter = self._counter()
        return sum(counter.count(m["content"]) + 4 for m in messages) + 3

    def _usage(self, done: Completion, counted: int) -> Usage:
        prompt_price, completion_price = self._prices()
        cost = None
        if prompt_price is not None and done.prompt_tokens is not None:
            cost = round(
                (
                    done.prompt_tokens * prompt_price
                    + (done.completion_tokens or 0) * completion_price
                )
                / 1_000_000,
                8,
            )
        return Usage(done.prompt_tokens, done.completion_tokens, counted, cost)

    def _prices(self) -> tuple[float | None, float]:
        s = self.settings
        if s.price_prompt_per_mtok or s.price_completion_per_mtok:
            return s.price_prompt_per_mtok, s.price_completion_per_mtok
        known = KNOWN_PRICES.get(self.model)
        return (known[0], known[1]) if known else (None, 0.0)

    # ------------------------------------------------------------------ the call

    def complete(
        self, messages: list[dict[str, str]], deadline: float, max_tokens: int
    ) -> Completion:
        """One completion under this module's failure policy; raises :class:`LLMFailure`.
        For writers other than the answer's (the digest)."""
        return self._complete(messages, None, deadline, max_tokens)

    def _complete(
        self,
        messages: list[dict[str, str]],
        on_text: OnText | None,
        deadline: float,
        max_tokens: int,
    ) -> Completion:
        server_errors = rate_limits = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                raise LLMFailure(_TIMEOUT_NOTE, "deadline passed before the model answered")
            try:
                stream = self.client.chat.completions.create(
                    model=self.model,
                    messages=cast("list[ChatCompletionMessageParam]", messages),
                    max_tokens=max_tokens,
                    stream=True,
                    stream_options={"include_usage": True},
                    timeout=min(self.settings.llm_timeout, remaining),
                )
                return self._read(stream, on_text, deadline)
            except openai.RateLimitError as exc:
                wait = retry_after(exc.response)
                if wait is not None:
                    wait = max(wait, MIN_RATE_LIMIT_WAIT)
                budget = min(self.settings.llm_timeout, deadline - time.monotonic() - 0.5)
                if wait is not None and wait <= budget and rate_limits < RATE_LIMIT_RETRIES:
                    rate_limits += 1
                    log.info("rate limited; retrying after %.1fs", wait)
                    time.sleep(wait)
                    continue
                raise LLMFailure(_RATE_NOTE, f"429 rate limited (retry-after {wait})") from exc
            except openai.InternalServerError as exc:
                if server_errors < SERVER_ERROR_RETRIES and deadline - time.monotonic() > 1:
                    server_errors += 1
                    time.sleep(0.2)
                    continue
                raise LLMFailure(_DOWN_NOTE, f"server error {exc.status_code}") from exc
            except openai.APITimeoutError as exc:
                raise LLMFailure(_TIMEOUT_NOTE, "request timed out") from exc
            except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
                raise LLMFailure(_AUTH_NOTE, f"authentication failed ({exc.status_code})") from exc
            except openai.APIConnectionError as exc:
                raise LLMFailure(_DOWN_NOTE, "could not connect to the model server") from exc
            except openai.APIStatusError as exc:
                raise LLMFailure(_DOWN_NOTE, f"HTTP {exc.status_code}") from exc
            except (openai.APIError, ValueError, TypeError, AttributeError, KeyError) as exc:
                raise LLMFailure(
                    _MALFORMED_NOTE, f"malformed response ({type(exc).__name__})"
                ) from exc

    def _read(self, stream: Any, on_text: OnText | None, deadline: float) -> Completion:
        parts: list[str] = []
        finish: str | None = None
        prompt_tokens = completion_tokens = None
        with stream:
            for chunk in _guarded_iter(stream):
                if time.monotonic() > deadline:
                    raise LLMFailure(_TIMEOUT_NOTE, "the stream ran past the deadline")
                usage = getattr(chunk, "usage", None)
                if usage is not None:
                    prompt_tokens = usage.prompt_tokens
                    completion_tokens = usage.completion_tokens
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                piece = choice.delta.content if choice.delta is not None else None
                if piece:
                    parts.append(piece)
                    if on_text is not None:
                        on_text(piece)
                if choice.finish_reason:
                    finish = choice.finish_reason
        text = "".join(parts)
        if not text.strip() and finish != "content_filter":
            raise LLMFailure(_MALFORMED_NOTE, "the model returned no text")
        return Completion(text, finish, prompt_tokens, completion_tokens)


_EXTRACTIVE = "so this is an extractive answer."
_TIMEOUT_NOTE = f"The language model did not answer in time, {_EXTRACTIVE}"
_DOWN_NOTE = f"The language model is unavailable, {_EXTRACTIVE}"
_MALFORMED_NOTE = f"The language model sent an unreadable reply, {_EXTRACTIVE}"
_BROKEN_NOTE = f"The language model's reply broke off, {_EXTRACTIVE}"
_RATE_NOTE = f"The language model is rate-limited right now, {_EXTRACTIVE}"
_AUTH_NOTE = f"briefbot could not sign in to the language model, {_EXTRACTIVE}"
_FILTERED_NOTE = f"The language model's content filter stopped its answer, {_EXTRACTIVE}"
_FILTERED_ERROR = "llm: finish_reason=content_filter"
_UNCITED_NOTE = f"The language model's answer cited no source it was given, {_EXTRACTIVE}"
#: The reason shown after "extractive" for each failure (any other: unreachable).
_REASONS = {_AUTH_NOTE: KEY_REFUSED, _MALFORMED_NOTE: UNREADABLE, _FILTERED_NOTE: CONTENT_FILTER}


def _guarded_iter(stream: Any) -> Iterator[Any]:
    """The stream's chunks; a connection lost mid-reply is a failure of its own kind."""
    iterator = iter(stream)
    while True:
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except openai.APITimeoutError as exc:
            raise LLMFailure(_TIMEOUT_NOTE, "the stream stalled past the timeout") from exc
        except openai.APIConnectionError as exc:
            raise LLMFailure(_BROKEN_NOTE, "the stream broke off") from exc
        yield chunk
