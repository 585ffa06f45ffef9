"""Who writes answers and digests: a chat model, or nobody (then they are extractive).

The model is decided when the first answer needs one (see :mod:`bot.core.model_choice`):
a server that cannot be reached now may answer later, and ``briefbot sources`` never
asks. A digest is written by the model that writes answers, with its client and its
failure policy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.core.model_choice import ModelResolver, choose_without_asking
from bot.core.timing import REAL_TIME, Timing
from bot.core.writer import AnswerWriter

if TYPE_CHECKING:  # openai is imported when a model is first used
    from bot.core.digest import DigestWriter
    from bot.core.llm import LLMAnswerWriter
    from bot.core.tokens import TokenCounter


class Writers:
    """The answer writer and the digest writer of one briefing service.

    ``summariser`` as given writes the answers when there is no ``models`` resolver;
    ``digest_writer`` as given writes the digests whatever the model. The LLM writers it
    makes take their deadlines and waits from ``timing``.
    """

    def __init__(
        self,
        settings: Settings,
        counter: Callable[[], TokenCounter],
        models: ModelResolver | None = None,
        summariser: AnswerWriter | None = None,
        *,
        timing: Timing = REAL_TIME,
    ) -> None:
        self.settings = settings
        self.timing = timing
        self._counter = counter
        self.models = models
        self.summariser = summariser
        self.digest_writer: DigestWriter | None = None
        self._model: str | None = None
        self._built: LLMAnswerWriter | None = None  # the summariser answers() made
        self._for_digests: DigestWriter | None = None
        self._for_digests_of: LLMAnswerWriter | None = None
        self._lock = threading.Lock()

    def answers(self) -> tuple[AnswerWriter | None, str | None]:
        """Who writes the next answer: the LLM summariser, or None and why not (the
        reason shown after "extractive"). Raises ConfigError when no single model is
        named."""
        if self.models is None:
            if self.summariser is not None:
                return self.summariser, None
            decided = choose_without_asking(self.settings)
            return None, (decided.reason if decided and decided.reason else "no model")
        choice = self.models.choice()
        if choice.model is None:
            return None, choice.reason
        with self._lock:
            if self.summariser is None or self._model != choice.model:
                from bot.core.llm import build_answer_writer  # imports openai

                self.summariser = self._built = build_answer_writer(
                    self.settings, self._counter, choice.model, timing=self.timing
                )
                self._model = choice.model
            return self.summariser, None

    def digests(self) -> DigestWriter | None:
        """Who writes digests: ``digest_writer`` when one was given, else an LLM digest
        writer on the model that writes answers (None: the digest is extractive)."""
        if self.digest_writer is not None:
            return self.digest_writer
        summariser, _ = self.answers()
        with self._lock:
            built = self._built
            if built is None or summariser is not built:
                return None
            if self._for_digests_of is not built:
                from bot.core.digest_llm import LLMDigestWriter

                self._for_digests = LLMDigestWriter(self.settings, built, self._counter)
                self._for_digests_of = built
            return self._for_digests
