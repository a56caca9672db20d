"""``dcim import netbox``: a NetBox dump, plus a companion file, into the inventory in one transaction.

The dump is read behind the input gate (:mod:`dcim.netbox.dump`), converted
(:mod:`dcim.netbox.convert`), completed with the companion YAML (what NetBox
cannot give: UPS, which feed hangs on which UPS, uplink capacities), then
checked and written by the ordinary loader together with what the database
already holds. The device types go into the catalog in the same transaction.
Anything wrong anywhere writes nothing; a dry run checks everything and then
rolls back.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dcim.accounts import Actor, record, require_role
from dcim.catalog import DeviceTypeFile
from dcim.db import ensure_schema, read_session
from dcim.errors import InputError, Problem
from dcim.inventory.load import INVENTORY_ROLES, load_inventory, parse_inventory
from dcim.inventory.pydantic_errors import problems_from
from dcim.inventory.schema import LIST_SECTIONS
from dcim.inventory.yamlio import INVENTORY_LIMITS, read_yaml_file
from dcim.models import DeviceType, Site, Tenant
from dcim.workdays import today as wita_today

from .convert import Converter, ImportOptions, convert
from .dump import read_dump_file
from .report import MigrationReport, ObjectRef

#: The field that names an entry of each list section: a companion entry with a known one
#: completes that entry, any other is added.
KEYS = {
    "tenants": "slug",
    "sites": "slug",
    "ups": "name",
    "power_feeds": "name",
    "racks": "name",
    "uplinks": "name",
    "prefixes": "prefix",
    "ip_addresses": "address",
    "zones": "name",
    "devices": "name",
    "reservations": "id",
}
_INDEXED = re.compile(r"\b(" + "|".join(LIST_SECTIONS) + r")\[(\d+)\]")


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that everything written is rolled back."""


def merge_companion(converter: Converter, data: Any, source: str) -> dict[str, int]:
    """Complete the converted document with the companion's entries; counts of added/completed."""
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem.of(
                    "",
                    "netbox.companion_not_mapping",
                    "the companion file must be a mapping in the inventory format",
                )
            ],
            source,
        )
    doc = converter.doc
    counts = {"added": 0, "completed": 0}
    for key, value in data.items():
        if key not in KEYS:
            doc[key] = value  # version, policy, organization, or an unknown key the schema names
            continue
        if not isinstance(value, list):
            doc[key] = value
            continue
        section = doc.setdefault(key, [])
        index = {entry.get(KEYS[key]): i for i, entry in enumerate(section)}
        for i, entry in enumerate(value):
            name = entry.get(KEYS[key]) if isinstance(entry, dict) else None
            if name is not None and name in index:
                section[index[name]].update(entry)
                counts["completed"] += 1
            else:
                section.append(entry)
                converter.origins[key].append(f"{source} {key}[{i}]")
                counts["added"] += 1
    return counts


def reuse_existing(converter: Converter, engine: Engine) -> None:
    """Sites and tenants the inventory already has (same slug) are used, not added again.

    A NetBox site is often the server room that an existing inventory already
    describes; its racks and devices still have to be new.
    """
    ensure_schema(engine)
    with read_session(engine) as session:
        known = {
            "sites": set(session.scalars(select(Site.slug))),
            "tenants": set(session.scalars(select(Tenant.slug))),
        }
    models = {"sites": "dcim.site", "tenants": "tenancy.tenant"}
    for section, slugs in known.items():
        entries = converter.doc.get(section, [])
        origins = converter.origins.get(section, [])
        kept = [(e, o) for e, o in zip(entries, origins, strict=True) if e["slug"] not in slugs]
        for entry, origin in zip(entries, origins, strict=True):
            if entry["slug"] in slugs:
                pk = int(origin.rsplit(" ", 1)[1])
                converter.report.adapt(
                    "existing", ObjectRef(models[section], pk, entry["name"], entry["slug"])
                )
        converter.doc[section] = [e for e, _ in kept]
        converter.origins[section] = [o for _, o in kept]


def still_to_fill(converter: Converter) -> None:
    """What NetBox could not give and the companion did not: UPS, feeds' UPS, uplink capacities."""
    doc, report = converter.doc, converter.report
    feeds = doc.get("power_feeds", [])
    if feeds and not doc.get("ups"):
        # Name the sites whose feeds wait for a UPS.
        sites = sorted({f.get("site") for f in feeds if isinstance(f, dict)} - {None})
        for slug in sites:
            pk = next((k for k, v in converter.site_slug.items() if v == slug), 0)
            report.to_fill("ups", ObjectRef("dcim.site", pk, str(slug)))
    for pk, name in converter.feed_name.items():
        entry = next((f for f in feeds if f.get("name") == name), None)
        if entry is not None and not entry.get("ups"):
            report.to_fill("feed_ups", ObjectRef("dcim.powerfeed", pk, name))
    uplinks = {u.get("name") for u in doc.get("uplinks", []) if isinstance(u, dict)}
    waiting = report.still_to_fill.get("uplink_capacity", [])
    report.still_to_fill["uplink_capacity"] = [r for r in waiting if r.to not in uplinks]
    if not report.still_to_fill["uplink_capacity"]:
        del report.still_to_fill["uplink_capacity"]


def _origin_paths(problems: list[Problem], origins: dict[str, list[str]]) -> list[Problem]:
    """``racks[3].name`` -> ``racks[3] (dcim.rack 17).name``: which NetBox object it came from."""

    def fix(match: re.Match[str]) -> str:
        section, index = match.group(1), int(match.group(2))
        known = origins.get(section, [])
        return f"{match.group(0)} ({known[index]})" if index < len(known) else match.group(0)

    return [replace(p, path=_INDEXED.sub(fix, p.path)) for p in problems]


def _catalog(converter: Converter) -> list[DeviceTypeFile]:
    items: list[DeviceTypeFile] = []
    problems: list[Problem] = []
    for pk, item in converter.catalog:
        try:
            items.append(DeviceTypeFile.model_validate(item))
        except ValidationError as exc:
            problems.extend(
                replace(p, path=f"dcim.devicetype {pk}.{p.path}") for p in problems_from(exc)
            )
    if problems:
        raise InputError(problems)
    return items


def _write_catalog(
    session: Session, items: list[DeviceTypeFile], source: str, actor: Actor
) -> None:
    """Add or update the device types, as ``dcim catalog import`` does, in the load's transaction."""
    for item in items:
        existing = session.scalar(select(DeviceType).where(DeviceType.slug == item.slug))
        watts, psu = item.power_budget()
        values = {
            "manufacturer": item.manufacturer,
            "model": item.model,
            "u_height": item.u_height,
            "is_full_depth": item.is_full_depth,
            "weight_kg": item.weight_kg(),
            "power_w": watts,
            "psu": psu,
            "part_number": item.part_number,
            "airflow": item.airflow,
            "source": source,
            "power_ports": [p.model_dump(exclude_none=True) for p in item.power_ports],
        }
        if existing is None:
            session.add(DeviceType(slug=item.slug, **values))
        else:
            for key, value in values.items():
                setattr(existing, key, value)
    if items:
        slugs = [item.slug for item in items]
        record(
            session,
            actor,
            "catalog.import",
            "device_type",
            None,
            f"{len(slugs)} from NetBox",
            {"imported": slugs},
        )


def import_netbox(
    engine: Engine,
    path: str | Path,
    *,
    actor: Actor,
    options: ImportOptions | None = None,
    companion: str | Path | None = None,
    dry_run: bool = False,
) -> MigrationReport:
    """Import a NetBox dumpdata file (and a companion YAML) all or nothing; the report says what came.

    Only Tim Data Center, the administrator or the operator may (:data:`INVENTORY_ROLES`).
    Raises :class:`InputError` naming the NetBox object and field, and writes nothing, when
    anything is wrong.
    """
    require_role(actor, INVENTORY_ROLES, "import a NetBox dump")
    source = str(path)
    options = options or ImportOptions()
    dump = read_dump_file(path)
    converter = convert(dump, options, wita_today())
    report = converter.report
    report.source, report.dry_run = source, dry_run
    reuse_existing(converter, engine)
    if companion is not None:
        data = read_yaml_file(companion, INVENTORY_LIMITS)
        report.companion = merge_companion(converter, data, str(companion))
    still_to_fill(converter)
    try:
        inventory = parse_inventory(converter.doc, source)
    except InputError as exc:
        raise InputError(_origin_paths(exc.problems, converter.origins), source) from exc
    catalog = _catalog(converter) if options.device_types else []

    def also(session: Session) -> None:
        _write_catalog(session, catalog, f"netbox:{source}", actor)
        record(
            session,
            actor,
            "netbox.import",
            "inventory",
            source,
            ", ".join(f"{k}: {v['out']}/{v['in']}" for k, v in report.counts.items()),
            {"counts": report.counts},
        )
        if dry_run:
            raise _DryRun

    try:
        summary = load_inventory(engine, inventory, source, actor=actor, also=also)
        report.loaded = dict(summary.counts)
    except _DryRun:
        # Nothing was written; what would have been added is what the document holds.
        report.loaded = {s: len(getattr(inventory, s)) for s in LIST_SECTIONS}
    except InputError as exc:
        raise InputError(_origin_paths(exc.problems, converter.origins), source) from exc
    return report
