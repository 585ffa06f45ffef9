"""SQLite: index each article's chunks with one statement instead of a trigger per row.

``upsert_article`` now calls ``LexicalSearch.index_article`` after writing an article's
chunks; the per-row insert trigger would index them twice. The delete and update
triggers stay. PostgreSQL is unchanged (its tsvector column is generated).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 01:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The per-row insert trigger of revision 0001, which this revision drops.
SQLITE_INSERT_TRIGGER = (
    "CREATE TRIGGER chunk_fts_ai AFTER INSERT ON chunk BEGIN "
    "INSERT INTO chunk_fts(rowid, text) VALUES (new.id, new.text); END"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS chunk_fts_ai")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_INSERT_TRIGGER)
