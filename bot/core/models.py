"""Plain data that crosses the core's boundary: answers, citations, quotes, sources.

The CLI prints these as JSON and Slack renders them as Block Kit; ORM objects never leave
:mod:`storage`. Field names are the JSON field names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from typing import Any, ClassVar, Literal

#: What wrote an answer: "llm" the model (its answer, or its own "not in the sources"),
#: "extractive" briefbot itself from the sources (an extractive answer, or the gate's
#: refusal, which no model saw, even when one is set up), "help" a reply that tells the
#: user what to ask. The log adds "declined", "quotes" and "interrupted" (see ExchangeLog).
Mode = Literal["extractive", "llm", "help"]

# The one serialisation of the core's data for JSON output (``briefbot ... --json``, the
# conversation log's citations): every field, by its name, unless its metadata says
# otherwise; dates as ISO strings, tuples as lists, nested data the same way.
#: A field that stays inside briefbot (offsets, internal ids).
HIDDEN: Mapping[str, Any] = {"json": "hidden"}
#: A field left out when it has no value (None, "", an empty list).
IF_SET: Mapping[str, Any] = {"json": "if_set"}


def shown_if(test: Callable[[Any], bool]) -> Mapping[str, Any]:
    """A field shown only when ``test(the object)`` holds."""
    return {"json": test}


def to_json(value: Any) -> Any:
    """``value`` as JSON data, by the rules above."""
    if is_dataclass(value) and not isinstance(value, type):
        data: dict[str, Any] = {}
        for f in fields(value):
            rule = f.metadata.get("json")
            item = getattr(value, f.name)
            if rule == "hidden" or (rule == "if_set" and not item):
                continue
            if callable(rule) and not rule(value):
                continue
            data[f.name] = to_json(item)
        for name in getattr(value, "json_properties", ()):
            data[name] = to_json(getattr(value, name))
        return data
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


class JsonData:
    """Plain data with one way to JSON: :meth:`as_dict` is :func:`to_json`."""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        return data


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Citation(JsonData):
    """Source ``[marker]`` of an answer: one stored passage, quoted verbatim in ``text``."""

    marker: int
    title: str
    url: str | None
    published: date | None
    text: str
    source: str | None = None
    #: The paragraph of the article the cited text begins in, and (when it runs on) the
    #: last one it reaches.
    paragraph: int | None = None
    article_id: int | None = None
    chunk_id: int | None = None
    paragraph_end: int | None = None

    @property
    def paragraphs(self) -> str | None:
        """ "paragraph 3", or "paragraphs 3–5" for cited text that runs over several."""
        if not self.paragraph:
            return None
        if self.paragraph_end and self.paragraph_end > self.paragraph:
            return f"paragraphs {self.paragraph}–{self.paragraph_end}"
        return f"paragraph {self.paragraph}"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Citation:
        """A citation as the conversation log stored it (older rows lack some keys)."""
        return cls(
            marker=int(data.get("marker") or 0),
            title=str(data.get("title") or ""),
            url=data.get("url"),
            published=_date(data.get("published")),
            text=str(data.get("text") or ""),
            source=data.get("source"),
            paragraph=data.get("paragraph"),
            article_id=data.get("article_id"),
            chunk_id=data.get("chunk_id"),
            paragraph_end=data.get("paragraph_end"),
        )


@dataclass(frozen=True)
class GuardReport(JsonData):
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


@dataclass(frozen=True)
class Usage(JsonData):
    """Token accounting for one LLM answer."""

    prompt_tokens: int | None
    completion_tokens: int | None
    counted_prompt_tokens: int
    cost_usd: float | None

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


def _restates(answer: Answer) -> bool:
    return bool(answer.standalone_question) and answer.standalone_question != answer.question


@dataclass(frozen=True)
class Answer(JsonData):
    """A briefing answer. ``answered`` is False when the sources do not cover the question;
    then ``citations`` is empty and ``answer`` says so."""

    json_properties: ClassVar[tuple[str, ...]] = ("written_by",)

    question: str
    answer: str
    answered: bool
    mode: Mode
    citations: tuple[Citation, ...] = ()
    standalone_question: str | None = field(default=None, metadata=shown_if(_restates))
    note: str | None = field(default=None, metadata=IF_SET)
    guard: GuardReport | None = field(default=None, metadata=IF_SET)
    usage: Usage | None = field(default=None, metadata=IF_SET)
    model: str | None = field(default=None, metadata=IF_SET)
    prompt_name: str | None = field(default=None, metadata=HIDDEN)
    prompt_hash: str | None = field(default=None, metadata=HIDDEN)
    exchange_id: str | None = field(default=None, metadata=IF_SET)
    latency_ms: int | None = field(default=None, metadata=HIDDEN)
    error: str | None = field(default=None, metadata=HIDDEN)
    #: Why the gate refused: terms and weights.
    refusal: dict[str, Any] | None = field(
        default=None, metadata=shown_if(lambda a: a.refusal is not None)
    )
    #: Why no model wrote this answer ("no key", "model unreachable", "guard fallback"...;
    #: see bot/core/model_choice.py); None when a model wrote it.
    extractive_reason: str | None = field(default=None, metadata=IF_SET)

    @property
    def written_by(self) -> str:
        """Which way the answer was written, as users see it: the model's name, or
        "extractive" and the reason."""
        if self.mode == "llm" and self.model and self.extractive_reason is None:
            return self.model
        return f"extractive ({self.extractive_reason})" if self.extractive_reason else "extractive"


@dataclass(frozen=True)
class Quote(JsonData):
    """A verbatim passage: ``text`` is an exact substring of the stored article text.
    Its JSON is the passage and where it is (``briefbot quote --json``)."""

    text: str
    title: str
    url: str | None
    paragraph: int
    source: str | None = field(default=None, metadata=HIDDEN)
    published: date | None = field(default=None, metadata=HIDDEN)
    article_id: int | None = field(default=None, metadata=HIDDEN)
    char_start: int = field(default=0, metadata=HIDDEN)
    char_end: int = field(default=0, metadata=HIDDEN)
    kind: Literal["sentence", "speech"] = field(default="sentence", metadata=HIDDEN)

    def as_citation(self, marker: int) -> Citation:
        """The quote as source ``[marker]``: how /quote replies are logged and shown."""
        return Citation(
            marker=marker,
            title=self.title,
            url=self.url,
            published=self.published,
            text=self.text,
            source=self.source,
            paragraph=self.paragraph,
            article_id=self.article_id,
        )


@dataclass(frozen=True)
class SourceInfo(JsonData):
    """A stored article, as ``briefbot sources`` lists it."""

    id: int
    title: str
    source: str | None
    url: str | None
    published: date | None
    chunks: int
    ingested_at: str | None = field(default=None, metadata=HIDDEN)


@dataclass(frozen=True)
class Turn:
    """One earlier turn of a conversation, for follow-up questions."""

    role: Literal["user", "assistant"]
    text: str


@dataclass
class ExchangeContext:
    """Where a question came from, for the conversation log; the fields are log columns."""

    surface: str = "cli"
    workspace: str | None = None
    channel: str | None = None
    user: str | None = None
    thread_ts: str | None = None
    message_ts: str | None = None


@dataclass(frozen=True)
class LoggedExchange:
    """An exchange read back from the conversation log: what Slack's buttons act on."""

    # What is shown again.
    exchange_id: str
    question: str
    answer: str
    citations: tuple[Citation, ...]
    note: str | None
    #: As the user was told ("gpt-4o-mini", "extractive (no key)"); rows logged before
    #: briefbot recorded it have the mode.
    written_by: str
    # Who asked, and where: only they may share it, and only there.
    surface: str
    user: str | None
    channel: str | None
