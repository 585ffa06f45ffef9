"""Second-pass attacks on today's fixes (acknowledgements, /brief typos) that found bugs
the fixes left or introduced. Each test fails on the code it was written against, for
the reason its docstring gives; see the review report for the root cause and the fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_slack_app import Running, block_text, run_app, slack_settings

from bot.core.briefing import Briefing
from bot.core.models import Turn
from slackkit import BOT_USER, next_ts
from standins import SlackAPIStandIn

QUESTION = "What does the memorandum commit the countries to?"
ANSWER = "The agreement is of a non-binding nature [1]."
HISTORY = (Turn("user", QUESTION), Turn("assistant", ANSWER))


@pytest.fixture
def running(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    yield from run_app(slack_settings(database_url, tmp_path, api), api)


# ------------------------------------------------------------------ thanks, as people say it


@pytest.mark.parametrize(
    "thanks",
    ["merci", "danke", "thanks everyone", "thanks guys", "thank you both", "haha thanks",
     "thanks a ton", "thanks, very clear"],
)  # fmt: skip
def test_thanks_as_people_say_it_is_not_answered_with_the_last_answer_again(
    briefing: Briefing, thanks: str
) -> None:
    """The acknowledgement fix (15d3bc8) knows thanks only in English, and only with
    the few words of _AROUND_ACKNOWLEDGING beside it: any other word ("everyone",
    "guys", "both", "haha", "ton", "clear") or another language ("merci") makes it a
    question. It is then condensed with the thread's terms ("thanks everyone (memorandum
    commit countries)"), passes the gate, and the previous answer is given again, logged
    as an answered question (and counted among the digest's most-asked): the bug
    15d3bc8 fixed for "thanks!"."""
    answer = briefing.ask(thanks, history=HISTORY)
    assert not answer.answered, answer.answer
    assert "non-binding" not in answer.answer


def test_thanks_to_briefbot_by_name_is_not_refused(briefing: Briefing) -> None:
    """ "thanks briefbot" after an answer (a DM, the assistant pane) is told "Not in the
    sources: none of the stored articles covers this question, so I won't guess", where
    "thanks!" gets the reply an acknowledgement gets."""
    answer = briefing.ask("thanks briefbot", history=HISTORY)
    assert answer.mode == "help", answer.answer


@pytest.mark.parametrize(
    "thanks", ["thanks everyone", "thanks Maria!", "thanks briefbot", "merci", "gracias!"]
)
def test_thanks_as_people_say_it_in_a_followed_thread_gets_no_reply(
    running: Running, thanks: str
) -> None:
    """In a thread briefbot follows, a colleague's "thanks everyone" or "merci" is
    chatter, as "thanks!" is since 15d3bc8: it gets the memorandum answer again
    ("thanks everyone", "merci") or a "Not in the sources" refusal ("thanks Maria!",
    "thanks briefbot", "gracias!") posted in the thread."""
    _, root = running.slack.mention(QUESTION)
    running.api.wait_for("chat.postMessage")
    answered = running.api.calls("chat.postMessage")[0]
    running.api.set_replies(
        "C1",
        root,
        [
            {"ts": root, "user": "U1", "text": f"<@{BOT_USER}> {QUESTION}"},
            {"ts": next_ts(), "bot_id": "BBOT", "user": BOT_USER,
             "text": answered.params["text"]},
        ],
    )  # fmt: skip
    running.slack.message(thanks, thread_ts=root, user="U2")
    running.settle()
    assert len(running.posts()) == 1, block_text(running.posts()[-1].json_param("blocks"))


# ------------------------------------------------------------------ /brief one-word questions


@pytest.mark.parametrize(
    "word",
    [
        "Soares",  # a surname: "Did you mean `/brief sources`?"
        "substations",  # an energy briefing's word: "... `/brief subscriptions`?"
        "divest",  # "... `/brief digest`?"
        "feuds",  # "... `/brief feeds`?"
        "outsource",  # "... `/brief sources`?"
    ],
)
def test_a_one_word_question_that_is_a_real_word_is_answered(running: Running, word: str) -> None:
    """_mistyped (ca66cf1) takes a one-word /brief text for a typo of a subcommand when
    it is close to one and "no English word", tested by bot.core.frequency.zipf, which
    reads wordfreq's *small* list (Zipf >= 3, about 30,000 words). Every rarer word, the
    names and specialist terms one-word questions are made of, counts as no word: the
    person is told "Did you mean `/brief sources`?" and their question is neither
    answered nor logged."""
    running.slack.command("/brief", word, running.api.response_url("w"))
    running.settle()
    said = " ".join(str(r.params.get("text")) for r in running.api.calls("response_url:w"))
    assert "Did you mean" not in said, said
    assert [r["question"] for r in running.briefing.log.export()] == [word]


# (/brief add <url>!: tests/test_web_attack.py, the web review's own test)
