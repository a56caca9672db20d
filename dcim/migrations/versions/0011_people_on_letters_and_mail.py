"""people on letters and in the mail: users.rank (pangkat/golongan) and users.email

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

A civil servant signs with name, pangkat/golongan and NIP (Tata Naskah
Dinas), so a user carries a rank. The workflow tells the people of a role by
e-mail when a request waits for them, so a user carries an address. The kop
surat's contact lines, logo and the office's letter language are office
settings (rows of ``settings``) and need no schema.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the rank printed under a signer's name and the address notices go to."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("rank", sa.String(100), nullable=True))
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))


def downgrade() -> None:
    """Drop the rank and the address."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
        batch.drop_column("rank")
