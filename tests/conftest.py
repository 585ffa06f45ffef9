"""Shared fixtures: one database per test, on SQLite always and on PostgreSQL when
``BRIEFBOT_TEST_DATABASE_URL`` is set (then an unreachable server fails the tests).

* SQLite: a migrated template file is made once per session and copied for each test.
* PostgreSQL: one schema per session (migrated once, found through ``search_path`` in the
  URL, so subprocesses see it too); every table is emptied, and its ids restarted, before
  each test.

Tests never read the developer's environment: every setting briefbot knows is removed from
``os.environ`` for each test, and tests build ``Settings.isolated(...)`` explicitly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, select, text

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.timing import Timing
from standins import OpenAIStandIn, SlackAPIStandIn, WebStandIn
from storage.db import Database
from storage.models import Article, Base

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
EVALS = REPO / "evals"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_URL = os.environ.get("BRIEFBOT_TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
# A subprocess a test starts (the ``briefbot`` console script) runs this checkout's code,
# not the checkout the virtualenv's editable install points at (a git worktree shares the
# main checkout's .venv): PYTHONPATH comes before the install's path entry.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p
)

# Every environment variable briefbot (or a library it drives) reads.
_SETTING_VARS = sorted(
    set(Settings.env_names())
    | {"TIKTOKEN_CACHE_DIR", "BRIEFBOT_DEBUG", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"}
)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in _SETTING_VARS:
        monkeypatch.delenv(name, raising=False)
    # No .env file from the developer's checkout, and no default data dir in $HOME.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture(autouse=True)
def _isolated_redaction() -> Iterator[None]:
    """The secrets a test's command installs in the log redactor stay with that test: a
    database password of ``secret`` must not mask the word in a later test's output."""
    from bot import logsetup

    saved = set(logsetup._secrets)
    yield
    logsetup._secrets.clear()
    logsetup._secrets.update(saved)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, whatever the test runner's, so a test sees the modes briefbot
    asks for against the ones a file or folder gets by default (0644, 0755)."""
    saved = os.umask(0o022)
    yield
    os.umask(saved)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "briefbot.db"
    db = Database.connect(f"sqlite:///{path}")
    db.dispose()
    return path


def with_schema(url: str, schema: str) -> str:
    """``url`` with a search_path option, so every connection lands in ``schema``."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def _admin_engine() -> Any:
    parsed = make_url(PG_URL.replace("postgres://", "postgresql://", 1))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, connect_args={"connect_timeout": 5})


@dataclass
class PgSchema:
    url: str
    name: str
    _engine: Any = None
    _emptying: str | None = None

    def empty(self) -> None:
        """Delete every row and restart every id sequence, as ``TRUNCATE ... RESTART
        IDENTITY`` would, in a fraction of its time on tables this small (a TRUNCATE makes
        new files for every table and index: about 25 ms, a test's worth of work). One
        round trip: the statements go as one string."""
        if self._engine is None:
            self._engine = create_engine(make_url(self.url))
        with self._engine.begin() as conn:
            if self._emptying is None:
                sequences = conn.scalars(
                    text(
                        "SELECT sequence_name FROM information_schema.sequences "
                        "WHERE sequence_schema = current_schema()"
                    )
                ).all()
                tables = reversed(Base.metadata.sorted_tables)
                self._emptying = "; ".join(
                    [f'DELETE FROM "{table.name}"' for table in tables]
                    + [f'ALTER SEQUENCE "{sequence}" RESTART' for sequence in sequences]
                )
            conn.exec_driver_sql(self._emptying)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def new_pg_schema(prefix: str = "bbtest") -> PgSchema:
    """A fresh, empty schema on the test server (caller drops it with drop_pg_schema)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = _admin_engine()
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    engine.dispose()
    return PgSchema(with_schema(PG_URL, name), name)


def drop_pg_schema(schema: PgSchema) -> None:
    schema.dispose()
    engine = _admin_engine()
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema.name}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[PgSchema]:
    schema = new_pg_schema()
    Database.connect(schema.url).dispose()
    yield schema
    drop_pg_schema(schema)


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, not even tables."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    schema = new_pg_schema("bbempty")
    yield schema.url
    drop_pg_schema(schema)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated, empty database of the session's backend, for this test alone."""
    if backend == "sqlite":
        path = tmp_path / "briefbot.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    schema: PgSchema = request.getfixturevalue("pg_schema")
    schema.empty()  # once, before: whatever a test leaves is gone before the next one
    yield schema.url


def make_settings(database_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "data_dir": tmp_path / "data",
        "corpus_dir": CORPUS,
    }
    values.update(overrides)
    return Settings.isolated(**values)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path)


@pytest.fixture
def briefing(settings: Settings) -> Iterator[Briefing]:
    """The service over a database holding the bundled corpus (the seed article)."""
    with Briefing.open(settings) as b:
        yield b


@pytest.fixture
def full_briefing(briefing: Briefing) -> Briefing:
    """The seed article plus the evaluation articles in evals/articles."""
    summary = briefing.ingest([EVALS / "articles"])
    assert not summary.failed, summary.failed
    return briefing


@pytest.fixture(scope="session")
def llm_server() -> Iterator[OpenAIStandIn]:
    """One OpenAI-compatible stand-in for the whole run; tests take it through ``llm``."""
    with OpenAIStandIn() as server:
        yield server


@pytest.fixture
def llm(llm_server: OpenAIStandIn) -> Iterator[OpenAIStandIn]:
    """The OpenAI stand-in, reset to its defaults before and after the test."""
    llm_server.reset()
    yield llm_server
    llm_server.reset()


@pytest.fixture(scope="session")
def web_server() -> Iterator[WebStandIn]:
    """One stand-in for the web for the whole run; tests take it through ``web``."""
    with WebStandIn() as server:
        yield server


@pytest.fixture
def web(web_server: WebStandIn) -> Iterator[WebStandIn]:
    """The web stand-in with no pages and no recorded requests from other tests."""
    web_server.reset()
    yield web_server
    web_server.reset()


@pytest.fixture(scope="session")
def slack_api_server() -> Iterator[SlackAPIStandIn]:
    with SlackAPIStandIn() as server:
        yield server


@pytest.fixture
def api(slack_api_server: SlackAPIStandIn) -> Iterator[SlackAPIStandIn]:
    """The Slack Web API stand-in, with no recorded calls or faults left from other tests."""
    slack_api_server.reset()
    yield slack_api_server
    slack_api_server.reset()


class FakeTime:
    """A clock and a sleep for the model clients (:class:`bot.core.timing.Timing`) that
    spend no time: the clock moves only when slept, advanced, or by ``tick`` seconds at
    every reading (a slow world: each look at the clock finds it later); the sleep records
    each wait asked for and moves the clock by it."""

    def __init__(self, tick: float = 0.0, start: float = 1000.0) -> None:
        self.tick = tick
        self._now = start
        self._slept: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            now = self._now
            self._now += self.tick
            return now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self._slept.append(seconds)
            self._now += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds

    @property
    def now(self) -> float:
        with self._lock:
            return self._now

    @property
    def slept(self) -> list[float]:
        with self._lock:
            return list(self._slept)

    @property
    def timing(self) -> Timing:
        return Timing(clock=self.clock, sleep=self.sleep)


class WallClock:
    """A wall clock for ``Briefing.open(clock=...)``: the time ``now`` says (set it, or
    :meth:`advance` it), the real time (UTC) while ``now`` is None, and the time given
    inside :meth:`at`."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now or datetime.now(UTC)

    def advance(self, delta: timedelta) -> None:
        self.now = self() + delta

    @contextmanager
    def at(self, when: datetime) -> Iterator[None]:
        before, self.now = self.now, when
        try:
            yield
        finally:
            self.now = before


@pytest.fixture
def fake_time() -> FakeTime:
    """A :class:`FakeTime` whose clock stands still unless moved."""
    return FakeTime()


@dataclass
class Result:
    code: int
    out: str
    err: str


def article_text(briefing: Briefing, article_id: int | None) -> str:
    """The stored text of one article, to check quotes and citations against."""
    with briefing.db.session() as s:
        return str(s.scalar(select(Article.text).where(Article.id == article_id)))


#: A clause repeated five times makes one sentence far longer than a chunk.
_FLOOD_CLAUSE = (
    "the river authority announced that the new flood barrier along the eastern bank "
    "would be built with steel and concrete and funded jointly by the regional "
    "government and private insurers who had paid out heavily after the floods of the "
    "previous winter while residents of the low lying districts "
)


def write_flood_article(folder: Path) -> Path:
    """An article whose first sentence must be cut to fit a chunk, then a short one."""
    path = folder / "flood.txt"
    path.write_text(
        f"Flood barrier\n\nThe {_FLOOD_CLAUSE * 5}finally agreed.\n\n"
        "The mayor said the flood barrier was overdue.\n",
        encoding="utf-8",
    )
    return path


def settings_env(settings: Settings) -> dict[str, str]:
    """Environment variables that reproduce ``settings`` for a briefbot subprocess."""
    env = {
        "DATABASE_URL": settings.resolved_database_url,
        "BRIEFBOT_DATA_DIR": str(settings.data_dir),
    }
    if settings.corpus_dir is not None:
        env["BRIEFBOT_CORPUS_DIR"] = str(settings.corpus_dir)
    if settings.openai_base_url:
        env["OPENAI_BASE_URL"] = settings.openai_base_url
    if settings.openai_api_key is not None:
        env["OPENAI_API_KEY"] = settings.openai_api_key.get_secret_value()
    if settings.model:
        env["BRIEFBOT_MODEL"] = settings.model
    if settings.embedding_model:
        env["BRIEFBOT_EMBEDDING_MODEL"] = settings.embedding_model
    env["BRIEFBOT_LLM_TIMEOUT"] = str(settings.llm_timeout)
    if settings.allow_private_urls:
        env["BRIEFBOT_ALLOW_PRIVATE_URLS"] = "true"
    env["BRIEFBOT_FETCH_HOST_DELAY"] = str(settings.fetch_host_delay)
    env["BRIEFBOT_FETCH_TIMEOUT"] = str(settings.fetch_timeout)
    return env


@pytest.fixture
def cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    """Run ``briefbot ARGS`` in this process, with the environment for ``settings``."""
    from bot.cli import main

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        for key, value in {**settings_env(settings), **(env or {})}.items():
            monkeypatch.setenv(key, value)
        capsys.readouterr()
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_briefbot(
    *args: str, env: dict[str, str], timeout: float = 120, input_text: str | None = None
) -> Result:
    """Run the installed ``briefbot`` console script in a subprocess, killed after
    ``timeout`` seconds: a test of something that could hang fails in bounded time."""
    script = Path(sys.executable).parent / "briefbot"
    base = {k: v for k, v in os.environ.items() if k not in _SETTING_VARS}
    try:
        proc = subprocess.run(
            [str(script), *args],
            env={**base, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            input=input_text,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"briefbot {' '.join(args[:1])} took more than {timeout:g} s (killed)")
    return Result(proc.returncode, proc.stdout, proc.stderr)
