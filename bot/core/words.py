"""Words: tokens, stems, counts and the stop list, for questions, passages and answers.

Stems are Snowball English, the same family PostgreSQL's ``english`` configuration uses.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import snowballstemmer

from bot.core import frequency

if TYPE_CHECKING:
    from bot.core.wordnet import WordNet

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Tegucigalpa' and 'tegucigalpa' compare equal."""
    lowered = text.lower()
    if lowered.isascii():  # nothing to decompose (the common case, and the fast one)
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    marks = {ord(ch): None for ch in set(decomposed) if unicodedata.combining(ch)}
    return decomposed.translate(marks) if marks else decomposed


def words(text: str) -> list[str]:
    """Word tokens, folded to lower case without accents."""
    return _WORD.findall(fold(text))


def word_count(text: str) -> int:
    return len(text.split())


#: Scripts written without spaces between words, besides the wide (CJK) characters:
#: Thai, Lao, Tibetan, Myanmar and Khmer.
_SPACELESS_BLOCKS = ((0x0E00, 0x0EFF), (0x0F00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF))


def _spaceless(ch: str) -> bool:
    code = ord(ch)
    return unicodedata.east_asian_width(ch) in "WF" or any(
        lo <= code <= hi for lo, hi in _SPACELESS_BLOCKS
    )


#: A character of a script that may be written without spaces: none comes before Thai
#: (U+0E00), so a token without one is one word, known without looking at its letters.
_MAYBE_SPACELESS = re.compile("[\u0e00-\U0010ffff]")
#: A letter, or a numeric character that is no digit (``str.isalpha`` tells which).
_LETTERISH = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _spaceless_letters() -> re.Pattern[str]:
    """The letters :func:`_spaceless` takes, as one character class (built once, on first
    use: a tenth of a second). Past U+3FFFF no character is wide."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x0E00, 0x40000):
        ch = chr(code)
        if ch.isalpha() and _spaceless(ch):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    spans = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{spans}]")


def _token_words(token: str, at_most: int | None) -> int:
    """:func:`script_word_count` of one token, found by regular expressions rather than
    letter by letter (a 10 MB word took seconds); past ``at_most`` the count stops."""
    if _MAYBE_SPACELESS.search(token) is None:
        return 1
    spaceless_letter = _spaceless_letters()
    spaceless = 0
    for spaceless, _ in enumerate(spaceless_letter.finditer(token), start=1):
        if at_most is not None and (spaceless + 1) // 2 > at_most:
            return (spaceless + 1) // 2
    rest = spaceless_letter.sub("", token) if spaceless else token
    other = any(found.group().isalpha() for found in _LETTERISH.finditer(rest))
    return max(1, (spaceless + 1) // 2 + other)


_TOKEN = re.compile(r"\S+")


def script_word_count(text: str, at_most: int | None = None) -> int:
    """About how many words ``text`` has, whatever its script: words between spaces, and
    in scripts written without spaces (Chinese, Japanese, Thai...) one word for every two
    letters, so such a text is not one long "word". With ``at_most``, counting stops once
    the count is past it (the number returned is then some number above it)."""
    words = 0
    for token in _TOKEN.finditer(text):
        words += _token_words(token.group(), at_most)
        if at_most is not None and words > at_most:
            break
    return words


_stemmer_local = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    stemmer = getattr(_stemmer_local, "stemmer", None)
    if stemmer is None:
        stemmer = snowballstemmer.stemmer("english")
        _stemmer_local.stemmer = stemmer
    return stemmer


#: Words Snowball folds into a different word: "critical" is not about critics, and
#: "general" (the rank) is not "generally".
_STEM_EXCEPTIONS = {
    "critical": "critical",
    "critically": "critical",
    "generous": "generous",
    "organ": "organ",
    "organs": "organ",
    "news": "news",
    "universal": "universal",
    "university": "university",
    "universities": "university",
}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball English stem of one folded word ('migrants' -> 'migrant')."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS[word]
    found = str(_stemmer().stemWord(word))
    bases = _STOP_STEMS.get(found)
    if bases and found != word and not any(_inflects(word, b) for b in bases):
        # Snowball cuts "underlying" to "under" and "overly" to "over": a word is not the
        # function word its stem happens to spell, only an inflection of it is
        # ("thinking": think). Such a word stems to itself, singular.
        return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    return _unjoined(word, found)


@lru_cache(maxsize=65536)
def _unjoined(word: str, found: str) -> str:
    """Snowball's stem ``found`` of ``word``, unless it is a word of its own that WordNet
    does not relate to ``word``: Snowball cuts "several" and "severance" to "sever",
    "department" to "depart" and "authority" to "author", which would make a passage
    about "several villagers" speak of severance. Such a word stems to the shortest of
    its lemma and that lemma's WordNet relatives that Snowball also cuts to ``found``
    ("severely", "severity": severe), so its own family still meets. An inflection
    stems as the commonest noun or verb it inflects that Snowball cuts alike ("customers"
    as "customer", "routes" as "route", not "rout"; "authorities" as "authority"), so a
    word's forms never part."""
    if found == word or not found.isalpha():
        return found
    try:
        from bot.core.wordnet import WordNetMissing, wordnet

        net = wordnet()
    except (ImportError, WordNetMissing):  # (no WordNet: Snowball alone)
        return found
    bases = [
        b
        for pos in "nv"
        for b in net.base_forms(word, pos)
        if b != word
        and b.isalpha()
        and _snowball_stem(b) == found
        # (WordNet's "-es" rule, read as English spells it: "pushes" is "push", but
        # "aides" no "aid" and "suites" no "suit")
        and not (word == b + "es" and not b.endswith(("s", "x", "z", "ch", "sh", "o")))
    ]
    if bases:
        return _judged(net, max(bases, key=lambda b: (_zipf(b), b)), found)
    return _judged(net, word, found)


def _zipf(word: str) -> float:
    try:
        return frequency.zipf(word)
    except frequency.FrequencyDataMissing:  # (no word list: every base is as common)
        return 0.0


def _judged(net: WordNet, word: str, found: str) -> str:
    """:func:`_unjoined` for a word that inflects no other noun or verb Snowball cuts
    alike (a lemma, or an inflection of another part of speech)."""
    if found == word:
        return found
    lemmas = {b for pos in "nvar" for b in net.base_forms(word, pos)}
    if not lemmas or found in lemmas or not any(found in net.base_forms(found, p) for p in "nvar"):
        return found  # an inflection of the stem itself, or a stem that is no word
    # the lemmas, and their relatives that Snowball cuts alike, two links deep
    # ("criticism" -> "criticize" -> "critic")
    family = set(lemmas)
    todo = list(lemmas)
    for _ in range(2):
        found_now: list[str] = []
        for lemma in todo:
            for pos in "nvar":
                for sense in net.senses(lemma, pos):
                    found_now.extend(
                        b
                        for a, b in sense.derived
                        if a == lemma
                        and b not in family
                        and (b == found or _snowball_stem(b) == found)
                    )
        family.update(found_now)
        todo = found_now
    if found in family or any(
        a == found and b in family
        for pos in "nvar"
        for sense in net.senses(found, pos)
        for a, b in sense.derived
    ):
        return found  # "severance": sever
    # WordNet links few words to their roots ("systemic" is not linked to "system"), but
    # its definitions say them: "systemic: affecting an entire system", "reasonable:
    # showing reason" (and so "reasonably", "in a reasonable manner"), while "several"
    # ("of an indefinite number more than 2 or 3") says nothing of severing. The root
    # itself or a form of it, not another word Snowball cuts alike: "severely" is "to a
    # severe degree", which does not make it "sever".
    for member in sorted(family):
        for pos in "nvar":
            for gloss in net.glosses(member, pos):
                definition = gloss.split('"', 1)[0]  # not its examples ("several letters")
                if any(
                    w == found
                    or (
                        w.startswith(found[:-1])
                        and any(found in net.base_forms(w, p) for p in "nv")
                    )
                    for w in _WORD.findall(definition.lower())
                ):
                    return found
    return min(family, key=lambda w: (len(w), w))


def _snowball_stem(word: str) -> str:
    return str(_stemmer().stemWord(word.lower()))


_INFLECTIONS = ("s", "es", "ed", "d", "ing", "ings")


def _inflects(word: str, base: str) -> bool:
    """Is ``word`` ``base`` with an inflectional ending ("thinks", "liked", "shows")?"""
    if word == base:
        return True
    roots = {base, base[:-1] if base.endswith("e") else base, base + base[-1:]}
    return any(word == root + ending for root in roots for ending in _INFLECTIONS)


#: word -> stem for the words :func:`stems` has seen; a plain dict is the cheapest lookup
#: for the thousands of words of the passages each question reads.
_STEMS: dict[str, str] = {}
_STEMS_LIMIT = 200_000


def stems(text: str) -> list[str]:
    found = words(text)
    known = _STEMS
    try:
        return [known[w] for w in found]
    except KeyError:
        if len(known) > _STEMS_LIMIT:
            known.clear()
        out = [stem(w) for w in found]
        known.update(zip(found, out, strict=True))
        return out


def _word_list(name: str) -> frozenset[str]:
    """The words of the resource file ``name`` (whitespace-separated; lines starting with
    # are comments)."""
    text = resources.files("bot.core").joinpath(name).read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return frozenset(w for line in lines for w in line.split())


#: Chat's initialisms ("lol", "rn", "smh"): stop words in lower case, acronyms in capitals.
INITIALISMS = _word_list("initialisms.txt")
STOPWORDS = _word_list("stopwords.txt") | INITIALISMS


#: The stems of the stop words, each with the stop words it stems from: see :func:`stem`.
_STOP_STEMS: dict[str, set[str]] = {}
_snowball = snowballstemmer.stemmer("english")
for _word in STOPWORDS:
    _STOP_STEMS.setdefault(str(_snowball.stemWord(_word)), set()).add(_word)

_POSSESSIVE = re.compile(r"['’]s$")


_LETTERS = re.compile(r"[^\W\d_]+")


def capitalised_words(text: str) -> set[str]:
    """The words of ``text`` written with a capital, folded as :func:`words` folds them
    ("Åkerlund": akerlund), so that they compare with a question's words."""
    return {w for m in _LETTERS.findall(text) if m[0].isupper() for w in words(m)}


def content_words(text: str) -> list[str]:
    """The words of a question that say what it is about, in order, without repeats."""
    seen: set[str] = set()
    out: list[str] = []
    for word in words(text):
        word = _POSSESSIVE.sub("", word)  # "guatemala's" asks about Guatemala
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
