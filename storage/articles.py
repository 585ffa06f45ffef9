"""Reading and writing articles and chunks. Plain data in, plain data out.

Every function takes the session as a keyword-only argument; the caller owns the
transaction (one per article when ingesting).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, TypedDict

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from storage.models import Article, Chunk

Outcome = Literal["added", "updated", "unchanged"]


@dataclass(frozen=True)
class ArticleRecord:
    """An article as the core hands it to storage."""

    origin: str
    title: str
    text: str
    content_hash: str
    format: str
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published: date | None = None


class ChunkRow(TypedDict):
    ordinal: int
    char_start: int
    char_end: int
    paragraph: int
    token_count: int


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
class ArticleSummary:
    id: int
    title: str
    source: str | None
    url: str | None
    published: date | None
    ingested_at: datetime
    chunks: int


_METADATA = ("title", "url", "source", "author", "published", "format")


def _copy_metadata(article: Article, record: ArticleRecord) -> bool:
    changed = False
    for name in _METADATA:
        value = getattr(record, name)
        if getattr(article, name) != value:
            setattr(article, name, value)
            changed = True
    return changed


def upsert_article(
    *,
    session: Session,
    record: ArticleRecord,
    make_chunks: Callable[[str], list[ChunkRow]],
) -> tuple[Outcome, list[int]]:
    """Insert a new article, replace a changed one, or do nothing for known text.

    Returns the outcome and the ids of the chunks written (empty when nothing was).
    """
    existing = session.scalar(select(Article).where(Article.origin == record.origin))
    if existing is not None and existing.content_hash == record.content_hash:
        return ("updated" if _copy_metadata(existing, record) else "unchanged"), []
    duplicate = session.scalar(
        select(Article.id).where(Article.content_hash == record.content_hash)
    )
    if duplicate is not None:
        return "unchanged", []

    now = datetime.now(UTC)
    outcome: Outcome
    if existing is None:
        article = Article(
            origin=record.origin,
            text=record.text,
            content_hash=record.content_hash,
            ingested_at=now,
            updated_at=now,
        )
        session.add(article)
        outcome = "added"
    else:
        article = existing
        session.execute(delete(Chunk).where(Chunk.article_id == article.id))
        article.text = record.text
        article.content_hash = record.content_hash
        article.updated_at = now
        outcome = "updated"
    _copy_metadata(article, record)
    session.flush()
    rows = make_chunks(record.text)
    if rows:
        session.execute(
            insert(Chunk),
            [
                {
                    **row,
                    "article_id": article.id,
                    "text": record.text[row["char_start"] : row["char_end"]],
                }
                for row in rows
            ],
        )
    ids = list(
        session.scalars(select(Chunk.id).where(Chunk.article_id == article.id).order_by(Chunk.id))
    )
    return outcome, ids


def count_articles(*, session: Session) -> int:
    return int(session.scalar(select(func.count(Article.id))) or 0)


def passages(*, session: Session, chunk_ids: Sequence[int]) -> dict[int, Passage]:
    """The passages for ``chunk_ids`` (missing ids are simply absent)."""
    if not chunk_ids:
        return {}
    rows = session.execute(
        select(
            Chunk.id,
            Chunk.article_id,
            Article.title,
            Article.url,
            Article.source,
            Article.published,
            Chunk.paragraph,
            Chunk.text,
            Chunk.char_start,
            Chunk.char_end,
        )
        .join(Article, Article.id == Chunk.article_id)
        .where(Chunk.id.in_(list(chunk_ids)))
    )
    return {r[0]: Passage(*r) for r in rows}


def article_texts(*, session: Session, article_ids: Sequence[int]) -> dict[int, str]:
    if not article_ids:
        return {}
    rows = session.execute(
        select(Article.id, Article.text).where(Article.id.in_(list(article_ids)))
    )
    return {int(r[0]): str(r[1]) for r in rows}


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
        select(
            Article.id,
            Article.title,
            Article.source,
            Article.url,
            Article.published,
            Article.ingested_at,
            func.coalesce(counts.c.n, 0),
        )
        .outerjoin(counts, counts.c.article_id == Article.id)
        .order_by(Article.published.desc().nulls_last(), Article.ingested_at.desc(), Article.id)
    )
    if since is not None:
        query = query.where(Article.ingested_at >= since)
    if until is not None:
        query = query.where(Article.ingested_at <= until)
    return [ArticleSummary(*row) for row in session.execute(query)]
