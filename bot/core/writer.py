"""What the briefing service needs from an answer writer other than the extractive one
(:class:`bot.core.llm.LLMAnswerWriter` is the one briefbot has)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from bot.core.models import Answer, Turn, Usage
from bot.core.retrieve import Retrieval

OnText = Callable[[str], None]
Fallback = Callable[[str | None], Answer]


class WritingFailed(Exception):
    """The writer failed unexpectedly after the model was called: ``spent`` is an
    unanswered :class:`Answer` that says which model and prompt were asked and what they
    cost, so the log keeps them beside the failure (the cause is ``__cause__``)."""

    def __init__(self, spent: Answer) -> None:
        super().__init__("writing the answer failed after the model was called")
        self.spent = spent


class AnswerWriter(Protocol):
    def deadline(self) -> float:
        """The monotonic time by which a whole answer (follow-up included) must be done."""

    def condense(
        self, question: str, history: Sequence[Turn], deadline: float
    ) -> tuple[str | None, Usage | None]:
        """A standalone version of a follow-up question (None if it cannot say), and what
        asking for it cost (None if nothing was spent)."""

    def answer(
        self,
        question: str,
        standalone: str,
        retrieval: Retrieval,
        on_text: OnText | None,
        fallback: Fallback,
        deadline: float,
    ) -> Answer:
        """An answer from ``retrieval``; ``fallback(note)`` gives the extractive one.
        Raises :class:`WritingFailed` for an unexpected failure once the model was
        called."""
