"""a workflow action commits in one transaction: drop the request's pending-claim columns

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

An action that called the capacity engine used to claim its request
(``pending_action``, ``pending_token``, ``pending_since``), call the engine
in a transaction of its own and record the result in a third; a process
killed in between left an orphan hold. The action and the engine's writes
now share one transaction, with the request's row locked, so the claim is
gone. The columns have no index or constraint, so both databases drop them
in place (SQLite 3.35 and later), as 0004 does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("pending_action", "pending_token", "pending_since")


def upgrade() -> None:
    """Drop the claim an action held while the engine worked for it."""
    for column in _COLUMNS:
        op.drop_column("colocation_requests", column)


def downgrade() -> None:
    """Bring the (empty) claim columns back."""
    op.add_column("colocation_requests", sa.Column("pending_action", sa.String(64), nullable=True))
    op.add_column("colocation_requests", sa.Column("pending_token", sa.String(32), nullable=True))
    op.add_column(
        "colocation_requests",
        sa.Column("pending_since", sa.DateTime(timezone=True), nullable=True),
    )
