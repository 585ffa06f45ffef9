"""The peers, bm25s and rank_bm25, on the same chunk texts and queries as briefbot.

* bm25s uses its own tokenizer with its English stop words (``stopwords="en"``).
* rank_bm25 gets a plain lower-case word split with the same stop words removed.

Build time covers tokenizing the chunks and building the index; a query's time covers
tokenizing the question and ranking the top five.
"""

from __future__ import annotations

import pickle
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.measure import Latency, PeakMemory, time_each

TOP_K = 5
_WORD = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class PeerTask:
    peer: str  # "bm25s" or "rank_bm25"
    chunks_path: Path
    queries: list[str]
    warmup: list[str] = field(default_factory=list)  # run first, untimed, not among queries


def english_stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def simple_tokens(text: str, stopwords: frozenset[str]) -> list[str]:
    """Lower-case words of two or more characters, stop words removed."""
    return [w for w in _WORD.findall(text.lower()) if w not in stopwords]


class Bm25sIndex:
    """bm25s with its default (Lucene) BM25 and its own tokenizer."""

    def __init__(self, texts: Sequence[str], stemmer: Any = None) -> None:
        import bm25s

        self._bm25s = bm25s
        self.stemmer = stemmer
        tokens = bm25s.tokenize(list(texts), stopwords="en", stemmer=stemmer, show_progress=False)
        self.retriever = bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)

    def top(self, query: str, k: int = TOP_K) -> list[int]:
        """Indexes of the best ``k`` chunks that match at all (score above zero)."""
        tokens = self._bm25s.tokenize(
            [query],
            stopwords="en",
            stemmer=self.stemmer,
            return_ids=False,
            show_progress=False,
        )
        docs, scores = self.retriever.retrieve(tokens, k=k, show_progress=False)
        return [int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


class RankBm25Index:
    """rank_bm25's BM25Okapi; every query scores every chunk in Python."""

    def __init__(self, texts: Sequence[str]) -> None:
        from rank_bm25 import BM25Okapi

        self.stopwords = english_stopwords()
        self.ids = list(range(len(texts)))
        self.bm25 = BM25Okapi([simple_tokens(t, self.stopwords) for t in texts])

    def top(self, query: str, k: int = TOP_K) -> list[int]:
        tokens = simple_tokens(query, self.stopwords)
        return [int(i) for i in self.bm25.get_top_n(tokens, self.ids, n=k)]


def build(peer: str, texts: Sequence[str]) -> Bm25sIndex | RankBm25Index:
    if peer == "bm25s":
        return Bm25sIndex(texts)
    if peer == "rank_bm25":
        return RankBm25Index(texts)
    raise ValueError(f"unknown peer {peer!r}")


def run(task: PeerTask) -> dict[str, Any]:
    """Build the peer's index over the chunks, then time each query."""
    texts: list[str] = pickle.loads(task.chunks_path.read_bytes())  # noqa: S301 (bench.run wrote it)
    # Import the library and load its stop words before the clock starts, as briefbot's
    # tokenizer is loaded before its own: a build is timed, not a Python import.
    import bm25s  # noqa: F401
    import rank_bm25  # noqa: F401

    english_stopwords()
    memory = PeakMemory()
    memory.start()
    started = time.perf_counter()
    index = build(task.peer, texts)
    seconds = time.perf_counter() - started
    build_mb = memory.peak_mb()
    top: Callable[[str], list[int]] = index.top
    for question in task.warmup:
        top(question)
    memory.start()
    times = time_each(task.queries, top)
    return {
        "chunks": len(texts),
        "build_seconds": round(seconds, 3),
        "chunks_per_second": round(len(texts) / seconds, 1),
        "build_peak_rss_mb": build_mb,
        "query": Latency.of(times).as_dict(),
        "query_peak_rss_mb": memory.peak_mb(),
    }
