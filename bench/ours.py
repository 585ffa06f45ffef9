"""briefbot itself: ingest throughput and answer latency over a fresh database.

Runs in its own process (see :mod:`bench.workers`) so its peak memory is its own.
"""

from __future__ import annotations

import functools
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.databases import fresh_database
from bench.measure import Latency, PeakMemory, time_each
from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.ingest import ingest_parsed
from bot.core.parse import ParsedArticle


@dataclass(frozen=True)
class OursTask:
    backend: str
    articles_path: Path
    queries: list[str]
    expected_chunks: int
    warmup: list[str] = field(default_factory=list)  # run first, untimed, not among queries
    pg_url: str | None = None
    cache_dir: Path | None = None  # where the tokenizer's BPE file is kept between runs


def _same(article: ParsedArticle) -> ParsedArticle:
    return article


def ingest(briefing: Briefing, articles: list[ParsedArticle]) -> tuple[int, float]:
    """Ingest in-memory articles; return (chunks written, seconds)."""
    items = [(a.origin, functools.partial(_same, a)) for a in articles]
    started = time.perf_counter()
    summary = ingest_parsed(briefing.db, briefing.store, items)
    seconds = time.perf_counter() - started
    if summary.failed:
        raise RuntimeError(f"ingest failed: {summary.failed[:3]}")
    return summary.chunks, seconds


def run(task: OursTask) -> dict[str, Any]:
    """Ingest the articles into an empty database, then time answers and retrievals."""
    # Our own file, written by bench.run in its private temporary folder.
    articles: list[ParsedArticle] = pickle.loads(task.articles_path.read_bytes())  # noqa: S301
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "corpus").mkdir()
        with fresh_database(task.backend, workdir, task.pg_url) as url:
            settings = Settings.isolated(
                database_url=url,
                data_dir=task.cache_dir or workdir / "data",
                corpus_dir=workdir / "corpus",
            )
            with Briefing.open(settings, bootstrap=False) as briefing:
                briefing.counter.count("warm")  # load the tokenizer outside the timing
                memory = PeakMemory()
                memory.start()
                chunks, seconds = ingest(briefing, articles)
                ingest_mb = memory.peak_mb()
                if chunks != task.expected_chunks:
                    raise RuntimeError(f"wrote {chunks} chunks, expected {task.expected_chunks}")
                settle(briefing)
                return {
                    "chunks": chunks,
                    "articles": len(articles),
                    "ingest_seconds": round(seconds, 3),
                    "chunks_per_second": round(chunks / seconds, 1),
                    "ingest_peak_rss_mb": ingest_mb,
                    **query_figures(briefing, task, memory),
                }


def settle(briefing: Briefing) -> None:
    """On PostgreSQL, VACUUM ANALYZE the new rows, as autovacuum soon would after a bulk
    load (the benchmark server runs with autovacuum off, and the planner needs the
    statistics and the visibility map). Not part of the ingest timing. SQLite needs
    nothing: FTS5 keeps its own statistics."""
    if briefing.db.dialect != "postgresql":
        return
    with briefing.db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("article", "chunk"):
            conn.execute(text(f"VACUUM ANALYZE {table}"))


def query_figures(briefing: Briefing, task: OursTask, memory: PeakMemory) -> dict[str, Any]:
    """Answer (retrieval + extractive answer, unlogged) and retrieval-only latencies."""
    for question in task.warmup:
        briefing.answer_unlogged(question)
    answered = 0

    def answer(question: str) -> None:
        nonlocal answered
        result, _ = briefing.answer_unlogged(question)
        answered += result.answered

    memory.start()
    answer_times = time_each(task.queries, answer)
    retrieve_times = time_each(task.queries, briefing.retrieve)
    return {
        "answer": Latency.of(answer_times).as_dict(),
        "retrieve": Latency.of(retrieve_times).as_dict(),
        "answered": answered,
        "query_peak_rss_mb": memory.peak_mb(),
    }
