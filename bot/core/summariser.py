"""What the briefing service needs from an answer writer other than the extractive one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from bot.core.models import Answer, Turn
from bot.core.retrieve import Retrieval

OnText = Callable[[str], None]
Fallback = Callable[[str | None], Answer]


class Summariser(Protocol):
    def condense(self, question: str, history: Sequence[Turn]) -> str:
        """A standalone version of a follow-up question."""

    def answer(
        self,
        question: str,
        standalone: str,
        retrieval: Retrieval,
        on_text: OnText | None,
        fallback: Fallback,
    ) -> Answer:
        """An answer from ``retrieval``; ``fallback(note)`` gives the extractive one."""
