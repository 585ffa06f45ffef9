"""What the briefing service needs from an answer writer other than the extractive one
(:class:`bot.core.llm.LLMAnswerWriter` is the one briefbot has)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from bot.core.models import Answer, Turn, Usage
from bot.core.retrieve import Retrieval

OnText = Callable[[str], None]
Fallback = Callable[[str | None], Answer]


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
        """An answer from ``retrieval``; ``fallback(note)`` gives the extractive one."""
