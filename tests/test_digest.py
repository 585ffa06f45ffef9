"""The weekly digest's content: which articles are new in a period, their summaries, what
each side says, what the team asked, and the LLM-written digest behind the citation guard."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.digest import MARKER, lead_sentence
from bot.core.period import Period, iso_week
from bot.core.text import contains_verbatim, sentence_spans
from conftest import EVALS, FakeTime, WallClock, article_text, make_settings
from standins import OpenAIStandIn
from storage import exchanges

W13 = iso_week("2019-W13", "UTC")  # 25 March - 1 April 2019
COALITION = "Rights Coalition Says Border Security Memorandum Ignores Poverty"
ANALYST = "Analyst Warns Conditions on Central American Aid Could Undercut Border Cooperation"
SOURCE_BLOCK = re.compile(r'<source id="(\d+)">\n(.*?)\n(.*?)\n</source>', re.DOTALL)


def write(folder: Path, name: str, body: str, published: str | None = None) -> Path:
    front = f"---\ntitle: {name}\nsource: Test Wire\npublished: {published}\n---\n\n"
    path = folder / f"{name.lower().replace(' ', '-')}.md"
    path.write_text((front if published else f"{name}\n\n") + body, encoding="utf-8")
    if not published:
        path = path.rename(path.with_suffix(".txt"))
    return path


def bare(text: str) -> str:
    """A digest sentence without its citation markers, for comparing with the article."""
    return MARKER.sub("", text).replace(" .", ".").strip()


@pytest.fixture
def clock() -> WallClock:
    return WallClock()


@pytest.fixture
def briefing(settings: Settings, clock: WallClock) -> Iterator[Briefing]:
    """The service over the seed, on a wall clock a test can set (``clock.at``)."""
    with Briefing.open(settings, clock=clock) as b:
        yield b


def test_an_article_belongs_to_the_week_of_its_date_or_else_of_its_ingestion(
    briefing: Briefing, clock: WallClock, tmp_path: Path
) -> None:
    body = "The harbour authority counted forty new fishing boats in the bay this week.\n"
    with clock.at(datetime(2019, 4, 3, 12, tzinfo=UTC)):
        briefing.ingest(
            [
                write(tmp_path, "Dated in W13", body.replace("forty", "ten"), "2019-03-28"),
                write(tmp_path, "Dated in W14", body.replace("forty", "six"), "2019-04-02"),
                write(tmp_path, "Undated", body),  # ingested now: week 14
            ]
        )
    titles = [a.title for a in briefing.digests.digest(W13).articles]
    assert titles == ["Dated in W13"]
    w14 = briefing.digests.digest(iso_week("2019-W14", "UTC"))
    assert [a.title for a in w14.articles] == ["Undated", "Dated in W14"]  # newest first
    undated = w14.articles[0]
    assert undated.published is None and undated.added.date() == date(2019, 4, 3)
    assert "Undated — Test" not in w14.text and "undated (added 2019-04-03)" in w14.text


def test_an_undated_article_is_filed_by_local_time(
    briefing: Briefing, clock: WallClock, tmp_path: Path
) -> None:
    # 02:00 UTC on Monday 1 April is still Sunday evening in New York.
    with clock.at(datetime(2019, 4, 1, 2, tzinfo=UTC)):
        briefing.ingest([write(tmp_path, "Late Sunday", "A late report on the new bridge opened.")])
    ny = Period(date(2019, 3, 25), date(2019, 4, 1), "America/New_York")
    assert [a.title for a in briefing.digests.digest(ny).articles] == ["Late Sunday"]
    assert briefing.digests.digest(W13).articles == ()


def test_summaries_are_verbatim_sentences_not_bylines_or_datelines(
    briefing: Briefing, tmp_path: Path
) -> None:
    body = (
        "By Ana Ruiz, Staff Writer\n\n"
        "Updated 28 March 2019\n\n"
        "TEGUCIGALPA, Honduras (Test Wire) — Ministers from four countries agreed on "
        "Wednesday to share intelligence on the smuggling networks that move people along "
        "their borders.\n\n"
        "“We will not rest until the networks are gone,” the minister said at the signing.\n\n"
        "The agreement sets up a joint office in Tegucigalpa that will exchange information "
        "on smuggling routes within hours rather than weeks.\n"
    )
    briefing.ingest(
        [write(tmp_path, "Ministers agree on smuggling intelligence", body, "2019-03-27")]
    )
    [article] = briefing.digests.digest(W13).articles
    assert article.summary.startswith("Ministers from four countries agreed on Wednesday")
    assert "Ana Ruiz" not in article.summary and "TEGUCIGALPA" not in article.summary
    assert "We will not rest" not in article.summary  # speech is not a summary
    text = article_text(briefing, article.article_id)
    for sentence in sentence_spans(bare(article.summary)):
        assert contains_verbatim(text, sentence.of(bare(article.summary)))
    assert [c.marker for c in article.citations] == [1]
    assert article.citations[0].text in text


def test_each_side_is_cited_and_attributed_to_who_said_it(full_briefing: Briefing) -> None:
    digest = full_briefing.digests.digest(Period(date(2019, 3, 25), date(2019, 4, 8), "UTC"))
    assert {a.title[:40] for a in digest.articles} == {COALITION[:40], ANALYST[:40]}
    sides = {s.key: s for s in digest.sides}
    assert set(sides) == {"critics", "officials"}
    critics = sides["critics"].statements
    assert critics and sides["officials"].statements
    assert any(s.speaker.startswith("Marisol Quintanar") for s in critics)
    by_marker = {c.marker: c for c in digest.citations}
    for side in digest.sides:
        for statement in side.statements:
            [citation] = statement.citations
            assert by_marker[citation.marker] == citation
            sentence = bare(statement.text)
            assert contains_verbatim(citation.text, sentence)  # verbatim, in its source
            assert statement.speaker.split(",")[0] in sentence  # the sentence names them
    assert "\n- Marisol Quintanar, the coalition's spokesperson: “A memorandum" in digest.text


def test_an_article_outside_the_debate_gives_no_side(briefing: Briefing, tmp_path: Path) -> None:
    body = (
        "The city council approved the new bus lanes on Monday night after a long debate.\n\n"
        "Opponents on the council raised concerns about the loss of parking spaces.\n"
    )
    briefing.ingest([write(tmp_path, "Council approves bus lanes", body, "2019-03-26")])
    digest = briefing.digests.digest(W13)
    assert len(digest.articles) == 1
    assert not any(s.statements for s in digest.sides)
    assert "No statement this week says who said it." in digest.text


def _log(briefing: Briefing, when: datetime, question: str, **fields: Any) -> None:
    values: dict[str, Any] = {"surface": "mention", "answered": True, "user": "U0SECRET1"}
    values.update(fields)
    with briefing.db.session() as s:
        record = exchanges.ExchangeRecord(question=question, created_at=when, **values)
        exchanges.record_exchange(session=s, exchange=record)


def test_what_the_team_asked_is_grouped_without_names(briefing: Briefing) -> None:
    monday = datetime(2019, 3, 25, 10, tzinfo=UTC)
    _log(briefing, monday, "What does the memorandum commit the countries to?", feedback=1)
    _log(
        briefing,
        monday + timedelta(hours=1),
        "what does the pact commit the countries to",
        feedback=1,
    )
    _log(briefing, monday + timedelta(days=1), "What does the memorandum commit the countries to?")
    _log(briefing, monday + timedelta(days=2), "Who criticised the deal?", feedback=-1)
    _log(briefing, monday + timedelta(days=2), "How many migrants crossed in 2019?", answered=False)
    _log(briefing, monday + timedelta(days=3), "how many migrants crossed in 2019", answered=False)
    _log(briefing, monday + timedelta(days=3), "Why?", answered=False, error="llm: timeout")
    _log(briefing, monday + timedelta(days=3), "non-binding", surface="slash_quote")  # a topic
    _log(briefing, datetime(2019, 3, 24, 23, 59, tzinfo=UTC), "Asked the week before?")
    _log(briefing, monday + timedelta(days=7), "Asked the week after?")
    digest = briefing.digests.digest(W13)
    q = digest.questions
    assert (q.asked, q.answered, q.not_answered, q.failed) == (7, 4, 2, 1)
    assert [(g.question, g.count) for g in q.most_asked][:2] == [
        ("What does the memorandum commit the countries to?", 3),
        ("How many migrants crossed in 2019?", 2),
    ]
    assert [(g.question, g.count) for g in q.unanswered] == [
        ("How many migrants crossed in 2019?", 2)
    ]
    assert (q.helpful, q.unhelpful) == (2, 1)
    rendered = json.dumps(digest.as_dict()) + digest.text
    assert "U0SECRET1" not in rendered and "non-binding" not in rendered
    assert "Could not answer (sources to add next):\n- How many migrants crossed in 2019? (2)" in (
        digest.text
    )


def test_questions_asked_privately_count_but_are_never_shown(briefing: Briefing) -> None:
    """The digest is posted to channels: a question asked in a DM, in the assistant pane or
    with /brief (answered to the asker only) is counted, never quoted."""
    monday = datetime(2019, 3, 25, 10, tzinfo=UTC)
    _log(briefing, monday, "Who criticised the deal?", surface="slack_mention")
    for surface in ("slack_dm", "slack_assistant", "slash_brief"):
        _log(briefing, monday, f"Confidential: does it affect our source ({surface})?",
             surface=surface, answered=False)  # fmt: skip
    digest = briefing.digests.digest(W13)
    assert digest.questions.asked == 4
    assert [g.question for g in digest.questions.most_asked] == ["Who criticised the deal?"]
    assert digest.questions.unanswered == ()
    assert "Confidential" not in json.dumps(digest.as_dict()) + digest.text


def test_help_replies_are_no_questions_and_wordless_ones_are_not_one_group(
    briefing: Briefing,
) -> None:
    """A question that got the help reply ("tell me about it", another language) asked
    nothing the sources could answer: it is not a source to add next; nor is a quote's
    topic, from Slack or the command line. Questions of no content words ("Why?", "Who
    is he?") are each only themselves."""
    monday = datetime(2019, 3, 25, 10, tzinfo=UTC)
    _log(briefing, monday, "tell me about it", answered=False, mode="help")
    _log(briefing, monday, "¿Qué dice el memorando?", answered=False, mode="help")
    _log(briefing, monday, "bitcoin", answered=False, mode="quotes", surface="cli")  # a topic
    for question in ("Why?", "Who is he?", "Why?", "What about them?"):
        _log(briefing, monday, question, answered=False, mode="extractive")
    questions = briefing.digests.digest(W13).questions
    assert questions.asked == 4
    assert sorted((g.question, g.count) for g in questions.unanswered) == [
        ("What about them?", 1),
        ("Who is he?", 1),
        ("Why?", 2),
    ]


def test_an_empty_week_says_so_and_keeps_the_questions(briefing: Briefing) -> None:
    _log(briefing, datetime(2019, 3, 26, tzinfo=UTC), "Who signed the memorandum?")
    digest = briefing.digests.digest(W13)
    assert digest.empty
    assert "No new articles this week." in digest.text
    assert "Who signed the memorandum? (1)" in digest.text
    data = digest.as_dict()
    assert data["articles"] == [] and data["period"]["since"] == "2019-03-25T00:00:00+00:00"
    assert [s["id"] for s in data["sections"]] == ["new", "sides", "questions"]


# ---------------------------------------------------------------------------- with an LLM


def sources_in(body: dict[str, Any]) -> dict[int, str]:
    user = body["messages"][-1]["content"]
    return {int(m.group(1)): m.group(3) for m in SOURCE_BLOCK.finditer(user)}


def digest_model(body: dict[str, Any]) -> str:
    """A model that summarises from source 1, and for the sides attributes one statement
    properly, one to somebody the sources never mention, one that is only a citation,
    and one to a source that is not there."""
    system = body["messages"][0]["content"]
    sources = sources_in(body)
    if "You summarise" in system:
        first = sentence_spans(sources[1])[0].of(sources[1])
        return f"In short: {first.rstrip('.')} [1]."
    quintanar = next(n for n, text in sources.items() if "Quintanar" in text)
    return (
        "Critics:\n"
        f"- Marisol Quintanar: The coalition's spokesperson said the memorandum treats "
        f"migration only as a security problem [{quintanar}].\n"
        f"- Jane Invented: The plan is a disgrace [{quintanar}].\n"
        f"- Marisol Quintanar: [{quintanar}]\n"
        "- Someone: Something uncited [42].\n"
        "Officials:\n"
        "- Officials: Officials described it as historic [77]."
    )


@pytest.fixture
def smart(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn, fake_time: FakeTime
) -> Iterator[Briefing]:
    """The LLM writes digests; its waits before a retry are recorded, not spent."""
    settings = make_settings(
        database_url,
        tmp_path,
        openai_base_url=llm.base_url,
        openai_api_key="sk-test",
        model="gpt-4o-mini",
        llm_timeout=2,
    )
    with Briefing.open(settings, timing=fake_time.timing) as b:
        b.ingest([EVALS / "articles"])
        yield b


TWO_WEEKS = Period(date(2019, 3, 25), date(2019, 4, 8), "UTC")


def test_an_llm_digest_is_guarded_cited_and_attributed(smart: Briefing, llm: OpenAIStandIn) -> None:
    llm.reply_with(digest_model)
    digest = smart.digests.digest(TWO_WEEKS)
    assert digest.mode == "llm"
    for article in digest.articles:
        assert article.summary.startswith("In short:") and article.citations
        assert contains_verbatim(article.citations[0].text, bare(article.summary)[10:-1])
    critics = {s.key: s for s in digest.sides}["critics"].statements
    assert [s.speaker for s in critics] == ["Marisol Quintanar"]  # the invented one is gone
    assert "Quintanar" in critics[0].citations[0].text
    assert not {s.key: s for s in digest.sides}["officials"].statements  # [77] cited nothing
    assert "[42]" not in digest.text and "[77]" not in digest.text
    prompts = [r.body["messages"][0]["content"] for r in llm.requests_for("chat")]
    assert sum("You summarise" in p for p in prompts) == 2  # one call per article
    assert smart.digests.digest(TWO_WEEKS) is digest  # unchanged sources: not written twice
    assert len(llm.requests_for("chat")) == 3


def test_a_summary_cut_at_the_token_limit_loses_its_unfinished_sentence(
    smart: Briefing, llm: OpenAIStandIn
) -> None:
    """As for answers: a summary the model stopped at max_tokens (finish_reason "length")
    ends mid-sentence, and that half sentence goes, though its citation is valid."""

    def cut_short(body: dict[str, Any]) -> str:
        return digest_model(body) + " It also said the countries [1] would"

    llm.reply_with(cut_short)
    llm.cut_at_length(times=None)
    digest = smart.digests.digest(TWO_WEEKS)
    assert digest.mode == "llm"
    for article in digest.articles:
        assert article.summary.startswith("In short:")
        assert "It also said" not in article.summary


def test_a_failing_model_leaves_an_extractive_digest_with_a_note(
    smart: Briefing, llm: OpenAIStandIn, tmp_path: Path
) -> None:
    body = "The harbour report counted new boats in the bay, the port authority said on Monday.\n"
    smart.ingest(
        [
            write(tmp_path, f"Harbour report {n}", body.replace("new", f"{n} new"), "2019-03-27")
            for n in range(10)
        ]
    )
    llm.fail(status=500, times=None)
    digest = smart.digests.digest(TWO_WEEKS)
    assert len(digest.articles) == 12
    assert all(a.summary and a.citations for a in digest.articles)
    assert digest.mode == "extractive"
    assert digest.notes and "the rest of this digest is extractive" in digest.notes[0]
    # The first failure stops the writer: a few calls in flight, not one (or two) per article.
    assert len(llm.requests_for("chat")) <= 8


def test_the_lead_is_the_first_whole_sentence_verbatim() -> None:
    assert lead_sentence("The minister called it ‘a good deal for all.’ Critics disagreed.") == (
        "The minister called it ‘a good deal for all.’"
    )
    chinese = "边境安全备忘录在特古西加尔巴签署。批评者表示反对。" * 3
    assert lead_sentence(chinese) == "边境安全备忘录在特古西加尔巴签署。"
    run_on = "word " * 300
    lead = lead_sentence(run_on)
    assert lead.endswith("…") and len(lead) <= 401 and run_on.startswith(lead[:-1])


def test_digest_json_has_the_documented_fields(full_briefing: Briefing) -> None:
    data = full_briefing.digests.digest(TWO_WEEKS).as_dict()
    assert set(data["period"]) == {"since", "until", "timezone"}
    assert {"title", "source", "url", "published", "summary", "citations"} <= set(
        data["articles"][0]
    )
    assert data["text"].startswith("Digest · 25 Mar – 7 Apr 2019 (UTC)")  # two weeks
    assert isinstance(data["sections"], list)


def test_a_bracketed_number_in_an_article_never_reads_as_a_digest_citation(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "under section [2] of the plan" in a summary would read as the digest's citation
    [2] (or lose its "[2]", and with it its verbatim words): such a sentence is not used,
    nor a speaker's "Clause [1] of the memorandum ..."."""
    plan = tmp_path / "plan.md"
    plan.write_text(
        "---\ntitle: Ministers agree on smuggling intelligence plan\nsource: Test Wire\n"
        "published: 2019-03-27\n---\n\nMinisters from four countries agreed on Wednesday to "
        "share smuggling intelligence under section [2] of the plan.\n\nThe smuggling "
        "intelligence plan will be reviewed by the ministers of the four countries again "
        "next year in Tegucigalpa.\n",
        encoding="utf-8",
    )
    critics = tmp_path / "critics.md"
    critics.write_text(
        "---\ntitle: Rights coalition criticises border security memorandum\nsource: Ledger\n"
        "published: 2019-03-27\n---\n\nA coalition of human-rights organisations has "
        "criticised the memorandum of cooperation on border security.\n\n“Clause [1] of the "
        "memorandum treats migration only as a security problem,” said Marisol Quintanar, "
        "the coalition's spokesperson.\n",
        encoding="utf-8",
    )
    assert briefing.ingest([plan, critics]).added == 2
    digest = briefing.digests.digest(W13)
    assert "section [" not in digest.text and "Clause [" not in digest.text, digest.text
    assert "under section of the plan" not in digest.text  # nor the words without it
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", digest.text)}
    assert markers <= set(range(1, len(digest.citations) + 1))
