"""Fresh, empty databases for one benchmark run: a SQLite file or a PostgreSQL schema."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL

from bot.config import normalise_database_url


def _psycopg_url(url: str) -> URL:
    return make_url(normalise_database_url(url))


def with_schema(url: str, schema: str) -> str:
    """``url`` with a search_path option, so every connection lands in ``schema``."""
    return (
        _psycopg_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


@contextlib.contextmanager
def postgres_schema(server_url: str, prefix: str = "bbbench") -> Iterator[str]:
    """A new schema on ``server_url`` for the duration; yields a URL that uses it."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = create_engine(_psycopg_url(server_url), connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        yield with_schema(server_url, name)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        engine.dispose()


@contextlib.contextmanager
def fresh_database(backend: str, workdir: Path, pg_url: str | None) -> Iterator[str]:
    """A URL for an empty database of ``backend`` (``sqlite`` or ``postgresql``)."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    if backend == "postgresql":
        if not pg_url:
            raise ValueError("PostgreSQL needs a server URL (--pg-url)")
        with postgres_schema(pg_url) as url:
            yield url
        return
    raise ValueError(f"unknown backend {backend!r}")
