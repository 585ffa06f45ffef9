"""Stored chunk vectors, one row per (chunk, embedding model), as float32 bytes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from storage.models import Chunk, ChunkEmbedding


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
    """Store (chunk_id, dim, float32 bytes) rows for ``model``."""
    if vectors:
        session.execute(
            insert(ChunkEmbedding),
            [{"chunk_id": c, "model": model, "dim": d, "vector": v} for c, d, v in vectors],
        )


def coverage(*, session: Session, model: str) -> tuple[int, int]:
    """(chunks with a vector for ``model``, all chunks)."""
    embedded = session.scalar(
        select(func.count()).select_from(ChunkEmbedding).where(ChunkEmbedding.model == model)
    )
    total = session.scalar(select(func.count(Chunk.id)))
    return int(embedded or 0), int(total or 0)


def load_vectors(*, session: Session, model: str) -> list[tuple[int, bytes]]:
    rows = session.execute(
        select(ChunkEmbedding.chunk_id, ChunkEmbedding.vector)
        .where(ChunkEmbedding.model == model)
        .order_by(ChunkEmbedding.chunk_id)
    )
    return [(int(r[0]), bytes(r[1])) for r in rows]
