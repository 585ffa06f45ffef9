"""The LLM answer writer: grounded, cited answers from a chat model.

It condenses a follow-up into a standalone question, packs the passages under the token
budget (:mod:`bot.core.packing`), asks the model (:mod:`bot.core.chat`, which owns the
client and the failure policy) and never trusts what comes back: the citation guard
(:mod:`bot.core.guard`) checks the complete text before it is returned. Every failure
gives the extractive answer with a short note, and is recorded on the answer (and so in
the log), with the model and the prompt that were involved.

A reply that says the model's refusal, ``NOT_IN_SOURCES``, anywhere and however it is
dressed (``**NOT_IN_SOURCES**``, ``not_in_sources``, after or before an answer) is the
model's refusal: it found no answer in the passages, so whatever else it wrote is not
shown (the log keeps it, as a sentence the guard dropped).

The sources are English and so are the readers: a guarded answer whose own words (its
quotations aside, which the guard found verbatim in the sources) are in another language
is not shown either; the extractive answer is, with a note.

The whole answer (condensing a follow-up plus writing the answer) has a deadline of
:data:`DEADLINE_TIMEOUTS` ``BRIEFBOT_LLM_TIMEOUT``s; the stream is abandoned when it
passes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import openai

from bot.config import Settings
from bot.core.answer import NOT_IN_SOURCES, citation_for
from bot.core.chat import (
    FILTERED_ERROR,
    FILTERED_NOTE,
    LANGUAGE_NOTE,
    UNCITED_NOTE,
    Completion,
    LLMFailure,
    complete,
    make_client,
)
from bot.core.frequency import language_of
from bot.core.guard import guard_answer
from bot.core.model_choice import CONTENT_FILTER, GUARD_FALLBACK, OTHER_LANGUAGE
from bot.core.models import Answer, Citation, GuardReport, Turn, Usage
from bot.core.packing import (
    PackedSource,
    as_sources_write_it,
    format_sources,
    model_view,
    pack_sources,
)
from bot.core.pricing import estimated_cost
from bot.core.prompts import Prompt, load_prompt
from bot.core.retrieve import Retrieval
from bot.core.text import paragraph_spans, quotations, squash
from bot.core.timing import REAL_TIME, Timing
from bot.core.tokens import TokenCounter
from bot.core.writer import Fallback, OnText, WritingFailed

log = logging.getLogger(__name__)

REFUSAL_SENTINEL = "NOT_IN_SOURCES"
#: The sentinel as a word of its own, as models write it: any case with underscores, or
#: in capitals with spaces.
_SENTINEL = re.compile(r"(?<![A-Za-z0-9])(?:(?i:not_in_sources)|NOT IN SOURCES)(?![A-Za-z0-9])")
DEADLINE_TIMEOUTS = 3
_CITATION = re.compile(r"\[\d+\]")
#: A name: capitalised words, with the small words names have between them ("Ministerio
#: de Justicia y Seguridad Pública").
_NAME = re.compile(
    r"\b[A-ZÀ-Þ][\w’'-]*(?:\s+(?:(?:de|del|la|las|los|y|e|da|do|des|du|di|von|van|der)\s+)*"
    r"[A-ZÀ-Þ][\w’'-]*)*"
)


#: A label before the condensed question, as models echo the prompt's last line
#: ("Standalone question: ...", "The rewritten question is: ...").
_QUESTION_LABEL = re.compile(
    r"^(?:the\s+)?(?:(?:standalone|stand-alone|rewritten|reformulated|rephrased)\s+)?"
    r"(?:follow-up\s+)?question(?:\s+is)?\s*:\s*",
    re.IGNORECASE,
)


def _condensed(line: str) -> str:
    """The condensed question on ``line``, without what models put around it: a label
    echoing the prompt, Markdown emphasis, quotation marks; empty when the model gave its
    refusal instead (the caller then condenses without it)."""
    text = squash(re.sub(r"\*+|`+", "", line))
    text = _QUESTION_LABEL.sub("", text).strip("\"'“” ")
    return "" if _SENTINEL.search(text) else text


def _own_words(answer: str) -> str:
    """A guarded answer without its citations, its quotations and its names: the words
    the model wrote itself, in its own language ("Honduras's Secretaría de Seguridad" is
    a name an English answer keeps in Spanish)."""
    parts, at = [], 0
    for q in quotations(answer):
        parts.append(answer[at : q.start])
        at = q.end
    parts.append(answer[at:])
    return _NAME.sub(" ", _CITATION.sub(" ", " ".join(parts)))


def _citation(marker: int, packed: PackedSource) -> Citation:
    """Citation ``[marker]`` of what the model was shown of a passage: its text (cut to
    its leading sentences when the whole did not fit the prompt) and the paragraphs
    that text spans, not those of the whole passage."""
    passage = packed.passage
    last = passage.paragraph + max(len(paragraph_spans(packed.text)) - 1, 0)
    return citation_for(marker, passage, packed.text, (passage.paragraph, last))


def build_answer_writer(
    settings: Settings,
    counter: Callable[[], TokenCounter],
    model: str | None = None,
    *,
    timing: Timing = REAL_TIME,
) -> LLMAnswerWriter | None:
    """The LLM answer writer for ``model`` (default: ``BRIEFBOT_MODEL``), when a model may
    write answers (see :mod:`bot.core.model_choice`); its deadlines and waits are
    ``timing``'s."""
    model = model or settings.model
    if not settings.llm_enabled or not model:
        return None
    return LLMAnswerWriter(settings, make_client(settings), counter, model=model, timing=timing)


class LLMAnswerWriter:
    """Writes answers with a chat model; see the module docstring for the guarantees.
    Deadlines are times of ``timing.clock``, and waits before a retry ``timing.sleep``s."""

    def __init__(
        self,
        settings: Settings,
        client: openai.OpenAI,
        counter: Callable[[], TokenCounter],
        answer_prompt: Prompt | None = None,
        condense_prompt: Prompt | None = None,
        *,
        model: str | None = None,
        timing: Timing = REAL_TIME,
    ) -> None:
        self.settings = settings
        self.client = client
        self.timing = timing
        self.model = model or settings.model or ""
        self._counter = counter
        self.answer_prompt = answer_prompt or load_prompt("answer")
        self.condense_prompt = condense_prompt or load_prompt("condense")

    def deadline(self) -> float:
        return self.timing.clock() + DEADLINE_TIMEOUTS * self.settings.llm_timeout

    # ------------------------------------------------------------------ follow-ups

    def condense(
        self, question: str, history: Sequence[Turn], deadline: float
    ) -> tuple[str | None, Usage | None]:
        """A standalone question (None if the model could not give one), and its usage
        (when the model failed, our count of the prompt sent).

        Condensing may take at most one timeout of the answer's deadline, so the answer
        itself always has time left.
        """
        lines = [
            f"{'User' if t.role == 'user' else 'Assistant'}: {squash(t.text)[:500]}"
            for t in history[-6:]
        ]
        messages = self.condense_prompt.render(history="\n".join(lines), question=question)
        own_deadline = min(deadline, self.timing.clock() + self.settings.llm_timeout)
        counted = self._counted(messages)
        try:
            done = self._complete(messages, None, own_deadline, max_tokens=100)
        except LLMFailure as failure:
            log.warning("condensing a follow-up failed: %s", failure.detail)
            return None, Usage(None, None, counted, None)
        usage = self._usage(done, counted)
        first = next((line for line in done.text.splitlines() if line.strip()), "")
        text = _condensed(first)
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
                usage=Usage(None, None, counted, None),  # what was sent, if not what it cost
            )
        usage = self._usage(done, counted)
        try:
            return self._judged(question, standalone, retrieval, packed, done, usage, fallback)
        except Exception as exc:  # a bug: the log still says which model was paid for what
            spent = Answer(question, "", False, "llm", standalone_question=standalone)
            raise WritingFailed(self._stamp(spent, usage=usage)) from exc

    def _judged(
        self,
        question: str,
        standalone: str,
        retrieval: Retrieval,
        packed: Sequence[PackedSource],
        done: Completion,
        usage: Usage,
        fallback: Fallback,
    ) -> Answer:
        """The answer the model's complete reply (``done``) gives once judged: its own
        refusal, the guarded answer, or the extractive one with the reason."""
        if done.finish_reason == "content_filter":
            return self._stamp(
                fallback(FILTERED_NOTE),
                usage=usage,
                error=FILTERED_ERROR,
                extractive_reason=CONTENT_FILTER,
            )
        if _SENTINEL.search(done.text):
            rest = squash(_SENTINEL.sub(" ", done.text))
            said = (rest,) if any(ch.isalnum() for ch in rest) else ()
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
            return self._stamp(
                refusal, usage=usage, guard=GuardReport(dropped_sentences=said) if said else None
            )
        guarded = guard_answer(
            done.text,
            {p.marker: model_view(p.text) for p in packed},
            cut=done.finish_reason == "length",
        )
        if not guarded.has_citations:
            return self._stamp(
                fallback(UNCITED_NOTE),
                extractive_reason=GUARD_FALLBACK,
                guard=guarded.report,
                usage=usage,
                error="llm: the answer had no valid citation",
            )
        language = language_of(_own_words(guarded.text))
        if language != "en":
            return self._stamp(
                fallback(LANGUAGE_NOTE),
                extractive_reason=OTHER_LANGUAGE,
                guard=guarded.report,
                usage=usage,
                error=f"llm: the answer was not in English ({language})",
            )
        by_marker = {p.marker: p for p in packed}
        cited = [(new, by_marker[old]) for new, old in sorted(guarded.used.items())]
        answer = Answer(
            question=question,
            answer=as_sources_write_it(guarded.text, [p.text for _, p in cited]),
            answered=True,
            mode="llm",
            citations=tuple(_citation(new, p) for new, p in cited),
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
        cost = estimated_cost(self.settings, self.model, done.prompt_tokens, done.completion_tokens)
        return Usage(done.prompt_tokens, done.completion_tokens, counted, cost)

    # ------------------------------------------------------------------ the call

    def complete(
        self, messages: list[dict[str, str]], deadline: float, max_tokens: int
    ) -> Completion:
        """One completion under the failure policy of :mod:`bot.core.chat`; raises
        :class:`~bot.core.chat.LLMFailure`. For writers other than the answer's (the
        digest)."""
        return self._complete(messages, None, deadline, max_tokens)

    def _complete(
        self,
        messages: list[dict[str, str]],
        on_text: OnText | None,
        deadline: float,
        max_tokens: int,
    ) -> Completion:
        return complete(
            self.client,
            self.model,
            messages,
            deadline=deadline,
            max_tokens=max_tokens,
            timeout=self.settings.llm_timeout,
            on_text=on_text,
            timing=self.timing,
        )
