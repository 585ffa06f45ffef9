"""What a sentence that answers each kind of question tends to hold: a number for "how
many", an amount of money for "how much ... cost", a duration for "how long", a
measurement for "how deep", a percentage for "what share of", a date for "when", a name
for "who", a cause for "why", a negation or limit for a yes/no question.

The extractive answer favours such a sentence (:mod:`bot.core.answer`), and a question
whose passages hold none is not answered extractively (:mod:`bot.core.candidates`).
Names are told by their capitals, so those patterns are case-sensitive: a person's name
is a capitalised word inside a sentence that WordNet knows, if at all, only as a person
(:func:`new_name`); a count is a number that is not a year, a date or a model code
(:func:`holds_count`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator

from bot.core.amounts import (
    DURATION,
    LENGTH,
    MEASUREMENT,
    NUMBER_WORD,
    SHARE,
    SPEED,
    TEMPERATURE,
    WEIGHT,
    coined_amounts,
    measure_pattern,
    money,
)
from bot.core.phrasing import MONEY_WORDS, PORTION, WORD_PERCENT, asks_who_someone_is
from bot.core.retrieve import Retrieval
from bot.core.roles import could_be_surname
from bot.core.wordnet import wordnet
from bot.core.words import STOPWORDS, stem

_NAME = r"[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|of|de|del|van|von))*"
#: Capitalised only because they start a sentence: "The", "After", "Their", "Its".
_FUNCTION_WORDS = "(?i:" + "|".join(sorted(STOPWORDS, key=len, reverse=True)) + ")"
#: Inside a sentence: after a word or a comma ("an outside firm, Castellan Cyber,"), or
#: after a title ("contacted Dr. Corinna Vasquez-Hale").
_INSIDE = r"(?:(?<=[\w,]\s)|(?<=\b(?:Dr|Mr|Ms|St)\.\s)|(?<=\bMrs\.\s)|(?<=\bProf\.\s))"
_MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
#: A day or a month: capitalised, but the name of no one and nothing.
_CALENDAR = re.compile(
    rf"(?:{_MONTH_NAMES}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
#: What may follow "on" in a date ("on Tuesday", "on 3 May").
_DAYS = rf"(?:\d|{_CALENDAR.pattern})"
#: A time on the clock: "19:40", "at 6.15", "7 p.m.", "6.15am".
_CLOCK = (
    r"\b(?:[01]?\d|2[0-3]):[0-5]\d\b|\bat\s+(?:[01]?\d|2[0-3])\.[0-5]\d\b|"
    r"\b\d{1,2}(?:[.:][0-5]\d)?\s*(?:am|pm|a\.m\.|p\.m\.)(?![^\W\d_])"
)
#: English's negative words, which settle a yes/no question: "not" and its contractions
#: (any verb's, with either apostrophe: "hasn't", "weren’t"), "no" and the words built
#: on it ("nobody was hurt", "none had needed treatment", "nothing was taken"), "never",
#: "neither", "nor"; and "without", "unlikely".
NEGATIVE = re.compile(
    r"\b(?:not|no|non-\w+|never|neither|nor|none|nobody|nothing|nowhere|without|cannot|"
    r"\w+n['’]t|unlikely)\b",
    re.IGNORECASE,
)
#: What, right after a negative word, makes it affirm rather than deny: a comparison
#: that names the thing itself ("none other than Mara Quist", "nothing less than a
#: disgrace", "nothing short of", "no fewer than 40"), an exception that is all there is
#: ("nothing but praise", "nobody but the driver"), a doubt denied ("nobody doubted",
#: "there is no doubt", "I don't doubt"), and "not only ... but".
_AFFIRMING = re.compile(
    r"\s+(?:(?:less|fewer|other|short)\s+(?:than|of)\b|but\b|only\b|"
    r"(?:one\s+)?(?:\w+ly\s+)?doubt)",
    re.IGNORECASE,
)
#: "can't" and "could not" before what cannot be outdone affirm it ("I couldn't be
#: happier", "couldn't agree more", "can't wait for the ferry to return", "couldn't help
#: but smile"), not before a plain verb ("couldn't help the miners", "can't be over").
_CANNOT = re.compile(r"(?:ca|could)n['’]t|cannot", re.IGNORECASE)
_CAN_BEFORE = re.compile(r"\b(?:can|could)\s+$", re.IGNORECASE)
_OUTDONE = re.compile(
    r"\s+(?:wait\s+(?:to|for)|help\s+(?:but|\w+ing)|agree\s+more|"
    r"(?:have\s+been|be)\s+(?P<than>\w+))\b",
    re.IGNORECASE,
)
#: A negated verb of knowing or telling before a question word says what is not known
#: ("Velmar wouldn't say how much", "Nobody knows what will happen to the site"): another
#: question left open, which settles a yes/no question only when it asks whether
#: something was told or known ("Have they announced when they'll meet?"). Not "whether"
#: or "if": "The company would not say whether a siren had been installed" says that the
#: yes/no question itself is open.
_UNTOLD = re.compile(
    r"(?:\s+(?:one|yet|be|been|has|have|had|will|would|can|could|\w+ly))*\s+"
    r"(?:say|said|know|knows|knew|known|tell|told|"
    r"comment(?:ed)?|confirm(?:ed)?|disclose[ds]?|reveal(?:ed)?|specif(?:y|ied)|"
    r"explain(?:ed)?|clear)(?:\s+(?:yet|\w+ly|exactly|precisely))?\s+"
    r"(?:how|what|when|where|who|whom|which|why)\b",
    re.IGNORECASE,
)
_ASKS_TOLD = re.compile(
    r"\b(?:say|said|says|know|known|knows|tell|told|comment\w*|confirm\w*|disclose\w*|"
    r"reveal\w*|specif\w+|explain\w*|announce\w*|publish\w*|clear)\b",
    re.IGNORECASE,
)


def denies(text: str, question: str) -> bool:
    """Does ``text`` hold a negative word (:data:`NEGATIVE`) that the question does not
    itself hold and that denies something: not one of the idioms where a negative word
    affirms (:data:`_AFFIRMING`, "couldn't be happier"), nor one that says only what is
    not told (:data:`_UNTOLD`) when the question does not ask what was told?"""
    asked = question.lower()
    for m in NEGATIVE.finditer(text):
        after = text[m.end() :]
        if m.group(0).lower() in asked or _AFFIRMING.match(after):
            continue
        cannot = _CANNOT.fullmatch(m.group(0)) or (
            m.group(0).lower() == "not" and _CAN_BEFORE.search(text[: m.start()])
        )
        if cannot and (outdone := _OUTDONE.match(after)):
            than = outdone.group("than")
            if than is None or than.lower() == "more" or _comparative(than):
                continue
        if _UNTOLD.match(after) and not _ASKS_TOLD.search(question):
            continue
        return True
    return False


@functools.lru_cache(maxsize=4096)
def _comparative(word: str) -> bool:
    """Is ``word`` an adjective's comparative ("happier", "better", "prouder")?"""
    word = word.lower()
    return word.endswith(("er", "se")) and any(
        base != word for base in wordnet().base_forms(word, "a")
    )


_EXPECTED: dict[str, re.Pattern[str]] = {
    "quantity": re.compile(
        rf"\d|\b(?:{NUMBER_WORD}|hundreds?|thousands?|millions?|billions?|dozens?|half|"
        r"per\s*cent|percent)\b",
        re.IGNORECASE,
    ),
    # a year, a month, a day (of the week, or weekly: "on Saturdays"), a time of day
    "when": re.compile(
        r"\b(?:1[5-9]\d\d|20\d\d|january|february|march|april|may|june|july|august|"
        r"september|october|november|december|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|"
        r"yesterday|today|tomorrow|tonight|midnight|noon|ago|since|until)\b|"
        # a week, a month or a year placed in time ("last week", "next month", "within a
        # year", "a week after the flood", "a year later"), not a length ("a 12-month
        # trial", "dismissed in six years") or a rate ("every year")
        r"\b(?:last|next|this|that|coming|previous|following|same|of\s+the|within\s+a)\s+"
        r"(?:weeks?|months?|years?)\b|"
        r"\b(?:weeks?|months?|years?)\s+(?:later|earlier|after|before)\b|" + _CLOCK,
        re.IGNORECASE,
    ),
    # a cause; "after" too, as news gives one ("closed after engineers found cracks",
    # "paused after three participants developed signs of liver stress")
    "why": re.compile(
        r"\b(?:because|due\s+to|owing\s+to|as\s+a\s+result|since|so\s+that|in\s+order"
        r"\s+to|reasons?|caus\w*|lead\s+to|led\s+to|leads\s+to|drives?|driven|driving|"
        r"result\w*|amid|factors?|roots?|blamed?|behind|after)\b",
        re.IGNORECASE,
    ),
    # a name of two words or more ("Rafael Osterholm"), inside the sentence or at its
    # start when the first word is not one that starts sentences ("Ida Berg won", not
    # "The Sollen regatta"), or a role
    "who": re.compile(
        rf"{_INSIDE}{_NAME}\s+{_NAME}|^\W*(?!{_FUNCTION_WORDS}\b){_NAME}\s+{_NAME}|"
        r"\b(?:activists?|officials?|critics?|coalition|"
        r"spokes(?:wo)?(?:man|person)|analysts?|[Ss]ecretary|[Mm]inister|[Pp]resident|"
        r"founders?|founded\s+by|led\s+by|chairs?)\b"
    ),
    # a preposition of place before a name ("in Tegucigalpa", "on Fennick Street", not "on
    # Tuesday"; but "in August" too: leaving dates out there lost the sentence that says
    # where the jeeps were seen, "in August 2018, ... in the streets around"); see also
    # where_pattern()
    "where": re.compile(
        rf"\b(?:in|at|near|from|outside|inside|to|on(?!\s+{_DAYS}))\s+(?:the\s+)?{_NAME}"
    ),
    "yesno": NEGATIVE,
}

#: How news gives an age: "Strohm, 26, passed a medical", "a 15-year-old", "aged 71",
#: "who is 40 years old", or the year a thing began ("built in 1827").
_AGE = re.compile(
    r"[A-Z][\w'’-]+,\s+\d{1,3},|\b\d{1,3}[\s-]+years?[\s-]+old\b|\baged\s+\d{1,3}\b|"
    r"\b(?:1[0-9]|20)\d\d\b",
)
#: How fast a thing goes or changes: a speed ("14 knots", "120 km/h"), a percentage
#: ("rising at 3.2 per cent a year") or an amount in a unit of time ("retreating 30
#: metres a year", "two hectares an hour"): "How fast are prices rising?" is no question
#: of a speed.
_PACE = re.compile(
    rf"{SPEED.pattern}|{SHARE.pattern}|\b(?:\d[\d,.]*|{NUMBER_WORD})(?:\s+[\w'’-]+){{0,3}}?\s+"
    r"(?:a|an|per|each)\s+(?:second|minute|hour|day|week|month|year)\b",
    re.IGNORECASE,
)
# A "how much" question about money wants an amount of money, "how long" a duration, a
# share a percentage, "how old" an age: a bare number is not the answer to any of them.
# (A measure's name stands for its pattern: see measure_pattern.)
#: How long a thing lasts, or a text runs: "for three years", "a six-page statement",
#: "a 40-page report", "2,000 words".
_DURATION_OR_PAGES = re.compile(
    rf"{DURATION.pattern}|\b(?:\d[\d,]*|{NUMBER_WORD})[\s-]+(?:pages?|words?)\b", re.IGNORECASE
)
#: A currency another is measured against: "against the dollar", "against the US dollar",
#: "against the British pound".
_AGAINST_A_CURRENCY = re.compile(
    r"\bagainst\s+(?:the\s+)?(?:[^\W\d_][\w.]*\s+)?(?:dollars?|euros?|pounds?)\b", re.IGNORECASE
)
_QUANTITY_KINDS: tuple[tuple[re.Pattern[str], re.Pattern[str] | str], ...] = (
    (PORTION, SHARE),  # a share of the budget is a percentage, not money
    # "How far has the mark fallen against the dollar?": a change, in per cent or in
    # cents, by any number (the dollar is what it is measured against, not what is asked)
    (re.compile(r"^\W*how\s+far\b", re.IGNORECASE), _EXPECTED["quantity"]),
    (re.compile(MONEY_WORDS, re.IGNORECASE), "money"),
    # ... or, of a text, its pages or words (see _asks_a_text_s_length)
    (re.compile(r"^\W*how\s+long\b", re.IGNORECASE), DURATION),
    # "how deep", "how tall" and the like ask for a length, "how heavy" for a weight (not
    # "weighed 16.5 kilograms" for "how tall"); "how long" and "how far" are left to the
    # generic number: "how long is the span" may be answered in metres, "how far have
    # yields dropped" in per cent, and "how long will it take" in months
    (re.compile(r"^\W*how\s+(?:deep|tall|wide|thick)\b", re.IGNORECASE), LENGTH),
    (re.compile(r"^\W*how\s+heavy\b", re.IGNORECASE), WEIGHT),
    (re.compile(r"^\W*how\s+(?:cold|hot|warm)\b", re.IGNORECASE), TEMPERATURE),
    (re.compile(r"^\W*how\s+fast\b", re.IGNORECASE), _PACE),
    (re.compile(r"^\W*how\s+old\b|\bwhat\s+age\b", re.IGNORECASE), _AGE),
    (re.compile(rf"\b(?:share|percentage|per\s*cent|percent|proportion)\b|{WORD_PERCENT}",
                re.IGNORECASE),
     SHARE),
)  # fmt: skip
#: The units a phrase that sets the scene may name for the amount the question asks for,
#: when the question from its question word on names none: "*In percentage terms*, how
#: much did sales fall?", "*In dollars*, how much ...". (Not any money word: "Under the
#: *budget* deal, how much did rents rise?" asks for no sum.) The phrase is the unit's
#: own, "in" and the unit (perhaps a word or two before it, perhaps "terms" after it):
#: a phrase that only speaks of money or of a percentage names no unit ("*Given the cash
#: shortfall*, how much longer ...?", "*Besides the money*, how much ...?").
_IN_A_UNIT = r"^\W*in\s+(?:[^\W\d_]+\s+){{0,2}}?(?:{unit})(?:\s+terms)?\W*$"
_UNITS_A_PHRASE_NAMES: tuple[tuple[re.Pattern[str], re.Pattern[str] | str], ...] = (
    (re.compile(_IN_A_UNIT.format(unit=r"percentage|per\s*cent|percent|proportion|%(?:ages?)?"),
                re.IGNORECASE),
     SHARE),
    (re.compile(_IN_A_UNIT.format(unit=r"money|cash|dollars?|euros?|pounds?"), re.IGNORECASE),
     "money"),
)  # fmt: skip


#: "How many" asks for a count of the thing it names, which is money only when that
#: thing is ("how many dollars", "how many million euros"): "How many hours did crews
#: spend waiting?" and "How many citizens gave money?" ask for no amount of money.
_HOW_MANY_THINGS = re.compile(
    rf"^\W*how\s+many\s+(?!(?:(?:thousand|million|billion)\s+)?{MONEY_WORDS})", re.IGNORECASE
)

_HOW_LONG_IS_IT = re.compile(r"^\W*how\s+long\s+(?:is|was|are|were)\s+(.+?)\W*$", re.I)


def _asks_a_text_s_length(question: str) -> bool:
    """Does "How long is X?" ask how long a text runs, which news tells in pages or words
    ("How long is the coalition's statement?": "a six-page statement")? The question asks
    what X is, not how long something lasted or took ("How long did the inquiry last?" is
    not answered by "its 300-page report", nor "How long did Senator Vale speak?" by "a
    2,000-word letter"), nor how long a state went on ("How long has he been mayor?"); and
    X holds a noun whose commonest sense is a communication ("statement", "document",
    "report"; not "How long was the bridge closure?", an act, which "a 12-page report on
    the closure" does not answer)."""
    asked = _HOW_LONG_IS_IT.match(question)
    if asked is None:
        return False
    found = [w for w in re.findall(r"[^\W\d_]+", asked.group(1).lower()) if w not in STOPWORDS]
    return any(_common_noun_file(w) == "noun.communication" for w in found)


#: How news gives a person's age: "Strohm, 26, passed a medical", "a 15-year-old",
#: "aged 71" (not a year: "since 2019" is no one's age).
_PERSON_AGE = re.compile(
    r"[A-Z][\w'’-]+,\s+\d{1,3},|\b\d{1,3}[\s-]+years?[\s-]+old\b|\baged\s+\d{1,3}\b"
)
_HOW_OLD_IS = re.compile(r"^\W*how\s+old\s+(?:is|was|are|were)\s+(?:the\s+)?(.+?)\W*$", re.I)


def _asks_a_person_s_age(question: str) -> bool:
    """Does "How old is X?" ask about a person: X holds a noun whose commonest sense is a
    person ("the captain"), or is a name of two words or more whose last word names no
    thing ("Luca Madeira", "Jimmy Morales": Madeira is an island only as a name, and
    "morale" a state of mind; not "the Harwick Stone Bridge" nor "the Oberhalden open",
    which a year dates)? Only a word's senses written in lower case count: a name's
    senses are other names'."""
    asked = _HOW_OLD_IS.match(question)
    if asked is None:
        return False
    found = [w for w in re.findall(r"[^\W\d_]+", asked.group(1).lower()) if w not in STOPWORDS]
    files = [_common_noun_file(w) for w in found]
    if "noun.person" in files:
        return True
    return len(found) >= 2 and files[-1] in _NO_THING


#: What a name's last word may mean and still be a person's name: nothing in WordNet,
#: or a state, a quality or a feeling ("morale"), which no year dates.
_NO_THING = frozenset([None, "noun.state", "noun.attribute", "noun.feeling"])


def _common_noun_file(word: str) -> str | None:
    """WordNet's file for the commonest sense in which ``word`` is a common noun (written
    in lower case), or None."""
    net = wordnet()
    for sense in net.senses(word, "n"):
        if any(w.islower() for w in sense.words):
            return sense.lexname
    return None


#: WordNet's kinds of place: a noun one of whose two commonest senses is a kind of one of
#: these names a place ("town", "village", "province", "stadium", "harbour").
_PLACE_ROOTS = ("location", "structure", "facility")


@functools.cache
def where_pattern() -> re.Pattern[str]:
    """What answers "where": a preposition of place before a name (``_EXPECTED``), or
    before a place of that name, a kind of place WordNet knows ("at the sports hall in the
    neighbouring *town* of Wexley", "in the *village* of Tresk"; not "at the request of
    Governor Lena Holt"). Built once, on first use."""
    net = wordnet()
    synsets = net.descendants(_PLACE_ROOTS)
    places = sorted(
        {
            w
            for s in synsets
            for w in s.words
            if w.isalpha() and w.islower() and any(t in synsets for t in net.senses(w, "n")[:2])
        },
        key=lambda w: (-len(w), w),  # longest first, then in order: the same pattern each run
    )
    return re.compile(
        rf"{_EXPECTED['where'].pattern}|\b(?:in|at|near|outside|inside)\s+the\s+"
        rf"(?:[a-z][\w'’-]*\s+)?(?:{'|'.join(places)})(?:e?s)?\s+of\s+{_NAME}"
    )


#: A question about what happened before, a precedent: "Has Halvessa ever banned a party
#: before?", "has the farm been warned before this?", "What happened the last time they
#: tried?", "Had it previously ...?"
_ASKS_FOR_A_PRECEDENT = re.compile(
    r"^\W*(?:has|have|had|did)\b.*\bever\b|\bever\b.*\bbefore\b|"
    # "before" ending a clause ("before?", "before this one", "before - and ...")
    r"\bbefore(?:\s+(?:this(?:\s+(?:one|time))?|now|then))?\s*"
    r"(?:[?!.]|$|[-–—,;:]|\b(?:and|or|but|what|how|if|when|who)\b)|"
    r"\bpreviously\b|"
    # ("in the past", not a span up to now: "in the past year", "in the past 24 hours")
    r"\bin\s+the\s+past\b(?!\s+(?:[\w-]+\s+){0,2}?(?:hours?|days?|weeks?|months?|years?|"
    r"decades?|centur(?:y|ies))\b)|"
    r"\bthe\s+last\s+time\b|\bprior\s+to\s+(?:this|now)\b",
    re.IGNORECASE,
)
#: What answers it: a time before ("in 1998", "the last ...", "previously", "ten years
#: ago", "the only other"), a first ("for the first time", "first-ever"), or a denial
#: ("has never"; see :func:`denies`).
PRECEDENT = re.compile(
    r"\b(?:last|previous(?:ly)?|earlier|once|ago|since|back\s+in|the\s+only\s+other|"
    r"first(?:-|\s+)ever|for\s+the\s+first\s+time|in\s+(?:1[5-9]\d\d|20\d\d))\b",
    re.IGNORECASE,
)


def expected_pattern(retrieval: Retrieval) -> re.Pattern[str] | None:
    """What a sentence that answers the question should contain, if anything."""
    kind = retrieval.query.answer_type
    # (not for a kind that expects its own: who, when, where, how many, and why, whose
    # cause answers "Why have prices risen so much in the past year?")
    if kind not in ("quantity", "when", "where", "who", "why") and _ASKS_FOR_A_PRECEDENT.search(
        retrieval.query.text
    ):
        return PRECEDENT
    if kind == "who" and asks_who_someone_is(retrieval.query.text):
        # "Who is Mirela Vasquez-Lind?" asks what the sources say of her ("head coach
        # Mirela Vasquez-Lind said"), not for some other name: any sentence that names
        # her may answer
        return None
    if kind == "quantity":
        if retrieval.query.measure:  # "the duration of his contract": not any number
            return measure_pattern(retrieval.query.measure)
        asking = retrieval.query.asking
        if _asks_a_person_s_age(asking):
            return _PERSON_AGE
        # (the currency a currency is measured against is not what is asked: "How much has
        # the mark lost against the US dollar?")
        asked = _AGAINST_A_CURRENCY.sub(" ", asking)
        # The kind the question names from its question word on; if none, a unit the
        # phrase before that names ("In percentage terms, how much ...?")
        whole = retrieval.query.text
        phrase = _AGAINST_A_CURRENCY.sub(" ", whole[: len(whole) - len(asking)])
        kinds = [(asks, wants, asked) for asks, wants in _QUANTITY_KINDS]
        kinds += [(names, wants, phrase) for names, wants in _UNITS_A_PHRASE_NAMES]
        for asks, wants, text in kinds:
            if wants == "money" and _HOW_MANY_THINGS.match(asked):
                continue  # "How many hours did crews spend waiting?" counts hours
            if asks.search(text):
                if wants is DURATION and _asks_a_text_s_length(asking):
                    return _DURATION_OR_PAGES
                return measure_pattern(wants) if isinstance(wants, str) else wants
    if kind == "where":
        return where_pattern()
    if kind == "when" and _ASKS_TIME.search(retrieval.query.text):
        return _TIME_OF_DAY
    return _EXPECTED.get(kind)


def holds_new(pattern: re.Pattern[str], text: str, question: str) -> bool:
    """``text`` holds something of the expected kind that the question does not itself
    give ("Who met Nielsen?" is not answered by the name Nielsen)."""
    if pattern is NEGATIVE:
        return denies(text, question)
    if pattern is PRECEDENT:
        return denies(text, question) or any(
            m.group(0).lower() not in question.lower() for m in pattern.finditer(text)
        )
    if pattern is _EXPECTED["who"]:
        asked = words_of(question)
        return any(_other_name(m.group(0), asked) for m in pattern.finditer(text))
    if pattern is _EXPECTED["quantity"]:
        # a count or an amount, not a year, a date or a code ("Jeep J8"; the typo
        # "co0opted"): "How much aid was suspended?" is not answered by "in August 2018"
        text = _without_dates_or_codes(text)
    if pattern is money() and any(a.lower() not in question.lower() for a in coined_amounts(text)):
        return True
    return any(m.group(0).lower() not in question.lower() for m in pattern.finditer(text))


def words_of(text: str) -> set[str]:
    """The words of ``text``, lower-cased ("Valdoria's" gives "valdoria" and "s")."""
    return set(re.findall(r"\w+", text.lower()))


def _other_name(name: str, asked: set[str]) -> bool:
    """Is ``name`` someone (or something) other than the question names? Not when it ends
    in a word of the question: "Kirstjen Nielsen" does not answer "Whom did Nielsen
    meet?", while "the Ashford Bridges Trust" answers "Who owns the Ashford Chain
    Bridge?"."""
    words = [w for w in re.findall(r"\w+", name.lower()) if w != "s"]
    return bool(words) and words[-1] not in asked  # ("Strohm's": strohm, s)


#: A capitalised word inside a sentence (not its first word), with the capitalised words
#: and name particles that follow it: "Marco Ilic", "Kirstjen Nielsen", "Quintanar".
_INNER_NAME = re.compile(rf"(?:{_INSIDE}|(?<=[,;:’'”)]\s)|(?<=\s[\"“‘(])){_NAME}")


def new_name(text: str, question: str, person: bool = True) -> bool:
    """Does ``text`` name someone the question does not (:func:`_other_name`), by a name
    with a word that may be a person's ("Petra Lund", "Ferreira"; not "Honduras",
    "Summit" or "Tuesday")? With ``person`` false, any name of a thing will do ("the
    Kessel Arena")."""
    return any(True for _ in _new_names(text, question, person))


def new_names_count(text: str, question: str, person: bool = True) -> int:
    """How many different names ``text`` gives that :func:`new_name` counts ("Ewan
    Tollis, 34, and Priya Halloran, 29": two)."""
    return len({m.group(0) for m in _new_names(text, question, person)})


def _new_names(text: str, question: str, person: bool) -> Iterator[re.Match[str]]:
    """The names in ``text`` that :func:`new_name` counts, as matches."""
    asked = words_of(question)
    for m in _INNER_NAME.finditer(text):
        name = m.group(0)
        if not _other_name(name, asked) or _CALENDAR.match(name):
            continue
        if person and not any(could_be_surname(w) for w in name.split()):
            continue
        yield m


#: A name given for a thing stands at most this many words from the thing's word: "the
#: club's stadium, Marrow Park", "a fungus called Hemileia vastatrix", "Sara Ivanek, the
#: girl".
MAX_NAME_GAP = 5
_WORD = re.compile(r"[\w'’-]+")
#: A sentence that gives a name as news does: "known for now as CB-417", "a fungus called
#: Hemileia vastatrix", "a drug named ...", or in apposition to the thing ("its
#: experimental migraine drug, lorvenatide,"). Only a few words after the thing's word,
#: and not before a particle ("police called for witnesses", "named in a warrant").
_GIVES_A_NAME = re.compile(r"\b(?:called|named|dubbed|known(?:\s+[\w-]+){0,3}?\s+as)\s+(\S+)")


def new_name_beside(text: str, question: str, thing: frozenset[str], person: bool = True) -> bool:
    """Does ``text`` give a new name (:func:`new_name`) beside a word of ``thing`` (stems),
    within ``MAX_NAME_GAP`` words? A question that asks for the *name* of something ("What
    is the name of the contractor ...?") is not answered by a sentence that mentions the
    contractor and names an office elsewhere in it ("Investigators from the National
    Cyber Defence Office believe the attackers got in through a contractor's account")."""
    tokens = list(_WORD.finditer(text))
    at = [i for i, t in enumerate(tokens) if stem(t.group(0).lower()) in thing]
    if not at:
        return False
    if _gives_a_name(text, tokens, at) or _in_apposition(text, tokens, at, question):
        return True
    for m in _new_names(text, question, person):
        inside = [i for i, t in enumerate(tokens) if m.start() <= t.start() < m.end()]
        if not inside:
            continue
        first, last = inside[0], inside[-1]
        if any(first - MAX_NAME_GAP - 1 <= i <= last + MAX_NAME_GAP + 1 for i in at):
            return True
    return False


def _gives_a_name(text: str, tokens: list[re.Match[str]], at: list[int]) -> bool:
    """Does a word that gives a name ("called", "known as") come at most ``MAX_NAME_GAP``
    words after a word of the thing (at ``at``), before a word that may be a name ("a
    contractor known as Brisk Alarm Care", not "police called for witnesses")?"""
    starts = [t.start() for t in tokens]
    for m in _GIVES_A_NAME.finditer(text):
        if words_of(m.group(1)) <= STOPWORDS:
            continue
        k = bisect.bisect_left(starts, m.start())
        if any(0 < k - i <= MAX_NAME_GAP + 1 for i in at):
            return True
    return False


def _in_apposition(text: str, tokens: list[re.Match[str]], at: list[int], question: str) -> bool:
    """Does a word of the thing come right before a comma and one or two words the question
    does not use, closed by another comma ("its migraine drug, lorvenatide, after")? Not
    in a list ("guards, contractors, electricians, and curators"; "the drug, aspirin, and
    ibuprofen"): the thing after a comma, or "and"/"or" after the closing one."""
    asked = words_of(question)
    for i in at:
        start, end = tokens[i].start(), tokens[i].end()
        if text[max(0, start - 3) : start].rstrip().endswith(","):
            continue
        rest = text[end : end + 60]
        m = _APPOSED.match(rest)
        if m and not words_of(m.group(1)) & asked and not words_of(m.group(1)) & STOPWORDS:
            return True
    return False


_APPOSED = re.compile(r",\s+([\w'’-]+(?:\s+[\w'’-]+)?)\s*,(?!\s*(?:and|or|nor)\b)")


def names_another(text: str, question: str) -> bool:
    """Does ``text`` name anyone or anything (a capitalised name inside it, not a day or a
    month) with a word the question does not use ("the Department of Homeland Security"
    for a question about activists, though both say "security")?"""
    asked = words_of(question) | {"of", "the", "de", "del", "van", "von"}
    return any(
        not _CALENDAR.match(m.group(0)) and not words_of(m.group(0)) <= asked
        for m in _INNER_NAME.finditer(text)
    )


_MONTHS = rf"(?:{_MONTH_NAMES}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
#: A year or a day of a month ("in 2018", "on 19 August", "August 19"): a date, not a count.
_DATE = re.compile(
    rf"\b(?:1[5-9]|20)\d\d\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}"
    rf"|\b{_MONTHS}\s+\d{{1,2}}\b"
)


#: "What time ...?" (not "what time frame / period / scale", "what time of year": when,
#: in any terms), and what gives one: a time on the clock ("at about 6.15" too).
_ASKS_TIME = re.compile(
    r"\bwhat\s+time\b(?!\s+(?:frames?|periods?|scales?|spans?|lines?|limits?|"
    r"of\s+(?:the\s+)?year)\b)|\bat\s+what\s+hour\b",
    re.IGNORECASE,
)
_CLOCK_TIME = re.compile(
    rf"{_CLOCK}|\bat\s+(?:about|around)\s+(?:[01]?\d|2[0-3])\.[0-5]\d\b|\b(?:noon|midday|midnight)\b",
    re.IGNORECASE,
)

#: "On what date ...?", "What year ...?", "At what time ...?": the precision a "when"
#: question asks for, and what gives it: a day of a month ("on 12 October", "October
#: 12", "2019-10-12"), a month and its year for "..., month and year?" ("in March 2019"),
#: a month for "In what month ...?", a year ("in 1987", "the 1980s"), a time on the clock
#: ("at 7:40 p.m.", "at noon"). A weekday answers "when" but gives no date, and "on Tuesday night"
#: no time.
_WHEN_PRECISION = (
    (
        re.compile(r"\b(?:what|which)\s+(?:exact\s+)?date\b|\bdate\s+(?:on\s+which|when)\b",
                   re.IGNORECASE),
        re.compile(
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?!\w)|\b{_MONTHS}\s+\d{{1,2}}\b"
            r"|\b\d{4}-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
        ),
    ),
    (
        re.compile(r"\bmonth\s+and\s+year\b", re.IGNORECASE),
        re.compile(rf"\b{_MONTHS}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+(?:1[5-9]|20)\d\d\b"),
    ),
    (
        re.compile(r"\b(?:what|which)\s+month\b", re.IGNORECASE),
        re.compile(rf"\b{_MONTHS}(?!\w)"),
    ),
    (
        re.compile(r"\b(?:what|which)\s+year\b|\byear\s+(?:in\s+which|when)\b", re.IGNORECASE),
        re.compile(r"\b(?:1[5-9]|20)\d\d(?:'?s)?\b"),
    ),
    (_ASKS_TIME, _CLOCK_TIME),
)  # fmt: skip


#: What answers "What time ...?": a time on the clock or a part of the day ("at about
#: 4:15 a.m.", "before dawn", "on Saturday evening"); not a weekday or a date alone.
_TIME_OF_DAY = re.compile(
    rf"{_CLOCK_TIME.pattern}|\b(?:dawn|dusk|daybreak|morning|afternoon|evening|"
    r"night|overnight|tonight|sunrise|sunset)\b",
    re.IGNORECASE,
)


def when_precision(question: str) -> re.Pattern[str] | None:
    """What gives the date, the year or the time of day a "when" question asks for in
    those words (:data:`_WHEN_PRECISION`), or None."""
    return next((gives for asks, gives in _WHEN_PRECISION if asks.search(question)), None)


_HOW_MUCH = re.compile(r"^\W*how\s+much\s+(\w+)", re.IGNORECASE)


def _asks_how_much(question: str) -> bool:
    """Does ``question`` ask "How much ...?" of an amount, not "How much warmer / later /
    more ...?", which asks for the size of a difference ("1.5 degrees", "40 minutes") in
    any unit? A comparative is a word WordNet reads as another adjective or adverb."""
    found = _HOW_MUCH.match(question)
    if found is None:
        return False
    word = found.group(1).lower()
    net = wordnet()
    return word not in ("more", "less") and not any(
        base != word for pos in "ar" for base in net.base_forms(word, pos)
    )


#: "How much is / did / will ...": how much of no thing named, which is an amount of
#: money, a measurement or a share ("How much is each customer getting?", "How much did
#: the river rise?", "How much did sales fall?"), not a length of time ("more than 15
#: hours"), which "how long" asks for.
_HOW_MUCH_DO = re.compile(
    r"^\W*how\s+much\s+(?:is|are|was|were|did|does|do|will|would|has|have|had|can|could)\b",
    re.IGNORECASE,
)


@functools.cache
def _amount(timed: bool = True) -> re.Pattern[str]:
    """An amount of something: money, a measurement, a percentage or (``timed``) a
    length of time."""
    kinds = (money(), MEASUREMENT, *([DURATION] if timed else []), SHARE)
    return re.compile("|".join(p.pattern for p in kinds), re.IGNORECASE)


def precision_asked(retrieval: Retrieval) -> re.Pattern[str] | None:
    """What gives the answer as precisely as the question asks, among the sentences of
    the kind it asks for: a date, a year or a clock time for a "when" question that asks
    for one (:func:`when_precision`); an amount for "how much" (money, a measurement, a
    length of time or a percentage: "a support fund of 500,000 euros", "3.4 million cubic
    metres"), before a bare number ("voted 31 to 17"). None when the question asks for
    no such precision."""
    query = retrieval.query
    if query.answer_type == "when":
        return when_precision(query.text)
    if query.answer_type == "quantity" and query.measure is None and _asks_how_much(query.asking):
        return _amount(timed=not _HOW_MUCH_DO.match(query.asking))
    return None


#: A code of letters and digits: "J8", "CB-417", "A380".
_CODE = re.compile(r"\b[A-Za-z]+-?\d[\w-]*")


def holds_count(pattern: re.Pattern[str], text: str, question: str) -> bool:
    """:func:`holds_new`, dates and codes aside: "It was seen in August 2018 that the Jeep
    J8 vehicles ..." gives no number of vehicles."""
    return holds_new(pattern, _without_dates_or_codes(text), question)


#: A percentage, with all of its number ("68.4 per cent"), that is no share of some
#: thing it names ("84 per cent of its members" counts members; "a 9 per cent pay rise"
#: counts nothing).
_PER_CENT = re.compile(r"\d[\d.,]*\s*(?:%|per\s*cent\b|percent\b)(?!\s+of\b)", re.IGNORECASE)


def without_shares_or_sums(text: str, counted: str) -> str:
    """``text`` with its sums of money and its percentages of nothing named blanked: "a 9
    per cent pay rise for soldiers" gives no number of soldiers, nor "fines of up to 8,000
    crowns" one of boats.
    Not when what is counted (``counted``, the question's word) is itself such a unit:
    "how many euros", "how many percent"."""
    if not _PER_CENT.search(f"2 {counted}"):
        text = _PER_CENT.sub(" ", text)
    if not money().search(f"2,000 {counted}"):
        text = _whole_sums().sub(" ", text)
    return text


@functools.cache
def _whole_sums() -> re.Pattern[str]:
    """A sum of money with all of its number ("$412m", "1,200 crowns"). Built once."""
    return re.compile(rf"[\d.,]*(?:{money().pattern})[\d.,]*")


def _without_dates_or_codes(text: str) -> str:
    """``text`` with its years, dates and codes blanked: none is a count or an amount."""
    return _CODE.sub(" ", _DATE.sub(" ", text))
