"""`briefbot clock`: the schedule in its time zone, catch-up after downtime, several clocks,
retention, and a clean stop on SIGTERM. Time is frozen with time-machine and moved on
explicitly; the real APScheduler is woken up to look at the new time, never waited for. The
processes' stop is checked with a short BRIEFBOT_STOP_GRACE, never by timing it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import GRACE_SECONDS, Clock, Job, clock_jobs, run_due_digest
from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.period import iso_week
from bot.slack.app import make_web_client
from bot.slack.deliveries import Deliveries
from bot.slack.digest_post import DigestPoster
from conftest import _SETTING_VARS, make_settings, settings_env
from slackkit import BOT_TOKEN, wait_until
from standins import SlackAPIStandIn
from storage import digests, exchanges
from storage.models import SlackEventClaim

NY = "America/New_York"
WAIT = 20  # seconds to wait for something that must happen
#: What platforms usually allow between SIGTERM and SIGKILL: a stop that takes longer fails
#: the test (a stop that waited on the hanging post would take a minute).
PLATFORM_LIMIT = 10
SHORT_GRACE = 0.5


def clock_settings(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, **extra: Any
) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_api_url": api.url,
        "digest_channels": "C0TEAM1",
    }
    values.update(extra)
    return make_settings(database_url, tmp_path, **values)


def add_article(briefing: Briefing, folder: Path, name: str, published: str) -> None:
    path = folder / f"{name}.md"
    path.write_text(
        f"---\ntitle: {name}\nsource: Test Wire\npublished: {published}\n---\n\n"
        f"Ministers met on {published} and agreed to share intelligence on smuggling routes.\n",
        encoding="utf-8",
    )
    assert briefing.ingest([path]).added == 1


@contextmanager
def running_clock(briefing: Briefing, api: SlackAPIStandIn) -> Iterator[Clock]:
    poster = DigestPoster(briefing, make_web_client(briefing.settings))
    clock = Clock(briefing.settings, clock_jobs(briefing.settings, briefing, poster))
    clock.start()
    try:
        yield clock
    finally:
        assert clock.stop(grace=10)


def periods_posted(api: SlackAPIStandIn) -> list[str]:
    return [c.params["metadata"]["event_payload"]["period"] for c in api.calls("chat.postMessage")]


def test_the_digest_is_posted_on_monday_morning_in_the_time_zone(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    settings = clock_settings(database_url, tmp_path, api, timezone=NY)
    with Briefing.open(settings) as briefing:
        add_article(briefing, tmp_path, "late-march", "2019-03-28")
        # Monday 1 April 2019, 08:00 in New York (12:00 UTC): an hour before the digest.
        with (
            time_machine.travel(datetime(2019, 4, 1, 12, tzinfo=UTC), tick=False) as traveller,
            running_clock(briefing, api) as clock,
        ):
            assert clock.wait_for_runs("digest-catch-up", 1, WAIT)
            assert api.calls("chat.postMessage") == []  # last Monday's run is too old
            assert clock.runs["digest"] == 0
            traveller.move_to(datetime(2019, 4, 1, 13, 0, 1, tzinfo=UTC))  # 09:00:01 EDT
            clock.wakeup()
            assert clock.wait_for_runs("digest", 1, WAIT)
        assert periods_posted(api) == ["2019-03-25/2019-04-01 America/New_York"]
        post = api.calls("chat.postMessage")[0]
        assert post.params["channel"] == "C0TEAM1"
        assert "late-march" in post.params["text"]


def test_a_missed_monday_is_caught_up_once_and_only_the_last_week(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    settings = clock_settings(database_url, tmp_path, api)
    with Briefing.open(settings) as briefing:
        add_article(briefing, tmp_path, "week-13", "2019-03-27")
        add_article(briefing, tmp_path, "week-14", "2019-04-03")
        # Down since before 1 April; back on Tuesday 9 April at 10:00: two Mondays missed.
        with (
            time_machine.travel(datetime(2019, 4, 9, 10, tzinfo=UTC), tick=False) as traveller,
            running_clock(briefing, api) as clock,
        ):
            assert clock.wait_for_runs("digest-catch-up", 1, WAIT)
            assert periods_posted(api) == [iso_week("2019-W14", "UTC").key]
            # Half an hour later the catch-up runs again: nothing more to post.
            traveller.shift(timedelta(minutes=31))
            clock.wakeup()
            assert clock.wait_for_runs("digest-catch-up", 2, WAIT)
        assert len(api.calls("chat.postMessage")) == 1
        assert "week-14" in api.calls("chat.postMessage")[0].params["text"]


def test_two_clocks_post_each_digest_once(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    settings = clock_settings(database_url, tmp_path, api, digest_channels="C0TEAM1,C0TEAM2")
    with Briefing.open(settings) as first, Briefing.open(settings) as second:
        add_article(first, tmp_path, "week-14", "2019-04-03")
        with (
            time_machine.travel(datetime(2019, 4, 8, 9, 0, 1, tzinfo=UTC), tick=False),
            ExitStack() as stack,
        ):
            clocks = [stack.enter_context(running_clock(b, api)) for b in (first, second)]
            for clock in clocks:
                assert clock.wait_for_runs("digest-catch-up", 1, WAIT)
        assert sorted(c.params["channel"] for c in api.calls("chat.postMessage")) == [
            "C0TEAM1",
            "C0TEAM2",
        ]


def test_too_late_to_catch_up_waits_for_the_next_monday(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    settings = clock_settings(database_url, tmp_path, api, digest_catchup_hours=24)
    with Briefing.open(settings) as briefing:
        poster = DigestPoster(briefing, make_web_client(settings))
        friday = datetime(2019, 4, 5, 12, tzinfo=UTC)
        assert run_due_digest(settings, briefing, poster, friday) is None
        assert api.calls() == []


def _subscribed_before_monday(briefing: Briefing, folder: Path, *channels: str) -> DigestPoster:
    """Week 14's article stored, ``channels`` subscribed before its Monday run, a poster."""
    add_article(briefing, folder, "week-14", "2019-04-03")
    with time_machine.travel(datetime(2019, 4, 1, 8, tzinfo=UTC), tick=False):
        for channel in channels:
            assert briefing.digests.subscribe(channel, "U1", "T1")
    return DigestPoster(briefing, make_web_client(briefing.settings))


def test_a_channel_subscribed_after_the_run_waits_for_the_next_one(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    settings = clock_settings(database_url, tmp_path, api, digest_channels="")
    with Briefing.open(settings) as briefing:
        poster = _subscribed_before_monday(briefing, tmp_path, "C0EARLY")
        with time_machine.travel(datetime(2019, 4, 9, 12, tzinfo=UTC), tick=False):
            assert briefing.digests.subscribe("C0LATE", "U2", "T1")  # after Monday 8, 09:00
            report = run_due_digest(settings, briefing, poster, datetime.now(UTC))
        assert report is not None and [o.channel for o in report.outcomes] == ["C0EARLY"]


def test_a_channel_unsubscribed_while_the_digest_is_written_does_not_get_it(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing the digest may take minutes (a model): a channel unsubscribed meanwhile,
    and told so, gets no digest."""
    settings = clock_settings(database_url, tmp_path, api, digest_channels="")
    with Briefing.open(settings) as briefing:
        poster = _subscribed_before_monday(briefing, tmp_path, "C0GOING", "C0STAYS")
        written = briefing.digests.digest

        def slowly(*args: Any, **kwargs: Any) -> Any:
            assert briefing.digests.unsubscribe("C0GOING")  # /brief unsubscribe, meanwhile
            return written(*args, **kwargs)

        monkeypatch.setattr(briefing.digests, "digest", slowly)
        with time_machine.travel(datetime(2019, 4, 9, 12, tzinfo=UTC), tick=False):
            report = run_due_digest(settings, briefing, poster, datetime.now(UTC))
        assert report is not None and [o.channel for o in report.outcomes] == ["C0STAYS"]
        assert [c.params["channel"] for c in api.calls("chat.postMessage")] == ["C0STAYS"]


def test_an_empty_week_in_skip_mode_posts_nothing(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    settings = clock_settings(database_url, tmp_path, api, digest_empty="skip")
    with Briefing.open(settings) as briefing:
        poster = DigestPoster(briefing, make_web_client(settings))
        report = run_due_digest(settings, briefing, poster, datetime(2019, 4, 1, 9, 5, tzinfo=UTC))
    assert report is not None and report.outcomes == ()
    assert report.note == "no new articles; BRIEFBOT_DIGEST_EMPTY=skip"
    assert api.calls() == []


def test_retention_runs_when_the_clock_starts(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    settings = clock_settings(database_url, tmp_path, api, log_retention_days=30)
    with Briefing.open(settings) as briefing:
        now = datetime.now(UTC)
        with briefing.db.session() as s:
            for days in (40, 10):
                exchanges.record_exchange(
                    session=s,
                    exchange=exchanges.ExchangeRecord(
                        question=f"{days} days ago", created_at=now - timedelta(days=days)
                    ),
                )
            s.add(SlackEventClaim(event_key="event:old", claimed_at=now - timedelta(days=3)))
        with running_clock(briefing, api) as clock:
            assert clock.wait_for_runs("retention", 1, WAIT)
        assert [r["question"] for r in briefing.log.export()] == ["10 days ago"]
        # its claim expired and was purged
        assert Deliveries(briefing.db).claim("event:old") is True


def test_every_job_is_in_one_list(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> None:
    settings = clock_settings(database_url, tmp_path, api)
    with Briefing.open(settings) as briefing:
        poster = DigestPoster(briefing, make_web_client(settings))
        jobs = clock_jobs(settings, briefing, poster)
    assert [j.id for j in jobs] == ["digest", "digest-catch-up", "retention", "feeds"]
    assert jobs[0].misfire_grace_seconds == 72 * 3600


def test_the_clock_polls_the_feeds_that_are_due(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, web
) -> None:
    settings = clock_settings(
        database_url, tmp_path, api, allow_private_urls=True, fetch_host_delay=0
    )
    from test_feeds import STORIES, item, rss, serve_stories

    serve_stories(web)
    path = next(iter(STORIES))
    feed = web.page("/feed.xml", rss(web, [item(web, path)]), content_type="application/rss+xml")
    with Briefing.open(settings) as briefing:
        briefing.web.feeds.add(feed)
        poster = DigestPoster(briefing, make_web_client(settings))
        (job,) = [j for j in clock_jobs(settings, briefing, poster) if j.id == "feeds"]
        assert job.at_start
        now = datetime.now(UTC)
        job.run(now)
        assert STORIES[path][0] in {s.title for s in briefing.sources()}
        fetched = len(web.requests("/feed.xml"))
        job.run(now)  # not due again: nothing is fetched twice
        assert len(web.requests("/feed.xml")) == fetched


# ---------------------------------------------------------------------------- the process


@dataclass
class ClockProcess:
    proc: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    #: Reads the output until the process ends: joined, :attr:`output` is complete.
    reader: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        self.reader = threading.Thread(target=self.read, daemon=True)

    def read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def ended(self, timeout: float) -> int:
        """The exit code once the process ends within ``timeout`` s. If it does not, it is
        aborted (Python's fault handler, on in :func:`start_clock`, prints every thread's
        stack) and the test fails with its output: where it hung."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGABRT)
            self.proc.wait()
            self.reader.join(timeout=10)
            pytest.fail(f"the clock was still running {timeout} s later:\n{self.output}")


def start_clock(env: dict[str, str]) -> ClockProcess:
    base = {k: v for k, v in os.environ.items() if k not in _SETTING_VARS}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "briefbot"), "clock"],
        env={**base, "PYTHONFAULTHANDLER": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    clock = ClockProcess(proc)
    clock.reader.start()
    return clock


@pytest.mark.slow
def test_two_clock_processes_post_once_and_stop_on_sigterm(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    env = settings_env(make_settings(database_url, tmp_path))
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=api.url,
        BRIEFBOT_DIGEST_CHANNELS="C0CLOCK1",
        BRIEFBOT_DIGEST_CRON="* * * * *",  # it fired this minute: due at start
    )
    Briefing.open(make_settings(database_url, tmp_path)).close()  # migrated and seeded once
    clocks = [start_clock(env), start_clock(env)]
    try:
        wait_until(
            lambda: (
                all("catch" in c.output or "digest 20" in c.output for c in clocks)
                and api.calls("chat.postMessage")
            ),
            timeout=60,
            message="both clocks should start and run their catch-up",
        )
        for c in clocks:
            c.proc.send_signal(signal.SIGTERM)
        codes = [c.ended(PLATFORM_LIMIT) for c in clocks]
        for c in clocks:
            c.reader.join(timeout=10)
    finally:
        for c in clocks:
            if c.proc.poll() is None:
                c.proc.kill()
                c.proc.wait()
    output = "\n".join(c.output for c in clocks)
    assert codes == [0, 0], output
    assert len(api.calls("chat.postMessage")) == 1, output
    assert output.count("clock started: digest on '* * * * *' in UTC") == 2
    assert "1 channel(s), 1 posted, 0 skipped, 0 failed" in output
    assert output.count("clock stopped") == 2
    assert BOT_TOKEN not in output


def test_a_run_queued_when_the_clock_stops_never_starts(tmp_path: Path) -> None:
    """Three jobs are due at start and the executor has two threads, so one waits in its
    queue while two run. The clock stops: the two running get their grace; the queued
    one must not start after it, or the process would wait for it at exit, past the
    platform's limit."""
    release = threading.Event()
    ran: list[str] = []

    def busy(now: datetime) -> None:
        ran.append(now.isoformat())
        release.wait(30)

    hourly = IntervalTrigger(hours=1)
    clock = Clock(
        Settings.isolated(data_dir=tmp_path),
        [Job(name, hourly, busy, at_start=True) for name in ("first", "second", "third")],
    )
    clock.start()
    try:
        wait_until(lambda: len(ran) == 2, timeout=30, message="both threads busy")
        assert not clock.stop(grace=0)
    finally:
        release.set()
    assert clock.wait_for(lambda: clock.runs.total() + clock.skipped.total() == 3, 30)
    assert len(ran) == 2
    assert clock.runs.total() == 2
    assert clock.skipped.total() == 1


def test_the_default_grace_fits_inside_the_platform_limit() -> None:
    """The process below stops at once after the grace; the default grace leaves the rest
    of the platform's 10 seconds for that."""
    assert GRACE_SECONDS == 6 < PLATFORM_LIMIT


@pytest.mark.slow
def test_sigterm_during_a_hanging_post_still_stops_in_time(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """The running job gets the grace; then the process ends without waiting for it."""
    env = settings_env(make_settings(database_url, tmp_path))
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=api.url,
        BRIEFBOT_DIGEST_CHANNELS="C0CLOCK1",
        BRIEFBOT_DIGEST_CRON="* * * * *",
        BRIEFBOT_STOP_GRACE=str(SHORT_GRACE),
    )
    Briefing.open(make_settings(database_url, tmp_path)).close()
    api.hang("chat.postMessage", seconds=60)  # Slack stops answering mid-post
    clock = start_clock(env)
    try:
        api.wait_for("chat.postMessage", timeout=60)
        clock.proc.send_signal(signal.SIGTERM)
        code = clock.ended(PLATFORM_LIMIT)
        clock.reader.join(timeout=10)
    finally:
        if clock.proc.poll() is None:
            clock.proc.kill()
            clock.proc.wait()
        api.cancel_pauses()
    assert code == 0, clock.output
    assert "clock stopped with a job still running" in clock.output
    with (
        Briefing.open(make_settings(database_url, tmp_path)) as briefing,
        briefing.db.session() as s,
    ):
        [left] = digests.deliveries(session=s, period=briefing.digests.period().key)
    assert left.status == "claimed"  # the next clock finds it stale and checks the channel


@pytest.mark.slow
def test_the_clock_needs_a_bot_token(database_url: str, tmp_path: Path) -> None:
    env = settings_env(make_settings(database_url, tmp_path))
    clock = start_clock(env)
    assert clock.proc.wait(timeout=60) == 2
    clock.reader.join(timeout=10)
    out = clock.output
    assert out.strip().endswith(
        "error: SLACK_BOT_TOKEN is not set; `briefbot clock` needs it to post to Slack."
    )


@pytest.mark.slow
def test_a_clock_whose_token_slack_refuses_stops_in_one_line(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn
) -> None:
    """Not a clock that runs for weeks logging 'invalid_auth; will retry' every half hour
    while no digest ever arrives."""
    api.error("auth.test", "invalid_auth", times=None)
    env = dict(
        settings_env(make_settings(database_url, tmp_path)),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=api.url,
        BRIEFBOT_DIGEST_CHANNELS="C0TEAM1",
    )
    clock = start_clock(env)
    assert clock.proc.wait(timeout=60) == 2
    clock.reader.join(timeout=10)
    assert "error: SLACK_BOT_TOKEN was refused by Slack (invalid_auth)" in clock.output
    assert api.calls("chat.postMessage") == []


@pytest.fixture(autouse=True)
def _quiet_apscheduler(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("WARNING", logger="apscheduler")
