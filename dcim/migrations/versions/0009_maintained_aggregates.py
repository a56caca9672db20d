"""Maintained aggregates of installed devices: power per feed and UPS, bandwidth, addresses

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
  query time, as before);
- ``feed_device_totals``: per feed and per "feeds of the device" count, the
  devices' power (full draw; the even share is that divided by the count,
  kept exact by grouping on the count);
- ``ups_device_totals``: per UPS and per (feeds of the device on this UPS,
  feeds of the device), the devices' power: a device counts once per UPS at
  full draw (2N) and for m/n of it as an even share (N).

Power is kept in two steps because a device's share on every feed changes
when it gains or loses a feed: ``device_feed_shares`` and
``device_ups_shares`` hold each device's current contribution (a few rows
per device), rebuilt for that device whenever its connections, its power or
a feed's UPS change; triggers on those rows add to and take from the totals.

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



# A device's contributions, for the devices the condition ``{devices}`` selects; used by the
# triggers (one device) and to fill the tables when migrating (every device).
_FEED_SHARES = """INSERT INTO device_feed_shares (device_id, feed_id, feeds_of_device, power_w)
            SELECT pc.device_id, pc.feed_id,
                   (SELECT count(*) FROM power_connections o WHERE o.device_id = pc.device_id),
                   d.power_w
            FROM power_connections pc JOIN devices d ON d.id = pc.device_id
            WHERE pc.device_id {devices}"""
_UPS_SHARES = """INSERT INTO device_ups_shares (device_id, ups_id, feeds_on_ups, feeds_of_device, power_w)
            SELECT pc.device_id, f.ups_id, count(*),
                   (SELECT count(*) FROM power_connections o WHERE o.device_id = pc.device_id),
                   d.power_w
            FROM power_connections pc
            JOIN power_feeds f ON f.id = pc.feed_id
            JOIN devices d ON d.id = pc.device_id
            WHERE pc.device_id {devices} AND f.ups_id IS NOT NULL
            GROUP BY pc.device_id, f.ups_id, d.power_w"""


def _rebuild(devices: str) -> str:
    """Statements that replace the power contributions of the devices ``devices`` selects.

    Deleting and re-inserting (rather than adjusting) keeps every case — a feed
    added or removed, the device's power edited, a feed moved to another UPS,
    the device deleted — one piece of code; the share rows' own triggers then
    move the totals.
    """
    return f"""
        DELETE FROM device_feed_shares WHERE device_id {devices};
        {_FEED_SHARES.format(devices=devices)};
        DELETE FROM device_ups_shares WHERE device_id {devices};
        {_UPS_SHARES.format(devices=devices)};"""


SQLITE_POWER_TRIGGERS = [
    f"""CREATE TRIGGER trg_power_connections_shares_added AFTER INSERT ON power_connections
        WHEN NEW.device_id IS NOT NULL BEGIN {_rebuild("= NEW.device_id")} END""",
    f"""CREATE TRIGGER trg_power_connections_shares_removed AFTER DELETE ON power_connections
        WHEN OLD.device_id IS NOT NULL BEGIN {_rebuild("= OLD.device_id")} END""",
    f"""CREATE TRIGGER trg_power_connections_shares_moved
        AFTER UPDATE OF device_id, feed_id ON power_connections BEGIN
        {_rebuild("= OLD.device_id")} {_rebuild("= NEW.device_id")} END""",
    f"""CREATE TRIGGER trg_devices_power_changed AFTER UPDATE OF power_w ON devices
        BEGIN {_rebuild("= NEW.id")} END""",
    f"""CREATE TRIGGER trg_power_feeds_ups_changed AFTER UPDATE OF ups_id ON power_feeds
        BEGIN {_rebuild("IN (SELECT device_id FROM power_connections WHERE feed_id = NEW.id)")}
        END""",
    """CREATE TRIGGER trg_device_feed_shares_added AFTER INSERT ON device_feed_shares BEGIN
        INSERT INTO feed_device_totals (feed_id, feeds_of_device, power_w, devices)
            VALUES (NEW.feed_id, NEW.feeds_of_device, NEW.power_w, 1)
            ON CONFLICT (feed_id, feeds_of_device) DO UPDATE SET
                power_w = power_w + excluded.power_w, devices = devices + 1;
    END""",
    """CREATE TRIGGER trg_device_feed_shares_removed AFTER DELETE ON device_feed_shares BEGIN
        UPDATE feed_device_totals SET power_w = power_w - OLD.power_w, devices = devices - 1
            WHERE feed_id = OLD.feed_id AND feeds_of_device = OLD.feeds_of_device;
    END""",
    """CREATE TRIGGER trg_device_ups_shares_added AFTER INSERT ON device_ups_shares BEGIN
        INSERT INTO ups_device_totals (ups_id, feeds_on_ups, feeds_of_device, power_w, devices)
            VALUES (NEW.ups_id, NEW.feeds_on_ups, NEW.feeds_of_device, NEW.power_w, 1)
            ON CONFLICT (ups_id, feeds_on_ups, feeds_of_device) DO UPDATE SET
                power_w = power_w + excluded.power_w, devices = devices + 1;
    END""",
    """CREATE TRIGGER trg_device_ups_shares_removed AFTER DELETE ON device_ups_shares BEGIN
        UPDATE ups_device_totals SET power_w = power_w - OLD.power_w, devices = devices - 1
            WHERE ups_id = OLD.ups_id AND feeds_on_ups = OLD.feeds_on_ups
              AND feeds_of_device = OLD.feeds_of_device;
    END""",
]

POSTGRES_POWER_TRIGGERS = [
    f"""CREATE FUNCTION dcim_rebuild_device_power(target integer) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        IF target IS NULL THEN
            RETURN;
        END IF;
        {_rebuild("= target")}
    END $$""",
    """CREATE FUNCTION dcim_device_power_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        moved integer;
    BEGIN
        IF TG_TABLE_NAME = 'devices' THEN
            PERFORM dcim_rebuild_device_power(NEW.id);
        ELSIF TG_TABLE_NAME = 'power_feeds' THEN
            FOR moved IN SELECT DISTINCT device_id FROM power_connections
                         WHERE feed_id = NEW.id AND device_id IS NOT NULL LOOP
                PERFORM dcim_rebuild_device_power(moved);
            END LOOP;
        ELSE
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                PERFORM dcim_rebuild_device_power(OLD.device_id);
            END IF;
            IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.device_id IS DISTINCT FROM OLD.device_id)
            THEN
                PERFORM dcim_rebuild_device_power(NEW.device_id);
            END IF;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_power_connections_shares AFTER INSERT OR DELETE
        OR UPDATE OF device_id, feed_id ON power_connections
        FOR EACH ROW EXECUTE FUNCTION dcim_device_power_changed()""",
    """CREATE TRIGGER trg_devices_power_changed AFTER UPDATE OF power_w ON devices
        FOR EACH ROW EXECUTE FUNCTION dcim_device_power_changed()""",
    """CREATE TRIGGER trg_power_feeds_ups_changed AFTER UPDATE OF ups_id ON power_feeds
        FOR EACH ROW EXECUTE FUNCTION dcim_device_power_changed()""",
    """CREATE FUNCTION dcim_power_totals() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'device_feed_shares' THEN
            IF TG_OP = 'DELETE' THEN
                UPDATE feed_device_totals SET power_w = power_w - OLD.power_w, devices = devices - 1
                    WHERE feed_id = OLD.feed_id AND feeds_of_device = OLD.feeds_of_device;
            ELSE
                INSERT INTO feed_device_totals AS t (feed_id, feeds_of_device, power_w, devices)
                    VALUES (NEW.feed_id, NEW.feeds_of_device, NEW.power_w, 1)
                    ON CONFLICT (feed_id, feeds_of_device) DO UPDATE SET
                        power_w = t.power_w + excluded.power_w, devices = t.devices + 1;
            END IF;
        ELSE
            IF TG_OP = 'DELETE' THEN
                UPDATE ups_device_totals SET power_w = power_w - OLD.power_w, devices = devices - 1
                    WHERE ups_id = OLD.ups_id AND feeds_on_ups = OLD.feeds_on_ups
                      AND feeds_of_device = OLD.feeds_of_device;
            ELSE
                INSERT INTO ups_device_totals AS t
                    (ups_id, feeds_on_ups, feeds_of_device, power_w, devices)
                    VALUES (NEW.ups_id, NEW.feeds_on_ups, NEW.feeds_of_device, NEW.power_w, 1)
                    ON CONFLICT (ups_id, feeds_on_ups, feeds_of_device) DO UPDATE SET
                        power_w = t.power_w + excluded.power_w, devices = t.devices + 1;
            END IF;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_device_feed_shares_totals AFTER INSERT OR DELETE ON device_feed_shares
        FOR EACH ROW EXECUTE FUNCTION dcim_power_totals()""",
    """CREATE TRIGGER trg_device_ups_shares_totals AFTER INSERT OR DELETE ON device_ups_shares
        FOR EACH ROW EXECUTE FUNCTION dcim_power_totals()""",
]

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
                  sa.ForeignKey("uplinks.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("bandwidth_mbps", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("devices", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "prefix_address_totals",
        sa.Column("prefix_id", sa.Integer(),
                  sa.ForeignKey("prefixes.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("recorded", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.create_table(
        "device_feed_shares",
        sa.Column("device_id", sa.Integer(),
                  sa.ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("feed_id", sa.Integer(),
                  sa.ForeignKey("power_feeds.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("feeds_of_device", sa.Integer(), nullable=False),
        sa.Column("power_w", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "device_ups_shares",
        sa.Column("device_id", sa.Integer(),
                  sa.ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("ups_id", sa.Integer(),
                  sa.ForeignKey("ups.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("feeds_on_ups", sa.Integer(), nullable=False),
        sa.Column("feeds_of_device", sa.Integer(), nullable=False),
        sa.Column("power_w", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "feed_device_totals",
        sa.Column("feed_id", sa.Integer(),
                  sa.ForeignKey("power_feeds.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("feeds_of_device", sa.Integer(), primary_key=True),
        sa.Column("power_w", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("devices", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "ups_device_totals",
        sa.Column("ups_id", sa.Integer(),
                  sa.ForeignKey("ups.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("feeds_on_ups", sa.Integer(), primary_key=True),
        sa.Column("feeds_of_device", sa.Integer(), primary_key=True),
        sa.Column("power_w", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("devices", sa.Integer(), nullable=False, server_default="0"),
    )
    # Fill the shares from every device at once, then the totals from the shares (the triggers
    # come last, so nothing is counted twice).
    op.execute(_FEED_SHARES.format(devices="IS NOT NULL"))
    op.execute(_UPS_SHARES.format(devices="IS NOT NULL"))
    op.execute(
        "INSERT INTO feed_device_totals (feed_id, feeds_of_device, power_w, devices) "
        "SELECT feed_id, feeds_of_device, sum(power_w), count(*) FROM device_feed_shares "
        "GROUP BY feed_id, feeds_of_device"
    )
    op.execute(
        "INSERT INTO ups_device_totals (ups_id, feeds_on_ups, feeds_of_device, power_w, devices) "
        "SELECT ups_id, feeds_on_ups, feeds_of_device, sum(power_w), count(*) FROM device_ups_shares "
        "GROUP BY ups_id, feeds_on_ups, feeds_of_device"
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
    if op.get_bind().dialect.name == "postgresql":
        statements = POSTGRES_TRIGGERS + POSTGRES_POWER_TRIGGERS
    else:
        statements = SQLITE_TRIGGERS + SQLITE_POWER_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    """Drop the triggers and the totals."""
    if op.get_bind().dialect.name == "postgresql":
        for trigger, table in (
            ("trg_device_ups_shares_totals", "device_ups_shares"),
            ("trg_device_feed_shares_totals", "device_feed_shares"),
            ("trg_power_feeds_ups_changed", "power_feeds"),
            ("trg_devices_power_changed", "devices"),
            ("trg_power_connections_shares", "power_connections"),
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for function in ("dcim_power_totals()", "dcim_device_power_changed()",
                         "dcim_rebuild_device_power(integer)"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
        op.execute("DROP TRIGGER IF EXISTS trg_prefix_address_totals ON ip_addresses")
        op.execute("DROP TRIGGER IF EXISTS trg_device_uplink_totals ON devices")
        op.execute("DROP FUNCTION IF EXISTS dcim_prefix_address_totals()")
        op.execute("DROP FUNCTION IF EXISTS dcim_device_uplink_totals()")
    else:
        for trigger in (
            "trg_devices_uplink_added", "trg_devices_uplink_removed", "trg_devices_uplink_changed_old",
            "trg_devices_uplink_changed_new", "trg_ip_addresses_counted", "trg_ip_addresses_uncounted",
            "trg_ip_addresses_recounted", "trg_power_connections_shares_added",
            "trg_power_connections_shares_removed", "trg_power_connections_shares_moved",
            "trg_devices_power_changed", "trg_power_feeds_ups_changed", "trg_device_feed_shares_added",
            "trg_device_feed_shares_removed", "trg_device_ups_shares_added", "trg_device_ups_shares_removed",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in ("ups_device_totals", "feed_device_totals", "device_ups_shares", "device_feed_shares"):
        op.drop_table(table)
    op.drop_table("prefix_address_totals")
    op.drop_table("device_uplink_totals")
