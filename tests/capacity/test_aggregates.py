"""The totals the database maintains stay equal to a recomputation, whatever writes it sees.

Triggers keep devices' power per feed and per UPS, bandwidth per uplink,
address rows per prefix and units taken per rack face (migrations 0003 and
0009). The check trusts those totals instead of summing every device, so a
write they missed would make every later answer wrong in silence.
Hypothesis interleaves random writes — devices added, plugged into a feed
and unplugged, given another power draw, re-cabled to another uplink, given
more bandwidth, removed; a feed moved to another UPS; addresses recorded and
freed; units claimed; transactions rolled back — and after every
transaction ``dcim verify`` must find nothing, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_data import device, feed, inventory, prefix, two_feed_rack, ups
from sqlalchemy import Engine, func, select

from dcim.accounts import operator
from dcim.aggregates import verify
from dcim.db import ensure_schema, get_engine, read_session, write_session
from dcim.inventory.load import BULK_LOAD, load_inventory, parse_inventory
from dcim.models import (
    UPS,
    Device,
    IPAddress,
    PowerConnection,
    PowerFeed,
    Prefix,
    Rack,
    RackUnit,
    Uplink,
)

pytestmark = pytest.mark.postgres

UPLINKS = ("ISP-1", "ISP-2")
PREFIXES = ("10.20.0.0/24", "10.30.0.0/24")


class Rollback(Exception):
    """Raised inside a transaction to throw its writes away."""


@pytest.fixture
def small_inventory(engine: Engine) -> Iterator[Engine]:
    """One rack (two feeds on UPS-1), a spare feed on UPS-2, two uplinks and two prefixes."""
    rack, feeds = two_feed_rack("R01")
    document = inventory(
        racks=[rack],
        power_feeds=[*feeds, feed("PDU-SPARE", ups="UPS-2")],
        ups_list=[ups("UPS-1"), ups("UPS-2")],
        uplinks=[{"name": name, "site": "dc-kominfo", "capacity_mbps": 1000} for name in UPLINKS],
        prefixes=[prefix(cidr, "server") for cidr in PREFIXES],
    )
    load_inventory(engine, parse_inventory(document), actor=operator())
    yield engine


# One write: (kind, a number that picks what it touches, a number for how much).
WRITE = st.tuples(
    st.sampled_from(
        [
            "add_device",
            "recable",
            "bandwidth",
            "remove_device",
            "add_address",
            "free_address",
            "claim_unit",
            "claim_unusable",
            "move_unit",
            "free_unit",
            "plug",
            "unplug",
            "power",
            "move_feed",
        ]
    ),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=5_000),
)
TRANSACTION = st.tuples(st.lists(WRITE, min_size=1, max_size=6), st.booleans())


def _pick(rows: list[Any], n: int) -> Any:
    return rows[n % len(rows)] if rows else None


def _apply(session: Any, kind: str, n: int, amount: int) -> None:
    rack = session.scalars(select(Rack)).first()
    uplinks = list(session.scalars(select(Uplink).order_by(Uplink.id)))
    devices = list(session.scalars(select(Device).order_by(Device.id)))
    mbps = Decimal(amount) / 8
    if kind == "add_device":
        uplink = _pick([*uplinks, None], n)
        session.add(
            Device(
                name=f"prop-{uuid.uuid4().hex[:12]}",
                rack_id=rack.id,
                position=1 + n % 40,
                u_height=1,
                power_w=Decimal(amount) / 2,
                uplink_id=uplink.id if uplink else None,
                bandwidth_mbps=mbps if uplink else Decimal(0),
            )
        )
    elif kind == "recable" and devices:
        device = _pick(devices, n)
        uplink = _pick([*uplinks, None], amount)
        device.uplink_id = uplink.id if uplink else None
        if uplink is None:
            device.bandwidth_mbps = Decimal(0)
    elif kind == "bandwidth" and devices:
        device = _pick(devices, n)
        if device.uplink_id is not None:
            device.bandwidth_mbps = mbps
    elif kind == "remove_device" and devices:
        session.delete(_pick(devices, n))
    elif kind == "add_address":
        target = _pick(list(session.scalars(select(Prefix).order_by(Prefix.id))), n)
        host = 2 + amount % 250
        address = f"{target.prefix.rsplit('.', 1)[0]}.{host}"
        if session.scalar(select(IPAddress.id).where(IPAddress.address == address)) is None:
            owner = _pick([*devices, None], n)
            session.add(
                IPAddress(
                    address=address,
                    family=4,
                    prefix_id=target.id,
                    host=host,
                    device_id=owner.id if owner else None,
                )
            )
    elif kind == "free_address":
        freed = _pick(list(session.scalars(select(IPAddress).order_by(IPAddress.id))), n)
        if freed is not None:
            session.delete(freed)
    elif kind == "plug" and devices:
        device = _pick(devices, n)
        feed = _pick(list(session.scalars(select(PowerFeed).order_by(PowerFeed.id))), amount)
        plugged = session.scalar(
            select(PowerConnection.id).where(
                PowerConnection.device_id == device.id, PowerConnection.feed_id == feed.id
            )
        )
        if plugged is None:
            session.add(PowerConnection(device_id=device.id, feed_id=feed.id))
    elif kind == "unplug":
        connections = session.scalars(
            select(PowerConnection)
            .where(PowerConnection.device_id.is_not(None))
            .order_by(PowerConnection.id)
        )
        unplugged = _pick(list(connections), n)
        if unplugged is not None:
            session.delete(unplugged)
    elif kind == "power" and devices:
        _pick(devices, n).power_w = Decimal(amount) / 4
    elif kind == "move_feed":
        feed = _pick(list(session.scalars(select(PowerFeed).order_by(PowerFeed.id))), n)
        feed.ups_id = _pick([*session.scalars(select(UPS.id).order_by(UPS.id)), None], amount)
    elif kind == "claim_unit" and devices:
        unit, face = 1 + amount % 42, ("front", "rear")[n % 2]
        taken = session.get(RackUnit, (rack.id, unit, face))
        if taken is None:
            session.add(
                RackUnit(
                    rack_id=rack.id,
                    unit=unit,
                    face=face,
                    kind="device",
                    device_id=_pick(devices, n).id,
                )
            )
    elif kind == "claim_unusable":
        unit = 1 + amount % 42
        for face in ("front", "rear"):
            if session.get(RackUnit, (rack.id, unit, face)) is None:
                session.add(RackUnit(rack_id=rack.id, unit=unit, face=face, kind="unusable"))
    elif kind == "move_unit":
        # An UPDATE of a claim's unit and face: the maps must clear the old one and set the new.
        moved = _pick(list(session.scalars(select(RackUnit).order_by(RackUnit.unit))), n)
        unit, face = 1 + amount % 42, ("front", "rear")[amount % 2]
        if moved is not None and session.get(RackUnit, (rack.id, unit, face)) is None:
            moved.unit, moved.face = unit, face
    elif kind == "free_unit":
        freed = _pick(list(session.scalars(select(RackUnit).order_by(RackUnit.unit))), n)
        if freed is not None:
            session.delete(freed)
    session.flush()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(transactions=st.lists(TRANSACTION, min_size=1, max_size=5))
def test_maintained_totals_equal_a_recomputation_after_any_writes(
    small_inventory: Engine, transactions: list[tuple[list[tuple[str, int, int]], bool]]
) -> None:
    for writes, roll_back in transactions:
        try:
            with write_session(small_inventory) as session:
                for kind, n, amount in writes:
                    _apply(session, kind, n, amount)
                if roll_back:
                    raise Rollback
        except Rollback:
            pass
        with read_session(small_inventory) as session:
            # Each difference names the total, the key, and both values.
            assert verify(session) == []


def test_verify_finds_nothing_to_report_after_an_ordinary_load(
    small_inventory: Engine, db_url: str, run_cli: Any
) -> None:
    done = run_cli("--db", db_url, "--lang", "en", "verify")
    assert done.exit_code == 0, done.stderr
    assert "matches its base rows" in done.stdout


def test_verify_names_a_drifted_total_with_both_values_and_exits_1(
    small_inventory: Engine, db_url: str, run_cli: Any
) -> None:
    # A total changed behind the triggers' back (a manual UPDATE, a restored partial backup)
    # is exactly what verify exists to catch.
    with write_session(small_inventory) as session:
        rack = session.scalars(select(Rack)).one()
        rack.taken_front += 3
        rack_id, stored = rack.id, rack.taken_front
    done = run_cli("--db", db_url, "--lang", "en", "verify")
    assert done.exit_code == 1
    assert f"units taken on rack {rack_id} front: stored {stored}, recomputed {stored - 3}" in (
        done.stdout
    )
    assert "do not match their base rows" in done.stderr


def test_verify_shows_a_drifted_unit_map_up_to_the_racks_height(
    small_inventory: Engine, db_url: str, run_cli: Any
) -> None:
    # The map says which units are taken; one character off would hide a free block from the
    # check (or offer a taken one), so verify shows both maps for the operator to compare.
    with write_session(small_inventory) as session:
        rack = session.scalars(select(Rack)).one()
        rack.front_units = "1" + rack.front_units[1:]
        rack_id, height = rack.id, rack.u_height
    done = run_cli("--db", db_url, "--lang", "en", "verify")
    assert done.exit_code == 1
    stored, recomputed = "1" + "0" * (height - 1), "0" * height
    assert (
        f"which units are taken on rack (1 taken, x unusable, 0 free; bottom up) {rack_id} front: "
        f"stored {stored}, recomputed {recomputed}"
    ) in done.stdout


def test_verify_speaks_indonesian_by_default(
    small_inventory: Engine, db_url: str, run_cli: Any
) -> None:
    done = run_cli("--db", db_url, "verify")
    assert done.exit_code == 0
    assert "cocok dengan baris dasarnya" in done.stdout


@pytest.mark.postgres
def test_a_bulk_load_on_postgresql_keeps_the_totals_it_writes_without_the_row_triggers(
    postgres_url: str,
) -> None:
    # A bulk load pauses the row triggers of power connections and addresses and writes the
    # same totals with one statement each; the triggers must be back for the next write.
    engine = get_engine(postgres_url)
    ensure_schema(engine)
    racks, feeds = [], []
    for n in range(1, 17):
        r, f = two_feed_rack(f"R{n:02d}", ups_a="UPS-1", ups_b="UPS-2" if n % 3 else None)
        racks.append(r)
        feeds += f
    devices = [
        device(
            f"srv-{n:02d}-{u:02d}",
            f"R{n:02d}",
            u,
            power_w=100 + u,
            feeds=[f"PDU-R{n:02d}-A", f"PDU-R{n:02d}-B"] if u % 4 else [f"PDU-R{n:02d}-A"],
        )
        for n in range(1, 17)
        for u in range(1, 41)
    ]
    addresses = [{"address": f"10.20.{i // 250}.{i % 250 + 2}"} for i in range(1100)]
    document = inventory(
        racks=racks,
        power_feeds=feeds,
        ups_list=[ups("UPS-1"), ups("UPS-2")],
        devices=devices,
        prefixes=[prefix("10.20.0.0/16", "server")],
        ip_addresses=addresses,
    )
    summary = load_inventory(engine, parse_inventory(document), actor=operator())
    assert summary.total() >= BULK_LOAD
    with read_session(engine) as session:
        connections = session.scalar(select(func.count()).select_from(PowerConnection))
        assert connections >= BULK_LOAD and len(addresses) >= BULK_LOAD  # both bulk paths ran
        assert verify(session) == []
    with write_session(engine) as session:
        first = session.scalars(select(Device).order_by(Device.id)).first()
        first.power_w = Decimal(999)
        session.delete(session.scalars(select(IPAddress).order_by(IPAddress.id)).first())
    with read_session(engine) as session:
        assert verify(session) == []
