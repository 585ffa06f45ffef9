"""What every Slack surface's ``register(app, services)`` is given."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.models import Answer, ExchangeContext
from bot.errors import new_log_id
from bot.slack.deliveries import Deliveries
from bot.slack.jobs import Apologise, JobRuntime, logged_if_cut_short
from bot.slack.source_fetches import SourceFetches


@dataclass(frozen=True)
class SlackServices:
    """The settings, the briefing core, Slack's exactly-once claims, the job runtime, and
    the fetches of pages and feeds added from Slack (on their own pool: see
    :mod:`bot.slack.source_fetches`)."""

    settings: Settings
    briefing: Briefing
    deliveries: Deliveries
    jobs: JobRuntime
    fetches: SourceFetches

    def submit_event(
        self,
        context: Mapping[str, Any],
        fn: Callable[..., Any],
        *args: Any,
        apologise: Apologise | None = None,
        doing: str = "answering",
        **kwargs: Any,
    ) -> Future[Any]:
        """:meth:`JobRuntime.submit`, for an event: the job runs only for its first
        delivery (claimed after the ack, so the ack never waits on the database)."""

        def once() -> Any:
            return fn(*args, **kwargs) if self.deliveries.first_delivery(context) else None

        once.__name__ = getattr(fn, "__name__", "event job")
        return self.jobs.submit(once, apologise=apologise, doing=doing)

    def ask(self, question: str, context: ExchangeContext, **kwargs: Any) -> Answer:
        """:meth:`Briefing.ask`, in a job: if a shutdown cuts it short, the question is
        still logged, under the id its asker's apology shows, with the apology as its
        answer (:func:`~bot.slack.jobs.logged_if_cut_short`)."""
        exchange_id = new_log_id()
        started = time.perf_counter()
        log = self.briefing.log

        def cut_short(apology: str) -> None:
            latency_ms = int((time.perf_counter() - started) * 1000)
            log.record_interrupted(exchange_id, context, question, apology, latency_ms=latency_ms)

        with logged_if_cut_short(exchange_id, cut_short):
            return self.briefing.ask(question, context=context, exchange_id=exchange_id, **kwargs)
