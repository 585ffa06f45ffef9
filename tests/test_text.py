"""Sentences (of articles and of model answers), quotations, paragraphs and verbatim
comparison."""

from __future__ import annotations

import pytest

from bot.core.text import (
    answer_rules,
    contains_verbatim,
    has_bracketed_number,
    paragraph_at,
    paragraph_spans,
    quotations,
    sentence_bounds,
    sentence_spans,
    strip_footnote_markers,
)
from bot.core.words import content_words, stem

#: A model answer's sentences, with plain numbered citation markers.
ANSWER = answer_rules(r"\[\d+\]")


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


def test_a_word_is_not_the_function_word_its_stem_spells() -> None:
    # Snowball cuts "underlying" to "under" and "likely" to "like"; a passage that says
    # "under pressure" says nothing underlying. Inflections of a stop word still stem to it.
    for word, function_word in [("underlying", "under"), ("overly", "over"), ("likely", "like")]:
        assert stem(word) != stem(function_word)
    assert stem("underlying") == stem("underlying")
    assert stem("discussions") == stem("discussion")
    for word, base in [("thinking", "think"), ("shows", "show"), ("described", "describe")]:
        assert stem(word) == stem(base)


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


def _prose_sentences(text: str) -> list[str]:
    return [s.of(text) for s in sentence_spans(text)]


def test_chinese_and_japanese_sentences_end_at_wide_stops() -> None:
    text = "边境安全备忘录在特古西加尔巴签署。批评者表示反对！是吗？是的。\n\n覚書に署名した。"
    assert _prose_sentences(text) == [
        "边境安全备忘录在特古西加尔巴签署。",
        "批评者表示反对！",
        "是吗？",
        "是的。",
        "覚書に署名した。",
    ]
    # A wide stop quoted in English text, or inside brackets, ends nothing.
    quoted = 'It ends with "。", like "？" and [。！？] do.'
    assert _prose_sentences(quoted) == [quoted]


# --- A model's answer: cut eagerly (the guard's units) ----------------------------------


def _answer_sentences(line: str) -> list[str]:
    keep = [(q.start, q.end) for q in quotations(line)]
    return [line[a:b] for a, b in sentence_bounds(line, rules=ANSWER, keep_whole=keep)]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # A stop glued to a capital ends a sentence after a word or a marker...
        (
            "It was signed [1].Officials admitted it.",
            ["It was signed [1].", "Officials admitted it."],
        ),
        # ... but not inside a name.
        ("It runs on ASP.NET servers [1].", ["It runs on ASP.NET servers [1]."]),
        # Whatever follows a stop and a space starts a new sentence.
        (
            "It was signed [1]. the deal will kill people.",
            ["It was signed [1].", "the deal will kill people."],
        ),
        # Markers after a stop end the sentence, even after an abbreviation.
        (
            "It was signed by the U.S. [1] the deal kills people.",
            ["It was signed by the U.S. [1]", "the deal kills people."],
        ),
        ("It was signed by Dr. Smith for the U.S. government [2].", None),
        ("It runs for 5.5 years, the agreement says [2].", None),
        ("It stalled… then it was signed [2].", None),
        ("It stalled… Then it was signed [2].", ["It stalled…", "Then it was signed [2]."]),
        # A quotation is never cut.
        (
            "Critics said “The deal is a betrayal. It will kill” [1]. It was signed.",
            ["Critics said “The deal is a betrayal. It will kill” [1].", "It was signed."],
        ),
    ],
)
def test_a_models_answer_is_cut_eagerly(text: str, sentences: list[str] | None) -> None:
    assert _answer_sentences(text) == (sentences or [text])


def test_article_prose_ends_a_sentence_only_where_the_next_visibly_starts() -> None:
    text = "Signed in 1936.[3] It was e.g. the first. It stalled… 5 more followed."
    assert _prose_sentences(text) == [
        "Signed in 1936.[3]",
        "It was e.g. the first.",
        "It stalled…",
        "5 more followed.",
    ]


# --- Quotations --------------------------------------------------------------------------


def _quoted(text: str, marks: str | None = None) -> list[str]:
    found = quotations(text) if marks is None else quotations(text, marks=marks)
    return [q.inner(text) for q in found]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Critics called it “a gift to smugglers” [1].", ["a gift to smugglers"]),
        (
            "« a present » and „ein Geschenk“ and „a gift”",
            [" a present ", "ein Geschenk", "a gift"],
        ),
        # “ « „ nest: the outermost quotation is found, once.
        ("He said “the pact was “a gift” indeed” [1].", ["the pact was “a gift” indeed"]),
        # Apostrophes and elisions quote nothing.
        ("They don't share the countries' plans, nor don’t they.", []),
        ("In the '90s, 'tis rock 'n' roll.", []),
        ("They called it 'a plan' and ‘a deal’ and ‚a pact‘.", ["a plan", "a deal", "a pact"]),
        # A straight double quote is also the inch sign: it opens only at a word's start and
        # closes only at a word's end.
        ('A 27" monitor, and he said "we sold fifty" to reporters.', ["we sold fifty"]),
        # A straight quote that could only open, met while one is open: the first never closed.
        ('An "odd one and then "this one does close" here.', ["this one does close"]),
        ("An unclosed “quotation and a «pair».", ["pair"]),
    ],
)
def test_quotations_are_found_at_their_marks(text: str, quoted: list[str]) -> None:
    assert _quoted(text) == quoted


def test_quotations_of_chosen_marks_in_part_of_a_text() -> None:
    text = '‘Single’ and “double” and "straight"'
    assert _quoted(text, marks='“"') == ["double", "straight"]
    found = quotations(text, text.index("and"), text.index('and "'))
    assert [q.inner(text) for q in found] == ["double"]
