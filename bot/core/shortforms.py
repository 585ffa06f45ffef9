"""Informal short forms of common words: "ppl", "govts", "shld", "intel", "wat".

People type questions to a chat bot the way they type chat. A short form keeps a word's
letters in order and begins with its first letter; it is either the word's beginning (a
clipping: "intel" for intelligence, "admin" for administration) or ends as the word does,
a final silent "e" aside (a contraction: "shld" for should, "govts" for governments,
"ppl" for people, "dept" for department).

Only a word that looks like nothing else is read this way: lower case as typed (so
"Intel" stays a name), three to six letters, not a stop word, and unknown to WordNet. It
is read as a common word (Zipf at least :data:`MIN_ZIPF`, from wordfreq), never a rare
one that a short string happens to fit. Which common word is meant is decided in two
places:

* :func:`function_word`, before the question is analysed: when the most common word a
  short form fits is a stop word, it is that word ("wat": what, "shld": should, "cld":
  could), since the words a question is phrased with are far more common than any other;
* :func:`expansions`, for content words: retrieval offers them to the corpus as it
  offers typo corrections, and takes the first the corpus uses. They come in order of
  likelihood: clippings first ("intel": intelligence before international), then the
  contractions that keep more of the word's beginning ("dept": department, which keeps
  "dep", before development), the more common word first among equals.
"""

from __future__ import annotations

import itertools
import re
import threading
from functools import lru_cache

from bot.core import frequency
from bot.core.words import STOPWORDS

#: A short form is read only as a word at least this common: ten uses per million words
#: (Zipf scale; "governments" 4.45, "intelligence" 4.7).
MIN_ZIPF = 4.0
MIN_LENGTH = 3
MAX_LENGTH = 6

_by_initial: dict[str, list[str]] = {}
_lock = threading.Lock()


def _common_words(initial: str) -> list[str]:
    """The common English words beginning with ``initial``, most common first."""
    if not _by_initial:
        with _lock:
            if not _by_initial:
                table = frequency.table("en")
                ranked = sorted(
                    (w for w, z in table.items() if z >= MIN_ZIPF and w.isascii() and w.isalpha()),
                    key=lambda w: (-table[w], w),
                )
                grouped: dict[str, list[str]] = {}
                for word in ranked:
                    grouped.setdefault(word[0], []).append(word)
                _by_initial.update(grouped)
    return _by_initial.get(initial, [])


def looks_short(word: str) -> bool:
    """Could ``word`` (as typed) be a short form? The caller checks it is not a known word."""
    return (
        MIN_LENGTH <= len(word) <= MAX_LENGTH
        and word.isascii()
        and word.isalpha()
        and word.islower()
        and word not in STOPWORDS
    )


def shortens(short: str, word: str) -> bool:
    """Is ``short`` a clipping or a contraction of ``word``?"""
    return _clipping(short, word) or _contraction(short, word)


def _clipping(short: str, word: str) -> bool:
    return len(word) >= 2 * len(short) and word.startswith(short)


def clipped(word: str, other: str) -> bool:
    """Is one of two words a clipping of the other ("memo" and "memorandum", "lab" and
    "laboratory")? Only as telling as the pair: the caller knows they mean one thing
    (WordNet puts both in one sense), which "bus" and "business" do not."""
    short, long = sorted((word, other), key=len)
    return len(short) >= MIN_LENGTH and _clipping(short, long)


def _contraction(short: str, word: str) -> bool:
    ending = word[:-1] if word.endswith("e") else word
    return (
        len(short) < len(word)
        and short[0] == word[0]
        and short[-1] == ending[-1]
        and _pattern(short).search(word) is not None
    )


@lru_cache(maxsize=4096)
def _pattern(short: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(ch) for ch in short))


@lru_cache(maxsize=4096)
def _fitting(short: str) -> tuple[str, ...]:
    """The common words ``short`` fits, most common first."""
    if not looks_short(short):
        return ()
    return tuple(w for w in _common_words(short[0]) if shortens(short, w))


def expansions(short: str, limit: int = 12) -> tuple[str, ...]:
    """The content words ``short`` may stand for, likeliest first (see the module's notes);
    none when it does not look like a short form."""
    found = [w for w in _fitting(short) if w not in STOPWORDS]
    # sort() is stable: among equals, the more common word stays first
    found.sort(key=lambda w: (not _clipping(short, w), -_shared_start(short, w)))
    return tuple(found[:limit])


def _shared_start(short: str, word: str) -> int:
    n = 0
    while n < len(short) and short[n] == word[n]:
        n += 1
    return n


def function_word(short: str) -> str | None:
    """The stop word ``short`` stands for, when the most common word it fits is one."""
    found = _fitting(short)
    return found[0] if found and found[0] in STOPWORDS else None


#: What a digit, or a letter alone, stands for where chat spells a word by its sounds ("b4":
#: before, "2day": today, "l8r": later, "gr8": great, "any1": anyone).
_SOUNDS: dict[str, tuple[str, ...]] = {
    "1": ("one",),
    "2": ("to", "too", "two"),
    "4": ("for", "fore", "four"),
    "8": ("ate", "eat"),
    "b": ("b", "be"),
    "c": ("c", "see"),
    "r": ("r", "are"),
    "u": ("u", "you"),
    "y": ("y", "why"),
}
#: A lower-case token of letters and one of those digits, both: "b4", "2day", "l8r".
REBUS = re.compile(r"(?<![\w'’-])(?=[a-z]*[1248])(?=[0-9]*[a-z])[a-z1248]{2,8}(?![\w'’-])")


def rebus(token: str) -> str | None:
    """The common English word (Zipf at least :data:`MIN_ZIPF`) that ``token``, letters
    and the digits 1, 2, 4 or 8, spells by its sounds ("b4": before), the most common if
    several; None if none. A token of two characters reads so only when both stand for
    sounds ("b4", not "g8": the G8, which is no gate, nor "m8")."""
    pieces = re.findall(r"[0-9]|[a-z]+", token)
    if len(token) == 2 and not all(p in _SOUNDS for p in pieces):
        return None
    options = [_SOUNDS.get(p, (p,)) for p in pieces]
    readings = {"".join(parts) for parts in itertools.product(*options)}
    best = max(sorted(readings), key=frequency.zipf)
    return best if best != token and frequency.zipf(best) >= MIN_ZIPF else None
