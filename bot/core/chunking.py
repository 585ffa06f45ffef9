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


def chunk_text(
    text: str, counter: TokenCounter, max_tokens: int, overlap_tokens: int
) -> list[ChunkSpan]:
    """Split ``text`` into chunks; see the module docstring."""
    if overlap_tokens >= max_tokens:
        overlap_tokens = max_tokens // 4
    sentences = sentence_spans(text)
    if not sentences:
        return []
    # The text is encoded once. A sentence's size (for packing) is the number of tokens
    # that end inside it or in the space before it; each chunk's stored count is exact.
    layout = counter.layout(text)
    ending_by = layout.tokens_ending_by([sentences[0].start, *(s.end for s in sentences)])
    counts = [int(n) for n in ending_by[1:] - ending_by[:-1]]
    units: list[tuple[Span, int]] = []
    for span, n in zip(sentences, counts, strict=True):
        units.extend(_split_long(text, span, n, max_tokens) if n > max_tokens else [(span, n)])

    windows: list[list[tuple[Span, int]]] = []
    current: list[tuple[Span, int]] = []
    total = 0
    for unit in units:
        if current and total + unit[1] > max_tokens:
            windows.append(current)
            carry: list[tuple[Span, int]] = []
            carried = 0
            # Carry whole trailing sentences, never the entire previous window.
            for prev in reversed(current[1:]):
                if carried + prev[1] > overlap_tokens or carried + prev[1] + unit[1] > max_tokens:
                    break
                carry.insert(0, prev)
                carried += prev[1]
            current, total = carry, carried
        current.append(unit)
        total += unit[1]
    if current:
        windows.append(current)

    chunks = []
    for i, window in enumerate(windows):
        start, end = window[0][0].start, window[-1][0].end
        chunks.append(ChunkSpan(i, start, end, window[0][0].paragraph, layout.count(start, end)))
    return chunks
