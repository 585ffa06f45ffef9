"""Question analysis: what a question asks about, what kind of answer it wants, and how
much each of its words matters.

The question's phrasing (framing, answer type, the thing asked for: :mod:`bot.core.phrasing`)
is read first; each content word of what is left becomes a :class:`~bot.core.terms.Term`
(:mod:`bot.core.terms`). A question that is nothing but framing ("tell me about it") has
no terms at all.

**Anchors** are names and numbers: capitalised words inside a sentence, acronyms,
numbers, and words that are names by the lexicon ("tegucigalpa", "nielsen" typed in
lower case). A passage that lacks one does not answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.core import frequency
from bot.core.amounts import YEAR
from bot.core.frequency import language_of
from bot.core.lexicon import FLOOR, Lexicon, digits_of, plain_person
from bot.core.phrasing import (
    PAY_VERBS,
    PORTION,
    RECEIVING,
    AnswerType,
    AskedFor,
    answer_type,
    asked_for,
    asked_noun,
    asks_pay,
    asks_what_a_clause_says,
    measured_in_length,
    measured_thing,
    names_someone,
    part_of_speech,
    past_a_leading_phrase,
    past_the_lead_in,
    possessive_words,
    rate_asked,
    speaker_of,
    spell_out,
    strip_framing,
)
from bot.core.shortforms import MIN_ZIPF, REBUS, function_word, looks_short, rebus
from bot.core.terms import (
    PREFIXES,
    Term,
    make_term,
    name_term,
    phrasal_term,
    read_us_as_usa,
    time_term,
)
from bot.core.text import is_abbreviation, sentence_spans
from bot.core.wordnet import wordnet
from bot.core.words import INITIALISMS, STOPWORDS, stem, words


@dataclass(frozen=True)
class Query:
    """An analysed question: ``text`` as asked, ``focus`` without its framing."""

    text: str
    focus: str
    answer_type: AnswerType
    terms: tuple[Term, ...]
    language: str = "en"
    measure: str | None = None  # the measure asked for ("the *budget*"): see _answer_type
    #: Terms the question sets side by side ("Harwick *or* Ashford", "Guatemala *versus*
    #: Honduras"): each is looked for, but a passage need not hold them together.
    alternatives: tuple[frozenset[str], ...] = ()
    #: The term of the verb whose doer a "who" question asks for ("Who *chairs* the
    #: board?"), if it has one.
    deed: str | None = None
    #: The term of the one whose words the question asks for ("What did *Hallgrimsson*
    #: say?"), if it asks for someone's words.
    speaker: str | None = None
    #: The unit a question for an amount asks for it per ("price per *tonne*", "ships a
    #: *week*"), if any: :func:`~bot.core.phrasing.rate_asked`.
    rate: str | None = None
    #: For a question for what someone is paid for their work ("How much does she earn?",
    #: :func:`~bot.core.phrasing.asks_pay`): stems of the words that say an amount is
    #: someone's pay (earn, paid, wage, salary, payment ...). Empty for any other question.
    pay: frozenset[str] = frozenset()
    #: For such a question, the words of its terms that name the one paid, a kind of
    #: person or a name ("retiring pilots": pilots; not "month"): "receive" says pay only
    #: of them (:func:`~bot.core.candidates.answerable_in_kind`).
    payees: frozenset[str] = frozenset()
    #: How many things the question asks for, as it writes the number ("What *four* areas
    #: does the pact cover?", "who were the *2* hikers"), if it says: :func:`_count_asked`.
    count: str | None = None
    #: The term of a "who" or "when" question for how something came to be founded ("Who
    #: *founded* Calderline Buses?", "When was the trust *set up*?"), if it asks that:
    #: :func:`_founding`.
    founding: str | None = None
    #: For a question for a rate, a ratio or a percentage of what the noun before it names
    #: ("What's the *unemployment rate*?"), the term of that noun and the measure's word
    #: (:func:`~bot.core.phrasing.measured_thing`): ("unemployment", "rate").
    measured: tuple[str, str] | None = None

    @property
    def framing_only(self) -> bool:
        return not self.terms

    @property
    def asking(self) -> str:
        """``text`` from its question word on, past a phrase that sets the scene
        ("According to the Herald, how many ...": "how many ..."): what the checks of a
        question's shape read ("how many ...", "how much ..."), as its answer type is."""
        return past_a_leading_phrase(self.text)

    def with_term(self, index: int, term: Term) -> Query:
        terms = list(self.terms)
        terms[index] = term
        return replace(self, terms=tuple(terms))


_TOKEN = re.compile(r"[^\W_]+(?:[-‐'’][^\W_]+)*", re.UNICODE)


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
                if w in STOPWORDS and not (w in INITIALISMS and len(bare) > 1 and bare.isupper()):
                    continue  # (but "the RN", "the SMH": an acronym, not chat's "rn")
                if (
                    any(ch.isdigit() for ch in w)
                    or (not first and bare[:1].isupper())
                    or (len(bare) > 1 and bare.isupper())
                ):
                    anchors.add(w)
            first = False
    return anchors, titles


def _shouted(question: str) -> bool:
    """Is ``question`` typed all in capitals ("WHY DO PEOPLE LEAVE CENTRAL AMERICA")? Then
    its capitals say nothing about which words are names, and every word would otherwise be
    read as an acronym that the sources must hold: it is read as if typed in lower case
    (names are still found as names: a word WordNet does not know and English rarely uses
    is one). One word alone ("DHS?") keeps its capitals."""
    letters = [w for w in _TOKEN.findall(question) if any(c.isalpha() for c in w)]
    return len(letters) > 1 and not any(c.islower() for c in question)


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


#: Negative contractions whose first part is not the verb: "won't" is "will not".
_NEGATIVES = {"won't": "will", "won’t": "will", "can't": "can", "can’t": "can",
              "shan't": "shall", "shan’t": "shall"}  # fmt: skip


def _plain_word(word: str) -> str:
    """A question word without its clitic ("valdoria's", "didn't") and as chat
    abbreviations mean it ("ppl": people); "won't" is "will", not the past of "win"."""
    word = _NEGATIVES.get(word, word)
    word = _CLITIC.sub("", word)
    return _CHAT.get(word, word)


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
    from the profile ("homeland security"), a compound WordNet knows as one noun
    ("united states", "think tank"), or a verb of several words ("shell out", "get rid
    of": :meth:`Lexicon.phrasal_verb`), which is one term, not several."""
    found: dict[int, tuple[str, ...]] = {}
    i = 0
    while i < len(flat):
        for n in range(min(6, len(flat) - i), 1, -1):
            phrase = tuple(flat[i : i + n])
            # Two words WordNet knows as one noun; longer ones ("Central American
            # country") are usually a name and a head noun, which are better apart.
            compound = n == 2 and not (_EDGE_WORDS & {phrase[0], phrase[-1]})
            if (
                lexicon.domain_synonyms(phrase)
                or (compound and lexicon.is_compound(phrase))
                or (n <= 3 and lexicon.phrasal_verb(phrase))
            ):
                found[i] = phrase
                i += n
                break
        else:
            i += 1
    return found


#: Words that place a period relative to when a text was written, with the words that
#: place it the same way: "last year" is "the previous year" and "the past year".
_RELATIVE = {
    **dict.fromkeys(("last", "previous", "past"), ("last", "previous", "past")),
    **dict.fromkeys(("next", "coming"), ("next", "coming")),
    **dict.fromkeys(("this", "current"), ("this", "current")),
}
#: "This year", "this season": the period a story is told in, which news does not name
#: again in every passage ("Only 61 millimetres of rain fell between September and
#: November" answers how much rain fell this autumn). Unlike "last year", which a passage
#: must say, it is left out of the question's terms.
_NOW = frozenset(("this", "current"))
#: Verbs whose subject the period is when it follows them: "When does the current season
#: end?", "How long is this season?" ask about the period itself.
_AUXILIARIES = frozenset("does did is was are were will would can could".split())
_PERIODS = frozenset(
    "year season month week decade summer winter spring autumn fall quarter".split()
)


def _relative_times(flat: list[str]) -> dict[int, tuple[str, ...]]:
    """Where the focus names a period relative to now ("last year", "this season"), start
    index -> the phrase: one term that a passage must hold (see :func:`time_term`)."""
    return {
        i: (flat[i], flat[i + 1])
        for i in range(len(flat) - 1)
        if flat[i] in _RELATIVE and flat[i + 1] in _PERIODS
    }


def _now_is_the_topic(flat: list[str], i: int, focus: str) -> bool:
    """Is the period at ``flat[i]`` ("this season", "the current year") what the question
    is about, the subject of its verb ("When does the current season end?"), not the time
    of what it asks ("How much rain fell this autumn?", "this year's budget")? Then a
    passage must still say it."""
    before = i - 2 if i >= 2 and flat[i - 1] == "the" else i - 1
    possessive = re.search(
        rf"\b{re.escape(flat[i])}\s+{re.escape(flat[i + 1])}['’]s\b", focus, re.IGNORECASE
    )
    return before >= 0 and flat[before] in _AUXILIARIES and not possessive


#: Words a compound noun never starts or ends with.
_EDGE_WORDS = frozenset(
    "the a an of in on at to for with by from and or what which who how is are was were "
    "did does do it this that".split()
)


def analyse(question: str, lexicon: Lexicon) -> Query:
    """Turn a question into its focus, its answer type and its terms."""
    if _shouted(question):
        question = question.lower()
    question = past_the_lead_in(question)
    read = spell_out(read_short_forms(read_us_as_usa(question), lexicon))
    focus = strip_framing(read)
    anchors, titles = _anchors_and_titles(read)
    groups = _word_groups(focus)
    flat = [w for g in groups for w in g]
    names = _names_in(flat, lexicon)
    names.update(_relative_times(flat))
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
                    period = name[-1] in _PERIODS  # not "coming up", a verb
                    if period and name[0] in _NOW and not _now_is_the_topic(flat, i, focus):
                        pass  # the story's own time: see _NOW
                    elif period and name[0] in _RELATIVE:
                        terms.append(time_term(name, _RELATIVE[name[0]]))
                    elif (verb := lexicon.phrasal_verb(name)) is not None:
                        terms.append(phrasal_term(name, verb, lexicon))
                    else:
                        terms.append(name_term(name, any(w in anchors for w in name), lexicon))
        if any(i in inside_name for i in indices):
            continue
        content = tuple(
            w for w in group if (w not in STOPWORDS or w in anchors) and w not in titles
        )
        if not content:
            continue
        units = [group] if len(group) > 1 and group[0] in PREFIXES else [(w,) for w in content]
        for unit in units:
            key = "-".join(unit)
            if key in seen or (len(key) < 2 and not key.isdigit()):
                continue
            seen.add(key)
            at = indices[group.index(unit[0])]
            pos = part_of_speech(flat, at, lexicon)
            terms.append(make_term(unit, any(w in anchors for w in unit), lexicon, pos=pos))
    possessors = possessive_words(focus)
    # ("Besides the money, what else was halted?": what is asked starts at "what")
    rest = past_a_leading_phrase(focus)
    asking = _asking(rest, flat)
    clause = asks_what_a_clause_says(rest, asking, lexicon, possessors)
    asked = AskedFor(None) if clause else asked_for(asking, lexicon, possessors)
    # The speaker of "What did the mayor promise?" must be in the passage, but what the
    # question asks for is what was said, so the speaker does not weigh double.
    # A kind of the thing asked for that the question itself names is not the answer:
    # "the fungus behind coffee rust" asks for a fungus other than rust.
    named = frozenset(stem(w) for t in terms if t.word != asked.word for w in t.word.split())
    # "What's the *unemployment* rate in Reskland?" asks for a measure of what the noun
    # before it names: a passage that never names that gives the measure of something
    # else ("raised its main interest rate ... to 5.5 per cent"). One that gives the figure
    # without calling it a rate may still (retrieve.with_rates_in_other_words).
    measured = None if clause or asked.word else measured_thing(asking, lexicon, possessors)
    if measured is not None and not any(
        t.word == measured[0] and t.noun and not t.anchor for t in terms
    ):
        measured = None
    terms = [replace(t, required=True) if measured and t.word == measured[0] else t for t in terms]
    terms = [
        replace(_as_asked(t, asked.required, lexicon, named), asked=not asked.speaker)
        if t.word == asked.word
        else t
        for t in terms
    ]
    language = language_of(question)
    noun = None if clause else asked_noun(asking, lexicon, possessors)
    kind, measure = _answer_type(read, noun, terms, lexicon)
    terms = [
        _as_the_noun_asked(t, measure, lexicon, counted=kind == "quantity") if t.word == noun else t
        for t in terms
    ]
    # ("How many 3 bedroom flats ...?" asks for the count itself: its "3" counts nothing)
    count = None if kind == "quantity" else _count_asked(flat, noun)
    if count is not None:
        terms = [
            replace(t, anchor=False, specificity=FLOOR) if t.word == count else t for t in terms
        ]
    # ("What did the bloke say?": chat's word for a person by sex or age alone tells
    # nothing of which passage speaks to the question; the sources name them otherwise)
    speaker = _speaker(flat, terms, lexicon, possessors)
    if speaker is not None and plain_person(speaker):
        terms = [
            replace(t, specificity=FLOOR) if t.word == speaker and not t.anchor else t
            for t in terms
        ]
    pay = _pay_words(lexicon) if kind in ("quantity", "what") and asks_pay(flat, lexicon) else ()
    paid = frozenset(stem(w) for w in pay)
    if noun is not None and stem(noun) not in paid and not names_someone(noun, lexicon):
        # the question asks for something else that is earned or paid: "How many *points*
        # did the team earn?", "How much *interest* will savers earn?", "How much *tax* is
        # paid?" (but "What *salary* does she earn?" and "What are *teachers* paid?" ask
        # for pay)
        pay, paid = (), frozenset()
    if pay:
        # "What is she paid?" is answered by "Her salary is ...": the verb of being paid is
        # said by any word for pay
        terms = [t.spelled(pay) if t.word in PAY_VERBS else t for t in terms]
    return Query(
        question,
        focus,
        kind,
        tuple(terms),
        language,
        measure,
        _alternatives(flat, terms),
        _deed(flat, terms) if kind == "who" else None,
        speaker,
        (
            rate_asked(flat, lexicon, frozenset(w for w in anchors if w.isalpha()), possessors)
            if kind == "quantity"
            else None
        ),
        paid,
        frozenset(t.word for t in terms if paid and _names_the_one_paid(t, paid, lexicon)),
        count,
        _founding(terms) if kind in ("who", "when") else None,
        measured,
    )


#: The stems that make a question's own word one for founding something (its words and
#: their families: "founded" has "founder"'s, "co-founded" is "cofound", "set up" is "setup");
#: not its synonyms ("administration" is an "establishment"). The past of "find" has the
#: stems of "found" too ("Who found the server?"), so it must not have "find"'s.
_FOUNDING = frozenset({"establish", "founder", "cofound", "setup"})


def _founding(terms: list[Term]) -> str | None:
    """The term by which a who/when question asks for a founding ("founded", "founders",
    "established", "set up"), if it does. Such a question is answered only by a passage
    that tells a founding (:func:`~bot.core.candidates.answerable_in_kind`): stories name
    organisations far more often than they tell who set them up or when."""
    for term in terms:
        if not term.anchor and term.stems & _FOUNDING and "find" not in term.stems:
            return term.word
    return None


_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


#: How many words may say what kind of thing a count counts ("the 3 *core* areas").
_KIND_WORDS = 2


def _plural(noun: str) -> bool:
    """Is ``noun`` a plural ("areas", "children"), as WordNet knows it?"""
    return any(base != noun for base in wordnet().base_forms(noun, "n"))


def _asking(rest: str, flat: list[str]) -> list[str]:
    """The words of the focus (``flat``) from its question word on, ``rest`` being its
    text past a phrase that sets the scene (:func:`~bot.core.phrasing.past_a_leading_phrase`):
    what "Besides the money, what else was halted?" and "Under the new plan, how long
    ...?" ask for is read from "what" and "how", not from "money" and "plan"."""
    words = len([w for g in _word_groups(rest) for w in g])
    return flat[len(flat) - words :] if 0 < words <= len(flat) else flat


def _count_asked(flat: list[str], noun: str | None) -> str | None:
    """The number that says how many of the things asked for there are ("what *4* things
    does the pact focus on", "who were the *2* hikers", "which *three* countries"): the
    answer's size, not a name a passage must hold (a passage that names the hikers need
    not count them). A number right after "what" or "which", or right before the noun
    asked for, or before a word or two that say what kind of them and then that noun, a
    plural ("the 3 core areas"; not "the 5 star hotel"). Not a year ("which 2019 law"), a
    day a month follows ("what 22 July hearing"), nor a part of a number that more digits
    follow or precede ("what 1,000 homes"): those name a thing, or are part of a number,
    and count nothing. None for a question for a quantity (see :func:`analyse`)."""
    for i, word in enumerate(flat):
        if not (word.isdigit() or digits_of(word) is not None) or YEAR.fullmatch(word):
            continue
        if i + 1 < len(flat) and (flat[i + 1] in _MONTHS or not flat[i + 1].isalpha()):
            continue
        if i > 0 and flat[i - 1].isdigit():
            continue
        after_wh = i > 0 and flat[i - 1] in ("what", "which")
        # (perhaps after words that say what kind of them, "the 3 *core* areas", when the
        # noun is a plural: not "the 10 Downing Street policy", "the 5 star hotel")
        ahead = flat[i + 1 : i + 2 + _KIND_WORDS]
        before_noun = noun is not None and noun in ahead
        if noun is not None and before_noun and noun != ahead[0]:
            kind = ahead[: ahead.index(noun)]
            before_noun = not any(w in STOPWORDS for w in kind) and _plural(noun)
        if after_wh or before_noun:
            return word
    return None


def _names_the_one_paid(term: Term, paid: frozenset[str], lexicon: Lexicon) -> bool:
    """Does ``term`` of a question for someone's pay (``paid``: the stems of its words
    for pay) name the one paid ("pilots", "Ilse Varnam"), not pay itself ("paid",
    "salary") nor a thing ("month", "harbour")?"""
    return term.stems.isdisjoint(paid) and names_someone(term.word, lexicon)


def _pay_words(lexicon: Lexicon) -> tuple[str, ...]:
    """The words that say an amount is someone's pay: "earn" and "pay" (and their
    forms), WordNet's words for a wage ("wage", "pay", "earnings", "salary",
    "remuneration"), the more general words that may state one ("payment") and
    "receive": what someone is paid they receive ("Each pilot will receive 1,200 euros a
    month" says what the pilots are paid; only of the ones asked about:
    :attr:`Query.payees`)."""
    wage = lexicon.expand("wage", "n")
    found = {*PAY_VERBS, "pay", "wage", *lexicon.irregular("pay"), *wage.family, *wage.synonyms}
    found |= RECEIVING
    found |= lexicon.kind_of_money("wage") or frozenset()
    return tuple(sorted(w for w in found if w.isalpha()))


def _speaker(
    flat: list[str], terms: list[Term], lexicon: Lexicon, possessors: frozenset[str]
) -> str | None:
    """The term of the one whose words the question asks for (:func:`speaker_of`): the
    term of that word, or the name it ends ("Maeve *Dalloway*")."""
    names = frozenset(w for t in terms if t.anchor for w in t.word.split())
    head = speaker_of(flat, lexicon, possessors, names)
    if head is None:
        return None
    return next((t.word for t in terms if head in (t.word, t.word.split()[-1])), None)


_MODALS = frozenset("must will would can could should may might shall".split())


def _deed(flat: list[str], terms: list[Term]) -> str | None:
    """The term of the verb right after "who" ("Who *chairs* the board?", "who *showed
    up*"): what the person asked for did."""
    at = next((i for i, w in enumerate(flat[:3]) if w in ("who", "whos")), None)
    if at is not None and at + 2 < len(flat) and flat[at + 1] in _MODALS:
        at += 1  # "who *must approve* the repairs": the verb after the modal
    if at is None or at + 1 >= len(flat):
        return None
    verb = stem(flat[at + 1])
    for term in terms:
        if (
            not term.anchor
            and not term.noun
            and (verb in term.stems or any(p[0] == verb for p, _ in term.phrases))
        ):
            return term.word
    return None


#: A word typed in lower case, alone or before "'s" ("wat's": what's).
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?=['’]s\b|(?![\w'’-]))")


def read_short_forms(question: str, lexicon: Lexicon) -> str:
    """``question`` with the chat short forms of its phrasing words written out ("wat
    does DHS say": what does DHS say; "what shld be fixed": what should be fixed), and
    words spelled by their sounds ("b4": before; :func:`~bot.core.shortforms.rebus`), so
    that they frame the question rather than count as unknown names. Short forms of
    content words ("ppl", "govts") are left to retrieval (:mod:`bot.core.shortforms`)."""

    def written_out(match: re.Match[str]) -> str:
        word = match.group(0)
        if not looks_short(word) or lexicon.expand(word).known:
            return word
        return function_word(word) or word

    def g_restored(match: re.Match[str]) -> str:
        word = match.group(1)
        if lexicon.expand(word).known or frequency.zipf(word + "g") < MIN_ZIPF:
            return match.group(0)
        return word + "g"

    def sounded_out(match: re.Match[str]) -> str:
        return rebus(match.group(0)) or match.group(0)

    question = _ACC_TO.sub("according to", question)
    question = REBUS.sub(sounded_out, question)
    return _LOWER_WORD.sub(written_out, _DROPPED_G.sub(g_restored, question))


#: "acc to the courier", "Acc. to": according to it (not "ACC", a name in capitals: "left
#: the ACC to join the SEC").
_ACC_TO = re.compile(r"(?<![\w'’-])[aA]cc\.?(?=\s+(?i:to)\b)")


#: A word typed with its "-ing" cut to "-in" ("talkin", "nothin'", "goin"): the "-ing" word
#: when English knows no "-in" word but commonly uses the "-ing" one.
_DROPPED_G = re.compile(r"(?<![\w'’-])([a-z]{2,}in)['’]?(?![\w'’-])")


#: Words that set two things side by side rather than together: "older, Harwick *or*
#: Ashford?", "Guatemala *vs* Honduras". ("Aid to Guatemala *and* Honduras" asks about both
#: at once, as does "the accord between Norland and Estavia", unless the question compares
#: them: "compare X and Y", "the difference between X and Y".)
_EITHER = frozenset(["or", "vs", "versus", "nor"])
_COMPARING = frozenset(["compare", "compared", "comparing", "comparison", "differ",
                        "difference", "differences", "versus", "vs"])  # fmt: skip


def _alternatives(flat: list[str], terms: list[Term]) -> tuple[frozenset[str], ...]:
    """Groups of the question's anchors joined by "or" (or by "and" in a comparison),
    each within three words of the joiner ("the *Ashford* restoration or the *Halden*
    renovation"): a passage that holds one of them speaks to the question as far as names
    go. A name of several words is found by its last word."""
    anchors = {t.word.split()[-1]: t.word for t in terms if t.anchor}
    joiners = _EITHER | ({"and"} if _COMPARING & set(flat) else set())
    groups: list[set[str]] = []
    for i, word in enumerate(flat):
        if word not in joiners or i == 0 or i + 1 >= len(flat):
            continue
        left = next((anchors[w] for w in reversed(flat[max(0, i - 3) : i]) if w in anchors), None)
        right = _first_anchor(flat[i + 1 :], anchors)
        if left is None or right is None or left == right:
            continue
        for group in groups:
            if left in group or right in group:
                group.update((left, right))
                break
        else:
            groups.append({left, right})
    return tuple(frozenset(g) for g in groups)


def _first_anchor(rest: list[str], anchors: dict[str, str]) -> str | None:
    """The anchor among the first words after a joiner ("or *the Halden* renovation"),
    found by the last word of its name."""
    return next((anchors[w] for w in rest[:3] if w in anchors), None)


#: WordNet's files of nouns for places, and how many named instances make a noun a kind of
#: place that has names ("city": 802, "country": 185, "port": 195; "area": 4).
_PLACE_FILES = frozenset(["noun.location", "noun.group", "noun.object"])
MIN_NAMED_PLACES = 10


def _as_the_noun_asked(
    term: Term, measure: str | None, lexicon: Lexicon, counted: bool = False
) -> Term:
    """``term`` as the noun the question asks for: a named thing of its kind is it (a
    passage that names Tegucigalpa names the city asked for), and so is an amount of the
    measure it is (:attr:`Term.measured`). Named kinds are looked up for this noun alone:
    a noun's WordNet instances take up to a quarter of a second the first time. People
    that a "how many" question counts (``counted``) may be counted as people
    (:attr:`Term.counted_as`)."""
    if term.anchor or not term.noun or "-" in term.word or " " in term.word:
        return replace(term, measured=measure is not None)
    named = {stem(n) for n in lexicon.named_kinds(term.word)}
    people = lexicon.people_counted(term.word) if counted and measure is None else frozenset()
    # a kind of place that has names ("city", "country", "port"; not "area" or "homes"),
    # asked for by its name: "How many cities ...?" counts them, and names none
    place = (
        term.asked
        and not counted
        and lexicon.expand(term.word).lexname in _PLACE_FILES
        and len(named) >= MIN_NAMED_PLACES
    )
    kind = lexicon.kind_of_money(term.word) if measure == "money" else None
    return replace(
        term,
        stems=term.stems | named,
        counted_as=frozenset(stem(p) for p in people),
        measured=measure is not None,
        kind_of=None if kind is None else frozenset(stem(w) for w in kind),
        places=frozenset(named) if place else frozenset(),
    )


def _answer_type(
    question: str, noun: str | None, terms: list[Term], lexicon: Lexicon
) -> tuple[AnswerType, str | None]:
    """The question's answer type, and the measure it asks for if the noun it asks for
    (``noun``) names one: "What is the estimated *price* of ...", "the total *budget* for
    ..." and "the contract *length* Strohm agreed" ask for an amount of money or a
    duration, as "how much" and "how long" do; "What did Congress decide about the
    budget?" does not."""
    kind = answer_type(question)
    if kind == "what" and noun is not None and lexicon.expand(noun).lexname == "noun.person":
        return "who", None
    if PORTION.search(question):
        return "quantity", None  # "what share of the budget": a percentage, not money
    measure = next((t.measure for t in terms if t.word == noun and t.measure), None)
    if measure is not None and kind in ("what", "quantity"):
        return "quantity", measure
    if kind == "quantity" and measured_in_length(question, lexicon):
        return "quantity", "length"
    return kind, None


def _as_asked(
    term: Term, required: bool, lexicon: Lexicon, named: frozenset[str] = frozenset()
) -> Term:
    """``term`` as the thing the question asks for: a kind of it is it ("which
    spokesperson" is answered by "the spokeswoman"), but not a kind the question itself
    names (``named``, stems of its other words): it is not what is asked for. The person
    or group a "who" question asks for (``required``) is named too by the other words of
    its commonest sense ("who's the boss": "chief executive Miriam Castellow")."""
    kinds = {k for k in lexicon.kinds(term.word) if stem(k) not in named}
    if required:
        kinds |= {k for k in lexicon.same_sense(term.word) if stem(k) not in named}
    return replace(
        term,
        asked=True,
        required=required,
        stems=term.stems | {stem(k) for k in kinds},
        search=tuple(dict.fromkeys([*term.search, *sorted(kinds)])),
    )
