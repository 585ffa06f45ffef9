"""Digest subscriptions and delivery claims. Plain data in and out; the caller owns the
transaction.

A delivery claim is a row per (channel, period), inserted before posting. The insert is
atomic on SQLite and PostgreSQL, so of several posters (two clocks, a clock and a
``briefbot digest --post``, a click on *Post to channel*) exactly one wins. Each claim
carries a random token; a poster changes the row only where the token is still its own,
so a poster that was presumed dead and taken over cannot undo its successor's work.

Times are stored in UTC. SQLite keeps no offset, so times read back from it are naive
UTC; :func:`_utc` makes them aware again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Executable, delete, or_, select, update
from sqlalchemy.orm import Session

from storage.claims import inserted_first
from storage.models import DigestDelivery, DigestSubscription

CLAIMED = "claimed"
POSTED = "posted"
FAILED = "failed"


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _claimed(channel: str, period: str, token: str) -> tuple[ColumnElement[bool], ...]:
    """Where (channel, period)'s row still carries the claim ``token``: a poster changes
    only its own claim."""
    return (
        DigestDelivery.channel == channel,
        DigestDelivery.period == period,
        DigestDelivery.claim_token == token,
    )


def _changed(session: Session, statement: Executable) -> bool:
    """Run an UPDATE or DELETE; whether it touched a row."""
    return bool(getattr(session.execute(statement), "rowcount", 0))


@dataclass(frozen=True)
class Subscription:
    channel: str
    subscribed_by: str | None
    subscribed_at: datetime
    workspace: str | None = None


@dataclass(frozen=True)
class Delivery:
    """A delivery row: a claim, a post, or a permanent failure."""

    channel: str
    period: str
    status: str
    token: str
    claimed_by: str | None
    claimed_at: datetime
    posted_at: datetime | None
    message_ts: str | None
    error: str | None
    #: The first claim's time, kept through takeovers (None for a claim made before it
    #: was recorded): see :func:`take_over`.
    first_claimed_at: datetime | None = None


def _delivery(row: DigestDelivery) -> Delivery:
    return Delivery(
        channel=row.channel,
        period=row.period,
        status=row.status,
        token=row.claim_token,
        claimed_by=row.claimed_by,
        claimed_at=_utc(row.claimed_at),
        posted_at=_utc(row.posted_at) if row.posted_at is not None else None,
        message_ts=row.message_ts,
        error=row.error,
        first_claimed_at=_utc(row.first_claimed_at) if row.first_claimed_at else None,
    )


# ---------------------------------------------------------------------- subscriptions


def subscribe(
    *, session: Session, channel: str, user: str | None, workspace: str | None, now: datetime
) -> bool:
    """Subscribe ``channel``; False if it already was (the first subscription is kept)."""
    subscription = DigestSubscription(
        channel=channel, subscribed_by=user, workspace=workspace, subscribed_at=_utc(now)
    )
    return inserted_first(session, subscription)


def unsubscribe(*, session: Session, channel: str) -> bool:
    """Remove ``channel``'s subscription; False if it had none."""
    return _changed(
        session, delete(DigestSubscription).where(DigestSubscription.channel == channel)
    )


def is_subscribed(*, session: Session, channel: str) -> bool:
    """Is ``channel`` subscribed now?"""
    found = session.scalar(
        select(DigestSubscription.channel).where(DigestSubscription.channel == channel)
    )
    return found is not None


def subscriptions(*, session: Session, subscribed_by: datetime | None = None) -> list[Subscription]:
    """Subscribed channels, oldest subscription first; with ``subscribed_by``, only those
    subscribed at or before that time."""
    query = select(DigestSubscription).order_by(
        DigestSubscription.subscribed_at, DigestSubscription.channel
    )
    if subscribed_by is not None:
        query = query.where(DigestSubscription.subscribed_at <= _utc(subscribed_by))
    return [
        Subscription(r.channel, r.subscribed_by, _utc(r.subscribed_at), r.workspace)
        for r in session.scalars(query)
    ]


# ---------------------------------------------------------------------- deliveries


def claim_delivery(
    *,
    session: Session,
    channel: str,
    period: str,
    token: str,
    claimed_by: str,
    now: datetime,
) -> bool:
    """Insert the claim for (channel, period); False if a row for it already exists."""
    delivery = DigestDelivery(
        channel=channel,
        period=period,
        status=CLAIMED,
        claim_token=token,
        claimed_by=claimed_by[:100],
        claimed_at=_utc(now),
        first_claimed_at=_utc(now),
    )
    return inserted_first(session, delivery)


def get_delivery(*, session: Session, channel: str, period: str) -> Delivery | None:
    row = session.scalar(
        select(DigestDelivery).where(
            DigestDelivery.channel == channel, DigestDelivery.period == period
        )
    )
    return _delivery(row) if row is not None else None


def deliveries(*, session: Session, period: str) -> list[Delivery]:
    rows = session.scalars(
        select(DigestDelivery)
        .where(DigestDelivery.period == period)
        .order_by(DigestDelivery.channel)
    )
    return [_delivery(r) for r in rows]


def take_over(
    *,
    session: Session,
    channel: str,
    period: str,
    old_token: str,
    new_token: str,
    claimed_by: str,
    now: datetime,
    status: str = CLAIMED,
) -> bool:
    """Take a claim whose poster is presumed dead (or, with ``status`` FAILED, one whose
    post failed for good, to try again when asked); True if it was still that poster's.

    ``claimed_at`` becomes ``now`` (it decides when this claim is stale), but a dead
    poster's ``first_claimed_at`` stays: its post, or an earlier one's, may be in the
    channel, and whoever looks for it must look back that far. A failed claim's post was
    refused, so nothing of it is in the channel: its search starts afresh at ``now``.
    """
    restarted = {"first_claimed_at": _utc(now)} if status == FAILED else {}
    return _changed(
        session,
        update(DigestDelivery)
        .where(*_claimed(channel, period, old_token), DigestDelivery.status == status)
        .values(
            status=CLAIMED,
            claim_token=new_token,
            claimed_by=claimed_by[:100],
            claimed_at=_utc(now),
            error=None,
            **restarted,
        ),
    )


def mark_posted(
    *,
    session: Session,
    channel: str,
    period: str,
    token: str,
    message_ts: str | None,
    now: datetime,
) -> bool:
    """Record the post; False if the claim is no longer this poster's."""
    return _changed(
        session,
        update(DigestDelivery)
        .where(*_claimed(channel, period, token))
        .values(status=POSTED, message_ts=message_ts, posted_at=_utc(now), error=None),
    )


def release_delivery(*, session: Session, channel: str, period: str, token: str) -> None:
    """Give the claim up (the post failed and may work later): the next run claims it."""
    session.execute(
        delete(DigestDelivery).where(
            *_claimed(channel, period, token), DigestDelivery.status == CLAIMED
        )
    )


def mark_failed(*, session: Session, channel: str, period: str, token: str, error: str) -> None:
    """A permanent failure: the channel is not tried again for this period."""
    session.execute(
        update(DigestDelivery)
        .where(*_claimed(channel, period, token))
        .values(status=FAILED, error=error[:2000])
    )


def unresolved(*, session: Session, period: str, channels: list[str]) -> list[str]:
    """Of ``channels``, those with no posted or failed delivery for ``period`` (claimed
    ones count as unresolved: their poster may have died)."""
    if not channels:
        return []
    done = set(
        session.scalars(
            select(DigestDelivery.channel).where(
                DigestDelivery.period == period,
                DigestDelivery.channel.in_(channels),
                or_(DigestDelivery.status == POSTED, DigestDelivery.status == FAILED),
            )
        )
    )
    return [c for c in channels if c not in done]
