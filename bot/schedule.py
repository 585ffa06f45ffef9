"""When the digest is due: ``BRIEFBOT_DIGEST_CRON`` read as a crontab, in ``BRIEFBOT_TIMEZONE``.

APScheduler 3's ``CronTrigger.from_crontab`` numbers weekdays from Monday (0 = Monday),
unlike crontab (0 and 7 = Sunday), so ``0 9 * * 1`` would fire on Tuesdays. This module
reads the weekday field as crontab does and hands APScheduler weekday *names*, so a
crontab line means here what it means everywhere else. That includes crontab's rule for
a line that restricts both the day of the month and the day of the week (``0 9 1 * mon``):
it fires when *either* matches (the 1st, and every Monday), where one CronTrigger would
need both; such a line becomes two triggers, either of which fires.

APScheduler has no "previous fire time"; :func:`latest_fire` walks forward from the start
of a window instead. The clock uses it to find the run that is due now, which is how a
digest missed while the clock was down is caught up once (see :mod:`bot.clock`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,20}$")


def _weekday(token: str) -> int:
    token = token.strip().lower()
    if token[:3] in _WEEKDAYS and token.isalpha():
        return _WEEKDAYS.index(token[:3])
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token) % 7
    raise ValueError(f"{token!r} is not a day of the week (0-7 or sun-sat)")


def crontab_weekdays(field: str) -> str:
    """A crontab weekday field (``1``, ``1-5``, ``mon,wed``, ``*/2``, ``5-7``) as the
    list of weekday names APScheduler reads the same way, or ``*``."""
    if field in ("*", "?"):
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        span, slash, step_text = part.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) < 1:
                raise ValueError(f"{part!r}: the step must be a positive number")
            step = int(step_text)
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            a, b = span.split("-", 1)
            first, last = _weekday(a), _weekday(b)
            if b.strip() == "7":  # 5-7 is Friday to Sunday
                last = 7
        else:
            first = _weekday(span)
            last = 6 if slash else first
        if first > last:
            raise ValueError(f"{part!r}: a range of days must go forwards")
        days.update(d % 7 for d in range(first, last + 1, step))
    return ",".join(_WEEKDAYS[d] for d in sorted(days))


def parse_crontab(expr: str, tz: tzinfo) -> BaseTrigger:
    """A trigger for a five-field crontab line (minute hour day month weekday) in ``tz``.

    Raises ValueError with a reader's reason when the line is not valid.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(
            f"{expr!r} is not a crontab line: it needs five fields "
            "(minute hour day-of-month month day-of-week), e.g. '0 9 * * mon'"
        )
    minute, hour, day, month, weekday = fields
    try:
        days = crontab_weekdays(weekday)

        def trigger(day: str, days: str) -> CronTrigger:
            return CronTrigger(
                minute=minute, hour=hour, day=day, month=month, day_of_week=days, timezone=tz
            )

        # cron's rule: a field that starts with "*" does not restrict; when both do, either
        # may match.
        if not day.startswith("*") and not weekday.startswith("*"):
            return OrTrigger([trigger(day, "*"), trigger("*", days)])
        return trigger(day, days)
    except ValueError as exc:
        raise ValueError(f"{expr!r} is not a valid crontab line: {exc}") from exc


def next_fire(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The first time at or after ``now`` that the schedule fires."""
    fire: datetime | None = trigger.get_next_fire_time(None, now)
    return fire


def latest_fire(trigger: BaseTrigger, now: datetime, window: timedelta) -> datetime | None:
    """The last time the schedule fired at or before ``now``, if it fired within ``window``."""
    latest = None
    fire = next_fire(trigger, now - window)
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire)
    return latest


def channel_ids(text: str) -> list[str]:
    """Slack channel ids from a list separated by commas or spaces (``C0123ABCD``).

    Raises ValueError naming the first entry that is not a channel id: chat.postMessage
    takes names too, but a renamed channel would then silently lose its digest.
    """
    found: list[str] = []
    for item in re.split(r"[\s,]+", text.strip()):
        if not item:
            continue
        if not _CHANNEL_ID.match(item):
            raise ValueError(
                f"{item!r} is not a Slack channel ID (like C0123ABCD; it is shown at the "
                "bottom of the channel's details)"
            )
        if item not in found:
            found.append(item)
    return found
