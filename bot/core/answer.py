"""The extractive summariser: an answer made only of sentences from the sources.

It is the default when no LLM is configured, and the fallback whenever the LLM fails or
its answer cannot be trusted. Every sentence is copied from a retrieved passage and
carries that passage's marker ``[n]``; citations list exactly the passages used.

Only whole sentences are used: a piece of a sentence too long for one chunk is never an
answer sentence (:func:`bot.core.chunking.chunk_sentences`). Footnote markers attached to
the article's words ("cost[2]", "1936.[3]", "[citation needed]") are left out of answer
sentences, and a sentence that still holds a bracketed number ("Room [2]") is not used, so
that every bracketed number in an answer is one of its own citations. An answer sentence
is thus its source sentence verbatim apart from those markers (and whitespace), and the
citation's text stays verbatim.

Selection is greedy and coverage-seeking: a sentence scores the IDF weights of the question
terms it contains, terms already covered by chosen sentences count half, and long
sentences are discounted. Sentences are chosen until about ``max_words`` words, then put
back in reading order (source by source, in article order) so the answer reads naturally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.chunking import chunk_sentences
from bot.core.models import Citation
from bot.core.retrieve import Retrieval, read_us_as_usa
from bot.core.text import (
    Span,
    has_bracketed_number,
    jaccard,
    squash,
    stems,
    strip_footnote_markers,
    word_count,
)
from storage.articles import Passage

NOT_IN_SOURCES = (
    "Not in the sources: none of the stored articles covers this question, "
    "so I won't guess. Try rephrasing, or ask what the sources say about the memorandum."
)

#: A sentence must score at least this share of the best sentence to be included.
RELATIVE_FLOOR = 0.25


@dataclass(frozen=True)
class SourceSentence:
    """A sentence of a passage, located in its article."""

    passage: Passage
    rank: int
    start: int
    end: int
    text: str
    stems: tuple[str, ...]
    previous: int | None = None  # start of the sentence before it in the same paragraph


def passage_sentences(passages: tuple[Passage, ...] | list[Passage]) -> list[SourceSentence]:
    """Whole sentences of all passages, each once (overlapping chunks share sentences).

    A fragment at a passage edge, where a long sentence was cut to fit a chunk, is left
    out (:func:`bot.core.chunking.chunk_sentences`).
    """
    seen: set[tuple[int, int]] = set()
    out: list[SourceSentence] = []
    for rank, passage in enumerate(passages):
        before: Span | None = None
        for span in chunk_sentences(passage.text):
            start = passage.char_start + span.start
            previous = (
                passage.char_start + before.start
                if before is not None and before.paragraph == span.paragraph
                else None
            )
            before = span
            key = (passage.article_id, start)
            if key in seen:
                continue
            seen.add(key)
            text = span.of(passage.text)
            out.append(
                SourceSentence(
                    passage,
                    rank,
                    start,
                    passage.char_start + span.end,
                    text,
                    tuple(stems(read_us_as_usa(text))),
                    previous,
                )
            )
    return out


def with_marker(sentence: str, marker: int) -> str:
    """``"It was signed."`` -> ``"It was signed [1]."``; other endings get the marker after.

    Whitespace is squashed and the article's own footnote markers are removed
    (``"It cost $5 [2]."`` -> ``"It cost $5 [1]."``), so that no bracketed number in the
    answer is mistaken for a citation."""
    text = squash(strip_footnote_markers(sentence))
    if text.endswith((".", "!", "?")) and not text.endswith(("..", "...")):
        return f"{text[:-1]} [{marker}]{text[-1]}"
    return f"{text} [{marker}]"


_ANSWER_TYPES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(q, re.IGNORECASE), re.compile(a, re.IGNORECASE))
    for q, a in (
        (
            r"^\s*(how\s+(much|many)|what\s+(is|was)\s+the\s+(cost|price|fee|number))\b",
            r"\d|\b(million|billion|thousand|hundred|dozen|per\s*cent|percent)\b",
        ),
        (
            r"^\s*(when|what\s+(day|date|year|month|time))\b",
            r"\b(1[89]\d\d|20\d\d|january|february|march|april|may|june|july|august|"
            r"september|october|november|december|monday|tuesday|wednesday|thursday|friday|"
            r"saturday|sunday|yesterday|today|week|month|year)\b",
        ),
        (
            r"^\s*(who|which\s+(group|groups|official|officials|organi[sz]ations?|people|person))\b",
            r"\b(activists?|officials?|critics?|groups?|coalition|organi[sz]ations?|"
            r"spokes(wo)?(man|person)|analysts?|secretary|minister|president|ministry|"
            r"department|government|said|says|according\s+to)\b",
        ),
        (
            r"^\s*why\b",
            r"\b(because|due\s+to|owing\s+to|as\s+a\s+result|since|so\s+that|in\s+order\s+to|"
            r"reason|caused?|after)\b",
        ),
    )
)

#: Sentences that lean on the one before ("It was basically due to ..."); when one is
#: chosen, its predecessor comes too, so the answer never starts mid-thought.
_ANAPHOR = re.compile(
    r"^\W*(it|this|these|that|those|they|he|she|such|the\s+(incident|move|decision|deal|"
    r"agreement|plan|programme|program|report|statement))\b",
    re.IGNORECASE,
)

ANSWER_TYPE_BONUS = 1.3
ARTICLE_DECAY = 0.75


def is_statement(sentence: str) -> bool:
    """A full sentence, not a heading or a caption: it ends like a sentence (footnote
    markers aside) or is long."""
    text = strip_footnote_markers(sentence).strip()
    return text.endswith((".", "!", "?", "”", '"', "’", "'", ")")) or word_count(text) > 12


def _reads_as_cited(sentence: str) -> bool:
    """A sentence that would show a bracketed number of its own in the answer ("Room [2]",
    "a [5-4] ruling"), once footnote markers are gone. It is left out of extractive
    answers: the number would read as a citation, and changing it would change the
    article's words."""
    return has_bracketed_number(strip_footnote_markers(sentence))


def answer_type(question: str) -> re.Pattern[str] | None:
    """What a sentence that answers ``question`` should contain (a number, a date, a reason)."""
    for asks, expects in _ANSWER_TYPES:
        if asks.search(question):
            return expects
    return None


def select_sentences(retrieval: Retrieval, max_words: int) -> list[SourceSentence]:
    """The sentences of the extractive answer, in reading order."""
    candidates = passage_sentences(retrieval.passages)
    weights = retrieval.weights
    terms = retrieval.query.terms
    expects = answer_type(retrieval.query.text)

    def matched(s: SourceSentence) -> set[str]:
        stem_set = frozenset(s.stems)
        return {t.word for t in terms if t.found_in(s.stems, stem_set)}

    matches = {id(s): matched(s) for s in candidates}

    def shape(s: SourceSentence) -> float:
        """Long sentences are discounted; sentences of the expected answer type boosted."""
        bonus = ANSWER_TYPE_BONUS if expects is not None and expects.search(s.text) else 1.0
        return bonus / (1.0 + 0.015 * max(0, word_count(s.text) - 30))

    def base(s: SourceSentence) -> float:
        return sum(weights.get(w, 0.0) for w in matches[id(s)]) * shape(s)

    scored = [
        s
        for s in candidates
        if matches[id(s)] and is_statement(s.text) and not _reads_as_cited(s.text)
    ]
    if not scored:
        return []
    best = max(base(s) for s in scored)
    pool = [s for s in scored if base(s) >= RELATIVE_FLOOR * best]
    located = {(s.passage.article_id, s.start): s for s in candidates}
    following = {
        (s.passage.article_id, s.previous): s for s in candidates if s.previous is not None
    }

    def gain(s: SourceSentence, covered: set[str]) -> tuple[float, int]:
        value = sum(weights.get(w, 0.0) * (0.5 if w in covered else 1.0) for w in matches[id(s)])
        # Each sentence already taken from the same article makes the next one worth less,
        # so an answer hears from every article that covers the question.
        value *= ARTICLE_DECAY ** sum(
            1 for c in chosen if c.passage.article_id == s.passage.article_id
        )
        return value * shape(s) + 0.02 / (1 + s.rank), -s.start

    chosen: list[SourceSentence] = []
    covered: set[str] = set()
    words_used = 0

    def fits(s: SourceSentence) -> bool:
        return not any(
            c.passage.article_id == s.passage.article_id and c.start == s.start for c in chosen
        ) and not any(jaccard(s.stems, c.stems) > 0.7 for c in chosen)

    while pool and words_used < max_words:
        pick = max(pool, key=lambda s: gain(s, covered))
        pool.remove(pick)
        if not fits(pick):
            continue
        group = [pick]
        before = (
            located.get((pick.passage.article_id, pick.previous))
            if pick.previous is not None
            else None
        )
        if _ANAPHOR.match(pick.text) and before is not None and fits(before):
            group.insert(0, before)
        after = following.get((pick.passage.article_id, pick.start))
        if (
            after is not None
            and expects is not None
            and _ANAPHOR.match(after.text)
            and expects.search(after.text)
            and fits(after)
        ):
            # "Aid was suspended." + "It was due to misuse." answers "why was aid suspended?"
            group.append(after)
        size = sum(word_count(s.text) for s in group)
        if chosen and words_used + size > max_words:
            continue
        chosen.extend(group)
        for s in group:
            covered |= matches[id(s)]
        words_used += size

    first_seen: dict[int, int] = {}
    for s in chosen:
        first_seen.setdefault(s.passage.article_id, len(first_seen))
    return sorted(chosen, key=lambda s: (first_seen[s.passage.article_id], s.start))


def citation_for(marker: int, passage: Passage, text: str | None = None) -> Citation:
    """Citation ``[marker]`` for ``passage``; ``text`` is the verbatim part shown (default:
    the whole passage)."""
    return Citation(
        marker=marker,
        title=passage.title,
        url=passage.url,
        published=passage.published,
        text=passage.text if text is None else text,
        source=passage.source,
        paragraph=passage.paragraph,
        article_id=passage.article_id,
        chunk_id=passage.chunk_id,
    )


def cite(
    sentences: list[SourceSentence],
) -> tuple[str, tuple[Citation, ...]]:
    """Join sentences into an answer with markers numbered in order of first use."""
    markers: dict[int, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for s in sentences:
        p = s.passage
        if p.chunk_id not in markers:
            markers[p.chunk_id] = len(markers) + 1
            citations.append(citation_for(markers[p.chunk_id], p))
        parts.append(with_marker(s.text, markers[p.chunk_id]))
    return " ".join(parts), tuple(citations)


def extractive_answer(retrieval: Retrieval, max_words: int) -> tuple[str, tuple[Citation, ...]]:
    """The answer text and its citations, or the refusal and no citations."""
    sentences = select_sentences(retrieval, max_words) if retrieval.answerable else []
    if not sentences:
        return NOT_IN_SOURCES, ()
    return cite(sentences)
