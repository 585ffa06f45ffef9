"""Terms: a question's content words, each with the ways a passage may express it, and
how much its absence from a passage says.

* Its stem and derivational family count as the word itself, a compound's parts too
  ("co-operation" is found as "cooperation"); synonyms from WordNet's most common senses
  and the story's profile count for less (:mod:`bot.core.lexicon`).
* **Weights that know English.** Names, numbers and rare words weigh most, everyday
  words little: people phrase one question in many everyday ways, so "wrong" or
  "legally" missing from a passage says little. Nouns name what a question is about;
  verbs, adjectives and adverbs mostly phrase it, so they weigh half. The weights come
  from general English (wordfreq), never from this corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.core import frequency
from bot.core.amounts import states_amount
from bot.core.lexicon import COMMON_ZIPF, Lexicon, specificity
from bot.core.shortforms import clipped
from bot.core.words import stem, words

Stems = tuple[str, ...]

#: Prefixes that make one word with what follows ("co-operation", "non-binding",
#: "mis-use"), written with a hyphen or without.
PREFIXES = frozenset(
    "anti co counter cross de inter mis multi non over post pre pro re self semi sub super "
    "trans un under".split()
)
#: The rest of a prefixed word is a word when English uses it at least this often.
PREFIXED_REST_ZIPF = 3.0
#: Words at least this common are not read as prefixed (see _prefixed).
PREFIXED_WORD_ZIPF = 4.0
_LONGEST_PREFIX_FIRST = tuple(sorted(PREFIXES, key=lambda p: (-len(p), p)))


#: Credit for a synonym match, against 1.0 for the word itself or its family.
SYNONYM_CREDIT = 0.6
#: How much a verb, adjective or adverb weighs against a noun of the same frequency.
NON_NOUN_FACTOR = 0.5
#: How much more the thing asked for weighs ("the *capital* of El Salvador"): a passage
#: that never mentions it cannot say what it is.
ASKED_FACTOR = 2.0
#: Nouns for what people say or think ("argument", "critique", "reasons"): they frame the
#: question like a verb does, so they weigh like one.
_DISCOURSE_NOUNS = frozenset(["noun.communication", "noun.cognition", "noun.motive"])


@dataclass(frozen=True)
class Term:
    """One content word (or multiword name) of the question.

    ``stems`` count as the word itself; ``synonym_stems`` earn :data:`SYNONYM_CREDIT`;
    ``phrases`` are stemmed word sequences with their credit. ``search`` and
    ``search_phrases`` are what the database is asked for (as written, unstemmed).
    """

    word: str
    anchor: bool
    specificity: float
    noun: bool = True
    stems: frozenset[str] = frozenset()
    synonym_stems: frozenset[str] = frozenset()
    phrases: tuple[tuple[Stems, float], ...] = ()
    search: tuple[str, ...] = ()
    search_phrases: tuple[tuple[str, ...], ...] = ()
    corrected_from: str | None = None
    initials: str = ""  # an acronym: also found as words with these initials ("brt")
    asked: bool = False  # the thing the question asks for: "the capital" of El Salvador
    required: bool = False  # like a name: a passage without it does not answer
    measure: str | None = None  # an amount of this kind states it: "budget" by "$412m"
    measured: bool = False  # the measure the question asks for: an amount of it is it
    #: For that measure, when it is money of a particular kind ("salary", "fee"): stems of
    #: the more general words that may state an amount of it ("payment" for
    #: "compensation"; :meth:`Lexicon.kind_of_money`). None for money in general.
    kind_of: frozenset[str] | None = None
    #: What else counts it, for a "how many" answer that no sentence gives by its word or
    #: a synonym: "three people taking the drug" counts the patients asked about
    #: (:meth:`Lexicon.people_counted`). Stems; nothing else reads them.
    counted_as: frozenset[str] = frozenset()
    #: For the noun a question asks for, when it is a kind of place asked for by its name
    #: ("which *city*"): its WordNet named instances (stems: "tegucigalpa"), which name
    #: one. Empty for any other term (:attr:`place`).
    places: frozenset[str] = frozenset()
    #: For a noun the profile also calls otherwise ("memorandum": "agreement", "pact"),
    #: the question's own word for it (stems of the word, its family and irregular
    #: forms), without the profile's other names; empty for other terms.
    itself: frozenset[str] = frozenset()
    #: For such a noun, the stems of the profile's first name for the thing, its own name
    #: ("memorandum" for "compact"): an article that uses it is about the thing too.
    own_name: frozenset[str] = frozenset()

    def spelled(self, spellings: Iterable[str]) -> Term:
        """This term, with other spellings of it that count as the word itself."""
        spellings = sorted(set(spellings) - set(self.search))
        return replace(
            self,
            stems=self.stems | {stem(w) for w in spellings},
            search=(*self.search, *spellings),
        )

    @property
    def rarity(self) -> float:
        """How rare the word is, as its weight says before it is doubled for being what the
        question asks for: an everyday word the question asks about ("the *reaction*") is
        no rarer for that."""
        return self.specificity * (1.0 if self.noun or self.anchor else NON_NOUN_FACTOR)

    @property
    def weight(self) -> float:
        """How much this term's absence argues that a passage does not answer."""
        return self.rarity * ASKED_FACTOR if self.asked else self.rarity

    @property
    def place(self) -> bool:
        """Does the question ask for a place of this kind by its name ("which *city*")?"""
        return bool(self.places)

    def named_in(self, text_stems: Sequence[str]) -> bool:
        """Does a text name a place of this kind by a name WordNet knows ("Tegucigalpa")?"""
        return not self.places.isdisjoint(text_stems)

    def said_itself(self, stem_set: frozenset[str] | set[str]) -> bool:
        """Does a text use the question's own word for this (or its family), or the thing's
        own name, not only the profile's other names for it? (For a term with
        :attr:`itself`.)"""
        return bool(self.itself & stem_set) or bool(self.own_name & stem_set)

    def credit(self, text_stems: Stems | list[str], stem_set: frozenset[str]) -> float:
        """1 if the text has the word (or its family), less for a synonym, else 0."""
        if self.stems & stem_set:
            return 1.0
        if self.initials and _spelled_out(self.initials, text_stems):
            return 1.0
        best = SYNONYM_CREDIT if self.synonym_stems & stem_set else 0.0
        for phrase, value in self.phrases:
            if value <= best or phrase[0] not in stem_set:
                continue
            n = len(phrase)
            if any(tuple(text_stems[i : i + n]) == phrase for i in range(len(text_stems) - n + 1)):
                best = value
        return best

    def credit_in(
        self, text: str, text_stems: Stems | list[str], stem_set: frozenset[str]
    ) -> float:
        """:meth:`credit`, and for a measure ("budget", "duration") a synonym's credit
        when ``text`` (as written) states an amount of it: "412 million dollars" says what
        the budget is, and "a four-year deal" how long the contract runs. When the
        question asks for that measure ("What is the *duration* of ...?"), the amount is
        what it asks for: full credit."""
        found = self.credit(text_stems, stem_set)
        stated = 1.0 if self.measured else SYNONYM_CREDIT
        if found < stated and self.measure and states_amount(self.measure, text):
            return stated
        return found


#: Words an acronym's letters skip: "DHS" is the Department *of* Homeland Security.
_ACRONYM_GAPS = frozenset(["of", "and", "for", "the", "on", "to", "de", "la", "del"])


def _spelled_out(initials: str, text: Stems | list[str]) -> bool:
    """Do consecutive words of ``text`` (stems) start with ``initials``, in order, apart
    from small words between them ("brt": "bus rapid transit")?"""
    n = len(initials)
    for i, first in enumerate(text):
        if not first.startswith(initials[0]):
            continue
        found, j = 1, i + 1
        while found < n and j < len(text):
            if text[j].startswith(initials[found]):
                found += 1
            elif text[j] not in _ACRONYM_GAPS:
                break
            j += 1
        if found == n:
            return True
    return False


@lru_cache(maxsize=8192)
def stem_phrase(phrase: tuple[str, ...]) -> Stems:
    return tuple(stem(w) for w in phrase)


_US = re.compile(r"(?<![\w.$])(?:U\.S\.(?![\w$])|US\b(?!\$))")


def read_us_as_usa(text: str) -> str:
    """``text`` with the country "US" / "U.S." written "USA" (not "us", not "US$").

    As a word, "us" is a stop word; the country must count. Questions, the passages the
    gate reads and the sentences answers and quotes are chosen from all go through this.
    """
    return _US.sub("USA", text) if "U" in text else text


def make_term(
    parts: tuple[str, ...],
    anchor: bool,
    lexicon: Lexicon,
    corrected_from: str | None = None,
    pos: str | None = None,
) -> Term:
    """The term for one word, or for a prefixed compound given as its parts. ``pos``
    is the part of speech the question's wording gives the word, if it settles one.

    The profile's synonyms are the story's own names for one thing, so they count as the
    word itself; WordNet's count as synonyms."""
    word = "".join(parts)
    expansion = lexicon.expand(word, pos)
    if anchor and expansion.known and not expansion.proper:
        # A word the question writes as a name that WordNet knows only as an everyday word
        # is a name here ("Meridian Reef"): its word senses' synonyms ("summit", "peak")
        # name something else. (A name WordNet knows as one keeps its: "US", "America".)
        expansion = replace(expansion, synonyms=frozenset(), phrases=())
    domain = lexicon.domain_synonyms(parts) + lexicon.domain_synonyms((word,))
    if not domain:  # "memo": the profile's "memorandum", shortened
        domain = next(
            (found for f in sorted(expansion.family) if clipped(word, f)
             if (found := lexicon.domain_synonyms((f,)))),
            [],
        )  # fmt: skip
    own = {stem(word), *(stem(f) for f in expansion.family)}
    irregular = {f for w in {word, *expansion.family} for f in lexicon.irregular(w)}
    own |= {stem(f) for f in irregular}
    itself = frozenset(own) if domain and expansion.noun and not anchor else frozenset()
    name = (lexicon.own_name(parts) or lexicon.own_name((word,))) if itself else None
    own_name = frozenset([stem(name[0])]) if name is not None and len(name) == 1 else frozenset()
    own |= {stem(d[0]) for d in domain if len(d) == 1}
    plain_noun = expansion.noun and not anchor and not expansion.name_like and len(parts) == 1
    phrases: list[tuple[Stems, float]] = []
    search_phrases: list[tuple[str, ...]] = []
    if len(parts) > 1:  # "co-operation": "cooperation" and "co operation" are the word
        phrases.append((stem_phrase(parts), 1.0))
        search_phrases.append(parts)
        phrases.append(((stem(parts[-1]),), SYNONYM_CREDIT))  # the head alone: related
    elif (split := expansion.apart or _prefixed(word)) is not None:
        # "misuse": "mis-use" is the word too; "soundbite": "sound bite"
        phrases.append((stem_phrase(split), 1.0))
        search_phrases.append(split)
    for phrase in expansion.phrases:
        phrases.append((stem_phrase(phrase), SYNONYM_CREDIT))
        search_phrases.append(phrase)
    for phrase in (d for d in domain if len(d) > 1):
        phrases.append((stem_phrase(phrase), 1.0))
        search_phrases.append(phrase)
    related = lexicon.related_words({word, *expansion.family}) - {word} - expansion.family
    # A synonym that is one of the profile's names for the story's thing ("treaty": pact)
    # makes the word another name for it, at a synonym's credit: "Is it a treaty?" asks
    # about the memorandum, the agreement, the compact.
    if not domain and not anchor:
        related |= {
            d[0]
            for synonym in expansion.synonyms
            for d in lexicon.domain_synonyms((synonym,))
            if len(d) == 1
        } - {word}
    singles = set(expansion.synonyms) | related | {d[0] for d in domain if len(d) == 1}
    zipf = min(lexicon.zipf(p) for p in parts) if len(parts) > 1 else expansion.zipf
    anchor = anchor or (len(parts) == 1 and expansion.name_like and not word.isdigit())
    acronym = len(parts) == 1 and word.isalpha() and 2 <= len(word) <= 6 and expansion.name_like
    return Term(
        word="-".join(parts),
        anchor=anchor or word.isdigit(),
        specificity=1.0 if anchor else specificity(zipf),
        noun=expansion.noun and expansion.lexname not in _DISCOURSE_NOUNS,
        stems=frozenset(own),
        synonym_stems=frozenset(
            stem(s)
            for s in {*expansion.synonyms, *related}
            | {f for w in expansion.synonyms for f in lexicon.irregular(w)}
        )
        - own,
        phrases=tuple(phrases),
        search=tuple(
            dict.fromkeys([word, *sorted(expansion.family), *sorted(irregular), *sorted(singles)])
        ),
        search_phrases=tuple(dict.fromkeys(search_phrases)),
        corrected_from=corrected_from,
        initials=word if acronym else "",
        measure=lexicon.measure(word) if plain_noun else None,
        itself=itself,
        own_name=own_name,
    )


def _prefixed(word: str) -> tuple[str, str] | None:
    """``word`` as a prefix and the word it prefixes ("misuse": mis, use), when it may be
    one; articles write such words with a hyphen too ("mis-use"). Only for a word rarer
    than ``PREFIXED_WORD_ZIPF``: a common word is seldom hyphenated ("reaction" is not
    "re-action"), and its absence from a passage refuses nothing. A wrong split costs only
    a phrase that no text holds."""
    if frequency.zipf(word) >= PREFIXED_WORD_ZIPF:
        return None
    for prefix in _LONGEST_PREFIX_FIRST:
        rest = word[len(prefix) :]
        if (
            word.startswith(prefix)
            and len(rest) >= 3
            and rest.isalpha()
            and frequency.zipf(rest) >= PREFIXED_REST_ZIPF
        ):
            return prefix, rest
    return None


def name_term(name: tuple[str, ...], anchor: bool, lexicon: Lexicon) -> Term:
    """A name of several words, found as those words in a row or by any other name: the
    profile's names and WordNet's family count as the name itself, WordNet's synonyms
    less ("united states": "America" and "American" are the name, "U.S. government"
    a synonym)."""
    expansion = lexicon.expand(" ".join(name))
    own = [*lexicon.domain_synonyms(name), *(tuple(words(f)) for f in expansion.family)]
    others = [tuple(words(s)) for s in expansion.synonyms] + list(expansion.phrases)
    phrases: list[tuple[Stems, float]] = [(stem_phrase(name), 1.0)]
    search_phrases = [name]
    singles: set[str] = set()
    synonym_singles: set[str] = set()
    for alternatives, credit, bucket in (
        (own, 1.0, singles),
        (others, SYNONYM_CREDIT, synonym_singles),
    ):
        for alt in alternatives:
            if len(alt) == 1:
                bucket.add(alt[0])
            elif alt:
                phrases.append((stem_phrase(alt), credit))
                search_phrases.append(alt)
    anchor = anchor or expansion.name_like
    return Term(
        word=" ".join(name),
        anchor=anchor,
        # two everyday words make a more specific name: their weights add up
        specificity=1.0 if anchor else min(1.0, sum(specificity(lexicon.zipf(w)) for w in name)),
        stems=frozenset(stem(s) for s in singles),
        synonym_stems=frozenset(stem(s) for s in synonym_singles),
        phrases=tuple(dict.fromkeys(phrases)),
        search=tuple(sorted(singles | synonym_singles)),
        search_phrases=tuple(dict.fromkeys(search_phrases)),
    )


def phrasal_term(typed: tuple[str, ...], lemma: str, lexicon: Lexicon) -> Term:
    """A verb of several words (``lemma``, "shell out", "get rid of", as ``typed``:
    "shelling out"), found as its words in a row, its first word in any form ("gave
    up"), or by WordNet's synonyms of it ("get rid of": "remove"); not by its first word
    alone, which means something else ("give" is not "give up", nor "get" "get rid of").
    It weighs as a verb of its rarest word as typed does ("stepped": rarer than "step")."""
    parts = tuple(lemma.split())
    expansion = lexicon.expand(lemma, "v")
    head, rest = parts[0], parts[1:]
    heads = dict.fromkeys([head, typed[0], *lexicon.irregular(head)])
    own = [(h, *rest) for h in heads] + [tuple(words(f)) for f in expansion.family]
    phrases = [(stem_phrase(p), 1.0) for p in own if len(p) > 1]
    phrases += [(stem_phrase(p), SYNONYM_CREDIT) for p in expansion.phrases]
    singles = {f for f in expansion.family if " " not in f}
    related = {*expansion.synonyms, *(f for s in expansion.synonyms for f in lexicon.irregular(s))}
    related = {r for r in related if " " not in r}
    return Term(
        word=lemma,
        anchor=False,
        specificity=specificity(min(lexicon.zipf(w) for w in typed)),
        noun=False,
        stems=frozenset(stem(s) for s in singles),
        synonym_stems=frozenset(stem(s) for s in related - singles),
        phrases=tuple(dict.fromkeys(phrases)),
        search=tuple(sorted(singles | related)),
        search_phrases=tuple(dict.fromkeys([*(p for p in own if len(p) > 1), *expansion.phrases])),
    )


#: A period's span, as news also writes it: "the past 12 months" for "the past year".
_SPANS: dict[str, tuple[tuple[str, ...], ...]] = {
    "year": (("12", "months"), ("twelve", "months")),
    "week": (("7", "days"), ("seven", "days")),
}


def time_term(phrase: tuple[str, ...], modifiers: tuple[str, ...]) -> Term:
    """A period placed relative to now ("last year", "this season"), as a name: a passage
    answers a question about last year's winner only if it speaks of last year (or the
    previous or past year), not of this year's. News writes relative to its own date, as
    people ask relative to theirs, so a passage that says "in 2023" is not taken for
    "last year"; a model, shown the passages of a borderline question, may. So the term
    is required, not a name: its absence from the whole corpus makes a question
    borderline, not refused before the model; and it weighs like an everyday word."""
    period = phrase[-1]
    alternatives: list[tuple[str, ...]] = [(m, period) for m in modifiers]
    # "the past year" is also written as its span: "in the past 12 months"
    alternatives += [(m, *span) for m in modifiers for span in _SPANS.get(period, ())]
    return Term(
        word=" ".join(phrase),
        anchor=False,
        required=True,
        specificity=specificity(COMMON_ZIPF),
        phrases=tuple((stem_phrase(a), 1.0) for a in alternatives),
        search_phrases=tuple(alternatives),
    )
