"""Optional dense retrieval through the OpenAI-compatible embeddings stand-in."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import delete, select

from bot.config import Settings
from bot.core import embeddings
from bot.core.briefing import Briefing
from bot.core.embeddings import BREAKER_FAILURES, QUESTION_BATCH
from bot.core.retrieve import fuse
from bot.slack.deliveries import Deliveries
from conftest import EVALS, FakeTime, make_settings
from slackkit import POLL_SECONDS
from standins import OpenAIStandIn, embed_text
from storage import embeddings as store
from storage.models import Article, Chunk, ChunkEmbedding

QUESTION = "What does the memorandum commit the countries to?"


def dense_settings(
    database_url: str, tmp_path: Path, base_url: str, timeout: int = 2, **overrides: Any
) -> Settings:
    """Settings with dense retrieval on, against the embeddings server at ``base_url``.
    Answers stay extractive (the stand-in also lists chat models, which would otherwise
    write them), so these tests see retrieval alone."""
    overrides.setdefault("model", "none")
    return make_settings(
        database_url,
        tmp_path,
        openai_base_url=base_url,
        embedding_model="test-embed",
        llm_timeout=timeout,
        **overrides,
    )


@pytest.fixture
def server(llm: OpenAIStandIn) -> OpenAIStandIn:
    return llm


@pytest.fixture(autouse=True)
def breaker_without_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests here see an endpoint recover at once; the breaker's rest has its own test."""
    monkeypatch.setattr(embeddings, "BREAKER_REST", 0.0)


@pytest.fixture
def dense(
    database_url: str, tmp_path: Path, server: OpenAIStandIn, fake_time: FakeTime
) -> Iterator[Briefing]:
    """Dense retrieval on; the embedder's clock is ``fake_time``'s (standing still), and its
    waits between attempts are recorded in ``fake_time.slept``, not spent."""
    settings = dense_settings(database_url, tmp_path, server.base_url)
    with Briefing.open(settings, timing=fake_time.timing) as b:
        yield b


def test_chunks_are_embedded_once_and_stored(dense: Briefing, server: OpenAIStandIn) -> None:
    seed_chunks = sum(s.chunks for s in dense.sources())
    assert server.embedded_inputs == seed_chunks  # embedded at ingest
    summary = dense.ingest([EVALS / "articles"])
    assert server.embedded_inputs == seed_chunks + summary.chunks
    before = server.embedded_inputs
    dense.ask("What does the memorandum commit the countries to?")
    dense.ask("Who criticised the deal?")
    # Only the two questions were embedded; no chunk twice.
    assert server.embedded_inputs == before + 2
    texts = server.embedded_texts()
    assert len(set(texts[:before])) == before
    assert dense.ingest([EVALS / "articles"]).unchanged == summary.added


def test_dense_hits_are_fused_with_lexical_ones(dense: Briefing, server: OpenAIStandIn) -> None:
    dense.ingest([EVALS / "articles"])
    server.clear()
    retrieval = dense.retrieve("What drives people to leave their homes in Central America?")
    assert retrieval.passages
    assert server.requests_for("embeddings"), "the question was not embedded"
    assert retrieval.dense, "the dense search found nothing"


def test_chunks_missed_while_the_endpoint_was_down_are_embedded_later(
    dense: Briefing, server: OpenAIStandIn, tmp_path: Path
) -> None:
    server.fail(500, times=None, path="embeddings")
    article = tmp_path / "late.txt"
    article.write_text("Late article\n\nA sentence about the memorandum and asylum.", "utf-8")
    assert dense.ingest([article]).added == 1  # ingestion does not depend on embeddings
    answer = dense.ask("What does the memorandum say about asylum?")
    assert answer.answered  # lexical search carried on
    server.reset()
    dense.ask("What does the memorandum say about asylum?")
    assert "A sentence about the memorandum and asylum." in server.embedded_texts()


def test_a_dead_endpoint_is_left_alone_after_a_few_failures(
    dense: Briefing, server: OpenAIStandIn, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embeddings, "BREAKER_REST", 30.0)
    server.reset()
    server.fail(500, times=None, path="embeddings")
    summary = dense.ingest([EVALS / "articles"])
    assert summary.added == 7 and not summary.failed
    calls = len(server.requests_for("embeddings"))
    # Each failed call is two requests (retried once, after half a second less up to a
    # quarter); then it rests.
    assert calls == BREAKER_FAILURES * 2
    assert len(fake_time.slept) == BREAKER_FAILURES
    assert all(0.375 <= wait <= 0.5 for wait in fake_time.slept)
    assert dense.ask("What does the memorandum say about asylum?").answered  # lexical
    assert len(server.requests_for("embeddings")) == calls  # still resting
    fake_time.advance(30.0)
    assert dense.ask("What does the memorandum say about asylum?").answered
    assert len(server.requests_for("embeddings")) == calls + 1  # rested: tried once more


def _status_error(status: int, **headers: str) -> Exception:
    import httpx2
    import openai

    request = httpx2.Request("POST", "http://127.0.0.1/v1/embeddings")
    response = httpx2.Response(status, headers=headers, request=request)
    return openai.APIStatusError("failed", response=response, body=None)


def test_a_failed_request_is_retried_as_the_openai_client_would() -> None:
    import httpx2
    import openai

    from bot.core.embeddings import retry_wait

    lost = openai.APIConnectionError(request=httpx2.Request("POST", "http://127.0.0.1/"))
    for retried in (lost, _status_error(408), _status_error(409), _status_error(503)):
        wait = retry_wait(retried, 0)
        assert wait is not None and 0.375 <= wait <= 0.5, retried
    again = retry_wait(lost, 1)  # a second retry waits twice as long
    assert again is not None and 0.75 <= again <= 1.0
    assert retry_wait(_status_error(429, **{"retry-after": "3"}), 0) == 3.0
    assert retry_wait(_status_error(404, **{"x-should-retry": "true"}), 0) is not None
    for final in (
        _status_error(400),
        _status_error(401),
        _status_error(500, **{"x-should-retry": "false"}),
        _status_error(429, **{"retry-after": "600"}),  # over two minutes: not waited for
        ValueError("no data in the reply"),
    ):
        assert retry_wait(final, 0) is None, final


def test_the_embedder_retries_once_on_the_real_clock(tmp_path: Path) -> None:
    from bot.core.embeddings import build_embedder
    from bot.core.timing import REAL_TIME

    settings = Settings.isolated(
        openai_base_url="http://127.0.0.1:9/v1", embedding_model="test-embed", data_dir=tmp_path
    )
    embedder = build_embedder(settings)
    assert embedder is not None
    assert embedder.client.max_retries == 0  # the embedder's retry, not the client's too
    assert (embedder.retries, embedder.timing) == (1, REAL_TIME)


def test_fusion_of_one_ranking_keeps_its_order() -> None:
    assert [cid for cid, _ in fuse([[5, 3, 9]])] == [5, 3, 9]


# --------------------------------------------------------------------------- bad replies


class SpoilingEmbeddings:
    """A loopback ``/v1/embeddings`` server: the stand-in's vectors, spoiled on demand.

    ``spoil``: None (good replies), ``"no_data"``, ``"one_short"`` (a vector fewer than
    inputs), ``"indexes"`` (every index one too high) or ``"dimension"`` (128, not 256).
    """

    def __init__(self) -> None:
        self.spoil: str | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                data = json.dumps(outer.reply(body)).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
        ).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def reply(self, body: dict[str, Any]) -> dict[str, Any]:
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        size = 128 if self.spoil == "dimension" else 256
        data = [
            {"object": "embedding", "index": i, "embedding": embed_text(text, size)}
            for i, text in enumerate(inputs)
        ]
        if self.spoil == "one_short":
            data = data[:-1]
        elif self.spoil == "indexes":
            data = [{**d, "index": d["index"] + 1} for d in data]
        reply = {"object": "list", "model": body["model"], "data": data, "usage": {}}
        if self.spoil == "no_data":
            del reply["data"]
        return reply


@pytest.fixture
def spoiling() -> Iterator[SpoilingEmbeddings]:
    server = SpoilingEmbeddings()
    yield server
    server.server.shutdown()
    server.server.server_close()


def missing_vectors(briefing: Briefing) -> int:
    with briefing.db.session() as session:
        embedded, total = store.coverage(session=session, model="test-embed")
    return total - embedded


@pytest.mark.parametrize("spoil", ["no_data", "one_short", "indexes", "dimension"])
def test_a_bad_embeddings_reply_keeps_the_article_and_questions_go_lexical(
    database_url: str,
    tmp_path: Path,
    spoiling: SpoilingEmbeddings,
    spoil: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.core.embeddings")
    settings = dense_settings(database_url, tmp_path, spoiling.base_url)
    with Briefing.open(settings) as b:  # the seed is embedded with good replies
        assert missing_vectors(b) == 0
        spoiling.spoil = spoil
        summary = b.ingest([EVALS / "articles"])
        assert not summary.failed
        assert summary.added == len(list((EVALS / "articles").iterdir()))
        assert missing_vectors(b) == summary.chunks  # no spoiled vector was stored
        assert "the article is stored" in caplog.text
        answer = b.ask(QUESTION)  # no AnswerFailed
        assert answer.answered
        assert "dense search skipped" in caplog.text

        spoiling.spoil = None
        retrieval = b.retrieve(QUESTION)
        assert retrieval.dense, "the dense search found nothing"
        assert missing_vectors(b) == max(summary.chunks - QUESTION_BATCH, 0)


def test_stored_vectors_of_another_dimension_are_skipped(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.core.embeddings")
    settings = dense_settings(database_url, tmp_path, llm.base_url)
    with Briefing.open(settings) as b:
        with b.db.session() as session:  # as if the server had switched to 128 dimensions
            chunk_id = session.scalars(select(Chunk.id).order_by(Chunk.id)).first()
            assert chunk_id is not None
            session.execute(delete(ChunkEmbedding).where(ChunkEmbedding.chunk_id == chunk_id))
            vector = np.asarray(embed_text("another model", 128), dtype=np.float32)
            store.save_vectors(
                session=session, model="test-embed", vectors=[(chunk_id, 128, vector.tobytes())]
            )
        retrieval = b.retrieve(QUESTION)
        assert retrieval.dense, "the dense search found nothing"
        assert "skipping 1 stored test-embed vectors whose dimension is not 256" in caplog.text


def test_a_key_that_is_not_ascii_does_not_stop_briefbot(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    settings = dense_settings(
        database_url, tmp_path, llm.base_url, openai_api_key="sk-cl\u00e9-secret-4711"
    )
    with Briefing.open(settings) as b:
        assert b.sources()
        assert b.ask(QUESTION).answered
    assert "secret-4711" not in caplog.text


# --------------------------------------------------------------------------- backfill


def write_reports(folder: Path, count: int) -> None:
    folder.mkdir()
    for a in range(count):
        paragraphs = "\n\n".join(
            f"Paragraph {p} of report {a} covers trade, harvests, rainfall and roads in "
            f"province {a}-{p}. Officials counted {p * 17} new wells. Farmers reported "
            f"{p * 3} tonnes of maize and a quiet season."
            for p in range(30)
        )
        (folder / f"report-{a}.txt").write_text(f"Report {a}\n\n{paragraphs}\n", "utf-8")


def test_chunks_of_a_new_model_are_embedded_a_batch_per_question_within_one_timeout(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn
) -> None:
    with Briefing.open(make_settings(database_url, tmp_path)) as b:  # no embeddings
        write_reports(tmp_path / "reports", 30)
        assert not b.ingest([tmp_path / "reports"]).failed
    settings = dense_settings(database_url, tmp_path, llm.base_url, timeout=1)
    with Briefing.open(settings) as b:
        total = missing_vectors(b)
        assert total > 2 * 128  # the old code needed three requests and more
        llm.hang(seconds=0.6, times=None, path="embeddings")
        b.retrieve(QUESTION)
        # The question's own request took more than half the timeout: no chunk was
        # embedded, and no other request was made.
        assert len(llm.requests_for("embeddings")) == 1
        assert llm.embedded_inputs == 1
        assert missing_vectors(b) == total

        llm.reset()
        b.retrieve(QUESTION)
        assert llm.embedded_inputs == 1 + QUESTION_BATCH
        assert missing_vectors(b) == total - QUESTION_BATCH
        b.retrieve(QUESTION)
        assert missing_vectors(b) == total - 2 * QUESTION_BATCH


# --------------------------------------------------------------------------- the cache


@pytest.mark.parametrize("writer", ["same process", "another process"])
def test_an_article_replaced_by_as_many_chunks_is_searched_with_its_new_vectors(
    database_url: str, tmp_path: Path, llm: OpenAIStandIn, writer: str
) -> None:
    settings = dense_settings(database_url, tmp_path, llm.base_url)
    note = tmp_path / "note.txt"
    note.write_text("Harbour note\n\nThe harbour authority approved a new pier.\n", "utf-8")
    with ExitStack() as stack:
        reader = stack.enter_context(Briefing.open(settings))
        other = reader if writer == "same process" else stack.enter_context(Briefing.open(settings))
        assert reader.ingest([note]).added == 1
        reader.retrieve("harbour pier")  # the matrix is now in memory
        note.write_text("Harbour note\n\nThe volcano observatory raised the alert.\n", "utf-8")
        assert other.ingest([note]).updated == 1
        assert reader.embedder is not None
        with reader.db.session() as session:
            hits = reader.embedder.search(session, "volcano observatory alert", 3)
            new = session.scalars(
                select(Chunk.id).join(Article).where(Article.title == "Harbour note")
            ).all()
        assert len(new) == 1
        assert hits[0][0] == new[0]
        assert hits[0][1] > 0.5


def test_a_slow_embeddings_request_does_not_hold_the_database(
    database_url: str, tmp_path: Path, server: OpenAIStandIn, fake_time: FakeTime
) -> None:
    article = tmp_path / "slow.txt"
    article.write_text("Slow article\n\nA sentence about the memorandum and asylum.", "utf-8")
    # The request hangs until it is let go below (the client would wait a minute).
    settings = dense_settings(database_url, tmp_path, server.base_url, timeout=60)
    with Briefing.open(settings, timing=fake_time.timing) as dense:
        server.clear()  # forget the bundled corpus's requests
        server.hang(seconds=60, times=1, path="embeddings")
        ingest = threading.Thread(target=dense.ingest, args=([article],))
        ingest.start()
        try:
            server.wait_for("embeddings", timeout=10)  # the article committed, vectors pending
            # A write from elsewhere goes through while the request still hangs (one held
            # by the ingest would block until the request ended, or for ever).
            claimed: list[bool] = []
            writer = threading.Thread(
                target=lambda: claimed.append(Deliveries(dense.db).claim("event:while-embedding"))
            )
            writer.start()
            writer.join(timeout=10)
            assert claimed == [True]
            assert ingest.is_alive() and len(server.requests_for("embeddings")) == 1
        finally:
            server.cancel_pauses()  # the hung request is dropped; its retry is answered
            ingest.join(timeout=30)
        assert len(server.requests_for("embeddings")) == 2
