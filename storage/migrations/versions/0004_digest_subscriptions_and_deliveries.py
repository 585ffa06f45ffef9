"""The weekly digest in channels: subscriptions, one delivery claim per channel and period,
and indexes on the article dates a digest selects by.

Revision ID: digest_deliveries
Revises: 0002
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "digest_deliveries"
down_revision: str | None = "0003_web_pages_and_feeds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_subscription",
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("workspace", sa.String(length=40), nullable=True),
        sa.Column("subscribed_by", sa.String(length=40), nullable=True),
        sa.Column("subscribed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel"),
    )
    op.create_table(
        "digest_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_ts", sa.String(length=40), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "period", name="uq_digest_delivery_channel"),
    )
    # Plain CREATE INDEX on both databases: the article table is never rebuilt.
    op.create_index("ix_article_published", "article", ["published"])
    op.create_index("ix_article_ingested_at", "article", ["ingested_at"])


def downgrade() -> None:
    op.drop_index("ix_article_ingested_at", table_name="article")
    op.drop_index("ix_article_published", table_name="article")
    op.drop_table("digest_delivery")
    op.drop_table("digest_subscription")
