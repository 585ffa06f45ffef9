"""Alembic, driven from code: the migrations live in ``storage/migrations``.

``briefbot db upgrade`` calls :func:`upgrade`; every other command calls
:meth:`storage.db.Database.upgrade`, so an empty database is brought up to date by itself.
``alembic.ini`` at the repository root points at the same folder for developers who want to
write a new revision with ``alembic revision --autogenerate``.

Every command asks :func:`is_current` first, so it answers without importing Alembic
(about a quarter of a second, half of a quick ``briefbot ask``): the database's revision is
read with one query and the newest revision from the migration files' ``revision`` and
``down_revision`` lines. Anything unusual there (a merge, a branch, a file it cannot read)
makes it ask Alembic instead. ``tests/test_storage.py`` checks that both agree.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_REVISION = re.compile(r"^revision(?::[^=\n]*)?\s*=\s*[\"']([^\"'\n]+)[\"']\s*$", re.MULTILINE)
_DOWN = re.compile(
    r"^down_revision(?::[^=\n]*)?\s*=\s*(None|[\"']([^\"'\n]+)[\"'])\s*$", re.MULTILINE
)


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def revision_errors() -> tuple[type[Exception], ...]:
    """Alembic's errors for a revision it does not know (imported only when needed)."""
    from alembic.script.revision import RevisionError
    from alembic.util.exc import CommandError

    return (CommandError, RevisionError)


def head() -> str | None:
    """The newest revision in the migrations folder."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def head_from_files() -> str | None:
    """The newest revision, read from the migration files without Alembic: the one
    revision no other revision names as its ``down_revision``. None when the files are
    not one straight line of revisions (then only Alembic can say)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    try:
        files = sorted((MIGRATIONS / "versions").glob("*.py"))
        for path in files:
            source = path.read_text(encoding="utf-8")
            revision, down = _REVISION.findall(source), _DOWN.findall(source)
            if len(revision) != 1 or len(down) != 1:
                return None
            revisions.add(revision[0])
            if down[0][1]:
                parents.add(down[0][1])
    except (OSError, UnicodeDecodeError):
        return None
    heads = revisions - parents
    if len(heads) != 1 or len(revisions) != len(files) or not parents <= revisions:
        return None
    return heads.pop()


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _current_by_query(engine: Engine) -> str | None:
    """The database's one revision, read with one query; None when that does not say
    (no version table yet, or several rows)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def is_current(engine: Engine) -> bool:
    newest = head_from_files()
    if newest is not None and _current_by_query(engine) == newest:
        return True
    return current(engine) == head()


def pending(current: str | None) -> list[str] | None:
    """The revisions after ``current`` up to the newest, oldest first (all of them for an
    empty database); None when ``current`` is a revision this briefbot does not know (a
    database made by a newer version)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    try:
        revisions = [r.revision for r in script.iterate_revisions("heads", current or "base")]
    except revision_errors():
        return None
    return revisions[::-1]


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Upgrade to ``revision``; return True if the revision changed."""
    from alembic import command

    before = current(engine)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return current(engine) != before


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
