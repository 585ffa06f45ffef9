"""``briefbot clock``: the one process that runs scheduled work (the Procfile's ``clock``).

Every job is in :func:`clock_jobs`, the one list of what runs when; feed polling joins it
there. Each job must be idempotent and safe with several clocks running at once (two
replicas, or a restart that overlaps the old process): the clocks do not coordinate, the
database does. The digest is claimed per channel and period (:mod:`bot.slack.digest_post`)
and retention deletes by age, so however many clocks run, each job's effect is single.

APScheduler runs the jobs, in ``BRIEFBOT_TIMEZONE``, from an in-memory job store: its
persistent job stores must never be shared between schedulers (APScheduler's own rule),
and the clock needs none, because what is due is worked out from the schedule and the
database rather than remembered:

* ``digest`` fires on ``BRIEFBOT_DIGEST_CRON`` (crontab syntax, weekday numbers as in
  crontab: see :mod:`bot.schedule`) and posts the last full week's digest to every
  destination that has not had it.
* ``digest-catch-up`` runs at start and every ``CATCH_UP_MINUTES``. It finds the latest
  time the schedule fired, within ``BRIEFBOT_DIGEST_CATCHUP_HOURS``, and posts that
  run's digest where it is missing: after downtime the missed digest is posted once (the
  last period only, never a backlog of weeks), and a post that failed is retried.
  Channels count only if they were destinations when the schedule fired, so a channel
  subscribed later waits for the next run instead of getting a late copy.
* ``retention`` runs at start and every six hours (``BRIEFBOT_LOG_RETENTION_DAYS``).
* ``feeds`` runs at start and every minute and polls the feeds that are due: each feed
  has its own slot in ``BRIEFBOT_FEED_INTERVAL`` and backs off while it fails, and each
  poll claims its feed first (:mod:`bot.core.feed_schedule`), so two clocks never poll
  one feed twice.

SIGTERM (or SIGINT) stops the clock: no new runs start; a run in progress is told to stop
between channels and gets the grace (``BRIEFBOT_STOP_GRACE``, by default
:data:`GRACE_SECONDS`); the process then exits, within 10 seconds in all by default. A post
cut off mid-way leaves a claim that the next clock resolves.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.period import period_due_at
from bot.schedule import latest_fire, next_fire, parse_crontab
from bot.slack.digest_post import DigestPoster, PostReport

log = logging.getLogger(__name__)

CATCH_UP_MINUTES = 30
RETENTION_HOURS = 6
#: BRIEFBOT_STOP_GRACE's default for the clock: how long a running job gets after SIGTERM.
GRACE_SECONDS = 6
#: However small BRIEFBOT_DIGEST_CATCHUP_HOURS is, a scheduled run still finds itself.
MIN_WINDOW = timedelta(minutes=15)
#: What stops the clock: the platform's SIGTERM, or Ctrl-C.
STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})


@dataclass(frozen=True)
class Job:
    """One scheduled job. ``run(now)`` must be idempotent and safe with several clocks."""

    id: str
    trigger: BaseTrigger
    run: Callable[[datetime], object]
    at_start: bool = False
    #: Seconds late a run may still start (None: however late). APScheduler's default
    #: is one second, after which a run that was due while the process was busy or
    #: suspended is dropped.
    misfire_grace_seconds: int | None = None


def catch_up_window(settings: Settings) -> timedelta:
    return max(timedelta(hours=settings.digest_catchup_hours), MIN_WINDOW)


def run_due_digest(
    settings: Settings,
    briefing: Briefing,
    poster: DigestPoster,
    now: datetime,
    *,
    stop: threading.Event | None = None,
    scheduled: bool = False,
) -> PostReport | None:
    """Post the digest of the schedule's latest run (within the catch-up window) where
    it is missing. None when no run is due or every destination has it."""
    trigger = parse_crontab(settings.digest_cron, settings.tz)
    fire = latest_fire(trigger, now, catch_up_window(settings))
    if fire is None:
        if scheduled:
            log.warning("digest: the schedule did not fire within the catch-up window")
        return None
    period = period_due_at(fire, settings.timezone)
    channels = poster.destinations(due_at=fire)
    pending = poster.unresolved(period, channels)
    if not pending:
        if scheduled:
            log.info("digest %s: %d channel(s), nothing to post", period.key, len(channels))
        return None
    digest = briefing.digests.digest(period)
    # Writing the digest may take minutes (a model): a channel unsubscribed meanwhile,
    # and told so, does not get it, nor a line in the report. Posting to the channels
    # before it may take as long, so the poster checks each again as it claims it.
    still = set(poster.destinations(due_at=fire))
    pending = [c for c in pending if c in still]
    if digest.empty and settings.digest_empty == "skip":
        report = PostReport(period, (), note="no new articles; BRIEFBOT_DIGEST_EMPTY=skip")
    else:
        report = poster.post(digest, pending, stop=stop, from_destinations=True)
    late = "" if scheduled else f", catching up the run of {fire.isoformat(timespec='minutes')}"
    log.info("%s%s", report.summary(), late)
    return report


def run_retention(briefing: Briefing) -> int:
    removed = briefing.log.apply_retention(briefing.settings.log_retention_days)
    if removed:
        log.info("retention: purged %d old exchange(s)", removed)
    return removed


FEED_CHECK_MINUTES = 1


def run_feed_poll(briefing: Briefing, now: datetime) -> object:
    """Poll the feeds that are due at ``now`` and log what each poll did."""
    report = briefing.web.poll_due_feeds(now)
    for feed in report.feeds:
        log.info(
            "feeds: %s %s: added %d, unchanged %d, failed %d%s",
            feed.url,
            feed.status,
            feed.added,
            feed.count("unchanged"),
            feed.count("failed"),
            f" ({feed.error})" if feed.error else "",
        )
    return report


def clock_jobs(
    settings: Settings,
    briefing: Briefing,
    poster: DigestPoster,
    stop: threading.Event | None = None,
) -> list[Job]:
    """Every scheduled job, in one place."""
    tz = settings.tz

    def digest(now: datetime) -> object:
        return run_due_digest(settings, briefing, poster, now, stop=stop, scheduled=True)

    started = threading.Event()

    def catch_up(now: datetime) -> object:
        first = not started.is_set()
        started.set()
        report = run_due_digest(settings, briefing, poster, now, stop=stop)
        if first and report is None:
            log.info("digest: nothing to catch up at start")
        return report

    return [
        Job(
            "digest",
            parse_crontab(settings.digest_cron, tz),
            digest,
            misfire_grace_seconds=int(catch_up_window(settings).total_seconds()),
        ),
        Job(
            "digest-catch-up",
            IntervalTrigger(minutes=CATCH_UP_MINUTES, timezone=tz),
            catch_up,
            at_start=True,
        ),
        Job(
            "retention",
            IntervalTrigger(hours=RETENTION_HOURS, timezone=tz),
            lambda _now: run_retention(briefing),
            at_start=True,
        ),
        Job(
            "feeds",
            IntervalTrigger(minutes=FEED_CHECK_MINUTES, timezone=tz),
            lambda now: run_feed_poll(briefing, now),
            at_start=True,
        ),
    ]


class Clock:
    """APScheduler running ``jobs``; knows which of them are running, for a clean stop."""

    def __init__(self, settings: Settings, jobs: Sequence[Job]) -> None:
        self.settings = settings
        self.jobs = list(jobs)
        self.scheduler = BackgroundScheduler(
            timezone=settings.tz,
            executors={"default": ThreadPoolExecutor(2)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        self._running = 0
        self._stopping = False
        self._idle = threading.Condition()
        #: How many times each job has run to its end (for logs and tests).
        self.runs: Counter[str] = Counter()
        #: How many queued runs of each job did not start because the clock was stopping.
        self.skipped: Counter[str] = Counter()

    def _tracked(self, job: Job) -> Callable[[], None]:
        def run() -> None:
            with self._idle:
                # A run the executor had queued when the clock stopped does not start:
                # the executor's threads would otherwise run it after the stop, the
                # process waiting for them at exit, past the grace.
                if self._stopping:
                    self.skipped[job.id] += 1
                    self._idle.notify_all()
                    return
                self._running += 1
            try:
                job.run(datetime.now(UTC))
            except Exception:
                log.exception("clock job %s failed; it runs again at its next time", job.id)
            finally:
                with self._idle:
                    self._running -= 1
                    self.runs[job.id] += 1
                    self._idle.notify_all()

        return run

    def start(self) -> None:
        now = datetime.now(self.settings.tz)
        for job in self.jobs:
            options: dict[str, Any] = {"next_run_time": now} if job.at_start else {}
            self.scheduler.add_job(
                self._tracked(job),
                trigger=job.trigger,
                id=job.id,
                name=job.id,
                misfire_grace_time=job.misfire_grace_seconds,
                **options,
            )
        self.scheduler.start()

    def wakeup(self) -> None:
        """Look for due jobs now (the scheduler otherwise sleeps until the next one)."""
        self.scheduler.wakeup()

    def wait_for(self, condition: Callable[[], object], timeout: float) -> bool:
        """Wait until ``condition()`` (read as runs start, end or are skipped) is true;
        False if it still is not after ``timeout`` s."""
        with self._idle:
            return self._idle.wait_for(lambda: bool(condition()), timeout=timeout)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job is running; False if one still is after ``timeout`` s."""
        return self.wait_for(lambda: self._running == 0, timeout)

    def wait_for_runs(self, job_id: str, count: int, timeout: float) -> bool:
        """Wait until job ``job_id`` has run ``count`` times; False on timeout."""
        return self.wait_for(lambda: self.runs[job_id] >= count, timeout)

    def stop(self, grace: float = GRACE_SECONDS) -> bool:
        """Start no more runs; give running ones ``grace`` seconds. True if all ended."""
        with self._idle:
            self._stopping = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        return self.wait_idle(grace)


def run_clock(settings: Settings) -> None:
    """The ``briefbot clock`` process: run the jobs until SIGTERM or SIGINT."""
    from bot.slack.app import make_web_client, signed_in

    stop = threading.Event()
    # First, before any thread starts (threads inherit the mask): SIGTERM and SIGINT are
    # blocked, and this thread takes them with sigwait below, one received while starting
    # included. No Python signal handler runs, so none can set the event while this thread
    # holds its lock (inside stop.wait()), which would deadlock the process.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    client = signed_in(make_web_client(settings, "briefbot clock"))
    briefing = Briefing.open(settings)
    poster = DigestPoster(briefing, client)
    clock = Clock(settings, clock_jobs(settings, briefing, poster, stop))
    clock.start()
    upcoming = next_fire(parse_crontab(settings.digest_cron, settings.tz), datetime.now(UTC))
    log.info(
        "clock started: digest on %r in %s (next %s); jobs: %s",
        settings.digest_cron,
        settings.timezone,
        upcoming.isoformat(timespec="minutes") if upcoming else "never",
        ", ".join(job.id for job in clock.jobs),
    )
    signal.sigwait(STOP_SIGNALS)
    stop.set()
    log.info("clock stopping")
    if not clock.stop(settings.grace(GRACE_SECONDS)):
        log.warning("clock stopped with a job still running; its claims resolve next run")
        logging.shutdown()
        os._exit(0)  # the job's thread would otherwise hold the process open
    briefing.close()
    log.info("clock stopped")
