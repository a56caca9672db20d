"""A NetBox-shaped dumpdata document, written from NetBox's documented models (3.x and 4.x names).

Three sites; racks and devices whose names repeat across sites; an ``available``
rack; a rack numbered from U0; half-unit, 0U, unnamed (virtual-chassis member),
unracked and child devices; a power panel with feeds, one device cabled straight
to a feed, one through a PDU, one not cabled at all; the global table and a VRF
with an overlapping prefix; a container; a prefix without a role; an IP range;
a rack reservation without a tenant; circuits with and without a commit rate;
and models the inventory has no place for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Doc = dict[str, Any]


def obj(label: str, pk: int, **fields: Any) -> Doc:
    """One dumpdata record."""
    return {"model": label, "pk": pk, "fields": fields}


#: NetBox's demo data is dumped with natural keys: content types without a pk, referred to as
#: ``["dcim", "interface"]``.
NATURAL_CONTENT_TYPES = [
    {"model": "contenttypes.contenttype", "fields": {"app_label": "dcim", "model": "site"}},
    {"model": "contenttypes.contenttype", "fields": {"app_label": "dcim", "model": "interface"}},
]


def netbox_dump(version: int = 3) -> list[Doc]:
    """The whole dump; ``version`` 4 uses 4.x field names (device ``role``, prefix ``scope``, ``_site``)."""
    role_field = "device_role" if version == 3 else "role"

    def device(
        pk: int,
        name: str | None,
        dtype: int,
        site: int,
        rack: int | None,
        position: str | None,
        face: str = "front",
        **extra: Any,
    ) -> Doc:
        fields: Doc = {
            "name": name,
            "device_type": dtype,
            role_field: 1,
            "site": site,
            "rack": rack,
            "position": position,
            "face": face,
            "status": "active",
            "serial": "",
            "tenant": None,
        }
        return obj("dcim.device", pk, **(fields | extra))

    def prefix(pk: int, cidr: str, site: int | None, **extra: Any) -> Doc:
        fields: Doc = {
            "prefix": cidr,
            "status": "active",
            "vrf": None,
            "role": None,
            "is_pool": False,
            "vlan": None,
            **extra,
        }
        if version == 3:
            fields["site"] = site
        else:
            fields |= {
                "scope_type": ["dcim", "site"] if site else None,
                "scope_id": site,
                "_site": site,
            }
        return obj("ipam.prefix", pk, **fields)

    return [
        {
            "model": "contenttypes.contenttype",
            "pk": 90,
            "fields": {"app_label": "dcim", "model": "interface"},
        },
        obj("tenancy.tenant", 1, name="Dinas Kesehatan", slug="dinkes"),
        obj("tenancy.tenant", 2, name="BKPSDM", slug="BKPSDM_Sumbawa"),
        obj("dcim.site", 1, name="DC Kominfo", slug="dc-kominfo", status="active"),
        obj("dcim.site", 2, name="Kantor Bupati", slug="bupati", status="active"),
        obj("dcim.site", 3, name="Puskesmas Alas", slug="alas", status="active"),
        obj("dcim.manufacturer", 1, name="Dell", slug="dell"),
        obj("dcim.manufacturer", 2, name="Generic", slug="generic"),
        obj("dcim.devicerole", 1, name="Server", slug="server", color="ff0000"),
        obj(
            "dcim.devicetype",
            1,
            manufacturer=1,
            model="PowerEdge R640",
            slug="dell-r640",
            u_height="1.0",
            is_full_depth=True,
            weight="21.9",
            weight_unit="kg",
            airflow="front-to-rear",
            part_number="R640",
            subdevice_role="",
        ),
        obj(
            "dcim.devicetype",
            2,
            manufacturer=2,
            model="24-port Patch Panel",
            slug="pp-24",
            u_height="1.0",
            is_full_depth=False,
            weight=None,
            weight_unit="",
            airflow="",
        ),
        obj(
            "dcim.devicetype",
            3,
            manufacturer=2,
            model="Half-U Switch",
            slug="half-u",
            u_height="0.5",
            is_full_depth=False,
            weight=None,
            weight_unit="",
        ),
        obj(
            "dcim.devicetype",
            4,
            manufacturer=2,
            model="Zero-U PDU",
            slug="pdu-0u",
            u_height="0.0",
            is_full_depth=False,
            weight=None,
            weight_unit="",
        ),
        obj(
            "dcim.devicetype",
            5,
            manufacturer=1,
            model="PowerEdge R740",
            slug="dell-r740",
            u_height="2.0",
            is_full_depth=True,
            weight="28.6",
            weight_unit="kg",
        ),
        obj(
            "dcim.powerporttemplate",
            1,
            device_type=1,
            name="PSU1",
            maximum_draw=750,
            allocated_draw=350,
        ),
        obj(
            "dcim.powerporttemplate",
            2,
            device_type=1,
            name="PSU2",
            maximum_draw=750,
            allocated_draw=350,
        ),
        obj(
            "dcim.rack",
            1,
            name="R01",
            site=1,
            location=None,
            tenant=None,
            status="active",
            u_height=42,
            desc_units=False,
            max_weight=800,
            weight_unit="kg",
        ),
        obj(
            "dcim.rack",
            2,
            name="Comms closet",
            site=2,
            location=None,
            tenant=None,
            status="available",
            u_height=12,
            desc_units=True,
            max_weight=None,
            weight_unit="",
        ),
        obj(
            "dcim.rack",
            3,
            name="Comms closet",
            site=3,
            location=None,
            tenant=None,
            status="planned",
            u_height=10,
            starting_unit=0,
            desc_units=False,
        ),
        # A 2U server in U10-U11; a patch panel on R01's rear; half-U switches sharing U20.
        device(1, "SRV-DINKES-01", 5, 1, 1, "10.0", tenant=1),
        device(2, "PP:MDF", 2, 1, 1, "1.0", face="rear"),
        device(3, "PP:MDF", 2, 2, 2, "1.0"),
        device(4, "SW-HALF-A", 3, 1, 1, "20.0"),
        device(5, "SW-HALF-B", 3, 1, 1, "20.5"),
        device(6, None, 1, 1, 1, "30.0", virtual_chassis=1, vc_position=2),
        device(7, "PDU-R01-A", 4, 1, 1, None),
        device(8, "SPARE-R640", 1, 1, None, None),
        device(9, "BLADE-1", 1, 1, 1, None),
        device(10, "SRV-ALAS-01", 1, 3, 3, "0.0"),
        device(11, "SRV-BKPSDM-01", 1, 1, 1, "12.0", tenant=2),
        device(12, "SRV-UNCABLED", 1, 1, 1, "14.0"),
        obj("dcim.virtualchassis", 1, name="VC-CORE", domain=""),
        obj("dcim.powerpanel", 1, site=1, location=None, name="Panel A"),
        obj("dcim.powerpanel", 2, site=1, location=None, name="Panel B"),
        obj(
            "dcim.powerfeed",
            1,
            power_panel=1,
            rack=1,
            name="Feed 1",
            status="active",
            type="primary",
            supply="ac",
            phase="single-phase",
            voltage=230,
            amperage=16,
            max_utilization=80,
            cable=1,
        ),
        obj(
            "dcim.powerfeed",
            2,
            power_panel=2,
            rack=None,
            name="Feed 1",
            status="active",
            type="redundant",
            supply="ac",
            phase="three-phase",
            voltage=400,
            amperage=32,
            max_utilization=80,
            cable=3,
        ),
        # SRV-DINKES-01's PSU1 -> cable 2 -> PDU outlet 1; the PDU's inlet -> cable 1 -> Feed 1 (Panel A).
        obj(
            "dcim.powerport",
            1,
            device=1,
            name="PSU1",
            maximum_draw=900,
            allocated_draw=450,
            cable=2,
        ),
        obj(
            "dcim.powerport",
            2,
            device=7,
            name="Inlet",
            maximum_draw=None,
            allocated_draw=None,
            cable=1,
        ),
        obj("dcim.poweroutlet", 1, device=7, name="Outlet 1", power_port=2, cable=2),
        # SRV-BKPSDM-01's PSU1 -> cable 3 -> Feed 1 of Panel B, which has no rack in NetBox.
        obj(
            "dcim.powerport",
            3,
            device=11,
            name="PSU1",
            maximum_draw=750,
            allocated_draw=300,
            cable=3,
        ),
        obj(
            "dcim.powerport",
            4,
            device=12,
            name="PSU1",
            maximum_draw=500,
            allocated_draw=None,
            cable=None,
        ),
        obj("dcim.cable", 1, type="power", status="connected"),
        obj("dcim.cable", 2, type="power", status="connected"),
        obj("dcim.cable", 3, type="power", status="connected"),
        obj(
            "dcim.rackreservation",
            1,
            rack=1,
            units=[40, 41, 10],
            tenant=None,
            user=1,
            description="Future storage",
        ),
        obj("dcim.interface", 1, device=1, name="eth0", type="1000base-t"),
        obj("ipam.vrf", 1, name="MGMT", rd="65000:1", enforce_unique=True),
        obj("ipam.role", 1, name="Public", slug="public", weight=1000),
        obj("ipam.vlan", 1, vid=10, name="Servers", status="active"),
        prefix(1, "10.10.0.0/16", 1, status="container"),
        prefix(2, "10.10.1.0/24", 1, vlan=1),
        prefix(3, "10.10.1.0/24", None, vrf=1),
        prefix(4, "103.10.20.0/27", 1, role=1),
        prefix(5, "192.168.0.0/23", None),
        prefix(6, "192.168.1.0/24", None),
        obj(
            "ipam.ipaddress",
            1,
            address="10.10.1.10/24",
            vrf=None,
            status="active",
            assigned_object_type=90,
            assigned_object_id=1,
            description="SIMPUS",
        ),
        obj(
            "ipam.ipaddress",
            2,
            address="10.10.1.10/24",
            vrf=1,
            status="active",
            assigned_object_type=None,
            assigned_object_id=None,
            description="",
        ),
        obj(
            "ipam.ipaddress",
            3,
            address="103.10.20.6/27",
            vrf=None,
            status="slaac",
            assigned_object_type=None,
            assigned_object_id=None,
            description="",
        ),
        obj(
            "ipam.ipaddress",
            4,
            address="172.16.0.1/24",
            vrf=None,
            status="active",
            assigned_object_type=None,
            assigned_object_id=None,
            description="",
        ),
        obj(
            "ipam.iprange",
            1,
            start_address="10.10.1.100/24",
            end_address="10.10.1.120/24",
            vrf=None,
            status="active",
            size=21,
        ),
        obj("circuits.provider", 1, name="Telkom", slug="telkom"),
        obj(
            "circuits.circuit",
            1,
            cid="INET-001",
            provider=1,
            type=1,
            status="active",
            commit_rate=500000,
        ),
        obj(
            "circuits.circuit",
            2,
            cid="WAN-002",
            provider=1,
            type=1,
            status="active",
            commit_rate=None,
        ),
        obj("circuits.circuittermination", 1, circuit=1, term_side="A", site=1),
        obj("circuits.circuittermination", 2, circuit=2, term_side="A", site=1),
        obj("extras.tag", 1, name="migrated", slug="migrated"),
    ]


def write_dump(path: Path, records: list[Doc]) -> Path:
    """Write a dump as NetBox's dumpdata would (a JSON list)."""
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")
    return path
