"""Storage: URLs, migrations, SQLite concurrency settings, the search index staying in step."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.config import Settings, normalise_database_url
from bot.core.briefing import Briefing
from conftest import make_settings, settings_env
from storage import migrate
from storage.db import Database, DatabaseUnavailable, redacted


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_are_normalised(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected
    assert Settings.isolated(database_url=given).resolved_database_url == expected


def test_default_database_is_a_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings.isolated(data_dir=tmp_path / "d")
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'd' / 'briefbot.db'}"


def test_passwords_are_redacted() -> None:
    assert "hunter2" not in redacted("postgresql://me:hunter2@db.example/x")


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(DatabaseUnavailable, match="supports SQLite and PostgreSQL"):
        Database.connect("mysql://root@127.0.0.1/test")


def test_migrations_run_up_and_down(empty_database_url: str) -> None:
    db = Database.connect(empty_database_url, migrate=False)
    try:
        assert migrate.current(db.engine) is None
        assert db.upgrade() is True
        assert migrate.current(db.engine) == migrate.head()
        assert db.upgrade() is False
        tables = set(inspect(db.engine).get_table_names())
        assert {"article", "chunk", "chunk_embedding", "exchange", "slack_event_claim"} <= tables
        migrate.downgrade(db.engine, "base")
        assert "article" not in set(inspect(db.engine).get_table_names())
        migrate.upgrade(db.engine)
        assert migrate.is_current(db.engine)
    finally:
        db.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    db = Database.connect(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        db.dispose()


def test_search_index_follows_deletes(briefing: Briefing) -> None:
    from sqlalchemy import delete

    from storage.models import Article, Chunk

    assert briefing.quote("non-binding commitment")
    with briefing.db.session() as s:
        s.execute(delete(Chunk))
        s.execute(delete(Article))
    with briefing.db.session() as s:
        assert briefing.db.search.chunk_count(s) == 0
        from storage.search import LexicalQuery

        assert briefing.db.search.search(s, LexicalQuery(("binding",)), 5) == []


def test_two_processes_ingest_into_one_database_at_once(database_url: str, tmp_path: Path) -> None:
    """WAL + busy timeout on SQLite, ordinary locking on PostgreSQL: both writers finish,
    and the article they both tried to add is stored once."""
    folders = []
    for n in range(2):
        folder = tmp_path / f"batch{n}"
        folder.mkdir()
        for i in range(15):
            (folder / f"a{i}.txt").write_text(
                f"Batch {n} article {i}\n\nSentence about memorandum number {n}-{i}. " * 3, "utf-8"
            )
        (folder / "shared.txt").write_text("Shared\n\nBoth processes ingest this text.", "utf-8")
        folders.append(folder)
    env = settings_env(make_settings(database_url, tmp_path))
    script = Path(sys.executable).parent / "briefbot"
    procs = [
        subprocess.Popen(
            [str(script), "ingest", "--json", str(folder)],
            env={**env, "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    summaries = [json.loads(out) for out, _ in results]
    assert sum(s["added"] for s in summaries) == 31
    assert sum(s["unchanged"] for s in summaries) == 1
    with Briefing.open(make_settings(database_url, tmp_path)) as b:
        titles = [s.title for s in b.sources()]
    assert titles.count("Shared") == 1
    assert len(titles) == 32  # 31 + the seed
