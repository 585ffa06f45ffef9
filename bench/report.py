"""Markdown tables (for the README) and target checks from the JSON results."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

INGEST_TARGET = 5_000.0  # chunks per second, on each database
P95_TARGET_MS = 50.0  # answer latency at the largest size, SQLite
P95_TARGET_CHUNKS = 100_000

BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _int(value: float) -> str:
    return f"{value:,.0f}"


def _ms(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _latency(figures: dict[str, Any] | None, note: str = "") -> str:
    if figures is None:
        return "–"
    return f"{_ms(figures['p50_ms'])} / {_ms(figures['p95_ms'])}{note}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


PEERS = ("bm25s", "rank_bm25")


def _per_system_table(
    sizes: list[dict[str, Any]],
    backends: list[str],
    ours_cell: Callable[[dict[str, Any]], str],
    peer_cell: Callable[[dict[str, Any]], str],
    client_note: bool = False,
) -> str:
    """One row per size: briefbot on each backend, then each peer."""
    header = ["Chunks"]
    header += [
        f"briefbot · {BACKEND_NAMES[b]}"
        + (" (client)" if client_note and b == "postgresql" else "")
        for b in backends
    ]
    header += list(PEERS)
    rows = [
        [
            _int(size["chunks"]),
            *(ours_cell(size["ours"][b]) for b in backends),
            *(peer_cell(size["peers"][p]) for p in PEERS),
        ]
        for size in sizes
    ]
    return _table(header, rows)


def ingest_table(sizes: list[dict[str, Any]], backends: list[str]) -> str:
    return _per_system_table(
        sizes,
        backends,
        lambda ours: f"{_int(ours['chunks_per_second'])} ({ours['ingest_seconds']:.1f} s)",
        lambda peer: f"{_int(peer['chunks_per_second'])} ({peer['build_seconds']:.1f} s)",
    )


def latency_table(sizes: list[dict[str, Any]], backends: list[str]) -> str:
    header = ["Chunks", "Queries"]
    for b in backends:
        header += [f"briefbot · {BACKEND_NAMES[b]} answer", "… retrieve only"]
    header += ["bm25s top-5", "rank_bm25 top-5"]
    rows = []
    for size in sizes:
        cells = [_int(size["chunks"]), str(size["queries"])]
        for b in backends:
            ours = size["ours"][b]
            cells += [_latency(ours["answer"]), _latency(ours["retrieve"])]
        cells.append(_latency(size["peers"]["bm25s"]["query"]))
        rank = size["peers"]["rank_bm25"]["query"]
        capped = rank["queries"] < size["queries"]
        cells.append(_latency(rank, f" ({rank['queries']} q)" if capped else ""))
        rows.append(cells)
    return _table(header, rows)


def memory_table(sizes: list[dict[str, Any]], backends: list[str]) -> str:
    return _per_system_table(
        sizes,
        backends,
        lambda ours: f"{ours['ingest_peak_rss_mb']:.0f} / {ours['query_peak_rss_mb']:.0f}",
        lambda peer: f"{peer['build_peak_rss_mb']:.0f} / {peer['query_peak_rss_mb']:.0f}",
        client_note=True,
    )


def quality_table(quality: list[dict[str, Any]]) -> str:
    header = [
        "Backend",
        "Chunks",
        "briefbot recall@5",
        "bm25s recall@5",
        "bm25s, 5 articles",
        "bm25s + stemmer",
        "rank_bm25",
        "briefbot correct refusals",
    ]
    rows = [
        [
            BACKEND_NAMES[q["backend"]],
            str(q["chunks"]),
            f"{q['ours_recall_at_5']:.3f}",
            f"{q['bm25s_recall_at_5']:.3f}",
            f"{q['bm25s_distinct_recall_at_5']:.3f}",
            f"{q['bm25s_stemmed_recall_at_5']:.3f}",
            f"{q['rank_bm25_recall_at_5']:.3f}",
            f"{q['ours_correct_refusals']:.3f} (of {q['out_of_scope']})",
        ]
        for q in quality
    ]
    return _table(header, rows)


def targets(sizes: list[dict[str, Any]], quality: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target with the measured figure and whether it is met."""
    out: list[dict[str, Any]] = []
    for backend, name in BACKEND_NAMES.items():
        measured = [s for s in sizes if backend in s["ours"]]
        if not measured:
            continue
        slowest = min(measured, key=lambda s: s["ours"][backend]["chunks_per_second"])
        rate = slowest["ours"][backend]["chunks_per_second"]
        out.append(
            {
                "target": f"ingest ≥ {_int(INGEST_TARGET)} chunks/s on {name} (every size)",
                "measured": f"{_int(rate)} chunks/s (slowest, at {_int(slowest['chunks'])})",
                "met": rate >= INGEST_TARGET,
            }
        )
    largest = [s for s in sizes if "sqlite" in s["ours"] and s["target"] >= P95_TARGET_CHUNKS]
    if largest:
        p95 = largest[-1]["ours"]["sqlite"]["answer"]["p95_ms"]
        out.append(
            {
                "target": f"answer p95 ≤ {P95_TARGET_MS:.0f} ms at 100k chunks on SQLite",
                "measured": f"{_ms(p95)} ms at {_int(largest[-1]['chunks'])} chunks",
                "met": p95 <= P95_TARGET_MS,
            }
        )
    for q in quality:
        # Against bm25s's better reading: its top five chunks, or its first five articles.
        peer = max(q["bm25s_recall_at_5"], q["bm25s_distinct_recall_at_5"])
        out.append(
            {
                "target": f"recall@5 ≥ bm25s's, best reading ({BACKEND_NAMES[q['backend']]})",
                "measured": f"{q['ours_recall_at_5']:.3f} vs {peer:.3f}",
                "met": q["ours_recall_at_5"] >= peer,
            }
        )
    return out


def targets_table(checks: list[dict[str, Any]]) -> str:
    rows = [[c["target"], c["measured"], "yes" if c["met"] else "**no**"] for c in checks]
    return _table(["Target", "Measured", "Met"], rows)


def markdown(results: dict[str, Any]) -> str:
    """Every table, with the notes a reader needs to interpret them."""
    sizes = results["sizes"]
    backends = results["meta"]["backends"]
    meta = results["meta"]
    parts = [
        f"Machine: {meta['machine']}; Python {meta['python']}; SQLite {meta['sqlite']}"
        + (f"; PostgreSQL {meta['postgresql']}" if meta.get("postgresql") else "")
        + f"; bm25s {meta['bm25s']}; rank_bm25 {meta['rank_bm25']}.",
    ]
    if sizes:
        parts += [
            "**Ingest / index build, chunks per second (seconds).** briefbot: chunking, token "
            "counting, inserts and full-text indexing, one transaction per article. Peers: "
            "tokenizing and building an in-memory index.",
            ingest_table(sizes, backends),
            "**Query latency, p50 / p95 ms.** briefbot *answer*: retrieval, relevance gate "
            "and extractive answer (`Briefing.answer_unlogged`); *retrieve only*: "
            "`Briefing.retrieve`. Peers: tokenize the question and rank the top five. "
            f"About {meta['unknown_share']:.0%} of the questions use only unknown words.",
            latency_table(sizes, backends),
            "**Peak resident memory above the baseline, MB (build / queries).** Each system "
            "runs in its own process; PostgreSQL's server memory is not included.",
            memory_table(sizes, backends),
        ]
    if results["quality"]:
        parts += [
            "**Retrieval quality** on `evals/questions.jsonl` over `corpus/` + "
            "`evals/articles/` (the same chunks for every system; recall@5 over the in-scope "
            "questions; briefbot's refused questions count as misses).",
            quality_table(results["quality"]),
        ]
    if results["targets"]:
        parts += ["**Targets**", targets_table(results["targets"])]
    return "\n\n".join(parts) + "\n"
