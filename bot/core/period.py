"""The stretch of time a digest covers: whole days in the team's time zone.

A period starts at local midnight of its first day and ends at local midnight of the day
after its last (``until`` is exclusive). The default is the last full week, Monday to
Monday, before "now" in ``BRIEFBOT_TIMEZONE``; across a daylight-saving change that week is
an hour shorter or longer than 168 hours, as the team's own calendar is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InputError

#: The longest period a digest may cover (a quarter): longer ones are almost certainly
#: typing mistakes, and would make a digest nobody reads.
MAX_DAYS = 92
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """Days ``start`` (inclusive) to ``end`` (exclusive), in the time zone named ``timezone``."""

    start: date
    end: date
    timezone: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def since(self) -> datetime:
        """Local midnight at the start of the first day."""
        return datetime.combine(self.start, time(0), self.tz)

    @property
    def until(self) -> datetime:
        """Local midnight after the last day (exclusive)."""
        return datetime.combine(self.end, time(0), self.tz)

    @property
    def key(self) -> str:
        """What identifies the period in the database: ``2019-03-25/2019-04-01 UTC``."""
        return f"{self.start.isoformat()}/{self.end.isoformat()} {self.timezone}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def contains_instant(self, when: datetime) -> bool:
        moment = when if when.tzinfo else when.replace(tzinfo=UTC)
        return self.since <= moment < self.until

    def label(self) -> str:
        """``25 Mar – 31 Mar 2019`` (the last day shown is the last day included)."""
        last = self.end - timedelta(days=1)
        if self.start == last:
            return f"{self.start:%-d %b %Y}"
        first = (
            f"{self.start:%-d %b}" if self.start.year == last.year else f"{self.start:%-d %b %Y}"
        )
        return f"{first} – {last:%-d %b %Y}"

    def as_dict(self) -> dict[str, str]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "timezone": self.timezone,
        }

    @classmethod
    def from_key(cls, key: str) -> Period:
        """The period :attr:`key` names; InputError if ``key`` names none."""
        match = re.fullmatch(r"(\d{4}-\d\d-\d\d)/(\d{4}-\d\d-\d\d) (\S+)", key.strip())
        if match is None:
            raise InputError(f"{key!r} does not name a digest period")
        try:
            start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
            ZoneInfo(match[3])
        except (ValueError, KeyError) as exc:
            raise InputError(f"{key!r} does not name a digest period") from exc
        return checked(cls(start, end, match[3]))


#: The days a period may start and end on: a day inside the calendar's range on either
#: side, so that local midnight in any time zone is still a datetime in UTC.
FIRST_DAY = date(1, 1, 2)
LAST_DAY = date(9999, 12, 30)


def checked(period: Period) -> Period:
    if period.start < FIRST_DAY or period.end > LAST_DAY:
        raise InputError(f"a period must lie between {FIRST_DAY} and {LAST_DAY}")
    if period.end < period.start:
        raise InputError(
            f"the period is inverted: it ends ({period.end}) before it starts ({period.start})"
        )
    if period.end == period.start:
        raise InputError(
            f"the period is empty: it starts and ends on {period.start} (its end day is not "
            "part of it)"
        )
    if period.days > MAX_DAYS:
        raise InputError(f"the period is {period.days} days long; the longest is {MAX_DAYS}")
    return period


def last_full_week(now: datetime, timezone: str) -> Period:
    """The last Monday-to-Monday week that ended at or before ``now``, in ``timezone``."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7), monday, timezone)


def iso_week(spec: str, timezone: str) -> Period:
    """The ISO week ``YYYY-Www`` (``2019-W13``), Monday to Monday in ``timezone``."""
    match = _WEEK.match(spec.strip())
    if match is None:
        raise InputError(f"{spec!r} is not a week: use YYYY-Www, e.g. 2019-W13")
    year, week = int(match[1]), int(match[2])
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        weeks = date(year, 12, 28).isocalendar().week if 1 <= year <= 9999 else 52
        raise InputError(f"week {spec!r}: {year} has weeks 1 to {weeks}") from exc
    if not FIRST_DAY <= monday <= LAST_DAY - timedelta(days=7):
        raise InputError(f"week {spec!r} is at the calendar's edge: no digest covers it")
    return Period(monday, monday + timedelta(days=7), timezone)


def _day(what: str, value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError(f"{what} {value!r} is not a date (use YYYY-MM-DD)") from exc


def choose_period(
    *,
    since: str | None,
    until: str | None,
    week: str | None,
    timezone: str,
    now: datetime,
) -> Period:
    """The period asked for: an ISO ``week``, or the days from ``since`` up to ``until``
    (not included); the last full week when none is given. ``since`` alone runs to the
    end of today; ``until`` alone covers the seven days before it.

    Its errors speak of weeks and days, never of the options a caller read them from:
    the core does not know the command line.
    """
    if week is not None:
        if since is not None or until is not None:
            raise InputError("a period is either a week or a range of days, not both")
        return checked(iso_week(week, timezone))
    if since is None and until is None:
        return last_full_week(now, timezone)
    today = now.astimezone(ZoneInfo(timezone)).date()
    end = _day("the end day", until) if until is not None else today + timedelta(days=1)
    start = _day("the start day", since) if since is not None else None
    if start is None:
        if end < FIRST_DAY + timedelta(days=7):
            raise InputError(f"a period must lie between {FIRST_DAY} and {LAST_DAY}")
        start = end - timedelta(days=7)
    return checked(Period(start, end, timezone))


def period_due_at(fire: datetime, timezone: str) -> Period:
    """The period a scheduled run at ``fire`` posts: the last full week before it."""
    return last_full_week(fire, timezone)
