"""``briefbot serve``, ``clock``, ``doctor`` and ``db upgrade``: running a deployment."""

from __future__ import annotations

import logging
import sys

import click

from bot.cli.common import echo, load_settings, print_json
from bot.cli.help import HelpfulGroup
from bot.logsetup import show_library_logs, show_tracebacks

# ---------------------------------------------------------------------- serve


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), help="HTTP port (default: $PORT or 3000).")
def serve(port: int | None) -> None:
    """Run the Slack app: Socket Mode if SLACK_APP_TOKEN is set, else HTTP on $PORT.

    Needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET. Events, slash commands and
    interactivity all arrive at POST /slack/events. SIGTERM stops it gracefully.
    """
    from bot.core.model_choice import ModelResolver
    from bot.slack.server import serve as run

    show_tracebacks()  # a server's log is read by whoever debugs it
    show_library_logs()  # and there Bolt's, slack_sdk's and the HTTP server's records matter
    settings = load_settings()
    # Several models and none named is a setting to fix: say so now, not at every answer.
    # (A server that cannot be reached now is asked again when answers need it.)
    ModelResolver(settings).choice()
    run(settings, port)


# ---------------------------------------------------------------------- doctor


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
def doctor(as_json: bool) -> None:
    """Check this deployment: settings, database, tokenizer, model, Slack.

    One line per check: ✓, ✗ with the fix, or skipped with the reason. Exits 1 when a
    check fails. Changes nothing, posts nothing to Slack, prints no secret.
    """
    from bot.doctor import run_checks

    checks = []
    for check in run_checks(load_settings):
        checks.append(check)
        if not as_json:
            echo(check.line())  # it may name what a server said (the models it lists)
    passed = all(c.status != "failed" for c in checks)
    if as_json:
        print_json({"ok": passed, "checks": [c.as_dict() for c in checks]})
    if not passed:
        sys.exit(1)


# ---------------------------------------------------------------------- clock


@click.command()
def clock() -> None:
    """Run scheduled work until SIGTERM: the weekly digest (BRIEFBOT_DIGEST_CRON in
    BRIEFBOT_TIMEZONE, catching up a missed one), polling the feeds that are due, and log
    retention.

    Needs SLACK_BOT_TOKEN. Several clocks may run at once; each digest is still posted
    once per channel.
    """
    from bot.clock import run_clock
    from bot.core.model_choice import ModelResolver

    show_tracebacks()
    logging.getLogger("bot").setLevel(logging.INFO)  # a server process says what it does
    settings = load_settings()
    ModelResolver(settings).choice()  # as for serve: no single model named is fixed first
    run_clock(settings)


# ---------------------------------------------------------------------- db


@click.group(cls=HelpfulGroup)
def db() -> None:
    """Database maintenance."""


@db.command()
def upgrade() -> None:
    """Apply pending migrations (every command also does this by itself)."""
    from storage import migrate
    from storage.db import Database

    settings = load_settings()
    database = Database.connect(settings.resolved_database_url, migrate=False)
    try:
        before = migrate.current(database.engine)
        changed = database.upgrade()
        after = migrate.current(database.engine)
    finally:
        database.dispose()
    click.echo(f"upgraded {before or 'empty'} -> {after}" if changed else f"already at {after}")
