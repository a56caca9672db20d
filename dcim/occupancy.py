"""Who occupies what: set-based queries over installed devices and live holds.

An *occupant* is an installed device (any status) or a hold that is live on
the evaluation date (``status = 'held'`` and ``expires_at >= on``). Every
function here answers with one or a few aggregate queries, restricted to
the racks, feeds or prefixes asked about, so that a check on a data center
of a thousand racks reads only what it needs. Loads are exact
:class:`~fractions.Fraction` watts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from dcim.models import (
    Device,
    HoldStatus,
    IPAddress,
    PowerConnection,
    PowerFeed,
    RackUnit,
    Reservation,
)

MILLI = 1000


def live_holds(on: dt.date) -> Select[tuple[int]]:
    """The ids of holds that occupy their resources on the date."""
    return select(Reservation.id).where(
        Reservation.status == HoldStatus.HELD.value, Reservation.expires_at >= on
    )


def _live_hold_filter(on: dt.date) -> ColumnElement[bool]:
    return and_(Reservation.status == HoldStatus.HELD.value, Reservation.expires_at >= on)


def frac(value: Decimal | int | None) -> Fraction:
    """An exact fraction of a stored quantity (None counts as zero)."""
    return Fraction(value) if value is not None else Fraction(0)


# --- rack units and weight ---------------------------------------------------------------------


@dataclass
class RackOccupancy:
    """The units taken on each face of a rack, and the weight it carries."""

    rack_id: int
    u_height: int
    taken: dict[str, set[int]] = field(default_factory=lambda: {"front": set(), "rear": set()})
    unusable: set[int] = field(default_factory=set)
    weight_kg: Fraction = Fraction(0)

    def free_units(self, face: str) -> int:
        """Units free on one face."""
        return self.u_height - len(self.taken[face])

    def free_blocks(self, faces: Iterable[str]) -> list[tuple[int, int]]:
        """Runs of units free on all the given faces, as (first unit, length), bottom up."""
        faces = tuple(faces)
        blocks: list[tuple[int, int]] = []
        start = None
        for unit in range(1, self.u_height + 2):
            free = unit <= self.u_height and all(unit not in self.taken[f] for f in faces)
            if free and start is None:
                start = unit
            elif not free and start is not None:
                blocks.append((start, unit - start))
                start = None
        return blocks


def taken_unit_counts(
    session: Session, on: dt.date, rack_ids: Collection[int] | None = None
) -> dict[tuple[int, str], int]:
    """Count of taken units per (rack, face), by one grouped query."""
    stmt = (
        select(RackUnit.rack_id, RackUnit.face, func.count())
        .outerjoin(Reservation, Reservation.id == RackUnit.reservation_id)
        .where(or_(RackUnit.reservation_id.is_(None), _live_hold_filter(on)))
        .group_by(RackUnit.rack_id, RackUnit.face)
    )
    if rack_ids is not None:
        stmt = stmt.where(RackUnit.rack_id.in_(list(rack_ids)))
    return {(rack_id, face): count for rack_id, face, count in session.execute(stmt)}


def rack_occupancy(
    session: Session, on: dt.date, racks: dict[int, int]
) -> dict[int, RackOccupancy]:
    """Taken units and carried weight of the given racks (``{rack_id: u_height}``)."""
    result = {rack_id: RackOccupancy(rack_id, u_height) for rack_id, u_height in racks.items()}
    if not racks:
        return result
    ids = list(racks)
    units = (
        select(RackUnit.rack_id, RackUnit.unit, RackUnit.face, RackUnit.kind)
        .outerjoin(Reservation, Reservation.id == RackUnit.reservation_id)
        .where(RackUnit.rack_id.in_(ids))
        .where(or_(RackUnit.reservation_id.is_(None), _live_hold_filter(on)))
    )
    for rack_id, unit, face, kind in session.execute(units):
        occupancy = result[rack_id]
        occupancy.taken[face].add(unit)
        if kind == "unusable":
            occupancy.unusable.add(unit)
    for rack_id, weight in session.execute(
        select(Device.rack_id, func.sum(Device.weight_kg))
        .where(Device.rack_id.in_(ids))
        .group_by(Device.rack_id)
    ):
        result[rack_id].weight_kg += frac(weight)
    for rack_id, weight in session.execute(
        select(Reservation.rack_id, func.sum(Reservation.weight_kg))
        .where(Reservation.rack_id.in_(ids), _live_hold_filter(on))
        .group_by(Reservation.rack_id)
    ):
        result[rack_id].weight_kg += frac(weight)
    return result


# --- power -------------------------------------------------------------------------------------


@dataclass
class FeedLoad:
    """Load on a feed: ``worst`` counts each occupant's full draw (2N), ``normal`` its even share."""

    worst: Fraction = Fraction(0)
    normal: Fraction = Fraction(0)
    occupants: int = 0


def feed_loads(
    session: Session, on: dt.date, feed_ids: Collection[int] | None = None
) -> dict[int, FeedLoad]:
    """Worst-case (2N) and normal (even-share) load of each feed asked about (all when None)."""
    loads: dict[int, FeedLoad] = defaultdict(FeedLoad)
    for feed_id, power, n in _grouped_connections(session, on, feed_ids):
        load = loads[feed_id]
        load.worst += power
        load.normal += power / n if n else power
    for feed_id, count in _occupant_counts(session, on, feed_ids).items():
        loads[feed_id].occupants = count
    return dict(loads)


def _grouped_connections(
    session: Session, on: dt.date, feed_ids: Collection[int] | None
) -> list[tuple[int, Fraction, int]]:
    """(feed, summed power, feed count of those owners), grouped in SQL by feed and feed count."""
    device_counts = (
        select(PowerConnection.device_id.label("owner"), func.count().label("n"))
        .where(PowerConnection.device_id.is_not(None))
        .group_by(PowerConnection.device_id)
        .subquery()
    )
    hold_counts = (
        select(PowerConnection.reservation_id.label("owner"), func.count().label("n"))
        .where(PowerConnection.reservation_id.is_not(None))
        .group_by(PowerConnection.reservation_id)
        .subquery()
    )
    device_stmt = (
        select(PowerConnection.feed_id, func.sum(Device.power_w), device_counts.c.n)
        .join(Device, Device.id == PowerConnection.device_id)
        .join(device_counts, device_counts.c.owner == Device.id)
        .group_by(PowerConnection.feed_id, device_counts.c.n)
    )
    hold_stmt = (
        select(PowerConnection.feed_id, func.sum(Reservation.power_w), hold_counts.c.n)
        .join(Reservation, Reservation.id == PowerConnection.reservation_id)
        .join(hold_counts, hold_counts.c.owner == Reservation.id)
        .where(_live_hold_filter(on))
        .group_by(PowerConnection.feed_id, hold_counts.c.n)
    )
    if feed_ids is not None:
        wanted = list(feed_ids)
        device_stmt = device_stmt.where(PowerConnection.feed_id.in_(wanted))
        hold_stmt = hold_stmt.where(PowerConnection.feed_id.in_(wanted))
    rows = [(f, frac(p), n) for f, p, n in session.execute(device_stmt)]
    rows += [(f, frac(p), n) for f, p, n in session.execute(hold_stmt)]
    return rows


def _occupant_counts(
    session: Session, on: dt.date, feed_ids: Collection[int] | None
) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    device_stmt = select(PowerConnection.feed_id, func.count()).where(
        PowerConnection.device_id.is_not(None)
    )
    hold_stmt = (
        select(PowerConnection.feed_id, func.count())
        .join(Reservation, Reservation.id == PowerConnection.reservation_id)
        .where(_live_hold_filter(on))
    )
    if feed_ids is not None:
        wanted = list(feed_ids)
        device_stmt = device_stmt.where(PowerConnection.feed_id.in_(wanted))
        hold_stmt = hold_stmt.where(PowerConnection.feed_id.in_(wanted))
    for stmt in (device_stmt, hold_stmt):
        for feed_id, count in session.execute(stmt.group_by(PowerConnection.feed_id)):
            counts[feed_id] += count
    return counts


@dataclass
class UPSLoad:
    """Load on a UPS: ``worst`` counts each occupant once per UPS at full draw (2N),
    ``normal`` the even shares of its feeds that this UPS backs."""

    worst: Fraction = Fraction(0)
    normal: Fraction = Fraction(0)


def ups_loads(
    session: Session, on: dt.date, ups_ids: Collection[int] | None = None
) -> dict[int, UPSLoad]:
    """Load of each UPS asked about (all when None), every occupant counted once per UPS."""
    loads: dict[int, UPSLoad] = defaultdict(UPSLoad)
    for owner_model, owner_column in (
        (Device, PowerConnection.device_id),
        (Reservation, PowerConnection.reservation_id),
    ):
        counts = (
            select(owner_column.label("owner"), func.count().label("n"))
            .where(owner_column.is_not(None))
            .group_by(owner_column)
            .subquery()
        )
        # One row per (owner, UPS): how many of the owner's feeds this UPS backs.
        per_ups = (
            select(
                PowerFeed.ups_id.label("ups_id"),
                owner_column.label("owner"),
                func.count().label("m"),
            )
            .join(PowerFeed, PowerFeed.id == PowerConnection.feed_id)
            .where(PowerFeed.ups_id.is_not(None), owner_column.is_not(None))
            .group_by(PowerFeed.ups_id, owner_column)
        )
        if ups_ids is not None:
            per_ups = per_ups.where(PowerFeed.ups_id.in_(list(ups_ids)))
        per_ups_sq = per_ups.subquery()
        stmt = (
            select(
                per_ups_sq.c.ups_id,
                per_ups_sq.c.m,
                counts.c.n,
                func.sum(owner_model.power_w),
            )
            .join(owner_model, owner_model.id == per_ups_sq.c.owner)
            .join(counts, counts.c.owner == per_ups_sq.c.owner)
            .group_by(per_ups_sq.c.ups_id, per_ups_sq.c.m, counts.c.n)
        )
        if owner_model is Reservation:
            stmt = stmt.where(_live_hold_filter(on))
        for ups_id, m, n, power in session.execute(stmt):
            load = loads[ups_id]
            load.worst += frac(power)
            load.normal += frac(power) * m / n
    return dict(loads)


# --- bandwidth ---------------------------------------------------------------------------------


def uplink_commitments(session: Session, on: dt.date) -> dict[int, Fraction]:
    """Committed Mbps per uplink (devices and live holds)."""
    committed: dict[int, Fraction] = defaultdict(Fraction)
    for uplink_id, mbps in session.execute(
        select(Device.uplink_id, func.sum(Device.bandwidth_mbps))
        .where(Device.uplink_id.is_not(None))
        .group_by(Device.uplink_id)
    ):
        committed[uplink_id] += frac(mbps)
    for uplink_id, mbps in session.execute(
        select(Reservation.uplink_id, func.sum(Reservation.bandwidth_mbps))
        .where(Reservation.uplink_id.is_not(None), _live_hold_filter(on))
        .group_by(Reservation.uplink_id)
    ):
        committed[uplink_id] += frac(mbps)
    return dict(committed)


# --- addresses ---------------------------------------------------------------------------------


def _live_address_filter(on: dt.date) -> ColumnElement[bool]:
    return or_(IPAddress.reservation_id.is_(None), IPAddress.reservation_id.in_(live_holds(on)))


def used_address_counts(session: Session, on: dt.date) -> dict[int, int]:
    """Addresses in use (entries and live holds) per prefix."""
    stmt = (
        select(IPAddress.prefix_id, func.count())
        .where(_live_address_filter(on))
        .group_by(IPAddress.prefix_id)
    )
    return {prefix_id: count for prefix_id, count in session.execute(stmt)}


def used_hosts(
    session: Session, on: dt.date, prefix_id: int, start: int = 0, limit: int = 1024
) -> list[int]:
    """Offsets of used addresses in a prefix from ``start`` upwards, ascending, at most ``limit``."""
    stmt = (
        select(IPAddress.host)
        .where(IPAddress.prefix_id == prefix_id, IPAddress.host >= start)
        .where(_live_address_filter(on))
        .order_by(IPAddress.host)
        .limit(limit)
    )
    return [host for (host,) in session.execute(stmt)]


def used_hosts_in(session: Session, on: dt.date, prefix_id: int, first: int, last: int) -> set[int]:
    """Offsets of used addresses of a prefix within ``first..last``."""
    stmt = select(IPAddress.host).where(
        IPAddress.prefix_id == prefix_id,
        IPAddress.host >= first,
        IPAddress.host <= last,
        _live_address_filter(on),
    )
    return {host for (host,) in session.execute(stmt)}


# --- racks and feeds ---------------------------------------------------------------------------


def rack_feed_ids(session: Session, rack_ids: Collection[int]) -> dict[int, list[int]]:
    """The feeds of each rack, by feed name."""
    result: dict[int, list[int]] = defaultdict(list)
    if not rack_ids:
        return {}
    for rack_id, feed_id in session.execute(
        select(PowerFeed.rack_id, PowerFeed.id)
        .where(PowerFeed.rack_id.in_(list(rack_ids)))
        .order_by(PowerFeed.name)
    ):
        result[rack_id].append(feed_id)
    return dict(result)


def free_runs(
    session: Session, on: dt.date, prefix_id: int, start: int, end: int, limit: int = 64
) -> list[tuple[int, int]]:
    """Runs of unused offsets of a prefix within ``start..end``, ascending, at most ``limit`` runs.

    The gaps between used addresses are found in SQL with a window function,
    so a densely used /16 costs one indexed scan, not one Python step per address.
    """
    live = _live_address_filter(on)
    first_used = session.scalar(
        select(func.min(IPAddress.host)).where(
            IPAddress.prefix_id == prefix_id, IPAddress.host >= start, IPAddress.host <= end, live
        )
    )
    if first_used is None:
        return [(start, end)]
    runs: list[tuple[int, int]] = []
    if first_used > start:
        runs.append((start, first_used - 1))
    used = (
        select(
            IPAddress.host.label("host"),
            func.lead(IPAddress.host).over(order_by=IPAddress.host).label("nxt"),
        )
        .where(
            IPAddress.prefix_id == prefix_id, IPAddress.host >= start, IPAddress.host <= end, live
        )
        .subquery()
    )
    gaps = (
        select(used.c.host, used.c.nxt)
        .where(or_(used.c.nxt.is_(None), used.c.nxt > used.c.host + 1))
        .order_by(used.c.host)
        .limit(limit)
    )
    for host, nxt in session.execute(gaps):
        first, last = host + 1, (nxt - 1 if nxt is not None else end)
        if first <= last:
            runs.append((first, last))
    return runs[:limit]
