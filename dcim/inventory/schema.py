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
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from dcim.models.choices import DeviceStatus, Face, IPStatus, Phase, RackStatus, Redundancy
from dcim.models.settings import DEFAULT_RESERVED_LABELS

MAX_DECIMALS = 3


def as_decimal(value: Any) -> Decimal:
    """Accept an integer or a decimal number (never a boolean or a string) as an exact Decimal."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise PydanticCustomError("number_type", "must be a number")
    number = Decimal(str(value))
    if not number.is_finite():
        raise PydanticCustomError("number_type", "must be a finite number")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        raise PydanticCustomError(
            "number_precision", "at most {digits} decimal places", {"digits": MAX_DECIMALS}
        )
    return number


Number = Annotated[Decimal, BeforeValidator(as_decimal)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^\S(.*\S)?$")]
Text = Annotated[str, StringConstraints(max_length=500)]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9-]+$")]
SiteSlug = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
]
Percent = Annotated[Decimal, BeforeValidator(as_decimal), Ge(1), Le(100)]
PositiveInt = Annotated[int, Ge(1)]
UnitHeight = Annotated[int, Ge(1), Le(100)]

RackStatusValue = Literal["active", "planned", "reserved", "deprecated"]
DeviceStatusValue = Literal["active", "planned", "offline"]
IPStatusValue = Literal["active", "reserved", "dhcp", "deprecated"]
FaceValue = Literal["front", "rear"]
PhaseValue = Literal["single", "three"]
RedundancyValue = Literal["2N", "N"]

# The Literal types above must list exactly the values of the shared choice sets.
assert set(RackStatusValue.__args__) == set(RackStatus.values())  # type: ignore[attr-defined]
assert set(DeviceStatusValue.__args__) == set(DeviceStatus.values())  # type: ignore[attr-defined]
assert set(IPStatusValue.__args__) == set(IPStatus.values())  # type: ignore[attr-defined]
assert set(FaceValue.__args__) == set(Face.values())  # type: ignore[attr-defined]
assert set(PhaseValue.__args__) == set(Phase.values())  # type: ignore[attr-defined]
assert set(RedundancyValue.__args__) == set(Redundancy.values())  # type: ignore[attr-defined]


class Entry(BaseModel):
    """Common configuration: unknown fields are errors, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=False)


class OrganizationEntry(Entry):
    """The office named on letters and reports."""

    government: Text | None = None
    office: Text | None = None
    city: Text | None = None


class PolicyEntry(Entry):
    """Capacity policy; every key has the contract's default."""

    feed_max_utilization: Percent = Decimal(80)
    redundancy: RedundancyValue = "2N"
    ups_power_factor: Annotated[Decimal, BeforeValidator(as_decimal), Gt(0), Le(1)] = Decimal("0.9")
    ups_max_load: Percent = Decimal(80)
    bandwidth_oversubscription: Annotated[Decimal, BeforeValidator(as_decimal), Gt(0)] = Decimal(1)
    reservation_working_days: PositiveInt = 10
    reserved_labels: list[Annotated[str, StringConstraints(min_length=1, max_length=63)]] = Field(
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
    capacity_kva: Annotated[Decimal, BeforeValidator(as_decimal), Gt(0)]
    power_factor: Annotated[Decimal, BeforeValidator(as_decimal), Gt(0), Le(1)] | None = None
    battery_wh: Annotated[Decimal, BeforeValidator(as_decimal), Ge(0)] | None = None


class PowerFeedEntry(Entry):
    """A circuit feeding one rack PDU."""

    name: Name
    site: SiteSlug
    ups: Name | None = None
    voltage: Annotated[Decimal, BeforeValidator(as_decimal), Gt(0)]
    amperage: Annotated[Decimal, BeforeValidator(as_decimal), Gt(0)]
    phase: PhaseValue = "single"
    max_utilization: Percent | None = None


class RackEntry(Entry):
    """A rack and the feeds whose PDUs sit in it."""

    name: Name
    site: SiteSlug
    u_height: UnitHeight = 42
    status: RackStatusValue = "active"
    max_weight_kg: Annotated[Decimal, BeforeValidator(as_decimal), Ge(0)] | None = None
    feeds: list[Name] = Field(default_factory=list)
    unusable_units: list[PositiveInt] = Field(default_factory=list)


class UplinkEntry(Entry):
    """An internet or WAN link."""

    name: Name
    site: SiteSlug
    capacity_mbps: Annotated[Decimal, BeforeValidator(as_decimal), Gt(0)]


class PrefixEntry(Entry):
    """An IP pool of a role."""

    prefix: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    role: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9_-]+$")]
    site: SiteSlug | None = None
    vlan: Annotated[int, Ge(1), Le(4094)] | None = None
    gateway: Annotated[str, StringConstraints(min_length=1, max_length=45)] | None = None
    is_pool: bool = False
    reserved_ranges: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] = Field(
        default_factory=list
    )


class IPAddressEntry(Entry):
    """An address in use."""

    address: Annotated[str, StringConstraints(min_length=1, max_length=45)]
    device: Name | None = None
    description: Text | None = None
    status: IPStatusValue = "active"


class RecordEntry(Entry):
    """A DNS record, named relative to its zone."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=253)]
    type: Annotated[str, StringConstraints(min_length=1, max_length=10)]
    value: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    ttl: Annotated[int, Ge(0), Le(2_147_483_647)] | None = None


class ZoneEntry(Entry):
    """A managed DNS zone."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=253)]
    records: list[RecordEntry] = Field(default_factory=list)


class MountedEntry(Entry):
    """What devices and holds share: a place in a rack, power, bandwidth."""

    tenant: Slug | None = None
    rack: Name
    position: int
    u_height: UnitHeight
    face: FaceValue = "front"
    full_depth: bool = True
    weight_kg: Annotated[Decimal, BeforeValidator(as_decimal), Ge(0)] = Decimal(0)
    power_w: Annotated[Decimal, BeforeValidator(as_decimal), Ge(0)] = Decimal(0)
    feeds: list[Name] = Field(default_factory=list)
    uplink: Name | None = None
    bandwidth_mbps: Annotated[Decimal, BeforeValidator(as_decimal), Ge(0)] = Decimal(0)


class DeviceEntry(MountedEntry):
    """Installed (or planned) equipment."""

    name: Name
    model: Text | None = None
    serial: Annotated[str, StringConstraints(max_length=100)] | None = None
    status: DeviceStatusValue = "active"


class ReservationEntry(MountedEntry):
    """A hold of an accepted request."""

    id: Name
    request: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    ips: list[Annotated[str, StringConstraints(min_length=1, max_length=45)]] = Field(
        default_factory=list
    )
    fqdns: list[Annotated[str, StringConstraints(min_length=1, max_length=300)]] = Field(
        default_factory=list
    )
    expires_at: dt.date = Field(strict=False)


class InventoryFile(Entry):
    """A whole inventory file, version 1."""

    version: Literal[1]
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
    "tenants", "sites", "ups", "power_feeds", "racks", "uplinks", "prefixes",
    "ip_addresses", "zones", "devices", "reservations",
)  # fmt: skip
