"""Posting the digest exactly once per channel and period, against the recording Slack
stand-in, on SQLite and PostgreSQL: re-runs, four posters at once, a crash between claim
and post (and between post and record), failures retried, channels that are gone."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import text

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.digest import Digest
from bot.core.period import iso_week
from bot.slack.app import make_web_client
from bot.slack.digest_post import METADATA_TYPE, DigestPoster
from conftest import Result, make_settings
from slackkit import BOT_TOKEN, Waits
from standins import SlackAPIStandIn
from storage import digests, migrate
from storage.db import Database

W13 = iso_week("2019-W13", "UTC")
T0 = datetime(2019, 4, 1, 9, tzinfo=UTC)


def client_for(api: SlackAPIStandIn, waits: Waits | None = None) -> WebClient:
    """The client briefbot makes, retries included, pointed at the stand-in; its waits
    between attempts go to ``waits`` (and are not waited)."""
    settings = Settings.isolated(slack_bot_token=BOT_TOKEN, slack_api_url=api.url)
    return make_web_client(settings, sleep=waits or Waits())


def add_article(briefing: Briefing, folder: Path) -> None:
    path = folder / "ministers.md"
    path.write_text(
        "---\ntitle: Ministers agree on smuggling intelligence\nsource: Test Wire\n"
        "published: 2019-03-27\n---\n\nMinisters from four countries agreed on Wednesday to "
        "share intelligence on the smuggling networks along their borders.\n",
        encoding="utf-8",
    )
    assert briefing.ingest([path]).added == 1


@pytest.fixture
def digest(briefing: Briefing, tmp_path: Path) -> Digest:
    add_article(briefing, tmp_path)
    return briefing.digests.digest(W13)


def poster_at(
    briefing: Briefing,
    api: SlackAPIStandIn,
    when: datetime,
    name: str = "p1",
    waits: Waits | None = None,
) -> DigestPoster:
    return DigestPoster(briefing, client_for(api, waits), clock=lambda: when, name=name)


def channels_posted(api: SlackAPIStandIn) -> list[str]:
    return [c.params["channel"] for c in api.calls("chat.postMessage")]


def row(briefing: Briefing, channel: str) -> digests.Delivery | None:
    with briefing.db.session() as s:
        return digests.get_delivery(session=s, channel=channel, period=W13.key)


def test_a_rerun_posts_nothing_twice(
    briefing: Briefing, digest: Digest, api: SlackAPIStandIn
) -> None:
    poster = poster_at(briefing, api, T0)
    first = poster.post(digest, ["C1", "C2"])
    assert [o.result for o in first.outcomes] == ["posted", "posted"]
    second = poster.post(digest, ["C1", "C2", "C1"])
    assert [o.result for o in second.outcomes] == ["already posted", "already posted"]
    assert channels_posted(api) == ["C1", "C2"]
    call = api.calls("chat.postMessage")[0]
    assert call.params["metadata"] == {
        "event_type": METADATA_TYPE,
        "event_payload": {"period": W13.key},
    }
    assert call.params["unfurl_links"] is False
    delivered = row(briefing, "C1")
    assert delivered is not None and delivered.status == "posted"
    assert delivered.message_ts == call_ts(api, "C1")
    assert second.summary().endswith("2 channel(s), 0 posted, 2 skipped, 0 failed")


def call_ts(api: SlackAPIStandIn, channel: str) -> str:
    return str(next(m["ts"] for m in api.history(channel)))


def test_four_posters_at_once_post_once_per_channel(
    settings: Settings, briefing: Briefing, digest: Digest, api: SlackAPIStandIn
) -> None:
    """Four processes' worth of posters (each its own engine and connections) start
    together; every post takes a while, so all four are claiming while posts are in
    flight."""
    api.hang("chat.postMessage", seconds=0.2, times=None)
    channels = ["C1", "C2", "C3"]
    start = threading.Barrier(4)
    results: list[str] = []
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            with Briefing.open(settings) as own:
                poster = DigestPoster(own, client_for(api), name=f"poster-{n}")
                start.wait(timeout=30)
                report = poster.post(digest, channels)
                results.extend(o.result for o in report.outcomes)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert sorted(channels_posted(api)) == channels
    assert results.count("posted") == 3
    assert len(results) == 12 and set(results) <= {"posted", "in progress", "already posted"}


def test_a_crash_between_claim_and_post_is_resolved_by_the_next_run(
    briefing: Briefing, digest: Digest, api: SlackAPIStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    with briefing.db.session() as s:  # a poster claimed C1, then died before posting
        digests.claim_delivery(
            session=s, channel="C1", period=W13.key, token="dead", claimed_by="dead:1", now=T0
        )
    soon = poster_at(briefing, api, T0 + timedelta(minutes=2)).post(digest, ["C1"])
    assert soon.outcomes[0].result == "in progress"  # it might still be posting
    assert channels_posted(api) == []
    with caplog.at_level(logging.WARNING, logger="bot.slack.digest_post"):
        later = poster_at(briefing, api, T0 + timedelta(minutes=11)).post(digest, ["C1"])
    assert later.outcomes[0].result == "posted"
    assert "dead:1 claimed C1" in caplog.text
    assert api.calls("conversations.history")  # looked before posting
    again = poster_at(briefing, api, T0 + timedelta(minutes=30)).post(digest, ["C1"])
    assert again.outcomes[0].result == "already posted"
    assert channels_posted(api) == ["C1"]


def test_a_crash_after_the_post_is_found_in_the_channel_and_not_posted_again(
    briefing: Briefing, digest: Digest, api: SlackAPIStandIn
) -> None:
    with briefing.db.session() as s:
        digests.claim_delivery(
            session=s, channel="C1", period=W13.key, token="dead", claimed_by="dead:1", now=T0
        )
    # The dead poster's message did reach Slack; it died before recording it.
    client_for(api).chat_postMessage(
        channel="C1",
        text="Weekly digest",
        metadata={"event_type": METADATA_TYPE, "event_payload": {"period": W13.key}},
    )
    report = poster_at(briefing, api, T0 + timedelta(minutes=11)).post(digest, ["C1"])
    assert report.outcomes[0].result == "already posted"
    assert report.outcomes[0].detail == "found in the channel"
    assert channels_posted(api) == ["C1"]  # only the dead poster's
    delivered = row(briefing, "C1")
    assert delivered is not None and delivered.status == "posted"
    assert delivered.message_ts == call_ts(api, "C1")


@pytest.mark.parametrize(
    "fault",
    [
        lambda api: api.drop("chat.postMessage"),  # taken, then the connection dropped
        lambda api: api.hang("chat.postMessage", seconds=2),  # taken, answered too late
        lambda api: api.fail("chat.postMessage", status=500),
    ],
    ids=["dropped", "timeout", "http_500"],
)
def test_a_post_slack_does_not_answer_is_not_repeated(
    briefing: Briefing,
    digest: Digest,
    api: SlackAPIStandIn,
    fault: Callable[[SlackAPIStandIn], None],
) -> None:
    """Slack took the post but its answer never came (or came as a 500): posting again,
    by the client's retries or the next run, would show the digest twice. The claim is
    kept; once stale, the next run finds the post in the channel instead."""
    fault(api)
    poster = poster_at(briefing, api, T0)
    poster.client.timeout = 1
    first = poster.post(digest, ["C1"])
    assert first.outcomes[0].result == "failed"
    assert "will check the channel" in (first.outcomes[0].detail or "")
    assert channels_posted(api) == ["C1"]  # no retry by the client
    assert poster.post(digest, ["C1"]).outcomes[0].result == "in progress"
    if api.calls("chat.postMessage")[0].fault == "hang":
        time.sleep(1.5)  # the stand-in carries the post out once its delay is over
    later = poster_at(briefing, api, T0 + timedelta(minutes=11)).post(digest, ["C1"])
    if api.calls("chat.postMessage")[0].fault == "fail":  # a 500 that was not taken
        assert later.outcomes[0].result == "posted"
        assert channels_posted(api) == ["C1", "C1"]
    else:
        assert later.outcomes[0].result == "already posted"
        assert channels_posted(api) == ["C1"]


def test_a_post_that_never_reached_slack_is_released_and_retried(
    briefing: Briefing, digest: Digest, api: SlackAPIStandIn
) -> None:
    """A connection refused: nothing was posted, so the claim goes and the next run posts."""
    settings = Settings.isolated(slack_bot_token=BOT_TOKEN, slack_api_url="http://127.0.0.1:9/api/")
    waits = Waits()
    client = make_web_client(settings, sleep=waits)
    report = DigestPoster(briefing, client, clock=lambda: T0).post(digest, ["C1"])
    assert report.outcomes[0].result == "failed"
    assert "will retry" in (report.outcomes[0].detail or "")
    assert len(waits.asked) == 2  # the client retried: the post cannot have been taken
    assert row(briefing, "C1") is None


def test_an_unreadable_history_posts_nothing_and_looks_again(
    briefing: Briefing, digest: Digest, api: SlackAPIStandIn
) -> None:
    with briefing.db.session() as s:
        digests.claim_delivery(
            session=s, channel="C1", period=W13.key, token="dead", claimed_by="dead:1", now=T0
        )
    api.error("conversations.history", "not_in_channel")
    first = poster_at(briefing, api, T0 + timedelta(minutes=11)).post(digest, ["C1"])
    assert first.outcomes[0].result == "failed" and "history" in str(first.outcomes[0].detail)
    assert channels_posted(api) == []
    later = poster_at(briefing, api, T0 + timedelta(minutes=30)).post(digest, ["C1"])
    assert later.outcomes[0].result == "posted"


@pytest.mark.parametrize(
    ("fault", "retries"),
    [
        (lambda api: api.error("chat.postMessage", "not_in_channel"), 0),
        (lambda api: api.error("chat.postMessage", "is_archived"), 0),
        (lambda api: api.fail("chat.postMessage", status=503, times=3), 2),  # all retries
    ],
    ids=["not_in_channel", "is_archived", "http_503"],
)
def test_a_failed_post_is_released_logged_and_retried_on_the_next_run(
    briefing: Briefing,
    digest: Digest,
    api: SlackAPIStandIn,
    caplog: pytest.LogCaptureFixture,
    fault: Callable[[SlackAPIStandIn], None],
    retries: int,
) -> None:
    fault(api)
    waits = Waits()
    poster = poster_at(briefing, api, T0, waits=waits)
    with caplog.at_level(logging.WARNING, logger="bot.slack.digest_post"):
        failed = poster.post(digest, ["C1", "C2"])
    assert [o.result for o in failed.outcomes] == ["failed", "posted"]  # C2 still lands
    assert len(waits.asked) == retries  # a 503 is retried (after a backoff) before it fails
    assert len(api.calls("chat.postMessage")) == 1 + retries + 1
    assert "not posted in C1" in caplog.text and "will retry on the next run" in caplog.text
    assert row(briefing, "C1") is None  # the claim was released
    retried = poster.post(digest, ["C1", "C2"])
    assert [o.result for o in retried.outcomes] == ["posted", "already posted"]
    assert [c.params["channel"] for c in api.calls("chat.postMessage") if c.fault is None] == [
        "C2",
        "C1",
    ]


def test_channel_not_found_is_not_retried_this_period_but_stays_subscribed(
    briefing: Briefing, digest: Digest, api: SlackAPIStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack answers channel_not_found for a private channel that has not invited the bot
    yet, as for one that is gone: the runs of this period stop trying, the subscription
    stays, and once the bot is invited a post asked for by name goes out."""
    assert briefing.digests.subscribe("C9", "U1", "T1")
    api.error("chat.postMessage", "channel_not_found")
    poster = poster_at(briefing, api, T0)
    with caplog.at_level(logging.WARNING, logger="bot.slack.digest_post"):
        report = poster.post(digest, poster.destinations())
    assert [(o.channel, o.result) for o in report.outcomes] == [("C9", "failed")]
    assert "invite briefbot to it" in caplog.text
    assert [s.channel for s in briefing.digests.subscriptions()] == ["C9"]
    again = poster.post(digest, ["C9"])
    assert again.outcomes[0].result == "skipped"  # not tried again by the period's runs
    assert len(api.calls("chat.postMessage")) == 1
    asked = poster.post(digest, ["C9"], posted_by="U1", retry_failed=True)
    assert asked.outcomes[0].result == "posted"
    delivered = row(briefing, "C9")
    assert delivered is not None and delivered.status == "posted"


def test_a_configured_channel_that_is_gone_is_named_in_the_log(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(database_url, tmp_path, digest_channels="C0GONE1")
    with Briefing.open(settings) as b:
        add_article(b, tmp_path)
        api.error("chat.postMessage", "channel_not_found")
        poster = poster_at(b, api, T0)
        assert poster.destinations() == ["C0GONE1"]
        with caplog.at_level(logging.WARNING, logger="bot.slack.digest_post"):
            report = poster.post(b.digests.digest(W13), poster.destinations())
    assert report.outcomes[0].result == "failed"
    assert "remove it from BRIEFBOT_DIGEST_CHANNELS" in caplog.text
    assert poster.destinations() == ["C0GONE1"]


# ---------------------------------------------------------------------------- the command


@pytest.fixture
def slack_env(api: SlackAPIStandIn) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": api.url,
        "BRIEFBOT_DIGEST_CHANNELS": "C0TEAM1,C0TEAM2",
    }


def test_digest_command_prints_posts_once_and_reports(
    cli: Callable[..., Result],
    briefing: Briefing,
    tmp_path: Path,
    api: SlackAPIStandIn,
    slack_env: dict[str, str],
) -> None:
    add_article(briefing, tmp_path)
    dry = cli("digest", "--week", "2019-W13", env=slack_env)
    assert dry.code == 0 and dry.out.startswith("Weekly digest · 25 Mar – 31 Mar 2019 (UTC)")
    assert "Ministers from four countries agreed" in dry.out
    assert api.calls() == []  # a dry run posts nothing
    posted = cli("digest", "--week", "2019-W13", "--post", env=slack_env)
    assert posted.code == 0, posted.err
    assert "posted: C0TEAM1" in posted.out and "2 posted, 0 skipped, 0 failed" in posted.out
    again = cli("digest", "--week", "2019-W13", "--post", "--json", env=slack_env)
    data = __import__("json").loads(again.out)
    assert [c["result"] for c in data["post"]["channels"]] == ["already posted"] * 2
    assert {"period", "articles", "sections", "text"} <= set(data)
    assert len(api.calls("chat.postMessage")) == 2


def test_digest_command_errors(
    cli: Callable[..., Result], api: SlackAPIStandIn, slack_env: dict[str, str]
) -> None:
    no_channels = {**slack_env, "BRIEFBOT_DIGEST_CHANNELS": ""}
    result = cli("digest", "--post", env=no_channels)
    assert result.code == 2 and result.err.startswith("error: --post needs a channel")
    result = cli("digest", "--post", "--channel", "#general", env=no_channels)
    assert result.code == 2 and "not a Slack channel ID" in result.err
    result = cli("digest", "--week", "2019-W60", env=slack_env)
    assert result.code == 2 and result.err.count("\n") == 1
    assert api.calls() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--post", "--dry-run"), "--dry-run and --post contradict each other: give one"),
        (("--dry-run", "--post"), "--dry-run and --post contradict each other: give one"),
        (("--channel", "C0ONE1"), "--channel says where to post: it needs --post"),
        (("--dry-run", "--channel", "C0ONE1"), "--channel says where to post: it needs --post"),
    ],
)
def test_contradictory_or_meaningless_options_are_a_usage_error(
    cli: Callable[..., Result],
    api: SlackAPIStandIn,
    slack_env: dict[str, str],
    args: tuple[str, ...],
    message: str,
) -> None:
    """The last of --post and --dry-run used to win in silence (posting when the user
    also asked for a dry run), and --channel without --post was ignored."""
    result = cli("digest", "--week", "2019-W13", *args, env=slack_env)
    assert (result.code, result.out, result.err) == (2, "", f"error: {message}\n")
    assert api.calls() == []


def test_a_refused_token_stops_the_command_in_one_line(
    cli: Callable[..., Result], api: SlackAPIStandIn, slack_env: dict[str, str]
) -> None:
    """As for ``serve``: a token Slack refuses is said once, with exit 2, not as a
    failure per channel that 'will retry'."""
    api.error("auth.test", "invalid_auth", times=None)
    result = cli("digest", "--week", "2019-W13", "--post", env=slack_env)
    assert result.code == 2
    assert result.err.startswith("error: SLACK_BOT_TOKEN was refused by Slack (invalid_auth)")
    assert api.calls("chat.postMessage") == []


def test_a_failed_post_makes_the_command_fail(
    cli: Callable[..., Result],
    briefing: Briefing,
    tmp_path: Path,
    api: SlackAPIStandIn,
    slack_env: dict[str, str],
) -> None:
    add_article(briefing, tmp_path)
    api.error("chat.postMessage", "not_in_channel")
    result = cli("digest", "--week", "2019-W13", "--post", env=slack_env)
    assert result.code == 1
    assert "failed: C0TEAM1 (not_in_channel; will retry)" in result.out


@pytest.mark.parametrize("mode", ["post", "skip"])
def test_an_empty_week_posts_a_short_digest_or_nothing(
    cli: Callable[..., Result], api: SlackAPIStandIn, slack_env: dict[str, str], mode: str
) -> None:
    env = {**slack_env, "BRIEFBOT_DIGEST_EMPTY": mode}
    result = cli("digest", "--week", "2019-W13", "--post", "--channel", "C0ONE1", env=env)
    assert result.code == 0, result.err
    posts = api.calls("chat.postMessage")
    if mode == "skip":
        assert posts == [] and "BRIEFBOT_DIGEST_EMPTY=skip" in result.out
        return
    [post] = posts
    assert "no new articles" in post.params["text"]
    texts = " ".join(str(b.get("text", {}).get("text", "")) for b in post.params["blocks"])
    assert "No new articles this week." in texts and "What the team asked" in texts


def test_poster_clock_is_only_the_claim_time(
    briefing: Briefing, digest: Digest, api: SlackAPIStandIn
) -> None:
    """Claims record the poster's clock, which is what decides when a claim is stale."""
    poster_at(briefing, api, T0).post(digest, ["C1"])
    delivered = row(briefing, "C1")
    assert delivered is not None and delivered.claimed_at == T0


@pytest.fixture(autouse=True)
def _no_stray_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    leftover = [t for t in set(threading.enumerate()) - before if not t.daemon]
    assert not leftover, leftover


def test_a_second_takeover_still_finds_the_first_poster_s_post(
    briefing: Briefing, digest: Digest, api: SlackAPIStandIn
) -> None:
    """A's post reached Slack but A died; B took the claim over and could not read the
    channel's history (rate-limited), leaving its own time on the claim; C, taking B's
    claim over later, must look back past A's post, not only to B's takeover."""
    with briefing.db.session() as s:
        assert digests.claim_delivery(
            session=s, channel="C1", period=W13.key, token="dead", claimed_by="A", now=T0
        )
    landed = {
        "type": "message",
        "ts": f"{(T0 + timedelta(seconds=5)).timestamp():.6f}",
        "text": "Weekly digest",
        "metadata": {"event_type": METADATA_TYPE, "event_payload": {"period": W13.key}},
    }

    def history(call: Any) -> dict[str, Any]:  # as Slack does: only messages since `oldest`
        oldest = float(call.params.get("oldest") or 0)
        messages = [landed] if float(landed["ts"]) >= oldest else []
        return {"ok": True, "messages": messages, "response_metadata": {"next_cursor": ""}}

    api.set_response("conversations.history", history)
    api.error("conversations.history", "ratelimited")
    b = poster_at(briefing, api, T0 + timedelta(minutes=11), name="B")
    assert b.post(digest, ["C1"]).outcomes[0].result == "failed"
    c = poster_at(briefing, api, T0 + timedelta(minutes=41), name="C")
    assert c.post(digest, ["C1"]).outcomes[0].result == "already posted"
    assert channels_posted(api) == []


def test_a_takeover_keeps_the_first_claim_s_time_and_a_retried_failure_starts_afresh(
    briefing: Briefing,
) -> None:
    """The first claim's time is where a search for a post that may have landed starts:
    a takeover of a dead poster's claim keeps it (the dead poster's post may be in the
    channel); a retry of a failed claim starts it again (Slack refused that post)."""
    later, retried = T0 + timedelta(minutes=11), T0 + timedelta(days=2)
    with briefing.db.session() as s:
        digests.claim_delivery(
            session=s, channel="C1", period=W13.key, token="a", claimed_by="A", now=T0
        )
        assert digests.take_over(
            session=s,
            channel="C1",
            period=W13.key,
            old_token="a",
            new_token="b",
            claimed_by="B",
            now=later,
        )
    taken = row(briefing, "C1")
    assert taken is not None and (taken.claimed_at, taken.first_claimed_at) == (later, T0)
    with briefing.db.session() as s:
        digests.mark_failed(
            session=s, channel="C1", period=W13.key, token="b", error="channel_not_found"
        )
        assert digests.take_over(
            session=s,
            channel="C1",
            period=W13.key,
            old_token="b",
            new_token="c",
            claimed_by="C",
            now=retried,
            status=digests.FAILED,
        )
    again = row(briefing, "C1")
    assert again is not None and (again.claimed_at, again.first_claimed_at) == (retried, retried)


def test_a_claim_left_before_the_upgrade_is_still_checked_before_posting(
    empty_database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """A poster died holding a claim in a database made before deliveries kept their
    first claim's time; after the upgrade the claim has none, and the next poster still
    looks back from the period's end and finds the dead poster's post."""
    db = Database.connect(empty_database_url, migrate=False)
    try:
        migrate.upgrade(db.engine, "0006_search_folds_accents")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO digest_delivery (channel, period, status, claim_token, "
                    "claimed_by, claimed_at) VALUES ('C1', :period, 'claimed', 'dead', "
                    "'dead:1', :at)"
                ),
                {"period": W13.key, "at": T0},
            )
        assert db.upgrade() is True
    finally:
        db.dispose()
    client_for(api).chat_postMessage(  # the dead poster's post reached Slack
        channel="C1",
        text="Weekly digest",
        metadata={"event_type": METADATA_TYPE, "event_payload": {"period": W13.key}},
    )
    with Briefing.open(make_settings(empty_database_url, tmp_path)) as briefing:
        left = row(briefing, "C1")
        assert left is not None and left.first_claimed_at is None
        add_article(briefing, tmp_path)
        digest = briefing.digests.digest(W13)
        report = poster_at(briefing, api, T0 + timedelta(minutes=11)).post(digest, ["C1"])
    assert report.outcomes[0].result == "already posted"
    history = api.last("conversations.history")
    assert float(history.params["oldest"]) <= W13.until.timestamp()  # from the period's end
    assert channels_posted(api) == ["C1"]  # only the dead poster's


def test_only_a_channel_taken_from_the_subscriptions_must_still_be_subscribed(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """A run's destinations are read before the digest is written and posted to one after
    another: a subscribed channel unsubscribed meanwhile is skipped as its turn comes; a
    configured one is not subscribed at all and still gets it, and so does a channel
    someone names (``--channel``, *Post to this channel*)."""
    settings = make_settings(database_url, tmp_path, digest_channels="C0TEAM1")
    with Briefing.open(settings) as b:
        add_article(b, tmp_path)
        assert b.digests.subscribe("C0GOING", "U1", "T1")
        poster = poster_at(b, api, T0)
        channels = poster.destinations()
        assert channels == ["C0TEAM1", "C0GOING"]
        assert b.digests.unsubscribe("C0GOING")
        digest = b.digests.digest(W13)
        report = poster.post(digest, channels, from_destinations=True)
        assert [(o.channel, o.result, o.detail) for o in report.outcomes] == [
            ("C0TEAM1", "posted", None),
            ("C0GOING", "skipped", "unsubscribed"),
        ]
        assert row(b, "C0GOING") is None  # nothing claimed: a new subscription gets it
        named = poster.post(digest, ["C0GOING"], posted_by="U1", retry_failed=True)
    assert named.outcomes[0].result == "posted"
    assert channels_posted(api) == ["C0TEAM1", "C0GOING"]


def add_hostile_article(briefing: Briefing, folder: Path) -> None:
    """An article whose title pings, links and formats, and whose text is long."""
    path = folder / "hostile.md"
    body = " ".join(["The ministers met again on Thursday to talk about the border."] * 120)
    path.write_text(
        "---\ntitle: <!channel> *Border* talks @here <https://evil.example|click>\n"
        f"source: Test Wire\npublished: 2019-03-28\n---\n\n{body}\n",
        encoding="utf-8",
    )
    assert briefing.ingest([path]).added == 1


@pytest.mark.parametrize("error", ["invalid_blocks", "msg_blocks_too_long"])
def test_a_digest_whose_blocks_slack_refuses_is_posted_once_as_text(
    briefing: Briefing,
    tmp_path: Path,
    api: SlackAPIStandIn,
    caplog: pytest.LogCaptureFixture,
    error: str,
) -> None:
    """Slack refused the digest's blocks on their form: the claim was released and every
    run (every 30 minutes for 72 hours) sent the same blocks again, and the digest was
    never posted. Now it is posted at once as text alone, escaped and within one
    message's text, with its metadata; the refusal is logged once, and the run's other
    channels go straight to the text."""
    add_article(briefing, tmp_path)
    add_hostile_article(briefing, tmp_path)
    digest = briefing.digests.digest(W13)
    api.refuse_blocks("chat.postMessage", error)
    poster = poster_at(briefing, api, T0)
    with caplog.at_level(logging.WARNING, logger="bot.slack.digest_post"):
        report = poster.post(digest, ["C1", "C2"])
    assert [o.result for o in report.outcomes] == ["posted", "posted"]
    assert all(f"Slack refused its blocks ({error})" in str(o.detail) for o in report.outcomes)
    posts = api.calls("chat.postMessage")
    assert [(c.params["channel"], c.fault) for c in posts] == [
        ("C1", "refuse_blocks"),
        ("C1", None),
        ("C2", None),
    ]
    refusals = [r for r in caplog.records if "refused its blocks" in r.getMessage()]
    assert len(refusals) == 1
    for channel in ("C1", "C2"):
        [message] = api.history(channel)
        text = message["text"]
        assert "blocks" not in message
        assert message["metadata"] == {
            "event_type": METADATA_TYPE,
            "event_payload": {"period": W13.key},
        }
        assert len(text) <= 3000
        assert "Ministers agree on smuggling intelligence" in text
        assert "What each side says" in text or "`/brief digest` shows it all" in text
        for live in ("<!channel>", "<https://evil", "@here", "https://"):
            assert live not in text
        assert "&lt;!channel&gt;" in text
        delivered = row(briefing, channel)
        assert delivered is not None and delivered.status == "posted"
        assert delivered.message_ts == message["ts"]
    again = poster_at(briefing, api, T0 + timedelta(minutes=30)).post(digest, ["C1", "C2"])
    assert [o.result for o in again.outcomes] == ["already posted", "already posted"]
    assert len(api.calls("chat.postMessage")) == 3


def test_a_digest_slack_refuses_even_as_text_is_not_tried_again_this_period(
    briefing: Briefing, digest: Digest, api: SlackAPIStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """Refused for its form with blocks and without: no run of the period would do
    better, so the channel fails for the period (logged once), not every 30 minutes."""
    api.refuse_blocks("chat.postMessage", "invalid_blocks")
    api.error("chat.postMessage", "msg_too_long")
    poster = poster_at(briefing, api, T0)
    with caplog.at_level(logging.WARNING, logger="bot.slack.digest_post"):
        report = poster.post(digest, ["C1"])
    assert report.outcomes[0].result == "failed"
    assert "not tried again this period" in str(report.outcomes[0].detail)
    assert "even as text alone" in caplog.text
    delivered = row(briefing, "C1")
    assert delivered is not None and delivered.status == "failed"
    later = poster_at(briefing, api, T0 + timedelta(minutes=30)).post(digest, ["C1"])
    assert later.outcomes[0].result == "skipped"
    assert len(api.calls("chat.postMessage")) == 2
    assert api.history("C1") == []
