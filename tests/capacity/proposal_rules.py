"""An independent reading of the six capacity rules of SOP step 5: does a proposal satisfy each?

The rules, as this module checks them against the inventory document, with
occupants being the installed devices and the holds live on the date:

- space: an active rack (of the request's site, if named), the server's
  units ``position .. position + u_height - 1`` inside the rack, free on the
  front face and, for a full-depth server, on the rear too (a full-depth
  occupant and an unusable unit take both faces), and the rack's weight
  limit kept;
- power: ``psu`` distinct feeds of that rack, each keeping its load plus the
  server's (the full draw under 2N, the even share under N) within
  ``voltage * amperage`` (times the square root of 3 for three-phase) times
  the feed's utilisation limit;
- UPS: every chosen feed backed by a UPS, and each UPS behind them within
  ``kVA * 1000 * power factor * ups_max_load / 100``, a server counted once
  per UPS under 2N;
- bandwidth: no uplink when none is asked for, otherwise one of the rack's
  site whose committed Mbps plus the request's stay within its capacity
  times the oversubscription;
- IP: for each role, the lowest free usable addresses of the first prefix
  of that role, in ascending order, with enough free (network, broadcast,
  IPv6 anycast, gateway and reserved ranges are never handed out);
- domain: every name a valid host name inside a managed zone, not its apex,
  not a reserved label, without a record or a live hold of its own, not at
  or below a delegation, and asked for once.

:func:`proposal_violations` takes the inventory document that was loaded,
the request, the evaluation date and the proposal the engine printed, and
lists every rule the proposal breaks, in words. It is written from the
rules alone and shares no code with the engine, so that a disagreement
between the two readings shows up as a failing test. Arithmetic is exact
(fractions; the three-phase square root is compared by squaring), so a
load of exactly the limit passes, as the rules say.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from scenario_data import DEFAULT_RESERVED_LABELS, as_date

Doc = dict[str, Any]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

POLICY_DEFAULTS: Doc = {
    "feed_max_utilization": 80,
    "redundancy": "2N",
    "ups_power_factor": 0.9,
    "ups_max_load": 80,
    "bandwidth_oversubscription": 1.0,
    "reservation_working_days": 10,
    "reserved_labels": DEFAULT_RESERVED_LABELS,
}

SERVER_DEFAULTS: Doc = {"full_depth": True, "weight_kg": 0, "psu": 2, "bandwidth_mbps": 0}


def exact(value: Any) -> Fraction:
    """A quantity from the YAML as an exact fraction (``0.1`` is one tenth, not a float)."""
    return Fraction(str(value)) if value is not None else Fraction(0)


def policy_of(inventory: Doc) -> Doc:
    """The inventory's policy with the format's defaults filled in."""
    return POLICY_DEFAULTS | (inventory.get("policy") or {})


def server_of(request: Doc) -> Doc:
    """The request's server with the format's defaults filled in."""
    return SERVER_DEFAULTS | request["server"]


def occupants(inventory: Doc, on: str | dt.date) -> list[Doc]:
    """Installed devices and live holds (``expires_at`` on or after the date)."""
    day = as_date(on)
    live = [r for r in inventory.get("reservations") or [] if as_date(r["expires_at"]) >= day]
    return list(inventory.get("devices") or []) + live


def by_name(entries: list[Doc] | None, key: str = "name") -> dict[str, Doc]:
    """Entries of one kind by their name."""
    return {entry[key]: entry for entry in entries or []}


# --- power ------------------------------------------------------------------------------------


def feed_fits(feed: Doc, load: Fraction, policy: Doc) -> bool:
    """Whether ``load`` watts stay within the feed's usable power, compared exactly."""
    share = exact(feed.get("max_utilization", policy["feed_max_utilization"]))
    rated = exact(feed["voltage"]) * exact(feed["amperage"])
    limit_times_100 = rated * share  # usable * 100, without the sqrt(3) of three-phase
    if feed.get("phase", "single") == "three":
        # load <= sqrt(3) * limit  <=>  load^2 <= 3 * limit^2 for non-negative numbers
        return (load * 100) ** 2 <= 3 * limit_times_100**2
    return load * 100 <= limit_times_100


def feed_load(feed_name: str, people: list[Doc], redundancy: str) -> Fraction:
    """L(f): the full draw of each occupant on the feed (2N) or its even share (N)."""
    total = Fraction(0)
    for occupant in people:
        feeds = occupant.get("feeds") or []
        if feed_name in feeds:
            power = exact(occupant.get("power_w", 0))
            total += power if redundancy == "2N" else power / len(feeds)
    return total


def ups_usable(unit: Doc, policy: Doc) -> Fraction:
    """U(u) = kVA * 1000 * power factor * ups_max_load / 100."""
    factor = exact(unit.get("power_factor", policy["ups_power_factor"]))
    return exact(unit["capacity_kva"]) * 1000 * factor * exact(policy["ups_max_load"]) / 100


def ups_load(
    ups_name: str, people: list[Doc], feed_ups: dict[str, str | None], redundancy: str
) -> Fraction:
    """L(u): full draw once per UPS (2N) or the shares of the feeds the UPS backs (N)."""
    total = Fraction(0)
    for occupant in people:
        feeds = occupant.get("feeds") or []
        backed = [f for f in feeds if feed_ups.get(f) == ups_name]
        if not backed:
            continue
        power = exact(occupant.get("power_w", 0))
        total += power if redundancy == "2N" else power * len(backed) / len(feeds)
    return total


# --- IP addresses -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PrefixView:
    """A prefix of the inventory and the addresses it never hands out."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    role: str
    site: str | None
    excluded_ranges: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, entry: Doc) -> PrefixView:
        """Read a prefix entry, with network/broadcast/anycast, gateway and reserved ranges excluded."""
        network = ipaddress.ip_network(entry["prefix"])
        first, last = int(network.network_address), int(network.broadcast_address)
        ranges: list[tuple[int, int]] = []
        if not entry.get("is_pool", False):
            if network.version == 4 and network.prefixlen <= 30:
                ranges += [(first, first), (last, last)]
            if network.version == 6 and network.prefixlen <= 126:
                ranges.append((first, first))
        if entry.get("gateway"):
            gateway = int(ipaddress.ip_address(entry["gateway"]))
            ranges.append((gateway, gateway))
        for text in entry.get("reserved_ranges") or []:
            low, high = (int(ipaddress.ip_address(part.strip())) for part in text.split("-"))
            ranges.append((low, high))
        return cls(network, entry["role"], entry.get("site"), tuple(sorted(ranges)))

    def usable(self) -> Iterator[int]:
        """Usable addresses in ascending order, lazily (an IPv6 /64 is never listed whole)."""
        cursor = int(self.network.network_address)
        last = int(self.network.broadcast_address)
        while cursor <= last:
            jumped = False
            for low, high in self.excluded_ranges:
                if low <= cursor <= high:
                    cursor = high + 1
                    jumped = True
            if jumped:
                continue
            yield cursor
            cursor += 1

    def lowest_free(self, n: int, used: set[int]) -> list[int] | None:
        """The n lowest free usable addresses, or None when fewer are free."""
        found: list[int] = []
        for address in self.usable():
            if address not in used:
                found.append(address)
                if len(found) == n:
                    return found
        return None


def used_addresses(inventory: Doc, on: str | dt.date) -> set[int]:
    """Addresses of ``ip_addresses`` (any status) and of live holds."""
    used = {int(ipaddress.ip_address(a["address"])) for a in inventory.get("ip_addresses") or []}
    for hold in occupants(inventory, on):
        used |= {int(ipaddress.ip_address(ip)) for ip in hold.get("ips") or []}
    return used


def expected_addresses(
    inventory: Doc, on: str | dt.date, role: str, family: int, count: int, site: str | None
) -> list[str] | None:
    """First available: the first prefix (ascending address) of the role with ``count`` free."""
    views = [PrefixView.of(p) for p in inventory.get("prefixes") or []]
    candidates = sorted(
        (
            v
            for v in views
            if v.role == role
            and v.network.version == family
            and (v.site is None or site is None or v.site == site)
        ),
        key=lambda v: (int(v.network.network_address), v.network.prefixlen),
    )
    used = used_addresses(inventory, on)
    for view in candidates:
        found = view.lowest_free(count, used)
        if found is not None:
            return [str(ipaddress.ip_address(a)) for a in found]
    return None


# --- names ------------------------------------------------------------------------------------


def normalise(name: str) -> str:
    """Lower case, no trailing dot, non-ASCII labels in their ``xn--`` form."""
    labels = name.strip().lower().rstrip(".").split(".")
    return ".".join(
        label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
        for label in labels
    )


def name_problems(name: str, inventory: Doc, on: str | dt.date, policy: Doc) -> list[str]:
    """Why a normalised name is not acceptable; empty when it passes the domain rules."""
    problems: list[str] = []
    labels = name.split(".")
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-")
    if len(name) > 253:
        problems.append("longer than 253 characters")
    for label in labels:
        if not label or len(label) > 63:
            problems.append(f"label {label!r} empty or over 63 characters")
        elif set(label) - allowed or label[0] == "-" or label[-1] == "-":
            problems.append(f"label {label!r} is not a host-name label")
    zones = [
        z
        for z in inventory.get("zones") or []
        if name == normalise(z["name"]) or name.endswith("." + normalise(z["name"]))
    ]
    if not zones:
        return [*problems, "not inside a managed zone"]
    zone = max(zones, key=lambda z: len(normalise(z["name"])))
    apex = normalise(zone["name"])
    if name == apex:
        return [*problems, "the zone's apex"]
    relative = name[: -len(apex) - 1]
    if relative in policy["reserved_labels"]:
        problems.append(f"{relative!r} is a reserved label")
    records = zone.get("records") or []
    if any(normalise(r["name"]) == relative for r in records):
        problems.append(f"a record named {relative!r} exists")
    for r in records:
        at = normalise(r["name"])
        if r["type"] == "NS" and at != "@" and (relative == at or relative.endswith("." + at)):
            problems.append(f"at or below the delegation {at!r}")
    held = {normalise(f) for hold in occupants(inventory, on) for f in hold.get("fqdns") or []}
    if name in held:
        problems.append("held by a live hold")
    return problems


# --- the whole proposal -----------------------------------------------------------------------


def proposal_violations(
    inventory: Doc, request: Doc, on: str | dt.date, proposal: Doc, server: Doc | None = None
) -> list[str]:
    """Every capacity rule (see the module's summary) the proposal breaks; empty when it is valid.

    ``server`` overrides the request's server (with the catalog's values
    filled in) when the request leaves fields to the catalog.
    """
    day = as_date(on)
    policy = policy_of(inventory)
    wanted = SERVER_DEFAULTS | (server or request["server"])
    redundancy = policy["redundancy"]
    racks, feeds = by_name(inventory.get("racks")), by_name(inventory.get("power_feeds"))
    ups_units, uplinks = by_name(inventory.get("ups")), by_name(inventory.get("uplinks"))
    people = occupants(inventory, day)
    wrong: list[str] = []

    # --- space ---
    rack = racks.get(proposal["rack"])
    if rack is None:
        return [f"rack {proposal['rack']!r} does not exist"]
    if rack.get("status", "active") != "active":
        wrong.append(f"rack {rack['name']} is {rack['status']}, not active")
    if proposal["site"] != rack["site"]:
        wrong.append(f"site {proposal['site']} is not the rack's site {rack['site']}")
    if request.get("site") and proposal["site"] != request["site"]:
        wrong.append(f"site {proposal['site']} is not the requested {request['site']}")
    if proposal["u_height"] != wanted["u_height"]:
        wrong.append(f"u_height {proposal['u_height']} is not the server's {wanted['u_height']}")
    if proposal["full_depth"] != wanted["full_depth"]:
        wrong.append("full_depth is not the server's")
    if proposal["face"] != "front":
        wrong.append("the server mounts on the front face")
    position, height = proposal["position"], wanted["u_height"]
    units = set(range(position, position + height))
    if position < 1 or position + height - 1 > rack.get("u_height", 42):
        wrong.append(f"units {position}..{position + height - 1} are outside the rack")
    taken: dict[str, set[int]] = {"front": set(), "rear": set()}
    for unit in rack.get("unusable_units") or []:
        taken["front"].add(unit)
        taken["rear"].add(unit)
    in_rack = [o for o in people if o.get("rack") == rack["name"]]
    for occupant in in_rack:
        covered = set(
            range(occupant["position"], occupant["position"] + occupant.get("u_height", 1))
        )
        faces = (
            ("front", "rear")
            if occupant.get("full_depth", True)
            else (occupant.get("face", "front"),)
        )
        for face in faces:
            taken[face] |= covered
    faces_needed = ("front", "rear") if wanted["full_depth"] else ("front",)
    for face in faces_needed:
        if units & taken[face]:
            wrong.append(f"units {sorted(units & taken[face])} are taken on the {face} face")
    if rack.get("max_weight_kg") is not None:
        weight = sum((exact(o.get("weight_kg", 0)) for o in in_rack), Fraction(0))
        if weight + exact(wanted["weight_kg"]) > exact(rack["max_weight_kg"]):
            wrong.append(
                f"weight {float(weight + exact(wanted['weight_kg']))} kg is over the rack's limit"
            )

    # --- power ---
    chosen = list(proposal["feeds"])
    psu = wanted["psu"]
    power = exact(wanted["power_w"])
    if len(chosen) != psu or len(set(chosen)) != len(chosen):
        wrong.append(f"feeds {chosen} are not {psu} distinct feeds")
    for name in chosen:
        if name not in (rack.get("feeds") or []):
            wrong.append(f"feed {name} is not a feed of rack {rack['name']}")
    added = power if redundancy == "2N" else power / psu
    for name in chosen:
        if name in feeds:
            after = feed_load(name, people, redundancy) + added
            if not feed_fits(feeds[name], after, policy):
                wrong.append(f"feed {name} would carry {float(after)} W, over its usable power")

    # --- UPS ---
    feed_ups = {name: f.get("ups") for name, f in feeds.items()}
    behind = {feed_ups.get(name) for name in chosen}
    if None in behind:
        wrong.append("a chosen feed is not UPS-backed")
    behind.discard(None)
    listed = list(proposal.get("ups") or [])
    if set(listed) != behind or len(listed) != len(set(listed)):
        wrong.append(f"ups {listed} is not the UPS behind the chosen feeds {sorted(behind)}")
    for name in sorted(n for n in behind if n is not None):
        share_count = sum(1 for f in chosen if feed_ups.get(f) == name)
        ups_added = power if redundancy == "2N" else power / psu * share_count
        after = ups_load(name, people, feed_ups, redundancy) + ups_added
        if after > ups_usable(ups_units[name], policy):
            wrong.append(f"UPS {name} would carry {float(after)} W, over its usable power")

    # --- bandwidth ---
    wanted_mbps = exact(wanted["bandwidth_mbps"])
    uplink_name = proposal.get("uplink")
    if wanted_mbps == 0:
        if uplink_name is not None:
            wrong.append("uplink must be null when no bandwidth is asked for")
    elif uplink_name not in uplinks:
        wrong.append(f"uplink {uplink_name!r} is not an uplink of the inventory")
    else:
        uplink = uplinks[uplink_name]
        if uplink["site"] != proposal["site"]:
            wrong.append(f"uplink {uplink_name} is in another site")
        committed = sum(
            (exact(o.get("bandwidth_mbps", 0)) for o in people if o.get("uplink") == uplink_name),
            Fraction(0),
        )
        usable = exact(uplink["capacity_mbps"]) * exact(policy["bandwidth_oversubscription"])
        if committed + wanted_mbps > usable:
            wrong.append(f"uplink {uplink_name} would carry more than its usable bandwidth")

    # --- IP addresses ---
    for key, family in (("ipv4", 4), ("ipv6", 6)):
        asked = request.get(key) or {}
        given = proposal.get(key) or {}
        if set(given) != set(asked):
            wrong.append(f"{key} roles {sorted(given)} are not the requested {sorted(asked)}")
        for role, count in asked.items():
            expected = expected_addresses(inventory, day, role, family, count, proposal["site"])
            got = [str(ipaddress.ip_address(a)) for a in given.get(role) or []]
            if got != expected:
                wrong.append(f"{key}.{role}: {got} are not the first available {expected}")

    # --- names ---
    requested = [normalise(name) for name in request.get("domains") or []]
    if list(proposal.get("fqdns") or []) != requested:
        wrong.append(f"fqdns {proposal.get('fqdns')} are not the requested names {requested}")
    if len(set(requested)) != len(requested):
        wrong.append("a name is requested twice")
    for name in requested:
        for problem in name_problems(name, inventory, day, policy):
            wrong.append(f"{name}: {problem}")
    return wrong
