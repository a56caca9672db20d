"""Adding an inventory file to the database (``dcim load``): all or nothing.

The file is parsed and checked together with what the database already
holds; only when nothing is wrong are its entries written, in one
transaction. A refused file changes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, insert, select, text, update
from sqlalchemy.orm import Session

from dcim.accounts import Actor, record, require_role
from dcim.addressing import parse_address, parse_prefix, parse_range
from dcim.db import ensure_schema, is_sqlite, write_session
from dcim.errors import Phrase
from dcim.limits import advance_free_hints
from dcim.models import (
    OPERATOR_ROLE,
    UPS,
    Device,
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
    Role,
    Site,
    Tenant,
    UnitClaimKind,
    Uplink,
    Zone,
    occupied_faces,
)
from dcim.models.ipam import host_offset, network_key
from dcim.names import find_zone, normalize

from . import rules
from .export import read_inventory
from .problems import InputError, Problem
from .pydantic_errors import problems_from
from .schema import LIST_SECTIONS, InventoryFile, MountedEntry
from .yamlio import INVENTORY_LIMITS, read_yaml_file

# Any fixed number: PostgreSQL's transaction-level lock key that serialises inventory loads.
LOAD_LOCK_KEY = 0x44434D4C
BULK_LOAD = 1000  # entries; from here on PostgreSQL's statistics are refreshed after the load
#: Who may load or edit the inventory: Tim Data Center (and the administrator), and the operator.
INVENTORY_ROLES = (Role.TIM_DC, OPERATOR_ROLE)


@dataclass(frozen=True)
class LoadSummary:
    """What a load added, by section."""

    counts: Mapping[str, int]

    def total(self) -> int:
        """Entries added in all sections."""
        return sum(self.counts.values())


#: PostgreSQL's row trigger that counts a prefix's addresses (migration 0009).
ADDRESS_TOTALS_TRIGGER = "trg_prefix_address_totals"

#: The tables whose rows the claim and device triggers rewrite on every write they count.
TRIGGER_KEPT_TABLES = (
    "racks",
    "prefixes",
    "feed_device_totals",
    "ups_device_totals",
    "device_uplink_totals",
    "prefix_address_totals",
)


def parse_inventory(data: Any, source: str | None = None) -> InventoryFile:
    """The file's data as an :class:`InventoryFile`, or an :class:`InputError` listing what is wrong."""
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem.of(
                    "",
                    "loader.file_not_mapping",
                    "the file must be a mapping with at least 'version: 1'",
                )
            ],
            source,
        )
    try:
        return InventoryFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc), source) from exc


def load_file(engine: Engine, path: str | Path, *, actor: Actor) -> LoadSummary:
    """Add the inventory in a YAML file; raises :class:`InputError` and writes nothing when it is wrong.

    Only Tim Data Center, the administrator or the operator may
    (:data:`INVENTORY_ROLES`); the check comes before the file is read.
    """
    require_role(actor, INVENTORY_ROLES, "load an inventory file")
    source = str(path)
    inventory = parse_inventory(read_yaml_file(path, INVENTORY_LIMITS), source)
    return load_inventory(engine, inventory, source, actor=actor)


def load_inventory(
    engine: Engine,
    inventory: InventoryFile,
    source: str | None = None,
    *,
    actor: Actor,
    also: Callable[[Session], None] | None = None,
) -> LoadSummary:
    """Add a parsed inventory to the database, checked together with what it already holds.

    Only Tim Data Center, the administrator or the operator may (:data:`INVENTORY_ROLES`).
    ``also`` runs in the same transaction after the entries are written (an importer's own
    rows, or a dry run that raises to roll everything back).

    The load is noted in the audit log in the same transaction: besides saying who loaded
    what, the entry moves the change stamp even when a load only changes the policy.
    """
    require_role(actor, INVENTORY_ROLES, "load an inventory file")
    ensure_schema(engine)
    with write_session(engine) as session:
        if not is_sqlite(engine):
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK_KEY})
        existing = InventoryFile.model_validate(read_inventory(session))
        combined, offsets = merge(existing, inventory)
        problems = rules.check(combined, offsets)
        if problems:
            raise InputError(remap(problems, offsets), source)
        summary = write(session, inventory)
        advance_free_hints(session)
        if also is not None:
            also(session)
        added = {section: count for section, count in summary.counts.items() if count}
        record(
            session,
            actor,
            "inventory.load",
            "inventory",
            source,
            ", ".join(f"{k}: {v}" for k, v in added.items()),
            dict(summary.counts),
        )
        if is_sqlite(engine):
            # Fresh statistics let the query planner pick the indexes the checks rely on.
            session.execute(text("ANALYZE"))
    if not is_sqlite(engine) and summary.total() >= BULK_LOAD:
        # After a bulk load PostgreSQL wants its visibility map set too, so that counts stay
        # index-only scans; VACUUM cannot run inside a transaction.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # The triggers updated each rack's and each total's row once per claim in one
            # transaction, so none of the dead versions could be pruned: a thousand racks
            # took 23 MB and every check scanned it. These tables hold one row per rack,
            # feed, UPS, uplink or prefix, so rewriting them costs milliseconds.
            conn.execute(text(f"VACUUM FULL {', '.join(TRIGGER_KEPT_TABLES)}"))
            conn.execute(text("VACUUM ANALYZE"))
    return summary


def merge(existing: InventoryFile, new: InventoryFile) -> tuple[InventoryFile, dict[str, int]]:
    """The union of two inventories, and where the new entries start in each list."""
    offsets = {section: len(getattr(existing, section)) for section in LIST_SECTIONS}
    merged = existing.model_copy(deep=False)
    for section in LIST_SECTIONS:
        setattr(merged, section, [*getattr(existing, section), *getattr(new, section)])
    if new.policy is not None:
        base = existing.policy.model_dump() if existing.policy else {}
        base.update(new.policy.model_dump(include=new.policy.model_fields_set))
        merged.policy = type(new.policy).model_validate(base)
    if new.organization is not None:
        merged.organization = new.organization
    return merged, offsets


_INDEXED = re.compile(r"\b(" + "|".join(LIST_SECTIONS) + r")\[(\d+)\]")


def remap(problems: list[Problem], offsets: Mapping[str, int]) -> list[Problem]:
    """Rewrite merged-list indexes to the file's own; entries from the database say so."""

    def fix(match: re.Match[str]) -> str:
        section, index = match.group(1), int(match.group(2))
        start = offsets.get(section, 0)
        if index >= start:
            return f"{section}[{index - start}]"
        return f"{section}[{index}] in the database"

    def fixed(value: object) -> object:
        if not isinstance(value, str):
            return value
        whole = _INDEXED.fullmatch(value)
        if whole is not None and int(whole.group(2)) < offsets.get(whole.group(1), 0):
            # A value that is just an entry of the database: words of its own, in any language.
            return Phrase.of("loader.in_database", "{where} in the database", where=value)
        return _INDEXED.sub(fix, value)

    # The catalog key and its values travel along, so the message still reads in any language.
    return [
        replace(
            p,
            path=_INDEXED.sub(fix, p.path),
            message=_INDEXED.sub(fix, p.message),
            params=tuple((name, fixed(value)) for name, value in p.params),
        )
        for p in problems
    ]


# --- writing -----------------------------------------------------------------------------------


def name_ids(session: Session, column_id: Any, column_name: Any) -> dict[str, int]:
    """Each row's id by its name (or slug, code, prefix): what the file refers to it by."""
    return {name: id_ for id_, name in session.execute(select(column_id, column_name))}


# One table row per entry, for a load and for the app's editor alike; ``sites`` and ``ups`` map
# names to ids.


def ups_row(entry: Any, sites: Mapping[str, int]) -> dict[str, Any]:
    """The ``ups`` row of a UPS entry."""
    return {
        "name": entry.name,
        "site_id": sites[entry.site],
        "capacity_kva": entry.capacity_kva,
        "power_factor": entry.power_factor,
        "battery_wh": entry.battery_wh,
    }


def feed_row(entry: Any, sites: Mapping[str, int], ups: Mapping[str, int]) -> dict[str, Any]:
    """The ``power_feeds`` row of a feed entry (its rack is set from the rack's entry)."""
    return {
        "name": entry.name,
        "site_id": sites[entry.site],
        "ups_id": ups[entry.ups] if entry.ups else None,
        "voltage": entry.voltage,
        "amperage": entry.amperage,
        "phase": entry.phase,
        "max_utilization": entry.max_utilization,
    }


def rack_row(entry: Any, sites: Mapping[str, int]) -> dict[str, Any]:
    """The ``racks`` row of a rack entry (its feeds and unusable units are rows of their own)."""
    return {
        "name": entry.name,
        "site_id": sites[entry.site],
        "u_height": entry.u_height,
        "status": entry.status,
        "max_weight_kg": entry.max_weight_kg,
    }


def uplink_row(entry: Any, sites: Mapping[str, int]) -> dict[str, Any]:
    """The ``uplinks`` row of an uplink entry."""
    return {"name": entry.name, "site_id": sites[entry.site], "capacity_mbps": entry.capacity_mbps}


def prefix_row(entry: Any, network: Any, sites: Mapping[str, int]) -> dict[str, Any]:
    """The ``prefixes`` row of a prefix entry, ``network`` being its parsed prefix."""
    return {
        "prefix": str(network),
        "family": network.version,
        "network_key": network_key(network),
        "prefix_length": network.prefixlen,
        "role": entry.role,
        "site_id": sites[entry.site] if entry.site else None,
        "vlan": entry.vlan,
        "gateway": str(parse_address(entry.gateway)) if entry.gateway else None,
        "is_pool": entry.is_pool,
    }


def unusable_unit_rows(rack_id: int, units: Iterable[int]) -> list[dict[str, Any]]:
    """The ``rack_units`` rows that mark a rack's unusable units, on both faces."""
    return [
        {"rack_id": rack_id, "unit": unit, "face": face, "kind": UnitClaimKind.UNUSABLE.value}
        for unit in sorted(set(units))
        for face in ("front", "rear")
    ]


def write(session: Session, inv: InventoryFile) -> LoadSummary:
    """Insert a checked inventory's entries (the caller owns the transaction)."""
    counts: Counter[str] = Counter()
    if inv.organization is not None:
        _upsert_single(
            session,
            Organization,
            inv.organization.model_dump(include=inv.organization.model_fields_set),
        )
    if inv.policy is not None:
        values = inv.policy.model_dump(include=inv.policy.model_fields_set)
        if "reserved_labels" in values:
            values["reserved_labels"] = [label.lower() for label in values["reserved_labels"]]
        _upsert_single(session, Policy, values)

    def bulk(model: Any, rows: list[dict[str, Any]], section: str) -> None:
        if rows:
            session.execute(insert(model), rows)
        counts[section] += len(rows)

    bulk(Tenant, [t.model_dump() for t in inv.tenants], "tenants")
    bulk(Site, [s.model_dump() for s in inv.sites], "sites")
    sites = name_ids(session, Site.id, Site.slug)
    tenants = name_ids(session, Tenant.id, Tenant.slug)
    bulk(UPS, [ups_row(u, sites) for u in inv.ups], "ups")
    ups = name_ids(session, UPS.id, UPS.name)
    bulk(PowerFeed, [feed_row(f, sites, ups) for f in inv.power_feeds], "power_feeds")
    bulk(Rack, [rack_row(r, sites) for r in inv.racks], "racks")
    racks = name_ids(session, Rack.id, Rack.name)
    feeds = name_ids(session, PowerFeed.id, PowerFeed.name)
    for rack in inv.racks:
        if rack.feeds:
            session.execute(
                update(PowerFeed)
                .where(PowerFeed.id.in_([feeds[name] for name in rack.feeds]))
                .values(rack_id=racks[rack.name])
            )
    unusable_rows = [
        row for r in inv.racks for row in unusable_unit_rows(racks[r.name], r.unusable_units)
    ]
    if unusable_rows:
        session.execute(insert(RackUnit), unusable_rows)
    bulk(Uplink, [uplink_row(u, sites) for u in inv.uplinks], "uplinks")
    uplinks = name_ids(session, Uplink.id, Uplink.name)

    networks = {}
    prefix_rows = []
    for entry in inv.prefixes:
        network = parse_prefix(entry.prefix)
        networks[str(network)] = network
        prefix_rows.append(prefix_row(entry, network, sites))
    bulk(Prefix, prefix_rows, "prefixes")
    prefix_ids = name_ids(session, Prefix.id, Prefix.prefix)
    range_rows = []
    for entry in inv.prefixes:
        network_text = str(parse_prefix(entry.prefix))
        for text_range in entry.reserved_ranges:
            first, last = parse_range(text_range)
            range_rows.append(
                {"prefix_id": prefix_ids[network_text], "first": str(first), "last": str(last)}
            )
    if range_rows:
        session.execute(insert(PrefixReservedRange), range_rows)
    from dcim.addressing import PrefixIndex

    all_networks = {
        parse_prefix(text_): id_ for id_, text_ in session.execute(select(Prefix.id, Prefix.prefix))
    }
    index = PrefixIndex.build(all_networks.items())

    def address_row(text_: str) -> dict[str, Any]:
        address = parse_address(text_)
        found = index.find(address)
        assert found is not None  # checked by the rules
        network, prefix_id = found
        return {
            "address": str(address),
            "family": address.version,
            "prefix_id": prefix_id,
            "host": host_offset(address, network),
        }

    device_rows = [
        {
            "name": d.name,
            "model": d.model,
            "serial": d.serial,
            "status": d.status,
            **_mounted_row(d, tenants, racks, uplinks),
        }
        for d in inv.devices
    ]
    bulk(Device, device_rows, "devices")
    devices = name_ids(session, Device.id, Device.name) if inv.devices or inv.ip_addresses else {}
    _claims(session, [(devices[d.name], d) for d in inv.devices], racks, feeds, "device")

    hold_rows = [
        {
            "code": r.id,
            "request_number": r.request,
            "expires_at": r.expires_at,
            "status": "held",
            **_mounted_row(r, tenants, racks, uplinks),
        }
        for r in inv.reservations
    ]
    bulk(Reservation, hold_rows, "reservations")
    holds = name_ids(session, Reservation.id, Reservation.code) if inv.reservations else {}
    _claims(session, [(holds[r.id], r) for r in inv.reservations], racks, feeds, "hold")

    ip_rows = [
        {
            **address_row(a.address),
            "device_id": devices[a.device] if a.device else None,
            "description": a.description,
            "status": a.status,
        }
        for a in inv.ip_addresses
    ]
    ip_rows += [
        {**address_row(ip), "reservation_id": holds[r.id], "status": "reserved"}
        for r in inv.reservations
        for ip in r.ips
    ]
    if ip_rows:
        _insert_addresses(session, ip_rows)
    counts["ip_addresses"] += len(inv.ip_addresses)

    for zone in inv.zones:
        name = normalize(zone.name)
        zone_id = session.execute(insert(Zone).values(name=name).returning(Zone.id)).scalar_one()
        records = [
            {
                "zone_id": zone_id,
                "name": rules.relative_record_name(r.name, name),
                "type": r.type.upper(),
                "value": r.value,
                "ttl": r.ttl,
            }
            for r in zone.records
        ]
        if records:
            session.execute(insert(Record), records)
        counts["zones"] += 1
    zones = {name: id_ for id_, name in session.execute(select(Zone.id, Zone.name))}
    claims = []
    for hold in inv.reservations:
        for fqdn in hold.fqdns:
            name = normalize(fqdn)
            match = find_zone(name, set(zones))
            claims.append(
                {
                    "fqdn": name,
                    "zone_id": zones[match.zone] if match else None,
                    "reservation_id": holds[hold.id],
                }
            )
    if claims:
        session.execute(insert(NameClaim), claims)
    return LoadSummary(counts=dict(counts))


def _mounted_row(
    entry: MountedEntry, tenants: dict[str, int], racks: dict[str, int], uplinks: dict[str, int]
) -> dict[str, Any]:
    return {
        "tenant_id": tenants[entry.tenant] if entry.tenant else None,
        "rack_id": racks[entry.rack],
        "position": entry.position,
        "u_height": entry.u_height,
        "face": entry.face,
        "full_depth": entry.full_depth,
        "weight_kg": entry.weight_kg,
        "power_w": entry.power_w,
        "uplink_id": uplinks[entry.uplink] if entry.uplink else None,
        "bandwidth_mbps": entry.bandwidth_mbps,
    }


def _claims(
    session: Session,
    owners: list[tuple[int, MountedEntry]],
    racks: dict[str, int],
    feeds: dict[str, int],
    kind: str,
) -> None:
    """Unit claims and power connections of devices (kind ``device``) or holds (``hold``)."""
    owner_column = "device_id" if kind == "device" else "reservation_id"
    units = [
        {
            "rack_id": racks[entry.rack],
            "unit": unit,
            "face": face,
            "kind": kind,
            owner_column: owner_id,
        }
        for owner_id, entry in owners
        for unit in range(entry.position, entry.position + entry.u_height)
        for face in occupied_faces(entry.face, entry.full_depth)
    ]
    if units:
        session.execute(insert(RackUnit), units)
    connections = [
        {"feed_id": feeds[name], owner_column: owner_id}
        for owner_id, entry in owners
        for name in entry.feeds
    ]
    if connections:
        if kind == "device":
            _insert_device_connections(session, connections)
        else:
            session.execute(insert(PowerConnection), connections)


# A device's power contributions, as the triggers of migration 0009 write them, for the devices
# whose ids are bound as ``:ids``; and the totals moved by the contributions of those devices.
_SHARES = (
    "DELETE FROM device_feed_shares WHERE device_id = ANY(:ids)",
    """INSERT INTO device_feed_shares (device_id, feed_id, feeds_of_device, power_w)
        SELECT pc.device_id, pc.feed_id,
               (SELECT count(*) FROM power_connections o WHERE o.device_id = pc.device_id),
               d.power_w
        FROM power_connections pc JOIN devices d ON d.id = pc.device_id
        WHERE pc.device_id = ANY(:ids)""",
    "DELETE FROM device_ups_shares WHERE device_id = ANY(:ids)",
    """INSERT INTO device_ups_shares (device_id, ups_id, feeds_on_ups, feeds_of_device, power_w)
        SELECT pc.device_id, f.ups_id, count(*),
               (SELECT count(*) FROM power_connections o WHERE o.device_id = pc.device_id),
               d.power_w
        FROM power_connections pc
        JOIN power_feeds f ON f.id = pc.feed_id
        JOIN devices d ON d.id = pc.device_id
        WHERE pc.device_id = ANY(:ids) AND f.ups_id IS NOT NULL
        GROUP BY pc.device_id, f.ups_id, d.power_w""",
)
_TAKE_TOTALS = (
    """UPDATE feed_device_totals t SET power_w = t.power_w - s.power_w, devices = t.devices - s.n
        FROM (SELECT feed_id, feeds_of_device, sum(power_w) AS power_w, count(*) AS n
              FROM device_feed_shares WHERE device_id = ANY(:ids)
              GROUP BY feed_id, feeds_of_device) s
        WHERE t.feed_id = s.feed_id AND t.feeds_of_device = s.feeds_of_device""",
    """UPDATE ups_device_totals t SET power_w = t.power_w - s.power_w, devices = t.devices - s.n
        FROM (SELECT ups_id, feeds_on_ups, feeds_of_device, sum(power_w) AS power_w, count(*) AS n
              FROM device_ups_shares WHERE device_id = ANY(:ids)
              GROUP BY ups_id, feeds_on_ups, feeds_of_device) s
        WHERE t.ups_id = s.ups_id AND t.feeds_on_ups = s.feeds_on_ups
          AND t.feeds_of_device = s.feeds_of_device""",
)
_ADD_TOTALS = (
    """INSERT INTO feed_device_totals AS t (feed_id, feeds_of_device, power_w, devices)
        SELECT feed_id, feeds_of_device, sum(power_w), count(*)
        FROM device_feed_shares WHERE device_id = ANY(:ids) GROUP BY feed_id, feeds_of_device
        ON CONFLICT (feed_id, feeds_of_device) DO UPDATE SET
            power_w = t.power_w + excluded.power_w, devices = t.devices + excluded.devices""",
    """INSERT INTO ups_device_totals AS t (ups_id, feeds_on_ups, feeds_of_device, power_w, devices)
        SELECT ups_id, feeds_on_ups, feeds_of_device, sum(power_w), count(*)
        FROM device_ups_shares WHERE device_id = ANY(:ids)
        GROUP BY ups_id, feeds_on_ups, feeds_of_device
        ON CONFLICT (ups_id, feeds_on_ups, feeds_of_device) DO UPDATE SET
            power_w = t.power_w + excluded.power_w, devices = t.devices + excluded.devices""",
)
#: PostgreSQL's row triggers that keep devices' power (migration 0009), by table.
POWER_TRIGGERS = {
    "power_connections": "trg_power_connections_shares",
    "device_feed_shares": "trg_device_feed_shares_totals",
    "device_ups_shares": "trg_device_ups_shares_totals",
}


@contextmanager
def _triggers_paused(session: Session, triggers: Mapping[str, str]) -> Iterator[None]:
    """PostgreSQL row triggers (``{table: trigger}``) off for what runs inside, in this
    transaction only: ``ALTER TABLE`` is transactional, so a rollback puts them back too."""
    for table, trigger in triggers.items():
        session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
    yield
    for table, trigger in triggers.items():
        session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}"))


def _insert_device_connections(session: Session, rows: list[dict[str, Any]]) -> None:
    """Plug devices into feeds; on PostgreSQL, many at once with their power totals set-based.

    Per connection the triggers rebuild the device's contributions and move the per-feed
    and per-UPS totals one row at a time; a UPS's total row is rewritten once per device
    behind it, and in one transaction each rewrite walks past the earlier dead versions
    (25,000 devices: 18 s). For a bulk insert the three triggers are paused for this
    transaction (PostgreSQL's DDL is transactional; other writers of these tables wait for
    the commit) and the same contributions and totals are written with one statement each.
    """
    if is_sqlite(session) or len(rows) < BULK_LOAD:
        session.execute(insert(PowerConnection), rows)
        return
    ids = {"ids": sorted({row["device_id"] for row in rows})}
    with _triggers_paused(session, POWER_TRIGGERS):
        session.execute(insert(PowerConnection), rows)
        for statement in (*_TAKE_TOTALS, *_SHARES, *_ADD_TOTALS):
            session.execute(text(statement), ids)


def _insert_addresses(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert address rows; many at once on PostgreSQL with the per-prefix total added once.

    The row trigger adds 1 to its prefix's ``prefix_address_totals`` row per address. In one
    transaction every such update leaves a dead version of that same row that cannot be
    pruned yet, so each later update walks past all of them: 50,000 addresses in one /16
    took 15 s. For a bulk insert the trigger is paused for this transaction (PostgreSQL's
    DDL is transactional; other writers of addresses wait for the commit) and each prefix's
    total is raised once by its count. SQLite has no such cost and keeps its trigger.
    """
    prefixes = Counter(row["prefix_id"] for row in rows)
    if is_sqlite(session) or len(rows) < BULK_LOAD or None in prefixes:
        session.execute(insert(IPAddress), rows)
        return
    with _triggers_paused(session, {"ip_addresses": ADDRESS_TOTALS_TRIGGER}):
        session.execute(insert(IPAddress), rows)
    session.execute(
        text(
            "INSERT INTO prefix_address_totals AS t (prefix_id, recorded) VALUES (:prefix, :n) "
            "ON CONFLICT (prefix_id) DO UPDATE SET recorded = t.recorded + excluded.recorded"
        ),
        [{"prefix": prefix_id, "n": n} for prefix_id, n in sorted(prefixes.items())],
    )


def _upsert_single(session: Session, model: Any, values: dict[str, Any]) -> None:
    row = session.get(model, 1)
    if row is None:
        session.add(model(id=1, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
    session.flush()
