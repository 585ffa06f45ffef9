"""The tables, as SQLAlchemy 2.0 typed models.

Full-text search structures (SQLite's FTS5 table, PostgreSQL's tsvector column) are not
mapped here: they belong to the dialect and live in :mod:`storage.search`, created by the
migration that also creates these tables.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Article(Base):
    """One stored article: its metadata, its full (cleaned) text and its content hash.

    ``origin`` is the identity used to notice a changed version: the article's url when it
    has one, otherwise the resolved file path it was read from.
    """

    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str] = mapped_column(String(1000))
    url: Mapped[str | None] = mapped_column(String(2000), index=True)
    #: Where the url led after redirects, for a page fetched from the web.
    final_url: Mapped[str | None] = mapped_column(String(2000))
    source: Mapped[str | None] = mapped_column(String(500))
    author: Mapped[str | None] = mapped_column(String(500))
    # Both indexed: a digest selects the articles of a period by them.
    published: Mapped[date | None] = mapped_column(Date, index=True)
    ingested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[str] = mapped_column(String(20))

    chunks: Mapped[list[Chunk]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Chunk.ordinal",
    )


class Chunk(Base):
    """A sentence-aligned window of an article. ``text == article.text[char_start:char_end]``."""

    __tablename__ = "chunk"
    __table_args__ = (UniqueConstraint("article_id", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int] = mapped_column(Integer)
    token_count: Mapped[int] = mapped_column(Integer)

    article: Mapped[Article] = relationship(back_populates="chunks")


class ChunkEmbedding(Base):
    """A chunk's dense vector for one embedding model (float32 bytes), stored once."""

    __tablename__ = "chunk_embedding"

    chunk_id: Mapped[int] = mapped_column(
        ForeignKey("chunk.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class Exchange(Base):
    """One question and what briefbot answered: the conversation log."""

    __tablename__ = "exchange"
    __table_args__ = (Index("ix_exchange_created_at", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    surface: Mapped[str] = mapped_column(String(40))
    workspace: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str | None] = mapped_column(String(40))
    user: Mapped[str | None] = mapped_column(String(40))
    thread_ts: Mapped[str | None] = mapped_column(String(40))
    message_ts: Mapped[str | None] = mapped_column(String(40))
    question: Mapped[str] = mapped_column(Text)
    standalone_question: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    mode: Mapped[str | None] = mapped_column(String(20))
    model: Mapped[str | None] = mapped_column(String(200))
    #: The model's name, or "extractive (reason)": what the user was told.
    written_by: Mapped[str | None] = mapped_column(String(300))
    prompt_name: Mapped[str | None] = mapped_column(String(100))
    prompt_hash: Mapped[str | None] = mapped_column(String(64))
    citations: Mapped[list[Any]] = mapped_column(default=list)
    guard: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prompt_tokens: Mapped[int | None] = mapped_column(Integer)
    completion_tokens: Mapped[int | None] = mapped_column(Integer)
    counted_prompt_tokens: Mapped[int | None] = mapped_column(Integer)
    cost_usd: Mapped[float | None] = mapped_column(Float)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    feedback: Mapped[int | None] = mapped_column(Integer)
    feedback_user: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)


class SlackEventClaim(Base):
    """The first process to insert an event's key answers it; every other attempt sees a
    conflict and stays silent. This is what makes Slack retries and duplicate deliveries
    (even across several ``briefbot serve`` processes) produce one answer."""

    __tablename__ = "slack_event_claim"

    event_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Feed(Base):
    """An RSS or Atom feed that briefbot follows, and how its polling went.

    ``etag`` and ``last_modified`` are the validators of the last complete poll, sent back
    for a conditional GET. ``next_poll_at`` is when the clock polls it next (its own slot
    in the interval, or later after failures); ``claimed_until`` and ``claim_token`` mark
    a poll in progress, so two clocks never poll one feed at once.
    """

    __tablename__ = "feed"
    __table_args__ = (Index("ix_feed_next_poll_at", "next_poll_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str | None] = mapped_column(String(1000))
    site_url: Mapped[str | None] = mapped_column(String(2000))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_poll_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claim_token: Mapped[str | None] = mapped_column(String(32))


class FeedEntry(Base):
    """One entry of a feed that a poll dealt with: stored (from its page or only from the
    feed's summary), a duplicate of a stored article, or failed so far.

    ``entry_key`` is the sha256 of the entry's guid (or of its link when it has none; of
    both when the feed gives that guid to several entries), so the unique index stays
    small whatever the feed puts in a guid.
    """

    __tablename__ = "feed_entry"
    __table_args__ = (UniqueConstraint("feed_id", "entry_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feed.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(String(64))
    link: Mapped[str | None] = mapped_column(String(2000))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_tried_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DigestSubscription(Base):
    """A channel that asked for the weekly digest with ``/brief subscribe``: who, and when.

    Channels named in ``BRIEFBOT_DIGEST_CHANNELS`` get the digest too, without a row here.
    """

    __tablename__ = "digest_subscription"

    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace: Mapped[str | None] = mapped_column(String(40))
    subscribed_by: Mapped[str | None] = mapped_column(String(40))
    subscribed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DigestDelivery(Base):
    """One digest in one channel: the claim taken before posting, then what came of it.

    The unique (channel, period) pair is what makes posting exactly-once: whoever inserts
    the row posts; everyone else sees the conflict. ``status`` is ``claimed`` (being
    posted, or its poster died: see :mod:`storage.digests`), ``posted``, or ``failed`` (a
    permanent error such as a channel that no longer exists; not retried for this period).
    A failed post that may work later deletes its row, so the next run claims it afresh.
    """

    __tablename__ = "digest_delivery"
    __table_args__ = (UniqueConstraint("channel", "period", name="uq_digest_delivery_channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    claim_token: Mapped[str] = mapped_column(String(32))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: When the first poster claimed it (``claimed_at`` is the latest takeover's): the
    #: earliest a post that may have landed can be in the channel. NULL for claims made
    #: before revision 0007.
    first_claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    message_ts: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)


#: The article and chunk tables as Core ``Table`` objects, for the plain statements of
#: the ingest and read paths (``storage.upsert``, ``storage.articles``).
ARTICLE_TABLE = cast(Table, Article.__table__)
CHUNK_TABLE = cast(Table, Chunk.__table__)
