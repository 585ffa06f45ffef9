"""Reading articles and chunks: passages for retrieval, texts for quotes, lists and
periods for the CLI and the digest. Plain data out; writing is in :mod:`storage.upsert`.

Every function takes the session as a keyword-only argument; the caller owns the
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from storage.models import ARTICLE_TABLE as _ARTICLE
from storage.models import CHUNK_TABLE as _CHUNK
from storage.models import Article, Chunk


@dataclass(frozen=True)
class Passage:
    """A stored chunk with what a reader needs to find it in its article."""

    chunk_id: int
    article_id: int
    title: str
    url: str | None
    source: str | None
    published: date | None
    paragraph: int
    text: str
    char_start: int
    char_end: int
    score: float = 0.0


@dataclass(frozen=True)
class ListedArticle:
    """What a list of articles shows of each (the columns of ``_LISTED``)."""

    id: int
    title: str
    source: str | None
    url: str | None
    published: date | None
    ingested_at: datetime


@dataclass(frozen=True)
class ArticleSummary(ListedArticle):
    chunks: int


def count_articles(*, session: Session) -> int:
    return int(session.scalar(select(func.count(Article.id))) or 0)


_PASSAGES = (
    select(
        _CHUNK.c.id,
        _CHUNK.c.article_id,
        _ARTICLE.c.title,
        _ARTICLE.c.url,
        _ARTICLE.c.source,
        _ARTICLE.c.published,
        _CHUNK.c.paragraph,
        _CHUNK.c.text,
        _CHUNK.c.char_start,
        _CHUNK.c.char_end,
    )
    .join(_ARTICLE, _ARTICLE.c.id == _CHUNK.c.article_id)
    .where(_CHUNK.c.id.in_(bindparam("ids", expanding=True)))
)


def passages(*, session: Session, chunk_ids: Sequence[int]) -> dict[int, Passage]:
    """The passages for ``chunk_ids`` (missing ids are simply absent)."""
    if not chunk_ids:
        return {}
    if session.autoflush:  # as an ORM query would; the statement itself is plain Core
        session.flush()
    rows = session.execute(_PASSAGES, {"ids": list(chunk_ids)})
    return {r[0]: Passage(*r) for r in rows}


def chunk_texts(*, session: Session) -> list[tuple[str, str]]:
    """(chunk text, article title) for every stored chunk, in id order (for comparisons
    with other rankers over exactly what briefbot stored)."""
    rows = session.execute(select(Chunk.text, Article.title).join(Article).order_by(Chunk.id))
    return [(str(r[0]), str(r[1])) for r in rows]


def article_texts(*, session: Session, article_ids: Sequence[int]) -> dict[int, str]:
    if not article_ids:
        return {}
    rows = session.execute(
        select(Article.id, Article.text).where(Article.id.in_(list(article_ids)))
    )
    return {int(r[0]): str(r[1]) for r in rows}


#: What a list of articles shows of each (before its chunk count, or its text).
_LISTED = (
    Article.id,
    Article.title,
    Article.source,
    Article.url,
    Article.published,
    Article.ingested_at,
)


def list_articles(
    *, session: Session, since: datetime | None = None, until: datetime | None = None
) -> list[ArticleSummary]:
    """Articles with their chunk counts, newest first (by published date, then ingestion);
    ``since``/``until`` filter on when they were ingested."""
    counts = (
        select(Chunk.article_id, func.count(Chunk.id).label("n"))
        .group_by(Chunk.article_id)
        .subquery()
    )
    query = (
        select(*_LISTED, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.article_id == Article.id)
        .order_by(Article.published.desc().nulls_last(), Article.ingested_at.desc(), Article.id)
    )
    if since is not None:
        query = query.where(Article.ingested_at >= since)
    if until is not None:
        query = query.where(Article.ingested_at <= until)
    return [ArticleSummary(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class DatedArticle(ListedArticle):
    """An article with its text, for the digest of a period."""

    text: str


def articles_in_period(
    *, session: Session, first_day: date, end_day: date, since: datetime, until: datetime
) -> list[DatedArticle]:
    """Articles published on the days ``first_day`` to ``end_day`` (exclusive), and undated
    ones ingested between ``since`` and ``until`` (exclusive): newest first."""
    start, stop = since.astimezone(UTC), until.astimezone(UTC)
    query = (
        select(*_LISTED, Article.text)
        .where(
            or_(
                (Article.published >= first_day) & (Article.published < end_day),
                Article.published.is_(None)
                & (Article.ingested_at >= start)
                & (Article.ingested_at < stop),
            )
        )
        .order_by(Article.id)
    )
    out = []
    for row in session.execute(query):
        ingested = row[5] if row[5].tzinfo else row[5].replace(tzinfo=UTC)
        out.append(DatedArticle(row[0], row[1], row[2], row[3], row[4], ingested, row[6]))
    return out


def opening_passage(*, session: Session, article_id: int) -> Passage | None:
    """The first passage (chunk) of an article: its lead."""
    row = session.execute(
        select(*_PASSAGES.selected_columns)
        .join_from(_CHUNK, _ARTICLE, _ARTICLE.c.id == _CHUNK.c.article_id)
        .where(_CHUNK.c.article_id == article_id)
        .order_by(_CHUNK.c.ordinal)
        .limit(1)
    ).first()
    return Passage(*row) if row is not None else None


def article_passages(*, session: Session, article_ids: Sequence[int]) -> dict[int, list[Passage]]:
    """Every passage (chunk) of each article, in reading order."""
    if not article_ids:
        return {}
    out: dict[int, list[Passage]] = {}
    rows = session.execute(
        select(*_PASSAGES.selected_columns)
        .join_from(_CHUNK, _ARTICLE, _ARTICLE.c.id == _CHUNK.c.article_id)
        .where(_CHUNK.c.article_id.in_(list(article_ids)))
        .order_by(_CHUNK.c.article_id, _CHUNK.c.ordinal)
    )
    for r in rows:
        out.setdefault(int(r[1]), []).append(Passage(*r))
    return out
