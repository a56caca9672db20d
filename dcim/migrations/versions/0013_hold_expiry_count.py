"""hold expiry as a count: reservations.counted_from and reservations.working_days

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

A hold made by ``reserve`` lives ``reservation_working_days`` working days
from the day it was made; a local holiday declared later must move its end,
as it moves the SOP's deadlines. The end alone does not say what it was
counted from, so a hold keeps the day and the count. A hold whose end was
written (an inventory file, a letter's delivery date) has neither, and its
end stays as written. Holds made before this revision have neither too.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the day a hold's end is counted from and how many working days it counts."""
    with op.batch_alter_table("reservations") as batch:
        batch.add_column(sa.Column("counted_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("working_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop the count; every hold's end stays the date it is."""
    with op.batch_alter_table("reservations") as batch:
        batch.drop_column("working_days")
        batch.drop_column("counted_from")
