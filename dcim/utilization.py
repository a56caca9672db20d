"""Used and usable of every resource (``dcim utilization``), for the dashboard and reports.

The numbers are the ones the step-5 rules use (see :mod:`dcim.limits`):
feed load under the policy's redundancy against usable power, UPS load
counted once per UPS, committed bandwidth, usable addresses. Live holds
count as used. Each section is a handful of grouped queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dcim import occupancy
from dcim.limits import (
    feed_usable,
    policy_facts,
    prefix_usage,
    runtime_minutes,
    uplink_usable,
    ups_usable,
)
from dcim.models import (
    UPS,
    NameClaim,
    PowerFeed,
    Prefix,
    Rack,
    RackStatus,
    Record,
    Reservation,
    Site,
    Uplink,
    Zone,
)


def _num(value: Fraction | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if value.denominator == 1:
        return int(value)
    return round(float(value), 3)


def percent(used: Fraction | int, usable: Fraction | int) -> float:
    """Used as a percentage of usable, one decimal (0 when nothing is usable)."""
    return round(float(Fraction(used) / Fraction(usable) * 100), 1) if usable else 0.0


def _total(used: Fraction | int, usable: Fraction | int) -> dict[str, Any]:
    return {
        "used": _num(Fraction(used)),
        "usable": _num(Fraction(usable)),
        "percent": percent(used, usable),
    }


def utilization(session: Session, on: dt.date) -> dict[str, Any]:
    """Every resource's used and usable on a date, and the totals, as one JSON-ready document."""
    policy = policy_facts(session)
    sites = dict(session.execute(select(Site.id, Site.slug)).all())
    racks = racks_section(session, on, sites)
    feeds, ups = power_sections(session, on, sites, policy)
    uplinks = uplinks_section(session, on, sites, policy)
    prefixes = prefixes_section(session, on, sites)
    zones = zones_section(session, on)

    active = [r for r in racks if r["status"] == RackStatus.ACTIVE]
    ip_totals: dict[str, dict[str, Any]] = {}
    by_role: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for prefix in prefixes:
        key = prefix["role"] if prefix["family"] == 4 else f"{prefix['role']} (IPv6)"
        by_role[key].append(prefix)
    for key, items in sorted(by_role.items()):
        ip_totals[key] = _total(sum(p["used"] for p in items), sum(p["usable"] for p in items))
    totals = {
        "space": _total(
            sum(r["units_used"] for r in active),
            sum(r["u_height"] - r["units_unusable"] for r in active),
        ),
        "power": _total(
            sum(Fraction(f["load_w"]) for f in feeds), sum(Fraction(f["usable_w"]) for f in feeds)
        ),
        "ups": _total(
            sum(Fraction(u["load_w"]) for u in ups), sum(Fraction(u["usable_w"]) for u in ups)
        ),
        "bandwidth": _total(
            sum(Fraction(u["committed_mbps"]) for u in uplinks),
            sum(Fraction(u["usable_mbps"]) for u in uplinks),
        ),
        "ip": ip_totals,
        "domain": {
            "zones": len(zones),
            "records": sum(z["records"] for z in zones),
            "names": sum(z["names"] for z in zones),
            "held_names": sum(z["held_names"] for z in zones),
        },
    }
    return {
        "evaluated_on": on.isoformat(),
        "redundancy": policy.redundancy,
        "racks": racks,
        "feeds": feeds,
        "ups": ups,
        "uplinks": uplinks,
        "prefixes": prefixes,
        "zones": zones,
        "totals": totals,
    }


def racks_section(session: Session, on: dt.date, sites: dict[int, str]) -> list[dict[str, Any]]:
    """Per rack: units used, free and unusable, the largest free block, and the weight carried."""
    rows = list(
        session.execute(
            select(
                Rack.id, Rack.name, Rack.site_id, Rack.status, Rack.u_height, Rack.max_weight_kg
            ).order_by(Rack.name)
        )
    )
    occupancies = occupancy.rack_occupancy(session, on, {row.id: row.u_height for row in rows})
    result = []
    for row in rows:
        occ = occupancies[row.id]
        taken_any = (occ.taken["front"] | occ.taken["rear"]) - occ.unusable
        blocks = occ.free_blocks(("front", "rear"))
        result.append(
            {
                "name": row.name,
                "site": sites[row.site_id],
                "status": row.status,
                "u_height": row.u_height,
                "units_used": len(taken_any),
                "units_free": row.u_height - len(taken_any) - len(occ.unusable),
                "units_unusable": len(occ.unusable),
                "largest_free_block": max((size for _, size in blocks), default=0),
                "weight_kg": _num(occ.weight_kg),
                "max_weight_kg": _num(occupancy.frac(row.max_weight_kg))
                if row.max_weight_kg is not None
                else None,
            }
        )
    return result


def power_sections(
    session: Session, on: dt.date, sites: dict[int, str], policy: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per feed (normal and worst-case load against usable) and per UPS (load, usable, runtime)."""
    rack_names = dict(session.execute(select(Rack.id, Rack.name)).all())
    ups_rows = {u.id: u for u in session.scalars(select(UPS).order_by(UPS.name))}
    loads = occupancy.feed_loads(session, on)
    feeds = []
    for feed in session.scalars(select(PowerFeed).order_by(PowerFeed.name)):
        rated, usable = feed_usable(feed, policy)
        load = loads.get(feed.id) or occupancy.NO_LOAD
        counted = load.counted(policy.redundancy)
        feeds.append(
            {
                "name": feed.name,
                "site": sites[feed.site_id],
                "rack": rack_names.get(feed.rack_id) if feed.rack_id else None,
                "ups": ups_rows[feed.ups_id].name if feed.ups_id else None,
                "phase": feed.phase,
                "rated_w": _num(rated),
                "usable_w": _num(usable),
                "normal_w": _num(load.normal),
                "worst_case_w": _num(load.worst),
                "load_w": _num(counted),
                "headroom_w": _num(usable - counted),
                "percent": percent(counted, usable),
                "occupants": load.occupants,
            }
        )
    ups_loads = occupancy.ups_loads(session, on)
    ups = []
    for ups_row in ups_rows.values():
        usable = ups_usable(ups_row, policy)
        load = ups_loads.get(ups_row.id, occupancy.UPSLoad())
        counted = load.counted(policy.redundancy)
        battery = occupancy.frac(ups_row.battery_wh) if ups_row.battery_wh is not None else None
        runtime = runtime_minutes(battery, load.normal)
        ups.append(
            {
                "name": ups_row.name,
                "site": sites[ups_row.site_id],
                "capacity_kva": _num(occupancy.frac(ups_row.capacity_kva)),
                "usable_w": _num(usable),
                "load_w": _num(counted),
                "normal_w": _num(load.normal),
                "headroom_w": _num(usable - counted),
                "percent": percent(counted, usable),
                "battery_wh": _num(battery),
                "runtime_min": round(runtime, 1) if runtime is not None else None,
            }
        )
    return feeds, ups


def uplinks_section(
    session: Session, on: dt.date, sites: dict[int, str], policy: Any
) -> list[dict[str, Any]]:
    """Per uplink: capacity, usable and committed Mbps."""
    committed = occupancy.uplink_commitments(session, on)
    result = []
    for uplink in session.scalars(select(Uplink).order_by(Uplink.name)):
        usable = uplink_usable(uplink, policy)
        used = committed.get(uplink.id, Fraction(0))
        result.append(
            {
                "name": uplink.name,
                "site": sites[uplink.site_id],
                "capacity_mbps": _num(occupancy.frac(uplink.capacity_mbps)),
                "usable_mbps": _num(usable),
                "committed_mbps": _num(used),
                "headroom_mbps": _num(usable - used),
                "percent": percent(used, usable),
            }
        )
    return result


def prefixes_section(session: Session, on: dt.date, sites: dict[int, str]) -> list[dict[str, Any]]:
    """Per prefix: usable, used and free addresses (used ones inside never-allocated ranges not counted)."""
    prefixes = list(session.scalars(select(Prefix).order_by(Prefix.family, Prefix.network_key)))
    return [
        {
            "prefix": usage.prefix.prefix,
            "role": usage.prefix.role,
            "family": usage.prefix.family,
            "site": sites.get(usage.prefix.site_id) if usage.prefix.site_id else None,
            "vlan": usage.prefix.vlan,
            "usable": usage.usable,
            "used": usage.used,
            "free": usage.free,
            "percent": percent(usage.used, usage.usable),
        }
        for usage in prefix_usage(session, on, prefixes)
    ]


def zones_section(session: Session, on: dt.date) -> list[dict[str, Any]]:
    """Per zone: records, distinct names, and names held by live holds."""
    records = dict(
        session.execute(select(Record.zone_id, func.count()).group_by(Record.zone_id)).all()
    )
    names = dict(
        session.execute(
            select(Record.zone_id, func.count(func.distinct(Record.name))).group_by(Record.zone_id)
        ).all()
    )
    held = dict(
        session.execute(
            select(NameClaim.zone_id, func.count())
            .join(Reservation, Reservation.id == NameClaim.reservation_id)
            .where(NameClaim.reservation_id.in_(occupancy.live_holds(on)))
            .group_by(NameClaim.zone_id)
        ).all()
    )
    return [
        {
            "name": name,
            "records": records.get(zid, 0),
            "names": names.get(zid, 0),
            "held_names": held.get(zid, 0),
        }
        for zid, name in session.execute(select(Zone.id, Zone.name).order_by(Zone.name))
    ]
