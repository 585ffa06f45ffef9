"""The conversation log: one row per question asked, whatever happened to it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, not_, or_, select, update
from sqlalchemy.orm import Session

from storage.cleaning import storable
from storage.models import Exchange


def new_exchange_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True, kw_only=True)
class ExchangeRecord:
    """One row of the conversation log, in the order ``briefbot logs export`` prints it.

    Written with :func:`record_exchange` (``created_at`` None: now) and read back with
    :func:`get_exchange` and :func:`iter_exchanges` (``created_at`` always set, in UTC).
    ``citations`` and ``guard`` are the JSON the core wrote.
    """

    id: str = field(default_factory=new_exchange_id)
    created_at: datetime | None = None
    surface: str = "cli"
    workspace: str | None = None
    channel: str | None = None
    user: str | None = None
    thread_ts: str | None = None
    message_ts: str | None = None
    question: str
    standalone_question: str | None = None
    answer: str | None = None
    answered: bool = False
    citations: list[dict[str, Any]] = field(default_factory=list)
    mode: str | None = None
    model: str | None = None
    written_by: str | None = None
    prompt_name: str | None = None
    prompt_hash: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    counted_prompt_tokens: int | None = None
    cost_usd: float | None = None
    latency_ms: int | None = None
    feedback: int | None = None
    feedback_user: str | None = None
    guard: dict[str, Any] | None = None
    note: str | None = None
    error: str | None = None


#: Columns in the order ``briefbot logs export`` prints them.
EXPORT_FIELDS = tuple(f.name for f in fields(ExchangeRecord))


def record_exchange(*, session: Session, exchange: ExchangeRecord) -> str:
    """Store one exchange; returns its id. Every value is made
    :func:`~storage.cleaning.storable` first: the log must not lose an exchange because of
    a character in it."""
    values = {name: storable(getattr(exchange, name)) for name in EXPORT_FIELDS}
    if values["created_at"] is None:
        del values["created_at"]  # the column's default: now
    session.add(Exchange(**values))
    return exchange.id


def set_feedback(*, session: Session, exchange_id: str, value: int, user: str | None) -> bool:
    """Record 👍 (+1) or 👎 (-1) by ``user``. False if the exchange is unknown.

    An exchange holds one vote. The asker's is kept over anyone else's: an answer shared
    in a channel may be clicked by colleagues, but whether it answered the question is
    the asker's to say; among others' votes, and the asker's own, the latest wins. A vote
    not kept still returns True (the exchange is there)."""
    key = storable(exchange_id)
    clicker = storable(user)
    asker_voted = and_(Exchange.feedback_user.is_not(None), Exchange.feedback_user == Exchange.user)
    kept = or_(Exchange.user.is_(None), Exchange.user == clicker, not_(asker_voted))
    result = session.execute(
        update(Exchange)
        .where(Exchange.id == key, kept)
        .values(feedback=value, feedback_user=clicker)
    )
    if getattr(result, "rowcount", 0):
        return True
    return session.scalar(select(Exchange.id).where(Exchange.id == key)) is not None


def add_error(*, session: Session, exchange_id: str, error: str) -> None:
    """Record a failure that happened after the exchange was logged (e.g. delivery)."""
    row = session.get(Exchange, storable(exchange_id))
    if row is not None:
        error = storable(error)
        row.error = f"{row.error}; {error}" if row.error else error


def mark_not_sent(*, session: Session, exchange_id: str, note: str) -> None:
    """Record that the exchange's reply was never sent: no answer, and ``note`` (why)."""
    row = session.get(Exchange, storable(exchange_id))
    if row is not None:
        note = storable(note)
        row.answer = None
        row.note = f"{row.note}; {note}" if row.note else note


def get_exchange(*, session: Session, exchange_id: str) -> ExchangeRecord | None:
    row = session.get(Exchange, storable(exchange_id))
    return _record(row) if row is not None else None


def _record(row: Exchange) -> ExchangeRecord:
    values = {name: getattr(row, name) for name in EXPORT_FIELDS}
    created = row.created_at
    if created is not None and created.tzinfo is None:  # SQLite keeps no zone: it is UTC
        values["created_at"] = created.replace(tzinfo=UTC)
    values["citations"] = list(values["citations"] or [])
    return ExchangeRecord(**values)


def thread_known(*, session: Session, channel: str, thread_ts: str) -> bool:
    """Has briefbot answered in this Slack thread before?"""
    found = session.scalar(
        select(Exchange.id)
        .where(Exchange.channel == storable(channel), Exchange.thread_ts == storable(thread_ts))
        .limit(1)
    )
    return found is not None


def iter_exchanges(*, session: Session, since: datetime | None = None) -> Iterator[ExchangeRecord]:
    """Exchanges oldest first."""
    query = select(Exchange).order_by(Exchange.created_at, Exchange.id)
    if since is not None:
        query = query.where(Exchange.created_at >= since)
    for row in session.scalars(query.execution_options(yield_per=500)):
        yield _record(row)


def purge_exchanges(*, session: Session, before: datetime) -> int:
    """Delete exchanges created before ``before``; return how many went."""
    result = session.execute(delete(Exchange).where(Exchange.created_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class LoggedQuestion:
    """A question from the log, as the digest sees it: no user, no channel; where it was
    asked (its surface), since a question asked privately is never shown."""

    question: str
    standalone_question: str | None
    answered: bool
    error: str | None
    feedback: int | None
    created_at: datetime
    surface: str = "cli"


def questions_between(
    *, session: Session, since: datetime, until: datetime, exclude_surfaces: tuple[str, ...] = ()
) -> list[LoggedQuestion]:
    """Questions logged between ``since`` and ``until`` (exclusive), oldest first."""
    query = (
        select(
            Exchange.question,
            Exchange.standalone_question,
            Exchange.answered,
            Exchange.error,
            Exchange.feedback,
            Exchange.created_at,
            Exchange.surface,
        )
        .where(
            Exchange.created_at >= since.astimezone(UTC),
            Exchange.created_at < until.astimezone(UTC),
            # a question briefbot could not read (empty, over-long) asked nothing, and one
            # that got the help reply ("tell me about it", another language) asked nothing
            # the sources could answer: neither is a question of the digest's
            # a quote topic ("briefbot quote", /quote: mode "quotes") asks for quotes
            or_(Exchange.mode.is_(None), Exchange.mode.not_in(("declined", "help", "quotes"))),
        )
        .order_by(Exchange.created_at, Exchange.id)
    )
    if exclude_surfaces:
        query = query.where(Exchange.surface.not_in(exclude_surfaces))
    return [
        LoggedQuestion(r[0], r[1], bool(r[2]), r[3], r[4], r[5], r[6])
        for r in session.execute(query)
    ]
