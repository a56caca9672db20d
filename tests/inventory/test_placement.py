"""Devices and holds share their placement columns, and committing a hold copies all of them."""

from __future__ import annotations

from decimal import Decimal

from dcim.models import Device, Reservation, copy_placement
from dcim.models.placement import PLACEMENT_COLUMNS


def _columns(model: type) -> dict[str, str]:
    return {column.name: repr(column.type) for column in model.__table__.columns}


def test_devices_and_holds_have_the_same_placement_columns() -> None:
    devices, holds = _columns(Device), _columns(Reservation)
    assert {name: devices[name] for name in PLACEMENT_COLUMNS} == {
        name: holds[name] for name in PLACEMENT_COLUMNS
    }


def test_every_column_a_device_shares_with_a_hold_is_placement_or_its_own_bookkeeping() -> None:
    # A column added to both tables by hand instead of to the mixin would not be copied on commit.
    shared = set(_columns(Device)) & set(_columns(Reservation))
    assert shared - set(PLACEMENT_COLUMNS) == {"id", "model", "status"}


def test_committing_copies_every_placement_column_of_the_hold() -> None:
    hold = Reservation(
        tenant_id=7,
        rack_id=3,
        position=12,
        u_height=2,
        face="rear",
        full_depth=False,
        weight_kg=Decimal("25.5"),
        power_w=Decimal(450),
        uplink_id=5,
        bandwidth_mbps=Decimal(50),
    )
    device = Device(name="SRV-01")
    copy_placement(hold, device)
    assert {name: getattr(device, name) for name in PLACEMENT_COLUMNS} == {
        name: getattr(hold, name) for name in PLACEMENT_COLUMNS
    }
    assert device.top_unit == 13
