"""Sentences, paragraphs and verbatim comparison."""

from __future__ import annotations

from bot.core.text import (
    contains_verbatim,
    content_words,
    has_bracketed_number,
    paragraph_at,
    paragraph_spans,
    sentence_spans,
    stem,
    strip_footnote_markers,
)


def test_paragraphs_are_numbered_and_exact() -> None:
    text = "First para line.\nStill first.\n\n  Second para.  \n\n\nThird."
    paras = paragraph_spans(text)
    assert [p.of(text) for p in paras] == [
        "First para line.\nStill first.",
        "Second para.",
        "Third.",
    ]
    assert [p.paragraph for p in paras] == [1, 2, 3]
    assert paragraph_at(paras, text.index("Third")) == 3


def test_sentences_respect_abbreviations_and_quotes() -> None:
    text = (
        "Nielsen met U.S. officials on Tuesday. “It is historic,” she said. "
        "Dr. Ruiz disagreed! Was it binding? No."
    )
    got = [s.of(text) for s in sentence_spans(text)]
    assert got == [
        "Nielsen met U.S. officials on Tuesday.",
        "“It is historic,” she said.",
        "Dr. Ruiz disagreed!",
        "Was it binding?",
        "No.",
    ]


def test_abbreviations_are_found_however_the_word_is_preceded() -> None:
    """The word before a period is read back to the last non-letter: a space, a bracket,
    a hyphen or the start of a paragraph."""
    text = (
        "The talks (Gen. Kelly led them) ended. A new-Gen. Approach failed. "
        "It came at 3 p.m. Nothing else did.\n\nJ. Smith spoke. "
        "Officials of the A.B.C.D.E.F.G.H. Group met. Then they left."
    )
    assert [s.of(text) for s in sentence_spans(text)] == [
        "The talks (Gen. Kelly led them) ended.",
        "A new-Gen. Approach failed.",
        "It came at 3 p.m. Nothing else did.",
        "J. Smith spoke.",
        "Officials of the A.B.C.D.E.F.G.H. Group met.",
        "Then they left.",
    ]


def test_sentences_never_cross_paragraphs() -> None:
    text = "A heading without a stop\n\nThe body starts here. It ends here."
    spans = sentence_spans(text)
    assert [s.of(text) for s in spans] == [
        "A heading without a stop",
        "The body starts here.",
        "It ends here.",
    ]
    assert [s.paragraph for s in spans] == [1, 2, 2]


def test_verbatim_ignores_whitespace_only() -> None:
    article = "The agreement is however,\nof the non-binding nature."
    assert contains_verbatim(article, "The agreement is however, of the non-binding nature.")
    assert not contains_verbatim(article, "The agreement is, however, of a non-binding nature.")
    assert not contains_verbatim(article, "the agreement is however, of the non-binding nature.")
    assert not contains_verbatim(article, "   ")


def test_content_words_drop_question_vocabulary() -> None:
    # A possessive asks about the thing itself: "agreement's" is "agreement".
    assert content_words("What do the sources say about the agreement's critics?") == [
        "agreement",
        "critics",
    ]


def test_stems_group_inflections_but_not_false_friends() -> None:
    assert stem("migrants") == stem("migrant")
    assert stem("commitment") == stem("commit")
    assert stem("critical") != stem("critics")


def test_footnote_markers_are_stripped_but_the_articles_brackets_stay() -> None:
    text = "The dam cost 49 million dollars[2] and was finished in 1936.[3]"
    stripped = "The dam cost 49 million dollars and was finished in 1936."
    assert strip_footnote_markers(text) == stripped
    assert strip_footnote_markers("Lake Mead.[12] It was[2,3] big[a][4–6] [citation needed].") == (
        "Lake Mead. It was big."
    )
    editorial = "[T]he plan [sic] was, he said, [the minister's] own [a]nd [2]nd."
    assert strip_footnote_markers(editorial) == editorial
    # A bracket after a space is the article's text: a room, a vote, an interval.
    for kept in ("Room [2] at noon.", "The court split [5-4] on it.", "Scores fall in [0, 1]."):
        assert strip_footnote_markers(kept) == kept
        assert has_bracketed_number(kept)
    assert not has_bracketed_number("[T]he plan [sic] was fine.")
