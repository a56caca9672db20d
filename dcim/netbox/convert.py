"""NetBox objects to the inventory format: every adaptation a choice, every object accounted for.

:func:`convert` turns a checked :class:`~dcim.netbox.dump.Dump` into an
inventory document (plain data, the inventory file's shape) and a
:class:`~dcim.netbox.report.MigrationReport`. Nothing here touches the
database; :mod:`dcim.netbox.service` loads the result through the ordinary
loader. Each object of a kind the inventory holds either comes across, is
named under an adaptation that changed it, or is named as skipped with the
reason.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from dcim.catalog import WEIGHT_TO_KG
from dcim.errors import InputError, Problem

from .dump import Dump
from .report import MigrationReport, ObjectRef

NAME_MAX = 100

#: NetBox status -> the format's, per kind; ``--status-map kind:netbox=ours`` overrides one.
DEFAULT_STATUS_MAP: dict[str, dict[str, str]] = {
    "rack": {
        "active": "active",
        "planned": "planned",
        "reserved": "reserved",
        "deprecated": "deprecated",
        "available": "active",
    },
    "device": {
        "active": "active",
        "planned": "planned",
        "staged": "planned",
        "offline": "offline",
        "failed": "offline",
        "inventory": "offline",
        "decommissioning": "offline",
    },
    "ip": {
        "active": "active",
        "reserved": "reserved",
        "deprecated": "deprecated",
        "dhcp": "dhcp",
        "slaac": "active",
    },
}
#: Models read only to place or name others (an interface gives an address its device).
CONTEXT_MODELS = frozenset(
    {
        "dcim.location",
        "dcim.manufacturer",
        "dcim.devicerole",
        "dcim.virtualchassis",
        "dcim.powerpanel",
        "dcim.powerport",
        "dcim.powerporttemplate",
        "dcim.poweroutlet",
        "dcim.interface",
        "ipam.vrf",
        "ipam.role",
        "ipam.vlan",
        "circuits.provider",
        "circuits.circuittermination",
        "contenttypes.contenttype",
    }
)
OUR_STATUSES = {
    "rack": ("active", "planned", "reserved", "deprecated"),
    "device": ("active", "planned", "offline"),
    "ip": ("active", "reserved", "dhcp", "deprecated"),
}


@dataclass
class ImportOptions:
    """The adaptations' choices; each default is what most NetBox users would pick."""

    duplicates: Literal["qualify", "refuse"] = "qualify"
    unnamed: Literal["name", "skip"] = "name"
    status_map: dict[str, dict[str, str]] = field(default_factory=dict)
    containers: Literal["drop", "keep"] = "drop"
    nested: Literal["inner", "outer"] = "inner"
    vrf: str | None = None
    role_map: dict[str, str] = field(default_factory=dict)
    default_role: str = "unassigned"
    ip_ranges: Literal["reserve", "skip"] = "reserve"
    rack_reservations: Literal["unusable", "hold", "skip"] = "unusable"
    hold_tenant: str | None = None
    hold_expires: dt.date | None = None
    power_paths: bool = True
    device_types: bool = True

    def status(self, kind: str, value: str | None) -> tuple[str, bool]:
        """Our status for a NetBox status, and whether it changed; an unknown one is refused."""
        value = value or "active"
        mapping = {**DEFAULT_STATUS_MAP[kind], **self.status_map.get(kind, {})}
        if value in OUR_STATUSES[kind] and value not in self.status_map.get(kind, {}):
            return value, False
        if value not in mapping:
            raise InputError(
                [
                    Problem.of(
                        "--status-map",
                        "netbox.status_unmapped",
                        "no mapping for the NetBox {kind} status '{value}' (add --status-map {kind}:{value}=...)",
                        kind=kind,
                        value=value,
                    )
                ]
            )
        return mapping[value], mapping[value] != value


def parse_status_map(items: Iterable[str]) -> dict[str, dict[str, str]]:
    """``rack:available=planned`` items as ``{"rack": {"available": "planned"}}``, checked."""
    result: dict[str, dict[str, str]] = defaultdict(dict)
    for item in items:
        kind, _, rest = item.partition(":")
        netbox, _, ours = rest.partition("=")
        if kind not in OUR_STATUSES or not netbox or ours not in OUR_STATUSES[kind]:
            allowed = "; ".join(f"{k}: {', '.join(v)}" for k, v in OUR_STATUSES.items())
            raise InputError(
                [
                    Problem.of(
                        "--status-map",
                        "netbox.status_map_shape",
                        "'{item}' is not KIND:NETBOX=OURS ({allowed})",
                        item=item,
                        allowed=allowed,
                    )
                ]
            )
        result[kind][netbox] = ours
    return dict(result)


def parse_role_map(items: Iterable[str]) -> dict[str, str]:
    """``netbox-slug=ours`` items, each ``ours`` a role slug of the format."""
    import re

    result: dict[str, str] = {}
    for item in items:
        netbox, _, ours = item.partition("=")
        if not netbox or not re.fullmatch(r"[a-z0-9_-]{1,64}", ours):
            raise InputError(
                [
                    Problem.of(
                        "--role-map",
                        "netbox.role_map_shape",
                        "'{item}' is not NETBOX-ROLE=our-role (a-z, 0-9, - and _)",
                        item=item,
                    )
                ]
            )
        result[netbox] = ours
    return result


def _fit(name: str, suffix: str = "") -> str:
    """``name`` + ``suffix`` within the name length, the name shortened if it must be."""
    room = NAME_MAX - len(suffix)
    return (name[:room].rstrip() if len(name) > room else name) + suffix


def unique_names(
    items: list[tuple[int, str, str]],
    duplicates: str,
    kind: str,
    report: MigrationReport,
    model: str,
) -> dict[int, str]:
    """Names made unique: ``(pk, name, qualifier)`` -> ``name (qualifier)``, then ``#pk``.

    The first qualification is by site (racks, devices), panel (feeds) or
    provider (circuits); names still equal after it get the NetBox id. The
    order is by pk, so the same dump always gives the same names.
    """
    counts = Counter(name for _, name, _ in items)
    if duplicates == "refuse" and any(n > 1 for n in counts.values()):
        dup = sorted(name for name, n in counts.items() if n > 1)
        raise InputError(
            [
                Problem.of(
                    "--duplicates",
                    "netbox.names_twice",
                    "{kind} names used more than once in NetBox: {names} (use --duplicates qualify)",
                    kind=kind,
                    names=", ".join(dup[:20]),
                )
            ]
        )
    result: dict[int, str] = {}
    qualified = {pk: (_fit(name, f" ({q})") if counts[name] > 1 else name) for pk, name, q in items}
    second = Counter(qualified.values())
    for pk, name, _ in sorted(items):
        new = qualified[pk]
        if second[new] > 1:
            new = _fit(name, f" (#{pk})") if counts[name] > 1 else new
        result[pk] = new
        if new != name:
            report.adapt("qualified_name", ObjectRef(model, pk, name, new))
    return result


def nesting(nets: list[Any]) -> tuple[dict[Any, list[Any]], dict[Any, Any]]:
    """For distinct networks: those each one contains, and the widest one containing it.

    Sorted by address then width, a network's containers are exactly the open ones on a
    stack: one pass, not a comparison of every pair.
    """
    inner_of: dict[Any, list[Any]] = defaultdict(list)
    outer_of: dict[Any, Any] = {}
    for version in (4, 6):
        stack: list[Any] = []
        for net in sorted(
            (n for n in nets if n.version == version),
            key=lambda n: (n.network_address, n.prefixlen),
        ):
            while stack and not net.subnet_of(stack[-1]):
                stack.pop()
            if stack:
                outer_of[net] = stack[0]
                for container in stack:
                    inner_of[container].append(net)
            stack.append(net)
    return inner_of, outer_of


class Converter:
    """One conversion: the dump, the options, the document being built and the report."""

    def __init__(self, dump: Dump, options: ImportOptions, today: dt.date) -> None:
        self.dump = dump
        self.options = options
        self.today = today
        self.report = MigrationReport()
        self.doc: dict[str, Any] = {"version": 1}
        self.origins: dict[str, list[str]] = defaultdict(list)
        self.site_slug: dict[int, str] = {}
        self.tenant_slug: dict[int, str] = {}
        self.rack_name: dict[int, str] = {}
        self.rack_entry: dict[int, dict[str, Any]] = {}
        self.rack_shift: dict[int, int] = {}
        self.device_name: dict[int, str] = {}
        self.device_entry: dict[int, dict[str, Any]] = {}
        self.device_rack: dict[int, int] = {}
        self.feed_name: dict[int, str] = {}
        self.feed_rack: dict[int, int | None] = {}
        self.taken: dict[tuple[int, str, int], int] = {}

    # --- helpers ---------------------------------------------------------------------------

    def add(self, section: str, entry: dict[str, Any], origin: str) -> None:
        """Append an entry, remembering which NetBox object it came from (for error messages)."""
        self.doc.setdefault(section, []).append(entry)
        self.origins[section].append(origin)

    def name_of(self, model: str, pk: int | None) -> str:
        """A NetBox object's name for the report (empty when it has none)."""
        record = self.dump.of(model).get(pk) if pk is not None else None
        for attr in ("name", "cid", "prefix", "address", "model"):
            value = getattr(record, attr, None)
            if value:
                return str(value)
        return ""

    def skip(self, model: str, pk: int, reason: str, **detail: Any) -> None:
        """An object that does not come across, with the reason."""
        self.report.skip(ObjectRef(model, pk, self.name_of(model, pk)), reason, detail)

    # --- the kinds, in dependency order ------------------------------------------------------

    def run(self) -> None:
        """Convert everything; the report's counts are filled in as each kind is done."""
        self.sites()
        self.tenants()
        self.racks()
        self.feeds()
        self.devices()
        self.power_paths()
        self.rack_reservations()
        kept = self.prefixes()
        self.ip_addresses(kept)
        self.ip_ranges(kept)
        self.circuits()
        self.device_types()
        for model, pks in sorted(self.dump.others.items()):
            self.report.others[model] = list(pks)
        for model in sorted(CONTEXT_MODELS):
            if self.dump.of(model):
                self.report.context[model] = len(self.dump.of(model))

    def sites(self) -> None:
        """Sites come across as they are (NetBox's slugs are the format's)."""
        sites = self.dump.of("dcim.site")
        for pk, s in sorted(sites.items()):
            self.site_slug[pk] = s.slug
            self.add("sites", {"slug": s.slug, "name": s.name}, f"dcim.site {pk}")
        self.report.count("sites", len(sites), len(sites))

    def tenants(self) -> None:
        """Tenants; a slug with capitals or underscores is lowered and dashed (the format's)."""
        tenants = self.dump.of("tenancy.tenant")
        for pk, t in sorted(tenants.items()):
            slug = t.slug.lower().replace("_", "-")
            if slug != t.slug:
                self.report.adapt("tenant_slug", ObjectRef("tenancy.tenant", pk, t.slug, slug))
            self.tenant_slug[pk] = slug
            self.add("tenants", {"slug": slug, "name": t.name}, f"tenancy.tenant {pk}")
        self.report.count("tenants", len(tenants), len(tenants))

    def racks(self) -> None:
        """Racks, named uniquely, with mapped status, the weight limit in kg, units from 1."""
        racks = self.dump.of("dcim.rack")
        names = unique_names(
            [(pk, r.name, self.site_slug.get(r.site, str(r.site))) for pk, r in racks.items()],
            self.options.duplicates,
            "rack",
            self.report,
            "dcim.rack",
        )
        for pk, r in sorted(racks.items()):
            if r.site not in self.site_slug:
                self.skip("dcim.rack", pk, "missing_site")
                continue
            status, changed = self.options.status("rack", r.status)
            if changed:
                self.report.adapt(
                    "rack_status", ObjectRef("dcim.rack", pk, r.name, f"{r.status} -> {status}")
                )
            entry: dict[str, Any] = {
                "name": names[pk],
                "site": self.site_slug[r.site],
                "u_height": r.u_height,
                "status": status,
            }
            if r.max_weight:
                unit = WEIGHT_TO_KG.get(r.weight_unit or "kg", Decimal(1))
                entry["max_weight_kg"] = round(Decimal(r.max_weight) * unit, 3)
            if r.starting_unit != 1:
                self.report.adapt(
                    "starting_unit", ObjectRef("dcim.rack", pk, r.name, f"U{r.starting_unit} -> U1")
                )
            if r.desc_units:
                self.report.adapt("descending_units", ObjectRef("dcim.rack", pk, r.name))
            self.rack_shift[pk] = 1 - r.starting_unit
            self.rack_name[pk] = names[pk]
            self.rack_entry[pk] = entry
            self.add("racks", entry, f"dcim.rack {pk}")
        self.report.count("racks", len(racks), len(self.rack_entry))

    def feeds(self) -> None:
        """Power feeds, named uniquely by panel; the panel's site; DC voltage as its magnitude."""
        feeds = self.dump.of("dcim.powerfeed")
        panels = self.dump.of("dcim.powerpanel")
        names = unique_names(
            [
                (pk, f.name, self.name_of("dcim.powerpanel", f.power_panel) or str(f.power_panel))
                for pk, f in feeds.items()
            ],
            self.options.duplicates,
            "power feed",
            self.report,
            "dcim.powerfeed",
        )
        came = 0
        for pk, f in sorted(feeds.items()):
            panel = panels.get(f.power_panel)
            if panel is None or panel.site not in self.site_slug:
                self.skip("dcim.powerfeed", pk, "missing_site")
                continue
            if f.voltage < 0:
                self.report.adapt(
                    "dc_voltage",
                    ObjectRef("dcim.powerfeed", pk, f.name, f"{f.voltage} V -> {-f.voltage} V"),
                )
            entry = {
                "name": names[pk],
                "site": self.site_slug[panel.site],
                "voltage": abs(f.voltage),
                "amperage": f.amperage,
                "phase": "three" if f.phase == "three-phase" else "single",
                "max_utilization": f.max_utilization,
            }
            self.feed_name[pk] = names[pk]
            self.feed_rack[pk] = f.rack if f.rack in self.rack_entry else None
            if f.rack is not None and f.rack in self.rack_entry:
                self.rack_entry[f.rack].setdefault("feeds", []).append(names[pk])
            self.add("power_feeds", entry, f"dcim.powerfeed {pk}")
            came += 1
        self.report.count("power_feeds", len(feeds), came)

    def devices(self) -> None:
        """Racked devices with a height: whole units covering half units, mapped status."""
        devices = self.dump.of("dcim.device")
        types = self.dump.of("dcim.devicetype")
        makers = self.dump.of("dcim.manufacturer")
        chassis = self.dump.of("dcim.virtualchassis")
        placed: list[tuple[int, Any, int, int, str, bool]] = []
        for pk, d in sorted(devices.items()):
            dtype = types.get(d.device_type)
            if dtype is None:
                self.skip("dcim.device", pk, "missing_device_type")
                continue
            if d.rack is None:
                self.skip("dcim.device", pk, "not_racked")
                continue
            if d.rack not in self.rack_entry:
                self.skip("dcim.device", pk, "rack_not_imported")
                continue
            if dtype.u_height is None or dtype.u_height == 0:
                self.skip("dcim.device", pk, "zero_u")
                continue
            if d.position is None:
                self.skip("dcim.device", pk, "no_position")
                continue
            first = math.floor(d.position)
            last = math.ceil(d.position + dtype.u_height) - 1
            halves = first != d.position or last - first + 1 != dtype.u_height
            shift = self.rack_shift[d.rack]
            first, last = first + shift, last + shift
            height = self.rack_entry[d.rack]["u_height"]
            if first < 1 or last > height:
                self.skip("dcim.device", pk, "outside_rack", units=f"U{first}-U{last}")
                continue
            face = d.face or "front"
            if not d.face:
                self.report.adapt("face_default", ObjectRef("dcim.device", pk, d.name or ""))
            faces = ("front", "rear") if dtype.is_full_depth else (face,)
            clash = {
                self.taken[(d.rack, f, u)]
                for f in faces
                for u in range(first, last + 1)
                if (d.rack, f, u) in self.taken
            }
            if clash:
                other = min(clash)
                self.skip(
                    "dcim.device",
                    pk,
                    "shares_units",
                    other=self.name_of("dcim.device", other) or f"#{other}",
                )
                continue
            if halves:
                self.report.adapt(
                    "half_units",
                    ObjectRef(
                        "dcim.device",
                        pk,
                        d.name or "",
                        f"U{d.position.normalize()} {dtype.u_height.normalize()}U -> U{first}-U{last}",
                    ),
                )
            for f in faces:
                for u in range(first, last + 1):
                    self.taken[(d.rack, f, u)] = pk
            placed.append((pk, d, first, last - first + 1, face, dtype.is_full_depth))
        # Names: unnamed devices first get one, then duplicates are qualified by site.
        named: list[tuple[int, str, str]] = []
        for pk, d, *_ in placed:
            name = d.name
            if not name:
                if self.options.unnamed == "skip":
                    self.skip("dcim.device", pk, "unnamed")
                    continue
                vc = chassis.get(d.virtual_chassis) if d.virtual_chassis else None
                if vc is not None and vc.name:
                    name = _fit(
                        vc.name, f":{d.vc_position}" if d.vc_position is not None else f" #{pk}"
                    )
                else:
                    name = _fit(types[d.device_type].model, f" #{pk}")
                self.report.adapt("unnamed_device", ObjectRef("dcim.device", pk, "", name))
            named.append(
                (pk, name, self.site_slug.get(d.site, "") or self.rack_entry[d.rack]["site"])
            )
        names = unique_names(named, self.options.duplicates, "device", self.report, "dcim.device")
        by_pk = {pk: rest for pk, *rest in placed}
        for pk, _, _ in sorted(named):
            d, position, u_height, face, full_depth = by_pk[pk]
            dtype = types[d.device_type]
            status, changed = self.options.status("device", d.status)
            if changed:
                self.report.adapt(
                    "device_status",
                    ObjectRef("dcim.device", pk, names[pk], f"{d.status} -> {status}"),
                )
            maker = makers.get(dtype.manufacturer)
            entry: dict[str, Any] = {
                "name": names[pk],
                "rack": self.rack_name[d.rack],
                "position": position,
                "u_height": u_height,
                "face": face,
                "full_depth": full_depth,
                "status": status,
                "model": f"{maker.name} {dtype.model}" if maker else dtype.model,
            }
            if d.tenant in self.tenant_slug:
                entry["tenant"] = self.tenant_slug[d.tenant]
            if dtype.weight:
                entry["weight_kg"] = round(
                    dtype.weight * WEIGHT_TO_KG.get(dtype.weight_unit or "kg", Decimal(1)), 3
                )
            if d.serial:
                entry["serial"] = d.serial
            self.device_name[pk] = names[pk]
            self.device_entry[pk] = entry
            self.device_rack[pk] = d.rack
            self.add("devices", entry, f"dcim.device {pk}")
        self.report.count("devices", len(devices), len(self.device_entry))

    def power_paths(self) -> None:
        """Each device's draw from its power ports, and its feeds where cables reach them."""
        ports = self.dump.of("dcim.powerport")
        outlets = self.dump.of("dcim.poweroutlet")
        ends: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for model, records in (
            ("port", ports),
            ("outlet", outlets),
            ("feed", self.dump.of("dcim.powerfeed")),
        ):
            for pk, r in records.items():
                if r.cable is not None:
                    ends[r.cable].append((model, pk))
        ports_of: dict[int, list[int]] = defaultdict(list)
        for pk, p in ports.items():
            if p.device is not None:
                ports_of[p.device].append(pk)
        templates: dict[int, list[Any]] = defaultdict(list)
        for t in self.dump.of("dcim.powerporttemplate").values():
            if t.device_type is not None:
                templates[t.device_type].append(t)

        def feeds_from(port: int, depth: int = 0) -> set[int]:
            # Port -> cable -> feed, or -> a PDU outlet -> the PDU's inlet -> cable -> ...
            cable = ports[port].cable
            if cable is None or depth > 8:
                return set()
            found: set[int] = set()
            for kind, other in ends.get(cable, []):
                if kind == "feed":
                    found.add(other)
                elif kind == "outlet" and outlets[other].power_port in ports:
                    found |= feeds_from(outlets[other].power_port, depth + 1)
            return found

        dtype_of = {pk: d.device_type for pk, d in self.dump.of("dcim.device").items()}
        for pk, entry in self.device_entry.items():
            own = [ports[p] for p in ports_of.get(pk, [])] or templates.get(dtype_of[pk], [])
            draws = [
                p.allocated_draw or p.maximum_draw
                for p in own
                if (p.allocated_draw or p.maximum_draw)
            ]
            if draws:
                entry["power_w"] = max(draws)  # the catalog's rule: the largest single supply
            elif own:
                self.report.adapt("power_unknown", ObjectRef("dcim.device", pk, entry["name"]))
            if not self.options.power_paths:
                continue
            reached: set[int] = set()
            for port in ports_of.get(pk, []):
                reached |= feeds_from(port)
            if ports_of.get(pk) and not reached:
                self.report.adapt("power_uncabled", ObjectRef("dcim.device", pk, entry["name"]))
            rack = self.device_rack[pk]
            feeds: list[str] = []
            for feed in sorted(reached):
                if feed not in self.feed_name:
                    continue
                if self.feed_rack.get(feed) is None:
                    # A feed NetBox left without a rack belongs to the rack its cable reaches.
                    self.feed_rack[feed] = rack
                    self.rack_entry[rack].setdefault("feeds", []).append(self.feed_name[feed])
                    self.report.adapt(
                        "feed_rack_from_cable",
                        ObjectRef(
                            "dcim.powerfeed", feed, self.feed_name[feed], self.rack_name[rack]
                        ),
                    )
                if self.feed_rack[feed] != rack:
                    self.report.adapt(
                        "feed_other_rack",
                        ObjectRef("dcim.device", pk, entry["name"], self.feed_name[feed]),
                    )
                    continue
                feeds.append(self.feed_name[feed])
            if feeds:
                entry["feeds"] = feeds
                self.report.adapt(
                    "power_path", ObjectRef("dcim.device", pk, entry["name"], ", ".join(feeds))
                )

    def rack_reservations(self) -> None:
        """Reserved units: unusable units (default), holds for a tenant, or left out."""
        reservations = self.dump.of("dcim.rackreservation")
        mode = self.options.rack_reservations
        came = 0
        unusable: dict[int, set[int]] = defaultdict(set)
        for pk, r in sorted(reservations.items()):
            if mode == "skip":
                self.skip("dcim.rackreservation", pk, "reservations_skipped")
                continue
            if r.rack not in self.rack_entry:
                self.skip("dcim.rackreservation", pk, "rack_not_imported")
                continue
            height, shift = self.rack_entry[r.rack]["u_height"], self.rack_shift[r.rack]
            units = sorted({u + shift for u in r.units})
            kept = [
                u
                for u in units
                if 1 <= u <= height
                and not self.taken.get((r.rack, "front", u))
                and not self.taken.get((r.rack, "rear", u))
            ]
            if len(kept) < len(units):
                dropped = sorted(set(units) - set(kept))
                self.report.adapt(
                    "reserved_units_taken",
                    ObjectRef(
                        "dcim.rackreservation",
                        pk,
                        self.rack_name[r.rack],
                        ", ".join(f"U{u}" for u in dropped),
                    ),
                )
            if not kept:
                self.skip("dcim.rackreservation", pk, "no_free_units")
                continue
            if mode == "unusable":
                unusable[r.rack].update(kept)
                self.report.adapt(
                    "reservation_unusable",
                    ObjectRef(
                        "dcim.rackreservation",
                        pk,
                        self.rack_name[r.rack],
                        ", ".join(f"U{u}" for u in kept),
                    ),
                )
            else:
                tenant = self.tenant_slug.get(r.tenant) if r.tenant else self.options.hold_tenant
                if tenant is None:
                    raise InputError(
                        [
                            Problem.of(
                                "--hold-tenant",
                                "netbox.hold_without_tenant",
                                "rack reservation {pk} in {rack} has no tenant; name one with --hold-tenant SLUG",
                                pk=pk,
                                rack=self.rack_name[r.rack],
                            )
                        ]
                    )
                expires = self.options.hold_expires or self.today + dt.timedelta(days=30)
                runs: list[list[int]] = []
                for u in kept:
                    if runs and runs[-1][-1] + 1 == u:
                        runs[-1].append(u)
                    else:
                        runs.append([u])
                for i, run in enumerate(runs, start=1):
                    hold_id = f"NB-RR-{pk}" if len(runs) == 1 else f"NB-RR-{pk}-{i}"
                    self.add(
                        "reservations",
                        {
                            "id": hold_id,
                            "tenant": tenant,
                            "rack": self.rack_name[r.rack],
                            "position": run[0],
                            "u_height": len(run),
                            "expires_at": expires,
                        },
                        f"dcim.rackreservation {pk}",
                    )
                    for u in run:
                        self.taken[(r.rack, "front", u)] = self.taken[(r.rack, "rear", u)] = -pk
                self.report.adapt(
                    "reservation_hold",
                    ObjectRef(
                        "dcim.rackreservation",
                        pk,
                        self.rack_name[r.rack],
                        f"{tenant}, {expires.isoformat()}",
                    ),
                )
            came += 1
        for rack, units in unusable.items():
            self.rack_entry[rack]["unusable_units"] = sorted(units)
        self.report.count("rack_reservations", len(reservations), came)

    def _vrf_ok(self, vrf: int | None) -> bool:
        return vrf == self._vrf_pk

    def prefixes(self) -> list[tuple[Any, dict[str, Any]]]:
        """Prefixes of the chosen VRF: containers dropped, nesting resolved, roles mapped."""
        vrfs = self.dump.of("ipam.vrf")
        self._vrf_pk: int | None = None
        if self.options.vrf is not None:
            matches = [pk for pk, v in vrfs.items() if v.name == self.options.vrf]
            if len(matches) != 1:
                listing = ", ".join(sorted(v.name for v in vrfs.values())) or "none"
                raise InputError(
                    [
                        Problem.of(
                            "--vrf",
                            "netbox.vrf_unknown",
                            "no single VRF named '{vrf}' (the dump's VRFs: {listing}; leave --vrf out for the global table)",
                            vrf=self.options.vrf,
                            listing=listing,
                        )
                    ]
                )
            self._vrf_pk = matches[0]
        prefixes = self.dump.of("ipam.prefix")
        roles = self.dump.of("ipam.role")
        vlans = self.dump.of("ipam.vlan")
        candidates: list[tuple[int, Any, Any]] = []
        seen: dict[Any, int] = {}
        for pk, p in sorted(prefixes.items()):
            if not self._vrf_ok(p.vrf):
                self.skip(
                    "ipam.prefix", pk, "other_vrf", vrf=self.name_of("ipam.vrf", p.vrf) or "global"
                )
                continue
            if p.status == "container" and self.options.containers == "drop":
                self.skip("ipam.prefix", pk, "container")
                continue
            try:
                net = ipaddress.ip_network(p.prefix, strict=False)
            except ValueError:
                self.skip("ipam.prefix", pk, "invalid_prefix")
                continue
            if net in seen:
                self.skip("ipam.prefix", pk, "duplicate", other=str(net))
                continue
            seen[net] = pk
            candidates.append((pk, p, net))
        inner_of, outer_of = nesting([c[2] for c in candidates])
        kept: list[tuple[Any, dict[str, Any]]] = []
        for pk, p, net in candidates:
            inner, outer = inner_of.get(net, []), outer_of.get(net)
            if self.options.nested == "inner" and inner:
                self.skip(
                    "ipam.prefix", pk, "contains_prefixes", inner=", ".join(map(str, inner[:5]))
                )
                continue
            if self.options.nested == "outer" and outer is not None:
                self.skip("ipam.prefix", pk, "inside_prefix", outer=str(outer))
                continue
            role_record = roles.get(p.role) if p.role else None
            netbox_role = role_record.slug if role_record and role_record.slug else None
            role = (
                self.options.role_map.get(netbox_role or "", netbox_role)
                if netbox_role
                else self.options.default_role
            )
            if netbox_role is None:
                self.report.adapt("prefix_no_role", ObjectRef("ipam.prefix", pk, str(net), role))
            elif role != netbox_role:
                self.report.adapt(
                    "prefix_role",
                    ObjectRef("ipam.prefix", pk, str(net), f"{netbox_role} -> {role}"),
                )
            entry: dict[str, Any] = {"prefix": str(net), "role": role}
            site = p.site or p.site_cached
            if (
                site is None
                and p.scope_id is not None
                and self.dump.content_type(p.scope_type) == "dcim.site"
            ):
                site = p.scope_id
            if site in self.site_slug:
                entry["site"] = self.site_slug[site]
            if p.vlan in vlans:
                entry["vlan"] = vlans[p.vlan].vid
            if p.is_pool:
                entry["is_pool"] = True
            if str(net) != p.prefix:
                self.report.adapt(
                    "prefix_host_bits", ObjectRef("ipam.prefix", pk, p.prefix, str(net))
                )
            self.add("prefixes", entry, f"ipam.prefix {pk}")
            kept.append((net, entry))
        self.report.count("prefixes", len(prefixes), len(kept))
        return kept

    def _within(
        self, kept: list[tuple[Any, dict[str, Any]]], *addresses: Any
    ) -> dict[str, Any] | None:
        """The imported prefix holding every address, by looking up each width (no scan)."""
        if getattr(self, "_kept_index_of", None) is not kept:
            self._kept_index = {net: entry for net, entry in kept}
            self._kept_lengths = sorted({net.prefixlen for net, _ in kept}, reverse=True)
            self._kept_index_of = kept
        first = addresses[0]
        for length in self._kept_lengths:
            if length > first.max_prefixlen:
                continue
            net = ipaddress.ip_network(f"{first}/{length}", strict=False)
            entry = self._kept_index.get(net)
            if entry is not None:
                return (
                    entry if all(a.version == net.version and a in net for a in addresses) else None
                )
        return None

    def ip_addresses(self, kept: list[tuple[Any, dict[str, Any]]]) -> None:
        """Addresses of the chosen VRF inside an imported prefix, linked to their device."""
        addresses = self.dump.of("ipam.ipaddress")
        interfaces = self.dump.of("dcim.interface")
        seen: set[Any] = set()
        came = 0
        for pk, a in sorted(addresses.items()):
            if not self._vrf_ok(a.vrf):
                self.skip(
                    "ipam.ipaddress",
                    pk,
                    "other_vrf",
                    vrf=self.name_of("ipam.vrf", a.vrf) or "global",
                )
                continue
            try:
                ip = ipaddress.ip_interface(a.address).ip
            except ValueError:
                self.skip("ipam.ipaddress", pk, "invalid_address")
                continue
            if ip in seen:
                self.skip("ipam.ipaddress", pk, "duplicate", other=str(ip))
                continue
            if self._within(kept, ip) is None:
                self.skip("ipam.ipaddress", pk, "outside_prefixes")
                continue
            seen.add(ip)
            status, changed = self.options.status("ip", a.status)
            if changed:
                self.report.adapt(
                    "ip_status", ObjectRef("ipam.ipaddress", pk, str(ip), f"{a.status} -> {status}")
                )
            entry: dict[str, Any] = {"address": str(ip), "status": status}
            kind = self.dump.content_type(a.assigned_object_type)
            if a.assigned_object_id is not None and kind in ("dcim.interface", None):
                interface = interfaces.get(a.assigned_object_id)
                device = interface.device if interface else None
                if device in self.device_name:
                    entry["device"] = self.device_name[device]
            if a.description:
                entry["description"] = a.description
            self.add("ip_addresses", entry, f"ipam.ipaddress {pk}")
            came += 1
        self.report.count("ip_addresses", len(addresses), came)

    def ip_ranges(self, kept: list[tuple[Any, dict[str, Any]]]) -> None:
        """IP ranges as reserved ranges of the imported prefix that holds them."""
        ranges = self.dump.of("ipam.iprange")
        came = 0
        for pk, r in sorted(ranges.items()):
            if self.options.ip_ranges == "skip":
                self.skip("ipam.iprange", pk, "ranges_skipped")
                continue
            if not self._vrf_ok(r.vrf):
                self.skip(
                    "ipam.iprange", pk, "other_vrf", vrf=self.name_of("ipam.vrf", r.vrf) or "global"
                )
                continue
            try:
                start = ipaddress.ip_interface(r.start_address).ip
                end = ipaddress.ip_interface(r.end_address).ip
            except ValueError:
                self.skip("ipam.iprange", pk, "invalid_address")
                continue
            prefix = self._within(kept, start, end)
            if prefix is None:
                self.skip("ipam.iprange", pk, "outside_prefixes")
                continue
            prefix.setdefault("reserved_ranges", []).append(f"{start}-{end}")
            self.report.adapt(
                "ip_range_reserved",
                ObjectRef("ipam.iprange", pk, f"{start}-{end}", prefix["prefix"]),
            )
            came += 1
        self.report.count("ip_ranges", len(ranges), came)

    def circuits(self) -> None:
        """Circuits with a commit rate become uplinks at the site of their A (else Z) end."""
        circuits = self.dump.of("circuits.circuit")
        ends: dict[int, dict[str, int]] = defaultdict(dict)
        for t in self.dump.of("circuits.circuittermination").values():
            site = t.site or t.site_cached
            if site is None and self.dump.content_type(t.termination_type) == "dcim.site":
                site = t.termination_id
            if site is not None:
                ends[t.circuit][t.term_side or "A"] = site
        names = unique_names(
            [
                (pk, c.cid, self.name_of("circuits.provider", c.provider) or str(c.provider))
                for pk, c in circuits.items()
            ],
            self.options.duplicates,
            "circuit",
            self.report,
            "circuits.circuit",
        )
        came = 0
        for pk, c in sorted(circuits.items()):
            site = ends[pk].get("A") or ends[pk].get("Z")
            if not c.commit_rate:
                self.skip("circuits.circuit", pk, "no_commit_rate")
                self.report.to_fill(
                    "uplink_capacity", ObjectRef("circuits.circuit", pk, c.cid, names[pk])
                )
                continue
            if site not in self.site_slug:
                self.skip("circuits.circuit", pk, "no_site")
                continue
            mbps = Decimal(c.commit_rate) / 1000
            self.add(
                "uplinks",
                {"name": names[pk], "site": self.site_slug[site], "capacity_mbps": mbps},
                f"circuits.circuit {pk}",
            )
            self.report.adapt(
                "circuit_uplink", ObjectRef("circuits.circuit", pk, c.cid, f"{mbps} Mbps")
            )
            came += 1
        self.report.count("circuits", len(circuits), came)

    def device_types(self) -> None:
        """Device types as catalog entries (the library's fields), with their power-port templates."""
        types = self.dump.of("dcim.devicetype")
        makers = self.dump.of("dcim.manufacturer")
        ports: dict[int, list[Any]] = defaultdict(list)
        for t in self.dump.of("dcim.powerporttemplate").values():
            if t.device_type is not None:
                ports[t.device_type].append(t)
        self.catalog: list[tuple[int, dict[str, Any]]] = []
        if not self.options.device_types:
            for pk in types:
                self.skip("dcim.devicetype", pk, "device_types_skipped")
            self.report.count("device_types", len(types), 0)
            return
        for pk, t in sorted(types.items()):
            maker = makers.get(t.manufacturer)
            if maker is None:
                self.skip("dcim.devicetype", pk, "missing_manufacturer")
                continue
            item: dict[str, Any] = {
                "manufacturer": maker.name,
                "model": t.model,
                "slug": t.slug,
                "u_height": t.u_height if t.u_height is not None else Decimal(1),
                "is_full_depth": t.is_full_depth,
            }
            for key in ("part_number", "airflow", "weight", "weight_unit"):
                value = getattr(t, key)
                if value not in (None, ""):
                    item[key] = value
            power = [
                {
                    "name": p.name or f"PSU{i}",
                    **({"maximum_draw": p.maximum_draw} if p.maximum_draw else {}),
                    **({"allocated_draw": p.allocated_draw} if p.allocated_draw else {}),
                }
                for i, p in enumerate(ports.get(pk, []), start=1)
            ]
            if power:
                item["power-ports"] = power
            self.catalog.append((pk, item))
        self.report.count("device_types", len(types), len(self.catalog))


def convert(dump: Dump, options: ImportOptions, today: dt.date) -> Converter:
    """Convert a dump; the converter holds the document, its origins, the catalog and the report."""
    converter = Converter(dump, options, today)
    converter.run()
    return converter
