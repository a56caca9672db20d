"""Occupancy counters kept by the database: units taken per rack face, a free-address floor per prefix

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

Both are maintained by triggers, so every writer (a load, a hold, an edit in
the app) keeps them right without knowing about them:

- ``racks.taken_front`` / ``taken_rear``: rows of ``rack_units`` on that
  face, so racks too full for a request are counted out without scanning
  every claim;
- ``prefixes.free_hint``: an offset below which no usable address is free.
  Deleting an address (or moving it) lowers it; changing a prefix's gateway,
  pool flag or reserved ranges resets it to 0. Allocation raises it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = [
    """CREATE TRIGGER trg_rack_units_taken AFTER INSERT ON rack_units BEGIN
        UPDATE racks SET taken_front = taken_front + (NEW.face = 'front'),
                         taken_rear = taken_rear + (NEW.face = 'rear')
        WHERE id = NEW.rack_id;
    END""",
    """CREATE TRIGGER trg_rack_units_freed AFTER DELETE ON rack_units BEGIN
        UPDATE racks SET taken_front = taken_front - (OLD.face = 'front'),
                         taken_rear = taken_rear - (OLD.face = 'rear')
        WHERE id = OLD.rack_id;
    END""",
    """CREATE TRIGGER trg_rack_units_moved AFTER UPDATE OF rack_id, face ON rack_units BEGIN
        UPDATE racks SET taken_front = taken_front - (OLD.face = 'front'),
                         taken_rear = taken_rear - (OLD.face = 'rear')
        WHERE id = OLD.rack_id;
        UPDATE racks SET taken_front = taken_front + (NEW.face = 'front'),
                         taken_rear = taken_rear + (NEW.face = 'rear')
        WHERE id = NEW.rack_id;
    END""",
    """CREATE TRIGGER trg_ip_addresses_freed AFTER DELETE ON ip_addresses
        WHEN OLD.host IS NOT NULL BEGIN
        UPDATE prefixes SET free_hint = OLD.host WHERE id = OLD.prefix_id AND free_hint > OLD.host;
    END""",
    """CREATE TRIGGER trg_ip_addresses_moved AFTER UPDATE OF host, prefix_id ON ip_addresses
        WHEN OLD.host IS NOT NULL BEGIN
        UPDATE prefixes SET free_hint = OLD.host WHERE id = OLD.prefix_id AND free_hint > OLD.host;
    END""",
    """CREATE TRIGGER trg_prefixes_rules_changed AFTER UPDATE OF gateway, is_pool, prefix ON prefixes BEGIN
        UPDATE prefixes SET free_hint = 0 WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER trg_prefix_ranges_removed AFTER DELETE ON prefix_reserved_ranges BEGIN
        UPDATE prefixes SET free_hint = 0 WHERE id = OLD.prefix_id;
    END""",
    """CREATE TRIGGER trg_prefix_ranges_changed AFTER UPDATE ON prefix_reserved_ranges BEGIN
        UPDATE prefixes SET free_hint = 0 WHERE id IN (OLD.prefix_id, NEW.prefix_id);
    END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION dcim_rack_units_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE racks SET taken_front = taken_front - (OLD.face = 'front')::int,
                             taken_rear = taken_rear - (OLD.face = 'rear')::int
            WHERE id = OLD.rack_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE racks SET taken_front = taken_front + (NEW.face = 'front')::int,
                             taken_rear = taken_rear + (NEW.face = 'rear')::int
            WHERE id = NEW.rack_id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_rack_units_count AFTER INSERT OR DELETE OR UPDATE OF rack_id, face
        ON rack_units FOR EACH ROW EXECUTE FUNCTION dcim_rack_units_count()""",
    """CREATE FUNCTION dcim_ip_addresses_freed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.host IS NOT NULL THEN
            UPDATE prefixes SET free_hint = OLD.host WHERE id = OLD.prefix_id AND free_hint > OLD.host;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_ip_addresses_freed AFTER DELETE OR UPDATE OF host, prefix_id
        ON ip_addresses FOR EACH ROW EXECUTE FUNCTION dcim_ip_addresses_freed()""",
    """CREATE FUNCTION dcim_prefix_rules_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'prefixes' THEN
            UPDATE prefixes SET free_hint = 0 WHERE id = NEW.id AND free_hint <> 0;
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE prefixes SET free_hint = 0 WHERE id = OLD.prefix_id;
        ELSE
            UPDATE prefixes SET free_hint = 0 WHERE id IN (OLD.prefix_id, NEW.prefix_id);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_prefixes_rules_changed AFTER UPDATE OF gateway, is_pool, prefix
        ON prefixes FOR EACH ROW EXECUTE FUNCTION dcim_prefix_rules_changed()""",
    """CREATE TRIGGER trg_prefix_ranges_changed AFTER DELETE OR UPDATE
        ON prefix_reserved_ranges FOR EACH ROW EXECUTE FUNCTION dcim_prefix_rules_changed()""",
]


def upgrade() -> None:
    """Add the counters, fill them from what the database holds, and install the triggers."""
    with op.batch_alter_table("racks") as batch:
        batch.add_column(sa.Column("taken_front", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("taken_rear", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("prefixes") as batch:
        batch.add_column(sa.Column("free_hint", sa.BigInteger(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE racks SET "
        "taken_front = (SELECT count(*) FROM rack_units u WHERE u.rack_id = racks.id AND u.face = 'front'), "
        "taken_rear = (SELECT count(*) FROM rack_units u WHERE u.rack_id = racks.id AND u.face = 'rear')"
    )
    statements = POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    """Drop the triggers and the counters."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_prefix_ranges_changed ON prefix_reserved_ranges")
        op.execute("DROP TRIGGER IF EXISTS trg_prefixes_rules_changed ON prefixes")
        op.execute("DROP TRIGGER IF EXISTS trg_ip_addresses_freed ON ip_addresses")
        op.execute("DROP TRIGGER IF EXISTS trg_rack_units_count ON rack_units")
        for function in ("dcim_prefix_rules_changed", "dcim_ip_addresses_freed", "dcim_rack_units_count"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for trigger in (
            "trg_rack_units_taken", "trg_rack_units_freed", "trg_rack_units_moved", "trg_ip_addresses_freed",
            "trg_ip_addresses_moved", "trg_prefixes_rules_changed", "trg_prefix_ranges_removed",
            "trg_prefix_ranges_changed",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    with op.batch_alter_table("prefixes") as batch:
        batch.drop_column("free_hint")
    with op.batch_alter_table("racks") as batch:
        batch.drop_column("taken_rear")
        batch.drop_column("taken_front")
