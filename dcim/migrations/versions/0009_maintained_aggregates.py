"""Maintained aggregates of installed devices: bandwidth per uplink, addresses per prefix

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

A check used to re-add the bandwidth of all 25,000 devices of a national
inventory to learn what each uplink carries. What installed devices commit
never expires, so the database keeps the totals, in the same transaction as
the write that changes them, through triggers (as 0003 does for rack units):
every writer (a load, an edit in the app, a commit, a delete, the NetBox
import) keeps them right without knowing about them. Live holds expire by
date and are few; they are still added at query time.

- ``device_uplink_totals``: per uplink, the Mbps installed devices commit
  (thousandths, as every ``Milli`` column) and how many devices;
- ``prefix_address_totals``: per prefix, the address rows recorded (device
  entries and holds' claims; claims of holds past expiry are taken off at
  query time, as before).

``dcim verify`` (capacity.aggregates) recomputes both, and the rack-unit
counters of 0003, from the base rows and reports any difference.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite: an upsert adds a device's bandwidth to its uplink's row, creating the row on first use.
_ADD_UPLINK = """INSERT INTO device_uplink_totals (uplink_id, bandwidth_mbps, devices)
        VALUES (NEW.uplink_id, NEW.bandwidth_mbps, 1)
        ON CONFLICT (uplink_id) DO UPDATE SET
            bandwidth_mbps = bandwidth_mbps + excluded.bandwidth_mbps, devices = devices + 1;"""
_TAKE_UPLINK = """UPDATE device_uplink_totals SET bandwidth_mbps = bandwidth_mbps - OLD.bandwidth_mbps,
            devices = devices - 1 WHERE uplink_id = OLD.uplink_id;"""
_ADD_ADDRESS = """INSERT INTO prefix_address_totals (prefix_id, recorded) VALUES (NEW.prefix_id, 1)
        ON CONFLICT (prefix_id) DO UPDATE SET recorded = recorded + 1;"""
_TAKE_ADDRESS = """UPDATE prefix_address_totals SET recorded = recorded - 1
        WHERE prefix_id = OLD.prefix_id;"""

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER trg_devices_uplink_added AFTER INSERT ON devices
        WHEN NEW.uplink_id IS NOT NULL BEGIN {_ADD_UPLINK} END""",
    f"""CREATE TRIGGER trg_devices_uplink_removed AFTER DELETE ON devices
        WHEN OLD.uplink_id IS NOT NULL BEGIN {_TAKE_UPLINK} END""",
    # An update is the old row taken off and the new one added (two triggers, in that order).
    f"""CREATE TRIGGER trg_devices_uplink_changed_old AFTER UPDATE OF uplink_id, bandwidth_mbps
        ON devices WHEN OLD.uplink_id IS NOT NULL BEGIN {_TAKE_UPLINK} END""",
    f"""CREATE TRIGGER trg_devices_uplink_changed_new AFTER UPDATE OF uplink_id, bandwidth_mbps
        ON devices WHEN NEW.uplink_id IS NOT NULL BEGIN {_ADD_UPLINK} END""",
    f"""CREATE TRIGGER trg_ip_addresses_counted AFTER INSERT ON ip_addresses
        BEGIN {_ADD_ADDRESS} END""",
    f"""CREATE TRIGGER trg_ip_addresses_uncounted AFTER DELETE ON ip_addresses
        BEGIN {_TAKE_ADDRESS} END""",
    f"""CREATE TRIGGER trg_ip_addresses_recounted AFTER UPDATE OF prefix_id ON ip_addresses
        WHEN OLD.prefix_id IS NOT NEW.prefix_id BEGIN {_TAKE_ADDRESS} {_ADD_ADDRESS} END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION dcim_device_uplink_totals() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.uplink_id IS NOT NULL THEN
            UPDATE device_uplink_totals SET bandwidth_mbps = bandwidth_mbps - OLD.bandwidth_mbps,
                devices = devices - 1 WHERE uplink_id = OLD.uplink_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.uplink_id IS NOT NULL THEN
            INSERT INTO device_uplink_totals AS t (uplink_id, bandwidth_mbps, devices)
                VALUES (NEW.uplink_id, NEW.bandwidth_mbps, 1)
                ON CONFLICT (uplink_id) DO UPDATE SET
                    bandwidth_mbps = t.bandwidth_mbps + excluded.bandwidth_mbps,
                    devices = t.devices + 1;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_device_uplink_totals AFTER INSERT OR DELETE
        OR UPDATE OF uplink_id, bandwidth_mbps ON devices
        FOR EACH ROW EXECUTE FUNCTION dcim_device_uplink_totals()""",
    """CREATE FUNCTION dcim_prefix_address_totals() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.prefix_id IS NOT DISTINCT FROM NEW.prefix_id THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE prefix_address_totals SET recorded = recorded - 1
                WHERE prefix_id = OLD.prefix_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO prefix_address_totals AS t (prefix_id, recorded) VALUES (NEW.prefix_id, 1)
                ON CONFLICT (prefix_id) DO UPDATE SET recorded = t.recorded + 1;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_prefix_address_totals AFTER INSERT OR DELETE OR UPDATE OF prefix_id
        ON ip_addresses FOR EACH ROW EXECUTE FUNCTION dcim_prefix_address_totals()""",
]


def upgrade() -> None:
    """Create the totals, fill them from what the database holds, and install the triggers."""
    op.create_table(
        "device_uplink_totals",
        sa.Column("uplink_id", sa.Integer(),
                  sa.ForeignKey("uplinks.id", ondelete="CASCADE"), primary_key=True),  # fmt: skip
        sa.Column("bandwidth_mbps", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("devices", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "prefix_address_totals",
        sa.Column("prefix_id", sa.Integer(),
                  sa.ForeignKey("prefixes.id", ondelete="CASCADE"), primary_key=True),  # fmt: skip
        sa.Column("recorded", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.execute(
        "INSERT INTO device_uplink_totals (uplink_id, bandwidth_mbps, devices) "
        "SELECT uplink_id, sum(bandwidth_mbps), count(*) FROM devices "
        "WHERE uplink_id IS NOT NULL GROUP BY uplink_id"
    )
    op.execute(
        "INSERT INTO prefix_address_totals (prefix_id, recorded) "
        "SELECT prefix_id, count(*) FROM ip_addresses WHERE prefix_id IS NOT NULL GROUP BY prefix_id"
    )
    statements = POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    """Drop the triggers and the totals."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_prefix_address_totals ON ip_addresses")
        op.execute("DROP TRIGGER IF EXISTS trg_device_uplink_totals ON devices")
        op.execute("DROP FUNCTION IF EXISTS dcim_prefix_address_totals()")
        op.execute("DROP FUNCTION IF EXISTS dcim_device_uplink_totals()")
    else:
        for trigger in (
            "trg_devices_uplink_added", "trg_devices_uplink_removed", "trg_devices_uplink_changed_old",
            "trg_devices_uplink_changed_new", "trg_ip_addresses_counted", "trg_ip_addresses_uncounted",
            "trg_ip_addresses_recounted",
        ):  # fmt: skip
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_table("prefix_address_totals")
    op.drop_table("device_uplink_totals")
