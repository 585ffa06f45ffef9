"""Optional dense retrieval through an OpenAI-compatible ``/v1/embeddings`` endpoint.

On when ``BRIEFBOT_EMBEDDING_MODEL`` is set. Chunks are embedded when they are ingested
(or, if the endpoint was down then, the next time a question is asked) and the vectors are
stored, so each chunk is embedded once per model. Questions are embedded at ask time and
compared by cosine similarity with every stored vector, held in memory as one normalised
float32 matrix that is reloaded only when the stored set changes.

If the endpoint fails, retrieval carries on with lexical search alone and logs a warning.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

import numpy as np
import openai
from sqlalchemy.orm import Session

from storage import embeddings as store

log = logging.getLogger(__name__)

BATCH = 128


class Embedder:
    """Embeds texts with one model and searches the stored chunk vectors."""

    def __init__(self, client: openai.OpenAI, model: str) -> None:
        self.client = client
        self.model = model
        self._lock = threading.Lock()
        self._cache_key: tuple[int, int] | None = None
        self._ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self._matrix: np.ndarray = np.zeros((0, 0), dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        rows: list[list[float]] = []
        for i in range(0, len(texts), BATCH):
            response = self.client.embeddings.create(
                model=self.model, input=list(texts[i : i + BATCH])
            )
            ordered = sorted(response.data, key=lambda d: d.index)
            rows.extend(list(d.embedding) for d in ordered)
        matrix = np.asarray(rows, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1.0, norms)

    def embed_chunks(self, session: Session, chunk_ids: Sequence[int] | None = None) -> int:
        """Embed and store chunks that have no vector yet; return how many were embedded."""
        done = 0
        while True:
            todo = store.missing_chunks(
                session=session, model=self.model, chunk_ids=chunk_ids, limit=1024
            )
            if not todo:
                return done
            vectors = self.embed([text for _, text in todo])
            store.save_vectors(
                session=session,
                model=self.model,
                vectors=[
                    (cid, vectors.shape[1], vectors[i].tobytes()) for i, (cid, _) in enumerate(todo)
                ],
            )
            done += len(todo)

    def after_store(self, session: Session, chunk_ids: list[int]) -> None:
        """Ingest hook: embed new chunks in their article's transaction, best effort."""
        try:
            self.embed_chunks(session, chunk_ids)
        except openai.OpenAIError as exc:
            log.warning(
                "embedding new chunks failed (%s); they will be embedded later", type(exc).__name__
            )

    def _load(self, session: Session) -> None:
        embedded, total = store.coverage(session=session, model=self.model)
        if embedded < total:
            self.embed_chunks(session)
            embedded, total = store.coverage(session=session, model=self.model)
        key = (embedded, total)
        if key == self._cache_key:
            return
        pairs = store.load_vectors(session=session, model=self.model)
        self._ids = np.asarray([cid for cid, _ in pairs], dtype=np.int64)
        self._matrix = (
            np.vstack([np.frombuffer(v, dtype=np.float32) for _, v in pairs])
            if pairs
            else np.zeros((0, 0), dtype=np.float32)
        )
        self._cache_key = key

    def search(self, session: Session, question: str, limit: int) -> list[tuple[int, float]]:
        """(chunk_id, cosine) best first; empty if the endpoint cannot be reached."""
        try:
            with self._lock:
                self._load(session)
                ids, matrix = self._ids, self._matrix
            if not len(ids):
                return []
            query = self.embed([question])[0]
        except openai.OpenAIError as exc:
            log.warning("dense search skipped: embeddings endpoint failed (%s)", type(exc).__name__)
            return []
        if matrix.shape[1] != query.shape[0]:
            log.warning("dense search skipped: stored vectors have another dimension")
            return []
        scores = matrix @ query
        top = np.argsort(-scores)[:limit]
        return [(int(ids[i]), float(scores[i])) for i in top]
