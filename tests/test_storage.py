"""Storage: URLs, migrations, SQLite concurrency settings, the search index staying in step."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Connection, inspect, text

from bot.config import Settings, normalise_database_url
from bot.core.briefing import Briefing
from conftest import make_settings, settings_env
from storage import migrate
from storage.db import Database, DatabaseUnavailable, parse_url, redacted
from storage.search import LexicalQuery


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


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://me:hunter2@db.example/x", "postgresql://me:***@db.example/x"),
        # An @ left unencoded in the password belongs to it; the host follows the last @.
        ("postgresql://me:hun@ter2@db.example/x", "postgresql://me:***@db.example/x"),
        (
            "postgresql://me@db.example/x?password=hunter2",
            "postgresql://me@db.example/x?password=***",
        ),
    ],
)
def test_passwords_are_redacted(url: str, shown: str) -> None:
    assert redacted(url) == shown


def test_a_password_with_an_at_sign_reaches_the_server_whole() -> None:
    parsed = parse_url("postgresql+psycopg://me:hun@ter2@db.example:5433/x")
    assert (parsed.username, parsed.password, parsed.host, parsed.port) == (
        "me",
        "hun@ter2",
        "db.example",
        5433,
    )


@pytest.mark.usefixtures("umask_022")
def test_the_default_database_and_its_folder_are_private(tmp_path: Path) -> None:
    """The SQLite file holds the conversation log: the folders briefbot makes for it are
    its owner's alone (0700), and so are the file and its -wal and -shm files (0600)."""
    settings = Settings.isolated(data_dir=tmp_path / "xdg" / "briefbot")
    db = Database.connect(settings.resolved_database_url)  # left open: -wal and -shm stay
    try:
        with db.session() as s:
            s.execute(text("CREATE TABLE scratch (x INTEGER)"))
        for folder in (tmp_path / "xdg", settings.data_dir):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        files = [settings.data_dir / f"briefbot.db{end}" for end in ("", "-wal", "-shm")]
        files.append(settings.data_dir / "briefbot.migrate.lock")  # beside it, as private
        assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files} == {
            f.name: 0o600 for f in files
        }
    finally:
        db.dispose()


@pytest.mark.usefixtures("umask_022")
def test_a_folder_that_exists_keeps_its_mode(tmp_path: Path) -> None:
    """briefbot makes private what it creates; it does not change the user's folders."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    Database.connect(f"sqlite:///{shared / 'briefbot.db'}", migrate=False).dispose()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "briefbot.db").stat().st_mode) == 0o600


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


@pytest.mark.slow
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


def _fts_is_consistent(db: Database) -> None:
    """FTS5's own check, against the content table (rank 1): every chunk indexed once."""
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO chunk_fts(chunk_fts, rank) VALUES ('integrity-check', 1)"))


def _documents_with(db: Database, word: str) -> int:
    with db.session() as s:
        return db.search.term_stats(s, [word])[1][word]


def test_the_search_index_holds_each_chunk_once(briefing: Briefing, tmp_path: Path) -> None:
    """Chunks are indexed by one statement per article (SQLite) or a generated column
    (PostgreSQL): after adding, replacing and re-ingesting, each chunk is found once."""
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nThe word quetzal appears in one chunk only.", "utf-8")
    briefing.ingest([path])
    briefing.ingest([path])  # unchanged: nothing is written or indexed again
    assert _documents_with(briefing.db, "quetzal") == 1
    path.write_text("Title\n\nNow the word tapir replaces it, once.", "utf-8")
    assert briefing.ingest([path]).updated == 1
    assert _documents_with(briefing.db, "quetzal") == 0
    assert _documents_with(briefing.db, "tapir") == 1
    if briefing.db.dialect == "sqlite":
        _fts_is_consistent(briefing.db)


def _insert_one_chunk_article(conn: Connection, body: str) -> None:
    """An article of one chunk, written as a database of an older revision holds it (by
    SQL: today's ingest code writes today's schema)."""
    conn.execute(
        text(
            "INSERT INTO article (id, origin, title, ingested_at, updated_at, text, "
            "content_hash, format) VALUES (1, 'old', 'Old', '2019-03-27', '2019-03-27', "
            ":body, 'h1', 'txt')"
        ),
        {"body": body},
    )
    conn.execute(
        text(
            "INSERT INTO chunk (article_id, ordinal, text, char_start, char_end, paragraph, "
            "token_count) VALUES (1, 0, :body, 0, :end, 1, 5)"
        ),
        {"body": body, "end": len(body)},
    )


def test_a_database_indexed_by_trigger_upgrades_cleanly(tmp_path: Path) -> None:
    """A SQLite database made at revision 0001 (per-row insert trigger) keeps its index
    through the upgrade, and what is ingested afterwards is indexed once."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database.connect(url, migrate=False)
    try:
        migrate.upgrade(db.engine, "0001")
        with db.engine.begin() as conn:
            _insert_one_chunk_article(conn, "An okapi was seen.")
        assert db.upgrade() is True
        with db.engine.connect() as conn:
            triggers = set(
                conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            )
        assert "chunk_fts_ai" not in triggers and "chunk_fts_ad" in triggers
        assert _documents_with(db, "okapi") == 1
    finally:
        db.dispose()
    with Briefing.open(make_settings(url, tmp_path), bootstrap=False) as b:
        new = tmp_path / "new.txt"
        new.write_text("New\n\nA second okapi, and a tapir.", "utf-8")
        assert b.ingest([new]).added == 1
        assert _documents_with(b.db, "okapi") == 2
        assert _documents_with(b.db, "tapir") == 1
        _fts_is_consistent(b.db)
        migrate.downgrade(b.db.engine, "0001")
        migrate.upgrade(b.db.engine)
        _fts_is_consistent(b.db)


def test_bulk_sessions_relax_commit_durability_only_for_themselves(briefing: Briefing) -> None:
    """PostgreSQL ingest commits do not wait for the WAL flush; the setting is reset before
    the connection goes back to the pool. SQLite has nothing to relax."""
    db = briefing.db
    if db.dialect != "postgresql":
        with db.bulk_session() as session, session.begin():
            assert session.execute(text("PRAGMA synchronous")).scalar_one() == 1  # NORMAL
        return
    db.engine.dispose()  # an empty pool: the next connection out is the bulk one
    with db.bulk_session() as session, session.begin():
        assert session.execute(text("SHOW synchronous_commit")).scalar_one() == "off"
        bulk_pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() == bulk_pid
        assert conn.execute(text("SHOW synchronous_commit")).scalar_one() == "on"


def test_a_word_is_found_without_its_accents(empty_database_url: str, tmp_path: Path) -> None:
    """A question's words are folded ("Åkerlund": akerlund); so is the indexed text, on
    SQLite by FTS5 and on PostgreSQL by the search column's expression, also in a database
    made before revision 0006 and upgraded, which rebuilds that column."""
    db = Database.connect(empty_database_url, migrate=False)
    try:
        migrate.upgrade(db.engine, "0005_exchange_written_by")
        with db.engine.begin() as conn:
            _insert_one_chunk_article(conn, "Margit Åkerlund spoke.")
            if db.dialect == "sqlite":  # no insert trigger since 0002: ingest indexes
                db.search.index_article(conn, 1)
        assert db.upgrade() is True
        assert _documents_with(db, "akerlund") == 1
        with db.session() as s:
            assert db.search.search(s, LexicalQuery(("akerlund",)), 5)
        migrate.downgrade(db.engine, "0005_exchange_written_by")
        migrate.upgrade(db.engine)
        assert _documents_with(db, "akerlund") == 1
    finally:
        db.dispose()


@pytest.mark.parametrize("form", ["path", "file URI"])
def test_migrations_wait_for_the_lock_whatever_form_names_the_sqlite_file(
    tmp_path: Path, form: str
) -> None:
    """Two processes that find a SQLite database empty both migrate it, one after the
    other under the lock file beside it; a ``file:`` URI names that file too. Without
    the lock, the second runs the first revision again ("table article already exists")
    and stops with exit 2, as if the database held tables that are not briefbot's."""
    import fcntl
    import threading

    path = tmp_path / "shared.db"
    url = f"sqlite:///{path}" if form == "path" else f"sqlite:///file:{path}?uri=true"
    db = Database.connect(url, migrate=False)
    done = threading.Event()
    upgraded: list[bool] = []

    def upgrade() -> None:
        upgraded.append(db.upgrade())
        done.set()

    try:
        with (tmp_path / "shared.migrate.lock").open("a") as held:  # another process's
            fcntl.flock(held, fcntl.LOCK_EX)
            worker = threading.Thread(target=upgrade)
            worker.start()
            assert not done.wait(0.5), "migrated without waiting for the lock"
            fcntl.flock(held, fcntl.LOCK_UN)
        worker.join(30)
        assert upgraded == [True] and migrate.is_current(db.engine)
    finally:
        db.dispose()
