"""Optional dense retrieval through the OpenAI-compatible embeddings stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.briefing import Briefing
from bot.core.retrieve import fuse
from conftest import EVALS, make_settings
from standins import OpenAIStandIn


@pytest.fixture
def server(llm: OpenAIStandIn) -> OpenAIStandIn:
    return llm


@pytest.fixture
def dense(database_url: str, tmp_path: Path, server: OpenAIStandIn) -> Iterator[Briefing]:
    settings = make_settings(
        database_url,
        tmp_path,
        openai_base_url=server.base_url,
        embedding_model="test-embed",
        llm_timeout=2,
    )
    with Briefing.open(settings) as b:
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
    assert any(v.dense is not None for v in retrieval.articles)


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


def test_fusion_of_one_ranking_keeps_its_order() -> None:
    assert [cid for cid, _ in fuse([[5, 3, 9]])] == [5, 3, 9]
