"""Exactly once, for Slack: claims on deliveries, and the threads briefbot answered in.

Slack retries an event it thinks went unanswered and sends one @-mention as two events
(``app_mention`` and ``message``); a button may be clicked twice; several ``briefbot
serve`` processes may share one database. Before anything is answered or shared, its key
is claimed in the database (:mod:`storage.claims`): the first process to insert it does
the work, every other attempt stays silent. The keys:

* ``event:<event_id>``: one Events API delivery (retries carry the same id);
* ``msg:<channel>:<ts>``: one message, however many events name it;
* ``share:<exchange id>``: one *Share in channel*; released if Slack refuses the post
  (or it never reaches Slack), kept if Slack does not answer, since it may have landed;
* ``thread:<channel>:<thread_ts>``: a thread briefbot spoke in without answering a
  question (the hint for an empty mention, a question too long): its follow-ups are
  answered, as in a thread with a logged answer, for as long as claims are kept (two days).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from storage import claims, exchanges
from storage.db import Database

log = logging.getLogger(__name__)


class Deliveries:
    """Claims and thread lookups over one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def claim(self, key: str) -> bool:
        """True if this process now owns ``key``; False if someone already had it."""
        with self.db.session() as session:
            return claims.claim(session=session, key=key)

    def release(self, key: str) -> None:
        """Give up a claim, so the work can be tried again (after it failed)."""
        with self.db.session() as session:
            claims.release(session=session, key=key)

    def first_delivery(self, context: Mapping[str, Any]) -> bool:
        """Claim the current Events API delivery; False if it was already handled."""
        event_id = context.get("event_id")
        if not event_id:
            return True
        if self.claim(f"event:{event_id}"):
            return True
        log.info("event %s already handled; ignoring this delivery", event_id)
        return False

    def follow(self, channel: str, thread_ts: str) -> None:
        """Follow a thread briefbot spoke in without logging an answer (see the module
        docstring's ``thread:`` key)."""
        self.claim(f"thread:{channel}:{thread_ts}")

    def thread_known(self, channel: str, thread_ts: str) -> bool:
        """Has briefbot answered (or spoken) in this Slack thread before, so it follows it?"""
        with self.db.session() as session:
            return exchanges.thread_known(
                session=session, channel=channel, thread_ts=thread_ts
            ) or claims.held(session=session, key=f"thread:{channel}:{thread_ts}")
