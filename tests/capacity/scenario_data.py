"""Inventory and request documents for capacity scenarios, built the way the file formats write them.

Every builder returns the plain mapping of a YAML file: the inventory that
``dcim load`` reads and the request that ``dcim check`` reads (both shown
whole in ``tests/fixtures/spec-example/``); a test states
only the entries its rule is about and takes the rest from a small, roomy
server room: one site, one rack ``R01`` of 42 units on two 230 V / 32 A
feeds behind one large UPS, one 1000 Mbps uplink, a public /24 and one zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

SPEC_EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example"

# A Friday with no holiday near it; every scenario is evaluated on it unless it says otherwise.
DAY = "2026-11-27"
SITE = "dc-kominfo"
ZONE = "sumbawakab.go.id"
TENANT = "bkpsdm"

DEFAULT_RESERVED_LABELS = [
    "www",
    "mail",
    "webmail",
    "ns",
    "ns1",
    "ns2",
    "ftp",
    "smtp",
    "imap",
    "pop",
    "mx",
    "cpanel",
    "whm",
    "admin",
    "localhost",
]

Doc = dict[str, Any]


def feed(
    name: str,
    *,
    ups: str | None = "UPS-1",
    voltage: float = 230,
    amperage: float = 32,
    phase: str = "single",
    site: str = SITE,
    **extra: Any,
) -> Doc:
    """A power feed; 230 V x 32 A single-phase behind UPS-1 unless told otherwise."""
    entry: Doc = {
        "name": name,
        "site": site,
        "voltage": voltage,
        "amperage": amperage,
        "phase": phase,
    }
    if ups is not None:
        entry["ups"] = ups
    return entry | extra


def ups(name: str = "UPS-1", *, capacity_kva: float = 100, site: str = SITE, **extra: Any) -> Doc:
    """A UPS; 100 kVA unless told otherwise, so that it limits nothing by accident."""
    return {"name": name, "site": site, "capacity_kva": capacity_kva} | extra


def rack(name: str, *, feeds: list[str], u_height: int = 42, site: str = SITE, **extra: Any) -> Doc:
    """A rack with the given feeds."""
    return {"name": name, "site": site, "u_height": u_height, "feeds": feeds} | extra


def device(
    name: str, rack: str, position: int, *, u_height: int = 1, tenant: str = TENANT, **extra: Any
) -> Doc:
    """An installed device; every field the case does not name keeps the format's default."""
    return {
        "name": name,
        "tenant": tenant,
        "rack": rack,
        "position": position,
        "u_height": u_height,
    } | extra


def hold(
    code: str,
    rack: str,
    position: int,
    *,
    expires_at: str,
    u_height: int = 1,
    tenant: str = TENANT,
    **extra: Any,
) -> Doc:
    """A reservation (hold) entry."""
    return {
        "id": code,
        "tenant": tenant,
        "rack": rack,
        "position": position,
        "u_height": u_height,
        "expires_at": expires_at,
    } | extra


def prefix(cidr: str, role: str, *, site: str | None = SITE, **extra: Any) -> Doc:
    """An IP prefix of a role; ``site=None`` makes it serve every site."""
    entry: Doc = {"prefix": cidr, "role": role}
    if site is not None:
        entry["site"] = site
    return entry | extra


def record(name: str, kind: str, value: str) -> Doc:
    """A DNS record, its name relative to the zone."""
    return {"name": name, "type": kind, "value": value}


def zone(name: str = ZONE, *records: Doc) -> Doc:
    """A managed zone with an apex A record and the given records."""
    return {"name": name, "records": [record("@", "A", "203.0.113.250"), *records]}


def two_feed_rack(
    name: str,
    *,
    site: str = SITE,
    ups_a: str | None = "UPS-1",
    ups_b: str | None = "UPS-1",
    feed_fields: Doc | None = None,
    **rack_fields: Any,
) -> tuple[Doc, list[Doc]]:
    """A rack and its two feeds ``PDU-<name>-A`` and ``PDU-<name>-B``."""
    more = feed_fields or {}
    feeds = [
        feed(f"PDU-{name}-A", ups=ups_a, site=site, **more),
        feed(f"PDU-{name}-B", ups=ups_b, site=site, **more),
    ]
    return rack(name, feeds=[f["name"] for f in feeds], site=site, **rack_fields), feeds


def inventory(
    *,
    racks: list[Doc] | None = None,
    power_feeds: list[Doc] | None = None,
    ups_list: list[Doc] | None = None,
    devices: Sequence[Doc] = (),
    reservations: Sequence[Doc] = (),
    uplinks: list[Doc] | None = None,
    prefixes: list[Doc] | None = None,
    ip_addresses: Sequence[Doc] = (),
    zones: list[Doc] | None = None,
    policy: Doc | None = None,
    sites: list[str] | None = None,
) -> Doc:
    """A whole inventory document: the roomy default server room with the given parts replaced."""
    if racks is None:
        default_rack, default_feeds = two_feed_rack("R01")
        racks = [default_rack]
        if power_feeds is None:
            power_feeds = default_feeds
    site_slugs = sites or sorted({r["site"] for r in racks} | {SITE})
    document: Doc = {
        "version": 1,
        "tenants": [
            {"slug": "diskominfo", "name": "Dinas Komunikasi Informatika Statistik dan Persandian"},
            {"slug": TENANT, "name": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"},
        ],
        "sites": [{"slug": slug, "name": f"Ruang server {slug}"} for slug in site_slugs],
        "ups": ups_list if ups_list is not None else [ups()],
        "power_feeds": power_feeds or [],
        "racks": racks,
        "uplinks": uplinks
        if uplinks is not None
        else [{"name": "ISP-1", "site": SITE, "capacity_mbps": 1000}],
        "prefixes": prefixes
        if prefixes is not None
        else [prefix("203.0.113.0/24", "public", gateway="203.0.113.1")],
        "ip_addresses": list(ip_addresses),
        "zones": zones if zones is not None else [zone()],
        "devices": list(devices),
        "reservations": list(reservations),
    }
    if policy:
        document["policy"] = policy
    return document


def request(
    *,
    u_height: int | None = 1,
    power_w: float | None = 100,
    psu: int | None = 2,
    full_depth: bool | None = True,
    weight_kg: float | None = None,
    bandwidth_mbps: float | None = None,
    ipv4: Doc | None = None,
    ipv6: Doc | None = None,
    domains: list[Any] | None = None,
    site: str | None = None,
    tenant: str | None = TENANT,
    model: str | None = None,
    **server_extra: Any,
) -> Doc:
    """A colocation request; a ``None`` leaves the field out so that the default (or catalog) applies."""
    server: Doc = {}
    for key, value in (
        ("model", model),
        ("u_height", u_height),
        ("power_w", power_w),
        ("psu", psu),
        ("full_depth", full_depth),
        ("weight_kg", weight_kg),
        ("bandwidth_mbps", bandwidth_mbps),
    ):
        if value is not None:
            server[key] = value
    server |= server_extra
    document: Doc = {"number": "800/001/BKPSDM/2026", "date": "2026-11-20"}
    if tenant is not None:
        document["tenant"] = tenant
    if site is not None:
        document["site"] = site
    document["server"] = server
    if ipv4 is not None:
        document["ipv4"] = ipv4
    if ipv6 is not None:
        document["ipv6"] = ipv6
    if domains is not None:
        document["domains"] = domains
    return document


def write_yaml(path: Path, document: Doc) -> Path:
    """Write a document as YAML and return the path."""
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def read_yaml(path: Path) -> Doc:
    """Read a YAML document."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def spec_inventory() -> Doc:
    """The format's example inventory (``tests/fixtures/spec-example/inventory.yaml``)."""
    return read_yaml(SPEC_EXAMPLE / "inventory.yaml")


def spec_request(name: str) -> Doc:
    """One of the format's example requests: ``simpeg`` or ``too-big``."""
    return read_yaml(SPEC_EXAMPLE / f"request-{name}.yaml")


def as_date(value: str | dt.date) -> dt.date:
    """A date given as ``YYYY-MM-DD`` text or already parsed by YAML."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
