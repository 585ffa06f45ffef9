"""How long `briefbot digest` takes for a week of new articles, beside a summariser peer.

A fresh database gets ``--articles`` generated articles (bench.corpus: 5-9 paragraphs of
news-like text each) published within one week, 2019-W13, and ``--questions`` logged
questions in that week. Then, on each backend:

* *command*: ``briefbot digest --week 2019-W13`` as a process, wall time from start to
  exit (Python start-up, imports and opening the database included), extractive and with
  the LLM stand-in (``tests/standins``: an OpenAI-compatible server on 127.0.0.1 that
  streams each reply in pieces, ``--llm-delay`` seconds apart; every summary is one call);
* *build*: ``Briefing.digest`` in this process, the digest alone (loading and writing),
  the tokenizer loaded beforehand.

The peer is summa's TextRank (``summa.summarizer.summarize(text, words=50)``) summarising
the same article texts, in this process: the summarising step alone, with no database,
no citations, and none of the digest's other sections. It is the closest library that
does what the digest's "New this week" does extractively.

    python -m bench.digest [--articles 200] [--questions 300] [--runs 3]
    BRIEFBOT_TEST_DATABASE_URL=postgresql://... python -m bench.digest   # PostgreSQL too
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from bench.corpus import ArticleGenerator  # noqa: E402
from bench.databases import fresh_database  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.core.briefing import Briefing  # noqa: E402
from bot.core.ingest import ingest_parsed  # noqa: E402
from bot.core.parse import ParsedArticle  # noqa: E402
from bot.core.period import iso_week  # noqa: E402
from standins import OpenAIStandIn  # noqa: E402
from storage import exchanges  # noqa: E402

WEEK = "2019-W13"
MONDAY = date(2019, 3, 25)


def articles(count: int) -> list[ParsedArticle]:
    made = []
    for n, article in zip(range(count), ArticleGenerator(seed=20190325), strict=False):
        made.append(
            ParsedArticle(
                origin=article.origin,
                title=article.title,
                text=article.text,
                format=article.format,
                source="Bench Wire",
                published=MONDAY + timedelta(days=n % 7),
            )
        )
    return made


def _same(article: ParsedArticle) -> ParsedArticle:
    return article


def fill(briefing: Briefing, made: list[ParsedArticle], questions: int) -> None:
    summary = ingest_parsed(
        briefing.db, briefing.store, [(a.origin, functools.partial(_same, a)) for a in made]
    )
    if summary.failed:
        raise RuntimeError(f"ingest failed: {summary.failed[:3]}")
    asked = [
        "What does the memorandum commit the countries to?",
        "what does the pact commit the countries to",
        "Who criticised the deal?",
        "How many migrants crossed the border in 2019?",
    ]
    start = datetime(2019, 3, 25, 8, tzinfo=UTC)
    with briefing.db.session() as s:
        for n in range(questions):
            record = exchanges.ExchangeRecord(
                surface="mention",
                question=f"{asked[n % len(asked)]}",
                answered=n % 4 != 3,
                feedback=(1, -1, None)[n % 3],
                created_at=start + timedelta(minutes=31 * n),
            )
            exchanges.record_exchange(session=s, exchange=record)


def reply(body: dict[str, Any]) -> str:
    """A well-behaved model: the first sentence of source 1, cited."""
    user = body["messages"][-1]["content"]
    text = user.split('<source id="1">', 1)[-1].split("\n", 2)[-1]
    first = text.split(". ", 1)[0].split("\n", 1)[0].rstrip(".")
    if "What each side says" in body["messages"][0]["content"]:
        return "Critics:\n- Bench Wire: " + first + " [1]."
    return f"{first} [1]."


def command_seconds(env: dict[str, str], runs: int) -> float:
    script = Path(sys.executable).parent / "briefbot"
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(
            [str(script), "digest", "--week", WEEK],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
    return statistics.median(times)


def build_seconds(settings: Settings, runs: int) -> tuple[float, str]:
    times = []
    mode = ""
    with Briefing.open(settings, bootstrap=False) as briefing:
        briefing.counter.count("warm")
        for _ in range(runs):
            briefing.digests.forget_written()  # written afresh each time
            started = time.perf_counter()
            digest = briefing.digests.digest(iso_week(WEEK, "UTC"))
            times.append(time.perf_counter() - started)
            mode = f"{digest.mode}, {len(digest.articles)} articles"
    return statistics.median(times), mode


def peer_seconds(made: list[ParsedArticle], runs: int) -> float:
    from summa.summarizer import summarize

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for a in made:
            summarize(a.text, words=50)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--llm-delay", type=float, default=0.01)
    args = parser.parse_args()
    pg_url = os.environ.get("BRIEFBOT_TEST_DATABASE_URL", "").strip() or None
    backends = ["sqlite", "postgresql"] if pg_url else ["sqlite"]
    made = articles(args.articles)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as tmp, OpenAIStandIn() as llm:
        llm.reply_with(reply)
        llm.stream_delay(args.llm_delay)
        workdir = Path(tmp)
        (workdir / "corpus").mkdir()
        for backend in backends:
            with fresh_database(backend, workdir, pg_url) as url:
                base = {
                    "database_url": url,
                    "data_dir": workdir / "data",
                    "corpus_dir": workdir / "corpus",
                }
                plain = Settings.isolated(**base)
                with Briefing.open(plain, bootstrap=False) as briefing:
                    fill(briefing, made, args.questions)
                llm_values = {
                    "openai_base_url": llm.base_url,
                    "openai_api_key": "sk-bench",
                    "model": "gpt-4o-mini",
                }
                smart = Settings.isolated(**base, **llm_values)
                env = {
                    "DATABASE_URL": url,
                    "BRIEFBOT_DATA_DIR": str(workdir / "data"),
                    "BRIEFBOT_CORPUS_DIR": str(workdir / "corpus"),
                }
                llm_env = {
                    **env,
                    "OPENAI_BASE_URL": llm.base_url,
                    "OPENAI_API_KEY": "sk-bench",
                    "BRIEFBOT_MODEL": "gpt-4o-mini",
                }
                seconds, mode = build_seconds(plain, args.runs)
                rows.append(
                    (f"briefbot · {backend}", "build, extractive", f"{seconds:.2f} s ({mode})")
                )
                rows.append(
                    (
                        f"briefbot · {backend}",
                        "`briefbot digest`, extractive",
                        f"{command_seconds(env, args.runs):.2f} s",
                    )
                )
                llm.clear()
                seconds, mode = build_seconds(smart, args.runs)
                calls = len(llm.requests_for("chat")) // args.runs
                rows.append(
                    (
                        f"briefbot · {backend}",
                        "build, LLM stand-in",
                        f"{seconds:.2f} s ({mode}; {calls} model calls)",
                    )
                )
                rows.append(
                    (
                        f"briefbot · {backend}",
                        "`briefbot digest`, LLM stand-in",
                        f"{command_seconds(llm_env, args.runs):.2f} s",
                    )
                )
    rows.append(
        (
            "summa TextRank (peer)",
            "summaries only, 50 words each",
            f"{peer_seconds(made, args.runs):.2f} s",
        )
    )
    words = sum(len(a.text.split()) for a in made)
    print(
        f"{args.articles} articles ({words:,} words) published in {WEEK}, {args.questions} "
        f"questions logged; median of {args.runs} runs; LLM stand-in streams with "
        f"{args.llm_delay * 1000:.0f} ms between pieces\n"
    )
    print("| system | what is timed | time |")
    print("| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
