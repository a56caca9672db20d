"""A wrong inventory file is refused whole: exit code 2, one line per problem naming the
file, the entry and the field, no traceback, and the database exactly as it was.

Most cases take ``fixtures/inventory/base.yaml`` (a small, valid server room)
and break one rule in it; each must then give exactly the one problem the
rule describes. Every case runs on an empty database and on one that
already holds the contract's example, on every backend. Problems of the file
as a whole (YAML, version) are files of their own under ``invalid/``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

INVENTORY = Path(__file__).resolve().parents[1] / "fixtures" / "inventory"
BASE = INVENTORY / "base.yaml"
EXAMPLE = INVENTORY.parent / "spec-example" / "inventory.yaml"
INVALID_FILES = sorted((INVENTORY / "invalid").glob("*.yaml"))

DELETE = object()


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line in English (``DCIM_LANG=en``): the cases quote the spec's English
    wording; the same problems in Bahasa Indonesia are tests/test_messages_have_keys.py's."""
    monkeypatch.setenv("DCIM_LANG", "en")


_STEP = re.compile(r"\.?([A-Za-z_]+)|\[(\d+)\]")


def edited(document: dict[str, Any], edits: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document with each ``path: value`` edit applied.

    A path is written the way problems name fields (``racks[0].feeds``); an
    index one past the end of a list appends, and :data:`DELETE` removes the key.
    """
    result = copy.deepcopy(document)
    for path, value in edits.items():
        steps = [name if name else int(index) for name, index in _STEP.findall(path)]
        parent: Any = result
        for step, following in pairwise(steps):
            if isinstance(step, str):
                parent = parent.setdefault(step, [] if isinstance(following, int) else {})
            else:
                parent = parent[step]
        last = steps[-1]
        if value is DELETE:
            del parent[last]
        elif isinstance(last, int) and last == len(parent):
            parent.append(value)
        else:
            parent[last] = value
    return result


def base_document() -> dict[str, Any]:
    """The valid base file, parsed."""
    return yaml.safe_load(BASE.read_text(encoding="utf-8"))


def write_yaml(path: Path, document: dict[str, Any]) -> Path:
    """Write a document as an inventory file and return its path."""
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


@dataclass(frozen=True)
class Case:
    """One broken rule: the edits that break it and the single problem it must give."""

    behaviour: str
    edits: dict[str, Any]
    expect: str


def device(name: str, rack: str, position: int, u_height: int = 1, **fields: Any) -> dict[str, Any]:
    """A device entry with only what the case needs."""
    return {"name": name, "rack": rack, "position": position, "u_height": u_height, **fields}


def hold(code: str, rack: str, position: int, u_height: int = 1, **fields: Any) -> dict[str, Any]:
    """A reservation entry with only what the case needs."""
    return {
        "id": code,
        "rack": rack,
        "position": position,
        "u_height": u_height,
        "expires_at": "2030-02-28",
        **fields,
    }


SHAPE = [
    Case("unknown top-level key", {"rack": []}, "rack: unknown top-level key"),
    Case("unknown field of a rack", {"racks[0].colour": "black"}, "racks[0].colour: unknown field"),
    Case(
        "unknown field of a record",
        {"zones[0].records[1].class": "IN"},
        "zones[0].records[1].class: unknown field",
    ),
    Case("unknown policy key", {"policy.max_load": 80}, "policy.max_load: unknown field"),
    Case(
        "required field missing",
        {"racks[1].site": DELETE},
        "racks[1].site: required field is missing",
    ),
    Case(
        "whole number given as text",
        {"racks[0].u_height": "42"},
        "racks[0].u_height: must be a whole number, got '42'",
    ),
    Case(
        "whole number given as a fraction",
        {"prefixes[0].vlan": 30.5},
        "prefixes[0].vlan: must be a whole number, got 30.5",
    ),
    Case(
        "number given as text",
        {"devices[0].power_w": "400"},
        "devices[0].power_w: must be a number, got '400'",
    ),
    Case(
        "number given as true",
        {"devices[0].weight_kg": True},
        "devices[0].weight_kg: must be a number, got True",
    ),
    Case(
        "number with too many decimals",
        {"ups[0].power_factor": 0.9125},
        "ups[0].power_factor: at most 3 decimal places, got 0.9125",
    ),
    Case(
        "yes-or-no given as text",
        {"devices[1].full_depth": "no"},
        "devices[1].full_depth: must be true or false, got 'no'",
    ),
    Case(
        "list given as text",
        {"racks[0].feeds": "PDU-T01-A"},
        "racks[0].feeds: must be a list, got 'PDU-T01-A'",
    ),
    Case(
        "section given as a mapping",
        {"uplinks": {"name": "ISP-U"}},
        "uplinks: must be a list, got {'name': 'ISP-U'}",
    ),
    Case(
        "entry given as text",
        {"tenants[1]": "uji-dua"},
        "tenants[1]: must be a mapping of fields, got 'uji-dua'",
    ),
    Case(
        "date given as text",
        {"reservations[0].expires_at": "akhir bulan"},
        "reservations[0].expires_at: must be a date (YYYY-MM-DD), got 'akhir bulan'",
    ),
    Case(
        "name with surrounding spaces",
        {"racks[1].name": " T02"},
        "racks[1].name: must not start or end with spaces, got ' T02'",
    ),
]

RANGES = [
    Case(
        "tenant slug with capitals",
        {"tenants[0].slug": "Uji"},
        "tenants[0].slug: must be a slug of a-z, 0-9 and '-', got 'Uji'",
    ),
    Case(
        "UPS of zero kVA",
        {"ups[0].capacity_kva": 0},
        "ups[0].capacity_kva: must be greater than 0, got 0",
    ),
    Case(
        "UPS power factor above 1",
        {"ups[0].power_factor": 1.2},
        "ups[0].power_factor: must be at most 1, got 1.2",
    ),
    Case(
        "UPS power factor of zero",
        {"ups[0].power_factor": 0},
        "ups[0].power_factor: must be greater than 0, got 0",
    ),
    Case(
        "negative battery energy",
        {"ups[0].battery_wh": -1},
        "ups[0].battery_wh: must be at least 0, got -1",
    ),
    Case(
        "feed of zero volts",
        {"power_feeds[0].voltage": 0},
        "power_feeds[0].voltage: must be greater than 0, got 0",
    ),
    Case(
        "feed of negative amps",
        {"power_feeds[1].amperage": -16},
        "power_feeds[1].amperage: must be greater than 0, got -16",
    ),
    Case(
        "feed phase that does not exist",
        {"power_feeds[0].phase": "dual"},
        "power_feeds[0].phase: must be one of 'single' or 'three', got 'dual'",
    ),
    Case(
        "feed loadable to 0 %",
        {"power_feeds[2].max_utilization": 0},
        "power_feeds[2].max_utilization: must be at least 1, got 0",
    ),
    Case(
        "feed loadable past 100 %",
        {"power_feeds[2].max_utilization": 101},
        "power_feeds[2].max_utilization: must be at most 100, got 101",
    ),
    Case(
        "rack of zero units",
        {"racks[1].u_height": 0},
        "racks[1].u_height: must be at least 1, got 0",
    ),
    Case(
        "rack taller than 100 units",
        {"racks[1].u_height": 101},
        "racks[1].u_height: must be at most 100, got 101",
    ),
    Case(
        "rack status that does not exist",
        {"racks[1].status": "rusak"},
        "racks[1].status: must be one of 'active', 'planned', 'reserved' or 'deprecated', got 'rusak'",
    ),
    Case(
        "rack weight limit below zero",
        {"racks[1].max_weight_kg": -5},
        "racks[1].max_weight_kg: must be at least 0, got -5",
    ),
    Case(
        "unusable unit zero",
        {"racks[1].unusable_units": [0]},
        "racks[1].unusable_units[0]: must be at least 1, got 0",
    ),
    Case(
        "unusable unit above the rack",
        {"racks[1].unusable_units": [25]},
        "racks[1].unusable_units: unit 25 is outside the rack (1-24)",
    ),
    Case(
        "uplink of zero Mbps",
        {"uplinks[0].capacity_mbps": 0},
        "uplinks[0].capacity_mbps: must be greater than 0, got 0",
    ),
    Case("VLAN zero", {"prefixes[0].vlan": 0}, "prefixes[0].vlan: must be at least 1, got 0"),
    Case(
        "VLAN above 4094",
        {"prefixes[0].vlan": 4095},
        "prefixes[0].vlan: must be at most 4094, got 4095",
    ),
    Case(
        "prefix role with capitals",
        {"prefixes[1].role": "Publik"},
        "prefixes[1].role: has characters that are not allowed, got 'Publik'",
    ),
    Case(
        "address status that does not exist",
        {"ip_addresses[0].status": "dipakai"},
        "ip_addresses[0].status: must be one of 'active', 'reserved', 'dhcp' or 'deprecated', got 'dipakai'",
    ),
    Case(
        "negative TTL",
        {"zones[0].records[0].ttl": -1},
        "zones[0].records[0].ttl: must be at least 0, got -1",
    ),
    Case(
        "device of zero units",
        {"devices[0].u_height": 0},
        "devices[0].u_height: must be at least 1, got 0",
    ),
    Case(
        "device face that does not exist",
        {"devices[1].face": "top"},
        "devices[1].face: must be one of 'front' or 'rear', got 'top'",
    ),
    Case(
        "device status that does not exist",
        {"devices[0].status": "rusak"},
        "devices[0].status: must be one of 'active', 'planned' or 'offline', got 'rusak'",
    ),
    Case(
        "device of negative weight",
        {"devices[0].weight_kg": -1},
        "devices[0].weight_kg: must be at least 0, got -1",
    ),
    Case(
        "device of negative power",
        {"devices[0].power_w": -400},
        "devices[0].power_w: must be at least 0, got -400",
    ),
    Case(
        "device of negative bandwidth",
        {"devices[0].bandwidth_mbps": -20},
        "devices[0].bandwidth_mbps: must be at least 0, got -20",
    ),
    Case(
        "reservation of zero units",
        {"reservations[0].u_height": 0},
        "reservations[0].u_height: must be at least 1, got 0",
    ),
    Case(
        "reservation of negative power",
        {"reservations[0].power_w": -1},
        "reservations[0].power_w: must be at least 0, got -1",
    ),
    Case(
        "policy feed utilization past 100 %",
        {"policy.feed_max_utilization": 120},
        "policy.feed_max_utilization: must be at most 100, got 120",
    ),
    Case(
        "policy redundancy that does not exist",
        {"policy.redundancy": "3N"},
        "policy.redundancy: must be one of '2N' or 'N', got '3N'",
    ),
    Case(
        "policy power factor above 1",
        {"policy.ups_power_factor": 1.5},
        "policy.ups_power_factor: must be at most 1, got 1.5",
    ),
    Case(
        "policy UPS load of 0 %",
        {"policy.ups_max_load": 0},
        "policy.ups_max_load: must be at least 1, got 0",
    ),
    Case(
        "policy oversubscription of zero",
        {"policy.bandwidth_oversubscription": 0},
        "policy.bandwidth_oversubscription: must be greater than 0, got 0",
    ),
    Case(
        "policy hold of zero working days",
        {"policy.reservation_working_days": 0},
        "policy.reservation_working_days: must be at least 1, got 0",
    ),
    Case(
        "record type that does not exist",
        {"zones[0].records[2].type": "AAAAA"},
        "zones[0].records[2].type: unsupported record type 'AAAAA' (one of "
        "A, AAAA, CAA, CNAME, MX, NS, PTR, SRV, TXT)",
    ),
]

DUPLICATES = [
    Case(
        "tenant slug twice",
        {"tenants[1].slug": "uji", "reservations[0].tenant": "uji"},
        "tenants[1].slug: duplicate tenant 'uji' (also tenants[0])",
    ),
    Case(
        "site slug twice",
        {"sites[1]": {"slug": "dc-uji", "name": "Ruang Lain"}},
        "sites[1].slug: duplicate site 'dc-uji' (also sites[0])",
    ),
    Case(
        "UPS name twice",
        {"ups[1]": {"name": "UPS-U1", "site": "dc-uji", "capacity_kva": 6}},
        "ups[1].name: duplicate UPS 'UPS-U1' (also ups[0])",
    ),
    Case(
        "power feed name twice",
        {"power_feeds[2].name": "PDU-T01-B", "racks[1].feeds": []},
        "power_feeds[2].name: duplicate power feed 'PDU-T01-B' (also power_feeds[1])",
    ),
    Case(
        "rack name twice",
        {"racks[2]": {"name": "T02", "site": "dc-uji"}},
        "racks[2].name: duplicate rack 'T02' (also racks[1])",
    ),
    Case(
        "uplink name twice",
        {"uplinks[1]": {"name": "ISP-U", "site": "dc-uji", "capacity_mbps": 50}},
        "uplinks[1].name: duplicate uplink 'ISP-U' (also uplinks[0])",
    ),
    Case(
        "device name twice",
        {"devices[2]": device("SRV-UJI-01", "T02", 1)},
        "devices[2].name: duplicate device 'SRV-UJI-01' (also devices[0])",
    ),
    Case(
        "reservation id twice",
        {"reservations[1]": hold("RSV-UJI-0001", "T02", 1)},
        "reservations[1].id: duplicate reservation 'RSV-UJI-0001' (also reservations[0])",
    ),
    Case(
        "zone twice, written differently",
        {"zones[1]": {"name": "UjiCoba.ID."}},
        "zones[1].name: duplicate zone 'ujicoba.id' (also zones[0])",
    ),
    Case(
        "prefix twice",
        {"prefixes[2]": {"prefix": "198.51.100.0/26", "role": "server"}},
        "prefixes[2].prefix: 198.51.100.0/26 duplicates prefix 198.51.100.0/26 (prefixes[0])",
    ),
    Case(
        "address listed twice",
        {"ip_addresses[2]": {"address": "198.51.100.10"}},
        "ip_addresses[2].address: 198.51.100.10 is listed twice (also ip_addresses[0])",
    ),
    Case(
        "IPv6 address listed twice in another spelling",
        {"ip_addresses[2]": {"address": "2001:DB8:20:0::10"}},
        "ip_addresses[2].address: 2001:db8:20::10 is listed twice (also ip_addresses[1])",
    ),
    Case(
        "name held by two reservations",
        {"reservations[1]": hold("RSV-UJI-0002", "T02", 1, fqdns=["APP.ujicoba.id."])},
        "reservations[1].fqdns[0]: 'app.ujicoba.id' is already held by reservation 'RSV-UJI-0001'",
    ),
]

REFERENCES = [
    Case(
        "device of a missing tenant",
        {"devices[0].tenant": "dinkes"},
        "devices[0].tenant: unknown tenant 'dinkes'",
    ),
    Case(
        "reservation of a missing tenant",
        {"reservations[0].tenant": "dinkes"},
        "reservations[0].tenant: unknown tenant 'dinkes'",
    ),
    Case(
        "site slugs are case-sensitive",
        {"racks[1].site": "DC-UJI"},
        "racks[1].site: unknown site 'DC-UJI'",
    ),
    Case("UPS at a missing site", {"ups[0].site": "dc-dr"}, "ups[0].site: unknown site 'dc-dr'"),
    Case(
        "feed at a missing site",
        {"power_feeds[2].site": "dc-dr"},
        "power_feeds[2].site: unknown site 'dc-dr'",
    ),
    Case(
        "rack at a missing site", {"racks[1].site": "dc-dr"}, "racks[1].site: unknown site 'dc-dr'"
    ),
    Case(
        "uplink at a missing site",
        {"uplinks[0].site": "dc-dr"},
        "uplinks[0].site: unknown site 'dc-dr'",
    ),
    Case(
        "prefix at a missing site",
        {"prefixes[1].site": "dc-dr"},
        "prefixes[1].site: unknown site 'dc-dr'",
    ),
    Case(
        "feed on a missing UPS",
        {"power_feeds[1].ups": "UPS-U9"},
        "power_feeds[1].ups: unknown UPS 'UPS-U9'",
    ),
    Case(
        "rack with a missing feed",
        {"racks[1].feeds": ["PDU-T02-A", "PDU-T09-A"]},
        "racks[1].feeds: unknown power feed 'PDU-T09-A'",
    ),
    Case(
        "device on a missing feed",
        {"devices[0].feeds": ["PDU-T01-A", "PDU-T01-C"]},
        "devices[0].feeds: unknown power feed 'PDU-T01-C'",
    ),
    Case(
        "reservation on a missing feed",
        {"reservations[0].feeds": ["PDU-T01-C"]},
        "reservations[0].feeds: unknown power feed 'PDU-T01-C'",
    ),
    Case(
        "device in a missing rack",
        {"devices[1].rack": "T09"},
        "devices[1].rack: unknown rack 'T09'",
    ),
    Case(
        "reservation in a missing rack",
        {"reservations[0].rack": "T09", "reservations[0].feeds": []},
        "reservations[0].rack: unknown rack 'T09'",
    ),
    Case(
        "rack names are case-sensitive",
        {"devices[1].rack": "t01"},
        "devices[1].rack: unknown rack 't01'",
    ),
    Case(
        "device on a missing uplink",
        {"devices[0].uplink": "ISP-9"},
        "devices[0].uplink: unknown uplink 'ISP-9'",
    ),
    Case(
        "reservation on a missing uplink",
        {"reservations[0].uplink": "ISP-9"},
        "reservations[0].uplink: unknown uplink 'ISP-9'",
    ),
    Case(
        "bandwidth without an uplink",
        {"devices[0].uplink": DELETE},
        "devices[0].uplink: required because bandwidth_mbps is 20",
    ),
    Case(
        "address of a missing device",
        {"ip_addresses[1].device": "SRV-UJI-09"},
        "ip_addresses[1].device: unknown device 'SRV-UJI-09'",
    ),
]

PLACES = [
    Case(
        "device below unit 1",
        {"devices[2]": device("SRV-BAWAH", "T02", 0, 2)},
        "devices[2].position: units 0-1 are outside rack 'T02' (1-24)",
    ),
    Case(
        "device above the top of the rack",
        {"devices[2]": device("SRV-ATAS", "T02", 24, 2)},
        "devices[2].position: units 24-25 are outside rack 'T02' (1-24)",
    ),
    Case(
        "reservation below unit 1",
        {"reservations[0].position": -1, "reservations[0].u_height": 2},
        "reservations[0].position: units -1-0 are outside rack 'T01' (1-42)",
    ),
    Case(
        "reservation above the top of the rack",
        {"reservations[0].position": 42, "reservations[0].u_height": 2},
        "reservations[0].position: units 42-43 are outside rack 'T01' (1-42)",
    ),
    Case(
        "device on an unusable unit",
        {"devices[2]": device("SRV-RUSAK", "T01", 41, 2)},
        "devices[2].position: unit 42 of rack 'T01' is unusable",
    ),
    Case(
        "half-depth rear device on an unusable unit",
        {"devices[1].position": 42},
        "devices[1].position: unit 42 of rack 'T01' is unusable",
    ),
    Case(
        "reservation on an unusable unit",
        {"reservations[0].position": 42},
        "reservations[0].position: unit 42 of rack 'T01' is unusable",
    ),
    Case(
        "two devices on the same units",
        {"devices[2]": device("SRV-TINDIH", "T01", 11, 2)},
        "devices[2].position: overlaps device 'SRV-UJI-01' in rack 'T01' (units 11 front, 11 rear)",
    ),
    Case(
        "full-depth device over a half-depth rear one",
        {"devices[2]": device("SRV-DEPAN", "T01", 20, 1)},
        "devices[2].position: overlaps device 'PATCH-UJI-01' in rack 'T01' (units 20 rear)",
    ),
    Case(
        "two half-depth devices on the same face",
        {"devices[2]": device("PATCH-UJI-02", "T01", 20, 1, face="rear", full_depth=False)},
        "devices[2].position: overlaps device 'PATCH-UJI-01' in rack 'T01' (units 20 rear)",
    ),
    Case(
        "device on a held unit",
        {"devices[2]": device("SRV-TABRAK", "T01", 29, 2)},
        "reservations[0].position: overlaps device 'SRV-TABRAK' in rack 'T01' "
        "(units 30 front, 30 rear)",
    ),
    Case(
        "two reservations on the same unit",
        {"reservations[1]": hold("RSV-UJI-0002", "T01", 30, face="front", full_depth=False)},
        "reservations[1].position: overlaps reservation 'RSV-UJI-0001' in rack 'T01' "
        "(units 30 front)",
    ),
]

FEEDS = [
    Case(
        "feed listed by two racks",
        {"racks[1].feeds": ["PDU-T02-A", "PDU-T01-B"]},
        "racks[1].feeds: power feed 'PDU-T01-B' is already a feed of rack 'T01'",
    ),
    Case(
        "feed listed twice by one rack",
        {"racks[1].feeds": ["PDU-T02-A", "PDU-T02-A"]},
        "racks[1].feeds: power feed 'PDU-T02-A' is listed twice",
    ),
    Case(
        "device on a feed of another rack",
        {"devices[0].feeds": ["PDU-T01-A", "PDU-T02-A"]},
        "devices[0].feeds: power feed 'PDU-T02-A' is not a feed of rack 'T01'",
    ),
    Case(
        "reservation on a feed of another rack",
        {"reservations[0].feeds": ["PDU-T02-A"]},
        "reservations[0].feeds: power feed 'PDU-T02-A' is not a feed of rack 'T01'",
    ),
    Case(
        "one feed cell wrong for many devices is one message, not one per device",
        {
            "devices[0].feeds": ["PDU-T02-A"],
            "devices[2]": device("SRV-UJI-02", "T01", 14, feeds=["PDU-T02-A"]),
            "devices[3]": device("SRV-UJI-03", "T01", 16, feeds=["PDU-T02-A"]),
        },
        "devices[0].feeds: power feed 'PDU-T02-A' is not a feed of rack 'T01'; 3 entries use it"
        " that way (also devices[2], devices[3])",
    ),
    Case(
        "device on the same feed twice",
        {"devices[0].feeds": ["PDU-T01-A", "PDU-T01-A"]},
        "devices[0].feeds: power feed 'PDU-T01-A' is listed twice",
    ),
]

PREFIXES = [
    Case(
        "prefix with host bits set",
        {"prefixes[2]": {"prefix": "198.51.100.70/26", "role": "server"}},
        "prefixes[2].prefix: 198.51.100.70/26 has host bits set "
        "(the network address is 198.51.100.64)",
    ),
    Case(
        "prefix with host bits set, its addresses still judged against the network it means",
        {"prefixes[0].prefix": "198.51.100.5/26"},
        "prefixes[0].prefix: 198.51.100.5/26 has host bits set "
        "(the network address is 198.51.100.0)",
    ),
    Case(
        "IPv6 prefix with host bits set",
        {"prefixes[2]": {"prefix": "2001:db8:21::1/64", "role": "server"}},
        "prefixes[2].prefix: 2001:db8:21::1/64 has host bits set "
        "(the network address is 2001:db8:21::)",
    ),
    Case(
        "prefix that is not CIDR",
        {"prefixes[2]": {"prefix": "10.20.0.0", "role": "server"}},
        "prefixes[2].prefix: '10.20.0.0' is not in CIDR form (address/length)",
    ),
    Case(
        "prefix that is not an address",
        {"prefixes[2]": {"prefix": "10.20.0.0/33", "role": "server"}},
        "prefixes[2].prefix: '10.20.0.0/33' is not a valid IPv4 or IPv6 prefix",
    ),
    Case(
        "prefix inside another",
        {"prefixes[2]": {"prefix": "198.51.100.32/27", "role": "server"}},
        "prefixes[2].prefix: 198.51.100.32/27 overlaps prefix 198.51.100.0/26 (prefixes[0])",
    ),
    Case(
        "prefix around another",
        {"prefixes[2]": {"prefix": "2001:db8:20::/48", "role": "server"}},
        "prefixes[2].prefix: 2001:db8:20::/48 overlaps prefix 2001:db8:20::/64 (prefixes[1])",
    ),
    Case(
        "gateway outside its prefix",
        {"prefixes[0].gateway": "198.51.100.65"},
        "prefixes[0].gateway: 198.51.100.65 is outside 198.51.100.0/26",
    ),
    Case(
        "IPv6 gateway on an IPv4 prefix",
        {"prefixes[0].gateway": "2001:db8:20::1"},
        "prefixes[0].gateway: 2001:db8:20::1 is outside 198.51.100.0/26",
    ),
    Case(
        "gateway that is not an address",
        {"prefixes[0].gateway": "198.51.100.1/26"},
        "prefixes[0].gateway: '198.51.100.1/26' must be an address without a prefix length",
    ),
    Case(
        "reserved range outside its prefix",
        {"prefixes[0].reserved_ranges": ["198.51.100.60-198.51.100.70"]},
        "prefixes[0].reserved_ranges[0]: 198.51.100.60-198.51.100.70 is not inside 198.51.100.0/26",
    ),
    Case(
        "reserved range backwards",
        {"prefixes[0].reserved_ranges": ["198.51.100.5-198.51.100.2"]},
        "prefixes[0].reserved_ranges[0]: '198.51.100.5-198.51.100.2' ends before it starts",
    ),
]

ADDRESSES = [
    Case(
        "address outside every prefix",
        {"ip_addresses[2]": {"address": "192.0.2.50"}},
        "ip_addresses[2].address: 192.0.2.50 is not inside any prefix",
    ),
    Case(
        "address that is not an address",
        {"ip_addresses[2]": {"address": "198.51.100.300"}},
        "ip_addresses[2].address: '198.51.100.300' is not a valid IPv4 or IPv6 address",
    ),
    Case(
        "held address outside every prefix",
        {"reservations[0].ips": ["198.51.100.20", "192.0.2.51"]},
        "reservations[0].ips[1]: 192.0.2.51 is not inside any prefix",
    ),
    Case(
        "held address also in ip_addresses",
        {"reservations[0].ips": ["198.51.100.10"]},
        "reservations[0].ips[0]: 198.51.100.10 is also listed in ip_addresses (ip_addresses[0])",
    ),
    Case(
        "held address listed twice in one reservation",
        {"reservations[0].ips": ["198.51.100.20", "198.51.100.20"]},
        "reservations[0].ips[1]: 198.51.100.20 is already held by reservation 'RSV-UJI-0001'",
    ),
    Case(
        "address held by two reservations",
        {"reservations[1]": hold("RSV-UJI-0002", "T02", 1, ips=["198.51.100.20"])},
        "reservations[1].ips[0]: 198.51.100.20 is already held by reservation 'RSV-UJI-0001'",
    ),
]

NAMES = [
    Case(
        "A record with an IPv6 address",
        {"zones[0].records[0].value": "2001:db8:20::10"},
        "zones[0].records[0].value: A needs an IPv4 address, got '2001:db8:20::10'",
    ),
    Case(
        "AAAA record with an IPv4 address",
        {"zones[0].records[2].value": "198.51.100.10"},
        "zones[0].records[2].value: AAAA needs an IPv6 address, got '198.51.100.10'",
    ),
    Case(
        "CNAME record pointing at something that is not a name",
        {"zones[0].records[1].value": "http://ujicoba.id/"},
        "zones[0].records[1].value: CNAME needs a name, got 'http://ujicoba.id/' "
        "(label 'http://ujicoba' has a character not allowed in a DNS name)",
    ),
    Case(
        "CNAME record pointing at an address",
        {"zones[0].records[1].value": "198.51.100.10"},
        "zones[0].records[1].value: CNAME needs a name, got the address '198.51.100.10'",
    ),
    Case(
        "zone name that is not a DNS name",
        {"zones[0].name": "uji coba.id"},
        "zones[0].name: 'uji coba.id' is not a valid DNS name: "
        "label 'uji coba' has a character not allowed in a DNS name",
    ),
    Case(
        "zone name with an empty label",
        {"zones[0].name": "ujicoba..id"},
        "zones[0].name: 'ujicoba..id' is not a valid DNS name: a label is empty",
    ),
    Case(
        "record name that is not a DNS name",
        {"zones[0].records[1].name": "w w w"},
        "zones[0].records[1].name: 'w w w' is not a valid DNS name: "
        "label 'w w w' has a character not allowed in a DNS name",
    ),
    Case(
        "record name outside its zone",
        {"zones[0].records[1].name": "www.example.org."},
        "zones[0].records[1].name: 'www.example.org.' is not a valid DNS name: "
        "'www.example.org.' is outside zone 'ujicoba.id'",
    ),
    Case(
        "held name that is not a DNS name",
        {"reservations[0].fqdns": ["app..ujicoba.id"]},
        "reservations[0].fqdns[0]: 'app..ujicoba.id' is not a valid DNS name: a label is empty",
    ),
    Case(
        "held name listed twice in one reservation",
        {"reservations[0].fqdns": ["app.ujicoba.id", "App.UjiCoba.id"]},
        "reservations[0].fqdns[1]: 'app.ujicoba.id' is already held by reservation 'RSV-UJI-0001'",
    ),
]

CASES = [*SHAPE, *RANGES, *DUPLICATES, *REFERENCES, *PLACES, *FEEDS, *PREFIXES, *ADDRESSES, *NAMES]

# Conflicts with what the database already holds: loaded on top of the spec's example.
CLASHES = [
    Case(
        "tenant already in the database",
        {"tenants[0]": {"slug": "bappeda", "name": "Bappeda lagi"}},
        "tenants[0].slug: duplicate tenant 'bappeda' (also tenants[3] in the database)",
    ),
    Case(
        "rack already in the database",
        {"racks[0]": {"name": "R02", "site": "dc-kominfo"}},
        "racks[0].name: duplicate rack 'R02' (also racks[1] in the database)",
    ),
    Case(
        "device name already in the database",
        {"devices[0]": device("SW-CORE-01", "R04", 1)},
        "devices[0].name: duplicate device 'SW-CORE-01' (also devices[0] in the database)",
    ),
    Case(
        "reservation already in the database",
        {"reservations[0]": hold("RSV-2026-0001", "R04", 1)},
        "reservations[0].id: duplicate reservation 'RSV-2026-0001' "
        "(also reservations[0] in the database)",
    ),
    Case(
        "zone already in the database",
        {"zones[0]": {"name": "SUMBAWAKAB.go.id"}},
        "zones[0].name: duplicate zone 'sumbawakab.go.id' (also zones[0] in the database)",
    ),
    Case(
        "feed already a feed of a rack in the database",
        {"racks[0]": {"name": "R05", "site": "dc-kominfo", "feeds": ["PDU-R03-A"]}},
        "racks[0].feeds: power feed 'PDU-R03-A' is already a feed of rack 'R03'",
    ),
    Case(
        "device on units a database device occupies",
        {"devices[0]": device("SRV-BARU", "R02", 11, 1, tenant="bkpsdm")},
        "devices[0].position: overlaps device 'SRV-BKPSDM-01' in rack 'R02' "
        "(units 11 front, 11 rear)",
    ),
    Case(
        "device on units a database reservation holds",
        {"devices[0]": device("SRV-BARU", "R02", 20, 1)},
        "devices[0].position: overlaps reservation 'RSV-2026-0001' in rack 'R02' "
        "(units 20 front, 20 rear)",
    ),
    Case(
        "device on an unusable unit of a database rack",
        {"devices[0]": device("SRV-BARU", "R01", 1, 1)},
        "devices[0].position: unit 1 of rack 'R01' is unusable",
    ),
    Case(
        "prefix overlapping one in the database",
        {"prefixes[0]": {"prefix": "10.10.1.128/25", "role": "server"}},
        "prefixes[0].prefix: 10.10.1.128/25 overlaps prefix 10.10.1.0/24 "
        "(prefixes[1] in the database)",
    ),
    Case(
        "address already in the database",
        {"ip_addresses[0]": {"address": "10.10.1.10"}},
        "ip_addresses[0].address: 10.10.1.10 is listed twice (also ip_addresses[2] in the database)",
    ),
    Case(
        "address held by a database reservation",
        {"ip_addresses[0]": {"address": "203.0.113.6"}},
        "ip_addresses[0].address: 203.0.113.6 is already held by reservation 'RSV-2026-0001'",
    ),
    Case(
        "name held by a database reservation",
        {"reservations[0]": hold("RSV-2026-0002", "R04", 1, fqdns=["sipd.sumbawakab.go.id"])},
        "reservations[0].fqdns[0]: 'sipd.sumbawakab.go.id' is already held by "
        "reservation 'RSV-2026-0001'",
    ),
]


def _abridged(lines: list[str], wanted: list[str]) -> list[str]:
    """The lines, each cut to its wanted line where that ends in '...' and they agree up to it.

    The YAML parser's own words after the line and column differ between its
    C and Python builds; the file, line and column are what the operator needs.
    """
    return [
        want if want.endswith("...") and line.startswith(want[:-3]) else line
        for line, want in zip(lines, [*wanted, *[""] * len(lines)], strict=False)
    ]


def _export(run_cli: Callable[..., Any], db_url: str) -> str:
    result = run_cli("--db", db_url, "export")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _assert_refused(
    run_cli: Callable[..., Any], db_url: str, path: Path, expected: list[str]
) -> None:
    before = _export(run_cli, db_url)
    code, out, err = run_cli("--db", db_url, "load", path)
    assert code == 2, out
    wanted = [f"{path}: {line}" for line in expected]
    assert _abridged(err.splitlines(), wanted) == wanted
    assert "Traceback" not in err
    assert _export(run_cli, db_url) == before


@pytest.fixture(params=["empty", "holding-example"])
def database(request: pytest.FixtureRequest, engine: Any, db_url: str, run_cli: Any) -> str:
    """A database that is empty, or already holds the contract's example."""
    if request.param == "holding-example":
        result = run_cli("--db", db_url, "load", EXAMPLE)
        assert result.exit_code == 0, result.stderr
    return db_url


def test_the_base_file_is_valid(database: str, run_cli: Callable[..., Any]) -> None:
    result = run_cli("--db", database, "load", BASE)
    assert result.exit_code == 0, result.stderr
    assert "T01" in _export(run_cli, database)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.behaviour)
def test_a_file_breaking_a_rule_is_refused_and_changes_nothing(
    case: Case, database: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    path = write_yaml(tmp_path / "inventaris.yaml", edited(base_document(), case.edits))
    _assert_refused(run_cli, database, path, [case.expect])


@pytest.mark.parametrize("case", CLASHES, ids=lambda case: case.behaviour)
def test_a_file_clashing_with_the_database_is_refused_and_changes_nothing(
    case: Case, engine: Any, db_url: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    assert run_cli("--db", db_url, "load", EXAMPLE).exit_code == 0
    path = write_yaml(tmp_path / "tambahan.yaml", edited({"version": 1}, case.edits))
    _assert_refused(run_cli, db_url, path, [case.expect])


def _expectations(path: Path) -> list[str]:
    return [
        line.removeprefix("# expect:").strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect:")
    ]


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda path: path.stem)
def test_a_file_that_is_wrong_as_a_whole_is_refused_and_changes_nothing(
    path: Path, database: str, run_cli: Callable[..., Any]
) -> None:
    expected = _expectations(path)
    assert expected, f"{path.name} says what it expects in '# expect:' lines"
    _assert_refused(run_cli, database, path, expected)


def test_loading_the_same_file_twice_is_refused_the_second_time(
    engine: Any, db_url: str, run_cli: Callable[..., Any]
) -> None:
    assert run_cli("--db", db_url, "load", EXAMPLE).exit_code == 0
    before = _export(run_cli, db_url)
    code, _, err = run_cli("--db", db_url, "load", EXAMPLE)
    assert code == 2
    assert f"{EXAMPLE}: racks[0].name: duplicate rack 'R01' (also racks[0] in the database)" in (
        err.splitlines()
    )
    assert _export(run_cli, db_url) == before


def _placed(export_text: str) -> dict[str, tuple[str, int, str, bool]]:
    return {
        entry["name"]: (entry["rack"], entry["position"], entry["face"], entry["full_depth"])
        for entry in yaml.safe_load(export_text)["devices"]
    }


def test_half_depth_devices_on_the_front_and_rear_of_the_same_units_do_not_overlap(
    database: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    front = device("PANEL-UJI-01", "T01", 20, 1, face="front", full_depth=False)
    path = write_yaml(tmp_path / "inventaris.yaml", edited(base_document(), {"devices[2]": front}))
    result = run_cli("--db", database, "load", path)
    assert result.exit_code == 0, result.stderr
    placed = _placed(_export(run_cli, database))
    assert placed["PATCH-UJI-01"] == ("T01", 20, "rear", False)
    assert placed["PANEL-UJI-01"] == ("T01", 20, "front", False)


def test_names_that_differ_only_in_case_are_different_names(
    database: str, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    document = edited(
        base_document(),
        {
            "racks[2]": {"name": "t01", "site": "dc-uji", "u_height": 42},
            "devices[2]": device("srv-uji-01", "t01", 10, 2),
        },
    )
    result = run_cli("--db", database, "load", write_yaml(tmp_path / "inventaris.yaml", document))
    assert result.exit_code == 0, result.stderr
    placed = _placed(_export(run_cli, database))
    assert placed["SRV-UJI-01"][:2] == ("T01", 10)
    assert placed["srv-uji-01"][:2] == ("t01", 10)


@pytest.mark.parametrize(
    ("name", "edits", "expect"),
    [
        ("yaml-syntax-error", None, "not valid YAML at line 6, column 1: ..."),
        ("not-a-mapping", None, "the file must be a mapping with at least 'version: 1'"),
        (
            "rack-feed-unknown",
            {"racks[1].feeds": ["PDU-T02-A", "PDU-R09-A"]},
            "racks[1].feeds: unknown power feed 'PDU-R09-A'",
        ),
    ],
    ids=["YAML syntax error", "not a mapping", "unknown feed"],
)
def test_the_installed_command_refuses_a_bad_file_without_a_traceback(
    name: str,
    edits: dict[str, Any] | None,
    expect: str,
    engine: Any,
    db_url: str,
    run_cli: Callable[..., Any],
    run_dcim: Callable[..., Any],
    tmp_path: Path,
) -> None:
    assert run_cli("--db", db_url, "load", EXAMPLE).exit_code == 0
    before = _export(run_cli, db_url)
    if edits is None:
        path = INVENTORY / "invalid" / f"{name}.yaml"
    else:
        path = write_yaml(tmp_path / f"{name}.yaml", edited(base_document(), edits))
    code, out, err = run_dcim("--db", db_url, "load", path)
    assert code == 2, out
    assert _abridged(err.splitlines(), [f"{path}: {expect}"]) == [f"{path}: {expect}"]
    assert "Traceback" not in err + out
    assert _export(run_cli, db_url) == before
