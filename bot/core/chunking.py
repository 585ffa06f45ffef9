"""Token-aware, sentence-aligned, overlapping chunks, and the clean-up that precedes them.

A chunk is a run of whole sentences whose token count stays within ``max_tokens`` (or one
over, see below); the next
chunk starts with the last sentences of the previous one (up to ``overlap_tokens``) so an
idea that straddles a boundary is found whole in at least one chunk. Sentences are sized
once, from one encoding of the article, and where two sentences meet a token may merge
across them, so a chunk can hold a token more than its sentences' sizes add up to; the
stored ``token_count`` is always exact.

A single sentence longer than a chunk (tables, run-on text with no punctuation) is cut
between words into pieces, each a chunk of its own. Such a cut is *marked*: both pieces
keep the whitespace between the two words, so a chunk edge inside a sentence starts or
ends with whitespace, while a chunk edge at a sentence edge never does (sentence spans are
stripped). A reader of a stored chunk can therefore tell a piece from a whole sentence
without the article (:func:`chunk_sentences`), and answers and quotes never offer a piece
as a sentence. Pieces stored before this rule are unmarked: quotes still take their
sentences from the article text itself, but an extractive answer may use such a piece
until its article is chunked again. A word longer than a chunk (text written without
spaces, Chinese, Japanese or Thai; a long url) is cut between characters, at the whole
text's token boundaries; such a cut is not marked (there is no whitespace to mark it
with), so a piece of such text may read as whole sentences.

Chunks are spans of the article text, so ``article.text[start:end]`` is always the chunk's
text exactly; quotes and citations can be checked against the article.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from bot.core.text import Span, paragraph_spans, sentence_spans
from bot.core.words import script_word_count

if TYPE_CHECKING:  # answers split sentences here without loading tiktoken and numpy
    from bot.core.tokens import TokenCounter, TokenLayout

# Whole paragraphs that are page furniture, not article text. A paragraph is furniture only
# if the entire paragraph (whitespace squashed, case ignored) is one of these shapes and it
# is short (_FURNITURE_WORDS): a label ("Advertisement", "Print"), a link lead-in with its
# link text ("Read more: Why the deal failed", "Tags: asylum, Honduras"), a share, sign-up
# or follow line, or a copyright line. A lead-in needs its colon (or dash, pipe, arrow), so
# "Read more about..." and "Related concerns were raised..." are article text and stay;
# "Copyright" needs a year or a ©, so "Copyright lawyers said..." stays.
_NETWORK = (
    r"(?:facebook|twitter|x|linkedin|whatsapp|e-?mail|reddit|pinterest|telegram|messenger|"
    r"bluesky|threads|flipboard|instagram|youtube|tiktok|friends|print|copy\s+link)"
)
_LEAD_IN = (
    r"(?:read\s+more|more\s+on\s+this(?:\s+story)?|see\s+also|tags?|topics|filed\s+under|"
    r"related(?:\s+(?:articles?|stories|story|coverage|content|links?|reading|posts?|news|"
    r"topics?|videos?))?)"
)
_FURNITURE = re.compile(
    rf"""(?:
        latest\s+e-?books | advertisements? | sponsored(?:\s+content)? | paid\s+content |
        (?:print|e-?mail)(?:\s+this(?:\s+(?:article|story|page))?)? |
        comments?(?:\s*\(\d+\))? | \d+\s+comments? |
        back\s+to\s+top | skip\s+to\s+(?:main\s+)?content | all\s+rights\s+reserved |
        share(?:\s+(?:this|the))?(?:\s+(?:article|story|page|post|link))?
            (?:\s+(?:on|via|with|to))?(?:[\s,|/&]+(?:(?:and|or)\s+)?{_NETWORK})* |
        {_LEAD_IN}(?:(?:\s*[:|»›>]|\s+[–—-](?=\s|$)).*)? |
        (?:sign\s+up|subscribe)(?:\s+(?:now|today|here))?
            (?:\s+(?:for|to)\s+(?:our|the|my)(?:\s+[\w-]+){{0,4}}?
               \s+(?:newsletters?|e-?mails?|alerts|updates|briefings?|digest|podcast))?
            (?:\s+(?:here|now|today))? |
        (?:click|tap)\s+here\b.* |
        follow\s+us(?:\s+on(?:[\s,|/&]+(?:(?:and|or)\s+)?{_NETWORK})+)? |
        (?:copyright\s*(?:©|\(c\))?\s*\d{{4}}|©).* |
        (?:cookie|privacy)\s+(?:policy|settings|notice|preferences)
    )[.:!]?""",
    re.IGNORECASE | re.VERBOSE,
)
#: A furniture paragraph is at most this many words; anything longer is article text.
_FURNITURE_WORDS = 15

#: A fragment is at most this many words (see :func:`~bot.core.words.script_word_count`).
_FRAGMENT_WORDS = 6
#: Punctuation that closes a sentence in any script: Unicode's closing (Pe), final-quote
#: (Pf) and other (Po) punctuation, except what lists or leads on rather than ends.
_NOT_TERMINAL = frozenset(",、，､#%&*@/\\·»›")
_CLOSING = frozenset({"Pe", "Pf", "Po"})


def _ends_a_sentence(paragraph: str) -> bool:
    """Whether a paragraph ends with sentence punctuation: "." and "?" as well as "。",
    "！", "।" or "؟", closing quotes and brackets included."""
    last = paragraph.rstrip()[-1:]
    return bool(last) and last not in _NOT_TERMINAL and unicodedata.category(last) in _CLOSING


def _is_furniture(paragraph: str) -> bool:
    """Whether a whole paragraph is page furniture (see ``_FURNITURE``), not article text."""
    words = paragraph.split()
    return len(words) <= _FURNITURE_WORDS and _FURNITURE.fullmatch(" ".join(words)) is not None


def _is_fragment(paragraph: str) -> bool:
    """A short line with no sentence punctuation in any script: a menu item, a tag, a
    stray link ("Latest E-Books", "相关阅读")."""
    return script_word_count(
        paragraph, at_most=_FRAGMENT_WORDS
    ) <= _FRAGMENT_WORDS and not _ends_a_sentence(paragraph)


def strip_boilerplate(text: str) -> str:
    """The article text without page furniture.

    Furniture paragraphs (short, and wholly a label, a link lead-in,
    a share, sign-up or follow line or a copyright line) are dropped wherever they are;
    short unpunctuated fragments are dropped from the end of the text, where pages put
    their "Latest E-Books" and "Share this" lines. A paragraph that is a sentence about
    any of these ("Read more about the deal in...", "Related concerns were raised...")
    is article text and stays. Paragraphs are re-joined with blank lines.
    """
    paragraphs = [p.of(text) for p in paragraph_spans(text)]
    kept = [p for p in paragraphs if not _is_furniture(p)]
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


def _split_long(
    text: str, span: Span, layout: TokenLayout, max_tokens: int
) -> list[tuple[Span, int]]:
    """Cut one over-long sentence into word-aligned pieces of at most ``max_tokens``.

    Each piece takes as many words as fit, measured exactly on the article's token
    layout (a binary search over the word ends). A cut falls in the whitespace between
    two words and both pieces keep that whitespace (they overlap on it), which marks the
    cut; see the module docstring. A single word longer than a chunk is a piece of its own.
    """
    import numpy as np  # (here: answers import this module, and need no numpy)

    body = span.of(text)  # stripped: starts with the first word, ends with the last
    bounds = _word_bounds(body, span.start, layout, max_tokens)
    if len(bounds) < 2:
        return [(span, layout.count(span.start, span.end))] if bounds else []
    # How many tokens of the whole text end by each word's end: a span's size within a
    # few tokens (its edges aside), which keeps the exact counts below to spans near a
    # chunk's size, however long the sentence.
    ending = layout.tokens_ending_by([span.start + b for _, b in bounds])
    pieces: list[tuple[Span, int]] = []
    i = 0
    while i < len(bounds):
        start = span.start + (bounds[i - 1][1] if i > 0 else 0)

        def end_before(j: int) -> int:  # the piece of words i..j-1, with the gap after
            return span.start + (bounds[j][0] if j < len(bounds) else len(body))

        before = int(layout.tokens_ending_by([start])[0])
        fits = int(np.searchsorted(ending[i:], before + max_tokens + EDGE_TOKENS, side="right"))
        # the piece ends before word j, for some j in lo..hi
        lo, hi = i + 1, min(len(bounds), i + max(fits, 1))
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if layout.count(start, end_before(mid)) <= max_tokens:
                lo = mid
            else:
                hi = mid - 1
        end = end_before(lo)
        pieces.append((Span(start, end, span.paragraph), layout.count(start, end)))
        i = lo
    return pieces


#: How far a span's size read off the whole text's tokens may be from its exact count:
#: only the tokens at its two edges differ (see :class:`~bot.core.tokens.TokenLayout`).
EDGE_TOKENS = 8


def _word_bounds(
    body: str, offset: int, layout: TokenLayout, max_tokens: int
) -> list[tuple[int, int]]:
    """The words of ``body`` (at ``offset`` in the text) as (start, end) in ``body``; a
    word longer than a chunk is cut at token boundaries into parts of about a chunk's
    size, each a word of its own (text without spaces: Chinese, Japanese, Thai). Such a
    cut is not marked, as a cut at whitespace is (see the module docstring)."""
    bounds: list[tuple[int, int]] = []
    for m in re.finditer(r"\S+", body):
        a, b = m.start(), m.end()
        # (a character may be several tokens: a hieroglyph is four)
        before, after = layout.tokens_ending_by([offset + a, offset + b])
        if (
            after - before > max_tokens - EDGE_TOKENS
            and layout.count(offset + a, offset + b) > max_tokens
        ):
            every = max(1, max_tokens - 2 * EDGE_TOKENS)
            cuts = [c - offset for c in layout.cuts(offset + a, offset + b, every)]
            edges = [a, *(c for c in cuts if a < c < b), b]
            bounds.extend(pairwise(edges))
        else:
            bounds.append((a, b))
    return bounds


def chunk_sentences(chunk: str) -> list[Span]:
    """The whole sentences of a stored chunk's text, as spans of ``chunk``.

    These are :func:`~bot.core.text.sentence_spans` of the chunk, except that a chunk which
    begins (or ends) with whitespace was cut inside a sentence there (see the module
    docstring), so its first (or last) span is a fragment and is left out. A piece of a
    long sentence therefore has no whole sentences at all.
    """
    spans = sentence_spans(chunk)
    if spans and chunk[:1].isspace():
        spans = spans[1:]
    if spans and chunk[-1:].isspace():
        spans = spans[:-1]
    return spans


def chunk_text(
    text: str, counter: TokenCounter, max_tokens: int, overlap_tokens: int
) -> list[ChunkSpan]:
    """Split ``text`` into chunks; see the module docstring. ``overlap_tokens`` must be
    smaller than ``max_tokens`` (the settings refuse anything else)."""
    if overlap_tokens >= max_tokens:
        raise ValueError(f"overlap_tokens ({overlap_tokens}) must be below {max_tokens}")
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
        units.extend(_split_long(text, span, layout, max_tokens) if n > max_tokens else [(span, n)])

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
