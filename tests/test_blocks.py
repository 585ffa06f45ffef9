"""Block Kit building blocks on hostile text: splitting, truncation and escaping.

These run on plain strings; the Slack app tests cover the same builders end to end.
"""

from __future__ import annotations

import random
import signal
from collections.abc import Iterator

import pytest

from bot.slack.blocks import escape, escape_markdown, link, split_text, truncate


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail (instead of hanging the suite) if the test runs for more than 5 seconds."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError("split_text did not finish")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def check_pieces(text: str, limit: int) -> list[str]:
    pieces = split_text(text, limit)
    assert all(0 < len(p) <= limit for p in pieces), [len(p) for p in pieces]
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )
    return pieces


@pytest.mark.usefixtures("deadline")
def test_a_piece_may_start_with_an_ampersand() -> None:
    # A url's bare "&" right after a cut once moved the cut to -1: an endless loop.
    check_pieces("a" * 2996 + "&b c" + "d" * 4000, 3000)
    check_pieces("x" * 9 + "&" + "y" * 30, 10)
    check_pieces("&" * 50, 7)


@pytest.mark.usefixtures("deadline")
def test_entities_and_links_are_not_cut_in_two() -> None:
    text = "word " * 597 + "&amp;&lt;&gt; tail"  # the first entity straddles 3,000
    for piece in check_pieces(text, 3000):
        assert piece.count("&") == piece.count(";")
    label = "A title with many words in it"
    linked = "x" * 2960 + " " + link("https://example.org/?a=1&b=2", label) + " end"
    first, second = check_pieces(linked, 3000)  # 3,000 falls inside the label
    assert "<" not in first and second.startswith(f"<https://example.org/?a=1&b=2|{label}>")


@pytest.mark.usefixtures("deadline")
def test_split_text_always_finishes_on_random_markup() -> None:
    rng = random.Random(7)
    alphabet = ["&", "&amp;", "&lt;", "<", ">", "|", " ", "\n", ". ", "a", "bb", "ccc"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))).strip()
        limit = rng.randint(1, 12)
        if text:
            check_pieces(text, limit)
            assert len(truncate(text, limit + 1)) <= limit + 1


def test_markdown_escaping_works_piece_by_piece() -> None:
    text = "See [memo](https://evil.example) @here www.x.org <@U1> & [1]. Then more."
    whole = escape_markdown(text)
    for cut in [i for i, ch in enumerate(text) if ch == " "]:
        assert escape_markdown(text[: cut + 1]) + escape_markdown(text[cut + 1 :]) == whole
    for unsafe in ("](", "https://", "@here", "www.", "<@"):
        assert unsafe not in whole
    assert escape("a](b") == "a](b"  # mrkdwn has no [label](url) links


def test_digest_and_empty_quote_messages_stay_within_slack_limits() -> None:
    from datetime import UTC, date, datetime

    from bot.core.digest import Digest, DigestItem
    from bot.slack.blocks import MESSAGE_BLOCKS, TEXT_LIMIT, digest_message, quotes_message

    items = tuple(
        DigestItem(
            i, "T" * 4000, "https://example.org/" + "p" * 1900, "S", date(2019, 3, 29), "L" * 9000
        )
        for i in range(8)
    )
    now = datetime.now(UTC)
    text, blocks = digest_message(Digest(now, now, items))
    assert len(text) <= TEXT_LIMIT and len(blocks) <= MESSAGE_BLOCKS
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    text, blocks = quotes_message("<" * 2000, [], None)
    assert len(text) <= TEXT_LIMIT and "<" not in text


def test_a_quote_line_keeps_title_and_paragraph_whatever_the_url() -> None:
    from bot.slack.blocks import quotes_blocks

    for size in (100, 946, 1990):
        url = "https://example.org/" + "x" * size
        quote = {"text": "A sentence, quoted.", "title": "Border memorandum", "url": url}
        blocks = quotes_blocks([{**quote, "paragraph": 4}], "heading")
        line = blocks[-1]["elements"][0]["text"]
        assert "Border memorandum" in line and "paragraph 4" in line, size
        assert line.count("<") == line.count(">") and len(line) <= 3000, size
        assert blocks[-1]["elements"][0]["verbatim"] is True


def test_long_titles_never_split_a_link_across_sections() -> None:
    from bot.slack.blocks import sources_blocks

    sources = [
        {"title": f"Flamingo {n} " + "<&> " * 240, "url": f"https://example.org/f/{n}"}
        for n in range(40)
    ]
    for block in sources_blocks(sources):
        text = block["text"]["text"]
        assert text.count("<") == text.count(">") and len(text) <= 3000


def test_urls_keep_their_own_fragment_and_stray_percent_signs_are_escaped() -> None:
    from bot.slack.blocks import safe_url, text_fragment_url

    assert text_fragment_url("https://e.org/app#/story/12", "It was signed.") == (
        "https://e.org/app#/story/12:~:text=It%20was%20signed."
    )
    assert text_fragment_url("https://e.org/a#:~:text=old", "New words.") == (
        "https://e.org/a#:~:text=New%20words."
    )
    assert safe_url("https://e.org/100%-sure?q=50%25") == "https://e.org/100%25-sure?q=50%25"


def test_direction_overrides_are_removed_from_article_text() -> None:
    assert escape("report\u202efdp.exe and \u2066isolated\u2069") == "reportfdp.exe and isolated"
