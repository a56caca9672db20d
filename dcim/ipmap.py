"""The address map of a prefix (a grid like phpIPAM's), its free ranges, and address search.

Every address of a prefix is in one state: the network or broadcast address
(IPv4 /30 and shorter, unless the prefix is a pool), the subnet-router
anycast address (IPv6 /126 and shorter, unless a pool), the gateway, inside
a reserved range, used (an address entry), held (by a live hold), or free.
The map reads one window of a prefix at a time, so a /64 is as quick as a /28.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, func, or_, select
from sqlalchemy.orm import Session

from dcim.core_tables import (
    Device,
    IPAddress,
    Prefix,
    PrefixReservedRange,
    Reservation,
    Site,
    Tenant,
)
from dcim.limits import excluded_offsets
from dcim.occupancy import live_hold_filter
from dcim.paging import page_count

WINDOW = 256
NETWORK = "network"
BROADCAST = "broadcast"
ANYCAST = "anycast"
GATEWAY = "gateway"
RESERVED = "reserved"
USED = "used"
HELD = "held"
FREE = "free"


@dataclass(frozen=True)
class Cell:
    """One address of the map and what it is."""

    address: str
    state: str
    device: str | None = None
    tenant: str | None = None
    description: str | None = None
    hold: str | None = None


@dataclass(frozen=True)
class AddressMap:
    """A window of a prefix: its cells in address order, and where the window lies."""

    prefix: str
    role: str
    site: str | None
    vlan: int | None
    gateway: str | None
    is_pool: bool
    size: int
    start: int
    cells: list[Cell]

    @property
    def windows(self) -> int:
        """How many windows of :data:`WINDOW` addresses the prefix has."""
        return page_count(self.size, WINDOW)


def _live(on: dt.date) -> ColumnElement[bool]:
    """Address rows that count on the date: inventory entries, and those of live holds."""
    return or_(IPAddress.reservation_id.is_(None), live_hold_filter(on))


def _prefix(session: Session, prefix: str) -> tuple[Row[Any], str | None, list[tuple[str, str]]]:
    row = session.execute(
        select(Prefix.__table__, Site.slug.label("site_slug"))
        .outerjoin(Site, Site.id == Prefix.site_id)
        .where(Prefix.prefix == prefix)
    ).first()
    if row is None:
        raise LookupError(f"unknown prefix '{prefix}'")
    ranges = [
        (first, last)
        for first, last in session.execute(
            select(PrefixReservedRange.first, PrefixReservedRange.last).where(
                PrefixReservedRange.prefix_id == row.id
            )
        )
    ]
    return row, row.site_slug, ranges


def _fixed_states(
    network: ipaddress.IPv4Network | ipaddress.IPv6Network,
    is_pool: bool,
    gateway: str | None,
    ranges: list[tuple[str, str]],
) -> tuple[dict[int, str], tuple[tuple[int, int], ...]]:
    """Single addresses with a fixed state, and the reserved intervals (offsets)."""
    size = network.num_addresses
    fixed: dict[int, str] = {}
    if not is_pool:
        if network.version == 4 and network.prefixlen <= 30:
            fixed[0] = NETWORK
            fixed[size - 1] = BROADCAST
        elif network.version == 6 and network.prefixlen <= 126:
            fixed[0] = ANYCAST
    if gateway is not None:
        fixed[int(ipaddress.ip_address(gateway)) - int(network.network_address)] = GATEWAY
    reserved = excluded_offsets(network, True, None, ranges)
    return fixed, reserved


def address_map(session: Session, on: dt.date, prefix: str, window: int = 0) -> AddressMap:
    """The cells of one window (``window`` counts from 0) of a prefix."""
    row, site, ranges = _prefix(session, prefix)
    network = ipaddress.ip_network(row.prefix)
    size = network.num_addresses
    start = max(0, min(window, page_count(size, WINDOW) - 1)) * WINDOW
    end = min(size, start + WINDOW) - 1
    fixed, reserved = _fixed_states(network, row.is_pool, row.gateway, ranges)
    used = {}
    stmt = (
        select(IPAddress.host, IPAddress.description, Device.name, Reservation.code, Tenant.slug)
        .outerjoin(Device, Device.id == IPAddress.device_id)
        .outerjoin(Reservation, Reservation.id == IPAddress.reservation_id)
        .outerjoin(Tenant, Tenant.id == func.coalesce(Device.tenant_id, Reservation.tenant_id))
        .where(IPAddress.prefix_id == row.id, IPAddress.host >= start, IPAddress.host <= end)
        .where(_live(on))
    )
    for host, description, device, code, tenant in session.execute(stmt):
        used[host] = (description, device, code, tenant)
    base = int(network.network_address)
    cells = []
    for offset in range(start, end + 1):
        address = str(ipaddress.ip_address(base + offset))
        if offset in used:
            description, device, code, tenant = used[offset]
            state = HELD if code else USED
            cells.append(Cell(address, state, device, tenant, description, code))
        elif offset in fixed:
            cells.append(Cell(address, fixed[offset]))
        elif any(first <= offset <= last for first, last in reserved):
            cells.append(Cell(address, RESERVED))
        else:
            cells.append(Cell(address, FREE))
    return AddressMap(
        prefix=row.prefix,
        role=row.role,
        site=site,
        vlan=row.vlan,
        gateway=row.gateway,
        is_pool=row.is_pool,
        size=size,
        start=start,
        cells=cells,
    )


@dataclass(frozen=True)
class FreeRange:
    """A run of free addresses."""

    first: str
    last: str
    count: int


def free_ranges(session: Session, on: dt.date, prefix: str, limit: int = 100) -> list[FreeRange]:
    """The runs of free addresses of a prefix, lowest first, at most ``limit`` of them."""
    row, _site, ranges = _prefix(session, prefix)
    network = ipaddress.ip_network(row.prefix)
    size = network.num_addresses
    fixed, reserved = _fixed_states(network, row.is_pool, row.gateway, ranges)
    taken: list[tuple[int, int]] = [(offset, offset) for offset in fixed]
    taken += list(reserved)
    stmt = (
        select(IPAddress.host)
        .outerjoin(Reservation, Reservation.id == IPAddress.reservation_id)
        .where(IPAddress.prefix_id == row.id, IPAddress.host.is_not(None), _live(on))
    )
    taken += [(host, host) for (host,) in session.execute(stmt)]
    taken.sort()
    base = int(network.network_address)
    result: list[FreeRange] = []
    cursor = 0
    for first, last in taken:
        if first > cursor:
            result.append(_free(base, cursor, first - 1))
            if len(result) >= limit:
                return result
        cursor = max(cursor, last + 1)
    if cursor <= size - 1:
        result.append(_free(base, cursor, size - 1))
    return result[:limit]


def _free(base: int, first: int, last: int) -> FreeRange:
    return FreeRange(
        str(ipaddress.ip_address(base + first)),
        str(ipaddress.ip_address(base + last)),
        last - first + 1,
    )


@dataclass(frozen=True)
class Hit:
    """An address found by a search, with what uses it."""

    address: str
    prefix: str
    role: str
    state: str
    device: str | None
    tenant: str | None
    description: str | None
    hold: str | None


def search(session: Session, on: dt.date, text: str, limit: int = 200) -> list[Hit]:
    """Addresses in use whose address, device, tenant, hold or description matches the text."""
    needle = text.strip().lower()
    if not needle:
        return []
    stmt = (
        select(
            IPAddress.address,
            Prefix.prefix,
            Prefix.role,
            Device.name,
            Tenant.slug,
            IPAddress.description,
            Reservation.code,
        )
        .join(Prefix, Prefix.id == IPAddress.prefix_id)
        .outerjoin(Device, Device.id == IPAddress.device_id)
        .outerjoin(Reservation, Reservation.id == IPAddress.reservation_id)
        .outerjoin(Tenant, Tenant.id == func.coalesce(Device.tenant_id, Reservation.tenant_id))
        .where(_live(on))
        .where(
            # A % or _ typed by the person is a character to find, not a wildcard.
            or_(
                *(
                    func.lower(column).contains(needle, autoescape=True)
                    for column in (
                        IPAddress.address,
                        Device.name,
                        Tenant.slug,
                        Tenant.name,
                        Reservation.code,
                        IPAddress.description,
                    )
                )
            )
        )
        .order_by(IPAddress.family, IPAddress.prefix_id, IPAddress.host)
        .limit(limit)
    )
    return [
        Hit(address, prefix, role, HELD if code else USED, device, tenant, description, code)
        for address, prefix, role, device, tenant, description, code in session.execute(stmt)
    ]
