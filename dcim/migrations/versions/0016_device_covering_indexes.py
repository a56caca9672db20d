"""Devices by tenant with their rack, and by rack with their weight, read from the index alone

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04

Every check asks which candidate racks hold the requesting OPD's devices and
what each candidate rack's devices weigh. With single-column indexes on
``tenant_id`` and ``rack_id`` both statements fetched every matching device
row from the table: in a national room, 250 rows for the tenant and 2,500 for
the weights of a hundred racks. With ``rack_id`` beside the tenant, and
``weight_kg`` beside the rack, they are answered from the index alone. The
new indexes start with the old ones' column, so they serve every query the
old ones did, and the old ones go.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Replace the devices' tenant and rack indexes by ones that hold the rack and the weight."""
    with op.batch_alter_table("devices") as batch:
        batch.drop_index("ix_devices_tenant_id")
        batch.drop_index("ix_devices_rack_id")
        batch.create_index("ix_devices_tenant_rack", ["tenant_id", "rack_id"], unique=False)
        batch.create_index("ix_devices_rack_weight", ["rack_id", "weight_kg"], unique=False)


def downgrade() -> None:
    """Put back the single-column indexes."""
    with op.batch_alter_table("devices") as batch:
        batch.drop_index("ix_devices_rack_weight")
        batch.drop_index("ix_devices_tenant_rack")
        batch.create_index("ix_devices_rack_id", ["rack_id"], unique=False)
        batch.create_index("ix_devices_tenant_id", ["tenant_id"], unique=False)
