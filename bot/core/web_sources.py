"""Sources on the web: single pages and the feeds briefbot follows.

Every fetch goes through one :class:`~bot.core.fetch.Fetcher`, behind the SSRF guard and
a per-host pace, made on first use (``briefbot ask`` never needs it). Pages and feed
entries are stored through the same article store as files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.config import Settings
from storage.db import Database

if TYPE_CHECKING:  # lxml, httpx2 and feedparser are imported when a page is fetched
    from bot.core.feed_reports import PollReport
    from bot.core.feeds import FeedPoller
    from bot.core.fetch import Fetcher
    from bot.core.ingest import ArticleStore
    from bot.core.pages import AddedPage
    from bot.core.parse import ParsedArticle


class WebSources:
    """Pages and feeds over one database, stored with ``store()``."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        store: Callable[[], ArticleStore],
        clock: Callable[[], datetime],
        fetcher: Fetcher | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self._store = store
        self.clock = clock
        self._fetcher = fetcher
        self._feeds: FeedPoller | None = None

    @property
    def fetcher(self) -> Fetcher:
        """The HTTP client for pages and feeds, behind the SSRF guard; made on first use."""
        if self._fetcher is None:
            from bot.core.fetch import Fetcher, FetchLimits, HostPacer
            from bot.core.netguard import AddressPolicy

            self._fetcher = Fetcher(
                FetchLimits(
                    int(self.settings.max_file_mb * 1_000_000), self.settings.fetch_timeout
                ),
                policy=AddressPolicy(allow_private=self.settings.allow_private_urls),
                pacer=HostPacer(self.settings.fetch_host_delay),
            )
        return self._fetcher

    @property
    def feeds(self) -> FeedPoller:
        """The feeds briefbot follows: add, list, remove, poll."""
        if self._feeds is None:
            from bot.core.feeds import FeedPoller

            self._feeds = FeedPoller(
                self.db,
                self._store,
                lambda: self.fetcher,
                timedelta(seconds=self.settings.feed_interval),
                clock=self.clock,
            )
        return self._feeds

    def fetch_page(self, url: str) -> ParsedArticle:
        """The article on the web page at ``url``, fetched and extracted (not stored)."""
        from bot.core.webpage import page_article

        return page_article(self.fetcher.get(url))

    def add_page(self, url: str) -> AddedPage:
        """Fetch and store one web page; say what it became (``/brief add``)."""
        from bot.core.pages import add_page

        return add_page(self.db, self._store(), url, self.fetch_page)

    def poll_due_feeds(self, now: datetime | None = None) -> PollReport:
        """Poll the feeds that are due (the clock's job; see :mod:`bot.core.feeds`)."""
        return self.feeds.poll_due(now)

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
