"""Attacks on the weekly digest and what schedules and posts it: each test here failed on
the code it was written against, for the reason its docstring gives.

Against the recording Slack stand-in (and, with BRIEFBOT_TEST_DATABASE_URL, PostgreSQL):
Slack errors that Slack itself says may have been carried out, a channel unsubscribed
while a run posts, a busy channel's history, a takeover chain for a period that ends in
the future, malformed subscription commands, and a feed entry's date across midnight UTC.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from test_slack_app import Running, run_app, slack_settings

from bot.clock import run_due_digest
from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.digest_service import Digests
from bot.core.feedparse import parse_feed
from bot.core.metadata import parse_date
from bot.core.period import Period, iso_week
from bot.slack.app import make_web_client
from bot.slack.digest_post import METADATA_TYPE, DigestPoster
from conftest import Result, make_settings
from slackkit import BOT_TOKEN, Waits
from standins import SlackAPIStandIn
from storage import digests

W13 = iso_week("2019-W13", "UTC")
T0 = datetime(2019, 4, 1, 9, tzinfo=UTC)  # Monday 09:00, the schedule's run for W13


def client_for(api: SlackAPIStandIn) -> Any:
    """The client briefbot makes (its retries included), pointed at the stand-in; its
    waits between attempts are recorded, not waited."""
    settings = Settings.isolated(slack_bot_token=BOT_TOKEN, slack_api_url=api.url)
    return make_web_client(settings, sleep=Waits())


def poster_at(briefing: Briefing, api: SlackAPIStandIn, when: datetime, name: str) -> DigestPoster:
    return DigestPoster(briefing, client_for(api), clock=lambda: when, name=name)


def add_article(briefing: Briefing, folder: Path, published: str = "2019-03-27") -> None:
    path = folder / f"ministers-{published}.md"
    path.write_text(
        "---\ntitle: Ministers agree on smuggling intelligence\nsource: Test Wire\n"
        f"published: {published}\n---\n\nMinisters from four countries agreed on Wednesday to "
        "share intelligence on the smuggling networks along their borders.\n",
        encoding="utf-8",
    )
    assert briefing.ingest([path]).added == 1


def channels_posted(api: SlackAPIStandIn) -> list[str]:
    return [c.params["channel"] for c in api.calls("chat.postMessage")]


# ---------------------------------------------------------------------- double posts


@pytest.mark.parametrize("error", ["fatal_error", "internal_error"])
def test_an_error_slack_says_may_have_been_carried_out_is_not_posted_again(
    briefing: Briefing, tmp_path: Path, api: SlackAPIStandIn, error: str
) -> None:
    """Slack documents ``fatal_error`` and ``internal_error`` (HTTP 200, ``ok: false``) as
    "It's possible some aspect of the operation succeeded before the error was raised".
    The poster reads them as refusals: it releases the claim, and the next run (the
    catch-up, 30 minutes later) posts the digest again, so the channel shows it twice.
    Such a post must be handled as one Slack did not answer: claim kept, channel looked
    at before any other post."""
    add_article(briefing, tmp_path)
    digest = briefing.digests.digest(W13)
    in_channel: list[dict[str, Any]] = []
    answers = iter([{"ok": False, "error": error}])

    def post(call: Any) -> dict[str, Any]:  # Slack carries the post out, then says `error`
        message = {
            "type": "message",
            "ts": api.next_ts(),
            "text": call.params.get("text"),
            "metadata": call.params.get("metadata"),
        }
        in_channel.append(message)
        ok = {"ok": True, "channel": call.params["channel"], "ts": message["ts"]}
        return next(answers, ok)

    def history(call: Any) -> dict[str, Any]:
        messages = list(reversed(in_channel))
        return {"ok": True, "messages": messages, "response_metadata": {"next_cursor": ""}}

    api.set_response("chat.postMessage", post)
    api.set_response("conversations.history", history)
    first = poster_at(briefing, api, T0, "clock-a").post(digest, ["C1"])
    assert first.outcomes[0].result == "failed"
    poster_at(briefing, api, T0 + timedelta(minutes=30), "clock-b").post(digest, ["C1"])
    assert len(in_channel) == 1, "the digest was posted twice in C1"


def test_a_takeover_chain_for_a_period_still_running_finds_the_first_post(
    briefing: Briefing, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """``briefbot digest --post --since 2019-04-01`` on Wednesday 3 April posts a period
    that ends on Thursday. Poster A's post reaches Slack and A dies before recording it;
    B takes the claim over and cannot read the history (rate limited), leaving its own
    time on the claim; C, later, looks back only to B's takeover (``_earliest_post`` takes
    the claim time when the period has not ended), misses A's post, and posts again."""
    add_article(briefing, tmp_path, "2019-04-02")
    period = Period(date(2019, 4, 1), date(2019, 4, 4), "UTC")
    digest = briefing.digests.digest(period)
    t_a = datetime(2019, 4, 3, 10, tzinfo=UTC)
    with briefing.db.session() as s:
        assert digests.claim_delivery(
            session=s, channel="C1", period=period.key, token="dead", claimed_by="A", now=t_a
        )
    landed_at = (t_a + timedelta(seconds=5)).timestamp()
    landed: dict[str, Any] = {  # A's post, 5 seconds after its claim
        "type": "message",
        "ts": f"{landed_at:.6f}",
        "text": "Digest",
        "metadata": {"event_type": METADATA_TYPE, "event_payload": {"period": period.key}},
    }

    def history(call: Any) -> dict[str, Any]:  # as Slack does: only messages since `oldest`
        oldest = float(call.params.get("oldest") or 0)
        messages = [landed] if landed_at >= oldest else []
        return {"ok": True, "messages": messages, "response_metadata": {"next_cursor": ""}}

    api.set_response("conversations.history", history)
    api.error("conversations.history", "ratelimited")
    b = poster_at(briefing, api, t_a + timedelta(minutes=11), "B")
    assert b.post(digest, ["C1"]).outcomes[0].result == "failed"
    c = poster_at(briefing, api, t_a + timedelta(minutes=41), "C")
    assert c.post(digest, ["C1"]).outcomes[0].result == "already posted"
    assert channels_posted(api) == []


# ---------------------------------------------------------------------- lost digests


def test_a_busy_channel_still_gets_a_digest_slack_did_not_take(
    briefing: Briefing, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """A channel with about 1,300 messages since Monday 00:00 (one every 25 seconds). The
    09:00 post gets a 500 that Slack did not carry out, so its claim is kept and the next
    run reads the history before posting. It reads from the period's end (Monday 00:00),
    not from the claim (09:00): more than five pages of 200 messages, so every run gives
    up ("more than 5 pages of messages to look through"), and the channel never gets
    this week's digest."""
    add_article(briefing, tmp_path)
    digest = briefing.digests.digest(W13)
    start = W13.until.timestamp()  # Monday 00:00 UTC
    chatter = [start + 25 * i for i in range(int((T0.timestamp() + 3 * 3600 - start) / 25))]

    def history(call: Any) -> dict[str, Any]:  # newest first, from `oldest`, 200 a page
        oldest = float(call.params.get("oldest") or 0)
        page = int(call.params.get("cursor") or 0)
        seen = sorted((t for t in chatter if oldest <= t <= clock_now[0]), reverse=True)
        chunk = seen[page * 200 : (page + 1) * 200]
        more = len(seen) > (page + 1) * 200
        return {
            "ok": True,
            "messages": [{"type": "message", "ts": f"{t:.6f}", "text": "chatter"} for t in chunk],
            "has_more": more,
            "response_metadata": {"next_cursor": str(page + 1) if more else ""},
        }

    clock_now = [T0.timestamp()]
    api.set_response("conversations.history", history)
    api.fail("chat.postMessage", status=500)  # not carried out; Slack does not say so
    first = poster_at(briefing, api, T0, "clock").post(digest, ["C1"])
    assert first.outcomes[0].result == "failed"
    for minutes in (11, 41, 71, 101):  # the catch-up's next runs
        when = T0 + timedelta(minutes=minutes)
        clock_now[0] = when.timestamp()
        poster_at(briefing, api, when, "clock").post(digest, ["C1"])
    assert channels_posted(api) == ["C1", "C1"], "the digest never reached C1"


# ---------------------------------------------------------------------- unsubscribing


def test_a_channel_unsubscribed_while_a_run_posts_to_others_does_not_get_it(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """The clock reads its destinations once more after writing the digest, then posts
    channel after channel. Slack is slow for the first channel (a hang, rate limits...);
    meanwhile /brief unsubscribe in the second one says "unsubscribed" — and a second
    later the digest is posted there anyway."""
    settings = make_settings(
        database_url, tmp_path, slack_bot_token=BOT_TOKEN, slack_api_url=api.url
    )
    with Briefing.open(settings) as briefing:
        add_article(briefing, tmp_path, "2019-04-03")
        with time_machine.travel(datetime(2019, 4, 1, 8, tzinfo=UTC), tick=False):
            assert briefing.digests.subscribe("C0FIRST", "U1", "T1")
            assert briefing.digests.subscribe("C0GOING", "U1", "T1")
        poster = DigestPoster(briefing, client_for(api))
        api.hang("chat.postMessage", seconds=1.0, times=1)  # Slack is slow for C0FIRST

        def unsubscribe_meanwhile() -> None:
            api.wait_for("chat.postMessage")  # C0FIRST's post is under way
            assert briefing.digests.unsubscribe("C0GOING")

        other = threading.Thread(target=unsubscribe_meanwhile)
        other.start()
        run_due_digest(settings, briefing, poster, datetime(2019, 4, 8, 9, 5, tzinfo=UTC))
        other.join(timeout=30)
    assert channels_posted(api) == ["C0FIRST"]


def test_digest_post_skips_a_channel_unsubscribed_while_the_digest_is_written(
    cli: Callable[..., Result],
    briefing: Briefing,
    tmp_path: Path,
    api: SlackAPIStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``briefbot digest --post`` reads the subscribed channels before writing the digest
    (minutes with a model) and posts to that list: a channel unsubscribed meanwhile, and
    told so, gets the digest. (The clock reads them again after writing; the command
    does not.)"""
    add_article(briefing, tmp_path)
    assert briefing.digests.subscribe("C0GOING", "U1", "T1")
    assert briefing.digests.subscribe("C0STAYS", "U1", "T1")
    written = Digests.digest

    def slowly(self: Digests, *args: Any, **kwargs: Any) -> Any:
        assert self.unsubscribe("C0GOING")  # /brief unsubscribe, while the model writes
        return written(self, *args, **kwargs)

    monkeypatch.setattr(Digests, "digest", slowly)
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": api.url}
    result = cli("digest", "--week", "2019-W13", "--post", env=env)
    assert result.code == 0, result.err
    assert channels_posted(api) == ["C0STAYS"]


# ---------------------------------------------------------------------- malformed commands


@pytest.fixture
def running(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    settings = slack_settings(database_url, tmp_path, api, digest_channels="C0TEAM1")
    yield from run_app(settings, api)


@pytest.mark.parametrize(
    "text",
    ["subscribe #general", "subscribe <#C0OTHER|general>", "unsubscribe please", "Subscribe."],
)
def test_a_malformed_subscription_command_is_not_answered_as_a_question(
    running: Running, text: str
) -> None:
    """``/brief subscribe #general`` (someone subscribing another channel), ``unsubscribe
    please`` or ``Subscribe.`` fall through to the question path: "Looking into: ...",
    then "Not in the sources", or for "Subscribe." a cited summary of the memorandum;
    nothing says how to subscribe, and nothing is subscribed. (``/brief feeds`` with
    wrong arguments gets a usage line.)"""
    with running.work.held():
        ack = running.slack.command(
            "/brief", text, running.api.response_url("s"), user="U5", channel="C0NEWS1"
        )
    running.settle()
    acked = ack.json() or {}
    said = [str(acked.get("text") or "")]
    said += [str(c.params.get("text") or "") for c in running.api.calls("response_url:s")]
    assert not any(s.startswith("Looking into") for s in said), said
    assert any("subscribe" in s.lower() for s in said), said


# ---------------------------------------------------------------------- the week of an article


def test_a_feed_entry_is_dated_as_its_publisher_dated_it_not_in_utc() -> None:
    """A feed entry published on Sunday 31 March at 22:00 New York time is dated Monday
    1 April: feedparser's ``published_parsed`` is in UTC, and ``_date`` keeps its day. So
    a team in New York finds its Sunday-evening news missing from Monday's digest and
    listed in the next week's, dated Monday; the same article read from its page's
    metadata (``2019-03-31T22:00:00-05:00``) is dated Sunday."""
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        b"<link>https://news.example/</link><description>d</description><item>"
        b"<title>Sunday night vote</title><link>https://news.example/a</link><guid>a</guid>"
        b"<pubDate>Sun, 31 Mar 2019 22:00:00 -0500</pubDate><description>x</description>"
        b"</item></channel></rss>"
    )
    [item] = parse_feed(rss, "https://news.example/feed", "application/rss+xml").items
    assert parse_date("2019-03-31T22:00:00-05:00", "published") == date(2019, 3, 31)
    assert item.published == date(2019, 3, 31)
    assert W13.contains(item.published)
