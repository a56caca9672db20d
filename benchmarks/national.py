"""Generate a national-scale data center in the inventory format, for the benchmarks.

1,000 racks of 42U and 25,000 devices; a /16 of servers with 50,000
addresses in use (densely, from the bottom, as first-available leaves
them); a zone of 10,000 records; 300 live holds. Only the last racks can
take a new 2U, 500 W server:

- racks 1–300 are full (devices plus one held unit each);
- racks 301–900 are full with devices;
- racks 901–990 have a free 2U block, but their feeds are too loaded for 500 W;
- racks 991–1000 have room and power.

Usage: ``python benchmarks/national.py OUT.yaml [--racks 1000]``; also writes
the benchmark request next to it. A one-rack inventory for comparison comes
from ``--racks 1``.
"""

from __future__ import annotations

import argparse
import ipaddress
from pathlib import Path
from typing import Any

import yaml

SITE = "dc-nasional"
ZONE = "layanan.go.id"
UPS_COUNT = 20
HOLD_RACKS = 300
FULL_RACKS = 900
TIGHT_RACKS = 990
DEVICES_PER_RACK = 25
ON = "2026-11-27"


def _layout(index: int, racks: int) -> tuple[list[int], int]:
    """Device heights of rack ``index`` (1-based) and its per-device power."""
    if racks == 1 or index > TIGHT_RACKS:
        return [1] * DEVICES_PER_RACK, 150  # 25U used, 17U free
    if index > FULL_RACKS:
        return [2] * 15 + [1] * 10, 230  # 40U used; 25 x 230 W = 5,750 W of 5,888 W
    if index <= HOLD_RACKS:
        return [2] * 16 + [1] * 9, 200  # 41U used + 1U held
    return [2] * 17 + [1] * 8, 200  # 42U used


def inventory(racks: int = 1000) -> dict[str, Any]:
    """The inventory document."""
    server_net = ipaddress.ip_network("10.20.0.0/16")
    public_net = ipaddress.ip_network("100.64.0.0/22")
    doc: dict[str, Any] = {
        "version": 1,
        "organization": {
            "government": "Pemerintah Republik Indonesia",
            "office": "Pusat Data Nasional",
            "city": "Jakarta",
        },
        "tenants": [
            {"slug": f"instansi-{i:03d}", "name": f"Instansi {i:03d}"} for i in range(1, 101)
        ],
        "sites": [{"slug": SITE, "name": "Pusat Data Nasional"}],
        "ups": [
            {"name": f"UPS-{u:02d}", "site": SITE, "capacity_kva": 1000, "battery_wh": 400000}
            for u in range(1, UPS_COUNT + 1)
        ],
        "power_feeds": [],
        "racks": [],
        "uplinks": [
            {"name": f"ISP-{u}", "site": SITE, "capacity_mbps": 100000} for u in range(1, 5)
        ],
        "prefixes": [
            {
                "prefix": str(public_net),
                "role": "public",
                "site": SITE,
                "gateway": str(public_net[1]),
            },
            {
                "prefix": str(server_net),
                "role": "server",
                "site": SITE,
                "gateway": str(server_net[1]),
            },
        ],
        "ip_addresses": [],
        "zones": [
            {"name": ZONE, "records": [{"name": "@", "type": "A", "value": str(public_net[2])}]}
        ],
        "devices": [],
        "reservations": [],
    }
    half = UPS_COUNT // 2
    next_server = 2  # offset 1 is the gateway
    next_public = 3
    for r in range(1, racks + 1):
        name = f"R{r:04d}"
        feeds = [f"PDU-{name}-A", f"PDU-{name}-B"]
        doc["power_feeds"] += [
            {
                "name": feeds[0],
                "site": SITE,
                "ups": f"UPS-{(r % half) + 1:02d}",
                "voltage": 230,
                "amperage": 32,
            },
            {
                "name": feeds[1],
                "site": SITE,
                "ups": f"UPS-{half + (r % half) + 1:02d}",
                "voltage": 230,
                "amperage": 32,
            },
        ]
        doc["racks"].append({"name": name, "site": SITE, "u_height": 42, "feeds": feeds})
        heights, power = _layout(r, racks)
        position = 1
        for d, height in enumerate(heights, start=1):
            device = f"SRV-{r:04d}-{d:02d}"
            doc["devices"].append(
                {
                    "name": device,
                    "tenant": f"instansi-{(r * 7 + d) % 100 + 1:03d}",
                    "rack": name,
                    "position": position,
                    "u_height": height,
                    "weight_kg": 15 * height,
                    "power_w": power,
                    "feeds": feeds,
                    "uplink": f"ISP-{r % 4 + 1}",
                    "bandwidth_mbps": 10,
                    "model": "Dell PowerEdge R650",
                }
            )
            position += height
            for _ in range(2):
                doc["ip_addresses"].append(
                    {"address": str(server_net[next_server]), "device": device}
                )
                next_server += 1
            if d == 1 and next_public < public_net.num_addresses - 200:
                doc["ip_addresses"].append(
                    {"address": str(public_net[next_public]), "device": device}
                )
                next_public += 1
        if racks > 1 and r <= HOLD_RACKS:
            doc["reservations"].append(
                {
                    "id": f"RSV-2026-{r:04d}",
                    "request": f"005/{r:03d}/BENCH/2026",
                    "tenant": "instansi-001",
                    "rack": name,
                    "position": 42,
                    "u_height": 1,
                    "weight_kg": 15,
                    "power_w": 200,
                    "feeds": feeds,
                    "uplink": "ISP-1",
                    "bandwidth_mbps": 10,
                    "ips": [str(server_net[next_server])],
                    "fqdns": [f"layanan-hold-{r:04d}.{ZONE}"],
                    "expires_at": "2027-06-30",
                }
            )
            next_server += 1
    records = doc["zones"][0]["records"]
    target = 10_000 if racks > 1 else 10
    for i in range(1, target):
        records.append(
            {"name": f"app{i:05d}", "type": "A", "value": str(public_net[(i % 900) + 3])}
        )
    return doc


def request(tenant: str = "instansi-042") -> dict[str, Any]:
    """The benchmark request: a 2U, 500 W server with an address of each role and a name."""
    return {
        "number": "005/999/BENCH/2026",
        "tenant": tenant,
        "server": {"u_height": 2, "power_w": 500, "psu": 2, "weight_kg": 30, "bandwidth_mbps": 20},
        "ipv4": {"public": 1, "server": 2},
        "domains": [f"aplikasi-baru.{ZONE}"],
    }


def write(path: Path, racks: int) -> Path:
    """Write the inventory and the request (``<stem>-request.yaml``); returns the request's path."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(inventory(racks), Dumper=dumper, sort_keys=False), encoding="utf-8")
    request_path = path.with_name(path.stem + "-request.yaml")
    request_path.write_text(yaml.dump(request(), Dumper=dumper, sort_keys=False), encoding="utf-8")
    return request_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--racks", type=int, default=1000)
    args = parser.parse_args()
    print(write(args.out, args.racks))


if __name__ == "__main__":
    main()
