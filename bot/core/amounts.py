"""How sources state an amount of money, a duration or a measurement ("9.5 million euros",
"$412m", "a four-year deal", "124 metres"): what a question that asks for one is answered
by, whether or not the sentence uses the question's word for it (:mod:`bot.core.expected`,
and a measure term's credit in :mod:`bot.core.terms`)."""

from __future__ import annotations

import re

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
#: A number written in words, up to ninety-nine: "eighteen months", "twenty-five metres".
NUMBER_WORD = (
    rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:{_UNITS}))?|"
    rf"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    rf"{_UNITS})"
)

MONEY = re.compile(
    r"[$€£¥]\s?\d|\d[\d,.]*\s*(?:million|billion|thousand|m|bn|k)?\s*(?:dollars?|euros?|"
    r"pounds?|pesos?|quetzales|lempiras|yen|francs?|USD|EUR|GBP)\b",
    re.IGNORECASE,
)
DURATION = re.compile(
    rf"\b(?:\d+|{NUMBER_WORD}|several|a few)[\s-]+"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b",
    re.IGNORECASE,
)
#: A physical measurement: a number and a unit of length, area, weight or volume ("124
#: metres", "a 12-kilometre corridor", "2,400 tonnes").
MEASUREMENT = re.compile(
    rf"\b(?:[\d,.]*\d|{NUMBER_WORD}|"
    r"a\s+few|several)[\s-]+(?:(?:square|cubic)\s+)?(?:metres?|meters?|m|km|kilomet(?:re|er)s?|"
    r"centimet(?:re|er)s?|cm|millimet(?:re|er)s?|mm|miles?|feet|foot|ft|inch(?:es)?|yards?|"
    r"hectares?|acres?|tonnes?|tons?|kg|kilograms?|grams?|lbs?|litres?|liters?|gallons?|"
    r"storeys?|stories|floors)\b",
    re.IGNORECASE,
)
#: Each measure a noun may be (:meth:`bot.core.lexicon.Lexicon.measure`) and how an amount
#: of it is written.
MEASURES: dict[str, re.Pattern[str]] = {
    "money": MONEY,
    "duration": DURATION,
    "length": MEASUREMENT,  # what a question asks for ("How long is the bridge?"); no noun is one
}
