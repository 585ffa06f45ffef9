"""Feeds and their entries: plain data in, plain data out.

Every function takes the session as a keyword-only argument; the caller owns the
transaction. Times are stored as UTC; SQLite hands them back without a time zone, so
every time read here is made UTC-aware again (:func:`as_utc`).

Polling is claimed per feed (:func:`claim_feed`): one conditional UPDATE, so of several
clocks (or a clock and ``briefbot feeds poll``) exactly one polls a feed at a time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Article, Feed, FeedEntry

#: What a feed entry can be, once a poll has dealt with it.
STORED = "stored"  # its page was fetched and stored
SUMMARY = "summary"  # stored from the feed's own summary: the page could not be fetched
# (yet: its page is tried again, ``attempts`` times in all, and replaces the summary)
DUPLICATE = "duplicate"  # its link or text was already stored
FAILED = "failed"  # nothing stored yet; tried ``attempts`` times


def _one_row(result: object) -> bool:
    """Whether an UPDATE changed exactly one row."""
    return int(getattr(result, "rowcount", 0)) == 1


def as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def entry_key(guid_or_link: str) -> str:
    return hashlib.sha256(guid_or_link.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class FeedRow:
    id: int
    url: str
    title: str | None
    site_url: str | None
    added_at: datetime
    etag: str | None
    last_modified: str | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    failures: int
    next_poll_at: datetime
    entries: int = 0  # entries stored from this feed (page or summary)


def _row(feed: Feed, entries: int = 0) -> FeedRow:
    return FeedRow(
        id=feed.id,
        url=feed.url,
        title=feed.title,
        site_url=feed.site_url,
        added_at=as_utc(feed.added_at) or feed.added_at,
        etag=feed.etag,
        last_modified=feed.last_modified,
        last_polled_at=as_utc(feed.last_polled_at),
        last_success_at=as_utc(feed.last_success_at),
        last_error=feed.last_error,
        last_error_at=as_utc(feed.last_error_at),
        failures=feed.failures,
        next_poll_at=as_utc(feed.next_poll_at) or feed.next_poll_at,
        entries=entries,
    )


#: The largest id an INTEGER column holds on PostgreSQL (SQLite's holds more).
MAX_ID = 2**31 - 1


def _fitting(value: str | None, column: Any) -> str | None:
    """``value`` if it fits ``column`` (a String(n) column), else None: a feed's validator
    or link cut short would be wrong, so an over-long one is not kept (PostgreSQL refuses
    it; SQLite would store it whole)."""
    return value if value is None or len(value) <= column.type.length else None


def _clipped(value: str | None, column: Any) -> str | None:
    """``value`` cut to ``column``'s length, with an ellipsis: for text shown to people."""
    limit = column.type.length
    return value if value is None or len(value) <= limit else value[: limit - 1] + "…"


def add_feed(
    *, session: Session, url: str, title: str | None, site_url: str | None, now: datetime
) -> FeedRow:
    """Follow a feed; due at once. Raises ``IntegrityError`` if it is already followed."""
    feed = Feed(
        url=url,
        title=_clipped(title, Feed.title),
        site_url=_fitting(site_url, Feed.site_url),
        added_at=now,
        failures=0,
        next_poll_at=now,
    )
    session.add(feed)
    session.flush()
    return _row(feed)


def is_feed_id(ref: str) -> bool:
    """Whether ``ref`` is written as a feed id: ASCII digits only. ``str.isdigit`` also
    takes full-width digits ("１", which ``int`` reads as 1) and superscripts ("¹", which
    ``int`` refuses), so an id is read as the ids are shown, and nothing else is one."""
    return ref.isascii() and ref.isdigit()


def find_feed(*, session: Session, ref: str) -> FeedRow | None:
    """The feed with id ``ref`` (ASCII digits: :func:`is_feed_id`) or url ``ref``."""
    if is_feed_id(ref) and (len(ref.lstrip("0")) > len(str(MAX_ID)) or int(ref) > MAX_ID):
        # no such id (and past what an INTEGER column holds); a very long one is not even
        # read as a number, which Python refuses beyond 4,300 digits
        return None
    query = (
        select(Feed).where(Feed.id == int(ref))
        if is_feed_id(ref)
        else select(Feed).where(Feed.url == ref)
    )
    feed = session.scalar(query)
    return _row(feed) if feed is not None else None


def get_feed(*, session: Session, feed_id: int) -> FeedRow | None:
    feed = session.get(Feed, feed_id)
    return _row(feed) if feed is not None else None


def list_feeds(*, session: Session) -> list[FeedRow]:
    stored = (
        select(FeedEntry.feed_id, func.count(FeedEntry.id).label("n"))
        .where(FeedEntry.status.in_((STORED, SUMMARY)))
        .group_by(FeedEntry.feed_id)
        .subquery()
    )
    rows = session.execute(
        select(Feed, func.coalesce(stored.c.n, 0))
        .outerjoin(stored, stored.c.feed_id == Feed.id)
        .order_by(Feed.id)
    )
    return [_row(feed, int(n)) for feed, n in rows]


def remove_feed(*, session: Session, feed_id: int) -> None:
    """Stop following a feed. The articles stored from it stay; its entry records go."""
    session.execute(delete(FeedEntry).where(FeedEntry.feed_id == feed_id))
    session.execute(delete(Feed).where(Feed.id == feed_id))


def due_feed_ids(*, session: Session, now: datetime) -> list[int]:
    """Feeds whose next poll is due at ``now`` and that nobody is polling, soonest first."""
    query = (
        select(Feed.id)
        .where(Feed.next_poll_at <= now)
        .where(or_(Feed.claimed_until.is_(None), Feed.claimed_until <= now))
        .order_by(Feed.next_poll_at, Feed.id)
    )
    return [int(i) for i in session.scalars(query)]


def claim_feed(
    *,
    session: Session,
    feed_id: int,
    token: str,
    now: datetime,
    until: datetime,
    due_only: bool,
) -> bool:
    """Claim a feed for one poll until ``until``; False if someone else holds it (or, with
    ``due_only``, if it is no longer due: another clock has polled it meanwhile)."""
    query = (
        update(Feed)
        .where(Feed.id == feed_id)
        .where(or_(Feed.claimed_until.is_(None), Feed.claimed_until <= now))
        .values(claimed_until=until, claim_token=token)
    )
    if due_only:
        query = query.where(Feed.next_poll_at <= now)
    return _one_row(session.execute(query))


def renew_claim(*, session: Session, feed_id: int, token: str, until: datetime) -> bool:
    """Extend a claim this poller holds; False if it was lost (it expired and was taken)."""
    result = session.execute(
        update(Feed)
        .where(Feed.id == feed_id, Feed.claim_token == token)
        .values(claimed_until=until)
    )
    return _one_row(result)


def release_claim(*, session: Session, feed_id: int, token: str) -> None:
    """Give up a claim this poller holds, recording nothing (a poll cut short by Ctrl-C):
    the next poll may start at once, and finds the feed as it was."""
    session.execute(
        update(Feed)
        .where(Feed.id == feed_id, Feed.claim_token == token)
        .values(claimed_until=None, claim_token=None)
    )


def move_feed(*, session: Session, feed_id: int, token: str, url: str) -> bool:
    """Follow the feed at ``url`` from now on (it moved there for good), under the claim
    ``token``. False, and nothing changed, when another feed is followed at ``url`` (or
    it does not fit the column, or the claim was lost). Two pollers racing to the same
    ``url`` may still meet the unique index: the loser's ``IntegrityError`` is the
    caller's to read as False."""
    if _fitting(url, Feed.url) is None:
        return False
    if session.scalar(select(Feed.id).where(Feed.url == url, Feed.id != feed_id)) is not None:
        return False
    result = session.execute(
        update(Feed).where(Feed.id == feed_id, Feed.claim_token == token).values(url=url)
    )
    return _one_row(result)


def finish_poll(
    *,
    session: Session,
    feed_id: int,
    token: str,
    now: datetime,
    next_poll_at: datetime,
    error: str | None,
    validators: tuple[str | None, str | None] | None = None,
    title: str | None = None,
    site_url: str | None = None,
) -> bool:
    """Record a poll's end and release the claim. ``error`` None is a success (failures
    reset); otherwise the failure count grows. ``validators`` (etag, last-modified) are
    stored when given; ``(None, None)`` clears them. False if the claim was lost."""
    values: dict[str, object] = {
        "last_polled_at": now,
        "next_poll_at": next_poll_at,
        "claimed_until": None,
        "claim_token": None,
    }
    if error is None:
        values.update(last_success_at=now, failures=0)
    else:
        values.update(last_error=error, last_error_at=now, failures=Feed.failures + 1)
    if validators is not None:
        values.update(
            etag=_fitting(validators[0], Feed.etag),
            last_modified=_fitting(validators[1], Feed.last_modified),
        )
    if title:
        values["title"] = _clipped(title, Feed.title)
    if site_url and _fitting(site_url, Feed.site_url):
        values["site_url"] = site_url
    result = session.execute(
        update(Feed).where(Feed.id == feed_id, Feed.claim_token == token).values(**values)
    )
    return _one_row(result)


@dataclass(frozen=True)
class KnownEntry:
    status: str
    attempts: int
    article_id: int | None
    link: str | None = None


def known_entries(*, session: Session, feed_id: int, keys: Sequence[str]) -> dict[str, KnownEntry]:
    """The entries of ``feed_id`` among ``keys`` that a poll has dealt with before."""
    if not keys:
        return {}
    rows = session.execute(
        select(
            FeedEntry.entry_key,
            FeedEntry.status,
            FeedEntry.attempts,
            FeedEntry.article_id,
            FeedEntry.link,
        )
        .where(FeedEntry.feed_id == feed_id)
        .where(FeedEntry.entry_key.in_(list(keys)))
    )
    return {r[0]: KnownEntry(r[1], r[2], r[3], r[4]) for r in rows}


def known_entry(
    *, session: Session, feed_id: int, key: str, old_key: str | None, link: str | None
) -> tuple[str, KnownEntry | None]:
    """The hashed key an entry of ``feed_id`` is recorded under, and what earlier polls
    did with it (None: nothing yet). ``key`` and ``old_key`` are as the feed parser gives
    them, not hashed.

    ``old_key`` is what an older briefbot keyed the entry by (a guid the feed shares
    among several entries, alone; the entry's ``key`` now adds its link). The one entry
    recorded under that old key, the one with the same link, keeps its record, so it is
    neither fetched nor stored again; the others sharing the guid are entries of their
    own."""
    hashed = entry_key(key)
    old = entry_key(old_key) if old_key is not None else None
    found = known_entries(
        session=session, feed_id=feed_id, keys=[hashed] if old is None else [hashed, old]
    )
    if hashed not in found and old in found and link and found[old].link == link:
        return old, found[old]
    return hashed, found.get(hashed)


def stored_links(*, session: Session, links: Iterable[str]) -> dict[str, int]:
    """Of ``links``, those stored as an article's url or origin, with the article's id."""
    wanted = list(dict.fromkeys(links))
    if not wanted:
        return {}
    rows = session.execute(
        select(Article.id, Article.origin, Article.url).where(
            or_(Article.origin.in_(wanted), Article.url.in_(wanted))
        )
    )
    found: dict[str, int] = {}
    targets = set(wanted)
    for article_id, origin, url in rows:
        for value in (origin, url):
            if value in targets:
                found.setdefault(value, int(article_id))
    return found


def article_with_text(*, session: Session, content_hash: str) -> int | None:
    """The id of the article whose text has ``content_hash``, if one is stored."""
    found = session.scalar(select(Article.id).where(Article.content_hash == content_hash))
    return int(found) if found is not None else None


def record_entry(
    *,
    session: Session,
    feed_id: int,
    key: str,
    link: str | None,
    status: str,
    now: datetime,
    article_id: int | None = None,
    error: str | None = None,
) -> None:
    """Insert or update what a poll did with one entry (a failure counts an attempt)."""
    entry = session.scalar(
        select(FeedEntry).where(FeedEntry.feed_id == feed_id, FeedEntry.entry_key == key)
    )
    if entry is None:
        entry = FeedEntry(feed_id=feed_id, entry_key=key, first_seen_at=now, attempts=0)
        session.add(entry)
    entry.link = _fitting(link, FeedEntry.link)  # the entry is known by its key anyway
    entry.status = status
    entry.article_id = article_id
    entry.error = error
    entry.attempts = (entry.attempts or 0) + 1
    entry.last_tried_at = now
    session.flush()
