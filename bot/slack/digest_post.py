"""Posting the digest to channels: exactly once per channel and period.

Before posting to a channel, the poster claims (channel, period) in the database
(:mod:`storage.digests`). Whoever inserts the claim posts; a re-run, a second clock, a
manual ``briefbot digest --post`` or a click on *Post to this channel* finds the claim
and does not. What happens then:

* posted: the claim becomes ``posted``, with the message's ``ts``;
* Slack refused it, or could not be reached (an archived channel, a bot not in the
  channel, a 503, a connection refused...): the claim is released and the reason logged;
  the next run claims the channel again and retries;
* Slack did not answer (a timeout, a dropped connection, a 500), or answered with an
  error it documents as perhaps carried out all the same (``fatal_error``,
  ``internal_error``: see :data:`bot.slack.reply.PERHAPS_CARRIED_OUT`): the post may have
  landed, so the claim is kept, as if its poster had died (below): after ``STALE_AFTER``
  the next run looks in the channel before posting;
* Slack refused the message's form (``invalid_blocks``, ``msg_blocks_too_long``...: see
  :data:`bot.slack.reply.REFUSED_FORM`): nothing was posted, and the same blocks would be
  refused by every run of the period. Still under its claim, the digest is posted at once
  as text alone (:func:`~bot.slack.digest_blocks.digest_plain`: the whole digest, escaped,
  within one message's text), with the same metadata; the refusal is logged once a run,
  and the run's other channels get the text alone without trying the blocks again. If
  Slack refuses the text's form too, the channel is ``failed`` for the period, as below;
* ``channel_not_found``: not retried by the runs of this period. The claim is kept as
  ``failed`` and the log says why. The channel stays subscribed: Slack says the same of
  a private channel that has not invited briefbot yet, so once it is invited, *Post to
  this channel* (or ``briefbot digest --post --channel``) posts, and next period's run
  tries again. A channel that is really gone costs one call a period until someone
  unsubscribes it (or removes it from ``BRIEFBOT_DIGEST_CHANNELS``).

A channel taken from the subscriptions (not one configured, named with ``--channel`` or
clicked in) is posted to only if it is still subscribed when its claim is taken, in the
claim's transaction: a run reads its destinations before it writes the digest (minutes,
with a model) and posts channel after channel (each may wait on Slack), and a channel
told "unsubscribed" meanwhile must not get the digest a moment later. (One unsubscribed
after its claim, while its post is under way, may still get it.)

A poster may die between its claim and its post, or between the post and recording it.
Its claim then stays ``claimed``. After ``STALE_AFTER`` another poster takes the claim
over (only if it is still the dead one's: claims carry a token), and before posting
looks in the channel's history for the digest: every digest is posted with message
metadata naming its period, so one that did reach Slack is found, recorded, and not
posted again. It looks back to the first claim of the channel and period, which every
takeover keeps (see :func:`_earliest_post`). If the history cannot be read, nothing is
posted and the next run looks again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.briefing import Briefing
from bot.core.digest import Digest
from bot.core.models import JsonData
from bot.core.period import Period
from bot.errors import BriefbotError
from bot.slack.digest_blocks import digest_message, digest_plain
from bot.slack.reply import REFUSED_FORM, maybe_taken, never_sent, post_message, slack_error
from storage import digests
from storage.digests import CLAIMED, FAILED, POSTED

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)
METADATA_TYPE = "briefbot_digest"
PERMANENT_ERRORS = frozenset({"channel_not_found"})
HISTORY_PAGES = 5

Result = Literal["posted", "already posted", "in progress", "failed", "skipped"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def poster_name() -> str:
    """Who holds a claim, for the log: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Outcome(JsonData):
    """What happened to one channel's post (its JSON has these four fields)."""

    channel: str
    result: Result
    detail: str | None = None
    ts: str | None = None

    def line(self) -> str:
        return f"{self.result}: {self.channel}" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class PostReport:
    """What one run did with one period's digest."""

    period: Period
    outcomes: tuple[Outcome, ...]
    note: str | None = None

    def count(self, *results: Result) -> int:
        return sum(1 for o in self.outcomes if o.result in results)

    @property
    def posted(self) -> int:
        return self.count("posted")

    @property
    def skipped(self) -> int:
        return self.count("already posted", "in progress", "skipped")

    @property
    def failed(self) -> int:
        return self.count("failed")

    def summary(self) -> str:
        text = (
            f"digest {self.period.key}: {len(self.outcomes)} channel(s), {self.posted} posted, "
            f"{self.skipped} skipped, {self.failed} failed"
        )
        return text + (f" ({self.note})" if self.note else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.as_dict(),
            "posted": self.posted,
            "skipped": self.skipped,
            "failed": self.failed,
            "note": self.note,
            "channels": [o.as_dict() for o in self.outcomes],
        }


@dataclass
class _Message:
    """One run's digest message: its blocks (with their fallback text), the same digest
    as text alone, and whether Slack refused the blocks' form in this run (then every
    channel after gets the text alone)."""

    text: str
    blocks: list[Any]
    plain: str
    refused_form: str | None = None

    def attempts(self) -> list[tuple[str, list[Any] | None]]:
        if self.refused_form:
            return [(self.plain, None)]
        return [(self.text, self.blocks), (self.plain, None)]


class HistoryUnreadable(Exception):
    """The channel's history could not be read, so an earlier post cannot be ruled out."""


class DigestPoster:
    """Posts digests through one Web API client, claiming each (channel, period) first."""

    def __init__(
        self,
        briefing: Briefing,
        client: WebClient,
        *,
        clock: Callable[[], datetime] = utc_now,
        name: str | None = None,
        stale_after: timedelta = STALE_AFTER,
    ) -> None:
        self.briefing = briefing
        self.client = client
        self.clock = clock
        self.name = name or poster_name()
        self.stale_after = stale_after

    # ------------------------------------------------------------------ where to

    def destinations(self, due_at: datetime | None = None) -> list[str]:
        """``BRIEFBOT_DIGEST_CHANNELS``, then the subscribed channels. With ``due_at``,
        only channels subscribed by then: a channel that subscribes on a Thursday gets
        its first digest at the next scheduled run, not a late copy of the last one.

        Passed to :meth:`post` with ``from_destinations``, so that a subscribed channel
        unsubscribed before its turn does not get the digest."""
        configured = self.briefing.settings.digest_channel_ids
        with self.briefing.db.session() as session:
            subscribed = digests.subscriptions(session=session, subscribed_by=due_at)
        return [*configured, *(s.channel for s in subscribed if s.channel not in configured)]

    def unresolved(self, period: Period, channels: Sequence[str]) -> list[str]:
        """Of ``channels``, those that have not had this period's digest (or a permanent
        failure for it)."""
        with self.briefing.db.session() as session:
            return digests.unresolved(session=session, period=period.key, channels=list(channels))

    # ------------------------------------------------------------------ posting

    def post(
        self,
        digest: Digest,
        channels: Sequence[str],
        *,
        posted_by: str | None = None,
        stop: threading.Event | None = None,
        retry_failed: bool = False,
        from_destinations: bool = False,
    ) -> PostReport:
        """Post ``digest`` to each of ``channels`` that has not had it; one channel's
        failure does not stop the others. With ``retry_failed`` (someone asked for this
        channel), a channel Slack could not find earlier in the period is tried again.
        With ``from_destinations`` (``channels`` are :meth:`destinations`, read before the
        digest was written), a channel that is not configured came from the
        subscriptions, and is skipped if it is no longer subscribed when its turn comes
        (see the module docstring)."""
        configured = set(self.briefing.settings.digest_channel_ids)
        text, blocks = digest_message(digest, posted_by=posted_by)
        message = _Message(text, blocks, digest_plain(digest))
        outcomes = []
        for channel in dict.fromkeys(channels):
            if stop is not None and stop.is_set():
                outcomes.append(Outcome(channel, "skipped", "the clock is stopping"))
                continue
            try:
                while_subscribed = from_destinations and channel not in configured
                outcome = self._post_one(
                    channel, digest.period.key, message, retry_failed, while_subscribed
                )
            except Exception as exc:  # a database failure: this channel waits for the next run
                log.exception("digest for %s: posting to %s failed", digest.period.key, channel)
                outcome = Outcome(channel, "failed", f"{type(exc).__name__}: {exc}")
            outcomes.append(outcome)
        return PostReport(digest.period, tuple(outcomes))

    def _post_one(
        self,
        channel: str,
        key: str,
        message: _Message,
        retry_failed: bool,
        while_subscribed: bool,
    ) -> Outcome:
        """Claim ``channel`` and post; with ``while_subscribed``, only if it is still
        subscribed, checked in the claim's transaction."""
        token = uuid.uuid4().hex
        with self.briefing.db.session() as session:
            if while_subscribed and not digests.is_subscribed(session=session, channel=channel):
                log.info("digest %s: %s was unsubscribed; not posted", key, channel)
                return Outcome(channel, "skipped", "unsubscribed")
            won = digests.claim_delivery(
                session=session,
                channel=channel,
                period=key,
                token=token,
                claimed_by=self.name,
                now=self.clock(),
            )
        if not won:
            taken = self._after_conflict(channel, key, token, retry_failed)
            if isinstance(taken, Outcome):
                return taken
        return self._send(channel, key, token, message)

    def _after_conflict(
        self, channel: str, key: str, token: str, retry_failed: bool
    ) -> Outcome | None:
        """Someone claimed the channel first: report why we stop, or take over a claim
        whose poster died (None: the claim is now ours and nothing was posted)."""
        with self.briefing.db.session() as session:
            row = digests.get_delivery(session=session, channel=channel, period=key)
        if row is None:  # released since our insert failed: leave it to the next run
            return Outcome(channel, "in progress", "another poster just gave it up")
        if row.status == POSTED:
            when = row.posted_at.isoformat(timespec="minutes") if row.posted_at else "earlier"
            return Outcome(channel, "already posted", f"at {when}", row.message_ts)
        if row.status == FAILED and not retry_failed:
            return Outcome(channel, "skipped", f"failed for good this period: {row.error}")
        if row.status == FAILED:
            took = self._take(channel, key, row.token, token, self.clock(), FAILED)
            return None if took else Outcome(channel, "in progress", "taken by another poster")
        now = self.clock()
        if now - row.claimed_at < self.stale_after:
            return Outcome(channel, "in progress", f"claimed by {row.claimed_by}")
        if not self._take(channel, key, row.token, token, now, CLAIMED):
            return Outcome(channel, "in progress", "taken over by another poster")
        log.warning(
            "digest %s: %s claimed %s at %s and never finished; checking the channel",
            key,
            row.claimed_by,
            channel,
            row.claimed_at.isoformat(timespec="seconds"),
        )
        try:
            found = self.find_in_channel(channel, key, _earliest_post(row))
        except HistoryUnreadable as exc:
            log.warning(
                "digest %s: cannot read %s's history (%s); will look again", key, channel, exc
            )
            return Outcome(channel, "failed", f"could not check the channel's history: {exc}")
        if found is None:
            return None
        with self.briefing.db.session() as session:
            digests.mark_posted(
                session=session, channel=channel, period=key, token=token, message_ts=found, now=now
            )
        log.info("digest %s: already in %s (ts %s), recorded", key, channel, found)
        return Outcome(channel, "already posted", "found in the channel", found)

    def _take(self, channel: str, key: str, old: str, new: str, now: datetime, status: str) -> bool:
        """Make a claim in ``status`` (a dead poster's, or a failed one) ours."""
        with self.briefing.db.session() as session:
            return digests.take_over(
                session=session,
                channel=channel,
                period=key,
                old_token=old,
                new_token=new,
                claimed_by=self.name,
                now=now,
                status=status,
            )

    def find_in_channel(self, channel: str, key: str, since: datetime) -> str | None:
        """The ts of this period's digest in ``channel`` posted since ``since``, if any."""
        cursor: str | None = None
        try:
            for _ in range(HISTORY_PAGES):
                response = self.client.conversations_history(
                    channel=channel,
                    oldest=f"{since.timestamp() - 60:.6f}",
                    limit=200,
                    include_all_metadata=True,
                    cursor=cursor,
                )
                for message in response.get("messages") or []:
                    metadata = message.get("metadata") or {}
                    payload = metadata.get("event_payload") or {}
                    if metadata.get("event_type") == METADATA_TYPE and payload.get("period") == key:
                        return str(message.get("ts"))
                cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    return None
        except SlackApiError as exc:
            raise HistoryUnreadable(str(slack_error(exc))) from exc
        except OSError as exc:
            raise HistoryUnreadable(str(exc)) from exc
        raise HistoryUnreadable(f"more than {HISTORY_PAGES} pages of messages to look through")

    def _send(self, channel: str, key: str, token: str, message: _Message) -> Outcome:
        """Post under our claim: the blocks, then, if Slack refuses their form, the text
        alone (see the module docstring)."""
        metadata = {"event_type": METADATA_TYPE, "event_payload": {"period": key}}
        if message.refused_form is None:
            try:
                response = post_message(
                    self.client, channel, message.text, message.blocks, metadata=metadata
                )
            except Exception as exc:
                refused = isinstance(exc, SlackApiError) and not maybe_taken(exc)
                error = slack_error(exc) if refused and isinstance(exc, SlackApiError) else None
                if error not in REFUSED_FORM:
                    return self._not_posted(channel, key, token, exc)
                message.refused_form = error
                log.warning(
                    "digest %s: Slack refused its blocks (%s); posting it as text alone, "
                    "in %s and the run's other channels",
                    key,
                    error,
                    channel,
                )
            else:
                return self._posted(channel, key, token, response)
        try:
            response = post_message(self.client, channel, message.plain, None, metadata=metadata)
        except Exception as exc:
            return self._not_posted(channel, key, token, exc, text_alone=True)
        return self._posted(
            channel,
            key,
            token,
            response,
            f"as text alone: Slack refused its blocks ({message.refused_form})",
        )

    def _not_posted(
        self, channel: str, key: str, token: str, exc: Exception, *, text_alone: bool = False
    ) -> Outcome:
        """A post that failed: refused (the claim is released, or, when no run of the
        period would do better, kept as failed) or unanswered (the claim is kept)."""
        if isinstance(exc, SlackApiError):
            if maybe_taken(exc):  # a server error, or a fatal_error: it may have been taken
                return self._unanswered(channel, key, _what_slack_said(exc))
            error = slack_error(exc) or str(exc)
            # the text alone refused for its form too: every run would be
            for_good = text_alone and error in REFUSED_FORM
            return self._refused(channel, key, token, error, for_good=for_good)
        if never_sent(exc):  # the connection refused: nothing reached Slack
            return self._refused(channel, key, token, f"{type(exc).__name__}: {exc}")
        return self._unanswered(channel, key, f"{type(exc).__name__}: {exc}")  # a timeout

    def _posted(
        self, channel: str, key: str, token: str, response: Any, detail: str | None = None
    ) -> Outcome:
        ts = str(response.get("ts") or "") or None
        try:
            with self.briefing.db.session() as session:
                digests.mark_posted(
                    session=session,
                    channel=channel,
                    period=key,
                    token=token,
                    message_ts=ts,
                    now=self.clock(),
                )
        except Exception:
            # Posted, but not recorded: the claim stays, and whoever takes it over finds
            # the message in the channel's history.
            log.exception("digest %s: posted in %s but could not record it", key, channel)
        log.info("digest %s: posted in %s (ts %s)", key, channel, ts)
        return Outcome(channel, "posted", detail, ts=ts)

    def _unanswered(self, channel: str, key: str, error: str) -> Outcome:
        """No answer from Slack: the claim stays, and the channel is looked at before
        any later post (see the module docstring)."""
        log.warning(
            "digest %s: no answer from Slack for %s (%s); it may have been posted, so the "
            "channel will be checked before posting again",
            key,
            channel,
            error,
        )
        return Outcome(channel, "failed", f"{error}; will check the channel before retrying")

    def _refused(
        self, channel: str, key: str, token: str, error: str, *, for_good: bool = False
    ) -> Outcome:
        """Slack refused the post: release the claim for the next run, or, when no run
        of this period would do better (``channel_not_found``, or a form it refuses even
        as text: ``for_good``), keep it as ``failed``."""
        for_good = for_good or error in PERMANENT_ERRORS
        with self.briefing.db.session() as session:
            if not for_good:
                digests.release_delivery(session=session, channel=channel, period=key, token=token)
            else:
                digests.mark_failed(
                    session=session, channel=channel, period=key, token=token, error=error
                )
        if not for_good:
            log.warning(
                "digest %s: not posted in %s: %s; will retry on the next run", key, channel, error
            )
            return Outcome(channel, "failed", f"{error}; will retry")
        if error not in PERMANENT_ERRORS:
            log.warning(
                "digest %s: Slack refused it in %s even as text alone (%s); not tried again "
                "this period",
                key,
                channel,
                error,
            )
            return Outcome(channel, "failed", f"{error} even as text; not tried again this period")
        if channel in self.briefing.settings.digest_channel_ids:
            advice = "invite briefbot to it, or remove it from BRIEFBOT_DIGEST_CHANNELS"
        else:
            advice = "invite briefbot to it (a private channel), or unsubscribe it"
        log.warning(
            "digest %s: Slack cannot find %s (%s): %s; not tried again this period",
            key,
            channel,
            error,
            advice,
        )
        return Outcome(channel, "failed", f"{error}: {advice}; not tried again this period")


def _what_slack_said(exc: SlackApiError) -> str:
    """A failed post's answer, for the log: the HTTP status, and the error Slack named."""
    status = f"HTTP {exc.response.status_code}"
    error = slack_error(exc)
    return f"{error} ({status})" if error else status


def _earliest_post(row: digests.Delivery) -> datetime:
    """The earliest the digest of ``row`` can have been posted: when its first poster
    claimed it. Not the claim's time, which a takeover overwrites: a poster that took a
    dead poster's claim over, and could not read the channel's history, left its own
    time on the claim, and the next one must still look back past the first poster's
    post. Not the period's end either: a busy channel has more messages since Monday
    00:00 than ``HISTORY_PAGES`` pages, and every run would give up on it, while since
    the first claim there are minutes of them. (:meth:`DigestPoster.find_in_channel`
    looks a minute earlier still, for the hosts' clocks.)

    A claim made before the first claim's time was kept has none: it is looked for from
    the period's end (or, a period not over yet, from its claim), as it was then."""
    if row.first_claimed_at is not None:
        return row.first_claimed_at
    try:
        ended = Period.from_key(row.period).until
    except BriefbotError:
        return row.claimed_at
    return min(ended, row.claimed_at)
