"""The citation guard: checks a complete LLM answer before anyone reads it.

Rules, applied unit by unit (see *Units* below):

* A marker that points at no provided source is removed and reported in
  ``removed_citations``. Markers are ``[n]``, lists ``[1, 2]`` / ``[1; 2]`` and ranges
  ``[1-3]`` / ``[1–3]`` (hyphen, en or em dash). A range cites every source in it, so it is
  valid only if all of them exist (which also caps it at the number of sources); otherwise
  the whole range is removed and reported as written, ``[4-9]``. Look-alikes the prompt
  never asks for (``[Source 7]``, ``[source: 7]``, ``[ref 7]``, ``[^7]``, ``[#7]``) are not
  citations: they are removed and reported in ``removed_citations`` as written, even when
  the number exists, and count as "cited something invalid" below.
* A quotation (three words or more between quotation marks) must be verbatim, whitespace,
  quote style and citation markers aside, in one of the sources its unit cites. If it is
  not, but nearly all its words are in those sources, it loses its outer quotation marks (a
  paraphrase, not a quote); otherwise the whole unit is dropped (it is invented). A final
  , . ; or : inside the closing mark may be the writer's ("traffickers.”). Pairs recognised:
  “…”, "…", «…», „…“ / „…”, ‘…’, ‚…‘ / ‚…’ and straight '…'. The outermost pair is checked
  first (“ « „ nest, so “a “b c d” e” is one quotation); a quotation inside one that loses
  its marks is then checked on its own, so the marks left are balanced and verified.
* Single quotes double as apostrophes, so ‘ ' ‚ open a quotation only at the start of a
  word (after a space, a bracket or a dash) and ’ ' ‘ close one only at the end of a word
  (not before a letter or digit): "don't", "don’t" and "the countries' plans" are not
  quotations. Common elisions ('90s, 'em, 'n', 'tis) never open one. Known limit: in
  'the countries' plans are a gift' the first possessive closes the quotation early (two
  words, so unchecked). A straight " or ' with no partner is ignored, but an unbalanced
  straight " pairs with the next one, and the text between is then checked as a quotation:
  conservative, since it may drop a sentence the model broke.
* A unit with no valid citation is dropped unless it is framing and cites nothing invalid:
  a lead-in that ends in a colon ("In short:", "It commits the countries to:"; at most
  twice ``MAX_HEADING_WORDS`` words, or any length when list lines follow it) or a
  heading (at most ``MAX_HEADING_WORDS`` words, no digits, no quotation and no
  sentence-final . ! ? or …). Any
  other sentence says something, and what is said must be cited: "In short, it is
  modest." goes.
* If no valid citation is left, the caller falls back to the extractive answer.

Surviving markers are renumbered 1..k in order of first use. Adjacent markers are merged
and deduplicated, keeping the order written, one number per bracket: ``[1, 2]``, ``[1-2]``
and ``[1][2][1]`` all become ``[1][2]``; ``[1][1]`` becomes ``[1]``.

*Units.* Paragraphs (blank lines) are split into lines and lines into sentences; each
sentence is a unit. A line break always ends a unit, except inside a quotation (found on
the whole paragraph first) and where a hard-wrapped sentence continues: the line ends in a
letter, digit or comma and the next starts in lower case. A unit that ends a line with a
colon and introduces the lines after it ("It commits the countries to:") is framing, kept
while something after it in its paragraph is kept. A
list marker at the start of a line ("- ", "* ", "1. ") is kept aside and never judged. A
sentence ends after . ! ? (and closing quotes or brackets, and any markers that follow
them) when whitespace follows, whatever the case of the next letter, or straight away when
a capital follows ("signed [1].Officials"). Not a sentence end: a period after an
abbreviation or initials (:func:`bot.core.text.is_abbreviation`) unless markers follow it,
a decimal point ("5.5"), an ellipsis before a lower-case word, and anything inside a
quotation, so a quotation is always judged, and dropped, whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.core.models import GuardReport
from bot.core.text import is_abbreviation, paragraph_spans, squash, stems, word_count

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
                number = int(item)
                if number in sources:
                    valid.append(number)
                else:
                    invalid.append(f"[{number}]")
                continue
            first, last = int(span.group(1)), int(span.group(2))
            # The length check comes first, so a huge range is never expanded.
            if first <= last and last - first < len(sources):
                numbers = range(first, last + 1)
                if all(n in sources for n in numbers):
                    valid.extend(numbers)
                    continue
            invalid.append(f"[{first}-{last}]")
    return valid, invalid


# --- Quotations ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Pair:
    closers: str  # characters that close a quotation opened by this mark
    nests: bool  # the same opener inside counts as a nested quotation ("“a “b” c”")
    apostrophe: bool  # the marks double as apostrophes: open/close only at word edges


_PAIRS = {
    "“": _Pair("”", nests=True, apostrophe=False),
    '"': _Pair('"', nests=False, apostrophe=False),
    "«": _Pair("»", nests=True, apostrophe=False),
    "„": _Pair("“”", nests=True, apostrophe=False),
    "‘": _Pair("’", nests=False, apostrophe=True),
    "‚": _Pair("‘’", nests=False, apostrophe=True),
    "'": _Pair("'", nests=False, apostrophe=True),
}
# What may stand just before a single quote that opens a quotation.
_BEFORE_OPENER = '([{—–-/“"«„*_:<>'
# Elisions that start with an apostrophe: '90s, 'em, rock 'n' roll, 'tis, 'til, 'cause.
_ELISION = re.compile(r"['‘’](?:\d0s|em|n|tis|til|cause)\b", re.IGNORECASE)
# Every quotation mark, and what it compares as (so “a” matches "a" in a source).
_QUOTE_STYLE = str.maketrans("“”„«»‘’‚", '"""""\'\'\'')


@dataclass(frozen=True, slots=True)
class _Quote:
    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark

    def inner(self, text: str) -> str:
        return text[self.start + 1 : self.end - 1]


def _opens(text: str, i: int) -> _Pair | None:
    pair = _PAIRS.get(text[i])
    if pair is None or i + 1 >= len(text):
        return None
    if pair.apostrophe:
        if text[i + 1].isspace():
            return None
        if i > 0 and not (text[i - 1].isspace() or text[i - 1] in _BEFORE_OPENER):
            return None  # inside a word: "don't", "rock'n'roll"
        if _ELISION.match(text, i):
            return None
    return pair


def _closing(text: str, i: int, pair: _Pair) -> int | None:
    """Offset of the mark that closes the quotation opened at ``i``, if any."""
    depth = 1
    for j in range(i + 2, len(text)):  # a quotation has at least one character
        ch = text[j]
        if pair.nests and ch == text[i]:
            depth += 1
        elif ch in pair.closers:
            if pair.apostrophe and (
                text[j - 1].isspace() or (j + 1 < len(text) and text[j + 1].isalnum())
            ):
                continue  # an apostrophe ("don’t"), not the end of a word
            depth -= 1
            if depth == 0:
                return j
    return None


def _quotations(text: str) -> list[_Quote]:
    """The outermost quotations of ``text``, in order. An opening mark with no partner is
    skipped and the scan goes on after it."""
    found: list[_Quote] = []
    i = 0
    while i < len(text):
        pair = _opens(text, i)
        end = _closing(text, i, pair) if pair is not None else None
        if end is None:
            i += 1
            continue
        found.append(_Quote(i, end + 1))
        i = end + 1
    return found


def _comparable(text: str) -> str:
    """Quotation text as it is compared with a source: no markers, one quote style."""
    text = re.sub(r"\s+([.,;:!?])", r"\1", _MARKER_RUN.sub("", text))
    return squash(text.translate(_QUOTE_STYLE))


def _verbatim(quote: str, source: str) -> bool:
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


# --- Units -----------------------------------------------------------------------------

# A list marker at the start of a line: "- ", "* ", "+ ", "• ", "1. ", "2) ".
_BULLET = re.compile(r"(?:[-*+•‣–—]|\d{1,3}[.)])\s+")

# A candidate sentence end; _is_end decides which ones count.
_SENTENCE_END = re.compile(
    r"(?P<stop>[.!?]+|…)"  # the final punctuation: . ! ? or a run such as ?! or ...
    r"(?P<closers>[”’\"'»“)\]]*)"  # closing quotes or brackets that belong to the sentence
    rf"(?P<markers>\s*{_ANY}(?:\s*{_ANY})*)?"  # markers after the stop belong to it too
    r"(?P<gap>\s+|$|(?=[A-ZÀ-ÖØ-Þ“«„]))",  # whitespace, the end, or straight on to a capital
)
# What may stand just before a stop that has no space after it ("signed [1].Officials").
_BEFORE_GLUED_STOP = ")]”’\"'»"


@dataclass
class _Line:
    bullet: str  # the list marker, kept aside: "- " or ""
    units: list[tuple[str, list[_Quote]]]  # sentences, with their quotations


def _word_before(text: str, i: int) -> str:
    start = i
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    return text[start:i]


def _is_end(line: str, match: re.Match[str], inseparable: list[tuple[int, int]]) -> bool:
    """Does this candidate end a sentence? See "Units" in the module doc."""
    cut = match.end("markers") if match.group("markers") else match.end("closers")
    if any(start < cut < end for start, end in inseparable):
        return False  # never inside a quotation or a marker ("[ref. 2]")
    if match.group("markers"):
        return True  # markers after the stop end the sentence, even after "U.S."
    stop, gap = match.group("stop"), match.group("gap")
    after = line[match.end() : match.end() + 1]
    if "…" in stop or ".." in stop:
        return after.isupper()  # "It stalled… then resumed" goes on
    if stop == "." and is_abbreviation(_word_before(line, match.start("stop"))):
        return False
    if not gap:  # glued to a capital: "signed [1].Officials", not "ASP.NET"
        before = line[match.start("stop") - 1] if match.start("stop") > 0 else ""
        return before.islower() or before.isdigit() or before in _BEFORE_GLUED_STOP
    return True


def _sentences(line: str) -> list[tuple[str, list[_Quote]]]:
    quotes = _quotations(line)
    inseparable = [(q.start, q.end) for q in quotes]
    inseparable += [m.span() for m in _MARKER.finditer(line)]
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        if not _is_end(line, match, inseparable):
            continue
        cut = match.end("markers") if match.group("markers") else match.end("closers")
        bounds.append((start, cut))
        start = match.end()
    bounds.append((start, len(line)))
    out: list[tuple[str, list[_Quote]]] = []
    for begin, end in bounds:
        raw = line[begin:end]
        begin += len(raw) - len(raw.lstrip())
        text = raw.strip()
        if text:
            inside = [
                _Quote(q.start - begin, q.end - begin)
                for q in quotes
                if begin <= q.start and q.end <= begin + len(text)
            ]
            out.append((text, inside))
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


def _is_lead_in(unit: str, next_line: _Line | None) -> bool:
    """An uncited unit ending in a colon that introduces the next line of its paragraph:
    of any length when a list follows ("It commits the countries to:" then "- ..."),
    otherwise short and without digits, like a heading."""
    text = unit.strip()
    if next_line is None or not text.endswith(":"):
        return False
    if next_line.bullet:
        return True
    return word_count(text) <= MAX_HEADING_WORDS * 2 and not any(c.isdigit() for c in text)


def _continues(previous: str, line: str) -> bool:
    """Is ``line`` the hard-wrapped rest of the sentence on ``previous``?"""
    return (
        bool(previous and line)
        and (previous[-1].isalnum() or previous[-1] == ",")
        and line[0].islower()
    )


def _quoted_line_breaks(block: str) -> set[int]:
    """Offsets of the line breaks of ``block`` that fall inside a quotation."""
    return {i for q in _quotations(block) for i in range(q.start, q.end) if block[i] == "\n"}


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


def _check_quotes(
    unit: str, quotes: list[_Quote], cited_texts: list[str]
) -> tuple[str | None, list[str]]:
    """The unit with paraphrases unquoted, or None if a quotation is invented; and the
    quotations that failed. A quotation inside one that loses its marks is checked too."""
    failed: list[str] = []
    unquoted: set[int] = set()  # offsets of quotation marks to take out
    todo = list(quotes)
    while todo:
        quote = todo.pop(0)
        inner = quote.inner(unit)
        if word_count(inner) < MIN_QUOTE_WORDS or any(_verbatim(inner, t) for t in cited_texts):
            continue
        failed.append(inner.strip())
        if not cited_texts or _overlap(inner, cited_texts) < PARAPHRASE_OVERLAP:
            return None, failed
        unquoted |= {quote.start, quote.end - 1}
        nested = _quotations(inner)
        todo += [_Quote(q.start + quote.start + 1, q.end + quote.start + 1) for q in nested]
    return "".join(ch for i, ch in enumerate(unit) if i not in unquoted), failed


# Double quotation marks of any script; a stray one (outside every recognised pair) is
# removed, so no quotation mark is left standing beside text that was never checked.
_DOUBLE_MARKS = frozenset('"“”„‟«»‹›「」＂')


def _without_stray_marks(unit: str, quotes: list[_Quote]) -> tuple[str, list[_Quote], list[str]]:
    """``unit`` without double quotation marks that belong to no recognised quotation
    (“a plan written by smugglers", «...”, 「...」), its quotations found again, and what
    followed each removed mark, for the report."""
    inside = {i for q in quotes for i in range(q.start, q.end)}
    stray = [i for i, ch in enumerate(unit) if ch in _DOUBLE_MARKS and i not in inside]
    if not stray:
        return unit, quotes, []
    after = squash(_MARKER_RUN.sub("", unit[stray[0] + 1 :])).rstrip(" .,;:")
    reported = [after.strip("".join(_DOUBLE_MARKS) + " ")]
    cleaned = "".join(ch for i, ch in enumerate(unit) if i not in set(stray))
    return cleaned, _quotations(cleaned), [r for r in reported if r]


def guard_answer(text: str, sources: Mapping[int, str]) -> Guarded:
    """Check ``text`` against ``sources`` (marker -> passage text): markers, quotations and
    uncited claims, unit by unit, with the decisions set out in the module doc."""
    removed_citations: list[str] = []
    removed_quotes: list[str] = []
    dropped: list[str] = []
    renumber: dict[int, int] = {}

    def rewrite(run: re.Match[str]) -> str:
        numbers = dict.fromkeys(renumber[n] for n in read_markers(run.group(0), sources)[0])
        return "".join(f"[{n}]" for n in numbers)

    out_paragraphs: list[str] = []
    for paragraph in _split(text):
        out_lines: list[str] = []
        lead_ins: list[tuple[int, str]] = []  # (line, text) of uncited "...:" units kept
        for index, line in enumerate(paragraph):
            kept: list[str] = []
            next_line = paragraph[index + 1] if index + 1 < len(paragraph) else None
            for position, (unit, quotes) in enumerate(line.units):
                last_in_line = position == len(line.units) - 1
                introduces = last_in_line and _is_lead_in(_MARKER_RUN.sub("", unit), next_line)
                cited, invalid = read_markers(unit, sources)
                removed_citations += invalid
                valid = list(dict.fromkeys(cited))
                cited_texts = [sources[n] for n in valid]

                unit, quotes, stray = _without_stray_marks(unit, quotes)
                removed_quotes += stray
                checked, misquoted = _check_quotes(unit, quotes, cited_texts)
                removed_quotes += misquoted
                keep = checked is not None
                unit = checked if checked is not None else unit
                bare = _MARKER_RUN.sub("", unit)
                if keep and not valid:
                    keep = not invalid and not quotes and (introduces or _is_heading(bare))
                if not keep:
                    dropped.append(squash(bare))
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
