"""The power chain as a graph (UPS → feeds → racks → devices) and what a lost feed or UPS does.

Loads are read with two grouped queries (connections of devices, and of
live holds); the graph and the simulation are computed from those plain
rows. Before a failure each occupant draws the even share of its power on
each of its feeds; after it, an occupant still connected to a surviving
feed draws its whole power evenly from the survivors, and one with no
surviving feed goes dark.

A feed *overloads* when its load after the failure passes its usable limit
(rated power × max utilization) and *trips* when it passes its rated power;
a UPS overloads past its usable limit (the policy's maximum load) and trips
past its rated output (kVA × power factor).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from dcim.core_tables import (
    UPS,
    Device,
    PowerConnection,
    PowerFeed,
    Rack,
    Reservation,
    Site,
    Tenant,
)
from dcim.limits import feed_usable, policy_facts, runtime_minutes, ups_usable
from dcim.occupancy import frac, live_hold_filter

OK = "ok"
OVER_LIMIT = "over_limit"
TRIPPED = "tripped"
LOST = "lost"


@dataclass(frozen=True)
class Consumer:
    """A device or live hold that draws power, with the feeds it is plugged into."""

    kind: str  # device | hold
    name: str
    rack: str
    tenant: str | None
    power_w: Fraction
    feeds: tuple[str, ...]


@dataclass(frozen=True)
class FeedInfo:
    """A feed with its place in the chain and its limits."""

    name: str
    ups: str | None
    rack: str | None
    rated_w: Fraction
    usable_w: Fraction


@dataclass(frozen=True)
class UPSInfo:
    """A UPS with its limits and battery."""

    name: str
    rated_w: Fraction
    usable_w: Fraction
    battery_wh: Fraction | None


@dataclass
class PowerChain:
    """Every UPS, feed and consumer of the data center (or of one site)."""

    ups: dict[str, UPSInfo]
    feeds: dict[str, FeedInfo]
    consumers: list[Consumer]

    def graph(self, consumers: bool = True) -> nx.DiGraph:
        """UPS → feed → rack → consumer, each node with its ``layer`` (0..3) and ``label``.

        Without ``consumers`` the graph stops at the racks (for very large rooms).
        """
        graph = nx.DiGraph()
        for name in self.ups:
            graph.add_node(("ups", name), layer=0, label=name)
        for feed in self.feeds.values():
            graph.add_node(("feed", feed.name), layer=1, label=feed.name)
            if feed.ups is not None:
                graph.add_edge(("ups", feed.ups), ("feed", feed.name))
            if feed.rack is not None:
                graph.add_node(("rack", feed.rack), layer=2, label=feed.rack)
                graph.add_edge(("feed", feed.name), ("rack", feed.rack))
        for consumer in self.consumers if consumers else ():
            node = (consumer.kind, consumer.name)
            graph.add_node(node, layer=3, label=consumer.name)
            graph.add_node(("rack", consumer.rack), layer=2, label=consumer.rack)
            graph.add_edge(("rack", consumer.rack), node)
        return graph

    def normal_loads(self) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
        """Per feed and per UPS: the even-share load with every feed up."""
        return _loads(self, frozenset())


def read_chain(session: Session, on: dt.date, site: str | None = None) -> PowerChain:
    """The power chain of the inventory (or one site), with devices and live holds."""
    policy = policy_facts(session)
    site_id = session.scalar(select(Site.id).where(Site.slug == site)) if site else None
    ups_stmt = select(*UPS.__table__.columns)
    feed_stmt = (
        select(
            PowerFeed.name,
            PowerFeed.voltage,
            PowerFeed.amperage,
            PowerFeed.phase,
            PowerFeed.max_utilization,
            UPS.name.label("ups_name"),
            Rack.name.label("rack_name"),
        )
        .outerjoin(UPS, UPS.id == PowerFeed.ups_id)
        .outerjoin(Rack, Rack.id == PowerFeed.rack_id)
    )
    if site_id is not None:
        ups_stmt = ups_stmt.where(UPS.site_id == site_id)
        feed_stmt = feed_stmt.where(PowerFeed.site_id == site_id)
    ups = {}
    for row in session.execute(ups_stmt.order_by(UPS.name)):
        pf = frac(row.power_factor) if row.power_factor is not None else policy.ups_power_factor
        ups[row.name] = UPSInfo(
            name=row.name,
            rated_w=frac(row.capacity_kva) * 1000 * pf,
            usable_w=ups_usable(row, policy),
            battery_wh=frac(row.battery_wh) if row.battery_wh is not None else None,
        )
    feeds = {}
    for feed in session.execute(feed_stmt.order_by(PowerFeed.name)):
        rated, usable = feed_usable(feed, policy)
        feeds[feed.name] = FeedInfo(feed.name, feed.ups_name, feed.rack_name, rated, usable)

    plugged: dict[tuple[str, int], list[str]] = defaultdict(list)
    owners: dict[tuple[str, int], tuple[str, str, str | None, Fraction]] = {}
    device_rows = session.execute(
        select(Device.id, Device.name, Rack.name, Tenant.slug, Device.power_w, PowerFeed.name)
        .join(PowerConnection, PowerConnection.device_id == Device.id)
        .join(PowerFeed, PowerFeed.id == PowerConnection.feed_id)
        .join(Rack, Rack.id == Device.rack_id)
        .outerjoin(Tenant, Tenant.id == Device.tenant_id)
    )
    for owner_id, name, rack, tenant, power, feed in device_rows:
        if feed not in feeds:
            continue
        plugged[("device", owner_id)].append(feed)
        owners[("device", owner_id)] = (name, rack, tenant, frac(power))
    hold_rows = session.execute(
        select(
            Reservation.id,
            Reservation.code,
            Rack.name,
            Tenant.slug,
            Reservation.power_w,
            PowerFeed.name,
        )
        .join(PowerConnection, PowerConnection.reservation_id == Reservation.id)
        .join(PowerFeed, PowerFeed.id == PowerConnection.feed_id)
        .join(Rack, Rack.id == Reservation.rack_id)
        .outerjoin(Tenant, Tenant.id == Reservation.tenant_id)
        .where(live_hold_filter(on))
    )
    for owner_id, code, rack, tenant, power, feed in hold_rows:
        if feed not in feeds:
            continue
        plugged[("hold", owner_id)].append(feed)
        owners[("hold", owner_id)] = (code, rack, tenant, frac(power))
    consumers = [
        Consumer(
            kind,
            *owners[(kind, owner_id)][:3],
            owners[(kind, owner_id)][3],
            tuple(sorted(plugged[(kind, owner_id)])),
        )
        for kind, owner_id in sorted(owners, key=lambda k: (owners[k][1], owners[k][0]))
    ]
    return PowerChain(ups=ups, feeds=feeds, consumers=consumers)


def _loads(
    chain: PowerChain, lost: frozenset[str]
) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    feed_load: dict[str, Fraction] = defaultdict(Fraction)
    for consumer in chain.consumers:
        alive = [f for f in consumer.feeds if f not in lost]
        if not alive:
            continue
        share = consumer.power_w / len(alive)
        for feed in alive:
            feed_load[feed] += share
    ups_load: dict[str, Fraction] = defaultdict(Fraction)
    for name, load in feed_load.items():
        ups = chain.feeds[name].ups if name in chain.feeds else None
        if ups is not None:
            ups_load[ups] += load
    return dict(feed_load), dict(ups_load)


@dataclass(frozen=True)
class FeedAfter:
    """A feed before and after the failure."""

    name: str
    ups: str | None
    rack: str | None
    before_w: Fraction
    after_w: Fraction
    usable_w: Fraction
    rated_w: Fraction
    state: str


@dataclass(frozen=True)
class UPSAfter:
    """A UPS before and after the failure, with the battery runtime estimate."""

    name: str
    before_w: Fraction
    after_w: Fraction
    usable_w: Fraction
    rated_w: Fraction
    state: str
    runtime_before_min: float | None
    runtime_after_min: float | None


@dataclass
class FailureResult:
    """What losing some feeds (or a UPS) does: feed and UPS loads, and who goes dark."""

    lost_feeds: list[str]
    lost_ups: list[str]
    feeds: list[FeedAfter] = field(default_factory=list)
    ups: list[UPSAfter] = field(default_factory=list)
    dark: list[Consumer] = field(default_factory=list)

    @property
    def overloaded_feeds(self) -> list[FeedAfter]:
        """Feeds past their usable limit (or tripped)."""
        return [f for f in self.feeds if f.state in (OVER_LIMIT, TRIPPED)]

    @property
    def overloaded_ups(self) -> list[UPSAfter]:
        """UPS past their usable limit (or tripped)."""
        return [u for u in self.ups if u.state in (OVER_LIMIT, TRIPPED)]


def _state(load: Fraction, usable: Fraction, rated: Fraction) -> str:
    if load > rated:
        return TRIPPED
    if load > usable:
        return OVER_LIMIT
    return OK


def simulate(
    chain: PowerChain, *, feeds: list[str] | None = None, ups: list[str] | None = None
) -> FailureResult:
    """Lose the named feeds and UPS (a lost UPS takes every feed it backs with it)."""
    lost_ups = sorted(set(ups or []))
    lost = set(feeds or [])
    lost |= {f.name for f in chain.feeds.values() if f.ups in lost_ups}
    lost_set = frozenset(lost)
    before_feed, before_ups = _loads(chain, frozenset())
    after_feed, after_ups = _loads(chain, lost_set)
    result = FailureResult(lost_feeds=sorted(lost), lost_ups=lost_ups)
    for feed in chain.feeds.values():
        after = after_feed.get(feed.name, Fraction(0))
        state = LOST if feed.name in lost_set else _state(after, feed.usable_w, feed.rated_w)
        result.feeds.append(
            FeedAfter(
                feed.name,
                feed.ups,
                feed.rack,
                before_feed.get(feed.name, Fraction(0)),
                after,
                feed.usable_w,
                feed.rated_w,
                state,
            )
        )
    for unit in chain.ups.values():
        before = before_ups.get(unit.name, Fraction(0))
        after = after_ups.get(unit.name, Fraction(0))
        state = LOST if unit.name in lost_ups else _state(after, unit.usable_w, unit.rated_w)
        result.ups.append(
            UPSAfter(
                unit.name,
                before,
                after,
                unit.usable_w,
                unit.rated_w,
                state,
                runtime_minutes(unit.battery_wh, before),
                runtime_minutes(unit.battery_wh, after) if state != LOST else None,
            )
        )
    result.dark = [c for c in chain.consumers if c.feeds and all(f in lost_set for f in c.feeds)]
    return result
