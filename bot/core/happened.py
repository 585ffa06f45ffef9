"""What a question asks happened, and whether the passages tell it.

A question whether something happened ("Did the Eastline open on time?") is not answered
by news written before the outcome: :func:`only_foreseen` tells when the passages speak
of it only as still to come. A question for how something turned out ("Did the ministry
*end up* paying?", "What did the inquiry *eventually* conclude?") or for what a process
came to ("What did the review conclude?", :func:`asks_outcome`) needs a passage that
tells the outcome as done: the question's own verb, or the process doing something in
the past in other words (:func:`outcome_told`). Used by
:func:`bot.core.candidates.answerable_in_kind`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.core.phrasing import reports_speech
from bot.core.retrieve import Retrieval
from bot.core.terms import Term
from bot.core.wordnet import wordnet
from bot.core.words import fold, stem, words

if TYPE_CHECKING:
    from bot.core.candidates import SourceSentence


#: A question whether something happened: "Did the ministry end up giving ...?", "was the
#: rationing lifted ...?", "Has the engineer been fired?".
PAST_QUESTION = re.compile(r"^\W*(?:did|was|were|has|have|had)\b", re.IGNORECASE)
#: A question for what something came to in the end: "What did the inquiry *eventually*
#: conclude?", "How much did the share offer *end up* raising?" (the marker: LATER).
PAST_WH_QUESTION = re.compile(
    r"^\W*(?:what|which|who|how\s+(?:much|many))\b[^?,]*?\bdid\b", re.IGNORECASE
)
#: Questions for what a process came to: "What did the review *conclude*?", "What did
#: the judge *decide* at the hearing?", "What was *agreed* at the talks?". Verbs that
#: report an outcome (concluding, deciding, ruling, finding, agreeing, recommending) ask
#: how something turned out as "eventually" does (LATER); news written before the
#: hearing or the review tells it only as to come. Not "find out" (learn: "What did
#: scientists find out about the ground?" is answered by what measurements showed).
_OUTCOME_QUESTIONS = (
    re.compile(
        r"^\W*(?:what|which)\b[^?,]*?\bdid\b(?P<doer>[^?,]*?)\b"
        r"(?P<verb>conclude|decide|rule|find(?!\s+out)|agree|recommend|determine)\b",
        re.IGNORECASE,
    ),
    # "What *has* the inquiry *concluded*?", "What have the two sides agreed?" (not "What
    # has changed since the court ruled?": the doer holds no word that opens a clause)
    re.compile(
        r"^\W*(?:what|which)\b[^?,]*?\b(?:has|have)\b(?!\s+been\b)"
        r"(?P<doer>(?:(?!\b(?:since|after|before|when|because|that|who|which|while|until)\b)[^?,])*?)"
        r"\b(?P<verb>concluded|decided|ruled|found(?!\s+out)|agreed|recommended|determined)\b",
        re.IGNORECASE,
    ),
    # ("Which disease was *found*?": found is detected, in the passive; "What's been
    # agreed?", "What has been decided?" as "What was agreed?")
    re.compile(
        r"^\W*(?:what|which)\b[^?,]*?\b(?:was|were|(?:has|have|['’]s)\s+been)\s+"
        r"(?P<verb>concluded|decided|ruled|agreed|recommended|determined)\b(?P<where>[^?]*)",
        re.IGNORECASE,
    ),
)


def asks_outcome(text: str) -> re.Match[str] | None:
    """The verb of a question for what a process came to (_OUTCOME_QUESTIONS), if it is one."""
    return next((m for p in _OUTCOME_QUESTIONS if (m := p.match(text))), None)


#: Words that put what follows still to come: "is scheduled to open", "would consider",
#: "expect ratification", "might have to extend".
_FORESEEING = frozenset(
    "will would could may might shall can must should need needs expect expects expected "
    "expecting due "
    "scheduled set plans planned planning plan hopes hoped hoping hope aims aiming intends "
    "intended likely unlikely going whether if unless".split()
)
_WILL = ("'ll", "’ll")  # "it'll open"
#: How many words before a word may put it still to come ("could *reverse* its decision",
#: "is due to be *opened*", "would have to *extend*").
FORESEEN_WITHIN = 4


def only_foreseen(retrieval: Retrieval, sentences: list[SourceSentence]) -> bool:
    """For a question whether something happened ("Did the Eastline open on time?"), do
    the sentences that speak of it do so only as something still to come ("the line is
    scheduled to open to passengers in September 2027")? News written before the outcome
    cannot settle it. The words of the event are the question's words that can be verbs
    (names and nouns aside), found by their family; a sentence that tells one of them as
    done ("opened") or as it is leaves the question to the rest of the answering, and so
    does the lack of any, unless the question asks how things turned out ("Did the
    ministry *end up* giving ...?", "Was the bank *eventually* fined?"): that is answered
    only by a passage that tells the event as done; without one, nothing says how it
    turned out (a question with no word to tell the event by is left to the rest)."""
    # (a question for what a process came to asks it as "eventually" does)
    later = LATER.search(retrieval.query.text) or asks_outcome(retrieval.query.text)
    event = _event_terms(retrieval, later)
    asked = frozenset(w for t in retrieval.query.terms for w in t.stems)
    done, foreseen = _tellings(event, sentences, asked)
    if later is not None and event:
        outcome = asks_outcome(retrieval.query.text)
        return not done and not (outcome and outcome_told(retrieval, outcome, sentences))
    return foreseen and not done


def outcome_told(
    retrieval: Retrieval, outcome: re.Match[str], sentences: list[SourceSentence]
) -> bool:
    """For a question for what a process came to (:func:`asks_outcome`), does a sentence
    tell the process doing something, in other words than the question's verb: "The Court
    of Appeal *dismissed* the appeal" for "What did the court decide?", "A review of the
    unit *found* ..." for "What did the review conclude?", "The drivers *reached* a pay deal
    after two days of talks" for "What was agreed in the talks?". The process is the head
    of what the question names (:func:`_process_head`): the doer ("did *the review* of the
    unit conclude"), which must be the subject of a verb in the past
    (:func:`_done_verb`) that comes after it, before any word that puts it to come ("a
    judge *is expected to* rule", "the inquiry *is due to* report"); or, for "was agreed
    *at the talks*", the setting, whose sentence must tell such a verb before any such
    word or one that reports speech ("Brisco said the service had *asked* ..."). Not in a
    sentence that tells an outcome still to come ("A judge *heard* the appeal and *will
    rule* in April")."""
    doer = outcome.groupdict().get("doer")
    phrase = doer if doer is not None else outcome.group("where")
    head = _process_head(retrieval, phrase)
    if head is None:
        return False
    # the words that tell which process it is ("the inquiry into the *depot fire*", not
    # "a second inquiry, into the bus fire"): in the sentence, or for a name its article
    which = [t for t in retrieval.query.terms if _in_phrase(t, phrase)]
    asked = frozenset(w for t in retrieval.query.terms for w in t.stems)
    by_article = stems_by_article(sentences)
    for s in sentences:
        article = by_article[s.passage.article_id]
        if not all(
            t.credit(s.stems, frozenset(s.stems)) > 0
            or (t.anchor and t.credit(article, frozenset(article)) > 0)
            for t in [head, *which]
        ):
            continue
        tokens = [fold(w) for w in _TOKEN_OR_BREAK.findall(s.text)]
        if any(
            stem(w) in _OUTCOME_STEMS
            and any(_foresees(tokens, k, asked) for k in range(max(0, i - FORESEEN_WITHIN), i))
            for i, w in enumerate(tokens)
        ):
            continue  # "A judge heard the appeal and *will rule* in April": still to come
        if doer is None:
            starts = [0]
        else:
            starts = [
                i + 1
                for i, w in enumerate(tokens)
                if head.credit([stem(w)], frozenset({stem(w)})) > 0 and _a_subject(tokens, i)
            ]
        for start in starts:
            for i in range(start, len(tokens)):
                if _done_verb(tokens, i):
                    return True
                if _OUTCOME_STOP.match(tokens[i]) or _foresees(tokens, i, asked):
                    break
    return False


def stems_by_article(sentences: Sequence[SourceSentence]) -> dict[int, list[str]]:
    """The word stems of ``sentences``, gathered by the article each comes from: what a
    story's retrieved sentences say between them (a name given in one, the deed in
    another)."""
    out: dict[int, list[str]] = {}
    for s in sentences:
        out.setdefault(s.passage.article_id, []).extend(s.stems)
    return out


def _foresees(tokens: list[str], k: int, asked: frozenset[str]) -> bool:
    """Does ``tokens[k]`` put what follows still to come (:data:`_FORESEEING`), unless it
    is one of the question's own words (stems, ``asked``) and "to" does not follow it ("a
    *planning* panel" for "What did the planning panel decide?"; "*plans to* decide"
    still foresees)?"""
    return tokens[k] in _FORESEEING and (
        stem(tokens[k]) not in asked or tokens[k + 1 : k + 2] == ["to"]
    )


#: The stems of verbs that tell what a process came to, and of "report" (a review's).
_OUTCOME_STEMS = frozenset(
    stem(w) for w in "conclude decide rule find agree recommend determine report".split()
)
_TOKEN_OR_BREAK = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|[,;:()]")
#: Words after which a verb tells nothing done by the process: "to" ("a judge *to*
#: undo"), a form of "be" ("*is* due to report", "*was* launched"), a modal, "not", a
#: verb of speech (what a source said is not what the process came to).
_OUTCOME_STOP = re.compile(
    r"(?:to|is|are|was|were|be|been|being|will|would|shall|should|can|could|may|might|"
    r"must|not|never|sa(?:y|ys|id)|t(?:ell|ells|old)|add(?:s|ed)|warn(?:s|ed)|claim(?:s|ed)|"
    r"argue[sd]?|announce[sd]|state[sd])$"
)
_DETERMINERS = frozenset("the a an his her its their our my your this that these those".split())


def _a_subject(tokens: list[str], i: int) -> bool:
    """Does ``tokens[i]`` open its clause's subject, as far as the words before it in its
    noun phrase tell: back to the clause's start, or to a determiner after neither a
    preposition nor a verb in the past ("The *court* dismissed", "On Tuesday the *court*";
    not "activists from Central America and *Mexico* have questioned", nor "Nielsen had
    met the *Mexican* officials")?"""
    for k in range(i - 1, -1, -1):
        w = tokens[k]
        if not w[:1].isalnum():
            return True
        if w in _DETERMINERS:
            return k == 0 or not (tokens[k - 1] in _AFTER_HEAD or _done_verb(tokens, k - 1))
        if w in _AFTER_HEAD or w == "or":
            return False
    return True


def _in_phrase(term: Term, phrase: str) -> bool:
    """Does ``phrase`` (a stretch of the question) hold ``term``'s word?"""
    return re.search(rf"\b{re.escape(term.word)}\b", phrase, re.IGNORECASE) is not None


#: Words that end the head of a phrase that names a process: "the review *of* the unit",
#: "the inquiry *into* the fire", "the talks *between* the union and the firm".
_AFTER_HEAD = frozenset(
    "of into about on over at in for with between by from during after and to".split()
)


def _process_head(retrieval: Retrieval, phrase: str) -> Term | None:
    """The question's term for the head of ``phrase`` ("the independent *review* of the
    unit", "at the 15 December *talks* between ..."): its last term before a preposition
    or "and", a leading preposition aside."""
    tokens = [w.lower() for w in words(phrase)]
    while tokens and tokens[0] in _AFTER_HEAD:
        tokens = tokens[1:]
    run = list(itertools.takewhile(lambda w: w not in _AFTER_HEAD, tokens))
    by_word = {w: t for t in retrieval.query.terms for w in words(t.word.lower())}
    heads = [by_word[w] for w in run if w in by_word]
    return heads[-1] if heads else None


#: Forms of the verbs that only help another ("was", "has", "did").
_HELPING = frozenset({"be", "have", "do"})
#: Verbs that tell a process taking place, not what it came to: "the two sides *met* for
#: talks", "the inquiry *opened* in May", "*heard* evidence", "*began* in June".
_HAPPENING = frozenset(
    "meet hold begin start open resume continue convene sit hear attend take launch gather "
    "visit arrive last spend".split()
)
#: Words before a past participle that make it an adjective ("the *proposed* changes") or
#: the passive ("was *launched*"): what is done to the process is not what it came to.
_NOT_DONE_BY = frozenset("the a an its their his her was were been being is are be".split())


def _done_verb(tokens: list[str], i: int) -> bool:
    """Is ``tokens[i]`` a verb in the past ("dismissed", "found", "upheld", "has
    *backed*"), done by its subject: not a helping verb, one that reports speech ("said":
    a source's words are not an outcome), one that foresees ("expected"), one that tells
    the process taking place (:data:`_HAPPENING`: "met", "opened", "heard"), an adjective
    or the passive ("was *launched*", "the *proposed* plan", "*led* by")?"""
    token = tokens[i]
    if token.endswith("ing") or token in _FORESEEING or reports_speech(token):
        return False
    if (i > 0 and tokens[i - 1] in _NOT_DONE_BY) or tokens[i + 1 : i + 2] == ["by"]:
        return False
    net = wordnet()
    return any(
        base != token
        and base not in _HELPING
        and base not in _HAPPENING
        and (token.endswith("ed") or token in net.irregular_forms(base))
        for base in net.base_forms(token, "v")
    )


#: A question how something turned out: "Did the ministry *end up* giving ...?", "Was the
#: bank *eventually* fined?", "did the dispute end with a deal *in the end*?", "Did the
#: police *ever* find out who owned the dogs?" (not "Was the port *ever* hit by a loss
#: *before*?", which asks about the past), "did the drivers *actually* go on strike?". The
#: word after the marker, if there is one, is the event's verb.
LATER = re.compile(
    r"\b(?:end(?:s|ed)?\s+up|eventually|ultimately|finally|in\s+the\s+end|actually|"
    r"ever(?![^?]*\b(?:before|previously|prior|in\s+the\s+past)\b))\b"
    r"(?:\s+(?P<verb>[a-z]+))?",
    re.IGNORECASE,
)


def _event_terms(retrieval: Retrieval, later: re.Match[str] | None) -> list[Term]:
    """The question's words that can be verbs (names and nouns aside, and the marker of a
    later outcome, ``later``: "end up"): the words of the event it asks about; only the
    verb's after the marker, when it is one of them ("did the strike *finally end*": a
    verb there, whatever else the word can be)."""
    verb = later.group("verb") if later else None
    named = [t for t in retrieval.query.terms if verb is not None and _names(t, verb.lower())]
    if named:
        return named
    marker = words(later.group(0).lower()) if later else []
    content = [
        t
        for t in retrieval.query.terms
        if not t.anchor
        and (t.stems or t.phrases)
        and not any(_names(t, w) for w in marker)  # "ended up": the term "end up"
    ]
    net = wordnet()
    verbs = [t for t in content if not t.noun and net.senses(t.word, "v")]
    if verbs or later is None:
        return verbs
    # "did they finally *get* a deal", "did he end up *in* prison": no verb of its own to
    # tell the outcome by, so by the words that follow the marker ("deal", "prison")
    after = retrieval.query.text[later.start("verb") :].lower() if verb else ""
    return [t for t in content if re.search(rf"\b{re.escape(t.word.lower())}\b", after)] or content


def _names(term: Term, word: str) -> bool:
    """Is ``word`` the term's word, of its family, or the first word of it ("called" of
    "call off", "stepped" of "step down")?"""
    return stem(word) in term.stems or any(
        value >= 1.0 and phrase[0] == stem(word) for phrase, value in term.phrases
    )


def _tellings(
    event: list[Term], sentences: list[SourceSentence], asked: frozenset[str] = frozenset()
) -> tuple[bool, bool]:
    """Whether ``sentences`` tell the event (a word of ``event``, by its family) as done or
    as it is, and whether they tell it as still to come (a word of :data:`_FORESEEING`, or
    "'ll", up to :data:`FORESEEN_WITHIN` words before it in its clause). A word of the
    event is found as the word itself is: by its family, or a phrasal verb by its words
    ("was *called off*", "*stepped down*"). A word of :data:`_FORESEEING` does not foresee
    when it is a name ("In *May* the council approved ...") or, unless "to" follows it,
    one of the question's own words, ``asked`` (stems: "the housing *plans* were
    approved" for "Were the housing plans eventually approved?"; "*plans to* approve"
    still foresees); nor does it reach past the end of its clause ("The pool, which was
    *due* for demolition, reopened")."""
    foreseen = False
    for s in sentences:
        for n, clause in enumerate(_CLAUSE_BREAK.split(s.text)):
            written = _TOKEN.findall(clause)
            tokens = [fold(w) for w in written]
            found = [stem(w) for w in tokens]
            foreseeing = [
                (
                    w in _FORESEEING
                    and not (written[k][:1].isupper() and (n or k))
                    and not (found[k] in asked and tokens[k + 1 : k + 2] != ["to"])
                    and not (w == "due" and _a_cause(tokens[k + 1 : k + 3]))
                )
                or w.endswith(_WILL)
                for k, w in enumerate(tokens)
            ]
            for i in range(len(tokens)):
                if not any(_tells_at(t, found, i) for t in event):
                    continue
                if not any(foreseeing[max(0, i - FORESEEN_WITHIN) : i]):
                    return True, foreseen  # told as done, or as it is
                foreseen = True
    return False, foreseen


def _a_cause(after: list[str]) -> bool:
    """Do the words ``after`` "due" make it give a cause ("due to *continued* mis-use",
    "due to *the* storm", "due to *flooding*"), not a time to come ("due to *open* in
    May", "due to *be* finished", "due to *succeed* him", "due to *bring* in")? "to", then
    a word that is no verb's plain form (a verb's plain form is its own base form, whatever
    its ending: "succeed", "proceed", "bring")."""
    if after[:1] != ["to"] or len(after) < 2:
        return False
    word = after[1]
    return word not in wordnet().base_forms(word, "v")


#: Where a clause ends, for :func:`_tellings`: a comma, a semicolon, a colon, a bracket
#: or a dash.
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—]|\s-\s")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def _tells_at(term: Term, found: list[str], i: int) -> bool:
    """Does the sentence whose word stems are ``found`` say ``term`` at its ``i``-th word:
    the word or its family, or the term's own phrase starting there ("called off")?"""
    if found[i] in term.stems:
        return True
    return any(
        value >= 1.0 and tuple(found[i : i + len(phrase)]) == phrase
        for phrase, value in term.phrases
    )
