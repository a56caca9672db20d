"""Editing the inventory row by row (the app's Inventaris page, Excel/CSV imports).

An edit names, per section, the rows added, changed (by their original key)
and removed. It is applied to the inventory as the database holds it now,
the whole result is checked by exactly the rules of ``dcim load`` (the
pydantic schema, then :func:`dcim.inventory.rules.check`), and only when
nothing is wrong are the changed rows written, in one transaction, with an
audit entry. A refused edit writes nothing and says what is wrong in the
words ``dcim load`` would use.

Rows are the inventory file's entries (``racks[i]`` and so on). Zone records
are edited as their own section, ``records``: rows of ``zone``, ``name``,
``type``, ``value`` and ``ttl``. Renaming an entry renames every reference
to it; removing a device also removes its address entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dcim.accounts import Actor, record, require_role
from dcim.addressing import PrefixIndex, parse_address, parse_prefix, parse_range
from dcim.db import ensure_schema, is_sqlite, write_session
from dcim.limits import advance_free_hints
from dcim.models import (
    UPS,
    Device,
    IPAddress,
    PowerConnection,
    PowerFeed,
    Prefix,
    PrefixReservedRange,
    Rack,
    RackUnit,
    Record,
    Site,
    Tenant,
    UnitClaimKind,
    Uplink,
    Zone,
    occupied_faces,
)
from dcim.models.ipam import host_offset
from dcim.names import normalize

from . import rules
from .export import read_inventory
from .load import (
    INVENTORY_ROLES,
    LOAD_LOCK_KEY,
    feed_row,
    name_ids,
    parse_inventory,
    prefix_row,
    rack_row,
    unusable_unit_rows,
    uplink_row,
    ups_row,
    write,
)
from .problems import InputError, Problem
from .schema import InventoryFile

EDIT_ROLES = INVENTORY_ROLES

# The sections the editor offers, with the field that identifies a row.
KEYS: dict[str, str] = {
    "tenants": "slug",
    "sites": "slug",
    "ups": "name",
    "power_feeds": "name",
    "racks": "name",
    "uplinks": "name",
    "prefixes": "prefix",
    "ip_addresses": "address",
    "zones": "name",
    "records": "",
    "devices": "name",
}
# Applying in this order lets a row refer to one added in the same edit.
ORDER = (
    "tenants",
    "sites",
    "ups",
    "power_feeds",
    "racks",
    "uplinks",
    "prefixes",
    "zones",
    "records",
    "devices",
    "ip_addresses",
)

# Where each kind of name is referred to: (section, field, is a list).
_REFERENCES: dict[str, list[tuple[str, str, bool]]] = {
    "tenants": [("devices", "tenant", False), ("reservations", "tenant", False)],
    "sites": [
        ("ups", "site", False),
        ("power_feeds", "site", False),
        ("racks", "site", False),
        ("uplinks", "site", False),
        ("prefixes", "site", False),
    ],
    "ups": [("power_feeds", "ups", False)],
    "power_feeds": [
        ("racks", "feeds", True),
        ("devices", "feeds", True),
        ("reservations", "feeds", True),
    ],
    "racks": [("devices", "rack", False), ("reservations", "rack", False)],
    "uplinks": [("devices", "uplink", False), ("reservations", "uplink", False)],
    "devices": [("ip_addresses", "device", False)],
}


@dataclass
class SectionChange:
    """What an edit does to one section: rows added, rows changed (by original key), keys removed."""

    section: str
    added: list[dict[str, Any]] = field(default_factory=list)
    changed: dict[str, dict[str, Any]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        """Whether the change changes nothing."""
        return not (self.added or self.changed or self.removed)


@dataclass(frozen=True)
class EditSummary:
    """What an applied edit did, per section: how many rows were added, changed and removed."""

    counts: dict[str, tuple[int, int, int]]

    def total(self) -> int:
        """Rows touched in all sections."""
        return sum(sum(values) for values in self.counts.values())


def _clean(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if not key.startswith("_")}


def diff(
    section: str,
    original: Sequence[Mapping[str, Any]],
    edited: Sequence[Mapping[str, Any]],
    key_field: str = "_key",
) -> SectionChange:
    """The change from ``original`` rows to ``edited`` rows.

    Each edited row carries the key it had (``_key``; empty for a new row),
    so a renamed row is a change, not a removal and an addition.
    """
    by_key = {str(row[KEYS[section]]): _clean(row) for row in original}
    change = SectionChange(section)
    seen: set[str] = set()
    for row in edited:
        key = row.get(key_field)
        cleaned = _clean(row)
        if key in (None, ""):
            change.added.append(cleaned)
            continue
        seen.add(str(key))
        if by_key.get(str(key)) != cleaned:
            change.changed[str(key)] = cleaned
    change.removed = [key for key in by_key if key not in seen]
    return change


def upsert(
    section: str, rows: Iterable[Mapping[str, Any]], existing_keys: set[str]
) -> SectionChange:
    """Rows that add new entries or replace existing ones with the same key (an import)."""
    change = SectionChange(section)
    key_field = KEYS[section]
    for row in rows:
        cleaned = _clean(row)
        key = str(cleaned.get(key_field, ""))
        if key in existing_keys:
            change.changed[key] = cleaned
        else:
            change.added.append(cleaned)
    return change


# --- the inventory document with the edit applied -----------------------------------------------


def _records_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"zone": zone["name"], **rec} for zone in doc.get("zones", []) for rec in zone["records"]
    ]


def section_rows(doc: dict[str, Any], section: str) -> list[dict[str, Any]]:
    """The rows of a section as the editor shows them (records flattened with their zone)."""
    if section == "records":
        return _records_rows(doc)
    if section == "zones":
        return [{"name": zone["name"]} for zone in doc.get("zones", [])]
    return [dict(row) for row in doc.get(section, [])]


def _rename(doc: dict[str, Any], section: str, old: str, new: str) -> None:
    for target, field_name, is_list in _REFERENCES.get(section, []):
        for entry in doc.get(target, []):
            value = entry.get(field_name)
            if is_list and isinstance(value, list):
                entry[field_name] = [new if item == old else item for item in value]
            elif value == old:
                entry[field_name] = new
    if section == "zones":
        for zone in doc.get("zones", []):
            if zone["name"] == old:
                zone["name"] = new


def apply_to_document(doc: dict[str, Any], change: SectionChange) -> list[Problem]:
    """Apply one section's change to an inventory document; problems when a row is gone."""
    section = change.section
    problems: list[Problem] = []
    if section == "records":
        return _apply_records(doc, change)
    key_field = KEYS[section]
    entries = doc.setdefault(section, [])
    index = {str(entry[key_field]): i for i, entry in enumerate(entries)}
    for old_key, row in change.changed.items():
        if old_key not in index:
            problems.append(
                Problem.of(
                    f"{section}",
                    "loader.edit_changed",
                    "'{old_key}' was changed or removed meanwhile; reload and edit again",
                    old_key=old_key,
                )
            )
            continue
        if section == "zones":
            new_name = str(row.get("name", old_key))
            if new_name != old_key:
                _rename(doc, section, old_key, new_name)
            continue
        entries[index[old_key]] = row
        new_key = row.get(key_field)
        if new_key is not None and str(new_key) != old_key:
            _rename(doc, section, old_key, str(new_key))
    removed = set(change.removed)
    missing = removed - set(index)
    problems += [
        Problem.of(
            section,
            "loader.edit_removed",
            "'{key}' was removed meanwhile; reload and edit again",
            key=key,
        )
        for key in sorted(missing)
    ]
    if removed:
        doc[section] = [entry for entry in doc[section] if str(entry[key_field]) not in removed]
        if section == "devices":
            # A removed device gives its addresses back.
            doc["ip_addresses"] = [
                a for a in doc.get("ip_addresses", []) if a.get("device") not in removed
            ]
    for row in change.added:
        if section == "zones":
            doc[section].append({"name": row.get("name"), "records": []})
        else:
            doc[section].append(row)
    return problems


def _apply_records(doc: dict[str, Any], change: SectionChange) -> list[Problem]:
    """Records have no key of their own: the edited rows replace the records of their zones."""
    zones = {zone["name"]: zone for zone in doc.get("zones", [])}
    problems = []
    for zone_name, rows in change.changed.items():
        if zone_name not in zones:
            problems.append(
                Problem.of(
                    "records",
                    "loader.edit_zone_removed",
                    "zone '{zone_name}' was removed meanwhile; reload",
                    zone_name=zone_name,
                )
            )
            continue
        zones[zone_name]["records"] = rows["records"]
    return problems


def records_change(
    original: Sequence[Mapping[str, Any]], edited: Sequence[Mapping[str, Any]]
) -> SectionChange:
    """The change of the ``records`` section: every zone whose records differ gets its new list."""

    def grouped(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        result: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            cleaned = _clean(row)
            zone = str(cleaned.pop("zone", "") or "")
            result[zone].append(cleaned)
        return result

    before, after = grouped(original), grouped(edited)
    change = SectionChange("records")
    for zone in sorted(set(before) | set(after)):
        if before.get(zone, []) != after.get(zone, []):
            change.changed[zone] = {"records": after.get(zone, [])}
    return change


# --- checking and writing ------------------------------------------------------------------------


def apply_changes(
    engine: Engine,
    changes: Sequence[SectionChange],
    actor: Actor,
    source: str = "inventaris",
) -> EditSummary:
    """Check the edited inventory with the rules of ``dcim load`` and write the changed rows.

    Raises :class:`InputError` (nothing written) when the result breaks a
    rule, and :class:`~dcim.accounts.PermissionDenied` unless the person is
    Tim Data Center, an administrator or the operator.
    """
    require_role(actor, EDIT_ROLES, "edit the inventory")
    changes = [c for c in changes if not c.empty()]
    if not changes:
        return EditSummary({})
    ensure_schema(engine)
    with write_session(engine) as session:
        if not is_sqlite(engine):
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK_KEY})
        doc = read_inventory(session)
        problems: list[Problem] = []
        for change in sorted(changes, key=lambda c: ORDER.index(c.section)):
            problems += apply_to_document(doc, change)
        if problems:
            raise InputError(problems, source)
        inventory = parse_inventory(doc, source)
        problems = rules.check(inventory)
        if problems:
            raise InputError(problems, source)
        try:
            counts = _write(session, inventory, changes)
        except IntegrityError as exc:
            raise InputError(
                [
                    Problem.of(
                        "",
                        "loader.edit_refused",
                        "the database refused the change: {orig}",
                        orig=exc.orig,
                    )
                ],
                source,
            ) from exc
        advance_free_hints(session)
        record(
            session,
            actor,
            "inventory.edit",
            "inventory",
            ", ".join(sorted({c.section for c in changes})),
            "; ".join(
                f"{section}: +{a} ~{c} -{r}" for section, (a, c, r) in sorted(counts.items())
            ),
            {
                c.section: {"added": c.added, "changed": c.changed, "removed": c.removed}
                for c in changes
            },
        )
    return EditSummary(counts)


def _write(
    session: Session, inventory: InventoryFile, changes: Sequence[SectionChange]
) -> dict[str, tuple[int, int, int]]:
    counts: dict[str, tuple[int, int, int]] = {}
    by_section = {c.section: c for c in changes}
    for section in ORDER:
        change = by_section.get(section)
        if change is None:
            continue
        writer = _WRITERS[section]
        writer(session, inventory, change)
        counts[section] = (len(change.added), len(change.changed), len(change.removed))
    return counts


def _entries(inventory: InventoryFile, section: str) -> dict[str, Any]:
    key_field = KEYS[section]
    return {str(getattr(entry, key_field)): entry for entry in getattr(inventory, section)}


def _added_only(inventory: InventoryFile, section: str, keys: Iterable[str]) -> InventoryFile:
    """An inventory holding only the given new entries of one section, for :func:`load.write`."""
    wanted = set(keys)
    key_field = KEYS[section]
    subset = InventoryFile(version=1)
    setattr(
        subset,
        section,
        [
            entry
            for entry in getattr(inventory, section)
            if str(getattr(entry, key_field)) in wanted
        ],
    )
    return subset


def _new_keys(change: SectionChange) -> list[str]:
    key_field = KEYS[change.section]
    return [str(row.get(key_field)) for row in change.added]


def _final_key(change: SectionChange, old: str) -> str:
    row = change.changed[old]
    return str(row.get(KEYS[change.section], old))


def _write_simple(model: Any, key_column: str, values: Any) -> Any:
    """A writer for sections whose rows map to one table row each.

    ``values(entry, sites, ups)`` gives an entry's row, with the site and UPS ids by name.
    """

    def writer(session: Session, inventory: InventoryFile, change: SectionChange) -> None:
        column = getattr(model, key_column)
        ids = name_ids(session, model.id, column)
        entries = _entries(inventory, change.section)
        sites = name_ids(session, Site.id, Site.slug)
        ups = name_ids(session, UPS.id, UPS.name)
        for old in change.changed:
            entry = entries[_final_key(change, old)]
            session.execute(
                update(model).where(model.id == ids[old]).values(**values(entry, sites, ups))
            )
        if change.removed:
            session.execute(delete(model).where(column.in_(change.removed)))
        if change.added:
            write(session, _added_only(inventory, change.section, _new_keys(change)))

    return writer


def _slug_and_name(entry: Any, *_: Any) -> dict[str, Any]:
    return {"slug": entry.slug, "name": entry.name}


def _write_racks(session: Session, inventory: InventoryFile, change: SectionChange) -> None:
    ids = name_ids(session, Rack.id, Rack.name)
    entries = _entries(inventory, "racks")
    feed_ids = name_ids(session, PowerFeed.id, PowerFeed.name)
    sites = name_ids(session, Site.id, Site.slug)
    for old in change.changed:
        entry = entries[_final_key(change, old)]
        rack_id = ids[old]
        session.execute(update(Rack).where(Rack.id == rack_id).values(**rack_row(entry, sites)))
        session.execute(update(PowerFeed).where(PowerFeed.rack_id == rack_id).values(rack_id=None))
        if entry.feeds:
            session.execute(
                update(PowerFeed)
                .where(PowerFeed.id.in_([feed_ids[name] for name in entry.feeds]))
                .values(rack_id=rack_id)
            )
        session.execute(
            delete(RackUnit).where(
                RackUnit.rack_id == rack_id, RackUnit.kind == UnitClaimKind.UNUSABLE.value
            )
        )
        rows = unusable_unit_rows(rack_id, entry.unusable_units)
        if rows:
            session.execute(insert(RackUnit), rows)
    if change.removed:
        removed_ids = [ids[name] for name in change.removed]
        session.execute(
            update(PowerFeed).where(PowerFeed.rack_id.in_(removed_ids)).values(rack_id=None)
        )
        session.execute(delete(Rack).where(Rack.id.in_(removed_ids)))
    if change.added:
        write(session, _added_only(inventory, "racks", _new_keys(change)))


def _write_prefixes(session: Session, inventory: InventoryFile, change: SectionChange) -> None:
    ids = name_ids(session, Prefix.id, Prefix.prefix)
    entries = _entries(inventory, "prefixes")
    sites = name_ids(session, Site.id, Site.slug)
    for old in change.changed:
        entry = entries[_final_key(change, old)]
        network = parse_prefix(entry.prefix)
        prefix_id = ids[old]
        session.execute(
            update(Prefix).where(Prefix.id == prefix_id).values(**prefix_row(entry, network, sites))
        )
        session.execute(
            delete(PrefixReservedRange).where(PrefixReservedRange.prefix_id == prefix_id)
        )
        ranges = [parse_range(text_range) for text_range in entry.reserved_ranges]
        if ranges:
            session.execute(
                insert(PrefixReservedRange),
                [{"prefix_id": prefix_id, "first": str(a), "last": str(b)} for a, b in ranges],
            )
    if change.added:
        write(session, _added_only(inventory, "prefixes", _new_keys(change)))
    # Addresses follow their prefixes: re-home every address before a prefix goes away.
    if change.changed or change.removed:
        _rehome_addresses(session, exclude=[ids[name] for name in change.removed])
    if change.removed:
        session.execute(delete(Prefix).where(Prefix.id.in_([ids[name] for name in change.removed])))


def _rehome_addresses(session: Session, exclude: Sequence[int]) -> None:
    networks = [
        (parse_prefix(text_), id_)
        for id_, text_ in session.execute(select(Prefix.id, Prefix.prefix))
        if id_ not in set(exclude)
    ]
    index = PrefixIndex.build(networks)
    for address_id, address, prefix_id, host in session.execute(
        select(IPAddress.id, IPAddress.address, IPAddress.prefix_id, IPAddress.host)
    ).all():
        found = index.find(parse_address(address))
        if found is None:
            continue  # the rules have already refused an address outside every prefix
        network, new_prefix = found
        new_host = host_offset(parse_address(address), network)
        if new_prefix != prefix_id or new_host != host:
            session.execute(
                update(IPAddress)
                .where(IPAddress.id == address_id)
                .values(prefix_id=new_prefix, host=new_host)
            )


def _write_addresses(session: Session, inventory: InventoryFile, change: SectionChange) -> None:
    devices = name_ids(session, Device.id, Device.name)
    entries = _entries(inventory, "ip_addresses")
    ids = {
        address: id_
        for id_, address in session.execute(
            select(IPAddress.id, IPAddress.address).where(IPAddress.reservation_id.is_(None))
        )
    }
    moved = []
    for old in change.changed:
        entry = entries[_final_key(change, old)]
        values = {
            "device_id": devices[entry.device] if entry.device else None,
            "description": entry.description,
            "status": entry.status,
        }
        if entry.address != old:
            address = parse_address(entry.address)
            values.update(address=str(address), family=address.version)
            moved.append(entry.address)
        session.execute(update(IPAddress).where(IPAddress.id == ids[old]).values(**values))
    if change.removed:
        session.execute(delete(IPAddress).where(IPAddress.id.in_([ids[a] for a in change.removed])))
    if moved:
        _rehome_addresses(session, exclude=[])
    if change.added:
        write(session, _added_only(inventory, "ip_addresses", _new_keys(change)))


def _write_zones(session: Session, inventory: InventoryFile, change: SectionChange) -> None:
    ids = name_ids(session, Zone.id, Zone.name)
    for old, row in change.changed.items():
        session.execute(
            update(Zone).where(Zone.id == ids[old]).values(name=normalize(str(row["name"])))
        )
    if change.removed:
        session.execute(delete(Zone).where(Zone.id.in_([ids[name] for name in change.removed])))
    if change.added:
        wanted = {normalize(str(row.get("name"))) for row in change.added}
        subset = InventoryFile(version=1)
        subset.zones = [
            z.model_copy(update={"records": []})
            for z in inventory.zones
            if normalize(z.name) in wanted
        ]
        write(session, subset)


def _write_records(session: Session, inventory: InventoryFile, change: SectionChange) -> None:
    ids = name_ids(session, Zone.id, Zone.name)
    zones = {normalize(zone.name): zone for zone in inventory.zones}
    for zone_name in change.changed:
        name = normalize(zone_name)
        zone_id = ids[name]
        session.execute(delete(Record).where(Record.zone_id == zone_id))
        rows = [
            {
                "zone_id": zone_id,
                "name": rules.relative_record_name(r.name, name),
                "type": r.type.upper(),
                "value": r.value,
                "ttl": r.ttl,
            }
            for r in zones[name].records
        ]
        if rows:
            session.execute(insert(Record), rows)


def _write_devices(session: Session, inventory: InventoryFile, change: SectionChange) -> None:
    ids = name_ids(session, Device.id, Device.name)
    entries = _entries(inventory, "devices")
    tenants = name_ids(session, Tenant.id, Tenant.slug)
    racks = name_ids(session, Rack.id, Rack.name)
    uplinks = name_ids(session, Uplink.id, Uplink.name)
    feeds = name_ids(session, PowerFeed.id, PowerFeed.name)
    changed_ids = [ids[old] for old in change.changed]
    if changed_ids:
        # Free every changed device's units first, so devices can swap places in one edit.
        session.execute(delete(RackUnit).where(RackUnit.device_id.in_(changed_ids)))
        session.execute(delete(PowerConnection).where(PowerConnection.device_id.in_(changed_ids)))
    units: list[dict[str, Any]] = []
    connections: list[dict[str, Any]] = []
    for old in change.changed:
        entry = entries[_final_key(change, old)]
        device_id = ids[old]
        session.execute(
            update(Device)
            .where(Device.id == device_id)
            .values(
                name=entry.name,
                tenant_id=tenants[entry.tenant] if entry.tenant else None,
                rack_id=racks[entry.rack],
                position=entry.position,
                u_height=entry.u_height,
                face=entry.face,
                full_depth=entry.full_depth,
                weight_kg=entry.weight_kg,
                power_w=entry.power_w,
                uplink_id=uplinks[entry.uplink] if entry.uplink else None,
                bandwidth_mbps=entry.bandwidth_mbps,
                model=entry.model,
                serial=entry.serial,
                status=entry.status,
            )
        )
        units += [
            {
                "rack_id": racks[entry.rack],
                "unit": unit,
                "face": face,
                "kind": "device",
                "device_id": device_id,
            }
            for unit in range(entry.position, entry.position + entry.u_height)
            for face in occupied_faces(entry.face, entry.full_depth)
        ]
        connections += [{"feed_id": feeds[name], "device_id": device_id} for name in entry.feeds]
    if units:
        session.execute(insert(RackUnit), units)
    if connections:
        session.execute(insert(PowerConnection), connections)
    if change.removed:
        removed_ids = [ids[name] for name in change.removed]
        session.execute(delete(IPAddress).where(IPAddress.device_id.in_(removed_ids)))
        session.execute(delete(Device).where(Device.id.in_(removed_ids)))
    if change.added:
        write(session, _added_only(inventory, "devices", _new_keys(change)))


_WRITERS: dict[str, Any] = {
    "tenants": _write_simple(Tenant, "slug", _slug_and_name),
    "sites": _write_simple(Site, "slug", _slug_and_name),
    "ups": _write_simple(UPS, "name", lambda entry, sites, _: ups_row(entry, sites)),
    "power_feeds": _write_simple(PowerFeed, "name", feed_row),
    "racks": _write_racks,
    "uplinks": _write_simple(Uplink, "name", lambda entry, sites, _: uplink_row(entry, sites)),
    "prefixes": _write_prefixes,
    "ip_addresses": _write_addresses,
    "zones": _write_zones,
    "records": _write_records,
    "devices": _write_devices,
}


# --- whole files from the app ---------------------------------------------------------------------


def load_uploaded(engine: Engine, data: Any, source: str, actor: Actor) -> Any:
    """Add an uploaded inventory file exactly as ``dcim load`` does, audited under the actor."""
    from .load import load_inventory

    require_role(actor, EDIT_ROLES, "load an inventory file")
    return load_inventory(engine, parse_inventory(data, source), source, actor=actor)


def import_device_types(engine: Engine, paths: Sequence[Any], actor: Actor) -> Any:
    """Import NetBox device-type files into the catalog (as ``dcim catalog import``), audited."""
    from dcim.catalog import import_paths

    return import_paths(engine, list(paths), actor=actor)
