"""Digest periods and the digest schedule: weeks in the team's time zone, crontab lines read
as crontab reads them, and the run that is due at a given time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.core.period import Period, choose_period, iso_week, last_full_week
from bot.errors import InputError
from bot.schedule import channel_ids, crontab_weekdays, latest_fire, next_fire, parse_crontab

NY = "America/New_York"
NOW = datetime(2026, 3, 4, 10, tzinfo=UTC)  # "now", for choices that need one


def test_the_default_week_is_the_last_full_one_in_the_time_zone() -> None:
    # Monday 2019-04-01 03:30 UTC is still Sunday 31 March, 23:30 in New York.
    now = datetime(2019, 4, 1, 3, 30, tzinfo=UTC)
    utc = last_full_week(now, "UTC")
    assert (utc.start, utc.end) == (date(2019, 3, 25), date(2019, 4, 1))
    ny = last_full_week(now, NY)
    assert (ny.start, ny.end) == (date(2019, 3, 18), date(2019, 3, 25))
    # Half an hour later in New York it is Monday: the week just ended is the one due.
    assert last_full_week(datetime(2019, 4, 1, 4, 30, tzinfo=UTC), NY).start == date(2019, 3, 25)
    assert ny.since == datetime(2019, 3, 18, 0, 0, tzinfo=ZoneInfo(NY))
    assert ny.since.utcoffset() == timedelta(hours=-4)


def test_a_week_across_a_dst_change_is_a_calendar_week() -> None:
    # Clocks went forward in New York on Sunday 10 March 2019.
    week = last_full_week(datetime(2019, 3, 12, 12, tzinfo=UTC), NY)
    assert (week.start, week.end) == (date(2019, 3, 4), date(2019, 3, 11))
    assert week.since.astimezone(UTC) == datetime(2019, 3, 4, 5, tzinfo=UTC)  # EST
    assert week.until.astimezone(UTC) == datetime(2019, 3, 11, 4, tzinfo=UTC)  # EDT
    assert week.until - week.since == timedelta(days=7)  # wall-clock arithmetic
    assert (week.until.timestamp() - week.since.timestamp()) / 3600 == 167
    # A moment just before local midnight at the week's end is in it; just after is not.
    assert week.contains_instant(datetime(2019, 3, 11, 3, 59, tzinfo=UTC))
    assert not week.contains_instant(datetime(2019, 3, 11, 4, 0, tzinfo=UTC))


def test_iso_weeks_and_their_errors() -> None:
    week = iso_week("2019-W13", "UTC")
    assert (week.start, week.end) == (date(2019, 3, 25), date(2019, 4, 1))
    assert iso_week("2020-W53", "UTC").start == date(2020, 12, 28)
    with pytest.raises(InputError, match="2019 has weeks 1 to 52"):
        iso_week("2019-W53", "UTC")
    with pytest.raises(InputError, match="is not a week"):
        iso_week("2019-13", "UTC")
    assert week.key == "2019-03-25/2019-04-01 UTC"
    assert Period.from_key(week.key) == week
    assert week.label() == "25 Mar – 31 Mar 2019"


@pytest.mark.parametrize(
    ("since", "until", "week", "message"),
    [
        ("2019-03-10", "2019-03-01", None, "inverted"),
        ("2019-03-10", "2019-03-10", None, "empty"),
        ("2019-3-x", None, None, "is not a date"),
        (None, "March", None, "is not a date"),
        ("2019-01-01", "2020-01-01", None, "longest is 92"),
        ("2019-03-01", None, "2019-W10", "either a week or a range of days"),
        (None, None, "2019-W99", "2019 has weeks"),
    ],
)
def test_bad_periods_are_refused(
    since: str | None, until: str | None, week: str | None, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        choose_period(since=since, until=until, week=week, timezone="UTC", now=NOW)


def test_since_alone_runs_to_today_and_until_alone_covers_the_week_before() -> None:
    now = datetime(2019, 4, 3, 10, tzinfo=UTC)
    p = choose_period(since="2019-03-28", until=None, week=None, timezone="UTC", now=now)
    assert (p.start, p.end) == (date(2019, 3, 28), date(2019, 4, 4))
    p = choose_period(since=None, until="2019-04-01", week=None, timezone="UTC", now=now)
    assert (p.start, p.end) == (date(2019, 3, 25), date(2019, 4, 1))


@pytest.mark.parametrize(
    ("field", "names"),
    [
        ("1", "mon"),
        ("0", "sun"),
        ("7", "sun"),
        ("mon", "mon"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("5-7", "sun,fri,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("MON,wed", "mon,wed"),
        ("*", "*"),
    ],
)
def test_crontab_weekdays_mean_what_they_mean_in_crontab(field: str, names: str) -> None:
    assert crontab_weekdays(field) == names


def test_a_monday_schedule_fires_on_mondays_in_the_time_zone() -> None:
    # APScheduler's own from_crontab would read "1" as Tuesday.
    trigger = parse_crontab("0 9 * * 1", ZoneInfo(NY))
    fire = next_fire(trigger, datetime(2019, 3, 6, tzinfo=UTC))
    assert fire is not None and fire.weekday() == 0
    assert fire.astimezone(UTC) == datetime(2019, 3, 11, 13, tzinfo=UTC)  # 09:00 EDT
    assert next_fire(trigger, fire + timedelta(seconds=1)) == fire + timedelta(days=7)


@pytest.mark.parametrize(
    ("line", "fires"),
    [
        # Both days restricted: either matches, as in crontab (the 1st, and Mondays).
        ("0 9 1 * mon", ["Fri 01", "Mon 04", "Mon 11", "Mon 18", "Mon 25", "Mon 01"]),
        # One of them "*": only the other restricts.
        ("0 9 1 * *", ["Fri 01", "Mon 01", "Wed 01", "Sat 01", "Mon 01", "Thu 01"]),
        # A field that starts with "*" ("*/15") counts as "*" for the rule: both must match
        # (days 1, 16 and 31 that are Mondays).
        ("0 9 */15 * mon", ["Mon 01", "Mon 01", "Mon 16", "Mon 16", "Mon 31", "Mon 16"]),
    ],
)
def test_day_of_month_and_weekday_combine_as_in_crontab(line: str, fires: list[str]) -> None:
    trigger = parse_crontab(line, ZoneInfo("UTC"))
    fire: datetime | None = datetime(2024, 2, 29, 12, tzinfo=UTC)
    seen = []
    for _ in fires:
        assert fire is not None
        fire = next_fire(trigger, fire + timedelta(seconds=1))
        assert fire is not None
        seen.append(fire.strftime("%a %d"))
    assert seen == fires


def test_latest_fire_finds_the_run_that_is_due() -> None:
    trigger = parse_crontab("0 9 * * mon", ZoneInfo("UTC"))
    monday_9 = datetime(2019, 4, 1, 9, tzinfo=UTC)
    tuesday = datetime(2019, 4, 2, 15, tzinfo=UTC)
    assert latest_fire(trigger, tuesday, timedelta(hours=72)) == monday_9
    assert latest_fire(trigger, tuesday, timedelta(hours=12)) is None  # too late to catch up
    assert latest_fire(trigger, monday_9, timedelta(minutes=15)) == monday_9
    assert latest_fire(trigger, monday_9 - timedelta(seconds=1), timedelta(hours=1)) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0 9 * *", "five fields"),
        ("0 25 * * mon", "not a valid crontab line"),
        ("0 9 * * funday", "not a day of the week"),
    ],
)
def test_bad_settings_are_named(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.isolated(digest_cron=value)


def test_time_zone_and_channel_settings() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        Settings.isolated(timezone="Mars/Olympus")
    settings = Settings.isolated(digest_channels="C0123ABC, C0456DEF C0123ABC")
    assert settings.digest_channel_ids == ["C0123ABC", "C0456DEF"]
    with pytest.raises(ValueError, match="'#general' is not a Slack channel ID"):
        Settings.isolated(digest_channels="#general")
    assert channel_ids("") == []
