"""Pages and feeds added from Slack are fetched on their own small pool, one per user.

A fetch may take its whole deadline (three times ``BRIEFBOT_FETCH_TIMEOUT``: a minute by
default) when a site drips its page a byte at a time. On the answer pool, a few such
``/brief add`` took every worker, and everyone's questions waited behind them. So
web-source fetches run on a pool of their own (:data:`WORKERS` threads, with the same
ack-first :class:`~bot.slack.jobs.JobRuntime`, so a shutdown tells whoever still waits),
and each user has at most :data:`PER_USER` of them in flight: one user's slow pages
cannot hold the pool, and the next add is asked to wait politely rather than queued.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from bot.slack.jobs import Apologise, JobRuntime

#: Threads fetching pages and feeds added from Slack, per ``serve`` process.
WORKERS = 2
#: Adds (``/brief add``, ``/brief feeds add``) one user may have in flight.
PER_USER = 1

#: What a fetch hands back: the reply to send once the user's turn is over.
Reply = Callable[[], Any]


class SourceFetches:
    """Runs fetches on ``runtime``, at most ``per_user`` at once for each user.

    A user's turn is taken by :meth:`begin` (in the listener, before its ack, so a user
    with a fetch in flight is told at once) and given back when the fetch is done, just
    before its reply goes out: the user may add the next one as soon as they see it.
    """

    def __init__(self, runtime: JobRuntime, per_user: int = PER_USER) -> None:
        self.runtime = runtime
        self.per_user = per_user
        self._in_flight: Counter[str] = Counter()
        self._lock = threading.Lock()

    def begin(self, user: str | None) -> bool:
        """Take one of ``user``'s turns; False if they all are in use."""
        with self._lock:
            if self._in_flight[user or ""] >= self.per_user:
                return False
            self._in_flight[user or ""] += 1
            return True

    def end(self, user: str | None) -> None:
        """Give back a turn taken by :meth:`begin`."""
        with self._lock:
            self._in_flight[user or ""] -= 1
            if self._in_flight[user or ""] <= 0:
                del self._in_flight[user or ""]

    def run(
        self, user: str | None, fetch: Callable[[], Reply], apologise: Apologise, doing: str
    ) -> None:
        """Run ``fetch`` on the pool in the turn ``user`` took with :meth:`begin`, then
        send the reply it returns. The turn is given back whatever happens."""

        def job() -> None:
            try:
                reply = fetch()
            finally:
                self.end(user)
            reply()

        try:
            self.runtime.submit(job, apologise=apologise, doing=doing)
        except BaseException:  # not submitted (the pool is shut down): the turn is free
            self.end(user)
            raise
