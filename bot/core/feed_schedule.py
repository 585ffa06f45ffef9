"""When a feed is polled next: its own slot in the interval, and backing off on failure.

Each feed has a fixed *phase*, a number of seconds within ``BRIEFBOT_FEED_INTERVAL`` taken
from a hash of its url, and after a successful poll it is next due at the first moment
after the poll that is its phase past a multiple of the interval (counted from the Unix
epoch). So feeds are spread evenly over the interval instead of all falling due together,
and each keeps its slot from one poll to the next whichever process polls it. A feed that
was just added is due at once.

A feed that fails waits ``interval × 2^failures`` (its failures so far, this one
included), at most :data:`MAX_BACKOFF`, then is tried again; one success puts it back on
its slot.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

MAX_BACKOFF = timedelta(hours=24)


def phase(url: str, interval: timedelta) -> timedelta:
    """The feed's fixed offset within the interval."""
    period = max(1, int(interval.total_seconds()))
    digest = int.from_bytes(hashlib.sha256(url.encode("utf-8")).digest()[:8], "big")
    return timedelta(seconds=digest % period)


def next_slot(url: str, after: datetime, interval: timedelta) -> datetime:
    """The feed's first slot strictly after ``after``."""
    period = max(1, int(interval.total_seconds()))
    offset = int(phase(url, interval).total_seconds())
    now = int(after.astimezone(UTC).timestamp())
    slot = now - ((now - offset) % period) + period
    return datetime.fromtimestamp(slot, UTC)


def backoff(failures: int, after: datetime, interval: timedelta) -> datetime:
    """When a feed that has now failed ``failures`` times in a row is tried again."""
    wait = interval * (2 ** min(max(failures, 1), 16))
    longest = max(MAX_BACKOFF, interval)
    return after + (wait if wait < longest else longest)
