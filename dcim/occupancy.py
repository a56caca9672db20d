"""Who occupies what: set-based queries over installed devices and live holds.

An *occupant* is an installed device (any status) or a hold that is live on
the evaluation date (``status = 'held'`` and ``expires_at >= on``). Every
function answers with a few aggregate queries restricted to the racks,
feeds, UPS or prefixes asked about.

Claims (rack units, addresses, held names) are rows under unique keys.
Counting them uses the indexes alone; the claims of holds that are no
longer live — usually none, at most a handful — are read separately and
taken off, which keeps the common path an index-only scan.
Loads are exact :class:`~fractions.Fraction` watts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.sql.elements import BindParameter

from dcim.choices import UNIT_CLAIMED, UNIT_FREE, UNIT_UNUSABLE, Face, HoldStatus
from dcim.core_tables import (
    Device,
    DeviceUplinkTotal,
    FeedDeviceTotal,
    IPAddress,
    PowerConnection,
    PowerFeed,
    PrefixAddressTotal,
    Rack,
    RackUnit,
    Reservation,
    Uplink,
    UPSDeviceTotal,
)
from dcim.db import Reader, column_rows, is_sqlite, reader_info
from dcim.sqltypes import MILLI

#: How many shapes of each kept statement are kept (a check uses one or two of each).
KEPT_SHAPES = 32


@dataclass(eq=False)
class Scope:
    """A query of ids (racks, feeds) built once per shape, with its values for one use.

    Rows are selected by such a query rather than by a list of a thousand bound
    ids, which cost more to send than the rows. The query is built once and
    kept, its values being bound parameters: building a statement costs more
    than running it (a rack query with two correlated sums: 360 µs to build,
    80 µs to run on a national room).
    """

    query: Select[tuple[int]]
    params: dict[str, Any] = field(default_factory=dict)


def pinned_racks(session: Reader, scope: Scope, rack_ids: list[int]) -> Scope:
    """``scope`` for the statements that read on after it chose ``rack_ids``: the same racks.

    On SQLite a transaction reads one snapshot, so the query chooses the same racks
    every time and is kept. On PostgreSQL (READ COMMITTED) each statement sees the
    commits made before it: a rack that a hold filled in between would drop out of a
    later statement's scope and look empty, with no feeds. There the racks are pinned
    by their ids, sent as one array.
    """
    if is_sqlite(session):
        return scope
    return Scope(_pinned_racks_query(), {"pinned_rack_ids": rack_ids})


@lru_cache(maxsize=1)
def _pinned_racks_query() -> Select[tuple[int]]:
    return select(Rack.id).where(Rack.id == any_(_pinned_rack_ids()))


def _pinned_rack_ids() -> BindParameter[Any]:
    return bindparam("pinned_rack_ids", type_=ARRAY(Integer))


def pinned_feeds(scope: Scope, feed_ids: list[int]) -> Scope:
    """The feeds ``feed_ids`` of the racks of ``scope``, as a scope for :func:`feed_loads`.

    Of pinned racks (PostgreSQL), the feeds are pinned too, by their ids in one
    array: selected by a subquery of those racks' feeds, the live holds' loads
    were joined through a merge join that walked every hold's connection once
    per feed (3 ms for the 32 feeds of 16 racks, 0.2 ms with the array).
    """
    if scope.query is _pinned_racks_query():
        return Scope(_pinned_feeds_query(), {"pinned_feed_ids": feed_ids})
    return Scope(_feeds_of_racks_query(scope.query), scope.params)


@lru_cache(maxsize=KEPT_SHAPES)
def _feeds_of_racks_query(racks: Select[tuple[int]]) -> Select[tuple[int]]:
    return select(PowerFeed.id).where(id_in(PowerFeed.rack_id, racks))


@lru_cache(maxsize=1)
def _pinned_feeds_query() -> Select[tuple[int]]:
    return select(PowerFeed.id).where(PowerFeed.id == any_(_pinned_feed_ids()))


def _pinned_feed_ids() -> BindParameter[Any]:
    return bindparam("pinned_feed_ids", type_=ARRAY(Integer))


def id_in(column: ColumnElement[int], scope: Select[tuple[int]] | Any) -> ColumnElement[bool]:
    """``column IN scope`` for a column of rack or feed ids (``scope`` a query of ids, or a
    list's bound parameter); of pinned racks or feeds, ``column = ANY(ids)``.

    PostgreSQL plans the array itself far better than a subquery that selects
    it: the live holds' loads of a national room's pinned feeds took 9 ms
    through a nested loop over the subquery of racks, 0.7 ms with the array.
    """
    if scope is _pinned_racks_query():
        return column == any_(_pinned_rack_ids())
    if scope is _pinned_feeds_query():
        return column == any_(_pinned_feed_ids())
    return column.in_(scope)


def live_holds(on: dt.date) -> Select[tuple[int]]:
    """The ids of holds that occupy their resources on the date."""
    return select(Reservation.id).where(live_hold_filter(on))


def live_on() -> ColumnElement[bool]:
    """:func:`live_hold_filter` for a kept statement: the date is the bound parameter ``on``."""
    return live_hold_filter(bindparam("on"))


def ids_in(name: str) -> Any:
    """A kept statement's list of ids: the expanding bound parameter ``name``."""
    return bindparam(name, expanding=True)


@lru_cache(maxsize=1)
def _stale_ids_query() -> Select[tuple[int]]:
    return select(Reservation.id).where(
        Reservation.status == HoldStatus.HELD.value, Reservation.expires_at < bindparam("on")
    )


def stale_hold_ids(session: Reader, on: dt.date) -> list[int]:
    """Ids of holds with claims that no longer count on the date, read once per session and date.

    Claims are deleted when a hold ends, so this is normally only the held
    ones past their expiry: a short list that lets every count run on the
    indexes alone and subtract these few.
    """
    cache = reader_info(session).setdefault("stale_hold_ids", {})
    if on not in cache:
        cache[on] = list(column_rows(session, _stale_ids_query(), {"on": on}).scalars())
    return cache[on]


def live_hold_filter(on: dt.date | BindParameter[Any]) -> ColumnElement[bool]:
    """The condition on ``reservations`` rows that still occupy their resources on the date."""
    return and_(Reservation.status == HoldStatus.HELD.value, Reservation.expires_at >= on)


def frac(value: Decimal | Fraction | int | None) -> Fraction:
    """An exact fraction of a stored quantity (None counts as zero)."""
    return Fraction(value) if value is not None else Fraction(0)


def raw_milli(column: Any) -> Any:
    """A :class:`~dcim.models.Milli` column, or a sum of one, read as the stored integer count of
    thousandths, unconverted: a check reads a few thousand quantities, and turning each into a
    ``Decimal`` and then a ``Fraction`` cost twice as much as ``Fraction(n, 1000)``."""
    return type_coerce(column, BigInteger)


@lru_cache(maxsize=4096)
def from_milli(thousandths: Decimal | int | None) -> Fraction:
    """The exact quantity of a :func:`raw_milli` value (None counts as zero; a sum comes from
    PostgreSQL as a ``Decimal`` integer). Kept: a room's racks, feeds and loads repeat a few
    hundred values, and a fraction is immutable."""
    return Fraction(int(thousandths), MILLI) if thousandths is not None else Fraction(0)


# --- rack units and weight ---------------------------------------------------------------------

# The faces as plain strings, for dictionaries read per rack: an enum member hashes in Python.
FRONT, REAR = Face.FRONT.value, Face.REAR.value


@dataclass
class RackOccupancy:
    """The units taken on each face of a rack, and the weight it carries."""

    rack_id: int
    u_height: int
    taken: dict[str, set[int]] = field(default_factory=lambda: {"front": set(), "rear": set()})
    unusable: set[int] = field(default_factory=set)
    weight_kg: Fraction = Fraction(0)

    def free_blocks(self, faces: Iterable[str]) -> list[tuple[int, int]]:
        """Runs of units free on all the given faces, as (first unit, length), bottom up."""
        taken: set[int] = set().union(*(self.taken[f] for f in faces))
        blocks: list[tuple[int, int]] = []
        start = 0  # first unit of the run being walked; 0 while on taken units
        for unit in range(1, self.u_height + 1):
            if unit in taken:
                if start:
                    blocks.append((start, unit - start))
                    start = 0
            elif not start:
                start = unit
        if start:
            blocks.append((start, self.u_height + 1 - start))
        return blocks


def runs(units: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive units as (first unit, length), bottom up."""
    result: list[tuple[int, int]] = []
    for unit in sorted(set(units)):
        if result and result[-1][0] + result[-1][1] == unit:
            result[-1] = (result[-1][0], result[-1][1] + 1)
        else:
            result.append((unit, 1))
    return result


def stale_unit_counts(session: Reader, on: dt.date) -> dict[tuple[int, str], int]:
    """Units per (rack, face) still claimed by holds that no longer count on the date.

    The racks' counters include them; a check takes them off (normally there are none).
    """
    stale = stale_hold_ids(session, on)
    if not stale:
        return {}
    return {
        (rack_id, face): n
        for rack_id, face, n in column_rows(
            session,
            select(RackUnit.rack_id, RackUnit.face, func.count())
            .where(RackUnit.reservation_id.in_(stale))
            .group_by(RackUnit.rack_id, RackUnit.face),
        )
    }


def _stale_claims(
    session: Reader, on: dt.date, racks: Collection[int]
) -> list[tuple[int, int, str]]:
    """(rack, unit, face) claimed by holds that no longer count on the date: free on the date."""
    stale = stale_hold_ids(session, on)
    if not stale:
        return []
    return [
        (rack_id, unit, face)
        for rack_id, unit, face in column_rows(
            session,
            select(RackUnit.rack_id, RackUnit.unit, RackUnit.face).where(
                RackUnit.reservation_id.in_(stale)
            ),
        )
        if rack_id in racks
    ]


def _unit_maps(
    session: Reader,
    on: dt.date,
    racks: Collection[int],
    statement: Select[Any],
    params: dict[str, Any],
) -> dict[int, tuple[dict[str, str], tuple[Any, ...]]]:
    """Each rack's maintained unit maps (``racks.front_units`` / ``rear_units``) as of the date,
    with the further columns of its row (``statement`` selects id, the two maps, then those).

    One short string per face and rack instead of a row per claimed unit; the
    claims of holds past their expiry are freed here.
    """
    maps = {
        row[0]: ({FRONT: row[1], REAR: row[2]}, tuple(row[3:]))
        for row in column_rows(session, statement, params).all()
        if row[0] in racks
    }
    for rack_id, unit, face in _stale_claims(session, on, maps):
        faces = maps[rack_id][0]
        faces[face] = faces[face][: unit - 1] + UNIT_FREE + faces[face][unit:]
    return maps


@lru_cache(maxsize=KEPT_SHAPES)
def _maps_query(scope: Select[tuple[int]] | None, weights: bool) -> Select[Any]:
    """The racks' unit maps (with their weights: devices', then live holds'), by ``scope`` or
    by the list ``rack_ids``."""
    extra = []
    if weights:
        # The weights ride on the racks' own rows, each summed over that rack's devices and live
        # holds by index: a sum over the devices of the scope made PostgreSQL scan all of them.
        extra = [
            raw_milli(
                select(func.sum(Device.weight_kg))
                .where(Device.rack_id == Rack.id)
                .scalar_subquery()
            ),
            raw_milli(
                select(func.sum(Reservation.weight_kg))
                .where(Reservation.rack_id == Rack.id, live_on())
                .scalar_subquery()
            ),
        ]
    chosen = id_in(Rack.id, scope) if scope is not None else Rack.id.in_(ids_in("rack_ids"))
    return select(Rack.id, Rack.front_units, Rack.rear_units, *extra).where(chosen)


def _units_marked(text: str, marks: str) -> set[int]:
    """The units (1 = bottom) whose character in a unit map is one of ``marks``."""
    return {unit for unit, char in enumerate(text, 1) if char in marks}


def rack_occupancy(
    session: Reader,
    on: dt.date,
    racks: dict[int, int],
    scope: Scope | None = None,
) -> dict[int, RackOccupancy]:
    """Taken units and carried weight of the given racks (``{rack_id: u_height}``).

    ``scope``: a query of rack ids that holds at least the given racks, to select
    their rows by instead of a list of ids; rows of racks outside ``racks`` are
    read but not kept.
    """
    result = {rack_id: RackOccupancy(rack_id, u_height) for rack_id, u_height in racks.items()}
    if not racks:
        return result
    statement = _maps_query(scope.query if scope is not None else None, True)
    params = {"on": on, **(scope.params if scope is not None else {"rack_ids": list(racks)})}
    for rack_id, (faces, weights) in _unit_maps(session, on, racks, statement, params).items():
        occupied = result[rack_id]
        height = occupied.u_height
        for face, text in faces.items():
            text = text[:height]
            if text.count(UNIT_FREE) < height:
                occupied.taken[face] = _units_marked(text, UNIT_CLAIMED + UNIT_UNUSABLE)
                if UNIT_UNUSABLE in text:
                    occupied.unusable |= _units_marked(text, UNIT_UNUSABLE)
        # Thousandths of a kilogram, added as integers: one exact fraction per rack.
        occupied.weight_kg = from_milli(sum(int(w) for w in weights if w is not None))
    return result


def largest_free_blocks(
    session: Reader, on: dt.date, racks: dict[int, int], faces: Iterable[str]
) -> dict[int, int]:
    """The longest run of units free on all ``faces`` of each rack (``{rack_id: u_height}``).

    Read from the maintained unit maps, one row per rack: for racks the space
    check counts out without building their occupancy.
    """
    if not racks:
        return {}
    faces = list(faces)
    result = {}
    statement, params = _maps_query(None, False), {"rack_ids": list(racks)}
    for rack_id, (maps, _) in _unit_maps(session, on, racks, statement, params).items():
        height = racks[rack_id]
        free = "".join(
            UNIT_FREE if all(maps[face][i] == UNIT_FREE for face in faces) else UNIT_CLAIMED
            for i in range(height)
        )
        result[rack_id] = max(len(run) for run in free.split(UNIT_CLAIMED))
    return result


# --- power -------------------------------------------------------------------------------------


@dataclass(slots=True)
class FeedLoad:
    """Load on a feed: ``worst`` counts each occupant's full draw (2N), ``normal`` its even share."""

    worst: Fraction = Fraction(0)
    normal: Fraction = Fraction(0)
    occupants: int = 0

    def counted(self, redundancy: str) -> Fraction:
        """The load the power rule counts: full draws under 2N, even shares under N."""
        return self.worst if redundancy == "2N" else self.normal


#: The load of a feed nothing draws from (read, never changed).
NO_LOAD = FeedLoad()


def _owner_feed_count(owner_column: ColumnElement[int | None]) -> ColumnElement[int]:
    """How many feeds the owner of the current connection row plugs into (a correlated count)."""
    other = PowerConnection.__table__.alias("other")
    column = other.c.device_id if owner_column.key == "device_id" else other.c.reservation_id
    return select(func.count()).where(column == owner_column).scalar_subquery()


def feed_loads(
    session: Reader,
    on: dt.date,
    feed_ids: Collection[int] | Scope | None = None,
    *,
    shares: bool = True,
) -> dict[int, FeedLoad]:
    """Worst-case (2N) and, when ``shares``, normal (even-share) load of each feed asked about
    (a list of ids or a scope of them), every feed when None.

    Installed devices come from the totals the database maintains
    (``feed_device_totals``: a few rows per feed); live holds are summed here.
    """
    loads: dict[int, FeedLoad] = defaultdict(FeedLoad)
    params: dict[str, Any] = {"on": on}
    chosen: Select[tuple[int]] | str | None = None
    if isinstance(feed_ids, Scope):
        chosen = feed_ids.query
        params.update(feed_ids.params)
    elif feed_ids is not None:
        chosen = "feed_ids"
        params["feed_ids"] = list(feed_ids)
    # Thousandths of a watt, summed as integers: one exact fraction per feed at the end.
    worst: dict[int, int] = defaultdict(int)
    statement = _feed_load_query(chosen, shares)
    for feed_id, power, count, feeds_of_owner in column_rows(session, statement, params).all():
        load = loads[feed_id]
        worst[feed_id] += int(power)
        if shares:
            load.normal += from_milli(power) / feeds_of_owner
        load.occupants += count
    for feed_id, thousandths in worst.items():
        loads[feed_id].worst = Fraction(thousandths, MILLI)
    return dict(loads)


@lru_cache(maxsize=KEPT_SHAPES)
def _feed_load_query(chosen: Select[tuple[int]] | str | None, shares: bool) -> CompoundSelect:
    """The devices' totals, then the live holds' sums, per feed (one round trip), of the feeds
    ``chosen`` (a query of ids, the name of a list of them, or None for all)."""
    devices = select(
        FeedDeviceTotal.feed_id,
        raw_milli(FeedDeviceTotal.power_w),
        FeedDeviceTotal.devices,
        FeedDeviceTotal.feeds_of_device,
    ).where(FeedDeviceTotal.devices > 0)
    # Under 2N only full draws matter; the per-owner feed count is read only for shares.
    n = (
        _owner_feed_count(PowerConnection.reservation_id).label("n")
        if shares
        else literal(1).label("n")
    )
    holds = (
        select(PowerConnection.feed_id, raw_milli(func.sum(Reservation.power_w)), func.count(), n)
        .join(Reservation, Reservation.id == PowerConnection.reservation_id)
        # Said outright although the join implies it: without it PostgreSQL walked every
        # device's connection too (the index holds their NULLs), 200 ms on a national room.
        .where(PowerConnection.reservation_id.is_not(None), live_on())
        .group_by(PowerConnection.feed_id, *([n] if shares else []))
    )
    if chosen is not None:
        ids = ids_in(chosen) if isinstance(chosen, str) else chosen
        devices = devices.where(id_in(FeedDeviceTotal.feed_id, ids))
        holds = holds.where(id_in(PowerConnection.feed_id, ids))
    return devices.union_all(holds)


@dataclass
class UPSLoad:
    """Load on a UPS: ``worst`` counts each occupant once at full draw (2N), ``normal`` the even
    shares of its feeds that this UPS backs."""

    worst: Fraction = Fraction(0)
    normal: Fraction = Fraction(0)

    def counted(self, redundancy: str) -> Fraction:
        """The load the UPS rule counts: once per UPS at full draw under 2N, shares under N."""
        return self.worst if redundancy == "2N" else self.normal


def ups_loads(
    session: Reader, on: dt.date, ups_ids: Collection[int] | None = None, *, shares: bool = True
) -> dict[int, UPSLoad]:
    """Load of each UPS asked about (all when None), every occupant counted once per UPS.

    ``worst`` is always computed; ``normal`` (the even shares, for runtime
    estimates and N redundancy) only when ``shares``. Installed devices come
    from the totals the database maintains (``ups_device_totals``, grouped by
    the m-of-n feeds that make a device's share); live holds are summed here.
    """
    loads: dict[int, UPSLoad] = defaultdict(UPSLoad)
    statement = _ups_load_query(ups_ids is not None, shares)
    params = {"on": on, "ups_ids": list(ups_ids) if ups_ids is not None else []}
    for ups_id, power, m, n in column_rows(session, statement, params).all():
        load = loads[ups_id]
        load.worst += from_milli(power)
        if shares:
            load.normal += from_milli(power) * m / n
    return dict(loads)


@lru_cache(maxsize=KEPT_SHAPES)
def _ups_load_query(listed: bool, shares: bool) -> CompoundSelect:
    """The devices' totals, then the live holds' sums, per UPS with the m-of-n feeds of each
    share (one round trip), of the list ``ups_ids`` when ``listed``, else of every UPS."""
    devices = select(
        UPSDeviceTotal.ups_id,
        raw_milli(UPSDeviceTotal.power_w),
        UPSDeviceTotal.feeds_on_ups,
        UPSDeviceTotal.feeds_of_device,
    ).where(UPSDeviceTotal.devices > 0)
    if listed:
        devices = devices.where(UPSDeviceTotal.ups_id.in_(ids_in("ups_ids")))
    # Holds: one row per (UPS, hold): how many of the hold's feeds this UPS backs, of how many.
    owner_column = PowerConnection.reservation_id
    columns = [
        PowerFeed.ups_id.label("ups_id"),
        owner_column.label("owner"),
        func.count().label("m"),
    ]
    if shares:
        columns.append(_owner_feed_count(owner_column).label("n"))
    per_owner = (
        select(*columns)
        .join(PowerFeed, PowerFeed.id == PowerConnection.feed_id)
        .where(PowerFeed.ups_id.is_not(None), owner_column.is_not(None))
        .group_by(PowerFeed.ups_id, owner_column)
    )
    if listed:
        per_owner = per_owner.where(PowerFeed.ups_id.in_(ids_in("ups_ids")))
    rows = per_owner.subquery()
    shares_of = [rows.c.m, rows.c.n] if shares else []
    # Without shares the m-of-n columns are a placeholder 1 of 1: the caller reads only the sum.
    share_columns = shares_of or [literal(1).label("m"), literal(1).label("n")]
    holds = (
        select(rows.c.ups_id, raw_milli(func.sum(Reservation.power_w)), *share_columns)
        .join(Reservation, Reservation.id == rows.c.owner)
        .where(live_on())
        .group_by(rows.c.ups_id, *shares_of)
    )
    return devices.union_all(holds)


# --- bandwidth ---------------------------------------------------------------------------------


def uplink_commitments(
    session: Reader, on: dt.date, uplink_ids: Collection[int] | None = None
) -> dict[int, Fraction]:
    """Committed Mbps per uplink asked about (all when None): devices and live holds.

    Installed devices' bandwidth is the total the database maintains
    (``device_uplink_totals``, one row per uplink); only live holds are summed here.
    """
    params = {"on": on, "uplink_ids": list(uplink_ids) if uplink_ids is not None else []}
    statement = _commitment_query(uplink_ids is not None)
    return {
        uplink_id: from_milli((devices or 0) + (holds or 0))
        for uplink_id, devices, holds in column_rows(session, statement, params).all()
    }


def uplink_committed() -> tuple[Any, Any]:
    """What installed devices (the total the database keeps) and live holds commit on the
    uplink ``Uplink.id`` of the enclosing query, in thousandths of a Mbps (NULL for none): two
    correlated subqueries, for a statement that reads uplinks and their commitments at once."""
    devices = select(DeviceUplinkTotal.bandwidth_mbps).where(
        DeviceUplinkTotal.uplink_id == Uplink.id
    )
    holds = select(func.sum(Reservation.bandwidth_mbps)).where(
        Reservation.uplink_id == Uplink.id, live_on()
    )
    return raw_milli(devices.scalar_subquery()), raw_milli(holds.scalar_subquery())


@lru_cache(maxsize=2)
def _commitment_query(listed: bool) -> Select[Any]:
    """Every uplink (of the list ``uplink_ids`` when ``listed``) with what devices and live
    holds commit on it (:func:`uplink_committed`)."""
    statement = select(Uplink.id, *uplink_committed())
    if listed:
        statement = statement.where(Uplink.id.in_(ids_in("uplink_ids")))
    return statement


# --- addresses ---------------------------------------------------------------------------------


def used_address_counts(
    session: Reader, on: dt.date, prefix_ids: Collection[int] | None = None
) -> dict[int, int]:
    """Addresses in use (entries and live holds) per prefix asked about (all when None).

    The rows recorded per prefix are the total the database maintains
    (``prefix_address_totals``); the few claims of holds past expiry are taken off.
    """
    params = {"prefix_ids": list(prefix_ids) if prefix_ids is not None else []}
    counts = dict(column_rows(session, _recorded_query(prefix_ids is not None), params).all())
    stale = stale_hold_ids(session, on)
    if stale:
        for prefix_id, n in column_rows(
            session,
            select(IPAddress.prefix_id, func.count())
            .where(IPAddress.reservation_id.in_(stale))
            .group_by(IPAddress.prefix_id),
        ):
            if prefix_id in counts:
                counts[prefix_id] -= n
    return counts


@lru_cache(maxsize=2)
def _recorded_query(listed: bool) -> Select[Any]:
    total = select(PrefixAddressTotal.prefix_id, PrefixAddressTotal.recorded)
    if listed:
        total = total.where(PrefixAddressTotal.prefix_id.in_(ids_in("prefix_ids")))
    return total


def stale_hosts(session: Reader, on: dt.date, prefix_id: int) -> list[int]:
    """Offsets in a prefix still recorded for holds that no longer count: free on the date."""
    stale = stale_hold_ids(session, on)
    if not stale:
        return []
    return sorted(
        host
        for (host,) in column_rows(
            session,
            select(IPAddress.host).where(
                IPAddress.prefix_id == prefix_id,
                IPAddress.host.is_not(None),
                IPAddress.reservation_id.in_(stale),
            ),
        )
    )


def used_in_intervals(
    session: Reader, on: dt.date, prefix_id: int, intervals: Iterable[tuple[int, int]]
) -> int:
    """How many addresses in use fall inside the given offset intervals of a prefix (one query)."""
    bounds = list(intervals)
    if not bounds:
        return 0
    params: dict[str, Any] = {"prefix_id": prefix_id}
    for i, (first, last) in enumerate(bounds):
        params[f"first_{i}"], params[f"last_{i}"] = first, last
    count = column_rows(session, _count_in_intervals_query(len(bounds)), params).scalar() or 0
    stale = [h for h in stale_hosts(session, on, prefix_id) if any(a <= h <= b for a, b in bounds)]
    return count - len(stale)


@lru_cache(maxsize=KEPT_SHAPES)
def _count_in_intervals_query(intervals: int) -> Select[Any]:
    """How many addresses of ``prefix_id`` lie in ``first_0..last_0``, ``first_1..last_1``, ..."""
    inside = or_(
        *(
            and_(
                IPAddress.host >= bindparam(f"first_{i}"), IPAddress.host <= bindparam(f"last_{i}")
            )
            for i in range(intervals)
        )
    )
    return select(func.count()).where(IPAddress.prefix_id == bindparam("prefix_id"), inside)


@lru_cache(maxsize=1)
def _nth_used_query() -> Select[Any]:
    return (
        select(IPAddress.host)
        .where(IPAddress.prefix_id == bindparam("prefix_id"), IPAddress.host >= bindparam("start"))
        .order_by(IPAddress.host)
        .offset(bindparam("n", type_=Integer))
        .limit(1)
    )


def _nth_used(session: Reader, prefix_id: int, start: int, n: int) -> int | None:
    """The offset of the n-th (0-based) recorded address at or above ``start``."""
    params = {"prefix_id": prefix_id, "start": start, "n": n}
    return column_rows(session, _nth_used_query(), params).scalar()


def first_unrecorded(session: Reader, prefix_id: int, start: int, end: int) -> int | None:
    """The lowest offset in ``start..end`` that no address row records, or None.

    Offsets are unique and ascending in the index, so the n-th row at or
    above ``start`` is ``start + n`` exactly when ``start..start+n`` are all
    taken. Doubling n brackets the end of the taken run, a binary search
    pins it: a densely used /16 costs about thirty index probes, never a
    row per address.
    """
    first = _nth_used(session, prefix_id, start, 0)
    if first is None or first > start:
        return start if start <= end else None
    return _after_taken_run(session, prefix_id, start, end)


def free_run(
    session: Reader, prefix_id: int, start: int, end: int
) -> tuple[int, int | None] | None:
    """The first free run at or above ``start`` (within ``..end``): its lowest offset and the
    lowest recorded offset above it (None: free to the end of the prefix); None when
    ``start..end`` is all taken.

    When ``start`` itself is free, as the floors the holds advance usually are, the one
    probe that shows it also ends the run.
    """
    first = _nth_used(session, prefix_id, start, 0)
    if first is None or first > start:
        return (start, first) if start <= end else None
    gap = _after_taken_run(session, prefix_id, start, end)
    return None if gap is None else (gap, next_recorded(session, prefix_id, gap))


def _after_taken_run(session: Reader, prefix_id: int, start: int, end: int) -> int | None:
    """The offset just past the run of taken offsets that begins at ``start`` (taken), or None
    past ``end`` (see :func:`first_unrecorded`)."""
    taken, step = 0, 1  # start..start+taken are known to be taken
    while start + step <= end and _nth_used(session, prefix_id, start, step) == start + step:
        taken, step = step, step * 2
    low, high = taken, min(step, end - start + 1)  # the run ends at or after low, before high
    while high - low > 1:
        middle = (low + high) // 2
        if _nth_used(session, prefix_id, start, middle) == start + middle:
            low = middle
        else:
            high = middle
    gap = start + low + 1
    return gap if gap <= end else None


def next_recorded(session: Reader, prefix_id: int, start: int) -> int | None:
    """The lowest recorded offset at or above ``start``."""
    return _nth_used(session, prefix_id, start, 0)
