"""Chunks: sentence-aligned, overlapping, within the token budget, exact spans."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bot.core.chunking import chunk_sentences, chunk_text, strip_boilerplate
from bot.core.text import sentence_spans
from bot.core.tokens import TokenCounter

SEED = (Path(__file__).resolve().parent.parent / "corpus").glob("*.txt")


@pytest.fixture(scope="module")
def counter(tmp_path_factory: pytest.TempPathFactory) -> TokenCounter:
    return TokenCounter("o200k_base", tmp_path_factory.mktemp("tok"))


def _article(n: int) -> str:
    paragraphs = []
    for p in range(n):
        paragraphs.append(
            " ".join(
                f"Paragraph {p} sentence {s} talks about border security cooperation."
                for s in range(5)
            )
        )
    return "\n\n".join(paragraphs)


def test_chunks_are_exact_sentence_aligned_spans_within_budget(counter: TokenCounter) -> None:
    text = _article(12)
    chunks = chunk_text(text, counter, max_tokens=60, overlap_tokens=15)
    starts = {s.start for s in sentence_spans(text)}
    ends = {s.end for s in sentence_spans(text)}
    assert len(chunks) > 5
    for c in chunks:
        assert c.start in starts and c.end in ends
        assert c.token_count == counter.count(text[c.start : c.end])
        assert c.token_count <= 60 + 2  # joins between sentences may add a token
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    # Every sentence is in some chunk, and consecutive chunks overlap.
    covered = set()
    for c in chunks:
        covered |= {s for s in starts if c.start <= s < c.end}
    assert covered == starts
    assert all(b.start < a.end for a, b in itertools.pairwise(chunks))


def test_no_overlap_when_overlap_is_zero(counter: TokenCounter) -> None:
    chunks = chunk_text(_article(6), counter, max_tokens=60, overlap_tokens=0)
    assert all(b.start >= a.end for a, b in itertools.pairwise(chunks))


def test_paragraph_numbers_follow_the_text(counter: TokenCounter) -> None:
    text = _article(6)
    chunks = chunk_text(text, counter, max_tokens=60, overlap_tokens=0)
    assert chunks[0].paragraph == 1
    assert chunks[-1].paragraph == 6


def test_a_run_on_sentence_is_cut_at_word_boundaries(counter: TokenCounter) -> None:
    text = " ".join(["word"] * 3000)
    chunks = chunk_text(text, counter, max_tokens=100, overlap_tokens=10)
    assert len(chunks) >= 25
    for c in chunks:
        piece = text[c.start : c.end]
        assert piece.strip().startswith("word") and piece.strip().endswith("word")
        assert c.token_count == counter.count(piece)
        assert c.token_count <= 110
    # A cut keeps the space between the words on both sides: that marks it.
    assert text[chunks[0].start] == "w" and text[chunks[-1].end - 1] == "d"
    for a, b in itertools.pairwise(chunks):
        assert text[a.end - 1] == " " and text[b.start] == " " and b.start == a.end - 1
    assert all(chunk_sentences(text[c.start : c.end]) == [] for c in chunks)


def test_only_whole_sentences_are_read_back_from_chunks(counter: TokenCounter) -> None:
    long = "The barrier " + " ".join(f"and section {i} of the wall" for i in range(60)) + "."
    text = f"It rained. {long} The mayor spoke.\n\nA new paragraph. {long}"
    sentences = {(s.start, s.end) for s in sentence_spans(text)}
    chunks = chunk_text(text, counter, max_tokens=60, overlap_tokens=15)
    read_back = set()
    for c in chunks:
        chunk = text[c.start : c.end]
        spans = {(c.start + s.start, c.start + s.end) for s in chunk_sentences(chunk)}
        assert spans <= sentences, [text[a:b] for a, b in spans - sentences]
        read_back |= spans
        # Only a cut inside a sentence leaves whitespace at a chunk's edge.
        if chunk != chunk.strip():
            assert (c.start, c.end) not in sentences
    short = {(s.start, s.end) for s in sentence_spans(text) if len(text[s.start : s.end]) < 40}
    assert read_back == short  # every short sentence, and nothing of the long ones


def test_seed_boilerplate_never_reaches_chunks(counter: TokenCounter) -> None:
    raw = next(iter(SEED)).read_text(encoding="utf-8")
    assert "Latest E-Books" in raw
    body = strip_boilerplate(raw.split("\n", 1)[1])
    assert "Latest E-Books" not in body
    assert body.endswith("generated an alarm.")
    assert all("E-Books" not in body[c.start : c.end] for c in chunk_text(body, counter, 180, 40))


def test_boilerplate_inside_the_text_is_dropped_but_sentences_that_mention_it_stay() -> None:
    text = "Real sentence one.\n\nAdvertisement\n\nThe advertisement was criticised.\n\nShare this"
    assert strip_boilerplate(text) == "Real sentence one.\n\nThe advertisement was criticised."


@pytest.mark.parametrize(
    "paragraph",
    [
        "Related concerns were raised by Amnesty International, which said the deal was bad.",
        "Read more about the memorandum in the leaked documents, which show its terms.",
        "Copyright lawyers said the clause would not survive a challenge.",
        "Privacy policy experts warned that the law is vague.",
        "Share prices fell on Monday",
        "Sign up for the lottery, officials urged residents.",
        "Follow us, the protesters chanted.",
        "Subscribe to the theory that walls work.",
        "Topics-based learning was popular.",
        "Print edition sales fell.",
    ],
)
def test_article_paragraphs_that_start_like_furniture_are_kept(paragraph: str) -> None:
    text = f"The first sentence.\n\n{paragraph}\n\nThe last sentence."
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize(
    "furniture",
    [
        "Share this article on Facebook",
        "Share on Facebook, Twitter and Email",
        "Read more: Why the border deal failed",
        "Related: Honduras signs the memorandum",
        "Related articles",
        "Tags: asylum, Honduras, border",
        "Filed under: World",
        "Copyright 2019 News Site. All rights reserved.",
        "© Example Media",
        "Sign up for our free daily Border Report newsletter",
        "Subscribe now",
        "Follow us on Twitter and Instagram",
        "Click here to read the full report",
        "Email this article",
        "Comments (12)",
        "Privacy policy",
    ],
)
def test_furniture_paragraphs_are_dropped_inside_the_text(furniture: str) -> None:
    text = f"The first sentence.\n\n{furniture}\n\nThe last sentence."
    assert strip_boilerplate(text) == "The first sentence.\n\nThe last sentence."


def test_a_lead_in_followed_by_a_long_paragraph_is_article_text() -> None:
    paragraph = (
        "Related: the minister said on Tuesday that the memorandum would be reviewed by "
        "the legislature before any funds were released to the border agencies."
    )
    assert strip_boilerplate(f"{paragraph}\n\nEnd.") == f"{paragraph}\n\nEnd."


def test_pieces_of_a_run_on_sentence_fit_the_chunk_size(counter: TokenCounter) -> None:
    # Tokens per word vary wildly here, so an estimate from the average would overshoot.
    words = ["a"] * 150 + ["12345678901234567890-Tegucigalpa"] * 30
    text = "Title\n\n" + " ".join(words) + "."
    chunks = chunk_text(text, counter, 32, 8)
    assert len(chunks) > 5
    for chunk in chunks:
        assert chunk.token_count == counter.count(text[chunk.start : chunk.end])
        assert chunk.token_count <= 32 + 1, chunk


@pytest.mark.parametrize(
    "sentence",
    [
        "边境安全备忘录是美国与危地马拉签署的一项合作协议，批评者认为它忽视了移民的根本原因，" * 12,
        "ข้อตกลงความร่วมมือด้านความมั่นคงชายแดนถูกวิจารณ์" * 20,
        "https://example.org/" + "a-very-long-path-segment/" * 60,
        "𓀀𓀁𓀂𓀃" * 12,  # fewer characters than a chunk's tokens, each several tokens
    ],
)
def test_text_without_spaces_is_cut_to_the_chunk_size(counter: TokenCounter, sentence: str) -> None:
    """Chinese, Thai or a long url holds no whitespace to cut a long sentence at: it is
    cut between characters, at token boundaries, never left as one chunk over the size."""
    text = "Title\n\n" + sentence + "。"
    chunks = chunk_text(text, counter, max_tokens=60, overlap_tokens=10)
    assert len(chunks) > 3
    covered = 0
    for chunk in chunks:
        assert chunk.token_count == counter.count(text[chunk.start : chunk.end])
        assert chunk.token_count <= 60 + 1, chunk
        assert chunk.start <= covered  # nothing of the text is left out
        covered = max(covered, chunk.end)
    assert covered == len(text)


def test_one_long_word_is_looked_at_in_linear_time() -> None:
    """A page of one 10 MB word took 7.6 seconds in the boilerplate stripper: whether the
    last paragraph is a short fragment (six words at most) was decided by looking at each
    of its letters in Python for a script written without spaces. It is one word (a
    fragment, so the page has no article text), known at once; so is a long word of
    another script, and a long run of Chinese is many words."""
    import time

    from bot.core.words import script_word_count

    for word in ("a" * 10_000_000, "é" * 2_000_000 + "ა" * 2_000_000, "中" * 5_000_000):
        started = time.perf_counter()
        kept = strip_boilerplate(f"A first sentence.\n\n{word}")
        took = time.perf_counter() - started
        assert took < 1.0, f"{took:.1f} s for a word of {len(word):,} characters"
        assert kept == ("A first sentence." if word[0] != "中" else f"A first sentence.\n\n{word}")
    # the count itself is unchanged
    for text, words in [
        ("one two three", 3),
        ("中文字", 2),
        ("a中", 2),
        ("ไทยภาษา", 4),
        ("²中", 1),
        ("— “quoted” text", 3),
        ("", 0),
        ("日本語 and more", 4),
    ]:
        assert script_word_count(text) == words, text
