"""Reading the inventory out of the database in the file's format (``dcim export``).

The same reader serves ``dcim load``: a file added to a database that holds
data is checked together with what the database already has.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dcim.defaults import (
    DEFAULT_BANDWIDTH_OVERSUBSCRIPTION,
    DEFAULT_FEED_MAX_UTILIZATION,
    DEFAULT_REDUNDANCY,
    DEFAULT_RESERVATION_WORKING_DAYS,
    DEFAULT_RESERVED_LABELS,
    DEFAULT_UPS_MAX_LOAD,
    DEFAULT_UPS_POWER_FACTOR,
)
from dcim.models import (
    UPS,
    Device,
    HoldStatus,
    IPAddress,
    NameClaim,
    Organization,
    Policy,
    PowerConnection,
    PowerFeed,
    Prefix,
    PrefixReservedRange,
    Rack,
    RackUnit,
    Record,
    Reservation,
    Site,
    Tenant,
    Uplink,
    Zone,
)

FORMAT_VERSION = 1


def _number(value: Decimal) -> Decimal | int:
    return int(value) if value == value.to_integral_value() else value.normalize()


def _put(entry: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        entry[key] = _number(value) if isinstance(value, Decimal) else value


def policy_dict(policy: Policy | None) -> dict[str, Any]:
    """The policy as the file writes it; the contract's defaults when none is stored."""
    if policy is None:
        return {
            "feed_max_utilization": _number(DEFAULT_FEED_MAX_UTILIZATION),
            "redundancy": DEFAULT_REDUNDANCY.value,
            "ups_power_factor": _number(DEFAULT_UPS_POWER_FACTOR),
            "ups_max_load": _number(DEFAULT_UPS_MAX_LOAD),
            "bandwidth_oversubscription": _number(DEFAULT_BANDWIDTH_OVERSUBSCRIPTION),
            "reservation_working_days": DEFAULT_RESERVATION_WORKING_DAYS,
            "reserved_labels": list(DEFAULT_RESERVED_LABELS),
        }
    return {
        "feed_max_utilization": _number(policy.feed_max_utilization),
        "redundancy": policy.redundancy,
        "ups_power_factor": _number(policy.ups_power_factor),
        "ups_max_load": _number(policy.ups_max_load),
        "bandwidth_oversubscription": _number(policy.bandwidth_oversubscription),
        "reservation_working_days": policy.reservation_working_days,
        "reserved_labels": list(policy.reserved_labels),
    }


def read_inventory(session: Session) -> dict[str, Any]:
    """The whole inventory as a dict in the file's format, every list in insertion order."""
    doc: dict[str, Any] = {"version": FORMAT_VERSION}
    org = session.get(Organization, 1)
    if org is not None and any((org.government, org.office, org.city)):
        doc["organization"] = {
            key: value
            for key, value in (
                ("government", org.government),
                ("office", org.office),
                ("city", org.city),
            )
            if value is not None
        }
    doc["policy"] = policy_dict(session.get(Policy, 1))

    tenants = dict(session.execute(select(Tenant.id, Tenant.slug)).all())
    sites = dict(session.execute(select(Site.id, Site.slug)).all())
    ups_names = dict(session.execute(select(UPS.id, UPS.name)).all())
    feed_names = dict(session.execute(select(PowerFeed.id, PowerFeed.name)).all())
    rack_names = dict(session.execute(select(Rack.id, Rack.name)).all())
    uplink_names = dict(session.execute(select(Uplink.id, Uplink.name)).all())
    device_names = dict(session.execute(select(Device.id, Device.name)).all())

    doc["tenants"] = [
        {"slug": slug, "name": name}
        for slug, name in session.execute(select(Tenant.slug, Tenant.name).order_by(Tenant.id))
    ]
    doc["sites"] = [
        {"slug": slug, "name": name}
        for slug, name in session.execute(select(Site.slug, Site.name).order_by(Site.id))
    ]
    doc["ups"] = []
    for ups in session.scalars(select(UPS).order_by(UPS.id)):
        entry: dict[str, Any] = {"name": ups.name, "site": sites[ups.site_id]}
        _put(entry, "capacity_kva", ups.capacity_kva)
        _put(entry, "power_factor", ups.power_factor)
        _put(entry, "battery_wh", ups.battery_wh)
        doc["ups"].append(entry)

    rack_feeds: dict[int, list[str]] = defaultdict(list)
    doc["power_feeds"] = []
    for feed in session.scalars(select(PowerFeed).order_by(PowerFeed.id)):
        entry = {"name": feed.name, "site": sites[feed.site_id]}
        _put(entry, "ups", ups_names.get(feed.ups_id) if feed.ups_id else None)
        _put(entry, "voltage", feed.voltage)
        _put(entry, "amperage", feed.amperage)
        entry["phase"] = feed.phase
        _put(entry, "max_utilization", feed.max_utilization)
        doc["power_feeds"].append(entry)
        if feed.rack_id is not None:
            rack_feeds[feed.rack_id].append(feed.name)

    unusable: dict[int, set[int]] = defaultdict(set)
    for rack_id, unit in session.execute(
        select(RackUnit.rack_id, RackUnit.unit).where(RackUnit.kind == "unusable")
    ):
        unusable[rack_id].add(unit)
    doc["racks"] = []
    for rack in session.scalars(select(Rack).order_by(Rack.id)):
        entry = {
            "name": rack.name,
            "site": sites[rack.site_id],
            "u_height": rack.u_height,
            "status": rack.status,
        }
        _put(entry, "max_weight_kg", rack.max_weight_kg)
        entry["feeds"] = rack_feeds.get(rack.id, [])
        if unusable.get(rack.id):
            entry["unusable_units"] = sorted(unusable[rack.id])
        doc["racks"].append(entry)

    doc["uplinks"] = []
    for uplink in session.scalars(select(Uplink).order_by(Uplink.id)):
        entry = {"name": uplink.name, "site": sites[uplink.site_id]}
        _put(entry, "capacity_mbps", uplink.capacity_mbps)
        doc["uplinks"].append(entry)

    ranges: dict[int, list[str]] = defaultdict(list)
    for prefix_id, first, last in session.execute(
        select(
            PrefixReservedRange.prefix_id, PrefixReservedRange.first, PrefixReservedRange.last
        ).order_by(PrefixReservedRange.id)
    ):
        ranges[prefix_id].append(f"{first}-{last}")
    doc["prefixes"] = []
    for prefix in session.scalars(select(Prefix).order_by(Prefix.id)):
        entry = {"prefix": prefix.prefix, "role": prefix.role}
        _put(entry, "site", sites.get(prefix.site_id) if prefix.site_id else None)
        _put(entry, "vlan", prefix.vlan)
        _put(entry, "gateway", prefix.gateway)
        entry["is_pool"] = prefix.is_pool
        if ranges.get(prefix.id):
            entry["reserved_ranges"] = ranges[prefix.id]
        doc["prefixes"].append(entry)

    hold_ips: dict[int, list[str]] = defaultdict(list)
    doc["ip_addresses"] = []
    for address, device_id, reservation_id, description, status in session.execute(
        select(
            IPAddress.address,
            IPAddress.device_id,
            IPAddress.reservation_id,
            IPAddress.description,
            IPAddress.status,
        ).order_by(IPAddress.id)
    ):
        if reservation_id is not None:
            hold_ips[reservation_id].append(address)
            continue
        entry = {"address": address}
        _put(entry, "device", device_names.get(device_id) if device_id else None)
        _put(entry, "description", description)
        entry["status"] = status
        doc["ip_addresses"].append(entry)

    records: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for zone_id, name, rtype, value, ttl in session.execute(
        select(Record.zone_id, Record.name, Record.type, Record.value, Record.ttl).order_by(
            Record.id
        )
    ):
        record: dict[str, Any] = {"name": name, "type": rtype, "value": value}
        _put(record, "ttl", ttl)
        records[zone_id].append(record)
    doc["zones"] = [
        {"name": name, "records": records.get(zone_id, [])}
        for zone_id, name in session.execute(select(Zone.id, Zone.name).order_by(Zone.id))
    ]

    connections: dict[tuple[str, int], list[str]] = defaultdict(list)
    for feed_id, device_id, reservation_id in session.execute(
        select(
            PowerConnection.feed_id, PowerConnection.device_id, PowerConnection.reservation_id
        ).order_by(PowerConnection.id)
    ):
        owner = ("device", device_id) if device_id is not None else ("hold", reservation_id)
        connections[owner].append(feed_names[feed_id])

    doc["devices"] = []
    for device in session.scalars(select(Device).order_by(Device.id)):
        entry = {"name": device.name}
        _put(entry, "tenant", tenants.get(device.tenant_id) if device.tenant_id else None)
        entry.update(_mounted(device, rack_names, uplink_names, connections[("device", device.id)]))
        _put(entry, "model", device.model)
        _put(entry, "serial", device.serial)
        entry["status"] = device.status
        doc["devices"].append(entry)

    names: dict[int, list[str]] = defaultdict(list)
    for reservation_id, fqdn in session.execute(
        select(NameClaim.reservation_id, NameClaim.fqdn).order_by(NameClaim.id)
    ):
        names[reservation_id].append(fqdn)
    doc["reservations"] = []
    for hold in session.scalars(
        select(Reservation)
        .where(Reservation.status == HoldStatus.HELD.value)
        .order_by(Reservation.id)
    ):
        entry = {"id": hold.code}
        _put(entry, "request", hold.request_number)
        _put(entry, "tenant", tenants.get(hold.tenant_id) if hold.tenant_id else None)
        entry.update(_mounted(hold, rack_names, uplink_names, connections[("hold", hold.id)]))
        entry["ips"] = hold_ips.get(hold.id, [])
        entry["fqdns"] = names.get(hold.id, [])
        entry["expires_at"] = hold.expires_at
        doc["reservations"].append(entry)
    return doc


def _mounted(
    item: Device | Reservation, racks: dict[int, str], uplinks: dict[int, str], feeds: list[str]
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "rack": racks[item.rack_id],
        "position": item.position,
        "u_height": item.u_height,
        "face": item.face,
        "full_depth": item.full_depth,
    }
    _put(entry, "weight_kg", item.weight_kg)
    _put(entry, "power_w", item.power_w)
    entry["feeds"] = feeds
    _put(entry, "uplink", uplinks.get(item.uplink_id) if item.uplink_id else None)
    _put(entry, "bandwidth_mbps", item.bandwidth_mbps)
    return entry


def prune_empty(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without empty top-level lists, for a tidier file."""
    return {key: value for key, value in doc.items() if value != []}
