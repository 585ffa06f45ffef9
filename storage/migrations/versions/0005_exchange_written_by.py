"""The conversation log says which way each answer was written: the model's name, or
"extractive (reason)" (no key, model unreachable, guard fallback...).

Revision ID: 0005_exchange_written_by
Revises: digest_deliveries
Create Date: 2026-12-02 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_exchange_written_by"
down_revision: str | None = "digest_deliveries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("exchange", sa.Column("written_by", sa.String(length=300), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # 3.35+ drops a column in place
        op.execute("ALTER TABLE exchange DROP COLUMN written_by")
    else:
        op.drop_column("exchange", "written_by")
