"""The citation guard: checks a complete LLM answer before anyone reads it.

Rules, applied sentence by sentence:

* A marker ``[n]`` that points at no provided source is removed.
* A quotation (text in quotation marks, three words or more) must be verbatim, whitespace
  and quote style aside, in one of the sources its sentence cites. If it is not, but nearly
  all its words are in those sources, it loses its quotation marks (it is a paraphrase, not
  a quote); otherwise the whole sentence is dropped (it is invented).
* A sentence with no valid citation is dropped if it makes a claim: it cited something
  invalid, or has more than twelve words, a number, or a quotation. Short framing
  sentences ("In short:") may stay.
* If no valid citation is left, the caller falls back to the extractive answer.

Surviving markers are renumbered 1..k in order of first use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.core.models import GuardReport
from bot.core.text import (
    normalise_quotes,
    paragraph_spans,
    sentence_spans,
    squash,
    stems,
    word_count,
)

MARKER_GROUP = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
QUOTATION = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
MIN_QUOTE_WORDS = 3
PARAPHRASE_OVERLAP = 0.8
MAX_FRAMING_WORDS = 12


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


def _numbers(group: str) -> list[int]:
    return [int(n) for n in re.split(r"[,;]", group) if n.strip()]


def _verbatim(quote: str, source: str) -> bool:
    return squash(normalise_quotes(quote)) in squash(normalise_quotes(source))


def _overlap(quote: str, sources: list[str]) -> float:
    words = set(stems(quote))
    if not words:
        return 0.0
    available: set[str] = set()
    for s in sources:
        available |= set(stems(s))
    return len(words & available) / len(words)


def _split(text: str) -> list[list[str]]:
    """Paragraphs of sentences. A sentence that starts with markers ("... end. [1] Next")
    gives them back to the sentence before it."""
    out: list[list[str]] = []
    for para in paragraph_spans(text):
        body = para.of(text)
        sentences: list[str] = []
        for span in sentence_spans(body):
            sentence = span.of(body).strip()
            lead = re.match(r"^((?:\s*\[[\d,;\s]+\])+)\s*", sentence)
            if lead and sentences:
                sentences[-1] = f"{sentences[-1]} {lead.group(1).strip()}"
                sentence = sentence[lead.end() :]
            if sentence:
                sentences.append(sentence)
        if sentences:
            out.append(sentences)
    return out


def guard_answer(text: str, sources: Mapping[int, str]) -> Guarded:
    """Check ``text`` against ``sources`` (marker -> passage text). See the module doc."""
    removed_citations: list[str] = []
    removed_quotes: list[str] = []
    dropped: list[str] = []
    kept_paragraphs: list[list[str]] = []
    renumber: dict[int, int] = {}

    for paragraph in _split(text):
        kept: list[str] = []
        for sentence in paragraph:
            cited = [n for g in MARKER_GROUP.findall(sentence) for n in _numbers(g)]
            valid = [n for n in dict.fromkeys(cited) if n in sources]
            removed_citations += [f"[{n}]" for n in cited if n not in sources]
            cited_texts = [sources[n] for n in valid]

            keep = True
            for match in QUOTATION.finditer(sentence):
                quote = match.group(1) if match.group(1) is not None else match.group(2)
                if word_count(quote) < MIN_QUOTE_WORDS:
                    continue
                if any(_verbatim(quote, t) for t in cited_texts):
                    continue
                removed_quotes.append(quote)
                if cited_texts and _overlap(quote, cited_texts) >= PARAPHRASE_OVERLAP:
                    sentence = sentence.replace(match.group(0), quote, 1)
                else:
                    keep = False
            bare = MARKER_GROUP.sub("", sentence)
            if keep and not valid:
                claims = (
                    bool(cited)  # it cited something, so it claims something
                    or word_count(bare) > MAX_FRAMING_WORDS
                    or any(ch.isdigit() for ch in bare)
                    or QUOTATION.search(bare) is not None
                )
                keep = not claims
            if not keep:
                dropped.append(squash(bare))
                continue
            for n in valid:
                renumber.setdefault(n, len(renumber) + 1)

            def rewrite(match: re.Match[str]) -> str:
                new = [renumber[n] for n in _numbers(match.group(1)) if n in renumber]
                return "".join(f"[{n}]" for n in dict.fromkeys(new))

            sentence = MARKER_GROUP.sub(rewrite, sentence)
            kept.append(re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r" {2,}", " ", sentence)).strip())
        if kept:
            kept_paragraphs.append(kept)

    report = GuardReport(
        removed_citations=tuple(removed_citations),
        removed_quotes=tuple(removed_quotes),
        dropped_sentences=tuple(dropped),
        fell_back=not renumber,
    )
    final = "\n\n".join(" ".join(p) for p in kept_paragraphs)
    return Guarded(final, {new: old for old, new in renumber.items()}, report)
