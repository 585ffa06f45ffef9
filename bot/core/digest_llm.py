"""The digest's LLM writer: article summaries and "What each side says", guarded.

Everything the model writes goes through the citation guard (:mod:`bot.core.guard`), as
answers do, and is used only if a valid citation survives; otherwise that part of the
digest is extractive. A statement's speaker is kept only when the passages it cites name
them (at least half the speaker's words are in those passages): the model may not
attribute a sentence to someone the sources do not mention.

Summaries are written one article at a time, ``WORKERS`` at once. The first failure of
the model (a timeout, a server down, a rate limit...) stops the writer for the rest of
the digest: the remaining parts are extractive and the digest carries a note, so a model
that stopped answering costs one timeout, not one per article.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from bot.config import Settings
from bot.core.chat import LLMFailure
from bot.core.digest import MARKER, Written
from bot.core.guard import guard_answer
from bot.core.llm import LLMAnswerWriter
from bot.core.packing import PackedSource, as_sources_write_it, format_sources, model_view
from bot.core.packing import pack_sources as pack
from bot.core.period import Period
from bot.core.prompts import load_prompt
from bot.core.summaries import content_stems
from bot.core.tokens import TokenCounter
from storage.articles import DatedArticle, Passage

log = logging.getLogger(__name__)

WORKERS = 4
SUMMARY_TOKENS = 150
_BULLET = ("- ", "* ", "• ", "– ")


class LLMDigestWriter:
    """Writes digest parts with the answer writer's model, client and failure policy."""

    def __init__(
        self,
        settings: Settings,
        writer: LLMAnswerWriter,
        counter: Callable[[], TokenCounter],
    ) -> None:
        self.settings = settings
        self.writer = writer
        self._counter = counter
        self.summary_prompt = load_prompt("digest_summary")
        self.sides_prompt = load_prompt("digest_sides")
        self._lock = threading.Lock()
        self._broken: str | None = None

    @property
    def notes(self) -> list[str]:
        with self._lock:
            broken = self._broken
        if broken is None:
            return []
        return [f"The language model failed ({broken}), so the rest of this digest is extractive."]

    def _fail(self, failure: LLMFailure) -> None:
        log.warning("digest: the language model failed: %s", failure.detail)
        with self._lock:
            if self._broken is None:
                self._broken = failure.detail

    def _working(self) -> bool:
        with self._lock:
            return self._broken is None

    def _deadline(self) -> float:
        return self.writer.timing.clock() + 2 * self.settings.llm_timeout

    def _write(
        self, messages: list[dict[str, str]], packed: Sequence[PackedSource], max_tokens: int
    ) -> tuple[str, tuple[Passage, ...]] | None:
        """What the model wrote, guarded (markers 1..k), and the passages they point at;
        None when the model failed (the writer stops) or its content filter stopped it."""
        try:
            done = self.writer.complete(messages, self._deadline(), max_tokens)
        except LLMFailure as failure:
            self._fail(failure)
            return None
        if done.finish_reason == "content_filter":
            return None
        guarded = guard_answer(
            done.text,
            {p.marker: model_view(p.text) for p in packed},
            cut=done.finish_reason == "length",
        )
        by_marker = {p.marker: p for p in packed}
        cited = [by_marker[old] for _, old in sorted(guarded.used.items())]
        text = as_sources_write_it(guarded.text, [p.text for p in cited])
        return text, tuple(p.passage for p in cited)

    # ------------------------------------------------------------------ summaries

    def summarise(
        self, articles: Sequence[tuple[DatedArticle, list[Passage]]]
    ) -> list[Written | None]:
        with self._lock:
            self._broken = None
        with ThreadPoolExecutor(WORKERS, thread_name_prefix="digest") as pool:
            return list(pool.map(self._summary, articles))

    def _summary(self, item: tuple[DatedArticle, list[Passage]]) -> Written | None:
        article, passages = item
        if not passages or not self._working():
            return None
        budget = max(200, self.settings.context_tokens // 3)
        packed = pack(passages, self._counter(), budget)
        if not packed:
            return None
        messages = self.summary_prompt.render(
            title=article.title.replace("<", "‹").replace(">", "›"),
            sources=format_sources(packed),
        )
        written = self._write(messages, packed, SUMMARY_TOKENS)
        if written is None:
            return None
        text, cited = written
        if not cited:
            log.info("digest: the summary of article %d cited nothing valid", article.id)
            return None
        return Written(" ".join(text.split()), cited)

    # ------------------------------------------------------------------ sides

    def sides(
        self, period: Period, passages: Sequence[Passage], names: Sequence[tuple[str, str]]
    ) -> dict[str, list[tuple[str, Written]]] | None:
        if not passages or not self._working():
            return None
        packed = pack(passages, self._counter(), self.settings.context_tokens)
        if not packed:
            return None
        messages = self.sides_prompt.render(
            period=period.label(),
            sides=", ".join(name for _, name in names),
            sources=format_sources(packed),
        )
        written = self._write(messages, packed, self.settings.answer_tokens)
        return None if written is None else read_sides(*written, names)


def _speaker_is_in(speaker: str, passages: Sequence[Passage]) -> bool:
    own = set(content_stems(speaker))
    if not own:
        return False
    found = set(content_stems(" ".join(p.text for p in passages)))
    return len(own & found) * 2 >= len(own)


def read_sides(
    text: str, cited: tuple[Passage, ...], names: Sequence[tuple[str, str]]
) -> dict[str, list[tuple[str, Written]]] | None:
    """The statements under each side's heading ("Critics:") of the guarded ``text``;
    None when no heading is found (the model ignored the format)."""
    by_name = {name.lower(): key for key, name in names} | {key: key for key, _ in names}
    out: dict[str, list[tuple[str, Written]]] = {}
    side: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        heading = stripped.rstrip(":").strip().strip("*_").lower()
        if stripped.endswith(":") and heading in by_name:
            side = by_name[heading]
            out.setdefault(side, [])
            continue
        if side is None or not stripped.startswith(_BULLET):
            continue
        speaker, colon, sentence = stripped[2:].partition(":")
        # A marker by the name ("- Nielsen [1]: ...") is in the model's own numbering,
        # which only the statement's markers are renumbered from: shown, it would point
        # at another of the digest's sources, or at none.
        speaker = " ".join(MARKER.sub(" ", speaker).split()).strip("*_ ")
        numbers = [int(n) for n in MARKER.findall(sentence)]
        sources = [cited[n - 1] for n in numbers if 1 <= n <= len(cited)]
        if not colon or not any(ch.isalnum() for ch in MARKER.sub("", sentence)) or not sources:
            continue  # no statement, or one that says nothing beside its citation
        if len(speaker.split()) > 14 or not _speaker_is_in(speaker, sources):
            log.info("digest: dropped a statement attributed to %r", speaker)
            continue
        out[side].append((speaker, Written(sentence.strip(), cited)))
    return out if out else None
