"""Extractive article summaries for the digest: one or two whole sentences, verbatim, that
say what the article is about.

Candidates are the article's sentences that lie wholly inside one stored passage (so each
is cited by that passage), read as statements, and are neither page furniture nor a line
about the article rather than of it: a byline ("By Ana Ruiz, Staff Writer"), a dateline
on its own ("TEGUCIGALPA, March 28"), a publication stamp ("Updated 3 April 2019"), a
photo credit, a question, or a sentence that opens with a quotation (speech says what
someone said, not what the article reports). A dateline in front of the first sentence
("TEGUCIGALPA (Reuters) — The United States...") is left out and the rest of the
sentence, still verbatim, is the candidate.

Each candidate is scored by how much of the title and of the article's most frequent
content words it holds, discounted by its position: news puts what matters first. The
best is the summary; the next best joins it when both fit in ``MAX_WORDS`` words and it
says something else (few shared words). The two are given in reading order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.candidates import is_statement
from bot.core.datelines import BYLINE, DATELINE
from bot.core.text import has_bracketed_number, paragraph_spans, sentence_spans, squash
from bot.core.words import STOPWORDS, jaccard, stem, word_count, words
from storage.articles import Passage

MAX_WORDS = 70
MIN_WORDS = 8
MAX_SENTENCE_WORDS = 60
POSITION_DECAY = 0.85
#: Sentences looked at: news puts what the article is about near the top.
MAX_CANDIDATES = 12

_OPENS_WITH_QUOTE = re.compile(r"^[\"“‘'«„]")


@dataclass(frozen=True)
class SummarySentence:
    """A sentence of the article, verbatim (``text == article[start:end]``), and the
    passage that holds it whole."""

    start: int
    end: int
    text: str
    passage: Passage


def strip_dateline(sentence: str) -> str:
    """``sentence`` without a dateline in front of it (the rest is left verbatim)."""
    match = DATELINE.match(sentence)
    if match is None or word_count(sentence[match.end() :]) < MIN_WORDS:
        return sentence
    return sentence[match.end() :]


def is_furniture(sentence: str) -> bool:
    """A byline, a dateline, a time stamp, a credit: a line about the article."""
    text = sentence.strip()
    if BYLINE.match(text):
        return True
    return bool(DATELINE.match(text + " - ")) and word_count(text) < MIN_WORDS


def holder(start: int, end: int, passages: Sequence[Passage]) -> Passage | None:
    """The passage that holds ``[start, end)`` of the article whole, if one does."""
    for p in passages:
        if p.char_start <= start and end <= p.char_end:
            return p
    return None


def candidates(text: str, passages: Sequence[Passage]) -> list[SummarySentence]:
    """The sentences that may summarise the article, in reading order."""
    out: list[SummarySentence] = []
    for span in sentence_spans(text, paragraph_spans(text)):
        if len(out) >= MAX_CANDIDATES:
            break
        raw = span.of(text)
        body = strip_dateline(raw)
        start = span.start + (len(raw) - len(body))
        body = body.rstrip()
        end = start + len(body)
        n = word_count(body)
        if (
            n < MIN_WORDS
            or n > MAX_SENTENCE_WORDS
            or is_furniture(raw)
            or body.endswith("?")
            or _OPENS_WITH_QUOTE.match(body)
            or not is_statement(body)
            or has_bracketed_number(body)  # "[2]" would read as a citation of the digest's
        ):
            continue
        whole = holder(start, end, passages)
        if whole is not None:
            out.append(SummarySentence(start, end, body, whole))
    return out


def content_stems(text: str) -> list[str]:
    """The stems of ``text``'s words, stop words left out."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def summary_sentences(title: str, text: str, passages: Sequence[Passage]) -> list[SummarySentence]:
    """One or two sentences that say what the article is about (none if nothing fits)."""
    found = candidates(text, passages)
    if not found:
        return []
    frequent = {s for s, _ in Counter(content_stems(text)).most_common(20)}
    title_stems = set(content_stems(title))

    def score(i: int, s: SummarySentence) -> float:
        own = set(content_stems(s.text))
        if not own:
            return 0.0
        title_share = len(own & title_stems) / max(1, len(title_stems))
        central = len(own & frequent) / len(own)
        return (0.5 + title_share + central) * POSITION_DECAY**i

    ranked = sorted(enumerate(found), key=lambda item: -score(*item))
    best = ranked[0][1]
    chosen = [best]
    for _, other in ranked[1:]:
        if word_count(best.text) + word_count(other.text) > MAX_WORDS:
            continue
        if jaccard(content_stems(best.text), content_stems(other.text)) >= 0.5:
            continue
        chosen.append(other)
        break
    return sorted(chosen, key=lambda s: s.start)


def plain(sentence: SummarySentence) -> str:
    return squash(sentence.text)
