"""a request's hold ends when its reservation says: drop the request's copy of the expiry date

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

``colocation_requests.hold_expires_on`` repeated ``reservations.expires_at``
and fell behind when a hold changed outside the workflow. Pages, documents
and the workflow now read the reservation itself.

The column has no index or constraint, so both databases drop it in place
(SQLite 3.35 and later); rebuilding the table on SQLite would have to drop a
table the request history refers to.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Drop the copy of the hold's expiry date."""
    op.drop_column("colocation_requests", "hold_expires_on")


def downgrade() -> None:
    """Bring the copy back, filled from the reservations."""
    op.add_column("colocation_requests", sa.Column("hold_expires_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE colocation_requests SET hold_expires_on = (SELECT r.expires_at FROM reservations r "
        "WHERE r.code = colocation_requests.reservation_code)"
    )
