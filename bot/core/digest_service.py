"""The weekly digest as a service: which week, who writes it, and who subscribed.

The digest itself is loaded and composed by :mod:`bot.core.digest`; this keeps the few
digests written last (so a preview and its *Post to this channel* click, or the App Home
opened twice, do not pay for the language model twice) and the channels subscribed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.core.profile import Profile
from bot.core.writers import Writers
from storage import digests
from storage.db import Database

if TYPE_CHECKING:  # what composing a digest needs is imported when one is composed
    from bot.core.digest import Digest
    from bot.core.period import Period

#: Written digests kept per process.
DIGEST_CACHE = 4


class Digests:
    """Digests over one database; ``clock`` says what time it is (UTC)."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        profile: Profile,
        writers: Writers,
        clock: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.db = db
        self.profile = profile
        self.writers = writers
        self.clock = clock
        self._written: dict[Any, Digest] = {}
        self._lock = threading.Lock()

    def period(self, now: datetime | None = None) -> Period:
        """The period a digest covers by default: the last full week before ``now``."""
        from bot.core.period import last_full_week

        return last_full_week(now or self.clock(), self.settings.timezone)

    def digest(self, period: Period | None = None, *, now: datetime | None = None) -> Digest:
        """The digest of ``period`` (default: the last full week before ``now``).

        Written by the LLM where one is configured (extractive otherwise, or where it
        fails); a digest already written for the same articles and questions is reused.
        """
        from bot.core.digest import compose, load

        period = period or self.period(now)
        writer = self.writers.digests()
        with self.db.session() as session:
            source = load(session=session, period=period)
        key = (source.fingerprint(), writer is not None)
        # One digest is written at a time: a second caller for the same week (the App
        # Home opened while /brief digest is being written) waits and gets the first's.
        with self._lock:
            cached = self._written.get(key)
            if cached is not None:
                return cached
            digest = compose(source, writer, self.profile)
            self._written[key] = digest
            while len(self._written) > DIGEST_CACHE:
                del self._written[next(iter(self._written))]
            return digest

    def forget_written(self) -> None:
        """Write the next digests afresh (a benchmark measures the writing)."""
        with self._lock:
            self._written.clear()

    def subscribe(self, channel: str, user: str | None, workspace: str | None) -> bool:
        """Subscribe ``channel`` to the weekly digest; False if it already was."""
        with self.db.session() as session:
            return digests.subscribe(
                session=session, channel=channel, user=user, workspace=workspace, now=self.clock()
            )

    def unsubscribe(self, channel: str) -> bool:
        """Stop the weekly digest in ``channel``; False if it was not subscribed."""
        with self.db.session() as session:
            return digests.unsubscribe(session=session, channel=channel)

    def subscriptions(self) -> list[digests.Subscription]:
        with self.db.session() as session:
            return digests.subscriptions(session=session)
