"""Token-aware, sentence-aligned, overlapping chunks, and the clean-up that precedes them.

A chunk is a run of whole sentences whose token count stays under ``max_tokens``; the next
chunk starts with the last sentences of the previous one (up to ``overlap_tokens``) so an
idea that straddles a boundary is found whole in at least one chunk. A single sentence
longer than a chunk (tables, run-on text with no punctuation) is cut at word boundaries.

Chunks are spans of the article text, so ``article.text[start:end]`` is always the chunk's
text exactly; quotes and citations can be checked against the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.text import Span, paragraph_spans, sentence_spans
from bot.core.tokens import TokenCounter

# Whole paragraphs that are page furniture, not article text. Matched case-insensitively
# against the entire paragraph, so a sentence that merely mentions "advertisement" stays.
_BOILERPLATE = re.compile(
    r"""^(?:
        latest\s+e-?books | advertisement | advertisements? | sponsored(\s+content)? |
        share(\s+(this|on\s+\w+|article|story))?:? | read\s+more:?.* | related(\s+\w+)?:?.* |
        (sign\s+up|subscribe)\b.{0,60} | click\s+here\b.{0,60} | follow\s+us\b.{0,60} |
        all\s+rights\s+reserved\.? | (copyright|©)\s.{0,80} | print | email |
        comments?(\s+\(\d+\))? |
        tags?:.{0,120} | filed\s+under:.{0,120} | back\s+to\s+top | skip\s+to\s+content |
        (cookie|privacy)\s+(policy|settings|notice).{0,60}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

_TERMINAL = re.compile(r"""[.!?…:;"'”’)\]]\s*$""")


def _is_fragment(paragraph: str) -> bool:
    """A short line with no sentence punctuation: a menu item, a tag, a stray link."""
    return len(paragraph.split()) <= 6 and not _TERMINAL.search(paragraph)


def strip_boilerplate(text: str) -> str:
    """The article text without page furniture.

    Known boilerplate paragraphs are dropped wherever they are; short unpunctuated
    fragments are dropped from the end of the text, where pages put their
    "Latest E-Books" and "Share this" lines. Paragraphs are re-joined with blank lines.
    """
    paragraphs = [p.of(text) for p in paragraph_spans(text)]
    kept = [p for p in paragraphs if not _BOILERPLATE.match(" ".join(p.split()))]
    while kept and _is_fragment(kept[-1]):
        kept.pop()
    return "\n\n".join(kept)


@dataclass(frozen=True, slots=True)
class ChunkSpan:
    ordinal: int
    start: int
    end: int
    paragraph: int
    token_count: int


def _split_long(text: str, span: Span, tokens: int, max_tokens: int) -> list[tuple[Span, int]]:
    """Cut one over-long sentence into word-aligned pieces of roughly ``max_tokens``."""
    pieces: list[tuple[Span, int]] = []
    body = span.of(text)
    word_starts = [m.start() for m in re.finditer(r"\S+", body)]
    if not word_starts:
        return []
    # Tokens per word is fairly even inside one sentence; estimate, then let the caller's
    # exact recount stand as the chunk's token_count.
    per_word = max(tokens / len(word_starts), 0.1)
    step = max(1, int(max_tokens / per_word))
    for i in range(0, len(word_starts), step):
        start = span.start + word_starts[i]
        end = span.start + (word_starts[i + step] if i + step < len(word_starts) else len(body))
        piece_end = start + len(text[start:end].rstrip())
        pieces.append((Span(start, piece_end, span.paragraph), min(max_tokens, tokens)))
    return pieces


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence (or a piece of an over-long one) and its token count."""

    span: Span
    tokens: int
    exact: bool  # False for the pieces of a cut sentence, whose count is an estimate


_CUT = re.compile(r"\S[ \t]")


@dataclass(frozen=True, slots=True)
class _Cuts:
    """Where a unit's text may be cut (see :meth:`TokenCounter.splits_at`), and the tokens
    of the pieces before the first cut (head) and after the last (tail)."""

    first: int | None  # the first cut after the unit's first character
    last: int | None  # the last cut, at the unit's very end when the text allows it
    head: int
    tail: int


class _RunCounter:
    """Exact token counts of runs of consecutive units, mostly without re-encoding them.

    A run's text is cut where the tokenizer allows it (:meth:`TokenCounter.splits_at`): at
    the last cut of each unit but the last and at the first cut of each unit but the first.
    The run's count is the sum of its pieces' counts: each unit's own count less its head
    and tail, plus the *bridges* from one unit's last cut to the next one's first (the gap
    between two sentences and a word or two; usually just " The"). Heads, tails and
    bridges are a few characters each and mostly remembered by the counter. A run that
    cannot be cut this way is counted whole.
    """

    def __init__(self, text: str, counter: TokenCounter, units: list[_Unit]) -> None:
        self.text = text
        self.counter = counter
        self.units = units
        self._cuts: dict[int, _Cuts] = {}
        self._bridges: dict[int, int] = {}

    def _last_cut(self, start: int, end: int) -> int | None:
        text, splits = self.text, self.counter.splits_at
        if splits(text, end):
            return end
        at = end
        while at > start:
            at = max(text.rfind(" ", start + 1, at), text.rfind("\t", start + 1, at))
            if splits(text, at):
                return at
        return None

    def cuts(self, k: int) -> _Cuts:
        known = self._cuts.get(k)
        if known is None:
            text, span = self.text, self.units[k].span
            found = _CUT.search(text, span.start, span.end)
            first = found.start() + 1 if found is not None else None
            if first is not None and not self.counter.splits_at(text, first):
                first = None
            last = self._last_cut(span.start, span.end)
            count = self.counter.count_short
            known = _Cuts(
                first,
                last,
                count(text[span.start : first]) if first is not None else 0,
                count(text[last : span.end]) if last is not None and last < span.end else 0,
            )
            self._cuts[k] = known
        return known

    def _bridge(self, k: int, start: int, end: int) -> int:
        if k not in self._bridges:
            self._bridges[k] = self.counter.count_short(self.text[start:end])
        return self._bridges[k]

    def count(self, run: list[int]) -> int | None:
        """Tokens of the text from the first unit's start to the last one's end, or None
        when the run must be counted whole."""
        units = self.units
        if not all(units[k].exact for k in run):
            return None
        if len(run) == 1:
            return units[run[0]].tokens
        cuts = [self.cuts(k) for k in run]
        if any(c.last is None for c in cuts[:-1]) or any(c.first is None for c in cuts[1:]):
            return None
        total = units[run[0]].tokens - cuts[0].tail
        for i in range(1, len(run)):
            before, here = cuts[i - 1], cuts[i]
            assert before.last is not None and here.first is not None
            total += self._bridge(run[i], before.last, here.first) - here.head
            if i < len(run) - 1:
                total += units[run[i]].tokens - here.tail
        return total + units[run[-1]].tokens


def _units(text: str, counter: TokenCounter, max_tokens: int) -> list[_Unit]:
    sentences = sentence_spans(text)
    counts = counter.count_many([s.of(text) for s in sentences])
    units: list[_Unit] = []
    for span, n in zip(sentences, counts, strict=True):
        if n > max_tokens:
            units.extend(_Unit(s, t, False) for s, t in _split_long(text, span, n, max_tokens))
        else:
            units.append(_Unit(span, n, True))
    return units


def _windows(units: list[_Unit], max_tokens: int, overlap_tokens: int) -> list[list[int]]:
    """Runs of unit indexes under ``max_tokens``, each starting with the previous run's
    last units (up to ``overlap_tokens``)."""
    windows: list[list[int]] = []
    current: list[int] = []
    total = 0
    for k, unit in enumerate(units):
        if current and total + unit.tokens > max_tokens:
            windows.append(current)
            carry: list[int] = []
            carried = 0
            # Carry whole trailing sentences, never the entire previous window.
            for prev in reversed(current[1:]):
                size = units[prev].tokens
                if carried + size > overlap_tokens or carried + size + unit.tokens > max_tokens:
                    break
                carry.insert(0, prev)
                carried += size
            current, total = carry, carried
        current.append(k)
        total += unit.tokens
    if current:
        windows.append(current)
    return windows


def chunk_text(
    text: str, counter: TokenCounter, max_tokens: int, overlap_tokens: int
) -> list[ChunkSpan]:
    """Split ``text`` into chunks; see the module docstring."""
    if overlap_tokens >= max_tokens:
        overlap_tokens = max_tokens // 4
    units = _units(text, counter, max_tokens)
    windows = _windows(units, max_tokens, overlap_tokens)
    runs = _RunCounter(text, counter, units)
    chunks = []
    for i, window in enumerate(windows):
        first, last = units[window[0]].span, units[window[-1]].span
        tokens = runs.count(window)
        if tokens is None:
            tokens = counter.count(text[first.start : last.end])
        chunks.append(ChunkSpan(i, first.start, last.end, first.paragraph, tokens))
    return chunks
