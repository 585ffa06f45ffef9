"""How common a word is in general use, from the ``wordfreq`` data package.

A question word that the corpus lacks is evidence that the question is off-topic only if
the word is specific: a name, a number, a rare term ("sourdough", "Bitcoin"). A common
word ("wrong", "main", "legally") is how people phrase things and says little. The Zipf
scale measures this: log10 of a word's frequency per billion words, about 7.7 for "the",
5 to 6 for everyday words, below 3.5 for specialist ones, 0 for words wordfreq has not
seen.

The lists are read straight from wordfreq's data files (its ``small`` lists: the words
with Zipf >= 3 or so, about 30,000 per language), once per process and only on first use,
without importing wordfreq itself, whose import costs a fifth of a second. Its ``large``
English list (Zipf >= 1, about 320,000 words: surnames, specialist terms, and the common
misspellings too) is read only where a rarer word must be told from no word at all
(``/brief`` one-word typos); it costs about a fifth of a second and 30 MB, once.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import threading
import unicodedata
from pathlib import Path
from typing import Literal

import msgpack

#: wordfreq's two sizes of list, by the name its data files start with.
WordList = Literal["small", "large"]

_tables: dict[tuple[str, WordList], dict[str, float]] = {}
_lock = threading.Lock()


class FrequencyDataMissing(RuntimeError):
    """wordfreq's data files are not installed."""


def _data_file(language: str, wordlist: WordList) -> Path:
    spec = importlib.util.find_spec("wordfreq")  # locates the package without importing it
    for location in list(spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(location) / "data" / f"{wordlist}_{language}.msgpack.gz"
        if path.is_file():
            return path
    raise FrequencyDataMissing(
        f"wordfreq's {wordlist} word list for {language!r} was not found; install the "
        "`wordfreq` package."
    )


def _load(language: str, wordlist: WordList) -> dict[str, float]:
    """wordfreq's "cBpack" format: a header, then one list of words per centibel of
    frequency (list i holds the words of frequency 10 ** (-i / 100))."""
    with gzip.open(_data_file(language, wordlist), "rb") as handle:
        data = msgpack.load(handle, raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise FrequencyDataMissing(f"unexpected wordfreq data format: {header!r}")
    table: dict[str, float] = {}
    for index, bucket in enumerate(data[1:]):
        zipf = round(9 - index / 100, 2)
        for word in bucket:
            table.setdefault(word, zipf)
    return table


def table(language: str = "en", wordlist: WordList = "small") -> dict[str, float]:
    """word -> Zipf frequency for ``language``, loaded once per process."""
    key = (language, wordlist)
    found = _tables.get(key)
    if found is None:
        with _lock:
            found = _tables.get(key)
            if found is None:
                found = _tables[key] = _load(language, wordlist)
    return found


def zipf(word: str, language: str = "en", wordlist: WordList = "small") -> float:
    """The Zipf frequency of a lower-case word; 0.0 for a word too rare to be listed (in
    ``wordlist``: the small list by default, the large one where rare words count)."""
    return table(language, wordlist).get(word.replace("’", "'"), 0.0)


#: Languages a question may be recognised in (each list is read only when needed).
OTHER_LANGUAGES = ("es", "fr", "de", "pt", "it")
#: The language of a question written mostly in letters other than Latin ones.
OTHER_SCRIPT = "und"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def language_of(text: str) -> str:
    """``en``, or the language ``text`` (a question) is clearly written in: at least two
    of its words, and two in five, are much more common there than in English, more of
    them than are much more common in English, and the language fits the whole question
    better. Names and a stray foreign word leave a question English: in "Who won the
    Sollen regatta?", "sollen" and "regatta" are German words too, but "who", "won" and
    "the" are English. A question written mostly in another script (its letters mostly
    not Latin) is :data:`OTHER_SCRIPT`, whatever its language."""
    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(1 for ch in letters if ch.isascii() or "LATIN" in unicodedata.name(ch, ""))
    if len(letters) >= 2 and latin * 2 < len(letters):
        return OTHER_SCRIPT  # mostly another script: Chinese, Arabic, Russian, Japanese ...
    found = [w.replace("’", "'") for w in _WORD.findall(text.lower())]
    if sum(1 for w in found if zipf(w) == 0.0) < 2:
        return "en"  # at most one word English does not list (a name): English
    english = sum(zipf(w) for w in found)
    best, best_score = "en", english
    for language in OTHER_LANGUAGES:
        theirs = [zipf(w, language) for w in found]
        clearly = sum(1 for w, z in zip(found, theirs, strict=True) if z - zipf(w) >= 1.5)
        english_clearly = sum(1 for w, z in zip(found, theirs, strict=True) if zipf(w) - z >= 1.5)
        score = sum(theirs)
        if (
            clearly >= 2
            and clearly * 5 >= len(found) * 2
            and clearly > english_clearly
            and score > best_score
        ):
            best, best_score = language, score
    return best
