"""The relevance gate: does any passage answer the question?

It refuses on evidence, not on vocabulary. For each retrieved passage (its article's title
counts as part of it) the gate asks two things:

* **Names meet.** Every anchor of the question (a name, a number) is in the passage. A
  passage about Guatemala does not answer a question about Honduras, and names the
  question ties together ("aid to Honduras") must be found together. So must the person
  or group a "who" question asks about ("the *mayor* of Harlow Bay"), by its word or a
  kind of it: a merely related word ("designed" for an architect) does not name it.
* **The rest is covered.** The weighted share of the question's other terms found in the
  passage, where a term weighs what its absence says (:attr:`Term.weight`: rare words and
  nouns most, everyday verbs and adverbs little). The names themselves count as
  ``ANCHOR_PRIOR`` of covered weight, so a question that is all names and everyday words
  ("What did Nielsen call it?") is answered by a passage with the names, while one that
  asks a real question about them ("the population of El Salvador") needs that too.

The verdict is one of three:

* ``answer``: some passage reaches ``min_coverage`` (less for long questions: see
  :func:`threshold`);
* ``borderline``: none does, but every name and rare term of the question is somewhere
  in the corpus. The extractive summariser refuses; an LLM is shown the best passages and
  decides (its NOT_IN_SOURCES refuses);
* ``refuse``: a name or a rare term of the question is nowhere in the corpus, or nothing
  was found at all. Refused before any model is asked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.core.datelines import DATELINE
from bot.core.formats import is_file_name
from bot.core.lexicon import respellings
from bot.core.query import Query
from bot.core.roles import holders_of, role_terms, spellings
from bot.core.terms import Term, read_us_as_usa
from bot.core.words import capitalised_words, content_words, stem, stems
from storage.articles import Passage

Decision = Literal["answer", "borderline", "refuse"]

#: How much "every name of the question is here" counts, against the weights of the
#: other terms (a noun of everyday frequency weighs about 0.4, a rare one 1.0).
ANCHOR_PRIOR = 0.5
#: A term at least this specific, absent from the whole corpus, refuses the question
#: before any model sees it (as a missing name does).
RARE_TERM = 0.95
#: Terms (names aside) beyond which a question is long: see threshold().
LONG_QUESTION = 4
#: Passages below this share of ``min_coverage`` do not feed the answer.
POOL_SHARE = 0.75
#: Reciprocal rank fusion's constant (Cormack et al.'s 60), here and in retrieval.
RRF_K = 60


@dataclass(frozen=True)
class TermReport:
    """One question term as the verdict saw it."""

    word: str
    weight: float
    anchor: bool
    in_corpus: bool
    found: float  # credit in the best passage: 1 the word, less a synonym, 0 absent
    corrected_from: str | None = None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "term": self.word,
            "weight": round(self.weight, 3),
            "anchor": self.anchor,
            "in_corpus": self.in_corpus,
            "found": round(self.found, 2),
        }
        if self.corrected_from:
            data["typed"] = self.corrected_from
        return data


@dataclass(frozen=True)
class PassageEvidence:
    passage: Passage
    coverage: float
    credits: dict[str, float]
    missing_anchors: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Every name (and every required term) is here."""
        return not self.missing_anchors


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    reason: str
    coverage: float
    threshold: float
    terms: tuple[TermReport, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "decision": self.decision,
            "reason": self.reason,
            "coverage": round(self.coverage, 3),
            "threshold": self.threshold,
            "terms": [t.as_dict() for t in self.terms],
        }


def passage_evidence(query: Query, passage: Passage) -> PassageEvidence:
    title = stems(read_us_as_usa(passage.title))
    body = stems(read_us_as_usa(passage.text))
    text = [*title, "\x00", *body]  # no phrase match across title and text
    present = frozenset(text)
    credits = {t.word: t.credit_in(passage.text, text, present) for t in query.terms}
    if passage.source:
        # The outlet an article comes from names it as its title does: "What does the
        # Millbeck Courier say ...?" asks of the Courier's article. Its names only: the
        # "review" of a question is not the "Highland Harvest Review".
        outlet = stems(passage.source)
        for t in query.terms:
            if t.anchor and not credits[t.word]:
                credits[t.word] = t.credit(outlet, frozenset(outlet))
    return _evidence(query, passage, credits)


def _evidence(query: Query, passage: Passage, credits: dict[str, float]) -> PassageEvidence:
    missing = [t.word for t in query.terms if _missing(t, credits[t.word], query.answer_type)]
    for group in query.alternatives:  # one of "Harwick or Ashford" is enough
        if any(credits[w] for w in group):
            missing = [w for w in missing if w not in group]
    return PassageEvidence(passage, coverage(query.terms, credits, query.alternatives), credits,
                           tuple(missing))  # fmt: skip


def with_role_holders(query: Query, evidence: Sequence[PassageEvidence]) -> list[PassageEvidence]:
    """``evidence``, where a passage names by surname someone its article names beside a
    role the question asks about (:mod:`bot.core.roles`), with that role found in it:
    "Quintanar said the group was not opposed ..." speaks of the coalition's
    spokeswoman when another passage of its article says "Marisol Quintanar, the
    coalition's spokesperson"."""
    found = list(evidence)
    for term in role_terms(query):
        holders: dict[int, set[str]] = {}
        for e in found:
            if e.credits.get(term.word, 0.0) >= 1.0:
                named = holders_of(term, e.passage.text, stems(e.passage.text))
                holders.setdefault(e.passage.article_id, set()).update(named)
        respelt = {article: spellings(names) for article, names in holders.items()}
        for i, e in enumerate(found):
            surnames = respelt.get(e.passage.article_id)
            if not surnames or e.credits.get(term.word, 0.0) >= 1.0:
                continue
            if not surnames.isdisjoint(capitalised_words(e.passage.text)):
                found[i] = _found(query, e, term.word)
    return found


def with_the_outlets_named(
    query: Query, evidence: Sequence[PassageEvidence]
) -> list[PassageEvidence]:
    """``evidence``, where the question names an article's outlet by a word that no
    passage says as such ("acc to the *courier* how many dogs got sick", "did the *echo*
    say"; a synonym is not the word: "echo" is no "repeat"), with that word found in every
    passage of the outlet's articles: the question asks *which* story says it so. A word
    some passage uses is not the outlet: "the committee's *review*" is no "Highland
    Harvest Review". (A name, an anchor, is found in the outlet's name by
    :func:`passage_evidence`.)"""
    unsaid = [
        t
        for t in query.terms
        if not t.anchor and not any(e.credits.get(t.word, 0.0) >= 1.0 for e in evidence)
    ]
    if not unsaid:
        return list(evidence)
    found = list(evidence)
    for i, e in enumerate(found):
        source = e.passage.source
        if not source or is_file_name(source):
            continue
        outlet = frozenset(stems(source))
        for term in unsaid:
            if stem(term.word) in outlet:
                e = found[i] = _found(query, e, term.word)
    return found


#: The days of the week: when a story happened, which news says once, in its lead. (Not
#: months: "the February floods" are an event of their own, which a story dated in
#: February need not be about.)
_CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


def with_the_story_s_days(
    query: Query, evidence: Sequence[PassageEvidence]
) -> list[PassageEvidence]:
    """``evidence``, where a passage lacks a day of the week the question names ("was the
    show at the playhouse still on *Saturday* night?") that the passage opening its
    article gives, with it found: news says when its story happened once, in the lead
    ("lost power on Saturday evening"), and tells the rest of it ("The Playhouse
    cancelled its evening performance") without saying the day again. A day given
    later is the day of what that passage tells ("lawmakers will debate the pact on
    Friday"), not of the rest."""
    days = [t for t in query.terms if t.anchor and t.word in _CALENDAR]
    if not days:
        return list(evidence)
    found = list(evidence)
    for term in days:
        dated = {
            e.passage.article_id
            for e in found
            if e.passage.char_start == 0 and e.credits.get(term.word, 0.0) >= 1.0
        }
        _found_across(query, found, term.word, dated)
    return found


def with_the_story_s_dateline(
    query: Query, evidence: Sequence[PassageEvidence]
) -> list[PassageEvidence]:
    """``evidence``, where a passage lacks a name the question gives that its article's
    dateline gives ("VARESK, Dec 1 (Tarvanian News Agency) - Tarvania defended ..."),
    with it found: the whole story is filed from there, as a story's title is about all of
    it, and a question may name the place for those who speak there ("How much does
    *Varesk* claim importers owe?", answered three paragraphs below the dateline)."""
    names = [t for t in query.terms if t.anchor]
    if not names:
        return list(evidence)
    filed: dict[int, frozenset[str]] = {}
    for e in evidence:
        if e.passage.char_start == 0:
            place = dateline_place(e.passage.text)
            if place:
                filed[e.passage.article_id] = place
    if not filed:
        return list(evidence)
    found = list(evidence)
    for term in names:
        there = {article for article, place in filed.items() if stem(term.word) in place}
        _found_across(query, found, term.word, there)
    return found


def _found_across(
    query: Query, found: list[PassageEvidence], word: str, articles: set[int]
) -> None:
    """In place: the question's term ``word`` found in every passage of ``found`` from
    ``articles`` (the stories that say it once for all of them) that lacks it."""
    for i, e in enumerate(found):
        if e.passage.article_id in articles and not e.credits.get(word, 0.0):
            found[i] = _found(query, e, word)


def dateline_place(text: str) -> frozenset[str]:
    """The stems of the place a passage's dateline gives, in one of its first lines
    (before the comma, the agency or the dash: "VARESK" of "VARESK, Dec 1 (TNA) - ");
    empty without one."""
    for line in text.splitlines()[:DATELINE_LINES]:
        found = DATELINE.match(line.strip())
        if found is not None:
            # (a hyphen inside the place is its own: "WINSTON-SALEM, N.C. (AP) - ")
            head = re.split(r",|\(|\s[-–—]", found.group(0), maxsplit=1)[0]
            return frozenset(stems(head.lower()))
    return frozenset()


#: The lines of an article's opening passage where a dateline may be: after its title and
#: a section's label.
DATELINE_LINES = 4


def _found(query: Query, evidence: PassageEvidence, word: str) -> PassageEvidence:
    """``evidence`` with the question's term ``word`` found in its passage."""
    return _evidence(query, evidence.passage, {**evidence.credits, word: 1.0})


def spelled_otherwise(query: Query, evidence: Sequence[PassageEvidence]) -> Query:
    """``query`` with the other spellings its names have in the sources counted as them.

    News misspells names, and often within one article: the seed names "Kirstjen
    Nielsen" twice and, in the one sentence that says how she described the memorandum,
    "Nielson". A capitalised word that may be another spelling of a name of the
    question (:func:`~bot.core.lexicon.respellings`), in a passage of an article that
    spells the name as asked elsewhere, is that name."""
    for i, term in enumerate(query.terms):
        word = term.word
        if not term.anchor or not (near := respellings(word)):
            continue
        naming = {e.passage.article_id for e in evidence if e.credits.get(word, 0.0) >= 1.0}
        found: set[str] = set()
        for e in evidence:
            if e.passage.article_id not in naming or e.credits.get(word, 0.0):
                continue
            found.update(w for w in capitalised_words(e.passage.text) if w in near)
        if found:
            query = query.with_term(i, term.spelled(found))
    return query


def _missing(term: Term, credit: float, answer_type: str) -> bool:
    """A name absent, or a required term: the person or group a "who" question asks for
    must be named, by its word or a kind of it ("the spokeswoman" for "which
    spokesperson"), as a merely related word ("designed") names no architect; a speaker
    ("What do *critics* say?") may be described in other words ("activists")."""
    if term.required and answer_type == "who":
        return credit < 1.0
    return (term.anchor or term.required) and not credit


def coverage(
    terms: Sequence[Term],
    credits: dict[str, float],
    alternatives: Sequence[frozenset[str]] = (),
) -> float:
    """The covered share of the question's weight (see the module docstring). Of names
    set side by side (``alternatives``: "Harwick or Ashford"), one is enough."""
    anchors = [t for t in terms if t.anchor]
    rest = [t for t in terms if not t.anchor]
    present = {t.word for t in anchors if credits[t.word]}
    for group in alternatives:
        if group & present:
            present |= group
    prior = ANCHOR_PRIOR if anchors and all(t.word in present for t in anchors) else 0.0
    total = (ANCHOR_PRIOR if anchors else 0.0) + sum(t.weight for t in rest)
    if total <= 0:
        return 0.0
    return (prior + sum(t.weight * credits[t.word] for t in rest)) / total


def threshold(query: Query, min_coverage: float) -> float:
    """The share of ``query``'s weight a passage must cover: ``min_coverage``, lowered
    for a question of more than ``LONG_QUESTION`` terms (names aside) so that what it
    asks of a passage stays what a question of that many terms would. A long, formal
    question ("Could you specify which units the Jeep J8 vehicles supplied by the United
    States were intended for?") carries words that only phrase it, and each is a chance
    to be worded differently from the article."""
    terms = sum(1 for t in query.terms if not t.anchor)
    return min_coverage * min(1.0, LONG_QUESTION / max(terms, 1))


def judge(
    query: Query,
    evidence: Sequence[PassageEvidence],
    df: dict[str, int],
    min_coverage: float,
) -> Verdict:
    """The gate's decision over all retrieved passages (see the module docstring)."""
    min_coverage = threshold(query, min_coverage)
    complete = [e for e in evidence if e.complete]
    best = max(complete or evidence, key=lambda e: e.coverage, default=None)
    reports = tuple(
        TermReport(
            t.word,
            t.weight,
            t.anchor,
            _in_corpus(t, df),
            best.credits.get(t.word, 0.0) if best is not None else 0.0,
            t.corrected_from,
        )
        for t in query.terms
    )
    score = best.coverage if best is not None else 0.0
    if any(e.coverage >= min_coverage for e in complete):
        return Verdict("answer", "covered", score, min_coverage, reports)
    rare = {t.word for t in query.terms if t.rarity >= RARE_TERM}
    # (a word of no article's text may be in a passage's title or outlet)
    found = {w for e in evidence for w, c in e.credits.items() if c}
    absent = [
        r
        for r in reports
        if not r.in_corpus and r.word not in found and (r.anchor or r.word in rare)
    ]
    if absent:
        reason = "names or rare terms the sources never use: " + ", ".join(r.word for r in absent)
        return Verdict("refuse", reason, score, min_coverage, reports)
    if best is None:
        return Verdict("refuse", "no passage shares a term with the question", 0.0,
                       min_coverage, reports)  # fmt: skip
    if not complete:
        reason = "the names of the question never meet in one passage"
    else:
        reason = "no passage covers enough of the question"
    return Verdict("borderline", reason, score, min_coverage, reports)


def _in_corpus(term: Term, df: dict[str, int]) -> bool:
    return any(df.get(w, 0) for w in term.search) or any(
        all(df.get(w, 0) for w in phrase) for phrase in term.search_phrases
    )


def overview_article(query: Query, passages: Sequence[Passage]) -> int | None:
    """The article an overview of ``query``'s topic is taken from: among the articles of
    ``passages`` (best first), the one whose title covers the topic best, the first on a
    tie. A headline says what a story is about: "give me an overview of the border security
    memorandum" is best begun by "Explainer: What the Northern Triangle Border Security
    Memorandum Covers", not by the story that ranks first on the topic's words but is
    about its critics."""
    best: tuple[float, float, int] | None = None
    for passage in passages:
        title = stems(read_us_as_usa(passage.title))
        present = frozenset(title)
        credits = {t.word: t.credit(title, present) for t in query.terms}
        score = coverage(query.terms, credits, query.alternatives)
        # Of two headlines that cover the topic alike, the one that is more about it
        # (the topic's share of its words) is the story of it.
        focus = sum(credits.values()) / max(len(content_words(passage.title)), 1)
        if best is None or (score, focus) > best[:2]:
            best = (score, focus, passage.article_id)
    return None if best is None else best[2]


def admitted(evidence: Sequence[PassageEvidence], min_coverage: float) -> list[Passage]:
    """The passages an answer is written from: complete ones that cover the question
    nearly as well as needed, from articles where some passage covers it fully. They are
    ranked by the search and by their coverage together: the search ranks by bm25 over the
    question's words, while coverage knows their families, synonyms, names of a kind and
    amounts, so the passage that covers the question best is not left sixth."""
    articles = {e.passage.article_id for e in evidence if e.complete and e.coverage >= min_coverage}
    floor = POOL_SHARE * min_coverage
    kept = [
        e
        for e in evidence
        if e.passage.article_id in articles and e.complete and e.coverage >= floor
    ]
    # The search's order and the coverage's order, fused by reciprocal rank; the sort is
    # stable, so the search's order breaks ties.
    order = range(len(kept))
    scores = reciprocal_rank([order, sorted(order, key=lambda i: -kept[i].coverage)])
    return [kept[i].passage for i in sorted(order, key=lambda i: -scores[i])]


def reciprocal_rank(rankings: Iterable[Sequence[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion's scores: the sum of 1 / (k + rank) over the rankings an
    item appears in (ranks from 1)."""
    scores: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] += 1.0 / (k + rank)
    return scores
