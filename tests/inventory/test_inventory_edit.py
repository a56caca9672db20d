"""Editing the inventory in the app: the same rules as ``dcim load``, all or nothing, audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from dcim.accounts import operator
from dcim.db import read_session
from dcim.errors import InputError, PermissionDenied
from dcim.inventory.edit import apply_changes, diff, records_change, section_rows, upsert
from dcim.inventory.export import read_inventory
from dcim.inventory.load import load_file
from dcim.models import AuditEntry, Device, IPAddress, PowerFeed, Rack, RackUnit, Record, User
from dcim.tables import entries_from_rows, table_rows
from dcim_demo.users import load as load_demo_users

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example" / "inventory.yaml"


@pytest.fixture
def inventory(engine: Engine) -> Engine:
    """The contract's example data center, with the demo users."""
    load_file(engine, FIXTURE, actor=operator())
    load_demo_users(engine, operator())
    return engine


def _user(engine: Engine, name: str) -> User:
    with read_session(engine) as session:
        user = session.scalar(select(User).where(User.username == name))
        assert user is not None
        return user


def _rows(engine: Engine, section: str) -> list[dict[str, Any]]:
    """The section as the editor starts it: table rows read back, each with its key."""
    with read_session(engine) as session:
        doc = read_inventory(session)
    rows = entries_from_rows(section, table_rows(section, section_rows(doc, section)))
    key = {"prefixes": "prefix", "ip_addresses": "address"}.get(section, "name")
    return [{**row, "_key": row.get(key)} for row in rows]


def _edit(engine: Engine, section: str, change: Any, user: str = "timdc") -> Any:
    return apply_changes(engine, [change], _user(engine, user))


def _device(engine: Engine, name: str) -> Device | None:
    with read_session(engine) as session:
        return session.scalar(select(Device).where(Device.name == name))


def test_moving_a_device_moves_its_units(inventory: Engine) -> None:
    original = _rows(inventory, "devices")
    edited = [dict(row) for row in original]
    row = next(r for r in edited if r["name"] == "SRV-BKPSDM-01")
    row["position"] = 30
    summary = _edit(inventory, "devices", diff("devices", original, edited))
    assert summary.counts["devices"] == (0, 1, 0)
    device = _device(inventory, "SRV-BKPSDM-01")
    assert device is not None and device.position == 30
    with read_session(inventory) as session:
        units = sorted(
            session.scalars(select(RackUnit.unit).where(RackUnit.device_id == device.id).distinct())
        )
    assert units == [30, 31]


def test_an_overlapping_position_is_refused_with_the_load_message_and_changes_nothing(
    inventory: Engine,
) -> None:
    original = _rows(inventory, "devices")
    edited = [dict(row) for row in original]
    row = next(r for r in edited if r["name"] == "SRV-DUKCAPIL-01")
    row["position"] = 11  # SRV-BKPSDM-01 takes units 10 and 11
    with pytest.raises(InputError) as refused:
        _edit(inventory, "devices", diff("devices", original, edited))
    lines = refused.value.lines()
    assert any("devices[2].position" in line and "overlaps" in line for line in lines)
    device = _device(inventory, "SRV-DUKCAPIL-01")
    assert device is not None and device.position == 12


def test_a_value_of_the_wrong_type_names_the_field(inventory: Engine) -> None:
    original = _rows(inventory, "racks")
    edited = [dict(row) for row in original]
    edited[0]["u_height"] = "tinggi"
    with pytest.raises(InputError) as refused:
        _edit(inventory, "racks", diff("racks", original, edited))
    assert refused.value.problems[0].path == "racks[0].u_height"


def test_renaming_a_feed_keeps_its_racks_and_devices(inventory: Engine) -> None:
    original = _rows(inventory, "power_feeds")
    edited = [dict(row) for row in original]
    next(r for r in edited if r["name"] == "PDU-R02-A")["name"] = "PDU-R02-KIRI"
    _edit(inventory, "power_feeds", diff("power_feeds", original, edited))
    with read_session(inventory) as session:
        doc = read_inventory(session)
    rack = next(r for r in doc["racks"] if r["name"] == "R02")
    assert "PDU-R02-KIRI" in rack["feeds"]
    device = next(d for d in doc["devices"] if d["name"] == "SRV-BKPSDM-01")
    assert "PDU-R02-KIRI" in device["feeds"]


def test_removing_a_device_frees_its_units_and_addresses(inventory: Engine) -> None:
    original = _rows(inventory, "devices")
    edited = [row for row in original if row["name"] != "SRV-BKPSDM-01"]
    _edit(inventory, "devices", diff("devices", original, edited))
    assert _device(inventory, "SRV-BKPSDM-01") is None
    with read_session(inventory) as session:
        assert session.scalar(select(IPAddress).where(IPAddress.address == "203.0.113.5")) is None


def test_adding_a_rack_with_a_feed(inventory: Engine) -> None:
    feeds = _rows(inventory, "power_feeds")
    new_feed = {
        "name": "PDU-R05-A",
        "site": "dc-kominfo",
        "ups": "UPS-A",
        "voltage": 230,
        "amperage": 16,
        "phase": "single",
        "_key": None,
    }
    racks = _rows(inventory, "racks")
    new_rack = {
        "name": "R05",
        "site": "dc-kominfo",
        "u_height": 42,
        "status": "active",
        "feeds": ["PDU-R05-A"],
        "unusable_units": [1, 2],
        "_key": None,
    }
    apply_changes(
        inventory,
        [diff("power_feeds", feeds, [*feeds, new_feed]), diff("racks", racks, [*racks, new_rack])],
        _user(inventory, "timdc"),
    )
    with read_session(inventory) as session:
        rack = session.scalar(select(Rack).where(Rack.name == "R05"))
        assert rack is not None
        feed = session.scalar(select(PowerFeed).where(PowerFeed.name == "PDU-R05-A"))
        assert feed is not None and feed.rack_id == rack.id
        unusable = session.scalar(
            select(func.count()).select_from(RackUnit).where(RackUnit.rack_id == rack.id)
        )
        assert unusable == 4


def test_editing_zone_records_checks_their_values(inventory: Engine) -> None:
    original = _rows(inventory, "records")
    edited = [dict(row) for row in original]
    edited.append(
        {"zone": "sumbawakab.go.id", "name": "sipd-baru", "type": "A", "value": "bukan-ip"}
    )
    with pytest.raises(InputError) as refused:
        apply_changes(inventory, [records_change(original, edited)], _user(inventory, "timdc"))
    assert any("value" in p.path and "IPv4" in p.message for p in refused.value.problems)
    edited[-1]["value"] = "203.0.113.9"
    apply_changes(inventory, [records_change(original, edited)], _user(inventory, "timdc"))
    with read_session(inventory) as session:
        assert session.scalar(select(Record).where(Record.name == "sipd-baru")) is not None


def test_an_import_adds_and_replaces_rows_by_key(inventory: Engine) -> None:
    with read_session(inventory) as session:
        keys = {d["name"] for d in read_inventory(session)["uplinks"]}
    rows = [
        {"name": "ISP-1", "site": "dc-kominfo", "capacity_mbps": 1000},
        {"name": "ISP-3", "site": "dc-kominfo", "capacity_mbps": 200},
    ]
    summary = apply_changes(inventory, [upsert("uplinks", rows, keys)], _user(inventory, "timdc"))
    assert summary.counts["uplinks"] == (1, 1, 0)


def test_only_tim_dc_edits_the_inventory(inventory: Engine) -> None:
    original = _rows(inventory, "racks")
    edited = [dict(row) for row in original]
    edited[0]["max_weight_kg"] = 700
    with pytest.raises(PermissionDenied):
        _edit(inventory, "racks", diff("racks", original, edited), user="kabid")


def test_every_edit_is_in_the_audit_log(inventory: Engine) -> None:
    original = _rows(inventory, "racks")
    edited = [dict(row) for row in original]
    edited[0]["max_weight_kg"] = 700
    _edit(inventory, "racks", diff("racks", original, edited))
    with read_session(inventory) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "inventory.edit"))
    assert entry is not None and entry.username == "timdc"
    assert entry.data is not None and "R01" in entry.data["racks"]["changed"]
