"""The candidate sentences of an extractive answer and how each scores.

The passages are split into whole sentences, each located in its article and knowing the
sentence before it, so that a chosen sentence can bring the one it leans on. A sentence
scores the question's terms it holds, weighted by how specific each is and by how few of
the candidates hold it; the kind of sentence the question asks for (a number, a date, a
cause) scores more. :mod:`bot.core.answer` chooses among them.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass, replace

from bot.core.amounts import (
    DURATION,
    MEASUREMENT,
    NUMBER_WORD,
    ONE_IN,
    YEAR,
    coined_money,
    states_amount,
)
from bot.core.chunking import chunk_sentences
from bot.core.expected import (
    expected_pattern,
    holds_count,
    holds_new,
    names_another,
    new_name,
    new_name_beside,
    new_names_count,
    precision_asked,
    when_precision,
    without_shares_or_sums,
)
from bot.core.formats import is_file_name
from bot.core.happened import (
    LATER,
    PAST_QUESTION,
    PAST_WH_QUESTION,
    asks_outcome,
    only_foreseen,
    outcome_told,
    stems_by_article,
)
from bot.core.lexicon import NUMBER_WORDS, digits_of, plain_person, sex_of
from bot.core.phrasing import (
    NAMING,
    PORTION,
    RATE_WORDS,
    RECEIVING,
    reports_speech,
    speakers_sexes,
)
from bot.core.query import Query
from bot.core.retrieve import Retrieval
from bot.core.roles import holders_of, role_terms, spellings
from bot.core.terms import Term, read_us_as_usa
from bot.core.text import has_bracketed_number, strip_footnote_markers
from bot.core.wordnet import wordnet
from bot.core.words import (
    STOPWORDS,
    capitalised_words,
    stem,
    stems,
    word_count,
    words,
)
from storage.articles import Passage

#: At most this many characters (spaces) between two sentences of one paragraph.
MAX_SENTENCE_GAP = 3
#: A sentence of the kind the question asks for (a number for "how many", a reason for
#: "why", a negation or limit for a yes/no question) counts this much more.
ANSWER_TYPE_BONUS = 1.5
#: What even the most everyday term counts for in a sentence, against its weight.
TERM_FLOOR = 0.5
#: How much a term in an article's title counts for each of its sentences.
TITLE_CREDIT = 0.5
#: How much a name counts in a sentence that points back to the one before, which gives it
#: ("It was painted in 1776" after the sentence that names the painting): as if the
#: sentence gave it, since "it" stands for it. Names only: a sentence's other nouns are
#: seldom what "it" or "they" stands for (counting them too lost a dev fact).
ANTECEDENT_CREDIT = 1.0
#: A sentence that begins by pointing back to the one before it ("It was basically due to
#: ..."): it counts that one's names, and when it is chosen its predecessor comes too, so
#: an answer never starts mid-thought. A definite noun ("The agreement is non-binding") is
#: how news refers to its subject, not a lean.
ANAPHOR = re.compile(r"^\W*(it|this|these|that|those|they|he|she|such)\b", re.IGNORECASE)
#: An "it" that points forward, to the clause it introduces, not back: an extraposed
#: subject or a cleft ("It is expected that ...", "It was seen in August 2018, that the
#: Jeep J8 vehicles ...", "It was on Tuesday, that Nielsen had met ..."). Not "It is a
#: treaty that ..." (a noun phrase: "it" is the treaty) nor "It was so badly damaged
#: that ..." (a result clause: "it" is the bridge).
_FORWARD_IT = re.compile(
    r"^\W*it\s+(?:is|was|has\s+been|had\s+been|will\s+be|would\s+be|seems|seemed|appears|"
    r"appeared)\s+(?!(?:a|an|the|this|that|these|those|his|her|its|their|our|my|your|one|"
    r"so|such|too)\b)[^.;:!?]{0,80}?\b(?:that|whether)\b",
    re.IGNORECASE,
)


#: A quotation whose speaker is a pronoun ("\"He defended like a machine,\" he said."):
#: the sentence before names the speaker.
_QUOTED_BY_PRONOUN = re.compile(
    r"^\W*[\"“][^\"“”]+[\"”]\s*(?:he|she|they)\s+[a-z]+\W*$", re.IGNORECASE
)


def leans_back(sentence: str) -> bool:
    """Does ``sentence`` begin by pointing back to the one before it (see
    :data:`ANAPHOR`), rather than forward to a clause of its own, give words whose
    speaker is a pronoun ("\"He defended like a machine,\" he said.") or no one (a
    quotation alone: its speaker is named before it), or close a quotation opened
    before it?"""
    if _QUOTED_BY_PRONOUN.match(sentence) or _QUOTED_ALONE.match(sentence):
        return True
    if quotation_balance(sentence) < 0:
        return True
    return bool(ANAPHOR.match(sentence)) and not _FORWARD_IT.match(sentence)


#: A sentence that is a quotation and nothing else: "\"I have not seen a serious plan.\""
_QUOTED_ALONE = re.compile(r"^\W*[\"“][^\"“”]+[\"”]\W*$")


def quotation_balance(sentence: str) -> int:
    """Quotations ``sentence`` opens and leaves open (positive), or closes without having
    opened them (negative): a quotation of several sentences is cut by the sentence
    splitter ("“People are not leaving because a border is too open." and "They are
    leaving because of poverty ...”"). Curly marks by direction (German „...“ too); a
    straight mark opens at the start of a word or after an opening punctuation mark
    (``said:"We``) and closes at the end of one, but not after a digit (``12" wide``: an
    inch)."""
    balance = 0
    german = 0  # „ opened: the next “ closes it
    for i, ch in enumerate(sentence):
        before = sentence[i - 1] if i else " "
        if ch == "„":
            balance += 1
            german += 1
        elif ch == "“" and german:
            balance -= 1
            german -= 1
        elif ch == "“":
            balance += 1
        elif ch == "”":
            balance -= 1
        elif ch == '"' and not before.isdigit():
            balance += 1 if (before.isspace() or before in "([—-:") else -1
    return balance


#: How much the best-ranked passage's sentences are preferred (less for each rank down).
RANK_BONUS = 0.5
#: Answer types that only a sentence holding that kind of thing answers (see
#: :mod:`bot.core.expected`); a "why" or a yes-or-no question may be settled without one.
KIND_ANSWERS = frozenset({"quantity", "when", "where", "who"})
_KIND_NAMES = {"quantity": "a number or an amount", "when": "a date or a time",
               "where": "a place", "who": "a name or a role"}  # fmt: skip


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
    paragraph: int = 0  # its paragraph in the article


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
        out.append(
            replace(
                sentence,
                previous=before[0].start if adjacent and before else None,
                paragraph=paragraph,
            )
        )
        before = (sentence, paragraph)
    return sorted(out, key=lambda s: (s.rank, s.start))  # best passage first


def is_statement(sentence: str) -> bool:
    """A full sentence, not a heading or a caption: it ends like a sentence (footnote
    markers aside) or is long."""
    text = strip_footnote_markers(sentence).strip()
    return text.endswith((".", "!", "?", "”", '"', "’", "'", ")")) or word_count(text) > 12


def reads_as_cited(sentence: str) -> bool:
    """A sentence that would show a bracketed number of its own in the answer ("Room [2]",
    "a [5-4] ruling"), once footnote markers are gone. It is left out of extractive
    answers: the number would read as a citation, and changing it would change the
    article's words."""
    return has_bracketed_number(strip_footnote_markers(sentence))


class SentenceScorer:
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
        self._located = {(s.passage.article_id, s.start): s for s in candidates}
        self._holders = _role_holders(retrieval, candidates)
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
            found = any(t.credit_in(s.text, s.stems, present) for t in self.terms) or (
                titled
                and self.expects is not None
                and holds_new(self.expects, s.text, self.question)
            )
            self._own[id(s)] = found
        return found

    def in_its_words(self, s: SourceSentence) -> frozenset[str]:
        """The terms ``s`` holds in its own words (any credit), not through its article's
        title or the sentence it leans on."""
        present = frozenset(s.stems)
        return frozenset(t.word for t in self.terms if t.credit_in(s.text, s.stems, present))

    def credits(self, s: SourceSentence) -> dict[str, float]:
        """Each term's credit in ``s``: its own, or its article title's."""
        found = self._credits.get(id(s))
        if found is None:
            present = frozenset(s.stems)
            found = dict(self._titled.get(s.passage.article_id, {}))
            before = self._antecedent(s)
            for t in self.terms:
                own = t.credit_in(s.text, s.stems, present)
                if before is not None and t.anchor and not own:
                    # "It was painted in 1776": "it" is the painting the sentence before names
                    own = ANTECEDENT_CREDIT * t.credit(before.stems, frozenset(before.stems))
                holders = self._holders.get((s.passage.article_id, t.word))
                if holders and own < 1.0 and not holders.isdisjoint(capitalised_words(s.text)):
                    own = 1.0  # "Quintanar said ...": the spokeswoman, named so before
                if own > found.get(t.word, 0.0):
                    found[t.word] = own
            self._credits[id(s)] = found
        return found

    def _antecedent(self, s: SourceSentence) -> SourceSentence | None:
        """The sentence just before ``s`` in its paragraph, when ``s`` begins by pointing
        back to it ("It", "She", "They", "This")."""
        if s.previous is None or not leans_back(s.text):
            return None
        return self._located.get((s.passage.article_id, s.previous))

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


def _role_holders(
    retrieval: Retrieval, candidates: list[SourceSentence]
) -> dict[tuple[int, str], frozenset[str]]:
    """For each article and each role the question asks about, the surnames of the people
    its sentences name beside that role (:func:`holders_of`)."""
    found: dict[tuple[int, str], set[str]] = {}
    for t in role_terms(retrieval.query):
        for s in candidates:
            for surname in holders_of(t, s.text, s.stems):
                found.setdefault((s.passage.article_id, t.word), set()).add(surname)
    return {key: spellings(v) for key, v in found.items()}


def usable_sentences(
    scorer: SentenceScorer, candidates: list[SourceSentence]
) -> list[SourceSentence]:
    """The sentences that may answer: they speak to the question, state something, and
    carry no bracketed number that would read as a citation."""
    return [
        s
        for s in candidates
        if scorer.own(s) and is_statement(s.text) and not reads_as_cited(s.text)
    ]


def holding_the_kind(
    retrieval: Retrieval, scorer: SentenceScorer, sentences: list[SourceSentence]
) -> list[SourceSentence] | None:
    """Those of ``sentences`` that hold the kind of thing the question asks for, or None
    when the question asks for no such kind."""
    if scorer.expects is None or retrieval.query.answer_type not in KIND_ANSWERS:
        return None
    deed = next((t for t in retrieval.query.terms if t.word == retrieval.query.deed), None)
    return [
        s
        for s in sentences
        if holds_new(scorer.expects, s.text, scorer.question)
        or (deed is not None and done_by(deed, s.text))
    ]


def done_by(deed: Term, text: str) -> bool:
    """Does ``text`` say who did ``deed`` in the passive: the verb, then "by", perhaps
    after an adverb ("The pause was recommended by the trial's independent data
    monitoring committee", "approved unanimously by")? Who did it follows, named or not:
    a committee, a board, a court answer "who" too. Not "laboratory-confirmed influenza
    by about half": "by" after another word is no doer."""
    tokens = [t.lower() for t in _COUNT_TOKEN.findall(text) if t != ","]
    for i, token in enumerate(tokens[:-1]):
        if stem(token) not in deed.stems:
            continue
        after = tokens[i + 1 : i + 3]
        if after[0] == "by" or (after[0].endswith("ly") and after[1:] == ["by"]):
            return True
    return False


def answerable_in_kind(retrieval: Retrieval) -> Retrieval:
    """``retrieval``, made borderline when its question asks for a number, a date, a
    place or a person and no passage that speaks to the question holds one anywhere
    ("How many arches does the Kelby Bridge have?" against an article about the bridge
    that gives no number), or when no sentence gives it beside the thing asked about
    (:func:`beside_the_asked`: "Who is the captain?" against an article that mentions the
    captain and names others), or when it asks for someone's words and no passage shows
    them speaking or taking a stance ("What did the UN mission say about the jeeps?"
    against an article where the mission is only where the jeeps were driven).
    Borderline means what it means at the gate: the extractive summariser refuses, a
    model is shown the passages and decides. So is a question whether something happened
    that the passages tell only as still to come (:func:`only_foreseen`), and one for who
    founded something or when that no article about it tells (:func:`_a_founding_told`)."""
    if not retrieval.answerable:
        return retrieval
    text = retrieval.query.text
    later = LATER.search(text)
    # ("actually" asks how things went only in a yes/no question: "What did she actually
    # say?" stresses the words)
    past = bool(
        PAST_QUESTION.match(text)
        or (
            PAST_WH_QUESTION.match(text)
            and later is not None
            and not later.group(0).lower().startswith("actually")
        )
        or asks_outcome(text)
    )
    if (
        not past
        and (retrieval.query.answer_type not in KIND_ANSWERS or expected_pattern(retrieval) is None)
        and _asked_thing(retrieval) is None
        and retrieval.query.speaker is None
        and not retrieval.query.pay
        and retrieval.query.founding is None
    ):
        return retrieval  # (cheaply: most questions ask for no such kind, nor if it happened)
    candidates = passage_sentences(retrieval.passages)
    scorer = SentenceScorer(retrieval, candidates)
    usable = usable_sentences(scorer, candidates)
    if past and only_foreseen(retrieval, usable):
        return _borderline(
            retrieval,
            "no passage tells how what the question asks about turned out"
            if LATER.search(text) or asks_outcome(text)
            else "the passages tell what the question asks about only as to come",
        )
    if retrieval.query.founding is not None and not _a_founding_told(retrieval, candidates):
        return _borderline(
            retrieval,
            "the question asks who founded something or when, and no passage tells a founding",
        )
    if retrieval.query.speaker is not None and not _speaking(retrieval, scorer, candidates):
        return _borderline(
            retrieval, f"no passage gives the words of the {retrieval.query.speaker} it asks about"
        )
    # The thing asked for may sit in another sentence of a passage that speaks to the
    # question ("It was on Tuesday that Nielsen ... took part in a summit", a paragraph
    # before "The summit had ended with the signing of the memorandum"): any sentence of
    # such a passage counts, so only passages without any refuse.
    speaking = {s.passage.chunk_id for s in usable}
    nearby = [s for s in candidates if s.passage.chunk_id in speaking]
    holding = holding_the_kind(retrieval, scorer, nearby)
    if holding is not None and not holding:
        kind = _KIND_NAMES[retrieval.query.answer_type]
        return _borderline(
            retrieval, f"the question asks for {kind}, and no passage that speaks to it holds one"
        )
    # "What year was the memorandum signed?" asks for a year, "on what date" for a date, "at
    # what time" for a clock time: a weekday ("It was on Tuesday") does not give them
    precise = (
        when_precision(retrieval.query.text) if retrieval.query.answer_type == "when" else None
    )
    if precise is not None and not any(precise.search(s.text) for s in nearby):
        return _borderline(
            retrieval,
            "the question asks when as precisely as a year, a date or a time of day, "
            "and no passage that speaks to it gives one",
        )
    if retrieval.query.pay and not any(_states_pay(retrieval, s) for s in nearby):
        return _borderline(
            retrieval, "the question asks what someone is paid, and no passage states their pay"
        )
    money = _kind_of_money_asked(retrieval)
    if money is not None and not stating_the_measure(retrieval, nearby):
        return _borderline(
            retrieval,
            f"the question asks for an amount of {money.word}, and no passage states one",
        )
    # (of the kind asked, in the same sentence: "11 million monthly users" gives no price
    # a month)
    rate = retrieval.query.rate
    if rate is not None and not any(
        gives_rate(s.text, rate)
        and (scorer.expects is None or holds_new(scorer.expects, s.text, scorer.question))
        for s in nearby
    ):
        return _borderline(
            retrieval, f"the question asks for an amount per {rate}, and no passage gives one"
        )
    priced = _priced_thing(retrieval)
    if priced is not None and not _pricing(priced, nearby, candidates):
        return _borderline(
            retrieval,
            f"the question asks the price of the {priced.word} it names, and no passage gives one",
        )
    unnamed = _said_unnamed(retrieval, candidates)
    if unnamed is not None:
        return _borderline(retrieval, f"the sources say the {unnamed.word} was not named")
    if beside_the_asked(retrieval, scorer, candidates) == []:
        asked = _asked_thing(retrieval)
        what = "gives a number of" if retrieval.query.answer_type == "quantity" else "names the"
        return _borderline(
            retrieval, f"no passage {what} {asked.word if asked else ''} the question asks about"
        )
    return retrieval


_RECEIVING = frozenset(stem(w) for w in RECEIVING)

#: "How much does a *ticket* on the Eastline cost?": the price of a thing named with where
#: or what it is for (a preposition after it), which is not that place's or thing's own
#: cost ("The Eastline is expected to cost 412 million dollars"). Group "thing": its words.
_PRICE_OF_A_THING = re.compile(
    r"^\W*how\s+much\s+(?:does|do|did|will|would|is|was|are|were)\s+"
    r"(?:(?:an?|the|each|one|every)\s+)?(?P<thing>[\w'’-]+(?:\s+[\w'’-]+){0,3}?)\s+"
    r"(?:on|for|from|at|in|between|around|outside|near|into)\s+[^?]*?"
    r"\b(?:cost|costs|sell\s+for|go\s+for|be\s+priced)\b",
    re.IGNORECASE,
)


class Neighbours:
    """Candidate sentences by their place: the one just before a sentence, and the one
    just after it, in its paragraph (when they are candidates)."""

    def __init__(self, candidates: list[SourceSentence]) -> None:
        self._at = {(s.passage.article_id, s.start): s for s in candidates}
        self._after = {
            (s.passage.article_id, s.previous): s for s in candidates if s.previous is not None
        }

    def before(self, s: SourceSentence) -> SourceSentence | None:
        return None if s.previous is None else self._at.get((s.passage.article_id, s.previous))

    def after(self, s: SourceSentence) -> SourceSentence | None:
        return self._after.get((s.passage.article_id, s.start))


def _pricing(
    priced: Term, sentences: list[SourceSentence], candidates: list[SourceSentence]
) -> bool:
    """Does one of ``sentences`` give a sum of money where it, or the sentence just before
    or after it, names the thing ``priced`` ("The project cost £1.9 million" beside "the
    system will cut the lido's emissions", for "How much did the heating system for the
    lido cost?")?"""
    around = Neighbours(candidates)

    def names(c: SourceSentence | None) -> bool:
        return c is not None and priced.credit_in(c.text, c.stems, frozenset(c.stems)) > 0

    return any(
        states_amount("money", s.text)
        and (names(s) or names(around.before(s)) or names(around.after(s)))
        for s in sentences
    )


def _priced_thing(retrieval: Retrieval) -> Term | None:
    """The term of the thing a "how much does a X on/for/at Y cost?" question prices (the
    last word before the preposition), if the question is one and the word a term."""
    match = _PRICE_OF_A_THING.match(retrieval.query.text)
    if match is None:
        return None
    head = match.group("thing").split()[-1].lower()
    return next((t for t in retrieval.query.terms if t.word == head and not t.anchor), None)


#: "founded", "co-founder", "founding" ("found" is also the past of "find", and a
#: "foundation" may be a charity or the ground under a bridge)
_FOUNDED = re.compile(r"\b(?:co-?)?found(?:ed|ing|ers?)\b", re.IGNORECASE)
_FIND = frozenset({"find", "finder", "found", "foundat"})
#: The question's own words for founding something, as its founding term (Query.founding)
#: may be a word whose family merely holds "establish" ("Which *body* has opened an
#: inquiry?").
_FOUNDING_ASKED = re.compile(r"(?:co-?)?found(?:ed|ers?|ing)?|establish(?:ed|es|ing)?|set\s+up")
#: A verb for making a body, as a founding is told with whoever did it.
_MADE = r"(?:(?:co-?)?founded|established|set\s+up|formed|created|started)"
#: A founding told with its founder, in any case ("Founded by Ada Lind in 1990, ..."): the
#: founder as such ("its founder", "co-founders", "its creator", "the brainchild of");
#: the passive with whoever did it ("founded by", "set up in 1995 in a church hall by",
#: not across a clause, "founded in 1889 and bought by Calveron", nor a "by" of a time or
#: an amount, "set up in 2021 and spent by 2026"); or who did it before the verb, by name
#: ("Joan Ashby founded", "Tom Hale started", "Bo Kerr jointly founded") or as a person
#: ("Ada Lind, who founded the charity", "the co-operative she founded").
_FOUNDER_NAMED = r"(?i:\b(?:co-?)?founders?\b|\b(?:its|their|the)\s+creators?\b|\bbrainchild\b)"
_FOUNDER = re.compile(
    rf"{_FOUNDER_NAMED}"
    rf"|(?i:\b{_MADE}\b(?:(?!\b(?:and|but|which|that|who|whose|when|where|while)\b)[^.;:])"
    r"{0,80}?\bby\s+(?!\d))"
    rf"|(?:\b(?!(?:It|This|That|There|Which|What)\b)[A-Z][\w'’-]+|\bI|(?i:\b(?:who|he|she|they|we)))\s+(?i:(?:\w+ly\s+)?{_MADE}\b)"
)
#: The founder named as such in a sentence of its own ("Its creator, Ada Lind, will open
#: it", after "The festival, founded in 1998, returns next month").
_FOUNDER_AS_SUCH = re.compile(_FOUNDER_NAMED)
_ESTABLISH = frozenset({"establish"})
#: A founding told in other words than the question's: "The bakery was set up by Joan
#: Ashby", "The choir was formed in 2004", "Tom Hale started the brewery in 1995",
#: "created in 1978 by the Wendle family", "which dates back to 1902", "since its
#: creation": a verb for making a body, in the passive (not "the cause has not been
#: established") or after who made it; a verb for making anything ("created", "started"),
#: with the year; or a date it goes back to.
_MAKING = r"(?:set\s+up|formed|established|incorporated)"
_MAKING_IN = r"(?:set\s+up|formed|established|incorporated|created|started)"
_FOUNDED_OTHERWISE = re.compile(
    rf"\b(?:(?<!not\s)(?<!yet\s)(?:was|were|been|being)\s+(?:\w+ly\s+)?{_MAKING}"
    rf"|who\s+(?:\w+ly\s+)?{_MAKING}"
    rf"|{_MAKING_IN}\b[^.;:]{{0,40}}?\bin\s+(?:\d{{4}}|the\s+\d{{4}}s)"
    r"|(?:dates|dated|dating)\s+back\s+to|dating\s+from|traces?\s+its\s+(?:roots|origins|history)"
    r"|since\s+its\s+(?:formation|creation|inception)"
    r"|(?:formation|creation|inception)\s+in\s+\d{4})\b",
    re.IGNORECASE,
)


def _a_founding_told(retrieval: Retrieval, candidates: list[SourceSentence]) -> bool:
    """Does an article tell a founding (:func:`_tells_founding`) where its retrieved
    sentences also hold every name of the question ("Who founded Harlby Coaches?" is not
    answered by a walkers' club "founded in 1987")?"""
    names = [t for t in retrieval.query.terms if t.anchor]
    by_article = stems_by_article(candidates)
    # ("Who founded Pettigrew's?" asks for the founder: "Pettigrew's was founded in
    # Tannerby in 1889" tells the founding, and not by whom)
    founding = retrieval.query.founding or ""
    who = retrieval.query.answer_type == "who" and bool(_FOUNDING_ASKED.fullmatch(founding))
    tells = {id(s): _tells_founding(retrieval, s) for s in candidates}
    told = {s.passage.article_id for s in candidates if tells[id(s)]}
    if who:  # the founding told with its founder, or the founder named as such
        told = {
            s.passage.article_id
            for s in candidates
            if s.passage.article_id in told
            and (_FOUNDER if tells[id(s)] else _FOUNDER_AS_SUCH).search(s.text)
        }
    for article in told:
        stems = by_article[article]
        present = frozenset(stems)
        if all(t.credit(stems, present) > 0 for t in names):
            return True
    return False


def _tells_founding(retrieval: Retrieval, sentence: SourceSentence) -> bool:
    """Does ``sentence`` tell a founding, for a question that asks who founded something
    or when (:attr:`~bot.core.query.Query.founding`): "founded in 2009 by ...", "its
    co-founder", or the question's own word or phrase ("established", "set up"), or
    "establish" for "found"; not its other synonyms (a factory is a "plant", a product has
    a "launch"), or a founding in other words (:data:`_FOUNDED_OTHERWISE`: "was formed
    in 2004", "started the brewery in 1995", "dates back to 1902")?"""
    if _FOUNDED.search(sentence.text) or _FOUNDED_OTHERWISE.search(sentence.text):
        return True
    term = next(t for t in retrieval.query.terms if t.word == retrieval.query.founding)
    term = replace(
        term,
        stems=term.stems - _FIND,
        synonym_stems=term.synonym_stems & _ESTABLISH,
        # ("co-founded" is also read as its part "found", which may be the past of "find")
        phrases=tuple((p, v) for p, v in term.phrases if not set(p) <= _FIND),
    )
    return term.credit(sentence.stems, frozenset(sentence.stems)) > 0


def _states_pay(retrieval: Retrieval, sentence: SourceSentence) -> bool:
    """Does ``sentence`` state an amount of money as someone's pay, for a question for
    what someone is paid: by a word for pay ("Varnam earns 84,000 euros", "Her salary
    is ..."), or as what the ones it asks about receive ("Each retiring pilot will
    receive 1,200 euros a month" for "How much will the retiring pilots be paid?", not
    for "How much does Ilse Varnam earn a month?": "receive" says pay only of them,
    :attr:`~bot.core.query.Query.payees`)?"""
    pay = retrieval.query.pay
    said = pay.intersection(sentence.stems)
    if not said or not states_amount("money", sentence.text):
        return False
    if not said <= _RECEIVING:
        return True
    present = frozenset(sentence.stems)
    payees = (t for t in retrieval.query.terms if t.word in retrieval.query.payees)
    return any(t.credit(sentence.stems, present) > 0 for t in payees)


#: A rate's unit follows its amount within this many words ("212 florins a week",
#: "2.6 million crowns in lost fares each day").
RATE_WITHIN = 6


def gives_rate(text: str, unit: str) -> bool:
    """Does ``text`` give an amount per ``unit``: a number, then within ``RATE_WITHIN``
    words "per", "a", "each" or "every" and the unit (its stem; "each of the 32 buses"
    too), or "/unit", or "per", "each" or "every" and the unit not far before the number,
    or the unit before the number and "each" or "apiece" after it ("the 32 buses will
    cost 1.2 million dollars each") or after the unit ("the buses will each cost 1.2
    million dollars"); or, for a unit of time, its adjective near the number ("an annual
    budget of 3 million", "paid weekly")?"""
    read = [t.lower() for t in _COUNT_TOKEN.findall(text)]
    tokens = [t for t in read if t != ","]
    at = [k for k, t in enumerate(read) if t != ","]  # where each token is in ``read``
    wanted = _unit_stems(unit)
    adjectives = RATE_WORDS.get(unit, ())
    for i, token in enumerate(tokens):
        if not _a_number(token):
            continue
        after = tokens[i + 1 :]
        if _per_unit(after, ("per", "each", "every"), wanted, RATE_WITHIN):
            return True
        if _a_unit_after(read[at[i] + 1 :], wanted):
            return True
        before = tokens[max(0, i - 2 * RATE_WITHIN) : i]
        if _EACH_AFTER.intersection(tokens[i + 1 : i + 4]) and any(
            _unit_stems(w) & wanted for w in before
        ):
            return True
        # ... or "each" after the unit, before the amount: "the buses will each cost 1.2
        # million dollars", "32 buses, each costing about 1.2 million dollars"
        if any(
            _unit_stems(w) & wanted and "each" in before[k + 1 : k + 3]
            for k, w in enumerate(before)
        ):
            return True
        # ... or the unit before it: "compensation for each sheep killed ... 220 florins";
        # how far is the unit's distance, its cue and a word before it ("each household
        # that lost its home will receive a once-off payment of 50,000 rand")
        cued = tokens[max(0, i - 2 * RATE_WITHIN - 2) : i]
        if _per_unit(cued, ("per", "each", "every"), wanted):
            return True
        near = tokens[max(0, i - RATE_WITHIN) : i + 1 + RATE_WITHIN]
        if any(w in adjectives for w in near):
            return True
    return bool(re.search(rf"\d\s*/\s*{re.escape(unit)}", text, re.IGNORECASE))


def _a_unit_after(after: list[str], unit: frozenset[str]) -> bool:
    """Do the words ``after`` an amount (with the commas between them) give it per
    ``unit`` with "a" or "an", after the amount's own words: what it is ("1.2 million
    dollars a bus"), what it is of ("40,000 barrels of oil a day"), whom it goes to ("900
    montas to the gangs a month"), that it is more ("40 cents more a litre") or what
    befell it ("40 people were killed a day")? Not an "a" that a small word takes as its
    own ("11 people drowned when an overloaded boat capsized", "11 people on an
    overloaded boat", "died in a single day"), nor one past a comma ("11 people drowned,
    an official said")."""
    for j, word in enumerate(after[:RATE_WITHIN]):
        if word == ",":
            return False
        if word not in ("a", "an"):
            continue
        if j > 0 and after[j - 1] in STOPWORDS and after[j - 1] not in _MORE_OR_LESS:
            continue
        if any(_unit_stems(w) & unit for w in after[j + 1 : j + 3]):
            return True
    return False


#: Small words that end an amount before the "a" of its rate: "40 cents more a litre".
_MORE_OR_LESS = frozenset(["more", "less"])
#: Words after an amount that make it an amount for each one: "1.2 million dollars each".
_EACH_AFTER = frozenset(["each", "apiece"])


def _per_unit(
    tokens: list[str], cues: tuple[str, ...], unit: frozenset[str], within: int | None = None
) -> bool:
    """Do ``tokens`` hold one of ``cues`` (among their first ``within``, if given) and then
    the ``unit`` (its stems, as :func:`_unit_stems` gives them), perhaps after one word
    ("per cubic metre", "each dead sheep"), or after "of", a determiner and a number
    ("each of the 32 electric buses")?"""
    for j, token in enumerate(tokens[:within]):
        if token not in cues:
            continue
        k = j + 1
        if k < len(tokens) and tokens[k] == "of":  # "each of the 32 buses"
            k += 1
            while k < len(tokens) and (tokens[k] in _DETERMINERS or _a_number(tokens[k])):
                k += 1
        if any(_unit_stems(w) & unit for w in tokens[k : k + 2]):
            return True
    return False


@functools.cache
def _unit_stems(word: str) -> frozenset[str]:
    """The stems of ``word`` and of the nouns it may be the plural of, so that a unit asked
    in the plural ("each of the buses", "each of the children") is found in the singular
    ("1.2 million dollars a bus", "£150 per child"), whose stems differ ("buse", "bus";
    "children", "child"), and the other way round."""
    return frozenset([stem(word), *(stem(b) for b in wordnet().base_forms(word, "n"))])


def _speaking(
    retrieval: Retrieval, scorer: SentenceScorer, sentences: list[SourceSentence]
) -> bool:
    """Does one of ``sentences`` show the one whose words the question asks for speaking,
    taking a stance (:func:`in_the_speaker_s_words`), or doing what the question's own
    verb says ("What did the transport department *approve*?": "the department approved
    ..."), or, for what a process came to, its outcome (:func:`outcome_told`)? An
    article speaks for its outlet: "What does the Harlow Courier say about the leak?"
    asks for the words of the Courier's article (see
    :func:`bot.core.gate.passage_evidence`)."""
    if in_the_speaker_s_words(retrieval, scorer, sentences, stance=True):
        return True
    speaker = retrieval.query.speaker
    anyone = in_anyone_s_words(retrieval, scorer, sentences)
    if anyone is not None:
        return bool(anyone)
    asked = next((t for t in retrieval.query.terms if t.word == speaker), None)
    outlets = {s.passage.source for s in sentences if s.passage.source}
    if asked is not None and any(
        asked.credit(outlet, frozenset(outlet)) > 0 for outlet in map(stems, outlets)
    ):
        return True
    verbs = [t.word for t in retrieval.query.terms if not t.noun and not t.anchor]
    if any(
        scorer.credits(s).get(speaker or "", 0.0) > 0
        and any(scorer.credits(s).get(v, 0.0) >= 1.0 for v in verbs)
        for s in sentences
    ):
        return True
    # "What did the coroner conclude?": what a process came to, told as done in other
    # words ("The coroner recorded a verdict of accidental death"), is no one's words
    outcome = asks_outcome(retrieval.query.text)
    return outcome is not None and outcome_told(retrieval, outcome, sentences)


def in_anyone_s_words(
    retrieval: Retrieval, scorer: SentenceScorer, sentences: list[SourceSentence]
) -> list[SourceSentence] | None:
    """For "What did the council guy say?", chat's word for someone the sources name
    otherwise ("Councillor Ray Dunmore said"; :func:`~bot.core.lexicon.plain_person`),
    that none of ``sentences`` uses: those that give anyone's words, when the question's
    nouns before the word (:func:`_qualifying`) say who it is by that person's words
    ("council": "Councillor Ray Dunmore said"; not a resident's words for "the police
    guy"), and not someone the sentence gives as of the other sex ("Owner Peter Gane said
    he was heartbroken" is no woman's words). None for any other question."""
    speaker = retrieval.query.speaker
    if (
        speaker is None
        or not plain_person(speaker)
        or any(scorer.credits(s).get(speaker, 0.0) for s in sentences)
    ):
        return None
    qualifiers = _qualifying(retrieval.query, speaker)
    sex = sex_of(speaker)
    return [
        s
        for s in sentences
        if reports_speech(s.text, stance=True)
        and all(scorer.credits(s).get(q, 0.0) > 0 for q in qualifiers)
        and (sex is None or speakers_sexes(s.text) in (set(), {sex}, {"male", "female"}))
    ]


def _qualifying(query: Query, speaker: str) -> list[str]:
    """The terms of the nouns right before ``speaker`` in the question, which say who the
    one asked about is: "council" in "What did the council guy say?", "food bank" in "the
    food bank lady"; none in "the old lady" ("old" is no noun)."""
    nouns = {t.word: t for t in query.terms if t.noun and not t.anchor and t.word != speaker}
    asked = words(query.text)
    if speaker not in asked:
        return []
    found: list[str] = []
    for word in reversed(asked[: asked.index(speaker)]):
        if word in STOPWORDS:
            break
        if word in nouns:
            found.append(word)
    return found


#: A question for the name of a thing: "What is the stadium *called*?", "the *name of* the
#: stadium".
_ASKS_NAME = re.compile(
    rf"\bcalled\b|\bnamed\b|\b(?:{'|'.join(sorted(NAMING))})\s+of\b", re.IGNORECASE
)


#: A sentence that says someone is not named: "The train driver, who was not named by the
#: operator, ...", "a taxi firm owner who did not want to be named", "whose name was
#: withheld by the court", "The names of the dead have not been released", "The driver's
#: name was not released", "has yet to be named", "was not immediately identified".
_UNNAMED = re.compile(
    r"\b(?:(?:was|were|has|have|had|is|are)(?:\s+not|n't)(?:\s+yet)?(?:\s+been)?\s+(?:\w+ly\s+)?"
    r"(?:named|identified)"
    r"|(?:was|were|has|have|had|is|are)\s+yet\s+to\s+be\s+(?:\w+ly\s+)?(?:named|identified)"
    r"|(?:did|does|do)(?:\s+not|n't)\s+(?:want|wish)\s+to\s+be\s+named"
    r"|(?:asked|wished|wanted|preferred)\s+not\s+to\s+be\s+named|declined\s+to\s+be\s+named"
    r"|speaking\s+on\s+condition\s+of\s+anonymity|on\s+condition\s+that\s+(?:he|she|they)\s+not\s+be\s+named"
    r"|names?\s+(?:was|were|has\s+been|have\s+been|had\s+been)\s+withheld"
    r"|names?\b[^.;]{0,40}?\b(?:has|have|had|was|were|is|are)(?:\s+not|n't)(?:\s+yet)?(?:\s+been)?"
    r"\s+(?:\w+ly\s+)?(?:released|made\s+public|given|disclosed|published))",
    re.IGNORECASE,
)


def _said_unnamed(retrieval: Retrieval, candidates: list[SourceSentence]) -> Term | None:
    """The term of the one a question asks for by role or by name ("Who was the train
    driver?", "What was the name of the fisheries observer?"), when a sentence says that
    one is not named ("The train driver, who was not named by the operator, was unhurt"):
    the sources then say they do not give the name, and a name elsewhere is someone
    else's (the tractor driver's). The sentence must hold the role and the words the
    question puts right before it ("train" driver, "fisheries" observer), so that "Who was
    the tractor driver?" still finds the tractor driver named; and it must say it of them
    (:func:`_unnamed_one`), so that "A passenger, who asked not to be named, said the
    skipper had saved lives" leaves "Who was the skipper?" to the rest. Nor when the story
    names them after all ("Police later named the driver as Gareth Moss"): news updated
    as it goes says both."""
    query = retrieval.query
    asked = _asked_thing(retrieval)
    if (
        asked is None
        or asked.place
        or (query.answer_type != "who" and not _ASKS_NAME.search(query.text))
    ):
        return None
    qualifiers = _words_before(query, asked)
    for s in candidates:
        if not any(_unnamed_one(asked, s.text, m) for m in _UNNAMED.finditer(s.text)):
            continue
        present = frozenset(s.stems)
        if (
            asked.credit(s.stems, present) >= 1.0
            and all(t.credit(s.stems, present) > 0 for t in qualifiers)
            and not any(
                other.passage.article_id == s.passage.article_id
                and _NAMED_AS.search(other.text)
                and _role_as_asked(asked, qualifiers, other.text)
                for other in candidates
            )
        ):
            return asked
    return None


def _role_as_asked(asked: Term, qualifiers: list[Term], text: str) -> bool:
    """Does ``text`` speak of the role ``asked`` as the question does: after one of the
    question's words before it ("the *train* driver") or after no word of its own ("the
    driver"), not as another's ("the *tractor* driver")?"""
    tokens = [w.lower() for w in words(text)]
    return any(
        stem(w) in asked.stems
        and (
            i == 0
            or tokens[i - 1] in STOPWORDS
            or any(stem(tokens[i - 1]) in t.stems for t in qualifiers)
        )
        for i, w in enumerate(tokens)
    )


#: A story naming someone after all: "Police later named the driver as Gareth Moss", "The
#: victim has been identified as Ann Roe".
_NAMED_AS = re.compile(r"\b(?:named|identified)\b[^.;]{0,40}?\bas\s+[A-Z][\w'’-]*\s+[A-Z]")


def _unnamed_one(asked: Term, text: str, unnamed: re.Match[str]) -> bool:
    """Is the one ``unnamed`` (a match of :data:`_UNNAMED` in ``text``) says is not named
    the role ``asked``: the role within it ("the name of the *driver* has not been
    released"), or the last person ``text`` speaks of before it ("The bus *driver*, who
    was not named", "The *victim*, a woman of 24, has not been named": an aside between
    commas is passed over), or, with none before, the first after it ("Speaking on
    condition of anonymity, an *official* said")? Not a role of another clause: in "A
    passenger, who asked not to be named, said the skipper ...", the passenger."""
    net = wordnet()

    def person(word: str) -> bool:
        return net.commonest_file(word) == "noun.person"

    tokens = list(_ROLE_WORD.finditer(text))
    if any(stem(t.group(0).lower()) in asked.stems for t in tokens if _within(t, unnamed)):
        return True
    before = text[: unnamed.start()].rstrip()
    if before.endswith(","):  # an aside: "The victim, a woman of 24, has not been named"
        opened = before.rfind(",", 0, len(before) - 1)
        if opened >= 0:
            before = before[:opened]
    for token in reversed([t for t in tokens if t.end() <= len(before)]):
        if stem(token.group(0).lower()) in asked.stems:
            return True
        if person(token.group(0).lower()):
            return False
    after = (t for t in tokens if t.start() >= unnamed.end())
    first = next((t for t in after if person(t.group(0).lower())), None)
    return first is not None and stem(first.group(0).lower()) in asked.stems


_ROLE_WORD = re.compile(r"[^\W\d_]+")


def _within(token: re.Match[str], span: re.Match[str]) -> bool:
    return span.start() <= token.start() and token.end() <= span.end()


def _words_before(query: Query, term: Term) -> list[Term]:
    """The terms the question writes right before ``term``'s word, as one run of words
    ("the *vocational training* director": vocational, training)."""
    tokens = [w.lower() for w in words(query.text)]
    if term.word not in tokens:
        return []
    by_word = {t.word: t for t in query.terms}
    before: list[Term] = []
    for w in reversed(tokens[: tokens.index(term.word)]):
        if w not in by_word:
            break
        before.insert(0, by_word[w])
    return before


def _how_many_asked(query: Query) -> int | None:
    """How many of the thing it asks about a question says there are (its count, "the
    *two* traders", "the *3* hikers": :attr:`Query.count`; not a year, "the 2019
    winners", which counts nothing), else None."""
    if query.count is None:
        return None
    digits = query.count if query.count.isdigit() else digits_of(query.count)
    return int(digits) if digits is not None and digits.isdigit() else None


def _asked_thing(retrieval: Retrieval) -> Term | None:
    """What a "who" question asks about by role ("Who is the *captain*?"), what a "how
    many" question counts ("How many gang *members* ...?"), or the thing whose name a
    question asks for ("What is the *stadium* called?"), if any."""
    query = retrieval.query
    if query.answer_type == "what" and _ASKS_NAME.search(query.text):
        return next((t for t in query.terms if t.asked and not t.anchor), None)
    place = next((t for t in query.terms if t.asked and not t.anchor and t.place), None)
    if place is not None:
        return place
    if query.answer_type == "who":
        return next((t for t in query.terms if t.asked and t.required and not t.anchor), None)
    if query.answer_type == "quantity" and query.measure is None:
        return next((t for t in query.terms if t.asked and not t.anchor), None)
    return None


def _naming_the_most(
    asked: Term, scorer: SentenceScorer, found: list[SourceSentence]
) -> list[SourceSentence]:
    """For "Which countries were at the summit?" (places asked in the plural), those of
    ``found`` that name the most places of the kind (:func:`_places_named`), when one
    names two or more ("from Honduras, El Salvador and Guatemala"), before one that names
    one or counts them ("the three Central American nations"); all of ``found``
    otherwise. A list weighs only against lists that say no less of the question: "Only
    Norway and Iceland signed the pact" answers which countries signed it before the four
    delegations that attended the talks, whose sentence holds neither "signed" nor
    "pact"."""
    if asked.word in wordnet().base_forms(asked.word, "n"):
        return found  # asked in the singular: "which city"
    kind = _kind_asked(asked, scorer.question)
    named = {id(s): len(_places_named(kind, s)) for s in found}
    said = {id(s): scorer.in_its_words(s) - {asked.word} for s in found}
    lists = [s for s in found if named[id(s)] >= 2]
    lists = [s for s in lists if not any(said[id(s)] < said[id(o)] for o in lists)]
    most = max((named[id(s)] for s in lists), default=0)
    return [s for s in lists if named[id(s)] == most] or found


def _kind_asked(asked: Term, question: str) -> str:
    """The kind of place ``question`` asks for, as WordNet has it: "central american
    countries", whose instances are Honduras or Guatemala but not the United States, for
    "Which Central American countries ...?"; else the asked word itself ("countries")."""
    found = words(question)
    if asked.word not in found:
        return asked.word
    at = found.index(asked.word)
    for n in (2, 1):
        if at >= n:
            kind = " ".join([*found[at - n : at], asked.word])
            if wordnet().senses(kind, "n") and wordnet().instances(kind):
                return kind
    return asked.word


def _places_named(kind: str, sentence: SourceSentence) -> set[str]:
    """The places of the ``kind`` (a noun) that ``sentence`` names: the names it writes with
    capitals that are WordNet's instances of the kind, in one word or several ("China",
    "Turkey", "South Korea", "United States of America"; not the china on a shelf, nor a
    place's name inside a longer one: the "Honduras Summit", "Central America"), and the
    other names of a list that holds one of those: "Leeds and Bradford" names two
    cities, though WordNet knows Bradford only as a printer."""
    known = _instance_names(kind)
    text = sentence.text.strip()
    found: set[str] = set()
    for m in _NAMES.finditer(text):
        name = m.group(0).rstrip(".")
        if m.start() == 0 and " " in name and not known.fullmatch(name):
            name = name.split(None, 1)[1]  # "Only Norway": the sentence's first word
        if known.fullmatch(name):
            found.add(name.lower())
    for listed in _LIST_OF_NAMES.finditer(text):
        names = [n.strip(" .") for n in _LIST_JOINS.split(listed.group(0)) if n.strip(" .")]
        if any(n.lower() in found or n.lower().split(None, 1)[-1] in found for n in names):
            found |= {
                n.lower()
                for n in names
                if n.lower().split(None, 1)[-1] not in found and not _another_place(n)
            }
    return found


def _another_place(name: str) -> bool:
    """Is ``name`` a place WordNet files as such, which a list of places of another kind
    does not make one of them ("Central America", a region, beside Mexico)?"""
    senses = wordnet().senses(name.lower(), "n")
    return any(s.lexname == "noun.location" for s in senses)


#: A name of one or more capitalised words, perhaps with "of (the)" between them
#: ("Norway", "South Korea", "United States of America"); a list of such names, joined by
#: commas and a last "and" or "or" ("Norway, Sweden and Finland").
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’.-]*)*"
_NAMES = re.compile(_NAME)
_LIST_OF_NAMES = re.compile(rf"{_NAME}(?:\s*,\s*{_NAME})*\s*,?\s+(?:and|or)\s+{_NAME}")
_LIST_JOINS = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+")


@functools.cache
def _instance_names(kind: str) -> re.Pattern[str]:
    """A pattern for WordNet's named instances of ``kind``, as written with capitals."""
    names = sorted((n for n in wordnet().instances(kind) if n[:1].isupper()), key=len)
    return re.compile("|".join(re.escape(n) for n in reversed(names)) or "(?!)")


#: A question for how many of a thing there are (not "how much", an amount).
_HOW_MANY = re.compile(r"^\W*how\s+many\b", re.IGNORECASE)


def beside_the_asked(
    retrieval: Retrieval, scorer: SentenceScorer, sentences: list[SourceSentence]
) -> list[SourceSentence] | None:
    """Those of ``sentences`` that give what the question asks for beside the thing it
    asks about, in one sentence: a person's name beside the role a "who" question names
    ("the captain, Marco Ilic," or "Ilic, the club's captain"; its word or a kind of it),
    a number beside what a "how many" question counts ("212 players"; or a synonym, or,
    failing those, the people it is a kind of; not a year or a model code), a name
    beside the thing whose name is asked for ("the club's stadium, Marrow Park,"). Not a
    captain in one sentence and some other person's name in the next, nor the players in
    one and the number of countries in another. None when the question asks about no
    such thing.
    """
    kind = retrieval.query.answer_type
    asked = _asked_thing(retrieval)
    if kind == "quantity" and PORTION.search(retrieval.query.text):
        # "What share of the kindergarten kids are vaccinated?": a share of people ("78
        # percent of kindergarten pupils"), which counts none of them, not of a thing ("40
        # per cent of the budget" for "What share of voters backed the tramway?"); or a
        # share named as one, whose whole is often left unsaid ("Coal's share fell to 12
        # per cent"); not a change ("fell 38 per cent in the hour")
        return [s for s in sentences if _SHARE_NAMED.search(s.text) or _a_share_of(s, asked)]
    if asked is None:
        return None
    if asked.place:  # "which city": a city by its name ("Tegucigalpa", "the port city of X")
        found = [
            s
            for s in sentences
            if (
                asked.credit_in(s.text, s.stems, frozenset(s.stems)) >= 1.0
                and (asked.named_in(s.stems) or new_name(s.text, scorer.question, person=False))
            )
            or _places_named(asked.word, s)  # ("China", "South Korea": see _places_named)
        ]
        return _naming_the_most(asked, scorer, found)
    if kind in ("who", "what"):  # a person by role; a thing's name ("the stadium called")
        # A question for the name itself wants it beside the thing ("the contractor,
        # Vell Systems,"), not a sentence with the thing and some other name.
        # ... and so does one for the members of a group it counts ("Who were the two
        # traders killed?"): it knows how many there were, and asks who, so a sentence
        # with the traders and some other name ("footage from the city of Dumeka") does
        # not say.
        # A name further off is no evidence on its own, but as many names as it counts
        # are (names of anything, one of them perhaps a person's: "Tom Brine" need not
        # read as a person's): "the two hikers, who had set out from Ardmore, were Ewan
        # Tollis, 34, and Priya Halloran, 29", "named by relatives as Musa Ibo and Kofi Ade".
        many = _how_many_asked(retrieval.query)
        beside = bool(_ASKS_NAME.search(retrieval.query.text)) or many is not None
        # (a person's name for a person: "What is the name of the 83-year-old woman?" is
        # not answered by "Sedgecombe General Hospital, including an 83-year-old woman")
        person = kind == "who" or wordnet().commonest_file(asked.word) == "noun.person"
        naming = [
            s
            for s in sentences
            if asked.credit_in(s.text, s.stems, frozenset(s.stems)) >= 1.0
            and (
                new_name_beside(s.text, scorer.question, asked.stems, person=person)
                or (
                    many is not None
                    and many >= 2
                    and new_name(s.text, scorer.question, person=person)
                    and new_names_count(s.text, scorer.question, person=False) >= many
                )
                if beside
                else new_name(s.text, scorer.question, person=person)
            )
        ]
        if kind == "who":
            naming += [s for s in _named_next(asked, scorer, sentences) if s not in naming]
        return naming
    # (a percentage or a sum counts no thing: "a 9 per cent pay rise for soldiers" does not
    # say how many soldiers serve)
    counts_things = bool(_HOW_MANY.match(retrieval.query.asking))
    counting = [
        s
        for s in sentences
        if scorer.expects is not None
        and holds_count(
            scorer.expects,
            without_shares_or_sums(s.text, asked.word) if counts_things else s.text,
            scorer.question,
        )
    ]
    by_name = [s for s in counting if asked.credit_in(s.text, s.stems, frozenset(s.stems)) > 0]
    if stem(asked.word) in asked.counted_as:
        # "How many people ...?" counts persons, not the groups WordNet files as kinds of
        # people ("the four governments", "three nations"), whose number counts no one;
        # a count of persons of any kind ("about 46,000 passengers") counts them where
        # its sentence names, in its own words, every name and thing the question names
        # ("How many people ride the Kestrin Line on a weekday?"; not "the 2021 deaths of
        # two hikers in the valley" for the Marren valley floods, nor any count for a
        # question that names nothing but the people)
        names = [t.word for t in retrieval.query.terms if (t.anchor or t.noun) and t is not asked]
        by_name = [
            s
            for s in by_name
            if _counts_people(s.text, asked.counted_as)
            or _counts(s.text, asked.counted_as)
            or _sizes_people(s.text, asked.stems, asked.counted_as)
        ] or [
            s
            for s in counting
            if names
            and _counts_people(s.text, asked.counted_as)
            and all(scorer.credits(s).get(w, 0.0) >= 1.0 for w in names)
        ]
    # Only when no sentence counts them by their word: the patients asked about, as "three
    # people taking the drug" (not "400 people" before "1,900 residents of the villages").
    # Failing that, people are counted by what they did: "how many people signed the
    # petition" by "640 signatures" (see _acts_of_people).
    # A number right after the question's verb counts what it was done to ("had
    # enrolled 420 adults" for "How many patients were enrolled?").
    acts = _acts_of_people(retrieval, asked)
    verbs = _verbs_of(retrieval, asked)
    chosen = (
        by_name
        or [s for s in counting if asked.counted_as & frozenset(s.stems)]
        or [s for s in counting if _counts_acts(s.text, acts)]
        or _counting_people_who_did(asked, verbs, counting)
    )
    if chosen and stem(asked.word) in asked.counted_as:
        # "How many people protested?" is answered first by a number of people of any
        # kind ("some 1,000 protesters"), before a number beside a word that WordNet files
        # under people as a group ("the two countries ... $3.9 billion"). Only as an
        # order: that a sentence counts some persons ("the 2021 deaths of two hikers")
        # is no evidence that it counts those asked about.
        people = [s for s in counting if _counts_people(s.text, asked.counted_as)]
        chosen = [*people, *(s for s in chosen if s not in people)]
    return chosen + [s for s in counting if s not in chosen and _counts_after(s.text, verbs)]


def _counting_people_who_did(
    asked: Term, verbs: frozenset[str], counting: list[SourceSentence]
) -> list[SourceSentence]:
    """For "How many *people* needed treating?" (people in general), those of
    ``counting`` whose count of a kind of person is followed by what the question asks
    they did ("23 runners were treated"): people of any kind who did it are the people
    asked about. A count of some persons alone is no evidence (see beside_the_asked),
    nor one that the deed comes before ("the 2021 deaths of two hikers" counts no one
    who died in this week's floods)."""
    if not verbs or stem(asked.word) not in asked.counted_as:
        return []
    return [s for s in counting if _people_who_did(s.text, asked.counted_as, verbs)]


#: How many words after the persons counted their deed may come: "23 runners *were*
#: treated", "12 passengers had been rescued".
DEED_AFTER = 3
#: ... and how many more after a place they are at, in or from: "640 workers *at the
#: Ashmore's chocolate factory in Kelvedge* walked out".
PLACE_WORDS = 8
_PLACE_PREPOSITIONS = frozenset("at in from on across near outside inside".split())
#: What ends the persons' own words: "12 people at the meeting, where others walked out"
#: and "two hikers from the village that the floods destroyed" say no deed of theirs.
_CLAUSE_ENDS = frozenset(", ; who whom whose which that where when while and but or".split())


def _people_who_did(text: str, people: frozenset[str], verbs: frozenset[str]) -> bool:
    """Does ``text`` count persons (a number, then a plural word for a kind of person:
    :func:`_persons`) and say, within :data:`DEED_AFTER` words after them, that they did
    the deed (``verbs``, stems of the question's verbs' families), or after a place they
    are at, in or from (:data:`PLACE_WORDS` more)?"""
    tokens = _COUNTED_TOKEN.findall(text)
    for i, word in enumerate(tokens):
        if not _a_number(word) or YEAR.fullmatch(word):
            continue
        for j in range(i + 1, min(i + 3, len(tokens))):
            if tokens[j] == "," or not _persons(tokens[j].lower(), people):
                continue
            after = tokens[j + 1 : j + 1 + DEED_AFTER]
            if tokens[j + 1 : j + 2] and tokens[j + 1].lower() in _PLACE_PREPOSITIONS:
                rest = tokens[j + 1 : j + 1 + DEED_AFTER + PLACE_WORDS]
                end = next((n for n, w in enumerate(rest) if w.lower() in _CLAUSE_ENDS), None)
                after = rest[:end]
            if any(w != "," and stem(w.lower()) in verbs for w in after):
                return True
    return False


#: A share of something: "78 percent of kindergarten pupils", "21% of the power", "half
#: of the members", "two-thirds of voters", "one in five nurses".
_SHARE_OF = re.compile(
    r"(?:\d[\d.,]*\s*(?:%|per\s*cent|percent)|\bhalf|\b(?:a|one|two|three)[\s-]"
    r"(?:third|quarter|fifth|tenth)s?)\s+of\b"
    rf"|\b{ONE_IN}\b",
    re.IGNORECASE,
)


def _a_share_of(sentence: SourceSentence, asked: Term | None) -> bool:
    """Does ``sentence`` give a share of something ("21 percent of all the electricity"),
    and, when the question asks a share of people (``asked``: "what share of voters"), a
    share of them or of some people ("78 percent of kindergarten pupils" for "what share
    of the kids"), not of a thing ("40 per cent of the budget")?"""
    if not _SHARE_OF.search(sentence.text):
        return False
    if asked is None or not asked.counted_as:
        return True
    if asked.credit_in(sentence.text, sentence.stems, frozenset(sentence.stems)):
        return True
    # (the words after "of": "78 percent of kindergarten *pupils*")
    return any(
        _persons(word, asked.counted_as)
        for found in _SHARE_OF.finditer(sentence.text)
        for word in re.findall(r"[^\W\d_]+", sentence.text[found.end() :])[:3]
    )


#: A share named as one, at its level: "Coal's share fell to 12 per cent", "the
#: proportion of homes ... is about 40%" (not "the share price fell 3 per cent", a change,
#: nor "by 0.5 percentage points").
_SHARE_NAMED = re.compile(
    r"\b(?:share|proportion|percentage|fraction)\b(?!\s+(?:price|holder|points?))[^.;]{0,80}?"
    r"\b(?:to|at|of|was|is|were|are)\s+(?:[a-z]+\s+)?\d[\d.,]*\s*(?:%|per\s*cent|percent)",
    re.IGNORECASE,
)


def _acts_of_people(retrieval: Retrieval, asked: Term) -> frozenset[str]:
    """When a "how many" question counts people (``asked``: "people", "residents"), the
    stems of its verbs' families ("signed": "signature", "signatory"): people are counted
    by their acts as news writes them ("640 signatures", "1,200 votes", "12 deaths")."""
    if not asked.counted_as:
        return frozenset()
    return _verbs_of(retrieval, asked)


def _named_next(
    asked: Term, scorer: SentenceScorer, sentences: list[SourceSentence]
) -> list[SourceSentence]:
    """News often names a person one sentence after it describes them ("A policy analyst
    at a Washington research centre has warned that ... . Dr. Priya Castellanos-Moore, who
    directs the Central America programme ..., said ..."): those of ``sentences`` that
    open with a person's name and are the first to name anyone within a few sentences
    after one of their article that speaks of someone by the role asked about with "a" or
    "an" and names no one, unless a sentence between speaks of the role again without a
    name ("The analyst, whose name was withheld by the court, ...")."""
    by_article: dict[int, list[SourceSentence]] = {}
    for s in sentences:
        by_article.setdefault(s.passage.article_id, []).append(s)
    found: list[SourceSentence] = []
    for article in by_article.values():
        article.sort(key=lambda s: s.start)
        for i, before in enumerate(article):
            if not _described(asked, before.text) or new_name(before.text, scorer.question):
                continue
            # the first person the story names after describing them, a few sentences on
            first = None
            for s in article[i + 1 : i + 1 + _NAMED_WITHIN]:
                if new_name(s.text, scorer.question):
                    first = s
                    break
                if asked.credit_in(s.text, s.stems, frozenset(s.stems)):
                    break  # "The analyst, whose name was withheld, ...": still unnamed
            if first is not None and _OPENS_WITH_A_NAME.match(first.text) and first not in found:
                found.append(first)
    return found


def _described(asked: Term, text: str) -> bool:
    """Does ``text`` speak of someone by the role ``asked`` with "a" or "an" ("a policy
    *analyst*", "an Estavian *spokeswoman*": described, not yet named)?"""
    tokens = words(text)
    return any(
        token in ("a", "an")
        and any(stem(w) in asked.stems for w in tokens[i + 1 : i + 1 + _ROLE_REACH])
        for i, token in enumerate(tokens)
    )


#: How far after "a" the role may come: "a senior policy analyst".
_ROLE_REACH = 4
#: How many sentences after describing someone news names them, at most.
_NAMED_WITHIN = 4
#: A sentence that opens with a person's name, perhaps after a title ("Dr. Priya ...").
_OPENS_WITH_A_NAME = re.compile(r"^\W*(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?[A-Z][\w'’-]+\s+[A-Z]")


#: How news gives a thing's name: "known (for now) as CB-417", "called the Eastline",
#: "named Lady with a Grey Parrot", "dubbed ...", "nicknamed ...".
_NAMING = re.compile(
    r"\b(?:known(?:\s+\w+){0,3}?\s+as|called|named|dubbed|nicknamed|titled|entitled|"
    r"christened|branded)\s+(?:the\s+)?[\"“‘']?[A-Z0-9]"
)


def naming_the_asked(retrieval: Retrieval, sentences: list[SourceSentence]) -> list[SourceSentence]:
    """For a question for a thing's name ("What's the vaccine called?"), those of
    ``sentences`` that give a name the way news names things ("known for now as
    CB-417"), before one that holds the thing and some other name (a professor's).
    Empty for other questions."""
    query = retrieval.query
    if query.answer_type != "what" or not _ASKS_NAME.search(query.text):
        return []
    return [s for s in sentences if _NAMING.search(s.text)]


def heading_the_asked(
    retrieval: Retrieval, sentences: list[SourceSentence]
) -> list[SourceSentence]:
    """For "Which union is behind the walkout?", those of ``sentences`` that name a union
    by a name the asked noun heads ("the Dunmore Nurses' Union"), or give its name or
    code after it ("batch number KP-2291"), before one that says "the union": "which"
    asks which one, and news tells one by its name. Empty for other questions, and when
    no sentence names one so."""
    query = retrieval.query
    if query.answer_type != "what":
        return []
    asked = next((t for t in query.terms if t.asked and not t.anchor), None)
    if asked is None or not re.search(
        rf"\bwhich\s+(?:[\w'’-]+\s+){{0,2}}?{re.escape(asked.word)}\b", query.text, re.I
    ):
        return []
    head = asked.word[:1].upper() + asked.word[1:]
    word = re.escape(asked.word)
    naming = re.compile(
        # a name the noun heads: "the Dunmore Nurses' Union"
        rf"\b[A-Z][\w'’&.-]*\s+(?:(?:of|for|and|[A-Z][\w'’&.-]*)\s+)*?{head}\b|"
        # the noun and its name or code: "batch number KP-2291", "the union Unite"
        rf"\b(?i:{word})(?:\s+(?i:number|no\.?|code))?\s+(?:[A-Z0-9][\w-]*\d[\w-]*|[A-Z][\w'’-]+)"
    )
    return [s for s in sentences if naming.search(s.text)]


#: "What is coffee rust?", "what's the Eastline?", "What are plate corals?": a question for
#: what a thing is, the thing in group 1.
_DEFINITION_ASKED = re.compile(
    r"^\W*what(?:'s|’s|\s+is|\s+are|\s+was|\s+were)\s+(?:an?\s+|the\s+)?"
    r"((?:[\w'’&-]+\s+){0,4}[\w'’&-]+)\W*$",
    re.IGNORECASE,
)


def defining(retrieval: Retrieval, sentences: list[SourceSentence]) -> list[SourceSentence]:
    """Those of ``sentences`` that say what the thing a "What is X?" question asks about
    is: X followed by a form of "be" ("Coffee rust is caused by a fungus", not "Coffee
    rust is spreading") or by a noun phrase set beside it ("the Eastline, a bus rapid
    transit corridor that ..."). Empty for other questions."""
    asked = _DEFINITION_ASKED.match(retrieval.query.text)
    if asked is None:
        return []
    thing = r"\s+".join(re.escape(w) for w in asked.group(1).split())
    pattern = re.compile(
        rf"(?:^\W*(?:the\s+|an?\s+)?{thing}\s+(?:is|are|was|were)\s+(?!\w+ing\b)"
        rf"|\b{thing},\s+(?:an?|the)\s)",
        re.IGNORECASE,
    )
    return [s for s in sentences if pattern.search(s.text)]


#: A number and the thing it counts are at most this many words apart: "212 players",
#: "8,600 older adults", "three of its stations".
MAX_COUNT_GAP = 3
_COUNT_TOKEN = re.compile(r"\d[\d,.]*\d|\d|[^\W\d_]+|,")
_NUMBER_WORDS = NUMBER_WORDS | frozenset(
    "hundred hundreds thousand thousands million millions dozen dozens".split()
)


def counting_the_asked(
    retrieval: Retrieval, sentences: list[SourceSentence]
) -> list[SourceSentence]:
    """Those of ``sentences`` in which a number counts what a "how many" question asks
    about: the number, then the thing (its word, family, a kind or a synonym) within
    ``MAX_COUNT_GAP`` words. "This year's open drew 212 players" counts the players;
    "Tobiah Fenwick-Osei, a 15-year-old international master, ... the highest-rated
    player" holds a number and a player, but counts no players. Empty for other
    questions."""
    asked = _asked_thing(retrieval)
    if asked is None or retrieval.query.answer_type != "quantity":
        return []
    if stem(asked.word) in asked.counted_as:
        # "how many people": a number of persons of any kind, not of the groups WordNet
        # files among the kinds of people ("the two countries"; see beside_the_asked),
        # nor fewer than the question's own word counts ("Eleven of the people on board")
        acts = _acts_of_people(retrieval, asked)
        found = [
            s
            for s in sentences
            if _counts_people(s.text, asked.counted_as)
            or _counts(s.text, asked.counted_as)
            or _counts_acts(s.text, acts)
        ]
        if found:
            return found
    found = [s for s in sentences if _counts(s.text, asked.stems | asked.synonym_stems)]
    if found:
        return found
    # the number of what the question's verb was done to ("had enrolled 420 adults")
    verbs = _verbs_of(retrieval, asked)
    found = [s for s in sentences if _counts_after(s.text, verbs)]
    if found:
        return found
    found = [s for s in sentences if _counts(s.text, asked.counted_as)]
    if found:
        return found
    acts = _acts_of_people(retrieval, asked)
    return [s for s in sentences if _counts_acts(s.text, acts)]


def _verbs_of(retrieval: Retrieval, asked: Term) -> frozenset[str]:
    """The stems of the question's words other than names and nouns ("enrolled"); of a
    phrasal verb's, its verb's too ("walk" of "walk out": "640 workers walked out")."""
    return frozenset(
        w
        for t in retrieval.query.terms
        if not t.noun and not t.anchor and t is not asked
        for w in (t.stems | {stem(t.word.split()[0])} if " " in t.word else t.stems)
    )


#: Words between a verb and the number of what it was done to: "enrolled *about* 420".
_APPROXIMATELY = frozenset(
    "about around some nearly almost roughly approximately over just only".split()
)


#: A length of time, a measurement or a percentage: "three days", "5 metres", "12 per cent".
_MEASURED = re.compile(
    r"(?<![\d,.])[\d,.]*(?:"
    + "|".join([DURATION.pattern, MEASUREMENT.pattern, r"\d\s*(?:%|(?:per\s*cent|percent)\b)"])
    + ")",
    re.IGNORECASE,
)


def _counts_after(text: str, verbs: frozenset[str]) -> bool:
    """Does a number in ``text`` follow one of ``verbs`` (stems), perhaps after "about":
    it counts what the verb was done to ("The trial had enrolled 420 adults" for "How
    many patients were enrolled?", "the clinics gave 610 doses"). Not a year, nor a
    number after a comma ("two car parks, one at Brennick"), nor one that begins a length
    of time, a measurement or a percentage ("died three days later", "rose 5 metres"):
    that says how long or how much, not how many."""
    tokens = [t.lower() for t in _COUNTED_TOKEN.findall(_MEASURED.sub(" ", text))]
    for i, word in enumerate(tokens):
        if not _a_number(word) or YEAR.fullmatch(word):
            continue
        j = i - 1
        while j >= 0 and tokens[j] in _APPROXIMATELY:
            j -= 1
        if j >= 0 and stem(tokens[j]) in verbs:
            return True
    return False


#: Words after a number that make it a share or a larger number, not a count of things:
#: "three per cent", "3 million".
_NO_COUNT_AFTER = frozenset(["per", "percent", "thousand", "million", "billion", "trillion"])


def giving_the_count(retrieval: Retrieval, sentences: list[SourceSentence]) -> list[SourceSentence]:
    """For a question that says how many things it asks for ("What three core areas does
    the accord cover?"), those of ``sentences`` that give that many of something ("The
    text rests on three pillars", "in four areas:"): the sentence that opens the list
    asked for, which the next ones carry on. Not a number inside a word ("a four-year
    deal"), nor one that says how long, how much or what share ("three weeks", "a 3-year
    deal", "3 million euros", "three per cent"). Empty for other questions."""
    count = retrieval.query.count
    if count is None:
        return []
    value = count if count.isdigit() else digits_of(count)
    found = []
    for s in sentences:
        tokens = _COUNTED_TOKEN.findall(_MEASURED.sub(" ", s.text))
        if any(
            (t if t.isdigit() else digits_of(t.lower())) == value
            and after[:1].isalpha()
            and after.lower() not in _NO_COUNT_AFTER
            for t, after in itertools.pairwise(tokens)
        ):
            found.append(s)
    return found


def as_precise_as_asked(
    retrieval: Retrieval, sentences: list[SourceSentence]
) -> list[SourceSentence]:
    """Those of ``sentences`` that give the answer as precisely as the question asks
    (:func:`precision_asked`): "On what date did the ferry sink?" is answered by "went
    down ... on 12 October", not "sank on Saturday evening"; "How much has the council set
    aside?" by "a support fund of 500,000 euros", not "voted 31 to 17"; an amount in a
    currency no dictionary knows is one too ("fined 120 solari": :func:`coined_money`).
    Empty for other questions, and when none does: a weekday still answers "when", a
    number "how much"."""
    gives = precision_asked(retrieval)
    if gives is None:
        return []
    amount = retrieval.query.answer_type == "quantity"
    return [s for s in sentences if gives.search(s.text) or (amount and coined_money(s.text))]


#: Words between a group and its size: "a population of *about* 12,000".
_ROUGHLY = frozenset("about around some nearly almost roughly over under just more than".split())


def _sizes_people(text: str, groups: frozenset[str], people: frozenset[str]) -> bool:
    """Does a number in ``text`` give the size of a group of people (``groups``, stems):
    come after the group and "of" ("a population of about 12,000", "its electorate of
    31,000", "a nation of 5 million"), which counts its persons, as a number before the
    group ("the four governments") counts groups? Not when the number counts some other
    thing ("a land of 1,000 lakes"), nor a year ("the class of 2020")."""
    tokens = [t for t in _COUNTED_TOKEN.findall(text) if t != ","]
    net = wordnet()
    for i, word in enumerate(tokens[:-2]):
        if stem(word.lower()) not in groups or tokens[i + 1].lower() != "of":
            continue
        j = i + 2
        while j < len(tokens) and tokens[j].lower() in _ROUGHLY:
            j += 1
        if j == len(tokens) or not _a_number(tokens[j]) or YEAR.fullmatch(tokens[j]):
            continue
        j += 1
        while j < len(tokens) and tokens[j].lower() in _NUMBER_WORDS:
            j += 1  # "5 million"
        after = tokens[j].lower() if j < len(tokens) else ""
        plural = bool(after) and net.base_forms(after, "n") not in ((), (after,))
        if not plural or _persons(after, people):  # (a plural counts it: "1,000 lakes")
            return True
    return False


def _counts(text: str, wanted: frozenset[str]) -> bool:
    """Does a number in ``text`` count one of ``wanted`` (stems): come at most
    ``MAX_COUNT_GAP`` words before it, or before a list that ends with it ("41 legal-aid
    groups, shelters and community associations" counts the associations too)? A
    hyphenated word is one word ("300 on-street parking spaces"), found by its last part
    too ("three asylum-seekers")."""
    tokens = _COUNTED_TOKEN.findall(text)
    return any(
        _a_number(word)
        and any(
            stem(t.lower()) in wanted or stem(_HYPHEN.split(t.lower())[-1]) in wanted
            for t in _counted(tokens, i + 1)
        )
        for i, word in enumerate(tokens)
    )


def _persons(word: str, people: frozenset[str]) -> bool:
    """Is ``word`` a plural word for people (``people``, stems) or for a kind of person, a
    word whose commonest sense is one ("protesters", "pupils"; not "protester")?"""
    net = wordnet()
    low = word.lower()
    if low != "people" and net.base_forms(low, "n") == (low,):
        return False  # a singular ("protester", "member"), not a plural of one
    return stem(word) in people or net.commonest_file(word) == "noun.person"


def _counts_people(text: str, people: frozenset[str]) -> bool:
    """Does a number in ``text`` count people: the word right after it, or the one after
    that ("1,000 angry protesters"), is a word for people (``people``, stems) or for a
    kind of person, a word whose commonest sense is one ("some 1,000 protesters", "eight
    passengers")? Not a name ("17 November (Calder Press Agency)": Calder is a sculptor
    too), not past a comma ("Ruth Amberley, 71, secretary of ..."), not a year, nor an
    age ("a 34-year-old delivery driver" is one driver). The word is a plural: a number
    that counts persons names them in the plural, and one before a singular is a pronoun
    or part of a name ("One protester said ...", "the 27 member states", "a No 10
    spokesman")."""
    # (a time on the clock, a length of time or a measurement is no count: "By 3pm
    # protesters had ...", "After 3 hours protesters ...")
    tokens = _COUNTED_TOKEN.findall(_CLOCK.sub(" ", _MEASURED.sub(" ", text)))
    for i, word in enumerate(tokens):
        if not _a_number(word) or YEAR.fullmatch(word):
            continue
        for after in tokens[i + 1 : i + 3]:
            if after == "," or not after.islower() or _AGE.search(after):
                break
            if _persons(after, people):
                return True
    return False


#: What makes a number an age: "34-year-old", "a man in his 40s".
_AGE = re.compile(r"(?:year|month|week|day)s?-old$")
#: A time on the clock: "3pm", "10 a.m.", "14:30".
_CLOCK = re.compile(r"\b\d{1,2}(?:[.:][0-5]\d)?\s*(?:[ap]m\b|[ap]\.m\.)|\b\d{1,2}:[0-5]\d\b", re.I)


_HYPHEN = re.compile("[-‐]")
#: A number, a word (hyphenated words whole) or a comma, for what a number counts.
_COUNTED_TOKEN = re.compile(r"\d[\d,.]*\d|\d|[^\W\d_]+(?:[-‐][^\W\d_]+)*|,")


def _counts_acts(text: str, acts: frozenset[str]) -> bool:
    """Does a number in ``text`` count one of ``acts`` (stems) as nouns: the act right
    after it, or after one word ("640 signatures", "12 more arrests"), not a verb that
    follows what the number counts ("the four governments signed"), nor a year ("the 2021
    deaths of two hikers")."""
    tokens = [t for t in _COUNT_TOKEN.findall(text) if t != ","]
    return any(
        _a_number(word)
        and not YEAR.fullmatch(word)
        and any(
            stem(t.lower()) in acts and not t.lower().endswith(("ed", "ing"))
            for t in tokens[i + 1 : i + 3]
        )
        for i, word in enumerate(tokens)
    )


def _a_number(word: str) -> bool:
    """A number in digits or in words ("twenty-three" too)."""
    return word[0].isdigit() or all(p in _NUMBER_WORDS for p in _HYPHEN.split(word.lower()))


_LIST_LINKS = frozenset([",", "and", "or"])
#: Prepositions that end the noun phrase a number counts ("six minutes *at* peak times",
#: "40 boats *from* the harbour"); not "of", whose phrase may be what is counted ("eleven
#: of the passengers").
_ENDS_THE_COUNTED = frozenset(
    "at in on for from to by with within during after before across into over under "
    "between near along around since until against per via".split()
)
_DETERMINERS = frozenset("the a an his her its their our my your this that these those".split())


def _counted(tokens: list[str], start: int) -> list[str]:
    """The words a number just before ``tokens[start]`` counts: the next
    ``MAX_COUNT_GAP`` words, and when they begin a list ("groups, shelters and community
    associations", at most ``MAX_COUNT_GAP`` words an item), every item of it."""
    items: list[list[str]] = [[]]
    closing = False  # the item after "and"/"or" is the list's last
    for word in tokens[start:]:
        low = word.lower()
        if _a_number(word):
            break  # another number counts what follows it
        if low in _LIST_LINKS:
            if closing:
                break
            if items[-1]:
                items.append([])
            closing = low != "," and len(items) > 1  # ", and": the comma began the item
            continue
        if low in _DETERMINERS and not items[-1] and len(items) > 1:
            # "three players and *the* coach": a new phrase, not the list's next item
            items.pop()
            closing = False
            break
        if low in _ENDS_THE_COUNTED:
            break  # "six minutes *at* peak times" counts minutes, not peaks
        if len(items[-1]) == MAX_COUNT_GAP:
            break
        items[-1].append(word)
    if len(items) > 1 and not closing:
        return items[0]  # "212 players, the largest field": no list
    return [w for item in items for w in item]


#: A question for a tally, a vote's or a game's, where the vote or the score is what it
#: asks about: "What was the vote count?", "what was the final score", "How did the
#: trustees vote?", "how did the council vote go", "How were the judges split?", "by what
#: margin", "how many votes". Not a vote the question only mentions, as the object of
#: another verb or a preposition ("what excuse did he give for delaying the vote", "What
#: must the government do following the vote?", "before parliament votes on the pact").
#: ("How many councillors voted against?" is led by the tally all the same: its number
#: comes right after the question's verb; see counting_the_asked.)
_TALLIES = r"(?:vote|votes|score|scoreline|tally|margin|split)"
_ASKS_TALLY = re.compile(
    rf"\b(?:what|which)(?:'s|’s|s|\s+(?:was|were|is|are))\s+(?:[\w'’-]+\s+){{0,6}}?{_TALLIES}\b"
    r"|^\W*how(?:'s|’s|s|\s+(?:did|does|do|will|would|was|were|is|are|has|have))\s+"
    r"(?:[\w'’-]+\s+){0,6}?(?:vot(?:e|ed|ing)|split)\b"
    r"|\b(?:margin|tally|scoreline)\b|\bhow\s+many\s+votes\b",
    re.IGNORECASE,
)
#: A tally: "9-3", "a 9-4 vote", "voted 31 to 17", "by 14 votes to 5", "won 3–1", and in
#: words, as news writes small numbers: "by nine votes to three".
_TALLY_NUMBER = rf"(?:\d{{1,3}}|(?i:{NUMBER_WORD}))"
_TALLY = re.compile(
    r"\b\d{1,3}\s*[-–—]\s*\d{1,3}\b|"
    rf"(?<!\bfrom\s)\b{_TALLY_NUMBER}\s+(?:votes?\s+)?to\s+{_TALLY_NUMBER}\b"
)
#: What says a tally is one: a vote, a score, a win or a loss, a motion carried ("open
#: from 9 to 5", "aged 5 to 11" or "12-14 March" tally nothing).
_TALLIED = re.compile(
    r"\b(?:vot(?:e|es|ed|ing)|ballot\w*|scor\w*|tally|margin|majority|won|wins?|winning|"
    r"beat(?:s|en)?|lost|lose|loses|losing|defeat\w*|dr[ae]w|draws?|approv\w*|"
    r"pass(?:ed|es)|reject\w*|carried|backed|endorsed)\b",
    re.IGNORECASE,
)


def giving_the_tally(retrieval: Retrieval, sentences: list[SourceSentence]) -> list[SourceSentence]:
    """Those of ``sentences`` that give a tally ("approved by 14 votes to 5", "a 9-4
    vote") when the question asks what a vote or a game came to ("What was the vote
    count?", "How did the trustees vote?"): the tally answers it, not a sentence about
    the vote that gives none ("Brandauer welcomed the vote"), where the sentence says it
    of a vote or a game (not "open from 9 to 5"). Empty for other questions
    (a "who" or "when" question about a vote asks for someone or a time, and "What did
    she say about the vote?" for her words)."""
    query = retrieval.query
    if (
        query.answer_type not in ("what", "quantity")
        or query.speaker is not None  # "What did Oyelaran say about the vote?": her words
        or not _ASKS_TALLY.search(query.text)
    ):
        return []
    if _TALLY.search(query.text):
        return []
    return [s for s in sentences if _TALLY.search(s.text) and _TALLIED.search(s.text)]


def stating_the_measure(
    retrieval: Retrieval, sentences: list[SourceSentence]
) -> list[SourceSentence]:
    """Those of ``sentences`` that name the measure a question asks for (its word, family
    or a synonym: "cost" for "price") and state an amount of it: "The project is expected
    to cost 412 million dollars" says what the Eastline's cost is, while "the council
    added a 3.5 million dollar fund to compensate businesses" gives an amount of money
    and names no cost. For money of a particular kind, a more general word or a kind of
    it says what an amount is where nothing names it (:attr:`Term.kind_of`). Empty for a
    question that asks for no measure, or that names it by the measure's own name ("how
    much emergency *money*"): every amount of money is money, and a sentence that also
    says "money" ("a 22 per cent rise would cost 410 million helders, money that ...")
    says no more of what the question asks than one that does not ("5 million tesmars in
    emergency aid for families")."""
    measure = retrieval.query.measure
    asked = next((t for t in retrieval.query.terms if t.measured), None)
    if measure is None or asked is None or stem(asked.word) == stem(measure):
        return []
    amounts = [s for s in sentences if states_amount(measure, s.text)]
    stating = [s for s in amounts if asked.credit(s.stems, frozenset(s.stems)) > 0]
    if stating or asked.kind_of is None:
        return stating
    # (by a more general word or a kind of it only where none says it in its own words:
    # "payments of 35 florins" is the compensation asked for where no sentence says
    # "compensation")
    return [s for s in amounts if not asked.kind_of.isdisjoint(s.stems)]


def _kind_of_money_asked(retrieval: Retrieval) -> Term | None:
    """The term of the money of a particular kind the question asks for ("What is her
    *salary*?", "What *fee* did the museum pay?"), if it asks for one: a passage must
    state an amount as that (by its word, a synonym or a more general word, "payment" for
    "compensation"), not merely give some other sum ("pay redundancy at twice the legal
    minimum, with no worker receiving less than 5,000 crowns" is no salary)."""
    if retrieval.query.measure != "money":
        return None
    return next((t for t in retrieval.query.terms if t.measured and t.kind_of is not None), None)


def in_the_speaker_s_words(
    retrieval: Retrieval,
    scorer: SentenceScorer,
    sentences: list[SourceSentence],
    stance: bool = False,
) -> list[SourceSentence]:
    """Those of ``sentences`` that give the words of the one a question asks about ("What
    did Maeve Dalloway say about the expansion?"): they name that speaker (or follow the
    sentence that does, by "he" or "she", or come from an article whose headline names
    them: "Its lawyers say ..." in "Rights Coalition Says ...") and quote or report
    speech ("said Maeve Dalloway, the chief executive", "Conor Dalloway ... said the
    recipes would not change"). Empty for a question that asks for no one's words."""
    speaker = retrieval.query.speaker
    if speaker is None:
        return []
    found = []
    for s in sentences:
        credit = scorer.credits(s).get(speaker, 0.0)
        # by the headline alone, only where no one else is named ("As per the Department
        # of Homeland Security" in a story headlined on the activists is not their word)
        # (where the question is only whether they speak at all, any mention will do)
        if (
            credit >= 1.0 or (credit > 0 and (stance or not names_another(s.text, scorer.question)))
        ) and reports_speech(s.text, stance):
            found.append(s)
    return found


def in_the_question_s_words(
    retrieval: Retrieval, candidates: list[SourceSentence]
) -> frozenset[int] | None:
    """The articles among ``candidates`` that call the things the question asks about by
    the question's own words, when that tells some articles apart: a question about "the
    memorandum" is about the story of the articles that say "memorandum", not about the
    cybersecurity treaty that the profile's other name for it ("agreement") also
    matches. An article that uses the profile's first name for the thing, its own name,
    is about it too: "the pact" is the memorandum of the articles that say "memorandum".
    Only nouns the profile names otherwise count (:attr:`Term.itself`; not a
    WordNet synonym, which paraphrases use as often as the right article does), and not
    the thing asked for, which an answer may name by a kind or an instance; one that no
    article names in the question's word tells none apart. None when no article is set
    apart."""
    named = [t for t in retrieval.query.terms if t.itself and not t.asked]
    if not named:
        return None  # (most questions: no noun the profile names otherwise)
    articles: dict[int, set[str]] = {}
    for s in candidates:
        found = articles.get(s.passage.article_id)
        if found is None:
            found = articles[s.passage.article_id] = set(stems(read_us_as_usa(s.passage.title)))
        found.update(s.stems)
    kept = set(articles)
    for term in named:
        using = {a for a, found in articles.items() if term.said_itself(found)}
        if using & kept:
            kept &= using
    return frozenset(kept) if len(kept) < len(articles) else None


def from_the_outlet_asked(
    retrieval: Retrieval, candidates: list[SourceSentence]
) -> tuple[frozenset[int], frozenset[str]] | None:
    """The articles among ``candidates`` from the outlet the question names, when it
    names one: "According to the Echo, how many homes lost power?" is answered by the
    Echo's story, not by the wire story of the same blackout that gives another figure.
    A question word names an outlet when it is a word of the outlet's name
    (:attr:`Passage.source`; the word itself, not its family or a kind: "countries" is
    not "America", "fixing" no "fixture") and no article says it but in naming the outlet
    (its dateline, "(Calder Press Agency) —"): "Bramhurst" in "the Bramhurst rent rules"
    is the city of the Bramhurst Evening Ledger's story, and the "agency" of the Calder
    Press Agency's story is also the environment agency it reports on. Returns those
    articles (maybe all of them) and the words of the question that name the outlet;
    None when no outlet is named."""
    said: set[str] = set()
    outlets: dict[int, frozenset[str]] = {}
    for s in candidates:
        source = s.passage.source or ""
        if s.passage.article_id not in outlets:
            named = not source or is_file_name(source)
            outlets[s.passage.article_id] = frozenset() if named else frozenset(stems(source))
            said.update(stems(read_us_as_usa(s.passage.title)))
        mention = re.compile(rf"(?<!\w){re.escape(source)}(?!\w)") if source else None
        if mention is not None and mention.search(s.text):
            said.update(stems(read_us_as_usa(mention.sub(" ", s.text))))
        else:
            said.update(s.stems)  # (as stemmed once for every use: most sentences)
    kept: set[int] = set()
    outlet_words: set[str] = set()
    for term in retrieval.query.terms:
        own = stem(term.word)
        naming = {a for a, outlet in outlets.items() if own in outlet}
        if naming and not term.stems & said:
            kept |= naming
            outlet_words.add(term.word)
    return (frozenset(kept), frozenset(outlet_words)) if kept else None


def _borderline(retrieval: Retrieval, reason: str) -> Retrieval:
    verdict = replace(retrieval.verdict, decision="borderline", reason=reason)
    return replace(retrieval, verdict=verdict)
