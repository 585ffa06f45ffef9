"""``briefbot digest``: the weekly digest, printed or posted to Slack."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click

from bot.cli.common import echo, load_settings, open_briefing, print_json
from bot.errors import InputError


@click.command()
@click.option("--since", metavar="DATE", help="First day (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Day after the last (YYYY-MM-DD, exclusive).")
@click.option("--week", metavar="YYYY-Www", help="An ISO week, e.g. 2019-W13.")
# Two flags, not one option with two flag values: click would let the last one given win,
# so `--post --dry-run` would quietly print and `--dry-run --post` post.
@click.option("--dry-run", is_flag=True, help="Print it (the default).")
@click.option("--post", is_flag=True, help="Post it to the channels.")
@click.option(
    "--channel",
    "channels",
    multiple=True,
    metavar="C",
    help="Post here instead of the configured channels (repeatable; a channel ID).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the digest as JSON.")
def digest(
    since: str | None,
    until: str | None,
    week: str | None,
    dry_run: bool,
    post: bool,
    channels: tuple[str, ...],
    as_json: bool,
) -> None:
    """The weekly digest: new articles, what each side says, what the team asked.

    The default period is the last full week (Monday to Monday) in BRIEFBOT_TIMEZONE.
    --post posts it to BRIEFBOT_DIGEST_CHANNELS and the subscribed channels (or to each
    --channel), once per channel and period however often it runs; exits 1 if a post
    failed.
    """
    if dry_run and post:
        raise click.UsageError("--dry-run and --post contradict each other: give one")
    if channels and not post:
        raise click.UsageError("--channel says where to post: it needs --post")
    mode = "post" if post else "dry-run"
    from bot.core.period import choose_period
    from bot.schedule import channel_ids

    settings = load_settings()
    period = choose_period(
        since=since, until=until, week=week, timezone=settings.timezone, now=datetime.now(UTC)
    )
    try:
        chosen = channel_ids(" ".join(channels))
    except ValueError as exc:
        raise InputError(f"--channel: {exc}") from exc
    if mode == "post":
        settings.require_bot_token("briefbot digest --post")
    with open_briefing() as briefing:
        if mode != "post":
            built = briefing.digests.digest(period)
            if as_json:
                print_json(built.as_dict())
            else:
                echo(built.text, nl=False)
            if built.empty and settings.digest_empty == "skip":
                echo(
                    "(no new articles: with BRIEFBOT_DIGEST_EMPTY=skip it is not posted)", err=True
                )
            return
        from bot.slack.app import make_web_client, signed_in
        from bot.slack.digest_post import DigestPoster, PostReport

        poster = DigestPoster(briefing, make_web_client(settings, "briefbot digest --post"))
        targets = chosen or poster.destinations()
        if not targets:
            raise InputError(
                "--post needs a channel: give --channel C0123ABCD, set BRIEFBOT_DIGEST_CHANNELS, "
                "or /brief subscribe in a channel"
            )
        signed_in(poster.client)
        built = briefing.digests.digest(period)
        if built.empty and settings.digest_empty == "skip":
            report = PostReport(period, (), note="no new articles; BRIEFBOT_DIGEST_EMPTY=skip")
        else:
            # A channel named on the command line is tried even if Slack could not find
            # it earlier this period (a private channel that has since invited briefbot).
            # The subscribed channels were read before the digest was written (minutes,
            # with a model): the poster checks each again as it claims it.
            report = poster.post(
                built, targets, retry_failed=bool(chosen), from_destinations=not chosen
            )
    if as_json:
        print_json({**built.as_dict(), "post": report.as_dict()})
    else:
        for outcome in report.outcomes:
            echo(outcome.line())
        echo(report.summary())
    if report.failed:
        sys.exit(1)
