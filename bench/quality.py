"""Retrieval quality on the shipped question set: briefbot's recall@5 next to the peers'.

briefbot ingests ``corpus/`` and ``evals/articles/``; its recall@5 is what ``briefbot eval``
reports (titles of the first five passages after the relevance gate; a refused in-scope
question scores zero). The peers index exactly the chunk texts briefbot stored, each
chunk mapped to its article's title, and are scored by the same rule on their top five.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.databases import fresh_database
from bench.peers import Bm25sIndex, RankBm25Index
from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.evaluate import RECALL_AT, EvalCase, load_cases, run_eval
from bot.resources import bundled_dir

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = REPO / "evals" / "questions.jsonl"
EVAL_ARTICLES = REPO / "evals" / "articles"


def recall(expected: Sequence[str], retrieved: Sequence[str]) -> float:
    """Share of the expected titles among the retrieved ones."""
    if not expected:
        return 1.0
    return sum(1 for t in expected if t in retrieved) / len(expected)


def stored_chunks(briefing: Briefing) -> list[tuple[str, str]]:
    """(chunk text, article title) for every stored chunk, in id order."""
    with briefing.db.session() as session:
        rows = session.execute(
            text(
                "SELECT chunk.text, article.title FROM chunk "
                "JOIN article ON article.id = chunk.article_id ORDER BY chunk.id"
            )
        )
        return [(str(r[0]), str(r[1])) for r in rows]


def peer_recall(
    cases: Sequence[EvalCase],
    top: Callable[[str, int], list[int]],
    titles: Sequence[str],
    distinct: bool = False,
) -> float:
    """Mean recall@5 of a peer over the in-scope cases: the articles of its top five
    chunks, or with ``distinct`` its first five distinct articles (briefbot spreads its
    five passages across articles, so this is the like-for-like comparison)."""
    scores = []
    for case in cases:
        if distinct:
            ranked = list(dict.fromkeys(titles[i] for i in top(case.question, len(titles))))
            retrieved = ranked[:RECALL_AT]
        else:
            retrieved = list(dict.fromkeys(titles[i] for i in top(case.question, RECALL_AT)))
        scores.append(recall(case.expected_titles, retrieved))
    return round(sum(scores) / len(scores), 3)


def run(backend: str, pg_url: str | None, cache_dir: Path | None = None) -> dict[str, Any]:
    """recall@5 of briefbot and the peers on one backend's chunks of the shipped corpus."""
    import snowballstemmer

    cases = load_cases(QUESTIONS)
    in_scope = [c for c in cases if c.in_scope]
    with (
        tempfile.TemporaryDirectory(prefix="briefbot-quality-") as tmp,
        fresh_database(backend, Path(tmp), pg_url) as url,
    ):
        settings = Settings.isolated(
            database_url=url,
            data_dir=cache_dir or Path(tmp) / "data",
            corpus_dir=bundled_dir("corpus"),
        )
        with Briefing.open(settings, bootstrap=True) as briefing:
            summary = briefing.ingest([EVAL_ARTICLES])
            if summary.failed:
                raise RuntimeError(f"could not ingest the eval articles: {summary.failed}")
            report = run_eval(cases, briefing.answer_unlogged)
            chunks = stored_chunks(briefing)
    texts = [t for t, _ in chunks]
    titles = [title for _, title in chunks]
    stemmed = Bm25sIndex(texts, stemmer=snowballstemmer.stemmer("english"))
    return {
        "backend": backend,
        "chunks": len(chunks),
        "in_scope": report.in_scope,
        "out_of_scope": report.out_of_scope,
        "ours_recall_at_5": report.recall_at_5,
        "ours_correct_refusals": report.correct_refusals,
        "ours_false_refusals": report.false_refusals,
        "bm25s_recall_at_5": peer_recall(in_scope, Bm25sIndex(texts).top, titles),
        "bm25s_distinct_recall_at_5": peer_recall(
            in_scope, Bm25sIndex(texts).top, titles, distinct=True
        ),
        "bm25s_stemmed_recall_at_5": peer_recall(in_scope, stemmed.top, titles),
        "rank_bm25_recall_at_5": peer_recall(in_scope, RankBm25Index(texts).top, titles),
    }
