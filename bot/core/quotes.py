"""Verbatim quotes: whole sentences, or quoted speech, that best match a topic.

A quote is never composed, trimmed or repaired. Candidates are spans of retrieved passages;
before a quote is returned its text is checked once more against the stored article text
(whitespace aside), and any candidate that fails is dropped. The topic goes through the
same relevance gate as a question, so an off-topic request gets no quotes at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.answer import RELATIVE_FLOOR, is_statement, passage_sentences
from bot.core.models import Quote
from bot.core.retrieve import Retrieval
from bot.core.text import contains_verbatim, stems, word_count
from storage.articles import Passage, article_texts

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SPEECH = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"")
MIN_SPEECH_WORDS = 5
SPEECH_BONUS = 1.15


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    start: int  # offset in the article
    end: int
    text: str
    kind: str
    matched: frozenset[str]


def paragraph_in_passage(passage: Passage, offset_in_passage: int) -> int:
    """Article paragraph number of a position inside ``passage``."""
    return passage.paragraph + len(_PARAGRAPH_BREAK.findall(passage.text[:offset_in_passage]))


def _candidates(retrieval: Retrieval) -> list[_Candidate]:
    terms = retrieval.query.terms

    def matched(text: str) -> frozenset[str]:
        text_stems = stems(text)
        stem_set = frozenset(text_stems)
        return frozenset(t.word for t in terms if t.found_in(text_stems, stem_set))

    out: list[_Candidate] = []
    seen: set[tuple[int, int]] = set()
    for sentence in passage_sentences(retrieval.passages):
        if not is_statement(sentence.text):
            continue
        out.append(
            _Candidate(
                sentence.passage,
                sentence.start,
                sentence.end,
                sentence.text,
                "sentence",
                matched(sentence.text),
            )
        )
    for passage in retrieval.passages:
        for m in _SPEECH.finditer(passage.text):
            group = 1 if m.group(1) is not None else 2
            inner = m.group(group).strip()
            if word_count(inner) < MIN_SPEECH_WORDS:
                continue
            start = (
                passage.char_start
                + m.start(group)
                + (len(m.group(group)) - len(m.group(group).lstrip()))
            )
            key = (passage.article_id, start)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                _Candidate(passage, start, start + len(inner), inner, "speech", matched(inner))
            )
    return out


def find_quotes(session: Session, retrieval: Retrieval, limit: int) -> list[Quote]:
    """Up to ``limit`` verified quotes for the retrieval's topic, best first."""
    if not retrieval.answerable or limit < 1:
        return []
    weights = retrieval.weights
    candidates = [c for c in _candidates(retrieval) if c.matched]
    if not candidates:
        return []

    def score(c: _Candidate) -> float:
        value = sum(weights.get(w, 0.0) for w in c.matched)
        value /= 1.0 + 0.015 * max(0, word_count(c.text) - 30)
        return value * (SPEECH_BONUS if c.kind == "speech" else 1.0)

    best = max(score(c) for c in candidates)
    ranked = sorted(
        (c for c in candidates if score(c) >= RELATIVE_FLOOR * best),
        key=lambda c: (-score(c), c.passage.article_id, c.start),
    )
    texts = article_texts(
        session=session, article_ids=sorted({c.passage.article_id for c in ranked})
    )
    chosen: list[_Candidate] = []
    for c in ranked:
        if len(chosen) >= limit:
            break
        overlaps = any(
            o.passage.article_id == c.passage.article_id and o.start < c.end and c.start < o.end
            for o in chosen
        )
        if overlaps:
            continue
        article_text = texts.get(c.passage.article_id, "")
        if article_text[c.start : c.end] != c.text or not contains_verbatim(article_text, c.text):
            continue  # never hand out a quote we cannot find in the article
        chosen.append(c)
    return [
        Quote(
            text=c.text,
            title=c.passage.title,
            url=c.passage.url,
            paragraph=paragraph_in_passage(c.passage, c.start - c.passage.char_start),
            source=c.passage.source,
            published=c.passage.published,
            article_id=c.passage.article_id,
            char_start=c.start,
            char_end=c.end,
            kind="speech" if c.kind == "speech" else "sentence",
        )
        for c in chosen
    ]
