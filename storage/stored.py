"""One stored article as a person is told about it: title, source, date, passages.

``/brief add`` and ``briefbot ingest URL`` report what a url became; these look it up by
its origin (the url) or its id. Plain data out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Article, Chunk

_COLUMNS = (
    Article.id,
    Article.title,
    Article.source,
    Article.published,
    Article.url,
    Article.final_url,
    Article.format,
)


@dataclass(frozen=True)
class StoredArticle:
    """What was stored for one url: enough to tell a person what they got."""

    id: int
    title: str
    source: str | None
    published: date | None
    url: str | None
    final_url: str | None
    format: str
    passages: int


def article_by_origin(*, session: Session, origin: str) -> StoredArticle | None:
    row = session.execute(select(*_COLUMNS).where(Article.origin == origin)).first()
    if row is None:
        return None
    return _stored(session, row)


def article_by_id(*, session: Session, article_id: int) -> StoredArticle | None:
    row = session.execute(select(*_COLUMNS).where(Article.id == article_id)).first()
    return _stored(session, row) if row is not None else None


def _stored(session: Session, row: Any) -> StoredArticle:
    article_id, title, source, published, url, final_url, fmt = row
    passages = session.scalar(select(func.count(Chunk.id)).where(Chunk.article_id == article_id))
    return StoredArticle(
        int(article_id), title, source, published, url, final_url, fmt, int(passages or 0)
    )
