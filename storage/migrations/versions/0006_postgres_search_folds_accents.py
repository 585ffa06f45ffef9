"""PostgreSQL: the search column indexes chunk text with its accents folded away.

A question's words are folded ("Åkerlund": akerlund), as SQLite's FTS5 folds the text
(``remove_diacritics``); PostgreSQL's ``to_tsvector`` kept the accents, so a name written
with one was never found there and the question was refused. The generated column is
rebuilt with the text folded by ``translate`` (see ``storage.search.PostgresTSVector``);
rebuilding it rewrites the table's search column once. SQLite is unchanged.

Revision ID: 0006_search_folds_accents
Revises: 0005_exchange_written_by
Create Date: 2026-12-06 06:10:00
"""

from collections.abc import Sequence

from alembic import op

from storage.search import lexical_search_for

revision: str = "0006_search_folds_accents"
down_revision: str | None = "0005_exchange_written_by"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Revision 0001's column, which ``downgrade`` restores.
_UNFOLDED = (
    "ALTER TABLE chunk ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    search = lexical_search_for(bind.dialect.name)
    search.uninstall(bind)
    search.install(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    lexical_search_for(bind.dialect.name).uninstall(bind)
    op.execute(_UNFOLDED)
    op.execute("CREATE INDEX ix_chunk_tsv ON chunk USING GIN (tsv)")
