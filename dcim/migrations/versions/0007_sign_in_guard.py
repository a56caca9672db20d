"""sign-in guard: failed sign-ins counted in the database, and passwords that must be changed

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

- ``sign_in_throttle``: failed sign-ins per account name and per client
  address in a fixed window, with the time a lock-out ends. In the
  database, so that a reconnect (a new browser session) or a second app
  process does not reset the count.
- ``users.must_change_password``: set when someone else chose the password
  (``dcim user add``, an administrator's reset); the app then asks for a
  new one before anything else. Existing accounts keep working as they do.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the throttle table and the must-change flag."""
    op.create_table(
        "sign_in_throttle",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('account', 'address')", name=op.f("ck_sign_in_throttle_kind_valid")
        ),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_sign_in_throttle")),
    )
    op.create_index("ix_sign_in_throttle_window_start", "sign_in_throttle", ["window_start"])
    # A plain ADD COLUMN with a constant default needs no table rebuild on SQLite.
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    """Drop the flag and the throttle table."""
    # No index or constraint on the column: SQLite (3.35 and later) drops it in place, as 0004 does.
    op.drop_column("users", "must_change_password")
    op.drop_index("ix_sign_in_throttle_window_start", table_name="sign_in_throttle")
    op.drop_table("sign_in_throttle")
