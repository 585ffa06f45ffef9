"""How sources state an amount of money or a duration ("9.5 million euros", "$412m", "a
four-year deal"): what a question that asks for one is answered by, whether or not the
sentence uses the question's word for it (:mod:`bot.core.expected`, and a measure term's
credit in :mod:`bot.core.terms`)."""

from __future__ import annotations

import re

MONEY = re.compile(
    r"[$€£¥]\s?\d|\d[\d,.]*\s*(?:million|billion|thousand|m|bn|k)?\s*(?:dollars?|euros?|"
    r"pounds?|pesos?|quetzales|lempiras|yen|francs?|USD|EUR|GBP)\b",
    re.IGNORECASE,
)
DURATION = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)[\s-]+"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b",
    re.IGNORECASE,
)
#: Each measure a noun may be (:meth:`bot.core.lexicon.Lexicon.measure`) and how an amount
#: of it is written.
MEASURES: dict[str, re.Pattern[str]] = {"money": MONEY, "duration": DURATION}
