"""The totals the database maintains, recomputed from the base rows: ``dcim verify``.

Triggers (migrations 0003 and 0009) keep running totals of what never
expires, so that a check reads one row per resource instead of summing every
installed device:

- ``racks.taken_front`` / ``taken_rear``: rows of ``rack_units`` per face;
- ``racks.front_units`` / ``rear_units``: which units those rows claim, one
  character per unit (migration 0014);
- ``device_uplink_totals``: Mbps installed devices commit per uplink;
- ``prefix_address_totals``: address rows recorded per prefix;
- ``feed_device_totals`` / ``ups_device_totals``: installed devices' power per
  feed and per UPS, grouped so that the even shares stay exact.

A total that drifted from its rows would make every later check wrong in
silence, so :func:`verify` recomputes each one from the base rows with a
grouped query and lists every difference. The tests run it after their
write scenarios; an operator runs it as ``dcim verify`` (exit 1 when it
finds a difference). It only reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dcim.models import (
    FREE_UNITS,
    UNIT_CLAIMED,
    UNIT_UNUSABLE,
    Device,
    DeviceUplinkTotal,
    FeedDeviceTotal,
    IPAddress,
    PowerConnection,
    PowerFeed,
    PrefixAddressTotal,
    Rack,
    RackUnit,
    UnitClaimKind,
    UPSDeviceTotal,
)

#: The totals verify checks, in the order it reports them.
TOTALS = (
    "rack_units",
    "rack_unit_maps",
    "uplink_bandwidth",
    "uplink_devices",
    "prefix_addresses",
    "feed_power",
    "feed_devices",
    "ups_power",
    "ups_devices",
)


@dataclass(frozen=True, order=True)
class Difference:
    """One maintained total that does not match the rows it counts."""

    total: str  # one of TOTALS
    key: str  # which rack face, uplink or prefix, by id: ``12 front``, ``3``
    stored: Decimal | int | str
    recomputed: Decimal | int | str

    def to_json(self) -> dict[str, Any]:
        """The difference as ``dcim verify --json`` lists it (quantities as numbers)."""
        return {
            "total": self.total,
            "key": self.key,
            "stored": float(self.stored) if isinstance(self.stored, Decimal) else self.stored,
            "recomputed": (
                float(self.recomputed) if isinstance(self.recomputed, Decimal) else self.recomputed
            ),
        }


def _compare(
    total: str, stored: dict[Any, Any], recomputed: dict[Any, Any]
) -> Iterator[Difference]:
    # A key missing on one side counts as zero there: a total row left at 0 after its last
    # device went, or one never created, are both right.
    for key in sorted(set(stored) | set(recomputed), key=str):
        have, want = stored.get(key, 0), recomputed.get(key, 0)
        if have != want:
            shown = " ".join(str(part) for part in key) if isinstance(key, tuple) else str(key)
            yield Difference(total, shown, have, want)


def _rack_units(session: Session) -> Iterable[Difference]:
    stored: dict[tuple[int, str], int] = {}
    for rack_id, front, rear in session.execute(select(Rack.id, Rack.taken_front, Rack.taken_rear)):
        stored[(rack_id, "front")] = front
        stored[(rack_id, "rear")] = rear
    recomputed = {
        (rack_id, face): n
        for rack_id, face, n in session.execute(
            select(RackUnit.rack_id, RackUnit.face, func.count()).group_by(
                RackUnit.rack_id, RackUnit.face
            )
        )
    }
    return _compare("rack_units", stored, recomputed)


def _rack_unit_maps(session: Session) -> Iterable[Difference]:
    # A map differs when any unit's character differs; the difference shows both maps up to
    # the rack's height, so that the operator sees which units.
    heights: dict[int, int] = {}
    stored: dict[tuple[int, str], str] = {}
    for rack_id, height, front, rear in session.execute(
        select(Rack.id, Rack.u_height, Rack.front_units, Rack.rear_units)
    ):
        heights[rack_id] = height
        stored[(rack_id, "front")] = front
        stored[(rack_id, "rear")] = rear
    recomputed = {key: list(FREE_UNITS) for key in stored}
    for rack_id, unit, face, kind in session.execute(
        select(RackUnit.rack_id, RackUnit.unit, RackUnit.face, RackUnit.kind)
    ):
        recomputed[(rack_id, face)][unit - 1] = (
            UNIT_UNUSABLE if kind == UnitClaimKind.UNUSABLE else UNIT_CLAIMED
        )
    for key in sorted(stored):
        want = "".join(recomputed[key])
        if stored[key] != want:
            height = heights[key[0]]
            yield Difference(
                "rack_unit_maps", f"{key[0]} {key[1]}", stored[key][:height], want[:height]
            )


def _uplinks(session: Session) -> Iterable[Difference]:
    stored_mbps: dict[int, Decimal] = {}
    stored_devices: dict[int, int] = {}
    for row in session.scalars(select(DeviceUplinkTotal)):
        stored_mbps[row.uplink_id] = row.bandwidth_mbps
        stored_devices[row.uplink_id] = row.devices
    mbps: dict[int, Decimal] = {}
    devices: dict[int, int] = {}
    for uplink_id, total, count in session.execute(
        select(Device.uplink_id, func.sum(Device.bandwidth_mbps), func.count())
        .where(Device.uplink_id.is_not(None))
        .group_by(Device.uplink_id)
    ):
        mbps[uplink_id] = total if total is not None else Decimal(0)
        devices[uplink_id] = count
    yield from _compare("uplink_bandwidth", stored_mbps, mbps)
    yield from _compare("uplink_devices", stored_devices, devices)


def _prefixes(session: Session) -> Iterable[Difference]:
    stored = dict(
        session.execute(select(PrefixAddressTotal.prefix_id, PrefixAddressTotal.recorded)).all()
    )
    recomputed = dict(
        session.execute(
            select(IPAddress.prefix_id, func.count()).group_by(IPAddress.prefix_id)
        ).all()
    )
    return _compare("prefix_addresses", stored, recomputed)


def _feeds_of_device() -> Any:
    """How many feeds the device of the current connection row plugs into (correlated)."""
    other = PowerConnection.__table__.alias("other")
    return (
        select(func.count()).where(other.c.device_id == PowerConnection.device_id).scalar_subquery()
    )


def _feeds(session: Session) -> Iterable[Difference]:
    stored_power: dict[tuple[int, int], Decimal] = {}
    stored_devices: dict[tuple[int, int], int] = {}
    for row in session.scalars(select(FeedDeviceTotal)):
        stored_power[(row.feed_id, row.feeds_of_device)] = row.power_w
        stored_devices[(row.feed_id, row.feeds_of_device)] = row.devices
    n = _feeds_of_device().label("n")
    power: dict[tuple[int, int], Decimal] = {}
    devices: dict[tuple[int, int], int] = {}
    for feed_id, feeds, total, count in session.execute(
        select(PowerConnection.feed_id, n, func.sum(Device.power_w), func.count())
        .join(Device, Device.id == PowerConnection.device_id)
        .group_by(PowerConnection.feed_id, n)
    ):
        power[(feed_id, feeds)] = total
        devices[(feed_id, feeds)] = count
    yield from _compare("feed_power", stored_power, power)
    yield from _compare("feed_devices", stored_devices, devices)


def _ups(session: Session) -> Iterable[Difference]:
    stored_power: dict[tuple[int, int, int], Decimal] = {}
    stored_devices: dict[tuple[int, int, int], int] = {}
    for row in session.scalars(select(UPSDeviceTotal)):
        key = (row.ups_id, row.feeds_on_ups, row.feeds_of_device)
        stored_power[key] = row.power_w
        stored_devices[key] = row.devices
    # One row per (UPS, device): how many of the device's feeds this UPS backs, of how many.
    per_device = (
        select(
            PowerFeed.ups_id.label("ups_id"),
            PowerConnection.device_id.label("device_id"),
            func.count().label("m"),
            _feeds_of_device().label("n"),
        )
        .join(PowerFeed, PowerFeed.id == PowerConnection.feed_id)
        .where(PowerFeed.ups_id.is_not(None), PowerConnection.device_id.is_not(None))
        .group_by(PowerFeed.ups_id, PowerConnection.device_id)
        .subquery()
    )
    power: dict[tuple[int, int, int], Decimal] = {}
    devices: dict[tuple[int, int, int], int] = {}
    for ups_id, m, feeds, total, count in session.execute(
        select(
            per_device.c.ups_id,
            per_device.c.m,
            per_device.c.n,
            func.sum(Device.power_w),
            func.count(),
        )
        .join(Device, Device.id == per_device.c.device_id)
        .group_by(per_device.c.ups_id, per_device.c.m, per_device.c.n)
    ):
        power[(ups_id, m, feeds)] = total
        devices[(ups_id, m, feeds)] = count
    yield from _compare("ups_power", stored_power, power)
    yield from _compare("ups_devices", stored_devices, devices)


def verify(session: Session) -> list[Difference]:
    """Every maintained total that differs from a recomputation from the base rows (none: [])."""
    differences: list[Difference] = []
    for check in (_rack_units, _rack_unit_maps, _uplinks, _prefixes, _feeds, _ups):
        differences.extend(check(session))
    return differences
