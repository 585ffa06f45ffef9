"""Question analysis: what a question asks about, what kind of answer it wants, and how
much each of its words matters.

* **Framing is not focus.** "Tell me about", "according to the story", "can you
  summarise", "what's the deal with" say how a question is asked, not what it is about;
  they are removed before terms are taken. A question that is nothing but framing ("tell
  me about it") has no terms at all.
* **Answer type**: why (a cause), yes/no (the sentence that settles it), who, when, where,
  quantity (how many, how much, how long), or a plain what.
* **Terms.** Each content word becomes a :class:`Term` with the ways a passage may
  express it (:mod:`bot.core.lexicon`): its stem and derivational family count as the word
  itself, a compound's parts too ("co-operation" is found as "cooperation"), and synonyms
  from WordNet's most common senses and the story's profile count for less.
* **Weights that know English.** A term's weight says how much its absence from a passage
  argues that the passage does not answer. Names, numbers and rare words weigh most,
  everyday words little: people phrase one question in many everyday ways, so "wrong" or
  "legally" missing from a passage says little. Nouns name what a question is about;
  verbs, adjectives and adverbs mostly phrase it, so they weigh half. The weights come
  from general English (wordfreq), never from this corpus.
* **Anchors** are names and numbers: capitalised words inside a sentence, acronyms,
  numbers, and words that are names by the lexicon ("tegucigalpa", "nielsen" typed in
  lower case). A passage that lacks one does not answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from bot.core.frequency import language_of
from bot.core.lexicon import Lexicon, specificity
from bot.core.text import is_abbreviation, sentence_spans
from bot.core.words import STOPWORDS, stem, words

AnswerType = Literal["why", "yesno", "who", "when", "where", "quantity", "what"]

#: Credit for a synonym match, against 1.0 for the word itself or its family.
SYNONYM_CREDIT = 0.6
#: How much a verb, adjective or adverb weighs against a noun of the same frequency.
NON_NOUN_FACTOR = 0.5
#: How much more the thing asked for weighs ("the *capital* of El Salvador"): a passage
#: that never mentions it cannot say what it is.
ASKED_FACTOR = 2.0
#: Kinds of nouns (WordNet's files) that name what someone says, thinks or does, or a
#: measure of something, not a thing in the world: "the main *argument* of the
#: activists" is answered by the argument itself, "the *duration* of the contract" by a
#: duration, neither of which need use the word.
_CONTENT_NOUNS = frozenset(
    "noun.communication noun.cognition noun.motive noun.attribute noun.state noun.act "
    "noun.time noun.quantity".split()
)
#: Nouns for what people say or think ("argument", "critique", "reasons"): they frame the
#: question like a verb does, so they weigh like one.
_DISCOURSE_NOUNS = frozenset(["noun.communication", "noun.cognition", "noun.motive"])
#: Prefixes that make one word with what follows ("co-operation", "non-binding").
PREFIXES = frozenset(
    "anti co counter cross de inter multi non over post pre pro re self semi sub super trans "
    "un under".split()
)

# -------------------------------------------------------------------------- framing

_SOURCES = (
    r"(?:articles?|story|stories|sources?|coverage|piece|pieces|texts?|reporting|news|"
    r"documents?|material|corpus|reports?)"
)
_FRAMING = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # greetings and politeness around the question
        r"^\s*(?:(?:hey|hi|hello|ok(?:ay)?|so|um+|quick question|qq|yo)\b[\s,:!.-]*)+",
        r"\b(?:please|pls|plz|thanks|thank you|thx)\b",
        # requests to tell, explain or summarise
        r"^\s*(?:(?:can|could|would|will) you\s+)?(?:please\s+)?(?:tell|give|show|send|walk)"
        r"\s+(?:me|us)(?:\s+(?:a|an|the|some))?(?:\s+(?:quick|short|brief))?"
        r"(?:\s+(?:summary|overview|rundown|recap|gist|lowdown|background|run-?down|tl;?dr|"
        r"breakdown|update|details?|more|everything|something|briefing))?"
        r"(?:\s+(?:of|on|about|regarding|for|through))?\b",
        r"^\s*(?:(?:can|could|would|will) you\s+)?(?:please\s+)?(?:summari[sz]e|explain|"
        r"describe|outline|clarify|recap|brief me on|fill me in on|catch me up on|"
        r"elaborate on)\b",
        r"^\s*(?:i(?:'d|’d| would) like to|i want to|i need to|help me)\s+(?:know|understand|"
        r"learn|find out|hear)(?:\s+(?:more\s+)?(?:about|if|whether))?\b",
        r"^\s*i(?:'m|’m| am) (?:wondering|curious|trying to understand)"
        r"(?:\s+(?:about|if|whether))?\b",
        r"^\s*(?:do|does) (?:you|anyone) know(?:\s+(?:if|whether))?\b",
        r"^\s*what(?:'s|’s|s| is| was)\s+(?:the\s+)?(?:deal|story|situation|latest|gist|"
        r"tl;?dr|lowdown|summary|background|context|scoop|news)(?:\s+(?:with|on|about|"
        r"regarding|behind|of|for)\b|\s*\W*$)",
        # references to the sources themselves
        rf"\b(?:according to|as per|based on|from|in|per)\s+(?:the|this|these|your|that)\s+"
        rf"{_SOURCES}\b",
        rf"\b(?:what|how)\s+(?:do|does|did)\s+(?:the|this|these|your)\s+{_SOURCES}\s+(?:say|"
        r"tell us|tell me|report|mention|state|claim|describe|show)(?:\s+(?:about|regarding|"
        r"on))?\b",
        rf"\b(?:do|does|did)\s+(?:the|this|these|your)\s+{_SOURCES}\s+(?:say|mention|report|"
        r"state|claim|explain|describe|tell us)\b",
        rf"^\W*(?:what|how)\s+(?:the|these|your)\s+{_SOURCES}\s+(?:say|said|report|tell us)"
        r"(?:\s+(?:about|regarding|on))?\b",
        r"\b(?:tl;?dr|tldr|eli5)\b",
        # the cue of a "why" question is its answer type, not its topic
        r"\bwhat\s+(?:is|was|are|were)\s+the\s+(?:main\s+)?(?:reasons?|causes?)\s+"
        r"(?:for|of|behind|why)\b",
        r"\bwhat(?:'s|’s|s|\s+is|\s+was)?\s+(?:causes?|caused|causing|drives?|drove|"
        r"driving|leads?\s+to|led\s+to|behind|makes?|made|making)\b",
        r"\b(?:the\s+)?reasons?\s+(?:for|why|behind)\b",
        r"^\W*how\s+come\b",
    )
]


def strip_framing(question: str) -> str:
    """``question`` without the words that only frame it."""
    focus = question
    for pattern in _FRAMING:
        focus = pattern.sub(" ", focus)
    return " ".join(focus.split())


# -------------------------------------------------------------------------- answer types

_ANSWER_PATTERNS: tuple[tuple[AnswerType, str], ...] = (
        ("quantity", r"^\W*how\s+(?:much|many|long|far|old|big|large|often|high|low|tall)\b|"
         r"\bwhat\s+(?:is|was|were|are|'s)\s+the\s+(?:cost|price|number|amount|total|size|"
         r"figure|share|rate|percentage|budget|duration|length|value|sum)\b"),
        ("when", r"^\W*when\b|\bwhat\s+(?:day|date|year|month|time)\b|\b(?:which|what)\s+"
         r"(?:day|date|year|month|week)\b"),
        ("why", r"^\W*(?:why|how come)\b|\bwhat\s+(?:is|was|are|were)\s+the\s+(?:reasons?|"
         r"causes?)\b|\bwhat\s+(?:causes?|caused|drives?|drove|leads?|led)\b|"
         r"\breasons?\s+(?:for|why|behind)\b|\bwhat(?:'s|’s|s|\s+is|\s+was)?\s+(?:causing|"
         r"driving|behind|making|makes|made)\b"),
        ("who", r"^\W*(?:who|whom|whose)\b|\bwhich\s+(?:person|people|group|groups|official|"
         r"officials|organi[sz]ations?|countr(?:y|ies)|nations?|agenc(?:y|ies)|department|"
         r"body|bodies|company|companies)\b"),
        ("where", r"^\W*where\b|\bin\s+(?:which|what)\s+(?:city|country|place|town|region)\b|"
         r"\b(?:which|what)\s+(?:city|town|place|region|location|country)\b"),
        ("yesno", r"^\W*(?:is|are|was|were|does|do|did|can|could|will|would|has|have|had|"
         r"should|shall|must|may|might|isn't|aren't|wasn't|doesn't|didn't|won't)\b"),
)  # fmt: skip
_ANSWER_TYPES = tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in _ANSWER_PATTERNS)


def answer_type(question: str) -> AnswerType:
    """The kind of answer ``question`` asks for (``what`` when no other fits)."""
    for kind, pattern in _ANSWER_TYPES:
        if pattern.search(question):
            return kind
    return "what"


# -------------------------------------------------------------------------- terms

Stems = tuple[str, ...]


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

    @property
    def weight(self) -> float:
        """How much this term's absence argues that a passage does not answer."""
        weight = self.specificity * (1.0 if self.noun or self.anchor else NON_NOUN_FACTOR)
        return weight * ASKED_FACTOR if self.asked else weight

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


@dataclass(frozen=True)
class Query:
    """An analysed question: ``text`` as asked, ``focus`` without its framing."""

    text: str
    focus: str
    answer_type: AnswerType
    terms: tuple[Term, ...]
    language: str = "en"

    @property
    def framing_only(self) -> bool:
        return not self.terms

    def with_term(self, index: int, term: Term) -> Query:
        terms = list(self.terms)
        terms[index] = term
        return replace(self, terms=tuple(terms))


# -------------------------------------------------------------------------- analysis

_TOKEN = re.compile(r"[^\W_]+(?:[-‐'’][^\W_]+)*", re.UNICODE)
_US = re.compile(r"(?<![\w.$])(?:U\.S\.(?![\w$])|US\b(?!\$))")


def read_us_as_usa(text: str) -> str:
    """``text`` with the country "US" / "U.S." written "USA" (not "us", not "US$").

    As a word, "us" is a stop word; the country must count. Questions, the passages the
    gate reads and the sentences answers and quotes are chosen from all go through this.
    """
    return _US.sub("USA", text) if "U" in text else text


def _anchors_and_titles(question: str) -> tuple[set[str], set[str]]:
    """Capitalised words not at the start of a sentence, acronyms and numbers (anchors),
    and titles or initials before their period ("Dr.", "J.": neither anchors nor terms)."""
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


@lru_cache(maxsize=8192)
def stem_phrase(phrase: tuple[str, ...]) -> Stems:
    return tuple(stem(w) for w in phrase)


_CLITIC = re.compile(r"['’](?:s|d|ll|re|ve|m|t)$")
#: How chat writes some everyday words ("why do ppl leave", "the us govt").
_CHAT = {
    "ppl": "people",
    "govt": "government",
    "gov": "government",
    "dept": "department",
    "intl": "international",
    "natl": "national",
    "info": "information",
    "approx": "approximately",
    "yr": "year",
    "yrs": "years",
    "mil": "million",
    "bn": "billion",
}


def _plain_word(word: str) -> str:
    """A question word without its clitic ("valdoria's", "didn't") and as chat
    abbreviations mean it ("ppl": people)."""
    word = _CLITIC.sub("", word)
    return _CHAT.get(word, word)


_WH_DID = re.compile(r"\b(what|why|how|where|who|when)['’]d\b", re.IGNORECASE)


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
    domain = lexicon.domain_synonyms(parts) + lexicon.domain_synonyms((word,))
    own = {stem(word), *(stem(f) for f in expansion.family)}
    own |= {stem(d[0]) for d in domain if len(d) == 1}
    phrases: list[tuple[Stems, float]] = []
    search_phrases: list[tuple[str, ...]] = []
    if len(parts) > 1:  # "co-operation": "cooperation" and "co operation" are the word
        phrases.append((stem_phrase(parts), 1.0))
        search_phrases.append(parts)
        phrases.append(((stem(parts[-1]),), SYNONYM_CREDIT))  # the head alone: related
    for phrase in expansion.phrases:
        phrases.append((stem_phrase(phrase), SYNONYM_CREDIT))
        search_phrases.append(phrase)
    for phrase in (d for d in domain if len(d) > 1):
        phrases.append((stem_phrase(phrase), 1.0))
        search_phrases.append(phrase)
    related = lexicon.related_words({word, *expansion.family}) - {word} - expansion.family
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
        synonym_stems=frozenset(stem(s) for s in expansion.synonyms | related) - own,
        phrases=tuple(phrases),
        search=tuple(dict.fromkeys([word, *sorted(expansion.family), *sorted(singles)])),
        search_phrases=tuple(dict.fromkeys(search_phrases)),
        corrected_from=corrected_from,
        initials=word if acronym else "",
    )


def _name_term(name: tuple[str, ...], anchor: bool, lexicon: Lexicon) -> Term:
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


def _word_groups(focus: str) -> list[tuple[str, ...]]:
    """The focus's words, a hyphenated compound as one group of its parts."""
    groups = []
    for token in _TOKEN.findall(focus):
        parts = tuple(_plain_word(p) for piece in re.split(r"[-‐]", token) for p in words(piece))
        if parts:
            groups.append(parts)
    return groups


def _names_in(flat: list[str], lexicon: Lexicon) -> dict[int, tuple[str, ...]]:
    """Where the focus holds a name of several words, start index -> the name: a name
    from the profile ("homeland security"), or a compound WordNet knows as one noun
    ("united states", "think tank"), which is one term, not several."""
    found: dict[int, tuple[str, ...]] = {}
    i = 0
    while i < len(flat):
        for n in range(min(6, len(flat) - i), 1, -1):
            phrase = tuple(flat[i : i + n])
            # Two words WordNet knows as one noun; longer ones ("Central American
            # country") are usually a name and a head noun, which are better apart.
            compound = n == 2 and not (_EDGE_WORDS & {phrase[0], phrase[-1]})
            if lexicon.domain_synonyms(phrase) or (compound and lexicon.is_compound(phrase)):
                found[i] = phrase
                i += n
                break
        else:
            i += 1
    return found


#: Words a compound noun never starts or ends with.
_EDGE_WORDS = frozenset(
    "the a an of in on at to for with by from and or what which who how is are was were "
    "did does do it this that".split()
)
_BEFORE_NOUN = frozenset(
    "the a an this that these those its their his her our my your whose any each every "
    "some no which what".split()
)
_BEFORE_VERB = frozenset(
    "to will would can could should must may might shall did does do didn doesn don".split()
)


def _part_of_speech(flat: list[str], at: int, lexicon: Lexicon) -> str | None:
    """What the words around say the word at ``at`` is: a noun after a determiner ("the
    compact legally", "the compact?") unless a noun follows it ("the gifted Jeeps": it
    is their adjective), a verb after "to" or a modal ("would oblige"); None when they
    say neither."""
    before = flat[at - 1] if at > 0 else ""
    after = flat[at + 1] if at + 1 < len(flat) else ""
    modifies = bool(after) and after not in STOPWORDS and lexicon.expand(after).noun
    if before in _BEFORE_NOUN and not modifies:
        return "n"
    if before in _BEFORE_VERB:
        return "v"
    return None


def analyse(question: str, lexicon: Lexicon) -> Query:
    """Turn a question into its focus, its answer type and its terms."""
    read = _WH_DID.sub(r"\1 did", read_us_as_usa(question))  # "what'd": what did
    focus = strip_framing(read)
    anchors, titles = _anchors_and_titles(read)
    groups = _word_groups(focus)
    flat = [w for g in groups for w in g]
    names = _names_in(flat, lexicon)
    inside_name = {i for start, name in names.items() for i in range(start, start + len(name))}
    terms: list[Term] = []
    seen: set[str] = set()
    position = 0
    for group in groups:
        indices = range(position, position + len(group))
        position += len(group)
        for i in indices:
            if i in names:
                name = names[i]
                if " ".join(name) not in seen:
                    seen.add(" ".join(name))
                    terms.append(_name_term(name, any(w in anchors for w in name), lexicon))
        if any(i in inside_name for i in indices):
            continue
        content = tuple(w for w in group if w not in STOPWORDS and w not in titles)
        if not content:
            continue
        units = [group] if len(group) > 1 and group[0] in PREFIXES else [(w,) for w in content]
        for unit in units:
            key = "-".join(unit)
            if key in seen or (len(key) < 2 and not key.isdigit()):
                continue
            seen.add(key)
            at = indices[group.index(unit[0])]
            pos = _part_of_speech(flat, at, lexicon)
            terms.append(make_term(unit, any(w in anchors for w in unit), lexicon, pos=pos))
    asked, required = _asked_for(flat, lexicon)
    terms = [_as_asked(t, required, lexicon) if t.word == asked else t for t in terms]
    language = language_of(question)
    return Query(question, focus, answer_type(read), tuple(terms), language)


_WH = frozenset(["what", "which", "whose", "who", "how"])
#: How questions are typed in a hurry: "whats the population of ...".
_WH_TYPED = {"whats": "what", "whos": "who", "hows": "how"}
_LINKS = frozenset(["is", "was", "are", "were", "s", "the", "many", "much"])
_AUXILIARIES = frozenset("did does do has have had will would".split())
_SAYING = frozenset(
    "say says said think thinks thought claim claims claimed argue argues argued believe "
    "believes believed want wants wanted propose proposes proposed suggest suggests "
    "suggested feel feels felt tell tells told make".split()
)
#: Kinds of nouns that name who acts or speaks.
_ACTORS = frozenset(["noun.person", "noun.group"])
_ENDS = frozenset(
    "of for in at on behind to from with by about did does do is was are were has have had "
    "will would can could should that who which".split()
)


def _as_asked(term: Term, required: bool, lexicon: Lexicon) -> Term:
    """``term`` as the thing the question asks for: a kind of it is it ("which
    spokesperson" is answered by "the spokeswoman")."""
    kinds = lexicon.kinds(term.word)
    return replace(
        term,
        asked=True,
        required=required,
        stems=term.stems | {stem(k) for k in kinds},
        search=tuple(dict.fromkeys([*term.search, *sorted(kinds)])),
    )


def _noun_phrase_head(flat: list[str], j: int, lexicon: Lexicon) -> tuple[str | None, int]:
    """The last noun of the noun phrase that starts at ``j`` (adjectives, possessives and
    "-ing" modifiers before it: "kerbside *parking* places"), and where the phrase ends. A
    number is never the head ("the 3 main parts": parts)."""
    head = None
    while j < len(flat) and flat[j] not in _ENDS:
        word = flat[j]
        expansion = lexicon.expand(word)
        if word in STOPWORDS:
            if head is not None:
                break  # "the Mexican president *say*"
        elif not word.isalpha():
            pass  # a number modifies, never heads: "the 3 main parts"
        elif expansion.noun:
            head = word
        elif not (head is not None and word.endswith("ing")) and (
            head is not None or not expansion.known
        ):
            break
        j += 1
    return head, j


def _asked_for(flat: list[str], lexicon: Lexicon) -> tuple[str | None, bool]:
    """The noun a wh-question asks for, if it names a thing in the world, and whether a
    passage must name it to answer at all.

    "capital" in "What is the capital of El Salvador?", "members" in "How many gang
    members were arrested?", "fungus" in "What fungus causes coffee rust?". None for
    questions whose answer is what someone says or thinks ("the main argument of the
    activists"). A person or group the question asks about is required: "Who is the
    *mayor* of Harlow Bay?" and "What did the Mexican *president* say?" cannot be answered
    by a passage that never mentions a mayor or a president.
    """
    flat = [_WH_TYPED.get(w, w) for w in flat]
    start = next((i for i, w in enumerate(flat[:3]) if w in _WH), None)
    if start is None:
        return None, False
    j = start + 1
    speaker = False
    if flat[start] == "how":  # "how many gang members", not "how much is the line"
        if j >= len(flat) or flat[j] not in ("many", "much"):
            return None, False
        j += 1
    elif flat[start] == "what" and j < len(flat) and flat[j] in _AUXILIARIES:
        # "What did the Mexican president say about ...": the speaker
        speaker = True
        j += 1
        while j < len(flat) and flat[j] in _LINKS:
            j += 1
    else:
        while j < len(flat) and flat[j] in _LINKS:
            j += 1
    if flat[start] == "who" and j == start + 1:
        return None, False  # "who signed": no noun is asked for
    head, end = _noun_phrase_head(flat, j, lexicon)
    if head is None:
        return None, False
    lexname = lexicon.expand(head).lexname
    if speaker:
        says = end < len(flat) and flat[end] in _SAYING
        return (head, True) if says and lexname in _ACTORS else (None, False)
    if lexname in _CONTENT_NOUNS:
        return None, False
    return head, flat[start] == "who" and lexname in _ACTORS
