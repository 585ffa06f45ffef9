"""``briefbot logs``: the conversation log, exported or purged."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from bot.cli.common import json_text, open_briefing
from bot.cli.help import HelpfulGroup
from bot.errors import InputError


def _parse_since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        # Stored times are UTC; SQLite compares them as text, so the bound must be UTC too.
        # At the calendar's edges an offset moves it out of range (OverflowError).
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError) as exc:
        raise InputError(f"--since {value!r} is not a date (use YYYY-MM-DD)") from exc


@click.group(cls=HelpfulGroup)
def logs() -> None:
    """The conversation log: every question asked and what was answered."""


@logs.command(name="export")
@click.option("--since", metavar="DATE", help="Only exchanges on or after DATE (YYYY-MM-DD).")
def logs_export(since: str | None) -> None:
    """Print the log as JSON lines, one exchange per line, oldest first.

    When the reader goes away (briefbot logs export | head), it stops quietly with
    exit status 141, as a Unix tool that SIGPIPE ends (so does every other command)."""
    start = _parse_since(since)
    with open_briefing() as briefing:
        for row in briefing.log.each(start):
            click.echo(json_text(row))


@logs.command(name="purge")
@click.option("--older-than", "days", required=True, type=click.IntRange(0, 36_500), metavar="DAYS")
def logs_purge(days: int) -> None:
    """Delete exchanges older than DAYS days."""
    with open_briefing() as briefing:
        removed = briefing.log.purge(days)
    click.echo(f"removed {removed} exchange(s) older than {days} day(s)")
