"""Optional dense retrieval through an OpenAI-compatible ``/v1/embeddings`` endpoint.

On when ``BRIEFBOT_EMBEDDING_MODEL`` is set. Chunks are embedded when they are ingested
and the vectors are stored, so each chunk is embedded once per model. Questions are
embedded at ask time and compared by cosine similarity with every stored vector, held in
memory as one normalised float32 matrix.

**Bad replies.** Every reply is checked before a vector is used or stored: one vector per
input, indexes exactly ``0..n-1``, one finite dimension for all, and the dimension the
vectors already stored for this model have (a server that switched from 256 to 128
dimensions under the same model name is refused; use a new model name to re-embed). A
failed request or a reply that does not pass is one :class:`EmbeddingError`; it never
fails an ingest or a question. Ingest keeps the article without vectors (lexical search
finds it; its chunks are embedded later) and a question carries on with lexical search
alone. Each logs a warning that names the cause but never the request or its headers.

**Chunks without vectors** (the endpoint failed at ingest, or ``BRIEFBOT_EMBEDDING_MODEL``
changed) are embedded a little at a time, never all on the question path:

* a question first embeds itself, then, if at least half of its budget is left, at most
  :data:`QUESTION_BATCH` chunks that lack a vector (oldest first), in one request. Its
  budget for both is one embeddings timeout (the client's, ``BRIEFBOT_LLM_TIMEOUT``), and
  neither request is retried, so a question never waits on embeddings for much more than
  one timeout. Only one question per process backfills at a time, and it writes in its
  own short transaction, so a failure there costs the question nothing;
* ingesting an article embeds that article's chunks (each request retried once, as the
  openai client would retry it: see :func:`retry_wait`).

Until the backfill is complete, dense search covers the chunks that have vectors, and
lexical search covers all of them.

**The matrix cache** is reloaded when :func:`storage.embeddings.state` changes: counts,
the largest and the sum of the embedded chunk ids, and the article count and latest
``updated_at``. It is read from the database before every search, so vectors written by
another process (or an article replaced by one with as many chunks) are noticed too.
Stored rows of another dimension than the model's usual one are skipped with a warning.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import openai
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.core.chat import make_client, retry_after
from bot.core.timing import REAL_TIME, Timing
from storage import embeddings as store

log = logging.getLogger(__name__)

#: Inputs per embeddings request.
INPUTS_PER_REQUEST = 128
#: After this many failed requests in a row the endpoint is left alone for BREAKER_REST
#: seconds (then tried again once), so an ingest run against a dead endpoint does not
#: wait out its timeouts article after article.
BREAKER_FAILURES = 3
BREAKER_REST = 30.0
#: Chunks lacking a vector that one question may embed.
QUESTION_BATCH = 32
#: A question backfills only if this share of its budget is left after embedding itself.
BACKFILL_BUDGET_SHARE = 0.5
DEFAULT_TIMEOUT = 20.0
#: A request without a deadline (at ingest) is tried again this many times, after
#: RETRY_WAIT seconds (less up to a quarter, doubling), or after the server's Retry-After
#: when it asks for at most MAX_RETRY_AFTER: the openai client's own policy, kept here so
#: that the waits are :class:`~bot.core.timing.Timing`'s.
RETRIES = 1
RETRY_WAIT = 0.5
MAX_RETRY_AFTER = 120.0


class EmbeddingError(Exception):
    """The endpoint failed or its reply was unusable. The message names no secret."""


def _timeout_of(client: openai.OpenAI) -> float:
    timeout: Any = getattr(client, "timeout", None)
    if isinstance(timeout, int | float):
        return float(timeout)
    read = getattr(timeout, "read", None)  # an httpx Timeout
    return float(read) if isinstance(read, int | float) else DEFAULT_TIMEOUT


def _checked(response: Any, inputs: int, dim: int | None) -> np.ndarray:
    """The reply's vectors in input order, or EmbeddingError."""
    data = getattr(response, "data", None)
    if not isinstance(data, list) or len(data) != inputs:
        got = len(data) if isinstance(data, list) else "no"
        raise EmbeddingError(f"the reply has {got} vectors for {inputs} inputs")
    try:
        by_index = sorted(data, key=lambda d: d.index)
        if [d.index for d in by_index] != list(range(inputs)):
            raise EmbeddingError("the reply's indexes are not 0 to n-1")
        rows = [list(d.embedding) for d in by_index]
    except (TypeError, AttributeError) as exc:
        raise EmbeddingError(f"the reply is malformed ({type(exc).__name__})") from exc
    sizes = {len(r) for r in rows}
    if len(sizes) != 1 or 0 in sizes:
        raise EmbeddingError("the reply's vectors are empty or differ in length")
    try:
        matrix = np.asarray(rows, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise EmbeddingError("the reply's vectors are not numbers") from exc
    if not np.isfinite(matrix).all():
        raise EmbeddingError("the reply's vectors are not finite")
    if dim is not None and matrix.shape[1] != dim:
        raise EmbeddingError(
            f"the reply's vectors have {matrix.shape[1]} dimensions, the stored ones {dim}"
        )
    return matrix


@contextmanager
def _own_transaction(session: Session) -> Iterator[Session]:
    """A short transaction of its own on the database ``session`` uses."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    with Session(engine) as writer, writer.begin():
        yield writer


def retry_wait(exc: Exception, attempt: int) -> float | None:
    """Seconds to wait before trying a failed request again (its ``attempt``-th retry,
    from 0), or None not to. As the openai client decides: a timeout, a lost connection,
    408, 409, 429 and 5xx are retried, unless the server says not to (``x-should-retry:
    false``, or a Retry-After over :data:`MAX_RETRY_AFTER`)."""
    backoff = RETRY_WAIT * 2.0**attempt * (1 - 0.25 * random.random())
    if isinstance(exc, openai.APIConnectionError):  # a timeout is one too
        return backoff
    if not isinstance(exc, openai.APIStatusError):
        return None
    after = retry_after(exc.response)
    should = exc.response.headers.get("x-should-retry")
    if should == "false" or (after is not None and after > MAX_RETRY_AFTER):
        return None
    if should != "true" and exc.status_code not in (408, 409, 429) and exc.status_code < 500:
        return None
    return after if after else backoff


class Embedder:
    """Embeds texts with one model and searches the stored chunk vectors.

    ``client`` should not retry by itself: the embedder retries requests made without a
    deadline ``retries`` times (see :func:`retry_wait`). Deadlines, the breaker's rest and
    the waits between attempts are ``timing``'s.
    """

    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        *,
        retries: int = RETRIES,
        timing: Timing = REAL_TIME,
    ) -> None:
        self.client = client
        self.model = model
        self.retries = retries
        self.timing = timing
        self.timeout = _timeout_of(client)
        self._no_retry: openai.OpenAI | None = None
        self._lock = threading.Lock()  # the cache below
        self._backfilling = threading.Lock()
        self._cache_key: store.VectorState | None = None
        self._missing = 0
        self._ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self._matrix: np.ndarray = np.zeros((0, 0), dtype=np.float32)
        #: The dimension of this model's stored vectors, once known.
        self._dim: int | None = None
        #: Failed requests in a row, and until when the endpoint is left alone.
        self._failures = 0
        self._resting_until = 0.0

    # ------------------------------------------------------------------ embedding

    def embed(
        self, texts: Sequence[str], *, dim: int | None = None, deadline: float | None = None
    ) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, all of ``dim`` if given.

        With a ``deadline`` (a time of ``timing.clock``) requests are not retried and time
        out by then. Raises :class:`EmbeddingError`, at once while the endpoint is resting
        after :data:`BREAKER_FAILURES` failures in a row.
        """
        if self._failures >= BREAKER_FAILURES and self.timing.clock() < self._resting_until:
            raise EmbeddingError(
                f"the endpoint failed {self._failures} times in a row; resting until it "
                f"has had {BREAKER_REST:g} s"
            )
        try:
            matrix = self._embed(texts, dim, deadline)
        except EmbeddingError:
            self._failures += 1
            if self._failures >= BREAKER_FAILURES:
                self._resting_until = self.timing.clock() + BREAKER_REST
            raise
        self._failures = 0
        return matrix

    def _embed(self, texts: Sequence[str], dim: int | None, deadline: float | None) -> np.ndarray:
        parts: list[np.ndarray] = []
        for i in range(0, len(texts), INPUTS_PER_REQUEST):
            batch = list(texts[i : i + INPUTS_PER_REQUEST])
            try:
                if deadline is None:
                    response = self._retried(batch)
                else:
                    remaining = deadline - self.timing.clock()
                    if remaining <= 0:
                        raise EmbeddingError("no time left for the embeddings request")
                    response = self._client_without_retry().embeddings.create(
                        model=self.model, input=batch, timeout=remaining
                    )
            except EmbeddingError:
                raise
            except Exception as exc:
                # Anything the client raises means no vectors: OpenAIError, but also the
                # SDK's ValueError for a reply without data, or UnicodeEncodeError for a
                # key that is not ASCII. Only the type is kept: messages can carry secrets.
                raise EmbeddingError(
                    f"the embeddings request failed ({type(exc).__name__})"
                ) from None
            part = _checked(response, len(batch), dim)
            dim = part.shape[1]
            parts.append(part)
        if not parts:
            return np.zeros((0, dim or 0), dtype=np.float32)
        matrix = np.vstack(parts)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1.0, norms)

    def _retried(self, batch: list[str]) -> Any:
        """One embeddings request, tried again up to ``retries`` times (see
        :func:`retry_wait`)."""
        attempt = 0
        while True:
            try:
                return self.client.embeddings.create(model=self.model, input=batch)
            except openai.OpenAIError as exc:
                wait = retry_wait(exc, attempt) if attempt < self.retries else None
                if wait is None:
                    raise
            self.timing.sleep(wait)
            attempt += 1

    def _client_without_retry(self) -> openai.OpenAI:
        if self._no_retry is None:
            self._no_retry = self.client.with_options(max_retries=0)
        return self._no_retry

    def _stored_dim(self, session: Session) -> int | None:
        if self._dim is None:
            found = store.dimensions(session=session, model=self.model)
            self._dim = found[0][0] if found else None
        return self._dim

    def after_store(self, session: Session, chunk_ids: list[int]) -> None:
        """Ingest hook, after the article's transaction has committed: embed its new chunks,
        best effort. The request runs with no transaction open; the vectors are stored in
        a short transaction of their own."""
        try:
            with session.begin():
                todo = store.missing_chunks(
                    session=session, model=self.model, chunk_ids=chunk_ids, limit=len(chunk_ids)
                )
                dim = self._stored_dim(session)
            if not todo:
                return
            vectors = self.embed([text for _, text in todo], dim=dim)
            with session.begin():
                store.save_vectors(
                    session=session,
                    model=self.model,
                    vectors=[
                        (cid, vectors.shape[1], vectors[i].tobytes())
                        for i, (cid, _) in enumerate(todo)
                    ],
                )
            self._dim = vectors.shape[1]
        except EmbeddingError as exc:
            log.warning(
                "embedding %d new chunks failed: %s; the article is stored and its chunks "
                "will be embedded later",
                len(chunk_ids),
                exc,
            )

    # ------------------------------------------------------------------ searching

    def _refresh(self, session: Session) -> None:
        """Reload the matrix if what is stored changed. Call with ``_lock`` held."""
        key = store.state(session=session, model=self.model)  # before the rows it describes
        self._missing = key.missing
        if key == self._cache_key:
            return
        found = store.dimensions(session=session, model=self.model)
        dim = found[0][0] if found else None
        if len(found) > 1:
            log.warning(
                "skipping %d stored %s vectors whose dimension is not %d",
                sum(n for _, n in found[1:]),
                self.model,
                dim,
            )
        pairs = store.load_vectors(session=session, model=self.model, dim=dim) if dim else []
        size = (dim or 0) * 4
        good = [(cid, v) for cid, v in pairs if len(v) == size]
        if len(good) < len(pairs):
            log.warning("skipping %d stored vectors of the wrong length", len(pairs) - len(good))
        self._ids = np.asarray([cid for cid, _ in good], dtype=np.int64)
        self._matrix = (
            np.frombuffer(b"".join(v for _, v in good), dtype=np.float32).reshape(len(good), -1)
            if good
            else np.zeros((0, dim or 0), dtype=np.float32)
        )
        self._dim = dim
        self._cache_key = key

    def _backfill(self, session: Session, dim: int, deadline: float) -> bool:
        """Embed a few chunks that lack a vector (see the module docstring)."""
        if not self._backfilling.acquire(blocking=False):
            return False  # another question of this process is at it
        try:
            todo = store.missing_chunks(session=session, model=self.model, limit=QUESTION_BATCH)
            if not todo:
                return False
            try:
                vectors = self.embed([text for _, text in todo], dim=dim, deadline=deadline)
            except EmbeddingError as exc:
                log.warning("embedding %d chunks without a vector failed: %s", len(todo), exc)
                return False
            try:
                with _own_transaction(session) as writer:
                    store.save_vectors(
                        session=writer,
                        model=self.model,
                        vectors=[
                            (cid, dim, vectors[i].tobytes()) for i, (cid, _) in enumerate(todo)
                        ],
                    )
            except SQLAlchemyError as exc:
                log.warning("storing %d new vectors failed (%s)", len(todo), type(exc).__name__)
                return False
            return True
        finally:
            self._backfilling.release()

    def search(self, session: Session, question: str, limit: int) -> list[tuple[int, float]]:
        """(chunk_id, cosine) best first; empty if the endpoint failed."""
        deadline = self.timing.clock() + self.timeout
        with self._lock:
            self._refresh(session)
            empty, missing, dim = not len(self._ids), self._missing, self._dim
        if empty and not missing:
            return []
        try:
            query = self.embed([question], dim=dim, deadline=deadline)[0]
        except EmbeddingError as exc:
            log.warning("dense search skipped: %s", exc)
            return []
        left = deadline - self.timing.clock()
        enough = left >= self.timeout * BACKFILL_BUDGET_SHARE
        if missing and enough and self._backfill(session, len(query), deadline):
            with self._lock:
                self._refresh(session)
        with self._lock:
            ids, matrix = self._ids, self._matrix
        if not len(ids):
            return []
        if matrix.shape[1] != query.shape[0]:
            log.warning("dense search skipped: stored vectors have another dimension")
            return []
        scores = matrix @ query
        top = np.argsort(-scores)[:limit]
        return [(int(ids[i]), float(scores[i])) for i in top]


def build_embedder(settings: Settings, timing: Timing = REAL_TIME) -> Embedder | None:
    """The embedder for ``BRIEFBOT_EMBEDDING_MODEL``, when one is set (it retries once,
    its waits and deadlines ``timing``'s)."""
    if not settings.embedding_model:
        return None
    return Embedder(make_client(settings), settings.embedding_model, timing=timing)
