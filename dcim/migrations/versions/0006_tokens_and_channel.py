"""identity: personal access tokens, and the channel each audited change came by

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

``access_tokens`` holds the personal access tokens that prove who acts on
the command line (only the SHA-256 of each secret). ``audit_log.channel``
says how a change came: operator, token, password, app or api; entries
written before it stay NULL.

Adding a nullable column needs no table rebuild, on SQLite either.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the tokens table and the audit log's channel."""
    op.create_table(
        "access_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.Date(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_access_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_tokens")),
        sa.UniqueConstraint("key", name=op.f("uq_access_tokens_key")),
    )
    with op.batch_alter_table("access_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_tokens_user_id"), ["user_id"], unique=False)
    op.add_column("audit_log", sa.Column("channel", sa.String(length=20), nullable=True))


def downgrade() -> None:
    """Drop the channel and the tokens."""
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("channel")
    with op.batch_alter_table("access_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_tokens_user_id"))
    op.drop_table("access_tokens")
