"""The sources an LLM is shown: passages numbered and packed under a token budget, each in
a ``<source>`` block that its text cannot close.

A passage is cut only between sentences, so the model never sees half a sentence; the
article's own footnote markers are left out, so no "[2]" in a source reads as a citation.
The guard checks the model's quotes against exactly the text the model saw
(:func:`model_view`), and a quote it passed is then shown as the article writes it
(:func:`as_sources_write_it`): the escaping is the prompt's, not the reader's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.guard import verbatim
from bot.core.text import quotations, sentence_spans, strip_footnote_markers
from bot.core.tokens import TokenCounter
from storage.articles import Passage


@dataclass(frozen=True)
class PackedSource:
    """A passage as numbered in the prompt; ``text`` is a verbatim prefix of the passage,
    cut only between sentences."""

    marker: int
    passage: Passage
    text: str


def pack_sources(
    passages: Sequence[Passage], counter: TokenCounter, budget: int
) -> list[PackedSource]:
    """Number passages in relevance order and fit them under ``budget`` tokens.

    The cost of a source is counted on its block exactly as the model will see it
    (:func:`source_block`: the ``<source>`` wrapper, the header, the escaped text), plus
    the blank line between blocks. A passage that does not fit whole keeps its leading
    sentences that do; a chunk is never cut mid-sentence. Packing stops at the first
    passage of which not even one sentence fits.
    """
    packed: list[PackedSource] = []
    used = 0
    for passage in passages:
        marker = len(packed) + 1
        separator = SEPARATOR_TOKENS if packed else 0
        text = passage.text
        spent = counter.count(source_block(marker, passage, text)) + separator
        if used + spent > budget:
            text = ""
            for span in sentence_spans(passage.text):
                candidate = passage.text[: span.end]
                cost = counter.count(source_block(marker, passage, candidate)) + separator
                if used + cost > budget:
                    break
                text, spent = candidate, cost
            if not text:
                break
        packed.append(PackedSource(marker, passage, text))
        used += spent
    return packed


#: The blank line between two source blocks ("\n\n"), in tokens.
SEPARATOR_TOKENS = 1


def source_header(marker: int, passage: Passage) -> str:
    meta = ", ".join(
        p
        for p in (passage.source, passage.published.isoformat() if passage.published else None)
        if p
    )
    return (
        f"[{marker}] {passage.title}"
        + (f" ({meta})" if meta else "")
        + f", paragraph {passage.paragraph}"
    )


#: What the model is shown for the characters that would let an article close its own
#: <source> block and speak outside it.
_ESCAPES = {"<": "‹", ">": "›"}
_ESCAPE = str.maketrans(_ESCAPES)
_UNESCAPE = str.maketrans({shown: own for own, shown in _ESCAPES.items()})


def _escape_source(text: str) -> str:
    return text.translate(_ESCAPE)


def as_sources_write_it(answer: str, cited: Sequence[str]) -> str:
    """``answer``, guarded against the model's view of the ``cited`` passages, with each
    quotation in which the model copied an escaped character ("‹5%") written as a cited
    passage writes it ("<5%"): the guard found it verbatim in what the model saw, and the
    reader is shown the source's own words. Only when a cited passage (footnote markers
    aside) holds the quotation so, by the guard's own test: a quotation of an article's
    own "‹" stays as it is (and so, a known limit, does one that quotes both an own "‹"
    and an escaped "<")."""
    shown, at = [], 0
    for quote in quotations(answer):
        inner = quote.inner(answer)
        own = inner.translate(_UNESCAPE)
        if own != inner and any(verbatim(own, strip_footnote_markers(t)) for t in cited):
            shown += [answer[at : quote.start + 1], own]
            at = quote.end - 1
    return "".join(shown) + answer[at:]


def model_view(text: str) -> str:
    """A passage as the model sees it, and as the guard checks the model's quotes of it:
    it cannot close its ``<source>`` block, and the article's own footnote markers ("[2]")
    are gone, so the model cannot copy one that would read as a citation of source 2."""
    return _escape_source(strip_footnote_markers(text))


def source_block(marker: int, passage: Passage, text: str) -> str:
    """One numbered source as the model sees it."""
    header = _escape_source(source_header(marker, passage))
    return f'<source id="{marker}">\n{header}\n{model_view(text)}\n</source>'


def format_sources(packed: Sequence[PackedSource]) -> str:
    return "\n\n".join(source_block(p.marker, p.passage, p.text) for p in packed)
