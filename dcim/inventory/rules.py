"""Rules that span entries of an inventory: names, references, places, addresses, zones.

:func:`check` runs every rule over a parsed :class:`InventoryFile` and returns
all problems at once. When a file is added to a database that already holds
an inventory, the two are checked together; entries up to ``existing`` in
each list came from the database, and a conflict is always reported on the
newer entry so that the message points into the file being loaded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from dcim.addressing import (
    Address,
    AddressError,
    Network,
    PrefixIndex,
    loose_prefix,
    parse_address,
    parse_prefix,
    parse_range,
)
from dcim.choices import RecordType
from dcim.errors import Phrase
from dcim.names import (
    InvalidName,
    normalize,
    reason_phrase,
    record_name_problem,
    record_value_problem,
    relative_to,
    value_phrase,
)

from .problems import Problem
from .schema import DeviceEntry, InventoryFile, MountedEntry, RackEntry, ReservationEntry

RECORD_TYPES = frozenset(RecordType.values())
# A message about many entries names this many of them.
MAX_NAMED = 6
# The catalog key (``loader.unknown.<key>``) of each kind of name a reference points to.
_KIND_KEYS = {
    "site": "site",
    "UPS": "ups",
    "power feed": "power_feed",
    "tenant": "tenant",
    "rack": "rack",
    "uplink": "uplink",
    "device": "device",
}


@dataclass
class _Context:
    inventory: InventoryFile
    existing: Mapping[str, int]
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, key: str, english: str, **params: object) -> None:
        """A problem with its catalog key (``loader.*``) and English wording."""
        self.problems.append(Problem.of(path, key, english, **params))

    def add_reason(self, path: str, reason: str) -> None:
        """A problem worded by the address or name parser (English only, for now)."""
        self.problems.append(Problem(path, reason))

    def is_existing(self, section: str, index: int) -> bool:
        return index < self.existing.get(section, 0)


def check(inventory: InventoryFile, existing: Mapping[str, int] | None = None) -> list[Problem]:
    """Every cross-entry problem of the inventory, in file order within each rule."""
    ctx = _Context(inventory, existing or {})
    _unique_names(ctx)
    _references(ctx)
    _rack_feeds(ctx)
    _mounting(ctx)
    networks = _prefixes(ctx)
    _addresses(ctx, networks)
    zones = _zones(ctx)
    _hold_names(ctx, zones)
    return ctx.problems


# --- names and references ----------------------------------------------------------------------


def _duplicates(ctx: _Context, section: str, key: str, kind: str, values: list[str]) -> None:
    first_seen: dict[str, int] = {}
    for index, value in enumerate(values):
        if value in first_seen:
            ctx.add(
                f"{section}[{index}].{key}",
                f"loader.duplicate.{section}",
                f"duplicate {kind} '{{value}}' (also {{other}})",
                value=value,
                other=f"{section}[{first_seen[value]}]",
            )
        else:
            first_seen[value] = index


def _unique_names(ctx: _Context) -> None:
    inv = ctx.inventory
    _duplicates(ctx, "tenants", "slug", "tenant", [t.slug for t in inv.tenants])
    _duplicates(ctx, "sites", "slug", "site", [s.slug for s in inv.sites])
    _duplicates(ctx, "ups", "name", "UPS", [u.name for u in inv.ups])
    _duplicates(ctx, "power_feeds", "name", "power feed", [f.name for f in inv.power_feeds])
    _duplicates(ctx, "racks", "name", "rack", [r.name for r in inv.racks])
    _duplicates(ctx, "uplinks", "name", "uplink", [u.name for u in inv.uplinks])
    _duplicates(ctx, "devices", "name", "device", [d.name for d in inv.devices])
    _duplicates(ctx, "reservations", "id", "reservation", [r.id for r in inv.reservations])


def _reference(
    ctx: _Context, path: str, kind: str, value: str | None, known: set[str] | Mapping[str, object]
) -> bool:
    if value is None:
        return True
    if value not in known:
        ctx.add(
            path, f"loader.unknown.{_KIND_KEYS[kind]}", f"unknown {kind} '{{value}}'", value=value
        )
        return False
    return True


def _references(ctx: _Context) -> None:
    inv = ctx.inventory
    sites = {s.slug for s in inv.sites}
    tenants = {t.slug for t in inv.tenants}
    ups = {u.name for u in inv.ups}
    feeds = {f.name for f in inv.power_feeds}
    racks = {r.name for r in inv.racks}
    uplinks = {u.name for u in inv.uplinks}
    devices = {d.name for d in inv.devices}
    for i, item in enumerate(inv.ups):
        _reference(ctx, f"ups[{i}].site", "site", item.site, sites)
    for i, feed in enumerate(inv.power_feeds):
        _reference(ctx, f"power_feeds[{i}].site", "site", feed.site, sites)
        _reference(ctx, f"power_feeds[{i}].ups", "UPS", feed.ups, ups)
    for i, rack in enumerate(inv.racks):
        _reference(ctx, f"racks[{i}].site", "site", rack.site, sites)
        for name in rack.feeds:
            _reference(ctx, f"racks[{i}].feeds", "power feed", name, feeds)
    for i, uplink in enumerate(inv.uplinks):
        _reference(ctx, f"uplinks[{i}].site", "site", uplink.site, sites)
    for i, prefix in enumerate(inv.prefixes):
        _reference(ctx, f"prefixes[{i}].site", "site", prefix.site, sites)
    for i, address in enumerate(inv.ip_addresses):
        _reference(ctx, f"ip_addresses[{i}].device", "device", address.device, devices)
    for section, entries in _mounted_sections(inv):
        for i, entry in enumerate(entries):
            base = f"{section}[{i}]"
            _reference(ctx, f"{base}.tenant", "tenant", entry.tenant, tenants)
            _reference(ctx, f"{base}.rack", "rack", entry.rack, racks)
            _reference(ctx, f"{base}.uplink", "uplink", entry.uplink, uplinks)
            for name in entry.feeds:
                _reference(ctx, f"{base}.feeds", "power feed", name, feeds)
            if entry.bandwidth_mbps > 0 and entry.uplink is None:
                ctx.add(
                    f"{base}.uplink",
                    "loader.uplink_required",
                    "required because bandwidth_mbps is {bandwidth}",
                    bandwidth=entry.bandwidth_mbps,
                )


def _racks_by_name(inv: InventoryFile) -> dict[str, RackEntry]:
    """Racks by name; a duplicated name keeps its first (for a load, the database's) rack.

    The duplicate itself is reported once by :func:`_unique_names`; devices
    and holds are judged against the rack that exists, not the one refused.
    """
    racks: dict[str, RackEntry] = {}
    for rack in inv.racks:
        racks.setdefault(rack.name, rack)
    return racks


def _mounted_sections(
    inv: InventoryFile,
) -> list[tuple[str, list[DeviceEntry] | list[ReservationEntry]]]:
    return [("devices", inv.devices), ("reservations", inv.reservations)]


def _rack_feeds(ctx: _Context) -> None:
    """A feed sits in at most one rack; a device plugs only into feeds of its own rack."""
    inv = ctx.inventory
    owner: dict[str, str] = {}
    for i, rack in enumerate(inv.racks):
        seen: set[str] = set()
        for name in rack.feeds:
            if name in seen:
                ctx.problems.append(
                    Problem.of(
                        f"racks[{i}].feeds",
                        "loader.feed_twice",
                        "power feed '{feed}' is listed twice",
                        feed=name,
                    )
                )
                continue
            seen.add(name)
            if name in owner and owner[name] != rack.name:
                ctx.problems.append(
                    Problem.of(
                        f"racks[{i}].feeds",
                        "loader.feed_taken",
                        "power feed '{feed}' is already a feed of rack '{rack}'",
                        feed=name,
                        rack=owner[name],
                    )
                )
            else:
                owner.setdefault(name, rack.name)
    rack_feeds = {name: set(rack.feeds) for name, rack in _racks_by_name(inv).items()}
    feed_names = {f.name for f in inv.power_feeds}
    # One bad cell (a feed moved to another rack in the editor) must not become one message per
    # device on it: the entries on the same feed of the same wrong rack share one message.
    elsewhere: dict[tuple[str, str], list[str]] = {}
    for section, entries in _mounted_sections(inv):
        for i, entry in enumerate(entries):
            seen = set()
            for name in entry.feeds:
                if name in seen:
                    ctx.problems.append(
                        Problem.of(
                            f"{section}[{i}].feeds",
                            "loader.feed_twice",
                            "power feed '{feed}' is listed twice",
                            feed=name,
                        )
                    )
                    continue
                seen.add(name)
                if (
                    name in feed_names
                    and entry.rack in rack_feeds
                    and name not in rack_feeds[entry.rack]
                ):
                    elsewhere.setdefault((name, entry.rack), []).append(f"{section}[{i}]")
    for (name, rack_name), places in elsewhere.items():
        if len(places) == 1:
            ctx.problems.append(
                Problem.of(
                    f"{places[0]}.feeds",
                    "loader.feed_not_of_rack",
                    "power feed '{feed}' is not a feed of rack '{rack}'",
                    feed=name,
                    rack=rack_name,
                )
            )
            continue
        others = ", ".join(places[1:MAX_NAMED]) + (
            f" (+{len(places) - MAX_NAMED})" if len(places) > MAX_NAMED else ""
        )
        ctx.problems.append(
            Problem.of(
                f"{places[0]}.feeds",
                "loader.feed_not_of_rack_many",
                "power feed '{feed}' is not a feed of rack '{rack}'; {count} entries use it that way"
                " (also {others})",
                feed=name,
                rack=rack_name,
                count=len(places),
                others=others,
            )
        )


# --- places in racks ---------------------------------------------------------------------------


def _faces(entry: MountedEntry) -> tuple[str, ...]:
    return ("front", "rear") if entry.full_depth else (entry.face,)


_OVERLAPS = {
    "unusable": "overlaps an unusable unit in rack '{rack}' (units {units})",
    "device": "overlaps device '{name}' in rack '{rack}' (units {units})",
    "reservation": "overlaps reservation '{name}' in rack '{rack}' (units {units})",
}


def _mounting(ctx: _Context) -> None:
    """Inside the rack, off unusable units, and no two occupants on one unit and face."""
    inv = ctx.inventory
    racks = _racks_by_name(inv)
    # What holds each unit and face: ("device" or "reservation", its name) or ("unusable", "").
    taken: dict[tuple[str, int, str], tuple[str, str]] = {}
    for i, rack in enumerate(inv.racks):
        for unit in rack.unusable_units:
            if unit > rack.u_height:
                ctx.add(
                    f"racks[{i}].unusable_units",
                    "loader.unit_outside_rack",
                    "unit {unit} is outside the rack (1-{height})",
                    unit=unit,
                    height=rack.u_height,
                )
            for face in ("front", "rear"):
                taken[(rack.name, unit, face)] = ("unusable", "")
    # Existing occupants claim their units first, so a clash is reported on the new entry.
    order = sorted(
        (
            (section, i, entry)
            for section, entries in _mounted_sections(inv)
            for i, entry in enumerate(entries)
        ),
        key=lambda item: (not ctx.is_existing(item[0], item[1]), item[0] != "devices", item[1]),
    )
    for section, i, entry in order:
        rack = racks.get(entry.rack)
        if rack is None:
            continue
        path = f"{section}[{i}].position"
        top = entry.position + entry.u_height - 1
        label = "device" if section == "devices" else "reservation"
        who = (label, entry.name if isinstance(entry, DeviceEntry) else entry.id)
        if entry.position < 1 or top > rack.u_height:
            ctx.add(
                path,
                "loader.units_outside_rack",
                "units {first}-{last} are outside rack '{rack}' (1-{height})",
                first=entry.position,
                last=top,
                rack=rack.name,
                height=rack.u_height,
            )
            continue
        unusable = sorted(set(rack.unusable_units) & set(range(entry.position, top + 1)))
        if unusable:
            units = ", ".join(str(u) for u in unusable)
            ctx.add(
                path,
                "loader.unit_unusable",
                "unit {units} of rack '{rack}' is unusable",
                units=units,
                rack=rack.name,
            )
            continue
        clashes: dict[tuple[str, str], list[str]] = defaultdict(list)
        for unit in range(entry.position, top + 1):
            for face in _faces(entry):
                holder = taken.get((rack.name, unit, face))
                if holder is not None:
                    clashes[holder].append(f"{unit} {face}")
        if clashes:
            for holder, where in clashes.items():
                kind, name = holder
                ctx.add(
                    path,
                    f"loader.overlaps.{kind}",
                    _OVERLAPS[kind],
                    name=name,
                    rack=rack.name,
                    units=", ".join(where),
                )
            continue
        for unit in range(entry.position, top + 1):
            for face in _faces(entry):
                taken[(rack.name, unit, face)] = who


# --- prefixes and addresses --------------------------------------------------------------------


def _prefixes(ctx: _Context) -> dict[int, Network]:
    """Valid, non-overlapping prefixes with their gateway and reserved ranges inside them."""
    inv = ctx.inventory
    networks: dict[int, Network] = {}
    for i, entry in enumerate(inv.prefixes):
        try:
            network = parse_prefix(entry.prefix)
        except AddressError as exc:
            ctx.problems.append(exc.problem(f"prefixes[{i}].prefix"))
            # With host bits set the meaning is still plain; judging the addresses against
            # the intended network keeps one mistake from reporting every address inside it.
            loose = loose_prefix(entry.prefix)
            if loose is None:
                continue
            network = loose
        networks[i] = network
        if entry.gateway is not None:
            try:
                gateway = parse_address(entry.gateway)
            except AddressError as exc:
                ctx.problems.append(exc.problem(f"prefixes[{i}].gateway"))
            else:
                if gateway.version != network.version or gateway not in network:
                    ctx.add(
                        f"prefixes[{i}].gateway",
                        "loader.gateway_outside",
                        "{gateway} is outside {network}",
                        gateway=gateway,
                        network=network,
                    )
        for j, text in enumerate(entry.reserved_ranges):
            path = f"prefixes[{i}].reserved_ranges[{j}]"
            try:
                first, last = parse_range(text)
            except AddressError as exc:
                ctx.problems.append(exc.problem(path))
                continue
            if first.version != network.version or first not in network or last not in network:
                ctx.add(
                    path,
                    "loader.range_outside",
                    "{range} is not inside {network}",
                    range=text,
                    network=network,
                )
    # Overlap: sort each family by start; a prefix overlaps the widest earlier one that reaches it.
    by_family: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for i, network in networks.items():
        by_family[network.version].append(
            (int(network.network_address), int(network.broadcast_address), i)
        )
    clashes: list[tuple[int, int]] = []
    for items in by_family.values():
        items.sort()
        reach_end, reach_index = -1, -1
        for start, end, i in items:
            if start <= reach_end:
                clashes.append((i, reach_index))
            if end > reach_end:
                reach_end, reach_index = end, i
    parsed = dict(networks)

    def age(i: int) -> tuple[bool, int]:
        return (not ctx.is_existing("prefixes", i), i)

    for a, b in sorted(clashes):
        later, earlier = (a, b) if age(a) > age(b) else (b, a)
        verb = "duplicates" if parsed[later] == parsed[earlier] else "overlaps"
        ctx.add(
            f"prefixes[{later}].prefix",
            f"loader.prefix_{verb}",
            f"{{prefix}} {verb} prefix {{other}} ({{where}})",
            prefix=parsed[later],
            other=parsed[earlier],
            where=f"prefixes[{earlier}]",
        )
        networks.pop(later, None)
    return networks


def _addresses(ctx: _Context, networks: dict[int, Network]) -> None:
    """Each address lies in a prefix and is used once, by an entry or by one hold."""
    inv = ctx.inventory
    index = PrefixIndex.build((network, i) for i, network in networks.items())
    # Who uses each address: ("entry", "ip_addresses[3]") or ("hold", the reservation's id).
    seen: dict[Address, tuple[str, str]] = {}

    def place(path: str, text: str, owner: tuple[str, str]) -> None:
        try:
            address = parse_address(text)
        except AddressError as exc:
            ctx.problems.append(exc.problem(path))
            return
        if address in seen:
            first_kind, first = seen[address]
            if first_kind == "hold":
                ctx.add(
                    path,
                    "loader.address_held",
                    "{address} is already held by reservation '{first}'",
                    address=address,
                    first=first,
                )
            elif owner[0] == "entry":
                ctx.add(
                    path,
                    "loader.address_twice",
                    "{address} is listed twice (also {first})",
                    address=address,
                    first=first,
                )
            else:
                ctx.add(
                    path,
                    "loader.address_listed",
                    "{address} is also listed in ip_addresses ({first})",
                    address=address,
                    first=first,
                )
            return
        seen[address] = owner
        if index.find(address) is None:
            ctx.add(
                path,
                "loader.address_outside",
                "{address} is not inside any prefix",
                address=address,
            )

    # Everything the database holds is placed before anything from the file, so that an
    # address the file reuses is reported in the file, whichever list it is in.
    for from_file in (False, True):
        for i, entry in enumerate(inv.ip_addresses):
            if ctx.is_existing("ip_addresses", i) != from_file:
                place(f"ip_addresses[{i}].address", entry.address, ("entry", f"ip_addresses[{i}]"))
        for i, hold in enumerate(inv.reservations):
            if ctx.is_existing("reservations", i) != from_file:
                for j, text in enumerate(hold.ips):
                    place(f"reservations[{i}].ips[{j}]", text, ("hold", hold.id))


# --- zones and names ---------------------------------------------------------------------------


def _zones(ctx: _Context) -> set[str]:
    """Zone names valid and unique; records with valid names and values for their type."""
    inv = ctx.inventory
    names: dict[str, int] = {}
    for i, zone in enumerate(inv.zones):
        try:
            name = normalize(zone.name)
        except InvalidName as exc:
            ctx.add(
                f"zones[{i}].name",
                "loader.bad_dns_name",
                "'{name}' is not a valid DNS name: {reason}",
                name=zone.name,
                reason=reason_phrase(str(exc)),
            )
            continue
        problem = record_name_problem(name)
        if problem is not None or "*" in name:
            ctx.add(
                f"zones[{i}].name",
                "loader.bad_dns_name",
                "'{name}' is not a valid DNS name: {reason}",
                name=zone.name,
                reason=reason_phrase(problem or "wildcard"),
            )
            continue
        if name in names:
            ctx.add(
                f"zones[{i}].name",
                "loader.duplicate.zones",
                "duplicate zone '{value}' (also {other})",
                value=name,
                other=f"zones[{names[name]}]",
            )
            continue
        names[name] = i
        for j, record in enumerate(zone.records):
            _record(ctx, f"zones[{i}].records[{j}]", name, record.name, record.type, record.value)
    return set(names)


def relative_record_name(owner: str, zone: str) -> str:
    """A record's owner name in stored form: ``@`` or a normalised name relative to the zone.

    A name ending in a dot is absolute and must lie in the zone.
    Raises :class:`InvalidName` when it is not a valid DNS name.
    """
    text = owner.strip()
    if text == "@":
        return "@"
    if text.endswith(".") and text != ".":
        try:
            relative = relative_to(normalize(text), zone)
        except InvalidName:
            raise InvalidName(f"'{owner}' is outside zone '{zone}'") from None
        if relative == "@":
            return "@"
    else:
        relative = normalize(text)
    problem = record_name_problem(relative)
    if problem is not None:
        raise InvalidName(problem)
    return relative


def _record(ctx: _Context, base: str, zone: str, owner: str, record_type: str, value: str) -> None:
    try:
        relative_record_name(owner, zone)
    except InvalidName as exc:
        ctx.add(
            f"{base}.name",
            "loader.bad_dns_name",
            "'{name}' is not a valid DNS name: {reason}",
            name=owner,
            reason=reason_phrase(str(exc)),
        )
    kind = record_type.upper()
    if kind not in RECORD_TYPES:
        ctx.add(
            f"{base}.type",
            "loader.record_type",
            "unsupported record type '{type}' (one of {types})",
            type=record_type,
            types=", ".join(sorted(RECORD_TYPES)),
        )
        return
    problem = record_value_problem(kind, value)
    if problem is not None:
        phrase = value_phrase(problem)
        if isinstance(phrase, Phrase):
            ctx.problems.append(phrase.problem(f"{base}.value"))
        else:
            ctx.add_reason(f"{base}.value", phrase)


def _hold_names(ctx: _Context, zones: set[str]) -> None:
    """Names held by reservations are valid and held once."""
    seen: dict[str, str] = {}
    holds = list(enumerate(ctx.inventory.reservations))
    for i, hold in sorted(
        holds, key=lambda item: (not ctx.is_existing("reservations", item[0]), item[0])
    ):
        for j, text in enumerate(hold.fqdns):
            path = f"reservations[{i}].fqdns[{j}]"
            try:
                name = normalize(text)
            except InvalidName as exc:
                ctx.add(
                    path,
                    "loader.bad_dns_name",
                    "'{name}' is not a valid DNS name: {reason}",
                    name=text,
                    reason=reason_phrase(str(exc)),
                )
                continue
            problem = record_name_problem(name)
            if problem is not None:
                ctx.add(
                    path,
                    "loader.bad_dns_name",
                    "'{name}' is not a valid DNS name: {reason}",
                    name=text,
                    reason=reason_phrase(problem),
                )
                continue
            if name in seen:
                ctx.add(
                    path,
                    "loader.name_held",
                    "'{name}' is already held by reservation '{hold}'",
                    name=name,
                    hold=seen[name],
                )
                continue
            seen[name] = hold.id


def iter_occupants(inv: InventoryFile) -> Iterator[tuple[str, int, MountedEntry]]:
    """Devices then reservations, with their section and index."""
    for section, entries in _mounted_sections(inv):
        for i, entry in enumerate(entries):
            yield section, i, entry
