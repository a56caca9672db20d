"""a device type's source file path holds any length

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

``device_types.source`` holds the path of an imported device-type file. A
path has no useful bound (Linux allows 4,096 bytes), and PostgreSQL refused
one longer than the column's 500 characters with an internal error; the
column becomes ``Text``. (The audit log's indexed ``entity_key`` keeps its
width: :func:`dcim.accounts.record` keeps a long key's end there and the whole
key in the entry's data.) Every other text column is at least as wide as the
longest value its input accepts (tests/inventory/test_column_widths.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Widen the path column to unbounded text."""
    with op.batch_alter_table("device_types") as batch:
        batch.alter_column("source", type_=sa.Text(), existing_type=sa.String(500))


def downgrade() -> None:
    """Back to a bounded column; longer values are cut to fit."""
    op.execute("UPDATE device_types SET source = substr(source, 1, 500)")
    with op.batch_alter_table("device_types") as batch:
        batch.alter_column("source", type_=sa.String(500), existing_type=sa.Text())
