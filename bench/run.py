"""Run every benchmark and print the Markdown tables; the figures also go to a JSON file.

    python -m bench.run [--sizes 1000,10000,100000] [--backends sqlite,postgresql]
                        [--queries 200] [--out bench/results/latest.json] [--quick]

PostgreSQL needs a server: ``--pg-url`` or ``BRIEFBOT_BENCH_DATABASE_URL`` (falling back to
``BRIEFBOT_TEST_DATABASE_URL``). Each run uses a new schema and drops it afterwards. When no
server is configured and ``--backends`` was not given, PostgreSQL is skipped with a note.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import pickle
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import ours, peers, quality, report
from bench.corpus import build_corpora
from bench.workers import in_fresh_process
from bot.config import Settings, normalise_database_url
from bot.core.ingest import ArticleStore
from bot.core.tokens import counter_for

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.json"
SEED = 20190327
UNKNOWN_SHARE = 0.1


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="target chunk counts")
    parser.add_argument("--backends", default=None, help="sqlite,postgresql (default: both)")
    parser.add_argument("--queries", type=int, default=200, help="questions per size")
    parser.add_argument(
        "--rank-bm25-queries",
        type=int,
        default=50,
        help="at most this many rank_bm25 questions above 10k chunks (it scans every chunk)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    parser.add_argument("--pg-url", default=None, help="PostgreSQL server URL")
    parser.add_argument("--no-quality", action="store_true", help="skip the recall@5 benchmark")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: 1k chunks, 30 questions, seconds; writes results/quick.json",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.queries = "1000", min(args.queries, 30)
        if args.out == DEFAULT_OUT:  # a smoke run never replaces the full run's results
            args.out = DEFAULT_OUT.with_name("quick.json")
    return args


def resolve_backends(requested: str | None, pg_url: str | None) -> list[str]:
    if requested is None:
        if pg_url:
            return ["sqlite", "postgresql"]
        log("no PostgreSQL server configured (--pg-url): benchmarking SQLite only")
        return ["sqlite"]
    backends = [b.strip() for b in requested.split(",") if b.strip()]
    unknown = set(backends) - set(report.BACKEND_NAMES)
    if unknown:
        raise SystemExit(f"unknown backend(s): {', '.join(sorted(unknown))}")
    if "postgresql" in backends and not pg_url:
        raise SystemExit("PostgreSQL needs --pg-url or BRIEFBOT_BENCH_DATABASE_URL")
    return backends


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def postgres_version(pg_url: str) -> str | None:
    from sqlalchemy import create_engine, text

    engine = create_engine(normalise_database_url(pg_url))
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar_one()).split()[0]
    finally:
        engine.dispose()


def metadata(backends: list[str], pg_url: str | None, args: argparse.Namespace) -> dict[str, Any]:
    return {
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version(pg_url) if pg_url and "postgresql" in backends else None,
        "bm25s": importlib.metadata.version("bm25s"),
        "rank_bm25": importlib.metadata.version("rank-bm25"),
        "backends": backends,
        "queries": args.queries,
        "unknown_share": UNKNOWN_SHARE,
        "seed": SEED,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def bench_size(
    target: int,
    corpus: Any,
    backends: list[str],
    args: argparse.Namespace,
    pg_url: str | None,
    workdir: Path,
) -> dict[str, Any]:
    """Every system on one corpus, each in its own process."""
    articles_path = workdir / f"articles-{target}.pickle"
    chunks_path = workdir / f"chunks-{target}.pickle"
    articles_path.write_bytes(pickle.dumps(corpus.articles))
    chunks_path.write_bytes(pickle.dumps(corpus.chunk_texts))
    result: dict[str, Any] = {
        "target": target,
        "chunks": corpus.chunks,
        "articles": len(corpus.articles),
        "queries": len(corpus.queries),
        "ours": {},
        "peers": {},
    }
    for backend in backends:
        log(f"{corpus.chunks:,} chunks: briefbot on {backend}")
        task = ours.OursTask(
            backend,
            articles_path,
            corpus.queries,
            corpus.chunks,
            warmup=corpus.warmup,
            pg_url=pg_url,
            cache_dir=workdir,
        )
        result["ours"][backend] = in_fresh_process(ours.run, task)
    rank_queries = corpus.queries
    if corpus.chunks > 10_000:
        rank_queries = corpus.queries[: args.rank_bm25_queries]
    for peer, queries in (("bm25s", corpus.queries), ("rank_bm25", rank_queries)):
        log(f"{corpus.chunks:,} chunks: {peer}")
        result["peers"][peer] = in_fresh_process(
            peers.run, peers.PeerTask(peer, chunks_path, queries, corpus.warmup)
        )
    articles_path.unlink()
    chunks_path.unlink()
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pg_url = (
        args.pg_url
        or os.environ.get("BRIEFBOT_BENCH_DATABASE_URL")
        or os.environ.get("BRIEFBOT_TEST_DATABASE_URL")
        or None
    )
    backends = resolve_backends(args.backends, pg_url)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    results: dict[str, Any] = {
        "meta": metadata(backends, pg_url, args),
        "sizes": [],
        "quality": [],
        "targets": [],
    }
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as tmp:
        workdir = Path(tmp)
        defaults = Settings.isolated(data_dir=workdir)
        store = ArticleStore(
            counter_for(defaults.tokenizer, workdir),
            defaults.chunk_tokens,
            defaults.chunk_overlap_tokens,
        )
        log(f"generating corpora for {', '.join(f'{s:,}' for s in sizes)} chunks")
        for target, corpus in build_corpora(sizes, store, args.queries, SEED):
            results["sizes"].append(bench_size(target, corpus, backends, args, pg_url, workdir))
        if not args.no_quality:
            for backend in backends:
                log(f"recall@5 on {backend}")
                results["quality"].append(in_fresh_process(_quality, (backend, pg_url, workdir)))
    results["targets"] = report.targets(results["sizes"], results["quality"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(report.markdown(results))
    log(f"results written to {args.out}")
    return 0


def _quality(task: tuple[str, str | None, Path]) -> dict[str, Any]:
    backend, pg_url, cache_dir = task
    return quality.run(backend, pg_url, cache_dir)


if __name__ == "__main__":
    sys.exit(main())
