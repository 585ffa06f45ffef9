"""How sources state an amount of money, a duration or a measurement ("9.5 million euros",
"$412m", "a four-year deal", "124 metres"): what a question that asks for one is answered
by, whether or not the sentence uses the question's word for it (:mod:`bot.core.expected`,
and a measure term's credit in :mod:`bot.core.terms`)."""

from __future__ import annotations

import functools
import re

from bot.core import frequency
from bot.core.lexicon import Lexicon
from bot.core.phrasing import MONEY_WORDS
from bot.core.wordnet import wordnet
from bot.core.words import STOPWORDS, words

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
#: A number written in words, up to ninety-nine: "eighteen months", "twenty-five metres".
NUMBER_WORD = (
    rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:{_UNITS}))?|"
    rf"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    rf"{_UNITS})"
)

#: A number, then perhaps how many of it ("9.5 million"), as an amount of money is written.
#: (A number starts after no digit, so that a run of digits is not tried at each one.)
_NUMBER = r"(?<![\d,.])\d[\d,.]*"
_AMOUNT = rf"{_NUMBER}\s*(?i:million|billion|thousand|m|bn|k)?\s*"
#: A number as a sum in a currency's code is written: scaled ("CHF 64 million", "USD5m"),
#: in the thousands ("NOK 300,000") or in cents ("EUR 12.50"). Many codes are also the
#: acronyms news writes beside a small number, a version or a year ("SDG 4", "TRL 6",
#: "PHP 8.3", "CLE 300", "2024 SDG report", "22 ESA member states"), which are no sums.
_CODED_SUM = (
    r"(?<![\d,.])(?:\d[\d,.]*\s*(?i:million|billion|thousand|bn|m|k)\b|"
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{5,}(?:\.\d+)?|\d+\.\d\d)(?!\.?\d)"
)
#: A number in words with its scale, as a sum is written: "half a million dollars", "a
#: million dollars", "three million euros", "ten thousand pounds" (a scale is needed: "ten
#: pounds" may be a weight).
_WORDED_AMOUNT = (
    rf"\b(?i:(?:half\s+an?|a\s+quarter\s+of\s+an?|an?|{NUMBER_WORD})(?:\s+and\s+a\s+half)?"
    r"\s+(?:hundred|thousand|million|billion))\s+"
)
_SCALED_AMOUNT = rf"{_NUMBER}\s*(?i:million|billion|thousand)\s*"
#: A number in the thousands or more, written with separators ("400,000") or of five
#: digits or more: "400,000 marks" is money as "400 marks" (a test's) and "2024 marks the
#: anniversary" (a verb) are not.
_LARGE_NUMBER = r"(?<![\d,.])(?:\d{1,3}(?:,\d{3})+|\d{5,})(?:\.\d+)?\s+"
#: A word of a rarer sense is a verb, not money, before what it acts on: "an attendance of
#: 12,500 marks a record", "1.2 million crowns the season"; "310,000 marks a day" is money.
_NOT_A_VERB = (
    r"(?!\s+(?:the|its|their|his|her|this|that|these|those|another|"
    r"an?\s+(?!(?:day|week|month|year|hour|head|person|piece|share|unit|night)s?\b)))"
)
#: A word names money before all else when one of this many of its commonest senses is
#: money: "pound" (a weight, then money) and "yen" do, "crown" (its sixth sense) does not.
COMMON_SENSES = 2
#: Kinds of money in WordNet: each currency and coin is a kind of one of these.
_MONEY_ROOTS = ("monetary unit", "coin")


def _money_words() -> tuple[list[str], list[str]]:
    """The one-word names WordNet gives currencies and coins ("dollar", "krona", "rupee",
    "lempira", "pound"), in two lists: those that name money in one of their
    ``COMMON_SENSES`` commonest senses as a noun, and those that name it only in a rarer
    sense ("crown", "mark")."""
    net = wordnet()
    kinds = net.descendants(_MONEY_ROOTS)
    names = {w.lower() for synset in kinds for w in synset.words if w.isalpha()} - STOP_NAMES
    first: list[str] = []
    rare: list[str] = []
    for name in sorted(names):
        # money in one of its two commonest senses ("pound": a weight, then money)
        money = any(sense in kinds for sense in net.senses(name, "n")[:COMMON_SENSES])
        forms = [name, *net.irregular_forms(name, "n")]
        (first if money else rare).extend(forms)
    return first, rare


def currency_codes() -> list[str]:
    """The ISO 4217 codes of currencies, from the Unicode CLDR data that Babel keeps
    ("CHF", "USD", "NOK"), less those that are also English words WordNet knows, which
    headlines write in capitals ("TOP 10", "ALL 40", "TRY"): a list no one here keeps by
    hand."""
    from babel.numbers import list_currencies

    net = wordnet()
    return sorted(
        code
        for code in list_currencies()
        if code.isalpha() and not any(net.base_forms(code.lower(), p) for p in "nvar")
    )


#: Words WordNet lists as currencies that, after a number, are nearly always something
#: else: "5 at 3 pm" is no Laotian money, "40 sent to the border" no Estonian, "3 copper
#: mines" no coins.
STOP_NAMES = frozenset(
    "at para ban mil sen money change piece unit subunit sent real won copper nickel ore "
    "denier anna guinea colon cola".split()
)


@functools.cache
def money() -> re.Pattern[str]:
    """How an amount of money is written: a currency sign and a number ("$412m", "€9.5m"),
    or a number and a currency WordNet knows ("9.5 million euros", "18 million crowns", "300
    lempiras", "40 USD", "half a million dollars"), in lower case. A word that names money
    only in a rarer sense ("crowns", which are also a tooth's) counts after "million",
    "billion" or "thousand", or after a number in the thousands ("400,000 marks"). Built
    once, on first use, from WordNet, so that no currency depends on a hand list (only the
    words that, after a number, seldom are money: :data:`STOP_NAMES`)."""
    first, rare = _money_words()

    def alternatives(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))

    codes = alternatives(currency_codes())
    # A currency is a common noun, written in lower case: "In 2018 Guinea signed" and
    # "since 2019 Real Madrid" state no sums. Its ISO code is written in capitals, before
    # the sum or after it ("CHF 64 million", "64 million CHF"), a sum as sums are written
    # in a code (_CODED_SUM: "SDG 4" and "2024 SDG" are none).
    return re.compile(
        rf"[$€£¥]\s?\d|\b(?:{codes})\s?{_CODED_SUM}|{_CODED_SUM}\s*(?:{codes})\b|"
        rf"{_AMOUNT}(?:(?:{alternatives(first)})(?:e?s)?|(?i:USD|EUR|GBP))\b|"
        rf"{_WORDED_AMOUNT}(?:{alternatives(first)})(?:e?s)?\b|"
        rf"(?:{_SCALED_AMOUNT}|{_LARGE_NUMBER})(?:{alternatives(rare)})(?:e?s)?\b{_NOT_A_VERB}"
    )


#: A number and a lower-case word after it: how an amount in a currency that no
#: dictionary knows is written ("240 million solars", "900 montas a month", "fined 120
#: solari": not every language makes its plural with an "s").
_COINED = re.compile(
    rf"{_NUMBER}(\s*(?i:million|billion|thousand|m|bn|k)\b)?\s+([a-z]{{3,}})\b{_NOT_A_VERB}"
)


def coined_amounts(text: str) -> list[str]:
    """The amounts ``text`` gives in a currency English does not know, as news of a small or
    a new state may ("240 million solars", "900 montas a month"). The word after the number
    (a plural, or a word English does not use: :func:`_coined`) is one WordNet knows in no
    sense, or as the name of a being or a place only ("Lir", a sea god, is no "lir":
    :func:`_known`); what news counts after a number ("2,000 guards", "40 boats", "12
    tonnes") is one it knows. But what it counts may be new too ("3,400 returnees", "40
    vapes", "41 femicides", "12 gigawatts"), so such a plural is money only as a currency
    WordNet knows in a rarer sense ("crowns") is, after "million", "billion" or
    "thousand", or in a sentence that speaks of money ("they paid gangs an average of 900
    montas a month"; :func:`_speaks_of_money`)."""
    found = [
        m
        for m in _COINED.finditer(text)
        if _coined(m.group(2), text[m.end() :], worth=_worth_of_one(m, text))
        and not _known(m.group(2))
    ]
    if found and not _speaks_of_money(text):
        found = [m for m in found if m.group(1)]
    return [m.group(0) for m in found]


def _known(word: str) -> bool:
    """Does WordNet know ``word``: list it in lower case, or as the name of a kind of thing,
    which news may write in lower case too ("300 *segways*", "12,000 *pcs*", "2,000
    *rottweilers*": things a number counts)? Not when it names only beings or places
    ("Lir", a sea god, is no "lir")."""
    net = wordnet()
    return net.lists_in_lower_case(word) or any(
        s.lexname not in _NAMES_OF_ONE for pos in "nvar" for s in net.senses(word, pos)
    )


#: WordNet's files of the beings and places a capitalised word names.
_NAMES_OF_ONE = frozenset(["noun.person", "noun.location"])


def _coined(word: str, after: str, worth: bool = False) -> bool:
    """May ``word``, after a number and before ``after``, be a currency no dictionary
    knows? A plural ("solars") may; a word without an "s" ("solari", "lire") only when it
    is no word English uses at all ("5 per cent", "3 and 4" and "20 until" name no money)
    and still a word, which has a vowel ("80 *sqm*", "900 *mwh*" abbreviate units), and
    when no noun follows it: a word the common lists lack before a noun is one English
    makes to say what kind of it the number counts ("3 *crowdfunded* projects", "12
    million *unvetted* candidates"), unless the number is the ``worth`` of one thing ("a
    38 million *lir* contract": the "a" is the contract's, as no count of millions takes
    one; :func:`_worth_of_one`). (A plural is what the number counts, whatever follows.)"""
    if word.endswith("s"):
        return True
    if word in STOPWORDS or frequency.zipf(word) > 0.0 or not _VOWEL.search(word):
        return False
    following = _NEXT_WORD.match(after)
    if worth or following is None or following.group(1) in STOPWORDS:
        return True
    net = wordnet()
    # (a word that is also an adverb may end a sum: "120 solari *last* year", "*each*")
    return not (net.senses(following.group(1), "n") and not net.senses(following.group(1), "r"))


def _worth_of_one(found: re.Match[str], text: str) -> bool:
    """Is ``found``, a number in millions, billions or thousands and a word, the worth of
    one thing: after "a" or "an", the article of the noun that comes after it ("under *a*
    38 million lir contract")? A count of millions takes none ("12 million unvetted
    candidates", "the 4 million unbanked adults")."""
    return bool(found.group(1)) and _ARTICLE_BEFORE.search(text, 0, found.start()) is not None


_VOWEL = re.compile(r"[aeiouy]")
#: "a" or "an" at the end of what comes before a number.
_ARTICLE_BEFORE = re.compile(r"\b[Aa]n?\s+\Z")
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")


def coined_money(text: str) -> bool:
    """Does ``text`` give an amount in a currency English does not know
    (:func:`coined_amounts`)?"""
    return bool(coined_amounts(text))


def _speaks_of_money(text: str) -> bool:
    """Does ``text`` hold a word that speaks of money: one a question for money asks with
    (:data:`~bot.core.phrasing.MONEY_WORDS`: "earns", "charge", "worth"), or a word for
    money as :meth:`Lexicon.measure` finds one from WordNet ("profit", "rent"), or a verb
    of one ("fined": fine)?"""
    if _MONEY_WORDS.search(text):
        return True
    net = wordnet()
    lexicon = _lexicon()
    return any(
        lexicon.measure(form) == "money"
        for word in set(words(text))
        if word.isalpha() and word not in STOPWORDS
        for form in {word, *net.base_forms(word, "v")}
    )


_MONEY_WORDS = re.compile(MONEY_WORDS, re.IGNORECASE)


@functools.cache
def _lexicon() -> Lexicon:
    """A lexicon without a story's synonyms: what WordNet alone says a word is."""
    return Lexicon()


def states_amount(measure: str, text: str) -> bool:
    """Does ``text`` state an amount of ``measure`` ("money", "duration", "length")? Of
    money, in a currency WordNet knows or one it does not (:func:`coined_money`)."""
    if measure_pattern(measure).search(text):
        return True
    return measure == "money" and coined_money(text)


#: Words after which "a" or "an" and a unit of time is a length of time ("for up to *a
#: week*", "within *an hour*", "more than *a year*", "took *a month*"). After an amount it
#: is a rate, which says per what, not how long: "400 tonnes *a day*", "2 million euros *a
#: year*", "twice *a week*".
_TAKES_A_LENGTH = (
    "for to within in than about around nearly almost roughly over under least most just "
    "only barely half by after last lasts lasted lasting take takes took taken taking spend "
    "spends spent spending wait waits waited waiting has have had"
).split()
_AFTER_A_WORD_THAT_TAKES_A_LENGTH = "|".join(rf"(?<=\b{w}\s)" for w in _TAKES_A_LENGTH)
_ONE_UNIT = r"an?\s+(?:minute|hour|day|week|fortnight|month|year|decade)"
#: A length of time: a number of units ("six weeks", "a few days") or one, as "a" or "an"
#: says it after a word that takes one (:data:`_TAKES_A_LENGTH`), at the start, or as
#: "a week-long", "a year ago", "a week later" (not "a second", which is nearly always
#: the ordinal: "a second term", "a second round"; nor "a year before tax", a rate).
DURATION = re.compile(
    rf"\b(?:(?:\d+|{NUMBER_WORD}|several|a few)[\s-]+"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)"
    rf"|(?:^|{_AFTER_A_WORD_THAT_TAKES_A_LENGTH}){_ONE_UNIT}"
    r"|(?<!\bonce\s)(?<!\btwice\s)(?<!\btimes\s)"
    rf"{_ONE_UNIT}(?=-long\b|\s+(?:ago|earlier|later)\b))\b",
    re.IGNORECASE,
)
_LENGTH_UNITS = (
    r"metres?|meters?|m|km|kilomet(?:re|er)s?|centimet(?:re|er)s?|cm|millimet(?:re|er)s?|mm|"
    r"miles?|feet|foot|ft|inch(?:es)?|yards?|storeys?|stories|floors"
)
_WEIGHT_UNITS = r"tonnes?|tons?|kg|kilograms?|grams?|lbs?|pounds?|ounces?|oz"


#: A number as digits with separators, read from the start of its run and never backed
#: into: a run of 10,000 "1,1,1,..." is scanned once, not once from each of its commas.
_NUMBER_RUN = r"(?<![\d,.])(?>[\d,.]*\d)"


def _amount_of(units: str) -> re.Pattern[str]:
    """A number and one of ``units`` ("124 metres", "a 12-kilometre corridor")."""
    return re.compile(
        rf"\b(?:{_NUMBER_RUN}|{NUMBER_WORD}|a\s+few|several)[\s-]+(?:{units})\b", re.IGNORECASE
    )


#: A physical measurement: a number and a unit of length, area, weight or volume ("124
#: metres", "a 12-kilometre corridor", "2,400 tonnes").
MEASUREMENT = _amount_of(
    rf"(?:(?:square|cubic)\s+)?(?:{_LENGTH_UNITS})|hectares?|acres?|tonnes?|tons?|kg|kilograms?|"
    r"grams?|lbs?|litres?|liters?|gallons?"
)
#: How tall, deep, wide or thick a thing is: a length ("a 28-metre vessel"), not its
#: weight ("weighed 16.5 kilograms") nor its area.
LENGTH = _amount_of(_LENGTH_UNITS)
#: How heavy a thing is: a weight ("weighed 16.5 kilograms"). "pounds" is money too; here
#: the question has said that it asks for a weight.
WEIGHT = _amount_of(_WEIGHT_UNITS)
#: A temperature: "9 degrees Celsius", "-4°C", "minus 12 degrees".
TEMPERATURE = re.compile(r"(?:\bminus\s+|-)?\b\d+(?:[.,]\d+)?\s*(?:°|degrees?\b)", re.IGNORECASE)
#: A speed: "120 km/h", "40 mph", "12 knots", "90 kilometres an hour".
SPEED = re.compile(
    rf"\b(?:{_NUMBER_RUN}|{NUMBER_WORD})[\s-]*(?:km/h|kph|mph|knots?\b|(?:kilomet(?:re|er)s?|miles?|"
    r"metres?|meters?)\s+(?:an|per|a)\s+(?:hour|second))",
    re.IGNORECASE,
)
#: A share as "one in five", "three in 10".
ONE_IN = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|\d+)\s+in\s+(?:two|three|four|five|"
    r"ten|\d+)"
)
#: A share: a percentage ("78 per cent", "21%"), or a fraction in words ("half",
#: "two-thirds", "a quarter", "one in five").
SHARE = re.compile(
    r"\d\s*(?:%|per\s*cent|percent)|\b(?:half|(?:a|one|two|three|four)[\s-]"
    rf"(?:thirds?|quarters?|fifths?|tenths?)|{ONE_IN})\b",
    re.IGNORECASE,
)
#: Each measure a noun may be (:meth:`bot.core.lexicon.Lexicon.measure`) and how an amount
#: of it is written.
_MEASURES: dict[str, re.Pattern[str]] = {
    "duration": DURATION,
    "share": SHARE,  # "percentage", "percent": "rose by 12%" says by what percentage
    "length": MEASUREMENT,  # what a question asks for ("How long is the bridge?"); no noun is one
}


def measure_pattern(measure: str) -> re.Pattern[str]:
    """How an amount of ``measure`` ("money", "duration", "length", "share") is
    written."""
    return money() if measure == "money" else _MEASURES[measure]


#: A number that may be a year ("2021", "1998"): a name of a time, which counts nothing.
YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
