"""Retrieval: search, fusion, the gate's verdict, and a diverse, balanced choice of
passages.

1. The question is analysed (:mod:`bot.core.query`); a word that neither English nor the
   corpus knows is read as the corpus word one typo away, if there is one ("memorandom").
2. Lexical search runs in the database (FTS5 bm25 or PostgreSQL tsvector) for the terms,
   their families and synonyms. With an embedding model, a dense search runs too and the
   two rankings are fused by reciprocal rank fusion.
3. The gate (:mod:`bot.core.gate`) reads every retrieved passage and decides: answer,
   borderline (only an LLM may answer) or refuse.
4. The passages an answer is written from are made diverse (each further passage from an
   article already chosen counts for less) and balanced: when the admitted passages hold
   more than one side of the story (the profile's sides), the chosen ones do too.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.core import frequency
from bot.core.gate import (
    RARE_TERM,
    RRF_K,
    PassageEvidence,
    Verdict,
    admitted,
    judge,
    overview_article,
    passage_evidence,
    reciprocal_rank,
    spelled_otherwise,
    threshold,
    with_role_holders,
    with_the_outlets_named,
    with_the_story_s_dateline,
    with_the_story_s_days,
)
from bot.core.lexicon import (
    MIN_CORRECTABLE,
    RARE_ZIPF,
    Lexicon,
    edits1,
    respellings,
)
from bot.core.phrasing import as_the_source_s, source_s_maker
from bot.core.profile import Profile
from bot.core.query import Query, analyse
from bot.core.shortforms import expansions, looks_short
from bot.core.terms import SYNONYM_CREDIT, Term, make_term
from bot.core.wordnet import wordnet
from bot.core.words import capitalised_words, stem, words
from storage.articles import Passage, article_passages, opening_passage, passages
from storage.search import LexicalQuery, LexicalSearch

if TYPE_CHECKING:
    from bot.core.embeddings import Embedder

#: See within_budget(): in corpora of at least PRUNE_FROM_CHUNKS chunks, a search reads at
#: most about POSTING_BUDGET of the corpus, and at most MAX_POSTINGS chunks.
POSTING_BUDGET = 0.1
MAX_POSTINGS = 2_000
PRUNE_FROM_CHUNKS = 2000
DIVERSITY_DECAY = 0.6
#: Passages at most this many characters apart adjoin (a space or a paragraph break).
ADJOINING = 3


@dataclass(frozen=True)
class Retrieval:
    """What retrieval found, and whether it is enough to answer.

    ``passages`` are what an answer is written from: the admitted ones, or for a
    borderline question the best ranked ones (which only an LLM may use).
    """

    query: Query
    passages: tuple[Passage, ...]
    verdict: Verdict
    weights: dict[str, float] = field(default_factory=dict)
    dense: dict[int, float] = field(default_factory=dict)  # chunk id -> cosine similarity
    #: Retrieved passages that overlap or adjoin a chosen one in its article, not chosen
    #: themselves: an extractive answer may take the sentence that carries on across a
    #: chunk's edge ("The approach ignores the structural foundations." -> "The structural
    #: issues like inequality ... need to be addressed."). For an overview, also the top
    #: article's opening passage, whose first sentence may lead.
    neighbours: tuple[Passage, ...] = ()

    @property
    def answerable(self) -> bool:
        """The extractive summariser may answer."""
        return self.verdict.decision == "answer" and bool(self.passages)

    @property
    def worth_asking(self) -> bool:
        """An LLM may be shown the passages (it refuses by itself if they don't answer)."""
        return self.verdict.decision in ("answer", "borderline") and bool(self.passages)


def idf(df: int, n: int) -> float:
    """BM25's idf: near zero for a word in every chunk, largest for one in none."""
    return math.log((n - df + 0.5) / (df + 0.5) + 1.0)


def within_budget(
    query: LexicalQuery, df: dict[str, int], n: int, asked: frozenset[str] = frozenset()
) -> LexicalQuery:
    """The part of ``query`` worth asking the database for, in a large corpus.

    The database scores every chunk that contains any word of the query (PostgreSQL reads
    each one's text to rank it), and a common word adds almost nothing to a bm25 score. So
    in corpora of ``PRUNE_FROM_CHUNKS`` chunks or more, words and phrases are taken while
    the chunks they occur in add up to at most ``POSTING_BUDGET`` of the corpus and at most
    ``MAX_POSTINGS`` chunks: the question's own words (``asked``: each term's word and its
    family) first, then its synonyms, each group rarest first. The rest are left out of the
    search (the first is always kept). Every term still counts when the gate reads passages.
    """
    if n < PRUNE_FROM_CHUNKS:
        return query
    items: list[tuple[bool, int, str | tuple[str, ...]]] = [
        (w not in asked, df.get(w, 0), w) for w in query.words
    ]
    # A phrase is found by reading the chunks of its words and checking their order; its
    # stop words have no count of their own ("first of all"), so it costs its commonest.
    items += [(True, max(df.get(w, 0) for w in p), p) for p in query.phrases]
    items.sort(key=lambda item: (item[0], item[1], str(item[2])))
    budget, used = min(POSTING_BUDGET * n, MAX_POSTINGS), 0
    kept: list[str | tuple[str, ...]] = []
    for _, cost, item in items:
        if kept and used + cost > budget:
            continue
        kept.append(item)
        used += cost
    return LexicalQuery(
        tuple(k for k in kept if isinstance(k, str)),
        tuple(k for k in kept if isinstance(k, tuple)),
    )


def fuse(rankings: Iterable[Sequence[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of chunk ids: best fused score first, ties by id."""
    scores = reciprocal_rank(rankings, k)
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


def balance(
    chosen: list[Passage], pool: Sequence[Passage], limit: int, profile: Profile
) -> list[Passage]:
    """If the pool holds a side of the story that ``chosen`` lacks, bring in the best
    passage for it (in place of the last passage that is not the only voice of a side)."""
    result = list(chosen)
    for side in profile.sides:
        if any(side.marks(p.text) for p in result):
            continue
        extra = next((p for p in pool if side.marks(p.text) and p not in result), None)
        if extra is None:
            continue
        if len(result) >= limit:
            for i in range(len(result) - 1, -1, -1):
                others = [p for j, p in enumerate(result) if j != i]
                sides_here = profile.stances(result[i].text)
                if all(any(s in profile.stances(p.text) for p in others) for s in sides_here):
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
    lexicon: Lexicon = field(default_factory=Lexicon)
    profile: Profile = field(default_factory=Profile)
    top_k: int = 6
    min_coverage: float = 0.45
    embedder: Embedder | None = None
    min_dense_similarity: float = 0.55
    candidates_per_k: int = 5

    def analyse(self, session: Session, question: str) -> tuple[Query, int, dict[str, int]]:
        """The analysed question with typos read as corpus words, the corpus size and the
        document frequency of every word searched for."""
        maker = source_s_maker(question)
        if maker is not None and not any(self.search.frequencies(session, [maker]).values()):
            # "What does the writer think ...?" asks what the article says, when the
            # articles speak of no writer (nor author, reporter ...) of their own
            question = as_the_source_s(question)
        query = analyse(question, self.lexicon)
        n, df = self.search.term_stats(session, _vocabulary(query))
        # Chat short forms ("govts") are looked up together, in one query, and only the
        # first few: a question of a hundred such words is noise, and reading each as a
        # word with its synonyms would make its search a hundred times larger.
        shorts = dict(
            itertools.islice(
                (
                    (i, f)
                    for i, t in enumerate(query.terms)
                    if (f := self._short_form(t, df, question))
                ),
                MAX_SHORT_FORMS,
            )
        )
        spelt: dict[str, int] = {}
        if shorts:
            _, spelt = self.search.term_stats(
                session, sorted({w for f in shorts.values() for w in f})
            )
        # Every string one edit away from a word is looked up for the first few misspelt
        # names and the first typo only: each costs about 54 strings a letter, and a
        # question of many is noise.
        names = (i for i, t in enumerate(query.terms) if _misspelt_name(t, df))
        typos = (
            i for i, t in enumerate(query.terms) if _typo(t.word, df) and _VOWEL.search(t.word)
        )
        thorough_names = set(itertools.islice(names, MAX_SPELLING_LOOKUPS))
        thorough_typos = set(itertools.islice(typos, MAX_TYPO_LOOKUPS))
        joined = self._written_apart(session, query, df)
        corrected_any = joined is not query
        query = joined
        for i, term in enumerate(query.terms):
            # A short form the corpus spells out is a common word as the question meant
            # it, not a name ("govts": governments); else a typo may be corrected.
            spelt_out = next((w for w in shorts.get(i, ()) if spelt.get(w, 0)), None)
            if spelt_out is not None:
                corrected = make_term((spelt_out,), False, self.lexicon, corrected_from=term.word)
            elif (
                typo := self._typo_correction(
                    session, term, df, i in thorough_names, i in thorough_typos
                )
            ) is not None:
                corrected = typo
            elif (closed := self._closed_compound(session, term, df, question)) is not None:
                corrected = closed
            elif (general := self._by_its_kind(session, term, df)) is not None:
                corrected = general
            elif (apart := self._compound_apart(session, term, df, question)) is not None:
                corrected = apart
            else:
                continue
            query = query.with_term(i, corrected)
            corrected_any = True
        if corrected_any:
            _, more = self.search.term_stats(session, _vocabulary(query))
            df.update(more)
        otherwise = [i for i, t in enumerate(query.terms) if _worded_otherwise(t, df, self.lexicon)]
        if len(otherwise) == 1 and _another_noun_found(query, otherwise[0], df):
            # One word worded otherwise, beside a thing the articles do speak of, is a
            # paraphrase; several words, or one that is all the question asks about, are
            # another subject: "How was the Honduras *coffee harvest* affected?", "What
            # did Nielsen say about *goalkeepers*?" against a story without them.
            term = query.terms[otherwise[0]]
            everyday = min(term.specificity, WORDED_OTHERWISE)
            query = query.with_term(otherwise[0], replace(term, specificity=everyday))
        return query, n, df

    def _typo_correction(
        self,
        session: Session,
        term: Term,
        df: dict[str, int],
        thorough_name: bool = True,
        thorough_typo: bool = True,
    ) -> Term | None:
        """``term`` read as the corpus word one edit away that was meant, if it is a typo
        or a misspelt name and there is one; a typo no corpus word explains, as the
        commonest everyday English word one edit away, if there is one. Every string one
        edit away is looked up only for a misspelt name when ``thorough_name``, and for a
        typo (beyond wordfreq's list) when ``thorough_typo``."""
        # (a word WordNet lists is no typo, however rare: "handover" is not "hangover")
        known_word = self.lexicon.expand(term.word).known
        typo = _typo(term.word, df) and not known_word
        if not typo and not known_word and _typo_of_a_stem(term.word, df):
            return self._stem_typo_correction(session, term)
        if typo:
            # Only English words are offered as corrections: one edit away from a typo
            # are hundreds of strings, and asking the database about each costs more
            # than the question.
            candidates = sorted(w for w in edits1(term.word) if frequency.zipf(w) > 0)
        elif thorough_name and _misspelt_name(term, df):
            # A name the sources never use would refuse the question: a name one edit
            # away that they do use is what was meant ("kirsten": Kirstjen). Worth the
            # hundreds of candidates, on this path only.
            candidates = _one_edit_away(term.word)
        else:
            return None
        known = self.search.frequencies(session, candidates)
        found = [w for w in candidates if known.get(w, 0)]
        if typo and not found and thorough_typo:
            # a typo of a word the corpus uses that wordfreq's short list lacks
            # ("guatamalan": the seed's "Guatemalan"): worth the lookup of every string one
            # edit away, as for a misspelt name
            candidates = _one_edit_away(term.word)
            known = self.search.frequencies(session, candidates)
            found = [w for w in candidates if known.get(w, 0)]
        if found:
            # (the index counts stems: of the strings that stem alike, a word English or
            # WordNet knows, "substation", not "substatou")
            best = max(
                found,
                key=lambda w: (known[w], frequency.zipf(w), self.lexicon.expand(w).known, w),
            )
        else:
            # A typo of an everyday word the sources do not use ("actualy") is that word,
            # which costs a question little, not a rare term that refuses it.
            # (with the typo's first letter, which a typo seldom gets wrong: "dunstable"
            # is a name, not "unstable")
            common = [
                w for w in candidates if w[0] == term.word[0] and frequency.zipf(w) >= RARE_ZIPF
            ]
            if not typo or not common:
                return None
            best = max(common, key=lambda w: (frequency.zipf(w), w))
        # A typo was read as a name only for being no word ("actualy"); what it is a typo
        # of says whether it is one ("guatamala": Guatemala is).
        anchor = term.anchor and not typo
        return make_term((best,), anchor, self.lexicon, corrected_from=term.word)

    def _stem_typo_correction(self, session: Session, term: Term) -> Term | None:
        """``term``, a string English does not know whose stem the corpus has through
        another word ("officals" stems as "offices" does), read as the everyday word one
        edit away that the corpus uses ("officials"), if there is one."""
        # (an everyday word, not a name: "helden" is no typo of Helen; and another word,
        # not the typo's own stem and an ending: "explainer" is no typo of "explained")
        candidates = sorted(
            w
            for w in edits1(term.word)
            if frequency.zipf(w) >= RARE_ZIPF
            and w[0] == term.word[0]
            and not term.word.startswith(stem(w))
            and self.lexicon.expand(w).known
            and not self.lexicon.expand(w).proper
        )
        known = self.search.frequencies(session, candidates)
        found = [w for w in candidates if known.get(w, 0)]
        # (and only a string the corpus does not write itself: a name it writes, "Tamber",
        # is no typo of a word it also uses, "timber")
        if not found or self._written(session, term.word):
            return None
        best = max(found, key=lambda w: (frequency.zipf(w), w))
        return make_term((best,), False, self.lexicon, corrected_from=term.word)

    def _written(self, session: Session, word: str) -> bool:
        """Does the corpus write ``word``, or another form of it that English does not know
        ("Bakker" for "the Bakkers": a name's), not only English words that stem as it does
        ("offices", "officials" for "officals")? (The index counts stems.) Read in the
        passages that search finds for it, the first ``WRITTEN_LOOKUPS``."""
        hits = self.search.search(session, LexicalQuery((word,)), WRITTEN_LOOKUPS)
        loaded = passages(session=session, chunk_ids=[cid for cid, _ in hits])
        own = stem(word)
        forms = {_POSSESSIVE.sub("", w) for p in loaded.values() for w in words(p.text)}
        return any(
            form == word
            or (
                stem(form) == own
                and frequency.zipf(form) == 0.0
                and not self.lexicon.expand(form).known
            )
            for form in forms
        )

    def _written_apart(self, session: Session, query: Query, df: dict[str, int]) -> Query:
        """``query`` with two words it writes apart read as the one word the corpus writes
        them as, where the second is not in the corpus ("fire fighters": firefighters;
        "life boat": lifeboat): the pair becomes one term, found as the corpus word. Not
        names, and only words of letters."""
        said = words(query.focus)
        index = {t.word: i for i, t in enumerate(query.terms) if not t.anchor}
        pairs: list[tuple[int, int, str]] = []
        for i, term in enumerate(query.terms):
            if term.anchor or not term.word.isalpha() or any(df.get(w, 0) for w in term.search):
                continue
            for p in range(1, len(said)):
                first = index.get(said[p - 1])
                if said[p] == term.word and first is not None and said[p - 1].isalpha():
                    pairs.append((first, i, said[p - 1] + term.word))
        if not pairs:
            return query
        known = self.search.frequencies(session, sorted({w for _, _, w in pairs}))
        terms = list(query.terms)
        gone: set[int] = set()
        joined: set[int] = set()
        renamed: dict[str, str] = {}
        for first, head, word in pairs:
            if known.get(word, 0) and not {first, head} & (gone | joined):
                apart = f"{terms[first].word} {terms[head].word}"
                one = make_term((word,), False, self.lexicon, corrected_from=apart)
                if one.anchor:
                    # a name, not a word ("newtown"): a town's name is often two common
                    # words, and "the new town" asked about is not the sources' Newtown
                    continue
                # (what the question asks for, it still asks for: "how many fire fighters")
                renamed[terms[first].word] = renamed[terms[head].word] = one.word
                terms[head] = replace(one, asked=terms[head].asked, required=terms[head].required)
                gone.add(first)
                joined.add(head)
        if not joined:
            return query
        # (a word doubled, "paw paw", is one term: the joined word stays)
        gone -= joined
        # ... and what the question says of the words, it says of the word: "What did the
        # fire fighters say?" asks for the firefighters' words
        return replace(
            query,
            terms=tuple(t for k, t in enumerate(terms) if k not in gone),
            speaker=renamed.get(query.speaker or "", query.speaker),
            deed=renamed.get(query.deed or "", query.deed),
            founding=renamed.get(query.founding or "", query.founding),
            payees=frozenset(renamed.get(w, w) for w in query.payees),
            alternatives=tuple(
                frozenset(renamed.get(w, w) for w in group) for group in query.alternatives
            ),
        )

    def _by_its_kind(self, session: Session, term: Term, df: dict[str, int]) -> Term | None:
        """``term``, also found (as a synonym) by what it is a kind of, when neither it nor
        its synonyms are in the corpus and the word its kind is named by is: the
        "burglars" of a question are the "thieves" of the story, its "hikers" the
        "walkers" (WordNet: the kind of the word's commonest sense, one step up, in one
        word); or by the group it is one of (the "cops" of a question are the "police");
        and a word WordNet gives neither, by what the definition of its commonest sense
        says it is (the "rubbish" of a question, "worthless material that is to be
        disposed of", is the story's burning "material"). Not for a name."""
        if term.anchor or not term.noun or " " in term.word or "-" in term.word:
            return None
        if any(df.get(w, 0) for w in term.search):
            return None
        # (the definition only for a word WordNet gives no kind or group of: one whose
        # kind the corpus does not use is not better found by the words of its gloss)
        word = term.word
        related = self.lexicon.kind_words(word) + self.lexicon.group_words(word)
        if related:
            found = self._in_corpus(session, related, self.lexicon.irregular)
        else:
            # (a genus is a noun: its plurals, not the forms of a verb it might also be)
            found = self._in_corpus(session, self.lexicon.genus(word, "n"), self.lexicon.plurals)
        if not found:
            return None
        return replace(
            term,
            synonym_stems=term.synonym_stems | {stem(w) for w in found},
            search=tuple(dict.fromkeys([*term.search, *found])),
        )

    def _in_corpus(
        self,
        session: Session,
        words: tuple[str, ...],
        irregular: Callable[[str], Sequence[str]],
    ) -> list[str]:
        """Those of ``words`` (with their ``irregular`` forms: the "thieves" of "thief")
        that the corpus uses."""
        forms = list(dict.fromkeys([*words, *(f for w in words for f in irregular(w))]))
        if not forms:
            return []
        known = self.search.frequencies(session, forms)
        return [w for w in forms if known.get(w, 0)]

    def _closed_compound(
        self, session: Session, term: Term, df: dict[str, int], question: str
    ) -> Term | None:
        """``term`` read as the head of a compound written as one word that neither the
        corpus nor WordNet knows, when it is two common English words that the corpus
        uses ("hillwalkers": hill walkers, who are walkers; "carpark": a car park), the
        head its last. Not a name (a word written with a capital: only one typed in lower
        case is read so), nor a word the corpus uses ("wrenmouth", a town, stays one), nor
        one that may be a place's name ("newtown": see below)."""
        word = term.word
        if (
            not word.isalpha()
            or not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", question)
            or len(word) < 2 * MIN_COMPOUND_PART + 1
            or df.get(word, 0)
            or self.lexicon.expand(word).known
        ):
            return None
        splits = [
            (word[:i], word[i:])
            for i in range(MIN_COMPOUND_PART, len(word) - MIN_COMPOUND_PART + 1)
            if min(self.lexicon.zipf(word[:i]), self.lexicon.zipf(word[i:])) >= COMPOUND_ZIPF
        ]
        if not splits:
            return None
        known = self.search.frequencies(session, sorted({w for split in splits for w in split}))
        found = [(m, h) for m, h in splits if known.get(m, 0) and known.get(h, 0)]
        # A town's name is often two common words too ("newtown", "redhill", "ashford"):
        # read by its head, a question about a place the sources never name would be
        # answered about another. So only a head that names people in the plural, as a
        # place's name does not ("hillwalkers": walkers), or a compound the sources write
        # as two words ("car park" for "carpark").
        found = [s for s in found if self._people(s[1])] or [
            s for s in found if self.search.search(session, LexicalQuery((), (s,)), 1)
        ]
        if not found:
            return None
        _, head = max(
            found, key=lambda s: (min(self.lexicon.zipf(s[0]), self.lexicon.zipf(s[1])), s)
        )
        return make_term((head,), False, self.lexicon, corrected_from=word)

    def _compound_apart(
        self, session: Session, term: Term, df: dict[str, int], question: str
    ) -> Term | None:
        """``term`` read as the two everyday words it is made of, when the corpus never uses
        it and would refuse the question for it as a rare word, though it names people
        or an activity by a thing the corpus does speak of: "concertgoers" (goers of a
        concert) of a story about a "concert" and its "fans", "firefighting" of one
        about a "fire" and its "fire engine". Found as the two words ("concert goers"),
        or at a synonym's credit by either alone, it weighs as the commoner of them, so
        its absence refuses nothing. A head that names people in the plural or an
        activity ("-ing") is never a place's name ("ashford", "newtown" stay whole); a
        word typed with a capital is a name, and stays whole too."""
        word = term.word
        if (
            term.rarity < RARE_TERM
            or not word.isalpha()
            or not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", question)
            or any(df.get(w, 0) for w in term.search)
        ):
            return None
        splits = [
            (word[:i], word[i:])
            for i in range(MIN_COMPOUND_PART + 1, len(word) - MIN_COMPOUND_PART)
            if min(self.lexicon.zipf(word[:i]), self.lexicon.zipf(word[i:])) >= COMPOUND_ZIPF
            and (self._people(word[i:]) or self._activity(word[i:]))
        ]
        if not splits:
            return None
        known = self.search.frequencies(session, sorted({m for m, _ in splits}))
        found = [(m, h) for m, h in splits if known.get(m, 0)]
        if not found:
            return None
        modifier, head = max(
            found, key=lambda s: (min(self.lexicon.zipf(s[0]), self.lexicon.zipf(s[1])), s)
        )
        apart = make_term((modifier, head), False, self.lexicon, corrected_from=word)
        return replace(
            apart,
            phrases=(*apart.phrases, ((stem(modifier),), SYNONYM_CREDIT)),
            search=tuple(dict.fromkeys([*apart.search, modifier, head])),
        )

    @staticmethod
    def _activity(word: str) -> bool:
        """Is ``word`` the "-ing" form of a verb ("fighting", "walking")? Not a verb that
        only ends so ("ring", "spring", "wing"): a "bullring" is no ringing of bulls, and
        the place goes by its name."""
        return word.endswith("ing") and any(b != word for b in wordnet().base_forms(word, "v"))

    def _people(self, word: str) -> bool:
        """Is ``word`` a plural noun for people ("walkers", "drivers"), by WordNet's
        commonest sense of it?"""
        return self.lexicon.expand(word).lexname == "noun.person" and word not in (
            wordnet().base_forms(word, "n")
        )

    def _short_form(self, term: Term, df: dict[str, int], question: str) -> tuple[str, ...]:
        """The words ``term`` may be a chat short form of (:mod:`bot.core.shortforms`),
        when it is one word typed in lower case that neither the corpus nor WordNet
        knows and the profile does not name."""
        word = term.word
        if (
            not looks_short(word)  # most words end here, before the lookups below
            or df.get(word, 0)
            or self.lexicon.domain_synonyms((word,))
            or not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", question)
            or self.lexicon.expand(word).known
        ):
            return ()
        return expansions(word)

    def retrieve(self, session: Session, question: str) -> Retrieval:
        query, n, df = self.analyse(session, question)
        if query.framing_only:
            return Retrieval(query, (), Verdict("refuse", "no terms", 0.0, self.min_coverage))
        limit = self.top_k * self.candidates_per_k
        lexical_query = LexicalQuery(
            tuple(dict.fromkeys(w for t in query.terms for w in t.search)),
            tuple(dict.fromkeys(p for t in query.terms for p in t.search_phrases)),
        )
        asked = frozenset(w for t in query.terms for w in t.search if stem(w) in t.stems)
        searched = within_budget(lexical_query, df, n, asked)
        lexical = [cid for cid, _ in self.search.search(session, searched, limit)]
        if self.embedder is not None:
            dense_hits = self.embedder.search(session, question, limit)
            dense = {cid: score for cid, score in dense_hits}
            fused = fuse([lexical, [cid for cid, _ in dense_hits]])
        else:
            dense = {}
            fused = [(cid, 1.0 / (RRF_K + r)) for r, cid in enumerate(lexical, start=1)]
        loaded = passages(session=session, chunk_ids=[cid for cid, _ in fused[:limit]])
        ranked = [
            replace(loaded[cid], score=score) for cid, score in fused[:limit] if cid in loaded
        ]
        evidence = [passage_evidence(query, p) for p in ranked]
        otherwise = self._spelt_otherwise(session, query, evidence)
        if otherwise:
            ranked = [*ranked, *otherwise]
            evidence = [*evidence, *(passage_evidence(query, p) for p in otherwise)]
        respelt = spelled_otherwise(query, evidence)
        if respelt is not query:
            before, query = evidence, respelt
            evidence = [passage_evidence(query, p) for p in ranked]
            # The other spelling is the name only in the articles that also spell it as
            # asked: elsewhere it names someone else ("Pieter Vandersluot", another firm's
            # director), whose passages are left out.
            naming = _naming_articles(before)
            kept = [i for i, e in enumerate(evidence) if not _someone_else(before[i], e, naming)]
            ranked = [ranked[i] for i in kept]
            evidence = [evidence[i] for i in kept]
        evidence = with_role_holders(query, evidence)
        evidence = with_the_outlets_named(query, evidence)
        evidence = with_the_story_s_days(query, evidence)
        evidence = with_the_story_s_dateline(query, evidence)
        evidence = with_rates_in_other_words(query, evidence)
        evidence = [
            replace(e, coverage=max(e.coverage, self._dense_credit(dense.get(e.passage.chunk_id))))
            for e in evidence
        ]
        verdict = judge(query, evidence, df, self.min_coverage)
        weights = {t.word: idf(_group_df(t.search, df), max(n, 1)) for t in query.terms}
        if verdict.decision == "answer":
            pool = admitted(evidence, threshold(query, self.min_coverage))
        elif verdict.decision == "borderline":
            pool = [e.passage for e in evidence]
        else:
            return Retrieval(query, (), verdict, weights, dense)
        chosen = balance(diversify(pool, self.top_k), pool, self.top_k, self.profile)
        neighbours = _neighbours(chosen, ranked) if verdict.decision == "answer" else []
        if verdict.decision == "answer" and query.answer_type == "overview" and chosen:
            # An overview leads with the top article's own lead (see answer.select_sentences).
            article = overview_article(query, chosen)
            opening = opening_passage(session=session, article_id=article) if article else None
            known = {p.chunk_id for p in [*chosen, *neighbours]}
            if opening is not None and opening.chunk_id not in known:
                neighbours.append(opening)
        return Retrieval(query, tuple(chosen), verdict, weights, dense, tuple(neighbours))

    def _spelt_otherwise(
        self, session: Session, query: Query, evidence: Sequence[PassageEvidence]
    ) -> list[Passage]:
        """The passages, not yet found, of the articles that name a name of the question
        (the first ``MAX_RESPELT_ARTICLES`` of them, best first) which spell it otherwise:
        a capitalised word one edit away, with its first and last letters ("Nielson" for
        Nielsen, in the one sentence of the seed that says how she described the
        memorandum). The search looked for the name as asked and could not find them;
        whether such a word is the name is decided at the gate
        (:func:`~bot.core.gate.spelled_otherwise`)."""
        names = [t.word for t in query.terms if t.anchor and respellings(t.word)]
        if not names:
            return []
        articles = list(
            dict.fromkeys(
                e.passage.article_id
                for e in evidence
                if any(e.credits.get(w, 0.0) >= 1.0 for w in names)
            )
        )[:MAX_RESPELT_ARTICLES]
        if not articles:
            return []
        found = {e.passage.chunk_id for e in evidence}
        near = {w: respellings(w) for w in names}
        spelt = []
        for passages_of in article_passages(session=session, article_ids=articles).values():
            for passage in passages_of:
                if passage.chunk_id in found:
                    continue
                words = capitalised_words(passage.text)
                if any(v in near[w] and w not in words for w in names for v in words):
                    spelt.append(passage)
        return spelt

    def _dense_credit(self, similarity: float | None) -> float:
        """A passage the embedding model finds very close counts as covering the
        question (names must still be found in it)."""
        if similarity is None or similarity < self.min_dense_similarity:
            return 0.0
        return self.min_coverage


#: How many articles that name a name of the question are read whole for its other
#: spellings (:meth:`Retriever._spelt_otherwise`).
MAX_RESPELT_ARTICLES = 3


def with_rates_in_other_words(
    query: Query, evidence: Sequence[PassageEvidence]
) -> list[PassageEvidence]:
    """``evidence``, where a question asks for a rate of what it names ("What is the
    *success* rate of the treatment in the Pell trial?", :attr:`Query.measured`), with
    that name no longer missing from a passage that never speaks of a rate but of all
    else the question names: one that speaks of a rate ("raised its main interest rate
    to 4 per cent") gives the rate of something else, but one that tells of what the rate
    is of without calling it a rate may give it in its own words ("The new treatment
    worked in 80 per cent of the patients in the Pell trial", "88 per cent were alive"
    for a survival rate, "the crown fell to 12.4 against the dollar" for its exchange
    rate). A place's name alone ("What is Sallandria's unemployment rate?") says only
    where, not of what: a passage that names Sallandria gives no rate of its own."""
    if query.measured is None:
        return list(evidence)
    thing, measure = query.measured
    others = [t for t in query.terms if t.word not in query.measured and (t.noun or t.anchor)]
    if all(t.anchor for t in others):
        return list(evidence)
    return [
        replace(e, missing_anchors=tuple(w for w in e.missing_anchors if w != thing))
        if thing in e.missing_anchors
        and e.credits.get(measure, 0.0) < 1.0
        and all(e.credits.get(t.word, 0.0) for t in others)
        else e
        for e in evidence
    ]


def _naming_articles(evidence: Sequence[PassageEvidence]) -> dict[str, set[int]]:
    """For each term of the question, the articles of ``evidence`` that hold it as asked
    (full credit in some passage)."""
    naming: dict[str, set[int]] = defaultdict(set)
    for e in evidence:
        for word, credit in e.credits.items():
            if credit >= 1.0:
                naming[word].add(e.passage.article_id)
    return naming


def _someone_else(old: PassageEvidence, new: PassageEvidence, naming: dict[str, set[int]]) -> bool:
    """Does a passage hold a name of the question only by another spelling (credited
    after the respelling, not before: ``old`` and ``new``), in an article none of whose
    passages spells it as asked (``naming``: :func:`_naming_articles`, before)?"""
    return any(
        credit and not old.credits.get(word) and new.passage.article_id not in naming[word]
        for word, credit in new.credits.items()
    )


def _neighbours(chosen: Sequence[Passage], ranked: Sequence[Passage]) -> list[Passage]:
    """Those of ``ranked`` that overlap or adjoin a chosen passage of their article."""
    ids = {p.chunk_id for p in chosen}
    return [
        p
        for p in ranked
        if p.chunk_id not in ids
        and any(
            c.article_id == p.article_id
            and p.char_start <= c.char_end + ADJOINING
            and p.char_end + ADJOINING >= c.char_start
            for c in chosen
        )
    ]


def _vocabulary(query: Query) -> list[str]:
    """Every word whose document frequency the weights, the budget or the gate need."""
    found = {w for t in query.terms for w in t.search}
    found |= {w for t in query.terms for p in t.search_phrases for w in p}
    return sorted(found)


def _group_df(words: Sequence[str], df: dict[str, int]) -> int:
    """A term is as informative as its most common spelling (word or synonym)."""
    return max((df.get(w, 0) for w in words), default=0)


#: At most this many words of one question are read as chat short forms.
MAX_SHORT_FORMS = 5

#: Names shorter than this are not corrected: one edit joins too many short names.
MIN_CORRECTABLE_NAME = 6
#: Words longer than this are not corrected: no one mistypes a word that long, and one
#: edit away from it are thousands of strings.
MAX_CORRECTABLE = 24
#: Whether the corpus writes a string itself is read in this many of its passages: those
#: that search ranks first for it (a name's own; a typo's, through its stem, are another
#: word's).
WRITTEN_LOOKUPS = 20
_POSSESSIVE = re.compile(r"['’]s$")
#: Of a question's typos and misspelt names, only the first few are looked up one edit
#: away in full.
MAX_SPELLING_LOOKUPS = 3
#: ... and typos (a word neither the corpus nor English knows) this many: a typo of a word
#: that wordfreq's short list lacks is rare, and a question of unknown strings is common.
MAX_TYPO_LOOKUPS = 1
#: A compound typed as one word is read as two when each part has at least this many
#: letters and is a common English word (Zipf, wordfreq: "hill" 4.4, "walkers" 3.6).
MIN_COMPOUND_PART = 3
COMPOUND_ZIPF = 3.0
#: A typo of a word keeps a vowel; a string of consonants ("xkcd", "bcdfgh") is a code or
#: noise, not worth the lookup of every string one edit away.
_VOWEL = re.compile(r"[aeiouy]")


def _one_edit_away(word: str) -> list[str]:
    """Every string of letters one edit from ``word`` (about 54 a letter), in order."""
    return sorted(w for w in edits1(word) if w.isalpha())


def _misspelt_name(term: Term, df: dict[str, int]) -> bool:
    """A one-word name the corpus never uses, long enough to correct."""
    return (
        term.anchor
        and term.word.isalpha()
        and MIN_CORRECTABLE_NAME <= len(term.word) <= MAX_CORRECTABLE
        and not df.get(term.word, 0)
    )


def _correctable(word: str) -> bool:
    """A string of letters English does not list, of a length worth correcting."""
    return (
        word.isalpha()
        and MIN_CORRECTABLE <= len(word) <= MAX_CORRECTABLE
        and frequency.zipf(word) == 0.0
    )


def _typo_of_a_stem(word: str, df: dict[str, int]) -> bool:
    """A word English does not list whose stem the corpus has: a typo that stems as some
    other word does ("officals", "offices": offic), or a name of the corpus."""
    return bool(df.get(word, 0)) and _correctable(word)


def _typo(word: str, df: dict[str, int]) -> bool:
    """A word the corpus lacks that English does not list either: most likely a typo."""
    return not df.get(word, 0) and _correctable(word)


#: What an English word that no stored article uses weighs at most: as a word of
#: everyday frequency does (see :func:`_worded_otherwise`).
WORDED_OTHERWISE = 0.5


def _worded_otherwise(term: Term, df: dict[str, int], lexicon: Lexicon) -> bool:
    """Is ``term`` an English word (WordNet knows it; not a name, a number or a typo)
    that no stored article uses, in any of its forms or other names? Its rarity in
    English then says nothing of which passage answers: the articles word the thing
    otherwise ("the getaway van": "the van"; "pay the hackers": "demanded a ransom"),
    so it weighs as an everyday word does (:data:`WORDED_OTHERWISE`), and its
    absence alone does not refuse the question (names, numbers and words WordNet does not
    know still do: "Paris", "baleadas")."""
    if term.anchor or " " in term.word or not term.word.isalpha():
        return False
    if any(df.get(w, 0) for w in term.search):
        return False
    expansion = lexicon.expand(term.word)
    # (not a word for people: who the question asks about must be in the passage, as a
    # name must; "What did the *inspectors* find at the restaurant?" is not answered by
    # the police called there)
    return expansion.known and expansion.lexname != "noun.person"


def _another_noun_found(query: Query, i: int, df: dict[str, int]) -> bool:
    """Does the question name, besides its ``i``-th term, a thing (a noun that is no
    name) that the stored articles use?"""
    return any(
        j != i and t.noun and not t.anchor and any(df.get(w, 0) for w in t.search)
        for j, t in enumerate(query.terms)
    )
