"""The README's example digest: the bundled corpus and evals/articles, as posted.

Everything is ingested into a fresh SQLite database on Friday 29 March 2019 (time is
frozen with time-machine, so the undated articles, filed by their ingestion time, fall in
that week, like the coalition statement dated that day; the analyst's article of 4 April
and the two fixtures from 2021 and 2023 belong to other weeks). A few questions are asked
that week, and the digest of 2019-W13 is printed in its text form, exactly as ``briefbot
digest --week 2019-W13`` prints it.

    python -m bench.digest_example
"""

from __future__ import annotations

import functools
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.files import discover
from bot.core.ingest import ingest_parsed
from bot.core.parse import ParsedArticle, parse_file
from bot.core.period import iso_week

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "What does the memorandum commit the countries to?",
    "What does the agreement commit the countries to?",
    "Who criticised the deal?",
    "What do critics say about the memorandum?",
    "What does the memorandum commit the countries to?",
    "What is the population of El Salvador?",
    "Who won the 2018 World Cup?",
    "Who won the 2018 world cup",
]


def _same(article: ParsedArticle) -> ParsedArticle:
    return article


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="briefbot-example-") as tmp:
        settings = Settings.isolated(
            database_url=f"sqlite:///{Path(tmp) / 'example.db'}",
            data_dir=Path(tmp) / "data",
            corpus_dir=REPO / "corpus",
        )
        # Parsed first, at today's date: page metadata dated after a frozen "today" would
        # be thrown away as a date in the future.
        files, _ = discover([REPO / "corpus", REPO / "evals" / "articles"])
        parsed = [parse_file(f, 10_000_000) for f in files]
        friday = datetime(2019, 3, 29, 9, tzinfo=UTC)
        with (
            time_machine.travel(friday, tick=False) as traveller,
            Briefing.open(settings, bootstrap=False) as b,
        ):
            items = [(a.origin, functools.partial(_same, a)) for a in parsed]
            ingest_parsed(b.db, b.store, items)
            for question in QUESTIONS:
                traveller.shift(timedelta(minutes=7))
                b.ask(question)
            print(b.digests.digest(iso_week("2019-W13", "UTC")).text, end="")


if __name__ == "__main__":
    main()
