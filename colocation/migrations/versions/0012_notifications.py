"""e-mail notices: the workflow's outbox (colocation_notifications)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

A request that reaches a step is announced by e-mail to the people of the
role that acts there (and to the OPD when a letter is issued to it); a step
past its deadline is recalled once a day. The notices wait in an outbox
written in the same transaction that finds their reason, so a mail server
that is down loses nothing; a unique key per reason and recipient keeps two
processes from queueing the same notice twice.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the outbox of notices."""
    op.create_table(
        "colocation_notifications",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column(
            "request_id",
            sa.Integer,
            sa.ForeignKey(
                "colocation_requests.id",
                ondelete="CASCADE",
                name=op.f("fk_colocation_notifications_request_id_colocation_requests"),
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("dedupe_key", sa.String(100), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_colocation_notifications")),
        sa.UniqueConstraint("dedupe_key", "recipient", name="uq_colocation_notifications_once"),
        sa.CheckConstraint(
            "reason IN ('step', 'overdue', 'letter')",
            name=op.f("ck_colocation_notifications_reason_valid"),
        ),
    )
    op.create_index(
        "ix_colocation_notifications_request_id", "colocation_notifications", ["request_id"]
    )
    op.create_index(
        "ix_colocation_notifications_pending", "colocation_notifications", ["sent_at", "id"]
    )


def downgrade() -> None:
    """Drop the outbox."""
    op.drop_table("colocation_notifications")
