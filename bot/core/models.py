"""Plain data that crosses the core's boundary: answers, citations, quotes, sources.

The CLI prints these as JSON and Slack renders them as Block Kit; ORM objects never leave
:mod:`storage`. Field names are the JSON field names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

#: How an answer was written; "help" is a reply that tells the user what to ask.
Mode = Literal["extractive", "llm", "help"]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class Citation:
    """Source ``[marker]`` of an answer: one stored passage, quoted verbatim in ``text``."""

    marker: int
    title: str
    url: str | None
    published: date | None
    text: str
    source: str | None = None
    paragraph: int | None = None
    article_id: int | None = None
    chunk_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = _iso(self.published)
        return data


@dataclass(frozen=True)
class GuardReport:
    """What the citation guard changed in an LLM answer before anyone saw it."""

    removed_citations: tuple[str, ...] = ()
    removed_quotes: tuple[str, ...] = ()
    dropped_sentences: tuple[str, ...] = ()
    fell_back: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.removed_citations
            or self.removed_quotes
            or self.dropped_sentences
            or self.fell_back
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "removed_citations": list(self.removed_citations),
            "removed_quotes": list(self.removed_quotes),
            "dropped_sentences": list(self.dropped_sentences),
            "fell_back": self.fell_back,
        }


@dataclass(frozen=True)
class Usage:
    """Token accounting for one LLM answer."""

    prompt_tokens: int | None
    completion_tokens: int | None
    counted_prompt_tokens: int
    cost_usd: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def plus(self, other: Usage | None) -> Usage:
        """Both calls' accounting together (a follow-up's condensing and its answer)."""
        if other is None:
            return self

        def total(a: float | None, b: float | None) -> Any:
            return None if a is None and b is None else (a or 0) + (b or 0)

        return Usage(
            total(self.prompt_tokens, other.prompt_tokens),
            total(self.completion_tokens, other.completion_tokens),
            self.counted_prompt_tokens + other.counted_prompt_tokens,
            total(self.cost_usd, other.cost_usd),
        )


def writer_line(written_by: str) -> str:
    """How an answer's writer is shown to users (the CLI, Slack): "written by
    gpt-4o-mini", or "extractive (no key)" as it is."""
    return written_by if written_by.startswith("extractive") else f"written by {written_by}"


@dataclass(frozen=True)
class Answer:
    """A briefing answer. ``answered`` is False when the sources do not cover the question;
    then ``citations`` is empty and ``answer`` says so."""

    question: str
    answer: str
    answered: bool
    mode: Mode
    citations: tuple[Citation, ...] = ()
    standalone_question: str | None = None
    note: str | None = None
    guard: GuardReport | None = None
    usage: Usage | None = None
    model: str | None = None
    prompt_name: str | None = None
    prompt_hash: str | None = None
    exchange_id: str | None = None
    latency_ms: int | None = None
    error: str | None = None
    refusal: dict[str, Any] | None = None  # why the gate refused: terms and weights
    #: Why no model wrote this answer ("no key", "model unreachable", "guard fallback"...;
    #: see bot/core/model_choice.py); None when a model wrote it.
    extractive_reason: str | None = None

    @property
    def written_by(self) -> str:
        """Which way the answer was written, as users see it: the model's name, or
        "extractive" and the reason."""
        if self.mode == "llm" and self.model and self.extractive_reason is None:
            return self.model
        return f"extractive ({self.extractive_reason})" if self.extractive_reason else "extractive"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "question": self.question,
            "answer": self.answer,
            "answered": self.answered,
            "mode": self.mode,
            "citations": [c.as_dict() for c in self.citations],
        }
        if self.standalone_question and self.standalone_question != self.question:
            data["standalone_question"] = self.standalone_question
        if self.note:
            data["note"] = self.note
        if self.guard is not None:
            data["guard"] = self.guard.as_dict()
        if self.usage is not None:
            data["usage"] = self.usage.as_dict()
        if self.model:
            data["model"] = self.model
        data["written_by"] = self.written_by
        if self.extractive_reason:
            data["extractive_reason"] = self.extractive_reason
        if self.exchange_id:
            data["exchange_id"] = self.exchange_id
        if self.refusal is not None:
            data["refusal"] = self.refusal
        return data


@dataclass(frozen=True)
class Quote:
    """A verbatim passage: ``text`` is an exact substring of the stored article text."""

    text: str
    title: str
    url: str | None
    paragraph: int
    source: str | None = None
    published: date | None = None
    article_id: int | None = None
    char_start: int = 0
    char_end: int = 0
    kind: Literal["sentence", "speech"] = "sentence"

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "title": self.title,
            "url": self.url,
            "paragraph": self.paragraph,
        }


@dataclass(frozen=True)
class SourceInfo:
    id: int
    title: str
    source: str | None
    url: str | None
    published: date | None
    chunks: int
    ingested_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": _iso(self.published),
            "chunks": self.chunks,
        }


@dataclass(frozen=True)
class Turn:
    """One earlier turn of a conversation, for follow-up questions."""

    role: Literal["user", "assistant"]
    text: str


@dataclass
class ExchangeContext:
    """Where a question came from, for the conversation log."""

    surface: str = "cli"
    workspace: str | None = None
    channel: str | None = None
    user: str | None = None
    thread_ts: str | None = None
    message_ts: str | None = None

    def fields(self) -> dict[str, str | None]:
        """The log columns this context fills."""
        return {
            "surface": self.surface,
            "workspace": self.workspace,
            "channel": self.channel,
            "user": self.user,
            "thread_ts": self.thread_ts,
            "message_ts": self.message_ts,
        }
