"""Stored chunk vectors, one row per (chunk, embedding model), as float32 bytes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Article, Chunk, ChunkEmbedding


def missing_chunks(
    *, session: Session, model: str, chunk_ids: Sequence[int] | None = None, limit: int = 10_000
) -> list[tuple[int, str]]:
    """(id, text) of chunks with no vector for ``model`` yet, oldest first."""
    done = select(ChunkEmbedding.chunk_id).where(ChunkEmbedding.model == model)
    query = select(Chunk.id, Chunk.text).where(Chunk.id.not_in(done)).order_by(Chunk.id)
    if chunk_ids is not None:
        query = query.where(Chunk.id.in_(list(chunk_ids)))
    return [(int(r[0]), str(r[1])) for r in session.execute(query.limit(limit))]


def save_vectors(
    *, session: Session, model: str, vectors: Sequence[tuple[int, int, bytes]]
) -> None:
    """Store (chunk_id, dim, float32 bytes) rows for ``model``.

    A row that is already stored (another process embedded the same chunk meanwhile) is
    left as it is rather than failing the transaction.
    """
    if not vectors:
        return
    statement: Any
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(ChunkEmbedding).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(ChunkEmbedding).on_conflict_do_nothing()
    else:
        statement = insert(ChunkEmbedding)
    session.execute(
        statement,
        [{"chunk_id": c, "model": model, "dim": d, "vector": v} for c, d, v in vectors],
    )


def coverage(*, session: Session, model: str) -> tuple[int, int]:
    """(chunks with a vector for ``model``, all chunks)."""
    embedded = session.scalar(
        select(func.count()).select_from(ChunkEmbedding).where(ChunkEmbedding.model == model)
    )
    total = session.scalar(select(func.count(Chunk.id)))
    return int(embedded or 0), int(total or 0)


class VectorState(NamedTuple):
    """A cheap fingerprint of what is stored for one model, read in one statement.

    It changes whenever a vector is added or removed, in this process or another: vectors
    are only ever inserted or deleted (with their chunk), never updated. SQLite may give a
    new chunk the id of a deleted one (no AUTOINCREMENT), so an article replaced by a text
    with as many chunks can leave the counts and ids as they were; its ``updated_at``
    moves on, and ``last_update`` catches that.
    """

    vectors: int
    chunks: int
    max_chunk_id: int
    sum_chunk_ids: int
    articles: int
    last_update: datetime | None

    @property
    def missing(self) -> int:
        """Chunks without a vector for the model."""
        return max(self.chunks - self.vectors, 0)


def state(*, session: Session, model: str) -> VectorState:
    mine = ChunkEmbedding.model == model
    row = session.execute(
        select(
            select(func.count()).select_from(ChunkEmbedding).where(mine).scalar_subquery(),
            select(func.count(Chunk.id)).scalar_subquery(),
            select(func.max(ChunkEmbedding.chunk_id)).where(mine).scalar_subquery(),
            select(func.sum(ChunkEmbedding.chunk_id)).where(mine).scalar_subquery(),
            select(func.count(Article.id)).scalar_subquery(),
            select(func.max(Article.updated_at)).scalar_subquery(),
        )
    ).one()
    return VectorState(
        vectors=int(row[0] or 0),
        chunks=int(row[1] or 0),
        max_chunk_id=int(row[2] or 0),
        sum_chunk_ids=int(row[3] or 0),
        articles=int(row[4] or 0),
        last_update=row[5],
    )


def dimensions(*, session: Session, model: str) -> list[tuple[int, int]]:
    """(dimension, rows) of the vectors stored for ``model``, the most common first."""
    rows = session.execute(
        select(ChunkEmbedding.dim, func.count())
        .where(ChunkEmbedding.model == model)
        .group_by(ChunkEmbedding.dim)
        .order_by(func.count().desc(), ChunkEmbedding.dim)
    )
    return [(int(r[0]), int(r[1])) for r in rows]


def load_vectors(
    *, session: Session, model: str, dim: int | None = None
) -> list[tuple[int, bytes]]:
    """(chunk_id, float32 bytes) for ``model``, by chunk id; only rows of ``dim`` if given."""
    query = select(ChunkEmbedding.chunk_id, ChunkEmbedding.vector).where(
        ChunkEmbedding.model == model
    )
    if dim is not None:
        query = query.where(ChunkEmbedding.dim == dim)
    rows = session.execute(query.order_by(ChunkEmbedding.chunk_id))
    return [(int(r[0]), bytes(r[1])) for r in rows]
