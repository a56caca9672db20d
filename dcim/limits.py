"""What each resource may carry under the policy: the limits both the check and the dashboard use.

- a feed: rated power ``voltage × amperage`` (× √3 when three-phase) times its
  ``max_utilization`` (else the policy's ``feed_max_utilization``) / 100;
- a UPS: ``capacity_kva × 1000 × power_factor × ups_max_load / 100``;
- an uplink: ``capacity_mbps × bandwidth_oversubscription``;
- a prefix: its addresses without the never-allocated ones (network and
  broadcast, or the IPv6 subnet-router anycast, unless it is a pool; the
  gateway; reserved ranges).

All numbers are exact fractions.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from sqlalchemy import Select, select

from dcim.choices import Phase
from dcim.core_tables import Policy, PrefixReservedRange
from dcim.db import Reader, column_rows, held_or_read, session_memo
from dcim.defaults import (
    DEFAULT_BANDWIDTH_OVERSUBSCRIPTION,
    DEFAULT_FEED_MAX_UTILIZATION,
    DEFAULT_REDUNDANCY,
    DEFAULT_RESERVATION_WORKING_DAYS,
    DEFAULT_RESERVED_LABELS,
    DEFAULT_UPS_MAX_LOAD,
    DEFAULT_UPS_POWER_FACTOR,
)
from dcim.occupancy import first_unrecorded, frac, used_address_counts, used_in_intervals

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from dcim.models import Prefix

SQRT3 = Fraction(Decimal(3).sqrt())


class FeedRating(Protocol):
    """What a feed's limit is computed from: a :class:`PowerFeed`, or a row of its columns
    (the check reads columns, not entities, to stay fast at a thousand racks)."""

    @property
    def voltage(self) -> Decimal | Fraction | int: ...

    @property
    def amperage(self) -> Decimal | Fraction | int: ...

    @property
    def phase(self) -> str: ...

    @property
    def max_utilization(self) -> Decimal | Fraction | int | None: ...


class UplinkRating(Protocol):
    """What an uplink's usable bandwidth is computed from: an :class:`Uplink`, or its capacity."""

    @property
    def capacity_mbps(self) -> Decimal | Fraction | int: ...


class UPSRating(Protocol):
    """What a UPS's limit is computed from: a :class:`UPS`, or a row of its columns."""

    capacity_kva: Decimal | int
    power_factor: Decimal | int | None


@dataclass(frozen=True)
class PolicyFacts:
    """The capacity policy with exact numbers."""

    feed_max_utilization: Fraction = Fraction(DEFAULT_FEED_MAX_UTILIZATION)
    redundancy: str = DEFAULT_REDUNDANCY.value
    ups_power_factor: Fraction = Fraction(DEFAULT_UPS_POWER_FACTOR)
    ups_max_load: Fraction = Fraction(DEFAULT_UPS_MAX_LOAD)
    bandwidth_oversubscription: Fraction = Fraction(DEFAULT_BANDWIDTH_OVERSUBSCRIPTION)
    reservation_working_days: int = DEFAULT_RESERVATION_WORKING_DAYS
    reserved_labels: frozenset[str] = frozenset(DEFAULT_RESERVED_LABELS)


_POLICY_TABLES = frozenset({Policy.__table__.name})


def policy_facts(session: Reader) -> PolicyFacts:
    """The stored policy, or the contract's defaults (read once per transaction)."""
    return session_memo(session, "policy_facts", _POLICY_TABLES, lambda: _read_policy(session))


def _read_policy(session: Reader) -> PolicyFacts:
    row = held_or_read(session, Policy, 1, _policy_query())
    if row is None:
        return PolicyFacts()
    return PolicyFacts(
        feed_max_utilization=frac(row.feed_max_utilization),
        redundancy=row.redundancy,
        ups_power_factor=frac(row.ups_power_factor),
        ups_max_load=frac(row.ups_max_load),
        bandwidth_oversubscription=frac(row.bandwidth_oversubscription),
        reservation_working_days=row.reservation_working_days,
        reserved_labels=frozenset(label.lower() for label in row.reserved_labels),
    )


@lru_cache(maxsize=1)
def _policy_query() -> Select[Any]:
    return select(*Policy.__table__.columns).where(Policy.id == 1)


def feed_usable(feed: FeedRating, policy: PolicyFacts) -> tuple[Fraction, Fraction]:
    """(rated, usable) watts of a feed."""
    rated = frac(feed.voltage) * frac(feed.amperage)
    if feed.phase == Phase.THREE:
        rated *= SQRT3
    limit = (
        frac(feed.max_utilization)
        if feed.max_utilization is not None
        else policy.feed_max_utilization
    )
    return rated, rated * limit / 100


def ups_usable(ups: UPSRating, policy: PolicyFacts) -> Fraction:
    """Usable watts of a UPS."""
    pf = frac(ups.power_factor) if ups.power_factor is not None else policy.ups_power_factor
    return frac(ups.capacity_kva) * 1000 * pf * policy.ups_max_load / 100


def uplink_usable(uplink: UplinkRating, policy: PolicyFacts) -> Fraction:
    """Usable Mbps of an uplink."""
    return frac(uplink.capacity_mbps) * policy.bandwidth_oversubscription


def excluded_offsets(
    network: ipaddress.IPv4Network | ipaddress.IPv6Network,
    is_pool: bool,
    gateway: str | None,
    ranges: Iterable[tuple[str, str]],
) -> tuple[tuple[int, int], ...]:
    """Offset intervals of a prefix that are never allocated, merged and sorted."""
    base = int(network.network_address)
    size = network.num_addresses
    intervals: list[tuple[int, int]] = []
    if not is_pool:
        if network.version == 4 and network.prefixlen <= 30:
            intervals += [(0, 0), (size - 1, size - 1)]
        elif network.version == 6 and network.prefixlen <= 126:
            intervals.append((0, 0))
    if gateway is not None:
        offset = int(ipaddress.ip_address(gateway)) - base
        intervals.append((offset, offset))
    for first, last in ranges:
        intervals.append(
            (int(ipaddress.ip_address(first)) - base, int(ipaddress.ip_address(last)) - base)
        )
    intervals.sort()
    merged: list[tuple[int, int]] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def runtime_minutes(battery_wh: Fraction | None, normal_w: Fraction) -> float | None:
    """Estimated minutes a UPS runs on battery: ``battery_wh × 0.9 / normal load``."""
    if battery_wh is None or normal_w <= 0:
        return None
    return float(battery_wh * Fraction(9, 10) / normal_w * 60)


def advance_free_hint(session: Session, prefix: Prefix, ranges: Iterable[tuple[str, str]]) -> int:
    """Raise the prefix's free-address floor to its lowest usable offset that no row records.

    Called after addresses are written (a load, a hold), in the same
    transaction; the database lowers the floor on its own when addresses go.
    """
    network = ipaddress.ip_network(prefix.prefix)
    excluded = excluded_offsets(network, prefix.is_pool, prefix.gateway, ranges)
    last = min(network.num_addresses - 1, 2**63 - 1)
    cursor = prefix.free_hint
    while cursor <= last:
        found = first_unrecorded(session, prefix.id, cursor, last)
        if found is None:
            cursor = last + 1
            break
        blocking = next(((a, b) for a, b in excluded if a <= found <= b), None)
        if blocking is None:
            cursor = found
            break
        cursor = blocking[1] + 1
    if cursor != prefix.free_hint:
        prefix.free_hint = cursor
    return cursor


def reserved_ranges(
    session: Reader, prefix_ids: Iterable[int] | None = None
) -> dict[int, list[tuple[str, str]]]:
    """The reserved ranges of the given prefixes (all when None), as (first, last) texts, by prefix."""
    stmt = select(
        PrefixReservedRange.prefix_id, PrefixReservedRange.first, PrefixReservedRange.last
    ).order_by(PrefixReservedRange.id)
    if prefix_ids is not None:
        stmt = stmt.where(PrefixReservedRange.prefix_id.in_(list(prefix_ids)))
    ranges: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for prefix_id, first, last in column_rows(session, stmt):
        ranges[prefix_id].append((first, last))
    return ranges


class PrefixPlan(Protocol):
    """What a prefix's usable addresses are worked out from: a :class:`Prefix`, or a row of its
    columns (the check reads columns, as for :class:`FeedRating`)."""

    @property
    def id(self) -> int: ...

    @property
    def prefix(self) -> str: ...

    @property
    def is_pool(self) -> bool: ...

    @property
    def gateway(self) -> str | None: ...


P = TypeVar("P", bound=PrefixPlan)


@dataclass(frozen=True)
class PrefixUsage(Generic[P]):
    """A prefix's never-allocated intervals, its usable addresses and how many of those are in use."""

    prefix: P
    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    excluded: tuple[tuple[int, int], ...]
    usable: int
    used: int

    @property
    def free(self) -> int:
        """Usable addresses that nothing uses."""
        return self.usable - self.used


def prefix_usage(session: Reader, on: dt.date, prefixes: Sequence[P]) -> list[PrefixUsage[P]]:
    """Usable and used addresses of each prefix on a date; used ones in never-allocated ranges do not count."""
    ids = [p.id for p in prefixes]
    ranges = reserved_ranges(session, ids)
    used = used_address_counts(session, on, ids)
    result = []
    for prefix in prefixes:
        network = ipaddress.ip_network(prefix.prefix)
        excluded = excluded_offsets(
            network, prefix.is_pool, prefix.gateway, ranges.get(prefix.id, [])
        )
        usable = network.num_addresses - sum(end - start + 1 for start, end in excluded)
        taken = used.get(prefix.id, 0) - used_in_intervals(session, on, prefix.id, excluded)
        result.append(PrefixUsage(prefix, network, excluded, usable, taken))
    return result


def advance_free_hints(session: Session, prefix_ids: Iterable[int] | None = None) -> None:
    """:func:`advance_free_hint` for the given prefixes (all when None)."""
    from dcim.models import Prefix  # the floors are written through the mapped rows

    stmt = select(Prefix)
    if prefix_ids is not None:
        stmt = stmt.where(Prefix.id.in_(list(prefix_ids)))
    prefixes = list(session.scalars(stmt))
    ranges = reserved_ranges(session, [p.id for p in prefixes])
    for prefix in prefixes:
        advance_free_hint(session, prefix, ranges.get(prefix.id, []))
    session.flush()
