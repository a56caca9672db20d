"""A managed zone as a zone file (RFC 1035 master format) for the DNS server, built with dnspython.

The inventory holds records but no SOA; the export adds one: the primary
name server is the zone's first apex NS record (else ``ns1.<zone>``, which
is then also written as the apex NS record, since no server loads a zone
without one), the contact ``hostmaster.<zone>``, and the serial
``YYYYMMDDnn`` of the export date. Record values are read the way the inventory's rules read them: a
name without a trailing dot is already absolute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.SOA
import dns.zone
from sqlalchemy import select
from sqlalchemy.orm import Session

from dcim.core_tables import NameClaim, Record, Reservation, Tenant, Zone
from dcim.occupancy import live_hold_filter

DEFAULT_TTL = 3600
SOA_TIMERS = {"refresh": 3600, "retry": 900, "expire": 1209600, "minimum": 3600}


@dataclass(frozen=True)
class ZoneRecord:
    """A record as the Domain page lists it."""

    name: str
    type: str
    value: str
    ttl: int | None


@dataclass(frozen=True)
class HeldName:
    """A name a live hold keeps for its server."""

    fqdn: str
    hold: str
    tenant: str | None
    expires_at: dt.date


def zone_names(session: Session) -> list[str]:
    """The managed zones, by name."""
    return list(session.scalars(select(Zone.name).order_by(Zone.name)))


def zone_records(session: Session, zone: str) -> list[ZoneRecord]:
    """The records of a zone, apex first, then by name and type."""
    rows = session.execute(
        select(Record.name, Record.type, Record.value, Record.ttl)
        .join(Zone, Zone.id == Record.zone_id)
        .where(Zone.name == zone)
        .order_by(Record.name != "@", Record.name, Record.type, Record.id)
    )
    return [ZoneRecord(name, rtype, value, ttl) for name, rtype, value, ttl in rows]


def held_names(session: Session, zone: str, on: dt.date) -> list[HeldName]:
    """Names of the zone held by live holds."""
    rows = session.execute(
        select(NameClaim.fqdn, Reservation.code, Tenant.slug, Reservation.expires_at)
        .join(Reservation, Reservation.id == NameClaim.reservation_id)
        .join(Zone, Zone.id == NameClaim.zone_id)
        .outerjoin(Tenant, Tenant.id == Reservation.tenant_id)
        .where(Zone.name == zone, live_hold_filter(on))
        .order_by(NameClaim.fqdn)
    )
    return [HeldName(fqdn, code, tenant, expires) for fqdn, code, tenant, expires in rows]


def _rdata(record_type: str, value: str) -> dns.rdata.Rdata:
    rdtype = dns.rdatatype.from_text(record_type)
    text = value
    if record_type == "TXT" and not value.startswith('"'):
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return dns.rdata.from_text(
        dns.rdataclass.IN, rdtype, text, origin=dns.name.root, relativize=False
    )


def build_zone(session: Session, zone: str, on: dt.date, serial_suffix: int = 1) -> dns.zone.Zone:
    """The zone as a dnspython zone, with a generated SOA."""
    origin = dns.name.from_text(zone)
    records = zone_records(session, zone)
    built = dns.zone.Zone(origin, relativize=True)
    apex_ns = [r.value for r in records if r.name == "@" and r.type == "NS"]
    primary = dns.name.from_text(apex_ns[0] if apex_ns else f"ns1.{zone}.", origin=dns.name.root)
    serial = int(on.strftime("%Y%m%d")) * 100 + serial_suffix
    soa = dns.rdtypes.ANY.SOA.SOA(
        dns.rdataclass.IN,
        dns.rdatatype.SOA,
        primary,
        dns.name.from_text(f"hostmaster.{zone}."),
        serial,
        SOA_TIMERS["refresh"],
        SOA_TIMERS["retry"],
        SOA_TIMERS["expire"],
        SOA_TIMERS["minimum"],
    )
    built.find_rdataset("@", dns.rdatatype.SOA, create=True).add(soa, DEFAULT_TTL)
    if not apex_ns:
        # A zone without apex NS records is refused by every DNS server; name the SOA's primary.
        ns = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.NS, primary.to_text())
        built.find_rdataset("@", dns.rdatatype.NS, create=True).add(ns, DEFAULT_TTL)
    for record in records:
        owner = dns.name.empty if record.name == "@" else dns.name.from_text(record.name, None)
        rdataset = built.find_rdataset(owner, dns.rdatatype.from_text(record.type), create=True)
        rdataset.add(
            _rdata(record.type, record.value), record.ttl if record.ttl is not None else DEFAULT_TTL
        )
    return built


def zone_file(session: Session, zone: str, on: dt.date) -> str:
    """The zone file text, with ``$ORIGIN`` and ``$TTL`` and a header saying where it came from."""
    built = build_zone(session, zone, on)
    body = built.to_text(relativize=True, want_origin=False)
    header = f"; {zone} — exported by dcim-lite on {on.isoformat()}\n"
    if not any(r.name == "@" and r.type == "NS" for r in zone_records(session, zone)):
        header += (
            "; the inventory has no NS record at the apex: the SOA's primary is named instead\n"
        )
    header += f"$ORIGIN {zone}.\n$TTL {DEFAULT_TTL}\n"
    return header + body
