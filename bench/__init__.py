"""Benchmarks for the briefing engine: ingest throughput, answer latency, memory and
retrieval quality, with bm25s and rank_bm25 measured on the same chunks in the same run.

Run ``python -m bench.run --help``.
"""
