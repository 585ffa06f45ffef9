"""The conversation log, as the core keeps it: every question asked and what was answered.

Every answer is logged, a failed one too, and so is every ``/quote`` request (its quotes
as citations, so *Share in channel* can post them later). A log that cannot be written
never costs the user the answer: see :meth:`ExchangeLog.record`. Retention deletes by
age, so several processes may run it at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from bot.core.models import (
    Answer,
    Citation,
    ExchangeContext,
    LoggedExchange,
    Quote,
    to_json,
)
from bot.errors import InputError
from storage import claims, exchanges
from storage.db import Database
from storage.exchanges import ExchangeRecord, new_exchange_id

log = logging.getLogger(__name__)

#: Claims (exactly-once keys for Slack deliveries) are kept this long.
CLAIMS_KEPT = timedelta(days=2)
#: Of a question declined as too long, this many characters are logged.
DECLINED_KEPT = 4000
#: The error of an exchange a shutdown cut short (see :meth:`ExchangeLog.record_interrupted`).
INTERRUPTED = "interrupted: briefbot stopped (a restart, a deploy) before the answer was written"


def logged_citation(citation: Citation) -> dict[str, Any]:
    """A citation as the log keeps it: everything needed to show it again, passage
    included (the article's id is not: the article may be replaced)."""
    data: dict[str, Any] = to_json(citation)
    data.pop("article_id", None)
    return data


def _answer_record(
    exchange_id: str,
    context: ExchangeContext,
    answer: Answer,
    standalone: str,
    latency_ms: int,
    error: str | None,
) -> ExchangeRecord:
    usage = answer.usage
    return ExchangeRecord(
        id=exchange_id,
        **asdict(context),
        question=answer.question,
        standalone_question=standalone if standalone != answer.question else None,
        answer=answer.answer,
        answered=answer.answered,
        citations=[logged_citation(c) for c in answer.citations],
        mode=answer.mode,
        model=answer.model,
        written_by=answer.written_by,
        prompt_name=answer.prompt_name,
        prompt_hash=answer.prompt_hash,
        guard=answer.guard.as_dict() if answer.guard is not None else None,
        prompt_tokens=usage.prompt_tokens if usage else None,
        completion_tokens=usage.completion_tokens if usage else None,
        counted_prompt_tokens=usage.counted_prompt_tokens if usage else None,
        cost_usd=usage.cost_usd if usage else None,
        latency_ms=latency_ms,
        note=answer.note,
        error=error or answer.error,
    )


class ExchangeLog:
    """The conversation log over one database; ``clock`` says what time it is (UTC)."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def record(
        self,
        exchange_id: str,
        context: ExchangeContext,
        answer: Answer,
        standalone: str,
        *,
        latency_ms: int,
        error: str | None = None,
    ) -> bool:
        """Store the exchange; if the database refuses, say so in the application log.

        A failed write (a locked SQLite file, a lost PostgreSQL connection) must not cost
        the user the answer: the caller still returns it, and the application log gets the
        exchange's id and question at ERROR level, so the exchange is not lost. False
        then, and the answer should carry no ``exchange_id``, so no feedback or share
        button points at a row that does not exist.
        """
        try:
            record = _answer_record(exchange_id, context, answer, standalone, latency_ms, error)
            with self.db.session() as session:
                exchanges.record_exchange(session=session, exchange=record)
        except Exception:
            log.exception(
                "could not store exchange %s (question: %r, answered: %s, error: %s)",
                exchange_id,
                answer.question,
                answer.answered,
                error,
            )
            return False
        return True

    def record_quotes(
        self,
        topic: str,
        quotes: Sequence[Quote],
        context: ExchangeContext,
        *,
        latency_ms: int | None = None,
        exchange_id: str | None = None,
        error: str | None = None,
    ) -> str:
        """Log a /quote request like any other exchange; the quotes are its citations."""
        record = ExchangeRecord(
            **asdict(context),
            id=exchange_id or new_exchange_id(),
            question=topic,
            answer="\n".join(q.text for q in quotes),
            answered=bool(quotes),
            mode="quotes",  # found, not written: a topic, not a question (the digest)
            written_by="verbatim quotes",
            citations=[logged_citation(q.as_citation(i)) for i, q in enumerate(quotes, 1)],
            latency_ms=latency_ms,
            error=error,
        )
        with self.db.session() as session:
            return exchanges.record_exchange(session=session, exchange=record)

    def record_declined(
        self, question: str, reply: str, context: ExchangeContext, *, latency_ms: int
    ) -> str | None:
        """Log a question briefbot declined to read (empty, over-long, not text), with
        the reply the user got; its log id (None if the database refused it). Only the
        first :data:`DECLINED_KEPT` characters of the question are kept. Never raises:
        the user still gets the reply if the database refuses (the application log keeps
        the question then)."""
        kept = question if len(question) <= DECLINED_KEPT else question[:DECLINED_KEPT] + "…"
        record = ExchangeRecord(
            **asdict(context), question=kept, answer=reply, mode="declined", latency_ms=latency_ms
        )
        try:
            with self.db.session() as session:
                return exchanges.record_exchange(session=session, exchange=record)
        except Exception:
            log.exception("could not store a declined question (%r)", kept[:200])
            return None

    def record_interrupted(
        self,
        exchange_id: str,
        context: ExchangeContext,
        question: str,
        reply: str,
        *,
        latency_ms: int,
    ) -> bool:
        """Log a question whose answer a shutdown cut short (``serve`` restarting while it
        was written), with ``reply``, the apology its asker got, as its answer: mode
        "interrupted", and an error that says so. It runs while the process stops, maybe
        with the database gone: it never raises, and a write that fails leaves the id and
        the question in the application log, in one line (no traceback). False then."""
        record = ExchangeRecord(
            id=exchange_id,
            **asdict(context),
            question=question,
            answer=reply,
            mode="interrupted",
            latency_ms=latency_ms,
            error=INTERRUPTED,
        )
        try:
            with self.db.session() as session:
                exchanges.record_exchange(session=session, exchange=record)
        except Exception as exc:
            reason = (str(exc).splitlines() or [""])[0]
            log.error(
                "could not store exchange %s, cut short by the shutdown (question: %r): %s: %s",
                exchange_id,
                question,
                type(exc).__name__,
                reason,
            )
            return False
        return True

    def note_not_sent(self, exchange_id: str, why: str) -> None:
        """The reply logged for ``exchange_id`` was never sent (the adapter chose silence:
        chatter in a Slack thread briefbot follows): its row keeps no answer (None: no
        reply, which an empty text would not say) and ``why`` as its note, so the log
        does not show a reply nobody got. Never raises: nobody is waiting on it."""
        try:
            with self.db.session() as session:
                exchanges.mark_not_sent(session=session, exchange_id=exchange_id, note=why)
        except Exception:
            log.exception("could not note that exchange %s got no reply", exchange_id)

    def note_error(self, exchange_id: str, error: str) -> None:
        """Add a failure that came after the exchange was logged (Slack delivery)."""
        with self.db.session() as session:
            exchanges.add_error(session=session, exchange_id=exchange_id, error=error)

    def get(self, exchange_id: str) -> ExchangeRecord | None:
        """The log's row for ``exchange_id``, as stored."""
        with self.db.session() as session:
            return exchanges.get_exchange(session=session, exchange_id=exchange_id)

    def exchange(self, exchange_id: str) -> LoggedExchange | None:
        """The exchange as it can be shown again (its citations as citations)."""
        row = self.get(exchange_id)
        if row is None:
            return None
        return LoggedExchange(
            exchange_id=row.id,
            question=row.question,
            answer=row.answer or "",
            citations=tuple(Citation.from_json(c) for c in row.citations),
            note=row.note,
            written_by=row.written_by or row.mode or "extractive",
            surface=row.surface,
            user=row.user,
            channel=row.channel,
        )

    def feedback(self, exchange_id: str, value: int, user: str | None = None) -> bool:
        """Record 👍 (+1) or 👎 (-1); False if the exchange is not in the log."""
        with self.db.session() as session:
            return exchanges.set_feedback(
                session=session, exchange_id=exchange_id, value=value, user=user
            )

    def export(self, since: datetime | None = None) -> list[dict[str, Any]]:
        """The log, oldest first, one JSON object per exchange."""
        return list(self.each(since))

    def each(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        """:meth:`export` one exchange at a time, as the database gives them (``briefbot
        logs export``): a log of any size is printed in bounded memory, its first line at
        once, where a list would hold the whole log (every cited passage) first."""
        with self.db.session() as session:
            for record in exchanges.iter_exchanges(session=session, since=since):
                yield to_json(record)

    def purge(self, older_than_days: int) -> int:
        """Delete exchanges older than ``older_than_days`` days; how many went."""
        if older_than_days < 0:
            raise InputError("The age of exchanges to delete must be zero or more days.")
        cutoff = self.clock() - timedelta(days=older_than_days)
        with self.db.session() as session:
            return exchanges.purge_exchanges(session=session, before=cutoff)

    def apply_retention(self, retention_days: int | None) -> int:
        """Purge exchanges older than ``retention_days`` (None: keep them) and claims
        older than :data:`CLAIMS_KEPT`; how many exchanges went."""
        removed = self.purge(retention_days) if retention_days is not None else 0
        with self.db.session() as session:
            claims.purge_claims(session=session, before=self.clock() - CLAIMS_KEPT)
        return removed
