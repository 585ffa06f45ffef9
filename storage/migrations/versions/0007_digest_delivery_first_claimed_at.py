"""A digest delivery keeps the time of its first claim, which a takeover does not change.

A poster that finds a claim whose poster died looks in the channel's history for the
digest before posting. It looked back to the period's end (Monday 00:00) or to the
claim's time, which each takeover overwrites: from Monday 00:00 a busy channel has more
history than it reads (``HISTORY_PAGES``), so it gave up every run; from the last
takeover it missed a post of the first poster when the period had not ended. The first
claim's time is the earliest such a post can have landed.

Claims made before this revision keep NULL there, and are looked for as before (see
``bot.slack.digest_post._earliest_post``): a takeover may already have overwritten their
``claimed_at``, so copying it would not be the first claim's time.

Revision ID: 0007_delivery_first_claimed_at
Revises: 0006_search_folds_accents
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_delivery_first_claimed_at"
down_revision: str | None = "0006_search_folds_accents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "digest_delivery",
        sa.Column("first_claimed_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # 3.35+ drops a column in place
        op.execute("ALTER TABLE digest_delivery DROP COLUMN first_claimed_at")
    else:
        op.drop_column("digest_delivery", "first_claimed_at")
