"""Claims: the first process to insert a key owns the work it names.

Used to make Slack deliveries exactly-once: an event id (retries and duplicates carry the
same one) and a message (an @-mention arrives as both ``app_mention`` and ``message``) are
each claimed before anything is answered. The insert is atomic on both SQLite and
PostgreSQL, so two ``briefbot serve`` processes sharing one database cannot both win.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.cleaning import storable
from storage.models import Base, SlackEventClaim


def inserted_first(session: Session, row: Base) -> bool:
    """Insert ``row``; True if it went in, False if a row with its key was there first
    (the insert is atomic on both databases, so of several writers exactly one wins)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def claim(*, session: Session, key: str) -> bool:
    """True if this call inserted ``key``; False if someone already had."""
    return inserted_first(session, SlackEventClaim(event_key=storable(key)[:200]))


def held(*, session: Session, key: str) -> bool:
    """Has someone claimed ``key`` (and it not been released or purged)?"""
    found = session.scalar(
        select(SlackEventClaim.event_key).where(SlackEventClaim.event_key == storable(key)[:200])
    )
    return found is not None


def release(*, session: Session, key: str) -> None:
    """Forget ``key``, so the next :func:`claim` of it succeeds."""
    session.execute(delete(SlackEventClaim).where(SlackEventClaim.event_key == storable(key)[:200]))


def purge_claims(*, session: Session, before: datetime) -> int:
    result = session.execute(delete(SlackEventClaim).where(SlackEventClaim.claimed_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
