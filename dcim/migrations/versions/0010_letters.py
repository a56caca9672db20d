"""letters ready to send: users.rank (pangkat/golongan) for signature blocks

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

A civil servant signs with name, pangkat/golongan and NIP (Tata Naskah
Dinas). The kop surat's contact lines, logo and the office's letter language
are office settings (rows of ``settings``) and need no schema.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the rank printed under a signer's name."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("rank", sa.String(100), nullable=True))


def downgrade() -> None:
    """Drop the rank."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("rank")
