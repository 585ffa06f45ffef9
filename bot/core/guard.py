"""The citation guard: checks a complete LLM answer before anyone reads it.

What holds for every answer that leaves the guard:

* **Every claim is cited.** The answer is judged unit by unit (a sentence; see *Units*),
  and a unit without a valid citation goes, however short: what is said must be sourced.
  Only framing stays uncited: a lead-in ending in a colon that introduces a list, while
  something in it survives; and a heading, or a short lead-in before a plain line, alone
  on its line with something after it, whose every content word is a word of the
  sources (so "What critics say" stays, "Nielsen took bribes" goes, and so, at little
  cost, does "Background"). A reply cut at the token limit (``cut``) is read up to its
  last finished sentence: half a claim is not what its citation says.
* **Every claim can come from what it cites.** A cited unit that writes a number in
  digits none of its sources writes, or that shares no content word with them, is
  unsourced however it is marked, and goes ("the memorandum will cost $5 billion [1]"
  beside a source that gives no such sum; "My instructions say ... [1]"). A citation
  with no words beside it ("[1][2]", "- [1]", "**[1]**") states nothing, so it vouches
  for nothing and goes too: a reply of citations alone is no answer. This is judged
  clause by clause (see *Clauses*), so a claim cannot ride on a citation that another
  part of its sentence earned.
* **Every citation points at a source the model was shown.** A marker that does not
  (``[9]``, a range reaching past the sources) is removed and reported, and so is a
  look-alike the prompt never asks for (``[Source 2]``, ``[^2]``), even with a valid
  number: it counts as citing something invalid. Markers left are renumbered 1..k in
  order of first use, one number per bracket.
* **Every quotation is verbatim** (whitespace, quote style and markers aside, whole words
  only) in a source its own clause cites: "called it “a gift to smugglers” [2]" must be
  in source 2, even when the sentence cites source 1 too and source 1 holds it (it is
  not re-pointed to the source that holds it: the reader follows the marker written
  beside it). A near miss whose words are nearly all in those
  sources is a paraphrase and loses its marks, and so does a quotation of one or two
  words that is not in them (a scare quote: "called it "a catastrophe""); anything else
  is invented, and its unit goes. Doubled marks (``""it was""``, as CSV and JSON
  escaping leave them) are read as one. A quotation is never cut into units, so it is
  judged, and dropped, whole; no quotation mark is left beside text that was not checked.
* **No valid citation left: no model answer.** The caller falls back to the extractive
  answer.

*Units.* Paragraphs are split into lines (a list marker is kept aside, a hard-wrapped
sentence is joined again) and lines into sentences by :func:`bot.core.text.sentence_bounds`
with the rules for model output, which cut eagerly (see
:class:`bot.core.text.SentenceRules`): an uncited claim must never ride along with the
cited sentence before it. Quotations are found by :func:`bot.core.text.quotations`.

*Clauses.* The prompt asks for a citation at the end of every sentence; a model may put
one mid-sentence ("Exports rose [1], while imports fell"). A marker run with more said
after it in the unit ends a clause, and cites that clause alone; the rest of the unit
is cited by its own final markers, or, with none, by the run just before it (read
generously: "According to the memorandum [1], the countries will share data" is what
source 1 says). Each clause's quotations, numbers and names are checked against its own
sources only, and so are the words of the unit's last clause (see
:func:`_clauses_supported`); a clause that fails takes its unit with it. A marker inside
a quotation ends no clause.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.lexicon import digits_of
from bot.core.models import GuardReport
from bot.core.terms import read_us_as_usa
from bot.core.text import (
    Quotation,
    answer_rules,
    paragraph_spans,
    quotations,
    sentence_bounds,
    squash,
)
from bot.core.words import content_words, stem, stems, word_count

MIN_QUOTE_WORDS = 3
PARAPHRASE_OVERLAP = 0.8
MAX_HEADING_WORDS = 8

# --- Citation markers ------------------------------------------------------------------

# One item of a marker: a number, or a range "4-9" (hyphen, en dash or em dash).
_ITEM = r"\d+(?:\s*[-–—]\s*\d+)?"
# A marker the prompt asks for: [1], [1, 2], [1; 3], [1-3], [1, 4–5].
_NUMBERED = rf"\[\s*{_ITEM}(?:\s*[,;]\s*{_ITEM})*\s*\]"
# A look-alike: a footnote caret, a hash or a word such as "Source", then numbers.
_LOOKALIKE = (
    r"\[\s*(?:\^|\#|(?i:source|src|ref|reference|citation|cite|doc|document|passage)s?\.?)"
    rf"\s*[:\#]?\s*{_ITEM}(?:\s*[,;]\s*{_ITEM})*\s*\]"
)
_MARKER = re.compile(rf"(?P<numbered>{_NUMBERED})|(?P<lookalike>{_LOOKALIKE})")
# Markers side by side, "[1][2]" or "[1] [Source 2]": rewritten together.
_ANY = rf"(?:{_NUMBERED}|{_LOOKALIKE})"
_MARKER_RUN = re.compile(rf"{_ANY}(?:\s*{_ANY})*")
_RANGE = re.compile(r"(\d+)\s*[-–—]\s*(\d+)")
#: Far more digits than a source's number can have (a prompt holds a few dozen sources),
#: and than a report needs to show. A model that degenerates into a run of digits
#: ("[111…1]") cites nothing, and int() would raise on a run of more than 4,300 digits
#: (Python's limit on int-from-string), so a longer run is never read as a number.
MAX_MARKER_DIGITS = 32


def _source_number(digits: str) -> int | None:
    """The number a marker's ``digits`` name ("007" is 7), or None if no source can
    have it."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= MAX_MARKER_DIGITS else None


def _shown_number(digits: str) -> str:
    """A marker's number as the guard reports it ("007" as 7), a runaway run of digits
    shortened."""
    significant = digits.lstrip("0") or "0"
    if len(significant) <= MAX_MARKER_DIGITS:
        return significant
    return significant[:MAX_MARKER_DIGITS] + "…"


def read_markers(text: str, sources: Mapping[int, str]) -> tuple[list[int], list[str]]:
    """The source numbers ``text`` validly cites, in order (repeats kept), and the markers
    that are invalid, as they are reported: ``[9]`` for a number that is no source,
    ``[4-9]`` for a range that is not wholly made of sources (reversed, longer than the
    number of sources, or reaching past them), and look-alikes such as ``[Source 7]`` as
    written (whitespace squashed)."""
    valid: list[int] = []
    invalid: list[str] = []
    for match in _MARKER.finditer(text):
        if match.group("lookalike") is not None:
            invalid.append(squash(match.group(0)))
            continue
        for item in re.split(r"[,;]", match.group(0)[1:-1]):
            item = item.strip()
            span = _RANGE.fullmatch(item)
            if span is None:
                number = _source_number(item)
                if number is not None and number in sources:
                    valid.append(number)
                else:
                    invalid.append(f"[{_shown_number(item)}]")
                continue
            first, last = _source_number(span.group(1)), _source_number(span.group(2))
            # The length check comes first, so a huge range is never expanded.
            if first is not None and last is not None and 0 <= last - first < len(sources):
                numbers = range(first, last + 1)
                if all(n in sources for n in numbers):
                    valid.extend(numbers)
                    continue
            invalid.append(f"[{_shown_number(span.group(1))}-{_shown_number(span.group(2))}]")
    return valid, invalid


# --- Quotations ------------------------------------------------------------------------

# Every quotation mark, and what it compares as (so “a” matches "a" in a source).
_QUOTE_STYLE = str.maketrans("“”„«»‘’‚", '"""""\'\'\'')


def _comparable(text: str) -> str:
    """Quotation text as it is compared with a source: no markers, one quote style."""
    text = re.sub(r"\s+([.,;:!?])", r"\1", _MARKER_RUN.sub("", text))
    return squash(text.translate(_QUOTE_STYLE))


def verbatim(quote: str, source: str) -> bool:
    """Is ``quote`` in ``source``, as whole words? "1 legal-aid groups" is not in "41
    legal-aid groups", nor "security" in "insecurity". A final , . ; or : may be the
    writer's punctuation, put inside the closing mark by convention ("a gift to
    smugglers.”), so it may be left out."""
    source = squash(source.translate(_QUOTE_STYLE))
    quote = _comparable(quote)
    unpunctuated = quote.rstrip(".,;:")
    return _has_words(source, quote) or (bool(unpunctuated) and _has_words(source, unpunctuated))


def _has_words(source: str, quote: str) -> bool:
    """``quote`` occurs in ``source`` not starting or ending inside a word."""
    if not quote:
        return False
    pattern = re.escape(quote)
    if quote[0].isalnum():
        pattern = r"(?<!\w)" + pattern
    if quote[-1].isalnum():
        pattern += r"(?!\w)"
    return re.search(pattern, source) is not None


def _overlap(quote: str, sources: list[str]) -> float:
    words = set(stems(quote))
    if not words:
        return 0.0
    available: set[str] = set()
    for s in sources:
        available |= set(stems(s))
    return len(words & available) / len(words)


# --- Support ---------------------------------------------------------------------------

# A number as written in digits: "38,000" (groups of three, by a comma or a space), "5",
# "2019", "27.5"; "March 12 2024" is two numbers.
_DIGITS = re.compile(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3}(?!\d))+|\d+(?:\.\d+)?")


def _numbers(text: str, words: bool = False) -> set[str]:
    """The numbers ``text`` writes in digits, group separators taken out ("38,000":
    38000), and with ``words`` those it writes as one word ("four": 4): a claim's "4
    countries" may say a source's "four countries"."""
    found = {re.sub(r"[,\u00a0\u202f ]", "", n) for n in _DIGITS.findall(text)}
    if words:
        found |= {d for w in re.findall(r"[a-z]+", text.lower()) if (d := digits_of(w))}
    return found


# A name of two or more capitalised words ("Vladimir Putin", "Dunmore Nurses' Union"), with
# "of", "de", "la" and the like between them ("Department of Homeland Security").
_NAME_LINKS = ("of", "de", "del", "la", "le", "van", "von", "da", "di", "the", "and", "y")
_NAME_RUN = re.compile(
    rf"\b[A-Z][\w'’.-]*(?:\s+(?:(?:{'|'.join(_NAME_LINKS)})\s+)*[A-Z][\w'’.-]*)+"
)


def _names(text: str) -> list[set[str]]:
    """The names of several words ``text`` writes, each as its own words (lower case,
    the linking words left out); the country "US" is read as "USA", as the sources are.
    A name of one word is not checked: "the Pentagon" may well say a source's "US
    Department of Defense", and "American" its "United States"."""
    found = []
    for run in _NAME_RUN.findall(read_us_as_usa(text)):
        name = [_bare_word(w) for w in run.split() if w.lower() not in _NAME_LINKS]
        if len(name) >= 2:  # not "The Pentagon": a sentence's first word is capitalised
            found.append(set(name))
    return found


_WORDS = re.compile(r"[\w'’.-]+")


def _bare_word(word: str) -> str:
    """A word as names are compared: lower case, without the stops, apostrophes and
    hyphens around it, nor a possessive "'s" ("Nielsen," "(Nielsen)" and "Nielsen's" are
    "nielsen")."""
    return re.sub(r"['’]s$", "", word.lower().strip(".'’-"))


def _says_something(text: str) -> bool:
    """Has ``text`` a letter or a digit, anything a reader could take as said?"""
    return any(ch.isalnum() for ch in text)


def _supported(claim: str, cited_texts: list[str], *, by_words: bool = True) -> bool:
    """Could the sources a claim cites say it? Not when it writes a number in digits that
    none of them writes ("will cost $5 billion [1]" beside a source with no 5), or a name
    of several words none of whose words they write ("signed by Vladimir Putin"), nor when
    it shares no content word with them ("My system prompt says ... [1]"; not checked
    without ``by_words``). A check of what a citation can vouch for, not of meaning: a
    paraphrase passes, and so may a claim that twists its source's words. A claim with no
    word or number at all ("[1]" alone, "**[1]**") says nothing a source could support."""
    if not _says_something(claim):
        return False
    numbers = _numbers(claim)
    if numbers - set().union(*(_numbers(t, words=True) for t in cited_texts)):
        return False
    # A name of several words none of whose words its sources write is not theirs ("The
    # memorandum was signed by Vladimir Putin [1]"); one word in common is enough, for a
    # name given in full where the source has a surname, or "El Salvador's" for "Salvador".
    cited_words = {_bare_word(w) for t in cited_texts for w in _WORDS.findall(read_us_as_usa(t))}
    for name in _names(claim):
        if not any(_bare_word(w) in cited_words for w in name):
            return False
    claimed = {stem(w) for w in content_words(claim) if not w.isdigit()}
    if not claimed or not by_words:
        return True
    return bool(claimed & {w for t in cited_texts for w in stems(t)})


def _clauses_supported(unit: str, sources: Mapping[int, str]) -> bool:
    """Can each clause of ``unit`` come from the sources it cites itself (see *Clauses*)?

    The unit as a whole passes :func:`_supported` against all it cites, as before
    clauses were read. Then each clause that says something is held to its own sources:
    its numbers and names always; its words too when it is the unit's last clause (the
    claim its final marker, or the marker before it, vouches for). A clause that ends in
    a marker mid-sentence may be an attribution ("As the report puts it [1], ..."),
    whose words need not be the source's."""
    bare = _MARKER_RUN.sub("", unit)
    if not _supported(bare, [sources[n] for n in dict.fromkeys(read_markers(unit, sources)[0])]):
        return False
    clauses = _clauses(unit, quotations(unit), sources)
    for index, clause in enumerate(clauses):
        claim = _MARKER_RUN.sub("", unit[clause.start : clause.end])
        last = index == len(clauses) - 1
        if _says_something(claim) and not _supported(
            claim, [sources[n] for n in clause.cites], by_words=last
        ):
            return False
    return True


# --- Units -----------------------------------------------------------------------------

# A list marker at the start of a line: "- ", "* ", "+ ", "• ", "1. ", "2) ".
_BULLET = re.compile(r"(?:[-*+•‣–—]|\d{1,3}[.)])\s+")

# Sentences of an answer: markers after a stop belong to the sentence before them.
_UNITS = answer_rules(_ANY)


@dataclass
class _Line:
    bullet: str  # the list marker, kept aside: "- " or ""
    units: list[tuple[str, list[Quotation]]]  # sentences, with their quotations


def _sentences(line: str) -> list[tuple[str, list[Quotation]]]:
    """The sentences of one line, each with the quotations inside it; a quotation or a
    marker is never cut."""
    quotes = quotations(line)
    keep_whole = [(q.start, q.end) for q in quotes]
    keep_whole += [m.span() for m in _MARKER.finditer(line)]
    out: list[tuple[str, list[Quotation]]] = []
    for begin, end in sentence_bounds(line, rules=_UNITS, keep_whole=keep_whole):
        inside = [
            Quotation(q.start - begin, q.end - begin)
            for q in quotes
            if begin <= q.start and q.end <= end
        ]
        out.append((line[begin:end], inside))
    return out


def _is_heading(unit: str) -> bool:
    """A short title-like line ("Background", "What critics say"): it frames what follows
    and says nothing that needs a source. (A line ending in a colon is a lead-in, judged
    by :func:`_is_lead_in`.)"""
    text = unit.strip()
    return (
        word_count(text) <= MAX_HEADING_WORDS
        and not any(c.isdigit() for c in text)
        and not text.endswith((".", "!", "?", "…", ":"))
    )


def _is_lead_in(unit: str, next_line: _Line | None, source_stems: set[str]) -> bool:
    """An uncited unit ending in a colon that introduces the next line of its paragraph:
    of any length when a list follows ("It commits the countries to:" then "- ..."),
    otherwise short, without digits and in the sources' words, like a heading."""
    text = unit.strip()
    if next_line is None or not text.endswith(":"):
        return False
    if next_line.bullet:
        return True
    short = word_count(text) <= MAX_HEADING_WORDS * 2 and not any(c.isdigit() for c in text)
    return short and _in_their_words(text, source_stems)


def _in_their_words(unit: str, source_stems: set[str]) -> bool:
    """Is every content word of ``unit`` a word of the sources? Framing left uncited
    must say nothing they do not."""
    return all(stem(w) in source_stems for w in content_words(unit))


#: Quotation marks doubled, as CSV and JSON escaping leave them: ""it was"" is "it was".
_DOUBLED_MARKS = re.compile(r'""')


def _continues(previous: str, line: str) -> bool:
    """Is ``line`` the hard-wrapped rest of the sentence on ``previous``?"""
    return (
        bool(previous and line)
        and (previous[-1].isalnum() or previous[-1] == ",")
        and line[0].islower()
    )


def _quoted_line_breaks(block: str) -> set[int]:
    """Offsets of the line breaks of ``block`` that fall inside a quotation."""
    return {i for q in quotations(block) for i in range(q.start, q.end) if block[i] == "\n"}


def _split(text: str) -> list[list[_Line]]:
    """Paragraphs of lines of sentences (units). See "Units" in the module doc."""
    paragraphs: list[list[_Line]] = []
    for block in (span.of(text) for span in paragraph_spans(text)):
        quoted = _quoted_line_breaks(block)
        logical: list[tuple[str, str]] = []  # (bullet, line), wrapped lines joined
        offset = 0
        for raw in block.split("\n"):
            inside_quote = offset - 1 in quoted  # the break before this line
            offset += len(raw) + 1
            line = raw.strip()
            if not line:
                continue
            if logical and (inside_quote or _continues(logical[-1][1], line)):
                logical[-1] = (logical[-1][0], f"{logical[-1][1]}\n{line}")
                continue
            bullet = _BULLET.match(line)
            if bullet is not None and bullet.end() < len(line):
                logical.append((bullet.group(0), line[bullet.end() :]))
            else:
                logical.append(("", line))
        lines = [_Line(b, _sentences(body)) for b, body in logical]
        if lines:
            paragraphs.append(lines)
    return paragraphs


# --- The guard -------------------------------------------------------------------------

# The end of a sentence: its stop, closing marks, then its citation markers.
_SENTENCE_END = re.compile(rf"[.!?…][\"'”’)\]]*(?:\s*{_ANY})*(?=\s|$)")


def _whole_sentences(text: str) -> str:
    """``text`` up to the end of its last finished sentence: a reply cut at the token
    limit ends mid-sentence, and half a claim is not a claim its citation supports."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return text[: ends[-1]] if ends else ""


@dataclass
class Guarded:
    """The checked answer: text with markers renumbered, the sources it cites (new marker ->
    old marker), and what the guard changed."""

    text: str
    used: dict[int, int] = field(default_factory=dict)
    report: GuardReport = field(default_factory=GuardReport)

    @property
    def has_citations(self) -> bool:
        return bool(self.used)


@dataclass(frozen=True)
class _Clause:
    """``unit[start:end]``, and the sources that vouch for it (see *Clauses*)."""

    start: int
    end: int
    cites: tuple[int, ...]


def _clauses(unit: str, quotes: list[Quotation], sources: Mapping[int, str]) -> list[_Clause]:
    """The clauses of ``unit``, in order, covering it (see *Clauses* in the module doc)."""
    inside = [(q.start, q.end) for q in quotes]
    found: list[_Clause] = []
    begin = 0
    before: tuple[int, ...] = ()
    for run in _MARKER_RUN.finditer(unit):
        if any(start < run.start() < end for start, end in inside):
            continue
        if not _says_something(_MARKER_RUN.sub("", unit[run.end() :])):
            break  # the unit's own final markers
        before = tuple(dict.fromkeys(read_markers(run.group(0), sources)[0]))
        found.append(_Clause(begin, run.end(), before))
        begin = run.end()
    own = tuple(dict.fromkeys(read_markers(unit[begin:], sources)[0]))
    found.append(_Clause(begin, len(unit), own or before))
    return found


def _cited_by(clauses: list[_Clause], offset: int) -> tuple[int, ...]:
    """The sources of the clause that holds ``offset``."""
    return next((c.cites for c in clauses if c.start <= offset < c.end), ())


def _check_quotes(
    unit: str, quotes: list[Quotation], clauses: list[_Clause], sources: Mapping[int, str]
) -> tuple[str | None, list[str]]:
    """The unit with paraphrases unquoted, or None if a quotation is invented; and the
    quotations that failed. A quotation is checked against the sources its own clause
    cites. A quotation inside one that loses its marks is checked too."""
    failed: list[str] = []
    unquoted: set[int] = set()  # offsets of quotation marks to take out
    todo = list(quotes)
    while todo:
        quote = todo.pop(0)
        cited_texts = [sources[n] for n in _cited_by(clauses, quote.start)]
        inner = quote.inner(unit)
        if any(verbatim(inner, t) for t in cited_texts):
            continue
        failed.append(inner.strip())
        short = word_count(inner) < MIN_QUOTE_WORDS
        if not short and (not cited_texts or _overlap(inner, cited_texts) < PARAPHRASE_OVERLAP):
            return None, failed
        unquoted |= {quote.start, quote.end - 1}
        nested = quotations(inner)
        todo += [Quotation(q.start + quote.start + 1, q.end + quote.start + 1) for q in nested]
    return "".join(ch for i, ch in enumerate(unit) if i not in unquoted), failed


# Double quotation marks of any script; a stray one (outside every recognised pair) is
# removed, so no quotation mark is left standing beside text that was never checked.
_DOUBLE_MARKS = frozenset('"“”„‟«»‹›「」『』〝〞〟＂')
#: What the model is shown for an article's "<" and ">" (see bot.core.packing): where a
#: source it cites writes one so, the model's "‹40%" says the article's "<40%", a sign and
#: not a quotation mark, and without it the answer would say "40%", which no source does.
_ESCAPED_SIGNS = frozenset("‹›")
#: What may stand around a sign and its number in an answer but not in its source: "(‹40%)."
_AROUND_A_SIGN = ".,;:!?)("


def _signs_as_sources_write_them(unit: str, cited: Sequence[str]) -> set[int]:
    """Where ``unit`` holds an escaped sign (:data:`_ESCAPED_SIGNS`) as a cited source
    writes it, with the characters it is written against ("‹40%"). A "‹" that opens words
    or a "›" that closes them ("‹a record low›") is a quotation mark, whatever signs the
    source holds elsewhere. A sign standing alone ("fell to ‹ 40%") is taken with the
    word after it (and with none, is a mark). Each run of characters is looked up once."""
    if not cited or not any(ch in _ESCAPED_SIGNS for ch in unit):
        return set()
    texts = [squash(t) for t in cited]
    runs = list(re.finditer(r"\S+", unit))
    kept: set[int] = set()
    for n, run in enumerate(runs):
        signs = [run.start() + k for k, ch in enumerate(run.group(0)) if ch in _ESCAPED_SIGNS]
        if not signs:
            continue
        written = _MARKER_RUN.sub("", run.group(0)).strip(_AROUND_A_SIGN)
        ways = [written]
        if len(written) == 1:  # "‹ 40%", as "‹ 40%" or "‹40%"; alone at the end, a mark
            after = runs[n + 1].group(0) if n + 1 < len(runs) else ""
            after = _MARKER_RUN.sub("", after).rstrip(_AROUND_A_SIGN)
            ways = [f"{written} {after}", written + after] if after else []
        if any(way and way in t for way in ways for t in texts):
            kept.update(signs)
    return kept


def _without_stray_marks(
    unit: str, quotes: list[Quotation], cited: Sequence[str] = ()
) -> tuple[str, list[Quotation], list[str]]:
    """``unit`` without double quotation marks that belong to no recognised quotation
    (“a plan written by smugglers", «...”, 「...」), its quotations found again, and what
    followed each removed mark, for the report. An escaped "<" or ">" (:data:`_ESCAPED_SIGNS`)
    written as one of the ``cited`` sources writes it stays."""
    inside = {i for q in quotes for i in range(q.start, q.end)}
    signs = _signs_as_sources_write_them(unit, cited)
    stray = [
        i for i, ch in enumerate(unit) if ch in _DOUBLE_MARKS and i not in inside and i not in signs
    ]
    if not stray:
        return unit, quotes, []
    after = squash(_MARKER_RUN.sub("", unit[stray[0] + 1 :])).rstrip(" .,;:")
    reported = [after.strip("".join(_DOUBLE_MARKS) + " ")]
    removed = set(stray)
    cleaned = "".join(ch for i, ch in enumerate(unit) if i not in removed)
    return cleaned, quotations(cleaned), [r for r in reported if r]


def guard_answer(text: str, sources: Mapping[int, str], *, cut: bool = False) -> Guarded:
    """Check ``text`` against ``sources`` (marker -> passage text): markers, quotations and
    uncited claims, unit by unit, with the decisions set out in the module doc. ``cut``:
    the model stopped at its token limit (finish_reason "length"), mid-sentence."""
    if cut:
        text = _whole_sentences(text)
    removed_citations: list[str] = []
    removed_quotes: list[str] = []
    dropped: list[str] = []
    renumber: dict[int, int] = {}

    def rewrite(run: re.Match[str]) -> str:
        numbers = dict.fromkeys(renumber[n] for n in read_markers(run.group(0), sources)[0])
        return "".join(f"[{n}]" for n in numbers)

    source_stems = {w for t in sources.values() for w in stems(t)}
    out_paragraphs: list[str] = []
    paragraphs = _split(_DOUBLED_MARKS.sub('"', text))
    for number, paragraph in enumerate(paragraphs):
        out_lines: list[str] = []
        lead_ins: list[tuple[int, str]] = []  # (line, text) of uncited "...:" units kept
        for index, line in enumerate(paragraph):
            kept: list[str] = []
            next_line = paragraph[index + 1] if index + 1 < len(paragraph) else None
            # A heading stands alone on its line, and something comes after it.
            alone = len(line.units) == 1 and not line.bullet
            followed = next_line is not None or number < len(paragraphs) - 1
            for position, (unit, quotes) in enumerate(line.units):
                last_in_line = position == len(line.units) - 1
                introduces = last_in_line and _is_lead_in(
                    _MARKER_RUN.sub("", unit), next_line, source_stems
                )
                cited, invalid = read_markers(unit, sources)
                removed_citations += invalid
                valid = list(dict.fromkeys(cited))

                cited_texts = [sources[n] for n in valid]
                unit, quotes, stray = _without_stray_marks(unit, quotes, cited_texts)
                removed_quotes += stray
                clauses = _clauses(unit, quotes, sources)
                checked, misquoted = _check_quotes(unit, quotes, clauses, sources)
                removed_quotes += misquoted
                keep = checked is not None
                unit = checked if checked is not None else unit
                bare = _MARKER_RUN.sub("", unit)
                if keep and valid and not _clauses_supported(unit, sources):
                    keep = False  # cited, but its sources cannot say it: a claim unsourced
                if keep and not valid:
                    heading = (
                        alone
                        and followed
                        and _is_heading(bare)
                        and _in_their_words(bare, source_stems)
                    )
                    keep = not invalid and not quotes and (introduces or heading)
                if not keep:
                    dropped.append(squash(bare if _says_something(bare) else unit))
                    continue
                for n in valid:
                    renumber.setdefault(n, len(renumber) + 1)
                unit = _MARKER_RUN.sub(rewrite, unit)
                kept.append(re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r" {2,}", " ", unit)).strip())
                if introduces and not valid:
                    lead_ins.append((len(out_lines), kept[-1]))
            if kept:
                out_lines.append(line.bullet + " ".join(kept))
        # A lead-in after which nothing survived introduces nothing, so it goes too; and
        # then the lead-in before it may be left introducing nothing.
        while lead_ins and lead_ins[-1][0] == len(out_lines) - 1:
            _, lead = lead_ins.pop()
            last = out_lines.pop()
            rest = last[: len(last) - len(lead)].rstrip()
            if rest.strip():
                out_lines.append(rest)
            dropped.append(squash(lead))
        if out_lines:
            out_paragraphs.append("\n".join(out_lines))

    report = GuardReport(
        removed_citations=tuple(removed_citations),
        removed_quotes=tuple(removed_quotes),
        dropped_sentences=tuple(dropped),
        fell_back=not renumber,
    )
    final = "\n\n".join(out_paragraphs)
    return Guarded(final, {new: old for old, new in renumber.items()}, report)
