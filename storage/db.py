"""Engine, sessions and the database's readiness: reachable, migrated, searchable.

Sessions are opened at the edges (a CLI command, a Slack listener, a job) with
``with db.session() as s:``, which commits on success and rolls back on error.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SAWarning, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storage.paths import home_expanded
from storage.search import LexicalSearch, lexical_search_for

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseUnavailable(Exception):
    """The database cannot be reached or opened (a server that is down or refuses the
    connection, a SQLite file that cannot be opened or stays locked): worth trying again
    later. The message is one line."""


class DatabaseUrlError(DatabaseUnavailable):
    """``DATABASE_URL`` itself is wrong (not a URL, or a database briefbot does not
    support): a configuration mistake rather than a database that is down."""


class DatabaseUnusable(Exception):
    """The database answers but briefbot cannot use it: a file that is not a SQLite
    database, tables that clash with briefbot's, a schema from a newer briefbot, or
    no right to create the tables. Trying again will not help. The message is one line."""


#: SQLite's errors that mean the file could not be got at, as opposed to what it holds.
_SQLITE_UNREACHABLE = ("unable to open database file", "database is locked", "disk i/o error")


def unreachable(exc: SQLAlchemyError) -> bool:
    """Whether a database error means "cannot get at the database" rather than "the
    database holds something briefbot cannot use" (see :class:`DatabaseUnusable`)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError):
        return False
    if exc.orig is not None and type(exc.orig).__module__.startswith("sqlite3"):
        return str(exc.orig).lower().startswith(_SQLITE_UNREACHABLE)
    return True


#: libpq's words for a connection option it cannot read (``?sslmode=bogus``, a port past
#: 65535, ``?keepalives=abc``), said before it connects to anything, and the server's
#: for a setting passed in ``?options=-c ...`` that it refuses. psycopg raises them as
#: OperationalError, as it does a server that is down; they are DATABASE_URL to fix.
_BAD_OPTION = re.compile(
    r"^(connection is bad: )?(invalid \S+ value: |invalid port number: )"
    r"|invalid integer value .* for connection option "
    r"|FATAL: +invalid value for parameter "
)
_BAD = "connection is bad: "


def _misconfigured(exc: SQLAlchemyError) -> bool:
    """Whether a failure to connect is ``DATABASE_URL``'s own option that the driver or
    the server refuses, rather than a database that cannot be reached (exit 3 means
    that alone: a database to wait for, not a setting to fix)."""
    if not isinstance(exc, OperationalError) or exc.orig is None:
        return False
    if type(exc.orig).__module__.startswith("sqlite3"):
        return False
    return _BAD_OPTION.search(_reason(exc)) is not None


def explained(exc: BaseException) -> DatabaseUnavailable | DatabaseUnusable | None:
    """A database failure met mid-command, in one line: a database briefbot may not
    write to (a read-only SQLite file or server) is unusable; a connection lost (a server
    shut down or the connection killed) is unavailable. None for anything else."""
    if not isinstance(exc, SQLAlchemyError):
        return None
    reason = _reason(exc)
    if "readonly database" in reason or "read-only transaction" in reason:
        return DatabaseUnusable(f"The database is read-only ({reason}); briefbot writes to it")
    if "database is locked" in reason:  # another process holds SQLite's write lock
        return DatabaseUnavailable(
            "The database is busy: another process has held its write lock for longer "
            "than briefbot waits; try again when it is done"
        )
    if unreachable(exc):
        return DatabaseUnavailable(f"Lost the connection to the database: {reason}")
    return None


def _reason(exc: BaseException) -> str:
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


#: Query parameters that carry a secret: libpq reads ``?password=`` as the password.
_SECRET_PARAMETERS = frozenset({"password", "sslpassword"})
_MASK = "***"
_AUTHORITY = re.compile(r"([^:/?#]+://)([^/?#]*)(.*)", re.DOTALL)


def parse_url(url: str | URL) -> URL:
    """``url`` parsed, with an ``@`` in the password read as part of the password.

    SQLAlchemy ends the password at its first ``@``: ``postgresql://me:a@b@host/x``
    would try the password ``a`` on the host ``b@host``, and every message about that
    host would show the rest of the password. The last ``@`` before the host is the one
    that ends the user's part, as urllib and browsers read it.
    """
    if isinstance(url, URL):
        return url
    found = _AUTHORITY.fullmatch(url)
    if found is not None:
        scheme, authority, rest = found.groups()
        userinfo, at, host = authority.rpartition("@")
        if at and "@" in userinfo:
            url = f"{scheme}{userinfo.replace('@', '%40')}@{host}{rest}"
    return make_url(url)


def url_secrets(url: str) -> list[str]:
    """The secrets ``url`` holds (its password, in the user part or the query), so the
    log redactor can mask them wherever a library's message repeats them."""
    try:
        parsed = parse_url(url)
    except Exception:  # not a URL: make_engine says so, without the URL
        return []
    values = [parsed.password] if parsed.password else []
    for key, value in parsed.query.items():
        if key.lower() in _SECRET_PARAMETERS:
            values.extend([value] if isinstance(value, str) else value)
    # A password that is also the user, the database or the driver ("postgres:postgres")
    # would mask those wherever they appear ("***ql+psycopg://***:***@..."): it is hidden
    # where it is a password (redacted() shows the URL), not everywhere.
    shown = redacted(url).lower()
    return [str(value) for value in values if str(value).lower() not in shown]


def redacted(url: str | URL) -> str:
    """The URL with its password hidden (in the user part and in the query), safe for
    messages and logs."""
    try:
        parsed = parse_url(url)
        query = {
            key: _MASK if key.lower() in _SECRET_PARAMETERS else value
            for key, value in parsed.query.items()
        }
        shown = parsed.set(query=query).render_as_string(hide_password=True)
    except Exception:  # a URL we cannot even parse has nothing worth showing
        return "<unparseable database URL>"
    return shown.replace(quote(_MASK, safe=""), _MASK)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers and one writer work at once across processes; the busy timeout
    # makes a second writer wait for the lock instead of failing at once.
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


#: What a DATABASE_URL that cannot be read is told. Never the parser's own words: they
#: quote the part they could not read, which for a password holding "/" or ":" that was
#: not percent-encoded is part of the password (SQLAlchemy read the rest as the port).
_UNREADABLE = (
    "DATABASE_URL is not a valid database URL: write sqlite:///PATH or "
    "postgresql://USER:PASSWORD@HOST/NAME, with any /, : or # in the password "
    "percent-encoded (%2F, %3A, %23)"
)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the settings briefbot relies on for each dialect."""
    try:
        parsed = parse_url(url)
    except Exception as exc:
        raise DatabaseUrlError(_UNREADABLE) from exc
    backend = parsed.get_backend_name()
    driver = parsed.get_driver_name()
    wanted = {"sqlite": "pysqlite", "postgresql": "psycopg"}.get(backend)
    if wanted is not None and driver != wanted:
        plain = "sqlite:///PATH" if backend == "sqlite" else "postgresql://..."
        raise DatabaseUrlError(
            f"DATABASE_URL asks for the {driver} driver; briefbot uses {wanted}: write "
            f"{plain} without a driver name"
        )
    with warnings.catch_warnings():
        # SQLAlchemy warns of URL options it ignores ("?mode=ro" without "uri=true"): an
        # option the user set and that does nothing is a mistake in DATABASE_URL.
        warnings.simplefilter("error", SAWarning)
        try:
            return _engine_for(parsed, backend, **kwargs)
        except SAWarning as exc:
            raise DatabaseUrlError(f"DATABASE_URL: {str(exc).split(' (Background')[0]}") from exc
        except (ArgumentError, ValueError) as exc:  # an option the dialect cannot read
            # (?timeout=abc, hosts and ports written two ways). The URL was parsed, so the
            # redactor knows its password, should the message repeat it.
            raise DatabaseUrlError(f"DATABASE_URL: {_reason(exc)}") from exc


def private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each open to its owner alone (0700, as
    XDG asks of an application's data folders): briefbot's data folder holds the SQLite
    file, and with it the conversation log. A folder that exists is left as it is."""
    for parent in reversed([path for path in folder.parents if not path.exists()]):
        parent.mkdir(mode=0o700, exist_ok=True)
    folder.mkdir(mode=0o700, exist_ok=True)  # FileExistsError if a file is in the way


def _private_file(path: Path) -> None:
    """Create the SQLite file empty and readable by its owner alone (0600), unless it
    exists. SQLite would make it 0644 (less the umask), and its -wal and -shm files take
    the database file's mode. An empty file is an empty database to SQLite."""
    # If it exists, or cannot be made, there is nothing to do: SQLite says why it cannot
    # open a file when it tries.
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_file_named(parsed: URL) -> None:
    """Refuse a SQLite URL that names no file to keep the data in, before anything is
    created: ``sqlite:///`` (an unset variable in ``sqlite:///$DB_PATH``), ``sqlite://``
    and ``:memory:`` are SQLite's database in memory, which every command would fill and
    lose when it ends ("added 1", exit 0, and nothing kept); and a host, user or port
    (``sqlite://dbhost/x.db``) means nothing to SQLite, which SQLAlchemy says only once
    the file (``x.db`` here) has been made."""
    if parsed.host or parsed.username or parsed.password or parsed.port:
        raise DatabaseUrlError(
            "DATABASE_URL: a SQLite URL names a file, not a host: write "
            "sqlite:///relative/path or sqlite:////absolute/path"
        )
    database = parsed.database or ""
    memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if memory or parsed.query.get("mode") == "memory":
        raise DatabaseUrlError(
            "DATABASE_URL names no SQLite file (a database in memory would be lost when "
            "the command ends): write sqlite:///PATH, or leave DATABASE_URL unset"
        )


def _engine_for(parsed: URL, backend: str, **kwargs: Any) -> Engine:
    if backend == "sqlite":
        _sqlite_file_named(parsed)
        database = parsed.database or ""
        if not database.startswith("file:"):  # a file: URI is opened as SQLite reads it
            # ~ as a .env file or a service's environment leaves it: SQLite itself would
            # open a folder named "~" in the working folder, not the file made here
            path = home_expanded(Path(database))
            parsed = parsed.set(database=str(path))
            try:
                private_folder(path.parent)
            except OSError as exc:
                reason = "a file is in the way" if isinstance(exc, FileExistsError) else exc
                raise DatabaseUnavailable(
                    f"Cannot create the folder for the SQLite database {database}: "
                    f"{getattr(reason, 'strerror', None) or reason}"
                ) from exc
            if parsed.query.get("mode", "rwc") == "rwc":  # ?mode=ro and rw never create it
                _private_file(path)
        engine = create_engine(
            parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        return create_engine(
            parsed,
            pool_pre_ping=True,
            connect_args={"connect_timeout": 5, "application_name": "briefbot"},
            **kwargs,
        )
    raise DatabaseUrlError(
        f"briefbot supports SQLite and PostgreSQL; DATABASE_URL names {backend!r}."
    )


def sqlite_file(database: str) -> Path | None:
    """The file a SQLite URL's database names, None for one in memory. A ``file:`` URI
    (``file:/srv/bb.db``, ``file:///srv/bb.db``, ``file:bb.db``) names a file as much as
    a path does: two processes that open it must take the same migration lock beside it
    as with ``sqlite:///srv/bb.db``, or both migrate an empty database at once and the
    second fails on the tables the first made."""
    if not database or database == ":memory:":
        return None
    if not database.startswith("file:"):
        return Path(database)
    name = unquote(urlsplit(database).path)  # SQLite reads a URI's path percent-decoded
    return Path(name) if name and name != ":memory:" else None


class Database:
    """One database: its engine, a session factory and its full-text search backend."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.search: LexicalSearch = lexical_search_for(self.dialect)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        #: How many connections bulk writes (ingest) use at once. SQLite allows one writer
        #: at a time. PostgreSQL indexes each writer's rows in that connection's server
        #: process, so several writers overlap that work; four did best when measured (the
        #: README's "How an ingest run is organised" has the figures).
        self.writers = 4 if self.dialect == "postgresql" else 1

    @classmethod
    def connect(cls, url: str, *, migrate: bool = True) -> Database:
        """Open ``url``, check that it answers, and bring its schema up to date.

        Raises :class:`DatabaseUnavailable` when it cannot be reached and
        :class:`DatabaseUnusable` when it answers but is not a database briefbot can use.
        """
        db = cls(make_engine(url))
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            db.engine.dispose()
            if _misconfigured(exc):
                raise DatabaseUrlError(
                    f"DATABASE_URL {redacted(url)}: {_reason(exc).removeprefix(_BAD)}"
                ) from exc
            if not unreachable(exc):
                raise DatabaseUnusable(
                    f"The database at {redacted(url)} is not one briefbot can use: "
                    f"{_reason(exc)} (check DATABASE_URL)"
                ) from exc
            raise DatabaseUnavailable(
                f"Cannot reach the database at {redacted(url)}: {_reason(exc)}"
            ) from exc
        if migrate:
            try:
                db.upgrade()
            except BaseException:
                db.engine.dispose()
                raise
        return db

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    @contextlib.contextmanager
    def bulk_session(self) -> Iterator[Session]:
        """One session on one connection for many short transactions in a row, each in
        ``with session.begin():`` (ingest: one per article). It saves a pool checkout
        and a new session per transaction.

        On PostgreSQL its commits do not wait for the WAL to reach disk
        (``synchronous_commit = off``, the usual setting for bulk loads): every
        transaction is still atomic and the database stays consistent, but a server
        crash can lose the last fraction of a second of commits. Ingest is idempotent,
        so running it again restores them. Nothing else (conversation logs, Slack
        event claims) is written this way.
        """
        with self.engine.connect() as conn:
            relaxed = self.dialect == "postgresql"
            if relaxed:
                conn.exec_driver_sql("SET synchronous_commit = off")
                conn.commit()
            try:
                with self._sessions(bind=conn) as session:
                    yield session
            finally:
                if relaxed and not conn.invalidated:
                    conn.rollback()
                    conn.exec_driver_sql("RESET synchronous_commit")
                    conn.commit()

    def upgrade(self) -> bool:
        """Apply pending migrations; return True if anything ran.

        Several processes may start at once (two web processes, the clock, a CLI run), so
        the upgrade runs under a lock: a PostgreSQL advisory lock, or a file lock beside
        the SQLite file.
        """
        from storage import migrate

        where = redacted(self.engine.url)
        try:
            if migrate.is_current(self.engine):
                return False
            with self._migration_lock():
                return migrate.upgrade(self.engine)
        except SQLAlchemyError as exc:
            if unreachable(exc):
                raise DatabaseUnavailable(
                    f"Lost the database at {where} while migrating it: {_reason(exc)}"
                ) from exc
            raise DatabaseUnusable(
                f"Could not migrate the database at {where}: {_reason(exc)} (does it hold "
                "tables that are not briefbot's? check DATABASE_URL)"
            ) from exc
        # The clause is evaluated only when an exception gets here, so the common case
        # (already current) never imports Alembic.
        except migrate.revision_errors() as exc:  # e.g. a revision briefbot does not know
            raise DatabaseUnusable(
                f"Could not migrate the database at {where}: {_reason(exc)} "
                "(was it created by a newer briefbot?)"
            ) from exc

    @contextlib.contextmanager
    def _migration_lock(self) -> Iterator[None]:
        if self.dialect == "postgresql":
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(74121001)"))
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(74121001)"))
                    conn.commit()
            return
        path = sqlite_file(self.engine.url.database or "")
        if path is None:
            yield
            return
        lock_path = path.with_suffix(".migrate.lock")  # expanded: _engine_for
        # owner-only, as the database beside it (an empty file: its mode is all it shows)
        with os.fdopen(
            os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a"
        ) as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def dispose(self) -> None:
        self.engine.dispose()
