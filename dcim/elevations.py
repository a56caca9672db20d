"""Rack elevations: what sits in which units of each rack, front and rear, and where it is free.

A page of racks is chosen by set-based queries (site, rack status, tenant,
the largest free block); only the racks on that page are then read unit by
unit. Devices of any status and live holds occupy their units; holds whose
date has passed occupy nothing.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from dcim.core_tables import (
    UPS,
    Device,
    IPAddress,
    NameClaim,
    PowerConnection,
    PowerFeed,
    Rack,
    RackUnit,
    Record,
    Reservation,
    Site,
    Tenant,
    Uplink,
    Zone,
)
from dcim.names import absolute
from dcim.occupancy import (
    RackOccupancy,
    live_hold_filter,
    rack_occupancy,
    runs,
    stale_hold_ids,
)
from dcim.paging import Page

FACES = ("front", "rear")


@dataclass(frozen=True)
class RackSummary:
    """A rack as the list shows it: place, status, and how much room is left."""

    name: str
    site: str
    status: str
    u_height: int
    units_free: int
    largest_free_block: int
    weight_kg: Decimal
    max_weight_kg: Decimal | None


@dataclass(frozen=True)
class Occupant:
    """Something in a rack: a device, a hold, or a run of unusable units."""

    kind: str  # device | hold | unusable
    key: str
    position: int
    u_height: int
    face: str
    full_depth: bool
    status: str
    tenant: str | None = None
    tenant_name: str | None = None
    model: str | None = None
    request_number: str | None = None
    expires_at: dt.date | None = None
    power_w: Decimal = Decimal(0)
    weight_kg: Decimal = Decimal(0)

    @property
    def faces(self) -> tuple[str, ...]:
        """The faces it takes: both when full-depth (unusable units always take both)."""
        return FACES if self.full_depth or self.kind == "unusable" else (self.face,)

    @property
    def top(self) -> int:
        """The highest unit it takes."""
        return self.position + self.u_height - 1


@dataclass(frozen=True)
class Elevation:
    """One rack drawn unit by unit: its occupants and the free blocks of each face."""

    name: str
    site: str
    status: str
    u_height: int
    max_weight_kg: Decimal | None
    weight_kg: Decimal
    feeds: list[str]
    occupants: list[Occupant]
    free_blocks: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def sites(session: Session) -> list[tuple[str, str]]:
    """Every site as (slug, name), by name."""
    return [
        (slug, name)
        for slug, name in session.execute(select(Site.slug, Site.name).order_by(Site.name))
    ]


def rack_page(
    session: Session,
    on: dt.date,
    *,
    site: str | None = None,
    status: str | None = None,
    tenant: str | None = None,
    min_free_block: int = 0,
    page: int = 1,
    per_page: int = 12,
) -> Page[RackSummary]:
    """The racks that match the filters, by name, one page of them, with their free room.

    ``tenant`` keeps racks holding a device or live hold of that tenant;
    ``min_free_block`` keeps racks whose largest block free on both faces
    has at least that many units. The filters and the count run in the
    database; only the page's racks are read unit by unit.
    """
    stmt = select(Rack.id).join(Site, Site.id == Rack.site_id)
    if site:
        stmt = stmt.where(Site.slug == site)
    if status:
        stmt = stmt.where(Rack.status == status)
    if tenant:
        tenant_id = select(Tenant.id).where(Tenant.slug == tenant).scalar_subquery()
        stmt = stmt.where(
            or_(
                exists().where(Device.rack_id == Rack.id, Device.tenant_id == tenant_id),
                exists().where(
                    Reservation.rack_id == Rack.id,
                    Reservation.tenant_id == tenant_id,
                    live_hold_filter(on),
                ),
            )
        )
    if min_free_block > 0:
        stmt = stmt.where(Rack.id.in_(_racks_with_free_block(session, on, min_free_block)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, page)
    rows = session.execute(
        stmt.add_columns(Rack.name, Site.slug, Rack.status, Rack.u_height, Rack.max_weight_kg)
        .order_by(Rack.name)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    occupancy = rack_occupancy(session, on, {row[0]: row[4] for row in rows}) if rows else {}
    summaries = []
    for rack_id, name, site_slug, rack_status, u_height, max_weight in rows:
        occ = occupancy[rack_id]
        blocks = occ.free_blocks(FACES)
        summaries.append(
            RackSummary(
                name=name,
                site=site_slug,
                status=rack_status,
                u_height=u_height,
                units_free=sum(length for _, length in blocks),
                largest_free_block=max((length for _, length in blocks), default=0),
                weight_kg=Decimal(occ.weight_kg.numerator) / Decimal(occ.weight_kg.denominator),
                max_weight_kg=max_weight,
            )
        )
    return Page(summaries, total, page, per_page)


def _racks_with_free_block(session: Session, on: dt.date, units: int) -> Select[tuple[int]]:
    """Ids of racks with a run of at least ``units`` units free on both faces, in one query.

    A unit is free on both faces when no claim of either face holds it; the
    gaps between consecutive held units (with 0 and ``u_height + 1`` as the
    ends) are the free runs, found with a window function.
    """
    held = select(RackUnit.rack_id.label("rack_id"), RackUnit.unit.label("unit"))
    stale = stale_hold_ids(session, on)
    if stale:
        held = held.where(
            or_(RackUnit.reservation_id.is_(None), RackUnit.reservation_id.not_in(stale))
        )
    ends = union_all(
        held.distinct(),
        select(Rack.id, literal(0)),
        select(Rack.id, Rack.u_height + 1),
    ).subquery()
    previous = func.lag(ends.c.unit).over(partition_by=ends.c.rack_id, order_by=ends.c.unit)
    gaps = select(ends.c.rack_id, (ends.c.unit - previous - 1).label("gap")).subquery()
    return select(gaps.c.rack_id).group_by(gaps.c.rack_id).having(func.max(gaps.c.gap) >= units)


def elevations(session: Session, on: dt.date, rack_names: list[str]) -> list[Elevation]:
    """The elevations of the named racks, in the order given."""
    if not rack_names:
        return []
    racks = session.execute(
        select(Rack.id, Rack.name, Site.slug, Rack.status, Rack.u_height, Rack.max_weight_kg)
        .join(Site, Site.id == Rack.site_id)
        .where(Rack.name.in_(rack_names))
    ).all()
    ids = [row[0] for row in racks]
    occupants: dict[int, list[Occupant]] = defaultdict(list)
    weights: dict[int, Decimal] = defaultdict(Decimal)

    device_rows = session.execute(
        select(Device.__table__, Tenant.slug.label("tenant_slug"), Tenant.name.label("tenant_name"))
        .outerjoin(Tenant, Tenant.id == Device.tenant_id)
        .where(Device.rack_id.in_(ids))
    ).all()
    for device in device_rows:
        occupants[device.rack_id].append(
            Occupant(
                kind="device",
                key=device.name,
                position=device.position,
                u_height=device.u_height,
                face=device.face,
                full_depth=device.full_depth,
                status=device.status,
                tenant=device.tenant_slug,
                tenant_name=device.tenant_name,
                model=device.model,
                power_w=device.power_w,
                weight_kg=device.weight_kg,
            )
        )
        weights[device.rack_id] += device.weight_kg
    hold_rows = session.execute(
        select(
            Reservation.__table__,
            Tenant.slug.label("tenant_slug"),
            Tenant.name.label("tenant_name"),
        )
        .outerjoin(Tenant, Tenant.id == Reservation.tenant_id)
        .where(Reservation.rack_id.in_(ids), live_hold_filter(on))
    ).all()
    for hold in hold_rows:
        occupants[hold.rack_id].append(
            Occupant(
                kind="hold",
                key=hold.code,
                position=hold.position,
                u_height=hold.u_height,
                face=hold.face,
                full_depth=hold.full_depth,
                status="held",
                tenant=hold.tenant_slug,
                tenant_name=hold.tenant_name,
                model=hold.model,
                request_number=hold.request_number,
                expires_at=hold.expires_at,
                power_w=hold.power_w,
                weight_kg=hold.weight_kg,
            )
        )
        weights[hold.rack_id] += hold.weight_kg
    unusable: dict[int, list[int]] = defaultdict(list)
    for rack_id, unit in session.execute(
        select(RackUnit.rack_id, RackUnit.unit)
        .where(RackUnit.rack_id.in_(ids), RackUnit.kind == "unusable", RackUnit.face == "front")
        .order_by(RackUnit.rack_id, RackUnit.unit)
    ):
        unusable[rack_id].append(unit)
    for rack_id, units in unusable.items():
        for start, length in runs(units):
            occupants[rack_id].append(
                Occupant(
                    kind="unusable",
                    key=f"unusable-{start}",
                    position=start,
                    u_height=length,
                    face="front",
                    full_depth=True,
                    status="unusable",
                )
            )
    feeds: dict[int, list[str]] = defaultdict(list)
    for rack_id, feed in session.execute(
        select(PowerFeed.rack_id, PowerFeed.name)
        .where(PowerFeed.rack_id.in_(ids))
        .order_by(PowerFeed.name)
    ):
        feeds[rack_id].append(feed)

    by_name = {}
    for rack_id, name, site_slug, status, u_height, max_weight in racks:
        items = sorted(occupants[rack_id], key=lambda o: (-o.position, o.face))
        taken = {
            face: {unit for o in items if face in o.faces for unit in range(o.position, o.top + 1)}
            for face in FACES
        }
        layout = RackOccupancy(rack_id, u_height, taken)
        blocks = {face: layout.free_blocks((face,)) for face in FACES}
        by_name[name] = Elevation(
            name=name,
            site=site_slug,
            status=status,
            u_height=u_height,
            max_weight_kg=max_weight,
            weight_kg=weights[rack_id],
            feeds=feeds[rack_id],
            occupants=items,
            free_blocks=blocks,
        )
    return [by_name[name] for name in rack_names if name in by_name]


# --- details of one occupant --------------------------------------------------------------------


@dataclass(frozen=True)
class FeedShare:
    """A feed an occupant is plugged into, and what it draws from it."""

    feed: str
    ups: str | None
    normal_w: Decimal
    worst_w: Decimal


@dataclass(frozen=True)
class OccupantDetail:
    """Everything the elevation's detail panel shows about a device or hold."""

    kind: str
    key: str
    rack: str
    position: int
    u_height: int
    face: str
    full_depth: bool
    status: str
    tenant: str | None
    tenant_name: str | None
    model: str | None
    serial: str | None
    power_w: Decimal
    weight_kg: Decimal
    uplink: str | None
    bandwidth_mbps: Decimal
    feeds: list[FeedShare]
    addresses: list[tuple[str, str | None]]
    names: list[str]
    request_number: str | None = None
    expires_at: dt.date | None = None
    purpose: str | None = None


def occupant_detail(session: Session, kind: str, key: str) -> OccupantDetail | None:
    """The details of a device (by name) or hold (by code), or None when there is none."""
    model = Device if kind == "device" else Reservation
    key_column = Device.name if kind == "device" else Reservation.code
    row = session.execute(
        select(
            model.__table__,
            Tenant.slug.label("tenant_slug"),
            Tenant.name.label("tenant_name"),
            Rack.name.label("rack_name"),
            Uplink.name.label("uplink_name"),
        )
        .outerjoin(Tenant, Tenant.id == model.tenant_id)
        .outerjoin(Uplink, Uplink.id == model.uplink_id)
        .join(Rack, Rack.id == model.rack_id)
        .where(key_column == key)
    ).first()
    if row is None:
        return None
    item = row  # the occupant's own columns, with the names joined to them
    tenant_slug, tenant_name, rack_name = row.tenant_slug, row.tenant_name, row.rack_name
    owner_column = PowerConnection.device_id if kind == "device" else PowerConnection.reservation_id
    connections = session.execute(
        select(PowerFeed.name, UPS.name)
        .select_from(PowerConnection)
        .join(PowerFeed, PowerFeed.id == PowerConnection.feed_id)
        .outerjoin(UPS, UPS.id == PowerFeed.ups_id)
        .where(owner_column == item.id)
        .order_by(PowerFeed.name)
    ).all()
    count = len(connections) or 1
    feeds = [
        FeedShare(feed=feed, ups=ups, normal_w=item.power_w / count, worst_w=item.power_w)
        for feed, ups in connections
    ]
    address_column = IPAddress.device_id if kind == "device" else IPAddress.reservation_id
    addresses = sorted(
        (
            (address, description)
            for address, description in session.execute(
                select(IPAddress.address, IPAddress.description).where(address_column == item.id)
            )
        ),
        key=lambda pair: (ipaddress.ip_address(pair[0]).version, ipaddress.ip_address(pair[0])),
    )
    names: list[str] = []
    if addresses:
        names = [
            absolute(name, zone)
            for name, zone in session.execute(
                select(Record.name, Zone.name)
                .join(Zone, Zone.id == Record.zone_id)
                .where(
                    Record.type.in_(("A", "AAAA")),
                    Record.value.in_([address for address, _ in addresses]),
                )
                .order_by(Zone.name, Record.name)
            )
        ]
    if kind == "hold":
        names += [
            fqdn
            for (fqdn,) in session.execute(
                select(NameClaim.fqdn)
                .where(NameClaim.reservation_id == item.id)
                .order_by(NameClaim.fqdn)
            )
        ]
    return OccupantDetail(
        kind=kind,
        key=key,
        rack=rack_name,
        position=item.position,
        u_height=item.u_height,
        face=item.face,
        full_depth=item.full_depth,
        status=item.status,
        tenant=tenant_slug,
        tenant_name=tenant_name,
        model=item.model,
        serial=getattr(item, "serial", None),
        power_w=item.power_w,
        weight_kg=item.weight_kg,
        uplink=item.uplink_name,
        bandwidth_mbps=item.bandwidth_mbps,
        feeds=feeds,
        addresses=addresses,
        names=names,
        request_number=getattr(item, "request_number", None),
        expires_at=getattr(item, "expires_at", None),
        purpose=getattr(item, "purpose", None),
    )


def tenants(session: Session) -> list[tuple[str, str]]:
    """Every tenant as (slug, name), by slug."""
    return [
        (slug, name)
        for slug, name in session.execute(select(Tenant.slug, Tenant.name).order_by(Tenant.slug))
    ]
