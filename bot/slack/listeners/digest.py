"""The weekly digest from Slack: ``/brief digest``, ``/brief subscribe``, ``/brief
unsubscribe``, ``/brief subscriptions``, and the *Post to this channel* button.

``/brief digest`` shows the current digest (the last full week, the one the schedule posts
on Monday) to the asker only, with a button that posts it to the channel through the same
claim as the schedule: if the clock, or someone else, already posted it there, the button
says so instead of posting it twice.

Subscribing and unsubscribing are announced in the channel (everyone there gets the
digest, so everyone should know who turned it on or off); the list of subscriptions and
the replies that change nothing are shown to the asker only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_bolt.context import BoltContext
from slack_sdk import WebClient

from bot.core.period import Period
from bot.errors import BriefbotError
from bot.schedule import next_fire, parse_crontab
from bot.slack.blocks import section
from bot.slack.clicks import ClickReply
from bot.slack.digest_blocks import POST_DIGEST, digest_message, digest_plain
from bot.slack.digest_post import DigestPoster
from bot.slack.mrkdwn import escape
from bot.slack.reply import in_channel, log_refusal, privately, respond_checked
from bot.slack.services import SlackServices

SUBCOMMANDS = ("digest", "subscribe", "unsubscribe", "subscriptions")
NOT_IN_CHANNEL = (
    "I can't post in this channel: invite me first (`/invite @briefbot`), then click again."
)
#: Slack's channel_not_found for a click's own conversation: a private channel, or a DM,
#: that briefbot is not in (Slack says not_in_channel only of a public one).
NOT_FOUND = (
    "I can't post in this conversation: in a private channel, invite me first "
    "(`/invite @briefbot`), then click again; a direct message between other people "
    "cannot get the digest."
)


def _next_run(services: SlackServices) -> str:
    settings = services.settings
    fire = next_fire(parse_crontab(settings.digest_cron, settings.tz), datetime.now(UTC))
    if fire is None:
        return "never (the schedule has no next time)"
    return f"{fire:%A %-d %B, %H:%M} {settings.timezone}"


def _a_direct_message(command: dict[str, Any]) -> bool:
    """Was the command typed in a DM or a group DM? briefbot cannot be invited there, so
    a digest subscribed there could never be posted."""
    channel = str(command.get("channel_id") or "")
    name = str(command.get("channel_name") or "")
    return channel.startswith("D") or name == "directmessage" or name.startswith("mpdm-")


def brief_subcommand(
    name: str,
    ack: Ack,
    command: dict[str, Any],
    context: BoltContext,
    respond: Respond,
    services: SlackServices,
) -> None:
    """``/brief <name>`` for one of :data:`SUBCOMMANDS`: ack at once, work after."""
    channel = str(command.get("channel_id") or "")
    user = command.get("user_id")
    digests = services.briefing.digests
    tell = privately(respond, replace=False)

    if name == "digest":
        ack(response_type="ephemeral", text="Putting the weekly digest together…")

        def show() -> None:
            digest = digests.digest()
            text, blocks = digest_message(digest, full=True, post_button=True)
            respond_checked(
                respond,
                text,
                blocks,
                replace=True,
                what="the digest",
                shorter=digest_plain(digest),
            )

        services.jobs.submit(show, apologise=tell, doing="putting the digest together")
        return

    ack()
    configured = channel in services.settings.digest_channel_ids

    def subscribe() -> None:
        if _a_direct_message(command):
            tell(
                "The weekly digest is posted to channels, not direct messages: type "
                "`/brief subscribe` in the channel that should get it."
            )
            return
        if configured:
            tell("This channel already gets the weekly digest: it is in BRIEFBOT_DIGEST_CHANNELS.")
            return
        if not digests.subscribe(channel, user, context.team_id):
            tell("This channel is already subscribed to the weekly digest.")
            return
        said = in_channel(
            respond,
            f"<@{user}> subscribed this channel to the weekly digest; the next one is "
            f"posted here on {_next_run(services)}. `/brief unsubscribe` stops it. "
            "(I must be in the channel to post: `/invite @briefbot`.)",
        )
        log_refusal(said, "the subscription's announcement")

    def unsubscribe() -> None:
        if configured:
            tell(
                "This channel gets the digest through BRIEFBOT_DIGEST_CHANNELS; whoever "
                "runs briefbot can remove it there."
            )
            return
        if not digests.unsubscribe(channel):
            tell("This channel is not subscribed to the weekly digest.")
            return
        said = in_channel(respond, f"<@{user}> unsubscribed this channel from the weekly digest.")
        log_refusal(said, "the unsubscription's announcement")

    def subscriptions() -> None:
        lines = [
            f"• <#{c}> (BRIEFBOT_DIGEST_CHANNELS)" for c in services.settings.digest_channel_ids
        ]
        for s in digests.subscriptions():
            by = f"<@{s.subscribed_by}>" if s.subscribed_by else "someone"
            # the team's day (BRIEFBOT_TIMEZONE, named in the heading), as the digest's
            day = s.subscribed_at.astimezone(services.settings.tz)
            lines.append(f"• <#{s.channel}>: subscribed by {by} on {day:%-d %b %Y}")
        if not lines:
            tell("No channel gets the weekly digest yet; `/brief subscribe` in a channel does it.")
            return
        head = f"*Channels that get the weekly digest* (next: {_next_run(services)})"
        respond_checked(
            respond,
            head,
            section("\n".join([head, *lines])),
            replace=False,
            what="the list of subscriptions",
        )

    work = {"subscribe": subscribe, "unsubscribe": unsubscribe, "subscriptions": subscriptions}
    services.jobs.submit(work[name], apologise=tell, doing=f"handling /brief {name}")


def register(app: App, services: SlackServices) -> None:
    @app.action(POST_DIGEST)
    def post_digest(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        reply = ClickReply(respond, client, body)

        def post_to_channel() -> None:
            _post_digest(action, reply, client, services)

        services.jobs.submit(post_to_channel, apologise=reply.tell, doing="posting the digest")


def _post_digest(
    action: dict[str, Any], reply: ClickReply, client: WebClient, services: SlackServices
) -> None:
    """The *Post to this channel* button's work, after the ack."""
    channel = reply.channel
    user = reply.user
    tell = reply.tell
    try:
        period = Period.from_key(str(action.get("value") or ""))
    except BriefbotError as exc:
        tell(escape(exc.message))
        return
    if not channel:
        tell("I can't tell which channel to post in.")
        return
    digest = services.briefing.digests.digest(period)
    poster = DigestPoster(services.briefing, client)
    outcome = poster.post(digest, [str(channel)], posted_by=user, retry_failed=True).outcomes[0]
    if outcome.result == "posted":
        reply.privately(f"Posted the digest of {period.label()} to this channel.", replace=True)
    elif outcome.result == "already posted":
        tell(f"The digest of {period.label()} is already in this channel ({outcome.detail}).")
    elif outcome.result == "in progress":
        tell(f"The digest of {period.label()} is being posted here right now.")
    elif outcome.detail and outcome.detail.startswith("not_in_channel"):
        tell(NOT_IN_CHANNEL)
    elif outcome.detail and outcome.detail.startswith("channel_not_found"):
        # The poster's detail is for scheduled runs ("not tried again this period",
        # "unsubscribe it"); a click is tried again by the next click.
        tell(NOT_FOUND)
    else:
        reason = escape(outcome.detail or "no reason given")
        tell(f"Slack did not take the post ({reason}); try again later.")
