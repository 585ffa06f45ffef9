"""Plain-text analysis shared by chunking, retrieval, answers and quotes.

* paragraphs and sentences, as character spans of the article text (never copies that
  could drift from it);
* words, stems (Snowball English, the same family PostgreSQL's ``english`` uses) and a
  stop list for questions;
* whitespace-insensitive comparison, which is how quotes are verified.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import snowballstemmer

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)

# A footnote marker as reference works print them: "[2]", "[2,3]", "[4–6]", "[a]", "[note 3]".
_FOOTNOTE = r"\[(?:\d{1,3}(?:[,–-]\d{1,3})*|[a-z]|note\s?\d{1,3})\]"

# A sentence ends at . ! ? (or …), possibly followed by closing quotes/brackets and
# footnote markers ("1936.[3]"), then whitespace, and the next sentence starts with
# something that can open one.
_SENTENCE_END = re.compile(
    rf"""([.!?…]+)((?:["'”’)\]]|{_FOOTNOTE})*)(\s+)(?=["'“‘(\[]?[A-ZÀ-ÖØ-Þ0-9])"""
)

# Words before a period that do not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "gen",
        "gov",
        "sen",
        "rep",
        "rev",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vol",
        "pp",
        "fig",
        "est",
        "approx",
        "dept",
        "inc",
        "ltd",
        "co",
        "corp",
        "vs",
        "etc",
        "al",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "a.m",
        "p.m",
    ]
)


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of some text, with its paragraph."""

    start: int
    end: int
    paragraph: int  # 1-based, counted in the article text

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def paragraph_spans(text: str) -> list[Span]:
    """Non-empty paragraphs (separated by blank lines), stripped of surrounding space."""
    spans: list[Span] = []
    position = 0
    number = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        raw = text[position:end]
        stripped = raw.strip()
        if stripped:
            number += 1
            start = position + (len(raw) - len(raw.lstrip()))
            spans.append(Span(start, start + len(stripped), number))
        if match:
            position = match.end()
    return spans


def is_abbreviation(word: str) -> bool:
    """True for a word that a period after it does not end the sentence of: a title or
    month such as "Dr" or "Feb", or initials such as "J" or "U.S" (the final period aside)."""
    word = word.lower()
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # Initials such as "J." or "U.S." (single letters separated by periods).
    return all(len(part) <= 1 for part in word.split("."))


def _is_abbreviation(text: str, period_at: int) -> bool:
    start = period_at
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    return is_abbreviation(text[start:period_at])


def sentence_spans(text: str, paragraphs: list[Span] | None = None) -> list[Span]:
    """Sentences of ``text``; a sentence never crosses a paragraph break."""
    spans: list[Span] = []
    for para in paragraphs if paragraphs is not None else paragraph_spans(text):
        start = para.start
        # Matched in place (pos/endpos), so offsets are the article's, with no copies.
        for match in _SENTENCE_END.finditer(text, para.start, para.end):
            if match.group(1) == "." and _is_abbreviation(text, match.start(1)):
                continue
            end = match.end(2)
            if end > start:
                spans.append(Span(start, end, para.paragraph))
            start = match.end(3)
        if start < para.end:
            spans.append(Span(start, para.end, para.paragraph))
    return spans


def paragraph_at(paragraphs: list[Span], offset: int) -> int:
    """The paragraph number that contains ``offset`` (or the nearest before it)."""
    number = 1
    for para in paragraphs:
        if para.start > offset:
            break
        number = para.paragraph
    return number


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space and trim; for display and comparisons."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Tegucigalpa' and 'tegucigalpa' compare equal."""
    lowered = text.lower()
    if lowered.isascii():  # nothing to decompose (the common case, and the fast one)
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    marks = {ord(ch): None for ch in set(decomposed) if unicodedata.combining(ch)}
    return decomposed.translate(marks) if marks else decomposed


# A footnote marker as reference works print them, attached to the word or punctuation it
# annotates: "cost[2]", "1936.[3]", "[2][3]", "word[4–6]", "word.[a]", "word[note 3]"; and
# editorial notes anywhere: " [citation needed]". A bracket after a space ("Room [2]",
# "split [5-4]", "[T]he", "[sic]") is the article's own text and stays.
_FOOTNOTE_MARKER = re.compile(
    rf"""(?<=[^\s\[]){_FOOTNOTE}
    |[ \t]*\[(?:citation|clarification|verification|page)\s+needed\]""",
    re.VERBOSE,
)
# A bracketed number left in a sentence, which would read as a citation in an answer.
_BRACKETED_NUMBER = re.compile(r"\[\s*\d[\d\s,;–-]*\]")


def strip_footnote_markers(text: str) -> str:
    """``text`` without footnote markers: "It cost $49m[2] and opened in 1936.[3]" -> "It
    cost $49m and opened in 1936." Only markers attached to what they annotate go (and
    "[citation needed]"-style notes): "Room [2]" and "a [5-4] ruling" are the article's
    words and stay (see :func:`has_bracketed_number`)."""
    return _FOOTNOTE_MARKER.sub("", text) if "[" in text else text


def has_bracketed_number(text: str) -> bool:
    """Does ``text`` hold a bracketed number ("[2]", "[5-4]") that a reader of an answer
    would take for a citation marker?"""
    return "[" in text and _BRACKETED_NUMBER.search(text) is not None


def contains_verbatim(haystack: str, needle: str) -> bool:
    """Is ``needle`` a substring of ``haystack``, whitespace aside? Case and punctuation
    count: this is the test a quotation must pass."""
    needle = squash(needle)
    return bool(needle) and needle in squash(haystack)


def words(text: str) -> list[str]:
    """Word tokens, folded to lower case without accents."""
    return _WORD.findall(fold(text))


def word_count(text: str) -> int:
    return len(text.split())


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
    return str(_stemmer().stemWord(word))


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


STOPWORDS = frozenset(
    word
    for line in resources.files("bot.core")
    .joinpath("stopwords.txt")
    .read_text("utf-8")
    .splitlines()
    if not line.startswith("#")
    for word in line.split()
)


_POSSESSIVE = re.compile(r"['’]s$")


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
