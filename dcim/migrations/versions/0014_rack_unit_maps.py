"""Unit maps kept by the database: racks.front_units / rear_units; records by zone and type

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

A check needs each candidate rack's free runs of units. Read from
``rack_units`` that is every claimed unit of every candidate rack, grouped
and parsed (a national room: thousands of rows per check). The racks now
carry one character per unit and face, bottom up: ``0`` free, ``1`` claimed
by a device or a hold, ``x`` unusable. The triggers of migration 0003 that
count the claims per face set and clear these characters in the same
``UPDATE``, so every writer keeps them right without knowing about them;
``dcim verify`` recomputes them from ``rack_units``.

The strings are as long as the tallest rack (100 units); a rack uses the
first ``u_height`` characters.

Every check of a name reads the zone's delegations (its ``NS`` records
below the apex); an index on ``(zone_id, type)`` finds them without reading
the zone's other records (10,000 in a national zone).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNITS = 100
FREE = "0" * UNITS


def _set(column: str, row: str, face: str, char: str) -> str:
    """SQL for ``column`` with the character of ``row``'s unit replaced when ``row`` is on ``face``."""
    return (
        f"{column} = CASE WHEN {row}.face = '{face}' THEN "
        f"substr({column}, 1, {row}.unit - 1) || {char} || substr({column}, {row}.unit + 1) "
        f"ELSE {column} END"
    )


def _claim(row: str) -> str:
    return f"(CASE WHEN {row}.kind = 'unusable' THEN 'x' ELSE '1' END)"


def _update(row: str, sign: str, cast: str = "") -> str:
    """The racks UPDATE that adds (``+``, with the claim's character) or removes (``-``) a claim."""
    char = _claim(row) if sign == "+" else "'0'"
    return (
        f"UPDATE racks SET taken_front = taken_front {sign} ({row}.face = 'front'){cast}, "
        f"taken_rear = taken_rear {sign} ({row}.face = 'rear'){cast}, "
        f"{_set('front_units', row, 'front', char)}, "
        f"{_set('rear_units', row, 'rear', char)} "
        f"WHERE id = {row}.rack_id;"
    )


SQLITE_OLD = ("trg_rack_units_taken", "trg_rack_units_freed", "trg_rack_units_moved")

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER trg_rack_units_taken AFTER INSERT ON rack_units BEGIN {_update('NEW', '+')} END",
    f"CREATE TRIGGER trg_rack_units_freed AFTER DELETE ON rack_units BEGIN {_update('OLD', '-')} END",
    "CREATE TRIGGER trg_rack_units_moved AFTER UPDATE OF rack_id, face, unit, kind ON rack_units "
    f"BEGIN {_update('OLD', '-')} {_update('NEW', '+')} END",
]

POSTGRES_FUNCTION = f"""CREATE OR REPLACE FUNCTION dcim_rack_units_count() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            {_update("OLD", "-", "::int")}
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            {_update("NEW", "+", "::int")}
        END IF;
        RETURN NULL;
    END $$"""

POSTGRES_TRIGGER = """CREATE TRIGGER trg_rack_units_count AFTER INSERT OR DELETE
    OR UPDATE OF rack_id, face, unit, kind ON rack_units
    FOR EACH ROW EXECUTE FUNCTION dcim_rack_units_count()"""


def _fill() -> None:
    """Write every rack's maps from the claims it holds."""
    bind = op.get_bind()
    maps: dict[tuple[int, str], list[str]] = {}
    for rack_id, unit, face, kind in bind.execute(
        sa.text("SELECT rack_id, unit, face, kind FROM rack_units")
    ):
        chars = maps.setdefault((rack_id, face), list(FREE))
        chars[unit - 1] = "x" if kind == "unusable" else "1"
    racks = {rack_id for rack_id, _ in maps}
    rows = [
        {
            "id": rack_id,
            "front": "".join(maps.get((rack_id, "front"), FREE)),
            "rear": "".join(maps.get((rack_id, "rear"), FREE)),
        }
        for rack_id in sorted(racks)
    ]
    if rows:
        bind.execute(
            sa.text("UPDATE racks SET front_units = :front, rear_units = :rear WHERE id = :id"),
            rows,
        )


def upgrade() -> None:
    """Add the maps, fill them from the claims, and let the claim triggers keep them."""
    with op.batch_alter_table("racks") as batch:
        batch.add_column(
            sa.Column("front_units", sa.String(UNITS), nullable=False, server_default=FREE)
        )
        batch.add_column(
            sa.Column("rear_units", sa.String(UNITS), nullable=False, server_default=FREE)
        )
    _fill()
    with op.batch_alter_table("dns_records") as batch:
        batch.create_index("ix_dns_records_zone_type", ["zone_id", "type"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        op.execute("DROP TRIGGER IF EXISTS trg_rack_units_count ON rack_units")
        op.execute(POSTGRES_TRIGGER)
    else:
        for trigger in SQLITE_OLD:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    """Put back the counting-only triggers of 0003 and drop the maps."""
    import importlib

    counters = importlib.import_module("dcim.migrations.versions.0003_occupancy_counters")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_rack_units_count ON rack_units")
        op.execute("DROP FUNCTION IF EXISTS dcim_rack_units_count()")
        op.execute(counters.POSTGRES_TRIGGERS[0])
        op.execute(counters.POSTGRES_TRIGGERS[1])
    else:
        for trigger in SQLITE_OLD:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for statement in counters.SQLITE_TRIGGERS[:3]:
            op.execute(statement)
    with op.batch_alter_table("dns_records") as batch:
        batch.drop_index("ix_dns_records_zone_type")
    with op.batch_alter_table("racks") as batch:
        batch.drop_column("rear_units")
        batch.drop_column("front_units")
