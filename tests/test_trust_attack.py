"""Attacks on the trust core: quotes, citations in model answers, and article text that
reaches Slack. Each test is a bug a user saw; see the commit that fixed it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_llm import llm_settings, sources_in
from test_slack_app import Running, _answered, block_text, run_app, slack_settings

from bot.core.briefing import Briefing
from bot.core.digest_llm import read_sides
from bot.core.guard import guard_answer
from bot.core.text import paragraph_spans
from standins import OpenAIStandIn, SlackAPIStandIn
from storage.articles import Passage


@pytest.fixture
def running(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    yield from run_app(slack_settings(database_url, tmp_path, api), api)


TURNOUT = """Turnout Falls in the Rural Districts

Turnout in the referendum fell to <40% in the rural districts, officials said on Monday.
Support for the measure was >70% in the capital, according to the electoral commission.
"""


def test_a_less_than_sign_the_model_copied_is_not_taken_for_a_stray_quotation_mark(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    """The model sees an article's "<40%" as "‹40%" (so it cannot close its <source>
    block) and writes what it saw in its own words. The guard took the "‹" for a stray
    quotation mark and removed it: the reader was told turnout fell *to 40%*, which
    no source says."""
    article = tmp_path / "turnout.txt"
    article.write_text(TURNOUT, encoding="utf-8")
    with Briefing.open(llm_settings(database_url, tmp_path, llm)) as b:
        assert b.ingest([article]).added == 1

        def paraphrase(body: dict[str, Any]) -> str:
            marker = next(n for n, t in sources_in(body).items() if "‹40%" in t)
            return (
                f"Turnout fell to ‹40% in the rural districts [{marker}]. Support was "
                f"›70% in the capital [{marker}]."
            )

        llm.reply_with(paraphrase)
        answer = b.ask("How far did turnout fall in the rural districts?")
    assert answer.mode == "llm", answer.note
    assert not re.search(r"(?<![‹<])40%", answer.answer), answer.answer
    assert not re.search(r"(?<![›>])70%", answer.answer), answer.answer
    assert answer.guard is not None and answer.guard.removed_quotes == ()


def test_guillemets_beside_sources_without_angle_brackets_are_still_stray_marks() -> None:
    """What the fix above keeps: "‹" and "›" stay only where a cited source holds one
    (the model was shown an article's "<" or ">"); elsewhere they are quotation marks
    around words nobody checked, and go."""
    sources = {1: "Officials said the deal would be a turning point for the region."}
    guarded = guard_answer("Officials called it ‹a turning point for everyone› [1].", sources)
    assert "‹" not in guarded.text and "›" not in guarded.text
    assert guarded.report.removed_quotes


def _passage(number: int, text: str) -> Passage:
    return Passage(number, number, f"Story {number}", None, None, None, 1, text, 0, len(text))


def test_a_digest_speaker_keeps_no_citation_marker_of_the_model_s_own_numbering() -> None:
    """A model writes "- Nielsen [1]: ..." in the sides section. The statement's markers
    are renumbered for the digest, but the speaker's "[1]" was shown as written: in the
    posted digest it pointed at whatever the digest numbers [1] (another article's
    summary), or at nothing."""
    passages = (
        _passage(1, "Nielsen defended the memorandum on Tuesday, saying it protects the border."),
        _passage(2, "The Dunmore Nurses' Union called the deal a gift to smugglers."),
    )
    text = (
        "Supporters:\n- Nielsen [1]: The memorandum protects the border [1].\n"
        "Critics:\n- Dunmore Nurses' Union [2]: The deal is a gift to smugglers [2]."
    )
    sides = read_sides(text, passages, [("supporters", "Supporters"), ("critics", "Critics")])
    assert sides is not None
    speakers = [speaker for said in sides.values() for speaker, _ in said]
    assert speakers == ["Nielsen", "Dunmore Nurses' Union"]


def test_show_quotes_says_which_source_each_passage_is(running: Running) -> None:
    """An answer cites [1], [2]...; *Show quotes* listed the cited passages without their
    numbers, so a reader could not tell which passage a marker points at (two passages of
    one article looked alike but for a paragraph number)."""
    exchange_id = _answered(running)
    row = running.briefing.log.get(exchange_id)
    assert row is not None and row.citations
    running.slack.click("show_quotes", exchange_id, running.api.response_url("sq"))
    blocks = running.api.wait_for("response_url:sq")[0].params["blocks"]
    text = block_text(blocks)
    for citation in row.citations:
        assert f"[{citation['marker']}] " in text, text


HARBOUR = "Harbour Dredging Plan\n\n" + "\n\n".join(
    f"The harbour board met on day {n} and discussed the dredging plan for berth {n}. "
    f"Members said the dredging of berth {n} would take {n + 2} weeks."
    for n in range(1, 13)
)


def test_a_model_s_citation_names_only_the_paragraphs_the_model_was_shown(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    """A passage that does not fit the prompt whole is cut to its leading sentences. The
    citation showed that cut text but named every paragraph of the whole passage
    ("¶5–9" beside the text of paragraph 5): the source list sent the reader to
    paragraphs the model never saw."""
    article = tmp_path / "harbour.txt"
    article.write_text(HARBOUR, encoding="utf-8")
    settings = llm_settings(database_url, tmp_path, llm, context_tokens=260)
    with Briefing.open(settings) as b:
        assert b.ingest([article]).added == 1
        llm.reply_with(
            lambda body: f"The board discussed the dredging plan [{max(sources_in(body))}]."
        )
        answer = b.ask("What did the harbour board discuss about the dredging plan?")
    assert answer.mode == "llm", answer.note
    (citation,) = answer.citations
    shown = len(paragraph_spans(citation.text))
    assert citation.paragraph is not None
    assert (citation.paragraph_end or citation.paragraph) == citation.paragraph + shown - 1


def test_quotes_from_a_long_paragraph_of_quotes_that_never_close_come_at_once(
    briefing: Briefing, tmp_path: Path
) -> None:
    """German „…“ read by an English reader opens a “ that never closes. Every such
    opener scanned to the end of its line for a closer, so a quote request over a long
    one-line article with hundreds of them took seconds (a megabyte: most of an hour).
    Here: that such a paragraph is quoted right (speed is measured in bench/, not by
    timed tests; before the fix this test took 10 s)."""
    sentence = (
        "Der Minister sagte „wir werden den Hafen bis Mai ausbaggern“ und ging. "
        "The harbour dredging plan was approved on Monday. "
    )
    article = tmp_path / "harbour.txt"
    article.write_text("Harbour Dredging Plan\n\n" + sentence * 600, encoding="utf-8")
    assert briefing.ingest([article]).added == 1
    quotes = briefing.quote("harbour dredging plan", limit=3)
    assert quotes and all("dredging plan" in q.text for q in quotes)


def test_a_model_reply_of_unclosed_quotation_marks_is_guarded_at_once() -> None:
    """A server that ignores max_tokens may send a reply of up to 40,000 characters; one
    of curly opening quotes alone kept the guard busy for minutes (quadratic in them)."""
    sources = {1: "The memorandum was signed in Tegucigalpa on Tuesday."}
    guarded = guard_answer("The memorandum was signed [1]. " + "“" * 20_000, sources)
    assert guarded.text == "The memorandum was signed [1]."
