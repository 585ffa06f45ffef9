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

The answer leads with the sentence that best answers the question: the one holding the
most of its weighted terms, favouring the kind of sentence the question asks for (a cause
for "why", a number for "how many", the negation or limit that settles a yes/no question).
A sentence that leans on the one before it ("It was due to...") brings that one along.
Supporting sentences follow, chosen greedily for what they add (terms already covered
count half) until about ``max_words`` words, in reading order; when the passages hold a
side of the story that the answer lacks, that side's best sentence is added too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.core.chunking import chunk_sentences
from bot.core.expected import expected_pattern, holds_new
from bot.core.models import Citation
from bot.core.profile import Profile
from bot.core.retrieve import Retrieval
from bot.core.terms import read_us_as_usa
from bot.core.text import has_bracketed_number, squash, strip_footnote_markers
from bot.core.words import jaccard, stems, word_count
from storage.articles import Passage

NOT_IN_SOURCES = (
    "Not in the sources: none of the stored articles covers this question, so I won't "
    "guess. Try rephrasing it with the names or terms the articles would use."
)

#: How many sentences back a sentence that leans on the one before may reach.
MAX_LEANING = 2
#: At most this many characters (spaces) between two sentences of one paragraph.
MAX_SENTENCE_GAP = 3
#: A follower must score at least this share of the lead sentence.
RELATIVE_FLOOR = 0.25
#: A sentence of the kind the question asks for (a number for "how many", a reason for
#: "why", a negation or limit for a yes/no question) counts this much more.
ANSWER_TYPE_BONUS = 1.5
#: Each sentence already taken from an article makes the next one from it worth less, so
#: an answer hears from every article that covers the question.
ARTICLE_DECAY = 0.75
#: What even the most everyday term counts for in a sentence, against its weight.
TERM_FLOOR = 0.5
#: A sentence that carries on from a chosen one (the next in its paragraph) is worth at
#: least this share of that one: an answer reads better, and holds more, in runs.
CONTINUITY = 0.7
#: How much a term in an article's title counts for each of its sentences.
TITLE_CREDIT = 0.5
#: How much the best-ranked passage's sentences are preferred (less for each rank down).
RANK_BONUS = 0.5
#: Answer types that only a sentence holding that kind of thing answers (see
#: :mod:`bot.core.expected`); a "why" or a yes-or-no question may be settled without one.
KIND_ANSWERS = frozenset({"quantity", "when", "where", "who"})
_KIND_NAMES = {"quantity": "a number or an amount", "when": "a date or a time",
               "where": "a place", "who": "a name or a role"}  # fmt: skip
#: Answer types that only a sentence holding that kind of thing answers (see
#: :mod:`bot.core.expected`); a "why" or a yes-or-no question may be settled without one.
KIND_ANSWERS = frozenset({"quantity", "when", "where", "who"})


@dataclass(frozen=True, eq=False)
class SourceSentence:
    """A sentence of a passage, located in its article. Each is made once per answer, so
    it is compared by identity (cheaply: selection asks "is it chosen?" often)."""

    passage: Passage
    rank: int
    start: int
    end: int
    text: str
    stems: tuple[str, ...]
    previous: int | None = None  # start of the sentence before it in the same paragraph


def passage_sentences(passages: tuple[Passage, ...] | list[Passage]) -> list[SourceSentence]:
    """Whole sentences of all passages, each once (overlapping chunks share sentences),
    each knowing the sentence just before it in its paragraph when a passage holds that
    one (possibly another passage: a chunk may begin between the two).

    A fragment at a passage edge, where a long sentence was cut to fit a chunk, is left
    out (:func:`bot.core.chunking.chunk_sentences`).
    """
    seen: set[tuple[int, int]] = set()
    found: list[tuple[SourceSentence, int]] = []  # with its paragraph in the article
    for rank, passage in enumerate(passages):
        for span in chunk_sentences(passage.text):
            start = passage.char_start + span.start
            if (passage.article_id, start) in seen:
                continue
            seen.add((passage.article_id, start))
            text = span.of(passage.text)
            sentence = SourceSentence(
                passage,
                rank,
                start,
                passage.char_start + span.end,
                text,
                tuple(stems(read_us_as_usa(text))),
            )
            found.append((sentence, passage.paragraph + span.paragraph - 1))
    out = []
    ordered = sorted(found, key=lambda item: (item[0].passage.article_id, item[0].start))
    before: tuple[SourceSentence, int] | None = None
    for sentence, paragraph in ordered:
        adjacent = (
            before is not None
            and before[0].passage.article_id == sentence.passage.article_id
            and before[1] == paragraph
            and 0 <= sentence.start - before[0].end <= MAX_SENTENCE_GAP
        )
        out.append(replace(sentence, previous=before[0].start if adjacent and before else None))
        before = (sentence, paragraph)
    return sorted(out, key=lambda s: (s.rank, s.start))  # best passage first


def with_marker(sentence: str, marker: int) -> str:
    """``"It was signed."`` -> ``"It was signed [1]."``; other endings get the marker after.

    Whitespace is squashed and the article's own footnote markers are removed
    (``"It cost $5 [2]."`` -> ``"It cost $5 [1]."``), so that no bracketed number in the
    answer is mistaken for a citation."""
    text = squash(strip_footnote_markers(sentence))
    if text.endswith((".", "!", "?")) and not text.endswith(("..", "...")):
        return f"{text[:-1]} [{marker}]{text[-1]}"
    return f"{text} [{marker}]"


#: Sentences that lean on the one before ("It was basically due to ..."); when one is
#: chosen, its predecessor comes too, so the answer never starts mid-thought. A definite
#: noun ("The agreement is non-binding") is how news refers to its subject, not a lean.
_ANAPHOR = re.compile(r"^\W*(it|this|these|that|those|they|he|she|such)\b", re.IGNORECASE)


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


class _Scorer:
    """How well each sentence answers the question.

    A sentence scores the question terms it holds, each weighted by how specific it is
    (:attr:`Term.weight`) and by how rare it is among the candidate sentences: every
    candidate is about the question's subject, so the names that all of them share say
    little, and the term only a few hold ("cost" in "How much will the Eastline cost?")
    is what tells the answer apart. A synonym counts at its credit; a sentence of the
    expected kind gets :data:`ANSWER_TYPE_BONUS`; long sentences are discounted, and
    sentences from better-ranked passages are preferred.
    """

    def __init__(self, retrieval: Retrieval, candidates: list[SourceSentence]) -> None:
        self.terms = retrieval.query.terms
        self.question = retrieval.query.text
        self.expects = expected_pattern(retrieval)
        self._credits: dict[int, dict[str, float]] = {}
        self._own: dict[int, bool] = {}
        # What an article's title says, every sentence of it is about: a sentence is
        # credited with the title's terms at TITLE_CREDIT, so a term that all of an
        # article's sentences share (its subject) tells none of them apart.
        self._titled: dict[int, dict[str, float]] = {}
        for s in candidates:
            article = s.passage.article_id
            if article not in self._titled:
                title = stems(read_us_as_usa(s.passage.title))
                present = frozenset(title)
                self._titled[article] = {
                    t.word: TITLE_CREDIT * c for t in self.terms if (c := t.credit(title, present))
                }
        holding = {t.word: 0.0 for t in self.terms}
        for s in candidates:
            for word, credit in self.credits(s).items():
                holding[word] += credit
        n = max(len(candidates), 1)
        self.weights = {
            t.word: (TERM_FLOOR + t.weight) * math.log(1.0 + n / (holding[t.word] + 0.5))
            for t in self.terms
        }

    def own(self, s: SourceSentence) -> bool:
        """Does ``s`` itself speak to the question: hold one of its terms (not only through
        its article's title), or, in an article whose title does, hold the kind of thing
        asked for ("The fee is reported to be 9.5 million euros" for "How much did
        Valdoria pay for Strohm?")?"""
        found = self._own.get(id(s))
        if found is None:
            present = frozenset(s.stems)
            titled = bool(self._titled.get(s.passage.article_id))
            found = any(t.credit(s.stems, present) for t in self.terms) or (
                titled
                and self.expects is not None
                and holds_new(self.expects, s.text, self.question)
            )
            self._own[id(s)] = found
        return found

    def credits(self, s: SourceSentence) -> dict[str, float]:
        """Each term's credit in ``s``: its own, or its article title's."""
        found = self._credits.get(id(s))
        if found is None:
            present = frozenset(s.stems)
            found = dict(self._titled.get(s.passage.article_id, {}))
            for t in self.terms:
                own = t.credit(s.stems, present)
                if own > found.get(t.word, 0.0):
                    found[t.word] = own
            self._credits[id(s)] = found
        return found

    def shape(self, s: SourceSentence) -> float:
        expected = self.expects is not None and holds_new(self.expects, s.text, self.question)
        bonus = ANSWER_TYPE_BONUS if expected else 1.0
        length = 1.0 + 0.015 * max(0, word_count(s.text) - 30)
        return bonus * (1.0 + RANK_BONUS / (1 + s.rank)) / length

    def relevance(self, s: SourceSentence, covered: dict[str, float] | None = None) -> float:
        """The weight of the terms ``s`` holds; a term already ``covered`` counts half."""
        covered = covered or {}
        return sum(
            self.weights[w] * c * (0.5 if covered.get(w, 0.0) >= c else 1.0)
            for w, c in self.credits(s).items()
        )

    def score(self, s: SourceSentence) -> float:
        return self.relevance(s) * self.shape(s)


def _usable(scorer: _Scorer, candidates: list[SourceSentence]) -> list[SourceSentence]:
    """The sentences that may answer: they speak to the question, state something, and
    carry no bracketed number that would read as a citation."""
    return [
        s
        for s in candidates
        if scorer.own(s) and is_statement(s.text) and not _reads_as_cited(s.text)
    ]


def _holding_the_kind(
    retrieval: Retrieval, scorer: _Scorer, usable: list[SourceSentence]
) -> list[SourceSentence] | None:
    """The usable sentences that hold the kind of thing the question asks for, or None
    when the question asks for no such kind."""
    if scorer.expects is None or retrieval.query.answer_type not in KIND_ANSWERS:
        return None
    return [s for s in usable if holds_new(scorer.expects, s.text, scorer.question)]


def answerable_in_kind(retrieval: Retrieval) -> Retrieval:
    """``retrieval``, made borderline when its question asks for a number, a date, a
    place or a person and no sentence of its passages that speaks to the question holds
    one ("When did Nielsen leave her post?" against passages about Nielsen that give no
    date). Borderline means what it means at the gate: the extractive summariser refuses,
    a model is shown the passages and decides."""
    if (
        not retrieval.answerable
        or retrieval.query.answer_type not in KIND_ANSWERS
        or expected_pattern(retrieval) is None
    ):
        return retrieval  # (cheaply: most questions ask for no such kind)
    candidates = passage_sentences(retrieval.passages)
    scorer = _Scorer(retrieval, candidates)
    # The thing asked for may sit in another sentence of a passage that speaks to the
    # question ("It was on Tuesday that Nielsen ... took part in a summit", a paragraph
    # before "The summit had ended with the signing of the memorandum"): any sentence of
    # such a passage counts, so only passages without any refuse.
    speaking = {s.passage.chunk_id for s in _usable(scorer, candidates)}
    nearby = [s for s in candidates if s.passage.chunk_id in speaking]
    holding = _holding_the_kind(retrieval, scorer, nearby)
    if holding is None or holding:
        return retrieval
    kind = _KIND_NAMES[retrieval.query.answer_type]
    verdict = replace(
        retrieval.verdict,
        decision="borderline",
        reason=f"the question asks for {kind}, and no passage that speaks to it holds one",
    )
    return replace(retrieval, verdict=verdict)


def select_sentences(
    retrieval: Retrieval, max_words: int, profile: Profile | None = None
) -> list[SourceSentence]:
    """The sentences of the extractive answer: the one that best answers first, then
    support (and the other side of the story, when the passages hold it) in reading order.
    """
    candidates = passage_sentences(retrieval.passages)
    scorer = _Scorer(retrieval, candidates)
    usable = _usable(scorer, candidates)
    if not usable:
        return []
    located = {(s.passage.article_id, s.start): s for s in candidates}
    following = {
        (s.passage.article_id, s.previous): s for s in candidates if s.previous is not None
    }
    chosen: list[SourceSentence] = []

    def fits(s: SourceSentence) -> bool:
        return all(
            not (c.passage.article_id == s.passage.article_id and c.start == s.start)
            and jaccard(s.stems, c.stems) <= 0.7
            for c in chosen
        )

    def with_context(pick: SourceSentence) -> list[SourceSentence]:
        """``pick``, after the sentences it leans on ("It was due to misuse" leans on the
        one before; that one may lean on another), and before the next one when that one
        leans on it and says what was asked."""
        group = [pick]
        while len(group) <= MAX_LEANING and _ANAPHOR.match(group[0].text):
            before = located.get((group[0].passage.article_id, group[0].previous or -1))
            if before is None or not fits(before) or before in group:
                break
            group.insert(0, before)
        after = following.get((pick.passage.article_id, pick.start))
        if (
            after is not None
            and scorer.expects is not None
            and _ANAPHOR.match(after.text)
            and scorer.expects.search(after.text)
            and fits(after)
        ):
            group.append(after)
        return group

    lead = max(usable, key=lambda s: (scorer.score(s), -s.rank, -s.start))
    # A question that asks for a number, a date, a place or a person is answered by a
    # sentence that holds one: when the best-scoring sentence does not, the best one that
    # does leads ("The fee is reported to be 9.5 million euros" for "How much did
    # Valdoria pay?", before the sentence about the signing that holds more of its words).
    holding = _holding_the_kind(retrieval, scorer, usable)
    if holding and lead not in holding:
        lead = max(holding, key=lambda s: (scorer.score(s), -s.rank, -s.start))
    # A question that asks for a number, a date, a place or a person is answered by a
    # sentence that holds one: when the best-scoring sentence does not, the best one that
    # does leads ("The fee is reported to be 9.5 million euros" for "How much did
    # Valdoria pay?", before the sentence about the signing that holds more of its words).
    if scorer.expects is not None and retrieval.query.answer_type in KIND_ANSWERS:
        holding = [s for s in usable if holds_new(scorer.expects, s.text, scorer.question)]
        if holding and lead not in holding:
            lead = max(holding, key=lambda s: (scorer.score(s), -s.rank, -s.start))
    lead_group = with_context(lead)
    # The lead's next sentence usually carries on with what it began ("The text rests on
    # three pillars." -> the pillars), so it comes too, when it is a whole statement.
    after = following.get((lead_group[-1].passage.article_id, lead_group[-1].start))
    if after is not None and is_statement(after.text) and not _reads_as_cited(after.text):
        chosen.extend(lead_group)
        if fits(after):
            lead_group.append(after)
        chosen.clear()
    chosen.extend(lead_group)
    floor = RELATIVE_FLOOR * scorer.score(lead)
    covered: dict[str, float] = {}
    for s in lead_group:
        for w, c in scorer.credits(s).items():
            covered[w] = max(covered.get(w, 0.0), c)
    words_used = sum(word_count(s.text) for s in lead_group)
    # Support is a sentence that holds a term itself and scores enough, or one that
    # carries on from a chosen sentence (which may hold no term: "The fee is reported to
    # be 9.5 million euros" after the signing).
    pool = [
        s
        for s in candidates
        if s is not lead
        and is_statement(s.text)
        and not _reads_as_cited(s.text)
        and (
            (scorer.own(s) and scorer.score(s) >= floor)
            or located.get((s.passage.article_id, s.previous or -1)) is not None
        )
    ]

    def gain(s: SourceSentence) -> tuple[float, int]:
        value = scorer.relevance(s, covered) * scorer.shape(s) if scorer.own(s) else 0.0
        same_article = sum(1 for c in chosen if c.passage.article_id == s.passage.article_id)
        value *= ARTICLE_DECAY**same_article
        before = located.get((s.passage.article_id, s.previous or -1))
        if before is not None and before in chosen:
            value = max(value, CONTINUITY * scorer.score(before))
        return value, -s.start

    while pool and words_used < max_words:
        gains = [gain(s) for s in pool]
        best = max(range(len(pool)), key=gains.__getitem__)
        if gains[best][0] <= 0:
            break  # what is left says nothing the question asks
        pick = pool.pop(best)
        if not fits(pick):
            continue
        group = with_context(pick)
        size = sum(word_count(s.text) for s in group)
        if words_used + size > max_words:
            continue
        chosen.extend(group)
        for s in group:
            for w, c in scorer.credits(s).items():
                covered[w] = max(covered.get(w, 0.0), c)
        words_used += size

    if profile is not None:
        chosen = _balanced(chosen, usable, profile, max_words, fits, with_context)
    followers = [s for s in chosen if s not in lead_group]
    first_seen: dict[int, int] = {}
    for s in followers:
        first_seen.setdefault(s.passage.article_id, len(first_seen))
    followers.sort(key=lambda s: (first_seen[s.passage.article_id], s.start))
    return lead_group + followers


def _balanced(
    chosen: list[SourceSentence],
    usable: list[SourceSentence],
    profile: Profile,
    max_words: int,
    fits: Callable[[SourceSentence], bool],
    with_context: Callable[[SourceSentence], list[SourceSentence]],
) -> list[SourceSentence]:
    """When the usable sentences hold a side of the story that the chosen ones lack, add
    that side's best sentence (the budget may run over by that one sentence)."""
    result = list(chosen)
    for side in profile.sides:
        if any(side.marks(s.text) for s in result):
            continue
        voice = next((s for s in usable if side.marks(s.text) and fits(s)), None)
        if voice is not None and sum(word_count(s.text) for s in result) < max_words * 1.5:
            result.extend(g for g in with_context(voice) if g not in result)
    return result


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


def extractive_answer(
    retrieval: Retrieval, max_words: int, profile: Profile | None = None
) -> tuple[str, tuple[Citation, ...]]:
    """The answer text and its citations, or the refusal and no citations."""
    sentences = select_sentences(retrieval, max_words, profile) if retrieval.answerable else []
    if not sentences:
        return NOT_IN_SOURCES, ()
    return cite(sentences)
