"""Chat short forms of common words (bot.core.shortforms), offline and without a corpus."""

from __future__ import annotations

import pytest

from bot.core.lexicon import Lexicon
from bot.core.query import analyse, read_short_forms
from bot.core.shortforms import expansions, function_word, shortens


@pytest.mark.parametrize(
    ("short", "word"),
    [
        ("ppl", "people"),  # a contraction, the final "e" aside
        ("govts", "governments"),
        ("dept", "department"),
        ("intel", "intelligence"),  # a clipping: at most half the word
        ("admin", "administration"),
    ],
)
def test_a_short_form_keeps_the_word_s_letters_in_order(short: str, word: str) -> None:
    assert shortens(short, word)
    assert word in expansions(short)


@pytest.mark.parametrize(
    ("short", "word"),
    [
        ("wat", "water"),  # "water" begins with it, but is not twice as long, nor ends in t
        ("pres", "present"),
        ("dpt", "adopt"),  # not the word's first letter
        ("govs", "governor"),  # not its last
    ],
)
def test_a_short_form_must_begin_as_the_word_does_and_end_or_clip_it(short: str, word: str) -> None:
    assert not shortens(short, word)


def test_the_likeliest_word_comes_first() -> None:
    assert expansions("intel")[0] == "intelligence"  # a clipping before "international"
    assert expansions("dept")[0] == "department"  # keeps "dep", unlike "development"
    assert expansions("ppl")[0] == "people"  # the most common of those that fit
    assert expansions("yrs")[0] == "years"


@pytest.mark.parametrize(
    "word",
    ["Intel", "the", "memorandum", "ab", "governmental", "strohm", "cicig", "tegucigalpa"],
)
def test_only_a_short_lower_case_word_may_be_a_short_form(word: str) -> None:
    """Capitalised (a name as typed), a stop word, too short or too long, or fitting no
    common word."""
    assert expansions(word) == ()


def test_a_short_form_of_a_phrasing_word_is_written_out_before_analysis() -> None:
    lexicon = Lexicon()
    assert function_word("wat") == "what"
    assert function_word("shld") == "should"
    assert function_word("ppl") is None  # a content word: the corpus decides
    assert read_short_forms("wat does DHS say, and wht shld be fixed?", lexicon) == (
        "what does DHS say, and what should be fixed?"
    )
    # a word WordNet knows is never read as a short form ("cold" is not "could")
    assert read_short_forms("how cold was it", lexicon) == "how cold was it"
    query = analyse("wat shld the memo do", lexicon)
    assert [t.word for t in query.terms] == ["memo"]
    assert query.answer_type == "what"


def test_a_word_typed_without_the_g_of_its_ing_is_the_ing_word() -> None:
    """ "talkin" is talking and "nothin'" nothing; a word English knows ("cabin", "latin")
    or an "-ing" word it does not commonly use ("putin": no "puting") stays as typed."""
    lexicon = Lexicon()
    assert read_short_forms("what vehicles are we talkin about", lexicon) == (
        "what vehicles are we talking about"
    )
    assert read_short_forms("is nothin' bein done?", lexicon) == "is nothing being done?"
    assert read_short_forms("who met putin in the cabin", lexicon) == "who met putin in the cabin"
    query = analyse("what kind of vehicles are we talkin about", lexicon)
    assert "talkin" not in [t.word for t in query.terms]


def test_a_word_spelled_by_its_sounds_is_the_word() -> None:
    """Chat spells some words by the sounds of digits and letters: "b4" is before, "2day"
    today, "l8r" later, "any1" anyone. A code or a name stays as typed: the Jeep "j8", the
    "g8" (no gate), "co2", "4x4". (Before, "b4" was an unknown name, and "has valtheim
    tried offshore processing b4?" was refused for it.)"""
    lexicon = Lexicon()
    assert read_short_forms("has valtheim tried it b4?", lexicon) == "has valtheim tried it before?"
    assert read_short_forms("is it open 2day or l8r", lexicon) == "is it open today or later"
    assert read_short_forms("did any1 see the j8 at the g8", lexicon) == (
        "did anyone see the j8 at the g8"
    )
    assert read_short_forms("co2 from a 4x4", lexicon) == "co2 from a 4x4"
    assert "b4" not in [t.word for t in analyse("has the court banned a party b4", lexicon).terms]
