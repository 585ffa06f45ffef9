"""Hybrid retrieval and the relevance gate.

1. The question is analysed into *terms*: its content words, each with synonyms from the
   thesaurus (``thesaurus.txt``), so "pact" also looks for "agreement" and "memorandum".
2. Lexical search runs in the database (FTS5 bm25 or PostgreSQL tsvector), always. When an
   embedding model is configured, a dense search runs too, and the two rankings are fused
   by reciprocal rank fusion.
3. The relevance gate decides, per article, whether it really covers the question:
   * the IDF-weighted share of the question's terms found in the article's retrieved
     passages must reach ``min_coverage``; a term that is rare in the corpus (or absent
     from it) weighs most, so sharing one common word is never enough;
   * every *anchor* (a capitalised name or a number in the question, e.g. "France",
     "2018") must be found, because a passage about something else that shares the other
     words is not an answer; and a question's anchors must all be found in one passage
     (the title counts for every passage), so names the question ties together must
     meet in the article, not just appear in it;
   * the article may lack no term of a question of one or two terms, one of a question
     of three, two of a longer one, a quarter of a very long one: an article that lacks
     "conclude", "final" and "report" does not answer "what did the mission conclude in
     its final report?";
   * with embeddings on, a passage whose cosine similarity reaches
     ``min_dense_similarity`` admits its article too, provided no anchor is missing.
   Articles that fail are dropped. If none pass, the question is out of scope.
4. Results are made diverse: each further passage from an article already chosen counts
   for less, so one long article cannot crowd out the others. And they are balanced: when
   the admitted passages include both the agreement's proponents and its critics, the
   chosen ones include both.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.core.text import (
    STOPWORDS,
    content_words,
    is_abbreviation,
    sentence_spans,
    stem,
    stems,
    words,
)
from storage.articles import Passage, passages
from storage.search import LexicalQuery, LexicalSearch

if TYPE_CHECKING:
    from bot.core.embeddings import Embedder

RRF_K = 60
#: See within_budget(): in corpora of at least PRUNE_FROM_CHUNKS chunks, a search reads at
#: most about POSTING_BUDGET of the corpus.
POSTING_BUDGET = 0.1
PRUNE_FROM_CHUNKS = 2000
#: How much a synonym counts, against the question's own word, when measuring coverage:
#: most when no article uses the question's word ("pact"), less when some do ("memorandum"
#: is in the corpus, so an article that only says "agreement" may be about another one).
SYNONYM_CREDIT = 0.8
SYNONYM_CREDIT_WHEN_WORD_IS_KNOWN = 0.4
DIVERSITY_DECAY = 0.6


# --------------------------------------------------------------------------- thesaurus


@dataclass(frozen=True)
class Synonyms:
    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def _thesaurus() -> dict[str, tuple[tuple[str, ...], ...]]:
    """stem -> the groups (as tuples of folded members) that contain it."""
    raw = resources.files("bot.core").joinpath("thesaurus.txt").read_text(encoding="utf-8")
    index: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        group = tuple(" ".join(words(m)) for m in line.split(",") if words(m))
        for member in group:
            parts = member.split()
            if len(parts) == 1:
                index[stem(parts[0])].append(group)
    return {k: tuple(v) for k, v in index.items()}


def synonyms(word: str) -> Synonyms:
    """Single words and phrases that mean what ``word`` means (never ``word`` itself)."""
    own = stem(word)
    single: list[str] = []
    multi: list[tuple[str, ...]] = []
    for group in _thesaurus().get(own, ()):
        for member in group:
            parts = tuple(member.split())
            if len(parts) == 1:
                if stem(parts[0]) != own and parts[0] not in single:
                    single.append(parts[0])
            elif parts not in multi:
                multi.append(parts)
    return Synonyms(tuple(single), tuple(multi))


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class Term:
    """One content word of the question and the ways a passage may express it."""

    word: str
    anchor: bool
    alt_words: tuple[str, ...] = ()
    alt_phrases: tuple[tuple[str, ...], ...] = ()

    @property
    def stems(self) -> frozenset[str]:
        return frozenset([stem(self.word), *(stem(w) for w in self.alt_words)])

    @property
    def phrase_stems(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(stem(w) for w in p) for p in self.alt_phrases)

    def found_in(self, text_stems: Sequence[str], stem_set: frozenset[str]) -> bool:
        return self.credit(text_stems, stem_set) > 0

    def credit(
        self, text_stems: Sequence[str], stem_set: frozenset[str], synonym: float = 1.0
    ) -> float:
        """1 if the text has the question's own word, ``synonym`` if only a synonym, else 0."""
        if stem(self.word) in stem_set:
            return 1.0
        if self.stems & stem_set:
            return synonym
        for phrase in self.phrase_stems:
            n = len(phrase)
            if phrase[0] in stem_set and any(
                tuple(text_stems[i : i + n]) == phrase for i in range(len(text_stems) - n + 1)
            ):
                return synonym
        return 0.0


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...]

    def lexical(self) -> LexicalQuery:
        """The words and phrases to search for."""
        seen: list[str] = []
        phrases: list[tuple[str, ...]] = []
        for term in self.terms:
            for w in (term.word, *term.alt_words):
                if w not in seen:
                    seen.append(w)
            for p in term.alt_phrases:
                if p not in phrases:
                    phrases.append(p)
        return LexicalQuery(tuple(seen), tuple(phrases))

    def vocabulary(self) -> list[str]:
        """Every word whose document frequency the weights (or the search budget) need."""
        words = {w for t in self.terms for w in (t.word, *t.alt_words)}
        words |= {w for t in self.terms for p in t.alt_phrases for w in p}
        return sorted(words)


_US = re.compile(r"(?<![\w.$])(?:U\.S\.(?![\w$])|US\b(?!\$))")


def read_us_as_usa(text: str) -> str:
    """``text`` with the country "US" / "U.S." written "USA" (not "us", not "US$").

    As a word, "us" is a stop word; the country must count. Questions, the passages the
    gate reads and the sentences answers and quotes are chosen from all go through this,
    so "USA" in a question (whose synonyms are "United States", "America", ...) finds "US"
    in an article.
    """
    return _US.sub("USA", text) if "U" in text else text


def _question_words(question: str) -> tuple[set[str], set[str]]:
    """The anchors of a question, and its titles.

    Anchors are capitalised words not at the start of a sentence, acronyms, and numbers.
    Sentences are found as in articles, so the period of "Dr." does not make "Smith" the
    start of one. Titles and initials before their period ("Dr.", "J.") are neither
    anchors nor terms: an article may say "Smith" or "Doctor Smith".
    """
    anchors: set[str] = set()
    titles: set[str] = set()
    for sentence in sentence_spans(question):
        first = True
        for token in sentence.of(question).split():
            bare = token.strip("\"'“”‘’()[],:;?!.…")
            if not bare:
                continue
            if token.rstrip("\"'”’)]").endswith(".") and is_abbreviation(bare):
                titles.update(words(bare))
                first = False
                continue
            for w in words(bare):
                if w in STOPWORDS:
                    continue
                if (
                    any(ch.isdigit() for ch in w)
                    or (not first and bare[:1].isupper())
                    or (len(bare) > 1 and bare.isupper())
                ):
                    anchors.add(w)
            first = False
    return anchors, titles


def analyse(question: str) -> Query:
    """Turn a question into weighted-later terms with synonyms and anchors.

    The country "US" is read as "USA" (:func:`read_us_as_usa`); ``Query.text`` keeps the
    question as asked.
    """
    read = read_us_as_usa(question)
    anchors, titles = _question_words(read)
    terms = []
    for word in content_words(read):
        if word in titles:
            continue
        syn = synonyms(word)
        terms.append(Term(word, word in anchors, syn.words, syn.phrases))
    return Query(question, tuple(terms))


# --------------------------------------------------------------------------- passages


@dataclass(frozen=True)
class ArticleCoverage:
    article_id: int
    title: str
    coverage: float
    missing: tuple[str, ...]
    missing_anchors: tuple[str, ...]
    dense: float | None
    admitted: bool


@dataclass(frozen=True)
class Retrieval:
    """What retrieval found, and whether it is enough to answer."""

    query: Query
    passages: tuple[Passage, ...]
    articles: tuple[ArticleCoverage, ...] = field(default=())
    weights: dict[str, float] = field(default_factory=dict)

    @property
    def answerable(self) -> bool:
        return bool(self.passages)


def idf(df: int, n: int) -> float:
    """BM25's idf: near zero for a word in every chunk, largest for one in none."""
    return math.log((n - df + 0.5) / (df + 0.5) + 1.0)


def term_weights(query: Query, df: dict[str, int], n: int) -> dict[str, float]:
    """A term is as informative as its most common spelling (word or synonym)."""
    out: dict[str, float] = {}
    for term in query.terms:
        group_df = max(df.get(w, 0) for w in (term.word, *term.alt_words))
        out[term.word] = idf(group_df, max(n, 1))
    return out


def within_budget(query: LexicalQuery, df: dict[str, int], n: int) -> LexicalQuery:
    """The part of ``query`` worth asking the database for, in a large corpus.

    The database scores every chunk that contains any word of the query, and a common word
    adds almost nothing to a bm25 score. So in corpora of ``PRUNE_FROM_CHUNKS`` chunks or
    more, words (and synonym phrases) are taken rarest first while the chunks they occur in
    add up to at most ``POSTING_BUDGET`` of the corpus; the rest are left out of the search
    (the rarest is always kept). Every term still counts when the gate measures coverage.
    """
    if n < PRUNE_FROM_CHUNKS:
        return query
    items: list[tuple[int, str | tuple[str, ...]]] = [(df.get(w, 0), w) for w in query.words]
    items += [(min(df.get(w, 0) for w in p), p) for p in query.phrases]
    items.sort(key=lambda item: (item[0], str(item[1])))
    budget, used = POSTING_BUDGET * n, 0
    kept: list[str | tuple[str, ...]] = []
    for cost, item in items:
        if kept and used + cost > budget:
            continue
        kept.append(item)
        used += cost
    return LexicalQuery(
        tuple(k for k in kept if isinstance(k, str)),
        tuple(k for k in kept if isinstance(k, tuple)),
    )


def _anchors_apart(
    query: Query, title_stems: list[str], passage_stems: list[list[str]]
) -> tuple[str, ...]:
    """The anchors that no single passage holds together with the others (the title counts
    for every passage); empty when one passage has them all.

    "Why did the Defense Department suspend aid to Honduras?" is not answered by an
    article that tells of aid to Guatemala being suspended in one place and mentions
    Honduras in another: the names a question ties together must meet in one passage.
    """
    anchors = [t for t in query.terms if t.anchor]
    if len(anchors) < 2:
        return ()
    best: tuple[str, ...] | None = None
    for one in passage_stems:
        text = [*title_stems, "\x00", *one]
        present = frozenset(text)
        lacking = tuple(t.word for t in anchors if not t.found_in(text, present))
        if not lacking:
            return ()
        if best is None or len(lacking) < len(best):
            best = lacking
    return best or ()


def allowed_missing(term_count: int) -> int:
    """How many of a question's terms an article may lack and still answer it.

    None of a question of one or two terms: lacking one of two is lacking half the
    question ("What does Valdoria think about migration?" is not answered by an article
    that names Valdoria and never mentions migration, however rare "Valdoria" is).
    """
    if term_count <= 2:
        return 0
    if term_count == 3:
        return 1
    return max(2, term_count // 4)


def fuse(rankings: Iterable[Sequence[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: sum of 1 / (k + rank) over the rankings an id appears in."""
    scores: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            scores[chunk_id] += 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def diversify(ranked: Sequence[Passage], limit: int) -> list[Passage]:
    """Greedy selection where each extra passage from the same article counts for less."""
    remaining = list(ranked)
    base = {p.chunk_id: 1.0 / (i + 1) for i, p in enumerate(ranked)}
    chosen: list[Passage] = []
    per_article: dict[int, int] = defaultdict(int)
    while remaining and len(chosen) < limit:
        best = max(
            remaining,
            key=lambda p: base[p.chunk_id] * DIVERSITY_DECAY ** per_article[p.article_id],
        )
        remaining.remove(best)
        chosen.append(best)
        per_article[best.article_id] += 1
    return chosen


# Words that mark a passage as carrying one side of the story. Used only to make sure that
# when the admitted passages hold both sides, the chosen ones do too.
STANCES = {
    "critics": re.compile(
        r"\b(activists?|critic(s|al of|ism|ised|ized)|rights (groups?|organi[sz]ations?|coalition)|"
        r"condemn\w*|questioned|oppos\w+|warn\w*|concerns?)\b",
        re.IGNORECASE,
    ),
    "proponents": re.compile(
        r"\b(officials?|homeland security|dhs|secretary|historic|welcom\w+|prais\w+|hail\w*|"
        r"supporters?|proponents?|backers?)\b",
        re.IGNORECASE,
    ),
}


def stances(text: str) -> set[str]:
    return {name for name, cue in STANCES.items() if cue.search(text)}


def balance(chosen: list[Passage], pool: Sequence[Passage], limit: int) -> list[Passage]:
    """If the pool holds both sides of the story and ``chosen`` lacks one, bring in the
    best passage for the missing side (in place of the last passage that is not the only
    voice of the other side)."""
    result = list(chosen)
    for side in STANCES:
        if any(side in stances(p.text) for p in result):
            continue
        extra = next((p for p in pool if side in stances(p.text) and p not in result), None)
        if extra is None:
            continue
        if len(result) >= limit:
            for i in range(len(result) - 1, -1, -1):
                others = [p for j, p in enumerate(result) if j != i]
                if all(any(s in stances(p.text) for p in others) for s in stances(result[i].text)):
                    del result[i]
                    break
            else:
                continue
        result.append(extra)
    return result


@dataclass
class Retriever:
    """Retrieval over one database. ``embedder`` is optional (dense search off without)."""

    search: LexicalSearch
    top_k: int = 6
    min_coverage: float = 0.5
    embedder: Embedder | None = None
    min_dense_similarity: float = 0.55
    candidates_per_k: int = 5

    def retrieve(self, session: Session, question: str) -> Retrieval:
        query = analyse(question)
        limit = self.top_k * self.candidates_per_k
        n, df = self.search.term_stats(session, query.vocabulary())
        searched = within_budget(query.lexical(), df, n)
        lexical = [cid for cid, _ in self.search.search(session, searched, limit)]
        dense_scores: dict[int, float] = {}
        if self.embedder is not None:
            dense_hits = self.embedder.search(session, question, limit)
            dense_scores = dict(dense_hits)
            fused = fuse([lexical, [cid for cid, _ in dense_hits]])
        else:
            fused = [(cid, 1.0 / (RRF_K + r)) for r, cid in enumerate(lexical, start=1)]
        loaded = passages(session=session, chunk_ids=[cid for cid, _ in fused[:limit]])
        ranked = [
            replace(loaded[cid], score=score) for cid, score in fused[:limit] if cid in loaded
        ]
        if not ranked:
            return Retrieval(query, ())

        weights = term_weights(query, df, n)
        synonym_credit = {
            t.word: SYNONYM_CREDIT_WHEN_WORD_IS_KNOWN if df.get(t.word, 0) else SYNONYM_CREDIT
            for t in query.terms
        }
        verdicts = self._gate(query, ranked, weights, synonym_credit, dense_scores)
        admitted = {v.article_id for v in verdicts if v.admitted}
        pool = [p for p in ranked if p.article_id in admitted]
        chosen = balance(diversify(pool, self.top_k), pool, self.top_k)
        return Retrieval(query, tuple(chosen), tuple(verdicts), weights)

    def _gate(
        self,
        query: Query,
        ranked: Sequence[Passage],
        weights: dict[str, float],
        synonym_credit: dict[str, float],
        dense_scores: dict[int, float],
    ) -> list[ArticleCoverage]:
        by_article: dict[int, list[Passage]] = defaultdict(list)
        for p in ranked:
            by_article[p.article_id].append(p)
        total = sum(weights.values())
        verdicts = []
        for article_id, found_passages in by_article.items():
            # The title says what the article is about, so its words count too.
            title_stems = stems(read_us_as_usa(found_passages[0].title))
            passage_stems = [stems(read_us_as_usa(p.text)) for p in found_passages]
            article_stems: list[str] = [*title_stems, "\x00"]
            for one in passage_stems:
                article_stems.extend(one)
                article_stems.append("\x00")  # no phrase match across passages
            stem_set = frozenset(article_stems)
            credits = {
                t.word: t.credit(article_stems, stem_set, synonym_credit[t.word])
                for t in query.terms
            }
            found = {w for w, c in credits.items() if c > 0}
            coverage = (
                sum(weights[w] * c for w, c in credits.items()) / total
                if total > 0
                else (1.0 if found else 0.0)
            )
            missing = tuple(t.word for t in query.terms if t.word not in found)
            missing_anchors = tuple(t.word for t in query.terms if t.anchor and t.word not in found)
            if not missing_anchors:
                missing_anchors = _anchors_apart(query, title_stems, passage_stems)
            dense = max((dense_scores.get(p.chunk_id, -1.0) for p in found_passages), default=None)
            lexical_ok = (
                bool(query.terms)
                and coverage >= self.min_coverage
                and not missing_anchors
                and len(missing) <= allowed_missing(len(query.terms))
            )
            dense_ok = (
                self.embedder is not None
                and dense is not None
                and dense >= self.min_dense_similarity
                and not missing_anchors
            )
            verdicts.append(
                ArticleCoverage(
                    article_id,
                    found_passages[0].title,
                    round(coverage, 3),
                    missing,
                    missing_anchors,
                    dense if self.embedder is not None else None,
                    lexical_ok or dense_ok,
                )
            )
        return verdicts
