"""The digest from Slack, over signed HTTP against the recording Web API stand-in:
/brief digest and its Post button, /brief subscribe, unsubscribe and subscriptions."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_slack_app import Running, action_ids, block_text, run_app, slack_settings

from bot.slack.app import make_web_client
from bot.slack.digest_post import METADATA_TYPE, DigestPoster
from slackkit import Waits
from standins import SlackAPIStandIn


@pytest.fixture
def running(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    settings = slack_settings(database_url, tmp_path, api, digest_channels="C0TEAM1")
    yield from run_app(settings, api)


def add_last_weeks_article(running: Running, tmp_path: Path) -> None:
    week = running.briefing.digests.period()
    path = tmp_path / "last-week.md"
    path.write_text(
        "---\ntitle: Ministers agree on smuggling intelligence\nsource: Test Wire\n"
        f"published: {week.start + timedelta(days=2)}\n---\n\n"
        "Ministers from four countries agreed to share intelligence on smuggling networks.\n",
        encoding="utf-8",
    )
    assert running.briefing.ingest([path]).added == 1


def brief(running: Running, text: str, name: str, **kwargs: str) -> str:
    """Run /brief TEXT; the text of the (first) reply through the response url."""
    with running.work.held():  # acked while the work cannot even start
        response = running.slack.command("/brief", text, running.api.response_url(name), **kwargs)
        assert response.status == 200
        assert running.api.calls(f"response_url:{name}") == []
    reply = running.api.wait_for(f"response_url:{name}")[0]
    return str(reply.params.get("text"))


@pytest.mark.parametrize(
    ("channel", "channel_name"), [("D0PEOPLE1", "directmessage"), ("G0MPIM001", "mpdm-a--b-1")]
)
def test_a_direct_message_cannot_subscribe(
    running: Running, channel: str, channel_name: str
) -> None:
    """briefbot cannot be invited to a DM or a group DM, so a digest subscribed there
    could never be posted: it says so instead of announcing a subscription."""
    said = brief(running, "subscribe", "s1", user="U5", channel=channel, channel_name=channel_name)
    assert "posted to channels, not direct messages" in said
    assert running.briefing.digests.subscriptions() == []


def test_a_subscription_whose_announcement_drops_is_announced_once(running: Running) -> None:
    """The channel is told of a subscription once, even when the connection drops after
    the announcement landed (Bolt's ``respond`` sent it again); the person who typed the
    command gets the usual apology with a log id, since Slack did not confirm it."""
    running.api.drop("response_url:s1", times=1)
    running.slack.command(
        "/brief", "subscribe", running.api.response_url("s1"), user="U5", channel="C0NEWS1"
    )
    running.api.wait_for("response_url:s1")
    running.settle()
    said = [c.params["response_type"] for c in running.api.calls("response_url:s1")]
    assert said == ["in_channel", "ephemeral"]
    assert [s.channel for s in running.briefing.digests.subscriptions()] == ["C0NEWS1"]


def test_subscribe_unsubscribe_and_list_from_slack(running: Running) -> None:
    said = brief(running, "subscribe", "s1", user="U5", channel="C0NEWS1")
    reply = running.api.calls("response_url:s1")[0]
    assert reply.params["response_type"] == "in_channel"  # the channel should know
    assert said.startswith("<@U5> subscribed this channel to the weekly digest")
    assert "UTC" in said and "`/brief unsubscribe`" in said
    [subscription] = running.briefing.digests.subscriptions()
    assert (subscription.channel, subscription.subscribed_by) == ("C0NEWS1", "U5")
    again = brief(running, "subscribe", "s2", user="U6", channel="C0NEWS1")
    assert again == "This channel is already subscribed to the weekly digest."
    assert running.api.calls("response_url:s2")[0].params["response_type"] == "ephemeral"
    brief(running, "subscriptions", "l1")
    listing = block_text(running.api.calls("response_url:l1")[0].params["blocks"])
    assert "<#C0TEAM1> (BRIEFBOT_DIGEST_CHANNELS)" in listing
    assert "<#C0NEWS1>: subscribed by <@U5> on " in listing
    gone = brief(running, "unsubscribe", "u1", user="U7", channel="C0NEWS1")
    assert gone == "<@U7> unsubscribed this channel from the weekly digest."
    assert running.briefing.digests.subscriptions() == []
    assert brief(running, "unsubscribe", "u2", channel="C0NEWS1") == (
        "This channel is not subscribed to the weekly digest."
    )


def test_subscriptions_are_dated_in_the_team_s_time_zone(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """``/brief subscriptions`` showed the day a channel subscribed in UTC, naming no
    zone, where the digest beside it (its week, its next post) is in BRIEFBOT_TIMEZONE:
    a channel subscribed on Monday morning in Auckland read as subscribed on Sunday."""
    from storage import digests

    settings = slack_settings(database_url, tmp_path, api, timezone="Pacific/Auckland")
    monday_morning = datetime(2019, 3, 31, 23, 30, tzinfo=UTC)  # 1 Apr 12:30 in Auckland
    with contextmanager(run_app)(settings, api) as running:
        with running.briefing.db.session() as session:
            digests.subscribe(
                session=session, channel="C0NEWS1", user="U5", workspace=None, now=monday_morning
            )
        brief(running, "subscriptions", "l1")
        listing = block_text(running.api.calls("response_url:l1")[0].params["blocks"])
    assert "<#C0NEWS1>: subscribed by <@U5> on 1 Apr 2019" in listing, listing
    assert "Pacific/Auckland" in listing  # the zone the days are in is named


def test_a_configured_channel_is_managed_by_configuration(running: Running) -> None:
    assert "it is in BRIEFBOT_DIGEST_CHANNELS" in brief(
        running, "subscribe", "a", channel="C0TEAM1"
    )
    assert "whoever runs briefbot can remove it" in brief(
        running, "unsubscribe", "b", channel="C0TEAM1"
    )
    assert running.briefing.digests.subscriptions() == []


def test_brief_digest_shows_it_privately_and_posts_it_once(
    running: Running, tmp_path: Path
) -> None:
    add_last_weeks_article(running, tmp_path)
    ack = running.slack.command("/brief", "digest", running.api.response_url("d"), channel="C1")
    assert ack.json()["response_type"] == "ephemeral"
    shown = running.api.wait_for("response_url:d")[0]
    assert shown.params["response_type"] == "ephemeral"
    blocks = shown.params["blocks"]
    assert "Ministers agree on smuggling intelligence" in block_text(blocks)
    assert action_ids(blocks) == ["post_digest"]
    key = running.briefing.digests.period().key
    assert blocks[-1]["elements"][0]["value"] == key
    assert running.api.calls("chat.postMessage") == []  # nothing public yet

    running.slack.click("post_digest", key, running.api.response_url("p1"), user="U5")
    done = running.api.wait_for("response_url:p1")[0]
    assert done.params["text"].startswith("Posted the digest of ")
    [post] = running.api.calls("chat.postMessage")
    assert post.params["channel"] == "C1"
    assert post.params["metadata"]["event_type"] == METADATA_TYPE
    assert "posted by <@U5>" in block_text(post.params["blocks"])

    running.slack.click("post_digest", key, running.api.response_url("p2"))
    again = running.api.wait_for("response_url:p2")[0]
    assert "is already in this channel" in again.params["text"]
    # The schedule's run goes through the same claim: C1 is not posted to again.
    poster = DigestPoster(running.briefing, make_web_client(running.settings, sleep=Waits()))
    report = poster.post(running.briefing.digests.digest(), ["C1", "C0TEAM1"])
    assert [o.result for o in report.outcomes] == ["already posted", "posted"]
    assert [c.params["channel"] for c in running.api.calls("chat.postMessage")] == [
        "C1",
        "C0TEAM1",
    ]


def test_the_post_button_says_when_briefbot_is_not_in_the_channel(
    running: Running, tmp_path: Path
) -> None:
    add_last_weeks_article(running, tmp_path)
    key = running.briefing.digests.period().key
    running.api.error("chat.postMessage", "not_in_channel")
    running.slack.click("post_digest", key, running.api.response_url("p1"))
    reply = running.api.wait_for("response_url:p1")[0]
    assert "invite me first" in reply.params["text"]
    running.slack.click("post_digest", key, running.api.response_url("p2"))  # after /invite
    assert running.api.wait_for("response_url:p2")[0].params["text"].startswith("Posted")


@pytest.mark.parametrize("channel", ["G0PRIVATE1", "D0PEOPLE1"])
def test_the_post_button_in_a_conversation_briefbot_is_not_in_says_to_invite_it(
    running: Running, tmp_path: Path, channel: str
) -> None:
    """Slack answers channel_not_found, not not_in_channel, for a private channel or a
    DM briefbot is not in: the person who clicked is told to invite briefbot, as in a
    public channel, not that the post will not be "tried again this period" (a
    scheduled run's rule) and to "unsubscribe" a channel that never subscribed."""
    add_last_weeks_article(running, tmp_path)
    key = running.briefing.digests.period().key
    running.api.error("chat.postMessage", "channel_not_found")
    running.slack.click("post_digest", key, running.api.response_url("p1"), channel=channel)
    said = running.api.wait_for("response_url:p1")[0].params["text"]
    assert "invite me" in said
    assert "unsubscribe" not in said and "this period" not in said
    running.slack.click("post_digest", key, running.api.response_url("p2"), channel=channel)
    assert running.api.wait_for("response_url:p2")[0].params["text"].startswith("Posted")


def test_a_forged_post_button_is_refused(running: Running) -> None:
    running.slack.click("post_digest", "1999-01-01/2999-01-01 UTC", running.api.response_url("f"))
    reply = running.api.wait_for("response_url:f")[0]
    assert "the longest is 92" in reply.params["text"]
    running.slack.click("post_digest", "<!channel>", running.api.response_url("g"))
    reply = running.api.wait_for("response_url:g")[0]
    assert "does not name a digest period" in reply.params["text"]
    assert "<!channel>" not in reply.params["text"]
    running.settle()
    assert running.api.calls("chat.postMessage") == []


def test_help_mentions_the_digest_commands(running: Running) -> None:
    response = running.slack.command("/brief", "help", running.api.response_url())
    assert "/brief subscribe" in block_text(response.json()["blocks"])


def test_a_digest_preview_the_response_url_refuses_is_logged_and_sent_as_text(
    running: Running, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``/brief digest`` sent its preview through Bolt's ``respond`` unchecked: blocks
    the response_url refused left "Putting the weekly digest together…" in place for
    good, with nothing in the log. Now the refusal is logged (without the url) and the
    digest is sent as plain text, escaped and within one message."""
    add_last_weeks_article(running, tmp_path)
    url = running.api.response_url("d")
    running.api.refuse_blocks("response_url:d", "msg_blocks_too_long", status=400)
    with caplog.at_level(logging.WARNING):
        running.slack.command("/brief", "digest", url)
        refused, sent = running.api.wait_for("response_url:d", count=2)
        running.settle()
    assert refused.params["blocks"] and not sent.params.get("blocks")
    assert sent.params["replace_original"] is True
    text = sent.params["text"]
    assert "Ministers agree on smuggling intelligence" in text and "What each side says" in text
    assert len(text) <= 3000
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refusals == ["the response_url refused the digest: msg_blocks_too_long (HTTP 400)"]
    assert url not in caplog.text
