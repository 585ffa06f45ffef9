"""Following RSS and Atom feeds: add, list, remove, and poll them into the sources.

A poll of one feed:

1. claims the feed (so no other process polls it at the same time), then GETs it with
   the ``ETag`` / ``Last-Modified`` of its last complete poll. A feed that has moved for
   good (a 301 or 308) is followed at its new address from then on
   (:meth:`FeedPoller._follow_move`). A 304 ends the poll there.
2. For each entry (at most :data:`bot.core.feedparse.MAX_ENTRIES`), newest first:

   * an entry seen before (by its guid, else its link; by both when the feed shares the
     guid among entries) is not fetched again, nor one whose link is already stored as an
     article (from another feed, or ingested by hand);
   * otherwise its page is fetched and extracted like any page (``briefbot ingest URL``).
     If that fails, the entry's own summary from the feed is stored instead, with the
     format ``feed-summary`` so it can be told apart, and the report says why (a
     summary of more paragraphs than a page may have is not: the entry fails). The page
     is tried again at the next polls (up to :data:`MAX_ATTEMPTS` tries in all, the
     validators held back as for a failed entry); when it comes, its article replaces
     the summary's (same origin: text, chunks and metadata), else the summary stays;
   * a text already stored under another url (the same story syndicated) is not stored
     again;
   * the article goes through the ingest pipeline (:func:`bot.core.ingest.ingest_parsed`)
     in its own transaction, and the entry is recorded.

   Before each entry the claim is renewed; a feed unfollowed meanwhile (``feeds remove``,
   ``/brief feeds remove``) ends its poll there, quietly (:class:`FeedRemoved`): the
   entry in hand is not stored, since its follower has been told the feed stopped.

   An entry that fails (no link, or neither page nor summary) fails alone. It is tried
   again on the next polls, up to :data:`MAX_ATTEMPTS` times: until then the feed's
   validators are not stored, so the next poll gets the whole feed rather than a 304.
   Entries not reached within :data:`POLL_BUDGET` seconds are left for the next poll
   the same way. The pages of entries stored from their summary are tried again last,
   with what the other entries leave of that budget (:meth:`FeedPoller._summaries_last`).
   A poll cut short by Ctrl-C gives up its claim and records nothing; an
   article it stored before its entry was recorded is found as "already stored" by the
   next poll, which records the entry then.
3. Records the poll: last poll, last success or last error, and the next poll
   (:mod:`bot.core.feed_schedule`), and releases the claim.

:meth:`FeedPoller.poll_due` is what the clock calls: it polls only feeds whose time has
come, by their own schedule and backoff. Calling it twice, or from two clocks at once,
polls each due feed once.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.core.feed_reports import EntryOutcome, EntryReport, FeedReport, PollReport
from bot.core.feed_schedule import backoff, next_slot
from bot.core.feedparse import (
    HTML_TYPES,
    FeedError,
    FeedItem,
    ParsedFeed,
    discover_feed,
    parse_feed,
    served_as_page,
)
from bot.core.fetch import FEED_ACCEPT, FEED_TYPES, PAGE_TYPES, Fetched, Fetcher
from bot.core.ingest import ArticleStore, ingest_parsed
from bot.core.parse import ParsedArticle, check_paragraphs
from bot.core.prepare import unreadable
from bot.core.urls import host_of, normalise_url
from bot.core.webpage import page_article
from bot.errors import IngestError, InputError
from storage import feeds as repo
from storage.cleaning import storable
from storage.db import Database
from storage.feeds import FeedRow
from storage.models import utcnow
from storage.stored import article_by_origin

log = logging.getLogger(__name__)

#: Times an entry that fails is tried (once per poll) before it is given up.
MAX_ATTEMPTS = 3
#: How long a claim on a feed lasts; renewed before every entry.
LEASE = timedelta(minutes=30)
#: Seconds a poll of one feed may spend on its entries' pages: a feed of 100 entries whose
#: pages each stall to the fetch timeout would otherwise hold the clock's feed job (and
#: every feed behind it) for over an hour. The entries left are tried on the next poll.
POLL_BUDGET = 300.0
SUMMARY_FORMAT = "feed-summary"
#: Records what a poll did with the entry in hand: ``record(status, article_id, error)``.
_Record = Callable[..., None]


class FeedRemoved(Exception):
    """The feed was unfollowed while it was being polled: its poll stops, and stores no
    more. Not a failure: someone asked for it."""


def feed_view(row: FeedRow) -> dict[str, Any]:
    """A followed feed as plain JSON-ready data (``feeds list --json``, Slack)."""

    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": row.id,
        "url": row.url,
        "title": row.title,
        "site_url": row.site_url,
        "entries": row.entries,
        "added_at": iso(row.added_at),
        "last_poll": iso(row.last_polled_at),
        "last_success": iso(row.last_success_at),
        "last_error": row.last_error,
        "last_error_at": iso(row.last_error_at),
        "failures": row.failures,
        "next_poll": iso(row.next_poll_at),
    }


def _vouched_for(feed: FeedRow, link: str) -> bool:
    """May a summary the feed gives for ``link`` be shown under that url? Only when the
    link is on the host the feed is served from ("www." aside): a feed may write anything
    in an entry (its own <link> too, so not that), and a summary stored under another
    site's url would put the feed's words in that site's mouth, a click away from a
    quote. Elsewhere the summary is stored without a url (its source is the feed)."""

    def host(url: str) -> str:
        return host_of(url).removeprefix("www.")

    return bool(host(feed.url)) and host(link) == host(feed.url)


class FeedPoller:
    """Feeds over one database, fetched with one fetcher, stored with one article store.

    ``clock`` gives the current time (UTC); tests pass their own.
    """

    def __init__(
        self,
        db: Database,
        store: Callable[[], ArticleStore],
        fetcher: Callable[[], Fetcher],
        interval: timedelta,
        clock: Callable[[], datetime] = utcnow,
        budget: float = POLL_BUDGET,
    ) -> None:
        self.db = db
        self._store = store
        self._fetcher = fetcher
        self.interval = interval
        self.clock = clock
        #: Seconds one feed's poll may spend on its entries' pages (see POLL_BUDGET).
        self.budget = budget
        #: (feed id, new url) of the moves not followed, already logged: see _follow_move.
        self._moves_left: set[tuple[int, str]] = set()

    @property
    def fetcher(self) -> Fetcher:
        return self._fetcher()

    # ------------------------------------------------------------------ add, list, remove

    def add(self, url: str) -> FeedRow:
        """Follow the feed at ``url`` (or the feed a web page links to); it is fetched
        once to check that it is a feed. Raises :class:`InputError` or
        :class:`IngestError` with the reason.

        A feed that has moved for good (a 301 or 308) is followed at its new address,
        where it is polled from then on. A feed already followed by any address this one
        was fetched through (the one typed, the one it moved to) is refused, so the same
        feed is never followed, nor polled, twice; one followed at the address typed, or
        at the one a web page links to, is refused before it is fetched."""
        target = normalise_url(url)
        self._refuse_followed(target)
        fetched = self.fetcher.get(
            target,
            accept=FEED_TYPES | PAGE_TYPES,
            accept_header=FEED_ACCEPT,
            what="feed",
        )
        if served_as_page(fetched):
            link = discover_feed(fetched)
            if link is None:
                raise FeedError(f"{target} is a web page that links to no RSS or Atom feed")
            target = link
            self._refuse_followed(target)  # before fetching a feed already followed
            fetched = self.fetcher.get(
                target, accept=FEED_TYPES | HTML_TYPES, accept_header=FEED_ACCEPT, what="feed"
            )
            _refuse_page(fetched)
        parsed = parse_feed(fetched.body, fetched.final_url, fetched.content_type, fetched.charset)
        target = _moved(target, fetched)
        self._refuse_followed(target)
        try:
            with self.db.session() as session:
                return repo.add_feed(
                    session=session,
                    url=target,
                    title=parsed.title,
                    site_url=parsed.site_url,
                    now=self.clock(),
                )
        except IntegrityError:
            raise InputError(f"already following {target}") from None

    def _refuse_followed(self, url: str) -> None:
        """Raise :class:`InputError` (one line, naming the feed followed) if a feed is
        followed at ``url``."""
        with self.db.session() as session:
            row = repo.find_feed(session=session, ref=url)
        if row is not None:
            raise InputError(f"already following {row.url}")

    def list(self) -> list[FeedRow]:
        with self.db.session() as session:
            return repo.list_feeds(session=session)

    def find(self, ref: str) -> FeedRow:
        """The feed named by ``ref``: its id, or its url in any spelling. Spaces around
        either are ignored; an id is ASCII digits (``１`` is no id, as ``1`` is no url)."""
        ref = ref.strip()
        key = ref if repo.is_feed_id(ref) else _key_url(ref)
        with self.db.session() as session:
            # storable: bytes that are not UTF-8 (a command-line argument) cannot be sent
            # to the database, and no stored url holds them
            row = repo.find_feed(session=session, ref=storable(key))
        if row is None:
            raise InputError(f"no feed {ref!r} is followed (by that id or url)")
        return row

    def remove(self, ref: str) -> FeedRow:
        """Stop following a feed (by id or url). Articles stored from it stay."""
        row = self.find(ref)
        with self.db.session() as session:
            repo.remove_feed(session=session, feed_id=row.id)
        return row

    # ------------------------------------------------------------------ polling

    def poll_due(self, now: datetime | None = None) -> PollReport:
        """Poll the feeds that are due at ``now`` (the clock's job)."""
        return self.poll(due_only=True, now=now)

    def poll(
        self,
        *,
        due_only: bool = False,
        now: datetime | None = None,
        feed_ids: Sequence[int] | None = None,
    ) -> PollReport:
        """Poll feeds (all of them, those in ``feed_ids``, or with ``due_only`` those due
        at ``now``), each claimed first; a feed another process is polling is reported
        ``busy`` (or, with ``due_only``, left out)."""
        now = now or self.clock()
        with self.db.session() as session:
            if due_only:
                ids = repo.due_feed_ids(session=session, now=now)
            else:
                ids = [r.id for r in repo.list_feeds(session=session)]
        if feed_ids is not None:
            wanted = set(feed_ids)
            ids = [i for i in ids if i in wanted]
        report = PollReport()
        for feed_id in ids:
            token = secrets.token_hex(16)
            with self.db.session() as session:
                claimed = repo.claim_feed(
                    session=session,
                    feed_id=feed_id,
                    token=token,
                    now=now,
                    until=now + LEASE,
                    due_only=due_only,
                )
                row = repo.get_feed(session=session, feed_id=feed_id)
            if row is None:
                continue
            if not claimed:
                if not due_only:
                    report.feeds.append(
                        FeedReport(row.id, row.url, row.title, "busy", "another poll is running")
                    )
                continue
            report.feeds.append(self._poll_claimed(row, token))
        return report

    def _poll_claimed(self, row: FeedRow, token: str) -> FeedReport:
        report = FeedReport(row.id, row.url, row.title, "updated")
        try:
            return self._poll_feed(row, token, report)
        except Exception as exc:  # a bug or a lost database: this feed fails, the rest go on
            log.exception("polling feed %s failed unexpectedly", row.url)
            return self._fail(row, token, report, f"unexpected {type(exc).__name__}: {exc}")
        except BaseException:  # Ctrl-C: the claim goes, or the feed waits out its lease
            with self.db.session() as session:
                repo.release_claim(session=session, feed_id=row.id, token=token)
            raise

    def _poll_feed(self, row: FeedRow, token: str, report: FeedReport) -> FeedReport:
        try:
            fetched = self.fetcher.get(
                row.url,
                accept=FEED_TYPES | HTML_TYPES,
                accept_header=FEED_ACCEPT,
                what="feed",
                etag=row.etag,
                last_modified=row.last_modified,
            )
            _refuse_page(fetched)
            row = self._follow_move(row, token, fetched)
            report.url = row.url
            if fetched.not_modified:
                report.status = "not_modified"
                self._finish(row, token, None, None)
                return report
            parsed = parse_feed(
                fetched.body, fetched.final_url, fetched.content_type, fetched.charset
            )
        except IngestError as exc:  # FetchError, FeedError
            return self._fail(row, token, report, str(exc))
        report.title = parsed.title or row.title
        try:
            return self._poll_entries(row, token, report, parsed, fetched)
        except FeedRemoved:
            log.info("feed %s was unfollowed during its poll; the poll stopped", row.url)
            report.status = "removed"
            report.error = "the feed was unfollowed during the poll; nothing more was stored"
            return report

    def _follow_move(self, row: FeedRow, token: str, fetched: Fetched) -> FeedRow:
        """``row``, at the address its feed moved to for good (a 301 or 308 on this
        poll), which is stored: the feed is polled there from now on, and following it
        again by that address is refused, as :meth:`add` does for a move it sees.

        When another feed is already followed at that address (added by it before the
        move was seen), the two are the same feed followed twice: this one keeps its old
        address and both are still polled (their entries stored once: "already stored"),
        since merging them would drop one's entry records and history without anyone
        asking. It is logged once per process, so whoever runs briefbot can unfollow one
        (``feeds remove``)."""
        moved = _moved(row.url, fetched)
        if moved == row.url:
            return row
        try:
            with self.db.session() as session:
                done = repo.move_feed(session=session, feed_id=row.id, token=token, url=moved)
        except IntegrityError:  # another poller moved a feed there meanwhile
            done = False
        if done:
            log.info("feed %s moved for good to %s; it is polled there now", row.url, moved)
            return replace(row, url=moved)
        if (row.id, moved) not in self._moves_left:
            self._moves_left.add((row.id, moved))
            log.warning(
                "feed %s moved for good to %s, which is followed as another feed: the same "
                "feed is followed twice (unfollow one of them)",
                row.url,
                moved,
            )
        return row

    def _poll_entries(
        self, row: FeedRow, token: str, report: FeedReport, parsed: ParsedFeed, fetched: Fetched
    ) -> FeedReport:
        """Deal with the feed's entries, then record the poll. Raises :class:`FeedRemoved`
        when the feed is unfollowed meanwhile."""
        retry = False
        deadline = time.monotonic() + self.budget
        done: dict[int, EntryReport] = {}  # by the entry's place in the feed
        for place, item in self._summaries_last(row, parsed.items):
            if not self._hold(row, token):
                return self._taken_over(report, done)
            if time.monotonic() > deadline:
                # Pages that stall may each take the fetch timeout: the entries left wait
                # for the next poll, which gets the whole feed again (no validators kept).
                done[place] = EntryReport(
                    item.link, item.title, "skipped", "left for the next poll"
                )
                retry = True
                continue
            done[place], again = self._entry(row, parsed, item)
            retry = retry or again
        if not self._hold(row, token):
            return self._taken_over(report, done)
        report.entries.extend(done[place] for place in sorted(done))
        validators = (None, None) if retry else (fetched.etag, fetched.last_modified)
        self._finish(row, token, None, validators, parsed)
        return report

    def _summaries_last(
        self, feed: FeedRow, items: Sequence[FeedItem]
    ) -> Sequence[tuple[int, FeedItem]]:
        """``items`` with their places in the feed, in the order a poll deals with them:
        the feed's order, except that an entry stored from its summary whose page is to be
        tried again (:meth:`_page_again`) comes after all the others.

        Such a retry has its article already (the summary), and spends a page fetch as a
        new entry does; first, a site whose pages stall would spend each poll's budget
        on the retries of the last polls' entries, and an entry past the cut would never
        be stored at all, not even from its summary, until it left the feed. So the
        retries get what the others leave of the budget; one not reached is tried at a
        later poll (an attempt is counted only when made). An entry that failed outright
        keeps its place: nothing of it is stored yet."""
        with self.db.session() as session:
            retried = {
                place
                for place, item in enumerate(items)
                if _summary_retry(
                    repo.known_entry(
                        session=session,
                        feed_id=feed.id,
                        key=item.key,
                        old_key=item.old_key,
                        link=item.link,
                    )[1]
                )
            }
        placed = list(enumerate(items))
        return [p for p in placed if p[0] not in retried] + [p for p in placed if p[0] in retried]

    def _entry(self, feed: FeedRow, parsed: ParsedFeed, item: FeedItem) -> tuple[EntryReport, bool]:
        """Deal with one entry; return what happened and whether to try it again later."""
        now = self.clock()
        with self.db.session() as session:
            key, known = repo.known_entry(
                session=session,
                feed_id=feed.id,
                key=item.key,
                old_key=item.old_key,
                link=item.link,
            )
            linked = repo.stored_links(session=session, links=[item.link] if item.link else [])
        if known is not None and known.status not in (repo.FAILED, repo.SUMMARY):
            return EntryReport(item.link, item.title, "unchanged"), False
        attempts = known.attempts if known is not None else 0
        if attempts >= MAX_ATTEMPTS:
            if known is not None and known.status == repo.SUMMARY:  # its summary stays
                return EntryReport(item.link, item.title, "unchanged"), False
            return EntryReport(
                item.link, item.title, "skipped", "gave up after repeated failures"
            ), False

        def record(status: str, article_id: int | None = None, error: str | None = None) -> None:
            try:
                with self.db.session() as session:
                    repo.record_entry(
                        session=session,
                        feed_id=feed.id,
                        key=key,
                        link=item.link,
                        status=status,
                        now=now,
                        article_id=article_id,
                        error=error,
                    )
            except IntegrityError:  # the entry's feed_id names no feed any more?
                self._check_followed(feed)
                raise

        if item.problem is not None or item.link is None:
            record(repo.FAILED, error=item.problem)
            return EntryReport(
                item.link, item.title, "failed", item.problem
            ), attempts + 1 < MAX_ATTEMPTS
        # the article stored from the entry's summary, whose page is tried again
        summary_of = (
            known.article_id if known is not None and known.status == repo.SUMMARY else None
        )
        if item.link in linked and linked[item.link] != summary_of:
            record(repo.DUPLICATE, article_id=linked[item.link])
            return EntryReport(item.link, item.title, "unchanged", "already stored"), False
        if summary_of is not None:
            return self._page_again(feed, item, summary_of, attempts, record)

        article, page_error = self._article(feed, parsed, item)
        self._check_followed(feed)  # fetching the page took a while: still wanted?
        if article is None:
            record(repo.FAILED, error=page_error)
            return (
                EntryReport(item.link, item.title, "failed", page_error),
                attempts + 1 < MAX_ATTEMPTS,
            )
        return self._ingest_entry(feed, item, article, page_error, attempts, record)

    def _page_again(
        self, feed: FeedRow, item: FeedItem, summary_of: int, attempts: int, record: _Record
    ) -> tuple[EntryReport, bool]:
        """Fetch again the page of an entry stored from the feed's summary (its page
        failed on an earlier poll: a site busy for a minute, a burst of fetches refused).
        The page's article has the summary's origin (the entry's link), so storing it
        replaces the summary: its text, its chunks and its metadata, as adding a page
        again with new text does. Until then the summary stands in; after
        :data:`MAX_ATTEMPTS` tries in all, for good."""
        article, page_error = self._page(item)
        self._check_followed(feed)
        if article is None:
            record(repo.SUMMARY, article_id=summary_of, error=page_error)
            again = attempts + 1 < MAX_ATTEMPTS
            note = f"page not used: {page_error}; the feed's summary stands in" + (
                "" if again else " for good"
            )
            return EntryReport(item.link, item.title, "unchanged", note, True), again
        return self._ingest_entry(feed, item, article, None, attempts, record, summary_of)

    def _ingest_entry(
        self,
        feed: FeedRow,
        item: FeedItem,
        article: ParsedArticle,
        page_error: str | None,
        attempts: int,
        record: _Record,
        summary_of: int | None = None,
    ) -> tuple[EntryReport, bool]:
        """Store the entry's article (from its page, or from the feed's summary when
        ``page_error`` says why not) and record the entry. ``summary_of`` is the article
        stored from the summary that a page now replaces: a failure leaves it standing."""
        assert item.link is not None
        with self.db.session() as session:
            same_text = repo.article_with_text(session=session, content_hash=article.content_hash)
        if same_text is not None and same_text != summary_of:
            record(repo.DUPLICATE, article_id=same_text)
            reason = f"the same text is already stored (article {same_text})"
            return EntryReport(item.link, item.title, "unchanged", reason), False

        summary = ingest_parsed(self.db, self._store(), [(item.link, lambda: article)])
        again = attempts + 1 < MAX_ATTEMPTS
        if summary.failed:
            reason = summary.failed[0][1]
            if summary_of is not None:
                record(repo.SUMMARY, article_id=summary_of, error=reason)
            else:
                record(repo.FAILED, error=reason)
            return EntryReport(item.link, item.title, "failed", reason), again
        with self.db.session() as session:
            stored = article_by_origin(session=session, origin=article.origin)
        from_summary = article.format == SUMMARY_FORMAT
        try:
            record(
                repo.SUMMARY if from_summary else repo.STORED,
                article_id=stored.id if stored else None,
                error=page_error,
            )
        except FeedRemoved:
            # Unfollowed in the moment between the check above and this record: the
            # article was stored while the feed was followed, so it stays, as the feed's
            # other articles do; the log says which one it is.
            log.info("feed %s was unfollowed as %s was stored; it stays", feed.url, item.link)
            raise
        outcome: EntryOutcome = (
            "added" if summary.added else "updated" if summary.updated else "unchanged"
        )
        if from_summary:  # tried again at the next polls (the feed's validators wait)
            return EntryReport(
                item.link, item.title, outcome, f"page not used: {page_error}", True
            ), again
        note = "the page replaced the feed's summary" if summary_of is not None else None
        return EntryReport(item.link, item.title, outcome, note), False

    def _article(
        self, feed: FeedRow, parsed: ParsedFeed, item: FeedItem
    ) -> tuple[ParsedArticle | None, str | None]:
        """The entry's article from its page, else from its summary (with why the page
        was not used), else None and the reason."""
        assert item.link is not None
        article, page_error = self._page(item)
        if article is not None:
            return article, None
        if not item.summary.strip():
            return None, f"{page_error}; the entry has no summary to fall back on"
        try:
            check_paragraphs(item.summary, "summary")
            return (
                ParsedArticle(
                    origin=item.link,
                    url=item.link if _vouched_for(feed, item.link) else None,
                    title=item.title or item.link,
                    text=item.summary,
                    format=SUMMARY_FORMAT,
                    source=parsed.title or host_of(item.link) or None,
                    author=item.author,
                    published=item.published,
                ),
                page_error,
            )
        except IngestError as exc:
            return None, f"{page_error}; its summary is unusable: {exc}"

    def _page(self, item: FeedItem) -> tuple[ParsedArticle | None, str | None]:
        """The entry's article from its page, or None and why not."""
        assert item.link is not None
        try:
            article = page_article(self.fetcher.get(item.link), title_hint=item.title)
        except IngestError as exc:
            return None, str(exc)
        except Exception as exc:
            # The extractors (trafilatura, htmldate, lxml) can raise almost anything on
            # hostile markup, as they can for a file (bot.core.prepare): this page fails
            # alone. Raised on, it failed the whole poll before the entry was recorded,
            # so every poll met it again and no entry after it was ever stored.
            log.debug("could not read the page of %s", item.link, exc_info=True)
            return None, str(unreadable(exc))
        if article.published is None and item.published is not None:
            article = replace(article, published=item.published)
        return article, None

    # ------------------------------------------------------------------ bookkeeping

    def _hold(self, row: FeedRow, token: str) -> bool:
        """Renew the claim on the feed; False if another process took it over (the lease
        ran out). Raises :class:`FeedRemoved` if the feed is no longer followed."""
        with self.db.session() as session:
            held = repo.renew_claim(
                session=session, feed_id=row.id, token=token, until=self.clock() + LEASE
            )
        if not held:
            self._check_followed(row)
        return held

    def _check_followed(self, row: FeedRow) -> None:
        """Raise :class:`FeedRemoved` if the feed was unfollowed since its poll began."""
        with self.db.session() as session:
            if repo.get_feed(session=session, feed_id=row.id) is None:
                raise FeedRemoved(row.url)

    @staticmethod
    def _taken_over(report: FeedReport, done: dict[int, EntryReport]) -> FeedReport:
        report.entries.extend(done[place] for place in sorted(done))
        report.status = "failed"
        report.error = "the poll took too long and another process took the feed over"
        return report

    def _finish(
        self,
        row: FeedRow,
        token: str,
        error: str | None,
        validators: tuple[str | None, str | None] | None,
        parsed: ParsedFeed | None = None,
    ) -> None:
        now = self.clock()
        if error is None:
            due = next_slot(row.url, now, self.interval)
        else:
            due = backoff(row.failures + 1, now, self.interval)
        with self.db.session() as session:
            repo.finish_poll(
                session=session,
                feed_id=row.id,
                token=token,
                now=now,
                next_poll_at=due,
                error=error,
                validators=validators,
                title=parsed.title if parsed else None,
                site_url=parsed.site_url if parsed else None,
            )

    def _fail(self, row: FeedRow, token: str, report: FeedReport, error: str) -> FeedReport:
        report.status = "failed"
        report.error = error
        try:
            self._finish(row, token, error, None)
        except Exception:
            log.exception("could not record the failed poll of %s", row.url)
        return report


def _summary_retry(known: repo.KnownEntry | None) -> bool:
    """Is ``known`` an entry stored from its summary whose page is still to be tried?"""
    return known is not None and known.status == repo.SUMMARY and known.attempts < MAX_ATTEMPTS


def _refuse_page(fetched: Fetched) -> None:
    """Raise :class:`FeedError` if ``fetched``, where a feed was expected, is a web page:
    served as HTML and not a feed (:func:`~bot.core.feedparse.served_as_page`). A feed
    served as HTML is read; it used to be refused as not a feed, on every poll."""
    if served_as_page(fetched):
        raise FeedError(f"not a feed (content type {fetched.content_type})")


def _moved(url: str, fetched: Fetched) -> str:
    """``url``, or where it has moved for good (:attr:`Fetched.moved_to`), normalised as
    a followed feed's url is."""
    if fetched.moved_to is None:
        return url
    try:
        return normalise_url(fetched.moved_to)
    except InputError:
        return url


def _key_url(ref: str) -> str:
    try:
        return normalise_url(ref)
    except InputError:
        return ref
