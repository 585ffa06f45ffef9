"""The Slack app over real HTTP, with signed requests, against the recording Web API stand-in.

Covers every listener, slash command and button, signatures, retries and duplicates, bot
messages, rate limits from the Web API, mrkdwn escaping, streaming, failures and the log.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.slack.answer_blocks import answer_message
from bot.slack.app import build_app, make_web_client
from bot.slack.conversation import CHATTER_NOTE
from bot.slack.front import SlackFront
from conftest import CORPUS, EVALS, make_settings
from slackkit import (
    BOT_TOKEN,
    BOT_USER,
    SIGNING_SECRET,
    TEAM,
    SlackDriver,
    TrackingExecutor,
    Waits,
    next_ts,
    serve_in_thread,
    shared_file,
    wait_until,
)
from standins import OpenAIStandIn, SlackAPIStandIn

SEED_TITLE = "Central America-US Security Cooperation Deal questioned by Activists"


@dataclass
class Running:
    slack: SlackDriver
    briefing: Briefing
    settings: Settings
    api: SlackAPIStandIn
    work: TrackingExecutor
    bolt: TrackingExecutor
    #: The waits the Web API client's retries asked for (none is waited).
    waits: Waits
    #: The pool that fetches the pages and feeds added from Slack.
    fetches: TrackingExecutor

    def settle(self) -> None:
        """Wait until every ack'd request's background work is done."""
        for _ in range(3):
            self.bolt.drain()
            self.work.drain()
            self.fetches.drain()

    def posts(self) -> list[Any]:
        return self.api.calls("chat.postMessage")


def slack_settings(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, **extra: Any
) -> Settings:
    return make_settings(
        database_url,
        tmp_path,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api.url,
        **extra,
    )


def run_app(settings: Settings, api: SlackAPIStandIn) -> Iterator[Running]:
    work, bolt, waits = TrackingExecutor(4), TrackingExecutor(4), Waits()
    fetches = TrackingExecutor(2)
    with Briefing.open(settings) as briefing:
        client = make_web_client(settings, sleep=waits)
        app = build_app(
            settings, briefing, client=client, work=work, fetch_work=fetches, listener_executor=bolt
        )
        assert [c.method for c in api.calls()] == ["auth.test"]  # the start-up check
        api.clear()
        with serve_in_thread(SlackFront(app, SIGNING_SECRET)) as url:
            running = Running(SlackDriver(url), briefing, settings, api, work, bolt, waits, fetches)
            yield running
            running.settle()
    work.shutdown()
    bolt.shutdown()
    fetches.shutdown()


@pytest.fixture
def running(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    yield from run_app(slack_settings(database_url, tmp_path, api), api)


def block_text(blocks: list[dict[str, Any]]) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b.get("text"), dict):
            out.append(b["text"]["text"])
        for e in b.get("elements", []):
            if isinstance(e.get("text"), str):
                out.append(e["text"])
            elif isinstance(e.get("text"), dict):
                out.append(e["text"]["text"])
    return "\n".join(out)


def action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


# ---------------------------------------------------------------------------- mentions


def test_mention_is_answered_in_its_thread(running: Running) -> None:
    response, ts = running.slack.mention("What does the memorandum commit the countries to?")
    assert response.status == 200
    post = running.api.wait_for("chat.postMessage")[0]
    assert post.params["channel"] == "C1"
    assert post.params["thread_ts"] == ts
    blocks = post.json_param("blocks")
    text = block_text(blocks)
    assert "non-binding" in text
    assert "*Sources*" in text and SEED_TITLE in text
    assert action_ids(blocks) == ["show_quotes", "feedback_up", "feedback_down"]
    assert post.token == BOT_TOKEN
    row = running.briefing.log.export()[-1]
    assert (row["surface"], row["channel"], row["user"], row["workspace"]) == (
        "slack_mention",
        "C1",
        "U1",
        TEAM,
    )
    assert row["thread_ts"] == ts and row["message_ts"] == ts
    assert f"log id {row['id']}" in text


def test_follow_up_in_the_thread_uses_its_history(running: Running) -> None:
    _, root = running.slack.mention("What does the memorandum commit the countries to?")
    running.api.wait_for("chat.postMessage")
    running.api.set_replies(
        "C1",
        root,
        [
            {
                "ts": root,
                "user": "U1",
                "text": f"<@{BOT_USER}> What does the memorandum commit to?",
            },
            {"ts": next_ts(), "bot_id": "BBOT", "user": BOT_USER, "text": "It is non-binding [1]."},
        ],
    )
    # No mention: answered only because briefbot already answers in this thread.
    running.slack.message("And what do critics say about it?", thread_ts=root)
    posts = running.api.wait_for("chat.postMessage", count=2)
    assert posts[1].params["thread_ts"] == root
    row = running.briefing.log.export()[-1]
    assert row["surface"] == "slack_thread"
    assert "memorandum" in (row["standalone_question"] or "")
    assert running.api.calls("conversations.replies")


def _turns(running: Running, root: str) -> list[tuple[str, str]]:
    """The thread at ``root`` in C1 as briefbot reads it: (role, text) per turn."""
    from bot.slack.conversation import thread_history

    client = make_web_client(
        Settings.isolated(slack_bot_token=BOT_TOKEN, slack_api_url=running.api.url)
    )
    return [(t.role, t.text) for t in thread_history(client, "C1", root, next_ts(), BOT_USER)]


def test_another_app_s_posts_are_not_turns_of_the_thread(running: Running) -> None:
    """A CI bot's post in the thread is neither a question nor briefbot's own answer."""
    root = next_ts()
    running.api.set_replies(
        "C1",
        root,
        [
            {"ts": root, "user": "U1", "text": "What does the memorandum commit to?"},
            {"ts": next_ts(), "bot_id": "BBOT", "user": BOT_USER, "text": "Talks [1]."},
            {"ts": next_ts(), "bot_id": "BCI", "user": "U0CI", "text": "Build 42 passed."},
        ],
    )
    assert _turns(running, root) == [
        ("user", "What does the memorandum commit to?"),
        ("assistant", "Talks [1]."),
    ]


def test_a_deleted_message_is_not_a_turn_of_the_thread(running: Running) -> None:
    """A thread whose first message was deleted keeps it as a tombstone ("This message
    was deleted.", from Slackbot): that is not something anyone asked."""
    root = next_ts()
    running.api.set_replies(
        "C1",
        root,
        [
            {"ts": root, "user": "USLACKBOT", "subtype": "tombstone", "hidden": True,
             "text": "This message was deleted.", "thread_ts": root, "reply_count": 2},
            {"ts": next_ts(), "bot_id": "BBOT", "user": BOT_USER, "text": "Talks [1]."},
            {"ts": next_ts(), "user": "U1", "text": "And the critics?"},
        ],
    )  # fmt: skip
    assert _turns(running, root) == [
        ("assistant", "Talks [1]."),
        ("user", "And the critics?"),
    ]


def test_messages_in_other_threads_are_left_alone(running: Running) -> None:
    running.slack.message("What does the memorandum commit to?", thread_ts=next_ts())
    running.slack.message("A top-level channel message about the memorandum.")
    running.settle()
    assert running.posts() == []


def test_direct_messages_are_answered(running: Running) -> None:
    running.slack.message("Who criticised the deal?", channel="D1", channel_type="im")
    post = running.api.wait_for("chat.postMessage")[0]
    assert post.params["channel"] == "D1"
    assert "thread_ts" not in post.params or post.params["thread_ts"] in (None, "")
    assert "activists" in block_text(post.json_param("blocks")).lower()
    assert running.briefing.log.export()[-1]["surface"] == "slack_dm"


def test_out_of_scope_mention_says_not_in_the_sources(running: Running) -> None:
    running.slack.mention("What is the capital of France?")
    post = running.api.wait_for("chat.postMessage")[0]
    blocks = post.json_param("blocks")
    assert "Not in the sources" in block_text(blocks)
    assert "show_quotes" not in action_ids(blocks)


def test_a_mention_that_also_pings_a_group_asks_the_question_typed(running: Running) -> None:
    """Slack writes "@policy-team" as <!subteam^...|@policy-team>: whom a message is
    addressed to is not part of the question (it drew "Not in the sources")."""
    running.slack.mention("<!subteam^S0POL|@policy-team> <!here> who criticised the deal?")
    post = running.api.wait_for("chat.postMessage")[0]
    assert "activists" in block_text(post.json_param("blocks")).lower()
    assert running.briefing.log.export()[-1]["question"] == "who criticised the deal?"


def test_an_empty_mention_gets_a_polite_prompt(running: Running) -> None:
    running.slack.mention("   ")
    post = running.api.wait_for("chat.postMessage")[0]
    assert "Ask me about " in post.params["text"] and "for example" in post.params["text"]


#: What Slack clients slip into pasted text, unseen: zero-width space, non-joiner and
#: joiner, word joiner, byte order mark (zero-width no-break space), no-break space.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00a0"


@pytest.mark.parametrize("text", ["\u200b", INVISIBLE, f" {INVISIBLE} \u200b "])
@pytest.mark.parametrize("where", ["mention", "dm"])
def test_an_invisible_question_gets_the_empty_question_s_prompt(
    running: Running, text: str, where: str
) -> None:
    """A question of nothing but invisible characters is empty: it gets the polite
    prompt an empty one gets, and is not logged as a question declined for being "only
    punctuation"."""
    if where == "mention":
        running.slack.mention(text)
    else:
        running.slack.message(text, channel="D1", channel_type="im")
    post = running.api.wait_for("chat.postMessage")[0]
    assert "Ask me about " in post.params["text"] and "for example" in post.params["text"]
    assert "punctuation" not in post.params["text"]
    running.settle()
    assert running.briefing.log.export() == []


def test_invisible_characters_around_a_question_are_not_part_of_it(running: Running) -> None:
    """A mention or a DM is read as its asker saw it: the invisible characters a paste
    brought are not in the question searched and logged."""
    running.slack.mention("\u200bWho \u2060criticised the deal?\ufeff\u200d")
    post = running.api.wait_for("chat.postMessage")[0]
    assert "activists" in block_text(post.json_param("blocks")).lower()
    running.slack.message(
        "\ufeff\u00a0Who criticised the deal?\u200c", channel="D1", channel_type="im"
    )
    running.api.wait_for("chat.postMessage", count=2)
    running.settle()
    rows = running.briefing.log.export()
    assert [(r["surface"], r["question"]) for r in rows] == [
        ("slack_mention", "Who criticised the deal?"),
        ("slack_dm", "Who criticised the deal?"),
    ]


def test_a_mention_without_a_ts_or_a_channel_is_ignored(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """A malformed (but signed) app_mention is acked and left alone, in one log line."""
    for missing in ("ts", "channel"):
        event = {"type": "app_mention", "user": "U1", "text": f"<@{BOT_USER}> hi",
                 "ts": next_ts(), "channel": "C1", "team": TEAM}  # fmt: skip
        del event[missing]
        assert running.slack.event(event).status == 200
    running.settle()
    assert running.posts() == []
    assert "Traceback" not in caplog.text and "KeyError" not in caplog.text


def test_a_thread_where_briefbot_gave_a_hint_is_followed(running: Running) -> None:
    """ "Ask me about ..." invites a reply: the question that follows in the thread, with
    no mention, is answered, as in a thread where briefbot answered before."""
    _, root = running.slack.mention("   ")
    assert "Ask me about " in running.api.wait_for("chat.postMessage")[0].params["text"]
    running.slack.message("What does the memorandum commit the countries to?", thread_ts=root)
    posts = running.api.wait_for("chat.postMessage", count=2)
    assert posts[1].params["thread_ts"] == root
    assert "non-binding" in block_text(posts[1].json_param("blocks"))


def test_chatter_in_a_followed_thread_gets_no_reply(running: Running) -> None:
    """In a thread briefbot follows, a message that @-mentions someone else (a person, a
    user group) is for them, and thanks or an emoji draws no hint nor help text; a
    question is still answered."""
    _, root = running.slack.mention("What does the memorandum commit the countries to?")
    running.api.wait_for("chat.postMessage")
    for text in ("<@U3> can you check the budget numbers before Friday?", "<@U3>", "thanks!",
                 ":+1:", "\U0001f44d", ":tada: :tada:",
                 "<!subteam^S0POL|@policy-team> can you check the budget numbers by Friday?",
                 "<!subteam^S0POL> what do critics say about the memorandum?"):  # fmt: skip
        running.slack.message(text, thread_ts=root, user="U2")
    running.settle()
    assert len(running.posts()) == 1
    running.slack.message("And what do critics say about it?", thread_ts=root, user="U2")
    assert running.api.wait_for("chat.postMessage", count=2)[1].params["thread_ts"] == root


@pytest.mark.parametrize("chatter", ["\U0001f44d", "...", "thanks!"])
def test_chatter_in_a_followed_thread_is_logged_as_not_replied_to(
    running: Running, chatter: str
) -> None:
    """The log says what happened: chatter in a followed thread got no reply, so its row
    has no answer (not the "only punctuation" or help text nobody was sent) and a note
    that says why."""
    _, root = running.slack.mention("What does the memorandum commit the countries to?")
    running.api.wait_for("chat.postMessage")
    running.slack.message(chatter, thread_ts=root, user="U2")
    running.settle()
    assert len(running.posts()) == 1
    row = running.briefing.log.export()[-1]
    assert row["question"] == chatter and row["answered"] is False
    assert row["answer"] is None
    assert row["note"] == CHATTER_NOTE


def test_a_question_too_long_in_a_followed_thread_is_told_so(running: Running) -> None:
    """Chatter gets no reply in a followed thread, but a question too long is a question:
    its asker is told the limit, as in a mention or a DM, not left with nothing."""
    _, root = running.slack.mention("What does the memorandum commit the countries to?")
    running.api.wait_for("chat.postMessage")
    long_question = "What do critics say about the memorandum? " * 60
    running.slack.message(long_question, thread_ts=root, user="U2")
    told = running.api.wait_for("chat.postMessage", count=2)[1]
    assert told.params["thread_ts"] == root
    assert "characters long; the limit is 2,000" in told.params["text"]


def test_a_dm_thread_reply_also_sent_to_the_dm_is_a_follow_up(running: Running) -> None:
    """ "Also send to direct message" (thread_broadcast) keeps the reply in its thread."""
    root = next_ts()
    running.slack.message(
        "And what do critics say about it?", channel="D1", channel_type="im", thread_ts=root,
        subtype="thread_broadcast",
    )  # fmt: skip
    assert running.api.wait_for("chat.postMessage")[0].params.get("thread_ts") == root


def test_a_me_message_in_a_dm_is_answered(running: Running) -> None:
    running.slack.message(
        "wonders who criticised the deal?", channel="D1", channel_type="im", subtype="me_message"
    )
    assert running.api.wait_for("chat.postMessage")[0].params["channel"] == "D1"


@pytest.mark.parametrize(
    ("event", "status"),
    [
        ({"type": "assistant_thread_started", "event_ts": "1.2",
          "assistant_thread": {"user_id": "U1", "channel_id": "D1", "context": {}}}, 400),
        ({"type": "assistant_thread_started", "event_ts": "1.2",
          "assistant_thread": {"user_id": "U1", "thread_ts": "1.1", "context": {}}}, 400),
        ({"type": "app_home_opened", "channel": "D1", "tab": "home"}, 200),
        ({"type": "message", "user": "U1", "text": "hi", "ts": "1.3", "thread_ts": "1.1",
          "channel_type": "im"}, 200),
        ("message", 400),
    ],
    ids=["no thread_ts", "no channel_id", "home without user", "dm without channel", "string"],
)  # fmt: skip
def test_a_malformed_event_is_refused_or_ignored_without_a_traceback(
    running: Running, caplog: pytest.LogCaptureFixture, event: Any, status: int
) -> None:
    """Signed, but not what Slack sends: a 400 where Bolt would fail before any listener
    (so Slack does not retry into a traceback each time), else acked and left alone."""
    assert running.slack.event(event).status == status
    running.settle()
    assert running.posts() == []
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


def test_a_message_with_a_file_or_sent_to_the_channel_too_is_answered(running: Running) -> None:
    """A DM with a file (subtype file_share) and a thread reply also sent to the channel
    (thread_broadcast) are somebody asking, as plain messages are."""
    running.slack.message(
        "Who criticised the deal?", channel="D1", channel_type="im", subtype="file_share"
    )
    assert running.api.wait_for("chat.postMessage")[0].params["channel"] == "D1"
    _, root = running.slack.mention("What does the memorandum commit the countries to?")
    running.api.wait_for("chat.postMessage", count=2)
    running.slack.message(
        "And what do critics say about it?", thread_ts=root, subtype="thread_broadcast"
    )
    assert running.api.wait_for("chat.postMessage", count=3)[2].params["thread_ts"] == root
    running.slack.message("joined", subtype="channel_join", thread_ts=root)
    running.settle()
    assert len(running.posts()) == 3


def _told_files_are_not_read(text: str) -> None:
    assert "cannot read attached files" in text and "stored articles" in text
    assert "for example: “What does the memorandum commit the countries to?”" in text


@pytest.mark.parametrize("where", ["mention", "mention in a thread", "dm", "dm with spaces"])
def test_a_message_with_only_files_is_told_briefbot_reads_the_stored_articles(
    running: Running, where: str
) -> None:
    """An uploaded PDF with no words: briefbot says it answers from the stored articles
    and cannot read attached files, and how to ask; nothing is logged as a question."""
    files = [shared_file("memo.pdf")]
    if where.startswith("mention"):
        thread = next_ts() if where.endswith("thread") else None
        _, ts = running.slack.mention(
            "", thread_ts=thread, fields={"files": files, "upload": False, "display_as_bot": False}
        )
        where_to = thread or ts
    else:
        running.slack.message(
            " \u200b" if where.endswith("spaces") else "", channel="D1", channel_type="im",
            subtype="file_share", files=files, upload=True, display_as_bot=False,
        )  # fmt: skip
        where_to = None
    post = running.api.wait_for("chat.postMessage")[0]
    assert post.params.get("thread_ts") == where_to
    _told_files_are_not_read(post.params["text"])
    _told_files_are_not_read(block_text(post.json_param("blocks")).replace("\u200b", ""))
    running.settle()
    assert len(running.posts()) == 1
    assert running.briefing.log.export() == []


def test_files_in_the_assistant_pane_are_not_read(running: Running) -> None:
    ts = next_ts()
    event = {"type": "message", "subtype": "file_share", "user": "U1", "text": "",
             "files": [shared_file("notes.pdf")], "upload": True, "ts": ts, "team": TEAM,
             "thread_ts": "1800000000.000001", "parent_user_id": BOT_USER, "channel": "D1",
             "event_ts": ts, "channel_type": "im"}  # fmt: skip
    assert running.slack.event(event).status == 200
    _told_files_are_not_read(running.api.wait_for("chat.postMessage")[0].params["text"])
    running.settle()
    assert running.briefing.log.export() == []


def test_a_file_with_a_question_is_answered_and_files_alone_in_a_followed_thread_are_not(
    running: Running,
) -> None:
    """A question sent with a file is a question. A file dropped in a thread briefbot
    follows, without a mention or a word, is for the people there: no reply."""
    _, root = running.slack.mention(
        "What does the memorandum commit the countries to?", fields={"files": [shared_file()]}
    )
    assert "non-binding" in block_text(
        running.api.wait_for("chat.postMessage")[0].json_param("blocks")
    )
    running.slack.message("", thread_ts=root, subtype="file_share", files=[shared_file()])
    running.settle()
    assert len(running.posts()) == 1
    assert len(running.briefing.log.export()) == 1


# ---------------------------------------------------------------------------- exactly once


def test_retries_and_duplicate_events_are_answered_once(running: Running) -> None:
    _, ts = running.slack.mention("Who criticised the deal?", event_id="EvDUP1")
    for retry in (1, 2):
        again, _ = running.slack.mention(
            "Who criticised the deal?", event_id="EvDUP1", ts=ts, retry_num=retry
        )
        assert again.status == 200
    same, _ = running.slack.mention("Who criticised the deal?", event_id="EvDUP1", ts=ts)
    assert same.status == 200
    running.settle()
    assert len(running.posts()) == 1
    assert len(running.briefing.log.export()) == 1


def test_a_mention_delivered_as_two_events_is_answered_once(running: Running) -> None:
    ts = next_ts()
    running.slack.mention("Who criticised the deal?", ts=ts)
    running.slack.message(f"<@{BOT_USER}> Who criticised the deal?", ts=ts, thread_ts=None)
    running.slack.message(
        f"<@{BOT_USER}> Who criticised the deal?", ts=ts, channel="D9", channel_type="im"
    )
    running.settle()
    assert [p.params["channel"] for p in running.posts()].count("C1") == 1


def test_bot_messages_are_ignored(running: Running) -> None:
    running.slack.message("Who criticised the deal?", channel="D1", channel_type="im", bot_id="B2")
    running.slack.message(
        "Who criticised the deal?", channel="D1", channel_type="im", subtype="bot_message"
    )
    running.slack.message(
        "Who criticised the deal?", channel="D1", channel_type="im", user=BOT_USER
    )
    running.settle()
    assert running.posts() == []


# ---------------------------------------------------------------------------- signatures


def test_bad_signatures_and_stale_timestamps_are_rejected(running: Running) -> None:
    body = json.dumps({"type": "event_callback", "event_id": "EvBAD", "event": {}})
    assert running.slack.post(body, "application/json", signed=False).status == 401
    assert running.slack.post(body, "application/json", secret="wrong-secret").status == 401
    stale = int(time.time()) - 6 * 60
    assert running.slack.post(body, "application/json", timestamp=stale).status == 401
    running.settle()
    assert running.api.calls() == []


def test_url_verification_challenge(running: Running) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "t"})
    response = running.slack.post(body, "application/json")
    assert response.status == 200 and response.json()["challenge"] == "abc123"


# ---------------------------------------------------------------------------- slash commands


def test_brief_acks_fast_then_answers_privately_with_share(running: Running) -> None:
    url = running.api.response_url("brief")
    with running.work.held():  # the ack comes back while the answer cannot even start
        response = running.slack.command("/brief", "What does the memorandum commit to?", url)
        assert response.status == 200
        assert running.api.calls() == []
    ack = response.json()
    assert ack["response_type"] == "ephemeral" and "Looking into" in ack["text"]
    reply = running.api.wait_for("response_url:brief")[0]
    assert reply.params["response_type"] == "ephemeral"
    assert reply.params["replace_original"] is True
    assert "non-binding" in block_text(reply.params["blocks"])
    assert "share_answer" in action_ids(reply.params["blocks"])
    assert running.briefing.log.export()[-1]["surface"] == "slash_brief"


def test_a_slash_answer_the_response_url_refuses_is_sent_as_text_then_logged(
    running: Running,
) -> None:
    """Bolt's respond() returns a refusal rather than raising: a refused reply is tried
    once more as text alone, and when that fails too the exchange says so."""
    url = running.api.response_url("late")
    running.api.fail("response_url:late", status=500, times=1)
    running.slack.command("/brief", "What does the memorandum commit to?", url)
    refused, sent = running.api.wait_for("response_url:late", count=2)
    assert refused.fault == "fail" and "blocks" in refused.params
    assert sent.fault is None and not sent.params.get("blocks")
    running.settle()
    assert not running.briefing.log.export()[-1]["error"]
    running.api.fail("response_url:gone", status=404, times=None)
    running.slack.command("/quote", "non-binding", running.api.response_url("gone"))
    assert len(running.api.wait_for("response_url:gone", count=2)) == 2
    running.settle()
    row = running.briefing.log.export()[-1]
    assert row["surface"] == "slash_quote" and "slack: delivery failed" in row["error"]


def test_a_slash_answer_refused_with_ok_false_is_marked_undelivered(running: Running) -> None:
    """An expired response_url may answer HTTP 200 with ``{"ok": false, "error":
    "expired_url"}``: the answer was taken for delivered. It is a refusal: nothing is
    sent again through a url that takes nothing more, and the log says its asker never
    saw the answer."""
    running.api.error("response_url:old", "expired_url")
    running.slack.command(
        "/brief", "What does the memorandum commit to?", running.api.response_url("old")
    )
    running.api.wait_for("response_url:old")
    running.settle()
    assert len(running.api.calls("response_url:old")) == 1
    assert "slack: delivery failed" in running.briefing.log.export()[-1]["error"]


@pytest.mark.parametrize("text", ["", "help"])
def test_brief_help(running: Running, text: str) -> None:
    response = running.slack.command("/brief", text, running.api.response_url())
    assert response.status == 200
    assert "/quote &lt;topic&gt;" in block_text(response.json()["blocks"])


@pytest.mark.parametrize(
    "text",
    ["\u200bhelp", "help\u200b", "\u200c help \u200d", "\u2060Help\ufeff", "\u00a0help\u00a0",
     "\u200b", INVISIBLE],
)  # fmt: skip
def test_brief_help_around_invisible_characters(running: Running, text: str) -> None:
    """Pasted "help" (or nothing) with invisible characters around it is still "help"
    (or nothing): the help text, not an answer to a question about "help"."""
    response = running.slack.command("/brief", text, running.api.response_url("h"))
    assert response.status == 200
    assert "/quote &lt;topic&gt;" in block_text(response.json()["blocks"])
    running.settle()
    assert running.api.calls("response_url:h") == []
    assert running.briefing.log.export() == []


@pytest.mark.parametrize("text", [":wave:", " :tada::skin-tone-2: ", ":+1: :thinking_face:"])
def test_brief_of_only_emoji_asks_nothing(running: Running, text: str) -> None:
    """`/brief :wave:` asks nothing, as a mention of only ":wave:" does (emoji codes are
    not words of a question): the help text, nothing asked or logged. (Before, it was
    answered as the question "wave", and logged.)"""
    response = running.slack.command("/brief", text, running.api.response_url("e"))
    assert response.status == 200
    assert "/quote &lt;topic&gt;" in block_text(response.json()["blocks"])
    running.settle()
    assert running.api.calls("response_url:e") == []
    assert running.briefing.log.export() == []


def test_brief_subcommands_and_quote_topics_are_read_without_invisible_characters(
    running: Running,
) -> None:
    running.slack.command("/brief", "\ufeffsources\u200b", running.api.response_url("src"))
    assert SEED_TITLE in block_text(running.api.wait_for("response_url:src")[0].params["blocks"])
    response = running.slack.command("/quote", f"{INVISIBLE}\u200b", running.api.response_url())
    assert "Usage: `/quote &lt;topic&gt;`" in response.json()["text"]
    running.slack.command("/quote", "\u200bnon-binding\u2060", running.api.response_url("q"))
    running.api.wait_for("response_url:q")
    running.settle()
    assert [r["question"] for r in running.briefing.log.export()] == ["non-binding"]


@pytest.mark.parametrize("word", ["fees", "source", "Guatemala"])
def test_brief_one_english_word_or_name_is_still_a_question(running: Running, word: str) -> None:
    """Only a word that is no word is taken for a mistyped subcommand: "fees" (close to
    "feeds") and "source" (to "sources") are asked, and answered as questions."""
    response = running.slack.command("/brief", word, running.api.response_url("w"))
    assert "Looking into" in response.json()["text"]
    running.api.wait_for("response_url:w")
    running.settle()
    assert [r["question"] for r in running.briefing.log.export()] == [word]


def test_brief_one_word_the_stored_articles_use_is_a_question(
    running: Running, tmp_path: Path
) -> None:
    """A name of the story that no word list knows ("Digestor", close to "digest") is
    asked about, not taken for a typo: the stored articles use it."""
    path = tmp_path / "digestor.md"
    path.write_text(
        "---\ntitle: Biogas plant opens\nsource: Test Wire\n---\n\n"
        "Digestor, a biogas firm, opened a plant outside Tegucigalpa on Monday.\n",
        encoding="utf-8",
    )
    assert running.briefing.ingest([path]).added == 1
    response = running.slack.command("/brief", "Digestor", running.api.response_url("d"))
    assert "Looking into" in response.json()["text"]
    running.api.wait_for("response_url:d")
    running.settle()
    assert [r["question"] for r in running.briefing.log.export()] == ["Digestor"]


def test_brief_sources(running: Running) -> None:
    running.slack.command("/brief", "sources", running.api.response_url("src"))
    reply = running.api.wait_for("response_url:src")[0]
    assert SEED_TITLE in block_text(reply.params["blocks"])


def test_quote_gives_verbatim_quotes_with_links(running: Running) -> None:
    running.briefing.ingest([EVALS / "articles"])
    running.slack.command("/quote", "mother fleeing a gang asylum", running.api.response_url("q"))
    reply = running.api.wait_for("response_url:q")[0]
    text = block_text(reply.params["blocks"])
    assert (
        "&gt; Nothing in this text guarantees" in text
        or "> Nothing in this text guarantees" in text
    )
    assert "paragraph" in text
    assert "#:~:text=Nothing%20in%20this%20text" in text  # a link to the passage itself
    assert "share_quotes" in action_ids(reply.params["blocks"])
    row = running.briefing.log.export()[-1]
    assert row["surface"] == "slash_quote" and row["citations"]


def test_quote_without_a_topic_explains_usage(running: Running) -> None:
    response = running.slack.command("/quote", " ", running.api.response_url())
    assert "Usage: `/quote &lt;topic&gt;`" in response.json()["text"]


def test_quote_on_an_unrelated_topic_finds_none(running: Running) -> None:
    running.slack.command("/quote", "sourdough starters", running.api.response_url("none"))
    reply = running.api.wait_for("response_url:none")[0]
    assert "No quotes on" in reply.params["text"]


# ---------------------------------------------------------------------------- buttons


def _answered(running: Running) -> str:
    running.slack.mention("What does the memorandum commit the countries to?")
    running.api.wait_for("chat.postMessage")
    return str(running.briefing.log.export()[-1]["id"])


@pytest.mark.parametrize("action", ["show_quotes", "feedback_up"])
def test_a_private_reply_whose_connection_drops_is_sent_once(running: Running, action: str) -> None:
    """A reply that adds a message (the cited passages, the thanks for a vote) whose
    connection drops after Slack took it may have landed: Bolt's ``respond`` sent it
    again (its webhook client retries a connection error), and the person saw the
    passages twice. A reply that replaces the message acted on may be sent again."""
    exchange_id = _answered(running)
    running.api.drop("response_url:once", times=1)
    running.slack.click(action, exchange_id, running.api.response_url("once"))
    running.api.wait_for("response_url:once")
    running.settle()
    sent = running.api.calls("response_url:once")
    assert len(sent) == 1, f"the reply was sent {len(sent)} times"


def test_show_quotes_reveals_the_cited_passages(running: Running) -> None:
    exchange_id = _answered(running)
    response = running.slack.click("show_quotes", exchange_id, running.api.response_url("sq"))
    assert response.status == 200
    reply = running.api.wait_for("response_url:sq")[0]
    assert reply.params["response_type"] == "ephemeral"
    text = block_text(reply.params["blocks"])
    cited = running.briefing.log.get(exchange_id)
    assert cited is not None
    first_words = " ".join(cited.citations[0]["text"].split()[:6])
    assert first_words in text


def test_show_quotes_of_long_passages_with_long_links_fits_in_one_message(
    running: Running,
) -> None:
    """*Show quotes* sent every cited passage, each with a link to its article and one to
    the passage itself, in as many blocks as fit Slack's fifty, with no bound on what
    their texts add up to. Six passages from a feed whose links are long (a news
    aggregator's) made more than the ~12,000 characters Slack takes in one message
    (``msg_blocks_too_long``): the response_url refused it, and the click showed nothing.
    The texts are shortened to fit, as the digest's are."""
    from bot.core.models import Citation
    from bot.slack.blocks import MESSAGE_TEXT, text_size
    from storage import exchanges

    url = "https://news.example.org/rss/articles/" + "CBMi" * 120 + "?oc=5"
    passage = " ".join(["The memorandum commits the countries to share information."] * 16)
    cited = [
        Citation(
            marker=i, title=f"Report {i}", url=f"{url}&n={i}", published=None, text=passage
        ).as_dict()
        for i in range(1, 7)
    ]
    with running.briefing.db.session() as session:
        exchange_id = exchanges.record_exchange(
            session=session,
            exchange=exchanges.ExchangeRecord(
                surface="slack_mention",
                channel="C1",
                question="What does it commit to?",
                answer="It commits them to share information [1].",
                answered=True,
                citations=cited,
            ),
        )
    running.slack.click("show_quotes", exchange_id, running.api.response_url("long"))
    reply = running.api.wait_for("response_url:long")[0]
    blocks = reply.params["blocks"]
    assert text_size(blocks) <= MESSAGE_TEXT
    assert "share information" in block_text(blocks)


def _refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "response_url refused" in r.getMessage()]


@pytest.mark.parametrize(
    ("error", "status"), [("invalid_blocks", 200), ("msg_blocks_too_long", 400)]
)
def test_a_click_s_reply_the_response_url_refuses_is_logged_and_sent_as_text(
    running: Running, caplog: pytest.LogCaptureFixture, error: str, status: int
) -> None:
    """A click's reply goes through Bolt's ``respond``, which returns the response_url's
    refusal instead of raising: *Show quotes* whose blocks Slack refused showed nothing,
    and nothing was logged. Now the refusal is logged (never the url: it lets anyone
    post as briefbot) and the passages are sent as text alone."""
    exchange_id = _answered(running)
    url = running.api.response_url("sq")
    running.api.refuse_blocks("response_url:sq", error, status=status)
    with caplog.at_level(logging.INFO):
        running.slack.click("show_quotes", exchange_id, url)
        refused, sent = running.api.wait_for("response_url:sq", count=2)
        running.settle()
    assert refused.fault == "refuse_blocks" and refused.params["blocks"]
    assert sent.fault is None and not sent.params.get("blocks")
    assert sent.params["replace_original"] is False
    assert "memorandum" in sent.params["text"] and len(sent.params["text"]) <= 3000
    assert _refusals(caplog) == [
        f"the response_url refused the reply to a click: {error} (HTTP {status})"
    ]
    assert url not in caplog.text and "/response/" not in caplog.text


def test_a_spent_response_url_is_logged_once_and_not_tried_again(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack answers an expired or used-up response_url with ``"ok": false`` (even with
    HTTP 200): the 👍's thanks was taken for delivered. Now the refusal is logged, and a
    shorter reply is not sent through a url that takes nothing more."""
    exchange_id = _answered(running)
    running.api.error("response_url:fb", "used_url")
    with caplog.at_level(logging.WARNING):
        running.slack.click("feedback_up", exchange_id, running.api.response_url("fb"))
        running.api.wait_for("response_url:fb")
        running.settle()
    assert len(running.api.calls("response_url:fb")) == 1
    assert _refusals(caplog) == [
        "the response_url refused the reply to a click: used_url (HTTP 200)"
    ]


@pytest.mark.parametrize(("command", "what"), [("sources", "sources"), ("feeds", "feeds")])
def test_a_list_the_response_url_refuses_is_logged_and_sent_as_text(
    running: Running, caplog: pytest.LogCaptureFixture, command: str, what: str
) -> None:
    """``/brief sources`` and ``/brief feeds`` sent their lists through ``respond``
    unchecked: refused blocks left "Listing…" in place and no trace in the log. Now
    the refusal is logged and the list is sent as text alone."""
    url = running.api.response_url("l")
    running.api.refuse_blocks("response_url:l", "invalid_blocks", status=400)
    with caplog.at_level(logging.WARNING):
        running.slack.command("/brief", command, url)
        refused, sent = running.api.wait_for("response_url:l", count=2)
        running.settle()
    assert refused.params["blocks"] and not sent.params.get("blocks")
    assert sent.params["replace_original"] is True
    expected = SEED_TITLE if command == "sources" else "No feeds are followed yet."
    assert expected in sent.params["text"]
    assert _refusals(caplog) == [
        f"the response_url refused the list of {what}: invalid_blocks (HTTP 400)"
    ]
    assert url not in caplog.text


@pytest.mark.parametrize(("action", "value"), [("feedback_up", 1), ("feedback_down", -1)])
def test_feedback_is_stored(running: Running, action: str, value: int) -> None:
    exchange_id = _answered(running)
    running.slack.click(action, exchange_id, running.api.response_url("fb"), user="U7")
    reply = running.api.wait_for("response_url:fb")[0]
    assert "Thanks" in reply.params["text"]
    row = running.briefing.log.get(exchange_id)
    assert row is not None and row.feedback == value and row.feedback_user == "U7"


def test_feedback_counts_only_from_the_conversation_the_answer_was_given_in(
    running: Running,
) -> None:
    """A click replayed from another conversation, with a log id seen in a message,
    does not rate the answer."""
    exchange_id = _answered(running)  # in C1
    running.slack.click("feedback_down", exchange_id, running.api.response_url("x"), channel="C5")
    assert "another conversation" in running.api.wait_for("response_url:x")[0].params["text"]
    row = running.briefing.log.get(exchange_id)
    assert row is not None and row.feedback is None


def test_the_asker_s_vote_is_kept_over_a_colleague_s(running: Running) -> None:
    """An answer in a channel thread may be clicked by anyone; whether it answered the
    question is the asker's (U1's) to say. Among others' votes, the latest wins."""
    exchange_id = _answered(running)

    def click(action: str, user: str) -> tuple[int | None, str | None]:
        name = f"fb{next_ts()}"
        running.slack.click(action, exchange_id, running.api.response_url(name), user=user)
        assert "Thanks" in running.api.wait_for(f"response_url:{name}")[0].params["text"]
        row = running.briefing.log.get(exchange_id)
        assert row is not None
        return row.feedback, row.feedback_user

    assert click("feedback_down", "U2") == (-1, "U2")
    assert click("feedback_up", "U3") == (1, "U3")
    assert click("feedback_up", "U1") == (1, "U1")
    assert click("feedback_down", "U2") == (1, "U1")  # thanked, not kept
    assert click("feedback_down", "U1") == (-1, "U1")  # the asker may change their mind


def test_share_in_channel_posts_publicly_and_removes_the_private_copy(running: Running) -> None:
    running.slack.command(
        "/brief", "Who criticised the deal?", running.api.response_url("b"), user="U5"
    )
    running.api.wait_for("response_url:b")
    exchange_id = str(running.briefing.log.export()[-1]["id"])
    running.slack.click("share_answer", exchange_id, running.api.response_url("share"), user="U5")
    shared, deleted = running.api.wait_for("response_url:share", count=2)
    assert shared.params["response_type"] == "in_channel"
    assert "Shared by <@U5>" in block_text(shared.params["blocks"])
    assert "activists" in block_text(shared.params["blocks"]).lower()
    assert deleted.params["delete_original"] is True


def test_slash_command_text_is_read_as_typed(running: Running) -> None:
    running.slack.command("/quote", "non-binding &amp; commitment", running.api.response_url("q"))
    running.api.wait_for("response_url:q")
    assert running.briefing.log.export()[-1]["question"] == "non-binding & commitment"


@pytest.mark.parametrize(
    ("command", "text", "channel_name"),
    [
        ("/brief", "Who criticised the payload of the deal?", "general"),
        ("/quote", "payload", "general"),
        ("/brief", "Who criticised the deal?", "payload-ops"),
        ("/brief", "help", "payload-ops"),
    ],
)
def test_a_command_with_the_word_payload_in_it_is_answered(
    running: Running, command: str, text: str, channel_name: str
) -> None:
    """Bolt read any form with "payload" in it as an interactivity payload, and a slash
    command as nothing at all: it matched no listener and its asker got no reply."""
    response = running.slack.command(
        command, text, running.api.response_url("p"), channel_name=channel_name
    )
    assert response.status == 200 and response.body, "the command got no ack of its own"
    if text == "help":
        assert "How to use briefbot" in response.body
        return
    running.api.wait_for("response_url:p")
    assert running.briefing.log.export()[-1]["question"] == text


def test_share_quotes(running: Running) -> None:
    running.slack.command("/quote", "non-binding commitment", running.api.response_url("q"))
    running.api.wait_for("response_url:q")
    exchange_id = str(running.briefing.log.export()[-1]["id"])
    running.slack.click("share_quotes", exchange_id, running.api.response_url("qs"))
    shared, _ = running.api.wait_for("response_url:qs", count=2)
    assert shared.params["response_type"] == "in_channel"
    assert "non-binding" in block_text(shared.params["blocks"])


def test_only_the_asker_can_share_and_only_where_they_asked(running: Running) -> None:
    running.slack.command("/brief", "Who criticised the deal?", running.api.response_url("b"))
    running.api.wait_for("response_url:b")
    private = str(running.briefing.log.export()[-1]["id"])
    mentioned = _answered(running)  # a mention's exchange: already public, not shareable
    attempts = [
        (private, "U2", "C1"),  # somebody else replays the click
        (private, "U1", "C9"),  # the asker, but into another channel
        (mentioned, "U1", "C1"),
    ]
    for n, (exchange_id, user, channel) in enumerate(attempts):
        url = running.api.response_url(f"no{n}")
        running.slack.click("share_answer", exchange_id, url, user=user, channel=channel)
        reply = running.api.wait_for(f"response_url:no{n}")[0]
        assert reply.params["response_type"] == "ephemeral"
        assert "Only the person who asked" in reply.params["text"]
    running.settle()
    shared = [c for c in running.api.calls() if c.params.get("response_type") == "in_channel"]
    assert shared == []


def test_an_answer_is_shared_once_however_often_the_button_is_clicked(running: Running) -> None:
    running.slack.command("/brief", "Who criticised the deal?", running.api.response_url("b"))
    running.api.wait_for("response_url:b")
    exchange_id = str(running.briefing.log.export()[-1]["id"])
    for n in range(3):
        running.slack.click("share_answer", exchange_id, running.api.response_url(f"s{n}"))
    running.settle()
    shared = [c for c in running.api.calls() if c.params.get("response_type") == "in_channel"]
    assert len(shared) == 1
    assert shared[0].params["unfurl_links"] is False


def test_a_share_that_fails_can_be_tried_again(running: Running) -> None:
    """A share Slack turned down (a 503: it did not take it) is said not to be posted and
    can be clicked again; the private copy stays until the answer is in the channel."""
    running.slack.command("/brief", "Who criticised the deal?", running.api.response_url("b"))
    running.api.wait_for("response_url:b")
    exchange_id = str(running.briefing.log.export()[-1]["id"])
    running.api.fail("response_url:s1", status=503)
    running.slack.click("share_answer", exchange_id, running.api.response_url("s1"))
    failed, apology = running.api.wait_for("response_url:s1", count=2)
    assert failed.fault == "fail" and failed.params["response_type"] == "in_channel"
    assert "was not posted" in apology.params["text"]
    assert not any(c.params.get("delete_original") for c in running.api.calls())  # kept
    running.slack.click("share_answer", exchange_id, running.api.response_url("s2"))
    shared, deleted = running.api.wait_for("response_url:s2", count=2)
    assert shared.fault is None and shared.params["response_type"] == "in_channel"
    assert deleted.params["delete_original"] is True


@pytest.mark.parametrize("error", ["expired_url", "channel_not_found"])
def test_a_share_slack_refuses_with_http_200_is_not_taken_for_posted(
    running: Running, error: str
) -> None:
    """A response_url refuses with HTTP 200 and ``{"ok": false, "error": ...}``. The
    share was read as posted: the private answer was deleted (the only copy), the share
    stayed claimed so no click could post it, and nobody was told. Now the person is
    told it was not posted and may click again (by chat.postEphemeral when the url can
    take nothing more), and the next click shares it."""
    running.slack.command("/brief", "Who criticised the deal?", running.api.response_url("b"))
    running.api.wait_for("response_url:b")
    exchange_id = str(running.briefing.log.export()[-1]["id"])
    running.api.error("response_url:s1", error=error)
    running.slack.click("share_answer", exchange_id, running.api.response_url("s1"))
    if error == "expired_url":
        told = running.api.wait_for("chat.postEphemeral")[0]
        assert (told.params["channel"], told.params["user"]) == ("C1", "U1")
    else:
        told = running.api.wait_for("response_url:s1", count=2)[-1]
        assert told.params["response_type"] == "ephemeral"
    assert "was not posted" in told.params["text"] and "again" in told.params["text"]
    assert "went wrong" not in told.params["text"]
    running.settle()
    assert not any(c.params.get("delete_original") for c in running.api.calls())  # kept
    running.slack.click("share_answer", exchange_id, running.api.response_url("s2"))
    shared, deleted = running.api.wait_for("response_url:s2", count=2)
    assert shared.fault is None and shared.params["response_type"] == "in_channel"
    assert deleted.params["delete_original"] is True


@pytest.mark.parametrize("fault", ["drop", "500"])
def test_a_share_whose_connection_drops_is_posted_once(running: Running, fault: str) -> None:
    """*Share in channel* whose post Slack may have taken without answering (the
    connection dropped after the post landed, or a 500) shows the answer in the channel
    once: it is not sent again, by the webhook client's retry or by a second click, and
    the person who clicked is told it may already be there. (Bolt's ``respond`` retried a
    dropped connection, and a failed share was released for the next click: the answer
    showed twice. The same retry went for /brief subscribe's announcement.)"""
    running.slack.command("/brief", "Who criticised the deal?", running.api.response_url("b"))
    running.api.wait_for("response_url:b")
    exchange_id = str(running.briefing.log.export()[-1]["id"])
    if fault == "drop":
        running.api.drop("response_url:s1", times=1)
    else:
        running.api.fail("response_url:s1", status=500)
    running.slack.click("share_answer", exchange_id, running.api.response_url("s1"))
    told = running.api.wait_for("response_url:s1", count=2)[-1]
    assert told.params["response_type"] == "ephemeral"
    assert "may already be in the channel" in told.params["text"]
    running.slack.click("share_answer", exchange_id, running.api.response_url("s2"))
    running.settle()
    public = [c for c in running.api.calls() if c.params.get("response_type") == "in_channel"]
    assert len(public) == 1, f"the answer was posted publicly {len(public)} times"


def test_a_second_click_after_an_unconfirmed_share_keeps_the_private_answer(
    running: Running,
) -> None:
    """A share Slack answered with a 500 it did not carry out put nothing in the channel;
    the person, told it may be there, looks, finds nothing and clicks Share again. The
    click is told the share is not posted again, and the private answer stays: it is the
    only copy. (Before, a click on a claimed share deleted the private copy.)"""
    running.slack.command("/brief", "Who criticised the deal?", running.api.response_url("b"))
    running.api.wait_for("response_url:b")
    exchange_id = str(running.briefing.log.export()[-1]["id"])
    running.api.fail("response_url:s1", status=500)
    running.slack.click("share_answer", exchange_id, running.api.response_url("s1"))
    told = running.api.wait_for("response_url:s1", count=2)[-1]
    assert "may already be in the channel" in told.params["text"]
    running.slack.click("share_answer", exchange_id, running.api.response_url("s2"))
    again = running.api.wait_for("response_url:s2")[0]
    assert again.params["response_type"] == "ephemeral"
    assert "not posted again" in again.params["text"]
    running.settle()
    assert not any(c.params.get("delete_original") for c in running.api.calls())


@pytest.mark.parametrize(
    ("action", "slow"),
    [
        ("feedback_up", "response_url:slow"),
        ("show_quotes", "response_url:slow"),
        ("post_digest", "chat.postMessage"),
        ("assistant_thread_started", "chat.postMessage"),
    ],
)
def test_slow_buttons_do_not_hold_up_the_acks_of_commands(
    running: Running, action: str, slow: str
) -> None:
    """A button's work (the log, the response_url, a post) runs on the job pool, like an
    answer's: a burst of clicks whose Slack calls hang must not take every listener
    thread, or a slash command gets no ack within Slack's 3 seconds."""
    running.slack.command("/brief", "Who criticised the deal?", running.api.response_url("b"))
    running.api.wait_for("response_url:b")
    running.settle()
    exchange = str(running.briefing.log.export()[-1]["id"])
    running.api.hang(slow, seconds=4, times=None)
    for i in range(4):  # as many clicks as the test app has listener threads
        if action == "assistant_thread_started":
            thread = {"user_id": "U1", "channel_id": "D1", "thread_ts": f"1800000000.00000{i}"}
            event = {"type": action, "assistant_thread": thread, "event_ts": next_ts()}
            assert running.slack.event(event).status == 200
        else:
            value = "2019-03-25/2019-04-01 UTC" if action == "post_digest" else exchange
            # (a digest is posted once per channel: each click posts to its own)
            channel = f"C9{i}" if action == "post_digest" else "C1"
            running.slack.click(action, value, running.api.response_url("slow"), channel=channel)
    started = time.monotonic()
    response = running.slack.command("/brief", "help", running.api.response_url("h"))
    assert response.status == 200 and time.monotonic() - started < 2.5
    running.api.reset()


def _no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], [
        r.getMessage() for r in caplog.records
    ]


def test_a_click_without_a_response_url_is_answered_ephemerally(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack omits the response_url for some surfaces: the reply goes by
    chat.postEphemeral to whoever clicked, where they clicked, with no traceback."""
    exchange_id = _answered(running)
    running.api.clear()
    caplog.clear()
    assert running.slack.click("show_quotes", exchange_id, None, user="U7").status == 200
    reply = running.api.wait_for("chat.postEphemeral")[0]
    assert (reply.params["channel"], reply.params["user"]) == ("C1", "U7")
    cited = running.briefing.log.get(exchange_id)
    assert cited is not None
    first_words = " ".join(cited.citations[0]["text"].split()[:6])
    assert first_words in block_text(reply.json_param("blocks"))
    assert running.slack.click("feedback_down", exchange_id, None, user="U7").status == 200
    thanks = running.api.wait_for("chat.postEphemeral", count=2)[1]
    assert "Thanks, noted 👎" in thanks.params["text"]
    running.settle()
    _no_traceback(caplog)


@pytest.mark.parametrize("action", ["show_quotes", "feedback_up", "share_answer", "post_digest"])
def test_a_click_in_the_app_home_tab_is_acked_and_tells_nobody(
    running: Running, caplog: pytest.LogCaptureFixture, action: str
) -> None:
    """No response_url and no conversation: nobody can be told; the log has one line, no
    traceback. (briefbot's App Home shows no such buttons; a vote from there is not
    counted, since a click counts only from where the answer was given.)"""
    exchange_id = _answered(running)
    running.api.clear()
    caplog.set_level(logging.INFO)
    caplog.clear()
    value = "2019-03-25/2019-04-01 UTC" if action == "post_digest" else exchange_id
    assert running.slack.click(action, value, None, in_home=True).status == 200
    running.settle()
    assert running.api.calls() == []
    _no_traceback(caplog)
    assert any("nobody to tell" in r.getMessage() for r in caplog.records)
    row = running.briefing.log.get(exchange_id)
    assert row is not None and row.feedback is None


def test_a_click_whose_ephemeral_reply_slack_refuses_is_one_warning(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    exchange_id = _answered(running)
    running.api.error("chat.postEphemeral", "channel_not_found")
    caplog.clear()
    assert running.slack.click("show_quotes", exchange_id, None).status == 200
    running.settle()
    _no_traceback(caplog)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("channel_not_found" in w for w in warned), warned


def test_a_share_without_a_response_url_says_where_to_share_from(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """Sharing removes the private answer, which only its response_url can do."""
    running.slack.command("/brief", "Who criticised the deal?", running.api.response_url("b"))
    running.api.wait_for("response_url:b")
    exchange_id = str(running.briefing.log.export()[-1]["id"])
    running.api.clear()
    caplog.clear()
    assert running.slack.click("share_answer", exchange_id, None).status == 200
    told = running.api.wait_for("chat.postEphemeral")[0]
    assert "only from the private answer" in told.params["text"]
    running.settle()
    assert running.posts() == []
    _no_traceback(caplog)
    # and the share is still there to be made from the answer itself
    running.slack.click("share_answer", exchange_id, running.api.response_url("s"))
    shared, _ = running.api.wait_for("response_url:s", count=2)
    assert shared.params["response_type"] == "in_channel"


def test_buttons_on_a_purged_answer_say_so(running: Running) -> None:
    running.slack.click("show_quotes", "nosuchid", running.api.response_url("gone"))
    reply = running.api.wait_for("response_url:gone")[0]
    assert "no longer in the log" in reply.params["text"]


# ---------------------------------------------------------------------------- assistant, home


def test_assistant_thread_started_offers_prompts(running: Running) -> None:
    event = {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": "U1",
            "context": {"channel_id": "C1", "team_id": TEAM, "enterprise_id": None},
            "channel_id": "D1",
            "thread_ts": "1800000000.000001",
        },
        "event_ts": "1800000000.000002",
    }
    assert running.slack.event(event).status == 200
    prompts = running.api.wait_for("assistant.threads.setSuggestedPrompts")[0]
    titles = [p["title"] for p in prompts.params["prompts"]]
    assert titles == [
        "What does the agreement commit to?",
        "What do critics say?",
        "This week's digest",
    ]
    greeting = running.api.wait_for("chat.postMessage")[0]
    assert greeting.params["thread_ts"] == "1800000000.000001"


def test_a_profile_with_more_prompts_than_slack_shows_still_gets_them_shown(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """Slack's assistant.threads.setSuggestedPrompts takes up to four prompts. A profile
    that lists more (nothing in it says four) had every call refused: no thread ever
    showed a prompt, and each greeting left a traceback. The first four are offered."""
    more = "".join(f'    "What does clause {n} of the memorandum say?",\n' for n in range(4))
    profile = tmp_path / "profile.toml"
    profile.write_text(
        (CORPUS / "profile.toml")
        .read_text(encoding="utf-8")
        .replace(
            'suggested_prompts = [\n    "What does the agreement commit to?",',
            f'suggested_prompts = [\n{more}    "What does the agreement commit to?",',
        ),
        encoding="utf-8",
    )
    api.set_response(
        "assistant.threads.setSuggestedPrompts",
        lambda call: {"ok": len(call.params["prompts"]) <= 4, "error": "invalid_arguments"},
    )
    for running in run_app(slack_settings(database_url, tmp_path, api, profile=profile), api):
        assert len(running.briefing.profile.suggested_prompts) > 4
        event = {
            "type": "assistant_thread_started",
            "assistant_thread": {"user_id": "U1", "channel_id": "D1", "thread_ts": next_ts()},
            "event_ts": next_ts(),
        }
        assert running.slack.event(event).status == 200
        shown = running.api.wait_for("assistant.threads.setSuggestedPrompts")[0]
        titles = [p["title"] for p in shown.params["prompts"]]
        assert titles == list(running.briefing.profile.suggested_prompts[:4])


@pytest.mark.parametrize(
    "context",
    [{"channel_id": "C2", "team_id": TEAM, "enterprise_id": None}, {}, None, "missing"],
)
def test_a_change_of_the_assistant_thread_s_context_is_acked_and_left_alone(
    running: Running, caplog: pytest.LogCaptureFixture, context: Any
) -> None:
    """Slack sends assistant_thread_context_changed each time the person moves to another
    channel with the pane open. briefbot never reads that context: the event is acked and
    nothing is called. (Bolt's default would look for the greeting with
    conversations.replies and rewrite it with chat.update, in Bolt's listener threads,
    and failed with a traceback when the event had no context or the greeting no blocks.)"""
    thread_ts = "1800000000.000001"
    greeting = {"type": "message", "ts": thread_ts, "user": BOT_USER, "bot_id": "BBOT",
                "text": "Hi! I brief you on the memorandum. What would you like?"}  # fmt: skip
    running.api.set_replies("D1", thread_ts, [greeting])
    thread: dict[str, Any] = {"user_id": "U1", "channel_id": "D1", "thread_ts": thread_ts}
    if context != "missing":
        thread["context"] = context
    event = {"type": "assistant_thread_context_changed", "assistant_thread": thread,
             "event_ts": next_ts()}  # fmt: skip
    assert running.slack.event(event).status == 200
    running.settle()
    assert running.api.calls() == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.parametrize("context", [None, "C1", ["C1"]])
def test_an_assistant_thread_with_an_odd_context_is_greeted(
    running: Running, caplog: pytest.LogCaptureFixture, context: Any
) -> None:
    """The greeting and the prompts do not depend on the thread's context: a context
    that is not an object (Bolt's say() read it, and failed) does not lose them."""
    thread = {"user_id": "U1", "context": context, "channel_id": "D1",
              "thread_ts": "1800000000.000001"}  # fmt: skip
    event = {"type": "assistant_thread_started", "assistant_thread": thread,
             "event_ts": next_ts()}  # fmt: skip
    assert running.slack.event(event).status == 200
    greeting = running.api.wait_for("chat.postMessage")[0]
    assert greeting.params["channel"] == "D1"
    assert greeting.params["thread_ts"] == "1800000000.000001"
    assert greeting.params["text"] == running.briefing.profile.greeting
    running.api.wait_for("assistant.threads.setSuggestedPrompts")
    running.settle()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def _assistant_message(running: Running, text: str) -> str:
    ts = next_ts()
    event = {
        "type": "message",
        "user": "U1",
        "text": text,
        "ts": ts,
        "team": TEAM,
        "thread_ts": "1800000000.000001",
        "parent_user_id": BOT_USER,
        "channel": "D1",
        "event_ts": ts,
        "channel_type": "im",
    }
    assert running.slack.event(event).status == 200
    return ts


def test_assistant_answers_with_status_and_title(running: Running) -> None:
    _assistant_message(running, "What does the agreement commit to?")
    status = running.api.wait_for("assistant.threads.setStatus")[0]
    assert status.params["status"] == "is reading the sources…"
    title = running.api.wait_for("assistant.threads.setTitle")[0]
    assert title.params["title"] == "What does the agreement commit to?"
    post = running.api.wait_for("chat.postMessage")[0]
    assert post.params["thread_ts"] == "1800000000.000001"
    assert "non-binding" in block_text(post.json_param("blocks"))
    assert running.briefing.log.export()[-1]["surface"] == "slack_assistant"


def test_the_assistant_thread_is_titled_after_the_greeting(running: Running) -> None:
    """In a real assistant thread, Slack's replies begin with briefbot's greeting: the
    first question still titles the thread, and the greeting is no conversation to
    condense it with."""
    greeting = {"ts": "1800000000.000001", "bot_id": "BBOT", "user": BOT_USER,
                "text": "Hi! I brief you on the memorandum. What would you like?"}  # fmt: skip
    running.api.set_replies("D1", "1800000000.000001", [greeting])
    _assistant_message(running, "What does the agreement commit to?")
    title = running.api.wait_for("assistant.threads.setTitle")[0]
    assert title.params["title"] == "What does the agreement commit to?"
    running.api.wait_for("chat.postMessage")
    row = running.briefing.log.export()[-1]
    assert row["standalone_question"] in (None, "", "What does the agreement commit to?")


def test_invisible_characters_in_the_assistant_pane_are_not_read(running: Running) -> None:
    """A question pasted into the pane titles its thread as it was seen; one of nothing
    but invisible characters is empty: the prompt, no title, nothing logged."""
    _assistant_message(running, "\u200bWhat does the agreement commit to?\u2060")
    title = running.api.wait_for("assistant.threads.setTitle")[0]
    assert title.params["title"] == "What does the agreement commit to?"
    running.api.wait_for("chat.postMessage")
    running.settle()
    running.api.clear()
    _assistant_message(running, INVISIBLE)
    post = running.api.wait_for("chat.postMessage")[0]
    assert "Ask me about " in post.params["text"]
    running.settle()
    assert running.api.calls("assistant.threads.setTitle") == []
    rows = running.briefing.log.export()
    assert [r["question"] for r in rows] == ["What does the agreement commit to?"]


def test_an_assistant_follow_up_reads_the_thread_once(running: Running) -> None:
    """The pane reads the thread to know whether the message is the first question (for
    the title); the answer uses those turns rather than reading the thread again."""
    greeting = {"ts": "1800000000.000001", "bot_id": "BBOT", "user": BOT_USER,
                "text": "Hi! I brief you on the memorandum. What would you like?"}  # fmt: skip
    asked = {"ts": "1800000000.000002", "user": "U1", "text": "What does the memorandum say?"}
    answered = {"ts": "1800000000.000003", "bot_id": "BBOT", "user": BOT_USER,
                "text": "It is non-binding [1]."}  # fmt: skip
    running.api.set_replies("D1", "1800000000.000001", [greeting, asked, answered])
    _assistant_message(running, "And what do critics say about it?")
    running.api.wait_for("chat.postMessage")
    running.settle()
    assert len(running.api.calls("conversations.replies")) == 1
    assert running.api.calls("assistant.threads.setTitle") == []
    assert "memorandum" in (running.briefing.log.export()[-1]["standalone_question"] or "")


def test_a_follow_up_in_a_long_thread_reads_the_turns_just_before_it(running: Running) -> None:
    """Slack pages a thread's replies oldest first: the pages are followed, so a
    follow-up after 300 messages of chatter is read with the turns just before it."""
    _, root = running.slack.mention("What does the memorandum commit the countries to?")
    running.api.wait_for("chat.postMessage")
    base = float(root)
    chatter = [
        {"ts": f"{base + i:.6f}", "user": "U2", "text": f"lunch plans {i}"} for i in range(1, 300)
    ]
    latest = [
        {"ts": f"{base + 400:.6f}", "user": "U1", "text": f"<@{BOT_USER}> Who criticised it?"},
        {"ts": f"{base + 401:.6f}", "bot_id": "BBOT", "user": BOT_USER,
         "text": "Rights groups criticised the memorandum [1]."},
    ]  # fmt: skip
    running.api.set_replies(
        "C1", root, [{"ts": root, "user": "U1", "text": "hi"}, *chatter, *latest]
    )
    running.slack.message("And why do they object to it?", thread_ts=root, ts=f"{base + 500:.6f}")
    running.api.wait_for("chat.postMessage", count=2)
    assert len(running.api.calls("conversations.replies")) >= 2  # it paged
    standalone = running.briefing.log.export()[-1]["standalone_question"] or ""
    assert "criticised" in standalone  # the question just before, not the first page's


LAST_WEEK_TITLE = "Ministers agree on smuggling intelligence"


def _article_from_last_week(running: Running, tmp_path: Path) -> None:
    """An article dated in the last full week: the one the digest covers."""
    week = running.briefing.digests.period()
    path = tmp_path / "last-week.md"
    path.write_text(
        f"---\ntitle: {LAST_WEEK_TITLE}\nsource: Test Wire\n"
        f"published: {week.start + timedelta(days=2)}\n---\n\n"
        "Ministers from four countries agreed to share intelligence on smuggling networks.\n",
        encoding="utf-8",
    )
    assert running.briefing.ingest([path]).added == 1


def test_assistant_digest_prompt(running: Running, tmp_path: Path) -> None:
    _article_from_last_week(running, tmp_path)
    _assistant_message(running, "This week's digest")
    post = running.api.wait_for("chat.postMessage")[0]
    assert post.params["text"].startswith("Weekly digest, ")
    assert LAST_WEEK_TITLE in post.params["text"]
    assert SEED_TITLE not in post.params["text"]  # added this week: next Monday's digest
    assert LAST_WEEK_TITLE in block_text(post.json_param("blocks"))


@pytest.mark.parametrize(
    ("text", "digest"),
    [
        ("This week's digest", True),
        ("digest pls", True),
        ("Show me the digest for this week", True),
        ("What's in the digest?", True),
        ("What did the digest say about asylum?", False),
        ("digest of the memorandum criticism", False),
    ],
)
def test_what_counts_as_a_digest_request(text: str, digest: bool) -> None:
    from bot.slack.listeners.assistant import is_digest_request

    assert is_digest_request(text) is digest


def test_a_question_that_mentions_the_digest_is_answered(running: Running) -> None:
    _assistant_message(running, "What did the digest say about the memorandum's commitments?")
    post = running.api.wait_for("chat.postMessage")[0]
    assert post.params["text"] != "This week's digest" and "log id" not in post.params["text"]
    assert running.briefing.log.export()[-1]["surface"] == "slack_assistant"


@pytest.mark.parametrize("method", ["assistant.threads.setStatus", "assistant.threads.setTitle"])
def test_assistant_answers_even_when_status_or_title_fail(running: Running, method: str) -> None:
    running.api.error(method, error="invalid_auth", times=None)
    _assistant_message(running, "What does the agreement commit to?")
    post = running.api.wait_for("chat.postMessage")[0]
    assert "non-binding" in block_text(post.json_param("blocks"))


def test_the_thread_title_is_plain_text() -> None:
    from bot.slack.listeners.assistant import thread_title

    assert thread_title("Is A &amp; B &lt;ok&gt;?") == "Is A & B <ok>?"
    # a mention or an emoji code is markup, not words of the title
    assert thread_title("<@U0OTHER> what do critics say? :thinking_face:") == (
        "what do critics say?"
    )
    long = thread_title("word " * 40)
    assert len(long) == 80 and long.endswith("…")


def test_app_home_shows_digest_sources_and_how_to_ask(running: Running, tmp_path: Path) -> None:
    _article_from_last_week(running, tmp_path)
    running.slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    view = running.api.wait_for("views.publish")[0].json_param("view")
    assert view["type"] == "home"
    text = block_text(view["blocks"])
    assert "/brief &lt;question&gt;" in text
    assert "Weekly digest · " in text and "What each side says" in text
    assert LAST_WEEK_TITLE in text
    assert SEED_TITLE in text  # in the sources list
    assert len(view["blocks"]) <= 100


# ---------------------------------------------------------------------------- safety and failures


HOSTILE = """Hostile Article About The Memorandum

The memorandum was praised by <!channel> and <@U0ADMIN> in a statement.
@here: read <http://evil.example|the real memorandum> at http://evil.example/now & act.
"""


def test_article_text_is_escaped_for_mrkdwn(running: Running, tmp_path: Path) -> None:
    article = tmp_path / "hostile.txt"
    article.write_text(HOSTILE, encoding="utf-8")
    assert running.briefing.ingest([article]).added == 1
    running.slack.mention("Who praised the memorandum in a statement?")
    post = running.api.wait_for("chat.postMessage")[0]
    raw = json.dumps(post.params)
    for dangerous in ("<!channel>", "<@U0ADMIN>", "<http://evil", "http://evil"):
        assert dangerous not in raw
    shown = block_text(post.json_param("blocks"))
    assert "&lt;!channel&gt;" in shown and "&lt;@U0ADMIN&gt;" in shown
    assert "@\u200bhere" in shown and "&amp; act" in shown
    assert post.params["unfurl_links"] is False


def test_web_api_rate_limits_are_retried(running: Running) -> None:
    running.api.rate_limit("chat.postMessage", retry_after=7, times=2)
    running.slack.mention("Who criticised the deal?")
    posts = running.api.wait_for("chat.postMessage", count=3)
    assert [p.fault for p in posts] == ["rate_limit", "rate_limit", None]
    # Each retry waited Retry-After, plus less than a second of jitter.
    assert len(running.waits.asked) == 2
    assert all(7 <= wait < 8 for wait in running.waits.asked)


def test_a_rate_limit_that_asks_for_a_long_wait_is_not_waited_out(running: Running) -> None:
    """Slack's ``Retry-After`` was waited whatever it said, three times over: a 429 asking
    for an hour held the answer's worker for three hours (and a stopping process's job
    past its grace) before the answer failed all the same. A wait longer than
    ``MAX_RATE_LIMIT_WAIT`` is not waited: the 429 is the call's answer at once."""
    running.api.rate_limit("chat.postMessage", retry_after=3600, times=None)
    running.slack.mention("Who criticised the deal?")
    running.settle()
    assert running.waits.asked == []
    assert len(running.posts()) == 1
    assert "slack: delivery failed" in (running.briefing.log.export()[-1]["error"] or "")
    from bot.slack.app import MAX_RATE_LIMIT_WAIT

    running.api.reset()
    running.api.rate_limit("chat.postMessage", retry_after=MAX_RATE_LIMIT_WAIT, times=1)
    running.slack.mention("What does the memorandum commit the countries to?")
    running.api.wait_for("chat.postMessage", count=2)
    assert len(running.waits.asked) == 1  # a wait within the limit is still waited


@pytest.mark.parametrize("header", ["soon", "1.5", "Wed, 21 Oct 2026 07:28:00 GMT"])
def test_a_rate_limit_with_an_unreadable_retry_after_is_retried(
    running: Running, header: str
) -> None:
    """slack_sdk reads ``Retry-After`` with ``int()``: a header that is not a whole number
    (an HTTP date, as HTTP allows, or a fraction) raised ValueError out of the retry
    handler, past every handler of Slack's errors: the answer was lost, and so was the
    apology (its post failed the same way). It is waited as a missing one is (a second)."""
    running.api.rate_limit("chat.postMessage", retry_after=header, times=1)
    running.slack.mention("Who criticised the deal?")
    posts = running.api.wait_for("chat.postMessage", count=2)
    assert [p.fault for p in posts] == ["rate_limit", None]
    assert "activists" in block_text(posts[1].json_param("blocks")).lower()
    assert len(running.waits.asked) == 1 and 1 <= running.waits.asked[0] < 3


def test_the_web_api_client_retries_and_really_waits_by_default(tmp_path: Path) -> None:
    from bot.slack.app import ConnectionErrorRetry, RateLimitRetry, ServerErrorRetry

    settings = Settings.isolated(slack_bot_token=BOT_TOKEN, data_dir=tmp_path)
    handlers = make_web_client(settings).retry_handlers
    assert [(type(h), h.max_retry_count) for h in handlers] == [
        (ConnectionErrorRetry, 2),
        (RateLimitRetry, 3),
        (ServerErrorRetry, 2),
    ]
    assert all(getattr(h, "sleep", None) is time.sleep for h in handlers)


def test_web_api_errors_do_not_crash_the_app(running: Running) -> None:
    running.api.fail("chat.postMessage", status=503, times=None)
    running.slack.mention("Who criticised the deal?")
    running.settle()
    posts = running.api.calls("chat.postMessage")
    assert posts and len(posts) % 3 == 0  # each post was tried three times: 503s are retried
    assert len(running.waits.asked) == 2 * len(posts) // 3
    row = running.briefing.log.export()[-1]
    assert row["answered"] is True
    assert "slack: delivery failed" in (row["error"] or "")
    running.api.reset()
    running.slack.mention("What does the memorandum commit the countries to?")
    assert running.api.wait_for("chat.postMessage")


def test_an_answer_post_answered_by_a_500_is_not_posted_again(running: Running) -> None:
    """After a 500 the post may have landed: neither the client nor the fallback to text
    posts it again, so the thread never shows the answer twice."""
    running.api.fail("chat.postMessage", status=500, times=None)
    running.slack.mention("Who criticised the deal?")
    running.settle()
    assert len(running.api.calls("chat.postMessage")) == 1
    assert running.waits.asked == []
    assert "slack: delivery failed" in (running.briefing.log.export()[-1]["error"] or "")


def test_a_failure_still_answers_with_the_log_id(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(running.briefing.retriever, "retrieve", broken)
    running.slack.mention("Who criticised the deal?")
    post = running.api.wait_for("chat.postMessage")[0]
    match = re.search(r"The log id is ([0-9a-f]{12})", post.params["text"])
    assert match, post.params["text"]
    row = running.briefing.log.get(match.group(1))
    assert row is not None and "index exploded" in row.error


def test_a_database_failure_still_gets_an_apology(
    running: Running, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy.exc import OperationalError

    def locked(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr("storage.claims.claim", locked)  # every claim Slack makes
    running.slack.mention("Who criticised the deal?")
    post = running.api.wait_for("chat.postMessage")[0]
    match = re.search(r"The log id is ([0-9a-f]{12})", post.params["text"])
    assert match, post.params["text"]
    assert match.group(1) in caplog.text  # the id finds the failure in the app log
    # Slash commands claim nothing; their own writes fail instead.
    monkeypatch.setattr(running.briefing, "ask", locked)
    monkeypatch.setattr(running.briefing, "quote_logged", locked)
    running.slack.command("/brief", "Who criticised the deal?", running.api.response_url("b"))
    running.slack.command("/quote", "non-binding", running.api.response_url("q"))
    for name in ("b", "q"):
        reply = running.api.wait_for(f"response_url:{name}")[0]
        assert "The log id is" in reply.params["text"], name


def test_an_answer_is_delivered_when_it_cannot_be_logged(
    running: Running, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def locked(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database is locked")

    monkeypatch.setattr("storage.exchanges.record_exchange", locked)
    running.slack.mention("Who criticised the deal?")
    post = running.api.wait_for("chat.postMessage")[0]
    assert "activists" in block_text(post.json_param("blocks")).lower()
    assert "feedback_up" not in action_ids(post.json_param("blocks"))  # no row to point at
    assert "could not store exchange" in caplog.text and "Who criticised the deal?" in caplog.text


def test_an_apology_always_has_a_real_log_id(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.slack.conversation as conversation

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("broken")

    monkeypatch.setattr("storage.exchanges.record_exchange", broken)  # so the answer has no id
    monkeypatch.setattr(conversation, "answer_message", broken)  # and cannot be shown
    running.slack.mention("Who criticised the deal?")
    post = running.api.wait_for("chat.postMessage")[0]
    assert re.search(r"The log id is [0-9a-f]{12}\.", post.params["text"]), post.params["text"]


def test_secrets_never_reach_the_logs(running: Running, caplog: pytest.LogCaptureFixture) -> None:
    from bot.logsetup import install_redaction

    install_redaction([BOT_TOKEN, SIGNING_SECRET])
    caplog.set_level("DEBUG")
    running.slack.mention("Who criticised the deal?")
    running.api.wait_for("chat.postMessage")
    running.settle()
    assert "slack_sdk" in caplog.text or "chat.postMessage" in caplog.text  # something was logged
    assert BOT_TOKEN not in caplog.text
    assert SIGNING_SECRET not in caplog.text


# ---------------------------------------------------------------------------- limits


def test_long_answers_respect_slack_limits() -> None:
    from datetime import date

    from bot.core.models import Answer, Citation

    citations = tuple(
        Citation(
            marker=i,
            title=f"Title {i} " + "x" * 200,
            url=f"https://example.org/{i}",
            source="S",
            published=date(2019, 3, 29),
            paragraph=i,
            text="y " * 2000,
        )
        for i in range(1, 80)
    )
    answer = Answer(
        question="q",
        answer="A sentence that goes on. " * 600,
        answered=True,
        mode="llm",
        citations=citations,
        note="n",
        exchange_id="abc",
    )
    text, blocks = answer_message(answer, share=True)
    assert len(blocks) <= 50
    assert len(text) <= 3000
    for b in blocks:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000
    assert blocks[-1]["type"] == "actions"


# ---------------------------------------------------------------------------- streaming


@pytest.fixture
def streaming(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, llm_server: OpenAIStandIn
) -> Iterator[Running]:
    llm_server.reset()

    def reply(body: dict[str, Any]) -> str:
        user = body["messages"][-1]["content"]
        first = re.search(r'<source id="1">\n.*?\n(.*?)[.!?]', user, re.DOTALL)
        assert first
        return (
            f"According to the source, {first.group(1).strip()} [1]. "
            + "More detail here. " * 20
            + "[1]"
        )

    llm_server.reply_with(reply)
    llm_server.stream_delay(0.001)
    settings = slack_settings(
        database_url,
        tmp_path,
        api,
        openai_base_url=llm_server.base_url,
        openai_api_key="sk-test-0123456789",
        model="gpt-4o-mini",
        llm_timeout=5,
    )
    yield from run_app(settings, api)


def test_a_follow_up_sent_while_the_first_answer_is_written_is_answered(
    streaming: Running, llm_server: OpenAIStandIn
) -> None:
    """The thread is followed from the moment briefbot takes the mention, not once the
    answer is logged: a follow-up sent while the first answer streams is answered too."""
    llm_server.stream_delay(0.02)  # the answer takes a second or two to stream
    _, root = streaming.slack.mention("What does the memorandum commit the countries to?")
    streaming.api.wait_for("chat.startStream")
    streaming.slack.message("And what do critics say about it?", thread_ts=root)
    streaming.settle()
    assert [r["question"] for r in streaming.briefing.log.export()] == [
        "What does the memorandum commit the countries to?",
        "And what do critics say about it?",
    ]


def test_a_stream_goes_to_the_asker_s_own_team(streaming: Running) -> None:
    """In a Slack Connect channel the asker may belong to another workspace: the stream's
    recipient team is theirs (the event's ``user_team``), not briefbot's."""
    streaming.slack.mention(
        "What does the memorandum commit the countries to?", fields={"user_team": "T0EXTERNAL"}
    )
    start = streaming.api.wait_for("chat.startStream")[0]
    assert start.params["recipient_team_id"] == "T0EXTERNAL"


def test_llm_answers_stream_into_the_thread(streaming: Running) -> None:
    _, ts = streaming.slack.mention("What does the memorandum commit the countries to?")
    start = streaming.api.wait_for("chat.startStream")[0]
    assert start.params["thread_ts"] == ts
    assert start.params["recipient_user_id"] == "U1" and start.params["recipient_team_id"] == TEAM
    streaming.api.wait_for("chat.stopStream")
    final = streaming.api.wait_for("chat.update")[-1]
    assert final.params["ts"] == streaming.api.calls("chat.startStream")[0].params.get(
        "ts", final.params["ts"]
    )
    assert "According to the source" in block_text(final.json_param("blocks"))
    assert streaming.api.calls("chat.appendStream")
    assert streaming.briefing.log.export()[-1]["mode"] == "llm"


def test_streamed_pieces_of_words_are_escaped_as_whole_words(
    streaming: Running, llm_server: OpenAIStandIn
) -> None:
    hostile = (
        "See [the memo](https://evil.example/x) now @channel www.evil.example <@U999> "
        "and <!here> too [1]. "
    )
    llm_server.reply(hostile * 3)
    llm_server.stream_pieces(3)  # "@ch", "ann", "el": no piece is dangerous alone
    streaming.slack.mention("What does the memorandum commit the countries to?")
    streaming.api.wait_for("chat.stopStream")
    streamed = "".join(
        chunk["text"]
        for method in ("chat.startStream", "chat.appendStream", "chat.stopStream")
        for call in streaming.api.calls(method)
        if "chunks" in call.params
        for chunk in call.json_param("chunks")
        if chunk.get("type") == "markdown_text"
    )
    assert "See [the memo]" in streamed  # the text did stream
    for unsafe in ("](", "https://", "@channel", "www.", "<@", "<!"):
        assert unsafe not in streamed, unsafe


def test_a_draft_that_cannot_be_updated_is_replaced(streaming: Running) -> None:
    streaming.api.error("chat.update", error="msg_too_long", times=None)
    streaming.slack.mention("What does the memorandum commit the countries to?")
    stopped = streaming.api.wait_for("chat.stopStream")[0]
    deleted = streaming.api.wait_for("chat.delete")[0]
    assert deleted.params["ts"] == stopped.params["ts"]  # the unguarded draft
    final = streaming.api.wait_for("chat.postMessage")[-1]
    assert "According to the source" in block_text(final.json_param("blocks"))


def test_an_answer_whose_blocks_are_refused_arrives_as_text(running: Running) -> None:
    running.api.error("chat.postMessage", error="invalid_blocks", times=1)
    running.slack.mention("Who criticised the deal?")
    refused, posted = running.api.wait_for("chat.postMessage", count=2)
    assert refused.fault == "error" and "blocks" in refused.params
    assert "blocks" not in posted.params and "activists" in posted.params["text"].lower()


def test_an_answer_whose_blocks_are_too_long_for_slack_arrives_as_text(
    running: Running,
) -> None:
    """chat.postMessage refuses blocks whose text adds up to more than about 12,000
    characters with ``msg_blocks_too_long`` (each section within its 3,000 and the
    message within 50 blocks, as briefbot keeps them): a refusal of the message's form,
    like ``invalid_blocks``, which the text alone passes. It was taken for a refusal of
    the channel: nothing was posted, and the asker got no answer at all."""
    running.api.error("chat.postMessage", error="msg_blocks_too_long", times=1)
    running.slack.mention("Who criticised the deal?")
    refused, posted = running.api.wait_for("chat.postMessage", count=2)
    assert refused.fault == "error" and "blocks" in refused.params
    assert "blocks" not in posted.params and "activists" in posted.params["text"].lower()


@pytest.mark.parametrize("error", ["not_in_channel", "is_archived", "channel_not_found"])
def test_an_answer_refused_for_its_channel_is_not_posted_again_as_text(
    api: SlackAPIStandIn, error: str
) -> None:
    """The text alone is tried only when Slack refused the message's form: a channel
    that refuses the answer refuses its text too, and asking again only costs time."""
    from slack_sdk import WebClient

    from bot.slack.reply import ThreadReply

    client = WebClient(token=BOT_TOKEN, base_url=api.url, timeout=1)
    api.error("chat.postMessage", error=error, times=None)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "The answer."}}]
    assert ThreadReply(client, "C1", None).finish("The answer.", blocks) is None
    assert len(api.calls("chat.postMessage")) == 1


def test_a_post_that_slack_does_not_answer_is_not_repeated(api: SlackAPIStandIn) -> None:
    """A read timeout may come after the message landed: posting the text alone then
    would show the answer twice. Only a refusal (an error reply) is retried as text."""
    from slack_sdk import WebClient

    from bot.slack.reply import ThreadReply

    client = WebClient(token=BOT_TOKEN, base_url=api.url, timeout=1)
    api.hang("chat.postMessage", seconds=3)
    reply = ThreadReply(client, "C1", "1700000000.000100")
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "The answer."}}]
    assert reply.finish("The answer.", blocks) is None
    time.sleep(2.5)  # the hung post lands
    assert len(api.calls("chat.postMessage")) == 1
    api.error("chat.postMessage", error="invalid_blocks", times=1)
    assert ThreadReply(client, "C1", None).finish("Again.", []) is not None
    assert [c.fault for c in api.calls("chat.postMessage")[1:]] == ["error", None]


def test_without_streaming_the_answer_is_posted_then_updated(streaming: Running) -> None:
    streaming.api.error("chat.startStream", error="not_allowed", times=None)
    streaming.slack.mention("What does the memorandum commit the countries to?")
    first = streaming.api.wait_for("chat.postMessage")[0]
    assert first.params["text"].endswith("…")
    final = streaming.api.wait_for("chat.update")[-1]
    assert final.params["ts"]
    assert "According to the source" in block_text(final.json_param("blocks"))


def _finished(api: SlackAPIStandIn) -> set[str]:
    """The ts of every message briefbot replaced (with the final answer) or deleted."""
    return {str(c.params["ts"]) for m in ("chat.update", "chat.delete") for c in api.calls(m)}


def _stream_ts(api: SlackAPIStandIn) -> list[str]:
    """The ts of the stream messages briefbot went on to name (in chat.appendStream or
    chat.stopStream): messages that chat.startStream created."""
    named = [
        str(c.params.get("ts"))
        for c in api.calls()
        if c.method in ("chat.appendStream", "chat.stopStream") and c.params.get("ts")
    ]
    return list(dict.fromkeys(named))


def test_a_stream_refused_once_leaves_no_orphan_draft(streaming: Running) -> None:
    """When Slack refuses to start the stream once, the draft is posted instead, and the
    answer replaces that draft: the thread shows one message, the checked answer. (The
    stream was stopped all the same, which started a second message, and the posted
    draft, never checked by the citation guard, stayed in the thread for good.)"""
    streaming.api.error("chat.startStream", error="internal_error", times=1)
    streaming.slack.mention("What does the memorandum commit the countries to?")
    draft = streaming.api.wait_for("chat.postMessage")[0]
    streaming.settle()
    assert draft.params["text"].endswith("…")  # the unguarded draft
    draft_ts = next(
        m["ts"] for m in streaming.api.history("C1") if m["text"] == draft.params["text"]
    )
    assert draft_ts in _finished(streaming.api), (
        "the posted draft was neither replaced by the answer nor deleted; calls: "
        f"{streaming.api.methods()}"
    )


def test_a_stream_that_cannot_be_stopped_is_not_left_behind(
    streaming: Running, llm_server: OpenAIStandIn
) -> None:
    """A short answer starts its stream only when it is stopped; if Slack then fails to
    stop it, the streamed message is still replaced by the answer (or deleted), never
    left in the thread beside an answer posted afresh."""
    llm_server.reply("The memorandum is a non-binding commitment [1].")
    streaming.api.error("chat.stopStream", error="internal_error", times=1)
    streaming.slack.mention("What does the memorandum commit the countries to?")
    streaming.api.wait_for("chat.stopStream")
    streaming.settle()
    started = _stream_ts(streaming.api)
    assert started, streaming.api.methods()
    posted_afresh = streaming.api.calls("chat.postMessage")
    assert not posted_afresh or set(started) <= _finished(streaming.api), (
        f"stream message(s) {started} left behind; calls: {streaming.api.methods()}"
    )


def test_a_stream_start_slack_may_have_taken_is_not_sent_again(streaming: Running) -> None:
    """chat.startStream creates a message, like chat.postMessage: when the connection
    drops after Slack may have started the stream, the Web API client does not start
    another (a second streamed message in the thread, the first never stopped, replaced
    or deleted); briefbot posts and updates the draft instead. (The first stream, if
    Slack did start it, stays: its ts never reached briefbot.)"""
    streaming.api.drop("chat.startStream", times=1)
    streaming.slack.mention("What does the memorandum commit the countries to?")
    streaming.api.wait_for("chat.startStream")
    streaming.settle()
    starts = streaming.api.calls("chat.startStream")
    assert len(starts) == 1, f"chat.startStream sent {len(starts)} times: {streaming.api.methods()}"


def _replies_from_history(api: SlackAPIStandIn, channel: str) -> None:
    """conversations.replies answers with what landed in ``channel``'s thread, as Slack
    lists a thread's messages (a started stream's included)."""

    def replies(call: Any) -> dict[str, Any]:
        ts = str(call.params.get("ts"))
        found = [m for m in api.history(channel) if ts in (m.get("thread_ts"), m["ts"])]
        return {"ok": True, "messages": found, "has_more": False}

    api.set_response("conversations.replies", replies)


def test_a_stream_start_that_went_unanswered_leaves_no_half_answer(streaming: Running) -> None:
    """chat.startStream was not answered (the connection dropped, or it timed out) but
    Slack started the message: its first words stayed in the thread, cut off mid-sentence
    and never stopped, beside the answer posted afresh. It is found in the thread by what
    it started with and removed (or, if it cannot be, marked as cut off), so the thread
    ends with one complete answer."""
    _replies_from_history(streaming.api, "C1")
    streaming.api.drop("chat.startStream", times=1)  # a timeout is read the same way
    streaming.slack.mention("What does the memorandum commit the countries to?")
    streaming.api.wait_for("chat.startStream")
    streaming.settle()
    started = [m for m in streaming.api.history("C1") if "blocks" not in m][:1]
    assert started and started[0]["text"].startswith("According to"), streaming.api.history("C1")
    assert started[0]["ts"] in _finished(streaming.api), (
        f"the half answer {started[0]['text']!r} was left; calls: {streaming.api.methods()}"
    )
    final = streaming.api.calls("chat.update")[-1]
    assert "According to the source" in block_text(final.json_param("blocks"))


def test_a_lost_stream_start_that_cannot_be_found_is_owned_up_to(streaming: Running) -> None:
    """If the half answer a lost chat.startStream may have left cannot be found, the
    answer says that a draft above it may have been cut off: the half sentence is not
    left to pass for the answer."""
    streaming.api.drop("chat.startStream", times=1)
    streaming.slack.mention("What does the memorandum commit the countries to?")
    streaming.api.wait_for("chat.startStream")
    streaming.settle()
    final = streaming.api.calls("chat.update")[-1]
    shown = block_text(final.json_param("blocks"))
    assert "According to the source" in shown
    assert "cut off" in shown


def test_a_dm_draft_slack_may_have_taken_is_not_posted_again(streaming: Running) -> None:
    """In a DM the draft is posted, then updated. When Slack takes the first post but the
    connection drops before it answers, the draft is not posted again (it was, at once:
    two drafts, the first never replaced, since its ts was unknown); briefbot finds it in
    the conversation by its metadata and replaces it with the answer: one message."""
    streaming.api.drop("chat.postMessage", times=1)
    streaming.slack.message(
        "What does the memorandum commit the countries to?", channel="D1", channel_type="im"
    )
    streaming.api.wait_for("chat.postMessage")
    streaming.settle()
    in_dm = streaming.api.history("D1")  # every post Slack carried out
    left = [m for m in in_dm if m["ts"] not in _finished(streaming.api)]
    assert len(in_dm) == 1 and not left, (
        f"{len(in_dm)} messages posted for one answer; left as drafts: "
        f"{[m['text'][:40] for m in left]}"
    )


@pytest.mark.parametrize("error", ["fatal_error", "internal_error"])
def test_a_dm_draft_slack_says_may_have_been_carried_out_is_replaced_not_left(
    streaming: Running, error: str
) -> None:
    """Slack documents ``fatal_error`` and ``internal_error`` (HTTP 200, ``ok: false``)
    as errors after which "some aspect of the operation may have succeeded". A DM draft
    answered so may be in the conversation: it is looked for and replaced by the answer,
    as after a dropped connection, not left (unchecked, never replaced) beside an answer
    posted afresh."""
    streaming.api.error("chat.postMessage", error, carried_out=True)
    streaming.slack.message(
        "What does the memorandum commit the countries to?", channel="D1", channel_type="im"
    )
    streaming.api.wait_for("chat.postMessage")
    streaming.settle()
    in_dm = streaming.api.history("D1")  # every post Slack carried out
    left = [m for m in in_dm if m["ts"] not in _finished(streaming.api)]
    assert len(in_dm) == 1 and not left, (
        f"{len(in_dm)} messages posted for one answer; left as drafts: "
        f"{[m['text'][:40] for m in left]}"
    )


def test_a_rate_limited_draft_is_not_retried_for_every_streamed_piece(streaming: Running) -> None:
    """In a DM, while Slack rate-limits chat.postMessage (429, Retry-After: 5), the draft
    is given up after its first post fails and the answer is posted when done: a few
    calls and seconds of waiting, not (as before) a post with every piece the model
    streamed, each with the client's three Retry-After waits: hundreds of calls and some
    50 minutes before the answer. (The waits are recorded here, not slept.)"""
    streaming.api.rate_limit("chat.postMessage", retry_after=5, times=None)
    streaming.slack.message(
        "What does the memorandum commit the countries to?", channel="D1", channel_type="im"
    )
    streaming.api.wait_for("chat.postMessage")
    streaming.settle()
    posts = len(streaming.api.calls("chat.postMessage"))
    waited = sum(streaming.waits.asked)
    assert posts <= 12 and waited < 120, (
        f"{posts} chat.postMessage calls and {waited:.0f} s of Retry-After waits for one answer"
    )


def test_retried_events_without_a_message_run_once(running: Running) -> None:
    """Event-level claims: a retried assistant_thread_started greets once, a retried
    app_home_opened publishes once."""
    started = {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": "U1",
            "context": {},
            "channel_id": "D1",
            "thread_ts": "1800000000.000009",
        },
        "event_ts": "1800000000.000010",
    }
    home = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    for retry in (None, 1, 2):
        assert running.slack.event(started, event_id="EvSTART", retry_num=retry).status == 200
        assert running.slack.event(home, event_id="EvHOME", retry_num=retry).status == 200
    running.settle()
    assert len(running.api.calls("assistant.threads.setSuggestedPrompts")) == 1
    assert len(running.api.calls("views.publish")) == 1


def test_secrets_in_a_traceback_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from bot.logsetup import install_redaction

    install_redaction([BOT_TOKEN, "sk-live-abcdefghijkl"])
    log = logging.getLogger("briefbot.test")
    try:
        raise RuntimeError(f"GET https://x/?token={BOT_TOKEN} key=sk-live-abcdefghijkl")
    except RuntimeError:
        log.exception("request failed")
    assert "RuntimeError" in caplog.text and "request failed" in caplog.text
    assert BOT_TOKEN not in caplog.text and "sk-live-abcdefghijkl" not in caplog.text
    formatted = logging.Formatter().format(caplog.records[-1])
    assert "RuntimeError" in formatted and BOT_TOKEN not in formatted
    # The exception itself is kept, for a handler that wants it (an error tracker).
    assert caplog.records[-1].exc_info is not None


def _shut_down(jobs: Any, grace: float) -> int:
    """``jobs.shutdown(grace)``; a shutdown that hangs fails the test instead of hanging it."""
    import threading

    told: list[int] = []
    thread = threading.Thread(target=lambda: told.append(jobs.shutdown(grace)), daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert told, "the shutdown did not end"
    return told[0]


def test_shutdown_waits_a_while_then_tells_everyone_still_waiting(tmp_path: Path) -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from bot.slack.jobs import JobRuntime

    running, release = threading.Event(), threading.Event()
    told: list[str] = []

    def still_running() -> None:
        running.set()
        release.wait()

    jobs = JobRuntime(work=ThreadPoolExecutor(1))
    jobs.submit(lambda: None, apologise=told.append)  # finishes in time: not told
    jobs.submit(still_running, apologise=told.append)  # still running at the deadline
    jobs.submit(lambda: told.append("ran"), apologise=told.append)  # never started
    assert running.wait(timeout=10)  # so the first job is done (one worker, in order)
    assert _shut_down(jobs, 0.05) == 2  # and the running job does not hold up the stop
    assert len(told) == 2 and all("restarted before it finished answering" in t for t in told)
    release.set()
    jobs.work.shutdown(wait=True)
    assert "ran" not in told  # a job told before it started does not run afterwards


def test_shutdown_lets_jobs_that_finish_within_the_grace_finish(tmp_path: Path) -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from bot.slack.jobs import JobRuntime

    running = threading.Event()
    told: list[str] = []

    def short_job() -> None:
        running.set()
        time.sleep(0.05)  # the job's own work, still going when the shutdown begins

    jobs = JobRuntime(work=ThreadPoolExecutor(1))
    jobs.submit(short_job, apologise=told.append)
    jobs.submit(lambda: told.append("ran"), apologise=told.append)  # queued behind it
    assert running.wait(timeout=10)
    assert _shut_down(jobs, 5) == 0  # both finished within the grace: nobody is told
    assert told == ["ran"]
    jobs.work.shutdown(wait=True)


# ---------------------------------------------------------------------------- cut off by a restart

CUT_OFF = "What does the memorandum commit the countries to?"


def _stop_as_serve_does(tell_within: float) -> int:
    """:func:`~bot.slack.jobs.shutdown_all` as ``serve`` calls it on SIGTERM (a short
    grace); a stop that hangs fails the test instead of hanging it."""
    import threading

    from bot.slack.jobs import shutdown_all

    told: list[int] = []
    stop = threading.Thread(
        target=lambda: told.append(shutdown_all(0.05, tell_within)), daemon=True
    )
    stop.start()
    stop.join(timeout=tell_within + 5)
    assert told, "the stop did not end"
    return told[0]


def _log_id(text: str) -> str:
    found = re.search(r"log id is ([0-9a-f]+)", text)
    assert found, text
    return found.group(1)


@pytest.mark.parametrize("how", ["mention", "slash"])
def test_a_question_cut_off_by_a_restart_is_logged_under_the_apology_s_id(
    streaming: Running, llm_server: OpenAIStandIn, how: str
) -> None:
    """A question whose answer was still being written when ``serve`` stopped was told
    "briefbot restarted... The log id is X", but X was only in the application log: the
    conversation log (``briefbot logs``, the digest's questions, feedback) never had the
    question. It is logged under X, with the apology as its answer."""
    llm_server.hang(seconds=60, times=None)
    if how == "mention":
        streaming.slack.mention(CUT_OFF)
    else:
        streaming.slack.command("/brief", CUT_OFF, streaming.api.response_url("cut"))
    llm_server.wait_for("chat", timeout=20)  # the answer is being written
    assert _stop_as_serve_does(5) == 1
    method = "chat.postMessage" if how == "mention" else "response_url:cut"
    apology = streaming.api.wait_for(method)[-1].params["text"]
    assert "restarted before it finished answering" in apology
    row = streaming.briefing.log.get(_log_id(apology))
    assert row is not None, "the cut-off question is not in the conversation log"
    assert (row.question, row.answer, row.answered) == (CUT_OFF, apology, False)
    assert row.mode == "interrupted" and row.error and "interrupted" in row.error
    assert row.latency_ms is not None and row.latency_ms >= 0
    assert row.surface == ("slack_mention" if how == "mention" else "slash_brief")
    assert (row.channel, row.user) == ("C1", "U1")
    assert streaming.briefing.log.feedback(row.id, -1)
    llm_server.reset()  # the answer's own thread ends (the process would have)


@pytest.mark.parametrize("failure", ["refused", "hangs"])
def test_a_cut_off_question_the_log_cannot_take_stays_in_the_application_log(
    streaming: Running,
    llm_server: OpenAIStandIn,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    failure: str,
) -> None:
    """The database is gone at shutdown (it refuses, or it hangs): the asker is still
    told, the stop still ends within the time it is given, and the application log keeps
    the question with its id, in one line without a traceback."""
    import threading

    from sqlalchemy.exc import OperationalError

    from storage import exchanges

    llm_server.hang(seconds=60, times=None)
    streaming.slack.mention(CUT_OFF)
    llm_server.wait_for("chat", timeout=20)
    held = threading.Event()

    def gone(**_: Any) -> str:
        if failure == "hangs":
            held.wait(30)
        raise OperationalError("INSERT INTO exchanges", {}, Exception("server closed"))

    monkeypatch.setattr(exchanges, "record_exchange", gone)
    try:
        assert _stop_as_serve_does(0.5) == 1  # not held up by the database
        log_id = _log_id(streaming.api.wait_for("chat.postMessage")[-1].params["text"])
        errors = wait_until(
            lambda: [
                r.getMessage()
                for r in caplog.records
                if r.levelno >= logging.ERROR and log_id in r.getMessage()
            ]
        )
        if failure == "refused":
            assert CUT_OFF in errors[0] and "server closed" in errors[0]
        else:
            assert "not stored" in errors[0]
        assert not [r for r in caplog.records if r.exc_info and log_id in r.getMessage()]
    finally:
        held.set()
        llm_server.reset()
        streaming.settle()
        monkeypatch.undo()


# ---------------------------------------------------------------------------- hostile requests


def test_acks_do_not_need_a_reachable_web_api(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """With the Web API unreachable after start (identity known from the start-up check),
    every signed event is acked with 200, not 500; the failure shows up in the answer
    path's log instead."""
    import socket

    from bot.slack.app import BotIdentity

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/api/"
    settings = make_settings(
        database_url,
        tmp_path,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=dead,
    )
    identity = BotIdentity(team_id=TEAM, bot_user_id=BOT_USER, bot_id="BBOT")
    work, bolt, waits = TrackingExecutor(4), TrackingExecutor(4), Waits()
    with Briefing.open(settings) as briefing:
        client = make_web_client(settings, sleep=waits)  # retried at once, and in vain
        app = build_app(
            settings, briefing, client=client, work=work, listener_executor=bolt, identity=identity
        )
        with serve_in_thread(SlackFront(app, SIGNING_SECRET)) as url:
            slack = SlackDriver(url)
            assert slack.mention("What does the memorandum commit to?")[0].status == 200
            assert (
                slack.message("Who criticised it?", channel="D1", channel_type="im")[0].status
                == 200
            )
            bolt.drain()
            work.drain(timeout=30)
    work.shutdown()
    bolt.shutdown()
    assert waits.asked  # the unreachable Web API was retried
    assert "could not post the answer" in caplog.text
    assert briefing.log.export()  # the questions were answered and logged all the same


@pytest.mark.parametrize(
    ("body", "content_type", "signed", "status"),
    [
        ('{"type": "event_callback", "event": {"type": "app_', "application/json", False, 401),
        ('{"type": "event_callback", "event": {"type": "app_', "application/json", True, 400),
        ("[1]", "application/json", True, 400),
        ("null", "application/json", True, 400),
        ("payload=%7Bbroken", "application/x-www-form-urlencoded", False, 401),
        # a signed interactivity payload is acked: anything else shows the clicker an error
        ("payload=%7Bbroken", "application/x-www-form-urlencoded", True, 200),
    ],
)
def test_a_malformed_request_gets_one_short_log_line(
    running: Running,
    caplog: pytest.LogCaptureFixture,
    body: str,
    content_type: str,
    signed: bool,
    status: int,
) -> None:
    caplog.clear()
    assert running.slack.post(body, content_type, signed=signed).status == status
    said = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(said) == 1 and said[0].exc_info is None and said[0].exc_text is None
    assert "refused" in said[0].getMessage() or "cannot read" in said[0].getMessage()
    assert "Traceback" not in caplog.text
    running.settle()
    assert running.api.calls() == []


@pytest.mark.parametrize(
    "body",
    [
        # Slack sends this one whatever the app subscribes to; a non-200 counts against
        # the app, and Slack disables the subscriptions of an app that fails too often.
        {"type": "app_rate_limited", "team_id": TEAM, "minute_rate_limited": 1518467820,
         "api_app_id": "A1", "token": "t"},
        # events an app's settings may subscribe to that briefbot does not use
        {"type": "event_callback", "team_id": TEAM, "event_id": "EvTR1",
         "event": {"type": "tokens_revoked", "tokens": {"bot": [BOT_USER]}}},
        {"type": "event_callback", "team_id": TEAM, "event_id": "EvUN1",
         "event": {"type": "app_uninstalled"}},
        # a button on a message briefbot posted before an upgrade renamed its action_id
        {"type": "block_actions", "user": {"id": "U1"}, "team": {"id": TEAM},
         "channel": {"id": "C1"}, "response_url": "https://hooks.invalid/r",
         "actions": [{"action_id": "rate_answer", "value": "1", "type": "button"}]},
        {"type": "view_submission", "user": {"id": "U1"}, "team": {"id": TEAM},
         "view": {"id": "V1", "type": "modal", "callback_id": "old", "state": {"values": {}}}},
    ],
    ids=["app_rate_limited", "tokens_revoked", "app_uninstalled", "unknown button",
         "view_submission"],
)  # fmt: skip
def test_a_signed_request_briefbot_does_not_handle_is_acked_quietly(
    running: Running, caplog: pytest.LogCaptureFixture, body: dict[str, Any]
) -> None:
    """Acked with a 200 and one short log line, not Bolt's 404 with a code suggestion:
    Slack retries a 404 and counts it as a failed delivery."""
    from urllib.parse import urlencode

    caplog.set_level(logging.INFO)
    caplog.clear()
    if body["type"] in ("block_actions", "view_submission"):
        form = urlencode({"payload": json.dumps(body)})
        response = running.slack.post(form, "application/x-www-form-urlencoded")
    else:
        response = running.slack.post(json.dumps(body), "application/json")
    assert response.status == 200
    running.settle()
    assert running.api.calls() == []
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert len(said) == 1 and "\n" not in said[0] and "not handle" in said[0], said
    assert not any(r.exc_info for r in caplog.records)


def _set(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``payload`` with the field at ``path`` ("a.b.0") set to ``value``
    (or removed, when ``value`` is :data:`REMOVED`)."""
    import copy

    changed = copy.deepcopy(payload)
    *parents, last = path.split(".")
    where: Any = changed
    for key in parents:
        where = where[int(key)] if isinstance(where, list) else where.setdefault(key, {})
    if isinstance(where, list) and value is REMOVED:
        del where[int(last)]
    elif isinstance(where, list):
        where[int(last)] = value
    elif value is REMOVED:
        where.pop(last, None)
    else:
        where[last] = value
    return changed


REMOVED = object()
ODD_VALUES = [REMOVED, None, 7, "x", "", [], [7], {}, True]
#: Every field of a click or a modal's submission that Bolt or briefbot reads.
CLICK_FIELDS = [
    "type", "user", "user.id", "user.team_id", "team", "team.id", "channel", "channel.id",
    "container", "container.channel_id", "message", "response_url", "response_urls",
    "actions", "actions.0", "actions.0.action_id", "actions.0.value", "view", "enterprise",
    "authorizations", "is_enterprise_install", "callback_id", "trigger_id", "event",
]  # fmt: skip
VIEW_FIELDS = [
    "type", "view", "view.type", "view.callback_id", "view.id", "view.team_id",
    "view.app_installed_team_id", "view.state", "user", "user.id", "team", "team.id",
    "response_urls", "response_urls.0", "response_urls.0.response_url", "enterprise",
    "authorizations", "workflow_step",
]  # fmt: skip


def test_signed_interactivity_payloads_of_any_shape_are_acked_without_a_traceback(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """Each field Bolt or briefbot reads, set to every odd value JSON has (or removed),
    in a click on an answer's button, a modal's submission and its closing: always an
    empty 200, never a 500 (Slack would show the person an error); what briefbot cannot
    read is one warning line, never a traceback. The same bodies as JSON are refused (400)
    or acked, never a 500."""
    from slackkit import click_payload, view_payload

    exchange_id = _answered(running)
    bases = [
        (click_payload("show_quotes", exchange_id, running.api.response_url("odd")), CLICK_FIELDS),
        (view_payload("view_submission"), VIEW_FIELDS),
        (view_payload("view_closed"), VIEW_FIELDS),
    ]
    caplog.set_level(logging.INFO)
    caplog.clear()
    for base, fields in bases:
        for field in fields:
            for value in ODD_VALUES:
                payload = _set(base, field, value)
                response = running.slack.interaction(payload)
                assert (response.status, response.body) == (200, ""), (field, value)
                # the same as JSON, which Slack never sends: refused or acked, never a 500
                as_json = running.slack.post(json.dumps(payload), "application/json")
                assert as_json.status in (200, 400), (field, value)
    running.settle()
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [r.getMessage() for r in bad]
    assert all("\n" not in r.getMessage() for r in caplog.records)
    running.api.reset()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"type": "view_submission", "view": None}, "without a view"),
        ({"type": "view_submission", "view": {"callback_id": "x"}},
         "without a view that has a callback_id and a type"),
        ({"view": {"id": "V1", "type": "modal", "callback_id": "old"}}, "without a type"),
        ({"type": "view_closed", "view": 1}, "view is not an object"),
        ({"type": "block_actions", "actions": [{}]}, "no action_id"),
        ({"type": "block_actions", "actions": []}, "without actions"),
        ({"type": "block_actions", "user": 5, "actions": [{"action_id": "show_quotes"}]},
         "user is not an object"),
    ],
    ids=["view null", "view without a type", "no type", "view a number", "action without id",
         "no actions", "user a number"],
)  # fmt: skip
def test_a_malformed_interactivity_payload_is_acked_with_one_warning(
    running: Running, caplog: pytest.LogCaptureFixture, payload: dict[str, Any], reason: str
) -> None:
    caplog.clear()
    response = running.slack.interaction(payload)
    assert (response.status, response.body) == (200, "")
    said = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert len(said) == 1 and said[0].levelno == logging.WARNING, said
    assert "cannot read" in said[0].getMessage() and reason in said[0].getMessage()
    assert said[0].exc_info is None
    running.settle()
    assert running.api.calls() == []


@pytest.mark.parametrize("response_url", [None, "", "javascript:alert(1)"])
@pytest.mark.parametrize("text", ["Who criticised the deal?", "sources", "digest"])
def test_a_slash_command_without_a_response_url_is_refused_in_one_line(
    running: Running, caplog: pytest.LogCaptureFixture, text: str, response_url: str | None
) -> None:
    """Slack sends every slash command with a response_url, where all of its answer but
    the ack goes: without one, the work after the ack could only fail, twice over (the
    answer, then the apology), each with a traceback."""
    from urllib.parse import urlencode

    form = {"team_id": TEAM, "channel_id": "C1", "channel_name": "general", "user_id": "U1",
            "command": "/brief", "text": text, "trigger_id": "t1"}  # fmt: skip
    if response_url is not None:
        form["response_url"] = response_url
    caplog.clear()
    response = running.slack.post(urlencode(form), "application/x-www-form-urlencoded")
    assert response.status == 400
    running.settle()
    said = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(said) == 1 and "without a response_url" in said[0].getMessage()
    assert not any(r.exc_info for r in caplog.records)
    assert running.api.calls() == []


def test_the_same_fields_in_a_json_body_are_refused_not_a_500(running: Running) -> None:
    """Slack sends interactivity as a form; a signed JSON body with those fields is
    refused like any JSON body Bolt cannot read (400), not answered with a 500."""
    for payload in ({"type": "view_submission", "view": None},
                    {"type": "block_actions", "actions": [{}]}):  # fmt: skip
        assert running.slack.post(json.dumps(payload), "application/json").status == 400


def test_bodies_without_a_length_or_too_large_are_refused(running: Running) -> None:
    import socket
    import urllib.error
    import urllib.request
    from urllib.parse import urlsplit

    from bot.slack.front import MAX_BODY_BYTES

    # Refused on its Content-Length, before a byte of the body is read: the client sends
    # only the headers, so the answer cannot race the upload.
    where = urlsplit(running.slack.url)
    with socket.create_connection((where.hostname, where.port), timeout=5) as sock:
        sock.sendall(
            f"POST {where.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode()
        )
        assert sock.recv(100).startswith(b"HTTP/1.0 413 ")
    with socket.create_connection((where.hostname, where.port), timeout=5) as sock:
        sock.sendall(f"POST {where.path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert sock.recv(100).startswith(b"HTTP/1.0 411 ")
    request = urllib.request.Request(running.slack.url, method="GET")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    assert info.value.code == 405


def test_nul_in_a_mention_or_a_quote_topic_is_answered_and_logged(running: Running) -> None:
    """Slack's JSON may carry \\u0000; PostgreSQL text cannot hold it. The exchange is
    answered and logged all the same."""
    _, ts = running.slack.mention("What does the memorandum\u0000 commit to?")
    post = running.api.wait_for("chat.postMessage")[0]
    assert post.params["thread_ts"] == ts and "non-binding" in block_text(post.json_param("blocks"))
    running.slack.command("/quote", "non-\u0000binding", running.api.response_url("q"))
    running.api.wait_for("response_url:q")
    running.settle()
    rows = running.briefing.log.export()
    assert [r["surface"] for r in rows] == ["slack_mention", "slash_quote"]
    assert rows[0]["question"] == "What does the memorandum commit to?"
    assert rows[1]["question"] == "non- binding"


def test_a_standalone_follow_up_after_an_off_topic_one_is_answered(running: Running) -> None:
    """Slack threads share the condensing path: an off-topic turn before a question that
    stands on its own does not get it refused."""
    off_topic = "What is the recipe for lasagna with bechamel sauce?"
    _, root = running.slack.mention(off_topic)
    running.api.wait_for("chat.postMessage")
    running.api.set_replies(
        "C1",
        root,
        [
            {"ts": root, "user": "U1", "text": f"<@{BOT_USER}> {off_topic}"},
            {"ts": next_ts(), "bot_id": "BBOT", "user": BOT_USER, "text": "Not in the sources."},
        ],
    )
    running.slack.message("What does the memorandum commit to?", thread_ts=root)
    posts = running.api.wait_for("chat.postMessage", count=2)
    assert "non-binding" in block_text(posts[1].json_param("blocks"))
    row = running.briefing.log.export()[-1]
    assert row["surface"] == "slack_thread" and row["answered"] is True
