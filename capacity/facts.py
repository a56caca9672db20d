"""The facts a check needs, as plain data, and the queries that gather them.

The rules in :mod:`capacity.rules` are pure functions over these dataclasses;
this module is the only part of the check that talks to the database. Each
gathering step reads only what the previous one left relevant: racks with
too few free units are counted out by one grouped query before any of their
units, feeds or loads are read.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, bindparam, or_, select

from dcim import occupancy
from dcim.choices import Face, RackStatus, Redundancy, occupied_faces
from dcim.core_tables import (
    UPS,
    Device,
    NameClaim,
    PowerFeed,
    Prefix,
    Rack,
    RackUnit,
    Record,
    Reservation,
    Site,
    Tenant,
    Uplink,
    Zone,
)
from dcim.db import Reader, column_rows
from dcim.limits import (
    PolicyFacts,
    feed_usable,
    policy_facts,
    prefix_usage,
    uplink_usable,
    ups_usable,
)
from dcim.occupancy import RackOccupancy, frac, from_milli, ids_in, raw_milli

MAX_OFFSET = 2**63 - 1


class FeedFacts(NamedTuple):
    """A feed with its limit and its load before the new server (a named tuple: a room's
    candidate racks bring a few hundred)."""

    id: int
    name: str
    ups_id: int | None
    ups_name: str | None
    rated_w: Fraction
    usable_w: Fraction
    worst_w: Fraction
    normal_w: Fraction

    def load(self, redundancy: str) -> Fraction:
        """The load the power rule counts: full draws under 2N, even shares under N."""
        return self.worst_w if redundancy == Redundancy.TWO_N else self.normal_w


@dataclass(frozen=True)
class UPSFacts:
    """A UPS with its usable power and its load before the new server."""

    id: int
    name: str
    usable_w: Fraction
    worst_w: Fraction
    normal_w: Fraction
    battery_wh: Fraction | None

    def load(self, redundancy: str) -> Fraction:
        """The load the UPS rule counts (once per UPS at full draw under 2N, shares under N)."""
        return self.worst_w if redundancy == Redundancy.TWO_N else self.normal_w


@dataclass
class RackFacts:
    """A rack as the rack-bound checks see it."""

    id: int
    name: str
    site: str
    status: str
    u_height: int
    max_weight_kg: Fraction | None
    occupancy: RackOccupancy | None = None
    feeds: list[FeedFacts] = field(default_factory=list)
    tenant_present: bool = False
    free_units: int | None = None

    @property
    def in_use(self) -> bool:
        """Whether anything (device or live hold) already sits in the rack."""
        if self.occupancy is None:
            return True
        occupied = self.occupancy.taken[Face.FRONT] | self.occupancy.taken[Face.REAR]
        return bool(occupied - self.occupancy.unusable)


@dataclass(slots=True)
class CountedOutRack:
    """A rack the space rule needs nothing more of: not active, of another site, or with too
    few free units by its counters, so neither its units, nor its feeds, nor its loads are read.

    Nine racks in ten of a full room are such; a worded answer still names each with its reason,
    so each is one small row (slotted: built a thousand times per check, it must be cheap).
    """

    id: int
    name: str
    site: str
    status: str
    free_units: int
    # The longest free run of units, read only for racks of the scope with some units free.
    largest_free_block: int = 0


@dataclass(frozen=True)
class UplinkFacts:
    """An uplink with its usable and committed bandwidth."""

    id: int
    name: str
    site: str
    usable_mbps: Fraction
    committed_mbps: Fraction


@dataclass(frozen=True)
class PrefixFacts:
    """A prefix of a requested role: where its usable addresses are."""

    id: int
    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    role: str
    site: str | None
    excluded: tuple[tuple[int, int], ...]
    usable_count: int
    used_count: int
    free_hint: int = 0

    @property
    def free_count(self) -> int:
        """Usable addresses that nothing uses."""
        return self.usable_count - self.used_count


@dataclass(frozen=True)
class ZoneFacts:
    """A managed zone: its delegations and the names taken in it."""

    name: str
    delegations: tuple[str, ...]
    taken_names: frozenset[str]
    id: int | None = None  # None only for zones the rules' tests make up


@dataclass
class Facts:
    """Everything a check reads from the inventory, for one request and one date."""

    on: dt.date
    policy: PolicyFacts
    sites: list[str]
    racks: list[RackFacts | CountedOutRack]
    ups: dict[int, UPSFacts]
    uplinks: list[UplinkFacts]
    prefixes: dict[tuple[int, str], list[PrefixFacts]]
    zones: dict[str, ZoneFacts]
    held_names: dict[str, str]


# --- gathering ---------------------------------------------------------------------------------


def gather(
    session: Reader,
    on: dt.date,
    *,
    u_height: int,
    full_depth: bool,
    site: str | None,
    tenant: str | None,
    roles: Iterable[tuple[int, str]],
    names: Iterable[str],
    bandwidth_needed: bool,
    only_racks: Sequence[int] | None = None,
    every_rack: bool = True,
) -> Facts:
    """Read what a check of a server of ``u_height`` units needs.

    ``tenant``: the requesting office's slug (its racks are told apart; unknown, none are).
    ``only_racks``: judge those racks alone (a reserve that holds its locks looks there first).
    ``every_rack=False``: read only the racks of the scope with room for the server (by their
    counters), not the others a worded answer names with the reason they cannot take it.
    """
    policy = policy_facts(session)
    site_names = dict(column_rows(session, _sites_query()).all())
    sites = sorted(site_names.values()) if site is None else [site]
    racks = _racks(
        session, on, site_names, site, u_height, full_depth, policy, only_racks, every_rack
    )
    candidates = [r for r in racks if isinstance(r, RackFacts)]
    if tenant is not None and candidates:
        present = _tenant_racks(session, on, tenant, [r.id for r in candidates])
        for rack in candidates:
            rack.tenant_present = rack.id in present
    uplinks = _uplinks(session, on, site_names, site, policy) if bandwidth_needed else []
    prefixes = _prefixes(session, on, site_names, set(roles))
    zones, held = zones_for(session, on, names)
    return Facts(
        on=on,
        policy=policy,
        sites=sites,
        racks=racks,
        ups={},
        uplinks=uplinks,
        prefixes=prefixes,
        zones=zones,
        held_names=held,
    )


def _racks(
    session: Reader,
    on: dt.date,
    site_names: dict[int, str],
    site: str | None,
    u_height: int,
    full_depth: bool,
    policy: PolicyFacts,
    only_racks: Sequence[int] | None = None,
    every_rack: bool = True,
) -> list[RackFacts | CountedOutRack]:
    # Free units per face come from the counters the database keeps (no claim is read here);
    # the claims of holds past their expiry (a handful at most) are taken off below.
    faces = tuple(occupied_faces(Face.FRONT, full_depth))
    stale_ids = occupancy.stale_hold_ids(session, on)
    roomy_scope = occupancy.Scope(
        _roomy_query(faces, bool(stale_ids), site is not None, only_racks is not None),
        {
            "u_height": u_height,
            "stale": stale_ids,
            "site": site,
            "only_racks": list(only_racks or ()),
        },
    )
    # The racks nobody will read about: a check that only acts on its answer never judges a
    # rack its counters count out (nine in ten racks of a full room).
    listed = _rack_list_query(None if every_rack else roomy_scope.query, only_racks is not None)
    rows = column_rows(session, listed, roomy_scope.params).all()
    stale = occupancy.stale_unit_counts(session, on)
    racks: list[RackFacts | CountedOutRack] = []
    in_full: list[RackFacts] = []  # the racks whose counters leave room: read in full below
    # Counted out, yet with some units free: {rack id: (height, rack)}.
    crowded: dict[int, tuple[int, CountedOutRack]] = {}
    active = RackStatus.ACTIVE.value  # a plain string: compared once per rack of the room
    for rack_id, name, site_id, status, height, weight, front, rear in rows:
        if stale:
            front += stale.get((rack_id, Face.FRONT), 0)
            rear += stale.get((rack_id, Face.REAR), 0)
        free_units = min(front, rear) if full_depth else front
        rack_site = site_names[site_id]
        in_scope = status == active and (site is None or rack_site == site)
        if in_scope and free_units >= u_height:
            rack = RackFacts(
                id=rack_id,
                name=name,
                site=rack_site,
                status=status,
                u_height=height,
                max_weight_kg=from_milli(weight) if weight is not None else None,
                free_units=free_units,
            )
            racks.append(rack)
            in_full.append(rack)
            continue
        counted_out = CountedOutRack(rack_id, name, rack_site, status, free_units)
        racks.append(counted_out)
        if in_scope and free_units > 0:
            crowded[rack_id] = (height, counted_out)
    # The racks to read are selected by a query, not a list of a thousand ids: the racks
    # of the scope whose counters leave room, and any rack holding an expired claim (its
    # counter is high by that claim); rows of racks that are not roomy are not kept. On
    # PostgreSQL the racks just listed are pinned: a later statement sees later commits.
    roomy = {rack.id: rack.u_height for rack in in_full}
    scope = occupancy.pinned_racks(session, roomy_scope, list(roomy)) if roomy else None
    occupancies = occupancy.rack_occupancy(session, on, roomy, scope)
    # A counted-out rack still reports its real largest free block; the database finds it.
    blocks = occupancy.largest_free_blocks(
        session, on, {rack_id: height for rack_id, (height, _) in crowded.items()}, faces
    )
    for rack_id, (_, counted_out) in crowded.items():
        counted_out.largest_free_block = blocks.get(rack_id, 0)
    feeds_by_rack = feeds_of_racks(session, on, list(roomy), policy, scope)
    for rack in in_full:
        rack.occupancy = occupancies[rack.id]
        rack.feeds = feeds_by_rack.get(rack.id, [])
    return racks


@lru_cache(maxsize=1)
def _sites_query() -> Select[tuple[int, str]]:
    return select(Site.id, Site.slug)


@lru_cache(maxsize=occupancy.KEPT_SHAPES)
def _roomy_query(
    faces: tuple[str, ...], stale: bool, in_site: bool, some_racks: bool
) -> Select[tuple[int]]:
    """The ids of at least every active rack with ``u_height`` units free on the faces (by the
    counters; with ``stale``, also the racks holding claims of the holds ``stale``), of the
    ``site`` when ``in_site``, and only the racks ``only_racks`` when ``some_racks``."""
    counters = {Face.FRONT: Rack.taken_front, Face.REAR: Rack.taken_rear}
    room = and_(*(Rack.u_height - counters[face] >= bindparam("u_height") for face in faces))
    if stale:
        claims = select(RackUnit.rack_id).where(RackUnit.reservation_id.in_(ids_in("stale")))
        room = or_(room, Rack.id.in_(claims))
    scope = select(Rack.id).where(Rack.status == RackStatus.ACTIVE.value, room)
    if in_site:
        scope = scope.join(Site, Site.id == Rack.site_id).where(Site.slug == bindparam("site"))
    if some_racks:
        scope = scope.where(Rack.id.in_(ids_in("only_racks")))
    return scope


@lru_cache(maxsize=occupancy.KEPT_SHAPES)
def _rack_list_query(scope: Select[tuple[int]] | None, some_racks: bool) -> Select[Any]:
    """The racks with their counters' free units per face: of ``scope`` when given, only the
    racks ``only_racks`` when ``some_racks``."""
    listed = select(
        Rack.id,
        Rack.name,
        Rack.site_id,
        Rack.status,
        Rack.u_height,
        raw_milli(Rack.max_weight_kg),
        Rack.u_height - Rack.taken_front,
        Rack.u_height - Rack.taken_rear,
    ).order_by(Rack.name)
    if some_racks:
        listed = listed.where(Rack.id.in_(ids_in("only_racks")))
    if scope is not None:
        listed = listed.where(Rack.id.in_(scope))
    return listed


def feeds_of_racks(
    session: Reader,
    on: dt.date,
    rack_ids: list[int],
    policy: PolicyFacts,
    scope: occupancy.Scope | None = None,
) -> dict[int, list[FeedFacts]]:
    """The feeds of the racks with their limits and loads; ``scope`` as for rack_occupancy."""
    if not rack_ids:
        return {}
    wanted = set(rack_ids)
    params = scope.params if scope is not None else {"rack_ids": rack_ids}
    query = _feeds_query(scope.query if scope is not None else None)
    rows = [row for row in column_rows(session, query, params).all() if row[2] in wanted]
    feed_ids = [row[0] for row in rows]
    feed_scope = occupancy.pinned_feeds(scope, feed_ids) if scope is not None else feed_ids
    loads = occupancy.feed_loads(session, on, feed_scope, shares=policy.redundancy == Redundancy.N)
    result: dict[int, list[FeedFacts]] = defaultdict(list)
    # Feeds share a handful of ratings; each limit is an exact fraction worked out once.
    limits: dict[tuple[Any, ...], tuple[Fraction, Fraction]] = {}
    for feed_id, name, rack_id, ups_id, ups_name, *rating in rows:
        key = tuple(rating)
        if key not in limits:
            limits[key] = feed_usable(_Rating(*rating), policy)
        rated, usable = limits[key]
        load = loads.get(feed_id) or occupancy.NO_LOAD
        result[rack_id].append(
            FeedFacts(feed_id, name, ups_id, ups_name, rated, usable, load.worst, load.normal)
        )
    return dict(result)


class _Rating(NamedTuple):
    """A feed's rating as :func:`_feeds_query` reads it (thousandths), for ``feed_usable``."""

    voltage_milli: int
    amperage_milli: int
    phase: str
    max_utilization_milli: int | None

    @property
    def voltage(self) -> Fraction:
        return from_milli(self.voltage_milli)

    @property
    def amperage(self) -> Fraction:
        return from_milli(self.amperage_milli)

    @property
    def max_utilization(self) -> Fraction | None:
        milli = self.max_utilization_milli
        return None if milli is None else from_milli(milli)


@lru_cache(maxsize=occupancy.KEPT_SHAPES)
def _feeds_query(scope: Select[tuple[int]] | None) -> Select[Any]:
    """The feeds of the racks of ``scope`` (of the list ``rack_ids`` when None), by name."""
    racks = (
        occupancy.id_in(PowerFeed.rack_id, scope)
        if scope is not None
        else PowerFeed.rack_id.in_(ids_in("rack_ids"))
    )
    # Columns, not entities: building 2,000 ORM objects cost more than the rest of the check.
    # Read as tuples in this order by feeds_of_racks: id, name, rack, UPS, then the rating.
    return (
        select(
            PowerFeed.id,
            PowerFeed.name,
            PowerFeed.rack_id,
            PowerFeed.ups_id,
            UPS.name.label("ups_name"),
            raw_milli(PowerFeed.voltage),
            raw_milli(PowerFeed.amperage),
            PowerFeed.phase,
            raw_milli(PowerFeed.max_utilization),
        )
        .outerjoin(UPS, UPS.id == PowerFeed.ups_id)
        .where(racks)
        .order_by(PowerFeed.name)
    )


def load_ups(
    session: Reader, on: dt.date, ups_ids: set[int], policy: PolicyFacts, *, shares: bool = True
) -> dict[int, UPSFacts]:
    """The UPS asked about with their loads (the even shares too, when ``shares``)."""
    if not ups_ids:
        return {}
    loads = occupancy.ups_loads(session, on, ups_ids, shares=shares)
    result = {}
    for ups in column_rows(session, _ups_query(), {"ups_ids": list(ups_ids)}).all():
        load = loads.get(ups.id, occupancy.UPSLoad())
        result[ups.id] = UPSFacts(
            id=ups.id,
            name=ups.name,
            usable_w=ups_usable(ups, policy),
            worst_w=load.worst,
            normal_w=load.normal,
            battery_wh=frac(ups.battery_wh) if ups.battery_wh is not None else None,
        )
    return result


@lru_cache(maxsize=1)
def _ups_query() -> Select[Any]:
    columns = (UPS.id, UPS.name, UPS.capacity_kva, UPS.power_factor, UPS.battery_wh)
    return select(*columns).where(UPS.id.in_(ids_in("ups_ids")))


def _tenant_racks(session: Reader, on: dt.date, tenant: str, rack_ids: list[int]) -> set[int]:
    """Which of the racks hold a device or a live hold of the tenant (its slug; none when
    no tenant has it).

    The tenant's racks are read by the tenant's index and kept when they are candidates: an
    OPD has equipment in a few racks, and binding every candidate's id cost more than that.
    """
    candidates = set(rack_ids)
    params = {"tenant": tenant, "on": on}
    return {
        rack_id
        for (rack_id,) in column_rows(session, _tenant_racks_query(), params).all()
        if rack_id in candidates
    }


@lru_cache(maxsize=1)
def _tenant_racks_query() -> Any:
    # The tenant is found by its slug in the same statement: one round trip less.
    tenant_id = select(Tenant.id).where(Tenant.slug == bindparam("tenant")).scalar_subquery()
    devices = select(Device.rack_id).where(Device.tenant_id == tenant_id)
    holds = select(Reservation.rack_id).where(
        Reservation.tenant_id == tenant_id, occupancy.live_on()
    )
    return devices.union(holds)


def _uplinks(
    session: Reader, on: dt.date, site_names: dict[int, str], site: str | None, policy: PolicyFacts
) -> list[UplinkFacts]:
    result = []
    for uplink_id, name, site_id, capacity, devices, holds in column_rows(
        session, _uplinks_query(), {"on": on}
    ).all():
        slug = site_names[site_id]
        if site is not None and slug != site:
            continue
        result.append(
            UplinkFacts(
                id=uplink_id,
                name=name,
                site=slug,
                usable_mbps=uplink_usable(_UplinkRating(from_milli(capacity)), policy),
                committed_mbps=from_milli((devices or 0) + (holds or 0)),
            )
        )
    return result


class _UplinkRating(NamedTuple):
    """An uplink's capacity as :func:`_uplinks_query` reads it, for ``uplink_usable``."""

    capacity_mbps: Fraction


@lru_cache(maxsize=1)
def _uplinks_query() -> Select[Any]:
    """Every uplink, by name, with its capacity and what installed devices and live holds
    commit on it, in thousandths: one round trip, not three."""
    return select(
        Uplink.id,
        Uplink.name,
        Uplink.site_id,
        raw_milli(Uplink.capacity_mbps),
        *occupancy.uplink_committed(),
    ).order_by(Uplink.name)


def _prefixes(
    session: Reader, on: dt.date, site_names: dict[int, str], roles: Collection[tuple[int, str]]
) -> dict[tuple[int, str], list[PrefixFacts]]:
    result: dict[tuple[int, str], list[PrefixFacts]] = {key: [] for key in roles}
    if not roles:
        return result
    role_names = sorted({role for _, role in roles})
    rows = column_rows(session, _prefixes_query(), {"roles": role_names}).all()
    for usage in prefix_usage(session, on, rows):
        prefix = usage.prefix
        key = (prefix.family, prefix.role)
        if key not in result:
            continue
        result[key].append(
            PrefixFacts(
                id=prefix.id,
                network=usage.network,
                role=prefix.role,
                site=site_names.get(prefix.site_id) if prefix.site_id else None,
                excluded=usage.excluded,
                usable_count=usage.usable,
                used_count=usage.used,
                free_hint=prefix.free_hint,
            )
        )
    return result


@lru_cache(maxsize=1)
def _prefixes_query() -> Select[Any]:
    """The prefixes of the ``roles``, as columns (an entity query cost more than its statement)."""
    return (
        select(*Prefix.__table__.columns)
        .where(Prefix.role.in_(ids_in("roles")))
        .order_by(Prefix.family, Prefix.network_key)
    )


def zones_for(
    session: Reader, on: dt.date, names: Iterable[str]
) -> tuple[dict[str, ZoneFacts], dict[str, str]]:
    """Zones with their delegations and the names asked about that are taken; live held names."""
    from dcim.names import find_zone

    zone_rows = dict(column_rows(session, _zones_query()).all())
    wanted = list(names)
    relative_by_zone: dict[str, set[str]] = defaultdict(set)
    for name in wanted:
        match = find_zone(name, set(zone_rows))
        if match is not None:
            relative_by_zone[match.zone].add(match.relative)
    zones: dict[str, ZoneFacts] = {}
    for zone_name, zone_id in zone_rows.items():
        asked = relative_by_zone.get(zone_name, set())
        delegations: tuple[str, ...] = ()
        taken: frozenset[str] = frozenset()
        if asked:
            delegations = tuple(
                sorted(
                    {
                        name
                        for (name,) in column_rows(
                            session, _delegations_query(), {"zone_id": zone_id}
                        )
                    }
                )
            )
            taken = frozenset(
                name
                for (name,) in column_rows(
                    session, _records_named_query(), {"zone_id": zone_id, "names": sorted(asked)}
                )
            )
        zones[zone_name] = ZoneFacts(zone_name, delegations, taken, zone_id)
    held: dict[str, str] = {}
    if wanted:
        params = {"fqdns": wanted, "on": on}
        for fqdn, code in column_rows(session, _held_names_query(), params):
            held[fqdn] = code
    return zones, held


@lru_cache(maxsize=1)
def _zones_query() -> Select[tuple[str, int]]:
    return select(Zone.name, Zone.id)


@lru_cache(maxsize=1)
def _delegations_query() -> Select[tuple[str]]:
    """The names of the zone ``zone_id`` delegated by NS records below its apex."""
    return select(Record.name).where(
        Record.zone_id == bindparam("zone_id"), Record.type == "NS", Record.name != "@"
    )


@lru_cache(maxsize=1)
def _records_named_query() -> Select[tuple[str]]:
    """Which of ``names`` the zone ``zone_id`` has records for."""
    return select(Record.name).where(
        Record.zone_id == bindparam("zone_id"), Record.name.in_(ids_in("names"))
    )


@lru_cache(maxsize=1)
def _held_names_query() -> Select[tuple[str, str]]:
    """Which of ``fqdns`` a hold live on ``on`` claims, with the hold's code."""
    return (
        select(NameClaim.fqdn, Reservation.code)
        .join(Reservation, Reservation.id == NameClaim.reservation_id)
        .where(NameClaim.fqdn.in_(ids_in("fqdns")), occupancy.live_on())
    )


def free_addresses(
    session: Reader, on: dt.date, prefix: PrefixFacts, count: int
) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The ``count`` lowest free usable addresses of a prefix (fewer when it has fewer).

    Free offsets are the runs no address row records (found by index probes)
    plus the addresses of holds that no longer count; the never-allocated
    intervals (network, broadcast, gateway, reserved ranges) are cut out.
    """
    base = int(prefix.network.network_address)
    last = min(prefix.network.num_addresses - 1, MAX_OFFSET)
    found: list[int] = []
    cursor = prefix.free_hint  # nothing usable below it is free (kept by the database)
    while len(found) < count and cursor <= last:
        run = occupancy.free_run(session, prefix.id, cursor, last)
        if run is None:
            break
        start, nxt = run
        stop = last if nxt is None else min(nxt - 1, last)
        for first, end in _subtract(start, stop, prefix.excluded):
            found.extend(range(first, min(end, first + count - len(found) - 1) + 1))
            if len(found) >= count:
                break
        cursor = stop + 1
    stale = [
        h
        for h in occupancy.stale_hosts(session, on, prefix.id)
        if not _excluded(h, prefix.excluded)
    ]
    chosen = sorted(set(found) | set(stale))[:count]
    return [ipaddress.ip_address(base + offset) for offset in chosen]


def _excluded(offset: int, excluded: tuple[tuple[int, int], ...]) -> bool:
    return any(first <= offset <= last for first, last in excluded)


def _subtract(
    first: int, last: int, excluded: tuple[tuple[int, int], ...]
) -> list[tuple[int, int]]:
    """The parts of ``first..last`` outside the excluded intervals (sorted, merged)."""
    parts: list[tuple[int, int]] = []
    cursor = first
    for start, end in excluded:
        if end < cursor:
            continue
        if start > last:
            break
        if start > cursor:
            parts.append((cursor, start - 1))
        cursor = max(cursor, end + 1)
        if cursor > last:
            return parts
    if cursor <= last:
        parts.append((cursor, last))
    return parts
