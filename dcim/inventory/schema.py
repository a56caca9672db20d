"""The inventory file's shape, as pydantic models: types, ranges and unknown keys.

These models check each entry on its own. Rules that span entries (names,
references, overlaps, prefixes, addresses, zones) live in
:mod:`dcim.inventory.rules`, which runs over the parsed models.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from annotated_types import Ge, Gt, Le
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from dcim.choices import DeviceStatus, Face, IPStatus, Phase, RackStatus, Redundancy
from dcim.defaults import (
    DEFAULT_BANDWIDTH_OVERSUBSCRIPTION,
    DEFAULT_FEED_MAX_UTILIZATION,
    DEFAULT_REDUNDANCY,
    DEFAULT_RESERVATION_WORKING_DAYS,
    DEFAULT_RESERVED_LABELS,
    DEFAULT_UPS_MAX_LOAD,
    DEFAULT_UPS_POWER_FACTOR,
)

from .fields import (
    DEFAULT_RACK_UNITS,
    MAX_AMPERAGE,
    MAX_BANDWIDTH_MBPS,
    MAX_BATTERY_WH,
    MAX_CAPACITY_KVA,
    MAX_LIST_ITEMS,
    MAX_OVERSUBSCRIPTION,
    MAX_POWER_W,
    MAX_RACK_UNITS,
    MAX_RACK_WEIGHT_KG,
    MAX_VOLTAGE,
    MAX_WEIGHT_KG,
    MAX_WORKING_DAYS,
    Name,
    as_decimal,
    bounded_int,
    choice,
    line_type,
    name_type,
    quantity,
)

# Lengths follow the columns they are stored in (tests/inventory/test_column_widths.py keeps them equal).
Text = line_type(200)
Slug = name_type(64, pattern=r"^[a-z0-9-]+$")
SiteSlug = name_type(64, pattern=r"^[A-Za-z0-9_-]+$")
HoldCode = name_type(64)
Percent = Annotated[Decimal, BeforeValidator(as_decimal), Ge(1), Le(100)]
PositiveInt = Annotated[int, Ge(1)]
UnitHeight = bounded_int(1, MAX_RACK_UNITS)
RackUnitNumber = bounded_int(1, MAX_RACK_UNITS)
# Outside the rack is a rule of its own with its own message; the bound only keeps the column whole.
Position = bounded_int(-MAX_RACK_UNITS, 10 * MAX_RACK_UNITS)
AddressText = line_type(45, min_length=1)
PowerFactor = Annotated[Decimal, BeforeValidator(as_decimal), Gt(0), Le(1)]


def short_list(item: Any) -> Any:
    """A list of at most :data:`MAX_LIST_ITEMS` items."""
    return Annotated[list[item], Field(max_length=MAX_LIST_ITEMS)]


# The closed sets come from dcim.choices, the one place each is written.
RackStatusValue = choice(RackStatus)
DeviceStatusValue = choice(DeviceStatus)
IPStatusValue = choice(IPStatus)
FaceValue = choice(Face)
PhaseValue = choice(Phase)
RedundancyValue = choice(Redundancy)


def _whole_version(value: Any) -> Any:
    """``version`` is the integer 1: not ``1.0``, not ``true`` (which YAML and Python treat as 1)."""
    if type(value) is not int:
        raise PydanticCustomError("version_type", "must be one of 1")
    return value


class Entry(BaseModel):
    """Common configuration: unknown fields are errors, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=False)


class OrganizationEntry(Entry):
    """The office named on letters and reports."""

    government: Text | None = None
    office: Text | None = None
    city: line_type(100) | None = None


class PolicyEntry(Entry):
    """Capacity policy; every key has the contract's default."""

    feed_max_utilization: Percent = DEFAULT_FEED_MAX_UTILIZATION
    redundancy: RedundancyValue = DEFAULT_REDUNDANCY
    ups_power_factor: PowerFactor = DEFAULT_UPS_POWER_FACTOR
    ups_max_load: Percent = DEFAULT_UPS_MAX_LOAD
    bandwidth_oversubscription: quantity(maximum=MAX_OVERSUBSCRIPTION, positive=True) = (
        DEFAULT_BANDWIDTH_OVERSUBSCRIPTION
    )
    reservation_working_days: bounded_int(1, MAX_WORKING_DAYS) = DEFAULT_RESERVATION_WORKING_DAYS
    reserved_labels: short_list(name_type(63)) = Field(
        default_factory=lambda: list(DEFAULT_RESERVED_LABELS)
    )


class TenantEntry(Entry):
    """An OPD or the data-center owner."""

    slug: Slug
    name: Text


class SiteEntry(Entry):
    """A server room."""

    slug: SiteSlug
    name: Text


class UPSEntry(Entry):
    """An uninterruptible power supply."""

    name: Name
    site: SiteSlug
    capacity_kva: quantity(maximum=MAX_CAPACITY_KVA, positive=True)
    power_factor: PowerFactor | None = None
    battery_wh: quantity(maximum=MAX_BATTERY_WH) | None = None


class PowerFeedEntry(Entry):
    """A circuit feeding one rack PDU."""

    name: Name
    site: SiteSlug
    ups: Name | None = None
    voltage: quantity(maximum=MAX_VOLTAGE, positive=True)
    amperage: quantity(maximum=MAX_AMPERAGE, positive=True)
    phase: PhaseValue = Phase.SINGLE
    max_utilization: Percent | None = None


class RackEntry(Entry):
    """A rack and the feeds whose PDUs sit in it."""

    name: Name
    site: SiteSlug
    u_height: UnitHeight = DEFAULT_RACK_UNITS
    status: RackStatusValue = RackStatus.ACTIVE
    max_weight_kg: quantity(maximum=MAX_RACK_WEIGHT_KG) | None = None
    feeds: short_list(Name) = Field(default_factory=list)
    unusable_units: short_list(RackUnitNumber) = Field(default_factory=list)


class UplinkEntry(Entry):
    """An internet or WAN link."""

    name: Name
    site: SiteSlug
    capacity_mbps: quantity(maximum=MAX_BANDWIDTH_MBPS, positive=True)


class PrefixEntry(Entry):
    """An IP pool of a role."""

    prefix: line_type(50, min_length=1)
    role: name_type(64, pattern=r"^[a-z0-9_-]+$")
    site: SiteSlug | None = None
    vlan: Annotated[int, Ge(1), Le(4094)] | None = None
    gateway: AddressText | None = None
    is_pool: bool = False
    reserved_ranges: short_list(line_type(100, min_length=1)) = Field(default_factory=list)


class IPAddressEntry(Entry):
    """An address in use."""

    address: AddressText
    device: Name | None = None
    description: Text | None = None
    status: IPStatusValue = IPStatus.ACTIVE


class RecordEntry(Entry):
    """A DNS record, named relative to its zone."""

    name: line_type(253, min_length=1)
    type: line_type(10, min_length=1)
    value: line_type(2000, min_length=1)
    ttl: Annotated[int, Ge(0), Le(2_147_483_647)] | None = None


class ZoneEntry(Entry):
    """A managed DNS zone."""

    name: line_type(253, min_length=1)
    records: list[RecordEntry] = Field(default_factory=list)


class MountedEntry(Entry):
    """What devices and holds share: a place in a rack, power, bandwidth."""

    tenant: Slug | None = None
    rack: Name
    position: Position
    u_height: UnitHeight
    face: FaceValue = Face.FRONT
    full_depth: bool = True
    weight_kg: quantity(maximum=MAX_WEIGHT_KG) = Decimal(0)
    power_w: quantity(maximum=MAX_POWER_W) = Decimal(0)
    feeds: short_list(Name) = Field(default_factory=list)
    uplink: Name | None = None
    bandwidth_mbps: quantity(maximum=MAX_BANDWIDTH_MBPS) = Decimal(0)


class DeviceEntry(MountedEntry):
    """Installed (or planned) equipment."""

    name: Name
    model: Text | None = None
    serial: line_type(100) | None = None
    status: DeviceStatusValue = DeviceStatus.ACTIVE


class ReservationEntry(MountedEntry):
    """A hold of an accepted request."""

    id: HoldCode
    request: line_type(100, min_length=1) | None = None
    ips: short_list(AddressText) = Field(default_factory=list)
    fqdns: short_list(line_type(300, min_length=1)) = Field(default_factory=list)
    expires_at: dt.date = Field(strict=False)


class InventoryFile(Entry):
    """A whole inventory file, version 1."""

    version: Annotated[Literal[1], BeforeValidator(_whole_version)]
    organization: OrganizationEntry | None = None
    policy: PolicyEntry | None = None
    tenants: list[TenantEntry] = Field(default_factory=list)
    sites: list[SiteEntry] = Field(default_factory=list)
    ups: list[UPSEntry] = Field(default_factory=list)
    power_feeds: list[PowerFeedEntry] = Field(default_factory=list)
    racks: list[RackEntry] = Field(default_factory=list)
    uplinks: list[UplinkEntry] = Field(default_factory=list)
    prefixes: list[PrefixEntry] = Field(default_factory=list)
    ip_addresses: list[IPAddressEntry] = Field(default_factory=list)
    zones: list[ZoneEntry] = Field(default_factory=list)
    devices: list[DeviceEntry] = Field(default_factory=list)
    reservations: list[ReservationEntry] = Field(default_factory=list)


LIST_SECTIONS: tuple[str, ...] = (
    "tenants",
    "sites",
    "ups",
    "power_feeds",
    "racks",
    "uplinks",
    "prefixes",
    "ip_addresses",
    "zones",
    "devices",
    "reservations",
)
