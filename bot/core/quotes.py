"""Verbatim quotes: whole sentences, or quoted speech, that best match a topic.

A quote is never composed, trimmed or repaired. Candidates are found in the stored article
text itself, limited to the spans of the retrieved passages:

* a *sentence* is a whole sentence of the article (:func:`~bot.core.text.sentence_spans`
  over the article's paragraphs) lying wholly inside a passage. A sentence too long for
  one chunk is stored in pieces, and no piece is a whole sentence, so it is not quoted at
  all: a fragment is never offered, even when it is the only relevant text;
* *speech* is the text between a pair of quotation marks in one line of the article (see
  :func:`speech_spans`), inside a passage.

Before a quote is returned its text is checked once more against the stored article text
(whitespace aside), and any candidate that fails is dropped. The topic goes through the
same relevance gate as a question, so an off-topic request gets no quotes at all.

A quote holds its topic: every term of a topic of up to ``SHORT_TOPIC`` terms (its word,
a word of its family, or one of the corpus profile's names for it), in the quote or its
article's title, and every name of a longer one. A WordNet synonym is not enough: a
question may be worded otherwise than its sources, but a quote is asked for by the words
it should hold, and WordNet's senses wander ("caravan": a train, so a club's "training
ground"; "deportation": transportation, so the bus corridor). "Coffee prices" is not
quoted by "The project is expected to cost 412 million dollars" from the bus story, nor
"water rates" by "falling murder rates": a short topic names one thing, and a quote
about a part of it is about something else.
(A question is judged more loosely, since its everyday words may be worded otherwise in
the sources; a topic is a few words a user chose.)
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.answer import RELATIVE_FLOOR
from bot.core.candidates import is_statement
from bot.core.models import Quote
from bot.core.retrieve import Retrieval
from bot.core.terms import read_us_as_usa
from bot.core.text import (
    SPEECH_MARKS,
    Span,
    contains_verbatim,
    paragraph_spans,
    quotations,
    sentence_spans,
)
from bot.core.words import stems, word_count
from storage.articles import Passage, article_texts

MIN_SPEECH_WORDS = 5
#: Topics of up to this many terms must be held whole by each quote (see the docstring).
SHORT_TOPIC = 4
SPEECH_BONUS = 1.15


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    start: int  # offset in the article
    end: int
    text: str
    kind: str
    paragraph: int
    matched: frozenset[str]


def speech_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Quoted speech in ``text[start:end]``: ``(start, end)`` of the words between each pair
    of double quotation marks (curly or straight), in order of their opening mark, a
    quotation inside another included. A pair never spans a line break.

    Quotations are found by :func:`bot.core.text.quotations`: a straight double quote
    also serves as the inch sign (``a 27" monitor``), so it opens only at the start of a
    word and closes only at the end of one. So ``a 27" monitor ... said "we sold fifty"
    to reporters`` yields ``we sold fifty``, and never the text between the inch sign and
    the speech.
    """
    stop = len(text) if end is None else end
    found: list[tuple[int, int]] = []
    line_start = start
    while line_start < stop:
        line_end = text.find("\n", line_start, stop)
        line_end = stop if line_end < 0 else line_end
        todo = quotations(text, line_start, line_end, SPEECH_MARKS)
        while todo:
            quote = todo.pop()
            todo += quotations(text, quote.start + 1, quote.end - 1, SPEECH_MARKS)
            inner = quote.inner(text)
            if inner.strip():
                first = quote.start + 1 + len(inner) - len(inner.lstrip())
                found.append((first, first + len(inner.strip())))
        line_start = line_end + 1
    return sorted(found)


def _candidates(retrieval: Retrieval, texts: dict[int, str]) -> list[_Candidate]:
    """Sentences and speech of the articles, wholly inside a retrieved passage; each once."""
    terms = retrieval.query.terms

    needed = {t.word for t in terms if len(terms) <= SHORT_TOPIC or t.anchor}
    in_titles: dict[int, frozenset[str]] = {}  # article -> the terms its title holds

    def holds(text: str) -> frozenset[str]:
        """The terms ``text`` says in their own words (a WordNet synonym is not enough)."""
        text_stems = stems(read_us_as_usa(text))
        present = frozenset(text_stems)
        return frozenset(t.word for t in terms if t.credit(text_stems, present) >= 1.0)

    def matched(text: str, passage: Passage) -> frozenset[str]:
        """The topic's terms ``text`` holds; none when it and its article's title do not
        hold the whole topic."""
        if passage.article_id not in in_titles:
            in_titles[passage.article_id] = holds(passage.title)
        found = holds(text)
        return found if needed <= found | in_titles[passage.article_id] else frozenset()

    out: list[_Candidate] = []
    seen: set[tuple[str, int, int]] = set()
    paragraphs_of: dict[int, list[Span]] = {}
    for passage in retrieval.passages:
        article = texts.get(passage.article_id)
        lo, hi = passage.char_start, passage.char_end
        if article is None or article[lo:hi] != passage.text:
            continue  # the article changed since retrieval: nothing to quote from it
        if passage.article_id not in paragraphs_of:
            paragraphs_of[passage.article_id] = paragraph_spans(article)
        paragraphs = [p for p in paragraphs_of[passage.article_id] if p.start < hi and lo < p.end]
        found: list[tuple[str, int, int, int]] = [
            ("sentence", s.start, s.end, s.paragraph)
            for s in sentence_spans(article, paragraphs)
            if is_statement(s.of(article))
        ]
        for para in paragraphs:
            found += [
                ("speech", a, b, para.paragraph)
                for a, b in speech_spans(article, para.start, para.end)
                if word_count(article[a:b]) >= MIN_SPEECH_WORDS
            ]
        for kind, start, end, paragraph in found:
            if start < lo or end > hi or (kind, passage.article_id, start) in seen:
                continue
            seen.add((kind, passage.article_id, start))
            text = article[start:end]
            found_terms = matched(text, passage)
            out.append(_Candidate(passage, start, end, text, kind, paragraph, found_terms))
    return out


def find_quotes(session: Session, retrieval: Retrieval, limit: int) -> list[Quote]:
    """Up to ``limit`` verified quotes for the retrieval's topic, best first."""
    if not retrieval.answerable or limit < 1:
        return []
    weights = retrieval.weights
    texts = article_texts(
        session=session, article_ids=sorted({p.article_id for p in retrieval.passages})
    )
    candidates = [c for c in _candidates(retrieval, texts) if c.matched]
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
            paragraph=c.paragraph,
            source=c.passage.source,
            published=c.passage.published,
            article_id=c.passage.article_id,
            char_start=c.start,
            char_end=c.end,
            kind="speech" if c.kind == "speech" else "sentence",
        )
        for c in chosen
    ]
