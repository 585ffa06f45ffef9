"""Alembic, driven from code: the migrations live in ``storage/migrations``.

``briefbot db upgrade`` calls :func:`upgrade`; every other command calls
:meth:`storage.db.Database.upgrade`, so an empty database is brought up to date by itself.
``alembic.ini`` at the repository root points at the same folder for developers who want to
write a new revision with ``alembic revision --autogenerate``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head() -> str | None:
    """The newest revision in the migrations folder."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def pending(current: str | None) -> list[str] | None:
    """The revisions after ``current`` up to the newest, oldest first (all of them for an
    empty database); None when ``current`` is a revision this briefbot does not know (a
    database made by a newer version)."""
    from alembic.script.revision import RevisionError
    from alembic.util.exc import CommandError

    script = ScriptDirectory.from_config(_config())
    try:
        revisions = [r.revision for r in script.iterate_revisions("heads", current or "base")]
    except (CommandError, RevisionError):
        return None
    return revisions[::-1]


def is_current(engine: Engine) -> bool:
    return current(engine) == head()


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Upgrade to ``revision``; return True if the revision changed."""
    before = current(engine)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return current(engine) != before


def downgrade(engine: Engine, revision: str) -> None:
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
