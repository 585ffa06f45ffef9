"""Plain-text analysis, written once for the whole bot.

* paragraphs and sentences as character spans of the text (never copies that could
  drift from it), for article text and for a model's answer alike
  (:func:`sentence_bounds`, with :class:`SentenceRules` for each kind of text);
* quotations (:func:`quotations`), for the guard's check of a model's quotes and for the
  speech that ``/quote`` offers;
* footnote markers, and whitespace-insensitive comparison, which is how quotes are
  verified.

Words, stems and counts are in :mod:`bot.core.words`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")

# A footnote marker as reference works print them: "[2]", "[2,3]", "[4–6]", "[a]", "[note 3]".
_FOOTNOTE = r"\[(?:\d{1,3}(?:[,–-]\d{1,3})*|[a-z]|note\s?\d{1,3})\]"

# Words before a period that do not end a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen gov sen rep rev col lt sgt capt cmdr adm
    jan feb mar apr jun jul aug sep sept oct nov dec no nos vol pp fig est approx dept
    inc ltd co corp vs etc al e.g i.e u.s u.k u.n a.m p.m""".split()
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


def _word_before(text: str, i: int) -> str:
    """The letters and periods just before offset ``i`` ("U.S" before the last period)."""
    start = i
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    return text[start:i]


# --------------------------------------------------------------------------- sentences

#: Chinese and Japanese stops: they end a sentence with no space after them.
_WIDE_STOPS = "。！？"
_OPENS_SENTENCE = r"""["'“‘(\[]?[A-ZÀ-ÖØ-Þ0-9]"""
# Straight after a wide stop (and a closing bracket), anything but a closing mark or a comma.
_AFTER_WIDE_STOP = (
    rf"(?:(?<=[{_WIDE_STOPS}])|(?<=[{_WIDE_STOPS}][」』）]))"
    r"\s*(?=[^\s\"'”’)\]」』）,，、。！？])"
)


@dataclass(frozen=True)
class SentenceRules:
    """Where one kind of text ends its sentences.

    A candidate end is a run of stops (. ! ? …), what belongs to the sentence after them
    (closing quotes and brackets, footnote or citation markers), and the gap before the
    next sentence; :func:`sentence_bounds` then decides which candidates end a sentence.
    The two kinds of text differ where their writers do. Article prose (:data:`PROSE`)
    is edited text: a sentence ends only where the next visibly starts (a capital, a
    digit, an opening quote or bracket), so "e.g. the" and an unlisted abbreviation do
    not cut a sentence that a quote must give whole. A model's answer (:func:`answer_rules`)
    is checked sentence by sentence, so it is cut eagerly: after a stop and a space
    whatever follows, and straight on at a stop glued to a capital ("signed [1].Officials"),
    so an uncited claim can never hide inside the cited sentence before it.
    """

    ends: re.Pattern[str]  # groups: stop, closers, markers, gap
    #: After "…" or "..", only a capital starts a new sentence ("It stalled… then resumed").
    ellipsis_needs_capital: bool = False


#: Article text: see :class:`SentenceRules`. Chinese and Japanese stops end a sentence
#: whatever follows them.
PROSE = SentenceRules(
    re.compile(
        rf"""(?P<stop>[.!?…]+|[{_WIDE_STOPS}]+)
        (?P<closers>(?:["'”’)\]」』）]|{_FOOTNOTE})*)
        (?P<markers>(?!))?
        (?P<gap>\s+(?={_OPENS_SENTENCE})|{_AFTER_WIDE_STOP})""",
        re.VERBOSE,
    )
)


def answer_rules(markers: str) -> SentenceRules:
    """The rules for a model's answer (see :class:`SentenceRules`) whose citation markers
    match ``markers``: markers after a stop belong to the sentence before them, and end
    it even after an abbreviation ("by the U.S. [1] the deal..."), and so does a stop
    after them: in ``"...the door." [1].`` the citation and the last stop are the quoted
    sentence's, not a sentence of their own."""
    return SentenceRules(
        re.compile(
            rf"""(?P<stop>[.!?]+|…)
            (?P<closers>[”’"'»“)\]]*)
            (?P<markers>\s*{markers}(?:\s*{markers})*(?:[.!?]+|…)?)?
            (?P<gap>\s+|$|(?=[A-ZÀ-ÖØ-Þ“«„]))""",
            re.VERBOSE,
        ),
        ellipsis_needs_capital=True,
    )


# What may stand just before a stop glued to a capital ("signed [1].Officials").
_BEFORE_GLUED_STOP = ")]”’\"'»"


def _ends_sentence(
    text: str, match: re.Match[str], rules: SentenceRules, keep_whole: Sequence[tuple[int, int]]
) -> bool:
    cut = match.end("markers") if match.group("markers") else match.end("closers")
    if any(start < cut < end for start, end in keep_whole):
        return False
    if match.group("markers"):
        return True
    stop, gap = match.group("stop"), match.group("gap")
    if stop[0] in _WIDE_STOPS:
        return True
    if rules.ellipsis_needs_capital and ("…" in stop or ".." in stop):
        return text[match.end() : match.end() + 1].isupper()
    if stop == "." and is_abbreviation(_word_before(text, match.start("stop"))):
        return False
    if not gap:  # glued to a capital: "signed [1].Officials", not "ASP.NET"
        before = text[match.start("stop") - 1] if match.start("stop") > 0 else ""
        return before.islower() or before.isdigit() or before in _BEFORE_GLUED_STOP
    return True


def sentence_bounds(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    rules: SentenceRules = PROSE,
    keep_whole: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` as ``(start, end)`` offsets of ``text``, each
    stripped of surrounding space. No sentence ends inside a span of ``keep_whole`` (a
    quotation, a marker), and a period after an abbreviation or initials ends none
    (:func:`is_abbreviation`)."""
    stop_at = len(text) if end is None else end
    cuts: list[tuple[int, int]] = []
    begin = start
    # Matched in place (pos/endpos), so offsets are the text's own, with no copies.
    for match in rules.ends.finditer(text, start, stop_at):
        if _ends_sentence(text, match, rules, keep_whole):
            cut = match.end("markers") if match.group("markers") else match.end("closers")
            cuts.append((begin, cut))
            begin = match.end()
    cuts.append((begin, stop_at))
    bounds: list[tuple[int, int]] = []
    for a, b in cuts:
        raw = text[a:b]
        if raw.strip():
            a += len(raw) - len(raw.lstrip())
            bounds.append((a, a + len(raw.strip())))
    return bounds


def sentence_spans(text: str, paragraphs: list[Span] | None = None) -> list[Span]:
    """Sentences of article text (:data:`PROSE`); a sentence never crosses a paragraph
    break."""
    return [
        Span(a, b, para.paragraph)
        for para in (paragraphs if paragraphs is not None else paragraph_spans(text))
        for a, b in sentence_bounds(text, para.start, para.end)
    ]


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


def shortened(text: str, limit: int = 60) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when cut; for messages."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first_line(value: object) -> str:
    """The first line of an error (or any value) as text, for a one-line reason; the
    type's name when it says nothing."""
    lines = str(value if value is not None else "").strip().splitlines()
    return lines[0].strip() if lines else type(value).__name__


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


# --------------------------------------------------------------------------- quotations


@dataclass(frozen=True, slots=True)
class Quotation:
    """A quotation found in some text: ``start`` is the opening mark's offset, ``end``
    the offset just after the closing mark."""

    start: int
    end: int

    def inner(self, text: str) -> str:
        """What is quoted, between the marks."""
        return text[self.start + 1 : self.end - 1]


@dataclass(frozen=True, slots=True)
class _Marks:
    closers: str  # what closes a quotation this mark opens
    nests: bool  # the same opener inside counts as a nested quotation ("“a “b” c”")
    #: The mark doubles as an apostrophe or an inch sign, so it opens a quotation only at
    #: the start of a word and closes one only at the end of a word.
    word_edge: bool


QUOTE_MARKS = {
    "“": _Marks("”", nests=True, word_edge=False),
    "«": _Marks("»", nests=True, word_edge=False),
    "„": _Marks("“”", nests=True, word_edge=False),
    '"': _Marks('"', nests=False, word_edge=True),
    "‘": _Marks("’", nests=False, word_edge=True),
    "‚": _Marks("‘’", nests=False, word_edge=True),
    "'": _Marks("'", nests=False, word_edge=True),
}
#: The marks of quoted speech in article text: double quotes, curly or straight.
SPEECH_MARKS = '“"'
# What may stand just before a mark that opens at a word's start.
_BEFORE_OPENER = '([{—–-/“"«„*_:<>'
# Elisions that start with an apostrophe: '90s, 'em, rock 'n' roll, 'tis, 'til, 'cause.
_ELISION = re.compile(r"['‘’](?:\d0s|em|n|tis|til|cause)\b", re.IGNORECASE)


def _opens(text: str, i: int, start: int, stop: int, openers: str) -> _Marks | None:
    marks = QUOTE_MARKS.get(text[i]) if text[i] in openers else None
    if marks is None or i + 1 >= stop:
        return None
    if marks.word_edge:
        if text[i + 1].isspace():
            return None
        if i > start and not (text[i - 1].isspace() or text[i - 1] in _BEFORE_OPENER):
            return None  # inside a word: "don't", "rock'n'roll", a 27" screen
        if _ELISION.match(text, i):
            return None
    return marks


def _closes_word(text: str, j: int, stop: int) -> bool:
    """Whether the mark at ``j`` stands at the end of a word (not "don’t", not " ' ")."""
    return not text[j - 1].isspace() and not (j + 1 < stop and text[j + 1].isalnum())


class _Closings:
    """Where the quotation opened at each offset of ``text[start:stop]`` closes, found from
    an index of each mark's closers built once per call of :func:`quotations`, not by a
    scan from every opener: a line of curly quotes that never close (German „…“ read as
    English, “ from a model that repeats itself) made every opener scan to the line's end,
    and a long paragraph took seconds per quote request. What closes is as before:

    * a mark that nests (“ « „) closes at the first closer after at least one character
      where the marks opened and closed since it balance (“a “b” c” is one quotation);
    * a mark that doubles as an apostrophe or an inch sign closes at the first of its
      closers after at least one character that ends a word; a straight mark that can
      only open, met first, means it never closed.
    """

    def __init__(self, text: str, start: int, stop: int) -> None:
        self.text, self.start, self.stop = text, start, stop
        self._by_mark: dict[str, tuple[list[int], list[int]]] = {}

    def of(self, i: int, marks: _Marks) -> int | None:
        """Offset of the mark that closes the quotation opened at ``i``, if any."""
        mark = self.text[i]
        if mark not in self._by_mark:
            self._by_mark[mark] = (
                self._nested(mark, marks) if marks.nests else self._edges(mark, marks)
            )
        offsets, closes = self._by_mark[mark]
        if marks.nests:
            # offsets: the opening and closing marks in order; closes[k]: where the walk
            # of depths (+1 an opener, -1 a closer) first falls below its value after k.
            k = bisect_left(offsets, i)
            if k + 1 < len(offsets) and offsets[k + 1] == i + 1:
                k += 1  # a quotation has at least one character: the walk starts after it
            found = closes[k]
            return offsets[found] if found >= 0 else None
        # offsets: the closers that decide (end a word, or open where the mark can only
        # open); closes: 1 where the closer ends a word.
        k = bisect_left(offsets, i + 2)
        return offsets[k] if k < len(offsets) and closes[k] else None

    def _nested(self, mark: str, marks: _Marks) -> tuple[list[int], list[int]]:
        text = self.text
        offsets: list[int] = []
        depths: list[int] = []
        depth = 0
        wanted = mark + marks.closers
        for j in range(self.start, self.stop):
            if text[j] in wanted:
                depth += 1 if text[j] == mark else -1
                offsets.append(j)
                depths.append(depth)
        below = [-1] * len(offsets)
        pending: list[int] = []  # indexes whose first lower depth is not found yet
        for k, value in enumerate(depths):
            while pending and value < depths[pending[-1]]:
                below[pending.pop()] = k
            pending.append(k)
        return offsets, below

    def _edges(self, mark: str, marks: _Marks) -> tuple[list[int], list[int]]:
        text, start, stop = self.text, self.start, self.stop
        offsets: list[int] = []
        ends: list[int] = []
        for j in range(start + 1, stop):
            if text[j] not in marks.closers:
                continue
            if _closes_word(text, j, stop):
                offsets.append(j)
                ends.append(1)
            elif text[j] == mark and _opens(text, j, start, stop, mark) is not None:
                offsets.append(j)
                ends.append(0)
        return offsets, ends


def quotations(
    text: str, start: int = 0, end: int | None = None, marks: str = "".join(QUOTE_MARKS)
) -> list[Quotation]:
    """The outermost quotations of ``text[start:end]`` opened by any of ``marks``, in
    order: “…”, «…», „…“ and „…”, and the straight or single quotes that double as
    apostrophes ("…", '…', ‘…’, ‚…‘), which open only at a word's start and close only at
    a word's end ("don't", "the countries' plans" and a 27" screen quote nothing). “ « „
    nest, so “a “b c” d” is one quotation. A mark with no partner is passed over.
    Known limit: in 'the countries' plans are a gift' the possessive closes the quotation
    early."""
    stop = len(text) if end is None else end
    found: list[Quotation] = []
    closings = _Closings(text, start, stop)
    i = start
    while i < stop:
        opened = _opens(text, i, start, stop, marks)
        close = closings.of(i, opened) if opened is not None else None
        if close is None:
            i += 1
            continue
        found.append(Quotation(i, close + 1))
        i = close + 1
    return found
