"""Quotes: candidates are whole sentences of the article or paired quoted speech."""

from __future__ import annotations

from pathlib import Path

from bot.core.briefing import Briefing
from bot.core.quotes import speech_spans
from bot.core.text import contains_verbatim, sentence_spans
from conftest import article_text, write_flood_article

MONITOR = (
    'Monitor sales\n\nThe shop sold a 27" monitor on Monday, and the manager said '
    '"we sold fifty monitors in a single day" to reporters.\n'
)


def _speech(text: str) -> list[str]:
    return [text[a:b] for a, b in speech_spans(text)]


def test_straight_quotes_pair_at_word_edges_only() -> None:
    assert _speech(MONITOR) == ["we sold fifty monitors in a single day"]
    assert _speech('He is 6\' 2" tall and said "I am the tallest one here," smiling.') == [
        "I am the tallest one here,"
    ]
    # An opening quote that never closes gives way to the next one.
    assert _speech('An "odd one and then "this one does close" here.') == ["this one does close"]
    assert _speech('("In brackets," she said) and "at the end"') == ["In brackets,", "at the end"]
    assert _speech('A 12 " gap, a"b and "no\nline break" pair.') == []
    assert _speech("“ Curly, padded ” and “plain”") == ["Curly, padded", "plain"]


def test_an_inch_sign_does_not_make_quoted_speech(briefing: Briefing, tmp_path: Path) -> None:
    (tmp_path / "monitor.txt").write_text(MONITOR, encoding="utf-8")
    assert not briefing.ingest([tmp_path / "monitor.txt"]).failed
    quotes = briefing.quote("monitor manager", limit=3) + briefing.quote(
        "fifty monitors single day", limit=3
    )
    assert quotes
    assert all(q.text != "monitor on Monday, and the manager said" for q in quotes)
    speech = [q for q in quotes if q.kind == "speech"]
    assert [q.text for q in speech] == ["we sold fifty monitors in a single day"]


def test_pieces_of_a_sentence_too_long_for_a_chunk_are_not_quoted(
    briefing: Briefing, tmp_path: Path
) -> None:
    assert not briefing.ingest([write_flood_article(tmp_path)]).failed
    quotes = briefing.quote("flood barrier", limit=3)
    assert [q.text for q in quotes] == ["The mayor said the flood barrier was overdue."]
    for q in quotes:
        text = article_text(briefing, q.article_id)
        assert text[q.char_start : q.char_end] == q.text and contains_verbatim(text, q.text)
        assert (q.char_start, q.char_end) in {(s.start, s.end) for s in sentence_spans(text)}
        assert q.paragraph == 2


def test_a_quote_holds_its_whole_topic(briefing: Briefing, tmp_path: Path) -> None:
    """A short topic names one thing: a sentence about a part of it ("cost" from the bus
    story for "coffee prices", "murder rates" for "water rates") is about something else."""
    bus = tmp_path / "bus.txt"
    bus.write_text(
        "Kelby Bus Corridor Approved\n\nThe council approved the corridor on Monday. The "
        "project is expected to cost 412 million dollars. Murder rates in the district have "
        "fallen.\n",
        encoding="utf-8",
    )
    coffee = tmp_path / "coffee.txt"
    coffee.write_text(
        "Coffee Growers Face Rust\n\nA fungus is spreading through the farms. The price of "
        "beans has doubled since May, growers said.\n",
        encoding="utf-8",
    )
    assert not briefing.ingest([bus, coffee]).failed
    quotes = briefing.quote("coffee prices", limit=3)
    assert [q.text for q in quotes] == [
        "The price of beans has doubled since May, growers said."  # "coffee": its title
    ]
    assert briefing.quote("water rates", limit=3) == []


def test_a_quote_holds_its_topic_in_its_own_words_not_a_synonym_s(
    briefing: Briefing, tmp_path: Path
) -> None:
    """WordNet's "caravan" is also a train, and its "deportation" a transportation: a
    quote asked for by a word says it (or a word of its family), or it is no quote of it."""
    story = tmp_path / "border.txt"
    story.write_text(
        "Border Town Notes\n\nThe players met at the club's training ground on Monday. A "
        "caravan of migrants reached the border town on Tuesday. Caravans have grown since "
        "May. The council voted on transportation for the school on Wednesday.\n",
        encoding="utf-8",
    )
    assert not briefing.ingest([story]).failed
    quotes = [q.text for q in briefing.quote("caravan", limit=3)]
    assert quotes and all("aravan" in q for q in quotes), quotes
    assert briefing.quote("deportation", limit=3) == []
